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
  Role: {Type: AWS::IAM::Role, Properties: {ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSQSFullAccess]}}
  Queue: {Type: AWS::SQS::Queue}
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
    // The last resource is missing; the edit past the end will add it.
    let text = TEMPLATE
        .replace("  Queue: {Type: AWS::SQS::Queue}\n", "")
        .replace(
            "        QueueUrl: !Ref Queue\n",
            "        QueueUrl: !Ref Queue\n        MessageBody: $request.body\n",
        );
    client.open(uri, "yaml", &text);
    assert_eq!(
        codes(&client.diagnostics(uri, Some(1))),
        vec!["unresolved-reference"]
    );
    for (line, character) in [(9_999, 0), (3, 9_999), (u32::MAX, u32::MAX)] {
        let response = hover(&mut client, uri, line, character);
        assert!(response.get("error").is_none(), "{response}");
        let response = client.request_raw(
            "textDocument/completion",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        assert!(response.get("error").is_none(), "{response}");
    }
    // An edit past the end clamps to the end (as the LSP specification says), and a change for a
    // document that was never opened is ignored.
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": 500, "character": 3}, "end": {"line": 600, "character": 0}},
                "text": "  Queue: {Type: AWS::SQS::Queue}\n"}]),
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

/// An insertion at a line and UTF-16 column, as one `contentChanges` array.
fn insert_at(line: u32, character: u32, text: &str) -> Value {
    let at = json!({"line": line, "character": character});
    json!([{"range": {"start": at, "end": at}, "text": text}])
}

/// What a fresh open of `text` publishes.
fn fresh_diagnostics(client: &mut Client, text: &str) -> Vec<Value> {
    let uri = "file:///p/fresh.yaml";
    client.open(uri, "yaml", text);
    let diags = client.diagnostics(uri, Some(1));
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    diags
}

#[test]
fn a_late_version_is_applied_in_its_place() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let uri = "file:///p/t.yaml";
    client.open(uri, "yaml", TEMPLATE);
    client.diagnostics(uri, Some(1));
    // `DelaySeconds: "9999"` typed below `QueueUrl` in five changes, each valid only
    // after the one before it, sent as 2, 3, 5, 4, 6 (as Helix 25.01 sends a burst).
    // Applied as they come, 5's range lies past the end of the line: it deletes nothing
    // and the text ends `DelaySecondsX:"9999" `.
    let changes = [
        (2, insert_at(10, 28, "\n        ")),
        (3, insert_at(11, 8, "DelayX")),
        (4, insert_at(11, 13, "Seconds")),
        (
            5,
            json!([{"range": {"start": {"line": 11, "character": 20}, "end": {"line": 11, "character": 21}},
                    "text": ": "}]),
        ),
        (6, insert_at(11, 22, "\"9999\"")),
    ];
    for i in [0, 1, 3, 2, 4] {
        let (version, change) = &changes[i];
        client.change(uri, *version, change.clone());
    }
    let mut expected = TEMPLATE.to_string();
    expected.insert_str(after_queue_url(), "\n        DelaySeconds: \"9999\"");
    let diags = client.diagnostics(uri, Some(6));
    let server = client.document_text(uri);
    assert_eq!(server["text"], expected.as_str(), "{server}");
    assert_eq!(server["version"], 6);
    assert_eq!(
        codes(&diags),
        vec!["missing-required-parameter", "parameter-value-constraint"],
        "{diags:?}"
    );
    assert_eq!(diags, fresh_diagnostics(&mut client, &expected));
    assert!(client.shutdown().success());
}

#[test]
fn versions_with_gaps_are_applied_at_once() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let uri = "file:///p/t.yaml";
    client.open(uri, "yaml", TEMPLATE);
    client.diagnostics(uri, Some(1));
    // Versions need not be consecutive (Neovim skips numbers): nothing waits for 3 or 6.
    let mut expected = TEMPLATE.to_string();
    let mut at = after_queue_url();
    for (version, change, text) in [
        (2, insert_at(10, 28, "\n        "), "\n        "),
        (5, insert_at(11, 8, "MessageBody"), "MessageBody"),
        (9, insert_at(11, 19, ": $request.body"), ": $request.body"),
    ] {
        client.change(uri, version, change);
        expected.insert_str(at, text);
        at += text.len();
        let server = client.document_text(uri);
        assert_eq!(server["version"], version, "{server}");
        assert_eq!(server["text"], expected.as_str(), "{server}");
    }
    let diags = client.diagnostics(uri, Some(9));
    assert_eq!(codes(&diags), Vec::<String>::new(), "{diags:?}");
    assert_eq!(diags, fresh_diagnostics(&mut client, &expected));
    assert!(client.shutdown().success());
}

/// The end of TEMPLATE's `QueueUrl` line (line 10, column 28), where the tests type.
fn after_queue_url() -> usize {
    let line = "        QueueUrl: !Ref Queue";
    let at = TEMPLATE.find(line).expect("TEMPLATE has the QueueUrl line") + line.len();
    assert_eq!(position_of(TEMPLATE, at), (10, 28));
    at
}

/// The line and UTF-16 column of byte `offset` in `text`.
fn position_of(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].encode_utf16().count();
    (line as u32, column as u32)
}

/// `count` edits typed into TEMPLATE at pseudo-random places (insertions of a few
/// characters, line breaks and deletions), each valid only on the text the ones before
/// it made: `(version, contentChanges)` and the text they end with. Swapping two of them
/// changes the text.
fn random_typing(count: usize, seed: u64) -> (Vec<(i64, Value)>, String) {
    let mut text = TEMPLATE.to_string();
    let mut state = seed;
    let mut next = move |bound: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound.max(1)
    };
    let pieces = [
        "a",
        "Delay",
        ": ",
        "\n        ",
        "$request.body",
        "é",
        "😀",
        "x",
    ];
    let mut changes = Vec::new();
    for i in 0..count {
        // Somewhere after `Resources:`, on a character boundary.
        let floor = TEMPLATE.find("  Send:").unwrap_or(0);
        let mut at = floor + next(text.len() - floor + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let (line, character) = position_of(&text, at);
        let start = json!({"line": line, "character": character});
        let change = if next(4) == 0 && at < text.len() {
            let mut end = at + 1;
            while !text.is_char_boundary(end) {
                end += 1;
            }
            // A lone `\n` after a `\r` cannot be named; there are no `\r` here.
            let (end_line, end_character) = position_of(&text, end);
            text.replace_range(at..end, "");
            json!([{"range": {"start": start, "end": {"line": end_line, "character": end_character}}, "text": ""}])
        } else {
            let piece = pieces[next(pieces.len())];
            text.insert_str(at, piece);
            json!([{"range": {"start": start, "end": start}, "text": piece}])
        };
        changes.push((2 + i as i64, change));
    }
    (changes, text)
}

fn did_change(uri: &str, version: i64, changes: &Value) -> Vec<u8> {
    common::frame(
        &json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}}),
    )
}

#[test]
fn a_burst_of_changes_is_applied_in_arrival_order() {
    // 400 changes written at once, with requests among them (handled concurrently by
    // tower-lsp-server): the server's text is the client's, and it never had to put a
    // change back in its place (its debug log would say `came after version`).
    let dir = std::env::temp_dir().join(format!("apigw-lsp-burst-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let log = dir.join("server.log");
    let mut client = Client::start_logging(&[("RUST_LOG", "apigw_lsp=debug")], &log);
    client.initialize(json!({}));
    let uri = "file:///p/t.yaml";
    client.open(uri, "yaml", TEMPLATE);
    client.diagnostics(uri, Some(1));
    let (changes, expected) = random_typing(400, 7);
    let mut burst = Vec::new();
    for (i, (version, change)) in changes.iter().enumerate() {
        burst.extend(did_change(uri, *version, change));
        if i % 40 == 0 {
            burst.extend(common::frame(&json!({"jsonrpc": "2.0", "id": format!("hover-{i}"),
                "method": "textDocument/hover",
                "params": {"textDocument": {"uri": uri}, "position": {"line": 10, "character": 12}}})));
        }
    }
    client.send_raw(&burst);
    let last = changes.last().map_or(1, |(v, _)| *v);
    let server = client.document_text(uri);
    assert_eq!(server["version"], last, "{server}");
    assert_eq!(server["text"], expected.as_str());
    let diags = client.diagnostics(uri, Some(last));
    assert_eq!(diags, fresh_diagnostics(&mut client, &expected));
    assert!(client.shutdown().success());
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!log.contains("came after version"), "{log}");
    assert!(!log.contains(" WARN "), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_burst_with_swapped_neighbours_ends_with_the_clients_text() {
    // Helix 25.01 sends a burst's didChange notifications out of version order: on the
    // wire, neighbours swap. Every fifth pair is swapped here; the text is still the client's, and
    // the debug log says so once per swap.
    let dir = std::env::temp_dir().join(format!("apigw-lsp-swapped-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let log = dir.join("server.log");
    let mut client = Client::start_logging(&[("RUST_LOG", "apigw_lsp=debug")], &log);
    client.initialize(json!({}));
    let uri = "file:///p/t.yaml";
    client.open(uri, "yaml", TEMPLATE);
    client.diagnostics(uri, Some(1));
    let (mut changes, expected) = random_typing(200, 11);
    let mut swaps = 0;
    for i in (3..changes.len()).step_by(5) {
        changes.swap(i - 1, i);
        swaps += 1;
    }
    let burst: Vec<u8> = changes
        .iter()
        .flat_map(|(version, change)| did_change(uri, *version, change))
        .collect();
    client.send_raw(&burst);
    let server = client.document_text(uri);
    assert_eq!(server["version"], 201, "{server}");
    assert_eq!(server["text"], expected.as_str());
    let diags = client.diagnostics(uri, Some(201));
    assert_eq!(diags, fresh_diagnostics(&mut client, &expected));
    assert!(client.shutdown().success());
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    assert_eq!(log.matches("came after version").count(), swaps, "{log}");
    assert!(!log.contains(" WARN "), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn document_text_is_null_for_a_document_that_is_not_open() {
    let mut client = Client::start();
    client.initialize(json!({}));
    assert_eq!(client.document_text("file:///p/nothing.yaml"), Value::Null);
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

#[test]
fn a_panicking_request_is_answered_with_an_internal_error_and_later_requests_work() {
    // Debug builds only: the test hook panics while answering requests about a
    // document whose first line asks for it (release builds compile the hook away).
    if std::env::var_os("APIGW_LSP_BIN").is_some() {
        return;
    }
    let mut client = Client::start_with(&[], &[("APIGW_LSP_TEST_PANIC", "1")]);
    client.initialize(json!({}));
    let bad = "file:///p/panic.yaml";
    let good = "file:///p/good.yaml";
    client.open(bad, "yaml", &format!("# apigw-lsp:test-panic\n{TEMPLATE}"));
    client.open(good, "yaml", TEMPLATE);
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
    ] {
        let response = client.request_raw(
            method,
            json!({"textDocument": {"uri": bad}, "position": {"line": 4, "character": 6}}),
        );
        assert_eq!(error_code(&response), Some(-32603), "{method}: {response}");
        assert!(
            response["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("internal error")),
            "{response}"
        );
    }
    let symbols = client.request_raw(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": bad}}),
    );
    assert_eq!(error_code(&symbols), Some(-32603), "{symbols}");
    // The same requests about another document, and edits, still work.
    let response = hover(&mut client, good, 6, 8);
    assert!(response["result"]["contents"].is_object(), "{response}");
    assert_eq!(
        codes(&client.diagnostics(good, Some(1))),
        vec!["missing-required-parameter"]
    );
    client.change(
        good,
        2,
        json!([{"range": {"start": {"line": 11, "character": 0}, "end": {"line": 11, "character": 0}},
                "text": "        MessageBody: $request.body\n"}]),
    );
    assert!(client.diagnostics(good, Some(2)).is_empty());
    // Once the document no longer asks for the panic, its requests are served again.
    client.change(
        bad,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}, "text": ""}]),
    );
    let response = hover(&mut client, bad, 5, 8);
    assert!(response.get("error").is_none(), "{response}");
    assert!(client.shutdown().success());
}

/// Waits for the error response with `id` (null for an unknown id) and returns its code.
fn error_for(client: &mut Client, id: Value) -> Option<i64> {
    let response = client.wait_for(|m| m.get("error").is_some() && m["id"] == id);
    error_code(&response)
}

#[test]
fn malformed_messages_are_answered_and_the_server_keeps_reading() {
    let mut client = Client::start();
    // Before initialize too: a body that is not JSON is a parse error (id null).
    client.send_body(br#"{"jsonrpc": "2.0", "id": 5, "method": "#);
    assert_eq!(error_for(&mut client, Value::Null), Some(-32700));
    client.initialize(json!({}));
    let uri = "file:///p/t.yaml";
    client.open(uri, "yaml", TEMPLATE);
    client.diagnostics(uri, Some(1));
    // JSON that is not a JSON-RPC message: invalid request, with its id when it has one.
    client.send_body(br#"{"id": 7, "method": "textDocument/hover"}"#);
    assert_eq!(error_for(&mut client, json!(7)), Some(-32600));
    client.send_body(b"[1, 2, 3]");
    assert_eq!(error_for(&mut client, Value::Null), Some(-32600));
    // A body that is not UTF-8, and an empty one.
    client.send_body(b"{\"jsonrpc\": \"2.0\", \"method\": \"\xff\xfe\"}");
    assert_eq!(error_for(&mut client, Value::Null), Some(-32700));
    client.send_body(b"");
    assert_eq!(error_for(&mut client, Value::Null), Some(-32700));
    // Bytes that are no header at all, then a header without a length: skipped to the
    // next message.
    client.send_raw(b"\x00\x01garbage\r\n\r\nContent-Type: text/plain\r\n\r\n{}");
    assert_eq!(error_for(&mut client, Value::Null), Some(-32700));
    // Extra header lines (which the server's own reader refused past two) and a
    // lower-case name are fine.
    let body = r#"{"jsonrpc":"2.0","id":"h","method":"textDocument/hover","params":{"textDocument":{"uri":"file:///p/t.yaml"},"position":{"line":6,"character":8}}}"#;
    client.send_raw(
        format!(
            "content-length: {}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Extra: 1\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    let hover = client.wait_for(|m| m["id"] == "h");
    assert!(hover["result"]["contents"].is_object(), "{hover}");
    // After all that, the document is still open and edits still apply.
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": 11, "character": 0}, "end": {"line": 11, "character": 0}},
                "text": "        MessageBody: $request.body\n"}]),
    );
    assert!(client.diagnostics(uri, Some(2)).is_empty());
    assert!(client.shutdown().success());
}

#[test]
fn lifecycle_oddities_do_not_stop_the_server() {
    let mut client = Client::start();
    client.initialize(json!({}));
    // A second initialize is refused.
    let again = client.request_raw(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert!(error_code(&again).is_some(), "{again}");
    // Closing a document that was never opened, and opening one twice: the second
    // open replaces the first.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///p/never.yaml"}}),
    );
    let uri = "file:///p/t.yaml";
    client.open(uri, "yaml", "Resources: {}\n");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 4, "text": TEMPLATE}}),
    );
    assert_eq!(
        codes(&client.diagnostics(uri, Some(4))),
        vec!["missing-required-parameter"]
    );
    assert!(client.shutdown().success());
}

#[test]
fn exit_ends_the_server_even_when_the_client_keeps_stdin_open() {
    let mut client = Client::start();
    client.initialize(json!({}));
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let started = std::time::Instant::now();
    while client.try_status().is_none() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the server is still running after exit"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(client.try_status().and_then(|s| s.code()), Some(0));
}
