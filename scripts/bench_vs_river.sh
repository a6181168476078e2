#!/usr/bin/env bash
# Throughput and accuracy of leadstream against River 0.26.1 on the same CSV files, the same
# hyperparameters and the same prequential (test-then-train) loop.
#
# What it is for: the table in the report (samples/s of the learning loop, best of N runs, and
# prequential accuracy), with the machine and versions it was measured on.
# What it is not: a criterion bench (benches/ measures per-sample costs); an assertion of any kind.
#
# Usage: scripts/bench_vs_river.sh [--datasets "phishing bananas sea_drift"]
#                                  [--models "hoeffding-tree hoeffding-adaptive-tree logistic"]
#                                  [--repeat 3]
# Both sides time only their learning loop (predict_proba_one + learn_one per row), not reading
# the CSV nor starting up. Hyperparameters are the defaults on both sides, except the Hoeffding
# Adaptive Tree's seed (42 on both; the RNGs differ, so its runs are not sample-identical).
set -euo pipefail

cd "$(dirname "$0")/.."
datasets="phishing bananas sea_drift"
models="hoeffding-tree hoeffding-adaptive-tree logistic"
repeat=3
command_line="scripts/bench_vs_river.sh"
if [[ $# -gt 0 ]]; then command_line+=$(printf ' %q' "$@"); fi
while [[ $# -gt 0 ]]; do
    case "$1" in
        --datasets) datasets="$2"; shift 2 ;;
        --models) models="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

fixtures=tests/fixtures/river
bin=target/release/leadstream
echo "Building the release binary..." >&2
cargo build --release --quiet --bin leadstream

results=$(mktemp)
trap 'rm -f "$results"' EXIT

# `leadstream eval` flags for a model: the same hyperparameters River used (expected.json).
leadstream_flags() {
    python3 - "$fixtures/expected.json" "$1" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for entry in doc["results"]:
    if entry["model"] == sys.argv[2]:
        print(" ".join(f"--set {k}={v}" for k, v in entry["leadstream_params"].items()))
        break
PY
}

for dataset in $datasets; do
    csv="$fixtures/$dataset.csv"
    [[ -f "$csv" ]] || { echo "no such dataset: $csv" >&2; exit 2; }
    for model in $models; do
        echo "River      $dataset $model (best of $repeat)..." >&2
        river_json=$(python3 scripts/river_reference.py bench --data "$csv" --model "$model" \
            --repeat "$repeat")
        flags=$(leadstream_flags "$model")
        best=""
        for _ in $(seq "$repeat"); do
            echo "leadstream $dataset $model..." >&2
            # shellcheck disable=SC2086
            run=$("$bin" eval --data "$csv" --model "$model" $flags | tail -n 1)
            best=$(python3 -c '
import json, sys
a = json.loads(sys.argv[1]); b = json.loads(sys.argv[2]) if sys.argv[2] else None
print(json.dumps(a if b is None or a["seconds"] < b["seconds"] else b))' "$run" "$best")
        done
        printf '%s\t%s\t%s\t%s\n' "$dataset" "$model" "$river_json" "$best" >> "$results"
    done
done

river_version=$(python3 -c 'import river; print(river.__version__)')
cpu=$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
cores=$(nproc)
python3 - "$results" "$cpu" "$cores" "$(rustc -V)" "$river_version" "$(date -u '+%Y-%m-%d %H:%M UTC')" \
    "$command_line" "$repeat" <<'PY'
import json, sys
path, cpu, cores, rustc, river_version, date, command, repeat = sys.argv[1:]
print(f"| dataset | model | River samples/s | leadstream samples/s | ratio | River accuracy | leadstream accuracy |")
print(f"|---|---|---:|---:|---:|---:|---:|")
for line in open(path):
    dataset, model, river_json, ours_json = line.rstrip("\n").split("\t")
    r, o = json.loads(river_json), json.loads(ours_json)
    ratio = o["samples_per_second"] / r["samples_per_second"]
    print(f"| {dataset} | {model} | {r['samples_per_second']:,.0f} | {o['samples_per_second']:,.0f} "
          f"| {ratio:,.1f}x | {r['accuracy']:.4f} | {o['accuracy']:.4f} |")
print()
print(f"- machine: {cpu}, {cores} cores (shared; other processes may have been running)")
print(f"- {rustc}; river {river_version}; python {sys.version.split()[0]}")
print(f"- date: {date}; best of {repeat} runs per side, learning loop only")
print(f"- command: `{command}`")
PY
