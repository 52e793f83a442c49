#!/usr/bin/env bash
# The soak and many-documents tests at CI size, against the release server:
# 100,000 random edits over five templates with interleaved requests and cancels, each
# document compared with a fresh open of its text every ~17,000 edits and at the end;
# then 500 templates opened and closed, twice, with the server's memory read from
# /proc. Figures (edits, requests, comparisons, RSS) are printed. Scale with SOAK_EDITS
# and SOAK_DOCUMENTS.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
APIGW_LSP_BIN=$PWD/target/release/apigw-lsp SOAK_EDITS=${SOAK_EDITS:-100000} SOAK_DOCUMENTS=${SOAK_DOCUMENTS:-500} \
    cargo test --locked -p apigw-lsp --test soak -- --nocapture --test-threads 1 2>&1 \
    | grep -E "soak:|many documents|test result|panicked|differ|RSS grew|did not return|grows" || true
test "${PIPESTATUS[0]}" -eq 0
