//! Pulumi YAML's expressions, read once into the value tree: the properties of a
//! resource of a Pulumi YAML program (`resources: {name: {type: aws:sqs:Queue,
//! properties: {...}}}`) are rewritten in place after the YAML is parsed, so that the
//! model and the rules see the same intrinsics as everywhere else.
//!
//! As pulumi-yaml reads a string (`pkg/pulumiyaml/ast/interpolation.go`): `$$` is a
//! literal `$`, and `${access}` a property access that ends at its `}`
//! (`name`, `.name`, `[0]`, `["key"]`). So:
//!
//! - a string that is one access, `${queue.url}`, is `Fn::GetAtt` of `[queue, url]`
//!   (more accessors stay in the attribute, `list[0].x`), and `${queue}` is `Ref` of
//!   `queue` (Pulumi passes the resource itself, which is its `id` where a string is
//!   wanted: pulumi/pulumi-yaml#389);
//!   `${pulumi.stack}` and the other built-in `pulumi` values are opaque;
//! - a braced mapping expression, `${request.body.x}`, is an interpolation too, of a
//!   resource or variable named `request` that Pulumi does not find: it is kept as the
//!   `Fn::Sub` template `${request.body.x}`, for `sub-variable-collision` to say so;
//! - a string with accesses and text is `Fn::Sub` of its template: literal parts with a
//!   `${` (written `$${`) as Sub's `${!`, each access as `${access}`;
//! - a string with only `$$` escapes is the scalar of its unescaped text (the text API
//!   Gateway gets: `$${request.body.x}` is `${request.body.x}`);
//! - a one-key mapping whose key starts with `fn::` (in any case, as pulumi-yaml reads
//!   it) is a built-in function: `fn::toJSON` is the `jsonencode` intrinsic of its
//!   (rewritten) argument, whose JSON text [`super::hcl::json_text`] writes when it is
//!   all literals; any other (`fn::invoke`, `fn::join`, `fn::secret`, `fn::readFile`,
//!   assets and archives, ...) is an opaque intrinsic named as written, with its
//!   argument kept so that the names it uses are seen;
//! - CloudFormation's long forms that the YAML reader recognised (`{Ref: x}`) are
//!   plain mappings again, and short-form tags are opaque.
//!
//! A string Pulumi cannot read (an unterminated `${`) is left as it is. Mapping keys are
//! not rewritten.

use std::ops::Range;

use super::MAX_DEPTH;
use super::hcl::JSONENCODE;
use super::value::{Node, NodeKind, Pair, ScalarKind, ScalarStyle, Span};

/// The name of the intrinsic that stands for a Pulumi value not known from the text (a
/// YAML tag, `${pulumi.stack}`).
pub const OPAQUE: &str = "Pulumi";

/// The roots of mapping expressions that API Gateway reads in their braced spelling
/// (`${request.body.x}`), and that Pulumi reads as its own interpolation.
const MAPPING_ROOTS: &[&str] = &["request", "context", "stageVariables"];

/// Whether `text` is a Pulumi type token: `aws:sqs:Queue`, `aws:sqs/queue:Queue`,
/// `aws-apigateway:RestAPI`, `pulumi:providers:aws` (two or three parts separated by
/// single colons, no blanks). CloudFormation's `AWS::SQS::Queue` is not one.
pub fn is_type_token(text: &str) -> bool {
    let parts: Vec<&str> = text.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| !p.is_empty())
        && !text.contains(char::is_whitespace)
        && parts[0]
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Whether a node is a resource of a Pulumi YAML program: a mapping whose `type` is a
/// type token.
pub fn is_resource(node: &Node) -> bool {
    let NodeKind::Map(pairs) = &node.kind else {
        return false;
    };
    pairs.iter().any(|p| {
        p.key == "type"
            && p.value
                .as_ref()
                .is_some_and(|v| matches!(&v.kind, NodeKind::Scalar(s) if is_type_token(&s.text)))
    })
}

/// Rewrites the value of a parsed entry when it is a Pulumi resource (a member of a
/// split `resources` section), or, for a `resources` mapping parsed whole, each member
/// that is one. Everything else stays as it is. A pure function of the entry, so an
/// entry reads the same whatever section it is found in.
pub fn read_entry(key: &str, value: &mut Node) {
    if is_resource(value) {
        read_resource(value);
    } else if key == "resources"
        && let NodeKind::Map(pairs) = &mut value.kind
    {
        for member in pairs.iter_mut().filter_map(|p| p.value.as_mut()) {
            if is_resource(member) {
                read_resource(member);
            }
        }
    }
}

/// Rewrites a resource's `properties`.
fn read_resource(resource: &mut Node) {
    let NodeKind::Map(pairs) = &mut resource.kind else {
        return;
    };
    for pair in pairs.iter_mut().filter(|p| p.key == "properties") {
        if let Some(value) = pair.value.take() {
            pair.value = Some(read(value, 0));
        }
    }
}

/// One value, rewritten (see the module documentation).
fn read(node: Node, depth: usize) -> Node {
    if depth > MAX_DEPTH {
        return node;
    }
    let Node { span, kind } = node;
    match kind {
        NodeKind::Scalar(scalar)
            if scalar.kind == ScalarKind::String && scalar.text.contains('$') =>
        {
            let original = Node {
                span,
                kind: NodeKind::Scalar(scalar),
            };
            string(original)
        }
        NodeKind::Map(pairs) if pairs.len() == 1 && is_function(&pairs[0].key) => {
            let mut pairs = pairs;
            let pair = pairs.remove(0);
            function(span, &pair.key, pair.key_span, pair.value, depth)
        }
        NodeKind::Map(pairs) => Node {
            span,
            kind: NodeKind::Map(
                pairs
                    .into_iter()
                    .map(|p| Pair {
                        value: p.value.map(|v| read(v, depth + 1)),
                        ..p
                    })
                    .collect(),
            ),
        },
        NodeKind::Seq(items) => Node {
            span,
            kind: NodeKind::Seq(items.into_iter().map(|i| read(i, depth + 1)).collect()),
        },
        NodeKind::Intrinsic(intrinsic) => {
            let intrinsic = *intrinsic;
            if intrinsic.short_form {
                // A YAML tag means nothing to Pulumi YAML.
                let argument = intrinsic.argument.map(|a| read(a, depth + 1));
                return Node::intrinsic(span, OPAQUE, intrinsic.name_span, argument);
            }
            if is_function(&intrinsic.name) {
                return function(
                    span,
                    &intrinsic.name,
                    intrinsic.name_span,
                    intrinsic.argument,
                    depth,
                );
            }
            // `{Ref: x}`, `{Condition: c}`: a plain one-key mapping in Pulumi.
            Node {
                span,
                kind: NodeKind::Map(vec![Pair {
                    key: intrinsic.name,
                    key_span: intrinsic.name_span,
                    value: intrinsic.argument.map(|a| read(a, depth + 1)),
                }]),
            }
        }
        kind => Node { span, kind },
    }
}

/// Whether a one-key mapping's key names a built-in function.
fn is_function(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("fn::"))
}

/// A built-in function: `fn::toJSON` as `jsonencode`, the others opaque with their
/// argument.
fn function(span: Span, key: &str, key_span: Span, argument: Option<Node>, depth: usize) -> Node {
    let argument = argument.map(|a| read(a, depth + 1));
    let rest = key.get(4..).unwrap_or("");
    if rest.eq_ignore_ascii_case("toJSON") {
        return Node::intrinsic(span, JSONENCODE, key_span, argument);
    }
    Node::intrinsic(span, &format!("fn::{rest}"), key_span, argument)
}

/// A piece of a Pulumi string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Literal text, unescaped.
    Text(String),
    /// `${...}`: the access between the braces (its byte range in the text), its root
    /// name, and where the root ends as written (`queue` of `queue.url`, `["a.b"]`).
    Access {
        inner: Range<usize>,
        root: String,
        root_end: usize,
    },
}

/// The pieces of a string as pulumi-yaml reads them; `None` when it cannot (an
/// unterminated `${`, an empty one, an unclosed `["`).
fn pieces(text: &str) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    let mut literal = String::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        if rest.starts_with("$$") {
            literal.push('$');
            at += 2;
        } else if rest.starts_with("${") {
            let start = at + 2;
            let (end, root, root_end) = access(text, start)?;
            if !literal.is_empty() {
                out.push(Piece::Text(std::mem::take(&mut literal)));
            }
            out.push(Piece::Access {
                inner: start..end,
                root,
                root_end,
            });
            at = end + 1;
        } else {
            let c = rest.chars().next()?;
            literal.push(c);
            at += c.len_utf8();
        }
    }
    if !literal.is_empty() {
        out.push(Piece::Text(literal));
    }
    Some(out)
}

/// Reads a property access starting at byte `start` of `text` (after `${`): the offset
/// of its closing `}`, its root name and the offset where the root ends.
fn access(text: &str, start: usize) -> Option<(usize, String, usize)> {
    let bytes = text.as_bytes();
    let mut at = start;
    let mut root: Option<(String, usize)> = None;
    while at < bytes.len() {
        match bytes[at] {
            b'}' => {
                let (root, root_end) = root.filter(|(r, _)| !r.is_empty())?;
                return Some((at, root, root_end));
            }
            b'.' => at += 1,
            b'[' if bytes.get(at + 1) == Some(&b'"') => {
                // A quoted key: `["a.b"]`, with `\"` inside.
                let mut key = String::new();
                let mut i = at + 2;
                loop {
                    match bytes.get(i)? {
                        b'"' => break,
                        b'\\' if bytes.get(i + 1) == Some(&b'"') => {
                            key.push('"');
                            i += 2;
                        }
                        _ => {
                            let c = text.get(i..)?.chars().next()?;
                            key.push(c);
                            i += c.len_utf8();
                        }
                    }
                }
                if bytes.get(i + 1) != Some(&b']') {
                    return None;
                }
                at = i + 2;
                root.get_or_insert((key, at));
            }
            b'[' => {
                let close = text.get(at..)?.find(']')? + at;
                root.as_ref()?;
                at = close + 1;
            }
            _ => {
                let len = text[at..].find(['.', '[', '}']).unwrap_or(text.len() - at);
                root.get_or_insert_with(|| (text[at..at + len].to_string(), at + len));
                at += len;
            }
        }
    }
    None
}

/// A Pulumi string (a scalar holding a `$`), rewritten.
fn string(original: Node) -> Node {
    let NodeKind::Scalar(scalar) = &original.kind else {
        return original;
    };
    let Some(pieces) = pieces(&scalar.text) else {
        return original;
    };
    let whole = scalar.text_span;
    let verbatim = scalar.style != ScalarStyle::Block
        && scalar.text.len() == (whole.end - whole.start) as usize;
    // Where bytes of the text are in the entry: exactly when the text is the source.
    let at = |r: Range<usize>| {
        if verbatim {
            Span::new(whole.start as usize + r.start, whole.start as usize + r.end)
        } else {
            whole
        }
    };
    let text_node = |text: String, span: Span| {
        Node::scalar(span, text, ScalarStyle::Plain, ScalarKind::String, span)
    };
    let accesses = pieces
        .iter()
        .filter(|p| matches!(p, Piece::Access { .. }))
        .count();
    match pieces.as_slice() {
        [] => Node::scalar(whole, String::new(), scalar.style, scalar.kind, whole),
        // Only text: `$$` escapes, if anything.
        _ if accesses == 0 => {
            let text: String = pieces
                .iter()
                .map(|p| match p {
                    Piece::Text(t) => t.as_str(),
                    Piece::Access { .. } => "",
                })
                .collect();
            Node::scalar(original.span, text, scalar.style, scalar.kind, whole)
        }
        [
            Piece::Access {
                inner,
                root,
                root_end,
            },
        ] => {
            let after = scalar.text.get(*root_end..inner.end).unwrap_or("");
            let attribute = after.strip_prefix('.').unwrap_or(after);
            // A quoted root (`["a.b"]`) is not its name as written.
            let root_span = if *root_end == inner.start + root.len() {
                at(inner.start..*root_end)
            } else {
                whole
            };
            if root == "pulumi" {
                return Node::intrinsic(whole, OPAQUE, whole, None);
            }
            if attribute.is_empty() {
                return Node::intrinsic(
                    whole,
                    "Ref",
                    whole,
                    Some(text_node(root.clone(), root_span)),
                );
            }
            if !MAPPING_ROOTS.contains(&root.as_str()) {
                let attribute_start = inner.end - attribute.len();
                return Node::intrinsic(
                    whole,
                    "Fn::GetAtt",
                    whole,
                    Some(Node {
                        span: whole,
                        kind: NodeKind::Seq(vec![
                            text_node(root.clone(), root_span),
                            text_node(attribute.to_string(), at(attribute_start..inner.end)),
                        ]),
                    }),
                );
            }
            sub(whole, &scalar.text, &pieces, scalar.style)
        }
        _ => sub(whole, &scalar.text, &pieces, scalar.style),
    }
}

/// `Fn::Sub` of the template the pieces make: literal `${` as `${!`, each access as
/// written.
fn sub(whole: Span, text: &str, pieces: &[Piece], style: ScalarStyle) -> Node {
    let mut template = String::with_capacity(text.len());
    for piece in pieces {
        match piece {
            Piece::Text(t) => template.push_str(&t.replace("${", "${!")),
            Piece::Access { inner, .. } => {
                template.push_str("${");
                template.push_str(&text[inner.clone()]);
                template.push('}');
            }
        }
    }
    let style = match style {
        ScalarStyle::Block => ScalarStyle::Block,
        _ => ScalarStyle::DoubleQuoted,
    };
    Node::intrinsic(
        whole,
        "Fn::Sub",
        whole,
        Some(Node::scalar(
            whole,
            template,
            style,
            ScalarKind::String,
            whole,
        )),
    )
}

/// How Pulumi YAML writes `text` as a literal: each `$` that would start `${` or `$$`
/// doubled.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '$' && matches!(chars.peek(), Some('{' | '$')) {
            out.push('$');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::value::{NodeRef, Scalar};

    /// A plain scalar at 0.
    fn plain(text: &str) -> Node {
        let span = Span::new(0, text.len());
        Node {
            span,
            kind: NodeKind::Scalar(Scalar {
                text: text.to_string(),
                style: ScalarStyle::Plain,
                kind: ScalarKind::String,
                text_span: span,
            }),
        }
    }

    /// A compact picture of a value.
    fn show(node: &Node) -> String {
        match &node.kind {
            NodeKind::Map(pairs) => {
                let inner: Vec<String> = pairs
                    .iter()
                    .map(|p| format!("{}={}", p.key, p.value.as_ref().map_or("-".into(), show)))
                    .collect();
                format!("{{{}}}", inner.join(","))
            }
            NodeKind::Seq(items) => {
                format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(","))
            }
            NodeKind::Scalar(s) => format!("{:?}", s.text),
            NodeKind::Intrinsic(i) => match &i.argument {
                Some(a) => format!("!{}({})", i.name, show(a)),
                None => format!("!{}", i.name),
            },
            NodeKind::Alias => "*".into(),
            NodeKind::Invalid => "?".into(),
        }
    }

    fn value(text: &str) -> String {
        show(&read(plain(text), 0))
    }

    #[test]
    fn whole_accesses_are_references() {
        assert_eq!(value("${queue.url}"), r#"!Fn::GetAtt(["queue","url"])"#);
        assert_eq!(value("${queue}"), r#"!Ref("queue")"#);
        assert_eq!(
            value("${my-bucket.arn}"),
            r#"!Fn::GetAtt(["my-bucket","arn"])"#
        );
        assert_eq!(
            value("${res.list[0].x}"),
            r#"!Fn::GetAtt(["res","list[0].x"])"#
        );
        assert_eq!(value(r#"${["a.b"].arn}"#), r#"!Fn::GetAtt(["a.b","arn"])"#);
        assert_eq!(value("${pulumi.stack}"), "!Pulumi");
    }

    #[test]
    fn braced_mapping_expressions_stay_templates() {
        assert_eq!(
            value("${request.body.x}"),
            r#"!Fn::Sub("${request.body.x}")"#
        );
        assert_eq!(
            value("${context.requestId}"),
            r#"!Fn::Sub("${context.requestId}")"#
        );
        // A variable named `request` is a reference like any other.
        assert_eq!(value("${request}"), r#"!Ref("request")"#);
    }

    #[test]
    fn templates_and_escapes() {
        assert_eq!(
            value("integrations/${send.id}"),
            r#"!Fn::Sub("integrations/${send.id}")"#
        );
        assert_eq!(
            value("$${request.body.x} for ${pulumi.stack}"),
            r#"!Fn::Sub("${!request.body.x} for ${pulumi.stack}")"#
        );
        assert_eq!(value("$${request.body.x}"), r#""${request.body.x}""#);
        assert_eq!(value("$$request.body"), r#""$request.body""#);
        assert_eq!(value("$request.body"), r#""$request.body""#);
        // What Pulumi cannot read stays as written.
        assert_eq!(value("${request.body"), r#""${request.body""#);
        assert_eq!(value("${}"), r#""${}""#);
        assert_eq!(value(r#"${a["b}"#), r#""${a[\"b}""#);
        assert_eq!(value("a$"), r#""a$""#);
    }

    #[test]
    fn references_point_at_their_names() {
        let node = read(plain("${queue.url}"), 0);
        let view = NodeRef::new(&node, 10);
        let items: Vec<_> = view
            .intrinsic_argument()
            .map(|a| a.items().map(|i| i.text_span()).collect())
            .unwrap_or_default();
        assert_eq!(items, vec![12..17, 18..21]);
        assert_eq!(view.span(), 10..22);
    }

    #[test]
    fn functions() {
        let map = |key: &str, value: Node| Node {
            span: Span::new(0, 1),
            kind: NodeKind::Map(vec![Pair {
                key: key.to_string(),
                key_span: Span::new(0, 1),
                value: Some(value),
            }]),
        };
        let json = read(map("fn::toJSON", map("QueueUrl", plain("${q.url}"))), 0);
        assert_eq!(
            show(&json),
            r#"!jsonencode({QueueUrl=!Fn::GetAtt(["q","url"])})"#
        );
        let join = read(map("Fn::Join", plain("${q.arn}")), 0);
        assert_eq!(show(&join), r#"!fn::Join(!Fn::GetAtt(["q","arn"]))"#);
        let plain_map = read(map("Version", plain("1")), 0);
        assert_eq!(show(&plain_map), r#"{Version="1"}"#);
    }

    #[test]
    fn escapes_round_trip() {
        for text in ["${x}", "$$", "$${", "a $ b", "$request.body", "x$"] {
            let escaped = escape(text);
            let read: String = pieces(&escaped)
                .unwrap_or_default()
                .into_iter()
                .map(|p| match p {
                    Piece::Text(t) => t,
                    Piece::Access { .. } => "<access>".to_string(),
                })
                .collect();
            assert_eq!(read, text, "{escaped}");
        }
        assert_eq!(escape("${request.body}"), "$${request.body}");
        assert_eq!(escape("$request.body"), "$request.body");
    }

    #[test]
    fn type_tokens() {
        for token in [
            "aws:sqs:Queue",
            "aws:apigatewayv2/integration:Integration",
            "aws-apigateway:RestAPI",
            "pulumi:providers:aws",
        ] {
            assert!(is_type_token(token), "{token}");
        }
        for text in [
            "AWS::SQS::Queue",
            "aws",
            "aws:sqs:",
            "a b:c:D",
            "Aws:x:Y",
            "a:b:c:d",
        ] {
            assert!(!is_type_token(text), "{text}");
        }
    }
}
