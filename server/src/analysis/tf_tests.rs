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
