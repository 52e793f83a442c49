//! The outline: APIs, their routes and the integrations behind them.
//!
//! ```text
//! Api (HTTP API)
//! ├── GET /orders/{id}   (route, detail: logical ID)
//! │   └── Send           (integration, detail: subtype)
//! ├── Unused             (integration no route targets, `ApiId: !Ref Api`)
//! └── prod               (stage, detail: logical ID)
//! ```
//!
//! OpenAPI operations with an `x-amazon-apigateway-integration` are routes
//! (`POST /orders`, `ANY /$default`) with their integration (detail: subtype; a `$ref`
//! is named after the shared integration); shared integrations are listed too. Inline
//! bodies sit under their API resource; a standalone document's at the top level.
//!
//! Routes, integrations and stages whose API is not declared here sit at the top level.
//! An integration shared by several routes appears under each of them. Built from the
//! [`Index`] alone.

use std::collections::{HashMap, HashSet};

use super::features::{Symbol, SymbolKind};
use crate::document::Document;
use crate::model::facts::{
    IntegrationFacts, OperationFacts, ResourceFacts, ResourceKind, RouteFacts, StageFacts,
};
use crate::model::index::{At, Index};
use crate::model::openapi::INTEGRATION_KEY;
use crate::model::openapi::OpTarget;

/// The document's outline.
pub fn document_symbols(doc: &Document, index: &Index) -> Vec<Symbol> {
    // The outline is of this document: what linked files declare is not in it.
    let apis: Vec<(At<'_, ResourceFacts>, Option<crate::model::Protocol>)> = index
        .resources()
        .filter(|r| r.file == 0)
        .filter_map(|r| match r.item.kind {
            ResourceKind::Api { protocol, .. } => Some((r, protocol)),
            _ => None,
        })
        .collect();
    let api_names: HashSet<&str> = apis.iter().map(|(a, _)| a.item.name.as_str()).collect();
    let targeted: HashSet<&str> = index
        .routes()
        .filter_map(|(_, route)| Some(route.target_integration()?.0))
        .collect();
    // Each symbol with the API it belongs under, when that API is declared here.
    let mut entries: Vec<(Option<&str>, Symbol)> = Vec::new();
    for r in index.resources().filter(|r| r.file == 0) {
        match &r.item.kind {
            ResourceKind::Route(route) => {
                entries.push((route.api.as_deref(), route_symbol(index, r, route)));
            }
            ResourceKind::Integration { api } if !targeted.contains(r.item.name.as_str()) => {
                entries.push((api.as_deref(), integration_symbol(index, r)));
            }
            // A SAM `HttpApi` lists its own stage variables under its own name.
            ResourceKind::Stage(stage) if stage.api.as_deref() != Some(r.item.name.as_str()) => {
                entries.push((stage.api.as_deref(), stage_symbol(r, stage)));
            }
            _ => {}
        }
    }
    for op in index.operations().filter(|op| op.file == 0) {
        entries.push((op.item.api.as_deref(), openapi_route_symbol(index, op)));
    }
    for shared in index.integrations().filter(|i| i.shared && i.file == 0) {
        entries.push((
            shared.item.api.as_deref(),
            openapi_integration_symbol(shared),
        ));
    }
    let mut top: Vec<Symbol> = Vec::new();
    let mut under: HashMap<&str, Vec<Symbol>> = HashMap::new();
    for (api, symbol) in entries {
        match api.filter(|a| api_names.contains(a)) {
            Some(api) => under.entry(api).or_default().push(symbol),
            None => top.push(symbol),
        }
    }
    for (api, protocol) in apis {
        // Duplicate API names: the first declaration gets the children.
        let mut children = under.remove(api.item.name.as_str()).unwrap_or_default();
        children.sort_by_key(|s| s.range.start);
        top.push(Symbol {
            name: api.item.name.clone(),
            detail: Some(match protocol {
                Some(p) => format!("{} API", p.as_str()),
                None => "API".to_string(),
            }),
            kind: SymbolKind::Api,
            range: api.abs(&api.span),
            selection_range: api.abs(&api.name_span),
            children,
        });
    }
    top.sort_by_key(|s| s.range.start);
    trim_ranges(doc, &mut top);
    top
}

/// Block values end after their last line break: end the ranges at the last
/// non-blank byte instead (reading back over the trailing blanks only).
fn trim_ranges(doc: &Document, symbols: &mut [Symbol]) {
    let rope = doc.rope();
    for symbol in symbols {
        let mut end = symbol.range.end.min(rope.len_bytes());
        while end > symbol.selection_range.end && rope.byte(end - 1).is_ascii_whitespace() {
            end -= 1;
        }
        symbol.range.end = end;
        trim_ranges(doc, &mut symbol.children);
    }
}

/// An `AWS::ApiGatewayV2::Integration` resource.
fn integration_symbol(index: &Index, resource: At<'_, ResourceFacts>) -> Symbol {
    Symbol {
        name: resource.name.clone(),
        detail: index
            .integration(&resource.name)
            .and_then(|i| i.item.subtype.clone()),
        kind: SymbolKind::Integration,
        range: resource.abs(&resource.span),
        selection_range: resource.abs(&resource.name_span),
        children: Vec::new(),
    }
}

fn openapi_integration_symbol(integration: At<'_, IntegrationFacts>) -> Symbol {
    let name = if integration.shared {
        integration.name.clone()
    } else {
        INTEGRATION_KEY.to_string()
    };
    Symbol {
        name,
        detail: integration.subtype.clone(),
        kind: SymbolKind::Integration,
        range: integration.abs(&integration.span),
        selection_range: integration.abs(&integration.anchor),
        children: Vec::new(),
    }
}

/// An OpenAPI operation and its integration: the one written on it, or the `$ref`
/// (named after the shared integration).
fn openapi_route_symbol(index: &Index, op: At<'_, OperationFacts>) -> Symbol {
    let child = match &op.item.target {
        OpTarget::Inline(_) => index.operation_target(op).map(openapi_integration_symbol),
        OpTarget::Shared {
            name,
            ref_span,
            span,
        } => Some(Symbol {
            name: name.clone(),
            detail: index
                .shared_integration(op.api.as_deref(), name)
                .and_then(|i| i.item.subtype.clone()),
            kind: SymbolKind::Integration,
            range: op.abs(span),
            selection_range: op.abs(ref_span),
            children: Vec::new(),
        }),
    };
    Symbol {
        name: op.route.clone(),
        detail: None,
        kind: SymbolKind::Route,
        range: op.abs(&op.span),
        selection_range: op.abs(&op.method_span),
        children: child.into_iter().collect(),
    }
}

fn route_symbol(index: &Index, resource: At<'_, ResourceFacts>, route: &RouteFacts) -> Symbol {
    let children = route
        .target_integration()
        .and_then(|(t, _)| index.resource_at(t))
        .filter(|r| r.file == 0 && matches!(r.item.kind, ResourceKind::Integration { .. }))
        .map(|r| integration_symbol(index, r))
        .into_iter()
        .collect();
    Symbol {
        name: route
            .key
            .as_ref()
            .map_or_else(|| resource.name.clone(), |(k, _)| k.clone()),
        detail: Some(resource.name.clone()),
        kind: SymbolKind::Route,
        range: resource.abs(&resource.span),
        selection_range: resource.abs(&resource.name_span),
        children,
    }
}

fn stage_symbol(resource: At<'_, ResourceFacts>, stage: &StageFacts) -> Symbol {
    Symbol {
        name: stage
            .stage_name
            .clone()
            .unwrap_or_else(|| resource.name.clone()),
        detail: Some(resource.name.clone()),
        kind: SymbolKind::Stage,
        range: resource.abs(&resource.span),
        selection_range: resource.abs(&resource.name_span),
        children: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::open;

    const YAML: &str = "Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: orders, ProtocolType: HTTP}
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationSubtype: SQS-SendMessage
  Create:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: POST /orders
      Target: !Sub integrations/${Send}
  List:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: GET /orders
      Target: !Join [/, [integrations, !Ref Send]]
  Unused:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationSubtype: EventBridge-PutEvents
  Loose:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: Kinesis-PutRecord
  Prod:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: prod
  Queue:
    Type: AWS::SQS::Queue
";

    /// `(kind, name, detail)` of a symbol, and its ranges checked against the text:
    /// the selection is the logical ID, the range the whole resource.
    fn shape(text: &str, s: &Symbol) -> (SymbolKind, String, Option<String>) {
        let id = match s.kind {
            SymbolKind::Api | SymbolKind::Integration => s.name.clone(),
            SymbolKind::Route | SymbolKind::Stage => s.detail.clone().unwrap_or_default(),
        };
        assert_eq!(&text[s.selection_range.clone()], id);
        assert_eq!(s.range.start, s.selection_range.start);
        assert!(s.range.end > s.selection_range.end);
        (s.kind, s.name.clone(), s.detail.clone())
    }

    fn outline(text: &str) -> Vec<Symbol> {
        let (doc, index) = open(text);
        document_symbols(&doc, &index)
    }

    fn own(name: &str, detail: Option<&str>) -> (String, Option<String>) {
        (name.to_string(), detail.map(str::to_string))
    }

    #[test]
    fn apis_routes_integrations_and_stages() {
        let symbols = outline(YAML);
        let top: Vec<_> = symbols.iter().map(|s| shape(YAML, s)).collect();
        assert_eq!(
            top,
            [
                (SymbolKind::Api, "Api".into(), Some("HTTP API".into())),
                (
                    SymbolKind::Integration,
                    "Loose".into(),
                    Some("Kinesis-PutRecord".into())
                ),
            ]
        );
        let api = &symbols[0];
        // The API's range ends with its definition.
        assert_eq!(
            &YAML[api.range.clone()],
            "Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: orders, ProtocolType: HTTP}"
        );
        let children: Vec<_> = api.children.iter().map(|s| shape(YAML, s)).collect();
        assert_eq!(
            children,
            [
                (
                    SymbolKind::Route,
                    "POST /orders".into(),
                    Some("Create".into())
                ),
                (SymbolKind::Route, "GET /orders".into(), Some("List".into())),
                (
                    SymbolKind::Integration,
                    "Unused".into(),
                    Some("EventBridge-PutEvents".into())
                ),
                (SymbolKind::Stage, "prod".into(), Some("Prod".into())),
            ]
        );
        // The shared integration under both routes.
        for route in &api.children[..2] {
            let inner: Vec<_> = route
                .children
                .iter()
                .map(|s| {
                    let (_, name, detail) = shape(YAML, s);
                    (name, detail)
                })
                .collect();
            assert_eq!(inner, [own("Send", Some("SQS-SendMessage"))]);
            assert!(route.children[0].range.start < route.range.start);
        }
        assert!(api.children[3].children.is_empty());
    }

    #[test]
    fn json_outline() {
        let text = r#"{"Resources": {
  "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "HTTP"}},
  "Route": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Api"}, "RouteKey": "GET /x/{id}", "Target": {"Fn::Join": ["/", ["integrations", {"Ref": "Int"}]]}}},
  "Int": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Api"}, "IntegrationSubtype": "SQS-PurgeQueue"}},
  "Stage": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {"ApiId": {"Ref": "Api"}, "StageName": "$default"}}
}}"#;
        let symbols = outline(text);
        assert_eq!(symbols.len(), 1, "{symbols:?}");
        let api = &symbols[0];
        assert_eq!(shape(text, api).1, "Api");
        assert!(text[api.range.clone()].ends_with("\"HTTP\"}}"));
        let children: Vec<_> = api
            .children
            .iter()
            .map(|s| {
                let (_, name, detail) = shape(text, s);
                (name, detail)
            })
            .collect();
        assert_eq!(
            children,
            [
                own("GET /x/{id}", Some("Route")),
                own("$default", Some("Stage"))
            ]
        );
        let int = &api.children[0].children;
        assert_eq!(int.len(), 1);
        assert_eq!(shape(text, &int[0]).2.as_deref(), Some("SQS-PurgeQueue"));
    }

    #[test]
    fn orphans_sit_at_the_top_and_broken_text_is_fine() {
        let text = "Resources:
  R:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Elsewhere, RouteKey: $default, Target: integrations/Gone}
  S:
    Type: AWS::ApiGatewayV2::Stage
    Properties: {ApiId: abc123}
";
        let symbols = outline(text);
        let names: Vec<_> = symbols.iter().map(|s| shape(text, s).1).collect();
        assert_eq!(names, ["$default", "S"]);
        assert!(symbols[0].children.is_empty());
        assert!(outline("").is_empty());
        assert!(outline("Resources: [\n  {").is_empty());
        let broken = format!("{YAML}  Bad: [\n    {{ : \n");
        assert_eq!(outline(&broken)[0].children.len(), 4);
    }

    // ---- OpenAPI ----

    /// `(name, detail, children)` of a symbol tree, with every selection inside its
    /// range.
    fn tree(text: &str, symbols: &[Symbol]) -> Vec<(String, Option<String>, Vec<String>)> {
        symbols
            .iter()
            .map(|s| {
                assert!(s.range.start <= s.selection_range.start);
                assert!(s.selection_range.end <= s.range.end);
                assert!(text.get(s.range.clone()).is_some());
                let children = s
                    .children
                    .iter()
                    .map(|c| {
                        assert!(c.range.start >= s.range.start && c.range.end <= s.range.end);
                        format!("{} ({})", c.name, c.detail.clone().unwrap_or_default())
                    })
                    .collect();
                (s.name.clone(), s.detail.clone(), children)
            })
            .collect()
    }

    fn node(
        name: &str,
        detail: Option<&str>,
        children: &[&str],
    ) -> (String, Option<String>, Vec<String>) {
        (
            name.to_string(),
            detail.map(str::to_string),
            children.iter().map(|c| c.to_string()).collect(),
        )
    }

    #[test]
    fn openapi_routes_and_shared_integrations() {
        use crate::analysis::hover::tests::{OPENAPI, OPENAPI_JSON};
        let symbols = outline(OPENAPI);
        assert_eq!(
            tree(OPENAPI, &symbols),
            [
                node(
                    "POST /orders/{orderId}",
                    None,
                    &["x-amazon-apigateway-integration (SQS-SendMessage)"]
                ),
                node(
                    "PUT /runs/{runName}",
                    None,
                    &["startRun (StepFunctions-StartExecution)"]
                ),
                node(
                    "POST /jobs/{runName}/{step}",
                    None,
                    &["startRun (StepFunctions-StartExecution)"]
                ),
                node(
                    "GET /other",
                    None,
                    &["startRun (StepFunctions-StartExecution)"]
                ),
                node(
                    "ANY /$default",
                    None,
                    &["x-amazon-apigateway-integration (EventBridge-PutEvents)"]
                ),
                node("startRun", Some("StepFunctions-StartExecution"), &[]),
            ]
        );
        assert_eq!(symbols[0].kind, SymbolKind::Route);
        assert_eq!(&OPENAPI[symbols[0].selection_range.clone()], "post");
        assert_eq!(
            &OPENAPI[symbols[4].selection_range.clone()],
            "x-amazon-apigateway-any-method"
        );
        assert_eq!(symbols[5].kind, SymbolKind::Integration);
        assert_eq!(&OPENAPI[symbols[5].selection_range.clone()], "startRun");
        assert!(OPENAPI[symbols[5].range.clone()].ends_with("Input: $request.body"));
        let symbols = outline(OPENAPI_JSON);
        assert_eq!(
            tree(OPENAPI_JSON, &symbols),
            [
                node(
                    "POST /orders/{orderId}",
                    None,
                    &["x-amazon-apigateway-integration (SQS-SendMessage)"]
                ),
                node(
                    "PUT /runs/{runName}",
                    None,
                    &["startRun (StepFunctions-StartExecution)"]
                ),
                node("startRun", Some("StepFunctions-StartExecution"), &[]),
            ]
        );
    }

    #[test]
    fn inline_bodies_sit_under_their_api() {
        use crate::analysis::hover::tests::SAM;
        let symbols = outline(SAM);
        assert_eq!(symbols.len(), 1, "{symbols:?}");
        assert_eq!(symbols[0].name, "OrdersApi");
        assert_eq!(
            tree(SAM, &symbols[0].children),
            [node(
                "POST /orders/{id}",
                None,
                &["x-amazon-apigateway-integration (SQS-SendMessage)"]
            )]
        );
        let text = "Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Body:
        openapi: 3.0.1
        paths:
          /x:
            get:
              x-amazon-apigateway-integration:
                $ref: '#/components/x-amazon-apigateway-integrations/shared'
        components:
          x-amazon-apigateway-integrations:
            shared:
              integrationSubtype: SQS-PurgeQueue
";
        let symbols = outline(text);
        assert_eq!(
            tree(text, &symbols[0].children),
            [
                node("GET /x", None, &["shared (SQS-PurgeQueue)"]),
                node("shared", Some("SQS-PurgeQueue"), &[]),
            ]
        );
    }
}
