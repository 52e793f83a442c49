//! Parses the pieces of a split JSON document with tree-sitter-json and builds their
//! value trees: the only code that knows tree-sitter-json's node kinds.
//!
//! The document layer cuts a JSON document into members (see
//! [`crate::document::json_split`]); each member's text (`"key": value`) is parsed on
//! its own as the object `{` member `}`, a section's header (`"Resources": {`) as
//! `{` header `}}`, and text that is not a member (a document that is not an object, text
//! after the document) as it is. Spans come out relative to the segment's start and
//! clamped to the piece's own text, so nothing points into the braces added around it.

use std::ops::Range;

use ropey::Rope;
use tree_sitter::{Node as TsNode, Tree};

use super::value::{Node, NodeKind, Pair, Scalar, ScalarKind, ScalarStyle, Span};
use super::{Language, MAX_DEPTH, TextSource};

/// How a piece of a split JSON document is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// One member, `"key": value`: parsed as `{` member `}`.
    Member,
    /// A section's key and its opening brace: parsed as `{` header `}}`.
    Header,
    /// Text parsed as it is: a whole document that is not an object, or the text after
    /// a document's closing brace.
    Plain,
}

impl Piece {
    fn padding(self) -> (&'static [u8], &'static [u8]) {
        match self {
            Piece::Member => (b"{", b"}"),
            Piece::Header => (b"{", b"}}"),
            Piece::Plain => (b"", b""),
        }
    }

    /// The bytes the parser sees before the piece's text.
    pub fn pad(self) -> usize {
        self.padding().0.len()
    }
}

/// One member of a parsed piece.
#[derive(Debug)]
pub struct Member {
    /// The key's text and its span inside the quotes (`None` when it is not a string).
    pub key: Option<(String, Span)>,
    pub value: Option<Node>,
}

/// What [`parse_piece`] read.
#[derive(Debug)]
pub struct Parsed {
    /// For a member or header: the members of the object around it (usually one). For
    /// plain text: the members of its first value when that is an object.
    pub members: Vec<Member>,
    /// For plain text whose first value is not an object: that value.
    pub value: Option<Node>,
    /// Syntax errors, relative to the segment, within the piece's text.
    pub errors: Vec<(Range<usize>, String)>,
    pub tree: Option<Tree>,
}

/// Parses `rope[text]`, a piece of a segment that starts at `segment`. With `old` (the
/// piece's previous tree, already edited in padded coordinates) the parse is
/// incremental, and done again from scratch if it has errors, so that the result never
/// depends on edit history.
pub fn parse_piece(
    rope: &Rope,
    text: Range<usize>,
    segment: usize,
    piece: Piece,
    old: Option<&Tree>,
    error_limit: usize,
) -> Parsed {
    let (prefix, suffix) = piece.padding();
    let mut tree =
        super::parse_rope_padded(Language::Json, rope, text.clone(), prefix, suffix, old);
    if old.is_some() && tree.as_ref().is_some_and(|t| t.root_node().has_error()) {
        tree = super::parse_rope_padded(Language::Json, rope, text.clone(), prefix, suffix, None);
    }
    let mut parsed = Parsed {
        members: Vec::new(),
        value: None,
        errors: Vec::new(),
        tree: None,
    };
    let Some(tree) = tree else {
        return parsed;
    };
    let src = PieceText {
        window: super::RopeWindow { rope, base: 0 },
        text: text.clone(),
        pad: prefix.len(),
    };
    let conv = Conv {
        src: &src,
        pad: prefix.len(),
        offset: text.start.saturating_sub(segment),
        limit: prefix.len() + text.len(),
    };
    {
        let root = tree.root_node();
        parsed.errors = super::syntax_errors(root, error_limit)
            .into_iter()
            .map(|(range, message)| (conv.range(range), message))
            .collect();
        let mut cursor = root.walk();
        let top = root
            .named_children(&mut cursor)
            .find(|n| n.kind() != "comment");
        match (piece, top) {
            (_, Some(object)) if object.kind() == "object" => {
                parsed.members = conv.members(object);
            }
            (Piece::Plain, Some(value)) => parsed.value = Some(conv.convert(value, 0)),
            _ => {}
        }
    }
    parsed.tree = Some(tree);
    parsed
}

/// The text of a piece, addressed in the parser's padded coordinates.
struct PieceText<'a> {
    window: super::RopeWindow<'a>,
    text: Range<usize>,
    pad: usize,
}

impl TextSource for PieceText<'_> {
    fn text(&self, range: Range<usize>) -> std::borrow::Cow<'_, str> {
        let start = (self.text.start + range.start.saturating_sub(self.pad)).min(self.text.end);
        let end =
            (self.text.start + range.end.saturating_sub(self.pad)).clamp(start, self.text.end);
        self.window.text(start..end)
    }
}

/// Turns nodes of a padded parse into value-tree nodes with segment-relative spans.
struct Conv<'a> {
    src: &'a dyn TextSource,
    /// The padding before the piece's text.
    pad: usize,
    /// Where the piece's text starts in its segment.
    offset: usize,
    /// The end of the piece's text, in padded coordinates.
    limit: usize,
}

impl Conv<'_> {
    fn at(&self, byte: usize) -> usize {
        byte.clamp(self.pad, self.limit) - self.pad + self.offset
    }

    fn range(&self, range: Range<usize>) -> Range<usize> {
        self.at(range.start)..self.at(range.end.max(range.start))
    }

    fn span(&self, node: TsNode<'_>) -> Span {
        Span::new(self.at(node.start_byte()), self.at(node.end_byte()))
    }

    fn raw(&self, node: TsNode<'_>) -> String {
        self.src
            .text(node.start_byte()..node.end_byte().min(self.limit))
            .into_owned()
    }

    /// The pairs of an object node, as members.
    fn members(&self, object: TsNode<'_>) -> Vec<Member> {
        let mut out = Vec::new();
        let mut cursor = object.walk();
        for pair in object.named_children(&mut cursor) {
            if pair.kind() != "pair" || pair.start_byte() >= self.limit {
                continue;
            }
            let key = pair
                .child_by_field_name("key")
                .filter(|k| k.kind() == "string")
                .map(|k| self.string_text(k));
            let value = pair
                .child_by_field_name("value")
                .filter(|v| v.start_byte() < self.limit)
                .map(|v| self.convert(v, 0));
            out.push(Member { key, value });
        }
        out
    }

    /// The unescaped text of a `string` node and the span inside its quotes.
    fn string_text(&self, node: TsNode<'_>) -> (String, Span) {
        let raw = self.raw(node);
        let inner = raw
            .strip_prefix('"')
            .map(|s| s.strip_suffix('"').unwrap_or(s))
            .unwrap_or(&raw);
        let start = node.start_byte() + usize::from(raw.starts_with('"'));
        let end = start + inner.len();
        (unescape(inner), Span::new(self.at(start), self.at(end)))
    }

    fn convert(&self, node: TsNode<'_>, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            return Node {
                span: self.span(node),
                kind: NodeKind::Invalid,
            };
        }
        let depth = depth + 1;
        match node.kind() {
            "object" => {
                let mut pairs = Vec::with_capacity(node.named_child_count());
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    if child.kind() != "pair" || child.start_byte() >= self.limit {
                        continue;
                    }
                    let Some(key) = child.child_by_field_name("key") else {
                        continue;
                    };
                    let (key, key_span) = if key.kind() == "string" {
                        self.string_text(key)
                    } else {
                        (self.raw(key), self.span(key))
                    };
                    let value = child
                        .child_by_field_name("value")
                        .filter(|v| v.start_byte() < self.limit)
                        .map(|v| self.convert(v, depth));
                    pairs.push(Pair {
                        key,
                        key_span,
                        value,
                    });
                }
                pairs.shrink_to_fit();
                Node {
                    span: self.span(node),
                    kind: NodeKind::Map(pairs),
                }
                .recognise_long_form()
            }
            "array" => {
                let mut cursor = node.walk();
                let mut items: Vec<Node> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() != "comment" && c.start_byte() < self.limit)
                    .map(|c| self.convert(c, depth))
                    .collect();
                items.shrink_to_fit();
                Node {
                    span: self.span(node),
                    kind: NodeKind::Seq(items),
                }
            }
            "string" => {
                let (text, text_span) = self.string_text(node);
                Node {
                    span: self.span(node),
                    kind: NodeKind::Scalar(Scalar {
                        text,
                        style: ScalarStyle::DoubleQuoted,
                        kind: ScalarKind::String,
                        text_span,
                    }),
                }
                .recognise_variables()
            }
            "number" | "true" | "false" | "null" => {
                let raw = self.raw(node);
                let kind = match node.kind() {
                    "number" if raw.contains(['.', 'e', 'E']) => ScalarKind::Float,
                    "number" => ScalarKind::Int,
                    "null" => ScalarKind::Null,
                    _ => ScalarKind::Bool,
                };
                Node {
                    span: self.span(node),
                    kind: NodeKind::Scalar(Scalar {
                        text: raw,
                        style: ScalarStyle::Plain,
                        kind,
                        text_span: self.span(node),
                    }),
                }
            }
            _ => Node {
                span: self.span(node),
                kind: NodeKind::Invalid,
            },
        }
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
