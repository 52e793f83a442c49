// Checks the hand-written index.d.ts against aws-cdk-lib's plugin interfaces:
// tests/cdk-plugin.sh compiles this (tsc --noEmit --strict) next to the installed
// package, aws-cdk-lib and constructs. Not part of the published package.
import { App, IPolicyValidationPlugin, IPolicyValidationPluginBeta1, Validations } from 'aws-cdk-lib';
import { ApiGwLspError, ApiGwLspValidator, ApiGwLspValidatorProps } from '@apigw-lsp/cdk-validator';

const props: ApiGwLspValidatorProps = { binary: '/opt/apigw-lsp', args: ['--ignore', 'missing-credentials'], failOn: 'warning' };
const beta: IPolicyValidationPluginBeta1 = new ApiGwLspValidator(props);
const stable: IPolicyValidationPlugin = new ApiGwLspValidator();

const app = new App({ policyValidationBeta1: [beta, new ApiGwLspValidator()] });
Validations.of(app).addPlugins(stable, new ApiGwLspValidator({ failOn: 'none' }));

// What validate returns is what both interfaces' reports hold.
const report = new ApiGwLspValidator().validate({ templatePaths: [] });
const first: string | undefined = report.violations[0]?.violatingResources[0]?.locations[0];
const error: Error = new ApiGwLspError('x');

// @ts-expect-error failOn is error, warning, note or none
new ApiGwLspValidator({ failOn: 'fatal' });
// @ts-expect-error args is a list
new ApiGwLspValidator({ args: '--ignore x' });

export { first, error };
