#!/usr/bin/env python3
"""River reference numbers for leadstream's learners (River 0.26.1).

What it is for: writing the CSV datasets under tests/fixtures/river/ and River's prequential
(test-then-train) results on them to tests/fixtures/river/expected.json, which
tests/learn_river_conformance.rs compares our learners against; and timing River's learning
loop for scripts/bench_vs_river.sh.
What it is not: a benchmark harness for leadstream (that is `leadstream eval`).

Usage:
    python3 scripts/river_reference.py export [--out tests/fixtures/river]
    python3 scripts/river_reference.py bench --data FILE.csv --model MODEL [--repeat 3]

Conventions shared with `leadstream eval` (so the numbers are comparable):
- Every CSV has a header row, numeric columns, and the class (0/1) as its last column.
  Floats are written with repr(), so they parse back to the same f64.
- Models read each row back from the CSV as {column: float} in file order, exactly the values
  the Rust side sees, never the in-memory values the dataset produced.
- Prequential loop: predict_proba_one, then learn_one, on every row in file order.
- River returns a dict that may lack classes (or be empty before learning). It is turned into
  a probability vector over classes 0..k-1: missing classes get 0, and an all-zero vector becomes
  uniform (what our learners return before learning). The prediction is the argmax with ties
  going to the lowest class, as `leadstream::learn::argmax` does.
- log_loss clamps probabilities to [1e-15, 1 - 1e-15] (River's metrics.LogLoss clamp);
  roc_auc is exact (Mann-Whitney U with ties counting one half) over the probability of class 1.
- seconds times only the predict/learn loop (not CSV reading); samples_per_second = n / seconds.
"""

import argparse
import csv
import datetime
import json
import math
import os
import platform
import sys
import time

import river
from river import datasets, linear_model, preprocessing, tree
from river.datasets import synth

# The synthetic drifting stream: SEA (3 features) with concept variant 0 switching (sigmoid, width 1000)
# to variant 2 at row 50 000, 10% label noise. Features are rounded to 4 decimals to keep the
# file small; River learns from the rounded values it reads back.
SYNTH_ROWS = 100_000
SYNTH_DRIFT_AT = 50_000
SYNTH_SEED = 42

MODELS = ("hoeffding-tree", "hoeffding-adaptive-tree", "logistic")

# Hyperparameters given to `leadstream eval` (--set KEY=VALUE) so it matches the River model.
LEADSTREAM_PARAMS = {
    "hoeffding-tree": {},
    "hoeffding-adaptive-tree": {"seed": "42"},
    "logistic": {},
}

RIVER_MODELS = {
    "hoeffding-tree": "tree.HoeffdingTreeClassifier()",
    "hoeffding-adaptive-tree": "tree.HoeffdingAdaptiveTreeClassifier(seed=42)",
    "logistic": "preprocessing.StandardScaler() | linear_model.LogisticRegression()",
}


def make_model(name):
    if name == "hoeffding-tree":
        return tree.HoeffdingTreeClassifier()
    if name == "hoeffding-adaptive-tree":
        return tree.HoeffdingAdaptiveTreeClassifier(seed=42)
    if name == "logistic":
        return preprocessing.StandardScaler() | linear_model.LogisticRegression()
    raise SystemExit(f"unknown model {name!r} (known: {', '.join(MODELS)})")


def write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for features, label in rows:
            w.writerow([repr(float(v)) for v in features] + [int(label)])


def export_river_dataset(dataset, path):
    rows, header = [], None
    for x, y in dataset:
        if header is None:
            header = [str(k) for k in x.keys()] + ["class"]
        rows.append(([x[k] for k in x.keys()], 1 if y else 0))
    write_csv(path, header, rows)
    return len(rows)


def export_synthetic(path):
    stream = synth.ConceptDriftStream(
        stream=synth.SEA(variant=0, noise=0.1, seed=SYNTH_SEED),
        drift_stream=synth.SEA(variant=2, noise=0.1, seed=SYNTH_SEED + 1),
        position=SYNTH_DRIFT_AT,
        width=1000,
        seed=SYNTH_SEED,
    )
    rows = []
    for x, y in stream.take(SYNTH_ROWS):
        rows.append(([round(x[k], 4) for k in sorted(x)], 1 if y else 0))
    write_csv(path, ["x0", "x1", "x2", "class"], rows)
    return len(rows)


def read_csv(path):
    """Rows as ({column: float}, label) in file order; the last column is the label."""
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        names = header[:-1]
        rows = []
        for rec in r:
            x = {name: float(v) for name, v in zip(names, rec[:-1])}
            rows.append((x, int(rec[-1])))
    return names, rows


def proba_vector(proba, k):
    p = [float(proba.get(c, 0.0)) for c in range(k)]
    total = sum(p)
    if not total > 0.0:
        return [1.0 / k] * k
    return p


def argmax(p):
    best = 0
    for i, v in enumerate(p):
        if v > p[best]:
            best = i
    return best


def prequential(model, rows, k):
    """The timed loop: returns (probability vectors, seconds)."""
    probas = []
    append = probas.append
    start = time.perf_counter()
    for x, y in rows:
        append(proba_vector(model.predict_proba_one(x), k))
        model.learn_one(x, y)
    return probas, time.perf_counter() - start


def exact_roc_auc(scores, labels):
    pairs = sorted(zip(scores, labels), key=lambda t: t[0])
    n_pos = sum(1 for _, l in pairs if l == 1)
    n_neg = len(pairs) - n_pos
    if n_pos == 0 or n_neg == 0:
        return 0.0
    neg_below, area, i = 0, 0.0, 0
    while i < len(pairs):
        j, pos, neg = i, 0, 0
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            if pairs[j][1] == 1:
                pos += 1
            else:
                neg += 1
            j += 1
        area += pos * (neg_below + 0.5 * neg)
        neg_below += neg
        i = j
    return area / (n_pos * n_neg)


def score(rows, probas):
    eps = 1e-15
    correct, loss = 0, 0.0
    for (_, y), p in zip(rows, probas):
        correct += argmax(p) == y
        if len(p) == 2:
            p1 = min(max(p[1], eps), 1.0 - eps)
            loss -= math.log(p1) if y == 1 else math.log(1.0 - p1)
        else:
            loss -= math.log(min(max(p[y], eps), 1.0 - eps))
    n = len(rows)
    labels = [y for _, y in rows]
    return {
        "n": n,
        "accuracy": correct / n,
        "log_loss": loss / n,
        "roc_auc": exact_roc_auc([p[1] for p in probas], labels),
    }


def run_model(path, name):
    _, rows = read_csv(path)
    k = max(2, max(y for _, y in rows) + 1)
    probas, seconds = prequential(make_model(name), rows, k)
    result = score(rows, probas)
    result["seconds"] = seconds
    result["samples_per_second"] = result["n"] / seconds if seconds > 0 else None
    return result


def cmd_export(out):
    os.makedirs(out, exist_ok=True)
    files = {
        "phishing": ("phishing.csv", lambda p: export_river_dataset(datasets.Phishing(), p)),
        "bananas": ("bananas.csv", lambda p: export_river_dataset(datasets.Bananas(), p)),
        "sea_drift": ("sea_drift.csv", export_synthetic),
    }
    entries = []
    for dataset, (file, export) in files.items():
        path = os.path.join(out, file)
        export(path)
        names, _ = read_csv(path)
        for model in MODELS:
            result = run_model(path, model)
            print(f"{dataset:10} {model:24} acc={result['accuracy']:.4f} "
                  f"{result['samples_per_second']:.0f} samples/s", file=sys.stderr)
            entries.append({
                "dataset": dataset,
                "file": file,
                "n_features": len(names),
                "model": model,
                "river_model": RIVER_MODELS[model],
                "leadstream_params": LEADSTREAM_PARAMS[model],
                **result,
            })
    doc = {
        "generator": "scripts/river_reference.py export",
        "river_version": river.__version__,
        "python_version": platform.python_version(),
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "synthetic": {
            "file": "sea_drift.csv",
            "stream": "synth.ConceptDriftStream(SEA(variant=0, noise=0.1, seed=42) -> "
                      "SEA(variant=2, noise=0.1, seed=43), position=50000, width=1000, seed=42)",
            "rows": SYNTH_ROWS,
            "drift_at": SYNTH_DRIFT_AT,
            "features_rounded_to": 4,
        },
        "results": entries,
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


def cmd_bench(data, model, repeat):
    best = None
    for _ in range(repeat):
        result = run_model(data, model)
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    best.update({"data": data, "model": model, "repeat": repeat,
                 "river_version": river.__version__})
    print(json.dumps(best))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export", help="write the CSVs and expected.json")
    e.add_argument("--out", default=os.path.join("tests", "fixtures", "river"))
    b = sub.add_parser("bench", help="time River's prequential loop, best of --repeat")
    b.add_argument("--data", required=True)
    b.add_argument("--model", required=True, choices=MODELS)
    b.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.cmd == "export":
        cmd_export(args.out)
    else:
        cmd_bench(args.data, args.model, args.repeat)


if __name__ == "__main__":
    main()
