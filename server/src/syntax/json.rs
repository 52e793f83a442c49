//! Builds the value tree from a tree-sitter-json syntax tree.

use super::value::{Node, NodeKind, Pair, Scalar, ScalarKind, ScalarStyle, Span};
use super::{MAX_DEPTH, TextSource};
use tree_sitter::Node as TsNode;

/// Converts a JSON value node. Spans are made relative to `base`.
pub fn convert(node: TsNode<'_>, src: &dyn TextSource, base: usize) -> Node {
    convert_at(node, src, base, 0)
}

fn span(node: TsNode<'_>, base: usize) -> Span {
    Span::new(
        node.start_byte().saturating_sub(base),
        node.end_byte().saturating_sub(base),
    )
}

/// The unescaped text of a JSON `string` node and the span inside its quotes.
pub fn string_text(node: TsNode<'_>, src: &dyn TextSource, base: usize) -> (String, Span) {
    let raw = src.text(node.start_byte()..node.end_byte());
    let inner = raw
        .strip_prefix('"')
        .map(|s| s.strip_suffix('"').unwrap_or(s))
        .unwrap_or(&raw);
    let start = node.start_byte() + usize::from(raw.starts_with('"'));
    let end = start + inner.len();
    (
        unescape(inner),
        Span::new(start.saturating_sub(base), end.saturating_sub(base)),
    )
}

fn convert_at(node: TsNode<'_>, src: &dyn TextSource, base: usize, depth: usize) -> Node {
    if depth > MAX_DEPTH {
        return Node {
            span: span(node, base),
            kind: NodeKind::Invalid,
        };
    }
    let depth = depth + 1;
    match node.kind() {
        "object" => {
            let mut pairs = Vec::new();
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.kind() != "pair" {
                    continue;
                }
                let Some(key) = child.child_by_field_name("key") else {
                    continue;
                };
                let (key, key_span) = if key.kind() == "string" {
                    string_text(key, src, base)
                } else {
                    (
                        src.text(key.start_byte()..key.end_byte()).into_owned(),
                        span(key, base),
                    )
                };
                let value = child
                    .child_by_field_name("value")
                    .map(|v| convert_at(v, src, base, depth));
                pairs.push(Pair {
                    key,
                    key_span,
                    value,
                });
            }
            Node {
                span: span(node, base),
                kind: NodeKind::Map(pairs),
            }
            .recognise_long_form()
        }
        "array" => {
            let mut cursor = node.walk();
            let items = node
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .map(|c| convert_at(c, src, base, depth))
                .collect();
            Node {
                span: span(node, base),
                kind: NodeKind::Seq(items),
            }
        }
        "string" => {
            let (text, text_span) = string_text(node, src, base);
            Node {
                span: span(node, base),
                kind: NodeKind::Scalar(Scalar {
                    text,
                    style: ScalarStyle::DoubleQuoted,
                    kind: ScalarKind::String,
                    text_span,
                }),
            }
        }
        "number" | "true" | "false" | "null" => {
            let kind = match node.kind() {
                "number" => {
                    let raw = src.text(node.start_byte()..node.end_byte());
                    if raw.contains(['.', 'e', 'E']) {
                        ScalarKind::Float
                    } else {
                        ScalarKind::Int
                    }
                }
                "null" => ScalarKind::Null,
                _ => ScalarKind::Bool,
            };
            Node {
                span: span(node, base),
                kind: NodeKind::Scalar(Scalar {
                    text: src.text(node.start_byte()..node.end_byte()).into_owned(),
                    style: ScalarStyle::Plain,
                    kind,
                    text_span: span(node, base),
                }),
            }
        }
        _ => Node {
            span: span(node, base),
            kind: NodeKind::Invalid,
        },
    }
}

fn unescape(inner: &str) -> String {
    if !inner.contains('\\') {
        return inner.to_string();
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or(char::REPLACEMENT_CHARACTER),
                );
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_json_strings() {
        assert_eq!(unescape(r#"a\"b\\c\u00e9\n"#), "a\"b\\cé\n");
        assert_eq!(unescape("plain"), "plain");
    }
}
