//! `integration-on-websocket-api`: a subtype integration attached to a WebSocket API.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Rule, Severity};
use crate::model::Protocol;

pub const RULE: Rule = Rule {
    code: "integration-on-websocket-api",
    severity: Severity::Error,
    summary: "An `IntegrationSubtype` on an integration of a `WEBSOCKET` API.",
    explanation: "Integration subtypes are \"supported only for HTTP API AWS_PROXY integrations\". [doc]",
    example: "Api:\n  Type: AWS::ApiGatewayV2::Api\n  Properties: {Name: chat, ProtocolType: WEBSOCKET}\nSend:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    ApiId: !Ref Api\n    IntegrationSubtype: SQS-SendMessage",
    terraform_example: "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name                       = \"chat\"\n  protocol_type              = \"WEBSOCKET\"\n  route_selection_expression = \"$request.body.action\"\n}\n\nresource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Attach the integration to an HTTP API (`ProtocolType: HTTP`), or use an `AWS` integration with a request template on the WebSocket API.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let integration = at.item;
        if !integration.has_subtype {
            continue;
        }
        let Some(api) = integration.api.as_deref() else {
            continue;
        };
        if index.protocol(Some(api)) == Some(Protocol::WebSocket) {
            out.push(Finding::new(
                &RULE,
                at.abs(&integration.anchor),
                format!("`{api}` is a WebSocket API, and integration subtypes work only on HTTP APIs. Attach `{}` to an HTTP API.", integration.name),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_websocket_apis_only() {
        check_rule(
            "integration-on-websocket-api",
            r#"
Resources:
  Chat:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: chat, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: http, ProtocolType: HTTP}
  Send:
# ^^^^ `Chat` is a WebSocket API
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Chat
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
  Lambda:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Chat
      IntegrationType: AWS_PROXY
  Ok:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
"#,
        );
        check_rule(
            "integration-on-websocket-api",
            r#"
{"Resources": {
  "Chat": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "WEBSOCKET"}},
  "Send": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Chat"}, "IntegrationSubtype": "SQS-PurgeQueue"}}}}
#  ^^^^ WebSocket API
"#,
        );
    }
}
