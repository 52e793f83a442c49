//! `websocket-only-property`: WebSocket-only integration properties on an HTTP API
//! integration with a subtype.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::model::Dialect;

pub const RULE: Rule = Rule {
    code: "websocket-only-property",
    severity: Severity::Warning,
    summary: "A WebSocket-only property on an HTTP API integration.",
    explanation: "`ContentHandlingStrategy`, `PassthroughBehavior`, `RequestTemplates` and `TemplateSelectionExpression` are \"supported only for WebSocket APIs\"; integration subtypes exist only on HTTP APIs. [doc]",
    example: "IntegrationSubtype: SQS-SendMessage\nPassthroughBehavior: WHEN_NO_MATCH",
    terraform_example: "",
    fix: "Remove the property.",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    if !cx.integration.has_subtype() || cx.integration.dialect != Dialect::CloudFormation {
        return;
    }
    for pair in cx.integration.fields.pairs() {
        let key = pair.key();
        if matches!(
            key,
            "ContentHandlingStrategy"
                | "PassthroughBehavior"
                | "RequestTemplates"
                | "TemplateSelectionExpression"
        ) {
            out.push(Finding::new(
                &RULE,
                pair.key_span(),
                format!("`{key}` is supported only for WebSocket APIs, and an integration with a subtype belongs to an HTTP API; remove it."),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_websocket_properties() {
        check_rule(
            "websocket-only-property",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      PassthroughBehavior: WHEN_NO_MATCH
#     ^^^^^^^^^^^^^^^^^^^ only for WebSocket APIs
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS
      PassthroughBehavior: WHEN_NO_MATCH
"#,
        );
    }
}
