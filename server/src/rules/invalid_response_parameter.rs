//! `invalid-response-parameter`: a malformed HTTP API response parameter mapping, in
//! every spelling: CloudFormation `ResponseParameters` and OpenAPI `responseParameters`
//! (a map from status code to mappings), Terraform `response_parameters` blocks and the
//! apigateway-v2 module's `response_parameters` list (`status_code` and `mappings`).
//!
//! The keys are checked against the AWS page on HTTP API parameter mapping
//! ("Transforming API responses") and the API model (status codes 200-599,
//! `<action>:header.<name>` or `overwrite:statuscode`). The values are parsed with
//! [`crate::expr`] for `$context` and `$stageVariables`; the `$response` root, which
//! only exists here, is read by the small parser below (`header.<name>`, `body`,
//! `body.<JSONPath>`), and a `$request` expression is reported: a response mapping
//! reads the integration's response, stage variables and context variables only.
//! Values that are not literals (`!Sub`, Terraform references) are never checked.

use std::ops::Range;

use super::{Check, Finding, IntegrationContext, Rule, Severity};
use crate::expr::{self, Source};
use crate::model::Dialect;
use crate::suggest::{self, Suggestion};
use crate::syntax::{NodeRef, PairRef};

pub const RULE: Rule = Rule {
    code: "invalid-response-parameter",
    severity: Severity::Error,
    summary: "A response parameter mapping has a status code, key or value API Gateway rejects.",
    explanation: "HTTP API response parameters are grouped by the integration response's status code, \
from 200 to 599. Each mapping key is `append:header.<name>`, `overwrite:header.<name>`, \
`remove:header.<name>` or `overwrite:statuscode`. A value is static text or expressions \
that read the integration's response (`$response.header.<name>`, `$response.body`, \
`$response.body.<JSONPath>` without `..` or filters), `$context.<name>` or \
`$stageVariables.<name>`; `$request.*` is not available once the integration has \
answered. A `remove:` mapping takes an empty value, and `overwrite:statuscode` a status \
code or an expression. [doc: Transform API requests and responses for HTTP APIs, \
\"Transforming API responses\"; model: ResponseParameters]",
    example: "ResponseParameters:\n  \"200\":\n    \"add:header.x-request-id\": $request.header.x-request-id",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n\n  response_parameters {\n    status_code = \"200\"\n    mappings = {\n      \"add:header.x-request-id\" = \"$context.requestId\"\n    }\n  }\n}",
    fix: "Use a status code from 200 to 599 as the group key, one of the four key forms, and \
`$response.*`, `$context.*`, `$stageVariables.*` or static text as the value.",
    check: Check::Integration(check),
};

const ACTIONS: &[&str] = &["append", "overwrite", "remove"];
const TARGETS: &[&str] = &["header", "statuscode"];
/// What a response mapping key looks like, for messages.
const KEY_FORMS: &str = "`append:header.<name>`, `overwrite:header.<name>`, `remove:header.<name>` or `overwrite:statuscode`";
/// What a response mapping value may read, for messages.
const VALUE_FORMS: &str =
    "`$response.header.<name>`, `$response.body.<JSONPath>`, `$context.*` or `$stageVariables.*`";
const RESPONSE_PARTS: &[&str] = &["header", "body"];
/// The root of expressions that read the integration's response.
const ROOT: &str = "response";

/// The property in each dialect.
fn property(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::CloudFormation => "ResponseParameters",
        Dialect::OpenApi => "responseParameters",
        Dialect::Terraform | Dialect::TerraformModule => "response_parameters",
        Dialect::Pulumi => "responseParameters",
    }
}

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let dialect = cx.integration.dialect;
    let Some(value) = cx.integration.fields.get(property(dialect)) else {
        return;
    };
    if dialect.is_terraform() || dialect == Dialect::Pulumi {
        // Repeated blocks are a list; one block (or one object) is a map. Pulumi's
        // `responseParameters` is the list, with `statusCode`.
        let status_code = match dialect {
            Dialect::Pulumi => "statusCode",
            _ => "status_code",
        };
        let groups: Vec<NodeRef<'_>> = if value.is_map() {
            vec![value]
        } else {
            value.items().collect()
        };
        for group in groups.into_iter().filter(NodeRef::is_map) {
            if let Some(code) = group.get(status_code)
                && let Some(text) = code.text()
            {
                check_status_code(text, code.text_span(), out);
            }
            if let Some(mappings) = group.get("mappings").filter(NodeRef::is_map) {
                check_mappings(mappings, out);
            }
        }
        return;
    }
    for group in value.pairs() {
        check_status_code(group.key(), group.key_span(), out);
        if let Some(mappings) = group.value().filter(NodeRef::is_map) {
            check_mappings(mappings, out);
        }
    }
}

fn status_code(text: &str) -> Option<u16> {
    let text = text.trim();
    if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn check_status_code(text: &str, span: Range<usize>, out: &mut Vec<Finding>) {
    if status_code(text).is_some_and(|n| (200..=599).contains(&n)) {
        return;
    }
    out.push(Finding::new(
        &RULE,
        span,
        format!(
            "`{text}` is not a status code from 200 to 599: response parameters are grouped by the status code of the integration's response."
        ),
    ));
}

/// What a mapping key asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Remove,
    StatusCode,
    Header,
}

fn check_mappings(mappings: NodeRef<'_>, out: &mut Vec<Finding>) {
    for pair in mappings.pairs() {
        let key = match parse_key(pair.key()) {
            Ok(key) => key,
            Err(message) => {
                out.push(Finding::new(&RULE, pair.key_span(), message));
                continue;
            }
        };
        check_value(&pair, key, out);
    }
}

fn did_you_mean(input: &str, candidates: &[&str]) -> String {
    match suggest::closest(input, candidates.iter().copied(), |c| c) {
        Suggestion::One(c) => format!(" (did you mean `{c}`?)"),
        _ => String::new(),
    }
}

fn parse_key(key: &str) -> Result<Key, String> {
    let Some((action, target)) = key.split_once(':') else {
        return Err(format!(
            "`{key}` is not a response mapping key: write {KEY_FORMS}."
        ));
    };
    if !ACTIONS.contains(&action) {
        let hint = match ACTIONS.iter().find(|a| a.eq_ignore_ascii_case(action)) {
            Some(a) => format!(" (write `{a}` in lower case)"),
            None => match synonym(action) {
                Some(a) => format!(" (did you mean `{a}`?)"),
                None => did_you_mean(action, ACTIONS),
            },
        };
        return Err(format!(
            "`{action}` is not a mapping action{hint}: the actions are `append`, `overwrite` and `remove`."
        ));
    }
    let (location, name) = match target.split_once('.') {
        Some((location, name)) => (location, Some(name)),
        None => (target, None),
    };
    match (location, name) {
        ("statuscode", None) if action == "overwrite" => Ok(Key::StatusCode),
        ("statuscode", None) => Err(format!(
            "only `overwrite:statuscode` changes the status code; `{action}:statuscode` is not a mapping key."
        )),
        ("statuscode", Some(_)) => Err(format!(
            "`{key}`: the status code has no name; write `overwrite:statuscode`."
        )),
        ("header", None) | ("header", Some("")) => Err(format!(
            "`{key}` names no header: write `{action}:header.<name>`."
        )),
        ("header", Some(name)) => match name.chars().find(|&c| !is_header_char(c)) {
            Some(c) => Err(format!(
                "a header name cannot contain {}: `{name}`.",
                describe(c)
            )),
            None if action == "remove" => Ok(Key::Remove),
            None => Ok(Key::Header),
        },
        ("querystring" | "path", _) => Err(format!(
            "`{location}` is a request location: response parameters change headers or the status code ({KEY_FORMS})."
        )),
        _ => {
            let hint = match TARGETS.iter().find(|t| t.eq_ignore_ascii_case(location)) {
                Some(t) => format!(" (write `{t}` in lower case)"),
                None => did_you_mean(location, TARGETS),
            };
            Err(format!(
                "`{key}` is not a response mapping key{hint}: write {KEY_FORMS}."
            ))
        }
    }
}

/// The action meant by a word other tools use for it (`add:header.x`).
fn synonym(action: &str) -> Option<&'static str> {
    match action.to_ascii_lowercase().as_str() {
        "add" | "insert" => Some("append"),
        "set" | "put" | "replace" | "override" => Some("overwrite"),
        "delete" | "del" | "unset" | "drop" => Some("remove"),
        _ => None,
    }
}

/// A header name's characters: RFC 9110 `tchar`, as for `$request.header` names.
fn is_header_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if c.is_whitespace() || c.is_control() => format!("U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

fn check_value(pair: &PairRef<'_>, key: Key, out: &mut Vec<Finding>) {
    let Some(value) = pair.value() else { return };
    // Intrinsics (`!Sub`, Terraform references and templates) are not literals.
    let Some(text) = value.text() else { return };
    let at = |inner: Range<usize>| {
        value
            .map_inner(inner)
            .unwrap_or_else(|| value.text_span())
    };
    if key == Key::Remove {
        if !text.is_empty() {
            out.push(Finding::new(
                &RULE,
                value.text_span(),
                format!(
                    "a `remove:` mapping takes an empty value (`\"\"`), not `{text}`: the header is removed."
                ),
            ));
        }
        return;
    }
    let (masked, mut problems, found) = response_exprs(text);
    let parsed = expr::parse_value(&masked);
    for problem in &parsed.problems {
        problems.push((problem.range.clone(), problem.message.clone()));
    }
    for e in parsed.exprs() {
        if matches!(
            e.source,
            Source::RequestHeader(_)
                | Source::RequestQuerystring(_)
                | Source::RequestPath(_)
                | Source::RequestBody(_)
        ) {
            problems.push((
                e.range.clone(),
                format!(
                    "`{}` is not available in a response mapping: it reads {VALUE_FORMS} (map the request value in `RequestParameters` instead).",
                    masked.get(e.range.clone()).unwrap_or_default()
                ),
            ));
        }
    }
    problems.sort_by_key(|(range, _)| range.start);
    let has_expression = found || !parsed.is_static() || !problems.is_empty();
    for (range, message) in problems {
        out.push(Finding::new(&RULE, at(range), message));
    }
    if key == Key::StatusCode
        && !has_expression
        && !status_code(text).is_some_and(|n| (100..=599).contains(&n))
    {
        out.push(Finding::new(
            &RULE,
            value.text_span(),
            format!(
                "`overwrite:statuscode` takes a status code (100 to 599) or an expression, not `{text}`."
            ),
        ));
    }
}

/// Finds the `$response` expressions of a value: the value with each of them replaced
/// by as many `x` (so [`expr::parse_value`] sees static text there and offsets stay),
/// the problems found in them (byte range, message), and whether there was any.
fn response_exprs(text: &str) -> (String, Vec<(Range<usize>, String)>, bool) {
    let b = text.as_bytes();
    let mut masked = text.as_bytes().to_vec();
    let mut problems = Vec::new();
    let mut found = false;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' {
            i += 1;
            continue;
        }
        let braced = b.get(i + 1) == Some(&b'{');
        let inner = if braced { i + 2 } else { i + 1 };
        let is_root = text.get(inner..).is_some_and(|rest| {
            rest.starts_with(ROOT)
                && !rest
                    .as_bytes()
                    .get(ROOT.len())
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        });
        if !is_root {
            i += 1;
            continue;
        }
        found = true;
        let end = if braced {
            match text[inner..].find('}') {
                Some(close) => inner + close + 1,
                None => {
                    problems.push((
                        i..text.len(),
                        format!("`${{` is not closed: add `}}` after `{}`", &text[inner..]),
                    ));
                    text.len()
                }
            }
        } else if i == 0 {
            text.len()
        } else {
            let mut end = inner;
            while end < b.len() && !b[end].is_ascii_whitespace() && !b"\"'`,;()<>{}$".contains(&b[end]) {
                end += 1;
            }
            problems.push((
                i..end,
                format!(
                    "`{}` after static text is not substituted; write `${{{}}}`",
                    &text[i..end],
                    &text[inner..end]
                ),
            ));
            end
        };
        if problems.last().is_none_or(|(r, _)| r.start != i) {
            let body_end = if braced && text[..end].ends_with('}') { end - 1 } else { end };
            if let Err((range, message)) = check_response_body(text, inner + ROOT.len(), body_end) {
                problems.push((range, message));
            }
        }
        for byte in masked.iter_mut().take(end).skip(i) {
            *byte = b'x';
        }
        i = end.max(i + 1);
    }
    // Only whole UTF-8 sequences were replaced, by ASCII: still UTF-8.
    let masked = String::from_utf8(masked).unwrap_or_else(|_| text.to_owned());
    (masked, problems, found)
}

/// Checks what follows `response` (from `at` to `end`): `.header.<name>`, `.body` or
/// `.body.<JSONPath>`.
fn check_response_body(text: &str, at: usize, end: usize) -> Result<(), (Range<usize>, String)> {
    let rest = text.get(at..end).unwrap_or_default();
    let Some(rest) = rest.strip_prefix('.') else {
        return Err((
            at.saturating_sub(ROOT.len())..end,
            format!("`$response` needs a part: {VALUE_FORMS}."),
        ));
    };
    let part_start = at + 1;
    let (part, name) = match rest.split_once('.') {
        Some((part, name)) => (part, Some(name)),
        None => (rest, None),
    };
    let part_range = part_start..part_start + part.len();
    let name_start = part_range.end + 1;
    match (part, name) {
        ("body", None) => Ok(()),
        ("body", Some(path)) => {
            let path_range = name_start..end;
            if path.is_empty() {
                Err((path_range, "`$response.body.` needs a JSONPath after the dot (or write `$response.body`).".to_owned()))
            } else if path.starts_with('.') || path.contains("..") {
                // `body..id`: the descent starts at the dot after `body`.
                let start = if path.starts_with('.') { name_start - 1 } else { name_start };
                Err((start..end, "recursive descent (`..`) is not supported in a `$response.body` JSONPath; write the full path".to_owned()))
            } else if path.contains("?(") {
                Err((path_range, "filter expressions (`?(...)`) are not supported in a `$response.body` JSONPath".to_owned()))
            } else {
                Ok(())
            }
        }
        ("header", None) | ("header", Some("")) => Err((
            part_range,
            "`$response.header` needs a header name: `$response.header.<name>`.".to_owned(),
        )),
        ("header", Some(name)) => match name.chars().find(|&c| !is_header_char(c)) {
            Some(c) => Err((
                name_start..end,
                format!("a header name cannot contain {}: `{name}`.", describe(c)),
            )),
            None => Ok(()),
        },
        _ => Err((
            part_range,
            format!(
                "`{part}` is not a part of `$response`{}: it has `header.<name>` and `body`.",
                did_you_mean(part, RESPONSE_PARTS)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    const CODE: &str = "invalid-response-parameter";

    #[test]
    fn valid_mappings_are_quiet() {
        check_rule(
            CODE,
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: HTTP_PROXY
      ResponseParameters:
        "200":
          append:header.x-request-id: $context.requestId
          overwrite:header.x-env: "env ${stageVariables.env}"
          overwrite:header.x-from: $response.header.x-backend
          overwrite:header.x-id: "id=${response.body.items[0].id}"
          overwrite:header.x-body: $response.body
          remove:header.Server: ""
          overwrite:statuscode: "204"
        500:
          overwrite:statuscode: $response.header.x-status
          append:header.x-sub: !Sub "${AWS::Region}"
        404: !If [C, {}, {}]
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ResponseParameters: !Ref Mappings
"#,
        );
    }

    #[test]
    fn fires_on_status_codes_keys_and_values_in_yaml() {
        check_rule(
            CODE,
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: HTTP_PROXY
      ResponseParameters:
        "600":
#        ^^^ not a status code from 200 to 599
          add:header.x: static
#         ^^^^^^^^^^^^ did you mean `append`?
        2xx:
#       ^^^ not a status code
          Append:header.x: static
#         ^^^^^^^^^^^^^^^ write `append` in lower case
          overwrite:header: static
#         ^^^^^^^^^^^^^^^^ names no header
          append:statuscode: "200"
#         ^^^^^^^^^^^^^^^^^ only `overwrite:statuscode`
          overwrite:statuscode.x: "200"
#         ^^^^^^^^^^^^^^^^^^^^^^ has no name
          overwrite:statusCode: "200"
#         ^^^^^^^^^^^^^^^^^^^^ write `statuscode` in lower case
          overwrite:querystring.x: static
#         ^^^^^^^^^^^^^^^^^^^^^^^ request location
          overwrite:heder.x: static
#         ^^^^^^^^^^^^^^^^^ did you mean `header`?
          append:header.x y: static
#         ^^^^^^^^^^^^^^^^^ cannot contain a space
        "200":
          append:header.a: $request.header.a
#                          ^^^^^^^^^^^^^^^^^ not available in a response mapping
          append:header.b: $response.headers.b
#                                    ^^^^^^^ did you mean `header`?
          append:header.c: "x ${response.body..id}"
#                                            ^^^^ recursive descent
          append:header.d: x $response.header.d
#                            ^^^^^^^^^^^^^^^^^^ write `${response.header.d}`
          append:header.e: $response.header
#                                    ^^^^^^ needs a header name
          append:header.f: "${response.body.x"
#                           ^^^^^^^^^^^^^^^^^ not closed
          append:header.g: $context.requestId x
#                                            ^^ a space is not allowed
          remove:header.h: "''"
#                           ^^ empty value
          overwrite:statuscode: OK
#                               ^^ status code (100 to 599)
"#,
        );
    }

    #[test]
    fn fires_in_json_and_openapi() {
        check_rule(
            CODE,
            r#"
{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationType": "HTTP_PROXY",
  "ResponseParameters": {"199": {"overwrite:statuscode": "$request.body.code"}}}}}}
#                         ^^^ from 200 to 599
#                                                         ^^^^^^^^^^^^^^^^^^ not available
"#,
        );
        check_rule(
            CODE,
            r#"
{"openapi": "3.0.1", "paths": {"/x": {"get": {"x-amazon-apigateway-integration": {
  "type": "http_proxy", "payloadFormatVersion": "1.0",
  "responseParameters": {"200": {"overwrite:header.x": "$stageVariables.v", "replace:header.y": ""}}}}}}}
#                                                                            ^^^^^^^^^^^^^^^^ did you mean `overwrite`?
"#,
        );
    }
}
