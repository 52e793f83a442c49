const { App } = require('aws-cdk-lib');
const { ApiGwLspValidator } = require('@apigw-lsp/cdk-validator');

const app = new App({ policyValidationBeta1: [new ApiGwLspValidator()] });

// The lines above are the README's (tests/cdk-plugin.sh checks it): the plugin
// registered through the interface every aws-cdk-lib from 2.71.0 has.
require('./orders').addOrders(app);
app.synth();
