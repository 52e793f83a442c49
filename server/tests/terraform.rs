//! Terraform (`aws_apigatewayv2_integration` and the resources around it) through the
//! same rules as CloudFormation: the corpus's `.tf` files, and defects planted in a
//! real one.

use std::fs;
use std::path::{Path, PathBuf};

use apigw_lsp::analysis;
use apigw_lsp::document::Document;
use apigw_lsp::rules::{Finding, Severity};
use apigw_lsp::syntax::Language;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/real/terraform")
}

fn findings(text: &str) -> Vec<Finding> {
    analysis::analyze(&Document::new(text, Language::Terraform, 0))
}

fn read(name: &str) -> String {
    let path = corpus().join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The attributed `.tf` files of the corpus deploy: nothing to say about them.
#[test]
fn attributed_terraform_files_get_no_finding() {
    let mut checked = 0;
    for entry in fs::read_dir(corpus()).expect("corpus/terraform").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".tf") {
            continue;
        }
        let found = findings(&read(&name));
        let shown: Vec<String> = found
            .iter()
            .map(|f| format!("{}: {}", f.code, f.message))
            .collect();
        assert!(found.is_empty(), "{name}: {shown:#?}");
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} files");
}

/// The unattributed learner copies (wrong in ways the MANIFEST describes): read without
/// a panic; what is found in them is tested below.
#[test]
fn unattributed_terraform_files_are_read() {
    for entry in fs::read_dir(corpus().join("unattributed"))
        .expect("corpus/terraform/unattributed")
        .flatten()
    {
        let text = fs::read_to_string(entry.path()).expect("read");
        let _ = findings(&text);
    }
}

const SQS: &str = "kellens-terraform-adventure__sqs.tf";

/// The findings after replacing `from` with `to` in the SQS example: (code, the text at
/// the finding's range).
fn planted(from: &str, to: &str) -> Vec<(&'static str, Severity, String)> {
    let text = read(SQS);
    assert!(text.contains(from), "{from:?} not in {SQS}");
    let text = text.replacen(from, to, 1);
    findings(&text)
        .into_iter()
        .map(|f| (f.code, f.severity, text[f.range.clone()].to_string()))
        .collect()
}

#[test]
fn planted_defects_are_found_where_they_are() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "\"SQS-SendMessage\"",
            "\"SQS-SendMesage\"",
            "unknown-subtype",
            "SQS-SendMesage",
        ),
        (
            "\"QueueUrl\"",
            "\"queueUrl\"",
            "unknown-parameter",
            "queueUrl",
        ),
        (
            "    \"MessageBody\" = \"$request.body\"\n",
            "",
            "missing-required-parameter",
            "request_parameters",
        ),
        (
            "\"$request.body\"",
            "\"$request.bdy\"",
            "invalid-expression",
            "bdy",
        ),
        (
            "integration_subtype = \"SQS-SendMessage\"",
            "integration_subtype = \"SQS-SendMessage\"\n  payload_format_version = \"2.0\"",
            "wrong-payload-format-version",
            "2.0",
        ),
        (
            "  credentials_arn     = aws_iam_role.apigateway.arn\n",
            "",
            "missing-credentials",
            "integration_subtype",
        ),
        (
            "\"$request.body\"",
            "\"${request.body}\"",
            "sub-variable-collision",
            "${request.body}",
        ),
        (
            "aws_sqs_queue.main.url",
            "aws_sqs_queue.main.arn",
            "wrong-reference-kind",
            "aws_sqs_queue.main.arn",
        ),
        (
            "\"$request.body\"",
            "\"$request.path.id\"",
            "undefined-path-variable",
            "id",
        ),
    ];
    for (from, to, code, at) in cases {
        let found = planted(from, to);
        assert!(
            found.iter().any(|(c, _, text)| c == code && text == at),
            "{from:?} -> {to:?}: want {code} at {at:?}, got {found:?}"
        );
    }
}

#[test]
fn payload_format_version_may_be_left_to_the_provider_default() {
    // The example has none: the AWS provider defaults it to "1.0".
    assert!(!read(SQS).contains("payload_format_version"));
    assert!(planted("x", "x").is_empty());
}

#[test]
fn opaque_values_are_never_read_as_literals() {
    // A module passing everything through (`each.value.subtype`): no subtype to check.
    let text = "resource \"aws_apigatewayv2_integration\" \"this\" {\n  for_each = var.routes\n  api_id = aws_apigatewayv2_api.this[0].id\n  integration_subtype = each.value.subtype\n  integration_type = each.value.type\n  integration_uri = each.value.uri\n  connection_type = each.value.connection_type\n  request_parameters = each.value.request_parameters\n}\n";
    assert_eq!(findings(text), Vec::new());
    // A reference, a conditional and a function call as values.
    let text = "resource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id = aws_apigatewayv2_api.api.id\n  integration_type = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn = var.role_arn\n  request_parameters = {\n    QueueUrl = var.fifo ? aws_sqs_queue.a.url : aws_sqs_queue.b.url,\n    MessageBody = format(\"%s\", \"$request.body\"),\n  }\n}\n";
    assert_eq!(findings(text), Vec::new());
}

#[test]
fn fixes_in_terraform_are_written_as_hcl() {
    use apigw_lsp::analysis::code_actions::for_finding;
    let text = read(SQS).replacen("\"$request.body\"", "\"${request.body}\"", 1);
    let doc = Document::new(&text, Language::Terraform, 0);
    let found = analysis::analyze(&doc);
    let collision = found
        .iter()
        .find(|f| f.code == "sub-variable-collision")
        .expect("the unescaped interpolation");
    let actions = for_finding(&doc, collision);
    assert_eq!(actions.len(), 1);
    let edit = &actions[0].edits[0];
    let mut fixed = text.clone();
    fixed.replace_range(edit.range.clone(), &edit.text);
    assert!(
        fixed.contains("\"MessageBody\" = \"$${request.body}\""),
        "{fixed}"
    );
    assert!(findings(&fixed).is_empty());
    // A missing parameter is added as HCL, after the map's last member.
    let text = read(SQS).replacen("    \"MessageBody\" = \"$request.body\"\n", "", 1);
    let doc = Document::new(&text, Language::Terraform, 0);
    let missing = analysis::analyze(&doc);
    assert_eq!(missing.len(), 1);
    let actions = for_finding(&doc, &missing[0]);
    assert_eq!(actions.len(), 1);
    let fixed = apigw_lsp::cli::fix::apply(&text, &actions[0].edits).expect("applies");
    assert!(
        fixed.contains("    MessageBody = \"$request.body\"\n"),
        "{fixed}"
    );
    assert!(findings(&fixed).is_empty(), "{fixed}");
    // A trust statement would be written in YAML or JSON: not offered in HCL.
    let text = format!(
        "{}\nresource \"aws_iam_role\" \"apigateway\" {{\n  assume_role_policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {{ Service = \"lambda.amazonaws.com\" }} }}]\n  }})\n}}\n",
        read(SQS)
    );
    let doc = Document::new(&text, Language::Terraform, 0);
    let untrusted = analysis::analyze(&doc);
    let untrusted = untrusted
        .iter()
        .find(|f| f.code == "role-not-trusted")
        .expect("the role is no longer trusted");
    assert!(for_finding(&doc, untrusted).is_empty());
}

#[test]
fn numbers_in_request_parameters_are_strings_to_terraform() {
    let text = read(SQS).replacen(
        "\"MessageBody\" = \"$request.body\"",
        "\"MessageBody\" = \"$request.body\"\n    \"DelaySeconds\" = 5",
        1,
    );
    assert!(text.contains("= 5"));
    assert_eq!(findings(&text), Vec::new());
}

#[test]
fn jsonencode_of_literals_is_checked_as_the_json_it_makes() {
    let with = |attributes: &str| {
        read(SQS).replacen(
            "\"MessageBody\" = \"$request.body\"",
            &format!("\"MessageBody\" = \"$request.body\"\n    MessageAttributes = {attributes}"),
            1,
        )
    };
    let good = with(
        "jsonencode({ tenant = { DataType = \"String\", StringValue = \"$${request.header.x-tenant}\" } })",
    );
    assert_eq!(findings(&good), Vec::new());
    // An expression typo inside: found, on the `jsonencode` call.
    let bad = with(
        "jsonencode({ tenant = { DataType = \"String\", StringValue = \"$${request.heder.x-tenant}\" } })",
    );
    let found = findings(&bad);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, "invalid-expression");
    assert!(bad[found[0].range.clone()].starts_with("jsonencode("));
    // A reference inside: opaque.
    let opaque =
        with("jsonencode({ tenant = { DataType = \"String\", StringValue = var.tenant } })");
    assert_eq!(findings(&opaque), Vec::new());
}

/// The findings of `text` after replacing `from` with `to`: (code, the text at the
/// finding's range).
fn planted_in(name: &str, text: &str, from: &str, to: &str) -> Vec<(&'static str, String)> {
    assert!(text.contains(from), "{from:?} not in {name}");
    let text = text.replacen(from, to, 1);
    findings(&text)
        .into_iter()
        .map(|f| (f.code, text[f.range.clone()].to_string()))
        .collect()
}

/// Asserts that each (from, to, code, at) plants a finding `code` on the text `at`.
fn assert_planted(name: &str, text: &str, cases: &[(&str, &str, &str, &str)]) {
    for (from, to, code, at) in cases {
        let found = planted_in(name, text, from, to);
        assert!(
            found.iter().any(|(c, t)| c == code && t == at),
            "{name}: {from:?} -> {to:?}: want {code} at {at:?}, got {found:?}"
        );
    }
}

const MODULE_EXAMPLE: &str = "terraform-aws-apigateway-v2__examples__complete-http__main.tf";

/// The module's own example, calling the module as its users do: from the registry
/// (the example says `source = "../../"`, the module's own folder).
fn module_example() -> String {
    let text = read(MODULE_EXAMPLE);
    let local = "  source = \"../../\"\n\n  # API";
    assert!(text.contains(local));
    text.replacen(
        local,
        "  source = \"terraform-aws-modules/apigateway-v2/aws\"\n\n  # API",
        1,
    )
}

fn integrations_of(text: &str) -> Vec<(String, Option<String>)> {
    let doc = Document::new(text, Language::Terraform, 0);
    doc.entries()
        .flat_map(apigw_lsp::model::integrations_in_entry)
        .map(|i| (i.name.to_string(), i.subtype_name().map(str::to_string)))
        .collect()
}

#[test]
fn module_routes_of_the_example_are_read_and_clean() {
    let text = module_example();
    let found = integrations_of(&text);
    // Seven routes; the Step Functions one is first-class.
    assert_eq!(found.len(), 7, "{found:?}");
    assert!(found.contains(&(
        "POST /start-step-function".to_string(),
        Some("StepFunctions-StartExecution".to_string())
    )));
    assert_eq!(findings(&text), Vec::new());
    // As written (`source = "../../"`) it is not known to be the module: not read.
    assert!(integrations_of(&read(MODULE_EXAMPLE)).is_empty());
    // The module's implementation passes everything through: nothing to read, nothing
    // to say.
    let implementation = read("terraform-aws-apigateway-v2__main.tf");
    assert_eq!(findings(&implementation), Vec::new());
}

#[test]
fn planted_defects_are_found_in_module_routes() {
    let text = module_example();
    let arn = "          StateMachineArn = module.step_function.state_machine_arn\n";
    let with = |line: &str| format!("{arn}          {line}\n");
    assert_planted(
        MODULE_EXAMPLE,
        &text,
        &[
            (
                "\"StepFunctions-StartExecution\"",
                "\"StepFunctions-StartExecutio\"",
                "unknown-subtype",
                "StepFunctions-StartExecutio",
            ),
            (
                "StateMachineArn = module",
                "stateMachineArn = module",
                "unknown-parameter",
                "stateMachineArn",
            ),
            (
                "        subtype         = \"StepFunctions",
                "        Subtype         = \"StepFunctions",
                "wrong-field-name",
                "Subtype",
            ),
            (arn, "", "missing-required-parameter", "request_parameters"),
            (
                arn,
                &with("Name = \"$request.bdy.name\""),
                "invalid-expression",
                "bdy",
            ),
            (
                "payload_format_version = \"1.0\"",
                "payload_format_version = \"2.0\"",
                "wrong-payload-format-version",
                "2.0",
            ),
            (
                "        credentials_arn = module.step_function.role_arn\n",
                "",
                "missing-credentials",
                "subtype",
            ),
            (
                arn,
                &with("Name = \"${request.body.name}\""),
                "sub-variable-collision",
                "${request.body.name}",
            ),
            // The route key is the route: `POST /start-step-function` has no `{id}`.
            (
                arn,
                &with("Name = \"$request.path.id\""),
                "undefined-path-variable",
                "id",
            ),
            (
                "type            = \"AWS_PROXY\"",
                "type            = \"HTTP_PROXY\"",
                "wrong-integration-type",
                "HTTP_PROXY",
            ),
        ],
    );
    // The module defaults `type` to `AWS_PROXY` and leaves `payload_format_version`
    // to the provider ("1.0"): neither is needed.
    let without = text
        .replacen("        type            = \"AWS_PROXY\"\n", "", 1)
        .replacen("        payload_format_version = \"1.0\"\n", "", 1);
    assert_ne!(without, text);
    assert_eq!(findings(&without), Vec::new());
    // A path variable of the route key is defined.
    let text = text.replacen("\"POST /start-step-function\"", "\"POST /start/{id}\"", 1);
    assert_eq!(
        planted_in(
            MODULE_EXAMPLE,
            &text,
            arn,
            &with("Name = \"$request.path.id\"")
        ),
        Vec::new()
    );
}

/// A v4 call of the module (`integrations`, the resource's argument names), after the
/// module's v4.0.0 `examples/complete-http/main.tf`: `request_parameters` is
/// `jsonencode`d there, and the module `jsondecode`s it.
const V4: &str = r#"module "api_gateway" {
  source  = "terraform-aws-modules/apigateway-v2/aws"
  version = "~> 4.0"

  name          = "orders"
  protocol_type = "HTTP"

  integrations = {
    "ANY /" = {
      lambda_arn             = module.lambda_function.lambda_function_arn
      payload_format_version = "2.0"
      timeout_milliseconds   = 12000
    }

    "POST /start-step-function" = {
      integration_type    = "AWS_PROXY"
      integration_subtype = "StepFunctions-StartExecution"
      credentials_arn     = module.step_function.role_arn
      authorization_type  = "AWS_IAM"

      # Note: jsonencode is used to pass argument as a string
      request_parameters = jsonencode({
        StateMachineArn = module.step_function.state_machine_arn
        Input           = "$request.body"
      })

      payload_format_version = "1.0"
      timeout_milliseconds   = 12000
    }

    "$default" = {
      lambda_arn = module.lambda_function.lambda_function_arn
      tls_config = jsonencode({
        server_name_to_verify = local.domain_name
      })
    }
  }
}
"#;

#[test]
fn planted_defects_are_found_in_v4_module_integrations() {
    assert_eq!(integrations_of(V4).len(), 3);
    assert_eq!(findings(V4), Vec::new());
    assert_planted(
        "v4",
        V4,
        &[
            (
                "\"StepFunctions-StartExecution\"",
                "\"StepFunctions-StartExecutio\"",
                "unknown-subtype",
                "StepFunctions-StartExecutio",
            ),
            (
                "StateMachineArn = module",
                "stateMachineArn = module",
                "unknown-parameter",
                "stateMachineArn",
            ),
            (
                "integration_subtype = ",
                "integration_subtyp = ",
                "wrong-field-name",
                "integration_subtyp",
            ),
            (
                "        StateMachineArn = module.step_function.state_machine_arn\n",
                "",
                "missing-required-parameter",
                "request_parameters",
            ),
            (
                "\"$request.body\"",
                "\"$request.bdy\"",
                "invalid-expression",
                "bdy",
            ),
            (
                "payload_format_version = \"1.0\"",
                "payload_format_version = \"2.0\"",
                "wrong-payload-format-version",
                "2.0",
            ),
            (
                "      credentials_arn     = module.step_function.role_arn\n",
                "",
                "missing-credentials",
                "integration_subtype",
            ),
            (
                "\"$request.body\"",
                "\"${request.body}\"",
                "sub-variable-collision",
                "${request.body}",
            ),
            (
                "\"$request.body\"",
                "\"$request.path.id\"",
                "undefined-path-variable",
                "id",
            ),
            // Without a type, v4 makes a `MOCK` integration (no `lambda_arn`).
            (
                "      integration_type    = \"AWS_PROXY\"\n",
                "",
                "wrong-integration-type",
                "integration_subtype",
            ),
        ],
    );
}

const BODY: &str = "serverless-patterns__apigw-http-eventbridge-terraform__main.tf";

#[test]
fn planted_defects_are_found_in_an_openapi_body() {
    let text = read(BODY);
    let found = integrations_of(&text);
    assert_eq!(
        found,
        [("/".to_string(), Some("EventBridge-PutEvents".to_string()))]
    );
    assert_eq!(findings(&text), Vec::new());
    assert_planted(
        BODY,
        &text,
        &[
            (
                "\"EventBridge-PutEvents\"",
                "\"EventBridge-PutEvent\"",
                "unknown-subtype",
                "EventBridge-PutEvent",
            ),
            (
                "\"DetailType\" :",
                "\"detailType\" :",
                "unknown-parameter",
                "detailType",
            ),
            (
                "\"integrationSubtype\" :",
                "\"integrationSubType\" :",
                "wrong-field-name",
                "integrationSubType",
            ),
            (
                ",\n                \"Source\" : \"demo.apigw\"",
                "",
                "missing-required-parameter",
                "requestParameters",
            ),
            (
                "\"$request.body.Detail\"",
                "\"$request.bdy.Detail\"",
                "invalid-expression",
                "bdy",
            ),
            (
                "\"payloadFormatVersion\" : \"1.0\"",
                "\"payloadFormatVersion\" : \"2.0\"",
                "wrong-payload-format-version",
                "2.0",
            ),
            (
                "              \"credentials\" : \"${aws_iam_role.APIGWRole.arn}\",\n",
                "",
                "missing-credentials",
                "integrationSubtype",
            ),
            (
                "\"$request.body.Detail\"",
                "\"${request.body.Detail}\"",
                "sub-variable-collision",
                "${request.body.Detail}",
            ),
            (
                "\"$request.body.Detail\"",
                "\"$request.path.id\"",
                "undefined-path-variable",
                "id",
            ),
            (
                "\"openapi\" : \"3.0.1\"",
                "\"openapi\" : \"3.1.0\"",
                "openapi-version",
                "3.1.0",
            ),
        ],
    );
    // `${` in HCL is Terraform's interpolation, also inside the body: the fix escapes
    // it as `$${`, not as `!Sub`'s `${!`.
    let text = text.replacen("\"$request.body.Detail\"", "\"${request.body.Detail}\"", 1);
    let collision = findings(&text)
        .into_iter()
        .find(|f| f.code == "sub-variable-collision")
        .expect("the collision");
    assert!(collision.message.contains("$${"), "{}", collision.message);
    // A reference in the body is named as Terraform writes it.
    let text = read(BODY).replacen(
        "aws_iam_role.APIGWRole.arn}",
        "aws_iam_role.APIGWRole.name}",
        1,
    );
    let kind = findings(&text)
        .into_iter()
        .find(|f| f.code == "wrong-reference-kind")
        .expect("a role's name as credentials");
    assert!(
        kind.message.contains("Use `aws_iam_role.APIGWRole.arn`"),
        "{}",
        kind.message
    );
    // A path variable of the path is defined.
    let text = read(BODY)
        .replacen("\"/\" : {", "\"/{id}\" : {", 1)
        .replacen("\"$request.body.Detail\"", "\"$request.path.id\"", 1);
    assert_eq!(findings(&text), Vec::new());
}

/// The learner copies with an OpenAPI body that the MANIFEST describes as wrong: the
/// defects it names in the integration are found.
#[test]
fn wrong_openapi_bodies_of_learner_copies_are_found() {
    let unattributed = |name: &str| {
        let path = corpus().join("unattributed").join(name);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let found: Vec<(&'static str, String, String)> = findings(&text)
            .into_iter()
            .map(|f| (f.code, text[f.range.clone()].to_string(), f.message))
            .collect();
        found
    };
    // `integrationSubType`: a miscased field, so the integration has no subtype.
    let found = unattributed("id43261509255__main.tf");
    assert!(
        found
            .iter()
            .any(|(c, at, _)| *c == "wrong-field-name" && at == "integrationSubType"),
        "{found:#?}"
    );
    // `reuestParameters`: a misspelt field, so the required `Detail` (and the rest)
    // is missing.
    let found = unattributed("id39308684892__main.tf");
    assert!(
        found
            .iter()
            .any(|(c, at, _)| *c == "wrong-field-name" && at == "reuestParameters"),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|(c, _, m)| *c == "missing-required-parameter" && m.contains("`Detail`")),
        "{found:#?}"
    );
}

#[test]
fn an_internet_connection_type_is_harmless_with_a_subtype() {
    // `connection_type = "INTERNET"` is the default; only a VPC link has no effect.
    let line = "  integration_subtype = \"SQS-SendMessage\"\n";
    let internet = format!("{line}  connection_type     = \"INTERNET\"\n");
    assert_eq!(planted(line, &internet), Vec::new());
    let vpc = format!("{line}  connection_type     = \"VPC_LINK\"\n");
    let found = planted(line, &vpc);
    assert!(
        found
            .iter()
            .any(|(c, _, at)| *c == "subtype-with-uri" && at == "connection_type"),
        "{found:?}"
    );
    // The same in a module route.
    let text = module_example();
    let subtype = "        subtype         = \"StepFunctions-StartExecution\"\n";
    let internet = format!("{subtype}        connection_type = \"INTERNET\"\n");
    assert_eq!(
        planted_in(MODULE_EXAMPLE, &text, subtype, &internet),
        Vec::new()
    );
    let uri = format!("{subtype}        uri = \"https://example.com\"\n");
    let found = planted_in(MODULE_EXAMPLE, &text, subtype, &uri);
    assert!(
        found
            .iter()
            .any(|(c, at)| *c == "subtype-with-uri" && at == "uri"),
        "{found:?}"
    );
}

/// Every prefix of the new shapes, as while typing, analyses without a panic.
#[test]
fn half_typed_module_routes_and_bodies_analyse() {
    for text in [module_example(), V4.to_string(), read(BODY)] {
        let cuts = (0..text.len())
            .step_by(17)
            .filter(|&at| text.is_char_boundary(at));
        for at in cuts {
            let _ = findings(&text[..at]);
        }
    }
}

// Roles and their permissions (`role-not-trusted`, `role-missing-permission`).

const EVENTBRIDGE: &str = "serverless-patterns__apigw-http-eventbridge-terraform__main.tf";
const LAMBDA_QUEUED: &str = "lab__terraform__wtc9__lambda_queued.tf";
const SEATCHECKER: &str = "seatchecker__infra__seatchecker_apigw.tf";

/// The findings of `text`: (code, the text at the finding's range, message).
fn found_in(text: &str) -> Vec<(&'static str, String, String)> {
    findings(text)
        .into_iter()
        .map(|f| (f.code, text[f.range.clone()].to_string(), f.message))
        .collect()
}

/// `text` with `from` replaced by `to` (once), checking that `from` is there.
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in the text");
    text.replacen(from, to, 1)
}

/// A trust policy for `service`, written with `jsonencode`.
fn jsonencode_trust(service: &str) -> String {
    format!(
        "jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect    = \"Allow\"\n      Principal = {{ Service = \"{service}\" }}\n      Action    = \"sts:AssumeRole\"\n    }}]\n  }})"
    )
}

/// The SQS example with its role `aws_iam_role.apigateway` declared: `role` is the body
/// of the role block, `more` any blocks after it.
fn sqs_with_role(role: &str, more: &str) -> String {
    format!(
        "{}\n\nresource \"aws_iam_role\" \"apigateway\" {{\n{role}\n}}\n{more}",
        read(SQS)
    )
}

/// A role trusting API Gateway with one inline policy `policy`.
fn inline_role(policy: &str) -> String {
    format!(
        "  assume_role_policy = {}\n\n  inline_policy {{\n    name   = \"send\"\n    policy = {policy}\n  }}",
        jsonencode_trust("apigateway.amazonaws.com")
    )
}

/// A policy allowing `action` on `resource`, written with `jsonencode`.
fn jsonencode_policy(action: &str, resource: &str) -> String {
    format!(
        "jsonencode({{\n      Version   = \"2012-10-17\"\n      Statement = [{{ Effect = \"Allow\", Action = [\"{action}\"], Resource = {resource} }}]\n    }})"
    )
}

/// A policy allowing `action` on `resource` (a JSON value), written as a heredoc.
fn heredoc_policy(action: &str, resource: &str) -> String {
    format!(
        "<<EOF\n{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Action\": \"{action}\",\n      \"Resource\": {resource}\n    }}\n  ]\n}}\nEOF"
    )
}

const CREDENTIALS: &str = "aws_iam_role.apigateway.arn";

/// An integration for the EventBridge example's role, on an API without an OpenAPI body
/// (the example's own integration is in its API's body).
const PUT_EVENTS: &str = "resource \"aws_apigatewayv2_api\" \"direct\" {\n  name          = \"direct\"\n  protocol_type = \"HTTP\"\n}\n\nresource \"aws_apigatewayv2_integration\" \"put\" {\n  api_id              = aws_apigatewayv2_api.direct.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"EventBridge-PutEvents\"\n  credentials_arn     = aws_iam_role.APIGWRole.arn\n  request_parameters = {\n    Detail     = \"$request.body.Detail\"\n    DetailType = \"MyDetailType\"\n    Source     = \"demo.apigw\"\n  }\n}\n";

fn assert_one(found: &[(&'static str, String, String)], code: &str, at: &str, says: &str) {
    let hits: Vec<_> = found
        .iter()
        .filter(|(c, text, message)| *c == code && text == at && message.contains(says))
        .collect();
    // The EventBridge example's own integration, in its API's OpenAPI body, uses the
    // same role: it may be reported there too, and nothing else may be.
    assert!(
        hits.len() == 1 && found.iter().all(|(c, _, _)| *c == code),
        "want one {code} at {at:?} saying {says:?}, got {found:#?}"
    );
}

#[test]
fn a_role_without_the_api_gateway_trust_is_found_however_it_is_written() {
    // `jsonencode`.
    let text = sqs_with_role(
        &format!(
            "  assume_role_policy = {}",
            jsonencode_trust("lambda.amazonaws.com")
        ),
        "",
    );
    assert_one(
        &found_in(&text),
        "role-not-trusted",
        CREDENTIALS,
        "its `assume_role_policy` has no `Allow` for the service `apigateway.amazonaws.com`",
    );
    // A heredoc: the example's own roles, with an integration using the API's role.
    let text = format!("{}\n{PUT_EVENTS}", read(EVENTBRIDGE));
    assert_eq!(found_in(&text), Vec::new());
    let untrusted = replaced(
        &text,
        "\"Service\" : \"apigateway.amazonaws.com\"",
        "\"Service\" : \"events.amazonaws.com\"",
    );
    assert_one(
        &found_in(&untrusted),
        "role-not-trusted",
        "aws_iam_role.APIGWRole.arn",
        "`aws_iam_role.APIGWRole`",
    );
    // The Lambda function's role, whose heredoc trusts Lambda.
    let lambda = replaced(
        &text,
        "credentials_arn     = aws_iam_role.APIGWRole.arn",
        "credentials_arn     = aws_iam_role.LambdaRole.arn",
    );
    let found = found_in(&lambda);
    assert!(
        found
            .iter()
            .any(|(c, at, _)| *c == "role-not-trusted" && at == "aws_iam_role.LambdaRole.arn"),
        "{found:#?}"
    );
    // A policy document data source: the example's trust for another service.
    let text = read(SEATCHECKER);
    assert_eq!(found_in(&text), Vec::new());
    let untrusted = replaced(
        &text,
        "identifiers = [\"apigateway.amazonaws.com\"]",
        "identifiers = [\"states.amazonaws.com\"]",
    );
    let found = found_in(&untrusted);
    let at: Vec<(&str, &str)> = found.iter().map(|(c, at, _)| (*c, at.as_str())).collect();
    assert_eq!(
        at,
        [
            (
                "role-not-trusted",
                "aws_iam_role.seatchecker_apigw_role.arn"
            ),
            (
                "role-not-trusted",
                "aws_iam_role.seatchecker_apigw_role.arn"
            ),
        ]
    );
}

#[test]
fn trust_that_is_not_written_out_gets_the_benefit_of_the_doubt() {
    for trust in [
        "file(\"trust.json\")",
        "var.trust",
        // A data source the module's other files declare.
        "data.aws_iam_policy_document.elsewhere.json",
        "templatefile(\"trust.json\", {})",
        "<<EOF\n{\"Statement\": ${local.statements}}\nEOF",
    ] {
        let text = sqs_with_role(&format!("  assume_role_policy = {trust}"), "");
        assert_eq!(found_in(&text), Vec::new(), "{trust}");
    }
    // A policy document that takes statements from elsewhere, or builds them.
    for extra in [
        "source_policy_documents = [var.extra]",
        "override_policy_documents = [var.extra]",
        "dynamic \"statement\" {\n    for_each = var.s\n    content {}\n  }",
    ] {
        let text = sqs_with_role(
            "  assume_role_policy = data.aws_iam_policy_document.trust.json",
            &format!(
                "data \"aws_iam_policy_document\" \"trust\" {{\n  {extra}\n  statement {{\n    actions = [\"sts:AssumeRole\"]\n    principals {{\n      type        = \"Service\"\n      identifiers = [\"lambda.amazonaws.com\"]\n    }}\n  }}\n}}\n"
            ),
        );
        assert_eq!(found_in(&text), Vec::new(), "{extra}");
    }
    // Several principals blocks and services; `*`.
    for principals in [
        "principals {\n      type        = \"Service\"\n      identifiers = [\"lambda.amazonaws.com\"]\n    }\n    principals {\n      type        = \"Service\"\n      identifiers = [\"apigateway.amazonaws.com\"]\n    }",
        "principals {\n      type        = \"*\"\n      identifiers = [\"*\"]\n    }",
        "principals {\n      type        = \"Service\"\n      identifiers = var.services\n    }",
    ] {
        let text = sqs_with_role(
            "  assume_role_policy = data.aws_iam_policy_document.trust.json",
            &format!(
                "data \"aws_iam_policy_document\" \"trust\" {{\n  statement {{\n    actions = [\"sts:AssumeRole\"]\n    {principals}\n  }}\n}}\n"
            ),
        );
        assert_eq!(found_in(&text), Vec::new(), "{principals}");
    }
}

#[test]
fn a_role_whose_policies_lack_the_action_is_found_however_they_are_written() {
    let no_send = "no policy allowing `sqs:SendMessage`, which `SQS-SendMessage` needs";
    // `inline_policy` with `jsonencode`: another action on the queue, the action on
    // another queue.
    let text = sqs_with_role(
        &inline_role(&jsonencode_policy(
            "sqs:ReceiveMessage",
            "aws_sqs_queue.main.arn",
        )),
        "",
    );
    assert_one(
        &found_in(&text),
        "role-missing-permission",
        CREDENTIALS,
        no_send,
    );
    let text = sqs_with_role(
        &inline_role(&jsonencode_policy(
            "sqs:SendMessage",
            "aws_sqs_queue.other.arn",
        )),
        "resource \"aws_sqs_queue\" \"other\" {}\n",
    );
    assert_one(
        &found_in(&text),
        "role-missing-permission",
        CREDENTIALS,
        "allows `sqs:SendMessage`, but not on `aws_sqs_queue.main`",
    );
    // `aws_iam_role_policy` with a heredoc naming the queue by interpolation.
    let trust_only = format!(
        "  assume_role_policy = {}",
        jsonencode_trust("apigateway.amazonaws.com")
    );
    let role_policy = |action: &str| {
        format!(
            "resource \"aws_iam_role_policy\" \"send\" {{\n  name   = \"send\"\n  role   = aws_iam_role.apigateway.id\n  policy = {}\n}}\n",
            heredoc_policy(action, "\"${aws_sqs_queue.main.arn}\"")
        )
    };
    let text = sqs_with_role(&trust_only, &role_policy("sqs:GetQueueUrl"));
    assert_one(
        &found_in(&text),
        "role-missing-permission",
        CREDENTIALS,
        no_send,
    );
    assert_eq!(
        found_in(&sqs_with_role(&trust_only, &role_policy("sqs:SendMessage"))),
        Vec::new()
    );
    // The action on another queue, named in a heredoc or in an ARN built around it.
    for resource in [
        "\"${aws_sqs_queue.other.arn}\"",
        "\"arn:aws:sqs:${var.region}:${data.aws_caller_identity.current.account_id}:${aws_sqs_queue.other.name}\"",
    ] {
        let other = format!(
            "resource \"aws_iam_role_policy\" \"send\" {{\n  role   = aws_iam_role.apigateway.name\n  policy = {}\n}}\n",
            heredoc_policy("sqs:SendMessage", resource)
        );
        assert_one(
            &found_in(&sqs_with_role(&trust_only, &other)),
            "role-missing-permission",
            CREDENTIALS,
            "allows `sqs:SendMessage`, but not on `aws_sqs_queue.main`. Add `aws_sqs_queue.main` (its ARN) to the statement's resources.",
        );
    }
    // `aws_iam_policy` attached with `aws_iam_role_policy_attachment`: the EventBridge
    // example's own, allowing another action.
    let text = format!("{}\n{PUT_EVENTS}", read(EVENTBRIDGE));
    let text = replaced(&text, "\"events:PutEvents\"", "\"events:PutRule\"");
    assert_one(
        &found_in(&text),
        "role-missing-permission",
        "aws_iam_role.APIGWRole.arn",
        "The role `aws_iam_role.APIGWRole` has no policy allowing `events:PutEvents`",
    );
    // A policy document data source, as the inline policy of a role: the example's own
    // (for its Lambda function) does not send.
    let role = "resource \"aws_iam_role\" \"api_gateway_sqs\" {\n  assume_role_policy = data.aws_iam_policy_document.trust.json\n  inline_policy {\n    name   = \"skyhook\"\n    policy = data.aws_iam_policy_document.skyhook.json\n  }\n}\n\ndata \"aws_iam_policy_document\" \"trust\" {\n  statement {\n    actions = [\"sts:AssumeRole\"]\n    principals {\n      type        = \"Service\"\n      identifiers = [\"apigateway.amazonaws.com\"]\n    }\n  }\n}\n";
    let text = format!("{}\n{role}", read(LAMBDA_QUEUED));
    assert_one(
        &found_in(&text),
        "role-missing-permission",
        "aws_iam_role.api_gateway_sqs.arn",
        "The role `aws_iam_role.api_gateway_sqs` has no policy allowing `sqs:SendMessage`",
    );
    // Allowed on the queue it sends to: nothing to say.
    let send = replaced(
        &text,
        "actions   = [\"sqs:ReceiveMessage\", ",
        "actions   = [\"sqs:SendMessage\", \"sqs:ReceiveMessage\", ",
    );
    assert_eq!(found_in(&send), Vec::new());
    // On another queue (`drain`): not enough.
    let drain = replaced(
        &send,
        "resources = [aws_sqs_queue.sink.arn]",
        "resources = [aws_sqs_queue.drain.arn]",
    );
    assert_one(
        &found_in(&drain),
        "role-missing-permission",
        "aws_iam_role.api_gateway_sqs.arn",
        "allows `sqs:SendMessage`, but not on `aws_sqs_queue.sink`",
    );
    // The same document through `aws_iam_policy` and an attachment.
    let attached = replaced(
        &text,
        "  inline_policy {\n    name   = \"skyhook\"\n    policy = data.aws_iam_policy_document.skyhook.json\n  }\n",
        "",
    ) + "resource \"aws_iam_policy\" \"skyhook\" {\n  policy = data.aws_iam_policy_document.skyhook.json\n}\n\nresource \"aws_iam_policy_attachment\" \"skyhook\" {\n  name       = \"skyhook\"\n  roles      = [aws_iam_role.api_gateway_sqs.name]\n  policy_arn = aws_iam_policy.skyhook.arn\n}\n";
    assert_one(
        &found_in(&attached),
        "role-missing-permission",
        "aws_iam_role.api_gateway_sqs.arn",
        "no policy allowing `sqs:SendMessage`",
    );
}

#[test]
fn permissions_that_may_cover_the_target_get_the_benefit_of_the_doubt() {
    let main = "aws_sqs_queue.main.arn";
    for policy in [
        jsonencode_policy("sqs:SendMessage", main),
        jsonencode_policy("sqs:SendMessage", "\"${aws_sqs_queue.main.arn}\""),
        jsonencode_policy("sqs:Send*", "[aws_sqs_queue.main.arn, aws_sqs_queue.main.arn]"),
        jsonencode_policy("sqs:SendMessage", "\"*\""),
        jsonencode_policy("sqs:SendMessage", "\"arn:aws:sqs:eu-west-1:123456789012:todds-awesome-queue\""),
        jsonencode_policy("sqs:SendMessage", "\"arn:aws:sqs:${var.region}:${data.aws_caller_identity.current.account_id}:todds-awesome-queue\""),
        jsonencode_policy("sqs:SendMessage", "\"arn:aws:sqs:${var.region}:${var.account}:${aws_sqs_queue.main.name}\""),
        jsonencode_policy("sqs:SendMessage", "var.queue_arn"),
        jsonencode_policy("sqs:SendMessage", "data.aws_sqs_queue.main.arn"),
        jsonencode_policy("*", "\"*\""),
        heredoc_policy("sqs:SendMessage", "\"${aws_sqs_queue.main.arn}\""),
        heredoc_policy("sqs:*", "\"*\""),
        // JSON only Terraform can finish.
        heredoc_policy("sqs:ReceiveMessage", "${jsonencode(var.queues)}"),
        "file(\"policy.json\")".to_string(),
        "var.policy".to_string(),
        "data.aws_iam_policy_document.elsewhere.json".to_string(),
        "jsonencode({ Statement = [{ Effect = \"Allow\", NotAction = \"iam:*\", Resource = \"*\" }] })".to_string(),
        "jsonencode({ Statement = [{ Effect = var.effect, Action = \"sqs:ReceiveMessage\", Resource = \"*\" }] })".to_string(),
        "jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"sqs:SendMessage\", NotResource = aws_sqs_queue.other.arn }] })".to_string(),
    ] {
        let text = sqs_with_role(&inline_role(&policy), "");
        assert_eq!(found_in(&text), Vec::new(), "{policy}");
    }
    let trust = format!(
        "  assume_role_policy = {}",
        jsonencode_trust("apigateway.amazonaws.com")
    );
    // No policy in view: the module's other files may attach them.
    assert_eq!(found_in(&sqs_with_role(&trust, "")), Vec::new());
    // Policies from outside the file, or only Terraform knows.
    for more in [
        "  managed_policy_arns = [\"arn:aws:iam::aws:policy/AmazonSQSFullAccess\"]",
        "  managed_policy_arns = var.policies",
        "  dynamic \"inline_policy\" {\n    for_each = var.policies\n    content {\n      name   = inline_policy.key\n      policy = inline_policy.value\n    }\n  }",
    ] {
        let text = sqs_with_role(
            &format!(
                "{}\n{more}",
                inline_role(&jsonencode_policy("sqs:ReceiveMessage", main))
            ),
            "",
        );
        assert_eq!(found_in(&text), Vec::new(), "{more}");
    }
    for more in [
        "resource \"aws_iam_role_policy_attachment\" \"sqs\" {\n  role       = aws_iam_role.apigateway.name\n  policy_arn = \"arn:aws:iam::aws:policy/AmazonSQSFullAccess\"\n}\n",
        "resource \"aws_iam_role_policy_attachment\" \"sqs\" {\n  role       = aws_iam_role.apigateway.name\n  policy_arn = aws_iam_policy.elsewhere.arn\n}\n",
        "resource \"aws_iam_role_policy_attachments_exclusive\" \"all\" {\n  role_name   = aws_iam_role.apigateway.name\n  policy_arns = [\"arn:aws:iam::aws:policy/AmazonSQSFullAccess\"]\n}\n",
        "resource \"aws_iam_role_policies_exclusive\" \"all\" {\n  role_name    = aws_iam_role.apigateway.name\n  policy_names = [\"send\", \"elsewhere\"]\n}\n",
        "resource \"aws_iam_role_policy\" \"send\" {\n  role   = aws_iam_role.apigateway.id\n  policy = data.aws_iam_policy_document.send.json\n}\n\ndata \"aws_iam_policy_document\" \"send\" {\n  statement {\n    not_actions = [\"iam:*\"]\n    resources   = [\"*\"]\n  }\n}\n",
        "resource \"aws_iam_role_policy\" \"send\" {\n  role   = aws_iam_role.apigateway.id\n  policy = data.aws_iam_policy_document.send.json\n}\n\ndata \"aws_iam_policy_document\" \"send\" {\n  source_policy_documents = [var.policy]\n}\n",
    ] {
        let text = sqs_with_role(
            &inline_role(&jsonencode_policy("sqs:ReceiveMessage", main)),
            more,
        );
        assert_eq!(found_in(&text), Vec::new(), "{more}");
    }
    // A resource-based policy on the queue may grant the role access.
    let receive = inline_role(&jsonencode_policy("sqs:ReceiveMessage", main));
    let queue_policy = "resource \"aws_sqs_queue_policy\" \"main\" {\n  queue_url = aws_sqs_queue.main.id\n  policy    = data.aws_iam_policy_document.queue.json\n}\n";
    assert_eq!(found_in(&sqs_with_role(&receive, queue_policy)), Vec::new());
    let own_policy = replaced(
        &sqs_with_role(&receive, ""),
        "  name = \"todds-awesome-queue\"\n",
        "  name   = \"todds-awesome-queue\"\n  policy = data.aws_iam_policy_document.queue.json\n",
    );
    assert_eq!(found_in(&own_policy), Vec::new());
    // A template policy listed in `managed_policy_arns`, a policy named in the
    // exclusive lists: read like any other.
    let managed = format!("{trust}\n  managed_policy_arns = [aws_iam_policy.send.arn]");
    let policy = |action: &str| {
        format!(
            "resource \"aws_iam_policy\" \"send\" {{\n  policy = {}\n}}\n",
            jsonencode_policy(action, main)
        )
    };
    assert_eq!(
        found_in(&sqs_with_role(&managed, &policy("sqs:SendMessage"))),
        Vec::new()
    );
    assert_one(
        &found_in(&sqs_with_role(&managed, &policy("sqs:PurgeQueue"))),
        "role-missing-permission",
        CREDENTIALS,
        "no policy allowing `sqs:SendMessage`",
    );
    let exclusive = format!(
        "{}resource \"aws_iam_role_policy_attachments_exclusive\" \"all\" {{\n  role_name   = aws_iam_role.apigateway.name\n  policy_arns = [aws_iam_policy.send.arn]\n}}\n",
        policy("sqs:PurgeQueue")
    );
    assert_one(
        &found_in(&sqs_with_role(&trust, &exclusive)),
        "role-missing-permission",
        CREDENTIALS,
        "no policy allowing `sqs:SendMessage`",
    );
}

#[test]
fn a_role_name_where_its_arn_belongs_is_the_wrong_kind_of_reference() {
    let role = format!(
        "  assume_role_policy = {}",
        jsonencode_trust("apigateway.amazonaws.com")
    );
    for attribute in ["name", "id"] {
        let text = replaced(
            &sqs_with_role(&role, ""),
            CREDENTIALS,
            &format!("aws_iam_role.apigateway.{attribute}"),
        );
        let found = found_in(&text);
        assert!(
            found.iter().any(|(c, at, _)| *c == "wrong-reference-kind"
                && *at == format!("aws_iam_role.apigateway.{attribute}")),
            "{attribute}: {found:#?}"
        );
    }
    assert_eq!(found_in(&sqs_with_role(&role, "")), Vec::new());
}

#[test]
fn role_findings_offer_no_fix_that_would_write_yaml_into_terraform() {
    use apigw_lsp::analysis::code_actions::for_finding;
    let text = sqs_with_role(
        &inline_role(&jsonencode_policy(
            "sqs:ReceiveMessage",
            "aws_sqs_queue.main.arn",
        )),
        "",
    );
    let text = replaced(
        &text,
        "Service = \"apigateway.amazonaws.com\"",
        "Service = \"lambda.amazonaws.com\"",
    );
    let doc = Document::new(&text, Language::Terraform, 0);
    let found = analysis::analyze(&doc);
    let mut codes: Vec<&str> = found.iter().map(|f| f.code).collect();
    codes.sort_unstable();
    assert_eq!(codes, ["role-missing-permission", "role-not-trusted"]);
    for finding in &found {
        assert!(for_finding(&doc, finding).is_empty(), "{}", finding.code);
    }
}

#[test]
fn the_braced_form_is_spelled_for_terraform() {
    let text = read(SQS).replacen(
        "\"MessageBody\" = \"$request.body\"",
        "\"MessageBody\" = \"order $request.body\"",
        1,
    );
    let found = findings(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, "bare-expression-after-text");
    assert!(
        found[0].message.contains("`$${request.body}`"),
        "{}",
        found[0].message
    );
    let doc = Document::new(&text, Language::Terraform, 0);
    let actions = apigw_lsp::analysis::code_actions::for_finding(&doc, &found[0]);
    let edit = &actions[0].edits[0];
    let mut fixed = text.clone();
    fixed.replace_range(edit.range.clone(), &edit.text);
    assert!(fixed.contains("\"order $${request.body}\""), "{fixed}");
    assert!(findings(&fixed).is_empty());
}

/// `response_parameters` blocks: a status code, a key and a value planted in the SQS
/// example are found where they are; a well-formed block and `$${...}` escapes are
/// quiet, and a reference is never read as a literal.
#[test]
fn response_parameters_blocks_are_checked() {
    let anchor = "    \"MessageBody\" = \"$request.body\"\n  }\n";
    let block = |body: &str| format!("{anchor}\n{body}");
    let code = "invalid-response-parameter";
    let ours = |found: Vec<(&'static str, Severity, String)>| -> Vec<String> {
        found
            .into_iter()
            .filter(|(c, _, _)| *c == code)
            .map(|(_, severity, text)| {
                assert_eq!(severity, Severity::Error);
                text
            })
            .collect()
    };

    let quiet = block(
        "  response_parameters {\n    status_code = 200\n    mappings = {\n      \"append:header.x-id\"   = \"$context.requestId\"\n      \"overwrite:header.x-b\" = \"id $${response.body.id}\"\n      \"overwrite:statuscode\" = \"$response.header.x-status\"\n      \"remove:header.Server\"  = \"\"\n      \"append:header.x-ref\"  = aws_sqs_queue.main.arn\n    }\n  }\n  response_parameters {\n    status_code = var.code\n    mappings    = var.mappings\n  }\n",
    );
    assert_eq!(ours(planted(anchor, &quiet)), Vec::<String>::new());

    let bad = block(
        "  response_parameters {\n    status_code = 700\n    mappings = {\n      \"add:header.x\" = \"$request.header.x\"\n    }\n  }\n  response_parameters {\n    status_code = \"404\"\n    mappings = {\n      \"overwrite:statuscode\" = \"teapot\"\n    }\n  }\n",
    );
    assert_eq!(
        ours(planted(anchor, &bad)),
        vec!["700", "add:header.x", "teapot"]
    );
}

/// The apigateway-v2 module's `response_parameters` list of objects.
#[test]
fn module_response_parameters_are_checked() {
    let text = r#"
module "api" {
  source = "terraform-aws-modules/apigateway-v2/aws"
  routes = {
    "GET /x" = {
      integration = {
        uri = "https://example.com"
        type = "HTTP_PROXY"
        method = "GET"
        response_parameters = [
          {
            status_code = 1000
            mappings = {
              "overwrite:header" = "$response.body.id"
            }
          }
        ]
      }
    }
  }
}
"#;
    let found: Vec<String> = findings(text)
        .into_iter()
        .filter(|f| f.code == "invalid-response-parameter")
        .map(|f| text[f.range].to_string())
        .collect();
    assert_eq!(found, vec!["1000", "overwrite:header"]);
}

/// Inputs the review of the Terraform support found false findings on
/// (tests/fixtures/terraform): valid ones stay quiet, and a `${` the offsets cannot be
/// mapped for (an escape, a heredoc) is still told in Terraform's terms.
#[test]
fn reviewed_inputs() {
    let fixture = |name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/terraform")
            .join(name);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    // A subtype Terraform computes with parameters beside it.
    assert_eq!(findings(&fixture("computed-subtype.tf")), Vec::new());
    // A policy document built on another through `source_json` (before provider v5).
    assert_eq!(findings(&fixture("source-json.tf")), Vec::new());
    // A number in a module route's `request_parameters` (a map of strings).
    assert_eq!(findings(&fixture("module-number.tf")), Vec::new());
    let found = findings(&fixture("heredoc-interpolation.tf"));
    assert!(!found.is_empty());
    for f in &found {
        assert_eq!(f.code, "sub-variable-collision");
        assert!(f.message.contains("$${request.body}"), "{}", f.message);
        assert!(!f.message.contains("${!"), "{}", f.message);
    }
}

#[test]
fn a_bare_integration_id_as_target_is_fixed_as_terraform_writes_it() {
    use apigw_lsp::analysis::code_actions::for_finding;
    let text = "resource \"aws_apigatewayv2_route\" \"r\" {\n  api_id    = aws_apigatewayv2_api.api.id\n  route_key = \"GET /\"\n  target    = aws_apigatewayv2_integration.i.id\n}\n";
    let doc = Document::new(text, Language::Terraform, 0);
    let found = analysis::analyze(&doc);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, "invalid-route-target");
    assert!(
        found[0]
            .message
            .contains("\"integrations/${aws_apigatewayv2_integration.x.id}\"")
    );
    let actions = for_finding(&doc, &found[0]);
    let fixed = apigw_lsp::cli::fix::apply(text, &actions[0].edits).expect("applies");
    assert!(fixed.contains("target    = \"integrations/${aws_apigatewayv2_integration.i.id}\"\n"));
    assert!(findings(&fixed).is_empty(), "{fixed}");
}
