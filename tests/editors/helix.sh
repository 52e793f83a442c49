#!/usr/bin/env bash
# Helix with apigw-lsp, for real: Debian 13's hx (Helix 25.01) unpacked with its own
# glibc into target/editor-tests/helix (nothing installed system-wide but tmux), run in
# tmux with -vvv --log and the shipped editors/helix/languages.toml; the assertions read
# the JSON-RPC traffic from the log. Keys go in bursts (a whole line per send-keys), and
# at the end the server's copy of each file must equal Helix's buffer byte for byte: the
# server runs behind tests/editors/lsp-proxy.py, which logs every frame and asks the
# server for its text (apigw-lsp/documentText). After the YAML and JSON templates it opens
# a Terraform file (Helix's `hcl` language): diagnostics, completion of parameter keys, an
# edit that clears the diagnostic. Run from anywhere.
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

command -v python3 >/dev/null || { echo "FAIL helix: python3 is needed for lsp-proxy.py"; exit 1; }
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

# hcl is Helix's language for .tf files (file-types hcl, tf, nomad; language-id
# terraform). `hx --health NAME` fails for a name Helix does not know, and lists the
# snippet's servers only when its [[language]] name is Helix's own.
for lang in yaml json hcl; do
    health=$("${hx[@]}" --health "$lang" 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
    grep -q "✓ apigw-lsp: $repo/target/release/apigw-lsp" <<<"$health" || { echo "$health"; fail "hx --health $lang does not find apigw-lsp"; }
    pass "hx --health $lang lists apigw-lsp, found on PATH"
done
grep -q "terraform-ls" <<<"$health" || { echo "$health"; fail "hx --health hcl no longer lists terraform-ls"; }
pass "hx --health hcl keeps terraform-ls beside apigw-lsp"

# The session runs the server through the proxy: the shipped snippet with its command
# wrapped (the name stays apigw-lsp, so Helix's log reads the same).
frames=$work/frames.log
dump=$work/dump
rm -rf "$frames" "$dump" && mkdir -p "$dump"
sed "s|^command = \"apigw-lsp\"\$|command = \"python3\"\nargs = [\"$repo/tests/editors/lsp-proxy.py\", \"--log\", \"$frames\", \"--dump\", \"$dump\", \"--\", \"apigw-lsp\"]|" \
    editors/helix/languages.toml | sed 's/^# config = /config = /' > "$work/config/helix/languages.toml"
grep -q '^args = \[.*lsp-proxy.py' "$work/config/helix/languages.toml" || fail "could not put the proxy in languages.toml"

rm -rf "$work/ws" && mkdir -p "$work/ws"
cp tests/editors/template.yaml "$work/ws/template.yaml"
cp tests/editors/template.json "$work/ws/template.json"
cp tests/editors/api.tf "$work/ws/api.tf"
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

# Types text as one burst of keys. Helix 25.01 then sends some didChange notifications
# out of version order (on the wire: 29, 31, 30; in a run of lines, 58 after 74): the
# server puts them back in version order (server/src/document/history.rs).
burst() {
    tmux send-keys -t "$session" -l "$1"
}
key() {
    tmux send-keys -t "$session" "$@"
}
# Escape, then a pause: a key right after it would read as Alt+key.
escape() {
    tmux send-keys -t "$session" Escape
    sleep 0.3
}

# Saves the current buffer and waits until the file holds `$2`.
save() { # file, text it must hold
    key -l ":w"; key Enter
    for _ in $(seq 1 50); do
        grep -qF -- "$2" "$work/ws/$1" && return 0
        sleep 0.1
    done
    fail "Helix did not save $1 with: $2"
}

# Asks the server (through the proxy) for its copy of every open document and compares
# each named file with it, byte for byte, and its version with Helix's latest.
same_as_server() {
    rm -f "$dump/done"
    sleep 0.3 # notifications from Helix's tasks still on their way
    touch "$dump/request"
    for _ in $(seq 1 100); do
        [[ -e $dump/done ]] && break
        sleep 0.1
    done
    [[ -e $dump/done ]] || fail "the proxy got no answer to apigw-lsp/documentText"
    local name server_version helix_version
    for name in "$@"; do
        [[ -e $dump/$name.version ]] || fail "the server has no copy of $name"
        read -r server_version helix_version <"$dump/$name.version"
        [[ $server_version == "$helix_version" ]] ||
            fail "the server is at version $server_version of $name, Helix at $helix_version"
        if ! cmp "$work/ws/$name" "$dump/$name"; then
            diff "$work/ws/$name" "$dump/$name" || true
            fail "the server's text of $name differs from Helix's buffer (diff above: Helix, server)"
        fi
        pass "the server's text of $name is Helix's buffer, byte for byte, at version $server_version"
    done
}

# What Helix's log says the server answered, as JSON-RPC read from its `apigw-lsp ->` and
# `apigw-lsp <-` lines: `completion FILE`, the labels of the answer to the latest
# completion request for FILE (matched by request id); `diagnostics FILE`, the codes of
# the latest diagnostics published for FILE. Fails when there is none yet.
from_log() { # what, file name
    python3 - "$log" "$1" "$2" <<'PY'
import json, sys
log, what, name = sys.argv[1:]
requests, found = set(), None
for line in open(log, encoding="utf-8", errors="replace"):
    for arrow in ("apigw-lsp -> {", "apigw-lsp <- {"):
        at = line.find(arrow)
        if at < 0:
            continue
        try:
            message = json.loads(line[at + len(arrow) - 1:])
        except ValueError:
            continue
        params = message.get("params") or {}
        uri = params.get("uri") or (params.get("textDocument") or {}).get("uri") or ""
        if not uri.endswith("/" + name):
            uri = None
        if arrow.startswith("apigw-lsp ->"):
            if uri and message.get("method") == "textDocument/completion":
                requests.add(message.get("id"))
        elif what == "completion" and "result" in message and message.get("id") in requests:
            result = message["result"] or []
            items = result.get("items", []) if isinstance(result, dict) else result
            found = [item["label"] for item in items]
        elif what == "diagnostics" and uri and message.get("method") == "textDocument/publishDiagnostics":
            found = [str(d.get("code")) for d in params.get("diagnostics", [])]
if found is None:
    sys.exit(1)
print(" ".join(found))
PY
}

# How many didChange notifications reached the server after one with a higher version.
late_changes() {
    python3 - "$frames" <<'PY'
import json, sys
latest, late, total = {}, 0, 0
for line in open(sys.argv[1], encoding="utf-8"):
    _, direction, body = line.split(" ", 2)
    message = json.loads(body)
    if direction != "->" or message.get("method") != "textDocument/didChange":
        continue
    doc = message["params"]["textDocument"]
    total += 1
    if doc["version"] < latest.get(doc["uri"], doc["version"]):
        late += 1
    latest[doc["uri"]] = max(doc["version"], latest.get(doc["uri"], doc["version"]))
print(late, total)
PY
}

wait_log 'apigw-lsp <- .*"serverInfo":{"name":"apigw-lsp"' "initialize answered by apigw-lsp"
wait_log 'apigw-lsp -> .*"method":"initialize".*"initializationOptions":{"apigwLsp":{"severity":{"missing-credentials":"warning"}}}' \
    "the snippet's config reached the server as initializationOptions"
wait_log 'publishDiagnostics.*"code":"missing-required-parameter".*template\.yaml' "diagnostics published for template.yaml"

# Open a line below `QueueUrl: ...` inside RequestParameters, type a prefix, and ask for
# completion with Helix's keybinding (Ctrl-x in insert mode).
key "${row}G"; sleep 0.3
key "o"; sleep 0.3
burst "De"; sleep 0.3
key C-x
wait_log 'apigw-lsp -> .*"method":"textDocument/completion"' "completion requested (Ctrl-x in insert mode)"
wait_log 'apigw-lsp <- .*"label":"DelaySeconds"' "completion answered with SQS-SendMessage's keys (DelaySeconds)"
wait_log 'apigw-lsp -> .*"method":"textDocument/didChange".*"contentChanges":\[{"range"' "incremental didChange sent"

# Finish the key as a misspelt one, `Delay: x`; the diagnostics follow the edit.
escape
key "A"; sleep 0.2
burst "lay: x"
escape
# shellcheck disable=SC2016 # the backquotes are literal
wait_log 'publishDiagnostics.*"code":"unknown-parameter".*`Delay`' "after the edit, unknown-parameter for \`Delay\` published"

# Lines typed in bursts with no pause between them, then a line typed in front of one
# (each key lands before text, where a swapped pair would leave a wrong text).
key "o"
burst "MessageBody: \$request.body"; key Enter
burst "MessageGroupId: \$request.header.group"; key Enter
burst "DelaySeconds: 30"; escape
key "I"
burst "MessageDeduplicationId: \$context.requestId"; key Enter; escape
save template.yaml "MessageDeduplicationId: \$context.requestId"
same_as_server template.yaml

# The JSON half of the snippet.
key -l ":open template.json"; key Enter
wait_log 'apigw-lsp -> .*"method":"textDocument/didOpen".*"languageId":"json"' "template.json opened with apigw-lsp"
wait_log 'publishDiagnostics.*"code":"missing-required-parameter".*template\.json' "diagnostics published for template.json"

# A member typed in bursts (Helix pairs the quotes, so keys land inside them).
json_row=$(grep -n '"DetailType": "order"' "$work/ws/template.json" | cut -d: -f1)
key "${json_row}G"; sleep 0.3
key "A"
burst ","; key Enter
burst '"Source": "orders.api"'; escape
save template.json '"Source": "orders.api"'
same_as_server template.yaml template.json

# The Terraform part: api.tf is Helix's `hcl` language, sent as languageId "terraform".
key -l ":open api.tf"; key Enter
wait_log 'apigw-lsp -> .*"method":"textDocument/didOpen".*"languageId":"terraform".*api\.tf' \
    "api.tf opened with apigw-lsp (language hcl, languageId terraform)"
wait_log 'publishDiagnostics.*"code":"missing-required-parameter".*api\.tf' "diagnostics published for api.tf"

# A half-typed key on a new line inside request_parameters, and Ctrl-x: the answer to
# that request (the YAML one had these keys too) holds the keys of SQS-SendMessage that
# are not there yet.
tf_row=$(grep -n 'QueueUrl = ' "$work/ws/api.tf" | cut -d: -f1)
key "${tf_row}G"; sleep 0.3
key "o"; sleep 0.3
burst "Mes"; sleep 0.3
key C-x
labels=
for _ in $(seq 1 100); do
    labels=$(from_log completion api.tf) && break
    sleep 0.2
done
[[ -n $labels ]] || fail "no answer to a completion request for api.tf in Helix's log"
for want in MessageBody MessageGroupId; do
    [[ " $labels " == *" $want "* ]] || fail "completion in api.tf's request_parameters lacks $want: $labels"
done
[[ " $labels " != *" QueueUrl "* ]] || fail "completion in api.tf offers QueueUrl, which is already there: $labels"
pass "completion in api.tf (Ctrl-x at \`    Mes\`) answered with MessageBody, MessageGroupId, not QueueUrl"

# Finish the key with its value; once saved, the server has Helix's text and the latest
# diagnostics for api.tf are none.
escape
key "A"; sleep 0.2
burst 'sageBody = "$request.body"'
escape
save api.tf 'MessageBody = "$request.body"'
codes=missing
for _ in $(seq 1 50); do
    codes=$(from_log diagnostics api.tf) && [[ -z $codes ]] && break
    sleep 0.2
done
[[ -z $codes ]] || fail "api.tf still has diagnostics after adding MessageBody: $codes"
pass "after adding MessageBody, the diagnostics of api.tf are none"
same_as_server template.yaml template.json api.tf
read -r late total < <(late_changes)
echo "-- helix: $late of $total didChange notifications reached the server after a higher version (proxy log: $frames)"

key -l ":qa!"; key Enter
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
