//! `rest-only-context-variable`: a REST API context variable used on an HTTP API.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::catalog::ContextLookup;
use crate::expr::Source;

pub const RULE: Rule = Rule {
    code: "rest-only-context-variable",
    severity: Severity::Warning,
    summary: "`$context.NAME` exists for REST APIs but not for HTTP APIs.",
    explanation: "Variables such as `$context.resourcePath` or `$context.xrayTraceId` belong to REST APIs; HTTP APIs do not set them. [doc]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $context.resourcePath",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$context.resourcePath\"\n  }\n}",
    fix: "Use an HTTP API variable (`$context.routeKey`, `$context.path`, ...).",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    for value in cx.values {
        for expr in value.parsed.exprs() {
            let Source::Context(name) = &expr.source else {
                continue;
            };
            if cx.catalog.context_variable(name) == ContextLookup::RestOnly {
                let range = value.doc_range(expr.name_range.clone().unwrap_or(expr.range.clone()));
                out.push(Finding::new(
                    &RULE,
                    range,
                    format!("`$context.{name}` is a REST API variable; HTTP APIs do not provide it (try `$context.routeKey` or `$context.path`)."),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_rest_variables() {
        check_rule(
            "rest-only-context-variable",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        MessageBody: $context.resourcePath
#                             ^^^^^^^^^^^^ REST API variable
        MessageGroupId: $context.routeKey
"#,
        );
    }
}
