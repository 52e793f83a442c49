//! The join of every entry's [`Facts`] that cross-resource rules read.
//!
//! Cross-resource rules check one entry at a time (a [`Scope`]) against a [`Table`] of
//! what all entries *declare* (resources, parameters, OpenAPI `$ref` uses). What an
//! entry declares has a hash ([`declarations_hash`]); the analysis folds those hashes
//! into a fingerprint and rebuilds the table, and re-checks every entry, only when the
//! fingerprint changes. Typing inside an integration changes only what it *uses*, so
//! a keystroke re-checks that one entry against the table it already has.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use crate::model::facts::{
    Facts, IntegrationFacts, Reference, ResourceFacts, ResourceKind, RouteFacts, Statement, Target,
};

use super::Finding;
use crate::model::Protocol;

/// A cross-resource rule: checks one entry against the table.
pub type CrossCheck = fn(&Table, Scope<'_>, &mut Vec<Finding>);

/// The hash of what an entry declares for other entries (not what it uses).
pub fn declarations_hash(facts: &Facts) -> u64 {
    let mut hasher = DefaultHasher::new();
    facts.resources.hash(&mut hasher);
    facts.shared_uses.hash(&mut hasher);
    facts.parameters.hash(&mut hasher);
    facts.transforms.hash(&mut hasher);
    // The roles integrations use decide which roles and policies are checked.
    for integration in &facts.integrations {
        integration
            .credentials
            .as_ref()
            .map(|(r, _)| r.name())
            .hash(&mut hasher);
    }
    hasher.finish()
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

/// (entry index, item index) into [`Table::entries`].
type Slot = (usize, usize);

/// What all entries declare, indexed. Owned, so it outlives one analysis.
#[derive(Debug, Default)]
pub struct Table {
    entries: Vec<Arc<Facts>>,
    resources: HashMap<String, Slot>,
    parameters: HashSet<String>,
    /// Routes by the integration their `Target` names.
    targets: HashMap<String, Vec<Slot>>,
    /// `AWS::IAM::Policy`-like resources by the roles they attach to.
    policies_by_role: HashMap<String, Vec<Slot>>,
    /// Logical IDs named by resource-based policies.
    resource_policy_targets: HashSet<String>,
    stages: Vec<Slot>,
    /// Operations' `$ref` uses by shared integration name: (api, path variables).
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
    /// [`Table::closest_name`] by name: a template repeats its unresolved names (one
    /// missing queue in every integration), and each answer is a scan of every name.
    suggestions: Mutex<HashMap<String, Option<String>>>,
}

/// One entry's facts and base: what a rule checks.
#[derive(Clone, Copy)]
pub struct Scope<'f> {
    pub facts: &'f Facts,
    pub base: usize,
}

/// Something in the checked entry, with the entry's base for absolute spans.
#[derive(Clone, Copy)]
pub struct At<'f, T> {
    pub item: &'f T,
    pub base: usize,
}

impl<T> At<'_, T> {
    pub fn abs(&self, span: &Range<usize>) -> Range<usize> {
        self.base + span.start..self.base + span.end
    }
}

impl<'f> Scope<'f> {
    pub fn integrations(self) -> impl Iterator<Item = At<'f, IntegrationFacts>> {
        let base = self.base;
        self.facts
            .integrations
            .iter()
            .map(move |item| At { item, base })
    }

    pub fn resources(self) -> impl Iterator<Item = At<'f, ResourceFacts>> {
        let base = self.base;
        self.facts
            .resources
            .iter()
            .map(move |item| At { item, base })
    }
}

impl Table {
    pub fn build(entries: impl IntoIterator<Item = Arc<Facts>>) -> Self {
        let mut table = Table {
            entries: entries.into_iter().collect(),
            ..Table::default()
        };
        for (e, facts) in table.entries.iter().enumerate() {
            table.parameters.extend(facts.parameters.iter().cloned());
            for transform in &facts.transforms {
                match transform.as_str() {
                    SAM_TRANSFORM => table.sam = true,
                    _ => table.opaque = true,
                }
            }
            table.used_roles.extend(
                facts
                    .integrations
                    .iter()
                    .filter_map(|i| Some(i.credentials.as_ref()?.0.name().to_string())),
            );
            for (i, use_) in facts.shared_uses.iter().enumerate() {
                table
                    .shared_uses
                    .entry(use_.name.clone())
                    .or_default()
                    .push((e, i));
            }
            for (i, r) in facts.resources.iter().enumerate() {
                // A SAM HttpApi comes twice (API and stage): harmless for a prefix test,
                // and cheaper than a membership test per resource.
                if r.type_name
                    .as_deref()
                    .is_some_and(|t| t.starts_with("AWS::Serverless::"))
                {
                    table.sam_resources.push(r.name.clone());
                }
                // A SAM HttpApi declares its API and its stage under one name: the
                // name resolves to the API.
                let is_stage = matches!(r.kind, ResourceKind::Stage { .. });
                if !is_stage || !table.resources.contains_key(&r.name) {
                    table.resources.insert(r.name.clone(), (e, i));
                }
                match &r.kind {
                    ResourceKind::Route(route) => {
                        if let Some(Target::Integration { name, .. }) = &route.target {
                            table.targets.entry(name.clone()).or_default().push((e, i));
                        }
                        if let (Some(api), Some((key, _))) = (&route.api, &route.key) {
                            table
                                .first_route
                                .entry((api.clone(), key.clone()))
                                .or_insert_with(|| r.name.clone());
                        }
                    }
                    ResourceKind::Policy { roles, .. } => {
                        for role in roles {
                            table
                                .policies_by_role
                                .entry(role.clone())
                                .or_default()
                                .push((e, i));
                        }
                    }
                    ResourceKind::ResourcePolicy { names } => {
                        table.resource_policy_targets.extend(names.iter().cloned());
                    }
                    ResourceKind::Stage { .. } => table.stages.push((e, i)),
                    _ => {}
                }
            }
        }
        let mut used_policies = HashSet::new();
        for role in &table.used_roles {
            for slot in table.policies_by_role.get(role).into_iter().flatten() {
                if let Some(policy) = table.at(*slot) {
                    used_policies.insert(policy.name.clone());
                }
            }
            if let Some(ResourceKind::Role { managed, .. }) = table.resource(role).map(|r| &r.kind)
            {
                used_policies.extend(managed.iter().cloned());
            }
        }
        table.used_policies = used_policies;
        table
    }

    /// Whether `name`, as a `Ref`, `Fn::GetAtt` or `${}` of `Fn::Sub` writes it, names
    /// something the stack has: a resource, a parameter, a pseudo parameter, or in a
    /// SAM template a resource SAM generates (`ServerlessHttpApi`, `<Function>Role`,
    /// `<Api>.Stage`, ...). Always true where a transform or macro may add resources.
    pub fn resolves(&self, name: &str) -> bool {
        if self.opaque
            || PSEUDO_PARAMETERS.contains(&name)
            || self.resources.contains_key(name)
            || self.parameters.contains(name)
        {
            return true;
        }
        self.sam
            && (name.starts_with(crate::model::SAM_IMPLICIT_HTTP_API)
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
                    .chain(self.parameters.iter())
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

    fn at(&self, (e, i): Slot) -> Option<&ResourceFacts> {
        self.entries.get(e)?.resources.get(i)
    }

    pub fn resource(&self, name: &str) -> Option<&ResourceFacts> {
        self.resources.get(name).and_then(|s| self.at(*s))
    }

    /// The protocol of the API named `api` (an `ApiId` reference), or of the API whose
    /// body holds an OpenAPI integration: `None` when it cannot be resolved (no `ApiId`,
    /// a parameter, an import, an API of another stack).
    pub fn protocol(&self, api: Option<&str>) -> Option<Protocol> {
        let api = api?;
        let declared = self.resource(api).map(|r| match &r.kind {
            ResourceKind::Api { protocol, .. } => *protocol,
            _ => None,
        });
        Protocol::resolve(api, declared)
    }

    pub fn is_parameter(&self, name: &str) -> bool {
        self.parameters.contains(name)
    }

    /// The logical ID of the first route of `api` with `key`.
    pub fn first_route(&self, api: &str, key: &str) -> Option<&str> {
        self.first_route
            .get(&(api.to_string(), key.to_string()))
            .map(String::as_str)
    }

    /// The routes whose `Target` names the integration resource `name`.
    pub fn routes_targeting(&self, name: &str) -> impl Iterator<Item = &RouteFacts> {
        self.targets
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|s| match &self.at(*s)?.kind {
                ResourceKind::Route(route) => Some(route),
                _ => None,
            })
    }

    /// The path-variable sets of every route that uses `integration`; `None` when
    /// no route is known to use it (then nothing can be said).
    pub fn route_path_variables(&self, integration: &IntegrationFacts) -> Option<Vec<Vec<String>>> {
        if let Some(own) = &integration.own_path_variables {
            return Some(vec![own.clone()]);
        }
        let sets: Vec<Vec<String>> = if integration.shared {
            self.shared_uses
                .get(&integration.name)
                .into_iter()
                .flatten()
                .filter_map(|(e, i)| self.entries.get(*e)?.shared_uses.get(*i))
                .filter(|u| u.api == integration.api)
                .map(|u| u.path_variables.clone())
                .collect()
        } else {
            let routes: Vec<&RouteFacts> = self.routes_targeting(&integration.name).collect();
            if routes.iter().any(|r| r.key.is_none()) {
                return None;
            }
            routes
                .iter()
                .filter_map(|r| r.key.as_ref())
                .map(|(key, _)| {
                    crate::model::template::path_variables(key, 0)
                        .into_iter()
                        .map(|v| v.name)
                        .collect()
                })
                .collect()
        };
        (!sets.is_empty()).then_some(sets)
    }

    /// The stage-variable names of the stages of `api`; `None` when the template
    /// declares no stage for it, or one whose variables are not written out.
    pub fn stage_variables(&self, api: Option<&str>) -> Option<Vec<&str>> {
        let mut found = false;
        let mut names = Vec::new();
        for slot in &self.stages {
            let Some(ResourceKind::Stage {
                api: stage_api,
                variables,
            }) = self.at(*slot).map(|r| &r.kind)
            else {
                continue;
            };
            if api.is_some() && stage_api.is_some() && stage_api.as_deref() != api {
                continue;
            }
            found = true;
            names.extend(variables.as_ref()?.iter().map(String::as_str));
        }
        found.then_some(names)
    }

    /// Whether a resource-based policy in the template names `target` (it may grant
    /// access that the role's own policies do not).
    pub fn has_resource_policy(&self, target: &str) -> bool {
        self.resource_policy_targets.contains(target)
    }

    /// Every `Allow` statement that applies to the role `name`: its inline policies,
    /// template policies attached to it, and template managed policies it lists.
    /// `None` when some policy is not known (not written out, or from outside).
    pub fn role_statements(&self, name: &str) -> Option<Vec<&Statement>> {
        let ResourceKind::Role {
            statements,
            managed,
            external_policies,
            ..
        } = &self.resource(name)?.kind
        else {
            return None;
        };
        if *external_policies {
            return None;
        }
        let mut out: Vec<&Statement> = statements.as_ref()?.iter().collect();
        let attached = self
            .policies_by_role
            .get(name)
            .into_iter()
            .flatten()
            .filter_map(|s| self.at(*s));
        let listed = managed.iter().map(|m| self.resource(m));
        for policy in attached.map(Some).chain(listed) {
            let Some(ResourceKind::Policy { statements, .. }) = policy.map(|p| &p.kind) else {
                return None;
            };
            out.extend(statements.as_ref()?.iter());
        }
        Some(out)
    }
}

/// What a reference to a resource of a known type yields: a value kind such as
/// `sqs-queue-url`, from the catalog's resource types. `None` when the resource or
/// attribute is unknown (a parameter, a custom resource, an attribute we don't know).
pub fn reference_kind(table: &Table, reference: &Reference) -> Option<&'static str> {
    let resource = table.resource(reference.name())?;
    let info = crate::catalog::catalog()
        .resource_types
        .get(resource.type_name.as_deref()?)?;
    match reference {
        Reference::Ref(_) => Some(info.reference.as_str()),
        Reference::GetAtt(_, attr) => info.attributes.get(attr).map(String::as_str),
    }
}
