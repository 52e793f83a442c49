//! `unknown-context-variable`: `$context.X` where X is not an HTTP API context variable.

use super::{Check, Finding, IntegrationContext, Rule, Severity, value_fix};
use crate::catalog::ContextLookup;
use crate::expr::Source;

pub const RULE: Rule = Rule {
    code: "unknown-context-variable",
    severity: Severity::Error,
    summary: "`$context.NAME` is not an HTTP API context variable.",
    explanation: "HTTP APIs support the context variables listed in the access-logging reference; names are case-sensitive. [doc]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.body\n      MessageGroupId: $context.requestid",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl       = aws_sqs_queue.orders.url\n    MessageBody    = \"$request.body\"\n    MessageGroupId = \"$context.requestid\"\n  }\n}",
    fix: "Use the suggested name; completion after `$context.` lists the variables.",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    for value in cx.values {
        for expr in value.parsed.exprs() {
            let Source::Context(name) = &expr.source else {
                continue;
            };
            let ContextLookup::Unknown { suggestion } = cx.catalog.context_variable(name) else {
                continue;
            };
            let inner = expr.name_range.clone().unwrap_or(expr.range.clone());
            let range = value.doc_range(inner.clone());
            let finding = match suggestion {
                Some(s) => {
                    let finding = Finding::new(
                        &RULE,
                        range,
                        format!(
                            "`$context.{name}` is not an HTTP API context variable; did you mean `$context.{s}`?"
                        ),
                    );
                    match value_fix(cx, value, format!("Change to `{s}`"), inner, &s) {
                        Some(fix) => finding.with_fix(fix),
                        None => finding,
                    }
                }
                None => Finding::new(
                    &RULE,
                    range,
                    format!(
                        "`$context.{name}` is not an HTTP API context variable; see the list completion offers after `$context.`."
                    ),
                ),
            };
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_unknown_names() {
        check_rule(
            "unknown-context-variable",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        MessageBody: $context.requestid
#                             ^^^^^^^^^ did you mean `$context.requestId`?
        MessageGroupId: "${context.identity.sourceIP}"
#                                  ^^^^^^^^^^^^^^^^^ `$context.identity.sourceIp`
"#,
        );
    }

    #[test]
    fn silent_on_known_and_placeholder_names() {
        check_rule(
            "unknown-context-variable",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        MessageBody: $context.identity.sourceIp
        MessageGroupId: $context.authorizer.claims.sub
        MessageDeduplicationId: $context.authorizer.tenant
"#,
        );
    }
}
