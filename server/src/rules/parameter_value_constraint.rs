//! `parameter-value-constraint`: a static `RequestParameters` value outside what the
//! service accepts: integer ranges, lengths and patterns from the catalog (rule I10).

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use regex::Regex;

use super::{Finding, IntegrationContext, RuleInfo, Severity};
use crate::catalog::Parameter;

pub const RULE: RuleInfo = RuleInfo {
    code: "parameter-value-constraint",
    severity: Severity::Warning,
    summary: "A static parameter value is outside the service's range, length or pattern.",
    explanation: "The service checks each value when a request arrives: `DelaySeconds` 0-900, `MaxNumberOfMessages` 1-10, `WaitTimeSeconds` 0-20, `VisibilityTimeout` 0-43200; queue URLs, state machine ARNs, stream names and region codes have fixed shapes; names and IDs have length limits. A static value that breaks them makes every request fail. Values with mapping expressions or intrinsic functions are not checked. [model]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.body\n      DelaySeconds: \"1200\"",
    fix: "Use a value in the range or of the shape the message names, or map it from the request.",
};

/// Catalog patterns, compiled once each.
static PATTERNS: LazyLock<Mutex<HashMap<String, Option<Regex>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Whether `text` matches `pattern`; `None` when the pattern cannot be compiled.
fn matches(pattern: &str, text: &str) -> Option<bool> {
    let mut cache = PATTERNS.lock().unwrap_or_else(|e| e.into_inner());
    let regex = cache
        .entry(pattern.to_string())
        .or_insert_with(|| Regex::new(pattern).ok());
    regex.as_ref().map(|r| r.is_match(text))
}

/// What is wrong with the static `text` for `param`, if anything.
pub fn problem(param: &Parameter, text: &str) -> Option<String> {
    let c = &param.constraints;
    let name = &param.name;
    if c.value_type.as_deref() == Some("integer") {
        let Ok(n) = text.trim().parse::<i64>() else {
            return Some(format!("`{name}` must be a whole number, not `{text}`."));
        };
        let (min, max) = (c.min.unwrap_or(i64::MIN), c.max.unwrap_or(i64::MAX));
        if n < min || n > max {
            return Some(format!(
                "`{name}` must be from {} to {}; `{n}` is out of range.",
                c.min.map_or("-".to_string(), |m| m.to_string()),
                c.max.map_or("-".to_string(), |m| m.to_string())
            ));
        }
        return None;
    }
    let len = text.chars().count() as u64;
    if let Some(max) = c.max_length
        && len > max
    {
        return Some(format!(
            "`{name}` takes at most {max} characters; this value has {len}."
        ));
    }
    if let Some(min) = c.min_length
        && len < min
        && len > 0
    {
        return Some(format!(
            "`{name}` takes at least {min} characters; this value has {len}."
        ));
    }
    if let Some(pattern) = &c.pattern
        && matches(pattern, text) == Some(false)
    {
        let shape = match c.format.as_deref() {
            Some("sqs-queue-url") => {
                "a queue URL like `https://sqs.us-east-1.amazonaws.com/123456789012/orders` (`!Ref` of the queue gives it)".to_string()
            }
            Some("aws-region") => "a region code like `us-east-1`".to_string(),
            _ => format!("the pattern `{pattern}`"),
        };
        return Some(format!(
            "`{text}` is not a valid `{name}`: expected {shape}."
        ));
    }
    None
}

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let Some(subtype) = cx
        .integration
        .subtype_name()
        .and_then(|s| cx.catalog.subtype(s))
    else {
        return;
    };
    for value in cx.values {
        if value.parsed.exprs().next().is_some() || !value.parsed.problems.is_empty() {
            continue;
        }
        let Some(param) = subtype.param(value.pair.key()) else {
            continue;
        };
        let Some(text) = value.value.text() else {
            continue;
        };
        if text.is_empty() || text.contains("${") {
            continue;
        }
        if let Some(message) = problem(param, text) {
            out.push(Finding::new(&RULE, value.value.text_span(), message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_out_of_range_and_malformed_static_values() {
        check_rule(
            "parameter-value-constraint",
            r#"
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: https://sqs.us-east-1.amazonaws.com/orders
#                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ expected a queue URL
        MessageBody: $request.body
        DelaySeconds: "1200"
#                      ^^^^ from 0 to 900
        Region: US-EAST-1
#               ^^^^^^^^^ a region code
  Receive:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-ReceiveMessage
      RequestParameters:
        QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo
        MaxNumberOfMessages: "ten"
#                             ^^^ must be a whole number
        WaitTimeSeconds: "20"
        VisibilityTimeout: $request.querystring.v
  Start:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      RequestParameters:
        StateMachineArn: !Ref Machine
        Name: this-name-is-much-longer-than-eighty-characters-which-step-functions-rejects-at-once
#             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ at most 80 characters
"#,
        );
    }

    #[test]
    fn checks_openapi_and_json_and_skips_expressions() {
        check_rule(
            "parameter-value-constraint",
            r#"
{"openapi": "3.0.1", "paths": {"/x": {"post": {"x-amazon-apigateway-integration": {
  "integrationSubtype": "Kinesis-PutRecord",
  "requestParameters": {"StreamName": "my stream", "Data": "$request.body", "PartitionKey": "${request.header.k}-x"}}}}}}
#                                      ^^^^^^^^^ not a valid `StreamName`
"#,
        );
    }
}
