//! What one entry declares and uses: the one record read from the value tree.
//!
//! Facts are small, owned and computed once per entry (the analysis caches them by the
//! entry's stamp), so a keystroke rebuilds the facts of the one entry it touched. The
//! [`Index`](super::index::Index) joins the facts of all entries for the
//! cross-resource rules and for hover, navigation, outline and completion; nothing else
//! reads a value tree to learn what the template declares. Spans are relative to the
//! entry's base.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

use crate::document::EntryRef;
use crate::expr::Source;
use crate::syntax::{NodeKind, NodeRef};

use super::intrinsics::{
    NameUse, Reference, integration_target, names_in, ref_name, reference_of, references_in,
};
use super::openapi::{self, OpTarget};
use super::provider::{self, ProviderResource};
use super::provider_iam;
use super::tf_module;
use super::{Dialect, Field, Integration, Item, Origin, Protocol, Resource, items};

/// A `{name}` or `{name+}` variable of a route key or an OpenAPI path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathVariable {
    pub name: String,
    /// The span of `name` (of the whole key when it was unescaped or folded).
    pub span: Range<usize>,
    pub greedy: bool,
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

/// The variables of a key written at `span`: each at its name when the text is the
/// source verbatim, else each at the whole key.
fn key_variables(text: &str, span: &Range<usize>, verbatim: bool) -> Vec<PathVariable> {
    let found = path_variables(text, span.start);
    if verbatim {
        return found;
    }
    found
        .into_iter()
        .map(|v| PathVariable {
            span: span.clone(),
            ..v
        })
        .collect()
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
/// written out (an intrinsic, a parameter). `dialect` says how its resources name
/// template resources (see [`resource_names`]).
pub(super) fn statements(
    document: Option<NodeRef<'_>>,
    dialect: Dialect,
) -> Option<Vec<Statement>> {
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
            Some(r) if item.get("NotResource").is_none() => resource_names(r, dialect),
            _ => None,
        };
        out.push(Statement { actions, resources });
    }
    Some(out)
}

/// A string or a list of strings, all literal.
pub(super) fn literal_list(node: NodeRef<'_>) -> Option<Vec<String>> {
    if let Some(text) = node.text() {
        return Some(vec![text.to_string()]);
    }
    match node.kind() {
        NodeKind::Seq(_) => node.items().map(|i| i.text().map(str::to_string)).collect(),
        _ => None,
    }
}

/// The logical IDs a policy's `Resource` names; `None` if any entry could cover more.
/// Names that are no template resource (CloudFormation's pseudo parameters;
/// Terraform's `var.*`, `local.*`, data sources, ...) only fill in an ARN: an entry
/// naming nothing else could be anything.
fn resource_names(node: NodeRef<'_>, dialect: Dialect) -> Option<Vec<String>> {
    let items: Vec<NodeRef<'_>> = match node.kind() {
        NodeKind::Seq(_) => node.items().collect(),
        _ => vec![node],
    };
    let is_resource = |name: &String| match dialect {
        Dialect::Terraform => !name.starts_with("data.") && provider::split_address(name).is_some(),
        _ => !name.starts_with("AWS::"),
    };
    let mut names = Vec::new();
    for item in items {
        if item.text().is_some() {
            // `*`, a wildcard or a literal ARN: we cannot tell what it names.
            return None;
        }
        let found: Vec<String> = match dialect {
            Dialect::Pulumi => pulumi_resource_names(item)?,
            _ => names_in(item).into_iter().filter(is_resource).collect(),
        };
        if found.is_empty() {
            return None;
        }
        names.extend(found);
    }
    Some(names)
}

/// The resources a Pulumi value names by one of their outputs (`${queue.arn}`, alone or
/// in a template); `None` when it names something by itself (`${queueArn}`: a variable,
/// config, or a resource's URN) or is another expression.
fn pulumi_resource_names(item: NodeRef<'_>) -> Option<Vec<String>> {
    match reference_of(item) {
        Some(Reference::GetAtt(name, _)) => return Some(vec![name]),
        Some(Reference::Ref(_)) => return None,
        None => {}
    }
    let intrinsic = item.intrinsic()?;
    let template = item.intrinsic_argument()?.text()?;
    if intrinsic.name != "Fn::Sub" {
        return None;
    }
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("${") {
        let after = &rest[open + 2..];
        let close = after.find('}')?;
        let inner = &after[..close];
        if !inner.starts_with('!') {
            let (name, attribute) = inner.split_once('.')?;
            if attribute.is_empty() {
                return None;
            }
            names.push(name.to_string());
        }
        rest = &after[close + 1..];
    }
    Some(names)
}

/// Whether a trust policy lets API Gateway assume the role: `Some(false)` only when
/// the document is written out and no `Allow` statement names the service.
pub(super) fn trusts_api_gateway(document: Option<NodeRef<'_>>) -> Option<bool> {
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
                let trusted = &crate::catalog::catalog().iam.trust_service;
                if services.iter().any(|s| s == trusted || s == "apigateway") {
                    return Some(true);
                }
            }
            None => return None,
        }
    }
    Some(false)
}

/// What a resource is, as far as the cross-resource rules and features care.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// `AWS::SQS::Queue`: `Some(true)` for FIFO, `None` when it cannot be told.
    Queue {
        fifo: Option<bool>,
        /// Whether it carries a resource-based policy of its own (Terraform's
        /// `policy` argument), which may grant the integration role access.
        policy: bool,
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
    /// `AWS::IAM::Role` (`aws_iam_role`): whether API Gateway may assume it, its
    /// inline statements (`None` when some policy is not written out), and whether
    /// policies from outside the template may be attached (`ManagedPolicyArns` naming
    /// no template policy).
    Role {
        trusts_api_gateway: Option<bool>,
        /// The policy document its trust policy is the JSON of
        /// (`assume_role_policy = data.aws_iam_policy_document.x.json`): the index
        /// reads the trust from it ([`Index::trusts_api_gateway`](super::index::Index::trusts_api_gateway)).
        trust_document: Option<String>,
        statements: Option<Vec<Statement>>,
        /// The template policy documents (or policies) its inline policies are the
        /// JSON of (`inline_policy { policy = data.aws_iam_policy_document.x.json }`).
        documents: Vec<String>,
        /// The template managed policies it lists (`ManagedPolicyArns`,
        /// `managed_policy_arns`).
        managed: Vec<String>,
        external_policies: bool,
    },
    /// `AWS::IAM::Policy`, `AWS::IAM::ManagedPolicy` or `AWS::IAM::RolePolicy` (and
    /// Terraform's policies and attachments): the roles it attaches to (logical IDs)
    /// and its statements (`None` when some are not written out).
    Policy {
        roles: Vec<String>,
        statements: Option<Vec<Statement>>,
        /// Template policy documents or policies whose statements are its statements
        /// too: the JSON it is written as (`policy = data.aws_iam_policy_document.x.json`),
        /// the policy an attachment attaches (`policy_arn = aws_iam_policy.p.arn`).
        documents: Vec<String>,
    },
    /// Terraform's `data "aws_iam_policy_document"`: the statements of the JSON it
    /// makes, and whether that lets API Gateway assume a role (as a trust policy).
    PolicyDocument {
        statements: Option<Vec<Statement>>,
        trusts_api_gateway: Option<bool>,
    },
    /// A resource-based policy (`AWS::SQS::QueuePolicy`, `AWS::Events::EventBusPolicy`,
    /// `aws_sqs_queue_policy`, ...): the logical IDs it names. It may grant the integration role access.
    ResourcePolicy {
        names: Vec<String>,
    },
    /// `AWS::ApiGatewayV2::Route`.
    Route(RouteFacts),
    /// `AWS::ApiGatewayV2::Stage`, or the stage a SAM `HttpApi` declares.
    Stage(StageFacts),
    /// `AWS::ApiGatewayV2::Integration`.
    Integration {
        api: Option<String>,
    },
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RouteFacts {
    /// The API its `ApiId` names (a `Ref`).
    pub api: Option<String>,
    /// The literal route key and its span (an empty key's with its quotes).
    pub key: Option<(String, Range<usize>)>,
    /// The `{name}` variables of the key.
    pub path_variables: Vec<PathVariable>,
    pub target: Option<Target>,
}

impl RouteFacts {
    /// The logical ID of the integration the `Target` names, and the span of the name.
    pub fn target_integration(&self) -> Option<(&str, &Range<usize>)> {
        match &self.target {
            Some(Target::Integration { name, span, .. }) => Some((name, span)),
            _ => None,
        }
    }
}

/// A stage: `AWS::ApiGatewayV2::Stage`, or the stage of a SAM `HttpApi`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StageFacts {
    pub api: Option<String>,
    pub stage_name: Option<String>,
    /// `None` when `StageVariables` is not a literal mapping.
    pub variables: Option<Vec<StageVariable>>,
}

/// One `StageVariables` entry of a stage.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StageVariable {
    pub name: String,
    pub name_span: Range<usize>,
    /// The literal value.
    pub value: Option<String>,
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

/// A resource: what it declares, and what its intrinsics name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceFacts {
    pub name: String,
    pub name_span: Range<usize>,
    /// From the logical ID to the end of the definition.
    pub span: Range<usize>,
    pub type_name: Option<String>,
    pub kind: ResourceKind,
    /// The logical IDs its intrinsics name, with the spans of the names, in document
    /// order: kept for API Gateway resources, IAM roles and IAM policies.
    pub refs: Vec<NameUse>,
    /// The names in `DependsOn` of an API Gateway resource.
    pub depends_on: Vec<NameUse>,
    /// The CDK construct path in its `Metadata` (`aws:cdk:path`), for reports.
    pub construct: Option<String>,
}

/// Only what other entries see: the span of the whole definition and what the
/// resource names are uses, which change as the user types inside it.
impl Hash for ResourceFacts {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.name_span.hash(state);
        self.type_name.hash(state);
        self.kind.hash(state);
    }
}

impl ResourceFacts {
    pub fn route(&self) -> Option<&RouteFacts> {
        match &self.kind {
            ResourceKind::Route(route) => Some(route),
            _ => None,
        }
    }

    pub fn stage(&self) -> Option<&StageFacts> {
        match &self.kind {
            ResourceKind::Stage(stage) => Some(stage),
            _ => None,
        }
    }

    /// The API it belongs to (`ApiId` of a route, stage or integration).
    pub fn api(&self) -> Option<&str> {
        match &self.kind {
            ResourceKind::Route(RouteFacts { api, .. })
            | ResourceKind::Stage(StageFacts { api, .. })
            | ResourceKind::Integration { api } => api.as_deref(),
            _ => None,
        }
    }
}

/// Whether a resource type belongs to API Gateway HTTP/WebSocket APIs
/// (`AWS::ApiGatewayV2::*`, a SAM `AWS::Serverless::HttpApi`, Terraform's
/// `aws_apigatewayv2_*`).
pub fn is_api_gateway_type(type_name: &str) -> bool {
    type_name.starts_with("AWS::ApiGatewayV2::")
        || type_name == "AWS::Serverless::HttpApi"
        || type_name.starts_with("aws_apigatewayv2_")
}

/// A mapping expression in a literal `RequestParameters` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprUse {
    pub source: Source,
    /// The whole expression (the whole value's text when it was unescaped or folded).
    pub range: Range<usize>,
    /// The name it reads (`id` of `$request.path.id`), else the whole expression.
    pub name_range: Range<usize>,
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
    /// The valid expressions of a literal value.
    pub exprs: Vec<ExprUse>,
}

impl ParamFacts {
    /// `$request.path.NAME` uses: the name and its span.
    pub fn path_uses(&self) -> impl Iterator<Item = (&str, &Range<usize>)> {
        self.exprs.iter().filter_map(|e| match &e.source {
            Source::RequestPath(Some(name)) => Some((name.as_str(), &e.name_range)),
            _ => None,
        })
    }

    /// `$stageVariables.NAME` uses.
    pub fn stage_uses(&self) -> impl Iterator<Item = (&str, &Range<usize>)> {
        self.exprs.iter().filter_map(|e| match &e.source {
            Source::StageVariable(name) => Some((name.as_str(), &e.name_range)),
            _ => None,
        })
    }
}

/// An integration and what it uses from elsewhere in the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrationFacts {
    pub dialect: Dialect,
    /// Logical ID (resource), path (operation) or shared integration name.
    pub name: String,
    /// The resource's logical ID, the `x-amazon-apigateway-integration` key or the
    /// shared integration's name.
    pub anchor: Range<usize>,
    /// The whole resource, or from the anchor to the end of the fields.
    pub span: Range<usize>,
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
    /// For an integration written on an OpenAPI operation or a module route: the path
    /// variables of its route. `None` for resources and shared integrations (their
    /// routes are found across entries).
    pub own_path_variables: Option<Vec<String>>,
    /// Whether it is written as a resource of its own ([`Origin::Resource`]).
    pub resource: bool,
    /// Whether this is a shared OpenAPI integration (used through `$ref`).
    pub shared: bool,
    /// Whether the document is JSON (fixes then write long-form intrinsics).
    pub json: bool,
    /// Logical IDs named by the integration's intrinsics, with the spans of the names
    /// (in a standalone OpenAPI document they name resources of the template that
    /// includes it, if any).
    pub refs: Vec<NameUse>,
}

impl IntegrationFacts {
    /// The valid mapping expressions of its literal `RequestParameters` values.
    pub fn expressions(&self) -> impl Iterator<Item = &ExprUse> {
        self.params.iter().flat_map(|p| p.exprs.iter())
    }

    /// Whether it is an integration resource, named like the other resources: an
    /// `AWS::ApiGatewayV2::Integration`, or a provider's (`aws_apigatewayv2_integration`,
    /// Pulumi's); not an OpenAPI integration or a module route's.
    pub fn is_resource(&self) -> bool {
        self.resource
    }
}

/// An OpenAPI operation carrying an integration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationFacts {
    /// The API resource whose inline body holds it; `None` in a standalone document.
    pub api: Option<String>,
    /// `POST /orders`, `ANY /$default`.
    pub route: String,
    pub path: String,
    pub path_span: Range<usize>,
    pub path_variables: Vec<PathVariable>,
    pub method_span: Range<usize>,
    /// From the method key to the end of the operation.
    pub span: Range<usize>,
    /// `Inline(i)`: the entry's `integrations[i]`.
    pub target: OpTarget,
}

/// Only what other entries see: the operation and what it uses, not where.
impl Hash for OperationFacts {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.api.hash(state);
        self.route.hash(state);
        for v in &self.path_variables {
            v.name.hash(state);
        }
        match &self.target {
            OpTarget::Inline(i) => i.hash(state),
            OpTarget::Shared { name, .. } => name.hash(state),
        }
    }
}

impl OperationFacts {
    /// The shared integration it uses, with the span of the `$ref` value.
    pub fn shared(&self) -> Option<(&str, &Range<usize>)> {
        match &self.target {
            OpTarget::Shared { name, ref_span, .. } => Some((name, ref_span)),
            OpTarget::Inline(_) => None,
        }
    }
}

/// How a template names a file it includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncludeKind {
    /// `Fn::Transform` `AWS::Include` with a `Location`, as an API's `DefinitionBody` or
    /// `Body`: CloudFormation inserts the file, intrinsic functions and all.
    AwsInclude,
    /// SAM `DefinitionUri` with a local path: SAM uploads the file and does not
    /// resolve intrinsic functions in it.
    DefinitionUri,
    /// Serverless Framework `Body: ${file(./api.json)}`: the framework inserts the file
    /// into the template it generates, intrinsic functions and all.
    ServerlessFile,
}

/// What [`Facts::transforms`] holds for a Serverless Framework file.
pub const SERVERLESS: &str = "serverless";
/// The transform-like marker of a Terraform file: its module may declare names in
/// other files.
pub const TERRAFORM: &str = "terraform";
/// The transform-like marker of a Pulumi YAML program: a name no resource declares may
/// be one of its `variables` or `config`, or a value of the stack's configuration
/// (`Pulumi.<stack>.yaml`), which pulumi-yaml reads without a declaration.
pub const PULUMI: &str = "pulumi";

/// A file an API resource includes as its OpenAPI definition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IncludeFacts {
    /// The API resource's logical ID.
    pub api: String,
    /// The path as written (relative to the template's folder).
    pub location: String,
    /// The span of the path's text.
    pub span: Range<usize>,
    pub kind: IncludeKind,
}

/// Everything one entry declares and uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub resources: Vec<ResourceFacts>,
    pub integrations: Vec<IntegrationFacts>,
    /// OpenAPI operations carrying an integration.
    pub operations: Vec<OperationFacts>,
    /// Template parameters: the name and the span of its key.
    pub parameters: Vec<(String, Range<usize>)>,
    /// The template's transforms (`Transform`), and `Fn::Transform` / `Fn::ForEach`
    /// where resources are expected: each may add resources we cannot see. `?` stands
    /// for one that is not written out.
    pub transforms: Vec<String>,
    /// Local files API resources include as their OpenAPI definition.
    pub includes: Vec<IncludeFacts>,
}

impl Facts {
    pub fn is_empty(&self) -> bool {
        self.resources.is_empty()
            && self.integrations.is_empty()
            && self.operations.is_empty()
            && self.parameters.is_empty()
            && self.transforms.is_empty()
            && self.includes.is_empty()
    }

    /// These facts as read in a file the API resource `api` includes: its OpenAPI
    /// integrations and operations belong to that API.
    pub fn scoped(&self, api: &str) -> Facts {
        let mut facts = self.clone();
        for integration in &mut facts.integrations {
            if !integration.is_resource() && integration.api.is_none() {
                integration.api = Some(api.to_string());
            }
        }
        for op in &mut facts.operations {
            if op.api.is_none() {
                op.api = Some(api.to_string());
            }
        }
        facts
    }

    /// The hash of what the entry declares for other entries, not what it uses nor
    /// where: typing inside an integration leaves it unchanged. The index is rebuilt
    /// when the fold of these changes, and it relies on it: its maps point to
    /// resources and operations by position.
    pub fn declarations_hash(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.resources.hash(&mut hasher);
        self.operations.hash(&mut hasher);
        for (name, _) in &self.parameters {
            name.hash(&mut hasher);
        }
        self.transforms.hash(&mut hasher);
        self.includes.hash(&mut hasher);
        // The roles integrations use decide which roles and policies are checked.
        for integration in &self.integrations {
            integration
                .credentials
                .as_ref()
                .map(|(r, _)| r.name())
                .hash(&mut hasher);
        }
        hasher.finish()
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
fn generates_resources(resource: &Resource<'_>) -> bool {
    resource.name == "Fn::Transform"
        || resource.name.starts_with("Fn::ForEach")
        || resource.value.get("Fn::Transform").is_some()
}

/// Reads the facts of one entry.
pub fn facts(entry: EntryRef<'_>, json: bool) -> Facts {
    let mut facts = Facts::default();
    let base = entry.base;
    let rel = |r: Range<usize>| r.start.saturating_sub(base)..r.end.saturating_sub(base);
    // The Serverless Framework adds resources of its own (functions, their roles,
    // `HttpApi`): names it generates resolve. Its `resources` is read whole; a Pulumi
    // program's is split at its resources (the header alone is an entry without value),
    // or holds them when it is parsed whole.
    let serverless = entry.section.is_none()
        && entry.key() == Some(super::pulumi::RESOURCES)
        && entry.value().is_some()
        && !super::pulumi::in_entry(entry);
    if serverless {
        facts.transforms.push(SERVERLESS.to_string());
    }
    for item in items(entry) {
        match item {
            Item::Transform(value) => facts.transforms = transform_names(value),
            Item::Parameter { name, span } => facts.parameters.push((name.to_string(), rel(span))),
            Item::Resource(resource) => push_resource(&mut facts, &resource, &rel, json),
            Item::Provider(resource) => push_provider(&mut facts, &resource, &rel, json),
            Item::ModuleRoute(route) => {
                // Like a resource block's, the module's names may be declared in the
                // folder's other files.
                if !facts.transforms.iter().any(|t| t == TERRAFORM) {
                    facts.transforms.push(TERRAFORM.to_string());
                }
                let integration = Integration::from_module_route(&route);
                facts
                    .integrations
                    .push(integration_facts(&integration, None, &rel, json));
            }
            Item::Path {
                api,
                path,
                span,
                item,
            } => {
                let (mut found, mut operations) = (Vec::new(), Vec::new());
                openapi::path_item(path, span, item, &mut found, &mut operations);
                push_openapi(&mut facts, api, &found, &operations, &rel, json);
            }
            Item::Components { api, value } => {
                let mut found = Vec::new();
                openapi::components(value, &mut found);
                push_openapi(&mut facts, api, &found, &[], &rel, json);
            }
        }
    }
    facts
}

fn push_resource(
    facts: &mut Facts,
    resource: &Resource<'_>,
    rel: &impl Fn(Range<usize>) -> Range<usize>,
    json: bool,
) {
    if generates_resources(resource) {
        facts.transforms.push("Fn::Transform".to_string());
    }
    let type_name = resource.type_name();
    let kind = resource_kind(resource, rel);
    let api_gateway = type_name.is_some_and(is_api_gateway_type);
    let span = rel(resource.name_span.start..resource.value.span().end);
    let mut refs = Vec::new();
    let mut depends_on = Vec::new();
    if api_gateway
        || matches!(
            kind,
            ResourceKind::Role { .. } | ResourceKind::Policy { .. }
        )
    {
        refs = references_in(resource.value)
            .into_iter()
            .map(|(name, span)| (name, rel(span)))
            .collect();
        refs.sort_by_key(|(_, span)| span.start);
    }
    if api_gateway && let Some(depends) = resource.value.get("DependsOn") {
        for node in std::iter::once(depends).chain(depends.items()) {
            if let Some(name) = node.text() {
                depends_on.push((name.to_string(), rel(node.text_span())));
            }
        }
    }
    facts.includes.extend(include_of(resource, rel));
    let construct = resource.construct_path().map(str::to_string);
    if let Some(integration) = Integration::from_resource(resource) {
        let api = integration.fields.get("ApiId").and_then(ref_name);
        let mut found = integration_facts(&integration, api, rel, json);
        found.span = span.clone();
        facts.integrations.push(found);
    }
    if type_name == Some("AWS::Serverless::HttpApi") {
        // A SAM HttpApi declares its own stage and stage variables.
        let props = resource.value.get("Properties");
        facts.resources.push(ResourceFacts {
            name: resource.name.to_string(),
            name_span: rel(resource.name_span.clone()),
            span: span.clone(),
            type_name: type_name.map(str::to_string),
            kind: ResourceKind::Stage(stage_facts(props, Some(resource.name.to_string()), rel)),
            refs: Vec::new(),
            depends_on: Vec::new(),
            construct: construct.clone(),
        });
    }
    facts.resources.push(ResourceFacts {
        name: resource.name.to_string(),
        name_span: rel(resource.name_span.clone()),
        span,
        type_name: type_name.map(str::to_string),
        kind,
        refs,
        depends_on,
        construct,
    });
}

/// The facts of a Terraform resource block. Its module may span the folder's other
/// `.tf` files, so names it uses may be declared there: the index treats the entry's
/// names as resolvable (`TERRAFORM`, like an unknown transform). A resource of a
/// Pulumi YAML program the same (`PULUMI`), its types matched by the provider type
/// they are bridged from.
fn push_provider(
    facts: &mut Facts,
    resource: &ProviderResource<'_>,
    rel: &impl Fn(Range<usize>) -> Range<usize>,
    json: bool,
) {
    // Of the data sources, only policy documents are read.
    if resource.data && resource.provider_type != provider::POLICY_DOCUMENT {
        return;
    }
    let marker = match resource.dialect {
        Dialect::Pulumi => PULUMI,
        _ => TERRAFORM,
    };
    if !facts.transforms.iter().any(|t| t == marker) {
        facts.transforms.push(marker.to_string());
    }
    let arg = |name: &str| resource.arg(name);
    // `api_id = aws_apigatewayv2_api.x.id`; Pulumi's `apiId: ${api.id}`.
    let api = || arg("api_id").and_then(terraform_api);
    let kind = match resource.provider_type {
        provider::POLICY_DOCUMENT if resource.data => provider_iam::document(resource),
        provider::ROLE => provider_iam::role(resource),
        provider::ROLE_POLICY
        | provider::POLICY
        | provider::ROLE_POLICY_ATTACHMENT
        | provider::POLICY_ATTACHMENT
        | provider::ROLE_POLICIES_EXCLUSIVE
        | provider::ROLE_POLICY_ATTACHMENTS_EXCLUSIVE => provider_iam::policy(resource),
        provider::QUEUE => ResourceKind::Queue {
            fifo: match arg("fifo_queue") {
                None => match arg("name") {
                    Some(n) => n.text().map(|t| t.ends_with(".fifo")),
                    None => Some(false),
                },
                some => literal_bool(some),
            },
            policy: arg("policy").is_some(),
        },
        provider::QUEUE_POLICY
        | provider::EVENT_BUS_POLICY
        | provider::KINESIS_RESOURCE_POLICY
        | provider::TOPIC_POLICY => ResourceKind::ResourcePolicy {
            names: resource
                .args
                .map(names_in)
                .unwrap_or_default()
                .into_iter()
                .filter(|n| {
                    resource.dialect == Dialect::Pulumi || provider::split_address(n).is_some()
                })
                .collect(),
        },
        provider::STATE_MACHINE => ResourceKind::StateMachine {
            kind: match arg("type") {
                None => Some("STANDARD".to_string()),
                Some(t) => t.text().map(str::to_ascii_uppercase),
            },
        },
        provider::API => ResourceKind::Api {
            protocol: arg("protocol_type").and_then(|p| Protocol::parse(p.text()?)),
            has_body: arg("body").is_some(),
        },
        provider::ROUTE => ResourceKind::Route(route_facts(
            arg("route_key"),
            arg("target"),
            api(),
            resource.dialect,
            rel,
        )),
        provider::STAGE => {
            ResourceKind::Stage(stage_of(arg("name"), arg("stage_variables"), api(), rel))
        }
        provider::INTEGRATION => ResourceKind::Integration { api: api() },
        _ => ResourceKind::Other,
    };
    let span = rel(resource.name_span.start
        ..resource
            .args
            .map_or(resource.name_span.end, |a| a.span().end));
    let refs = match &kind {
        ResourceKind::Route(_) | ResourceKind::Stage(_) | ResourceKind::Integration { .. } => {
            let mut refs: Vec<(String, Range<usize>)> = resource
                .args
                .map(references_in)
                .unwrap_or_default()
                .into_iter()
                .map(|(name, span)| (name, rel(span)))
                .collect();
            refs.sort_by_key(|(_, span)| span.start);
            refs
        }
        _ => Vec::new(),
    };
    if let Some(integration) = Integration::from_provider(resource) {
        let mut found = integration_facts(&integration, api(), rel, json);
        found.span = span.clone();
        facts.integrations.push(found);
    }
    facts.resources.push(ResourceFacts {
        name: resource.address(),
        name_span: rel(resource.name_span.clone()),
        span,
        type_name: Some(resource.type_name.to_string()),
        kind,
        refs,
        depends_on: Vec::new(),
        construct: None,
    });
}

/// The local file an API resource takes its OpenAPI definition from: `AWS::Include`
/// as the `DefinitionBody` of a SAM `HttpApi` or the `Body` of an
/// `AWS::ApiGatewayV2::Api`, or a SAM `HttpApi`'s `DefinitionUri` written as a path.
/// S3 locations (`s3://`, an `https://` URL, a `{Bucket, Key}` mapping) are not local.
fn include_of(
    resource: &Resource<'_>,
    rel: &impl Fn(Range<usize>) -> Range<usize>,
) -> Option<IncludeFacts> {
    let props = resource.value.get("Properties")?;
    let body_key = match resource.type_name()? {
        "AWS::Serverless::HttpApi" => "DefinitionBody",
        "AWS::ApiGatewayV2::Api" => "Body",
        _ => return None,
    };
    let (location, kind) = match props.get(body_key) {
        Some(variable) if variable.framework_variable().is_some() => {
            // `${file(./api.json)}` (Serverless Framework variables).
            let body = variable.intrinsic_argument()?;
            let text = body.text()?;
            let inner = text.trim().strip_prefix("${file(")?.strip_suffix(")}")?;
            let path = inner.trim().trim_matches(['\'', '"']);
            let span = body.text_span();
            let start = text.find(path).filter(|_| body.is_verbatim());
            let span = match start {
                Some(at) => rel(span.start + at..span.start + at + path.len()),
                None => rel(span),
            };
            return (!path.is_empty()).then(|| IncludeFacts {
                api: resource.name.to_string(),
                location: path.to_string(),
                span,
                kind: IncludeKind::ServerlessFile,
            });
        }
        Some(body) => {
            body.intrinsic().filter(|i| i.name == "Fn::Transform")?;
            let arg = body.intrinsic_argument()?;
            if arg.get("Name")?.text()? != "AWS::Include" {
                return None;
            }
            let location = arg.get("Parameters")?.get("Location")?;
            (location, IncludeKind::AwsInclude)
        }
        None if body_key == "DefinitionBody" => {
            (props.get("DefinitionUri")?, IncludeKind::DefinitionUri)
        }
        None => return None,
    };
    let text = location.text()?;
    let lower = text.to_ascii_lowercase();
    if text.trim().is_empty()
        || lower.starts_with("s3://")
        || lower.starts_with("https://")
        || lower.starts_with("http://")
    {
        return None;
    }
    Some(IncludeFacts {
        api: resource.name.to_string(),
        location: text.to_string(),
        span: rel(location.text_span()),
        kind,
    })
}

fn push_openapi(
    facts: &mut Facts,
    api: Option<&str>,
    integrations: &[Integration<'_>],
    operations: &[openapi::Operation<'_>],
    rel: &impl Fn(Range<usize>) -> Range<usize>,
    json: bool,
) {
    let first = facts.integrations.len();
    for integration in integrations {
        facts.integrations.push(integration_facts(
            integration,
            api.map(str::to_string),
            rel,
            json,
        ));
    }
    for op in operations {
        let path_span = rel(op.path_span.clone());
        let verbatim = op.path.len() == path_span.len();
        facts.operations.push(OperationFacts {
            api: api.map(str::to_string),
            route: op.route.clone(),
            path: op.path.to_string(),
            path_variables: key_variables(op.path, &path_span, verbatim),
            path_span,
            method_span: rel(op.method_span.clone()),
            span: rel(op.span.clone()),
            target: match &op.target {
                OpTarget::Inline(i) => OpTarget::Inline(first + i),
                OpTarget::Shared {
                    name,
                    ref_span,
                    span,
                } => OpTarget::Shared {
                    name: name.clone(),
                    ref_span: rel(ref_span.clone()),
                    span: rel(span.clone()),
                },
            },
        });
    }
}

fn integration_facts(
    integration: &Integration<'_>,
    api: Option<String>,
    rel: &impl Fn(Range<usize>) -> Range<usize>,
    json: bool,
) -> IntegrationFacts {
    let params = integration
        .request_parameters()
        .into_iter()
        .flat_map(|p| p.pairs())
        .filter_map(|pair| {
            let value = pair.value()?;
            let literal = value.text().map(str::to_string);
            let mut exprs = Vec::new();
            if let Some(text) = &literal {
                let at = |inner: Range<usize>| {
                    rel(value.map_inner(inner).unwrap_or_else(|| value.text_span()))
                };
                for e in crate::expr::parse_value(text).exprs() {
                    exprs.push(ExprUse {
                        source: e.source.clone(),
                        range: at(e.range.clone()),
                        name_range: at(e.name_range.clone().unwrap_or_else(|| e.range.clone())),
                    });
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
                exprs,
            })
        })
        .collect();
    let credentials = integration
        .field(Field::Credentials)
        .and_then(|p| p.value())
        .and_then(|v| Some((reference_of(v)?, rel(v.span()))));
    // A module route's key is its route: its variables are known where it is written.
    let own_path = match &integration.origin {
        Origin::Operation { path, .. } => Some(*path),
        Origin::Route { route, .. } => tf_module::literal_route(route),
        Origin::Resource | Origin::Shared => None,
    };
    let own_path_variables = own_path.map(|path| {
        path_variables(path, 0)
            .into_iter()
            .map(|v| v.name)
            .collect()
    });
    IntegrationFacts {
        resource: matches!(integration.origin, Origin::Resource),
        dialect: integration.dialect,
        name: integration.name.to_string(),
        anchor: rel(integration.anchor.clone()),
        span: rel(integration.anchor.start..integration.fields.span().end),
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
        refs: references_in(integration.fields)
            .into_iter()
            .map(|(name, span)| (name, rel(span)))
            .collect(),
    }
}

/// A stage's `StageName` and `StageVariables`.
fn stage_facts(
    props: Option<NodeRef<'_>>,
    api: Option<String>,
    rel: &impl Fn(Range<usize>) -> Range<usize>,
) -> StageFacts {
    stage_of(
        props.and_then(|p| p.get("StageName")),
        props.and_then(|p| p.get("StageVariables")),
        api,
        rel,
    )
}

/// A stage from its name and variables (CloudFormation's `StageName` and
/// `StageVariables`; Terraform's `name` and `stage_variables`).
fn stage_of(
    name: Option<NodeRef<'_>>,
    variables: Option<NodeRef<'_>>,
    api: Option<String>,
    rel: &impl Fn(Range<usize>) -> Range<usize>,
) -> StageFacts {
    let variables = match variables {
        None => Some(Vec::new()),
        Some(vars) if vars.is_map() => Some(
            vars.pairs()
                .map(|p| StageVariable {
                    name: p.key().to_string(),
                    name_span: rel(p.key_span()),
                    value: p.value().and_then(|v| v.text()).map(str::to_string),
                })
                .collect(),
        ),
        Some(_) => None,
    };
    StageFacts {
        api,
        stage_name: name.and_then(|s| s.text()).map(str::to_string),
        variables,
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

/// The API an `api_id` argument names: `aws_apigatewayv2_api.x.id` (or the address
/// alone).
pub fn terraform_api(api_id: NodeRef<'_>) -> Option<String> {
    match reference_of(api_id)? {
        Reference::Ref(name) => Some(name),
        Reference::GetAtt(name, attr) => (attr == "id").then_some(name),
    }
}

/// A route from its key, its target and the API it belongs to (CloudFormation's
/// `RouteKey`, `Target`, `ApiId`; Terraform's `route_key`, `target`, `api_id`;
/// Pulumi's `routeKey`, `target`, `apiId`), written in `dialect`.
fn route_facts(
    key_node: Option<NodeRef<'_>>,
    target: Option<NodeRef<'_>>,
    api: Option<String>,
    dialect: Dialect,
    rel: &impl Fn(Range<usize>) -> Range<usize>,
) -> RouteFacts {
    // An empty key is pointed at with its quotes.
    let key = key_node.and_then(|k| {
        let text = k.text()?;
        let span = if text.is_empty() {
            k.span()
        } else {
            k.text_span()
        };
        Some((text.to_string(), rel(span)))
    });
    // A Serverless Framework variable names what only the framework knows.
    let target = target.filter(|t| t.framework_variable().is_none());
    let target = target.map(|t| match integration_target(t) {
        Some((name, span)) => Target::Integration {
            name,
            span: rel(span),
            literal: t.text().is_some(),
        },
        None => Target::Other {
            text: t.text().map(str::to_string),
            replacement: match (reference_of(t), t.intrinsic()) {
                // `${MyIntegration}` is the resource; its ID is `${MyIntegration.id}`.
                (Some(Reference::Ref(name) | Reference::GetAtt(name, _)), _)
                    if dialect == Dialect::Pulumi =>
                {
                    Some(format!("integrations/${{{name}.id}}"))
                }
                (Some(Reference::Ref(name)), Some(i)) if i.short_form => {
                    Some(format!("!Sub integrations/${{{name}}}"))
                }
                (Some(Reference::Ref(name)), Some(_)) => {
                    Some(format!("{{\"Fn::Sub\": \"integrations/${{{name}}}\"}}"))
                }
                // Terraform: `aws_apigatewayv2_integration.x.id`.
                (Some(Reference::GetAtt(name, attr)), Some(_))
                    if attr == "id" && provider::address_type(&name).is_some() =>
                {
                    Some(format!("\"integrations/${{{name}.id}}\""))
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
    let path_variables = match (key_node, &key) {
        (Some(k), Some((text, span))) => key_variables(text, span, k.is_verbatim()),
        _ => Vec::new(),
    };
    RouteFacts {
        api,
        key,
        path_variables,
        target,
    }
}

fn resource_kind(
    resource: &Resource<'_>,
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
            ResourceKind::Queue {
                fifo,
                policy: false,
            }
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
                            self::statements(policy.get("PolicyDocument"), Dialect::CloudFormation),
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
                trust_document: None,
                statements,
                documents: Vec::new(),
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
                statements: statements(prop("PolicyDocument"), Dialect::CloudFormation),
                documents: Vec::new(),
            }
        }
        Some("AWS::ApiGatewayV2::Route") => ResourceKind::Route(route_facts(
            prop("RouteKey"),
            prop("Target"),
            prop("ApiId").and_then(ref_name),
            Dialect::CloudFormation,
            rel,
        )),
        Some(
            "AWS::SQS::QueuePolicy"
            | "AWS::Events::EventBusPolicy"
            | "AWS::Kinesis::ResourcePolicy"
            | "AWS::SNS::TopicPolicy",
        ) => ResourceKind::ResourcePolicy {
            names: props.map(names_in).unwrap_or_default(),
        },
        Some("AWS::ApiGatewayV2::Stage") => {
            ResourceKind::Stage(stage_facts(props, prop("ApiId").and_then(ref_name), rel))
        }
        Some("AWS::ApiGatewayV2::Integration") => ResourceKind::Integration {
            api: prop("ApiId").and_then(ref_name),
        },
        _ => ResourceKind::Other,
    }
}
