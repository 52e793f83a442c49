//! Analysis: findings for a document, cached per entry.
//!
//! Rules that look at one integration only depend on the entry holding it, so their
//! findings are cached by the entry's stamp (which changes whenever the entry is
//! rebuilt) and moved with the entry when edits shift it. A keystroke therefore
//! re-runs rules for the one entry it touched.

pub mod code_actions;
pub mod completion;
pub mod context;
pub mod features;
pub mod hover;
pub mod navigation;
pub mod symbols;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tf_tests;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::catalog;
use crate::document::{Document, EntryRef};
use crate::model::facts::{self, Facts};
use crate::model::index::{Index, Part};
use crate::model::{self, FileKind};
use crate::rules::{self, Finding, IntegrationContext};

#[derive(Debug)]
struct Cached {
    /// Where the entry was when its findings were computed (they are absolute).
    base: usize,
    generation: u64,
    /// The per-entry findings, computed when the document is analysed (a feature
    /// asking for the index needs only the facts).
    findings: Option<Vec<Finding>>,
    /// What the entry declares and uses (spans relative to its base).
    facts: Arc<Facts>,
    /// [`Facts::declarations_hash`] of `facts`.
    declarations: u64,
    /// `!facts.is_empty()`, kept here: reading it through the `Arc` for every entry
    /// was a cache miss per entry on each keystroke.
    has_facts: bool,
    /// Cross-resource findings, relative to the entry's base, and the declarations
    /// fingerprint they were computed against.
    cross: Option<(u64, Vec<Finding>)>,
}

/// Hashes entry stamps. They are unique counters, so one multiply (which spreads them
/// over the high bits hashbrown takes its control byte from) is enough; SipHash was
/// a visible share of a keystroke in templates with thousands of entries.
#[derive(Debug, Default, Clone, Copy)]
struct StampHasher(u64);

impl Hasher for StampHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.write_u64(u64::from(byte));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Per-document analysis state.
#[derive(Debug, Default)]
pub struct Analyzer {
    cache: HashMap<u64, Cached, BuildHasherDefault<StampHasher>>,
    generation: u64,
    /// The entries with facts, in order, as (stamp, base), and the document revision
    /// they were read from.
    seen: Vec<(u64, usize)>,
    seen_revision: Option<u64>,
    /// The join of the entries' facts (see [`Joined`]).
    joined: Option<Joined>,
    /// The index a join replaced, for the caller to free where it costs nothing.
    retired: Option<Index>,
    /// What other files contribute, and the fold of their declarations.
    links: Links,
    links_fingerprint: u64,
}

/// What other files contribute to a document's analysis: the template that includes
/// it, or the files it includes.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// The API resource of another file that includes this document as its OpenAPI
    /// definition: this document's integrations and operations belong to that API.
    pub api: Option<String>,
    /// The parts of the other files (file ids from 1), joined after this document's.
    pub parts: Vec<Part>,
}

/// The index, the declarations fingerprint its maps were joined from, and the stamps
/// and document revision its parts are current for. Its maps are always those of the
/// latest declarations; its parts (bases, and the facts of entries built again with
/// the same declarations) are brought up to date only when a feature asks for the
/// index: the cross-resource rules read only declarations from it.
#[derive(Debug)]
struct Joined {
    fingerprint: u64,
    stamps: Vec<u64>,
    revision: u64,
    index: Index,
}

impl Analyzer {
    /// Sets what other files contribute (see [`Links`]); the index is joined again at
    /// the next analysis when they differ from before.
    pub fn set_links(&mut self, links: Links) {
        let fingerprint = model::index::fingerprint(&links.parts)
            ^ links.api.as_deref().map_or(0, |api| {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::hash::DefaultHasher::new();
                api.hash(&mut hasher);
                hasher.finish()
            });
        if links.api != self.links.api {
            // Every entry's facts are read for the API that includes the document.
            self.cache.clear();
        }
        if !links.parts.is_empty() || !self.links.parts.is_empty() {
            // The other files' parts carry their spans and uses, which their
            // declarations hash leaves out: join them again as they are now.
            self.joined = None;
            self.seen_revision = None;
        }
        self.links = links;
        self.links_fingerprint = fingerprint;
    }

    /// Brings the cache up to date with `doc`: reads the facts of new entries and
    /// joins the index again when what the entries declare changed. With `findings`,
    /// also gathers the per-entry findings (computing those of new entries) in the same
    /// pass. `false` when `doc` is not a kind of file we analyse.
    fn sync(&mut self, doc: &Document, mut gather: Option<&mut Gathered>) -> bool {
        if model::file_kind(doc) == FileKind::Other {
            self.cache.clear();
            self.joined = None;
            self.seen.clear();
            self.seen_revision = None;
            return false;
        }
        let current = self.seen_revision == Some(doc.revision());
        if current && gather.is_none() {
            return true;
        }
        // The cross-resource findings of the index as it is are gathered in this pass;
        // if the pass finds that declarations changed, they are computed again after.
        let fingerprint_before = self.joined.as_ref().map(|j| j.fingerprint);
        let mut with_facts = 0usize;
        self.generation += 1;
        let generation = self.generation;
        let json = doc.language() == crate::syntax::Language::Json;
        let terraform = doc.language() == crate::syntax::Language::Terraform;
        let mut live = 0usize;
        let mut seen = std::mem::take(&mut self.seen);
        if !current {
            seen.clear();
        }
        let mut fingerprint: u64 = 0;
        for entry in doc.entries() {
            live += 1;
            let api = self.links.api.as_deref();
            let cached = self.cache.entry(entry.entry.stamp).or_insert_with(|| {
                let facts = facts::facts(entry, json);
                let facts = match api {
                    Some(api) => facts.scoped(api),
                    None => facts,
                };
                Cached {
                    base: entry.base,
                    generation,
                    findings: None,
                    declarations: facts.declarations_hash(),
                    has_facts: !facts.is_empty(),
                    facts: Arc::new(facts),
                    cross: None,
                }
            });
            cached.generation = generation;
            if let Some(gathered) = gather.as_deref_mut() {
                if cached.findings.is_none() {
                    // Read at the entry's current place (it may have moved since its
                    // facts were read).
                    cached.base = entry.base;
                    cached.findings = Some(entry_findings(entry, terraform));
                }
                let delta = entry.base as isize - cached.base as isize;
                let found = cached.findings.iter().flatten();
                gathered.findings.extend(found.map(|f| f.shifted(delta)));
                if cached.has_facts {
                    match &cached.cross {
                        Some((f, found)) if Some(*f) == fingerprint_before => {
                            let base = entry.base as isize;
                            gathered.cross.extend(found.iter().map(|f| f.shifted(base)));
                        }
                        _ => gathered.pending.push(with_facts),
                    }
                }
            }
            if cached.has_facts {
                with_facts += 1;
            }
            if !current && cached.has_facts {
                seen.push((entry.entry.stamp, entry.base));
                fingerprint = (fingerprint.rotate_left(7) ^ cached.declarations)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
        }
        self.seen = seen;
        let fingerprint = fingerprint ^ self.links_fingerprint;
        if !current {
            self.seen_revision = Some(doc.revision());
            let unchanged = self
                .joined
                .as_ref()
                .is_some_and(|j| j.fingerprint == fingerprint && j.stamps.len() == self.seen.len());
            if !unchanged {
                let parts = self
                    .seen
                    .iter()
                    .filter_map(|(stamp, base)| {
                        Some(Part {
                            file: 0,
                            base: *base,
                            facts: Arc::clone(&self.cache.get(stamp)?.facts),
                        })
                    })
                    .chain(self.links.parts.iter().cloned())
                    .collect();
                let replaced = self.joined.replace(Joined {
                    fingerprint,
                    stamps: self.seen.iter().map(|(stamp, _)| *stamp).collect(),
                    revision: doc.revision(),
                    index: Index::build(parts),
                });
                if let Some(replaced) = replaced {
                    self.retired = Some(replaced.index);
                }
                if let Some(gathered) = gather {
                    gathered.cross.clear();
                    gathered.pending = (0..self.seen.len()).collect();
                }
            }
        }
        // Entries rebuilt or gone since cost only memory (stamps are never reused), so
        // they are swept once they add up, not with a pass over the cache per keystroke.
        if self.cache.len() > live + live / 8 + 64 {
            self.cache.retain(|_, c| c.generation == generation);
        }
        true
    }

    /// The index the last join replaced (freeing a big one takes milliseconds).
    pub fn take_retired(&mut self) -> Option<Index> {
        self.retired.take()
    }

    /// The cross-resource index of `doc`, joined from the cached facts, its parts
    /// current.
    pub fn index(&mut self, doc: &Document) -> &Index {
        if !self.sync(doc, None) {
            return model::index::empty();
        }
        let Some(joined) = &mut self.joined else {
            return model::index::empty();
        };
        if joined.revision != doc.revision() {
            // The same declarations: the maps stay; move the parts, and swap in the
            // facts of entries built again.
            let (cache, seen, stamps) = (&self.cache, &self.seen, &mut joined.stamps);
            joined.index.refresh(|i, part| {
                let Some(&(stamp, base)) = seen.get(i) else {
                    return;
                };
                part.base = base;
                if stamps.get(i) != Some(&stamp)
                    && let Some(cached) = cache.get(&stamp)
                {
                    part.facts = Arc::clone(&cached.facts);
                    if let Some(slot) = stamps.get_mut(i) {
                        *slot = stamp;
                    }
                }
            });
            joined.revision = doc.revision();
        }
        &joined.index
    }

    /// All findings for `doc`, sorted by position.
    pub fn analyze(&mut self, doc: &Document) -> Vec<Finding> {
        let mut gathered = Gathered::default();
        if !self.sync(doc, Some(&mut gathered)) {
            return Vec::new();
        }
        let Gathered {
            findings: mut out,
            cross,
            pending,
        } = gathered;
        out.extend(cross);
        out.extend(
            doc.syntax_errors()
                .into_iter()
                .map(|(range, message)| Finding::new(&rules::syntax_error::RULE, range, message)),
        );
        // Cross-entry rules for the entries that are new or were last checked against
        // other declarations.
        if let Some(joined) = &self.joined {
            for p in pending {
                let Some(&(stamp, base)) = self.seen.get(p) else {
                    continue;
                };
                let Some(cached) = self.cache.get_mut(&stamp) else {
                    continue;
                };
                let mut found = Vec::new();
                let scope = rules::cross::Scope {
                    facts: &cached.facts,
                    base: 0,
                    part: p,
                };
                for check in rules::CROSS_CHECKS {
                    check(&joined.index, scope, &mut found);
                }
                out.extend(found.iter().map(|f| f.shifted(base as isize)));
                cached.cross = Some((joined.fingerprint, found));
            }
        }
        out.sort_by(|a, b| {
            (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
        });
        out
    }
}

/// What one pass of [`Analyzer::sync`] gathers for [`Analyzer::analyze`]: the
/// per-entry findings, the cross-resource findings still valid, and the positions (in
/// [`Analyzer::seen`]) of the entries to check across resources again.
#[derive(Debug, Default)]
struct Gathered {
    findings: Vec<Finding>,
    cross: Vec<Finding>,
    pending: Vec<usize>,
}

/// Findings of one entry, from every per-integration rule.
fn entry_findings(entry: EntryRef<'_>, terraform: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let pulumi = model::pulumi::in_entry(entry);
    for integration in model::integrations_in_entry(entry) {
        let values = integration.parameter_values();
        let cx = IntegrationContext {
            integration: &integration,
            catalog: catalog::catalog(),
            values: &values,
            terraform,
            pulumi,
        };
        for check in rules::INTEGRATION_CHECKS {
            check(&cx, &mut out);
        }
    }
    for check in rules::ENTRY_CHECKS {
        check(entry, &mut out);
    }
    out
}

/// Analyses a document from scratch.
pub fn analyze(doc: &Document) -> Vec<Finding> {
    Analyzer::default().analyze(doc)
}

/// Analyses a document from scratch with what other files contribute.
pub fn analyze_linked(doc: &Document, links: Links) -> Vec<Finding> {
    let mut analyzer = Analyzer::default();
    analyzer.set_links(links);
    analyzer.analyze(doc)
}
