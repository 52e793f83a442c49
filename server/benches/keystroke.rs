//! One keystroke in a big template: edit + reparse + re-analysis on an open document
//! with a warm analysis cache, and opening a template from scratch.
//!
//! Templates come from `bench/gen_template.py` (100, 1,000 and 4,000 routes as YAML,
//! 1,000 routes as JSON). They are generated once into `target/bench-data/` with
//! `python3` and reused; nothing multi-megabyte is committed.
//!
//! ```sh
//! cargo bench --bench keystroke -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! `completion/*` answers completion at the generator's authoring markers (a new
//! property, a new logical ID, empty `CredentialsArn`, `QueueUrl` and `Target` values)
//! in the 1,000-route YAML template, the index warm.
//!
//! `terraform/*`: a Terraform configuration of about 600 KB (the corpus's `.tf` files
//! repeated, block names made unique): a keystroke in a string mid-file (edit, reparse of
//! the one block, analysis), completion there (a subtype value, an expression, a
//! half-typed parameter key), opening it, and tree-sitter-hcl parsing it whole once,
//! which is what a keystroke would cost without the cut at blocks.
//!
//! `pulumi/*`: a Pulumi YAML program of 1,000 SQS integrations (about 1.1 MB, made here):
//! a keystroke in an integration's `MessageBody` (its one `resources` entry reparsed)
//! and opening it.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use apigw_lsp::analysis::Analyzer;
use apigw_lsp::document::Document;
use apigw_lsp::syntax::Language;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// The generator's marker inside `RequestParameters` of an integration mid-file.
const MARKER: &str = "params";

/// One benchmark input: the opened text (markers erased, as lspbench does) and the
/// byte offset where a character is typed.
struct Input {
    name: String,
    text: String,
    language: Language,
    cursor: usize,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn data_dir() -> PathBuf {
    // A relative CARGO_TARGET_DIR is relative to where cargo ran, taken to be the root.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| workspace_root().join(dir))
        .unwrap_or_else(|| workspace_root().join("target"));
    target.join("bench-data")
}

/// The generated template, made with `python3 bench/gen_template.py` if missing.
fn template(routes: usize, format: &str) -> String {
    generated(&format!("httpapi-{routes}.{format}"), routes, format, &[])
}

/// A template made by the generator with `extra` arguments, into `name`.
fn generated(name: &str, routes: usize, format: &str, extra: &[&str]) -> String {
    let dir = data_dir();
    let path = dir.join(name);
    if !path.exists() {
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        let script = workspace_root().join("bench").join("gen_template.py");
        let status = Command::new("python3")
            .arg(&script)
            .args(["--routes", &routes.to_string(), "--format", format])
            .args(extra)
            .arg("--out")
            .arg(&path)
            .status()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot run python3 {} to generate the benchmark templates: {e}",
                    script.display()
                )
            });
        assert!(status.success(), "{} failed: {status}", script.display());
    }
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Erases the marker like lspbench does, and finds the cursor: just after
/// `$request.` in the `MessageBody` value that follows the marker.
fn input(routes: usize, format: &str) -> Input {
    let raw = template(routes, format);
    let (language, marker): (_, fn(&str) -> String) = match format {
        "json" => (Language::Json, |name| format!("/*lspbench:{name}*/")),
        _ => (Language::Yaml, |name| format!("# lspbench:{name}")),
    };
    // The `props` marker is a key prefix in JSON: erase it too.
    let mut text = raw.replacen(&marker("props"), "", 1);
    let token = marker(MARKER);
    let at = text
        .find(&token)
        .unwrap_or_else(|| panic!("no `{token}` marker in the {routes}-route {format} template"));
    text.replace_range(at..at + token.len(), "");
    let value = text[at..]
        .find("$request.")
        .map(|i| at + i + "$request.".len())
        .expect("a `$request.` value after the marker");
    let key = text[at..].find("MessageBody").map(|i| at + i);
    assert!(
        key.is_some_and(|k| k < value),
        "the typed value should be MessageBody's"
    );
    Input {
        name: if format == "json" {
            format!("json-{routes}")
        } else {
            routes.to_string()
        },
        text,
        language,
        cursor: value,
    }
}

fn inputs() -> Vec<Input> {
    vec![
        input(100, "yaml"),
        input(1000, "yaml"),
        input(4000, "yaml"),
        input(1000, "json"),
    ]
}

/// An open document with a warm analysis cache, checked to see the typed character.
fn warm(input: &Input) -> (Document, Analyzer) {
    let mut doc = Document::new(&input.text, input.language, 1);
    let mut analyzer = Analyzer::default();
    let before = analyzer.analyze(&doc);
    doc.apply_edit(input.cursor..input.cursor, "x");
    let typed = analyzer.analyze(&doc);
    assert!(
        typed.len() > before.len(),
        "{}: typing into the value should add a finding ({} -> {})",
        input.name,
        before.len(),
        typed.len()
    );
    doc.apply_edit(input.cursor..input.cursor + 1, "");
    assert_eq!(analyzer.analyze(&doc), before, "{}: undo", input.name);
    (doc, analyzer)
}

fn keystroke(c: &mut Criterion) {
    let inputs = inputs();
    let mut group = c.benchmark_group("keystroke");
    for input in &inputs {
        // Opened on first use, so a filtered run only opens what it measures.
        let mut state: Option<(Document, Analyzer)> = None;
        group.bench_function(BenchmarkId::from_parameter(&input.name), |b| {
            let (doc, analyzer) = state.get_or_insert_with(|| warm(input));
            type_at_cursor(b, input, doc, analyzer);
        });
    }
    group.finish();
}

fn open(c: &mut Criterion) {
    let inputs = inputs();
    let mut group = c.benchmark_group("open");
    group.sample_size(10);
    for input in &inputs {
        group.bench_function(BenchmarkId::from_parameter(&input.name), |b| {
            // Dropping the document is not part of opening it.
            b.iter_with_large_drop(|| {
                let doc = Document::new(&input.text, input.language, 1);
                let mut analyzer = Analyzer::default();
                let findings = analyzer.analyze(&doc);
                (doc, analyzer, findings)
            });
        });
    }
    group.finish();
}

/// The authoring markers of the 1,000-route YAML template, each erased as lspbench
/// does (the comment, leaving `Key: ` or the indentation), with where it was.
fn authoring() -> (String, Vec<(&'static str, usize)>) {
    let mut text = generated(
        "httpapi-1000-authoring.yaml",
        1000,
        "yaml",
        &["--authoring-markers"],
    );
    let mut at = Vec::new();
    for name in ["props", "resource", "credentials", "queueurl", "target"] {
        let token = format!("# lspbench:{name}");
        let i = text
            .find(&token)
            .unwrap_or_else(|| panic!("no `{token}` in the authoring template"));
        text.replace_range(i..i + token.len(), "");
        at.push((name, i));
    }
    // Later erasures move earlier cursors only when they come before them.
    let mut out = Vec::new();
    for (k, &(name, i)) in at.iter().enumerate() {
        let shift: usize = at[k + 1..]
            .iter()
            .filter(|(_, j)| *j < i)
            .map(|(n, _)| format!("# lspbench:{n}").len())
            .sum();
        out.push((name, i - shift));
    }
    (text, out)
}

fn completion(c: &mut Criterion) {
    let (text, cursors) = authoring();
    let doc = Document::new(&text, Language::Yaml, 1);
    let mut analyzer = Analyzer::default();
    analyzer.analyze(&doc);
    let index = analyzer.index(&doc);
    let mut group = c.benchmark_group("completion");
    for (name, cursor) in cursors {
        let items = apigw_lsp::analysis::completion::complete(&doc, index, cursor);
        assert!(!items.is_empty(), "no completion at the {name} marker");
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                black_box(apigw_lsp::analysis::completion::complete(
                    &doc, index, cursor,
                ))
            });
        });
    }
    group.finish();
}

/// About 600 KB of Terraform: the corpus's `.tf` files repeated, copy `i` with `_i`
/// after every block's name (so addresses stay unique), and the cursor just inside the
/// first string value after the middle of the text.
fn terraform_input() -> Input {
    let dir = workspace_root().join("tests/corpus/real/terraform");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .collect();
    files.sort();
    let corpus: String = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect::<Vec<_>>()
        .join("\n");
    let mut text = String::new();
    let mut copy = 0;
    while text.len() < 600 * 1024 {
        for line in corpus.split_inclusive('\n') {
            // `resource "type" "name" {`, `module "name" {`: suffix the last label.
            let header =
                !line.starts_with([' ', '\t', '}', '#', '/']) && line.trim_end().ends_with('{');
            match line.rfind("\" {").filter(|_| header) {
                Some(at) => {
                    text.push_str(&line[..at]);
                    text.push_str(&format!("_{copy}"));
                    text.push_str(&line[at..]);
                }
                None => text.push_str(line),
            }
        }
        text.push('\n');
        copy += 1;
    }
    let cursor = text[text.len() / 2..]
        .find("= \"")
        .map(|i| text.len() / 2 + i + "= \"".len())
        .expect("a string value after the middle");
    Input {
        name: format!("tf-{}k", text.len() / 1024),
        text,
        language: Language::Terraform,
        cursor,
    }
}

fn terraform(c: &mut Criterion) {
    let input = terraform_input();
    let mut doc = Document::new(&input.text, input.language, 1);
    assert!(
        doc.syntax_errors().is_empty(),
        "the generated Terraform has syntax errors: {:?}",
        doc.syntax_errors()
    );
    let blocks = doc.entries().count();
    assert!(blocks > 1000, "only {blocks} blocks");
    let mut analyzer = Analyzer::default();
    analyzer.analyze(&doc);
    let mut group = c.benchmark_group("terraform");
    bench_keystroke(&mut group, &input, &mut doc, &mut analyzer);
    // Completion after the middle: a subtype value, a parameter value's expression, and
    // a parameter key being typed on a line of its own (the line repaired, its block
    // parsed alone).
    let after = |needle: &str| {
        let mid = input.text.len() / 2;
        input.text[mid..]
            .find(needle)
            .map(|i| mid + i + needle.len())
            .unwrap_or_else(|| panic!("no {needle:?} after the middle"))
    };
    let mut typed = Document::new(&input.text, input.language, 1);
    let line = after("request_parameters = {\n");
    typed.apply_edit(line..line, "    Mes\n");
    let mut typed_analyzer = Analyzer::default();
    typed_analyzer.analyze(&typed);
    let mut bench_at = |name: &str, doc: &Document, index, cursor: usize| {
        let items = apigw_lsp::analysis::completion::complete(doc, index, cursor);
        assert!(!items.is_empty(), "no Terraform completion at {name}");
        group.bench_function(BenchmarkId::new("completion", name), |b| {
            b.iter(|| {
                black_box(apigw_lsp::analysis::completion::complete(
                    doc, index, cursor,
                ))
            });
        });
    };
    let index = analyzer.index(&doc);
    bench_at("subtype", &doc, index, after("integration_subtype = \""));
    bench_at("expression", &doc, index, after("= \"$request."));
    let index = typed_analyzer.index(&typed);
    bench_at("half-typed-key", &typed, index, line + "    Mes".len());
    bench_open(&mut group, &input);
    let rope = ropey::Rope::from_str(&input.text);
    group.bench_function(BenchmarkId::new("parse-whole", &input.name), |b| {
        b.iter_with_large_drop(|| {
            apigw_lsp::syntax::parse_rope_range(
                Language::Terraform,
                &rope,
                0..rope.len_bytes(),
                None,
            )
        });
    });
    group.finish();
}

/// A Pulumi YAML program with `routes` SQS integrations (queue, role with an inline
/// policy, integration, route each; about 1.1 KB a route) on one API, and the cursor just
/// after `$request.` in the `MessageBody` of the middle one.
fn pulumi_input(routes: usize) -> Input {
    let mut text = String::from(
        "name: bench\nruntime: yaml\nresources:\n  api:\n    type: aws:apigatewayv2:Api\n    properties:\n      protocolType: HTTP\n  stage:\n    type: aws:apigatewayv2:Stage\n    properties:\n      apiId: ${api.id}\n      name: $default\n      autoDeploy: true\n",
    );
    let mut cursor = 0;
    for i in 0..routes {
        text.push_str(&format!(
            "  orders{i}:\n    type: aws:sqs:Queue\n  role{i}:\n    type: aws:iam:Role\n    properties:\n      assumeRolePolicy:\n        fn::toJSON:\n          Version: 2012-10-17\n          Statement:\n            - Effect: Allow\n              Principal:\n                Service: apigateway.amazonaws.com\n              Action: sts:AssumeRole\n      inlinePolicies:\n        - name: send\n          policy:\n            fn::toJSON:\n              Version: 2012-10-17\n              Statement:\n                - Effect: Allow\n                  Action: sqs:SendMessage\n                  Resource: ${{orders{i}.arn}}\n  send{i}:\n    type: aws:apigatewayv2:Integration\n    properties:\n      apiId: ${{api.id}}\n      integrationType: AWS_PROXY\n      integrationSubtype: SQS-SendMessage\n      credentialsArn: ${{role{i}.arn}}\n      requestParameters:\n        QueueUrl: ${{orders{i}.url}}\n        MessageBody: $request."
        ));
        if i == routes / 2 {
            cursor = text.len();
        }
        text.push_str(&format!(
            "body\n  route{i}:\n    type: aws:apigatewayv2:Route\n    properties:\n      apiId: ${{api.id}}\n      routeKey: POST /orders/{i}\n      target: integrations/${{send{i}.id}}\n"
        ));
    }
    Input {
        name: format!("pulumi-{routes}"),
        text,
        language: Language::Yaml,
        cursor,
    }
}

/// A keystroke in a big Pulumi program (edit, reparse of its one resource, analysis),
/// and opening it.
fn pulumi(c: &mut Criterion) {
    let input = pulumi_input(1000);
    let (mut doc, mut analyzer) = warm(&input);
    assert!(analyzer.analyze(&doc).is_empty(), "the program is clean");
    assert!(
        doc.segment_count() > 4000,
        "{} segments",
        doc.segment_count()
    );
    let mut group = c.benchmark_group("pulumi");
    bench_keystroke(&mut group, &input, &mut doc, &mut analyzer);
    bench_open(&mut group, &input);
    group.finish();
}

type Group<'a> = criterion::BenchmarkGroup<'a, criterion::measurement::WallTime>;

/// `keystroke/<input>`: a character typed at the cursor of the open `doc` (edit, reparse,
/// analysis; undone outside the measurement).
fn bench_keystroke(
    group: &mut Group<'_>,
    input: &Input,
    doc: &mut Document,
    analyzer: &mut Analyzer,
) {
    group.bench_function(BenchmarkId::new("keystroke", &input.name), |b| {
        type_at_cursor(b, input, doc, analyzer);
    });
    assert_eq!(doc.text(), input.text);
}

/// Times typing a character at the input's cursor on the open `doc`: the edit, the
/// reparse and the analysis.
fn type_at_cursor(
    b: &mut criterion::Bencher<'_>,
    input: &Input,
    doc: &mut Document,
    analyzer: &mut Analyzer,
) {
    b.iter_custom(|iters| {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let start = Instant::now();
            doc.apply_edit(input.cursor..input.cursor, "x");
            black_box(analyzer.analyze(doc));
            total += start.elapsed();
            // Undo, outside the measurement, so the document does not grow.
            doc.apply_edit(input.cursor..input.cursor + 1, "");
            black_box(analyzer.analyze(doc));
        }
        total
    });
}

/// `open/<input>`: the input opened and analysed from scratch (10 samples from here on).
fn bench_open(group: &mut Group<'_>, input: &Input) {
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("open", &input.name), |b| {
        b.iter_with_large_drop(|| {
            let doc = Document::new(&input.text, input.language, 1);
            let mut analyzer = Analyzer::default();
            let findings = analyzer.analyze(&doc);
            (doc, analyzer, findings)
        });
    });
}

criterion_group!(benches, keystroke, open, completion, terraform, pulumi);
criterion_main!(benches);
