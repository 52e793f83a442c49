#!/usr/bin/env bash
# The soak and many-documents tests at CI size, against the release server:
# 100,000 random edits over five templates with interleaved requests and cancels, each
# document compared with a fresh open of its text every ~17,000 edits and at the end;
# then 500 templates opened and closed, twice, with the server's memory read from
# /proc. Figures (edits, requests, comparisons, RSS) are printed. Scale with SOAK_EDITS
# and SOAK_DOCUMENTS.
#
# The full output goes to target/soak.log; the summary lines are shown as they come, and
# on failure the end of the log. tests/script-failures.sh runs this script with a stub
# `cargo` first on PATH (STUB_CARGO_FAIL=test) to check that a failing test fails it.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
log=$PWD/target/soak.log

fail() {
    echo "-- soak: end of $log:"
    tail -n 40 "$log" || true
    echo "FAIL soak: $*"
    exit 1
}

cargo build --release --locked --quiet
# pipefail makes the pipeline's status cargo's when cargo fails; the filter's own status
# (no matching line) is not a failure.
status=0
APIGW_LSP_BIN=$PWD/target/release/apigw-lsp SOAK_EDITS=${SOAK_EDITS:-100000} SOAK_DOCUMENTS=${SOAK_DOCUMENTS:-500} \
    cargo test --locked -p apigw-lsp --test soak -- --nocapture --test-threads 1 2>&1 \
    | tee "$log" \
    | { grep --line-buffered -E "soak:|many documents|test result|panicked|differ|RSS grew|did not return|grows" || true; } \
    || status=$?
((status == 0)) || fail "cargo test --test soak exited with status $status"
# Both tests ran (a filter or an #[ignore] would make cargo pass having run nothing).
grep -q 'soak: [0-9]* edits' "$log" || fail "the random-edit soak did not report (did it run?)"
grep -q 'many documents, round 1:' "$log" || fail "the many-documents test did not report (did it run?)"
echo "PASS soak"
