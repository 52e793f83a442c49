//! The subtype catalog: the single source of truth for completion, hover and
//! diagnostics about HTTP API first-class integrations.
//!
//! The data lives in `server/data/catalog.json`, a checked-in file reviewed by hand
//! against the AWS documentation and the service API models: each fact names its
//! `source`, and `_meta.sources` gives the pages and the model. It holds:
//!
//! * the ten `IntegrationSubtype` values in the order of the AWS reference,
//!   each with its service call, IAM action, a one-line summary, notes and its
//!   closed list of `RequestParameters` keys (required flag, description,
//!   where the facts come from, and value constraints);
//! * the `$context` variables AWS lists for HTTP APIs, with the phase in which
//!   they are known (request or response), plus REST-only names that are often
//!   used on HTTP APIs by mistake;
//! * the named parts of mapping expressions: the roots (`request`, `context`,
//!   `stageVariables`), the request parts (`header`, `querystring`, `path`,
//!   `body`) and what a name after them may hold, which [`crate::expr`] parses;
//! * `TimeoutInMillis` limits and defaults, what `Ref`/`Fn::GetAtt` of the
//!   resource types integrations use return, and the placeholders quick fixes
//!   and snippets write.
//!
//! This module holds data and lookups only; the words hover and completion show
//! about it are theirs (`analysis::hover`, `analysis::hover::constraints`).
//!
//! The file is embedded with `include_str!` and parsed once, lazily, into a
//! [`Catalog`] reached through [`catalog()`]. Parsing can only fail if the
//! checked-in file is broken, which the unit tests below catch.
//!
//! Lookups are exact (AWS matches names exactly); the `suggest_*` methods and
//! [`Catalog::context_variable`] provide "did you mean" candidates through
//! [`crate::suggest::closest`], the server's one suggestion policy. A suggestion
//! is only returned when one candidate is clearly closest; ties give `None`.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::suggest::closest;

/// The catalog data file, embedded at build time.
const CATALOG_JSON: &str = include_str!("../../data/catalog.json");

static CATALOG: LazyLock<Catalog> =
    LazyLock::new(|| serde_json::from_str(CATALOG_JSON).expect("embedded catalog.json is valid"));

/// The catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

/// Prefix of every context variable name.
pub const CONTEXT_PREFIX: &str = "$context.";

/// Everything the server knows about first-class integrations.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Catalog {
    /// Provenance and the rules shared by every subtype.
    #[serde(rename = "_meta")]
    pub meta: Meta,
    /// The ten subtypes, in the order of the AWS reference page.
    pub subtypes: Vec<Subtype>,
    /// `$context` variables documented for HTTP APIs.
    pub context_variables: Vec<ContextVariable>,
    /// Full names (`$context.resourcePath`) of REST-only variables that are
    /// often used on HTTP APIs by mistake.
    pub rest_only_context_variables: Vec<String>,
    /// The named parts of mapping expressions: roots, request parts, name rules.
    pub mapping_expressions: MappingExpressions,
    /// `TimeoutInMillis` limits and defaults.
    pub integration_timeout: IntegrationTimeout,
    /// What quick fixes and snippets write where the author has to decide.
    pub placeholders: Placeholders,
    /// What `Ref` and `Fn::GetAtt` of the resource types that integrations point at
    /// return, as value kinds (`sqs-queue-url`, `iam-role-arn`, ...).
    pub resource_types: BTreeMap<String, ResourceType>,
    /// Each value kind in words (`the queue's URL`), for messages.
    pub value_kinds: BTreeMap<String, String>,
    /// The value kinds `CredentialsArn` accepts.
    pub credentials_accepts: Vec<String>,
    /// The properties of the resources around an integration, and the fields of
    /// `x-amazon-apigateway-integration`, for completion and hover.
    pub properties: Properties,
    /// What the integration role needs besides the subtype's action.
    pub iam: Iam,
}

/// What the role in `CredentialsArn` needs besides the subtype's IAM action.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Iam {
    /// Where the facts come from (`doc`).
    pub source: String,
    /// How they are used.
    pub note: String,
    /// The service principal the role's trust policy must allow
    /// (`apigateway.amazonaws.com`).
    pub trust_service: String,
    /// The action that principal is allowed (`sts:AssumeRole`).
    pub assume_role_action: String,
    /// The policy language version written in a new policy document.
    pub policy_version: String,
}

/// The properties completion offers, by resource type (and
/// `x-amazon-apigateway-integration` for the OpenAPI fields).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Properties {
    /// Where the facts come from.
    pub source: String,
    /// What the fields mean.
    pub note: String,
    /// By resource type, in the order completion lists them within each need.
    pub types: BTreeMap<String, PropertySet>,
}

/// The properties of one resource type.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PropertySet {
    /// The reference page.
    pub doc_url: String,
    pub properties: Vec<Property>,
}

/// One property (or OpenAPI field).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Property {
    pub name: String,
    pub need: Need,
    /// How the value is written.
    pub value: ValueShape,
    /// The accepted values, when they are an enumeration (the usual one first).
    #[serde(default)]
    pub values: Vec<String>,
    /// The value kinds (`resourceTypes`) a reference here must yield.
    #[serde(default)]
    pub accepts: Vec<String>,
    /// What it is, in Markdown.
    pub description: String,
}

/// How much a property is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Need {
    /// By the resource schema (`Api`: unless a `Body` is given).
    Required,
    /// By a first-class integration.
    Integration,
    Optional,
    /// Only on a WebSocket API.
    WebSocketOnly,
}

impl Need {
    /// In words, for completion details.
    pub fn label(self) -> &'static str {
        match self {
            Need::Required => "required",
            Need::Integration => "first-class integrations",
            Need::Optional => "optional",
            Need::WebSocketOnly => "WebSocket APIs only",
        }
    }
}

/// How a property's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ValueShape {
    String,
    Integer,
    Boolean,
    Map,
    List,
}

/// The pseudo type under which `catalog.json` lists the fields of
/// `x-amazon-apigateway-integration`.
pub const OPENAPI_INTEGRATION: &str = "x-amazon-apigateway-integration";

/// `TimeoutInMillis` of an integration, by the protocol of its API.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IntegrationTimeout {
    /// Where the facts come from (`model`).
    pub source: String,
    /// The documentation of the field.
    pub doc_url: String,
    /// What the numbers mean.
    pub note: String,
    /// HTTP APIs.
    pub http: TimeoutRange,
    /// WebSocket APIs.
    pub web_socket: TimeoutRange,
}

/// The accepted range and the default of `TimeoutInMillis`, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TimeoutRange {
    /// Shortest accepted timeout.
    pub min_millis: u32,
    /// Longest accepted timeout.
    pub max_millis: u32,
    /// The timeout when the field is left out.
    pub default_millis: u32,
}

impl TimeoutRange {
    /// Whether `millis` is accepted.
    pub fn contains(&self, millis: i64) -> bool {
        (i64::from(self.min_millis)..=i64::from(self.max_millis)).contains(&millis)
    }
}

/// What quick fixes and completion snippets write where the author has to decide.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Placeholders {
    /// Where the choices come from (`ours`).
    pub source: String,
    /// How they are used.
    pub note: String,
    /// The text that marks what only the author knows (`REPLACE_ME`); `check --fix`
    /// never applies an edit containing it.
    pub marker: String,
    /// Each value of a completion snippet that adds several keys at once.
    pub snippet_value: String,
    /// What replaces a static StartExecution `Name`: unique per request.
    pub execution_name: String,
    /// The subtype of an integration a quick fix declares for a route.
    pub integration_subtype: String,
    /// The `CredentialsArn` of that integration.
    pub credentials: Placeholder,
    /// The value written for a missing required parameter, by key.
    pub parameters: BTreeMap<String, Placeholder>,
}

/// A value a quick fix writes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Placeholder {
    /// Plain text (a mapping expression or the marker).
    Text(String),
    /// A `Fn::Sub` template, plain text where intrinsic functions are unavailable
    /// (API Gateway resolves the pseudo parameters when it imports OpenAPI).
    Sub(String),
}

impl Placeholders {
    /// The value written for the missing parameter `name`: its own, or the marker.
    pub fn for_parameter(&self, name: &str) -> Placeholder {
        self.parameters
            .get(name)
            .cloned()
            .unwrap_or_else(|| Placeholder::Text(self.marker.clone()))
    }
}

/// What references to one CloudFormation resource type return.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceType {
    /// The value kind `Ref` returns.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The value kind of each `Fn::GetAtt` attribute we know.
    pub attributes: BTreeMap<String, String>,
    /// Where the fact comes from.
    pub source: String,
}

/// Which reference to a resource yields a value: `Ref`, or `Fn::GetAtt` of an attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Yields<'a> {
    Ref,
    GetAtt(&'a str),
}

impl ResourceType {
    /// Whether `Ref` is the value of an `id` attribute (a Pulumi resource passed where a
    /// string goes is its `id`): the attribute is then the clearer way to write it.
    fn ref_is_id(&self) -> bool {
        self.attributes.get("id") == Some(&self.reference)
    }

    /// The reference that yields one of `accepts`: `Ref` when it does, else an attribute
    /// that does, a named one before Terraform's `id` (a queue's `url`, not its `id`).
    /// Where `Ref` is the resource's `id` (Pulumi's `${queue}`), a named attribute
    /// comes first too (`${queue.url}`).
    pub fn yielding(&self, accepts: &[String]) -> Option<Yields<'_>> {
        if accepts.contains(&self.reference) && !self.ref_is_id() {
            return Some(Yields::Ref);
        }
        let fitting = || {
            self.attributes
                .iter()
                .filter(|(_, kind)| accepts.contains(kind))
                .map(|(attr, _)| attr.as_str())
        };
        fitting()
            .find(|attr| *attr != "id")
            .or_else(|| fitting().next())
            .map(Yields::GetAtt)
    }

    /// The reference that yields the resource's ARN (a value kind ending in `-arn`):
    /// `Ref` when it does, else the `Arn` attribute, else the first attribute that
    /// does. `None` when no reference does (AppConfig's resources give IDs).
    pub fn arn(&self) -> Option<Yields<'_>> {
        let is_arn = |kind: &str| kind.ends_with("-arn");
        if is_arn(&self.reference) && !self.ref_is_id() {
            return Some(Yields::Ref);
        }
        if self.attributes.get("Arn").is_some_and(|k| is_arn(k)) {
            return Some(Yields::GetAtt("Arn"));
        }
        self.attributes
            .iter()
            .find(|(_, kind)| is_arn(kind))
            .map(|(attr, _)| Yields::GetAtt(attr.as_str()))
    }
}

/// Provenance and the rules shared by every subtype.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Meta {
    /// Version of the catalog data.
    pub version: String,
    /// How the data was made and what conventions it follows.
    pub note: String,
    /// Named sources (URLs or repository paths).
    pub sources: BTreeMap<String, String>,
    /// The only `PayloadFormatVersion` accepted with a subtype (`"1.0"`).
    pub payload_format_version: String,
    /// The only `IntegrationType` accepted with a subtype (`AWS_PROXY`).
    pub integration_type: String,
    /// The API protocol subtypes require (`HTTP`).
    pub protocol_type: String,
    /// Shortest configured `RequestParameters` value, in characters.
    pub value_min_length: usize,
    /// Longest configured `RequestParameters` value, in characters.
    pub value_max_length: usize,
}

/// One `IntegrationSubtype` value.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subtype {
    /// Exact subtype name, e.g. `SQS-SendMessage`.
    pub name: String,
    /// Service prefix, e.g. `sqs`.
    pub service: String,
    /// Service operation, e.g. `SendMessage`.
    pub operation: String,
    /// IAM action the integration role needs, e.g. `sqs:SendMessage`.
    pub iam_action: String,
    /// One line in our own words.
    pub summary: String,
    /// AWS documentation page (with anchor) for the subtype.
    pub doc_url: String,
    /// The service's API reference page for the operation.
    #[serde(default)]
    pub api_reference_url: Option<String>,
    /// Whether the underlying service API is deprecated.
    #[serde(default)]
    pub deprecated: bool,
    /// Extra remarks worth showing on hover.
    pub notes: Vec<String>,
    /// The closed list of `RequestParameters` keys, in documentation order.
    pub parameters: Vec<Parameter>,
}

/// One `RequestParameters` key of a subtype.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Parameter {
    /// Exact key, e.g. `QueueUrl`.
    pub name: String,
    /// Whether the key must be present.
    pub required: bool,
    /// What the value means, in our own words.
    pub description: String,
    /// Where the constraints come from: `doc`, `model`, `sample` or `inferred`.
    pub source: String,
    /// Constraints on the value.
    pub constraints: Constraints,
}

/// Constraints on a parameter value. Every field is optional; the catalog only
/// sets what is known. Lengths are in characters, sizes in bytes. Patterns are
/// written for whole-value matching (anchored with `^` and `$`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Constraints {
    /// The `type` key: type at the API Gateway level (always `string`).
    #[serde(rename = "type")]
    pub api_type: Option<String>,
    /// What the service expects inside the string: `integer`, `json`,
    /// `json-object`, `blob`, `list<arn>`, `list<enum>`, `list<string>`.
    pub value_type: Option<String>,
    /// Minimum length in characters.
    pub min_length: Option<u64>,
    /// Maximum length in characters.
    pub max_length: Option<u64>,
    /// Minimum numeric value.
    pub min: Option<i64>,
    /// Maximum numeric value.
    pub max: Option<i64>,
    /// Regular expression for the whole value.
    pub pattern: Option<String>,
    /// Allowed values (for lists: allowed items).
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<String>>,
    /// Named format: `aws-region`, `sqs-queue-url`, `rfc3339-timestamp`,
    /// `states-execution-arn`.
    pub format: Option<String>,
    /// Service default when the key is left out.
    pub default: Option<String>,
    /// Only meaningful on FIFO queues.
    pub fifo_only: Option<bool>,
    /// Queue kind for which the key is needed in practice (`fifo`).
    pub required_for: Option<String>,
    /// Queue kind on which the key must not be set (`fifo`).
    pub not_allowed_for: Option<String>,
    /// Maximum size of the value in bytes.
    pub max_bytes: Option<u64>,
    /// Maximum size of the data plus the partition key (Kinesis).
    pub max_bytes_with_partition_key: Option<u64>,
    /// Maximum size of the whole event entry (EventBridge).
    pub max_bytes_entry: Option<u64>,
    /// The size limit before the service raised it on `limit_changed_on`.
    pub previous_max_bytes: Option<u64>,
    /// Date (YYYY-MM-DD) of the service model change that raised the limit.
    pub limit_changed_on: Option<String>,
    /// Maximum JSON nesting depth.
    pub max_json_depth: Option<u32>,
    /// Maximum length of each list item.
    pub item_max_length: Option<u64>,
    /// Maximum number of entries (e.g. message attributes).
    pub max_items: Option<u32>,
    /// Pattern for entry names (uses look-around).
    pub name_pattern: Option<String>,
    /// Pattern for an SQS attribute `DataType`.
    pub data_type_pattern: Option<String>,
    /// Maximum length of an SQS attribute `DataType`.
    pub data_type_max_length: Option<u64>,
    /// Allowed characters, as the service documents them.
    pub allowed_chars: Option<String>,
    /// The only keys allowed inside the JSON object.
    pub allowed_keys: Option<Vec<String>>,
    /// Characters that must not appear (a space stands for any whitespace).
    pub forbidden_chars: Option<String>,
    /// Control characters are not allowed.
    pub forbid_control_chars: Option<bool>,
    /// Prefixes the value must not start with (reserved names, e.g. `aws.` sources).
    pub forbidden_prefixes: Option<Vec<String>>,
    /// Stricter pattern recommended to keep CloudWatch logging working.
    pub logging_safe_pattern: Option<String>,
    /// The value kinds a reference may yield here (see `Catalog::resource_types`).
    pub accepts: Option<Vec<String>>,
    /// Free-form remarks.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// When a context variable has a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// Known before the integration is called: sensible in `RequestParameters`.
    Request,
    /// Only known after the integration call (logging, `ResponseParameters`).
    Response,
}

impl Phase {
    /// `"request"` or `"response"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Request => "request",
            Phase::Response => "response",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `$context` variable documented for HTTP APIs.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContextVariable {
    /// Full name, e.g. `$context.identity.sourceIp`; placeholder families end
    /// in `{property}`, e.g. `$context.authorizer.claims.{property}`.
    pub name: String,
    /// What the variable holds.
    pub description: String,
    /// When the value is known.
    pub phase: Phase,
    /// `false` for variables only in the 2023 list (gone from the current page).
    pub current: bool,
    /// Whether the last part is chosen by the user (`{property}`).
    pub placeholder: bool,
}

impl ContextVariable {
    /// The name after `$context.`, e.g. `identity.sourceIp`.
    pub fn path(&self) -> &str {
        self.name
            .strip_prefix(CONTEXT_PREFIX)
            .unwrap_or(self.name.as_str())
    }

    /// For a placeholder family, the fixed part after `$context.` including the
    /// trailing dot (`authorizer.claims.`); `None` for ordinary variables.
    pub fn placeholder_prefix(&self) -> Option<&str> {
        if !self.placeholder {
            return None;
        }
        let path = self.path();
        path.rfind('.').map(|dot| &path[..=dot])
    }

    /// Whether `path` (text after `$context.`) names this variable. A
    /// placeholder family matches any non-empty last part without dots.
    pub fn matches(&self, path: &str) -> bool {
        match self.placeholder_prefix() {
            Some(prefix) => path
                .strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('.')),
            None => self.path() == path,
        }
    }
}

/// Result of [`Catalog::context_variable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextLookup<'a> {
    /// A documented HTTP API variable (possibly a placeholder family).
    Known(&'a ContextVariable),
    /// A REST API variable that HTTP APIs do not have.
    RestOnly,
    /// Not a known variable. `suggestion` is a name after `$context.`
    /// (placeholder families keep `{property}` unless the user's last part
    /// could be reused).
    Unknown {
        /// Closest known name, if one is clearly closest.
        suggestion: Option<String>,
    },
}

/// One step of the `$context` name tree, for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextChild<'a> {
    /// The next name segment, e.g. `sourceIp`, `clientCert` or `{property}`.
    pub segment: &'a str,
    /// Name after `$context.` up to and including this segment.
    pub path: &'a str,
    /// Leaf variable or further level.
    pub kind: ContextChildKind<'a>,
}

/// Whether a [`ContextChild`] is a variable or a further level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextChildKind<'a> {
    /// The segment completes a variable.
    Variable(&'a ContextVariable),
    /// The segment is followed by more segments.
    Level {
        /// `Request` if any variable below is request-phase.
        phase: Phase,
        /// Whether any variable below is in the current AWS list.
        current: bool,
    },
}

impl<'a> ContextChild<'a> {
    /// Whether more segments follow.
    pub fn is_level(&self) -> bool {
        matches!(self.kind, ContextChildKind::Level { .. })
    }

    /// The variable, for a leaf.
    pub fn variable(&self) -> Option<&'a ContextVariable> {
        match self.kind {
            ContextChildKind::Variable(v) => Some(v),
            ContextChildKind::Level { .. } => None,
        }
    }

    /// Phase of the variable, or the earliest phase below a level.
    pub fn phase(&self) -> Phase {
        match &self.kind {
            ContextChildKind::Variable(v) => v.phase,
            ContextChildKind::Level { phase, .. } => *phase,
        }
    }

    fn current(&self) -> bool {
        match &self.kind {
            ContextChildKind::Variable(v) => v.current,
            ContextChildKind::Level { current, .. } => *current,
        }
    }

    fn placeholder(&self) -> bool {
        self.variable().is_some_and(|v| v.placeholder)
    }
}

/// The named parts of parameter-mapping expressions (the AWS page on HTTP API parameter
/// mapping, `_meta.sources.parameterMapping` in the catalog): what [`crate::expr`] parses,
/// completion offers and hover explains. The lexical syntax (`$`, `${...}`) is `expr`'s;
/// everything with a name is here.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MappingExpressions {
    /// Where the facts come from (`doc`).
    pub source: String,
    /// How the data is read.
    pub note: String,
    /// `request`, `context`, `stageVariables`, in the order completion offers them.
    pub roots: Vec<ExpressionRoot>,
}

/// Which root an [`ExpressionRoot`] is (a stable identifier; the spelling is data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RootKind {
    /// `$request.PART...`
    Request,
    /// `$context.NAME`
    Context,
    /// `$stageVariables.NAME`
    StageVariables,
}

/// Which request part a [`RequestPart`] is (a stable identifier; the spelling is data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PartKind {
    /// `$request.header.NAME`
    Header,
    /// `$request.querystring.NAME`
    Querystring,
    /// `$request.path[.NAME]`
    Path,
    /// `$request.body[.JSONPATH]`
    Body,
}

/// The first word of an expression. It has either `parts` or a `name`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpressionRoot {
    /// Stable identifier.
    pub kind: RootKind,
    /// The word as written, e.g. `stageVariables`.
    pub root: String,
    /// What the root reads, for completion.
    pub description: String,
    /// The parts that follow the root (`request.header`), if any.
    #[serde(default)]
    pub parts: Vec<RequestPart>,
    /// The name that follows the root (`context.requestId`), if any.
    pub name: Option<NameRule>,
}

/// A part of the request: `header`, `querystring`, `path` or `body`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RequestPart {
    /// Stable identifier.
    pub kind: PartKind,
    /// The word as written after `request.`.
    pub part: String,
    /// What `$request.PART.NAME` yields.
    pub description: String,
    /// How several values are combined (`comma-joined`).
    pub multi_value: Option<String>,
    /// API Gateway truncates the body to this size before evaluating a JSONPath.
    pub truncate_body_at_bytes: Option<u64>,
    /// The form without a name (`$request.path`, `$request.body`), when it exists.
    pub whole: Option<WholeForm>,
    /// What may follow `PART.`.
    pub name: NameRule,
}

/// `$request.PART` written without a name.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WholeForm {
    /// What it yields.
    pub description: String,
    /// Whether the first-class integration page lists it (completion offers only
    /// those; hover says where the others are documented).
    pub on_subtype_page: bool,
    /// A remark hover adds (`without truncation`).
    pub note: Option<String>,
}

/// What a name after a root or part may hold.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NameRule {
    /// What the name is called in messages (`header name`, `JSONPath`).
    pub noun: String,
    /// Whether API Gateway matches the name case-sensitively, when documented.
    pub case: Option<NameCase>,
    /// A name shown in messages (`requestId`); `NAME` when unset.
    pub example: Option<String>,
    /// Dot-separated segments, none empty (`identity.sourceIp`).
    #[serde(default)]
    pub dotted: bool,
    /// The name is a JSONPath without its leading `$.`.
    #[serde(default)]
    pub json_path: bool,
    /// JSONPath constructs rejected outside quotes.
    #[serde(default)]
    pub forbidden: Vec<ForbiddenConstruct>,
    /// The characters a (non-JSONPath) name may hold.
    pub chars: Option<NameChars>,
}

/// Case sensitivity of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum NameCase {
    /// `X-Api-Key` and `x-api-key` are the same header.
    Insensitive,
    /// Names match exactly.
    Sensitive,
}

/// The character class of a name.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NameChars {
    /// The characters allowed before `also` and `except`.
    pub base: CharBase,
    /// Characters allowed besides `base`.
    #[serde(default)]
    pub also: String,
    /// Characters never allowed.
    #[serde(default)]
    pub except: String,
    /// Characters that end the name in a bare expression after static text.
    #[serde(default)]
    pub not_in_text: String,
    /// The class in words, for messages, when it is narrow.
    pub in_words: Option<String>,
}

/// Base of a [`NameChars`] class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CharBase {
    /// ASCII letters and digits.
    AsciiAlphanumeric,
    /// Any character but whitespace.
    NonWhitespace,
}

impl NameChars {
    /// Whether `c` may appear in the name; `in_text` for a bare expression after
    /// static text.
    pub fn allows(&self, c: char, in_text: bool) -> bool {
        let base = match self.base {
            CharBase::AsciiAlphanumeric => c.is_ascii_alphanumeric() || self.also.contains(c),
            CharBase::NonWhitespace => !c.is_whitespace(),
        };
        base && !self.except.contains(c) && !(in_text && self.not_in_text.contains(c))
    }
}

/// A JSONPath construct API Gateway does not support.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ForbiddenConstruct {
    /// The text that starts it (`..`, `?(`).
    pub text: String,
    /// Its name, for hover (`recursive descent`).
    pub name: String,
    /// The diagnostic message.
    pub message: String,
}

impl MappingExpressions {
    /// The root spelled exactly `word`.
    pub fn root(&self, word: &str) -> Option<&ExpressionRoot> {
        self.roots.iter().find(|r| r.root == word)
    }

    /// The root of `kind` (the catalog has each; its tests check).
    pub fn root_of(&self, kind: RootKind) -> &ExpressionRoot {
        self.roots
            .iter()
            .find(|r| r.kind == kind)
            .expect("catalog.json has every expression root")
    }

    /// The request part of `kind` and the root it follows.
    pub fn part_of(&self, kind: PartKind) -> (&ExpressionRoot, &RequestPart) {
        self.roots
            .iter()
            .find_map(|r| r.parts.iter().find(|p| p.kind == kind).map(|p| (r, p)))
            .expect("catalog.json has every request part")
    }
}

impl ExpressionRoot {
    /// The part spelled exactly `word`.
    pub fn part(&self, word: &str) -> Option<&RequestPart> {
        self.parts.iter().find(|p| p.part == word)
    }
}

impl Catalog {
    /// The properties of a resource type (or [`OPENAPI_INTEGRATION`]).
    pub fn properties_of(&self, type_name: &str) -> Option<&PropertySet> {
        self.properties.types.get(type_name)
    }

    /// The subtype with exactly this name.
    pub fn subtype(&self, name: &str) -> Option<&Subtype> {
        self.subtypes.iter().find(|s| s.name == name)
    }

    /// Subtype names in reference order.
    pub fn subtype_names(&self) -> impl Iterator<Item = &str> {
        self.subtypes.iter().map(|s| s.name.as_str())
    }

    /// "Did you mean" for a subtype name that is not exact: a case-insensitive
    /// match first, then the bare operation (`SendMessage`) or IAM action
    /// (`sqs:SendMessage`) when it names one subtype, then the uniquely
    /// closest name ([`crate::suggest`]). Unrelated text such as
    /// `Lambda-Invoke` gives `None`.
    pub fn suggest_subtype(&self, name: &str) -> Option<&Subtype> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        if let Some(s) = self
            .subtypes
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
        {
            return Some(s);
        }
        if let Some(s) = self
            .subtypes
            .iter()
            .find(|s| s.iam_action.eq_ignore_ascii_case(name))
        {
            return Some(s);
        }
        let mut by_operation = self
            .subtypes
            .iter()
            .filter(|s| s.operation.eq_ignore_ascii_case(name));
        if let (Some(s), None) = (by_operation.next(), by_operation.next()) {
            return Some(s);
        }
        closest(name, self.subtypes.iter(), |s| s.name.as_str()).one()
    }

    /// Looks up a context variable by the text after `$context.` (a leading
    /// `$context.` is tolerated).
    ///
    /// Order: exact documented name, then the REST-only list (so
    /// `authorizer.latency` is `RestOnly` even though it would fit the
    /// `authorizer.{property}` family), then placeholder families (the last
    /// part must be non-empty and contain no dot; the longest family wins).
    /// A name that is only a level (`identity`, `authorizer.claims`) is
    /// `Unknown`.
    pub fn context_variable(&self, name_after_context: &str) -> ContextLookup<'_> {
        let path = strip_context_prefix(name_after_context);
        if let Some(v) = self
            .context_variables
            .iter()
            .find(|v| !v.placeholder && v.path() == path)
        {
            return ContextLookup::Known(v);
        }
        if self
            .rest_only_context_variables
            .iter()
            .any(|r| strip_context_prefix(r) == path)
        {
            return ContextLookup::RestOnly;
        }
        if !self.is_context_level(path) {
            let family = self
                .context_variables
                .iter()
                .filter(|v| v.placeholder && v.matches(path))
                .max_by_key(|v| v.placeholder_prefix().map_or(0, str::len));
            if let Some(v) = family {
                return ContextLookup::Known(v);
            }
        }
        ContextLookup::Unknown {
            suggestion: self.suggest_context_path(path),
        }
    }

    /// Whether `path` (after `$context.`) is an inner level of the name tree,
    /// such as `identity` or `authorizer.claims`.
    pub fn is_context_level(&self, path: &str) -> bool {
        let path = strip_context_prefix(path);
        !path.is_empty()
            && self.context_variables.iter().any(|v| {
                v.path()
                    .strip_prefix(path)
                    .is_some_and(|rest| rest.starts_with('.'))
            })
    }

    /// The next level of `$context` names below `prefix` (text after
    /// `$context.`, with or without a trailing dot; `""` for the top level).
    ///
    /// Order: request-phase before response-phase, then current before
    /// legacy names, then named entries before `{property}` placeholders, then
    /// alphabetical ignoring case. Levels sort by the earliest phase below.
    pub fn context_children(&self, prefix: &str) -> Vec<ContextChild<'_>> {
        let base = strip_context_prefix(prefix).trim_end_matches('.');
        let mut children: Vec<ContextChild<'_>> = Vec::new();
        for v in &self.context_variables {
            let full = v.path();
            let rest = if base.is_empty() {
                full
            } else {
                match full.strip_prefix(base).and_then(|r| r.strip_prefix('.')) {
                    Some(r) => r,
                    None => continue,
                }
            };
            let start = full.len() - rest.len();
            match rest.find('.') {
                None => children.push(ContextChild {
                    segment: rest,
                    path: full,
                    kind: ContextChildKind::Variable(v),
                }),
                Some(dot) => {
                    let segment = &rest[..dot];
                    let level_path = &full[..start + dot];
                    let existing = children
                        .iter_mut()
                        .find(|c| c.is_level() && c.segment == segment);
                    match existing {
                        Some(child) => {
                            if let ContextChildKind::Level { phase, current } = &mut child.kind {
                                *phase = (*phase).min(v.phase);
                                *current |= v.current;
                            }
                        }
                        None => children.push(ContextChild {
                            segment,
                            path: level_path,
                            kind: ContextChildKind::Level {
                                phase: v.phase,
                                current: v.current,
                            },
                        }),
                    }
                }
            }
        }
        children.sort_by(|a, b| {
            a.phase()
                .cmp(&b.phase())
                .then_with(|| b.current().cmp(&a.current()))
                .then_with(|| a.placeholder().cmp(&b.placeholder()))
                .then_with(|| {
                    a.segment
                        .to_ascii_lowercase()
                        .cmp(&b.segment.to_ascii_lowercase())
                })
                .then_with(|| a.segment.cmp(b.segment))
        });
        children
    }

    /// Whether the full name (`$context.resourcePath`) or the text after
    /// `$context.` is on the REST-only list.
    pub fn is_rest_only_context_variable(&self, name: &str) -> bool {
        let path = strip_context_prefix(name);
        self.rest_only_context_variables
            .iter()
            .any(|r| strip_context_prefix(r) == path)
    }

    fn suggest_context_path(&self, path: &str) -> Option<String> {
        if path.is_empty() {
            return None;
        }
        let named = || self.context_variables.iter().filter(|v| !v.placeholder);
        if let Some(v) = named().find(|v| v.path().eq_ignore_ascii_case(path)) {
            return Some(v.path().to_owned());
        }
        // `authorizer.claims` alone gives null: point at the claim family.
        if self.is_context_level(path) {
            let want = format!("{path}.");
            let mut below = self
                .context_variables
                .iter()
                .filter(|v| v.placeholder_prefix() == Some(want.as_str()));
            if let (Some(v), None) = (below.next(), below.next()) {
                return Some(v.path().to_owned());
            }
            return None;
        }
        // A misspelt family prefix with a user-chosen last part.
        if let Some(dot) = path.rfind('.') {
            let (head, last) = path.split_at(dot + 1);
            if !last.is_empty() {
                let families = self
                    .context_variables
                    .iter()
                    .filter_map(ContextVariable::placeholder_prefix);
                if let Some(prefix) = closest(head, families, |p| p).one() {
                    let candidate = format!("{prefix}{last}");
                    // Only if the result really is a family member.
                    if !named().any(|v| v.path() == candidate) {
                        return Some(candidate);
                    }
                }
            }
        }
        closest(path, named(), ContextVariable::path)
            .one()
            .map(|v| v.path().to_owned())
    }
}

impl Subtype {
    /// The parameter with exactly this name.
    pub fn param(&self, name: &str) -> Option<&Parameter> {
        self.parameters.iter().find(|p| p.name == name)
    }

    /// "Did you mean" for a parameter key: a case-insensitive match first,
    /// then the uniquely closest name ([`crate::suggest`]).
    pub fn suggest_param(&self, name: &str) -> Option<&Parameter> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        if let Some(p) = self
            .parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
        {
            return Some(p);
        }
        closest(name, self.parameters.iter(), |p| p.name.as_str()).one()
    }

    /// The parameters that must be present.
    pub fn required_params(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters.iter().filter(|p| p.required)
    }

    /// The parameters that may be left out.
    pub fn optional_params(&self) -> impl Iterator<Item = &Parameter> {
        self.parameters.iter().filter(|p| !p.required)
    }
}

impl Constraints {
    /// Whether the key only applies to FIFO queues.
    pub fn is_fifo_only(&self) -> bool {
        self.fifo_only == Some(true)
    }
}

fn strip_context_prefix(name: &str) -> &str {
    name.strip_prefix(CONTEXT_PREFIX).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spec table 1.1, written out independently of the JSON:
    /// (subtype, required keys, optional keys), in reference order.
    const TABLE: &[(&str, &[&str], &[&str])] = &[
        (
            "EventBridge-PutEvents",
            &["Detail", "DetailType", "Source"],
            &["Time", "EventBusName", "Resources", "Region", "TraceHeader"],
        ),
        (
            "SQS-SendMessage",
            &["QueueUrl", "MessageBody"],
            &[
                "DelaySeconds",
                "MessageAttributes",
                "MessageDeduplicationId",
                "MessageGroupId",
                "MessageSystemAttributes",
                "Region",
            ],
        ),
        (
            "SQS-ReceiveMessage",
            &["QueueUrl"],
            &[
                "AttributeNames",
                "MaxNumberOfMessages",
                "MessageAttributeNames",
                "ReceiveRequestAttemptId",
                "VisibilityTimeout",
                "WaitTimeSeconds",
                "Region",
            ],
        ),
        (
            "SQS-DeleteMessage",
            &["ReceiptHandle", "QueueUrl"],
            &["Region"],
        ),
        ("SQS-PurgeQueue", &["QueueUrl"], &["Region"]),
        (
            "AppConfig-GetConfiguration",
            &["Application", "Environment", "Configuration", "ClientId"],
            &["ClientConfigurationVersion", "Region"],
        ),
        (
            "Kinesis-PutRecord",
            &["StreamName", "Data", "PartitionKey"],
            &["SequenceNumberForOrdering", "ExplicitHashKey", "Region"],
        ),
        (
            "StepFunctions-StartExecution",
            &["StateMachineArn"],
            &["Name", "Input", "Region"],
        ),
        (
            "StepFunctions-StartSyncExecution",
            &["StateMachineArn"],
            &["Name", "Input", "Region", "TraceHeader"],
        ),
        (
            "StepFunctions-StopExecution",
            &["ExecutionArn"],
            &["Cause", "Error", "Region"],
        ),
    ];

    const DOC_PAGE: &str = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html";

    fn subtype(name: &str) -> &'static Subtype {
        catalog().subtype(name).expect("subtype in catalog")
    }

    fn all_params() -> impl Iterator<Item = (&'static Subtype, &'static Parameter)> {
        catalog()
            .subtypes
            .iter()
            .flat_map(|s| s.parameters.iter().map(move |p| (s, p)))
    }

    fn suggested(name: &str) -> Option<&'static str> {
        catalog().suggest_subtype(name).map(|s| s.name.as_str())
    }

    fn suggested_param(subtype_name: &str, name: &str) -> Option<&'static str> {
        subtype(subtype_name)
            .suggest_param(name)
            .map(|p| p.name.as_str())
    }

    fn lookup(path: &str) -> ContextLookup<'static> {
        catalog().context_variable(path)
    }

    fn known_name(path: &str) -> Option<&'static str> {
        match lookup(path) {
            ContextLookup::Known(v) => Some(v.name.as_str()),
            _ => None,
        }
    }

    fn suggestion(path: &str) -> Option<String> {
        match lookup(path) {
            ContextLookup::Unknown { suggestion } => suggestion,
            other => panic!("expected Unknown for {path}, got {other:?}"),
        }
    }

    fn segments(prefix: &str) -> Vec<&'static str> {
        catalog()
            .context_children(prefix)
            .iter()
            .map(|c| c.segment)
            .collect()
    }

    // ----- subtypes and parameters -----

    #[test]
    fn ten_subtypes_in_reference_order() {
        let names: Vec<&str> = catalog().subtype_names().collect();
        let expected: Vec<&str> = TABLE.iter().map(|(n, _, _)| *n).collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn parameter_keys_match_spec_table() {
        for (name, required, optional) in TABLE {
            let s = subtype(name);
            let req: Vec<&str> = s.required_params().map(|p| p.name.as_str()).collect();
            let opt: Vec<&str> = s.optional_params().map(|p| p.name.as_str()).collect();
            assert_eq!(&req, required, "required keys of {name}");
            assert_eq!(&opt, optional, "optional keys of {name}");
            let all: Vec<&str> = s.parameters.iter().map(|p| p.name.as_str()).collect();
            let expected: Vec<&str> = required.iter().chain(optional.iter()).copied().collect();
            assert_eq!(all, expected, "parameter order of {name}");
        }
    }

    #[test]
    fn trace_header_only_where_the_table_has_it() {
        assert!(
            subtype("StepFunctions-StartExecution")
                .param("TraceHeader")
                .is_none()
        );
        assert!(
            subtype("StepFunctions-StartSyncExecution")
                .param("TraceHeader")
                .is_some()
        );
        assert!(
            subtype("EventBridge-PutEvents")
                .param("TraceHeader")
                .is_some()
        );
    }

    #[test]
    fn subtype_fields_are_filled_in() {
        for s in &catalog().subtypes {
            let (service_label, operation) = s.name.split_once('-').expect("Service-Operation");
            assert!(!service_label.is_empty(), "{}", s.name);
            assert_eq!(s.operation, operation, "{}", s.name);
            assert_eq!(
                s.iam_action,
                format!("{}:{}", s.service, s.operation),
                "{}",
                s.name
            );
            assert!(
                !s.summary.trim().is_empty() && !s.summary.contains('\n'),
                "{}",
                s.name
            );
            assert!(s.doc_url.starts_with(DOC_PAGE), "{}", s.name);
            assert_eq!(s.doc_url, format!("{DOC_PAGE}#{}", s.name));
            assert!(s.notes.iter().all(|n| !n.trim().is_empty()), "{}", s.name);
            let mut names: Vec<&str> = s.parameters.iter().map(|p| p.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(
                names.len(),
                s.parameters.len(),
                "duplicate keys in {}",
                s.name
            );
        }
        let deprecated: Vec<&str> = catalog()
            .subtypes
            .iter()
            .filter(|s| s.deprecated)
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(deprecated, ["AppConfig-GetConfiguration"]);
    }

    #[test]
    fn every_parameter_has_description_and_source() {
        for (s, p) in all_params() {
            assert!(!p.description.trim().is_empty(), "{} {}", s.name, p.name);
            assert!(
                ["doc", "model", "sample", "inferred"].contains(&p.source.as_str()),
                "{} {} has source {:?}",
                s.name,
                p.name,
                p.source
            );
            assert_eq!(
                p.constraints.api_type.as_deref(),
                Some("string"),
                "{} {}",
                s.name,
                p.name
            );
        }
    }

    #[test]
    fn region_is_optional_everywhere_and_inferred() {
        for s in &catalog().subtypes {
            let region = s.param("Region").expect("Region on every subtype");
            assert!(!region.required);
            assert_eq!(region.source, "inferred");
            assert_eq!(region.constraints.format.as_deref(), Some("aws-region"));
        }
    }

    #[test]
    fn patterns_are_nonempty_and_anchored() {
        for (s, p) in all_params() {
            let c = &p.constraints;
            for pattern in [
                &c.pattern,
                &c.name_pattern,
                &c.data_type_pattern,
                &c.logging_safe_pattern,
            ]
            .into_iter()
            .flatten()
            {
                assert!(!pattern.trim().is_empty(), "{} {}", s.name, p.name);
                assert!(
                    pattern.starts_with('^') && pattern.ends_with('$'),
                    "{} {}: {pattern}",
                    s.name,
                    p.name
                );
                assert!(
                    !pattern.contains("\\d") && !pattern.contains("\\w"),
                    "{pattern}"
                );
            }
        }
    }

    #[test]
    fn constraints_from_the_spec_are_kept() {
        let send = subtype("SQS-SendMessage");
        let delay = &send
            .param("DelaySeconds")
            .expect("DelaySeconds")
            .constraints;
        assert_eq!((delay.min, delay.max), (Some(0), Some(900)));
        assert_eq!(delay.value_type.as_deref(), Some("integer"));
        assert_eq!(delay.not_allowed_for.as_deref(), Some("fifo"));
        let body = &send.param("MessageBody").expect("MessageBody").constraints;
        assert_eq!(body.max_bytes, Some(1_048_576));
        assert_eq!(body.previous_max_bytes, Some(262_144));
        let dedup = &send
            .param("MessageDeduplicationId")
            .expect("dedup")
            .constraints;
        assert!(dedup.is_fifo_only());
        let group = &send.param("MessageGroupId").expect("group").constraints;
        assert_eq!(group.required_for.as_deref(), Some("fifo"));
        let attrs = &send.param("MessageAttributes").expect("attrs").constraints;
        assert_eq!(attrs.max_items, Some(10));

        let receive = subtype("SQS-ReceiveMessage");
        let wait = &receive.param("WaitTimeSeconds").expect("wait").constraints;
        assert_eq!((wait.min, wait.max), (Some(0), Some(20)));
        let names = &receive.param("AttributeNames").expect("names").constraints;
        assert_eq!(names.enum_values.as_ref().map(Vec::len), Some(10));

        let stream = &subtype("Kinesis-PutRecord")
            .param("StreamName")
            .expect("s")
            .constraints;
        assert_eq!((stream.min_length, stream.max_length), (Some(1), Some(128)));

        let sync_trace = &subtype("StepFunctions-StartSyncExecution")
            .param("TraceHeader")
            .expect("trace")
            .constraints;
        assert_eq!(
            (sync_trace.min_length, sync_trace.max_length),
            (Some(0), Some(256))
        );

        // "Same keys as StartExecution (same constraints)".
        let start = subtype("StepFunctions-StartExecution");
        let sync = subtype("StepFunctions-StartSyncExecution");
        for key in ["StateMachineArn", "Name", "Input", "Region"] {
            assert_eq!(
                start.param(key).map(|p| &p.constraints),
                sync.param(key).map(|p| &p.constraints),
                "{key}"
            );
        }
    }

    #[test]
    fn meta_values() {
        let meta = &catalog().meta;
        assert_eq!(meta.payload_format_version, "1.0");
        assert_eq!(meta.integration_type, "AWS_PROXY");
        assert_eq!(meta.protocol_type, "HTTP");
        assert_eq!((meta.value_min_length, meta.value_max_length), (1, 512));
        assert!(meta.sources.get("apigw").is_some_and(|u| u == DOC_PAGE));
        assert!(!meta.note.is_empty());
    }

    #[test]
    fn integration_timeouts() {
        let timeout = &catalog().integration_timeout;
        let http = timeout.http;
        assert_eq!(
            (http.min_millis, http.max_millis, http.default_millis),
            (50, 30_000, 30_000)
        );
        let ws = timeout.web_socket;
        assert_eq!(
            (ws.min_millis, ws.max_millis, ws.default_millis),
            (50, 29_000, 29_000)
        );
        for range in [http, ws] {
            assert!(range.contains(range.default_millis.into()));
            assert!(range.contains(range.min_millis.into()) && !range.contains(49));
        }
        assert!(!http.contains(30_001) && !ws.contains(29_001));
    }

    #[test]
    fn placeholders_name_parameters_and_parse() {
        let placeholders = &catalog().placeholders;
        assert_eq!(placeholders.marker, "REPLACE_ME");
        for (name, value) in &placeholders.parameters {
            assert!(
                all_params().any(|(_, p)| &p.name == name),
                "{name} is no parameter"
            );
            match value {
                // Text is a valid mapping expression.
                Placeholder::Text(text) => {
                    let parsed = crate::expr::parse_value(text);
                    assert!(parsed.problems.is_empty() && !parsed.is_static(), "{text}");
                }
                // A Sub leaves the author's part to the marker.
                Placeholder::Sub(text) => assert!(text.contains(&placeholders.marker), "{text}"),
            }
        }
        assert_eq!(
            placeholders.for_parameter("StreamName"),
            Placeholder::Text("REPLACE_ME".into())
        );
        let name = crate::expr::parse_value(&placeholders.execution_name);
        assert!(name.problems.is_empty() && !name.is_static());
        assert!(
            catalog()
                .subtype(&placeholders.integration_subtype)
                .is_some()
        );
        match &placeholders.credentials {
            Placeholder::Sub(text) => assert!(text.contains(&placeholders.marker), "{text}"),
            other => panic!("credentials are an ARN built with Fn::Sub: {other:?}"),
        }
    }

    #[test]
    fn arns_come_from_ref_or_an_attribute() {
        let types = &catalog().resource_types;
        let arn = |t: &str| types.get(t).and_then(ResourceType::arn);
        assert_eq!(arn("AWS::SQS::Queue"), Some(Yields::GetAtt("Arn")));
        assert_eq!(arn("AWS::StepFunctions::StateMachine"), Some(Yields::Ref));
        assert_eq!(arn("AWS::SNS::Topic"), Some(Yields::Ref));
        assert_eq!(arn("AWS::Events::EventBus"), Some(Yields::GetAtt("Arn")));
        assert_eq!(arn("AWS::AppConfig::Application"), None);
        // Every ARN kind is a value kind.
        for info in types.values() {
            let kind = match info.arn() {
                Some(Yields::Ref) => Some(&info.reference),
                Some(Yields::GetAtt(a)) => info.attributes.get(a),
                None => None,
            };
            if let Some(kind) = kind {
                assert!(catalog().value_kinds.contains_key(kind), "{kind}");
            }
        }
    }

    #[test]
    fn exact_lookups_are_case_sensitive() {
        assert!(catalog().subtype("SQS-SendMessage").is_some());
        assert!(catalog().subtype("sqs-sendmessage").is_none());
        assert!(catalog().subtype("Lambda-Invoke").is_none());
        let send = subtype("SQS-SendMessage");
        assert!(send.param("QueueUrl").is_some());
        assert!(send.param("QueueURL").is_none());
        assert!(send.param("queueUrl").is_none());
    }

    #[test]
    fn subtype_suggestions() {
        assert_eq!(suggested("SQS-SendMesage"), Some("SQS-SendMessage"));
        assert_eq!(suggested("sqs-sendmessage"), Some("SQS-SendMessage"));
        assert_eq!(suggested("SQS_SendMessage"), Some("SQS-SendMessage"));
        assert_eq!(suggested("sqs:SendMessage"), Some("SQS-SendMessage"));
        assert_eq!(suggested("SendMessage"), Some("SQS-SendMessage"));
        assert_eq!(
            suggested("EventBridge-PutEvent"),
            Some("EventBridge-PutEvents")
        );
        assert_eq!(
            suggested("Eventbridge-PutEvents"),
            Some("EventBridge-PutEvents")
        );
        assert_eq!(suggested("SQS-ReceiveMessages"), Some("SQS-ReceiveMessage"));
        assert_eq!(
            suggested("StepFunctions-StartSynExecution"),
            Some("StepFunctions-StartSyncExecution")
        );
        assert_eq!(
            suggested("StepFunction-StartExecution"),
            Some("StepFunctions-StartExecution")
        );
        assert_eq!(
            suggested("states:StartSyncExecution"),
            Some("StepFunctions-StartSyncExecution")
        );
        assert_eq!(suggested(" SQS-PurgeQueue "), Some("SQS-PurgeQueue"));
        // A batch variant that does not exist: the single-record one is the
        // right hint.
        assert_eq!(suggested("Kinesis-PutRecords"), Some("Kinesis-PutRecord"));
    }

    #[test]
    fn subtype_suggestions_reject_unrelated_text() {
        for name in [
            "Lambda-Invoke",
            "SNS-Publish",
            "DynamoDB-PutItem",
            "SQS-SendMessageBatch",
            "AppConfig-StartConfigurationSession",
            "HTTP_PROXY",
            "AWS_PROXY",
            "SQS",
            "",
            "   ",
            "x",
        ] {
            assert_eq!(suggested(name), None, "{name:?}");
        }
    }

    #[test]
    fn param_suggestions() {
        let send = "SQS-SendMessage";
        assert_eq!(suggested_param(send, "queueUrl"), Some("QueueUrl"));
        assert_eq!(suggested_param(send, "QueueURL"), Some("QueueUrl"));
        assert_eq!(suggested_param(send, "MesageBody"), Some("MessageBody"));
        assert_eq!(suggested_param(send, "Queue_Url"), Some("QueueUrl"));
        assert_eq!(suggested_param(send, "Regoin"), Some("Region"));
        assert_eq!(
            suggested_param(send, "MessageGroupID"),
            Some("MessageGroupId")
        );
        assert_eq!(
            suggested_param("SQS-ReceiveMessage", "AttributeName"),
            Some("AttributeNames")
        );
        assert_eq!(
            suggested_param("StepFunctions-StartExecution", "stateMachineArn"),
            Some("StateMachineArn")
        );
        assert_eq!(suggested_param("Kinesis-PutRecord", "Dat"), Some("Data"));
    }

    #[test]
    fn param_suggestions_reject_unrelated_text() {
        assert_eq!(
            suggested_param("SQS-SendMessage", "overwrite:header.x"),
            None
        );
        assert_eq!(suggested_param("SQS-SendMessage", "StateMachineArn"), None);
        assert_eq!(suggested_param("SQS-SendMessage", ""), None);
        // TraceHeader is not a StartExecution key and nothing there is close.
        assert_eq!(
            suggested_param("StepFunctions-StartExecution", "TraceHeader"),
            None
        );
        // StreamARN is not exposed; pointing at StreamName is the useful hint.
        assert_eq!(
            suggested_param("Kinesis-PutRecord", "StreamARN"),
            Some("StreamName")
        );
    }

    // ----- context variables -----

    #[test]
    fn context_variables_match_spec_list() {
        let vars = &catalog().context_variables;
        assert_eq!(vars.len(), 52);
        for v in vars {
            assert!(v.name.starts_with(CONTEXT_PREFIX), "{}", v.name);
            assert!(!v.description.trim().is_empty(), "{}", v.name);
            assert_eq!(v.placeholder, v.name.ends_with(".{property}"), "{}", v.name);
            let path = v.path();
            let chars_ok = path.split('.').all(|seg| {
                seg == "{property}"
                    || (!seg.is_empty()
                        && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            });
            assert!(chars_ok, "{}", v.name);
        }
        let legacy: Vec<&str> = vars
            .iter()
            .filter(|v| !v.current)
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(legacy, ["$context.authorizer.principalId"]);
        for r in &catalog().rest_only_context_variables {
            assert!(r.starts_with(CONTEXT_PREFIX), "{r}");
            assert!(!vars.iter().any(|v| !v.placeholder && &v.name == r), "{r}");
        }
    }

    #[test]
    fn known_context_variables() {
        assert_eq!(
            known_name("identity.sourceIp"),
            Some("$context.identity.sourceIp")
        );
        assert_eq!(known_name("$context.requestId"), Some("$context.requestId"));
        assert_eq!(
            known_name("identity.clientCert.validity.notAfter"),
            Some("$context.identity.clientCert.validity.notAfter")
        );
        assert_eq!(
            known_name("authorizer.error"),
            Some("$context.authorizer.error")
        );
        assert_eq!(
            known_name("authorizer.principalId"),
            Some("$context.authorizer.principalId")
        );
        let ContextLookup::Known(status) = lookup("integration.status") else {
            panic!("integration.status is known");
        };
        assert_eq!(status.phase, Phase::Response);
        let ContextLookup::Known(ip) = lookup("identity.sourceIp") else {
            panic!("identity.sourceIp is known");
        };
        assert_eq!(ip.phase, Phase::Request);
    }

    #[test]
    fn placeholder_context_variables() {
        assert_eq!(
            known_name("authorizer.claims.sub"),
            Some("$context.authorizer.claims.{property}")
        );
        assert_eq!(
            known_name("authorizer.claims.email"),
            Some("$context.authorizer.claims.{property}")
        );
        assert_eq!(
            known_name("authorizer.myKey"),
            Some("$context.authorizer.{property}")
        );
        assert_eq!(
            known_name("authorizer.tenant_id"),
            Some("$context.authorizer.{property}")
        );
        // Not a single last part.
        assert_eq!(known_name("authorizer."), None);
        assert_eq!(known_name("authorizer.claims."), None);
        assert_eq!(known_name("authorizer.a.b"), None);
        assert_eq!(known_name("authorizer.claims.a.b"), None);
        // `claims` alone is a level (gives null at run time), not a property.
        assert_eq!(
            suggestion("authorizer.claims").as_deref(),
            Some("authorizer.claims.{property}")
        );
    }

    #[test]
    fn rest_only_context_variables() {
        assert_eq!(lookup("resourcePath"), ContextLookup::RestOnly);
        assert_eq!(lookup("$context.resourceId"), ContextLookup::RestOnly);
        assert_eq!(lookup("identity.apiKey"), ContextLookup::RestOnly);
        assert_eq!(lookup("xrayTraceId"), ContextLookup::RestOnly);
        // REST-only wins over the authorizer.{property} family.
        assert_eq!(lookup("authorizer.latency"), ContextLookup::RestOnly);
        assert!(catalog().is_rest_only_context_variable("$context.resourcePath"));
        assert!(!catalog().is_rest_only_context_variable("requestId"));
    }

    #[test]
    fn unknown_context_variables_with_suggestions() {
        assert_eq!(suggestion("requestid").as_deref(), Some("requestId"));
        assert_eq!(
            suggestion("identity.sourceIP").as_deref(),
            Some("identity.sourceIp")
        );
        assert_eq!(
            suggestion("identity.sourceIpp").as_deref(),
            Some("identity.sourceIp")
        );
        assert_eq!(
            suggestion("requestTimeEpoc").as_deref(),
            Some("requestTimeEpoch")
        );
        assert_eq!(suggestion("stageVariables").as_deref(), None);
        assert_eq!(
            suggestion("authoriser.claims.sub").as_deref(),
            Some("authorizer.claims.sub")
        );
        assert_eq!(
            suggestion("authorizer.claim.sub").as_deref(),
            Some("authorizer.claims.sub")
        );
        assert_eq!(suggestion("somethingElse"), None);
        assert_eq!(suggestion("identity"), None);
        assert_eq!(suggestion(""), None);
    }

    #[test]
    fn context_children_top_level() {
        let children = catalog().context_children("");
        let names = segments("");
        assert_eq!(names[..3], ["accountId", "apiId", "authorizer"]);
        let authorizer = &children[2];
        assert!(authorizer.is_level());
        assert_eq!(authorizer.path, "authorizer");
        assert_eq!(authorizer.phase(), Phase::Request);
        let find = |seg: &str| {
            children
                .iter()
                .find(|c| c.segment == seg)
                .unwrap_or_else(|| panic!("{seg} at top level"))
        };
        assert!(find("identity").is_level());
        assert!(find("customDomain").is_level());
        assert!(!find("requestId").is_level());
        assert_eq!(find("error").phase(), Phase::Response);
        assert!(find("error").is_level());
        assert!(find("integration").is_level());
        assert!(!find("integrationStatus").is_level());
        // Request-phase entries first.
        let first_response = children
            .iter()
            .position(|c| c.phase() == Phase::Response)
            .expect("some response-phase child");
        assert!(
            children[..first_response]
                .iter()
                .all(|c| c.phase() == Phase::Request)
        );
        assert!(
            children[first_response..]
                .iter()
                .all(|c| c.phase() == Phase::Response)
        );
        // Each segment once.
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        assert_eq!(segments("$context."), names);
    }

    #[test]
    fn context_children_identity() {
        let children = catalog().context_children("identity.");
        let names = segments("identity.");
        assert_eq!(
            names,
            [
                "accountId",
                "caller",
                "clientCert",
                "cognitoAuthenticationProvider",
                "cognitoAuthenticationType",
                "cognitoIdentityId",
                "cognitoIdentityPoolId",
                "principalOrgId",
                "sourceIp",
                "user",
                "userAgent",
                "userArn",
            ]
        );
        let cert = children
            .iter()
            .find(|c| c.segment == "clientCert")
            .expect("clientCert");
        assert!(cert.is_level());
        assert_eq!(cert.path, "identity.clientCert");
        let ip = children
            .iter()
            .find(|c| c.segment == "sourceIp")
            .expect("sourceIp");
        assert_eq!(
            ip.variable().map(|v| v.name.as_str()),
            Some("$context.identity.sourceIp")
        );
        assert_eq!(segments("identity"), names);
        assert_eq!(
            segments("identity.clientCert."),
            [
                "clientCertPem",
                "issuerDN",
                "serialNumber",
                "subjectDN",
                "validity"
            ]
        );
        assert_eq!(
            segments("identity.clientCert.validity."),
            ["notAfter", "notBefore"]
        );
    }

    #[test]
    fn context_children_authorizer_order() {
        // current request-phase names, then the placeholder family, then the
        // legacy name, then response-phase entries.
        assert_eq!(
            segments("authorizer."),
            ["claims", "{property}", "principalId", "error"]
        );
        let children = catalog().context_children("authorizer.claims.");
        assert_eq!(children.len(), 1);
        assert!(children[0].variable().is_some_and(|v| v.placeholder));
        assert!(segments("requestId.").is_empty());
        assert!(segments("nothing.").is_empty());
    }

    // ----- expressions -----

    #[test]
    fn mapping_expression_grammar() {
        let grammar = &catalog().mapping_expressions;
        let roots: Vec<&str> = grammar.roots.iter().map(|r| r.root.as_str()).collect();
        assert_eq!(roots, ["request", "context", "stageVariables"]);
        for kind in [
            RootKind::Request,
            RootKind::Context,
            RootKind::StageVariables,
        ] {
            assert_eq!(grammar.roots.iter().filter(|r| r.kind == kind).count(), 1);
            let root = grammar.root_of(kind);
            // Parts or a name, never both.
            assert!(
                root.parts.is_empty() != root.name.is_none(),
                "{}",
                root.root
            );
            assert!(!root.description.trim().is_empty());
        }
        let parts: Vec<&str> = grammar
            .root_of(RootKind::Request)
            .parts
            .iter()
            .map(|p| p.part.as_str())
            .collect();
        assert_eq!(parts, ["header", "querystring", "path", "body"]);
        let kinds = [
            PartKind::Header,
            PartKind::Querystring,
            PartKind::Path,
            PartKind::Body,
        ];
        for kind in kinds {
            let (root, part) = grammar.part_of(kind);
            assert_eq!(root.kind, RootKind::Request);
            // `expr::Source` has a nameless form for path and body only.
            assert_eq!(
                part.whole.is_some(),
                matches!(kind, PartKind::Path | PartKind::Body),
                "{}",
                part.part
            );
        }
        let names = grammar
            .roots
            .iter()
            .filter_map(|r| r.name.as_ref())
            .chain(grammar.roots.iter().flat_map(|r| &r.parts).map(|p| &p.name));
        for name in names {
            // A JSONPath has forbidden constructs and no character class; other names
            // the reverse.
            assert_eq!(name.json_path, name.chars.is_none(), "{}", name.noun);
            assert_eq!(name.json_path, !name.forbidden.is_empty(), "{}", name.noun);
            for f in &name.forbidden {
                assert!(
                    f.message.contains(&format!("(`{}", f.text)),
                    "{}",
                    f.message
                );
            }
        }
        let body = grammar.part_of(PartKind::Body).1;
        assert_eq!(body.truncate_body_at_bytes, Some(102_400));
        assert!(body.name.json_path);
        let header = &grammar.part_of(PartKind::Header).1.name;
        assert_eq!(header.case, Some(NameCase::Insensitive));
        let chars = header.chars.as_ref().expect("header chars");
        assert!(chars.allows('`', false) && !chars.allows('`', true));
        assert!(!chars.allows(' ', false) && !chars.allows('é', false));
        let query = grammar.part_of(PartKind::Querystring).1.name.chars.as_ref();
        let query = query.expect("query chars");
        assert!(query.allows('é', false) && !query.allows('=', false) && !query.allows('[', true));
        assert!(grammar.root("Request").is_none());
        assert!(grammar.root_of(RootKind::Request).part("body").is_some());
    }
}
