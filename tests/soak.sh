#!/usr/bin/env bash
# The soak and many-documents tests at CI size, against the release server:
# 20,000 random edits over several documents with interleaved requests, then 500
# templates opened and closed twice. Figures (edits, requests, RSS) are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -x target/release/apigw-lsp ]] || cargo build --release --locked
APIGW_LSP_BIN=$PWD/target/release/apigw-lsp SOAK_EDITS=${SOAK_EDITS:-20000} SOAK_DOCUMENTS=${SOAK_DOCUMENTS:-500} \
    cargo test --locked -p apigw-lsp --test soak -- --nocapture --test-threads 1 2>&1 \
    | grep -E "soak:|many documents|test result|panicked|FAILED|differ|RSS grew|did not return"
test "${PIPESTATUS[0]}" -eq 0
