# shellcheck shell=bash
# code-server 4.100.3 (VS Code 1.100.3) and playwright-core for the VS Code tests
# (tests/editors/vscode.sh, tests/release.sh); sourced, not run. The caller defines
#   step MSG, fail MSG, run NAME CMD... (as in vscode.sh) and sets `work` (the folder
# everything is installed into: target/editor-tests/vscode, shared by both tests) and
# `logs`.
#   code_server_install           apt packages (chromium, libkrb5-dev, ripgrep), code-server
#                                 and playwright-core; sets code_server, pw and chromium
#                                 (APIGW_VSCODE_CHROMIUM, default /usr/bin/chromium)
#   code_server_serve PROFILE WORKSPACE LOG [WRAPPER...]
#                                 serves WORKSPACE with the profile's config, extensions
#                                 and user data on a free loopback port, in its own
#                                 session, started through WRAPPER when given; sets port
#                                 and server_pid, and stops it on EXIT

code_server_install() {
    : "${work:?the caller sets work}"
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

    # Keep npm's cache, node-gyp's headers and anything else written to XDG folders in here.
    export npm_config_cache=$work/npm-cache npm_config_devdir=$work/node-gyp
    export XDG_CACHE_HOME=$work/xdg/cache XDG_CONFIG_HOME=$work/xdg/config XDG_DATA_HOME=$work/xdg/data
    export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
    # Native modules (node-pty, spdlog, kerberos, argon2) build against the running node's own
    # headers when it has them, instead of downloading headers.
    local node_bin
    node_bin=$(command -v node) || fail "node is not on PATH (node 20 and npm are needed)"
    node_prefix=$(dirname "$(dirname "$node_bin")")
    if [[ -z ${npm_config_nodedir:-} && -f $node_prefix/include/node/node.h ]]; then
        export npm_config_nodedir=$node_prefix
    fi

    cs=$work/cs
    code_server=$cs/node_modules/.bin/code-server
    # Not installed, or another version, when this fails or prints something else.
    local installed
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
}

code_server_serve() {
    local profile=$1 workspace=$2 log=$3
    shift 3
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    step "serve code-server on 127.0.0.1:$port"
    # Its own session (process group), so the trap can stop it with everything it started.
    setsid "$@" "$code_server" --config "$profile/config.yaml" --extensions-dir "$profile/ext" \
        --user-data-dir "$profile/data" --auth none --bind-addr "127.0.0.1:$port" \
        --disable-telemetry --disable-update-check --disable-workspace-trust \
        "$workspace" >"$log" 2>&1 &
    server_pid=$!
    # shellcheck disable=SC2317,SC2329 # called by the trap
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
        tail -n 40 "$log" >&2
        fail "code-server did not answer on 127.0.0.1:$port within 60 s (log above)"
    fi
}
