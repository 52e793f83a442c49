//! `response-phase-context-variable`: a context variable only known after the
//! integration ran, used to build the request.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::catalog::{ContextLookup, Phase};
use crate::expr::Source;

pub const RULE: Rule = Rule {
    code: "response-phase-context-variable",
    severity: Severity::Warning,
    summary: "A response-phase `$context` variable in `RequestParameters`.",
    explanation: "Variables such as `$context.integrationLatency` or `$context.status` describe the integration's response; they have no value yet when the request to the service is built. [inferred]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $context.integrationLatency",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$context.integrationLatency\"\n  }\n}",
    fix: "Use a request-phase variable (completion lists those first).",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    for value in cx.values {
        for expr in value.parsed.exprs() {
            let Source::Context(name) = &expr.source else {
                continue;
            };
            let ContextLookup::Known(var) = cx.catalog.context_variable(name) else {
                continue;
            };
            if var.phase == Phase::Response {
                let range = value.doc_range(expr.name_range.clone().unwrap_or(expr.range.clone()));
                out.push(Finding::new(
                    &RULE,
                    range,
                    format!("`$context.{name}` is only known after the integration responds; it is empty in a request parameter."),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_response_variables() {
        check_rule(
            "response-phase-context-variable",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        MessageBody: $context.integrationLatency
#                             ^^^^^^^^^^^^^^^^^^ only known after
        MessageGroupId: $context.requestId
"#,
        );
    }
}
