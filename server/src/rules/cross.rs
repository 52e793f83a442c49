//! The join of every entry's [`Facts`] that cross-resource rules read.
//!
//! Built per analysis from the cached facts (no value tree is walked), so its cost is
//! a few hash inserts per resource. Every span handed out is absolute.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::facts::{
    Facts, IntegrationFacts, Reference, ResourceFacts, ResourceKind, RouteFacts, Statement,
};

use super::Finding;

/// A cross-resource rule.
pub type CrossCheck = fn(&Table<'_>, &mut Vec<Finding>);

/// All entries' facts, indexed.
pub struct Table<'f> {
    entries: Vec<(&'f Facts, usize)>,
    resources: HashMap<&'f str, (&'f ResourceFacts, usize)>,
    parameters: Vec<&'f str>,
    /// Routes by the integration their `Target` names.
    targets: HashMap<&'f str, Vec<&'f RouteFacts>>,
}

/// Something located in the document: the value and its entry's base.
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

impl<'f> Table<'f> {
    pub fn build(entries: impl IntoIterator<Item = (&'f Facts, usize)>) -> Self {
        let entries: Vec<(&'f Facts, usize)> = entries.into_iter().collect();
        let mut resources = HashMap::new();
        let mut parameters = Vec::new();
        let mut targets: HashMap<&str, Vec<&RouteFacts>> = HashMap::new();
        for (facts, base) in &entries {
            parameters.extend(facts.parameters.iter().map(String::as_str));
            for r in &facts.resources {
                // A SAM HttpApi contributes both its API and its stage: keep the API.
                if !matches!(r.kind, ResourceKind::Stage { .. })
                    || !resources.contains_key(r.name.as_str())
                {
                    resources.insert(r.name.as_str(), (r, *base));
                }
                if let ResourceKind::Route(route) = &r.kind
                    && let Some(crate::model::facts::Target::Integration { name, .. }) =
                        &route.target
                {
                    targets.entry(name.as_str()).or_default().push(route);
                }
            }
        }
        Table {
            entries,
            resources,
            parameters,
            targets,
        }
    }

    pub fn resource(&self, name: &str) -> Option<&'f ResourceFacts> {
        self.resources.get(name).map(|(r, _)| *r)
    }

    pub fn is_parameter(&self, name: &str) -> bool {
        self.parameters.contains(&name)
    }

    pub fn integrations(&self) -> impl Iterator<Item = At<'f, IntegrationFacts>> + '_ {
        self.entries.iter().flat_map(|(facts, base)| {
            facts
                .integrations
                .iter()
                .map(move |item| At { item, base: *base })
        })
    }

    pub fn resources(&self) -> impl Iterator<Item = At<'f, ResourceFacts>> + '_ {
        self.entries.iter().flat_map(|(facts, base)| {
            facts
                .resources
                .iter()
                .map(move |item| At { item, base: *base })
        })
    }

    /// The routes whose `Target` names the integration resource `name`.
    pub fn routes_targeting(&self, name: &str) -> &[&'f RouteFacts] {
        self.targets.get(name).map_or(&[], Vec::as_slice)
    }

    /// The path-variable sets of every route that uses `integration`; `None` when
    /// no route is known to use it (then nothing can be said).
    pub fn route_path_variables(&self, integration: &IntegrationFacts) -> Option<Vec<Vec<String>>> {
        if let Some(own) = &integration.own_path_variables {
            return Some(vec![own.clone()]);
        }
        let sets: Vec<Vec<String>> = if integration.shared {
            self.entries
                .iter()
                .flat_map(|(f, _)| &f.shared_uses)
                .filter(|u| u.name == integration.name && u.api == integration.api)
                .map(|u| u.path_variables.clone())
                .collect()
        } else {
            let routes = self.routes_targeting(&integration.name);
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
    pub fn stage_variables(&self, api: Option<&str>) -> Option<Vec<&'f str>> {
        let mut found = false;
        let mut names = Vec::new();
        for (facts, _) in &self.entries {
            for r in &facts.resources {
                let ResourceKind::Stage {
                    api: stage_api,
                    variables,
                } = &r.kind
                else {
                    continue;
                };
                if api.is_some() && stage_api.is_some() && stage_api.as_deref() != api {
                    continue;
                }
                found = true;
                names.extend(variables.as_ref()?.iter().map(String::as_str));
            }
        }
        found.then_some(names)
    }

    /// Whether a resource-based policy in the template names `target` (it may grant
    /// access that the role's own policies do not).
    pub fn has_resource_policy(&self, target: &str) -> bool {
        self.resources.values().any(|(r, _)| {
            matches!(&r.kind, ResourceKind::ResourcePolicy { names } if names.iter().any(|n| n == target))
        })
    }

    /// Every `Allow` statement that applies to the role `name`: its inline policies,
    /// template policies attached to it, and template managed policies it lists.
    /// `None` when some policy is not known (not written out, or from outside).
    pub fn role_statements(&self, name: &str) -> Option<Vec<&'f Statement>> {
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
        for r in self.resources.values().map(|(r, _)| *r) {
            let ResourceKind::Policy { roles, statements } = &r.kind else {
                continue;
            };
            if roles.iter().any(|n| n == name) || managed.contains(&r.name) {
                out.extend(statements.as_ref()?.iter());
            }
        }
        for m in managed {
            if !matches!(
                self.resource(m).map(|r| &r.kind),
                Some(ResourceKind::Policy { .. })
            ) {
                return None;
            }
        }
        Some(out)
    }
}

/// What a reference to a resource of a known type yields: a value kind such as
/// `sqs-queue-url`, from the catalog's resource types. `None` when the resource or
/// attribute is unknown (a parameter, a custom resource, an attribute we don't know).
pub fn reference_kind(table: &Table<'_>, reference: &Reference) -> Option<&'static str> {
    let resource = table.resource(reference.name())?;
    let type_name = resource.type_name.as_deref()?;
    let types = &crate::catalog::catalog().resource_types;
    let info = types.get(type_name)?;
    match reference {
        Reference::Ref(_) => Some(info.reference.as_str()),
        Reference::GetAtt(_, attr) => info.attributes.get(attr).map(String::as_str),
    }
    .map(|s| {
        // The catalog is 'static; the map lookups above borrow from it.
        let s: &'static str = s;
        s
    })
}
