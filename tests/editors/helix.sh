#!/usr/bin/env bash
# Helix with apigw-lsp, for real: Debian 13's hx (Helix 25.01) unpacked with its own
# glibc into target/editor-tests/helix (nothing installed system-wide), run in tmux
# with -vvv --log; the assertions read the JSON-RPC traffic from the log.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$repo/target/editor-tests/helix
mkdir -p "$work"

command -v tmux >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq tmux >/dev/null; }
[[ -x target/release/apigw-lsp ]] || cargo build --release --locked

root=$work/root
if [[ ! -x $root/usr/lib/hx/hx ]]; then
    echo "-- helix: download hx and libc6 from Debian 13 (private apt state)"
    apt_dir=$work/apt
    mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$work/debs"
    cat > "$apt_dir/parts/trixie.sources" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/parts"
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "APT::Sandbox::User=root")
    apt-get "${apt_opts[@]}" update -qq
    (cd "$work/debs" && apt-get "${apt_opts[@]}" download hx libc6 >/dev/null)
    rm -rf "$root" && mkdir -p "$root"
    for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$root"; done
fi
libs=$root/usr/lib/x86_64-linux-gnu
hx=("$libs/ld-linux-x86-64.so.2" --library-path "$libs:/lib/x86_64-linux-gnu" "$root/usr/lib/hx/hx")
echo "-- helix: $(HELIX_RUNTIME=$root/usr/lib/hx/runtime "${hx[@]}" --version)"

# The shipped snippet, minus the other servers (not installed here).
mkdir -p "$work/config/helix"
grep -v '^language-servers' editors/helix/languages.toml \
    | sed 's/^name = "\(yaml\|json\)"/&\nlanguage-servers = ["apigw-lsp"]/' > "$work/config/helix/languages.toml"
cp editors/vscode/test/template.yaml "$work/template.yaml"
log=$work/hx.log
rm -f "$log"
session=apigw-helix-$$
tmux kill-session -t "$session" 2>/dev/null || true
tmux new-session -d -s "$session" -x 160 -y 50 \
    "cd '$work' && PATH='$repo/target/release':\$PATH XDG_CONFIG_HOME='$work/config' HELIX_RUNTIME='$root/usr/lib/hx/runtime' ${hx[*]} -vvv --log '$log' template.yaml"
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

wait_log() { # pattern, what
    for _ in $(seq 1 100); do
        grep -q "$1" "$log" 2>/dev/null && { echo "PASS $2"; return 0; }
        sleep 0.2
    done
    echo "FAIL $2"; tmux capture-pane -p -t "$session" | tail -20; tail -20 "$log"; return 1
}

wait_log 'apigw-lsp <- .*"serverInfo":{"name":"apigw-lsp"' "initialize answered by apigw-lsp"
wait_log 'publishDiagnostics.*missing-required-parameter' "diagnostics published for the template"
# Go to the last line, open a line below it inside RequestParameters, type, ask for completion.
tmux send-keys -t "$session" "32G"; sleep 0.5
tmux send-keys -t "$session" "o"; sleep 0.3
tmux send-keys -t "$session" "De"; sleep 1
tmux send-keys -t "$session" C-x
wait_log 'apigw-lsp -> .*"method":"textDocument/completion"' "completion requested"
wait_log 'apigw-lsp <- .*"label":"DelaySeconds"' "completion answered with the subtype's keys"
# The incremental change was sent, and diagnostics followed the new text.
wait_log 'apigw-lsp -> .*"method":"textDocument/didChange"' "incremental change sent"
tmux send-keys -t "$session" Escape ":q!" Enter
