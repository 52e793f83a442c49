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
pub fn edits(data: &[u8]) {
    let mut input = Bytes { data };
    let (seed, language) = SEEDS[usize::from(input.byte().unwrap_or(0)) % SEEDS.len()];
    let mut expected = seed.to_string();
    let mut doc = Document::new(seed, language, 0);
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
                FRAGMENTS[usize::from(input.byte().unwrap_or(0)) % FRAGMENTS.len()].to_string()
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

/// Target 2: arbitrary bytes analysed as YAML and as JSON.
pub fn analyze_bytes(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for language in [Language::Yaml, Language::Json] {
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

/// Target 4: the `check` command's per-file path, in every output format.
pub fn check_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["template.yaml", "template.json"] {
        let path = std::path::Path::new(name);
        let reports = cli::check_text(name, path, text);
        let _ = cli::format_text(&reports);
        let json = cli::format_json(&reports);
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    }
}
