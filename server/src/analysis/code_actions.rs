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
use crate::model::intrinsics::{Reference, reference_of};
use crate::model::{Dialect, Field, Resource, resources, resources_in_entry};
use crate::rules::{Arn, Finding, Fix};
use crate::syntax::{Language, NodeKind, NodeRef, PairRef, ScalarStyle};

/// The quick fixes for a diagnostic with `code` at byte `range` carrying `fix`.
pub fn quick_fixes(doc: &Document, _code: &str, range: Range<usize>, fix: &Fix) -> Vec<CodeAction> {
    // In a Terraform file: replacements (of a name, an expression, `${` by `$${`) and
    // the fixes of an integration's own arguments; IAM documents and new resources
    // are written in YAML and JSON only.
    if doc.language() == Language::Terraform
        && !matches!(
            fix,
            Fix::Replace { .. } | Fix::AddParameters { .. } | Fix::SetField { .. }
        )
    {
        return Vec::new();
    }
    let action = match fix {
        Fix::Replace { title, text, .. } => replace(doc, range, title, text),
        Fix::AddParameters { names } => add_parameters(doc, range, names),
        Fix::SetField { field, value } => set_field(doc, range, field, value),
        Fix::AddStatement {
            role,
            action,
            resource,
            policy,
        } => add_statement(doc, role, action, resource.as_ref(), policy),
        Fix::AddTrust { role } => add_trust(doc, role),
        Fix::CreateIntegration { name, rename } => {
            // The closest declared name first: the likelier intent, and the one
            // `check --fix` takes (it is preferred; the new integration holds
            // placeholders).
            let rename = rename
                .as_ref()
                .and_then(|r| replace(doc, range.clone(), &format!("Change to `{r}`"), r));
            let create = create_integration(doc, range, name, rename.is_none());
            return rename.into_iter().chain(create).collect();
        }
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
    /// `Ref` of a logical ID.
    Ref(String),
    /// `Fn::GetAtt` of a logical ID's attribute.
    GetAtt(String, String),
    /// Source text of this file, on one line, written as it is.
    Raw(String),
    /// A mapping.
    Map(Vec<(String, Value)>),
    /// A sequence.
    List(Vec<Value>),
}

/// A `key: value` member.
fn member(key: &str, value: Value) -> (String, Value) {
    (key.to_string(), value)
}

/// A string value.
fn string(value: &str) -> Value {
    Value::Text(value.to_string())
}

/// The indentation new text is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Indent {
    /// How much deeper a mapping's members sit than its key.
    unit: usize,
    /// How much deeper a block sequence's dashes sit than its key (0 when the file
    /// writes `- item` at the key's column).
    seq: usize,
}

impl Indent {
    fn new(unit: usize) -> Self {
        Indent { unit, seq: unit }
    }
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
    value_of(catalog::catalog().placeholders.for_parameter(name))
}

fn value_of(placeholder: Placeholder) -> Value {
    match placeholder {
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
    /// A Terraform (HCL) block body or object: `key = value`, one per line.
    Hcl,
}

/// The document text plus the conventions of the file.
struct Text<'d> {
    doc: &'d Document,
    json: bool,
    hcl: bool,
    eol: &'static str,
}

impl<'d> Text<'d> {
    fn new(doc: &'d Document) -> Self {
        Text {
            doc,
            json: doc.language() == Language::Json,
            hcl: doc.language() == Language::Terraform,
            eol: doc.line_ending(),
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
                b'=' if self.hcl => return Some(at + 1),
                _ => return None,
            }
        }
        None
    }

    /// Where a pair ends: the end of its value, else of its key.
    fn pair_end(&self, pair: &PairRef<'_>) -> usize {
        pair.value()
            .map_or_else(|| self.key_end(pair), |v| self.content_end(&v))
    }

    /// Where a node's own text ends. The span of a YAML block collection also covers
    /// the blank lines and comments after it, which belong to what follows (the next
    /// resource's comment): new text goes before them.
    fn content_end(&self, node: &NodeRef<'_>) -> usize {
        let end = node.span().end;
        if self.is_flow(node) {
            return end;
        }
        match node.kind() {
            NodeKind::Map(_) => node.pairs().last().map_or(end, |p| self.pair_end(&p)),
            NodeKind::Seq(_) => node.items().last().map_or(end, |i| self.content_end(&i)),
            NodeKind::Intrinsic(_) => node
                .intrinsic_argument()
                .map_or(end, |a| self.content_end(&a)),
            _ => end,
        }
    }

    /// Whether a node is a YAML flow collection.
    fn is_flow(&self, node: &NodeRef<'_>) -> bool {
        matches!(self.byte(node.span().start), Some(b'{' | b'['))
    }

    /// How a mapping's members are written.
    fn style_of(&self, map: &NodeRef<'_>, located: &Located<'_>) -> Style {
        match self.style_at(map) {
            Style::YamlBlock if !self.hcl && self.in_flow(located) => Style::YamlFlow,
            style => style,
        }
    }

    /// How a mapping's members or a sequence's items are written, from the collection
    /// alone (in YAML, a collection inside a flow one is itself flow).
    fn style_at(&self, node: &NodeRef<'_>) -> Style {
        if self.hcl {
            return Style::Hcl;
        }
        if self.json {
            let last = match node.kind() {
                NodeKind::Seq(_) => node
                    .items()
                    .last()
                    .map(|i| self.quoted_start(i.span().start)),
                _ => node.pairs().last().map(|p| self.key_start(&p)),
            };
            return Style::Json {
                multiline: last.is_some_and(|at| self.starts_line(at)),
            };
        }
        if self.is_flow(node) {
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
    fn indent_unit(&self, located: &Located<'_>) -> Indent {
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
        Indent::new(self.step(outer, inner).unwrap_or(2))
    }

    /// How much deeper the key of `inner` sits than the key starting at `outer`, when
    /// both start their lines and the step is 1 to 8 columns.
    fn step(&self, outer: Option<usize>, inner: Option<PairRef<'_>>) -> Option<usize> {
        let (outer, inner) = (outer?, self.key_start(&inner?));
        if !(self.starts_line(outer) && self.starts_line(inner)) {
            return None;
        }
        let (o, i) = (self.column(outer), self.column(inner));
        (i > o && i - o <= 8).then(|| i - o)
    }

    /// The indentation a resource is written with: its members' step under its logical
    /// ID (else its properties' under `Properties`; 2 when neither tells), and how its
    /// block sequences sit under their keys (one step when it has none).
    fn resource_indent(&self, resource: &Resource<'_>) -> Indent {
        let name = self.quoted_start(resource.name_span.start);
        let unit = self
            .step(Some(name), resource.value.pairs().next())
            .or_else(|| {
                let props = resource.value.pair("Properties")?;
                self.step(Some(self.key_start(&props)), props.value()?.pairs().next())
            })
            .unwrap_or(2);
        Indent {
            unit,
            seq: self.seq_offset(&resource.value, 0).unwrap_or(unit),
        }
    }

    /// How many columns right of its key the file writes a block sequence's dashes
    /// (0 for `Key:` then `- item` at the key's column), from the first block sequence
    /// under `node`.
    fn seq_offset(&self, node: &NodeRef<'_>, depth: usize) -> Option<usize> {
        if depth > 16 {
            return None;
        }
        match node.kind() {
            NodeKind::Map(_) => node.pairs().find_map(|pair| {
                let value = pair.value()?;
                if let (NodeKind::Seq(_), Some(first)) = (value.kind(), value.items().next())
                    && !self.is_flow(&value)
                    && let Some(dash) = self.dash_before(first.span().start)
                {
                    let key = self.key_start(&pair);
                    let (k, d) = (self.column(key), self.column(dash));
                    if self.starts_line(key) && self.starts_line(dash) && d >= k {
                        return Some(d - k);
                    }
                }
                self.seq_offset(&value, depth + 1)
            }),
            NodeKind::Seq(_) => node
                .items()
                .find_map(|item| self.seq_offset(&item, depth + 1)),
            _ => None,
        }
    }

    /// The offset of the `-` of the block sequence item starting at `at`.
    fn dash_before(&self, at: usize) -> Option<usize> {
        let mut i = self.quoted_start(at);
        while i > 0 && self.byte(i - 1) == Some(b' ') {
            i -= 1;
        }
        (i > 0 && self.byte(i - 1) == Some(b'-')).then(|| i - 1)
    }

    /// Renders a scalar string for this file in a mapping of `style`.
    fn scalar(&self, text: &str, style: Style) -> String {
        match style {
            Style::Json { .. } => json_string(text),
            Style::YamlBlock => yaml_scalar(text, false),
            Style::YamlFlow => yaml_scalar(text, true),
            Style::Hcl => hcl_string(text),
        }
    }

    /// Renders a key (HCL's bare when it is an identifier).
    fn key(&self, key: &str, style: Style) -> String {
        let identifier = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        match style {
            Style::Hcl if identifier => key.to_string(),
            _ => self.scalar(key, style),
        }
    }

    /// Renders `key: value` for a mapping of `style` whose members are indented by
    /// `indent`; nested mappings are indented one `unit` deeper.
    fn pair(&self, key: &str, value: &Value, style: Style, indent: &str, ind: Indent) -> String {
        if style == Style::Hcl {
            let value = self.inline(value, style, indent, ind);
            return format!("{} = {value}", self.key(key, style));
        }
        format!(
            "{}:{}",
            self.key(key, style),
            self.after_key(value, style, indent, ind)
        )
    }

    /// What follows the `:` of a key whose line is indented by `indent`: a space and
    /// the value, or in block style a non-empty collection's lines (members one `unit`
    /// deeper than the key, dashes `seq` deeper).
    fn after_key(&self, value: &Value, style: Style, indent: &str, ind: Indent) -> String {
        match (style, value) {
            (Style::YamlBlock, Value::Map(members)) if !members.is_empty() => {
                let inner = format!("{indent}{}", " ".repeat(ind.unit));
                members
                    .iter()
                    .map(|(k, v)| {
                        format!("{}{inner}{}", self.eol, self.pair(k, v, style, &inner, ind))
                    })
                    .collect()
            }
            (Style::YamlBlock, Value::List(items)) if !items.is_empty() => {
                let dash = format!("{indent}{}", " ".repeat(ind.seq));
                items
                    .iter()
                    .map(|item| format!("{}{dash}{}", self.eol, self.item(item, style, &dash, ind)))
                    .collect()
            }
            _ => format!(" {}", self.inline(value, style, indent, ind)),
        }
    }

    /// A YAML block sequence item from its `-`, the dash indented by `dash`: a block
    /// mapping's members line up after the dash.
    fn item(&self, value: &Value, style: Style, dash: &str, ind: Indent) -> String {
        let content = format!("{dash}  ");
        match (style, value) {
            (Style::YamlBlock, Value::Map(members)) if !members.is_empty() => {
                let lines: Vec<String> = members
                    .iter()
                    .map(|(k, v)| self.pair(k, v, style, &content, ind))
                    .collect();
                format!("- {}", lines.join(&format!("{}{content}", self.eol)))
            }
            _ => format!("- {}", self.inline(value, style, &content, ind)),
        }
    }

    /// A value written where it starts: a scalar or an intrinsic function (short form
    /// in YAML, long form in JSON), or a collection in flow style (YAML) or as JSON,
    /// over several lines for multi-line JSON. `indent`: the indentation of the line
    /// it starts on.
    fn inline(&self, value: &Value, style: Style, indent: &str, ind: Indent) -> String {
        let json = matches!(style, Style::Json { .. });
        let flow = match style {
            Style::YamlBlock => Style::YamlFlow,
            other => other,
        };
        if style == Style::Hcl {
            return match value {
                // No CloudFormation variables in Terraform: the placeholder alone.
                Value::Sub(_) => hcl_string(placeholder_marker()),
                Value::Ref(name) => name.clone(),
                Value::GetAtt(name, attr) => format!("{name}.{attr}"),
                Value::Text(t) => hcl_string(t),
                Value::Raw(source) => source.clone(),
                Value::Map(members) => self.map(members, style, indent, ind),
                Value::List(items) => self.list(items, style, indent, ind),
            };
        }
        match value {
            Value::Text(t) => self.scalar(t, style),
            Value::Sub(t) if json => format!("{{\"Fn::Sub\": {}}}", json_string(t)),
            Value::Sub(t) => format!("!Sub {}", self.scalar(t, style)),
            Value::Ref(name) if json => format!("{{\"Ref\": {}}}", json_string(name)),
            Value::Ref(name) => format!("!Ref {}", self.scalar(name, style)),
            Value::GetAtt(name, attr) if json => format!(
                "{{\"Fn::GetAtt\": [{}, {}]}}",
                json_string(name),
                json_string(attr)
            ),
            Value::GetAtt(name, attr) => {
                format!("!GetAtt {}", self.scalar(&format!("{name}.{attr}"), style))
            }
            Value::Raw(source) => source.clone(),
            Value::Map(members) => self.map(members, flow, indent, ind),
            Value::List(items) => self.list(items, flow, indent, ind),
        }
    }

    /// Renders a whole flow or JSON mapping; `indent` is the indentation of the line
    /// holding its key (for multi-line JSON).
    fn map(&self, members: &[(String, Value)], style: Style, indent: &str, ind: Indent) -> String {
        match style {
            Style::Json { multiline: true } | Style::Hcl if !members.is_empty() => {
                // One member a line; JSON separates them with commas.
                let comma = if style == Style::Hcl { "" } else { "," };
                let inner = format!("{indent}{}", " ".repeat(ind.unit));
                let body: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{inner}{}", self.pair(k, v, style, &inner, ind)))
                    .collect();
                format!(
                    "{{{eol}{}{eol}{indent}}}",
                    body.join(&format!("{comma}{}", self.eol)),
                    eol = self.eol
                )
            }
            _ => {
                let body: Vec<String> = members
                    .iter()
                    .map(|(k, v)| self.pair(k, v, style, indent, ind))
                    .collect();
                format!("{{{}}}", body.join(", "))
            }
        }
    }

    /// Renders a whole flow or JSON sequence, like [`Text::map`].
    fn list(&self, items: &[Value], style: Style, indent: &str, ind: Indent) -> String {
        match style {
            Style::Json { multiline: true } if !items.is_empty() => {
                let inner = format!("{indent}{}", " ".repeat(ind.unit));
                let body: Vec<String> = items
                    .iter()
                    .map(|i| format!("{inner}{}", self.inline(i, style, &inner, ind)))
                    .collect();
                format!(
                    "[{eol}{}{eol}{indent}]",
                    body.join(&format!(",{}", self.eol)),
                    eol = self.eol
                )
            }
            _ => {
                let body: Vec<String> = items
                    .iter()
                    .map(|i| self.inline(i, style, indent, ind))
                    .collect();
                format!("[{}]", body.join(", "))
            }
        }
    }

    /// The edit that inserts whole lines (`body`, without its last line break) after
    /// the line `end` is on (a block scalar's span already includes its line break).
    fn insert_lines(&self, end: usize, body: &str) -> TextEdit {
        let after_break = if end > 0 && self.byte(end - 1) == Some(b'\n') {
            Some(end)
        } else {
            self.newline_after(end).map(|nl| nl + 1)
        };
        match after_break {
            Some(at) if at <= self.len() => TextEdit {
                range: at..at,
                text: format!("{body}{}", self.eol),
            },
            _ => TextEdit {
                range: self.len()..self.len(),
                text: format!("{}{body}", self.eol),
            },
        }
    }

    /// The edit that appends members to a non-empty mapping.
    fn append(
        &self,
        map: &NodeRef<'_>,
        members: &[(String, Value)],
        style: Style,
        ind: Indent,
    ) -> Option<TextEdit> {
        let last = map.pairs().last()?;
        Some(self.insert_members(
            self.key_start(&last),
            self.pair_end(&last),
            members,
            style,
            ind,
        ))
    }

    /// The edit that inserts members after the member whose key starts at `key_at`
    /// and whose value ends at `end`, in a mapping of `style`, lined up with it.
    fn insert_members(
        &self,
        key_at: usize,
        end: usize,
        members: &[(String, Value)],
        style: Style,
        ind: Indent,
    ) -> TextEdit {
        let indent = " ".repeat(self.column(key_at));
        // HCL: the member's own indentation (tabs too); after a member that something
        // other than a comment follows on its line (`{ a = 1 }`), on that line.
        let hcl_indent = self.prefix(key_at);
        let rest = self.slice(end..self.line_end(end)).unwrap_or_default();
        let rest = rest.trim_start();
        let inline = !(rest.is_empty() || rest.starts_with('#') || rest.starts_with("//"));
        match style {
            Style::Hcl if inline => TextEdit {
                range: end..end,
                text: members
                    .iter()
                    .map(|(k, v)| format!(", {}", self.pair(k, v, style, &indent, ind)))
                    .collect(),
            },
            Style::Hcl if hcl_indent.chars().all(|c| c == ' ' || c == '\t') => {
                let lines: Vec<String> = members
                    .iter()
                    .map(|(k, v)| {
                        format!("{hcl_indent}{}", self.pair(k, v, style, &hcl_indent, ind))
                    })
                    .collect();
                self.insert_lines(end, &lines.join(self.eol))
            }
            Style::YamlBlock | Style::Hcl => {
                let lines: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{indent}{}", self.pair(k, v, style, &indent, ind)))
                    .collect();
                self.insert_lines(end, &lines.join(self.eol))
            }
            Style::YamlFlow | Style::Json { multiline: false } => TextEdit {
                range: end..end,
                text: members
                    .iter()
                    .map(|(k, v)| format!(", {}", self.pair(k, v, style, &indent, ind)))
                    .collect(),
            },
            Style::Json { multiline: true } => TextEdit {
                range: end..end,
                text: members
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            ",{}{indent}{}",
                            self.eol,
                            self.pair(k, v, style, &indent, ind)
                        )
                    })
                    .collect(),
            },
        }
    }

    /// The edit that appends items to a non-empty sequence, written as its last item
    /// is (a YAML block sequence of flow mappings gets a flow mapping; a JSON list of
    /// one-line objects a one-line object).
    fn append_items(&self, seq: &NodeRef<'_>, items: &[Value], ind: Indent) -> Option<TextEdit> {
        let last = seq.items().last()?;
        let start = self.quoted_start(last.span().start);
        let end = self.content_end(&last);
        let style = self.style_at(seq);
        match style {
            // Not written in Terraform (IAM documents' statements).
            Style::Hcl => None,
            Style::YamlBlock => {
                let dash = self.dash_before(start)?;
                let indent = " ".repeat(self.column(dash));
                let item_style = if self.is_flow(&last) {
                    Style::YamlFlow
                } else {
                    Style::YamlBlock
                };
                let lines: Vec<String> = items
                    .iter()
                    .map(|i| format!("{indent}{}", self.item(i, item_style, &indent, ind)))
                    .collect();
                Some(self.insert_lines(end, &lines.join(self.eol)))
            }
            Style::YamlFlow | Style::Json { multiline: false } => Some(TextEdit {
                range: end..end,
                text: items
                    .iter()
                    .map(|i| format!(", {}", self.inline(i, style, "", ind)))
                    .collect(),
            }),
            Style::Json { multiline: true } => {
                let indent = " ".repeat(self.column(start));
                let item_style = match last.kind() {
                    NodeKind::Map(_) => self.style_at(&last),
                    _ => style,
                };
                Some(TextEdit {
                    range: end..end,
                    text: items
                        .iter()
                        .map(|i| {
                            format!(
                                ",{}{indent}{}",
                                self.eol,
                                self.inline(i, item_style, &indent, ind)
                            )
                        })
                        .collect(),
                })
            }
        }
    }

    /// The edit that gives `pair` (with no value, or an empty collection) `value`, a
    /// mapping or a list; `style`: how the mapping holding `pair` is written.
    fn fill(
        &self,
        pair: &PairRef<'_>,
        value: &Value,
        style: Style,
        ind: Indent,
    ) -> Option<TextEdit> {
        let colon = self.after_colon(pair)?;
        let current = pair.value();
        let key_indent = " ".repeat(self.column(self.key_start(pair)));
        match style {
            Style::YamlBlock => {
                let value_end = current.map_or(colon, |v| v.span().end);
                let body = self.after_key(value, style, &key_indent, ind);
                if !body.starts_with(self.eol) {
                    // Nothing to write on lines of its own: the value goes on the key's.
                    return Some(TextEdit {
                        range: colon..value_end,
                        text: body,
                    });
                }
                // Keep what follows the value on its line (a comment), then the lines.
                let line_end = self.line_end(value_end);
                let rest = self.slice(value_end..line_end)?;
                Some(TextEdit {
                    range: colon..line_end,
                    text: format!("{rest}{body}"),
                })
            }
            _ => {
                let text = self.inline(value, style, &key_indent, ind);
                Some(match current {
                    Some(v) => TextEdit {
                        range: v.span(),
                        text,
                    },
                    None => TextEdit {
                        range: colon..colon,
                        text: format!(" {text}"),
                    },
                })
            }
        }
    }

    /// The edit that turns the mapping `map`, the value of `pair`, into a list of
    /// itself and `item`. The mapping's lines move right by the dash (YAML block) or
    /// one step (multi-line JSON); a block scalar with an explicit indentation
    /// indicator inside would not survive, and is not expected in a policy statement.
    fn wrap_in_list(
        &self,
        pair: &PairRef<'_>,
        map: &NodeRef<'_>,
        item: &Value,
        ind: Indent,
    ) -> Option<TextEdit> {
        let span = map.span().start..self.content_end(map);
        let source = self.slice(span.clone())?;
        let (old, tail) = match source.strip_suffix('\n') {
            Some(rest) => match rest.strip_suffix('\r') {
                Some(rest) => (rest, "\r\n"),
                None => (rest, "\n"),
            },
            None => (source.as_str(), ""),
        };
        let style = self.style_at(map);
        let text = match style {
            Style::Hcl => return None,
            Style::YamlBlock => {
                if !self.starts_line(span.start) {
                    return None;
                }
                let dash = " ".repeat(self.column(span.start));
                format!(
                    "- {}{}{dash}{}{tail}",
                    shift_lines(old, "  "),
                    self.eol,
                    self.item(item, style, &dash, ind)
                )
            }
            Style::Json { multiline: true } => {
                let indent = " ".repeat(self.column(self.key_start(pair)));
                let inner = format!("{indent}{}", " ".repeat(ind.unit));
                format!(
                    "[{eol}{inner}{},{eol}{inner}{}{eol}{indent}]{tail}",
                    shift_lines(old, &" ".repeat(ind.unit)),
                    self.inline(item, style, &inner, ind),
                    eol = self.eol
                )
            }
            Style::YamlFlow | Style::Json { multiline: false } => {
                format!("[{old}, {}]{tail}", self.inline(item, style, "", ind))
            }
        };
        Some(TextEdit { range: span, text })
    }

    /// A value that reads as `node` does, to write elsewhere in this file: a scalar's
    /// text; an intrinsic function's source when it can follow a key on one line
    /// (JSON, a YAML short form or flow mapping on one line); else the one reference it
    /// makes. `None` for anything else (a block scalar, a collection).
    fn copy(&self, node: &NodeRef<'_>) -> Option<Value> {
        if let Some(scalar) = node.scalar() {
            return (scalar.style != ScalarStyle::Block).then(|| Value::Text(scalar.text.clone()));
        }
        node.intrinsic()?;
        let source = self.slice(node.span())?;
        let inline = self.json || source.starts_with(['!', '{', '[']);
        if inline && !source.contains('\n') {
            return Some(Value::Raw(source));
        }
        Some(match reference_of(*node)? {
            Reference::Ref(name) => Value::Ref(name),
            Reference::GetAtt(name, attr) => Value::GetAtt(name, attr),
        })
    }
}

/// `text` with every line after the first that is not blank moved right by `pad`.
fn shift_lines(text: &str, pad: &str) -> String {
    let mut out = String::with_capacity(text.len() + pad.len() * 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.trim().is_empty() {
                out.push_str(pad);
            }
        }
        out.push_str(line);
    }
    out
}

/// Adds the missing request parameters, creating `RequestParameters` if needed.
fn add_parameters(doc: &Document, range: Range<usize>, names: &[String]) -> Option<CodeAction> {
    let located = locate(doc, range.start)?;
    let integration = located.integration.as_ref()?;
    let text = Text::new(doc);
    let ind = text.indent_unit(&located);
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
                ind,
            )?
        }
        (Some(pair), None) => text.fill(&pair, &Value::Map(members), props_style, ind)?,
        (Some(pair), Some(value)) if value.is_map() && value.pairs().next().is_none() => {
            text.fill(&pair, &Value::Map(members), props_style, ind)?
        }
        (Some(_), Some(value)) if value.is_map() => {
            let style = match props_style {
                Style::Hcl => Style::Hcl,
                Style::Json { .. } => text.style_of(&value, &located),
                _ if text.is_flow(&value) => Style::YamlFlow,
                other => other,
            };
            text.append(&value, &members, style, ind)?
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
            let ind = text.indent_unit(&located);
            text.append(
                &props,
                &[(field.to_string(), Value::Text(value.to_string()))],
                style,
                ind,
            )?
        }
    };
    Some(CodeAction {
        title: format!("Set {field} to {}", yaml_scalar(value, false)),
        edits: vec![edit],
        is_preferred: true,
    })
}

/// The role `name`, when this document declares it. A role declared in another
/// (linked) file gets no fix: a code action edits the document of its diagnostic.
fn role<'d>(doc: &'d Document, name: &str) -> Option<Resource<'d>> {
    resources(doc).find(|r| r.name == name && r.type_name() == Some("AWS::IAM::Role"))
}

/// An ARN as a value to write: the reference or literal, else the placeholder marker.
fn arn_value(arn: Option<&Arn>) -> Value {
    match arn {
        Some(Arn::Ref(name)) => Value::Ref(name.clone()),
        Some(Arn::GetAtt(name, attr)) => Value::GetAtt(name.clone(), attr.clone()),
        Some(Arn::Literal(arn)) => string(arn),
        None => string(placeholder_marker()),
    }
}

/// Adds a statement allowing `action` on `resource` to the role `role_name`: to the
/// `Statement` list of its first inline policy that has one, else as a new inline
/// policy named `policy` (made unique among the role's policy names), creating
/// `Policies` (and `Properties`) when the role has none.
fn add_statement(
    doc: &Document,
    role_name: &str,
    action: &str,
    resource: Option<&Arn>,
    policy: &str,
) -> Option<CodeAction> {
    let role = role(doc, role_name)?;
    let text = Text::new(doc);
    let ind = text.resource_indent(&role);
    let statement = Value::Map(vec![
        member("Effect", string("Allow")),
        member("Action", string(action)),
        member("Resource", arn_value(resource)),
    ]);
    let new_policy = |name: &str| {
        Value::Map(vec![
            member("PolicyName", string(name)),
            member(
                "PolicyDocument",
                Value::Map(vec![
                    member("Version", string(&catalog::catalog().iam.policy_version)),
                    member("Statement", Value::List(vec![statement.clone()])),
                ]),
            ),
        ])
    };
    let policies_of = |name: &str| {
        Value::Map(vec![member(
            "Policies",
            Value::List(vec![new_policy(name)]),
        )])
    };
    let role_style = text.style_at(&role.value);
    let edit = match role.value.pair("Properties") {
        None => text.append(
            &role.value,
            &[member("Properties", policies_of(policy))],
            role_style,
            ind,
        )?,
        Some(pair) => match pair.value() {
            None => text.fill(&pair, &policies_of(policy), role_style, ind)?,
            Some(props) if props.is_map() && props.pairs().next().is_none() => {
                text.fill(&pair, &policies_of(policy), role_style, ind)?
            }
            Some(props) if props.is_map() => {
                policy_edit(&text, &props, &statement, policy, &new_policy, ind)?
            }
            // An intrinsic function: nothing we can add to.
            Some(_) => return None,
        },
    };
    let on = match resource {
        Some(Arn::Ref(name) | Arn::GetAtt(name, _)) => format!(" on `{name}`"),
        Some(Arn::Literal(arn)) => format!(" on `{arn}`"),
        None => format!(" (Resource {} to fill in)", placeholder_marker()),
    };
    Some(CodeAction {
        title: format!("Allow `{action}`{on} in a policy of `{role_name}`"),
        edits: vec![edit],
        is_preferred: true,
    })
}

/// The edit that adds `statement` to the role's `Properties` (a non-empty mapping).
fn policy_edit(
    text: &Text<'_>,
    props: &NodeRef<'_>,
    statement: &Value,
    policy: &str,
    new_policy: &dyn Fn(&str) -> Value,
    ind: Indent,
) -> Option<TextEdit> {
    let Some(pair) = props.pair("Policies") else {
        return text.append(
            props,
            &[member("Policies", Value::List(vec![new_policy(policy)]))],
            text.style_at(props),
            ind,
        );
    };
    let Some(policies) = pair.value() else {
        return text.fill(
            &pair,
            &Value::List(vec![new_policy(policy)]),
            text.style_at(props),
            ind,
        );
    };
    if !matches!(policies.kind(), NodeKind::Seq(_)) {
        return None;
    }
    // The first inline policy whose document has a `Statement` list.
    for item in policies.items() {
        let Some(document) = item.get("PolicyDocument") else {
            continue;
        };
        let Some(statements) = document.pair("Statement") else {
            continue;
        };
        match statements.value() {
            Some(list) if matches!(list.kind(), NodeKind::Seq(_)) => {
                return if list.items().next().is_none() {
                    let all = Value::List(vec![statement.clone()]);
                    text.fill(&statements, &all, text.style_at(&document), ind)
                } else {
                    text.append_items(&list, std::slice::from_ref(statement), ind)
                };
            }
            _ => continue,
        }
    }
    let names: Vec<&str> = policies
        .items()
        .filter_map(|p| p.get("PolicyName")?.text())
        .collect();
    let name = unique_name(policy, &names);
    if policies.items().next().is_none() {
        text.fill(
            &pair,
            &Value::List(vec![new_policy(&name)]),
            text.style_at(props),
            ind,
        )
    } else {
        text.append_items(&policies, &[new_policy(&name)], ind)
    }
}

/// `name`, or `name2`, `name3`... when it is taken.
fn unique_name(name: &str, taken: &[&str]) -> String {
    super::features::numbered(name, |candidate| taken.contains(&candidate))
}

/// Lets API Gateway assume the role `role_name`: appends a statement allowing the
/// service principal `sts:AssumeRole` to its trust policy's `Statement` (a single
/// statement becomes a list of itself and the new one). The rule fires only when the
/// trust policy and its `Statement` are written out, so there is always one to add to.
fn add_trust(doc: &Document, role_name: &str) -> Option<CodeAction> {
    let role = role(doc, role_name)?;
    let text = Text::new(doc);
    let ind = text.resource_indent(&role);
    let iam = &catalog::catalog().iam;
    let statement = Value::Map(vec![
        member("Effect", string("Allow")),
        member(
            "Principal",
            Value::Map(vec![member("Service", string(&iam.trust_service))]),
        ),
        member("Action", string(&iam.assume_role_action)),
    ]);
    let document = role
        .value
        .get("Properties")?
        .get("AssumeRolePolicyDocument")?;
    let pair = document.pair("Statement")?;
    let list = pair.value()?;
    let edit = match list.kind() {
        NodeKind::Seq(_) if list.items().next().is_none() => {
            let all = Value::List(vec![statement]);
            text.fill(&pair, &all, text.style_at(&document), ind)?
        }
        NodeKind::Seq(_) => text.append_items(&list, &[statement], ind)?,
        NodeKind::Map(_) => text.wrap_in_list(&pair, &list, &statement, ind)?,
        _ => return None,
    };
    Some(CodeAction {
        title: format!(
            "Let API Gateway assume `{role_name}` (trust `{}`)",
            iam.trust_service
        ),
        edits: vec![edit],
        is_preferred: true,
    })
}

/// Declares the integration `name` that the route around `range` targets: an
/// `AWS::ApiGatewayV2::Integration` inserted after the route, lined up with it, on
/// the route's `ApiId` (the same text), with the catalog's starting subtype, its
/// required parameters and the role as placeholders (`check --fix` never applies it).
fn create_integration(
    doc: &Document,
    range: Range<usize>,
    name: &str,
    preferred: bool,
) -> Option<CodeAction> {
    let (entry, route) = doc.entries_at(range.start).into_iter().find_map(|entry| {
        resources_in_entry(entry)
            .into_iter()
            .find(|r| {
                r.type_name() == Some("AWS::ApiGatewayV2::Route")
                    && r.name_span.start <= range.start
                    && range.end <= r.value.span().end
            })
            .map(|r| (entry, r))
    })?;
    // A stale fix: the integration is there now.
    if resources(doc).any(|r| r.name == name) {
        return None;
    }
    let text = Text::new(doc);
    let ind = text.resource_indent(&route);
    let catalog = catalog::catalog();
    let placeholders = &catalog.placeholders;
    let subtype = catalog.subtype(&placeholders.integration_subtype)?;
    let field = |f: Field| Dialect::CloudFormation.name(f);
    let mut props = Vec::new();
    if let Some(api) = route
        .value
        .get("Properties")
        .and_then(|p| p.get("ApiId"))
        .and_then(|v| text.copy(&v))
    {
        props.push(member("ApiId", api));
    }
    props.extend([
        member(
            field(Field::IntegrationType),
            string(&catalog.meta.integration_type),
        ),
        member(field(Field::Subtype), string(&subtype.name)),
        member(
            field(Field::PayloadFormatVersion),
            string(&catalog.meta.payload_format_version),
        ),
        member(
            field(Field::Credentials),
            value_of(placeholders.credentials.clone()),
        ),
        member(
            field(Field::RequestParameters),
            Value::Map(
                subtype
                    .required_params()
                    .map(|p| member(&p.name, placeholder(&p.name, true)))
                    .collect(),
            ),
        ),
    ]);
    let resource = Value::Map(vec![
        member("Type", string("AWS::ApiGatewayV2::Integration")),
        member("Properties", Value::Map(props)),
    ]);
    let key_at = text.quoted_start(route.name_span.start);
    // The mapping that holds the route: a split `Resources` section is block style.
    let container = match (entry.section, entry.key()) {
        (None, Some("Resources")) => entry.value(),
        (None, Some("resources")) => entry.value().and_then(|v| v.get("Resources")),
        // The Serverless Framework's, `resources` being split.
        (Some("resources"), Some("Resources")) => entry.value(),
        _ => None,
    };
    let style = if text.json {
        Style::Json {
            multiline: text.starts_line(key_at),
        }
    } else if container.is_some_and(|c| text.is_flow(&c)) {
        Style::YamlFlow
    } else {
        Style::YamlBlock
    };
    let edit = text.insert_members(
        key_at,
        text.content_end(&route.value),
        &[member(name, resource)],
        style,
        ind,
    );
    Some(CodeAction {
        title: format!(
            "Create integration `{name}` ({}, with {} placeholders to fill in)",
            subtype.name,
            placeholder_marker()
        ),
        edits: vec![edit],
        is_preferred: preferred,
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

/// Whether a plain scalar would be read as a number, boolean, null or (YAML 1.1) a
/// timestamp: a policy's `Version: 2012-10-17` is written quoted.
fn resolves_to_non_string(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) || is_timestamp(text)
    {
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

/// Whether YAML 1.1 reads a plain scalar as a timestamp: `yyyy-m-d`, alone or
/// followed by a time.
fn is_timestamp(text: &str) -> bool {
    let mut parts = text.splitn(3, '-');
    let (Some(year), Some(month), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let day_len = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let digits = |s: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    digits(year, 4..=4)
        && digits(month, 1..=2)
        && digits(&rest[..day_len], 1..=2)
        && (day_len == rest.len() || rest[day_len..].starts_with(['T', 't', ' ']))
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

/// An HCL string literal: quotes, backslashes and control characters escaped, and
/// `${`/`%{` doubled so that Terraform reads them as text.
fn hcl_string(text: &str) -> String {
    let mut out = String::from('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| yaml_double(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hcl_strings_escape_templates() {
        assert_eq!(
            hcl_string("a ${b} %{c} \"d\"\n"),
            "\"a $${b} %%{c} \\\"d\\\"\\n\""
        );
    }
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
    fn adds_before_the_comments_of_the_next_resource() {
        // A block mapping's span runs over the blank lines and comments after it.
        let text = sqs(
            "      RequestParameters:\n        QueueUrl: !Ref Queue\n\n  # The queue\n  Queue:\n    Type: AWS::SQS::Queue\n",
        );
        assert_eq!(
            fixed(&text, MISSING),
            text.replace(
                "!Ref Queue\n",
                "!Ref Queue\n        MessageBody: $request.body\n"
            )
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
        assert_eq!(yaml_scalar("2012-10-17", false), "\"2012-10-17\"");
        assert_eq!(yaml_scalar("2012-1-7T10:00", false), "\"2012-1-7T10:00\"");
        assert_eq!(yaml_scalar("2012-10-17x", false), "2012-10-17x");
        assert_eq!(yaml_scalar("SQS-SendMessage", false), "SQS-SendMessage");
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

    // ---- role-missing-permission ----

    const PERMISSION: &str = "role-missing-permission";
    const TRUST: &str = "role-not-trusted";

    /// A queue, the role `Role` whose `Properties` are `role` (lines indented by 6,
    /// trusted by API Gateway unless they say otherwise) and an SQS-SendMessage
    /// integration using both.
    fn with_role(role: &str) -> String {
        format!(
            "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n  Role:\n    Type: AWS::IAM::Role\n{role}  Send:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt Role.Arn\n      RequestParameters: {{QueueUrl: !Ref Queue, MessageBody: $request.body}}\n"
        )
    }

    const TRUSTED: &str = "    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Principal: {Service: apigateway.amazonaws.com}\n            Action: sts:AssumeRole\n";

    #[test]
    fn appends_a_statement_to_the_first_inline_policy() {
        let read = "      Policies:\n        - PolicyName: read\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: sqs:ReceiveMessage\n                Resource: !GetAtt Queue.Arn\n";
        let text = with_role(&format!("{TRUSTED}{read}"));
        let (out, action) = fix(&text, PERMISSION);
        assert_eq!(
            action.title,
            "Allow `sqs:SendMessage` on `Queue` in a policy of `Role`"
        );
        assert!(action.is_preferred);
        assert_eq!(
            out,
            with_role(&format!(
                "{TRUSTED}{read}              - Effect: Allow\n                Action: sqs:SendMessage\n                Resource: !GetAtt Queue.Arn\n"
            ))
        );
        // Flow statements in a block list get a flow statement; a flow list an item.
        let flow = "      Policies:\n        - PolicyName: read\n          PolicyDocument:\n            Statement:\n              - {Effect: Allow, Action: sqs:ReceiveMessage, Resource: !GetAtt Queue.Arn}\n";
        assert_eq!(
            fixed(&with_role(&format!("{TRUSTED}{flow}")), PERMISSION),
            with_role(&format!(
                "{TRUSTED}{flow}              - {{Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}}\n"
            ))
        );
        let list = "      Policies: [{PolicyName: read, PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:ReceiveMessage, Resource: \"*\"}]}}]\n";
        assert_eq!(
            fixed(&with_role(&format!("{TRUSTED}{list}")), PERMISSION),
            with_role(&format!(
                "{TRUSTED}{}",
                list.replace(
                    "\"*\"}]",
                    "\"*\"}, {Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}]"
                )
            ))
        );
    }

    #[test]
    fn gives_a_role_without_inline_policies_one() {
        let policy = "      Policies:\n        - PolicyName: SQS-SendMessage\n          PolicyDocument:\n            Version: \"2012-10-17\"\n            Statement:\n              - Effect: Allow\n                Action: sqs:SendMessage\n                Resource: !GetAtt Queue.Arn\n";
        let text = with_role(TRUSTED);
        assert_eq!(
            fixed(&text, PERMISSION),
            with_role(&format!("{TRUSTED}{policy}"))
        );
        // No `Properties` at all (and so no trust policy to check).
        let text = with_role("");
        assert_eq!(
            fixed(&text, PERMISSION),
            with_role(&format!("    Properties:\n{policy}"))
        );
        // A policy whose `Statement` is a single mapping is left alone: a new policy
        // goes after it, under a name of its own.
        let single = "      Policies:\n        - PolicyName: SQS-SendMessage\n          PolicyDocument:\n            Statement: {Effect: Allow, Action: sqs:ReceiveMessage, Resource: !GetAtt Queue.Arn}\n";
        let text = with_role(&format!("{TRUSTED}{single}"));
        assert_eq!(
            fixed(&text, PERMISSION),
            with_role(&format!(
                "{TRUSTED}{single}{}",
                policy
                    .replace("      Policies:\n", "")
                    .replace("SQS-SendMessage\n", "SQS-SendMessage2\n")
            ))
        );
    }

    #[test]
    fn a_flow_role_gets_a_flow_policy() {
        let text = with_role(
            "    Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: apigateway.amazonaws.com}, Action: sts:AssumeRole}]}}\n",
        );
        assert_eq!(
            fixed(&text, PERMISSION),
            text.replace(
                "sts:AssumeRole}]}}",
                "sts:AssumeRole}]}, Policies: [{PolicyName: SQS-SendMessage, PolicyDocument: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}]}}]}"
            )
        );
    }

    #[test]
    fn new_policies_follow_the_files_indentation() {
        // Four spaces, and sequences written at their key's column.
        let text = "Resources:\n    Queue:\n        Type: AWS::SQS::Queue\n    Role:\n        Type: AWS::IAM::Role\n        Properties:\n            AssumeRolePolicyDocument:\n                Statement:\n                - Effect: Allow\n                  Principal: {Service: apigateway.amazonaws.com}\n                  Action: sts:AssumeRole\n    Send:\n        Type: AWS::ApiGatewayV2::Integration\n        Properties:\n            IntegrationType: AWS_PROXY\n            IntegrationSubtype: SQS-SendMessage\n            PayloadFormatVersion: \"1.0\"\n            CredentialsArn: !GetAtt Role.Arn\n            RequestParameters: {QueueUrl: !Ref Queue, MessageBody: $request.body}\n";
        assert_eq!(
            fixed(text, PERMISSION),
            text.replace(
                "Action: sts:AssumeRole\n",
                "Action: sts:AssumeRole\n            Policies:\n            - PolicyName: SQS-SendMessage\n              PolicyDocument:\n                  Version: \"2012-10-17\"\n                  Statement:\n                  - Effect: Allow\n                    Action: sqs:SendMessage\n                    Resource: !GetAtt Queue.Arn\n"
            )
        );
        // CRLF line endings.
        let text = with_role(TRUSTED).replace('\n', "\r\n");
        let out = fixed(&text, PERMISSION);
        assert!(!out.replace("\r\n", "").contains('\n'), "{out:?}");
        assert!(
            out.contains("      Policies:\r\n        - PolicyName: SQS-SendMessage\r\n"),
            "{out:?}"
        );
    }

    #[test]
    fn names_the_target_by_the_reference_that_yields_its_arn() {
        let machine = |role: &str| {
            format!(
                "Resources:\n  Machine:\n    Type: AWS::StepFunctions::StateMachine\n  Role:\n    Type: AWS::IAM::Role\n{role}  Start:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: StepFunctions-StartExecution\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt Role.Arn\n      RequestParameters:\n        StateMachineArn: !Ref Machine\n"
            )
        };
        let (out, action) = fix(&machine(TRUSTED), PERMISSION);
        assert_eq!(
            action.title,
            "Allow `states:StartExecution` on `Machine` in a policy of `Role`"
        );
        assert!(out.contains("                Action: states:StartExecution\n                Resource: !Ref Machine\n"), "{out}");
        // An ARN written out in the integration is the statement's resource.
        let arn = "arn:aws:states:us-east-1:123456789012:stateMachine:orders";
        let text = machine(TRUSTED).replace("!Ref Machine", arn);
        let (out, action) = fix(&text, PERMISSION);
        assert!(
            action.title.contains(&format!("on `{arn}`")),
            "{}",
            action.title
        );
        assert!(
            out.contains(&format!("                Resource: {arn}\n")),
            "{out}"
        );
    }

    #[test]
    fn without_an_arn_the_resource_is_the_placeholder() {
        let text = "Resources:\n  App:\n    Type: AWS::AppConfig::Application\n  Env:\n    Type: AWS::AppConfig::Environment\n  Profile:\n    Type: AWS::AppConfig::ConfigurationProfile\n  Role:\n    Type: AWS::IAM::Role\n  Get:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: AppConfig-GetConfiguration\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt Role.Arn\n      RequestParameters: {Application: !Ref App, Environment: !Ref Env, Configuration: !Ref Profile, ClientId: $context.requestId}\n";
        let (out, action) = fix(text, PERMISSION);
        assert_eq!(
            action.title,
            "Allow `appconfig:GetConfiguration` (Resource REPLACE_ME to fill in) in a policy of `Role`"
        );
        assert!(
            out.contains("                Resource: REPLACE_ME\n"),
            "{out}"
        );
        // `check --fix` leaves it to the author.
        let d = doc(text);
        let findings = analyze(&d);
        assert!(findings.iter().any(|f| f.code == PERMISSION));
        let plan = crate::cli::fix::plan(&d, text, &findings);
        assert!(
            plan.edits.iter().all(|e| !e.text.contains("REPLACE_ME")),
            "{plan:?}"
        );
    }

    #[test]
    fn json_roles_get_statements_in_their_style() {
        // Multi-line, one-space indentation (as CDK writes templates).
        let role = |props: &str| {
            format!(
                "{{\n \"Resources\": {{\n  \"Queue\": {{\n   \"Type\": \"AWS::SQS::Queue\"\n  }},\n  \"Role\": {{\n   \"Type\": \"AWS::IAM::Role\",\n   \"Properties\": {{\n    \"AssumeRolePolicyDocument\": {{\n     \"Statement\": [\n      {{\n       \"Action\": \"sts:AssumeRole\",\n       \"Effect\": \"Allow\",\n       \"Principal\": {{\n        \"Service\": \"apigateway.amazonaws.com\"\n       }}\n      }}\n     ]\n    }}{props}\n   }}\n  }},\n  \"Send\": {{\n   \"Type\": \"AWS::ApiGatewayV2::Integration\",\n   \"Properties\": {{\n    \"IntegrationType\": \"AWS_PROXY\",\n    \"IntegrationSubtype\": \"SQS-SendMessage\",\n    \"PayloadFormatVersion\": \"1.0\",\n    \"CredentialsArn\": {{\"Fn::GetAtt\": [\"Role\", \"Arn\"]}},\n    \"RequestParameters\": {{\"QueueUrl\": {{\"Ref\": \"Queue\"}}, \"MessageBody\": \"$request.body\"}}\n   }}\n  }}\n }}\n}}\n"
            )
        };
        let text = role("");
        assert_eq!(
            fixed(&text, PERMISSION),
            role(
                ",\n    \"Policies\": [\n     {\n      \"PolicyName\": \"SQS-SendMessage\",\n      \"PolicyDocument\": {\n       \"Version\": \"2012-10-17\",\n       \"Statement\": [\n        {\n         \"Effect\": \"Allow\",\n         \"Action\": \"sqs:SendMessage\",\n         \"Resource\": {\"Fn::GetAtt\": [\"Queue\", \"Arn\"]}\n        }\n       ]\n      }\n     }\n    ]"
            )
        );
        // Statements one per line.
        let text = role(
            ",\n    \"Policies\": [{\"PolicyName\": \"p\", \"PolicyDocument\": {\"Statement\": [\n     {\"Effect\": \"Allow\", \"Action\": \"sqs:ReceiveMessage\", \"Resource\": \"*\"}\n    ]}}]",
        );
        assert_eq!(
            fixed(&text, PERMISSION),
            text.replace(
                "\"Resource\": \"*\"}\n",
                "\"Resource\": \"*\"},\n     {\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": {\"Fn::GetAtt\": [\"Queue\", \"Arn\"]}}\n"
            )
        );
        // All on one line.
        let text = "{\"Resources\": {\"Queue\": {\"Type\": \"AWS::SQS::Queue\"}, \"Role\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {\"Policies\": [{\"PolicyName\": \"p\", \"PolicyDocument\": {\"Statement\": []}}]}}, \"Send\": {\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {\"IntegrationType\": \"AWS_PROXY\", \"IntegrationSubtype\": \"SQS-PurgeQueue\", \"PayloadFormatVersion\": \"1.0\", \"CredentialsArn\": {\"Fn::GetAtt\": [\"Role\", \"Arn\"]}, \"RequestParameters\": {\"QueueUrl\": {\"Ref\": \"Queue\"}}}}}}";
        assert_eq!(
            fixed(text, PERMISSION),
            text.replace(
                "\"Statement\": []",
                "\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sqs:PurgeQueue\", \"Resource\": {\"Fn::GetAtt\": [\"Queue\", \"Arn\"]}}]"
            )
        );
        let text = text.replace(", \"Properties\": {\"Policies\": [{\"PolicyName\": \"p\", \"PolicyDocument\": {\"Statement\": []}}]}", "");
        assert_eq!(
            fixed(&text, PERMISSION),
            text.replace(
                "\"AWS::IAM::Role\"}",
                "\"AWS::IAM::Role\", \"Properties\": {\"Policies\": [{\"PolicyName\": \"SQS-PurgeQueue\", \"PolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"sqs:PurgeQueue\", \"Resource\": {\"Fn::GetAtt\": [\"Queue\", \"Arn\"]}}]}}]}}"
            )
        );
    }

    #[test]
    fn a_role_in_another_file_gets_no_fix() {
        let fix = Fix::AddStatement {
            role: "Elsewhere".into(),
            action: "sqs:SendMessage".into(),
            resource: None,
            policy: "SQS-SendMessage".into(),
        };
        let d = doc(&with_role(TRUSTED));
        assert!(quick_fixes(&d, PERMISSION, 0..1, &fix).is_empty());
        assert!(
            quick_fixes(
                &d,
                TRUST,
                0..1,
                &Fix::AddTrust {
                    role: "Elsewhere".into()
                }
            )
            .is_empty()
        );
    }

    // ---- role-not-trusted ----

    /// An SQS-PurgeQueue integration whose role's trust policy `Statement` is
    /// `statement` (from the key's colon on), with permission to purge.
    fn trust(statement: &str) -> String {
        format!(
            "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2012-10-17\"\n        Statement:{statement}\n      Policies:\n        - PolicyName: purge\n          PolicyDocument:\n            Statement:\n              - {{Effect: Allow, Action: sqs:PurgeQueue, Resource: \"*\"}}\n  Purge:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-PurgeQueue\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt Role.Arn\n      RequestParameters: {{QueueUrl: $stageVariables.queue}}\n"
        )
    }

    const LAMBDA: &str = "\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole";
    const API_GATEWAY: &str = "\n          - Effect: Allow\n            Principal:\n              Service: apigateway.amazonaws.com\n            Action: sts:AssumeRole";

    #[test]
    fn appends_the_trust_statement() {
        let (out, action) = fix(&trust(LAMBDA), TRUST);
        assert_eq!(
            action.title,
            "Let API Gateway assume `Role` (trust `apigateway.amazonaws.com`)"
        );
        assert!(action.is_preferred);
        assert_eq!(out, trust(&format!("{LAMBDA}{API_GATEWAY}")));
        // Flow statements; a flow list; an empty list.
        let flow = "\n          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}";
        assert_eq!(
            fixed(&trust(flow), TRUST),
            trust(&format!(
                "{flow}\n          - {{Effect: Allow, Principal: {{Service: apigateway.amazonaws.com}}, Action: sts:AssumeRole}}"
            ))
        );
        let list = " [{Effect: Allow, Principal: {Service: [lambda.amazonaws.com]}, Action: sts:AssumeRole}]";
        assert_eq!(
            fixed(&trust(list), TRUST),
            trust(&list.replace(
                "}]",
                "}, {Effect: Allow, Principal: {Service: apigateway.amazonaws.com}, Action: sts:AssumeRole}]"
            ))
        );
        assert_eq!(fixed(&trust(" []"), TRUST), trust(API_GATEWAY));
    }

    #[test]
    fn a_single_trust_statement_becomes_a_list() {
        let single = "\n          Effect: Allow\n          Principal:\n            Service: lambda.amazonaws.com\n          Action: sts:AssumeRole";
        assert_eq!(
            fixed(&trust(single), TRUST),
            trust(&format!(
                "\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole{API_GATEWAY}"
            ))
        );
        let flow =
            " {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}";
        assert_eq!(
            fixed(&trust(flow), TRUST),
            trust(
                " [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}, {Effect: Allow, Principal: {Service: apigateway.amazonaws.com}, Action: sts:AssumeRole}]"
            )
        );
    }

    #[test]
    fn json_trust_policies_get_the_statement_in_their_style() {
        let role = |statement: &str| {
            format!(
                "{{\n  \"Resources\": {{\n    \"Role\": {{\n      \"Type\": \"AWS::IAM::Role\",\n      \"Properties\": {{\n        \"AssumeRolePolicyDocument\": {{\n          \"Statement\": {statement}\n        }},\n        \"Policies\": [{{\"PolicyName\": \"p\", \"PolicyDocument\": {{\"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"sqs:*\", \"Resource\": \"*\"}}]}}}}]\n      }}\n    }},\n    \"Purge\": {{\n      \"Type\": \"AWS::ApiGatewayV2::Integration\",\n      \"Properties\": {{\n        \"IntegrationType\": \"AWS_PROXY\",\n        \"IntegrationSubtype\": \"SQS-PurgeQueue\",\n        \"PayloadFormatVersion\": \"1.0\",\n        \"CredentialsArn\": {{\"Fn::GetAtt\": [\"Role\", \"Arn\"]}},\n        \"RequestParameters\": {{\"QueueUrl\": \"$stageVariables.queue\"}}\n      }}\n    }}\n  }}\n}}\n"
            )
        };
        let lambda = "{\n              \"Effect\": \"Allow\",\n              \"Principal\": {\"Service\": \"lambda.amazonaws.com\"},\n              \"Action\": \"sts:AssumeRole\"\n            }";
        let api = "{\n              \"Effect\": \"Allow\",\n              \"Principal\": {\n                \"Service\": \"apigateway.amazonaws.com\"\n              },\n              \"Action\": \"sts:AssumeRole\"\n            }";
        let text = role(&format!("[\n            {lambda}\n          ]"));
        assert_eq!(
            fixed(&text, TRUST),
            role(&format!(
                "[\n            {lambda},\n            {api}\n          ]"
            ))
        );
        // A single statement object becomes a list of two.
        let single = "{\n            \"Effect\": \"Allow\",\n            \"Principal\": {\"Service\": \"lambda.amazonaws.com\"},\n            \"Action\": \"sts:AssumeRole\"\n          }";
        assert_eq!(
            fixed(&role(single), TRUST),
            role(&format!(
                "[\n            {lambda},\n            {api}\n          ]"
            ))
        );
        let one_line = "[{\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"lambda.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]";
        assert_eq!(
            fixed(&role(one_line), TRUST),
            role(&one_line.replace(
                "}]",
                "}, {\"Effect\": \"Allow\", \"Principal\": {\"Service\": \"apigateway.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"}]"
            ))
        );
    }

    // ---- unresolved-reference: a route targeting nothing ----

    const UNRESOLVED: &str = "unresolved-reference";

    /// An API and a route whose `Target` is `target`; `after`: what follows the route.
    fn route(target: &str, after: &str) -> String {
        format!(
            "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {{Name: orders, ProtocolType: HTTP}}\n  Route:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: POST /orders\n      Target: {target}\n{after}"
        )
    }

    const CREATED: &str = "  Missing:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/REPLACE_ME\n      RequestParameters:\n        QueueUrl: !Sub https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\n        MessageBody: $request.body\n";

    #[test]
    fn creates_the_integration_a_route_targets() {
        let tail = "  Queue:\n    Type: AWS::SQS::Queue\n";
        let text = route("!Sub integrations/${Missing}", tail);
        let (out, action) = fix(&text, UNRESOLVED);
        assert_eq!(
            action.title,
            "Create integration `Missing` (SQS-SendMessage, with REPLACE_ME placeholders to fill in)"
        );
        assert!(action.is_preferred);
        assert_eq!(
            out,
            route("!Sub integrations/${Missing}", &format!("{CREATED}{tail}"))
        );
        // Other forms of the target; the file's own indentation.
        for target in [
            "!Sub \"integrations/${Missing}\"",
            "!Join [/, [integrations, !Ref Missing]]",
        ] {
            assert_eq!(
                fixed(&route(target, ""), UNRESOLVED),
                route(target, CREATED)
            );
        }
        // Every indentation doubled: four spaces a step.
        let doubled = |text: &str| -> String {
            text.lines()
                .map(|l| {
                    let indent = l.len() - l.trim_start().len();
                    format!("{}{l}\n", " ".repeat(indent))
                })
                .collect()
        };
        let text = doubled(&route("!Sub integrations/${Missing}", ""));
        assert_eq!(
            fixed(&text, UNRESOLVED),
            doubled(&route("!Sub integrations/${Missing}", CREATED))
        );
    }

    #[test]
    fn the_integration_goes_before_the_next_resources_comment() {
        let tail = "\n  # The queue\n  Queue:\n    Type: AWS::SQS::Queue\n";
        let text = route("!Sub integrations/${Missing}", tail)
            .replace("ApiId: !Ref Api\n", "ApiId:\n        Ref: Api\n");
        assert_eq!(
            fixed(&text, UNRESOLVED),
            route("!Sub integrations/${Missing}", &format!("{CREATED}{tail}")).replace(
                "ApiId: !Ref Api\n      RouteKey",
                "ApiId:\n        Ref: Api\n      RouteKey"
            )
        );
    }

    #[test]
    fn a_close_name_is_offered_first_and_taken_by_check_fix() {
        let text = route(
            "!Sub integrations/${Sendd}",
            "  Send:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-PurgeQueue\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: arn:aws:iam::123456789012:role/api\n      RequestParameters: {QueueUrl: $stageVariables.queue}\n",
        );
        let found = actions(&text, UNRESOLVED);
        let titles: Vec<&str> = found.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Change to `Send`",
                "Create integration `Sendd` (SQS-SendMessage, with REPLACE_ME placeholders to fill in)"
            ]
        );
        assert!(found[0].is_preferred && !found[1].is_preferred);
        for action in &found {
            let out = apply(&text, &action.edits);
            assert!(!codes(&out).contains(&UNRESOLVED), "{out}");
        }
        let d = doc(&text);
        let plan = crate::cli::fix::plan(&d, &text, &analyze(&d));
        assert_eq!(
            crate::cli::fix::apply(&text, &plan.edits),
            Some(text.replace("${Sendd}", "${Send}"))
        );
    }

    #[test]
    fn json_and_flow_resources_get_the_integration_in_their_style() {
        let json = |target: &str, after: &str| {
            format!(
                "{{\n  \"Resources\": {{\n    \"Api\": {{\"Type\": \"AWS::ApiGatewayV2::Api\", \"Properties\": {{\"Name\": \"orders\", \"ProtocolType\": \"HTTP\"}}}},\n    \"Route\": {{\n      \"Type\": \"AWS::ApiGatewayV2::Route\",\n      \"Properties\": {{\n        \"ApiId\": {{\"Ref\": \"Api\"}},\n        \"RouteKey\": \"POST /orders\",\n        \"Target\": {target}\n      }}\n    }}{after}\n  }}\n}}\n"
            )
        };
        let target = "{\"Fn::Sub\": \"integrations/${Missing}\"}";
        let created = ",\n    \"Missing\": {\n      \"Type\": \"AWS::ApiGatewayV2::Integration\",\n      \"Properties\": {\n        \"ApiId\": {\"Ref\": \"Api\"},\n        \"IntegrationType\": \"AWS_PROXY\",\n        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"PayloadFormatVersion\": \"1.0\",\n        \"CredentialsArn\": {\"Fn::Sub\": \"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/REPLACE_ME\"},\n        \"RequestParameters\": {\n          \"QueueUrl\": {\"Fn::Sub\": \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\"},\n          \"MessageBody\": \"$request.body\"\n        }\n      }\n    }";
        assert_eq!(fixed(&json(target, ""), UNRESOLVED), json(target, created));
        let one_line = "{\"Resources\": {\"Api\": {\"Type\": \"AWS::ApiGatewayV2::Api\", \"Properties\": {\"Name\": \"orders\", \"ProtocolType\": \"HTTP\"}}, \"Route\": {\"Type\": \"AWS::ApiGatewayV2::Route\", \"Properties\": {\"ApiId\": {\"Ref\": \"Api\"}, \"RouteKey\": \"POST /orders\", \"Target\": {\"Fn::Sub\": \"integrations/${Missing}\"}}}}}";
        assert_eq!(
            fixed(one_line, UNRESOLVED),
            one_line.replace(
                "}}}}}",
                "}}}, \"Missing\": {\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {\"ApiId\": {\"Ref\": \"Api\"}, \"IntegrationType\": \"AWS_PROXY\", \"IntegrationSubtype\": \"SQS-SendMessage\", \"PayloadFormatVersion\": \"1.0\", \"CredentialsArn\": {\"Fn::Sub\": \"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/REPLACE_ME\"}, \"RequestParameters\": {\"QueueUrl\": {\"Fn::Sub\": \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\"}, \"MessageBody\": \"$request.body\"}}}}}"
            )
        );
        let flow = "Resources: {Api: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: orders, ProtocolType: HTTP}}, Route: {Type: AWS::ApiGatewayV2::Route, Properties: {ApiId: !Ref Api, RouteKey: POST /orders, Target: !Sub \"integrations/${Missing}\"}}}\n";
        assert_eq!(
            fixed(flow, UNRESOLVED),
            flow.replace(
                "}}}\n",
                "}}, Missing: {Type: AWS::ApiGatewayV2::Integration, Properties: {ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationSubtype: SQS-SendMessage, PayloadFormatVersion: \"1.0\", CredentialsArn: !Sub \"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/REPLACE_ME\", RequestParameters: {QueueUrl: !Sub \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\", MessageBody: $request.body}}}}\n"
            )
        );
    }

    #[test]
    fn a_flow_route_in_a_block_section_gets_a_block_integration() {
        let text = "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: orders, ProtocolType: HTTP}\n  Route: {Type: AWS::ApiGatewayV2::Route, Properties: {ApiId: !Ref Api, RouteKey: POST /orders, Target: !Sub \"integrations/${Missing}\"}}\n";
        assert_eq!(fixed(text, UNRESOLVED), format!("{text}{CREATED}"));
    }

    #[test]
    fn no_integration_for_names_that_cannot_be_declared_or_already_are() {
        // Not a route target: the usual rename or nothing.
        let text = sqs(
            "      ApiId: !Ref Nowhere\n      RequestParameters: {QueueUrl: $stageVariables.q, MessageBody: b}\n",
        );
        let d = doc(&text);
        let finding = analyze(&d)
            .into_iter()
            .find(|f| f.code == UNRESOLVED)
            .expect("finding");
        assert!(finding.fix.is_none(), "{finding:?}");
        // A stale fix: the integration exists now.
        let text = route("!Sub integrations/${Missing}", CREATED);
        let fix = Fix::CreateIntegration {
            name: "Missing".into(),
            rename: None,
        };
        let at = text.find("${Missing}").unwrap_or(0) + 2;
        assert!(quick_fixes(&doc(&text), UNRESOLVED, at..at + 7, &fix).is_empty());
    }
}
