#!/usr/bin/env bash
# Engine builds against each other and against the relay through one broker, in alternating
# rounds: for BENCHMARKS.md when a change moves the engine's latency by less than one run's
# spread (a single run's p99 varies by a millisecond or more on 2 cores).
#
# Usage: scripts/loadgen_ab.sh RATE ROUNDS BIN [BIN...]
#   Each round runs the relay (`leadstream loadgen --baseline`), then each BIN's engine, each
#   for DURATION seconds at RATE events/s on fresh topics, the engine started just before its
#   run and stopped after it. Prints, per side, the median over rounds of the end-to-end p99,
#   mean, the p99 up to the output's creation and the engine's receipt-to-decision p99.
#   STORAGE     tansu storage: memory (default here: the broker's own cost out of the way) or
#               sqlite
#   DURATION    seconds per run (default 15)
#   WARMUP      seconds between an engine's start and its run (default 8: with Kafka each shard
#               is a member of the group, and tansu takes up to ~6 s to settle two members;
#               BENCHMARKS.md "Shards consume their partitions")
#   RELAY_CONSUMERS  consumers of the relay, each with its share of the partitions
#               (default 1; the engine's shards are each a consumer, `--shards`, default 2)
#   LOADGEN     the binary whose loadgen drives every run (default: the first BIN)
#   OUT         directory for the JSON reports (default target/loadgen-ab)
set -euo pipefail
cd "$(dirname "$0")/.."

RATE=${1:?rate}
ROUNDS=${2:?rounds}
shift 2
[ $# -gt 0 ] || { echo "usage: $0 RATE ROUNDS BIN [BIN...]" >&2; exit 2; }
BINS=("$@")
STORAGE="${STORAGE:-memory}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-8}"
RELAY_CONSUMERS="${RELAY_CONSUMERS:-1}"
RELAY_FLAGS=()
# Only when asked: loadgen builds before 2026-12-08 do not know the flag.
[ "$RELAY_CONSUMERS" = 1 ] || RELAY_FLAGS=(--relay-consumers "$RELAY_CONSUMERS")
LOADGEN="${LOADGEN:-${BINS[0]}}"
OUT="${OUT:-target/loadgen-ab}"
mkdir -p "$OUT"
# shellcheck source=scripts/bench_broker.sh
source scripts/bench_broker.sh
CLIENT=(--kafka linger.ms=20)
LOAD=("$LOADGEN" loadgen --brokers "$BROKERS" --rate "$RATE" --duration "$DURATION" --quiet
    --pacing sleep "${CLIENT[@]}")

for round in $(seq "$ROUNDS"); do
    echo "ab: round $round of $ROUNDS at $RATE events/s; $(uptime)" >&2
    t="ab$round-relay"
    "${LOAD[@]}" --report "$OUT/relay-$round.json" --baseline "${RELAY_FLAGS[@]}" \
        --events-topic "$t-events" \
        --relay-topic "$t-out" --relay-alerts-topic "$t-alerts" >/dev/null
    for i in "${!BINS[@]}"; do
        t="ab$round-engine$i"
        "${BINS[$i]}" run --brokers "$BROKERS" --group "$t" --events-topic "$t-events" \
            --decisions-topic "$t-decisions" --alerts-topic "$t-alerts" \
            --dead-letter-topic "$t-dlq" --kafka fetch.wait.max.ms=10 "${CLIENT[@]}" --quiet \
            >"$OUT/engine$i-$round.log" 2>&1 &
        ENGINE_PID=$!
        sleep "$WARMUP"
        "${LOAD[@]}" --report "$OUT/engine$i-$round.json" --events-topic "$t-events" \
            --decisions-topic "$t-decisions" --alerts-topic "$t-alerts" >/dev/null
        kill "$ENGINE_PID"
        wait "$ENGINE_PID" || true
        ENGINE_PID=""
    done
done

python3 - "$OUT" "$ROUNDS" "${BINS[@]}" <<'PY'
import json, statistics, sys
out, rounds, bins = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
sides = [("relay", "relay")] + [(f"engine{i}", b) for i, b in enumerate(bins)]
print("| side | runs | e2e p99 ms, median (each run) | mean ms | p99 to output created ms | engine receipt-to-decision p99 us |")
print("|---|---:|---|---:|---:|---:|")
for side, name in sides:
    reps = [json.load(open(f"{out}/{side}-{r}.json")) for r in range(1, rounds + 1)]
    med = lambda f: statistics.median(f(x) for x in reps)
    p99 = [x["latency"]["p99_ns"] / 1e6 for x in reps]
    each = " ".join(f"{v:.1f}" for v in p99)
    rd = med(lambda x: x["engine_receipt_to_decision"]["p99_ns"] / 1e3)
    print(f"| {name} | {len(reps)} | {statistics.median(p99):.1f} ({each}) "
          f"| {med(lambda x: x['latency']['mean_ns'] / 1e6):.2f} "
          f"| {med(lambda x: x['latency_to_output_created']['p99_ns'] / 1e6):.1f} "
          f"| {'' if side == 'relay' else f'{rd:.0f}'} |")
PY
