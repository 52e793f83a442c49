//! `value-length`: a `RequestParameters` value that is empty or longer than 512
//! characters.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::syntax::ScalarKind;

pub const RULE: Rule = Rule {
    code: "value-length",
    severity: Severity::Error,
    summary: "A `RequestParameters` value is empty or longer than 512 characters.",
    explanation: "Each configured value (static text or mapping expression) must be 1 to 512 characters (`StringWithLengthBetween1And512` in the API model). An empty value is an error. A value over 512 characters is reported as information only: deployed public templates carry longer values (for example indented JSON `MessageAttributes`), so the limit does not seem to be enforced on the configured text. [model]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: \"\"",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"\"\n  }\n}",
    fix: "Give the parameter a value, or remove the key if it is optional; map long payloads from the request (`$request.body`).",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let Some(params) = cx.integration.request_parameters() else {
        return;
    };
    for pair in params.pairs() {
        let Some(value) = pair.value() else {
            out.push(Finding::new(
                &RULE,
                pair.key_span(),
                format!(
                    "`{}` has no value; give it 1 to 512 characters or remove it.",
                    pair.key()
                ),
            ));
            continue;
        };
        let Some(scalar) = value.scalar() else {
            continue;
        };
        let len = scalar.text.chars().count();
        if scalar.kind == ScalarKind::Null || len == 0 {
            out.push(Finding::new(
                &RULE,
                pair.key_span(),
                format!(
                    "`{}` is empty; give it 1 to 512 characters or remove it.",
                    pair.key()
                ),
            ));
        } else if len > 512 {
            let mut finding = Finding::new(
                &RULE,
                value.text_span(),
                format!(
                    "`{}` is {len} characters long (whitespace included); the API model limits values to 512, so consider compacting it.",
                    pair.key()
                ),
            );
            finding.severity = Severity::Information;
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_empty_and_long_values() {
        let long = "x".repeat(513);
        let carets = format!("#{}{} 513 characters", " ".repeat(23), "^".repeat(513));
        let fixture = format!(
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: ""
#       ^^^^^^^^ is empty
        MessageBody:
#       ^^^^^^^^^^^ has no value
        MessageGroupId: {long}
{carets}
        MessageDeduplicationId: $request.body.id
"#
        );
        check_rule("value-length", &fixture);
    }
}
