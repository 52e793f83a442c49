#!/usr/bin/env bash
# The VS Code extension in a real VS Code: code-server 4.100.3 (Code 1.100.3) in headless
# Debian chromium, driven by playwright-core. Installs what it needs on first run into
# target/editor-tests/vscode/ (plus apt packages), packages the .vsix with the release
# server bundled, installs it, and runs editors/vscode/test/e2e.cjs.
#
# Needs Rust, node 20 + npm, python3, and apt (as root or through sudo) on Debian/Ubuntu.
# Everything npm, node-gyp and code-server download or cache stays under
# target/editor-tests/vscode/, so a second run reuses it and skips the installs.
#
# APIGW_VSCODE_CHROMIUM=/path is the Chromium playwright drives (default /usr/bin/chromium,
# installed with apt when missing). tests/script-failures.sh points it at a stub and puts
# stub `npm`, `node`, `dpkg` and `rg` first on PATH (and a stub code-server in target/) to
# check that a failing step fails this script.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$repo/target/editor-tests/vscode
logs=$work/logs
mkdir -p "$work" "$logs"
started=$SECONDS

step() { echo "-- vscode [$((SECONDS - started))s]: $*"; }
fail() {
    echo "FAILED (vscode): $*" >&2
    exit 1
}
# run NAME CMD...: runs CMD with its output in $logs/NAME.log; on failure, says which
# step failed and shows the end of the log.
run() {
    local name=$1
    shift
    if ! "$@" >"$logs/$name.log" 2>&1; then
        echo "FAILED (vscode): step '$name' ($*); last lines of $logs/$name.log:" >&2
        tail -n 40 "$logs/$name.log" >&2
        exit 1
    fi
}

# shellcheck source=tests/editors/lib/code-server.sh
source tests/editors/lib/code-server.sh
code_server_install

if [[ ! -x target/release/apigw-lsp ]]; then
    step "cargo build --release --locked"
    cargo build --release --locked
fi


step "build and package the extension (npm ci, tsc, esbuild, vsce)"
vsix=$repo/editors/vscode/apigw-lsp.vsix
rm -f "$vsix"
(cd editors/vscode && run extension-npm-ci npm ci && run extension-package npm run package)
[[ -f $vsix ]] || fail "npm run package produced no $vsix"
python3 - "$vsix" <<'PY' || fail "the .vsix lacks extension/server/apigw-lsp or extension/dist/extension.js"
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
sys.exit(0 if {"extension/server/apigw-lsp", "extension/dist/extension.js"} <= names else 1)
PY

step "install the .vsix into a fresh code-server profile"
profile=$work/profile
rm -rf "$profile" && mkdir -p "$profile/data/User" "$profile/ext"
cat >"$profile/config.yaml" <<YAML
bind-addr: 127.0.0.1:0
auth: none
cert: false
YAML
cat >"$profile/data/User/settings.json" <<JSON
{"workbench.startupEditor": "none", "security.workspace.trust.enabled": false,
 "telemetry.telemetryLevel": "off", "extensions.autoUpdate": false, "extensions.autoCheckUpdates": false,
 "update.mode": "none", "workbench.tips.enabled": false, "git.openRepositoryInParentFolders": "never",
 "[jsonc]": {"editor.autoClosingBrackets": "never", "editor.autoClosingQuotes": "never",
   "editor.quickSuggestions": {"other": false, "comments": false, "strings": false},
   "editor.suggestOnTriggerCharacters": false, "editor.formatOnType": false},
 "apigwLsp.trace.server": "verbose"}
JSON
run install-vsix "$code_server" --config "$profile/config.yaml" --extensions-dir "$profile/ext" \
    --user-data-dir "$profile/data" --install-extension "$vsix"
grep -q "apigw-lsp" "$logs/install-vsix.log" || fail "code-server did not report installing the extension"

workspace=$work/workspace
rm -rf "$workspace" && mkdir -p "$workspace"
cp editors/vscode/test/template.yaml "$workspace/template.yaml"
cp tests/editors/api.tf "$workspace/api.tf"

code_server_serve "$profile" "$workspace" "$logs/code-server.log"

step "drive VS Code in headless chromium with playwright"
shots=$work/screenshots
rm -rf "$shots" && mkdir -p "$shots"
if ! PLAYWRIGHT_DIR=$pw URL="http://127.0.0.1:$port/?folder=$workspace" SCREENSHOTS=$shots WORKSPACE=$workspace \
    CHROMIUM=$chromium node editors/vscode/test/e2e.cjs; then
    echo "-- code-server log (end):" >&2
    tail -n 30 "$logs/code-server.log" >&2
    client_log=$(find "$profile/data/logs" -name '*apigw-lsp*.log' -print -quit 2>/dev/null) || client_log=
    if [[ -n $client_log ]]; then
        echo "-- apigw-lsp output channel ($client_log, end):" >&2
        tail -n 30 "$client_log" >&2
    fi
    fail "the VS Code end-to-end steps failed (screenshots in $shots)"
fi
step "passed; screenshots in $shots"
