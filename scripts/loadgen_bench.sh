#!/usr/bin/env bash
# Through-the-broker benchmark for BENCHMARKS.md: for each rate, `leadstream loadgen` against
# the engine and against the `--baseline` relay on the same tansu broker (loopback), then a
# markdown table of latency percentiles, achieved rates, the engine/relay ratio and the broker's
# CPU time per 1,000 events (the evidence for where the floor is).
#
# Usage: scripts/loadgen_bench.sh [RATE...]   (default: 1000 5000 10000 20000 max)
#   RATE "max" offers MAX_RATE events/s (default 40000), more than either side sustains here,
#   so its "outputs ev/s" column is the maximum sustained rate (backlog drained included).
#   BIN         leadstream binary (default target/release/leadstream)
#   STORAGE     tansu storage: sqlite (default) or memory (see scripts/tansu.sh)
#   KAFKA       librdkafka settings for every client, loadgen's and the engine's (default
#               "linger.ms=20": tansu's cost is per request, so small batches saturate it)
#   ENGINE_CMD  engine command; {BROKERS} and {LISTEN} are replaced (default: $BIN run
#               --brokers {BROKERS} --kafka fetch.wait.max.ms=10 plus KAFKA, --quiet)
#   DURATION    seconds per run (default 15)
#   RELAY_FLAGS extra loadgen flags for the relay runs (e.g. the diagnostic --relay-pad-to 1200)
#   LOADGEN_FLAGS extra loadgen flags for every run, relay and engine (e.g. --pacing sleep)
#   OUT         directory for the JSON reports (default target/loadgen-bench)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-target/release/leadstream}"
STORAGE="${STORAGE:-sqlite}"
KAFKA="${KAFKA:-linger.ms=20}"
MAX_RATE="${MAX_RATE:-40000}"
KAFKA_FLAGS=()
for kv in $KAFKA; do KAFKA_FLAGS+=(--kafka "$kv"); done
DEFAULT_ENGINE_CMD="$BIN run --brokers {BROKERS} --kafka fetch.wait.max.ms=10 ${KAFKA_FLAGS[*]} --quiet"
ENGINE_CMD="${ENGINE_CMD:-$DEFAULT_ENGINE_CMD}"
DURATION="${DURATION:-15}"
read -r -a RELAY_EXTRA <<<"${RELAY_FLAGS:-}"
read -r -a LOADGEN_EXTRA <<<"${LOADGEN_FLAGS:-}"
OUT="${OUT:-target/loadgen-bench}"
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(1000 5000 10000 20000 max)
mkdir -p "$OUT"
# shellcheck source=scripts/bench_broker.sh
source scripts/bench_broker.sh
CMD="${ENGINE_CMD//'{BROKERS}'/$BROKERS}"
CMD="${CMD//'{LISTEN}'/127.0.0.1:0}"
echo "bench: broker $BROKERS ($STORAGE), client settings: $KAFKA" >&2

cpu_ticks() { # PID -> user+system clock ticks so far
    awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

run() { # MODE RATE [FLAGS...]
    local mode=$1 rate=$2 offered=$2
    shift 2
    [ "$rate" = max ] && offered=$MAX_RATE
    echo "bench: $mode at $rate ($offered/s) for $DURATION s; $(uptime)" >&2
    cut -d' ' -f1 /proc/loadavg >"$OUT/$mode-$rate.load"
    local before engine_before
    before=$(cpu_ticks "$TANSU_PID")
    engine_before=$(cpu_ticks "${ENGINE_PID:-0}")
    # loadgen's own CPU (seconds, user and system) goes to .loadgen-cpu: with --baseline it
    # includes the relay.
    /usr/bin/time -f "%U %S" -o "$OUT/$mode-$rate.loadgen-cpu" \
        "$BIN" loadgen --brokers "$BROKERS" --rate "$offered" --duration "$DURATION" --quiet \
        --report "$OUT/$mode-$rate.json" "${KAFKA_FLAGS[@]}" "${LOADGEN_EXTRA[@]}" "$@" >/dev/null
    echo "$(( $(cpu_ticks "$TANSU_PID") - before )) $(getconf CLK_TCK)" >"$OUT/$mode-$rate.broker-cpu"
    if [ -n "$ENGINE_PID" ]; then
        echo "$(( $(cpu_ticks "$ENGINE_PID") - engine_before )) $(getconf CLK_TCK)" >"$OUT/$mode-$rate.engine-cpu"
    fi
}

# The relay runs first, alone on the broker; then the engine starts and runs alone (the relay
# is not running then), so neither shares the broker with the other.
# The relay has its own events topic: the engine must not find the relay's events as a backlog.
# Its collector also polls an empty second output topic, as it polls decisions and alerts for
# the engine, so both sides cost the broker the same fetch polling (tansu holds every fetch).
for rate in "${RATES[@]}"; do
    run relay "$rate" --baseline --events-topic bench-relay-events --relay-topic bench-relay-out \
        --relay-alerts-topic bench-relay-alerts "${RELAY_EXTRA[@]}"
done
echo "bench: engine: $CMD" >&2
# shellcheck disable=SC2086
$CMD >"$OUT/engine.log" 2>&1 &
ENGINE_PID=$!
# With Kafka each shard is a member of the group: tansu takes up to ~6 s to settle them.
sleep 8
for rate in "${RATES[@]}"; do run engine "$rate"; done

python3 - "$OUT" "${RATES[@]}" <<'PY'
import json, sys
out, rates = sys.argv[1], sys.argv[2:]
ms = lambda ns: ns / 1e6
def broker_ms_per_1k(mode, r, sent):
    ticks, hz = open(f"{out}/{mode}-{r}.broker-cpu").read().split()
    return int(ticks) / int(hz) * 1e3 / max(sent, 1) * 1e3
print("| offered ev/s | mode | achieved ev/s | outputs ev/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | missing | p99 engine/relay | p99 engine-relay ms | broker CPU ms per 1k events |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rates:
    rep = {m: json.load(open(f"{out}/{m}-{r}.json")) for m in ("relay", "engine")}
    relay_p99 = ms(rep["relay"]["latency"]["p99_ns"])
    for m in ("relay", "engine"):
        x, l = rep[m], rep[m]["latency"]
        p99 = ms(l["p99_ns"])
        ratio = f"{p99 / max(relay_p99, 1e-9):.2f}" if m == "engine" else "1.00"
        delta = f"{p99 - relay_p99:+.1f}" if m == "engine" else ""
        offered = f"max ({x['target_rate']:.0f})" if r == "max" else r
        print(f"| {offered} | {m} | {x['achieved_rate']:.0f} | {x['output_rate']:.0f} | {ms(l['p50_ns']):.1f} | {ms(l['p90_ns']):.1f} "
              f"| {p99:.1f} | {ms(l['p999_ns']):.1f} | {ms(l['max_ns']):.1f} | {x['missing']} | {ratio} | {delta} | {broker_ms_per_1k(m, r, x['sent']):.0f} |")
PY
