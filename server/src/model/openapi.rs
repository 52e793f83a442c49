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

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", ANY_METHOD,
];

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

/// An operation whose integration is a `$ref` to a shared integration.
#[derive(Debug, Clone)]
pub struct SharedUse<'a> {
    /// `POST /runs/{runName}` style route of the operation.
    pub route: String,
    pub path: &'a str,
    pub path_span: Range<usize>,
    /// The shared integration's name and the span of the `$ref` value.
    pub name: String,
    pub ref_span: Range<usize>,
}

/// Integrations and `$ref` uses found in one path item.
pub fn path_item<'a>(
    path: &'a str,
    path_span: Range<usize>,
    item: Option<NodeRef<'a>>,
    out: &mut Vec<Integration<'a>>,
    uses: &mut Vec<SharedUse<'a>>,
) {
    let Some(item) = item else { return };
    for op in item.pairs() {
        if !METHODS.contains(&op.key()) {
            continue;
        }
        let Some(op_value) = op.value() else { continue };
        let Some(pair) = op_value.pair(INTEGRATION_KEY) else {
            continue;
        };
        let Some(fields) = pair.value().filter(|v| v.is_map()) else {
            continue;
        };
        let method = method_name(op.key()).unwrap_or("ANY");
        let route = format!("{method} {path}");
        if let Some(reference) = fields.get("$ref") {
            if let Some(target) = reference.text() {
                let name = target
                    .strip_prefix(REF_PREFIX)
                    .unwrap_or(target)
                    .to_string();
                uses.push(SharedUse {
                    route,
                    path,
                    path_span: path_span.clone(),
                    name,
                    ref_span: reference.text_span(),
                });
            }
            continue;
        }
        out.push(Integration {
            dialect: Dialect::OpenApi,
            name: path,
            anchor: pair.key_span(),
            fields,
            origin: Origin::Operation {
                route,
                path,
                path_span: path_span.clone(),
            },
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

/// Every integration and `$ref` use of a whole inline OpenAPI document (a `Body` or
/// `DefinitionBody` mapping).
pub fn document<'a>(
    body: NodeRef<'a>,
    out: &mut Vec<Integration<'a>>,
    uses: &mut Vec<SharedUse<'a>>,
) {
    if let Some(paths) = body.get("paths") {
        for path in paths.pairs() {
            path_item(path.key(), path.key_span(), path.value(), out, uses);
        }
    }
    if let Some(c) = body.get("components") {
        components(c, out);
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
