//! `undefined-stage-variable`: `$stageVariables.NAME` that no stage of the API defines.

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Rule, Severity, name_list};

pub const RULE: Rule = Rule {
    code: "undefined-stage-variable",
    severity: Severity::Warning,
    summary: "`$stageVariables.NAME` that no stage of the API defines.",
    explanation: "A stage variable has a value only in stages that define it under `StageVariables`. When the template declares the API's stages and none defines the name, the mapping gives an empty value. Checked only when the template declares stages for the API. [inferred]",
    example: "Resources:\n  Prod:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      ApiId: !Ref Api\n      StageName: prod\n      StageVariables: {queueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/orders}\n  SendOrder:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt ApiRole.Arn\n      RequestParameters: {QueueUrl: $stageVariables.queue, MessageBody: $request.body}",
    terraform_example: "resource \"aws_apigatewayv2_stage\" \"prod\" {\n  api_id = aws_apigatewayv2_api.orders.id\n  name   = \"prod\"\n  stage_variables = {\n    queueUrl = \"https://sqs.us-east-1.amazonaws.com/123456789012/orders\"\n  }\n}\n\nresource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = \"$stageVariables.queue\"\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Use a name a stage defines, or add the variable to the stages' `StageVariables`.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let integration = at.item;
        if integration.params.iter().all(|p| p.stage_uses().next().is_none()) {
            continue;
        }
        let Some(mut known) = index.stage_variables(integration.api.as_deref()) else {
            continue;
        };
        known.sort_unstable();
        known.dedup();
        for param in &integration.params {
            for (name, span) in param.stage_uses() {
                if known.contains(&name) {
                    continue;
                }
                let defined = match known.len() {
                    0 => "the API's stages define no stage variables".to_string(),
                    _ => format!("its stages define {}", name_list(known.iter().copied())),
                };
                out.push(Finding::new(
                    &RULE,
                    at.abs(span),
                    format!("No stage defines the stage variable `{name}` ({defined}). Add it to `StageVariables` or use a defined name."),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_names_no_stage_defines() {
        check_rule(
            "undefined-stage-variable",
            r#"
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: a, ProtocolType: HTTP}
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: prod
      StageVariables:
        queueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/q
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: $stageVariables.queueUrl
        MessageBody: ${stageVariables.body}
#                                     ^^^^ its stages define `queueUrl`
"#,
        );
    }

    #[test]
    fn is_quiet_without_stages_and_checks_sam_and_json() {
        check_rule(
            "undefined-stage-variable",
            r#"
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: $stageVariables.anything
        MessageBody: x
"#,
        );
        check_rule(
            "undefined-stage-variable",
            r#"
{"Transform": "AWS::Serverless-2016-10-31", "Resources": {
  "Api": {"Type": "AWS::Serverless::HttpApi", "Properties": {"StageVariables": {"bus": "orders"},
    "DefinitionBody": {"openapi": "3.0.1", "paths": {"/x": {"post": {"x-amazon-apigateway-integration": {
      "integrationSubtype": "EventBridge-PutEvents",
      "requestParameters": {"EventBusName": "$stageVariables.busName", "Detail": "{}", "DetailType": "t", "Source": "s"}}}}}}}}}}
#                                                            ^^^^^^^ its stages define `bus`
"#,
        );
    }
}
