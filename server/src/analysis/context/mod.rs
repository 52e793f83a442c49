//! The cursor context: what is at a byte offset, answered once for completion, hover,
//! navigation and code actions.
//!
//! Two steps, both bounded by the one entry around the offset (binary search to it,
//! [`Document::entries_at`]), never the document:
//!
//! 1. **A key path and the token at the cursor.** From the value tree when the entry
//!    around the offset parses ([`tree`]: [`locate`] descends the entry's tree, keeping
//!    the nodes it passes); from the text when it does not ([`text`]: a small YAML/JSON
//!    reader for the half-typed lines tree-sitter cannot read yet, `        Que`, `"Me`,
//!    `{QueueUrl: x, Mes`). [`at`] is the one entry point that chooses: the tree first,
//!    the text reader only as its fallback.
//! 2. **Where that key path is** ([`site`], the one function for it): the host
//!    (CloudFormation resource, OpenAPI operation or shared component, standalone or
//!    inline in an API resource's body), the [`Dialect`] and the [`Place`] (field key or
//!    value, `RequestParameters` key or value, resource name, integration name, `$ref`,
//!    path key, other).
//!
//! Resource types are not in a key path: whoever holds the tree checks them
//! ([`locate`] with the model; completion when it reads the integration's facts).

mod hcl;
mod text;
mod tree;

#[cfg(test)]
mod tests;

use std::ops::Range;

use ropey::Rope;

use crate::document::Document;
use crate::model::openapi::{self, INTEGRATION_KEY, REF_PREFIX, SHARED_INTEGRATIONS};
use crate::model::{Dialect, Field, Resource, inline_openapi};
use crate::syntax::Language;
use crate::syntax::NodeRef;
use crate::syntax::hcl::JSONENCODE;

pub use text::{At, Cursor, Style, Token};
pub use tree::{
    Located, expression_at, innermost_intrinsic, locate, referenced_name, sub_variable_at,
};

pub(crate) const RESOURCES: &str = "Resources";
pub(crate) const PATHS: &str = "paths";
pub(crate) const COMPONENTS: &str = "components";
/// Terraform block types, as the sections of their entries.
pub(crate) const TF_RESOURCE: &str = "resource";
pub(crate) const TF_DATA: &str = "data";
pub(crate) const TF_MODULE: &str = "module";
/// The argument of `aws_apigatewayv2_api` holding its OpenAPI body.
pub(crate) const TF_BODY: &str = "body";
const PROPERTIES: &str = "Properties";

/// The cursor's context at an offset: the key path and the token there, and the unit
/// (resource, OpenAPI path item, shared integrations) holding it.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub cursor: Cursor,
    /// The unit's key: a logical ID, an OpenAPI path, `x-amazon-apigateway-integrations`.
    pub unit: String,
    /// Where the cursor was read from.
    pub source: Source<'a>,
}

/// Where a [`Context`] was read from.
#[derive(Debug, Clone)]
pub enum Source<'a> {
    /// The entry's value tree: it parses around the cursor.
    Tree(Box<Located<'a>>),
    /// The text reader: the unit's text (from its key to its end) with the token being
    /// typed neutralised (and missing flow closers added), ready to be parsed on its own.
    Text { unit_text: String },
    /// The HCL repair reader: the block's text, repaired, parsed once on its own.
    Repaired(std::sync::Arc<Document>),
}

/// The cursor's context at `offset` (a char boundary): from the value tree when the
/// entry around it parses, from the text otherwise.
pub fn at(doc: &Document, offset: usize) -> Option<Context<'_>> {
    if doc.language() == Language::Terraform {
        // HCL: the tree, else the block's text with the line being typed repaired.
        return tree::context(doc, offset).or_else(|| hcl::context(doc, offset));
    }
    if let Some(cursor) = resource_key(doc, offset) {
        return Some(Context {
            cursor,
            unit: String::new(),
            source: Source::Text {
                unit_text: String::new(),
            },
        });
    }
    if let Some(found) = tree::context(doc, offset) {
        return Some(found);
    }
    let scan = text::scan(doc, offset)?;
    Some(Context {
        cursor: scan.cursor,
        unit: scan.resource,
        source: Source::Text {
            unit_text: scan.resource_text,
        },
    })
}

/// A logical ID being typed on a line of its own directly under `Resources`, where no
/// unit holds the cursor yet (so neither reader sees it): a word, or nothing, at the
/// column of the section's entries (JSON: after `{` or `,`).
fn resource_key(doc: &Document, offset: usize) -> Option<Cursor> {
    let rope = doc.rope();
    let json = doc.language() == Language::Json;
    let line = rope.try_byte_to_line(offset).ok()?;
    let line_start = rope.line_to_byte(line);
    let line_end = rope.try_line_to_byte(line + 1).unwrap_or(rope.len_bytes());
    let before = String::from(rope.get_byte_slice(line_start..offset)?);
    let after = String::from(rope.get_byte_slice(offset..line_end)?);
    let indent = before.len() - before.trim_start_matches(' ').len();
    let typed = &before[indent..];
    let (quote, word) = match typed.strip_prefix('"') {
        Some(word) if json => (Some('"'), word),
        _ => (None, typed),
    };
    let rest = after.trim();
    let closed = quote.is_some() && rest == "\"";
    if indent == 0
        || !word.chars().all(|c| c.is_ascii_alphanumeric())
        || !(rest.is_empty() || closed)
    {
        return None;
    }
    let column = |at: usize| at - rope.line_to_byte(rope.byte_to_line(at));
    // Inside the `Resources` section (a member of it, maybe one broken by the word
    // being typed, or the section itself), at the column of its members.
    let is_resources = |e: &crate::document::EntryRef<'_>| {
        e.section == Some(RESOURCES)
            || (e.section.is_none() && e.key() == Some(RESOURCES) && e.key_span().start < offset)
    };
    let here = doc.entries_at(offset);
    let inside = if here.is_empty() {
        // The segment is lost to the word being typed (JSON): the entry before it.
        doc.entries()
            .take_while(|e| e.key_span().start < offset)
            .last()
            .is_some_and(|e| is_resources(&e))
    } else {
        here.iter().any(is_resources)
    };
    let members = doc.entries().find_map(|e| match (e.section, e.key()) {
        (Some(RESOURCES), Some(_)) => Some(column(key_start(rope, e.key_span().start))),
        (None, Some(RESOURCES)) => e
            .value()
            .filter(|v| v.is_map())
            .and_then(|v| v.pairs().next())
            .map(|p| column(key_start(rope, p.key_span().start))),
        _ => None,
    });
    // No member yet: any indentation starts the first, right under the section's key.
    let members = members.or_else(|| {
        let previous = (0..line)
            .rev()
            .map(|l| String::from(rope.line(l)))
            .find(|t| !t.trim().is_empty())?;
        let previous = previous.trim();
        let opens = previous == "Resources:" || previous == "\"Resources\": {";
        (inside && opens).then_some(indent)
    });
    let level = inside && members == Some(indent);
    if !level {
        return None;
    }
    if json {
        // A key goes after `{` or `,`.
        let mut back = rope.get_bytes_at(line_start)?.reversed();
        let previous = back.find(|b| !b.is_ascii_whitespace());
        if !matches!(previous, Some(b'{' | b',')) {
            return None;
        }
    }
    let start = line_start + indent;
    let token = (!typed.is_empty()).then(|| Token {
        span: start..offset + usize::from(closed),
        quote,
        closed,
        tagged: false,
    });
    Some(Cursor {
        path: vec![Some(RESOURCES.to_string())],
        at: At::Key {
            token,
            colon_follows: false,
        },
        style: if json { Style::Json } else { Style::Block },
        line_indent: Some(before[..indent].to_string()),
    })
}

impl Cursor {
    /// The key path from the root section down to the key the cursor is on or in the
    /// value of (`None` for a sequence item or an intrinsic function; `Some("")` for a
    /// key not typed yet).
    pub fn keys(&self) -> Vec<Option<&str>> {
        let mut keys: Vec<Option<&str>> = self.path.iter().map(Option::as_deref).collect();
        keys.push(match &self.at {
            At::Key { .. } => Some(""),
            At::Value { key, .. } => key.as_deref(),
        });
        keys
    }

    /// The token at the cursor for [`site`].
    pub fn on(&self) -> On<'_> {
        match &self.at {
            At::Key { token, .. } => On::Key(token.as_ref().map_or(0..0, |t| t.span.clone())),
            At::Value { token, .. } => On::Value {
                text: None,
                span: token.as_ref().map_or(0..0, |t| t.span.clone()),
            },
        }
    }
}

/// Whether the cursor is on the last key of a key path or in its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum On<'a> {
    /// On the key; its span.
    Key(Range<usize>),
    /// In the value; the scalar's text, if known, and its span.
    Value {
        text: Option<&'a str>,
        span: Range<usize>,
    },
}

impl On<'_> {
    fn is_key(&self) -> bool {
        matches!(self, On::Key(_))
    }

    fn span(&self) -> Range<usize> {
        match self {
            On::Key(span) | On::Value { span, .. } => span.clone(),
        }
    }
}

/// Where the integration (or resource) around the cursor is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// A CloudFormation resource (an `AWS::ApiGatewayV2::Integration` for the places of an
    /// integration; its type is the tree's to check).
    Resource,
    /// An inline OpenAPI body: SAM `HttpApi` `DefinitionBody`, `AWS::ApiGatewayV2::Api`
    /// `Body`. The unit is the API resource.
    Inline,
    /// A standalone OpenAPI document.
    Standalone,
    /// A Terraform block: a `resource` (an `aws_apigatewayv2_integration`'s arguments
    /// are its fields) or a `module` of terraform-aws-modules/apigateway-v2 (a route's
    /// integration). The unit is the block, by its address.
    Block,
}

/// The integration's place in an OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spot {
    /// On the operation `method` (a key of the path item) of `path`.
    Operation { method: String, path: String },
    /// `components.x-amazon-apigateway-integrations.<name>`.
    Shared { name: String },
}

/// What a key path points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place<'a> {
    /// The key of an integration field (`IntegrationSubtype:`), or any property key.
    FieldKey { name: &'a str, field: Option<Field> },
    /// The value of an integration field or property, or anything inside it.
    FieldValue { name: &'a str, field: Option<Field> },
    /// A key inside `RequestParameters`.
    ParamKey,
    /// A value inside `RequestParameters`, or anything inside it.
    ParamValue,
    /// A resource's logical ID.
    ResourceName,
    /// The `x-amazon-apigateway-integration` key of an operation, or a shared
    /// integration's name.
    IntegrationName,
    /// The value of a `$ref` to a shared integration (`name` without the
    /// `#/components/x-amazon-apigateway-integrations/` prefix).
    SharedRef { name: String, span: Range<usize> },
    /// An OpenAPI path key (`/runs/{runName}`).
    PathKey { path: &'a str, span: Range<usize> },
    /// A key of an OpenAPI operation other than `x-amazon-apigateway-integration`
    /// (where that key is written).
    OperationKey,
    /// Somewhere else inside the resource or integration.
    Other,
}

/// Where a key path is: host, dialect and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site<'a> {
    pub host: Host,
    pub dialect: Dialect,
    /// The keys from the unit's value down to the integration's fields mapping
    /// (`Properties`; `post`, `x-amazon-apigateway-integration`; ...).
    pub fields: Vec<&'a str>,
    /// The OpenAPI body key (`Body`, `DefinitionBody`) of an inline integration.
    pub body_key: Option<&'a str>,
    pub spot: Option<Spot>,
    pub place: Place<'a>,
    /// The index in the key path of the field or parameter key the place is about.
    pub key_index: Option<usize>,
    /// The cursor is deeper than the place's own key or value (inside a field's value,
    /// in an intrinsic function, a sequence, a nested mapping).
    pub nested: bool,
}

impl Site<'_> {
    /// Whether the key path is a Terraform one: a block's, or in an OpenAPI body written
    /// with `jsonencode`.
    pub fn is_terraform(&self) -> bool {
        self.host == Host::Block || self.body_key == Some(TF_BODY)
    }
}

/// Where the key path `keys` (from the root section down to the key the cursor is on or
/// in the value of) is: host, dialect and place. `None` outside resources, OpenAPI
/// paths and shared integrations.
pub fn site<'a>(keys: &[Option<&'a str>], on: On<'a>) -> Option<Site<'a>> {
    if let Some(Some(TF_RESOURCE | TF_DATA | TF_MODULE)) = keys.first() {
        return terraform_site(keys, on);
    }
    if let [
        Some(RESOURCES),
        Some(_),
        Some(PROPERTIES),
        Some(body @ ("Body" | "DefinitionBody")),
        openapi @ ..,
    ] = keys
        && let Some(found) = openapi_site(keys, openapi, 4, on.clone(), Host::Inline)
    {
        return Some(Site {
            body_key: Some(body),
            ..found
        });
    }
    match keys.first() {
        Some(Some(RESOURCES)) => resource_site(keys, on),
        _ => openapi_site(keys, keys, 0, on, Host::Standalone),
    }
}

/// The key path read as a CloudFormation resource's, even inside an inline OpenAPI body.
pub fn resource_site<'a>(keys: &[Option<&'a str>], on: On<'a>) -> Option<Site<'a>> {
    let site = |place, key_index, nested| Site {
        host: Host::Resource,
        dialect: Dialect::CloudFormation,
        fields: vec![PROPERTIES],
        body_key: None,
        spot: None,
        place,
        key_index,
        nested,
    };
    match keys {
        [Some(RESOURCES), Some(_)] if on.is_key() => Some(site(Place::ResourceName, None, false)),
        [Some(RESOURCES), Some(_), Some(PROPERTIES), rest @ ..] => {
            let (place, key_index, nested) = fields_place(rest, 3, &on, Dialect::CloudFormation);
            Some(site(place, key_index, nested))
        }
        [Some(RESOURCES), Some(_), ..] => Some(site(Place::Other, None, false)),
        _ => None,
    }
}

/// The Terraform reading of a key path: from a block type (`resource`, `data`,
/// `module`), its address and the keys inside its body. The arguments of a `resource`
/// are fields in [`Dialect::Terraform`]'s spelling (whoever holds the tree checks that it
/// is an `aws_apigatewayv2_integration`); an `aws_apigatewayv2_api`'s `body =
/// jsonencode({...})` is an inline OpenAPI document; a module route's `integration` map
/// (v5 `routes`) is in [`Dialect::TerraformModule`]'s, a v4 `integrations` entry in
/// [`Dialect::Terraform`]'s.
fn terraform_site<'a>(keys: &[Option<&'a str>], on: On<'a>) -> Option<Site<'a>> {
    let block = |dialect, fields: Vec<&'a str>, place, key_index, nested| Site {
        host: Host::Block,
        dialect,
        fields,
        body_key: None,
        spot: None,
        place,
        key_index,
        nested,
    };
    match keys {
        [Some(TF_RESOURCE | TF_DATA | TF_MODULE), Some(_)] if on.is_key() => Some(block(
            Dialect::Terraform,
            Vec::new(),
            Place::ResourceName,
            None,
            false,
        )),
        [
            Some(TF_RESOURCE),
            Some(address),
            Some(TF_BODY),
            openapi @ ..,
        ] if address.starts_with("aws_apigatewayv2_api.") => {
            let found = openapi_site(keys, openapi, 3, on, Host::Inline)?;
            Some(Site {
                body_key: Some(TF_BODY),
                ..found
            })
        }
        [Some(TF_RESOURCE | TF_DATA), Some(_), rest @ ..] => {
            let (place, key_index, nested) = fields_place(rest, 2, &on, Dialect::Terraform);
            Some(block(
                Dialect::Terraform,
                Vec::new(),
                place,
                key_index,
                nested,
            ))
        }
        [
            Some(TF_MODULE),
            Some(_),
            Some(routes @ "routes"),
            Some(route),
            Some(integration @ "integration"),
            rest @ ..,
        ] if !rest.is_empty() => {
            let dialect = Dialect::TerraformModule;
            let (place, key_index, nested) = fields_place(rest, 5, &on, dialect);
            let fields = vec![*routes, *route, *integration];
            Some(block(dialect, fields, place, key_index, nested))
        }
        [
            Some(TF_MODULE),
            Some(_),
            Some(integrations @ "integrations"),
            Some(route),
            rest @ ..,
        ] if !rest.is_empty() => {
            let dialect = Dialect::Terraform;
            let (place, key_index, nested) = fields_place(rest, 4, &on, dialect);
            let fields = vec![*integrations, *route];
            Some(block(dialect, fields, place, key_index, nested))
        }
        [Some(TF_MODULE), Some(_), ..] => Some(block(
            Dialect::Terraform,
            Vec::new(),
            Place::Other,
            None,
            false,
        )),
        _ => None,
    }
}

/// The OpenAPI reading of `openapi`, the part of `keys` from `paths` or `components` on,
/// which starts at index `start` of `keys`.
fn openapi_site<'a>(
    keys: &[Option<&'a str>],
    openapi: &[Option<&'a str>],
    start: usize,
    on: On<'a>,
    host: Host,
) -> Option<Site<'a>> {
    let (spot, len, rest) = match openapi {
        [Some(PATHS), Some(path)] if on.is_key() => {
            return Some(Site {
                host,
                dialect: Dialect::OpenApi,
                fields: Vec::new(),
                body_key: None,
                spot: None,
                place: Place::PathKey {
                    path,
                    span: on.span(),
                },
                key_index: None,
                nested: false,
            });
        }
        [
            Some(PATHS),
            Some(path),
            Some(method),
            Some(INTEGRATION_KEY),
            rest @ ..,
        ] if openapi::method_name(method).is_some() => (
            Spot::Operation {
                method: method.to_string(),
                path: path.to_string(),
            },
            4,
            rest,
        ),
        [Some(PATHS), Some(path), Some(method), Some(_)]
            if on.is_key() && openapi::method_name(method).is_some() =>
        {
            let fields = keys.get(2..start + 3)?.iter().copied();
            return Some(Site {
                host,
                dialect: Dialect::OpenApi,
                fields: fields.collect::<Option<Vec<&str>>>()?,
                body_key: None,
                spot: Some(Spot::Operation {
                    method: method.to_string(),
                    path: path.to_string(),
                }),
                place: Place::OperationKey,
                key_index: None,
                nested: false,
            });
        }
        [
            Some(COMPONENTS),
            Some(SHARED_INTEGRATIONS),
            Some(name),
            rest @ ..,
        ] => (
            Spot::Shared {
                name: name.to_string(),
            },
            3,
            rest,
        ),
        _ => return None,
    };
    let fields = keys
        .get(2..start + len)?
        .iter()
        .copied()
        .collect::<Option<Vec<&str>>>()?;
    let (place, key_index, nested) = match (rest, &on) {
        ([], On::Key(_)) => (Place::IntegrationName, None, false),
        ([Some("$ref")], On::Value { text, span }) if matches!(spot, Spot::Operation { .. }) => {
            let name = text.map(|t| t.strip_prefix(REF_PREFIX).unwrap_or(t));
            let place = Place::SharedRef {
                name: name.unwrap_or_default().to_string(),
                span: span.clone(),
            };
            (place, None, false)
        }
        _ => fields_place(rest, start + len, &on, Dialect::OpenApi),
    };
    Some(Site {
        host,
        dialect: Dialect::OpenApi,
        fields,
        body_key: None,
        spot: Some(spot),
        place,
        key_index,
        nested,
    })
}

const FIELDS: &[Field] = &[
    Field::Subtype,
    Field::IntegrationType,
    Field::PayloadFormatVersion,
    Field::Credentials,
    Field::RequestParameters,
    Field::Timeout,
];

/// The field `name` spells in `dialect`.
pub fn field_named(dialect: Dialect, name: &str) -> Option<Field> {
    FIELDS.iter().copied().find(|f| dialect.name(*f) == name)
}

/// The place of the keys below an integration's fields mapping (`rest`, which starts at
/// index `start` of the key path), the index of the key it is about, and whether the
/// cursor is deeper than that key's own value.
fn fields_place<'a>(
    rest: &[Option<&'a str>],
    start: usize,
    on: &On<'a>,
    dialect: Dialect,
) -> (Place<'a>, Option<usize>, bool) {
    let params = dialect.name(Field::RequestParameters);
    match rest {
        [Some(name)] => {
            let field = field_named(dialect, name);
            let place = if on.is_key() {
                Place::FieldKey { name, field }
            } else {
                Place::FieldValue { name, field }
            };
            (place, Some(start), false)
        }
        [Some(rp), Some(_)] if *rp == params => {
            let place = if on.is_key() {
                Place::ParamKey
            } else {
                Place::ParamValue
            };
            (place, Some(start + 1), false)
        }
        [Some(rp), Some(_), ..] if *rp == params => (Place::ParamValue, Some(start + 1), true),
        [Some(name), ..] => (
            Place::FieldValue {
                name,
                field: field_named(dialect, name),
            },
            Some(start),
            true,
        ),
        _ => (Place::Other, None, false),
    }
}

/// The inline OpenAPI body of an [`Host::Inline`] site: the resource's `Body` or
/// `DefinitionBody`, when it is the one the resource's type reads.
pub fn inline_body<'a>(resource: &Resource<'a>, site: &Site<'_>) -> Option<NodeRef<'a>> {
    if site.body_key == Some(TF_BODY) {
        // Terraform: the block's `body = jsonencode({...})`.
        let body = resource.value.get(TF_BODY)?;
        body.intrinsic().filter(|i| i.name == JSONENCODE)?;
        return body.intrinsic_argument().filter(|b| b.is_map());
    }
    let body = inline_openapi(resource)?;
    let props = resource.value.get(PROPERTIES)?;
    (props.get(site.body_key?)?.span() == body.span()).then_some(body)
}

/// Moves a key span's start back over an opening quote.
fn key_start(rope: &Rope, start: usize) -> usize {
    if start > 0 && matches!(rope.get_byte(start - 1), Some(b'"' | b'\'')) {
        start - 1
    } else {
        start
    }
}

/// The next character after `pos` on its line that is not a space or a tab.
fn next_on_line(rope: &Rope, pos: usize) -> Option<char> {
    let line = rope.try_byte_to_line(pos).ok()?;
    let end = rope.line_to_byte(line + 1).min(rope.len_bytes());
    rope.get_byte_slice(pos.min(end)..end)?
        .chars()
        .find(|c| !matches!(c, ' ' | '\t'))
}

/// The whitespace before `start` on its line, when nothing else precedes it there.
fn line_indent(rope: &Rope, start: usize) -> Option<String> {
    let line = rope.try_byte_to_line(start).ok()?;
    let before = String::from(rope.get_byte_slice(rope.line_to_byte(line)..start)?);
    before
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then_some(before)
}
