//! Property names under `Properties` (and field names in
//! `x-amazon-apigateway-integration`), and the enumerated values of properties, from
//! the catalog's `properties`.

use super::scaffold::{self, Node, Text, Writer};
use super::{
    Body, Cx, Facts, Host, INTEGRATION, KeySlot, ValueSlot, item, key_slot, matches, value_item,
};
use crate::analysis::context::Style;
use crate::analysis::context::field_named;
use crate::analysis::features::{CompletionItem, ItemKind};
use crate::analysis::hover::property_markdown;
use crate::catalog::{self, Need, OPENAPI_INTEGRATION, Property, PropertySet, ValueShape};
use crate::model::{Dialect, Field, Protocol};
use crate::rules::wrong_field_name::dialect_fields;

/// The catalog's type name for the unit: its resource type, or the OpenAPI extension.
fn type_of(facts: &Facts) -> Option<&str> {
    match facts.host {
        Host::Resource => facts.type_name.as_deref(),
        Host::Inline | Host::Standalone => Some(OPENAPI_INTEGRATION),
        // No Terraform argument table yet: names and enumerations are not offered.
        Host::Block => None,
    }
}

fn set_of(facts: &Facts) -> Option<(&str, &'static PropertySet)> {
    let name = type_of(facts)?;
    Some((name, catalog::catalog().properties_of(name)?))
}

/// The catalog's entry for the property `key` of the unit. A Terraform integration's
/// field is its CloudFormation property's (same values, same references).
pub(super) fn property(facts: &Facts, key: &str) -> Option<&'static Property> {
    if facts.host == Host::Block {
        let field = field_named(facts.dialect, key).filter(|_| is_integration(facts))?;
        let name = Dialect::CloudFormation.name(field);
        let set = catalog::catalog().properties_of(INTEGRATION)?;
        return set.properties.iter().find(|p| p.name == name);
    }
    set_of(facts)?.1.properties.iter().find(|p| p.name == key)
}

/// Whether the unit is an integration: an integration resource, or OpenAPI.
pub(super) fn is_integration(facts: &Facts) -> bool {
    match facts.host {
        Host::Resource => facts.is(INTEGRATION),
        Host::Block => facts.integration,
        Host::Inline | Host::Standalone => true,
    }
}

/// The properties not yet present: required first, then what a first-class
/// integration needs, then the optional ones (WebSocket-only ones not on an HTTP API).
pub(super) fn names(cx: &Cx<'_, '_>) -> Vec<CompletionItem> {
    if cx.facts.host == Host::Block {
        return terraform_names(cx);
    }
    let (Some((type_name, set)), Some(slot)) = (set_of(cx.facts), key_slot(cx)) else {
        return Vec::new();
    };
    let http = cx.facts.host != Host::Resource
        || cx.index.get().protocol(cx.facts.api.as_deref()) == Some(Protocol::Http);
    let q = slot.quote.map(String::from).unwrap_or_default();
    set.properties
        .iter()
        .enumerate()
        .filter(|(_, p)| !cx.facts.fields_present.contains(&p.name))
        .filter(|(_, p)| !(http && p.need == Need::WebSocketOnly))
        .filter(|(_, p)| matches(&slot.typed, &p.name))
        .map(|(i, p)| {
            let (insert_text, is_snippet, retrigger) = insertion(cx, &slot, p);
            CompletionItem {
                detail: Some(p.need.label().to_string()),
                documentation: Some(property_markdown(type_name, set, p)),
                insert_text,
                is_snippet,
                retrigger,
                sort_text: Some(format!("{}{i:02}", p.need as u8)),
                filter_text: Some(format!("{q}{}", p.name)),
                ..item(p.name.clone(), ItemKind::Property, slot.replace.clone())
            }
        })
        .collect()
}

/// Terraform's nested blocks among an integration's arguments (written `name { }`).
const TERRAFORM_BLOCKS: &[&str] = &["tls_config", "response_parameters"];

/// An integration's argument names in a Terraform block or module input: the
/// CloudFormation properties that the dialect's field list (the one
/// `wrong-field-name` checks) spells in snake case, in the catalog's order, with their
/// documentation.
fn terraform_names(cx: &Cx<'_, '_>) -> Vec<CompletionItem> {
    let Some(slot) = key_slot(cx).filter(|_| is_integration(cx.facts)) else {
        return Vec::new();
    };
    let Some(set) = catalog::catalog().properties_of(INTEGRATION) else {
        return Vec::new();
    };
    let dialect = cx.facts.dialect;
    // A module input in the resource's spelling is the v4 `integrations` entry.
    let v4 = dialect == Dialect::Terraform && cx.facts.type_name.is_none();
    let allowed = dialect_fields(dialect, v4);
    let q = slot.quote.map(String::from).unwrap_or_default();
    let mut out = Vec::new();
    for (i, p) in set.properties.iter().enumerate() {
        let name = match field_named(Dialect::CloudFormation, &p.name) {
            Some(field) => dialect.name(field).to_string(),
            None => snake_case(&p.name),
        };
        if !allowed.contains(&name.as_str())
            || cx.facts.fields_present.contains(&name)
            || p.need == Need::WebSocketOnly
            || !matches(&slot.typed, &name)
        {
            continue;
        }
        // A resource's nested blocks; a module input is an object attribute.
        let block = TERRAFORM_BLOCKS.contains(&name.as_str()) && cx.facts.type_name.is_some();
        let (insert_text, is_snippet, retrigger) = if slot.colon_follows {
            (format!("{q}{name}{q}"), false, false)
        } else {
            let chooses = !p.values.is_empty() || !p.accepts.is_empty();
            let shape = match p.value {
                // The module's `response_parameters` is a list of objects.
                ValueShape::Map
                    if cx.facts.type_name.is_none() && name == "response_parameters" =>
                {
                    ValueShape::String
                }
                other => other,
            };
            hcl_insertion(cx, &name, fixed_value(cx, &name), shape, block, chooses)
        };
        out.push(CompletionItem {
            detail: Some(p.need.label().to_string()),
            documentation: Some(format!(
                "Terraform argument `{name}` (CloudFormation `{}`).\n\n{}",
                p.name,
                property_markdown(INTEGRATION, set, p)
            )),
            insert_text,
            is_snippet,
            retrigger,
            sort_text: Some(format!("{}{i:02}", p.need as u8)),
            filter_text: Some(format!("{q}{name}")),
            ..item(name.clone(), ItemKind::Property, slot.replace.clone())
        });
    }
    out
}

/// `TimeoutInMillis` as `timeout_in_millis`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The one value a first-class integration accepts for `p`, when a subtype is set:
/// `AWS_PROXY` (`aws_proxy`), `"1.0"`.
fn fixed_value(cx: &Cx<'_, '_>, name: &str) -> Option<String> {
    if !is_integration(cx.facts) || !cx.facts.has_subtype {
        return None;
    }
    let dialect = cx.facts.dialect;
    let meta = &catalog::catalog().meta;
    if name == dialect.name(Field::IntegrationType) {
        return Some(match dialect {
            crate::model::Dialect::CloudFormation
            | crate::model::Dialect::Terraform
            | crate::model::Dialect::TerraformModule
            | crate::model::Dialect::Pulumi => meta.integration_type.clone(),
            crate::model::Dialect::OpenApi => dialect.proxy_type().to_string(),
        });
    }
    (name == dialect.name(Field::PayloadFormatVersion)).then(|| meta.payload_format_version.clone())
}

/// What accepting the property `p` inserts: the text, whether it is a snippet, and
/// whether completion should go on (values to choose from).
fn insertion(cx: &Cx<'_, '_>, slot: &KeySlot, p: &Property) -> (String, bool, bool) {
    let q = slot.quote.map(String::from).unwrap_or_default();
    let name = format!("{q}{}{q}", p.name);
    if slot.colon_follows {
        return (name, false, false);
    }
    let chooses = !p.values.is_empty()
        || !p.accepts.is_empty()
        || (is_integration(cx.facts) && p.name == cx.facts.dialect.name(Field::Subtype));
    if cx.hcl() {
        // OpenAPI fields inside a Terraform `jsonencode` body.
        let fixed = fixed_value(cx, &p.name);
        return hcl_insertion(cx, &name, fixed, p.value, false, chooses);
    }
    let json = cx.json();
    let indent = cx.cursor.line_indent.as_deref();
    let unit = " ".repeat(scaffold::indent_unit(cx.doc));
    if let Some(value) = fixed_value(cx, &p.name) {
        // `"1.0"` is a string: quoted in YAML too.
        let quoted = json || value.parse::<f64>().is_ok();
        let value = if quoted {
            format!("\"{value}\"")
        } else {
            value
        };
        return (format!("{name}: {value}"), false, false);
    }
    if p.name == cx.facts.dialect.name(Field::RequestParameters)
        && is_integration(cx.facts)
        && let Some(text) = required_parameters(cx, p, indent)
    {
        return (text, true, false);
    }
    match (cx.cursor.style, p.value, indent) {
        (Style::Block, ValueShape::Map, Some(indent)) => {
            (format!("{name}:\n{indent}{unit}$0"), true, true)
        }
        (Style::Block, ValueShape::List, Some(indent)) => {
            (format!("{name}:\n{indent}{unit}- $0"), true, false)
        }
        (Style::Json, ValueShape::Map, _) => (format!("{name}: {{$0\\}}"), true, true),
        (Style::Json, ValueShape::List, _) => (format!("{name}: [$0]"), true, false),
        _ => (format!("{name}: "), false, chooses),
    }
}

/// What accepting the field `name` inserts in HCL (a Terraform block, a module input, an
/// OpenAPI body in `jsonencode`): `name = "value"` for its one value, a nested block
/// `name { }` when `block`, an object or a tuple to fill, else `name = `; whether it is
/// a snippet, and whether completion should go on.
fn hcl_insertion(
    cx: &Cx<'_, '_>,
    name: &str,
    fixed: Option<String>,
    shape: ValueShape,
    block: bool,
    chooses: bool,
) -> (String, bool, bool) {
    let indent = cx.cursor.line_indent.clone().unwrap_or_default();
    let unit = " ".repeat(scaffold::indent_unit(cx.doc));
    match (fixed, shape) {
        (Some(value), _) => (format!("{name} = \"{value}\""), false, false),
        (None, ValueShape::Map) if block => (
            format!("{name} {{\n{indent}{unit}$0\n{indent}}}"),
            true,
            false,
        ),
        (None, ValueShape::Map) => (
            format!("{name} = {{\n{indent}{unit}$0\n{indent}}}"),
            true,
            true,
        ),
        (None, ValueShape::List) => (format!("{name} = [$0]"), true, false),
        (None, _) => (format!("{name} = "), false, chooses),
    }
}

/// `RequestParameters` with every required key of the subtype, each with its default
/// value (a reference to the template's resource, a catalog placeholder) as a
/// placeholder.
fn required_parameters(cx: &Cx<'_, '_>, p: &Property, indent: Option<&str>) -> Option<String> {
    let subtype = cx.facts.subtype()?;
    if cx.facts.present.iter().any(|_| true) {
        return None;
    }
    let indent = match cx.cursor.style {
        Style::Block | Style::Json => indent?,
        Style::Flow | Style::Hcl => return None,
    };
    let pool = scaffold::Pool::of(cx.index);
    let intrinsics =
        cx.facts.host != Host::Standalone || cx.index.get().resources().next().is_some();
    let params: Vec<(Text, Node)> = subtype
        .required_params()
        .enumerate()
        .map(|(i, param)| {
            let value = scaffold::parameter_value(&pool, subtype, param, i as u32 + 1, intrinsics);
            (Text::lit(&param.name), value)
        })
        .collect();
    let mut writer = Writer::new(cx.doc, cx.facts.dialect, scaffold::indent_unit(cx.doc));
    let mut text = writer.members(&[(Text::lit(&p.name), Node::Map(params))], indent);
    if cx.json() && scaffold::member_follows(cx.doc, cx.offset) {
        text.push(',');
    }
    Some(text)
}

/// The values of an enumerated property, the usual one first.
pub(super) fn values(cx: &Cx<'_, '_>, slot: &ValueSlot, p: &Property) -> Vec<CompletionItem> {
    let http = cx.facts.host != Host::Resource
        || cx.index.get().protocol(cx.facts.api.as_deref()) == Some(Protocol::Http);
    let typed = slot.typed.trim_start_matches(['"', '\'']);
    p.values
        .iter()
        .enumerate()
        .filter(|(_, v)| matches(typed, v))
        .map(|(i, v)| {
            let mut slot = slot.clone();
            let number = v.parse::<f64>().is_ok();
            if number && !slot.in_quotes && !cx.quoted_values() {
                // A plain `1.0` is a YAML number: quote it.
                slot.open.push('"');
                slot.close.insert(0, '"');
            }
            let label = if number && !slot.in_quotes {
                format!("\"{v}\"")
            } else {
                v.clone()
            };
            // Values an HTTP API refuses (`AWS`, `MOCK` on an integration) go last.
            let refused = http && p.name == "IntegrationType" && i >= 2;
            CompletionItem {
                detail: Some(if refused {
                    "WebSocket APIs only".to_string()
                } else {
                    p.name.clone()
                }),
                documentation: Some(p.description.clone()),
                sort_text: Some(format!("{}{i:02}", u8::from(refused))),
                ..value_item(&slot, label, ItemKind::Value, &Body::plain(v), false, "")
            }
        })
        .collect()
}
