#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml), both ways a user can install it:
#   1. `pre-commit try-repo` on this checkout, as `repo: <url>` would: pre-commit builds the
#      Python package from source (maturin, cargo) into its own environment;
#   2. a `repo: local` hook with `additional_dependencies: [apigw-lsp==VERSION]` (the README's
#      no-Rust route), here with the wheel that tests/packaging/lib.sh builds.
# Each runs in a temporary git repository holding a bad template (examples/orders-api.yaml:
# the hook fails and its output names the findings) and then a good one (the hook passes),
# with a non-template YAML file beside it that the hook must leave alone.
# Tools, pre-commit's cache and the source build go to target/packaging/. The source build
# reuses the compiled dependencies of target/ (see below).
set -euo pipefail
# shellcheck source=tests/packaging/lib.sh
source "$(dirname "$0")/packaging/lib.sh"
cd "$repo"

tools
wheel
version=$(workspace_version)
export PRE_COMMIT_HOME=$pack/pre-commit-home
# pre-commit's `pip install .` of this repository builds with maturin and cargo, in a new
# clone each time. Here it builds the dev profile (MATURIN_PEP517_ARGS), whose dependencies
# `cargo test` has compiled already: cargo's build-dir is target/, so only the crate itself
# is compiled (a release build of it takes about 3 minutes a run, with thin LTO). The
# binary lands in target/packaging/precommit-target, not in target/debug.
export MATURIN_PEP517_ARGS="--profile dev"
export CARGO_BUILD_BUILD_DIR=$repo/target CARGO_TARGET_DIR=$pack/precommit-target

# A temporary git repository with template.yaml taken from $1, and a Kubernetes manifest.
make_repo() {
    local dir=$1 template=$2
    rm -rf "$dir" && mkdir -p "$dir"
    git -C "$dir" init -q
    cp "$template" "$dir/template.yaml"
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {QueueUrl: x}\n' >"$dir/configmap.yaml"
    git -C "$dir" add -A
}

# expect NAME STATUS DIR CMD...: runs CMD in DIR, wants exit STATUS; the output is in
# $pack/logs/NAME.log and in `out`.
expect() {
    local name=$1 want=$2 dir=$3 status=0
    shift 3
    (cd "$dir" && "$@") >"$pack/logs/$name.log" 2>&1 || status=$?
    out=$(cat "$pack/logs/$name.log")
    if [[ $status -ne $want ]]; then
        echo "$out" | tail -n 40 >&2
        fail "$name: '$*' exited $status, expected $want (log: $pack/logs/$name.log)"
    fi
}

# The bad template's findings, as the hook prints them (paths relative to the repository).
bad_findings() {
    local label=$1
    for finding in 'template.yaml:59:9: error[unknown-parameter]' 'template.yaml:68:27: error[unknown-subtype]'; do
        grep -qF "$finding" <<<"$out" || fail "$label: the hook output does not name $finding"
    done
    grep -q '^apigw-lsp check\.*Failed' <<<"$out" || fail "$label: pre-commit did not report the hook as Failed"
}
good_passes() {
    local label=$1
    grep -q '^apigw-lsp check\.*Passed' <<<"$out" || fail "$label: pre-commit did not report the hook as Passed"
}

work=$pack/precommit
step "pre-commit try-repo on a bad template (builds the package from source the first time)"
make_repo "$work/try-bad" examples/orders-api.yaml
expect try-repo-bad 1 "$work/try-bad" pre-commit try-repo "$repo" apigw-lsp --all-files
bad_findings "try-repo"
pass "try-repo: the hook fails on examples/orders-api.yaml and names unknown-parameter, unknown-subtype"

step "pre-commit try-repo on a good template"
make_repo "$work/try-good" tests/packaging/clean.yaml
expect try-repo-good 0 "$work/try-good" pre-commit try-repo "$repo" apigw-lsp --all-files
good_passes "try-repo"
pass "try-repo: the hook passes on a clean template beside a ConfigMap"

step "repo: local hook with the wheel as additional_dependencies"
local_config() {
    cat >"$1/.pre-commit-config.yaml" <<YAML
repos:
  - repo: local
    hooks:
      - id: apigw-lsp
        name: apigw-lsp check
        entry: apigw-lsp check
        language: python
        # In a user's repository: additional_dependencies: ["apigw-lsp==$version"]
        additional_dependencies: ["$wheel_file"]
        files: \\.(ya?ml|json|template)\$
YAML
    git -C "$1" add .pre-commit-config.yaml
}
make_repo "$work/local-bad" examples/orders-api.yaml
local_config "$work/local-bad"
expect local-bad 1 "$work/local-bad" pre-commit run --all-files
bad_findings "local hook"
make_repo "$work/local-good" tests/packaging/clean.yaml
local_config "$work/local-good"
expect local-good 0 "$work/local-good" pre-commit run --all-files
good_passes "local hook"
pass "local hook with the wheel: fails on the bad template naming its findings, passes on the good one"
echo "PASS precommit ($((SECONDS - test_started)) s)"
