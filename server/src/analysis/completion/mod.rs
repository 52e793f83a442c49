//! Completion: subtype names, field values, request-parameter keys and mapping
//! expressions, from the cursor's context and the catalog.
//!
//! Integrations are completed wherever they are written: `AWS::ApiGatewayV2::Integration`
//! resources (CloudFormation spelling) and OpenAPI `x-amazon-apigateway-integration`
//! mappings (OpenAPI spelling: `integrationSubtype`, `type`, `requestParameters`, ...) on
//! operations or shared under `components.x-amazon-apigateway-integrations`, in
//! standalone OpenAPI 3 documents or inline in a SAM `HttpApi` `DefinitionBody` /
//! `AWS::ApiGatewayV2::Api` `Body`.
//!
//! The context (key path, token, and where that is) comes from [`context`]: the value
//! tree when the entry parses, the text around the cursor otherwise, so half-typed
//! lines that do not parse yet still complete. The integration's facts (subtype, keys
//! already present, API) come from the same tree, or, after the text reader, from
//! parsing just that resource with the typed token removed.
//!
//! | where | what |
//! | --- | --- |
//! | `IntegrationSubtype:` value | the ten subtypes |
//! | `IntegrationType:` / `PayloadFormatVersion:` value (subtype set) | `AWS_PROXY`, `"1.0"` |
//! | `RequestParameters` key | the subtype's keys not yet present, required first, plus one snippet adding every missing required key |
//! | `RouteKey` value of an `AWS::ApiGatewayV2::Route` | by the API's protocol: `$connect`, `$disconnect`, `$default` (WebSocket); `$default`, `METHOD /path` (HTTP); both when the API is not in the template |
//! | `RequestParameters` value | `$request.` / `$context.` / `$stageVariables.` level by level, route path variables, stage variables; bare or inside `${...}` |
//!
//! Path variables come from the routes targeting a resource, or from the OpenAPI path of
//! the operation (for a shared integration, of every operation `$ref`-ing it). Stage
//! variables come from the API's stages; a standalone OpenAPI file has none.

#[cfg(test)]
mod authoring_tests;
mod properties;
mod scaffold;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tf_tests;

use std::ops::Range;

use super::context::{self, At, Context, Cursor, Host, Place, Site, Source, Spot, Style, Token};
use super::features::{CompletionItem, ItemKind};
use crate::catalog::{
    self, ContextChildKind, ExpressionRoot, Parameter, PartKind, Phase, RootKind, Subtype,
};
use crate::document::Document;
use crate::model::facts::{self, PathVariable, ResourceKind, path_variables as key_path_variables};
use crate::model::index::LazyIndex;
use crate::model::intrinsics::ref_name;
use crate::model::openapi;
use crate::model::provider::{
    INTEGRATION as TF_INTEGRATION, ROUTE as TF_ROUTE, address_type, decoded,
};
use crate::model::tf_module;
use crate::model::{Dialect, Field, Integration, Origin, Protocol, Resource};
use crate::position;
use crate::syntax::{Language, NodeRef, PairRef};

const PROPERTIES: &str = "Properties";
const INTEGRATION: &str = "AWS::ApiGatewayV2::Integration";
const ROUTE: &str = "AWS::ApiGatewayV2::Route";
const API: &str = "AWS::ApiGatewayV2::Api";
const HTTP_API: &str = "AWS::Serverless::HttpApi";

/// The most items one answer holds; a longer list is cut (the best first, by sort
/// text) and marked incomplete, so the client asks again as the user types.
pub const MAX_ITEMS: usize = 100;

/// [`complete`], at most [`MAX_ITEMS`] of them, and whether the list was cut.
pub fn complete_capped<'i>(
    doc: &Document,
    index: impl Into<LazyIndex<'i>>,
    offset: usize,
) -> (Vec<CompletionItem>, bool) {
    let mut items = complete(doc, index, offset);
    if items.len() <= MAX_ITEMS {
        return (items, false);
    }
    items.sort_by(|a, b| {
        (a.sort_text.as_deref().unwrap_or(&a.label), &a.label)
            .cmp(&(b.sort_text.as_deref().unwrap_or(&b.label), &b.label))
    });
    items.truncate(MAX_ITEMS);
    (items, true)
}

/// Completion items at byte `offset`.
pub fn complete<'i>(
    doc: &Document,
    index: impl Into<LazyIndex<'i>>,
    offset: usize,
) -> Vec<CompletionItem> {
    let index = index.into();
    let offset = position::floor_char_boundary(doc.rope(), offset);
    let Some(context) = context::at(doc, offset) else {
        return Vec::new();
    };
    // Decide from the key path first: the integration is only read where there is a
    // context.
    let Some(site) =
        context::site(&context.cursor.keys(), context.cursor.on()).filter(|s| !s.nested)
    else {
        return Vec::new();
    };
    if site.host == Host::Standalone && !is_openapi(doc) {
        return Vec::new();
    }
    // Terraform's key paths only in Terraform (a YAML `resource:` or `module:` is not),
    // and no others there.
    if site.is_terraform() != (doc.language() == Language::Terraform) {
        return Vec::new();
    }
    if site.place == Place::ResourceName {
        // Scaffolds are written in YAML or JSON; none for a Terraform block's label.
        if site.host == Host::Block {
            return Vec::new();
        }
        return scaffold::resources(doc, &index, offset, &context.cursor);
    }
    let Some(facts) = Facts::of(&context, &site, doc) else {
        return Vec::new();
    };
    let cx = Cx {
        doc,
        index: &index,
        offset,
        cursor: &context.cursor,
        facts: &facts,
    };
    let route = facts.is(ROUTE) || facts.is(TF_ROUTE);
    match site.place {
        Place::FieldValue {
            name: "Target" | "target",
            ..
        } if route => route_targets(&cx),
        Place::FieldValue {
            name: "RouteKey" | "route_key",
            ..
        } if route => route_keys(&cx),
        Place::FieldKey { .. } => properties::names(&cx),
        Place::FieldValue { name, .. } => field_values(&cx, name),
        // Only an integration's parameters (not a REST API's `request_parameters`).
        Place::ParamKey | Place::ParamValue
            if site.host == Host::Block && !properties::is_integration(&facts) =>
        {
            Vec::new()
        }
        Place::ParamKey => parameter_keys(&cx),
        Place::ParamValue => expressions(&cx),
        Place::OperationKey => scaffold::operation(&cx),
        _ => Vec::new(),
    }
}

/// Whether the document is an OpenAPI document: a top-level `openapi` key.
fn is_openapi(doc: &Document) -> bool {
    if doc
        .entries()
        .any(|e| e.section.is_none() && e.key() == Some("openapi"))
    {
        return true;
    }
    // The entry may be lost to a syntax error nearby: look at the first lines.
    let rope = doc.rope();
    (0..rope.len_lines().min(50)).any(|l| {
        let line = String::from(rope.line(l));
        line.starts_with("openapi:")
            || (doc.language() == Language::Json
                && line.trim_start().starts_with("\"openapi\"")
                && l < 3)
    })
}

/// What the unit around the cursor says about itself: the resource (or OpenAPI
/// operation) and, when it is one, the integration.
#[derive(Debug)]
struct Facts {
    /// The resource's logical ID (for the index's routes); empty for OpenAPI.
    name: String,
    host: Host,
    dialect: Dialect,
    /// The CloudFormation resource type (`None` for OpenAPI).
    type_name: Option<String>,
    /// The keys of the mapping the cursor's key goes into (`Properties`, the extension's
    /// mapping, the operation), the one being typed left out.
    fields_present: Vec<String>,
    subtype: Option<String>,
    has_subtype: bool,
    /// Whether the fields are an integration's (a Terraform integration resource or a
    /// module route's; always in OpenAPI).
    integration: bool,
    /// Keys already in `RequestParameters` (the one being typed left out).
    present: Vec<String>,
    /// The API: `ApiId: !Ref X`, the API resource itself, or the API holding an inline
    /// body.
    api: Option<String>,
    /// OpenAPI: the route (`POST /runs/{runName}`) and path of the operation the
    /// integration is written on.
    routes: Vec<(String, String)>,
    /// OpenAPI: the name of the shared integration around the cursor (the operations
    /// using it are the index's).
    shared: Option<String>,
}

impl Facts {
    /// Reads the unit around the cursor: from the entry's tree when the context came
    /// from it, otherwise from the unit's text parsed alone.
    fn of(context: &Context<'_>, site: &Site<'_>, doc: &Document) -> Option<Facts> {
        match &context.source {
            Source::Tree(located) => {
                let unit = located.unit.as_ref()?;
                // The key being typed is not yet present.
                let typing = match &context.cursor.at {
                    At::Key { token: Some(t), .. } => Some(t.span.clone()),
                    _ => None,
                };
                Facts::read(unit, site, typing)
            }
            Source::Text { unit_text } => {
                let text = match doc.language() {
                    Language::Json => format!("{{{unit_text}}}"),
                    Language::Yaml | Language::Terraform => unit_text.clone(),
                };
                Facts::of_unit(
                    &Document::new(&text, doc.language(), 0),
                    &context.unit,
                    site,
                )
            }
            Source::Repaired(unit_doc) => Facts::of_unit(unit_doc, &context.unit, site),
        }
    }

    /// Reads the unit named `name` of a unit's text parsed alone.
    fn of_unit(unit_doc: &Document, name: &str, site: &Site<'_>) -> Option<Facts> {
        let entry = unit_doc.entries().find(|e| e.key() == Some(name))?;
        let unit = Resource {
            name: entry.key()?,
            name_span: entry.key_span(),
            value: entry.value()?,
        };
        Facts::read(&unit, site, None)
    }

    /// Reads the unit around the cursor (a resource, a path item, the shared
    /// integrations); `typing` is the span of a key being typed.
    fn read(
        resource: &Resource<'_>,
        site: &Site<'_>,
        typing: Option<Range<usize>>,
    ) -> Option<Facts> {
        let typed = |p: &PairRef<'_>| {
            let key = p.key_span();
            typing
                .as_ref()
                .is_some_and(|t| t.start <= key.start && key.end <= t.end)
        };
        let mut routes = Vec::new();
        let type_name = resource.type_name();
        let (fields, api, integration_here) = match site.host {
            Host::Resource => {
                let fields = resource.value.get(PROPERTIES).filter(|p| p.is_map());
                let api = match type_name {
                    Some(API | HTTP_API) => Some(resource.name.to_string()),
                    _ => fields.and_then(|f| f.get("ApiId")).and_then(ref_name),
                };
                (fields, api, type_name == Some(INTEGRATION))
            }
            Host::Inline => {
                context::inline_body(resource, site)?;
                (
                    walk(resource.value, &site.fields),
                    Some(resource.name.to_string()),
                    site.place != Place::OperationKey,
                )
            }
            Host::Standalone => (
                walk(resource.value, &site.fields),
                None,
                site.place != Place::OperationKey,
            ),
            Host::Block => {
                let fields = walk(resource.value, &site.fields);
                let api = fields
                    .and_then(|f| f.get("api_id"))
                    .and_then(facts::terraform_api);
                // A module route's integration (`routes`/`integrations` entries), or a
                // resource's arguments.
                let module_route = site
                    .fields
                    .get(1)
                    .filter(|_| site.fields.len() >= 2 && tf_module::is_ours(resource.value));
                if let Some(route) = module_route {
                    let path = route.split_once(' ').map_or("", |(_, p)| p);
                    routes.push((route.to_string(), path.to_string()));
                }
                let integration_here =
                    module_route.is_some() || address_type(resource.name) == Some(TF_INTEGRATION);
                (fields, api, integration_here)
            }
        };
        if let Some(Spot::Operation { method, path }) = &site.spot {
            let method = openapi::method_name(method).unwrap_or("ANY");
            routes.push((format!("{method} {path}"), path.clone()));
        }
        let integration = fields
            .filter(|_| integration_here)
            .map(|fields| Integration {
                dialect: site.dialect,
                name: resource.name,
                anchor: resource.name_span.clone(),
                fields,
                // A module route's (its `jsonencode`d parameters are read as a map).
                origin: match routes.first() {
                    Some(_) if site.host == Host::Block => Origin::Route {
                        route: resource.name,
                        route_span: resource.name_span.clone(),
                    },
                    _ => Origin::Resource,
                },
            });
        let present = integration
            .as_ref()
            .and_then(Integration::request_parameters)
            .map(|p| {
                p.pairs()
                    .filter(|p| !typed(p))
                    .map(|p| p.key().to_string())
                    .collect()
            })
            .unwrap_or_default();
        Some(Facts {
            name: resource.name.to_string(),
            host: site.host,
            dialect: site.dialect,
            type_name: match site.host {
                Host::Resource => type_name,
                Host::Block if site.fields.is_empty() => address_type(resource.name),
                _ => None,
            }
            .map(str::to_string),
            fields_present: fields
                .map(|f| {
                    f.pairs()
                        .filter(|p| !typed(p))
                        .map(|p| p.key().to_string())
                        .collect()
                })
                .unwrap_or_default(),
            subtype: integration
                .as_ref()
                .and_then(Integration::subtype_name)
                .map(str::to_string),
            has_subtype: integration.as_ref().is_some_and(Integration::has_subtype),
            integration: integration.is_some(),
            present,
            api,
            routes,
            shared: match &site.spot {
                Some(Spot::Shared { name }) => Some(name.clone()),
                _ => None,
            },
        })
    }

    fn subtype(&self) -> Option<&'static Subtype> {
        catalog::catalog().subtype(self.subtype.as_deref()?)
    }

    /// Whether the unit is a CloudFormation resource of this type.
    fn is(&self, type_name: &str) -> bool {
        self.type_name.as_deref() == Some(type_name)
    }
}

/// Follows `keys` down from `node` (through Terraform's `jsonencode`); the end must be
/// a mapping.
fn walk<'a>(node: NodeRef<'a>, keys: &[&str]) -> Option<NodeRef<'a>> {
    keys.iter()
        .try_fold(node, |n, k| decoded(n).get(k))
        .map(decoded)
        .filter(|n| n.is_map())
}

struct Cx<'a, 'i> {
    doc: &'a Document,
    index: &'a LazyIndex<'i>,
    offset: usize,
    cursor: &'a Cursor,
    facts: &'a Facts,
}

impl Cx<'_, '_> {
    fn json(&self) -> bool {
        self.cursor.style == Style::Json
    }

    /// Whether literal values are always quoted (JSON, HCL).
    fn quoted_values(&self) -> bool {
        matches!(self.cursor.style, Style::Json | Style::Hcl)
    }

    /// Whether the file is Terraform (HCL): `key = value`, bare references, `$${` for a
    /// literal `${`.
    fn hcl(&self) -> bool {
        self.cursor.style == Style::Hcl
    }

    fn text(&self, range: Range<usize>) -> String {
        let rope = self.doc.rope();
        let end = position::floor_char_boundary(rope, range.end);
        let start = position::floor_char_boundary(rope, range.start.min(end));
        String::from(rope.byte_slice(start..end))
    }
}

/// Whether `typed` starts the candidate or one of its words (after `-`, `.`, `_`, or a
/// lower-to-upper case change), ignoring case: `SQS-` and `send` both find
/// `SQS-SendMessage`. Looser matching is left to the client.
fn matches(typed: &str, candidate: &str) -> bool {
    if typed.is_empty() {
        return true;
    }
    let typed = typed.to_lowercase();
    let starts = |i: usize| candidate[i..].to_lowercase().starts_with(&typed);
    if starts(0) {
        return true;
    }
    let mut prev: Option<char> = None;
    candidate.char_indices().any(|(i, c)| {
        let word_start = match prev {
            Some(p) => matches!(p, '-' | '.' | '_') || (p.is_lowercase() && c.is_uppercase()),
            None => false,
        };
        prev = Some(c);
        word_start && starts(i)
    })
}

/// Escapes text for an LSP snippet.
fn escape_snippet(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn item(label: impl Into<String>, kind: ItemKind, replace: Range<usize>) -> CompletionItem {
    CompletionItem {
        label: label.into(),
        kind,
        detail: None,
        documentation: None,
        insert_text: String::new(),
        is_snippet: false,
        replace,
        sort_text: None,
        filter_text: None,
        preselect: false,
        retrigger: false,
    }
}

// ---------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------

/// Where and how a value is written at the cursor.
#[derive(Debug, Clone)]
struct ValueSlot {
    /// The typed text (inside quotes) up to the cursor.
    replace: Range<usize>,
    typed: String,
    /// Written before the value (a space after `Key:`, an opening quote).
    open: String,
    /// Written after it (a missing closing quote).
    close: String,
    in_quotes: bool,
}

fn value_slot(cx: &Cx<'_, '_>) -> Option<ValueSlot> {
    let At::Value {
        token, needs_space, ..
    } = &cx.cursor.at
    else {
        return None;
    };
    let quote = if cx.quoted_values() { "\"" } else { "" };
    let slot = match token {
        Some(Token { tagged: true, .. }) => return None,
        Some(t) if t.quote.is_some() => ValueSlot {
            replace: t.text_start()..cx.offset,
            typed: String::new(),
            open: String::new(),
            close: if t.closed {
                String::new()
            } else {
                t.quote.map(String::from).unwrap_or_default()
            },
            in_quotes: true,
        },
        Some(t) => ValueSlot {
            replace: t.span.start..cx.offset,
            typed: String::new(),
            open: quote.to_string(),
            close: quote.to_string(),
            in_quotes: false,
        },
        None => ValueSlot {
            replace: cx.offset..cx.offset,
            typed: String::new(),
            open: format!("{}{quote}", if *needs_space { " " } else { "" }),
            close: quote.to_string(),
            in_quotes: false,
        },
    };
    let typed = cx.text(slot.replace.clone());
    Some(ValueSlot { typed, ..slot })
}

/// The text inserted for a value.
#[derive(Debug, Clone)]
struct Body {
    /// Plain text (also the filter text).
    plain: String,
    /// Snippet form, when the value has placeholders.
    snippet: Option<String>,
}

impl Body {
    fn plain(text: impl Into<String>) -> Self {
        Body {
            plain: text.into(),
            snippet: None,
        }
    }
}

/// Builds a value item: `open + body + extra_close + close`; a value that continues
/// (`$request.`) keeps the cursor before the closers and asks for more completion.
fn value_item(
    slot: &ValueSlot,
    label: String,
    kind: ItemKind,
    body: &Body,
    continues: bool,
    extra_close: &str,
) -> CompletionItem {
    let close = format!("{extra_close}{}", slot.close);
    let snippet = body.snippet.is_some() || (continues && !close.is_empty());
    let insert_text = if snippet {
        let middle = body
            .snippet
            .clone()
            .unwrap_or_else(|| escape_snippet(&body.plain));
        let cursor = if continues { "$0" } else { "" };
        format!(
            "{}{middle}{cursor}{}",
            escape_snippet(&slot.open),
            escape_snippet(&close)
        )
    } else {
        format!("{}{}{close}", slot.open, body.plain)
    };
    CompletionItem {
        insert_text,
        is_snippet: snippet,
        filter_text: Some(body.plain.clone()),
        retrigger: continues,
        ..item(label, kind, slot.replace.clone())
    }
}

/// Values of a property: subtypes, the one `IntegrationType` and
/// `PayloadFormatVersion` a subtype accepts, references of the kind it takes (roles
/// API Gateway trusts first), enumerations.
fn field_values(cx: &Cx<'_, '_>, key: &str) -> Vec<CompletionItem> {
    let Some(slot) = value_slot(cx) else {
        return Vec::new();
    };
    let dialect = cx.facts.dialect;
    let catalog = catalog::catalog();
    let integration = properties::is_integration(cx.facts);
    if integration && key == dialect.name(Field::Subtype) {
        return catalog
            .subtypes
            .iter()
            .enumerate()
            .filter(|(_, s)| matches(&slot.typed, &s.name))
            .map(|(i, s)| CompletionItem {
                detail: Some(service_call(s)),
                documentation: Some(subtype_doc(s)),
                sort_text: Some(format!("{i:02}")),
                ..value_item(
                    &slot,
                    s.name.clone(),
                    ItemKind::Value,
                    &Body::plain(&s.name),
                    false,
                    "",
                )
            })
            .collect();
    }
    if integration
        && cx.facts.has_subtype
        && (key == dialect.name(Field::IntegrationType)
            || key == dialect.name(Field::PayloadFormatVersion))
    {
        return subtype_fields(cx, &slot, key);
    }
    let Some(property) = properties::property(cx.facts, key) else {
        return Vec::new();
    };
    if !property.accepts.is_empty() {
        // Roles API Gateway may assume first.
        let trusted = |kind: &ResourceKind| match kind {
            ResourceKind::Role {
                trusts_api_gateway: Some(true),
                ..
            } => 0,
            _ => 1,
        };
        return reference_items(cx, &slot, &property.accepts, trusted);
    }
    properties::values(cx, &slot, property)
}

/// The one `IntegrationType` and `PayloadFormatVersion` an integration with a subtype
/// accepts.
fn subtype_fields(cx: &Cx<'_, '_>, slot: &ValueSlot, key: &str) -> Vec<CompletionItem> {
    let slot = slot.clone();
    let dialect = cx.facts.dialect;
    let catalog = catalog::catalog();
    let subtype_key = dialect.name(Field::Subtype);
    if key == dialect.name(Field::IntegrationType) {
        let value = match dialect {
            Dialect::CloudFormation
            | Dialect::Terraform
            | Dialect::TerraformModule
            | Dialect::Pulumi => catalog.meta.integration_type.clone(),
            Dialect::OpenApi => dialect.proxy_type().to_string(),
        };
        let value = &value;
        if !matches(&slot.typed, value) {
            return Vec::new();
        }
        return vec![CompletionItem {
            detail: Some(format!("required with {subtype_key}")),
            documentation: Some(format!(
                "Every integration with an `{subtype_key}` is an AWS service proxy: \
                 `{}` must be `{value}`.",
                dialect.name(Field::IntegrationType)
            )),
            preselect: true,
            ..value_item(
                &slot,
                value.clone(),
                ItemKind::Value,
                &Body::plain(value),
                false,
                "",
            )
        }];
    }
    if key == dialect.name(Field::PayloadFormatVersion) {
        let value = &catalog.meta.payload_format_version;
        let typed = slot.typed.trim_start_matches(['"', '\'']);
        if !matches(typed, value) {
            return Vec::new();
        }
        let mut slot = slot.clone();
        if !slot.in_quotes && !cx.quoted_values() {
            // A plain `1.0` is a YAML number: quote it.
            slot.open.push('"');
            slot.close.insert(0, '"');
        }
        let label = if slot.in_quotes {
            value.clone()
        } else {
            format!("\"{value}\"")
        };
        return vec![CompletionItem {
            detail: Some(format!("required with {subtype_key}")),
            documentation: Some(format!(
                "Integrations with an `{subtype_key}` only accept payload format version \
                 `{value}`, written as a string."
            )),
            preselect: true,
            ..value_item(
                &slot,
                label,
                ItemKind::Value,
                &Body::plain(value),
                false,
                "",
            )
        }];
    }
    Vec::new()
}

/// Values of a route's `Target`: `integrations/${X}` for each integration resource of
/// the route's API (all when the API is unknown), as `!Sub` (`Fn::Sub` in JSON).
fn route_targets(cx: &Cx<'_, '_>) -> Vec<CompletionItem> {
    let Some(slot) = value_slot(cx) else {
        return Vec::new();
    };
    // Terraform writes the target as a string: `"integrations/${aws_x.y.id}"`.
    let hcl = cx.hcl();
    if slot.in_quotes && !hcl {
        return Vec::new();
    }
    let target = |name: &str| {
        if hcl {
            format!("integrations/${{{name}.id}}")
        } else if cx.json() {
            format!("{{\"Fn::Sub\": \"integrations/${{{name}}}\"}}")
        } else {
            format!("!Sub integrations/${{{name}}}")
        }
    };
    let api = cx.facts.api.as_deref();
    let index = cx.index.get();
    // The integrations of the API that match, those no route targets yet (the likely
    // ones) first; items are built for no more than a capped list shows.
    let mut found: Vec<(bool, &str)> = index
        .resources()
        .filter_map(|r| match &r.item.kind {
            ResourceKind::Integration { api: of }
                if api.is_none() || of.is_none() || of.as_deref() == api =>
            {
                Some(r.item.name.as_str())
            }
            _ => None,
        })
        .filter(|name| {
            slot.typed.is_empty()
                || matches(&slot.typed, name)
                || matches(&slot.typed, &target(name))
        })
        .map(|name| (index.routes_targeting(name).next().is_some(), name))
        .collect();
    found.sort();
    found.truncate(MAX_ITEMS + 1);
    found
        .into_iter()
        .map(|(targeted, name)| {
            let text = target(name);
            let subtype = index.integration(name).and_then(|i| i.item.subtype.clone());
            CompletionItem {
                sort_text: Some(format!("{}{name}", u8::from(targeted))),
                detail: Some(subtype.clone().unwrap_or_else(|| "integration".to_string())),
                documentation: Some(format!(
                    "Route to the integration `{name}`{}.",
                    subtype.map(|s| format!(" (`{s}`)")).unwrap_or_default()
                )),
                ..value_item(
                    &slot,
                    text.clone(),
                    ItemKind::Value,
                    &Body::plain(text),
                    false,
                    "",
                )
            }
        })
        .collect()
}

/// Values of a route's `RouteKey`, by the protocol of its API: `$connect`,
/// `$disconnect` and `$default` on a WebSocket API; `$default` and `METHOD /path` on an
/// HTTP API; both when the API is not in the template.
fn route_keys(cx: &Cx<'_, '_>) -> Vec<CompletionItem> {
    let Some(slot) = value_slot(cx) else {
        return Vec::new();
    };
    let protocol = cx.index.get().protocol(cx.facts.api.as_deref());
    let mut candidates: Vec<(String, Option<String>, &str, String)> = Vec::new();
    if protocol != Some(Protocol::Http) {
        for (key, doc) in [
            (
                "$connect",
                "WebSocket: called when a client connects; the connection is refused unless the integration succeeds.",
            ),
            (
                "$disconnect",
                "WebSocket: called after a client disconnects (best effort).",
            ),
        ] {
            candidates.push((key.to_string(), None, "WebSocket route", doc.to_string()));
        }
    }
    candidates.push((
        "$default".to_string(),
        None,
        "catch-all route",
        match protocol {
            Some(Protocol::WebSocket) => "Called when the route selection expression matches no other route.",
            Some(Protocol::Http) => "Catches every request that matches no other route.",
            None => "The catch-all route: requests (HTTP) or messages (WebSocket) that match no other route.",
        }
        .to_string(),
    ));
    if protocol != Some(Protocol::WebSocket) {
        for method in [
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY",
        ] {
            candidates.push((
                format!("{method} /"),
                Some(format!("{method} /${{1:path}}")),
                "HTTP route",
                format!("An HTTP route: `{method}`, one space and a path such as `/orders/{{orderId}}`; `{{name+}}` as the last segment is greedy."),
            ));
        }
    }
    let api_detail = match (protocol, cx.facts.api.as_deref()) {
        (Some(p), Some(api)) => format!(" of {} API `{api}`", p.as_str()),
        _ => String::new(),
    };
    candidates
        .into_iter()
        .enumerate()
        .filter(|(_, (label, ..))| matches(&slot.typed, label))
        .map(|(i, (label, snippet, detail, doc))| {
            let body = Body {
                plain: label.clone(),
                snippet,
            };
            CompletionItem {
                detail: Some(format!("{detail}{api_detail}")),
                documentation: Some(doc),
                sort_text: Some(format!("{i:02}")),
                ..value_item(&slot, label, ItemKind::Value, &body, false, "")
            }
        })
        .collect()
}

/// "SQS SendMessage", "Step Functions StartExecution".
fn service_call(s: &Subtype) -> String {
    let service = s.name.split('-').next().unwrap_or(&s.name);
    let service = match service {
        "StepFunctions" => "Step Functions",
        other => other,
    };
    format!("{service} {}", s.operation)
}

fn subtype_doc(s: &Subtype) -> String {
    let mut out = format!("{}\n\n", s.summary);
    if s.deprecated {
        out.push_str("**Deprecated** service API.\n\n");
    }
    let required: Vec<String> = s
        .required_params()
        .map(|p| format!("`{}`", p.name))
        .collect();
    if !required.is_empty() {
        out.push_str(&format!("Required keys: {}\n\n", required.join(", ")));
    }
    out.push_str(&format!(
        "IAM action: `{}`\n\n[Documentation]({})",
        s.iam_action, s.doc_url
    ));
    out
}

// ---------------------------------------------------------------------------------------
// RequestParameters keys
// ---------------------------------------------------------------------------------------

/// Where and how a key is written at the cursor.
struct KeySlot {
    replace: Range<usize>,
    typed: String,
    quote: Option<char>,
    colon_follows: bool,
}

fn key_slot(cx: &Cx<'_, '_>) -> Option<KeySlot> {
    let At::Key {
        token,
        colon_follows,
    } = &cx.cursor.at
    else {
        return None;
    };
    // JSON keys are quoted; HCL's only need quotes to hold other characters.
    let json_quote = cx.json().then_some('"');
    Some(match token {
        Some(t) => {
            let end = if t.quote.is_some() && t.closed && cx.offset < t.span.end {
                t.span.end
            } else {
                cx.offset
            };
            KeySlot {
                replace: t.span.start..end,
                typed: cx.text(t.text_start()..cx.offset),
                quote: t.quote.or(json_quote),
                colon_follows: *colon_follows,
            }
        }
        None => KeySlot {
            replace: cx.offset..cx.offset,
            typed: String::new(),
            quote: json_quote,
            colon_follows: *colon_follows,
        },
    })
}

/// The subtype's keys not yet present: a snippet with every missing required key, then
/// the required keys, then the optional ones.
fn parameter_keys(cx: &Cx<'_, '_>) -> Vec<CompletionItem> {
    let (Some(subtype), Some(slot)) = (cx.facts.subtype(), key_slot(cx)) else {
        return Vec::new();
    };
    let q = slot.quote.map(String::from).unwrap_or_default();
    let missing: Vec<&Parameter> = subtype
        .parameters
        .iter()
        .filter(|p| !cx.facts.present.contains(&p.name))
        .collect();
    let mut out = Vec::new();
    let required: Vec<&Parameter> = missing.iter().copied().filter(|p| p.required).collect();
    if required.len() >= 2 && !slot.colon_follows {
        let names: Vec<&str> = required.iter().map(|p| p.name.as_str()).collect();
        if let Some(insert_text) = required_snippet(cx, &slot, &names) {
            out.push(CompletionItem {
                detail: Some(names.join(", ")),
                documentation: Some(format!(
                    "Adds the keys `{}` requires: {}.",
                    subtype.name,
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                insert_text,
                is_snippet: true,
                sort_text: Some("0".to_string()),
                filter_text: Some(format!("{q}{}", names.join(" "))),
                ..item("all required keys", ItemKind::Snippet, slot.replace.clone())
            });
        }
    }
    let tail = match (slot.colon_follows, cx.hcl()) {
        (true, _) => "",
        (false, true) => " = ",
        (false, false) => ": ",
    };
    for (i, p) in missing.iter().enumerate() {
        if !matches(&slot.typed, &p.name) {
            continue;
        }
        let rank = if p.required { 1 } else { 2 };
        out.push(CompletionItem {
            detail: Some(if p.required { "required" } else { "optional" }.to_string()),
            documentation: Some(parameter_doc(subtype, p)),
            insert_text: format!("{q}{}{q}{tail}", p.name),
            sort_text: Some(format!("{rank}{i:02}")),
            filter_text: Some(format!("{q}{}", p.name)),
            ..item(p.name.clone(), ItemKind::Property, slot.replace.clone())
        });
    }
    out
}

/// Every missing required key at once, laid out for the style around the cursor.
fn required_snippet(cx: &Cx<'_, '_>, slot: &KeySlot, names: &[&str]) -> Option<String> {
    let q = slot.quote.map(String::from).unwrap_or_default();
    let indent = cx.cursor.line_indent.clone();
    let value = &catalog::catalog().placeholders.snippet_value;
    let parts = names.iter().enumerate().map(|(i, name)| {
        let n = i + 1;
        match cx.cursor.style {
            Style::Block => format!("{q}{name}{q}: ${{{n}}}"),
            Style::Flow => format!("{q}{name}{q}: ${{{n}:{}}}", escape_snippet(value)),
            Style::Json => format!("\"{name}\": \"${{{n}}}\""),
            Style::Hcl => format!("{q}{name}{q} = \"${{{n}}}\""),
        }
    });
    let parts: Vec<String> = parts.collect();
    let joined = match cx.cursor.style {
        Style::Block | Style::Hcl => parts.join(&format!("\n{}", indent?)),
        Style::Flow => parts.join(", "),
        Style::Json => match indent {
            Some(indent) => parts.join(&format!(",\n{indent}")),
            None => parts.join(", "),
        },
    };
    Some(joined)
}

fn parameter_doc(subtype: &Subtype, p: &Parameter) -> String {
    let mut out = format!(
        "**{}** ({}) · `{}`\n\n{}",
        p.name,
        if p.required { "required" } else { "optional" },
        subtype.name,
        p.description
    );
    let constraints = super::hover::constraints::lines(&p.constraints);
    if !constraints.is_empty() {
        out.push_str("\n\n");
        for line in constraints {
            out.push_str(&format!("- {line}\n"));
        }
    } else {
        out.push('\n');
    }
    out.push_str(&format!("\nSource: {}", p.source));
    out
}

// ---------------------------------------------------------------------------------------
// Mapping expressions
// ---------------------------------------------------------------------------------------

/// How the expression at the cursor is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `$request.header.x`, the whole value.
    Bare,
    /// Inside `${...}`; `closed` when the `}` is already there.
    Braced { closed: bool },
    /// A `$` after static text: completed into `${...}` (`$${...}` in HCL).
    AfterText,
    /// HCL: inside a `${` that Terraform would read as its own interpolation: rewritten
    /// from the `${` on as `$${...}`; `closed` when the `}` is already there.
    Escape { closed: bool },
}

fn expressions(cx: &Cx<'_, '_>) -> Vec<CompletionItem> {
    let Some(slot) = value_slot(cx) else {
        return Vec::new();
    };
    let At::Value { in_text, .. } = &cx.cursor.at else {
        return Vec::new();
    };
    let start = in_text.unwrap_or(slot.replace.start);
    let whole = in_text.is_none();
    let v = cx.text(start..cx.offset);
    // A parameter that takes a resource: the template's resources of that kind, as the
    // reference that yields it, beside the expressions.
    let references = match (&cx.cursor.at, cx.facts.subtype()) {
        (At::Value { key: Some(key), .. }, Some(subtype)) if whole && !v.contains('$') => {
            match subtype
                .param(key)
                .and_then(|p| p.constraints.accepts.as_deref())
            {
                Some(accepts) => reference_items(cx, &slot, accepts, |_| 0),
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    };
    if let Some(open) = v.rfind("${")
        && !v[open..].contains('}')
    {
        let inner = &v[open + 2..];
        let closed = closed_after(cx);
        let escaped = v[..open].ends_with('$');
        if cx.hcl() && !escaped {
            return expression_items(
                cx,
                &slot,
                Form::Escape { closed },
                inner,
                start + open..cx.offset,
            );
        }
        return expression_items(
            cx,
            &slot,
            Form::Braced { closed },
            inner,
            start + open + 2..cx.offset,
        );
    }
    if whole {
        if let Some(inner) = v.strip_prefix('$') {
            return expression_items(cx, &slot, Form::Bare, inner, start..cx.offset);
        }
        if v.is_empty() {
            let mut items = references;
            items.extend(expression_items(
                cx,
                &slot,
                Form::Bare,
                "",
                start..cx.offset,
            ));
            return items;
        }
    }
    if let Some(dollar) = v.rfind('$') {
        let inner = &v[dollar + 1..];
        if inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        {
            return expression_items(cx, &slot, Form::AfterText, inner, start + dollar..cx.offset);
        }
    }
    // Typing a reference (`!R`, `Qu`): the resources, if any.
    references
}

/// The template's resources (those of linked files too) whose `Ref` or `Fn::GetAtt`
/// yields one of `accepts` (value kinds of `catalog.json`'s `resourceTypes`), as the
/// reference that yields it, written as the file writes intrinsics: `!Ref Queue` in a
/// template's YAML, `{Ref: Queue}` in OpenAPI YAML (included files take no short
/// forms), `{"Ref": "Queue"}` in JSON. `rank` orders them (lower first). Nothing inside
/// quotes: an intrinsic is not a string.
fn reference_items(
    cx: &Cx<'_, '_>,
    slot: &ValueSlot,
    accepts: &[String],
    rank: impl Fn(&ResourceKind) -> u8,
) -> Vec<CompletionItem> {
    let hcl_slot;
    // Typed inside quotes in HCL: clients filter on the text from the range's start, the
    // quote included.
    let mut filter_quote = "";
    let slot = if cx.hcl() {
        // A Terraform reference is written bare: it replaces the quotes too.
        let At::Value { token, .. } = &cx.cursor.at else {
            return Vec::new();
        };
        let replace = match token {
            Some(t) if t.quote.is_some() && t.closed => t.span.start..t.span.end.max(cx.offset),
            Some(t) => t.span.start..cx.offset,
            None => cx.offset..cx.offset,
        };
        if token.as_ref().is_some_and(|t| t.quote.is_some()) {
            filter_quote = "\"";
        }
        hcl_slot = ValueSlot {
            replace,
            typed: slot.typed.clone(),
            open: slot.open.trim_end_matches('"').to_string(),
            close: String::new(),
            in_quotes: false,
        };
        &hcl_slot
    } else if slot.in_quotes {
        return Vec::new();
    } else {
        slot
    };
    let catalog = catalog::catalog();
    let mut out = Vec::new();
    for c in scaffold::Pool::of(cx.index).candidates(accepts) {
        let (name, type_name, attribute) = (c.name, c.type_name, c.attribute);
        let text = scaffold::reference_text(cx.doc, cx.facts.dialect, name, attribute);
        let Some(info) = catalog.resource_types.get(type_name) else {
            continue;
        };
        if !matches(&slot.typed, &text) && !matches(&slot.typed, name) {
            continue;
        }
        let yields = match attribute {
            None => info.reference.clone(),
            Some(a) => info.attributes.get(a).cloned().unwrap_or_default(),
        };
        out.push(CompletionItem {
            detail: Some(type_name.to_string()),
            documentation: Some(format!(
                "`{name}` ({type_name}): this reference gives {}.",
                catalog
                    .value_kinds
                    .get(&yields)
                    .cloned()
                    .unwrap_or_else(|| yields.replace('-', " "))
            )),
            sort_text: Some(format!("0{}{name}", rank(c.kind))),
            filter_text: Some(format!("{filter_quote}{text}")),
            ..value_item(
                slot,
                text.clone(),
                ItemKind::Value,
                &Body::plain(text),
                false,
                "",
            )
        });
    }
    out
}

/// Whether a `}` already closes the braced expression after the cursor.
fn closed_after(cx: &Cx<'_, '_>) -> bool {
    let rope = cx.doc.rope();
    let line = rope.byte_to_line(cx.offset);
    let end = rope.line_to_byte(line + 1).min(rope.len_bytes());
    rope.byte_slice(cx.offset..end)
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+')))
        == Some('}')
}

/// One proposal for the next segment of an expression.
struct Candidate {
    label: String,
    /// The expression without `$` or braces, e.g. `request.header.`.
    inner: String,
    /// Snippet form of `inner` (placeholders), if any.
    snippet: Option<String>,
    continues: bool,
    kind: ItemKind,
    detail: Option<String>,
    documentation: Option<String>,
}

impl Candidate {
    fn new(label: impl Into<String>, inner: impl Into<String>, continues: bool) -> Self {
        Candidate {
            label: label.into(),
            inner: inner.into(),
            snippet: None,
            continues,
            kind: if continues {
                ItemKind::Module
            } else {
                ItemKind::Variable
            },
            detail: None,
            documentation: None,
        }
    }
}

fn expression_items(
    cx: &Cx<'_, '_>,
    slot: &ValueSlot,
    form: Form,
    inner: &str,
    replace: Range<usize>,
) -> Vec<CompletionItem> {
    let (done, partial) = match inner.rfind('.') {
        Some(d) => (&inner[..=d], &inner[d + 1..]),
        None => ("", inner),
    };
    let grammar = &catalog::catalog().mapping_expressions;
    let candidates = match done.split_once('.') {
        None => roots(if matches!(form, Form::Braced { .. }) {
            ""
        } else {
            "$"
        }),
        Some((root, rest)) => match grammar.root(root) {
            Some(root) if !root.parts.is_empty() => match root.part(rest.trim_end_matches('.')) {
                _ if rest.is_empty() => request_parts(root),
                Some(part) if part.kind == PartKind::Path && rest.ends_with('.') => {
                    path_variables(cx)
                }
                _ => Vec::new(),
            },
            Some(root) => match root.kind {
                RootKind::Context => context_children(rest),
                RootKind::StageVariables if rest.is_empty() => stage_variables(cx),
                _ => Vec::new(),
            },
            None => Vec::new(),
        },
    };
    let (prefix, extra_close) = match form {
        Form::Bare => ("$", ""),
        Form::Braced { closed: true } => ("", ""),
        Form::Braced { closed: false } => ("", "}"),
        Form::AfterText if cx.hcl() => ("$${", "}"),
        Form::AfterText => ("${", "}"),
        Form::Escape { closed: true } => ("$${", ""),
        Form::Escape { closed: false } => ("$${", "}"),
    };
    // Inside a longer value only a missing closing quote is added; a bare expression is
    // the whole value, written like any other value.
    let slot = match form {
        Form::Bare => ValueSlot {
            replace,
            ..slot.clone()
        },
        Form::Braced { .. } | Form::AfterText | Form::Escape { .. } => ValueSlot {
            replace,
            open: String::new(),
            close: if slot.in_quotes {
                slot.close.clone()
            } else {
                String::new()
            },
            ..slot.clone()
        },
    };
    candidates
        .into_iter()
        .enumerate()
        .filter(|(_, c)| {
            matches(
                partial,
                c.label.trim_start_matches('$').trim_end_matches('.'),
            )
        })
        .map(|(i, c)| {
            let body = Body {
                plain: format!("{prefix}{}", c.inner),
                snippet: c
                    .snippet
                    .as_ref()
                    .map(|s| format!("{}{s}", escape_snippet(prefix))),
            };
            CompletionItem {
                detail: c.detail,
                documentation: c.documentation,
                sort_text: Some(format!("{i:03}")),
                ..value_item(&slot, c.label, c.kind, &body, c.continues, extra_close)
            }
        })
        .collect()
}

/// The roots, with the catalog's descriptions.
fn roots(label_prefix: &str) -> Vec<Candidate> {
    catalog::catalog()
        .mapping_expressions
        .roots
        .iter()
        .map(|root| {
            let inner = format!("{}.", root.root);
            Candidate {
                documentation: Some(root.description.clone()),
                ..Candidate::new(format!("{label_prefix}{inner}"), inner, true)
            }
        })
        .collect()
}

/// The parts after `request.`: each with a name, and without one where the
/// first-class integration page lists that form (`body`, not `path`).
fn request_parts(root: &ExpressionRoot) -> Vec<Candidate> {
    let mut out = Vec::new();
    for part in &root.parts {
        let mut add = |suffix: &str, continues: bool, description: &str| {
            let shown = format!("{}{suffix}", part.part);
            out.push(Candidate {
                detail: Some(format!("${}.{shown}", root.root)),
                documentation: Some(description.to_string()),
                ..Candidate::new(shown.clone(), format!("{}.{shown}", root.root), continues)
            });
        };
        if let Some(whole) = part.whole.as_ref().filter(|w| w.on_subtype_page) {
            add("", false, &whole.description);
        }
        add(".", true, &part.description);
    }
    out
}

/// The `{name}` variables of the routes that target this integration: route resources
/// for a resource, the OpenAPI paths of the operations using it otherwise.
fn path_variables(cx: &Cx<'_, '_>) -> Vec<Candidate> {
    let routes: Vec<(String, Vec<PathVariable>)> = match (cx.facts.host, &cx.facts.shared) {
        (Host::Resource | Host::Block, _) if cx.facts.routes.is_empty() => cx
            .index
            .get()
            .routes_targeting(&cx.facts.name)
            .map(|(r, route)| {
                let key = route
                    .key
                    .as_ref()
                    .map_or_else(|| r.item.name.clone(), |(k, _)| k.clone());
                (key, route.path_variables.clone())
            })
            .collect(),
        (Host::Inline | Host::Standalone, Some(name)) => cx
            .index
            .get()
            .routes_using(cx.facts.api.as_deref(), name)
            .map(|op| (op.item.route.clone(), op.item.path_variables.clone()))
            .collect(),
        _ => cx
            .facts
            .routes
            .iter()
            .map(|(route, path)| (route.clone(), key_path_variables(path, 0)))
            .collect(),
    };
    let mut out: Vec<(String, bool, Vec<String>)> = Vec::new();
    for (key, variables) in routes {
        for var in &variables {
            match out.iter_mut().find(|(n, _, _)| *n == var.name) {
                Some((_, greedy, keys)) => {
                    *greedy |= var.greedy;
                    if !keys.contains(&key) {
                        keys.push(key.clone());
                    }
                }
                None => out.push((var.name.clone(), var.greedy, vec![key.clone()])),
            }
        }
    }
    out.into_iter()
        .map(|(name, greedy, keys)| {
            let mut doc = format!(
                "Path variable `{{{name}{}}}` of ",
                if greedy { "+" } else { "" }
            );
            doc.push_str(
                &keys
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            if greedy {
                doc.push_str(": greedy, it holds the rest of the path.");
            }
            Candidate {
                detail: Some(keys.join(", ")),
                documentation: Some(doc),
                ..Candidate::new(name.clone(), format!("request.path.{name}"), false)
            }
        })
        .collect()
}

/// The stage variables of the integration's API (none for a standalone OpenAPI file).
fn stage_variables(cx: &Cx<'_, '_>) -> Vec<Candidate> {
    if cx.facts.host == Host::Standalone {
        return Vec::new();
    }
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (r, stage) in cx.index.get().stages_of(cx.facts.api.as_deref()) {
        let stage_name = stage
            .stage_name
            .clone()
            .unwrap_or_else(|| r.item.name.clone());
        for var in stage.variables.iter().flatten() {
            let shown = format!(
                "{stage_name}: {}",
                var.value.as_deref().unwrap_or("(not a literal)")
            );
            match out.iter_mut().find(|(n, _)| *n == var.name) {
                Some((_, values)) => values.push(shown),
                None => out.push((var.name.clone(), vec![shown])),
            }
        }
    }
    out.into_iter()
        .map(|(name, values)| Candidate {
            detail: Some(values.join("; ")),
            documentation: Some(format!(
                "Stage variable `{name}`:\n\n{}",
                values
                    .iter()
                    .map(|v| format!("- {v}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )),
            ..Candidate::new(name.clone(), format!("stageVariables.{name}"), false)
        })
        .collect()
}

/// The next level of `$context` names below `level` (`""`, `identity.`).
fn context_children(level: &str) -> Vec<Candidate> {
    catalog::catalog()
        .context_children(level)
        .into_iter()
        .map(|child| match &child.kind {
            ContextChildKind::Level { phase, .. } => Candidate {
                detail: Some(format!("$context.{}.", child.path)),
                documentation: Some(format!(
                    "Variables under `$context.{}.`{}",
                    child.path,
                    if *phase == Phase::Response {
                        " (known only after the integration call)"
                    } else {
                        ""
                    }
                )),
                ..Candidate::new(
                    format!("{}.", child.segment),
                    format!("context.{}.", child.path),
                    true,
                )
            },
            ContextChildKind::Variable(v) => {
                let mut doc = v.description.clone();
                doc.push_str(match v.phase {
                    Phase::Request => "\n\nKnown when the integration is called.",
                    Phase::Response => {
                        "\n\nOnly known after the integration call: empty in `RequestParameters`."
                    }
                });
                if !v.current {
                    doc.push_str("\n\nListed only in the 2023 documentation.");
                }
                let detail = match v.phase {
                    Phase::Request => v.name.clone(),
                    Phase::Response => format!("{} (response phase)", v.name),
                };
                let (inner, snippet) = match v.placeholder_prefix() {
                    // `{property}` becomes the snippet's `${1:property}`.
                    Some(prefix) => (
                        format!("context.{prefix}"),
                        Some(format!(
                            "context.{}${{1:{}}}",
                            escape_snippet(prefix),
                            escape_snippet(
                                v.path()[prefix.len()..].trim_matches(|c| c == '{' || c == '}')
                            )
                        )),
                    ),
                    None => (format!("context.{}", v.path()), None),
                };
                Candidate {
                    snippet,
                    detail: Some(detail),
                    documentation: Some(doc),
                    ..Candidate::new(child.segment, inner, false)
                }
            }
        })
        .collect()
}
