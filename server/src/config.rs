//! User configuration and inline suppression. Pure: no I/O, no LSP.
//!
//! A [`Config`] maps rule codes to a [`Level`] (a severity, or `off`). It is read from
//! JSON (LSP `initializationOptions` and `workspace/didChangeConfiguration` settings),
//! from a `.apigw-lsp.toml` file's `[severity]` table, or from CLI flags, and layered
//! with [`Config::merge`]. Problems (unknown codes or levels, malformed lines) come back
//! as warnings, never as failures.
//!
//! [`suppress`] drops findings marked with `# apigw-lsp: ignore[code]` comments, at the
//! end of the finding's line or alone on the line above it, and findings inside a
//! resource whose `Metadata` says `apigw-lsp: {ignore: [code]}` (JSON has no comments).
//!
//! Both apply where diagnostics are converted (LSP and CLI), never inside the cached
//! analysis.

use std::collections::HashMap;

use ropey::Rope;

use crate::document::Document;
use serde_json::Value;

use crate::rules::{self, Finding, Severity};

/// The name of the configuration file looked up in the workspace root (LSP), or for
/// `check` in each file's folder and its parents up to the repository root.
pub const FILE_NAME: &str = ".apigw-lsp.toml";

/// The marker of an inline suppression comment.
const MARKER: &str = "apigw-lsp:";

/// What a code is turned into: a severity, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Severity(Severity),
    Off,
}

impl Level {
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") || text.eq_ignore_ascii_case("none") {
            Some(Level::Off)
        } else {
            Severity::parse(text).map(Level::Severity)
        }
    }
}

/// Per-code severity overrides, and which files a folder's templates are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub overrides: HashMap<String, Level>,
    /// The `[files]` table: glob patterns, relative to the folder of the
    /// `.apigw-lsp.toml`, of the files to look at (`include`; empty: all) and to leave
    /// out (`exclude`), when folders are walked.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
}

/// Compiled `[files]` globs: whether a path (relative to the configuration's folder,
/// with `/` separators) is one to look at. `*` and `?` stay within a path segment,
/// `**` crosses them.
#[derive(Debug, Clone, Default)]
pub struct FileGlobs {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl FileGlobs {
    pub fn allows(&self, relative: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(relative))
            && !self.exclude.as_ref().is_some_and(|g| g.is_match(relative))
    }
}

/// A glob set of `patterns`; a pattern that does not compile is a warning.
fn glob_set(patterns: &[String], warnings: &mut Vec<String>) -> Option<globset::GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in patterns {
        match globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
        {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(e) => warnings.push(format!("[files]: `{pattern}`: {e}")),
        }
    }
    builder.build().ok()
}

impl Config {
    /// Sets `code` to `level` (both as written by the user); an error says what is wrong.
    pub fn set(&mut self, code: &str, level: &str) -> Result<(), String> {
        let code = code.trim();
        if rules::rule(code).is_none() {
            return Err(format!("unknown diagnostic code `{code}`"));
        }
        let Some(level) = Level::parse(level) else {
            return Err(format!(
                "unknown level `{}` for `{code}` (use error, warning, information, hint or off)",
                level.trim()
            ));
        };
        self.overrides.insert(code.to_string(), level);
        Ok(())
    }

    /// Reads `{"severity": {code: level}}`, at the top level or under `apigwLsp`.
    /// `null` and values without settings give an empty config.
    pub fn from_json(value: &Value) -> (Config, Vec<String>) {
        let mut config = Config::default();
        let mut warnings = Vec::new();
        let section = match value.get("apigwLsp") {
            Some(inner) => inner,
            None => value,
        };
        match section.get("severity") {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (code, level) in map {
                    match level.as_str() {
                        Some(level) => {
                            if let Err(e) = config.set(code, level) {
                                warnings.push(e);
                            }
                        }
                        None => warnings.push(format!("the level of `{code}` must be a string")),
                    }
                }
            }
            Some(_) => warnings.push("`severity` must be an object of code: level".to_string()),
        }
        (config, warnings)
    }

    /// Reads the `[severity]` table of a `.apigw-lsp.toml` text: `code = "level"` lines,
    /// with `#` comments. Other tables are ignored with a warning.
    pub fn from_toml(text: &str) -> (Config, Vec<String>) {
        let mut config = Config::default();
        let mut warnings = Vec::new();
        let mut table = "";
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = strip_toml_comment(raw).trim();
            if line.is_empty() {
                continue;
            }
            if let Some(header) = line.strip_prefix('[') {
                let name = header.trim_end_matches(']').trim();
                table = match name {
                    "severity" => "severity",
                    "files" => "files",
                    _ => {
                        warnings.push(format!("line {line_no}: unknown table `[{name}]` ignored"));
                        ""
                    }
                };
                continue;
            }
            if table == "files" {
                match line.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
                    Some((key @ ("include" | "exclude"), value)) => match string_list(value) {
                        Some(list) if key == "include" => config.include = list,
                        Some(list) => config.exclude = list,
                        None => warnings.push(format!(
                            "line {line_no}: `{key}` takes a list of glob strings on one line, like [\"api/**\"]"
                        )),
                    },
                    _ => warnings.push(format!(
                        "line {line_no}: `[files]` takes `include` and `exclude`"
                    )),
                }
                continue;
            }
            if table != "severity" {
                warnings.push(format!(
                    "line {line_no}: setting outside the `[severity]` table ignored"
                ));
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                warnings.push(format!("line {line_no}: expected `code = \"level\"`"));
                continue;
            };
            let key = unquote(key.trim());
            let value = unquote(value.trim());
            if let Err(e) = config.set(key, value) {
                warnings.push(format!("line {line_no}: {e}"));
            }
        }
        (config, warnings)
    }

    /// Layers `other` over `self`: its codes win, and its `[files]` lists when set.
    pub fn merge(&mut self, other: &Config) {
        for (code, level) in &other.overrides {
            self.overrides.insert(code.clone(), *level);
        }
        if !other.include.is_empty() {
            self.include = other.include.clone();
        }
        if !other.exclude.is_empty() {
            self.exclude = other.exclude.clone();
        }
    }

    /// The `[files]` globs, compiled; bad patterns are warnings.
    pub fn file_globs(&self) -> (FileGlobs, Vec<String>) {
        let mut warnings = Vec::new();
        let globs = FileGlobs {
            include: glob_set(&self.include, &mut warnings),
            exclude: glob_set(&self.exclude, &mut warnings),
        };
        (globs, warnings)
    }

    /// Drops the findings of codes turned off and rewrites overridden severities.
    pub fn apply(&self, findings: Vec<Finding>) -> Vec<Finding> {
        if self.overrides.is_empty() {
            return findings;
        }
        findings
            .into_iter()
            .filter_map(|mut f| match self.overrides.get(f.code) {
                Some(Level::Off) => None,
                Some(Level::Severity(s)) => {
                    f.severity = *s;
                    Some(f)
                }
                None => Some(f),
            })
            .collect()
    }
}

/// Cuts a `#` comment that is not inside a double-quoted string.
fn strip_toml_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if in_string && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_string = !in_string,
            '#' if !in_string => return &line[..i],
            _ => {}
        }
        escaped = false;
    }
    line
}

/// A one-line TOML list of strings: `["a", 'b,c']` (commas inside quotes stay).
fn string_list(value: &str) -> Option<Vec<String>> {
    let inner = value.strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        let Some(quote) = chars.next() else {
            return Some(out);
        };
        if quote != '"' && quote != '\'' {
            return None;
        }
        let mut item = String::new();
        loop {
            match chars.next() {
                Some(c) if c == quote => break,
                Some(c) => item.push(c),
                None => return None,
            }
        }
        out.push(item);
    }
}

fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
        .unwrap_or(text)
}

/// What an ignore comment covers.
#[derive(Debug, PartialEq, Eq)]
enum Ignore {
    All,
    Codes(Vec<String>),
}

impl Ignore {
    fn covers(&self, code: &str) -> bool {
        match self {
            Ignore::All => true,
            Ignore::Codes(codes) => codes.iter().any(|c| c == code),
        }
    }
}

/// Reads the `ignore` directive of a comment's text after `#`, if it is one.
fn parse_directive(comment: &str) -> Option<Ignore> {
    let rest = comment.trim_start().strip_prefix(MARKER)?.trim_start();
    let rest = rest.strip_prefix("ignore")?.trim_start();
    if let Some(list) = rest.strip_prefix('[') {
        let list = &list[..list.find(']')?];
        Some(Ignore::Codes(
            list.split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect(),
        ))
    } else if rest.is_empty() || rest.starts_with(char::is_whitespace) {
        Some(Ignore::All)
    } else {
        None
    }
}

/// The directive at the end of `line` (a trailing comment).
fn trailing_directive(line: &str) -> Option<Ignore> {
    line.match_indices('#')
        .find_map(|(i, _)| parse_directive(&line[i + 1..]))
}

/// The directive of a line that is only a comment.
fn own_line_directive(line: &str) -> Option<Ignore> {
    parse_directive(line.trim_start().strip_prefix('#')?)
}

/// Drops the findings marked by an ignore comment on their first line or alone on the
/// line above. Reads only those lines of `rope`.
pub fn suppress(doc: &Document, findings: Vec<Finding>) -> Vec<Finding> {
    let rope = doc.rope();
    let by_metadata = metadata_ignores(doc);
    let mut cache: HashMap<usize, (Option<Ignore>, Option<Ignore>)> = HashMap::new();
    findings
        .into_iter()
        .filter(|f| {
            if by_metadata
                .iter()
                .any(|(span, ignore)| span.contains(&f.range.start) && ignore.covers(f.code))
            {
                return false;
            }
            let start = f.range.start.min(rope.len_bytes());
            let line = rope.byte_to_line(start);
            let (same, above) = cache.entry(line).or_insert_with(|| {
                let same = trailing_directive(&line_text(rope, line));
                let above = line
                    .checked_sub(1)
                    .and_then(|l| own_line_directive(&line_text(rope, l)));
                (same, above)
            });
            let covered = |d: &Option<Ignore>| d.as_ref().is_some_and(|d| d.covers(f.code));
            !(covered(same) || covered(above))
        })
        .collect()
}

/// The resources whose `Metadata` says `apigw-lsp: {ignore: [codes]}` (or `ignore: all`),
/// with the span of their whole definition: the way to suppress findings in JSON,
/// which has no comments.
fn metadata_ignores(doc: &Document) -> Vec<(std::ops::Range<usize>, Ignore)> {
    let mut out = Vec::new();
    for resource in crate::model::resources(doc) {
        let Some(ignore) = resource
            .value
            .get("Metadata")
            .and_then(|m| m.get("apigw-lsp"))
            .and_then(|m| m.get("ignore"))
        else {
            continue;
        };
        // `all`, one code, `code1, code2`, or a list of those.
        let codes: Vec<String> = match ignore.text() {
            Some(t) => t.split(',').map(|c| c.trim().to_string()).collect(),
            None => ignore
                .items()
                .filter_map(|i| i.text().map(|t| t.trim().to_string()))
                .collect(),
        };
        let parsed = if codes
            .iter()
            .any(|c| c.eq_ignore_ascii_case("all") || c == "*")
        {
            Ignore::All
        } else {
            Ignore::Codes(codes.into_iter().filter(|c| !c.is_empty()).collect())
        };
        out.push((resource.name_span.start..resource.value.span().end, parsed));
    }
    out
}

fn line_text(rope: &Rope, line: usize) -> String {
    if line >= rope.len_lines() {
        return String::new();
    }
    rope.line(line).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn finding(code: &'static str, severity: Severity, range: std::ops::Range<usize>) -> Finding {
        Finding {
            code,
            severity,
            range,
            message: String::new(),
            fix: None,
        }
    }

    #[test]
    fn levels_parse() {
        assert_eq!(Level::parse("off"), Some(Level::Off));
        assert_eq!(
            Level::parse("Warning"),
            Some(Level::Severity(Severity::Warning))
        );
        assert_eq!(
            Level::parse("info"),
            Some(Level::Severity(Severity::Information))
        );
        assert_eq!(Level::parse("loud"), None);
    }

    #[test]
    fn json_at_top_level_and_under_apigw_lsp() {
        let top = json!({"severity": {"missing-credentials": "warning", "unknown-context-variable": "off"}});
        let (config, warnings) = Config::from_json(&top);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            config.overrides.get("missing-credentials"),
            Some(&Level::Severity(Severity::Warning))
        );
        assert_eq!(
            config.overrides.get("unknown-context-variable"),
            Some(&Level::Off)
        );
        let nested = json!({"apigwLsp": top});
        assert_eq!(Config::from_json(&nested).0, config);
        assert_eq!(Config::from_json(&Value::Null), (Config::default(), vec![]));
    }

    #[test]
    fn json_problems_are_warnings() {
        let value = json!({"severity": {"no-such-rule": "error", "missing-credentials": "loud", "unknown-subtype": 3, "syntax-error": "hint"}});
        let (config, warnings) = Config::from_json(&value);
        assert_eq!(config.overrides.len(), 1);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings.iter().any(|w| w.contains("no-such-rule")));
        assert!(warnings.iter().any(|w| w.contains("loud")));
        let (_, warnings) = Config::from_json(&json!({"severity": []}));
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn toml_severity_table() {
        let text = "# settings\n[severity]\nmissing-credentials = \"warning\" # softer\n\"unknown-context-variable\" = 'off'\n\n";
        let (config, warnings) = Config::from_toml(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.overrides.len(), 2);
        assert_eq!(
            config.overrides.get("unknown-context-variable"),
            Some(&Level::Off)
        );
    }

    #[test]
    fn toml_problems_are_warnings() {
        let text = "stray = 1\n[other]\nx = \"y\"\n[severity]\nnot a line\nbogus = \"off\"\nmissing-credentials = \"loud\"\nunknown-subtype = \"hint\"\n";
        let (config, warnings) = Config::from_toml(text);
        assert_eq!(config.overrides.len(), 1);
        assert_eq!(warnings.len(), 6, "{warnings:?}");
        assert!(warnings[0].starts_with("line 1:"));
        assert!(warnings[4].contains("bogus"));
    }

    #[test]
    fn merge_later_wins() {
        let mut base = Config::from_toml(
            "[severity]\nmissing-credentials = \"off\"\nunknown-subtype = \"hint\"",
        )
        .0;
        let over = Config::from_json(&json!({"severity": {"missing-credentials": "warning"}})).0;
        base.merge(&over);
        assert_eq!(
            base.overrides.get("missing-credentials"),
            Some(&Level::Severity(Severity::Warning))
        );
        assert_eq!(
            base.overrides.get("unknown-subtype"),
            Some(&Level::Severity(Severity::Hint))
        );
    }

    #[test]
    fn apply_drops_and_rewrites() {
        let mut config = Config::default();
        config.set("missing-credentials", "warning").expect("valid");
        config.set("unknown-subtype", "off").expect("valid");
        assert!(config.set("nope", "off").is_err());
        let out = config.apply(vec![
            finding("missing-credentials", Severity::Error, 0..1),
            finding("unknown-subtype", Severity::Error, 1..2),
            finding("syntax-error", Severity::Error, 2..3),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].severity, Severity::Warning);
        assert_eq!(out[1].code, "syntax-error");
        assert_eq!(out[1].severity, Severity::Error);
    }

    #[test]
    fn directives_parse() {
        assert_eq!(parse_directive(" apigw-lsp: ignore"), Some(Ignore::All));
        assert_eq!(
            parse_directive(" apigw-lsp: ignore[a, b ]"),
            Some(Ignore::Codes(vec!["a".into(), "b".into()]))
        );
        assert_eq!(parse_directive(" apigw-lsp: ignored"), None);
        assert_eq!(parse_directive(" apigw-lsp: ignore[a"), None);
        assert_eq!(parse_directive(" something else"), None);
    }

    #[test]
    fn suppression_on_the_line_and_above() {
        let text = "a: 1 # apigw-lsp: ignore[x-code]\n\
                    # apigw-lsp: ignore[y-code, z-code]\n\
                    b: 2\n\
                    c: 3 # apigw-lsp: ignore\n\
                    d: 4\n";
        let doc = Document::new(text, crate::syntax::Language::Yaml, 0);
        let rope = doc.rope();
        let line = |n: usize| rope.line_to_byte(n) + 1;
        let out = suppress(
            &doc,
            vec![
                finding("x-code", Severity::Error, line(0)..line(0) + 1),
                finding("y-code", Severity::Error, line(0)..line(0) + 1),
                finding("y-code", Severity::Error, line(2)..line(2) + 1),
                finding("z-code", Severity::Error, line(2)..line(2) + 1),
                finding("x-code", Severity::Error, line(2)..line(2) + 1),
                finding("any-code", Severity::Error, line(3)..line(3) + 1),
                finding("y-code", Severity::Error, line(4)..line(4) + 1),
            ],
        );
        let kept: Vec<_> = out
            .iter()
            .map(|f| (f.code, rope.byte_to_line(f.range.start)))
            .collect();
        assert_eq!(kept, vec![("y-code", 0), ("x-code", 2), ("y-code", 4)]);
    }

    #[test]
    fn resource_metadata_suppresses_inside_the_resource_in_json_and_yaml() {
        let json = r#"{"Resources": {
  "A": {"Type": "AWS::ApiGatewayV2::Integration", "Metadata": {"apigw-lsp": {"ignore": ["missing-credentials"]}},
        "Properties": {"IntegrationSubtype": "SQS-PurgeQueue", "RequestParameters": {"QueueUrl": "$stageVariables.q"}}},
  "B": {"Type": "AWS::ApiGatewayV2::Integration",
        "Properties": {"IntegrationSubtype": "SQS-PurgeQueue", "RequestParameters": {"QueueUrl": "$stageVariables.q"}}}}}"#;
        let yaml = "Resources:\n  A:\n    Type: AWS::ApiGatewayV2::Integration\n    Metadata:\n      apigw-lsp:\n        ignore: all\n    Properties:\n      IntegrationSubtype: SQS-PurgeQueue\n      RequestParameters: {QueueUrl: $stageVariables.q}\n  B:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: SQS-PurgeQueue\n      RequestParameters: {QueueUrl: $stageVariables.q}\n";
        for (text, language) in [
            (json, crate::syntax::Language::Json),
            (yaml, crate::syntax::Language::Yaml),
        ] {
            let doc = Document::new(text, language, 0);
            let all = crate::analysis::analyze(&doc);
            let b = text
                .find("\"B\"")
                .or_else(|| text.find("  B:"))
                .unwrap_or(0);
            // Both resources lack credentials; only B's finding is left.
            assert_eq!(
                all.iter()
                    .filter(|f| f.code == "missing-credentials")
                    .count(),
                2
            );
            let kept = suppress(&doc, all);
            let credentials: Vec<_> = kept
                .iter()
                .filter(|f| f.code == "missing-credentials")
                .collect();
            assert_eq!(credentials.len(), 1, "{kept:?}");
            assert!(credentials[0].range.start > b);
        }
    }

    #[test]
    fn resource_metadata_takes_a_list_a_comma_separated_string_or_all() {
        let template = |ignore: &str| {
            format!(
                "Resources:\n  A:\n    Type: AWS::ApiGatewayV2::Integration\n    Metadata:\n      apigw-lsp:\n        ignore: {ignore}\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-PurgeQueue\n      RequestParameters: {{QueueUrl: https://example.com/q}}\n"
            )
        };
        let kept = |ignore: &str| -> Vec<&'static str> {
            let text = template(ignore);
            let doc = Document::new(&text, crate::syntax::Language::Yaml, 0);
            let mut codes: Vec<_> = suppress(&doc, crate::analysis::analyze(&doc))
                .iter()
                .map(|f| f.code)
                .collect();
            codes.sort_unstable();
            codes
        };
        let all = kept("[]");
        assert!(
            all.contains(&"missing-credentials")
                && all.contains(&"wrong-payload-format-version")
                && all.contains(&"parameter-value-constraint"),
            "{all:?}"
        );
        let without = |gone: &[&str]| -> Vec<&'static str> {
            all.iter().copied().filter(|c| !gone.contains(c)).collect()
        };
        assert_eq!(
            kept("missing-credentials"),
            without(&["missing-credentials"])
        );
        let two = ["missing-credentials", "parameter-value-constraint"];
        assert_eq!(
            kept("[missing-credentials, parameter-value-constraint]"),
            without(&two)
        );
        assert_eq!(
            kept("\"missing-credentials, parameter-value-constraint\""),
            without(&two)
        );
        assert_eq!(kept("[All]"), Vec::<&str>::new());
        assert_eq!(kept("\"*\""), Vec::<&str>::new());
        // Findings outside the resource, and the wrong key, are not covered.
        assert_eq!(kept("{codes: [missing-credentials]}"), all);
    }

    #[test]
    fn a_trailing_comment_does_not_cover_the_next_line() {
        let text = "a: 1 # apigw-lsp: ignore\nb: 2\n";
        let doc = Document::new(text, crate::syntax::Language::Yaml, 0);
        let out = suppress(&doc, vec![finding("x", Severity::Error, 5 + 20..5 + 21)]);
        assert_eq!(out.len(), 1);
    }
}

#[cfg(test)]
mod files_tests {
    use super::*;

    #[test]
    fn files_table_reads_glob_lists() {
        let (config, warnings) = Config::from_toml(
            "[files]\ninclude = [\"api/{a,b}/*.yaml\", 'infra/**']\nexclude = []\n",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.include, ["api/{a,b}/*.yaml", "infra/**"]);
        let (globs, warnings) = config.file_globs();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(globs.allows("api/a/x.yaml"));
        assert!(globs.allows("infra/deep/x.json"));
        assert!(!globs.allows("api/c/x.yaml"));
        assert!(
            !globs.allows("api/a/deeper/x.yaml"),
            "`*` stays in one segment"
        );
        let (_, warnings) = Config::from_toml("[files]\ninclude = \"api/**\"\n");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }
}
