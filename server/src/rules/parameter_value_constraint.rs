//! `parameter-value-constraint`: a static `RequestParameters` value outside what the
//! service accepts: integer ranges, lengths, reserved prefixes, forbidden characters,
//! list items, timestamps and patterns from the catalog.
//!
//! The split with `invalid-json-parameter`: that rule owns the parameters whose value
//! is JSON text (`Detail`, `Input`, `MessageAttributes`, `MessageSystemAttributes`) and
//! their structure; this one checks the scalar constraints of every parameter.
//!
//! A value that is wholly static is checked against everything. A value that mixes
//! static text with mapping expressions is only checked where the static text alone
//! decides: its characters, its prefix and its length. Values with intrinsic functions
//! (not in `cx.values`), `${...}` text that CloudFormation may substitute, or expression
//! problems (reported by the expression rules) are not checked.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Check, Finding, IntegrationContext, Rule, Severity, name_list};
use crate::catalog::{Parameter, catalog};
use crate::expr::{ParsedValue, Part};

pub const RULE: Rule = Rule {
    code: "parameter-value-constraint",
    severity: Severity::Warning,
    summary: "A static parameter value is outside the service's range, length or pattern.",
    explanation: "The service checks each value when a request arrives: `DelaySeconds` 0-900, `MaxNumberOfMessages` 1-10, `WaitTimeSeconds` 0-20, `VisibilityTimeout` 0-43200; queue URLs, state machine and execution ARNs, event bus names, stream names and region codes have fixed shapes; names and IDs have length limits; execution names exclude characters such as spaces and `:`; `Source` must not start with `aws.`. A static value that breaks them makes every request fail. Static text next to mapping expressions is checked for its characters and length; values with intrinsic functions or `${...}` substitutions are not checked. [model; patterns and `aws.` inferred]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.body\n      DelaySeconds: \"1200\"",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl     = aws_sqs_queue.orders.url\n    MessageBody  = \"$request.body\"\n    DelaySeconds = \"1200\"\n  }\n}",
    fix: "Use a value in the range or of the shape the message names, or map it from the request.",
    check: Check::Integration(check),
};

/// Every regular expression of the catalog, compiled once. Look-around patterns
/// (`namePattern`), which the `regex` crate does not support, are checked by hand
/// (see `invalid_json_parameter::attribute_name_problem`).
static PATTERNS: LazyLock<HashMap<&'static str, Regex>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for subtype in &catalog().subtypes {
        for param in &subtype.parameters {
            let c = &param.constraints;
            for pattern in [&c.pattern, &c.data_type_pattern, &c.logging_safe_pattern]
                .into_iter()
                .flatten()
            {
                if let Ok(regex) = Regex::new(pattern) {
                    map.insert(pattern.as_str(), regex);
                }
            }
        }
    }
    map
});

/// Whether `text` matches the catalog pattern `pattern`; `None` when the pattern is not
/// one of the catalog's compiled patterns (a test keeps that from happening).
pub fn pattern_matches(pattern: &str, text: &str) -> Option<bool> {
    PATTERNS.get(pattern).map(|r| r.is_match(text))
}

/// RFC 3339 date-time, or epoch seconds.
static TIMESTAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})|[0-9]+(\.[0-9]+)?)$",
    )
    .expect("constant pattern")
});

/// A broken constraint: the message, and where in the value's text (`None`: all of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub at: Option<Range<usize>>,
}

impl Problem {
    fn whole(message: String) -> Self {
        Problem { message, at: None }
    }
}

/// What is wrong with the wholly static `text` for `param`, if anything.
pub fn problem(param: &Parameter, text: &str) -> Option<Problem> {
    let c = &param.constraints;
    let name = &param.name;
    if c.value_type.as_deref() == Some("integer") {
        return integer_problem(param, text).map(Problem::whole);
    }
    if let Some(p) = prefix_problem(param, text) {
        return Some(p);
    }
    if let Some(p) = char_problem(param, text, 0..text.len()) {
        return Some(p);
    }
    let len = text.chars().count() as u64;
    if let Some(max) = c.max_length
        && len > max
    {
        return Some(Problem::whole(format!(
            "`{name}` takes at most {max} characters; this value has {len}."
        )));
    }
    if let Some(min) = c.min_length
        && len < min
    {
        return Some(Problem::whole(format!(
            "`{name}` takes at least {min} characters; this value has {len}."
        )));
    }
    if c.value_type.as_deref() == Some("list<enum>")
        && let Some(p) = list_problem(param, text)
    {
        return Some(p);
    }
    if c.format.as_deref() == Some("rfc3339-timestamp") && !TIMESTAMP.is_match(text) {
        return Some(Problem::whole(format!(
            "`{text}` is not a valid `{name}`: write an RFC 3339 timestamp like `2024-05-01T12:00:00Z`, or leave `{name}` out to use the time of the call."
        )));
    }
    if let Some(pattern) = &c.pattern
        && pattern_matches(pattern, text) == Some(false)
    {
        return Some(Problem::whole(format!(
            "`{text}` is not a valid `{name}`: expected {}.",
            shape(param, pattern)
        )));
    }
    None
}

/// What the static text of a value that also holds mapping expressions breaks for sure,
/// whatever the expressions turn into: its characters, its prefix, its length.
pub fn mixed_problem(param: &Parameter, text: &str, parsed: &ParsedValue) -> Option<Problem> {
    let literals: Vec<Range<usize>> = parsed
        .parts
        .iter()
        .filter_map(|p| match p {
            Part::Literal(r) => Some(r.clone()),
            Part::Expr(_) => None,
        })
        .collect();
    let literal = |r: &Range<usize>| text.get(r.clone()).unwrap_or("");
    if literals.iter().any(|r| literal(r).contains("${")) {
        return None;
    }
    if let Some(Part::Literal(first)) = parsed.parts.first()
        && let Some(p) = prefix_problem(param, literal(first))
    {
        return Some(p);
    }
    for r in &literals {
        if let Some(p) = char_problem(param, text, r.clone()) {
            return Some(p);
        }
    }
    let len: u64 = literals
        .iter()
        .map(|r| literal(r).chars().count() as u64)
        .sum();
    if let Some(max) = param.constraints.max_length
        && len > max
    {
        return Some(Problem::whole(format!(
            "`{}` takes at most {max} characters; the static text of this value alone has {len}.",
            param.name
        )));
    }
    None
}

fn integer_problem(param: &Parameter, text: &str) -> Option<String> {
    let c = &param.constraints;
    let name = &param.name;
    let range = match (c.min, c.max) {
        (Some(min), Some(max)) => format!(" from {min} to {max}"),
        (Some(min), None) => format!(" of at least {min}"),
        (None, Some(max)) => format!(" of at most {max}"),
        (None, None) => String::new(),
    };
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "`{name}` takes a whole number{range}, not `{text}`."
        ));
    }
    // All digits: a number too long for i64 is out of any catalog range.
    let in_range = trimmed
        .parse::<i64>()
        .is_ok_and(|n| c.min.is_none_or(|min| n >= min) && c.max.is_none_or(|max| n <= max));
    (!in_range).then(|| format!("`{name}` must be{range}; `{trimmed}` is out of range."))
}

fn prefix_problem(param: &Parameter, text: &str) -> Option<Problem> {
    let prefix = param
        .constraints
        .forbidden_prefixes
        .as_ref()?
        .iter()
        .find(|p| text.starts_with(p.as_str()))?;
    Some(Problem {
        message: format!(
            "`{}` must not start with `{prefix}`: that prefix is reserved for AWS services and the call is refused; use your own prefix, such as `com.example.`.",
            param.name
        ),
        at: Some(0..prefix.len()),
    })
}

/// A character of `text[range]` that the parameter does not allow: forbidden,
/// control, or outside the allowed set.
fn char_problem(param: &Parameter, text: &str, range: Range<usize>) -> Option<Problem> {
    let c = &param.constraints;
    let allowed = c.allowed_chars.as_deref().map(parse_char_ranges);
    let forbidden = c.forbidden_chars.as_deref();
    let control = c.forbid_control_chars == Some(true);
    if allowed.is_none() && forbidden.is_none() && !control {
        return None;
    }
    let piece = text.get(range.clone())?;
    for (i, ch) in piece.char_indices() {
        let at = Some(range.start + i..range.start + i + ch.len_utf8());
        let is_forbidden = forbidden.is_some_and(|f| {
            (f.contains(ch) && !ch.is_whitespace()) || (ch.is_whitespace() && f.contains(' '))
        });
        if is_forbidden {
            let safe = match &c.logging_safe_pattern {
                Some(_) => "; letters, digits, `-` and `_` are always safe",
                None => "",
            };
            return Some(Problem {
                message: format!(
                    "`{}` must not contain {}: the call is refused. Remove or replace it{safe}.",
                    param.name,
                    describe(ch)
                ),
                at,
            });
        }
        let is_control =
            matches!(ch, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
        let outside = allowed
            .as_ref()
            .is_some_and(|ranges| !ranges.iter().any(|r| r.contains(&u32::from(ch))));
        if (control && is_control) || outside {
            return Some(Problem {
                message: format!(
                    "`{}` must not contain {}: the service refuses it. Remove it.",
                    param.name,
                    describe(ch)
                ),
                at,
            });
        }
    }
    None
}

/// How a character is named in a message.
fn describe(ch: char) -> String {
    match ch {
        ' ' => "spaces".to_string(),
        '`' => "a backtick".to_string(),
        c if c.is_whitespace() || c.is_control() => format!("the character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

/// Reads the service's allowed-character notation: `#x9 #xA #x20-#xD7FF ...`.
fn parse_char_ranges(text: &str) -> Vec<std::ops::RangeInclusive<u32>> {
    let code = |t: &str| u32::from_str_radix(t.trim().strip_prefix("#x")?, 16).ok();
    text.split_whitespace()
        .filter_map(|token| match token.split_once('-') {
            Some((a, b)) => Some(code(a)?..=code(b)?),
            None => code(token).map(|c| c..=c),
        })
        .collect()
}

/// An item of a comma-separated list that is not one of the allowed values. Lists
/// written any other way (JSON, spaces) are left alone: the encoding is undocumented.
fn list_problem(param: &Parameter, text: &str) -> Option<Problem> {
    let allowed = param.constraints.enum_values.as_ref()?;
    if text.starts_with(['[', '{']) {
        return None;
    }
    let mut offset = 0;
    let mut items = Vec::new();
    for item in text.split(',') {
        let start = offset + (item.len() - item.trim_start().len());
        let trimmed = item.trim();
        offset += item.len() + 1;
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.contains(char::is_whitespace) {
            return None;
        }
        items.push((trimmed, start..start + trimmed.len()));
    }
    let (item, at) = items
        .into_iter()
        .find(|(item, _)| !allowed.iter().any(|a| a == item))?;
    let message = match allowed.iter().find(|a| a.eq_ignore_ascii_case(item)) {
        Some(right) => format!(
            "`{item}` is not a value of `{}`; names are case-sensitive: write `{right}`.",
            param.name
        ),
        None => format!(
            "`{item}` is not a value of `{}`; use {}.",
            param.name,
            name_list(allowed.iter().map(String::as_str))
        ),
    };
    Some(Problem {
        message,
        at: Some(at),
    })
}

/// The expected shape behind a pattern, in words where we have them.
fn shape(param: &Parameter, pattern: &str) -> String {
    let c = &param.constraints;
    let accepts = |kind: &str| {
        c.accepts
            .as_ref()
            .is_some_and(|a| a.iter().any(|k| k == kind))
    };
    if c.format.as_deref() == Some("sqs-queue-url") {
        "a queue URL like `https://sqs.us-east-1.amazonaws.com/123456789012/orders` (`!Ref` of the queue gives it)".to_string()
    } else if c.format.as_deref() == Some("aws-region") {
        "a region code like `us-east-1`".to_string()
    } else if c.format.as_deref() == Some("states-execution-arn") {
        "an execution ARN like `arn:aws:states:us-east-1:123456789012:execution:orders:run-1`, usually mapped from the request (`$request.body.executionArn`)".to_string()
    } else if accepts("states-state-machine-arn") {
        "a state machine ARN like `arn:aws:states:us-east-1:123456789012:stateMachine:orders` (`!Ref` of the state machine gives it)".to_string()
    } else if accepts("events-bus-name") {
        "an event bus name of letters, digits, `.`, `-` and `_`, or its ARN `arn:aws:events:us-east-1:123456789012:event-bus/orders` (`!Ref` of the bus gives its name)".to_string()
    } else if accepts("kinesis-stream-name") {
        "a stream name of letters, digits, `.`, `-` and `_` (`!Ref` of the stream gives it)"
            .to_string()
    } else if pattern == r"^\p{ASCII}*$" {
        "ASCII characters only".to_string()
    } else {
        format!("the pattern `{pattern}`")
    }
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
        // Broken expressions are the expression rules' to report.
        if !value.parsed.problems.is_empty() {
            continue;
        }
        let Some(param) = subtype.param(value.pair.key()) else {
            continue;
        };
        let text = value.text.as_ref();
        // Empty values are `value-length`'s.
        if text.is_empty() {
            continue;
        }
        let found = if value.parsed.is_static() {
            if text.contains("${") {
                continue;
            }
            problem(param, text)
        } else {
            mixed_problem(param, text, &value.parsed)
        };
        if let Some(found) = found {
            let range = match found.at {
                Some(at) => value.doc_range(at),
                None => value.span(),
            };
            out.push(Finding::new(&RULE, range, found.message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check_rule;

    #[test]
    fn every_catalog_pattern_compiles() {
        for subtype in &catalog().subtypes {
            for param in &subtype.parameters {
                let c = &param.constraints;
                for pattern in [&c.pattern, &c.data_type_pattern, &c.logging_safe_pattern]
                    .into_iter()
                    .flatten()
                {
                    assert!(
                        pattern_matches(pattern, "").is_some(),
                        "{} {}: `{pattern}` does not compile",
                        subtype.name,
                        param.name
                    );
                }
                if let Some(allowed) = &c.allowed_chars {
                    assert!(!parse_char_ranges(allowed).is_empty(), "{allowed}");
                }
            }
        }
    }

    fn param(subtype: &str, name: &str) -> &'static Parameter {
        catalog()
            .subtype(subtype)
            .and_then(|s| s.param(name))
            .unwrap_or_else(|| panic!("{subtype} {name}"))
    }

    #[test]
    fn values_at_the_edges() {
        let delay = param("SQS-SendMessage", "DelaySeconds");
        for ok in ["0", "900", " 5 "] {
            assert_eq!(problem(delay, ok), None, "{ok}");
        }
        for bad in ["-1", "901", "99999999999999999999999"] {
            let p = problem(delay, bad).expect(bad);
            assert!(p.message.contains("from 0 to 900"), "{}", p.message);
        }
        for bad in ["5s", "1.5", "-", ""] {
            let p = problem(delay, bad).expect(bad);
            assert!(p.message.contains("takes a whole number"), "{}", p.message);
        }
        let url = param("SQS-PurgeQueue", "QueueUrl");
        for ok in [
            "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
            "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/orders.fifo",
            "https://sqs-fips.us-gov-west-1.amazonaws.com/123456789012/q",
            "https://queue.amazonaws.com/123456789012/legacy",
            "https://eu-west-1.queue.amazonaws.com/123456789012/legacy",
        ] {
            assert_eq!(problem(url, ok), None, "{ok}");
        }
        for bad in ["orders", "https://sqs.us-east-1.amazonaws.com/orders"] {
            assert!(problem(url, bad).is_some(), "{bad}");
        }
        let region = param("Kinesis-PutRecord", "Region");
        for ok in ["us-east-1", "us-gov-west-1", "ap-southeast-7", "cn-north-1"] {
            assert_eq!(problem(region, ok), None, "{ok}");
        }
        for bad in ["US-EAST-1", "us-east", "useast1"] {
            assert!(problem(region, bad).is_some(), "{bad}");
        }
        let time = param("EventBridge-PutEvents", "Time");
        for ok in [
            "2024-05-01T12:00:00Z",
            "2024-05-01T12:00:00.5+02:00",
            "1714564800",
        ] {
            assert_eq!(problem(time, ok), None, "{ok}");
        }
        assert!(problem(time, "yesterday").is_some());
        let body = param("SQS-SendMessage", "MessageBody");
        assert_eq!(problem(body, "tab\there, line\nfeed, é, 😀"), None);
        let p = problem(body, "bell\u{7}").expect("control character");
        assert_eq!(p.at, Some(4..5));
        assert!(p.message.contains("U+0007"), "{}", p.message);
        let names = param("SQS-ReceiveMessage", "AttributeNames");
        assert_eq!(problem(names, "All"), None);
        assert_eq!(problem(names, "SenderId, SentTimestamp"), None);
        assert_eq!(problem(names, "[\"whatever\"]"), None);
        assert_eq!(problem(names, "Sender Id"), None);
        let p = problem(names, "SenderId,sentTimestamp").expect("case");
        assert_eq!(p.at, Some(9..22));
        assert!(p.message.contains("write `SentTimestamp`"), "{}", p.message);
    }

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
#                      ^^^^ must be from 0 to 900; `1200` is out of range
        Region: US-EAST-1
#               ^^^^^^^^^ a region code
  Receive:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-ReceiveMessage
      RequestParameters:
        QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/orders.fifo
        MaxNumberOfMessages: "ten"
#                             ^^^ takes a whole number from 1 to 10, not `ten`
        WaitTimeSeconds: 21
#                        ^^ from 0 to 20
        VisibilityTimeout: "43200"
        AttributeNames: All,ApproximateReceiveCount,senderId
#                                                   ^^^^^^^^ write `SenderId`
  Start:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      RequestParameters:
        StateMachineArn: arn:aws:states:us-east-1:123456789012:function:orders
#                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ a state machine ARN
        Name: this-name-is-much-longer-than-eighty-characters-which-step-functions-rejects-at-once
#             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ at most 80 characters
  Stop:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StopExecution
      RequestParameters:
        ExecutionArn: arn:aws:states:us-east-1:123456789012:stateMachine:orders
#                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ an execution ARN
        Error: OrderCancelled
  Put:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: EventBridge-PutEvents
      RequestParameters:
        Source: aws.orders
#               ^^^^ must not start with `aws.`
        DetailType: OrderPlaced
        Detail: $request.body
        EventBusName: orders bus
#                     ^^^^^^^^^^ an event bus name
        Time: last tuesday
#             ^^^^^^^^^^^^ RFC 3339 timestamp
"#,
        );
    }

    #[test]
    fn static_text_beside_expressions_is_checked_for_characters_and_length() {
        check_rule(
            "parameter-value-constraint",
            r#"
Resources:
  Start:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      RequestParameters:
        StateMachineArn: !Ref Machine
        Name: order:${request.path.id}
#                  ^ must not contain `:`
        Input: $request.body
  Sync:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartSyncExecution
      RequestParameters:
        StateMachineArn: !Ref Machine
        Name: ${request.path.id} run
#                               ^ must not contain spaces
  Put:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: EventBridge-PutEvents
      RequestParameters:
        Source: aws.${request.header.x-source}
#               ^^^^ reserved for AWS services
        DetailType: ${request.header.x-type}-placed
        Detail: $request.body
        EventBusName: ${stageVariables.bus}
        Time: ${request.header.x-time}
"#,
        );
    }

    #[test]
    fn silent_on_good_values_intrinsics_expressions_and_substitutions() {
        check_rule(
            "parameter-value-constraint",
            r#"
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref OrdersQueue
        MessageBody: $request.body
        DelaySeconds: !Ref Delay
        MessageGroupId: !Sub "${AWS::StackName}-orders"
        MessageDeduplicationId: ${request.header.x-id}
        Region: !GetAtt Queue.Region
  SendLiteral:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/orders
        MessageBody: "order placed"
        DelaySeconds: "900"
        Region: eu-west-1
  Start:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      RequestParameters:
        StateMachineArn:
          Fn::GetAtt: [Machine, Arn]
        Name: order-${request.path.id}
  StartArn:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      RequestParameters:
        StateMachineArn: arn:aws:states:us-east-1:123456789012:stateMachine:orders:prod
        Name: order_1
  Stop:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StopExecution
      RequestParameters:
        ExecutionArn: arn:aws:states:us-east-1:123456789012:execution:orders:run-1
  Put:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: EventBridge-PutEvents
      RequestParameters:
        Source: com.example.orders
        DetailType: OrderPlaced
        Detail: $request.body
        EventBusName: arn:aws:events:us-east-1:123456789012:event-bus/orders
        Time: "2024-05-01T12:00:00Z"
  Broken:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-ReceiveMessage
      RequestParameters:
        QueueUrl: $stageVariables.queue
        WaitTimeSeconds: $request.querystring.wait
        MaxNumberOfMessages: "${request.querystring.n"
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
        check_rule(
            "parameter-value-constraint",
            r#"
openapi: "3.0.1"
paths:
  /orders:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        integrationSubtype: SQS-SendMessage
        requestParameters:
          QueueUrl: !Ref Queue
          MessageBody: $request.body
          DelaySeconds: "-5"
#                        ^^ from 0 to 900
          MessageGroupId: ${request.header.x-group}
"#,
        );
        check_rule(
            "parameter-value-constraint",
            r#"
{"Resources": {"R": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationSubtype": "SQS-ReceiveMessage",
  "RequestParameters": {"QueueUrl": {"Ref": "Q"}, "MaxNumberOfMessages": 11, "WaitTimeSeconds": {"Ref": "Wait"}, "Region": "eu-central-1"}}}}}
#                                                                        ^^ from 1 to 10
"#,
        );
    }
}
