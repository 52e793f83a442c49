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
    /// The join of the entries' facts (see [`Joined`]).
    joined: Option<Joined>,
    /// The index a join replaced, for the caller to free where it costs nothing.
    retired: Option<Index>,
}

/// The index, the declarations fingerprint its maps were built from, the stamps of
/// its parts' entries (in the parts' order), and the document revision its parts
/// are current for.
#[derive(Debug)]
struct Joined {
    fingerprint: u64,
    stamps: Vec<u64>,
    revision: u64,
    index: Index,
}

impl Analyzer {
    /// Brings the cache and the index up to date with `doc`: reads the facts of new
    /// entries, joins the index again when what the entries declare changed, else
    /// swaps in the current facts and bases. With `findings`, also gathers the
    /// per-entry findings (computing those of new entries) in the same pass. `false`
    /// when `doc` is not a kind of file we analyse.
    fn sync(&mut self, doc: &Document, mut findings: Option<&mut Vec<Finding>>) -> bool {
        if model::file_kind(doc) == FileKind::Other {
            self.cache.clear();
            self.joined = None;
            return false;
        }
        let current = self
            .joined
            .as_ref()
            .is_some_and(|j| j.revision == doc.revision());
        if current && findings.is_none() {
            return true;
        }
        self.generation += 1;
        let generation = self.generation;
        let json = doc.language() == crate::syntax::Language::Json;
        let mut live = 0usize;
        let mut parts: Vec<Part> = Vec::new();
        let mut stamps: Vec<u64> = Vec::new();
        let mut fingerprint: u64 = 0;
        for entry in doc.entries() {
            live += 1;
            let cached = self.cache.entry(entry.entry.stamp).or_insert_with(|| {
                let facts = facts::facts(entry, json);
                Cached {
                    base: entry.base,
                    generation,
                    findings: None,
                    declarations: facts.declarations_hash(),
                    facts: Arc::new(facts),
                    cross: None,
                }
            });
            cached.generation = generation;
            if let Some(out) = findings.as_deref_mut() {
                if cached.findings.is_none() {
                    // Read at the entry's current place (it may have moved since its
                    // facts were read).
                    cached.base = entry.base;
                    cached.findings = Some(entry_findings(entry));
                }
                let delta = entry.base as isize - cached.base as isize;
                out.extend(cached.findings.iter().flatten().map(|f| f.shifted(delta)));
            }
            if !current && !cached.facts.is_empty() {
                parts.push(Part {
                    file: 0,
                    base: entry.base,
                    facts: Arc::clone(&cached.facts),
                });
                stamps.push(entry.entry.stamp);
                fingerprint = (fingerprint.rotate_left(7) ^ cached.declarations)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
        }
        if !current {
            match &mut self.joined {
                Some(joined) if joined.fingerprint == fingerprint => {
                    joined.index.refresh(parts);
                    joined.stamps = stamps;
                    joined.revision = doc.revision();
                }
                _ => {
                    let replaced = self.joined.replace(Joined {
                        fingerprint,
                        stamps,
                        revision: doc.revision(),
                        index: Index::build(parts),
                    });
                    if let Some(replaced) = replaced {
                        self.retired = Some(replaced.index);
                    }
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

    /// The cross-resource index of `doc`, joined from the cached facts.
    pub fn index(&mut self, doc: &Document) -> &Index {
        if !self.sync(doc, None) {
            return model::index::empty();
        }
        match &self.joined {
            Some(joined) => &joined.index,
            None => model::index::empty(),
        }
    }

    /// All findings for `doc`, sorted by position.
    pub fn analyze(&mut self, doc: &Document) -> Vec<Finding> {
        let mut out: Vec<Finding> = Vec::new();
        if !self.sync(doc, Some(&mut out)) {
            return Vec::new();
        }
        out.extend(
            doc.syntax_errors()
                .into_iter()
                .map(|(range, message)| Finding::new(&rules::syntax_error::RULE, range, message)),
        );
        // Cross-entry rules: each entry is checked again only when it is new or the
        // index's maps were joined again (what some entry declares changed).
        if let Some(joined) = &self.joined {
            let parts = joined.stamps.iter().zip(joined.index.parts());
            for (p, (stamp, part)) in parts.enumerate() {
                let Some(cached) = self.cache.get_mut(stamp) else {
                    continue;
                };
                let stale = cached.cross.as_ref().map(|(f, _)| *f) != Some(joined.fingerprint);
                if stale {
                    let mut found = Vec::new();
                    let scope = rules::cross::Scope {
                        facts: &cached.facts,
                        base: 0,
                        part: p,
                    };
                    for check in rules::CROSS_CHECKS {
                        check(&joined.index, scope, &mut found);
                    }
                    cached.cross = Some((joined.fingerprint, found));
                }
                if let Some((_, found)) = &cached.cross {
                    out.extend(found.iter().map(|f| f.shifted(part.base as isize)));
                }
            }
        }
        out.sort_by(|a, b| {
            (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
        });
        out
    }
}

/// Findings of one entry, from every per-integration rule.
fn entry_findings(entry: EntryRef<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for integration in model::integrations_in_entry(entry) {
        let values = integration.parameter_values();
        let cx = IntegrationContext {
            integration: &integration,
            catalog: catalog::catalog(),
            values: &values,
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
