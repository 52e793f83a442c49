//! `openapi-with-route-resources`: an API defined by an OpenAPI body that also gets
//! separate `AWS::ApiGatewayV2::Route`/`Integration` resources.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Rule, Severity};
use crate::model::facts::ResourceKind;

pub const RULE: Rule = Rule {
    code: "openapi-with-route-resources",
    severity: Severity::Warning,
    summary: "Route or Integration resources attached to an API that is defined by an OpenAPI body.",
    explanation: "\"API Gateway doesn't support the combination of OpenAPI and CloudFormation resources\": it works on create, but routes and integrations may vanish on a later stack update. A SAM `AWS::Serverless::HttpApi` always has an OpenAPI body. [doc; aws/serverless-application-model#1971]",
    example: "MyApi:\n  Type: AWS::Serverless::HttpApi\nMyRoute:\n  Type: AWS::ApiGatewayV2::Route\n  Properties: {ApiId: !Ref MyApi, RouteKey: POST /x}",
    terraform_example: "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n  body = jsonencode({\n    openapi = \"3.0.1\"\n    paths   = {}\n  })\n}\n\nresource \"aws_apigatewayv2_route\" \"orders\" {\n  api_id    = aws_apigatewayv2_api.orders.id\n  route_key = \"POST /orders\"\n  target    = \"integrations/${aws_apigatewayv2_integration.send.id}\"\n}",
    fix: "Define the route and its integration in the API's OpenAPI body, or use an `AWS::ApiGatewayV2::Api` without a body.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.resources() {
        let (api, kind) = match &at.item.kind {
            ResourceKind::Route(route) => (route.api.as_deref(), "Route"),
            ResourceKind::Integration { api } => (api.as_deref(), "Integration"),
            _ => continue,
        };
        let Some(api) = api else { continue };
        let with_body = index
            .resource(api)
            .is_some_and(|r| matches!(r.kind, ResourceKind::Api { has_body: true, .. }));
        if !with_body {
            continue;
        }
        let name = &at.item.name;
        out.push(Finding::new(
            &RULE,
            at.abs(&at.item.name_span),
            format!("`{name}` adds {} {kind} to `{api}`, which is defined by an OpenAPI body; API Gateway does not support mixing them and the {} may vanish on a later stack update. Define it in the body instead.", if kind == "Route" { "a" } else { "an" }, kind.to_lowercase()),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_routes_attached_to_a_sam_http_api() {
        check_rule(
            "openapi-with-route-resources",
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  MyHttpApi:
    Type: AWS::Serverless::HttpApi
  MyRoute:
# ^^^^^^^ adds a Route to `MyHttpApi`
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref MyHttpApi
      RouteKey: POST /x
  Other:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: x, ProtocolType: HTTP}
  OtherRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Other
      RouteKey: POST /y
"#,
        );
    }
}
