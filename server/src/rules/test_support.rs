//! Fixture tests for rules: YAML or JSON with caret annotations.
//!
//! An annotation is a line `#   ^^^^ part of the message` placed under the line it
//! marks; carets give the expected range (in characters) and the text after them must
//! appear in the message. Annotation lines are removed before analysis, so JSON
//! fixtures can use them too. Every finding of the rule under test must be annotated,
//! and every annotation must be found. `#^^^` (no space) marks from column 0.

use crate::analysis;
use crate::document::Document;
use crate::syntax::Language;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Mark {
    line: usize,
    start: usize,
    end: usize,
    message: String,
}

fn parse_annotation(line: &str) -> Option<(usize, usize, String)> {
    let rest = line.strip_prefix('#')?;
    let start = 1 + rest.chars().take_while(|c| *c == ' ').count();
    let carets = line.chars().skip(start).take_while(|c| *c == '^').count();
    if carets == 0 {
        return None;
    }
    let message: String = line.chars().skip(start + carets).collect();
    // `#^^^` (carets right after the `#`) marks from column 0: the `#` stands for the
    // first caret, as a comment cannot start before column 0.
    if start == 1 {
        return Some((0, carets + 1, message.trim().to_string()));
    }
    Some((start, start + carets, message.trim().to_string()))
}

/// Splits a fixture into the text to analyse and its annotations.
pub fn split_fixture(fixture: &str) -> (String, Vec<(usize, usize, usize, String)>) {
    let fixture = fixture.strip_prefix('\n').unwrap_or(fixture);
    let mut text = String::new();
    let mut marks = Vec::new();
    let mut line_no = 0usize;
    for line in fixture.lines() {
        if let Some((start, end, message)) = parse_annotation(line) {
            marks.push((line_no.saturating_sub(1), start, end, message));
            continue;
        }
        text.push_str(line);
        text.push('\n');
        line_no += 1;
    }
    (text, marks)
}

pub fn language_of(text: &str) -> Language {
    if text.trim_start().starts_with('{') {
        Language::Json
    } else {
        Language::Yaml
    }
}

fn char_pos(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count())
}

/// Checks that the findings with `code` are exactly the annotated ones.
pub fn check_rule(code: &str, fixture: &str) {
    let (text, marks) = split_fixture(fixture);
    let doc = Document::new(&text, language_of(&text), 0);
    let findings = analysis::analyze(&doc);
    let mut actual: Vec<Mark> = findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| {
            let (line, start) = char_pos(&text, f.range.start);
            let (end_line, end) = char_pos(&text, f.range.end);
            let end = if end_line == line { end } else { start + 1 };
            Mark {
                line,
                start,
                end,
                message: f.message.clone(),
            }
        })
        .collect();
    actual.sort();
    let mut expected: Vec<Mark> = marks
        .into_iter()
        .map(|(line, start, end, message)| Mark {
            line,
            start,
            end,
            message,
        })
        .collect();
    expected.sort();
    let render = |marks: &[Mark]| -> String {
        marks
            .iter()
            .map(|m| format!("line {} [{}..{}] {}", m.line, m.start, m.end, m.message))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let same_ranges = actual.len() == expected.len()
        && actual.iter().zip(&expected).all(|(a, e)| {
            a.line == e.line
                && a.start == e.start
                && a.end == e.end
                && a.message.contains(&e.message)
        });
    assert!(
        same_ranges,
        "rule {code}\n--- expected:\n{}\n--- actual:\n{}\n--- text:\n{text}",
        render(&expected),
        render(&actual)
    );
}
