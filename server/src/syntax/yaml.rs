//! Builds the value tree from a tree-sitter-yaml syntax tree.
//!
//! Short-form intrinsic tags (`!Ref`, `!GetAtt`, ...) become [`NodeKind::Intrinsic`];
//! one-key long-form maps (`Ref:`, `Fn::*:`) too. Recursion is bounded so that deeply
//! nested input cannot exhaust the stack.

use super::value::{
    Intrinsic, Node, NodeKind, Pair, Scalar, ScalarKind, ScalarStyle, Span, intrinsic_name_for_tag,
};
use super::{MAX_DEPTH, TextSource};
use tree_sitter::Node as TsNode;

/// Converts the root of a segment's tree (a `stream`) to the value of its first
/// document, usually a mapping.
pub fn build(root: TsNode<'_>, src: &dyn TextSource) -> Option<Node> {
    let mut cursor = root.walk();
    let document = root
        .named_children(&mut cursor)
        .find(|n| n.kind() == "document")?;
    let mut cursor = document.walk();
    let content = document
        .named_children(&mut cursor)
        .find(|n| matches!(n.kind(), "block_node" | "flow_node"))?;
    convert(content, src, 0)
}

fn span(node: TsNode<'_>) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

fn convert(node: TsNode<'_>, src: &dyn TextSource, depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH {
        return Some(Node {
            span: span(node),
            kind: NodeKind::Invalid,
        });
    }
    let depth = depth + 1;
    match node.kind() {
        "block_node" | "flow_node" => {
            let mut tag: Option<TsNode<'_>> = None;
            let mut content: Option<Node> = None;
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "tag" => tag = Some(child),
                    "anchor" | "comment" => {}
                    _ => {
                        if content.is_none() {
                            content = convert(child, src, depth);
                        }
                    }
                }
            }
            let Some(tag) = tag else {
                return content;
            };
            let tag_text = src.text(tag.start_byte()..tag.end_byte());
            match tag_text.strip_prefix('!') {
                // `!!str` and friends are YAML's own tags: keep the content as it is.
                Some(name) if !name.starts_with('!') && !name.is_empty() => Some(Node {
                    span: span(node),
                    kind: NodeKind::Intrinsic(Box::new(Intrinsic {
                        name: intrinsic_name_for_tag(name),
                        name_span: span(tag),
                        short_form: true,
                        argument: content,
                    })),
                }),
                _ => content.or(Some(Node {
                    span: span(node),
                    kind: NodeKind::Invalid,
                })),
            }
        }
        "block_mapping" => {
            let mut pairs = Vec::with_capacity(node.named_child_count());
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if child.kind() != "block_mapping_pair" {
                    continue;
                }
                if let Some(pair) = convert_pair(child, src, depth) {
                    pairs.push(pair);
                }
            }
            Some(
                Node {
                    span: span(node),
                    kind: NodeKind::Map(fit(pairs)),
                }
                .recognise_long_form(),
            )
        }
        "flow_mapping" => {
            let mut pairs = Vec::with_capacity(node.named_child_count());
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "flow_pair" => {
                        if let Some(pair) = convert_pair(child, src, depth) {
                            pairs.push(pair);
                        }
                    }
                    "flow_node" => {
                        // `{ key }`: a key with no value.
                        if let Some((key, key_span)) = key_text(child, src, depth) {
                            pairs.push(Pair {
                                key,
                                key_span,
                                value: None,
                            });
                        }
                    }
                    _ => {}
                }
            }
            Some(
                Node {
                    span: span(node),
                    kind: NodeKind::Map(fit(pairs)),
                }
                .recognise_long_form(),
            )
        }
        "block_sequence" => {
            let mut items = Vec::with_capacity(node.named_child_count());
            let mut cursor = node.walk();
            for item in node.named_children(&mut cursor) {
                if item.kind() != "block_sequence_item" {
                    continue;
                }
                let mut inner = item.walk();
                let value = item
                    .named_children(&mut inner)
                    .find(|n| n.kind() != "comment")
                    .and_then(|n| convert(n, src, depth));
                items.push(value.unwrap_or(Node {
                    span: Span::new(item.end_byte(), item.end_byte()),
                    kind: NodeKind::Scalar(null_scalar(item.end_byte())),
                }));
            }
            Some(Node {
                span: span(node),
                kind: NodeKind::Seq(fit(items)),
            })
        }
        "flow_sequence" => {
            let mut items = Vec::with_capacity(node.named_child_count());
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                match child.kind() {
                    "flow_node" => {
                        if let Some(value) = convert(child, src, depth) {
                            items.push(value);
                        }
                    }
                    "flow_pair" => {
                        if let Some(pair) = convert_pair(child, src, depth) {
                            items.push(Node {
                                span: span(child),
                                kind: NodeKind::Map(vec![pair]),
                            });
                        }
                    }
                    _ => {}
                }
            }
            Some(Node {
                span: span(node),
                kind: NodeKind::Seq(fit(items)),
            })
        }
        "plain_scalar" => {
            let raw = src.text(node.start_byte()..node.end_byte());
            let kind = node
                .named_child(0)
                .map_or(ScalarKind::String, |c| match c.kind() {
                    "integer_scalar" => ScalarKind::Int,
                    "float_scalar" => ScalarKind::Float,
                    "boolean_scalar" => ScalarKind::Bool,
                    "null_scalar" => ScalarKind::Null,
                    _ => ScalarKind::String,
                });
            Some(
                Node {
                    span: span(node),
                    kind: NodeKind::Scalar(Scalar {
                        text: fold_plain(&raw),
                        style: ScalarStyle::Plain,
                        kind,
                        text_span: span(node),
                    }),
                }
                .recognise_variables(),
            )
        }
        "double_quote_scalar" | "single_quote_scalar" => {
            let raw = src.text(node.start_byte()..node.end_byte());
            let double = node.kind() == "double_quote_scalar";
            let inner_start = node.start_byte() + 1;
            let inner_end = node.end_byte().saturating_sub(1).max(inner_start);
            let inner = raw.get(1..raw.len().saturating_sub(1).max(1)).unwrap_or("");
            let text = if double {
                unescape_double(inner)
            } else {
                unescape_single(inner)
            };
            Some(
                Node {
                    span: span(node),
                    kind: NodeKind::Scalar(Scalar {
                        text,
                        style: if double {
                            ScalarStyle::DoubleQuoted
                        } else {
                            ScalarStyle::SingleQuoted
                        },
                        kind: ScalarKind::String,
                        text_span: Span::new(inner_start, inner_end),
                    }),
                }
                .recognise_variables(),
            )
        }
        "block_scalar" => {
            let raw = src.text(node.start_byte()..node.end_byte());
            let header_len = raw.find('\n').map_or(raw.len(), |i| i + 1);
            Some(
                Node {
                    span: span(node),
                    kind: NodeKind::Scalar(Scalar {
                        text: block_scalar_text(&raw),
                        style: ScalarStyle::Block,
                        kind: ScalarKind::String,
                        text_span: Span::new(node.start_byte() + header_len, node.end_byte()),
                    }),
                }
                .recognise_variables(),
            )
        }
        "alias" => Some(Node {
            span: span(node),
            kind: NodeKind::Alias,
        }),
        _ => Some(Node {
            span: span(node),
            kind: NodeKind::Invalid,
        }),
    }
}

/// A vector without spare capacity: value trees live as long as their entry, and a
/// template has tens of thousands of small maps.
fn fit<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

fn null_scalar(at: usize) -> Scalar {
    Scalar {
        text: String::new(),
        style: ScalarStyle::Plain,
        kind: ScalarKind::Null,
        text_span: Span::new(at, at),
    }
}

fn key_text(node: TsNode<'_>, src: &dyn TextSource, depth: usize) -> Option<(String, Span)> {
    let converted = convert(node, src, depth)?;
    match converted.kind {
        NodeKind::Scalar(scalar) => Some((scalar.text, scalar.text_span)),
        _ => Some((
            src.text(node.start_byte()..node.end_byte()).into_owned(),
            span(node),
        )),
    }
}

fn convert_pair(pair: TsNode<'_>, src: &dyn TextSource, depth: usize) -> Option<Pair> {
    let key = pair.child_by_field_name("key")?;
    let (key, key_span) = key_text(key, src, depth)?;
    let value = pair
        .child_by_field_name("value")
        .and_then(|v| convert(v, src, depth));
    Some(Pair {
        key,
        key_span,
        value,
    })
}

/// Folds a multi-line plain scalar into one line, as YAML does.
fn fold_plain(raw: &str) -> String {
    if !raw.contains('\n') {
        return raw.to_string();
    }
    let mut out = String::new();
    for line in raw.lines().map(str::trim) {
        if line.is_empty() {
            out.push('\n');
            continue;
        }
        if !out.is_empty() && !out.ends_with('\n') {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn unescape_single(inner: &str) -> String {
    fold_plain(&inner.replace("''", "'"))
}

fn unescape_double(inner: &str) -> String {
    let inner = fold_plain(inner);
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
            Some('0') => out.push('\0'),
            Some('"') => out.push('"'),
            Some('/') => out.push('/'),
            Some('\\') => out.push('\\'),
            Some(' ') => out.push(' '),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The content of a `|` or `>` block scalar, with indentation, folding and chomping
/// applied.
fn block_scalar_text(raw: &str) -> String {
    let (header, body) = raw.split_once('\n').unwrap_or((raw, ""));
    let header = header.split('#').next().unwrap_or("").trim();
    let folded = header.starts_with('>');
    let chomp = if header.contains('-') {
        '-'
    } else if header.contains('+') {
        '+'
    } else {
        ' '
    };
    let lines: Vec<&str> = body.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let stripped: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end_matches('\r'))
        .collect();
    let mut out = String::new();
    if folded {
        // A line break between two text lines becomes a space, and one followed by
        // empty lines is dropped; but lines that start with white space ("more
        // indented") keep every line break around them.
        let mut previous_spaced: Option<bool> = None;
        let mut empty = 0;
        for line in &stripped {
            if line.is_empty() {
                empty += 1;
                continue;
            }
            let spaced = line.starts_with([' ', '\t']);
            let breaks = match previous_spaced {
                None => empty,
                Some(false) if !spaced => empty,
                Some(_) => empty + 1,
            };
            if breaks == 0 && previous_spaced.is_some() {
                out.push(' ');
            }
            out.extend(std::iter::repeat_n('\n', breaks));
            out.push_str(line);
            previous_spaced = Some(spaced);
            empty = 0;
        }
        out.extend(std::iter::repeat_n('\n', empty));
    } else {
        out = stripped.join("\n");
    }
    match chomp {
        '-' => out.trim_end_matches('\n').to_string(),
        '+' => {
            out.push('\n');
            out
        }
        _ => {
            let mut s = out.trim_end_matches('\n').to_string();
            s.push('\n');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_scalars() {
        assert_eq!(block_scalar_text("|\n  a\n  b\n"), "a\nb\n");
        assert_eq!(block_scalar_text(">-\n  {\"a\":\n   1}\n"), "{\"a\":\n 1}");
        assert_eq!(block_scalar_text(">-\n  one\n  two\n"), "one two");
        assert_eq!(block_scalar_text(">- \n  x\n"), "x");
    }

    #[test]
    fn folded_scalars_keep_breaks_around_more_indented_lines() {
        // The JSON of a `>-` MessageAttributes value (serverless-patterns sample).
        let raw = ">-\n  {\n    \"a\": {\n      \"b\": \"c\"\n    }\n  }\n";
        assert_eq!(
            block_scalar_text(raw),
            "{\n  \"a\": {\n    \"b\": \"c\"\n  }\n}"
        );
        assert_eq!(block_scalar_text(">\n a\n b\n\n c\n"), "a b\nc\n");
        assert_eq!(
            block_scalar_text(">\n a\n\n   b\n\n c\n"),
            "a\n\n  b\n\nc\n"
        );
        assert_eq!(block_scalar_text(">+\n a\n\n"), "a\n\n");
        assert_eq!(block_scalar_text(">\n\n a\n"), "\na\n");
    }

    #[test]
    fn double_quoted_escapes() {
        assert_eq!(unescape_double(r#"a\"b\\c\u00e9"#), "a\"b\\cé");
        assert_eq!(unescape_single("it''s"), "it's");
    }
}
