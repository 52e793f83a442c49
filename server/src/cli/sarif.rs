//! SARIF 2.1.0 output, as GitHub code scanning accepts it.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::Report;
use crate::rules::{RULES, Severity};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// The tool description: one SARIF rule per diagnostic code, with help text.
pub fn driver() -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.code,
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": r.explanation },
                "help": {
                    "text": format!("{}\n\nExample:\n{}\n\nFix: {}", r.explanation, r.example, r.fix),
                    "markdown": format!("{}\n\nExample:\n\n```yaml\n{}\n```\n\n**Fix:** {}", r.explanation, r.example, r.fix),
                },
                "helpUri": format!("https://github.com/apigw-lsp/apigw-lsp/blob/main/docs/diagnostics.md#{}", r.code),
                "defaultConfiguration": { "level": level(r.severity) },
            })
        })
        .collect();
    json!({
        "name": "apigw-lsp",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://github.com/apigw-lsp/apigw-lsp",
        "rules": rules,
    })
}

/// Bytes a URI may carry as they are: RFC 3986 unreserved characters and `/`.
fn keep(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
}

fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if keep(byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A file path (forward slashes) as a SARIF `artifactLocation`. GitHub code scanning
/// wants a URI relative to the repository root or an absolute `file:` URI, so an
/// absolute path becomes `file:///...` and a relative one stays relative (resolved
/// against `%SRCROOT%`, the checkout, as CodeQL writes it). Both are percent-encoded,
/// since a SARIF location is a URI rather than a file system path.
pub fn artifact_location(file: &str) -> Value {
    let bytes = file.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if drive {
        // `C:/dir/file.yaml` -> `file:///C:/dir/file.yaml`.
        let uri = format!("file:///{}:{}", &file[..1], percent_encode(&file[2..]));
        json!({ "uri": uri })
    } else if let Some(rest) = file.strip_prefix("//") {
        // A UNC path `//server/share/...`.
        json!({ "uri": format!("file://{}", percent_encode(rest)) })
    } else if file.starts_with('/') {
        json!({ "uri": format!("file://{}", percent_encode(file)) })
    } else {
        let mut relative = file;
        while let Some(rest) = relative.strip_prefix("./") {
            relative = rest.trim_start_matches('/');
        }
        json!({ "uri": percent_encode(relative), "uriBaseId": "%SRCROOT%" })
    }
}

pub fn format(reports: &[Report]) -> String {
    let results: Vec<Value> = reports
        .iter()
        .map(|r| {
            let index = RULES.iter().position(|rule| rule.code == r.code);
            let mut result = json!({
                "ruleId": r.code,
                "level": level(r.severity),
                "message": { "text": r.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(&r.file),
                        "region": {
                            "startLine": r.range.start.line + 1,
                            "startColumn": r.range.start.character + 1,
                            "endLine": r.range.end.line + 1,
                            "endColumn": r.range.end.character + 1,
                        }
                    }
                }],
            });
            if let (Some(index), Some(obj)) = (index, result.as_object_mut()) {
                obj.insert("ruleIndex".to_string(), json!(index));
            }
            // The CDK construct the finding is in, by its construct path.
            if let (Some(construct), Some(location)) = (
                &r.construct,
                result
                    .pointer_mut("/locations/0")
                    .and_then(Value::as_object_mut),
            ) {
                location.insert(
                    "logicalLocations".to_string(),
                    json!([{ "fullyQualifiedName": construct, "kind": "resource" }]),
                );
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver() },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::artifact_location;
    use serde_json::json;

    #[test]
    fn relative_paths_stay_relative_to_the_source_root() {
        assert_eq!(
            artifact_location("./templates/api.yaml"),
            json!({ "uri": "templates/api.yaml", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("my templates/ä#1.yaml"),
            json!({ "uri": "my%20templates/%C3%A4%231.yaml", "uriBaseId": "%SRCROOT%" })
        );
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        assert_eq!(
            artifact_location("/home/ci/repo/api.yaml"),
            json!({ "uri": "file:///home/ci/repo/api.yaml" })
        );
        assert_eq!(
            artifact_location("C:/work/repo/api.yaml"),
            json!({ "uri": "file:///C:/work/repo/api.yaml" })
        );
        assert_eq!(
            artifact_location("//server/share/api.yaml"),
            json!({ "uri": "file://server/share/api.yaml" })
        );
    }
}
