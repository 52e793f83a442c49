//! "Where am I?": what a byte offset points at in the parsed template or OpenAPI
//! document (CloudFormation resources, OpenAPI `x-amazon-apigateway-integration`s on
//! operations, in `components` or in a resource's inline body), for hover, navigation
//! and quick fixes. Finds the entry by binary search, then descends its value
//! tree; never walks the whole document.

use std::ops::Range;

use crate::document::{Document, EntryRef};
use crate::expr::{self, Expr};
use crate::model::openapi::{self, OpTarget, Operation};
use crate::model::{
    Dialect, Field, Integration, ParameterValue, Resource, inline_openapi, resources_in_entry,
};
use crate::syntax::{NodeKind, NodeRef, PairRef};

/// What the offset is on.
#[derive(Debug, Clone)]
pub enum Place<'a> {
    /// The key of an integration field (`IntegrationSubtype:`), or any property key.
    FieldKey {
        name: &'a str,
        field: Option<Field>,
        pair: PairRef<'a>,
    },
    /// The value of an integration field (`SQS-SendMessage`); `inner` is the innermost
    /// node under the cursor.
    FieldValue {
        name: &'a str,
        field: Option<Field>,
        pair: PairRef<'a>,
        value: NodeRef<'a>,
        inner: NodeRef<'a>,
    },
    /// A key inside `RequestParameters`.
    ParamKey { pair: PairRef<'a> },
    /// A value inside `RequestParameters`; `inner` is the innermost node under the cursor.
    ParamValue {
        pair: PairRef<'a>,
        value: NodeRef<'a>,
        inner: NodeRef<'a>,
    },
    /// A resource's logical ID.
    ResourceName,
    /// The `x-amazon-apigateway-integration` key of an operation, or a shared
    /// integration's name.
    IntegrationName,
    /// The value of a `$ref` to a shared integration (`name` without the
    /// `#/components/x-amazon-apigateway-integrations/` prefix).
    SharedRef { name: String, span: Range<usize> },
    /// An OpenAPI path key (`/runs/{runName}`).
    PathKey { path: &'a str, span: Range<usize> },
    /// Somewhere else inside the resource.
    Other { node: Option<NodeRef<'a>> },
}

/// The resource or OpenAPI integration holding an offset, and the place within it.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    pub entry: EntryRef<'a>,
    /// The CloudFormation resource holding the offset (`None` in a standalone OpenAPI
    /// document).
    pub resource: Option<Resource<'a>>,
    pub integration: Option<Integration<'a>>,
    pub place: Place<'a>,
}

impl<'a> Located<'a> {
    /// The OpenAPI document's scope: the logical ID of the API resource holding an
    /// inline body, `None` for a standalone document.
    pub fn api(&self) -> Option<&'a str> {
        self.resource.as_ref().map(|r| r.name)
    }
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

const FIELDS: &[Field] = &[
    Field::Subtype,
    Field::IntegrationType,
    Field::PayloadFormatVersion,
    Field::Credentials,
    Field::RequestParameters,
    Field::Timeout,
];

fn field_named(dialect: Dialect, name: &str) -> Option<Field> {
    FIELDS.iter().copied().find(|f| dialect.name(*f) == name)
}

/// Locates `offset` in the template or OpenAPI document.
pub fn locate(doc: &Document, offset: usize) -> Option<Located<'_>> {
    for entry in doc.entries_at(offset) {
        match (entry.section, entry.key()) {
            (Some("paths"), Some(path)) => {
                let found = openapi_in_path(path, entry.key_span(), entry.value(), offset);
                if let Some((integration, place)) = found {
                    return Some(Located {
                        entry,
                        resource: None,
                        integration,
                        place,
                    });
                }
                continue;
            }
            (None, Some("paths")) if !entry.entry.splits => {
                let found = entry
                    .value()
                    .into_iter()
                    .flat_map(|v| v.pairs())
                    .find(|p| contains(&(p.key_span().start..p.value_or_key_span().end), offset))
                    .and_then(|p| openapi_in_path(p.key(), p.key_span(), p.value(), offset));
                if let Some((integration, place)) = found {
                    return Some(Located {
                        entry,
                        resource: None,
                        integration,
                        place,
                    });
                }
                continue;
            }
            (None, Some("components")) => {
                let mut out = Vec::new();
                if let Some(value) = entry.value() {
                    openapi::components(value, &mut out);
                }
                if let Some((integration, place)) = openapi_in(out, Vec::new(), offset) {
                    return Some(Located {
                        entry,
                        resource: None,
                        integration,
                        place,
                    });
                }
                continue;
            }
            _ => {}
        }
        for resource in resources_in_entry(entry) {
            let span = resource.name_span.start..resource.value.span().end;
            if !contains(&span, offset) {
                continue;
            }
            let integration = Integration::from_resource(&resource);
            if integration.is_none()
                && let Some(body) =
                    inline_openapi(&resource).filter(|b| contains(&b.span(), offset))
                && let Some((integration, place)) = openapi_in_body(body, offset)
            {
                return Some(Located {
                    entry,
                    resource: Some(resource),
                    integration,
                    place,
                });
            }
            let place = place_in(&resource, integration.as_ref(), offset);
            return Some(Located {
                entry,
                resource: Some(resource),
                integration,
                place,
            });
        }
    }
    None
}

/// The OpenAPI integration (or `$ref`, or path key) under `offset` in one path item.
fn openapi_in_path<'a>(
    path: &'a str,
    path_span: Range<usize>,
    item: Option<NodeRef<'a>>,
    offset: usize,
) -> Option<(Option<Integration<'a>>, Place<'a>)> {
    if contains(&path_span, offset) {
        return Some((
            None,
            Place::PathKey {
                path,
                span: path_span,
            },
        ));
    }
    let mut out = Vec::new();
    let mut operations = Vec::new();
    openapi::path_item(path, path_span, item, &mut out, &mut operations);
    openapi_in(out, operations, offset)
}

/// The OpenAPI integration, `$ref` or path key under `offset` in an inline body.
fn openapi_in_body(
    body: NodeRef<'_>,
    offset: usize,
) -> Option<(Option<Integration<'_>>, Place<'_>)> {
    if let Some(paths) = body.get("paths").filter(|p| contains(&p.span(), offset)) {
        let path = paths
            .pairs()
            .find(|p| contains(&(p.key_span().start..p.value_or_key_span().end), offset))?;
        return openapi_in_path(path.key(), path.key_span(), path.value(), offset);
    }
    let mut out = Vec::new();
    openapi::components(body.get("components")?, &mut out);
    openapi_in(out, Vec::new(), offset)
}

/// The place of `offset` among these integrations and `$ref` uses.
fn openapi_in<'a>(
    integrations: Vec<Integration<'a>>,
    operations: Vec<Operation<'a>>,
    offset: usize,
) -> Option<(Option<Integration<'a>>, Place<'a>)> {
    for op in operations {
        if let OpTarget::Shared { name, ref_span, .. } = op.target
            && contains(&ref_span, offset)
        {
            return Some((
                None,
                Place::SharedRef {
                    name,
                    span: ref_span,
                },
            ));
        }
    }
    let integration = integrations
        .into_iter()
        .find(|i| contains(&(i.anchor.start..i.fields.span().end), offset))?;
    let place = if contains(&integration.anchor, offset) {
        Place::IntegrationName
    } else {
        place_in_fields(integration.fields, Some(&integration), offset).unwrap_or(Place::Other {
            node: integration.fields.node_at(offset),
        })
    };
    Some((Some(integration), place))
}

fn place_in<'a>(
    resource: &Resource<'a>,
    integration: Option<&Integration<'a>>,
    offset: usize,
) -> Place<'a> {
    if contains(&resource.name_span, offset) {
        return Place::ResourceName;
    }
    resource
        .value
        .get("Properties")
        .and_then(|props| place_in_fields(props, integration, offset))
        .unwrap_or(Place::Other {
            node: resource.value.node_at(offset),
        })
}

/// The place of `offset` among the members of `fields` (`Properties`, or the extension's
/// mapping).
fn place_in_fields<'a>(
    fields: NodeRef<'a>,
    integration: Option<&Integration<'a>>,
    offset: usize,
) -> Option<Place<'a>> {
    let dialect = integration
        .map(|i| i.dialect)
        .unwrap_or(Dialect::CloudFormation);
    for pair in fields.pairs() {
        let field = field_named(dialect, pair.key());
        if contains(&pair.key_span(), offset) {
            return Some(Place::FieldKey {
                name: pair.key(),
                field,
                pair,
            });
        }
        let Some(value) = pair.value() else { continue };
        if !contains(&value.span(), offset) {
            continue;
        }
        if field == Some(Field::RequestParameters) && integration.is_some() {
            for param in value.pairs() {
                if contains(&param.key_span(), offset) {
                    return Some(Place::ParamKey { pair: param });
                }
                if let Some(v) = param.value().filter(|v| contains(&v.span(), offset)) {
                    let inner = v.node_at(offset).unwrap_or(v);
                    return Some(Place::ParamValue {
                        pair: param,
                        value: v,
                        inner,
                    });
                }
            }
        }
        let inner = value.node_at(offset).unwrap_or(value);
        return Some(Place::FieldValue {
            name: pair.key(),
            field,
            pair,
            value,
            inner,
        });
    }
    None
}

/// The mapping expression (`$request.path.id`, `${context.requestId}`, ...) of a
/// literal scalar value under `offset`, with its document range. When the scalar's
/// text was unescaped or folded (offsets no longer match the source), only a value
/// holding exactly one expression answers, with the whole value's range, as
/// [`ParameterValue::doc_range`] does.
pub fn expression_at(
    pair: PairRef<'_>,
    value: NodeRef<'_>,
    offset: usize,
) -> Option<(Expr, Range<usize>)> {
    let scalar = value.scalar()?;
    let span = value.text_span();
    let verbatim = value.is_verbatim();
    let parsed = expr::parse_value(&scalar.text);
    let found = if verbatim {
        let at = offset.checked_sub(span.start)?;
        parsed
            .exprs()
            .find(|e| e.range.start <= at && at <= e.range.end)
            .cloned()
    } else {
        let mut exprs = parsed.exprs();
        match (exprs.next(), exprs.next()) {
            (Some(e), None) if contains(&span, offset) => Some(e.clone()),
            _ => None,
        }
    }?;
    let range = ParameterValue {
        pair,
        value,
        parsed: Default::default(),
    }
    .doc_range(found.range.clone());
    Some((found, range))
}

/// The innermost intrinsic function node containing `offset`.
pub fn innermost_intrinsic(node: NodeRef<'_>, offset: usize) -> Option<NodeRef<'_>> {
    if !contains(&node.span(), offset) {
        return None;
    }
    let children: Vec<NodeRef<'_>> = match node.kind() {
        NodeKind::Map(_) => node.pairs().filter_map(|p| p.value()).collect(),
        NodeKind::Seq(_) => node.items().collect(),
        NodeKind::Intrinsic(_) => node.intrinsic_argument().into_iter().collect(),
        _ => Vec::new(),
    };
    children
        .into_iter()
        .find_map(|c| innermost_intrinsic(c, offset))
        .or_else(|| node.intrinsic().map(|_| node))
}

/// The logical ID an intrinsic at the cursor refers to: `!Ref X`, `!GetAtt X.Attr`,
/// `{"Fn::GetAtt": ["X", "Attr"]}`, or `${X}` / `${X.Attr}` inside a `!Sub` string
/// (the one under the cursor). Returns the name and the span of the name.
pub fn referenced_name(node: NodeRef<'_>, offset: usize) -> Option<(String, Range<usize>)> {
    let intrinsic = node.intrinsic()?;
    let arg = node.intrinsic_argument()?;
    match intrinsic.name.as_str() {
        "Ref" => Some((arg.text()?.to_string(), arg.text_span())),
        "Fn::GetAtt" => match arg.kind() {
            NodeKind::Seq(_) => {
                let first = arg.items().next()?;
                Some((first.text()?.to_string(), first.text_span()))
            }
            _ => {
                let text = arg.text()?;
                let name = text.split('.').next()?;
                let span = arg.text_span();
                Some((name.to_string(), span.start..span.start + name.len()))
            }
        },
        "Fn::Sub" => {
            let template = match arg.kind() {
                NodeKind::Seq(_) => arg.items().next()?,
                _ => arg,
            };
            let text = template.text()?;
            let span = template.text_span();
            if !template.is_verbatim() {
                return None;
            }
            sub_variable_at(text, offset.checked_sub(span.start)?)
                .map(|(name, r)| (name, span.start + r.start..span.start + r.end))
        }
        _ => None,
    }
}

/// The `${Name}` (or `${Name.Attr}`) variable of a `Fn::Sub` string at `at`.
pub fn sub_variable_at(text: &str, at: usize) -> Option<(String, Range<usize>)> {
    let mut search = 0;
    while let Some(open) = text[search..].find("${") {
        let start = search + open + 2;
        let close = start + text[start..].find('}')?;
        if start <= at && at <= close {
            let inner = &text[start..close];
            if inner.starts_with('!') {
                return None;
            }
            let name = inner.split('.').next().unwrap_or(inner);
            return Some((name.to_string(), start..start + name.len()));
        }
        search = close + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Language;

    const TEXT: &str = "Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters:
        QueueUrl: !Sub https://x/${Queue}
        MessageBody: $request.body
";

    fn at(needle: &str) -> usize {
        TEXT.find(needle).unwrap_or(0) + 1
    }

    #[test]
    fn finds_fields_keys_and_values() {
        let doc = Document::new(TEXT, Language::Yaml, 0);
        let l = locate(&doc, at("SQS-Send")).expect("located");
        assert!(matches!(
            l.place,
            Place::FieldValue {
                field: Some(Field::Subtype),
                ..
            }
        ));
        let l = locate(&doc, at("IntegrationSubtype")).expect("located");
        assert!(matches!(
            l.place,
            Place::FieldKey {
                field: Some(Field::Subtype),
                ..
            }
        ));
        let l = locate(&doc, at("MessageBody")).expect("located");
        assert!(matches!(l.place, Place::ParamKey { .. }));
        let l = locate(&doc, at("$request.body")).expect("located");
        assert!(matches!(l.place, Place::ParamValue { .. }));
        let l = locate(&doc, at("Int:")).expect("located");
        assert!(matches!(l.place, Place::ResourceName));
    }

    #[test]
    fn resolves_names_in_intrinsics() {
        let doc = Document::new(TEXT, Language::Yaml, 0);
        let offset = at("Queue}");
        let Some(Located {
            place: Place::ParamValue { value, .. },
            ..
        }) = locate(&doc, offset)
        else {
            panic!("not a value")
        };
        let node = innermost_intrinsic(value, offset).expect("intrinsic");
        let (name, span) = referenced_name(node, offset).expect("sub variable");
        assert_eq!(name, "Queue");
        assert_eq!(&TEXT[span], "Queue");
        let offset = at("Role.Arn");
        let Some(Located {
            place: Place::FieldValue { value, .. },
            ..
        }) = locate(&doc, offset)
        else {
            panic!("not a value")
        };
        let node = innermost_intrinsic(value, offset).expect("intrinsic");
        let (name, span) = referenced_name(node, offset).expect("getatt");
        assert_eq!((name.as_str(), &TEXT[span]), ("Role", "Role"));
    }

    #[test]
    fn finds_openapi_integrations() {
        use crate::analysis::hover::tests::{OPENAPI, OPENAPI_JSON, SAM};
        let at = |text: &str, needle: &str| text.find(needle).unwrap_or(0) + 1;
        for text in [OPENAPI, OPENAPI_JSON, SAM] {
            let doc = Document::new(text, crate::rules::test_support::language_of(text), 0);
            let l = locate(&doc, at(text, "SQS-Send")).expect("located");
            assert_eq!(
                l.integration.as_ref().map(|i| i.dialect),
                Some(Dialect::OpenApi)
            );
            assert!(matches!(
                l.place,
                Place::FieldValue {
                    field: Some(Field::Subtype),
                    ..
                }
            ));
            let l = locate(&doc, at(text, "payloadFormatVersion")).expect("located");
            assert!(matches!(
                l.place,
                Place::FieldKey {
                    field: Some(Field::PayloadFormatVersion),
                    ..
                }
            ));
            let l = locate(&doc, at(text, "MessageGroupId")).expect("located");
            assert!(matches!(l.place, Place::ParamKey { .. }));
            let l = locate(&doc, at(text, "$request.path")).expect("located");
            assert!(matches!(l.place, Place::ParamValue { .. }));
            let l = locate(&doc, at(text, "x-amazon-apigateway-integration")).expect("located");
            assert!(matches!(l.place, Place::IntegrationName));
            assert_eq!(l.resource.is_some(), text == SAM);
            let l = locate(&doc, at(text, "{orderId}").max(at(text, "{id}"))).expect("located");
            assert!(matches!(l.place, Place::PathKey { .. }));
        }
        let doc = Document::new(OPENAPI, crate::syntax::Language::Yaml, 0);
        let l = locate(&doc, at(OPENAPI, "#/components")).expect("located");
        assert!(matches!(&l.place, Place::SharedRef { name, .. } if name == "startRun"));
        let l = locate(&doc, at(OPENAPI, "startRun:")).expect("located");
        assert!(matches!(l.place, Place::IntegrationName));
        assert!(matches!(
            l.integration.map(|i| i.origin),
            Some(crate::model::Origin::Shared)
        ));
        assert!(locate(&doc, at(OPENAPI, "title")).is_none());
    }
}
