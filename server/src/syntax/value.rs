//! The value tree: one small, uniform view over YAML and JSON syntax trees.
//!
//! Mappings keep their key text and key span, scalars keep their unquoted text and the
//! span of the text inside the quotes, and CloudFormation intrinsic functions
//! (`!Ref x`, `{"Ref": "x"}`, `Fn::GetAtt`, `!Sub ...`) are recognised here, in one
//! place, so no rule ever looks at a tree-sitter node kind.
//!
//! Spans inside a [`Node`] are relative to the start of the entry that owns the tree
//! (see [`crate::document`]). Code outside this module reads nodes through [`NodeRef`],
//! which carries that base offset and hands out absolute byte ranges, so an edit
//! earlier in the file never has to touch the nodes of later entries.

use std::ops::Range;

/// A byte span relative to the base of the entry that owns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end.max(start)).unwrap_or(u32::MAX),
        }
    }

    pub fn abs(self, base: usize) -> Range<usize> {
        base + self.start as usize..base + self.end as usize
    }
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// YAML `|` or `>` block scalar.
    Block,
}

/// What a scalar's text means to YAML's core schema, or which JSON literal it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarKind {
    String,
    Int,
    Float,
    Bool,
    Null,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The value after unquoting and unescaping.
    pub text: String,
    pub style: ScalarStyle,
    pub kind: ScalarKind,
    /// The span of the text inside the quotes (the whole scalar when unquoted).
    pub text_span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    pub key: String,
    pub key_span: Span,
    /// `None` when the key has no value yet (`Key:` at the end of a line).
    pub value: Option<Node>,
}

/// A CloudFormation intrinsic function in either spelling.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    /// Long-form name: `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Condition`, ...
    pub name: String,
    /// Span of the tag (`!GetAtt`) or of the key (`Fn::GetAtt`).
    pub name_span: Span,
    /// Whether it was written as a YAML short-form tag.
    pub short_form: bool,
    pub argument: Option<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Map(Vec<Pair>),
    Seq(Vec<Node>),
    Scalar(Scalar),
    Intrinsic(Box<Intrinsic>),
    /// A YAML alias (`*anchor`); never expanded.
    Alias,
    /// A node the parser could not make sense of.
    Invalid,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub kind: NodeKind,
}

/// Maps a YAML short-form tag (without `!`) to the long-form intrinsic name.
pub fn intrinsic_name_for_tag(tag: &str) -> String {
    match tag {
        "Ref" | "Condition" => tag.to_string(),
        _ => format!("Fn::{tag}"),
    }
}

/// Whether a one-key mapping with this key is a long-form intrinsic function.
pub fn is_intrinsic_key(key: &str) -> bool {
    key == "Ref" || key == "Condition" || key.starts_with("Fn::")
}

impl Node {
    /// An intrinsic function in long form (`short_form: false`).
    pub fn intrinsic(span: Span, name: &str, name_span: Span, argument: Option<Node>) -> Node {
        Node {
            span,
            kind: NodeKind::Intrinsic(Box::new(Intrinsic {
                name: name.to_string(),
                name_span,
                short_form: false,
                argument,
            })),
        }
    }

    /// A scalar.
    pub fn scalar(
        span: Span,
        text: String,
        style: ScalarStyle,
        kind: ScalarKind,
        text_span: Span,
    ) -> Node {
        Node {
            span,
            kind: NodeKind::Scalar(Scalar {
                text,
                style,
                kind,
                text_span,
            }),
        }
    }

    /// Turns `{Ref: x}` / `{"Fn::GetAtt": [...]}` into an intrinsic node.
    pub fn recognise_long_form(self) -> Node {
        let Node { span, kind } = self;
        match kind {
            NodeKind::Map(mut pairs) if pairs.len() == 1 && is_intrinsic_key(&pairs[0].key) => {
                let pair = pairs.remove(0);
                Node {
                    span,
                    kind: NodeKind::Intrinsic(Box::new(Intrinsic {
                        name: pair.key,
                        name_span: pair.key_span,
                        short_form: false,
                        argument: pair.value,
                    })),
                }
            }
            kind => Node { span, kind },
        }
    }
}

/// The name of the opaque intrinsic a scalar holding a Serverless Framework variable is
/// read as (see [`has_framework_variable`]); its argument is the scalar.
pub const FRAMEWORK_VARIABLE: &str = "Serverless::Variable";

/// Whether `text` holds a Serverless Framework variable, which the framework replaces
/// before CloudFormation sees the template: `${SOURCE:address}` for a source it
/// resolves (`self`, `sls`, `env`, `opt`, `param`, `ssm`, `s3`, `cf`, `git`,
/// `terraform`, `vault`, `doppler`; `ssm` and `cf` with a region, `cf.eu-west-1:` or
/// `cf(eu-west-1):`; `aws:accountId`, `aws:region`), `${file(...)}` or
/// `${strToBool(...)}`, nested or with a default (`${env:X, 'dflt'}`). Not
/// CloudFormation's `${AWS::Region}`, `${Resource.Attr}` or `${!Literal}`, mapping
/// expressions (`${request.body}`), Terraform's `${var.x}` or IAM policy variables
/// (`${aws:username}`).
pub fn has_framework_variable(text: &str) -> bool {
    fn source(s: &str) -> bool {
        let s = s.trim_start();
        let len = s.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let (name, tail) = s.split_at(len);
        // `:` and not CloudFormation's `::`.
        let address = |tail: &str| tail.starts_with(':') && !tail.starts_with("::");
        match name {
            "file" | "strToBool" => tail.starts_with('('),
            "aws" => tail
                .strip_prefix(':')
                .is_some_and(|a| a.starts_with("accountId") || a.starts_with("region")),
            "self" | "sls" | "env" | "opt" | "param" | "s3" | "git" | "terraform" | "vault"
            | "doppler" => address(tail),
            "ssm" | "cf" => {
                // A region: `.eu-west-1` or `(eu-west-1)`.
                let region = |c: char| c.is_ascii_alphanumeric() || c == '-';
                let tail = match tail.strip_prefix('.') {
                    Some(rest) => rest.trim_start_matches(region),
                    None => match tail.strip_prefix('(') {
                        Some(rest) => rest.trim_start_matches(region).trim_start_matches(')'),
                        None => tail,
                    },
                };
                address(tail)
            }
            _ => false,
        }
    }
    text.match_indices("${")
        .any(|(i, _)| source(&text[i + 2..]))
}

impl Node {
    /// Turns a string scalar holding a Serverless Framework variable into the opaque
    /// intrinsic [`FRAMEWORK_VARIABLE`], so that no rule reads it as a literal.
    pub fn recognise_variables(self) -> Node {
        match &self.kind {
            NodeKind::Scalar(scalar)
                if scalar.kind == ScalarKind::String && has_framework_variable(&scalar.text) =>
            {
                let span = self.span;
                Node {
                    span,
                    kind: NodeKind::Intrinsic(Box::new(Intrinsic {
                        name: FRAMEWORK_VARIABLE.to_string(),
                        name_span: span,
                        short_form: false,
                        argument: Some(self),
                    })),
                }
            }
            _ => self,
        }
    }
}

/// A node together with the base offset of its entry: the view every rule uses.
#[derive(Debug, Clone, Copy)]
pub struct NodeRef<'a> {
    pub node: &'a Node,
    pub base: usize,
}

/// One `key: value` of a mapping, seen through its base offset.
#[derive(Debug, Clone, Copy)]
pub struct PairRef<'a> {
    pub pair: &'a Pair,
    pub base: usize,
}

impl<'a> PairRef<'a> {
    pub fn key(&self) -> &'a str {
        &self.pair.key
    }

    pub fn key_span(&self) -> Range<usize> {
        self.pair.key_span.abs(self.base)
    }

    pub fn value(&self) -> Option<NodeRef<'a>> {
        self.pair
            .value
            .as_ref()
            .map(|node| NodeRef::new(node, self.base))
    }

    /// The value's span, or an empty span just after the key when there is no value.
    pub fn value_or_key_span(&self) -> Range<usize> {
        self.value().map_or_else(|| self.key_span(), |v| v.span())
    }
}

impl<'a> NodeRef<'a> {
    pub fn new(node: &'a Node, base: usize) -> Self {
        Self { node, base }
    }

    pub fn span(&self) -> Range<usize> {
        self.node.span.abs(self.base)
    }

    pub fn kind(&self) -> &'a NodeKind {
        &self.node.kind
    }

    pub fn pairs(&self) -> impl Iterator<Item = PairRef<'a>> + use<'a> {
        let base = self.base;
        let pairs: &'a [Pair] = match &self.node.kind {
            NodeKind::Map(pairs) => pairs,
            _ => &[],
        };
        pairs.iter().map(move |pair| PairRef { pair, base })
    }

    pub fn is_map(&self) -> bool {
        matches!(self.node.kind, NodeKind::Map(_))
    }

    /// The first pair with exactly this key.
    pub fn pair(&self, key: &str) -> Option<PairRef<'a>> {
        self.pairs().find(|p| p.key() == key)
    }

    pub fn get(&self, key: &str) -> Option<NodeRef<'a>> {
        self.pair(key).and_then(|p| p.value())
    }

    pub fn items(&self) -> impl Iterator<Item = NodeRef<'a>> + use<'a> {
        let base = self.base;
        let items: &'a [Node] = match &self.node.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        };
        items.iter().map(move |node| NodeRef::new(node, base))
    }

    pub fn scalar(&self) -> Option<&'a Scalar> {
        match &self.node.kind {
            NodeKind::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    /// The scalar's text, if this is a scalar.
    pub fn text(&self) -> Option<&'a str> {
        self.scalar().map(|s| s.text.as_str())
    }

    /// Whether this is a scalar whose text stands in the source as it is (no escapes, no
    /// folding), so byte offsets inside the text map one to one to the document.
    pub fn is_verbatim(&self) -> bool {
        self.scalar().is_some_and(|s| {
            s.style != ScalarStyle::Block
                && s.text.len() == (s.text_span.end - s.text_span.start) as usize
        })
    }

    /// Maps a byte range inside a verbatim scalar's text to the document (`None` when
    /// the text is not verbatim or the range is out of bounds).
    pub fn map_inner(&self, inner: Range<usize>) -> Option<Range<usize>> {
        let span = self.text_span();
        (self.is_verbatim() && inner.start <= inner.end && inner.end <= span.len())
            .then(|| span.start + inner.start..span.start + inner.end)
    }

    /// The absolute span of a scalar's text inside its quotes (else the node's span).
    pub fn text_span(&self) -> Range<usize> {
        self.scalar()
            .map_or_else(|| self.span(), |s| s.text_span.abs(self.base))
    }

    pub fn intrinsic(&self) -> Option<&'a Intrinsic> {
        match &self.node.kind {
            NodeKind::Intrinsic(intrinsic) => Some(intrinsic),
            _ => None,
        }
    }

    /// The text of a scalar holding a Serverless Framework variable
    /// (`${file(./api.json)}`), read as [`FRAMEWORK_VARIABLE`].
    pub fn framework_variable(&self) -> Option<&'a str> {
        match self.kind() {
            NodeKind::Intrinsic(i) if i.name == FRAMEWORK_VARIABLE => {
                self.intrinsic_argument()?.text()
            }
            _ => None,
        }
    }

    pub fn intrinsic_argument(&self) -> Option<NodeRef<'a>> {
        self.intrinsic()
            .and_then(|i| i.argument.as_ref())
            .map(|node| NodeRef::new(node, self.base))
    }

    pub fn intrinsic_name_span(&self) -> Option<Range<usize>> {
        self.intrinsic().map(|i| i.name_span.abs(self.base))
    }

    /// Finds the innermost node whose span contains `offset` (absolute).
    pub fn node_at(&self, offset: usize) -> Option<NodeRef<'a>> {
        let span = self.span();
        if offset < span.start || offset > span.end {
            return None;
        }
        let children: Vec<NodeRef<'a>> = match &self.node.kind {
            NodeKind::Map(_) => self.pairs().filter_map(|p| p.value()).collect(),
            NodeKind::Seq(_) => self.items().collect(),
            NodeKind::Intrinsic(_) => self.intrinsic_argument().into_iter().collect(),
            _ => Vec::new(),
        };
        children
            .into_iter()
            .find_map(|child| child.node_at(offset))
            .or(Some(*self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(text: &str, start: usize) -> Node {
        Node {
            span: Span::new(start, start + text.len()),
            kind: NodeKind::Scalar(Scalar {
                text: text.to_string(),
                style: ScalarStyle::Plain,
                kind: ScalarKind::String,
                text_span: Span::new(start, start + text.len()),
            }),
        }
    }

    #[test]
    fn long_form_ref_becomes_intrinsic() {
        let map = Node {
            span: Span::new(0, 10),
            kind: NodeKind::Map(vec![Pair {
                key: "Ref".into(),
                key_span: Span::new(0, 3),
                value: Some(scalar("Queue", 5)),
            }]),
        };
        let node = map.recognise_long_form();
        let view = NodeRef::new(&node, 100);
        let intrinsic = view.intrinsic().map(|i| i.name.clone());
        assert_eq!(intrinsic.as_deref(), Some("Ref"));
        assert_eq!(
            view.intrinsic_argument().and_then(|a| a.text()),
            Some("Queue")
        );
        assert_eq!(view.intrinsic_name_span(), Some(100..103));
    }

    #[test]
    fn two_key_map_is_not_intrinsic() {
        let map = Node {
            span: Span::new(0, 10),
            kind: NodeKind::Map(vec![
                Pair {
                    key: "Ref".into(),
                    key_span: Span::new(0, 3),
                    value: None,
                },
                Pair {
                    key: "Other".into(),
                    key_span: Span::new(4, 9),
                    value: None,
                },
            ]),
        };
        assert!(NodeRef::new(&map.recognise_long_form(), 0).is_map());
    }

    #[test]
    fn framework_variables_are_told_from_other_dollar_braces() {
        for text in [
            "${self:custom.queueUrl}",
            "${sls:stage}",
            "orders-${sls:stage}",
            "${env:GROUP, 'dflt'}",
            "${ssm:/orders/url}",
            "${ssm(eu-west-1):/orders/url}",
            "${cf:orders.QueueUrl}",
            "${cf.us-east-1:orders.QueueUrl}",
            "${param:queue}",
            "${opt:stage, ${env:STAGE, 'dev'}}",
            "${file(./attributes.json)}",
            "${file(./config.js):queue}",
            "${strToBool(${env:ON})}",
            "arn:aws:events:${aws:region}:${aws:accountId}:event-bus/default",
            "${ self:custom.x }",
        ] {
            assert!(has_framework_variable(text), "{text}");
        }
        for text in [
            "${AWS::Region}",
            "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q",
            "${Queue.Arn}",
            "${!self:custom.x}",
            "${request.body}",
            "$request.body",
            "${context.requestId}",
            "${var.queue_url}",
            "arn:aws:s3:::bucket/${aws:username}/*",
            "${selfish:x}",
            "${ssm::x}",
            "plain text",
            "${",
        ] {
            assert!(!has_framework_variable(text), "{text}");
        }
        let node = scalar("${sls:stage}", 4).recognise_variables();
        let view = NodeRef::new(&node, 10);
        assert_eq!(view.text(), None);
        assert_eq!(view.framework_variable(), Some("${sls:stage}"));
        let plain = scalar("${AWS::Region}", 0).recognise_variables();
        assert_eq!(NodeRef::new(&plain, 0).text(), Some("${AWS::Region}"));
    }

    #[test]
    fn tag_names_map_to_long_form() {
        assert_eq!(intrinsic_name_for_tag("GetAtt"), "Fn::GetAtt");
        assert_eq!(intrinsic_name_for_tag("Ref"), "Ref");
        assert_eq!(intrinsic_name_for_tag("Condition"), "Condition");
    }
}
