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

/// `base`, or else `base2`, `base3`, ...: the first name `taken` says is free (`base`
/// when none of the first thousand is).
pub fn numbered(base: &str, taken: impl Fn(&str) -> bool) -> String {
    std::iter::once(base.to_string())
        .chain((2..1000).map(|n| format!("{base}{n}")))
        .find(|name| !taken(name))
        .unwrap_or_else(|| base.to_string())
}

/// The text an LSP snippet gives with every placeholder at its default: `${1:value}` is
/// `value`, a later `${1}` or `$1` repeats it, `$0` and escapes (`\$`, `\}`, `\\`) are
/// resolved. For clients without snippet support, and for tests.
pub fn snippet_text(snippet: &str) -> String {
    let mut defaults: std::collections::HashMap<String, String> = Default::default();
    let mut out = String::new();
    let mut chars = snippet.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                let mut inner = String::new();
                let mut escaped = false;
                for d in chars.by_ref() {
                    match d {
                        '\\' if !escaped => escaped = true,
                        '}' if !escaped => break,
                        d => {
                            escaped = false;
                            inner.push(d);
                        }
                    }
                }
                match inner.split_once(':') {
                    Some((n, default)) => {
                        defaults.insert(n.to_string(), default.to_string());
                        out.push_str(default);
                    }
                    None => out.push_str(defaults.get(&inner).map_or("", String::as_str)),
                }
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                let mut n = String::new();
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    n.push(d);
                }
                out.push_str(defaults.get(&n).map_or("", String::as_str));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod snippet_tests {
    use super::snippet_text;

    #[test]
    fn placeholders_take_their_defaults_and_mirrors_repeat_them() {
        assert_eq!(
            snippet_text("${1:Send}Role: !Sub a/\\${${1}Int\\} $2 \\$x $0"),
            "SendRole: !Sub a/${SendInt}  $x "
        );
        assert_eq!(snippet_text("${2:a\\}b}"), "a}b");
    }
}
