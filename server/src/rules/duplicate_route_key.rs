//! `duplicate-route-key`: two routes of one API with the same `RouteKey`.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Rule, Severity};
use crate::model::facts::ResourceKind;

pub const RULE: Rule = Rule {
    code: "duplicate-route-key",
    severity: Severity::Error,
    summary: "Two `AWS::ApiGatewayV2::Route` resources of one API share a `RouteKey`.",
    explanation: "Route keys are unique per API; the second route fails to create (\"Route with key ... already exists\"). [reported]",
    example: "A:\n  Type: AWS::ApiGatewayV2::Route\n  Properties: {ApiId: !Ref Api, RouteKey: POST /orders}\nB:\n  Type: AWS::ApiGatewayV2::Route\n  Properties: {ApiId: !Ref Api, RouteKey: POST /orders}",
    terraform_example: "resource \"aws_apigatewayv2_route\" \"a\" {\n  api_id    = aws_apigatewayv2_api.orders.id\n  route_key = \"POST /orders\"\n  target    = \"integrations/${aws_apigatewayv2_integration.send.id}\"\n}\n\nresource \"aws_apigatewayv2_route\" \"b\" {\n  api_id    = aws_apigatewayv2_api.orders.id\n  route_key = \"POST /orders\"\n  target    = \"integrations/${aws_apigatewayv2_integration.send.id}\"\n}",
    fix: "Remove one of the routes, or change its method or path.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.resources() {
        let ResourceKind::Route(route) = &at.item.kind else {
            continue;
        };
        let (Some(api), Some((key, span))) = (route.api.as_deref(), &route.key) else {
            continue;
        };
        let Some(first) = index.first_route(api, key) else {
            continue;
        };
        if first != at.item.name {
            out.push(Finding::new(
                &RULE,
                at.abs(span),
                format!("`{first}` already has the route key `{key}` on `{api}`; route keys are unique per API. Remove one route or change its key."),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_the_second_route_with_a_key() {
        check_rule(
            "duplicate-route-key",
            r#"
Resources:
  A:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Api, RouteKey: POST /orders}
  B:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Api, RouteKey: POST /orders}
#                                           ^^^^^^^^^^^^ `A` already has the route key `POST /orders`
  C:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Other, RouteKey: POST /orders}
  D:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Api, RouteKey: GET /orders}
"#,
        );
        check_rule(
            "duplicate-route-key",
            r#"
{"Resources": {
  "A": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"}, "RouteKey": "$default"}},
  "B": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"}, "RouteKey": "$default"}}}}
#                                                                                                ^^^^^^^^ already has
"#,
        );
    }
}
