//! Parsing: tree-sitter grammars, the value tree built from them, and syntax errors.

pub mod hcl;
pub mod json;
pub mod pulumi;
pub mod value;
pub mod yaml;
pub mod yaml_limits;

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use ropey::Rope;
use tree_sitter::{Node as TsNode, Parser, Point, Tree};

pub use value::{Node, NodeKind, NodeRef, Pair, PairRef, Scalar, ScalarKind, ScalarStyle, Span};

/// Nesting depth beyond which the value tree stops descending (the rest is `Invalid`).
pub const MAX_DEPTH: usize = 200;

/// Which grammar a document is parsed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Yaml,
    Json,
    /// Terraform configuration (HCL native syntax, `.tf`).
    Terraform,
}

impl Language {
    /// Guesses the language from a file name or URI: `.json` is JSON, `.tf` Terraform,
    /// anything else YAML.
    pub fn from_path(path: &str) -> Self {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Language::Json
        } else if lower.ends_with(".tf") {
            Language::Terraform
        } else {
            Language::Yaml
        }
    }

    /// Maps an LSP language id, falling back to the path.
    pub fn from_language_id(id: &str, path: &str) -> Self {
        match id {
            "json" | "jsonc" => Language::Json,
            "yaml" | "cloudformation" | "cfn" => Language::Yaml,
            "terraform" | "hcl" => Language::Terraform,
            _ => Language::from_path(path),
        }
    }
}

/// Read access to text by byte range, relative to some base.
pub trait TextSource {
    fn text(&self, range: Range<usize>) -> Cow<'_, str>;
}

impl TextSource for str {
    fn text(&self, range: Range<usize>) -> Cow<'_, str> {
        Cow::Borrowed(self.get(range).unwrap_or(""))
    }
}

/// A window of a rope starting at `base`: byte 0 of the window is `base` in the rope.
pub struct RopeWindow<'a> {
    pub rope: &'a Rope,
    pub base: usize,
}

impl TextSource for RopeWindow<'_> {
    fn text(&self, range: Range<usize>) -> Cow<'_, str> {
        let len = self.rope.len_bytes();
        let start = (self.base + range.start).min(len);
        let end = (self.base + range.end).clamp(start, len);
        // Fast path: the range lies in one chunk and on char boundaries (node ranges
        // always do), so the text is borrowed without walking the rope again.
        if start < len {
            let (chunk, chunk_start, _, _) = self.rope.chunk_at_byte(start);
            if let Some(text) = chunk.get(start - chunk_start..end - chunk_start) {
                return Cow::Borrowed(text);
            }
        }
        let start = crate::position::floor_char_boundary(self.rope, start);
        let end = crate::position::floor_char_boundary(self.rope, end);
        Cow::from(self.rope.byte_slice(start..end))
    }
}

thread_local! {
    static YAML_PARSER: RefCell<Parser> = RefCell::new(new_parser(Language::Yaml));
    static JSON_PARSER: RefCell<Parser> = RefCell::new(new_parser(Language::Json));
    static HCL_PARSER: RefCell<Parser> = RefCell::new(new_parser(Language::Terraform));
}

fn new_parser(language: Language) -> Parser {
    let mut parser = Parser::new();
    let grammar: tree_sitter::Language = match language {
        Language::Yaml => tree_sitter_yaml::LANGUAGE.into(),
        Language::Json => tree_sitter_json::LANGUAGE.into(),
        Language::Terraform => tree_sitter_hcl::LANGUAGE.into(),
    };
    // The grammars are compiled into this binary with a matching ABI, so this only
    // fails if the build itself is broken; the parser then returns no trees.
    if let Err(err) = parser.set_language(&grammar) {
        tracing::error!("cannot load the {language:?} grammar: {err}");
    }
    parser
}

/// Parses `rope[range]` on its own, reading the rope's chunks (no copy of the text).
/// With `old`, the parse is incremental; `old` must already have been `edit`ed.
pub fn parse_rope_range(
    language: Language,
    rope: &Rope,
    range: Range<usize>,
    old: Option<&Tree>,
) -> Option<Tree> {
    parse_rope_padded(language, rope, range, b"", b"", old)
}

/// Parses `prefix`, then `rope[range]`, then `suffix`, as one text (tree positions count
/// the prefix), reading the rope's chunks. With `old`, the parse is incremental; `old`
/// must already have been `edit`ed in those coordinates.
pub fn parse_rope_padded(
    language: Language,
    rope: &Rope,
    range: Range<usize>,
    prefix: &[u8],
    suffix: &[u8],
    old: Option<&Tree>,
) -> Option<Tree> {
    let parser_cell = match language {
        Language::Yaml => &YAML_PARSER,
        Language::Json => &JSON_PARSER,
        Language::Terraform => &HCL_PARSER,
    };
    parser_cell.with(|cell| {
        let mut parser = cell.borrow_mut();
        let end = range.end.min(rope.len_bytes());
        let start = range.start.min(end);
        let body = end - start;
        let mut read = |offset: usize, _: Point| -> &[u8] {
            if let Some(rest) = prefix.get(offset..).filter(|r| !r.is_empty()) {
                return rest;
            }
            let offset = offset - prefix.len().min(offset);
            if offset >= body {
                return suffix.get(offset - body..).unwrap_or(&[]);
            }
            let abs = start + offset;
            let (chunk, chunk_start, _, _) = rope.chunk_at_byte(abs);
            let from = abs - chunk_start;
            let to = (end - chunk_start).min(chunk.len());
            chunk.as_bytes().get(from..to).unwrap_or(&[])
        };
        parser.parse_with_options(&mut read, old, None)
    })
}

/// The scalar on the last line of a multi-line YAML ERROR node that follows complete
/// mapping entries without a `:` of its own: the line being typed.
fn dangling_scalar(error: TsNode<'_>) -> Option<TsNode<'_>> {
    if error.start_position().row == error.end_position().row {
        return None;
    }
    let count = error.child_count();
    let last = error.child(u32::try_from(count.checked_sub(1)?).ok()?)?;
    let before = error.child(u32::try_from(count.checked_sub(2)?).ok()?)?;
    let scalar = matches!(last.kind(), "flow_node" | "plain_scalar");
    let alone = last.start_position().row > before.end_position().row;
    (scalar && alone && before.kind() == "block_mapping_pair" && last.child_count() <= 1)
        .then_some(last)
}

/// Collects syntax errors (ERROR and MISSING nodes, outermost only), at most `limit`.
pub fn syntax_errors(root: TsNode<'_>, limit: usize) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    if !root.has_error() {
        return out;
    }
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if out.len() >= limit {
            break;
        }
        if node.is_error() {
            out.push(match dangling_scalar(node) {
                // Typing a new key (`De` before its `:`) turns the whole enclosing
                // mapping into one ERROR node; point at the half-typed line instead.
                Some(last) => (
                    last.start_byte()..last.end_byte(),
                    "syntax error: this line is not a `key: value` entry (is the `:` missing?)"
                        .to_string(),
                ),
                None => (
                    node.start_byte()..node.end_byte(),
                    "syntax error: this text could not be parsed".to_string(),
                ),
            });
            continue;
        }
        if node.is_missing() {
            out.push((
                node.start_byte()..node.end_byte(),
                format!("syntax error: missing `{}`", node.kind()),
            ));
            continue;
        }
        if node.has_error() {
            let mut cursor = node.walk();
            let children: Vec<TsNode<'_>> = node.children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}
