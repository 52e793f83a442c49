//! `parameter-mapping-with-subtype`: `append:`/`overwrite:`/`remove:` request-rewriting
//! keys on an integration that has an `IntegrationSubtype`.
//!
//! `unknown-parameter` leaves these keys to this rule, so each one gets one finding.
//! Its counterpart, subtype keys without a subtype, is `parameter-without-subtype`.

use super::{Check, Finding, IntegrationContext, Rule, Severity, name_list};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "parameter-mapping-with-subtype",
    severity: Severity::Error,
    summary: "`append:`/`overwrite:`/`remove:` mapping keys on an integration with `IntegrationSubtype`.",
    explanation: "`RequestParameters` means two different things. Without a subtype (HTTP proxy, Lambda, private integrations) its keys rewrite the outgoing request: `append:header.x`, `overwrite:querystring.y`, `remove:header.z`, `overwrite:path`. With a subtype its keys are the parameters of the AWS call (`QueueUrl`, `MessageBody`, ...), and rewriting keys are rejected. [doc]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.body\n      append:header.x-source: api",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl                 = aws_sqs_queue.orders.url\n    MessageBody              = \"$request.body\"\n    \"append:header.x-source\" = \"api\"\n  }\n}",
    fix: "Remove the key, or carry the value in one of the subtype's parameters (for SQS, a `MessageAttributes` entry); if the integration is meant to proxy the request, remove `IntegrationSubtype` instead.",
    check: Check::Integration(check),
};

/// The actions of request-rewriting keys (`append:header.x`).
pub const MAPPING_ACTIONS: &[&str] = &["append:", "overwrite:", "remove:"];

/// Whether `key` is a request-rewriting key of integrations without a subtype.
pub fn is_mapping_key(key: &str) -> bool {
    MAPPING_ACTIONS.iter().any(|action| key.starts_with(action))
}

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    if !cx.integration.has_subtype() {
        return;
    }
    let Some(params) = cx.integration.request_parameters() else {
        return;
    };
    let field = cx.integration.dialect.name(Field::Subtype);
    let subtype = cx
        .integration
        .subtype_name()
        .and_then(|name| cx.catalog.subtype(name));
    for pair in params.pairs().filter(|p| is_mapping_key(p.key())) {
        let takes = match subtype {
            Some(s) => format!(
                "{} takes only its parameters ({})",
                s.name,
                name_list(s.parameters.iter().map(|p| p.name.as_str()))
            ),
            None => "a subtype takes only its own parameters".to_string(),
        };
        out.push(Finding::new(
            &RULE,
            pair.key_span(),
            format!(
                "`{}` rewrites the request of integrations without a subtype, but this one has `{field}`: {takes}. Remove the key, or remove `{field}` if the request should be proxied.",
                pair.key()
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_mapping_keys_next_to_a_subtype() {
        check_rule(
            "parameter-mapping-with-subtype",
            r#"
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: $request.body
        append:header.x-source: api
#       ^^^^^^^^^^^^^^^^^^^^^^ SQS-SendMessage takes only its parameters (`QueueUrl`, `MessageBody`
        overwrite:querystring.page: !Sub "${AWS::Region}"
#       ^^^^^^^^^^^^^^^^^^^^^^^^^^ `overwrite:querystring.page` rewrites the request
        remove:header.authorization: "''"
#       ^^^^^^^^^^^^^^^^^^^^^^^^^^^ remove `IntegrationSubtype` if the request should be proxied
  ByParameter:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      IntegrationSubtype: !Ref Subtype
      RequestParameters:
        overwrite:path: /v2
#       ^^^^^^^^^^^^^^ a subtype takes only its own parameters
"#,
        );
    }

    #[test]
    fn silent_on_proxies_and_subtype_keys() {
        check_rule(
            "parameter-mapping-with-subtype",
            r#"
Resources:
  Proxy:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: HTTP_PROXY
      IntegrationUri: https://example.com
      RequestParameters:
        append:header.x-source: api
        overwrite:path: /v2/$request.path
        remove:querystring.debug: "''"
  Lambda:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Fn.Arn
      RequestParameters: {"overwrite:header.x-stage": "$context.stage"}
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: $request.body
"#,
        );
    }

    #[test]
    fn fires_in_openapi_and_json_templates() {
        check_rule(
            "parameter-mapping-with-subtype",
            r#"
openapi: "3.0.1"
paths:
  /orders:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        integrationSubtype: EventBridge-PutEvents
        requestParameters:
          Detail: $request.body
          DetailType: Order
          Source: shop
          append:header.x-trace: $context.requestId
#         ^^^^^^^^^^^^^^^^^^^^^ but this one has `integrationSubtype`
  /proxy:
    get:
      x-amazon-apigateway-integration:
        type: http_proxy
        uri: https://example.com
        requestParameters:
          append:header.x-trace: $context.requestId
"#,
        );
        check_rule(
            "parameter-mapping-with-subtype",
            r#"
{"Resources": {"S": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationSubtype": "StepFunctions-StartExecution",
  "RequestParameters": {"StateMachineArn": {"Ref": "M"}, "overwrite:header.x": "y"}}}}}
#                                                         ^^^^^^^^^^^^^^^^^^ StepFunctions-StartExecution takes only
"#,
        );
    }

    #[test]
    fn unknown_parameter_leaves_these_keys_alone() {
        check_rule(
            "unknown-parameter",
            r#"
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: $request.body
        append:header.x-source: api
"#,
        );
    }
}
