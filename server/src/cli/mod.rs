//! `apigw-lsp check`: the same analysis as the server, for CI, as text, JSON or SARIF.

pub mod sarif;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analysis;
use crate::config::{self, Config};
use crate::document::Document;
use crate::position::{self, PositionEncoding};
use crate::rules::{Finding, Severity};
use crate::syntax::Language;

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

/// One finding, located in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub file: String,
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub range: JsonRange,
}

/// Picks the grammar: `.json` files and files whose first non-blank byte is `{`.
pub fn language_for(path: &Path, text: &str) -> Language {
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
    let doc = Document::new(text, language_for(path, text), 0);
    let findings = config::suppress(&doc, config.apply(analysis::analyze(&doc)));
    findings.iter().map(|f| report(display, &doc, f)).collect()
}

fn report(file: &str, doc: &Document, finding: &Finding) -> Report {
    let range = position::span_to_range(doc.rope(), finding.range.clone(), PositionEncoding::Utf16);
    Report {
        file: file.to_string(),
        code: finding.code,
        severity: finding.severity,
        message: finding.message.clone(),
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

const EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template"];

/// Expands folders into the template-like files they contain, sorted; skips hidden
/// folders and `node_modules`/`target`.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if meta.is_dir() {
            walk(path, &mut out).map_err(|e| format!("{}: {e}", path.display()))?;
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if entry.file_type()?.is_dir() {
            if !name.starts_with('.') && name != "node_modules" && name != "target" {
                walk(&path, out)?;
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
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

/// One line per finding: `path:line:col: severity[code] message`.
pub fn format_text(reports: &[Report]) -> String {
    let mut out = String::new();
    for r in reports {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            one_line(&r.file),
            r.range.start.line + 1,
            r.range.start.character + 1,
            r.severity.as_str(),
            r.code,
            one_line(&r.message)
        );
    }
    out
}

pub fn format_json(reports: &[Report]) -> String {
    serde_json::to_string_pretty(reports).unwrap_or_else(|_| "[]".to_string())
}

const USAGE: &str = "usage: apigw-lsp check [--format text|json|sarif] [--ignore CODE]... [--severity CODE=LEVEL]... [--config FILE] PATH...";

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

/// Runs `check` with the arguments after `check`; prints to stdout/stderr and
/// returns the exit code (0 clean, 1 error findings, 2 usage or I/O problem).
pub fn run(
    args: &[String],
    stdout: &mut dyn std::io::Write,
    stderr: &mut dyn std::io::Write,
) -> i32 {
    let mut format = Format::Text;
    let mut paths = Vec::new();
    let mut flags = Config::default();
    let mut config_file: Option<PathBuf> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(value) = option_value("--ignore", arg, &mut iter) {
            let Some(code) = value else {
                let _ = writeln!(stderr, "apigw-lsp check: --ignore takes a code\n{USAGE}");
                return 2;
            };
            if let Err(e) = flags.set(code, "off") {
                let _ = writeln!(stderr, "apigw-lsp check: --ignore: {e}");
                return 2;
            }
            continue;
        }
        if let Some(value) = option_value("--severity", arg, &mut iter) {
            let Some((code, level)) = value.and_then(|v| v.split_once('=')) else {
                let _ = writeln!(
                    stderr,
                    "apigw-lsp check: --severity takes CODE=LEVEL\n{USAGE}"
                );
                return 2;
            };
            if let Err(e) = flags.set(code, level) {
                let _ = writeln!(stderr, "apigw-lsp check: --severity: {e}");
                return 2;
            }
            continue;
        }
        if let Some(value) = option_value("--config", arg, &mut iter) {
            let Some(file) = value else {
                let _ = writeln!(stderr, "apigw-lsp check: --config takes a file\n{USAGE}");
                return 2;
            };
            config_file = Some(PathBuf::from(file));
            continue;
        }
        match arg.as_str() {
            "--format" | "-f" => match iter.next().and_then(|f| Format::parse(f)) {
                Some(f) => format = f,
                None => {
                    let _ = writeln!(
                        stderr,
                        "apigw-lsp check: --format takes text, json or sarif\n{USAGE}"
                    );
                    return 2;
                }
            },
            s if s.starts_with("--format=") => match Format::parse(&s["--format=".len()..]) {
                Some(f) => format = f,
                None => {
                    let _ = writeln!(
                        stderr,
                        "apigw-lsp check: --format takes text, json or sarif\n{USAGE}"
                    );
                    return 2;
                }
            },
            "-h" | "--help" => {
                let _ = writeln!(
                    stdout,
                    "{USAGE}\n\nChecks CloudFormation/SAM templates (files or folders, walked for .yaml, .yml, .json, .template).\nSeverity overrides come from ./.apigw-lsp.toml (or --config FILE), then --ignore and --severity\n(levels: error, warning, information, hint, off).\nExit code: 0 no errors (after overrides), 1 error findings, 2 usage or I/O problem."
                );
                return 0;
            }
            "--" => paths.extend(iter.by_ref().map(PathBuf::from)),
            s if s.starts_with('-') && s.len() > 1 => {
                let _ = writeln!(stderr, "apigw-lsp check: unknown option `{s}`\n{USAGE}");
                return 2;
            }
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() {
        let _ = writeln!(stderr, "apigw-lsp check: no files given\n{USAGE}");
        return 2;
    }
    let mut config = Config::default();
    let explicit = config_file.is_some();
    let config_path = config_file.unwrap_or_else(|| PathBuf::from(config::FILE_NAME));
    match std::fs::read_to_string(&config_path) {
        Ok(text) => {
            let (file_config, warnings) = Config::from_toml(&text);
            for w in warnings {
                let _ = writeln!(stderr, "apigw-lsp check: {}: {w}", config_path.display());
            }
            config = file_config;
        }
        Err(err) if explicit || err.kind() != std::io::ErrorKind::NotFound => {
            let _ = writeln!(
                stderr,
                "apigw-lsp check: {}: cannot read: {err}",
                config_path.display()
            );
            return 2;
        }
        Err(_) => {}
    }
    config.merge(&flags);
    let files = match collect_files(&paths) {
        Ok(files) => files,
        Err(err) => {
            let _ = writeln!(stderr, "apigw-lsp check: {err}");
            return 2;
        }
    };
    let mut reports = Vec::new();
    let mut io_error = false;
    for file in &files {
        match read_file(file) {
            Ok(text) => {
                let display = file.to_string_lossy().replace('\\', "/");
                reports.extend(check_text_with(&display, file, &text, &config));
            }
            Err(err) => {
                let _ = writeln!(stderr, "apigw-lsp check: {err}");
                io_error = true;
            }
        }
    }
    let output = match format {
        Format::Text => format_text(&reports),
        Format::Json => format_json(&reports),
        Format::Sarif => sarif::format(&reports),
    };
    let _ = write!(stdout, "{output}");
    if format != Format::Text {
        let _ = writeln!(stdout);
    }
    if io_error {
        2
    } else if reports.iter().any(|r| r.severity == Severity::Error) {
        1
    } else {
        0
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
