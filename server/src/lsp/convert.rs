//! Conversions between the analysis layer's types and LSP types. The only place
//! (with the other `lsp` modules) that knows LSP types.

use std::collections::HashMap;

use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, DiagnosticSeverity, NumberOrString};

use crate::analysis::code_actions;
use crate::analysis::features::{self, ItemKind, SymbolKind};
use crate::document::Document;

use crate::position::{self, PositionEncoding};
use crate::rules::{Finding, Fix, Severity};

pub fn to_lsp_position(p: position::Position) -> lsp::Position {
    lsp::Position::new(p.line, p.character)
}

pub fn from_lsp_position(p: lsp::Position) -> position::Position {
    position::Position::new(p.line, p.character)
}

pub fn to_lsp_range(r: position::Range) -> lsp::Range {
    lsp::Range::new(to_lsp_position(r.start), to_lsp_position(r.end))
}

pub fn from_lsp_range(r: lsp::Range) -> position::Range {
    position::Range::new(from_lsp_position(r.start), from_lsp_position(r.end))
}

pub fn span_to_lsp(
    rope: &Rope,
    span: std::ops::Range<usize>,
    encoding: PositionEncoding,
) -> lsp::Range {
    to_lsp_range(position::span_to_range(rope, span, encoding))
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// The data a quick fix needs, carried in `Diagnostic.data`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixData {
    #[serde(flatten)]
    pub fix: Fix,
    /// For replacements: the range to replace, in the negotiated encoding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<lsp::Range>,
}

pub fn diagnostic(rope: &Rope, finding: &Finding, encoding: PositionEncoding) -> lsp::Diagnostic {
    let range = span_to_lsp(rope, finding.range.clone(), encoding);
    let data = finding.fix.as_ref().and_then(|fix| {
        let fix_range = match fix {
            Fix::Replace { range: Some(r), .. } => Some(span_to_lsp(rope, r.clone(), encoding)),
            Fix::Replace { range: None, .. } => Some(range),
            _ => None,
        };
        serde_json::to_value(FixData {
            fix: fix.clone(),
            range: fix_range,
        })
        .ok()
    });
    lsp::Diagnostic {
        range,
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.to_string())),
        code_description: None,
        source: Some("apigw-lsp".to_string()),
        message: finding.message.clone(),
        related_information: None,
        tags: None,
        data,
    }
}

/// The whitespace at the start of the line of `offset`, up to it.
fn line_indent(rope: &Rope, offset: usize) -> String {
    let Ok(line) = rope.try_byte_to_line(offset) else {
        return String::new();
    };
    let start = rope.line_to_byte(line);
    rope.get_byte_slice(start..offset.max(start))
        .map(|s| s.chars().take_while(|c| *c == ' ' || *c == '\t').collect())
        .unwrap_or_default()
}

/// `text` with `indent` removed from the start of every line after the first.
fn dedent_later_lines(text: &str, indent: &str) -> String {
    if indent.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(line.strip_prefix(indent).unwrap_or(line));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// An LSP completion item; `snippets`: whether the client expands snippets (without,
/// a snippet is sent as the text its defaults give).
/// `as_is`: the client takes `insertTextMode: asIs`. Multi-line items then say so: their
/// later lines carry the whole indentation they need, and a client that adjusts
/// indentation by default (VS Code) would otherwise add the cursor line's again.
pub fn completion_item(
    rope: &Rope,
    mut item: features::CompletionItem,
    encoding: PositionEncoding,
    snippets: bool,
    as_is: bool,
) -> lsp::CompletionItem {
    if item.is_snippet && !snippets {
        item.insert_text = features::snippet_text(&item.insert_text);
        item.is_snippet = false;
    }
    if item.is_snippet && !as_is && item.insert_text.contains('\n') {
        // Snippet engines (VS Code's by default, Neovim's `vim.snippet`, LuaSnip) put the
        // cursor line's indentation before every later line: send them relative.
        let indent = line_indent(rope, item.replace.start);
        item.insert_text = dedent_later_lines(&item.insert_text, &indent);
    }
    let range = span_to_lsp(rope, item.replace.clone(), encoding);
    let insert_text_mode =
        (as_is && item.insert_text.contains('\n')).then_some(lsp::InsertTextMode::AS_IS);
    lsp::CompletionItem {
        label: item.label,
        kind: Some(match item.kind {
            ItemKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
            ItemKind::Property => lsp::CompletionItemKind::PROPERTY,
            ItemKind::Variable => lsp::CompletionItemKind::VARIABLE,
            ItemKind::Module => lsp::CompletionItemKind::MODULE,
            ItemKind::Snippet => lsp::CompletionItemKind::SNIPPET,
        }),
        detail: item.detail,
        documentation: item.documentation.map(|value| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            })
        }),
        preselect: item.preselect.then_some(true),
        sort_text: item.sort_text,
        filter_text: item.filter_text,
        insert_text_format: Some(if item.is_snippet {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
            range,
            item.insert_text,
        ))),
        insert_text_mode,
        command: item.retrigger.then(|| lsp::Command {
            title: "Suggest".to_string(),
            command: "editor.action.triggerSuggest".to_string(),
            arguments: None,
        }),
        ..lsp::CompletionItem::default()
    }
}

pub fn hover(rope: &Rope, hover: features::Hover, encoding: PositionEncoding) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(span_to_lsp(rope, hover.range, encoding)),
    }
}

#[allow(deprecated)]
pub fn symbol(
    rope: &Rope,
    symbol: features::Symbol,
    encoding: PositionEncoding,
) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: match symbol.kind {
            SymbolKind::Api => lsp::SymbolKind::MODULE,
            SymbolKind::Route => lsp::SymbolKind::METHOD,
            SymbolKind::Integration => lsp::SymbolKind::FUNCTION,
            SymbolKind::Stage => lsp::SymbolKind::NAMESPACE,
        },
        tags: None,
        deprecated: None,
        range: span_to_lsp(rope, symbol.range, encoding),
        selection_range: span_to_lsp(rope, symbol.selection_range, encoding),
        children: Some(
            symbol
                .children
                .into_iter()
                .map(|c| self::symbol(rope, c, encoding))
                .collect(),
        ),
    }
}

/// Quick fixes for the client's diagnostics that are ours and carry fix data.
pub fn quick_fixes(
    doc: &Document,
    uri: &lsp::Uri,
    diagnostics: &[lsp::Diagnostic],
    encoding: PositionEncoding,
) -> Vec<lsp::CodeActionOrCommand> {
    let mut out = Vec::new();
    for diagnostic in diagnostics {
        if diagnostic.source.as_deref() != Some("apigw-lsp") {
            continue;
        }
        let Some(NumberOrString::String(code)) = &diagnostic.code else {
            continue;
        };
        let Some(data) = diagnostic
            .data
            .clone()
            .and_then(|d| serde_json::from_value::<FixData>(d).ok())
        else {
            continue;
        };
        let range = data.range.unwrap_or(diagnostic.range);
        let span = position::range_to_span(doc.rope(), from_lsp_range(range), encoding);
        for action in code_actions::quick_fixes(doc, code, span, &data.fix) {
            let edits = action
                .edits
                .into_iter()
                .map(|e| lsp::TextEdit::new(span_to_lsp(doc.rope(), e.range, encoding), e.text))
                .collect();
            let mut changes = HashMap::new();
            changes.insert(uri.clone(), edits);
            out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: action.title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(lsp::WorkspaceEdit {
                    changes: Some(changes),
                    ..lsp::WorkspaceEdit::default()
                }),
                is_preferred: action.is_preferred.then_some(true),
                ..lsp::CodeAction::default()
            }));
        }
    }
    out
}
