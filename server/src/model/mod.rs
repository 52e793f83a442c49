//! The template model: form-neutral records read from the value tree.
//!
//! An [`Integration`] looks the same to every rule whether it came from an
//! `AWS::ApiGatewayV2::Integration` resource or (later) from an OpenAPI
//! `x-amazon-apigateway-integration`; [`Dialect`] remembers how its fields are spelled
//! so that messages and fixes speak the user's dialect.

pub mod template;

use std::ops::Range;

use crate::document::{Document, EntryRef};
use crate::expr::{self, ParsedValue};
use crate::syntax::{NodeKind, NodeRef, PairRef, ScalarStyle};

/// What kind of file a document is, which decides whether we say anything about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A CloudFormation or SAM template.
    CloudFormation,
    /// Anything else: we stay silent.
    Other,
}

/// Decides the file kind from the top-level keys and the first resources.
/// CloudFormation: `AWSTemplateFormatVersion`, `Transform`, or a `Resources` mapping
/// with an `AWS::`-typed resource. Cost: stops at the first conclusive entry.
pub fn file_kind(doc: &Document) -> FileKind {
    let mut looked_at_resources = 0;
    for entry in doc.entries() {
        match (entry.section, entry.key()) {
            (None, Some("AWSTemplateFormatVersion" | "Transform")) => {
                return FileKind::CloudFormation;
            }
            (None, Some("Resources")) if !entry.entry.splits => {
                // Flow style or JSON: the resources are inside this value.
                let typed = entry.value().is_some_and(|v| {
                    v.pairs()
                        .take(50)
                        .any(|p| p.value().is_some_and(|r| is_aws_typed(r)))
                });
                if typed {
                    return FileKind::CloudFormation;
                }
            }
            (Some("Resources"), _) if looked_at_resources < 50 => {
                looked_at_resources += 1;
                if entry.value().is_some_and(is_aws_typed) {
                    return FileKind::CloudFormation;
                }
            }
            _ => {}
        }
    }
    FileKind::Other
}

fn is_aws_typed(resource: NodeRef<'_>) -> bool {
    resource
        .get("Type")
        .and_then(|t| t.text())
        .is_some_and(|t| t.starts_with("AWS::"))
}

/// How the fields of an integration are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `AWS::ApiGatewayV2::Integration` properties.
    CloudFormation,
}

/// The fields of an integration that rules talk about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Subtype,
    IntegrationType,
    PayloadFormatVersion,
    Credentials,
    RequestParameters,
}

impl Dialect {
    /// The property name of `field` in this dialect.
    pub fn name(self, field: Field) -> &'static str {
        match (self, field) {
            (Dialect::CloudFormation, Field::Subtype) => "IntegrationSubtype",
            (Dialect::CloudFormation, Field::IntegrationType) => "IntegrationType",
            (Dialect::CloudFormation, Field::PayloadFormatVersion) => "PayloadFormatVersion",
            (Dialect::CloudFormation, Field::Credentials) => "CredentialsArn",
            (Dialect::CloudFormation, Field::RequestParameters) => "RequestParameters",
        }
    }

    /// Whether `value` is the proxy integration type in this dialect.
    pub fn is_proxy_type(self, value: &str) -> bool {
        match self {
            Dialect::CloudFormation => value == "AWS_PROXY",
        }
    }
}

/// One integration, in whichever spelling it was written.
#[derive(Debug, Clone)]
pub struct Integration<'a> {
    pub dialect: Dialect,
    /// The logical ID (CloudFormation) of the integration.
    pub name: &'a str,
    /// Where the integration is named: the resource's key.
    pub anchor: Range<usize>,
    /// The mapping holding the fields (`Properties`).
    pub fields: NodeRef<'a>,
}

impl<'a> Integration<'a> {
    /// Reads an `AWS::ApiGatewayV2::Integration` resource.
    pub fn from_resource(resource: &Resource<'a>) -> Option<Self> {
        if resource.type_name()? != "AWS::ApiGatewayV2::Integration" {
            return None;
        }
        let fields = resource.value.get("Properties").filter(|p| p.is_map())?;
        Some(Integration {
            dialect: Dialect::CloudFormation,
            name: resource.name,
            anchor: resource.name_span.clone(),
            fields,
        })
    }

    pub fn field(&self, field: Field) -> Option<PairRef<'a>> {
        self.fields.pair(self.dialect.name(field))
    }

    /// The field's value when it is a literal scalar (not an intrinsic function).
    pub fn literal(&self, field: Field) -> Option<(&'a str, Range<usize>)> {
        let value = self.field(field)?.value()?;
        Some((value.text()?, value.text_span()))
    }

    /// The subtype's literal name, if it is written as a literal.
    pub fn subtype_name(&self) -> Option<&'a str> {
        self.literal(Field::Subtype).map(|(t, _)| t)
    }

    /// Whether a subtype is set at all (a literal or an intrinsic).
    pub fn has_subtype(&self) -> bool {
        self.field(Field::Subtype).is_some()
    }

    /// The `RequestParameters` mapping, when it is a mapping.
    pub fn request_parameters(&self) -> Option<NodeRef<'a>> {
        self.field(Field::RequestParameters)?
            .value()
            .filter(|v| v.is_map())
    }

    /// Every literal string value in `RequestParameters`, parsed as a mapping value.
    pub fn parameter_values(&self) -> Vec<ParameterValue<'a>> {
        let Some(params) = self.request_parameters() else {
            return Vec::new();
        };
        params
            .pairs()
            .filter_map(|pair| {
                let value = pair.value()?;
                let scalar = value.scalar()?;
                Some(ParameterValue {
                    pair,
                    value,
                    parsed: expr::parse_value(&scalar.text),
                })
            })
            .collect()
    }
}

/// A literal `RequestParameters` value and its parsed expressions.
#[derive(Debug, Clone)]
pub struct ParameterValue<'a> {
    pub pair: PairRef<'a>,
    pub value: NodeRef<'a>,
    pub parsed: ParsedValue,
}

impl ParameterValue<'_> {
    /// Maps a byte range inside the scalar's text to the document. When the text was
    /// unescaped or folded (so offsets differ from the source), the whole value's text
    /// span is used instead.
    pub fn doc_range(&self, inner: Range<usize>) -> Range<usize> {
        let span = self.value.text_span();
        let Some(scalar) = self.value.scalar() else {
            return span;
        };
        let verbatim = scalar.style != ScalarStyle::Block && scalar.text.len() == span.len();
        if verbatim && inner.end <= span.len() {
            span.start + inner.start..span.start + inner.end
        } else {
            span
        }
    }
}

/// A CloudFormation resource: its logical ID and its definition.
#[derive(Debug, Clone)]
pub struct Resource<'a> {
    pub name: &'a str,
    pub name_span: Range<usize>,
    pub value: NodeRef<'a>,
}

impl<'a> Resource<'a> {
    pub fn type_name(&self) -> Option<&'a str> {
        self.value.get("Type")?.text()
    }
}

/// The resources held by one entry: a member of a split `Resources` section, or every
/// member of an unsplit (flow-style) one.
pub fn resources_in_entry<'a>(entry: EntryRef<'a>) -> Vec<Resource<'a>> {
    match (entry.section, entry.key()) {
        (Some("Resources"), Some(name)) => entry
            .value()
            .map(|value| Resource {
                name,
                name_span: entry.key_span(),
                value,
            })
            .into_iter()
            .collect(),
        (None, Some("Resources")) if !entry.entry.splits => entry
            .value()
            .map(|v| {
                v.pairs()
                    .filter_map(|p| {
                        Some(Resource {
                            name: p.key(),
                            name_span: p.key_span(),
                            value: p.value()?,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Every resource of the template.
pub fn resources(doc: &Document) -> impl Iterator<Item = Resource<'_>> {
    doc.entries().flat_map(resources_in_entry)
}

/// The integrations held by one entry.
pub fn integrations_in_entry(entry: EntryRef<'_>) -> Vec<Integration<'_>> {
    resources_in_entry(entry)
        .iter()
        .filter_map(Integration::from_resource)
        .collect()
}

/// Whether a value is (or, at the top, is wrapped in) an intrinsic function.
pub fn is_intrinsic(node: NodeRef<'_>) -> bool {
    matches!(node.kind(), NodeKind::Intrinsic(_))
}
