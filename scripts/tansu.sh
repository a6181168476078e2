#!/usr/bin/env bash
# A real Kafka-protocol broker on loopback for tests and benchmarks: tansu 0.6.0 (crates.io).
#
#   scripts/tansu.sh install            install tansu if missing (reuses ~/.cargo/bin/tansu)
#   scripts/tansu.sh start [PORT] [DIR] start a broker on 127.0.0.1:PORT (default 19092) storing
#                                       in DIR/tansu.db (default target/tansu); waits until it
#                                       accepts connections; prints HOST:PORT
#   scripts/tansu.sh stop [DIR]         stop the broker started with DIR
#
# TANSU_STORAGE=memory starts it with memory storage instead (faster; only for benchmarks that
# never resume a consumer: see below).
# tansu's plain install has no storage engine: it is installed with the dynostore and libsql
# features (about 9 minutes on 2 cores). sqlite storage (not memory://) because memory storage
# loses the rest of a batch when a consumer resumes from an offset inside it. Topics are not
# auto-created.
set -euo pipefail

TANSU_VERSION=0.6.0

tansu_bin() {
    if [[ -x "${CARGO_HOME:-$HOME/.cargo}/bin/tansu" ]]; then
        echo "${CARGO_HOME:-$HOME/.cargo}/bin/tansu"
    elif command -v tansu >/dev/null 2>&1; then
        command -v tansu
    else
        return 1
    fi
}

install() {
    if bin=$(tansu_bin) && "$bin" --version 2>/dev/null | grep -q "$TANSU_VERSION"; then
        echo "tansu $TANSU_VERSION already installed at $bin" >&2
        return 0
    fi
    echo "installing tansu $TANSU_VERSION (several minutes)..." >&2
    cargo install tansu --version "$TANSU_VERSION" --locked --features dynostore,libsql >&2
}

wait_port() {
    local port=$1 pid=$2 deadline=$((SECONDS + 60))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    return 1
}

start() {
    local port=${1:-19092} dir=${2:-target/tansu}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    local bin
    bin=$(tansu_bin) || { echo "tansu is not installed: run scripts/tansu.sh install" >&2; exit 1; }
    if [[ -f "$dir/tansu.pid" ]] && kill -0 "$(cat "$dir/tansu.pid")" 2>/dev/null; then
        echo "a broker is already running from $dir (pid $(cat "$dir/tansu.pid"))" >&2
        exit 1
    fi
    rm -f "$dir"/tansu.db*
    local storage="sqlite://tansu.db"
    [[ "${TANSU_STORAGE:-sqlite}" == memory ]] && storage="memory://tansu/"
    # tansu resolves the sqlite path against its working directory: run it from $dir.
    (cd "$dir" && exec nohup "$bin" broker \
        --listener-url "tcp://127.0.0.1:$port" \
        --advertised-listener-url "tcp://127.0.0.1:$port" \
        --storage-engine "$storage" \
        >"$dir/tansu.log" 2>&1) &
    echo $! >"$dir/tansu.pid"
    if ! wait_port "$port" "$!"; then
        echo "tansu did not accept connections on 127.0.0.1:$port; log:" >&2
        tail -20 "$dir/tansu.log" >&2 || true
        stop "$dir"
        exit 1
    fi
    echo "127.0.0.1:$port"
}

stop() {
    local dir=${1:-target/tansu}
    [[ -f "$dir/tansu.pid" ]] || return 0
    local pid
    pid=$(cat "$dir/tansu.pid")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/tansu.pid"
}

case "${1:-}" in
    install) install ;;
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    *) echo "usage: $0 install | start [PORT] [DIR] | stop [DIR]" >&2; exit 2 ;;
esac
