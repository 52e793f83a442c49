//! `wrong-field-name`: an integration field spelled in the wrong case or dialect
//! (`IntegrationSubType`, or `RequestParameters` inside an OpenAPI extension).

use super::{Check, Finding, Fix, IntegrationContext, Rule, Severity};
use crate::model::{Dialect, Integration, tf_module};
use crate::suggest::closest;

pub const RULE: Rule = Rule {
    code: "wrong-field-name",
    severity: Severity::Error,
    summary: "An integration field is misspelt, miscased or in the other dialect's spelling.",
    explanation: "CloudFormation rejects unknown properties (\"Encountered unsupported properties in {/}: [IntegrationSubType]\"); in OpenAPI, `x-amazon-apigateway-integration` uses camelCase (`requestParameters`, `integrationSubtype`) and a PascalCase field is ignored, so its parameters never reach the integration. [doc]",
    example: "openapi: 3.0.1\npaths:\n  /orders:\n    post:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        integrationSubType: SQS-SendMessage\n        RequestParameters: {QueueUrl: q, MessageBody: $request.body}",
    terraform_example: "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n  body = jsonencode({\n    openapi = \"3.0.1\"\n    paths = {\n      \"/orders\" = {\n        post = {\n          x-amazon-apigateway-integration = {\n            type               = \"aws_proxy\"\n            integrationSubType = \"SQS-SendMessage\"\n            RequestParameters  = { QueueUrl = \"q\", MessageBody = \"$request.body\" }\n          }\n        }\n      }\n    }\n  })\n}",
    fix: "Use the field name the quick fix suggests.",
    check: Check::Integration(check),
};

/// `AWS::ApiGatewayV2::Integration` properties.
const CFN_FIELDS: &[&str] = &[
    "ApiId",
    "ConnectionId",
    "ConnectionType",
    "ContentHandlingStrategy",
    "CredentialsArn",
    "Description",
    "IntegrationMethod",
    "IntegrationSubtype",
    "IntegrationType",
    "IntegrationUri",
    "PassthroughBehavior",
    "PayloadFormatVersion",
    "RequestParameters",
    "RequestTemplates",
    "ResponseParameters",
    "TemplateSelectionExpression",
    "TimeoutInMillis",
    "TlsConfig",
];

/// `x-amazon-apigateway-integration` fields.
const OPENAPI_FIELDS: &[&str] = &[
    "type",
    "uri",
    "httpMethod",
    "credentials",
    "connectionType",
    "connectionId",
    "integrationSubtype",
    "requestParameters",
    "responseParameters",
    "payloadFormatVersion",
    "timeoutInMillis",
    "tlsConfig",
    "passthroughBehavior",
    "requestTemplates",
    "responses",
    "cacheKeyParameters",
    "cacheNamespace",
    "contentHandling",
    "$ref",
];

/// The arguments of `aws_apigatewayv2_integration` (AWS provider), and Terraform's
/// meta-arguments.
const TERRAFORM_FIELDS: &[&str] = &[
    "api_id",
    "connection_id",
    "connection_type",
    "content_handling_strategy",
    "credentials_arn",
    "description",
    "integration_method",
    "integration_subtype",
    "integration_type",
    "integration_uri",
    "passthrough_behavior",
    "payload_format_version",
    "request_parameters",
    "request_templates",
    "response_parameters",
    "template_selection_expression",
    "timeout_milliseconds",
    "tls_config",
    "region",
    "count",
    "for_each",
    "provider",
    "depends_on",
    "lifecycle",
];

/// The properties of `aws:apigatewayv2:Integration` in Pulumi: the provider's
/// arguments in camelCase (a test checks them against [`TERRAFORM_FIELDS`]).
const PULUMI_FIELDS: &[&str] = &[
    "apiId",
    "connectionId",
    "connectionType",
    "contentHandlingStrategy",
    "credentialsArn",
    "description",
    "integrationMethod",
    "integrationSubtype",
    "integrationType",
    "integrationUri",
    "passthroughBehavior",
    "payloadFormatVersion",
    "requestParameters",
    "requestTemplates",
    "responseParameters",
    "templateSelectionExpression",
    "timeoutMilliseconds",
    "tlsConfig",
    "region",
];

/// The field names an integration may have: its dialect's, and for an entry of the
/// apigateway-v2 module's v4 `integrations` input, the route's beside them.
pub fn fields_of(integration: &Integration<'_>) -> &'static [&'static str] {
    dialect_fields(integration.dialect, integration.is_module_v4())
}

/// The field names of `dialect`; `module_v4` for an entry of the apigateway-v2
/// module's v4 `integrations` input.
pub fn dialect_fields(dialect: Dialect, module_v4: bool) -> &'static [&'static str] {
    if module_v4 {
        return tf_module::V4_FIELDS;
    }
    match dialect {
        Dialect::CloudFormation => CFN_FIELDS,
        Dialect::OpenApi => OPENAPI_FIELDS,
        Dialect::Terraform => TERRAFORM_FIELDS,
        Dialect::TerraformModule => tf_module::V5_FIELDS,
        Dialect::Pulumi => PULUMI_FIELDS,
    }
}

/// The field a wrong name most likely means, if one is clearly meant.
pub fn suggest(fields: &'static [&'static str], key: &str) -> Option<&'static str> {
    if fields.contains(&key) {
        return None;
    }
    if let Some(f) = fields.iter().find(|f| f.eq_ignore_ascii_case(key)) {
        return Some(f);
    }
    closest(key, fields.iter().copied(), |f| f).one()
}

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let dialect = cx.integration.dialect;
    let fields = fields_of(cx.integration);
    for pair in cx.integration.fields.pairs() {
        let key = pair.key();
        let Some(right) = suggest(fields, key) else {
            continue;
        };
        let why = match dialect {
            Dialect::OpenApi if key.chars().next().is_some_and(char::is_uppercase) => {
                " (OpenAPI fields are camelCase; PascalCase is the CloudFormation spelling)"
            }
            _ => "",
        };
        out.push(
            Finding::new(
                &RULE,
                pair.key_span(),
                format!("`{key}` is not a field of this integration; use `{right}`{why}."),
            )
            .with_fix(Fix::Replace {
                title: format!("Change to `{right}`"),
                text: right.to_string(),
                range: None,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_miscased_fields_in_both_dialects() {
        check_rule(
            "wrong-field-name",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubType: SQS-SendMessage
#     ^^^^^^^^^^^^^^^^^^ use `IntegrationSubtype`
      IntegrationType: AWS_PROXY
"#,
        );
        check_rule(
            "wrong-field-name",
            r#"
openapi: "3.0.1"
paths:
  /x:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        integrationSubType: SQS-SendMessage
#       ^^^^^^^^^^^^^^^^^^ use `integrationSubtype`
        RequestParameters: {QueueUrl: q, MessageBody: $request.body}
#       ^^^^^^^^^^^^^^^^^ OpenAPI fields are camelCase
        connectiontype: INTERNET
#       ^^^^^^^^^^^^^^ use `connectionType`
"#,
        );
    }

    #[test]
    fn pulumi_fields_are_the_provider_arguments() {
        let meta = ["count", "for_each", "provider", "depends_on", "lifecycle"];
        let arguments: Vec<String> = super::TERRAFORM_FIELDS
            .iter()
            .filter(|f| !meta.contains(f))
            .map(|f| crate::model::pulumi::property(f).into_owned())
            .collect();
        assert_eq!(arguments, super::PULUMI_FIELDS);
    }

    #[test]
    fn silent_on_valid_fields() {
        check_rule(
            "wrong-field-name",
            r#"
{"openapi": "3.0.1", "paths": {"/x": {"post": {"x-amazon-apigateway-integration": {
  "type": "AWS_PROXY", "integrationSubtype": "SQS-PurgeQueue", "credentials": "arn",
  "payloadFormatVersion": "1.0", "requestParameters": {"QueueUrl": "q"}, "connectionType": "INTERNET", "timeoutInMillis": 5000}}}}}
"#,
        );
    }
}
