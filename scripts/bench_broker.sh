# Sourced by the broker benchmarks (loadgen_bench.sh, loadgen_ab.sh), not run: starts a tansu
# broker of its own on a free loopback port with STORAGE (sqlite or memory) in a temporary
# directory, and on exit stops the engine the caller started (ENGINE_PID, if set) and the
# broker and removes the directory.
# Sets DIR (the temporary directory), BROKERS (HOST:PORT), TANSU_PID and ENGINE_PID ("").
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
BROKERS="$(TANSU_STORAGE="$STORAGE" scripts/tansu.sh start "$PORT" "$DIR/tansu")"
TANSU_PID="$(cat "$DIR/tansu/tansu.pid")"
