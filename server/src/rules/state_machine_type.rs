//! `state-machine-type`: a Step Functions subtype that does not work with the type of
//! the state machine it points at.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Rule, Severity};
use crate::model::facts::ResourceKind;

pub const RULE: Rule = Rule {
    code: "state-machine-type",
    severity: Severity::Warning,
    summary: "`StartSyncExecution` on a STANDARD state machine, or `StopExecution` on an EXPRESS one.",
    explanation: "`StepFunctions-StartSyncExecution` only runs EXPRESS state machines, and `StopExecution` is not supported for EXPRESS ones. A state machine without `StateMachineType` is STANDARD. Checked when the machine is in the same template. [model]",
    example: "Machine:\n  Type: AWS::StepFunctions::StateMachine\nStart:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationSubtype: StepFunctions-StartSyncExecution\n    RequestParameters: {StateMachineArn: !Ref Machine}",
    terraform_example: "resource \"aws_sfn_state_machine\" \"orders\" {\n  name     = \"orders\"\n  role_arn = aws_iam_role.sfn.arn\n  definition = jsonencode({ StartAt = \"Done\", States = { Done = { Type = \"Succeed\" } } })\n}\n\nresource \"aws_apigatewayv2_integration\" \"start\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"StepFunctions-StartSyncExecution\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    StateMachineArn = aws_sfn_state_machine.orders.arn\n    Input           = \"$request.body\"\n  }\n}",
    fix: "Set `StateMachineType: EXPRESS` for synchronous runs, or use `StepFunctions-StartExecution` for a STANDARD machine.",
    check: Check::Cross(check),
};

/// The parameter naming the machine, the machine type `subtype` cannot act on, and the
/// advice; `None` for subtypes that run any machine.
fn refused(subtype: &str) -> Option<(&'static str, &'static str, &'static str)> {
    match subtype {
        "StepFunctions-StartSyncExecution" => Some((
            "StateMachineArn",
            "STANDARD",
            "`StartSyncExecution` runs EXPRESS machines only: set `StateMachineType: EXPRESS` or use `StepFunctions-StartExecution`.",
        )),
        "StepFunctions-StopExecution" => Some((
            "ExecutionArn",
            "EXPRESS",
            "`StopExecution` is not supported for EXPRESS machines.",
        )),
        _ => None,
    }
}

/// Whether `kind` is a state machine whose type `subtype` cannot act on (completion
/// leaves it out).
pub fn refuses(subtype: &str, kind: &ResourceKind) -> bool {
    matches!(
        (refused(subtype), kind),
        (Some((_, bad, _)), ResourceKind::StateMachine { kind: Some(k) }) if k == bad
    )
}

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let integration = at.item;
        let Some((param, bad, advice)) = integration.subtype.as_deref().and_then(refused) else {
            continue;
        };
        let Some(p) = integration.params.iter().find(|p| p.name == param) else {
            continue;
        };
        let names = p
            .reference
            .iter()
            .map(|r| r.name())
            .chain(p.names.iter().map(String::as_str));
        for name in names {
            let Some(resource) = index.resource(name) else {
                continue;
            };
            if let ResourceKind::StateMachine { kind: Some(kind) } = &resource.kind
                && kind == bad
            {
                out.push(Finding::new(
                    &RULE,
                    at.abs(&p.value_span),
                    format!("`{name}` is a state machine of type {bad}. {advice}"),
                ));
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_mismatched_machine_types() {
        check_rule(
            "state-machine-type",
            r#"
Resources:
  Standard:
    Type: AWS::StepFunctions::StateMachine
  Express:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineType: EXPRESS
  SamExpress:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
  SyncOnStandard:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartSyncExecution
      RequestParameters:
        StateMachineArn: !Ref Standard
#                        ^^^^^^^^^^^^^ `Standard` is a state machine of type STANDARD
  SyncOnExpress:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartSyncExecution
      RequestParameters:
        StateMachineArn: !GetAtt SamExpress.Arn
  StopExpress:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StopExecution
      RequestParameters:
        ExecutionArn: !Sub "arn:aws:states:${AWS::Region}:${AWS::AccountId}:execution:${Express.Name}:${!request.path.id}"
#                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `Express` is a state machine of type EXPRESS
  StartStandard:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      RequestParameters:
        StateMachineArn: !Ref Standard
"#,
        );
    }

    #[test]
    fn fires_in_openapi_json() {
        check_rule(
            "state-machine-type",
            r#"
{"Resources": {
  "M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"StateMachineType": "STANDARD"}},
  "Api": {"Type": "AWS::Serverless::HttpApi", "Properties": {"DefinitionBody": {"openapi": "3.0.1", "paths": {"/x": {"post": {
    "x-amazon-apigateway-integration": {"integrationSubtype": "StepFunctions-StartSyncExecution",
      "requestParameters": {"StateMachineArn": {"Ref": "M"}}}}}}}}}}}
#                                              ^^^^^^^^^^^^ `M` is a state machine of type STANDARD
"#,
        );
    }
}
