//! `check`'s links between files: which checked files are templates that include
//! OpenAPI files, which are included (and by which templates), and what each file is
//! analysed with. A template is analysed with the integrations of the files it
//! includes; an included file with the template's resources, once per template that
//! includes it. `check FILE` on an included file looks for the templates that include
//! it in its folder and the folders above, up to the repository root.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::Links;
use crate::document::Document;
use crate::model::index::{Part, parts_of};
use crate::rules::Finding;
use crate::workspace::{self, Problem, Template, includers_above, template};

use super::parallel;

/// What one checked file is analysed with.
#[derive(Debug, Default)]
pub struct FileLinks {
    /// One analysis per context, their findings merged: the file's own links as a
    /// template, or one per template that includes it. Empty: analysed alone.
    pub contexts: Vec<Links>,
    /// What only the links reveal (a template's includes that lead nowhere), for the
    /// text whose [`text_hash`] is `text_hash` (the text read when linking).
    pub findings: Vec<Finding>,
    pub text_hash: Option<u64>,
}

pub use crate::workspace::text_hash;

/// The links of each of `files` (in their order). `notice` gets what was skipped.
pub fn plan(
    files: &[PathBuf],
    explicit: &[bool],
    threads: usize,
    notice: &mut dyn FnMut(String),
) -> Vec<FileLinks> {
    let units: Vec<Vec<usize>> = (0..files.len()).map(|i| vec![i]).collect();
    let found = parallel::map_in_order(files, &units, threads, |path| template(path));
    let canonical: Vec<Option<PathBuf>> = files.iter().map(|f| f.canonicalize().ok()).collect();
    let mut templates: Vec<(Option<usize>, Template)> = Vec::new();
    let mut template_of: HashMap<PathBuf, usize> = HashMap::new();
    for (i, t) in found.into_iter().enumerate() {
        if let Some(t) = t {
            template_of.insert(t.path.clone(), templates.len());
            templates.push((Some(i), t));
        }
    }
    // `check FILE` on an included file: its templates may not be among the files.
    for (i, path) in canonical.iter().enumerate() {
        let Some(path) = path else { continue };
        if !explicit.get(i).copied().unwrap_or(false) || template_of.contains_key(path) {
            continue;
        }
        let included = templates.iter().any(|(_, t)| {
            t.includes
                .iter()
                .any(|inc| inc.target.as_deref() == Ok(path))
        });
        if included {
            continue;
        }
        let root = workspace::root_of(path);
        let known = |p: &Path| template_of.contains_key(p);
        for t in includers_above(path, &root, &known) {
            template_of.insert(t.path.clone(), templates.len());
            templates.push((None, t));
        }
    }
    // Every file some template includes, read once.
    let mut targets: HashMap<PathBuf, Option<Document>> = HashMap::new();
    for (_, t) in &templates {
        for include in &t.includes {
            match &include.target {
                Ok(path) if !targets.contains_key(path) => {
                    let doc = match workspace::read(path) {
                        Ok(text) => Some(Document::new(
                            &text,
                            workspace::language_for(path, &text),
                            0,
                        )),
                        Err(Problem::Unreadable(why)) => {
                            notice(format!("{}: skipped ({why})", path.display()));
                            None
                        }
                        Err(_) => None,
                    };
                    targets.insert(path.clone(), doc);
                }
                _ => {}
            }
        }
    }
    let mut out: Vec<FileLinks> = files.iter().map(|_| FileLinks::default()).collect();
    for (index, t) in &templates {
        let included: Vec<(&str, &Document)> = t
            .includes
            .iter()
            .filter_map(|inc| {
                let doc = targets.get(inc.target.as_ref().ok()?)?.as_ref()?;
                Some((inc.facts.api.as_str(), doc))
            })
            .collect();
        let Some(links) = index.and_then(|i| out.get_mut(i)) else {
            continue;
        };
        links.contexts.push(workspace::template_links(included));
        links.findings =
            workspace::link_findings(&t.includes, |p| targets.get(p).and_then(|d| d.as_ref()));
        links.text_hash = Some(t.text_hash);
    }
    // Terraform: each `.tf` file with the other files of its module (its folder), read
    // once per folder.
    // The parts of each file, read once per folder: they serve every file of it.
    let mut modules: HashMap<PathBuf, Vec<(PathBuf, Vec<Part>)>> = HashMap::new();
    for (i, path) in canonical.iter().enumerate() {
        let Some(path) = path
            .as_ref()
            .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        else {
            continue;
        };
        let Some(dir) = path.parent() else { continue };
        let module = modules.entry(dir.to_path_buf()).or_insert_with(|| {
            let mut files = workspace::module_siblings(path);
            files.push(path.clone());
            files.sort();
            files
                .into_iter()
                .filter_map(|f| {
                    let text = workspace::read(&f).ok()?;
                    let doc = Document::new(&text, workspace::language_for(&f, &text), 0);
                    Some((f.canonicalize().unwrap_or(f), parts_of(&doc, 0, None)))
                })
                .collect()
        });
        let Some((_, own)) = module.iter().find(|(f, _)| f == path) else {
            continue;
        };
        let others: Vec<&[Part]> = module
            .iter()
            .filter(|(f, _)| f != path)
            .map(|(_, parts)| parts.as_slice())
            .collect();
        if !others.is_empty()
            && let Some(links) = out.get_mut(i)
        {
            links.contexts.push(workspace::module_links(own, others));
        }
    }
    for (i, path) in canonical.iter().enumerate() {
        let Some(path) = path else { continue };
        for (_, t) in &templates {
            for include in &t.includes {
                if include.target.as_deref() == Ok(path.as_path())
                    && let Some(links) = out.get_mut(i)
                {
                    links
                        .contexts
                        .push(workspace::included_links(&include.facts.api, &t.doc));
                }
            }
        }
    }
    out
}
