//! `check --write-baseline FILE` and `check --baseline FILE`: accept today's findings,
//! report only new ones.
//!
//! A finding's key is its file (the path as given, with `./` parts dropped and `/`
//! separators), where it is in the document ([`location`]: the resource's logical ID,
//! the OpenAPI path and method, or the top-level key), its code and its message. No
//! line or column: moving a resource, or adding lines above it, keeps its findings
//! baselined. Keys are counted, so of two identical findings with one baselined, one
//! is reported.
//!
//! The file is JSON, sorted, one finding a line:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"file": "api.yaml", "at": ["Resources", "Send"], "code": "unknown-subtype", "message": "..."},
//!     {"file": "api.yaml", "at": ["paths", "/orders", "post"], "code": "...", "message": "...", "count": 2}
//!   ]
//! }
//! ```

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::Deserialize;

use super::place;
use crate::document::Document;
use crate::rules::Finding;

/// The format version written; files of another version are refused.
pub const VERSION: u32 = 1;

/// What identifies a finding across edits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub file: String,
    pub at: Vec<String>,
    pub code: String,
    pub message: String,
}

#[derive(Deserialize)]
struct Entry {
    file: String,
    #[serde(default)]
    at: Vec<String>,
    code: String,
    message: String,
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

#[derive(Deserialize)]
struct FileFormat {
    version: u32,
    findings: Vec<Entry>,
}

/// Accepted findings, each key with how many times it occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    counts: BTreeMap<Key, usize>,
}

impl Baseline {
    pub fn from_keys(keys: impl IntoIterator<Item = Key>) -> Self {
        let mut counts = BTreeMap::new();
        for key in keys {
            *counts.entry(key).or_insert(0) += 1;
        }
        Baseline { counts }
    }

    /// Reads a baseline file's text; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: FileFormat = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| format!("not an apigw-lsp baseline: {e}"))?;
        if file.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (this apigw-lsp reads version {VERSION})",
                file.version
            ));
        }
        let mut counts = BTreeMap::new();
        for entry in file.findings {
            let key = Key {
                file: entry.file,
                at: entry.at,
                code: entry.code,
                message: entry.message,
            };
            *counts.entry(key).or_insert(0) += entry.count;
        }
        counts.retain(|_, n| *n > 0);
        Ok(Baseline { counts })
    }

    /// The file's text: sorted, one finding a line, `count` only when above one.
    pub fn to_json(&self) -> String {
        let string = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
        let lines: Vec<String> = self
            .counts
            .iter()
            .map(|(key, count)| {
                let at: Vec<String> = key.at.iter().map(|a| string(a)).collect();
                let count = if *count > 1 {
                    format!(", \"count\": {count}")
                } else {
                    String::new()
                };
                format!(
                    "    {{\"file\": {}, \"at\": [{}], \"code\": {}, \"message\": {}{count}}}",
                    string(&key.file),
                    at.join(", "),
                    string(&key.code),
                    string(&key.message)
                )
            })
            .collect();
        if lines.is_empty() {
            return format!("{{\n  \"version\": {VERSION},\n  \"findings\": []\n}}\n");
        }
        format!(
            "{{\n  \"version\": {VERSION},\n  \"findings\": [\n{}\n  ]\n}}\n",
            lines.join(",\n")
        )
    }

    /// How many findings it accepts.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Takes one finding with this key out of the baseline: `true` when it was there
    /// (the finding is accepted), `false` when it is new.
    pub fn take(&mut self, key: &Key) -> bool {
        match self.counts.get_mut(key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }
}

/// A path as baselines name it: as given, without `.` parts, with `/` separators.
pub fn normalise_path(path: &Path) -> String {
    let kept: std::path::PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let text = kept.to_string_lossy().replace('\\', "/");
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

/// How many levels of keys name a place under each top-level key: a resource
/// (`Resources`, `Name`), an OpenAPI operation (`paths`, `/orders`, `post`), a shared
/// integration (`components`, `x-amazon-apigateway-integrations`, `Name`).
fn depth(top: &str) -> usize {
    match top {
        "Resources" | "Parameters" | "Outputs" | "Conditions" | "Mappings" | "Rules" => 2,
        "paths" | "components" => 3,
        _ => 1,
    }
}

/// Where byte `offset` is, as keys from the top of the document: `["Resources",
/// "SendOrder"]`, `["paths", "/orders", "post"]`, `["openapi"]`; empty outside every
/// entry. Never a line number: the [`place::key_path`] cut at the resource, operation
/// or top-level key.
pub fn location(doc: &Document, offset: usize) -> Vec<String> {
    let keys = place::key_path(doc, offset);
    // The entry's section and key at least (a Terraform `resource` block's address).
    let entry = keys.iter().take_while(|k| k.span.is_none()).count() + 1;
    let depth = keys.first().map_or(0, |k| depth(&k.name)).max(entry);
    keys.into_iter()
        .take_while(|k| !k.index)
        .take(depth)
        .map(|k| k.name)
        .collect()
}

/// The key of a finding of `file` (already [`normalise_path`]d) in `doc`.
pub fn key(file: &str, doc: &Document, finding: &Finding) -> Key {
    Key {
        file: file.to_string(),
        at: location(doc, finding.range.start),
        code: finding.code.to_string(),
        message: finding.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Language;

    fn at(text: &str, language: Language, needle: &str) -> Vec<String> {
        let doc = Document::new(text, language, 0);
        let offset = text.find(needle).expect("needle");
        location(&doc, offset)
    }

    #[test]
    fn locations_name_resources_operations_and_top_level_keys() {
        let yaml = "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Send:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: SQS-Send\n";
        assert_eq!(at(yaml, Language::Yaml, "SQS-Send"), ["Resources", "Send"]);
        assert_eq!(
            at(yaml, Language::Yaml, "2010"),
            ["AWSTemplateFormatVersion"]
        );
        let flow = "Resources: {Send: {Type: AWS::ApiGatewayV2::Integration, Properties: {IntegrationSubtype: SQS-Send}}}\n";
        assert_eq!(at(flow, Language::Yaml, "SQS-Send"), ["Resources", "Send"]);
        let openapi = "openapi: 3.0.1\npaths:\n  /orders:\n    post:\n      x-amazon-apigateway-integration:\n        integrationSubtype: SQS-Send\n";
        assert_eq!(
            at(openapi, Language::Yaml, "SQS-Send"),
            ["paths", "/orders", "post"]
        );
        assert_eq!(at(openapi, Language::Yaml, "3.0.1"), ["openapi"]);
        let json = "{\n  \"Resources\": {\n    \"Send\": {\n      \"Type\": \"AWS::ApiGatewayV2::Integration\",\n      \"Properties\": {\"IntegrationSubtype\": \"SQS-Send\"}\n    }\n  }\n}\n";
        assert_eq!(at(json, Language::Json, "SQS-Send"), ["Resources", "Send"]);
        let json_api = "{\"openapi\": \"3.0.1\", \"paths\": {\"/orders\": {\"post\": {\"x-amazon-apigateway-integration\": {\"integrationSubtype\": \"SQS-Send\"}}}}}";
        assert_eq!(
            at(json_api, Language::Json, "SQS-Send"),
            ["paths", "/orders", "post"]
        );
    }

    fn key(file: &str, code: &str) -> Key {
        Key {
            file: file.to_string(),
            at: vec!["Resources".to_string(), "Send".to_string()],
            code: code.to_string(),
            message: "say \"what\"\n".to_string(),
        }
    }

    #[test]
    fn the_file_is_sorted_counted_and_reads_back() {
        let baseline =
            Baseline::from_keys([key("b.yaml", "x"), key("a.yaml", "y"), key("b.yaml", "x")]);
        let text = baseline.to_json();
        assert_eq!(
            text,
            "{\n  \"version\": 1,\n  \"findings\": [\n    {\"file\": \"a.yaml\", \"at\": [\"Resources\", \"Send\"], \"code\": \"y\", \"message\": \"say \\\"what\\\"\\n\"},\n    {\"file\": \"b.yaml\", \"at\": [\"Resources\", \"Send\"], \"code\": \"x\", \"message\": \"say \\\"what\\\"\\n\", \"count\": 2}\n  ]\n}\n"
        );
        let mut read = Baseline::parse(&text).expect("reads back");
        assert_eq!(read, baseline);
        assert_eq!(read.len(), 3);
        assert!(read.take(&key("b.yaml", "x")));
        assert!(read.take(&key("b.yaml", "x")));
        assert!(!read.take(&key("b.yaml", "x")), "only two were accepted");
        assert!(!read.take(&key("c.yaml", "x")));
        assert_eq!(
            Baseline::default().to_json(),
            "{\n  \"version\": 1,\n  \"findings\": []\n}\n"
        );
    }

    #[test]
    fn other_versions_and_other_json_are_refused() {
        let err = Baseline::parse("{\"version\": 2, \"findings\": []}").expect_err("version 2");
        assert!(err.contains("version 2"), "{err}");
        let err = Baseline::parse("[]").expect_err("not a baseline");
        assert!(err.contains("not an apigw-lsp baseline"), "{err}");
    }

    #[test]
    fn paths_lose_their_dot_parts() {
        assert_eq!(normalise_path(Path::new("./a/./b.yaml")), "a/b.yaml");
        assert_eq!(normalise_path(Path::new("a/../b.yaml")), "a/../b.yaml");
        assert_eq!(normalise_path(Path::new("/abs/b.yaml")), "/abs/b.yaml");
    }
}
