//! Pulumi YAML programs (`Pulumi.yaml` with `runtime: yaml`, and their `resources`)
//! through the same rules as CloudFormation and Terraform: real programs that must stay
//! silent, reviewed programs with first-class integrations and defects planted in
//! them, the fixes, `check` on a folder, the server, incremental edits, and YAML that
//! only looks like Pulumi.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use apigw_lsp::analysis::{self, code_actions};
use apigw_lsp::document::Document;
use apigw_lsp::model::{self, Dialect, FileKind};
use apigw_lsp::rules::Finding;
use apigw_lsp::syntax::Language;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Real Pulumi YAML programs without API Gateway v2 (`tests/corpus/real/pulumi`).
fn corpus() -> PathBuf {
    root().join("tests/corpus/real/pulumi")
}

fn fixture(name: &str) -> String {
    let path = root()
        .join("tests/fixtures/pulumi")
        .join(name)
        .join("Pulumi.yaml");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn doc(text: &str) -> Document {
    Document::new(text, Language::Yaml, 0)
}

fn findings(text: &str) -> Vec<Finding> {
    analysis::analyze(&doc(text))
}

/// The findings of `text`: (code, the text at the finding's range, message).
fn found_in(text: &str) -> Vec<(&'static str, String, String)> {
    findings(text)
        .into_iter()
        .map(|f| (f.code, text[f.range.clone()].to_string(), f.message))
        .collect()
}

/// `text` with `from` (found exactly once) replaced by `to`.
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} is not in the text once"
    );
    text.replacen(from, to, 1)
}

const SQS: &str = "sqs";
const EVENTS: &str = "eventbridge";
const STEPS: &str = "stepfunctions";

/// The rows of MANIFEST.tsv for the Pulumi corpus: (file name, notes).
fn manifest_rows() -> Vec<(String, String)> {
    let path = root().join("tests/corpus/real/MANIFEST.tsv");
    let manifest = fs::read_to_string(&path).expect("MANIFEST.tsv");
    manifest
        .lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let name = cols.first()?.strip_prefix("pulumi/")?;
            assert_eq!(cols.len(), 7, "{line}");
            assert_eq!(cols[4], "pulumi-yaml", "{line}");
            Some((name.to_string(), cols[6].to_string()))
        })
        .collect()
}

#[test]
fn real_programs_are_read_as_pulumi_and_stay_silent() {
    let rows = manifest_rows();
    let mut checked = 0;
    for entry in fs::read_dir(corpus())
        .expect("corpus/real/pulumi")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            rows.iter().any(|(file, _)| *file == name),
            "{name} has no MANIFEST.tsv row"
        );
        let text = fs::read_to_string(entry.path()).expect("read");
        assert_eq!(model::file_kind(&doc(&text)), FileKind::Pulumi, "{name}");
        assert_eq!(found_in(&text), Vec::new(), "{name}");
        checked += 1;
    }
    assert_eq!(checked, rows.len(), "a MANIFEST.tsv row has no file");
    assert!(checked >= 8, "only {checked} programs");
}

/// The integrations a program holds: their dialect and subtype.
fn integrations(text: &str) -> Vec<(Dialect, Option<String>)> {
    doc(text)
        .entries()
        .flat_map(model::integrations_in_entry)
        .map(|i| (i.dialect, i.subtype_name().map(str::to_string)))
        .collect()
}

#[test]
fn reviewed_programs_are_clean_and_their_integrations_read() {
    for (name, subtype) in [
        (SQS, "SQS-SendMessage"),
        (EVENTS, "EventBridge-PutEvents"),
        (STEPS, "StepFunctions-StartExecution"),
    ] {
        let text = fixture(name);
        assert_eq!(model::file_kind(&doc(&text)), FileKind::Pulumi, "{name}");
        assert_eq!(
            integrations(&text),
            [(Dialect::Pulumi, Some(subtype.to_string()))],
            "{name}"
        );
        assert_eq!(found_in(&text), Vec::new(), "{name}");
    }
}

/// The program `name`: a fixture, or `BODY` (the SQS one with its integration in the
/// API's OpenAPI body).
fn program_text(name: &str) -> String {
    match name {
        BODY => openapi_body(),
        _ => fixture(name),
    }
}

const BODY: &str = "openapi body";

/// A route on the SQS program's API, after its stage.
const ANOTHER_ROUTE: &str = "  defaultStage:\n    type: aws:apigatewayv2:Stage\n    properties:\n      apiId: ${api.id}\n      name: $default\n      autoDeploy: true\n  anotherRoute:\n    type: aws:apigatewayv2:Route\n    properties:\n      apiId: ${api.id}\n      routeKey: POST /orders\n      target: integrations/${sendOrder.id}\n";

/// Defects planted in the programs: (program, text, replaced by, the code found, the
/// text at its range).
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    (
        SQS,
        "integrationSubtype: SQS-SendMessage",
        "integrationSubtype: SQS-SendMesage",
        "unknown-subtype",
        "SQS-SendMesage",
    ),
    (
        SQS,
        "QueueUrl: ${orders.url}",
        "queueUrl: ${orders.url}",
        "unknown-parameter",
        "queueUrl",
    ),
    (
        SQS,
        "        MessageBody: $request.body\n",
        "",
        "missing-required-parameter",
        "requestParameters",
    ),
    (
        SQS,
        "MessageBody: $request.body",
        "MessageBody: $request.bdy",
        "invalid-expression",
        "bdy",
    ),
    (
        SQS,
        "integrationSubtype: SQS-SendMessage",
        "integrationSubtype: SQS-SendMessage\n      payloadFormatVersion: \"2.0\"",
        "wrong-payload-format-version",
        "2.0",
    ),
    (
        SQS,
        "      credentialsArn: ${apiRole.arn}\n",
        "",
        "missing-credentials",
        "integrationSubtype",
    ),
    (
        SQS,
        "MessageBody: $request.body",
        "MessageBody: ${request.body}",
        "sub-variable-collision",
        "${request.body}",
    ),
    (
        SQS,
        "QueueUrl: ${orders.url}",
        "QueueUrl: ${orders.arn}",
        "wrong-reference-kind",
        "${orders.arn}",
    ),
    (
        SQS,
        "Action: sqs:SendMessage",
        "Action: sqs:ReceiveMessage",
        "role-missing-permission",
        "${apiRole.arn}",
    ),
    (
        SQS,
        "Service: apigateway.amazonaws.com",
        "Service: lambda.amazonaws.com",
        "role-not-trusted",
        "${apiRole.arn}",
    ),
    (
        SQS,
        "      integrationSubtype:",
        "      integrationSubType:",
        "wrong-field-name",
        "integrationSubType",
    ),
    (
        SQS,
        "integrationType: AWS_PROXY",
        "integrationType: HTTP_PROXY",
        "wrong-integration-type",
        "HTTP_PROXY",
    ),
    (
        SQS,
        "      integrationType: AWS_PROXY\n      integrationSubtype: SQS-SendMessage\n",
        "      integrationType: AWS\n",
        "http-api-integration-type",
        "AWS",
    ),
    (
        SQS,
        "MessageBody: $request.body",
        "MessageBody: $request.path.id",
        "undefined-path-variable",
        "id",
    ),
    (
        SQS,
        "routeKey: POST /orders",
        "routeKey: POST orders",
        "invalid-route-key",
        "POST orders",
    ),
    (
        SQS,
        "target: integrations/${sendOrder.id}",
        "target: ${sendOrder.id}",
        "invalid-route-target",
        "${sendOrder.id}",
    ),
    (
        SQS,
        "messageRetentionSeconds: ${retentionSeconds}",
        "fifoQueue: true",
        "sqs-fifo-parameters",
        "QueueUrl",
    ),
    (
        SQS,
        "protocolType: HTTP",
        "protocolType: WEBSOCKET",
        "integration-on-websocket-api",
        "sendOrder",
    ),
    (
        SQS,
        "credentialsArn: ${apiRole.arn}",
        "credentialsArn: ${apiRole.arn}\n      integrationUri: https://example.com",
        "subtype-with-uri",
        "integrationUri",
    ),
    (
        SQS,
        "credentialsArn: ${apiRole.arn}",
        "credentialsArn: ${apiRole.arn}\n      timeoutMilliseconds: 40000",
        "timeout-out-of-range",
        "40000",
    ),
    (
        SQS,
        "MessageBody: $request.body",
        "MessageBody: $context.resourcePath",
        "rest-only-context-variable",
        "resourcePath",
    ),
    (
        SQS,
        "MessageBody: $request.body",
        "MessageBody: $context.integrationLatency",
        "response-phase-context-variable",
        "integrationLatency",
    ),
    (
        SQS,
        "MessageBody: $request.body",
        "MessageBody: $request.body..id",
        "unsupported-jsonpath",
        "..",
    ),
    (
        SQS,
        "MessageBody: $request.body",
        "MessageBody: \"\"",
        "value-length",
        "MessageBody",
    ),
    (
        SQS,
        "MessageBody: $request.body",
        "MessageBody: $request.body\n        DelaySeconds: \"1200\"",
        "parameter-value-constraint",
        "1200",
    ),
    (
        SQS,
        "MessageBody: $request.body",
        "MessageBody: $request.body\n        append:header.x-source: api",
        "parameter-mapping-with-subtype",
        "append:header.x-source",
    ),
    (
        SQS,
        "      integrationSubtype: SQS-SendMessage\n",
        "",
        "parameter-without-subtype",
        "QueueUrl",
    ),
    (
        SQS,
        "        MessageAttributes:\n          fn::toJSON:\n            requestId:\n              DataType: String\n              StringValue: $${context.requestId}\n",
        "        MessageAttributes: '{\"requestId\": }'\n",
        "invalid-json-parameter",
        "{\"requestId\": }",
    ),
    (
        SQS,
        "credentialsArn: ${apiRole.arn}",
        "credentialsArn: ${apiRole.arn}\n      responseParameters:\n        - statusCode: \"700\"\n          mappings:\n            overwrite:statuscode: \"204\"",
        "invalid-response-parameter",
        "700",
    ),
    (
        SQS,
        "integrationSubtype: SQS-SendMessage",
        "integrationSubtype: AppConfig-GetConfiguration",
        "deprecated-subtype",
        "AppConfig-GetConfiguration",
    ),
    (
        SQS,
        "      integrationSubtype: SQS-SendMessage\n      credentialsArn: ${apiRole.arn}\n      requestParameters:\n        QueueUrl: ${orders.url}\n        MessageBody: $request.body\n",
        "      integrationSubtype: SQS-ReceiveMessage\n      timeoutMilliseconds: 5000\n      credentialsArn: ${apiRole.arn}\n      requestParameters:\n        QueueUrl: ${orders.url}\n        WaitTimeSeconds: \"10\"\n",
        "receive-wait-exceeds-timeout",
        "10",
    ),
    (
        SQS,
        "  defaultStage:\n    type: aws:apigatewayv2:Stage\n    properties:\n      apiId: ${api.id}\n      name: $default\n      autoDeploy: true\n",
        ANOTHER_ROUTE,
        "duplicate-route-key",
        "POST /orders",
    ),
    (
        SQS,
        "  orders:\n    type: aws:sqs:Queue\n",
        "  orders:\n    type: [aws:sqs:Queue\n",
        "syntax-error",
        "[aws:sqs:Queue",
    ),
    // The role's policy is JSON text with `${bus.arn}` in it.
    (
        EVENTS,
        "\"Action\": \"events:PutEvents\"",
        "\"Action\": \"events:PutRule\"",
        "role-missing-permission",
        "${putEventsRole.arn}",
    ),
    (
        EVENTS,
        "\"Service\": \"apigateway.amazonaws.com\"",
        "\"Service\": \"lambda.amazonaws.com\"",
        "role-not-trusted",
        "${putEventsRole.arn}",
    ),
    (
        EVENTS,
        "com.example.$${request.path.source}",
        "com.example.$request.path.source",
        "bare-expression-after-text",
        "$request.path.source",
    ),
    (
        EVENTS,
        "routeKey: POST /{source}/{detailType}",
        "routeKey: POST /{source}",
        "undefined-path-variable",
        "detailType",
    ),
    (
        EVENTS,
        "EventBusName: ${bus.name}",
        "EventBusName: ${putEventsRole.arn}",
        "wrong-reference-kind",
        "${putEventsRole.arn}",
    ),
    // The permission comes from a policy attached to the role.
    (
        STEPS,
        "                - states:StartExecution",
        "                - states:StopExecution",
        "role-missing-permission",
        "${apiRole.arn}",
    ),
    (
        STEPS,
        "Resource: ${checkout.arn}",
        "Resource: ${machineRole.arn}",
        "role-missing-permission",
        "${apiRole.arn}",
    ),
    (
        STEPS,
        "integrationSubtype: StepFunctions-StartExecution",
        "integrationSubtype: StepFunctions-StartSyncExecution",
        "state-machine-type",
        "${checkout.arn}",
    ),
    // A value written with `$$` is not its text as written: the finding is on the
    // whole value.
    (
        STEPS,
        "$${stageVariables.channel}",
        "$${stageVariables.chanel}",
        "undefined-stage-variable",
        r#"{"cart": "$${request.path.cartId}", "channel": "$${stageVariables.chanel}"}"#,
    ),
    (
        STEPS,
        "Name: $context.requestId",
        "Name: $context.requestIdd",
        "unknown-context-variable",
        "requestIdd",
    ),
    (
        STEPS,
        "Name: $context.requestId",
        "Name: checkout",
        "static-execution-name",
        "checkout",
    ),
    (
        STEPS,
        "StateMachineArn: ${checkout.arn}",
        "StateMachineArn: ${checkout.name}",
        "wrong-reference-kind",
        "${checkout.name}",
    ),
    // The OpenAPI body of an API, written with `fn::toJSON`.
    (
        BODY,
        "openapi: 3.0.1",
        "swagger: \"2.0\"",
        "swagger-not-supported",
        "swagger",
    ),
    (
        BODY,
        "openapi: 3.0.1",
        "openapi: 3.1.0",
        "openapi-version",
        "3.1.0",
    ),
    (
        BODY,
        "            /orders:\n              post:",
        "            $default:\n              x-amazon-apigateway-any-method:",
        "default-path-without-slash",
        "$default",
    ),
    (
        BODY,
        "  defaultStage:\n    type: aws:apigatewayv2:Stage\n    properties:\n      apiId: ${api.id}\n      name: $default\n      autoDeploy: true\n",
        ANOTHER_ROUTE,
        "openapi-with-route-resources",
        "anotherRoute",
    ),
];

#[test]
fn planted_defects_are_found_where_they_are() {
    let mut failures = Vec::new();
    for (name, from, to, code, at) in CASES {
        let text = program_text(name);
        let found = found_in(&replaced(&text, from, to));
        if !found.iter().any(|(c, t, _)| c == code && t == at) {
            failures.push(format!(
                "{name}: {from:?} -> {to:?}: want {code} at {at:?}, got {found:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What fires on Terraform (a rule with a Terraform example) fires in Pulumi too: each
/// such code is planted above.
#[test]
fn every_code_that_fires_on_terraform_is_planted_in_a_pulumi_program() {
    let missing: Vec<&str> = apigw_lsp::rules::RULES
        .iter()
        .filter(|r| !r.terraform_example.is_empty())
        .map(|r| r.code)
        .filter(|code| !CASES.iter().any(|c| c.3 == *code))
        .collect();
    assert_eq!(missing, Vec::<&str>::new());
}

#[test]
fn messages_speak_pulumi() {
    let cases: &[(&str, &str, &str, &str, &[&str])] = &[
        (
            SQS,
            "QueueUrl: ${orders.url}",
            "QueueUrl: ${orders.arn}",
            "wrong-reference-kind",
            &["`${orders.arn}`", "Use `${orders.url}`"],
        ),
        (
            SQS,
            "MessageBody: $request.body",
            "MessageBody: ${request.body}",
            "sub-variable-collision",
            &["Pulumi interpolation", "`$${request.body}`"],
        ),
        (
            SQS,
            "Service: apigateway.amazonaws.com",
            "Service: lambda.amazonaws.com",
            "role-not-trusted",
            &["`assumeRolePolicy`"],
        ),
        (
            SQS,
            "      credentialsArn: ${apiRole.arn}\n",
            "",
            "missing-credentials",
            &["`credentialsArn`"],
        ),
        (
            SQS,
            "target: integrations/${sendOrder.id}",
            "target: ${sendOrder.id}",
            "invalid-route-target",
            &["integrations/${myIntegration.id}"],
        ),
        (
            EVENTS,
            "com.example.$${request.path.source}",
            "com.example.$request.path.source",
            "bare-expression-after-text",
            &["write `$${request.path.source}`"],
        ),
    ];
    for (name, from, to, code, says) in cases {
        let found = found_in(&replaced(&fixture(name), from, to));
        let message = found
            .iter()
            .find(|(c, _, _)| c == code)
            .map(|(_, _, m)| m)
            .unwrap_or_else(|| panic!("no {code} in {found:#?}"));
        for said in *says {
            assert!(message.contains(said), "{code}: {message}");
        }
    }
}

#[test]
fn payload_format_version_may_be_left_to_the_provider_default() {
    // pulumi-aws: "Default is `1.0`", as the Terraform provider it is bridged from.
    let text = fixture(SQS);
    assert!(!text.contains("payloadFormatVersion"));
    assert!(fixture(EVENTS).contains("payloadFormatVersion: \"1.0\""));
    assert_eq!(findings(&text), Vec::new());
}

/// `text` with the edits of the first quick fix of the finding `code` applied.
fn fixed(text: &str, code: &str) -> String {
    let doc = doc(text);
    let found = analysis::analyze(&doc);
    let finding = found
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {found:#?}"));
    let actions = code_actions::for_finding(&doc, finding);
    let action = actions
        .first()
        .unwrap_or_else(|| panic!("no fix for {code}"));
    let mut edits = action.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for edit in edits {
        out.replace_range(edit.range.clone(), &edit.text);
    }
    out
}

#[test]
fn fixes_are_written_as_pulumi_reads_them() {
    let sqs = fixture(SQS);
    for (from, to, code) in [
        // `$${` for a braced expression, not Sub's `${!`.
        (
            "MessageBody: $request.body",
            "MessageBody: ${request.body}",
            "sub-variable-collision",
        ),
        // `${orders.url}`, not `!Ref orders`.
        (
            "QueueUrl: ${orders.url}",
            "QueueUrl: \"${orders.arn}\"",
            "wrong-reference-kind",
        ),
        (
            "target: integrations/${sendOrder.id}",
            "target: ${sendOrder}",
            "invalid-route-target",
        ),
    ] {
        let broken = replaced(&sqs, from, to);
        let repaired = fixed(&broken, code);
        assert_eq!(found_in(&repaired), Vec::new(), "{code}:\n{repaired}");
    }
    let sqs_fixed = fixed(
        &replaced(
            &sqs,
            "MessageBody: $request.body",
            "MessageBody: ${request.body}",
        ),
        "sub-variable-collision",
    );
    assert!(
        sqs_fixed.contains("MessageBody: $${request.body}"),
        "{sqs_fixed}"
    );
    // A value written with `$$` is not its text as written: the whole value is
    // written again, escaped as Pulumi reads it.
    let events = fixture(EVENTS);
    for (from, to, code, want) in [
        (
            "com.example.$${request.path.source}",
            "com.example.$${request.pth.source}",
            "invalid-expression",
            "Source: com.example.$${request.path.source}",
        ),
        (
            "com.example.$${request.path.source}",
            "com.example.$request.path.source",
            "bare-expression-after-text",
            "Source: com.example.$${request.path.source}",
        ),
    ] {
        let repaired = fixed(&replaced(&events, from, to), code);
        assert!(repaired.contains(want), "{code}:\n{repaired}");
        assert_eq!(found_in(&repaired), Vec::new(), "{code}:\n{repaired}");
    }
}

#[test]
fn fixes_that_would_write_cloudformation_are_not_offered() {
    // Adding a parameter, setting a field, a statement or a trust: the writers write
    // CloudFormation's shapes, and find no CloudFormation resource here.
    let text = fixture(SQS);
    for (from, to) in [
        ("        MessageBody: $request.body\n", ""),
        (
            "integrationSubtype: SQS-SendMessage",
            "integrationSubtype: SQS-SendMessage\n      payloadFormatVersion: \"2.0\"",
        ),
        ("Action: sqs:SendMessage", "Action: sqs:ReceiveMessage"),
        (
            "Service: apigateway.amazonaws.com",
            "Service: lambda.amazonaws.com",
        ),
    ] {
        let broken = replaced(&text, from, to);
        let doc = doc(&broken);
        let found = analysis::analyze(&doc);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0].fix.is_some());
        assert_eq!(
            code_actions::for_finding(&doc, &found[0]),
            Vec::new(),
            "{from:?}"
        );
    }
}

/// A program with one integration whose values are `values` (YAML lines under
/// `requestParameters`) and whose subtype is `subtype`.
fn program(subtype: &str, values: &str) -> String {
    format!(
        "name: p\nruntime: yaml\nconfig:\n  queueUrl:\n    type: string\nvariables:\n  prefix: orders\nresources:\n  send:\n    type: aws:apigatewayv2:Integration\n    properties:\n      apiId: ${{api.id}}\n      integrationType: AWS_PROXY\n      integrationSubtype: {subtype}\n      credentialsArn: ${{role.arn}}\n      requestParameters:\n{values}"
    )
}

#[test]
fn values_only_pulumi_knows_are_never_read_as_literals() {
    for values in [
        // Config, variables and built-in values: names this file may not declare
        // (stack config is read without a declaration).
        "        QueueUrl: ${queueUrl}\n        MessageBody: ${pulumi.stack}-$request.body\n",
        "        QueueUrl: ${stackConfigOnly}\n        MessageBody: ${prefix}\n",
        // Built-in functions.
        "        QueueUrl:\n          fn::invoke:\n            function: aws:sqs:getQueue\n            arguments: {name: orders}\n            return: url\n        MessageBody:\n          fn::join: [\"\", [\"$request.body\", \"${prefix}\"]]\n",
        "        QueueUrl:\n          fn::secret: https://sqs.us-east-1.amazonaws.com/123456789012/orders\n        MessageBody:\n          fn::readFile: ./body.txt\n",
        // `fn::toJSON` of values that are not all literals.
        "        QueueUrl: ${queueUrl}\n        MessageBody: $request.body\n        MessageAttributes:\n          fn::toJSON:\n            tenant: {DataType: String, StringValue: \"${prefix}\"}\n",
    ] {
        let text = program("SQS-SendMessage", values);
        assert_eq!(found_in(&text), Vec::new(), "{values}");
    }
    // A subtype from config: nothing to check against.
    let text = program(
        "${subtype}",
        "        QueueUrl: ${queueUrl}\n        Whatever: $request.body\n",
    );
    assert_eq!(found_in(&text), Vec::new());
    // `fn::toJSON` of literals is the JSON it makes, and is checked.
    let text = program(
        "SQS-SendMessage",
        "        QueueUrl: ${queueUrl}\n        MessageBody: $request.body\n        MessageAttributes:\n          fn::toJSON:\n            tenant: {DataType: String, StringValue: \"$${request.heder.x-tenant}\"}\n",
    );
    let found = found_in(&text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "invalid-expression");
    assert!(found[0].1.starts_with("fn::toJSON"), "{found:?}");
}

#[test]
fn yaml_that_only_looks_like_pulumi_is_left_alone() {
    for (what, text) in [
        (
            "kustomization",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - service.yaml\n",
        ),
        (
            "Concourse pipeline",
            "resources:\n- name: repo\n  type: git\n  source: {uri: https://example.com/r.git}\njobs:\n- name: test\n  plan: [{get: repo}]\n",
        ),
        (
            "Helm values",
            "replicaCount: 1\nresources:\n  limits:\n    cpu: 100m\n    memory: 128Mi\n  requests:\n    cpu: 100m\n",
        ),
        (
            "Azure Pipelines",
            "resources:\n  repositories:\n    - repository: templates\n      type: github\n      name: org/templates\nsteps:\n  - script: echo hi\n",
        ),
        (
            "a map of typed things",
            "resources:\n  repo:\n    type: git\n    properties:\n      QueueUrl: ${queue.arn}\n",
        ),
        (
            "another runtime's project file",
            "name: api\nruntime: nodejs\ndescription: a TypeScript program\n",
        ),
        (
            "another runtime with resources",
            "name: api\nruntime:\n  name: python\nresources:\n  q:\n    type: aws:sqs:Queue\n",
        ),
        (
            "a stack's configuration",
            "config:\n  aws:region: us-east-1\n  api:queueName: orders\n",
        ),
    ] {
        let doc = doc(text);
        assert_eq!(model::file_kind(&doc), FileKind::Other, "{what}");
        assert_eq!(analysis::analyze(&doc), Vec::new(), "{what}");
    }
    // The Serverless Framework's `resources.Resources` is still CloudFormation, split
    // or not.
    let serverless = "service: orders\nprovider:\n  name: aws\n  runtime: nodejs18.x\nresources:\n  Resources:\n    Queue:\n      Type: AWS::SQS::Queue\n    Send:\n      Type: AWS::ApiGatewayV2::Integration\n      Properties:\n        IntegrationType: AWS_PROXY\n        IntegrationSubtype: SQS-SendMesage\n";
    for text in [
        serverless.to_string(),
        serverless.replace(
            "resources:\n  Resources:",
            "resources: {Resources: {Queue: {Type: AWS::SQS::Queue}, Send: {Type: AWS::ApiGatewayV2::Integration, Properties: {IntegrationType: AWS_PROXY, IntegrationSubtype: SQS-SendMesage}}}}\nunused:\n  Resources:",
        ),
    ] {
        assert_eq!(model::file_kind(&doc(&text)), FileKind::CloudFormation);
        let codes: Vec<&str> = findings(&text).iter().map(|f| f.code).collect();
        assert!(codes.contains(&"unknown-subtype"), "{codes:?}\n{text}");
    }
}

#[test]
fn resources_read_with_get_are_not_known_in_full() {
    // An existing role read with `get`: its policies are elsewhere, so its permission
    // is not checked, where a role declared without policies is found wanting.
    let text = fixture(SQS);
    let declared = replaced(&text, "      inlinePolicies:\n", "      unused:\n");
    let codes: Vec<&str> = findings(&declared).iter().map(|f| f.code).collect();
    assert_eq!(codes, ["role-missing-permission"]);
    let existing = replaced(
        &declared,
        "  apiRole:\n    type: aws:iam:Role\n",
        "  apiRole:\n    type: aws:iam:Role\n    get:\n      id: orders-api-role\n",
    );
    assert_eq!(found_in(&existing), Vec::new());
}

#[test]
fn a_program_in_main_yaml_is_read_too() {
    // `Main.yaml` holds the program when `Pulumi.yaml` names the runtime: no `runtime`
    // here, resources typed with Pulumi tokens.
    let text = fixture(SQS);
    let start = text.find("resources:").expect("resources");
    let main = &text[start..];
    assert!(!main.contains("runtime"));
    assert_eq!(model::file_kind(&doc(main)), FileKind::Pulumi);
    let broken = replaced(main, "QueueUrl: ${orders.url}", "QueueUrl: ${orders.arn}");
    let codes: Vec<&str> = findings(&broken).iter().map(|f| f.code).collect();
    assert_eq!(codes, ["wrong-reference-kind"]);
}

#[test]
fn a_program_in_json_is_read_too() {
    // Pulumi YAML reads JSON programs (`Main.json`) the same way.
    let text = r#"{
  "resources": {
    "orders": {"type": "aws:sqs:Queue"},
    "role": {"type": "aws:iam:Role", "properties": {"assumeRolePolicy": {"fn::toJSON": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}, "managedPolicyArns": ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"]}},
    "send": {
      "type": "aws:apigatewayv2:Integration",
      "properties": {
        "apiId": "${api.id}",
        "integrationType": "AWS_PROXY",
        "integrationSubtype": "SQS-SendMessage",
        "credentialsArn": "${role.arn}",
        "requestParameters": {"QueueUrl": "${orders.url}", "MessageBody": "$${request.body}"}
      }
    }
  }
}"#;
    let doc = Document::new(text, Language::Json, 0);
    assert_eq!(model::file_kind(&doc), FileKind::Pulumi);
    assert_eq!(analysis::analyze(&doc), Vec::new());
    let broken = replaced(text, "\"${orders.url}\"", "\"${orders.arn}\"");
    let doc = Document::new(&broken, Language::Json, 0);
    let found = analysis::analyze(&doc);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "wrong-reference-kind");
    // The fix writes Pulumi's reference inside the quotes, not `{"Fn::GetAtt": ...}`.
    let actions = code_actions::for_finding(&doc, &found[0]);
    assert_eq!(actions[0].edits[0].text, "${orders.url}");
    assert_eq!(&broken[actions[0].edits[0].range.clone()], "${orders.arn}");
}

/// The SQS program with its integration moved into the API's OpenAPI `body`, written
/// with `fn::toJSON`.
fn openapi_body() -> String {
    let text = fixture(SQS);
    let start = text.find("  sendOrder:").expect("integration");
    let end = text.find("  defaultStage:").expect("stage");
    let program = format!("{}{}", &text[..start], &text[end..]);
    replaced(
        &program,
        "      protocolType: HTTP\n",
        "      protocolType: HTTP\n      body:\n        fn::toJSON:\n          openapi: 3.0.1\n          info: {title: orders, version: \"1\"}\n          paths:\n            /orders:\n              post:\n                x-amazon-apigateway-integration:\n                  type: aws_proxy\n                  integrationSubtype: SQS-SendMessage\n                  payloadFormatVersion: \"1.0\"\n                  credentials: ${apiRole.arn}\n                  requestParameters:\n                    QueueUrl: ${orders.url}\n                    MessageBody: $request.body\n",
    )
}

#[test]
fn an_openapi_body_written_with_to_json_is_read_as_pulumi() {
    let text = openapi_body();
    assert_eq!(
        integrations(&text),
        [(Dialect::OpenApi, Some("SQS-SendMessage".to_string()))]
    );
    assert_eq!(found_in(&text), Vec::new());
    // As Pulumi writes them: the resources are the program's, the strings Pulumi's.
    for (from, to, says) in [
        (
            "QueueUrl: ${orders.url}",
            "QueueUrl: ${orders.arn}",
            "Use `${orders.url}`",
        ),
        (
            "MessageBody: $request.body",
            "MessageBody: ${request.body}",
            "`$${request.body}`",
        ),
        (
            "Service: apigateway.amazonaws.com",
            "Service: lambda.amazonaws.com",
            "`assumeRolePolicy`",
        ),
    ] {
        let found = found_in(&replaced(&text, from, to));
        assert!(found.len() == 1 && found[0].2.contains(says), "{found:#?}");
    }
}

#[test]
fn resources_are_entries_of_their_own_and_a_keystroke_rebuilds_one() {
    let text = fixture(SQS);
    let mut doc = doc(&text);
    let names: Vec<&str> = doc
        .entries()
        .filter(|e| e.section == Some("resources"))
        .filter_map(|e| e.key())
        .collect();
    assert_eq!(
        names,
        [
            "orders",
            "api",
            "apiRole",
            "sendOrder",
            "postOrder",
            "defaultStage"
        ]
    );
    let stamps = |doc: &Document| -> Vec<(Option<String>, u64)> {
        doc.entries()
            .map(|e| (e.key().map(str::to_string), e.entry.stamp))
            .collect()
    };
    let before = stamps(&doc);
    // Type `$request.bdy` one key at a time inside the integration.
    let at = text.find("$request.body").expect("body") + "$request.b".len();
    doc.apply_edit(at..at + 3, "");
    let mut typed = text[..at].to_string() + &text[at + 3..];
    for (i, c) in "dy".chars().enumerate() {
        doc.apply_edit(at + i..at + i, &c.to_string());
        typed.insert(at + i, c);
        assert_eq!(doc.text(), typed);
        assert_eq!(
            analysis::analyze(&doc),
            findings(&typed),
            "incremental and fresh differ after {i} keys"
        );
    }
    let after = stamps(&doc);
    let changed: Vec<&Option<String>> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| &b.0)
        .collect();
    assert_eq!(changed, [&Some("sendOrder".to_string())]);
    assert_eq!(before.len(), after.len());
}

/// Edits that change what a resource is or which section it is in read the same as a
/// fresh parse of the text they make: entries, values and findings.
#[test]
fn edits_read_the_same_as_a_fresh_parse() {
    let text = fixture(SQS);
    let mut doc = doc(&text);
    let mut expected = text.clone();
    let edits: &[(&str, &str)] = &[
        // The section header loses its name, and gets it back.
        ("\nresources:\n", "\nresource:\n"),
        ("\nresource:\n", "\nResources:\n"),
        ("\nResources:\n", "\nresources:\n"),
        // The integration's type stops being a Pulumi type, and is one again.
        (
            "type: aws:apigatewayv2:Integration",
            "type: AWS::ApiGatewayV2::Integration",
        ),
        (
            "type: AWS::ApiGatewayV2::Integration",
            "type: aws:apigatewayv2:Integration",
        ),
        // An interpolation typed and closed.
        ("QueueUrl: ${orders.url}", "QueueUrl: ${orders.url"),
        ("QueueUrl: ${orders.url", "QueueUrl: $${orders.url}"),
        ("QueueUrl: $${orders.url}", "QueueUrl: ${orders.url}"),
        // The runtime goes away and comes back.
        ("runtime: yaml\n", ""),
        ("name: orders-api\n", "name: orders-api\nruntime: yaml\n"),
    ];
    for (from, to) in edits {
        let at = expected
            .find(from)
            .unwrap_or_else(|| panic!("{from:?} not in the text"));
        doc.apply_edit(at..at + from.len(), to);
        expected.replace_range(at..at + from.len(), to);
        let fresh = Document::new(&expected, Language::Yaml, 0);
        assert_eq!(doc.text(), expected);
        assert_eq!(
            apigw_lsp::document::debug_view(&doc),
            apigw_lsp::document::debug_view(&fresh),
            "after {from:?} -> {to:?}"
        );
        assert_eq!(
            analysis::analyze(&doc),
            analysis::analyze(&fresh),
            "after {from:?} -> {to:?}"
        );
    }
    assert_eq!(expected, text);
    assert_eq!(analysis::analyze(&doc), Vec::new());
}

#[test]
fn half_typed_programs_analyse() {
    for name in [SQS, EVENTS, STEPS] {
        let text = fixture(name);
        let cuts = (0..text.len())
            .step_by(13)
            .filter(|&at| text.is_char_boundary(at));
        for at in cuts {
            let _ = findings(&text[..at]);
        }
    }
}

/// Completion, hover and navigation do not know Pulumi programs yet: asked anywhere in
/// one, they answer without failing.
#[test]
fn editor_features_answer_anywhere_in_a_program() {
    use apigw_lsp::analysis::{Analyzer, completion, hover, navigation, symbols};
    for name in [SQS, EVENTS, STEPS] {
        let text = fixture(name);
        let doc = doc(&text);
        let mut analyzer = Analyzer::default();
        analyzer.analyze(&doc);
        let index = analyzer.index(&doc);
        for at in (0..text.len())
            .step_by(5)
            .filter(|&i| text.is_char_boundary(i))
        {
            let _ = completion::complete(&doc, index, at);
            let _ = hover::hover(&doc, index, at);
            let _ = navigation::definition(&doc, index, at);
            let _ = navigation::references(&doc, index, at, true);
        }
        let _ = symbols::document_symbols(&doc, index);
    }
}

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("apigw-lsp-pulumi-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    fn write(&self, rel: &str, contents: &str) {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent dir");
        }
        fs::write(&path, contents).expect("write file");
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn check_walks_pulumi_programs_in_a_folder() {
    let dir = TempDir::new("walk");
    let broken = replaced(
        &fixture(SQS),
        "QueueUrl: ${orders.url}",
        "QueueUrl: ${orders.arn}",
    );
    dir.write("orders/Pulumi.yaml", &broken);
    dir.write(
        "orders/Pulumi.dev.yaml",
        "config:\n  aws:region: us-east-1\n  orders-api:retentionSeconds: 600\n",
    );
    dir.write("events/Pulumi.yaml", &fixture(EVENTS));
    dir.write(
        "k8s/kustomization.yaml",
        "resources:\n  - deployment.yaml\n",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_apigw-lsp"))
        .args(["check", "--format", "json", "."])
        .current_dir(&dir.0)
        .env_remove("RUST_LOG")
        .output()
        .expect("run apigw-lsp");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let reports: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let found: Vec<(String, String)> = reports
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| {
            (
                r["file"]
                    .as_str()
                    .unwrap_or("")
                    .replace('\\', "/")
                    .trim_start_matches("./")
                    .to_string(),
                r["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "orders/Pulumi.yaml".to_string(),
            "wrong-reference-kind".to_string()
        )],
        "{stdout}"
    );
}

#[test]
fn the_server_publishes_diagnostics_for_a_pulumi_program() {
    use serde_json::json;
    let mut client = common::Client::start();
    client.initialize(json!({}));
    let uri = "file:///tmp/pulumi-e2e/Pulumi.yaml";
    let text = replaced(
        &fixture(SQS),
        "MessageBody: $request.body",
        "MessageBody: ${request.body}",
    );
    client.open(uri, "yaml", &text);
    let diags = client.diagnostics(uri, Some(1));
    assert_eq!(common::codes(&diags), ["sub-variable-collision"]);
    assert_eq!(diags[0]["data"]["text"], "$${");
    // The quick fix's edit, as an editor applies it.
    let line = text[..text.find("${request.body}").expect("collision")]
        .matches('\n')
        .count();
    let column = text
        .lines()
        .nth(line)
        .and_then(|l| l.find("${"))
        .expect("column");
    client.change(
        uri,
        2,
        json!([{"range": {"start": {"line": line, "character": column},
                          "end": {"line": line, "character": column + 2}},
                "text": "$${"}]),
    );
    assert_eq!(
        client.diagnostics(uri, Some(2)),
        Vec::<serde_json::Value>::new()
    );
    assert!(client.shutdown().success());
}
