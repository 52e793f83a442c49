//! `apigw-lsp check` on Serverless Framework projects, from the corpus's real
//! `serverless.yml` files and their `api.json`, laid out as in their repositories:
//! the CloudFormation under `resources` is checked (also as a list of fragments, and
//! with `resources.extensions`), framework variables (`${self:...}`, `${sls:stage}`,
//! `${env:X, 'dflt'}`, `${file(...)}`, ...) are never checked as literals, and the
//! compiled `.serverless/cloudformation-template-update-stack.json` is checked when
//! named, while a folder walk leaves the hidden `.serverless/` out.

mod check_support;

use check_support::{TempDir, corpus, expected_findings, field, findings, json, run_in};
use serde_json::{Value, json};

const SQS: &str = "serverless-patterns__apigw-http-api-sqs-lambda-sls__";
const EVENTBRIDGE: &str = "serverless-patterns__apigw-http-api-eventbridge-lambda-sls__";

/// Lays a corpus project out as in its repository: `serverless.yml` and `api.json`.
fn project(dir: &TempDir, prefix: &str, serverless: &str) {
    dir.write("serverless.yml", serverless);
    dir.write("api.json", corpus(&format!("{prefix}api.json")));
}

/// The real `serverless.yml` with `text` added to its `resources.Resources`.
fn with_resources(prefix: &str, text: &str) -> String {
    let original = corpus(&format!("{prefix}serverless.yml"));
    let anchor = "\n  Resources:\n";
    let at = original.find(anchor).expect("resources.Resources") + anchor.len();
    format!("{}{text}{}", &original[..at], &original[at..])
}

#[test]
fn the_real_serverless_projects_check_clean_with_their_included_api() {
    for prefix in [SQS, EVENTBRIDGE] {
        // The corpus promise: nothing reviewed for either file.
        assert!(expected_findings(&format!("{prefix}serverless.yml")).is_empty());
        assert!(expected_findings(&format!("{prefix}api.json")).is_empty());
        let dir = TempDir::new("sls-real");
        project(&dir, prefix, &corpus(&format!("{prefix}serverless.yml")));
        let (run, reports) = findings(dir.path(), &["."]);
        assert_eq!(run.code, 0, "{prefix}: {}", run.stderr);
        assert_eq!(reports, Vec::<Value>::new(), "{prefix}");
        let text = run_in(dir.path(), &["check", "."]);
        assert!(
            text.stderr
                .contains("2 files checked, 0 errors, 0 warnings"),
            "{prefix}: {}",
            text.stderr
        );
    }
}

/// An HTTP API of its own and an integration in `resources.Resources` of the real SQS
/// project, wired to its queue and role. (The project's API has an OpenAPI body, which
/// an integration resource must not be added to.)
const SEND: &str = r#"    DirectApi:
      Type: AWS::ApiGatewayV2::Api
      Properties:
        Name: direct-${sls:stage}
        ProtocolType: HTTP
    SendDirect:
      Type: AWS::ApiGatewayV2::Integration
      Properties:
        ApiId: !Ref DirectApi
        IntegrationType: AWS_PROXY
        IntegrationSubtype: SQS-SendMessage
        PayloadFormatVersion: "1.0"
        CredentialsArn: !GetAtt MyHttpApiRole.Arn
        RequestParameters:
          QueueUrl: !Ref MySqsQueue
          MessageBody: $request.body
"#;

#[test]
fn an_integration_under_resources_is_checked_and_its_defects_found_in_its_file() {
    let dir = TempDir::new("sls-planted");
    project(&dir, SQS, &with_resources(SQS, SEND));
    let (run, reports) = findings(dir.path(), &["."]);
    assert_eq!(run.code, 0, "{}: {reports:?}", run.stderr);
    assert!(reports.is_empty(), "{reports:?}");
    // The issue's case: a `queueUrl` key in a serverless.yml, once skipped (exit 0).
    let planted = with_resources(SQS, &SEND.replace("QueueUrl:", "queueUrl:"));
    project(&dir, SQS, &planted);
    let (run, reports) = findings(dir.path(), &["."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let codes: Vec<(&str, &str, &str, &str)> = reports
        .iter()
        .map(|r| {
            (
                field(r, "file"),
                field(r, "code"),
                field(r, "logicalId"),
                field(r, "path"),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            (
                "./serverless.yml",
                "missing-required-parameter",
                "SendDirect",
                "Properties/RequestParameters"
            ),
            (
                "./serverless.yml",
                "unknown-parameter",
                "SendDirect",
                "Properties/RequestParameters/queueUrl"
            ),
        ]
    );
    let line = reports[1]["range"]["start"]["line"].as_u64().expect("line");
    let at = planted.lines().nth(line as usize).unwrap_or_default();
    assert!(at.trim_start().starts_with("queueUrl:"), "{at}");
    // A defect in the real file's own resources, and one in the API it includes.
    let stage = corpus(&format!("{SQS}serverless.yml"))
        .replace("StageName: '$default'", "StageName: 'prod stage'");
    project(&dir, SQS, &stage);
    dir.write(
        "api.json",
        corpus(&format!("{SQS}api.json")).replace("\"type\": \"aws_proxy\"", "\"type\": \"http\""),
    );
    let (run, reports) = findings(dir.path(), &["."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found: Vec<(&str, &str)> = reports
        .iter()
        .map(|r| (field(r, "file"), field(r, "code")))
        .collect();
    assert_eq!(
        found,
        [
            ("./api.json", "wrong-integration-type"),
            ("./serverless.yml", "invalid-stage"),
        ],
        "{reports:?}"
    );
}

/// Framework variables where a literal would be checked: each line, read as the
/// literal text it is written with, breaks a rule.
const VARIABLES: &str = r#"    DirectApi:
      Type: AWS::ApiGatewayV2::Api
      Properties:
        Name: direct
        ProtocolType: HTTP
    Typed:
      Type: AWS::ApiGatewayV2::Integration
      Properties:
        ApiId: !Ref DirectApi
        IntegrationType: ${self:custom.integrationType}
        IntegrationSubtype: ${self:custom.subtype, 'SQS-SendMessage'}
        PayloadFormatVersion: ${self:custom.payloadFormat}
        TimeoutInMillis: ${self:custom.timeout}
        CredentialsArn: arn:aws:iam::${aws:accountId}:role/${self:service}-${sls:stage}
        RequestParameters:
          QueueUrl: ${self:custom.queueUrl}
          MessageBody: $request.body
          MessageAttributes: ${file(./attributes.json)}
          MessageGroupId: $request.header.${self:custom.groupHeader}
          MessageDeduplicationId: $context.${param:idVariable}
          DelaySeconds: ${env:DELAY, '5'}
          Region: ${opt:region, ${env:AWS_REGION, 'eu-west-1'}}
    Execute:
      Type: AWS::ApiGatewayV2::Integration
      Properties:
        ApiId: !Ref DirectApi
        IntegrationType: AWS_PROXY
        IntegrationSubtype: StepFunctions-StartExecution
        PayloadFormatVersion: "1.0"
        CredentialsArn: ${cf:roles-${sls:stage}.StatesRoleArn}
        RequestParameters:
          StateMachineArn: arn:aws:states:${aws:region}:${aws:accountId}:stateMachine:${self:service}-${sls:stage}
          Input: ${file(./input.json)}
    Stage:
      Type: AWS::ApiGatewayV2::Stage
      Properties:
        ApiId: !Ref DirectApi
        StageName: ${sls:stage}
        StageVariables:
          queue: ${ssm:/orders/${sls:stage}/queue}
    Route:
      Type: AWS::ApiGatewayV2::Route
      Properties:
        ApiId: !Ref DirectApi
        RouteKey: ${self:custom.routeKey, 'POST /orders'}
        Target: integrations/${cf:orders-${sls:stage}.IntegrationId}
"#;

#[test]
fn framework_variables_are_never_checked_as_literals() {
    let dir = TempDir::new("sls-variables");
    project(&dir, SQS, &with_resources(SQS, VARIABLES));
    let (run, reports) = findings(dir.path(), &["serverless.yml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(reports.is_empty(), "{reports:#?}");
    // The same text with `$!{` for `${` is no variable: the rules run on every one of
    // these fields, so the silence above is the variables'.
    let literal = VARIABLES.replace("${", "$!{");
    project(&dir, SQS, &with_resources(SQS, &literal));
    let (run, reports) = findings(dir.path(), &["serverless.yml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut paths: Vec<String> = reports
        .iter()
        .map(|r| format!("{}/{}", field(r, "logicalId"), field(r, "path")))
        .collect();
    paths.sort();
    paths.dedup();
    // No rule reads the shape of a role ARN or of a route target's ID (which may name
    // an integration the framework generates).
    let unchecked = ["CredentialsArn", "Target"];
    let mut fields: Vec<String> = VARIABLES
        .lines()
        .filter(|l| l.contains("${"))
        .filter_map(|l| l.trim().split(':').next())
        .filter(|name| !unchecked.contains(name))
        .map(str::to_string)
        .collect();
    fields.sort();
    fields.dedup();
    for name in &fields {
        assert!(
            paths.iter().any(|p| p.ends_with(&format!("/{name}"))),
            "`{name}` written as a literal raised nothing: {paths:#?}"
        );
    }
}

#[test]
fn resources_may_be_a_list_of_fragments_and_extensions_are_merged_not_misread() {
    let dir = TempDir::new("sls-fragments");
    let real = corpus(&format!("{SQS}serverless.yml"));
    let (head, _) = real.split_once("\nresources:").expect("resources");
    // The queue and role from the real file, the integration in a second fragment
    // whose `QueueUrl` an extension adds, an extension of a resource the framework
    // generates (its httpApi event's integration), and a fragment in another file.
    let serverless = format!(
        r#"{head}
resources:
  - Resources:
      MySqsQueue:
        Type: AWS::SQS::Queue
      MyHttpApi:
        Type: AWS::ApiGatewayV2::Api
        Properties:
          Name: orders
          ProtocolType: HTTP
  - Resources:
      SendDirect:
        Type: AWS::ApiGatewayV2::Integration
        Properties:
          ApiId: !Ref MyHttpApi
          IntegrationType: AWS_PROXY
          IntegrationSubtype: SQS-SendMessage
          PayloadFormatVersion: "1.0"
          CredentialsArn: !GetAtt IamRoleLambdaExecution.Arn
          RequestParameters:
            MessageBody: $request.body
    extensions:
      SendDirect:
        Properties:
          RequestParameters:
            QueueUrl: !Ref MySqsQueue
            MessageBody: $request.body
      HttpApiIntegrationLogEvent:
        Properties:
          TimeoutInMillis: 29000
  - ${{file(./resources/alarms.yml)}}
"#
    );
    project(&dir, SQS, &serverless);
    let (run, reports) = findings(dir.path(), &["serverless.yml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(reports.is_empty(), "{reports:#?}");
    // Without the extension, the integration of the second fragment is checked.
    let (cut, _) = serverless
        .split_once("    extensions:")
        .expect("extensions");
    let without = format!("{cut}  - ${{file(./resources/alarms.yml)}}\n");
    project(&dir, SQS, &without);
    let (run, reports) = findings(dir.path(), &["serverless.yml"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found: Vec<(&str, &str)> = reports
        .iter()
        .map(|r| (field(r, "code"), field(r, "logicalId")))
        .collect();
    assert_eq!(found, [("missing-required-parameter", "SendDirect")]);
}

#[test]
fn a_serverless_file_is_told_by_service_and_an_aws_provider() {
    let dir = TempDir::new("sls-detect");
    let real = corpus(&format!("{EVENTBRIDGE}serverless.yml"));
    let (head, _) = real.split_once("\nresources:").expect("resources");
    dir.write("functions-only/serverless.yaml", format!("{head}\n"));
    let run = run_in(dir.path(), &["check", "functions-only"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("1 file checked"),
        "a Serverless file without resources is still one: {}",
        run.stderr
    );
    dir.write(
        "azure/serverless.yml",
        format!("{}\n", head.replace("name: aws", "name: azure")),
    );
    let run = run_in(dir.path(), &["check", "azure"]);
    assert!(
        run.stderr.contains("azure: no CloudFormation/SAM template"),
        "{}",
        run.stderr
    );
    // Broken YAML in a Serverless file is reported like in any template.
    dir.write(
        "broken/serverless.yml",
        format!("{head}\nresources:\n  Resources:\n    Queue: [\n"),
    );
    let run = run_in(dir.path(), &["check", "broken"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("error[syntax-error]"), "{}", run.stdout);
}

/// What `sls package` writes for the real SQS project: its resources with the
/// variables resolved and `Body: ${file(./api.json)}` inlined, beside the framework's
/// own (deployment bucket, function, its role and log group, the SQS event mapping).
fn compiled(api: Value) -> Value {
    json!({
      "AWSTemplateFormatVersion": "2010-09-09",
      "Description": "API Gateway HTTP API to SQS, triggering a Lambda function (Serverless Framework).",
      "Resources": {
        "ServerlessDeploymentBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketEncryption": {
          "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}}},
        "LogEventLogGroup": {"Type": "AWS::Logs::LogGroup",
          "Properties": {"LogGroupName": "/aws/lambda/apigw-http-api-sqs-lambda-sls-prod-logEvent"}},
        "IamRoleLambdaExecution": {"Type": "AWS::IAM::Role", "Properties": {
          "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com"]}, "Action": ["sts:AssumeRole"]}]},
          "RoleName": {"Fn::Join": ["-", ["apigw-http-api-sqs-lambda-sls", "prod", {"Ref": "AWS::Region"}, "lambdaRole"]]}}},
        "LogEventLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {
          "Code": {"S3Bucket": {"Ref": "ServerlessDeploymentBucket"}, "S3Key": "serverless/apigw-http-api-sqs-lambda-sls/prod/logEvent.zip"},
          "Handler": "src/handler.logEvent", "Runtime": "nodejs24.x", "MemorySize": 256,
          "Role": {"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]}},
          "DependsOn": ["LogEventLogGroup"]},
        "LogEventEventSourceMappingSQSMySqsQueue": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
          "EventSourceArn": {"Fn::GetAtt": ["MySqsQueue", "Arn"]},
          "FunctionName": {"Fn::GetAtt": ["LogEventLambdaFunction", "Arn"]}}},
        "MySqsQueue": {"Type": "AWS::SQS::Queue"},
        "MyHttpApi": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Body": api}},
        "MyHttpApiStage": {"Type": "AWS::ApiGatewayV2::Stage", "Properties": {
          "ApiId": {"Ref": "MyHttpApi"}, "StageName": "$default", "AutoDeploy": true}},
        "MyHttpApiRole": {"Type": "AWS::IAM::Role", "Properties": {
          "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": ["sts:AssumeRole"]}]},
          "Policies": [{"PolicyName": "ApiDirectWriteEventBridge", "PolicyDocument": {"Version": "2012-10-17",
            "Statement": {"Action": ["sqs:SendMessage"], "Effect": "Allow",
              "Resource": [{"Fn::GetAtt": ["MySqsQueue", "Arn"]}]}}}]}}
      },
      "Outputs": {
        "ServerlessDeploymentBucketName": {"Value": {"Ref": "ServerlessDeploymentBucket"}},
        "ApiEndpoint": {"Description": "HTTP API endpoint URL",
          "Value": {"Fn::Sub": "https://${MyHttpApi}.execute-api.${AWS::Region}.amazonaws.com"}}
      }
    })
}

#[test]
fn the_compiled_template_is_checked_when_named_and_left_out_of_walks() {
    const COMPILED: &str = ".serverless/cloudformation-template-update-stack.json";
    let dir = TempDir::new("sls-compiled");
    project(&dir, SQS, &corpus(&format!("{SQS}serverless.yml")));
    let api = json(&corpus(&format!("{SQS}api.json")));
    let text = serde_json::to_string_pretty(&compiled(api.clone())).expect("JSON");
    dir.write(COMPILED, &text);
    let (run, reports) = findings(dir.path(), &[COMPILED]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(reports.is_empty(), "{reports:#?}");
    // A defect in the inlined API: found in the compiled template, by its resource.
    let planted = serde_json::to_string_pretty(&compiled(json(
        &serde_json::to_string(&api)
            .expect("JSON")
            .replace("\"QueueUrl\"", "\"queueUrl\""),
    )))
    .expect("JSON");
    dir.write(COMPILED, &planted);
    let (run, reports) = findings(dir.path(), &[COMPILED]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let unknown = reports
        .iter()
        .find(|r| field(r, "code") == "unknown-parameter")
        .unwrap_or_else(|| panic!("{reports:#?}"));
    assert_eq!(field(unknown, "file"), COMPILED);
    assert_eq!(field(unknown, "logicalId"), "MyHttpApi");
    assert_eq!(
        field(unknown, "path"),
        "Properties/Body/paths/~1/post/x-amazon-apigateway-integration/requestParameters/queueUrl"
    );
    // A walk of the project leaves the hidden folder out: only the (clean) sources.
    let (run, reports) = findings(dir.path(), &["."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(reports.is_empty(), "{reports:#?}");
    let text = run_in(dir.path(), &["check", "."]);
    assert!(text.stderr.contains("2 files checked"), "{}", text.stderr);
}
