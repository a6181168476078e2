"""River 0.26.1 reference for the Hoeffding adaptive tree (HAT), whose bootstrap makes a single
seed's accuracy a noisy comparison (our RNG is not Python's Mersenne Twister).

Writes tests/fixtures/river/hat_reference.json with, per dataset:
- "replay": River's HAT (seed 42) run prequentially while every Poisson(1) bootstrap draw it
  makes is recorded (River's `hatc_nodes.poisson` wrapped, the draws themselves unchanged);
  the draws, River's per-sample predicted class and its accuracy. Our HAT replays the draws
  and must predict identically (exact logic parity).
- "seeds": River's accuracy for seeds 0..K-1 (statistical parity with independent RNGs).

Run from the repository root: python3 scripts/river_hat_fixtures.py
"""
import json
import statistics
import sys
import time

import river
from river import tree
from river.tree.nodes import hatc_nodes

sys.path.insert(0, "scripts")
from river_reference import argmax, proba_vector, read_csv  # noqa: E402

FIXTURES = "tests/fixtures/river"
# Seeds per dataset: sea_drift (100k rows) costs River ~23 s per run, hence fewer seeds.
SEEDS = {"phishing": 30, "bananas": 30, "sea_drift": 10}

_original_poisson = hatc_nodes.poisson
_recorded = []


def recording_poisson(rate, rng):
    k = _original_poisson(rate=rate, rng=rng)
    _recorded.append(k)
    return k


def run(rows, k, seed):
    model = tree.HoeffdingAdaptiveTreeClassifier(seed=seed)
    predictions = []
    for x, y in rows:
        predictions.append(argmax(proba_vector(model.predict_proba_one(x), k)))
        model.learn_one(x, y)
    correct = sum(p == y for p, (_, y) in zip(predictions, rows))
    return predictions, correct / len(rows)


def main():
    out = {
        "generator": "scripts/river_hat_fixtures.py",
        "river_version": river.__version__,
        "river_model": "tree.HoeffdingAdaptiveTreeClassifier(seed=s)",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "datasets": {},
    }
    for name, n_seeds in SEEDS.items():
        _, rows = read_csv(f"{FIXTURES}/{name}.csv")
        k = max(2, max(y for _, y in rows) + 1)
        hatc_nodes.poisson = recording_poisson
        _recorded.clear()
        predictions, acc = run(rows, k, 42)
        draws = list(_recorded)
        hatc_nodes.poisson = _original_poisson
        accs = []
        for seed in range(n_seeds):
            accs.append(run(rows, k, seed)[1])
        out["datasets"][name] = {
            "file": f"{name}.csv",
            "n": len(rows),
            "replay": {
                "seed": 42,
                "accuracy": acc,
                "predictions": "".join(str(p) for p in predictions),
                "draws": draws,
            },
            "seeds": {"first": 0, "accuracy": accs},
        }
        print(f"{name}: replay seed 42 acc {acc:.4f} ({len(draws)} draws); "
              f"{n_seeds} seeds mean {statistics.mean(accs):.4f} std {statistics.stdev(accs):.4f}")
    with open(f"{FIXTURES}/hat_reference.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
