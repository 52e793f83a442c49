#!/usr/bin/env bash
# What .github/workflows/release.yml publishes, for the platforms this machine can build:
#   1. the static x86_64 musl binary (musl-tools from apt, the target from rustup): it is
#      statically linked, runs in an empty chroot (no libc, no loader), checks the examples
#      and answers an LSP initialize;
#   2. the release archives (.github/release/archive.sh) of it and of the glibc binary:
#      their contents, modes and .sha256 files;
#   3. the linux-x64 and alpine-x64 VS Code packages (.github/release/vsix.sh): each carries
#      its target platform and its binary, installs into code-server 4.100.3 and starts
#      its bundled server there (the server's diagnostic shows in the editor, and the
#      extension's log names the bundled binary). Both run in code-server on this Debian
#      machine: code-server (like `code --install-extension`) installs a .vsix file whatever
#      its target platform, and no Alpine userland (musl Node.js) can be had here; the empty
#      chroot of step 1 is what shows the musl binary needs no libc.
# Installs: apt musl-tools and file, rustup's x86_64-unknown-linux-musl std, and what
# tests/editors/lib/code-server.sh installs (shared with tests/editors/vscode.sh, under
# target/editor-tests/vscode). The musl build is a full release build (about 4 to 6 minutes
# on 2 cores the first time).
set -euo pipefail
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/packaging/lib.sh"
cd "$repo"

musl_target=x86_64-unknown-linux-musl
rel=$pack/release
rm -rf "$rel" && mkdir -p "$rel"
sudo=
[[ $(id -u) -eq 0 ]] || sudo=sudo

if ! command -v musl-gcc >/dev/null || ! command -v file >/dev/null; then
    step "apt-get install musl-tools file"
    run apt-update $sudo apt-get update -q
    run apt-install $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends musl-tools file
fi
if ! rustup target list --installed | grep -qx "$musl_target"; then
    step "rustup target add $musl_target"
    run rustup-target rustup target add "$musl_target"
fi

step "cargo build --release --locked --target $musl_target"
run musl-build cargo build --release --locked --target "$musl_target"
musl_bin=$repo/target/$musl_target/release/apigw-lsp
description=$(file -b "$musl_bin")
[[ $description == *"statically linked"* || $description == *"static-pie linked"* ]] \
    || fail "$musl_bin is not statically linked: $description"
if readelf -d "$musl_bin" | grep -q '(NEEDED)'; then
    fail "$musl_bin needs shared libraries: $(readelf -d "$musl_bin" | grep '(NEEDED)')"
fi
pass "$musl_target: $(stat -c %s "$musl_bin") bytes, $description"

if [[ ! -x target/release/apigw-lsp ]]; then
    step "cargo build --release --locked"
    cargo build --release --locked
fi
version=$(workspace_version)

step "the musl binary in an empty chroot"
root=$rel/chroot
mkdir -p "$root/t"
cp "$musl_bin" "$root/apigw-lsp"
cp examples/orders-api.yaml "$root/t/orders-api.yaml"
cp tests/packaging/clean.yaml "$root/t/clean.yaml"
out=$($sudo chroot "$root" /apigw-lsp --version) || fail "the musl binary does not run in an empty chroot"
[[ $out == "apigw-lsp $version" ]] || fail "chroot --version: $out"
status=0
out=$($sudo chroot "$root" /apigw-lsp check /t/orders-api.yaml) || status=$?
[[ $status -eq 1 ]] || fail "chroot check orders-api.yaml exited $status, expected 1"
# shellcheck disable=SC2016 # the backquotes are the message's own
grep -qF '/t/orders-api.yaml:59:9: error[unknown-parameter] SQS-SendMessage has no parameter `queueUrl`' <<<"$out" \
    || fail "chroot check orders-api.yaml: no unknown-parameter finding: $out"
$sudo chroot "$root" /apigw-lsp check /t/clean.yaml || fail "chroot check clean.yaml exited non-zero"
python3 - "$sudo" "$root" <<'PY' || fail "the musl binary does not answer initialize over stdio in the chroot"
import json, subprocess, sys
sudo, root = sys.argv[1], sys.argv[2]
cmd = ([sudo] if sudo else []) + ["chroot", root, "/apigw-lsp", "--stdio"]
server = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
def send(msg):
    body = json.dumps(msg).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    server.stdin.flush()
def receive(want_id):
    while True:
        length = None
        while (line := server.stdout.readline().strip()):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        msg = json.loads(server.stdout.read(length))
        if msg.get("id") == want_id:
            return msg
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
caps = receive(1)["result"]["capabilities"]
assert caps.get("completionProvider") and caps.get("hoverProvider"), caps
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
assert "result" in receive(2)
send({"jsonrpc": "2.0", "method": "exit"})
assert server.wait(timeout=10) == 0, f"exit status {server.returncode}"
PY
pass "in an empty chroot: --version, check (exit 1 with unknown-parameter, exit 0 on clean.yaml), LSP initialize/shutdown"

step "release archives"
for pair in "$musl_target:$musl_bin" "x86_64-unknown-linux-gnu:$repo/target/release/apigw-lsp"; do
    target=${pair%%:*} bin=${pair#*:}
    run "archive-$target" .github/release/archive.sh "$target" "$bin" "$rel/dist"
    archive=$rel/dist/apigw-lsp-$target.tar.gz
    (cd "$rel/dist" && sha256sum -c --quiet "apigw-lsp-$target.tar.gz.sha256") || fail "$archive.sha256 does not match"
    listing=$(tar -tvzf "$archive")
    [[ $(tar -tzf "$archive" | sort | tr '\n' ' ') == "LICENSE-MIT README.md apigw-lsp " ]] \
        || fail "$archive holds: $(tar -tzf "$archive" | tr '\n' ' ')"
    grep -Eq '^-rwxr-xr-x .* apigw-lsp$' <<<"$listing" || fail "$archive: apigw-lsp is not mode 755: $listing"
    mkdir -p "$rel/unpacked/$target"
    tar -xzf "$archive" -C "$rel/unpacked/$target"
    [[ "$("$rel/unpacked/$target/apigw-lsp" --version)" == "apigw-lsp $version" ]] || fail "$archive: the binary does not run"
done
pass "apigw-lsp-{$musl_target,x86_64-unknown-linux-gnu}.tar.gz: binary (755), README.md, LICENSE-MIT; .sha256 verified"

step "cargo install --locked --path server (the README's cargo route)"
CARGO_TARGET_DIR=$repo/target run cargo-install cargo install --locked --path server --root "$rel/cargo-root"
[[ "$("$rel/cargo-root/bin/apigw-lsp" --version)" == "apigw-lsp $version" ]] || fail "cargo install: the binary does not run"
pass "cargo install --locked --path server installs a working apigw-lsp (target/ reused)"

# The VS Code packages.
step "vsce package --target linux-x64 and alpine-x64"
export npm_config_cache=$pack/npm-cache npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
run vsix-linux-x64 .github/release/vsix.sh linux-x64 "$repo/target/release/apigw-lsp" "$rel/vsix"
run vsix-alpine-x64 .github/release/vsix.sh alpine-x64 "$musl_bin" "$rel/vsix"
[[ ! -e editors/vscode/server ]] || fail "vsix.sh left editors/vscode/server behind"
for pair in "linux-x64:$repo/target/release/apigw-lsp" "alpine-x64:$musl_bin"; do
    target=${pair%%:*} bin=${pair#*:}
    python3 - "$rel/vsix/apigw-lsp-$target.vsix" "$target" "$bin" <<'PY' || fail "apigw-lsp-$target.vsix"
import hashlib, re, sys, zipfile
vsix, target, binary = sys.argv[1:]
z = zipfile.ZipFile(vsix)
manifest = z.read("extension.vsixmanifest").decode()
assert re.search(rf'TargetPlatform="{target}"', manifest), "no TargetPlatform in the manifest"
server = [n for n in z.namelist() if n.startswith("extension/server/")]
assert server == ["extension/server/apigw-lsp"], f"server files: {server}"
packed = hashlib.sha256(z.read(server[0])).hexdigest()
built = hashlib.sha256(open(binary, "rb").read()).hexdigest()
assert packed == built, "the bundled server is not the binary given"
PY
done
pass "apigw-lsp-linux-x64.vsix and apigw-lsp-alpine-x64.vsix: their TargetPlatform and exactly their own binary"

# code-server, as tests/editors/vscode.sh installs it (shared folder, reused when there).
work=$repo/target/editor-tests/vscode
logs=$pack/logs
mkdir -p "$work"
# shellcheck source=tests/editors/lib/code-server.sh
source tests/editors/lib/code-server.sh
code_server_install
shots=$rel/screenshots
mkdir -p "$shots"
# profile NAME: a fresh code-server profile in $rel/NAME; sets `profile`.
new_profile() {
    profile=$rel/$1
    mkdir -p "$profile/data/User" "$profile/ext"
    printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$profile/config.yaml"
    cat >"$profile/data/User/settings.json" <<'JSON'
{"workbench.startupEditor": "none", "security.workspace.trust.enabled": false,
 "telemetry.telemetryLevel": "off", "extensions.autoUpdate": false, "extensions.autoCheckUpdates": false,
 "update.mode": "none", "workbench.tips.enabled": false, "git.openRepositoryInParentFolders": "never"}
JSON
}
install_vsix() { # install_vsix LOGNAME VSIX
    local name=$1 vsix=$2
    run "$name" "$code_server" --config "$profile/config.yaml" --extensions-dir "$profile/ext" \
        --user-data-dir "$profile/data" --install-extension "$vsix"
}

declare -A binaries=([linux-x64]=$repo/target/release/apigw-lsp [alpine-x64]=$musl_bin)
for target in linux-x64 alpine-x64; do
    step "$target: install the package into a fresh code-server profile"
    new_profile "cs-$target"
    install_vsix "install-$target" "$rel/vsix/apigw-lsp-$target.vsix"
    # code-server installs a .vsix file whatever its target platform, into publisher.name-version.
    ext_dir=$profile/ext/apigw-lsp.apigw-lsp-$version
    [[ -x $ext_dir/server/apigw-lsp ]] || fail "$target: no executable $ext_dir/server/apigw-lsp after installing"
    workspace=$rel/workspace-$target
    mkdir -p "$workspace"
    cp tests/editors/template.yaml "$workspace/template.yaml"
    code_server_serve "$profile" "$workspace" "$logs/code-server-$target.log"
    step "$target: open template.yaml in headless chromium"
    if ! PLAYWRIGHT_DIR=$pw URL="http://127.0.0.1:$port/?folder=$workspace" SCREENSHOTS=$shots LABEL=$target \
        node tests/packaging/vscode-smoke.cjs; then
        tail -n 30 "$logs/code-server-$target.log" >&2
        stop_server
        fail "$target: the extension's server gave no diagnostic (screenshots in $shots)"
    fi
    stop_server
    trap - EXIT
    client_log=$(grep -rl "starting .*apigw-lsp" "$profile/data/logs" 2>/dev/null | head -n 1) || true
    [[ -n $client_log ]] || fail "$target: no extension log saying which server it started"
    grep -qF "starting $ext_dir/server/apigw-lsp" "$client_log" \
        || fail "$target: the extension did not start its bundled server: $(grep -m1 'starting' "$client_log")"
    cmp -s "$ext_dir/server/apigw-lsp" "${binaries[$target]}" || fail "$target: the installed server is not the $target binary"
    pass "$target: installed, started its bundled server ($ext_dir/server/apigw-lsp, the ${binaries[$target]#"$repo"/} binary), diagnostic shown"
done
echo "PASS release ($((SECONDS - test_started)) s)"
