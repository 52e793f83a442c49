//! `subtype-with-uri`: `IntegrationUri`, `ConnectionId`, `ConnectionType: VPC_LINK` or
//! `TlsConfig` on an integration with a subtype.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::model::{Dialect, Field, tf_module};

pub const RULE: Rule = Rule {
    code: "subtype-with-uri",
    severity: Severity::Warning,
    summary: "A URI, VPC link or TLS setting on an integration that has a subtype.",
    explanation: "A first-class integration calls the AWS service named by its subtype: `IntegrationUri`, `ConnectionId`, `ConnectionType: VPC_LINK` and `TlsConfig` belong to HTTP and private integrations and have no meaning here. [inferred]",
    example: "IntegrationSubtype: SQS-SendMessage\nIntegrationUri: https://example.com",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n  integration_uri     = \"https://example.com\"\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Remove the property (or drop the subtype if this is meant to be an HTTP integration).",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    if !cx.integration.has_subtype() {
        return;
    }
    let names: &[&str] = match cx.integration.dialect {
        _ if cx.integration.is_module_v4() => tf_module::V4_TARGET_FIELDS,
        Dialect::TerraformModule => tf_module::V5_TARGET_FIELDS,
        Dialect::CloudFormation => &[
            "IntegrationUri",
            "ConnectionId",
            "TlsConfig",
            "ConnectionType",
        ],
        Dialect::OpenApi => &["uri", "connectionId", "tlsConfig", "connectionType"],
        Dialect::Terraform => &[
            "integration_uri",
            "connection_id",
            "tls_config",
            "connection_type",
        ],
        Dialect::Pulumi => &[
            "integrationUri",
            "connectionId",
            "tlsConfig",
            "connectionType",
        ],
    };
    let subtype = cx.integration.subtype_name().unwrap_or("a subtype");
    for pair in cx.integration.fields.pairs() {
        let key = pair.key();
        if !names.contains(&key) {
            continue;
        }
        if key.replace('_', "").eq_ignore_ascii_case("ConnectionType") {
            // `INTERNET` is the default and harmless; only a VPC link is wrong.
            if pair.value().and_then(|v| v.text()) != Some("VPC_LINK") {
                continue;
            }
        }
        let field = cx.integration.dialect.name(Field::Subtype);
        out.push(Finding::new(
            &RULE,
            pair.key_span(),
            format!(
                "`{key}` has no effect on an integration with `{}`; remove it.",
                cx.assignment(field, subtype)
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_uri_and_vpc_link_with_a_subtype() {
        check_rule(
            "subtype-with-uri",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      IntegrationUri: https://example.com
#     ^^^^^^^^^^^^^^ has no effect
      ConnectionType: INTERNET
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      ConnectionType: VPC_LINK
#     ^^^^^^^^^^^^^^ remove it
  K:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: HTTP_PROXY
      IntegrationUri: https://example.com
"#,
        );
    }
}
