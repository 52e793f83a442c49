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

sudo=
((EUID == 0)) || sudo=sudo
chromium=${APIGW_VSCODE_CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]] || ! command -v rg >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
    step "apt-get install chromium libkrb5-dev ripgrep"
    run apt-update $sudo apt-get update -q
    run apt-install $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        chromium libkrb5-dev ripgrep
fi
[[ -x $chromium ]] || fail "$chromium is missing after apt-get install chromium"

if [[ ! -x target/release/apigw-lsp ]]; then
    step "cargo build --release --locked"
    cargo build --release --locked
fi

# Keep npm's cache, node-gyp's headers and anything else written to XDG folders in here.
export npm_config_cache=$work/npm-cache npm_config_devdir=$work/node-gyp
export XDG_CACHE_HOME=$work/xdg/cache XDG_CONFIG_HOME=$work/xdg/config XDG_DATA_HOME=$work/xdg/data
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# Native modules (node-pty, spdlog, kerberos, argon2) build against the running node's own
# headers when it has them, instead of downloading headers.
node_bin=$(command -v node) || fail "node is not on PATH (node 20 and npm are needed)"
node_prefix=$(dirname "$(dirname "$node_bin")")
if [[ -z ${npm_config_nodedir:-} && -f $node_prefix/include/node/node.h ]]; then
    export npm_config_nodedir=$node_prefix
fi

cs=$work/cs
code_server=$cs/node_modules/.bin/code-server
# Not installed, or another version, when this fails or prints something else.
installed=$("$code_server" --config /dev/null --version 2>/dev/null) || installed=
if [[ $installed != 4.100.3* ]]; then
    step "install code-server 4.100.3 (the stack guide's recipe)"
    rm -rf "$cs" && mkdir -p "$cs"
    vscode_dir=$cs/node_modules/code-server/lib/vscode
    (cd "$cs" && run code-server-npm npm install --ignore-scripts --no-save code-server@4.100.3)
    (cd "$vscode_dir" && run code-server-vscode-npm npm install --omit=dev --ignore-scripts)
    mkdir -p "$vscode_dir/node_modules/@vscode/ripgrep/bin"
    cp "$(command -v rg)" "$vscode_dir/node_modules/@vscode/ripgrep/bin/rg"
    (cd "$vscode_dir" && run code-server-rebuild npm rebuild)
    ln -sfn node_modules "$vscode_dir/node_modules.asar"
    ln -sfn code-linux.sh "$vscode_dir/bin/remote-cli/code-server"
    ln -sfn browser-linux.sh "$vscode_dir/bin/helpers/browser.sh"
    (cd "$vscode_dir/extensions" && run code-server-extensions-npm npm install --omit=dev)
    (cd "$cs" && run code-server-argon2 npm rebuild argon2)
    version=$("$code_server" --config /dev/null --version 2>&1) || true
    [[ $version == 4.100.3* ]] || fail "code-server does not start after installing: $version"
    version=${version%%$'\n'*}
    step "code-server $version"
fi

pw=$work/pw
if [[ ! -f $pw/node_modules/playwright-core/package.json ]]; then
    step "install playwright-core"
    mkdir -p "$pw"
    (cd "$pw" && run playwright-npm npm install --no-save --no-package-lock playwright-core@1.65.1)
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

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "serve code-server on 127.0.0.1:$port"
# Its own session (process group), so the trap can stop it with everything it started.
setsid "$code_server" --config "$profile/config.yaml" --extensions-dir "$profile/ext" \
    --user-data-dir "$profile/data" --auth none --bind-addr "127.0.0.1:$port" \
    --disable-telemetry --disable-update-check --disable-workspace-trust \
    "$workspace" >"$logs/code-server.log" 2>&1 &
server_pid=$!
stop_server() { kill -- "-$server_pid" 2>/dev/null || kill "$server_pid" 2>/dev/null || true; }
trap stop_server EXIT
healthy=
for _ in $(seq 1 60); do
    if python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
        "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
        healthy=1
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 1
done
if [[ -z $healthy ]]; then
    tail -n 40 "$logs/code-server.log" >&2
    fail "code-server did not answer on 127.0.0.1:$port within 60 s (log above)"
fi

step "drive VS Code in headless chromium with playwright"
shots=$work/screenshots
rm -rf "$shots" && mkdir -p "$shots"
if ! PLAYWRIGHT_DIR=$pw URL="http://127.0.0.1:$port/?folder=$workspace" SCREENSHOTS=$shots \
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
