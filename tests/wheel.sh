#!/usr/bin/env bash
# The Python wheel (pyproject.toml, maturin `bindings = "bin"`): builds it, checks what it
# holds, installs it the three ways the README gives (pip into a fresh virtual environment,
# `uv tool install`, `pipx install`) and runs the installed `apigw-lsp`: --version, `check`
# on examples/orders-api.yaml (exit 1, the `queueUrl` finding) and on a clean template
# (exit 0). The sdist is checked for the files a build from source needs.
# Installs maturin, uv and pipx (tests/packaging/requirements.txt) into target/packaging/.
set -euo pipefail
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/packaging/lib.sh"
cd "$repo"

if [[ ! -x target/release/apigw-lsp ]]; then
    step "cargo build --release --locked"
    cargo build --release --locked
fi
wheel
version=$(workspace_version)
name=$(basename "$wheel_file")
[[ $name == apigw_lsp-$version-py3-none-*.whl ]] || fail "unexpected wheel name $name (version $version)"
python3 - "$wheel_file" "$version" <<'PY' || fail "the wheel's contents"
import sys, zipfile
wheel, version = sys.argv[1], sys.argv[2]
names = zipfile.ZipFile(wheel).namelist()
script = f"apigw_lsp-{version}.data/scripts/apigw-lsp"
assert script in names, f"no {script} in {names}"
meta = zipfile.ZipFile(wheel).read(f"apigw_lsp-{version}.dist-info/METADATA").decode()
for line in ("Name: apigw-lsp", f"Version: {version}", "License-Expression: MIT OR Apache-2.0"):
    assert line in meta.splitlines(), f"METADATA lacks {line!r}"
PY
pass "$name holds the binary as a script, with name, version and license"

# check_install LABEL BIN: the installed binary answers --version and checks templates.
check_install() {
    local label=$1 bin=$2 out status
    [[ -x $bin ]] || fail "$label: no $bin"
    out=$("$bin" --version) || fail "$label: $bin --version failed"
    [[ $out == "apigw-lsp $version" ]] || fail "$label: --version printed '$out', expected 'apigw-lsp $version'"
    status=0
    out=$("$bin" check examples/orders-api.yaml) || status=$?
    [[ $status -eq 1 ]] || fail "$label: check examples/orders-api.yaml exited $status, expected 1"
    # shellcheck disable=SC2016 # the backquotes are the message's own
    grep -qF 'examples/orders-api.yaml:59:9: error[unknown-parameter] SQS-SendMessage has no parameter `queueUrl`' <<<"$out" \
        || fail "$label: check examples/orders-api.yaml did not report unknown-parameter queueUrl: $out"
    "$bin" check tests/packaging/clean.yaml || fail "$label: check tests/packaging/clean.yaml exited non-zero"
    pass "$label: apigw-lsp $version; orders-api.yaml exit 1 with unknown-parameter, clean.yaml exit 0"
}

step "pip install the wheel into a fresh virtual environment"
venv=$pack/venv-pip
rm -rf "$venv"
run venv python3 -m venv "$venv"
run pip-install "$venv/bin/python" -m pip install --no-index "$wheel_file"
check_install "pip install" "$venv/bin/apigw-lsp"

step "uv tool install the wheel"
uv_home=$pack/uv
rm -rf "$uv_home"
UV_TOOL_DIR=$uv_home/tools UV_TOOL_BIN_DIR=$uv_home/bin UV_CACHE_DIR=$uv_home/cache \
    UV_PYTHON_DOWNLOADS=never run uv-tool-install uv tool install --offline "$wheel_file"
check_install "uv tool install" "$uv_home/bin/apigw-lsp"

step "pipx install the wheel"
pipx_home=$pack/pipx
rm -rf "$pipx_home"
PIPX_HOME=$pipx_home/home PIPX_BIN_DIR=$pipx_home/bin PIPX_MAN_DIR=$pipx_home/man \
    run pipx-install pipx install "$wheel_file"
check_install "pipx install" "$pipx_home/bin/apigw-lsp"

step "maturin sdist"
run maturin-sdist maturin sdist --out "$pack/sdist"
sdist=$(find "$pack/sdist" -name "apigw_lsp-$version.tar.gz" | head -n 1)
[[ -n $sdist ]] || fail "maturin sdist wrote no apigw_lsp-$version.tar.gz"
python3 - "$sdist" "$version" <<'PY' || fail "the sdist lacks files a build from source needs"
import sys, tarfile
sdist, version = sys.argv[1], sys.argv[2]
names = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
need = {"pyproject.toml", "Cargo.toml", "Cargo.lock", "server/Cargo.toml", "server/src/main.rs",
        "server/data/catalog.json", "LICENSE-MIT"}
missing = sorted(need - names)
assert not missing, f"missing {missing}"
PY
pass "the sdist holds the workspace manifest, Cargo.lock, the crate and its catalog"
echo "PASS wheel ($((SECONDS - test_started)) s)"
