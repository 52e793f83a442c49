//! Tests of the cursor context: the value-tree path, the text fallback, and the one
//! mapping from a key path to host, dialect and place.

use super::*;
use crate::analysis::hover::tests::{JSON, OPENAPI, OPENAPI_JSON, SAM, YAML};
use crate::analysis::test_support::{cursor, open};

fn context_at(fixture: &str) -> (String, Document, usize) {
    let (text, offset) = cursor(fixture);
    let (doc, _) = open(&text);
    (text, doc, offset)
}

fn keys(context: &Context<'_>) -> Vec<String> {
    context
        .cursor
        .keys()
        .iter()
        .map(|k| k.unwrap_or("-").to_string())
        .collect()
}

fn from_tree(context: &Context<'_>) -> bool {
    matches!(context.source, Source::Tree(_))
}

const INTEGRATION: &str = "
Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: $request.body
";

#[test]
fn yaml_value_from_the_tree() {
    let fixture = INTEGRATION.replace("SQS-Send", "SQS-Se$0nd");
    let (_, doc, offset) = context_at(&fixture);
    let c = at(&doc, offset).expect("a context");
    assert!(from_tree(&c));
    assert_eq!(
        keys(&c),
        ["Resources", "Int", "Properties", "IntegrationSubtype"]
    );
    let At::Value {
        token: Some(token), ..
    } = &c.cursor.at
    else {
        panic!("not a value: {:?}", c.cursor.at)
    };
    assert_eq!(token.quote, None);
    assert_eq!(c.cursor.style, Style::Block);
    assert_eq!(c.unit, "Int");
    let site = site(&c.cursor.keys(), c.cursor.on()).expect("a site");
    assert_eq!(site.host, Host::Resource);
    assert_eq!(site.dialect, Dialect::CloudFormation);
    assert_eq!(
        site.place,
        Place::FieldValue {
            name: "IntegrationSubtype",
            field: Some(Field::Subtype)
        }
    );
    assert!(!site.nested);
}

#[test]
fn yaml_half_typed_key_from_the_text() {
    let (_, doc, offset) = context_at(
        "
Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: x
        Que$0
",
    );
    let c = at(&doc, offset).expect("a context");
    assert!(!from_tree(&c), "the segment does not parse");
    assert_eq!(
        keys(&c),
        ["Resources", "Int", "Properties", "RequestParameters", ""]
    );
    assert!(matches!(
        c.cursor.at,
        At::Key {
            token: Some(_),
            colon_follows: false
        }
    ));
    let Source::Text { unit_text } = &c.source else {
        unreachable!()
    };
    assert!(unit_text.starts_with("Int:") && !unit_text.contains("Que\n"));
    let site = site(&c.cursor.keys(), c.cursor.on()).expect("a site");
    assert_eq!(site.place, Place::ParamKey);
}

#[test]
fn yaml_empty_value_is_the_texts() {
    let fixture = INTEGRATION.replace("SQS-SendMessage", "$0");
    let (_, doc, offset) = context_at(&fixture);
    let c = at(&doc, offset).expect("a context");
    assert!(!from_tree(&c), "no token under the cursor");
    assert!(matches!(c.cursor.at, At::Value { token: None, .. }));
}

#[test]
fn yaml_flow_key_from_the_tree() {
    let (_, doc, offset) = context_at(
        "
Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters: {QueueUrl: x, Mes$0}
",
    );
    let c = at(&doc, offset).expect("a context");
    assert!(from_tree(&c));
    assert_eq!(c.cursor.style, Style::Flow);
    assert!(matches!(
        c.cursor.at,
        At::Key {
            colon_follows: false,
            ..
        }
    ));
    let site = site(&c.cursor.keys(), c.cursor.on()).expect("a site");
    assert_eq!(site.place, Place::ParamKey);
}

#[test]
fn json_value_from_the_tree_and_half_typed_from_the_text() {
    let (_, doc, offset) = context_at(
        r#"{"Resources": {
  "Int": {
    "Type": "AWS::ApiGatewayV2::Integration",
    "Properties": {
      "IntegrationSubtype": "SQS-SendMessage",
      "RequestParameters": {"QueueUrl": "x", "MessageBody": "$request.bo$0dy"}
    }
  }
}}"#,
    );
    let c = at(&doc, offset).expect("a context");
    assert!(from_tree(&c));
    assert_eq!(c.cursor.style, Style::Json);
    let At::Value {
        token: Some(token),
        key,
        ..
    } = &c.cursor.at
    else {
        panic!("not a value")
    };
    assert_eq!(
        (token.quote, key.as_deref()),
        (Some('"'), Some("MessageBody"))
    );
    assert_eq!(
        site(&c.cursor.keys(), c.cursor.on()).map(|s| s.place),
        Some(Place::ParamValue)
    );

    let (_, doc, offset) = context_at(
        r#"{"Resources": {
  "Int": {
    "Type": "AWS::ApiGatewayV2::Integration",
    "Properties": {
      "IntegrationSubtype": "SQS-SendMessage",
      "RequestParameters": {"QueueUrl": "x", "Me$0}
    }
  }
}}"#,
    );
    let c = at(&doc, offset).expect("a context");
    assert!(!from_tree(&c));
    assert_eq!(
        keys(&c),
        ["Resources", "Int", "Properties", "RequestParameters", ""]
    );
}

/// Wherever the tree answers, the text reader, run on the same offset, reads the same
/// cursor: the fallback and the tree are two readings of one context.
#[test]
fn tree_and_text_agree_where_both_answer() {
    let mut compared = 0;
    for text in [YAML, JSON, OPENAPI, OPENAPI_JSON, SAM, INTEGRATION] {
        let (doc, _) = open(text);
        for offset in 0..=text.len() {
            if !text.is_char_boundary(offset) {
                continue;
            }
            let Some(tree) = tree::context(&doc, offset) else {
                continue;
            };
            let Some(scan) = text::scan(&doc, offset) else {
                continue;
            };
            // Sequences and intrinsic functions are spelled differently (the text reader
            // does not know `Fn::Sub` from a key, nor a tag's argument from a value).
            if tree.cursor.path.iter().any(Option::is_none)
                || matches!(&tree.cursor.at, At::Value { key: None, .. })
                || matches!(&scan.cursor.at, At::Value { token: Some(t), .. } if t.tagged)
            {
                continue;
            }
            assert_eq!(
                tree.cursor,
                scan.cursor,
                "at {offset}: {:?}",
                &text[offset.saturating_sub(20)..offset]
            );
            assert_eq!(tree.unit, scan.resource);
            compared += 1;
        }
    }
    assert!(compared > 500, "{compared}");
}

#[test]
fn site_maps_key_paths() {
    let key = On::Key(0..0);
    let value = On::Value {
        text: None,
        span: 0..0,
    };
    let place = |keys: &[Option<&'static str>], on: &On<'static>| {
        site(keys, on.clone()).map(|s| (s.host, s.dialect, s.place, s.nested))
    };
    use Dialect::{CloudFormation as Cfn, OpenApi};
    assert_eq!(
        place(&[Some("Resources"), Some("Int")], &key),
        Some((Host::Resource, Cfn, Place::ResourceName, false))
    );
    let params = [
        Some("Resources"),
        Some("Int"),
        Some("Properties"),
        Some("RequestParameters"),
        Some("QueueUrl"),
    ];
    assert_eq!(
        place(&params, &key),
        Some((Host::Resource, Cfn, Place::ParamKey, false))
    );
    let mut deep = params.to_vec();
    deep.push(None);
    assert_eq!(
        place(&deep, &value),
        Some((Host::Resource, Cfn, Place::ParamValue, true))
    );
    let op = [
        Some("paths"),
        Some("/runs/{id}"),
        Some("post"),
        Some(INTEGRATION_KEY),
    ];
    assert_eq!(
        place(&op, &key),
        Some((Host::Standalone, OpenApi, Place::IntegrationName, false))
    );
    assert_eq!(
        place(&op[..2], &key),
        Some((
            Host::Standalone,
            OpenApi,
            Place::PathKey {
                path: "/runs/{id}",
                span: 0..0
            },
            false
        ))
    );
    let mut reference = op.to_vec();
    reference.push(Some("$ref"));
    let on = On::Value {
        text: Some("#/components/x-amazon-apigateway-integrations/startRun"),
        span: 3..9,
    };
    assert_eq!(
        place(&reference, &on).map(|p| p.2),
        Some(Place::SharedRef {
            name: "startRun".to_string(),
            span: 3..9
        })
    );
    let mut inline = vec![
        Some("Resources"),
        Some("Api"),
        Some("Properties"),
        Some("DefinitionBody"),
    ];
    inline.extend(op);
    inline.push(Some("requestParameters"));
    let s = site(&inline, value.clone()).expect("inline");
    assert_eq!(
        (s.host, s.dialect, s.body_key),
        (Host::Inline, OpenApi, Some("DefinitionBody"))
    );
    assert_eq!(
        s.fields,
        [
            "Properties",
            "DefinitionBody",
            "paths",
            "/runs/{id}",
            "post",
            INTEGRATION_KEY
        ]
    );
    assert_eq!(
        s.place,
        Place::FieldValue {
            name: "requestParameters",
            field: Some(Field::RequestParameters)
        }
    );
    // Elsewhere in an inline body: a property value of the API resource.
    let info = [
        Some("Resources"),
        Some("Api"),
        Some("Properties"),
        Some("Body"),
        Some("info"),
    ];
    assert_eq!(
        place(&info, &value),
        Some((
            Host::Resource,
            Cfn,
            Place::FieldValue {
                name: "Body",
                field: None
            },
            true
        ))
    );
    let shared = [
        Some("components"),
        Some(SHARED_INTEGRATIONS),
        Some("startRun"),
        Some("integrationSubtype"),
    ];
    let s = site(&shared, key).expect("shared");
    assert_eq!(
        s.spot,
        Some(Spot::Shared {
            name: "startRun".to_string()
        })
    );
    assert_eq!(
        s.place,
        Place::FieldKey {
            name: "integrationSubtype",
            field: Some(Field::Subtype)
        }
    );
    assert_eq!(place(&[Some("Outputs"), Some("X")], &value), None);
}

#[test]
fn half_typed_input_never_panics() {
    // Every prefix of a template, at every offset of its last line.
    for text in [YAML, JSON, OPENAPI, SAM] {
        for cut in (0..text.len()).step_by(29) {
            if !text.is_char_boundary(cut) {
                continue;
            }
            let prefix = &text[..cut];
            let (doc, _) = open(prefix);
            let from = prefix.rfind('\n').unwrap_or(0);
            for offset in from..=cut {
                if prefix.is_char_boundary(offset) {
                    let _ = at(&doc, offset);
                    let _ = locate(&doc, offset);
                }
            }
        }
    }
}
