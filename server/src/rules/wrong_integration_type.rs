//! `wrong-integration-type`: a subtype with an `IntegrationType` other than `AWS_PROXY`.

use super::{Check, Finding, Fix, IntegrationContext, Rule, Severity};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "wrong-integration-type",
    severity: Severity::Error,
    summary: "An integration with a subtype must have `IntegrationType: AWS_PROXY`.",
    explanation: "Subtypes are \"supported only for HTTP API AWS_PROXY integrations\". `IntegrationType` is also required by CloudFormation. [doc]",
    example: "IntegrationType: AWS\nIntegrationSubtype: SQS-SendMessage",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Set `IntegrationType: AWS_PROXY`.",
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
    let field = integration.dialect.name(Field::IntegrationType);
    let fix = Fix::SetField {
        field: field.to_string(),
        value: "AWS_PROXY".to_string(),
    };
    match integration.field(Field::IntegrationType) {
        // The apigateway-v2 module's default.
        None if integration.type_defaults_to_proxy() => {}
        None => out.push(
            Finding::new(
                &RULE,
                subtype.key_span(),
                format!("`{field}` is missing; an integration with a subtype needs `{}`.", cx.assignment(field, "AWS_PROXY")),
            )
            .with_fix(fix),
        ),
        Some(pair) => {
            let Some(value) = pair.value() else {
                out.push(
                    Finding::new(&RULE, pair.key_span(), format!("`{field}` is empty; set it to `AWS_PROXY`."))
                        .with_fix(fix),
                );
                return;
            };
            let Some(text) = value.text() else { return };
            if !integration.dialect.is_proxy_type(text) {
                out.push(
                    Finding::new(
                        &RULE,
                        value.text_span(),
                        format!("`{}` cannot carry a subtype; first-class integrations use `AWS_PROXY`.", cx.assignment(field, text)),
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
    fn fires_on_other_types_and_missing_type() {
        check_rule(
            "wrong-integration-type",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS
#                      ^^^ first-class integrations use `AWS_PROXY`
      IntegrationSubtype: SQS-SendMessage
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
#     ^^^^^^^^^^^^^^^^^^ `IntegrationType` is missing
"#,
        );
    }

    #[test]
    fn silent_on_proxy_and_without_subtype() {
        check_rule(
            "wrong-integration-type",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: HTTP_PROXY
      IntegrationUri: https://example.com
  K:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: !Ref TypeParam
      IntegrationSubtype: SQS-SendMessage
"#,
        );
    }

    #[test]
    fn works_in_json() {
        check_rule(
            "wrong-integration-type",
            r#"
{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationType": "HTTP_PROXY",
#                     ^^^^^^^^^^ `AWS_PROXY`
  "IntegrationSubtype": "SQS-PurgeQueue"}}}}
"#,
        );
    }
}
