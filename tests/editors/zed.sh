#!/usr/bin/env bash
# The Zed extension: builds it for wasm32-wasip2 as Zed does (no Zed binary can be had
# here), and checks the manifest. Falls back to `cargo check` on the host, saying so,
# when the wasm target cannot be added.
set -euo pipefail
cd "$(dirname "$0")/../../editors/zed"

grep -q '^\[language_servers.apigw-lsp\]' extension.toml || { echo "FAIL extension.toml lacks the server"; exit 1; }
grep -q '^languages = \["YAML", "JSON"' extension.toml || { echo "FAIL extension.toml lacks YAML/JSON"; exit 1; }
echo "PASS extension.toml declares apigw-lsp for YAML and JSON"

if rustup target list --installed 2>/dev/null | grep -q wasm32-wasip2 || rustup target add wasm32-wasip2 >/dev/null 2>&1; then
    cargo build --release --locked --target wasm32-wasip2
    wasm=target/wasm32-wasip2/release/zed_apigw_lsp.wasm
    [[ -s $wasm ]] || { echo "FAIL no $wasm"; exit 1; }
    # A component exporting Zed's extension world.
    grep -aq "zed:extension" "$wasm" || { echo "FAIL $wasm does not carry the zed:extension world"; exit 1; }
    echo "PASS built $wasm ($(stat -c %s "$wasm") bytes)"
else
    echo "NOTE: the wasm32-wasip2 target could not be added; checking on the host instead"
    cargo check --locked
    echo "PASS cargo check on the host"
fi
