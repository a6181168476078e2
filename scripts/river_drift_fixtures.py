#!/usr/bin/env python3
"""Golden fixtures for leadstream's drift detectors, produced by River.

Generates seeded streams (Bernoulli 0/1 error streams and Gaussian real-valued streams; abrupt,
gradual and no change), runs River's ADWIN and PageHinkley over them with default and non-default
hyperparameters, and writes under tests/fixtures/drift/:

- <stream>.csv: one column `value`, each float written with repr() so it round-trips exactly;
- expected.json: the River version and, for every (stream, detector, params) case, the detection
  indices and the detector's final state.

Run from the repository root: python3 scripts/river_drift_fixtures.py (needs river==0.26.1).
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import river
from river import drift

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "drift"


def bernoulli(rng: random.Random, probs: list[float]) -> list[float]:
    return [1.0 if rng.random() < p else 0.0 for p in probs]


def gaussian(rng: random.Random, means: list[float], sigma: float) -> list[float]:
    return [rng.gauss(mu, sigma) for mu in means]


def ramp(start: float, end: float, n_before: int, n_ramp: int, n_after: int) -> list[float]:
    steps = [start + (end - start) * i / n_ramp for i in range(n_ramp)]
    return [start] * n_before + steps + [end] * n_after


def streams() -> dict[str, list[float]]:
    return {
        # A classifier's error indicator whose error rate jumps from 20% to 60%.
        "bernoulli_abrupt": bernoulli(random.Random(1), [0.2] * 2000 + [0.6] * 2000),
        # Error rate alternating 10% / 45% every 1500 values: several detections and resets.
        "bernoulli_recurring": bernoulli(
            random.Random(2), ([0.1] * 1500 + [0.45] * 1500) * 3
        ),
        # Error rate drifting from 10% to 50% over 3000 values.
        "bernoulli_gradual": bernoulli(random.Random(3), ramp(0.1, 0.5, 1000, 3000, 1000)),
        # A stationary 30% error rate, long enough for many histogram rows.
        "bernoulli_none": bernoulli(random.Random(4), [0.3] * 20000),
        # A real-valued signal with mean changes 0 -> 2 -> -1 -> 0.5.
        "gaussian_abrupt": gaussian(
            random.Random(5), [0.0] * 1000 + [2.0] * 1000 + [-1.0] * 1000 + [0.5] * 1000, 1.0
        ),
        # Mean drifting from 0 to 3 over 2000 values.
        "gaussian_gradual": gaussian(random.Random(6), ramp(0.0, 3.0, 1000, 2000, 1000), 1.0),
        # A stationary signal.
        "gaussian_none": gaussian(random.Random(7), [10.0] * 4000, 2.5),
    }


ADWIN_CONFIGS = [
    {},
    {"delta": 0.01, "clock": 1},
    {"delta": 0.1, "clock": 8, "max_buckets": 2, "min_window_length": 10, "grace_period": 50},
]

PH_CONFIGS = [
    {},
    {"threshold": 20.0, "min_instances": 10},
    {"threshold": 10.0, "delta": 0.01, "alpha": 0.999, "mode": "up"},
    {"threshold": 10.0, "mode": "down"},
]


def run_adwin(values: list[float], params: dict) -> dict:
    det = drift.ADWIN(**params)
    detections = []
    for i, x in enumerate(values):
        det.update(x)
        if det.drift_detected:
            detections.append(i)
    return {
        "detections": detections,
        "final_width": int(det.width),
        "final_estimate": det.estimation,
        "final_total": det.total,
    }


def run_page_hinkley(values: list[float], params: dict) -> dict:
    det = drift.PageHinkley(**params)
    detections = []
    for i, x in enumerate(values):
        det.update(x)
        if det.drift_detected:
            detections.append(i)
    return {"detections": detections, "final_mean": det._x_mean.get()}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    cases = []
    for name, values in streams().items():
        with open(OUT / f"{name}.csv", "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["value"])
            for x in values:
                writer.writerow([repr(float(x))])
        for params in ADWIN_CONFIGS:
            cases.append({"stream": name, "detector": "adwin", "params": params,
                          **run_adwin(values, params)})
        for params in PH_CONFIGS:
            cases.append({"stream": name, "detector": "page_hinkley", "params": params,
                          **run_page_hinkley(values, params)})
    expected = {"river_version": river.__version__, "cases": cases}
    with open(OUT / "expected.json", "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    for c in cases:
        print(c["stream"], c["detector"], c["params"], len(c["detections"]), c["detections"][:8])


if __name__ == "__main__":
    main()
