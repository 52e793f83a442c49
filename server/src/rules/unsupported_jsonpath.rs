//! `unsupported-jsonpath`: `$request.body` paths API Gateway cannot evaluate.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::expr::ProblemKind;

pub const RULE: Rule = Rule {
    code: "unsupported-jsonpath",
    severity: Severity::Error,
    summary: "A `$request.body` JSONPath with recursive descent (`..`) or a filter (`?(`).",
    explanation: "HTTP API parameter mapping does not support recursive descent or filter expressions in `$request.body.JSONPATH`. [doc]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.body..id",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body..id\"\n  }\n}",
    fix: "Spell out the path (`$request.body.order.id`) or pass the whole `$request.body`.",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    for value in cx.values {
        for problem in value
            .parsed
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::UnsupportedJsonPath)
        {
            out.push(Finding::new(
                &RULE,
                value.doc_range(problem.range.clone()),
                problem.message.clone(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_descent_and_filters() {
        check_rule(
            "unsupported-jsonpath",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: $request.body..queue
#                              ^^ recursive descent
        MessageBody: $request.body.items[0].name
"#,
        );
    }
}
