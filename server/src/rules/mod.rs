//! Diagnostics rules: one file per rule, each with a stable code, listed in [`RULES`].
//!
//! A rule reads the model and the catalog and pushes [`Finding`]s: a code, a severity,
//! an absolute byte range (the key or value at fault), a message that says what to do,
//! and, where a quick fix exists, the data that fix needs.

pub mod bare_expression_after_text;
pub mod cross;
pub mod default_path_without_slash;
pub mod deprecated_subtype;
pub mod docs;
pub mod duplicate_route_key;
pub mod http_api_integration_type;
pub mod integration_on_websocket_api;
pub mod invalid_expression;
pub mod invalid_json_parameter;
pub mod invalid_route_key;
pub mod invalid_route_target;
pub mod invalid_stage;
pub mod missing_credentials;
pub mod missing_required_parameter;
pub mod openapi_version;
pub mod openapi_with_route_resources;
pub mod parameter_mapping_with_subtype;
pub mod parameter_value_constraint;
pub mod parameter_without_subtype;
pub mod receive_wait_exceeds_timeout;
pub mod response_phase_context_variable;
pub mod rest_only_context_variable;
pub mod role_missing_permission;
pub mod role_not_trusted;
pub mod sqs_fifo;
pub mod state_machine_type;
pub mod static_execution_name;
pub mod sub_variable_collision;
pub mod subtype_with_uri;
pub mod swagger_not_supported;
pub mod syntax_error;
pub mod timeout_out_of_range;
pub mod undefined_path_variable;
pub mod undefined_stage_variable;
pub mod unknown_context_variable;
pub mod unknown_parameter;
pub mod unknown_subtype;
pub mod unquoted_non_string;
pub mod unresolved_reference;
pub mod unsupported_jsonpath;
pub mod value_length;
pub mod websocket_only_property;
pub mod wrong_field_name;
pub mod wrong_integration_type;
pub mod wrong_payload_format_version;
pub mod wrong_reference_kind;

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
    pub fn new(rule: &RuleInfo, range: Range<usize>, message: impl Into<String>) -> Self {
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

/// A rule's documentation: the single source for docs, SARIF and editor settings.
#[derive(Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Why it matters, and where the fact comes from.
    pub explanation: &'static str,
    /// A failing YAML example.
    pub example: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

/// What an integration rule gets to look at.
pub struct IntegrationContext<'a, 'c> {
    pub integration: &'c Integration<'a>,
    pub catalog: &'static Catalog,
    /// The literal `RequestParameters` values, parsed once for every rule.
    pub values: &'c [ParameterValue<'a>],
}

pub type IntegrationCheck = fn(&IntegrationContext<'_, '_>, &mut Vec<Finding>);

/// Every rule, in documentation order.
pub const RULES: &[&RuleInfo] = &[
    &syntax_error::RULE,
    &unknown_subtype::RULE,
    &missing_required_parameter::RULE,
    &unknown_parameter::RULE,
    &wrong_integration_type::RULE,
    &wrong_payload_format_version::RULE,
    &missing_credentials::RULE,
    &invalid_expression::RULE,
    &bare_expression_after_text::RULE,
    &unsupported_jsonpath::RULE,
    &unknown_context_variable::RULE,
    &rest_only_context_variable::RULE,
    &response_phase_context_variable::RULE,
    &wrong_field_name::RULE,
    &invalid_json_parameter::RULE,
    &swagger_not_supported::RULE,
    &openapi_version::RULE,
    &default_path_without_slash::RULE,
    &openapi_with_route_resources::RULE,
    &value_length::RULE,
    &unquoted_non_string::RULE,
    &timeout_out_of_range::RULE,
    &deprecated_subtype::RULE,
    &subtype_with_uri::RULE,
    &websocket_only_property::RULE,
    &wrong_reference_kind::RULE,
    &role_not_trusted::RULE,
    &role_missing_permission::RULE,
    &state_machine_type::RULE,
    &sqs_fifo::RULE,
    &receive_wait_exceeds_timeout::RULE,
    &integration_on_websocket_api::RULE,
    &http_api_integration_type::RULE,
    &undefined_path_variable::RULE,
    &undefined_stage_variable::RULE,
    &invalid_route_key::RULE,
    &duplicate_route_key::RULE,
    &invalid_route_target::RULE,
    &invalid_stage::RULE,
    &parameter_value_constraint::RULE,
    &sub_variable_collision::RULE,
    &parameter_without_subtype::RULE,
    &parameter_mapping_with_subtype::RULE,
    &unresolved_reference::RULE,
    &static_execution_name::RULE,
];

/// The rules that look at one integration at a time.
pub const INTEGRATION_RULES: &[IntegrationCheck] = &[
    unknown_subtype::check,
    missing_required_parameter::check,
    unknown_parameter::check,
    wrong_integration_type::check,
    wrong_payload_format_version::check,
    missing_credentials::check,
    invalid_expression::check,
    bare_expression_after_text::check,
    unsupported_jsonpath::check,
    unknown_context_variable::check,
    rest_only_context_variable::check,
    response_phase_context_variable::check,
    wrong_field_name::check,
    invalid_json_parameter::check,
    value_length::check,
    unquoted_non_string::check,
    timeout_out_of_range::check,
    deprecated_subtype::check,
    subtype_with_uri::check,
    websocket_only_property::check,
    parameter_value_constraint::check,
    sub_variable_collision::check,
    parameter_without_subtype::check,
    parameter_mapping_with_subtype::check,
];

/// The rules that look at one entry (a top-level key, a section member) at a time.
pub type EntryCheck = fn(crate::document::EntryRef<'_>, &mut Vec<Finding>);

pub const ENTRY_RULES: &[EntryCheck] = &[
    swagger_not_supported::check,
    openapi_version::check,
    default_path_without_slash::check,
    invalid_stage::check,
];

/// The rules that look across entries, at the join of their facts.
pub const CROSS_RULES: &[cross::CrossCheck] = &[
    openapi_with_route_resources::check,
    wrong_reference_kind::check,
    role_not_trusted::check,
    role_missing_permission::check,
    state_machine_type::check,
    sqs_fifo::check,
    receive_wait_exceeds_timeout::check,
    integration_on_websocket_api::check,
    http_api_integration_type::check,
    undefined_path_variable::check,
    undefined_stage_variable::check,
    invalid_route_key::check,
    duplicate_route_key::check,
    invalid_route_target::check,
    unresolved_reference::check,
    static_execution_name::check,
];

/// A [`Fix::Replace`] of the bytes `inner` of a parameter value's text by `text`.
///
/// When the value is written verbatim (no escapes, no folding) the fix replaces just
/// those bytes; otherwise it replaces the whole text inside the quotes with the whole
/// corrected value. Block scalars get no fix.
pub fn value_fix(
    value: &ParameterValue<'_>,
    title: String,
    inner: Range<usize>,
    text: &str,
) -> Option<Fix> {
    let scalar = value.value.scalar()?;
    if scalar.style == crate::syntax::ScalarStyle::Block {
        return None;
    }
    let span = value.value.text_span();
    if value.value.is_verbatim() {
        return Some(Fix::Replace {
            title,
            text: text.to_string(),
            range: Some(value.doc_range(inner)),
        });
    }
    let whole = format!(
        "{}{text}{}",
        scalar.text.get(..inner.start)?,
        scalar.text.get(inner.end..)?
    );
    Some(Fix::Replace {
        title,
        text: whole,
        range: Some(span),
    })
}

/// Looks a rule up by code.
pub fn rule(code: &str) -> Option<&'static RuleInfo> {
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
