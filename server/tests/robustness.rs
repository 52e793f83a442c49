//! Bad input never panics the analysis and never hangs it.
//!
//! Each case builds a [`Document`] and analyses it on a thread with a 2 MiB stack (the
//! size of a tokio worker's, where the language server runs analysis), so deep
//! recursion shows up as a failure here rather than in an editor. The time bound is a
//! hang guard for debug builds, not a performance claim.

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use apigw_lsp::analysis;
use apigw_lsp::document::Document;
use apigw_lsp::rules::Finding;
use apigw_lsp::syntax::Language;

const HANG_GUARD: Duration = Duration::from_secs(20);
/// Debug builds parse about half a megabyte a second, so the 10 MB cases get longer.
const BIG_HANG_GUARD: Duration = Duration::from_secs(180);
const STACK: usize = 2 * 1024 * 1024;

/// Parses and analyses `text`, failing on a panic, a stack overflow or a hang.
fn analyse(name: &str, text: String, language: Language) -> Vec<Finding> {
    analyse_within(name, text, language, HANG_GUARD)
}

fn analyse_within(name: &str, text: String, language: Language, guard: Duration) -> Vec<Finding> {
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    let worker = thread::Builder::new()
        .name(name.to_string())
        .stack_size(STACK)
        .spawn(move || {
            let doc = Document::new(&text, language, 0);
            let findings = analysis::analyze(&doc);
            // Every range must lie inside the text and on character boundaries.
            for f in &findings {
                assert!(
                    f.range.start <= f.range.end && f.range.end <= text.len(),
                    "{}: range {:?} outside the text ({} bytes)",
                    f.code,
                    f.range,
                    text.len()
                );
                assert!(
                    text.is_char_boundary(f.range.start) && text.is_char_boundary(f.range.end),
                    "{}: range {:?} splits a character",
                    f.code,
                    f.range
                );
            }
            // The receiver may have given up already; nothing to do then.
            let _ = tx.send(findings);
        })
        .unwrap_or_else(|e| panic!("{name}: cannot spawn: {e}"));
    match rx.recv_timeout(guard) {
        Ok(findings) => {
            let _ = worker.join();
            findings
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{name}: analysis did not finish within {guard:?}")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let outcome = worker.join();
            panic!(
                "{name}: analysis panicked after {:?}: {outcome:?}",
                started.elapsed()
            )
        }
    }
}

fn yaml(name: &str, text: impl Into<String>) -> Vec<Finding> {
    analyse(name, text.into(), Language::Yaml)
}

fn json(name: &str, text: impl Into<String>) -> Vec<Finding> {
    analyse(name, text.into(), Language::Json)
}

fn both(name: &str, text: impl Into<String>) {
    let text = text.into();
    yaml(&format!("{name} (yaml)"), text.clone());
    json(&format!("{name} (json)"), text);
}

/// An integration with findings of several rules, so every rule runs.
const INTEGRATION: &str = "  Integration:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: AWS
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: '2.0'
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: id-$request.body..x-$context.requestid-${context.status}
        queueUrl: x
";

fn template() -> String {
    format!("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n{INTEGRATION}")
}

const JSON_TEMPLATE: &str = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"IntegrationType": "AWS_PROXY", "IntegrationSubtype": "SQS-SendMessage", "PayloadFormatVersion": "1.0", "RequestParameters": {"QueueUrl": "q", "MessageBody": "$request.heder.x"}}}}}"#;

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
fn junk(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn empty_and_blank_input() {
    both("empty", "");
    both("newline", "\n");
    both("spaces", "   \n\t\n  ");
}

#[test]
fn only_comments() {
    yaml("comments", "# one\n# two\n   # three\n");
    json("comments", "// one\n/* two */\n");
}

#[test]
fn binary_junk() {
    for seed in 1..=8u64 {
        let bytes = junk(64 * 1024, seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        both(
            &format!("junk {seed}"),
            String::from_utf8_lossy(&bytes).into_owned(),
        );
        // Junk after a valid start, so it lands inside the structures we analyse.
        let mut text = template();
        text.push_str(&String::from_utf8_lossy(&bytes[..4096]));
        yaml(&format!("template + junk {seed}"), text);
        let mut text = JSON_TEMPLATE[..JSON_TEMPLATE.len() - 3].to_string();
        text.push_str(&String::from_utf8_lossy(&bytes[..4096]));
        json(&format!("json template + junk {seed}"), text);
    }
}

#[test]
fn nul_bytes() {
    yaml(
        "nul in yaml",
        template()
            .replace("SQS-SendMessage", "SQS-Send\0Message")
            .replace("Queue\n", "Qu\0eue\n"),
    );
    json(
        "nul in json",
        JSON_TEMPLATE.replace("MessageBody", "Message\0Body"),
    );
    both("only nul", "\0\0\0\0");
}

#[test]
fn byte_order_mark() {
    let plain = yaml("no bom", template());
    let with_bom = yaml("bom", format!("\u{feff}{}", template()));
    assert_eq!(
        codes(&with_bom),
        codes(&plain),
        "a BOM changes the YAML findings"
    );
    let plain = json("no bom", JSON_TEMPLATE);
    let with_bom = json("bom", format!("\u{feff}{JSON_TEMPLATE}"));
    assert_eq!(
        codes(&with_bom),
        codes(&plain),
        "a BOM changes the JSON findings"
    );
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

const DEEP: usize = 5_000;

#[test]
fn deep_yaml_flow_nesting() {
    yaml(
        "flow seq",
        format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP)),
    );
    yaml("flow seq unclosed", "[".repeat(DEEP));
    yaml(
        "flow map",
        format!("{}x{}", "{a: ".repeat(DEEP), "}".repeat(DEEP)),
    );
    let nested = format!("{}1{}", "[".repeat(DEEP), "]".repeat(DEEP));
    yaml(
        "flow in a request parameter",
        template().replace("QueueUrl: !Ref Queue", &format!("QueueUrl: {nested}")),
    );
    yaml(
        "flow resources",
        format!("Resources: {}{}", "{A: ".repeat(DEEP), "}".repeat(DEEP)),
    );
}

#[test]
fn deep_yaml_block_nesting() {
    // tree-sitter-yaml aborts the process past 253 block levels; these must be refused
    // with a finding instead, and the rest of the template still checked.
    let mut text = template();
    for depth in 0..DEEP {
        text.push_str(&" ".repeat(8 + depth));
        text.push_str(&format!("k{depth}:\n"));
    }
    text.push_str(&INTEGRATION.replace("  Integration:", "  Second:"));
    let findings = yaml("block mappings in an integration", text);
    assert!(
        findings
            .iter()
            .any(|f| f.code == "syntax-error" && f.message.contains("nests more than"))
    );
    assert!(
        findings.iter().any(|f| f.code == "wrong-integration-type"),
        "the next resource is still checked"
    );
    let mut text = String::from("Resources:\n");
    for depth in 0..DEEP {
        text.push_str(&" ".repeat(2 + depth));
        text.push_str("a:\n");
    }
    yaml("block mappings under Resources", text);
    let mut text = String::new();
    for depth in 0..DEEP {
        text.push_str(&" ".repeat(depth));
        text.push_str("- \n");
    }
    yaml("block sequences", text);
    yaml("compact sequences", format!("{}x\n", "- ".repeat(DEEP)));
    yaml("compact keys", format!("{}x\n", "? ".repeat(DEEP)));
    yaml(
        "compact sequences in a resource",
        format!("Resources:\n  A: {}x\n", "- ".repeat(DEEP)),
    );
    // Levels the parser opens while recovering from a broken quote or flow collection.
    yaml(
        "after a broken quote",
        format!("a: \"x\n{}y\n\"\n", "- ".repeat(DEEP)),
    );
    let ladder: String = (0..DEEP)
        .map(|d| format!("{}b:\n", " ".repeat(d + 1)))
        .collect();
    yaml("inside a flow sequence", format!("a: [x,\n{ladder}]\n"));
    yaml("inside a quote", format!("a: \"x\n{ladder}\"\n"));
    let cr: String = (0..DEEP)
        .map(|d| format!("{}k:\r", " ".repeat(d)))
        .collect();
    yaml("rows split by CR", cr);
}

#[test]
fn more_rows_than_the_parser_counts() {
    // tree-sitter-yaml counts rows in 16 bits; a longer part is reported, not misread.
    let mut text = String::from("Resources:\n  Big:\n    Type: AWS::S3::Bucket\n    Metadata:\n");
    for i in 0..40_000 {
        text.push_str(&format!("      k{i}: v\n"));
    }
    text.push_str(INTEGRATION);
    let findings = yaml("40,000-line resource", text);
    assert!(
        findings
            .iter()
            .any(|f| f.code == "syntax-error" && f.message.contains("longer than"))
    );
    assert!(
        findings.iter().any(|f| f.code == "wrong-integration-type"),
        "the next resource is still checked"
    );
}

#[test]
fn deep_json_nesting() {
    json(
        "arrays",
        format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP)),
    );
    json("arrays unclosed", "[".repeat(DEEP));
    json(
        "objects",
        format!("{}1{}", r#"{"a":"#.repeat(DEEP), "}".repeat(DEEP)),
    );
    json(
        "objects in Resources",
        format!(
            r#"{{"Resources": {{"A": {}1{}}}}}"#,
            r#"{"Properties":"#.repeat(DEEP),
            "}".repeat(DEEP)
        ),
    );
    let nested = format!("{}1{}", "[".repeat(DEEP), "]".repeat(DEEP));
    json(
        "in a request parameter",
        JSON_TEMPLATE.replace(r#""q""#, &nested),
    );
}

#[test]
fn unclosed_structures() {
    yaml(
        "unclosed flow mapping",
        "Resources: {I: {Type: AWS::ApiGatewayV2::Integration, Properties: {IntegrationSubtype: SQS-SendMessage, RequestParameters: {QueueUrl: x",
    );
    yaml(
        "unclosed flow in a resource",
        template().replace("QueueUrl: !Ref Queue", "QueueUrl: {a: [b, {c"),
    );
    yaml(
        "unclosed double quote",
        template().replace("SQS-SendMessage", "\"SQS-SendMessage"),
    );
    yaml("unclosed single quote", template().replace("'2.0'", "'2.0"));
    yaml(
        "unclosed quote at the end",
        format!("{}        Extra: \"abc", template()),
    );
    json("unclosed object", &JSON_TEMPLATE[..JSON_TEMPLATE.len() / 2]);
    json("unclosed string", JSON_TEMPLATE.replace(r#""q""#, r#""q"#));
}

#[test]
fn duplicate_keys() {
    let dup = template().replace(
        "      IntegrationType: AWS\n",
        "      IntegrationType: AWS\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: Nope\n",
    );
    yaml("duplicate properties", dup);
    yaml(
        "duplicate resources",
        format!("Resources:\n{INTEGRATION}{INTEGRATION}"),
    );
    json(
        "duplicate json keys",
        JSON_TEMPLATE.replace(
            r#""QueueUrl": "q""#,
            r#""QueueUrl": "q", "QueueUrl": {"Ref": "Q"}"#,
        ),
    );
}

#[test]
fn anchors_and_aliases() {
    let mut bomb = String::from("a: &a [x, x]\n");
    let mut prev = 'a';
    for c in 'b'..='u' {
        bomb.push_str(&format!("{c}: &{c} [*{prev}, *{prev}]\n"));
        prev = c;
    }
    yaml("alias bomb", bomb.clone());
    yaml(
        "alias bomb in Resources",
        format!("Resources:\n  Bomb:\n    Properties:\n{}", indent(&bomb, 6)),
    );
    let aliased = "Resources:\n  Base: &props\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: &p\n      IntegrationSubtype: SQS-SendMessage\n      RequestParameters: *p\n  Copy:\n    <<: *props\n    Properties: *p\n  Self: &s\n    Properties:\n      RequestParameters: *s\n";
    yaml("aliases as values", aliased);
    yaml("undefined alias", "Resources:\n  A: *nowhere\n");
}

fn indent(text: &str, by: usize) -> String {
    text.lines()
        .map(|l| format!("{}{l}\n", " ".repeat(by)))
        .collect()
}

#[test]
fn multiple_documents() {
    let t = template();
    yaml("two documents", format!("---\n{t}---\n{t}...\n"));
    yaml("document markers only", "---\n---\n...\n---\n");
    yaml(
        "marker inside Resources",
        t.replace("  Integration:", "---\n  Integration:"),
    );
}

#[test]
fn tabs() {
    yaml("tab indentation", template().replace("    ", "\t"));
    yaml("tabs after colons", template().replace(": ", ":\t"));
    json("tabs in json", JSON_TEMPLATE.replace(' ', "\t"));
}

#[test]
fn one_megabyte_line() {
    const MB: usize = 1024 * 1024;
    yaml(
        "1 MB plain value",
        template().replace(
            "QueueUrl: !Ref Queue",
            &format!("QueueUrl: {}", "x".repeat(MB)),
        ),
    );
    let exprs = "${request.header.a}$request.body..".repeat(MB / 34);
    yaml(
        "1 MB of expressions",
        template().replace("QueueUrl: !Ref Queue", &format!("QueueUrl: '{exprs}'")),
    );
    yaml(
        "1 MB of braces",
        template().replace(
            "QueueUrl: !Ref Queue",
            &format!("QueueUrl: '{}'", "${".repeat(MB / 2)),
        ),
    );
    yaml(
        "1 MB flow line",
        format!(
            "Resources: {{{}}}",
            "A: {Type: AWS::ApiGatewayV2::Integration}, ".repeat(MB / 44)
        ),
    );
    json(
        "1 MB json line",
        JSON_TEMPLATE.replace("$request.heder.x", &"$context.x".repeat(MB / 10)),
    );
    yaml("1 MB key", format!("{}: 1\n", "k".repeat(MB)));
}

#[test]
fn ten_megabyte_template() {
    const TEN_MB: usize = 10 * 1024 * 1024;
    let mut text = String::from("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
    let mut n = 0;
    while text.len() < TEN_MB {
        text.push_str(&INTEGRATION.replace("  Integration:", &format!("  Integration{n}:")));
        n += 1;
    }
    let findings = analyse_within("10 MB yaml", text, Language::Yaml, BIG_HANG_GUARD);
    assert!(
        findings.len() >= n,
        "expected findings on each of {n} integrations, got {}",
        findings.len()
    );

    let resource = r#""I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"IntegrationType": "AWS_PROXY", "IntegrationSubtype": "SQS-SendMessage", "PayloadFormatVersion": "1.0", "RequestParameters": {"QueueUrl": "q", "MessageBody": "$request.heder.x"}}}"#;
    let mut text = String::from(r#"{"Resources": {"#);
    let mut n = 0;
    while text.len() < TEN_MB {
        if n > 0 {
            text.push_str(",\n");
        }
        text.push_str(&resource.replacen(r#""I""#, &format!(r#""I{n}""#), 1));
        n += 1;
    }
    text.push_str("}}\n");
    let findings = analyse_within("10 MB json", text, Language::Json, BIG_HANG_GUARD);
    assert!(
        findings.len() >= n,
        "expected findings on each of {n} integrations, got {}",
        findings.len()
    );
}

#[test]
fn a_half_typed_key_is_pointed_at_not_its_whole_resource() {
    let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Send:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: SQS-SendMessage\n      RequestParameters:\n        QueueUrl: !Ref Queue\n        De\n";
    let findings = yaml("half-typed key", text);
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.code == "syntax-error")
        .collect();
    assert_eq!(errors.len(), 1, "{findings:?}");
    assert_eq!(&text[errors[0].range.clone()], "De");
    assert!(errors[0].message.contains("`:`"), "{}", errors[0].message);
}

fn terraform(name: &str, text: impl Into<String>) -> Vec<Finding> {
    analyse(
        &format!("{name} (terraform)"),
        text.into(),
        Language::Terraform,
    )
}

/// A small Terraform configuration with the constructs the value tree reads.
const TERRAFORM: &str = r#"resource "aws_apigatewayv2_integration" "send" {
  api_id              = aws_apigatewayv2_api.api.id
  integration_subtype = "SQS-SendMessage"
  request_parameters = {
    "QueueUrl"    = aws_sqs_queue.q.url
    "MessageBody" = "${var.prefix}-$request.body"
  }
  policy = jsonencode({ a = [1, "b", { c = null }] })
  script = <<-EOF
    line ${aws_sqs_queue.q.arn}
    EOF
}

locals {
  n = var.x ? 1 : 2
}
"#;

#[test]
fn terraform_junk_and_odd_bytes() {
    terraform("empty", "");
    terraform("blank", "  \n\t\n");
    terraform("comments", "# a\n// b\n/* c */\n");
    for seed in 1..=6u64 {
        let bytes = junk(64 * 1024, seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        terraform(
            &format!("junk {seed}"),
            String::from_utf8_lossy(&bytes).into_owned(),
        );
        let mut text = TERRAFORM[..TERRAFORM.len() / 2].to_string();
        text.push_str(&String::from_utf8_lossy(&bytes[..4096]));
        terraform(&format!("terraform + junk {seed}"), text);
    }
    terraform(
        "nul",
        TERRAFORM.replace("SQS-SendMessage", "SQS-Send\0Message"),
    );
    terraform("only nul", "\0\0\0\0");
    terraform("bom", format!("\u{feff}{TERRAFORM}"));
    // Every truncation of the configuration.
    for end in (0..TERRAFORM.len()).filter(|&i| TERRAFORM.is_char_boundary(i)) {
        terraform(&format!("cut at {end}"), &TERRAFORM[..end]);
    }
}

#[test]
fn deep_terraform_nesting() {
    let inside = |expr: String| format!("resource \"a\" \"b\" {{\n  x = {expr}\n}}\n");
    terraform(
        "tuples",
        inside(format!("{}1{}", "[".repeat(DEEP), "]".repeat(DEEP))),
    );
    terraform(
        "objects",
        inside(format!("{}1{}", "{ a = ".repeat(DEEP), " }".repeat(DEEP))),
    );
    terraform(
        "parentheses",
        inside(format!("{}1{}", "(".repeat(DEEP), ")".repeat(DEEP))),
    );
    terraform(
        "calls",
        inside(format!("{}1{}", "f(".repeat(DEEP), ")".repeat(DEEP))),
    );
    terraform(
        "jsonencode",
        inside(format!(
            "{}1{}",
            "jsonencode(".repeat(DEEP),
            ")".repeat(DEEP)
        )),
    );
    terraform(
        "templates",
        inside(format!("{}x{}", "\"${".repeat(DEEP), "}\"".repeat(DEEP))),
    );
    terraform(
        "blocks",
        format!("{}{}", "b {\n".repeat(DEEP), "}\n".repeat(DEEP)),
    );
    terraform("unclosed tuples", inside("[".repeat(DEEP)));
    terraform("unclosed blocks", "b {\n".repeat(DEEP));
    terraform("unclosed templates", inside("\"${".repeat(DEEP)));
}

#[test]
fn unclosed_terraform_structures() {
    for (name, from, to) in [
        ("string", "\"SQS-SendMessage\"", "\"SQS-SendMessage"),
        ("template", "${var.prefix}", "${var.prefix"),
        ("heredoc", "    EOF\n", ""),
        ("comment", "locals {", "/* locals {"),
        ("block", "  }\n  policy", "\n  policy"),
        ("call", "jsonencode({", "jsonencode(({"),
    ] {
        terraform(name, TERRAFORM.replacen(from, to, 1));
    }
}

#[test]
fn big_terraform_inputs() {
    const MB: usize = 1024 * 1024;
    terraform(
        "1 MB string",
        TERRAFORM.replace("SQS-SendMessage", &"x".repeat(MB)),
    );
    terraform(
        "1 MB of interpolations",
        TERRAFORM.replace("SQS-SendMessage", &"${a.b}$${c}".repeat(MB / 12)),
    );
    terraform(
        "1 MB heredoc",
        TERRAFORM.replace("line ", &"line\n".repeat(MB / 5)),
    );
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 4 * MB {
        text.push_str(&TERRAFORM.replace("\"send\"", &format!("\"send{n}\"")));
        n += 1;
    }
    analyse_within("4 MB terraform", text, Language::Terraform, BIG_HANG_GUARD);
}

/// Completion, hover, definition and code actions at every offset of every corpus
/// `.tf` file, and of each file cut at every line (the half-typed state the repair
/// reader reads), never panic.
#[test]
fn terraform_features_at_every_offset() {
    use apigw_lsp::analysis::code_actions::for_finding;
    use apigw_lsp::analysis::completion::complete;
    use apigw_lsp::analysis::hover::hover;
    use apigw_lsp::analysis::navigation::definition;
    use apigw_lsp::model::index::Index;
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/corpus/real/terraform"
    );
    let mut texts: Vec<(String, String)> = vec![("inline".to_string(), TERRAFORM.to_string())];
    for entry in std::fs::read_dir(dir).expect("corpus folder").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "tf") {
            let text = std::fs::read_to_string(&path).expect("utf-8");
            texts.push((path.display().to_string(), text));
        }
    }
    assert!(texts.len() > 5, "{texts:?}");
    let run = |name: String, text: String| {
        let handle = thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                let doc = Document::new(&text, Language::Terraform, 0);
                let index = Index::of(&doc);
                let mut step = 1;
                // Every offset of small texts, else every 7th (with the line ends).
                if text.len() > 4_000 {
                    step = 7;
                }
                for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
                    let at_line_end = text[offset..].starts_with('\n');
                    if offset % step != 0 && !at_line_end {
                        continue;
                    }
                    let _ = complete(&doc, &index, offset);
                    let _ = hover(&doc, &index, offset);
                    let _ = definition(&doc, &index, offset);
                }
                for finding in analysis::analyze(&doc) {
                    let _ = for_finding(&doc, &finding);
                }
            })
            .expect("thread");
        assert!(handle.join().is_ok(), "{name} panicked");
    };
    for (name, text) in texts {
        // Cut after each line: the rest of the file is not typed yet.
        let cuts: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
        let mut line_start = 0;
        for cut in cuts {
            // After the line, and in its middle with the line ended there.
            let mut middle = line_start + (cut - line_start) / 2;
            while !text.is_char_boundary(middle) {
                middle -= 1;
            }
            for half in [text[..cut].to_string(), format!("{}\n", &text[..middle])] {
                let doc = Document::new(&half, Language::Terraform, 0);
                let index = Index::of(&doc);
                let end = half.len().saturating_sub(1);
                let _ = complete(&doc, &index, end);
                let _ = hover(&doc, &index, end);
            }
            line_start = cut;
        }
        run(name, text);
    }
}
