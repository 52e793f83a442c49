//! Conversions between the analysis layer's types and LSP types. The only place
//! (with the other `lsp` modules) that knows LSP types.

use ropey::Rope;
use tower_lsp_server::ls_types::{self as lsp, DiagnosticSeverity, NumberOrString};

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
