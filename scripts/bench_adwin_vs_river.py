#!/usr/bin/env python3
"""ADWIN updates per second: leadstream against River 0.26.1, on the same stream, in one run.

What it is for: the ADWIN row of BENCHMARKS.md, with the same detections on both sides checked.
What it is not: a criterion bench (benches/adwin.rs measures ns per update inside Rust); River's
figure includes Python's per-call overhead, which is how River users call it.

Usage: scripts/bench_adwin_vs_river.py [--n 1000000] [--repeat 3]
Needs: python3 with river==0.26.1, and cargo (builds target/release/leadstream).
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from river import drift


def stream(n, seed):
    # Bernoulli error indicators whose rate steps up twice: the usual input of ADWIN in a learner.
    rng = random.Random(seed)
    out = []
    for i in range(n):
        p = 0.2 if i < n // 2 else (0.4 if i < 3 * n // 4 else 0.25)
        out.append(1.0 if rng.random() < p else 0.0)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "leadstream"], cwd=root, check=True)
    values = stream(args.n, 7)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "errors.csv")
        with open(path, "w") as f:
            f.write("value\n")
            f.writelines(f"{v!r}\n" for v in values)
        river_best, river_detections = 0.0, None
        for _ in range(args.repeat):
            det = drift.ADWIN()
            found = []
            start = time.perf_counter()
            for i, v in enumerate(values):
                det.update(v)
                if det.drift_detected:
                    found.append(i)
            secs = time.perf_counter() - start
            river_best = max(river_best, len(values) / secs)
            river_detections = found
        ours_best, ours_detections = 0.0, None
        for _ in range(args.repeat):
            out = subprocess.run(
                [os.path.join(root, "target/release/leadstream"), "drift", "--data", path, "--detector", "adwin"],
                check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1]
            report = json.loads(out)
            ours_best = max(ours_best, report["updates_per_second"])
            ours_detections = report["detections"]
    same = ours_detections == river_detections
    print("| detector | n | River updates/s | leadstream updates/s | ratio | leadstream ns/update | detections (River, leadstream) | identical |")
    print("|---|---:|---:|---:|---:|---:|---|---|")
    print(f"| ADWIN (defaults, clock 32) | {args.n:,} | {river_best:,.0f} | {ours_best:,.0f} | {ours_best / river_best:.1f}x "
          f"| {1e9 / ours_best:.1f} | {len(river_detections)}, {len(ours_detections)} | {same} |")
    print(f"\ncommand: scripts/bench_adwin_vs_river.py --n {args.n} --repeat {args.repeat}; "
          f"date {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
