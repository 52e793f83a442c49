//! `missing-credentials`: a subtype without `CredentialsArn`.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "missing-credentials",
    severity: Severity::Error,
    summary: "An integration with a subtype has no IAM role (`CredentialsArn`).",
    explanation: "For first-class integrations \"you must create an IAM role\" that API Gateway assumes to call the service; without it every request fails. [doc]",
    example: "IntegrationSubtype: SQS-SendMessage\n# no CredentialsArn",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Add `CredentialsArn: !GetAtt ApiRole.Arn`, a role that trusts apigateway.amazonaws.com and allows the subtype's action.",
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
    if integration
        .field(Field::Credentials)
        .and_then(|p| p.value())
        .is_some()
    {
        return;
    }
    let field = integration.dialect.name(Field::Credentials);
    let action = integration
        .subtype_name()
        .and_then(|n| cx.catalog.subtype(n))
        .map(|s| format!(" with permission for `{}`", s.iam_action))
        .unwrap_or_default();
    let range = integration
        .field(Field::Credentials)
        .map_or_else(|| subtype.key_span(), |p| p.key_span());
    out.push(Finding::new(
        &RULE,
        range,
        format!("`{field}` is missing; set it to an IAM role that API Gateway can assume{action}."),
    ));
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_without_role() {
        check_rule(
            "missing-credentials",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
#     ^^^^^^^^^^^^^^^^^^ permission for `sqs:SendMessage`
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn:
#     ^^^^^^^^^^^^^^ `CredentialsArn` is missing
"#,
        );
    }

    #[test]
    fn silent_with_role_or_without_subtype() {
        check_rule(
            "missing-credentials",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Role.Arn
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Fn.Arn
"#,
        );
    }

    #[test]
    fn works_in_json() {
        check_rule(
            "missing-credentials",
            r#"
{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationSubtype": "Kinesis-PutRecord"}}}}
#  ^^^^^^^^^^^^^^^^^^ `kinesis:PutRecord`
"#,
        );
    }
}
