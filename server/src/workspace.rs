//! Files that belong together: a template and the OpenAPI files its APIs include
//! (`AWS::Include`, SAM `DefinitionUri`). Where an include leads, read safely: never
//! outside the root (the repository for `check`), at most 10 MB, text only. With
//! `cli/` and `lsp/`, the only code that touches the file system.

pub mod assembly;

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::analysis::Links;
use crate::document::Document;
use crate::model::facts::{IncludeFacts, IncludeKind};
use crate::model::index::{FileId, Index, Part, parts_of};
use crate::model::{self, FileKind};
use crate::rules::Finding;

/// Files bigger than this are not read through a link nor found by walking folders.
pub const MAX_FILE: u64 = 10 << 20;

/// The file extensions of templates, OpenAPI documents and Terraform configurations.
pub const EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template", "tf"];

/// Whether a folder is one no template lives in: dependencies, build output, CDK's
/// asset copies.
fn skipped_folder(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name == "node_modules"
        || name == "target"
        || (name.starts_with("asset.")
            && path
                .parent()
                .and_then(Path::file_name)
                .is_some_and(|p| p == "cdk.out"))
}

/// What a folder holds to check: files, and what could not be read of the cloud
/// assemblies in it.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<PathBuf>,
    /// Problems of cloud assemblies (see [`assembly`]), each naming its file.
    pub problems: Vec<String>,
    /// The construct paths cloud assembly manifests give the stack templates.
    pub constructs: std::collections::HashMap<PathBuf, Arc<assembly::Constructs>>,
}

/// The template-like files below `dir` (by [`EXTENSIONS`]), sorted by path. Honours
/// `.gitignore` files (in a repository or not) and `.ignore` files; leaves out hidden
/// files and folders, `node_modules`, `target` and `cdk.out/asset.*`; does not follow
/// links to folders (so no loop); skips files over 10 MB, unreadable folders and
/// files not matching `globs` (paths relative to `base`), telling `notice` about the
/// first two. A cloud assembly (`dir` itself, a folder below it, or a `cdk.out` beside
/// a walked folder even when `.gitignore` lists it, as build output always is) is read
/// by its manifest ([`assembly::read`]): its stack templates, not its other files.
pub fn walk(dir: &Path, globs: &dyn Fn(&Path) -> bool, notice: &mut dyn FnMut(String)) -> Walked {
    let mut out = Walked::default();
    if let Some(read) = assembly::read(dir) {
        out.files = read.templates.into_iter().filter(|p| globs(p)).collect();
        out.problems = read.problems;
        out.constructs = read.constructs;
        return out;
    }
    let assemblies: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    let found = Arc::clone(&assemblies);
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            if !entry.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            if skipped_folder(entry.path()) {
                return false;
            }
            if entry.depth() > 0 && assembly::is_assembly(entry.path()) {
                if let Ok(mut found) = found.lock() {
                    found.push(entry.path().to_path_buf());
                }
                return false;
            }
            true
        })
        .build();
    let mut cdk_outs = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                notice(format!("skipped: {err}"));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_some_and(|t| t.is_dir()) {
            // `cdk.out` is git-ignored where `cdk init` made the project.
            let cdk_out = path.join(assembly::CDK_OUT);
            if cdk_out.is_dir() && assembly::is_assembly(&cdk_out) {
                cdk_outs.push(cdk_out);
            }
            continue;
        }
        let template_like = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        if !template_like || !globs(path) {
            continue;
        }
        // Links are followed to regular files only (not to devices or FIFOs).
        let Ok(meta) = std::fs::metadata(path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        if meta.len() > MAX_FILE {
            notice(format!(
                "{}: skipped ({} bytes, over the 10 MB read when walking folders; name the file to check it)",
                path.display(),
                meta.len()
            ));
            continue;
        }
        out.files.push(path.to_path_buf());
    }
    let mut assemblies = assemblies.lock().map(|a| a.clone()).unwrap_or_default();
    assemblies.extend(cdk_outs);
    assemblies.sort();
    assemblies.dedup();
    if assemblies.is_empty() {
        return out;
    }
    // Each assembly's templates in its own order, where its folder is in name order.
    let mut blocks: Vec<(PathBuf, Vec<PathBuf>)> = std::mem::take(&mut out.files)
        .into_iter()
        .map(|f| (f.clone(), vec![f]))
        .collect();
    for folder in assemblies {
        let Some(read) = assembly::read(&folder) else {
            continue;
        };
        let templates = read.templates.into_iter().filter(|p| globs(p)).collect();
        blocks.push((folder, templates));
        out.problems.extend(read.problems);
        out.constructs.extend(read.constructs);
    }
    blocks.sort_by(|a, b| a.0.cmp(&b.0));
    out.files = blocks.into_iter().flat_map(|(_, files)| files).collect();
    out
}

/// Why an include leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// No file there (the resolved path).
    Missing(PathBuf),
    /// The path leads outside the root: not read.
    Outside,
    /// The template includes itself.
    ItSelf,
    /// Too big, binary, not UTF-8 or unreadable: skipped, with this notice.
    Unreadable(String),
}

/// The folder holding `.git` (a folder, or a worktree's file) above `path`, if any.
pub fn repository_root(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { path } else { path.parent()? };
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .find(|d| std::fs::symlink_metadata(d.join(".git")).is_ok())
        .map(Path::to_path_buf)
}

/// `path` with `.` and `..` taken out without touching the file system, so that `..`
/// cannot climb through a folder that does not exist or a link.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Where `location`, written in the template `from` (a canonical path), leads: a
/// canonical path inside `root` (canonical).
pub fn resolve(root: &Path, from: &Path, location: &str) -> Result<PathBuf, Problem> {
    let dir = from.parent().unwrap_or(Path::new("/"));
    let lexical = normalise(&dir.join(location.trim()));
    if !lexical.starts_with(root) {
        return Err(Problem::Outside);
    }
    let real = match lexical.canonicalize() {
        Ok(real) => real,
        Err(_) => return Err(Problem::Missing(lexical)),
    };
    // A link inside the root may still point outside it.
    if !real.starts_with(root) {
        return Err(Problem::Outside);
    }
    if real == from {
        return Err(Problem::ItSelf);
    }
    if !real.is_file() {
        return Err(Problem::Missing(real));
    }
    Ok(real)
}

/// Reads a file reached through a link: at most [`MAX_FILE`], UTF-8 text without NUL
/// bytes.
pub fn read(path: &Path) -> Result<String, Problem> {
    use std::io::Read as _;
    let meta = std::fs::metadata(path).map_err(|e| Problem::Unreadable(e.to_string()))?;
    // Not a device, a FIFO or a folder (a link to `/dev/zero` says 0 bytes).
    if !meta.is_file() {
        return Err(Problem::Unreadable("not a regular file".to_string()));
    }
    if meta.len() > MAX_FILE {
        return Err(Problem::Unreadable(format!(
            "{} bytes, more than the 10 MB read through an include",
            meta.len()
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut bytes))
        .map_err(|e| Problem::Unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(Problem::Unreadable("more than 10 MB".to_string()));
    }
    if bytes.contains(&0) {
        return Err(Problem::Unreadable("a binary file".to_string()));
    }
    String::from_utf8(bytes).map_err(|_| Problem::Unreadable("not UTF-8 text".to_string()))
}

/// A template that includes files.
pub struct Template {
    pub path: PathBuf,
    pub doc: Document,
    pub includes: Vec<Include>,
    pub text_hash: u64,
}

/// The root a template's includes must stay inside: its repository, else the current
/// folder when the template is below it, else the template's own folder.
pub fn root_of(path: &Path) -> PathBuf {
    if let Some(root) = repository_root(path) {
        return root;
    }
    let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    match std::env::current_dir().and_then(|d| d.canonicalize()) {
        Ok(cwd) if dir.starts_with(&cwd) => cwd,
        _ => dir,
    }
}

/// Reads `path` as a template that includes files, if it is one (its includes
/// resolved inside its repository, see [`root_of`]).
pub fn template(path: &Path) -> Option<Template> {
    template_in(&root_of(path), path)
}

/// The templates in the folders from `file`'s up to `root` (not below), other than
/// those `known`, that include `file`.
pub fn includers_above(file: &Path, root: &Path, known: &dyn Fn(&Path) -> bool) -> Vec<Template> {
    let Some(dir) = file.parent() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for folder in dir.ancestors() {
        if !folder.starts_with(root) {
            break;
        }
        let Ok(read) = std::fs::read_dir(folder) else {
            continue;
        };
        let mut names: Vec<PathBuf> = read.flatten().map(|e| e.path()).collect();
        names.sort();
        for candidate in names {
            let ext = candidate.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "yaml" | "yml" | "json" | "template")
                || candidate == file
                || !candidate.is_file()
            {
                continue;
            }
            if let Some(t) = template(&candidate)
                && !known(&t.path)
                && t.includes.iter().any(|i| i.target.as_deref() == Ok(file))
            {
                out.push(t);
            }
        }
        if folder == root {
            break;
        }
    }
    out
}

/// The language of a file: Terraform by its extension (`.tf`), JSON by its extension or
/// its first character, else YAML.
pub fn language_for(path: &Path, text: &str) -> crate::syntax::Language {
    crate::cli::language_for(path, text)
}

/// A hash of a file's text: the findings about a template's includes hold for the
/// text they were made on (not after `--fix` changed it).
pub fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// Whether a template's text may include files (a cheap test before parsing it).
pub fn may_include(text: &str) -> bool {
    text.contains("AWS::Include") || text.contains("DefinitionUri") || text.contains("${file(")
}

/// One include of a template and where it led.
#[derive(Debug, Clone)]
pub struct Include {
    pub facts: IncludeFacts,
    /// The include's span in the template (absolute).
    pub span: std::ops::Range<usize>,
    pub target: Result<PathBuf, Problem>,
}

/// The includes of a template (`path` canonical) resolved inside `root`.
pub fn includes(root: &Path, path: &Path, doc: &Document) -> Vec<Include> {
    includes_in(root, path, &Index::of(doc))
}

/// The includes of the document an index was joined for (its own, file 0), resolved.
pub fn includes_in(root: &Path, path: &Path, index: &Index) -> Vec<Include> {
    index
        .includes()
        .filter(|at| at.file == 0)
        .map(|at| Include {
            facts: at.item.clone(),
            span: at.abs(&at.span),
            target: resolve(root, path, &at.location),
        })
        .collect()
}

/// The findings only the links reveal, in the template: an include that leads
/// nowhere (`include-not-found`), and intrinsic functions in a file SAM uploads
/// through `DefinitionUri` without resolving them (`definition-uri-intrinsics`).
/// `target_doc` gives the document an include leads to.
pub fn link_findings<'d>(
    includes: &[Include],
    mut target_doc: impl FnMut(&Path) -> Option<&'d Document>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for include in includes {
        let location = &include.facts.location;
        match &include.target {
            Err(Problem::Missing(path)) => out.push(Finding::new(
                &crate::rules::include_not_found::RULE,
                include.span.clone(),
                format!(
                    "`{location}` does not exist (looked for {}): correct the path, relative to this template's folder.",
                    path.display()
                ),
            )),
            Err(Problem::Outside) => out.push(Finding::new(
                &crate::rules::include_not_found::RULE,
                include.span.clone(),
                format!(
                    "`{location}` leads outside the repository (or workspace): apigw-lsp does not read it; keep included files inside the project."
                ),
            )),
            Err(Problem::ItSelf) => out.push(Finding::new(
                &crate::rules::include_not_found::RULE,
                include.span.clone(),
                format!("`{location}` is this template itself: include the OpenAPI file instead."),
            )),
            Err(Problem::Unreadable(_)) => {}
            Ok(path) => {
                if include.facts.kind == IncludeKind::DefinitionUri
                    && let Some(doc) = target_doc(path)
                    && let Some(name) = first_intrinsic(doc)
                {
                    out.push(Finding::new(
                        &crate::rules::definition_uri_intrinsics::RULE,
                        include.span.clone(),
                        format!(
                            "`{location}` uses the intrinsic function `{name}`, which SAM does not resolve in a `DefinitionUri` file: include it with `DefinitionBody: {{Fn::Transform: {{Name: AWS::Include, Parameters: {{Location: {location}}}}}}}` instead."
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// The name of the first intrinsic function in a document, if any.
fn first_intrinsic(doc: &Document) -> Option<String> {
    for entry in doc.entries() {
        let mut stack: Vec<crate::syntax::NodeRef<'_>> = entry.value().into_iter().collect();
        while let Some(node) = stack.pop() {
            if let Some(intrinsic) = node.intrinsic() {
                return Some(intrinsic.name.clone());
            }
            stack.extend(node.pairs().filter_map(|p| p.value()));
            stack.extend(node.items());
        }
    }
    None
}

/// The links of a template: the parts of the files it includes, each read as the
/// OpenAPI definition of the API that includes it (file ids from 1, in `included`'s
/// order).
pub fn template_links<'d>(included: impl IntoIterator<Item = (&'d str, &'d Document)>) -> Links {
    let mut parts: Vec<Part> = Vec::new();
    for (i, (api, doc)) in included.into_iter().enumerate() {
        let file = FileId::try_from(i + 1).unwrap_or(FileId::MAX);
        parts.extend(parts_of(doc, file, Some(api)));
    }
    Links { api: None, parts }
}

/// The other Terraform files of `path`'s module (its folder): each `.tf` regular file
/// beside it, in name order. A module is one folder; its files declare each other's
/// names.
pub fn module_siblings(path: &Path) -> Vec<PathBuf> {
    let Some(dir) = path.parent() else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "tf"))
        .filter(|p| p.canonicalize().ok().as_deref() != Some(path) && p.as_path() != path)
        .collect();
    out.sort();
    out
}

/// The links of the Terraform file `this`: the parts of the other files of its module.
/// A file that declares an address `this` declares too is not of the same module
/// (Terraform refuses a duplicate resource): unrelated files that share a folder.
/// `this` and `others` are the files' parts as [`parts_of`] reads them (any file ids):
/// read once per file, they serve every file of the module.
pub fn module_links<'p>(this: &[Part], others: impl IntoIterator<Item = &'p [Part]>) -> Links {
    fn declared(parts: &[Part]) -> std::collections::HashSet<&str> {
        parts
            .iter()
            .flat_map(|p| p.facts.resources.iter().map(|r| r.name.as_str()))
            .collect()
    }
    let own = declared(this);
    let mut parts: Vec<Part> = Vec::new();
    for (i, theirs) in others.into_iter().enumerate() {
        let file = FileId::try_from(i + 1).unwrap_or(FileId::MAX);
        if declared(theirs).is_disjoint(&own) {
            parts.extend(theirs.iter().map(|p| Part {
                file,
                base: p.base,
                facts: Arc::clone(&p.facts),
            }));
        }
    }
    Links { api: None, parts }
}

/// The links of a file the API resource `api` of `template` includes.
pub fn included_links(api: &str, template: &Document) -> Links {
    Links {
        api: Some(api.to_string()),
        parts: parts_of(template, 1, None),
    }
}

/// What a scan of the workspace folders found: for each included file, the
/// templates (and their API resource) that include it.
#[derive(Debug, Default, Clone)]
pub struct Scan {
    /// Files looked at (after `.gitignore`, `[files]`, ...).
    pub files: usize,
    /// Templates that include files.
    pub templates: usize,
    pub includers: std::collections::HashMap<PathBuf, Vec<(PathBuf, String)>>,
}

impl Scan {
    /// Records (again) what the template at `path` includes, or forgets it when it no
    /// longer is a template that includes files.
    pub fn update(&mut self, root: &Path, path: &Path) {
        for list in self.includers.values_mut() {
            list.retain(|(t, _)| t != path);
        }
        self.includers.retain(|_, list| !list.is_empty());
        if let Some(t) = template_in(root, path) {
            self.add(t);
        }
    }

    fn add(&mut self, t: Template) {
        self.templates += 1;
        for include in t.includes {
            if let Ok(target) = include.target {
                self.includers
                    .entry(target)
                    .or_default()
                    .push((t.path.clone(), include.facts.api));
            }
        }
    }
}

/// A template that includes files, its includes resolved inside `root`.
fn template_in(root: &Path, path: &Path) -> Option<Template> {
    let path = path.canonicalize().ok()?;
    // A link may lead out of the root: not read.
    if !path.starts_with(root) {
        return None;
    }
    let text = read(&path).ok()?;
    if !may_include(&text) {
        return None;
    }
    let doc = Document::new(&text, language_for(&path, &text), 0);
    if model::file_kind(&doc) != FileKind::CloudFormation {
        return None;
    }
    let includes = includes(root, &path, &doc);
    (!includes.is_empty()).then_some(Template {
        path,
        doc,
        includes,
        text_hash: text_hash(&text),
    })
}

/// Scans workspace folders (canonical) for templates that include files. `allows`
/// applies the `[files]` globs; `notice` hears of what was skipped.
pub fn scan(
    roots: &[PathBuf],
    allows: &dyn Fn(&Path) -> bool,
    notice: &mut dyn FnMut(String),
) -> Scan {
    let mut out = Scan::default();
    for root in roots {
        let walked = walk(root, allows, notice);
        for problem in walked.problems {
            notice(problem);
        }
        for path in walked.files {
            out.files += 1;
            if let Some(t) = template_in(root, &path) {
                out.add(t);
            }
        }
    }
    out
}
