'use strict';
// An AWS CDK policy validation plugin that runs `apigw-lsp check` on the templates
// CDK synthesizes, so that `cdk synth` fails on API Gateway HTTP API integration
// mistakes, with a report naming each construct.
//
// One class serves both of aws-cdk-lib's plugin interfaces, which have the same shape:
// IPolicyValidationPluginBeta1 (aws-cdk-lib 2.71.0 and later; registered with
// `new App({ policyValidationBeta1: [...] })`) and IPolicyValidationPlugin (2.251.0 and
// later; registered with `Validations.of(app).addPlugins(...)`). Nothing here imports
// aws-cdk-lib: CDK calls `validate` synchronously with `templatePaths` (and, from
// 2.251.0, `stackTemplates`), and reads `name`, `version` and `ruleIds`.

const { check, resolveBinary, ApiGwLspError } = require('./lib/run');
const { buildReport, FAIL_ON } = require('./lib/report');
const RULE_IDS = require('./lib/rule-ids.json');
const { version: VERSION } = require('./package.json');

// `check` options that would change the templates or the output this plugin reads.
const REFUSED_ARGS = /^(--fix|--diff|--format|-f|--write-baseline)(=|$)/;

class ApiGwLspValidator {
  /**
   * @param {object} [props]
   * @param {string} [props.binary]  the apigw-lsp binary (default: APIGW_LSP, else `apigw-lsp` on PATH)
   * @param {string[]} [props.args]  more `check` options (`--config FILE`, `--severity CODE=LEVEL`, `--ignore CODE`, `--baseline FILE`)
   * @param {'error'|'warning'|'note'|'none'} [props.failOn]  the least severity that fails the synth (default `error`)
   */
  constructor(props = {}) {
    const failOn = props.failOn ?? 'error';
    if (!Object.prototype.hasOwnProperty.call(FAIL_ON, failOn)) {
      throw new TypeError(`ApiGwLspValidator: failOn must be one of ${Object.keys(FAIL_ON).join(', ')}, not ${JSON.stringify(failOn)}`);
    }
    const args = props.args ?? [];
    if (!Array.isArray(args) || args.some((a) => typeof a !== 'string')) {
      throw new TypeError('ApiGwLspValidator: args must be an array of strings');
    }
    const refused = args.find((a) => REFUSED_ARGS.test(a));
    if (refused) {
      throw new TypeError(`ApiGwLspValidator: args cannot hold ${refused} (the plugin reads JSON findings and must not change the templates)`);
    }
    this.name = 'apigw-lsp';
    this.version = VERSION;
    this.ruleIds = [...RULE_IDS];
    this.binary = props.binary;
    this.args = [...args];
    this.failOn = failOn;
  }

  validate(context) {
    const templatePaths = [...(context.templatePaths || [])];
    if (templatePaths.length === 0) return { success: true, violations: [], pluginVersion: VERSION };
    const binary = resolveBinary(this.binary);
    const findings = check(binary, templatePaths, this.args);
    return buildReport(findings, { templatePaths, stackTemplates: context.stackTemplates }, {
      failOn: this.failOn,
      pluginVersion: VERSION,
    });
  }
}

module.exports = { ApiGwLspValidator, ApiGwLspError };
