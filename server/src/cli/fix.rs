//! `check --fix`: applies the quick fixes the editor offers, where they need no choice.
//!
//! The edits come from [`code_actions::for_finding`], the code that builds the editor's
//! quick fixes from a finding's fix data; nothing here knows how to fix anything. This
//! module only decides which fixes are safe to apply unattended ([`unattended`]),
//! drops fixes whose edits overlap an earlier one ([`plan`]), and splices the edits
//! into the text byte for byte ([`apply`]): line endings, a BOM and everything outside
//! the edits stay as they were.

use std::ops::Range;

use crate::analysis::code_actions::{self, placeholder_marker};
use crate::analysis::features::TextEdit;
use crate::document::Document;
use crate::model::{Dialect, Field};
use crate::rules::{Finding, Fix};

/// Whether `--fix` applies a fix of this kind without asking.
///
/// - [`Fix::Replace`]: yes. The rule computed the one replacement (a misspelt name
///   with a single closest match, an escape, quotes, a reference of the right kind, a
///   normalised route key); the catalog offers no suggestion when two candidates tie.
///   A replacement holding the `REPLACE_ME` placeholder is not applied.
/// - [`Fix::SetField`]: yes for the values a field must have (`IntegrationType:
///   AWS_PROXY`, `PayloadFormatVersion: "1.0"`), no for the integration subtype: that
///   picks the AWS service the integration calls, which is the author's decision even
///   when only one subtype takes the parameters present.
/// - [`Fix::AddParameters`]: no. It inserts placeholders (`REPLACE_ME`, a guessed
///   queue URL or body field) that the author has to fill in.
/// - [`Fix::AddStatement`]: yes when the template names the target's ARN: the
///   statement allows the one action the subtype calls, on that one resource. Without
///   an ARN its `Resource` is the placeholder.
/// - [`Fix::AddTrust`]: yes. The statement lets the one service principal API Gateway
///   uses assume the role the integration already names.
/// - [`Fix::CreateIntegration`]: only its rename to the closest declared name (the
///   preferred action, as for any misspelt reference); the new integration is full of
///   placeholders and its subtype is the author's choice.
///
/// Whatever the fix, an action whose edits hold the placeholder is never applied.
pub fn unattended(fix: &Fix) -> bool {
    match fix {
        Fix::Replace { text, .. } => !text.contains(placeholder_marker()),
        Fix::SetField { field, value } => {
            let subtype = [Dialect::CloudFormation, Dialect::OpenApi]
                .iter()
                .any(|d| d.name(Field::Subtype) == field);
            !subtype && !value.contains(placeholder_marker())
        }
        Fix::AddParameters { .. } => false,
        Fix::AddStatement { resource, .. } => resource.is_some(),
        Fix::AddTrust { .. } => true,
        Fix::CreateIntegration { rename, .. } => rename.is_some(),
    }
}

/// Codes whose fix is one of several right answers that change what the API does: the
/// editor offers it, `--fix` leaves the choice to the author. `static-execution-name`:
/// mapping the execution name per request and leaving it out both work.
pub const AUTHOR_CHOICE: &[&str] = &["static-execution-name"];

/// The edits `--fix` makes to one file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Non-overlapping edits, sorted by position.
    pub edits: Vec<TextEdit>,
    /// How many findings those edits fix.
    pub fixed: usize,
    /// Findings whose fix was left out because it overlaps an earlier one.
    pub overlapping: usize,
}

/// Whether two edits cannot both be applied in a well-defined way: their ranges
/// overlap, or one inserts where the other starts, ends or inserts (which text goes
/// first would be a guess).
fn conflict(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.start < b.end && b.start < a.end {
        return true;
    }
    (a.is_empty() || b.is_empty()) && a.start <= b.end && b.start <= a.end
}

/// Chooses the fixes for `findings` (in their order, which is by position): each
/// finding whose fix is [`unattended`] and whose code action's edits overlap no edit
/// already chosen. A finding whose fix overlaps is left for a later run and counted.
pub fn plan(doc: &Document, text: &str, findings: &[Finding]) -> Plan {
    let mut plan = Plan::default();
    for finding in findings {
        if !finding.fix.as_ref().is_some_and(unattended) || AUTHOR_CHOICE.contains(&finding.code) {
            continue;
        }
        let actions = code_actions::for_finding(doc, finding);
        // Several actions are a choice, unless one is preferred (as the editor's
        // auto-fix would take it); none means the fix no longer applies.
        let action = match actions.as_slice() {
            [action] => action,
            several => {
                let mut preferred = several.iter().filter(|a| a.is_preferred);
                match (preferred.next(), preferred.next()) {
                    (Some(action), None) => action,
                    _ => continue,
                }
            }
        };
        if action
            .edits
            .iter()
            .any(|e| e.text.contains(placeholder_marker()))
        {
            continue;
        }
        let valid = |e: &TextEdit| {
            e.range.start <= e.range.end
                && text.is_char_boundary(e.range.start)
                && text.is_char_boundary(e.range.end)
        };
        if action.edits.is_empty() || !action.edits.iter().all(valid) {
            continue;
        }
        let clashes = action.edits.iter().enumerate().any(|(i, e)| {
            plan.edits.iter().any(|p| conflict(&p.range, &e.range))
                || action.edits[..i]
                    .iter()
                    .any(|other| conflict(&other.range, &e.range))
        });
        if clashes {
            plan.overlapping += 1;
            continue;
        }
        plan.edits.extend(action.edits.iter().cloned());
        plan.fixed += 1;
    }
    plan.edits.sort_by_key(|e| (e.range.start, e.range.end));
    plan
}

/// `text` with non-overlapping `edits` applied; the bytes between edits are copied as
/// they are. `None` when an edit falls outside the text or off a character boundary.
pub fn apply(text: &str, edits: &[TextEdit]) -> Option<String> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in sorted {
        if edit.range.start < at {
            return None;
        }
        out.push_str(text.get(at..edit.range.start)?);
        text.get(edit.range.clone())?;
        out.push_str(&edit.text);
        at = edit.range.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(range: Range<usize>, text: &str) -> TextEdit {
        TextEdit {
            range,
            text: text.to_string(),
        }
    }

    #[test]
    fn conflicts_are_overlaps_and_shared_insertion_points() {
        assert!(conflict(&(2..5), &(4..6)));
        assert!(conflict(&(2..5), &(3..3)));
        assert!(conflict(&(3..3), &(3..3)));
        assert!(conflict(&(5..5), &(2..5)));
        assert!(!conflict(&(2..5), &(5..7)));
        assert!(!conflict(&(2..2), &(3..3)));
        assert!(!conflict(&(0..1), &(1..2)));
    }

    #[test]
    fn apply_keeps_every_byte_outside_the_edits() {
        let text = "\u{feff}a: 1\r\nb: 2\r\n";
        let out = apply(text, &[edit(12..13, "3"), edit(4..4, "x")]).expect("applies");
        assert_eq!(out, "\u{feff}ax: 1\r\nb: 3\r\n");
        // Off a character boundary (inside the BOM) or past the end: refused.
        assert_eq!(apply(text, &[edit(1..2, "")]), None);
        assert_eq!(apply(text, &[edit(40..41, "")]), None);
        assert_eq!(apply(text, &[edit(3..6, ""), edit(4..5, "")]), None);
    }

    #[test]
    fn placeholders_and_subtype_choices_are_not_applied_unattended() {
        let replace = |text: &str| Fix::Replace {
            title: String::new(),
            text: text.to_string(),
            range: None,
        };
        assert!(unattended(&replace("QueueUrl")));
        assert!(!unattended(&replace("arn:REPLACE_ME")));
        assert!(!unattended(&Fix::AddParameters {
            names: vec!["MessageBody".to_string()]
        }));
        let set = |field: &str, value: &str| Fix::SetField {
            field: field.to_string(),
            value: value.to_string(),
        };
        assert!(unattended(&set("IntegrationType", "AWS_PROXY")));
        assert!(unattended(&set("payloadFormatVersion", "1.0")));
        assert!(!unattended(&set("IntegrationSubtype", "SQS-SendMessage")));
        assert!(!unattended(&set("integrationSubtype", "SQS-SendMessage")));
        let statement = |resource| Fix::AddStatement {
            role: "Role".to_string(),
            action: "sqs:SendMessage".to_string(),
            resource,
            policy: "SQS-SendMessage".to_string(),
        };
        let queue = crate::rules::Arn::GetAtt("Queue".to_string(), "Arn".to_string());
        assert!(unattended(&statement(Some(queue))));
        assert!(!unattended(&statement(None)));
        assert!(unattended(&Fix::AddTrust {
            role: "Role".to_string()
        }));
        let create = |rename: Option<&str>| Fix::CreateIntegration {
            name: "Sendd".to_string(),
            rename: rename.map(str::to_string),
        };
        assert!(unattended(&create(Some("Send"))));
        assert!(!unattended(&create(None)));
    }

    #[test]
    fn author_choices_are_left_to_the_author() {
        let text = "Resources:\n  Machine:\n    Type: AWS::StepFunctions::StateMachine\n  Start:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: StepFunctions-StartExecution\n      RequestParameters:\n        StateMachineArn: !Ref Machine\n        Name: run\n";
        let doc = Document::new(text, crate::syntax::Language::Yaml, 0);
        let findings = crate::analysis::analyze(&doc);
        let choice = findings
            .iter()
            .find(|f| f.code == "static-execution-name")
            .expect("the finding");
        // The editor has a fix for it; --fix does not take it.
        assert!(choice.fix.as_ref().is_some_and(unattended));
        assert_eq!(code_actions::for_finding(&doc, choice).len(), 1);
        let plan = plan(&doc, text, std::slice::from_ref(choice));
        assert_eq!(plan.fixed, 0);
        assert!(plan.edits.is_empty());
        for code in AUTHOR_CHOICE {
            assert!(crate::rules::rule(code).is_some(), "{code} is not a rule");
        }
    }
}
