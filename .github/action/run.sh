#!/usr/bin/env bash
# The GitHub Action's logic (action.yml calls it; it runs the same way on a laptop):
# installs apigw-lsp if needed, runs `apigw-lsp check --format sarif` on the given paths,
# checks that the SARIF parses, prints each finding (as a workflow annotation on GitHub),
# and decides pass or fail from the failing severity.
#
# Inputs, as environment variables (action.yml maps its inputs to these):
#   INPUT_PATHS        files or folders, separated by spaces or newlines (default ".")
#   INPUT_BASELINE     a baseline file: passed on as `--baseline FILE` when set
#   INPUT_FAIL_ON      error (default), warning, note (any finding) or none
#   INPUT_ARGS         more `check` arguments, e.g. "--config ci/.apigw-lsp.toml"
#   INPUT_SARIF_FILE   where to write the SARIF (default apigw-lsp.sarif)
#   INPUT_INSTALL      auto (default): an apigw-lsp on PATH, else the release archive of the
#                      action's version, else that version from PyPI, else a build from the
#                      action's checkout; or one of them: path, release, pypi, source (pip
#                      install of the action's checkout: maturin + cargo)
#   INPUT_ANNOTATIONS  true (default): print findings as ::error/::warning/::notice commands
#                      when running on GitHub Actions
#   APIGW_LSP          the binary to use (skips the install; the tests set it)
#   APIGW_LSP_RELEASES, APIGW_LSP_TARGET   where release archives are downloaded from
#                      (default https://github.com/apigw-lsp/apigw-lsp/releases/download) and
#                      the Rust target whose archive is taken (default: this machine's; the
#                      static musl build on Linux); the tests set them
# Exit status: 0 pass, 1 a finding at or above INPUT_FAIL_ON, 2 the check could not run
# (install failed, usage or I/O error, unreadable SARIF). Sets the step outputs sarif-file,
# findings, errors, warnings, notes and exit-code when GITHUB_OUTPUT is set.
set -euo pipefail

action_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
paths_input=${INPUT_PATHS:-.}
baseline=${INPUT_BASELINE:-}
fail_on=${INPUT_FAIL_ON:-error}
extra_args=${INPUT_ARGS:-}
sarif=${INPUT_SARIF_FILE:-apigw-lsp.sarif}
install=${INPUT_INSTALL:-auto}
annotations=${INPUT_ANNOTATIONS:-true}

die() {
    echo "apigw-lsp action: $*" >&2
    exit 2
}
output() {
    if [[ -n ${GITHUB_OUTPUT:-} ]]; then
        echo "$1=$2" >>"$GITHUB_OUTPUT"
    fi
}

case $fail_on in
    error | warning | note | none) ;;
    *) die "fail-on must be error, warning, note or none, not '$fail_on'" ;;
esac
case $install in
    auto | path | release | pypi | source) ;;
    *) die "install must be auto, path, release, pypi or source, not '$install'" ;;
esac

python=$(command -v python3 || command -v python || true)
[[ -n $python ]] || die "no python3 on PATH (needed to install apigw-lsp and to read the SARIF)"

# The version of the action's own checkout (the workspace Cargo.toml), so that
# apigw-lsp/apigw-lsp@v0.2.0 installs apigw-lsp 0.2.0.
action_version() {
    "$python" - "$action_dir/Cargo.toml" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("[workspace.package]", 1)[1]
print(re.search(r'^version\s*=\s*"([^"]+)"', section, re.M).group(1))
PY
}

# pip_install SPEC...: into a virtual environment of its own; sets `bin`.
pip_install() {
    local venv=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/apigw-lsp-venv
    [[ -d $venv ]] || "$python" -m venv "$venv" || return 1
    local dir=$venv/bin
    [[ -d $dir ]] || dir=$venv/Scripts # Windows
    "$dir/python" -m pip install --disable-pip-version-check --quiet "$@" || return 1
    bin=$dir/apigw-lsp
    [[ -x $bin || -x $bin.exe ]]
}

# release_install VERSION: downloads the release archive for this machine into RUNNER_TEMP,
# checks its .sha256 and unpacks it; sets `bin`.
release_install() {
    local version=$1 target=${APIGW_LSP_TARGET:-} ext=tar.gz exe=apigw-lsp
    if [[ -z $target ]]; then
        case "$(uname -s)-$(uname -m)" in
            Linux-x86_64) target=x86_64-unknown-linux-musl ;;
            Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
            Darwin-x86_64) target=x86_64-apple-darwin ;;
            Darwin-arm64) target=aarch64-apple-darwin ;;
            MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) target=x86_64-pc-windows-msvc ;;
            *) echo "apigw-lsp action: no release binary for $(uname -s) $(uname -m)" >&2; return 1 ;;
        esac
    fi
    [[ $target == *windows* ]] && ext=zip exe=apigw-lsp.exe
    local name=apigw-lsp-$target.$ext
    local url=${APIGW_LSP_RELEASES:-https://github.com/apigw-lsp/apigw-lsp/releases/download}/v$version/$name
    local dir=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/apigw-lsp-release
    rm -rf "$dir" && mkdir -p "$dir"
    curl -fsSL --retry 3 -o "$dir/$name" "$url" && curl -fsSL --retry 3 -o "$dir/$name.sha256" "$url.sha256" || return 1
    local want got
    want=$(cut -d' ' -f1 <"$dir/$name.sha256")
    got=$("$python" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$dir/$name")
    if [[ $want != "$got" ]]; then
        echo "apigw-lsp action: $name does not match its .sha256" >&2
        return 1
    fi
    if [[ $ext == zip ]]; then
        "$python" -m zipfile -e "$dir/$name" "$dir" || return 1
    else
        tar -xzf "$dir/$name" -C "$dir" || return 1
    fi
    bin=$dir/$exe
    chmod +x "$bin" 2>/dev/null || true
    echo "apigw-lsp action: installed $name from $url"
}

bin=${APIGW_LSP:-}
if [[ -z $bin ]]; then
    version=$(action_version) || die "cannot read the version from $action_dir/Cargo.toml"
    if [[ $install == path || $install == auto ]] && command -v apigw-lsp >/dev/null; then
        bin=$(command -v apigw-lsp)
    elif [[ $install == path ]]; then
        die "install is 'path' but there is no apigw-lsp on PATH"
    elif [[ $install == release || $install == auto ]] && release_install "$version"; then
        :
    elif [[ $install == release ]]; then
        die "the release archive of v$version could not be installed"
    elif [[ $install == pypi || $install == auto ]] && pip_install "apigw-lsp==$version"; then
        echo "apigw-lsp action: installed apigw-lsp $version from PyPI"
    elif [[ $install == pypi ]]; then
        die "pip install apigw-lsp==$version failed"
    else
        echo "apigw-lsp action: building apigw-lsp $version from $action_dir (needs cargo)"
        pip_install "$action_dir" || die "pip install $action_dir failed"
    fi
fi
echo "apigw-lsp action: $("$bin" --version) ($bin)"

read -r -a paths <<<"$(tr '\n' ' ' <<<"$paths_input")"
((${#paths[@]})) || paths=(.)
read -r -a extra <<<"$(tr '\n' ' ' <<<"$extra_args")"
args=(check --format sarif)
[[ -z $baseline ]] || args+=(--baseline "$baseline")
# ${a[@]+...}: bash 3.2 (macOS) calls an empty array unbound under set -u.
args+=(${extra[@]+"${extra[@]}"} -- "${paths[@]}")

mkdir -p "$(dirname "$sarif")"
status=0
"$bin" "${args[@]}" >"$sarif" || status=$?
# check: 0 no error finding, 1 error findings; anything else means it did not run through.
[[ $status -le 1 ]] || die "apigw-lsp ${args[*]} exited $status"

# Reads the SARIF, prints the findings, and says which levels were seen.
summary=$("$python" - "$sarif" "$annotations" "${GITHUB_ACTIONS:-false}" <<'PY'
import json, sys
path, annotate, on_github = sys.argv[1], sys.argv[2] == "true", sys.argv[3] == "true"
with open(path, encoding="utf-8") as f:
    log = json.load(f)
if log.get("version") != "2.1.0" or not isinstance(log.get("runs"), list):
    sys.exit(f"{path} is not SARIF 2.1.0")
counts = {"error": 0, "warning": 0, "note": 0}
command = {"error": "error", "warning": "warning", "note": "notice"}
def escape(text, prop=False):
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text
for run in log["runs"]:
    for result in run.get("results", []):
        level = result.get("level", "warning")
        if level not in counts:
            continue
        counts[level] += 1
        loc = result["locations"][0]["physicalLocation"]
        uri, region = loc["artifactLocation"]["uri"], loc.get("region", {})
        line, col = region.get("startLine", 1), region.get("startColumn", 1)
        text = f"[{result.get('ruleId', '')}] {result['message']['text']}"
        if annotate and on_github:
            props = f"file={escape(uri, True)},line={line},col={col},title={escape('apigw-lsp ' + result.get('ruleId', ''), True)}"
            print(f"::{command[level]} {props}::{escape(text)}", file=sys.stderr)
        else:
            print(f"{uri}:{line}:{col}: {level}{text}", file=sys.stderr)
print(counts["error"], counts["warning"], counts["note"])
PY
) || die "$sarif is not readable SARIF 2.1.0"
read -r errors warnings notes <<<"$summary"
findings=$((errors + warnings + notes))
echo "apigw-lsp action: $findings findings ($errors errors, $warnings warnings, $notes notes) in $sarif"

verdict=0
case $fail_on in
    error) ((errors == 0)) || verdict=1 ;;
    warning) ((errors + warnings == 0)) || verdict=1 ;;
    note) ((findings == 0)) || verdict=1 ;;
    none) ;;
esac
output sarif-file "$sarif"
output findings "$findings"
output errors "$errors"
output warnings "$warnings"
output notes "$notes"
output exit-code "$verdict"
if ((verdict)); then
    echo "apigw-lsp action: failing: findings at or above '$fail_on'" >&2
fi
exit "$verdict"
