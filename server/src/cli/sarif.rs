//! SARIF 2.1.0 output, as GitHub code scanning accepts it.

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
                        "artifactLocation": { "uri": r.file.trim_start_matches("./") },
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
