//! Hover: subtype reference, parameter documentation, expression meaning, the fields a
//! first-class integration needs, and what a logical ID or route target names; for
//! OpenAPI `x-amazon-apigateway-integration`s also shared integrations, `$ref`s and
//! `{x}` in path keys, in the OpenAPI spelling of the fields.
//!
//! Work is bounded by the resource under the cursor (found by [`context::locate`]) plus lookups
//! in the [`Index`]; the document text is never walked.

pub mod constraints;

use std::fmt::Write;
use std::ops::Range;

use super::context::{self, Located, Place};
use super::features::Hover;
use crate::catalog::{
    self, Catalog, ContextLookup, NameCase, Parameter, PartKind, Phase, Property, PropertySet,
    RequestPart, Subtype,
};
use crate::document::Document;
use crate::expr::{Expr, Source};
use crate::model::facts::terraform_api;
use crate::model::facts::{
    IntegrationFacts, OperationFacts, PathVariable, ResourceFacts, RouteFacts, is_api_gateway_type,
};
use crate::model::index::{At, Index};
use crate::model::intrinsics::ref_name;
use crate::model::{Dialect, Field, Integration, Origin};
use crate::syntax::{NodeRef, PairRef, ScalarKind};

/// The hover at byte `offset`, if there is something to say.
pub fn hover(doc: &Document, index: &Index, offset: usize) -> Option<Hover> {
    let located = context::locate(doc, offset)?;
    let cat = catalog::catalog();
    let integration = located.integration.as_ref();
    // The API whose stages hold the stage variables: `ApiId` of a resource, the resource
    // holding an inline OpenAPI body, or any API for a standalone document.
    let api = match integration {
        Some(i) if i.dialect == Dialect::CloudFormation => i.fields.get("ApiId").and_then(ref_name),
        Some(i) if i.dialect == Dialect::Terraform && !i.is_module_v4() => {
            i.fields.get("api_id").and_then(terraform_api)
        }
        _ => located.api().map(str::to_string),
    };
    let cx = Cx {
        cat,
        index,
        api: api.as_deref(),
    };
    let found = match (&located.place, integration) {
        (Place::ResourceName, _) => resource_hover(index, &located),
        (Place::IntegrationName, Some(integration)) => Some(Hover {
            range: integration.anchor.clone(),
            markdown: openapi_integration_summary(index, integration.anchor.start),
        }),
        (Place::SharedRef { name, span }, _) => Some(Hover {
            range: span.clone(),
            markdown: shared_summary(index, located.api(), name),
        }),
        (Place::PathKey { span, .. }, _) => {
            openapi_path_variable_hover(index, located.api(), span, offset)
        }
        (
            Place::FieldKey {
                field: Some(field), ..
            },
            Some(integration),
        ) => field_key_hover(cat, integration, *field, located.pair?),
        (
            Place::FieldValue {
                field: Some(field), ..
            },
            Some(integration),
        ) => {
            let (pair, value) = located.pair_value()?;
            field_value_hover(&cx, integration, *field, pair, value, offset)
        }
        (Place::FieldKey { name, .. }, _) => property_hover(&located, name),
        (Place::ParamKey, Some(integration)) => param_key_hover(cat, integration, located.pair?),
        (Place::ParamValue, Some(integration)) => {
            let (pair, value) = located.pair_value()?;
            param_value_hover(&cx, integration, pair, value, offset)
        }
        _ => None,
    };
    found.or_else(|| reference_hover(index, &located, offset))
}

// ---------------------------------------------------------------------------------
// Subtype and parameters

fn subtype_hover(cat: &Catalog, name: &str, range: Range<usize>) -> Hover {
    let markdown = match cat.subtype(name) {
        Some(subtype) => subtype_markdown(subtype),
        None => {
            let mut md = format!("`{name}` is not an integration subtype.");
            if let Some(s) = cat.suggest_subtype(name) {
                let _ = write!(md, " Did you mean `{}`?", s.name);
            }
            let names: Vec<String> = cat.subtype_names().map(|n| format!("`{n}`")).collect();
            let _ = write!(md, "\n\nThe subtypes are: {}.", names.join(", "));
            md
        }
    };
    Hover { range, markdown }
}

/// A service's display name from the subtype name (`StepFunctions-StartExecution`).
fn service_label(subtype: &Subtype) -> String {
    let prefix = subtype.name.split('-').next().unwrap_or(&subtype.service);
    match prefix {
        "StepFunctions" => "Step Functions".to_string(),
        other => other.to_string(),
    }
}

/// The full reference of a subtype: call, IAM action, parameter table, notes, link.
pub fn subtype_markdown(subtype: &Subtype) -> String {
    let mut md = format!("**{}**\n\n{}\n\n", subtype.name, subtype.summary);
    if subtype.deprecated {
        md.push_str("**Deprecated:** the underlying service API is deprecated.\n\n");
    }
    let _ = writeln!(
        md,
        "- Service call: {} `{}`",
        service_label(subtype),
        subtype.operation
    );
    let _ = writeln!(
        md,
        "- IAM action the integration role needs: `{}`\n",
        subtype.iam_action
    );
    md.push_str("| Parameter | Required | Constraints |\n| --- | --- | --- |\n");
    for param in subtype.required_params().chain(subtype.optional_params()) {
        let constraints = constraints::lines(&param.constraints).join("; ");
        let _ = writeln!(
            md,
            "| `{}` | {} | {} |",
            param.name,
            if param.required { "yes" } else { "no" },
            table_cell(&constraints)
        );
    }
    if !subtype.notes.is_empty() {
        md.push_str("\nNotes:\n");
        for note in &subtype.notes {
            let _ = writeln!(md, "- {note}");
        }
    }
    let _ = write!(md, "\n[AWS documentation]({})", subtype.doc_url);
    if let Some(url) = &subtype.api_reference_url {
        let _ = write!(md, " · [`{}` API reference]({url})", subtype.operation);
    }
    md
}

fn table_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn source_label(source: &str) -> &'static str {
    match source {
        "doc" => "the API Gateway documentation",
        "model" => "the service API model",
        "sample" => "an AWS sample",
        _ => "our own inference (treat as advice)",
    }
}

fn parameter_markdown(cat: &Catalog, subtype: &Subtype, param: &Parameter) -> String {
    let mut md = format!(
        "**{}**: {} parameter of `{}`\n\n{}\n\n",
        param.name,
        if param.required {
            "required"
        } else {
            "optional"
        },
        subtype.name,
        param.description
    );
    md.push_str("Value constraints:\n");
    for line in constraints::lines(&param.constraints) {
        let _ = writeln!(md, "- {line}");
    }
    let _ = writeln!(
        md,
        "- as configured: {}–{} characters, a static value or a mapping expression",
        cat.meta.value_min_length, cat.meta.value_max_length
    );
    let _ = write!(
        md,
        "\nSource: {} (`{}`)",
        source_label(&param.source),
        param.source
    );
    md
}

fn param_key_hover(
    cat: &Catalog,
    integration: &Integration<'_>,
    pair: PairRef<'_>,
) -> Option<Hover> {
    let subtype = cat.subtype(integration.subtype_name()?)?;
    let key = pair.key();
    let markdown = match subtype.param(key) {
        Some(param) => parameter_markdown(cat, subtype, param),
        None => {
            let mut md = format!("`{key}` is not a parameter of `{}`.", subtype.name);
            if let Some(p) = subtype.suggest_param(key) {
                let _ = write!(md, " Did you mean `{}`?", p.name);
            }
            let names: Vec<String> = subtype
                .parameters
                .iter()
                .map(|p| format!("`{}`", p.name))
                .collect();
            let _ = write!(md, "\n\nIts parameters are: {}.", names.join(", "));
            md
        }
    };
    Some(Hover {
        range: pair.key_span(),
        markdown,
    })
}

fn param_value_hover(
    cx: &Cx<'_>,
    integration: &Integration<'_>,
    pair: PairRef<'_>,
    value: NodeRef<'_>,
    offset: usize,
) -> Option<Hover> {
    if let Some((expr, range)) = context::expression_at(pair, value, offset) {
        return Some(Hover {
            range,
            markdown: expression_markdown(cx, integration, &expr),
        });
    }
    let cat = cx.cat;
    // Static text: the parameter's documentation (intrinsics answer in reference_hover).
    value.scalar()?;
    let subtype = cat.subtype(integration.subtype_name()?)?;
    let param = subtype.param(pair.key())?;
    Some(Hover {
        range: value.text_span(),
        markdown: parameter_markdown(cat, subtype, param),
    })
}

// ---------------------------------------------------------------------------------
// Expressions

/// What a request part's name is, in words: `Header names are case-insensitive;
/// several values are joined with commas.`
fn name_facts(part: &RequestPart) -> String {
    let mut md = String::new();
    let mut noun = upper_first(&part.name.noun);
    noun.push('s');
    match part.name.case {
        Some(NameCase::Insensitive) => {
            let _ = write!(md, "{noun} are case-insensitive");
        }
        Some(NameCase::Sensitive) => {
            let _ = write!(md, "{noun} are case-sensitive");
        }
        None => {}
    }
    if part.multi_value.as_deref() == Some("comma-joined") {
        md.push_str(if md.is_empty() {
            "Several"
        } else {
            "; several"
        });
        md.push_str(" values are joined with commas (`value1,value2`)");
    }
    if !md.is_empty() {
        md.push('.');
    }
    md
}

/// What expression hovers need besides the integration.
struct Cx<'a> {
    cat: &'a Catalog,
    index: &'a Index,
    /// The API whose stages define stage variables (`None`: any).
    api: Option<&'a str>,
}

fn expression_markdown(cx: &Cx<'_>, integration: &Integration<'_>, expr: &Expr) -> String {
    let (cat, index) = (cx.cat, cx.index);
    let grammar = &cat.mapping_expressions;
    let mut md = format!("**`{}`**", expr.source.to_bare());
    match &expr.source {
        Source::RequestHeader(name) | Source::RequestQuerystring(name) => {
            let kind = match &expr.source {
                Source::RequestHeader(_) => PartKind::Header,
                _ => PartKind::Querystring,
            };
            let part = grammar.part_of(kind).1;
            let _ = write!(
                md,
                ": {} `{name}`.\n\n{}",
                lower_first(&part.description),
                name_facts(part)
            );
        }
        Source::RequestPath(Some(name)) => {
            let _ = write!(
                md,
                ": value of the path variable `{{{name}}}` of the route that matched.\n\n"
            );
            match integration.dialect {
                // A module route's integration: its route is the key it is written under.
                _ if let Origin::Route { route, .. } = integration.origin => {
                    let variables = crate::model::facts::path_variables(route, 0);
                    let routes = [(format!("`{route}`"), variables.as_slice())];
                    let none = format!("The route `{route}` defines no `{{{name}}}`.");
                    write_defining_routes(&mut md, name, &routes, &none);
                }
                Dialect::CloudFormation
                | Dialect::Terraform
                | Dialect::TerraformModule
                | Dialect::Pulumi => {
                    path_variable_routes(&mut md, index, integration.name, name);
                }
                Dialect::OpenApi => openapi_path_variable_routes(&mut md, index, integration, name),
            }
        }
        Source::RequestPath(None) | Source::RequestBody(None) => {
            let kind = match &expr.source {
                Source::RequestPath(_) => PartKind::Path,
                _ => PartKind::Body,
            };
            if let Some(whole) = &grammar.part_of(kind).1.whole {
                let _ = write!(md, ": {}", lower_first(&whole.description));
                if let Some(note) = &whole.note {
                    let _ = write!(md, ", {note}");
                }
                md.push('.');
                if !whole.on_subtype_page {
                    md.push_str("\n\nDocumented for parameter mapping without a subtype; not listed on the first-class integration page.");
                }
            }
        }
        Source::RequestBody(Some(path)) => {
            let (root, body) = grammar.part_of(PartKind::Body);
            let _ = write!(
                md,
                ": the part of the JSON request body at the JSONPath `$.{path}`."
            );
            if let Some(limit) = body.truncate_body_at_bytes {
                let _ = write!(
                    md,
                    "\n\nAPI Gateway truncates the body to {} KB before evaluating the path; use `${}.{}` for larger payloads.",
                    limit / 1024,
                    root.root,
                    body.part
                );
            }
            let forbidden: Vec<String> = body
                .name
                .forbidden
                .iter()
                .map(|f| format!("{} (`{}`)", f.name, f.text))
                .collect();
            if let Some((last, rest)) = forbidden.split_last() {
                let list = if rest.is_empty() {
                    last.clone()
                } else {
                    format!("{} and {last}", rest.join(", "))
                };
                let _ = write!(md, " {} are not supported.", upper_first(&list));
            }
        }
        Source::Context(name) => context_markdown(
            &mut md,
            cat,
            name,
            integration.dialect.name(Field::RequestParameters),
        ),
        Source::StageVariable(name) => {
            stage_variable_values(&mut md, index, cx.api, name);
        }
    }
    md
}

/// `text` with its first letter in lower case (catalog descriptions start a sentence).
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `text` with its first letter in upper case.
fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn route_label(resource: &ResourceFacts, route: &RouteFacts) -> String {
    match &route.key {
        Some((key, _)) => format!("`{key}` (route `{}`)", resource.name),
        None => format!("route `{}`", resource.name),
    }
}

fn path_variable_routes(md: &mut String, index: &Index, integration: &str, name: &str) {
    let labelled: Vec<(String, &[PathVariable])> = index
        .routes_targeting(integration)
        .map(|(r, route)| (route_label(&r, route), route.path_variables.as_slice()))
        .collect();
    if labelled.is_empty() {
        let _ = write!(
            md,
            "No route in this template targets `{integration}`, so nothing defines `{{{name}}}`."
        );
        return;
    }
    let none = format!(
        "No route targeting `{integration}` defines `{{{name}}}`: the value is missing on every request."
    );
    write_defining_routes(md, name, &labelled, &none);
}

/// Lists which of `routes` (label, path variables) define `{name}` and which do not.
fn write_defining_routes(
    md: &mut String,
    name: &str,
    routes: &[(String, &[PathVariable])],
    none: &str,
) {
    let (defining, missing): (Vec<_>, Vec<_>) = routes
        .iter()
        .partition(|(_, vars)| vars.iter().any(|v| v.name == name));
    if defining.is_empty() {
        let _ = writeln!(md, "{none}");
    } else {
        md.push_str("Defined by:\n");
        for (label, vars) in &defining {
            let greedy = vars.iter().any(|v| v.name == name && v.greedy);
            let _ = writeln!(
                md,
                "- {label}{}",
                if greedy { ", greedy `{…+}`" } else { "" }
            );
        }
    }
    if !missing.is_empty() {
        md.push_str("\nNot defined by (no value on these routes):\n");
        for (label, _) in &missing {
            let _ = writeln!(md, "- {label}");
        }
    }
    if md.ends_with('\n') {
        md.pop();
    }
}

fn context_markdown(md: &mut String, cat: &Catalog, name: &str, params: &str) {
    match cat.context_variable(name) {
        ContextLookup::Known(v) => {
            let _ = write!(md, ": {}.\n\n", v.description.trim_end_matches('.'));
            if v.placeholder {
                let _ = write!(md, "One of the `{}` family.\n\n", v.name);
            }
            match v.phase {
                Phase::Request => {
                    let _ = write!(
                        md,
                        "Phase: request (known before the integration is called, so usable in `{params}`)."
                    );
                }
                Phase::Response => {
                    let _ = write!(
                        md,
                        "Phase: response (only known after the integration call; it has no value in `{params}`)."
                    );
                }
            }
            if !v.current {
                md.push_str(
                    "\n\nOnly in the 2023 list of HTTP API variables; gone from the current AWS page.",
                );
            }
        }
        ContextLookup::RestOnly => md.push_str(
            ": a REST API context variable. HTTP APIs do not have it, so it resolves to nothing.",
        ),
        ContextLookup::Unknown { suggestion } => {
            md.push_str(": not a documented HTTP API context variable.");
            if let Some(s) = suggestion {
                let _ = write!(md, " Did you mean `$context.{s}`?");
            }
        }
    }
}

fn stage_variable_values(md: &mut String, index: &Index, api: Option<&str>, name: &str) {
    let _ = write!(md, ": value of the stage variable `{name}`.\n\n");
    let stages: Vec<_> = index.stages_of(api).collect();
    if stages.is_empty() {
        md.push_str("No stage of this API is declared in this template.");
        return;
    }
    md.push_str("Per stage:\n");
    for (resource, stage) in stages {
        let label = match &stage.stage_name {
            Some(s) => format!("`{s}` (`{}`)", resource.name),
            None => format!("`{}`", resource.name),
        };
        match stage.variables.iter().flatten().find(|v| v.name == name) {
            Some(var) => match &var.value {
                Some(value) => {
                    let _ = writeln!(md, "- {label}: `{value}`");
                }
                None => {
                    let _ = writeln!(md, "- {label}: set, not a literal");
                }
            },
            None => {
                let _ = writeln!(md, "- {label}: not set");
            }
        }
    }
    if md.ends_with('\n') {
        md.pop();
    }
}

// ---------------------------------------------------------------------------------
// Integration fields

fn field_key_hover(
    cat: &Catalog,
    integration: &Integration<'_>,
    field: Field,
    pair: PairRef<'_>,
) -> Option<Hover> {
    let markdown = field_markdown(cat, integration, field, pair.value())?;
    Some(Hover {
        range: pair.key_span(),
        markdown,
    })
}

fn field_value_hover(
    cx: &Cx<'_>,
    integration: &Integration<'_>,
    field: Field,
    pair: PairRef<'_>,
    value: NodeRef<'_>,
    offset: usize,
) -> Option<Hover> {
    // `${stageVariables.role}` inside a CredentialsArn, say.
    if let Some((expr, range)) = context::expression_at(pair, value, offset)
        && matches!(expr.source, Source::StageVariable(_))
    {
        return Some(Hover {
            range,
            markdown: expression_markdown(cx, integration, &expr),
        });
    }
    let (cat, index) = (cx.cat, cx.index);
    if field == Field::Subtype {
        let name = value.text()?;
        return Some(subtype_hover(cat, name, value.text_span()));
    }
    let mut markdown = field_markdown(cat, integration, field, Some(value))?;
    if let Some(line) = referenced_line(index, value, offset) {
        let _ = write!(markdown, "\n\n{line}");
    }
    let range = if value.scalar().is_some() {
        value.text_span()
    } else {
        value.span()
    };
    Some(Hover { range, markdown })
}

fn field_markdown(
    cat: &Catalog,
    integration: &Integration<'_>,
    field: Field,
    value: Option<NodeRef<'_>>,
) -> Option<String> {
    let subtype = integration.subtype_name().and_then(|n| cat.subtype(n));
    let has_subtype = integration.has_subtype();
    let literal = value.and_then(|v| v.text());
    let dialect = integration.dialect;
    let name = |f: Field| dialect.name(f);
    let mut md = format!("**{}**\n\n", name(field));
    match field {
        Field::Subtype => {
            let names: Vec<String> = cat.subtype_names().map(|n| format!("`{n}`")).collect();
            let _ = write!(
                md,
                "The AWS service action a first-class integration calls, one of: {}.\n\nNeeds `{}: {}`, `{}: \"{}\"`, a role in `{}` and the subtype's `{}`.",
                names.join(", "),
                name(Field::IntegrationType),
                dialect.proxy_type(),
                name(Field::PayloadFormatVersion),
                cat.meta.payload_format_version,
                name(Field::Credentials),
                name(Field::RequestParameters),
            );
            if let Some(subtype) = subtype {
                let _ = write!(md, "\n\n---\n\n{}", subtype_markdown(subtype));
            }
        }
        Field::IntegrationType => {
            let want = dialect.proxy_type();
            let accepted = match dialect {
                Dialect::CloudFormation
                | Dialect::Terraform
                | Dialect::TerraformModule
                | Dialect::Pulumi => "`AWS_PROXY` and `HTTP_PROXY`",
                Dialect::OpenApi => "`aws_proxy` and `http_proxy` (in either case)",
            };
            let _ = write!(
                md,
                "A first-class integration (one with `{}`) must be `{want}`. HTTP APIs accept only {accepted}.",
                name(Field::Subtype)
            );
            match literal {
                Some(v) if dialect.is_proxy_type(v) => {
                    let _ = write!(md, "\n\nThis integration is `{v}`, as required.");
                }
                Some(v) if has_subtype => {
                    let _ = write!(
                        md,
                        "\n\nThis integration is `{v}` but has a subtype: change it to `{want}`."
                    );
                }
                _ => {}
            }
        }
        Field::PayloadFormatVersion => {
            let want = &cat.meta.payload_format_version;
            let _ = write!(
                md,
                "A first-class integration must use `\"{want}\"` (`2.0` is for Lambda proxy integrations only). It is a string: quote it in YAML."
            );
            let number = value
                .and_then(|v| v.scalar())
                .is_some_and(|s| matches!(s.kind, ScalarKind::Float | ScalarKind::Int));
            match literal {
                Some(v) if v == want && number => {
                    let _ = write!(
                        md,
                        "\n\nWritten as the number `{v}` here: quote it (`'{want}'`)."
                    );
                }
                Some(v) if v == want => {
                    let _ = write!(md, "\n\nThis integration uses `\"{v}\"`, as required.");
                }
                Some(v) if has_subtype => {
                    let _ = write!(
                        md,
                        "\n\nThis integration uses `{v}` but has a subtype: change it to `\"{want}\"`."
                    );
                }
                _ => {}
            }
        }
        Field::Credentials => {
            md.push_str(
                "The IAM role API Gateway assumes to call the AWS service. Its trust policy must allow `apigateway.amazonaws.com` to `sts:AssumeRole`, ",
            );
            match subtype {
                Some(s) => {
                    let _ = write!(
                        md,
                        "and its permissions must allow `{}` (the action of `{}`).",
                        s.iam_action, s.name
                    );
                }
                None => md.push_str("and its permissions must allow the action of the subtype."),
            }
        }
        Field::RequestParameters => match subtype {
            Some(s) => {
                let list = |params: Vec<&Parameter>| {
                    let names: Vec<String> =
                        params.iter().map(|p| format!("`{}`", p.name)).collect();
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                };
                let _ = write!(
                    md,
                    "The parameters of `{}`. Required: {}. Optional: {}.\n\nEach value is a static string or a mapping expression (`$request.header.x`, `$context.requestId`, `${{request.body.id}}` inside text, ...).",
                    s.name,
                    list(s.required_params().collect()),
                    list(s.optional_params().collect())
                );
            }
            None => return None,
        },
        Field::Timeout => {
            let http = cat.integration_timeout.http;
            let _ = write!(
                md,
                "How long API Gateway waits for the service, in milliseconds: {} to {} for HTTP APIs (the default is {}).",
                http.min_millis, http.max_millis, http.default_millis
            );
            if let Some(v) = literal {
                let _ = write!(md, "\n\nThis integration uses `{v}`.");
            }
        }
    }
    Some(md)
}

/// The hover of a property key (or OpenAPI field) the integration hovers do not cover:
/// the catalog's description, as completion shows it.
fn property_hover(located: &Located<'_>, name: &str) -> Option<Hover> {
    let type_name = match (&located.resource, located.keys.as_slice()) {
        (Some(resource), [Some("Resources"), _, Some("Properties"), _]) => resource.type_name()?,
        _ => catalog::OPENAPI_INTEGRATION,
    };
    let set = catalog::catalog().properties_of(type_name)?;
    let property = set.properties.iter().find(|p| p.name == name)?;
    Some(Hover {
        range: located.pair?.key_span(),
        markdown: property_markdown(type_name, set, property),
    })
}

/// A property's (or OpenAPI field's) documentation from the catalog.
pub fn property_markdown(type_name: &str, set: &PropertySet, p: &Property) -> String {
    let mut md = format!(
        "**{}** ({}) · `{type_name}`\n\n{}",
        p.name,
        p.need.label(),
        p.description
    );
    if !p.values.is_empty() {
        let values: Vec<String> = p.values.iter().map(|v| format!("`{v}`")).collect();
        let _ = write!(md, "\n\nValues: {}.", values.join(", "));
    }
    let _ = write!(md, "\n\n[Reference]({})", set.doc_url);
    md
}

// ---------------------------------------------------------------------------------
// Resources and references

fn integration_summary(index: &Index, name: &str) -> String {
    let cat = catalog::catalog();
    let mut md = format!("**Integration `{name}`**");
    if let Some(info) = index.integration(name) {
        match info.subtype.as_deref() {
            Some(s) => {
                let _ = write!(md, ": `{s}`");
                if let Some(subtype) = cat.subtype(s) {
                    let _ = write!(md, " ({})", subtype.summary);
                }
            }
            None => md.push_str(": no literal `IntegrationSubtype`"),
        }
    }
    let routes: Vec<String> = index
        .routes_targeting(name)
        .map(|(r, route)| route_label(&r, route))
        .collect();
    if routes.is_empty() {
        md.push_str("\n\nNo route targets this integration.");
    } else {
        md.push_str("\n\nUsed by:\n");
        for route in routes {
            let _ = writeln!(md, "- {route}");
        }
        md.pop();
    }
    md
}

fn resource_hover(index: &Index, located: &Located<'_>) -> Option<Hover> {
    let resource = located.resource.as_ref()?;
    let summary = match resource.type_name()? {
        "AWS::ApiGatewayV2::Integration" => Some(integration_summary(index, resource.name)),
        "AWS::ApiGatewayV2::Route" => {
            let (r, route) = index.route(resource.name).filter(|(r, _)| r.file == 0)?;
            let mut md = format!("**Route `{}`**", r.name);
            if let Some((key, _)) = &route.key {
                let _ = write!(md, ": `{key}`");
            }
            if let Some((target, _)) = route.target_integration() {
                let _ = write!(md, "\n\nTarget: integration `{target}`");
                if let Some(s) = index
                    .integration(target)
                    .and_then(|i| i.item.subtype.as_ref())
                {
                    let _ = write!(md, " (`{s}`)");
                }
            }
            Some(md)
        }
        _ => None,
    };
    // The CDK construct that made it, in a synthesized template.
    let construct = resource
        .construct_path()
        .map(|path| format!("CDK construct: `{path}`"));
    let markdown = match (summary, construct) {
        (Some(summary), Some(construct)) => format!("{summary}\n\n{construct}"),
        (summary, construct) => summary.or(construct)?,
    };
    Some(Hover {
        range: resource.name_span.clone(),
        markdown,
    })
}

/// One line saying what the logical ID referenced at `offset` inside `node` is.
fn referenced_line(index: &Index, node: NodeRef<'_>, offset: usize) -> Option<String> {
    let intrinsic = context::innermost_intrinsic(node, offset)?;
    let (name, _) = context::referenced_name(intrinsic, offset)?;
    Some(describe_name(index, &name))
}

fn describe_name(index: &Index, name: &str) -> String {
    if let Some(resource) = index.resource(name) {
        match resource.type_name.as_deref() {
            Some("AWS::ApiGatewayV2::Integration") => integration_summary(index, name),
            Some(t) => format!("`{name}`: a resource of type `{t}` in this template."),
            None => format!("`{name}`: a resource in this template."),
        }
    } else if index.parameter(name).is_some() {
        format!("`{name}`: a parameter of this template.")
    } else if name.starts_with("AWS::") {
        format!("`{name}`: a pseudo parameter.")
    } else {
        format!("`{name}` is not declared in this template.")
    }
}

/// Route targets, `{x}` in route keys and `!Ref`/`!GetAtt`/`${X}` in API Gateway
/// resources.
fn reference_hover(index: &Index, located: &Located<'_>, offset: usize) -> Option<Hover> {
    // A standalone OpenAPI document names the resources of the template that includes
    // it (known when it is linked).
    if located.resource.is_none()
        && let Some(integration) = &located.integration
        && let Some(intrinsic) = context::innermost_intrinsic(integration.fields, offset)
        && let Some((name, span)) = context::referenced_name(intrinsic, offset)
        && index.parts().iter().any(|p| p.file != 0)
    {
        return Some(Hover {
            range: span,
            markdown: describe_name(index, &name),
        });
    }
    let resource = located.resource.as_ref()?;
    if !resource.type_name().is_some_and(is_api_gateway_type) {
        return None;
    }
    let within = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    if let Some((r, route)) = index.route(resource.name).filter(|(r, _)| r.file == 0) {
        if let Some((target, span)) = route.target_integration()
            && within(&r.abs(span))
        {
            return Some(Hover {
                range: r.abs(span),
                markdown: describe_name(index, target),
            });
        }
        if let Some(var) = route
            .path_variables
            .iter()
            .find(|v| within(&r.abs(&v.span)))
        {
            return Some(Hover {
                range: r.abs(&var.span),
                markdown: path_variable_uses(index, &r, route, &var.name),
            });
        }
    }
    let intrinsic = context::innermost_intrinsic(resource.value, offset)?;
    let (name, span) = context::referenced_name(intrinsic, offset)?;
    Some(Hover {
        range: span,
        markdown: describe_name(index, &name),
    })
}

// ---------------------------------------------------------------------------------
// OpenAPI

/// `` `POST /runs/{runName}` ``.
fn openapi_route_label(route: &OperationFacts) -> String {
    format!("`{}`", route.route)
}

/// The subtype line of an OpenAPI integration.
fn subtype_line(md: &mut String, info: &IntegrationFacts) {
    match info.subtype.as_deref() {
        Some(s) => {
            let _ = write!(md, ": `{s}`");
            if let Some(subtype) = catalog::catalog().subtype(s) {
                let _ = write!(md, " ({})", subtype.summary);
            }
        }
        None => md.push_str(": no literal `integrationSubtype`"),
    }
}

fn shared_markdown(index: &Index, info: At<'_, IntegrationFacts>) -> String {
    let mut md = format!("**Shared integration `{}`**", info.name);
    subtype_line(&mut md, &info);
    let routes = index.routes_of(info);
    if routes.is_empty() {
        md.push_str("\n\nNo operation references it with `$ref`.");
    } else {
        md.push_str("\n\nUsed by:\n");
        for route in routes {
            let _ = writeln!(md, "- {}", openapi_route_label(&route));
        }
        md.pop();
    }
    md
}

/// What the `x-amazon-apigateway-integration` key or a shared integration's name is.
fn openapi_integration_summary(index: &Index, anchor: usize) -> String {
    let Some(info) = index.integration_at(anchor) else {
        return "**x-amazon-apigateway-integration**".to_string();
    };
    if info.shared {
        return shared_markdown(index, info);
    }
    let routes: Vec<String> = index
        .routes_of(info)
        .iter()
        .map(|r| openapi_route_label(r))
        .collect();
    let mut md = format!("**Integration of {}**", routes.join(", "));
    subtype_line(&mut md, &info);
    md
}

/// A `$ref` to a shared integration.
fn shared_summary(index: &Index, api: Option<&str>, name: &str) -> String {
    match index.shared_integration(api, name) {
        Some(info) => shared_markdown(index, info),
        None => format!(
            "`{name}` is not a shared integration of this document: add it under `components.x-amazon-apigateway-integrations`."
        ),
    }
}

/// The OpenAPI integrations an operation on a path uses (written on it, or shared).
fn integrations_on_path<'i>(
    index: &'i Index,
    api: Option<&'i str>,
    path_span: &'i Range<usize>,
) -> impl Iterator<Item = At<'i, IntegrationFacts>> + 'i {
    index
        .operations()
        .filter(move |r| {
            r.file == 0 && r.api.as_deref() == api && &r.abs(&r.path_span) == path_span
        })
        .filter_map(move |r| index.operation_target(r))
}

/// `{x}` in an OpenAPI path key.
fn openapi_path_variable_hover(
    index: &Index,
    api: Option<&str>,
    path_span: &Range<usize>,
    offset: usize,
) -> Option<Hover> {
    let route = index
        .operations()
        .find(|r| r.file == 0 && r.api.as_deref() == api && &r.abs(&r.path_span) == path_span)?;
    let var = route.item.path_variables.iter().find(|v| {
        let span = route.abs(&v.span);
        span.start <= offset && offset <= span.end
    })?;
    let name = &var.name;
    let mut md = format!(
        "**Path variable `{name}`** of `{}`\n\nRead with `$request.path.{name}`.",
        route.path
    );
    let mut seen = Vec::new();
    for info in integrations_on_path(index, api, path_span) {
        let anchor = info.abs(&info.anchor).start;
        if seen.contains(&anchor) {
            continue;
        }
        seen.push(anchor);
        let uses = info
            .item
            .expressions()
            .filter(|e| matches!(&e.source, Source::RequestPath(Some(n)) if n == name))
            .count();
        let label = if info.shared {
            format!("shared integration `{}`", info.name)
        } else {
            "the integration".to_string()
        };
        let _ = write!(
            md,
            " Used {uses} time{} by {label}.",
            if uses == 1 { "" } else { "s" }
        );
    }
    Some(Hover {
        range: route.abs(&var.span),
        markdown: md,
    })
}

/// Which OpenAPI paths define `{name}` for an integration: its operation's path, or
/// the paths of every operation referencing the shared integration.
fn openapi_path_variable_routes(
    md: &mut String,
    index: &Index,
    integration: &Integration<'_>,
    name: &str,
) {
    let Some(info) = index.integration_at(integration.anchor.start) else {
        return;
    };
    let routes = index.routes_of(info);
    if routes.is_empty() {
        let _ = write!(
            md,
            "No operation references the shared integration `{}`, so nothing defines `{{{name}}}`.",
            info.name
        );
        return;
    }
    let labelled: Vec<(String, &[PathVariable])> = routes
        .iter()
        .map(|r| (openapi_route_label(r), r.item.path_variables.as_slice()))
        .collect();
    let none = format!(
        "No path using this integration defines `{{{name}}}`: the value is missing on every request."
    );
    write_defining_routes(md, name, &labelled, &none);
}

fn path_variable_uses(
    index: &Index,
    resource: &ResourceFacts,
    route: &RouteFacts,
    name: &str,
) -> String {
    let mut md = format!(
        "**Path variable `{name}`** of {}\n\nRead with `$request.path.{name}`.",
        route_label(resource, route)
    );
    let Some(integration) = route
        .target_integration()
        .and_then(|(t, _)| index.integration(t))
    else {
        return md;
    };
    let uses = integration
        .item
        .expressions()
        .filter(|e| matches!(&e.source, Source::RequestPath(Some(n)) if n == name))
        .count();
    let _ = write!(
        md,
        " Used {uses} time{} by integration `{}`.",
        if uses == 1 { "" } else { "s" },
        integration.name
    );
    md
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::test_support::{cursor, open};

    /// `base` with the `$0` cursor marker put where `marked` (a piece of `base` with
    /// `$0` inside) first occurs.
    pub(crate) fn mark(base: &str, marked: &str) -> String {
        let plain = marked.replacen("$0", "", 1);
        let at = base
            .find(&plain)
            .unwrap_or_else(|| panic!("{plain:?} is not in the template"));
        let mut out = base.to_string();
        out.replace_range(at..at + plain.len(), marked);
        out
    }

    fn hover_on(base: &str, marked: &str) -> (String, Option<Hover>) {
        let (text, offset) = cursor(&mark(base, marked));
        let (doc, index) = open(&text);
        let found = hover(&doc, &index, offset);
        (text, found)
    }

    /// The hover's markdown, after checking that its range covers exactly `word`.
    fn hover_text(base: &str, marked: &str, word: &str) -> String {
        let (text, found) = hover_on(base, marked);
        let found = found.unwrap_or_else(|| panic!("no hover at {marked:?}"));
        assert_eq!(
            &text[found.range.clone()],
            word,
            "range of the hover at {marked:?}"
        );
        found.markdown
    }

    fn has(markdown: &str, pieces: &[&str]) {
        for piece in pieces {
            assert!(
                markdown.contains(piece),
                "{piece:?} missing from:\n{markdown}"
            );
        }
    }

    pub(crate) const YAML: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  QueueName:
    Type: String
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      ProtocolType: HTTP
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      Description: !Sub '${QueueName} sender'
      IntegrationType: AWS_PROXY
      IntegrationSubtype: SQS-SendMessage
      PayloadFormatVersion: '1.0'
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: $request.body
        MessageGroupId: $request.path.orderId
        MessageDeduplicationId: ${context.requestId}-${request.header.X-Id}
        MessageAttributes: $stageVariables.attrs
        DelaySeconds: '5'
        Region: $request.path.region
  Create:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: POST /orders/{orderId}
      Target: !Sub integrations/${Send}
  List:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: GET /orders
      Target: !Join [/, [integrations, !Ref Send]]
  Prod:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: prod
      StageVariables:
        attrs: prod-attrs
  Dev:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: dev
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref QueueName
  Role:
    Type: AWS::IAM::Role
";

    pub(crate) const JSON: &str = r#"{
  "Resources": {
    "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}},
    "Send": {
      "Type": "AWS::ApiGatewayV2::Integration",
      "Properties": {
        "ApiId": {"Ref": "Api"},
        "IntegrationType": "AWS_PROXY",
        "IntegrationSubtype": "SQS-SendMessage",
        "PayloadFormatVersion": "1.0",
        "CredentialsArn": {"Fn::GetAtt": ["Role", "Arn"]},
        "RequestParameters": {
          "QueueUrl": {"Ref": "Queue"},
          "MessageBody": "$request.body",
          "MessageGroupId": "$request.path.orderId",
          "MessageDeduplicationId": "${context.identity.sourceIp}",
          "MessageAttributes": "$stageVariables.attrs"
        }
      }
    },
    "Create": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"}, "RouteKey": "POST /orders/{orderId}", "Target": {"Fn::Join": ["/", ["integrations", {"Ref": "Send"}]]}}},
    "Prod": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Api"}, "StageName": "prod", "StageVariables": {"attrs": "a1"}}},
    "Queue": {"Type": "AWS::SQS::Queue"},
    "Role": {"Type": "AWS::IAM::Role"}
  }
}
"#;

    #[test]
    fn subtype_reference() {
        for (base, marked) in [(YAML, "SQS-Send$0Message"), (JSON, "\"SQS-Send$0Message")] {
            let md = hover_text(base, marked, "SQS-SendMessage");
            has(
                &md,
                &[
                    "**SQS-SendMessage**",
                    "Service call: SQS `SendMessage`",
                    "IAM action the integration role needs: `sqs:SendMessage`",
                    "| Parameter | Required | Constraints |",
                    "| `QueueUrl` | yes | ",
                    "| `DelaySeconds` | no | integer 0–900",
                    "FIFO queues need MessageGroupId",
                    "[AWS documentation](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html#SQS-SendMessage)",
                ],
            );
            // Required parameters come first.
            let body = md.find("| `MessageBody` | yes").unwrap_or(usize::MAX);
            let delay = md.find("| `DelaySeconds` | no").unwrap_or(0);
            assert!(body < delay, "{md}");
        }
    }

    #[test]
    fn unknown_subtype_suggests() {
        let base = YAML.replace("SQS-SendMessage", "SQS-SendMesage");
        let md = hover_text(&base, "SQS-Send$0Mesage", "SQS-SendMesage");
        has(
            &md,
            &[
                "not an integration subtype",
                "Did you mean `SQS-SendMessage`?",
            ],
        );
    }

    #[test]
    fn parameter_keys() {
        for (base, marked) in [(YAML, "Queue$0Url:"), (JSON, "\"Queue$0Url\"")] {
            let md = hover_text(base, marked, "QueueUrl");
            has(
                &md,
                &[
                    "**QueueUrl**: required parameter of `SQS-SendMessage`",
                    "URL of the target queue",
                    "Value constraints:",
                    "SQS queue URL",
                    "1–512 characters",
                    "Source: the service API model (`model`)",
                ],
            );
        }
        let md = hover_text(YAML, "Delay$0Seconds", "DelaySeconds");
        has(
            &md,
            &["optional parameter of `SQS-SendMessage`", "integer 0–900"],
        );
        let base = YAML.replace("DelaySeconds: '5'", "QueueURL: x");
        let md = hover_text(&base, "Queue$0URL", "QueueURL");
        has(
            &md,
            &[
                "not a parameter of `SQS-SendMessage`",
                "Did you mean `QueueUrl`?",
            ],
        );
    }

    #[test]
    fn static_value_shows_the_parameter() {
        let md = hover_text(YAML, "DelaySeconds: '$05'", "5");
        has(&md, &["**DelaySeconds**", "integer 0–900"]);
    }

    #[test]
    fn path_variable_names_the_routes() {
        for (base, marked) in [
            (YAML, "$request.path.ord$0erId"),
            (JSON, "$request.path.ord$0erId"),
        ] {
            let md = hover_text(base, marked, "$request.path.orderId");
            has(
                &md,
                &[
                    "**`$request.path.orderId`**",
                    "Defined by:\n- `POST /orders/{orderId}` (route `Create`)",
                ],
            );
        }
        let md = hover_text(YAML, "$request.path.ord$0erId", "$request.path.orderId");
        has(
            &md,
            &["Not defined by (no value on these routes):\n- `GET /orders` (route `List`)"],
        );
        let md = hover_text(YAML, "$request.path.reg$0ion", "$request.path.region");
        has(&md, &["No route targeting `Send` defines `{region}`"]);
        let base = YAML
            .replace("integrations/${Send}", "integrations/${Other}")
            .replace("!Ref Send]]", "!Ref Other]]");
        let md = hover_text(&base, "$request.path.ord$0erId", "$request.path.orderId");
        has(&md, &["No route in this template targets `Send`"]);
    }

    #[test]
    fn request_header_body_and_context() {
        let md = hover_text(YAML, "${request.header.X$0-Id}", "${request.header.X-Id}");
        has(
            &md,
            &[
                "**`$request.header.X-Id`**",
                "request header `X-Id`",
                "case-insensitive",
            ],
        );
        let md = hover_text(YAML, "${context.req$0uestId}", "${context.requestId}");
        has(
            &md,
            &["ID API Gateway assigned to the request", "Phase: request"],
        );
        let md = hover_text(YAML, "$request.bo$0dy", "$request.body");
        has(&md, &["whole request body"]);
        let md = hover_text(
            JSON,
            "${context.identity.sour$0ceIp}",
            "${context.identity.sourceIp}",
        );
        has(
            &md,
            &[
                "**`$context.identity.sourceIp`**",
                "Source IP address",
                "Phase: request",
            ],
        );
    }

    #[test]
    fn context_phases_and_mistakes() {
        let cases = [
            ("$context.integrationLatency", "Phase: response"),
            ("$context.resourcePath", "REST API context variable"),
            ("$context.requestid", "Did you mean `$context.requestId`?"),
            ("$request.querystring.page", "case-sensitive"),
            ("$request.body.order.id", "JSONPath `$.order.id`"),
            ("$request.path", "whole request path"),
        ];
        for (value, expected) in cases {
            let base = YAML.replace("$request.body", value);
            let marked = format!("{}$0{}", &value[..3], &value[3..]);
            let md = hover_text(&base, &marked, value);
            has(&md, &[expected]);
        }
    }

    #[test]
    fn stage_variable_values_per_stage() {
        let md = hover_text(YAML, "$stageVariables.at$0trs", "$stageVariables.attrs");
        has(
            &md,
            &[
                "stage variable `attrs`",
                "- `prod` (`Prod`): `prod-attrs`",
                "- `dev` (`Dev`): not set",
            ],
        );
        let md = hover_text(JSON, "$stageVariables.at$0trs", "$stageVariables.attrs");
        has(&md, &["- `prod` (`Prod`): `a1`"]);
    }

    #[test]
    fn integration_type_and_payload_format() {
        for (base, key, value) in [
            (YAML, "Integration$0Type", "AWS_PR$0OXY"),
            (JSON, "\"Integration$0Type", "\"AWS_PR$0OXY"),
        ] {
            let md = hover_text(base, key, "IntegrationType");
            has(
                &md,
                &["**IntegrationType**", "must be `AWS_PROXY`", "as required"],
            );
            let md = hover_text(base, value, "AWS_PROXY");
            has(&md, &["must be `AWS_PROXY`"]);
        }
        let base = YAML.replace("IntegrationType: AWS_PROXY", "IntegrationType: HTTP_PROXY");
        let md = hover_text(&base, "HTTP_PR$0OXY", "HTTP_PROXY");
        has(&md, &["change it to `AWS_PROXY`"]);

        let md = hover_text(YAML, "PayloadFormat$0Version", "PayloadFormatVersion");
        has(&md, &["`\"1.0\"`", "as required"]);
        let md = hover_text(JSON, "\"1$0.0\"", "1.0");
        has(&md, &["as required"]);
        let base = YAML.replace("PayloadFormatVersion: '1.0'", "PayloadFormatVersion: 1.0");
        let md = hover_text(&base, "PayloadFormatVersion: 1$0.0", "1.0");
        has(&md, &["Written as the number `1.0` here: quote it"]);
        let base = YAML.replace("PayloadFormatVersion: '1.0'", "PayloadFormatVersion: '2.0'");
        let md = hover_text(&base, "'2$0.0'", "2.0");
        has(&md, &["change it to `\"1.0\"`"]);
    }

    #[test]
    fn credentials_name_the_action_and_role() {
        for (base, key, value, word) in [
            (YAML, "Credentials$0Arn", "Ro$0le.Arn", "!GetAtt Role.Arn"),
            (
                JSON,
                "\"Credentials$0Arn",
                "\"Ro$0le\", \"Arn\"",
                "{\"Fn::GetAtt\": [\"Role\", \"Arn\"]}",
            ),
        ] {
            let md = hover_text(base, key, "CredentialsArn");
            has(
                &md,
                &["apigateway.amazonaws.com", "must allow `sqs:SendMessage`"],
            );
            let md = hover_text(base, value, word);
            has(
                &md,
                &[
                    "must allow `sqs:SendMessage`",
                    "`Role`: a resource of type `AWS::IAM::Role`",
                ],
            );
        }
        let base = YAML.replace("      IntegrationSubtype: SQS-SendMessage\n", "");
        let md = hover_text(&base, "Credentials$0Arn", "CredentialsArn");
        has(&md, &["must allow the action of the subtype"]);
    }

    #[test]
    fn a_resource_name_shows_its_cdk_construct() {
        let path = "Metadata:\n      aws:cdk:path: Orders/Api/POST--orders/Send/Resource\n    ";
        let base = YAML.replace(
            "  Send:\n    Type: AWS::ApiGatewayV2::Integration\n    ",
            &format!("  Send:\n    Type: AWS::ApiGatewayV2::Integration\n    {path}"),
        );
        assert_ne!(base, YAML);
        let md = hover_text(&base, "  Se$0nd:", "Send");
        has(
            &md,
            &[
                "**Integration `Send`**",
                "CDK construct: `Orders/Api/POST--orders/Send/Resource`",
            ],
        );
        // Any resource, not only API Gateway's; none without the metadata.
        let base = base.replace(
            "  Queue:\n    Type: AWS::SQS::Queue",
            "  Queue:\n    Type: AWS::SQS::Queue\n    Metadata: {aws:cdk:path: Orders/Queue/Resource}",
        );
        let md = hover_text(&base, "  Que$0ue:", "Queue");
        assert_eq!(md, "CDK construct: `Orders/Queue/Resource`");
        let md = hover_text(YAML, "  Se$0nd:", "Send");
        assert!(!md.contains("CDK construct"), "{md}");
    }

    #[test]
    fn references_and_targets() {
        let md = hover_text(YAML, "integrations/${Se$0nd}", "Send");
        has(
            &md,
            &[
                "**Integration `Send`**: `SQS-SendMessage`",
                "- `POST /orders/{orderId}` (route `Create`)",
                "- `GET /orders` (route `List`)",
            ],
        );
        let md = hover_text(YAML, "QueueUrl: !Ref Que$0ue", "Queue");
        has(&md, &["`Queue`: a resource of type `AWS::SQS::Queue`"]);
        let md = hover_text(YAML, "${Queue$0Name} sender", "QueueName");
        has(&md, &["a parameter of this template"]);
        let md = hover_text(JSON, "{\"Ref\": \"Se$0nd\"}", "Send");
        has(&md, &["**Integration `Send`**"]);
        let md = hover_text(YAML, "  Se$0nd:", "Send");
        has(&md, &["Used by:"]);
        let md = hover_text(YAML, "  Cre$0ate:", "Create");
        has(
            &md,
            &[
                "`POST /orders/{orderId}`",
                "integration `Send` (`SQS-SendMessage`)",
            ],
        );
        let md = hover_text(YAML, "{order$0Id}", "orderId");
        has(
            &md,
            &[
                "`$request.path.orderId`",
                "Used 1 time by integration `Send`",
            ],
        );
    }

    #[test]
    fn flow_and_long_forms() {
        let base = "Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {IntegrationSubtype: Kinesis-PutRecord, CredentialsArn: {'Fn::GetAtt': [Role, Arn]}, RequestParameters: {StreamName: s, Data: $request.body, PartitionKey: \"${request.path.id}\"}}
  R:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: PUT /things/{id}
      Target:
        Fn::Sub: integrations/${Int}
  Role:
    Type: AWS::IAM::Role
";
        let md = hover_text(base, "Kinesis-Put$0Record", "Kinesis-PutRecord");
        has(&md, &["`kinesis:PutRecord`", "| `PartitionKey` | yes |"]);
        let md = hover_text(base, "Partition$0Key", "PartitionKey");
        has(&md, &["required parameter of `Kinesis-PutRecord`"]);
        let md = hover_text(base, "${request.path.i$0d}", "${request.path.id}");
        has(&md, &["`PUT /things/{id}` (route `R`)"]);
        let md = hover_text(base, "[Ro$0le, Arn]", "{'Fn::GetAtt': [Role, Arn]}");
        has(&md, &["`kinesis:PutRecord`", "`AWS::IAM::Role`"]);
        let md = hover_text(base, "${In$0t}", "Int");
        has(&md, &["`Kinesis-PutRecord`"]);
    }

    #[test]
    fn folded_value_uses_the_whole_text() {
        let base = "Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        MessageBody: \"$request.header.x\\u0041\"
";
        let (text, found) = hover_on(base, "$request.hea$0der");
        let found = found.expect("hover on an escaped value");
        assert_eq!(&text[found.range], "$request.header.x\\u0041");
        has(&found.markdown, &["request header `xA`"]);
    }

    #[test]
    fn silent_elsewhere_and_on_broken_documents() {
        assert!(hover_on(YAML, "Name: ord$0ers").1.is_none());
        // Not one of our resources.
        assert!(hover_on(YAML, "QueueName: !Ref Queue$0Name").1.is_none());
        assert!(hover_on(YAML, "AWSTemplate$0FormatVersion").1.is_none());
        let broken = format!("{YAML}  Bad: [\n    {{ : \n");
        let md = hover_text(&broken, "SQS-Send$0Message", "SQS-SendMessage");
        has(&md, &["sqs:SendMessage"]);
        let truncated = &JSON[..JSON.find("\"MessageAttributes").unwrap_or(0)];
        let (_, found) = hover_on(truncated, "SQS-Send$0Message");
        if let Some(found) = found {
            has(&found.markdown, &["sqs:SendMessage"]);
        }
        let (doc, index) = open("");
        assert!(hover(&doc, &index, 0).is_none());
        assert!(hover(&doc, &index, 10).is_none());
    }

    // ---- OpenAPI ----

    pub(crate) const OPENAPI: &str = r##"openapi: "3.0.1"
info:
  title: orders-api
  version: "1.0"
paths:
  /orders/{orderId}:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        integrationSubtype: SQS-SendMessage
        credentials: arn:aws:iam::123456789012:role/orders-api-sqs
        payloadFormatVersion: "1.0"
        requestParameters:
          QueueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/orders
          MessageBody: $request.body
          MessageGroupId: $request.path.orderId
          MessageDeduplicationId: ${context.requestId}
  /runs/{runName}:
    put:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/startRun"
  /jobs/{runName}/{step}:
    post:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/startRun"
  /other:
    get:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/startRun"
  /$default:
    x-amazon-apigateway-any-method:
      isDefaultRoute: true
      x-amazon-apigateway-integration:
        type: aws_proxy
        integrationSubtype: EventBridge-PutEvents
        credentials: arn:aws:iam::123456789012:role/orders-api-events
        payloadFormatVersion: "1.0"
        requestParameters:
          Source: com.example.orders
          DetailType: UnmatchedRequest
          Detail: $request.body
components:
  x-amazon-apigateway-integrations:
    startRun:
      type: aws_proxy
      integrationSubtype: StepFunctions-StartExecution
      credentials: arn:aws:iam::123456789012:role/orders-api-sfn
      payloadFormatVersion: "1.0"
      requestParameters:
        StateMachineArn: arn:aws:states:us-east-1:123456789012:stateMachine:runs
        Name: $request.path.runName
        Input: $request.body
"##;

    pub(crate) const OPENAPI_JSON: &str = r##"{
  "openapi": "3.0.1",
  "info": {"title": "orders-api", "version": "1.0"},
  "paths": {
    "/orders/{orderId}": {
      "post": {
        "x-amazon-apigateway-integration": {
          "type": "AWS_PROXY",
          "integrationSubtype": "SQS-SendMessage",
          "credentials": "arn:aws:iam::123456789012:role/orders-api-sqs",
          "payloadFormatVersion": "1.0",
          "requestParameters": {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
            "MessageBody": "$request.body",
            "MessageGroupId": "$request.path.orderId"
          }
        }
      }
    },
    "/runs/{runName}": {
      "put": {"x-amazon-apigateway-integration": {"$ref": "#/components/x-amazon-apigateway-integrations/startRun"}}
    }
  },
  "components": {
    "x-amazon-apigateway-integrations": {
      "startRun": {
        "type": "aws_proxy",
        "integrationSubtype": "StepFunctions-StartExecution",
        "credentials": "arn:aws:iam::123456789012:role/orders-api-sfn",
        "payloadFormatVersion": "1.0",
        "requestParameters": {
          "StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:runs",
          "Name": "$request.path.runName"
        }
      }
    }
  }
}
"##;

    pub(crate) const SAM: &str = "Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: prod
      StageVariables:
        attrs: prod-attrs
      DefinitionBody:
        openapi: \"3.0.1\"
        info: { title: orders, version: \"1.0\" }
        paths:
          /orders/{id}:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                integrationSubtype: SQS-SendMessage
                credentials: !GetAtt OrdersApiRole.Arn
                payloadFormatVersion: \"1.0\"
                requestParameters:
                  QueueUrl: !Ref OrdersQueue
                  MessageBody: $request.body
                  MessageGroupId: $request.path.id
                  MessageAttributes: $stageVariables.attrs
  OrdersQueue:
    Type: AWS::SQS::Queue
  OrdersApiRole:
    Type: AWS::IAM::Role
";

    #[test]
    fn openapi_subtypes_and_parameters() {
        for (base, marked) in [
            (OPENAPI, "SQS-Send$0Message"),
            (OPENAPI_JSON, "\"SQS-Send$0Message"),
            (SAM, "SQS-Send$0Message"),
        ] {
            let md = hover_text(base, marked, "SQS-SendMessage");
            has(&md, &["**SQS-SendMessage**", "`sqs:SendMessage`"]);
            let md = hover_text(base, "Queue$0Url", "QueueUrl");
            has(
                &md,
                &["**QueueUrl**: required parameter of `SQS-SendMessage`"],
            );
        }
        let md = hover_text(OPENAPI, "EventBridge-Put$0Events", "EventBridge-PutEvents");
        has(&md, &["**EventBridge-PutEvents**"]);
        let md = hover_text(OPENAPI, "StateMachine$0Arn", "StateMachineArn");
        has(
            &md,
            &["required parameter of `StepFunctions-StartExecution`"],
        );
    }

    #[test]
    fn openapi_fields_speak_openapi() {
        for base in [OPENAPI, OPENAPI_JSON, SAM] {
            let md = hover_text(base, "integration$0Subtype", "integrationSubtype");
            has(
                &md,
                &[
                    "**integrationSubtype**",
                    "Needs `type: aws_proxy`, `payloadFormatVersion: \"1.0\"`, a role in `credentials` and the subtype's `requestParameters`.",
                ],
            );
            let md = hover_text(base, "payloadFormat$0Version", "payloadFormatVersion");
            has(&md, &["**payloadFormatVersion**", "as required"]);
            let md = hover_text(base, "cred$0entials", "credentials");
            has(&md, &["**credentials**", "must allow `sqs:SendMessage`"]);
            let md = hover_text(base, "request$0Parameters", "requestParameters");
            has(
                &md,
                &[
                    "**requestParameters**",
                    "Required: `QueueUrl`, `MessageBody`",
                ],
            );
        }
        let md = hover_text(OPENAPI, "ty$0pe: aws_proxy", "type");
        has(
            &md,
            &[
                "**type**",
                "(one with `integrationSubtype`) must be `aws_proxy`",
                "as required",
            ],
        );
        // AWS writes both spellings.
        let md = hover_text(OPENAPI_JSON, "\"AWS_PR$0OXY\"", "AWS_PROXY");
        has(&md, &["as required"]);
        let base = OPENAPI.replacen("type: aws_proxy", "type: http_proxy", 1);
        let md = hover_text(&base, "http_pr$0oxy", "http_proxy");
        has(&md, &["change it to `aws_proxy`"]);
        let md = hover_text(OPENAPI, "${context.req$0uestId}", "${context.requestId}");
        has(&md, &["usable in `requestParameters`"]);
    }

    #[test]
    fn openapi_path_variables_name_the_paths() {
        for base in [OPENAPI, OPENAPI_JSON] {
            let md = hover_text(base, "$request.path.ord$0erId", "$request.path.orderId");
            has(&md, &["Defined by:\n- `POST /orders/{orderId}`"]);
        }
        let md = hover_text(OPENAPI, "$request.path.run$0Name", "$request.path.runName");
        has(
            &md,
            &[
                "Defined by:\n- `PUT /runs/{runName}`\n- `POST /jobs/{runName}/{step}`",
                "Not defined by (no value on these routes):\n- `GET /other`",
            ],
        );
        let md = hover_text(SAM, "$request.path.i$0d", "$request.path.id");
        has(&md, &["Defined by:\n- `POST /orders/{id}`"]);
        let base = OPENAPI.replace("$request.path.orderId", "$request.path.nope");
        let md = hover_text(&base, "$request.path.no$0pe", "$request.path.nope");
        has(&md, &["No path using this integration defines `{nope}`"]);
        let md = hover_text(OPENAPI, "/runs/{run$0Name}", "runName");
        has(
            &md,
            &[
                "**Path variable `runName`** of `/runs/{runName}`",
                "Used 1 time by shared integration `startRun`.",
            ],
        );
        let md = hover_text(OPENAPI, "{order$0Id}:", "orderId");
        has(&md, &["Used 1 time by the integration."]);
    }

    #[test]
    fn openapi_shared_integrations_and_refs() {
        let md = hover_text(
            OPENAPI,
            "integrations/start$0Run\"\n  /jobs",
            "#/components/x-amazon-apigateway-integrations/startRun",
        );
        has(
            &md,
            &[
                "**Shared integration `startRun`**: `StepFunctions-StartExecution`",
                "Used by:\n- `PUT /runs/{runName}`\n- `POST /jobs/{runName}/{step}`\n- `GET /other`",
            ],
        );
        let md = hover_text(OPENAPI, "    start$0Run:", "startRun");
        has(&md, &["**Shared integration `startRun`**"]);
        let md = hover_text(OPENAPI_JSON, "\"start$0Run\": {", "startRun");
        has(&md, &["Used by:\n- `PUT /runs/{runName}`"]);
        let md = hover_text(
            OPENAPI,
            "      x-amazon-apigateway-integ$0ration:\n        type: aws_proxy\n        integrationSubtype: EventBridge",
            "x-amazon-apigateway-integration",
        );
        has(
            &md,
            &["**Integration of `ANY /$default`**: `EventBridge-PutEvents`"],
        );
        let base = OPENAPI.replacen("integrations/startRun", "integrations/stopRun", 1);
        let md = hover_text(
            &base,
            "integrations/stop$0Run",
            "#/components/x-amazon-apigateway-integrations/stopRun",
        );
        has(
            &md,
            &["`stopRun` is not a shared integration of this document"],
        );
    }

    #[test]
    fn sam_body_references_and_stage_variables() {
        // As for `CredentialsArn`: the field, and what the intrinsic names.
        let md = hover_text(
            SAM,
            "!GetAtt OrdersApi$0Role.Arn",
            "!GetAtt OrdersApiRole.Arn",
        );
        has(
            &md,
            &[
                "**credentials**",
                "must allow `sqs:SendMessage`",
                "`OrdersApiRole`: a resource of type `AWS::IAM::Role`",
            ],
        );
        let md = hover_text(SAM, "!Ref Orders$0Queue", "OrdersQueue");
        has(&md, &["`AWS::SQS::Queue`"]);
        let md = hover_text(SAM, "$stageVariables.at$0trs", "$stageVariables.attrs");
        has(&md, &["- `prod` (`OrdersApi`): `prod-attrs`"]);
        assert!(hover_on(SAM, "openapi: \"3.0$0.1\"").1.is_none());
        assert!(hover_on(OPENAPI, "title: orders$0-api").1.is_none());
        assert!(hover_on(OPENAPI, "isDefault$0Route").1.is_none());
    }
}
