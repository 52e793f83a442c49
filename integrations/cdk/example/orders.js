// The stack of the example apps (app.js, app-validations.js), which tests/cdk-plugin.sh
// synthesizes: an HTTP API whose POST /orders sends the request body to an SQS queue
// through a first-class integration (HttpSqsIntegration, subtype SQS-SendMessage).
//
// ORDERS_MAPPING=good keeps the integration's own parameter mapping (QueueUrl and
// MessageBody), which is right; ORDERS_MAPPING=bad maps the queue URL under `queueUrl`
// (SQS-SendMessage has `QueueUrl`) and DelaySeconds from `$request.heder.delay` (the
// request part is `header`): two mistakes CloudFormation only reports at deploy time.
const { Stack } = require('aws-cdk-lib');
const apigwv2 = require('aws-cdk-lib/aws-apigatewayv2');
const { HttpSqsIntegration } = require('aws-cdk-lib/aws-apigatewayv2-integrations');
const sqs = require('aws-cdk-lib/aws-sqs');

function addOrders(app, mapping = process.env.ORDERS_MAPPING) {
  if (mapping !== 'good' && mapping !== 'bad') {
    throw new Error(`ORDERS_MAPPING must be good or bad, not ${JSON.stringify(mapping)}`);
  }
  const stack = new Stack(app, 'Orders');
  const queue = new sqs.Queue(stack, 'Queue');
  const api = new apigwv2.HttpApi(stack, 'Api');
  const parameterMapping =
    mapping === 'bad'
      ? new apigwv2.ParameterMapping()
          .custom('queueUrl', queue.queueUrl)
          .custom('MessageBody', '$request.body')
          .custom('DelaySeconds', '$request.heder.delay')
      : undefined;
  api.addRoutes({
    path: '/orders',
    methods: [apigwv2.HttpMethod.POST],
    integration: new HttpSqsIntegration('SendOrder', { queue, parameterMapping }),
  });
  return stack;
}

module.exports = { addOrders };
