//! `http-api-integration-type`: a non-proxy `IntegrationType` on an HTTP API.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Rule, Severity};
use crate::model::Protocol;

pub const RULE: Rule = Rule {
    code: "http-api-integration-type",
    severity: Severity::Error,
    summary: "`IntegrationType` `AWS`, `HTTP` or `MOCK` on an HTTP API.",
    explanation: "HTTP APIs accept only `AWS_PROXY` and `HTTP_PROXY` integrations; CloudFormation fails the deploy otherwise. (With a subtype, `wrong-integration-type` says the same.) [doc]",
    example: "Api:\n  Type: AWS::ApiGatewayV2::Api\n  Properties: {Name: a, ProtocolType: HTTP}\nI:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties: {ApiId: !Ref Api, IntegrationType: AWS}",
    terraform_example: "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n}\n\nresource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id           = aws_apigatewayv2_api.orders.id\n  integration_type = \"AWS\"\n}",
    fix: "Use `AWS_PROXY` (with an `IntegrationSubtype` for an AWS service) or `HTTP_PROXY`.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let integration = at.item;
        if integration.has_subtype {
            continue;
        }
        let Some((kind, span)) = &integration.integration_type else {
            continue;
        };
        let upper = kind.to_ascii_uppercase();
        if !matches!(upper.as_str(), "AWS" | "HTTP" | "MOCK") {
            continue;
        }
        // Standalone OpenAPI files may describe REST APIs, where these types are fine:
        // only integrations of a known HTTP API are checked (a `Body` makes one).
        let http = index.protocol(integration.api.as_deref()) == Some(Protocol::Http);
        if http {
            out.push(Finding::new(
                &RULE,
                at.abs(span),
                format!("HTTP APIs do not support `{kind}` integrations, only `AWS_PROXY` and `HTTP_PROXY`. Use `AWS_PROXY` with an `IntegrationSubtype` to call an AWS service."),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_http_apis() {
        check_rule(
            "http-api-integration-type",
            r#"
Resources:
  Http:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: http, ProtocolType: HTTP}
  Chat:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: chat, ProtocolType: WEBSOCKET}
  Aws:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: AWS
#                      ^^^ do not support `AWS` integrations
  Mock:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Chat
      IntegrationType: MOCK
  Proxy:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Http
      IntegrationType: HTTP_PROXY
"#,
        );
        // A standalone OpenAPI file may be a REST API.
        check_rule(
            "http-api-integration-type",
            r#"
{"openapi": "3.0.1", "paths": {"/x": {"get": {"x-amazon-apigateway-integration": {
  "type": "http", "uri": "https://example.com"}}}}}
"#,
        );
        check_rule(
            "http-api-integration-type",
            r#"
{"Resources": {"Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Body": {
  "openapi": "3.0.1", "paths": {"/x": {"get": {"x-amazon-apigateway-integration": {
  "type": "http", "uri": "https://example.com"}}}}}}}}}
#          ^^^^ do not support `http` integrations
"#,
        );
    }
}
