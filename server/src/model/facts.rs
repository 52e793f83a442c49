//! What one entry declares and uses, for the rules that look across resources.
//!
//! Facts are small, owned and computed once per entry (the analysis caches them by the
//! entry's stamp), so a keystroke rebuilds the facts of the one entry it touched and the
//! cross-resource rules then join the facts of all entries (see `rules::cross`) without
//! walking any value tree. Spans are relative to the entry's base.

use std::ops::Range;

use crate::document::EntryRef;
use crate::expr::Source;
use crate::syntax::{NodeKind, NodeRef};

use super::template::{integration_target, path_variables, ref_name, references_in, sub_variables};
use super::{
    Dialect, Field, Integration, Origin, Protocol, inline_openapi, openapi, resources_in_entry,
};

/// A logical ID named by an intrinsic, with the span of the name (see
/// [`super::template::references_in`]).
pub type NameUse = (String, Range<usize>);

/// A reference to a logical ID, as an intrinsic writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reference {
    /// `!Ref X`, or `!Sub "${X}"`.
    Ref(String),
    /// `!GetAtt X.Attr`, or `!Sub "${X.Attr}"`.
    GetAtt(String, String),
}

impl Reference {
    pub fn name(&self) -> &str {
        match self {
            Reference::Ref(n) | Reference::GetAtt(n, _) => n,
        }
    }

    /// How the reference is written in YAML short form: `!Ref X`, `!GetAtt X.Arn`.
    pub fn display(&self) -> String {
        match self {
            Reference::Ref(n) => format!("!Ref {n}"),
            Reference::GetAtt(n, a) => format!("!GetAtt {n}.{a}"),
        }
    }
}

/// Reads a value that is exactly one reference: `!Ref X`, `!GetAtt X.Attr`,
/// `!GetAtt [X, Attr]`, or a `!Sub` whose whole text is one `${X}` / `${X.Attr}`.
pub fn reference_of(node: NodeRef<'_>) -> Option<Reference> {
    let intrinsic = node.intrinsic()?;
    let arg = node.intrinsic_argument()?;
    match intrinsic.name.as_str() {
        "Ref" => Some(Reference::Ref(arg.text()?.to_string())),
        "Fn::GetAtt" => match arg.kind() {
            NodeKind::Seq(_) => {
                let mut items = arg.items();
                let name = items.next()?.text()?;
                let attr = items.next()?.text()?;
                Some(Reference::GetAtt(name.to_string(), attr.to_string()))
            }
            _ => {
                let (name, attr) = arg.text()?.split_once('.')?;
                Some(Reference::GetAtt(name.to_string(), attr.to_string()))
            }
        },
        "Fn::Sub" => {
            let text = match arg.kind() {
                NodeKind::Seq(_) => return None,
                _ => arg.text()?,
            };
            let inner = text.strip_prefix("${")?.strip_suffix('}')?;
            if inner.contains(['$', '{', '}']) || inner.starts_with('!') {
                return None;
            }
            Some(match inner.split_once('.') {
                Some((name, attr)) => Reference::GetAtt(name.to_string(), attr.to_string()),
                None => Reference::Ref(inner.to_string()),
            })
        }
        _ => None,
    }
}

/// The logical IDs a value names anywhere inside it (`Ref`, `GetAtt`, `${X}` of `Sub`).
pub fn names_in(node: NodeRef<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match node.kind() {
            NodeKind::Map(_) => stack.extend(node.pairs().filter_map(|p| p.value())),
            NodeKind::Seq(_) => stack.extend(node.items()),
            NodeKind::Intrinsic(intrinsic) => {
                let Some(arg) = node.intrinsic_argument() else {
                    continue;
                };
                match intrinsic.name.as_str() {
                    "Ref" | "Fn::GetAtt" => match reference_of(node) {
                        Some(r) => out.push(r.name().to_string()),
                        None => {
                            if let Some(first) = arg.items().next() {
                                stack.push(first);
                            }
                        }
                    },
                    "Fn::Sub" => {
                        let template = match arg.kind() {
                            NodeKind::Seq(_) => {
                                stack.extend(arg.items().skip(1));
                                arg.items().next()
                            }
                            _ => Some(arg),
                        };
                        if let Some(text) = template.and_then(|t| t.text()) {
                            out.extend(sub_variables(text).into_iter().map(|(n, _)| n));
                        }
                    }
                    _ => stack.push(arg),
                }
            }
            _ => {}
        }
    }
    out
}

/// One IAM policy statement, reduced to what the permission check needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Statement {
    /// Lower-cased actions (`sqs:sendmessage`, `sqs:*`, `*`); `None` when they are not
    /// all literal, or the statement uses `NotAction` (treated as allowing anything).
    pub actions: Option<Vec<String>>,
    /// The logical IDs named by the resources, or `None` when some resource could
    /// cover anything (`*`, a wildcard, a literal ARN, an intrinsic we cannot follow).
    pub resources: Option<Vec<String>>,
}

impl Statement {
    /// Whether the statement allows `action` (e.g. `sqs:SendMessage`).
    pub fn allows(&self, action: &str) -> bool {
        let Some(actions) = &self.actions else {
            return true;
        };
        let action = action.to_ascii_lowercase();
        actions.iter().any(|a| glob_match(a, &action))
    }

    /// Whether the statement's resources may cover the resource named `target`.
    pub fn covers(&self, target: &str) -> bool {
        match &self.resources {
            None => true,
            Some(names) => names.iter().any(|n| n == target),
        }
    }
}

/// `*` and `?` wildcard matching, as IAM does for actions.
fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The `Allow` statements of a policy document; `None` when the document is not
/// written out (an intrinsic, a parameter).
fn statements(document: Option<NodeRef<'_>>) -> Option<Vec<Statement>> {
    let document = document?;
    if !document.is_map() {
        return None;
    }
    let list = document.get("Statement")?;
    let items: Vec<NodeRef<'_>> = match list.kind() {
        NodeKind::Seq(_) => list.items().collect(),
        NodeKind::Map(_) => vec![list],
        _ => return None,
    };
    let mut out = Vec::new();
    for item in items {
        if !item.is_map() {
            return None;
        }
        match item.get("Effect").and_then(|e| e.text()) {
            Some("Deny") => continue,
            Some("Allow") => {}
            _ => return None,
        }
        let actions = match item.get("Action") {
            Some(a) if item.get("NotAction").is_none() => literal_list(a)
                .map(|list| list.into_iter().map(|s| s.to_ascii_lowercase()).collect()),
            _ => None,
        };
        let resources = match item.get("Resource") {
            Some(r) if item.get("NotResource").is_none() => resource_names(r),
            _ => None,
        };
        out.push(Statement { actions, resources });
    }
    Some(out)
}

/// A string or a list of strings, all literal.
fn literal_list(node: NodeRef<'_>) -> Option<Vec<String>> {
    if let Some(text) = node.text() {
        return Some(vec![text.to_string()]);
    }
    match node.kind() {
        NodeKind::Seq(_) => node.items().map(|i| i.text().map(str::to_string)).collect(),
        _ => None,
    }
}

/// The logical IDs a policy's `Resource` names; `None` if any entry could cover more.
fn resource_names(node: NodeRef<'_>) -> Option<Vec<String>> {
    let items: Vec<NodeRef<'_>> = match node.kind() {
        NodeKind::Seq(_) => node.items().collect(),
        _ => vec![node],
    };
    let mut names = Vec::new();
    for item in items {
        if item.text().is_some() {
            // `*`, a wildcard or a literal ARN: we cannot tell what it names.
            return None;
        }
        let found = names_in(item);
        let pseudo_only = found.iter().all(|n| n.starts_with("AWS::"));
        if found.is_empty() || pseudo_only {
            return None;
        }
        names.extend(found.into_iter().filter(|n| !n.starts_with("AWS::")));
    }
    Some(names)
}

/// Whether a trust policy lets API Gateway assume the role: `Some(false)` only when
/// the document is written out and no `Allow` statement names the service.
fn trusts_api_gateway(document: Option<NodeRef<'_>>) -> Option<bool> {
    let document = document?;
    let list = document.get("Statement")?;
    let items: Vec<NodeRef<'_>> = match list.kind() {
        NodeKind::Seq(_) => list.items().collect(),
        NodeKind::Map(_) => vec![list],
        _ => return None,
    };
    for item in items {
        if item.get("Effect").and_then(|e| e.text()) != Some("Allow") {
            if item.get("Effect").is_some_and(|e| e.text().is_none()) {
                return None;
            }
            continue;
        }
        let Some(principal) = item.get("Principal") else {
            continue;
        };
        if principal.text() == Some("*") {
            return Some(true);
        }
        let Some(service) = principal.get("Service") else {
            if principal.intrinsic().is_some() {
                return None;
            }
            continue;
        };
        match literal_list(service) {
            Some(services) => {
                if services
                    .iter()
                    .any(|s| s == "apigateway.amazonaws.com" || s == "apigateway")
                {
                    return Some(true);
                }
            }
            None => return None,
        }
    }
    Some(false)
}

/// What a resource is, as far as the cross-resource rules care.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// `AWS::SQS::Queue`: `Some(true)` for FIFO, `None` when it cannot be told.
    Queue {
        fifo: Option<bool>,
    },
    /// A Step Functions state machine: `STANDARD`/`EXPRESS`, `None` when unknown.
    StateMachine {
        kind: Option<String>,
    },
    /// An HTTP or WebSocket API.
    Api {
        /// `None` when `ProtocolType` is not written out.
        protocol: Option<Protocol>,
        has_body: bool,
    },
    /// `AWS::IAM::Role`: whether API Gateway may assume it, its inline statements
    /// (`None` when some policy is not written out), and whether policies from outside
    /// the template may be attached (`ManagedPolicyArns` naming no template policy).
    Role {
        trusts_api_gateway: Option<bool>,
        statements: Option<Vec<Statement>>,
        managed: Vec<String>,
        external_policies: bool,
    },
    /// `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` or `AWS::IAM::RolePolicy`: the
    /// roles it attaches to (logical IDs) and its statements.
    Policy {
        roles: Vec<String>,
        statements: Option<Vec<Statement>>,
    },
    /// A resource-based policy (`AWS::SQS::QueuePolicy`, `AWS::Events::EventBusPolicy`,
    /// ...): the logical IDs it names. It may grant the integration role access.
    ResourcePolicy {
        names: Vec<String>,
    },
    /// `AWS::ApiGatewayV2::Route`.
    Route(RouteFacts),
    /// `AWS::ApiGatewayV2::Stage`, or the stage a SAM `HttpApi` declares.
    Stage {
        api: Option<String>,
        /// `None` when `StageVariables` is not a literal mapping.
        variables: Option<Vec<String>>,
    },
    /// `AWS::ApiGatewayV2::Integration`.
    Integration {
        api: Option<String>,
    },
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RouteFacts {
    pub api: Option<String>,
    /// The literal route key and its span.
    pub key: Option<(String, Range<usize>)>,
    pub target: Option<Target>,
}

/// A route's `Target`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// `integrations/<X>` where X is a logical ID (`!Ref`, `${X}`) or a literal ID.
    Integration {
        name: String,
        span: Range<usize>,
        literal: bool,
    },
    /// Something else, with the span of the value, and the corrected value when the
    /// target is a plain reference to a logical ID (`!Ref X`).
    Other {
        text: Option<String>,
        span: Range<usize>,
        replacement: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceFacts {
    pub name: String,
    pub name_span: Range<usize>,
    pub type_name: Option<String>,
    pub kind: ResourceKind,
}

/// A `RequestParameters` entry of an integration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamFacts {
    pub name: String,
    pub key_span: Range<usize>,
    pub value_span: Range<usize>,
    /// The value when it is exactly one reference.
    pub reference: Option<Reference>,
    /// The literal value, when written as one.
    pub literal: Option<String>,
    /// Logical IDs named inside a `Sub` or other intrinsic (not a plain reference).
    pub names: Vec<String>,
    /// `$request.path.NAME` uses: the name and its span.
    pub path_uses: Vec<(String, Range<usize>)>,
    /// `$stageVariables.NAME` uses.
    pub stage_uses: Vec<(String, Range<usize>)>,
}

/// What an integration uses from elsewhere in the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationFacts {
    pub dialect: Dialect,
    /// Logical ID (resource), path (operation) or shared integration name.
    pub name: String,
    pub anchor: Range<usize>,
    /// The API it belongs to: its `ApiId` reference, or the API resource whose body
    /// holds it. `None` in standalone OpenAPI files or when unresolved.
    pub api: Option<String>,
    pub subtype: Option<String>,
    pub has_subtype: bool,
    /// The literal integration type and its span.
    pub integration_type: Option<(String, Range<usize>)>,
    /// The credentials value when it is a reference, with the value's span.
    pub credentials: Option<(Reference, Range<usize>)>,
    pub timeout: Option<i64>,
    pub params: Vec<ParamFacts>,
    /// For an integration written on an OpenAPI operation: the path variables of its
    /// route. `None` for resources and shared integrations (their routes are found
    /// across entries).
    pub own_path_variables: Option<Vec<String>>,
    /// Whether this is a shared OpenAPI integration (used through `$ref`).
    pub shared: bool,
    /// Whether the document is JSON (fixes then write long-form intrinsics).
    pub json: bool,
    /// Logical IDs named by the integration's intrinsics, with the spans of the names;
    /// empty in a standalone OpenAPI document, which has no resources to name.
    pub refs: Vec<NameUse>,
}

/// An OpenAPI operation that uses a shared integration through `$ref`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SharedUseFacts {
    pub api: Option<String>,
    pub name: String,
    pub path_variables: Vec<String>,
}

/// Everything one entry contributes to cross-resource rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub resources: Vec<ResourceFacts>,
    pub integrations: Vec<IntegrationFacts>,
    pub shared_uses: Vec<SharedUseFacts>,
    /// Template parameter names declared by the entry.
    pub parameters: Vec<String>,
    /// What routes, IAM roles and IAM policies name in their intrinsics: the resource's
    /// logical ID and the names with their spans. A use, not a declaration: typing in
    /// one of them re-checks that entry alone.
    pub resource_refs: Vec<(String, Vec<NameUse>)>,
    /// The template's transforms (`Transform`), and `Fn::Transform` / `Fn::ForEach`
    /// where resources are expected: each may add resources we cannot see. `?` stands
    /// for one that is not written out.
    pub transforms: Vec<String>,
}

impl Facts {
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.integrations.is_empty()
            && self.shared_uses.is_empty()
            && self.parameters.is_empty()
            && self.transforms.is_empty()
    }
}

/// The transforms a `Transform` value names: a name, a list of names, or macros written
/// as `{Name: ..., Parameters: ...}`; `?` for one that is not a literal.
fn transform_names(value: Option<NodeRef<'_>>) -> Vec<String> {
    let Some(value) = value else {
        return vec!["?".to_string()];
    };
    let items: Vec<NodeRef<'_>> = match value.kind() {
        NodeKind::Seq(_) => value.items().collect(),
        _ => vec![value],
    };
    items
        .into_iter()
        .map(|item| {
            item.text()
                .or_else(|| item.get("Name").and_then(|n| n.text()))
                .unwrap_or("?")
                .to_string()
        })
        .collect()
}

/// Whether a member of `Resources` is not a resource but something that makes them
/// (`Fn::Transform` snippets, `Fn::ForEach` loops), or a resource that includes a
/// snippet into itself.
fn generates_resources(resource: &super::Resource<'_>) -> bool {
    resource.name == "Fn::Transform"
        || resource.name.starts_with("Fn::ForEach")
        || resource.value.get("Fn::Transform").is_some()
}

/// Reads the facts of one entry.
pub fn facts(entry: EntryRef<'_>, json: bool) -> Facts {
    let mut facts = Facts::default();
    let rel =
        |r: Range<usize>| r.start.saturating_sub(entry.base)..r.end.saturating_sub(entry.base);
    match (entry.section, entry.key()) {
        (None, Some("Transform")) => facts.transforms = transform_names(entry.value()),
        (Some("Parameters"), Some(name)) => facts.parameters.push(name.to_string()),
        (None, Some("Parameters")) if !entry.entry.splits => {
            if let Some(v) = entry.value() {
                facts
                    .parameters
                    .extend(v.pairs().map(|p| p.key().to_string()));
            }
        }
        (Some("paths"), _) | (None, Some("paths" | "components")) => {
            let mut uses = Vec::new();
            let mut out = Vec::new();
            match (entry.section, entry.key()) {
                (Some("paths"), Some(path)) => {
                    openapi::path_item(path, entry.key_span(), entry.value(), &mut out, &mut uses)
                }
                (None, Some("paths")) => {
                    for path in entry.value().into_iter().flat_map(|v| v.pairs()) {
                        openapi::path_item(
                            path.key(),
                            path.key_span(),
                            path.value(),
                            &mut out,
                            &mut uses,
                        );
                    }
                }
                _ => {
                    if let Some(value) = entry.value() {
                        openapi::components(value, &mut out);
                    }
                }
            }
            push_openapi(&mut facts, None, &out, &uses, &rel, json);
        }
        _ => {
            for resource in resources_in_entry(entry) {
                if generates_resources(&resource) {
                    facts.transforms.push("Fn::Transform".to_string());
                }
                let kind = resource_kind(&resource, &rel);
                if matches!(
                    kind,
                    ResourceKind::Route(_)
                        | ResourceKind::Role { .. }
                        | ResourceKind::Policy { .. }
                ) {
                    let refs = references_in(resource.value)
                        .into_iter()
                        .map(|(name, span)| (name, rel(span)))
                        .collect();
                    facts.resource_refs.push((resource.name.to_string(), refs));
                }
                if let Some(body) = inline_openapi(&resource) {
                    let (mut out, mut uses) = (Vec::new(), Vec::new());
                    openapi::document(body, &mut out, &mut uses);
                    push_openapi(&mut facts, Some(resource.name), &out, &uses, &rel, json);
                }
                if let Some(integration) = Integration::from_resource(&resource) {
                    let api = integration.fields.get("ApiId").and_then(ref_name);
                    facts
                        .integrations
                        .push(integration_facts(&integration, api, &rel, json, true));
                }
                if resource.type_name() == Some("AWS::Serverless::HttpApi") {
                    let props = resource.value.get("Properties");
                    facts.resources.push(ResourceFacts {
                        name: resource.name.to_string(),
                        name_span: rel(resource.name_span.clone()),
                        type_name: resource.type_name().map(str::to_string),
                        kind: ResourceKind::Stage {
                            api: Some(resource.name.to_string()),
                            variables: stage_variables(props),
                        },
                    });
                }
                facts.resources.push(ResourceFacts {
                    name: resource.name.to_string(),
                    name_span: rel(resource.name_span.clone()),
                    type_name: resource.type_name().map(str::to_string),
                    kind,
                });
            }
        }
    }
    facts
}

fn push_openapi(
    facts: &mut Facts,
    api: Option<&str>,
    integrations: &[Integration<'_>],
    uses: &[openapi::SharedUse<'_>],
    rel: &impl Fn(Range<usize>) -> Range<usize>,
    json: bool,
) {
    for integration in integrations {
        facts.integrations.push(integration_facts(
            integration,
            api.map(str::to_string),
            rel,
            json,
            api.is_some(),
        ));
    }
    for shared in uses {
        facts.shared_uses.push(SharedUseFacts {
            api: api.map(str::to_string),
            name: shared.name.clone(),
            path_variables: path_variables(shared.path, 0)
                .into_iter()
                .map(|v| v.name)
                .collect(),
        });
    }
}

fn integration_facts(
    integration: &Integration<'_>,
    api: Option<String>,
    rel: &impl Fn(Range<usize>) -> Range<usize>,
    json: bool,
    in_template: bool,
) -> IntegrationFacts {
    let params = integration
        .request_parameters()
        .into_iter()
        .flat_map(|p| p.pairs())
        .filter_map(|pair| {
            let value = pair.value()?;
            let mut path_uses = Vec::new();
            let mut stage_uses = Vec::new();
            let literal = value.text().map(str::to_string);
            if let Some(text) = &literal {
                let parsed = crate::expr::parse_value(text);
                for e in parsed.exprs() {
                    let inner = e.name_range.clone().unwrap_or_else(|| e.range.clone());
                    let range = rel(value.map_inner(inner).unwrap_or_else(|| value.text_span()));
                    match &e.source {
                        Source::RequestPath(Some(name)) => path_uses.push((name.clone(), range)),
                        Source::StageVariable(name) => stage_uses.push((name.clone(), range)),
                        _ => {}
                    }
                }
            }
            let reference = reference_of(value);
            let names = if reference.is_none() && value.intrinsic().is_some() {
                names_in(value)
            } else {
                Vec::new()
            };
            Some(ParamFacts {
                name: pair.key().to_string(),
                key_span: rel(pair.key_span()),
                value_span: rel(if value.text().is_some() {
                    value.text_span()
                } else {
                    value.span()
                }),
                reference,
                literal,
                names,
                path_uses,
                stage_uses,
            })
        })
        .collect();
    let credentials = integration
        .field(Field::Credentials)
        .and_then(|p| p.value())
        .and_then(|v| Some((reference_of(v)?, rel(v.span()))));
    let own_path_variables = match &integration.origin {
        Origin::Operation { path, .. } => Some(
            path_variables(path, 0)
                .into_iter()
                .map(|v| v.name)
                .collect(),
        ),
        _ => None,
    };
    IntegrationFacts {
        dialect: integration.dialect,
        name: integration.name.to_string(),
        anchor: rel(integration.anchor.clone()),
        api,
        subtype: integration.subtype_name().map(str::to_string),
        has_subtype: integration.has_subtype(),
        integration_type: integration
            .literal(Field::IntegrationType)
            .map(|(t, s)| (t.to_string(), rel(s))),
        credentials,
        timeout: integration
            .literal(Field::Timeout)
            .and_then(|(t, _)| t.trim().parse().ok()),
        params,
        own_path_variables,
        shared: matches!(integration.origin, Origin::Shared),
        json,
        refs: if in_template {
            references_in(integration.fields)
                .into_iter()
                .map(|(name, span)| (name, rel(span)))
                .collect()
        } else {
            Vec::new()
        },
    }
}

fn stage_variables(props: Option<NodeRef<'_>>) -> Option<Vec<String>> {
    match props.and_then(|p| p.get("StageVariables")) {
        None => Some(Vec::new()),
        Some(vars) if vars.is_map() => Some(vars.pairs().map(|p| p.key().to_string()).collect()),
        Some(_) => None,
    }
}

/// A literal boolean (`true`, `"true"`) or `None` for anything else.
fn literal_bool(node: Option<NodeRef<'_>>) -> Option<bool> {
    match node?.text()?.to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn resource_kind(
    resource: &super::Resource<'_>,
    rel: &impl Fn(Range<usize>) -> Range<usize>,
) -> ResourceKind {
    let props = resource.value.get("Properties");
    let prop = |name: &str| props.and_then(|p| p.get(name));
    match resource.type_name() {
        Some("AWS::SQS::Queue") => {
            let fifo = match prop("FifoQueue") {
                None => match prop("QueueName") {
                    Some(n) => n.text().map(|t| t.ends_with(".fifo")),
                    None => Some(false),
                },
                some => literal_bool(some),
            };
            ResourceKind::Queue { fifo }
        }
        Some("AWS::StepFunctions::StateMachine") => ResourceKind::StateMachine {
            kind: match prop("StateMachineType") {
                None => Some("STANDARD".to_string()),
                Some(t) => t.text().map(str::to_ascii_uppercase),
            },
        },
        Some("AWS::Serverless::StateMachine") => ResourceKind::StateMachine {
            kind: match prop("Type") {
                None => Some("STANDARD".to_string()),
                Some(t) => t.text().map(str::to_ascii_uppercase),
            },
        },
        Some(api @ ("AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi")) => ResourceKind::Api {
            protocol: Protocol::of_api(Some(api), props),
            has_body: api == "AWS::Serverless::HttpApi"
                || prop("Body").is_some()
                || prop("BodyS3Location").is_some(),
        },
        Some("AWS::IAM::Role") => {
            let mut statements = Some(Vec::new());
            match prop("Policies") {
                None => {}
                Some(policies) if matches!(policies.kind(), NodeKind::Seq(_)) => {
                    for policy in policies.items() {
                        match (
                            statements.as_mut(),
                            self::statements(policy.get("PolicyDocument")),
                        ) {
                            (Some(all), Some(found)) => all.extend(found),
                            _ => statements = None,
                        }
                    }
                }
                Some(_) => statements = None,
            }
            let mut managed = Vec::new();
            let mut external_policies = false;
            if let Some(arns) = prop("ManagedPolicyArns") {
                let items: Vec<NodeRef<'_>> = match arns.kind() {
                    NodeKind::Seq(_) => arns.items().collect(),
                    _ => vec![arns],
                };
                for item in items {
                    match reference_of(item) {
                        Some(Reference::Ref(name)) => managed.push(name),
                        _ => external_policies = true,
                    }
                }
            }
            ResourceKind::Role {
                trusts_api_gateway: trusts_api_gateway(prop("AssumeRolePolicyDocument")),
                statements,
                managed,
                external_policies,
            }
        }
        Some("AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy") => {
            let mut roles = Vec::new();
            for key in ["Roles", "RoleName"] {
                if let Some(value) = prop(key) {
                    let items: Vec<NodeRef<'_>> = match value.kind() {
                        NodeKind::Seq(_) => value.items().collect(),
                        _ => vec![value],
                    };
                    roles.extend(items.into_iter().flat_map(names_in));
                }
            }
            ResourceKind::Policy {
                roles,
                statements: statements(prop("PolicyDocument")),
            }
        }
        Some("AWS::ApiGatewayV2::Route") => {
            // An empty key is pointed at with its quotes.
            let key = prop("RouteKey").and_then(|k| {
                let text = k.text()?;
                let span = if text.is_empty() {
                    k.span()
                } else {
                    k.text_span()
                };
                Some((text.to_string(), rel(span)))
            });
            let target = prop("Target").map(|t| match integration_target(t) {
                Some((name, span)) => Target::Integration {
                    name,
                    span: rel(span),
                    literal: t.text().is_some(),
                },
                None => Target::Other {
                    text: t.text().map(str::to_string),
                    replacement: match (reference_of(t), t.intrinsic()) {
                        (Some(Reference::Ref(name)), Some(i)) if i.short_form => {
                            Some(format!("!Sub integrations/${{{name}}}"))
                        }
                        (Some(Reference::Ref(name)), Some(_)) => {
                            Some(format!("{{\"Fn::Sub\": \"integrations/${{{name}}}\"}}"))
                        }
                        _ => None,
                    },
                    span: rel(if t.text().is_some() {
                        t.text_span()
                    } else {
                        t.span()
                    }),
                },
            });
            ResourceKind::Route(RouteFacts {
                api: prop("ApiId").and_then(ref_name),
                key,
                target,
            })
        }
        Some(
            "AWS::SQS::QueuePolicy"
            | "AWS::Events::EventBusPolicy"
            | "AWS::Kinesis::ResourcePolicy"
            | "AWS::SNS::TopicPolicy",
        ) => ResourceKind::ResourcePolicy {
            names: props.map(names_in).unwrap_or_default(),
        },
        Some("AWS::ApiGatewayV2::Stage") => ResourceKind::Stage {
            api: prop("ApiId").and_then(ref_name),
            variables: stage_variables(props),
        },
        Some("AWS::ApiGatewayV2::Integration") => ResourceKind::Integration {
            api: prop("ApiId").and_then(ref_name),
        },
        _ => ResourceKind::Other,
    }
}
