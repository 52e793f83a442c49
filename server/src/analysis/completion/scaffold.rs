//! Scaffolds: whole first-class integrations inserted by one completion, and the
//! values they (and the `RequestParameters` property item) write.
//!
//! At the `Resources` level, one item per subtype inserts the `Integration` with its
//! required parameters, a `Route` targeting it, and an IAM role trusted by API Gateway
//! with exactly the subtype's action on the target, all wired by name; plus what the
//! template lacks for it to deploy: an HTTP API with a `$default` stage, and the target
//! (queue, event bus, stream) when the template has none and it takes no configuration
//! worth asking for. Under an OpenAPI operation, the same subtypes insert an
//! `x-amazon-apigateway-integration`. Names, the route key and what only the author
//! knows are snippet placeholders; their defaults leave the template without an error
//! finding when it has the target.
//!
//! Scaffolds are built as a small value tree ([`Node`]) and written in the file's form:
//! YAML block style with short-form intrinsics in a template, long-form flow mappings in
//! OpenAPI YAML, JSON with the file's indentation.

use std::collections::HashSet;

use super::{Cx, INTEGRATION, escape_snippet, item, matches};
use crate::analysis::context::{At, Cursor, Style};
use crate::analysis::features::{CompletionItem, ItemKind};
use crate::catalog::{self, Parameter, Placeholder, Subtype, Yields};
use crate::document::Document;
use crate::model::Dialect;
use crate::model::Protocol;
use crate::model::facts::ResourceKind;
use crate::model::index::LazyIndex;
use crate::rules::state_machine_type;
use crate::syntax::Language;

/// Text with snippet placeholders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Text(Vec<Piece>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Lit(String),
    /// Placeholder `n` with its default; later uses of `n` mirror the first.
    Tab(u32, String),
}

impl Text {
    pub(super) fn lit(text: impl Into<String>) -> Text {
        Text(vec![Piece::Lit(text.into())])
    }

    pub(super) fn tab(n: u32, default: impl Into<String>) -> Text {
        Text(vec![Piece::Tab(n, default.into())])
    }

    /// This text followed by `other`.
    pub(super) fn then(mut self, other: Text) -> Text {
        self.0.extend(other.0);
        self
    }

    /// The text with the catalog's marker (`REPLACE_ME`) made placeholder `n`.
    pub(super) fn marked(text: &str, n: u32) -> Text {
        let marker = &catalog::catalog().placeholders.marker;
        match text.split_once(marker.as_str()) {
            Some((before, after)) => Text::lit(before)
                .then(Text::tab(n, marker.clone()))
                .then(Text::lit(after)),
            None => Text::lit(text),
        }
    }
}

/// A value to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Node {
    /// A string; `quote` forces quotes in YAML (`"1.0"`, `"2012-10-17"`).
    Scalar {
        text: Text,
        quote: bool,
    },
    Map(Vec<(Text, Node)>),
    Seq(Vec<Node>),
    Ref(Text),
    GetAtt(Text, String),
    Sub(Text),
}

impl Node {
    pub(super) fn text(text: impl Into<String>) -> Node {
        Node::Scalar {
            text: Text::lit(text),
            quote: false,
        }
    }

    pub(super) fn quoted(text: impl Into<String>) -> Node {
        Node::Scalar {
            text: Text::lit(text),
            quote: true,
        }
    }

    fn map(pairs: Vec<(&str, Node)>) -> Node {
        Node::Map(pairs.into_iter().map(|(k, v)| (Text::lit(k), v)).collect())
    }
}

/// How a scaffold is written.
pub(super) struct Writer {
    json: bool,
    /// `!Ref` short forms (a template's YAML); long flow forms otherwise.
    short_forms: bool,
    /// One level of indentation.
    unit: String,
    eol: &'static str,
    seen: HashSet<u32>,
    /// Plain text (placeholders at their defaults) instead of a snippet.
    plain: bool,
}

impl Writer {
    pub(super) fn new(doc: &Document, dialect: Dialect, unit: usize) -> Writer {
        Writer {
            json: doc.language() == Language::Json,
            short_forms: dialect == Dialect::CloudFormation,
            unit: " ".repeat(unit),
            eol: doc.line_ending(),
            seen: HashSet::new(),
            plain: false,
        }
    }

    /// The same writer for plain text: what the snippet gives with its defaults.
    pub(super) fn plain(mut self) -> Writer {
        self.plain = true;
        self.eol = "\n";
        self
    }

    /// Snippet text of `text`: literal parts escaped, JSON-escaped inside JSON strings.
    fn text(&mut self, text: &Text, json_string: bool) -> String {
        let mut out = String::new();
        for piece in &text.0 {
            let (t, tab) = match piece {
                Piece::Lit(t) => (t, None),
                Piece::Tab(n, t) => (t, Some(*n)),
            };
            let t = if json_string {
                let quoted = serde_json::to_string(t).unwrap_or_default();
                quoted[1..quoted.len().saturating_sub(1).max(1)].to_string()
            } else {
                t.clone()
            };
            match tab {
                _ if self.plain => out.push_str(&t),
                None => out.push_str(&escape_snippet(&t)),
                Some(n) if self.seen.insert(n) => {
                    out.push_str(&format!("${{{n}:{}}}", escape_snippet(&t)));
                }
                Some(n) => out.push_str(&format!("${{{n}}}")),
            }
        }
        out
    }

    fn scalar(&mut self, text: &Text, quote: bool) -> String {
        if self.json {
            return format!("\"{}\"", self.text(text, true));
        }
        if quote {
            // Placeholder defaults never hold `"` or `\`.
            return format!("\"{}\"", self.text(text, false));
        }
        self.text(text, false)
    }

    /// A key followed by its value, `indent` being the key's indentation; the first
    /// line carries no indentation (the cursor is there already).
    pub(super) fn members(&mut self, pairs: &[(Text, Node)], indent: &str) -> String {
        if self.json {
            let sep = format!(",{}{indent}", self.eol);
            let parts: Vec<String> = pairs
                .iter()
                .map(|(k, v)| {
                    let key = self.text(k, true);
                    let value = self.json_value(v, indent);
                    format!("\"{key}\": {value}")
                })
                .collect();
            return parts.join(&sep);
        }
        let mut out = String::new();
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push_str(self.eol);
                out.push_str(indent);
            }
            let key = self.text(k, false);
            out.push_str(&key);
            out.push(':');
            out.push_str(&self.yaml_after_key(v, indent));
        }
        out
    }

    /// The YAML after `key:`: ` scalar`, or a line break and the nested block.
    fn yaml_after_key(&mut self, node: &Node, indent: &str) -> String {
        let inner = format!("{indent}{}", self.unit);
        match node {
            Node::Map(pairs) if !pairs.is_empty() => {
                let eol = self.eol;
                format!("{eol}{inner}{}", self.members(pairs, &inner))
            }
            Node::Seq(items) if !items.is_empty() => {
                let mut out = String::new();
                for item in items {
                    out.push_str(self.eol);
                    out.push_str(&inner);
                    out.push_str("- ");
                    out.push_str(&self.yaml_item(item, &format!("{inner}  ")));
                }
                out
            }
            other => format!(" {}", self.yaml_inline(other)),
        }
    }

    /// A sequence item's YAML after `- `, `indent` being where its keys go.
    fn yaml_item(&mut self, node: &Node, indent: &str) -> String {
        match node {
            Node::Map(pairs) if !pairs.is_empty() => self.members(pairs, indent),
            other => self.yaml_inline(other),
        }
    }

    /// A value on one line: a scalar, an empty collection, an intrinsic function.
    fn yaml_inline(&mut self, node: &Node) -> String {
        match (node, self.short_forms) {
            (Node::Scalar { text, quote }, _) => self.scalar(text, *quote),
            (Node::Map(_), _) => "{}".to_string(),
            (Node::Seq(_), _) => "[]".to_string(),
            (Node::Ref(name), true) => format!("!Ref {}", self.text(name, false)),
            (Node::Ref(name), false) => format!("{{Ref: {}}}", self.text(name, false)),
            (Node::GetAtt(name, attr), true) => {
                format!("!GetAtt {}.{attr}", self.text(name, false))
            }
            (Node::GetAtt(name, attr), false) => {
                format!("{{Fn::GetAtt: [{}, {attr}]}}", self.text(name, false))
            }
            (Node::Sub(text), true) => format!("!Sub {}", self.text(text, false)),
            (Node::Sub(text), false) => format!("{{Fn::Sub: \"{}\"}}", self.text(text, false)),
        }
    }

    fn json_value(&mut self, node: &Node, indent: &str) -> String {
        let inner = format!("{indent}{}", self.unit);
        match node {
            Node::Scalar { text, .. } => self.scalar(text, true),
            Node::Map(pairs) if pairs.is_empty() => "{}".to_string(),
            Node::Map(pairs) => {
                let members = self.members(pairs, &inner);
                format!("{{{eol}{inner}{members}{eol}{indent}}}", eol = self.eol)
            }
            Node::Seq(items) if items.is_empty() => "[]".to_string(),
            Node::Seq(items) => {
                let sep = format!(",{}{inner}", self.eol);
                let parts: Vec<String> = items.iter().map(|i| self.json_value(i, &inner)).collect();
                format!(
                    "[{eol}{inner}{}{eol}{indent}]",
                    parts.join(&sep),
                    eol = self.eol
                )
            }
            Node::Ref(name) => format!("{{\"Ref\": \"{}\"}}", self.text(name, true)),
            Node::GetAtt(name, attr) => {
                format!(
                    "{{\"Fn::GetAtt\": [\"{}\", \"{attr}\"]}}",
                    self.text(name, true)
                )
            }
            Node::Sub(text) => format!("{{\"Fn::Sub\": \"{}\"}}", self.text(text, true)),
        }
    }
}

/// The file's indentation unit: how much deeper the first key inside a resource (or
/// OpenAPI path) on a line of its own is than the resource's key; 2 when there is none.
pub(super) fn indent_unit(doc: &Document) -> usize {
    let rope = doc.rope();
    let column = |at: usize| {
        let line = rope.byte_to_line(at);
        (line, at - rope.line_to_byte(line))
    };
    doc.entries()
        .filter(|e| e.section.is_some())
        .take(50)
        .find_map(|e| {
            let (line, key) = column(e.key_span().start);
            let inner = e.value()?.pairs().next()?.key_span().start;
            let (inner_line, inner) = column(inner);
            (inner_line > line && inner > key && inner - key <= 8).then(|| inner - key)
        })
        .unwrap_or(2)
}

/// A resource of the template that `accepts` can name, and how: `Ref` (no attribute)
/// or `Fn::GetAtt` of the attribute.
pub(super) struct Candidate<'i> {
    pub name: &'i str,
    pub type_name: &'i str,
    pub attribute: Option<&'static str>,
    pub kind: &'i ResourceKind,
}

/// How a reference to a resource of `type_name` yields one of `accepts`: `Some(None)`
/// for `Ref`, `Some(Some(attribute))` for `Fn::GetAtt`; `None` when nothing does.
pub(super) fn yields(type_name: &str, accepts: &[String]) -> Option<Option<&'static str>> {
    match catalog::catalog()
        .resource_types
        .get(type_name)?
        .yielding(accepts)?
    {
        Yields::Ref => Some(None),
        Yields::GetAtt(attr) => Some(Some(attr)),
    }
}

/// The template's resources that a reference may name (those of a type in the catalog's
/// `resourceTypes`), in template order, each once: read from the index once per
/// completion request.
pub(super) struct Pool<'i>(Vec<(&'i str, &'i str, &'i ResourceKind)>);

impl<'i> Pool<'i> {
    pub(super) fn of(index: &LazyIndex<'i>) -> Pool<'i> {
        let types = &catalog::catalog().resource_types;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for r in index.get().resources() {
            let Some(type_name) = r.item.type_name.as_deref() else {
                continue;
            };
            if types.contains_key(type_name) && seen.insert(r.item.name.as_str()) {
                out.push((r.item.name.as_str(), type_name, &r.item.kind));
            }
        }
        Pool(out)
    }

    /// The resources whose `Ref` or an attribute yields one of `accepts`.
    pub(super) fn candidates(&self, accepts: &[String]) -> Vec<Candidate<'i>> {
        self.0
            .iter()
            .filter_map(|&(name, type_name, kind)| {
                Some(Candidate {
                    name,
                    type_name,
                    attribute: yields(type_name, accepts)?,
                    kind,
                })
            })
            .collect()
    }

    /// The first resource that the parameter `p` of `subtype` may name (not a state
    /// machine of a type the subtype cannot run).
    fn target_of(&self, subtype: &Subtype, p: &Parameter) -> Option<Candidate<'i>> {
        let accepts = p.constraints.accepts.as_deref()?;
        self.candidates(accepts)
            .into_iter()
            .find(|c| !state_machine_type::refuses(&subtype.name, c.kind))
    }
}

/// A reference to `name` as the file writes it: `!Ref Queue`, `!GetAtt Queue.Arn` in a
/// template's YAML, `{Ref: Queue}` in OpenAPI YAML (included files take no short
/// forms), `{"Ref": "Queue"}` in JSON.
pub(super) fn reference_text(
    doc: &Document,
    dialect: Dialect,
    name: &str,
    attribute: Option<&str>,
) -> String {
    if dialect.is_terraform() || doc.language() == Language::Terraform {
        // A Terraform reference is a traversal: `aws_sqs_queue.orders.url` (also in an
        // OpenAPI body written with `jsonencode`).
        return match attribute {
            Some(a) => format!("{name}.{a}"),
            None => name.to_string(),
        };
    }
    let mut writer = Writer::new(doc, dialect, 2).plain();
    let node = reference(Text::lit(name), attribute);
    if writer.json {
        writer.json_value(&node, "")
    } else {
        writer.yaml_inline(&node)
    }
}

/// The reference node for a candidate, its name being `name`.
fn reference(name: Text, attribute: Option<&str>) -> Node {
    match attribute {
        None => Node::Ref(name),
        Some(a) => Node::GetAtt(name, a.to_string()),
    }
}

/// The value a new parameter gets: a reference to the template's first resource it
/// accepts, else the catalog's placeholder (a `Fn::Sub`, or text; the marker becomes
/// placeholder `tab`). `intrinsics`: whether the file may hold intrinsic functions.
pub(super) fn parameter_value(
    pool: &Pool<'_>,
    subtype: &Subtype,
    p: &Parameter,
    tab: u32,
    intrinsics: bool,
) -> Node {
    if intrinsics && let Some(c) = pool.target_of(subtype, p) {
        return reference(Text::tab(tab, c.name), c.attribute);
    }
    match catalog::catalog().placeholders.for_parameter(&p.name) {
        Placeholder::Sub(text) if intrinsics => Node::Sub(Text::marked(&text, tab)),
        Placeholder::Sub(text) | Placeholder::Text(text) => Node::Scalar {
            text: Text::marked(&text, tab),
            quote: false,
        },
    }
}

// ---------------------------------------------------------------------------------------
// At the Resources level
// ---------------------------------------------------------------------------------------

/// The target the scaffold creates when the template has none and it needs no
/// decision but a name: its base name, type and properties.
fn new_target(
    subtype: &Subtype,
    tab: &mut dyn FnMut() -> u32,
) -> Option<(&'static str, &'static str, Node)> {
    match subtype.service.as_str() {
        "sqs" => Some(("Queue", "AWS::SQS::Queue", Node::Map(Vec::new()))),
        "events" => Some((
            "EventBus",
            "AWS::Events::EventBus",
            Node::Map(vec![(
                Text::lit("Name"),
                Node::Scalar {
                    text: Text::tab(tab(), "events"),
                    quote: false,
                },
            )]),
        )),
        "kinesis" => Some((
            "Stream",
            "AWS::Kinesis::Stream",
            Node::map(vec![(
                "StreamModeDetails",
                Node::map(vec![("StreamMode", Node::text("ON_DEMAND"))]),
            )]),
        )),
        _ => None,
    }
}

/// The method and path of the scaffold's route: by what the action does; numbered when
/// the API has that key already.
fn route_key(index: &LazyIndex<'_>, api: Option<&str>, subtype: &Subtype) -> String {
    let key = base_route_key(subtype);
    let taken = |k: &str| api.is_some_and(|api| index.get().first_route(api, k).is_some());
    if !taken(&key) {
        return key;
    }
    (2..100)
        .map(|n| format!("{key}-{n}"))
        .find(|k| !taken(k))
        .unwrap_or(key)
}

fn base_route_key(subtype: &Subtype) -> String {
    let op = subtype.operation.as_str();
    let method = match op {
        "ReceiveMessage" | "GetConfiguration" => "GET",
        "DeleteMessage" | "PurgeQueue" | "StopExecution" => "DELETE",
        _ => "POST",
    };
    let mut path = String::new();
    for (i, c) in op.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            path.push('-');
        }
        path.push(c.to_ascii_lowercase());
    }
    format!("{method} /{path}")
}

/// `base`, or `base2`, `base3`, ... so that none of `base` + `suffixes` is taken.
fn unique(index: &LazyIndex<'_>, base: &str, suffixes: &[&str]) -> String {
    crate::analysis::features::numbered(base, |b| {
        suffixes
            .iter()
            .any(|s| index.get().resource(&format!("{b}{s}")).is_some())
    })
}

/// An ARN that covers every resource of the subtype's service in the stack's account
/// and Region.
fn service_arn(subtype: &Subtype) -> Text {
    Text::lit(format!(
        "arn:${{AWS::Partition}}:{}:${{AWS::Region}}:${{AWS::AccountId}}:*",
        subtype.service
    ))
}

/// The ARN of a resource for a policy statement, from the catalog's reference kinds:
/// `Ref` when it yields the ARN, else the attribute that does.
fn arn_of(type_name: &str, name: Text) -> Option<Node> {
    match catalog::catalog().resource_types.get(type_name)?.arn()? {
        Yields::Ref => Some(Node::Ref(name)),
        Yields::GetAtt(attr) => Some(Node::GetAtt(name, attr.to_string())),
    }
}

/// The scaffold items at the `Resources` level, where a new logical ID is being typed.
pub(super) fn resources(
    doc: &Document,
    index: &LazyIndex<'_>,
    offset: usize,
    cursor: &Cursor,
) -> Vec<CompletionItem> {
    let At::Key {
        token,
        colon_follows: false,
    } = &cursor.at
    else {
        return Vec::new();
    };
    if cursor.style == Style::Flow
        || token
            .as_ref()
            .is_some_and(|t| t.quote.is_some() && doc.language() == Language::Yaml)
    {
        return Vec::new();
    }
    let Some(indent) = cursor.line_indent.clone() else {
        return Vec::new();
    };
    let replace = token
        .as_ref()
        .map_or(offset..offset, |t| t.span.start..offset);
    let typed = {
        let rope = doc.rope();
        let text = String::from(rope.byte_slice(replace.clone()));
        text.trim_start_matches('"').to_string()
    };
    let unit = indent_unit(doc);
    let trailing_comma = doc.language() == Language::Json && member_follows(doc, offset);
    let pool = Pool::of(index);
    let mut out = Vec::new();
    for (i, subtype) in catalog::catalog().subtypes.iter().enumerate() {
        if !matches(&typed, &subtype.name) && !matches(&typed, &subtype.operation) {
            continue;
        }
        let (pairs, creates) = resource_scaffold(index, &pool, subtype);
        let mut writer = Writer::new(doc, Dialect::CloudFormation, unit);
        let mut text = writer.members(&pairs, &indent);
        if trailing_comma {
            text.push(',');
        }
        let preview = Writer::new(doc, Dialect::CloudFormation, unit)
            .plain()
            .members(&pairs, "");
        out.push(CompletionItem {
            // The detail is plain text: no Markdown backticks.
            detail: Some(format!("new {}", creates.join(", ").replace('`', ""))),
            documentation: Some(format!(
                "{}\n\nInserts {}, wired by name: the role is trusted by API Gateway and allowed `{}` on the target.\n\n```{}\n{}\n```",
                subtype.summary,
                creates.join(", "),
                subtype.iam_action,
                if doc.language() == Language::Json { "json" } else { "yaml" },
                preview
            )),
            insert_text: text,
            is_snippet: true,
            sort_text: Some(format!("{}{i:02}", u8::from(subtype.deprecated))),
            filter_text: Some(format!("{} {}", subtype.name, subtype.operation)),
            ..item(
                format!("{} integration", subtype.name),
                ItemKind::Snippet,
                replace.clone(),
            )
        });
    }
    out
}

/// Whether another JSON member follows `offset` (a comma must end the insertion).
pub(super) fn member_follows(doc: &Document, offset: usize) -> bool {
    doc.rope()
        .byte_slice(offset..)
        .chars()
        .find(|c| !c.is_whitespace())
        == Some('"')
}

/// The resources of the scaffold for `subtype`, and what they are, in words.
fn resource_scaffold(
    index: &LazyIndex<'_>,
    pool: &Pool<'_>,
    subtype: &Subtype,
) -> (Vec<(Text, Node)>, Vec<String>) {
    let mut creates = vec![
        "`AWS::ApiGatewayV2::Integration`".to_string(),
        "`Route`".to_string(),
        "IAM role".to_string(),
    ];
    let base = unique(index, &subtype.operation, &["Integration", "Route", "Role"]);
    let name = |suffix: &str| Text::tab(1, base.clone()).then(Text::lit(suffix));
    let mut next_tab = 3;
    let mut tab = || {
        next_tab += 1;
        next_tab
    };
    let mut out: Vec<(Text, Node)> = Vec::new();
    // The API: the template's HTTP API, or a new one with a `$default` stage.
    let api = index.get().resources().find_map(|r| match &r.item.kind {
        ResourceKind::Api {
            protocol: Some(Protocol::Http) | None,
            has_body: false,
        } if r.item.type_name.as_deref() == Some(super::API) => Some(r.item.name.clone()),
        _ => None,
    });
    let route_key = route_key(index, api.as_deref(), subtype);
    let api_name = match api {
        Some(api) => Text::tab(3, api),
        None => {
            let api = unique(index, "HttpApi", &["", "Stage"]);
            let name = Text::tab(3, api);
            out.push((
                name.clone(),
                Node::map(vec![
                    ("Type", Node::text(super::API)),
                    (
                        "Properties",
                        Node::Map(vec![
                            (
                                Text::lit("Name"),
                                Node::Scalar {
                                    text: name.clone(),
                                    quote: false,
                                },
                            ),
                            (Text::lit("ProtocolType"), Node::text("HTTP")),
                        ]),
                    ),
                ]),
            ));
            out.push((
                name.clone().then(Text::lit("Stage")),
                Node::map(vec![
                    ("Type", Node::text("AWS::ApiGatewayV2::Stage")),
                    (
                        "Properties",
                        Node::Map(vec![
                            (Text::lit("ApiId"), Node::Ref(name.clone())),
                            (Text::lit("StageName"), Node::quoted("$default")),
                            (Text::lit("AutoDeploy"), Node::text("true")),
                        ]),
                    ),
                ]),
            ));
            creates.push("an HTTP API with a `$default` stage".to_string());
            name
        }
    };
    // The parameters, and the target the role's statement is about.
    let mut params: Vec<(Text, Node)> = Vec::new();
    let mut target: Option<Node> = None;
    for p in &subtype.parameters {
        let accepts = p.constraints.accepts.as_deref();
        let found = pool.target_of(subtype, p);
        match (found, accepts) {
            (Some(c), _) => {
                let t = tab();
                params.push((
                    Text::lit(&p.name),
                    reference(Text::tab(t, c.name), c.attribute),
                ));
                if target.is_none() {
                    target = arn_of(c.type_name, Text::tab(t, c.name));
                }
            }
            (None, Some(accepts)) if target.is_none() => {
                let t = tab();
                let created =
                    new_target(subtype, &mut tab).and_then(|(base_name, type_name, props)| {
                        Some((base_name, type_name, props, yields(type_name, accepts)?))
                    });
                match created {
                    Some((base_name, type_name, props, attribute)) => {
                        let target_name = Text::tab(t, unique(index, base_name, &[""]));
                        let mut resource = vec![(Text::lit("Type"), Node::text(type_name))];
                        if !matches!(&props, Node::Map(p) if p.is_empty()) {
                            resource.push((Text::lit("Properties"), props));
                        }
                        out.push((target_name.clone(), Node::Map(resource)));
                        creates.push(format!("`{type_name}`"));
                        params.push((
                            Text::lit(&p.name),
                            reference(target_name.clone(), attribute),
                        ));
                        target = arn_of(type_name, target_name);
                    }
                    None if p.required => {
                        params.push((
                            Text::lit(&p.name),
                            parameter_value(pool, subtype, p, t, true),
                        ));
                    }
                    None => {}
                }
            }
            _ if p.required => {
                let t = tab();
                params.push((
                    Text::lit(&p.name),
                    parameter_value(pool, subtype, p, t, true),
                ));
            }
            _ => {}
        }
    }
    let target = target.unwrap_or_else(|| Node::Sub(service_arn(subtype)));
    let iam = &catalog::catalog().iam;
    let version = || ("Version", Node::quoted(iam.policy_version.clone()));
    out.push((
        name("Role"),
        Node::map(vec![
            ("Type", Node::text("AWS::IAM::Role")),
            (
                "Properties",
                Node::map(vec![
                    (
                        "AssumeRolePolicyDocument",
                        Node::map(vec![
                            version(),
                            (
                                "Statement",
                                Node::Seq(vec![Node::map(vec![
                                    ("Effect", Node::text("Allow")),
                                    (
                                        "Principal",
                                        Node::map(vec![(
                                            "Service",
                                            Node::text(iam.trust_service.clone()),
                                        )]),
                                    ),
                                    ("Action", Node::text(iam.assume_role_action.clone())),
                                ])]),
                            ),
                        ]),
                    ),
                    (
                        "Policies",
                        Node::Seq(vec![Node::map(vec![
                            ("PolicyName", Node::text(subtype.name.clone())),
                            (
                                "PolicyDocument",
                                Node::map(vec![
                                    version(),
                                    (
                                        "Statement",
                                        Node::Seq(vec![Node::map(vec![
                                            ("Effect", Node::text("Allow")),
                                            ("Action", Node::text(subtype.iam_action.clone())),
                                            ("Resource", target),
                                        ])]),
                                    ),
                                ]),
                            ),
                        ])]),
                    ),
                ]),
            ),
        ]),
    ));
    let meta = &catalog::catalog().meta;
    out.push((
        name("Integration"),
        Node::map(vec![
            ("Type", Node::text(INTEGRATION)),
            (
                "Properties",
                Node::Map(vec![
                    (Text::lit("ApiId"), Node::Ref(api_name.clone())),
                    (
                        Text::lit("IntegrationType"),
                        Node::text(meta.integration_type.clone()),
                    ),
                    (
                        Text::lit("IntegrationSubtype"),
                        Node::text(subtype.name.clone()),
                    ),
                    (
                        Text::lit("PayloadFormatVersion"),
                        Node::quoted(meta.payload_format_version.clone()),
                    ),
                    (
                        Text::lit("CredentialsArn"),
                        Node::GetAtt(name("Role"), "Arn".to_string()),
                    ),
                    (Text::lit("RequestParameters"), Node::Map(params)),
                ]),
            ),
        ]),
    ));
    out.push((
        name("Route"),
        Node::map(vec![
            ("Type", Node::text(super::ROUTE)),
            (
                "Properties",
                Node::Map(vec![
                    (Text::lit("ApiId"), Node::Ref(api_name)),
                    (
                        Text::lit("RouteKey"),
                        Node::Scalar {
                            text: Text::tab(2, route_key),
                            quote: false,
                        },
                    ),
                    (
                        Text::lit("Target"),
                        Node::Sub(
                            Text::lit("integrations/${")
                                .then(name("Integration"))
                                .then(Text::lit("}")),
                        ),
                    ),
                ]),
            ),
        ]),
    ));
    (out, creates)
}

// ---------------------------------------------------------------------------------------
// Under an OpenAPI operation
// ---------------------------------------------------------------------------------------

/// At a new key of an OpenAPI operation: the `x-amazon-apigateway-integration` key, and
/// one whole integration per subtype.
pub(super) fn operation(cx: &Cx<'_, '_>) -> Vec<CompletionItem> {
    let key = crate::model::openapi::INTEGRATION_KEY;
    if cx.facts.fields_present.iter().any(|k| k == key) {
        return Vec::new();
    }
    let Some(slot) = super::key_slot(cx) else {
        return Vec::new();
    };
    // YAML block or JSON only (not flow, not HCL).
    if matches!(cx.cursor.style, Style::Flow | Style::Hcl) {
        return Vec::new();
    }
    let q = slot.quote.map(String::from).unwrap_or_default();
    let indent = cx.cursor.line_indent.clone();
    let unit = indent_unit(cx.doc);
    let mut out = Vec::new();
    if matches(&slot.typed, key) {
        let insert_text = match (cx.json(), &indent, slot.colon_follows) {
            (_, _, true) => format!("{q}{key}{q}"),
            (true, _, false) => format!("\"{key}\": {{$0}}"),
            (false, Some(indent), false) => {
                format!("{key}:\n{indent}{}$0", " ".repeat(unit))
            }
            (false, None, false) => format!("{key}: "),
        };
        out.push(CompletionItem {
            detail: Some("API Gateway integration of this operation".to_string()),
            documentation: Some(
                "The integration API Gateway calls for this route: for a first-class integration, `type: aws_proxy`, an `integrationSubtype`, `credentials`, `payloadFormatVersion: \"1.0\"` and the subtype's `requestParameters`.".to_string(),
            ),
            is_snippet: insert_text.contains("$0"),
            insert_text,
            sort_text: Some("0".to_string()),
            retrigger: true,
            filter_text: Some(format!("{q}{key}")),
            ..item(key, ItemKind::Property, slot.replace.clone())
        });
    }
    let Some(indent) = indent else {
        return out;
    };
    if slot.colon_follows || !(matches(&slot.typed, key) || slot.typed.is_empty()) {
        return out;
    }
    let pool = Pool::of(cx.index);
    let intrinsics =
        cx.facts.host == super::Host::Inline || cx.index.get().resources().next().is_some();
    for (i, subtype) in catalog::catalog().subtypes.iter().enumerate() {
        let fields = openapi_fields(&pool, subtype, intrinsics);
        let pairs = vec![(Text::lit(key), Node::Map(fields))];
        let mut writer = Writer::new(cx.doc, Dialect::OpenApi, unit);
        let mut text = writer.members(&pairs, &indent);
        if cx.json() && member_follows(cx.doc, cx.offset) {
            text.push(',');
        }
        out.push(CompletionItem {
            detail: Some(format!("{} integration", super::service_call(subtype))),
            documentation: Some(format!(
                "{}\n\nInserts `{key}` with `type: aws_proxy`, the subtype, `credentials`, `payloadFormatVersion: \"1.0\"` and the required `requestParameters`.",
                subtype.summary
            )),
            insert_text: text,
            is_snippet: true,
            sort_text: Some(format!("1{}{i:02}", u8::from(subtype.deprecated))),
            filter_text: Some(format!("{q}{key} {}", subtype.name)),
            ..item(
                format!("{} integration", subtype.name),
                ItemKind::Snippet,
                slot.replace.clone(),
            )
        });
    }
    out
}

/// The fields of an OpenAPI first-class integration for `subtype`.
fn openapi_fields(pool: &Pool<'_>, subtype: &Subtype, intrinsics: bool) -> Vec<(Text, Node)> {
    let meta = &catalog::catalog().meta;
    let role = intrinsics
        .then(|| {
            let roles = pool.candidates(&catalog::catalog().credentials_accepts);
            let trusted = roles.iter().position(|c| {
                matches!(
                    c.kind,
                    ResourceKind::Role {
                        trusts_api_gateway: Some(true),
                        ..
                    }
                )
            });
            trusted
                .and_then(|i| roles.into_iter().nth(i))
                .map(|c| reference(Text::tab(1, c.name), c.attribute))
        })
        .flatten();
    let role = role.unwrap_or_else(|| match &catalog::catalog().placeholders.credentials {
        Placeholder::Sub(text) if intrinsics => Node::Sub(Text::marked(text, 1)),
        Placeholder::Sub(text) | Placeholder::Text(text) => Node::Scalar {
            text: Text::marked(text, 1),
            quote: false,
        },
    });
    let params = subtype
        .required_params()
        .enumerate()
        .map(|(i, p)| {
            (
                Text::lit(&p.name),
                parameter_value(pool, subtype, p, 2 + i as u32, intrinsics),
            )
        })
        .collect();
    vec![
        (Text::lit("type"), Node::text(Dialect::OpenApi.proxy_type())),
        (
            Text::lit("integrationSubtype"),
            Node::text(subtype.name.clone()),
        ),
        (Text::lit("credentials"), role),
        (
            Text::lit("payloadFormatVersion"),
            Node::quoted(meta.payload_format_version.clone()),
        ),
        (Text::lit("requestParameters"), Node::Map(params)),
    ]
}
