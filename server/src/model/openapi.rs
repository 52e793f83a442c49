//! OpenAPI documents with `x-amazon-apigateway-integration`: standalone files, SAM
//! `AWS::Serverless::HttpApi` `DefinitionBody` and `AWS::ApiGatewayV2::Api` `Body`.
//!
//! Integrations sit on operations (`paths./route.post.x-amazon-apigateway-integration`,
//! `x-amazon-apigateway-any-method`) or are shared under
//! `components.x-amazon-apigateway-integrations.<name>` and referenced with `$ref`.

use std::ops::Range;

use crate::syntax::NodeRef;

use super::{Dialect, Integration, Origin};

/// The extension key holding an integration.
pub const INTEGRATION_KEY: &str = "x-amazon-apigateway-integration";
/// The extension key of the ANY method.
pub const ANY_METHOD: &str = "x-amazon-apigateway-any-method";
/// Where shared integrations live under `components`.
pub const SHARED_INTEGRATIONS: &str = "x-amazon-apigateway-integrations";
/// The `$ref` prefix of a shared integration.
pub const REF_PREFIX: &str = "#/components/x-amazon-apigateway-integrations/";

/// The HTTP method of an operation key (`post` -> `POST`, the any-method -> `ANY`).
pub fn method_name(key: &str) -> Option<&'static str> {
    match key {
        "get" => Some("GET"),
        "put" => Some("PUT"),
        "post" => Some("POST"),
        "delete" => Some("DELETE"),
        "options" => Some("OPTIONS"),
        "head" => Some("HEAD"),
        "patch" => Some("PATCH"),
        "trace" => Some("TRACE"),
        ANY_METHOD => Some("ANY"),
        _ => None,
    }
}

/// An OpenAPI operation that carries an `x-amazon-apigateway-integration`.
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    /// `POST /runs/{runName}` style route of the operation.
    pub route: String,
    pub path: &'a str,
    pub path_span: Range<usize>,
    /// The method key (`post`, `x-amazon-apigateway-any-method`).
    pub method_span: Range<usize>,
    /// From the method key to the end of the operation.
    pub span: Range<usize>,
    pub target: OpTarget,
}

/// The integration of an [`Operation`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OpTarget {
    /// Written on the operation: its index in the integrations found alongside.
    Inline(usize),
    /// A `$ref` to a shared integration: its name (without [`REF_PREFIX`]), the span of
    /// the `$ref` value and of the whole `$ref` pair.
    Shared {
        name: String,
        ref_span: Range<usize>,
        span: Range<usize>,
    },
}

/// The integrations and the operations carrying them in one path item.
pub fn path_item<'a>(
    path: &'a str,
    path_span: Range<usize>,
    item: Option<NodeRef<'a>>,
    out: &mut Vec<Integration<'a>>,
    operations: &mut Vec<Operation<'a>>,
) {
    let Some(item) = item else { return };
    for op in item.pairs() {
        let Some(method) = method_name(op.key()) else {
            continue;
        };
        let Some(op_value) = op.value() else { continue };
        let Some(pair) = op_value.pair(INTEGRATION_KEY) else {
            continue;
        };
        let Some(fields) = pair.value().filter(|v| v.is_map()) else {
            continue;
        };
        let route = format!("{method} {path}");
        let target = match fields.pair("$ref") {
            Some(reference) => {
                let Some(value) = reference.value() else {
                    continue;
                };
                let Some(text) = value.text() else { continue };
                OpTarget::Shared {
                    name: text.strip_prefix(REF_PREFIX).unwrap_or(text).to_string(),
                    ref_span: value.text_span(),
                    span: reference.key_span().start..value.span().end,
                }
            }
            None => {
                out.push(Integration {
                    dialect: Dialect::OpenApi,
                    name: path,
                    anchor: pair.key_span(),
                    fields,
                    origin: Origin::Operation {
                        route: route.clone(),
                        path,
                        path_span: path_span.clone(),
                    },
                });
                OpTarget::Inline(out.len() - 1)
            }
        };
        operations.push(Operation {
            route,
            path,
            path_span: path_span.clone(),
            method_span: op.key_span(),
            span: op.key_span().start..op_value.span().end,
            target,
        });
    }
}

/// The shared integrations under a `components` mapping.
pub fn components<'a>(components: NodeRef<'a>, out: &mut Vec<Integration<'a>>) {
    let Some(shared) = components.get(SHARED_INTEGRATIONS) else {
        return;
    };
    for pair in shared.pairs() {
        let Some(fields) = pair.value().filter(|v| v.is_map()) else {
            continue;
        };
        out.push(Integration {
            dialect: Dialect::OpenApi,
            name: pair.key(),
            anchor: pair.key_span(),
            fields,
            origin: Origin::Shared,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::document::Document;
    use crate::model::{Origin, integrations_in_entry};
    use crate::syntax::Language;

    const API: &str = r##"openapi: "3.0.1"
paths:
  /orders:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        integrationSubtype: SQS-SendMessage
  /runs/{runName}:
    put:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/startRun"
  /$default:
    x-amazon-apigateway-any-method:
      isDefaultRoute: true
      x-amazon-apigateway-integration:
        integrationSubtype: EventBridge-PutEvents
components:
  x-amazon-apigateway-integrations:
    startRun:
      integrationSubtype: StepFunctions-StartExecution
"##;

    #[test]
    fn finds_operation_and_shared_integrations() {
        let doc = Document::new(API, Language::Yaml, 0);
        let found: Vec<(String, String)> = doc
            .entries()
            .flat_map(integrations_in_entry)
            .map(|i| {
                let origin = match &i.origin {
                    Origin::Operation { route, .. } => route.clone(),
                    Origin::Shared => "shared".to_string(),
                    Origin::Resource => "resource".to_string(),
                    Origin::Route { route, .. } => format!("module {route}"),
                };
                (origin, i.subtype_name().unwrap_or("").to_string())
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ("POST /orders".to_string(), "SQS-SendMessage".to_string()),
                (
                    "ANY /$default".to_string(),
                    "EventBridge-PutEvents".to_string()
                ),
                (
                    "shared".to_string(),
                    "StepFunctions-StartExecution".to_string()
                ),
            ]
        );
    }

    #[test]
    fn finds_integrations_inside_sam_definition_body() {
        let text = "Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /x:
            post:
              x-amazon-apigateway-integration:
                integrationSubtype: SQS-SendMessage
                credentials: !GetAtt Role.Arn
";
        let doc = Document::new(text, Language::Yaml, 0);
        let found: Vec<_> = doc.entries().flat_map(integrations_in_entry).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].subtype_name(), Some("SQS-SendMessage"));
    }
}
