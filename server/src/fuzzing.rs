//! Entry points for the fuzz targets in `fuzz/` (also replayed by `cargo test` over the
//! saved corpora and regressions, see `server/tests/fuzz_replay.rs`).
//!
//! Each function takes arbitrary bytes, must not panic or hang, and checks its own
//! invariants with `assert!` (a failed assertion is a finding like a crash).

use crate::analysis::{self, Analyzer};
use crate::cli;
use crate::document::{Document, TextChange};
use crate::expr::{self, Part};
use crate::position::{Position, PositionEncoding, Range};
use crate::syntax::Language;

/// Seeds the edit target starts from (the first byte picks one).
const SEEDS: &[(&str, Language)] = &[
    (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: a, ProtocolType: HTTP}\n  Send:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt Role.Arn\n      RequestParameters:\n        QueueUrl: !Ref Queue\n        MessageBody: $request.body.名前\n  Route:\n    Type: AWS::ApiGatewayV2::Route\n    Properties: {ApiId: !Ref Api, RouteKey: POST /x/{id}, Target: !Sub 'integrations/${Send}'}\n  Queue:\n    Type: AWS::SQS::Queue\n",
        Language::Yaml,
    ),
    (
        "openapi: 3.0.1\npaths:\n  /orders/{id}:\n    post:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        integrationSubtype: EventBridge-PutEvents\n        requestParameters:\n          Detail: $request.body\n          DetailType: 😀\n          Source: ${request.path.id}\n",
        Language::Yaml,
    ),
    (
        "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\"}, \"I\": {\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {\"IntegrationSubtype\": \"SQS-SendMessage\", \"RequestParameters\": {\"QueueUrl\": {\"Ref\": \"Q\"}, \"MessageBody\": \"$request.heder.x\"}}}}}",
        Language::Json,
    ),
];

/// The Terraform text edits start from with selector `0xFC` (outside [`SEEDS`], so that
/// saved inputs keep the seed they were found with).
const TERRAFORM_SEED: &str = "# api\nresource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.api.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  request_parameters = {\n    \"QueueUrl\"    = aws_sqs_queue.q.url\n    \"MessageBody\" = \"$request.body.名前\"\n  }\n}\n\nresource \"aws_apigatewayv2_route\" \"r\" {\n  target = \"integrations/${aws_apigatewayv2_integration.send.id}\"\n}\n\nresource \"aws_iam_role\" \"r\" {\n  policy = jsonencode({ a = [1, \"b\"] })\n  script = <<-EOF\n    server {\n    }\n    EOF\n}\n/* resource \"x\" \"y\" { */\nlocals { n = var.x ? 1 : 2 }\n";

/// Fragments edits insert into Terraform (in place of [`FRAGMENTS`]).
const TERRAFORM_FRAGMENTS: &[&str] = &[
    "\n",
    "\r\n",
    "  ",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "\\",
    "#",
    "//",
    "/*",
    "*/",
    "=",
    "${",
    "$${",
    "%{",
    "<<EOF\n",
    "EOF\n",
    "<<-EOT\n",
    "resource \"aws_sqs_queue\" \"q\" {\n",
    "data \"aws_iam_policy_document\" \"p\" {}\n",
    "locals {\n",
    "  nested {\n    a = 1\n  }\n",
    "aws_sqs_queue.q.url",
    "var.x",
    "jsonencode({ a = 1 })",
    "😀",
    "名",
    "\t",
];

/// Fragments edits insert (plus raw bytes from the input).
const FRAGMENTS: &[&str] = &[
    "\n",
    "\r\n",
    "  ",
    ":",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "#",
    "!Ref ",
    "!Sub ",
    "$request.",
    "${context.",
    "}",
    "😀",
    "名",
    "\t",
    "Resources:\n",
    "  X:\n    Type: AWS::SQS::Queue\n",
    "      QueueUrl: ",
    "RequestParameters:\n",
    "paths:\n",
    ",",
    "\\",
    "&a ",
    "*a",
    "|\n",
];

/// A small cursor over the fuzz input.
struct Bytes<'a> {
    data: &'a [u8],
}

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.data.split_first()?;
        self.data = rest;
        Some(first)
    }

    fn take(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        head
    }
}

/// The byte offset of an LSP position in `text`, computed independently of the
/// document code: lines end at `\n`; a column past the line's end (or inside a
/// character) is clamped as the LSP specification says.
pub fn reference_offset(text: &str, position: Position, encoding: PositionEncoding) -> usize {
    let mut line_start = 0;
    for _ in 0..position.line {
        match text[line_start..].find('\n') {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    // A `\r` just before a `\n` belongs to the line break (a lone `\r` does not).
    let content_end = if line_end < text.len() && text[line_start..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    let mut units = 0u32;
    for (i, c) in text[line_start..content_end].char_indices() {
        let width = match encoding {
            PositionEncoding::Utf8 => c.len_utf8() as u32,
            PositionEncoding::Utf16 => c.len_utf16() as u32,
        };
        if units + width > position.character {
            return line_start + i;
        }
        units += width;
    }
    content_end
}

/// Target 1: random LSP edits through the real change path; the text must equal the
/// independently edited text, and the incremental analysis a fresh one.
///
/// Input: a selector byte (`0xFD`/`0xFE`/`0xFF`: a Terraform/YAML/JSON starting text
/// follows, as a little-endian u16 length and the bytes; `0xFC`: [`TERRAFORM_SEED`];
/// otherwise one of [`SEEDS`]), then up to 64
/// edits, each an op byte (bit 0: UTF-8 or UTF-16 positions; bits 1-2: delete, insert a
/// fragment, or insert raw bytes; bits 3-5 all set: replace the whole document; bits
/// 6-7 zero: compare analyses after this edit) and its position and text bytes.
pub fn edits(data: &[u8]) {
    let mut input = Bytes { data };
    let (seed, language) = match input.byte().unwrap_or(0) {
        // The starting text comes from the input: a little-endian u16 length, then
        // the text (lossily decoded), so real templates can seed the corpus.
        selector @ (0xFD..=0xFF) => {
            let len = input.take(2);
            let len = usize::from(len.first().copied().unwrap_or(0))
                | usize::from(len.get(1).copied().unwrap_or(0)) << 8;
            let text = String::from_utf8_lossy(input.take(len)).into_owned();
            let language = match selector {
                0xFD => Language::Terraform,
                0xFE => Language::Yaml,
                _ => Language::Json,
            };
            (std::borrow::Cow::Owned(text), language)
        }
        0xFC => (
            std::borrow::Cow::Borrowed(TERRAFORM_SEED),
            Language::Terraform,
        ),
        selector => {
            let (text, language) = SEEDS[usize::from(selector) % SEEDS.len()];
            (std::borrow::Cow::Borrowed(text), language)
        }
    };
    let fragments = if language == Language::Terraform {
        TERRAFORM_FRAGMENTS
    } else {
        FRAGMENTS
    };
    let mut expected = seed.to_string();
    let mut doc = Document::new(&seed, language, 0);
    let mut analyzer = Analyzer::default();
    analyzer.analyze(&doc);
    let mut steps = 0;
    while let Some(op) = input.byte() {
        steps += 1;
        if steps > 64 {
            break;
        }
        let encoding = if op & 1 == 0 {
            PositionEncoding::Utf16
        } else {
            PositionEncoding::Utf8
        };
        let lines = expected.matches('\n').count() as u32 + 1;
        let line = u32::from(input.byte().unwrap_or(0)) % (lines + 1);
        let character = u32::from(input.byte().unwrap_or(0)) % 48;
        let end_line = line + u32::from(input.byte().unwrap_or(0) % 3);
        let end_character = u32::from(input.byte().unwrap_or(0)) % 48;
        let text = match op >> 1 & 3 {
            0 => String::new(),
            1 | 2 => {
                fragments[usize::from(input.byte().unwrap_or(0)) % fragments.len()].to_string()
            }
            _ => {
                let n = usize::from(input.byte().unwrap_or(0) % 12);
                String::from_utf8_lossy(input.take(n)).into_owned()
            }
        };
        let whole = op >> 3 & 7 == 7;
        let change = if whole {
            TextChange { range: None, text }
        } else {
            let start = Position::new(line, character);
            let mut end = Position::new(end_line, end_character);
            if end < start {
                end = start;
            }
            TextChange {
                range: Some(Range::new(start, end)),
                text,
            }
        };
        match change.range {
            None => expected = change.text.clone(),
            Some(range) => {
                let a = reference_offset(&expected, range.start, encoding);
                let b = reference_offset(&expected, range.end, encoding).max(a);
                expected.replace_range(a..b, &change.text);
            }
        }
        doc.apply_change(&change, encoding);
        assert_eq!(doc.text(), expected, "text after {change:?}");
        if op >> 6 == 0 || input.data.is_empty() {
            let fresh = Document::new(&expected, language, 0);
            assert_eq!(
                analyzer.analyze(&doc),
                analysis::analyze(&fresh),
                "incremental analysis differs from a fresh one for {expected:?}"
            );
        }
    }
}

/// Target 2: arbitrary bytes analysed as YAML, as JSON and as Terraform.
pub fn analyze_bytes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for language in [Language::Yaml, Language::Json, Language::Terraform] {
        let doc = Document::new(&text, language, 0);
        for finding in analysis::analyze(&doc) {
            assert!(
                finding.range.start <= finding.range.end && finding.range.end <= text.len(),
                "{finding:?} outside the text"
            );
            assert!(
                text.is_char_boundary(finding.range.start)
                    && text.is_char_boundary(finding.range.end)
            );
        }
    }
}

/// Target 3: the mapping-expression parser. Parts cover the value without gaps,
/// ranges sit on character boundaries.
pub fn expression(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = expr::parse_value(&text);
    let mut at = 0;
    for part in &parsed.parts {
        let range = part.range();
        assert_eq!(range.start, at, "gap or overlap in {text:?}: {parsed:?}");
        assert!(range.end > range.start, "empty part in {text:?}");
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        if let Part::Expr(e) = part
            && let Some(name) = &e.name_range
        {
            assert!(name.start >= range.start && name.end <= range.end);
        }
        at = range.end;
    }
    assert_eq!(at, text.len(), "parts do not cover {text:?}");
    for problem in &parsed.problems {
        assert!(problem.range.end <= text.len() && text.is_char_boundary(problem.range.start));
    }
}

/// Target 4: the `check` command's per-file path (decoding, language choice, analysis,
/// suppression) and its three output formats, on arbitrary file contents. Bytes that are
/// not UTF-8 must be refused with a message naming the file; otherwise each report is one
/// text line, the JSON and SARIF outputs parse, and ranges are ordered.
pub fn check_file(data: &[u8]) {
    for name in ["template.yaml", "template.json", "main.tf"] {
        let path = std::path::Path::new(name);
        let text = match cli::decode(path, data.to_vec()) {
            Ok(text) => text,
            Err(message) => {
                assert!(std::str::from_utf8(data).is_err(), "{message}");
                assert!(message.starts_with(name) && message.contains("not valid UTF-8"));
                return;
            }
        };
        let reports = cli::check_text(name, path, &text);
        let lines = cli::format_text(&reports);
        assert_eq!(lines.lines().count(), reports.len(), "{lines}");
        for report in &reports {
            let (start, end) = (report.range.start, report.range.end);
            assert!(
                (start.line, start.character) <= (end.line, end.character),
                "{report:?}"
            );
        }
        let json = cli::format_json(&reports);
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        let sarif = cli::sarif::format(&reports);
        assert!(serde_json::from_str::<serde_json::Value>(&sarif).is_ok());
    }
}

/// Target 5: the stdio framing guard (`lsp/transport.rs`) on an arbitrary byte stream,
/// read whole and in chunks of pseudo-random sizes (the first byte seeds them). The
/// messages passed to the server do not depend on how the input was cut; each is one
/// frame the server's decoder accepts; each reply is a JSON-RPC parse or
/// invalid-request error.
pub fn frames(data: &[u8]) {
    use crate::lsp::transport::{self, Action, Framed, Reader};
    let Some((&seed, stream)) = data.split_first() else {
        return;
    };
    let whole = Reader::default().push(stream);
    let mut reader = Reader::default();
    let mut chunked = Vec::new();
    let mut state = u32::from(seed) * 2 + 1;
    let mut rest = stream;
    while !rest.is_empty() {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let n = (1 + (state >> 16) as usize % 23).min(rest.len());
        chunked.extend(reader.push(&rest[..n]));
        rest = &rest[n..];
    }
    let forwarded = |actions: &[Action]| -> Vec<Vec<u8>> {
        actions
            .iter()
            .filter_map(|a| match a {
                Action::Forward(m) => Some(m.clone()),
                Action::Reply(_) => None,
            })
            .collect()
    };
    assert_eq!(
        forwarded(&whole),
        forwarded(&chunked),
        "cut changes what passes"
    );
    for action in whole.iter().chain(&chunked) {
        let (Action::Forward(message) | Action::Reply(message)) = action;
        let Framed::Frame { body_start, end } = transport::next_frame(message) else {
            panic!("not one frame: {message:?}");
        };
        assert_eq!(end, message.len());
        let body = &message[body_start..];
        match action {
            Action::Forward(_) => assert!(transport::check_body(body).is_ok()),
            Action::Reply(_) => {
                let reply: serde_json::Value = serde_json::from_slice(body).expect("reply JSON");
                let code = reply["error"]["code"].as_i64();
                assert!(matches!(code, Some(-32700 | -32600)), "{reply}");
            }
        }
    }
}
