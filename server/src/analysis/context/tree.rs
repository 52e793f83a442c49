//! The value-tree reader: what a byte offset points at in the parsed template or
//! OpenAPI document. Finds the entry by binary search, descends its value tree keeping
//! the key path and the nodes it passes, asks [`site`] where that key path is, and
//! finds the model's resource and integration there (checking resource types, which a
//! key path does not know). Never walks the whole document.

use std::ops::Range;

use super::{
    At, Context, Cursor, Host, On, Place, Site, Source, Spot, Style, Token, inline_body, key_start,
    line_indent, next_on_line, resource_site, site,
};
use crate::document::{Document, EntryRef};
use crate::expr::{self, Expr};
use crate::model::openapi::{self, OpTarget};
use crate::model::{Integration, ParameterValue, Resource, resources_in_entry};
use crate::syntax::hcl::JSONENCODE;
use crate::syntax::{Language, NodeKind, NodeRef, PairRef, ScalarStyle};

/// The resource or OpenAPI integration holding an offset, and the place within it.
#[derive(Debug, Clone)]
pub struct Located<'a> {
    pub entry: EntryRef<'a>,
    /// The CloudFormation resource holding the offset (`None` in a standalone OpenAPI
    /// document).
    pub resource: Option<Resource<'a>>,
    pub integration: Option<Integration<'a>>,
    pub place: Place<'a>,
    /// The unit holding the offset, as a name and a value: the resource, the OpenAPI
    /// path item, or the shared integrations of `components`.
    pub unit: Option<Resource<'a>>,
    /// The key path from the root section down (see [`site`]).
    pub keys: Vec<Option<&'a str>>,
    /// The pair of the field or `RequestParameters` key the place is about.
    pub pair: Option<PairRef<'a>>,
    /// That pair's value, when the cursor is in it (`FieldValue`, `ParamValue`).
    pub value: Option<NodeRef<'a>>,
    /// The innermost node under the cursor: in `value`, or anywhere in the resource or
    /// integration for [`Place::Other`].
    pub inner: Option<NodeRef<'a>>,
    /// Whether the offset is on the last key of `keys` or in its value, and the token.
    pub on: On<'a>,
    /// The mapping or sequence directly holding the token.
    container: Option<NodeRef<'a>>,
    /// The scalar under the offset, when it is in a value.
    scalar: Option<NodeRef<'a>>,
}

impl<'a> Located<'a> {
    /// The OpenAPI document's scope: the logical ID of the API resource holding an
    /// inline body, `None` for a standalone document.
    pub fn api(&self) -> Option<&'a str> {
        self.resource.as_ref().map(|r| r.name)
    }

    /// The pair and value of a `FieldValue` or `ParamValue`.
    pub fn pair_value(&self) -> Option<(PairRef<'a>, NodeRef<'a>)> {
        Some((self.pair?, self.value?))
    }
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// One key of the path the descent passed: its span, its value and (below the entry's
/// own key) its pair.
#[derive(Debug, Clone)]
struct Step<'a> {
    key_span: Range<usize>,
    value: Option<NodeRef<'a>>,
    pair: Option<PairRef<'a>>,
}

/// The key path to `offset` in one entry, the steps that make it and the token there.
struct Path<'a> {
    keys: Vec<Option<&'a str>>,
    steps: Vec<Option<Step<'a>>>,
    on: On<'a>,
    /// The mapping or sequence directly holding the token.
    container: Option<NodeRef<'a>>,
    /// The scalar the descent ended on, when the offset is in a value.
    scalar: Option<NodeRef<'a>>,
}

/// Descends the entry's value tree to `offset`: a key path from the root section down to
/// the key the offset is on or in the value of. A key's span and its value's are both
/// closed ranges, the key winning; sequence items and intrinsic functions are `None`.
fn descend<'a>(entry: &EntryRef<'a>, offset: usize) -> Option<Path<'a>> {
    let mut keys = Vec::new();
    let mut steps = Vec::new();
    if let Some(section) = entry.section {
        keys.push(Some(section));
        steps.push(None);
    }
    keys.push(Some(entry.key()?));
    let key_span = entry.key_span();
    if contains(&key_span, offset) {
        steps.push(Some(Step {
            key_span: key_span.clone(),
            value: entry.value(),
            pair: None,
        }));
        return Some(Path {
            keys,
            steps,
            on: On::Key(key_span),
            container: None,
            scalar: None,
        });
    }
    steps.push(Some(Step {
        key_span,
        value: entry.value(),
        pair: None,
    }));
    // A section split into entries of its own holds no members here.
    let mut node = entry.value().filter(|_| !entry.entry.splits);
    let mut container = None;
    while let Some(n) = node {
        node = None;
        match n.kind() {
            NodeKind::Map(_) => {
                for pair in n.pairs() {
                    let key_span = pair.key_span();
                    if contains(&key_span, offset) {
                        keys.push(Some(pair.key()));
                        steps.push(Some(Step {
                            key_span: key_span.clone(),
                            value: pair.value(),
                            pair: Some(pair),
                        }));
                        return Some(Path {
                            keys,
                            steps,
                            on: On::Key(key_span),
                            container: Some(n),
                            scalar: None,
                        });
                    }
                    if let Some(value) = pair.value().filter(|v| contains(&v.span(), offset)) {
                        keys.push(Some(pair.key()));
                        steps.push(Some(Step {
                            key_span,
                            value: Some(value),
                            pair: Some(pair),
                        }));
                        node = Some(value);
                        break;
                    }
                }
            }
            NodeKind::Seq(_) => {
                node = n.items().find(|i| contains(&i.span(), offset));
            }
            NodeKind::Intrinsic(_) => {
                node = n
                    .intrinsic_argument()
                    .filter(|a| contains(&a.span(), offset));
            }
            _ => {}
        }
        // `jsonencode(x)` is `x` written as JSON: its argument's keys continue the path;
        // an HCL string template is an intrinsic over the string itself (same span).
        let transparent = matches!(n.kind(), NodeKind::Map(_))
            || n.intrinsic().is_some_and(|i| i.name == JSONENCODE)
            || node.is_some_and(|a| n.intrinsic().is_some() && a.span() == n.span());
        if node.is_some() && !transparent {
            keys.push(None);
            steps.push(None);
        }
        if node.is_none() {
            let on = On::Value {
                text: n.text(),
                span: n.text_span(),
            };
            let scalar = n.scalar().map(|_| n);
            return Some(Path {
                keys,
                steps,
                on,
                container,
                scalar,
            });
        }
        container = Some(n);
    }
    Some(Path {
        keys,
        steps,
        on: On::Value {
            text: None,
            span: offset..offset,
        },
        container,
        scalar: None,
    })
}

/// Locates `offset` in the template or OpenAPI document.
pub fn locate(doc: &Document, offset: usize) -> Option<Located<'_>> {
    let terraform = doc.language() == Language::Terraform;
    doc.entries_at(offset)
        .into_iter()
        .find_map(|entry| locate_in(entry, offset, terraform))
}

fn locate_in(entry: EntryRef<'_>, offset: usize, terraform: bool) -> Option<Located<'_>> {
    let path = descend(&entry, offset)?;
    let site = site(&path.keys, path.on.clone())?;
    // Terraform's key paths only in Terraform, and a Terraform file holds no others.
    let tf_site = site.is_terraform();
    if tf_site != terraform {
        return None;
    }
    if tf_site {
        return locate_terraform(entry, site, path, offset);
    }
    match site.host {
        Host::Block => None,
        Host::Standalone => {
            let (integration, place) = openapi_at(&path, &site, 0, offset)?;
            Some(located(entry, None, integration, place, site, path, offset))
        }
        Host::Resource | Host::Inline => {
            let resource = resources_in_entry(entry)
                .into_iter()
                .find(|r| contains(&(r.name_span.start..r.value.span().end), offset))?;
            let integration = Integration::from_resource(&resource);
            if site.host == Host::Inline
                && integration.is_none()
                && inline_body(&resource, &site).is_some()
                && let Some((integration, place)) = openapi_at(&path, &site, 4, offset)
            {
                let resource = Some(resource);
                return Some(located(
                    entry,
                    resource,
                    integration,
                    place,
                    site,
                    path,
                    offset,
                ));
            }
            let mut site = match site.host {
                Host::Inline => resource_site(&path.keys, path.on.clone())?,
                _ => site,
            };
            if integration.is_none() {
                not_parameters(&mut site, &path.keys);
            }
            let place = site.place.clone();
            let mut found = located(
                entry,
                Some(resource),
                integration,
                place,
                site,
                path,
                offset,
            );
            if matches!(found.place, Place::Other) {
                found.inner = found
                    .resource
                    .as_ref()
                    .and_then(|r| r.value.node_at(offset));
            }
            Some(found)
        }
    }
}

/// Only an integration's `RequestParameters` hold parameters: elsewhere (no integration
/// there) a parameter place is inside the field's value.
fn not_parameters<'a>(site: &mut Site<'a>, keys: &[Option<&'a str>]) {
    if !matches!(site.place, Place::ParamKey | Place::ParamValue) {
        return;
    }
    let index = site.key_index.map(|i| i - 1);
    let name = index.and_then(|i| keys.get(i).copied().flatten());
    site.place = Place::FieldValue {
        name: name.unwrap_or_default(),
        field: Some(crate::model::Field::RequestParameters),
    };
    site.key_index = index;
    site.nested = true;
}

/// [`locate_in`] for a Terraform block: the unit is the block (its address and body);
/// the integration the innermost one of the entry around `offset` (a resource's
/// arguments, a module route's integration), or the OpenAPI body's.
fn locate_terraform<'a>(
    entry: EntryRef<'a>,
    mut site: Site<'a>,
    path: Path<'a>,
    offset: usize,
) -> Option<Located<'a>> {
    let unit = Resource {
        name: entry.key()?,
        name_span: entry.key_span(),
        value: entry.value()?,
    };
    if site.host == Host::Inline {
        let (integration, place) = openapi_at(&path, &site, 3, offset)?;
        return Some(located(
            entry,
            Some(unit),
            integration,
            place,
            site,
            path,
            offset,
        ));
    }
    // The integration whose fields hold the key path's field (a module block holds
    // many): the mapping above the field's key, or above `request_parameters`.
    let depth = match site.place {
        Place::ParamKey | Place::ParamValue => 2,
        _ => 1,
    };
    let fields = site
        .key_index
        .and_then(|i| i.checked_sub(depth))
        .and_then(|i| path.steps.get(i).cloned().flatten())
        .and_then(|s| s.value);
    let integration = fields.and_then(|fields| {
        crate::model::integrations_in_entry(entry)
            .into_iter()
            .find(|i| i.fields.span() == fields.span())
    });
    if integration.is_none() {
        not_parameters(&mut site, &path.keys);
    }
    let place = site.place.clone();
    let mut found = located(entry, Some(unit), integration, place, site, path, offset);
    if matches!(found.place, Place::Other) && found.inner.is_none() {
        found.inner = found.unit.as_ref().and_then(|u| u.value.node_at(offset));
    }
    Some(found)
}

/// The OpenAPI integration (or `$ref`) at `offset`, for a site whose OpenAPI keys start
/// at index `start` of the path.
fn openapi_at<'a>(
    path: &Path<'a>,
    site: &Site<'a>,
    start: usize,
    offset: usize,
) -> Option<(Option<Integration<'a>>, Place<'a>)> {
    if let Place::PathKey { .. } = site.place {
        return Some((None, site.place.clone()));
    }
    let mut out = Vec::new();
    let mut uses = Vec::new();
    match site.spot.as_ref()? {
        Spot::Operation { .. } => {
            let step = path.steps.get(start + 1)?.as_ref()?;
            let key = path.keys.get(start + 1).copied().flatten()?;
            openapi::path_item(key, step.key_span.clone(), step.value, &mut out, &mut uses);
        }
        Spot::Shared { .. } => {
            let step = path.steps.get(start)?.as_ref()?;
            openapi::components(step.value?, &mut out);
        }
    }
    if let Place::SharedRef { .. } = site.place {
        let place = uses.into_iter().find_map(|op| match op.target {
            OpTarget::Shared { name, ref_span, .. } if contains(&ref_span, offset) => {
                Some(Place::SharedRef {
                    name,
                    span: ref_span,
                })
            }
            _ => None,
        })?;
        return Some((None, place));
    }
    let integration = out
        .into_iter()
        .find(|i| contains(&(i.anchor.start..i.fields.span().end), offset))?;
    Some((Some(integration), site.place.clone()))
}

/// The located result, with the nodes of the place's key.
fn located<'a>(
    entry: EntryRef<'a>,
    resource: Option<Resource<'a>>,
    integration: Option<Integration<'a>>,
    place: Place<'a>,
    site: Site<'a>,
    path: Path<'a>,
    offset: usize,
) -> Located<'a> {
    let step = site
        .key_index
        .and_then(|i| path.steps.get(i).cloned().flatten());
    let pair = step.as_ref().and_then(|s| s.pair);
    let value = match place {
        Place::FieldValue { .. } | Place::ParamValue => pair.and_then(|p| p.value()),
        _ => None,
    };
    let inner = match (&place, &integration) {
        (Place::Other, Some(i)) => i.fields.node_at(offset),
        _ => value.map(|v| v.node_at(offset).unwrap_or(v)),
    };
    let unit = path.keys.get(1).copied().flatten().and_then(|name| {
        let step = path.steps.get(1)?.as_ref()?;
        Some(Resource {
            name,
            name_span: step.key_span.clone(),
            value: step.value?,
        })
    });
    Located {
        entry,
        resource,
        integration,
        place,
        unit,
        keys: path.keys,
        pair,
        value,
        inner,
        on: path.on,
        container: path.container,
        scalar: path.scalar,
    }
}

/// The cursor's context from the value tree: only when the segment around `offset`
/// parses and the offset is inside a scalar key or value on one line (the token being
/// typed). Empty slots (`Key: |`, a blank line in a mapping) and everything that does
/// not parse are the text reader's.
pub(super) fn context(doc: &Document, offset: usize) -> Option<Context<'_>> {
    if !doc.parses_at(offset) {
        return None;
    }
    let located = locate(doc, offset)?;
    let rope = doc.rope();
    let byte = |i: usize| rope.get_byte(i);
    let (last, path) = located.keys.split_last()?;
    let (at, token) = match &located.on {
        On::Key(span) => {
            let start = key_start(rope, span.start);
            let quote = byte(start).filter(|_| start < span.start);
            if quote.is_some_and(|q| byte(span.end) != Some(q)) {
                return None;
            }
            let token = Token {
                span: start..span.end + (span.start - start),
                quote: quote.map(char::from),
                closed: true,
                tagged: false,
            };
            let next = next_on_line(rope, token.span.end);
            let colon_follows =
                next == Some(':') || (doc.language() == Language::Terraform && next == Some('='));
            let at = At::Key {
                token: Some(token.clone()),
                colon_follows,
            };
            (at, token)
        }
        On::Value { .. } => {
            let scalar = located.scalar?;
            let quote = match scalar.scalar()?.style {
                ScalarStyle::Plain => None,
                ScalarStyle::SingleQuoted => Some('\''),
                ScalarStyle::DoubleQuoted => Some('"'),
                ScalarStyle::Block => return None,
            };
            let token = Token {
                span: scalar.span(),
                quote,
                closed: true,
                tagged: false,
            };
            let at = At::Value {
                key: last.map(str::to_string),
                token: Some(token.clone()),
                needs_space: false,
                in_text: None,
            };
            (at, token)
        }
    };
    let line = rope.try_byte_to_line(token.span.start).ok()?;
    if !token.holds(offset) || rope.try_byte_to_line(token.span.end).ok()? != line {
        return None;
    }
    let style = if doc.language() == Language::Json {
        Style::Json
    } else if doc.language() == Language::Terraform {
        Style::Hcl
    } else if located
        .container
        .is_some_and(|c| matches!(byte(c.span().start), Some(b'{' | b'[')))
    {
        Style::Flow
    } else {
        Style::Block
    };
    let cursor = Cursor {
        path: path.iter().map(|k| k.map(str::to_string)).collect(),
        at,
        style,
        line_indent: line_indent(rope, token.span.start),
    };
    Some(Context {
        cursor,
        unit: located.unit.as_ref()?.name.to_string(),
        source: Source::Tree(Box::new(located)),
    })
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
        text: std::borrow::Cow::Borrowed(""),
        computed: false,
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
    use crate::analysis::context::Place;
    use crate::model::{Dialect, Field};
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
        assert!(matches!(l.place, Place::ParamKey));
        let l = locate(&doc, at("$request.body")).expect("located");
        assert!(matches!(l.place, Place::ParamValue));
        let l = locate(&doc, at("Int:")).expect("located");
        assert!(matches!(l.place, Place::ResourceName));
    }

    #[test]
    fn resolves_names_in_intrinsics() {
        let doc = Document::new(TEXT, Language::Yaml, 0);
        let offset = at("Queue}");
        let Some(Located {
            place: Place::ParamValue,
            value: Some(value),
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
            place: Place::FieldValue { .. },
            value: Some(value),
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
            assert!(matches!(l.place, Place::ParamKey));
            let l = locate(&doc, at(text, "$request.path")).expect("located");
            assert!(matches!(l.place, Place::ParamValue));
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
