//! End-to-end tests of `apigw-lsp check`, driving the real binary.

mod check_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use apigw_lsp::rules::{RULES, Severity};
use check_support::{Run, TempDir, json, run_env, run_in};
use serde_json::Value;

/// The workspace root, where `examples/` lives.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("workspace root")
}

const EXAMPLE: &str = "examples/orders-api.yaml";

fn run(args: &[&str]) -> Run {
    run_in(&root(), args)
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
    let text = std::fs::read_to_string(root().join(EXAMPLE)).expect("example");
    let lines: Vec<&str> = out.stdout.lines().collect();
    // stderr holds only the summary, which counts what stdout lists.
    let errors = lines.iter().filter(|l| l.contains(": error[")).count();
    let warnings = lines.iter().filter(|l| l.contains(": warning[")).count();
    assert!(errors > 0);
    assert_eq!(
        out.stderr,
        format!(
            "apigw-lsp check: 1 file checked, {errors} errors, {warnings} warning{}\n",
            if warnings == 1 { "" } else { "s" }
        )
    );
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
fn sam_build_output_is_checked_when_named_and_left_out_of_walks() {
    // A real SAM template, and what `sam build` writes of it: the same template with
    // each function's `CodeUri` pointing at its build folder (here with a defect).
    let source = std::fs::read_to_string(
        root().join("tests/corpus/real/sessions-with-aws-sam__sam-or-cdk__sam__template.yaml"),
    )
    .expect("corpus template");
    let built = source
        .replace("CodeUri: lambda/uploadSigner/", "CodeUri: UploadSigner")
        .replace("CodeUri: lambda/downloadSigner/", "CodeUri: DownloadSigner")
        .replace("CodeUri: lambda/fetchShortUrl/", "CodeUri: FetchShortUrl")
        .replace(
            "integrationSubtype: StepFunctions-StartSyncExecution",
            "integrationSubtype: StepFunctions-StartSyncExecutoin",
        );
    assert_ne!(built, source);
    let dir = TempDir::new("sam-build");
    dir.write("template.yaml", &source);
    dir.write(".aws-sam/build/template.yaml", &built);
    dir.write(
        ".aws-sam/build/UploadSigner/app.js",
        "exports.handler = async () => {};\n",
    );
    let walked = run_in(dir.path(), &["check", "."]);
    assert_eq!(
        (walked.code, walked.stdout.as_str()),
        (0, ""),
        "{}",
        walked.stderr
    );
    assert!(
        walked.stderr.contains("1 file checked"),
        "{}",
        walked.stderr
    );
    let named = run_in(dir.path(), &["check", ".aws-sam/build/template.yaml"]);
    assert_eq!(named.code, 1, "{}", named.stderr);
    let (line, col) = locate(&built, "StartSyncExecutoin", "StepFunctions-");
    assert_eq!(
        named.stdout.lines().collect::<Vec<_>>(),
        [format!(
            ".aws-sam/build/template.yaml:{line}:{col}: error[unknown-subtype] `StepFunctions-StartSyncExecutoin` is not an integration subtype; did you mean `StepFunctions-StartSyncExecution`?"
        )],
        "{}",
        named.stderr
    );
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
    assert_eq!(
        out.stderr,
        "apigw-lsp check: 2 files checked, 0 errors, 0 warnings\n"
    );

    // JSON and SARIF keep stderr for problems: no summary there.
    let out = run_in(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(json(&out.stdout), Value::Array(Vec::new()));
    assert_eq!(out.stderr, "");
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

    // An unknown code is a warning, as README says; the check goes on.
    let out = run_in(
        dir.path(),
        &["check", "--ignore", "no-such-code", "bad.yaml"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("--ignore: unknown diagnostic code `no-such-code`; ignored"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("error[unknown-subtype]"),
        "{}",
        out.stdout
    );
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--ignore=no-such-code",
            "--ignore",
            "unknown-subtype",
            "bad.yaml",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("no-such-code"), "{}", out.stderr);
    assert_eq!(out.stdout, "");
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
    // Unknown codes and levels are warnings; the rest of the flags still apply.
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--severity",
            "no-such-code=warning",
            "--severity=missing-credentials=loud",
            "bad.yaml",
        ],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("unknown diagnostic code `no-such-code`")
            && out.stderr.contains("unknown level `loud`"),
        "{}",
        out.stderr
    );
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

/// The summary line `check` ends with in text mode.
fn summary(files: usize, errors: usize, warnings: usize) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    format!(
        "apigw-lsp check: {files} file{} checked, {errors} error{}, {warnings} warning{}",
        s(files),
        s(errors),
        s(warnings)
    )
}

#[test]
fn terraform_files_are_walked_and_checked() {
    // `.tf` files are checked with the templates; a broken one is a syntax error, not a
    // crash; the real ones (a module passing everything through, an OpenAPI body) are
    // clean.
    let dir = TempDir::new("terraform");
    let corpus = root().join("tests/corpus/real/terraform");
    for name in [
        "terraform-aws-apigateway-v2__main.tf",
        "serverless-patterns__apigw-http-eventbridge-terraform__main.tf",
    ] {
        let text = std::fs::read_to_string(corpus.join(name)).expect("corpus file");
        dir.write(&format!("infra/{name}"), text);
    }
    dir.write(
        "infra/broken.tf",
        "resource \"aws_sqs_queue\" \"q\" {\n  name = \"${\n",
    );
    dir.write("warn.yaml", WARNING_YAML);
    let out = run_in(dir.path(), &["check", "."]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("broken.tf:1:1: error[syntax-error]"),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.matches(".tf:").count(), 1, "{}", out.stdout);
    assert_eq!(
        out.stderr.lines().last(),
        Some("apigw-lsp check: 4 files checked, 1 error, 1 warning"),
        "{}",
        out.stderr
    );
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "infra/terraform-aws-apigateway-v2__main.tf",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(json(&out.stdout), json("[]"));
}

#[test]
fn text_mode_ends_with_a_summary_and_says_when_a_path_holds_no_template() {
    let dir = TempDir::new("summary");
    dir.write("bad.yaml", BAD_YAML);
    dir.write("warn.yaml", WARNING_YAML);
    dir.write(
        "package.json",
        "{\"name\": \"web\", \"version\": \"1.0.0\"}\n",
    );
    dir.write("docs/notes.yaml", "title: notes\nitems: [a, b]\n");
    let out = run_in(dir.path(), &["check", "bad.yaml", "warn.yaml"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stderr, format!("{}\n", summary(2, 1, 1)));

    // A folder with other files: they are counted as skipped.
    let out = run_in(dir.path(), &["check", "."]);
    assert_eq!(
        out.stderr.lines().last(),
        Some(
            "apigw-lsp check: 2 files checked (2 other files skipped: not a template), 1 error, 1 warning"
        ),
        "{}",
        out.stderr
    );

    // A folder or a file without any template is named; that alone is no failure.
    for path in ["docs", "package.json"] {
        let out = run_in(dir.path(), &["check", path]);
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        assert_eq!(out.stdout, "");
        assert!(
            out.stderr.contains(&format!(
                "apigw-lsp check: {path}: no CloudFormation/SAM template or OpenAPI document"
            )),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains("0 files checked"), "{}", out.stderr);
    }
    // Not for a path that holds one.
    let out = run_in(dir.path(), &["check", "docs", "bad.yaml"]);
    assert!(
        out.stderr.contains("docs: no CloudFormation"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("bad.yaml: no"), "{}", out.stderr);
}

#[test]
fn help_describes_fix_diff_and_baselines() {
    for args in [&["--help"][..], &["check", "--help"][..]] {
        let out = run(args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        for option in [
            "--fix",
            "--diff",
            "--baseline FILE",
            "--write-baseline FILE",
        ] {
            assert!(
                out.stdout.contains(option),
                "{args:?} lacks {option}:\n{}",
                out.stdout
            );
        }
    }
}

// ---------------------------------------------------------------------------
// --fix and --diff

/// `text` with each `(old, new)` replaced once; each `old` must occur exactly once.
fn replaced(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (old, new) in replacements {
        assert_eq!(out.matches(old).count(), 1, "{old:?} must occur once");
        out = out.replacen(old, new, 1);
    }
    out
}

/// What `--fix` changes in examples/orders-api.yaml: every fix that needs no choice.
const EXAMPLE_FIXES: &[(&str, &str)] = &[
    (
        "PayloadFormatVersion: \"2.0\"",
        "PayloadFormatVersion: \"1.0\"",
    ),
    ("queueUrl: !Ref OrdersQueue", "QueueUrl: !Ref OrdersQueue"),
    ("$request.heder.x-tenant", "$request.header.x-tenant"),
    (
        "IntegrationSubtype: EventBridge-PutEvent\n",
        "IntegrationSubtype: EventBridge-PutEvents\n",
    ),
    ("$context.requestid", "$context.requestId"),
];

#[test]
fn fix_applies_the_safe_fixes_to_a_copy_of_the_example_and_reports_the_rest() {
    let dir = TempDir::new("fix-example");
    let original = std::fs::read_to_string(root().join(EXAMPLE)).expect("example");
    dir.write("orders-api.yaml", &original);
    let out = run_in(dir.path(), &["check", "--fix", "orders-api.yaml"]);
    let fixed = std::fs::read_to_string(dir.path().join("orders-api.yaml")).expect("read");
    assert_eq!(fixed, replaced(&original, EXAMPLE_FIXES));
    // What needs a choice stays: the missing MessageBody (a placeholder) and the
    // missing role. They are what is reported, and they still fail the check.
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let codes: Vec<&str> = out
        .stdout
        .lines()
        .map(|l| {
            l.split('[')
                .nth(1)
                .and_then(|r| r.split(']').next())
                .expect(l)
        })
        .collect();
    assert_eq!(codes, ["missing-required-parameter", "missing-credentials"]);
    assert!(
        out.stdout.contains("requires parameter `MessageBody`"),
        "{}",
        out.stdout
    );
    assert_eq!(
        out.stderr,
        format!(
            "apigw-lsp check: fixed 5 findings in 1 file\n{}\n",
            summary(1, 2, 0)
        )
    );

    // Nothing left to fix: a second run changes nothing.
    let again = run_in(dir.path(), &["check", "--fix", "orders-api.yaml"]);
    assert_eq!(again.code, 1);
    assert_eq!(again.stdout, out.stdout);
    assert!(
        again
            .stderr
            .starts_with("apigw-lsp check: fixed 0 findings in 0 files\n")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("orders-api.yaml")).expect("read"),
        fixed
    );
}

/// Two mistakes on one line and a missing field: the fix adds a line.
const FIXABLE_YAML: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Publish:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: api
      IntegrationType: AWS_PROXY
      IntegrationSubtype: EventBridge-PutEvent
      CredentialsArn: arn:aws:iam::123456789012:role/api
      RequestParameters:
        Detail: $request.body
        DetailType: OrderPlaced
        Source: com.example.orders
        TraceHeader: $context.requestid
"#;

#[test]
fn fix_keeps_crlf_line_endings_and_a_byte_order_mark() {
    let dir = TempDir::new("fix-crlf-bom");
    let lf_fixed = replaced(
        FIXABLE_YAML,
        &[
            ("EventBridge-PutEvent\n", "EventBridge-PutEvents\n"),
            (
                "$context.requestid\n",
                "$context.requestId\n      PayloadFormatVersion: \"1.0\"\n",
            ),
        ],
    );
    let crlf = |t: &str| t.replace('\n', "\r\n");
    let bom = |t: &str| format!("\u{feff}{t}");
    let cases = [
        ("lf.yaml", FIXABLE_YAML.to_string(), lf_fixed.clone()),
        ("crlf.yaml", crlf(FIXABLE_YAML), crlf(&lf_fixed)),
        ("bom.yaml", bom(FIXABLE_YAML), bom(&lf_fixed)),
        (
            "bom-crlf.yaml",
            bom(&crlf(FIXABLE_YAML)),
            bom(&crlf(&lf_fixed)),
        ),
    ];
    for (name, before, _) in &cases {
        dir.write(name, before);
    }
    let mut args = vec!["check", "--fix"];
    args.extend(cases.iter().map(|c| c.0));
    let out = run_in(dir.path(), &args);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "", "every finding was fixable");
    assert!(
        out.stderr.contains("fixed 12 findings in 4 files"),
        "{}",
        out.stderr
    );
    for (name, _, expected) in &cases {
        let bytes = std::fs::read(dir.path().join(name)).expect("read");
        assert_eq!(
            String::from_utf8(bytes).expect("UTF-8"),
            *expected,
            "{name}"
        );
    }
}

#[test]
fn fix_works_on_json_and_leaves_what_needs_a_choice() {
    let dir = TempDir::new("fix-json");
    let broken = replaced(
        CLEAN_JSON,
        &[
            ("\"SQS-SendMessage\"", "\"SQS-SendMesage\""),
            (
                "\"PayloadFormatVersion\": \"1.0\"",
                "\"PayloadFormatVersion\": \"2.0\"",
            ),
        ],
    );
    dir.write("api.json", &broken);
    let out = run_in(
        dir.path(),
        &["check", "--fix", "--format", "json", "api.json"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(json(&out.stdout), Value::Array(Vec::new()));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("api.json")).expect("read"),
        CLEAN_JSON
    );

    // A fix can bring up another finding: parameters are checked once the subtype is
    // known. What it reports is fixed by the next run, as the summary says.
    let hidden = replaced(
        &broken,
        &[(
            "\"MessageBody\": \"$request.body\"",
            "\"messageBody\": \"$request.body\"",
        )],
    );
    dir.write("api.json", &hidden);
    let out = run_in(dir.path(), &["check", "--fix", "api.json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("error[unknown-parameter]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(
            "fixed 2 findings in 1 file; 1 more finding can be fixed by running --fix again\n"
        ),
        "{}",
        out.stderr
    );
    let out = run_in(dir.path(), &["check", "--fix", "api.json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("api.json")).expect("read"),
        CLEAN_JSON
    );

    // A missing parameter would need a placeholder, a missing subtype a choice of
    // service: neither is applied.
    let no_body = replaced(
        CLEAN_JSON,
        &[(",\n          \"MessageBody\": \"$request.body\"", "")],
    );
    let no_subtype = replaced(
        CLEAN_JSON,
        &[(
            "\"IntegrationType\": \"AWS_PROXY\",\n        \"IntegrationSubtype\": \"SQS-SendMessage\",\n",
            "",
        )],
    );
    dir.write("no-body.json", &no_body);
    dir.write("no-subtype.json", &no_subtype);
    let out = run_in(
        dir.path(),
        &["check", "--fix", "no-body.json", "no-subtype.json"],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("error[missing-required-parameter]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("error[parameter-without-subtype]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("fixed 0 findings in 0 files"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("no-body.json")).expect("read"),
        no_body
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("no-subtype.json")).expect("read"),
        no_subtype
    );
}

#[test]
fn overlapping_fixes_apply_the_first_and_report_the_other() {
    let dir = TempDir::new("fix-overlap");
    // An escaped value: each expression fix rewrites the whole value, so the two
    // fixes overlap.
    let template = CLEAN_YAML.replace(
        "        MessageBody: $request.body\n",
        "        MessageBody: $request.body\n        MessageGroupId: \"${request.heder.a}\\u002d${context.requestid}\"\n",
    );
    assert_ne!(template, CLEAN_YAML);
    dir.write("api.yaml", &template);
    let out = run_in(dir.path(), &["check", "--fix", "api.yaml"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let after = std::fs::read_to_string(dir.path().join("api.yaml")).expect("read");
    assert_eq!(
        after,
        template.replace(
            "\"${request.heder.a}\\u002d${context.requestid}\"",
            "\"${request.header.a}-${context.requestid}\""
        )
    );
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("error[unknown-context-variable]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(
            "fixed 1 finding in 1 file; 1 more finding can be fixed by running --fix again (1 overlapped a fix made in this run)"
        ),
        "{}",
        out.stderr
    );
    // The next run applies it.
    let out = run_in(dir.path(), &["check", "--fix", "api.yaml"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        std::fs::read_to_string(dir.path().join("api.yaml"))
            .expect("read")
            .contains("MessageGroupId: \"${request.header.a}-${context.requestId}\"\n")
    );

    // Two fields missing: both fixes add a line at the same place, so only one is made.
    let template = CLEAN_YAML
        .replace("      IntegrationType: AWS_PROXY\n", "")
        .replace("      PayloadFormatVersion: \"1.0\"\n", "");
    dir.write("fields.yaml", &template);
    let out = run_in(dir.path(), &["check", "--fix", "fields.yaml"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let after = std::fs::read_to_string(dir.path().join("fields.yaml")).expect("read");
    let added: Vec<&str> = after
        .lines()
        .filter(|l| !template.contains(&format!("{l}\n")))
        .collect();
    assert_eq!(added.len(), 1, "{after}");
    let still = if added[0].contains("IntegrationType") {
        "wrong-payload-format-version"
    } else {
        "wrong-integration-type"
    };
    assert!(
        out.stdout.contains(&format!("error[{still}]")),
        "{}",
        out.stdout
    );
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
}

/// Applies `diff` in `dir` with `git apply -p0` (and checks it with `patch -p0
/// --dry-run` where GNU patch is installed).
fn apply_diff(dir: &Path, diff: &str) {
    let patch_file = dir.join("fixes.diff");
    std::fs::write(&patch_file, diff).expect("write diff");
    let has_patch = Command::new("patch").arg("--version").output().is_ok();
    if has_patch {
        let out = Command::new("patch")
            .args(["-p0", "--dry-run", "--batch", "-i"])
            .arg(&patch_file)
            .current_dir(dir)
            .output()
            .expect("run patch");
        assert!(
            out.status.success(),
            "patch -p0 refuses the diff:\n{}{}\n{diff}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = Command::new("git")
        .args(["apply", "-p0", "--unsafe-paths", "--whitespace=nowarn"])
        .arg(&patch_file)
        .current_dir(dir)
        .output()
        .expect("run git apply");
    assert!(
        out.status.success(),
        "git apply -p0 refuses the diff:\n{}\n{diff}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_file(&patch_file).expect("remove diff");
}

#[test]
fn diff_changes_nothing_and_prints_a_patch_that_applies() {
    let original = std::fs::read_to_string(root().join(EXAMPLE)).expect("example");
    let files: Vec<(&str, String)> = vec![
        ("orders-api.yaml", original.clone()),
        (
            "nested dir/crlf.yaml",
            format!("\u{feff}{}", FIXABLE_YAML.replace('\n', "\r\n")),
        ),
        ("clean.yaml", CLEAN_YAML.to_string()),
    ];
    let dir = TempDir::new("diff");
    for (name, text) in &files {
        dir.write(name, text);
    }
    let out = run_in(dir.path(), &["check", "--fix", "--diff", "."]);
    // The exit code is the one --fix would give: errors remain in the example.
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .starts_with("--- nested dir/crlf.yaml\t\n+++ nested dir/crlf.yaml\t\n@@ "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\n--- orders-api.yaml\n+++ orders-api.yaml\n@@ "),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("clean.yaml"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("error["),
        "findings are not mixed into the diff"
    );
    assert!(
        out.stderr.contains("would fix 8 findings in 2 files"),
        "{}",
        out.stderr
    );
    for (name, text) in &files {
        assert_eq!(
            &std::fs::read_to_string(dir.path().join(name)).expect("read"),
            text,
            "--diff changed {name}"
        );
    }
    // `--diff` alone means the same.
    let alone = run_in(dir.path(), &["check", "--diff", "."]);
    assert_eq!(alone.stdout, out.stdout);

    // Applied, the diff gives what --fix writes.
    apply_diff(dir.path(), &out.stdout);
    let fixed_copy = TempDir::new("diff-fixed");
    for (name, text) in &files {
        fixed_copy.write(name, text);
    }
    let fix = run_in(fixed_copy.path(), &["check", "--fix", "."]);
    assert_eq!(fix.code, 1, "{}", fix.stderr);
    for (name, _) in &files {
        assert_eq!(
            std::fs::read(dir.path().join(name)).expect("read"),
            std::fs::read(fixed_copy.path().join(name)).expect("read"),
            "{name}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("orders-api.yaml")).expect("read"),
        replaced(&original, EXAMPLE_FIXES)
    );

    // Nothing to fix: an empty diff.
    let out = run_in(dir.path(), &["check", "--diff", "clean.yaml"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
}

#[test]
fn fix_and_diff_usage_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["check", "--diff", "--format", "json", EXAMPLE],
            "--diff prints a diff",
        ),
        (
            &[
                "check",
                "--baseline",
                "a.json",
                "--write-baseline",
                "b.json",
                EXAMPLE,
            ],
            "not both",
        ),
        (
            &["check", "--diff", "--write-baseline", "b.json", EXAMPLE],
            "does not go with --diff",
        ),
        (&["check", "--baseline", EXAMPLE], "no files given"),
        (
            &["check", EXAMPLE, "--write-baseline"],
            "--write-baseline takes a file",
        ),
    ];
    for (args, message) in cases {
        let out = run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
    assert!(!root().join("b.json").exists());
}

// ---------------------------------------------------------------------------
// baselines

#[test]
fn a_baseline_accepts_recorded_findings_wherever_they_move() {
    let dir = TempDir::new("baseline");
    let original = std::fs::read_to_string(root().join(EXAMPLE)).expect("example");
    dir.write("api/orders.yaml", &original);
    dir.write("api/warn.yaml", WARNING_YAML);

    let out = run_in(
        dir.path(),
        &["check", "--write-baseline", "baseline.json", "./api"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.contains("baseline.json: recorded 8 findings"),
        "{}",
        out.stderr
    );

    // The file: version 1, sorted, one finding a line, keyed without positions.
    let text = std::fs::read_to_string(dir.path().join("baseline.json")).expect("baseline");
    let file = json(&text);
    assert_eq!(file["version"], 1);
    let findings = file["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 8);
    assert_eq!(text.lines().count(), 8 + 5, "{text}");
    let keys: Vec<(String, String, String, String)> = findings
        .iter()
        .map(|f| {
            let object = f.as_object().expect("object");
            let mut fields: Vec<&str> = object.keys().map(String::as_str).collect();
            fields.sort_unstable();
            assert_eq!(fields, ["at", "code", "file", "message"], "{f}");
            (
                f["file"].as_str().expect("file").to_string(),
                f["at"].to_string(),
                f["code"].as_str().expect("code").to_string(),
                f["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(
        keys.iter()
            .all(|k| k.0 == "api/orders.yaml" || k.0 == "api/warn.yaml"),
        "{keys:?}"
    );
    assert!(
        keys.iter().any(|k| k.0 == "api/orders.yaml"
            && k.1 == r#"["Resources","PublishEvent"]"#
            && k.2 == "unknown-subtype"),
        "{keys:?}"
    );

    let check = |args: &[&str]| {
        let mut all = vec!["check", "--baseline", "baseline.json"];
        all.extend(args);
        run_in(dir.path(), &all)
    };
    // The same files, named another way: nothing new.
    let out = check(&["api/orders.yaml", "api/warn.yaml"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, format!("{} (8 baselined)\n", summary(2, 0, 0)));

    // Move PublishEvent to the end of the file and add lines above everything.
    let start = original
        .find("  # Wrong: the subtype is misspelt")
        .expect("PublishEvent");
    let end = original.find("  SendOrderRoute:").expect("route");
    let moved = format!(
        "# a new header comment\n# on two lines\n{}{}\n{}",
        &original[..start],
        &original[end..],
        &original[start..end]
    );
    assert_ne!(moved, original);
    dir.write("api/orders.yaml", &moved);
    let out = check(&["./api"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");

    // A new mistake is reported, and fails the check; the old ones stay accepted.
    let broken = moved.replace("RouteKey: POST /orders", "RouteKey: post /orders/");
    assert_ne!(broken, moved);
    dir.write("api/orders.yaml", &broken);
    let out = check(&["api"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("error[invalid-route-key]"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("(8 baselined)"), "{}", out.stderr);
    // Also in JSON.
    let out = check(&["--format", "json", "api"]);
    assert_eq!(out.code, 1);
    let reports = json(&out.stdout);
    assert_eq!(reports.as_array().map(Vec::len), Some(1), "{reports}");
    assert_eq!(reports[0]["code"], "invalid-route-key");

    // A new warning alone does not fail it.
    let warned = moved.replace(
        "        DetailType: OrderPlaced\n",
        "        DetailType: Order.$request.body.type\n",
    );
    assert_ne!(warned, moved);
    dir.write("api/orders.yaml", &warned);
    let out = check(&["api"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("warning[bare-expression-after-text]"),
        "{}",
        out.stdout
    );
}

#[test]
fn identical_findings_are_counted_against_the_baseline() {
    let dir = TempDir::new("baseline-count");
    let one = BAD_YAML.replace(
        "        Detail: $request.body\n",
        "        Detail: $request.body\n        TraceHeader: $context.requestid\n",
    );
    let two = one.replace(
        "        TraceHeader: $context.requestid\n",
        "        TraceHeader: $context.requestid\n        Resources: $context.requestid\n",
    );
    dir.write("api.yaml", &one);
    let out = run_in(
        dir.path(),
        &["check", "--write-baseline", "b.json", "api.yaml"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);

    dir.write("api.yaml", &two);
    let out = run_in(dir.path(), &["check", "--format", "json", "api.yaml"]);
    let all = json(&out.stdout);
    let same: Vec<&Value> = all
        .as_array()
        .expect("array")
        .iter()
        .filter(|r| r["code"] == "unknown-context-variable")
        .collect();
    assert_eq!(same.len(), 2, "{all}");
    assert_eq!(
        same[0]["message"], same[1]["message"],
        "the two keys are equal"
    );

    let out = run_in(dir.path(), &["check", "--baseline", "b.json", "api.yaml"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("error[unknown-context-variable]"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("(2 baselined)"), "{}", out.stderr);

    // Recorded with both, the count says so.
    let out = run_in(
        dir.path(),
        &["check", "--write-baseline", "b.json", "api.yaml"],
    );
    assert_eq!(out.code, 0);
    let text = std::fs::read_to_string(dir.path().join("b.json")).expect("baseline");
    assert!(text.contains("\"count\": 2"), "{text}");
    let out = run_in(dir.path(), &["check", "--baseline", "b.json", "api.yaml"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
}

#[test]
fn fix_then_record_the_rest_in_a_baseline() {
    let dir = TempDir::new("fix-baseline");
    let original = std::fs::read_to_string(root().join(EXAMPLE)).expect("example");
    dir.write("orders-api.yaml", &original);
    let out = run_in(
        dir.path(),
        &["check", "--fix", "--write-baseline", "b.json", "."],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("recorded 2 findings"), "{}", out.stderr);
    let out = run_in(dir.path(), &["check", "--baseline", "b.json", "."]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
}

#[test]
fn a_missing_or_malformed_baseline_is_a_clear_error() {
    let dir = TempDir::new("baseline-bad");
    dir.write("bad.yaml", BAD_YAML);
    dir.write("list.json", "[1, 2]\n");
    dir.write("v9.json", "{\"version\": 9, \"findings\": []}\n");
    for (file, message) in [
        ("missing.json", "missing.json: cannot read"),
        ("list.json", "list.json: not an apigw-lsp baseline"),
        ("v9.json", "baseline version 9 is not supported"),
    ] {
        let out = run_in(dir.path(), &["check", "--baseline", file, "bad.yaml"]);
        assert_eq!(out.code, 2, "{file}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains(message), "{file}: {}", out.stderr);
        assert_eq!(out.stdout, "");
    }
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--write-baseline",
            "no/such/dir/b.json",
            "bad.yaml",
        ],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("cannot write the baseline"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------
// finding .apigw-lsp.toml

#[test]
fn the_nearest_config_up_to_the_repository_root_applies() {
    let outer = TempDir::new("config-walk");
    outer.write(".apigw-lsp.toml", "[severity]\nunknown-subtype = \"off\"\n");
    // A repository inside: its own config at the root, none in the subfolders.
    outer.write("repo/.git/HEAD", "ref: refs/heads/main\n");
    outer.write(
        "repo/.apigw-lsp.toml",
        "[severity]\nunknown-subtype = \"warning\"\n",
    );
    outer.write("repo/stacks/api/bad.yaml", BAD_YAML);
    outer.write(
        "repo/stacks/hinted/.apigw-lsp.toml",
        "[severity]\nunknown-subtype = \"hint\"\n",
    );
    outer.write("repo/stacks/hinted/bad.yaml", BAD_YAML);
    // A worktree-style repository (`.git` is a file) without a config.
    outer.write("worktree/.git", "gitdir: /elsewhere\n");
    outer.write("worktree/deep/bad.yaml", BAD_YAML);
    let elsewhere = TempDir::new("config-walk-cwd");

    let level = |cwd: &Path, file: &str| -> String {
        let out = run_in(cwd, &["check", "--format", "json", file]);
        assert_ne!(out.code, 2, "{}", out.stderr);
        let reports = json(&out.stdout);
        reports
            .as_array()
            .expect("array")
            .iter()
            .find(|r| r["code"] == "unknown-subtype")
            .map_or("off".to_string(), |r| {
                r["severity"].as_str().expect("severity").to_string()
            })
    };
    let path = |rel: &str| {
        outer
            .path()
            .join(rel)
            .to_str()
            .expect("UTF-8 path")
            .to_string()
    };

    // From the file's folder, from the repository root, and from anywhere else.
    let api = outer.path().join("repo/stacks/api");
    assert_eq!(level(&api, "bad.yaml"), "warning");
    assert_eq!(
        level(&outer.path().join("repo"), "stacks/api/bad.yaml"),
        "warning"
    );
    assert_eq!(
        level(elsewhere.path(), &path("repo/stacks/api/bad.yaml")),
        "warning"
    );
    assert_eq!(level(&api, "../api/../api/bad.yaml"), "warning");
    // The nearest one wins.
    assert_eq!(
        level(elsewhere.path(), &path("repo/stacks/hinted/bad.yaml")),
        "hint"
    );
    // The walk stops at the repository root: the outer config does not apply.
    assert_eq!(
        level(elsewhere.path(), &path("worktree/deep/bad.yaml")),
        "error"
    );
    // Outside any repository it goes on up, to the outer folder's config.
    outer.write("loose/bad.yaml", BAD_YAML);
    assert_eq!(level(elsewhere.path(), &path("loose/bad.yaml")), "off");
    // One run, files under different configs.
    let out = run_in(outer.path(), &["check", "repo", "worktree"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("repo/stacks/api/bad.yaml:8:27: warning[unknown-subtype]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("repo/stacks/hinted/bad.yaml:8:27: hint[unknown-subtype]"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("worktree/deep/bad.yaml:8:27: error[unknown-subtype]"),
        "{}",
        out.stdout
    );

    // --config wins over every file found; flags win over both.
    outer.write("strict.toml", "[severity]\nunknown-subtype = \"error\"\n");
    let out = run_in(
        &api,
        &[
            "check",
            "--format",
            "json",
            "--config",
            &path("strict.toml"),
            "bad.yaml",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let out = run_in(
        &api,
        &[
            "check",
            "--config",
            &path("strict.toml"),
            "--ignore",
            "unknown-subtype",
            "bad.yaml",
        ],
    );
    assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{}", out.stderr);
    let out = run_in(
        &api,
        &["check", "--severity", "unknown-subtype=error", "bad.yaml"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);

    // Each config's warnings are shown once, naming the file.
    outer.write(
        "repo/.apigw-lsp.toml",
        "[severity]\nno-such-code = \"off\"\n",
    );
    outer.write("repo/stacks/api/second.yaml", BAD_YAML);
    let out = run_in(outer.path(), &["check", "repo/stacks/api"]);
    assert_eq!(
        out.stderr.matches("no-such-code").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("repo/.apigw-lsp.toml"),
        "{}",
        out.stderr
    );
}

#[test]
fn fix_leaves_suppressed_and_turned_off_findings_alone() {
    let dir = TempDir::new("fix-suppressed");
    let ignored = BAD_YAML.replace(
        "IntegrationSubtype: EventBridge-PutEvent\n",
        "IntegrationSubtype: EventBridge-PutEvent # apigw-lsp: ignore[unknown-subtype]\n",
    );
    assert_ne!(ignored, BAD_YAML);
    dir.write("ignored.yaml", &ignored);
    dir.write("off.yaml", BAD_YAML);
    let out = run_in(
        dir.path(),
        &[
            "check",
            "--fix",
            "ignored.yaml",
            "--ignore",
            "unknown-subtype",
            "off.yaml",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("fixed 0 findings in 0 files"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ignored.yaml")).expect("read"),
        ignored
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("off.yaml")).expect("read"),
        BAD_YAML
    );
    // Without the flag the same file is fixed.
    let out = run_in(dir.path(), &["check", "--fix", "off.yaml"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("off.yaml")).expect("read"),
        BAD_YAML.replace("EventBridge-PutEvent\n", "EventBridge-PutEvents\n")
    );
}

// ---------------------------------------------------------------------------
// threads: the output does not depend on --jobs

/// A template with `n` integrations, each with the misspelt subtype of [`BAD_YAML`]:
/// bigger files take a worker longer, so workers finish out of input order.
fn big_template(n: usize) -> String {
    let (head, resource) = BAD_YAML
        .split_once("Resources:\n")
        .expect("BAD_YAML has Resources");
    let mut text = format!("{head}Resources:\n");
    for k in 0..n {
        text.push_str(&resource.replace("  Publish:", &format!("  Publish{k}:")));
    }
    text
}

/// 200 files under `t/` in seven folders, in every state `check` tells apart: clean
/// (YAML, JSON), errors, warnings, fixes (CRLF, overlapping ones, ones that reveal
/// more: the example), big templates, files that are no template, and one that is not
/// UTF-8. Returns the relative paths written.
fn many_files(dir: &TempDir) -> Vec<String> {
    let example = std::fs::read_to_string(root().join(EXAMPLE)).expect("example");
    let mut written = Vec::new();
    for i in 0..200 {
        let folder = format!("t/stack-{}", i % 7);
        let (name, text) = match i % 9 {
            0 => (format!("clean-{i:03}.yaml"), CLEAN_YAML.to_string()),
            1 => (format!("clean-{i:03}.json"), CLEAN_JSON.to_string()),
            2 => (
                format!("bad-{i:03}.yaml"),
                BAD_YAML.replace("Publish:", &format!("Publish{i}:")),
            ),
            3 => (format!("warn-{i:03}.yaml"), WARNING_YAML.to_string()),
            4 => (
                format!("fix-{i:03}.yaml"),
                FIXABLE_YAML.replace('\n', "\r\n"),
            ),
            5 => (format!("big-{i:03}.yaml"), big_template(5 + i % 5 * 5)),
            6 => (format!("notes-{i:03}.yaml"), "title: notes\n".to_string()),
            7 => (format!("example-{i:03}.yaml"), example.clone()),
            _ => (format!("fix-{i:03}.template"), FIXABLE_YAML.to_string()),
        };
        let path = format!("{folder}/{name}");
        dir.write(&path, text);
        written.push(path);
    }
    let mut latin1 = b"AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: caf".to_vec();
    latin1.extend([0xE9, 0xFF]);
    latin1.extend(b"\nResources: {}\n");
    dir.write("t/stack-3/latin1.yaml", latin1);
    written.push("t/stack-3/latin1.yaml".to_string());
    written
}

/// The same run with `--jobs 1` and `--jobs 4`, and with `all_ways` also with `-j 2`
/// and `RAYON_NUM_THREADS=3`: asserts identical exit codes, stdout and stderr, and
/// returns the one-thread run.
fn same_with_any_threads(cwd: &Path, args: &[&str], all_ways: bool) -> Run {
    let with = |extra: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check"];
        all.extend_from_slice(extra);
        all.extend_from_slice(args);
        run_env(cwd, &all, env)
    };
    let one = with(&["--jobs", "1"], &[]);
    // Extra arguments and environment.
    type Way<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let ways: &[Way<'_>] = &[
        (&["--jobs=4"], &[]),
        (&["-j", "2"], &[]),
        (&[], &[("RAYON_NUM_THREADS", "3")]),
    ];
    for (extra, env) in &ways[..if all_ways { ways.len() } else { 1 }] {
        let many = with(extra, env);
        assert_eq!(many.code, one.code, "{args:?} {extra:?} {env:?}");
        assert!(
            many.stdout == one.stdout,
            "{args:?} {extra:?} {env:?}: stdout differs from --jobs 1:\n{}\n---\n{}",
            many.stdout,
            one.stdout
        );
        assert_eq!(many.stderr, one.stderr, "{args:?} {extra:?} {env:?}");
    }
    one
}

#[test]
fn many_files_give_the_same_output_with_one_thread_or_many() {
    let dir = TempDir::new("jobs");
    many_files(&dir);

    let text = same_with_any_threads(dir.path(), &["t"], true);
    // Not UTF-8: exit code 2, its message first, then the summary.
    assert_eq!(text.code, 2, "{}", text.stderr);
    let stderr: Vec<&str> = text.stderr.lines().collect();
    assert_eq!(stderr.len(), 2, "{}", text.stderr);
    assert!(
        stderr[0].starts_with("apigw-lsp check: t/stack-3/latin1.yaml: not valid UTF-8"),
        "{}",
        text.stderr
    );
    assert!(
        stderr[1].starts_with("apigw-lsp check: 178 files checked (22 other files skipped"),
        "{}",
        text.stderr
    );
    // Findings in the order of the walk: folder by folder, file by file.
    let files: Vec<&str> = text
        .stdout
        .lines()
        .map(|l| l.split(':').next().unwrap_or_default())
        .collect();
    assert!(files.len() > 500, "{}", files.len());
    assert!(files.is_sorted(), "not in walk order:\n{}", text.stdout);

    let json_out = same_with_any_threads(dir.path(), &["--format", "json", "t"], false);
    assert_eq!(json_out.code, 2);
    assert_eq!(
        json(&json_out.stdout).as_array().map(Vec::len),
        Some(files.len())
    );
    let sarif = same_with_any_threads(dir.path(), &["--format", "sarif", "t"], false);
    assert_eq!(sarif.code, 2);
    assert_eq!(
        json(&sarif.stdout)["runs"][0]["results"]
            .as_array()
            .map(Vec::len),
        Some(files.len())
    );

    // --diff, and a baseline written and read, are the same too.
    let diff = same_with_any_threads(dir.path(), &["--diff", "t"], false);
    assert!(diff.stdout.starts_with("--- t/stack-0/"), "{}", diff.stdout);
    let mut recorded = None;
    for _ in 0..2 {
        same_with_any_threads(dir.path(), &["--write-baseline", "base.json", "t"], false);
        let now = std::fs::read(dir.path().join("base.json")).expect("baseline");
        assert!(recorded.is_none_or(|r| r == now), "baselines differ");
        recorded = Some(now);
    }
    // A baseline without the big templates' findings reports just those.
    let baseline = std::fs::read_to_string(dir.path().join("base.json")).expect("baseline");
    let partial: Vec<&str> = baseline.lines().filter(|l| !l.contains("/big-")).collect();
    std::fs::write(dir.path().join("partial.json"), partial.join("\n")).expect("write");
    let out = same_with_any_threads(dir.path(), &["--baseline", "partial.json", "t"], false);
    assert!(
        !out.stdout.is_empty() && out.stdout.lines().all(|l| l.contains("/big-")),
        "{}",
        out.stdout
    );
}

#[test]
fn fix_over_many_files_in_parallel_writes_what_one_thread_writes() {
    let one = TempDir::new("fix-jobs-1");
    let many = TempDir::new("fix-jobs-4");
    let files = many_files(&one);
    many_files(&many);
    // One file named twice (`..` in the path): its second check sees the first's fixes,
    // with one thread as with four.
    let args = |jobs: &'static str| {
        [
            "check",
            "--jobs",
            jobs,
            "--fix",
            "t",
            "t/stack-4/../stack-4/fix-004.yaml",
        ]
    };
    let out_one = run_in(one.path(), &args("1"));
    let out_many = run_in(many.path(), &args("4"));
    assert_eq!(out_many.code, out_one.code);
    assert_eq!(out_many.stdout, out_one.stdout);
    assert_eq!(out_many.stderr, out_one.stderr);
    assert_eq!(out_one.code, 2, "{}", out_one.stderr);
    assert!(
        out_one.stderr.contains("fixed ") && !out_one.stderr.contains("in 0 files"),
        "{}",
        out_one.stderr
    );
    assert!(
        out_one.stderr.contains("179 files checked"),
        "{}",
        out_one.stderr
    );
    let mut changed = 0;
    for file in &files {
        let a = std::fs::read(one.path().join(file)).expect("read");
        let b = std::fs::read(many.path().join(file)).expect("read");
        assert!(a == b, "{file} differs between --jobs 1 and --jobs 4");
        if file.contains("/fix-") {
            let fixed = String::from_utf8(a).expect("UTF-8");
            assert!(fixed.contains("EventBridge-PutEvents"), "{file} not fixed");
            changed += 1;
        }
    }
    assert!(changed > 40, "{changed}");
}

#[test]
fn jobs_takes_a_number_of_threads() {
    for args in [
        &["check", "--jobs", "0", EXAMPLE][..],
        &["check", "--jobs=many", EXAMPLE][..],
        &["check", "-j", "-1", EXAMPLE][..],
        &["check", EXAMPLE, "--jobs"][..],
    ] {
        let out = run(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr
                .contains("--jobs takes a number of threads, 1 or more"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }
    for args in [&["--help"][..], &["check", "--help"][..]] {
        let out = run(args);
        assert!(out.stdout.contains("--jobs N"), "{args:?}: {}", out.stdout);
        assert!(
            out.stdout.contains("RAYON_NUM_THREADS"),
            "{args:?}: {}",
            out.stdout
        );
    }
    // One file with many threads: one file's output.
    let one = run(&["check", "--jobs", "1", EXAMPLE]);
    let many = run(&["check", "--jobs", "8", EXAMPLE]);
    assert_eq!(
        (one.code, &one.stdout, &one.stderr),
        (many.code, &many.stdout, &many.stderr)
    );
}

#[test]
fn a_terraform_file_is_checked_with_the_other_files_of_its_folder() {
    let dir = TempDir::new("terraform-module");
    dir.write(
        "infra/queue.tf",
        "resource \"aws_sqs_queue\" \"main\" {\n  name = \"orders\"\n}\n",
    );
    dir.write(
        "infra/api.tf",
        "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.main.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.main.arn\n    MessageBody = \"$request.body\"\n  }\n}\n",
    );
    // Another folder is another module: its queue does not count.
    dir.write(
        "other/queue.tf",
        "resource \"aws_sqs_queue\" \"main\" {\n  name = \"x\"\n}\n",
    );
    for args in [&["check", "infra/api.tf"][..], &["check", "."][..]] {
        let out = run_in(dir.path(), args);
        assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
        assert!(
            out.stdout
                .contains("api.tf:7:19: error[wrong-reference-kind]"),
            "{}",
            out.stdout
        );
    }
    std::fs::remove_file(dir.path().join("infra/queue.tf")).expect("remove");
    let out = run_in(dir.path(), &["check", "infra/api.tf"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn files_that_declare_the_same_address_are_not_one_module() {
    // The corpus's terraform folder holds files of unrelated projects; two declare
    // `aws_iam_role.APIGWRole`. Terraform refuses that in one module, so they are not
    // joined: the attributed files stay clean, the wrong learner copies are reported.
    let corpus = root().join("tests/corpus/real/terraform");
    let out = run_in(
        &root(),
        &["check", "--format", "json", &corpus.to_string_lossy()],
    );
    let found = json(&out.stdout);
    let files: Vec<&str> = found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(!files.is_empty(), "{}", out.stdout);
    assert!(
        files.iter().all(|f| f.contains("unattributed")),
        "{files:?}"
    );
}
