//! `deprecated-subtype`: `AppConfig-GetConfiguration` calls a deprecated API.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "deprecated-subtype",
    severity: Severity::Information,
    summary: "The subtype calls a deprecated service API (`AppConfig-GetConfiguration`).",
    explanation: "AppConfig's GetConfiguration is deprecated in favour of StartConfigurationSession and GetLatestConfiguration (which have no subtype), and every call is billed. [model]",
    example: "IntegrationSubtype: AppConfig-GetConfiguration",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"config\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"AppConfig-GetConfiguration\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    Application   = \"orders\"\n    Environment   = \"prod\"\n    Configuration = \"flags\"\n    ClientId      = \"$request.header.x-client\"\n  }\n}",
    fix: "Keep it if it serves you; for new designs consider a Lambda integration calling the AppConfig data plane.",
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
    if !subtype.deprecated {
        return;
    }
    let Some((_, range)) = cx.integration.literal(Field::Subtype) else {
        return;
    };
    out.push(Finding::new(
        &RULE,
        range,
        format!("{} calls a deprecated API (every call is billed); AWS recommends StartConfigurationSession + GetLatestConfiguration, which have no subtype.", subtype.name),
    ));
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn informs_on_appconfig() {
        check_rule(
            "deprecated-subtype",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: AppConfig-GetConfiguration
#                         ^^^^^^^^^^^^^^^^^^^^^^^^^^ deprecated API
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
"#,
        );
    }
}
