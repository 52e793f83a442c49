//! `missing-required-parameter`: a required request parameter of the subtype is absent.

use super::{Check, Finding, Fix, IntegrationContext, Rule, Severity, name_list};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "missing-required-parameter",
    severity: Severity::Error,
    summary: "A parameter the subtype requires is missing from `RequestParameters`.",
    explanation: "\"You must configure all required parameters to create an integration.\" Each subtype has a fixed set of required parameters (for SQS-SendMessage: QueueUrl and MessageBody). [doc]",
    example: "IntegrationSubtype: SQS-SendMessage\nRequestParameters:\n  QueueUrl: !Ref Queue",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl = aws_sqs_queue.orders.url\n  }\n}",
    fix: "Add the missing keys (the quick fix inserts all of them with placeholders).",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let Some(subtype) = cx
        .integration
        .subtype_name()
        .and_then(|n| cx.catalog.subtype(n))
    else {
        return;
    };
    let params_pair = cx.integration.field(Field::RequestParameters);
    let present: Vec<&str> = match cx.integration.request_parameters_value() {
        Some(value) if value.is_map() => value.pairs().map(|p| p.key()).collect(),
        // `Fn::If` and friends: the keys are not known here.
        Some(value) if value.intrinsic().is_some() => return,
        _ => Vec::new(),
    };
    let missing: Vec<&str> = subtype
        .required_params()
        .map(|p| p.name.as_str())
        .filter(|name| !present.contains(name))
        .collect();
    if missing.is_empty() {
        return;
    }
    let field = cx.integration.dialect.name(Field::RequestParameters);
    let range = match params_pair {
        Some(pair) => pair.key_span(),
        None => match cx.integration.field(Field::Subtype) {
            Some(pair) => pair.key_span(),
            None => cx.integration.anchor.clone(),
        },
    };
    let noun = if missing.len() == 1 {
        "parameter"
    } else {
        "parameters"
    };
    let message = format!(
        "{} requires {noun} {} in `{field}`; add {}.",
        subtype.name,
        name_list(missing.iter().copied()),
        if missing.len() == 1 { "it" } else { "them" },
    );
    out.push(
        Finding::new(&RULE, range, message).with_fix(Fix::AddParameters {
            names: missing.iter().map(|s| s.to_string()).collect(),
        }),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn lists_every_missing_key_once() {
        check_rule(
            "missing-required-parameter",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
#     ^^^^^^^^^^^^^^^^^ SQS-SendMessage requires parameter `MessageBody` in `RequestParameters`
        QueueUrl: !Ref Queue
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: EventBridge-PutEvents
#     ^^^^^^^^^^^^^^^^^^ requires parameters `Detail`, `DetailType` and `Source`
  K:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: Kinesis-PutRecord
      RequestParameters: {StreamName: s, data: x}
#     ^^^^^^^^^^^^^^^^^ `Data` and `PartitionKey`
"#,
        );
    }

    #[test]
    fn silent_when_complete_or_unknowable() {
        check_rule(
            "missing-required-parameter",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      RequestParameters:
        QueueUrl: !Ref Queue
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      RequestParameters: !If [C, {QueueUrl: a}, {QueueUrl: b}]
  K:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: !Ref Sub
"#,
        );
    }

    #[test]
    fn works_in_json() {
        check_rule(
            "missing-required-parameter",
            r#"
{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationSubtype": "StepFunctions-StopExecution",
  "RequestParameters": {"Cause": "x"}}}}}
#  ^^^^^^^^^^^^^^^^^ `ExecutionArn`
"#,
        );
    }
}
