#!/usr/bin/env bash
# The GitHub Action (action.yml, .github/action/run.sh) and the workflows under
# .github/workflows/:
#   - lint: actionlint on the workflows (which also checks the inputs given to `uses: ./`
#     against action.yml, and runs shellcheck on their `run:` scripts), action.yml and the
#     workflows against the GitHub Actions schemas that check-jsonschema ships, shellcheck
#     on run.sh;
#   - run.sh run locally, as the action runs it: on examples/orders-api.yaml (exit 1, seven
#     errors), on a clean template (exit 0), with fail-on none / warning and --severity
#     passed through `args`, with GitHub annotations, with a missing path (exit 2, no
#     SARIF output), with `baseline` passed on as --baseline (to a stub binary that records
#     its arguments), and each install route: a package index (pip, the wheel from
#     tests/packaging/lib.sh standing in for PyPI), PATH, and a release archive made by
#     .github/release/archive.sh served over HTTP on 127.0.0.1 (checksum checked; a wrong
#     .sha256 is refused);
#   - each SARIF report validated by Microsoft's SARIF Multitool (`validate`: the schema and
#     the SARIF rules; errors fail, warnings are counted) and against its sarif-2.1.0.json
#     schema with check-jsonschema.
# Installs the tools (pip, npm) into target/packaging/.
set -euo pipefail
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/packaging/lib.sh"
cd "$repo"

tools
work=$pack/action
rm -rf "$work" && mkdir -p "$work"

step "lint: actionlint, GitHub Actions schemas, shellcheck"
run actionlint actionlint -no-color .github/workflows/*.yml
run schema-action check-jsonschema --builtin-schema vendor.github-actions action.yml
run schema-workflows check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
run shellcheck-run shellcheck .github/action/run.sh
pass "actionlint, the vendor.github-actions/-workflows schemas and shellcheck find nothing"

multitool_dir=$pack/sarif-multitool
multitool=$multitool_dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [[ ! -x $multitool ]]; then
    step "npm install @microsoft/sarif-multitool-linux"
    mkdir -p "$multitool_dir"
    (cd "$multitool_dir" && npm_config_cache=$pack/npm-cache run sarif-multitool-npm \
        npm install --no-save --no-package-lock --no-fund --no-audit @microsoft/sarif-multitool-linux@5.7.0)
    # Its postinstall (chmod) may be skipped by npm's install-script policy.
    chmod u+x "$multitool"
fi
sarif_schema=$(dirname "$multitool")/sarif-2.1.0.json
[[ -f $sarif_schema ]] || fail "no sarif-2.1.0.json in the SARIF Multitool package"

# validate_sarif FILE: the SARIF Multitool finds no error in it, and it matches the schema.
validate_sarif() {
    local file=$1 name
    name=$(basename "$file" .sarif)
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
    run "multitool-$name" "$multitool" validate --output "$work/$name.validation.sarif" "$file"
    python3 - "$work/$name.validation.sarif" <<'PY' || fail "the SARIF Multitool reports errors in $file"
import collections, json, sys
log = json.load(open(sys.argv[1]))
seen = collections.Counter((r.get("level", "warning"), r["ruleId"]) for run in log["runs"] for r in run.get("results", []))
errors = {k: n for k, n in seen.items() if k[0] == "error"}
print("   SARIF Multitool:", ", ".join(f"{n} x {lvl} {rule}" for (lvl, rule), n in sorted(seen.items())) or "nothing")
sys.exit(1 if errors else 0)
PY
    run "schema-$name" check-jsonschema --schemafile "$sarif_schema" "$file"
}

# action NAME STATUS [VAR=VALUE]...: runs run.sh with those inputs (and the release binary
# unless APIGW_LSP is among them), wants exit STATUS; output in $work/NAME.log, step
# outputs in $work/NAME.out.
action() {
    local name=$1 want=$2 status=0
    shift 2
    : >"$work/$name.out"
    env APIGW_LSP="$repo/target/release/apigw-lsp" GITHUB_OUTPUT="$work/$name.out" GITHUB_ACTIONS=false \
        RUNNER_TEMP="$work/runner-temp" INPUT_SARIF_FILE="$work/$name.sarif" "$@" \
        bash .github/action/run.sh >"$work/$name.log" 2>&1 || status=$?
    if [[ $status -ne $want ]]; then
        tail -n 30 "$work/$name.log" >&2
        fail "$name: run.sh exited $status, expected $want (log: $work/$name.log)"
    fi
}
# has_output NAME KEY VALUE: the step output KEY of run NAME is VALUE.
has_output() {
    grep -qx "$2=$3" "$work/$1.out" || fail "$1: output $2 is not $3: $(tr '\n' ' ' <"$work/$1.out")"
}

if [[ ! -x target/release/apigw-lsp ]]; then
    step "cargo build --release --locked"
    cargo build --release --locked
fi

step "run.sh on examples/orders-api.yaml"
action orders 1 INPUT_PATHS=examples/orders-api.yaml
has_output orders errors 7
has_output orders exit-code 1
has_output orders sarif-file "$work/orders.sarif"
grep -qF 'examples/orders-api.yaml:59:9: error[unknown-parameter]' "$work/orders.log" \
    || fail "orders: run.sh did not print the unknown-parameter finding"
validate_sarif "$work/orders.sarif"
pass "orders-api.yaml: exit 1, 7 errors, findings printed, SARIF valid"

step "run.sh on a clean template, and on a folder with fail-on none"
action clean 0 INPUT_PATHS=tests/packaging/clean.yaml
has_output clean findings 0
validate_sarif "$work/clean.sarif"
action none 0 INPUT_PATHS="examples
tests/packaging/clean.yaml" INPUT_FAIL_ON=none
has_output none errors 7
pass "clean.yaml: exit 0, no findings, SARIF valid; fail-on none: exit 0 with 7 errors"

step "fail-on with severities lowered through args"
lowered="--severity wrong-payload-format-version=warning --severity missing-required-parameter=warning
 --severity unknown-parameter=warning --severity invalid-expression=warning --severity missing-credentials=warning
 --severity unknown-subtype=warning --severity unknown-context-variable=warning"
action lowered-error 0 INPUT_PATHS=examples/orders-api.yaml INPUT_ARGS="$lowered" INPUT_FAIL_ON=error
has_output lowered-error warnings 7
action lowered-warning 1 INPUT_PATHS=examples/orders-api.yaml INPUT_ARGS="$lowered" INPUT_FAIL_ON=warning
action lowered-note 1 INPUT_PATHS=examples/orders-api.yaml INPUT_ARGS="$lowered" INPUT_FAIL_ON=note
action bad-fail-on 2 INPUT_PATHS=examples/orders-api.yaml INPUT_FAIL_ON=sometimes
pass "7 warnings: fail-on error passes, warning and note fail; an unknown fail-on is exit 2"

step "annotations on GitHub, and a path that does not exist"
action annotations 1 INPUT_PATHS=examples/orders-api.yaml GITHUB_ACTIONS=true
grep -qF '::error file=examples/orders-api.yaml,line=59,col=9,title=apigw-lsp unknown-parameter::[unknown-parameter]' \
    "$work/annotations.log" || fail "annotations: no ::error command for the unknown-parameter finding"
action missing 2 INPUT_PATHS=does/not/exist.yaml
grep -q '^sarif-file=' "$work/missing.out" && fail "missing: run.sh set sarif-file although check failed"
pass "GitHub annotations point at file, line and column; a missing path is exit 2 and no upload"

step "baseline passed on as --baseline FILE"
stub=$work/stub-apigw-lsp
cat >"$stub" <<STUB
#!/usr/bin/env bash
[[ \$1 == --version ]] && { echo "apigw-lsp stub"; exit 0; }
printf '%s\n' "\$@" >"$work/stub-args"
echo '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "apigw-lsp"}}, "results": []}]}'
STUB
chmod +x "$stub"
action baseline 0 APIGW_LSP="$stub" INPUT_PATHS="a.yaml b" INPUT_BASELINE=ci/apigw-baseline.json
[[ "$(tr '\n' ' ' <"$work/stub-args")" == "check --format sarif --baseline ci/apigw-baseline.json -- a.yaml b " ]] \
    || fail "baseline: the binary got: $(tr '\n' ' ' <"$work/stub-args")"
action no-baseline 0 APIGW_LSP="$stub" INPUT_PATHS=a.yaml
grep -qx -- --baseline "$work/stub-args" && fail "no-baseline: --baseline passed without the input"
pass "baseline input becomes --baseline FILE before the paths; no input, no flag"

step "install from a package index (the wheel standing in for PyPI) and from PATH"
wheel
action install-pypi 1 APIGW_LSP= INPUT_INSTALL=pypi INPUT_PATHS=examples/orders-api.yaml \
    PIP_NO_INDEX=1 PIP_FIND_LINKS="$pack/dist" PATH="$PATH"
grep -q "installed apigw-lsp $(workspace_version) from PyPI" "$work/install-pypi.log" \
    || fail "install-pypi: run.sh did not install from the index"
grep -qF "($work/runner-temp/apigw-lsp-venv/bin/apigw-lsp)" "$work/install-pypi.log" \
    || fail "install-pypi: run.sh did not use the installed binary"
action install-path 0 APIGW_LSP= INPUT_INSTALL=path INPUT_PATHS=tests/packaging/clean.yaml \
    PATH="$repo/target/release:$PATH"
grep -qF "($repo/target/release/apigw-lsp)" "$work/install-path.log" || fail "install-path: not the binary on PATH"
action install-none 2 APIGW_LSP= INPUT_INSTALL=path INPUT_PATHS=tests/packaging/clean.yaml PATH=/usr/bin:/bin
pass "install pypi: pip installs apigw-lsp==$(workspace_version) into RUNNER_TEMP; install path: PATH's binary, exit 2 without one"

step "install from a release archive (served on 127.0.0.1, as archive.sh makes it)"
version=$(workspace_version)
releases=$work/releases
run archive-for-action .github/release/archive.sh x86_64-unknown-linux-gnu "$repo/target/release/apigw-lsp" "$releases/v$version"
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$releases" "$http_port" >"$work/http.log" 2>&1 &
http_pid=$!
trap 'kill "$http_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
    curl -fs -o /dev/null "http://127.0.0.1:$http_port/" && break
    sleep 0.1
done
served=(APIGW_LSP= APIGW_LSP_RELEASES="http://127.0.0.1:$http_port" APIGW_LSP_TARGET=x86_64-unknown-linux-gnu)
action install-release 1 "${served[@]}" INPUT_INSTALL=release INPUT_PATHS=examples/orders-api.yaml
grep -qF "installed apigw-lsp-x86_64-unknown-linux-gnu.tar.gz from http://127.0.0.1:$http_port/v$version/" \
    "$work/install-release.log" || fail "install-release: not installed from the release archive"
grep -qF "($work/runner-temp/apigw-lsp-release/apigw-lsp)" "$work/install-release.log" \
    || fail "install-release: not the unpacked binary"
has_output install-release errors 7
# auto, with no apigw-lsp on PATH: the release archive comes first.
action install-auto 0 "${served[@]}" INPUT_INSTALL=auto INPUT_PATHS=tests/packaging/clean.yaml PATH=/usr/bin:/bin
grep -qF "installed apigw-lsp-x86_64-unknown-linux-gnu.tar.gz" "$work/install-auto.log" \
    || fail "install-auto: did not take the release archive"
echo "0000000000000000000000000000000000000000000000000000000000000000  apigw-lsp-x86_64-unknown-linux-gnu.tar.gz" \
    >"$releases/v$version/apigw-lsp-x86_64-unknown-linux-gnu.tar.gz.sha256"
action install-tampered 2 "${served[@]}" INPUT_INSTALL=release INPUT_PATHS=tests/packaging/clean.yaml
grep -qF "does not match its .sha256" "$work/install-tampered.log" || fail "install-tampered: no checksum error"
kill "$http_pid" 2>/dev/null || true
trap - EXIT
pass "install release: v$version's archive downloaded, checked and run (also first under auto); a wrong .sha256 is exit 2"
echo "PASS action ($((SECONDS - test_started)) s)"
