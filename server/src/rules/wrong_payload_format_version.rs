//! `wrong-payload-format-version`: a subtype without `PayloadFormatVersion: "1.0"`.

use super::{Check, Finding, Fix, IntegrationContext, Rule, Severity};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "wrong-payload-format-version",
    severity: Severity::Error,
    summary: "An integration with a subtype needs `PayloadFormatVersion: \"1.0\"`.",
    explanation: "\"For all other integrations, 1.0 is the only supported value\"; 2.0 is for Lambda proxy integrations only, and HTTP APIs require the property. [doc]",
    example: "IntegrationSubtype: SQS-SendMessage\nPayloadFormatVersion: \"2.0\"",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n  payload_format_version = \"2.0\"\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Set `PayloadFormatVersion: \"1.0\"` (quoted, so YAML keeps it a string).",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let integration = cx.integration;
    let Some(subtype) = integration
        .field(Field::Subtype)
        .filter(|_| integration.has_subtype())
    else {
        return;
    };
    let field = integration.dialect.name(Field::PayloadFormatVersion);
    let fix = Fix::SetField {
        field: field.to_string(),
        value: "1.0".to_string(),
    };
    match integration.field(Field::PayloadFormatVersion) {
        // The AWS provider defaults `payload_format_version` to "1.0", and the
        // apigateway-v2 module passes `null` when it is not given (v5+ `variables.tf`:
        // `payload_format_version = optional(string)`; v4 `main.tf`:
        // `try(each.value.payload_format_version, null)`), leaving it to the provider.
        // Pulumi's `aws` package is bridged from that provider: "Default is `1.0`".
        None if integration.dialect.defaults_payload_format() => {}
        None => out.push(
            Finding::new(
                &RULE,
                subtype.key_span(),
                format!(
                    "`{field}` is missing; an integration with a subtype needs `{}`.",
                    if cx.terraform {
                        cx.assignment(field, "1.0")
                    } else {
                        format!("{field}: \"1.0\"")
                    }
                ),
            )
            .with_fix(fix),
        ),
        Some(pair) => {
            let Some(value) = pair.value() else {
                out.push(
                    Finding::new(
                        &RULE,
                        pair.key_span(),
                        format!("`{field}` is empty; set it to \"1.0\"."),
                    )
                    .with_fix(fix),
                );
                return;
            };
            let Some(text) = value.text() else { return };
            if text.trim() != "1.0" {
                out.push(
                    Finding::new(
                        &RULE,
                        value.text_span(),
                        format!("`{field}` must be \"1.0\" for an integration with a subtype (\"2.0\" is only for Lambda proxy integrations)."),
                    )
                    .with_fix(fix),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_2_0_and_missing() {
        check_rule(
            "wrong-payload-format-version",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: "2.0"
#                            ^^^ must be "1.0"
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
#     ^^^^^^^^^^^^^^^^^^ `PayloadFormatVersion` is missing
"#,
        );
    }

    #[test]
    fn accepts_quoted_and_unquoted_1_0() {
        check_rule(
            "wrong-payload-format-version",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: 1.0
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: '1.0'
  K:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      PayloadFormatVersion: "2.0"
      IntegrationUri: !GetAtt Fn.Arn
"#,
        );
    }

    #[test]
    fn works_in_json() {
        check_rule(
            "wrong-payload-format-version",
            r#"
{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "PayloadFormatVersion": 2.0,
#                         ^^^ must be "1.0"
  "IntegrationSubtype": "SQS-PurgeQueue"}}}}
"#,
        );
    }
}
