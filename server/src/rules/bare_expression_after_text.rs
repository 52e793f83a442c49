//! `bare-expression-after-text`: `$request...` after static text is not substituted.

use super::{Check, Finding, IntegrationContext, Rule, Severity, value_fix};
use crate::expr::ProblemKind;

pub const RULE: Rule = Rule {
    code: "bare-expression-after-text",
    severity: Severity::Warning,
    summary: "A bare `$request.`/`$context.`/`$stageVariables.` expression after static text.",
    explanation: "\"To use multiple variables in a selection expression, enclose the variable in brackets.\" A bare expression is only recognised as the whole value; after other text it is sent literally. [inferred from doc]",
    example: "PutEvent:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: EventBridge-PutEvents\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      Detail: $request.body\n      DetailType: OrderPlaced\n      Source: com.example.$request.path.source",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"put_event\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"EventBridge-PutEvents\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    Detail     = \"$request.body\"\n    DetailType = \"OrderPlaced\"\n    Source     = \"com.example.$request.path.source\"\n  }\n}",
    fix: "Use the braced form: `com.example.${request.path.source}` (in Terraform and Pulumi YAML, where `${` is their own interpolation, `com.example.$${request.path.source}`).",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    for value in cx.values {
        for problem in value
            .parsed
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::BareAfterText)
        {
            // In Terraform and Pulumi YAML `${` starts an interpolation: the braced form
            // is `$${...}` (which `value_fix` writes for Pulumi).
            let terraform = cx.integration.dialect == crate::model::Dialect::Terraform;
            let spell = |text: &str| {
                if terraform {
                    text.replace("${", "$${")
                } else {
                    text.to_string()
                }
            };
            let message = if cx.pulumi {
                problem.message.replace("${", "$${")
            } else {
                spell(&problem.message)
            };
            let mut finding = Finding::new(&RULE, value.doc_range(problem.range.clone()), message);
            if let Some(fix) = problem.suggestion.as_ref().and_then(|suggestion| {
                value_fix(
                    cx,
                    value,
                    "Use the braced form".to_string(),
                    problem.suggestion_range.clone(),
                    &spell(suggestion),
                )
            }) {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_after_static_prefix() {
        check_rule(
            "bare-expression-after-text",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: EventBridge-PutEvents
      RequestParameters:
        Source: com.mycompany.$request.path.source
#                             ^^^^^^^^^^^^^^^^^^^^
        Detail: $request.body
        DetailType: ${request.path.type}-event
"#,
        );
    }
}
