//! The server's links between files: an open template is analysed with the files its
//! APIs include, an open included file with the templates that include it (open
//! ones, and those in its folder and the folders above, up to the workspace folder).
//! Other files come from disk (read once per modification), an open buffer wins over
//! the disk, and nothing outside the workspace folders is read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use tower_lsp_server::ls_types::Uri;

use crate::analysis::Links;
use crate::document::Document;
use crate::model::index::{Index, Part, parts_of};
use crate::rules::Finding;
use crate::workspace::{self, Include};

use super::DocState;

/// Files read from disk and the workspace folders links may not leave.
#[derive(Default)]
pub struct Linker {
    /// Canonical workspace folders.
    roots: Vec<PathBuf>,
    /// Files read through a link, by canonical path, with their modification time.
    disk: HashMap<PathBuf, (Option<SystemTime>, Option<Arc<Document>>)>,
    /// The templates found above an included file, by its canonical path (forgotten
    /// when watched files change), until the workspace scan is done.
    includers: HashMap<PathBuf, Vec<(PathBuf, String)>>,
    /// The workspace scan: which templates include each file.
    scan: Option<workspace::Scan>,
    /// For each workspace folder, the root links may not leave: its repository, else
    /// the folder.
    link_roots: Vec<PathBuf>,
}

/// What one open document is analysed with.
#[derive(Default)]
pub struct Resolved {
    /// One set of links per analysis, merged: as a template, or per template that
    /// includes it. Empty: the document alone.
    pub contexts: Vec<Links>,
    /// What only the links reveal.
    pub findings: Vec<Finding>,
    /// The other files of the first context, by file id - 1: where a definition or a
    /// reference in them is.
    pub files: Vec<(Uri, Arc<Document>)>,
    /// Every file it is linked with (included files, templates that include it).
    pub paths: Vec<PathBuf>,
}

impl Linker {
    pub fn set_roots(&mut self, roots: Vec<PathBuf>) {
        self.roots = roots
            .into_iter()
            .filter_map(|r| r.canonicalize().ok())
            .collect();
        // Links may reach across the repository a workspace folder is part of (a
        // monorepo's subfolder including `../shared/api.yaml`), never beyond it.
        self.link_roots = self
            .roots
            .iter()
            .map(|r| workspace::repository_root(r).unwrap_or_else(|| r.clone()))
            .collect();
    }

    /// Forgets what was read from disk (files changed), and reads the changed files
    /// again into the workspace scan.
    pub fn forget(&mut self, changed: &[PathBuf]) {
        self.disk.clear();
        self.includers.clear();
        let roots = self.roots.clone();
        if let Some(scan) = &mut self.scan {
            for path in changed {
                if let Some(root) = roots.iter().find(|r| path.starts_with(r)) {
                    scan.update(root, path);
                }
            }
        }
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    pub fn set_scan(&mut self, scan: workspace::Scan) {
        self.includers.clear();
        self.scan = Some(scan);
    }

    /// The root links from `path` may not leave: that of the innermost workspace
    /// folder holding it.
    fn root_of(&self, path: &Path) -> Option<&Path> {
        self.roots
            .iter()
            .zip(&self.link_roots)
            .filter(|(r, _)| path.starts_with(r))
            .max_by_key(|(r, _)| r.as_os_str().len())
            .map(|(_, link)| link.as_path())
    }

    /// `path` read from disk, again only when it changed.
    fn read_disk(&mut self, path: &Path) -> Option<Arc<Document>> {
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        if let Some((when, doc)) = self.disk.get(path)
            && *when == modified
        {
            return doc.clone();
        }
        let doc = workspace::read(path).ok().map(|text| {
            Arc::new(Document::new(
                &text,
                workspace::language_for(path, &text),
                0,
            ))
        });
        self.disk
            .insert(path.to_path_buf(), (modified, doc.clone()));
        doc
    }
}

/// The canonical path of a `file:` URI.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path()?.canonicalize().ok()
}

/// The resolved includes of an open document (from its cached index).
fn includes_of(ds: &mut DocState, root: &Path, path: &Path) -> Vec<Include> {
    let index: &Index = ds.analyzer.index(&ds.doc);
    workspace::includes_in(root, path, index)
}

/// The links of the open document `uri`.
pub fn resolve(linker: &mut Linker, docs: &mut HashMap<Uri, DocState>, uri: &Uri) -> Resolved {
    let mut out = Resolved::default();
    let Some(path) = docs.get(uri).and_then(|ds| ds.path.clone()) else {
        return out;
    };
    let Some(root) = linker.root_of(&path).map(Path::to_path_buf) else {
        return out;
    };
    // The open documents by path (found when they were opened), and the includes of
    // those that are templates.
    let open: Vec<(Uri, PathBuf)> = docs
        .iter()
        .filter_map(|(u, ds)| Some((u.clone(), ds.path.clone()?)))
        .collect();
    let mut open_includes: Vec<(Uri, Vec<Include>)> = Vec::new();
    for (u, p) in &open {
        if let Some(ds) = docs.get_mut(u) {
            let includes = includes_of(ds, &root, p);
            if !includes.is_empty() {
                open_includes.push((u.clone(), includes));
            }
        }
    }
    let open_doc = |p: &Path| open.iter().find(|(_, q)| q == p).map(|(u, _)| u.clone());
    // As a template.
    if let Some((_, includes)) = open_includes.iter().find(|(u, _)| u == uri) {
        let mut held: HashMap<PathBuf, Arc<Document>> = HashMap::new();
        let mut included: Vec<(String, Arc<Document>)> = Vec::new();
        for include in includes {
            let Ok(target) = &include.target else {
                continue;
            };
            let open_uri = open_doc(target);
            let doc = match open_uri.as_ref().and_then(|u| docs.get(u)) {
                Some(ds) => Some(Arc::new(ds.doc.snapshot())),
                None => linker.read_disk(target),
            };
            out.paths.push(target.to_path_buf());
            let target_uri = open_uri.or_else(|| Uri::from_file_path(target));
            if let (Some(doc), Some(target_uri)) = (doc, target_uri) {
                held.insert(target.to_path_buf(), Arc::clone(&doc));
                included.push((include.facts.api.clone(), Arc::clone(&doc)));
                out.files.push((target_uri, doc));
            }
        }
        out.contexts.push(workspace::template_links(
            included
                .iter()
                .map(|(api, doc)| (api.as_str(), doc.as_ref())),
        ));
        out.findings = workspace::link_findings(includes, |p| held.get(p).map(|d| d.as_ref()));
    }
    // A Terraform file: with the other files of its module (its folder), open buffers
    // over their disk copies.
    if docs
        .get(uri)
        .is_some_and(|ds| ds.doc.language() == crate::syntax::Language::Terraform)
    {
        let mut others: Vec<Arc<Document>> = Vec::new();
        for sibling in workspace::module_siblings(&path) {
            let sibling = sibling.canonicalize().unwrap_or(sibling);
            let open_uri = open_doc(&sibling);
            let doc = match open_uri.as_ref().and_then(|u| docs.get(u)) {
                Some(ds) => Some(Arc::new(ds.doc.snapshot())),
                None => linker.read_disk(&sibling),
            };
            let sibling_uri = open_uri.or_else(|| Uri::from_file_path(&sibling));
            if let (Some(doc), Some(sibling_uri)) = (doc, sibling_uri) {
                out.paths.push(sibling);
                out.files.push((sibling_uri, Arc::clone(&doc)));
                others.push(doc);
            }
        }
        if !others.is_empty()
            && let Some(ds) = docs.get(uri)
        {
            let own = parts_of(&ds.doc, 0, None);
            let theirs: Vec<Vec<Part>> = others.iter().map(|d| parts_of(d, 0, None)).collect();
            out.contexts.push(workspace::module_links(
                &own,
                theirs.iter().map(Vec::as_slice),
            ));
        }
        return out;
    }
    // As an included file (an OpenAPI document): open templates, then those on disk
    // above it.
    let openapi = docs
        .get(uri)
        .is_some_and(|ds| crate::model::file_kind(&ds.doc) == crate::model::FileKind::OpenApi);
    if !openapi {
        return out;
    }
    let mut includers: Vec<(String, Uri, Arc<Document>)> = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for (u, includes) in &open_includes {
        for include in includes
            .iter()
            .filter(|i| i.target.as_deref() == Ok(path.as_path()))
        {
            if let Some(ds) = docs.get(u)
                && let Some(p) = &ds.path
            {
                out.paths.push(p.clone());
                let doc = Arc::new(ds.doc.snapshot());
                includers.push((include.facts.api.clone(), u.clone(), doc));
                seen.push(p.clone());
            }
        }
    }
    let scanned = linker
        .scan
        .as_ref()
        .map(|scan| scan.includers.get(&path).cloned().unwrap_or_default());
    let above = match scanned.or_else(|| linker.includers.get(&path).cloned()) {
        Some(found) => found,
        None => {
            let known = |p: &Path| seen.iter().any(|s| s == p);
            let found: Vec<(PathBuf, String)> = workspace::includers_above(&path, &root, &known)
                .into_iter()
                .flat_map(|t| {
                    let tp = t.path.clone();
                    t.includes
                        .into_iter()
                        .filter(|i| i.target.as_deref() == Ok(path.as_path()))
                        .map(move |i| (tp.clone(), i.facts.api))
                })
                .collect();
            linker.includers.insert(path.clone(), found.clone());
            found
        }
    };
    for (template, api) in above {
        // An open template is what its buffer says (taken above), not its disk copy.
        if seen.contains(&template) || open_doc(&template).is_some() {
            continue;
        }
        out.paths.push(template.clone());
        if let (Some(doc), Some(u)) = (linker.read_disk(&template), Uri::from_file_path(&template))
        {
            includers.push((api, u, doc));
        }
    }
    for (api, u, template) in &includers {
        if out.contexts.is_empty() {
            out.files.push((u.clone(), Arc::clone(template)));
        }
        out.contexts.push(workspace::included_links(api, template));
    }
    out
}

/// The open documents linked to `uri` (templates that include it, files it includes),
/// as their last analyses found: to analyse again when it changes. No file system
/// access and no analysis: it runs on every keystroke.
pub fn dependents(docs: &HashMap<Uri, DocState>, uri: &Uri) -> Vec<Uri> {
    if docs.len() < 2 {
        return Vec::new();
    }
    let Some(me) = docs.get(uri) else {
        return Vec::new();
    };
    docs.iter()
        .filter(|(u, other)| {
            *u != uri
                && (other
                    .path
                    .as_ref()
                    .is_some_and(|p| me.linked_paths.contains(p))
                    || me
                        .path
                        .as_ref()
                        .is_some_and(|p| other.linked_paths.contains(p)))
        })
        .map(|(u, _)| u.clone())
        .collect()
}
