//! The docs that list diagnostics are generated from the rules; this keeps them current.
//! Run `UPDATE_DOCS=1 cargo test --test docs` after changing a rule's documentation.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

const START: &str = "<!-- rules:start -->\n";
const END: &str = "<!-- rules:end -->";

#[test]
fn diagnostics_md_is_current() {
    let path = root().join("docs/diagnostics.md");
    let expected = apigw_lsp::rules::docs::diagnostics_md();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(root().join("docs")).expect("mkdir docs");
        std::fs::write(&path, &expected).expect("write docs");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/diagnostics.md is stale: run UPDATE_DOCS=1 cargo test --test docs"
    );
}

#[test]
fn readme_table_is_current() {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README.md");
    let table = apigw_lsp::rules::docs::table();
    let (Some(start), Some(end)) = (readme.find(START), readme.find(END)) else {
        panic!("README.md lacks the {START:?} ... {END:?} markers");
    };
    let current = &readme[start + START.len()..end];
    if current != table && std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!("{}{START}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).expect("write README");
        return;
    }
    assert!(
        current == table,
        "README.md rule table is stale: run UPDATE_DOCS=1 cargo test --test docs"
    );
}

#[test]
fn every_rule_is_documented_and_unique() {
    let mut codes: Vec<&str> = apigw_lsp::rules::RULES.iter().map(|r| r.code).collect();
    for rule in apigw_lsp::rules::RULES {
        assert!(
            !rule.summary.is_empty()
                && !rule.explanation.is_empty()
                && !rule.example.is_empty()
                && !rule.fix.is_empty(),
            "{}",
            rule.code
        );
        assert!(
            rule.code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            rule.code
        );
    }
    codes.sort();
    let len = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), len, "duplicate rule codes");
}

/// Turns a rule's documented example into a template: whole documents stay as they
/// are, resources go under `Resources:`, and integration properties into an
/// `AWS::ApiGatewayV2::Integration`.
fn example_template(example: &str) -> String {
    let indent = |text: &str, by: usize| -> String {
        text.lines()
            .map(|l| format!("{}{l}\n", " ".repeat(by)))
            .collect()
    };
    let first = example.lines().next().unwrap_or("");
    let second = example.lines().nth(1).unwrap_or("");
    if first.starts_with('{')
        || [
            "openapi",
            "swagger",
            "Resources:",
            "Transform:",
            "AWSTemplateFormatVersion",
        ]
        .iter()
        .any(|k| first.starts_with(k))
    {
        example.to_string()
    } else if first.ends_with(':') && second.trim_start().starts_with("Type:") {
        format!("Resources:\n{}", indent(example, 2))
    } else {
        format!(
            "Resources:\n  Integration:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n{}",
            indent(example, 6)
        )
    }
}

#[test]
fn every_documented_example_shows_its_rule() {
    let mut failures = Vec::new();
    for rule in apigw_lsp::rules::RULES {
        let text = example_template(rule.example);
        let language = if text.trim_start().starts_with('{') {
            apigw_lsp::syntax::Language::Json
        } else {
            apigw_lsp::syntax::Language::Yaml
        };
        let codes: Vec<&str> = if matches!(rule.check, apigw_lsp::rules::Check::Workspace) {
            workspace_codes(&text)
        } else {
            let doc = apigw_lsp::document::Document::new(&text, language, 0);
            apigw_lsp::analysis::analyze(&doc)
                .iter()
                .map(|f| f.code)
                .collect()
        };
        if !codes.contains(&rule.code) {
            failures.push(format!("{}: got {codes:?} from\n{text}", rule.code));
        }
    }
    assert!(
        failures.is_empty(),
        "documented examples that do not show their rule:\n{}",
        failures.join("\n")
    );
}

/// Every Terraform example, checked by `check` on a `.tf` file of its own in a scratch
/// repository, reports its rule's code. A rule with no Terraform example is one that
/// does not fire on Terraform; the docs say so.
#[test]
fn every_terraform_example_shows_its_rule() {
    let dir = std::env::temp_dir().join(format!("apigw-docs-terraform-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).expect("scratch repository");
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in apigw_lsp::rules::RULES {
        if rule.terraform_example.is_empty() {
            continue;
        }
        // A folder of its own: the `.tf` files of one folder are one module.
        let folder = dir.join(rule.code);
        std::fs::create_dir_all(&folder).expect("example folder");
        let path = folder.join("main.tf");
        std::fs::write(&path, format!("{}\n", rule.terraform_example)).expect("example.tf");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let args = ["--format", "json", &path.to_string_lossy()].map(str::to_string);
        apigw_lsp::cli::run(&args, &mut out, &mut err);
        let found: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        let codes: Vec<&str> = found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f["code"].as_str())
            .collect();
        if !codes.contains(&rule.code) {
            failures.push(format!(
                "{}: got {codes:?} ({}) from\n{}",
                rule.code,
                String::from_utf8_lossy(&err),
                rule.terraform_example
            ));
        }
        checked += 1;
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "Terraform examples that do not show their rule:\n{}",
        failures.join("\n")
    );
    assert!(checked >= 40, "only {checked} Terraform examples");
}

/// The codes `check` finds on a template in a repository of its own, next to an
/// `api.yaml` that uses an intrinsic function (the file the examples of the rules about
/// links include).
fn workspace_codes(template: &str) -> Vec<&'static str> {
    let dir = std::env::temp_dir().join(format!("apigw-docs-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join(".git")).expect("scratch repository");
    std::fs::write(dir.join("template.yaml"), template).expect("template");
    std::fs::write(
        dir.join("api.yaml"),
        "openapi: 3.0.1\npaths:\n  /orders:\n    post:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        integrationSubtype: SQS-SendMessage\n        payloadFormatVersion: '1.0'\n        credentials: {Fn::GetAtt: [Role, Arn]}\n        requestParameters:\n          QueueUrl: https://sqs.us-east-1.amazonaws.com/1/q\n          MessageBody: $request.body\n",
    )
    .expect("api.yaml");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = ["--format", "json", &dir.to_string_lossy()].map(str::to_string);
    apigw_lsp::cli::run(&args, &mut out, &mut err);
    let _ = std::fs::remove_dir_all(&dir);
    let found: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
    apigw_lsp::rules::RULES
        .iter()
        .map(|r| r.code)
        .filter(|code| {
            found
                .as_array()
                .is_some_and(|a| a.iter().any(|f| f["code"] == *code))
        })
        .collect()
}

/// The end of the JSON value that starts at `text[start]` (strings may hold braces).
fn json_value_end(text: &str, start: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in text[start..].char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(start + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[test]
fn vscode_severity_settings_are_generated_from_the_rules() {
    let path = root().join("editors/vscode/package.json");
    let text = std::fs::read_to_string(&path).expect("editors/vscode/package.json");
    let expected = apigw_lsp::rules::docs::vscode_severity_setting();
    let manifest: serde_json::Value = serde_json::from_str(&text).expect("package.json is JSON");
    let actual = &manifest["contributes"]["configuration"]["properties"]["apigwLsp.severity"];
    if *actual == expected {
        return;
    }
    assert!(
        std::env::var_os("UPDATE_DOCS").is_some(),
        "editors/vscode/package.json's apigwLsp.severity is stale: run UPDATE_DOCS=1 cargo test --test docs"
    );
    let key = "\"apigwLsp.severity\": ";
    let at = text.find(key).expect("the apigwLsp.severity property") + key.len();
    let end = json_value_end(&text, at).expect("its value ends");
    let indent = text[..at]
        .rsplit('\n')
        .next()
        .map_or(0, |line| line.len() - line.trim_start().len());
    let pretty = serde_json::to_string_pretty(&expected).expect("serialise");
    let value = pretty.replace('\n', &format!("\n{}", " ".repeat(indent)));
    let updated = format!("{}{value}{}", &text[..at], &text[end..]);
    std::fs::write(&path, updated).expect("write package.json");
}
