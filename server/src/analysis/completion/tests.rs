//! Fixture tests for completion: `$0` marks the cursor.

use super::complete;
use crate::analysis::features::{CompletionItem, ItemKind};
use crate::analysis::test_support::{cursor, open};
use crate::catalog;

/// Completion at the `$0` of `fixture`: the text without the marker, the offset, the items.
pub(super) fn at(fixture: &str) -> (String, usize, Vec<CompletionItem>) {
    let (text, offset) = cursor(fixture);
    let (doc, index) = open(&text);
    let items = complete(&doc, &index, offset);
    (text, offset, items)
}

pub(super) fn labels(items: &[CompletionItem]) -> Vec<&str> {
    items.iter().map(|i| i.label.as_str()).collect()
}

pub(super) fn find<'a>(items: &'a [CompletionItem], label: &str) -> &'a CompletionItem {
    items
        .iter()
        .find(|i| i.label == label)
        .unwrap_or_else(|| panic!("no item {label:?} in {:?}", labels(items)))
}

/// Items sorted the way a client shows them (sort text, then label).
pub(super) fn sorted(items: &[CompletionItem]) -> Vec<&str> {
    let mut v: Vec<&CompletionItem> = items.iter().collect();
    v.sort_by(|a, b| {
        (a.sort_text.as_deref().unwrap_or(&a.label), &a.label)
            .cmp(&(b.sort_text.as_deref().unwrap_or(&b.label), &b.label))
    });
    v.into_iter().map(|i| i.label.as_str()).collect()
}

/// Turns snippet text into what the editor shows once every placeholder keeps its
/// default (`${1}` empty, `${1:value}` → `value`).
pub(super) fn expand(snippet: &str) -> String {
    crate::analysis::features::snippet_text(snippet)
}

/// The text after accepting `item`.
pub(super) fn accept(text: &str, item: &CompletionItem) -> String {
    let insert = if item.is_snippet {
        expand(&item.insert_text)
    } else {
        item.insert_text.clone()
    };
    let mut out = text.to_string();
    out.replace_range(item.replace.clone(), &insert);
    out
}

/// The typed text an item replaces.
fn replaced<'a>(text: &'a str, item: &CompletionItem) -> &'a str {
    &text[item.replace.clone()]
}

const API: &str = "Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
";

const TAIL: &str = "  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: POST /orders/{orderId}/{proxy+}
      Target: !Sub integrations/${Int}
  Route2:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: GET /orders/{orderId}/items/{itemId}
      Target: !Join [/, [integrations, !Ref Int]]
  OtherRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: GET /users/{userId}
      Target: !Sub integrations/${Other}
  Prod:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: prod
      StageVariables:
        queue: orders
        region: eu-west-1
  Dev:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: dev
      StageVariables:
        queue: orders-dev
  ElseStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref ElseApi
      StageVariables:
        foreign: x
";

/// A YAML template with the API, routes and stages around an integration `Int` whose
/// `Properties` are `props` (indented by six spaces).
fn yaml(props: &str) -> String {
    format!("{API}  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n{props}{TAIL}")
}

/// A JSON template with an integration `Int` whose `Properties` members are `props`.
fn json(props: &str) -> String {
    format!(
        r#"{{
  "Resources": {{
    "Api": {{"Type": "AWS::ApiGatewayV2::Api", "Properties": {{"ProtocolType": "HTTP"}}}},
    "Int": {{
      "Type": "AWS::ApiGatewayV2::Integration",
      "Properties": {{
{props}
      }}
    }},
    "Route": {{
      "Type": "AWS::ApiGatewayV2::Route",
      "Properties": {{
        "ApiId": {{"Ref": "Api"}},
        "RouteKey": "PUT /carts/{{cartId}}",
        "Target": {{"Fn::Join": ["/", ["integrations", {{"Ref": "Int"}}]]}}
      }}
    }},
    "Prod": {{
      "Type": "AWS::ApiGatewayV2::Stage",
      "Properties": {{"ApiId": {{"Ref": "Api"}}, "StageName": "prod", "StageVariables": {{"table": "carts"}}}}
    }}
  }}
}}"#
    )
}

// ---------------------------------------------------------------------------------------
// IntegrationSubtype
// ---------------------------------------------------------------------------------------

#[test]
fn subtypes_in_block_yaml_with_service_call_and_summary() {
    let (_, offset, items) = at(&yaml(
        "      IntegrationSubtype: $0\n      ApiId: !Ref Api\n",
    ));
    let names: Vec<&str> = catalog::catalog().subtype_names().collect();
    assert_eq!(names.len(), 10);
    assert_eq!(sorted(&items), names);
    let sqs = find(&items, "SQS-SendMessage");
    assert_eq!(sqs.detail.as_deref(), Some("SQS SendMessage"));
    assert_eq!(sqs.insert_text, "SQS-SendMessage");
    assert_eq!(sqs.replace, offset..offset);
    assert!(
        sqs.documentation.as_deref().is_some_and(|d| d
            .contains("Send one message to an SQS queue")
            && d.contains("sqs:SendMessage")),
        "{:?}",
        sqs.documentation
    );
    assert_eq!(
        find(&items, "StepFunctions-StartSyncExecution")
            .detail
            .as_deref(),
        Some("Step Functions StartSyncExecution")
    );
    assert!(
        items
            .iter()
            .all(|i| i.kind == ItemKind::Value && !i.is_snippet)
    );
}

#[test]
fn typed_subtype_prefix_filters_and_is_replaced() {
    // Half-typed, with the rest of the resource below it.
    let (text, _, items) = at(&yaml(
        "      IntegrationSubtype: SQS-$0\n      IntegrationType: AWS_PROXY\n",
    ));
    assert_eq!(
        labels(&items),
        [
            "SQS-SendMessage",
            "SQS-ReceiveMessage",
            "SQS-DeleteMessage",
            "SQS-PurgeQueue"
        ]
    );
    for item in &items {
        assert_eq!(replaced(&text, item), "SQS-");
        assert_eq!(item.filter_text.as_deref(), Some(item.label.as_str()));
    }
    let done = accept(&text, find(&items, "SQS-PurgeQueue"));
    assert!(done.contains("      IntegrationSubtype: SQS-PurgeQueue\n      IntegrationType"));
}

#[test]
fn subtype_right_after_the_colon_gets_a_space() {
    let (text, _, items) = at(&yaml("      IntegrationSubtype:$0\n"));
    let item = find(&items, "Kinesis-PutRecord");
    assert_eq!(item.insert_text, " Kinesis-PutRecord");
    assert!(accept(&text, item).contains("IntegrationSubtype: Kinesis-PutRecord\n"));
}

#[test]
fn subtype_in_an_unclosed_yaml_quote_closes_it() {
    let (text, _, items) = at(&yaml("      IntegrationSubtype: 'StepFunctions-Sto$0\n"));
    assert_eq!(labels(&items), ["StepFunctions-StopExecution"]);
    let item = &items[0];
    assert_eq!(replaced(&text, item), "StepFunctions-Sto");
    assert_eq!(item.insert_text, "StepFunctions-StopExecution'");
}

#[test]
fn subtypes_in_flow_yaml() {
    let (text, _, items) = at("Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {IntegrationType: AWS_PROXY, IntegrationSubtype: Kin$0}
");
    assert_eq!(labels(&items), ["Kinesis-PutRecord"]);
    assert_eq!(replaced(&text, &items[0]), "Kin");
    assert_eq!(items[0].insert_text, "Kinesis-PutRecord");
}

#[test]
fn subtypes_in_json_inside_and_outside_quotes() {
    let (text, _, items) = at(&json(r#"        "IntegrationSubtype": "Step$0""#));
    assert_eq!(
        labels(&items),
        [
            "StepFunctions-StartExecution",
            "StepFunctions-StartSyncExecution",
            "StepFunctions-StopExecution"
        ]
    );
    assert_eq!(replaced(&text, &items[0]), "Step");
    assert_eq!(items[0].insert_text, "StepFunctions-StartExecution");

    let (text, _, items) = at(&json(r#"        "IntegrationSubtype": $0"#));
    assert_eq!(items.len(), 10);
    let item = find(&items, "EventBridge-PutEvents");
    assert_eq!(item.insert_text, "\"EventBridge-PutEvents\"");
    assert!(accept(&text, item).contains(r#""IntegrationSubtype": "EventBridge-PutEvents""#));
}

// ---------------------------------------------------------------------------------------
// IntegrationType and PayloadFormatVersion
// ---------------------------------------------------------------------------------------

#[test]
fn integration_type_only_where_a_subtype_is_set() {
    let (_, _, items) = at(&yaml(
        "      IntegrationSubtype: SQS-SendMessage\n      IntegrationType: $0\n",
    ));
    assert_eq!(labels(&items), ["AWS_PROXY"]);
    assert_eq!(items[0].insert_text, "AWS_PROXY");
    // Without a subtype, every type, those an HTTP API accepts first.
    let (_, _, items) = at(&yaml(
        "      IntegrationType: $0\n      IntegrationUri: x\n",
    ));
    assert_eq!(
        sorted(&items),
        ["AWS_PROXY", "HTTP_PROXY", "AWS", "HTTP", "MOCK"]
    );
    // Typed text that is no prefix of it.
    let (_, _, items) = at(&yaml(
        "      IntegrationSubtype: SQS-SendMessage\n      IntegrationType: HTTP$0\n",
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn payload_format_version_is_quoted_in_yaml() {
    let props = "      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: $0\n";
    let (text, _, items) = at(&yaml(props));
    assert_eq!(labels(&items), ["\"1.0\""]);
    assert_eq!(items[0].insert_text, "\"1.0\"");
    assert!(accept(&text, &items[0]).contains("PayloadFormatVersion: \"1.0\"\n"));
    // Typed `1` unquoted: replaced by the quoted string.
    let (text, _, items) = at(&yaml(
        "      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: 1$0\n",
    ));
    assert_eq!(replaced(&text, &items[0]), "1");
    assert_eq!(items[0].insert_text, "\"1.0\"");
    // Inside quotes the quotes are the user's.
    let (_, _, items) = at(&yaml(
        "      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: '$0'\n",
    ));
    assert_eq!(labels(&items), ["1.0"]);
    assert_eq!(items[0].insert_text, "1.0");
}

#[test]
fn payload_format_version_in_flow_and_json() {
    let (_, _, items) = at("Resources:
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {IntegrationSubtype: SQS-SendMessage, PayloadFormatVersion: $0}
");
    assert_eq!(labels(&items), ["\"1.0\""]);
    let (_, _, items) = at(&json(
        "        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"PayloadFormatVersion\": \"$0\"",
    ));
    assert_eq!(labels(&items), ["1.0"]);
    assert_eq!(items[0].insert_text, "1.0");
    let (_, _, items) = at(&json(
        "        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"PayloadFormatVersion\": $0",
    ));
    assert_eq!(items[0].insert_text, "\"1.0\"");
    let (_, _, items) = at(&json(
        "        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"IntegrationType\": \"AWS$0\"",
    ));
    assert_eq!(labels(&items), ["AWS_PROXY"]);
}

// ---------------------------------------------------------------------------------------
// RequestParameters keys
// ---------------------------------------------------------------------------------------

const SEND: &str = "      ApiId: !Ref Api\n      IntegrationSubtype: SQS-SendMessage\n";

#[test]
fn keys_on_an_empty_line_required_first_present_left_out() {
    let (text, offset, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters:\n        QueueUrl: !Ref Queue\n        $0\n      CredentialsArn: x\n"
    )));
    let subtype = catalog::catalog()
        .subtype("SQS-SendMessage")
        .expect("subtype");
    let mut expected = vec!["MessageBody"];
    expected.extend(
        subtype
            .optional_params()
            .map(|p| p.name.as_str())
            .filter(|n| *n != "MessageBody"),
    );
    assert_eq!(sorted(&items), expected);
    assert!(!labels(&items).contains(&"QueueUrl"));
    // One missing required key: no "all required" snippet.
    assert!(items.iter().all(|i| i.kind == ItemKind::Property));
    let body = find(&items, "MessageBody");
    assert_eq!(body.detail.as_deref(), Some("required"));
    assert_eq!(body.insert_text, "MessageBody: ");
    assert_eq!(body.replace, offset..offset);
    assert_eq!(
        find(&items, "DelaySeconds").detail.as_deref(),
        Some("optional")
    );
    let done = accept(&text, body);
    assert!(done.contains("        QueueUrl: !Ref Queue\n        MessageBody: \n"));
}

#[test]
fn key_documentation_has_description_constraints_and_source() {
    let (_, _, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters:\n        $0\n"
    )));
    let subtype = catalog::catalog()
        .subtype("SQS-SendMessage")
        .expect("subtype");
    let p = subtype.param("DelaySeconds").expect("param");
    let doc = find(&items, "DelaySeconds")
        .documentation
        .clone()
        .unwrap_or_default();
    assert!(doc.contains(&p.description), "{doc}");
    assert!(doc.contains("optional"), "{doc}");
    assert!(doc.contains(&format!("Source: {}", p.source)), "{doc}");
    let constraints = crate::analysis::hover::constraints::lines(&p.constraints);
    assert!(!constraints.is_empty());
    for line in constraints {
        assert!(doc.contains(&line), "{line} missing from {doc}");
    }
}

#[test]
fn half_typed_key_line_filters_and_replaces_the_word() {
    // `        Mess` does not parse: the resource's segment is a syntax error.
    let (text, _, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters:\n        QueueUrl: x\n        Mess$0\n"
    )));
    let (doc, _) = open(&text);
    assert!(
        !doc.syntax_errors().is_empty(),
        "the fixture should not parse"
    );
    let got = sorted(&items);
    assert_eq!(got[0], "MessageBody");
    assert!(got.contains(&"MessageGroupId"), "{got:?}");
    assert!(!got.contains(&"DelaySeconds"), "{got:?}");
    for item in &items {
        assert_eq!(replaced(&text, item), "Mess");
    }
}

#[test]
fn key_with_a_colon_already_inserts_only_the_name() {
    let (text, _, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters:\n        QueueUrl: x\n        MessageB$0: hello\n"
    )));
    let item = find(&items, "MessageBody");
    assert_eq!(item.insert_text, "MessageBody");
    assert!(accept(&text, item).contains("        MessageBody: hello\n"));
}

#[test]
fn snippet_adds_every_missing_required_key_in_block_yaml() {
    let props = "      IntegrationSubtype: AppConfig-GetConfiguration\n      RequestParameters:\n        Environment: prod\n        $0\n";
    let (text, _, items) = at(&yaml(props));
    let snippet = &items[0];
    assert_eq!(snippet.kind, ItemKind::Snippet);
    assert_eq!(sorted(&items)[0], snippet.label);
    assert!(snippet.is_snippet);
    assert_eq!(
        snippet.insert_text,
        "Application: ${1}\n        Configuration: ${2}\n        ClientId: ${3}"
    );
    assert_eq!(
        snippet.detail.as_deref(),
        Some("Application, Configuration, ClientId")
    );
    // Required keys next, marked, then the optional ones.
    assert_eq!(
        sorted(&items)[1..],
        [
            "Application",
            "Configuration",
            "ClientId",
            "ClientConfigurationVersion",
            "Region"
        ]
    );
    // Accepting it (with values) leaves no missing required parameter.
    let filled = accept(&text, snippet)
        .replace("Application: \n", "Application: a\n")
        .replace("Configuration: \n", "Configuration: c\n")
        .replace("ClientId: \n", "ClientId: i\n");
    let (doc, _) = open(&filled);
    let codes: Vec<&str> = crate::analysis::analyze(&doc)
        .iter()
        .map(|f| f.code)
        .collect();
    assert!(
        !codes.contains(&"missing-required-parameter"),
        "{codes:?}\n{filled}"
    );
}

#[test]
fn keys_in_flow_yaml() {
    let (text, offset, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters: {{QueueUrl: x, $0}}\n"
    )));
    assert_eq!(sorted(&items)[0], "MessageBody");
    let item = find(&items, "MessageBody");
    assert_eq!(item.insert_text, "MessageBody: ");
    assert_eq!(item.replace, offset..offset);
    assert!(accept(&text, item).contains("{QueueUrl: x, MessageBody: }"));
    // Empty flow mapping: the snippet in flow form.
    let (text, _, items) = at(&yaml(&format!("{SEND}      RequestParameters: {{$0}}\n")));
    let snippet = &items[0];
    assert_eq!(snippet.kind, ItemKind::Snippet);
    assert_eq!(
        snippet.insert_text,
        "QueueUrl: ${1:value}, MessageBody: ${2:value}"
    );
    assert!(accept(&text, snippet).contains("{QueueUrl: value, MessageBody: value}"));
    // Unclosed flow mapping, half-typed key.
    let (text, _, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters: {{QueueUrl: x, Mes$0\n      CredentialsArn: x\n"
    )));
    assert_eq!(sorted(&items)[0], "MessageBody");
    assert_eq!(replaced(&text, &items[0]), "Mes");
}

#[test]
fn keys_in_a_multi_line_flow_mapping() {
    let (text, _, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters: {{\n        QueueUrl: x,\n        $0\n      }}\n      CredentialsArn: x\n"
    )));
    assert_eq!(sorted(&items)[0], "MessageBody");
    assert!(!labels(&items).contains(&"QueueUrl"));
    let done = accept(&text, find(&items, "MessageBody"));
    assert!(done.contains("        QueueUrl: x,\n        MessageBody: \n      }\n"));
}

#[test]
fn windows_line_endings() {
    let text = yaml(&format!(
        "{SEND}      RequestParameters:\n        QueueUrl: x\n        Message$0\n"
    ))
    .replace('\n', "\r\n");
    let (text, _, items) = at(&text);
    assert_eq!(sorted(&items)[0], "MessageBody");
    assert_eq!(replaced(&text, &items[0]), "Message");
    let (_, _, items) = at(&yaml("      IntegrationSubtype: SQS-Rec$0\n").replace('\n', "\r\n"));
    assert_eq!(labels(&items), ["SQS-ReceiveMessage"]);
}

#[test]
fn keys_in_json_with_and_without_the_opening_quote() {
    let props = "        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"RequestParameters\": {\"QueueUrl\": \"x\", \"Me$0\"}";
    let (text, _, items) = at(&json(props));
    let item = find(&items, "MessageBody");
    assert_eq!(sorted(&items)[0], "MessageBody");
    // The auto-closed quote is replaced too.
    assert_eq!(replaced(&text, item), "\"Me\"");
    assert_eq!(item.insert_text, "\"MessageBody\": ");
    assert!(accept(&text, item).contains(r#"{"QueueUrl": "x", "MessageBody": }"#));
    // Without a quote.
    let props = "        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"RequestParameters\": {\"QueueUrl\": \"x\", $0}";
    let (_, offset, items) = at(&json(props));
    let item = find(&items, "MessageBody");
    assert_eq!(item.insert_text, "\"MessageBody\": ");
    assert_eq!(item.replace, offset..offset);
    // Renaming a key that has a value: only the name, quotes kept.
    let props = "        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"RequestParameters\": {\"QueueUrl\": \"x\", \"Mess$0\": \"hello\"}";
    let (text, _, items) = at(&json(props));
    assert!(
        !labels(&items).contains(&"QueueUrl"),
        "{:?}",
        labels(&items)
    );
    let item = find(&items, "MessageBody");
    assert_eq!(item.insert_text, "\"MessageBody\"");
    assert!(accept(&text, item).contains(r#""MessageBody": "hello""#));
    // An unclosed quote (no auto-closing) before the existing `}`.
    let props = "        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"RequestParameters\": {\"QueueUrl\": \"x\", \"Dela$0}";
    let (text, _, items) = at(&json(props));
    assert_eq!(labels(&items), ["DelaySeconds"]);
    assert_eq!(replaced(&text, &items[0]), "\"Dela");
    assert_eq!(items[0].insert_text, "\"DelaySeconds\": ");
}

#[test]
fn snippet_in_pretty_printed_json() {
    let props = "        \"IntegrationSubtype\": \"Kinesis-PutRecord\",\n        \"RequestParameters\": {\n          $0\n        }";
    let (text, _, items) = at(&json(props));
    let snippet = &items[0];
    assert_eq!(snippet.kind, ItemKind::Snippet);
    assert_eq!(
        snippet.insert_text,
        "\"StreamName\": \"${1}\",\n          \"Data\": \"${2}\",\n          \"PartitionKey\": \"${3}\""
    );
    let done = accept(&text, snippet);
    let (doc, _) = open(&done);
    assert!(doc.syntax_errors().is_empty(), "{done}");
}

#[test]
fn no_keys_without_a_known_subtype() {
    let (_, _, items) = at(&yaml(
        "      IntegrationType: HTTP_PROXY\n      RequestParameters:\n        $0\n",
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
    let (_, _, items) = at(&yaml(
        "      IntegrationSubtype: Lambda-Invoke\n      RequestParameters:\n        $0\n",
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
}

// ---------------------------------------------------------------------------------------
// Values: mapping expressions
// ---------------------------------------------------------------------------------------

fn send_value(value: &str) -> String {
    yaml(&format!(
        "{SEND}      RequestParameters:\n        QueueUrl: x\n        MessageBody: {value}\n      CredentialsArn: x\n"
    ))
}

#[test]
fn empty_value_and_dollar_offer_the_three_roots() {
    for value in ["$0", "$$0"] {
        let (text, _, items) = at(&send_value(value));
        assert_eq!(
            labels(&items),
            ["$request.", "$context.", "$stageVariables."],
            "{value}"
        );
        let item = &items[0];
        assert_eq!(item.insert_text, "$request.");
        assert!(item.retrigger && !item.is_snippet);
        assert_eq!(item.kind, ItemKind::Module);
        assert_eq!(replaced(&text, item), value.trim_end_matches("$0"));
    }
    let (_, _, items) = at(&send_value("$st$0"));
    assert_eq!(labels(&items), ["$stageVariables."]);
}

#[test]
fn request_parts_replace_from_the_dollar() {
    let (text, _, items) = at(&send_value("$request.$0"));
    assert_eq!(
        sorted(&items),
        ["header.", "querystring.", "path.", "body", "body."]
    );
    let header = find(&items, "header.");
    assert_eq!(header.insert_text, "$request.header.");
    assert_eq!(header.filter_text.as_deref(), Some("$request.header."));
    assert_eq!(replaced(&text, header), "$request.");
    assert!(header.retrigger);
    let body = find(&items, "body");
    assert_eq!(body.insert_text, "$request.body");
    assert!(!body.retrigger);
    assert_eq!(body.kind, ItemKind::Variable);
    assert!(find(&items, "body.").retrigger);
}

#[test]
fn half_typed_expression_on_a_new_last_line() {
    // Just typed at the end of the document, no newline after it.
    let text = format!(
        "{API}  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n{SEND}      RequestParameters:\n        QueueUrl: x\n        MessageBody: $request.he$0"
    );
    let (text, _, items) = at(&text);
    assert_eq!(labels(&items), ["header."]);
    assert_eq!(replaced(&text, &items[0]), "$request.he");
    // Nothing to offer for header names.
    let (_, _, items) = at(&send_value("$request.header.x$0"));
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn path_variables_come_from_the_routes_targeting_the_integration() {
    let (text, _, items) = at(&send_value("$request.path.$0"));
    assert_eq!(labels(&items), ["orderId", "proxy", "itemId"]);
    let order = find(&items, "orderId");
    assert_eq!(
        order.detail.as_deref(),
        Some("POST /orders/{orderId}/{proxy+}, GET /orders/{orderId}/items/{itemId}")
    );
    assert_eq!(order.insert_text, "$request.path.orderId");
    assert_eq!(replaced(&text, order), "$request.path.");
    assert!(!order.retrigger);
    assert!(
        find(&items, "proxy")
            .documentation
            .as_deref()
            .is_some_and(|d| d.contains("greedy"))
    );
    let (_, _, items) = at(&send_value("$request.path.it$0"));
    assert_eq!(labels(&items), ["itemId"]);
}

#[test]
fn context_variables_level_by_level_request_phase_first() {
    let (text, _, items) = at(&send_value("$context.$0"));
    let order = sorted(&items);
    let phase_of = |label: &str| {
        let path = label.trim_end_matches('.');
        catalog::catalog()
            .context_children("")
            .into_iter()
            .find(|c| c.segment == path)
            .map(|c| c.phase())
    };
    let first_response = order
        .iter()
        .position(|l| phase_of(l) == Some(catalog::Phase::Response))
        .expect("a response-phase variable");
    assert!(
        order[..first_response]
            .iter()
            .all(|l| phase_of(l) == Some(catalog::Phase::Request))
    );
    assert!(
        order[first_response..]
            .iter()
            .all(|l| phase_of(l) == Some(catalog::Phase::Response))
    );
    let identity = find(&items, "identity.");
    assert!(identity.retrigger);
    assert_eq!(identity.insert_text, "$context.identity.");
    assert_eq!(replaced(&text, identity), "$context.");
    let request_id = find(&items, "requestId");
    assert_eq!(request_id.insert_text, "$context.requestId");
    assert!(
        request_id
            .documentation
            .as_deref()
            .is_some_and(|d| d.contains("ID API Gateway assigned to the request"))
    );
    assert!(
        find(&items, "integrationLatency")
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("response phase"))
    );

    let (_, _, items) = at(&send_value("$context.identity.$0"));
    let got = labels(&items);
    for want in ["sourceIp", "userAgent", "clientCert."] {
        assert!(got.contains(&want), "{want} missing from {got:?}");
    }
    assert!(!got.contains(&"requestId"), "{got:?}");
    let (_, _, items) = at(&send_value("$context.identity.clientCert.$0"));
    assert!(
        labels(&items).contains(&"validity."),
        "{:?}",
        labels(&items)
    );
    let (_, _, items) = at(&send_value("$context.identity.sou$0"));
    assert_eq!(labels(&items), ["sourceIp"]);
}

#[test]
fn context_placeholder_families_insert_a_snippet() {
    let (_, _, items) = at(&send_value("$context.authorizer.claims.$0"));
    let item = find(&items, "{property}");
    assert!(item.is_snippet);
    assert_eq!(
        item.insert_text,
        "\\$context.authorizer.claims.${1:property}"
    );
}

#[test]
fn stage_variables_of_the_integration_api() {
    let (_, _, items) = at(&send_value("$stageVariables.$0"));
    assert_eq!(labels(&items), ["queue", "region"]);
    let queue = find(&items, "queue");
    assert_eq!(
        queue.detail.as_deref(),
        Some("prod: orders; dev: orders-dev")
    );
    assert_eq!(queue.insert_text, "$stageVariables.queue");
}

#[test]
fn braced_expression_inside_a_longer_value() {
    // Closed already: no `}` added.
    let (text, _, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters:\n        QueueUrl: x\n        MessageAttributes: '{{\"a\":{{\"StringValue\":\"${{request.he$0}}\"}}}}'\n"
    )));
    assert_eq!(labels(&items), ["header."]);
    assert_eq!(replaced(&text, &items[0]), "request.he");
    assert_eq!(items[0].insert_text, "request.header.");
    // Not closed: `}` added after the cursor's final position.
    let (text, _, items) = at(&send_value("prefix-${con$0"));
    assert_eq!(labels(&items), ["context."]);
    let item = &items[0];
    assert_eq!(replaced(&text, item), "con");
    assert!(item.is_snippet && item.retrigger);
    assert_eq!(item.insert_text, "context.$0\\}");
    let (text, _, items) = at(&send_value("prefix-${context.identity.sou$0"));
    assert_eq!(labels(&items), ["sourceIp"]);
    assert_eq!(items[0].insert_text, "context.identity.sourceIp}");
    assert!(
        accept(&text, &items[0]).contains("MessageBody: prefix-${context.identity.sourceIp}\n")
    );
    // Roots right after `${`.
    let (_, _, items) = at(&send_value("\"a ${$0}\""));
    assert_eq!(labels(&items), ["request.", "context.", "stageVariables."]);
    assert_eq!(items[0].insert_text, "request.");
}

#[test]
fn dollar_after_text_becomes_a_braced_expression() {
    let (text, _, items) = at(&send_value("id-$req$0"));
    assert_eq!(labels(&items), ["$request."]);
    let item = &items[0];
    assert_eq!(replaced(&text, item), "$req");
    assert_eq!(item.insert_text, "\\${request.$0\\}");
}

#[test]
fn braced_expression_in_a_block_scalar() {
    let (text, _, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters:\n        QueueUrl: x\n        MessageAttributes: |\n          {{\"a\": {{\"StringValue\": \"${{stageVariables.$0\"}}}}\n"
    )));
    assert_eq!(labels(&items), ["queue", "region"]);
    assert_eq!(replaced(&text, &items[0]), "stageVariables.");
    assert_eq!(items[0].insert_text, "stageVariables.queue}");
}

#[test]
fn expressions_in_flow_yaml() {
    let (text, _, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters: {{QueueUrl: x, MessageBody: $request.$0}}\n"
    )));
    assert_eq!(labels(&items).len(), 5);
    assert_eq!(replaced(&text, find(&items, "body")), "$request.");
    assert!(
        accept(&text, find(&items, "body")).contains("{QueueUrl: x, MessageBody: $request.body}")
    );
}

#[test]
fn expressions_in_json() {
    let props = |value: &str| {
        format!(
            "        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"RequestParameters\": {{\"QueueUrl\": \"x\", \"MessageBody\": {value}}}"
        )
    };
    let (text, _, items) = at(&json(&props("\"$request.path.$0\"")));
    assert_eq!(labels(&items), ["cartId"]);
    assert_eq!(items[0].insert_text, "$request.path.cartId");
    assert_eq!(replaced(&text, &items[0]), "$request.path.");
    let (_, _, items) = at(&json(&props("\"$stageVariables.$0\"")));
    assert_eq!(labels(&items), ["table"]);
    // Unquoted: quotes added, the cursor kept inside for the next level.
    let (text, _, items) = at(&json(&props("$req$0")));
    assert_eq!(labels(&items), ["$request."]);
    assert_eq!(items[0].insert_text, "\"\\$request.$0\"");
    assert_eq!(replaced(&text, &items[0]), "$req");
    // Braced inside a JSON string.
    let (_, _, items) = at(&json(&props(
        "\"{\\\"ip\\\": \\\"${context.identity.sourceI$0}\\\"}\"",
    )));
    assert_eq!(labels(&items), ["sourceIp"]);
    assert_eq!(items[0].insert_text, "context.identity.sourceIp");
}

// ---------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------

#[test]
fn non_ascii_text_before_the_cursor() {
    let (text, _, items) = at(&yaml(&format!(
        "      Description: «Bestellungen» für Käufer — 注文\n{SEND}      RequestParameters:\n        QueueUrl: x\n        MessageBody: 'Grüße ${{request.he$0'\n"
    )));
    assert_eq!(labels(&items), ["header."]);
    assert_eq!(replaced(&text, &items[0]), "request.he");
    let start = text.find("request.he").expect("in text");
    assert_eq!(items[0].replace.start, start);
    assert_eq!(items[0].insert_text, "request.header.$0\\}");
    // Non-ASCII key being typed.
    let (text, _, items) = at(&yaml(&format!(
        "{SEND}      RequestParameters:\n        QueueUrl: é\n        Mé$0\n"
    )));
    assert!(items.is_empty() || replaced(&text, &items[0]) == "Mé");
}

#[test]
fn json_that_does_not_parse_still_completes() {
    // The unclosed string swallows the rest of the line; the document has errors.
    let text = r#"{
  "Resources": {
    "Int": {
      "Type": "AWS::ApiGatewayV2::Integration",
      "Properties": {
        "IntegrationSubtype": "SQS-DeleteMessage",
        "RequestParameters": {
          "QueueUrl": "x",
          "Rec$0
        }
      }
    },
    "Other": {"Type": "AWS::SQS::Queue"}
  }
}"#;
    let (text, _, items) = at(text);
    let (doc, _) = open(&text);
    assert!(!doc.syntax_errors().is_empty());
    assert_eq!(labels(&items), ["ReceiptHandle"]);
    assert_eq!(items[0].insert_text, "\"ReceiptHandle\": ");
    assert_eq!(replaced(&text, &items[0]), "\"Rec");
}

#[test]
fn json_resource_with_unbalanced_brackets_elsewhere() {
    // The unclosed string is not where the cursor is: the resource's brackets never
    // balance, so it is cut at the next resource's key and closed for the repaired parse.
    let text = r#"{
  "Resources": {
    "Int": {
      "Type": "AWS::ApiGatewayV2::Integration",
      "Properties": {
        "IntegrationSubtype": "SQS-SendMessage",
        "PayloadFormatVersion": "$0",
        "RequestParameters": {"QueueUrl": "x", "Mess
      }
    },
    "Other": {"Type": "AWS::SQS::Queue"}
  }
}"#;
    let (_, _, items) = at(text);
    assert_eq!(labels(&items), ["1.0"]);
}

#[test]
fn a_broken_resource_before_does_not_matter() {
    let text = format!(
        "{API}  Broken:\n    Type: [unclosed\n    Properties: {{\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: StepFunctions-StartExecution\n      RequestParameters:\n        StateMachineArn: x\n        In$0\n"
    );
    let (text, _, items) = at(&text);
    assert_eq!(labels(&items), ["Input"]);
    assert_eq!(replaced(&text, &items[0]), "In");
}

#[test]
fn flow_style_resources_section() {
    let (_, _, items) = at(
        "Resources: {Int: {Type: AWS::ApiGatewayV2::Integration, Properties: {IntegrationSubtype: SQS-PurgeQueue, RequestParameters: {$0}}}}\n",
    );
    assert_eq!(labels(&items), ["QueueUrl", "Region"]);
}

#[test]
fn nothing_outside_templates() {
    let (_, _, items) =
        at("kind: Config\nspec:\n  RequestParameters:\n    Que$0\n  IntegrationSubtype: SQS-\n");
    assert!(items.is_empty(), "{:?}", labels(&items));
    let (_, _, items) = at(
        "Outputs:\n  Int:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: $0\n",
    );
    assert!(items.is_empty(), "{:?}", labels(&items));
    let (_, _, items) = at(r#"{"name": "x", "RequestParameters": {"Que$0"}}"#);
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn nothing_where_there_is_nothing_to_offer() {
    for props in [
        // A resource type value, a resource name, another resource's property.
        "      IntegrationUri: $0\n",
        "      IntegrationSubtype: !Ref Sub$0\n",
        "      RequestParameters:\n        QueueUrl: !Sub '${request.$0'\n",
        "      IntegrationSubtype: SQS-SendMessage\n      RequestParameters:\n        QueueUrl: literal text$0\n",
        "      IntegrationSubtype: SQS-SendMessage\n      RequestParameters:\n        QueueUrl: $request.body.x$0\n",
    ] {
        let (_, _, items) = at(&yaml(props));
        assert!(items.is_empty(), "{props}: {:?}", labels(&items));
    }
    let (_, _, items) = at(&format!(
        "{API}  In$0t:\n    Type: AWS::ApiGatewayV2::Integration\n"
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
    let (_, _, items) = at(&format!(
        "{API}  Int:\n    Type: AWS::ApiGatewayV2::Integr$0\n"
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
    // A queue's properties are not an integration's.
    let (_, _, items) = at(&format!(
        "{API}  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      IntegrationSubtype: $0\n"
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
    // Offsets past the end are clamped.
    let (text, _) = cursor(&yaml("      IntegrationSubtype: $0\n"));
    let (doc, index) = open(&text);
    let _ = complete(&doc, &index, text.len() + 10);
}

#[test]
fn typing_a_mapping_character_by_character() {
    use crate::model::index::Index;
    let start = yaml(&format!(
        "{SEND}      RequestParameters:\n        QueueUrl: x\n        $0\n      CredentialsArn: x\n"
    ));
    let (text, mut offset) = cursor(&start);
    let (mut doc, _) = open(&text);
    let typed = "MessageBody: $request.header.x";
    for c in typed.chars() {
        doc.apply_edit(offset..offset, c.encode_utf8(&mut [0; 4]));
        offset += c.len_utf8();
        let index = Index::of(&doc);
        let items = complete(&doc, &index, offset);
        let now = doc.text();
        let line = &now[now[..offset].rfind('\n').map_or(0, |i| i + 1)..offset];
        match line.trim_start() {
            "M" | "Messa" => assert_eq!(sorted(&items)[0], "MessageBody", "{line}"),
            "MessageBody: $" => assert_eq!(labels(&items)[0], "$request.", "{line}"),
            "MessageBody: $request.h" => assert_eq!(labels(&items), ["header."], "{line}"),
            "MessageBody: $request.header.x" => assert!(items.is_empty(), "{line}"),
            _ => {}
        }
    }
}

#[test]
fn every_offset_is_safe() {
    let fixtures = [
        yaml(&format!(
            "      Description: «Grüße» 注文\n{SEND}      RequestParameters:\n        QueueUrl: 'é ${{request.header.ü}}'\n        MessageBody: {{a: \"${{context.x\", b: [1, {{c: d}}]}}\n        Mess\n"
        )),
        json(
            "        \"IntegrationSubtype\": \"SQS-SendMessage\",\n        \"RequestParameters\": {\"QueueUrl\": \"é\\\"\", \"Mess",
        ),
        "Resources: {Int: {Type: AWS::ApiGatewayV2::Integration, Properties: {RequestParameters: {a: '${".to_string(),
    ];
    for text in &fixtures {
        let (doc, index) = open(text);
        // The integration and what follows it closely.
        let from = text.find("Int").unwrap_or(0);
        let to = text.find("Route:").unwrap_or(text.len());
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            if (from..=to).contains(&offset) {
                let _ = complete(&doc, &index, offset);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// OpenAPI `x-amazon-apigateway-integration`
// ---------------------------------------------------------------------------------------

/// A standalone OpenAPI YAML document: `op` are the fields of `POST /orders/{orderId}`
/// (indented by eight spaces), `default` those of the `/$default` ANY method (eight) and
/// `shared` those of the shared integration `startRun` (six), which `PUT /runs/{runName}`
/// and `ANY /jobs/{jobId}/{rest+}` reference.
fn oas(op: &str, default: &str, shared: &str) -> String {
    format!(
        r##"openapi: "3.0.1"
info:
  title: orders-api
  version: "1.0"
paths:
  /orders/{{orderId}}:
    post:
      x-amazon-apigateway-integration:
{op}  /runs/{{runName}}:
    put:
      x-amazon-apigateway-integration:
        $ref: "#/components/x-amazon-apigateway-integrations/startRun"
  /jobs/{{jobId}}/{{rest+}}:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        $ref: '#/components/x-amazon-apigateway-integrations/startRun'
  /$default:
    x-amazon-apigateway-any-method:
      isDefaultRoute: true
      x-amazon-apigateway-integration:
{default}components:
  x-amazon-apigateway-integrations:
    startRun:
{shared}    other:
      type: aws_proxy
"##
    )
}

const OP_SEND: &str = "        type: aws_proxy\n        integrationSubtype: SQS-SendMessage\n";
const FILLER: &str = "        type: aws_proxy\n";
const SHARED_FILLER: &str = "      type: aws_proxy\n";

/// `oas` with the cursor in the operation's fields.
fn oas_op(op: &str) -> String {
    oas(op, FILLER, SHARED_FILLER)
}

fn oas_op_value(value: &str) -> String {
    oas_op(&format!(
        "{OP_SEND}        requestParameters:\n          QueueUrl: x\n          MessageBody: {value}\n        payloadFormatVersion: \"1.0\"\n"
    ))
}

#[test]
fn openapi_yaml_subtypes_on_operations_any_method_and_components() {
    let (_, offset, items) = at(&oas_op(
        "        integrationSubtype: $0\n        type: aws_proxy\n",
    ));
    assert_eq!(items.len(), 10);
    let sqs = find(&items, "SQS-SendMessage");
    assert_eq!(sqs.insert_text, "SQS-SendMessage");
    assert_eq!(sqs.replace, offset..offset);
    assert_eq!(sqs.detail.as_deref(), Some("SQS SendMessage"));
    // `/$default` with the ANY method.
    let (_, _, items) = at(&oas(
        FILLER,
        "        integrationSubtype: Event$0\n",
        SHARED_FILLER,
    ));
    assert_eq!(labels(&items), ["EventBridge-PutEvents"]);
    // A shared integration.
    let (text, _, items) = at(&oas(
        FILLER,
        FILLER,
        "      integrationSubtype: StepFunctions-St$0\n",
    ));
    assert_eq!(
        labels(&items),
        [
            "StepFunctions-StartExecution",
            "StepFunctions-StartSyncExecution",
            "StepFunctions-StopExecution"
        ]
    );
    assert_eq!(replaced(&text, &items[0]), "StepFunctions-St");
    // The CloudFormation spelling is not an OpenAPI field.
    let (_, _, items) = at(&oas_op("        IntegrationSubtype: $0\n"));
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn openapi_yaml_type_and_payload_format_version() {
    let (text, _, items) = at(&oas_op(
        "        integrationSubtype: SQS-SendMessage\n        type: $0\n",
    ));
    assert_eq!(labels(&items), ["aws_proxy"]);
    assert!(
        items[0]
            .documentation
            .as_deref()
            .is_some_and(|d| d.contains("`integrationSubtype`"))
    );
    assert!(accept(&text, &items[0]).contains("        type: aws_proxy\n"));
    let (_, _, items) = at(&oas_op(
        "        integrationSubtype: SQS-SendMessage\n        type: AWS$0\n",
    ));
    assert_eq!(labels(&items), ["aws_proxy"]);
    // No subtype: the two types an HTTP API accepts.
    let (_, _, items) = at(&oas_op("        type: $0\n        httpMethod: POST\n"));
    assert_eq!(sorted(&items), ["aws_proxy", "http_proxy"]);
    let (text, _, items) = at(&oas_op(&format!(
        "{OP_SEND}        payloadFormatVersion: $0\n"
    )));
    assert_eq!(labels(&items), ["\"1.0\""]);
    assert!(accept(&text, &items[0]).contains("        payloadFormatVersion: \"1.0\"\n"));
    let (_, _, items) = at(&oas(
        FILLER,
        FILLER,
        "      integrationSubtype: StepFunctions-StartExecution\n      payloadFormatVersion: '$0'\n",
    ));
    assert_eq!(labels(&items), ["1.0"]);
}

#[test]
fn openapi_yaml_request_parameter_keys() {
    let (text, offset, items) = at(&oas_op(&format!(
        "{OP_SEND}        requestParameters:\n          QueueUrl: x\n          $0\n        credentials: arn:aws:iam::123456789012:role/r\n"
    )));
    assert_eq!(sorted(&items)[0], "MessageBody");
    assert!(!labels(&items).contains(&"QueueUrl"));
    let body = find(&items, "MessageBody");
    assert_eq!(body.detail.as_deref(), Some("required"));
    assert_eq!(body.replace, offset..offset);
    assert!(accept(&text, body).contains("          QueueUrl: x\n          MessageBody: \n"));
    // Every missing required key at once.
    let (_, _, items) = at(&oas_op(
        "        integrationSubtype: AppConfig-GetConfiguration\n        requestParameters:\n          $0\n",
    ));
    assert_eq!(items[0].kind, ItemKind::Snippet);
    assert_eq!(
        items[0].insert_text,
        "Application: ${1}\n          Environment: ${2}\n          Configuration: ${3}\n          ClientId: ${4}"
    );
    // The CloudFormation spelling holds no parameters here.
    let (_, _, items) = at(&oas_op(&format!(
        "{OP_SEND}        RequestParameters:\n          $0\n"
    )));
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn openapi_yaml_half_typed_lines() {
    let (text, _, items) = at(&oas_op(&format!(
        "{OP_SEND}        requestParameters:\n          QueueUrl: x\n          Mess$0\n"
    )));
    let (doc, _) = open(&text);
    assert!(
        !doc.syntax_errors().is_empty(),
        "the fixture should not parse"
    );
    assert_eq!(sorted(&items)[0], "MessageBody");
    for item in &items {
        assert_eq!(replaced(&text, item), "Mess");
    }
    // In a shared integration, with the operations using it below and above.
    let (text, _, items) = at(&oas(
        FILLER,
        FILLER,
        "      integrationSubtype: StepFunctions-StartExecution\n      requestParameters:\n        StateMachineArn: x\n        In$0\n",
    ));
    assert_eq!(labels(&items), ["Input"]);
    assert_eq!(replaced(&text, &items[0]), "In");
    // Half-typed value in a flow mapping.
    let (_, _, items) = at(&oas_op(&format!(
        "{OP_SEND}        requestParameters: {{QueueUrl: x, MessageBody: $request.he$0\n        credentials: x\n"
    )));
    assert_eq!(labels(&items), ["header."]);
}

#[test]
fn openapi_yaml_expressions_and_path_variables_of_the_operation() {
    let (text, _, items) = at(&oas_op_value("$0"));
    assert_eq!(
        labels(&items),
        ["$request.", "$context.", "$stageVariables."]
    );
    let (_, _, items) = at(&oas_op_value("$request.$0"));
    assert_eq!(labels(&items).len(), 5);
    let (_, _, items) = at(&oas_op_value("$request.path.$0"));
    assert_eq!(labels(&items), ["orderId"]);
    assert_eq!(items[0].insert_text, "$request.path.orderId");
    assert_eq!(items[0].detail.as_deref(), Some("POST /orders/{orderId}"));
    let (_, _, items) = at(&oas_op_value("$context.identity.sou$0"));
    assert_eq!(labels(&items), ["sourceIp"]);
    // A standalone document has no stages.
    let (_, _, items) = at(&oas_op_value("$stageVariables.$0"));
    assert!(items.is_empty(), "{:?}", labels(&items));
    // Braced, closed and not.
    let (_, _, items) = at(&oas_op_value(
        "'{\"ip\": \"${context.identity.sourceI$0}\"}'",
    ));
    assert_eq!(labels(&items), ["sourceIp"]);
    assert_eq!(items[0].insert_text, "context.identity.sourceIp");
    let (_, _, items) = at(&oas_op_value("id-${request.path.$0"));
    assert_eq!(labels(&items), ["orderId"]);
    assert_eq!(items[0].insert_text, "request.path.orderId}");
    let _ = text;
    // `/$default` has no path variables.
    let (_, _, items) = at(&oas(
        FILLER,
        "        integrationSubtype: EventBridge-PutEvents\n        requestParameters:\n          Detail: $request.path.$0\n",
        SHARED_FILLER,
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn openapi_shared_integration_offers_the_variables_of_every_path_using_it() {
    let (_, _, items) = at(&oas(
        FILLER,
        FILLER,
        "      integrationSubtype: StepFunctions-StartExecution\n      requestParameters:\n        StateMachineArn: x\n        Name: $request.path.$0\n",
    ));
    assert_eq!(labels(&items), ["runName", "jobId", "rest"]);
    assert_eq!(
        find(&items, "runName").detail.as_deref(),
        Some("PUT /runs/{runName}")
    );
    assert!(
        find(&items, "rest")
            .documentation
            .as_deref()
            .is_some_and(|d| d.contains("greedy") && d.contains("ANY /jobs/{jobId}/{rest+}"))
    );
    // An unused shared integration: no path variables.
    let text = oas(FILLER, FILLER, SHARED_FILLER).replace(
        "    other:\n      type: aws_proxy\n",
        "    other:\n      integrationSubtype: SQS-SendMessage\n      requestParameters:\n        MessageBody: $request.path.$0\n",
    );
    let (_, _, items) = at(&text);
    assert!(items.is_empty(), "{:?}", labels(&items));
    // Keys of a shared integration: required first, present left out.
    let (_, _, items) = at(&oas(
        FILLER,
        FILLER,
        "      integrationSubtype: StepFunctions-StartExecution\n      requestParameters:\n        $0\n        Input: $request.body\n",
    ));
    assert_eq!(sorted(&items)[0], "StateMachineArn");
    assert!(!labels(&items).contains(&"Input"));
}

/// A standalone OpenAPI JSON document with `op` as the members of
/// `POST /carts/{cartId}`'s integration and `shared` as those of `startRun`, which
/// `PUT /runs/{runName}` references.
fn oas_json(op: &str, shared: &str) -> String {
    format!(
        r##"{{
  "openapi": "3.0.1",
  "info": {{"title": "carts", "version": "1.0"}},
  "paths": {{
    "/carts/{{cartId}}": {{
      "post": {{
        "x-amazon-apigateway-integration": {{
{op}
        }}
      }}
    }},
    "/runs/{{runName}}": {{
      "put": {{
        "x-amazon-apigateway-integration": {{"$ref": "#/components/x-amazon-apigateway-integrations/startRun"}}
      }}
    }}
  }},
  "components": {{
    "x-amazon-apigateway-integrations": {{
      "startRun": {{
{shared}
      }}
    }}
  }}
}}"##
    )
}

const JSON_FILLER: &str = "          \"type\": \"aws_proxy\"";

#[test]
fn openapi_json_every_context() {
    let op = |members: &str| oas_json(members, JSON_FILLER);
    let (text, _, items) = at(&op("          \"integrationSubtype\": \"SQS-$0\""));
    assert_eq!(labels(&items).len(), 4);
    assert_eq!(replaced(&text, &items[0]), "SQS-");
    let (_, _, items) = at(&op("          \"integrationSubtype\": $0"));
    assert_eq!(
        find(&items, "SQS-SendMessage").insert_text,
        "\"SQS-SendMessage\""
    );
    let send = "          \"integrationSubtype\": \"SQS-SendMessage\",\n";
    let (_, _, items) = at(&op(&format!("{send}          \"type\": \"$0\"")));
    assert_eq!(labels(&items), ["aws_proxy"]);
    let (_, _, items) = at(&op(&format!(
        "{send}          \"payloadFormatVersion\": $0"
    )));
    assert_eq!(items[0].insert_text, "\"1.0\"");
    let (text, _, items) = at(&op(&format!(
        "{send}          \"requestParameters\": {{\"QueueUrl\": \"x\", \"Me$0\"}}"
    )));
    assert_eq!(sorted(&items)[0], "MessageBody");
    assert_eq!(replaced(&text, &items[0]), "\"Me\"");
    let (_, _, items) = at(&op(&format!(
        "{send}          \"requestParameters\": {{\"QueueUrl\": \"x\", \"MessageBody\": \"$request.path.$0\"}}"
    )));
    assert_eq!(labels(&items), ["cartId"]);
    let (_, _, items) = at(&op(&format!(
        "{send}          \"requestParameters\": {{\"MessageBody\": \"$stageVariables.$0\"}}"
    )));
    assert!(items.is_empty(), "{:?}", labels(&items));
    // Shared integration in `components`.
    let (_, _, items) = at(&oas_json(
        JSON_FILLER,
        "        \"integrationSubtype\": \"StepFunctions-StartExecution\",\n        \"requestParameters\": {\"StateMachineArn\": \"x\", \"Name\": \"$request.path.$0\"}",
    ));
    assert_eq!(labels(&items), ["runName"]);
    let (_, _, items) = at(&oas_json(
        JSON_FILLER,
        "        \"integrationSubtype\": \"SQS-SendMessage\",\n        \"requestParameters\": {\n          $0\n        }",
    ));
    assert_eq!(items[0].kind, ItemKind::Snippet);
    assert_eq!(
        items[0].insert_text,
        "\"QueueUrl\": \"${1}\",\n          \"MessageBody\": \"${2}\""
    );
}

#[test]
fn openapi_json_half_typed_strings() {
    // The unclosed string breaks the document's tree.
    let text = oas_json(
        "          \"integrationSubtype\": \"SQS-DeleteMessage\",\n          \"requestParameters\": {\n            \"QueueUrl\": \"x\",\n            \"Rec$0\n          }",
        JSON_FILLER,
    );
    let (text, _, items) = at(&text);
    let (doc, _) = open(&text);
    assert!(!doc.syntax_errors().is_empty());
    assert_eq!(labels(&items), ["ReceiptHandle"]);
    assert_eq!(items[0].insert_text, "\"ReceiptHandle\": ");
    let text = oas_json(
        JSON_FILLER,
        "        \"integrationSubtype\": \"StepFunctions-StartExecution\",\n        \"requestParameters\": {\"Name\": \"$request.path.r$0}",
    );
    let (_, _, items) = at(&text);
    assert_eq!(labels(&items), ["runName"]);
}

/// A SAM template whose `HttpApi` has an inline body: `op` are the fields of
/// `POST /orders/{orderId}` (sixteen spaces), `shared` those of `startRun` (fourteen),
/// which `PUT /runs/{runName}` references.
fn sam(op: &str, shared: &str) -> String {
    format!(
        r##"Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: prod
      StageVariables:
        queue: orders
      DefinitionBody:
        openapi: "3.0.1"
        info: {{ title: orders, version: "1.0" }}
        paths:
          /orders/{{orderId}}:
            post:
              x-amazon-apigateway-integration:
{op}          /runs/{{runName}}:
            put:
              x-amazon-apigateway-integration:
                $ref: "#/components/x-amazon-apigateway-integrations/startRun"
        components:
          x-amazon-apigateway-integrations:
            startRun:
{shared}  OrdersApiRole:
    Type: AWS::IAM::Role
  Beta:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref OrdersApi
      StageName: beta
      StageVariables:
        region: eu-west-1
  OtherStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref OtherApi
      StageVariables:
        foreign: x
"##
    )
}

const SAM_OP: &str = "                type: aws_proxy\n                integrationSubtype: SQS-SendMessage\n                credentials: !GetAtt OrdersApiRole.Arn\n";
const SAM_SHARED: &str = "              type: aws_proxy\n";

#[test]
fn sam_definition_body_every_context() {
    let (_, _, items) = at(&sam(
        "                integrationSubtype: $0\n                credentials: !GetAtt OrdersApiRole.Arn\n",
        SAM_SHARED,
    ));
    assert_eq!(items.len(), 10);
    let (_, _, items) = at(&sam(
        "                integrationSubtype: SQS-SendMessage\n                type: $0\n",
        SAM_SHARED,
    ));
    assert_eq!(labels(&items), ["aws_proxy"]);
    let (_, _, items) = at(&sam(
        &format!("{SAM_OP}                payloadFormatVersion: $0\n"),
        SAM_SHARED,
    ));
    assert_eq!(labels(&items), ["\"1.0\""]);
    let (_, _, items) = at(&sam(
        &format!(
            "{SAM_OP}                requestParameters:\n                  QueueUrl: !Ref OrdersQueue\n                  $0\n"
        ),
        SAM_SHARED,
    ));
    assert_eq!(sorted(&items)[0], "MessageBody");
    assert!(!labels(&items).contains(&"QueueUrl"));
    let value = |v: &str| {
        sam(
            &format!(
                "{SAM_OP}                requestParameters:\n                  QueueUrl: !Ref OrdersQueue\n                  MessageBody: {v}\n"
            ),
            SAM_SHARED,
        )
    };
    let (_, _, items) = at(&value("$request.path.$0"));
    assert_eq!(labels(&items), ["orderId"]);
    // The HttpApi's own stage and the stages attached to it, not other APIs'.
    let (_, _, items) = at(&value("$stageVariables.$0"));
    assert_eq!(labels(&items), ["queue", "region"]);
    let (_, _, items) = at(&value("'${stageVariables.q$0}'"));
    assert_eq!(labels(&items), ["queue"]);
    // Shared integration inline.
    let (_, _, items) = at(&sam(
        SAM_OP,
        "              integrationSubtype: StepFunctions-StartExecution\n              requestParameters:\n                Name: $request.path.$0\n",
    ));
    assert_eq!(labels(&items), ["runName"]);
}

#[test]
fn sam_definition_body_half_typed_lines() {
    let (text, _, items) = at(&sam(
        &format!(
            "{SAM_OP}                requestParameters:\n                  QueueUrl: !Ref OrdersQueue\n                  Mess$0\n"
        ),
        SAM_SHARED,
    ));
    let (doc, _) = open(&text);
    assert!(
        !doc.syntax_errors().is_empty(),
        "the fixture should not parse"
    );
    assert_eq!(sorted(&items)[0], "MessageBody");
    assert_eq!(replaced(&text, &items[0]), "Mess");
    let (text, _, items) = at(&sam(
        SAM_SHARED,
        "              integrationSubtype: StepFunctions-StartExecution\n              requestParameters:\n                StateMachineArn: x\n                In$0\n",
    ));
    assert_eq!(labels(&items), ["Input"]);
    assert_eq!(replaced(&text, &items[0]), "In");
    let (_, _, items) = at(&sam(
        "                integrationSubtype: 'Kin$0\n",
        SAM_SHARED,
    ));
    assert_eq!(labels(&items), ["Kinesis-PutRecord"]);
    assert_eq!(items[0].insert_text, "Kinesis-PutRecord'");
}

#[test]
fn api_body_in_a_json_template() {
    let text = r##"{
  "Resources": {
    "Api": {
      "Type": "AWS::ApiGatewayV2::Api",
      "Properties": {
        "Body": {
          "openapi": "3.0.1",
          "paths": {
            "/carts/{cartId}": {
              "put": {
                "x-amazon-apigateway-integration": {
                  "integrationSubtype": "SQS-SendMessage",
                  "credentials": {"Fn::GetAtt": ["Role", "Arn"]},
                  "requestParameters": {"QueueUrl": {"Ref": "Queue"}, "MessageBody": "$request.path.$0"}
                }
              }
            }
          }
        }
      }
    },
    "Prod": {
      "Type": "AWS::ApiGatewayV2::Stage",
      "Properties": {"ApiId": {"Ref": "Api"}, "StageName": "prod", "StageVariables": {"table": "carts"}}
    }
  }
}"##;
    let (_, _, items) = at(text);
    assert_eq!(labels(&items), ["cartId"]);
    let (_, _, items) = at(&text.replace("$request.path.$0", "$stageVariables.$0"));
    assert_eq!(labels(&items), ["table"]);
    // Half-typed key: the unclosed string breaks the tree.
    let (_, _, items) = at(&text.replace("\"MessageBody\": \"$request.path.$0\"}", "\"Mess$0\n"));
    assert_eq!(sorted(&items)[0], "MessageBody");
    assert!(!labels(&items).contains(&"QueueUrl"));
}

#[test]
fn nothing_outside_openapi_integrations() {
    // No `openapi` key: not an OpenAPI document.
    let (_, _, items) = at(
        "paths:\n  /x:\n    post:\n      x-amazon-apigateway-integration:\n        integrationSubtype: $0\n",
    );
    assert!(items.is_empty(), "{:?}", labels(&items));
    // An OpenAPI document without the extension.
    let (_, _, items) =
        at("openapi: 3.0.1\npaths:\n  /x:\n    post:\n      integrationSubtype: $0\n");
    assert!(items.is_empty(), "{:?}", labels(&items));
    // Not an operation.
    let (_, _, items) = at(
        "openapi: 3.0.1\npaths:\n  /x:\n    parameters:\n      x-amazon-apigateway-integration:\n        integrationSubtype: $0\n",
    );
    assert!(items.is_empty(), "{:?}", labels(&items));
    // `Body` belongs to `AWS::ApiGatewayV2::Api`, `DefinitionBody` to SAM `HttpApi`.
    let body = "      Body:\n        openapi: 3.0.1\n        paths:\n          /x:\n            post:\n              x-amazon-apigateway-integration:\n                integrationSubtype: $0\n";
    let (_, _, items) = at(&format!(
        "Resources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n{body}"
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
    let (_, _, items) = at(&format!(
        "Resources:\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties:\n{body}"
    ));
    assert_eq!(items.len(), 10);
    let (_, _, items) = at(&format!(
        "Resources:\n  Api:\n    Type: AWS::S3::Bucket\n    Properties:\n{body}"
    ));
    assert!(items.is_empty(), "{:?}", labels(&items));
    // A JSON document that is not OpenAPI.
    let (_, _, items) = at(
        r#"{"paths": {"/x": {"post": {"x-amazon-apigateway-integration": {"integrationSubtype": "$0"}}}}}"#,
    );
    assert!(items.is_empty(), "{:?}", labels(&items));
}

#[test]
fn typing_an_openapi_mapping_character_by_character() {
    use crate::model::index::Index;
    let start = oas_op(&format!(
        "{OP_SEND}        requestParameters:\n          QueueUrl: x\n          $0\n        credentials: x\n"
    ));
    let (text, mut offset) = cursor(&start);
    let (mut doc, _) = open(&text);
    for c in "MessageBody: $request.path.o".chars() {
        doc.apply_edit(offset..offset, c.encode_utf8(&mut [0; 4]));
        offset += c.len_utf8();
        let index = Index::of(&doc);
        let items = complete(&doc, &index, offset);
        let now = doc.text();
        let line = &now[now[..offset].rfind('\n').map_or(0, |i| i + 1)..offset];
        match line.trim_start() {
            "M" | "Messa" => assert_eq!(sorted(&items)[0], "MessageBody", "{line}"),
            "MessageBody: $" => assert_eq!(labels(&items)[0], "$request.", "{line}"),
            "MessageBody: $request.path.o" => assert_eq!(labels(&items), ["orderId"], "{line}"),
            _ => {}
        }
    }
}

#[test]
fn every_offset_is_safe_in_openapi() {
    let fixtures = [
        oas_op(&format!(
            "{OP_SEND}        requestParameters: {{QueueUrl: 'é ${{request.header.ü}}', MessageBody: \"${{context.x\"\n          Mess\n"
        )),
        oas_json(
            "          \"integrationSubtype\": \"SQS-SendMessage\",\n          \"requestParameters\": {\"QueueUrl\": \"é\\\"\", \"Mess",
            JSON_FILLER,
        ),
        sam("                requestParameters: {a: '${", SAM_SHARED),
    ];
    for text in &fixtures {
        let (doc, index) = open(text);
        for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let _ = complete(&doc, &index, offset);
        }
    }
}

const ROUTE_APIS: &str = "Parameters:
  ExistingApi:
    Type: String
Resources:
  Chat:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: chat, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
  Orders:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: orders, ProtocolType: HTTP}
";

#[test]
fn route_keys_follow_the_protocol_of_the_api() {
    let route = |api: &str, typed: &str| {
        at(&format!(
            "{ROUTE_APIS}  R:\n    Type: AWS::ApiGatewayV2::Route\n    Properties:\n      ApiId: {api}\n      RouteKey: {typed}$0\n"
        ))
    };
    let (_, _, items) = route("!Ref Chat", "");
    assert_eq!(sorted(&items), ["$connect", "$disconnect", "$default"]);
    assert!(
        find(&items, "$connect")
            .detail
            .as_deref()
            .unwrap_or("")
            .contains("WEBSOCKET API `Chat`")
    );

    let (text, _, items) = route("!Ref Orders", "");
    let http = sorted(&items);
    assert_eq!(http[0], "$default");
    assert!(
        http.contains(&"POST /") && !http.contains(&"$connect"),
        "{http:?}"
    );
    // The method item leaves a placeholder for the path, and the key stays valid.
    let after = accept(&text, find(&items, "POST /"));
    assert!(after.contains("RouteKey: POST /path\n"), "{after}");
    let findings = crate::analysis::analyze(&crate::document::Document::new(
        &after,
        crate::syntax::Language::Yaml,
        0,
    ));
    assert!(
        findings.iter().all(|f| f.code != "invalid-route-key"),
        "{findings:?}"
    );

    // An API the template does not declare may be either protocol.
    let (_, _, items) = route("!Ref ExistingApi", "");
    let both = labels(&items);
    assert!(
        both.contains(&"$connect") && both.contains(&"GET /"),
        "{both:?}"
    );

    // Typed text filters; SAM's implicit API is HTTP.
    let (_, _, items) = route("!Ref Chat", "$d");
    assert_eq!(sorted(&items), ["$disconnect", "$default"]);
    let (_, _, items) = route("!Ref ServerlessHttpApi", "");
    assert!(!labels(&items).contains(&"$connect"));
}

#[test]
fn route_keys_in_json() {
    let (text, _, items) = at(r#"{"Resources": {
  "Chat": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"ProtocolType": "WEBSOCKET"}},
  "R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"ApiId": {"Ref": "Chat"}, "RouteKey": $0}}
}}"#);
    let after = accept(&text, find(&items, "$connect"));
    assert!(after.contains(r#""RouteKey": "$connect"}"#), "{after}");
}

/// Resources the references below can name: a queue, a trusted role and another role.
const REFERENCED: &str = "  Queue:
    Type: AWS::SQS::Queue
  Untrusted:
    Type: AWS::IAM::Role
  Trusted:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: apigateway.amazonaws.com}
            Action: sts:AssumeRole
";

#[test]
fn credentials_offer_the_roles_trusted_first_as_getatt_arn() {
    let fixture = format!(
        "{}{REFERENCED}",
        yaml("      IntegrationSubtype: SQS-SendMessage\n      CredentialsArn: $0\n")
    );
    let (text, _, items) = at(&fixture);
    assert_eq!(
        sorted(&items),
        ["!GetAtt Trusted.Arn", "!GetAtt Untrusted.Arn"],
        "{:?}",
        labels(&items)
    );
    let out = accept(&text, find(&items, "!GetAtt Trusted.Arn"));
    assert!(
        out.contains("CredentialsArn: !GetAtt Trusted.Arn\n"),
        "{out}"
    );
    // In JSON, the long form.
    let fixture = r#"{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}, "R": {"Type": "AWS::IAM::Role"}, "I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"IntegrationSubtype": "SQS-SendMessage", "CredentialsArn": $0}}}}"#;
    let (_, _, items) = at(fixture);
    assert_eq!(labels(&items), ["{\"Fn::GetAtt\": [\"R\", \"Arn\"]}"]);
}

#[test]
fn a_parameter_that_takes_a_resource_offers_it_in_the_form_that_yields_the_value() {
    let fixture = format!(
        "{}{REFERENCED}",
        yaml(
            "      IntegrationSubtype: SQS-SendMessage\n      RequestParameters:\n        QueueUrl: $0\n"
        )
    );
    let (text, _, items) = at(&fixture);
    // The queue's URL is its `Ref`, never `!GetAtt Queue.Arn`; expressions follow.
    assert!(
        labels(&items).contains(&"!Ref Queue"),
        "{:?}",
        labels(&items)
    );
    assert!(
        !labels(&items).iter().any(|l| l.contains("GetAtt")),
        "{:?}",
        labels(&items)
    );
    assert!(
        labels(&items).iter().any(|l| l.starts_with('$')),
        "{:?}",
        labels(&items)
    );
    let out = accept(&text, find(&items, "!Ref Queue"));
    assert!(out.contains("QueueUrl: !Ref Queue\n"), "{out}");
    // Typed part of the name: only the references.
    let fixture = format!(
        "{}{REFERENCED}",
        yaml(
            "      IntegrationSubtype: SQS-SendMessage\n      RequestParameters:\n        QueueUrl: Qu$0\n"
        )
    );
    let (_, _, items) = at(&fixture);
    assert_eq!(labels(&items), ["!Ref Queue"]);
    // Inside quotes, a string: no intrinsic.
    let fixture = format!(
        "{}{REFERENCED}",
        yaml(
            "      IntegrationSubtype: SQS-SendMessage\n      RequestParameters:\n        QueueUrl: \"$0\"\n"
        )
    );
    let (_, _, items) = at(&fixture);
    assert!(
        !labels(&items).iter().any(|l| l.contains("Ref")),
        "{:?}",
        labels(&items)
    );
}

#[test]
fn openapi_references_use_the_long_form() {
    let fixture = "Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: '3.0.1'
        paths:
          /orders:
            post:
              x-amazon-apigateway-integration:
                integrationSubtype: SQS-SendMessage
                credentials: $0
  Role:
    Type: AWS::IAM::Role
";
    let (_, _, items) = at(fixture);
    assert_eq!(labels(&items), ["{Fn::GetAtt: [Role, Arn]}"]);
}

#[test]
fn a_route_target_offers_the_integrations_of_its_api() {
    let fixture = "Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {ProtocolType: HTTP}
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationSubtype: SQS-SendMessage
  Foreign:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref OtherApi
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: POST /orders
      Target: $0
";
    let (text, _, items) = at(fixture);
    assert_eq!(labels(&items), ["!Sub integrations/${Send}"]);
    let out = accept(&text, &items[0]);
    assert!(out.contains("Target: !Sub integrations/${Send}\n"), "{out}");
    let fixture = r#"{"Resources": {"I": {"Type": "AWS::ApiGatewayV2::Integration"}, "R": {"Type": "AWS::ApiGatewayV2::Route", "Properties": {"RouteKey": "GET /", "Target": $0}}}}"#;
    let (_, _, items) = at(fixture);
    assert_eq!(labels(&items), [r#"{"Fn::Sub": "integrations/${I}"}"#]);
}
