#!/usr/bin/env bash
# Fuzz smoke: each cargo-fuzz target for a few seconds (FUZZ_SECONDS, default 5) from
# the committed seeds only (corpus/<target>/seed-*, copied to a scratch folder), so the
# run is the same on every machine and the corpus folders stay as they are. Needs a
# nightly toolchain (cargo fuzz instruments with sanitizer flags); without one it says so
# and stops. The saved corpora and regressions are replayed by `cargo test` either way
# (server/tests/fuzz_replay.rs).
#
# Each step's full output is kept in fuzz/target/smoke-logs/ (install, build, one per
# target); a failing step prints the end of its log. tests/script-failures.sh runs this
# script with stub `rustup` and `cargo` first on PATH to check that a failing install,
# build or fuzz run fails it.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${FUZZ_SECONDS:-5}
targets=(edits analyze expression check frames)
logs=target/smoke-logs
scratch=target/smoke-corpus
mkdir -p "$logs"

fail() { # message, log
    echo "-- fuzz: end of fuzz/$2:"
    tail -n 40 "$2" || true
    echo "FAIL fuzz smoke: $1"
    exit 1
}

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "SKIP fuzz smoke: no nightly toolchain (the corpus replay in cargo test still ran)"
    exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "-- fuzz: cargo install --locked cargo-fuzz"
    cargo install --locked cargo-fuzz >"$logs/install.log" 2>&1 \
        || fail "cargo install --locked cargo-fuzz" "$logs/install.log"
fi
# Built once up front, so that a build failure is reported as one, apart from the runs.
echo "-- fuzz: cargo +nightly fuzz build (address sanitizer)"
cargo +nightly fuzz build >"$logs/build.log" 2>&1 || fail "cargo +nightly fuzz build" "$logs/build.log"

for target in "${targets[@]}"; do
    rm -rf "${scratch:?}/$target" && mkdir -p "$scratch/$target"
    cp corpus/"$target"/seed-* "$scratch/$target/"
    echo "-- fuzz: $target for ${seconds}s"
    log=$logs/$target.log
    # pipefail makes the pipeline's status cargo's when cargo fails; the filter's own
    # status (no matching line) is not a failure.
    status=0
    cargo +nightly fuzz run "$target" "$scratch/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 2>&1 \
        | tee "$log" \
        | { grep --line-buffered -E "Done [0-9]+ runs|ERROR|SUMMARY|panicked|Test unit written" || true; } \
        || status=$?
    ((status == 0)) || fail "fuzz target $target (cargo fuzz run exited with status $status)" "$log"
    # libFuzzer ends a run that reached -max_total_time with "Done N runs in S second(s)".
    grep -q "Done [0-9]* runs" "$log" || fail "fuzz target $target: no 'Done N runs' line, libFuzzer did not run" "$log"
done
echo "PASS fuzz smoke: ${#targets[@]} targets, ${seconds}s each"
