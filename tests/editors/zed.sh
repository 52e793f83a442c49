#!/usr/bin/env bash
# The Zed extension. No Zed binary can be installed here, so this checks what Zed would
# load: extension.toml (parsed as TOML), and the crate built for wasm32-wasip2 as Zed's
# `install dev extension` does, into target/editor-tests/zed. When the wasm target cannot
# be added (or APIGW_ZED_HOST=1), it falls back to `cargo check` on the host and says so.
# Then the crate's unit tests run on the host (the release download's asset names).
# Run from anywhere. tests/script-failures.sh runs it with stub `rustup` and `cargo` first
# on PATH (and with APIGW_ZED_HOST=1) to check that a failing build fails it.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$repo/target/editor-tests/zed
mkdir -p "$work"
export CARGO_TARGET_DIR=$work/target
trap 'echo "FAIL zed: line $LINENO: $BASH_COMMAND"' ERR

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; exit 1; }

# The manifest, as Zed reads it.
python3 - editors/zed/extension.toml <<'PY' || fail "extension.toml"
import sys
try:
    import tomllib
except ImportError:  # Python < 3.11: the check below needs it
    print("NOTE: no tomllib in this Python; extension.toml checked by grep only")
    text = open(sys.argv[1]).read()
    assert '[language_servers.apigw-lsp]' in text and '"YAML"' in text and '"JSON"' in text
    assert '"Terraform" = "terraform"' in text and '"HCL" = "hcl"' in text
    sys.exit(0)
m = tomllib.load(open(sys.argv[1], "rb"))
for key in ("id", "name", "version", "schema_version", "description"):
    assert key in m, f"extension.toml lacks {key}"
assert m["schema_version"] == 1, "schema_version must be 1"
server = m.get("language_servers", {}).get("apigw-lsp")
assert server, "no [language_servers.apigw-lsp]"
# Zed's language names: YAML, JSON and JSONC are built in; Terraform (path_suffixes tf,
# tofu) and HCL (hcl) are the names in languages/{terraform,hcl}/config.toml of Zed's
# Terraform extension (zed-extensions/terraform), whose terraform-ls entry maps
# Terraform = "terraform". Zed matches these names exactly, case included.
expected = {"YAML": "yaml", "JSON": "json", "JSONC": "jsonc", "Terraform": "terraform", "HCL": "hcl"}
assert set(expected) <= set(server["languages"]), f"languages: {server['languages']}"
ids = server.get("language_ids", {})
wrong = {name: ids.get(name) for name, id in expected.items() if ids.get(name) != id}
assert not wrong, f"language_ids: {wrong} (want {expected})"
# Every language listed has its id: the server picks its reader (Terraform for
# terraform and hcl) from the id.
assert set(server["languages"]) == set(ids), f"languages {server['languages']} vs language_ids {ids}"
PY
pass "extension.toml declares the apigw-lsp server for YAML, JSON, JSONC, Terraform and HCL (ids yaml, json, jsonc, terraform, hcl)"

# The crate stays out of the root workspace, so `cargo test` at the root does not build it.
grep -q 'exclude = \[.*"editors/zed"' Cargo.toml || fail "the root Cargo.toml does not exclude editors/zed"
pass "editors/zed is excluded from the root workspace"

cd editors/zed
if [[ ${APIGW_ZED_HOST:-0} != 1 ]] && command -v rustup >/dev/null \
    && { rustup target list --installed | grep -x wasm32-wasip2 >/dev/null || rustup target add wasm32-wasip2; }; then
    cargo build --release --locked --target wasm32-wasip2
    wasm=$CARGO_TARGET_DIR/wasm32-wasip2/release/zed_apigw_lsp.wasm
    [[ -s $wasm ]] || fail "no $wasm"
    # A WebAssembly component (not a core module): "\0asm", then version 0x0d, layer 1.
    magic=$(head -c 8 "$wasm" | od -An -tx1 | tr -d ' \n')
    [[ $magic == 0061736d0d000100 ]] || fail "$wasm is not a WebAssembly component (it starts with $magic)"
    # Built against Zed's extension world, and exporting the extension's entry points.
    for name in "zed:extension" "language-server-command" "init-extension"; do
        grep -aq "$name" "$wasm" || fail "$wasm does not mention $name"
    done
    pass "built for wasm32-wasip2: $(stat -c %s "$wasm")-byte component with Zed's extension world"
else
    echo "NOTE: wasm32-wasip2 is not available (rustup target add failed, or APIGW_ZED_HOST=1):"
    echo "NOTE: checking the extension on the host instead; Zed itself builds it for wasm32-wasip2"
    cargo check --locked
    pass "cargo check on the host (not the wasm build)"
fi
# The extension's own logic on the host: the release asset it downloads for each platform
# is an archive .github/workflows/release.yml builds (release profile: reuses the build
# scripts and proc macros of the wasm build).
cargo test --release --locked
pass "host unit tests: each platform's release asset is one release.yml builds"
trap - ERR
echo "PASS zed"
