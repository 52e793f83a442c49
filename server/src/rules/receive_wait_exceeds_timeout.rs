//! `receive-wait-exceeds-timeout`: an `SQS-ReceiveMessage` long poll that outlasts the
//! integration timeout.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "receive-wait-exceeds-timeout",
    severity: Severity::Warning,
    summary: "`WaitTimeSeconds` of `SQS-ReceiveMessage` is as long as the integration timeout or longer.",
    explanation: "A long poll holds the request for up to `WaitTimeSeconds`; when that reaches `TimeoutInMillis` (30 s by default), an empty queue makes API Gateway answer 504 instead of an empty result. [inferred]",
    example: "IntegrationSubtype: SQS-ReceiveMessage\nTimeoutInMillis: 5000\nRequestParameters:\n  QueueUrl: !Ref Queue\n  WaitTimeSeconds: \"10\"",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"receive\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-ReceiveMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n  timeout_milliseconds = 5000\n\n  request_parameters = {\n    QueueUrl        = aws_sqs_queue.orders.url\n    WaitTimeSeconds = \"10\"\n  }\n}",
    fix: "Make `WaitTimeSeconds` shorter than the timeout, or raise `TimeoutInMillis` (at most 30000).",
    check: Check::Cross(check),
};

pub fn check(_index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let integration = at.item;
        if integration.subtype.as_deref() != Some("SQS-ReceiveMessage") {
            continue;
        }
        let Some(wait) = integration
            .params
            .iter()
            .find(|p| p.name == "WaitTimeSeconds")
        else {
            continue;
        };
        let Some(seconds) = wait
            .literal
            .as_deref()
            .and_then(|t| t.trim().parse::<i64>().ok())
        else {
            continue;
        };
        let default = crate::catalog::catalog()
            .integration_timeout
            .http
            .default_millis;
        let timeout = integration.timeout.unwrap_or(default.into());
        if seconds.saturating_mul(1000) >= timeout {
            out.push(Finding::new(
                &RULE,
                at.abs(&wait.value_span),
                format!(
                    "A {seconds}-second long poll does not finish within the integration timeout of {timeout} ms: an empty queue gives a 504. Use a shorter `WaitTimeSeconds` or a longer timeout."
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::test_support::check_rule;

    #[test]
    fn documentation_states_the_catalog_timeout() {
        let http = crate::catalog::catalog().integration_timeout.http;
        let default = format!("{} s by default", http.default_millis / 1000);
        assert!(RULE.explanation.contains(&default));
        assert!(RULE.fix.contains(&format!("at most {}", http.max_millis)));
    }

    #[test]
    fn fires_when_the_poll_outlasts_the_timeout() {
        check_rule(
            "receive-wait-exceeds-timeout",
            r#"
Resources:
  Long:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-ReceiveMessage
      TimeoutInMillis: 5000
      RequestParameters:
        QueueUrl: x
        WaitTimeSeconds: "10"
#                         ^^ 10-second long poll
  Short:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-ReceiveMessage
      RequestParameters:
        QueueUrl: x
        WaitTimeSeconds: "20"
  Dynamic:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-ReceiveMessage
      TimeoutInMillis: 1000
      RequestParameters:
        QueueUrl: x
        WaitTimeSeconds: $request.querystring.wait
"#,
        );
        check_rule(
            "receive-wait-exceeds-timeout",
            r#"
{"openapi": "3.0.1", "paths": {"/x": {"get": {"x-amazon-apigateway-integration": {
  "integrationSubtype": "SQS-ReceiveMessage", "timeoutInMillis": 2000,
  "requestParameters": {"QueueUrl": "x", "WaitTimeSeconds": "2"}}}}}}
#                                                            ^ 2-second long poll
"#,
        );
    }
}
