//! Terraform documents: the cut at top-level blocks, entries, and edits.

use super::tests::assert_same_as_fresh;
use super::*;
use crate::syntax::hcl;

fn tf(text: &str) -> Document {
    Document::new(text, Language::Terraform, 1)
}

const TEMPLATE: &str = r#"# The orders API.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

resource "aws_apigatewayv2_api" "api" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_sqs_queue" "orders" {
  name = "orders"
}

/*
resource "aws_sqs_queue" "old" {
}
*/

resource "aws_apigatewayv2_integration" "send" {
  api_id              = aws_apigatewayv2_api.api.id
  integration_type    = "AWS_PROXY"
  integration_subtype = "SQS-SendMessage"
  credentials_arn     = aws_iam_role.api.arn

  request_parameters = {
    "QueueUrl"    = aws_sqs_queue.orders.url
    "MessageBody" = "$request.body"
  }
}

resource "aws_apigatewayv2_route" "post" {
  api_id    = aws_apigatewayv2_api.api.id
  route_key = "POST /orders"
  target    = "integrations/${aws_apigatewayv2_integration.send.id}"
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "api" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Effect   = "Allow"
        Action   = "sqs:SendMessage"
        Resource = aws_sqs_queue.orders.arn
      }]
    })
  }
}

locals {
  script = <<-EOF
    server {
    }
    EOF
}

module "api" {
  source = "./api"
}

output "url" {
  value = aws_apigatewayv2_api.api.api_endpoint
}
"#;

#[test]
fn each_top_level_block_is_an_entry() {
    let d = tf(TEMPLATE);
    assert!(d.syntax_errors().is_empty(), "{:?}", d.syntax_errors());
    let entries: Vec<(Option<&str>, Option<&str>, &str)> = d
        .entries()
        .map(|e| (e.section, e.key(), &TEMPLATE[e.key_span()]))
        .collect();
    assert_eq!(
        entries,
        [
            (Some("terraform"), None, "terraform"),
            (Some("resource"), Some("aws_apigatewayv2_api.api"), "api"),
            (Some("resource"), Some("aws_sqs_queue.orders"), "orders"),
            (
                Some("resource"),
                Some("aws_apigatewayv2_integration.send"),
                "send"
            ),
            (
                Some("resource"),
                Some("aws_apigatewayv2_route.post"),
                "post"
            ),
            (Some("data"), Some("aws_iam_policy_document.trust"), "trust"),
            (Some("resource"), Some("aws_iam_role.api"), "api"),
            (Some("locals"), None, "locals"),
            (Some("module"), Some("api"), "api"),
            (Some("output"), Some("url"), "url"),
        ]
    );
    // One segment per block (the comment before the first one is a segment too).
    assert_eq!(d.segment_count(), 11);
    let send = d
        .entries()
        .find(|e| e.key() == Some("aws_apigatewayv2_integration.send"));
    let Some(send) = send else {
        panic!("no integration");
    };
    let first = send.first_label().map(|(t, span)| (t, &TEMPLATE[span]));
    assert_eq!(
        first,
        Some((
            "aws_apigatewayv2_integration",
            "aws_apigatewayv2_integration"
        ))
    );
    assert_eq!(
        send.block_type().map(|(t, span)| (t, &TEMPLATE[span])),
        Some(("resource", "resource"))
    );
    let queue = send
        .value()
        .and_then(|v| v.get("request_parameters"))
        .and_then(|r| r.get("QueueUrl"));
    let Some(queue) = queue else {
        panic!("no QueueUrl");
    };
    assert_eq!(&TEMPLATE[queue.span()], "aws_sqs_queue.orders.url");
    assert_eq!(
        queue.intrinsic().map(|i| i.name.as_str()),
        Some("Fn::GetAtt")
    );
    let target: Vec<&str> = queue
        .intrinsic_argument()
        .into_iter()
        .flat_map(|a| a.items())
        .filter_map(|i| i.text())
        .collect();
    assert_eq!(target, ["aws_sqs_queue.orders", "url"]);
    // Entry lookups by offset land in the block's segment.
    let at = TEMPLATE.find("SQS-SendMessage").unwrap_or(0);
    let here: Vec<Option<&str>> = d.entries_at(at).iter().map(|e| e.key()).collect();
    assert_eq!(here, [Some("aws_apigatewayv2_integration.send")]);
    assert!(d.parses_at(at));
    // YAML and JSON entries have no labels.
    let yaml = Document::new("A: 1\n", Language::Yaml, 0);
    assert!(yaml.entries().all(|e| e.first_label().is_none()));
}

/// The keys and stamps of a document's entries.
fn stamps(d: &Document) -> Vec<(Option<String>, u64)> {
    d.entries()
        .map(|e| (e.key().map(str::to_string), e.entry.stamp))
        .collect()
}

#[test]
fn an_edit_inside_a_block_rebuilds_only_that_block() {
    let mut d = tf(TEMPLATE);
    let before = stamps(&d);
    let at = TEMPLATE.find("SQS-SendMessage").unwrap_or(0) + 4;
    d.apply_edit(at..at + 4, "Xend");
    assert_same_as_fresh(&d);
    let after = stamps(&d);
    assert_eq!(before.len(), after.len());
    let changed: Vec<Option<String>> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b.1 != a.1)
        .map(|(_, a)| a.0.clone())
        .collect();
    assert_eq!(
        changed,
        [Some("aws_apigatewayv2_integration.send".to_string())]
    );
    // A new line in a block shifts the blocks after it without rebuilding them.
    let before = stamps(&d);
    let at = d.text().find("  name = \"orders\"").unwrap_or(0);
    d.apply_edit(at..at, "  fifo_queue = true\n");
    assert_same_as_fresh(&d);
    let changed = before
        .iter()
        .zip(&stamps(&d))
        .filter(|(b, a)| b.1 != a.1)
        .count();
    assert_eq!(changed, 1);
}

#[test]
fn edits_across_blocks_match_a_fresh_parse() {
    let mut d = tf(TEMPLATE);
    // A new block between two others, typed a character at a time.
    let at = TEMPLATE
        .find("resource \"aws_sqs_queue\" \"orders\"")
        .unwrap_or(0);
    let typed = "resource \"aws_sns_topic\" \"t\" {\n  name = \"t\"\n}\n";
    for (i, c) in typed.char_indices() {
        d.apply_edit(at + i..at + i, &c.to_string());
        assert_same_as_fresh(&d);
    }
    // Comment a block out and back in.
    let at = d.text().find("resource \"aws_sns_topic\"").unwrap_or(0);
    d.apply_edit(at..at, "/*\n");
    assert_same_as_fresh(&d);
    assert!(!d.entries().any(|e| e.key() == Some("aws_sns_topic.t")));
    d.apply_edit(at..at + 3, "");
    assert_same_as_fresh(&d);
    assert!(d.entries().any(|e| e.key() == Some("aws_sns_topic.t")));
    // Open a heredoc, then close it.
    let at = d.text().find("  name = \"t\"").unwrap_or(0);
    d.apply_edit(at..at, "  policy = <<EOT\n");
    assert_same_as_fresh(&d);
    let at = d.text().find("  name = \"t\"").unwrap_or(0);
    d.apply_edit(at..at, "EOT\n");
    assert_same_as_fresh(&d);
    assert!(d.entries().any(|e| e.key() == Some("aws_sqs_queue.orders")));
    // Rename a block type, make a header a plain line and back.
    let at = d.text().find("data \"aws_iam").unwrap_or(0);
    d.apply_edit(at..at + 4, "resource");
    assert_same_as_fresh(&d);
    d.apply_edit(at..at, "  ");
    assert_same_as_fresh(&d);
    d.apply_edit(at..at, "x = ");
    assert_same_as_fresh(&d);
    d.apply_edit(at..at + 4, "");
    assert_same_as_fresh(&d);
    // Join two blocks' lines, delete everything, type it all back.
    let t = d.text();
    let from = t.find("name          = \"orders\"").unwrap_or(0);
    let to = t.find("  name = \"orders\"").unwrap_or(0);
    d.apply_edit(from..to, "");
    assert_same_as_fresh(&d);
    let len = d.len();
    d.apply_edit(0..len, "");
    assert_same_as_fresh(&d);
    d.apply_edit(0..0, TEMPLATE);
    assert_same_as_fresh(&d);
}

#[test]
fn a_block_left_open_keeps_the_blocks_after_it() {
    let mut d = tf(TEMPLATE);
    let keys = |d: &Document| -> Vec<Option<String>> {
        d.entries().map(|e| e.key().map(str::to_string)).collect()
    };
    let all = keys(&d);
    // Delete the `}` that closes the queue.
    let at = TEMPLATE.find("  name = \"orders\"\n}").unwrap_or(0) + "  name = \"orders\"\n".len();
    d.apply_edit(at..at + 1, "");
    assert_same_as_fresh(&d);
    assert_eq!(keys(&d), all);
    // Reported where the block's text ends, not after the comment that follows.
    let errors = d.syntax_errors();
    assert_eq!(
        errors,
        [(at - 1..at - 1, "syntax error: missing `}`".to_string())]
    );
    assert!(!d.parses_at(at - 3));
    assert!(d.parses_at(d.text().find("SQS-SendMessage").unwrap_or(0)));
    // A header just typed above a block, without its body yet.
    let at = d
        .text()
        .find("resource \"aws_apigatewayv2_route\"")
        .unwrap_or(0);
    d.apply_edit(at..at, "resource \"aws_sqs_queue\" \"dlq\" {\n");
    assert_same_as_fresh(&d);
    let now = keys(&d);
    assert!(now.contains(&Some("aws_apigatewayv2_route.post".to_string())));
    assert!(now.contains(&Some("aws_sqs_queue.dlq".to_string())));
    assert!(now.contains(&Some("output".to_string())) || now.contains(&Some("url".to_string())));
}

#[test]
fn only_the_block_being_typed_in_keeps_a_small_tree() {
    let mut d = tf(TEMPLATE);
    assert_eq!(d.tree_count(), 0);
    let at = TEMPLATE.find("orders").unwrap_or(0) + 2;
    d.apply_edit(at..at, "x");
    assert_eq!(d.tree_count(), 1);
    d.apply_edit(at + 1..at + 1, "y");
    assert_eq!(d.tree_count(), 1);
    assert_same_as_fresh(&d);
    let other = d.text().rfind("api_endpoint").unwrap_or(0);
    d.apply_edit(other..other, "z");
    assert_eq!(d.tree_count(), 1);
    assert_same_as_fresh(&d);
}

#[test]
fn a_big_block_keeps_its_tree_and_reparses_incrementally() {
    let mut big = String::from("locals {\n  routes = {\n");
    let mut i = 0;
    while big.len() < 2 * KEEP_TREE_BYTES {
        big.push_str(&format!(
            "    \"GET /p{i}\" = {{ integration = aws_lambda_function.f.arn }}\n"
        ));
        i += 1;
    }
    big.push_str("  }\n}\n\nresource \"aws_sqs_queue\" \"q\" {}\n");
    let mut d = tf(&big);
    assert_eq!(d.tree_count(), 1);
    let at = big.find("/p7").unwrap_or(0) + 1;
    d.apply_edit(at..at, "x");
    assert_same_as_fresh(&d);
    assert_eq!(d.tree_count(), 1);
    d.apply_edit(at..at + 1, "");
    assert_same_as_fresh(&d);
    assert_eq!(d.text(), big);
}

#[test]
fn every_one_character_edit_matches_a_fresh_parse() {
    // Each byte deleted and typed back, and HCL's punctuation typed at each place.
    let text = &TEMPLATE[..TEMPLATE.find("data \"aws_iam").unwrap_or(TEMPLATE.len())];
    let base = tf(text);
    for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        let mut d = tf(text);
        let removed = &text[at..at + 1];
        d.apply_edit(at..at + 1, "");
        assert_same_as_fresh(&d);
        d.apply_edit(at..at, removed);
        assert_eq!(
            debug_view(&d),
            debug_view(&base),
            "retyped {removed:?} at {at}"
        );
        for typed in ["{", "}", "\"", "\n", "#", "/*", "<<EOF\n", "${"] {
            let mut d = tf(text);
            d.apply_edit(at..at, typed);
            assert_same_as_fresh(&d);
        }
    }
}

/// The corpus's Terraform files: `tests/corpus/real/terraform/` and its
/// `unattributed/` folder.
fn corpus_files() -> Vec<(String, String)> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real/terraform");
    let mut out = Vec::new();
    for folder in [dir.clone(), dir.join("unattributed")] {
        let Ok(read) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in read.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "tf")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push((path.display().to_string(), text));
            }
        }
    }
    out.sort();
    out
}

/// A picture of a value with absolute spans.
fn picture(out: &mut String, n: NodeRef<'_>) {
    out.push_str(&format!("{:?}", n.span()));
    match n.kind() {
        NodeKind::Map(_) => {
            out.push('{');
            for p in n.pairs() {
                out.push_str(&format!("{}@{:?}=", p.key(), p.key_span()));
                if let Some(v) = p.value() {
                    picture(out, v);
                }
                out.push(',');
            }
            out.push('}');
        }
        NodeKind::Seq(_) => {
            out.push('[');
            for item in n.items() {
                picture(out, item);
                out.push(',');
            }
            out.push(']');
        }
        NodeKind::Scalar(s) => out.push_str(&format!("{:?}{:?}", s.text, n.text_span())),
        NodeKind::Intrinsic(i) => {
            out.push_str(&format!("!{}{:?}(", i.name, n.intrinsic_name_span()));
            if let Some(arg) = n.intrinsic_argument() {
                picture(out, arg);
            }
            out.push(')');
        }
        NodeKind::Alias | NodeKind::Invalid => out.push('?'),
    }
}

#[test]
fn corpus_files_parse_and_every_block_is_an_entry() {
    let files = corpus_files();
    assert!(files.len() >= 7, "{} corpus files", files.len());
    let header =
        regex::Regex::new(r#"^[A-Za-z_][A-Za-z0-9_-]*( +("[^"]*"|[A-Za-z_][A-Za-z0-9_-]*))* *\{"#)
            .unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in files {
        let d = tf(&text);
        assert!(
            d.syntax_errors().is_empty(),
            "{name}: {:?}",
            d.syntax_errors()
        );
        // A simple count: header lines at column 0.
        let count = text.lines().filter(|l| header.is_match(l)).count();
        assert_eq!(d.entries().count(), count, "{name}");
        assert!(d.entries().all(|e| e.section.is_some()), "{name}");
        // The whole file parsed at once says the same as the segments.
        let rope = ropey::Rope::from_str(&text);
        let tree = crate::syntax::parse_rope_range(Language::Terraform, &rope, 0..text.len(), None);
        let Some(tree) = tree else {
            panic!("{name}: no tree");
        };
        assert!(!tree.root_node().has_error(), "{name}");
        let src = crate::syntax::RopeWindow {
            rope: &rope,
            base: 0,
        };
        let whole: Vec<String> = hcl::build(tree.root_node(), &src)
            .iter()
            .map(|item| {
                let mut out = format!("{:?}", item.key);
                if let Some(v) = &item.value {
                    picture(&mut out, NodeRef::new(v, 0));
                }
                out
            })
            .collect();
        let split: Vec<String> = d
            .entries()
            .map(|e| {
                let mut out = format!("{:?}", e.key());
                if let Some(v) = e.value() {
                    picture(&mut out, v);
                }
                out
            })
            .collect();
        assert_eq!(split, whole, "{name}");
        // Every value tree reads: no part of it is invalid.
        assert!(!split.iter().any(|s| s.contains('?')), "{name}");
    }
}

#[test]
fn random_bytes_and_truncations_do_not_panic() {
    let mut state = 0x2545_f491_u32;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let alphabet: &[&str] = &[
        "{", "}", "[", "]", "(", ")", "\"", "\\", "$", "${", "%{", "$${", "<<", "<<-", "EOF", "\n",
        "#", "//", "/*", "*/", "=", ":", ",", ".", "resource", " \"a\" ", "x", "1", "😀", "\r\n",
        "\t", "\u{feff}", "*", "[*]",
    ];
    for _ in 0..300 {
        let len = (next() % 200) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[next() as usize % alphabet.len()])
            .collect();
        let d = tf(&text);
        for (range, _) in d.syntax_errors() {
            assert!(
                range.start <= range.end && range.end <= text.len(),
                "{text:?}"
            );
        }
        assert_eq!(d.text(), text);
        let _ = crate::analysis::analyze(&d);
    }
    for (_, text) in corpus_files().into_iter().take(3) {
        for cut in (0..text.len())
            .step_by(97)
            .filter(|&i| text.is_char_boundary(i))
        {
            let d = tf(&text[..cut]);
            let _ = debug_view(&d);
        }
    }
}

mod random_edits {
    use super::*;
    use crate::document::tests::random_edits::{edits_of, replay};
    use proptest::prelude::*;

    /// Fragments of HCL: block headers, braces, strings and templates, heredocs,
    /// comments, CRLF, emoji and CJK.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("{".to_string()),
            Just("}".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("\"".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("  ".to_string()),
            Just("resource \"aws_sqs_queue\" \"q\" {\n".to_string()),
            Just("data \"aws_iam_policy_document\" \"p\" {}\n".to_string()),
            Just("locals {\n".to_string()),
            Just("  tags {\n    a = 1\n  }\n".to_string()),
            Just("  url = aws_sqs_queue.q.url\n".to_string()),
            Just("  target = \"integrations/${aws_apigatewayv2_integration.i.id}\"\n".to_string()),
            Just("  p = jsonencode({ a = [1, \"b\"] })\n".to_string()),
            Just("${".to_string()),
            Just("$${".to_string()),
            Just("%{".to_string()),
            Just("<<EOF\n".to_string()),
            Just("EOF\n".to_string()),
            Just("# c\n".to_string()),
            Just("/*".to_string()),
            Just("*/".to_string()),
            Just("=".to_string()),
            Just("😀".to_string()),
            Just("名前".to_string()),
            "[a-z_]{1,6}".prop_map(|s| s),
        ]
    }

    fn edit() -> impl Strategy<Value = (usize, usize, String)> {
        edits_of(fragment(), 40)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// The cut (with its recovery of blocks, strings and heredocs left open) is a
        /// pure function of the text: any edit sequence gives what a fresh open gives.
        #[test]
        fn random_terraform_edits_match_a_fresh_parse(edits in proptest::collection::vec(edit(), 1..20)) {
            replay(TEMPLATE, Language::Terraform, edits)?;
        }
    }
}
