//! Reading CloudFormation intrinsic functions out of the value tree: which logical IDs
//! a value names (`Ref`, `Fn::GetAtt`, the `${}` of `Fn::Sub`), a value that is exactly
//! one reference, and a route `Target`'s integration. Pure functions of a node; the
//! per-entry facts, navigation and rules all read references through them.

use super::provider::split_address;
use std::ops::Range;

use crate::syntax::{NodeKind, NodeRef};

/// A logical ID named by an intrinsic, with the span of the name (see
/// [`references_in`]).
pub type NameUse = (String, Range<usize>);

/// A reference to a logical ID, as an intrinsic writes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Reference {
    /// `!Ref X`, or `!Sub "${X}"`.
    Ref(String),
    /// `!GetAtt X.Attr`, or `!Sub "${X.Attr}"`.
    GetAtt(String, String),
}

impl Reference {
    pub fn name(&self) -> &str {
        match self {
            Reference::Ref(n) | Reference::GetAtt(n, _) => n,
        }
    }

    /// How the reference is written in YAML short form: `!Ref X`, `!GetAtt X.Arn`.
    pub fn display(&self) -> String {
        match self {
            Reference::Ref(n) => format!("!Ref {n}"),
            Reference::GetAtt(n, a) => format!("!GetAtt {n}.{a}"),
        }
    }

    /// The reference as `dialect` writes it: `!GetAtt Queue.Arn` in a template,
    /// `aws_sqs_queue.orders.url` in Terraform, `${queue.url}` in Pulumi YAML.
    /// A Terraform address is written as Terraform writes it whatever the dialect (an
    /// OpenAPI body in `jsonencode` names `aws_iam_role.api.arn`).
    pub fn display_in(&self, dialect: super::Dialect) -> String {
        if dialect == super::Dialect::Pulumi {
            return match self {
                Reference::Ref(n) => format!("${{{n}}}"),
                Reference::GetAtt(n, a) => format!("${{{n}.{a}}}"),
            };
        }
        let terraform = dialect.is_terraform() || split_address(self.name()).is_some();
        match (terraform, self) {
            (true, Reference::Ref(n)) => n.clone(),
            (true, Reference::GetAtt(n, a)) => format!("{n}.{a}"),
            (false, _) => self.display(),
        }
    }
}

/// A referenced name and its attribute: `Queue.Arn` is `Queue` and `Arn`; a Terraform
/// address keeps its two parts (`aws_sqs_queue.orders.url` is `aws_sqs_queue.orders` and
/// `url`, see [`split_address`]).
pub fn split_name(text: &str) -> (&str, Option<&str>) {
    if let Some(split) = split_address(text) {
        return split;
    }
    match text.split_once('.') {
        Some((name, attr)) => (name, Some(attr)),
        None => (text, None),
    }
}

/// Reads a value that is exactly one reference: `!Ref X`, `!GetAtt X.Attr`,
/// `!GetAtt [X, Attr]`, or a `!Sub` whose whole text is one `${X}` / `${X.Attr}`.
pub fn reference_of(node: NodeRef<'_>) -> Option<Reference> {
    let intrinsic = node.intrinsic()?;
    let arg = node.intrinsic_argument()?;
    match intrinsic.name.as_str() {
        "Ref" => Some(Reference::Ref(arg.text()?.to_string())),
        "Fn::GetAtt" => match arg.kind() {
            NodeKind::Seq(_) => {
                let mut items = arg.items();
                let name = items.next()?.text()?;
                let attr = items.next()?.text()?;
                Some(Reference::GetAtt(name.to_string(), attr.to_string()))
            }
            _ => {
                let (name, attr) = split_name(arg.text()?);
                Some(Reference::GetAtt(name.to_string(), attr?.to_string()))
            }
        },
        "Fn::Sub" => {
            let text = match arg.kind() {
                NodeKind::Seq(_) => return None,
                _ => arg.text()?,
            };
            let inner = text.strip_prefix("${")?.strip_suffix('}')?;
            if inner.contains(['$', '{', '}']) || inner.starts_with('!') {
                return None;
            }
            Some(match split_name(inner) {
                (name, Some(attr)) => Reference::GetAtt(name.to_string(), attr.to_string()),
                (name, None) => Reference::Ref(name.to_string()),
            })
        }
        _ => None,
    }
}

/// The logical IDs a value names anywhere inside it (`Ref`, `GetAtt`, `${X}` of `Sub`),
/// in document order: [`references_in`] without the spans.
pub fn names_in(node: NodeRef<'_>) -> Vec<String> {
    let mut found = references_in(node);
    found.sort_by_key(|(_, span)| span.start);
    found.into_iter().map(|(name, _)| name).collect()
}

/// Every logical-ID reference made by the intrinsics inside `node`: the name of a
/// `Ref` (SAM's `Api.Stage` form whole), of a `Fn::GetAtt` (before the attribute), and
/// each `${Name}` / `${Name.Attr}` of a `Fn::Sub` that is not one of its own variables,
/// with the span of the name (of the whole string when it was unescaped or folded).
/// Pseudo parameters (`AWS::Region`) are included. In no particular order.
pub fn references_in(node: NodeRef<'_>) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut push = |name: &str, span: Range<usize>| out.push((name.to_string(), span));
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match node.kind() {
            NodeKind::Map(_) => stack.extend(node.pairs().filter_map(|p| p.value())),
            NodeKind::Seq(_) => stack.extend(node.items()),
            NodeKind::Intrinsic(intrinsic) => {
                let Some(arg) = node.intrinsic_argument() else {
                    continue;
                };
                match intrinsic.name.as_str() {
                    "Ref" => match arg.text() {
                        Some(name) => push(name, arg.text_span()),
                        None => stack.push(arg),
                    },
                    "Fn::GetAtt" => match arg.kind() {
                        NodeKind::Seq(_) => {
                            let mut items = arg.items();
                            if let Some(first) = items.next() {
                                match first.text() {
                                    Some(name) => push(name, first.text_span()),
                                    None => stack.push(first),
                                }
                            }
                            stack.extend(items);
                        }
                        _ => match arg.text() {
                            Some(text) => {
                                let name = split_name(text).0;
                                let span = arg.text_span();
                                let range = if arg.is_verbatim() {
                                    span.start..span.start + name.len()
                                } else {
                                    span
                                };
                                push(name, range);
                            }
                            None => stack.push(arg),
                        },
                    },
                    "Fn::Sub" => {
                        let (template, vars) = match arg.kind() {
                            NodeKind::Seq(_) => {
                                let mut items = arg.items();
                                (items.next(), items.next())
                            }
                            _ => (Some(arg), None),
                        };
                        let local = |name: &str| vars.is_some_and(|v| v.pair(name).is_some());
                        match template.and_then(|t| t.text().map(|text| (t, text))) {
                            Some((t, text)) => {
                                let span = t.text_span();
                                let verbatim = t.is_verbatim();
                                for (name, r) in sub_variables(text) {
                                    if local(&name) {
                                        continue;
                                    }
                                    let range = if verbatim {
                                        span.start + r.start..span.start + r.end
                                    } else {
                                        span.clone()
                                    };
                                    push(&name, range);
                                }
                            }
                            None => stack.extend(template),
                        }
                        stack.extend(vars);
                    }
                    _ => stack.push(arg),
                }
            }
            _ => {}
        }
    }
    out
}

/// The `${Name}` / `${Name.Attr}` variables of a `Fn::Sub` string: the name (before any
/// dot) and its byte range in `text`. `${!Literal}` escapes are skipped.
pub fn sub_variables(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(open) = text[search..].find("${") {
        let start = search + open + 2;
        let Some(close) = text[start..].find('}').map(|c| start + c) else {
            break;
        };
        let inner = &text[start..close];
        if !inner.starts_with('!') {
            let name = split_name(inner).0;
            if !name.is_empty() {
                out.push((name.to_string(), start..start + name.len()));
            }
        }
        search = close + 1;
    }
    out
}

/// The logical ID a `!Ref X` / `{Ref: X}` names.
pub fn ref_name(node: NodeRef<'_>) -> Option<String> {
    let intrinsic = node.intrinsic()?;
    if intrinsic.name != "Ref" {
        return None;
    }
    node.intrinsic_argument()?.text().map(str::to_string)
}

/// The integration a route `Target` names: `integrations/<id>` written with
/// `!Sub integrations/${X}`, `!Join [/, [integrations, !Ref X]]`, or a literal
/// `integrations/X`. Returns the logical ID and the span of its name.
pub fn integration_target(target: NodeRef<'_>) -> Option<(String, Range<usize>)> {
    if let Some(text) = target.text() {
        let id = text.strip_prefix("integrations/")?;
        let span = target.text_span();
        let start = span.end.saturating_sub(id.len());
        return Some((id.to_string(), start..span.end));
    }
    let intrinsic = target.intrinsic()?;
    let arg = target.intrinsic_argument()?;
    match intrinsic.name.as_str() {
        "Fn::Sub" => {
            let template = match arg.kind() {
                NodeKind::Seq(_) => arg.items().next()?,
                _ => arg,
            };
            let text = template.text()?;
            let rest = text.strip_prefix("integrations/${")?;
            // Terraform: `${aws_apigatewayv2_integration.send.id}`.
            let name = split_name(rest.strip_suffix('}')?).0;
            let span = template.text_span();
            let range = if template.is_verbatim() {
                let start = span.start + "integrations/${".len();
                start..start + name.len()
            } else {
                span
            };
            Some((name.to_string(), range))
        }
        "Fn::Join" => {
            let mut items = arg.items();
            let sep = items.next()?.text().unwrap_or("").to_string();
            let parts = items.next()?;
            let mut prefix = String::new();
            let mut found: Option<(String, Range<usize>)> = None;
            for (i, part) in parts.items().enumerate() {
                if i > 0 {
                    prefix.push_str(&sep);
                }
                if let Some(t) = part.text() {
                    prefix.push_str(t);
                } else if let Some(name) = ref_name(part) {
                    if prefix == "integrations/" && found.is_none() {
                        let span = part
                            .intrinsic_argument()
                            .map_or_else(|| part.span(), |a| a.text_span());
                        found = Some((name, span));
                    } else {
                        return None;
                    }
                } else {
                    return None;
                }
            }
            found
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_variables_skip_escapes() {
        let vars = sub_variables("a${X}b${!Y}${Z.Arn}${AWS::Region}${unclosed");
        let names: Vec<&str> = vars.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["X", "Z", "AWS::Region"]);
        assert_eq!(vars[1].1, 13..14);
    }
}
