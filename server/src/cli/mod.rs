//! `apigw-lsp check`: the same analysis as the server, for CI, as text, JSON or SARIF;
//! `--fix` applies the editor's quick fixes that need no choice (`fix.rs`, with
//! `--diff` printing them instead, `diff.rs`), and a baseline file accepts existing
//! findings (`baseline.rs`). Settings come from the nearest `.apigw-lsp.toml`
//! (`configs.rs`).

pub mod baseline;
pub mod configs;
pub mod diff;
pub mod fix;
mod links;
mod parallel;
pub mod place;
pub mod sarif;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis::Analyzer;
use crate::config::{self, Config};
use crate::document::Document;
use crate::model::{self, FileKind};
use crate::position::{self, PositionEncoding};
use crate::rules::{Finding, Severity};
use crate::syntax::Language;
use crate::workspace::Walked;
use crate::workspace::assembly::Constructs;
use baseline::Baseline;
use configs::Configs;
use place::Places;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

impl Format {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "text" => Some(Format::Text),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            _ => None,
        }
    }
}

/// A zero-based position in UTF-16 code units, as LSP counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct JsonPosition {
    pub line: u32,
    pub character: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonRange {
    pub start: JsonPosition,
    pub end: JsonPosition,
}

/// One finding, located in a file, and in its resource (see [`place::Place`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub file: String,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub range: JsonRange,
    /// The logical ID of the resource it is in (a Terraform resource's address).
    #[serde(rename = "logicalId", skip_serializing_if = "Option::is_none")]
    pub logical_id: Option<String>,
    /// The keys from the resource (else the top of the document) to the value at
    /// fault: `Properties/RequestParameters/QueueUrl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The resource's CDK construct path (`aws:cdk:path` in its `Metadata`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub construct: Option<String>,
}

/// Picks the grammar: `.tf` files are Terraform; `.json` files and files whose first
/// non-blank byte is `{` JSON; the rest YAML.
pub fn language_for(path: &Path, text: &str) -> Language {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tf"))
    {
        return Language::Terraform;
    }
    let json_ext = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json_ext
        || text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
    {
        Language::Json
    } else {
        Language::Yaml
    }
}

/// Analyses one file's text and locates its findings (honouring inline suppressions).
pub fn check_text(display: &str, path: &Path, text: &str) -> Vec<Report> {
    check_text_with(display, path, text, &Config::default())
}

/// Like [`check_text`], with severity overrides applied.
pub fn check_text_with(display: &str, path: &Path, text: &str, config: &Config) -> Vec<Report> {
    let checked = Checked::new(
        path,
        text.to_string(),
        config,
        &links::FileLinks::default(),
        None,
    );
    checked
        .findings
        .iter()
        .map(|f| report(display, &checked.doc, &checked.places, f))
        .collect()
}

fn report(file: &str, doc: &Document, places: &Places, finding: &Finding) -> Report {
    let range = position::span_to_range(doc.rope(), finding.range.clone(), PositionEncoding::Utf16);
    let place = places.place(doc, finding.range.start);
    Report {
        file: file.to_string(),
        code: finding.code,
        severity: finding.severity,
        message: finding.message.clone(),
        logical_id: place.logical_id,
        path: place.path,
        construct: place.construct,
        range: JsonRange {
            start: JsonPosition {
                line: range.start.line,
                character: range.start.character,
            },
            end: JsonPosition {
                line: range.end.line,
                character: range.end.character,
            },
        },
    }
}

/// Expands folders into the template-like files they contain, sorted (see
/// [`crate::workspace::walk`]: `.gitignore`, hidden, dependency and build folders and
/// files over 10 MB are left out, and a CDK cloud assembly gives its stack templates;
/// `notice` hears of what was skipped; the problems of cloud assemblies and the
/// construct paths their manifests give come with the files).
pub fn collect_files(paths: &[PathBuf], notice: &mut dyn FnMut(String)) -> Result<Walked, String> {
    let mut out = Walked::default();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if meta.is_dir() {
            let walked = crate::workspace::walk(path, &|_| true, notice);
            out.files.extend(walked.files);
            out.problems.extend(walked.problems);
            out.constructs.extend(walked.constructs);
        } else {
            out.files.push(path.clone());
        }
    }
    Ok(out)
}

/// Reads a file as UTF-8 (a leading BOM is kept; the parser treats it as text).
pub fn read_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    decode(path, bytes)
}

/// A file's bytes as text, or the message that names the file when they are not UTF-8.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: not valid UTF-8 (first bad byte at offset {}); templates must be UTF-8 text",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// `text` for a line of text output: control characters (a line break in a multi-line
/// value quoted in a message, an escape sequence in a template or a file name) are
/// written escaped, as `\n` or `\u{1b}`, so each finding stays one line and a template
/// cannot send terminal escapes. Tabs stay.
fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    let escaped = |c: char| c.is_control() && c != '\t';
    if !text.chars().any(escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One line per finding: `path:line:col: severity[code] message`, and
/// ` (construct PATH)` when the resource has a CDK construct path.
pub fn format_text(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        let _ = write!(
            out,
            "{}:{}:{}: {}[{}] {}",
            one_line(&r.file),
            r.range.start.line + 1,
            r.range.start.character + 1,
            r.severity.as_str(),
            r.code,
            one_line(&r.message)
        );
        if let Some(construct) = &r.construct {
            let _ = write!(out, " (construct {})", one_line(construct));
        }
        out.push('\n');
    }
    out
}

pub fn format_json(reports: &[Report]) -> String {
    serde_json::to_string_pretty(reports).unwrap_or_else(|_| "[]".to_string())
}

const USAGE: &str = "usage: apigw-lsp check [--format text|json|sarif] [--fix [--diff]] [--baseline FILE | --write-baseline FILE] [--ignore CODE]... [--severity CODE=LEVEL]... [--config FILE] [--jobs N] PATH...";

const CHECK_HELP: &str = "Checks CloudFormation/SAM templates, OpenAPI documents and Terraform files (files or
folders, walked for .yaml, .yml, .json, .template and .tf; a CDK cloud assembly such as cdk.out
is read by its manifest.json: its stack, nested stack and stage templates).

  --format text|json|sarif  output format (default text; text ends with a summary on stderr)
  --fix                     apply the quick fixes that need no choice, then report what remains
  --diff                    with --fix: print the fixes as a unified diff (apply it with
                            `patch -p0` or `git apply -p0`) and change no file
  --write-baseline FILE     record the current findings in FILE and exit 0
  --baseline FILE           report only findings that FILE does not record
  --ignore CODE             turn a code off (repeatable)
  --severity CODE=LEVEL     error, warning, information, hint or off (repeatable)
  --config FILE             settings file instead of the nearest .apigw-lsp.toml
  -j, --jobs N              check N files at a time (default: RAYON_NUM_THREADS, else one per
                            core); the output is the same for any N

Settings come from the nearest .apigw-lsp.toml above each file (up to the folder holding .git),
or from --config FILE; --ignore and --severity go on top.
Exit code: 0 no errors (after overrides and the baseline), 1 error findings, 2 usage or I/O problem.";

/// Splits `--name value` and `--name=value`: the value of option `name` at `arg`,
/// taking the next argument when needed. `None` when `arg` is not that option;
/// `Some(None)` when its value is missing.
fn option_value<'a>(
    name: &str,
    arg: &'a str,
    iter: &mut std::slice::Iter<'a, String>,
) -> Option<Option<&'a str>> {
    if arg == name {
        Some(iter.next().map(String::as_str))
    } else {
        arg.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('='))
            .map(Some)
    }
}

/// What `check` was asked to do.
#[derive(Debug, Default)]
struct Options {
    format: Option<Format>,
    paths: Vec<PathBuf>,
    flags: Config,
    config_file: Option<PathBuf>,
    fix: bool,
    diff: bool,
    baseline: Option<PathBuf>,
    write_baseline: Option<PathBuf>,
    /// `--jobs N`: threads that check files.
    jobs: Option<std::num::NonZeroUsize>,
}

/// Reads the arguments; `Err` holds the exit code after help (0) or a usage problem
/// (2), whose message is already written.
fn parse_options(
    args: &[String],
    stdout: &mut dyn std::io::Write,
    stderr: &mut dyn std::io::Write,
) -> Result<Options, i32> {
    fn usage(stderr: &mut dyn std::io::Write, message: &str) -> Result<Options, i32> {
        let _ = writeln!(stderr, "apigw-lsp check: {message}\n{USAGE}");
        Err(2)
    }
    let mut o = Options::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(value) = option_value("--ignore", arg, &mut iter) {
            let Some(code) = value else {
                return usage(stderr, "--ignore takes a code");
            };
            if let Err(e) = o.flags.set(code, "off") {
                let _ = writeln!(stderr, "apigw-lsp check: --ignore: {e}; ignored");
            }
            continue;
        }
        if let Some(value) = option_value("--severity", arg, &mut iter) {
            let Some((code, level)) = value.and_then(|v| v.split_once('=')) else {
                return usage(stderr, "--severity takes CODE=LEVEL");
            };
            if let Err(e) = o.flags.set(code, level) {
                let _ = writeln!(stderr, "apigw-lsp check: --severity: {e}; ignored");
            }
            continue;
        }
        let files: [(&str, &mut Option<PathBuf>); 3] = [
            ("--config", &mut o.config_file),
            ("--baseline", &mut o.baseline),
            ("--write-baseline", &mut o.write_baseline),
        ];
        let mut matched = false;
        for (name, slot) in files {
            if let Some(value) = option_value(name, arg, &mut iter) {
                let Some(file) = value.filter(|v| !v.is_empty()) else {
                    return usage(stderr, &format!("{name} takes a file"));
                };
                *slot = Some(PathBuf::from(file));
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        if let Some(value) = option_value("--format", arg, &mut iter)
            .or_else(|| (arg == "-f").then(|| iter.next().map(String::as_str)))
        {
            match value.and_then(Format::parse) {
                Some(f) => o.format = Some(f),
                None => return usage(stderr, "--format takes text, json or sarif"),
            }
            continue;
        }
        if let Some(value) = option_value("--jobs", arg, &mut iter)
            .or_else(|| (arg == "-j").then(|| iter.next().map(String::as_str)))
        {
            match value.and_then(|v| v.parse().ok()) {
                Some(n) => o.jobs = Some(n),
                None => return usage(stderr, "--jobs takes a number of threads, 1 or more"),
            }
            continue;
        }
        match arg.as_str() {
            "--fix" => o.fix = true,
            "--diff" => o.diff = true,
            "-h" | "--help" => {
                let _ = writeln!(stdout, "{USAGE}\n\n{CHECK_HELP}");
                return Err(0);
            }
            "--" => o.paths.extend(iter.by_ref().map(PathBuf::from)),
            s if s.starts_with('-') && s.len() > 1 => {
                return usage(stderr, &format!("unknown option `{s}`"));
            }
            _ => o.paths.push(PathBuf::from(arg)),
        }
    }
    if o.paths.is_empty() {
        return usage(stderr, "no files given");
    }
    // `--diff` shows what `--fix` would do.
    o.fix |= o.diff;
    if o.diff && o.format.is_some_and(|f| f != Format::Text) {
        return usage(
            stderr,
            "--diff prints a diff on stdout; it does not go with --format json or sarif",
        );
    }
    if o.baseline.is_some() && o.write_baseline.is_some() {
        return usage(stderr, "use --baseline or --write-baseline, not both");
    }
    if o.diff && o.write_baseline.is_some() {
        return usage(
            stderr,
            "--write-baseline records the files as they are; it does not go with --diff",
        );
    }
    Ok(o)
}

/// `n thing` or `n things`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Runs `check` with the arguments after `check`; prints to stdout/stderr and
/// returns the exit code (0 clean, 1 error findings, 2 usage or I/O problem).
pub fn run(
    args: &[String],
    stdout: &mut dyn std::io::Write,
    stderr: &mut dyn std::io::Write,
) -> i32 {
    let options = match parse_options(args, stdout, stderr) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let format = options.format.unwrap_or(Format::Text);
    let mut configs = match Configs::new(
        options.flags.clone(),
        options.config_file.as_deref(),
        &mut |m| {
            let _ = writeln!(stderr, "apigw-lsp check: {m}");
        },
    ) {
        Ok(configs) => configs,
        Err(err) => {
            let _ = writeln!(stderr, "apigw-lsp check: {err}");
            return 2;
        }
    };
    let mut baseline = match &options.baseline {
        Some(path) => {
            let read = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read: {e}"))
                .and_then(|text| Baseline::parse(&text));
            match read {
                Ok(baseline) => Some(baseline),
                Err(err) => {
                    let _ = writeln!(stderr, "apigw-lsp check: {}: {err}", path.display());
                    return 2;
                }
            }
        }
        None => None,
    };

    // Every file and its settings first, so that a problem there changes no file.
    let mut jobs: Vec<(usize, PathBuf, Config)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // Per path argument: a cloud assembly in it could not be read whole.
    let mut assembly_problems = vec![false; options.paths.len()];
    let mut constructs: std::collections::HashMap<PathBuf, std::sync::Arc<Constructs>> =
        std::collections::HashMap::new();
    for (index, path) in options.paths.iter().enumerate() {
        let walked = path.is_dir();
        let collected = match collect_files(std::slice::from_ref(path), &mut |m| {
            let _ = writeln!(stderr, "apigw-lsp check: {m}");
        }) {
            Ok(collected) => collected,
            Err(err) => {
                let _ = writeln!(stderr, "apigw-lsp check: {err}");
                return 2;
            }
        };
        for problem in &collected.problems {
            let _ = writeln!(stderr, "apigw-lsp check: {problem}");
        }
        if let Some(flag) = assembly_problems.get_mut(index) {
            *flag = !collected.problems.is_empty();
        }
        constructs.extend(collected.constructs);
        for file in collected.files {
            // `[files]` globs choose among the files found in folders; a file named
            // on the command line is checked.
            if walked
                && !configs.allows(&file, &mut |m| {
                    let _ = writeln!(stderr, "apigw-lsp check: {m}");
                })
            {
                continue;
            }
            if !seen.insert(baseline::normalise_path(&file)) {
                continue;
            }
            let config = match configs.for_file(&file, &mut |m| {
                let _ = writeln!(stderr, "apigw-lsp check: {m}");
            }) {
                Ok(config) => config,
                Err(err) => {
                    let _ = writeln!(stderr, "apigw-lsp check: {err}");
                    return 2;
                }
            };
            jobs.push((index, file, config));
        }
    }

    // Each file is read, analysed (and fixed) by a worker; the outcomes are added up
    // below in the order of `jobs`, so the output is the same whatever the threads.
    let mode = Mode {
        fix: options.fix,
        diff: options.diff,
    };
    let threads = parallel::threads(options.jobs);
    // Templates and the files they include are checked together.
    let files: Vec<PathBuf> = jobs.iter().map(|(_, file, _)| file.clone()).collect();
    let explicit: Vec<bool> = jobs
        .iter()
        .map(|(index, _, _)| options.paths.get(*index).is_some_and(|p| p.is_file()))
        .collect();
    let linked = links::plan(&files, &explicit, threads, &mut |m| {
        let _ = writeln!(stderr, "apigw-lsp check: {m}");
    });
    let work: Vec<(&PathBuf, &Config, &links::FileLinks, Option<&Constructs>)> = jobs
        .iter()
        .zip(&linked)
        .map(|((_, file, config), links)| {
            let manifest = constructs.get(file).map(|c| c.as_ref());
            (file, config, links, manifest)
        })
        .collect();
    let units = parallel::units(
        jobs.iter().map(|(_, file, _)| file.as_path()),
        mode.writes(),
    );
    let outcomes = parallel::map_in_order(
        &work,
        &units,
        threads,
        |(file, config, links, constructs)| check_file(file, config, mode, links, *constructs),
    );

    let mut reports = Vec::new();
    let mut keys = Vec::new();
    let mut io_error = assembly_problems.contains(&true);
    let mut templates = 0;
    let mut skipped = 0;
    // Per path argument: whether it held a template, whether a file could not be read
    // (or a cloud assembly, already said).
    let mut found: Vec<(bool, bool)> = assembly_problems.iter().map(|&p| (false, p)).collect();
    let mut fixed = 0;
    let mut fixed_files = 0;
    let mut overlapping = 0;
    let mut more = 0;
    let mut diffs = String::new();
    for ((index, _, _), outcome) in jobs.iter().zip(outcomes) {
        let checked = match outcome {
            Outcome::Unreadable(err) => {
                let _ = writeln!(stderr, "apigw-lsp check: {err}");
                io_error = true;
                found[*index].1 = true;
                continue;
            }
            Outcome::Skipped => {
                skipped += 1;
                continue;
            }
            Outcome::Checked(checked) => checked,
        };
        templates += 1;
        found[*index].0 = true;
        overlapping += checked.overlapping;
        if let Some(err) = &checked.write_error {
            let _ = writeln!(stderr, "apigw-lsp check: {err}");
            io_error = true;
        }
        if checked.fixed_file {
            fixed += checked.fixed;
            fixed_files += 1;
            more += checked.more;
        }
        diffs.push_str(&checked.diff);
        reports.extend(checked.reports);
        keys.extend(checked.keys);
    }
    for (path, (template, unreadable)) in options.paths.iter().zip(&found) {
        if !template && !unreadable {
            let _ = writeln!(
                stderr,
                "apigw-lsp check: {}: no CloudFormation/SAM template or OpenAPI document with x-amazon-apigateway- extensions found",
                path.display()
            );
        }
    }

    if let Some(path) = &options.write_baseline {
        let written = Baseline::from_keys(keys.iter().cloned());
        match std::fs::write(path, written.to_json()) {
            Ok(()) => {
                let _ = writeln!(
                    stderr,
                    "apigw-lsp check: {}: recorded {}",
                    path.display(),
                    count(written.len(), "finding", "findings")
                );
                baseline = Some(written);
            }
            Err(err) => {
                let _ = writeln!(
                    stderr,
                    "apigw-lsp check: {}: cannot write the baseline: {err}",
                    path.display()
                );
                io_error = true;
            }
        }
    }
    let mut baselined = 0;
    if let Some(baseline) = &mut baseline {
        let mut kept = Vec::with_capacity(reports.len());
        for (report, key) in reports.into_iter().zip(&keys) {
            if baseline.take(key) {
                baselined += 1;
            } else {
                kept.push(report);
            }
        }
        reports = kept;
    }

    if options.diff {
        let _ = write!(stdout, "{diffs}");
    } else {
        let output = match format {
            Format::Text => format_text(&reports),
            Format::Json => format_json(&reports),
            Format::Sarif => sarif::format(&reports),
        };
        let _ = write!(stdout, "{output}");
        if format != Format::Text {
            let _ = writeln!(stdout);
        }
    }
    if format == Format::Text {
        if options.fix {
            let mut line = format!(
                "apigw-lsp check: {} {} in {}",
                if options.diff { "would fix" } else { "fixed" },
                count(fixed, "finding", "findings"),
                count(fixed_files, "file", "files")
            );
            if more > 0 {
                let _ = write!(
                    line,
                    "; {} can be fixed by running --fix again",
                    count(more, "more finding", "more findings")
                );
                if overlapping > 0 {
                    let _ = write!(line, " ({overlapping} overlapped a fix made in this run)");
                }
            }
            let _ = writeln!(stderr, "{line}");
        }
        let of = |s: Severity| reports.iter().filter(|r| r.severity == s).count();
        let mut line = format!(
            "apigw-lsp check: {} checked",
            count(templates, "file", "files")
        );
        if skipped > 0 {
            let _ = write!(
                line,
                " ({} skipped: not a template)",
                count(skipped, "other file", "other files")
            );
        }
        let _ = write!(
            line,
            ", {}, {}",
            count(of(Severity::Error), "error", "errors"),
            count(of(Severity::Warning), "warning", "warnings")
        );
        let notes = of(Severity::Information) + of(Severity::Hint);
        if notes > 0 {
            let _ = write!(line, ", {}", count(notes, "note", "notes"));
        }
        if baselined > 0 {
            let _ = write!(line, " ({baselined} baselined)");
        }
        let _ = writeln!(stderr, "{line}");
    }
    if io_error {
        2
    } else if reports.iter().any(|r| r.severity == Severity::Error) {
        1
    } else {
        0
    }
}

/// What `--fix` and `--diff` ask of each file.
#[derive(Debug, Clone, Copy)]
struct Mode {
    fix: bool,
    diff: bool,
}

impl Mode {
    /// Whether files are written: then two names of one file must not be fixed at once.
    fn writes(self) -> bool {
        self.fix && !self.diff
    }
}

/// What checking one file gave; a worker makes it, `run` prints it in input order.
enum Outcome {
    /// Not read or not UTF-8: the message for stderr.
    Unreadable(String),
    /// Read, and not a template.
    Skipped,
    Checked(Box<FileReport>),
}

/// A template's findings (after `--fix`) and what `--fix` did to it.
#[derive(Default)]
struct FileReport {
    reports: Vec<Report>,
    keys: Vec<baseline::Key>,
    /// Fixes left out because they overlap an earlier one (counted even when none was made).
    overlapping: usize,
    /// Whether the fixes were written (or, with `--diff`, printed); `fixed` and `more`
    /// count only then.
    fixed_file: bool,
    /// Findings the fixes fixed.
    fixed: usize,
    /// Findings a second `--fix` would fix.
    more: usize,
    /// The file's part of the `--diff` output.
    diff: String,
    /// The fixes could not be written: the message for stderr.
    write_error: Option<String>,
}

/// Reads, decodes, analyses and (with `--fix`) fixes one file: everything `check` does
/// to a file but print. Runs on a worker thread.
fn check_file(
    file: &Path,
    config: &Config,
    mode: Mode,
    links: &links::FileLinks,
    constructs: Option<&Constructs>,
) -> Outcome {
    let text = match read_file(file) {
        Ok(text) => text,
        Err(err) => return Outcome::Unreadable(err),
    };
    let display = file.to_string_lossy().replace('\\', "/");
    let name = baseline::normalise_path(file);
    let mut checked = Checked::new(file, text, config, links, constructs);
    if !checked.template {
        return Outcome::Skipped;
    }
    let mut out = FileReport::default();
    if mode.fix {
        let plan = fix::plan(&checked.doc, &checked.text, &checked.findings);
        out.overlapping = plan.overlapping;
        if let Some(new_text) =
            fix::apply(&checked.text, &plan.edits).filter(|new_text| *new_text != checked.text)
        {
            let written = if mode.diff {
                if let Some(diff) = diff::unified(&name, &checked.text, &plan.edits) {
                    out.diff = diff;
                }
                true
            } else {
                match std::fs::write(file, &new_text) {
                    Ok(()) => true,
                    Err(err) => {
                        out.write_error =
                            Some(format!("{}: cannot write the fixes: {err}", file.display()));
                        false
                    }
                }
            };
            if written {
                out.fixed_file = true;
                out.fixed = plan.fixed;
                checked = Checked::new(file, new_text, config, links, constructs);
                // Fixes left over (overlapping ones) or revealed (a parameter
                // checked once its subtype was fixed): the next run's.
                let next = fix::plan(&checked.doc, &checked.text, &checked.findings);
                out.more = next.fixed + next.overlapping;
            }
        }
    }
    for finding in &checked.findings {
        out.reports
            .push(report(&display, &checked.doc, &checked.places, finding));
        out.keys.push(baseline::key(&name, &checked.doc, finding));
    }
    Outcome::Checked(Box::new(out))
}

/// One file's text, parsed, with its findings after the settings and suppressions,
/// and its resources as reports name them.
struct Checked {
    text: String,
    doc: Document,
    template: bool,
    findings: Vec<Finding>,
    places: Places,
}

impl Checked {
    /// `constructs`: the construct paths a cloud assembly's manifest gives the
    /// template's resources, for those whose `Metadata` does not say.
    fn new(
        path: &Path,
        text: String,
        config: &Config,
        links: &links::FileLinks,
        constructs: Option<&Constructs>,
    ) -> Self {
        let doc = Document::new(&text, language_for(path, &text), 0);
        let template = model::file_kind(&doc) != FileKind::Other;
        // One analysis per context; the last one's index names the resources (the
        // document's own facts are the same in each).
        let mut analyzer = Analyzer::default();
        let mut found = Vec::new();
        for (i, context) in links.contexts.iter().enumerate() {
            if i > 0 {
                analyzer = Analyzer::default();
            }
            analyzer.set_links(context.clone());
            found.extend(analyzer.analyze(&doc));
        }
        if links.contexts.is_empty() {
            found = analyzer.analyze(&doc);
        }
        let places = Places::of(analyzer.index(&doc), constructs);
        // After `--fix` the text changed: findings about the includes are made again
        // at the next run.
        if links.text_hash == Some(links::text_hash(&text)) {
            found.extend(links.findings.iter().cloned());
        }
        found.sort_by(|a, b| {
            (a.range.start, a.range.end, a.code, &a.message).cmp(&(
                b.range.start,
                b.range.end,
                b.code,
                &b.message,
            ))
        });
        found.dedup();
        let findings = config::suppress(&doc, config.apply(found));
        Checked {
            text,
            doc,
            template,
            findings,
            places,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multi_line_value_quoted_in_a_message_stays_on_one_text_line() {
        // A double-quoted YAML scalar with a blank line holds a line break; the
        // openapi-version message quotes it (found by the `check` fuzz target).
        let text = "openapi: \"3.\n\n  0.1\"\npaths:\n  /:\n    post:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        integrationSubtype: SQS-SendMessage\n";
        let reports = check_text("t.yaml", Path::new("t.yaml"), text);
        let version = reports
            .iter()
            .find(|r| r.code == "openapi-version")
            .expect("openapi-version finding");
        assert!(version.message.contains('\n'), "{}", version.message);
        let out = format_text(&reports);
        assert_eq!(out.lines().count(), reports.len(), "{out}");
        assert!(out.contains("`3.\\n0.1`"), "{out}");
    }

    #[test]
    fn control_characters_are_escaped_in_text_output() {
        assert_eq!(one_line("plain\ttab"), "plain\ttab");
        assert_eq!(one_line("a\r\nb\u{1b}[31m"), "a\\r\\nb\\u{1b}[31m");
    }
}
