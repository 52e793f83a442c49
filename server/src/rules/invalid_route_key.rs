//! `invalid-route-key`: a `RouteKey` that HTTP APIs reject.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Fix, Rule, Severity};
use crate::model::Protocol;
use crate::model::facts::ResourceKind;

pub const RULE: Rule = Rule {
    code: "invalid-route-key",
    severity: Severity::Error,
    summary: "A `RouteKey` that is not `$default` or `METHOD /path` with a valid path on an HTTP API, or an empty one.",
    explanation: "An HTTP API route key is `$default`, or a method (`ANY DELETE GET HEAD OPTIONS PATCH POST PUT`), one space and a path that starts with `/`, has no trailing `/` (except `/` itself), whose variables are whole segments `{name}`, and whose greedy variable `{name+}` is the last segment. A WebSocket API's route keys are `$connect`, `$disconnect`, `$default` or any value of its route selection expression (`sendmessage`), so they are not checked against the HTTP form; when the route's API is not in the template (an `ApiId` from a parameter or an import), only an empty key is reported, since that is wrong for both protocols. [doc]",
    example: "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: orders, ProtocolType: HTTP}\n  OrdersRoute:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: POST /orders/\n      Target: !Sub integrations/${SendOrder}",
    terraform_example: "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n}\n\nresource \"aws_apigatewayv2_route\" \"orders\" {\n  api_id    = aws_apigatewayv2_api.orders.id\n  route_key = \"POST /orders/\"\n  target    = \"integrations/${aws_apigatewayv2_integration.send.id}\"\n}",
    fix: "Write the key as `METHOD /path` (e.g. `POST /orders/{id}`), or `$default`, on an HTTP API; give WebSocket routes a non-empty key.",
    check: Check::Cross(check),
};

/// The route keys only WebSocket APIs have.
const WEBSOCKET_ONLY: &[&str] = &["$connect", "$disconnect"];

const METHODS: &[&str] = &[
    "ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT",
];

/// What is wrong with `key` on an API of `protocol` (`None`: not known), if anything.
pub fn problem_for(key: &str, protocol: Option<Protocol>) -> Option<String> {
    if key.trim().is_empty() {
        return Some(match protocol {
            Some(Protocol::WebSocket) => "The route key is empty: use `$connect`, `$disconnect`, `$default` or a value of the API's route selection expression (e.g. `sendmessage`).".to_string(),
            Some(Protocol::Http) => "The route key is empty: write `METHOD /path` (e.g. `POST /orders`) or `$default`.".to_string(),
            None => "The route key is empty: write `METHOD /path` on an HTTP API, or `$connect`, `$disconnect`, `$default` or an action name on a WebSocket API.".to_string(),
        });
    }
    match protocol {
        Some(Protocol::Http) => problem(key),
        // WebSocket keys are any value of the route selection expression; an API we
        // cannot see may be either protocol.
        Some(Protocol::WebSocket) | None => None,
    }
}

/// What is wrong with `key` as an HTTP API route key, if anything.
pub fn problem(key: &str) -> Option<String> {
    if key == "$default" {
        return None;
    }
    if WEBSOCKET_ONLY.contains(&key) {
        return Some(format!(
            "`{key}` is a WebSocket route key, and this is an HTTP API: write `METHOD /path` (e.g. `POST /orders`) or `$default`, or attach the route to a WebSocket API."
        ));
    }
    let Some((method, path)) = key.split_once(' ') else {
        let example = if key.starts_with('/') {
            format!("GET {key}")
        } else {
            "POST /orders".to_string()
        };
        return Some(format!(
            "`{key}` is not an HTTP API route key: write `METHOD /path` (e.g. `{example}`) or `$default`."
        ));
    };
    if !METHODS.contains(&method) {
        let upper = method.to_ascii_uppercase();
        return Some(if METHODS.contains(&upper.as_str()) {
            format!("Methods are upper case: write `{upper} {path}`.")
        } else {
            format!(
                "`{method}` is not a method HTTP APIs route on; use one of ANY, DELETE, GET, HEAD, OPTIONS, PATCH, POST or PUT."
            )
        });
    }
    if !path.starts_with('/') {
        return Some(format!(
            "The path must start with `/` and follow exactly one space: `{method} /{}`.",
            path.trim_start()
        ));
    }
    if path.len() > 1 && path.ends_with('/') {
        return Some(format!(
            "Remove the trailing `/`: `{method} {}`.",
            path.trim_end_matches('/')
        ));
    }
    if path.contains(char::is_whitespace) {
        return Some("The path must not contain spaces.".to_string());
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() && path != "/" {
            return Some("The path has an empty segment (`//`).".to_string());
        }
        let has_brace = segment.contains(['{', '}']);
        if !has_brace {
            continue;
        }
        let Some(inner) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            return Some(format!(
                "`{segment}`: a path variable must be a whole segment, like `{{name}}`."
            ));
        };
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(n) => (n, true),
            None => (inner, false),
        };
        if name.is_empty() || name.contains(['{', '}', '+']) {
            return Some(format!("`{segment}` is not a valid path variable."));
        }
        if greedy && i + 1 != segments.len() {
            return Some(format!(
                "The greedy variable `{segment}` must be the last segment of the path."
            ));
        }
    }
    None
}

/// The key with the mechanical mistakes fixed (method case, spacing, trailing `/`),
/// when that makes it valid.
pub fn corrected(key: &str) -> Option<String> {
    let (method, path) = key.trim().split_once(' ')?;
    let path = path.trim();
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    let fixed = format!("{} {path}", method.to_ascii_uppercase());
    (fixed != key && problem(&fixed).is_none()).then_some(fixed)
}

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.resources() {
        let ResourceKind::Route(route) = &at.item.kind else {
            continue;
        };
        let Some((key, span)) = &route.key else {
            continue;
        };
        let protocol = index.protocol(route.api.as_deref());
        if let Some(message) = problem_for(key, protocol) {
            let finding = Finding::new(&RULE, at.abs(span), message);
            // The span covers the key's text only when it is written verbatim.
            let verbatim = span.len() == key.len();
            out.push(match corrected(key).filter(|_| verbatim) {
                Some(text) => finding.with_fix(Fix::Replace {
                    title: format!("Change to `{text}`"),
                    text,
                    range: None,
                }),
                None => finding,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;
    use crate::rules::test_support::check_rule;

    #[test]
    fn accepts_valid_keys() {
        for key in [
            "$default",
            "GET /",
            "POST /orders",
            "ANY /{proxy+}",
            "GET /pets/{id}/toys/{rest+}",
            "DELETE /a-b_c.d/{x}",
        ] {
            assert_eq!(problem(key), None, "{key}");
        }
    }

    #[test]
    fn rejects_invalid_keys() {
        for (key, part) in [
            ("/orders", "not an HTTP API route key"),
            ("get /orders", "upper case"),
            ("FETCH /orders", "not a method"),
            ("POST  /orders", "exactly one space"),
            ("POST orders", "start with `/`"),
            ("POST /orders/", "trailing"),
            ("GET /a/{x+}/b", "last segment"),
            ("GET /a/x{id}", "whole segment"),
            ("GET /a//b", "empty segment"),
            ("GET /a/{}", "not a valid path variable"),
        ] {
            let message = problem(key).unwrap_or_default();
            assert!(message.contains(part), "{key}: {message}");
        }
    }

    #[test]
    fn corrects_mechanical_mistakes_only() {
        use super::corrected;
        assert_eq!(corrected("post /orders/").as_deref(), Some("POST /orders"));
        assert_eq!(corrected("GET  /x").as_deref(), Some("GET /x"));
        assert_eq!(corrected("GET /x"), None);
        assert_eq!(corrected("FETCH /x"), None);
        assert_eq!(corrected("GET /a/{x+}/b"), None);
    }

    #[test]
    fn fires_on_route_resources() {
        check_rule(
            "invalid-route-key",
            r#"
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: a, ProtocolType: HTTP}
  Bad:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: "POST /orders/"
#                ^^^^^^^^^^^^^ Remove the trailing `/`
  Good:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: $default
  Dynamic:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: !Sub "POST /${Path}"
"#,
        );
        check_rule(
            "invalid-route-key",
            r#"
{"Resources": {"R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "ServerlessHttpApi"}, "RouteKey": "get /x"}}}}
#                                                                                                                           ^^^^^^ upper case
"#,
        );
    }

    #[test]
    fn websocket_keys_are_checked_by_protocol() {
        check_rule(
            "invalid-route-key",
            r#"
Parameters:
  ExistingApi:
    Type: String
Resources:
  Chat:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: chat, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
  Http:
    Type: AWS::Serverless::HttpApi
  Connect:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Chat, RouteKey: $connect}
  Send:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Chat, RouteKey: sendmessage}
  Spaced:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Chat, RouteKey: join room}
  Empty:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Chat, RouteKey: ""}
#                                            ^^ The route key is empty: use `$connect`
  Elsewhere:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref ExistingApi, RouteKey: post}
  Imported:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !ImportValue chat-api, RouteKey: get /orders/}
  ConnectOnHttp:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Http, RouteKey: $connect}
#                                            ^^^^^^^^ is a WebSocket route key, and this is an HTTP API
  ActionOnHttp:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Http, RouteKey: sendmessage}
#                                            ^^^^^^^^^^^ e.g. `POST /orders`
"#,
        );
    }

    #[test]
    fn no_fix_invents_a_method_for_websocket_keys() {
        use super::{Protocol, corrected, problem_for};
        for key in ["$connect", "$disconnect", "sendmessage", "post"] {
            assert_eq!(problem_for(key, Some(Protocol::WebSocket)), None, "{key}");
            assert_eq!(problem_for(key, None), None, "{key}");
            assert!(problem_for(key, Some(Protocol::Http)).is_some(), "{key}");
            assert_eq!(corrected(key), None, "{key}");
        }
    }
}
