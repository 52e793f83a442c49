'use strict';
// Unit tests of the plugin with a stand-in binary (fake-apigw-lsp.js): where findings
// land in the template, how they become violations, how the binary is found, and what
// happens when it cannot run or fails. `node --test test/` (tests/cdk-plugin.sh runs
// them; the real binary and a real CDK app are tested there too).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ApiGwLspValidator, ApiGwLspError } = require('..');
const { locator, JsonSyntaxError } = require('../lib/locate');
const { buildReport, Templates } = require('../lib/report');

const FAKE = path.join(__dirname, 'fake-apigw-lsp.js');
const FIXTURE = path.join(__dirname, 'fixtures', 'orders.template.json');
const FIXTURE_TEXT = fs.readFileSync(FIXTURE, 'utf8');
const INTEGRATION = 'ApiPOSTordersSendOrder73169F49';

/** The zero-based LSP position of the `nth` occurrence of `needle` in `text`. */
function positionOf(text, needle, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${JSON.stringify(needle)} (#${nth}) is in the text`);
  }
  const before = text.slice(0, at).split(/\r\n|\n|\r/);
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** A finding as `apigw-lsp check --format json` writes it, over `needle` in `text`. */
function finding(file, text, needle, code, severity = 'error', message = `${code} message`) {
  const start = positionOf(text, needle);
  return { file, code, severity, message, range: { start, end: { line: start.line, character: start.character + needle.length } } };
}

function tmpdir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apigw-lsp-cdk-test-'));
  test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs `fn` with environment variables set (undefined removes one), then restores them. */
function withEnv(vars, fn) {
  const saved = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const FAKE_VARS = ['FAKE_APIGW_LSP_LOG', 'FAKE_APIGW_LSP_STDOUT', 'FAKE_APIGW_LSP_STDERR', 'FAKE_APIGW_LSP_STATUS', 'FAKE_APIGW_LSP_SIGNAL', 'APIGW_LSP'];
/** The fake's behaviour for one call: {stdout, stderr, status, signal, log}; everything else unset. */
function fake(opts, fn) {
  const vars = Object.fromEntries(FAKE_VARS.map((k) => [k, undefined]));
  Object.assign(vars, {
    FAKE_APIGW_LSP_LOG: opts.log,
    FAKE_APIGW_LSP_STDOUT: opts.stdout,
    FAKE_APIGW_LSP_STDERR: opts.stderr,
    FAKE_APIGW_LSP_STATUS: opts.status === undefined ? undefined : String(opts.status),
    FAKE_APIGW_LSP_SIGNAL: opts.signal,
    APIGW_LSP: opts.env,
  });
  return withEnv(vars, fn);
}

const calls = (log) => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse) : []);

// ---------------------------------------------------------------- locating findings

test('a key, a value and an item of a CDK template are located by their keys', () => {
  const at = locator(FIXTURE_TEXT);
  assert.deepEqual(at.at(positionOf(FIXTURE_TEXT, '"queueUrl"')), ['Resources', INTEGRATION, 'Properties', 'RequestParameters', 'queueUrl']);
  // Inside a string value, past its opening quote.
  const heder = positionOf(FIXTURE_TEXT, 'heder');
  assert.deepEqual(at.at(heder), ['Resources', INTEGRATION, 'Properties', 'RequestParameters', 'DelaySeconds']);
  // Inside an intrinsic function (Fn::Join's list, in the route's target): the key
  // that holds it.
  assert.deepEqual(at.at(positionOf(FIXTURE_TEXT, '"integrations/"')), ['Resources', 'ApiPOSTorders035B9622', 'Properties', 'Target']);
  assert.deepEqual(at.at(positionOf(FIXTURE_TEXT, '"Queue4A7E3555"', 2)), ['Resources', INTEGRATION, 'Properties', 'RequestParameters', 'queueUrl']);
  // An item of a list that is no intrinsic function.
  assert.deepEqual(at.at(positionOf(FIXTURE_TEXT, '"sts:AssumeRole"')), [
    'Resources', 'ApiPOSTordersInvokeRoleC38DEC1B', 'Properties', 'AssumeRolePolicyDocument', 'Statement', 0, 'Action',
  ]);
  // The blank before a key belongs to the object around it.
  const key = positionOf(FIXTURE_TEXT, '"RequestParameters"');
  assert.deepEqual(at.at({ line: key.line, character: 0 }), ['Resources', INTEGRATION, 'Properties']);
  // Outside Resources.
  assert.deepEqual(at.at(positionOf(FIXTURE_TEXT, '"/cdk-bootstrap')), ['Parameters', 'BootstrapVersion', 'Default']);
});

test('columns count UTF-16 code units, and CRLF, LF and CR all end lines', () => {
  // 🚀 is one code point but two UTF-16 code units: `"queueUrl"` starts at column 15
  // counted in UTF-16 (as apigw-lsp and LSP count), at 14 in code points.
  const line = '{"D": "🚀", "R": {"queueUrl": 1, "QueueUrl": 2}}';
  assert.equal(line.indexOf('"queueUrl"'), 18);
  const at = locator(line);
  assert.deepEqual(at.at({ line: 0, character: 18 }), ['R', 'queueUrl']);
  assert.deepEqual(at.at({ line: 0, character: 17 }), ['R']);
  for (const eol of ['\r\n', '\n', '\r']) {
    const text = ['{', ' "A": 1,', ' "B": {', '  "C": "x"', ' }', '}'].join(eol);
    assert.deepEqual(locator(text).at({ line: 3, character: 2 }), ['B', 'C'], JSON.stringify(eol));
  }
  // A column past the end of its line stays on that line (after its comma here), not
  // in the next line's member.
  assert.deepEqual(locator('{\n "A": 1,\n "B": 2\n}').at({ line: 1, character: 99 }), []);
  assert.deepEqual(locator('{\n "A": 1,\n "B": 2\n}').at({ line: 1, character: 6 }), ['A']);
});

test('text that is not JSON is refused', () => {
  for (const bad of ['Resources:\n  X: 1\n', '{"a": 1,}', '{"a": "unterminated}', '{"a": 1} x']) {
    assert.throws(() => locator(bad), JsonSyntaxError, bad);
  }
  // Escapes in keys are undone (the path holds the key's text).
  assert.deepEqual(locator('{"a\\"b\\u0041": {"c": 1}}').at({ line: 0, character: 16 }), ['a"bA', 'c']);
});

// ---------------------------------------------------------------- the report

test("today's findings become violations with the resource's logical ID and property path", () => {
  const findings = [
    finding(FIXTURE, FIXTURE_TEXT, '"RequestParameters"', 'missing-required-parameter', 'error', 'SQS-SendMessage requires parameter `QueueUrl`'),
    finding(FIXTURE, FIXTURE_TEXT, '"queueUrl"', 'unknown-parameter', 'error', 'no parameter `queueUrl`'),
    finding(FIXTURE, FIXTURE_TEXT, 'heder', 'invalid-expression', 'error', '`heder` is not a request part'),
  ];
  const report = buildReport(findings, { templatePaths: [FIXTURE] }, { pluginVersion: '9.9.9' });
  assert.equal(report.success, false);
  assert.equal(report.pluginVersion, '9.9.9');
  assert.deepEqual(
    report.violations.map((v) => [v.ruleName, v.description, v.severity, v.violatingResources]),
    [
      ['missing-required-parameter', 'SQS-SendMessage requires parameter `QueueUrl`', 'error',
        [{ resourceLogicalId: INTEGRATION, templatePath: FIXTURE, locations: ['Properties.RequestParameters'] }]],
      ['unknown-parameter', 'no parameter `queueUrl`', 'error',
        [{ resourceLogicalId: INTEGRATION, templatePath: FIXTURE, locations: ['Properties.RequestParameters.queueUrl'] }]],
      ['invalid-expression', '`heder` is not a request part', 'error',
        [{ resourceLogicalId: INTEGRATION, templatePath: FIXTURE, locations: ['Properties.RequestParameters.DelaySeconds'] }]],
    ],
  );
  // No fix text in today's JSON: the code's documentation.
  assert.equal(report.violations[1].fix, 'See https://github.com/apigw-lsp/apigw-lsp/blob/main/docs/diagnostics.md#unknown-parameter');
});

test('findings that name their place (logicalId, path) give the report the template gives', () => {
  // What apigw-lsp with place fields prints for the fixture: the same findings as
  // today's, plus logicalId and path (a JSON Pointer from the resource).
  const plain = [
    finding(FIXTURE, FIXTURE_TEXT, '"RequestParameters"', 'missing-required-parameter'),
    finding(FIXTURE, FIXTURE_TEXT, '"queueUrl"', 'unknown-parameter'),
    finding(FIXTURE, FIXTURE_TEXT, 'heder', 'invalid-expression'),
  ];
  const paths = ['Properties/RequestParameters', 'Properties/RequestParameters/queueUrl', 'Properties/RequestParameters/DelaySeconds'];
  const placed = plain.map((f, i) => ({ ...f, logicalId: INTEGRATION, path: paths[i] }));
  const ctx = { templatePaths: [FIXTURE] };
  const fromTemplate = buildReport(plain, ctx);
  // A template that cannot be read: the fields alone must give it.
  const fromFields = buildReport(placed, ctx, {}, new Templates(() => 'not json'));
  assert.deepEqual(fromFields, fromTemplate);
  assert.deepEqual(fromTemplate.violations.map((v) => v.violatingResources[0].locations[0]), paths.map((p) => p.replace(/\//g, '.')));
});

test("a finding's file maps back to the template path CDK gave, however it is spelt", () => {
  const relative = path.relative(process.cwd(), FIXTURE);
  const f = finding(relative, FIXTURE_TEXT, '"queueUrl"', 'unknown-parameter');
  const report = buildReport([f], { templatePaths: [FIXTURE] });
  assert.equal(report.violations[0].violatingResources[0].templatePath, FIXTURE);
  assert.equal(report.violations[0].violatingResources[0].resourceLogicalId, INTEGRATION);
});

test('fields a finding carries (logicalId, path, construct, fix) win over what the template says', () => {
  const base = finding(FIXTURE, FIXTURE_TEXT, '"queueUrl"', 'unknown-parameter');
  const cases = [
    // As apigw-lsp writes them: `path` a JSON Pointer from the resource.
    [{ logicalId: 'Other0', path: 'Properties/RequestParameters/QueueUrl', construct: 'Orders/Other0/Resource' },
      { resourceLogicalId: 'Other0', locations: ['Properties.RequestParameters.QueueUrl'] }],
    [{ logicalId: 'Other0', path: 'Properties/Body/paths/~1orders~0v2/post' }, { resourceLogicalId: 'Other0', locations: ['Properties.Body.paths./orders~v2.post'] }],
    [{ logicalId: 'Other1', path: ['Properties', 'RequestParameters', 'X'] }, { resourceLogicalId: 'Other1', locations: ['Properties.RequestParameters.X'] }],
    [{ path: ['Resources', 'Other2', 'Properties', 'Y'] }, { resourceLogicalId: 'Other2', locations: ['Properties.Y'] }],
    [{ propertyPath: 'Resources/Other3/Properties/RequestParameters/QueueUrl' }, { resourceLogicalId: 'Other3', locations: ['Properties.RequestParameters.QueueUrl'] }],
    // A logical ID alone: the property path still comes from the range.
    [{ logicalId: 'Other4' }, { resourceLogicalId: 'Other4', locations: ['Properties.RequestParameters.queueUrl'] }],
    // A construct alone: the logical ID from the range is what CDK looks the construct up by.
    [{ construct: 'Orders/Api/POST--orders/SendOrder/Resource' }, { resourceLogicalId: INTEGRATION, locations: ['Properties.RequestParameters.queueUrl'] }],
  ];
  for (const [fields, want] of cases) {
    const report = buildReport([{ ...base, ...fields }], { templatePaths: [FIXTURE] });
    assert.deepEqual(report.violations[0].violatingResources, [{ ...want, templatePath: FIXTURE }], JSON.stringify(fields));
  }
  const withFix = buildReport([{ ...base, fix: 'Rename `queueUrl` to `QueueUrl`.' }], { templatePaths: [FIXTURE] });
  assert.equal(withFix.violations[0].fix, 'Rename `queueUrl` to `QueueUrl`.');
  const withHelp = buildReport([{ ...base, help: { title: 'Use `QueueUrl`' } }], { templatePaths: [FIXTURE] });
  assert.equal(withHelp.violations[0].fix, 'Use `QueueUrl`');
});

test('a finding outside Resources names the stack when CDK says which, else the path from the top', () => {
  const f = finding(FIXTURE, FIXTURE_TEXT, '"/cdk-bootstrap', 'some-code');
  const stable = buildReport([f], { templatePaths: [FIXTURE], stackTemplates: [{ stackConstructPath: 'Orders', templatePath: FIXTURE }] });
  assert.deepEqual(stable.violations[0].violatingResources, [{ resourceLogicalId: '', constructPath: 'Orders', templatePath: FIXTURE, locations: ['Parameters.BootstrapVersion.Default'] }]);
  const beta = buildReport([f], { templatePaths: [FIXTURE] });
  assert.deepEqual(beta.violations[0].violatingResources, [{ resourceLogicalId: '', templatePath: FIXTURE, locations: ['Parameters.BootstrapVersion.Default'] }]);
  // apigw-lsp's `path` (from the top outside a resource) and `construct` win.
  const own = buildReport([{ ...f, path: 'Parameters/BootstrapVersion', construct: 'Orders/BootstrapVersion' }], { templatePaths: [FIXTURE] });
  assert.deepEqual(own.violations[0].violatingResources, [{ resourceLogicalId: '', constructPath: 'Orders/BootstrapVersion', templatePath: FIXTURE, locations: ['Parameters.BootstrapVersion'] }]);
  // A template that is not JSON: the line and column.
  const yaml = buildReport([{ ...f, file: '/no/such/template.yaml' }], { templatePaths: ['/no/such/template.yaml'] },
    {}, new Templates(() => 'Resources:\n  X: {}\n'));
  assert.deepEqual(yaml.violations[0].violatingResources[0].locations, [`line ${f.range.start.line + 1}, column ${f.range.start.character + 1}`]);
});

test('severities: errors fail, warnings and notes are reported; failOn moves the line', () => {
  const warn = finding(FIXTURE, FIXTURE_TEXT, '"queueUrl"', 'w-code', 'warning');
  const info = finding(FIXTURE, FIXTURE_TEXT, 'heder', 'i-code', 'information');
  const hint = finding(FIXTURE, FIXTURE_TEXT, '"MessageBody"', 'h-code', 'hint');
  const error = finding(FIXTURE, FIXTURE_TEXT, '"RequestParameters"', 'e-code', 'error');
  const ctx = { templatePaths: [FIXTURE] };
  const soft = buildReport([warn, info, hint], ctx);
  assert.equal(soft.success, true);
  assert.deepEqual(soft.violations.map((v) => v.severity), ['warning', 'info', 'info']);
  assert.equal(buildReport([warn, info], ctx, { failOn: 'warning' }).success, false);
  assert.equal(buildReport([info], ctx, { failOn: 'warning' }).success, true);
  assert.equal(buildReport([hint], ctx, { failOn: 'note' }).success, false);
  assert.equal(buildReport([error], ctx).success, false);
  assert.equal(buildReport([error], ctx, { failOn: 'none' }).success, true);
  assert.equal(buildReport([], ctx).success, true);
});

test('the same finding on several resources is one violation; repeats are dropped', () => {
  const a = finding(FIXTURE, FIXTURE_TEXT, '"queueUrl"', 'dup', 'error', 'same message');
  const b = finding(FIXTURE, FIXTURE_TEXT, '"/cdk-bootstrap', 'dup', 'error', 'same message');
  const other = { ...a, message: 'another message' };
  const report = buildReport([a, b, a, other], { templatePaths: [FIXTURE], stackTemplates: [{ stackConstructPath: 'Orders', templatePath: FIXTURE }] });
  assert.equal(report.violations.length, 2);
  assert.deepEqual(report.violations[0].violatingResources.map((r) => r.resourceLogicalId || r.constructPath), [INTEGRATION, 'Orders']);
  assert.equal(report.violations[1].description, 'another message');
});

// ---------------------------------------------------------------- running the binary

test('the binary: the option, else APIGW_LSP, else apigw-lsp on PATH; called as check --format json', () => {
  const dir = tmpdir();
  const log = path.join(dir, 'calls.log');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  // `apigw-lsp` on PATH is a copy that says where it is.
  fs.writeFileSync(path.join(bin, 'apigw-lsp'), `#!/bin/sh\necho '["PATH"]' >>"$FAKE_APIGW_LSP_LOG"\nexec "${FAKE}" "$@"\n`, { mode: 0o755 });
  const envCopy = path.join(dir, 'from-env');
  fs.writeFileSync(envCopy, `#!/bin/sh\necho '["ENV"]' >>"$FAKE_APIGW_LSP_LOG"\nexec "${FAKE}" "$@"\n`, { mode: 0o755 });
  const ctx = { templatePaths: [FIXTURE] };
  const run = (plugin, env) => fake({ log, stdout: '[]', env }, () => withEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH}` }, () => plugin.validate(ctx)));

  const report = run(new ApiGwLspValidator({ binary: FAKE, args: ['--severity', 'unknown-parameter=warning'] }), envCopy);
  assert.deepEqual(report, { success: true, violations: [], pluginVersion: require('../package.json').version });
  assert.deepEqual(calls(log), [['check', '--format', 'json', '--severity', 'unknown-parameter=warning', '--', FIXTURE]]);
  fs.rmSync(log);
  run(new ApiGwLspValidator(), envCopy);
  assert.deepEqual(calls(log)[0], ['ENV']);
  fs.rmSync(log);
  run(new ApiGwLspValidator(), undefined);
  assert.deepEqual(calls(log)[0], ['PATH']);
  assert.deepEqual(calls(log)[1], ['check', '--format', 'json', '--', FIXTURE]);
});

test('the findings the binary prints become the report', () => {
  const f = finding(FIXTURE, FIXTURE_TEXT, '"queueUrl"', 'unknown-parameter', 'error', 'has no parameter `queueUrl`');
  const report = fake({ stdout: JSON.stringify([f]), status: 1 }, () =>
    new ApiGwLspValidator({ binary: FAKE }).validate({ templatePaths: [FIXTURE] }));
  assert.equal(report.success, false);
  assert.deepEqual(report.violations[0].violatingResources, [{ resourceLogicalId: INTEGRATION, templatePath: FIXTURE, locations: ['Properties.RequestParameters.queueUrl'] }]);
});

test('no templates: the binary is not run', () => {
  const log = path.join(tmpdir(), 'calls.log');
  const report = fake({ log, status: 3 }, () => new ApiGwLspValidator({ binary: FAKE }).validate({ templatePaths: [] }));
  assert.equal(report.success, true);
  assert.deepEqual(calls(log), []);
});

test('a binary that cannot be run is a clear error naming where it came from', () => {
  const dir = tmpdir();
  const ctx = { templatePaths: [FIXTURE] };
  const missing = path.join(dir, 'no-such-apigw-lsp');
  const expectError = (fn, pattern) => assert.throws(fn, (e) => {
    assert.ok(e instanceof ApiGwLspError, `an ApiGwLspError, not ${e && e.name}: ${e && e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
  expectError(() => new ApiGwLspValidator({ binary: missing }).validate(ctx),
    /^cannot run `.*no-such-apigw-lsp` \(from the `binary` option\): no such file; install apigw-lsp .*APIGW_LSP/);
  expectError(() => fake({ env: missing }, () => new ApiGwLspValidator().validate(ctx)),
    /^cannot run `.*no-such-apigw-lsp` \(from APIGW_LSP\): no such file/);
  expectError(() => fake({}, () => withEnv({ PATH: dir }, () => new ApiGwLspValidator().validate(ctx))),
    /^cannot run `apigw-lsp`: it is not on PATH; install apigw-lsp \(pipx install apigw-lsp/);
  const notExecutable = path.join(dir, 'not-executable');
  fs.writeFileSync(notExecutable, '#!/bin/sh\n', { mode: 0o644 });
  expectError(() => new ApiGwLspValidator({ binary: notExecutable }).validate(ctx), /permission denied/);
});

test('a binary that fails, or prints no findings, is an error, never a pass', () => {
  const ctx = { templatePaths: [FIXTURE] };
  const plugin = new ApiGwLspValidator({ binary: FAKE });
  const cases = [
    [{ status: 2, stderr: 'apigw-lsp check: /x: cannot read\n' }, /exited with status 2; it said:\napigw-lsp check: \/x: cannot read$/],
    [{ status: 1 }, /exited with status 1 but printed nothing and said nothing on stderr/],
    [{ status: 0, stdout: 'not json' }, /exited with status 0 but printed no JSON/],
    [{ status: 0, stdout: '{"file": "x"}' }, /printed JSON that is not an array of findings/],
    [{ status: 1, stdout: '[]' }, /exited with status 1 but reported no error finding/],
    [{ signal: 'SIGKILL' }, /was killed by SIGKILL/],
  ];
  for (const [opts, pattern] of cases) {
    assert.throws(() => fake(opts, () => plugin.validate(ctx)), (e) => e instanceof ApiGwLspError && pattern.test(e.message), JSON.stringify(opts));
  }
});

test('options are checked when the plugin is made', () => {
  assert.throws(() => new ApiGwLspValidator({ failOn: 'fatal' }), /failOn must be one of error, warning, note, none/);
  for (const arg of ['--fix', '--diff', '--format=sarif', '--write-baseline']) {
    assert.throws(() => new ApiGwLspValidator({ args: [arg] }), /args cannot hold/, arg);
  }
  assert.throws(() => new ApiGwLspValidator({ args: '--ignore x' }), /args must be an array of strings/);
  const plugin = new ApiGwLspValidator();
  assert.equal(plugin.name, 'apigw-lsp');
  assert.equal(plugin.version, require('../package.json').version);
  assert.ok(plugin.ruleIds.includes('unknown-parameter'));
});
