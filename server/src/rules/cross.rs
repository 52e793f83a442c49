//! Cross-resource rules: each checks one entry's [`Facts`] (a [`Scope`]) against the
//! [`Index`], the join of what all entries declare (see `model::index`). The analysis
//! checks an entry again only when it is new or the index's maps were joined again,
//! so typing inside an integration checks that one entry.

use crate::model::facts::{Facts, IntegrationFacts, ResourceFacts};
use crate::model::index::{At, Index};

use super::Finding;

/// A cross-resource rule: checks one entry against the index.
pub type CrossCheck = fn(&Index, Scope<'_>, &mut Vec<Finding>);

/// One entry's facts, its base and its position among the index's parts: what a
/// rule checks.
#[derive(Clone, Copy)]
pub struct Scope<'f> {
    pub facts: &'f Facts,
    pub base: usize,
    pub part: usize,
}

impl<'f> Scope<'f> {
    fn at<T>(self, item: &'f T) -> At<'f, T> {
        At {
            item,
            base: self.base,
            file: 0,
            part: self.part,
        }
    }

    pub fn integrations(self) -> impl Iterator<Item = At<'f, IntegrationFacts>> {
        self.facts
            .integrations
            .iter()
            .map(move |item| self.at(item))
    }

    pub fn resources(self) -> impl Iterator<Item = At<'f, ResourceFacts>> {
        self.facts.resources.iter().map(move |item| self.at(item))
    }
}
