//! End-to-end tests of the editing features over stdio: completion, hover, definition,
//! references, outline, and a quick fix applied and re-checked.

mod common;

use common::{Client, codes};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/e2e/features.yaml";

const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      ProtocolType: HTTP
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
        MessageGroupId: $request.path.orderId
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: POST /orders/{orderId}
      Target: !Sub integrations/${Send}
  Queue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: send
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}
";

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn start() -> (Client, Vec<Value>) {
    let mut client = Client::start();
    client.initialize(json!({}));
    client.open(URI, "yaml", TEMPLATE);
    let diags = client.diagnostics(URI, Some(1));
    assert_eq!(codes(&diags), vec!["missing-required-parameter"]);
    (client, diags)
}

fn labels(result: &Value) -> Vec<String> {
    let items = result.get("items").unwrap_or(result);
    items
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["label"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Applies LSP text edits (same document, UTF-16 positions on ASCII text) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let ch = p["character"].as_u64().unwrap_or(0) as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        line_start + ch
    };
    let mut edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, t) in edits {
        out.replace_range(s..e, &t);
    }
    out
}

#[test]
fn completion_offers_the_missing_parameter_and_expressions() {
    let (mut client, _) = start();
    // A new, empty line inside RequestParameters.
    client.change(
        URI,
        2,
        json!([{"range": {"start": pos(17, 0), "end": pos(17, 0)}, "text": "        \n"}]),
    );
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": pos(17, 8)}),
    );
    let got = labels(&result);
    assert!(got.iter().any(|l| l == "MessageBody"), "{got:?}");
    assert!(
        !got.iter().any(|l| l == "QueueUrl"),
        "present keys are left out: {got:?}"
    );
    // Typing `MessageBody: $request.` offers the request parts.
    client.change(URI, 3, json!([{"range": {"start": pos(17, 8), "end": pos(17, 8)}, "text": "MessageBody: $request."}]));
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": pos(17, 30)}),
    );
    let got = labels(&result).join(" ");
    for part in ["header", "querystring", "path", "body"] {
        assert!(got.contains(part), "{part} missing from {got}");
    }
    assert!(client.shutdown().success());
}

#[test]
fn hover_definition_references_and_outline() {
    let (mut client, _) = start();
    // Hover on the subtype name.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(12, 30)}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(markdown.contains("sqs:SendMessage"), "{markdown}");
    assert!(markdown.contains("MessageBody"), "{markdown}");
    // Definition of `$request.path.orderId` is the `{orderId}` in the route key.
    let def = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": URI}, "position": pos(17, 40)}),
    );
    let def = def.as_array().cloned().unwrap_or_default();
    assert_eq!(def.len(), 1, "{def:?}");
    assert_eq!(
        def[0]["range"],
        json!({"start": pos(22, 30), "end": pos(22, 37)})
    );
    // References of the integration: the route's Target.
    let refs = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": URI}, "position": pos(7, 3), "context": {"includeDeclaration": false}}),
    );
    let refs = refs.as_array().cloned().unwrap_or_default();
    assert_eq!(refs.len(), 1, "{refs:?}");
    assert_eq!(refs[0]["range"]["start"], pos(23, 34));
    // Outline: API -> route -> integration.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let api = &symbols[0];
    assert_eq!(api["name"], "Api");
    let route = &api["children"][0];
    assert_eq!(route["name"], "POST /orders/{orderId}");
    assert_eq!(route["children"][0]["name"], "Send");
    assert!(client.shutdown().success());
}

#[test]
fn quick_fix_adds_the_missing_parameter() {
    let (mut client, diags) = start();
    let _ = diags;
    // Ask again through a fresh publish: re-open to get the diagnostic with its data.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let _ = client.diagnostics(URI, None);
    client.open(URI, "yaml", TEMPLATE);
    let diags = client.diagnostics(URI, Some(1));
    assert_eq!(diags.len(), 1);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": diags[0]["range"], "context": {"diagnostics": diags}}),
    );
    let actions = actions.as_array().cloned().unwrap_or_default();
    assert!(!actions.is_empty(), "no code action");
    let edits = actions[0]["edit"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let fixed = apply(TEMPLATE, &edits);
    assert!(fixed.contains("MessageBody"), "{fixed}");
    // Apply it as the editor would (whole text), and the diagnostic is gone.
    client.change(URI, 2, json!([{"text": fixed}]));
    assert_eq!(client.diagnostics(URI, Some(2)), Vec::<Value>::new());
    assert!(client.shutdown().success());
}

/// The quick fix of the diagnostic with `code`, its title and the text it makes.
fn fix_of(
    client: &mut Client,
    uri: &str,
    text: &str,
    diags: &[Value],
    code: &str,
) -> (String, String) {
    let diag = diags
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"));
    assert!(diag["data"]["kind"].is_string(), "{diag}");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diag["range"], "context": {"diagnostics": [diag]}}),
    );
    let actions = actions.as_array().cloned().unwrap_or_default();
    assert_eq!(actions.len(), 1, "{actions:#?}");
    let edits = actions[0]["edit"]["changes"][uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let title = actions[0]["title"].as_str().unwrap_or("").to_string();
    (title, apply(text, &edits))
}

#[test]
fn quick_fixes_write_the_trust_the_permission_and_the_missing_integration() {
    const FIXES_URI: &str = "file:///tmp/e2e/role-fixes.yaml";
    let text = "Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: orders, ProtocolType: HTTP}
  Queue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: '1.0'
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters: {QueueUrl: !Ref Queue, MessageBody: $request.body}
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: POST /orders
      Target: !Sub integrations/${Missing}
";
    let mut client = Client::start();
    client.initialize(json!({}));
    client.open(FIXES_URI, "yaml", text);
    let diags = client.diagnostics(FIXES_URI, Some(1));
    assert_eq!(
        codes(&diags),
        [
            "role-missing-permission",
            "role-not-trusted",
            "unresolved-reference"
        ]
    );
    let mut text = text.to_string();
    let mut version = 1;
    let mut diags = diags;
    for (code, title) in [
        (
            "role-not-trusted",
            "Let API Gateway assume `Role` (trust `apigateway.amazonaws.com`)",
        ),
        (
            "role-missing-permission",
            "Allow `sqs:SendMessage` on `Queue` in a policy of `Role`",
        ),
        (
            "unresolved-reference",
            "Create integration `Missing` (SQS-SendMessage, with REPLACE_ME placeholders to fill in)",
        ),
    ] {
        let (got, fixed) = fix_of(&mut client, FIXES_URI, &text, &diags, code);
        assert_eq!(got, title);
        version += 1;
        client.change(FIXES_URI, version, json!([{"text": fixed}]));
        text = fixed;
        diags = client.diagnostics(FIXES_URI, Some(version));
        assert!(
            codes(&diags).iter().all(|c| c != code),
            "{code} after its fix:\n{text}\n{diags:#?}"
        );
    }
    assert_eq!(diags, Vec::<Value>::new(), "{text}");
    assert!(client.shutdown().success());
}

/// A scaffold's later lines carry their whole indentation, so a client that adjusts
/// indentation by default (VS Code, which offers `asIs`) is told to insert it as is; a
/// client that does not offer `asIs` gets no `insertTextMode`.
#[test]
fn multi_line_items_are_inserted_as_is_when_the_client_can() {
    let scaffold = |capabilities: Value| {
        let mut client = Client::start();
        client.initialize(capabilities);
        client.open(URI, "yaml", &format!("{TEMPLATE}  SendMessage"));
        let line = TEMPLATE.lines().count() as u32;
        let result = client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": pos(line, 13)}),
        );
        let items = result.get("items").unwrap_or(&result).clone();
        let item = items
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["label"] == "SQS-SendMessage integration")
            .cloned()
            .unwrap_or_else(|| panic!("no scaffold in {result}"));
        assert!(client.shutdown().success());
        item
    };
    let as_is = json!({"textDocument": {"completion": {"completionItem": {
        "snippetSupport": true, "insertTextModeSupport": {"valueSet": [1, 2]}}}}});
    let item = scaffold(as_is);
    assert_eq!(item["insertTextMode"], json!(1));
    let text = item["textEdit"]["newText"].as_str().unwrap_or("");
    assert!(text.contains("Role:\n    Type: AWS::IAM::Role\n"), "{text}");
    let plain =
        json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}});
    let item = scaffold(plain);
    assert_eq!(item.get("insertTextMode"), None);
    // Without `asIs`, the snippet engine indents later lines like the cursor line (Neovim's
    // `vim.snippet` and VS Code do): they come relative to it.
    let text = item["textEdit"]["newText"].as_str().unwrap_or("");
    assert!(text.contains("Role:\n  Type: AWS::IAM::Role\n"), "{text}");
}

/// A Terraform buffer (languageId `terraform`): a diagnostic, completion while typing
/// a new parameter key and its expression, hover, and the quick fix applied.
#[test]
fn terraform_buffers_get_every_feature() {
    const TF_URI: &str = "file:///tmp/e2e-tf/main.tf";
    let text = r#"resource "aws_sqs_queue" "orders" {
  name = "orders"
}

resource "aws_apigatewayv2_integration" "sqs" {
  api_id              = "abc123"
  integration_type    = "AWS_PROXY"
  integration_subtype = "SQS-SendMessage"
  credentials_arn     = "arn:aws:iam::123456789012:role/api"
  request_parameters = {
    QueueUrl = aws_sqs_queue.orders.url
  }
}
"#;
    let mut client = Client::start();
    client.initialize(json!({}));
    client.open(TF_URI, "terraform", text);
    let diags = client.diagnostics(TF_URI, Some(1));
    assert_eq!(codes(&diags), vec!["missing-required-parameter"]);
    // The quick fix adds `MessageBody` as HCL.
    let result = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": TF_URI}, "range": diags[0]["range"],
               "context": {"diagnostics": diags}}),
    );
    let edits = result[0]["edit"]["changes"][TF_URI]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let fixed = apply(text, &edits);
    assert!(
        fixed.contains(
            "    QueueUrl = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n"
        ),
        "{result}\n{fixed}"
    );
    // Typing a key on a new line of the map, then its expression.
    client.change(
        TF_URI,
        2,
        json!([{"range": {"start": pos(11, 0), "end": pos(11, 0)}, "text": "    Mes\n"}]),
    );
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": TF_URI}, "position": pos(11, 7)}),
    );
    let got = labels(&result);
    assert_eq!(
        got.first().map(String::as_str),
        Some("MessageBody"),
        "{got:?}"
    );
    client.change(
        TF_URI,
        3,
        json!([{"range": {"start": pos(11, 7), "end": pos(11, 7)}, "text": "sageBody = \"$request."}]),
    );
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": TF_URI}, "position": pos(11, 30)}),
    );
    let got = labels(&result).join(" ");
    for part in ["header", "querystring", "path", "body"] {
        assert!(got.contains(part), "{part} missing from {got}");
    }
    // Hover on the subtype.
    let result = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": TF_URI}, "position": pos(7, 28)}),
    );
    let hover = result["contents"]["value"].as_str().unwrap_or_default();
    assert!(hover.contains("sqs:SendMessage"), "{result}");
    assert!(client.shutdown().success());
}
