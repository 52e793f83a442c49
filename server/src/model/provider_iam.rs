//! The AWS provider's IAM roles, policies and policy documents, read into the same
//! [`ResourceKind::Role`], [`ResourceKind::Policy`] and [`ResourceKind::PolicyDocument`]
//! facts CloudFormation's are, so that `role-not-trusted` and `role-missing-permission`
//! read Terraform through the index like any template.
//!
//! A policy is written in one of three ways, all read by the one statement reader
//! ([`statements`], [`trusts_api_gateway`]): `jsonencode({...})` (its argument is the
//! IAM JSON as a value tree), JSON text in a string or heredoc (read into a tree by
//! [`hcl::json_tree`]; a heredoc with interpolations is a `Fn::Sub` template, and its
//! `${aws_sqs_queue.q.arn}` name the queue), or the `json` of a
//! `data "aws_iam_policy_document"` (a name the index resolves: the data source is read
//! here too, into the IAM JSON shape). Anything else (`file(...)`, `var.policy`, a
//! `templatefile`) is not written out: benefit of the doubt.

use super::Dialect;
use super::facts::{ResourceKind, Statement, literal_list, statements, trusts_api_gateway};
use super::intrinsics::{Reference, names_in, reference_of};
use super::provider::{self, ProviderResource};
use crate::syntax::hcl::{self, JSONENCODE, OPAQUE};
use crate::syntax::{Node, NodeKind, NodeRef, Pair, Scalar, ScalarKind, ScalarStyle, Span};

/// How a policy argument (`policy`, `assume_role_policy`) is written.
enum Written<'a> {
    /// The IAM JSON as a value tree: `jsonencode`'s argument.
    Tree(NodeRef<'a>),
    /// JSON text read into a tree (spans: the string's), with the base of its entry.
    Parsed(Node, usize),
    /// The JSON of a template policy document or policy
    /// (`data.aws_iam_policy_document.x.json`, `aws_iam_policy.p.policy`).
    Named(String),
    /// Only Terraform knows.
    Opaque,
}

impl Written<'_> {
    fn read(value: Option<NodeRef<'_>>) -> Written<'_> {
        let Some(value) = value else {
            return Written::Opaque;
        };
        if let Some(text) = value.text() {
            return parsed(text, false, value);
        }
        let Some(intrinsic) = value.intrinsic() else {
            return Written::Opaque;
        };
        match intrinsic.name.as_str() {
            JSONENCODE => value
                .intrinsic_argument()
                .map_or(Written::Opaque, Written::Tree),
            "Fn::Sub" => match value.intrinsic_argument() {
                Some(template) => template
                    .text()
                    .map_or(Written::Opaque, |text| parsed(text, true, value)),
                None => Written::Opaque,
            },
            _ => match reference_of(value) {
                Some(Reference::GetAtt(name, attribute))
                    if matches!(attribute.as_str(), "json" | "minified_json" | "policy") =>
                {
                    Written::Named(name)
                }
                _ => Written::Opaque,
            },
        }
    }

    /// `read` applied to the document as a tree (`None` when there is none).
    fn with<T>(&self, read: impl FnOnce(Option<NodeRef<'_>>) -> T) -> T {
        match self {
            Written::Tree(tree) => read(Some(*tree)),
            Written::Parsed(node, base) => read(Some(NodeRef::new(node, *base))),
            Written::Named(_) | Written::Opaque => read(None),
        }
    }

    fn statements(&self, dialect: Dialect) -> Option<Vec<Statement>> {
        self.with(|tree| statements(tree, dialect))
    }
}

fn parsed<'a>(text: &str, template: bool, value: NodeRef<'_>) -> Written<'a> {
    let span = value.node.span;
    match hcl::json_tree(text, template, span) {
        Some(node) => Written::Parsed(node, value.base),
        None => Written::Opaque,
    }
}

/// The statements and documents of policies written in `values` (in `dialect`): into
/// `statements` (set to `None` when one is not written out) and `documents`.
fn read_policies<'a>(
    values: impl IntoIterator<Item = Option<NodeRef<'a>>>,
    dialect: Dialect,
    statements: &mut Option<Vec<Statement>>,
    documents: &mut Vec<String>,
) {
    for value in values {
        match Written::read(value) {
            Written::Named(name) => documents.push(name),
            written => match (statements.as_mut(), written.statements(dialect)) {
                (Some(all), Some(found)) => all.extend(found),
                _ => *statements = None,
            },
        }
    }
}

/// A node and the items of a sequence: a nested block written once or repeated.
fn one_or_many(node: Option<NodeRef<'_>>) -> Vec<NodeRef<'_>> {
    match node {
        None => Vec::new(),
        Some(n) if matches!(n.kind(), NodeKind::Seq(_)) => n.items().collect(),
        Some(n) => vec![n],
    }
}

/// The roles a `role`/`roles`/`role_name` argument names (addresses; in Pulumi, the
/// resources it names).
fn roles(value: Option<NodeRef<'_>>, dialect: Dialect) -> Vec<String> {
    value
        .map(names_in)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| dialect == Dialect::Pulumi || (n.contains('.') && !n.starts_with("data.")))
        .collect()
}

/// `aws_iam_role`: `assume_role_policy`, `inline_policy` blocks and
/// `managed_policy_arns`.
pub fn role(resource: &ProviderResource<'_>) -> ResourceKind {
    let (trusts_api_gateway, trust_document) =
        match Written::read(resource.arg("assume_role_policy")) {
            Written::Named(name) => (None, Some(name)),
            written => (written.with(trusts_api_gateway), None),
        };
    let mut statements = Some(Vec::new());
    let mut documents = Vec::new();
    let inline = one_or_many(resource.arg("inline_policy"));
    // An inline policy block with no `policy` removes the role's inline policies.
    read_policies(
        inline
            .iter()
            .filter_map(|block| block.is_map().then(|| block.pair("policy"))?)
            .map(|pair| pair.value()),
        resource.dialect,
        &mut statements,
        &mut documents,
    );
    if inline.iter().any(|block| !block.is_map()) || resource.arg("dynamic").is_some() {
        // `dynamic "inline_policy"`: policies only Terraform knows.
        statements = None;
    }
    let mut managed = Vec::new();
    let mut external_policies = false;
    if let Some(arns) = resource.arg("managed_policy_arns") {
        if matches!(arns.kind(), NodeKind::Seq(_)) {
            for item in arns.items() {
                match reference_of(item) {
                    // A template policy (the index checks that it is one).
                    Some(Reference::GetAtt(name, attribute)) if attribute == "arn" => {
                        managed.push(name);
                    }
                    _ => external_policies = true,
                }
            }
        } else {
            external_policies = true;
        }
    }
    ResourceKind::Role {
        trusts_api_gateway,
        trust_document,
        statements,
        documents,
        managed,
        external_policies,
    }
}

/// The policies and what attaches them: `aws_iam_policy` (`policy`),
/// `aws_iam_role_policy` (`role`, `policy`), `aws_iam_role_policy_attachment` (`role`,
/// `policy_arn`), `aws_iam_policy_attachment` (`roles`, `policy_arn`), and the
/// exclusive lists `aws_iam_role_policies_exclusive` (`role_name`, `policy_names`) and
/// `aws_iam_role_policy_attachments_exclusive` (`role_name`, `policy_arns`), whose
/// policies are named by reference (a literal name or ARN: a policy not in view).
pub fn policy(resource: &ProviderResource<'_>) -> ResourceKind {
    let mut statements = Some(Vec::new());
    let mut documents = Vec::new();
    // A policy named by reference (`aws_iam_policy.p.arn`), or one out of view.
    let mut attach =
        |value: Option<NodeRef<'_>>, attribute: &[&str]| match value.and_then(reference_of) {
            Some(Reference::GetAtt(name, attr)) if attribute.contains(&attr.as_str()) => {
                documents.push(name);
            }
            _ => statements = None,
        };
    let dialect = resource.dialect;
    let roles = match resource.provider_type {
        provider::POLICY => Vec::new(),
        provider::ROLE_POLICY => roles(resource.arg("role"), dialect),
        provider::ROLE_POLICY_ATTACHMENT => {
            attach(resource.arg("policy_arn"), &["arn"]);
            roles(resource.arg("role"), dialect)
        }
        provider::POLICY_ATTACHMENT => {
            attach(resource.arg("policy_arn"), &["arn"]);
            roles(resource.arg("roles"), dialect)
        }
        provider::ROLE_POLICIES_EXCLUSIVE | provider::ROLE_POLICY_ATTACHMENTS_EXCLUSIVE => {
            let (key, attribute): (&str, &[&str]) =
                if resource.provider_type == provider::ROLE_POLICIES_EXCLUSIVE {
                    ("policy_names", &["name", "id"])
                } else {
                    ("policy_arns", &["arn"])
                };
            match resource.arg(key) {
                Some(list) if matches!(list.kind(), NodeKind::Seq(_)) => {
                    for item in list.items() {
                        attach(Some(item), attribute);
                    }
                }
                _ => attach(None, attribute),
            }
            roles(resource.arg("role_name"), dialect)
        }
        _ => return ResourceKind::Other,
    };
    if matches!(
        resource.provider_type,
        provider::POLICY | provider::ROLE_POLICY
    ) {
        read_policies(
            [resource.arg("policy")],
            dialect,
            &mut statements,
            &mut documents,
        );
    }
    ResourceKind::Policy {
        roles,
        statements,
        documents,
    }
}

/// `data "aws_iam_policy_document"`: its `statement` blocks read as the IAM JSON it
/// makes (see [`document_json`]).
pub fn document(resource: &ProviderResource<'_>) -> ResourceKind {
    let Some(body) = resource.args else {
        return ResourceKind::PolicyDocument {
            statements: None,
            trusts_api_gateway: None,
        };
    };
    let json = document_json(body);
    let tree = NodeRef::new(&json, body.base);
    ResourceKind::PolicyDocument {
        statements: statements(Some(tree), Dialect::Terraform),
        trusts_api_gateway: trusts_api_gateway(Some(tree)),
    }
}

/// The IAM JSON a policy document's body makes, as a value tree: `{Statement: [...]}`
/// with, for each `statement` block, `Effect` (`effect`, `Allow` when left out),
/// `Action`/`NotAction` (`actions`/`not_actions`), `Resource`/`NotResource`
/// (`resources`/`not_resources`) and `Principal` (the `principals` blocks by `type`:
/// `{Service: [...]}`, `*` for type `*`). What the body takes from elsewhere
/// (`source_policy_documents`, `override_policy_documents`, `dynamic` blocks) makes the
/// statements opaque; a `dynamic` block inside a statement makes its principal opaque.
fn document_json(body: NodeRef<'_>) -> Node {
    let span = body.node.span;
    let opaque = || Node {
        span,
        kind: NodeKind::Intrinsic(Box::new(crate::syntax::value::Intrinsic {
            name: OPAQUE.to_string(),
            name_span: span,
            short_form: false,
            argument: None,
        })),
    };
    let pair = |key: &str, value: Node| Pair {
        key: key.to_string(),
        key_span: span,
        value: Some(value),
    };
    let text = |text: &str| Node {
        span,
        kind: NodeKind::Scalar(Scalar {
            text: text.to_string(),
            style: ScalarStyle::DoubleQuoted,
            kind: ScalarKind::String,
            text_span: span,
        }),
    };
    // `source_json`/`override_json`: the same, before AWS provider v5.
    let elsewhere = [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
        "dynamic",
    ];
    let list = if elsewhere.iter().any(|key| body.get(key).is_some()) {
        opaque()
    } else {
        let mut items = Vec::new();
        for block in one_or_many(body.get("statement")) {
            if !block.is_map() {
                items.push(opaque());
                continue;
            }
            let mut pairs = vec![pair(
                "Effect",
                block
                    .get("effect")
                    .map_or_else(|| text("Allow"), |e| e.node.clone()),
            )];
            for (from, to) in [
                ("actions", "Action"),
                ("not_actions", "NotAction"),
                ("resources", "Resource"),
                ("not_resources", "NotResource"),
            ] {
                if let Some(value) = block.get(from) {
                    pairs.push(pair(to, value.node.clone()));
                }
            }
            let principals = one_or_many(block.get("principals"));
            if block.get("dynamic").is_some() {
                pairs.push(pair("Principal", opaque()));
            } else if !principals.is_empty() {
                pairs.push(pair("Principal", principal(&principals, span, opaque())));
            }
            items.push(Node {
                span,
                kind: NodeKind::Map(pairs),
            });
        }
        Node {
            span,
            kind: NodeKind::Seq(items),
        }
    };
    Node {
        span,
        kind: NodeKind::Map(vec![pair("Statement", list)]),
    }
}

/// A statement's `Principal` from its `principals { type, identifiers }` blocks: the
/// identifiers of each type together (`{Service: [a, b]}`), `*` for
/// `type = "*"`; `opaque` when a type is not a literal.
fn principal(blocks: &[NodeRef<'_>], span: Span, opaque: Node) -> Node {
    let mut by_type: Vec<(String, Vec<Node>)> = Vec::new();
    for block in blocks {
        let Some(kind) = block.get("type").and_then(|t| t.text()) else {
            return opaque;
        };
        if kind == "*" {
            return Node {
                span,
                kind: NodeKind::Scalar(Scalar {
                    text: "*".to_string(),
                    style: ScalarStyle::DoubleQuoted,
                    kind: ScalarKind::String,
                    text_span: span,
                }),
            };
        }
        let identifiers = match block.get("identifiers") {
            Some(list) if literal_list(list).is_some() => match list.kind() {
                NodeKind::Seq(items) => items.clone(),
                _ => vec![list.node.clone()],
            },
            // Not written out: the type's identifiers could be anything.
            Some(other) => vec![other.node.clone()],
            None => Vec::new(),
        };
        match by_type.iter_mut().find(|(k, _)| k == kind) {
            Some((_, all)) => all.extend(identifiers),
            None => by_type.push((kind.to_string(), identifiers)),
        }
    }
    Node {
        span,
        kind: NodeKind::Map(
            by_type
                .into_iter()
                .map(|(kind, identifiers)| Pair {
                    key: kind,
                    key_span: span,
                    // An item that is not a literal leaves the whole list unknown.
                    value: Some(Node {
                        span,
                        kind: NodeKind::Seq(identifiers),
                    }),
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::document::Document;
    use crate::model::facts::{ResourceKind, Statement};
    use crate::model::index::Index;
    use crate::syntax::Language;

    fn kind(index: &Index, name: &str) -> ResourceKind {
        index
            .resource(name)
            .map_or(ResourceKind::Other, |r| r.kind.clone())
    }

    fn statement(actions: Option<&[&str]>, resources: Option<&[&str]>) -> Statement {
        let owned = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        Statement {
            actions: actions.map(owned),
            resources: resources.map(owned),
        }
    }

    #[test]
    fn policy_documents_read_as_the_json_they_make() {
        let text = r#"
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["SQS:SendMessage", "sqs:Get*"]
    resources = [aws_sqs_queue.q.arn, "${aws_sqs_queue.r.arn}/x"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
  statement {
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = ["*"]
  }
  statement {
    not_actions   = ["iam:*"]
    not_resources = [aws_sqs_queue.q.arn]
  }
}

data "aws_iam_policy_document" "opaque" {
  source_policy_documents = [var.base]
  statement {
    actions = ["sqs:SendMessage"]
  }
}

data "aws_iam_policy_document" "effect" {
  statement {
    effect  = var.effect
    actions = ["sqs:SendMessage"]
    principals {
      type        = var.type
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

data "aws_caller_identity" "current" {}
"#;
        let doc = Document::new(text, Language::Terraform, 0);
        let index = Index::of(&doc);
        assert_eq!(
            kind(&index, "data.aws_iam_policy_document.d"),
            ResourceKind::PolicyDocument {
                statements: Some(vec![
                    statement(
                        Some(&["sqs:sendmessage", "sqs:get*"]),
                        Some(&["aws_sqs_queue.q", "aws_sqs_queue.r"])
                    ),
                    statement(None, None),
                ]),
                trusts_api_gateway: Some(true),
            }
        );
        assert_eq!(
            kind(&index, "data.aws_iam_policy_document.opaque"),
            ResourceKind::PolicyDocument {
                statements: None,
                trusts_api_gateway: None,
            }
        );
        assert_eq!(
            kind(&index, "data.aws_iam_policy_document.effect"),
            ResourceKind::PolicyDocument {
                statements: None,
                trusts_api_gateway: None,
            }
        );
        // Other data sources are not read.
        assert!(index.resource("data.aws_caller_identity.current").is_none());
    }

    #[test]
    fn roles_read_their_trust_and_policies() {
        let text = r#"
resource "aws_iam_role" "r" {
  assume_role_policy = <<EOF
{"Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
EOF
  inline_policy {
    name   = "a"
    policy = jsonencode({ Statement = { Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.q.arn } })
  }
  inline_policy {
    name   = "b"
    policy = data.aws_iam_policy_document.d.json
  }
  inline_policy {
    name   = "c"
    policy = <<-EOF
      {"Statement": [{"Effect": "Allow", "Action": "sqs:PurgeQueue", "Resource": "${aws_sqs_queue.q.arn}"}]}
      EOF
  }
  managed_policy_arns = [aws_iam_policy.p.arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"]
}

resource "aws_iam_role" "t" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
  inline_policy {}
}

resource "aws_iam_role" "half" {
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { Service = ["apigateway.amazonaws.com"] } }] })
  inline_policy {
    policy = file("p.json")
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
"#;
        let doc = Document::new(text, Language::Terraform, 0);
        let index = Index::of(&doc);
        assert_eq!(
            kind(&index, "aws_iam_role.r"),
            ResourceKind::Role {
                trusts_api_gateway: Some(false),
                trust_document: None,
                statements: Some(vec![
                    statement(Some(&["sqs:sendmessage"]), Some(&["aws_sqs_queue.q"])),
                    statement(Some(&["sqs:purgequeue"]), Some(&["aws_sqs_queue.q"])),
                ]),
                documents: vec!["data.aws_iam_policy_document.d".to_string()],
                managed: vec!["aws_iam_policy.p".to_string()],
                external_policies: true,
            }
        );
        assert_eq!(index.trusts_api_gateway("aws_iam_role.r"), Some(false));
        assert_eq!(
            kind(&index, "aws_iam_role.t"),
            ResourceKind::Role {
                trusts_api_gateway: None,
                trust_document: Some("data.aws_iam_policy_document.trust".to_string()),
                statements: Some(Vec::new()),
                documents: Vec::new(),
                managed: Vec::new(),
                external_policies: false,
            }
        );
        // `type = "*"` is `Principal: "*"`.
        assert_eq!(index.trusts_api_gateway("aws_iam_role.t"), Some(true));
        // Nothing in view: the module's other files may attach policies.
        assert_eq!(index.role_statements("aws_iam_role.t"), None);
        let ResourceKind::Role {
            trusts_api_gateway,
            statements,
            ..
        } = kind(&index, "aws_iam_role.half")
        else {
            panic!("not a role");
        };
        assert_eq!((trusts_api_gateway, statements), (Some(true), None));
    }

    #[test]
    fn policies_and_attachments_name_their_roles_and_documents() {
        let text = r#"
resource "aws_iam_role" "r" {
  assume_role_policy = "{\"Statement\": []}"
}

resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.d.json
}

resource "aws_iam_role_policy_attachment" "a" {
  role       = aws_iam_role.r.name
  policy_arn = aws_iam_policy.p.arn
}

resource "aws_iam_policy_attachment" "b" {
  roles      = [aws_iam_role.r.name, "literal"]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy" "c" {
  role   = aws_iam_role.r.id
  policy = "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"sqs:SendMessage\", \"Resource\": \"*\"}}"
}

resource "aws_iam_role_policies_exclusive" "e" {
  role_name    = aws_iam_role.r.name
  policy_names = [aws_iam_role_policy.c.name]
}

data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["events:PutEvents"]
    resources = ["*"]
  }
}
"#;
        let doc = Document::new(text, Language::Terraform, 0);
        let index = Index::of(&doc);
        let role = || vec!["aws_iam_role.r".to_string()];
        assert_eq!(
            kind(&index, "aws_iam_policy.p"),
            ResourceKind::Policy {
                roles: Vec::new(),
                statements: Some(Vec::new()),
                documents: vec!["data.aws_iam_policy_document.d".to_string()],
            }
        );
        assert_eq!(
            kind(&index, "aws_iam_role_policy_attachment.a"),
            ResourceKind::Policy {
                roles: role(),
                statements: Some(Vec::new()),
                documents: vec!["aws_iam_policy.p".to_string()],
            }
        );
        assert_eq!(
            kind(&index, "aws_iam_policy_attachment.b"),
            ResourceKind::Policy {
                roles: role(),
                statements: None,
                documents: Vec::new(),
            }
        );
        assert_eq!(
            kind(&index, "aws_iam_role_policies_exclusive.e"),
            ResourceKind::Policy {
                roles: role(),
                statements: Some(Vec::new()),
                documents: vec!["aws_iam_role_policy.c".to_string()],
            }
        );
        assert_eq!(index.trusts_api_gateway("aws_iam_role.r"), Some(false));
        // The AWS managed policy attachment `b` attaches is not in view.
        assert_eq!(index.role_statements("aws_iam_role.r"), None);
        let without_b = text.replace(
            "policy_arn = \"arn:aws:iam::aws:policy/ReadOnlyAccess\"",
            "policy_arn = aws_iam_policy.p.arn",
        );
        let doc = Document::new(&without_b, Language::Terraform, 0);
        let index = Index::of(&doc);
        let found: Vec<Statement> = index
            .role_statements("aws_iam_role.r")
            .unwrap_or_default()
            .into_iter()
            .cloned()
            .collect();
        let events = statement(Some(&["events:putevents"]), None);
        let send = statement(Some(&["sqs:sendmessage"]), None);
        assert_eq!(found, [events.clone(), events, send.clone(), send]);
    }
}
