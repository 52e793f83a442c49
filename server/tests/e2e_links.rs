//! The server links an open OpenAPI file with the template that includes it (on disk
//! or open), and analyses it again when that template changes.

mod common;

use std::path::{Path, PathBuf};

use common::{Client, codes};
use serde_json::{Value, json};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apigw-e2e-links-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir.canonicalize().expect("canonical")
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The fixture with `ROLE` left for each test (see `tests/fixtures/links/README.md`).
fn fixture_template() -> String {
    include_str!("../../tests/fixtures/links/template.yaml")
        .replace("LOCATION", "api.yaml")
        .replace("ACTION", "sqs:SendMessage")
}

const API: &str = include_str!("../../tests/fixtures/links/api.yaml");

fn start(root: &Path) -> Client {
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(root), "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    client
}

fn is_diagnostics_of(uri: &str) -> impl Fn(&Value) -> bool + '_ {
    move |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
}

fn next_codes(client: &mut Client, uri: &str) -> Vec<String> {
    let msg = client.wait_for(is_diagnostics_of(uri));
    codes(
        msg["params"]["diagnostics"]
            .as_array()
            .map_or(&[][..], |v| v),
    )
}

/// Reads the publications of `uri` until one satisfies `done` (the workspace scan
/// may publish once more in between); panics after 20.
fn codes_until(client: &mut Client, uri: &str, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..20 {
        let found = next_codes(client, uri);
        if done(&found) {
            return found;
        }
        seen.push(found);
    }
    panic!("{uri}: never satisfied; saw {seen:?}");
}

#[test]
fn an_open_included_file_follows_its_template_on_disk_and_in_the_editor() {
    let dir = scratch("follow");
    std::fs::write(
        dir.join("template.yaml"),
        fixture_template().replace("ROLE", "OtherRole"),
    )
    .expect("template");
    std::fs::write(dir.join("api.yaml"), API).expect("api");
    let api = uri(&dir.join("api.yaml"));
    let template = uri(&dir.join("template.yaml"));
    let mut client = start(&dir);
    client.open(&api, "yaml", API);
    let first = next_codes(&mut client, &api);
    assert!(
        first.contains(&"unresolved-reference".to_string()),
        "{first:?}"
    );

    // The template gains the role on disk: the included file is analysed again.
    std::fs::write(
        dir.join("template.yaml"),
        fixture_template().replace("ROLE", "Role"),
    )
    .expect("template");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": template, "type": 2}]}),
    );
    codes_until(&mut client, &api, |c| c.is_empty());

    // Open in the editor, the buffer wins: renaming the role there reports it in
    // the included file, before anything is saved.
    let text = fixture_template().replace("ROLE", "Role");
    client.open(&template, "yaml", &text);
    let _ = next_codes(&mut client, &template);
    let line = text
        .lines()
        .position(|l| l == "  Role:")
        .expect("role line");
    client.change(
        &template,
        2,
        json!([{"range": {"start": {"line": line, "character": 2}, "end": {"line": line, "character": 6}}, "text": "Renamed"}]),
    );
    codes_until(&mut client, &api, |c| {
        c.contains(&"unresolved-reference".to_string())
    });
    client.shutdown();
}

#[test]
fn a_template_reports_an_include_that_leads_nowhere() {
    let dir = scratch("nowhere");
    let text = fixture_template()
        .replace("ROLE", "Role")
        .replace("api.yaml", "missing.yaml");
    std::fs::write(dir.join("template.yaml"), &text).expect("template");
    let template = uri(&dir.join("template.yaml"));
    let mut client = start(&dir);
    client.open(&template, "yaml", &text);
    let found = next_codes(&mut client, &template);
    assert_eq!(found, vec!["include-not-found".to_string()]);
    client.shutdown();
}

#[test]
fn definition_and_references_cross_files() {
    let dir = scratch("navigate");
    let text = fixture_template().replace("ROLE", "Role");
    std::fs::write(dir.join("template.yaml"), &text).expect("template");
    std::fs::write(dir.join("api.yaml"), API).expect("api");
    let api = uri(&dir.join("api.yaml"));
    let template = uri(&dir.join("template.yaml"));
    let mut client = start(&dir);
    // Only the included file open: from its role to the template on disk.
    client.open(&api, "yaml", API);
    let _ = next_codes(&mut client, &api);
    let line = API
        .lines()
        .position(|l| l.contains("credentials"))
        .expect("line");
    let character = API
        .lines()
        .nth(line)
        .and_then(|l| l.find("Role"))
        .expect("Role");
    let found = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": api}, "position": {"line": line, "character": character + 1}}),
    );
    let role_line = text.lines().position(|l| l == "  Role:").expect("role");
    assert_eq!(found[0]["uri"], template.as_str(), "{found}");
    assert_eq!(found[0]["range"]["start"]["line"], role_line, "{found}");

    // From the template's role to its use in the included file.
    client.open(&template, "yaml", &text);
    let _ = next_codes(&mut client, &template);
    let found = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": template}, "position": {"line": role_line, "character": 3},
               "context": {"includeDeclaration": false}}),
    );
    let uses: Vec<(String, u64)> = found
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    (
                        l["uri"].as_str().unwrap_or_default().to_string(),
                        l["range"]["start"]["line"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(uses.contains(&(api.clone(), line as u64)), "{found}");

    // Two lines added above the role in the template's buffer: the included file is
    // analysed again and its definition follows the role.
    client.change(
        &template,
        2,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                "text": "# one\n# two\n"}]),
    );
    // Asked until the included file was analysed again (after the debounce).
    let mut found = Value::Null;
    for _ in 0..50 {
        found = client.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": api}, "position": {"line": line, "character": character + 1}}),
        );
        if found[0]["range"]["start"]["line"] == role_line + 2 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(found[0]["range"]["start"]["line"], role_line + 2, "{found}");
    client.shutdown();
}

/// The workspace scan finds a template in another folder (no search above the file
/// would) and reports its progress.
#[test]
fn the_workspace_scan_links_files_in_other_folders_with_progress() {
    let dir = scratch("scan");
    std::fs::create_dir_all(dir.join("stack")).expect("stack");
    std::fs::create_dir_all(dir.join("openapi")).expect("openapi");
    std::fs::write(
        dir.join("stack/template.yaml"),
        fixture_template()
            .replace("ROLE", "OtherRole")
            .replace("Location: api.yaml", "Location: ../openapi/api.yaml"),
    )
    .expect("template");
    std::fs::write(dir.join("openapi/api.yaml"), API).expect("api");
    let api = uri(&dir.join("openapi/api.yaml"));
    let mut client = Client::start();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&dir),
               "capabilities": {"window": {"workDoneProgress": true}}}),
    );
    client.notify("initialized", json!({}));
    let create = client.wait_for(|m| m["method"] == "window/workDoneProgress/create");
    client.send(&json!({"jsonrpc": "2.0", "id": create["id"], "result": null}));
    let end =
        client.wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    let message = end["params"]["value"]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("1 template(s) including 1 file(s)"),
        "{message}"
    );
    client.open(&api, "yaml", API);
    // The first publication may come before the scan's links are taken (seen once
    // under a loaded `cargo test`): wait for the linked one.
    let found = codes_until(&mut client, &api, |c| {
        c.contains(&"unresolved-reference".to_string())
    });
    assert!(
        found.contains(&"unresolved-reference".to_string()),
        "{found:?}"
    );
    client.shutdown();
}

#[test]
fn rename_from_an_included_file_changes_the_template_too() {
    let dir = scratch("rename");
    let text = fixture_template().replace("ROLE", "Role");
    std::fs::write(dir.join("template.yaml"), &text).expect("template");
    std::fs::write(dir.join("api.yaml"), API).expect("api");
    let api = uri(&dir.join("api.yaml"));
    let template = uri(&dir.join("template.yaml"));
    let mut client = start(&dir);
    client.open(&api, "yaml", API);
    let _ = next_codes(&mut client, &api);
    let line = API
        .lines()
        .position(|l| l.contains("credentials"))
        .expect("line");
    let character = API
        .lines()
        .nth(line)
        .and_then(|l| l.find("Role"))
        .expect("Role");
    let position = json!({"line": line, "character": character + 1});
    let prepared = client.request(
        "textDocument/prepareRename",
        json!({"textDocument": {"uri": api}, "position": position}),
    );
    assert_eq!(prepared["placeholder"], "Role", "{prepared}");
    let edit = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": api}, "position": position, "newName": "ApiRole"}),
    );
    let in_template = edit["changes"][template.as_str()]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let in_api = edit["changes"][api.as_str()]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let role_line = text.lines().position(|l| l == "  Role:").expect("role");
    assert!(
        in_template
            .iter()
            .any(|e| e["range"]["start"]["line"] == role_line),
        "{edit}"
    );
    assert_eq!(in_api.len(), 1, "{edit}");
    assert!(in_api.iter().all(|e| e["newText"] == "ApiRole"), "{edit}");
    client.shutdown();
}

/// A Terraform module is its folder: an open `.tf` file is analysed with the other
/// `.tf` files beside it, from disk or from their open buffers.
#[test]
fn a_terraform_file_is_analysed_with_its_module() {
    let dir = scratch("terraform-module");
    let queue = "resource \"aws_sqs_queue\" \"main\" {\n  name = \"orders\"\n}\n";
    std::fs::write(dir.join("queue.tf"), queue).expect("queue.tf");
    let api = "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.main.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.main.arn\n    MessageBody = \"$request.body\"\n  }\n}\n";
    std::fs::write(dir.join("api.tf"), api).expect("api.tf");
    let api_uri = uri(&dir.join("api.tf"));
    let queue_uri = uri(&dir.join("queue.tf"));
    let mut client = start(&dir);
    client.open(&api_uri, "terraform", api);
    // The queue is declared in queue.tf: its ARN is not a URL.
    let found = codes_until(&mut client, &api_uri, |c| !c.is_empty());
    assert_eq!(found, ["wrong-reference-kind"]);
    // The queue's buffer wins over its file: renamed there, nothing is known about
    // `aws_sqs_queue.main` and the module may declare it elsewhere.
    client.open(&queue_uri, "terraform", queue);
    client.change(
        &queue_uri,
        2,
        json!([{"text": queue.replace("\"main\"", "\"other\"")}]),
    );
    let found = codes_until(&mut client, &api_uri, <[String]>::is_empty);
    assert!(found.is_empty());
    assert!(client.shutdown().success());
}
