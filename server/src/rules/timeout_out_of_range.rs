//! `timeout-out-of-range`: `TimeoutInMillis` outside 50-30,000 ms.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "timeout-out-of-range",
    severity: Severity::Error,
    summary: "`TimeoutInMillis` is outside 50-30,000 ms.",
    explanation: "HTTP API integrations accept a timeout between 50 ms and 30,000 ms (the default). [doc, model]",
    example: "TimeoutInMillis: 60000",
    fix: "Use a value from 50 to 30000, or leave it out for the 30-second default.",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let key = cx.integration.dialect.name(Field::Timeout);
    let Some(value) = cx.integration.field(Field::Timeout).and_then(|p| p.value()) else {
        return;
    };
    let Some(text) = value.text() else { return };
    let message = match text.trim().parse::<i64>() {
        Ok(n) if (50..=30_000).contains(&n) => return,
        Ok(n) => {
            format!(
                "`{key}: {n}` is out of range: HTTP API integrations take 50 to 30000 ms (WebSocket APIs 50 to 29000)."
            )
        }
        Err(_) => format!("`{key}` must be a whole number of milliseconds from 50 to 30000."),
    };
    out.push(Finding::new(&RULE, value.text_span(), message));
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_outside_the_range() {
        check_rule(
            "timeout-out-of-range",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      TimeoutInMillis: 60000
#                      ^^^^^ 50 to 30000 ms
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      TimeoutInMillis: 30000
  K:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      TimeoutInMillis: !Ref Timeout
"#,
        );
        check_rule(
            "timeout-out-of-range",
            r#"
{"openapi": "3.0.1", "paths": {"/x": {"post": {"x-amazon-apigateway-integration": {
  "integrationSubtype": "SQS-PurgeQueue", "timeoutInMillis": 20}}}}}
#                                                            ^^ 50 to 30000 ms
"#,
        );
    }
}
