const { App, Validations } = require('aws-cdk-lib');
const { ApiGwLspValidator } = require('@apigw-lsp/cdk-validator');

const app = new App();
Validations.of(app).addPlugins(new ApiGwLspValidator());

// The lines above are the README's (tests/cdk-plugin.sh checks it): the plugin
// registered through the stable interface of aws-cdk-lib 2.251.0 and later.
require('./orders').addOrders(app);
app.synth();
