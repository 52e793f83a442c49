//! End-to-end tests of `apigw-lsp check`, driving the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use apigw_lsp::rules::{RULES, Severity};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_apigw-lsp");

/// The workspace root, where `examples/` lives.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("workspace root")
}

const EXAMPLE: &str = "examples/orders-api.yaml";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .env_remove("RUST_LOG")
        .output()
        .expect("run apigw-lsp");
    Run {
        code: status.code().expect("exit code (not killed by a signal)"),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(&root(), args)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "apigw-lsp-cli-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const CLEAN_YAML: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      ProtocolType: HTTP
  Queue:
    Type: AWS::SQS::Queue
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: "1.0"
      CredentialsArn: arn:aws:iam::123456789012:role/api
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: $request.body
"#;

const CLEAN_JSON: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Resources": {
    "Api": {
      "Type": "AWS::ApiGatewayV2::Api",
      "Properties": { "Name": "orders", "ProtocolType": "HTTP" }
    },
    "Queue": { "Type": "AWS::SQS::Queue" },
    "Send": {
      "Type": "AWS::ApiGatewayV2::Integration",
      "Properties": {
        "ApiId": { "Ref": "Api" },
        "IntegrationType": "AWS_PROXY",
        "IntegrationSubtype": "SQS-SendMessage",
        "PayloadFormatVersion": "1.0",
        "CredentialsArn": "arn:aws:iam::123456789012:role/api",
        "RequestParameters": {
          "QueueUrl": { "Ref": "Queue" },
          "MessageBody": "$request.body"
        }
      }
    }
  }
}
"#;

/// One error: a misspelt subtype.
const BAD_YAML: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Publish:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: api
      IntegrationType: AWS_PROXY
      IntegrationSubtype: EventBridge-PutEvent
      PayloadFormatVersion: "1.0"
      CredentialsArn: arn:aws:iam::123456789012:role/api
      RequestParameters:
        Source: com.example.orders
        DetailType: OrderPlaced
        Detail: $request.body
"#;

/// Only a warning: a bare expression after static text.
const WARNING_YAML: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Publish:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: api
      IntegrationType: AWS_PROXY
      IntegrationSubtype: EventBridge-PutEvents
      PayloadFormatVersion: "1.0"
      CredentialsArn: arn:aws:iam::123456789012:role/api
      RequestParameters:
        Source: com.example.$request.path.source
        DetailType: OrderPlaced
        Detail: $request.body
"#;

/// The 1-based line and column (in UTF-16 code units) of the first `needle` on the
/// first line containing `line_with`.
fn locate(text: &str, line_with: &str, needle: &str) -> (usize, usize) {
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(line_with))
        .unwrap_or_else(|| panic!("no line with {line_with:?}"));
    let byte = line.find(needle).expect("needle on the line");
    (index + 1, line[..byte].encode_utf16().count() + 1)
}

// ---------------------------------------------------------------------------
// arguments

#[test]
fn version_and_help_exit_zero() {
    let version = run(&["--version"]);
    assert_eq!(version.code, 0, "{}", version.stderr);
    assert_eq!(
        version.stdout.trim(),
        format!("apigw-lsp {}", env!("CARGO_PKG_VERSION"))
    );

    let help = run(&["--help"]);
    assert_eq!(help.code, 0, "{}", help.stderr);
    assert!(help.stdout.contains("apigw-lsp check"), "{}", help.stdout);

    let check_help = run(&["check", "--help"]);
    assert_eq!(check_help.code, 0, "{}", check_help.stderr);
    assert!(check_help.stdout.contains("--format text|json|sarif"));
    assert!(check_help.stdout.contains("Exit code"));
}

#[test]
fn usage_errors_exit_two_with_a_message_on_stderr() {
    let cases: &[(&[&str], &str)] = &[
        (&["check", "--bogus", EXAMPLE], "unknown option `--bogus`"),
        (&["check"], "no files given"),
        (&["check", "--format", "xml", EXAMPLE], "--format takes"),
        (&["check", "--format=xml", EXAMPLE], "--format takes"),
        (&["check", EXAMPLE, "--format"], "--format takes"),
        (&["check", "no/such/template.yaml"], "no/such/template.yaml"),
        (&["frobnicate"], "unknown argument `frobnicate`"),
    ];
    for (args, message) in cases {
        let out = run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(message),
            "{args:?}: stderr lacks {message:?}:\n{}",
            out.stderr
        );
        assert!(out.stdout.is_empty(), "{args:?}: stdout {:?}", out.stdout);
    }
    // Usage mistakes (not I/O ones) show the usage line.
    assert!(run(&["check"]).stderr.contains("usage: apigw-lsp check"));
}

// ---------------------------------------------------------------------------
// text

#[test]
fn text_format_reports_path_line_col_severity_code_message() {
    let out = run(&["check", EXAMPLE]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let text = std::fs::read_to_string(root().join(EXAMPLE)).expect("example");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(lines.len() >= 5, "{}", out.stdout);

    let (line, col) = locate(
        &text,
        "IntegrationSubtype: EventBridge-PutEvent",
        "EventBridge-PutEvent",
    );
    let expected = format!(
        "{EXAMPLE}:{line}:{col}: error[unknown-subtype] `EventBridge-PutEvent` is not an integration subtype; did you mean `EventBridge-PutEvents`?"
    );
    assert!(
        lines.contains(&expected.as_str()),
        "{expected}\n{}",
        out.stdout
    );

    let (line, col) = locate(&text, "queueUrl: !Ref", "queueUrl");
    let expected = format!(
        "{EXAMPLE}:{line}:{col}: error[unknown-parameter] SQS-SendMessage has no parameter `queueUrl`; did you mean `QueueUrl`?"
    );
    assert!(
        lines.contains(&expected.as_str()),
        "{expected}\n{}",
        out.stdout
    );

    // The range is the variable's name, after `$context.`.
    let (line, col) = locate(&text, "TraceHeader: $context.requestid", "requestid");
    let expected = format!(
        "{EXAMPLE}:{line}:{col}: error[unknown-context-variable] `$context.requestid` is not an HTTP API context variable; did you mean `$context.requestId`?"
    );
    assert!(
        lines.contains(&expected.as_str()),
        "{expected}\n{}",
        out.stdout
    );

    // Every line has the shape `path:line:col: severity[code] message`.
    for l in &lines {
        let rest = l
            .strip_prefix(&format!("{EXAMPLE}:"))
            .unwrap_or_else(|| panic!("{l}"));
        let mut parts = rest.splitn(3, ':');
        let line: usize = parts.next().and_then(|s| s.parse().ok()).expect(l);
        let col: usize = parts.next().and_then(|s| s.parse().ok()).expect(l);
        assert!(line >= 1 && col >= 1, "{l}");
        let tail = parts.next().expect(l).strip_prefix(' ').expect(l);
        let (severity, tail) = tail.split_once('[').expect(l);
        assert!(Severity::parse(severity).is_some(), "{l}");
        let (code, message) = tail.split_once("] ").expect(l);
        assert!(RULES.iter().any(|r| r.code == code), "{l}");
        assert!(!message.is_empty(), "{l}");
    }
}

// ---------------------------------------------------------------------------
// JSON

#[test]
fn json_format_is_an_array_of_located_findings() {
    let out = run(&["check", "--format", "json", EXAMPLE]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let reports = json(&out.stdout);
    let reports = reports.as_array().expect("an array");
    assert!(!reports.is_empty());
    for r in reports {
        assert_eq!(r["file"], EXAMPLE, "{r}");
        let code = r["code"].as_str().expect("code");
        assert!(RULES.iter().any(|rule| rule.code == code), "{r}");
        assert!(
            Severity::parse(r["severity"].as_str().expect("severity")).is_some(),
            "{r}"
        );
        assert!(!r["message"].as_str().expect("message").is_empty(), "{r}");
        let (start, end) = (&r["range"]["start"], &r["range"]["end"]);
        for pos in [start, end] {
            assert!(pos["line"].is_u64() && pos["character"].is_u64(), "{r}");
        }
        let key = |p: &Value| (p["line"].as_u64(), p["character"].as_u64());
        assert!(key(start) <= key(end), "{r}");
    }
    // Zero-based: the text format's 68:27 is line 67, character 26 here.
    let text = std::fs::read_to_string(root().join(EXAMPLE)).expect("example");
    let (line, col) = locate(
        &text,
        "IntegrationSubtype: EventBridge-PutEvent",
        "EventBridge-PutEvent",
    );
    let subtype = reports
        .iter()
        .find(|r| r["code"] == "unknown-subtype")
        .expect("an unknown-subtype finding");
    assert_eq!(subtype["severity"], "error");
    assert_eq!(subtype["range"]["start"]["line"], line - 1);
    assert_eq!(subtype["range"]["start"]["character"], col - 1);
    assert_eq!(subtype["range"]["end"]["line"], line - 1);
    assert_eq!(
        subtype["range"]["end"]["character"],
        col - 1 + "EventBridge-PutEvent".len()
    );
}

#[test]
fn json_columns_count_utf16_code_units() {
    let dir = TempDir::new("utf16");
    // An emoji (4 bytes, 2 UTF-16 units, 1 char) and CJK (3 bytes, 1 unit each)
    // before the finding on the same line.
    let template = BAD_YAML.replace(
        "      RequestParameters:\n        Source: com.example.orders\n        DetailType: OrderPlaced\n        Detail: $request.body\n",
        "      RequestParameters: { Source: \"🚀 注文\", DetailType: \"注文\", Detail: $request.body, TraceHeader: $context.requestid }\n",
    );
    assert_ne!(template, BAD_YAML);
    dir.write("unicode.yaml", &template);
    let out = run_in(dir.path(), &["check", "--format", "json", "unicode.yaml"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let reports = json(&out.stdout);
    let finding = reports
        .as_array()
        .expect("array")
        .iter()
        .find(|r| r["code"] == "unknown-context-variable")
        .unwrap_or_else(|| panic!("no unknown-context-variable finding:\n{}", out.stdout));

    // The finding covers the variable's name, after `$context.`.
    let (line, col) = locate(&template, "TraceHeader", "requestid");
    let line_text = template.lines().nth(line - 1).expect("line");
    let byte = line_text.find("requestid").expect("value");
    let chars = line_text[..byte].chars().count();
    let utf16 = col - 1;
    assert!(
        utf16 != byte && utf16 != chars,
        "the line must tell them apart"
    );
    assert_eq!(finding["range"]["start"]["line"], line - 1);
    assert_eq!(finding["range"]["start"]["character"], utf16, "{finding}");
    assert_eq!(finding["range"]["end"]["line"], line - 1);
    assert_eq!(
        finding["range"]["end"]["character"],
        utf16 + "requestid".len(),
        "{finding}"
    );

    // The text format's column is the same count, one-based.
    let out = run_in(dir.path(), &["check", "unicode.yaml"]);
    assert!(
        out.stdout.contains(&format!(
            "unicode.yaml:{line}:{col}: error[unknown-context-variable]"
        )),
        "{}",
        out.stdout
    );
}

// ---------------------------------------------------------------------------
// SARIF

fn level_of(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

#[test]
fn sarif_has_the_tool_rules_and_located_results_code_scanning_needs() {
    let out = run(&["check", "--format", "sarif", EXAMPLE]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let log = json(&out.stdout);
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://")),
        "{}",
        log["$schema"]
    );
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run0 = &runs[0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "apigw-lsp");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    assert_eq!(ids, codes);
    for (rule, info) in rules.iter().zip(RULES) {
        for field in ["shortDescription", "fullDescription", "help"] {
            assert!(
                rule[field]["text"]
                    .as_str()
                    .is_some_and(|t| !t.trim().is_empty()),
                "{}: {field}.text",
                info.code
            );
        }
        assert_eq!(rule["shortDescription"]["text"], info.summary);
        assert!(rule["help"]["markdown"].is_string(), "{}", info.code);
        assert_eq!(
            rule["defaultConfiguration"]["level"],
            level_of(info.severity),
            "{}",
            info.code
        );
    }

    let results = run0["results"].as_array().expect("results");
    let reports = json(&run(&["check", "--format", "json", EXAMPLE]).stdout);
    let reports = reports.as_array().expect("array");
    assert_eq!(results.len(), reports.len());
    for (result, report) in results.iter().zip(reports) {
        let rule_id = result["ruleId"].as_str().expect("ruleId");
        assert_eq!(rule_id, report["code"]);
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], rule_id, "ruleIndex points at its rule");
        let severity = Severity::parse(report["severity"].as_str().expect("severity"));
        assert_eq!(result["level"], level_of(severity.expect("severity")));
        assert_eq!(result["message"]["text"], report["message"]);

        let locations = result["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1);
        let physical = &locations[0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().expect("uri");
        assert_eq!(uri, EXAMPLE, "relative to the repository root, with /");
        let region = &physical["region"];
        let start = &report["range"]["start"];
        let end = &report["range"]["end"];
        let one_based = |v: &Value| v.as_u64().expect("number") + 1;
        assert_eq!(
            region["startLine"].as_u64(),
            Some(one_based(&start["line"]))
        );
        assert_eq!(
            region["startColumn"].as_u64(),
            Some(one_based(&start["character"]))
        );
        assert_eq!(region["endLine"].as_u64(), Some(one_based(&end["line"])));
        assert_eq!(
            region["endColumn"].as_u64(),
            Some(one_based(&end["character"]))
        );
    }
    assert!(results.iter().any(|r| r["ruleId"] == "unknown-subtype"));
}

#[test]
fn sarif_uris_are_relative_with_forward_slashes_or_absolute_file_uris() {
    let dir = TempDir::new("sarif uris");
    dir.write("nested dir/bad.yaml", BAD_YAML);

    let uri_of = |out: &Run| -> String {
        let log = json(&out.stdout);
        let results = log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .clone();
        assert_eq!(results.len(), 1, "{}", out.stdout);
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri")
            .to_string()
    };

    let out = run_in(
        dir.path(),
        &["check", "--format", "sarif", "./nested dir/bad.yaml"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(uri_of(&out), "nested%20dir/bad.yaml");

    // A folder argument: the walked file is named under it, with forward slashes.
    let out = run_in(dir.path(), &["check", "--format", "sarif", "."]);
    assert_eq!(uri_of(&out), "nested%20dir/bad.yaml");

    let absolute = dir.path().join("nested dir").join("bad.yaml");
    let absolute = absolute.to_str().expect("UTF-8 temp path");
    let out = run_in(dir.path(), &["check", "--format", "sarif", absolute]);
    let uri = uri_of(&out);
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(uri.ends_with("/nested%20dir/bad.yaml"), "{uri}");
    assert!(!uri.contains('\\') && !uri.contains(' '), "{uri}");
}

#[test]
fn sarif_without_findings_still_describes_the_tool() {
    let dir = TempDir::new("sarif-clean");
    dir.write("clean.yaml", CLEAN_YAML);
    let out = run_in(dir.path(), &["check", "--format", "sarif", "clean.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let log = json(&out.stdout);
    assert_eq!(log["runs"][0]["results"], Value::Array(Vec::new()));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .map(Vec::len),
        Some(RULES.len())
    );
}

// ---------------------------------------------------------------------------
// folders, encodings, exit codes

#[test]
fn folder_walk_checks_templates_and_skips_hidden_folders_and_other_files() {
    let dir = TempDir::new("walk");
    dir.write("templates/api.yaml", BAD_YAML);
    dir.write("templates/clean.json", CLEAN_JSON);
    dir.write(".git/bad.yaml", BAD_YAML);
    dir.write("node_modules/pkg/bad.yaml", BAD_YAML);
    dir.write("README.md", BAD_YAML);
    dir.write(
        "docker-compose.yml",
        "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n    environment:\n      IntegrationSubtype: EventBridge-PutEvent\n",
    );

    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    let reports = json(&out.stdout);
    let reports = reports.as_array().expect("array");
    let files: Vec<&str> = reports
        .iter()
        .map(|r| r["file"].as_str().expect("file"))
        .collect();
    assert!(!files.is_empty());
    assert!(
        files.iter().all(|f| f.ends_with("templates/api.yaml")),
        "{files:?}"
    );
    assert!(reports.iter().all(|r| r["code"] == "unknown-subtype"));

    // Without the one bad template, the walk is clean: nothing under .git,
    // node_modules or in the README counts.
    std::fs::remove_file(dir.path().join("templates/api.yaml")).expect("remove");
    let out = run_in(dir.path(), &["check", "."]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");

    // The non-template YAML on its own produces nothing either.
    let out = run_in(dir.path(), &["check", "docker-compose.yml"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
}

#[test]
fn invalid_utf8_is_reported_by_name_and_the_other_files_still_checked() {
    let dir = TempDir::new("utf8");
    let mut bytes = b"AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: caf".to_vec();
    bytes.extend([0xE9, 0xFF]);
    bytes.extend(b"\nResources: {}\n");
    dir.write("a-latin1.yaml", &bytes);
    dir.write("b-bad.yaml", BAD_YAML);

    let out = run_in(dir.path(), &["check", "."]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("a-latin1.yaml"), "{}", out.stderr);
    assert!(out.stderr.contains("not valid UTF-8"), "{}", out.stderr);
    assert!(
        out.stdout.contains("b-bad.yaml:") && out.stdout.contains("error[unknown-subtype]"),
        "{}",
        out.stdout
    );

    // The JSON output stays valid JSON on stdout.
    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(out.code, 2);
    assert_eq!(json(&out.stdout).as_array().map(Vec::len), Some(1));
}

#[test]
fn clean_templates_exit_zero_and_print_nothing() {
    let dir = TempDir::new("clean");
    dir.write("clean.yaml", CLEAN_YAML);
    dir.write("clean.json", CLEAN_JSON);
    let out = run_in(dir.path(), &["check", "clean.yaml", "clean.json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "");

    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json(&out.stdout), Value::Array(Vec::new()));
}

#[test]
fn warnings_alone_exit_zero() {
    let dir = TempDir::new("warning");
    dir.write("warn.yaml", WARNING_YAML);
    let out = run_in(dir.path(), &["check", "warn.yaml"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let line = locate(WARNING_YAML, "Source:", "com.example").0;
    assert!(
        out.stdout.starts_with(&format!("warn.yaml:{line}:"))
            && out
                .stdout
                .contains(": warning[bare-expression-after-text] "),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(": error["), "{}", out.stdout);

    // With an error next to it, the exit code is 1.
    dir.write("bad.yaml", BAD_YAML);
    let out = run_in(dir.path(), &["check", "warn.yaml", "bad.yaml"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
}

// ---------------------------------------------------------------------------
// configuration and suppression

#[test]
fn ignore_flag_drops_a_code() {
    let dir = TempDir::new("ignore");
    dir.write("bad.yaml", BAD_YAML);
    let out = run_in(
        dir.path(),
        &["check", "--ignore", "unknown-subtype", "bad.yaml"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains("unknown-subtype"), "{}", out.stdout);

    let out = run_in(
        dir.path(),
        &["check", "--ignore", "no-such-code", "bad.yaml"],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("no-such-code"), "{}", out.stderr);
}

#[test]
fn severity_flag_turns_an_error_into_a_warning() {
    let dir = TempDir::new("severity");
    dir.write("bad.yaml", BAD_YAML);
    let out = run_in(dir.path(), &["check", "bad.yaml"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let out = run_in(
        dir.path(),
        &["check", "--severity", "unknown-subtype=warning", "bad.yaml"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(": warning[unknown-subtype] "),
        "{}",
        out.stdout
    );
    let out = run_in(
        dir.path(),
        &["check", "--severity", "unknown-subtype", "bad.yaml"],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
}

#[test]
fn config_file_sets_severities() {
    let dir = TempDir::new("config");
    dir.write("bad.yaml", BAD_YAML);
    dir.write(
        "settings.toml",
        "# project settings\n[severity]\nunknown-subtype = \"hint\" # for now\nno-such-code = \"off\"\n",
    );
    let out = run_in(
        dir.path(),
        &["check", "--config", "settings.toml", "bad.yaml"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(": hint[unknown-subtype] "),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("no-such-code"), "{}", out.stderr);

    // Flags win over the file.
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--config=settings.toml",
            "--severity=unknown-subtype=error",
            "bad.yaml",
        ],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);

    // The current directory's .apigw-lsp.toml is read without --config.
    dir.write(".apigw-lsp.toml", "[severity]\nunknown-subtype = \"off\"\n");
    let out = run_in(dir.path(), &["check", "bad.yaml"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");

    let out = run_in(
        dir.path(),
        &["check", "--config", "missing.toml", "bad.yaml"],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
}

#[test]
fn inline_comments_suppress_findings() {
    let dir = TempDir::new("inline");
    let trailing = BAD_YAML.replace(
        "IntegrationSubtype: EventBridge-PutEvent\n",
        "IntegrationSubtype: EventBridge-PutEvent # apigw-lsp: ignore[unknown-subtype]\n",
    );
    assert_ne!(trailing, BAD_YAML);
    dir.write("trailing.yaml", &trailing);
    let above = BAD_YAML.replace(
        "      IntegrationSubtype: EventBridge-PutEvent\n",
        "      # apigw-lsp: ignore\n      IntegrationSubtype: EventBridge-PutEvent\n",
    );
    dir.write("above.yaml", &above);
    let other = BAD_YAML.replace(
        "IntegrationSubtype: EventBridge-PutEvent\n",
        "IntegrationSubtype: EventBridge-PutEvent # apigw-lsp: ignore[missing-credentials]\n",
    );
    dir.write("other.yaml", &other);
    let out = run_in(dir.path(), &["check", "trailing.yaml", "above.yaml"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    let out = run_in(dir.path(), &["check", "other.yaml"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("unknown-subtype"), "{}", out.stdout);
}

#[test]
fn resource_metadata_suppresses_findings_in_json() {
    let dir = TempDir::new("metadata");
    let template = |metadata: &str| {
        format!(
            r#"{{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {{"Put": {{
  "Type": "AWS::ApiGatewayV2::Integration",{metadata}
  "Properties": {{"IntegrationType": "AWS_PROXY", "IntegrationSubtype": "EventBridge-PutEvent",
    "PayloadFormatVersion": "1.0", "CredentialsArn": {{"Fn::GetAtt": ["Role", "Arn"]}}}}}},
  "Role": {{"Type": "AWS::IAM::Role"}}}}}}"#
        )
    };
    dir.write("plain.json", template(""));
    dir.write(
        "ignored.json",
        template(r#" "Metadata": {"apigw-lsp": {"ignore": ["unknown-subtype"]}},"#),
    );
    let out = run_in(dir.path(), &["check", "plain.json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("unknown-subtype"), "{}", out.stdout);
    let out = run_in(dir.path(), &["check", "ignored.json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
}
