//! CDK cloud assemblies (`cdk.out`): the templates one holds, read from its
//! `manifest.json` rather than by globbing the folder, which also holds asset copies
//! (`asset.*`: bundled code, any YAML or JSON), asset manifests, `tree.json`, and
//! templates left over from earlier synths.
//!
//! A folder is a cloud assembly when its `manifest.json` is a JSON object with a
//! `version` string and an `artifacts` mapping (or the folder is named `cdk.out` and
//! has a `manifest.json`: then a manifest that is not one is a problem, not a reason
//! to glob). Its templates: every `aws:cloudformation:stack` artifact's
//! `properties.templateFile`; the nested stack templates those name in the
//! `aws:asset:path` metadata of their `AWS::CloudFormation::Stack` resources
//! (`Parent…1234.nested.template.json`, in the same folder), recursively; and those of
//! every `cdk:cloud-assembly` artifact (a stage's sub-assembly, `assembly-Stage/` with
//! its own `manifest.json`), recursively. Names must stay inside the assembly.
//!
//! A stack's `aws:cdk:logicalId` metadata (in the manifest, or the
//! `additionalMetadataFile` newer CDK versions write beside it) maps each logical ID
//! of its template to a construct path: reports use it for resources whose template
//! does not say (`cdk synth --no-path-metadata`, integ test snapshots).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::document::Document;
use crate::model;

/// The file that makes a folder a cloud assembly.
pub const MANIFEST: &str = "manifest.json";

/// The folder name `cdk synth` writes to by default.
pub const CDK_OUT: &str = "cdk.out";

/// Artifact types: a stack, and a stage's sub-assembly.
const STACK: &str = "aws:cloudformation:stack";
const SUB_ASSEMBLY: &str = "cdk:cloud-assembly";

/// The resource type of a nested stack.
const NESTED_STACK: &str = "AWS::CloudFormation::Stack";

/// How deep stages and nested stacks may go (a loop is refused before that).
const MAX_DEPTH: usize = 32;

/// A stack template's construct paths by logical ID, from its artifact's metadata.
pub type Constructs = HashMap<String, String>;

/// The templates of a cloud assembly, and what could not be read of it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Assembly {
    /// Stack templates, each followed by its nested stack templates, then the
    /// templates of sub-assemblies, in artifact order (by artifact id).
    pub templates: Vec<PathBuf>,
    /// Messages that name the file at fault: a manifest that is not one, a template
    /// or sub-assembly a manifest names that is not there.
    pub problems: Vec<String>,
    /// The construct paths the manifest gives a stack template's resources (not those
    /// of its nested stacks, whose logical IDs may repeat the parent's).
    pub constructs: HashMap<PathBuf, Arc<Constructs>>,
}

/// What a folder's `manifest.json` says.
enum Manifest {
    /// No `manifest.json`, or one that is not a cloud assembly's (a web app's).
    NotAssembly,
    /// Unreadable, not JSON, or without `artifacts`: the message.
    Broken(String),
    /// The `artifacts` mapping.
    Artifacts(Map<String, Value>),
}

/// Reads `dir/manifest.json`. `expected`: the folder must be an assembly (named
/// `cdk.out`, or a sub-assembly a manifest names), so anything else is a problem.
fn manifest(dir: &Path, expected: bool) -> Manifest {
    let path = dir.join(MANIFEST);
    if !path.is_file() {
        return if expected {
            Manifest::Broken(format!(
                "{}: missing; the cloud assembly has no manifest (run `cdk synth` again)",
                path.display()
            ))
        } else {
            Manifest::NotAssembly
        };
    }
    let broken = |why: String| {
        if expected {
            Manifest::Broken(format!(
                "{}: not a cloud assembly manifest ({why})",
                path.display()
            ))
        } else {
            Manifest::NotAssembly
        }
    };
    let text = match super::read(&path) {
        Ok(text) => text,
        Err(super::Problem::Unreadable(why)) => return broken(why),
        Err(_) => return broken("not readable".to_string()),
    };
    let value: Value = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
        Ok(value) => value,
        Err(e) => return broken(format!("not JSON: {e}")),
    };
    let Value::Object(mut top) = value else {
        return broken("not a JSON object".to_string());
    };
    let versioned = top.get("version").is_some_and(Value::is_string);
    match top.remove("artifacts") {
        Some(Value::Object(artifacts)) if versioned => Manifest::Artifacts(artifacts),
        // An app without stacks writes no artifacts.
        None if versioned && expected => Manifest::Artifacts(Map::new()),
        Some(_) if versioned => broken("`artifacts` is not a mapping".to_string()),
        _ if !versioned => broken("no `version`".to_string()),
        _ => broken("no `artifacts`".to_string()),
    }
}

/// Whether a folder's name is `cdk.out`.
fn named_cdk_out(dir: &Path) -> bool {
    dir.file_name().is_some_and(|n| n == CDK_OUT)
}

/// Whether `dir` is a cloud assembly, to be read by [`read`] rather than walked.
pub fn is_assembly(dir: &Path) -> bool {
    if named_cdk_out(dir) {
        return dir.join(MANIFEST).is_file();
    }
    matches!(manifest(dir, false), Manifest::Artifacts(_))
}

/// The templates of the cloud assembly `dir`, or `None` when it is not one.
pub fn read(dir: &Path) -> Option<Assembly> {
    if !is_assembly(dir) {
        return None;
    }
    let mut reader = Reader::default();
    reader.assembly(dir, 0);
    Some(reader.out)
}

#[derive(Default)]
struct Reader {
    out: Assembly,
    /// Canonical folders and templates already read: each once, and no loop.
    folders: HashSet<PathBuf>,
    files: HashSet<PathBuf>,
}

/// `name` joined to `dir` when it is a plain relative path (no `..`, not absolute):
/// what a manifest or an asset path may name.
fn inside(dir: &Path, name: &str) -> Option<PathBuf> {
    let relative = Path::new(name);
    let plain = !name.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    plain.then(|| dir.join(relative))
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

impl Reader {
    fn problem(&mut self, message: String) {
        self.out.problems.push(message);
    }

    /// The assembly in `dir` (named `cdk.out`, or reached from a manifest when `depth`
    /// is above 0).
    fn assembly(&mut self, dir: &Path, depth: usize) {
        if depth > MAX_DEPTH || !self.folders.insert(canonical(dir)) {
            return;
        }
        let expected = depth > 0 || named_cdk_out(dir);
        let artifacts = match manifest(dir, expected) {
            Manifest::Artifacts(artifacts) => artifacts,
            Manifest::Broken(message) => return self.problem(message),
            Manifest::NotAssembly => return,
        };
        let manifest = dir.join(MANIFEST);
        for (id, artifact) in &artifacts {
            let property = |name: &str| {
                artifact
                    .get("properties")
                    .and_then(|p| p.get(name))
                    .and_then(Value::as_str)
            };
            match artifact.get("type").and_then(Value::as_str) {
                Some(STACK) => {
                    let Some(file) = property("templateFile") else {
                        self.problem(format!(
                            "{}: stack `{id}` names no `properties.templateFile`",
                            manifest.display()
                        ));
                        continue;
                    };
                    match inside(dir, file) {
                        Some(path) if path.is_file() => {
                            let constructs = constructs(dir, artifact);
                            if !constructs.is_empty() {
                                self.out
                                    .constructs
                                    .insert(path.clone(), Arc::new(constructs));
                            }
                            self.template(dir, &path, depth);
                        }
                        Some(path) => self.problem(format!(
                            "{}: stack `{id}` names the template `{file}`, which does not exist ({}); run `cdk synth` again",
                            manifest.display(),
                            path.display()
                        )),
                        None => self.problem(format!(
                            "{}: stack `{id}` names the template `{file}`, which is not a file inside the assembly; not read",
                            manifest.display()
                        )),
                    }
                }
                Some(SUB_ASSEMBLY) => {
                    let Some(name) = property("directoryName") else {
                        self.problem(format!(
                            "{}: `{id}` names no `properties.directoryName`",
                            manifest.display()
                        ));
                        continue;
                    };
                    match inside(dir, name) {
                        Some(sub) if sub.is_dir() => self.assembly(&sub, depth + 1),
                        Some(sub) => self.problem(format!(
                            "{}: `{id}` names the folder `{name}`, which does not exist ({}); run `cdk synth` again",
                            manifest.display(),
                            sub.display()
                        )),
                        None => self.problem(format!(
                            "{}: `{id}` names the folder `{name}`, which is not inside the assembly; not read",
                            manifest.display()
                        )),
                    }
                }
                _ => {}
            }
        }
    }

    /// A stack template, then the nested stack templates it names, recursively.
    fn template(&mut self, dir: &Path, path: &Path, depth: usize) {
        if depth > MAX_DEPTH || !self.files.insert(canonical(path)) {
            return;
        }
        self.out.templates.push(path.to_path_buf());
        // A template that cannot be read is reported when it is checked.
        let Ok(text) = super::read(path) else { return };
        if !text.contains(NESTED_STACK) {
            return;
        }
        let doc = Document::new(&text, super::language_for(path, &text), 0);
        let nested: Vec<(String, String)> = model::resources(&doc)
            .filter(|r| r.type_name() == Some(NESTED_STACK))
            .filter_map(|r| {
                let asset = r.metadata_text(model::ASSET_PATH)?;
                Some((r.name.to_string(), asset.to_string()))
            })
            .collect();
        for (name, asset) in nested {
            match inside(dir, &asset) {
                Some(file) if file.is_file() => self.template(dir, &file, depth + 1),
                // Not a template (a folder): nothing of ours.
                Some(file) if file.exists() => {}
                Some(file) => self.problem(format!(
                    "{}: nested stack `{name}` names the template `{asset}`, which does not exist ({}); run `cdk synth` again",
                    path.display(),
                    file.display()
                )),
                None => self.problem(format!(
                    "{}: nested stack `{name}` names the template `{asset}`, which is not a file inside the assembly; not read",
                    path.display()
                )),
            }
        }
    }
}

/// The construct paths of a stack's resources: its `aws:cdk:logicalId` metadata
/// entries, `{"/Stack/Api/Resource": [{"type": "aws:cdk:logicalId", "data": "Api"}]}`,
/// in the manifest and in its `additionalMetadataFile` (when readable). A logical ID
/// given two paths is left out.
fn constructs(dir: &Path, artifact: &Value) -> Constructs {
    let side_file = artifact
        .get("additionalMetadataFile")
        .and_then(Value::as_str)
        .and_then(|name| inside(dir, name))
        .and_then(|path| super::read(&path).ok())
        .and_then(|text| serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')).ok());
    let mut paths: HashMap<String, Option<String>> = HashMap::new();
    for metadata in [artifact.get("metadata"), side_file.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
    {
        for (path, entries) in metadata {
            let construct = path.trim_start_matches('/');
            for entry in entries.as_array().into_iter().flatten() {
                if entry.get("type").and_then(Value::as_str) != Some("aws:cdk:logicalId") {
                    continue;
                }
                let Some(id) = entry.get("data").and_then(Value::as_str) else {
                    continue;
                };
                paths
                    .entry(id.to_string())
                    .and_modify(|known| {
                        if known.as_deref() != Some(construct) {
                            *known = None;
                        }
                    })
                    .or_insert_with(|| Some(construct.to_string()));
            }
        }
    }
    paths
        .into_iter()
        .filter_map(|(id, path)| Some((id, path?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_names_stay_inside() {
        let dir = Path::new("/a/cdk.out");
        assert_eq!(
            inside(dir, "S.template.json"),
            Some(PathBuf::from("/a/cdk.out/S.template.json"))
        );
        assert_eq!(
            inside(dir, "assembly-Prod"),
            Some(PathBuf::from("/a/cdk.out/assembly-Prod"))
        );
        assert_eq!(inside(dir, "../x.json"), None);
        assert_eq!(inside(dir, "/etc/passwd"), None);
        assert_eq!(inside(dir, "a/../../x.json"), None);
        assert_eq!(inside(dir, ""), None);
    }
}
