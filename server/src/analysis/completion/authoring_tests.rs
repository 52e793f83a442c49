//! Writing a new integration by completion: property and field names, values and
//! references, scaffolds; in CloudFormation YAML and JSON and OpenAPI YAML and JSON.

use super::tests::{accept, at, find, labels, sorted};
use crate::analysis::test_support::open;
use crate::rules::{Finding, Severity};

/// The findings of `text`.
fn findings(text: &str) -> Vec<Finding> {
    let (doc, _) = open(text);
    crate::analysis::analyze(&doc)
}

/// The error findings of `text`, rendered for an assertion message.
fn errors(text: &str) -> Vec<String> {
    findings(text)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| format!("{}: {} at {:?}", f.code, f.message, &text[f.range.clone()]))
        .collect()
}

const API: &str = "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      Name: orders\n      ProtocolType: HTTP\n  Queue:\n    Type: AWS::SQS::Queue\n";

/// A template with an HTTP API, a queue, an event bus, a stream and a state machine: the
/// targets of every subtype but AppConfig's.
const TARGETS: &str = "Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Name: orders
      ProtocolType: HTTP
  Queue:
    Type: AWS::SQS::Queue
  Bus:
    Type: AWS::Events::EventBus
    Properties:
      Name: orders
  Stream:
    Type: AWS::Kinesis::Stream
    Properties:
      ShardCount: 1
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineType: STANDARD
      DefinitionString: '{}'
      RoleArn: arn:aws:iam::123456789012:role/sfn
  Express:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineType: EXPRESS
      DefinitionString: '{}'
      RoleArn: arn:aws:iam::123456789012:role/sfn
";

#[test]
fn property_names_required_first_with_docs() {
    let (text, _, items) = at(&format!(
        "{API}  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      $0\n"
    ));
    let order = sorted(&items);
    assert_eq!(
        order[..6],
        [
            "IntegrationType",
            "IntegrationSubtype",
            "PayloadFormatVersion",
            "CredentialsArn",
            "RequestParameters",
            "TimeoutInMillis"
        ],
        "{order:?}"
    );
    // Present, and WebSocket-only on an HTTP API: left out.
    assert!(!order.contains(&"ApiId"));
    assert!(!order.contains(&"PassthroughBehavior"), "{order:?}");
    let subtype = find(&items, "IntegrationSubtype");
    let doc = subtype.documentation.as_deref().unwrap_or_default();
    assert!(
        doc.contains("first-class integration")
            && doc.contains("[Reference](https://docs.aws.amazon.com/"),
        "{doc}"
    );
    // Accepting a property with values asks for them.
    assert!(subtype.retrigger);
    assert!(accept(&text, subtype).contains("      IntegrationSubtype: \n"));
    let params = find(&items, "RequestParameters");
    assert!(accept(&text, params).contains("      RequestParameters:\n        \n"));
}

#[test]
fn property_names_of_routes_stages_apis_and_sam_http_apis() {
    let yaml = |type_name: &str, props: &str| {
        format!("{API}  R:\n    Type: {type_name}\n    Properties:\n{props}      $0\n")
    };
    let (_, _, items) = at(&yaml("AWS::ApiGatewayV2::Route", "      ApiId: !Ref Api\n"));
    assert_eq!(sorted(&items)[..2], ["RouteKey", "Target"]);
    assert!(!labels(&items).contains(&"RouteResponseSelectionExpression"));
    let (_, _, items) = at(&yaml("AWS::ApiGatewayV2::Stage", ""));
    assert_eq!(sorted(&items)[..3], ["ApiId", "StageName", "AutoDeploy"]);
    let (_, _, items) = at(&yaml("AWS::ApiGatewayV2::Api", ""));
    assert_eq!(sorted(&items)[..2], ["Name", "ProtocolType"]);
    let (_, _, items) = at(&yaml("AWS::Serverless::HttpApi", ""));
    assert!(labels(&items).contains(&"DefinitionBody"));
    // A type we do not describe: nothing.
    let (_, _, items) = at(&yaml("AWS::SNS::Topic", ""));
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn half_typed_property_names_in_yaml_and_json() {
    let (text, _, items) = at(&format!(
        "{API}  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      Cred$0\n"
    ));
    assert_eq!(labels(&items), ["CredentialsArn"]);
    assert!(accept(&text, &items[0]).contains("      CredentialsArn: \n"));
    let json = "{\"Resources\": {\n  \"Int\": {\n    \"Type\": \"AWS::ApiGatewayV2::Integration\",\n    \"Properties\": {\n      \"ApiId\": \"x\",\n      \"Integ$0\n    }\n  }\n}}\n";
    let (text, _, items) = at(json);
    assert_eq!(
        sorted(&items),
        [
            "IntegrationType",
            "IntegrationSubtype",
            "IntegrationUri",
            "IntegrationMethod"
        ]
    );
    let accepted = accept(&text, find(&items, "IntegrationType"));
    assert!(
        accepted.contains("      \"IntegrationType\": \n"),
        "{accepted}"
    );
}

#[test]
fn with_a_subtype_the_one_right_value_is_written_and_parameters_are_filled() {
    let props = "      ApiId: !Ref Api\n      IntegrationSubtype: SQS-SendMessage\n";
    let (text, _, items) = at(&format!(
        "{API}  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n{props}      $0\n"
    ));
    let mut text = accept(&text, find(&items, "IntegrationType"));
    assert!(
        text.contains("      IntegrationType: AWS_PROXY\n"),
        "{text}"
    );
    for name in ["PayloadFormatVersion", "RequestParameters"] {
        let marked = text.replacen(
            "      IntegrationType: AWS_PROXY\n",
            "      IntegrationType: AWS_PROXY\n      $0\n",
            1,
        );
        let (t, _, items) = at(&marked);
        text = accept(&t, find(&items, name));
    }
    assert!(
        text.contains("      PayloadFormatVersion: \"1.0\"\n"),
        "{text}"
    );
    assert!(
        text.contains("      RequestParameters:\n        QueueUrl: !Ref Queue\n        MessageBody: $request.body\n"),
        "{text}"
    );
    // The role is the one thing left.
    let codes: Vec<&str> = findings(&text).iter().map(|f| f.code).collect();
    assert_eq!(codes, ["missing-credentials"], "{text}");
}

#[test]
fn enumerations_with_and_without_a_subtype() {
    let int = |props: &str| {
        format!(
            "{API}  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n{props}"
        )
    };
    let (_, _, items) = at(&int("      IntegrationType: $0\n"));
    // `AWS`, `HTTP` and `MOCK` are for WebSocket APIs: last on an HTTP API.
    assert_eq!(
        sorted(&items),
        ["AWS_PROXY", "HTTP_PROXY", "AWS", "HTTP", "MOCK"]
    );
    assert_eq!(
        find(&items, "MOCK").detail.as_deref(),
        Some("WebSocket APIs only")
    );
    let (text, _, items) = at(&int("      PayloadFormatVersion: $0\n"));
    assert_eq!(sorted(&items), ["\"1.0\"", "\"2.0\""]);
    assert!(accept(&text, &items[0]).contains("PayloadFormatVersion: \"1.0\"\n"));
    let (_, _, items) = at(&int("      ConnectionType: $0\n"));
    assert_eq!(sorted(&items), ["INTERNET", "VPC_LINK"]);
    let (_, _, items) = at(&format!(
        "{API}  Ws:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n      ProtocolType: W$0\n"
    ));
    assert_eq!(labels(&items), ["WEBSOCKET"]);
    // JSON: quoted.
    let json = "{\"Resources\": {\"Int\": {\"Type\": \"AWS::ApiGatewayV2::Integration\", \"Properties\": {\"ConnectionType\": $0}}}}";
    let (text, _, items) = at(json);
    assert!(accept(&text, find(&items, "INTERNET")).contains("\"ConnectionType\": \"INTERNET\""));
}

#[test]
fn api_id_offers_the_apis_of_the_template() {
    let (text, _, items) = at(&format!(
        "{API}  Route:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: $0\n"
    ));
    assert_eq!(labels(&items), ["!Ref Api"]);
    assert!(accept(&text, &items[0]).contains("      ApiId: !Ref Api\n"));
}

#[test]
fn openapi_operation_offers_the_extension_and_its_fields() {
    let oas = |op: &str| {
        format!(
            "openapi: \"3.0.1\"\ninfo:\n  title: t\n  version: \"1\"\npaths:\n  /orders:\n    post:\n{op}"
        )
    };
    let (text, _, items) = at(&oas("      x-amaz$0\n"));
    let key = find(&items, "x-amazon-apigateway-integration");
    assert!(
        accept(&text, key)
            .contains("    post:\n      x-amazon-apigateway-integration:\n        \n")
    );
    assert!(labels(&items).contains(&"SQS-SendMessage integration"));
    let (_, _, items) = at(&oas("      x-amazon-apigateway-integration:\n        $0\n"));
    assert_eq!(
        sorted(&items)[..5],
        [
            "type",
            "integrationSubtype",
            "credentials",
            "requestParameters",
            "payloadFormatVersion"
        ]
    );
    // Once written, the key is not offered again.
    let (_, _, items) = at(&oas(
        "      x-amazon-apigateway-integration:\n        type: aws_proxy\n      $0\n",
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
    // JSON.
    let json =
        "{\"openapi\": \"3.0.1\", \"paths\": {\"/orders\": {\"post\": {\n  \"x-amazon$0\n}}}}";
    let (text, _, items) = at(json);
    let key = find(&items, "x-amazon-apigateway-integration");
    assert!(
        accept(&text, key).contains("\"x-amazon-apigateway-integration\": {}"),
        "{}",
        accept(&text, key)
    );
}

/// Accepts the scaffold `label` at `$0` and returns the text.
fn scaffold(fixture: &str, label: &str) -> String {
    let (text, _, items) = at(fixture);
    accept(&text, find(&items, label))
}

#[test]
fn every_resource_scaffold_deploys_clean_where_the_target_exists() {
    for subtype in &crate::catalog::catalog().subtypes {
        let label = format!("{} integration", subtype.name);
        for fixture in [format!("{TARGETS}  $0\n"), format!("{TARGETS}  $0")] {
            let text = scaffold(&fixture, &label);
            if subtype.name == "StepFunctions-StartSyncExecution" {
                // The EXPRESS machine, not the first (STANDARD) one.
                assert!(text.contains("StateMachineArn: !Ref Express"), "{text}");
            }
            assert_eq!(errors(&text), Vec::<String>::new(), "{label}:\n{text}");
            let warnings: Vec<&str> = findings(&text)
                .into_iter()
                .filter(|f| f.severity == Severity::Warning)
                .map(|f| f.code)
                .collect();
            assert!(warnings.is_empty(), "{label}: {warnings:?}\n{text}");
        }
    }
}

#[test]
fn a_scaffold_creates_what_the_template_lacks() {
    // An empty template: an API with its stage, the queue, the role, the integration and
    // the route; nothing to fix.
    let text = scaffold("Resources:\n  $0\n", "SQS-SendMessage integration");
    for needed in [
        "  HttpApi:\n    Type: AWS::ApiGatewayV2::Api\n",
        "  HttpApiStage:\n",
        "  Queue:\n    Type: AWS::SQS::Queue\n",
        "  SendMessageRole:\n",
        "  SendMessageIntegration:\n",
        "      Target: !Sub integrations/${SendMessageIntegration}\n",
    ] {
        assert!(text.contains(needed), "{needed:?} in\n{text}");
    }
    assert!(findings(&text).is_empty(), "{:?}\n{text}", findings(&text));
    // Names and route keys already taken get a number.
    let again = format!("{text}  $0\n");
    let text = scaffold(&again, "SQS-SendMessage integration");
    assert!(text.contains("  SendMessage2Integration:\n"), "{text}");
    assert!(
        text.contains("      RouteKey: POST /send-message-2\n"),
        "{text}"
    );
    assert!(findings(&text).is_empty(), "{:?}\n{text}", findings(&text));
}

#[test]
fn resource_scaffolds_in_json() {
    let json =
        "{\n  \"Resources\": {\n    \"Queue\": {\"Type\": \"AWS::SQS::Queue\"},\n    $0\n  }\n}\n";
    let text = scaffold(json, "SQS-SendMessage integration");
    assert!(
        text.contains("\"QueueUrl\": {\"Ref\": \"Queue\"}"),
        "{text}"
    );
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "{text}"
    );
    assert!(findings(&text).is_empty(), "{:?}\n{text}", findings(&text));
    // Before another member: a comma ends it.
    let json = "{\n  \"Resources\": {\n    \"Queue\": {\"Type\": \"AWS::SQS::Queue\"},\n    \"$0\n    \"Other\": {\"Type\": \"AWS::SNS::Topic\"}\n  }\n}\n";
    let text = scaffold(json, "EventBridge-PutEvents integration");
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "{text}"
    );
    assert!(findings(&text).is_empty(), "{:?}\n{text}", findings(&text));
}

#[test]
fn half_typed_logical_id_filters_scaffolds() {
    let (_, _, items) = at(&format!("{TARGETS}  Send$0"));
    assert_eq!(labels(&items), ["SQS-SendMessage integration"]);
    let (_, _, items) = at(&format!("{TARGETS}  Kin$0\n"));
    assert_eq!(labels(&items), ["Kinesis-PutRecord integration"]);
    // Not at the level of resources, not after a colon.
    let (_, _, items) = at(&format!("{TARGETS}    Send$0\n"));
    assert!(!labels(&items).contains(&"SQS-SendMessage integration"));
    let (_, _, items) = at(&format!("{TARGETS}  Send$0: x\n"));
    assert!(!labels(&items).contains(&"SQS-SendMessage integration"));
}

#[test]
fn openapi_scaffolds_inline_and_standalone() {
    // SAM DefinitionBody: references to the template's role and queue.
    let sam = "Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: apigateway.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: send
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: \"3.0.1\"
        info: {title: t, version: \"1\"}
        paths:
          /orders:
            post:
              $0
";
    let text = scaffold(sam, "SQS-SendMessage integration");
    assert!(
        text.contains("                credentials: {Fn::GetAtt: [Role, Arn]}\n"),
        "{text}"
    );
    assert!(
        text.contains("                  QueueUrl: {Ref: Queue}\n"),
        "{text}"
    );
    assert!(findings(&text).is_empty(), "{:?}\n{text}", findings(&text));
    // Standalone: placeholders API Gateway resolves on import.
    let oas = "openapi: \"3.0.1\"\ninfo:\n  title: t\n  version: \"1\"\npaths:\n  /orders:\n    post:\n      $0\n";
    let text = scaffold(oas, "SQS-SendMessage integration");
    assert!(
        text.contains(
            "credentials: arn:${AWS::Partition}:iam::${AWS::AccountId}:role/REPLACE_ME\n"
        ),
        "{text}"
    );
    assert_eq!(errors(&text), Vec::<String>::new(), "{text}");
    let json = "{\"openapi\": \"3.0.1\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {\"/orders\": {\"post\": {\n  $0\n}}}}";
    let text = scaffold(json, "EventBridge-PutEvents integration");
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "{text}"
    );
    assert_eq!(errors(&text), Vec::<String>::new(), "{text}");
}

#[test]
fn openapi_json_fields_values_and_the_parameters_snippet() {
    let op = |fields: &str| {
        format!(
            "{{\"openapi\": \"3.0.1\", \"info\": {{\"title\": \"t\", \"version\": \"1\"}}, \"paths\": {{\"/orders\": {{\"post\": {{\n  \"x-amazon-apigateway-integration\": {{\n    {fields}\n  }}\n}}}}}}}}"
        )
    };
    let (_, _, items) = at(&op("\"type\": \"aws_proxy\",\n    \"$0"));
    let order = sorted(&items);
    assert_eq!(
        order[..3],
        ["integrationSubtype", "credentials", "requestParameters"],
        "{order:?}"
    );
    assert!(!order.contains(&"type"));
    let (text, _, items) = at(&op("\"connectionType\": $0"));
    assert_eq!(sorted(&items), ["INTERNET", "VPC_LINK"]);
    assert!(accept(&text, &items[0]).contains("\"connectionType\": \"INTERNET\""));
    // With the subtype set, `requestParameters` comes with its required keys.
    let (text, _, items) = at(&op(
        "\"type\": \"aws_proxy\",\n    \"integrationSubtype\": \"SQS-SendMessage\",\n    $0",
    ));
    let text = accept(&text, find(&items, "requestParameters"));
    assert!(
        text.contains("\"requestParameters\": {\n      \"QueueUrl\": \"https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/REPLACE_ME\",\n      \"MessageBody\": \"$request.body\"\n    }"),
        "{text}"
    );
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "{text}"
    );
}

#[test]
fn cloudformation_json_parameters_snippet_references_the_queue() {
    let json = "{\"Resources\": {\n  \"Queue\": {\"Type\": \"AWS::SQS::Queue\"},\n  \"Int\": {\n    \"Type\": \"AWS::ApiGatewayV2::Integration\",\n    \"Properties\": {\n      \"IntegrationSubtype\": \"SQS-SendMessage\",\n      $0\n      \"ApiId\": \"x\"\n    }\n  }\n}}\n";
    let (text, _, items) = at(json);
    let text = accept(&text, find(&items, "RequestParameters"));
    assert!(
        text.contains("\"RequestParameters\": {\n        \"QueueUrl\": {\"Ref\": \"Queue\"},\n        \"MessageBody\": \"$request.body\"\n      },\n      \"ApiId\""),
        "{text}"
    );
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_ok(),
        "{text}"
    );
    // And the one right type, quoted.
    let (text, _, items) = at(json);
    assert!(
        accept(&text, find(&items, "IntegrationType"))
            .contains("      \"IntegrationType\": \"AWS_PROXY\"\n")
    );
}

#[test]
fn long_lists_are_cut_best_first_and_marked_incomplete() {
    // 150 integrations, all but `Int149` targeted by a route; a new route's `Target`.
    let mut text = String::from(API);
    for i in 0..150 {
        text.push_str(&format!(
            "  Int{i:03}:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n"
        ));
        if i < 149 {
            text.push_str(&format!(
                "  Route{i:03}:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: GET /r{i}\n      Target: !Sub integrations/${{Int{i:03}}}\n"
            ));
        }
    }
    text.push_str("  New:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: !Ref Api\n      RouteKey: GET /new\n      Target: $0\n");
    let (text, offset) = crate::analysis::test_support::cursor(&text);
    let (doc, index) = open(&text);
    // Items are built for no more than the cut list shows, and one more.
    assert_eq!(
        super::complete(&doc, &index, offset).len(),
        super::MAX_ITEMS + 1
    );
    let (items, cut) = super::complete_capped(&doc, &index, offset);
    assert!(cut);
    assert_eq!(items.len(), super::MAX_ITEMS);
    // The integration no route targets yet comes first.
    assert_eq!(items[0].label, "!Sub integrations/${Int149}");
    let (items, cut) = super::complete_capped(&doc, &index, offset - "Target: ".len());
    assert!(!cut && items.len() < super::MAX_ITEMS, "{}", items.len());
}
