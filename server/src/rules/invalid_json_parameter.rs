//! `invalid-json-parameter`: a parameter that the service reads as JSON (`Detail`,
//! `Input`, `MessageAttributes`, ...) given static text that is not JSON, or JSON
//! that breaks the catalog's structure rules (entry count, allowed keys, SQS attribute
//! names, `DataType` and value key).
//!
//! Scalar constraints (ranges, lengths, patterns) are `parameter-value-constraint`'s.

use super::parameter_value_constraint::pattern_matches;
use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::expr::Part;

pub const RULE: Rule = Rule {
    code: "invalid-json-parameter",
    severity: Severity::Warning,
    summary: "A parameter the service reads as JSON has static text that is not JSON.",
    explanation: "EventBridge `Detail` must be a JSON object (else `MalformedDetail`), Step Functions `Input` JSON text, and SQS `MessageAttributes` a JSON object mapping names to `{\"DataType\": ..., \"StringValue\": ...}`. Braced expressions inside the text are allowed and are treated as strings here. [model]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.body\n      MessageAttributes: foo=bar",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl          = aws_sqs_queue.orders.url\n    MessageBody       = \"$request.body\"\n    MessageAttributes = \"foo=bar\"\n  }\n}",
    fix: "Write JSON, e.g. `MessageAttributes: '{\"foo\": {\"DataType\": \"String\", \"StringValue\": \"bar\"}}'`, or map the whole value from the request (`$request.body`).",
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
    for value in cx.values {
        let Some(param) = subtype.param(value.pair.key()) else {
            continue;
        };
        let wants_object = match param.constraints.value_type.as_deref() {
            Some("json-object") => true,
            Some("json") => false,
            _ => continue,
        };
        let text = value.text.as_ref();
        // A bare expression as the whole value is mapped at run time: nothing to check.
        if value.parsed.parts.len() == 1
            && matches!(value.parsed.parts[0], Part::Expr(ref e) if !e.braced)
        {
            continue;
        }
        if !value.parsed.problems.is_empty() {
            continue;
        }
        // Replace each braced expression by a neutral string (they sit inside JSON strings).
        let mut json = String::with_capacity(text.len());
        for part in &value.parsed.parts {
            match part {
                Part::Literal(r) => json.push_str(text.get(r.clone()).unwrap_or("")),
                Part::Expr(_) => json.push('x'),
            }
        }
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(&json);
        let message = match parsed {
            Ok(v) if wants_object && !v.is_object() => {
                format!(
                    "`{}` must be a JSON object as text; this is JSON but not an object.",
                    param.name
                )
            }
            Ok(v) => match structure_problem(param, &v) {
                Some(message) => message,
                None => continue,
            },
            Err(e) => format!(
                "`{}` must be {} as text, but this is not valid JSON ({e}).",
                param.name,
                if wants_object {
                    "a JSON object"
                } else {
                    "JSON"
                }
            ),
        };
        out.push(Finding::new(&RULE, value.span(), message));
    }
}

/// What breaks the catalog's structure rules for a JSON object value: the number of
/// entries, allowed keys, attribute names, and each SQS attribute's `DataType` and
/// value.
fn structure_problem(
    param: &crate::catalog::Parameter,
    value: &serde_json::Value,
) -> Option<String> {
    let object = value.as_object()?;
    let c = &param.constraints;
    let name = &param.name;
    if let Some(max) = c.max_items
        && object.len() > max as usize
    {
        return Some(format!(
            "`{name}` takes at most {max} entries; this has {}.",
            object.len()
        ));
    }
    if let Some(allowed) = &c.allowed_keys
        && let Some(key) = object.keys().find(|k| !allowed.contains(k))
    {
        return Some(format!(
            "`{name}` only takes {}; `{key}` is not one of them.",
            super::name_list(allowed.iter().map(String::as_str))
        ));
    }
    let data_type = c.data_type_pattern.as_deref()?;
    for (key, attribute) in object {
        if c.name_pattern.is_some()
            && let Some(problem) = attribute_name_problem(key)
        {
            return Some(problem);
        }
        let Some(fields) = attribute.as_object() else {
            return Some(format!(
                "Attribute `{key}` must be an object like `{{\"DataType\": \"String\", \"StringValue\": \"...\"}}`."
            ));
        };
        let Some(kind) = fields.get("DataType").and_then(|d| d.as_str()) else {
            return Some(format!(
                "Attribute `{key}` needs a `DataType` (`String`, `Number` or `Binary`)."
            ));
        };
        let pattern_ok = pattern_matches(data_type, kind) != Some(false);
        if !pattern_ok {
            return Some(format!(
                "Attribute `{key}` has `DataType` `{kind}`; use `String`, `Number` or `Binary` (optionally with a `.label`)."
            ));
        }
        if let Some(max) = c.data_type_max_length
            && kind.chars().count() as u64 > max
        {
            return Some(format!(
                "Attribute `{key}` has a `DataType` longer than {max} characters; shorten its label."
            ));
        }
        let value_key = if kind.starts_with("Binary") {
            "BinaryValue"
        } else {
            "StringValue"
        };
        if !fields.contains_key(value_key) {
            return Some(format!(
                "Attribute `{key}` of type `{kind}` needs a `{value_key}`."
            ));
        }
    }
    None
}

/// What breaks the SQS message attribute name rules (the catalog's `namePattern`,
/// which uses look-around and so is checked here by hand): 1 to 256 characters from
/// `[A-Za-z0-9_.-]`, not starting with `AWS.` or `Amazon.` (any case), no leading,
/// trailing or doubled `.`.
pub fn attribute_name_problem(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let len = name.chars().count();
    if len == 0 || len > 256 {
        return Some(format!(
            "Attribute names take 1 to 256 characters; `{name}` has {len}."
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    {
        return Some(format!(
            "Attribute name `{name}` contains `{c}`; use only letters, digits, `_`, `-` and `.`."
        ));
    }
    if lower.starts_with("aws.") || lower.starts_with("amazon.") {
        return Some(format!(
            "Attribute names must not start with `AWS.` or `Amazon.` (reserved): rename `{name}`."
        ));
    }
    if name.starts_with('.') || name.ends_with('.') || name.contains("..") {
        return Some(format!(
            "Attribute name `{name}` must not start or end with `.` or hold `..`; rename it."
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn checks_the_structure_of_message_attributes() {
        check_rule(
            "invalid-json-parameter",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: $stageVariables.q
        MessageBody: $request.body
        MessageAttributes: '{"a": {"DataType": "Text", "StringValue": "x"}}'
#                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ use `String`, `Number` or `Binary`
        MessageSystemAttributes: '{"Other": {"DataType": "String", "StringValue": "x"}}'
#                                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ only takes `AWSTraceHeader`
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: $stageVariables.q
        MessageBody: $request.body
        MessageAttributes: '{"sig": {"DataType": "String"}, "n": {"DataType": "Number", "StringValue": "1"}}'
#                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ needs a `StringValue`
  K:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: $stageVariables.q
        MessageBody: $request.body
        MessageAttributes: '{"sig": {"DataType": "String", "StringValue": "${request.header.sig}"}, "b": {"DataType": "Binary.gz", "BinaryValue": "AA=="}}'
"#,
        );
    }

    #[test]
    fn attribute_names_follow_the_sqs_rules() {
        use super::attribute_name_problem as problem;
        for ok in [
            "sig",
            "trace.id",
            "a-b_c.d",
            "AWSome",
            "x".repeat(256).as_str(),
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for (bad, says) in [
            ("", "1 to 256"),
            (&"x".repeat(257), "1 to 256"),
            ("with space", "contains ` `"),
            ("AWS.trace", "reserved"),
            ("amazon.x", "reserved"),
            (".x", "must not start or end"),
            ("x.", "must not start or end"),
            ("a..b", "must not start or end"),
        ] {
            let message = problem(bad).unwrap_or_else(|| panic!("{bad:?}"));
            assert!(message.contains(says), "{bad:?}: {message}");
        }
    }

    #[test]
    fn checks_attribute_names_in_json_templates() {
        check_rule(
            "invalid-json-parameter",
            r#"
{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationSubtype": "SQS-SendMessage",
  "RequestParameters": {"QueueUrl": {"Ref": "Q"}, "MessageBody": "$request.body",
    "MessageAttributes": "{\"a..b\": {\"DataType\": \"String\", \"StringValue\": \"x\"}}"}}}}}
#                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ hold `..`
"#,
        );
    }

    #[test]
    fn fires_on_non_json_text() {
        check_rule(
            "invalid-json-parameter",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: q
        MessageBody: $request.body
        MessageAttributes: foo=bar
#                          ^^^^^^^ must be a JSON object
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: EventBridge-PutEvents
      RequestParameters:
        Source: s
        DetailType: t
        Detail: '[1, 2]'
#                ^^^^^^ not an object
"#,
        );
    }

    #[test]
    fn silent_on_json_with_braced_expressions_and_mapped_values() {
        check_rule(
            "invalid-json-parameter",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: q
        MessageBody: $request.body
        MessageAttributes: >-
          {"sig": {"DataType": "String",
           "StringValue": "${request.header.x-signature}"}}
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      RequestParameters:
        StateMachineArn: !Ref M
        Input: $request.body
"#,
        );
    }
}
