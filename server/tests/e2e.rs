//! End-to-end tests: the real binary over stdio.

mod common;

use common::{Client, codes};
use serde_json::json;

const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: '1.0'
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters:
        QueueUrl: !Ref Queue
  Api: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: e2e, ProtocolType: HTTP}}
  Role: {Type: AWS::IAM::Role, Properties: {ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSQSFullAccess]}}
  Queue: {Type: AWS::SQS::Queue}
";

#[test]
fn initialize_reports_the_whole_capabilities() {
    let mut client = Client::start();
    let result = client.initialize(json!({}));
    assert_eq!(
        result,
        json!({
            "capabilities": {
                "positionEncoding": "utf-16",
                "textDocumentSync": {"openClose": true, "change": 2},
                "completionProvider": {"triggerCharacters": ["$", ".", "{", ":", "\""], "resolveProvider": false},
                "hoverProvider": true,
                "definitionProvider": true,
                "referencesProvider": true,
                "renameProvider": {"prepareProvider": true},
                "documentSymbolProvider": true,
                "codeActionProvider": {"codeActionKinds": ["quickfix"], "resolveProvider": false}
            },
            "serverInfo": {"name": "apigw-lsp", "version": env!("CARGO_PKG_VERSION")}
        })
    );
    assert!(client.shutdown().success());
}

#[test]
fn configuration_turns_codes_off_and_on_again() {
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"apigwLsp": {"severity": {"missing-required-parameter": "off"}}}}),
    );
    client.notify("initialized", json!({}));
    let uri = "file:///tmp/e2e/configured.yaml";
    client.open(uri, "yaml", TEMPLATE);
    assert_eq!(
        client.diagnostics(uri, Some(1)),
        Vec::<serde_json::Value>::new()
    );

    // The settings layer over initializationOptions, and open documents are republished.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"apigwLsp": {"severity": {"missing-required-parameter": "warning"}}}}),
    );
    let diags = client.diagnostics(uri, Some(1));
    assert_eq!(codes(&diags), vec!["missing-required-parameter"]);
    assert_eq!(diags[0]["severity"], 2);
    assert!(client.shutdown().success());
}

#[test]
fn the_project_config_file_is_read_and_watched() {
    let root = std::env::temp_dir().join(format!("apigw-lsp-e2e-watch-{}", std::process::id()));
    std::fs::create_dir_all(&root).expect("mkdir");
    let config = root.join(".apigw-lsp.toml");
    std::fs::write(
        &config,
        "[severity]\nmissing-required-parameter = \"off\"\n",
    )
    .expect("write");
    let root_uri = format!("file://{}", root.display());
    let config_uri = format!("file://{}", config.display());

    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": root_uri,
               "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
    );
    client.notify("initialized", json!({}));
    // The server asks to watch the file.
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability");
    assert_eq!(
        registration["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    client.send(&json!({"jsonrpc": "2.0", "id": registration["id"], "result": null}));
    let uri = format!("{root_uri}/template.yaml");
    client.open(&uri, "yaml", TEMPLATE);
    assert_eq!(
        client.diagnostics(&uri, Some(1)),
        Vec::<serde_json::Value>::new()
    );

    // Editing the file republishes open documents with the new configuration.
    std::fs::write(
        &config,
        "[severity]\nmissing-required-parameter = \"hint\"\n",
    )
    .expect("write");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 2}]}),
    );
    let diags = client.diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), vec!["missing-required-parameter"]);
    assert_eq!(diags[0]["severity"], 4);

    // Deleting it restores the defaults.
    std::fs::remove_file(&config).expect("rm");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": config_uri, "type": 3}]}),
    );
    let diags = client.diagnostics(&uri, Some(1));
    assert_eq!(diags[0]["severity"], 1);
    assert!(client.shutdown().success());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn utf8_is_negotiated_when_offered() {
    let mut client = Client::start_with_args(&["--stdio"]);
    let result = client.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    assert!(client.shutdown().success());
}

#[test]
fn open_then_incremental_changes_update_diagnostics() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let uri = "file:///tmp/e2e/template.yaml";
    client.open(uri, "yaml", TEMPLATE);
    let diags = client.diagnostics(uri, Some(1));
    assert_eq!(codes(&diags), vec!["missing-required-parameter"]);
    assert_eq!(
        diags[0]["range"],
        json!({"start": {"line": 10, "character": 6}, "end": {"line": 10, "character": 23}})
    );
    assert_eq!(diags[0]["source"], "apigw-lsp");
    assert_eq!(diags[0]["severity"], 1);

    // Add the missing key with an incremental change at the end of the file.
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": 12, "character": 0}, "end": {"line": 12, "character": 0}},
                "text": "        MessageBody: $request.body\n"}]),
    );
    assert_eq!(
        client.diagnostics(uri, Some(2)),
        Vec::<serde_json::Value>::new()
    );

    // Break the subtype name: two edits in one notification.
    client.change(
        uri,
        3,
        json!([
            {"range": {"start": {"line": 7, "character": 26}, "end": {"line": 7, "character": 29}}, "text": "sqs"},
            {"range": {"start": {"line": 12, "character": 21}, "end": {"line": 12, "character": 29}}, "text": "$request.bdy"}
        ]),
    );
    let diags = client.diagnostics(uri, Some(3));
    assert_eq!(codes(&diags), vec!["invalid-expression", "unknown-subtype"]);
    assert_eq!(diags[0]["data"]["kind"], "replace");
    assert_eq!(diags[0]["data"]["text"], "SQS-SendMessage");

    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(
        client.diagnostics(uri, None),
        Vec::<serde_json::Value>::new()
    );
    assert!(client.shutdown().success());
}

#[test]
fn positions_follow_the_negotiated_encoding() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      PayloadFormatVersion: '1.0'
      CredentialsArn: arn:aws:iam::123456789012:role/r
      IntegrationSubtype: SQS-SendMessage
      RequestParameters: {QueueUrl: q, MessageBody: '😀名 $request.body', MessageGroupId: $request.heder.x}
";
    for (encoding, column) in [("utf-16", 98), ("utf-8", 102)] {
        let mut client = Client::start();
        client.initialize(json!({"general": {"positionEncodings": [encoding]}}));
        let uri = "file:///tmp/e2e/enc.yaml";
        client.open(uri, "yaml", text);
        let diags = client.diagnostics(uri, Some(1));
        let invalid: Vec<_> = diags
            .iter()
            .filter(|d| d["code"] == "invalid-expression")
            .collect();
        assert_eq!(invalid.len(), 1, "{diags:?}");
        assert_eq!(
            invalid[0]["range"]["start"],
            json!({"line": 9, "character": column}),
            "{encoding}"
        );
        // An edit given in the same encoding lands in the right place: fix `heder`.
        client.change(
            uri,
            2,
            json!([{"range": {"start": {"line": 9, "character": column}, "end": {"line": 9, "character": column + 5}},
                    "text": "header"}]),
        );
        let diags = client.diagnostics(uri, Some(2));
        assert!(
            diags.iter().all(|d| d["code"] != "invalid-expression"),
            "{encoding}: {diags:?}"
        );
        assert!(client.shutdown().success());
    }
}

#[test]
fn files_that_are_not_templates_stay_silent() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let uri = "file:///tmp/e2e/docker-compose.yaml";
    client.open(
        uri,
        "yaml",
        "services:\n  web:\n    image: nginx\n    environment:\n      X: $request.heder\n",
    );
    assert_eq!(
        client.diagnostics(uri, Some(1)),
        Vec::<serde_json::Value>::new()
    );
    let json_uri = "file:///tmp/e2e/package.json";
    client.open(
        json_uri,
        "json",
        "{\"name\": \"x\", \"IntegrationSubtype\": \"nope\"}",
    );
    assert_eq!(
        client.diagnostics(json_uri, Some(1)),
        Vec::<serde_json::Value>::new()
    );
    assert!(client.shutdown().success());
}

#[test]
fn json_templates_are_checked() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let uri = "file:///tmp/e2e/template.json";
    let text = r#"{
  "Resources": {
    "Send": {
      "Type": "AWS::ApiGatewayV2::Integration",
      "Properties": {
        "IntegrationType": "AWS_PROXY",
        "IntegrationSubtype": "SQS-SendMessage",
        "PayloadFormatVersion": "2.0",
        "CredentialsArn": {"Fn::GetAtt": ["Role", "Arn"]},
        "RequestParameters": {"QueueUrl": {"Ref": "Queue"}, "MessageBody": "$request.body"}
      }
    },
    "Role": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"]}},
    "Queue": {"Type": "AWS::SQS::Queue"}
  }
}
"#;
    client.open(uri, "json", text);
    let diags = client.diagnostics(uri, Some(1));
    assert_eq!(codes(&diags), vec!["wrong-payload-format-version"]);
    assert_eq!(
        diags[0]["range"]["start"],
        json!({"line": 7, "character": 33})
    );
    assert!(client.shutdown().success());
}

#[test]
fn resource_metadata_suppresses_and_editing_it_brings_the_finding_back() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let uri = "file:///tmp/e2e/metadata.json";
    let metadata = r#""Metadata": {"apigw-lsp": {"ignore": ["wrong-payload-format-version"]}},"#;
    let text = format!(
        r#"{{
  "Resources": {{
    "Send": {{
      "Type": "AWS::ApiGatewayV2::Integration",
      {metadata}
      "Properties": {{
        "IntegrationType": "AWS_PROXY",
        "IntegrationSubtype": "SQS-SendMessage",
        "PayloadFormatVersion": "2.0",
        "CredentialsArn": {{"Fn::GetAtt": ["Role", "Arn"]}},
        "RequestParameters": {{"QueueUrl": {{"Ref": "Queue"}}, "MessageBody": "$request.body"}}
      }}
    }},
    "Role": {{"Type": "AWS::IAM::Role", "Properties": {{"ManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"]}}}},
    "Queue": {{"Type": "AWS::SQS::Queue"}}
  }}
}}
"#
    );
    client.open(uri, "json", &text);
    assert_eq!(
        client.diagnostics(uri, Some(1)),
        Vec::<serde_json::Value>::new()
    );
    // Delete the Metadata member: the cached finding is reported again.
    let end = u32::try_from(6 + metadata.len()).expect("short line");
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": 4, "character": 6}, "end": {"line": 4, "character": end}},
                "text": ""}]),
    );
    let diags = client.diagnostics(uri, Some(2));
    assert_eq!(codes(&diags), vec!["wrong-payload-format-version"]);
    assert!(client.shutdown().success());
}

#[test]
fn exit_without_shutdown_exits_with_1() {
    let mut client = Client::start();
    client.initialize(json!({}));
    client.notify("exit", serde_json::Value::Null);
    let status = client.wait_exit();
    assert_eq!(status.code(), Some(1));
}

#[test]
fn a_panicking_handler_is_contained_and_the_server_keeps_serving() {
    let mut client = Client::start_with(&[], &[("APIGW_LSP_TEST_PANIC", "1")]);
    client.initialize(json!({}));
    let bad = "file:///tmp/e2e/panic.yaml";
    client.open(bad, "yaml", &format!("# apigw-lsp:test-panic\n{TEMPLATE}"));
    // The panic costs that document its diagnostics, nothing else.
    let good = "file:///tmp/e2e/after.yaml";
    client.open(good, "yaml", TEMPLATE);
    assert_eq!(
        codes(&client.diagnostics(good, Some(1))),
        vec!["missing-required-parameter"]
    );
    // Messages arrive in order: had the panicking analysis published, it would be here.
    assert!(!client.received(|m| m["params"]["uri"] == bad));
    client.change(
        good,
        2,
        json!([{"range": {"start": {"line": 12, "character": 0}, "end": {"line": 12, "character": 0}},
                "text": "        MessageBody: $request.body\n"}]),
    );
    assert!(client.diagnostics(good, Some(2)).is_empty());
    assert!(client.shutdown().success());
}
