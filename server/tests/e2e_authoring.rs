//! Writing AWS's EventBridge example (the `apigw-eventbridge` serverless pattern: an
//! HTTP API, an event bus, a role, the route `POST /{source}/{detailType}` and its
//! `EventBridge-PutEvents` integration) into an empty template over stdio, using only
//! completion accepts and text typed into their placeholders; the result has no finding.

mod common;

use common::Client;
use serde_json::{Value, json};

const URI: &str = "file:///tmp/e2e/authoring.yaml";

/// An editor's view of one document: the text, its version, and edits sent as
/// `didChange`.
struct Editor {
    client: Client,
    text: String,
    version: i64,
}

impl Editor {
    fn open(text: &str) -> Editor {
        let mut client = Client::start();
        client.initialize(json!({
            "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
        }));
        client.open(URI, "yaml", text);
        Editor {
            client,
            text: text.to_string(),
            version: 1,
        }
    }

    /// The LSP position of a byte offset (the text is ASCII).
    fn position(&self, offset: usize) -> Value {
        let before = &self.text[..offset];
        let line = before.matches('\n').count();
        let character = offset - before.rfind('\n').map_or(0, |i| i + 1);
        json!({"line": line, "character": character})
    }

    fn offset(&self, position: &Value) -> usize {
        let line = position["line"].as_u64().unwrap_or(0) as usize;
        let character = position["character"].as_u64().unwrap_or(0) as usize;
        let start: usize = self
            .text
            .split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum();
        start + character
    }

    fn edit(&mut self, start: usize, end: usize, new: &str) {
        let range = json!({"start": self.position(start), "end": self.position(end)});
        self.version += 1;
        self.client
            .change(URI, self.version, json!([{"range": range, "text": new}]));
        self.text.replace_range(start..end, new);
    }

    /// The completion items at `offset`.
    fn complete(&mut self, offset: usize) -> Vec<Value> {
        let result = self.client.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": self.position(offset)}),
        );
        result["items"].as_array().cloned().unwrap_or_default()
    }

    /// Accepts the item labelled `label` at `offset`, typing `fills` into its
    /// placeholders (see [`fill`]).
    fn accept(&mut self, offset: usize, label: &str, fills: &[(&str, &str)]) {
        let items = self.complete(offset);
        let Some(item) = items.iter().find(|i| i["label"] == label) else {
            let labels: Vec<&Value> = items.iter().map(|i| &i["label"]).collect();
            panic!("no {label:?} at {offset} in {labels:?}\n{}", self.text);
        };
        let edit = &item["textEdit"];
        let start = self.offset(&edit["range"]["start"]);
        let end = self.offset(&edit["range"]["end"]);
        let new = edit["newText"].as_str().unwrap_or_default();
        let new = if item["insertTextFormat"] == 2 {
            fill(new, fills)
        } else {
            new.to_string()
        };
        // Like a snippet engine: unless the item says `asIs`, later lines get the
        // indentation of the cursor line (VS Code, Neovim's `vim.snippet`).
        let new = if item["insertTextFormat"] == 2 && item["insertTextMode"] != 1 {
            let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = self.text[line_start..start]
                .chars()
                .take_while(|c| *c == ' ')
                .collect();
            new.replace('\n', &format!("\n{indent}"))
        } else {
            new
        };
        self.edit(start, end, &new);
    }

    fn diagnostics(&mut self) -> Vec<Value> {
        self.client.diagnostics(URI, Some(self.version))
    }
}

/// The snippet's text once the placeholders are filled: at its first appearance, a
/// placeholder whose default is the first unused `(default, text)` of `fills` with that
/// default gets `text` (and its mirrors with it); the others keep their defaults.
fn fill(snippet: &str, fills: &[(&str, &str)]) -> String {
    let mut used = vec![false; fills.len()];
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    let mut rest = snippet;
    while let Some(i) = rest.find("${") {
        // An escaped `\${` is text.
        if rest[..i].ends_with('\\') {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
            continue;
        }
        out.push_str(&rest[..i]);
        let body_start = i + 2;
        let Some(close) = rest[body_start..].find('}') else {
            break;
        };
        let inner = &rest[body_start..body_start + close];
        match inner.split_once(':') {
            Some((n, default)) if seen.insert(n.to_string()) => {
                let text = fills
                    .iter()
                    .enumerate()
                    .find(|(k, (d, _))| !used[*k] && *d == default)
                    .map(|(k, (_, t))| {
                        used[k] = true;
                        t.replace('$', "\\$").replace('}', "\\}")
                    })
                    .unwrap_or_else(|| default.to_string());
                out.push_str(&format!("${{{n}:{text}}}"));
            }
            _ => out.push_str(&format!("${{{inner}}}")),
        }
        rest = &rest[body_start + close + 1..];
    }
    out.push_str(rest);
    apigw_lsp::analysis::features::snippet_text(&out)
}

#[test]
fn fill_types_into_placeholders_and_their_mirrors() {
    assert_eq!(
        fill(
            "${1:A}x ${2:R} ${2} ${3:R} \\${${1}}",
            &[("A", "Bus"), ("R", "$p"), ("R", "q")]
        ),
        "Busx $p $p q ${Bus}"
    );
}

#[test]
fn the_eventbridge_example_by_completion_only() {
    let mut editor = Editor::open("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  \n");
    assert!(editor.diagnostics().is_empty());
    // 1. At the level of resources, the EventBridge scaffold: the bus, the role, the
    //    integration, the route, and (the template has none) the API with its stage.
    let at = editor.text.len() - 1;
    editor.accept(
        at,
        "EventBridge-PutEvents integration",
        &[
            ("EventBus", "ApplicationEventBus"),
            ("events", "orders"),
            ("PutEvents", "EventBridge"),
            ("REPLACE_ME", "$request.path.detailType"),
            ("REPLACE_ME", "$request.path.source"),
            ("POST /put-events", "POST /{source}/{detailType}"),
        ],
    );
    let diagnostics = editor.diagnostics();
    assert!(diagnostics.is_empty(), "{diagnostics:?}\n{}", editor.text);
    // 2. A timeout on the integration, by property name: a new line under its
    //    `Properties`, the name accepted, the value typed.
    let anchor =
        "  EventBridgeIntegration:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n";
    let Some(props) = editor.text.find(anchor).map(|i| i + anchor.len()) else {
        panic!("no integration in\n{}", editor.text);
    };
    editor.edit(props, props, "      \n");
    editor.accept(props + 6, "TimeoutInMillis", &[]);
    let value = props + "      TimeoutInMillis: ".len();
    assert_eq!(&editor.text[props..value], "      TimeoutInMillis: ");
    editor.edit(value, value, "10000");
    // 3. The payload goes to `Detail` as the caller sent it: the value by expression
    //    completion, `$request.` then `body`.
    let detail = editor
        .text
        .find("        Detail: $request.body\n")
        .map(|i| i + "        Detail: ".len())
        .unwrap_or_else(|| panic!("no Detail in\n{}", editor.text));
    let end = detail + "$request.body".len();
    editor.edit(detail, end, "");
    editor.accept(detail, "$request.", &[]);
    editor.accept(detail + "$request.".len(), "body", &[]);
    let diagnostics = editor.diagnostics();
    assert!(diagnostics.is_empty(), "{diagnostics:?}\n{}", editor.text);
    for line in [
        "  ApplicationEventBus:\n    Type: AWS::Events::EventBus\n    Properties:\n      Name: orders\n",
        "  HttpApi:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      Name: HttpApi\n      ProtocolType: HTTP\n",
        "      RouteKey: POST /{source}/{detailType}\n",
        "      Target: !Sub integrations/${EventBridgeIntegration}\n",
        "      CredentialsArn: !GetAtt EventBridgeRole.Arn\n",
        "        DetailType: $request.path.detailType\n        Source: $request.path.source\n        EventBusName: !Ref ApplicationEventBus\n",
        "      TimeoutInMillis: 10000\n",
        "                Action: events:PutEvents\n                Resource: !GetAtt ApplicationEventBus.Arn\n",
        "            Principal:\n              Service: apigateway.amazonaws.com\n            Action: sts:AssumeRole\n",
    ] {
        assert!(
            editor.text.contains(line),
            "{line:?} missing from\n{}",
            editor.text
        );
    }
    // The same text through `check`: no finding either.
    let dir = std::env::temp_dir().join(format!("apigw-authoring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("template.yaml");
    std::fs::write(&file, &editor.text).expect("write template");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_apigw-lsp"))
        .arg("check")
        .arg(&file)
        .output()
        .expect("run check");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(editor.client.shutdown().success());
}
