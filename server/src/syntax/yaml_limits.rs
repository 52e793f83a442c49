//! What tree-sitter-yaml cannot parse, found before it tries.
//!
//! The grammar's external scanner (tree-sitter-yaml 0.7.2) keeps rows in 16-bit
//! integers and saves its stack of block indentation levels into tree-sitter's 1 KiB
//! serialization buffer (10 bytes plus 4 a level). Past 32,767 rows it misreads
//! everything after (upstream issue #49); past 253 levels it writes beyond the buffer
//! and aborts the whole process on an assertion (upstream issue #48), which no
//! `catch_unwind` can contain. So every YAML segment is checked here first, and one
//! over either limit is reported instead of parsed.
//!
//! Rows are counted exactly. The scanner's stack depth is over-estimated from the
//! lines alone: an offside-rule chain of the open lines (a line closes the lines
//! indented as far or further), each line weighing one more than the indicators on it
//! (`- `, `? `, `: `, a block scalar header) that could each open a level. The
//! estimate also counts lines inside multi-line flow collections and broken quotes,
//! where the scanner's error recovery can still open levels.

use std::ops::Range;

/// The most rows the scanner counts correctly.
pub const MAX_ROWS: usize = i16::MAX as usize;

/// The estimated block nesting above which a segment is not parsed. The scanner
/// aborts at 254 levels; the estimate is at least the true depth.
pub const MAX_NESTING: usize = 200;

/// Why a text was not parsed, and the line (relative byte range) where the limit was
/// passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverLimit {
    pub range: Range<usize>,
    pub message: String,
}

/// One line of the chain of open lines.
#[derive(Debug, Clone, Copy)]
struct Open {
    indent: usize,
    /// Starts with a `- ` indicator: a sequence can share its column with the mapping
    /// of the line above.
    dash: bool,
    weight: usize,
}

/// Checks `text` against the scanner's limits.
pub fn check(text: &str) -> Option<OverLimit> {
    let mut chain: Vec<Open> = Vec::new();
    let mut depth = 0usize;
    let mut rows = 0usize;
    let mut quote: Option<QuoteState> = None;
    for (start, line) in lines(text) {
        rows += 1;
        let range = start..start + line.len();
        if rows > MAX_ROWS {
            return Some(OverLimit {
                range,
                message: format!(
                    "cannot check this part: it is longer than {MAX_ROWS} lines, more than the YAML parser reads correctly; split it up"
                ),
            });
        }
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let rest = &bytes[indent..];
        let content = rest.iter().position(|b| !matches!(b, b' ' | b'\t'));
        let Some(content) = content else { continue };
        if rest[content] == b'#' {
            continue;
        }
        // A properly indented line inside a multi-line quoted scalar is text up to the
        // closing quote; what follows that counts. A dedented one is not part of the
        // scalar to the parser either, so it is a line like any other (and `quote` is
        // set again below).
        let mut weighed = rest;
        if let Some(q) = quote
            && indent > q.indent
            && content == 0
        {
            let Some(end) = closing_quote(bytes, indent, q.quote) else {
                continue;
            };
            weighed = &bytes[end + 1..];
        }
        let dash = rest.starts_with(b"-") && rest.get(1).is_none_or(|b| matches!(b, b' ' | b'\t'));
        // A tab-indented line is not dedented to the scanner: it closes nothing.
        let tab_indented = content > 0;
        if !tab_indented {
            while let Some(top) = chain.last() {
                if top.indent < indent || (top.indent == indent && dash && !top.dash) {
                    break;
                }
                depth -= top.weight;
                chain.pop();
            }
        }
        let (weight, open_quote) = line_weight(weighed);
        quote = open_quote.map(|quote| QuoteState { indent, quote });
        chain.push(Open {
            indent,
            dash,
            weight,
        });
        depth += weight;
        if depth > MAX_NESTING {
            return Some(OverLimit {
                range,
                message: format!(
                    "cannot check this part: it nests more than about {MAX_NESTING} levels deep, more than the YAML parser supports"
                ),
            });
        }
    }
    None
}

/// The lines of `text` with their byte offsets, split where the scanner starts a new
/// row: at `\n`, at `\r\n` and at a lone `\r`.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = bytes[start..]
            .iter()
            .position(|b| matches!(b, b'\n' | b'\r'))
            .map_or(bytes.len(), |i| start + i);
        let line = (start, &text[start..end]);
        start = end + 1;
        if bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n') {
            start += 1;
        }
        Some(line)
    })
}

/// A quoted scalar left open at the end of a line.
#[derive(Debug, Clone, Copy)]
struct QuoteState {
    /// The indentation of the line that opened it.
    indent: usize,
    quote: u8,
}

/// The levels a line can open (indicators plus one), and the quote it leaves open.
/// The text of a quoted scalar that starts a value is skipped, so a one-line JSON
/// string full of `": "` weighs nothing; anything after its closing quote counts.
fn line_weight(line: &[u8]) -> (usize, Option<u8>) {
    let mut weight = 1;
    let mut i = 0;
    while i < line.len() {
        let b = line[i];
        let spaced = line.get(i + 1).is_none_or(|n| matches!(n, b' ' | b'\t'));
        match b {
            b'-' | b'?' | b':' if spaced => weight += 1,
            b'|' | b'>' if i == 0 || line[i - 1] == b' ' => weight += 1,
            b'"' | b'\'' if starts_node(line, i) => match closing_quote(line, i + 1, b) {
                Some(end) => {
                    i = end + 1;
                    continue;
                }
                None => return (weight, Some(b)),
            },
            _ => {}
        }
        i += 1;
    }
    (weight, None)
}

/// Whether a quote at `i` opens a quoted scalar: it starts the line or follows a
/// space after an indicator, a flow opener or a tag or anchor.
fn starts_node(line: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    if line[i - 1] != b' ' {
        return false;
    }
    let before = &line[..i - 1];
    let word_start = before.iter().rposition(|&b| b == b' ').map_or(0, |p| p + 1);
    let word = &before[word_start..];
    matches!(word.last(), Some(b':' | b'-' | b'?' | b',' | b'[' | b'{'))
        || matches!(word.first(), Some(b'!' | b'&'))
}

/// The index of the quote that closes a scalar opened by `quote`, searching from `from`.
fn closing_quote(line: &[u8], from: usize, quote: u8) -> Option<usize> {
    let mut i = from;
    while i < line.len() {
        match line[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && line.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn estimate(text: &str) -> bool {
        check(text).is_none()
    }

    fn nested_keys(levels: usize, step: usize) -> String {
        (0..levels)
            .map(|d| format!("{}k{d}:\n", " ".repeat(d * step)))
            .collect()
    }

    #[test]
    fn ordinary_templates_pass() {
        let text = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags:\n        - Key: a\n          Value: b\n      Policy: '{\"a\": \"b\", \"c\": [\"d\", \"e\"]}'\n      Script: |\n        echo - - - a: b\n";
        assert!(estimate(text));
        // Sixty levels of keys: far deeper than any real template.
        assert!(estimate(&nested_keys(60, 2)));
        // Siblings close each other, so length alone never adds up.
        let long: String = (0..10_000).map(|i| format!("k{i}: - v: x\n")).collect();
        assert!(estimate(&long));
    }

    #[test]
    fn deep_block_nesting_is_refused_on_its_line() {
        let text = nested_keys(300, 1);
        let over = check(&text).expect("300 levels pass");
        assert!(over.message.contains("nests more than"), "{}", over.message);
        let line = &text[over.range.clone()];
        assert!(line.trim_start().starts_with('k'), "{line:?}");
        assert!(check(&nested_keys(300, 2)).is_some());
    }

    #[test]
    fn compact_and_hidden_nesting_count() {
        // Same-line indicators: each opens a level.
        assert!(check(&format!("{}x\n", "- ".repeat(300))).is_some());
        assert!(check(&format!("{}x\n", "? ".repeat(300))).is_some());
        // Rows split by a lone CR are rows to the scanner.
        assert!(
            check(
                &(0..300)
                    .map(|d| format!("{}k:\r", " ".repeat(d)))
                    .collect::<String>()
            )
            .is_some()
        );
        // Lines after a broken quote or inside a flow collection still count.
        assert!(check(&format!("a: \"x\n{}\"\n", "- ".repeat(300))).is_some());
        assert!(check(&format!("a: \"x\n  y\" {}\n", "- ".repeat(300))).is_some());
        let flow: String = (0..300)
            .map(|d| format!("{}b:\n", " ".repeat(d + 1)))
            .collect();
        assert!(check(&format!("a: [x,\n{flow}]\n")).is_some());
        // A tab-indented line closes nothing.
        let mut text = nested_keys(150, 1);
        text.push_str("\tx\n");
        text.push_str(
            &(0..150)
                .map(|d| format!("{}j{d}:\n", " ".repeat(151 + d)))
                .collect::<String>(),
        );
        assert!(check(&text).is_some());
    }

    #[test]
    fn quoted_text_weighs_nothing() {
        let json = format!("v: '{}'\n", "{\"k\": \"v\", ".repeat(500));
        assert!(estimate(&json));
        let multi = format!(
            "v: \"{}\n",
            (0..500).map(|_| "   a: - b: - c\n").collect::<String>()
        );
        assert!(estimate(&format!("{multi}   end\"\n")));
    }

    #[test]
    fn too_many_rows_are_refused() {
        let text = "a: 1\n".repeat(MAX_ROWS);
        assert!(check(&text).is_none());
        let text = "a: 1\n".repeat(MAX_ROWS + 1);
        let over = check(&text).expect("too many rows");
        assert!(over.message.contains("longer than"), "{}", over.message);
        assert_eq!(over.range.start, MAX_ROWS * 5);
    }
}
