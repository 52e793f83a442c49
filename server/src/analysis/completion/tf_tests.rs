//! Completion in Terraform (`.tf`) buffers: `$0` marks the cursor. Each test accepts
//! the item and checks the text it leaves, and that the block then parses.

use super::complete;
use super::tests::{accept, find, labels, sorted};
use crate::analysis::features::CompletionItem;
use crate::analysis::test_support::cursor;
use crate::document::Document;
use crate::model::index::Index;
use crate::syntax::Language;

/// Completion at the `$0` of a Terraform fixture.
fn at(fixture: &str) -> (String, Vec<CompletionItem>) {
    let (text, offset) = cursor(fixture);
    let doc = Document::new(&text, Language::Terraform, 0);
    let index = Index::of(&doc);
    let items = complete(&doc, &index, offset);
    (text, items)
}

/// The text after accepting `label`, checked to parse as HCL.
fn accepted(fixture: &str, label: &str) -> String {
    let (text, items) = at(fixture);
    let out = accept(&text, find(&items, label));
    let doc = Document::new(&out, Language::Terraform, 0);
    assert!(
        doc.syntax_errors().is_empty(),
        "{out}\n{:?}",
        doc.syntax_errors()
    );
    out
}

const QUEUE: &str = r#"
resource "aws_sqs_queue" "orders" {
  name = "orders"
}

resource "aws_iam_role" "api" {
  name = "api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "apigateway.amazonaws.com" }
    }]
  })
}

resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "post" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "POST /orders/{orderId}"
  target    = "integrations/${aws_apigatewayv2_integration.sqs.id}"
}
"#;

fn integration(body: &str) -> String {
    format!(
        "{QUEUE}\nresource \"aws_apigatewayv2_integration\" \"sqs\" {{\n  api_id = aws_apigatewayv2_api.api.id\n{body}}}\n"
    )
}

#[test]
fn subtypes_in_a_string_an_open_string_and_an_empty_value() {
    for (line, expected) in [
        (
            "  integration_subtype = \"SQS-$0\"\n",
            "  integration_subtype = \"SQS-SendMessage\"\n",
        ),
        (
            "  integration_subtype = \"SQS-$0\n",
            "  integration_subtype = \"SQS-SendMessage\"\n",
        ),
        (
            "  integration_subtype = $0\n",
            "  integration_subtype = \"SQS-SendMessage\"\n",
        ),
        (
            "  integration_subtype =$0\n",
            "  integration_subtype = \"SQS-SendMessage\"\n",
        ),
    ] {
        let fixture = integration(line);
        let (_, items) = at(&fixture);
        // The typed `SQS-` keeps the four SQS subtypes; nothing typed, all ten.
        let count = if line.contains("SQS-") { 4 } else { 10 };
        assert_eq!(items.len(), count, "{line}: {:?}", labels(&items));
        let out = accepted(&fixture, "SQS-SendMessage");
        assert!(out.contains(expected), "{line} gave:\n{out}");
    }
}

#[test]
fn type_and_payload_format_version_take_their_one_value() {
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  integration_type = \"$0\"\n";
    let out = accepted(&integration(body), "AWS_PROXY");
    assert!(out.contains("integration_type = \"AWS_PROXY\""), "{out}");
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  payload_format_version = $0\n";
    let (_, items) = at(&integration(body));
    let item = items.iter().find(|i| i.label.contains("1.0")).expect("1.0");
    let out = accepted(&integration(body), &item.label.clone());
    assert!(out.contains("payload_format_version = \"1.0\"\n"), "{out}");
}

#[test]
fn parameter_keys_required_first_leaving_out_present_ones() {
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    QueueUrl = aws_sqs_queue.orders.url\n    Mes$0\n  }\n";
    let fixture = integration(body);
    let (_, items) = at(&fixture);
    let names = sorted(&items);
    assert!(!names.contains(&"QueueUrl"), "{names:?}");
    assert_eq!(names.first(), Some(&"MessageBody"), "{names:?}");
    // The value is the next thing to type (HCL has no empty value).
    let (text, items) = at(&fixture);
    let out = accept(&text, find(&items, "MessageBody"));
    assert!(out.contains("\n    MessageBody = \n"), "{out}");
    // Quoted keys stay quoted, and `=` is not written twice.
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    \"Mes$0\" = \"$request.body\"\n  }\n";
    let (text, items) = at(&integration(body));
    let out = accept(&text, find(&items, "MessageBody"));
    assert!(out.contains("\"MessageBody\" = \"$request.body\""), "{out}");
}

#[test]
fn all_required_keys_at_once_in_an_empty_map() {
    let body =
        "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    $0\n  }\n";
    let fixture = integration(body);
    let out = accepted(&fixture, "all required keys");
    assert!(
        out.contains("request_parameters = {\n    QueueUrl = \"\"\n    MessageBody = \"\"\n  }"),
        "{out}"
    );
}

#[test]
fn expressions_bare_and_escaped() {
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    QueueUrl = aws_sqs_queue.orders.url\n    MessageBody = \"$request.$0\"\n  }\n";
    let out = accepted(&integration(body), "body");
    assert!(out.contains("MessageBody = \"$request.body\""), "{out}");
    // Terraform reads `${...}` as its own: a completed expression is escaped.
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    QueueUrl = aws_sqs_queue.orders.url\n    MessageBody = \"x ${request.bo$0\"\n  }\n";
    let out = accepted(&integration(body), "body");
    assert!(
        out.contains("MessageBody = \"x $${request.body}\""),
        "{out}"
    );
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    QueueUrl = aws_sqs_queue.orders.url\n    MessageBody = \"x $${request.bo$0}\"\n  }\n";
    let out = accepted(&integration(body), "body");
    assert!(
        out.contains("MessageBody = \"x $${request.body}\""),
        "{out}"
    );
    // Path variables come from the route targeting the integration.
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    QueueUrl = aws_sqs_queue.orders.url\n    MessageBody = \"$request.path.$0\"\n  }\n";
    let (_, items) = at(&integration(body));
    assert!(labels(&items).contains(&"orderId"), "{:?}", labels(&items));
}

#[test]
fn references_are_written_bare() {
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    QueueUrl = $0\n  }\n";
    let out = accepted(&integration(body), "aws_sqs_queue.orders.url");
    assert!(
        out.contains("QueueUrl = aws_sqs_queue.orders.url\n"),
        "{out}"
    );
    // Typed inside quotes: the reference replaces them.
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    QueueUrl = \"aws_sq$0\"\n  }\n";
    let out = accepted(&integration(body), "aws_sqs_queue.orders.url");
    assert!(
        out.contains("QueueUrl = aws_sqs_queue.orders.url\n"),
        "{out}"
    );
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn = $0\n";
    let out = accepted(&integration(body), "aws_iam_role.api.arn");
    assert!(
        out.contains("credentials_arn = aws_iam_role.api.arn\n"),
        "{out}"
    );
}

#[test]
fn module_route_integrations() {
    let fixture = r#"
module "api" {
  source = "terraform-aws-modules/apigateway-v2/aws"
  routes = {
    "POST /orders/{id}" = {
      integration = {
        subtype = "Step$0"
      }
    }
  }
}
"#;
    let out = accepted(fixture, "StepFunctions-StartExecution");
    assert!(
        out.contains("subtype = \"StepFunctions-StartExecution\""),
        "{out}"
    );
    let fixture = r#"
module "api" {
  source = "terraform-aws-modules/apigateway-v2/aws"
  routes = {
    "POST /orders/{id}" = {
      integration = {
        subtype = "SQS-SendMessage"
        request_parameters = {
          MessageBody = "$request.path.$0"
        }
      }
    }
  }
}
"#;
    let (_, items) = at(fixture);
    assert!(labels(&items).contains(&"id"), "{:?}", labels(&items));
}

#[test]
fn openapi_in_a_jsonencoded_body() {
    let fixture = r#"
resource "aws_apigatewayv2_api" "api" {
  name          = "api"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/orders" = {
        post = {
          x-amazon-apigateway-integration = {
            integrationSubtype = "EventBridge-$0"
          }
        }
      }
    }
  })
}
"#;
    let out = accepted(fixture, "EventBridge-PutEvents");
    assert!(
        out.contains("integrationSubtype = \"EventBridge-PutEvents\""),
        "{out}"
    );
}

#[test]
fn nothing_outside_integrations() {
    // A queue's arguments, a block label, a variable: no integration items.
    for fixture in [
        "resource \"aws_sqs_queue\" \"q\" {\n  name = \"SQS-$0\"\n}\n",
        "resource \"aws_sqs_queue\" \"q$0\" {\n}\n",
        "variable \"x\" {\n  default = \"SQS-$0\"\n}\n",
    ] {
        let (_, items) = at(fixture);
        assert!(items.is_empty(), "{fixture}: {:?}", labels(&items));
    }
}

#[test]
fn argument_names_of_an_integration() {
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  integration_t$0\n";
    let (_, items) = at(&integration(body));
    assert_eq!(labels(&items), ["integration_type"], "{:?}", labels(&items));
    let out = accepted(&integration(body), "integration_type");
    assert!(
        out.contains("  integration_type = \"AWS_PROXY\"\n"),
        "{out}"
    );
    // Present ones are left out; names are the provider's (`timeout_milliseconds`).
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  $0\n";
    let (_, items) = at(&integration(body));
    let names = labels(&items);
    assert!(names.contains(&"timeout_milliseconds"), "{names:?}");
    assert!(names.contains(&"credentials_arn"), "{names:?}");
    assert!(
        !names.contains(&"api_id") && !names.contains(&"integration_subtype"),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.chars().any(char::is_uppercase)),
        "{names:?}"
    );
    // Module routes use the module's names.
    let fixture = r#"
module "api" {
  source = "terraform-aws-modules/apigateway-v2/aws"
  routes = {
    "POST /orders" = {
      integration = {
        sub$0
      }
    }
  }
}
"#;
    let (_, items) = at(fixture);
    assert_eq!(labels(&items), ["subtype"], "{:?}", labels(&items));
}

#[test]
fn route_targets_and_keys() {
    let fixture = format!(
        "{}\nresource \"aws_apigatewayv2_route\" \"get\" {{\n  api_id    = aws_apigatewayv2_api.api.id\n  route_key = \"GET /$0\"\n}}\n",
        integration("  integration_subtype = \"SQS-SendMessage\"\n")
    );
    let (_, items) = at(&fixture);
    assert!(
        labels(&items).iter().any(|l| l.starts_with("GET /")),
        "{:?}",
        labels(&items)
    );
    let fixture = format!(
        "{}\nresource \"aws_apigatewayv2_route\" \"get\" {{\n  api_id    = aws_apigatewayv2_api.api.id\n  route_key = \"GET /orders\"\n  target    = \"$0\"\n}}\n",
        integration("  integration_subtype = \"SQS-SendMessage\"\n")
    );
    let label = "integrations/${aws_apigatewayv2_integration.sqs.id}";
    let out = accepted(&fixture, label);
    assert!(
        out.contains("  target    = \"integrations/${aws_apigatewayv2_integration.sqs.id}\"\n"),
        "{out}"
    );
    let fixture = fixture.replace("= \"$0\"", "= $0");
    let out = accepted(&fixture, label);
    assert!(
        out.contains("  target    = \"integrations/${aws_apigatewayv2_integration.sqs.id}\"\n"),
        "{out}"
    );
}

#[test]
fn openapi_bodies_get_hcl_names_and_bare_references() {
    let body = |line: &str| {
        format!(
            "{QUEUE}\nresource \"aws_apigatewayv2_api\" \"b\" {{\n  name = \"b\"\n  protocol_type = \"HTTP\"\n  body = jsonencode({{\n    openapi = \"3.0.1\"\n    paths = {{\n      \"/orders\" = {{\n        post = {{\n          x-amazon-apigateway-integration = {{\n            integrationSubtype = \"SQS-SendMessage\"\n{line}\n            requestParameters = {{\n              QueueUrl = aws_sqs_queue.orders.url\n            }}\n          }}\n        }}\n      }}\n    }}\n  }})\n}}\n"
        )
    };
    let out = accepted(&body("            ty$0"), "type");
    assert!(out.contains("            type = \"aws_proxy\"\n"), "{out}");
    let out = accepted(
        &body("            credentials = $0"),
        "aws_iam_role.api.arn",
    );
    assert!(
        out.contains("credentials = aws_iam_role.api.arn\n"),
        "{out}"
    );
}

#[test]
fn module_inputs_are_objects_not_blocks() {
    let fixture = r#"
module "api" {
  source = "terraform-aws-modules/apigateway-v2/aws"
  routes = {
    "GET /x" = {
      integration = {
        uri = "https://example.com"
        tls$0
      }
    }
  }
}
"#;
    let (text, items) = at(fixture);
    let out = accept(&text, find(&items, "tls_config"));
    assert!(out.contains("        tls_config = {"), "{out}");
    // A module of another source, and a REST API integration: none of ours.
    let other = fixture
        .replace("terraform-aws-modules/apigateway-v2/aws", "./local")
        .replace("tls$0", "subtype = \"SQS-$0\"");
    assert!(at(&other).1.is_empty(), "{:?}", labels(&at(&other).1));
    let rest = "resource \"aws_api_gateway_integration\" \"i\" {\n  request_parameters = {\n    \"integration.request.header.x\" = \"$request.$0\"\n  }\n}\n";
    assert!(at(rest).1.is_empty(), "{:?}", labels(&at(rest).1));
}

#[test]
fn module_v4_jsonencoded_parameters_count_as_present() {
    let fixture = r#"
module "api" {
  source = "terraform-aws-modules/apigateway-v2/aws"
  version = "4.0.0"
  integrations = {
    "POST /orders" = {
      integration_type    = "AWS_PROXY"
      integration_subtype = "SQS-SendMessage"
      request_parameters = jsonencode({
        QueueUrl    = "https://sqs.eu-west-1.amazonaws.com/1/q"
        MessageBody = "$request.body"
        $0
      })
    }
  }
}
"#;
    let (_, items) = at(fixture);
    let names = labels(&items);
    assert!(
        !names.contains(&"QueueUrl") && !names.contains(&"MessageBody"),
        "{names:?}"
    );
    assert!(!names.contains(&"all required keys"), "{names:?}");
    assert!(names.contains(&"MessageGroupId"), "{names:?}");
}

#[test]
fn quoted_references_filter_with_their_quote_and_braces_closed_by_the_editor() {
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    QueueUrl = \"aws_sq$0\"\n  }\n";
    let (_, items) = at(&integration(body));
    let item = find(&items, "aws_sqs_queue.orders.url");
    assert_eq!(
        item.filter_text.as_deref(),
        Some("\"aws_sqs_queue.orders.url")
    );
    // `${` with the `}` the editor added.
    let body = "  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    QueueUrl = aws_sqs_queue.orders.url\n    MessageBody = \"x ${request.bo$0}\"\n  }\n";
    let out = accepted(&integration(body), "body");
    assert!(
        out.contains("MessageBody = \"x $${request.body}\""),
        "{out}"
    );
}

#[test]
fn yaml_with_terraform_like_keys_gets_nothing() {
    for fixture in [
        "module:\n  api:\n    routes:\n      \"POST /x\":\n        integration:\n          subtype: SQS-$0\n",
        "data:\n  x:\n    request_parameters:\n      MessageBody: $request.$0\n",
    ] {
        let (text, offset) = cursor(fixture);
        let doc = Document::new(&text, Language::Yaml, 0);
        let index = Index::of(&doc);
        let items = complete(&doc, &index, offset);
        assert!(items.is_empty(), "{fixture}: {:?}", labels(&items));
    }
}

#[test]
fn a_block_being_written_without_its_closing_braces() {
    let fixture = format!(
        "{QUEUE}\nresource \"aws_apigatewayv2_integration\" \"new\" {{\n  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {{\n    Mes$0\n"
    );
    let (_, items) = at(&fixture);
    assert_eq!(
        sorted(&items)[..2],
        ["all required keys", "MessageBody"],
        "{:?}",
        labels(&items)
    );
    let fixture = format!(
        "{QUEUE}\nresource \"aws_apigatewayv2_integration\" \"new\" {{\n  integration_subtype = \"SQS-$0\n"
    );
    let (_, items) = at(&fixture);
    assert_eq!(items.len(), 4, "{:?}", labels(&items));
}
