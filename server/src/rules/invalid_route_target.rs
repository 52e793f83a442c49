//! `invalid-route-target`: a route `Target` that is not `integrations/<id>`, or names
//! something that is not an integration.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Fix, Rule, Severity};
use crate::model::facts::{ResourceKind, Target};

pub const RULE: Rule = Rule {
    code: "invalid-route-target",
    severity: Severity::Error,
    summary: "A route `Target` not of the form `integrations/<IntegrationId>`, or naming no integration.",
    explanation: "A route's `Target` is `integrations/` followed by the integration's ID, which `!Ref` of an `AWS::ApiGatewayV2::Integration` returns: `!Sub integrations/${MyIntegration}` or `!Join [/, [integrations, !Ref MyIntegration]]`. A bare `!Ref` or a reference to another resource fails the deploy. [doc]",
    example: "Resources:\n  OrdersRoute:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: POST /orders\n      Target: !Ref SendOrder",
    terraform_example: "resource \"aws_apigatewayv2_route\" \"orders\" {\n  api_id    = aws_apigatewayv2_api.orders.id\n  route_key = \"POST /orders\"\n  target    = aws_apigatewayv2_integration.send.id\n}",
    fix: "Write `Target: !Sub integrations/${SendIntegration}`.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.resources() {
        let ResourceKind::Route(route) = &at.item.kind else {
            continue;
        };
        match &route.target {
            Some(Target::Integration {
                name,
                span,
                literal: false,
            }) => {
                // A name the template does not declare is `unresolved-reference`'s.
                let Some(resource) = index.resource(name) else {
                    continue;
                };
                if !matches!(resource.kind, ResourceKind::Integration { .. })
                    && resource.type_name.as_deref() != Some("AWS::ApiGatewayV2::Integration")
                {
                    out.push(Finding::new(
                        &RULE,
                        at.abs(span),
                        format!(
                            "`{name}` is {}, not an `AWS::ApiGatewayV2::Integration`; a route's target is an integration of the same API.",
                            resource
                                .type_name
                                .as_deref()
                                .map_or("a resource".to_string(), |t| format!("of type `{t}`"))
                        ),
                    ));
                }
            }
            Some(Target::Other {
                text,
                span,
                replacement,
            }) => {
                let pulumi = at
                    .item
                    .type_name
                    .as_deref()
                    .is_some_and(crate::syntax::pulumi::is_type_token);
                let terraform = at
                    .item
                    .type_name
                    .as_deref()
                    .is_some_and(|t| t.starts_with("aws_"));
                let message = match (text, pulumi) {
                    (Some(t), false) if terraform => format!("`{t}` is not a route target: write `integrations/<IntegrationId>`, e.g. `\"integrations/${{aws_apigatewayv2_integration.x.id}}\"`."),
                    (None, false) if terraform => "The target must be `integrations/<IntegrationId>`: write `\"integrations/${aws_apigatewayv2_integration.x.id}\"` (an integration's `id` alone is not a target).".to_string(),
                    (Some(t), false) => format!("`{t}` is not a route target: write `integrations/<IntegrationId>`, e.g. `!Sub integrations/${{MyIntegration}}`."),
                    (None, false) => "The target must be `integrations/<IntegrationId>`: write `!Sub integrations/${MyIntegration}` (a bare `!Ref` gives only the ID).".to_string(),
                    (Some(t), true) => format!("`{t}` is not a route target: write `integrations/<IntegrationId>`, e.g. `integrations/${{myIntegration.id}}`."),
                    (None, true) => "The target must be `integrations/<IntegrationId>`: write `integrations/${myIntegration.id}` (an integration's `id` alone is not a target).".to_string(),
                };
                let finding = Finding::new(&RULE, at.abs(span), message);
                out.push(match replacement {
                    Some(text) => finding.with_fix(Fix::Replace {
                        title: format!("Replace with `{text}`"),
                        text: text.clone(),
                        range: None,
                    }),
                    None => finding,
                });
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis;
    use crate::document::Document;
    use crate::rules::Fix;
    use crate::rules::test_support::{check_rule, language_of};

    /// Applies the finding's fix and checks the target is then accepted.
    fn fixed(text: &str) -> String {
        let doc = Document::new(text, language_of(text), 0);
        let finding = analysis::analyze(&doc)
            .into_iter()
            .find(|f| f.code == "invalid-route-target")
            .expect("a finding");
        let Some(Fix::Replace { text: new, .. }) = &finding.fix else {
            panic!("no fix: {finding:?}");
        };
        let mut out = text.to_string();
        out.replace_range(finding.range.clone(), new);
        let after = analysis::analyze(&Document::new(&out, language_of(&out), 0));
        assert!(
            after
                .iter()
                .all(|f| f.code != "invalid-route-target" && f.code != "syntax-error"),
            "{after:?}"
        );
        out
    }

    #[test]
    fn the_fix_wraps_a_bare_ref_in_sub() {
        let yaml = "Resources:\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n  R:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      Target: !Ref I\n";
        assert!(fixed(yaml).contains("Target: !Sub integrations/${I}"));
        let json = r#"{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration"}, "R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"Target": {"Ref": "I"}}}}}"#;
        assert!(fixed(json).contains(r#""Target": {"Fn::Sub": "integrations/${I}"}"#));
    }

    #[test]
    fn fires_on_bad_targets() {
        check_rule(
            "invalid-route-target",
            r#"
Parameters:
  IntegrationParam:
    Type: String
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
  Queue:
    Type: AWS::SQS::Queue
  BareRef:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: POST /a
      Target: !Ref Send
#             ^^^^^^^^^ must be `integrations/<IntegrationId>`
  Text:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: POST /b
      Target: Send
#             ^^^^ `Send` is not a route target
  NotIntegration:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: POST /c
      Target: !Sub integrations/${Queue}
#                                 ^^^^^ is of type `AWS::SQS::Queue`
  Missing:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: POST /d
      Target: !Join [/, [integrations, !Ref Nope]]
  Good:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: POST /e
      Target: !Sub integrations/${Send}
  Param:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: POST /f
      Target: !Sub integrations/${IntegrationParam}
  Literal:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: POST /g
      Target: integrations/abc123
"#,
        );
        check_rule(
            "invalid-route-target",
            r#"
{"Resources": {"R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"Target": {"Ref": "I"}}},
#                                                                                 ^^^^^^^^^^^^ must be `integrations/<IntegrationId>`
  "I": {"Type": "AWS::ApiGatewayV2::Integration"}}}
"#,
        );
    }
}
