//! `sqs-fifo-parameters`: FIFO-only and standard-only parameters against the kind of
//! queue the integration sends to.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Rule, Severity};
use crate::catalog;
use crate::model::facts::ResourceKind;
use crate::model::intrinsics::Reference;

pub const RULE: Rule = Rule {
    code: "sqs-fifo-parameters",
    severity: Severity::Warning,
    summary: "A FIFO queue without `MessageGroupId` or with a per-message `DelaySeconds`, or a FIFO-only parameter on a standard queue.",
    explanation: "\"If you do not provide a MessageGroupId when sending a message to a FIFO queue, the action fails\"; FIFO queues reject a per-message `DelaySeconds`; `MessageDeduplicationId` and `ReceiveRequestAttemptId` only apply to FIFO queues. Checked when the queue is in the same template (`FifoQueue: true`). [model]",
    example: "Queue:\n  Type: AWS::SQS::Queue\n  Properties: {FifoQueue: true}\nSend:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationSubtype: SQS-SendMessage\n    RequestParameters: {QueueUrl: !Ref Queue, MessageBody: $request.body}",
    terraform_example: "resource \"aws_sqs_queue\" \"orders\" {\n  name       = \"orders.fifo\"\n  fifo_queue = true\n}\n\nresource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "For a FIFO queue add `MessageGroupId` (e.g. `$request.header.x-group`) and drop `DelaySeconds`; on a standard queue drop the FIFO-only keys.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let integration = at.item;
        let Some(subtype) = integration
            .subtype
            .as_deref()
            .and_then(|s| catalog::catalog().subtype(s))
        else {
            continue;
        };
        let Some(queue_param) = integration.params.iter().find(|p| p.name == "QueueUrl") else {
            continue;
        };
        let Some(Reference::Ref(queue) | Reference::GetAtt(queue, _)) = &queue_param.reference
        else {
            continue;
        };
        let Some(ResourceKind::Queue {
            fifo: Some(fifo), ..
        }) = index.resource(queue).map(|r| &r.kind)
        else {
            continue;
        };
        for param in &integration.params {
            let Some(c) = subtype.param(&param.name).map(|p| &p.constraints) else {
                continue;
            };
            if *fifo && c.not_allowed_for.as_deref() == Some("fifo") {
                out.push(Finding::new(
                    &RULE,
                    at.abs(&param.key_span),
                    format!("`{queue}` is a FIFO queue, which rejects a per-message `{}`. Remove it (set `DelaySeconds` on the queue instead).", param.name),
                ));
            }
            if !*fifo && c.fifo_only == Some(true) {
                out.push(Finding::new(
                    &RULE,
                    at.abs(&param.key_span),
                    format!("`{}` only applies to FIFO queues, and `{queue}` is a standard queue. Remove it, or make the queue FIFO.", param.name),
                ));
            }
        }
        if *fifo {
            for p in subtype.parameters.iter() {
                let needed = p.constraints.required_for.as_deref() == Some("fifo");
                if needed && !integration.params.iter().any(|x| x.name == p.name) {
                    out.push(Finding::new(
                        &RULE,
                        at.abs(&queue_param.key_span),
                        format!("`{queue}` is a FIFO queue: sending fails without `{}`. Add it, for example with the value `$request.header.x-group-id`.", p.name),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_fifo_mismatches() {
        check_rule(
            "sqs-fifo-parameters",
            r#"
Resources:
  Fifo:
    Type: AWS::SQS::Queue
    Properties:
      FifoQueue: true
  Standard:
    Type: AWS::SQS::Queue
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref Fifo
#       ^^^^^^^^ sending fails without `MessageGroupId`
        MessageBody: $request.body
        DelaySeconds: "5"
#       ^^^^^^^^^^^^ rejects a per-message `DelaySeconds`
  Good:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref Fifo
        MessageBody: $request.body
        MessageGroupId: $request.header.group
  OnStandard:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref Standard
        MessageBody: $request.body
        DelaySeconds: "5"
        MessageDeduplicationId: $context.requestId
#       ^^^^^^^^^^^^^^^^^^^^^^ only applies to FIFO queues
"#,
        );
    }

    #[test]
    fn fires_in_openapi_json_and_skips_unknown_queues() {
        check_rule(
            "sqs-fifo-parameters",
            r#"
{"Resources": {
  "Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders.fifo", "FifoQueue": "true"}},
  "P": {"Type": "AWS::SQS::Queue", "Properties": {"FifoQueue": {"Ref": "IsFifo"}}},
  "Api": {"Type": "AWS::Serverless::HttpApi", "Properties": {"DefinitionBody": {"openapi": "3.0.1", "paths": {
    "/x": {"post": {"x-amazon-apigateway-integration": {"integrationSubtype": "SQS-SendMessage",
      "requestParameters": {"QueueUrl": {"Ref": "Q"}, "MessageBody": "x"}}}},
#                            ^^^^^^^^ without `MessageGroupId`
    "/y": {"post": {"x-amazon-apigateway-integration": {"integrationSubtype": "SQS-SendMessage",
      "requestParameters": {"QueueUrl": {"Ref": "P"}, "MessageBody": "x"}}}}}}}}}}
"#,
        );
    }
}
