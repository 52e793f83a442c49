//! Terraform (`aws_apigatewayv2_integration` and the resources around it) through the
//! same rules as CloudFormation: the corpus's `.tf` files, and defects planted in a
//! real one.

use std::fs;
use std::path::{Path, PathBuf};

use apigw_lsp::analysis;
use apigw_lsp::document::Document;
use apigw_lsp::rules::{Finding, Severity};
use apigw_lsp::syntax::Language;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real/terraform")
}

fn findings(text: &str) -> Vec<Finding> {
    analysis::analyze(&Document::new(text, Language::Terraform, 0))
}

fn read(name: &str) -> String {
    let path = corpus().join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The attributed `.tf` files of the corpus deploy: nothing to say about them.
#[test]
fn attributed_terraform_files_get_no_finding() {
    let mut checked = 0;
    for entry in fs::read_dir(corpus()).expect("corpus/terraform").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".tf") {
            continue;
        }
        let found = findings(&read(&name));
        let shown: Vec<String> = found
            .iter()
            .map(|f| format!("{}: {}", f.code, f.message))
            .collect();
        assert!(found.is_empty(), "{name}: {shown:#?}");
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} files");
}

/// The unattributed learner copies: never an error on what Terraform reads as a
/// literal elsewhere, and never a panic.
#[test]
fn unattributed_terraform_files_are_read() {
    for entry in fs::read_dir(corpus().join("unattributed"))
        .expect("corpus/terraform/unattributed")
        .flatten()
    {
        let text = fs::read_to_string(entry.path()).expect("read");
        let _ = findings(&text);
    }
}

const SQS: &str = "kellens-terraform-adventure__sqs.tf";

/// The findings after replacing `from` with `to` in the SQS example: (code, the text at
/// the finding's range).
fn planted(from: &str, to: &str) -> Vec<(&'static str, Severity, String)> {
    let text = read(SQS);
    assert!(text.contains(from), "{from:?} not in {SQS}");
    let text = text.replacen(from, to, 1);
    findings(&text)
        .into_iter()
        .map(|f| (f.code, f.severity, text[f.range.clone()].to_string()))
        .collect()
}

#[test]
fn planted_defects_are_found_where_they_are() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "\"SQS-SendMessage\"",
            "\"SQS-SendMesage\"",
            "unknown-subtype",
            "SQS-SendMesage",
        ),
        (
            "\"QueueUrl\"",
            "\"queueUrl\"",
            "unknown-parameter",
            "queueUrl",
        ),
        (
            "    \"MessageBody\" = \"$request.body\"\n",
            "",
            "missing-required-parameter",
            "request_parameters",
        ),
        (
            "\"$request.body\"",
            "\"$request.bdy\"",
            "invalid-expression",
            "bdy",
        ),
        (
            "integration_subtype = \"SQS-SendMessage\"",
            "integration_subtype = \"SQS-SendMessage\"\n  payload_format_version = \"2.0\"",
            "wrong-payload-format-version",
            "2.0",
        ),
        (
            "  credentials_arn     = aws_iam_role.apigateway.arn\n",
            "",
            "missing-credentials",
            "integration_subtype",
        ),
        (
            "\"$request.body\"",
            "\"${request.body}\"",
            "sub-variable-collision",
            "${request.body}",
        ),
        (
            "aws_sqs_queue.main.url",
            "aws_sqs_queue.main.arn",
            "wrong-reference-kind",
            "aws_sqs_queue.main.arn",
        ),
        (
            "\"$request.body\"",
            "\"$request.path.id\"",
            "undefined-path-variable",
            "id",
        ),
    ];
    for (from, to, code, at) in cases {
        let found = planted(from, to);
        assert!(
            found.iter().any(|(c, _, text)| c == code && text == at),
            "{from:?} -> {to:?}: want {code} at {at:?}, got {found:?}"
        );
    }
}

#[test]
fn payload_format_version_may_be_left_to_the_provider_default() {
    // The example has none: the AWS provider defaults it to "1.0".
    assert!(!read(SQS).contains("payload_format_version"));
    assert!(planted("x", "x").is_empty());
}

#[test]
fn opaque_values_are_never_read_as_literals() {
    // A module passing everything through (`each.value.subtype`): no subtype to check.
    let text = "resource \"aws_apigatewayv2_integration\" \"this\" {\n  for_each = var.routes\n  api_id = aws_apigatewayv2_api.this[0].id\n  integration_subtype = each.value.subtype\n  integration_type = each.value.type\n  integration_uri = each.value.uri\n  connection_type = each.value.connection_type\n  request_parameters = each.value.request_parameters\n}\n";
    assert_eq!(findings(text), Vec::new());
    // A reference, a conditional and a function call as values.
    let text = "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id = aws_apigatewayv2_api.api.id\n  integration_type = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn = var.role_arn\n  request_parameters = {\n    QueueUrl = var.fifo ? aws_sqs_queue.a.url : aws_sqs_queue.b.url,\n    MessageBody = format(\"%s\", \"$request.body\"),\n  }\n}\n";
    assert_eq!(findings(text), Vec::new());
}

#[test]
fn only_replacements_are_offered_as_fixes_in_terraform() {
    use apigw_lsp::analysis::code_actions::for_finding;
    let text = read(SQS).replacen("\"$request.body\"", "\"${request.body}\"", 1);
    let doc = Document::new(&text, Language::Terraform, 0);
    let found = analysis::analyze(&doc);
    let collision = found
        .iter()
        .find(|f| f.code == "sub-variable-collision")
        .expect("the unescaped interpolation");
    let actions = for_finding(&doc, collision);
    assert_eq!(actions.len(), 1);
    let edit = &actions[0].edits[0];
    let mut fixed = text.clone();
    fixed.replace_range(edit.range.clone(), &edit.text);
    assert!(
        fixed.contains("\"MessageBody\" = \"$${request.body}\""),
        "{fixed}"
    );
    assert!(findings(&fixed).is_empty());
    // Adding a parameter would write YAML into HCL: not offered.
    let text = read(SQS).replacen("    \"MessageBody\" = \"$request.body\"\n", "", 1);
    let doc = Document::new(&text, Language::Terraform, 0);
    let missing = analysis::analyze(&doc);
    assert_eq!(missing.len(), 1);
    assert!(for_finding(&doc, &missing[0]).is_empty());
}

#[test]
fn numbers_in_request_parameters_are_strings_to_terraform() {
    let text = read(SQS).replacen(
        "\"MessageBody\" = \"$request.body\"",
        "\"MessageBody\" = \"$request.body\"\n    \"DelaySeconds\" = 5",
        1,
    );
    assert!(text.contains("= 5"));
    assert_eq!(findings(&text), Vec::new());
}

#[test]
fn jsonencode_of_literals_is_checked_as_the_json_it_makes() {
    let with = |attributes: &str| {
        read(SQS).replacen(
            "\"MessageBody\" = \"$request.body\"",
            &format!("\"MessageBody\" = \"$request.body\"\n    MessageAttributes = {attributes}"),
            1,
        )
    };
    let good = with(
        "jsonencode({ tenant = { DataType = \"String\", StringValue = \"$${request.header.x-tenant}\" } })",
    );
    assert_eq!(findings(&good), Vec::new());
    // An expression typo inside: found, on the `jsonencode` call.
    let bad = with(
        "jsonencode({ tenant = { DataType = \"String\", StringValue = \"$${request.heder.x-tenant}\" } })",
    );
    let found = findings(&bad);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, "invalid-expression");
    assert!(bad[found[0].range.clone()].starts_with("jsonencode("));
    // A reference inside: opaque.
    let opaque =
        with("jsonencode({ tenant = { DataType = \"String\", StringValue = var.tenant } })");
    assert_eq!(findings(&opaque), Vec::new());
}
