//! Authoring completions on the real corpus (`tests/corpus/real/`): property names in
//! every API Gateway resource, and a scaffold inserted into every template, which must
//! add no error to a template that deploys.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use apigw_lsp::analysis::{self, completion, features::snippet_text};
use apigw_lsp::document::Document;
use apigw_lsp::model::index::Index;
use apigw_lsp::rules::Severity;
use apigw_lsp::syntax::Language;

fn corpus() -> Vec<(String, String, Language)> {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real");
    let mut out = Vec::new();
    for entry in fs::read_dir(&dir).expect("corpus folder").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let language = match name.rsplit('.').next() {
            Some("json") => Language::Json,
            Some("yaml" | "yml") => Language::Yaml,
            _ => continue,
        };
        let Ok(text) = fs::read_to_string(entry.path()) else {
            continue;
        };
        out.push((name, text, language));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() > 50, "corpus not found in {}", dir.display());
    out
}

/// Error findings by code.
fn errors(text: &str, language: Language) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for f in analysis::analyze(&Document::new(text, language, 0)) {
        if f.severity == Severity::Error {
            *out.entry(f.code).or_default() += 1;
        }
    }
    out
}

/// The text after accepting the item labelled `label` at `offset` (with the defaults of
/// its placeholders), or `None` when there is no such item.
fn accept(text: &str, language: Language, offset: usize, label: &str) -> Option<String> {
    let doc = Document::new(text, language, 0);
    let index = Index::of(&doc);
    let items = completion::complete(&doc, &index, offset);
    let item = items.into_iter().find(|i| i.label == label)?;
    let insert = if item.is_snippet {
        snippet_text(&item.insert_text)
    } else {
        item.insert_text
    };
    let mut out = text.to_string();
    out.replace_range(item.replace, &insert);
    Some(out)
}

#[test]
fn property_names_in_every_api_gateway_resource_of_the_yaml_corpus() {
    let mut checked = 0;
    for (name, text, language) in corpus() {
        // Serverless Framework files (`resources.Resources`) are issue 16's.
        if language != Language::Yaml || name.contains("serverless.y") {
            continue;
        }
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(type_name) = line.trim().strip_prefix("Type: ") else {
                continue;
            };
            let type_name = type_name.trim().trim_matches(['\'', '"']);
            if !matches!(
                type_name,
                "AWS::ApiGatewayV2::Integration"
                    | "AWS::ApiGatewayV2::Route"
                    | "AWS::ApiGatewayV2::Stage"
                    | "AWS::ApiGatewayV2::Api"
            ) {
                continue;
            }
            // The `Properties:` line after the type, and the indentation of its members.
            let type_indent = line.len() - line.trim_start().len();
            let Some(p) = (i + 1..lines.len().min(i + 4)).find(|&j| {
                lines[j].trim_end() == format!("{}Properties:", " ".repeat(type_indent))
            }) else {
                continue;
            };
            let Some(first) = lines.get(p + 1) else {
                continue;
            };
            let indent = first.len() - first.trim_start().len();
            if indent <= type_indent {
                continue;
            }
            let at: usize = lines[..=p].iter().map(|l| l.len()).sum();
            let mut edited = text.clone();
            let new_line = format!("{}\n", " ".repeat(indent));
            edited.insert_str(at, &new_line);
            let doc = Document::new(&edited, language, 0);
            let index = Index::of(&doc);
            let items = completion::complete(&doc, &index, at + indent);
            assert!(
                !items.is_empty(),
                "{name}:{}: no property for {type_name}",
                p + 2
            );
            // What the resource has already is not offered again.
            let props: Vec<&str> = lines[p + 1..]
                .iter()
                .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() >= indent)
                .filter(|l| l.len() - l.trim_start().len() == indent)
                .filter_map(|l| l.trim().split(':').next())
                .collect();
            for item in &items {
                assert!(
                    !props.contains(&item.label.as_str()),
                    "{name}:{}: {} is present already",
                    p + 2,
                    item.label
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 60, "only {checked} resources checked");
}

#[test]
fn a_scaffold_adds_no_error_to_any_template() {
    let mut checked = 0;
    for (name, text, language) in corpus() {
        // The line after the `Resources` key, and the indentation of the first resource.
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let Some(header) = lines.iter().position(|l| match language {
            Language::Yaml => l.trim_end() == "Resources:",
            Language::Json => {
                let t = l.trim();
                t.starts_with("\"Resources\"") && t.ends_with('{')
            }
            // The corpus read here has no Terraform files.
            Language::Terraform => false,
        }) else {
            continue;
        };
        let Some(first) = lines[header + 1..]
            .iter()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        else {
            continue;
        };
        let indent = first.len() - first.trim_start().len();
        let at: usize = lines[..=header].iter().map(|l| l.len()).sum();
        if indent == 0 || first.trim_start().starts_with('}') {
            continue;
        }
        let mut edited = text.clone();
        edited.insert_str(at, &format!("{}\n", " ".repeat(indent)));
        let before = errors(&text, language);
        for label in [
            "SQS-SendMessage integration",
            "EventBridge-PutEvents integration",
        ] {
            let Some(after) = accept(&edited, language, at + indent, label) else {
                panic!("{name}: no {label}");
            };
            if language == Language::Json {
                serde_json::from_str::<serde_json::Value>(&after)
                    .unwrap_or_else(|e| panic!("{name}: {label} breaks the JSON: {e}\n{after}"));
            }
            assert_eq!(errors(&after, language), before, "{name}: {label}\n{after}");
        }
        checked += 1;
    }
    assert!(checked >= 55, "only {checked} templates checked");
}
