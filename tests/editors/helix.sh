#!/usr/bin/env bash
# Helix with apigw-lsp, for real: Debian 13's hx (Helix 25.01) unpacked with its own
# glibc into target/editor-tests/helix (nothing installed system-wide but tmux), run in
# tmux with -vvv --log and the shipped editors/helix/languages.toml; the assertions read
# the JSON-RPC traffic from the log. Run from anywhere.
#
# APIGW_HELIX_HX=/path/to/hx uses that hx (with its own runtime) instead of downloading
# Debian's; tests/script-failures.sh sets it to a stub, with stub `tmux` first on PATH, to
# check that a failing hx fails this script. Helix's own exit status after `:qa!` is checked.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
work=$repo/target/editor-tests/helix
mkdir -p "$work"
trap 'echo "FAIL helix: line $LINENO: $BASH_COMMAND"' ERR

if ! command -v tmux >/dev/null; then
    echo "-- helix: apt-get install tmux"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null
fi
[[ -x target/release/apigw-lsp ]] || cargo build --release --locked

root=$work/root
if [[ -n ${APIGW_HELIX_HX:-} ]]; then
    hx=("$APIGW_HELIX_HX")
elif [[ ! -x $root/usr/lib/hx/hx ]]; then
    # The machine's own Debian mirror and keyring, with the trixie suite, in a private apt
    # state: nothing is added to the system's sources.
    # (Either file may be missing: sed then fails, and the next guess is tried.)
    mirror=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\/\?\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1) || mirror=
    [[ -n $mirror ]] || mirror=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(http[^ ]*\/debian\/\?\) .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -1) || mirror=
    [[ -n $mirror ]] || mirror=http://deb.debian.org/debian
    echo "-- helix: download hx and libc6 from Debian 13 ($mirror, private apt state)"
    apt_dir=$work/apt
    rm -rf "$apt_dir" "$work/debs"
    mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$work/debs"
    cat > "$apt_dir/parts/trixie.sources" <<SOURCES
Types: deb
URIs: $mirror
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
if [[ -z ${APIGW_HELIX_HX:-} ]]; then
    libs=$root/usr/lib/x86_64-linux-gnu
    hx=("$libs/ld-linux-x86-64.so.2" --library-path "$libs:/lib/x86_64-linux-gnu" "$root/usr/lib/hx/hx")
    export HELIX_RUNTIME=$root/usr/lib/hx/runtime
fi
# (Not inside echo's argument, where hx's failure would be lost.)
version=$("${hx[@]}" --version)
echo "-- helix: $version"

# The shipped snippet as it is, with its commented `config` example switched on. The other
# servers it names (yaml-language-server, vscode-json-language-server) are not installed
# here: Helix skips them and runs apigw-lsp, as it would for a user who lacks them.
mkdir -p "$work/config/helix"
sed 's/^# config = /config = /' editors/helix/languages.toml > "$work/config/helix/languages.toml"
export XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache XDG_DATA_HOME=$work/data \
    XDG_STATE_HOME=$work/state PATH=$repo/target/release:$PATH

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; exit 1; }

for lang in yaml json; do
    health=$("${hx[@]}" --health "$lang" 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
    grep -q "✓ apigw-lsp: $repo/target/release/apigw-lsp" <<<"$health" || { echo "$health"; fail "hx --health $lang does not find apigw-lsp"; }
    pass "hx --health $lang lists apigw-lsp, found on PATH"
done

rm -rf "$work/ws" && mkdir -p "$work/ws"
cp tests/editors/template.yaml "$work/ws/template.yaml"
cp tests/editors/template.json "$work/ws/template.json"
row=$(grep -n 'QueueUrl:' "$work/ws/template.yaml" | cut -d: -f1)
log=$work/hx.log
hx_status=$work/hx.status
rm -f "$log" "$hx_status"
session=apigw-helix-$$
# A private tmux server (-L), started here, so that it has this script's environment.
tmux() { command tmux -L "$session" "$@"; }
# Helix runs inside tmux, not as this script's child: its exit status is written to a file
# and checked after `:qa!`.
tmux new-session -d -s "$session" -x 160 -y 50 \
    "cd '$work/ws' && ${hx[*]} -vvv --log '$log' template.yaml; echo \$? > '$hx_status'; sleep 5"
trap 'tmux kill-server 2>/dev/null || true' EXIT

wait_log() { # pattern, what
    for _ in $(seq 1 100); do
        grep -q "$1" "$log" 2>/dev/null && { pass "$2"; return 0; }
        sleep 0.2
    done
    echo "FAIL $2 (no log line matching: $1)"
    # What follows is for the reader; its own failures do not matter.
    echo "-- screen:"; tmux capture-pane -p -t "$session" | tail -20 || true
    echo "-- log:"; grep 'apigw' "$log" | tail -10 | cut -c1-400 || true
    exit 1
}

# Types one key at a time, as a person does. Keys sent as one burst make Helix 25.01 send
# their didChange notifications out of version order (it writes each from its own task), and
# the server then warns that it applied an older version after a newer one.
type_keys() {
    local text=$1 i
    for ((i = 0; i < ${#text}; i++)); do
        tmux send-keys -t "$session" -l "${text:i:1}"
        sleep 0.1
    done
}

wait_log 'apigw-lsp <- .*"serverInfo":{"name":"apigw-lsp"' "initialize answered by apigw-lsp"
wait_log 'apigw-lsp -> .*"method":"initialize".*"initializationOptions":{"apigwLsp":{"severity":{"missing-credentials":"warning"}}}' \
    "the snippet's config reached the server as initializationOptions"
wait_log 'publishDiagnostics.*"code":"missing-required-parameter".*template\.yaml' "diagnostics published for template.yaml"

# Open a line below `QueueUrl: ...` inside RequestParameters, type a prefix, and ask for
# completion with Helix's keybinding (Ctrl-x in insert mode).
tmux send-keys -t "$session" "${row}G"; sleep 0.3
tmux send-keys -t "$session" "o"; sleep 0.3
type_keys "De"; sleep 0.3
tmux send-keys -t "$session" C-x
wait_log 'apigw-lsp -> .*"method":"textDocument/completion"' "completion requested (Ctrl-x in insert mode)"
wait_log 'apigw-lsp <- .*"label":"DelaySeconds"' "completion answered with SQS-SendMessage's keys (DelaySeconds)"
wait_log 'apigw-lsp -> .*"method":"textDocument/didChange".*"contentChanges":\[{"range"' "incremental didChange sent"

# Finish the key as a misspelt one, `Delay: x`; the diagnostics follow the edit.
tmux send-keys -t "$session" Escape; sleep 0.3
tmux send-keys -t "$session" "A"; sleep 0.2
type_keys "lay: x"
tmux send-keys -t "$session" Escape
# shellcheck disable=SC2016 # the backquotes are literal
wait_log 'publishDiagnostics.*"code":"unknown-parameter".*`Delay`' "after the edit, unknown-parameter for \`Delay\` published"

# The JSON half of the snippet.
tmux send-keys -t "$session" -l ":open template.json"; tmux send-keys -t "$session" Enter
wait_log 'apigw-lsp -> .*"method":"textDocument/didOpen".*"languageId":"json"' "template.json opened with apigw-lsp"
wait_log 'publishDiagnostics.*"code":"missing-required-parameter".*template\.json' "diagnostics published for template.json"

tmux send-keys -t "$session" -l ":qa!"; tmux send-keys -t "$session" Enter
for _ in $(seq 1 50); do
    [[ -s $hx_status ]] && break
    sleep 0.2
done
[[ -s $hx_status ]] || fail "hx did not quit within 10 s of :qa!"
status=$(<"$hx_status")
[[ $status == 0 ]] || fail "hx exited with status $status"
pass "hx quit with status 0"
if grep 'apigw-lsp err <- .*\( WARN\| ERROR\) apigw_lsp' "$log"; then
    fail "the server logged warnings (above)"
fi
pass "the server's stderr is in Helix's log, with no warning"
trap - ERR
echo "PASS helix"
