//! The template model: form-neutral records read from the value tree.
//!
//! An [`Integration`] looks the same to every rule whether it came from an
//! `AWS::ApiGatewayV2::Integration` resource or (later) from an OpenAPI
//! `x-amazon-apigateway-integration`; [`Dialect`] remembers how its fields are spelled
//! so that messages and fixes speak the user's dialect.

pub mod facts;
pub mod index;
pub mod intrinsics;
pub mod openapi;
pub mod provider;
pub mod provider_iam;
pub mod pulumi;
pub mod tf_module;

use std::ops::Range;

use crate::document::{Document, EntryRef};
use crate::expr::{self, ParsedValue};
use crate::syntax::{NodeKind, NodeRef, PairRef};

/// What kind of file a document is, which decides whether we say anything about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A CloudFormation or SAM template.
    CloudFormation,
    /// An OpenAPI document using `x-amazon-apigateway-` extensions.
    OpenApi,
    /// A Terraform file (`.tf`): its `resource` blocks and apigateway-v2 `module` blocks.
    Terraform,
    /// A Pulumi YAML program: `Pulumi.yaml` with `runtime: yaml` and its `resources`.
    Pulumi,
    /// Anything else: we stay silent.
    Other,
}

/// Decides the file kind from the top-level keys and the first resources.
/// CloudFormation: `AWSTemplateFormatVersion`, `Transform`, or a `Resources` mapping
/// with an `AWS::`-typed resource. Cost: stops at the first conclusive entry.
/// OpenAPI: an `openapi` or `swagger` key and an `x-amazon-apigateway-` extension at
/// the top level, in `components`, or in one of the first paths.
/// Pulumi YAML: `runtime: yaml` (or `runtime: {name: yaml}`), which a `Pulumi.yaml`
/// that holds its program says before its `resources`, or else (a program in
/// `Main.yaml`, whose project file names the runtime) one of the first `resources`
/// typed with a Pulumi type token (`type: aws:sqs:Queue`) and no other runtime.
pub fn file_kind(doc: &Document) -> FileKind {
    if doc.language() == crate::syntax::Language::Terraform {
        return FileKind::Terraform;
    }
    let mut looked_at_resources = 0;
    let mut looked_at_paths = 0;
    let mut openapi = false;
    let mut extension = false;
    let mut pulumi_resource = false;
    let mut other_runtime = false;
    // A Serverless Framework file: `service` and an `aws` provider.
    let (mut service, mut aws_provider) = (false, false);
    for entry in doc.entries() {
        match (entry.section, entry.key()) {
            (None, Some("service")) => service = true,
            (None, Some("provider")) => {
                let name = entry
                    .value()
                    .and_then(|v| v.get("name").or(Some(v)))
                    .and_then(|n| n.text());
                aws_provider = name == Some("aws");
            }
            _ => {}
        }
        if service && aws_provider {
            return FileKind::CloudFormation;
        }
        match (entry.section, entry.key()) {
            (None, Some("runtime")) => {
                if pulumi::is_yaml_runtime(entry.value()) {
                    return FileKind::Pulumi;
                }
                other_runtime = true;
            }
            (Some(pulumi::RESOURCES), _) if looked_at_resources < 50 => {
                looked_at_resources += 1;
                pulumi_resource |= entry.value().is_some_and(pulumi::is_resource);
            }
            (None, Some("openapi" | "swagger")) => openapi = true,
            (None, Some(key)) if key.starts_with("x-amazon-apigateway-") => extension = true,
            (None, Some("components")) => {
                extension |= entry
                    .value()
                    .is_some_and(|v| v.get(openapi::SHARED_INTEGRATIONS).is_some());
            }
            (None, Some("paths")) if !entry.entry.splits => {
                extension |= entry
                    .value()
                    .is_some_and(|v| v.pairs().take(20).any(|p| has_extension(p.value())));
            }
            (Some("paths"), _) if looked_at_paths < 20 => {
                looked_at_paths += 1;
                extension |= has_extension(entry.value());
            }
            (None, Some("AWSTemplateFormatVersion" | "Transform")) => {
                return FileKind::CloudFormation;
            }
            // A Serverless Framework file: CloudFormation under `resources.Resources`.
            // Else, parsed whole (flow style, JSON), maybe a Pulumi program's resources.
            (None, Some(pulumi::RESOURCES)) => {
                let value = entry.value();
                if serverless_fragments(value)
                    .into_iter()
                    .any(|f| has_aws_typed(f.get("Resources")))
                {
                    return FileKind::CloudFormation;
                }
                pulumi_resource |= value.is_some_and(|v| {
                    v.pairs()
                        .take(50)
                        .any(|p| p.value().is_some_and(pulumi::is_resource))
                });
            }
            // Flow style or JSON: the resources are inside this value.
            (None, Some("Resources")) if !entry.entry.splits && has_aws_typed(entry.value()) => {
                return FileKind::CloudFormation;
            }
            (Some("Resources"), _) if looked_at_resources < 50 => {
                looked_at_resources += 1;
                if entry.value().is_some_and(is_aws_typed) {
                    return FileKind::CloudFormation;
                }
            }
            _ => {}
        }
    }
    if openapi && extension {
        FileKind::OpenApi
    } else if pulumi_resource && !other_runtime {
        FileKind::Pulumi
    } else {
        FileKind::Other
    }
}

/// Whether a path item uses an `x-amazon-apigateway-` extension on it or its operations.
fn has_extension(item: Option<NodeRef<'_>>) -> bool {
    let Some(item) = item else { return false };
    item.pairs().any(|op| {
        op.key().starts_with("x-amazon-apigateway-")
            || op.value().is_some_and(|v| {
                v.pairs()
                    .any(|p| p.key().starts_with("x-amazon-apigateway-"))
            })
    })
}

/// Whether one of the first 50 members of a `Resources` mapping is `AWS::`-typed.
fn has_aws_typed(resources: Option<NodeRef<'_>>) -> bool {
    resources.is_some_and(|v| {
        v.pairs()
            .take(50)
            .any(|p| p.value().is_some_and(is_aws_typed))
    })
}

fn is_aws_typed(resource: NodeRef<'_>) -> bool {
    resource
        .get("Type")
        .and_then(|t| t.text())
        .is_some_and(|t| t.starts_with("AWS::"))
}

/// The protocol of an API Gateway v2 API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    Http,
    WebSocket,
}

impl Protocol {
    /// The protocol an API resource declares: `ProtocolType` of an
    /// `AWS::ApiGatewayV2::Api` (`HTTP` when only an OpenAPI `Body` is given, since
    /// bodies are HTTP APIs only), always HTTP for a SAM `AWS::Serverless::HttpApi`.
    /// `None` when it cannot be told (an intrinsic, a parameter) or for other types.
    pub fn of_api(type_name: Option<&str>, props: Option<NodeRef<'_>>) -> Option<Protocol> {
        match type_name? {
            "AWS::Serverless::HttpApi" => Some(Protocol::Http),
            "AWS::ApiGatewayV2::Api" => {
                let props = props?;
                match props.get("ProtocolType") {
                    Some(p) => Protocol::parse(p.text()?),
                    None if props.get("Body").is_some()
                        || props.get("BodyS3Location").is_some() =>
                    {
                        Some(Protocol::Http)
                    }
                    None => None,
                }
            }
            _ => None,
        }
    }

    /// `HTTP` / `WEBSOCKET`, as `ProtocolType` writes them.
    pub fn parse(text: &str) -> Option<Protocol> {
        if text.eq_ignore_ascii_case("HTTP") {
            Some(Protocol::Http)
        } else if text.eq_ignore_ascii_case("WEBSOCKET") {
            Some(Protocol::WebSocket)
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP",
            Protocol::WebSocket => "WEBSOCKET",
        }
    }

    /// The protocol of the API a route, stage or integration names in `ApiId`:
    /// `declared` is what the template says of that name (`Some(protocol)` when it
    /// declares an API resource by that name). SAM's implicit HTTP API
    /// (`ServerlessHttpApi`) is HTTP. `None` when the API cannot be resolved (an `ApiId`
    /// from a parameter, an import or another stack): then only what is wrong for both
    /// protocols may be reported.
    pub fn resolve(api: &str, declared: Option<Option<Protocol>>) -> Option<Protocol> {
        match declared {
            Some(protocol) => protocol,
            None if api == SAM_IMPLICIT_HTTP_API => Some(Protocol::Http),
            None => None,
        }
    }
}

/// The logical ID of the HTTP API SAM creates for functions with `HttpApi` events
/// that name no `ApiId`.
pub const SAM_IMPLICIT_HTTP_API: &str = "ServerlessHttpApi";

/// How the fields of an integration are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `AWS::ApiGatewayV2::Integration` properties.
    CloudFormation,
    /// `x-amazon-apigateway-integration` fields in OpenAPI.
    OpenApi,
    /// `aws_apigatewayv2_integration` arguments in Terraform (and the entries of the
    /// apigateway-v2 module's v4 `integrations` input, which use the same names).
    Terraform,
    /// The `integration` of a route of the terraform-aws-modules/apigateway-v2
    /// module's `routes` input (v5+): `subtype`, `type`, ... ([`tf_module`]).
    TerraformModule,
    /// `aws:apigatewayv2:Integration` properties in a Pulumi YAML program: Terraform's
    /// arguments in camelCase (`integrationSubtype`, `requestParameters`, ...;
    /// [`pulumi`]).
    Pulumi,
}

/// Where an integration was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin<'a> {
    /// An `AWS::ApiGatewayV2::Integration` resource.
    Resource,
    /// On an OpenAPI operation: its route (`POST /orders`) and path key.
    Operation {
        route: String,
        path: &'a str,
        path_span: Range<usize>,
    },
    /// Under `components.x-amazon-apigateway-integrations`.
    Shared,
    /// A route of the terraform-aws-modules/apigateway-v2 module: its route key
    /// (`POST /orders/{id}`), the map key in `routes` or `integrations`.
    Route {
        route: &'a str,
        route_span: Range<usize>,
    },
}

/// The fields of an integration that rules talk about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Subtype,
    IntegrationType,
    PayloadFormatVersion,
    Credentials,
    RequestParameters,
    Timeout,
}

impl Dialect {
    /// The property name of `field` in this dialect.
    pub fn name(self, field: Field) -> &'static str {
        match (self, field) {
            (Dialect::CloudFormation, Field::Subtype) => "IntegrationSubtype",
            (Dialect::CloudFormation, Field::IntegrationType) => "IntegrationType",
            (Dialect::CloudFormation, Field::PayloadFormatVersion) => "PayloadFormatVersion",
            (Dialect::CloudFormation, Field::Credentials) => "CredentialsArn",
            (Dialect::CloudFormation, Field::RequestParameters) => "RequestParameters",
            (Dialect::CloudFormation, Field::Timeout) => "TimeoutInMillis",
            (Dialect::OpenApi, Field::Subtype) => "integrationSubtype",
            (Dialect::OpenApi, Field::IntegrationType) => "type",
            (Dialect::OpenApi, Field::PayloadFormatVersion) => "payloadFormatVersion",
            (Dialect::OpenApi, Field::Credentials) => "credentials",
            (Dialect::OpenApi, Field::RequestParameters) => "requestParameters",
            (Dialect::OpenApi, Field::Timeout) => "timeoutInMillis",
            (Dialect::Terraform, Field::Subtype) => "integration_subtype",
            (Dialect::Terraform, Field::IntegrationType) => "integration_type",
            (Dialect::Terraform, Field::PayloadFormatVersion) => "payload_format_version",
            (Dialect::Terraform, Field::Credentials) => "credentials_arn",
            (Dialect::Terraform, Field::RequestParameters) => "request_parameters",
            (Dialect::Terraform, Field::Timeout) => "timeout_milliseconds",
            (Dialect::TerraformModule, Field::Subtype) => "subtype",
            (Dialect::TerraformModule, Field::IntegrationType) => "type",
            (Dialect::TerraformModule, Field::PayloadFormatVersion) => "payload_format_version",
            (Dialect::TerraformModule, Field::Credentials) => "credentials_arn",
            (Dialect::TerraformModule, Field::RequestParameters) => "request_parameters",
            (Dialect::TerraformModule, Field::Timeout) => "timeout_milliseconds",
            (Dialect::Pulumi, Field::Subtype) => "integrationSubtype",
            (Dialect::Pulumi, Field::IntegrationType) => "integrationType",
            (Dialect::Pulumi, Field::PayloadFormatVersion) => "payloadFormatVersion",
            (Dialect::Pulumi, Field::Credentials) => "credentialsArn",
            (Dialect::Pulumi, Field::RequestParameters) => "requestParameters",
            (Dialect::Pulumi, Field::Timeout) => "timeoutMilliseconds",
        }
    }

    /// Whether the fields are Terraform arguments or module inputs (in HCL, where a
    /// value that is not a literal may be `null`).
    pub fn is_terraform(self) -> bool {
        matches!(self, Dialect::Terraform | Dialect::TerraformModule)
    }

    /// Whether a left-out `PayloadFormatVersion` is the provider's `"1.0"`: the AWS
    /// provider's default, so Terraform's and Pulumi's (bridged from it).
    pub fn defaults_payload_format(self) -> bool {
        matches!(
            self,
            Dialect::Terraform | Dialect::TerraformModule | Dialect::Pulumi
        )
    }

    /// Whether `${` in a string is the language's own interpolation (Terraform's,
    /// Pulumi YAML's), so a literal `${` is written `$${`.
    pub fn interpolates(self) -> bool {
        matches!(
            self,
            Dialect::Terraform | Dialect::TerraformModule | Dialect::Pulumi
        )
    }

    /// Whether `value` is the proxy integration type in this dialect.
    pub fn is_proxy_type(self, value: &str) -> bool {
        match self {
            Dialect::CloudFormation
            | Dialect::Terraform
            | Dialect::TerraformModule
            | Dialect::Pulumi => value == "AWS_PROXY",
            // AWS's own OpenAPI examples write both `aws_proxy` and `AWS_PROXY`.
            Dialect::OpenApi => value.eq_ignore_ascii_case("aws_proxy"),
        }
    }

    /// How the proxy type is written in this dialect.
    pub fn proxy_type(self) -> &'static str {
        match self {
            Dialect::CloudFormation
            | Dialect::Terraform
            | Dialect::TerraformModule
            | Dialect::Pulumi => "AWS_PROXY",
            Dialect::OpenApi => "aws_proxy",
        }
    }
}

/// One integration, in whichever spelling it was written.
#[derive(Debug, Clone)]
pub struct Integration<'a> {
    pub dialect: Dialect,
    /// The logical ID (CloudFormation), the address (Terraform), the path (OpenAPI
    /// operation), the shared integration's name or the route key (module route).
    pub name: &'a str,
    /// Where the integration is named: the resource's key, the
    /// `x-amazon-apigateway-integration` key / shared integration's name, or a module
    /// route's `integration` key (v5+) / route key (v4).
    pub anchor: Range<usize>,
    /// The mapping holding the fields (`Properties`, or the extension's mapping).
    pub fields: NodeRef<'a>,
    pub origin: Origin<'a>,
}

impl<'a> Integration<'a> {
    /// Reads an `AWS::ApiGatewayV2::Integration` resource.
    pub fn from_resource(resource: &Resource<'a>) -> Option<Self> {
        if resource.type_name()? != "AWS::ApiGatewayV2::Integration" {
            return None;
        }
        let fields = resource.value.get("Properties").filter(|p| p.is_map())?;
        Some(Integration {
            dialect: Dialect::CloudFormation,
            name: resource.name,
            anchor: resource.name_span.clone(),
            fields,
            origin: Origin::Resource,
        })
    }

    /// Reads an `aws_apigatewayv2_integration` Terraform resource.
    pub fn from_provider(resource: &provider::ProviderResource<'a>) -> Option<Self> {
        if resource.data || resource.provider_type != provider::INTEGRATION {
            return None;
        }
        Some(Integration {
            dialect: resource.dialect,
            name: resource.name,
            anchor: resource.name_span.clone(),
            fields: resource.args?,
            origin: Origin::Resource,
        })
    }

    /// Reads the integration of a route of the apigateway-v2 module.
    pub fn from_module_route(route: &tf_module::ModuleRoute<'a>) -> Self {
        Integration {
            dialect: route.dialect,
            name: route.route,
            anchor: route.anchor.clone(),
            fields: route.fields,
            origin: Origin::Route {
                route: route.route,
                route_span: route.route_span.clone(),
            },
        }
    }

    /// Whether it is an entry of the apigateway-v2 module's v4 `integrations` input
    /// (the resource's argument names, with the route's beside them).
    pub fn is_module_v4(&self) -> bool {
        self.dialect == Dialect::Terraform && matches!(self.origin, Origin::Route { .. })
    }

    /// Whether an integration that names no type gets `AWS_PROXY`: the v5 module's
    /// `type` is `optional(string, "AWS_PROXY")`; v4's `main.tf` writes `AWS_PROXY`
    /// when a `lambda_arn` is given and `MOCK` otherwise. Everywhere else the type is
    /// required.
    pub fn type_defaults_to_proxy(&self) -> bool {
        match self.dialect {
            Dialect::TerraformModule => true,
            _ if self.is_module_v4() => self.fields.get("lambda_arn").is_some(),
            _ => false,
        }
    }

    pub fn field(&self, field: Field) -> Option<PairRef<'a>> {
        self.fields.pair(self.dialect.name(field))
    }

    /// The field's value when it is a literal scalar (not an intrinsic function).
    pub fn literal(&self, field: Field) -> Option<(&'a str, Range<usize>)> {
        let value = self.field(field)?.value()?;
        Some((value.text()?, value.text_span()))
    }

    /// The subtype's literal name, if it is written as a literal.
    pub fn subtype_name(&self) -> Option<&'a str> {
        self.literal(Field::Subtype).map(|(t, _)| t)
    }

    /// Whether a subtype is set at all (a literal or an intrinsic).
    /// A Terraform expression that is not a literal (`each.value.subtype`) may be
    /// `null`, so it sets no subtype that can be relied on.
    pub fn has_subtype(&self) -> bool {
        match self.dialect {
            Dialect::Terraform | Dialect::TerraformModule => self.subtype_name().is_some(),
            _ => self.field(Field::Subtype).is_some(),
        }
    }

    /// The value of `RequestParameters` as the integration gets it: a v4 module
    /// entry's `jsonencode({...})` is the map inside, since the module `jsondecode`s it.
    pub fn request_parameters_value(&self) -> Option<NodeRef<'a>> {
        let value = self.field(Field::RequestParameters)?.value()?;
        if self.is_module_v4() {
            return Some(provider::decoded(value));
        }
        Some(value)
    }

    /// The `RequestParameters` mapping, when it is a mapping.
    pub fn request_parameters(&self) -> Option<NodeRef<'a>> {
        self.request_parameters_value().filter(|v| v.is_map())
    }

    /// Every literal string value in `RequestParameters`, parsed as a mapping value.
    pub fn parameter_values(&self) -> Vec<ParameterValue<'a>> {
        let Some(params) = self.request_parameters() else {
            return Vec::new();
        };
        params
            .pairs()
            .filter_map(|pair| {
                let value = pair.value()?;
                let (text, computed) = match value.scalar() {
                    Some(scalar) => (std::borrow::Cow::Borrowed(scalar.text.as_str()), false),
                    // Terraform: `jsonencode` of literals is the JSON text it makes.
                    None => {
                        let intrinsic = value.intrinsic()?;
                        if intrinsic.name != "jsonencode" {
                            return None;
                        }
                        let arg = value.intrinsic_argument()?;
                        (
                            std::borrow::Cow::Owned(crate::syntax::hcl::json_text(arg.node)?),
                            true,
                        )
                    }
                };
                Some(ParameterValue {
                    pair,
                    value,
                    parsed: expr::parse_value(&text),
                    text,
                    computed,
                })
            })
            .collect()
    }
}

/// A literal `RequestParameters` value and its parsed expressions.
#[derive(Debug, Clone)]
pub struct ParameterValue<'a> {
    pub pair: PairRef<'a>,
    pub value: NodeRef<'a>,
    pub parsed: ParsedValue,
    /// The value's text: the scalar's, or the JSON a Terraform `jsonencode` of literals
    /// makes (`computed`).
    pub text: std::borrow::Cow<'a, str>,
    pub computed: bool,
}

impl ParameterValue<'_> {
    /// Maps a byte range inside the value's text to the document. When the text was
    /// unescaped or folded (so offsets differ from the source), the whole value's text
    /// span is used instead; for a computed text, the whole expression.
    pub fn doc_range(&self, inner: Range<usize>) -> Range<usize> {
        if self.computed {
            return self.value.span();
        }
        self.value
            .map_inner(inner)
            .unwrap_or_else(|| self.value.text_span())
    }

    /// Where the whole value is written: its text inside quotes, or the expression.
    pub fn span(&self) -> Range<usize> {
        if self.computed {
            self.value.span()
        } else {
            self.value.text_span()
        }
    }
}

/// A CloudFormation resource: its logical ID and its definition.
#[derive(Debug, Clone)]
pub struct Resource<'a> {
    pub name: &'a str,
    pub name_span: Range<usize>,
    pub value: NodeRef<'a>,
}

impl<'a> Resource<'a> {
    /// The resource type: `Type`, or for a Terraform block read as a unit (the cursor
    /// context's), the type its address starts with.
    pub fn type_name(&self) -> Option<&'a str> {
        match self.value.get("Type") {
            Some(t) => t.text(),
            None => provider::address_type(self.name),
        }
    }

    /// The text of a key of the resource's `Metadata` (`aws:cdk:path`), when it is a
    /// literal.
    pub fn metadata_text(&self, key: &str) -> Option<&'a str> {
        self.value.get("Metadata")?.get(key)?.text()
    }

    /// The CDK construct path CDK writes in the resource's `Metadata`
    /// (`MyStack/Api/POST--orders/SendOrder/Resource`).
    pub fn construct_path(&self) -> Option<&'a str> {
        self.metadata_text(CDK_PATH).filter(|p| !p.is_empty())
    }
}

/// The `Metadata` key where CDK writes a resource's construct path.
pub const CDK_PATH: &str = "aws:cdk:path";

/// The `Metadata` key where CDK writes the file of an asset, relative to the cloud
/// assembly: a nested stack's template (`Parent…Nested1234.nested.template.json`).
pub const ASSET_PATH: &str = "aws:asset:path";

/// What one entry holds, in document order. [`items`] is the one place that knows
/// where a template or OpenAPI document keeps its parts (split and unsplit sections,
/// resources, path items, shared integrations, inline OpenAPI bodies); the facts, the
/// per-entry rules and the cursor context all read entries through it.
#[derive(Debug, Clone)]
pub enum Item<'a> {
    /// The top-level `Transform` (its value, `None` when missing).
    Transform(Option<NodeRef<'a>>),
    /// A template parameter and the span of its name.
    Parameter {
        name: &'a str,
        span: Range<usize>,
    },
    Resource(Resource<'a>),
    /// An OpenAPI path item: of a standalone document (`api` is `None`) or of the inline
    /// body of the API resource `api`.
    Path {
        api: Option<&'a str>,
        path: &'a str,
        span: Range<usize>,
        item: Option<NodeRef<'a>>,
    },
    /// An OpenAPI `components` mapping (standalone, or of the inline body of `api`).
    Components {
        api: Option<&'a str>,
        value: NodeRef<'a>,
    },
    /// A Terraform `resource` or `data` block, or a resource of a Pulumi YAML program.
    Provider(provider::ProviderResource<'a>),
    /// A route of a terraform-aws-modules/apigateway-v2 `module` block, with its
    /// integration.
    ModuleRoute(tf_module::ModuleRoute<'a>),
}

/// Everything one entry holds: see [`Item`]. An API resource with an inline body is
/// followed by the body's path items and components.
pub fn items(entry: EntryRef<'_>) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    let split = entry.entry.splits;
    match (entry.section, entry.key()) {
        (None, Some("Transform")) => out.push(Item::Transform(entry.value())),
        (Some("Parameters"), Some(name)) => out.push(Item::Parameter {
            name,
            span: entry.key_span(),
        }),
        (None, Some("Parameters")) if !split => {
            for p in entry.value().into_iter().flat_map(|v| v.pairs()) {
                out.push(Item::Parameter {
                    name: p.key(),
                    span: p.key_span(),
                });
            }
        }
        (Some("paths"), Some(path)) => out.push(Item::Path {
            api: None,
            path,
            span: entry.key_span(),
            item: entry.value(),
        }),
        (None, Some("paths")) if !split => {
            for p in entry.value().into_iter().flat_map(|v| v.pairs()) {
                out.push(Item::Path {
                    api: None,
                    path: p.key(),
                    span: p.key_span(),
                    item: p.value(),
                });
            }
        }
        (None, Some("components")) => {
            if let Some(value) = entry.value() {
                out.push(Item::Components { api: None, value });
            }
        }
        (Some("Resources"), Some(name)) => {
            if let Some(value) = entry.value() {
                push_resource(
                    &mut out,
                    Resource {
                        name,
                        name_span: entry.key_span(),
                        value,
                    },
                );
            }
        }
        (section @ Some(provider::RESOURCE | provider::DATA), Some(address)) => {
            push_provider(
                &mut out,
                provider::ProviderResource::of_block(
                    section,
                    address,
                    entry.key_span(),
                    entry.value(),
                ),
            );
        }
        (section @ Some(tf_module::MODULE), Some(_)) => {
            out.extend(
                tf_module::routes(section, entry.value())
                    .into_iter()
                    .map(Item::ModuleRoute),
            );
        }
        // A resource of a Pulumi YAML program: `resources` is split at them.
        (Some(pulumi::RESOURCES), Some(name)) => {
            if let Some(value) = entry.value().filter(|v| pulumi::is_resource(*v)) {
                push_provider(
                    &mut out,
                    provider::ProviderResource::of_pulumi(name, entry.key_span(), value),
                );
            }
        }
        // Parsed whole: a Pulumi program's resources in flow style or JSON, or the
        // Serverless Framework's CloudFormation under `resources.Resources`.
        (None, Some(pulumi::RESOURCES)) => {
            let value = entry.value();
            for p in value.into_iter().flat_map(|v| v.pairs()) {
                if let Some(resource) = p.value().filter(|v| pulumi::is_resource(*v)) {
                    push_provider(
                        &mut out,
                        provider::ProviderResource::of_pulumi(p.key(), p.key_span(), resource),
                    );
                }
            }
            let fragments = serverless_fragments(value);
            // `resources.extensions` change the properties of resources: those the
            // framework generates, or of `resources.Resources`, whose definition is
            // then the framework's merge of the two: not read.
            let extended: Vec<&str> = fragments
                .iter()
                .filter_map(|f| f.get("extensions"))
                .flat_map(|e| e.pairs())
                .filter(|p| p.value().is_some_and(|v| v.get("Properties").is_some()))
                .map(|p| p.key())
                .collect();
            for p in fragments
                .iter()
                .filter_map(|f| f.get("Resources"))
                .flat_map(|r| r.pairs())
            {
                if let Some(value) = p.value()
                    && !extended.contains(&p.key())
                {
                    push_resource(
                        &mut out,
                        Resource {
                            name: p.key(),
                            name_span: p.key_span(),
                            value,
                        },
                    );
                }
            }
        }
        (None, Some("Resources")) if !split => {
            for p in entry.value().into_iter().flat_map(|v| v.pairs()) {
                if let Some(value) = p.value() {
                    push_resource(
                        &mut out,
                        Resource {
                            name: p.key(),
                            name_span: p.key_span(),
                            value,
                        },
                    );
                }
            }
        }
        _ => {}
    }
    out
}

/// A provider resource, then the path items and components of its inline OpenAPI
/// body (an API's `body` written with `jsonencode` or `fn::toJSON`).
fn push_provider<'a>(out: &mut Vec<Item<'a>>, resource: Option<provider::ProviderResource<'a>>) {
    let Some(resource) = resource else { return };
    let (api, body) = (resource.name, resource.openapi_body());
    out.push(Item::Provider(resource));
    if let Some(body) = body {
        push_body(out, Some(api), body);
    }
}

/// The CloudFormation fragments of a Serverless Framework `resources` value: the
/// mapping (with `Resources`, `Outputs`, `extensions`, ...), or each mapping of a list
/// of them, which the framework merges (a `${file(...)}` item is another file).
fn serverless_fragments(value: Option<NodeRef<'_>>) -> Vec<NodeRef<'_>> {
    let Some(value) = value else {
        return Vec::new();
    };
    match value.kind() {
        NodeKind::Map(_) => vec![value],
        NodeKind::Seq(_) => value.items().filter(NodeRef::is_map).collect(),
        _ => Vec::new(),
    }
}

/// A resource, then the path items and components of its inline OpenAPI body.
fn push_resource<'a>(out: &mut Vec<Item<'a>>, resource: Resource<'a>) {
    let body = inline_openapi(&resource);
    let api = Some(resource.name);
    out.push(Item::Resource(resource));
    if let Some(body) = body {
        push_body(out, api, body);
    }
}

/// The path items and components of the inline OpenAPI body of the API `api`.
fn push_body<'a>(out: &mut Vec<Item<'a>>, api: Option<&'a str>, body: NodeRef<'a>) {
    for p in body.get("paths").into_iter().flat_map(|p| p.pairs()) {
        out.push(Item::Path {
            api,
            path: p.key(),
            span: p.key_span(),
            item: p.value(),
        });
    }
    if let Some(value) = body.get("components") {
        out.push(Item::Components { api, value });
    }
}

/// The resources held by one entry (see [`items`]).
pub fn resources_in_entry<'a>(entry: EntryRef<'a>) -> Vec<Resource<'a>> {
    items(entry)
        .into_iter()
        .filter_map(|item| match item {
            Item::Resource(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// Every resource of the template.
pub fn resources(doc: &Document) -> impl Iterator<Item = Resource<'_>> {
    doc.entries().flat_map(resources_in_entry)
}

/// The integrations held by one entry.
pub fn integrations_in_entry(entry: EntryRef<'_>) -> Vec<Integration<'_>> {
    let mut out = Vec::new();
    let mut operations = Vec::new();
    for item in items(entry) {
        match item {
            Item::Resource(resource) => out.extend(Integration::from_resource(&resource)),
            Item::Path {
                path, span, item, ..
            } => openapi::path_item(path, span, item, &mut out, &mut operations),
            Item::Components { value, .. } => openapi::components(value, &mut out),
            Item::Provider(resource) => out.extend(Integration::from_provider(&resource)),
            Item::ModuleRoute(route) => out.push(Integration::from_module_route(&route)),
            Item::Transform(_) | Item::Parameter { .. } => {}
        }
    }
    out
}

/// The inline OpenAPI document of a SAM `HttpApi` (`DefinitionBody`) or an
/// `AWS::ApiGatewayV2::Api` (`Body`), when it is written as a mapping.
pub fn inline_openapi<'a>(resource: &Resource<'a>) -> Option<NodeRef<'a>> {
    let key = match resource.type_name()? {
        "AWS::Serverless::HttpApi" => "DefinitionBody",
        "AWS::ApiGatewayV2::Api" => "Body",
        _ => return None,
    };
    resource
        .value
        .get("Properties")?
        .get(key)
        .filter(|b| b.is_map())
}

/// The inline OpenAPI documents one entry holds: the `DefinitionBody`/`Body` of its
/// CloudFormation API resources (see [`inline_openapi`]), the `jsonencode`d `body` of
/// a Terraform `aws_apigatewayv2_api`.
pub fn openapi_bodies(entry: EntryRef<'_>) -> Vec<NodeRef<'_>> {
    items(entry)
        .into_iter()
        .filter_map(|item| match item {
            Item::Resource(r) => inline_openapi(&r),
            Item::Provider(r) => r.openapi_body(),
            _ => None,
        })
        .collect()
}

/// Whether a value is (or, at the top, is wrapped in) an intrinsic function.
pub fn is_intrinsic(node: NodeRef<'_>) -> bool {
    matches!(node.kind(), NodeKind::Intrinsic(_))
}
