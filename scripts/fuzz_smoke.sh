#!/usr/bin/env bash
# Bounded smoke run of the decoder fuzz target (cargo-fuzz, nightly): SECONDS (default 60) of
# libFuzzer from the seed corpus (docs/events.md examples). Exits non-zero on any crash.
# Needs: rustup nightly toolchain and `cargo install cargo-fuzz`.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
    exit 2
fi
# The working corpus lives in fuzz/corpus/ (git-ignored); seeds are copied in each run.
mkdir -p fuzz/corpus/decode
cp fuzz/seeds/*.json fuzz/corpus/decode/
cargo +nightly fuzz run decode fuzz/corpus/decode -- \
    -max_total_time="$secs" -max_len=4096 -timeout=10 -print_final_stats=1
