#!/usr/bin/env bash
# The editor registry entries, ready to submit:
#   - Mason: editors/mason/package.yaml against the registry schema's rules and this project
#     (tests/packaging/check_mason.py); with MASON_SCHEMA_DIR set to the `schemas` folder of a
#     mason-org/registry-schema checkout, also against that schema with jsonschema;
#   - nvim-lspconfig: editors/neovim/lsp/apigw_lsp.lua in lspconfig's shape (---@brief doc
#     block with the homepage, ---@type vim.lsp.Config, cmd/filetypes/root_markers) and
#     formatted with lspconfig's stylua rules;
#   - Helix: the [language-server] line of editors/helix/upstream.toml matches the server
#     definition in editors/helix/languages.toml;
#   - every published version agrees: the Cargo workspace, the VS Code and Zed extensions,
#     the Mason source.
# Installs PyYAML, jsonschema (tests/packaging/requirements.txt) and stylua (npm) into
# target/packaging/.
set -euo pipefail
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/packaging/lib.sh"
cd "$repo"

tools
version=$(workspace_version)

step "Mason package.yaml"
run mason python tests/packaging/check_mason.py editors/mason/package.yaml .github/workflows/release.yml \
    "$version" ${MASON_SCHEMA_DIR:+"$MASON_SCHEMA_DIR"}
if [[ -n ${MASON_SCHEMA_DIR:-} ]]; then
    grep -q "validated against the registry schema" "$pack/logs/mason.log" || fail "the schema was not used"
    pass "editors/mason/package.yaml: the registry schema in $MASON_SCHEMA_DIR, the release assets, the version"
else
    pass "editors/mason/package.yaml: the registry schema's rules (no MASON_SCHEMA_DIR), the release assets, the version"
fi

step "nvim-lspconfig: editors/neovim/lsp/apigw_lsp.lua"
lsp=editors/neovim/lsp/apigw_lsp.lua
python3 - "$lsp" <<'PY' || fail "$lsp is not in nvim-lspconfig's shape"
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
lines = text.splitlines()
assert lines[0] == "---@brief", "the first line is not ---@brief"
assert lines[1] == "---" and lines[2] == "--- https://github.com/apigw-lsp/apigw-lsp", "no homepage after ---@brief"
i = lines.index("return {")
assert lines[i - 1] == "---@type vim.lsp.Config", "no ---@type vim.lsp.Config before return"
body = "\n".join(lines[i:])
for key, value in (("cmd", "{ 'apigw-lsp' }"),
                   ("filetypes", "{ 'yaml', 'json', 'jsonc', 'terraform', 'hcl' }"),
                   ("root_markers", "{ '.apigw-lsp.toml', '.git' }")):
    assert f"  {key} = {value}," in body, f"{key} is not {value}"
PY
stylua_dir=$pack/stylua
if [[ ! -x $stylua_dir/node_modules/.bin/stylua ]]; then
    step "npm install @johnnymorganz/stylua-bin"
    mkdir -p "$stylua_dir"
    (cd "$stylua_dir" && npm_config_cache=$pack/npm-cache run stylua-npm \
        npm install --no-save --no-package-lock --no-fund --no-audit @johnnymorganz/stylua-bin@2.5.2)
fi
run stylua "$stylua_dir/node_modules/.bin/stylua" --config-path tests/packaging/lspconfig.stylua.toml --check "$lsp"
pass "$lsp: ---@brief with the homepage, ---@type vim.lsp.Config, the three fields, stylua-clean with lspconfig's rules"

step "Helix [language-server] line, Zed manifest, versions"
python3 - "$version" <<'PY' || fail "the Helix line, the Zed manifest or a version"
import json, re, sys, tomllib
version = sys.argv[1]
upstream = tomllib.load(open("editors/helix/upstream.toml", "rb"))
ours = tomllib.load(open("editors/helix/languages.toml", "rb"))
assert upstream == {"language-server": {"apigw-lsp": {"command": "apigw-lsp"}}}, upstream
assert ours["language-server"]["apigw-lsp"]["command"] == "apigw-lsp"
line = [l for l in open("editors/helix/upstream.toml") if not l.startswith(("#", "["))]
assert [l.strip() for l in line if l.strip()] == ['apigw-lsp = { command = "apigw-lsp" }'], line
zed = tomllib.load(open("editors/zed/extension.toml", "rb"))
zed_crate = tomllib.load(open("editors/zed/Cargo.toml", "rb"))["package"]
vscode = json.load(open("editors/vscode/package.json"))
mason = open("editors/mason/package.yaml").read()
found = {
    "editors/zed/extension.toml": zed["version"],
    "editors/zed/Cargo.toml": zed_crate["version"],
    "editors/vscode/package.json": vscode["version"],
    "editors/mason/package.yaml": re.search(r"pkg:github/apigw-lsp/apigw-lsp@v(\S+)", mason).group(1),
}
wrong = {k: v for k, v in found.items() if v != version}
assert not wrong, f"not the workspace version {version}: {wrong}"
assert zed["repository"] == vscode["repository"]["url"] == "https://github.com/apigw-lsp/apigw-lsp"
import os
assert os.path.isfile("editors/zed/LICENSE"), "the Zed extension registry wants a license file in editors/zed"
PY
pass "Helix: apigw-lsp = { command = \"apigw-lsp\" }; Zed manifest and license; all at version $version"
echo "PASS registries ($((SECONDS - test_started)) s)"
