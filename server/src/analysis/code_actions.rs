//! Quick fixes, rebuilt from a diagnostic's code, range and fix data, for
//! CloudFormation integrations and OpenAPI `x-amazon-apigateway-integration`s alike
//! (each in its own spelling: `type: aws_proxy`, `payloadFormatVersion`, ...).
//!
//! Every fix re-reads the current document: the diagnostic only tells us where to look
//! ([`locate`] finds the integration from the range) and what to do ([`Fix`]). Edits
//! follow the file's own conventions: YAML block or flow style, JSON with or without
//! line breaks, the file's indentation unit and line ending, and YAML quoting when a
//! replacement would not survive as a plain scalar.
//!
//! Placeholders for missing request parameters are the catalog's (`placeholders`),
//! chosen so that the template stays clean after the fix: `$request.body` for payloads,
//! `$context.requestId` for a partition key, a `!Sub` with the account and Region for
//! queue URLs and state machine ARNs, a `$request.body` field for values that come from
//! the caller, and the marker (`REPLACE_ME`) for names only the author knows.

use std::ops::Range;

use super::context::{Located, Place, locate};
use super::features::{CodeAction, TextEdit};
use crate::catalog::{self, Placeholder};
use crate::document::Document;
use crate::model::{Dialect, Field};
use crate::rules::{Finding, Fix};
use crate::syntax::{Language, NodeRef, PairRef, ScalarStyle};

/// The quick fixes for a diagnostic with `code` at byte `range` carrying `fix`.
pub fn quick_fixes(doc: &Document, _code: &str, range: Range<usize>, fix: &Fix) -> Vec<CodeAction> {
    let action = match fix {
        Fix::Replace { title, text, .. } => replace(doc, range, title, text),
        Fix::AddParameters { names } => add_parameters(doc, range, names),
        Fix::SetField { field, value } => set_field(doc, range, field, value),
    };
    action.into_iter().collect()
}

/// The quick fixes for one finding, at the range its fix data points at (a
/// replacement's own range, else the finding's), as the editor offers them from
/// `Diagnostic.data`. `check --fix` applies these.
pub fn for_finding(doc: &Document, finding: &Finding) -> Vec<CodeAction> {
    let Some(fix) = &finding.fix else {
        return Vec::new();
    };
    let range = match fix {
        Fix::Replace { range: Some(r), .. } => r.clone(),
        _ => finding.range.clone(),
    };
    quick_fixes(doc, finding.code, range, fix)
}

/// The text every placeholder that the author has to fill in contains (`REPLACE_ME`).
pub fn placeholder_marker() -> &'static str {
    &catalog::catalog().placeholders.marker
}

/// A value to write.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    /// A string, written plain when the context allows and quoted otherwise.
    Text(String),
    /// A `Fn::Sub` template string.
    Sub(String),
    /// A mapping.
    Map(Vec<(String, Value)>),
}

/// The placeholder value of a missing required parameter. Without intrinsic functions
/// (a standalone OpenAPI document) the `Fn::Sub` templates are written as plain text:
/// API Gateway resolves `${AWS::Region}`, `${AWS::AccountId}` and `${AWS::Partition}`
/// when it imports the document.
fn placeholder(name: &str, intrinsics: bool) -> Value {
    match placeholder_value(name) {
        Value::Sub(text) if !intrinsics => Value::Text(text),
        value => value,
    }
}

fn placeholder_value(name: &str) -> Value {
    match catalog::catalog().placeholders.for_parameter(name) {
        Placeholder::Text(text) => Value::Text(text),
        Placeholder::Sub(text) => Value::Sub(text),
    }
}

/// How the mapping that receives new text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    YamlBlock,
    YamlFlow,
    /// JSON; `multiline` when members sit on their own lines.
    Json {
        multiline: bool,
    },
}

/// The document text plus the conventions of the file.
struct Text<'d> {
    doc: &'d Document,
    json: bool,
    eol: &'static str,
}

impl<'d> Text<'d> {
    fn new(doc: &'d Document) -> Self {
        let rope = doc.rope();
        let crlf = rope
            .get_line(0)
            .map(|l| l.to_string())
            .is_some_and(|l| l.ends_with("\r\n"));
        Text {
            doc,
            json: doc.language() == Language::Json,
            eol: if crlf { "\r\n" } else { "\n" },
        }
    }

    fn len(&self) -> usize {
        self.doc.rope().len_bytes()
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.doc.rope().get_byte(at)
    }

    fn slice(&self, range: Range<usize>) -> Option<String> {
        self.doc.rope().get_byte_slice(range).map(|s| s.to_string())
    }

    fn line_start(&self, at: usize) -> usize {
        let rope = self.doc.rope();
        rope.try_byte_to_line(at.min(self.len()))
            .map(|line| rope.line_to_byte(line))
            .unwrap_or(0)
    }

    /// The offset of the `\n` ending the line of `at` (`None` on the last line).
    fn newline_after(&self, at: usize) -> Option<usize> {
        let mut bytes = self.doc.rope().get_bytes_at(at)?;
        let mut i = at;
        loop {
            match bytes.next() {
                Some(b'\n') => return Some(i),
                Some(_) => i += 1,
                None => return None,
            }
        }
    }

    /// The end of the line of `at`, before its line break.
    fn line_end(&self, at: usize) -> usize {
        match self.newline_after(at) {
            Some(nl) if nl > 0 && self.byte(nl - 1) == Some(b'\r') => nl - 1,
            Some(nl) => nl,
            None => self.len(),
        }
    }

    /// The text between the start of the line and `at`.
    fn prefix(&self, at: usize) -> String {
        self.slice(self.line_start(at)..at).unwrap_or_default()
    }

    /// Whether `at` is the first non-blank character of its line.
    fn starts_line(&self, at: usize) -> bool {
        self.prefix(at).chars().all(|c| c == ' ' || c == '\t')
    }

    /// The column of `at`, in characters.
    fn column(&self, at: usize) -> usize {
        self.prefix(at).chars().count()
    }

    /// Where a key starts, including its opening quote.
    fn key_start(&self, pair: &PairRef<'_>) -> usize {
        let start = pair.key_span().start;
        match start.checked_sub(1).and_then(|i| self.byte(i)) {
            Some(b'"' | b'\'') => start - 1,
            _ => start,
        }
    }

    /// `start`, moved back over an opening quote.
    fn quoted_start(&self, start: usize) -> usize {
        match start.checked_sub(1).and_then(|i| self.byte(i)) {
            Some(b'"' | b'\'') => start - 1,
            _ => start,
        }
    }

    /// Where a key ends, including its closing quote.
    fn key_end(&self, pair: &PairRef<'_>) -> usize {
        let end = pair.key_span().end;
        let quoted = self.key_start(pair) != pair.key_span().start;
        match self.byte(end) {
            Some(b'"' | b'\'') if quoted => end + 1,
            _ => end,
        }
    }

    /// The offset just after the `:` that follows a key.
    fn after_colon(&self, pair: &PairRef<'_>) -> Option<usize> {
        let mut at = self.key_end(pair);
        while let Some(b) = self.byte(at) {
            match b {
                b' ' | b'\t' => at += 1,
                b':' => return Some(at + 1),
                _ => return None,
            }
        }
        None
    }

    /// Where a pair ends: the end of its value, else of its key.
    fn pair_end(&self, pair: &PairRef<'_>) -> usize {
        pair.value()
            .map_or_else(|| self.key_end(pair), |v| v.span().end)
    }

    /// Whether a node is a YAML flow collection.
    fn is_flow(&self, node: &NodeRef<'_>) -> bool {
        matches!(self.byte(node.span().start), Some(b'{' | b'['))
    }

    /// How a mapping's members are written.
    fn style_of(&self, map: &NodeRef<'_>, located: &Located<'_>) -> Style {
        if self.json {
            let multiline = map
                .pairs()
                .last()
                .is_some_and(|p| self.starts_line(self.key_start(&p)));
            return Style::Json { multiline };
        }
        if self.in_flow(located) || self.is_flow(map) {
            Style::YamlFlow
        } else {
            Style::YamlBlock
        }
    }

    /// Whether the integration's properties are inside a YAML flow collection.
    fn in_flow(&self, located: &Located<'_>) -> bool {
        let props = located.integration.as_ref().map(|i| i.fields);
        let resource = located.resource.as_ref().map(|r| r.value);
        [located.entry.value(), resource, props]
            .iter()
            .flatten()
            .any(|n| self.is_flow(n))
    }

    /// The file's indentation step: how much deeper `Properties` members sit than
    /// `Properties` itself, or the extension's fields than its key (2 when that cannot
    /// be told).
    fn indent_unit(&self, located: &Located<'_>) -> usize {
        let integration = located.integration.as_ref();
        let outer = match integration.map(|i| i.dialect) {
            Some(Dialect::OpenApi) => integration.map(|i| self.quoted_start(i.anchor.start)),
            _ => located
                .resource
                .as_ref()
                .and_then(|r| r.value.pair("Properties"))
                .map(|p| self.key_start(&p)),
        };
        let inner = integration.and_then(|i| i.fields.pairs().next());
        if let (Some(o), Some(inner)) = (outer, inner) {
            let i = self.key_start(&inner);
            if self.starts_line(o) && self.starts_line(i) {
                let (o, i) = (self.column(o), self.column(i));
                if i > o && i - o <= 8 {
                    return i - o;
                }
            }
        }
        2
    }

    /// Renders a scalar string for this file in a mapping of `style`.
    fn scalar(&self, text: &str, style: Style) -> String {
        match style {
            Style::Json { .. } => json_string(text),
            Style::YamlBlock => yaml_scalar(text, false),
            Style::YamlFlow => yaml_scalar(text, true),
        }
    }

    /// Renders a key.
    fn key(&self, key: &str, style: Style) -> String {
        self.scalar(key, style)
    }

    /// Renders `key: value` for a mapping of `style` whose members are indented by
    /// `indent`; nested mappings are indented one `unit` deeper.
    fn pair(&self, key: &str, value: &Value, style: Style, indent: &str, unit: usize) -> String {
        let key = self.key(key, style);
        match value {
            Value::Text(t) => format!("{key}: {}", self.scalar(t, style)),
            Value::Sub(t) => match style {
                Style::Json { .. } => format!("{key}: {{\"Fn::Sub\": {}}}", json_string(t)),
                _ => format!("{key}: !Sub {}", self.scalar(t, style)),
            },
            Value::Map(members) => {
                let inner = format!("{indent}{}", " ".repeat(unit));
                match style {
                    Style::YamlBlock => {
                        let mut out = format!("{key}:");
                        for (k, v) in members {
                            out.push_str(self.eol);
                            out.push_str(&inner);
                            out.push_str(&self.pair(k, v, style, &inner, unit));
                        }
                        out
                    }
                    _ => format!("{key}: {}", self.map(members, style, indent, unit)),
                }
            }
        }
    }

    /// Renders a whole flow or JSON mapping; `indent` is the indentation of the line
    /// holding its key (for multi-line JSON).
    fn map(&self, members: &[(String, Value)], style: Style, indent: &str, unit: usize) -> String {
        match style {
            Style::Json { multiline: true } => {
                let inner = format!("{indent}{}", " ".repeat(unit));
                let body: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{inner}{}", self.pair(k, v, style, &inner, unit)))
                    .collect();
                format!(
                    "{{{eol}{}{eol}{indent}}}",
                    body.join(&format!(",{}", self.eol)),
                    eol = self.eol
                )
            }
            _ => {
                let body: Vec<String> = members
                    .iter()
                    .map(|(k, v)| self.pair(k, v, style, indent, unit))
                    .collect();
                format!("{{{}}}", body.join(", "))
            }
        }
    }

    /// The edit that appends members to a non-empty mapping.
    fn append(
        &self,
        map: &NodeRef<'_>,
        members: &[(String, Value)],
        style: Style,
        unit: usize,
    ) -> Option<TextEdit> {
        let last = map.pairs().last()?;
        let end = self.pair_end(&last);
        let key_at = self.key_start(&last);
        let indent = " ".repeat(self.column(key_at));
        match style {
            Style::YamlBlock => {
                let lines: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{indent}{}", self.pair(k, v, style, &indent, unit)))
                    .collect();
                let body = lines.join(self.eol);
                // After the line the last member ends on (a block scalar's span already
                // includes its line break).
                let after_break = if end > 0 && self.byte(end - 1) == Some(b'\n') {
                    Some(end)
                } else {
                    self.newline_after(end).map(|nl| nl + 1)
                };
                Some(match after_break {
                    Some(at) if at <= self.len() => TextEdit {
                        range: at..at,
                        text: format!("{body}{}", self.eol),
                    },
                    _ => TextEdit {
                        range: self.len()..self.len(),
                        text: format!("{}{body}", self.eol),
                    },
                })
            }
            Style::YamlFlow | Style::Json { multiline: false } => {
                let text: String = members
                    .iter()
                    .map(|(k, v)| format!(", {}", self.pair(k, v, style, &indent, unit)))
                    .collect();
                Some(TextEdit {
                    range: end..end,
                    text,
                })
            }
            Style::Json { multiline: true } => {
                let text: String = members
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            ",{}{indent}{}",
                            self.eol,
                            self.pair(k, v, style, &indent, unit)
                        )
                    })
                    .collect();
                Some(TextEdit {
                    range: end..end,
                    text,
                })
            }
        }
    }

    /// The edit that gives `pair` (with no value, or an empty mapping) these members.
    fn fill(
        &self,
        pair: &PairRef<'_>,
        members: &[(String, Value)],
        style: Style,
        unit: usize,
    ) -> Option<TextEdit> {
        let colon = self.after_colon(pair)?;
        let value = pair.value();
        let key_indent = " ".repeat(self.column(self.key_start(pair)));
        match style {
            Style::YamlBlock => {
                // Keep what follows the value on its line (a comment), then the members.
                let value_end = value.map_or(colon, |v| v.span().end);
                let line_end = self.line_end(value_end);
                let rest = self.slice(value_end..line_end)?;
                let inner = format!("{key_indent}{}", " ".repeat(unit));
                let mut text = rest;
                for (k, v) in members {
                    text.push_str(self.eol);
                    text.push_str(&inner);
                    text.push_str(&self.pair(k, v, style, &inner, unit));
                }
                Some(TextEdit {
                    range: colon..line_end,
                    text,
                })
            }
            _ => {
                let map = self.map(members, style, &key_indent, unit);
                Some(match value {
                    Some(v) => TextEdit {
                        range: v.span(),
                        text: map,
                    },
                    None => TextEdit {
                        range: colon..colon,
                        text: format!(" {map}"),
                    },
                })
            }
        }
    }
}

/// Adds the missing request parameters, creating `RequestParameters` if needed.
fn add_parameters(doc: &Document, range: Range<usize>, names: &[String]) -> Option<CodeAction> {
    let located = locate(doc, range.start)?;
    let integration = located.integration.as_ref()?;
    let text = Text::new(doc);
    let unit = text.indent_unit(&located);
    let params_pair = integration.field(Field::RequestParameters);
    let params = params_pair.and_then(|p| p.value());
    let present: Vec<&str> = params
        .map(|p| p.pairs().map(|p| p.key()).collect())
        .unwrap_or_default();
    let mut missing: Vec<&str> = Vec::new();
    for name in names {
        if !present.contains(&name.as_str()) && !missing.contains(&name.as_str()) {
            missing.push(name);
        }
    }
    if missing.is_empty() {
        return None;
    }
    let members: Vec<(String, Value)> = missing
        .iter()
        .map(|n| (n.to_string(), placeholder(n, located.resource.is_some())))
        .collect();
    let props = integration.fields;
    let props_style = text.style_of(&props, &located);
    let edit = match (params_pair, params) {
        (None, _) => {
            let field = integration.dialect.name(Field::RequestParameters);
            text.append(
                &props,
                &[(field.to_string(), Value::Map(members))],
                props_style,
                unit,
            )?
        }
        (Some(pair), None) => text.fill(&pair, &members, props_style, unit)?,
        (Some(pair), Some(value)) if value.is_map() && value.pairs().next().is_none() => {
            text.fill(&pair, &members, props_style, unit)?
        }
        (Some(_), Some(value)) if value.is_map() => {
            let style = match props_style {
                Style::Json { .. } => text.style_of(&value, &located),
                _ if text.is_flow(&value) => Style::YamlFlow,
                other => other,
            };
            text.append(&value, &members, style, unit)?
        }
        // A scalar or an intrinsic function: nothing we can add keys to.
        _ => return None,
    };
    let noun = if missing.len() == 1 {
        "parameter"
    } else {
        "parameters"
    };
    Some(CodeAction {
        title: format!("Add missing {noun} {}", missing.join(", ")),
        edits: vec![edit],
        is_preferred: true,
    })
}

/// Sets an integration field to a value, adding the field when it is missing.
fn set_field(doc: &Document, range: Range<usize>, field: &str, value: &str) -> Option<CodeAction> {
    let located = locate(doc, range.start)?;
    let integration = located.integration.as_ref()?;
    // The proxy type as this dialect writes it (`aws_proxy` in OpenAPI).
    let value = if field == integration.dialect.name(Field::IntegrationType)
        && integration.dialect.is_proxy_type(value)
    {
        integration.dialect.proxy_type()
    } else {
        value
    };
    let text = Text::new(doc);
    let props = integration.fields;
    let style = text.style_of(&props, &located);
    let edit = match props.pair(field) {
        Some(pair) => match pair.value() {
            Some(v) if v.scalar().is_some() => TextEdit {
                range: v.span(),
                text: text.scalar(value, style),
            },
            // An intrinsic function or a collection: not ours to overwrite.
            Some(_) => return None,
            None => {
                let at = text.after_colon(&pair)?;
                TextEdit {
                    range: at..at,
                    text: format!(" {}", text.scalar(value, style)),
                }
            }
        },
        None => {
            let unit = text.indent_unit(&located);
            text.append(
                &props,
                &[(field.to_string(), Value::Text(value.to_string()))],
                style,
                unit,
            )?
        }
    };
    Some(CodeAction {
        title: format!("Set {field} to {}", yaml_scalar(value, false)),
        edits: vec![edit],
        is_preferred: true,
    })
}

/// Replaces `range` with `new`; inside a request-parameter value the result is
/// re-quoted when the value's quoting no longer fits.
fn replace(doc: &Document, range: Range<usize>, title: &str, new: &str) -> Option<CodeAction> {
    let text = Text::new(doc);
    // The range must lie inside the document, on character boundaries.
    text.slice(range.clone())?;
    let edit = replace_in_value(&text, &range, new).unwrap_or(TextEdit {
        range,
        text: new.to_string(),
    });
    Some(CodeAction {
        title: title.to_string(),
        edits: vec![edit],
        is_preferred: true,
    })
}

/// The replacement inside a literal `RequestParameters` value, quoted for its style.
fn replace_in_value(text: &Text<'_>, range: &Range<usize>, new: &str) -> Option<TextEdit> {
    let located = locate(text.doc, range.start)?;
    let (Place::ParamValue, Some(value)) = (&located.place, located.value) else {
        return None;
    };
    let scalar = value.scalar()?;
    let span = value.text_span();
    if range.start < span.start || range.end > span.end || scalar.style == ScalarStyle::Block {
        return None;
    }
    let source = text.slice(span.clone())?;
    let verbatim = source == scalar.text;
    let full = if verbatim {
        let (a, b) = (range.start - span.start, range.end - span.start);
        format!("{}{new}{}", source.get(..a)?, source.get(b..)?)
    } else if *range == span {
        // The rules send the whole new value when the source is escaped or folded.
        new.to_string()
    } else {
        return None;
    };
    let flow = text.in_flow(&located)
        || located
            .integration
            .as_ref()
            .and_then(|i| i.request_parameters())
            .is_some_and(|p| text.is_flow(&p));
    let whole = |text: String| TextEdit {
        range: value.span(),
        text,
    };
    let inside = |escaped: String| {
        if verbatim {
            TextEdit {
                range: range.clone(),
                text: escaped,
            }
        } else {
            TextEdit {
                range: span.clone(),
                text: escaped,
            }
        }
    };
    let piece = if verbatim { new } else { full.as_str() };
    Some(if text.json {
        inside(unquote(json_string(piece)))
    } else {
        match scalar.style {
            ScalarStyle::Plain if plain_ok(&full, flow) => inside(piece.to_string()),
            ScalarStyle::Plain => whole(yaml_double(&full)),
            ScalarStyle::DoubleQuoted => inside(unquote(yaml_double(piece))),
            ScalarStyle::SingleQuoted if !full.chars().any(char::is_control) => {
                inside(piece.replace('\'', "''"))
            }
            ScalarStyle::SingleQuoted => whole(yaml_double(&full)),
            ScalarStyle::Block => return None,
        }
    })
}

/// Whether YAML reads `text` back as this same string when written plain.
fn plain_ok(text: &str, flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || text.chars().any(char::is_control)
        || (flow && text.contains([',', '[', ']', '{', '}']))
    {
        return false;
    }
    !resolves_to_non_string(text)
}

/// Whether a plain scalar would be read as a number, boolean or null (YAML 1.1 or 1.2).
fn resolves_to_non_string(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return true;
    }
    let digits = lower.trim_start_matches(['+', '-']);
    digits.parse::<f64>().is_ok()
        || digits.starts_with(".inf")
        || digits == ".nan"
        || (digits.starts_with("0x") || digits.starts_with("0o") || digits.starts_with("0b"))
        || (digits.chars().next().is_some_and(|c| c.is_ascii_digit())
            && digits
                .chars()
                .all(|c| c.is_ascii_digit() || c == '_' || c == ':' || c == '.'))
}

/// A YAML scalar for `text`: plain when that reads back as the same string.
fn yaml_scalar(text: &str, flow: bool) -> String {
    if plain_ok(text, flow) {
        text.to_string()
    } else {
        yaml_double(text)
    }
}

/// A YAML double-quoted scalar.
fn yaml_double(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The inside of a double-quoted string.
fn unquote(quoted: String) -> String {
    match quoted.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.to_string(),
        None => quoted,
    }
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| yaml_double(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::rules::test_support::language_of;

    /// Applies edits from last to first.
    fn apply(text: &str, edits: &[TextEdit]) -> String {
        let mut edits = edits.to_vec();
        edits.sort_by_key(|e| std::cmp::Reverse((e.range.start, e.range.end)));
        let mut out = text.to_string();
        for e in edits {
            out.replace_range(e.range.clone(), &e.text);
        }
        out
    }

    fn doc(text: &str) -> Document {
        Document::new(text, language_of(text), 0)
    }

    fn codes(text: &str) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = analyze(&doc(text)).iter().map(|f| f.code).collect();
        codes.sort_unstable();
        codes
    }

    /// The quick fixes of the first finding with `code`, as the LSP layer asks for them.
    fn actions(text: &str, code: &str) -> Vec<CodeAction> {
        let d = doc(text);
        let findings = analyze(&d);
        let finding = findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code} in:\n{text}\nfound: {findings:#?}"));
        let fix = finding
            .fix
            .as_ref()
            .unwrap_or_else(|| panic!("{code} carries no fix: {finding:?}"));
        let range = match fix {
            Fix::Replace { range: Some(r), .. } => r.clone(),
            _ => finding.range.clone(),
        };
        quick_fixes(&d, code, range, fix)
    }

    /// Applies the one quick fix of the first `code` finding and checks that the finding
    /// is gone and no other finding appeared. Returns the new text and the action.
    fn fix(text: &str, code: &str) -> (String, CodeAction) {
        fix_clearing(text, code, &[])
    }

    /// [`fix`], for a fix that also clears one finding of each of `also_cleared`.
    fn fix_clearing(text: &str, code: &str, also_cleared: &[&str]) -> (String, CodeAction) {
        let before = codes(text);
        let mut actions = actions(text, code);
        assert_eq!(actions.len(), 1, "one action expected: {actions:#?}");
        let action = actions.remove(0);
        assert!(!action.edits.is_empty());
        let fixed = apply(text, &action.edits);
        let mut expected = before.clone();
        let at = expected
            .iter()
            .position(|c| *c == code)
            .unwrap_or_else(|| panic!("{code} not among {before:?}"));
        expected.remove(at);
        for also in also_cleared {
            if let Some(at) = expected.iter().position(|c| c == also) {
                expected.remove(at);
            }
        }
        let after = codes(&fixed);
        assert_eq!(
            after,
            expected,
            "findings after the fix differ\n--- before:\n{text}\n--- after:\n{fixed}\n--- findings: {:#?}",
            analyze(&doc(&fixed))
        );
        (fixed, action)
    }

    fn fixed(text: &str, code: &str) -> String {
        fix(text, code).0
    }

    /// An SQS-SendMessage integration with every other field right; `params` are the
    /// lines after `CredentialsArn`.
    fn sqs(params: &str) -> String {
        format!(
            "Resources:\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt Role.Arn\n{params}"
        )
    }

    const MISSING: &str = "missing-required-parameter";
    const TYPE: &str = "wrong-integration-type";
    const VERSION: &str = "wrong-payload-format-version";

    // ---- missing-required-parameter, YAML ----

    #[test]
    fn adds_request_parameters_when_absent() {
        let (text, action) = fix(&sqs(""), MISSING);
        assert_eq!(action.title, "Add missing parameters QueueUrl, MessageBody");
        assert!(action.is_preferred);
        assert_eq!(
            text,
            sqs(concat!(
                "      RequestParameters:\n",
                "        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\n",
                "        MessageBody: $request.body\n",
            ))
        );
    }

    #[test]
    fn adds_after_a_nested_last_property_and_before_the_next_resource() {
        let text = sqs("      Tags:\n        a: b\n  Next:\n    Type: AWS::SQS::Queue\n");
        assert_eq!(
            fixed(&text, MISSING),
            sqs(concat!(
                "      Tags:\n",
                "        a: b\n",
                "      RequestParameters:\n",
                "        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\n",
                "        MessageBody: $request.body\n",
                "  Next:\n",
                "    Type: AWS::SQS::Queue\n",
            ))
        );
    }

    #[test]
    fn adds_after_a_block_scalar_and_at_end_of_file_without_newline() {
        let text = sqs("      Description: |\n        two\n        lines\n");
        let out = fixed(&text, MISSING);
        assert!(
            out.ends_with("        lines\n      RequestParameters:\n        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\n        MessageBody: $request.body\n"),
            "{out}"
        );
        let text = sqs("      RequestParameters:\n        QueueUrl: !Ref Queue");
        assert_eq!(
            fixed(&text, MISSING),
            sqs(
                "      RequestParameters:\n        QueueUrl: !Ref Queue\n        MessageBody: $request.body"
            )
        );
    }

    #[test]
    fn fills_empty_flow_mapping_as_a_block() {
        let text = sqs("      RequestParameters: {}\n      TimeoutInMillis: 29000\n");
        assert_eq!(
            fixed(&text, MISSING),
            sqs(concat!(
                "      RequestParameters:\n",
                "        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\n",
                "        MessageBody: $request.body\n",
                "      TimeoutInMillis: 29000\n",
            ))
        );
    }

    #[test]
    fn fills_key_without_value_and_keeps_its_comment() {
        let text = sqs("      RequestParameters: # todo\n      TimeoutInMillis: 29000\n");
        assert_eq!(
            fixed(&text, MISSING),
            sqs(concat!(
                "      RequestParameters: # todo\n",
                "        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\n",
                "        MessageBody: $request.body\n",
                "      TimeoutInMillis: 29000\n",
            ))
        );
        let text = sqs("      RequestParameters:\n");
        assert_eq!(
            fixed(&text, MISSING),
            sqs(concat!(
                "      RequestParameters:\n",
                "        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\n",
                "        MessageBody: $request.body\n",
            ))
        );
    }

    #[test]
    fn appends_to_block_request_parameters() {
        let text = sqs(
            "      RequestParameters:\n        QueueUrl: !Ref Queue # the queue\n      TimeoutInMillis: 29000\n",
        );
        let (out, action) = fix(&text, MISSING);
        assert_eq!(action.title, "Add missing parameter MessageBody");
        assert_eq!(
            out,
            sqs(
                "      RequestParameters:\n        QueueUrl: !Ref Queue # the queue\n        MessageBody: $request.body\n      TimeoutInMillis: 29000\n"
            )
        );
    }

    #[test]
    fn appends_to_flow_request_parameters() {
        let text = sqs("      RequestParameters: {QueueUrl: x}\n");
        assert_eq!(
            fixed(&text, MISSING),
            sqs("      RequestParameters: {QueueUrl: x, MessageBody: $request.body}\n")
        );
        let text = sqs("      RequestParameters: {MessageBody: x}\n");
        assert_eq!(
            fixed(&text, MISSING),
            sqs(
                "      RequestParameters: {MessageBody: x, QueueUrl: !Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\"}\n"
            )
        );
    }

    #[test]
    fn adds_to_flow_properties() {
        let text = "Resources:\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: {IntegrationType: AWS_PROXY, IntegrationSubtype: SQS-PurgeQueue, PayloadFormatVersion: \"1.0\", CredentialsArn: !GetAtt Role.Arn}\n";
        assert_eq!(
            fixed(text, MISSING),
            "Resources:\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: {IntegrationType: AWS_PROXY, IntegrationSubtype: SQS-PurgeQueue, PayloadFormatVersion: \"1.0\", CredentialsArn: !GetAtt Role.Arn, RequestParameters: {QueueUrl: !Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\"}}\n"
        );
        let text = "Resources: {Int: {Type: AWS::ApiGatewayV2::Integration, Properties: {IntegrationType: AWS_PROXY, IntegrationSubtype: SQS-PurgeQueue, PayloadFormatVersion: \"1.0\", CredentialsArn: r, RequestParameters: {}}}}\n";
        assert_eq!(
            fixed(text, MISSING),
            "Resources: {Int: {Type: AWS::ApiGatewayV2::Integration, Properties: {IntegrationType: AWS_PROXY, IntegrationSubtype: SQS-PurgeQueue, PayloadFormatVersion: \"1.0\", CredentialsArn: r, RequestParameters: {QueueUrl: !Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\"}}}}\n"
        );
    }

    #[test]
    fn uses_the_files_indentation_unit() {
        let text = "Resources:\n    Int:\n        Type: AWS::ApiGatewayV2::Integration\n        Properties:\n            IntegrationType: AWS_PROXY\n            IntegrationSubtype: Kinesis-PutRecord\n            PayloadFormatVersion: \"1.0\"\n            CredentialsArn: !GetAtt Role.Arn\n";
        assert_eq!(
            fixed(text, MISSING),
            format!(
                "{text}            RequestParameters:\n                StreamName: REPLACE_ME\n                Data: $request.body\n                PartitionKey: $context.requestId\n"
            )
        );
        let text = format!("{text}            RequestParameters: {{}}\n");
        assert!(
            fixed(&text, MISSING).ends_with("            RequestParameters:\n                StreamName: REPLACE_ME\n                Data: $request.body\n                PartitionKey: $context.requestId\n")
        );
    }

    #[test]
    fn keeps_crlf_line_endings() {
        let text = sqs("").replace('\n', "\r\n");
        let out = fixed(&text, MISSING);
        assert_eq!(
            out,
            sqs(concat!(
                "      RequestParameters:\n",
                "        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\n",
                "        MessageBody: $request.body\n",
            ))
            .replace('\n', "\r\n")
        );
        let text = sqs("      RequestParameters: {}\n      TimeoutInMillis: 29000\n")
            .replace('\n', "\r\n");
        let out = fixed(&text, MISSING);
        assert!(
            out.contains("      RequestParameters:\r\n        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\r\n        MessageBody: $request.body\r\n      TimeoutInMillis: 29000\r\n"),
            "{out:?}"
        );
    }

    #[test]
    fn handles_non_ascii_text_on_the_lines() {
        let text = sqs("      Description: \"café ☕ — naïve\" # é\n");
        assert_eq!(
            fixed(&text, MISSING),
            sqs(concat!(
                "      Description: \"café ☕ — naïve\" # é\n",
                "      RequestParameters:\n",
                "        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\n",
                "        MessageBody: $request.body\n",
            ))
        );
        let text = sqs("      RequestParameters: {QueueUrl: \"été\"}\n");
        assert_eq!(
            fixed(&text, MISSING),
            sqs("      RequestParameters: {QueueUrl: \"été\", MessageBody: $request.body}\n")
        );
    }

    #[test]
    fn placeholders_are_clean_for_every_subtype_in_every_style() {
        let catalog = crate::catalog::catalog();
        for subtype in &catalog.subtypes {
            let name = &subtype.name;
            let required: Vec<&str> = subtype.required_params().map(|p| p.name.as_str()).collect();
            let fixtures = [
                format!(
                    "Resources:\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: {name}\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: r\n"
                ),
                format!(
                    "Resources:\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: {{IntegrationType: AWS_PROXY, IntegrationSubtype: {name}, PayloadFormatVersion: \"1.0\", CredentialsArn: r}}\n"
                ),
                format!(
                    "{{\"Resources\": {{\"I\": {{\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {{\n  \"IntegrationType\": \"AWS_PROXY\",\n  \"IntegrationSubtype\": \"{name}\",\n  \"PayloadFormatVersion\": \"1.0\",\n  \"CredentialsArn\": \"r\"}}}}}}}}\n"
                ),
                format!(
                    "{{\"Resources\": {{\"I\": {{\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {{\"IntegrationType\": \"AWS_PROXY\", \"IntegrationSubtype\": \"{name}\", \"PayloadFormatVersion\": \"1.0\", \"CredentialsArn\": \"r\", \"RequestParameters\": {{}}}}}}}}}}\n"
                ),
            ];
            for text in fixtures {
                if required.is_empty() {
                    assert!(!codes(&text).contains(&MISSING));
                    continue;
                }
                let (out, action) = fix(&text, MISSING);
                assert!(
                    action.title.ends_with(&required.join(", ")),
                    "{}",
                    action.title
                );
                let d = doc(&out);
                let integration = crate::model::resources(&d)
                    .find_map(|r| crate::model::Integration::from_resource(&r))
                    .expect("integration");
                let params = integration.request_parameters().expect("parameters");
                let keys: Vec<&str> = params.pairs().map(|p| p.key()).collect();
                assert_eq!(keys, required, "{out}");
            }
        }
    }

    // ---- missing-required-parameter, JSON ----

    const JSON_HEAD: &str = "{\n  \"Resources\": {\n    \"Int\": {\n      \"Type\": \"AWS::ApiGatewayV2::Integration\",\n      \"Properties\": {\n        \"IntegrationType\": \"AWS_PROXY\",\n        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"PayloadFormatVersion\": \"1.0\",\n        \"CredentialsArn\": \"r\"";
    const JSON_TAIL: &str = "\n      }\n    }\n  }\n}\n";

    #[test]
    fn json_adds_request_parameters_when_absent() {
        let text = format!("{JSON_HEAD}{JSON_TAIL}");
        assert_eq!(
            fixed(&text, MISSING),
            format!(
                "{JSON_HEAD},\n        \"RequestParameters\": {{\n          \"QueueUrl\": {{\"Fn::Sub\": \"https://sqs.${{AWS::Region}}.amazonaws.com/${{AWS::AccountId}}/REPLACE_ME\"}},\n          \"MessageBody\": \"$request.body\"\n        }}{JSON_TAIL}"
            )
        );
    }

    #[test]
    fn json_uses_four_space_indentation() {
        let text = format!("{JSON_HEAD}{JSON_TAIL}").replace("  ", "    ");
        let out = fixed(&text, MISSING);
        assert!(
            out.contains("\"CredentialsArn\": \"r\",\n                \"RequestParameters\": {\n                    \"QueueUrl\": {\"Fn::Sub\": \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\"},\n                    \"MessageBody\": \"$request.body\"\n                }\n            }"),
            "{out}"
        );
    }

    #[test]
    fn json_appends_to_existing_parameters() {
        let text = format!(
            "{JSON_HEAD},\n        \"RequestParameters\": {{\n          \"QueueUrl\": \"https://x\"\n        }}{JSON_TAIL}"
        );
        assert_eq!(
            fixed(&text, MISSING),
            format!(
                "{JSON_HEAD},\n        \"RequestParameters\": {{\n          \"QueueUrl\": \"https://x\",\n          \"MessageBody\": \"$request.body\"\n        }}{JSON_TAIL}"
            )
        );
        let text = "{\"Resources\": {\"I\": {\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {\n  \"IntegrationType\": \"AWS_PROXY\", \"PayloadFormatVersion\": \"1.0\", \"CredentialsArn\": \"r\",\n  \"IntegrationSubtype\": \"StepFunctions-StopExecution\",\n  \"RequestParameters\": {\"Cause\": \"x\"}}}}}\n";
        assert_eq!(
            fixed(text, MISSING),
            text.replace(
                "{\"Cause\": \"x\"}",
                "{\"Cause\": \"x\", \"ExecutionArn\": \"$request.body.executionArn\"}"
            )
        );
    }

    #[test]
    fn json_fills_empty_objects() {
        let text = format!("{JSON_HEAD},\n        \"RequestParameters\": {{}}{JSON_TAIL}");
        assert_eq!(
            fixed(&text, MISSING),
            format!(
                "{JSON_HEAD},\n        \"RequestParameters\": {{\n          \"QueueUrl\": {{\"Fn::Sub\": \"https://sqs.${{AWS::Region}}.amazonaws.com/${{AWS::AccountId}}/REPLACE_ME\"}},\n          \"MessageBody\": \"$request.body\"\n        }}{JSON_TAIL}"
            )
        );
        let text = "{\"Resources\": {\"I\": {\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {\"IntegrationType\": \"AWS_PROXY\", \"PayloadFormatVersion\": \"1.0\", \"CredentialsArn\": \"r\", \"IntegrationSubtype\": \"SQS-SendMessage\", \"RequestParameters\": {}}}}}";
        assert_eq!(
            fixed(text, MISSING),
            text.replace(
                "{}",
                "{\"QueueUrl\": {\"Fn::Sub\": \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\"}, \"MessageBody\": \"$request.body\"}"
            )
        );
    }

    #[test]
    fn json_on_one_line_and_with_crlf() {
        let text = "{\"Resources\": {\"I\": {\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {\"IntegrationType\": \"AWS_PROXY\", \"PayloadFormatVersion\": \"1.0\", \"CredentialsArn\": \"r\", \"IntegrationSubtype\": \"SQS-PurgeQueue\"}}}}";
        assert_eq!(
            fixed(text, MISSING),
            text.replace(
                "\"SQS-PurgeQueue\"}",
                "\"SQS-PurgeQueue\", \"RequestParameters\": {\"QueueUrl\": {\"Fn::Sub\": \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\"}}}"
            )
        );
        let text = format!("{JSON_HEAD}{JSON_TAIL}").replace('\n', "\r\n");
        let out = fixed(&text, MISSING);
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert!(
            out.contains("\"r\",\r\n        \"RequestParameters\": {\r\n          \"QueueUrl\""),
            "{out:?}"
        );
    }

    #[test]
    fn nothing_to_add_to_intrinsics_scalars_or_present_keys() {
        let fix = Fix::AddParameters {
            names: vec!["MessageBody".into()],
        };
        let cases = [
            // An intrinsic or a scalar has no keys to add to.
            sqs("      RequestParameters: !Ref Params\n"),
            sqs("      RequestParameters: nope\n"),
            // A stale fix: the key is there now.
            sqs("      RequestParameters:\n        MessageBody: x\n"),
        ];
        for text in cases {
            let d = doc(&text);
            let start = text.find("RequestParameters").unwrap_or(0);
            assert!(
                quick_fixes(&d, MISSING, start..start + 1, &fix).is_empty(),
                "{text}"
            );
        }
        // Outside any integration.
        let d = doc(&sqs(""));
        assert!(quick_fixes(&d, MISSING, 0..0, &fix).is_empty());
    }

    // ---- wrong-integration-type ----

    fn props(lines: &str) -> String {
        format!(
            "Resources:\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n{lines}"
        )
    }

    const REST: &str = "      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: r\n      RequestParameters: {QueueUrl: $stageVariables.q}\n";

    #[test]
    fn sets_integration_type() {
        let text = props(&format!(
            "      IntegrationType: AWS\n      IntegrationSubtype: SQS-PurgeQueue\n{REST}"
        ));
        let (out, action) = fix(&text, TYPE);
        assert_eq!(action.title, "Set IntegrationType to AWS_PROXY");
        assert!(action.is_preferred);
        assert_eq!(out, text.replace(": AWS\n", ": AWS_PROXY\n"));
        let text = props(&format!(
            "      IntegrationType: \"HTTP_PROXY\"\n      IntegrationSubtype: SQS-PurgeQueue\n{REST}"
        ));
        assert_eq!(
            fixed(&text, TYPE),
            text.replace("\"HTTP_PROXY\"", "AWS_PROXY")
        );
        let text = props(&format!(
            "      IntegrationType:\n      IntegrationSubtype: SQS-PurgeQueue\n{REST}"
        ));
        assert_eq!(
            fixed(&text, TYPE),
            text.replace("IntegrationType:", "IntegrationType: AWS_PROXY")
        );
    }

    #[test]
    fn adds_missing_integration_type() {
        let text = props(&format!("      IntegrationSubtype: SQS-PurgeQueue\n{REST}"));
        assert_eq!(
            fixed(&text, TYPE),
            format!("{text}      IntegrationType: AWS_PROXY\n")
        );
        let text = "Resources:\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: {IntegrationSubtype: SQS-PurgeQueue, PayloadFormatVersion: \"1.0\", CredentialsArn: r, RequestParameters: {QueueUrl: $stageVariables.q}}\n";
        assert_eq!(
            fixed(text, TYPE),
            text.replace(
                "{QueueUrl: $stageVariables.q}}",
                "{QueueUrl: $stageVariables.q}, IntegrationType: AWS_PROXY}"
            )
        );
        let text = format!("{JSON_HEAD},\n        \"RequestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"b\"}}{JSON_TAIL}")
            .replace("        \"IntegrationType\": \"AWS_PROXY\",\n", "");
        assert_eq!(
            fixed(&text, TYPE),
            text.replace(
                "\"b\"}\n",
                "\"b\"},\n        \"IntegrationType\": \"AWS_PROXY\"\n"
            )
        );
        let text = props(&format!("      IntegrationSubtype: SQS-PurgeQueue\n{REST}"))
            .replace('\n', "\r\n");
        assert_eq!(
            fixed(&text, TYPE),
            format!("{text}      IntegrationType: AWS_PROXY\r\n")
        );
    }

    #[test]
    fn json_replaces_integration_type() {
        let text = format!("{JSON_HEAD},\n        \"RequestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"b\"}}{JSON_TAIL}")
            .replace("\"AWS_PROXY\"", "\"HTTP_PROXY\"");
        assert_eq!(
            fixed(&text, TYPE),
            text.replace("\"HTTP_PROXY\"", "\"AWS_PROXY\"")
        );
    }

    // ---- wrong-payload-format-version ----

    const REST_V: &str = "      IntegrationType: AWS_PROXY\n      CredentialsArn: r\n      RequestParameters: {QueueUrl: $stageVariables.q}\n";

    #[test]
    fn sets_payload_format_version() {
        for (from, to) in [
            ("\"2.0\"", "\"1.0\""),
            ("2.0", "\"1.0\""),
            ("'2.0'", "\"1.0\""),
            ("2", "\"1.0\""),
        ] {
            let text = props(&format!(
                "      IntegrationSubtype: SQS-PurgeQueue\n      PayloadFormatVersion: {from}\n{REST_V}"
            ));
            let (out, action) = fix(&text, VERSION);
            assert_eq!(action.title, "Set PayloadFormatVersion to \"1.0\"");
            assert_eq!(
                out,
                text.replace(&format!(": {from}\n"), &format!(": {to}\n"))
            );
        }
        let text = format!("{JSON_HEAD},\n        \"RequestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"b\"}}{JSON_TAIL}")
            .replace("\"1.0\"", "2.0");
        assert_eq!(fixed(&text, VERSION), text.replace("2.0", "\"1.0\""));
    }

    #[test]
    fn adds_missing_payload_format_version() {
        let text = props(&format!(
            "      IntegrationSubtype: SQS-PurgeQueue\n{REST_V}"
        ));
        assert_eq!(
            fixed(&text, VERSION),
            format!("{text}      PayloadFormatVersion: \"1.0\"\n")
        );
        let text = props(&format!(
            "      IntegrationSubtype: SQS-PurgeQueue\n      PayloadFormatVersion:\n{REST_V}"
        ));
        assert_eq!(
            fixed(&text, VERSION),
            text.replace("PayloadFormatVersion:", "PayloadFormatVersion: \"1.0\"")
        );
        let text = "Resources:\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties: {IntegrationSubtype: SQS-PurgeQueue, IntegrationType: AWS_PROXY, CredentialsArn: r, RequestParameters: {QueueUrl: $stageVariables.q}}\n";
        assert_eq!(
            fixed(text, VERSION),
            text.replace(
                "{QueueUrl: $stageVariables.q}}",
                "{QueueUrl: $stageVariables.q}, PayloadFormatVersion: \"1.0\"}"
            )
        );
        let text = format!("{JSON_HEAD},\n        \"RequestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"b\"}}{JSON_TAIL}")
            .replace("        \"PayloadFormatVersion\": \"1.0\",\n", "");
        assert_eq!(
            fixed(&text, VERSION),
            text.replace(
                "\"b\"}\n",
                "\"b\"},\n        \"PayloadFormatVersion\": \"1.0\"\n"
            )
        );
        let text = "Resources:\n    Int:\n        Type: AWS::ApiGatewayV2::Integration\n        Properties:\n            IntegrationSubtype: SQS-PurgeQueue # é\n            IntegrationType: AWS_PROXY\n            CredentialsArn: r\n            RequestParameters: {QueueUrl: $stageVariables.q}";
        assert_eq!(
            fixed(text, VERSION),
            format!("{text}\n            PayloadFormatVersion: \"1.0\"")
        );
    }

    // ---- replacements of names ----

    #[test]
    fn renames_misspelt_keys() {
        let text = sqs(
            "      RequestParameters:\n        queueUrl: $stageVariables.q\n        MessageBody: b\n",
        );
        // The renamed key was also the missing required one.
        let (out, action) = fix_clearing(&text, "unknown-parameter", &[MISSING]);
        assert_eq!(action.title, "Change to `QueueUrl`");
        assert!(action.is_preferred);
        assert_eq!(out, text.replace("queueUrl", "QueueUrl"));
        let text = sqs("      RequestParameters: {QueueURL: $stageVariables.q, MessageBody: b}\n");
        let out = fix_clearing(&text, "unknown-parameter", &[MISSING]).0;
        assert_eq!(out, text.replace("QueueURL", "QueueUrl"));
        let text = format!(
            "{JSON_HEAD},\n        \"RequestParameters\": {{\"queueurl\": \"$stageVariables.q\", \"MessageBody\": \"b\"}}{JSON_TAIL}"
        );
        let out = fix_clearing(&text, "unknown-parameter", &[MISSING]).0;
        assert_eq!(out, text.replace("queueurl", "QueueUrl"));
    }

    #[test]
    fn renames_misspelt_subtypes() {
        let body = "      RequestParameters: {QueueUrl: $stageVariables.q, MessageBody: b}\n";
        let text = sqs(body).replace("SQS-SendMessage", "SQS-SendMesage");
        let (out, action) = fix(&text, "unknown-subtype");
        assert_eq!(action.title, "Change to `SQS-SendMessage`");
        assert_eq!(out, sqs(body));
        let text = sqs(body).replace("SQS-SendMessage", "'sqs-sendmessage'");
        assert_eq!(
            fixed(&text, "unknown-subtype"),
            sqs(body).replace("SQS-SendMessage", "'SQS-SendMessage'")
        );
        let text = format!(
            "{JSON_HEAD},\n        \"RequestParameters\": {{\"QueueUrl\": \"$stageVariables.q\", \"MessageBody\": \"b\"}}{JSON_TAIL}"
        );
        assert_eq!(
            fixed(
                &text.replace("SQS-SendMessage", "SQS-sendMessage"),
                "unknown-subtype"
            ),
            text
        );
        let text = sqs(body)
            .replace('\n', "\r\n")
            .replace("SQS-SendMessage", "SQS-SendMesage");
        assert_eq!(
            fixed(&text, "unknown-subtype"),
            sqs(body).replace('\n', "\r\n")
        );
    }

    // ---- replacements in expressions ----

    fn values(lines: &str) -> String {
        sqs(&format!(
            "      RequestParameters:\n        QueueUrl: $stageVariables.q\n{lines}"
        ))
    }

    #[test]
    fn fixes_invalid_expressions() {
        let text = values("        MessageBody: $contex.requestId\n");
        let (out, action) = fix(&text, "invalid-expression");
        assert_eq!(action.title, "Change to `$context.requestId`");
        assert_eq!(out, values("        MessageBody: $context.requestId\n"));
        let text = values("        MessageBody: \"été ${requst.body.x}\"\n");
        assert_eq!(
            fixed(&text, "invalid-expression"),
            values("        MessageBody: \"été ${request.body.x}\"\n")
        );
        let text = values("        MessageBody: 'été ${requst.body.x}'\n");
        assert_eq!(
            fixed(&text, "invalid-expression"),
            values("        MessageBody: 'été ${request.body.x}'\n")
        );
        let text = sqs(
            "      RequestParameters: {QueueUrl: $stageVariables.q, MessageBody: $request.heder.x}\n",
        );
        assert_eq!(
            fixed(&text, "invalid-expression"),
            sqs(
                "      RequestParameters: {QueueUrl: $stageVariables.q, MessageBody: $request.header.x}\n"
            )
        );
        let text = format!(
            "{JSON_HEAD},\n        \"RequestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"$stagevariables.x\"}}{JSON_TAIL}"
        );
        assert_eq!(
            fixed(&text, "invalid-expression"),
            text.replace("stagevariables", "stageVariables")
        );
    }

    #[test]
    fn fixes_expressions_in_escaped_values() {
        // The escape makes source and value differ: the whole value is rewritten.
        let text = values("        MessageBody: \"\\u00e9t\\u00e9 ${requst.body.x}\"\n");
        assert_eq!(
            fixed(&text, "invalid-expression"),
            values("        MessageBody: \"été ${request.body.x}\"\n")
        );
        let text = values("        MessageBody: \"tab\\tthen ${context.requestid}\"\n");
        assert_eq!(
            fixed(&text, "unknown-context-variable"),
            values("        MessageBody: \"tab\\tthen ${context.requestId}\"\n")
        );
        let text = values("        MessageBody: \"tab\\tthen $context.requestId\"\n");
        assert_eq!(
            fixed(&text, "bare-expression-after-text"),
            values("        MessageBody: \"tab\\tthen ${context.requestId}\"\n")
        );
        let text = format!(
            "{JSON_HEAD},\n        \"RequestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"\\u00e9 ${{requst.body}}\"}}{JSON_TAIL}"
        );
        assert_eq!(
            fixed(&text, "invalid-expression"),
            text.replace("\\u00e9 ${requst.body}", "é ${request.body}")
        );
    }

    #[test]
    fn block_scalars_get_no_replacement() {
        let text = values("        MessageBody: |-\n          $contex.requestId\n");
        let findings = analyze(&doc(&text));
        let finding = findings
            .iter()
            .find(|f| f.code == "invalid-expression")
            .expect("invalid-expression");
        assert_eq!(finding.fix, None);
    }

    #[test]
    fn closes_unclosed_braces() {
        let text = values("        MessageBody: pre ${request.body\n");
        let out = fixed(&text, "invalid-expression");
        assert_eq!(out, values("        MessageBody: pre ${request.body}\n"));
    }

    #[test]
    fn braces_bare_expressions_and_quotes_when_needed() {
        let lines = |source: &str| {
            format!(
                "Resources:\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: EventBridge-PutEvents\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: r\n      RequestParameters:\n        Detail: $request.body\n        DetailType: t\n        Source: {source}\n"
            )
        };
        let (out, action) = fix(
            &lines("com.example.$request.path.source"),
            "bare-expression-after-text",
        );
        assert_eq!(action.title, "Use the braced form");
        assert_eq!(out, lines("com.example.${request.path.source}"));
        let flow = |source: &str| {
            format!(
                "Resources:\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: EventBridge-PutEvents\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: r\n      RequestParameters: {{Detail: $request.body, DetailType: t, Source: {source}}}\n"
            )
        };
        assert_eq!(
            fixed(
                &flow("com.example.$request.path.source"),
                "bare-expression-after-text"
            ),
            flow("\"com.example.${request.path.source}\"")
        );
        assert_eq!(
            fixed(
                &lines("'it''s $request.path.source'"),
                "bare-expression-after-text"
            ),
            lines("'it''s ${request.path.source}'")
        );
        assert_eq!(
            fixed(
                &lines("\"say \\\"hi\\\" $request.path.source\""),
                "bare-expression-after-text"
            ),
            lines("\"say \\\"hi\\\" ${request.path.source}\"")
        );
    }

    #[test]
    fn fixes_unknown_context_variables() {
        let text = values("        MessageBody: $context.requestid\n");
        let (out, action) = fix(&text, "unknown-context-variable");
        assert_eq!(action.title, "Change to `requestId`");
        assert_eq!(out, values("        MessageBody: $context.requestId\n"));
        let text = values(
            "        MessageGroupId: \"${context.identity.sourceIP}\"\n        MessageBody: b\n",
        );
        assert_eq!(
            fixed(&text, "unknown-context-variable"),
            text.replace("sourceIP", "sourceIp")
        );
        let text = format!(
            "{JSON_HEAD},\n        \"RequestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"é ${{context.requestid}}\"}}{JSON_TAIL}"
        );
        assert_eq!(
            fixed(&text, "unknown-context-variable"),
            text.replace("requestid", "requestId")
        );
    }

    #[test]
    fn replacement_outside_the_document_is_dropped() {
        let d = doc("a: b\n");
        let fix = Fix::Replace {
            title: "t".into(),
            text: "x".into(),
            range: None,
        };
        assert!(quick_fixes(&d, "unknown-subtype", 3..99, &fix).is_empty());
    }

    // ---- scalar rendering ----

    #[test]
    fn plain_scalars_are_quoted_only_when_needed() {
        assert_eq!(yaml_scalar("AWS_PROXY", false), "AWS_PROXY");
        assert_eq!(yaml_scalar("1.0", false), "\"1.0\"");
        assert_eq!(yaml_scalar("true", false), "\"true\"");
        assert_eq!(yaml_scalar("$request.body", true), "$request.body");
        assert_eq!(yaml_scalar("a-${request.body}", false), "a-${request.body}");
        assert_eq!(
            yaml_scalar("a-${request.body}", true),
            "\"a-${request.body}\""
        );
        assert_eq!(yaml_scalar("a: b", false), "\"a: b\"");
        assert_eq!(yaml_scalar("a #b", false), "\"a #b\"");
        assert_eq!(yaml_scalar("{x}", false), "\"{x}\"");
        assert_eq!(yaml_scalar("", false), "\"\"");
        assert_eq!(yaml_scalar("q\"\\\n", false), "\"q\\\"\\\\\\n\"");
        assert_eq!(json_string("q\"é"), "\"q\\\"é\"");
    }

    // ---- OpenAPI ----

    /// A standalone OpenAPI document with one SQS-SendMessage operation; `fields` are
    /// the lines after `credentials` (indented by 8).
    fn oa(fields: &str) -> String {
        format!(
            "openapi: \"3.0.1\"\ninfo:\n  title: t\n  version: \"1\"\npaths:\n  /orders:\n    post:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        integrationSubtype: SQS-SendMessage\n        payloadFormatVersion: \"1.0\"\n        credentials: arn:aws:iam::123456789012:role/r\n{fields}"
        )
    }

    /// The same operation inline in a SAM `DefinitionBody` (fields indented by 16).
    fn sam(fields: &str) -> String {
        format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      DefinitionBody:\n        openapi: \"3.0.1\"\n        info: {{title: t, version: \"1\"}}\n        paths:\n          /orders:\n            post:\n              x-amazon-apigateway-integration:\n                type: aws_proxy\n                integrationSubtype: SQS-SendMessage\n                payloadFormatVersion: \"1.0\"\n                credentials: !GetAtt Role.Arn\n{fields}  Role:\n    Type: AWS::IAM::Role\n"
        )
    }

    /// `lines` indented 8 more (from [`oa`]'s depth to [`sam`]'s).
    fn deeper(lines: &str) -> String {
        lines.lines().map(|l| format!("        {l}\n")).collect()
    }

    const OA_JSON_HEAD: &str = "{\n  \"openapi\": \"3.0.1\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {\n    \"/orders\": {\n      \"post\": {\n        \"x-amazon-apigateway-integration\": {\n          \"type\": \"aws_proxy\",\n          \"integrationSubtype\": \"SQS-SendMessage\",\n          \"payloadFormatVersion\": \"1.0\",\n          \"credentials\": \"arn:aws:iam::123456789012:role/r\"";
    const OA_JSON_TAIL: &str = "\n        }\n      }\n    }\n  }\n}\n";

    const QUEUE_URL: &str = "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME";

    #[test]
    fn openapi_adds_request_parameters() {
        let (out, action) = fix(&oa(""), MISSING);
        assert_eq!(action.title, "Add missing parameters QueueUrl, MessageBody");
        // No intrinsic functions in a standalone document: API Gateway resolves the
        // `${AWS::...}` variables on import.
        assert_eq!(
            out,
            oa(&format!(
                "        requestParameters:\n          QueueUrl: {QUEUE_URL}\n          MessageBody: $request.body\n"
            ))
        );
        let text = oa(
            "        requestParameters:\n          QueueUrl: $stageVariables.q\n        timeoutInMillis: 5000\n",
        );
        let (out, action) = fix(&text, MISSING);
        assert_eq!(action.title, "Add missing parameter MessageBody");
        assert_eq!(
            out,
            oa(
                "        requestParameters:\n          QueueUrl: $stageVariables.q\n          MessageBody: $request.body\n        timeoutInMillis: 5000\n"
            )
        );
        let text = oa("        requestParameters: {MessageBody: b}\n");
        assert_eq!(
            fixed(&text, MISSING),
            oa(&format!(
                "        requestParameters: {{MessageBody: b, QueueUrl: \"{QUEUE_URL}\"}}\n"
            ))
        );
        // Inline in SAM: intrinsic functions are available.
        let (out, _) = fix(&sam(""), MISSING);
        assert_eq!(
            out,
            sam(&format!(
                "                requestParameters:\n                  QueueUrl: !Sub {QUEUE_URL}\n                  MessageBody: $request.body\n"
            ))
        );
    }

    #[test]
    fn openapi_json_adds_request_parameters() {
        let text = format!("{OA_JSON_HEAD}{OA_JSON_TAIL}");
        assert_eq!(
            fixed(&text, MISSING),
            format!(
                "{OA_JSON_HEAD},\n          \"requestParameters\": {{\n            \"QueueUrl\": \"{QUEUE_URL}\",\n            \"MessageBody\": \"$request.body\"\n          }}{OA_JSON_TAIL}"
            )
        );
        let text = format!(
            "{OA_JSON_HEAD},\n          \"requestParameters\": {{\"MessageBody\": \"b\"}}{OA_JSON_TAIL}"
        );
        assert_eq!(
            fixed(&text, MISSING),
            text.replace(
                "{\"MessageBody\": \"b\"}",
                &format!("{{\"MessageBody\": \"b\", \"QueueUrl\": \"{QUEUE_URL}\"}}")
            )
        );
    }

    #[test]
    fn openapi_shared_integration_gets_its_parameters() {
        let text = "openapi: 3.0.1\npaths:\n  /x:\n    get:\n      x-amazon-apigateway-integration:\n        $ref: '#/components/x-amazon-apigateway-integrations/purge'\ncomponents:\n    x-amazon-apigateway-integrations:\n        purge:\n            type: aws_proxy\n            integrationSubtype: SQS-PurgeQueue\n            payloadFormatVersion: \"1.0\"\n            credentials: r\n";
        assert_eq!(
            fixed(text, MISSING),
            format!(
                "{text}            requestParameters:\n                QueueUrl: {QUEUE_URL}\n"
            )
        );
    }

    #[test]
    fn openapi_sets_the_integration_type() {
        const P: &str =
            "        requestParameters: {QueueUrl: $stageVariables.q, MessageBody: b}\n";
        let text = oa(P).replace("type: aws_proxy", "type: http_proxy");
        let (out, action) = fix(&text, TYPE);
        assert_eq!(action.title, "Set type to aws_proxy");
        assert_eq!(out, oa(P));
        let text = oa(P).replace("        type: aws_proxy\n", "");
        assert_eq!(
            fixed(&text, TYPE),
            format!("{text}        type: aws_proxy\n")
        );
        let text = sam(&deeper(P)).replace("type: aws_proxy", "type: AWS");
        assert_eq!(fixed(&text, TYPE), sam(&deeper(P)));
        let text = format!(
            "{OA_JSON_HEAD},\n          \"requestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"b\"}}{OA_JSON_TAIL}"
        );
        let broken = text.replace("\"aws_proxy\"", "\"HTTP_PROXY\"");
        assert_eq!(fixed(&broken, TYPE), text);
        let missing = text.replace("          \"type\": \"aws_proxy\",\n", "");
        assert_eq!(
            fixed(&missing, TYPE),
            missing.replace("\"b\"}\n", "\"b\"},\n          \"type\": \"aws_proxy\"\n")
        );
    }

    #[test]
    fn openapi_sets_the_payload_format_version() {
        const P: &str =
            "        requestParameters: {QueueUrl: $stageVariables.q, MessageBody: b}\n";
        for from in ["2.0", "'2.0'", "\"2.0\""] {
            let text = oa(P).replace(
                "payloadFormatVersion: \"1.0\"",
                &format!("payloadFormatVersion: {from}"),
            );
            let (out, action) = fix(&text, VERSION);
            assert_eq!(action.title, "Set payloadFormatVersion to \"1.0\"");
            assert_eq!(out, oa(P));
        }
        let text = oa(P).replace("        payloadFormatVersion: \"1.0\"\n", "");
        assert_eq!(
            fixed(&text, VERSION),
            format!("{text}        payloadFormatVersion: \"1.0\"\n")
        );
        let text =
            sam(&deeper(P)).replace("payloadFormatVersion: \"1.0\"", "payloadFormatVersion: 2.0");
        assert_eq!(fixed(&text, VERSION), sam(&deeper(P)));
        let text = format!(
            "{OA_JSON_HEAD},\n          \"requestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"b\"}}{OA_JSON_TAIL}"
        );
        let broken = text.replace(
            "\"payloadFormatVersion\": \"1.0\"",
            "\"payloadFormatVersion\": \"2.0\"",
        );
        assert_eq!(fixed(&broken, VERSION), text);
    }

    #[test]
    fn openapi_replacements() {
        const P: &str = "        requestParameters:\n          QueueUrl: $stageVariables.q\n          MessageBody: $request.body\n";
        let text = oa(P).replace("SQS-SendMessage", "SQS-SendMesage");
        let (out, action) = fix(&text, "unknown-subtype");
        assert_eq!(action.title, "Change to `SQS-SendMessage`");
        assert_eq!(out, oa(P));
        let text = oa(P).replace("QueueUrl", "queueUrl");
        assert_eq!(
            fix_clearing(&text, "unknown-parameter", &[MISSING]).0,
            oa(P)
        );
        let text = oa(P).replace("$request.body", "$contex.requestId");
        assert_eq!(
            fixed(&text, "invalid-expression"),
            oa(P).replace("$request.body", "$context.requestId")
        );
        let text = sam(&deeper(P)).replace("$request.body", "pre $request.header.x");
        assert_eq!(
            fixed(&text, "bare-expression-after-text"),
            sam(&deeper(P)).replace("$request.body", "pre ${request.header.x}")
        );
        let text = format!(
            "{OA_JSON_HEAD},\n          \"requestParameters\": {{\"QueueUrl\": \"q\", \"MessageBody\": \"${{context.requestid}}\"}}{OA_JSON_TAIL}"
        );
        assert_eq!(
            fixed(&text, "unknown-context-variable"),
            text.replace("requestid", "requestId")
        );
    }

    // ---- unresolved-reference, static-execution-name ----

    #[test]
    fn renames_an_unresolved_reference_to_the_closest_name() {
        let text = sqs(
            "      RequestParameters:\n        QueueUrl: !Ref Queu\n        MessageBody: $request.body\n  Queue:\n    Type: AWS::SQS::Queue\n  Role:\n    Type: AWS::IAM::Role\n",
        );
        let (out, action) = fix(&text, "unresolved-reference");
        assert_eq!(action.title, "Change to `Queue`");
        assert_eq!(out, text.replace("!Ref Queu\n", "!Ref Queue\n"));
        let json = r#"{"Resources": {"Role": {"Type": "AWS::IAM::Role"},
  "I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"CredentialsArn": {"Fn::GetAtt": ["Rol", "Arn"]}}}}}"#;
        assert_eq!(
            fixed(json, "unresolved-reference"),
            json.replace(r#"["Rol""#, r#"["Role""#)
        );
    }

    #[test]
    fn maps_a_static_execution_name_per_request() {
        let text = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n  S:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: StepFunctions-StartExecution\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: arn:aws:iam::123456789012:role/api\n      RequestParameters:\n        StateMachineArn: !Ref M\n        Name: \"undefined\"\n";
        let (out, action) = fix(text, "static-execution-name");
        assert_eq!(action.title, "Use `$context.requestId`");
        assert_eq!(out, text.replace("\"undefined\"", "\"$context.requestId\""));
    }

    // ---- sub-variable-collision, parameter-without-subtype ----

    #[test]
    fn escapes_mapping_expressions_inside_sub() {
        const SUB: &str = "sub-variable-collision";
        let text = sqs(
            "      RequestParameters:\n        QueueUrl: !Ref Q\n        MessageBody: !Sub \"${AWS::Region} ${request.body}\"\n",
        );
        let (out, action) = fix(&text, SUB);
        assert_eq!(action.title, "Escape as `${!request.body}`");
        assert_eq!(out, text.replace("${request.body}", "${!request.body}"));
        // Escaped JSON text: the fix lands on the variable, not on an escape.
        let text = r#"{"Resources": {"S": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationType": "AWS_PROXY", "IntegrationSubtype": "StepFunctions-StartExecution",
  "PayloadFormatVersion": "1.0", "CredentialsArn": {"Fn::GetAtt": ["Role", "Arn"]},
  "RequestParameters": {"StateMachineArn": {"Ref": "M"},
    "Input": {"Fn::Sub": "{\"id\": \"${request.body.id}\", \"trace\": \"${context.requestId}\"}"}}}}}}
"#;
        let (once, _) = fix(text, SUB);
        assert!(once.contains(r#"\"${!request.body.id}\""#), "{once}");
        let twice = fixed(&once, SUB);
        assert_eq!(
            twice,
            text.replace("${request", "${!request")
                .replace("${context", "${!context")
        );
        // Outside RequestParameters: the integration URI of a Lambda proxy.
        let text = "Resources:\n  L:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      PayloadFormatVersion: \"2.0\"\n      IntegrationUri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${stageVariables.fn}/invocations'\n";
        assert_eq!(
            fixed(text, SUB),
            text.replace("${stageVariables.fn}", "${!stageVariables.fn}")
        );
    }

    #[test]
    fn sets_the_subtype_the_parameters_belong_to() {
        let text = "Resources:\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt Role.Arn\n      RequestParameters:\n        QueueUrl: !Ref Q\n        MessageBody: $request.body\n";
        // Both keys are reported; setting the subtype clears the two findings.
        let (out, action) = fix_clearing(
            text,
            "parameter-without-subtype",
            &["parameter-without-subtype"],
        );
        assert!(action.title.contains("SQS-SendMessage"), "{}", action.title);
        assert!(
            out.contains("      IntegrationSubtype: SQS-SendMessage\n"),
            "{out}"
        );
    }
}
