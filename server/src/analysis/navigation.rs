//! Go to definition and find references.
//!
//! What the cursor is on is found from the resource or OpenAPI integration under it
//! ([`context::locate`]) and the
//! [`Index`]; where it is declared and used comes from the index alone
//! (routes, path variables, stages, integration expressions, logical-ID references),
//! so no request walks the document.

use std::ops::Range;

use super::context::{self, Located, Place};
use crate::document::Document;
use crate::expr::Source;
use crate::model::facts::is_api_gateway_type;
use crate::model::index::{FileId, Index};
use crate::model::intrinsics::ref_name;
use crate::model::{Dialect, Origin};

/// What a definition or references request is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    /// A resource's or template parameter's logical ID.
    Name(String),
    /// A `{name}` route variable read as `$request.path.name` by an integration (or,
    /// for a route without a resolvable target, only that route's variable).
    PathVariable {
        name: String,
        integration: Option<String>,
        route: Option<String>,
    },
    /// A stage variable of an API (any API when `api` is unknown).
    StageVariable { name: String, api: Option<String> },
    /// A `{name}` of OpenAPI path keys (the spans of the keys in `paths`) read as
    /// `$request.path.name` by integrations (their anchors' starts in `integrations`).
    OpenApiPathVariable {
        name: String,
        paths: Vec<Range<usize>>,
        integrations: Vec<usize>,
    },
    /// A shared integration of an OpenAPI document (`api`: the resource holding an
    /// inline body).
    SharedIntegration { name: String, api: Option<String> },
}

/// The subject under the cursor, and whether the cursor is on one of its declarations.
fn subject_at(doc: &Document, index: &Index, offset: usize) -> Option<(Subject, bool)> {
    let within = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    if let Some((name, _)) = index.parameter_at(offset) {
        return Some((Subject::Name(name.to_string()), true));
    }
    let located = context::locate(doc, offset)?;
    if let Some(found) = openapi_subject(index, &located, offset) {
        return Some(found);
    }
    // A standalone OpenAPI document names the resources of the template that
    // includes it.
    if located.resource.is_none()
        && let Some(integration) = &located.integration
        && let Some(intrinsic) = context::innermost_intrinsic(integration.fields, offset)
        && let Some((name, _)) = context::referenced_name(intrinsic, offset)
    {
        return Some((Subject::Name(name), false));
    }
    let resource = located.resource.as_ref()?;
    if matches!(located.place, Place::ResourceName) {
        return Some((Subject::Name(resource.name.to_string()), true));
    }
    if !resource.type_name().is_some_and(is_api_gateway_type) {
        return None;
    }
    if let Some(integration) = &located.integration {
        let expression = match &located.place {
            Place::ParamValue | Place::FieldValue { .. } => located
                .pair_value()
                .and_then(|(pair, value)| context::expression_at(pair, value, offset)),
            _ => None,
        };
        match expression.map(|(e, _)| e.source) {
            Some(Source::RequestPath(Some(name))) => {
                let subject = Subject::PathVariable {
                    name,
                    integration: Some(integration.name.to_string()),
                    route: None,
                };
                return Some((subject, false));
            }
            Some(Source::StageVariable(name)) => {
                let api = match integration.dialect {
                    Dialect::CloudFormation => integration.fields.get("ApiId").and_then(ref_name),
                    Dialect::Terraform => integration.fields.get("api_id").and_then(ref_name),
                    Dialect::Pulumi => integration.fields.get("apiId").and_then(ref_name),
                    Dialect::OpenApi => Some(resource.name.to_string()),
                    // The module's API is its own.
                    Dialect::TerraformModule => None,
                };
                return Some((Subject::StageVariable { name, api }, false));
            }
            _ => {}
        }
    }
    if let Some((r, route)) = index.route(resource.name).filter(|(r, _)| r.file == 0) {
        let target = route.target_integration();
        if let Some((target, span)) = target
            && within(&r.abs(span))
        {
            return Some((Subject::Name(target.to_string()), false));
        }
        if let Some(var) = route
            .path_variables
            .iter()
            .find(|v| within(&r.abs(&v.span)))
        {
            let subject = Subject::PathVariable {
                name: var.name.clone(),
                integration: target.map(|(t, _)| t.to_string()),
                route: Some(r.item.name.clone()),
            };
            return Some((subject, true));
        }
    }
    for (r, stage) in index.stages().filter(|(r, _)| r.name == resource.name) {
        let vars = stage.variables.iter().flatten();
        if let Some(var) = vars.into_iter().find(|v| within(&r.abs(&v.name_span))) {
            let subject = Subject::StageVariable {
                name: var.name.clone(),
                api: stage.api.clone(),
            };
            return Some((subject, true));
        }
    }
    if let Some(intrinsic) = context::innermost_intrinsic(resource.value, offset)
        && let Some((name, _)) = context::referenced_name(intrinsic, offset)
    {
        return Some((Subject::Name(name), false));
    }
    // `DependsOn` (and anything else the index recorded for this resource).
    let r = index.resource_at(resource.name)?;
    r.item
        .depends_on
        .iter()
        .chain(&r.item.refs)
        .find(|(_, span)| within(&r.abs(span)))
        .map(|(name, _)| (Subject::Name(name.clone()), false))
}

/// Subjects only OpenAPI has: `$request.path.x` in an OpenAPI integration, `{x}` in a
/// path key, `$ref`s and shared integrations' names.
fn openapi_subject(index: &Index, located: &Located<'_>, offset: usize) -> Option<(Subject, bool)> {
    let api = located.api();
    let within = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    match (&located.place, &located.integration) {
        (Place::SharedRef { name, .. }, _) => Some((
            Subject::SharedIntegration {
                name: name.clone(),
                api: api.map(str::to_string),
            },
            false,
        )),
        (Place::IntegrationName, Some(integration))
            if matches!(integration.origin, Origin::Shared) =>
        {
            Some((
                Subject::SharedIntegration {
                    name: integration.name.to_string(),
                    api: api.map(str::to_string),
                },
                true,
            ))
        }
        (Place::PathKey { span, .. }, _) => {
            let on_path = || {
                index.operations().filter(move |r| {
                    r.file == 0 && r.api.as_deref() == api && &r.abs(&r.path_span) == span
                })
            };
            let route = on_path().next()?;
            let var = route
                .item
                .path_variables
                .iter()
                .find(|v| within(&route.abs(&v.span)))?;
            let integrations = on_path()
                .filter_map(|r| index.operation_target(r))
                .map(|i| i.abs(&i.anchor).start)
                .collect();
            Some((
                Subject::OpenApiPathVariable {
                    name: var.name.clone(),
                    paths: vec![span.clone()],
                    integrations,
                },
                true,
            ))
        }
        (Place::ParamValue | Place::FieldValue { .. }, Some(integration))
            if integration.dialect == Dialect::OpenApi =>
        {
            let (pair, value) = located.pair_value()?;
            let (expr, _) = context::expression_at(pair, value, offset)?;
            let Source::RequestPath(Some(name)) = expr.source else {
                return None;
            };
            let info = index.integration_at(integration.anchor.start)?;
            let paths = index
                .routes_of(info)
                .iter()
                .map(|r| r.abs(&r.path_span))
                .collect();
            Some((
                Subject::OpenApiPathVariable {
                    name,
                    paths,
                    integrations: vec![info.abs(&info.anchor).start],
                },
                false,
            ))
        }
        _ => None,
    }
}

/// Where the subject is declared.
fn declarations(index: &Index, subject: &Subject) -> Vec<(FileId, Range<usize>)> {
    match subject {
        Subject::Name(name) => index
            .resource_at(name)
            .map(|r| r.at(&r.name_span))
            .or_else(|| index.parameter(name))
            .into_iter()
            .collect(),
        Subject::PathVariable {
            name,
            integration,
            route,
        } => index
            .routes()
            .filter(|(r, rf)| match integration {
                Some(i) => rf.target_integration().is_some_and(|(t, _)| t == i),
                None => route.as_deref() == Some(r.name.as_str()),
            })
            .flat_map(|(r, rf)| {
                rf.path_variables
                    .iter()
                    .filter(|v| &v.name == name)
                    .map(move |v| r.at(&v.span))
            })
            .collect(),
        Subject::StageVariable { name, api } => index
            .stages_of(api.as_deref())
            .flat_map(|(r, s)| {
                s.variables
                    .iter()
                    .flatten()
                    .filter(|v| &v.name == name)
                    .map(move |v| r.at(&v.name_span))
            })
            .collect(),
        Subject::OpenApiPathVariable { name, paths, .. } => index
            .operations()
            .filter(|op| op.file == 0 && paths.contains(&op.abs(&op.path_span)))
            .flat_map(|op| {
                op.item
                    .path_variables
                    .iter()
                    .filter(|v| &v.name == name)
                    .map(move |v| op.at(&v.span))
            })
            .collect(),
        Subject::SharedIntegration { name, api } => index
            .shared_integration(api.as_deref(), name)
            .map(|i| i.at(&i.anchor))
            .into_iter()
            .collect(),
    }
}

/// Where the subject is used.
fn uses(index: &Index, subject: &Subject) -> Vec<(FileId, Range<usize>)> {
    match subject {
        Subject::Name(name) => index
            .references_to(name)
            .chain(
                index
                    .routes_targeting(name)
                    .filter_map(|(r, rf)| Some(r.at(rf.target_integration()?.1))),
            )
            .collect(),
        Subject::PathVariable {
            name, integration, ..
        } => integration
            .as_deref()
            .and_then(|i| index.integration(i))
            .into_iter()
            .flat_map(|i| {
                i.item
                    .expressions()
                    .filter(|e| matches!(&e.source, Source::RequestPath(Some(n)) if n == name))
                    .map(move |e| i.at(&e.range))
            })
            .collect(),
        Subject::StageVariable { name, api } => index
            .integrations()
            .filter(|i| api.is_none() || i.api.is_none() || i.api == *api)
            .flat_map(|i| {
                i.item
                    .expressions()
                    .filter(|e| matches!(&e.source, Source::StageVariable(n) if n == name))
                    .map(move |e| i.at(&e.range))
            })
            .collect(),
        Subject::OpenApiPathVariable {
            name, integrations, ..
        } => index
            .integrations()
            .filter(|i| {
                !i.is_resource() && i.file == 0 && integrations.contains(&i.abs(&i.anchor).start)
            })
            .flat_map(|i| {
                i.item
                    .expressions()
                    .filter(|e| matches!(&e.source, Source::RequestPath(Some(n)) if n == name))
                    .map(move |e| i.at(&e.range))
            })
            .collect(),
        Subject::SharedIntegration { name, api } => index
            .routes_using(api.as_deref(), name)
            .filter_map(|op| Some(op.at(op.item.shared()?.1)))
            .collect(),
    }
}

fn sorted(mut ranges: Vec<(FileId, Range<usize>)>) -> Vec<(FileId, Range<usize>)> {
    ranges.sort_by_key(|(f, r)| (*f, r.start, r.end));
    ranges.dedup();
    ranges
}

/// Where the thing at byte `offset` is defined (possibly several places).
pub fn definition(doc: &Document, index: &Index, offset: usize) -> Vec<(FileId, Range<usize>)> {
    match subject_at(doc, index, offset) {
        Some((subject, false)) => sorted(declarations(index, &subject)),
        _ => Vec::new(),
    }
}

/// Where the thing at byte `offset` is used.
pub fn references(
    doc: &Document,
    index: &Index,
    offset: usize,
    include_declaration: bool,
) -> Vec<(FileId, Range<usize>)> {
    let Some((subject, _)) = subject_at(doc, index, offset) else {
        return Vec::new();
    };
    let mut out = uses(index, &subject);
    if include_declaration {
        out.extend(declarations(index, &subject));
    }
    sorted(out)
}

/// What a rename at an offset renames: the current name and its occurrence at the
/// cursor. Logical IDs of resources and parameters, and path variables; not pseudo
/// parameters, stage variables or shared integrations.
pub fn prepare_rename(
    doc: &Document,
    index: &Index,
    offset: usize,
) -> Option<(String, Range<usize>)> {
    let (subject, _) = subject_at(doc, index, offset)?;
    let name = rename_name(&subject)?;
    let text = doc.rope();
    let mut all = rename_uses(doc, &[], index, &subject);
    all.extend(declarations(index, &subject));
    all.into_iter()
        .filter(|(file, _)| *file == 0)
        .filter_map(|(_, range)| {
            let slice = text.get_byte_slice(range.clone())?.to_string();
            narrow(&slice, &name).map(|r| range.start + r.start..range.start + r.end)
        })
        .find(|r| r.start <= offset && offset <= r.end)
        .map(|r| (name, r))
}

/// Every use a rename must change. The index follows uses only where API Gateway
/// reads them; a logical ID renamed must change everywhere (a function's `!Ref Queue`,
/// `Outputs`, `DependsOn` of any resource), so for a logical ID this document and the
/// files linked to it (`others`) are read whole, once, for the rename.
fn rename_uses(
    doc: &Document,
    others: &[(FileId, &Document)],
    index: &Index,
    subject: &Subject,
) -> Vec<(FileId, Range<usize>)> {
    let Subject::Name(name) = subject else {
        return uses(index, subject);
    };
    let mut out = Vec::new();
    for (file, doc) in std::iter::once((0, doc)).chain(others.iter().copied()) {
        for entry in doc.entries() {
            let Some(value) = entry.value() else { continue };
            out.extend(
                crate::model::intrinsics::references_in(value)
                    .into_iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, span)| (file, span)),
            );
            for item in crate::model::items(entry) {
                let crate::model::Item::Resource(resource) = item else {
                    continue;
                };
                let Some(depends) = resource.value.get("DependsOn") else {
                    continue;
                };
                for node in std::iter::once(depends).chain(depends.items()) {
                    if node.text() == Some(name.as_str()) {
                        out.push((file, node.text_span()));
                    }
                }
            }
        }
    }
    out
}

/// The name a subject renames, when it can be renamed.
fn rename_name(subject: &Subject) -> Option<String> {
    match subject {
        Subject::Name(name) if !name.starts_with("AWS::") && !name.contains('.') => {
            Some(name.clone())
        }
        Subject::PathVariable { name, .. } | Subject::OpenApiPathVariable { name, .. } => {
            Some(name.clone())
        }
        _ => None,
    }
}

/// The range of `name` as a whole word in `text` (a name, `$request.path.name`,
/// `${Name}`, `integrations/${Name}`, `{name+}`): its last occurrence, which is the
/// name itself in every such form.
fn narrow(text: &str, name: &str) -> Option<Range<usize>> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(name)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            !before.is_some_and(word) && !after.is_some_and(word)
        })
        .map(|(at, _)| at..at + name.len())
        .last()
}

/// The edits of renaming the thing at `offset` to `new_name`: every declaration and use
/// of it, in this document and in the files linked to it (`others`, with their file
/// ids). An error says why it cannot be renamed.
pub fn rename(
    doc: &Document,
    others: &[(FileId, &Document)],
    index: &Index,
    offset: usize,
    new_name: &str,
) -> Result<Vec<(FileId, Range<usize>)>, String> {
    let text_of = |file: FileId, range: Range<usize>| {
        let doc = match file {
            0 => doc,
            n => others.iter().find(|(f, _)| *f == n)?.1,
        };
        Some(doc.rope().get_byte_slice(range)?.to_string())
    };
    let Some((subject, _)) = subject_at(doc, index, offset) else {
        return Err("nothing to rename here".to_string());
    };
    let Some(old) = rename_name(&subject) else {
        return Err("this name cannot be renamed (pseudo parameters, stage variables and shared integrations are not)".to_string());
    };
    let valid = match subject {
        Subject::Name(_) => {
            !new_name.is_empty() && new_name.chars().all(|c| c.is_ascii_alphanumeric())
        }
        _ => {
            !new_name.is_empty()
                && new_name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        }
    };
    if !valid {
        return Err(format!(
            "`{new_name}` is not a valid name here: logical IDs are letters and digits; path variables letters, digits, `_` and `-`"
        ));
    }
    let mut all = rename_uses(doc, others, index, &subject);
    all.extend(declarations(index, &subject));
    let mut out = Vec::new();
    for (file, range) in sorted(all) {
        let text = text_of(file, range.clone())
            .ok_or_else(|| "a linked file is not available".to_string())?;
        let Some(inner) = narrow(&text, &old) else {
            return Err(format!(
                "`{old}` is written in an escaped or folded string at byte {}: rename it there by hand",
                range.start
            ));
        };
        out.push((file, range.start + inner.start..range.start + inner.end));
    }
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::hover::tests::{JSON, OPENAPI, OPENAPI_JSON, SAM, YAML, mark};
    use crate::analysis::test_support::{cursor, open};

    /// Runs `f` at the cursor of `base` marked at `marked`; returns the text and the
    /// ranges found.
    fn run(
        base: &str,
        marked: &str,
        f: impl Fn(&Document, &Index, usize) -> Vec<(FileId, Range<usize>)>,
    ) -> (String, Vec<Range<usize>>) {
        let (text, offset) = cursor(&mark(base, marked));
        let (doc, index) = open(&text);
        let found = f(&doc, &index, offset);
        // One document: everything is in it.
        assert!(found.iter().all(|(file, _)| *file == 0), "{found:?}");
        (text, found.into_iter().map(|(_, r)| r).collect())
    }

    /// The start offset of `needle` (plus `delta`) in `text`.
    fn at(text: &str, needle: &str, delta: usize) -> usize {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in text"))
            + delta
    }

    fn definition_of(base: &str, marked: &str) -> (String, Vec<Range<usize>>) {
        run(base, marked, definition)
    }

    fn references_of(base: &str, marked: &str, decl: bool) -> (String, Vec<Range<usize>>) {
        run(base, marked, |d, i, o| references(d, i, o, decl))
    }

    /// Checks one range: its text and where it starts.
    fn one(text: &str, ranges: &[Range<usize>], word: &str, start: usize) {
        assert_eq!(ranges.len(), 1, "{ranges:?}");
        assert_eq!(&text[ranges[0].clone()], word);
        assert_eq!(ranges[0].start, start);
    }

    #[test]
    fn path_expression_goes_to_the_route_variable() {
        for base in [YAML, JSON] {
            let (text, defs) = definition_of(base, "$request.path.or$0derId");
            one(&text, &defs, "orderId", at(&text, "{orderId}", 1));
        }
        let (_, defs) = definition_of(YAML, "$request.path.reg$0ion");
        assert!(defs.is_empty(), "no route defines {{region}}: {defs:?}");
    }

    #[test]
    fn targets_and_intrinsics_go_to_the_resource() {
        let cases = [
            (YAML, "integrations/${Se$0nd}", "  Send:", 2, "Send"),
            (YAML, "!Ref Se$0nd]]", "  Send:", 2, "Send"),
            (YAML, "!GetAtt Ro$0le.Arn", "  Role:", 2, "Role"),
            (YAML, "QueueUrl: !Ref Qu$0eue", "  Queue:", 2, "Queue"),
            (
                YAML,
                "${Queue$0Name} sender",
                "  QueueName:",
                2,
                "QueueName",
            ),
            (YAML, "ApiId: !Ref A$0pi", "  Api:", 2, "Api"),
            (JSON, "{\"Ref\": \"Se$0nd\"}", "\"Send\": {", 1, "Send"),
            (JSON, "[\"Ro$0le\", \"Arn\"]", "\"Role\": {", 1, "Role"),
            (JSON, "{\"Ref\": \"Qu$0eue\"}", "\"Queue\": {", 1, "Queue"),
        ];
        for (base, marked, decl, delta, word) in cases {
            let (text, defs) = definition_of(base, marked);
            one(&text, &defs, word, at(&text, decl, delta));
        }
    }

    #[test]
    fn literal_and_long_form_targets() {
        let base = "Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {IntegrationSubtype: SQS-PurgeQueue, CredentialsArn: {'Fn::GetAtt': [Role, Arn]}}
  R1:
    Type: AWS::ApiGatewayV2::Route
    DependsOn: [Int]
    Properties:
      Target: integrations/Int
  R2:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      Target:
        Fn::Sub: integrations/${Int}
  Role:
    Type: AWS::IAM::Role
";
        let (text, defs) = definition_of(base, "integrations/I$0nt\n");
        one(&text, &defs, "Int", at(&text, "  Int:", 2));
        let (text, defs) = definition_of(base, "${I$0nt}");
        one(&text, &defs, "Int", at(&text, "  Int:", 2));
        let (text, defs) = definition_of(base, "[Ro$0le, Arn]");
        one(&text, &defs, "Role", at(&text, "  Role:", 2));
        let (text, defs) = definition_of(base, "[I$0nt]");
        one(&text, &defs, "Int", at(&text, "  Int:", 2));
        let (text, refs) = references_of(base, "  I$0nt:", true);
        let words: Vec<&str> = refs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, ["Int", "Int", "Int", "Int"]);
        assert_eq!(refs[1].start, at(&text, "[Int]", 1));
        assert_eq!(refs[2].start, at(&text, "integrations/Int", 13));
        assert_eq!(refs[3].start, at(&text, "${Int}", 2));
    }

    #[test]
    fn stage_variable_goes_to_each_stage() {
        let (text, defs) = definition_of(YAML, "$stageVariables.at$0trs");
        one(&text, &defs, "attrs", at(&text, "attrs: prod-attrs", 0));
        let (text, defs) = definition_of(JSON, "$stageVariables.at$0trs");
        one(&text, &defs, "attrs", at(&text, "\"attrs\": \"a1\"", 1));
        let base = YAML.replace(
            "      StageName: dev\n",
            "      StageName: dev\n      StageVariables: {attrs: dev-attrs}\n",
        );
        let (text, defs) = definition_of(&base, "$stageVariables.at$0trs");
        let starts: Vec<usize> = defs.iter().map(|r| r.start).collect();
        assert_eq!(
            starts,
            [
                at(&text, "attrs: prod-attrs", 0),
                at(&text, "attrs: dev-attrs", 0)
            ]
        );
    }

    #[test]
    fn integration_references_are_the_route_targets() {
        for (base, marked) in [(YAML, "  Se$0nd:"), (JSON, "\"Se$0nd\": {")] {
            let (text, refs) = references_of(base, marked, false);
            assert!(!refs.is_empty());
            assert!(refs.iter().all(|r| &text[r.clone()] == "Send"), "{refs:?}");
            let decl = text.find("Send").unwrap_or(0);
            assert!(refs.iter().all(|r| r.start != decl));
        }
        let (text, refs) = references_of(YAML, "  Se$0nd:", false);
        let starts: Vec<usize> = refs.iter().map(|r| r.start).collect();
        assert_eq!(
            starts,
            [
                at(&text, "integrations/${Send}", 15),
                at(&text, "!Ref Send]]", 5)
            ]
        );
        // With the declaration, and from a use.
        let (text, refs) = references_of(YAML, "!Ref Se$0nd]]", true);
        assert_eq!(refs.len(), 3);
        assert_eq!(refs[0].start, at(&text, "  Send:", 2));
        let (text, refs) = references_of(JSON, "{\"Ref\": \"Se$0nd\"}", true);
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].start, at(&text, "\"Send\": {", 1));
    }

    #[test]
    fn resource_and_parameter_references() {
        let (text, refs) = references_of(YAML, "  Ro$0le:", false);
        one(&text, &refs, "Role", at(&text, "Role.Arn", 0));
        // The `!Ref QueueName` in the queue is not in an API Gateway resource.
        let (text, refs) = references_of(YAML, "  Queue$0Name:\n    Type: String", true);
        let starts: Vec<usize> = refs.iter().map(|r| r.start).collect();
        assert_eq!(
            starts,
            [at(&text, "  QueueName:", 2), at(&text, "${QueueName}", 2)]
        );
        let (text, refs) = references_of(YAML, "  A$0pi:", false);
        assert_eq!(refs.len(), 5, "every ApiId: {refs:?}");
        assert!(refs.iter().all(|r| &text[r.clone()] == "Api"));
    }

    #[test]
    fn path_variable_references() {
        let (text, refs) = references_of(YAML, "{order$0Id}", false);
        one(
            &text,
            &refs,
            "$request.path.orderId",
            at(&text, "$request.path.orderId", 0),
        );
        let (text, refs) = references_of(YAML, "$request.path.or$0derId", true);
        let words: Vec<&str> = refs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, ["$request.path.orderId", "orderId"]);
        let (text, refs) = references_of(JSON, "{order$0Id}", true);
        let words: Vec<&str> = refs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, ["$request.path.orderId", "orderId"]);
    }

    #[test]
    fn stage_variable_references() {
        let (text, refs) = references_of(YAML, "$stageVariables.at$0trs", true);
        let words: Vec<&str> = refs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, ["$stageVariables.attrs", "attrs"]);
        let (text, refs) = references_of(JSON, "\"at$0trs\": \"a1\"", false);
        one(
            &text,
            &refs,
            "$stageVariables.attrs",
            at(&text, "$stageVariables.attrs", 0),
        );
    }

    #[test]
    fn nothing_outside_our_resources_or_on_broken_text() {
        let (_, defs) = definition_of(YAML, "QueueName: !Ref Queue$0Name");
        assert!(defs.is_empty());
        let (_, defs) = definition_of(YAML, "Name: ord$0ers");
        assert!(defs.is_empty());
        let (_, defs) = definition_of(YAML, "  Se$0nd:");
        assert!(defs.is_empty(), "a declaration has no definition to go to");
        let broken = format!("{YAML}  Bad: [\n    {{ : \n");
        let (text, defs) = definition_of(&broken, "$request.path.or$0derId");
        one(&text, &defs, "orderId", at(&text, "{orderId}", 1));
        let truncated = &JSON[..at(JSON, "\"MessageAttributes", 0)];
        let (_, defs) = definition_of(truncated, "$request.path.or$0derId");
        assert!(defs.len() <= 1);
        let (doc, index) = open("");
        assert!(definition(&doc, &index, 0).is_empty());
        assert!(references(&doc, &index, 5, true).is_empty());
    }

    // ---- OpenAPI ----

    /// The start offsets of every occurrence of `needle` (plus `delta`).
    fn all(text: &str, needle: &str, delta: usize) -> Vec<usize> {
        text.match_indices(needle).map(|(i, _)| i + delta).collect()
    }

    #[test]
    fn openapi_path_expression_goes_to_the_path_key() {
        for base in [OPENAPI, OPENAPI_JSON] {
            let (text, defs) = definition_of(base, "$request.path.or$0derId");
            one(&text, &defs, "orderId", at(&text, "{orderId}", 1));
        }
        // A shared integration: every path whose operation references it.
        let (text, defs) = definition_of(OPENAPI, "$request.path.run$0Name");
        let starts: Vec<usize> = defs.iter().map(|r| r.start).collect();
        assert_eq!(starts, all(&text, "{runName}", 1));
        assert_eq!(starts.len(), 2);
        let (text, defs) = definition_of(OPENAPI_JSON, "$request.path.run$0Name");
        one(&text, &defs, "runName", at(&text, "{runName}", 1));
        let (text, defs) = definition_of(SAM, "$request.path.i$0d");
        one(&text, &defs, "id", at(&text, "{id}", 1));
    }

    #[test]
    fn openapi_refs_go_to_the_shared_integration() {
        for (base, marked, decl, delta) in [
            (
                OPENAPI,
                "integrations/start$0Run\"\n  /jobs",
                "    startRun:",
                4,
            ),
            (
                OPENAPI_JSON,
                "integrations/start$0Run\"}",
                "\"startRun\": {",
                1,
            ),
        ] {
            let (text, defs) = definition_of(base, marked);
            one(&text, &defs, "startRun", at(&text, decl, delta));
        }
        let (text, refs) = references_of(OPENAPI, "    start$0Run:", false);
        let starts: Vec<usize> = refs.iter().map(|r| r.start).collect();
        assert_eq!(starts, all(&text, "#/components/x-amazon", 0));
        assert_eq!(starts.len(), 3);
        assert!(refs.iter().all(|r| text[r.clone()].ends_with("/startRun")));
        let (text, refs) = references_of(OPENAPI_JSON, "integrations/start$0Run\"}", true);
        let words: Vec<&str> = refs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            words,
            [
                "#/components/x-amazon-apigateway-integrations/startRun",
                "startRun"
            ]
        );
        let (_, defs) = definition_of(OPENAPI, "    start$0Run:");
        assert!(defs.is_empty(), "a declaration has no definition to go to");
    }

    #[test]
    fn openapi_path_variable_references() {
        let (text, refs) = references_of(OPENAPI, "/orders/{order$0Id}", true);
        let words: Vec<&str> = refs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, ["orderId", "$request.path.orderId"]);
        let (text, refs) = references_of(OPENAPI, "/runs/{run$0Name}", false);
        one(
            &text,
            &refs,
            "$request.path.runName",
            at(&text, "$request.path.runName", 0),
        );
        let (text, refs) = references_of(OPENAPI_JSON, "$request.path.run$0Name", true);
        let words: Vec<&str> = refs.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(words, ["runName", "$request.path.runName"]);
    }

    #[test]
    fn sam_body_intrinsics_and_stage_variables() {
        let (text, defs) = definition_of(SAM, "!GetAtt OrdersApi$0Role.Arn");
        one(
            &text,
            &defs,
            "OrdersApiRole",
            at(&text, "  OrdersApiRole:", 2),
        );
        let (text, defs) = definition_of(SAM, "!Ref Orders$0Queue");
        one(&text, &defs, "OrdersQueue", at(&text, "  OrdersQueue:", 2));
        let (text, refs) = references_of(SAM, "  Orders$0Queue:", false);
        one(
            &text,
            &refs,
            "OrdersQueue",
            at(&text, "!Ref OrdersQueue", 5),
        );
        let (text, defs) = definition_of(SAM, "$stageVariables.at$0trs");
        one(&text, &defs, "attrs", at(&text, "attrs: prod-attrs", 0));
        let (text, refs) = references_of(SAM, "at$0trs: prod-attrs", false);
        one(
            &text,
            &refs,
            "$stageVariables.attrs",
            at(&text, "$stageVariables.attrs", 0),
        );
        let (_, defs) = definition_of(OPENAPI, "title: orders$0-api");
        assert!(defs.is_empty());
    }

    /// Applies a rename's edits to `text` (one document).
    fn renamed(text: &str, spans: &[(FileId, Range<usize>)], new: &str) -> String {
        let mut out = text.to_string();
        let mut spans: Vec<_> = spans
            .iter()
            .map(|(f, r)| {
                assert_eq!(*f, 0);
                r.clone()
            })
            .collect();
        spans.sort_by_key(|r| std::cmp::Reverse(r.start));
        for r in spans {
            out.replace_range(r, new);
        }
        out
    }

    const RENAME: &str = "Resources:
  Queue:
    Type: AWS::SQS::Queue
  Worker:
    Type: AWS::Lambda::Function
    DependsOn: Queue
    Properties:
      Environment: {Variables: {URL: !Ref Queue, ARN: !Sub '${Queue.Arn}'}}
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: $request.path.id
  R:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: POST /orders/{id}
      Target: !Sub integrations/${Send}
Outputs:
  QueueArn:
    Value: !GetAtt Queue.Arn
";

    #[test]
    fn rename_changes_a_logical_id_everywhere_in_the_template() {
        let (doc, index) = open(RENAME);
        let at = RENAME
            .find("QueueUrl: !Ref Queue")
            .map(|i| i + 16)
            .unwrap_or(0);
        let (name, range) = prepare_rename(&doc, &index, at).expect("renamable");
        assert_eq!((name.as_str(), &RENAME[range]), ("Queue", "Queue"));
        let spans = rename(&doc, &[], &index, at, "Orders").expect("rename");
        let out = renamed(RENAME, &spans, "Orders");
        assert!(
            !out.contains("Queue:") && !out.contains("Queue.Arn") && !out.contains("Ref Queue"),
            "{out}"
        );
        assert!(
            out.contains("DependsOn: Orders") && out.contains("${Orders.Arn}"),
            "{out}"
        );
        assert!(
            out.contains("!GetAtt Orders.Arn") && out.contains("QueueUrl: !Ref Orders"),
            "{out}"
        );
        assert!(
            out.contains("QueueArn:"),
            "output names are not logical IDs: {out}"
        );
    }

    #[test]
    fn rename_changes_a_path_variable_and_its_reads() {
        let (doc, index) = open(RENAME);
        let at = RENAME.find("{id}").map(|i| i + 2).unwrap_or(0);
        let spans = rename(&doc, &[], &index, at, "orderId").expect("rename");
        let out = renamed(RENAME, &spans, "orderId");
        assert!(
            out.contains("POST /orders/{orderId}") && out.contains("$request.path.orderId"),
            "{out}"
        );
    }

    #[test]
    fn rename_refuses_what_it_cannot_do_well() {
        let (doc, index) = open(RENAME);
        let at = RENAME
            .find("QueueUrl: !Ref Queue")
            .map(|i| i + 16)
            .unwrap_or(0);
        let bad = rename(&doc, &[], &index, at, "Not-An-Id");
        assert!(bad.is_err(), "{bad:?}");
        let text = "Resources:\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      Description: !Ref AWS::Region\n";
        let (doc, index) = open(text);
        let at = text.find("AWS::Region").unwrap_or(0) + 2;
        assert!(prepare_rename(&doc, &index, at).is_none());
    }
}
