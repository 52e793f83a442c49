#!/usr/bin/env bash
# Proves that the test scripts can fail: runs each of them (tests/soak.sh,
# tests/fuzz-smoke.sh, tests/cdk-plugin.sh, tests/run-all, tests/editors/*.sh, .ci/run) in a scratch copy of the
# tree, with stubs first on PATH in place of cargo, rustup, hx, tmux, nvim, node, npm, dpkg
# and rg, and checks that the script exits non-zero with a recognisable message when the
# stubbed command fails, and passes when it succeeds (the controls, so that this test can
# fail too). Nothing is installed, built or started for real; it takes seconds.
# tests/run-all runs it first.
#
# The stubs are told what to do through STUB_* variables (see each stub below); the
# scripts' own override variables point them at stubs: APIGW_HELIX_HX (helix.sh),
# APIGW_NVIM_07 and APIGW_NVIM_011 (neovim.sh), APIGW_VSCODE_CHROMIUM (vscode.sh),
# APIGW_ZED_HOST (zed.sh), APIGW_SKIP_SCRIPT_FAILURES (run-all; set here so that the
# stubbed run-all does not start this test again).
#
#   tests/script-failures.sh            every case
#   tests/script-failures.sh soak ci    only the cases whose name starts with one of these
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
tmp=$(mktemp -d "${TMPDIR:-/tmp}/apigw-script-failures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
bin=$tmp/bin
mkdir -p "$bin" "$tmp/out"

# Settings from the caller's environment must not steer the scripts under test.
unset APIGW_HELIX_HX APIGW_NVIM_07 APIGW_NVIM_011 APIGW_VSCODE_CHROMIUM APIGW_ZED_HOST \
    APIGW_LSP_BIN CARGO_TARGET_DIR FUZZ_SECONDS SOAK_EDITS SOAK_DOCUMENTS
for var in $(compgen -v STUB_ || true); do unset "$var"; done
export APIGW_SKIP_SCRIPT_FAILURES=1

stub() { # name: the stub's text on stdin
    cat >"$bin/$1"
    chmod +x "$bin/$1"
}

# cargo: records each call in $STUB_LOG; exits 101 when one of the call's keys is in
# STUB_CARGO_FAIL (keys: the subcommand, e.g. `test`, `build`, `fmt`, `clippy`, `install`;
# `test:workspace` and `test:soak` for `cargo test --workspace` and `--test soak`;
# `fuzz-build` and `fuzz-run:TARGET`). STUB_CARGO_FUZZ=0: cargo-fuzz is not installed.
# STUB_CARGO_QUIET=1: succeeds without the output of a real run.
stub cargo <<'EOF'
#!/usr/bin/env bash
echo "cargo $*" >>"$STUB_LOG"
call="cargo $*"
[[ ${1:-} == +* ]] && shift
sub=${1:-}
keys=("$sub")
case $sub in
    fuzz)
        if [[ ${STUB_CARGO_FUZZ:-1} == 0 ]]; then
            echo "error: no such command: \`fuzz\`" >&2
            exit 101
        fi
        keys+=("fuzz-${2:-}")
        [[ ${2:-} == run ]] && keys+=("fuzz-run:${3:-}")
        ;;
    test)
        prev=
        for a in "$@"; do
            [[ $a == --workspace ]] && keys+=(test:workspace)
            [[ $prev == --test ]] && keys+=("test:$a")
            prev=$a
        done
        ;;
esac
for key in "${keys[@]}"; do
    for f in ${STUB_CARGO_FAIL:-}; do
        if [[ $key == "$f" ]]; then
            echo "stub $call: exit 101" >&2
            exit 101
        fi
    done
done
[[ ${STUB_CARGO_QUIET:-0} == 1 ]] && exit 0
case " ${keys[*]} " in
    *" test:soak "*)
        echo "soak: 10 edits, 20 requests (stub)"
        echo "many documents, round 0: 5 opened (stub)"
        echo "many documents, round 1: 5 opened (stub)"
        echo "test result: ok. 2 passed; 0 failed (stub)"
        ;;
    *" fuzz-run "*) echo "Done 10 runs in 1 second(s) (stub)" ;;
esac
exit 0
EOF

# rustup: `run nightly` works unless STUB_NIGHTLY=0; wasm32-wasip2 is installed.
stub rustup <<'EOF'
#!/usr/bin/env bash
echo "rustup $*" >>"$STUB_LOG"
case "${1:-} ${2:-}" in
    "run nightly") [[ ${STUB_NIGHTLY:-1} == 1 ]] || exit 1; echo "rustc 1.99.0-nightly (stub)" ;;
    "target list") printf 'x86_64-unknown-linux-gnu\nwasm32-wasip2\n' ;;
esac
exit 0
EOF

# hx: --version exits STUB_HX_VERSION_RC (default 0); --health finds apigw-lsp on PATH
# (and lists terraform-ls, not installed); as the editor (-vvv --log FILE) it writes the
# log lines helix.sh waits for, saves the edits, answers helix.sh's three server-text
# comparisons in the proxy's place, and exits STUB_HX_RC (default 0).
stub hx <<'EOF'
#!/usr/bin/env bash
echo "hx $*" >>"$STUB_LOG"
case ${1:-} in
    --version)
        rc=${STUB_HX_VERSION_RC:-0}
        ((rc == 0)) || { echo "stub hx --version: exit $rc" >&2; exit "$rc"; }
        echo "helix 25.01 (stub)"
        exit 0
        ;;
    --health)
        echo "✘ terraform-ls: 'terraform-ls' not found in \$PATH"
        echo "✓ apigw-lsp: $(command -v apigw-lsp)"
        exit 0
        ;;
esac
log=
while (($#)); do [[ $1 == --log ]] && log=$2; shift; done
cat >>"$log" <<'LOG'
apigw-lsp <- {"result":{"serverInfo":{"name":"apigw-lsp"}}}
apigw-lsp -> {"method":"initialize","params":{"initializationOptions":{"apigwLsp":{"severity":{"missing-credentials":"warning"}}}}}
apigw-lsp <- {"method":"textDocument/publishDiagnostics","params":{"diagnostics":[{"code":"missing-required-parameter"}],"uri":"file:///ws/template.yaml"}}
apigw-lsp -> {"method":"textDocument/completion"}
apigw-lsp <- {"result":[{"label":"DelaySeconds"}]}
apigw-lsp -> {"method":"textDocument/didChange","params":{"contentChanges":[{"range":{}}]}}
apigw-lsp <- {"method":"textDocument/publishDiagnostics","params":{"diagnostics":[{"code":"unknown-parameter","message":"`Delay`"}]}}
apigw-lsp -> {"method":"textDocument/didOpen","params":{"textDocument":{"languageId":"json"}}}
apigw-lsp <- {"method":"textDocument/publishDiagnostics","params":{"diagnostics":[{"code":"missing-required-parameter"}],"uri":"file:///ws/template.json"}}
apigw-lsp -> {"method":"textDocument/didOpen","params":{"textDocument":{"languageId":"terraform","uri":"file:///ws/api.tf"}}}
apigw-lsp <- {"method":"textDocument/publishDiagnostics","params":{"diagnostics":[{"code":"missing-required-parameter"}],"uri":"file:///ws/api.tf"}}
apigw-lsp -> {"method":"textDocument/completion","params":{"textDocument":{"uri":"file:///ws/api.tf"}},"id":7}
apigw-lsp <- {"result":[{"label":"MessageBody"},{"label":"MessageGroupId"}],"id":7}
apigw-lsp <- {"method":"textDocument/publishDiagnostics","params":{"diagnostics":[],"uri":"file:///ws/api.tf"}}
LOG
# The edits the test types, saved as Helix would save them, and the proxy's side of
# the server-text comparison: each request (helix.sh asks three times) is answered with
# the saved files themselves, so the comparison passes and the script reaches `:qa!`.
dir=$(dirname "$log")
: >>"$dir/frames.log"
printf '        MessageDeduplicationId: $context.requestId\n' >>template.yaml
printf '"Source": "orders.api"\n' >>template.json
printf '    MessageBody = "$request.body"\n' >>api.tf
served=0
for _ in $(seq 1 300); do
    if [[ -e $dir/dump/request ]]; then
        rm -f "$dir/dump/request"
        for name in template.yaml template.json api.tf; do
            cp "$name" "$dir/dump/$name"
            echo "1 1" >"$dir/dump/$name.version"
        done
        touch "$dir/dump/done"
        served=$((served + 1))
        ((served == 3)) && break
    fi
    sleep 0.1
done
exit "${STUB_HX_RC:-0}"
EOF

# tmux: new-session runs its command in the background (its own process group, recorded
# in $STUB_STATE), kill-server stops it; everything else succeeds doing nothing.
stub tmux <<'EOF'
#!/usr/bin/env bash
while [[ ${1:-} == -L ]]; do shift 2; done
case ${1:-} in
    new-session)
        setsid bash -c "${!#}" </dev/null >/dev/null 2>&1 &
        echo $! >"$STUB_STATE/tmux.pid"
        ;;
    kill-server)
        [[ -f $STUB_STATE/tmux.pid ]] && kill -- "-$(<"$STUB_STATE/tmux.pid")" 2>/dev/null
        rm -f "$STUB_STATE/tmux.pid"
        ;;
esac
exit 0
EOF

# nvim: --version exits STUB_NVIM_VERSION_RC (default 0); as e2e.lua's run it writes the
# server's "initialized" line into the LSP log (unless STUB_NVIM_LOG=0) and exits
# STUB_NVIM_RC (default 0).
stub nvim <<'EOF'
#!/usr/bin/env bash
echo "nvim $*" >>"$STUB_LOG"
if [[ ${1:-} == --version ]]; then
    rc=${STUB_NVIM_VERSION_RC:-0}
    ((rc == 0)) || { echo "stub nvim --version: exit $rc" >&2; exit "$rc"; }
    printf 'NVIM v0.11.4 (stub)\nBuild type: Release\n'
    exit 0
fi
if [[ ${STUB_NVIM_LOG:-1} == 1 ]]; then
    mkdir -p "$XDG_STATE_HOME/nvim"
    echo "[STDERR] 2025 INFO apigw_lsp::lsp: initialized (stub)" >>"$XDG_STATE_HOME/nvim/lsp.log"
fi
echo "stub e2e.lua ($APIGW_MODE): exit ${STUB_NVIM_RC:-0}"
exit "${STUB_NVIM_RC:-0}"
EOF

# node: exits STUB_NODE_RC (default 0).
stub node <<'EOF'
#!/usr/bin/env bash
echo "node $*" >>"$STUB_LOG"
echo "stub node $*: exit ${STUB_NODE_RC:-0}"
exit "${STUB_NODE_RC:-0}"
EOF

# npm: exits 1 when its subcommand is STUB_NPM_FAIL; `npm run package` writes a .vsix
# holding the two files vscode.sh looks for; `npm pack --pack-destination DIR` writes
# DIR/NAME-VERSION.tgz of package.json, README.md, LICENSE, index.js, index.d.ts and lib/
# (the CDK plugin's files, which cdk-plugin.sh looks for).
stub npm <<'EOF'
#!/usr/bin/env bash
echo "npm $*" >>"$STUB_LOG"
if [[ ${1:-} == "${STUB_NPM_FAIL:-}" ]]; then
    echo "stub npm $*: exit 1" >&2
    exit 1
fi
if [[ ${1:-} == pack ]]; then
    dest=. prev=
    for a in "$@"; do [[ $prev == --pack-destination ]] && dest=$a; prev=$a; done
    tgz=$(python3 -c 'import json; p = json.load(open("package.json")); print(p["name"].lstrip("@").replace("/", "-") + "-" + p["version"] + ".tgz")')
    tar -czf "$dest/$tgz" --transform 's,^,package/,' package.json README.md LICENSE index.js index.d.ts lib
fi
if [[ "$*" == "run package" ]]; then
    python3 -c 'import sys, zipfile
with zipfile.ZipFile("apigw-lsp.vsix", "w") as z:
    for n in ("extension/server/apigw-lsp", "extension/dist/extension.js"): z.writestr(n, "stub")'
fi
exit 0
EOF

# code-server (copied into the scratch tree where vscode.sh looks for an installed one):
# reports 4.100.3, "installs" the extension, and otherwise serves 200 on --bind-addr.
stub code-server <<'EOF'
#!/usr/bin/env bash
echo "code-server $*" >>"$STUB_LOG"
bind=
while (($#)); do
    case $1 in
        --version) echo "4.100.3 stub with Code 1.100.3"; exit 0 ;;
        --install-extension) echo "Extension 'apigw-lsp.vsix' was successfully installed."; exit 0 ;;
        --bind-addr) bind=$2 ;;
    esac
    shift
done
exec python3 -c 'import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "${bind##*:}"
EOF

for name in dpkg rg chromium; do
    printf '#!/usr/bin/env bash\nexit 0\n' | stub "$name"
done

# A scratch copy of what the scripts read (not server/ nor target/), with a stand-in
# release binary so that the editor scripts do not build one.
tree_of() { # case name
    local tree=$tmp/trees/$1
    mkdir -p "$tree/target/release"
    tar -C "$repo" --exclude=node_modules --exclude=target --exclude='*.vsix' \
        -cf - .ci tests editors integrations fuzz/corpus README.md Cargo.toml | tar -C "$tree" -xf -
    printf '#!/bin/sh\nexit 0\n' >"$tree/target/release/apigw-lsp"
    chmod +x "$tree/target/release/apigw-lsp"
    echo "$tree"
}

# vscode.sh with code-server and playwright-core already installed (stubs).
vscode_installed() { # tree
    local vs=$1/target/editor-tests/vscode
    mkdir -p "$vs/cs/node_modules/.bin" "$vs/pw/node_modules/playwright-core"
    cp "$bin/code-server" "$vs/cs/node_modules/.bin/code-server"
    echo '{}' >"$vs/pw/node_modules/playwright-core/package.json"
}

# The packaging tests (wheel, pre-commit, action, registries, release) and the CDK plugin
# test build and install for real; the runs of .ci/run that go through every script take
# stand-ins for them that record the call, so the wiring is checked (each runs once)
# without the installs.
PACKAGING=(wheel precommit action registries release cdk-plugin)
packaging_stubbed() { # tree
    local name
    for name in "${PACKAGING[@]}"; do
        # shellcheck disable=SC2016 # $STUB_LOG is for the stand-in to expand
        printf '#!/usr/bin/env bash\necho "packaging %s" >>"$STUB_LOG"\necho "PASS %s (stand-in)"\n' \
            "$name" "$name" >"$1/tests/$name.sh"
    done
}
ci_tree() { # tree
    vscode_installed "$1"
    packaging_stubbed "$1"
}

# Every override at once, for the runs that go through all the scripts.
all_stubbed=(APIGW_HELIX_HX="$bin/hx" APIGW_NVIM_07="$bin/nvim" APIGW_NVIM_011="$bin/nvim"
    APIGW_VSCODE_CHROMIUM="$bin/chromium" APIGW_ZED_HOST=1 FUZZ_SECONDS=1)

selected=("$@")
failures=()
ran=0
# check NAME WANT PATTERN [VAR=VALUE...] COMMAND...: runs COMMAND in a fresh scratch tree
# with the stubs first on PATH and the variables set, and checks its exit status (WANT:
# `fail` for non-zero, `pass` for zero, or a number) and that its output matches PATTERN
# (grep -E). $prepare, when set, is called with the tree first.
check() {
    local name=$1 want=$2 pattern=$3 tree out status=0 ok=1 s
    shift 3
    if ((${#selected[@]})); then
        local hit=0
        for s in "${selected[@]}"; do [[ $name == "$s"* ]] && hit=1; done
        ((hit)) || return 0
    fi
    ran=$((ran + 1))
    tree=$(tree_of "$name")
    [[ -z ${prepare:-} ]] || "$prepare" "$tree"
    out=$tmp/out/$name.log
    mkdir -p "$tmp/state/$name"
    : >"$tmp/out/$name.calls"
    (cd "$tree" && timeout 120 env PATH="$bin:$PATH" STUB_LOG="$tmp/out/$name.calls" \
        STUB_STATE="$tmp/state/$name" "$@") >"$out" 2>&1 </dev/null || status=$?
    case $want in
        fail) ((status != 0)) || ok=0 ;;
        pass) ((status == 0)) || ok=0 ;;
        *) ((status == want)) || ok=0 ;;
    esac
    grep -Eq -- "$pattern" "$out" || ok=0
    if ((ok)); then
        echo "ok   $name: exit $status, says: $(grep -Em1 -- "$pattern" "$out")"
    else
        echo "FAIL $name: wanted $want and output matching /$pattern/, got exit $status; output (end):"
        tail -n 25 "$out" | sed 's/^/     | /'
        failures+=("$name")
    fi
}

# The number of calls in case NAME's stub log matching PATTERN must be WANT.
calls() { # name want pattern what
    local n
    [[ -f $tmp/out/$1.calls ]] || return 0 # the case was not selected
    n=$(grep -Ec -- "$3" "$tmp/out/$1.calls") || n=0
    if ((n == $2)); then
        echo "ok   $1: $4 ($n)"
    else
        echo "FAIL $1: $4: wanted $2, got $n; calls:"
        sed 's/^/     | /' "$tmp/out/$1.calls"
        failures+=("$1")
    fi
}

# soak.sh
check soak-test-fails fail 'FAIL soak: cargo test --test soak exited with status 101' \
    STUB_CARGO_FAIL=test:soak bash tests/soak.sh
check soak-ran-nothing fail 'FAIL soak: the random-edit soak did not report' \
    STUB_CARGO_QUIET=1 bash tests/soak.sh
check soak-control pass '^PASS soak$' bash tests/soak.sh

# fuzz-smoke.sh
check fuzz-no-nightly pass '^SKIP fuzz smoke' STUB_NIGHTLY=0 bash tests/fuzz-smoke.sh
check fuzz-install-fails fail 'FAIL fuzz smoke: cargo install' \
    STUB_CARGO_FUZZ=0 STUB_CARGO_FAIL=install bash tests/fuzz-smoke.sh
check fuzz-build-fails fail 'FAIL fuzz smoke: cargo \+nightly fuzz build' \
    STUB_CARGO_FAIL=fuzz-build bash tests/fuzz-smoke.sh
check fuzz-run-fails fail 'FAIL fuzz smoke: fuzz target check \(cargo fuzz run exited with status 101\)' \
    STUB_CARGO_FAIL=fuzz-run:check bash tests/fuzz-smoke.sh
check fuzz-ran-nothing fail "FAIL fuzz smoke: fuzz target edits: no 'Done N runs' line" \
    STUB_CARGO_QUIET=1 bash tests/fuzz-smoke.sh
check fuzz-control pass '^PASS fuzz smoke: 5 targets' FUZZ_SECONDS=1 bash tests/fuzz-smoke.sh

# helix.sh
check helix-hx-fails fail 'FAIL helix: line [0-9]+: version=' \
    APIGW_HELIX_HX="$bin/hx" STUB_HX_VERSION_RC=1 bash tests/editors/helix.sh
check helix-exit-status fail 'FAIL hx exited with status 1' \
    APIGW_HELIX_HX="$bin/hx" STUB_HX_RC=1 bash tests/editors/helix.sh
check helix-control pass '^PASS helix$' APIGW_HELIX_HX="$bin/hx" bash tests/editors/helix.sh

# neovim.sh
nvims=(APIGW_NVIM_07="$bin/nvim" APIGW_NVIM_011="$bin/nvim")
check neovim-version-fails fail "FAIL neovim: .*/nvim --version failed" \
    "${nvims[@]}" STUB_NVIM_VERSION_RC=1 bash tests/editors/neovim.sh
check neovim-e2e-fails fail 'FAIL neovim: NVIM v0.11.4 \(stub\), setup' \
    "${nvims[@]}" STUB_NVIM_RC=1 bash tests/editors/neovim.sh
check neovim-no-server-log fail "FAIL neovim: the server's stderr is not in Neovim's LSP log" \
    "${nvims[@]}" STUB_NVIM_LOG=0 bash tests/editors/neovim.sh
check neovim-control pass '^PASS neovim' "${nvims[@]}" bash tests/editors/neovim.sh

# vscode.sh
chromium=(APIGW_VSCODE_CHROMIUM="$bin/chromium")
check vscode-npm-fails fail "FAILED \(vscode\): step 'code-server-npm'" \
    "${chromium[@]}" STUB_NPM_FAIL=install bash tests/editors/vscode.sh
prepare=vscode_installed check vscode-package-fails fail "FAILED \(vscode\): step 'extension-npm-ci'" \
    "${chromium[@]}" STUB_NPM_FAIL=ci bash tests/editors/vscode.sh
prepare=vscode_installed check vscode-e2e-fails fail 'FAILED \(vscode\): the VS Code end-to-end steps failed' \
    "${chromium[@]}" STUB_NODE_RC=1 bash tests/editors/vscode.sh
prepare=vscode_installed check vscode-control pass 'passed; screenshots in' \
    "${chromium[@]}" bash tests/editors/vscode.sh

# zed.sh
check zed-wasm-build-fails fail 'FAIL zed: line [0-9]+: cargo build --release --locked --target wasm32-wasip2' \
    STUB_CARGO_FAIL=build bash tests/editors/zed.sh
check zed-host-check-fails fail 'FAIL zed: line [0-9]+: cargo check --locked' \
    APIGW_ZED_HOST=1 STUB_CARGO_FAIL=check bash tests/editors/zed.sh
check zed-control pass '^PASS zed$' APIGW_ZED_HOST=1 bash tests/editors/zed.sh

# run-all
check run-all-unknown-name 2 'unknown test script name\(s\): nvim vscod' tests/run-all nvim vscod
check run-all-cargo-test-fails fail 'stub cargo test --workspace --locked: exit 101' \
    STUB_CARGO_FAIL=test:workspace tests/run-all soak
check run-all-script-fails fail '^FAILED: tests/soak.sh$' STUB_CARGO_FAIL=test:soak tests/run-all soak
check run-all-control pass '^all tests passed$' tests/run-all soak

# .ci/run
check ci-fmt-fails fail 'stub cargo fmt --all -- --check: exit 101' STUB_CARGO_FAIL=fmt .ci/run
check ci-clippy-fails fail 'stub cargo clippy .*: exit 101' STUB_CARGO_FAIL=clippy .ci/run
check ci-tests-fail fail 'stub cargo test --workspace --locked: exit 101' STUB_CARGO_FAIL=test:workspace .ci/run
prepare=ci_tree check ci-control pass '^all tests passed$' "${all_stubbed[@]}" .ci/run
calls ci-control 1 '^cargo test --workspace' "the Rust tests ran once"
calls ci-control 1 '^cargo test .*--test soak' "the soak ran once"
calls ci-control 5 '^cargo \+nightly fuzz run' "the fuzz smoke ran once (5 targets)"
calls ci-control 1 '^hx .*--log' "the Helix test ran once"
calls ci-control 1 'code-server .*--bind-addr' "the VS Code test ran once"
calls ci-control 6 '^packaging ' "the packaging and CDK plugin tests ran once each"

# cdk-plugin.sh: each of cargo, npm pack, npm install and node failing fails it, and so
# does a node that succeeds without running any test (the stubs of cargo and npm
# succeeding get it that far).
check cdk-plugin-build-fails fail "FAIL cdk-plugin: step 'cargo-build'" \
    STUB_CARGO_FAIL=build bash tests/cdk-plugin.sh
check cdk-plugin-pack-fails fail "FAIL cdk-plugin: step 'npm-pack'" \
    STUB_NPM_FAIL=pack bash tests/cdk-plugin.sh
check cdk-plugin-install-fails fail "FAIL cdk-plugin: step 'npm-install'" \
    STUB_NPM_FAIL=install bash tests/cdk-plugin.sh
check cdk-plugin-unit-fails fail "FAIL cdk-plugin: step 'unit-tests' \(node --test" \
    STUB_NODE_RC=1 bash tests/cdk-plugin.sh
check cdk-plugin-ran-nothing fail 'FAIL cdk-plugin: node --test reported no passing test' \
    bash tests/cdk-plugin.sh

# release.sh: the static build failing fails it (rustup's target add succeeds as a stub).
check release-build-fails fail 'FAIL release' STUB_CARGO_FAIL=build bash tests/release.sh

if ((ran == 0)); then
    echo "FAIL script-failures: no case matches: ${selected[*]}"
    exit 2
fi
if ((${#failures[@]})); then
    echo "FAIL script-failures: ${failures[*]}"
    exit 1
fi
echo "PASS script-failures: $ran cases"
