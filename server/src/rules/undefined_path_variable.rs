//! `undefined-path-variable`: `$request.path.NAME` where no route that uses the
//! integration has a `{NAME}`.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Rule, Severity, name_list};
use crate::model::Protocol;

pub const RULE: Rule = Rule {
    code: "undefined-path-variable",
    severity: Severity::Warning,
    summary: "`$request.path.NAME` names no path variable of the routes that use the integration.",
    explanation: "A path parameter exists only when the route key declares it (`GET /orders/{id}`). When no route that targets the integration has `{NAME}`, the mapping has nothing to read and the service gets an empty value. Checked when the routes are known: `Route` resources whose `Target` names the integration, or the OpenAPI path the integration is written on or `$ref`-ed from. [inferred]",
    example: "Resources:\n  DeleteRoute:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: DELETE /messages/{handle}\n      Target: !Sub integrations/${DeleteMessage}\n  DeleteMessage:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-DeleteMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt ApiRole.Arn\n      RequestParameters:\n        QueueUrl: !Ref OrdersQueue\n        ReceiptHandle: $request.path.receiptHandle",
    terraform_example: "resource \"aws_apigatewayv2_route\" \"delete\" {\n  api_id    = aws_apigatewayv2_api.orders.id\n  route_key = \"DELETE /messages/{handle}\"\n  target    = \"integrations/${aws_apigatewayv2_integration.delete.id}\"\n}\n\nresource \"aws_apigatewayv2_integration\" \"delete\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-DeleteMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl      = aws_sqs_queue.orders.url\n    ReceiptHandle = \"$request.path.receiptHandle\"\n  }\n}",
    fix: "Use a name from the route key (`$request.path.id`), or add the variable to the route key.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let integration = at.item;
        // WebSocket route keys are not paths: nothing to compare with.
        if integration.params.iter().all(|p| p.path_uses().next().is_none())
            || index.protocol(integration.api.as_deref()) == Some(Protocol::WebSocket)
        {
            continue;
        }
        let Some(sets) = index.route_path_variables(integration) else {
            continue;
        };
        for param in &integration.params {
            for (name, span) in param.path_uses() {
                // Defined by every route is what the service needs; one missing is
                // enough to break that route, but say it only when none defines it,
                // to stay quiet on deliberate sharing.
                if sets.iter().any(|set| set.iter().any(|v| v == name)) {
                    continue;
                }
                let mut known: Vec<&str> = sets.iter().flatten().map(String::as_str).collect();
                known.sort_unstable();
                known.dedup();
                let advice = match known.len() {
                    0 => "its routes have no path variables".to_string(),
                    _ => format!("its routes define {}", name_list(known)),
                };
                out.push(Finding::new(
                    &RULE,
                    at.abs(span),
                    format!("No route that uses this integration has `{{{name}}}` in its path ({advice}). Use one of those names or add `{{{name}}}` to the route key."),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn websocket_routes_have_no_paths_to_compare() {
        check_rule(
            "undefined-path-variable",
            r#"
Resources:
  Chat:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: chat, ProtocolType: WEBSOCKET}
  Send:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Chat, RouteKey: sendmessage, Target: !Sub "integrations/${Forward}"}
  Forward:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Chat
      IntegrationType: HTTP_PROXY
      RequestParameters:
        overwrite:path: $request.path.room
"#,
        );
    }

    #[test]
    fn fires_on_names_no_targeting_route_defines() {
        check_rule(
            "undefined-path-variable",
            r#"
Resources:
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: DELETE /messages/{handle}
      Target: !Sub integrations/${Delete}
  Delete:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-DeleteMessage
      RequestParameters:
        QueueUrl: x
        ReceiptHandle: $request.path.receipt
#                                    ^^^^^^^ its routes define `handle`
  Good:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-DeleteMessage
      RequestParameters:
        QueueUrl: x
        ReceiptHandle: $request.path.whatever
  GoodRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: DELETE /m/{whatever}
      Target: !Join [/, [integrations, !Ref Good]]
  Untargeted:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-DeleteMessage
      RequestParameters:
        QueueUrl: x
        ReceiptHandle: $request.path.anything
"#,
        );
    }

    #[test]
    fn fires_in_openapi_operations_and_shared_integrations() {
        check_rule(
            "undefined-path-variable",
            r##"
openapi: 3.0.1
paths:
  /runs/{runName}:
    put:
      x-amazon-apigateway-integration:
        integrationSubtype: StepFunctions-StartExecution
        requestParameters:
          StateMachineArn: arn
          Name: ${request.path.run}
#                              ^^^ its routes define `runName`
  /other/{id}:
    post:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/start"
components:
  x-amazon-apigateway-integrations:
    start:
      integrationSubtype: StepFunctions-StartExecution
      requestParameters:
        StateMachineArn: arn
        Name: $request.path.id
        Input: $request.path.nope
#                            ^^^^ its routes define `id`
"##,
        );
        check_rule(
            "undefined-path-variable",
            r#"
{"openapi": "3.0.1", "paths": {"/x": {"post": {"x-amazon-apigateway-integration": {
  "integrationSubtype": "SQS-PurgeQueue", "requestParameters": {"QueueUrl": "$request.path.q"}}}}}}
#                                                                                          ^ have no path variables
"#,
        );
    }
}
