//! `unquoted-non-string`: a YAML number or boolean where CloudFormation expects a string.

use super::{Check, Finding, Fix, IntegrationContext, Rule, Severity};
use crate::syntax::{ScalarKind, ScalarStyle};

pub const RULE: Rule = Rule {
    code: "unquoted-non-string",
    severity: Severity::Warning,
    summary: "An unquoted YAML number or boolean in `RequestParameters`, where values are strings.",
    explanation: "The CloudFormation schema types every `RequestParameters` value as a string; an unquoted `5` or `true` is a YAML number or boolean, which schema validators reject and which can change form (`1.0` becomes `1`). [model]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.body\n      DelaySeconds: 5",
    terraform_example: "",
    fix: "Quote it: `DelaySeconds: \"5\"`.",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    // Terraform converts numbers and booleans to strings for `request_parameters`, a
    // map of strings, and so does Pulumi YAML (pulumi-yaml's type checker: "we coerce
    // numbers to strings", booleans too).
    if matches!(
        cx.integration.dialect,
        crate::model::Dialect::Terraform
            | crate::model::Dialect::TerraformModule
            | crate::model::Dialect::Pulumi
    ) {
        return;
    }
    let Some(params) = cx.integration.request_parameters() else {
        return;
    };
    for pair in params.pairs() {
        let Some(value) = pair.value() else { continue };
        let Some(scalar) = value.scalar() else {
            continue;
        };
        if scalar.style != ScalarStyle::Plain
            || !matches!(
                scalar.kind,
                ScalarKind::Int | ScalarKind::Float | ScalarKind::Bool
            )
        {
            continue;
        }
        // JSON numbers and booleans are plain too; quoting works the same way there.
        out.push(
            Finding::new(
                &RULE,
                value.text_span(),
                format!(
                    "`{}: {}` is a YAML {}; values are strings, so quote it: \"{}\".",
                    pair.key(),
                    scalar.text,
                    if scalar.kind == ScalarKind::Bool {
                        "boolean"
                    } else {
                        "number"
                    },
                    scalar.text
                ),
            )
            .with_fix(Fix::Replace {
                title: format!("Quote `{}`", scalar.text),
                text: format!("\"{}\"", scalar.text),
                range: None,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_unquoted_numbers_and_booleans() {
        check_rule(
            "unquoted-non-string",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: q
        MessageBody: $request.body
        DelaySeconds: 5
#                     ^ quote it
        MessageGroupId: "5"
        MessageDeduplicationId: true
#                               ^^^^ YAML boolean
"#,
        );
    }
}
