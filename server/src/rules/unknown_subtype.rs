//! `unknown-subtype`: `IntegrationSubtype` is not one of the ten subtypes.

use super::{Check, Finding, Fix, IntegrationContext, Rule, Severity, name_list};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "unknown-subtype",
    severity: Severity::Error,
    summary: "`IntegrationSubtype` is not one of the ten HTTP API integration subtypes.",
    explanation: "HTTP APIs support exactly ten first-class integration subtypes, spelled exactly as AWS lists them (case matters). Anything else fails at deploy time. [doc]",
    example: "IntegrationSubtype: SQS-SendMesage",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMesage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Use the suggested name, or one of the ten subtypes (completion lists them).",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let Some(pair) = cx.integration.field(Field::Subtype) else {
        return;
    };
    let Some(value) = pair.value() else {
        let names = name_list(cx.catalog.subtype_names());
        out.push(Finding::new(
            &RULE,
            pair.key_span(),
            format!("`{}` is empty; set it to one of {names}.", pair.key()),
        ));
        return;
    };
    let Some(name) = value.text() else { return };
    if cx.catalog.subtype(name).is_some() {
        return;
    }
    let range = value.text_span();
    match cx.catalog.suggest_subtype(name) {
        Some(suggestion) => out.push(
            Finding::new(
                &RULE,
                range,
                format!(
                    "`{name}` is not an integration subtype; did you mean `{}`?",
                    suggestion.name
                ),
            )
            .with_fix(Fix::Replace {
                title: format!("Change to `{}`", suggestion.name),
                text: suggestion.name.clone(),
                range: None,
            }),
        ),
        None => out.push(Finding::new(
            &RULE,
            range,
            format!(
                "`{name}` is not an HTTP API integration subtype; use one of {}.",
                name_list(cx.catalog.subtype_names())
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_misspelt_and_unknown_subtypes() {
        check_rule(
            "unknown-subtype",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMesage
#                         ^^^^^^^^^^^^^^ did you mean `SQS-SendMessage`?
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: "sqs-sendmessage"
#                          ^^^^^^^^^^^^^^^ did you mean `SQS-SendMessage`?
  K:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: Lambda-Invoke
#                         ^^^^^^^^^^^^^ is not an HTTP API integration subtype
"#,
        );
    }

    #[test]
    fn silent_on_valid_and_intrinsic_subtypes() {
        check_rule(
            "unknown-subtype",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: EventBridge-PutEvents
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: !Ref SubtypeParameter
"#,
        );
    }

    #[test]
    fn works_in_json() {
        check_rule(
            "unknown-subtype",
            r#"
{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationSubtype": "Kinesis-PutRecords"}}}}
#                        ^^^^^^^^^^^^^^^^^^ did you mean `Kinesis-PutRecord`?
"#,
        );
    }
}
