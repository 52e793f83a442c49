//! Protocol abuse: the server answers with the right JSON-RPC errors and keeps serving.

mod common;

use common::{Client, codes};
use serde_json::{Value, json};

const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: '1.0'
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters:
        QueueUrl: !Ref Queue
";

fn error_code(response: &Value) -> Option<i64> {
    response.get("error")?.get("code")?.as_i64()
}

fn hover(client: &mut Client, uri: &str, line: u32, character: u32) -> Value {
    client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    )
}

#[test]
fn requests_before_initialize_are_refused_then_served() {
    let mut client = Client::start();
    let early = hover(&mut client, "file:///p/a.yaml", 0, 0);
    assert_eq!(error_code(&early), Some(-32002), "{early}");
    client.initialize(json!({}));
    let later = hover(&mut client, "file:///p/a.yaml", 0, 0);
    assert!(later.get("error").is_none(), "{later}");
    assert!(client.shutdown().success());
}

#[test]
fn unknown_methods_and_invalid_params_get_errors_and_the_server_keeps_serving() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let unknown = client.request_raw("textDocument/noSuchThing", json!({}));
    assert_eq!(error_code(&unknown), Some(-32601), "{unknown}");
    let invalid = client.request_raw("textDocument/hover", json!({"textDocument": 42}));
    assert_eq!(error_code(&invalid), Some(-32602), "{invalid}");
    // Unknown notifications are ignored.
    client.notify("custom/whatever", json!({"x": 1}));
    let uri = "file:///p/t.yaml";
    client.open(uri, "yaml", TEMPLATE);
    assert_eq!(
        codes(&client.diagnostics(uri, Some(1))),
        vec!["missing-required-parameter"]
    );
    assert!(client.shutdown().success());
}

#[test]
fn positions_past_the_end_and_edits_to_unopened_documents_are_harmless() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let uri = "file:///p/t.yaml";
    client.open(uri, "yaml", TEMPLATE);
    client.diagnostics(uri, Some(1));
    for (line, character) in [(9_999, 0), (3, 9_999), (u32::MAX, u32::MAX)] {
        let response = hover(&mut client, uri, line, character);
        assert!(response.get("error").is_none(), "{response}");
        let response = client.request_raw(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        assert!(response.get("error").is_none(), "{response}");
    }
    // An edit past the end clamps to the end (as the spec says), and a change for a
    // document that was never opened is ignored.
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": 500, "character": 3}, "end": {"line": 600, "character": 0}},
                "text": "        MessageBody: $request.body\n"}]),
    );
    client.change(
        "file:///p/never-opened.yaml",
        7,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "x"}]),
    );
    assert_eq!(client.diagnostics(uri, Some(2)), Vec::<Value>::new());
    // Requests about a document that is not open answer without an error.
    let response = hover(&mut client, "file:///p/never-opened.yaml", 0, 0);
    assert!(response.get("error").is_none(), "{response}");
    assert!(client.shutdown().success());
}

#[test]
fn out_of_order_versions_are_applied_in_arrival_order() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let uri = "file:///p/t.yaml";
    client.open(uri, "yaml", TEMPLATE);
    client.diagnostics(uri, Some(1));
    // Version 5, then a late version 3: both edits are applied in the order they
    // came (the text is what the client sent), and diagnostics carry the version.
    client.change(
        uri,
        5,
        json!([{"range": {"start": {"line": 11, "character": 0}, "end": {"line": 11, "character": 0}},
                "text": "        MessageBody: $request.body\n"}]),
    );
    client.change(
        uri,
        3,
        json!([{"range": {"start": {"line": 12, "character": 0}, "end": {"line": 12, "character": 0}},
                "text": "        DelaySeconds: \"9999\"\n"}]),
    );
    let diags = client.diagnostics(uri, Some(3));
    assert_eq!(
        codes(&diags),
        vec!["parameter-value-constraint"],
        "{diags:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn requests_after_shutdown_are_invalid_and_exit_then_ends_with_0() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let response = client.request_raw("shutdown", Value::Null);
    assert!(response.get("error").is_none(), "{response}");
    let after = hover(&mut client, "file:///p/a.yaml", 0, 0);
    assert_eq!(error_code(&after), Some(-32600), "{after}");
    client.notify("exit", Value::Null);
    let status = client.wait_exit();
    assert_eq!(status.code(), Some(0));
}
