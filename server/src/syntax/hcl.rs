//! Builds value trees from tree-sitter-hcl syntax trees (Terraform): the only code that
//! knows tree-sitter-hcl's node kinds.
//!
//! A block body becomes a [`NodeKind::Map`]: attributes (`name = expr`) are pairs keyed by
//! the identifier, nested blocks pairs whose value is the nested body's map (a block type
//! repeated in one body: a [`NodeKind::Seq`] of those maps, in order; a nested block's
//! labels are not kept). Expressions:
//!
//! - literals: a string without interpolation is a double-quoted scalar, unescaped as HCL
//!   does (`\n`, `\"`, `\\`, `\uXXXX`, and `$${` to `${`, `%%{` to `%{`), its text span
//!   inside the quotes; a heredoc without interpolation a block scalar (the lines between
//!   the markers, `<<-` indentation removed); numbers are `Int` or `Float`, `true` and
//!   `false` `Bool`, `null` `Null`;
//! - `{ k = v, "k2" : v }` is a map (keys bare identifiers or strings), `[a, b]` a
//!   sequence;
//! - a reference to a managed resource (a traversal of attributes from a root that is a
//!   resource type: `<provider>_<type>`, with a `_`, and not `var`, `local`, `each`,
//!   `count`, `module`, `data`, `path`, `self`, `terraform` or the iterator of a
//!   `dynamic` block around it) is the intrinsic
//!   CloudFormation would write:
//!   `aws_sqs_queue.q` is `Ref` of the scalar `aws_sqs_queue.q`, `aws_sqs_queue.q.url`
//!   `Fn::GetAtt` of `[aws_sqs_queue.q, url]` (more attributes are joined by `.` into
//!   the second item). A data source is named the same way with its `data.` prefix:
//!   `data.aws_iam_policy_document.p.json` is `Fn::GetAtt` of
//!   `[data.aws_iam_policy_document.p, json]` (as `${data...}` of a template names it).
//!   A string that is one interpolation of such a reference and nothing else
//!   (`"${aws_sqs_queue.q.url}"`) is the same node;
//! - any other string or heredoc with interpolations is `Fn::Sub` of its template text:
//!   literal parts unescaped, each `${...}` kept as written, and a literal `$${` written
//!   `${!` (Sub's own escape for a `${` that is no variable);
//! - `jsonencode(x)` is the intrinsic `jsonencode` of `x` converted (see [`json_text`]);
//! - everything else (`var.*`, `local.*`, `each.*`, `module.*` and other
//!   non-resource traversals, indexes and splats, other function calls, conditionals,
//!   `for` expressions, operators, template directives) is the opaque intrinsic
//!   [`OPAQUE`], with no argument: a value only Terraform knows, never a literal.
//!
//! Spans are relative to the segment parsed (the entry's base). Recursion is bounded by
//! [`MAX_DEPTH`].

use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node as TsNode;

use super::value::{Node, NodeKind, Pair, ScalarKind, ScalarStyle, Span};
use super::{MAX_DEPTH, TextSource};

/// The name of the intrinsic that stands for a Terraform expression whose value is not
/// known from the text (a variable, a function call, a conditional, ...).
pub const OPAQUE: &str = "Terraform";

/// The name of the intrinsic for `jsonencode(x)`.
pub const JSONENCODE: &str = "jsonencode";

/// Traversal roots that do not name a managed resource.
const NOT_RESOURCES: &[&str] = &[
    "var",
    "local",
    "each",
    "count",
    "module",
    "data",
    "path",
    "self",
    "terraform",
];

/// A label of a block header: its text (unescaped) and the span of that text (inside the
/// quotes; a bare identifier label: the identifier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub text: String,
    pub span: Span,
}

/// A top-level block's header: `resource "aws_sqs_queue" "orders" {`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The block type: `resource`, `data`, `module`, `locals`, ...
    pub kind: String,
    pub kind_span: Span,
    pub labels: Vec<Label>,
}

impl Block {
    /// The block's address as the document layer keys it: its labels joined by `.`
    /// (`aws_sqs_queue.orders`, a module's name), `None` without labels (`locals`).
    pub fn key(&self) -> Option<String> {
        if self.labels.is_empty() {
            return None;
        }
        let mut key = String::new();
        for (i, label) in self.labels.iter().enumerate() {
            if i > 0 {
                key.push('.');
            }
            key.push_str(&label.text);
        }
        Some(key)
    }

    /// The span the entry's key points at: the last label (the name), or the block type
    /// when there is no label.
    pub fn key_span(&self) -> Span {
        self.labels.last().map_or(self.kind_span, |l| l.span)
    }
}

/// One top-level item of a parsed segment: a block (with its header), or an attribute
/// (`name = value` outside any block, as in `.tfvars`), or a whole-file object.
#[derive(Debug)]
pub struct Item {
    pub key: Option<String>,
    pub key_span: Span,
    pub value: Option<Node>,
    pub block: Option<Block>,
}

/// The top-level items of a segment's tree (a `config_file`), in order.
pub fn build(root: TsNode<'_>, src: &dyn TextSource) -> Vec<Item> {
    let conv = Conv {
        src,
        iterators: std::cell::RefCell::new(Vec::new()),
    };
    let mut out = Vec::new();
    let mut cursor = root.walk();
    for child in root.named_children(&mut cursor) {
        match child.kind() {
            "body" => {
                let mut inner = child.walk();
                for item in child.named_children(&mut inner) {
                    match item.kind() {
                        "block" => out.push(conv.top_block(item)),
                        "attribute" => {
                            if let Some(pair) = conv.attribute(item, 0) {
                                out.push(Item {
                                    key: Some(pair.key),
                                    key_span: pair.key_span,
                                    value: pair.value,
                                    block: None,
                                });
                            }
                        }
                        _ => {}
                    }
                }
            }
            "object" => out.push(Item {
                key: None,
                key_span: Span::new(child.start_byte(), child.start_byte()),
                value: Some(conv.object(child, 0)),
                block: None,
            }),
            _ => {}
        }
    }
    out
}

/// Syntax errors (see [`super::syntax_errors`]), with a missing token (a block's `}`
/// not typed yet) reported after the last text before it rather than after the comments
/// and blank lines that follow: at the end of what the block holds.
pub fn syntax_errors(root: TsNode<'_>, limit: usize) -> Vec<(Range<usize>, String)> {
    let mut errors = super::syntax_errors(root, limit);
    for (range, _) in &mut errors {
        if range.start != range.end {
            continue;
        }
        let Some(missing) = missing_at(root, range.start) else {
            continue;
        };
        if let Some(node) = text_before(missing)
            && node.end_byte() <= range.start
        {
            *range = node.end_byte()..node.end_byte();
        }
    }
    errors.sort_by_key(|(r, _)| r.start);
    errors
}

/// The last node before `node` (among its siblings, else its parent's) that is not a
/// comment.
fn text_before(node: TsNode<'_>) -> Option<TsNode<'_>> {
    let mut at = node;
    loop {
        let mut before = at.prev_sibling();
        while let Some(sibling) = before {
            if sibling.kind() != "comment" {
                return Some(sibling);
            }
            before = sibling.prev_sibling();
        }
        at = at.parent()?;
    }
}

/// The MISSING node at byte `at`.
fn missing_at(root: TsNode<'_>, at: usize) -> Option<TsNode<'_>> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_missing() && node.start_byte() == at {
            return Some(node);
        }
        if node.has_error() && node.start_byte() <= at && at <= node.end_byte() {
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
    }
    None
}

fn span(node: TsNode<'_>) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// A vector without spare capacity: value trees live as long as their entry.
fn fit<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

/// The named children of a node that are not comments.
fn children(node: TsNode<'_>) -> Vec<TsNode<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

fn intrinsic(span: Span, name: &str, name_span: Span, argument: Option<Node>) -> Node {
    Node::intrinsic(span, name, name_span, argument)
}

/// The opaque value of an expression only Terraform can evaluate.
fn opaque(node: TsNode<'_>) -> Node {
    intrinsic(span(node), OPAQUE, span(node), None)
}

fn scalar(span: Span, text: String, style: ScalarStyle, kind: ScalarKind, text_span: Span) -> Node {
    Node::scalar(span, text, style, kind, text_span)
}

struct Conv<'a> {
    src: &'a dyn TextSource,
    /// The iterators of the `dynamic` blocks being read (`setting` in
    /// `dynamic "setting" { content { value = setting.value } }`): named values, not
    /// resources.
    iterators: std::cell::RefCell<Vec<String>>,
}

impl Conv<'_> {
    fn raw(&self, range: Range<usize>) -> String {
        self.src.text(range).into_owned()
    }

    fn text(&self, node: TsNode<'_>) -> String {
        self.raw(node.start_byte()..node.end_byte())
    }

    fn top_block(&self, block: TsNode<'_>) -> Item {
        let mut kind = None;
        let mut labels = Vec::new();
        let mut body = None;
        let mut braces: (Option<usize>, Option<usize>) = (None, None);
        for child in children(block) {
            match child.kind() {
                "identifier" if kind.is_none() => kind = Some((self.text(child), span(child))),
                "identifier" => labels.push(Label {
                    text: self.text(child),
                    span: span(child),
                }),
                "string_lit" => {
                    let (text, text_span) = self.string_lit(child, false);
                    labels.push(Label {
                        text,
                        span: text_span,
                    });
                }
                "block_start" => braces.0 = Some(child.start_byte()),
                "block_end" => braces.1 = Some(child.end_byte()),
                "body" => body = Some(child),
                _ => {}
            }
        }
        let (kind, kind_span) = kind.unwrap_or_else(|| {
            (
                String::new(),
                Span::new(block.start_byte(), block.start_byte()),
            )
        });
        let header = Block {
            kind,
            kind_span,
            labels: fit(labels),
        };
        let value = braces.0.map(|start| {
            let end = braces.1.unwrap_or(block.end_byte()).max(start);
            self.body(body, Span::new(start, end), 0)
        });
        Item {
            key: header.key(),
            key_span: header.key_span(),
            value,
            block: Some(header),
        }
    }

    /// A block body (`None`: empty) as a map spanning `span` (the braces).
    fn body(&self, body: Option<TsNode<'_>>, span: Span, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            return Node {
                span,
                kind: NodeKind::Invalid,
            };
        }
        let depth = depth + 1;
        let mut pairs: Vec<Pair> = Vec::new();
        // Nested blocks by type: the pair made for the first one, and every body of
        // that type (a repeated type becomes a sequence).
        let mut blocks: HashMap<String, (usize, Vec<Node>)> = HashMap::new();
        for item in body.map(children).unwrap_or_default() {
            match item.kind() {
                "attribute" => {
                    if let Some(pair) = self.attribute(item, depth) {
                        pairs.push(pair);
                    }
                }
                "block" => {
                    let Some((key, key_span, value)) = self.nested_block(item, depth) else {
                        continue;
                    };
                    if let Some((_, values)) = blocks.get_mut(&key) {
                        values.push(value);
                        continue;
                    }
                    blocks.insert(key.clone(), (pairs.len(), vec![value]));
                    pairs.push(Pair {
                        key,
                        key_span,
                        value: None,
                    });
                }
                _ => {}
            }
        }
        for (_, (at, mut values)) in blocks {
            let value = if values.len() == 1 {
                values.pop()
            } else {
                let start = values.first().map_or(0, |v| v.span.start);
                let end = values.last().map_or(0, |v| v.span.end);
                Some(Node {
                    span: Span {
                        start,
                        end: end.max(start),
                    },
                    kind: NodeKind::Seq(fit(values)),
                })
            };
            if let Some(pair) = pairs.get_mut(at) {
                pair.value = value;
            }
        }
        Node {
            span,
            kind: NodeKind::Map(fit(pairs)),
        }
    }

    /// A nested block: its type, the type's span, and its body (labels are not kept).
    fn nested_block(&self, block: TsNode<'_>, depth: usize) -> Option<(String, Span, Node)> {
        let mut kind = None;
        let mut label = None;
        let mut body = None;
        let mut braces: (Option<usize>, Option<usize>) = (None, None);
        for child in children(block) {
            match child.kind() {
                "identifier" if kind.is_none() => kind = Some((self.text(child), span(child))),
                "identifier" if label.is_none() => label = Some(self.text(child)),
                "string_lit" if label.is_none() => label = Some(self.string_lit(child, false).0),
                "block_start" => braces.0 = Some(child.start_byte()),
                "block_end" => braces.1 = Some(child.end_byte()),
                "body" => body = Some(child),
                _ => {}
            }
        }
        let (key, key_span) = kind?;
        let start = braces.0.unwrap_or(block.end_byte());
        let end = braces.1.unwrap_or(block.end_byte()).max(start);
        // A `dynamic` block's iterator (its label, or its `iterator` attribute) is in scope
        // in its body.
        let iterator = if key == "dynamic" {
            body.and_then(|b| self.iterator_attribute(b)).or(label)
        } else {
            None
        };
        let scoped = iterator.is_some();
        if let Some(name) = iterator {
            self.iterators.borrow_mut().push(name);
        }
        let value = self.body(body, Span::new(start, end), depth);
        if scoped {
            self.iterators.borrow_mut().pop();
        }
        Some((key, key_span, value))
    }

    /// The bare name of a `dynamic` block's `iterator = name` attribute.
    fn iterator_attribute(&self, body: TsNode<'_>) -> Option<String> {
        children(body).into_iter().find_map(|item| {
            let parts = children(item);
            let [name, value] = parts.as_slice() else {
                return None;
            };
            if item.kind() != "attribute" || self.text(*name) != "iterator" {
                return None;
            }
            match children(*value).as_slice() {
                [v] if v.kind() == "variable_expr" => Some(self.text(*v)),
                _ => None,
            }
        })
    }

    /// `name = expression`.
    fn attribute(&self, attribute: TsNode<'_>, depth: usize) -> Option<Pair> {
        let mut name = None;
        let mut value = None;
        for child in children(attribute) {
            match child.kind() {
                "identifier" if name.is_none() => name = Some(child),
                "expression" if value.is_none() => value = Some(child),
                _ => {}
            }
        }
        let name = name?;
        Some(Pair {
            key: self.text(name),
            key_span: span(name),
            value: value.map(|v| self.expression(v, depth)),
        })
    }

    fn expression(&self, node: TsNode<'_>, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            return Node {
                span: span(node),
                kind: NodeKind::Invalid,
            };
        }
        let depth = depth + 1;
        let parts = children(node);
        match parts.as_slice() {
            [] => Node {
                span: span(node),
                kind: NodeKind::Invalid,
            },
            [one] => match one.kind() {
                "literal_value" => self.literal(*one, node),
                "template_expr" => children(*one)
                    .first()
                    .map_or_else(|| opaque(node), |t| self.template(*t, depth)),
                "collection_value" => match children(*one).first() {
                    Some(c) if c.kind() == "object" => self.object(*c, depth),
                    Some(c) if c.kind() == "tuple" => self.tuple(*c, depth),
                    _ => opaque(node),
                },
                // `( expression )`.
                "expression" => self.expression(*one, depth),
                "function_call" => self.call(*one, depth),
                "ERROR" => Node {
                    span: span(node),
                    kind: NodeKind::Invalid,
                },
                _ => opaque(node),
            },
            [root, rest @ ..] if root.kind() == "variable_expr" => self
                .reference(node, *root, rest)
                .unwrap_or_else(|| opaque(node)),
            _ => opaque(node),
        }
    }

    /// `aws_sqs_queue.q` (`Ref`) or `aws_sqs_queue.q.url` (`Fn::GetAtt`): a traversal
    /// of attributes only from a root that can be a managed resource type (one with a
    /// `_`, as every resource type is `<provider>_<type>`, and not a named value such as
    /// `var` or a `dynamic` block's iterator; so `request.body` is none either), or
    /// from `data` and a resource type (`data.aws_x.y`, a data source).
    fn reference(&self, expr: TsNode<'_>, root: TsNode<'_>, rest: &[TsNode<'_>]) -> Option<Node> {
        let root_text = self.text(root);
        let data = root_text == "data" && !self.iterators.borrow().contains(&root_text);
        if !data
            && (!root_text.contains('_')
                || NOT_RESOURCES.contains(&root_text.as_str())
                || self.iterators.borrow().contains(&root_text))
        {
            return None;
        }
        let mut attributes = Vec::with_capacity(rest.len());
        for part in rest {
            if part.kind() != "get_attr" {
                return None;
            }
            let name = children(*part)
                .into_iter()
                .find(|c| c.kind() == "identifier")?;
            attributes.push(name);
        }
        // A data source: `data.<type>.<name>` is the address, its type a resource type.
        let (root_text, attributes) = match attributes.split_first() {
            Some((kind, rest)) if data => {
                let kind = self.text(*kind);
                if !kind.contains('_') {
                    return None;
                }
                (format!("data.{kind}"), rest)
            }
            _ => (root_text, attributes.as_slice()),
        };
        let (first, more) = attributes.split_first()?;
        let resource_span = Span::new(root.start_byte(), first.end_byte());
        let resource = scalar(
            resource_span,
            format!("{root_text}.{}", self.text(*first)),
            ScalarStyle::Plain,
            ScalarKind::String,
            resource_span,
        );
        let (Some(second), Some(last)) = (more.first(), more.last()) else {
            return Some(intrinsic(span(expr), "Ref", span(expr), Some(resource)));
        };
        let attribute_span = Span::new(second.start_byte(), last.end_byte());
        let attribute = more
            .iter()
            .map(|n| self.text(*n))
            .collect::<Vec<_>>()
            .join(".");
        let attribute = scalar(
            attribute_span,
            attribute,
            ScalarStyle::Plain,
            ScalarKind::String,
            attribute_span,
        );
        let argument = Node {
            span: span(expr),
            kind: NodeKind::Seq(vec![resource, attribute]),
        };
        Some(intrinsic(
            span(expr),
            "Fn::GetAtt",
            span(expr),
            Some(argument),
        ))
    }

    /// `jsonencode(x)`, or an opaque call.
    fn call(&self, call: TsNode<'_>, depth: usize) -> Node {
        let parts = children(call);
        let name = parts.iter().find(|c| c.kind() == "identifier");
        let arguments = parts.iter().find(|c| c.kind() == "function_arguments");
        if let (Some(name), Some(arguments)) = (name, arguments)
            && self.text(*name) == JSONENCODE
            && let [argument] = children(*arguments).as_slice()
            && argument.kind() == "expression"
        {
            let value = self.expression(*argument, depth);
            return intrinsic(span(call), JSONENCODE, span(*name), Some(value));
        }
        opaque(call)
    }

    fn literal(&self, literal: TsNode<'_>, expr: TsNode<'_>) -> Node {
        let Some(value) = children(literal).into_iter().next() else {
            return opaque(expr);
        };
        let kind = match value.kind() {
            "string_lit" => {
                let (text, text_span) = self.string_lit(value, false);
                return scalar(
                    span(value),
                    text,
                    ScalarStyle::DoubleQuoted,
                    ScalarKind::String,
                    text_span,
                );
            }
            "numeric_lit" => {
                let raw = self.text(value);
                if !raw.starts_with("0x") && raw.contains(['.', 'e', 'E']) {
                    ScalarKind::Float
                } else {
                    ScalarKind::Int
                }
            }
            "bool_lit" => ScalarKind::Bool,
            "null_lit" => ScalarKind::Null,
            _ => return opaque(expr),
        };
        scalar(
            span(value),
            self.text(value),
            ScalarStyle::Plain,
            kind,
            span(value),
        )
    }

    /// The span inside a quoted string's quotes (to its end when it is not closed).
    fn quoted_inner(&self, node: TsNode<'_>) -> Range<usize> {
        let mut start = node.start_byte();
        let mut end = node.end_byte();
        for child in children(node) {
            match child.kind() {
                "quoted_template_start" => start = child.end_byte(),
                "quoted_template_end" if child.end_byte() > child.start_byte() => {
                    end = child.start_byte();
                }
                _ => {}
            }
        }
        start..end.max(start)
    }

    /// A string literal's unescaped text and the span inside its quotes (`sub`: a
    /// literal `$${` is written `${!`, as `Fn::Sub` reads it).
    fn string_lit(&self, node: TsNode<'_>, sub: bool) -> (String, Span) {
        let inner = self.quoted_inner(node);
        let raw = self.raw(inner.clone());
        (
            template_text(&raw, &[], Escapes::Quoted, sub, 0),
            Span::new(inner.start, inner.end),
        )
    }

    /// A quoted template or heredoc.
    fn template(&self, template: TsNode<'_>, depth: usize) -> Node {
        let parts = children(template);
        if parts.iter().any(|p| p.kind() == "template_directive") {
            return opaque(template);
        }
        let interpolations: Vec<TsNode<'_>> = parts
            .iter()
            .copied()
            .filter(|p| p.kind() == "template_interpolation")
            .collect();
        let heredoc = template.kind() == "heredoc_template";
        let (content, escapes, strip) = if heredoc {
            let Some((content, strip)) = self.heredoc_content(template, &parts) else {
                return opaque(template);
            };
            (content, Escapes::Heredoc, strip)
        } else {
            (self.quoted_inner(template), Escapes::Quoted, 0)
        };
        let style = if heredoc {
            ScalarStyle::Block
        } else {
            ScalarStyle::DoubleQuoted
        };
        let raw = self.raw(content.clone());
        let text_span = Span::new(content.start, content.end);
        if interpolations.is_empty() {
            let text = template_text(&raw, &[], escapes, false, strip);
            return scalar(span(template), text, style, ScalarKind::String, text_span);
        }
        // `"${aws_sqs_queue.q.url}"`: the reference itself.
        if !heredoc
            && let [only] = interpolations.as_slice()
            && only.start_byte() == content.start
            && only.end_byte() == content.end
            && let Some(expr) = children(*only)
                .into_iter()
                .find(|c| c.kind() == "expression")
        {
            let mut value = self.expression(expr, depth);
            if let NodeKind::Intrinsic(i) = &value.kind
                && matches!(i.name.as_str(), "Ref" | "Fn::GetAtt")
            {
                value.span = span(template);
                return value;
            }
        }
        let holes: Vec<Range<usize>> = interpolations
            .iter()
            .map(|i| {
                i.start_byte().saturating_sub(content.start)
                    ..i.end_byte().saturating_sub(content.start)
            })
            .collect();
        let text = template_text(&raw, &holes, escapes, true, strip);
        let argument = scalar(span(template), text, style, ScalarKind::String, text_span);
        intrinsic(span(template), "Fn::Sub", span(template), Some(argument))
    }

    /// A heredoc's content (from the line after its opening marker to the start of the
    /// line of its closing marker) and, for `<<-`, the indentation to remove.
    fn heredoc_content(
        &self,
        template: TsNode<'_>,
        parts: &[TsNode<'_>],
    ) -> Option<(Range<usize>, usize)> {
        let start_marker = parts.iter().find(|p| p.kind() == "heredoc_start")?;
        let flush = self.text(*start_marker) == "<<-";
        let mut markers = parts.iter().filter(|p| p.kind() == "heredoc_identifier");
        let open = markers.next()?;
        let close = markers.next();
        let whole = self.raw(template.start_byte()..template.end_byte());
        let rel = |b: usize| b.saturating_sub(template.start_byte()).min(whole.len());
        let after_open = rel(open.end_byte());
        let start = whole[after_open..]
            .find('\n')
            .map_or(whole.len(), |i| after_open + i + 1);
        let end = match close {
            Some(close) => {
                let at = rel(close.start_byte());
                whole[..at].rfind('\n').map_or(at, |i| i + 1)
            }
            None => whole.len(),
        }
        .max(start);
        let strip = if flush {
            whole[start..end]
                .split('\n')
                .filter(|l| !l.trim().is_empty())
                .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
                .min()
                .unwrap_or(0)
        } else {
            0
        };
        let base = template.start_byte();
        Some((base + start..base + end, strip))
    }

    fn object(&self, object: TsNode<'_>, depth: usize) -> Node {
        if depth > MAX_DEPTH {
            return Node {
                span: span(object),
                kind: NodeKind::Invalid,
            };
        }
        let depth = depth + 1;
        let mut pairs = Vec::new();
        for element in children(object) {
            if element.kind() != "object_elem" {
                continue;
            }
            let key = element.child_by_field_name("key");
            let value = element.child_by_field_name("val");
            let Some(key) = key else { continue };
            let (key, key_span) = self.object_key(key);
            pairs.push(Pair {
                key,
                key_span,
                value: value.map(|v| self.expression(v, depth)),
            });
        }
        Node {
            span: span(object),
            kind: NodeKind::Map(fit(pairs)),
        }
    }

    /// An object key: a bare identifier or a string literal; anything else (a
    /// parenthesised expression, a template) as written.
    fn object_key(&self, key: TsNode<'_>) -> (String, Span) {
        if let [one] = children(key).as_slice() {
            match one.kind() {
                "variable_expr" => return (self.text(*one), span(*one)),
                "literal_value" => {
                    if let Some(string) = children(*one)
                        .into_iter()
                        .find(|c| c.kind() == "string_lit")
                    {
                        return self.string_lit(string, false);
                    }
                }
                _ => {}
            }
        }
        (self.text(key), span(key))
    }

    fn tuple(&self, tuple: TsNode<'_>, depth: usize) -> Node {
        let items: Vec<Node> = children(tuple)
            .into_iter()
            .filter(|c| c.kind() == "expression")
            .map(|c| self.expression(c, depth))
            .collect();
        Node {
            span: span(tuple),
            kind: NodeKind::Seq(fit(items)),
        }
    }
}

/// Which escapes a template's literal text has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escapes {
    /// A quoted string: backslash escapes, `$${`, `%%{`.
    Quoted,
    /// A heredoc: `$${` and `%%{` only.
    Heredoc,
}

/// The text of a template whose source is `raw`: literal text unescaped, the `holes`
/// (interpolations, byte ranges of `raw`) copied as written. With `sub`, a literal
/// `${` is written `${!` (`Fn::Sub`'s escape). `strip`: the indentation a `<<-` heredoc
/// removes from the start of each line of literal text.
fn template_text(
    raw: &str,
    holes: &[Range<usize>],
    escapes: Escapes,
    sub: bool,
    strip: usize,
) -> String {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut holes = holes.iter().peekable();
    let mut i = 0;
    let mut line_start = true;
    while i < raw.len() {
        if let Some(hole) = holes.peek()
            && hole.start <= i
        {
            let end = hole.end.min(raw.len()).max(i);
            out.push_str(raw.get(i..end).unwrap_or(""));
            i = end;
            holes.next();
            line_start = false;
            continue;
        }
        if line_start && strip > 0 {
            let indent = bytes[i..]
                .iter()
                .take(strip)
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count();
            i += indent;
            line_start = false;
            continue;
        }
        let rest = &raw[i..];
        if rest.starts_with("$${") {
            out.push_str(if sub { "${!" } else { "${" });
            i += 3;
            continue;
        }
        if rest.starts_with("%%{") {
            out.push_str("%{");
            i += 3;
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        if c == '\\' && escapes == Escapes::Quoted {
            let (unescaped, len) = unescape(rest);
            out.push_str(&unescaped);
            i += len;
            continue;
        }
        out.push(c);
        i += c.len_utf8();
        line_start = c == '\n';
    }
    out
}

/// One backslash escape at the start of `rest` (which starts with `\`): its text and the
/// bytes it takes. Unknown escapes are kept as written.
fn unescape(rest: &str) -> (String, usize) {
    let mut chars = rest.chars();
    chars.next();
    let Some(c) = chars.next() else {
        return ("\\".to_string(), 1);
    };
    let simple = match c {
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        '"' => Some('"'),
        '\\' => Some('\\'),
        _ => None,
    };
    if let Some(s) = simple {
        return (s.to_string(), 2);
    }
    let digits = match c {
        'u' => 4,
        'U' => 8,
        _ => return (format!("\\{c}"), 1 + c.len_utf8()),
    };
    let hex = rest.get(2..2 + digits).unwrap_or("");
    match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
        Some(ch) if hex.len() == digits => (ch.to_string(), 2 + digits),
        _ => (format!("\\{c}"), 2),
    }
}

/// The JSON text of a value made only of literals, maps and sequences (keys in source
/// order, compact), as `jsonencode` would write it; `None` when any other intrinsic is
/// inside. A `jsonencode(x)` inside is the JSON string of `x`'s JSON text (so a
/// `jsonencode` node itself gives a JSON string: pass its argument for the object).
pub fn json_text(node: &Node) -> Option<String> {
    let mut out = String::new();
    write_json(node, &mut out)?;
    Some(out)
}

fn write_json(node: &Node, out: &mut String) -> Option<()> {
    match &node.kind {
        NodeKind::Map(pairs) => {
            out.push('{');
            for (i, pair) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(&pair.key).ok()?);
                out.push(':');
                match &pair.value {
                    Some(value) => write_json(value, out)?,
                    None => out.push_str("null"),
                }
            }
            out.push('}');
        }
        NodeKind::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out)?;
            }
            out.push(']');
        }
        NodeKind::Scalar(s) => match s.kind {
            ScalarKind::String => out.push_str(&serde_json::to_string(&s.text).ok()?),
            ScalarKind::Bool => out.push_str(if s.text == "true" { "true" } else { "false" }),
            ScalarKind::Null => out.push_str("null"),
            ScalarKind::Int | ScalarKind::Float => out.push_str(&json_number(&s.text)?),
        },
        NodeKind::Intrinsic(i) if i.name == JSONENCODE => {
            let inner = json_text(i.argument.as_ref()?)?;
            out.push_str(&serde_json::to_string(&inner).ok()?);
        }
        NodeKind::Intrinsic(_) | NodeKind::Alias | NodeKind::Invalid => return None,
    }
    Some(())
}

/// The value tree of JSON text written in a Terraform string or heredoc (an IAM policy
/// in `policy = <<EOF ... EOF`): objects are maps, arrays sequences, strings, numbers,
/// booleans and `null` scalars. With `template` the text is a `Fn::Sub` template (a
/// heredoc with interpolations, see [`Conv::template`]): a string holding a `${...}`
/// is `Fn::Sub` of its text, so `"${aws_sqs_queue.q.arn}"` names the queue as an
/// interpolation in HCL would. Every node has the span `span` (the heredoc's): the
/// tree is for reading, not for pointing into. `None` when the text is not JSON (an
/// interpolation outside a string, a `file(...)` left as text, a half-typed one).
pub fn json_tree(text: &str, template: bool, span: Span) -> Option<Node> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(json_node(&value, template, span))
}

fn json_node(value: &serde_json::Value, template: bool, span: Span) -> Node {
    use serde_json::Value;
    let plain = |text: String, kind: ScalarKind| scalar(span, text, ScalarStyle::Plain, kind, span);
    match value {
        Value::Object(members) => Node {
            span,
            kind: NodeKind::Map(
                members
                    .iter()
                    .map(|(key, value)| Pair {
                        key: key.clone(),
                        key_span: span,
                        value: Some(json_node(value, template, span)),
                    })
                    .collect(),
            ),
        },
        Value::Array(items) => Node {
            span,
            kind: NodeKind::Seq(items.iter().map(|i| json_node(i, template, span)).collect()),
        },
        Value::String(text) => {
            let string = scalar(
                span,
                text.clone(),
                ScalarStyle::DoubleQuoted,
                ScalarKind::String,
                span,
            );
            if template && text.contains("${") {
                intrinsic(span, "Fn::Sub", span, Some(string))
            } else {
                string
            }
        }
        Value::Number(n) => plain(
            n.to_string(),
            if n.is_f64() {
                ScalarKind::Float
            } else {
                ScalarKind::Int
            },
        ),
        Value::Bool(b) => plain(b.to_string(), ScalarKind::Bool),
        Value::Null => plain("null".to_string(), ScalarKind::Null),
    }
}

/// A number literal as JSON writes it (HCL's hexadecimal form in decimal).
fn json_number(text: &str) -> Option<String> {
    if let Some(hex) = text.strip_prefix("0x") {
        return u64::from_str_radix(hex, 16).ok().map(|n| n.to_string());
    }
    text.parse::<serde_json::Number>()
        .ok()
        .map(|n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{Language, parse_rope_range};

    fn items(text: &str) -> Vec<Item> {
        let rope = ropey::Rope::from_str(text);
        let tree = parse_rope_range(Language::Terraform, &rope, 0..text.len(), None);
        let Some(tree) = tree else {
            panic!("no tree for {text:?}");
        };
        let src = crate::syntax::RopeWindow {
            rope: &rope,
            base: 0,
        };
        build(tree.root_node(), &src)
    }

    /// A compact picture of a value tree.
    fn show(node: &Node) -> String {
        match &node.kind {
            NodeKind::Map(pairs) => {
                let inner: Vec<String> = pairs
                    .iter()
                    .map(|p| {
                        let value = p.value.as_ref().map_or("-".to_string(), show);
                        format!("{}={value}", p.key)
                    })
                    .collect();
                format!("{{{}}}", inner.join(","))
            }
            NodeKind::Seq(items) => {
                let inner: Vec<String> = items.iter().map(show).collect();
                format!("[{}]", inner.join(","))
            }
            NodeKind::Scalar(s) => match (s.kind, s.style) {
                (ScalarKind::String, ScalarStyle::DoubleQuoted) => format!("{:?}", s.text),
                (ScalarKind::String, ScalarStyle::Block) => format!("|{:?}", s.text),
                (ScalarKind::String, _) => format!("~{:?}", s.text),
                (ScalarKind::Int, _) => format!("int:{}", s.text),
                (ScalarKind::Float, _) => format!("float:{}", s.text),
                (ScalarKind::Bool, _) => format!("bool:{}", s.text),
                (ScalarKind::Null, _) => "null".to_string(),
            },
            NodeKind::Intrinsic(i) => match &i.argument {
                Some(arg) => format!("!{}({})", i.name, show(arg)),
                None => format!("!{}", i.name),
            },
            NodeKind::Alias => "*".to_string(),
            NodeKind::Invalid => "?".to_string(),
        }
    }

    /// The value of attribute `a` in `resource "t" "n" { a = <expr> }`.
    fn value(expr: &str) -> String {
        let text = format!("resource \"t\" \"n\" {{\n  a = {expr}\n}}\n");
        let items = items(&text);
        let body = items[0].value.as_ref().map(show).unwrap_or_default();
        body.strip_prefix("{a=")
            .and_then(|b| b.strip_suffix('}'))
            .unwrap_or(&body)
            .to_string()
    }

    fn value_node(expr: &str) -> (String, Node) {
        let text = format!("resource \"t\" \"n\" {{\n  a = {expr}\n}}\n");
        let mut items = items(&text);
        let Some(NodeKind::Map(mut pairs)) = items.remove(0).value.map(|v| v.kind) else {
            panic!("no body");
        };
        let node = pairs.remove(0).value.unwrap_or(Node {
            span: Span::default(),
            kind: NodeKind::Invalid,
        });
        (text, node)
    }

    fn at(text: &str, span: Span) -> &str {
        &text[span.start as usize..span.end as usize]
    }

    #[test]
    fn top_level_blocks_and_their_keys() {
        let text = "resource \"aws_sqs_queue\" \"orders\" {\n  name = \"o\"\n}\ndata \"aws_iam_policy_document\" \"x\" {}\nmodule \"api\" {}\nlocals {\n  a = 1\n}\nprovider aws {}\nregion = \"eu\"\n";
        let got: Vec<(Option<String>, String, Option<String>)> = items(text)
            .into_iter()
            .map(|i| {
                (
                    i.block.as_ref().map(|b| b.kind.clone()),
                    at(text, i.key_span).to_string(),
                    i.key,
                )
            })
            .collect();
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            got,
            [
                (
                    some("resource"),
                    "orders".into(),
                    some("aws_sqs_queue.orders")
                ),
                (some("data"), "x".into(), some("aws_iam_policy_document.x")),
                (some("module"), "api".into(), some("api")),
                (some("locals"), "locals".into(), None),
                (some("provider"), "aws".into(), some("aws")),
                (None, "region".into(), some("region")),
            ]
        );
        let first = &items(text)[0];
        let block = first.block.as_ref().map(|b| {
            b.labels
                .iter()
                .map(|l| (l.text.clone(), at(text, l.span).to_string()))
                .collect::<Vec<_>>()
        });
        assert_eq!(
            block,
            Some(vec![
                ("aws_sqs_queue".to_string(), "aws_sqs_queue".to_string()),
                ("orders".to_string(), "orders".to_string()),
            ])
        );
        let body = first.value.as_ref().map(|v| at(text, v.span));
        assert_eq!(body, Some("{\n  name = \"o\"\n}"));
    }

    #[test]
    fn attributes_and_nested_blocks() {
        let text = "resource \"aws_apigatewayv2_integration\" \"i\" {\n  api_id = \"a\"\n  response_parameters {\n    status_code = 500\n  }\n  tls_config {\n    server_name_to_verify = \"x\"\n  }\n  response_parameters {\n    status_code = 404\n  }\n  dynamic \"setting\" {\n    content {}\n  }\n}\n";
        let items = items(text);
        let body = items[0].value.as_ref().map(show);
        assert_eq!(
            body.as_deref(),
            Some(
                "{api_id=\"a\",response_parameters=[{status_code=int:500},{status_code=int:404}],tls_config={server_name_to_verify=\"x\"},dynamic={content={}}}"
            )
        );
        let Some(NodeKind::Map(pairs)) = items[0].value.as_ref().map(|v| &v.kind) else {
            panic!("not a map");
        };
        assert_eq!(at(text, pairs[0].key_span), "api_id");
        assert_eq!(at(text, pairs[1].key_span), "response_parameters");
        let seq = pairs[1].value.as_ref().map(|v| at(text, v.span));
        assert!(
            seq.is_some_and(|s| s.starts_with("{\n    status_code = 500")
                && s.ends_with("status_code = 404\n  }")),
            "{seq:?}"
        );
        let tls = pairs[2].value.as_ref().map(|v| at(text, v.span));
        assert_eq!(tls, Some("{\n    server_name_to_verify = \"x\"\n  }"));
    }

    #[test]
    fn a_dynamic_blocks_iterator_is_no_resource() {
        let text = "resource \"aws_apigatewayv2_integration\" \"i\" {\n  dynamic \"response_parameters\" {\n    for_each = var.p\n    content {\n      status_code = response_parameters.value.code\n      other = aws_sqs_queue.q.arn\n    }\n  }\n  dynamic \"tls_config\" {\n    iterator = tls_item\n    content { name = tls_item.value }\n  }\n  after = response_parameters.value\n}\n";
        let items = items(text);
        let body = items[0].value.as_ref().map(show);
        // Outside the dynamic block, the same name reads as a resource again.
        assert_eq!(
            body.as_deref(),
            Some(concat!(
                "{dynamic=[{for_each=!Terraform,content={status_code=!Terraform,",
                "other=!Fn::GetAtt([~\"aws_sqs_queue.q\",~\"arn\"])}},",
                "{iterator=!Terraform,content={name=!Terraform}}],",
                "after=!Ref(~\"response_parameters.value\")}",
            ))
        );
    }

    #[test]
    fn literals() {
        assert_eq!(value("\"plain\""), "\"plain\"");
        assert_eq!(
            value(r#""a\nb\"c\\d\u00e9\U0001F600 $${x} %%{y}""#),
            "\"a\\nb\\\"c\\\\dé😀 ${x} %{y}\""
        );
        assert_eq!(value("12"), "int:12");
        assert_eq!(value("2.5"), "float:2.5");
        assert_eq!(value("1.5e3"), "float:1.5e3");
        assert_eq!(value("true"), "bool:true");
        assert_eq!(value("false"), "bool:false");
        assert_eq!(value("null"), "null");
        let (text, node) = value_node("\"a\\tb\"");
        let Some(s) = (match &node.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }) else {
            panic!("not a scalar");
        };
        assert_eq!(at(&text, s.text_span), "a\\tb");
        assert_eq!(at(&text, node.span), "\"a\\tb\"");
        assert_eq!(s.text, "a\tb");
    }

    #[test]
    fn heredocs() {
        assert_eq!(
            value("<<EOF\nline 1\n  $${x}\nEOF\n"),
            "|\"line 1\\n  ${x}\\n\""
        );
        assert_eq!(
            value("<<-EOT\n    {\n      \"a\": 1\n    }\n    EOT\n"),
            "|\"{\\n  \\\"a\\\": 1\\n}\\n\""
        );
        let (text, node) = value_node("<<EOF\nabc\nEOF\n");
        let Some(s) = (match &node.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }) else {
            panic!("not a scalar");
        };
        assert_eq!(at(&text, s.text_span), "abc\n");
        assert_eq!(
            value("<<EOF\nqueue ${aws_sqs_queue.q.url} $${lit}\nEOF\n"),
            "!Fn::Sub(|\"queue ${aws_sqs_queue.q.url} ${!lit}\\n\")"
        );
        assert_eq!(value("<<EOF\n%{ if x }y%{ endif }\nEOF\n"), "!Terraform");
    }

    #[test]
    fn objects_and_tuples() {
        assert_eq!(
            value("{ k = 1, \"k 2\" : \"v\", k3: [true, null,], }"),
            "{k=int:1,k 2=\"v\",k3=[bool:true,null]}"
        );
        assert_eq!(
            value("{\n  a = 1\n  b = { c = \"d\" }\n}"),
            "{a=int:1,b={c=\"d\"}}"
        );
        assert_eq!(value("[]"), "[]");
        assert_eq!(value("{}"), "{}");
        let (text, node) = value_node("{ k = 1, \"q\\\"k\" = 2 }");
        let NodeKind::Map(pairs) = &node.kind else {
            panic!("not a map");
        };
        assert_eq!(at(&text, pairs[0].key_span), "k");
        assert_eq!(pairs[1].key, "q\"k");
        assert_eq!(at(&text, pairs[1].key_span), "q\\\"k");
        // A computed key is kept as written.
        assert_eq!(value("{ (var.k) = 1 }"), "{(var.k)=int:1}");
    }

    #[test]
    fn references() {
        assert_eq!(
            value("aws_sqs_queue.q.url"),
            "!Fn::GetAtt([~\"aws_sqs_queue.q\",~\"url\"])"
        );
        assert_eq!(value("aws_sqs_queue.q"), "!Ref(~\"aws_sqs_queue.q\")");
        assert_eq!(value("aws_x.y.a.b"), "!Fn::GetAtt([~\"aws_x.y\",~\"a.b\"])");
        assert_eq!(value("(aws_x.y)"), "!Ref(~\"aws_x.y\")");
        assert_eq!(
            value("\"${aws_sqs_queue.q.url}\""),
            "!Fn::GetAtt([~\"aws_sqs_queue.q\",~\"url\"])"
        );
        assert_eq!(
            value("data.aws_iam_policy_document.p.json"),
            "!Fn::GetAtt([~\"data.aws_iam_policy_document.p\",~\"json\"])"
        );
        assert_eq!(
            value("data.aws_sqs_queue.q"),
            "!Ref(~\"data.aws_sqs_queue.q\")"
        );
        assert_eq!(
            value("\"${data.aws_iam_policy_document.p.json}\""),
            "!Fn::GetAtt([~\"data.aws_iam_policy_document.p\",~\"json\"])"
        );
        let (text, node) = value_node("aws_sqs_queue.q.url");
        let NodeKind::Intrinsic(i) = &node.kind else {
            panic!("not an intrinsic");
        };
        assert_eq!(at(&text, node.span), "aws_sqs_queue.q.url");
        assert_eq!(at(&text, i.name_span), "aws_sqs_queue.q.url");
        let Some(NodeKind::Seq(parts)) = i.argument.as_ref().map(|a| &a.kind) else {
            panic!("no argument");
        };
        let spans: Vec<&str> = parts.iter().map(|p| at(&text, p.span)).collect();
        assert_eq!(spans, ["aws_sqs_queue.q", "url"]);
        let (text, node) = value_node("\"${aws_sqs_queue.q.arn}\"");
        assert_eq!(at(&text, node.span), "\"${aws_sqs_queue.q.arn}\"");
    }

    #[test]
    fn templates() {
        assert_eq!(
            value("\"integrations/${aws_apigatewayv2_integration.x.id}\""),
            "!Fn::Sub(\"integrations/${aws_apigatewayv2_integration.x.id}\")"
        );
        assert_eq!(value("\"${var.x}-y\""), "!Fn::Sub(\"${var.x}-y\")");
        assert_eq!(value("\"${var.x}\""), "!Fn::Sub(\"${var.x}\")");
        assert_eq!(
            value("\"${request.body}\""),
            "!Fn::Sub(\"${request.body}\")"
        );
        assert_eq!(
            value(r#""a\t${lookup(m, "}")} $${b} %%{c}""#),
            "!Fn::Sub(\"a\\t${lookup(m, \\\"}\\\")} ${!b} %{c}\")"
        );
        assert_eq!(value("\"%{if x}y%{endif}\""), "!Terraform");
        let (text, node) = value_node("\"p/${var.x}\"");
        let NodeKind::Intrinsic(i) = &node.kind else {
            panic!("not an intrinsic");
        };
        let arg = i.argument.as_ref().and_then(|a| match &a.kind {
            NodeKind::Scalar(s) => Some(s.text_span),
            _ => None,
        });
        assert_eq!(arg.map(|s| at(&text, s)), Some("p/${var.x}"));
    }

    #[test]
    fn opaque_forms() {
        for expr in [
            "var.x",
            "local.y",
            "each.value",
            "count.index",
            "module.m.out",
            "data.x.y",
            "data.aws_x",
            "path.module",
            "self.id",
            "terraform.workspace",
            "x",
            "aws_x.y[0].arn",
            "aws_x.y[*].arn",
            "aws_x.y.*.arn",
            "aws_x.y.0",
            "file(\"a\")",
            "a ? 1 : 2",
            "[for x in y : x]",
            "{for k, v in m : k => v}",
            "1 + 2",
            "-1",
            "!true",
        ] {
            assert_eq!(value(expr), "!Terraform", "{expr}");
        }
        let (text, node) = value_node("var.x");
        assert_eq!(at(&text, node.span), "var.x");
    }

    #[test]
    fn jsonencode_keeps_its_argument() {
        assert_eq!(
            value("jsonencode({ a = 1, \"b\" : [true, \"x\"] })"),
            "!jsonencode({a=int:1,b=[bool:true,\"x\"]})"
        );
        let (text, node) = value_node("jsonencode({ Version = \"2012-10-17\", n = null })");
        let NodeKind::Intrinsic(i) = &node.kind else {
            panic!("not an intrinsic");
        };
        assert_eq!(at(&text, i.name_span), "jsonencode");
        assert_eq!(
            i.argument.as_ref().and_then(json_text).as_deref(),
            Some("{\"Version\":\"2012-10-17\",\"n\":null}")
        );
        assert_eq!(value("jsonencode(a, b)"), "!Terraform");
    }

    #[test]
    fn json_trees_of_strings_and_templates() {
        let text = r#"{"Statement": [{"Action": ["sqs:SendMessage"], "B": true, "Effect": "Allow", "L": "${!x}", "N": 1.5, "Resource": "${aws_sqs_queue.q.arn}", "Z": null}]}"#;
        let tree = json_tree(text, true, Span::new(3, 9));
        assert_eq!(
            tree.as_ref().map(show).as_deref(),
            Some(
                "{Statement=[{Action=[\"sqs:SendMessage\"],B=bool:true,Effect=\"Allow\",L=!Fn::Sub(\"${!x}\"),N=float:1.5,Resource=!Fn::Sub(\"${aws_sqs_queue.q.arn}\"),Z=null}]}"
            )
        );
        assert_eq!(tree.map(|t| t.span), Some(Span::new(3, 9)));
        // Without interpolations every string is text.
        assert_eq!(
            json_tree(r#"["${x}", 2]"#, false, Span::default())
                .as_ref()
                .map(show)
                .as_deref(),
            Some("[\"${x}\",int:2]")
        );
        for junk in ["", "{", "{\"a\": ${var.x}}", "[1,]"] {
            assert!(json_tree(junk, true, Span::default()).is_none(), "{junk}");
        }
    }

    #[test]
    fn json_text_of_constants_only() {
        let (_, node) =
            value_node("{ b = 1.5, a = [0x1F, \"q\\\"\"], c = jsonencode({ d = true }) }");
        assert_eq!(
            json_text(&node).as_deref(),
            Some("{\"b\":1.5,\"a\":[31,\"q\\\"\"],\"c\":\"{\\\"d\\\":true}\"}")
        );
        let (_, node) = value_node("{ a = var.x }");
        assert_eq!(json_text(&node), None);
        let (_, node) = value_node("{ a = aws_x.y.arn }");
        assert_eq!(json_text(&node), None);
    }

    #[test]
    fn template_text_holes_and_strip() {
        let raw = "  a $${x}\n  ${ b }\n    c\n";
        let hole = raw.find("${ b }").unwrap_or(0);
        let range = hole..hole + 6;
        let holes = std::slice::from_ref(&range);
        assert_eq!(
            template_text(raw, holes, Escapes::Heredoc, true, 2),
            "a ${!x}\n${ b }\n  c\n"
        );
        assert_eq!(unescape("\\"), ("\\".to_string(), 1));
        assert_eq!(unescape("\\u12"), ("\\u".to_string(), 2));
        assert_eq!(unescape("\\q"), ("\\q".to_string(), 2));
    }
}
