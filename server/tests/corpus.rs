//! The real-world corpus (`tests/corpus/real/`) as a regression test.
//!
//! Every file is analysed and its findings rendered as `file:line:col: severity[code]
//! message` lines, which must equal the reviewed `tests/corpus/expected.txt`. Run with
//! `UPDATE_EXPECT=1` to rewrite that file after a deliberate change, then review the
//! diff. A second test holds the line that matters most: templates that are known to
//! deploy (attributed CloudFormation, SAM and CDK files) get no error at all.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use apigw_lsp::analysis;
use apigw_lsp::document::Document;
use apigw_lsp::model::{self, FileKind};
use apigw_lsp::rules::{Finding, Severity};
use apigw_lsp::syntax::Language;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

/// One analysed corpus file.
struct Analysed {
    name: String,
    text: String,
    language: Language,
    findings: Vec<Finding>,
}

/// Every corpus file (the `terraform/` folder and the manifest excepted), by name.
fn analyse_corpus() -> Vec<Analysed> {
    let dir = corpus_dir().join("real");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != "MANIFEST.tsv")
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no corpus files in {}", dir.display());
    names
        .into_iter()
        .map(|name| {
            let bytes =
                fs::read(dir.join(&name)).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let language = if name.ends_with(".json") {
                Language::Json
            } else {
                Language::Yaml
            };
            let findings = analysis::analyze(&Document::new(&text, language, 0));
            Analysed {
                name,
                text,
                language,
                findings,
            }
        })
        .collect()
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

fn render(file: &Analysed, finding: &Finding) -> String {
    let (line, col) = line_col(&file.text, finding.range.start);
    let message = finding.message.replace('\n', "\\n");
    format!(
        "{}:{line}:{col}: {}[{}] {message}",
        file.name,
        finding.severity.as_str(),
        finding.code
    )
}

fn rendered(files: &[Analysed]) -> String {
    let mut out = String::new();
    for file in files {
        for finding in &file.findings {
            out.push_str(&render(file, finding));
            out.push('\n');
        }
    }
    out
}

#[test]
fn corpus_findings_match_expected() {
    let actual = rendered(&analyse_corpus());
    let path = corpus_dir().join("expected.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        fs::write(&path, &actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let expected = fs::read_to_string(&path)
        .unwrap_or_default()
        .replace("\r\n", "\n");
    if actual == expected {
        return;
    }
    let actual_lines: Vec<&str> = actual.lines().collect();
    let expected_lines: Vec<&str> = expected.lines().collect();
    let mut report = String::new();
    for line in expected_lines.iter().filter(|l| !actual_lines.contains(l)) {
        report.push_str(&format!("- {line}\n"));
    }
    for line in actual_lines.iter().filter(|l| !expected_lines.contains(l)) {
        report.push_str(&format!("+ {line}\n"));
    }
    if report.is_empty() {
        report.push_str("(same lines, different order or count)\n");
    }
    panic!(
        "corpus findings differ from {} (- expected, + actual):\n{report}\nIf the change is intended, \
         rerun with UPDATE_EXPECT=1 and review the diff of expected.txt.",
        path.display()
    );
}

/// The `format` column of MANIFEST.tsv for files known to deploy: attributed CloudFormation,
/// SAM or CDK output, not marked suspect.
fn deployable_files() -> HashMap<String, String> {
    let path = corpus_dir().join("real/MANIFEST.tsv");
    let manifest =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut out = HashMap::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [file, repo, _path, _commit, format, _subtypes, notes] = cols[..] else {
            panic!("MANIFEST.tsv: expected 7 tab-separated columns in {line:?}");
        };
        let cfn = matches!(
            format,
            "cfn-yaml" | "cfn-json" | "sam-yaml" | "openapi-yaml" | "openapi-json"
        );
        let attributed = !repo.starts_with("unknown") && !notes.contains("[unattributed]");
        let doubtful = notes.contains("[SUSPECT]") || notes.contains("[WRONG]");
        if cfn && attributed && !doubtful {
            out.insert(file.to_string(), format.to_string());
        }
    }
    out
}

#[test]
fn deployable_templates_have_no_errors() {
    let deployable = deployable_files();
    assert!(
        !deployable.is_empty(),
        "MANIFEST.tsv lists no deployable templates"
    );
    let files = analyse_corpus();
    for name in deployable.keys() {
        assert!(
            files.iter().any(|f| &f.name == name),
            "MANIFEST.tsv lists {name}, which is not in the corpus"
        );
    }
    let errors: Vec<String> = files
        .iter()
        .filter_map(|f| Some((f, deployable.get(&f.name)?)))
        .flat_map(|(f, format)| {
            f.findings
                .iter()
                .filter(|x| x.severity == Severity::Error)
                .map(move |x| format!("  {} ({format})", render(f, x)))
        })
        .collect();
    assert!(
        errors.is_empty(),
        "these templates deploy, so an error on them is a false positive of the analysis:\n{}",
        errors.join("\n")
    );
}

/// A template with integration resources that the analysis took for something else
/// would pass both tests above in silence.
#[test]
fn templates_with_integrations_are_analysed() {
    let dir = corpus_dir().join("real");
    let mut checked = 0;
    for file in analyse_corpus() {
        if !file.text.contains("AWS::ApiGatewayV2::Integration") {
            continue;
        }
        let doc = Document::new(&file.text, file.language, 0);
        assert_eq!(
            model::file_kind(&doc),
            FileKind::CloudFormation,
            "{} is not recognised as a template",
            dir.join(&file.name).display()
        );
        checked += 1;
    }
    assert!(
        checked >= 10,
        "only {checked} corpus templates have integration resources"
    );
}

/// Files the MANIFEST marks `[SUSPECT]` get the warning their note describes: the CDK
/// v1 experiments send `MessageAttributes` as `foo=bar` text, not the JSON map SQS reads.
#[test]
fn suspect_files_get_the_warning_their_note_describes() {
    let path = corpus_dir().join("real/MANIFEST.tsv");
    let manifest =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let suspects: Vec<&str> = manifest
        .lines()
        .filter(|l| l.contains("[SUSPECT]"))
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert!(!suspects.is_empty(), "no [SUSPECT] files in MANIFEST.tsv");
    let files = analyse_corpus();
    for name in suspects {
        let file = files
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("{name} missing"));
        let warned = file.findings.iter().any(|f| {
            f.code == "invalid-json-parameter" && file.text[f.range.clone()].contains('=')
        });
        assert!(
            warned,
            "{name}: expected an invalid-json-parameter warning on its `x=y` MessageAttributes"
        );
    }
}

/// The silence corpus: real, deployable templates that use HTTP or WebSocket APIs without
/// first-class integrations (WebSocket APIs, VPC links, proxies, authorizers, domains,
/// imported APIs, CDK output), marked `[silence]` in MANIFEST.tsv. Nothing in them is
/// ours to report: no error and no warning.
#[test]
fn silence_corpus_gets_no_error_or_warning() {
    let path = corpus_dir().join("real/MANIFEST.tsv");
    let manifest =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let silent: Vec<&str> = manifest
        .lines()
        .filter(|l| {
            l.split('\t')
                .nth(6)
                .is_some_and(|n| n.starts_with("[silence]"))
        })
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert!(
        silent.len() >= 25,
        "MANIFEST.tsv marks only {} files [silence]",
        silent.len()
    );
    let files = analyse_corpus();
    let mut loud = Vec::new();
    for name in &silent {
        let file = files
            .iter()
            .find(|f| &f.name == name)
            .unwrap_or_else(|| panic!("MANIFEST.tsv lists {name}, which is not in the corpus"));
        let doc = Document::new(&file.text, file.language, 0);
        assert_ne!(
            model::file_kind(&doc),
            FileKind::Other,
            "{name} is not analysed at all, so its silence proves nothing"
        );
        loud.extend(
            file.findings
                .iter()
                .filter(|f| matches!(f.severity, Severity::Error | Severity::Warning))
                .map(|f| format!("  {}", render(file, f))),
        );
    }
    assert!(
        loud.is_empty(),
        "findings on the silence corpus (false positives):\n{}",
        loud.join("\n")
    );
}
