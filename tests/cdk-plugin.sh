#!/usr/bin/env bash
# The CDK policy validation plugin (integrations/cdk, @apigw-lsp/cdk-validator) in a real
# CDK app: packs the package with `npm pack`, installs the tarball next to pinned
# aws-cdk-lib and constructs (and typescript, for the types) into target/cdk-plugin/app,
# runs the package's unit tests (node --test, with a stand-in binary), checks index.d.ts
# against aws-cdk-lib's plugin interfaces with tsc, and synthesizes the example apps
# (integrations/cdk/example) with the release binary:
#   - the right parameter mapping synthesizes, and the plugin ran apigw-lsp on it;
#   - the wrong one (key `queueUrl`, `$request.heder.delay`) fails the synth with CDK's
#     report naming our codes, the construct path, the logical ID and property paths,
#     registered either way (policyValidationBeta1, Validations.of(app).addPlugins);
#   - the same findings made warnings by an .apigw-lsp.toml are reported, and pass;
#   - a missing binary and a failing binary fail the synth with a clear message.
# Also: the README's snippets are the example apps' first lines, the package version is
# the workspace's, and the package's ruleIds are the binary's rules.
#
# Needs node 20 and npm, python3 and the Rust toolchain; npm's cache stays in
# target/cdk-plugin, so a second run installs nothing. tests/script-failures.sh runs
# this with stub cargo, npm and node first on PATH to check that each failing fails it.
# shellcheck disable=SC2016 # the backticks in the patterns are the messages' own
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$repo/target/cdk-plugin
app=$work/app
logs=$work/logs
pkg=$repo/integrations/cdk
AWS_CDK_LIB=2.278.0
CONSTRUCTS=10.8.1
TYPESCRIPT=5.9.3
mkdir -p "$app" "$logs"
started=$SECONDS
export npm_config_cache=$work/npm-cache npm_config_update_notifier=false npm_config_fund=false \
    npm_config_audit=false npm_config_yes=true

step() { echo "-- cdk-plugin [$((SECONDS - started))s]: $*"; }
fail() {
    echo "FAIL cdk-plugin: $*" >&2
    exit 1
}
# run NAME CMD...: CMD with its output in $logs/NAME.log; on failure, says which step
# failed and shows the end of the log.
run() {
    local name=$1
    shift
    if ! "$@" >"$logs/$name.log" 2>&1; then
        echo "FAIL cdk-plugin: step '$name' ($*); last lines of $logs/$name.log:" >&2
        tail -n 40 "$logs/$name.log" >&2
        exit 1
    fi
}

step "cargo build --release --locked"
run cargo-build cargo build --release --locked
bin=$repo/target/release/apigw-lsp

step "npm pack integrations/cdk"
rm -rf "$work/pack" && mkdir -p "$work/pack"
(cd "$pkg" && run npm-pack npm pack --pack-destination "$work/pack")
tarballs=("$work"/pack/*.tgz)
[[ ${#tarballs[@]} == 1 && -f ${tarballs[0]} ]] || fail "npm pack wrote no single tarball into $work/pack"
tarball=${tarballs[0]}
# What a user installs: the code and its types, not the tests or the example.
tar -tzf "$tarball" >"$logs/tarball.txt" || fail "tar cannot list $tarball"
for f in package/package.json package/README.md package/LICENSE package/index.js package/index.d.ts \
    package/lib/locate.js package/lib/report.js package/lib/run.js package/lib/rule-ids.json; do
    grep -qx "$f" "$logs/tarball.txt" || fail "$tarball lacks $f (package.json \"files\")"
done
if grep -E '^package/(test|example)/' "$logs/tarball.txt"; then
    fail "$tarball holds the tests or the example"
fi

step "npm install aws-cdk-lib@$AWS_CDK_LIB constructs@$CONSTRUCTS typescript@$TYPESCRIPT, then the tarball"
cat >"$app/package.json" <<JSON
{
  "private": true,
  "dependencies": {
    "aws-cdk-lib": "$AWS_CDK_LIB",
    "constructs": "$CONSTRUCTS",
    "typescript": "$TYPESCRIPT"
  }
}
JSON
(cd "$app" && run npm-install npm install --no-package-lock)
# As a user would: `npm install` of the package (its tarball), which has no dependency
# of its own; --no-save keeps it out of package.json so the next run installs it again.
(cd "$app" && run npm-install-plugin npm install --no-save --no-package-lock "$tarball")

step "unit tests: node --test integrations/cdk/test/"
(cd "$pkg" && run unit-tests node --test --test-reporter=tap test/)
# A run that ran nothing must not pass (TAP ends with these counts).
grep -Eq '^# pass [1-9][0-9]*$' "$logs/unit-tests.log" || fail "node --test reported no passing test ($logs/unit-tests.log)"
grep -Eq '^# fail 0$' "$logs/unit-tests.log" || fail "node --test did not report 0 failures ($logs/unit-tests.log)"
echo "   $(grep -E '^# (tests|pass|fail) ' "$logs/unit-tests.log" | tr '\n' ' ')"

step "the package agrees with the workspace, the binary and the README"
python3 - "$repo" "$bin" <<'PY' || fail "the package, the binary and the README disagree (above)"
import json, re, subprocess, sys, tomllib
repo, binary = sys.argv[1], sys.argv[2]
ok = True
def bad(msg):
    global ok
    ok = False
    print("  " + msg)
pkg = json.load(open(f"{repo}/integrations/cdk/package.json"))
version = tomllib.load(open(f"{repo}/Cargo.toml", "rb"))["workspace"]["package"]["version"]
if pkg["version"] != version:
    bad(f"integrations/cdk/package.json has version {pkg['version']}, the workspace {version}")
# ruleIds are the binary's rules (its SARIF driver lists every code).
sarif = subprocess.run([binary, "check", "--format", "sarif", f"{repo}/integrations/cdk/test/fixtures/orders.template.json"],
                       capture_output=True, text=True)
try:
    rules = [r["id"] for r in json.loads(sarif.stdout)["runs"][0]["tool"]["driver"]["rules"]]
except Exception as e:
    rules = None
    bad(f"{binary} check --format sarif gave no rule list ({e}); stderr: {sarif.stderr.strip()}")
ids = json.load(open(f"{repo}/integrations/cdk/lib/rule-ids.json"))
if rules is not None and ids != rules:
    bad(f"integrations/cdk/lib/rule-ids.json is not the binary's rule list: missing {sorted(set(rules) - set(ids))}, "
        f"extra {sorted(set(ids) - set(rules))} (write it from `apigw-lsp check --format sarif`'s driver rules, in order)")
# Each README snippet marked `<!-- cdk-plugin: FILE -->` is the first lines of FILE.
readme = open(f"{repo}/README.md").read()
snippets = re.findall(r"<!-- cdk-plugin: (\S+) -->\s*```js\n(.*?)```", readme, re.S)
if len(snippets) < 2:
    bad(f"README.md has {len(snippets)} snippet(s) marked <!-- cdk-plugin: FILE -->, not 2")
for path, code in snippets:
    text = open(f"{repo}/{path}").read()
    if not text.startswith(code):
        bad(f"the README snippet marked {path} is not how {path} begins")
sys.exit(0 if ok else 1)
PY

step "tsc: index.d.ts and its use with aws-cdk-lib's plugin interfaces"
cp "$pkg/test/types.ts" "$app/types.ts"
(cd "$app" && run tsc-dts node node_modules/typescript/bin/tsc --noEmit --strict --target es2022 \
    node_modules/@apigw-lsp/cdk-validator/index.d.ts)
(cd "$app" && run tsc-use node node_modules/typescript/bin/tsc --noEmit --strict --skipLibCheck \
    --module commonjs --moduleResolution node --target es2022 types.ts)

# `apigw-lsp` on PATH (as the README's snippets find it) records its calls, then runs
# the release binary.
mkdir -p "$work/path"
cat >"$work/path/apigw-lsp" <<SH
#!/bin/sh
printf '%s\n' "\$*" >>"\$APIGW_CALLS"
exec "$bin" "\$@"
SH
chmod +x "$work/path/apigw-lsp"
cat >"$work/failing-apigw-lsp" <<'SH'
#!/bin/sh
echo "apigw-lsp check: something broke (stand-in)" >&2
exit 3
SH
chmod +x "$work/failing-apigw-lsp"
cp "$pkg"/example/*.js "$app/"
rm -f "$app/.apigw-lsp.toml"
trap 'rm -f "$app/.apigw-lsp.toml"' EXIT

# synth NAME WANT FILE [VAR=VALUE...]: synthesizes the example app FILE into
# $app/cdk.out.NAME, output in $logs/synth-NAME.log; WANT is pass or fail.
synth() {
    local name=$1 want=$2 file=$3 status=0
    shift 3
    rm -rf "$app/cdk.out.$name" "$logs/calls-$name.log"
    (cd "$app" && env PATH="$work/path:$PATH" APIGW_CALLS="$logs/calls-$name.log" \
        CDK_OUTDIR="$app/cdk.out.$name" "$@" node "$file") >"$logs/synth-$name.log" 2>&1 || status=$?
    if [[ $want == pass && $status != 0 ]]; then
        tail -n 40 "$logs/synth-$name.log" >&2
        fail "synth $name ($file $*) exited with status $status (log above)"
    elif [[ $want == fail && $status == 0 ]]; then
        tail -n 40 "$logs/synth-$name.log" >&2
        fail "synth $name ($file $*) passed; it should have failed (log above)"
    fi
    echo "   synth $name: exit $status"
}
# expect NAME PATTERN...: the synth log has each (grep -E) pattern.
expect() {
    local name=$1 pattern
    shift
    for pattern in "$@"; do
        grep -Eq -- "$pattern" "$logs/synth-$name.log" \
            || fail "synth $name: no line matching /$pattern/ in $logs/synth-$name.log"
    done
}
# report NAME CONCLUSION SEVERITY: CDK's validation-report.json of synth NAME holds our
# plugin's report with that conclusion and the three findings of the wrong mapping at
# SEVERITY, each on the integration's construct with its logical ID and property path;
# CONCLUSION `none` means our plugin is not in the report (it found nothing).
report() {
    python3 - "$app/cdk.out.$1/validation-report.json" "$2" "$3" <<'PY' || fail "synth $1: CDK's validation report is not as expected (above)"
import json, re, sys
path, conclusion, severity = sys.argv[1:4]
reports = [r for r in json.load(open(path))["pluginReports"] if r["pluginName"] == "apigw-lsp"]
if conclusion == "none":
    sys.exit(f"  {path}: apigw-lsp reported {reports}" if reports else 0)
if len(reports) != 1:
    sys.exit(f"  {path}: {len(reports)} apigw-lsp reports")
r = reports[0]
problems = []
if r["conclusion"] != conclusion:
    problems.append(f"conclusion {r['conclusion']}, wanted {conclusion}")
want = {
    "missing-required-parameter": ("SQS-SendMessage requires parameter `QueueUrl`", "Properties.RequestParameters"),
    "unknown-parameter": ("SQS-SendMessage has no parameter `queueUrl`; did you mean `QueueUrl`?", "Properties.RequestParameters.queueUrl"),
    "invalid-expression": ("`heder` is not a request part; did you mean `header`?", "Properties.RequestParameters.DelaySeconds"),
}
got = {v["ruleName"]: v for v in r["violations"]}
if sorted(got) != sorted(want):
    problems.append(f"rules {sorted(got)}, wanted {sorted(want)}")
for rule, (message, prop) in want.items():
    v = got.get(rule)
    if not v:
        continue
    c = v["violatingConstructs"]
    res = c[0].get("cloudFormationResource") or {} if c else {}
    checks = [
        (message in v["description"], f"description {v['description']!r}"),
        (v["severity"] == severity, f"severity {v['severity']}"),
        (v.get("suggestedFix", "").endswith(f"diagnostics.md#{rule}"), f"fix {v.get('suggestedFix')!r}"),
        (len(c) == 1 and c[0]["constructPath"] == "Orders/Api/POST--orders/SendOrder/Resource", f"constructs {c}"),
        (re.fullmatch(r"ApiPOSTordersSendOrder[0-9A-F]{8}", res.get("logicalId", "")), f"logical ID {res.get('logicalId')}"),
        (res.get("templatePath") == "Orders.template.json", f"template {res.get('templatePath')}"),
        (res.get("propertyPaths") == [prop], f"property paths {res.get('propertyPaths')}, wanted [{prop}]"),
    ]
    problems += [f"{rule}: {what}" for good, what in checks if not good]
if problems:
    sys.exit("\n".join(f"  {path}: {p}" for p in problems))
PY
}
# called NAME: the plugin ran apigw-lsp check --format json on the synthesized template.
called() {
    grep -Eq -- "^check --format json -- $app/cdk.out.$1/Orders.template.json$" "$logs/calls-$1.log" 2>/dev/null \
        || fail "synth $1: apigw-lsp was not run on its template (calls: $(cat "$logs/calls-$1.log" 2>/dev/null || echo none))"
}

step "synth the example app with the right mapping (policyValidationBeta1)"
synth good pass app.js ORDERS_MAPPING=good
called good
report good none -

step "synth it with the wrong mapping: the report names the codes, the construct and the property paths"
synth bad fail app.js ORDERS_MAPPING=bad
called bad
expect bad '^ERROR SQS-SendMessage has no parameter `queueUrl`; did you mean `QueueUrl`\? \(apigw-lsp\)$' \
    '^ERROR `heder` is not a request part; did you mean `header`\? \(apigw-lsp\)$' \
    "^ +Orders/Api/POST--orders/SendOrder/Resource \(ApiPOSTordersSendOrder[0-9A-F]{8}\) " \
    "Acknowledge with 'apigw-lsp::unknown-parameter'" 'Validation failed'
report bad failure error
python3 - "$repo/README.md" "$logs/synth-bad.log" <<'PY' || fail "the README's sample report is not what the synth printed (above)"
import re, sys
m = re.search(r"<!-- cdk-plugin: report -->\s*```text\n(.*?)```", open(sys.argv[1]).read(), re.S)
if not m:
    sys.exit("  README.md has no sample report marked <!-- cdk-plugin: report -->")
printed = open(sys.argv[2]).read().splitlines()
missing = [line for line in m.group(1).splitlines() if line not in printed]
if missing:
    sys.exit("  lines of the README's sample report that the synth did not print:\n" + "\n".join(missing))
PY

step "the same with Validations.of(app).addPlugins (aws-cdk-lib 2.251.0 and later)"
synth bad-validations fail app-validations.js ORDERS_MAPPING=bad
called bad-validations
expect bad-validations '^ERROR SQS-SendMessage has no parameter `queueUrl`; did you mean `QueueUrl`\? \(apigw-lsp\)$' \
    "^ +Orders/Api/POST--orders/SendOrder/Resource \(ApiPOSTordersSendOrder[0-9A-F]{8}\) "
report bad-validations failure error

step "findings an .apigw-lsp.toml makes warnings are reported, and the synth passes"
cat >"$app/.apigw-lsp.toml" <<'TOML'
[severity]
missing-required-parameter = "warning"
unknown-parameter = "warning"
invalid-expression = "warning"
TOML
synth warnings pass app-validations.js ORDERS_MAPPING=bad
rm -f "$app/.apigw-lsp.toml"
expect warnings '^WARNING SQS-SendMessage has no parameter `queueUrl`; did you mean `QueueUrl`\? \(apigw-lsp\)$'
report warnings success warning

step "a missing binary fails the synth with a clear message"
synth no-binary fail app.js ORDERS_MAPPING=good APIGW_LSP="$work/no-such-apigw-lsp"
expect no-binary "Validation plugin 'apigw-lsp' failed: cannot run \`$work/no-such-apigw-lsp\` \(from APIGW_LSP\): no such file; install apigw-lsp"
# The message, not a stack trace through the plugin's code.
if grep -n 'node_modules/@apigw-lsp/cdk-validator' "$logs/synth-no-binary.log"; then
    fail "synth no-binary: the output shows the plugin's code (a stack trace?): $logs/synth-no-binary.log"
fi

step "a failing binary fails the synth, with what it said"
synth failing-binary fail app.js ORDERS_MAPPING=good APIGW_LSP="$work/failing-apigw-lsp"
expect failing-binary "Validation plugin 'apigw-lsp' failed: .*failing-apigw-lsp check --format json \(1 template\) exited with status 3; it said:" \
    'apigw-lsp check: something broke \(stand-in\)'

echo "PASS cdk-plugin ($((SECONDS - started)) s; logs in $logs)"
