//! Diagnostics rules: one file per rule, each with a stable code, registered by one line
//! in the `rules!` list below, which declares the module and puts its `RULE` in [`RULES`].
//!
//! A rule file exports `pub const RULE: Rule`: its documentation and its [`Check`], whose
//! variant says what the rule looks at (one integration, one entry, or the join of every
//! entry's facts). [`INTEGRATION_CHECKS`], [`ENTRY_CHECKS`] and [`CROSS_CHECKS`] are derived
//! from [`RULES`] at compile time, so analysis runs each kind without a lookup.
//!
//! A rule reads the model and the catalog and pushes [`Finding`]s: a code, a severity,
//! an absolute byte range (the key or value at fault), a message that says what to do,
//! and, where a quick fix exists, the data that fix needs.

pub mod cross;
pub mod docs;

/// Declares each rule's module and lists its `RULE` in [`RULES`], in the order given
/// (the documentation order). One line per rule; a test checks that every rule file
/// under `rules/` is listed.
macro_rules! rules {
    ($($rule:ident,)*) => {
        $(pub mod $rule;)*

        /// Every rule, in documentation order.
        pub const RULES: &[&Rule] = &[$(&$rule::RULE,)*];

        /// The module of each entry of [`RULES`], for the registration test.
        #[cfg(test)]
        const MODULES: &[&str] = &[$(stringify!($rule),)*];
    };
}

rules! {
    syntax_error,
    unknown_subtype,
    missing_required_parameter,
    unknown_parameter,
    wrong_integration_type,
    wrong_payload_format_version,
    missing_credentials,
    invalid_expression,
    bare_expression_after_text,
    unsupported_jsonpath,
    unknown_context_variable,
    rest_only_context_variable,
    response_phase_context_variable,
    wrong_field_name,
    invalid_json_parameter,
    swagger_not_supported,
    openapi_version,
    default_path_without_slash,
    openapi_with_route_resources,
    value_length,
    unquoted_non_string,
    timeout_out_of_range,
    deprecated_subtype,
    subtype_with_uri,
    websocket_only_property,
    wrong_reference_kind,
    role_not_trusted,
    role_missing_permission,
    state_machine_type,
    sqs_fifo,
    receive_wait_exceeds_timeout,
    integration_on_websocket_api,
    http_api_integration_type,
    undefined_path_variable,
    undefined_stage_variable,
    invalid_route_key,
    duplicate_route_key,
    invalid_route_target,
    invalid_stage,
    parameter_value_constraint,
    sub_variable_collision,
    parameter_without_subtype,
    parameter_mapping_with_subtype,
    invalid_response_parameter,
    unresolved_reference,
    static_execution_name,
    include_not_found,
    definition_uri_intrinsics,
}

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::model::{Integration, ParameterValue};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "information" | "info" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// What a quick fix for a finding would do. Travels with the diagnostic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Fix {
    /// Replace `range` (absolute bytes; the finding's own range when `None`) with `text`.
    Replace {
        title: String,
        text: String,
        #[serde(skip)]
        range: Option<Range<usize>>,
    },
    /// Add these request parameters to the integration.
    AddParameters { names: Vec<String> },
    /// Set a field of the integration to a value.
    SetField { field: String, value: String },
    /// Add a statement allowing `action` on `resource` to the role `role`: to its first
    /// inline policy with a `Statement` list, else as a new inline policy named
    /// `policy`. `resource: None` when the template cannot name the target's ARN (the
    /// fix then writes the placeholder marker).
    AddStatement {
        role: String,
        action: String,
        resource: Option<Arn>,
        policy: String,
    },
    /// Add a statement to the trust policy of the role `role` that lets API Gateway
    /// assume it.
    AddTrust { role: String },
    /// Declare the integration `name` that a route's `Target` names; `rename`: the
    /// closest declared name, offered (and preferred) as the other fix.
    CreateIntegration {
        name: String,
        rename: Option<String>,
    },
}

/// How a fix writes an ARN: a reference to a template resource, or literal text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Arn {
    /// `!Ref Name`.
    Ref(String),
    /// `!GetAtt Name.Attribute`.
    GetAtt(String, String),
    /// An ARN written in the template.
    Literal(String),
}

/// One diagnostic, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub range: Range<usize>,
    pub message: String,
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(rule: &Rule, range: Range<usize>, message: impl Into<String>) -> Self {
        Finding {
            code: rule.code,
            severity: rule.severity,
            range,
            message: message.into(),
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Moves the range by `delta` bytes (for cached findings of a moved entry).
    pub fn shifted(&self, delta: isize) -> Finding {
        let shift = |r: &Range<usize>| {
            r.start.saturating_add_signed(delta)..r.end.saturating_add_signed(delta)
        };
        let mut f = self.clone();
        f.range = shift(&f.range);
        // A fix's own range moves with the finding (found by the `edits` fuzz target).
        if let Some(Fix::Replace {
            range: Some(range), ..
        }) = &mut f.fix
        {
            *range = shift(range);
        }
        f
    }
}

/// A rule: its documentation (the single source for docs, SARIF and editor settings)
/// and its check. Each rule file exports one as `pub const RULE: Rule`.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Why it matters, and where the fact comes from.
    pub explanation: &'static str,
    /// A failing YAML example.
    pub example: &'static str,
    /// The same defect in Terraform (`.tf`), or "" where the rule cannot fire on
    /// Terraform (YAML-only syntax, CloudFormation-only links).
    pub terraform_example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
    /// What the rule looks at, and the function that looks.
    pub check: Check,
}

/// A rule's check, by what it looks at.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// One integration at a time (the cached per-entry pass).
    Integration(IntegrationCheck),
    /// One entry (a top-level key, a section member) at a time.
    Entry(EntryCheck),
    /// Across entries, at the join of their facts ([`cross`]).
    Cross(cross::CrossCheck),
    /// Findings the parser makes (`syntax-error`): no check of its own.
    Parser,
    /// Findings only the links between files reveal, made where files are linked
    /// (`workspace`): no check of its own.
    Workspace,
}

/// What an integration rule gets to look at.
pub struct IntegrationContext<'a, 'c> {
    pub integration: &'c Integration<'a>,
    pub catalog: &'static Catalog,
    /// The literal `RequestParameters` values, parsed once for every rule.
    pub values: &'c [ParameterValue<'a>],
    /// Whether the document is Terraform: its `Fn::Sub` are HCL templates, also in an
    /// OpenAPI body written with `jsonencode`.
    pub terraform: bool,
    /// Whether the integration is in a resource of a Pulumi YAML program (its
    /// properties, or an OpenAPI body written with `fn::toJSON`): its `Fn::Sub` are
    /// Pulumi interpolations, a literal `${` is `$${`.
    pub pulumi: bool,
}

impl IntegrationContext<'_, '_> {
    /// A field set to a string, as the document writes it, for messages:
    /// `Key: value` (YAML, an OpenAPI document), `key = "value"` (Terraform's HCL).
    pub fn assignment(&self, key: &str, value: &str) -> String {
        if self.terraform {
            format!("{key} = \"{value}\"")
        } else {
            format!("{key}: {value}")
        }
    }
}

pub type IntegrationCheck = fn(&IntegrationContext<'_, '_>, &mut Vec<Finding>);

/// The rules that look at one entry (a top-level key, a section member) at a time.
pub type EntryCheck = fn(crate::document::EntryRef<'_>, &mut Vec<Finding>);

/// The checks of one kind in [`RULES`], in its order, as a `&'static` slice computed at
/// compile time (so analysis walks exactly its kind, with no lookup and no allocation).
/// `$unused` only fills the array before the loop overwrites every element.
macro_rules! checks_of {
    ($kind:ident, $ty:ty, $unused:expr) => {{
        const fn is(check: &Check) -> bool {
            matches!(check, Check::$kind(_))
        }
        const N: usize = {
            let (mut i, mut n) = (0, 0);
            while i < RULES.len() {
                if is(&RULES[i].check) {
                    n += 1;
                }
                i += 1;
            }
            n
        };
        let mut out: [$ty; N] = [$unused; N];
        let (mut i, mut n) = (0, 0);
        while i < RULES.len() {
            if let Check::$kind(check) = RULES[i].check {
                out[n] = check;
                n += 1;
            }
            i += 1;
        }
        out
    }};
}

/// The integration checks of [`RULES`], in its order.
pub const INTEGRATION_CHECKS: &[IntegrationCheck] =
    &checks_of!(Integration, IntegrationCheck, |_, _| {});

/// The entry checks of [`RULES`], in its order.
pub const ENTRY_CHECKS: &[EntryCheck] = &checks_of!(Entry, EntryCheck, |_, _| {});

/// The cross-entry checks of [`RULES`], in its order.
pub const CROSS_CHECKS: &[cross::CrossCheck] = &checks_of!(Cross, cross::CrossCheck, |_, _, _| {});

/// A [`Fix::Replace`] of the bytes `inner` of a parameter value's text by `text`.
///
/// When the value is written verbatim (no escapes, no folding) the fix replaces just
/// those bytes; otherwise it replaces the whole text inside the quotes with the whole
/// corrected value. Block scalars get no fix. In a Pulumi YAML program what is written
/// is escaped as Pulumi reads it (`${` as `$${`).
pub fn value_fix(
    cx: &IntegrationContext<'_, '_>,
    value: &ParameterValue<'_>,
    title: String,
    inner: Range<usize>,
    text: &str,
) -> Option<Fix> {
    let scalar = value.value.scalar()?;
    if scalar.style == crate::syntax::ScalarStyle::Block {
        return None;
    }
    let spell = |text: &str| {
        if cx.pulumi {
            crate::syntax::pulumi::escape(text)
        } else {
            text.to_string()
        }
    };
    let span = value.value.text_span();
    if value.value.is_verbatim() {
        return Some(Fix::Replace {
            title,
            text: spell(text),
            range: Some(value.doc_range(inner)),
        });
    }
    let whole = spell(&format!(
        "{}{text}{}",
        scalar.text.get(..inner.start)?,
        scalar.text.get(inner.end..)?
    ));
    Some(Fix::Replace {
        title,
        text: whole,
        range: Some(span),
    })
}

/// Looks a rule up by code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.code == code)
}

/// Formats a list of names as `` `A`, `B` and `C` ``.
pub fn name_list<'n>(names: impl IntoIterator<Item = &'n str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].clone(),
        n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
    }
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod registry_tests {
    use super::{CROSS_CHECKS, Check, ENTRY_CHECKS, INTEGRATION_CHECKS, MODULES, RULES};

    /// Files of `rules/` that support the rules and are not rules themselves.
    const SUPPORT: &[&str] = &["mod", "cross", "docs", "test_support"];

    /// A rule file that is not in the `rules!` list is never compiled, so its rule
    /// silently never runs: every other `*.rs` here (or folder with a `mod.rs`) must be
    /// listed.
    #[test]
    fn every_rule_file_is_registered() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let mut missing = Vec::new();
        let mut files = 0;
        for item in std::fs::read_dir(&dir).expect("read src/rules") {
            let path = item.expect("dir entry").path();
            let name = if path.is_dir() && path.join("mod.rs").is_file() {
                path.file_name().and_then(|n| n.to_str())
            } else if path.extension().is_some_and(|e| e == "rs") {
                path.file_stem().and_then(|n| n.to_str())
            } else {
                None
            };
            let Some(name) = name else { continue };
            if SUPPORT.contains(&name) {
                continue;
            }
            files += 1;
            if !MODULES.contains(&name) {
                missing.push(name.to_string());
            }
        }
        assert!(
            missing.is_empty(),
            "rule files not registered: add a line for each of {missing:?} to the `rules!` list in server/src/rules/mod.rs"
        );
        assert_eq!(files, MODULES.len(), "every registered module has its file");
    }

    #[test]
    fn every_registered_code_is_unique_and_documented() {
        let docs = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/diagnostics.md"),
        )
        .expect("docs/diagnostics.md");
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.code), "{} is registered twice", rule.code);
            assert!(
                !rule.summary.is_empty()
                    && !rule.explanation.is_empty()
                    && !rule.example.is_empty()
                    && !rule.fix.is_empty(),
                "{}: every documentation field is filled",
                rule.code
            );
            assert!(
                docs.contains(&format!("\n## {}\n", rule.code)),
                "{} has no section in docs/diagnostics.md: run UPDATE_DOCS=1 cargo test -p apigw-lsp --test docs",
                rule.code
            );
        }
    }

    #[test]
    fn each_check_runs_in_exactly_one_pass() {
        let parser = RULES
            .iter()
            .filter(|r| matches!(r.check, Check::Parser))
            .count();
        assert_eq!(parser, 1, "only syntax-error comes from the parser");
        let workspace = RULES
            .iter()
            .filter(|r| matches!(r.check, Check::Workspace))
            .count();
        assert_eq!(
            INTEGRATION_CHECKS.len() + ENTRY_CHECKS.len() + CROSS_CHECKS.len() + parser + workspace,
            RULES.len()
        );
        // The derived slices keep RULES' order (the order findings are produced in).
        let mut integration = INTEGRATION_CHECKS.iter();
        let mut entry = ENTRY_CHECKS.iter();
        let mut cross = CROSS_CHECKS.iter();
        for rule in RULES {
            let same = match rule.check {
                Check::Integration(f) => integration
                    .next()
                    .is_some_and(|&g| std::ptr::fn_addr_eq(f, g)),
                Check::Entry(f) => entry.next().is_some_and(|&g| std::ptr::fn_addr_eq(f, g)),
                Check::Cross(f) => cross.next().is_some_and(|&g| std::ptr::fn_addr_eq(f, g)),
                Check::Parser | Check::Workspace => true,
            };
            assert!(same, "{}: derived check slices follow RULES", rule.code);
        }
    }
}
