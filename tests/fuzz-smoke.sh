#!/usr/bin/env bash
# Fuzz smoke: each cargo-fuzz target for a few seconds from the committed seeds.
# Needs a nightly toolchain (cargo fuzz instruments with sanitizer flags); without one it
# says so and stops. The saved corpora and regressions are replayed by `cargo test`
# either way (server/tests/fuzz_replay.rs).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-5}

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "SKIP fuzz smoke: no nightly toolchain (the corpus replay in cargo test still ran)"
    exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "-- fuzz: cargo install cargo-fuzz"
    cargo install --locked cargo-fuzz >/dev/null 2>&1
fi
# Fuzz into a scratch copy so the committed seed folders stay as they are.
scratch=target/smoke-corpus
for target in edits analyze expression check frames; do
    rm -rf "$scratch/$target" && mkdir -p "$scratch/$target"
    cp corpus/"$target"/* "$scratch/$target/"
    echo "-- fuzz: $target for ${seconds}s"
    cargo +nightly fuzz run "$target" "$scratch/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 2>&1 \
        | grep -E "Done [0-9]+ runs|ERROR|SUMMARY|panicked|Test unit written" || true
    test "${PIPESTATUS[0]}" -eq 0 || { echo "FAIL fuzz target $target"; exit 1; }
done
