//! `unknown-parameter`: a `RequestParameters` key the subtype does not take.

use super::{Check, Finding, Fix, IntegrationContext, Rule, Severity, name_list};

pub const RULE: Rule = Rule {
    code: "unknown-parameter",
    severity: Severity::Error,
    summary: "A `RequestParameters` key that the integration's subtype does not take.",
    explanation: "Each subtype has a closed list of parameters, written in exact PascalCase (`QueueUrl`, not `queueUrl` or `QueueURL`). `append:`/`overwrite:`/`remove:` keys are left to `parameter-mapping-with-subtype`. [doc]",
    example: "IntegrationSubtype: SQS-SendMessage\nRequestParameters:\n  queueUrl: !Ref Queue",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    queueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Use the suggested key, or one the subtype lists (completion offers them).",
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
    let Some(params) = cx.integration.request_parameters() else {
        return;
    };
    for pair in params.pairs() {
        let key = pair.key();
        if subtype.param(key).is_some() {
            continue;
        }
        // Request-rewriting keys have their own rule: one finding per problem.
        if super::parameter_mapping_with_subtype::is_mapping_key(key) {
            continue;
        }
        let range = pair.key_span();
        let finding = if let Some(suggestion) = subtype.suggest_param(key) {
            Finding::new(
                &RULE,
                range,
                format!(
                    "{} has no parameter `{key}`; did you mean `{}`?",
                    subtype.name, suggestion.name
                ),
            )
            .with_fix(Fix::Replace {
                title: format!("Change to `{}`", suggestion.name),
                text: suggestion.name.clone(),
                range: None,
            })
        } else {
            Finding::new(
                &RULE,
                range,
                format!(
                    "{} has no parameter `{key}`; it takes {}.",
                    subtype.name,
                    name_list(subtype.parameters.iter().map(|p| p.name.as_str()))
                ),
            )
        };
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_misspelt_miscased_and_foreign_keys() {
        check_rule(
            "unknown-parameter",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        queueUrl: !Ref Queue
#       ^^^^^^^^ did you mean `QueueUrl`?
        MessageBody: $request.body
        TraceHeader: x
#       ^^^^^^^^^^^ it takes `QueueUrl`, `MessageBody`
        overwrite:header.x: y
"#,
        );
    }

    #[test]
    fn silent_on_known_keys_and_unknown_subtypes() {
        check_rule(
            "unknown-parameter",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartSyncExecution
      RequestParameters: {StateMachineArn: !Ref M, TraceHeader: $request.header.x-amzn-trace-id}
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: Nope-Nothing
      RequestParameters: {Whatever: 1}
"#,
        );
    }

    #[test]
    fn works_in_json() {
        check_rule(
            "unknown-parameter",
            r#"
{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationSubtype": "StepFunctions-StartExecution",
  "RequestParameters": {"StateMachineArn": "arn", "input": "$request.body"}}}}}
#                                                  ^^^^^ did you mean `Input`?
"#,
        );
    }
}
