//! `parameter-without-subtype`: subtype parameter keys on an integration that has no
//! `IntegrationSubtype` (the counterpart of `parameter-mapping-with-subtype`).

use super::{Check, Finding, Fix, IntegrationContext, Rule, Severity, name_list};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "parameter-without-subtype",
    severity: Severity::Error,
    summary: "Subtype parameter keys (`QueueUrl`, `MessageBody`, ...) on an integration without `IntegrationSubtype`.",
    explanation: "Without a subtype, HTTP API parameter mapping takes only `append:`/`overwrite:`/`remove:` keys; subtype parameters such as `QueueUrl` mean nothing there and the deploy fails. The integration most likely lacks its `IntegrationSubtype`. [doc]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.body",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id                 = aws_apigatewayv2_api.orders.id\n  integration_type       = \"AWS_PROXY\"\n  payload_format_version = \"1.0\"\n  credentials_arn        = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Add the `IntegrationSubtype` the parameters belong to (the quick fix does when only one fits).",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    // A subtype Terraform computes (`each.value.subtype`) may be any: nothing to say.
    if cx.integration.has_subtype()
        || cx
            .integration
            .field(crate::model::Field::Subtype)
            .is_some()
    {
        return;
    }
    let Some(params) = cx.integration.request_parameters() else {
        return;
    };
    let keys: Vec<_> = params
        .pairs()
        .filter(|p| {
            cx.catalog
                .subtypes
                .iter()
                .any(|s| s.param(p.key()).is_some())
        })
        .collect();
    if keys.is_empty() {
        return;
    }
    // The subtypes that take every one of these keys.
    let fitting: Vec<&str> = cx
        .catalog
        .subtypes
        .iter()
        .filter(|s| keys.iter().all(|k| s.param(k.key()).is_some()))
        .map(|s| s.name.as_str())
        .collect();
    let field = cx.integration.dialect.name(Field::Subtype);
    let advice = match fitting.as_slice() {
        [] => format!("set `{field}` to the subtype they belong to"),
        [one] => format!("set `{}`", cx.assignment(field, one)),
        many => format!(
            "set `{field}` to one of {}",
            name_list(many.iter().copied())
        ),
    };
    for (i, key) in keys.iter().enumerate() {
        let finding = Finding::new(
            &RULE,
            key.key_span(),
            format!(
                "`{}` is a parameter of integration subtypes, but this integration has no `{field}`: {advice}.",
                key.key()
            ),
        );
        out.push(match (i, fitting.as_slice()) {
            (0, [one]) => finding.with_fix(Fix::SetField {
                field: field.to_string(),
                value: one.to_string(),
            }),
            _ => finding,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_subtype_keys_without_a_subtype() {
        check_rule(
            "parameter-without-subtype",
            r#"
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      RequestParameters:
        QueueUrl: !Ref Queue
#       ^^^^^^^^ set `IntegrationSubtype: SQS-SendMessage`
        MessageBody: $request.body
#       ^^^^^^^^^^^ this integration has no `IntegrationSubtype`
  Proxy:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: HTTP_PROXY
      RequestParameters:
        append:header.x-source: api
        overwrite:path: /v2/$request.path
  WithSubtype:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: x
"#,
        );
        check_rule(
            "parameter-without-subtype",
            r#"
{"openapi": "3.0.1", "paths": {"/x": {"post": {"x-amazon-apigateway-integration": {
  "type": "aws_proxy", "requestParameters": {"StateMachineArn": "arn", "Input": "$request.body"}}}}}}
#                                             ^^^^^^^^^^^^^^^ this integration has no `integrationSubtype`
#                                                                       ^^^^^ `Input` is a parameter
"#,
        );
    }

    #[test]
    fn openapi_yaml_json_templates_and_subtypes_from_intrinsics() {
        check_rule(
            "parameter-without-subtype",
            r#"
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /events:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                credentials: !GetAtt Role.Arn
                requestParameters:
                  Detail: $request.body
#                 ^^^^^^ set `integrationSubtype: EventBridge-PutEvents`
                  overwrite:header.x: y
          /lambda:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                uri: !GetAtt Fn.Arn
                requestParameters:
                  append:header.x-trace: $context.requestId
  FromParameter:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      IntegrationSubtype: !Ref Subtype
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: $request.body
"#,
        );
        check_rule(
            "parameter-without-subtype",
            r#"
{"Resources": {"Stream": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationType": "AWS_PROXY",
  "RequestParameters": {"StreamName": {"Ref": "S"}, "Data": "$request.body", "PartitionKey": "$request.header.k"}}}}}
#                        ^^^^^^^^^^ set `IntegrationSubtype: Kinesis-PutRecord`
#                                                    ^^^^ no `IntegrationSubtype`
#                                                                             ^^^^^^^^^^^^ no `IntegrationSubtype`
"#,
        );
    }
}
