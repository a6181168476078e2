#!/usr/bin/env python3
"""Golden fixtures for leadstream's LogisticRegression, produced by River.

Generates a seeded binary stream (features of very different scales, one constant feature, a
label rule that drifts halfway) and runs River's `StandardScaler() | LogisticRegression()` and
variants prequentially (predict_proba_one, then learn_one), writing under tests/fixtures/logistic/:

- stream.csv: the features x0..x4 and the label y (0/1), floats written with repr();
- expected.json: per configuration, River's probability of class 1 before each learn_one, the
  prequential accuracy, and the final weights and intercept.

Run from the repository root: python3 scripts/river_logistic_fixtures.py (needs river==0.26.1).
"""

from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

import river
from river import compose, linear_model, optim, preprocessing

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "logistic"
N_ROWS = 3000
FEATURES = ["x0", "x1", "x2", "x3", "x4"]


def stream() -> list[tuple[list[float], int]]:
    rng = random.Random(2024)
    rows = []
    for i in range(N_ROWS):
        x = [
            rng.gauss(0.0, 1.0),
            rng.gauss(50.0, 20.0),  # large scale
            rng.uniform(0.0, 1e-3),  # tiny scale
            3.0,  # constant: scales to 0
            float(rng.randint(0, 4)),  # small integer counts
        ]
        w = [1.5, 0.05, 800.0, 0.0, -0.6] if i < N_ROWS // 2 else [-1.0, 0.05, 0.0, 0.0, 0.8]
        logit = sum(wi * xi for wi, xi in zip(w, x)) - 2.7
        y = int(rng.random() < 1.0 / (1.0 + math.exp(-logit)))
        rows.append((x, y))
    return rows


CONFIGS = {
    "default": ({}, lambda: preprocessing.StandardScaler() | linear_model.LogisticRegression()),
    "adagrad": (
        {"optimizer": "adagrad", "lr": 0.1},
        lambda: preprocessing.StandardScaler()
        | linear_model.LogisticRegression(optimizer=optim.AdaGrad(0.1)),
    ),
    "unscaled_l2": (
        {"scale": False, "lr": 0.001, "l2": 0.01, "intercept_lr": 0.05},
        lambda: linear_model.LogisticRegression(
            optimizer=optim.SGD(0.001), l2=0.01, intercept_lr=0.05
        ),
    ),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = stream()
    with open(OUT / "stream.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(FEATURES + ["y"])
        for x, y in rows:
            writer.writerow([repr(v) for v in x] + [y])
    # Feed River exactly what the CSV holds.
    with open(OUT / "stream.csv") as f:
        reader = csv.reader(f)
        next(reader)
        data = [({k: float(v) for k, v in zip(FEATURES, r[:-1])}, int(r[-1])) for r in reader]
    cases = {}
    for name, (params, make) in CONFIGS.items():
        model = make()
        p1s, correct = [], 0
        for x, y in data:
            proba = model.predict_proba_one(x)
            p1 = proba.get(True, 0.0)
            p1s.append(p1)
            correct += int(max(proba, key=proba.get) == bool(y))
            model.learn_one(x, bool(y))
        # A River pipeline passes isinstance checks for its last step, so test for the pipeline.
        lr = list(model.steps.values())[-1] if isinstance(model, compose.Pipeline) else model
        cases[name] = {
            "params": params,
            "accuracy": correct / len(data),
            "p1": p1s,
            "weights": [lr.weights.get(k, 0.0) for k in FEATURES],
            "intercept": lr.intercept,
        }
        print(name, correct / len(data))
    with open(OUT / "expected.json", "w") as f:
        json.dump({"river_version": river.__version__, "cases": cases}, f)
        f.write("\n")


if __name__ == "__main__":
    main()
