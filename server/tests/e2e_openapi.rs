//! End-to-end: an OpenAPI document over stdio gets diagnostics, completion and a fix.

mod common;

use common::{Client, codes};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/e2e/api.yaml";

const API: &str = "openapi: \"3.0.1\"
info: {title: orders, version: \"1\"}
paths:
  /orders/{orderId}:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        integrationSubtype: SQS-SendMessage
        credentials: arn:aws:iam::123456789012:role/api
        payloadFormatVersion: \"1.0\"
        requestParameters:
          QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/orders
          MessageGroupId: $request.path.
";

#[test]
fn openapi_documents_get_diagnostics_completion_and_fixes() {
    let mut client = Client::start();
    client.initialize(json!({}));
    client.open(URI, "yaml", API);
    let diags = client.diagnostics(URI, Some(1));
    assert_eq!(
        codes(&diags),
        vec!["invalid-expression", "missing-required-parameter"]
    );

    // `$request.path.` offers the path key's variable.
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 12, "character": 40}}),
    );
    let items = result.get("items").cloned().unwrap_or(result);
    let labels: Vec<&str> = items
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.iter().any(|l| l.contains("orderId")), "{labels:?}");

    // The missing-parameter quick fix, in the OpenAPI spelling.
    let missing: Vec<Value> = diags
        .iter()
        .filter(|d| d["code"] == "missing-required-parameter")
        .cloned()
        .collect();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": missing[0]["range"], "context": {"diagnostics": missing}}),
    );
    let action = &actions[0];
    assert!(
        action["title"]
            .as_str()
            .unwrap_or("")
            .contains("MessageBody"),
        "{action}"
    );
    let edits = action["edit"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        edits
            .iter()
            .any(|e| e["newText"].as_str().unwrap_or("").contains("MessageBody")),
        "{edits:?}"
    );
    assert!(client.shutdown().success());
}

#[test]
fn openapi_without_apigateway_extensions_stays_silent() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let uri = "file:///tmp/e2e/petstore.yaml";
    client.open(uri, "yaml", "openapi: 3.0.1\ninfo: {title: pets, version: '1'}\npaths:\n  /pets:\n    get:\n      responses: {}\n");
    assert!(client.diagnostics(uri, Some(1)).is_empty());
    assert!(client.shutdown().success());
}
