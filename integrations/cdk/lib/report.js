'use strict';
// Turns apigw-lsp findings into a CDK policy validation report.
//
// A finding of `apigw-lsp check --format json` is {file, code, severity, message,
// range} (range: zero-based LSP positions). Each becomes a violating resource: the
// resource's logical ID and the property path inside it, which CDK's report turns into
// the construct path (it looks the logical ID up in the construct tree). When a
// finding names its place itself (`logicalId`, `path`: a JSON Pointer from the
// resource, else from the top of the template; `construct`: the resource's
// aws:cdk:path), as newer apigw-lsp releases write, those are used; otherwise the
// finding's range is looked up in the template, which CDK writes as JSON.

const fs = require('node:fs');
const path = require('node:path');
const { locator } = require('./locate');

const DOCS = 'https://github.com/apigw-lsp/apigw-lsp/blob/main/docs/diagnostics.md#';

// apigw-lsp severities to the ones CDK's report knows (fatal, error, warning, info).
const SEVERITY = { error: 'error', warning: 'warning', information: 'info', hint: 'info' };
// What fails the synth (`failOn`), as in the GitHub Action's `fail-on`.
const RANK = { error: 3, warning: 2, information: 1, hint: 1 };
const FAIL_ON = { error: 3, warning: 2, note: 1, none: Infinity };

const text = (v) => (typeof v === 'string' && v !== '' ? v : undefined);

/** The fix text a finding carries: a string, or an object with a title or text. */
function fixText(f) {
  for (const v of [f.fix, f.help]) {
    if (text(v)) return v;
    if (v && typeof v === 'object') {
      const t = text(v.title) || text(v.text) || text(v.description) || text(v.message);
      if (t) return t;
    }
  }
  return undefined;
}

/**
 * A property path field as a list of keys: an array, or a JSON Pointer (RFC 6901, as
 * apigw-lsp writes `path`: `Properties/RequestParameters/QueueUrl`, `/` in a key as
 * `~1`, `~` as `~0`; a leading `/` is allowed).
 */
function pathField(v) {
  if (Array.isArray(v)) return v.map(String);
  if (!text(v)) return undefined;
  return v
    .replace(/^\//, '')
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Where a finding is, from its own fields when it has them: {logicalId, keys, construct}. */
function ownFields(f) {
  const logicalId = text(f.logicalId) || text(f.logical_id) || text(f.resource);
  let keys = pathField(f.propertyPath) || pathField(f.property_path) || pathField(f.path);
  let id = logicalId;
  if (keys && keys[0] === 'Resources' && keys.length >= 2) {
    id = id || keys[1];
    keys = keys.slice(2);
  }
  return { logicalId: id, keys, construct: text(f.construct) || text(f.constructPath) || text(f.cdkPath) };
}

/** Reads and indexes templates once each. */
class Templates {
  constructor(read = (p) => fs.readFileSync(p, 'utf8')) {
    this.read = read;
    this.cache = new Map();
  }

  /** The template's locator, or null when it cannot be read as JSON. */
  locator(file) {
    if (!this.cache.has(file)) {
      let found = null;
      try {
        found = locator(this.read(file));
      } catch {
        found = null;
      }
      this.cache.set(file, found);
    }
    return this.cache.get(file);
  }
}

const keyPath = (keys) => keys.join('.');

/**
 * The violating resource of one finding.
 *   templatePath: the template CDK named (the finding's `file` maps back to it)
 *   stackPath: the stack's construct path, when CDK told it (stable interface)
 */
function violatingResource(f, templatePath, stackPath, templates) {
  const own = ownFields(f);
  let logicalId = own.logicalId;
  let keys = own.keys;
  let top = null; // the whole path, for a finding outside `Resources`
  if (!logicalId || !keys) {
    const located = templates.locator(templatePath);
    const at = located && f.range && f.range.start ? located.at(f.range.start) : null;
    if (at && at[0] === 'Resources' && at.length >= 2) {
      logicalId = logicalId || at[1];
      keys = keys || at.slice(2).map(String);
    } else if (!logicalId) {
      top = keys || (at && at.map(String));
    }
  }
  if (logicalId) {
    return { resourceLogicalId: logicalId, templatePath, locations: keys && keys.length ? [keyPath(keys)] : [] };
  }
  let location;
  if (top && top.length) location = keyPath(top);
  else if (f.range && f.range.start) location = `line ${f.range.start.line + 1}, column ${f.range.start.character + 1}`;
  const locations = location ? [location] : [];
  const construct = own.construct || stackPath;
  // Not a resource (an output, a parameter, the template itself): no logical ID ('',
  // CDK's own stand-in, which its report treats as none, so that the beta interface's
  // required string is there) and the stack's construct path where CDK gave it.
  if (construct) return { resourceLogicalId: '', constructPath: construct, templatePath, locations };
  return { resourceLogicalId: '', templatePath, locations };
}

/**
 * The report for CDK.
 *   findings: what `apigw-lsp check --format json` printed
 *   context: CDK's validation context ({templatePaths, stackTemplates?})
 *   options: {failOn, pluginVersion, metadata}
 */
function buildReport(findings, context, options = {}, templates = new Templates()) {
  const failOn = FAIL_ON[options.failOn || 'error'];
  const byFile = new Map();
  for (const p of context.templatePaths) {
    byFile.set(p, p);
    byFile.set(path.resolve(p), p);
  }
  const stackOf = new Map();
  for (const s of context.stackTemplates || []) {
    if (s && s.templatePath) stackOf.set(path.resolve(s.templatePath), s.stackConstructPath);
  }

  const violations = [];
  const byKey = new Map();
  let failed = false;
  for (const f of findings) {
    if (!f || typeof f !== 'object') continue;
    const file = String(f.file ?? '');
    const templatePath = byFile.get(file) || byFile.get(path.resolve(file)) || file;
    const severity = String(f.severity ?? 'error');
    if ((RANK[severity] ?? RANK.error) >= failOn) failed = true;
    const code = String(f.code ?? 'apigw-lsp');
    const message = String(f.message ?? '');
    const key = `${code}\0${severity}\0${message}`;
    let v = byKey.get(key);
    if (!v) {
      v = {
        ruleName: code,
        description: message,
        fix: fixText(f) || `See ${DOCS}${code}`,
        severity: SEVERITY[severity] || severity,
        violatingResources: [],
      };
      byKey.set(key, v);
      violations.push(v);
    }
    const r = violatingResource(f, templatePath, stackOf.get(path.resolve(templatePath)), templates);
    const same = (x) => JSON.stringify(x) === JSON.stringify(r);
    if (!v.violatingResources.some(same)) v.violatingResources.push(r);
  }
  const report = { success: !failed, violations };
  if (options.pluginVersion) report.pluginVersion = options.pluginVersion;
  if (options.metadata) report.metadata = options.metadata;
  return report;
}

module.exports = { buildReport, violatingResource, ownFields, fixText, Templates, FAIL_ON, SEVERITY, DOCS };
