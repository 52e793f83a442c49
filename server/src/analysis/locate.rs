//! "Where am I?": what a byte offset points at in the parsed template, for hover,
//! navigation and completion. Finds the entry by binary search, then descends its value
//! tree; never walks the whole document.

use std::ops::Range;

use crate::document::{Document, EntryRef};
use crate::expr::{self, Expr};
use crate::model::{Dialect, Field, Integration, ParameterValue, Resource, resources_in_entry};
use crate::syntax::{NodeKind, NodeRef, PairRef, ScalarStyle};

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
    /// Somewhere else inside the resource.
    Other { node: Option<NodeRef<'a>> },
}

/// The resource (and integration) holding an offset, and the place within it.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    pub entry: EntryRef<'a>,
    pub resource: Resource<'a>,
    pub integration: Option<Integration<'a>>,
    pub place: Place<'a>,
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
];

fn field_named(dialect: Dialect, name: &str) -> Option<Field> {
    FIELDS.iter().copied().find(|f| dialect.name(*f) == name)
}

/// Locates `offset` in the template.
pub fn locate(doc: &Document, offset: usize) -> Option<Located<'_>> {
    for entry in doc.entries_at(offset) {
        for resource in resources_in_entry(entry) {
            let span = resource.name_span.start..resource.value.span().end;
            if !contains(&span, offset) {
                continue;
            }
            let integration = Integration::from_resource(&resource);
            let place = place_in(&resource, integration.as_ref(), offset);
            return Some(Located {
                entry,
                resource,
                integration,
                place,
            });
        }
    }
    None
}

fn place_in<'a>(
    resource: &Resource<'a>,
    integration: Option<&Integration<'a>>,
    offset: usize,
) -> Place<'a> {
    if contains(&resource.name_span, offset) {
        return Place::ResourceName;
    }
    let Some(props) = resource.value.get("Properties") else {
        return Place::Other {
            node: resource.value.node_at(offset),
        };
    };
    let dialect = integration
        .map(|i| i.dialect)
        .unwrap_or(Dialect::CloudFormation);
    for pair in props.pairs() {
        let field = field_named(dialect, pair.key());
        if contains(&pair.key_span(), offset) {
            return Place::FieldKey {
                name: pair.key(),
                field,
                pair,
            };
        }
        let Some(value) = pair.value() else { continue };
        if !contains(&value.span(), offset) {
            continue;
        }
        if field == Some(Field::RequestParameters) && integration.is_some() {
            for param in value.pairs() {
                if contains(&param.key_span(), offset) {
                    return Place::ParamKey { pair: param };
                }
                if let Some(v) = param.value().filter(|v| contains(&v.span(), offset)) {
                    let inner = v.node_at(offset).unwrap_or(v);
                    return Place::ParamValue {
                        pair: param,
                        value: v,
                        inner,
                    };
                }
            }
        }
        let inner = value.node_at(offset).unwrap_or(value);
        return Place::FieldValue {
            name: pair.key(),
            field,
            pair,
            value,
            inner,
        };
    }
    Place::Other {
        node: resource.value.node_at(offset),
    }
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
    let verbatim = scalar.style != ScalarStyle::Block && scalar.text.len() == span.len();
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
            if template.scalar()?.text.len() != span.len() {
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
}
