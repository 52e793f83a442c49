//! The cross-resource index of a CloudFormation template: resources by logical ID,
//! parameters, routes (with their route keys, path variables and target integration),
//! stages (with their stage variables) and APIs.
//!
//! Built from the entries in one pass (no text walk); spans are absolute for the
//! document version it was built from. The LSP layer keeps one per document and
//! rebuilds it lazily after a change.

use std::collections::HashMap;
use std::ops::Range;

use crate::document::Document;
use crate::expr::Source;
use crate::syntax::{NodeKind, NodeRef};

use super::openapi::{self, INTEGRATION_KEY, REF_PREFIX, SHARED_INTEGRATIONS};
use super::{Dialect, Integration, Origin, Protocol, Resource, inline_openapi, resources_in_entry};

/// A resource's logical ID, type and where it is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceInfo {
    pub name: String,
    pub name_span: Range<usize>,
    pub type_name: Option<String>,
    /// The whole resource definition's span (for outlines and selections).
    pub span: Range<usize>,
}

/// A `{name}` or `{name+}` variable of a route key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathVariable {
    pub name: String,
    /// The span of `name` inside the route key (absolute).
    pub span: Range<usize>,
    pub greedy: bool,
}

/// An `AWS::ApiGatewayV2::Route`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    pub name: String,
    pub name_span: Range<usize>,
    pub span: Range<usize>,
    pub route_key: Option<String>,
    pub route_key_span: Option<Range<usize>>,
    pub path_variables: Vec<PathVariable>,
    /// Logical ID of the integration in `Target`, when it can be resolved.
    pub target: Option<String>,
    /// Span of the integration's name inside `Target` (for go-to-definition).
    pub target_span: Option<Range<usize>>,
    /// Logical ID of the API in `ApiId`, when it is a `Ref`.
    pub api: Option<String>,
}

/// One `StageVariables` entry of a stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageVariable {
    pub name: String,
    pub name_span: Range<usize>,
    pub value: Option<String>,
}

/// An `AWS::ApiGatewayV2::Stage` (or a SAM `HttpApi`'s stage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageInfo {
    pub name: String,
    pub name_span: Range<usize>,
    pub stage_name: Option<String>,
    pub api: Option<String>,
    pub variables: Vec<StageVariable>,
}

/// An `AWS::ApiGatewayV2::Api` (or `AWS::Serverless::HttpApi`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiInfo {
    pub name: String,
    pub name_span: Range<usize>,
    pub span: Range<usize>,
    pub protocol: Option<Protocol>,
}

/// An `AWS::ApiGatewayV2::Integration`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationInfo {
    pub name: String,
    pub name_span: Range<usize>,
    /// The whole resource definition's span.
    pub span: Range<usize>,
    /// The literal `IntegrationSubtype`.
    pub subtype: Option<String>,
    /// Logical ID of the API in `ApiId`, when it is a `Ref`.
    pub api: Option<String>,
    /// The valid mapping expressions of the literal `RequestParameters` values, with
    /// their document ranges (the whole value's text when it was unescaped or folded).
    pub expressions: Vec<(Source, Range<usize>)>,
}

/// An `x-amazon-apigateway-integration` written on an OpenAPI operation, or a shared
/// integration under `components.x-amazon-apigateway-integrations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiIntegrationInfo {
    /// Logical ID of the API resource whose inline body holds it (`None` in a
    /// standalone OpenAPI document).
    pub api: Option<String>,
    /// The path (on an operation) or the shared integration's name.
    pub name: String,
    pub shared: bool,
    /// The `x-amazon-apigateway-integration` key, or the shared integration's name.
    pub anchor: Range<usize>,
    /// From the anchor to the end of the fields.
    pub span: Range<usize>,
    /// The literal `integrationSubtype`.
    pub subtype: Option<String>,
    /// The valid mapping expressions of the literal `requestParameters` values.
    pub expressions: Vec<(Source, Range<usize>)>,
}

/// What an OpenAPI operation's integration is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenApiTarget {
    /// Written on the operation: the index in [`TemplateIndex::openapi_integrations`].
    Inline(usize),
    /// A `$ref` to a shared integration: its name, the span of the `$ref` value and of
    /// the whole `$ref` pair.
    Shared {
        name: String,
        ref_span: Range<usize>,
        span: Range<usize>,
    },
}

/// An OpenAPI operation carrying an `x-amazon-apigateway-integration`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenApiRoute {
    pub api: Option<String>,
    /// `POST /orders`, `ANY /$default`.
    pub route: String,
    pub path: String,
    pub path_span: Range<usize>,
    pub path_variables: Vec<PathVariable>,
    /// The method key (`post`, `x-amazon-apigateway-any-method`).
    pub method_span: Range<usize>,
    /// From the method key to the end of the operation.
    pub span: Range<usize>,
    pub target: OpenApiTarget,
}

/// A use of a logical ID (resource or template parameter) inside an API Gateway
/// resource: `Ref`, `Fn::GetAtt`, a `${Name}` of `Fn::Sub`, or `DependsOn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameReference {
    pub name: String,
    /// The span of the name (the whole string when it was unescaped or folded).
    pub span: Range<usize>,
    /// Logical ID of the resource holding the reference.
    pub from: String,
}

/// An index that is built only when something asks for it: typing a key or an
/// expression needs no cross-resource data, so a keystroke does not pay for a rebuild.
#[derive(Clone, Copy)]
pub enum LazyIndex<'a> {
    Built(&'a TemplateIndex),
    Lazy {
        doc: &'a Document,
        cell: &'a std::cell::OnceCell<TemplateIndex>,
    },
}

impl<'a> LazyIndex<'a> {
    pub fn get(&self) -> &'a TemplateIndex {
        match self {
            LazyIndex::Built(index) => index,
            LazyIndex::Lazy { doc, cell } => cell.get_or_init(|| TemplateIndex::build(doc)),
        }
    }
}

impl<'a> From<&'a TemplateIndex> for LazyIndex<'a> {
    fn from(index: &'a TemplateIndex) -> Self {
        LazyIndex::Built(index)
    }
}

/// Everything that links resources together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateIndex {
    pub resources: Vec<ResourceInfo>,
    by_name: HashMap<String, usize>,
    /// Template parameters: name and the span of their key.
    pub parameters: Vec<(String, Range<usize>)>,
    pub routes: Vec<RouteInfo>,
    pub stages: Vec<StageInfo>,
    pub apis: Vec<ApiInfo>,
    pub integrations: Vec<IntegrationInfo>,
    /// Logical-ID references made from API Gateway resources (see
    /// [`is_api_gateway_type`]), in document order.
    pub references: Vec<NameReference>,
    /// OpenAPI integrations (standalone documents and inline bodies), in document order.
    pub openapi_integrations: Vec<OpenApiIntegrationInfo>,
    /// OpenAPI operations with an integration, in document order.
    pub openapi_routes: Vec<OpenApiRoute>,
}

impl TemplateIndex {
    pub fn build(doc: &Document) -> Self {
        let mut index = TemplateIndex::default();
        for entry in doc.entries() {
            if entry.section == Some("Parameters") {
                if let Some(name) = entry.key() {
                    index.parameters.push((name.to_string(), entry.key_span()));
                }
                continue;
            }
            if entry.section.is_none() && entry.key() == Some("Parameters") && !entry.entry.splits {
                if let Some(v) = entry.value() {
                    index
                        .parameters
                        .extend(v.pairs().map(|p| (p.key().to_string(), p.key_span())));
                }
                continue;
            }
            match (entry.section, entry.key()) {
                (Some("paths"), Some(path)) => {
                    index.add_path(None, path, entry.key_span(), entry.value());
                }
                (None, Some("paths")) if !entry.entry.splits => {
                    for path in entry.value().into_iter().flat_map(|v| v.pairs()) {
                        index.add_path(None, path.key(), path.key_span(), path.value());
                    }
                }
                (None, Some("components")) => {
                    if let Some(value) = entry.value() {
                        index.add_components(None, value);
                    }
                }
                _ => {
                    for resource in resources_in_entry(entry) {
                        index.add(&resource);
                        if let Some(body) = inline_openapi(&resource) {
                            let api = Some(resource.name);
                            for path in body.get("paths").into_iter().flat_map(|p| p.pairs()) {
                                index.add_path(api, path.key(), path.key_span(), path.value());
                            }
                            if let Some(components) = body.get("components") {
                                index.add_components(api, components);
                            }
                        }
                    }
                }
            }
        }
        index
    }

    fn add_openapi_integration(
        &mut self,
        api: Option<&str>,
        name: &str,
        anchor: Range<usize>,
        fields: NodeRef<'_>,
        shared: bool,
    ) -> usize {
        let integration = Integration {
            dialect: Dialect::OpenApi,
            name,
            anchor: anchor.clone(),
            fields,
            origin: Origin::Shared,
        };
        let expressions = integration
            .parameter_values()
            .iter()
            .flat_map(|v| {
                v.parsed
                    .exprs()
                    .map(|e| (e.source.clone(), v.doc_range(e.range.clone())))
            })
            .collect();
        self.openapi_integrations.push(OpenApiIntegrationInfo {
            api: api.map(str::to_string),
            name: name.to_string(),
            shared,
            anchor: anchor.clone(),
            span: anchor.start..fields.span().end,
            subtype: integration.subtype_name().map(str::to_string),
            expressions,
        });
        self.openapi_integrations.len() - 1
    }

    /// The operations of one OpenAPI path item.
    fn add_path(
        &mut self,
        api: Option<&str>,
        path: &str,
        path_span: Range<usize>,
        item: Option<NodeRef<'_>>,
    ) {
        let Some(item) = item else { return };
        let path_variables = if path.len() == path_span.len() {
            path_variables(path, path_span.start)
        } else {
            path_variables(path, path_span.start)
                .into_iter()
                .map(|v| PathVariable {
                    span: path_span.clone(),
                    ..v
                })
                .collect()
        };
        for op in item.pairs() {
            let Some(method) = openapi::method_name(op.key()) else {
                continue;
            };
            let Some(op_value) = op.value() else { continue };
            let Some(pair) = op_value.pair(INTEGRATION_KEY) else {
                continue;
            };
            let Some(fields) = pair.value().filter(|v| v.is_map()) else {
                continue;
            };
            let target = match fields.pair("$ref") {
                Some(reference) => {
                    let Some(value) = reference.value().filter(|v| v.text().is_some()) else {
                        continue;
                    };
                    let text = value.text().unwrap_or_default();
                    OpenApiTarget::Shared {
                        name: text.strip_prefix(REF_PREFIX).unwrap_or(text).to_string(),
                        ref_span: value.text_span(),
                        span: reference.key_span().start..value.span().end,
                    }
                }
                None => OpenApiTarget::Inline(self.add_openapi_integration(
                    api,
                    path,
                    pair.key_span(),
                    fields,
                    false,
                )),
            };
            self.openapi_routes.push(OpenApiRoute {
                api: api.map(str::to_string),
                route: format!("{method} {path}"),
                path: path.to_string(),
                path_span: path_span.clone(),
                path_variables: path_variables.clone(),
                method_span: op.key_span(),
                span: op.key_span().start..op_value.span().end,
                target,
            });
        }
    }

    /// The shared integrations of a `components` mapping.
    fn add_components(&mut self, api: Option<&str>, components: NodeRef<'_>) {
        let Some(shared) = components.get(SHARED_INTEGRATIONS) else {
            return;
        };
        for pair in shared.pairs() {
            if let Some(fields) = pair.value().filter(|v| v.is_map()) {
                self.add_openapi_integration(api, pair.key(), pair.key_span(), fields, true);
            }
        }
    }

    /// The OpenAPI integration whose anchor (extension key or shared name) starts at
    /// `anchor`.
    pub fn openapi_integration_at(&self, anchor: usize) -> Option<&OpenApiIntegrationInfo> {
        self.openapi_integrations
            .iter()
            .find(|i| i.anchor.start == anchor)
    }

    /// The shared integration `name` of the OpenAPI document `api`.
    pub fn shared_integration(
        &self,
        api: Option<&str>,
        name: &str,
    ) -> Option<&OpenApiIntegrationInfo> {
        self.openapi_integrations
            .iter()
            .find(|i| i.shared && i.name == name && i.api.as_deref() == api)
    }

    /// The operations of document `api` that `$ref` the shared integration `name`.
    pub fn routes_using<'s>(
        &'s self,
        api: Option<&'s str>,
        name: &'s str,
    ) -> impl Iterator<Item = &'s OpenApiRoute> + 's {
        self.openapi_routes.iter().filter(move |r| {
            r.api.as_deref() == api
                && matches!(&r.target, OpenApiTarget::Shared { name: n, .. } if n == name)
        })
    }

    /// The operations whose integration is `integration` (written on them, or shared).
    pub fn routes_of<'s>(
        &'s self,
        integration: &'s OpenApiIntegrationInfo,
    ) -> Box<dyn Iterator<Item = &'s OpenApiRoute> + 's> {
        if integration.shared {
            Box::new(self.routes_using(integration.api.as_deref(), &integration.name))
        } else {
            Box::new(self.openapi_routes.iter().filter(move |r| {
                matches!(r.target, OpenApiTarget::Inline(i)
                    if self.openapi_integrations.get(i).is_some_and(|x| x.anchor == integration.anchor))
            }))
        }
    }

    fn add(&mut self, resource: &Resource<'_>) {
        let type_name = resource.type_name();
        let span = resource.name_span.start..resource.value.span().end;
        self.by_name
            .insert(resource.name.to_string(), self.resources.len());
        self.resources.push(ResourceInfo {
            name: resource.name.to_string(),
            name_span: resource.name_span.clone(),
            type_name: type_name.map(str::to_string),
            span: span.clone(),
        });
        let props = resource.value.get("Properties");
        if type_name.is_some_and(is_api_gateway_type) {
            collect_references(resource, &mut self.references);
        }
        match type_name {
            Some("AWS::ApiGatewayV2::Integration") => {
                let expressions = Integration::from_resource(resource)
                    .map(|integration| {
                        integration
                            .parameter_values()
                            .iter()
                            .flat_map(|v| {
                                v.parsed
                                    .exprs()
                                    .map(|e| (e.source.clone(), v.doc_range(e.range.clone())))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                self.integrations.push(IntegrationInfo {
                    name: resource.name.to_string(),
                    name_span: resource.name_span.clone(),
                    span,
                    subtype: props
                        .and_then(|p| p.get("IntegrationSubtype"))
                        .and_then(|s| s.text())
                        .map(str::to_string),
                    api: props.and_then(|p| p.get("ApiId")).and_then(ref_name),
                    expressions,
                });
            }
            Some("AWS::ApiGatewayV2::Route") => {
                let key = props.and_then(|p| p.get("RouteKey"));
                let route_key = key.and_then(|k| k.text()).map(str::to_string);
                let route_key_span = key.filter(|k| k.text().is_some()).map(|k| k.text_span());
                let path_variables = match (&route_key, &route_key_span) {
                    (Some(text), Some(span)) if key.is_some_and(|k| k.is_verbatim()) => {
                        path_variables(text, span.start)
                    }
                    (Some(text), Some(span)) => path_variables(text, span.start)
                        .into_iter()
                        .map(|v| PathVariable {
                            span: span.clone(),
                            ..v
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let target = props
                    .and_then(|p| p.get("Target"))
                    .and_then(integration_target);
                self.routes.push(RouteInfo {
                    name: resource.name.to_string(),
                    name_span: resource.name_span.clone(),
                    span,
                    route_key,
                    route_key_span,
                    path_variables,
                    target: target.as_ref().map(|(t, _)| t.clone()),
                    target_span: target.map(|(_, s)| s),
                    api: props.and_then(|p| p.get("ApiId")).and_then(ref_name),
                });
            }
            Some("AWS::ApiGatewayV2::Stage") => {
                let api = props.and_then(|p| p.get("ApiId")).and_then(ref_name);
                self.stages.push(stage_info(resource, props, api));
            }
            Some("AWS::ApiGatewayV2::Api" | "AWS::Serverless::HttpApi") => {
                self.apis.push(ApiInfo {
                    name: resource.name.to_string(),
                    name_span: resource.name_span.clone(),
                    span,
                    protocol: Protocol::of_api(type_name, props),
                });
                if type_name == Some("AWS::Serverless::HttpApi") {
                    // A SAM HttpApi declares its own stage and stage variables.
                    let stage = stage_info(resource, props, Some(resource.name.to_string()));
                    if !stage.variables.is_empty() {
                        self.stages.push(stage);
                    }
                }
            }
            _ => {}
        }
    }

    /// The protocol of the API named `api` (see [`Protocol::resolve`]).
    pub fn protocol(&self, api: Option<&str>) -> Option<Protocol> {
        let api = api?;
        let declared = self.apis.iter().find(|a| a.name == api).map(|a| a.protocol);
        Protocol::resolve(api, declared)
    }

    pub fn resource(&self, name: &str) -> Option<&ResourceInfo> {
        self.by_name.get(name).and_then(|&i| self.resources.get(i))
    }

    pub fn parameter(&self, name: &str) -> Option<&Range<usize>> {
        self.parameters
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// The routes whose `Target` is the integration `name`.
    pub fn routes_targeting<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s RouteInfo> + 's {
        self.routes
            .iter()
            .filter(move |r| r.target.as_deref() == Some(name))
    }

    /// The integration with logical ID `name`.
    pub fn integration(&self, name: &str) -> Option<&IntegrationInfo> {
        self.integrations.iter().find(|i| i.name == name)
    }

    /// The references to the logical ID `name` made from API Gateway resources.
    pub fn references_to<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s NameReference> + 's {
        self.references.iter().filter(move |r| r.name == name)
    }

    /// The stages of the API with logical ID `api` (all stages when `api` is unknown).
    pub fn stages_of<'s>(
        &'s self,
        api: Option<&'s str>,
    ) -> impl Iterator<Item = &'s StageInfo> + 's {
        self.stages
            .iter()
            .filter(move |s| api.is_none() || s.api.is_none() || s.api.as_deref() == api)
    }
}

/// Whether a resource type belongs to API Gateway HTTP/WebSocket APIs
/// (`AWS::ApiGatewayV2::*` or a SAM `AWS::Serverless::HttpApi`).
pub fn is_api_gateway_type(type_name: &str) -> bool {
    type_name.starts_with("AWS::ApiGatewayV2::") || type_name == "AWS::Serverless::HttpApi"
}

/// Every logical-ID reference in a resource: `DependsOn` and the intrinsics of its
/// definition.
fn collect_references(resource: &Resource<'_>, out: &mut Vec<NameReference>) {
    let from = resource.name;
    let first = out.len();
    let mut push = |name: &str, span: Range<usize>| {
        out.push(NameReference {
            name: name.to_string(),
            span,
            from: from.to_string(),
        });
    };
    if let Some(depends) = resource.value.get("DependsOn") {
        for node in std::iter::once(depends).chain(depends.items()) {
            if let Some(name) = node.text() {
                push(name, node.text_span());
            }
        }
    }
    for (name, span) in references_in(resource.value) {
        push(&name, span);
    }
    out[first..].sort_by_key(|r| r.span.start);
}

/// Every logical-ID reference made by the intrinsics inside `node`: the name of a
/// `Ref` (SAM's `Api.Stage` form whole), of a `Fn::GetAtt` (before the attribute), and
/// each `${Name}` / `${Name.Attr}` of a `Fn::Sub` that is not one of its own variables,
/// with the span of the name (of the whole string when it was unescaped or folded).
/// Pseudo parameters (`AWS::Region`) are included. In no particular order.
pub fn references_in(node: NodeRef<'_>) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut push = |name: &str, span: Range<usize>| out.push((name.to_string(), span));
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
                    "Ref" => match arg.text() {
                        Some(name) => push(name, arg.text_span()),
                        None => stack.push(arg),
                    },
                    "Fn::GetAtt" => match arg.kind() {
                        NodeKind::Seq(_) => {
                            let mut items = arg.items();
                            if let Some(first) = items.next() {
                                match first.text() {
                                    Some(name) => push(name, first.text_span()),
                                    None => stack.push(first),
                                }
                            }
                            stack.extend(items);
                        }
                        _ => match arg.text() {
                            Some(text) => {
                                let name = text.split('.').next().unwrap_or(text);
                                let span = arg.text_span();
                                let range = if arg.is_verbatim() {
                                    span.start..span.start + name.len()
                                } else {
                                    span
                                };
                                push(name, range);
                            }
                            None => stack.push(arg),
                        },
                    },
                    "Fn::Sub" => {
                        let (template, vars) = match arg.kind() {
                            NodeKind::Seq(_) => {
                                let mut items = arg.items();
                                (items.next(), items.next())
                            }
                            _ => (Some(arg), None),
                        };
                        let local = |name: &str| vars.is_some_and(|v| v.pair(name).is_some());
                        match template.and_then(|t| t.text().map(|text| (t, text))) {
                            Some((t, text)) => {
                                let span = t.text_span();
                                let verbatim = t.is_verbatim();
                                for (name, r) in sub_variables(text) {
                                    if local(&name) {
                                        continue;
                                    }
                                    let range = if verbatim {
                                        span.start + r.start..span.start + r.end
                                    } else {
                                        span.clone()
                                    };
                                    push(&name, range);
                                }
                            }
                            None => stack.extend(template),
                        }
                        stack.extend(vars);
                    }
                    _ => stack.push(arg),
                }
            }
            _ => {}
        }
    }
    out
}

/// The `${Name}` / `${Name.Attr}` variables of a `Fn::Sub` string: the name (before any
/// dot) and its byte range in `text`. `${!Literal}` escapes are skipped.
pub fn sub_variables(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(open) = text[search..].find("${") {
        let start = search + open + 2;
        let Some(close) = text[start..].find('}').map(|c| start + c) else {
            break;
        };
        let inner = &text[start..close];
        if !inner.starts_with('!') {
            let name = inner.split('.').next().unwrap_or(inner);
            if !name.is_empty() {
                out.push((name.to_string(), start..start + name.len()));
            }
        }
        search = close + 1;
    }
    out
}

/// A stage (or a SAM HttpApi's own stage) with its `StageName` and `StageVariables`.
fn stage_info(
    resource: &Resource<'_>,
    props: Option<NodeRef<'_>>,
    api: Option<String>,
) -> StageInfo {
    let variables = props
        .and_then(|p| p.get("StageVariables"))
        .map(|vars| {
            vars.pairs()
                .map(|p| StageVariable {
                    name: p.key().to_string(),
                    name_span: p.key_span(),
                    value: p.value().and_then(|v| v.text()).map(str::to_string),
                })
                .collect()
        })
        .unwrap_or_default();
    StageInfo {
        name: resource.name.to_string(),
        name_span: resource.name_span.clone(),
        stage_name: props
            .and_then(|p| p.get("StageName"))
            .and_then(|s| s.text())
            .map(str::to_string),
        api,
        variables,
    }
}

/// The `{name}` / `{name+}` variables of a route key such as `GET /pets/{id}/{proxy+}`,
/// with spans relative to `base` (the offset of the route key's first byte).
pub fn path_variables(route_key: &str, base: usize) -> Vec<PathVariable> {
    let mut out = Vec::new();
    let mut rest = route_key;
    let mut offset = 0;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let inner = &after[..close];
        let (name, greedy) = match inner.strip_suffix('+') {
            Some(n) => (n, true),
            None => (inner, false),
        };
        if !name.is_empty() {
            let start = base + offset + open + 1;
            out.push(PathVariable {
                name: name.to_string(),
                span: start..start + name.len(),
                greedy,
            });
        }
        let consumed = open + 1 + close + 1;
        offset += consumed;
        rest = &rest[consumed..];
    }
    out
}

/// The logical ID a `!Ref X` / `{Ref: X}` names.
pub fn ref_name(node: NodeRef<'_>) -> Option<String> {
    let intrinsic = node.intrinsic()?;
    if intrinsic.name != "Ref" {
        return None;
    }
    node.intrinsic_argument()?.text().map(str::to_string)
}

/// The integration a route `Target` names: `integrations/<id>` written with
/// `!Sub integrations/${X}`, `!Join [/, [integrations, !Ref X]]`, or a literal
/// `integrations/X`. Returns the logical ID and the span of its name.
pub fn integration_target(target: NodeRef<'_>) -> Option<(String, Range<usize>)> {
    if let Some(text) = target.text() {
        let id = text.strip_prefix("integrations/")?;
        let span = target.text_span();
        let start = span.end.saturating_sub(id.len());
        return Some((id.to_string(), start..span.end));
    }
    let intrinsic = target.intrinsic()?;
    let arg = target.intrinsic_argument()?;
    match intrinsic.name.as_str() {
        "Fn::Sub" => {
            let template = match arg.kind() {
                NodeKind::Seq(_) => arg.items().next()?,
                _ => arg,
            };
            let text = template.text()?;
            let rest = text.strip_prefix("integrations/${")?;
            let name = rest.strip_suffix('}')?;
            let span = template.text_span();
            let range = if template.is_verbatim() {
                let start = span.start + "integrations/${".len();
                start..start + name.len()
            } else {
                span
            };
            Some((name.to_string(), range))
        }
        "Fn::Join" => {
            let mut items = arg.items();
            let sep = items.next()?.text().unwrap_or("").to_string();
            let parts = items.next()?;
            let mut prefix = String::new();
            let mut found: Option<(String, Range<usize>)> = None;
            for (i, part) in parts.items().enumerate() {
                if i > 0 {
                    prefix.push_str(&sep);
                }
                if let Some(t) = part.text() {
                    prefix.push_str(t);
                } else if let Some(name) = ref_name(part) {
                    if prefix == "integrations/" && found.is_none() {
                        let span = part
                            .intrinsic_argument()
                            .map_or_else(|| part.span(), |a| a.text_span());
                        found = Some((name, span));
                    } else {
                        return None;
                    }
                } else {
                    return None;
                }
            }
            found
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Language;

    const TEMPLATE: &str = "Parameters:
  Env:
    Type: String
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {ProtocolType: HTTP}
  Int:
    Type: AWS::ApiGatewayV2::Integration
  R1:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: GET /orders/{orderId}/{proxy+}
      Target: !Sub integrations/${Int}
  R2:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: $default
      Target: !Join [/, [integrations, !Ref Int]]
  R3:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: POST /x
      Target: !Join ['', ['integrations/', !Ref Other]]
  Prod:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: prod
      StageVariables:
        queue: orders
";

    #[test]
    fn indexes_routes_stages_and_parameters() {
        let doc = Document::new(TEMPLATE, Language::Yaml, 0);
        let index = TemplateIndex::build(&doc);
        assert_eq!(index.parameters.len(), 1);
        assert_eq!(
            index.resource("Int").and_then(|r| r.type_name.as_deref()),
            Some("AWS::ApiGatewayV2::Integration")
        );
        let targets: Vec<Option<&str>> = index.routes.iter().map(|r| r.target.as_deref()).collect();
        assert_eq!(targets, vec![Some("Int"), Some("Int"), Some("Other")]);
        let r1 = &index.routes[0];
        let names: Vec<&str> = r1.path_variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, vec!["orderId", "proxy"]);
        assert_eq!(&TEMPLATE[r1.path_variables[0].span.clone()], "orderId");
        assert_eq!(&TEMPLATE[r1.target_span.clone().unwrap_or_default()], "Int");
        assert_eq!(
            &TEMPLATE[index.routes[1].target_span.clone().unwrap_or_default()],
            "Int"
        );
        assert_eq!(r1.api.as_deref(), Some("Api"));
        assert_eq!(index.routes_targeting("Int").count(), 2);
        assert_eq!(index.stages[0].variables[0].name, "queue");
        assert_eq!(index.stages_of(Some("Api")).count(), 1);
        assert_eq!(index.apis[0].protocol, Some(Protocol::Http));
    }

    #[test]
    fn json_targets_resolve() {
        let text = r#"{"Resources": {"R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"RouteKey": "GET /a/{id}", "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "I"}]]}}}}}"#;
        let doc = Document::new(text, Language::Json, 0);
        let index = TemplateIndex::build(&doc);
        assert_eq!(index.routes[0].target.as_deref(), Some("I"));
        assert_eq!(&text[index.routes[0].path_variables[0].span.clone()], "id");
    }

    #[test]
    fn indexes_integrations_and_references() {
        let text = "Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    DependsOn: [Role]
    Properties:
      ApiId: !Ref Api
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Role.Arn
      Description: !Sub ['${Queue} ${Local} ${!Literal}', {Local: !Ref Other}]
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageGroupId: x-${request.path.id}
        MessageBody: \"$request.body.a\\u0041\"
  Queue:
    Type: AWS::SQS::Queue
    Properties: {Tags: [{Key: k, Value: !Ref Int}]}
";
        let doc = Document::new(text, Language::Yaml, 0);
        let index = TemplateIndex::build(&doc);
        let int = index.integration("Int").expect("integration indexed");
        assert_eq!(int.subtype.as_deref(), Some("SQS-SendMessage"));
        assert_eq!(int.api.as_deref(), Some("Api"));
        let exprs: Vec<(String, &str)> = int
            .expressions
            .iter()
            .map(|(s, r)| (s.to_bare(), &text[r.clone()]))
            .collect();
        assert_eq!(
            exprs,
            [
                ("$request.path.id".to_string(), "${request.path.id}"),
                ("$request.body.aA".to_string(), "$request.body.a\\u0041"),
            ]
        );
        let refs: Vec<(&str, &str)> = index
            .references
            .iter()
            .map(|r| (r.name.as_str(), &text[r.span.clone()]))
            .collect();
        // Not the Sub's own variable `Local`, not `${!Literal}`, nothing from the queue.
        assert_eq!(
            refs,
            [
                ("Role", "Role"),
                ("Api", "Api"),
                ("Role", "Role"),
                ("Queue", "Queue"),
                ("Other", "Other"),
                ("Queue", "Queue"),
            ]
        );
        assert_eq!(index.references_to("Queue").count(), 2);
        assert!(index.references.iter().all(|r| r.from == "Int"));
    }

    #[test]
    fn sub_variables_skip_escapes() {
        let vars = sub_variables("a${X}b${!Y}${Z.Arn}${AWS::Region}${unclosed");
        let names: Vec<&str> = vars.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["X", "Z", "AWS::Region"]);
        assert_eq!(vars[1].1, 13..14);
    }
}
