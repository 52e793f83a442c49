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
use crate::model::{self, FileKind};
use crate::rules::{self, Finding, IntegrationContext};

#[derive(Debug)]
struct Cached {
    base: usize,
    generation: u64,
    findings: Vec<Finding>,
    /// What the entry contributes to cross-entry rules (spans relative to its base).
    facts: Arc<model::facts::Facts>,
    /// The hash of what the entry declares (see [`rules::cross::declarations_hash`]).
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
    /// The cross-resource table and the declarations fingerprint it was built from.
    table: Option<(u64, rules::cross::Table)>,
}

impl Analyzer {
    /// All findings for `doc`, sorted by position.
    pub fn analyze(&mut self, doc: &Document) -> Vec<Finding> {
        if model::file_kind(doc) == FileKind::Other {
            self.cache.clear();
            return Vec::new();
        }
        self.generation += 1;
        let generation = self.generation;
        let mut out: Vec<Finding> = doc
            .syntax_errors()
            .into_iter()
            .map(|(range, message)| Finding::new(&rules::syntax_error::RULE, range, message))
            .collect();
        let json = doc.language() == crate::syntax::Language::Json;
        let mut live = 0usize;
        // Entries with facts, and the fold of their declarations into one fingerprint.
        let mut with_facts: Vec<(u64, usize)> = Vec::new();
        let mut fingerprint: u64 = 0;
        for entry in doc.entries() {
            live += 1;
            let cached = self.cache.entry(entry.entry.stamp).or_insert_with(|| {
                let facts = model::facts::facts(entry, json);
                Cached {
                    base: entry.base,
                    generation,
                    findings: entry_findings(entry),
                    declarations: rules::cross::declarations_hash(&facts),
                    facts: Arc::new(facts),
                    cross: None,
                }
            });
            cached.generation = generation;
            if !cached.facts.is_empty() {
                with_facts.push((entry.entry.stamp, entry.base));
                fingerprint = (fingerprint.rotate_left(7) ^ cached.declarations)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15);
            }
            let delta = entry.base as isize - cached.base as isize;
            out.extend(cached.findings.iter().map(|f| f.shifted(delta)));
        }
        // Cross-entry rules: the table is rebuilt only when some declaration changed;
        // each entry is re-checked only when it is new or the table changed.
        if self.table.as_ref().map(|(f, _)| *f) != Some(fingerprint) {
            let facts = with_facts
                .iter()
                .filter_map(|(stamp, _)| self.cache.get(stamp).map(|c| Arc::clone(&c.facts)));
            self.table = Some((fingerprint, rules::cross::Table::build(facts)));
        }
        if let Some((_, table)) = &self.table {
            for (stamp, base) in &with_facts {
                let Some(cached) = self.cache.get_mut(stamp) else {
                    continue;
                };
                let stale = cached.cross.as_ref().map(|(f, _)| *f) != Some(fingerprint);
                if stale {
                    let mut found = Vec::new();
                    let scope = rules::cross::Scope {
                        facts: &cached.facts,
                        base: 0,
                    };
                    for check in rules::CROSS_CHECKS {
                        check(table, scope, &mut found);
                    }
                    cached.cross = Some((fingerprint, found));
                }
                if let Some((_, found)) = &cached.cross {
                    out.extend(found.iter().map(|f| f.shifted(*base as isize)));
                }
            }
        }
        // Entries rebuilt or gone since cost only memory (stamps are never reused), so
        // they are swept once they add up, not with a pass over the cache per keystroke.
        if self.cache.len() > live + live / 8 + 64 {
            self.cache.retain(|_, c| c.generation == generation);
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
