//! `timeout-out-of-range`: `TimeoutInMillis` outside 50-30,000 ms. The limits are the
//! catalog's `integrationTimeout`; a test keeps the text below in step.

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::model::Field;

pub const RULE: Rule = Rule {
    code: "timeout-out-of-range",
    severity: Severity::Error,
    summary: "`TimeoutInMillis` is outside 50-30,000 ms.",
    explanation: "HTTP API integrations accept a timeout between 50 ms and 30,000 ms (the default). [doc, model]",
    example: "TimeoutInMillis: 60000",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n  timeout_milliseconds = 60000\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Use a value from 50 to 30000, or leave it out for the 30-second default.",
    check: Check::Integration(check),
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let key = cx.integration.dialect.name(Field::Timeout);
    let Some(value) = cx.integration.field(Field::Timeout).and_then(|p| p.value()) else {
        return;
    };
    let Some(text) = value.text() else { return };
    let limits = &cx.catalog.integration_timeout;
    let separator = if cx.terraform { " = " } else { ": " };
    let (http, ws) = (limits.http, limits.web_socket);
    let message = match text.trim().parse::<i64>() {
        Ok(n) if http.contains(n) => return,
        Ok(n) => {
            format!(
                "`{key}{separator}{n}` is out of range: HTTP API integrations take {} to {} ms (WebSocket APIs {} to {}).",
                http.min_millis, http.max_millis, ws.min_millis, ws.max_millis
            )
        }
        Err(_) => format!(
            "`{key}` must be a whole number of milliseconds from {} to {}.",
            http.min_millis, http.max_millis
        ),
    };
    out.push(Finding::new(&RULE, value.text_span(), message));
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::test_support::check_rule;

    #[test]
    fn documentation_states_the_catalog_limits() {
        let http = crate::catalog::catalog().integration_timeout.http;
        let (min, max) = (http.min_millis, http.max_millis);
        let grouped = format!("{},{:03}", max / 1000, max % 1000);
        assert!(RULE.summary.contains(&format!("{min}-{grouped} ms")));
        assert!(
            RULE.explanation
                .contains(&format!("{min} ms and {grouped} ms"))
        );
        assert!(RULE.fix.contains(&format!("from {min} to {max}")));
        assert!(
            RULE.fix
                .contains(&format!("{}-second default", http.default_millis / 1000))
        );
    }

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
