//! `static-execution-name`: `StepFunctions-StartExecution` with the same `Name` on every
//! request, on a state machine whose execution names must be unique.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Fix, Rule, Severity};
use crate::model::facts::ResourceKind;

pub const RULE: Rule = Rule {
    code: "static-execution-name",
    severity: Severity::Warning,
    summary: "`StepFunctions-StartExecution` with a static `Name` on a STANDARD (or unknown-type) state machine.",
    explanation: "A STANDARD state machine's execution names must be unique for 90 days (per account, Region and state machine): with a `Name` that is the same on every request, the first request starts an execution and every later one fails with `ExecutionAlreadyExists` (or, while the first runs with the same input, is answered with it and starts nothing). Only EXPRESS machines, which start concurrent executions under one name, are left alone; a machine outside the template or without a literal `StateMachineType` is treated as STANDARD, the default. [doc: Step Functions StartExecution, execution guarantees]",
    example: "Resources:\n  Start:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: StepFunctions-StartExecution\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt Role.Arn\n      RequestParameters:\n        StateMachineArn: !Ref Machine\n        Name: order-run\n  Machine:\n    Type: AWS::StepFunctions::StateMachine\n  Role:\n    Type: AWS::IAM::Role",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"start\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"StepFunctions-StartExecution\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    StateMachineArn = aws_sfn_state_machine.orders.arn\n    Name            = \"order-run\"\n  }\n}",
    fix: "Map the name per request, e.g. `Name: $context.requestId`, or leave `Name` out and Step Functions generates a UUID.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let integration = at.item;
        if integration.subtype.as_deref() != Some("StepFunctions-StartExecution") {
            continue;
        }
        let Some(name) = integration.params.iter().find(|p| p.name == "Name") else {
            continue;
        };
        let Some(text) = &name.literal else {
            continue;
        };
        if text.is_empty() || crate::expr::parse_value(text).exprs().next().is_some() {
            continue;
        }
        let machine = integration
            .params
            .iter()
            .find(|p| p.name == "StateMachineArn")
            .and_then(|p| p.reference.as_ref())
            .and_then(|r| Some((r.name(), index.resource(r.name())?)));
        let described = match machine.map(|(n, r)| (n, &r.kind)) {
            Some((_, ResourceKind::StateMachine { kind: Some(kind) })) if kind == "EXPRESS" => {
                continue;
            }
            Some((n, ResourceKind::StateMachine { kind: Some(kind) })) => {
                format!("`{n}` is a {kind} state machine")
            }
            _ => "Unless the state machine is EXPRESS, it is STANDARD".to_string(),
        };
        // What the quick fix writes: unique per request and a valid execution name.
        let per_request = &crate::catalog::catalog().placeholders.execution_name;
        let finding = Finding::new(
            &RULE,
            at.abs(&name.value_span),
            format!(
                "`Name` is `{text}` on every request. {described}, whose execution names must be unique for 90 days: every request after the first fails with `ExecutionAlreadyExists`. Map it per request, e.g. `{per_request}`, or leave it out."
            ),
        );
        // Rewritten only where the span is exactly the text (not an escaped or folded one).
        out.push(if name.value_span.len() == text.len() {
            finding.with_fix(Fix::Replace {
                title: format!("Use `{per_request}`"),
                text: per_request.clone(),
                range: None,
            })
        } else {
            finding
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis;
    use crate::document::Document;
    use crate::rules::Fix;
    use crate::rules::test_support::{check_rule, language_of};

    #[test]
    fn documentation_names_the_catalog_fix() {
        let name = &crate::catalog::catalog().placeholders.execution_name;
        assert!(super::RULE.fix.contains(&format!("`Name: {name}`")));
    }

    const MACHINES: &str = "Parameters:
  MachineArn:
    Type: String
Resources:
  Standard:
    Type: AWS::StepFunctions::StateMachine
  Express:
    Type: AWS::StepFunctions::StateMachine
    Properties: {StateMachineType: EXPRESS}
  SamExpress:
    Type: AWS::Serverless::StateMachine
    Properties: {Type: EXPRESS}
";

    fn integration(name: &str, machine: &str, value: &str) -> String {
        format!(
            "  {name}:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: StepFunctions-StartExecution\n      RequestParameters:\n        StateMachineArn: {machine}\n        Name: {value}\n"
        )
    }

    #[test]
    fn fires_on_static_names_unless_the_machine_is_express() {
        let mut text = MACHINES.to_string();
        text.push_str(&integration("OnStandard", "!Ref Standard", "order-run"));
        text.push_str("#             ^^^^^^^^^ `Standard` is a STANDARD state machine\n");
        text.push_str(&integration(
            "OnParameter",
            "!Ref MachineArn",
            "\"undefined\"",
        ));
        text.push_str("#              ^^^^^^^^^ Unless the state machine is EXPRESS\n");
        text.push_str(&integration(
            "OnLiteralArn",
            "arn:aws:states:us-east-1:123456789012:stateMachine:m",
            "fixed",
        ));
        text.push_str("#             ^^^^^ ExecutionAlreadyExists\n");
        text.push_str(&integration("OnExpress", "!Ref Express", "order-run"));
        text.push_str(&integration(
            "OnSamExpress",
            "!GetAtt SamExpress.Arn",
            "order-run",
        ));
        text.push_str(&integration(
            "PerRequest",
            "!Ref Standard",
            "$context.requestId",
        ));
        text.push_str(&integration(
            "Prefixed",
            "!Ref Standard",
            "order-${request.body.id}",
        ));
        text.push_str(&integration(
            "Dynamic",
            "!Ref Standard",
            "!Sub \"${AWS::StackName}\"",
        ));
        check_rule("static-execution-name", &text);
    }

    #[test]
    fn the_fix_maps_the_name_per_request() {
        let json = r#"{"Resources": {
  "Machine": {"Type": "AWS::StepFunctions::StateMachine"},
  "Start": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"IntegrationType": "AWS_PROXY",
    "IntegrationSubtype": "StepFunctions-StartExecution",
    "RequestParameters": {"StateMachineArn": {"Ref": "Machine"}, "Name": "undefined"}}}}}"#;
        let mut yaml = MACHINES.to_string();
        yaml.push_str(&integration("Start", "!Ref Standard", "'order-run'"));
        for text in [json.to_string(), yaml] {
            let doc = Document::new(&text, language_of(&text), 0);
            let finding = analysis::analyze(&doc)
                .into_iter()
                .find(|f| f.code == "static-execution-name")
                .expect("a finding");
            let Some(Fix::Replace { text: new, .. }) = &finding.fix else {
                panic!("no fix: {finding:?}");
            };
            let mut fixed = text.clone();
            fixed.replace_range(finding.range.clone(), new);
            let after = analysis::analyze(&Document::new(&fixed, language_of(&fixed), 0));
            assert!(
                after
                    .iter()
                    .all(|f| f.code != "static-execution-name" && f.code != "syntax-error"),
                "{after:?}\n{fixed}"
            );
            assert!(fixed.contains("$context.requestId"), "{fixed}");
        }
    }
}
