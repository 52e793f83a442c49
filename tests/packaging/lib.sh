# shellcheck shell=bash
# Shared by the packaging tests (tests/wheel.sh, precommit.sh, action.sh, release.sh,
# registries.sh); sourced, not run. Sets `repo` (the checkout) and `pack`
# (target/packaging, git-ignored), and gives:
#   step MSG / pass MSG / fail MSG        progress lines; fail exits 1
#   run NAME CMD...                       CMD with its output in $pack/logs/NAME.log,
#                                         failing with the end of the log
#   tools                                 the pinned tools of tests/packaging/requirements.txt
#                                         in $pack/tools (a venv); puts its bin/ first on PATH
#   wheel                                 builds the wheel (release build + maturin) and sets
#                                         `wheel_file`
# Everything pip, uv, pipx and pre-commit download or cache stays under $pack.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
pack=$repo/target/packaging
mkdir -p "$pack/logs"
export PIP_CACHE_DIR=$pack/pip-cache PIP_DISABLE_PIP_VERSION_CHECK=1
test_name=$(basename "$0" .sh)
test_started=$SECONDS

step() { echo "-- $test_name [$((SECONDS - test_started))s]: $*"; }
pass() { echo "PASS $test_name: $*"; }
fail() {
    echo "FAIL $test_name: $*" >&2
    exit 1
}
run() {
    local name=$1
    shift
    if ! "$@" >"$pack/logs/$name.log" 2>&1; then
        echo "FAIL $test_name: step '$name' ($*); last lines of $pack/logs/$name.log:" >&2
        tail -n 40 "$pack/logs/$name.log" >&2
        exit 1
    fi
}

tools() {
    local venv=$pack/tools req=$repo/tests/packaging/requirements.txt
    local stamp=$venv/requirements.sha256 want
    want=$(sha256sum "$req" | cut -d' ' -f1)
    if [[ ! -x $venv/bin/python || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
        step "pip install -r tests/packaging/requirements.txt into $venv"
        [[ -x $venv/bin/python ]] || run tools-venv python3 -m venv "$venv"
        run tools-pip "$venv/bin/python" -m pip install -r "$req"
        echo "$want" >"$stamp"
    fi
    export PATH=$venv/bin:$PATH
}

# The workspace version (Cargo.toml [workspace.package]), which the wheel, the binary's
# --version and the VS Code package carry.
workspace_version() {
    python3 - "$repo/Cargo.toml" <<'PY'
import sys, tomllib
print(tomllib.load(open(sys.argv[1], "rb"))["workspace"]["package"]["version"])
PY
}

wheel() {
    tools
    step "maturin build --release (reuses cargo build --release)"
    rm -rf "$pack/dist"
    (cd "$repo" && run maturin-build maturin build --release --out "$pack/dist")
    local found=("$pack"/dist/apigw_lsp-*.whl)
    [[ ${#found[@]} -eq 1 && -f ${found[0]} ]] || fail "maturin wrote no single wheel into $pack/dist"
    # shellcheck disable=SC2034 # read by the script that sourced this file
    wheel_file=${found[0]}
}
