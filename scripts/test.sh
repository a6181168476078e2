#!/usr/bin/env bash
# The full test suite, as the README gives it and CI runs it: installs what the tests need on a
# fresh machine, then runs formatting, lint and every test.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== toolchain =="
cargo --version
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== cargo fmt --check =="
cargo fmt --all -- --check

echo "== cargo clippy =="
cargo clippy --all-targets -- -D warnings

echo "== cargo test =="
cargo test --all-targets
cargo test --doc
