#!/usr/bin/env bash
# Through-the-broker benchmark for BENCHMARKS.md: for each rate, `leadstream loadgen` against
# the engine and against the `--baseline` relay on the same tansu broker (loopback), then a
# markdown table of latency percentiles, achieved rates and the engine/relay ratio.
#
# Usage: scripts/loadgen_bench.sh [RATE...]          (default rates: 1000 5000 10000 20000)
#   BIN         leadstream binary (default target/release/leadstream)
#   ENGINE_CMD  engine command; {BROKERS} and {LISTEN} are replaced
#               (default: $BIN run --brokers {BROKERS} --kafka fetch.wait.max.ms=10 --quiet)
#   DURATION    seconds per run (default 15)
#   OUT         directory for the JSON reports (default target/loadgen-bench)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-target/release/leadstream}"
DEFAULT_ENGINE_CMD="$BIN run --brokers {BROKERS} --kafka fetch.wait.max.ms=10 --quiet"
ENGINE_CMD="${ENGINE_CMD:-$DEFAULT_ENGINE_CMD}"
DURATION="${DURATION:-15}"
OUT="${OUT:-target/loadgen-bench}"
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(1000 5000 10000 20000)
mkdir -p "$OUT"
DIR="$(mktemp -d -t leadstream-bench.XXXXXX)"
ENGINE_PID=""
cleanup() {
    [ -n "$ENGINE_PID" ] && kill "$ENGINE_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    scripts/tansu.sh stop "$DIR/tansu" || true
    rm -rf "$DIR"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
BROKERS="$(scripts/tansu.sh start "$PORT" "$DIR/tansu")"
CMD="${ENGINE_CMD//'{BROKERS}'/$BROKERS}"
CMD="${CMD//'{LISTEN}'/127.0.0.1:0}"
echo "bench: broker $BROKERS" >&2

run() { # MODE RATE [FLAGS...]
    local mode=$1 rate=$2
    shift 2
    echo "bench: $mode at $rate/s for $DURATION s" >&2
    "$BIN" loadgen --brokers "$BROKERS" --rate "$rate" --duration "$DURATION" --quiet \
        --report "$OUT/$mode-$rate.json" "$@" >/dev/null
}

# The relay runs first, alone on the broker; then the engine starts and runs alone (the relay
# is not running then), so neither shares the broker with the other.
# The relay has its own events topic: the engine must not find the relay's events as a backlog.
for rate in "${RATES[@]}"; do
    run relay "$rate" --baseline --events-topic bench-relay-events --relay-topic bench-relay-out
done
echo "bench: engine: $CMD" >&2
# shellcheck disable=SC2086
$CMD >"$OUT/engine.log" 2>&1 &
ENGINE_PID=$!
sleep 3
for rate in "${RATES[@]}"; do run engine "$rate"; done

python3 - "$OUT" "${RATES[@]}" <<'PY'
import json, sys
out, rates = sys.argv[1], sys.argv[2:]
ms = lambda ns: ns / 1e6
print("| offered ev/s | mode | achieved ev/s | outputs ev/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | missing | p99 engine/relay |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rates:
    rep = {m: json.load(open(f"{out}/{m}-{r}.json")) for m in ("relay", "engine")}
    for m in ("relay", "engine"):
        x, l = rep[m], rep[m]["latency"]
        ratio = ms(l["p99_ns"]) / max(ms(rep["relay"]["latency"]["p99_ns"]), 1e-9) if m == "engine" else 1.0
        print(f"| {r} | {m} | {x['achieved_rate']:.0f} | {x['output_rate']:.0f} | {ms(l['p50_ns']):.1f} | {ms(l['p90_ns']):.1f} "
              f"| {ms(l['p99_ns']):.1f} | {ms(l['p999_ns']):.1f} | {ms(l['max_ns']):.1f} | {x['missing']} | {ratio:.2f} |")
PY
