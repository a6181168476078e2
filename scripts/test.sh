#!/usr/bin/env bash
# The full test suite, as the README gives it and CI runs it: installs what the tests need on a
# fresh machine, then runs formatting, lint and every test, with a real Kafka-protocol broker
# (tansu, installed once and reused) for the Kafka tests and the kafka-python interop check.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== toolchain =="
cargo --version
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== cargo fmt --check =="
cargo fmt --all -- --check

echo "== cargo clippy =="
cargo clippy --all-targets -- -D warnings

echo "== cargo doc (broken intra-doc links fail) =="
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet

echo "== broker (tansu) =="
scripts/tansu.sh install
TANSU_PORT=${LEADSTREAM_TANSU_PORT:-19092}
TANSU_DIR=target/tansu-test
scripts/tansu.sh stop "$TANSU_DIR"
LEADSTREAM_TEST_BROKERS=$(scripts/tansu.sh start "$TANSU_PORT" "$TANSU_DIR")
export LEADSTREAM_TEST_BROKERS
ENGINE_PID=
cleanup() {
    if [[ -n "$ENGINE_PID" ]]; then kill "$ENGINE_PID" 2>/dev/null || true; fi
    scripts/tansu.sh stop "$TANSU_DIR"
}
trap cleanup EXIT
echo "broker at $LEADSTREAM_TEST_BROKERS"

echo "== cargo test =="
cargo test --all-targets
cargo test --doc

echo "== interop: kafka-python producing events and consuming decisions =="
python3 -c "import kafka" 2>/dev/null || python3 -m pip install --quiet kafka-python
cargo build --quiet
RUN=interop-$$-$RANDOM
target/debug/leadstream run --quiet --brokers "$LEADSTREAM_TEST_BROKERS" --group "$RUN" \
    --events-topic "$RUN-events" --decisions-topic "$RUN-decisions" \
    --alerts-topic "$RUN-alerts" --dead-letter-topic "$RUN-dlq" \
    --kafka fetch.wait.max.ms=10 &
ENGINE_PID=$!
# The engine creates its topics at start; wait for them before producing.
for _ in $(seq 100); do
    if python3 - "$LEADSTREAM_TEST_BROKERS" "$RUN-decisions" <<'PY' 2>/dev/null; then break; fi
import sys
from kafka import KafkaConsumer
c = KafkaConsumer(bootstrap_servers=sys.argv[1])
sys.exit(0 if sys.argv[2] in c.topics() else 1)
PY
    sleep 0.2
done
python3 scripts/kafka_python_interop.py --brokers "$LEADSTREAM_TEST_BROKERS" \
    --events-topic "$RUN-events" --decisions-topic "$RUN-decisions" --count 200
kill -TERM "$ENGINE_PID"
wait "$ENGINE_PID"
ENGINE_PID=
echo "engine stopped cleanly on SIGTERM"

echo "== dashboards: every Grafana panel query returns data from a real Prometheus =="
# Reuses this script's broker; installs Debian's prometheus if missing.
KAFKA=1 BROKERS="$LEADSTREAM_TEST_BROKERS" scripts/prometheus_check.sh
