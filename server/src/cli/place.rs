//! Where a finding is, in words a tool can act on: the keys from the top of the
//! document down to the value at fault ([`key_path`], which baselines cut to the
//! resource or operation), and the resource it is in, with its CDK construct path
//! ([`Places`], joined from the facts the analysis read, and from the cloud
//! assembly's manifest by logical ID: nothing is read again).

use std::ops::Range;

use crate::document::{Document, EntryRef};
use crate::model::index::Index;
use crate::syntax::NodeKind;
use crate::syntax::hcl::JSONENCODE;
use crate::workspace::assembly::Constructs;

/// One step of a [`key_path`]: a mapping key (with its span) or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    /// The key's span; `None` for a split section's name (`Resources` above a
    /// resource entry).
    pub span: Option<Range<usize>>,
    /// A sequence index (`0`), not a key.
    pub index: bool,
}

/// The keys from the top of `doc` down to the deepest value holding byte `offset`:
/// `Resources`, `Send`, `Properties`, `RequestParameters`, `QueueUrl`. Goes through
/// mappings, sequences (the index) and the mapping or sequence an intrinsic function
/// takes (its name, as the key it is in JSON); not into scalars. Empty outside every
/// entry.
pub fn key_path(doc: &Document, offset: usize) -> Vec<Key> {
    let entries = doc.entries_at(offset);
    let inside = |e: &EntryRef<'_>| {
        let start = e.key_span().start;
        let end = e.value().map_or(e.key_span().end, |v| v.span().end);
        start <= offset && offset <= end
    };
    let Some(entry) = entries.iter().find(|e| inside(e)).or(entries.first()) else {
        return Vec::new();
    };
    let mut path: Vec<Key> = entry
        .section
        .iter()
        .map(|s| Key {
            name: s.to_string(),
            span: None,
            index: false,
        })
        .collect();
    let Some(key) = entry.key() else {
        return path;
    };
    path.push(Key {
        name: key.to_string(),
        span: Some(entry.key_span()),
        index: false,
    });
    let contains = |span: Range<usize>| span.start <= offset && offset <= span.end;
    let mut node = entry.value();
    while let Some(current) = node {
        if let Some(pair) = current
            .pairs()
            .find(|p| contains(p.key_span().start..p.value_or_key_span().end))
        {
            path.push(Key {
                name: pair.key().to_string(),
                span: Some(pair.key_span()),
                index: false,
            });
            node = pair.value();
        } else if let Some((i, item)) = current
            .items()
            .enumerate()
            .find(|(_, item)| contains(item.span()))
        {
            path.push(Key {
                name: i.to_string(),
                span: Some(item.span()),
                index: true,
            });
            node = Some(item);
        } else if let (Some(intrinsic), Some(argument)) =
            (current.intrinsic(), current.intrinsic_argument())
            && matches!(argument.kind(), NodeKind::Map(_) | NodeKind::Seq(_))
            && contains(argument.span())
        {
            // Into an intrinsic function's argument (`Fn::If/1/...`, the key it is in
            // JSON); Terraform's `jsonencode(...)` is a call, not a key.
            if intrinsic.name != JSONENCODE {
                path.push(Key {
                    name: intrinsic.name.clone(),
                    span: current.intrinsic_name_span(),
                    index: false,
                });
            }
            node = Some(argument);
        } else {
            break;
        }
    }
    path
}

/// Keys joined with `/`, each escaped as in a JSON Pointer (RFC 6901: `~` as `~0`,
/// `/` as `~1`), without the leading `/`: `Properties/RequestParameters/QueueUrl`,
/// `paths/~1orders/post/x-amazon-apigateway-integration`.
pub fn pointer(keys: &[Key]) -> String {
    let escaped: Vec<String> = keys
        .iter()
        .map(|k| k.name.replace('~', "~0").replace('/', "~1"))
        .collect();
    escaped.join("/")
}

/// A resource of the analysed document, as reports name it.
#[derive(Debug, Clone)]
struct Resource {
    /// From the logical ID to the end of the definition (absolute).
    span: Range<usize>,
    name_span: Range<usize>,
    name: String,
    construct: Option<String>,
}

/// Where a finding is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    /// The logical ID (a Terraform resource's address) of the resource it is in.
    pub logical_id: Option<String>,
    /// The keys from that resource's definition (from the top of the document when it
    /// is in no resource) down to the value at fault, as a [`pointer`].
    pub path: Option<String>,
    /// The resource's CDK construct path (its `aws:cdk:path` metadata).
    pub construct: Option<String>,
}

/// The resources of one analysed document (file 0 of its index), in document order.
#[derive(Debug, Clone, Default)]
pub struct Places {
    resources: Vec<Resource>,
}

impl Places {
    /// The resources of the document the index was joined for. A resource whose
    /// `Metadata` gives no construct path takes the one `manifest` (the cloud
    /// assembly's, by logical ID) gives.
    pub fn of(index: &Index, manifest: Option<&Constructs>) -> Self {
        let mut resources: Vec<Resource> = index
            .resources()
            .filter(|at| at.file == 0)
            .map(|at| Resource {
                span: at.abs(&at.span),
                name_span: at.abs(&at.name_span),
                name: at.name.clone(),
                construct: at
                    .construct
                    .clone()
                    .or_else(|| manifest?.get(&at.name).cloned()),
            })
            .collect();
        resources.sort_by_key(|r| (r.span.start, r.span.end));
        Places { resources }
    }

    /// Where the finding that starts at byte `offset` of `doc` is.
    pub fn place(&self, doc: &Document, offset: usize) -> Place {
        // Resources do not nest: the last one starting at or before the offset.
        let before = self.resources.partition_point(|r| r.span.start <= offset);
        let resource = before
            .checked_sub(1)
            .and_then(|i| self.resources.get(i))
            .filter(|r| offset <= r.span.end);
        let keys = key_path(doc, offset);
        let below = match resource {
            Some(r) => keys
                .iter()
                .position(|k| k.span.as_ref() == Some(&r.name_span))
                .map_or(&keys[..0], |i| &keys[i + 1..]),
            None => &keys[..],
        };
        Place {
            logical_id: resource.map(|r| r.name.clone()),
            path: (!below.is_empty()).then(|| pointer(below)),
            construct: resource.and_then(|r| r.construct.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Analyzer;
    use crate::syntax::Language;

    fn place(text: &str, language: Language, needle: &str) -> Place {
        let doc = Document::new(text, language, 0);
        let mut analyzer = Analyzer::default();
        let places = Places::of(analyzer.index(&doc), None);
        let offset = text.find(needle).expect("needle");
        places.place(&doc, offset)
    }

    #[test]
    fn a_finding_names_its_resource_construct_and_property_path() {
        let json = r#"{"Resources": {
  "Queue": {"Type": "AWS::SQS::Queue"},
  "Send": {"Type": "AWS::ApiGatewayV2::Integration",
    "Metadata": {"aws:cdk:path": "Stack/Api/POST--orders/Send/Resource"},
    "Properties": {"RequestParameters": {"queueUrl": {"Ref": "Queue"}}}}}}"#;
        assert_eq!(
            place(json, Language::Json, "queueUrl"),
            Place {
                logical_id: Some("Send".to_string()),
                path: Some("Properties/RequestParameters/queueUrl".to_string()),
                construct: Some("Stack/Api/POST--orders/Send/Resource".to_string()),
            }
        );
        assert_eq!(
            place(json, Language::Json, "AWS::SQS::Queue"),
            Place {
                logical_id: Some("Queue".to_string()),
                path: Some("Type".to_string()),
                construct: None,
            }
        );
    }

    #[test]
    fn sequences_give_indexes_and_keys_are_escaped() {
        let yaml = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: sqs:Send\n";
        assert_eq!(
            place(yaml, Language::Yaml, "sqs:Send").path.as_deref(),
            Some("Properties/Policies/0/PolicyDocument/Statement/0/Action")
        );
        let openapi = "openapi: 3.0.1\npaths:\n  /orders/{id}:\n    post:\n      x-amazon-apigateway-integration:\n        integrationSubtype: SQS-Send\n";
        let p = place(openapi, Language::Yaml, "SQS-Send");
        assert_eq!(p.logical_id, None);
        assert_eq!(
            p.path.as_deref(),
            Some("paths/~1orders~1{id}/post/x-amazon-apigateway-integration/integrationSubtype")
        );
    }

    #[test]
    fn paths_go_into_the_structures_intrinsic_functions_take() {
        let json = r#"{"Conditions": {"Fifo": {"Fn::Equals": ["a", "a"]}}, "Resources": {"Send": {"Type": "AWS::ApiGatewayV2::Integration",
  "Properties": {"RequestParameters": {"Fn::If": ["Fifo", {"queueUrl": "u"}, {"QueueUrl": "u"}]}}}}}"#;
        assert_eq!(
            place(json, Language::Json, "queueUrl").path.as_deref(),
            Some("Properties/RequestParameters/Fn::If/1/queueUrl")
        );
        let tf = "resource \"aws_apigatewayv2_api\" \"api\" {\n  body = jsonencode({\n    paths = {\n      \"/orders\" = {\n        post = {\n          x-amazon-apigateway-integration = { integrationSubtype = \"SQS-Send\" }\n        }\n      }\n    }\n  })\n}\n";
        let p = place(tf, Language::Terraform, "SQS-Send");
        assert_eq!(p.logical_id.as_deref(), Some("aws_apigatewayv2_api.api"));
        assert_eq!(
            p.path.as_deref(),
            Some("body/paths/~1orders/post/x-amazon-apigateway-integration/integrationSubtype")
        );
    }

    #[test]
    fn a_serverless_resource_is_named_from_its_definition() {
        let yaml = "service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n    Send:\n      Type: AWS::ApiGatewayV2::Integration\n      Properties:\n        IntegrationSubtype: SQS-Send\n";
        let p = place(yaml, Language::Yaml, "SQS-Send");
        assert_eq!(p.logical_id.as_deref(), Some("Send"));
        assert_eq!(p.path.as_deref(), Some("Properties/IntegrationSubtype"));
    }
}
