//! The join of every entry's [`Facts`]: the one cross-resource index.
//!
//! Each entry's facts are read once and cached with the entry (see `analysis`); the
//! index puts them side by side ([`Part`]: the facts, the entry's base and the file
//! they come from) and indexes what they *declare*: resources by logical ID,
//! parameters, routes by the integration they target, policies by role, stages, and
//! OpenAPI operations by the shared integration they use. Cross-resource rules and
//! hover, navigation, outline and completion all ask it; nothing else reads the value
//! trees for that.
//!
//! What an entry declares has a hash ([`Facts::declarations_hash`]). The analysis folds
//! those into a fingerprint and rebuilds the maps only when it changes; otherwise it
//! swaps in the entries' current facts and bases ([`Index::refresh`]), which keeps the
//! maps valid because they point at resources and operations by position, and those
//! are part of the hash. Typing inside an integration therefore costs the facts of
//! that one entry.
//!
//! Facts from several files join the same way: a [`Part`] names its file ([`FileId`]),
//! spans stay relative to the part, and [`At::file`] says where a found item lives.

use std::collections::{HashMap, HashSet};
use std::ops::{Deref, Range};
use std::sync::{Arc, Mutex};

use super::Protocol;
use super::facts::{
    Facts, IncludeFacts, IntegrationFacts, OperationFacts, ResourceFacts, ResourceKind, RouteFacts,
    StageFacts, Statement, is_api_gateway_type,
};
use super::intrinsics::Reference;
use super::openapi::OpTarget;
use crate::document::Document;

/// Which file a part comes from: 0 is the document analysed.
pub type FileId = u32;

/// One entry's facts, where they are.
#[derive(Debug, Clone)]
pub struct Part {
    pub file: FileId,
    /// The entry's base: its facts' spans are relative to it.
    pub base: usize,
    pub facts: Arc<Facts>,
}

/// An item of the index with where its part is: `abs` turns the item's spans into
/// document offsets. Derefs to the item.
#[derive(Debug)]
pub struct At<'f, T> {
    pub item: &'f T,
    pub base: usize,
    pub file: FileId,
    /// The position of its part in [`Index::parts`].
    pub part: usize,
}

impl<T> Clone for At<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for At<'_, T> {}

impl<T> Deref for At<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.item
    }
}

impl<'f, T> At<'f, T> {
    pub fn abs(&self, span: &Range<usize>) -> Range<usize> {
        self.base + span.start..self.base + span.end
    }

    /// A span of the item, absolute, with its file.
    pub fn at(&self, span: &Range<usize>) -> (FileId, Range<usize>) {
        (self.file, self.abs(span))
    }

    /// Another item of the same part.
    pub fn with<U>(&self, item: &'f U) -> At<'f, U> {
        At {
            item,
            base: self.base,
            file: self.file,
            part: self.part,
        }
    }
}

/// CloudFormation's pseudo parameters.
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// The transform SAM templates declare; every other transform or macro may add
/// resources we cannot see.
pub const SAM_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// (part, item) positions into [`Index::parts`].
type Slot = (usize, usize);

/// The join of the parts' facts. Owned, so it outlives one analysis.
#[derive(Debug, Default)]
pub struct Index {
    parts: Vec<Part>,
    resources: HashMap<String, Slot>,
    parameters: HashMap<String, Slot>,
    /// Routes by the integration their `Target` names.
    targets: HashMap<String, Vec<Slot>>,
    /// `AWS::IAM::Policy`-like resources by the roles they attach to.
    policies_by_role: HashMap<String, Vec<Slot>>,
    /// Logical IDs named by resource-based policies.
    resource_policy_targets: HashSet<String>,
    stages: Vec<Slot>,
    /// Operations using a shared integration, by its name (slots into `operations`).
    shared_uses: HashMap<String, Vec<Slot>>,
    /// The first route (logical ID) with each (API, route key).
    first_route: HashMap<(String, String), String>,
    /// Whether the template is a SAM template (its transform is declared).
    sam: bool,
    /// Whether a transform other than SAM's, or a macro, may add resources.
    opaque: bool,
    /// Logical IDs of SAM resources (`AWS::Serverless::*`): SAM names the resources it
    /// generates after them (`<Function>Role`, `<Api>ApiGatewayDefaultStage`).
    sam_resources: Vec<String>,
    /// Roles named by integrations' credentials, and the template policies attached to
    /// them or listed in their `ManagedPolicyArns`.
    used_roles: HashSet<String>,
    used_policies: HashSet<String>,
    /// [`Index::closest_name`] by name: a template repeats its unresolved names (one
    /// missing queue in every integration), and each answer is a scan of every name.
    suggestions: Mutex<HashMap<String, Option<String>>>,
}

impl Index {
    /// Joins the parts (in document order).
    pub fn build(parts: Vec<Part>) -> Self {
        let mut index = Index {
            parts,
            ..Index::default()
        };
        for (e, part) in index.parts.iter().enumerate() {
            let facts = &part.facts;
            for (i, (name, _)) in facts.parameters.iter().enumerate() {
                index.parameters.entry(name.clone()).or_insert((e, i));
            }
            for transform in &facts.transforms {
                match transform.as_str() {
                    SAM_TRANSFORM => index.sam = true,
                    _ => index.opaque = true,
                }
            }
            index.used_roles.extend(
                facts
                    .integrations
                    .iter()
                    .filter_map(|i| Some(i.credentials.as_ref()?.0.name().to_string())),
            );
            for (i, op) in facts.operations.iter().enumerate() {
                if let Some((name, _)) = op.shared() {
                    index
                        .shared_uses
                        .entry(name.to_string())
                        .or_default()
                        .push((e, i));
                }
            }
            for (i, r) in facts.resources.iter().enumerate() {
                // A SAM HttpApi comes twice (API and stage): harmless for a prefix test,
                // and cheaper than a membership test per resource.
                if r.type_name
                    .as_deref()
                    .is_some_and(|t| t.starts_with("AWS::Serverless::"))
                {
                    index.sam_resources.push(r.name.clone());
                }
                // A SAM HttpApi declares its API and its stage under one name: the
                // name resolves to the API.
                let is_stage = matches!(r.kind, ResourceKind::Stage(_));
                if !is_stage || !index.resources.contains_key(&r.name) {
                    index.resources.insert(r.name.clone(), (e, i));
                }
                match &r.kind {
                    ResourceKind::Route(route) => {
                        if let Some((name, _)) = route.target_integration() {
                            index
                                .targets
                                .entry(name.to_string())
                                .or_default()
                                .push((e, i));
                        }
                        if let (Some(api), Some((key, _))) = (&route.api, &route.key) {
                            index
                                .first_route
                                .entry((api.clone(), key.clone()))
                                .or_insert_with(|| r.name.clone());
                        }
                    }
                    ResourceKind::Policy { roles, .. } => {
                        for role in roles {
                            index
                                .policies_by_role
                                .entry(role.clone())
                                .or_default()
                                .push((e, i));
                        }
                    }
                    ResourceKind::ResourcePolicy { names } => {
                        index.resource_policy_targets.extend(names.iter().cloned());
                    }
                    ResourceKind::Queue { policy: true, .. } => {
                        index.resource_policy_targets.insert(r.name.clone());
                    }
                    ResourceKind::Stage(_) => index.stages.push((e, i)),
                    _ => {}
                }
            }
        }
        let mut used_policies = HashSet::new();
        for role in &index.used_roles {
            for slot in index.policies_by_role.get(role).into_iter().flatten() {
                if let Some(policy) = index.at(*slot) {
                    used_policies.insert(policy.name.clone());
                }
            }
            if let Some(ResourceKind::Role { managed, .. }) = index.resource(role).map(|r| &r.kind)
            {
                used_policies.extend(managed.iter().cloned());
            }
        }
        index.used_policies = used_policies;
        index
    }

    /// The index of one document, read from scratch (tests and one-off answers; the
    /// server and `check` join the facts their analysis has cached).
    pub fn of(doc: &Document) -> Self {
        Index::build(parts_of(doc, 0, None))
    }

    /// Updates each part in place (`update(position, part)`): the current base, and
    /// the current facts of an entry built again. Only for parts whose declarations
    /// are those the index was joined from (the same fingerprint): the maps stay valid.
    pub fn refresh(&mut self, mut update: impl FnMut(usize, &mut Part)) {
        for (i, part) in self.parts.iter_mut().enumerate() {
            update(i, part);
        }
    }

    pub fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// The files API resources include, with the part (template) that names them.
    pub fn includes(&self) -> impl Iterator<Item = At<'_, IncludeFacts>> {
        self.all(|f| &f.includes)
    }

    /// `item` of part `e`.
    fn at_part<'s, T>(&'s self, e: usize, item: &'s T) -> At<'s, T> {
        let (base, file) = self.parts.get(e).map_or((0, 0), |p| (p.base, p.file));
        At {
            item,
            base,
            file,
            part: e,
        }
    }

    fn at(&self, (e, i): Slot) -> Option<At<'_, ResourceFacts>> {
        Some(self.at_part(e, self.parts.get(e)?.facts.resources.get(i)?))
    }

    fn operation_at(&self, (e, i): Slot) -> Option<At<'_, OperationFacts>> {
        Some(self.at_part(e, self.parts.get(e)?.facts.operations.get(i)?))
    }

    /// Every item of one kind, in document order.
    fn all<'s, T: 's>(
        &'s self,
        items: impl Fn(&'s Facts) -> &'s [T] + 's,
    ) -> impl Iterator<Item = At<'s, T>> + 's {
        self.parts.iter().enumerate().flat_map(move |(e, part)| {
            items(&part.facts).iter().map(move |item| At {
                item,
                base: part.base,
                file: part.file,
                part: e,
            })
        })
    }

    /// Every resource, in document order (a SAM `HttpApi` twice: its API, after its
    /// stage).
    pub fn resources(&self) -> impl Iterator<Item = At<'_, ResourceFacts>> {
        self.all(|f| &f.resources)
    }

    /// Every integration (resources, OpenAPI operations' and shared ones).
    pub fn integrations(&self) -> impl Iterator<Item = At<'_, IntegrationFacts>> {
        self.all(|f| &f.integrations)
    }

    /// Every OpenAPI operation carrying an integration.
    pub fn operations(&self) -> impl Iterator<Item = At<'_, OperationFacts>> {
        self.all(|f| &f.operations)
    }

    /// Every route resource, with its route facts.
    pub fn routes(&self) -> impl Iterator<Item = (At<'_, ResourceFacts>, &RouteFacts)> {
        self.resources().filter_map(|r| Some((r, r.item.route()?)))
    }

    /// The resource with logical ID `name`.
    pub fn resource(&self, name: &str) -> Option<&ResourceFacts> {
        self.resource_at(name).map(|r| r.item)
    }

    /// The resource with logical ID `name`, where it is.
    pub fn resource_at(&self, name: &str) -> Option<At<'_, ResourceFacts>> {
        self.resources.get(name).and_then(|s| self.at(*s))
    }

    /// The file and span of the template parameter `name`.
    pub fn parameter(&self, name: &str) -> Option<(FileId, Range<usize>)> {
        let (e, i) = *self.parameters.get(name)?;
        let part = self.parts.get(e)?;
        let (_, span) = part.facts.parameters.get(i)?;
        Some((part.file, part.base + span.start..part.base + span.end))
    }

    /// The template parameter of the document itself (file 0) whose name is at `offset`.
    pub fn parameter_at(&self, offset: usize) -> Option<(&str, Range<usize>)> {
        self.all(|f| &f.parameters)
            .filter(|p| p.file == 0)
            .map(|p| (p.item.0.as_str(), p.abs(&p.item.1)))
            .find(|(_, span)| span.start <= offset && offset <= span.end)
    }

    pub fn is_parameter(&self, name: &str) -> bool {
        self.parameters.contains_key(name)
    }

    /// The integration resource (see [`IntegrationFacts::is_resource`]) named `name`.
    pub fn integration(&self, name: &str) -> Option<At<'_, IntegrationFacts>> {
        let (e, _) = *self.resources.get(name)?;
        let part = self.parts.get(e)?;
        let item = part
            .facts
            .integrations
            .iter()
            .find(|i| i.is_resource() && i.name == name)?;
        Some(self.at_part(e, item))
    }

    /// The integration of the document itself (file 0) whose anchor (logical ID,
    /// extension key or shared name) starts at the offset `anchor`.
    pub fn integration_at(&self, anchor: usize) -> Option<At<'_, IntegrationFacts>> {
        // The document's own parts come first, in order; linked files' after them.
        let own = self.parts.partition_point(|p| p.file == 0);
        let e = self.parts[..own]
            .partition_point(|p| p.base <= anchor)
            .checked_sub(1)?;
        let part = &self.parts[e];
        let item = part
            .facts
            .integrations
            .iter()
            .find(|i| part.base + i.anchor.start == anchor)?;
        Some(self.at_part(e, item))
    }

    /// The shared integration `name` of the OpenAPI document `api`.
    pub fn shared_integration(
        &self,
        api: Option<&str>,
        name: &str,
    ) -> Option<At<'_, IntegrationFacts>> {
        self.integrations()
            .find(|i| i.shared && i.name == name && i.api.as_deref() == api)
    }

    /// The integration of an OpenAPI operation: written on it, or the shared one it
    /// names.
    pub fn operation_target(&self, op: At<'_, OperationFacts>) -> Option<At<'_, IntegrationFacts>> {
        match &op.target {
            OpTarget::Inline(i) => {
                let item = self.parts.get(op.part)?.facts.integrations.get(*i)?;
                Some(self.at_part(op.part, item))
            }
            OpTarget::Shared { name, .. } => self.shared_integration(op.api.as_deref(), name),
        }
    }

    /// The operations of document `api` that `$ref` the shared integration `name`.
    pub fn routes_using<'s>(
        &'s self,
        api: Option<&'s str>,
        name: &str,
    ) -> impl Iterator<Item = At<'s, OperationFacts>> + 's {
        self.shared_uses
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|s| self.operation_at(*s))
            .filter(move |op| op.api.as_deref() == api)
    }

    /// The operations whose integration is `integration` (written on them, or shared).
    pub fn routes_of<'s>(
        &'s self,
        integration: At<'s, IntegrationFacts>,
    ) -> Vec<At<'s, OperationFacts>> {
        if integration.shared {
            return self
                .routes_using(integration.item.api.as_deref(), &integration.item.name)
                .collect();
        }
        let Some(part) = self.parts.get(integration.part) else {
            return Vec::new();
        };
        part.facts
            .operations
            .iter()
            .filter(|op| match op.target {
                OpTarget::Inline(i) => part
                    .facts
                    .integrations
                    .get(i)
                    .is_some_and(|x| std::ptr::eq(x, integration.item)),
                OpTarget::Shared { .. } => false,
            })
            .map(|op| self.at_part(integration.part, op))
            .collect()
    }

    /// The routes whose `Target` names the integration resource `name`.
    pub fn routes_targeting<'s>(
        &'s self,
        name: &str,
    ) -> impl Iterator<Item = (At<'s, ResourceFacts>, &'s RouteFacts)> + 's {
        self.targets
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|s| {
                let r = self.at(*s)?;
                Some((r, r.item.route()?))
            })
    }

    /// The route resource `name`.
    pub fn route(&self, name: &str) -> Option<(At<'_, ResourceFacts>, &RouteFacts)> {
        let r = self.resource_at(name)?;
        Some((r, r.item.route()?))
    }

    /// The uses of the logical ID `name` made from API Gateway resources (their
    /// intrinsics and `DependsOn`) and from OpenAPI integrations, with their file.
    pub fn references_to<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = (FileId, Range<usize>)> + 's {
        self.resources()
            .filter(|r| r.type_name.as_deref().is_some_and(is_api_gateway_type))
            .flat_map(move |r| {
                r.item
                    .refs
                    .iter()
                    .chain(&r.item.depends_on)
                    .filter(move |(n, _)| n == name)
                    .map(move |(_, span)| r.at(span))
            })
            .chain(
                self.integrations()
                    // Those of inline bodies come twice (their API resource names
                    // them too): callers sort and deduplicate.
                    .filter(|i| !i.is_resource())
                    .flat_map(move |i| {
                        i.item
                            .refs
                            .iter()
                            .filter(move |(n, _)| n == name)
                            .map(move |(_, span)| i.at(span))
                    }),
            )
    }

    /// Every stage, with the resource declaring it (a SAM `HttpApi` declares its own).
    pub fn stages(&self) -> impl Iterator<Item = (At<'_, ResourceFacts>, &StageFacts)> {
        self.stages.iter().filter_map(|s| {
            let r = self.at(*s)?;
            Some((r, r.item.stage()?))
        })
    }

    /// The stages of the API with logical ID `api` (all stages when `api` is unknown,
    /// and those whose API is unknown).
    pub fn stages_of<'s>(
        &'s self,
        api: Option<&'s str>,
    ) -> impl Iterator<Item = (At<'s, ResourceFacts>, &'s StageFacts)> + 's {
        self.stages()
            .filter(move |(_, s)| api.is_none() || s.api.is_none() || s.api.as_deref() == api)
    }

    /// The protocol of the API named `api` (an `ApiId` reference), or of the API whose
    /// body holds an OpenAPI integration (see [`Protocol::resolve`]): `None` when it
    /// cannot be resolved (no `ApiId`, a parameter, an import, an API of another stack).
    pub fn protocol(&self, api: Option<&str>) -> Option<Protocol> {
        let api = api?;
        let declared = self.resource(api).map(|r| match &r.kind {
            ResourceKind::Api { protocol, .. } => *protocol,
            _ => None,
        });
        Protocol::resolve(api, declared)
    }

    /// Whether `name`, as a `Ref`, `Fn::GetAtt` or `${}` of `Fn::Sub` writes it, names
    /// something the stack has: a resource, a parameter, a pseudo parameter, or in a
    /// SAM template a resource SAM generates (`ServerlessHttpApi`, `<Function>Role`,
    /// `<Api>.Stage`, ...). Always true where a transform or macro may add resources.
    pub fn resolves(&self, name: &str) -> bool {
        if self.opaque
            || PSEUDO_PARAMETERS.contains(&name)
            || self.resources.contains_key(name)
            || self.parameters.contains_key(name)
        {
            return true;
        }
        self.sam
            && (name.starts_with(super::SAM_IMPLICIT_HTTP_API)
                || name.starts_with("ServerlessRestApi")
                || self
                    .sam_resources
                    .iter()
                    .any(|r| name.starts_with(r.as_str())))
    }

    /// The declared name closest to an unresolved `name`: a resource, a parameter or,
    /// for `AWS::` names, a pseudo parameter.
    pub fn closest_name(&self, name: &str) -> Option<String> {
        let mut cache = self
            .suggestions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(found) = cache.get(name) {
            return found.clone();
        }
        let names: Box<dyn Iterator<Item = &str>> = if name.starts_with("AWS::") {
            Box::new(PSEUDO_PARAMETERS.iter().copied())
        } else {
            Box::new(
                self.resources
                    .keys()
                    .chain(self.parameters.keys())
                    .map(String::as_str),
            )
        };
        let found = crate::suggest::closest(name, names, |c| c)
            .one()
            .map(str::to_string);
        cache.insert(name.to_string(), found.clone());
        found
    }

    /// Whether the resource `name` is checked for unresolved references: routes always,
    /// roles that integrations use, and the policies of those roles.
    pub fn references_checked(&self, name: &str) -> bool {
        match self.resource(name).map(|r| &r.kind) {
            Some(ResourceKind::Route(_)) => true,
            Some(ResourceKind::Role { .. }) => self.used_roles.contains(name),
            Some(ResourceKind::Policy { .. }) => self.used_policies.contains(name),
            _ => false,
        }
    }

    /// The logical ID of the first route of `api` with `key`.
    pub fn first_route(&self, api: &str, key: &str) -> Option<&str> {
        self.first_route
            .get(&(api.to_string(), key.to_string()))
            .map(String::as_str)
    }

    /// The path-variable sets of every route that uses `integration`; `None` when
    /// no route is known to use it (then nothing can be said).
    pub fn route_path_variables(&self, integration: &IntegrationFacts) -> Option<Vec<Vec<String>>> {
        if let Some(own) = &integration.own_path_variables {
            return Some(vec![own.clone()]);
        }
        let names = |vars: &[super::facts::PathVariable]| -> Vec<String> {
            vars.iter().map(|v| v.name.clone()).collect()
        };
        let sets: Vec<Vec<String>> = if integration.shared {
            self.routes_using(integration.api.as_deref(), &integration.name)
                .map(|op| names(&op.item.path_variables))
                .collect()
        } else {
            let routes: Vec<&RouteFacts> = self
                .routes_targeting(&integration.name)
                .map(|(_, r)| r)
                .collect();
            if routes.iter().any(|r| r.key.is_none()) {
                return None;
            }
            routes.iter().map(|r| names(&r.path_variables)).collect()
        };
        (!sets.is_empty()).then_some(sets)
    }

    /// The stage-variable names of the stages of `api`; `None` when the template
    /// declares no stage for it, or one whose variables are not written out.
    pub fn stage_variables(&self, api: Option<&str>) -> Option<Vec<&str>> {
        let mut found = false;
        let mut names = Vec::new();
        for (_, stage) in self.stages() {
            if api.is_some() && stage.api.is_some() && stage.api.as_deref() != api {
                continue;
            }
            found = true;
            names.extend(stage.variables.as_ref()?.iter().map(|v| v.name.as_str()));
        }
        found.then_some(names)
    }

    /// Whether a resource-based policy in the template names `target` (it may grant
    /// access that the role's own policies do not).
    pub fn has_resource_policy(&self, target: &str) -> bool {
        self.resource_policy_targets.contains(target)
    }

    /// Every `Allow` statement that applies to the role `name`: its inline policies,
    /// template policies attached to it, and template managed policies it lists, with
    /// the policy documents they are written as (Terraform). `None` when some policy
    /// is not known (not written out, or from outside), and for a Terraform role with
    /// no policy in view at all: the module's other files may attach them.
    pub fn role_statements(&self, name: &str) -> Option<Vec<&Statement>> {
        let role = self.resource(name)?;
        let ResourceKind::Role {
            statements,
            documents,
            managed,
            external_policies,
            ..
        } = &role.kind
        else {
            return None;
        };
        if *external_policies {
            return None;
        }
        let mut out: Vec<&Statement> = statements.as_ref()?.iter().collect();
        for document in documents {
            out.extend(self.document_statements(document, 0)?);
        }
        let attached: Vec<&ResourceFacts> = self
            .policies_by_role
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|s| Some(self.at(*s)?.item))
            .collect();
        let terraform = role.type_name.as_deref() == Some(super::provider::ROLE);
        if terraform
            && out.is_empty()
            && documents.is_empty()
            && managed.is_empty()
            && attached.is_empty()
        {
            return None;
        }
        let listed = managed.iter().map(|m| self.resource(m));
        for policy in attached.into_iter().map(Some).chain(listed) {
            let policy = policy.filter(|p| matches!(p.kind, ResourceKind::Policy { .. }))?;
            out.extend(self.document_statements(&policy.name, 0)?);
        }
        Some(out)
    }

    /// The statements of the template policy or policy document `name`, with those of
    /// the documents it is written as or attaches; `None` when one is not known.
    fn document_statements(&self, name: &str, depth: usize) -> Option<Vec<&Statement>> {
        // Documents name documents only through attachments: a cycle is a mistake.
        if depth > 4 {
            return None;
        }
        match &self.resource(name)?.kind {
            ResourceKind::PolicyDocument { statements, .. } => {
                Some(statements.as_ref()?.iter().collect())
            }
            ResourceKind::Policy {
                statements,
                documents,
                ..
            } => {
                let mut out: Vec<&Statement> = statements.as_ref()?.iter().collect();
                for document in documents {
                    out.extend(self.document_statements(document, depth + 1)?);
                }
                Some(out)
            }
            _ => None,
        }
    }

    /// Whether API Gateway may assume the role `name` (see
    /// [`ResourceKind::Role`]): `Some(false)` only when its trust policy is written out
    /// (in the role, or in the template's policy document it names) and trusts no
    /// `apigateway.amazonaws.com`.
    pub fn trusts_api_gateway(&self, name: &str) -> Option<bool> {
        let ResourceKind::Role {
            trusts_api_gateway,
            trust_document,
            ..
        } = &self.resource(name)?.kind
        else {
            return None;
        };
        let Some(document) = trust_document else {
            return *trusts_api_gateway;
        };
        match &self.resource(document)?.kind {
            ResourceKind::PolicyDocument {
                trusts_api_gateway, ..
            } => *trusts_api_gateway,
            _ => None,
        }
    }

    /// What a reference to a resource of a known type yields: a value kind such as
    /// `sqs-queue-url`, from the catalog's resource types. `None` when the resource or
    /// attribute is unknown (a parameter, a custom resource, an attribute we don't know).
    pub fn reference_kind(&self, reference: &Reference) -> Option<&'static str> {
        let resource = self.resource(reference.name())?;
        let info = crate::catalog::catalog()
            .resource_types
            .get(resource.type_name.as_deref()?)?;
        match reference {
            Reference::Ref(_) => Some(info.reference.as_str()),
            Reference::GetAtt(_, attr) => info.attributes.get(attr).map(String::as_str),
        }
    }
}

/// The parts of a document read from scratch, as file `file`; `api`: the API resource
/// of another file that includes this one (see [`Facts::scoped`]).
pub fn parts_of(doc: &Document, file: FileId, api: Option<&str>) -> Vec<Part> {
    let json = doc.language() == crate::syntax::Language::Json;
    doc.entries()
        .filter_map(|entry| {
            let facts = super::facts::facts(entry, json);
            if facts.is_empty() {
                return None;
            }
            let facts = match api {
                Some(api) => facts.scoped(api),
                None => facts,
            };
            Some(Part {
                file,
                base: entry.base,
                facts: Arc::new(facts),
            })
        })
        .collect()
}

/// The fold of the declarations of `parts` (see [`Facts::declarations_hash`]).
pub fn fingerprint(parts: &[Part]) -> u64 {
    parts.iter().fold(0u64, |acc, p| {
        (acc.rotate_left(7) ^ p.facts.declarations_hash() ^ u64::from(p.file))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
    })
}

/// An index that is joined only when something asks for it: typing a key or an
/// expression needs no cross-resource data, so a keystroke does not pay for one.
pub struct LazyIndex<'a> {
    get: std::cell::Cell<Option<Box<dyn FnOnce() -> &'a Index + 'a>>>,
    built: std::cell::OnceCell<&'a Index>,
}

impl<'a> LazyIndex<'a> {
    /// An index joined on first use by `join`.
    pub fn new(join: impl FnOnce() -> &'a Index + 'a) -> Self {
        LazyIndex {
            get: std::cell::Cell::new(Some(Box::new(join))),
            built: std::cell::OnceCell::new(),
        }
    }

    pub fn get(&self) -> &'a Index {
        self.built.get_or_init(|| match self.get.take() {
            Some(join) => join(),
            None => empty(),
        })
    }
}

impl<'a> From<&'a Index> for LazyIndex<'a> {
    fn from(index: &'a Index) -> Self {
        let built = std::cell::OnceCell::new();
        let _ = built.set(index);
        LazyIndex {
            get: std::cell::Cell::new(None),
            built,
        }
    }
}

/// The index of a document with no facts.
pub fn empty() -> &'static Index {
    static EMPTY: std::sync::OnceLock<Index> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Index::default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;
    use crate::expr::Source;
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

    fn text_at(text: &str, span: Range<usize>) -> &str {
        text.get(span).unwrap_or("<out of range>")
    }

    #[test]
    fn joins_routes_stages_and_parameters() {
        let doc = Document::new(TEMPLATE, Language::Yaml, 0);
        let index = Index::of(&doc);
        assert_eq!(
            text_at(TEMPLATE, index.parameter("Env").unwrap_or_default().1),
            "Env"
        );
        assert_eq!(
            index.resource("Int").and_then(|r| r.type_name.as_deref()),
            Some("AWS::ApiGatewayV2::Integration")
        );
        let targets: Vec<Option<&str>> = index
            .routes()
            .map(|(_, r)| r.target_integration().map(|(t, _)| t))
            .collect();
        assert_eq!(targets, vec![Some("Int"), Some("Int"), Some("Other")]);
        let (r1, route) = index.route("R1").expect("route R1");
        let names: Vec<&str> = route
            .path_variables
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(names, vec!["orderId", "proxy"]);
        assert_eq!(
            text_at(TEMPLATE, r1.abs(&route.path_variables[0].span)),
            "orderId"
        );
        let (_, target) = route.target_integration().expect("target");
        assert_eq!(text_at(TEMPLATE, r1.abs(target)), "Int");
        let (r2, route2) = index.route("R2").expect("route R2");
        let (_, target2) = route2.target_integration().expect("target");
        assert_eq!(text_at(TEMPLATE, r2.abs(target2)), "Int");
        assert_eq!(route.api.as_deref(), Some("Api"));
        assert_eq!(index.routes_targeting("Int").count(), 2);
        let stages: Vec<_> = index.stages_of(Some("Api")).collect();
        assert_eq!(stages.len(), 1);
        let vars = stages[0].1.variables.as_deref().unwrap_or_default();
        assert_eq!(vars[0].name, "queue");
        assert_eq!(
            text_at(TEMPLATE, stages[0].0.abs(&vars[0].name_span)),
            "queue"
        );
        assert_eq!(index.protocol(Some("Api")), Some(Protocol::Http));
    }

    #[test]
    fn json_targets_resolve() {
        let text = r#"{"Resources": {"R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"RouteKey": "GET /a/{id}", "Target": {"Fn::Join": ["", ["integrations/", {"Ref": "I"}]]}}}}}"#;
        let doc = Document::new(text, Language::Json, 0);
        let index = Index::of(&doc);
        let (r, route) = index.route("R").expect("route");
        assert_eq!(route.target_integration().map(|(t, _)| t), Some("I"));
        assert_eq!(text_at(text, r.abs(&route.path_variables[0].span)), "id");
    }

    #[test]
    fn joins_integrations_and_references() {
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
        let index = Index::of(&doc);
        let int = index.integration("Int").expect("integration joined");
        assert_eq!(int.subtype.as_deref(), Some("SQS-SendMessage"));
        assert_eq!(int.api.as_deref(), Some("Api"));
        let exprs: Vec<(String, &str)> = int
            .item
            .expressions()
            .map(|e| (e.source.to_bare(), text_at(text, int.abs(&e.range))))
            .collect();
        assert_eq!(
            exprs,
            [
                ("$request.path.id".to_string(), "${request.path.id}"),
                ("$request.body.aA".to_string(), "$request.body.a\\u0041"),
            ]
        );
        let path_names: Vec<&str> = int
            .item
            .params
            .iter()
            .flat_map(|p| p.path_uses())
            .map(|(_, span)| text_at(text, int.abs(span)))
            .collect();
        assert_eq!(path_names, ["id"]);
        assert!(matches!(
            int.item.expressions().next().map(|e| &e.source),
            Some(Source::RequestPath(Some(_)))
        ));
        // Not the Sub's own variable `Local`, not `${!Literal}`, nothing from the queue;
        // `DependsOn` too.
        let mut refs: Vec<(&str, Range<usize>)> = ["Role", "Api", "Queue", "Other"]
            .iter()
            .flat_map(|name| {
                index
                    .references_to(name)
                    .map(move |(_, span)| (*name, span))
            })
            .collect();
        refs.sort_by_key(|(_, span)| span.start);
        let found: Vec<(&str, &str)> = refs
            .iter()
            .map(|(name, span)| (*name, text_at(text, span.clone())))
            .collect();
        assert_eq!(
            found,
            [
                ("Role", "Role"),
                ("Api", "Api"),
                ("Role", "Role"),
                ("Queue", "Queue"),
                ("Other", "Other"),
                ("Queue", "Queue"),
            ]
        );
    }

    /// The spans an index gives for everything it joins, as text: what features read.
    fn rendered(index: &Index, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for r in index.resources() {
            out.push(format!(
                "resource {} {:?} {:?}",
                text_at(text, r.abs(&r.name_span)),
                r.type_name,
                r.refs
                    .iter()
                    .map(|(n, s)| (n.clone(), text_at(text, r.abs(s)).to_string()))
                    .collect::<Vec<_>>()
            ));
            if let Some(route) = r.item.route() {
                for v in &route.path_variables {
                    out.push(format!("  var {}", text_at(text, r.abs(&v.span))));
                }
            }
        }
        for i in index.integrations() {
            out.push(format!(
                "integration {} {:?} {:?}",
                text_at(text, i.abs(&i.anchor)),
                i.subtype,
                i.item
                    .expressions()
                    .map(|e| text_at(text, i.abs(&e.range)).to_string())
                    .collect::<Vec<_>>()
            ));
        }
        for op in index.operations() {
            out.push(format!(
                "operation {} {}",
                op.route,
                text_at(text, op.abs(&op.method_span))
            ));
        }
        out
    }

    /// The analysis keeps one index per document: after any edit it must answer as an
    /// index joined from scratch, whether it rejoined its maps or only refreshed them.
    #[test]
    fn incremental_index_matches_a_fresh_join() {
        let mut doc = Document::new(TEMPLATE, Language::Yaml, 0);
        let mut analyzer = Analyzer::default();
        let _ = analyzer.index(&doc);
        let edits: &[(&str, &str)] = &[
            // Inside a route key: a declaration changes.
            ("{orderId}", "{orderNo}"),
            // Before everything: every base moves, nothing declared changes.
            ("Parameters:\n", "Parameters:\n  # note\n"),
            // A new resource.
            (
                "  Prod:\n",
                "  Int2:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      RequestParameters: {A: $request.path.x}\n  Prod:\n",
            ),
            // Inside an integration's parameters only: a use, not a declaration.
            ("$request.path.x", "$request.path.orderNo"),
        ];
        for (from, to) in edits {
            let text = doc.text();
            let at = text.find(from).expect("edit anchor");
            doc.apply_edit(at..at + from.len(), to);
            let text = doc.text();
            let incremental = rendered(analyzer.index(&doc), &text);
            let fresh = rendered(&Index::of(&doc), &text);
            assert_eq!(incremental, fresh, "after replacing {from:?}");
        }
        let text = doc.text();
        assert!(rendered(analyzer.index(&doc), &text).contains(&"  var orderNo".to_string()));
    }
}
