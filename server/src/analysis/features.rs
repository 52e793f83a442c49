//! Domain types returned by the editing features (completion, hover, navigation,
//! outline, quick fixes). Byte offsets only; the LSP layer converts.

use std::ops::Range;

/// What a completion item stands for (the LSP layer maps it to an icon).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// An enumerated value (subtype name, `AWS_PROXY`, `"1.0"`).
    Value,
    /// A mapping key (request parameter).
    Property,
    /// A variable (`$context.requestId`, a path or stage variable).
    Variable,
    /// A level of a dotted name that continues (`$context.identity.`).
    Module,
    /// A snippet inserting several things at once.
    Snippet,
}

/// One completion proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: ItemKind,
    /// One line shown beside the label (e.g. the service call, "required").
    pub detail: Option<String>,
    /// Markdown documentation.
    pub documentation: Option<String>,
    /// Text that replaces `replace`.
    pub insert_text: String,
    /// Whether `insert_text` is an LSP snippet (`$1`, `${1:placeholder}`, `$0`).
    pub is_snippet: bool,
    /// The bytes the insertion replaces (the typed prefix, usually).
    pub replace: Range<usize>,
    /// Ordering key; items sort by it before the label.
    pub sort_text: Option<String>,
    /// What the client filters on, when it differs from the label.
    pub filter_text: Option<String>,
    pub preselect: bool,
    /// Ask the client to re-trigger completion after inserting (for `$context.identity.`).
    pub retrigger: bool,
}

/// A hover: markdown for a range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub range: Range<usize>,
    pub markdown: String,
}

/// Outline entry kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Api,
    Route,
    Integration,
    Stage,
}

/// One outline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole resource.
    pub range: Range<usize>,
    /// The part to select (its name).
    pub selection_range: Range<usize>,
    pub children: Vec<Symbol>,
}

/// A text replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: Range<usize>,
    pub text: String,
}

/// A quick fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub edits: Vec<TextEdit>,
    pub is_preferred: bool,
}
