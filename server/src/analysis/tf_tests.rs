//! Hover, definition, references and outline in Terraform (`.tf`) buffers.

use crate::analysis::hover::hover;
use crate::analysis::navigation::{definition, references};
use crate::analysis::symbols::document_symbols;
use crate::document::Document;
use crate::model::index::Index;
use crate::syntax::Language;

const TF: &str = r#"resource "aws_sqs_queue" "orders" {
  name = "orders"
}

resource "aws_iam_role" "api" {
  name = "api"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
}

resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.api.id
  name   = "prod"
  stage_variables = {
    queueName = "orders"
  }
}

resource "aws_apigatewayv2_integration" "sqs" {
  api_id              = aws_apigatewayv2_api.api.id
  integration_type    = "AWS_PROXY"
  integration_subtype = "SQS-SendMessage"
  credentials_arn     = aws_iam_role.api.arn
  request_parameters = {
    QueueUrl    = aws_sqs_queue.orders.url
    MessageBody    = "$request.path.orderId"
    MessageGroupId = "$stageVariables.queueName"
  }
}

resource "aws_apigatewayv2_route" "post" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "POST /orders/{orderId}"
  target    = "integrations/${aws_apigatewayv2_integration.sqs.id}"
}
"#;

fn open() -> (Document, Index) {
    let doc = Document::new(TF, Language::Terraform, 0);
    let index = Index::of(&doc);
    (doc, index)
}

/// The offset of the `nth` occurrence of `needle`, plus `into`.
fn at(needle: &str, nth: usize, into: usize) -> usize {
    TF.match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i + into)
        .unwrap_or_else(|| panic!("no {needle:?} #{nth}"))
}

fn hover_at(offset: usize) -> String {
    let (doc, index) = open();
    hover(&doc, &index, offset)
        .map(|h| h.markdown)
        .unwrap_or_default()
}

#[test]
fn hovers_on_subtypes_parameters_expressions_and_fields() {
    let md = hover_at(at("SQS-SendMessage", 0, 3));
    assert!(md.contains("sqs:SendMessage"), "{md}");
    let md = hover_at(at("QueueUrl", 0, 2));
    assert!(md.contains("QueueUrl") && md.contains("required"), "{md}");
    let md = hover_at(at("$request.path.orderId", 0, 16));
    assert!(md.contains("orderId"), "{md}");
    let md = hover_at(at("$stageVariables.queueName", 0, 18));
    assert!(md.contains("queueName") && md.contains("orders"), "{md}");
    let md = hover_at(at("integration_subtype", 0, 3));
    assert!(!md.is_empty());
}

#[test]
fn definition_and_references_follow_terraform_addresses() {
    let (doc, index) = open();
    let queue = at("\"orders\" {", 0, 1);
    // `aws_sqs_queue.orders.url` leads to the queue's block label.
    let found = definition(&doc, &index, at("aws_sqs_queue.orders.url", 0, 16));
    assert_eq!(
        found
            .iter()
            .map(|(_, r)| &TF[r.clone()])
            .collect::<Vec<_>>(),
        ["orders"],
        "{found:?}"
    );
    assert_eq!(found[0].1.start, queue);
    // The route's target leads to the integration.
    let found = definition(
        &doc,
        &index,
        at("aws_apigatewayv2_integration.sqs.id", 0, 30),
    );
    assert_eq!(
        found
            .iter()
            .map(|(_, r)| &TF[r.clone()])
            .collect::<Vec<_>>(),
        ["sqs"],
        "{found:?}"
    );
    // The path variable leads to the route key's `{orderId}`.
    let found = definition(&doc, &index, at("$request.path.orderId", 0, 16));
    assert!(
        found.iter().any(|(_, r)| TF[r.clone()].contains("orderId")),
        "{found:?}"
    );
    // From the queue's label, its uses.
    let uses = references(&doc, &index, queue + 2, false);
    assert!(
        uses.iter()
            .any(|(_, r)| TF[r.clone()].starts_with("aws_sqs_queue.orders")),
        "{uses:?}"
    );
}

#[test]
fn outline_lists_routes_and_integrations_under_their_api() {
    let (doc, index) = open();
    let symbols = document_symbols(&doc, &index);
    let names: Vec<String> = symbols
        .iter()
        .flat_map(|s| std::iter::once(s).chain(&s.children))
        .map(|s| s.name.clone())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("POST /orders/{orderId}")),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n.contains("aws_apigatewayv2_api.api")),
        "{names:?}"
    );
}

/// The text after applying every quick fix of the findings with `code` in `text`
/// (checked to parse), and how many were applied.
fn fixed(text: &str, code: &str) -> (String, usize) {
    let doc = Document::new(text, Language::Terraform, 0);
    let findings = crate::analysis::analyze(&doc);
    let mut actions: Vec<_> = findings
        .iter()
        .filter(|f| f.code == code)
        .flat_map(|f| crate::analysis::code_actions::for_finding(&doc, f))
        .collect();
    assert_eq!(actions.len(), 1, "{code}: {findings:?}");
    let action = actions.remove(0);
    let out = crate::cli::fix::apply(text, &action.edits).expect("edits apply");
    let after = Document::new(&out, Language::Terraform, 0);
    assert!(after.syntax_errors().is_empty(), "{out}");
    let left = crate::analysis::analyze(&after);
    assert!(!left.iter().any(|f| f.code == code), "{out}\n{left:?}");
    (out, action.edits.len())
}

const INTEGRATION: &str = r#"resource "aws_apigatewayv2_integration" "sqs" {
  api_id              = aws_apigatewayv2_api.api.id
  integration_type    = "AWS_PROXY"
  integration_subtype = "SQS-SendMessage"
  credentials_arn     = aws_iam_role.api.arn
  REQUEST
}
"#;

#[test]
fn missing_parameters_are_added_as_hcl() {
    // Into the map, after its last member.
    let text = INTEGRATION.replace(
        "REQUEST",
        "request_parameters = {\n    QueueUrl = aws_sqs_queue.orders.url\n  }",
    );
    let (out, _) = fixed(&text, "missing-required-parameter");
    assert!(
        out.contains(
            "    QueueUrl = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }"
        ),
        "{out}"
    );
    // An empty map is filled.
    let text = INTEGRATION.replace("REQUEST", "request_parameters = {}");
    let (out, _) = fixed(&text, "missing-required-parameter");
    assert!(
        out.contains("request_parameters = {\n    QueueUrl = \"REPLACE_ME\"\n    MessageBody = \"$request.body\"\n  }"),
        "{out}"
    );
    // No map: the argument is added after the last one.
    let text = INTEGRATION.replace("  REQUEST\n", "");
    let (out, _) = fixed(&text, "missing-required-parameter");
    assert!(
        out.contains("credentials_arn     = aws_iam_role.api.arn\n  request_parameters = {\n    QueueUrl = \"REPLACE_ME\"\n"),
        "{out}"
    );
}

#[test]
fn fixes_on_one_line_objects_and_in_tabbed_files_stay_inside() {
    // A map closed on its member's line gets the member on that line.
    let text = INTEGRATION.replace(
        "REQUEST",
        "request_parameters = { QueueUrl = aws_sqs_queue.orders.url }",
    );
    let (out, _) = fixed(&text, "missing-required-parameter");
    assert!(
        out.contains("request_parameters = { QueueUrl = aws_sqs_queue.orders.url, MessageBody = \"$request.body\" }"),
        "{out}"
    );
    // A module route's integration written on one line.
    let text = r#"module "api" {
  source = "terraform-aws-modules/apigateway-v2/aws"
  routes = {
    "POST /orders" = {
      integration = { subtype = "SQS-SendMessage", credentials_arn = aws_iam_role.api.arn }
    }
  }
}
"#;
    let (out, _) = fixed(text, "missing-required-parameter");
    assert!(
        out.contains("credentials_arn = aws_iam_role.api.arn, request_parameters = {"),
        "{out}"
    );
    // Tabs stay tabs.
    let text = INTEGRATION.replace("  ", "\t").replace(
        "REQUEST",
        "request_parameters = {\n\t\tQueueUrl = aws_sqs_queue.orders.url\n\t}",
    );
    let (out, _) = fixed(&text, "missing-required-parameter");
    assert!(
        out.contains(
            "\t\tQueueUrl = aws_sqs_queue.orders.url\n\t\tMessageBody = \"$request.body\"\n\t}"
        ),
        "{out}"
    );
}

#[test]
fn a_wrong_payload_format_version_is_set_as_a_string() {
    let text = INTEGRATION.replace(
        "REQUEST",
        "payload_format_version = \"2.0\"\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }",
    );
    let (out, _) = fixed(&text, "wrong-payload-format-version");
    assert!(out.contains("payload_format_version = \"1.0\"\n"), "{out}");
}

#[test]
fn path_variables_are_followed_both_ways_and_module_routes_hover_their_key() {
    let (doc, index) = open();
    // From the expression, the route key's variable and back.
    let uses = references(&doc, &index, at("$request.path.orderId", 0, 16), true);
    let texts: Vec<&str> = uses.iter().map(|(_, r)| &TF[r.clone()]).collect();
    assert!(
        texts.iter().filter(|t| t.contains("orderId")).count() >= 2,
        "{texts:?}"
    );
    let from_key = references(&doc, &index, at("{orderId}", 0, 2), true);
    assert_eq!(from_key.len(), uses.len(), "{from_key:?} {uses:?}");
    let renamed =
        crate::analysis::navigation::rename(&doc, &[], &index, at("{orderId}", 0, 2), "id");
    assert!(
        renamed.as_ref().is_ok_and(|edits| edits.len() >= 2),
        "{renamed:?}"
    );
    // A module route's integration: its route is its key.
    let text = r#"module "api" {
  source = "terraform-aws-modules/apigateway-v2/aws"
  routes = {
    "POST /orders/{id}" = {
      integration = {
        subtype = "SQS-SendMessage"
        request_parameters = {
          QueueUrl    = "https://sqs.eu-west-1.amazonaws.com/1/q"
          MessageBody = "$request.path.id"
        }
      }
    }
  }
}
"#;
    let doc = Document::new(text, Language::Terraform, 0);
    let index = Index::of(&doc);
    let offset = text.find("path.id").unwrap_or(0) + 6;
    let md = hover(&doc, &index, offset)
        .map(|h| h.markdown)
        .unwrap_or_default();
    assert!(
        md.contains("`POST /orders/{id}`") && !md.contains("No route"),
        "{md}"
    );
}
