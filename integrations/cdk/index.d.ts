// Types of @apigw-lsp/cdk-validator (hand-written; the package is plain JavaScript).
//
// They are declared here rather than imported from aws-cdk-lib, so that the plugin
// type-checks against every aws-cdk-lib from 2.71.0 on: its shape fits both
// IPolicyValidationPluginBeta1 (`new App({ policyValidationBeta1: [...] })`) and, from
// aws-cdk-lib 2.251.0, IPolicyValidationPlugin (`Validations.of(app).addPlugins(...)`).
// tests/cdk-plugin.sh checks both assignments with tsc against aws-cdk-lib.

export interface ApiGwLspValidatorProps {
  /**
   * The apigw-lsp binary.
   *
   * @default - the APIGW_LSP environment variable, else `apigw-lsp` on PATH
   */
  readonly binary?: string;
  /**
   * More `apigw-lsp check` options: `--config FILE`, `--severity CODE=LEVEL`,
   * `--ignore CODE`, `--baseline FILE`. (`--fix`, `--diff`, `--format` and
   * `--write-baseline` are refused.)
   *
   * @default - none; `check` reads the nearest `.apigw-lsp.toml` above each template
   */
  readonly args?: string[];
  /**
   * The least severity that fails the synth. Findings below it are reported
   * without failing it.
   *
   * @default 'error'
   */
  readonly failOn?: 'error' | 'warning' | 'note' | 'none';
}

/** What CDK passes to `validate` (2.251.0 and later also pass `stackTemplates`). */
export interface ApiGwLspValidationContext {
  readonly templatePaths: string[];
  readonly stackTemplates?: ReadonlyArray<{ readonly stackConstructPath: string; readonly templatePath: string }>;
}

export interface ApiGwLspViolatingResource {
  /** The resource's logical ID; '' for a finding outside `Resources` (CDK's report reads '' as none). */
  readonly resourceLogicalId: string;
  /** The template, as CDK named it. */
  readonly templatePath: string;
  /** The property path inside the resource, e.g. `Properties.RequestParameters.queueUrl`. */
  readonly locations: string[];
  /** For a finding outside `Resources`: the stack's construct path (then there is no logical ID). */
  readonly constructPath?: string;
}

export interface ApiGwLspViolation {
  /** The finding's code, e.g. `unknown-parameter`. */
  readonly ruleName: string;
  /** The finding's message. */
  readonly description: string;
  /** How to fix it: the finding's fix text, else a link to the code's documentation. */
  readonly fix?: string;
  /** `error`, `warning` or `info` (from apigw-lsp's information and hint). */
  readonly severity?: string;
  readonly violatingResources: ApiGwLspViolatingResource[];
}

export interface ApiGwLspValidationReport {
  /** False when a finding is at `failOn` or above. */
  readonly success: boolean;
  readonly violations: ApiGwLspViolation[];
  readonly pluginVersion?: string;
  readonly metadata?: { readonly [key: string]: string };
}

/** Thrown by `validate` when apigw-lsp cannot be run or its output cannot be read. */
export declare class ApiGwLspError extends Error {}

/**
 * The policy validation plugin:
 *
 *     new App({ policyValidationBeta1: [new ApiGwLspValidator()] })
 */
export declare class ApiGwLspValidator {
  constructor(props?: ApiGwLspValidatorProps);
  /** `apigw-lsp`: the plugin name CDK's report shows. */
  readonly name: string;
  /** This package's version. */
  readonly version: string;
  /** The diagnostic codes apigw-lsp reports. */
  readonly ruleIds: string[];
  /** Runs `apigw-lsp check --format json` on the templates; throws ApiGwLspError when it cannot. */
  validate(context: ApiGwLspValidationContext): ApiGwLspValidationReport;
}
