//! `apigw-lsp check` on CDK cloud assemblies (`cdk.out`), arranged at test time from
//! the real CDK templates of the corpus (`tests/corpus/real/aws-cdk__*`) as `cdk synth`
//! writes them: a `manifest.json` with several stacks (with the `aws:cdk:logicalId`
//! metadata of aws-cdk's own integ snapshot manifests), asset manifests, `tree.json`,
//! a nested stack template named by its parent's `aws:asset:path`, a stage
//! sub-assembly (`assembly-Prod/` with its own manifest), asset folders holding
//! broken YAML and JSON, and a template left over from an earlier synth.

mod check_support;

use std::collections::BTreeMap;

use check_support::{
    Run, TempDir, as_expected, corpus, expected_findings, field, findings, json, run_in,
};
use serde_json::{Value, json};

const SNAPSHOT: &str = "aws-cdk__packages__@aws-cdk-testing__framework-integ__test__";
const V1: &str = "aws-cdk__packages__@aws-cdk__aws-apigatewayv2-integrations__test__http__";

fn snapshot(rest: &str) -> String {
    format!("{SNAPSHOT}{rest}")
}

/// Where a corpus template goes in the assembly.
struct Stack {
    /// The artifact id (`cdk.out/<id>.template.json`), or the nested template's file.
    id: &'static str,
    corpus: String,
    /// The folder below `cdk.out` (a stage's sub-assembly), or "".
    folder: &'static str,
    /// A nested stack of the stack `parent` (then `id` is the template's file name).
    parent: Option<&'static str>,
    /// `aws:cdk:logicalId` metadata in the manifest: construct path, logical ID.
    metadata: &'static [(&'static str, &'static str)],
    depends_on: &'static [&'static str],
}

fn stacks() -> Vec<Stack> {
    let stack = |id, corpus: String| Stack {
        id,
        corpus,
        folder: "",
        parent: None,
        metadata: &[],
        depends_on: &[],
    };
    vec![
        Stack {
            // From aws-cdk's integ.sqs.js.snapshot/manifest.json.
            metadata: &[
                ("/sqs-integration/Queue/Resource", "Queue4A7E3555"),
                ("/sqs-integration/Api/Resource", "ApiF70053CD"),
                (
                    "/sqs-integration/Api/POST--send-message/InvokeRole/Resource",
                    "ApiPOSTsendmessageInvokeRole628F6753",
                ),
                (
                    "/sqs-integration/Api/POST--send-message/sendMessageIntegration/Resource",
                    "ApiPOSTsendmessagesendMessageIntegrationA3699583",
                ),
                (
                    "/sqs-integration/Api/POST--send-message/Resource",
                    "ApiPOSTsendmessageE475BC37",
                ),
            ],
            ..stack(
                "sqs-integration",
                snapshot(
                    "aws-apigatewayv2-integrations__test__http__integ.sqs.js.snapshot__sqs-integration.template.json",
                ),
            )
        },
        stack(
            "eventbridge-integration",
            snapshot(
                "aws-apigatewayv2-integrations__test__http__integ.eventbridge.js.snapshot__eventbridge-integration.template.json",
            ),
        ),
        Stack {
            // From aws-cdk's integ.api-import-routes.js.snapshot/manifest.json.
            metadata: &[("/ApiStack/SharedHttpApi/Resource", "SharedHttpApi30B2265F")],
            ..stack(
                "ApiStack",
                snapshot(
                    "aws-apigatewayv2__test__http__integ.api-import-routes.js.snapshot__ApiStack.template.json",
                ),
            )
        },
        Stack {
            metadata: &[(
                "/RouteStack/ImportedApi/GET--pets/GetPetsIntegration/Resource",
                "ImportedApiGETpetsGetPetsIntegration1B6DAC49",
            )],
            depends_on: &["ApiStack"],
            ..stack(
                "RouteStack",
                snapshot(
                    "aws-apigatewayv2__test__http__integ.api-import-routes.js.snapshot__RouteStack.template.json",
                ),
            )
        },
        stack(
            "AuthorizerInteg",
            snapshot(
                "aws-apigatewayv2-authorizers__test__http__integ.lambda.js.snapshot__AuthorizerInteg.template.json",
            ),
        ),
        stack(
            "integ-nlb-integration",
            snapshot(
                "aws-apigatewayv2-integrations__test__http__integ.nlb.js.snapshot__integ-nlb-integration.template.json",
            ),
        ),
        Stack {
            parent: Some("integ-nlb-integration"),
            ..stack(
                "integnlbintegrationWorkflowsNestedStackWorkflowsNestedStackResource5A3C2A6B.nested.template.json",
                snapshot(
                    "aws-apigatewayv2-integrations__test__http__integ.stepfunctions.js.snapshot__stepfunctions-integration.template@ff647f4a.json",
                ),
            )
        },
        stack(
            "integ-service-discovery-integration",
            snapshot(
                "aws-apigatewayv2-integrations__test__http__integ.service-discovery.js.snapshot__integ-service-discovery-integration.template.json",
            ),
        ),
        stack(
            "integ-aws-websocket-integration",
            snapshot(
                "aws-apigatewayv2-integrations__test__websocket__integ.aws.js.snapshot__integ-aws-websocket-integration.template.json",
            ),
        ),
        stack(
            "integ-aws-integration",
            format!("{V1}integ.aws-integration.expected.json"),
        ),
        stack(
            "integ-aws-proxy",
            format!("{V1}integ.aws-proxy.expected.json"),
        ),
        stack("integ-kinesis", format!("{V1}integ.kinesis.expected.json")),
        stack("integ-sqs-v1", format!("{V1}integ.sqs.expected.json")),
        stack(
            "integ-step-functions",
            format!("{V1}integ.step-functions.expected.json"),
        ),
        Stack {
            folder: "assembly-Prod",
            ..stack(
                "Prod-stepfunctions-integration",
                snapshot(
                    "aws-apigatewayv2-integrations__test__http__integ.stepfunctions.js.snapshot__stepfunctions-integration.template.json",
                ),
            )
        },
        Stack {
            folder: "assembly-Prod",
            ..stack(
                "Prod-WebSocketHttpApiInteg",
                snapshot(
                    "aws-apigatewayv2-integrations__test__websocket__integ.http.js.snapshot__WebSocketHttpApiInteg.template.json",
                ),
            )
        },
    ]
}

impl Stack {
    /// The template's path below the assembly's folder.
    fn path(&self) -> String {
        let file = if self.parent.is_some() {
            self.id.to_string()
        } else {
            format!("{}.template.json", self.id)
        };
        if self.folder.is_empty() {
            format!("cdk.out/{file}")
        } else {
            format!("cdk.out/{}/{file}", self.folder)
        }
    }
}

/// A defect planted in a corpus template, in a resource it names by logical ID.
struct Plant {
    stack: &'static str,
    resource: &'static str,
    code: &'static str,
    /// The property path the finding names, below the resource.
    path: &'static str,
    /// The construct path: from the template's `Metadata` when `in_template`, else
    /// from the manifest's metadata.
    construct: &'static str,
    in_template: bool,
    edit: fn(&mut Value),
}

fn plants() -> Vec<Plant> {
    vec![
        Plant {
            stack: "sqs-integration",
            resource: "ApiPOSTsendmessagesendMessageIntegrationA3699583",
            code: "unknown-parameter",
            path: "Properties/RequestParameters/queueUrl",
            construct: "sqs-integration/Api/POST--send-message/sendMessageIntegration/Resource",
            in_template: false,
            edit: |r| {
                let params = &mut r["Properties"]["RequestParameters"];
                if let Some(map) = params.as_object_mut()
                    && let Some(url) = map.remove("QueueUrl")
                {
                    map.insert("queueUrl".to_string(), url);
                }
            },
        },
        Plant {
            stack: "eventbridge-integration",
            resource: "ApiPOSTputeventsputEventsIntegration2D9DDBF5",
            code: "unknown-subtype",
            path: "Properties/IntegrationSubtype",
            construct: "eventbridge-integration/Api/POST--put-events/putEventsIntegration/Resource",
            in_template: true,
            edit: |r| r["Properties"]["IntegrationSubtype"] = json!("EventBridge-PutEvent"),
        },
        Plant {
            stack: "integnlbintegrationWorkflowsNestedStackWorkflowsNestedStackResource5A3C2A6B.nested.template.json",
            resource: "ApiPOSTtestIntegration9C6ACC5D",
            code: "unknown-subtype",
            path: "Properties/IntegrationSubtype",
            construct: "integ-nlb-integration/Workflows/Api/POST--test/Integration/Resource",
            in_template: true,
            edit: |r| {
                r["Properties"]["IntegrationSubtype"] = json!("StepFunctions-StartExecutoin");
            },
        },
        Plant {
            stack: "Prod-stepfunctions-integration",
            resource: "ApiDefaultRouteDefaultIntegrationDF849BE0",
            code: "wrong-payload-format-version",
            path: "Properties/PayloadFormatVersion",
            construct: "Prod/stepfunctions-integration/Api/DefaultRoute/DefaultIntegration/Resource",
            in_template: true,
            edit: |r| r["Properties"]["PayloadFormatVersion"] = json!("2.0"),
        },
    ]
}

/// The nested stack resource of the parent, as CDK writes it.
const NESTED_RESOURCE: &str = "WorkflowsNestedStackWorkflowsNestedStackResource5A3C2A6B";

/// A template's text with `edit` applied to its JSON.
fn edited(text: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut value = json(text);
    edit(&mut value);
    serde_json::to_string_pretty(&value).expect("JSON")
}

/// Writes the assembly into `dir`: the stacks verbatim (the nested stack's parent
/// gains its `AWS::CloudFormation::Stack` resource), or with `plants` applied.
fn arrange(dir: &TempDir, plants: &[Plant]) {
    let stacks = stacks();
    let mut manifests: BTreeMap<&str, serde_json::Map<String, Value>> = BTreeMap::new();
    for stack in &stacks {
        let mut text = corpus(&stack.corpus);
        let planted: Vec<&Plant> = plants.iter().filter(|p| p.stack == stack.id).collect();
        if !planted.is_empty() {
            text = edited(&text, |t| {
                for plant in &planted {
                    let resource = &mut t["Resources"][plant.resource];
                    assert!(
                        resource.is_object(),
                        "{} has no {}",
                        stack.id,
                        plant.resource
                    );
                    (plant.edit)(resource);
                    if plant.in_template {
                        resource["Metadata"] = json!({"aws:cdk:path": plant.construct});
                    }
                }
            });
        }
        let nested: Vec<&Stack> = stacks
            .iter()
            .filter(|s| s.parent == Some(stack.id))
            .collect();
        for child in &nested {
            text = edited(&text, |t| {
                t["Resources"][NESTED_RESOURCE] = json!({
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": {"Fn::Join": ["", [
                        "https://s3.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}, "/",
                        {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
                        "/5a3c2a6b.json"]]}},
                    "UpdateReplacePolicy": "Delete",
                    "DeletionPolicy": "Delete",
                    "Metadata": {
                        "aws:cdk:path": format!("{}/Workflows.NestedStack/Workflows.NestedStackResource", stack.id),
                        "aws:asset:path": child.id,
                        "aws:asset:property": "TemplateURL"
                    }
                });
            });
        }
        dir.write(&stack.path(), &text);
        if stack.parent.is_some() {
            continue;
        }
        let artifacts = manifests.entry(stack.folder).or_default();
        let assets = format!("{}.assets", stack.id);
        artifacts.insert(
            assets.clone(),
            json!({"type": "cdk:asset-manifest", "properties": {
                "file": format!("{}.assets.json", stack.id),
                "requiresBootstrapStackVersion": 6,
                "bootstrapStackVersionSsmParameter": "/cdk-bootstrap/hnb659fds/version"}}),
        );
        let folder = if stack.folder.is_empty() {
            "cdk.out".to_string()
        } else {
            format!("cdk.out/{}", stack.folder)
        };
        dir.write(
            &format!("{folder}/{}.assets.json", stack.id),
            json!({"version": "36.0.0", "files": {"5a3c2a6b": {
                "source": {"path": format!("{}.template.json", stack.id), "packaging": "file"},
                "destinations": {}}}})
            .to_string(),
        );
        let metadata: serde_json::Map<String, Value> = stack
            .metadata
            .iter()
            .map(|(path, id)| {
                (
                    path.to_string(),
                    json!([{"type": "aws:cdk:logicalId", "data": id}]),
                )
            })
            .collect();
        let mut dependencies: Vec<Value> = stack.depends_on.iter().map(|d| json!(d)).collect();
        dependencies.push(json!(assets));
        artifacts.insert(
            stack.id.to_string(),
            json!({
                "type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/unknown-region",
                "properties": {
                    "templateFile": format!("{}.template.json", stack.id),
                    "terminationProtection": false,
                    "validateOnSynth": false,
                    "requiresBootstrapStackVersion": 6,
                    "additionalDependencies": [assets]
                },
                "dependencies": dependencies,
                "metadata": metadata,
                "displayName": stack.id
            }),
        );
    }
    let mut top = manifests.remove("").unwrap_or_default();
    for folder in manifests.keys() {
        top.insert(
            folder.to_string(),
            json!({"type": "cdk:cloud-assembly", "properties": {
                "directoryName": folder, "displayName": folder.trim_start_matches("assembly-")}}),
        );
    }
    top.insert(
        "Tree".to_string(),
        json!({"type": "cdk:tree", "properties": {"file": "tree.json"}}),
    );
    for (folder, artifacts) in manifests {
        dir.write(
            &format!("cdk.out/{folder}/manifest.json"),
            serde_json::to_string_pretty(&json!({"version": "36.0.0", "artifacts": artifacts}))
                .expect("JSON"),
        );
    }
    dir.write(
        "cdk.out/manifest.json",
        serde_json::to_string_pretty(&json!({"version": "36.0.0", "artifacts": top}))
            .expect("JSON"),
    );
    dir.write(
        "cdk.out/tree.json",
        json!({"version": "tree-0.1", "tree": {"id": "App", "path": ""}}).to_string(),
    );
    dir.write("cdk.out/cdk.out", json!({"version": "36.0.0"}).to_string());
    // Bundled code: any YAML or JSON, broken or a template; not ours to check.
    dir.write(
        "cdk.out/asset.abc123/config.yaml",
        "Resources:\n  Broken: [unclosed\n    Type: {\n",
    );
    dir.write(
        "cdk.out/asset.abc123/package.json",
        "{\"name\": \"handler\", \"version\": ",
    );
    dir.write("cdk.out/asset.abc123/template.yaml", ASSET_TEMPLATE);
    // Left over from an earlier synth: in no manifest.
    dir.write("cdk.out/OldStack.template.json", STALE_TEMPLATE);
}

/// A template with a defect, in an asset folder.
const ASSET_TEMPLATE: &str = "Resources:\n  Send:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-Send\n";

/// A template with a defect that no manifest names.
const STALE_TEMPLATE: &str = r#"{"Resources": {"Send": {"Type": "AWS::ApiGatewayV2::Integration",
  "Properties": {"IntegrationType": "AWS_PROXY", "IntegrationSubtype": "SQS-Send"}}}}"#;

/// The stack (or nested template) a reported file is.
fn stack_of<'s>(stacks: &'s [Stack], file: &str) -> &'s Stack {
    stacks
        .iter()
        .find(|s| s.path() == file)
        .unwrap_or_else(|| panic!("{file} is no template of the assembly"))
}

/// How many files the text summary says were checked.
fn summary_count(run: &Run) -> &str {
    let line = run
        .stderr
        .lines()
        .last()
        .unwrap_or_else(|| panic!("no summary: {}", run.stderr));
    line.strip_prefix("apigw-lsp check: ")
        .and_then(|l| l.split(" file").next())
        .unwrap_or_else(|| panic!("not a summary: {line}"))
}

#[test]
fn the_real_cdk_templates_as_an_assembly_give_only_their_reviewed_findings() {
    let dir = TempDir::new("cdk-verbatim");
    arrange(&dir, &[]);
    let stacks = stacks();
    let (run, reports) = findings(dir.path(), &["cdk.out"]);
    // What expected.txt says of each corpus file, where the file is verbatim (the
    // nested stack's parent gained a resource: it must stay silent).
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut errors = false;
    for stack in &stacks {
        let lines = expected_findings(&stack.corpus);
        errors |= lines.iter().any(|l| l.contains(": error["));
        let verbatim = !stacks.iter().any(|s| s.parent == Some(stack.id));
        assert!(verbatim || lines.is_empty(), "{}: {lines:?}", stack.corpus);
        expected.insert(stack.path(), lines);
    }
    let mut reported: BTreeMap<String, Vec<String>> =
        stacks.iter().map(|s| (s.path(), Vec::new())).collect();
    for report in &reports {
        let stack = stack_of(&stacks, field(report, "file"));
        reported
            .entry(stack.path())
            .or_default()
            .push(as_expected(report));
    }
    assert_eq!(reported, expected, "{}", run.stderr);
    assert!(
        expected.values().any(|l| !l.is_empty()),
        "the v1 templates have reviewed findings: the comparison compares something"
    );
    assert_eq!(run.code, i32::from(errors), "{}", run.stderr);
    // Every stack template, nested template and stage template, and nothing else:
    // not the asset folder, the leftover template, tree.json or the asset manifests.
    let text = run_in(dir.path(), &["check", "cdk.out"]);
    assert_eq!(
        summary_count(&text),
        stacks.len().to_string(),
        "{}",
        text.stderr
    );
    assert!(!text.stderr.contains("skipped"), "{}", text.stderr);
    assert!(!text.stdout.contains("asset.") && !text.stdout.contains("OldStack"));
}

#[test]
fn planted_defects_are_found_with_their_construct_paths_in_text_json_and_sarif() {
    let dir = TempDir::new("cdk-planted");
    let plants = plants();
    arrange(&dir, &plants);
    let stacks = stacks();
    let (run, reports) = findings(dir.path(), &["cdk.out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for report in &reports {
        let stack = stack_of(&stacks, field(report, "file"));
        let planted: Vec<&Plant> = plants.iter().filter(|p| p.stack == stack.id).collect();
        if planted.is_empty() {
            // A verbatim template: only what expected.txt reviewed.
            assert!(
                expected_findings(&stack.corpus).contains(&as_expected(report)),
                "unexpected: {report}"
            );
            continue;
        }
        assert!(
            planted
                .iter()
                .any(|p| p.resource == field(report, "logicalId")),
            "a finding outside the planted resources: {report}"
        );
    }
    let text = run_in(dir.path(), &["check", "cdk.out"]);
    assert_eq!(
        summary_count(&text),
        stacks.len().to_string(),
        "{}",
        text.stderr
    );
    let sarif = json(&run_in(dir.path(), &["check", "--format", "sarif", "cdk.out"]).stdout);
    let results = sarif["runs"][0]["results"]
        .as_array()
        .expect("SARIF results");
    for plant in &plants {
        let stack = stacks.iter().find(|s| s.id == plant.stack).expect("stack");
        let file = stack.path();
        let report = reports
            .iter()
            .find(|r| {
                field(r, "file") == file
                    && field(r, "code") == plant.code
                    && field(r, "logicalId") == plant.resource
            })
            .unwrap_or_else(|| panic!("{}: no {} in {file}", plant.resource, plant.code));
        assert_eq!(field(report, "path"), plant.path, "{report}");
        assert_eq!(field(report, "construct"), plant.construct, "{report}");
        // The line it points at holds what was planted.
        let line = report["range"]["start"]["line"].as_u64().expect("line");
        let key = plant.path.rsplit('/').next().unwrap_or_default();
        let written = dir.read(&file);
        let at = written.lines().nth(line as usize).unwrap_or_default();
        assert!(at.contains(key), "{file}:{}: {at}", line + 1);
        // Text: the finding's line ends with its construct.
        let position = format!(
            "{file}:{}:{}: ",
            line + 1,
            report["range"]["start"]["character"].as_u64().unwrap_or(0) + 1
        );
        assert!(
            text.stdout.lines().any(|l| l.starts_with(&position)
                && l.contains(&format!("[{}]", plant.code))
                && l.ends_with(&format!(" (construct {})", plant.construct))),
            "{position} in:\n{}",
            text.stdout
        );
        // SARIF: a logical location with the construct path.
        assert!(
            results.iter().any(|r| {
                r["ruleId"] == plant.code
                    && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == file
                    && r["locations"][0]["logicalLocations"][0]
                        == json!({"fullyQualifiedName": plant.construct, "kind": "resource"})
            }),
            "{} {file} not in SARIF with its construct",
            plant.code
        );
    }
    // Findings of templates without construct paths have no logical location.
    for r in results {
        let has = r["locations"][0].get("logicalLocations").is_some();
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default();
        assert_eq!(
            has,
            plants
                .iter()
                .any(|p| stacks.iter().any(|s| s.id == p.stack && s.path() == uri)),
            "{r}"
        );
    }
}

#[test]
fn a_project_folder_holding_a_git_ignored_cdk_out_is_checked_by_its_manifest() {
    let dir = TempDir::new("cdk-project");
    arrange(&dir, &plants());
    dir.write(
        ".gitignore",
        "*.js\n!jest.config.js\n*.d.ts\nnode_modules\ncdk.out\n",
    );
    dir.write("cdk.json", "{\"app\": \"npx ts-node bin/app.ts\"}");
    dir.write("bin/app.ts", "new App();\n");
    let (run, reports) = findings(dir.path(), &["."]);
    let (direct, direct_reports) = findings(dir.path(), &["cdk.out"]);
    let text = run_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, direct.code, "{}", run.stderr);
    let files = |reports: &[Value]| -> Vec<String> {
        reports
            .iter()
            .map(|r| field(r, "file").trim_start_matches("./").to_string())
            .collect()
    };
    assert_eq!(files(&reports), files(&direct_reports));
    assert!(!reports.is_empty());
    // cdk.json is JSON but not a template: the only other file looked at.
    assert!(
        text.stderr
            .contains("(1 other file skipped: not a template)"),
        "{}",
        text.stderr
    );
}

#[test]
fn a_folder_holding_a_cloud_assembly_under_another_name_is_read_by_its_manifest() {
    // aws-cdk's integ tests keep theirs in `integ.NAME.js.snapshot/`.
    let dir = TempDir::new("cdk-snapshot");
    arrange(&dir, &plants());
    std::fs::rename(
        dir.path().join("cdk.out"),
        dir.path().join("integ.api.js.snapshot"),
    )
    .expect("rename");
    let (run, reports) = findings(dir.path(), &["."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        reports
            .iter()
            .all(|r| !field(r, "file").contains("asset.") && !field(r, "file").contains("Old")),
        "{reports:?}"
    );
    let text = run_in(dir.path(), &["check", "."]);
    assert_eq!(
        summary_count(&text),
        stacks().len().to_string(),
        "{}",
        text.stderr
    );
}

#[test]
fn a_manifest_json_that_is_no_cloud_assembly_leaves_its_folder_walked() {
    let dir = TempDir::new("cdk-webapp");
    dir.write(
        "site/manifest.json",
        json!({"name": "Orders", "version": "1.0", "start_url": "/"}).to_string(),
    );
    dir.write("site/template.json", STALE_TEMPLATE);
    let run = run_in(dir.path(), &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.contains("site/template.json"), "{}", run.stdout);
    assert!(!run.stderr.contains("manifest"), "{}", run.stderr);
}

#[test]
fn files_named_in_an_assembly_are_checked_whatever_the_manifest_says() {
    let dir = TempDir::new("cdk-named");
    arrange(&dir, &[]);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "cdk.out/asset.abc123/template.yaml",
            "cdk.out/OldStack.template.json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    for file in [
        "cdk.out/asset.abc123/template.yaml",
        "cdk.out/OldStack.template.json",
    ] {
        assert!(
            run.stdout
                .lines()
                .any(|l| l.starts_with(file) && l.contains("[unknown-subtype]")),
            "{file}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn a_broken_manifest_is_a_clear_error_naming_it() {
    let dir = TempDir::new("cdk-broken");
    arrange(&dir, &plants());
    for (manifest, text, why) in [
        (
            "cdk.out/manifest.json",
            "{\"version\": \"36.0.0\", \"artifacts\": {",
            "not JSON",
        ),
        ("cdk.out/manifest.json", "[]", "not a JSON object"),
        (
            "cdk.out/manifest.json",
            "{\"version\": \"36.0.0\", \"artifacts\": []}",
            "`artifacts` is not a mapping",
        ),
        (
            "cdk.out/assembly-Prod/manifest.json",
            "{\"artifacts\": {}}",
            "no `version`",
        ),
    ] {
        let saved = dir.read(manifest);
        dir.write(manifest, text);
        for args in [["check", "cdk.out"], ["check", "."]] {
            let run = run_in(dir.path(), &args);
            assert_eq!(run.code, 2, "{args:?} {manifest} {text}: {}", run.stderr);
            assert!(
                run.stderr
                    .contains(&format!("{manifest}: not a cloud assembly manifest ({why}")),
                "{args:?} {manifest}: {}",
                run.stderr
            );
            assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        }
        dir.write(manifest, saved);
    }
}

#[test]
fn what_a_manifest_names_and_is_not_there_is_said_and_the_rest_is_checked() {
    let dir = TempDir::new("cdk-missing");
    let plants = plants();
    arrange(&dir, &plants);
    let (whole, whole_reports) = findings(dir.path(), &["cdk.out"]);
    assert_eq!(whole.code, 1, "{}", whole.stderr);
    let stacks = stacks();
    let nested = stacks
        .iter()
        .find(|s| s.parent.is_some())
        .expect("a nested stack");
    let stage = stacks
        .iter()
        .find(|s| !s.folder.is_empty())
        .expect("a stage stack");
    let cases: [(&str, String, String); 3] = [
        (
            "cdk.out/sqs-integration.template.json",
            "cdk.out/manifest.json: stack `sqs-integration` names the template `sqs-integration.template.json`, which does not exist".to_string(),
            "cdk.out/sqs-integration.template.json".to_string(),
        ),
        (
            "cdk.out/assembly-Prod",
            "cdk.out/manifest.json: `assembly-Prod` names the folder `assembly-Prod`, which does not exist".to_string(),
            format!("cdk.out/{}/", stage.folder),
        ),
        (
            &nested.path(),
            format!(
                "cdk.out/{}.template.json: nested stack `{NESTED_RESOURCE}` names the template `{}`, which does not exist",
                nested.parent.unwrap_or_default(),
                nested.id
            ),
            nested.path(),
        ),
    ];
    for (gone, message, missing) in cases {
        let moved = dir.path().join("moved-away");
        std::fs::rename(dir.path().join(gone), &moved).expect("move away");
        let (run, reports) = findings(dir.path(), &["cdk.out"]);
        assert_eq!(run.code, 2, "{gone}: {}", run.stderr);
        assert!(run.stderr.contains(&message), "{gone}: {}", run.stderr);
        // The other templates are checked as before.
        let kept: Vec<&Value> = whole_reports
            .iter()
            .filter(|r| !field(r, "file").starts_with(&missing))
            .collect();
        assert!(!kept.is_empty());
        assert_eq!(reports.iter().collect::<Vec<_>>(), kept, "{gone}");
        std::fs::rename(&moved, dir.path().join(gone)).expect("move back");
    }
    // An absolute or `..` name is not followed.
    let manifest = dir.read("cdk.out/manifest.json");
    dir.write(
        "cdk.out/manifest.json",
        manifest.replace(
            "\"templateFile\": \"sqs-integration.template.json\"",
            "\"templateFile\": \"../outside.template.json\"",
        ),
    );
    dir.write("outside.template.json", STALE_TEMPLATE);
    let run = run_in(dir.path(), &["check", "cdk.out"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "names the template `../outside.template.json`, which is not a file inside the assembly"
        ),
        "{}",
        run.stderr
    );
    assert!(
        !run.stdout.contains("outside.template.json"),
        "{}",
        run.stdout
    );
}
