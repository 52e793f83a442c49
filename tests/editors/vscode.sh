#!/usr/bin/env bash
# The VS Code extension in a real VS Code: code-server 4.100.3 (Code 1.100.3) in headless
# Debian chromium, driven by playwright-core. Installs what it needs on first run into
# target/editor-tests/vscode/ (plus apt packages), packages the .vsix with the release
# server bundled, installs it, and runs editors/vscode/test/e2e.cjs.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$repo/target/editor-tests/vscode
mkdir -p "$work"
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

step() { echo "-- vscode: $*"; }

if ! command -v chromium >/dev/null || ! command -v rg >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
    step "apt-get install chromium libkrb5-dev ripgrep"
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium libkrb5-dev ripgrep >/dev/null
fi

[[ -x target/release/apigw-lsp ]] || cargo build --release --locked

cs=$work/cs
if [[ "$("$cs/node_modules/.bin/code-server" --config /dev/null --version 2>/dev/null | head -1)" != 4.100.3* ]]; then
    step "install code-server 4.100.3 (recipe from the stack guide)"
    rm -rf "$cs" && mkdir -p "$cs"
    (
        cd "$cs"
        npm install --ignore-scripts --no-save code-server@4.100.3 >/dev/null
        cd node_modules/code-server/lib/vscode
        npm install --omit=dev --ignore-scripts >/dev/null
        mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
        npm rebuild >/dev/null 2>&1
        ln -sfn node_modules node_modules.asar
        (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
        (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
        (cd extensions && npm install --omit=dev >/dev/null)
        cd "$cs"
        npm rebuild argon2 >/dev/null 2>&1
    )
    "$cs/node_modules/.bin/code-server" --config /dev/null --version | head -1
fi

pw=$work/pw
if [[ ! -d $pw/node_modules/playwright-core ]]; then
    step "install playwright-core"
    mkdir -p "$pw" && (cd "$pw" && npm init -y >/dev/null && npm install --no-save playwright-core@1 >/dev/null)
fi

step "build and package the extension"
(
    cd editors/vscode
    npm ci >/dev/null
    npm run package >/dev/null
)
vsix=$repo/editors/vscode/apigw-lsp.vsix
[[ -f $vsix ]] || { echo "no .vsix was produced"; exit 1; }
python3 - "$vsix" <<'PY' || { echo "the .vsix lacks the bundled server"; exit 1; }
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
sys.exit(0 if "extension/server/apigw-lsp" in names else 1)
PY

step "install the .vsix into a fresh code-server profile"
profile=$work/profile
rm -rf "$profile" && mkdir -p "$profile/data/User" "$profile/ext"
cat > "$profile/config.yaml" <<YAML
bind-addr: 127.0.0.1:0
auth: none
cert: false
YAML
cat > "$profile/data/User/settings.json" <<JSON
{"workbench.startupEditor": "none", "security.workspace.trust.enabled": false,
 "telemetry.telemetryLevel": "off", "extensions.autoUpdate": false, "update.mode": "none",
 "workbench.tips.enabled": false, "apigwLsp.trace.server": "verbose"}
JSON
"$cs/node_modules/.bin/code-server" --config "$profile/config.yaml" --extensions-dir "$profile/ext" \
    --user-data-dir "$profile/data" --install-extension "$vsix" >/dev/null

workspace=$work/workspace
rm -rf "$workspace" && mkdir -p "$workspace"
cp editors/vscode/test/template.yaml "$workspace/template.yaml"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
step "serve code-server on port $port"
"$cs/node_modules/.bin/code-server" --config "$profile/config.yaml" --extensions-dir "$profile/ext" \
    --user-data-dir "$profile/data" --auth none --bind-addr "127.0.0.1:$port" \
    --disable-telemetry --disable-update-check --disable-workspace-trust \
    "$workspace" >"$work/code-server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
    python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
        "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 1
done

step "drive it with playwright"
mkdir -p "$work/screenshots"
PLAYWRIGHT_DIR=$pw URL="http://127.0.0.1:$port/?folder=$workspace" \
    SCREENSHOTS=$work/screenshots node editors/vscode/test/e2e.cjs
