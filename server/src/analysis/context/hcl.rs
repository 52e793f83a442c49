//! The HCL repair reader: the fallback of [`super::at`] in a Terraform file, when the
//! block around the cursor does not parse because of the line being typed
//! (`    Mes`, `integration_subtype = `, `"MessageBody" = "$request.bo`,
//! `queue_url = aws_sqs_queue.`).
//!
//! A half-typed HCL line is broken in few ways: a key without its `= value`, or a
//! value left empty, in an open string or mid-reference. The block's text (its segment)
//! is taken with that line written whole (the key as a placeholder name, the value as
//! `null`) and the closing braces a block being written still lacks added at its end,
//! parsed alone, and read by the tree reader; the token being typed is then taken from
//! the document's own text. Bounded by the segment.

use std::sync::Arc;

use super::tree::locate;
use super::{At, Context, Cursor, On, Source, Style, Token};
use crate::document::Document;
use crate::syntax::Language;

/// How many closing braces a block being written may still lack.
const MAX_CLOSERS: usize = 4;

/// The key written in place of one being typed: no catalog name matches it.
pub(crate) const PLACEHOLDER: &str = "apigw_cursor_";

/// The cursor's context at `offset` read from the block's text with the line under the
/// cursor repaired; `None` when no repair makes the block parse.
pub(super) fn context(doc: &Document, offset: usize) -> Option<Context<'static>> {
    let rope = doc.rope();
    let segment = doc.segment_span_at(offset)?;
    let line = rope.try_byte_to_line(offset).ok()?;
    let line_start = rope.line_to_byte(line).max(segment.start);
    let next_line = rope.try_line_to_byte(line + 1).unwrap_or(rope.len_bytes());
    let before = String::from(rope.get_byte_slice(line_start..offset)?);
    let rest = String::from(rope.get_byte_slice(offset..next_line.min(segment.end))?);
    let after = rest.trim_end_matches(['\n', '\r']);
    let line_end = offset + after.len();
    let indent = before.len() - before.trim_start_matches([' ', '\t']).len();
    let typed = &before[indent..];
    let repair = repair(typed, after.trim())?;
    // The segment with the line rewritten.
    let head = String::from(rope.get_byte_slice(segment.start..line_start)?);
    let tail = String::from(rope.get_byte_slice(line_end..segment.end)?);
    let line_text = format!("{}{}", &before[..indent], repair.line);
    let at = head.len() + indent + repair.cursor;
    // A block being written may not be closed yet: its missing `}`s (as many as a
    // block, a map and a nested object leave open) go at its end.
    let unit_doc = (0..=MAX_CLOSERS).find_map(|closers| {
        let unit_text = format!("{head}{line_text}{tail}{}", "\n}".repeat(closers));
        let unit_doc = Document::new(&unit_text, Language::Terraform, 0);
        unit_doc.parses_at(at).then_some(unit_doc)
    })?;
    let located = locate(&unit_doc, at)?;
    let (last, path) = located.keys.split_last()?;
    let quote = |text: &str| text.starts_with('"').then_some('"');
    let token_start = line_start + indent + repair.token_start;
    let cursor_at = match (&located.on, &repair.kind) {
        (On::Key(_), Slot::Key { closed }) => At::Key {
            token: (token_start < offset || *closed).then(|| Token {
                span: token_start..offset + usize::from(*closed),
                quote: quote(typed),
                closed: *closed,
                tagged: false,
            }),
            colon_follows: false,
        },
        (On::Value { .. }, Slot::Value { closed, empty }) => At::Value {
            key: last.map(str::to_string),
            token: (!empty).then(|| Token {
                span: token_start..offset + repair.tail,
                quote: quote(&typed[repair.token_start..]),
                closed: *closed,
                tagged: false,
            }),
            needs_space: *empty && !typed.ends_with([' ', '\t']),
            in_text: None,
        },
        _ => return None,
    };
    let cursor = Cursor {
        path: path.iter().map(|k| k.map(str::to_string)).collect(),
        at: cursor_at,
        style: Style::Hcl,
        line_indent: Some(before[..indent].to_string()),
    };
    Some(Context {
        cursor,
        unit: located.unit.as_ref()?.name.to_string(),
        source: Source::Repaired(Arc::new(unit_doc)),
    })
}

/// What the line being typed holds at the cursor.
#[derive(Debug, PartialEq, Eq)]
enum Slot {
    /// A key (maybe empty); `closed` when a closing quote follows the cursor.
    Key { closed: bool },
    /// A value: empty, or a string or reference being typed.
    Value { closed: bool, empty: bool },
}

/// The line rewritten whole, where the tree reader should look, and where the token
/// being typed starts (both relative to the line's text after its indentation).
#[derive(Debug, PartialEq, Eq)]
struct Repair {
    line: String,
    cursor: usize,
    token_start: usize,
    /// How much of the text after the cursor belongs to the token (a closing quote,
    /// and the `}` an editor closed a `${` with).
    tail: usize,
    kind: Slot,
}

/// The repair of a line whose text after its indentation is `typed` before the cursor
/// and `after` (trimmed) after it.
fn repair(typed: &str, after: &str) -> Option<Repair> {
    // After the cursor: nothing, the closing quote, or (in a value) the `}` of a `${`
    // before the cursor, which editors close with it.
    let braced = typed.rfind("${").is_some_and(|i| !typed[i..].contains('}'));
    let closing = after == "\"" || (braced && after == "}\"");
    if !(after.is_empty() || closing || (braced && after == "}")) {
        return None;
    }
    let tail = if closing { after.len() } else { 0 };
    let key_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.' | '$');
    // A key being typed: a word, maybe opened by a quote.
    let word = typed.strip_prefix('"').unwrap_or(typed);
    if word.chars().all(key_char) && (typed.starts_with('"') || !closing) && !braced {
        return Some(Repair {
            line: format!("{PLACEHOLDER} = null"),
            cursor: 1,
            token_start: 0,
            tail,
            kind: Slot::Key {
                closed: closing && typed.starts_with('"'),
            },
        });
    }
    // A value: after `key =` (a bare or quoted key).
    let (key_len, value) = split_assignment(typed)?;
    let value_start = typed.len() - value.len();
    let prefix = &typed[..key_len];
    let null_at = format!("{prefix} = ").len() + 1;
    if value.is_empty() {
        if closing {
            return None;
        }
        return Some(Repair {
            line: format!("{prefix} = null"),
            cursor: null_at,
            token_start: value_start,
            tail,
            kind: Slot::Value {
                closed: false,
                empty: true,
            },
        });
    }
    let open_string = value.starts_with('"') && !string_closed(&value[1..]);
    let reference = !value.starts_with('"')
        && !closing
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !(open_string || reference) {
        return None;
    }
    Some(Repair {
        line: format!("{prefix} = null"),
        cursor: null_at,
        token_start: value_start,
        tail,
        kind: Slot::Value {
            closed: closing,
            empty: false,
        },
    })
}

/// The length of `key` in `key = value` (a bare or quoted key), and the value after the
/// `=` and its spaces.
fn split_assignment(typed: &str) -> Option<(usize, &str)> {
    let key_len = match typed.strip_prefix('"') {
        Some(rest) => rest.find('"')? + 2,
        None => typed
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-')))
            .filter(|&n| n > 0)?,
    };
    let rest = typed[key_len..].trim_start_matches([' ', '\t']);
    let value = rest.strip_prefix(['=', ':'])?;
    Some((key_len, value.trim_start_matches([' ', '\t'])))
}

/// Whether the text after a string's opening quote holds its closing quote.
fn string_closed(text: &str) -> bool {
    let mut escaped = false;
    for c in text.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_keys_values_strings_and_references() {
        let key = repair("Mes", "").expect("key");
        assert_eq!(key.kind, Slot::Key { closed: false });
        assert_eq!(key.line, format!("{PLACEHOLDER} = null"));
        let key = repair("\"Mes", "\"").expect("quoted key");
        assert_eq!(key.kind, Slot::Key { closed: true });
        let empty = repair("integration_subtype =", "").expect("empty value");
        assert_eq!(
            empty.kind,
            Slot::Value {
                closed: false,
                empty: true
            }
        );
        assert_eq!(empty.line, "integration_subtype = null");
        let string = repair("\"MessageBody\" = \"$request.bo", "").expect("open string");
        assert_eq!(string.line, "\"MessageBody\" = null");
        assert_eq!(string.token_start, "\"MessageBody\" = ".len());
        let closed = repair("\"MessageBody\" = \"$request.bo", "\"").expect("string");
        assert_eq!(
            closed.kind,
            Slot::Value {
                closed: true,
                empty: false
            }
        );
        let reference = repair("QueueUrl = aws_sqs_queue.", "").expect("reference");
        assert_eq!(reference.token_start, "QueueUrl = ".len());
        // A finished string, a call, text after the cursor: nothing to repair here.
        assert_eq!(repair("a = \"x\"", ""), None);
        assert_eq!(repair("a = jsonencode(", ""), None);
        assert_eq!(repair("Mes", "= 1"), None);
        // The `}` an editor closes `${` with.
        let braced = repair("MessageBody = \"x $${request.bo", "}\"").expect("braced");
        assert_eq!(
            (braced.tail, &braced.kind),
            (
                2,
                &Slot::Value {
                    closed: true,
                    empty: false
                }
            )
        );
        let braced = repair("MessageBody = \"x ${", "}").expect("open braced");
        assert_eq!(
            (braced.tail, &braced.kind),
            (
                0,
                &Slot::Value {
                    closed: false,
                    empty: false
                }
            )
        );
    }
}
