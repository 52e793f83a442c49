//! `invalid-expression`: a value that starts like a mapping expression but is not one.

use super::{Check, Finding, IntegrationContext, Rule, Severity, value_fix};
use crate::expr::ProblemKind;

pub const RULE: Rule = Rule {
    code: "invalid-expression",
    severity: Severity::Error,
    summary: "A `RequestParameters` value is a malformed mapping expression.",
    explanation: "Values are static text or mapping expressions: `$request.header.NAME`, `$request.querystring.NAME`, `$request.path.NAME`, `$request.body[.PATH]`, `$context.NAME`, `$stageVariables.NAME`, or the braced `${...}` forms. Prefixes are case-sensitive. API Gateway rejects anything else with \"Invalid mapping expression specified\". [doc]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.heder.x",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.heder.x\"\n  }\n}",
    fix: "Use the suggested expression; completion after `$` offers the valid forms.",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    for value in cx.values {
        for problem in &value.parsed.problems {
            if !matches!(
                problem.kind,
                ProblemKind::InvalidExpression | ProblemKind::UnclosedBrace
            ) {
                continue;
            }
            let mut finding = Finding::new(
                &RULE,
                value.doc_range(problem.range.clone()),
                problem.message.clone(),
            );
            if let Some(fix) = problem.suggestion.as_ref().and_then(|suggestion| {
                value_fix(
                    cx,
                    value,
                    format!("Change to `{suggestion}`"),
                    problem.suggestion_range.clone(),
                    suggestion,
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
    fn fires_on_malformed_expressions() {
        check_rule(
            "invalid-expression",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: $contex.requestId
#                 ^^^^^^^ `$context`
        MessageBody: $request.heder.x
#                             ^^^^^ `header`
        MessageGroupId: $request.header.
#                       ^^^^^^^^^^^^^^^^
        MessageDeduplicationId: $stagevariables.x
#                               ^^^^^^^^^^^^^^^ `$stageVariables`
"#,
        );
    }

    #[test]
    fn silent_on_valid_static_and_intrinsic_values() {
        check_rule(
            "invalid-expression",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/q
        MessageBody: $request.body.order.id
        MessageGroupId: "${request.header.tenant}-${context.requestId}"
        MessageDeduplicationId: static text with ${AWS::Region} in it
        DelaySeconds: "5"
"#,
        );
    }

    #[test]
    fn ranges_are_right_after_non_ascii_text() {
        check_rule(
            "invalid-expression",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        MessageBody: "été ${requst.body.x}"
#                           ^^^^^^ `request`
"#,
        );
    }
}
