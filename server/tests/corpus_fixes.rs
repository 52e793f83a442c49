//! Quick fixes on real templates (`tests/corpus/real/`) with a defect planted in them:
//! a role's permission or trust taken away, a route's target renamed to nothing. The
//! fix the editor offers, applied, must leave exactly the findings the template had
//! before the defect was planted; `check --fix` must do the same where it applies the
//! fix unattended, and leave the fix alone where it would write a placeholder.

use std::path::Path;

use apigw_lsp::analysis::{self, code_actions};
use apigw_lsp::cli::fix;
use apigw_lsp::document::Document;
use apigw_lsp::syntax::Language;

fn read(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/corpus/real")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
}

fn language(name: &str) -> Language {
    if name.ends_with(".json") {
        Language::Json
    } else {
        Language::Yaml
    }
}

/// The findings of `text` as sorted `code: message` lines (positions move with a fix).
fn findings(text: &str, language: Language) -> Vec<String> {
    let mut out: Vec<String> = analysis::analyze(&Document::new(text, language, 0))
        .iter()
        .map(|f| format!("{}: {}", f.code, f.message))
        .collect();
    out.sort();
    out
}

/// `text` with the first `old` after `anchor` (which occurs once) replaced by `new`.
fn plant(text: &str, anchor: &str, old: &str, new: &str) -> String {
    assert_eq!(
        text.matches(anchor).count(),
        1,
        "{anchor:?} must occur once"
    );
    let from = text.find(anchor).unwrap_or(0);
    let at = from
        + text[from..]
            .find(old)
            .unwrap_or_else(|| panic!("no {old:?} after {anchor:?}"));
    format!("{}{new}{}", &text[..at], &text[at + old.len()..])
}

/// Plants the defect in corpus file `name`, applies the quick fix titled `title` of
/// its `code` finding, and checks that the findings are the original's again (plus
/// `extra`). Returns the fixed text and whether `check --fix` makes the same edits
/// (besides its fixes of the original's own findings); when it does not, it leaves
/// the finding in place.
fn restores(name: &str, planted: &str, code: &str, title: &str, extra: &[&str]) -> (String, bool) {
    let original = read(name);
    let language = language(name);
    let mut expected = findings(&original, language);
    expected.extend(extra.iter().map(|f| f.to_string()));
    expected.sort();
    let doc = Document::new(planted, language, 0);
    let all = analysis::analyze(&doc);
    let found: Vec<_> = all.iter().filter(|f| f.code == code).collect();
    assert_eq!(
        found.len(),
        1,
        "{name}: one {code} expected after planting: {all:#?}"
    );
    let actions = code_actions::for_finding(&doc, found[0]);
    let action = actions
        .iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| panic!("{name}: no action {title:?} in {actions:#?}"));
    let fixed = fix::apply(planted, &action.edits).expect("the edits apply");
    assert_eq!(
        findings(&fixed, language),
        expected,
        "{name}: findings after the fix differ from the original's\n--- fixed:\n{fixed}"
    );
    let plan = fix::plan(&doc, planted, &all);
    let applied = action.edits.iter().all(|e| plan.edits.contains(e));
    let by_check = fix::apply(planted, &plan.edits).expect("the plan applies");
    let left = analysis::analyze(&Document::new(&by_check, language, 0))
        .iter()
        .filter(|f| f.code == code)
        .count();
    assert_eq!(
        left,
        usize::from(!applied),
        "{name}: after check --fix:\n{by_check}"
    );
    (fixed, applied)
}

const HEADERS: &str = "serverless-patterns__custom-http-headers-to-sqs-message-attributes-using-http-api-gateway__template.yaml";
const EVENTBRIDGE: &str = "serverless-patterns__apigw-eventbridge__template.yml";
const CDK_SQS: &str = "aws-cdk__packages__@aws-cdk-testing__framework-integ__test__aws-apigatewayv2-integrations__test__http__integ.sqs.js.snapshot__sqs-integration.template.json";
const CDK_SFN: &str = "aws-cdk__packages__@aws-cdk-testing__framework-integ__test__aws-apigatewayv2-integrations__test__http__integ.stepfunctions.js.snapshot__stepfunctions-integration.template.json";

#[test]
fn a_permission_taken_from_a_real_role_is_given_back() {
    // SAM YAML, short-form intrinsics: the action removed from the inline policy.
    let text = read(HEADERS);
    let planted = plant(
        &text,
        "Action:\n                  - sqs:SendMessage\n",
        "                  - sqs:SendMessage\n",
        "",
    );
    let (fixed, by_check) = restores(
        HEADERS,
        &planted,
        "role-missing-permission",
        "Allow `sqs:SendMessage` on `MyQueue` in a policy of `ApiGatewayRole`",
        &[],
    );
    assert!(by_check);
    assert!(
        fixed.contains(":log-group:/aws/apigateway/${ApiGatewayName}:*'\n              - Effect: Allow\n                Action: sqs:SendMessage\n                Resource: !GetAtt MyQueue.Arn\n\n  # HTTP API\n"),
        "{fixed}"
    );

    // Long-form intrinsics: the wildcard narrowed to another action.
    let text = read(EVENTBRIDGE);
    let planted = plant(&text, "Action: 'events:*'", "'events:*'", "'events:List*'");
    let (fixed, by_check) = restores(
        EVENTBRIDGE,
        &planted,
        "role-missing-permission",
        "Allow `events:PutEvents` on `ApplicationEventBus` in a policy of `HttpApiIntegrationEventBridgeRole`",
        &[],
    );
    assert!(by_check);
    assert!(
        fixed.contains("                  Fn::GetAtt: [ApplicationEventBus, Arn]\n              - Effect: Allow\n                Action: events:PutEvents\n                Resource: !GetAtt ApplicationEventBus.Arn\n      RoleName:"),
        "{fixed}"
    );

    // CDK JSON (one-space indentation): the attached policy allows another action; the
    // role gets an inline policy.
    let text = read(CDK_SQS);
    let anchor = "\"ApiPOSTdefaultInvokeRoleDefaultPolicy603C0AF3\": {";
    let planted = plant(
        &text,
        anchor,
        "\"sqs:SendMessage\"",
        "\"sqs:ReceiveMessage\"",
    );
    let (fixed, by_check) = restores(
        CDK_SQS,
        &planted,
        "role-missing-permission",
        "Allow `sqs:SendMessage` on `Queue4A7E3555` in a policy of `ApiPOSTdefaultInvokeRole9137E4F5`",
        &[],
    );
    assert!(by_check);
    assert!(
        fixed.contains("     \"Version\": \"2012-10-17\"\n    },\n    \"Policies\": [\n     {\n      \"PolicyName\": \"SQS-SendMessage\",\n      \"PolicyDocument\": {\n       \"Version\": \"2012-10-17\",\n       \"Statement\": [\n        {\n         \"Effect\": \"Allow\",\n         \"Action\": \"sqs:SendMessage\",\n         \"Resource\": {\"Fn::GetAtt\": [\"Queue4A7E3555\", \"Arn\"]}\n        }\n       ]\n      }\n     }\n    ]\n   }\n  },\n  \"ApiPOSTdefaultInvokeRoleDefaultPolicy603C0AF3\""),
        "{fixed}"
    );
}

#[test]
fn a_state_machine_is_named_by_its_ref() {
    let text = read(CDK_SFN);
    let planted = plant(
        &text,
        "\"Action\": \"states:StartExecution\"",
        "states:StartExecution",
        "states:DescribeExecution",
    );
    let (fixed, by_check) = restores(
        CDK_SFN,
        &planted,
        "role-missing-permission",
        "Allow `states:StartExecution` on `StateMachine2E01A3A5` in a policy of `ApiDefaultRouteInvokeRoleF44748FB`",
        &[],
    );
    assert!(by_check);
    assert!(
        fixed.contains("         \"Action\": \"states:StartExecution\",\n         \"Resource\": {\"Ref\": \"StateMachine2E01A3A5\"}\n"),
        "{fixed}"
    );
}

#[test]
fn trust_taken_from_a_real_role_is_given_back() {
    let text = read(HEADERS);
    let planted = plant(
        &text,
        "  ApiGatewayRole:\n",
        "Service: apigateway.amazonaws.com",
        "Service: lambda.amazonaws.com",
    );
    let (fixed, by_check) = restores(
        HEADERS,
        &planted,
        "role-not-trusted",
        "Let API Gateway assume `ApiGatewayRole` (trust `apigateway.amazonaws.com`)",
        &[],
    );
    assert!(by_check);
    assert!(
        fixed.contains("              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n          - Effect: Allow\n            Principal:\n              Service: apigateway.amazonaws.com\n            Action: sts:AssumeRole\n      Policies:\n"),
        "{fixed}"
    );

    let text = read(EVENTBRIDGE);
    let planted = plant(
        &text,
        "  HttpApiIntegrationEventBridgeRole:\n    Type",
        "- apigateway.amazonaws.com",
        "- states.amazonaws.com",
    );
    let (_, by_check) = restores(
        EVENTBRIDGE,
        &planted,
        "role-not-trusted",
        "Let API Gateway assume `HttpApiIntegrationEventBridgeRole` (trust `apigateway.amazonaws.com`)",
        &[],
    );
    assert!(by_check);

    let text = read(CDK_SQS);
    let planted = plant(
        &text,
        "  \"ApiPOSTdefaultInvokeRole9137E4F5\": {",
        "\"apigateway.amazonaws.com\"",
        "\"lambda.amazonaws.com\"",
    );
    let (fixed, by_check) = restores(
        CDK_SQS,
        &planted,
        "role-not-trusted",
        "Let API Gateway assume `ApiPOSTdefaultInvokeRole9137E4F5` (trust `apigateway.amazonaws.com`)",
        &[],
    );
    assert!(by_check);
    assert!(
        fixed.contains("        \"Service\": \"lambda.amazonaws.com\"\n       }\n      },\n      {\n       \"Effect\": \"Allow\",\n       \"Principal\": {\n        \"Service\": \"apigateway.amazonaws.com\"\n       },\n       \"Action\": \"sts:AssumeRole\"\n      }\n     ],"),
        "{fixed}"
    );
}

#[test]
fn a_route_target_renamed_to_nothing_gets_its_integration() {
    // The route's integration renamed: the fix declares the name the route now uses.
    // The old integration stays, now used by no route, which no rule reports.
    let text = read(HEADERS);
    let planted = plant(
        &text,
        "          - !Ref SqsIntegration\n",
        "SqsIntegration",
        "OrdersIntegration",
    );
    let (fixed, by_check) = restores(
        HEADERS,
        &planted,
        "unresolved-reference",
        "Create integration `OrdersIntegration` (SQS-SendMessage, with REPLACE_ME placeholders to fill in)",
        // The API has an OpenAPI body, and the route is already reported for being a
        // resource beside it: the integration it needs is too.
        &[
            "openapi-with-route-resources: `OrdersIntegration` adds an Integration to `MyHttpApi`, which is defined by an OpenAPI body; API Gateway does not support mixing them and the integration may vanish on a later stack update. Define it in the body instead.",
        ],
    );
    assert!(!by_check, "check --fix never writes placeholders");
    assert!(
        fixed.contains("          - !Ref OrdersIntegration\n  OrdersIntegration:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref MyHttpApi\n      IntegrationType: AWS_PROXY\n"),
        "{fixed}"
    );

    // Long-form `Ref` on lines of its own: the ApiId is written as the reference.
    let text = read(EVENTBRIDGE);
    let planted = plant(
        &text,
        "            - Ref: HttpApiIntegrationEventBridge\n",
        "HttpApiIntegrationEventBridge",
        "PutEventsIntegration",
    );
    let (fixed, _) = restores(
        EVENTBRIDGE,
        &planted,
        "unresolved-reference",
        "Create integration `PutEventsIntegration` (SQS-SendMessage, with REPLACE_ME placeholders to fill in)",
        &[],
    );
    assert!(
        fixed.contains("            - Ref: PutEventsIntegration\n  PutEventsIntegration:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref HttpApi\n"),
        "{fixed}"
    );

    let text = read(CDK_SQS);
    let planted = plant(
        &text,
        "  \"ApiPOSTdefault1EEA0D1D\": {",
        "\"Ref\": \"ApiPOSTdefaultdefaultIntegration0355373B\"",
        "\"Ref\": \"DefaultIntegration\"",
    );
    let (fixed, by_check) = restores(
        CDK_SQS,
        &planted,
        "unresolved-reference",
        "Create integration `DefaultIntegration` (SQS-SendMessage, with REPLACE_ME placeholders to fill in)",
        &[],
    );
    assert!(!by_check);
    assert!(
        fixed.contains("  },\n  \"DefaultIntegration\": {\n   \"Type\": \"AWS::ApiGatewayV2::Integration\",\n   \"Properties\": {\n    \"ApiId\": {\"Ref\": \"ApiF70053CD\"},\n    \"IntegrationType\": \"AWS_PROXY\",\n"),
        "{fixed}"
    );
}
