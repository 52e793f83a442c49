//! `role-missing-permission`: the integration's role has no policy allowing the
//! subtype's IAM action on the target.

use super::cross::Scope;
use super::{Arn, Check, Finding, Fix, Rule, Severity};
use crate::catalog::{self, Subtype, Yields};
use crate::model::Dialect;
use crate::model::facts::IntegrationFacts;
use crate::model::index::Index;

pub const RULE: Rule = Rule {
    code: "role-missing-permission",
    severity: Severity::Warning,
    summary: "The role in `CredentialsArn` is not allowed the subtype's IAM action on its target.",
    explanation: "Each subtype calls one service action with the integration's role (`sqs:SendMessage`, `events:PutEvents`, `states:StartExecution`, ...). When the role and all its policies are in the template (inline `Policies`, `AWS::IAM::Policy`/`RolePolicy`/`ManagedPolicy` attached to it) and none allows the action on a resource that covers the target, every request fails with an access error. Wildcards, literal ARNs and policies from outside the template are given the benefit of the doubt. In Terraform the policies are the role's `inline_policy` blocks, `aws_iam_role_policy`, `aws_iam_policy` attached with `aws_iam_role_policy_attachment` or `aws_iam_policy_attachment` or listed in `managed_policy_arns`, written with `jsonencode`, as JSON text or as an `aws_iam_policy_document`; a role with no policy in its module (the `.tf` files of its folder) is not checked. [doc, inferred]",
    example: "Resources:\n  OrdersQueue:\n    Type: AWS::SQS::Queue\n  ApiRole:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: read\n          PolicyDocument:\n            Statement:\n              - {Effect: Allow, Action: sqs:ReceiveMessage, Resource: !GetAtt OrdersQueue.Arn}\n  SendOrder:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt ApiRole.Arn\n      RequestParameters: {QueueUrl: !Ref OrdersQueue, MessageBody: $request.body}",
    terraform_example: "resource \"aws_sqs_queue\" \"orders\" {\n  name = \"orders\"\n}\n\nresource \"aws_iam_role\" \"api\" {\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = { Service = \"apigateway.amazonaws.com\" }\n      Action    = \"sts:AssumeRole\"\n    }]\n  })\n\n  inline_policy {\n    name = \"read\"\n    policy = jsonencode({\n      Version   = \"2012-10-17\"\n      Statement = [{ Effect = \"Allow\", Action = \"sqs:ReceiveMessage\", Resource = aws_sqs_queue.orders.arn }]\n    })\n  }\n}\n\nresource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.url\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Add a statement allowing the action named in the message on the target resource to one of the role's policies. The quick fix appends `{Effect: Allow, Action: <action>, Resource: <the target's ARN>}` to the `Statement` list of the role's first inline policy that has one, or gives the role an inline policy named after the subtype; the ARN is the `Ref` or `Fn::GetAtt` of the target that yields it, or the ARN the integration names. Where neither exists (a literal queue URL, AppConfig IDs, an execution ARN from the request) the `Resource` is `REPLACE_ME` for you to fill in, and `check --fix` leaves that fix to you. No fix is offered when the role is declared in another file.",
    check: Check::Cross(check),
};

/// The template resources an integration acts on: those its target parameters name.
fn targets(integration: &IntegrationFacts, subtype: &Subtype, index: &Index) -> Vec<String> {
    let mut out = Vec::new();
    for param in &integration.params {
        let is_target = subtype
            .param(&param.name)
            .is_some_and(|p| p.constraints.accepts.is_some());
        if !is_target {
            continue;
        }
        let names = param
            .reference
            .iter()
            .map(|r| r.name().to_string())
            .chain(param.names.iter().cloned());
        for name in names {
            if index.resource(&name).is_some() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let integration = at.item;
        let Some((reference, span)) = &integration.credentials else {
            continue;
        };
        let Some(subtype) = integration
            .subtype
            .as_deref()
            .and_then(|s| catalog::catalog().subtype(s))
        else {
            continue;
        };
        let role = reference.name();
        let Some(statements) = index.role_statements(role) else {
            continue;
        };
        let action = subtype.iam_action.as_str();
        let targets: Vec<String> = targets(integration, subtype, index)
            .into_iter()
            .filter(|t| !index.has_resource_policy(t))
            .collect();
        if targets.is_empty()
            && integration.params.iter().any(|p| {
                p.reference
                    .as_ref()
                    .is_some_and(|r| index.has_resource_policy(r.name()))
            })
        {
            continue;
        }
        let allowing: Vec<_> = statements.iter().filter(|s| s.allows(action)).collect();
        let terraform = integration.dialect == Dialect::Terraform;
        let message = if allowing.is_empty() {
            let add = if terraform {
                format!("a statement allowing `{action}`")
            } else {
                format!("a statement with `Action: {action}`")
            };
            format!(
                "The role `{role}` has no policy allowing `{action}`, which `{}` needs. Add {add} on the target to one of its policies.",
                subtype.name
            )
        } else {
            // One resource ARN covers an integration's target; AppConfig's names the
            // application, environment and profile at once, so any named target will do.
            let covered = targets.iter().any(|t| allowing.iter().any(|s| s.covers(t)));
            let Some(target) = targets.first().filter(|_| !covered) else {
                continue;
            };
            let resource = if terraform { "resources" } else { "`Resource`" };
            format!(
                "The role `{role}` allows `{action}`, but not on `{target}`. Add `{target}` (its ARN) to the statement's {resource}."
            )
        };
        let fix = Fix::AddStatement {
            role: role.to_string(),
            action: action.to_string(),
            resource: arn(integration, subtype, &targets, index),
            policy: subtype.name.clone(),
        };
        out.push(Finding::new(&RULE, at.abs(span), message).with_fix(fix));
    }
}

/// The ARN a new statement names the integration's target by: the reference that
/// yields the ARN of the first target whose type has one (`catalog.json`'s
/// `resourceTypes`), else an ARN the integration writes in a target parameter.
/// `None` when neither exists.
fn arn(
    integration: &IntegrationFacts,
    subtype: &Subtype,
    targets: &[String],
    index: &Index,
) -> Option<Arn> {
    let types = &catalog::catalog().resource_types;
    let by_reference = targets.iter().find_map(|name| {
        let info = types.get(index.resource(name)?.type_name.as_deref()?)?;
        Some(match info.arn()? {
            Yields::Ref => Arn::Ref(name.clone()),
            Yields::GetAtt(attribute) => Arn::GetAtt(name.clone(), attribute.to_string()),
        })
    });
    by_reference.or_else(|| {
        integration.params.iter().find_map(|param| {
            let takes_arn = subtype
                .param(&param.name)
                .and_then(|p| p.constraints.accepts.as_ref())
                .is_some_and(|kinds| kinds.iter().any(|k| k.ends_with("-arn")));
            let literal = param.literal.as_deref()?;
            (takes_arn && literal.starts_with("arn:") && !literal.contains('$'))
                .then(|| Arn::Literal(literal.to_string()))
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    const ROLE_HEADER: &str = r#"
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Other:
    Type: AWS::SQS::Queue
"#;

    fn fixture(rest: &str) -> String {
        format!("{ROLE_HEADER}{rest}")
    }

    #[test]
    fn fires_when_no_policy_allows_the_action() {
        check_rule(
            "role-missing-permission",
            &fixture(
                r#"  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: [sqs:ReceiveMessage], Resource: !GetAtt Queue.Arn}
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Role.Arn
#                     ^^^^^^^^^^^^^^^^ no policy allowing `sqs:SendMessage`
      RequestParameters: {QueueUrl: !Ref Queue, MessageBody: x}
"#,
            ),
        );
    }

    #[test]
    fn fires_when_the_action_is_allowed_on_another_resource() {
        check_rule(
            "role-missing-permission",
            &fixture(
                r#"  Role:
    Type: AWS::IAM::Role
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      Roles: [!Ref Role]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: sqs:SendMessage
            Resource: !GetAtt Other.Arn
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Role.Arn
#                     ^^^^^^^^^^^^^^^^ allows `sqs:SendMessage`, but not on `Queue`
      RequestParameters: {QueueUrl: !Ref Queue, MessageBody: x}
"#,
            ),
        );
    }

    #[test]
    fn accepts_wildcards_matching_policies_and_unknown_policies() {
        check_rule(
            "role-missing-permission",
            &fixture(
                r#"  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: send
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "sqs:Send*", Resource: !GetAtt Queue.Arn}
  Star:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: all
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "*", Resource: "*"}
  Managed:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonSQSFullAccess]
  Sub:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: send
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sqs:SendMessage
                Resource: !Sub arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}
  A:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters: {QueueUrl: !Ref Queue, MessageBody: x}
  B:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Star.Arn
      RequestParameters: {QueueUrl: !Ref Queue, MessageBody: x}
  C:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Managed.Arn
      RequestParameters: {QueueUrl: !Ref Queue, MessageBody: x}
  D:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Sub.Arn
      RequestParameters: {QueueUrl: !Ref Queue, MessageBody: x}
"#,
            ),
        );
    }

    #[test]
    fn one_named_target_is_enough() {
        check_rule(
            "role-missing-permission",
            r#"
Resources:
  App:
    Type: AWS::AppConfig::Application
  Env:
    Type: AWS::AppConfig::Environment
  Profile:
    Type: AWS::AppConfig::ConfigurationProfile
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: config
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: appconfig:GetConfiguration
                Resource: !Sub "arn:${AWS::Partition}:appconfig:${AWS::Region}:${AWS::AccountId}:application/${App}/*"
  Get:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: AppConfig-GetConfiguration
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters: {Application: !Ref App, Environment: !Ref Env, Configuration: !Ref Profile, ClientId: x}
"#,
        );
    }

    #[test]
    fn a_resource_policy_on_the_target_may_grant_access() {
        check_rule(
            "role-missing-permission",
            &fixture(
                r#"  Role:
    Type: AWS::IAM::Role
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: !GetAtt Role.Arn}, Action: sqs:SendMessage, Resource: !GetAtt Queue.Arn}
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters: {QueueUrl: !Ref Queue, MessageBody: x}
"#,
            ),
        );
    }

    #[test]
    fn fires_in_openapi_and_json() {
        check_rule(
            "role-missing-permission",
            r#"
{"Resources": {
  "Machine": {"Type": "AWS::StepFunctions::StateMachine"},
  "Role": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
    {"Effect": "Allow", "Action": "states:DescribeExecution", "Resource": {"Ref": "Machine"}}]}}]}},
  "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Body": {"openapi": "3.0.1", "paths": {"/x": {"post": {
    "x-amazon-apigateway-integration": {"integrationSubtype": "StepFunctions-StartExecution",
      "credentials": {"Fn::GetAtt": ["Role", "Arn"]},
#                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ allowing `states:StartExecution`
      "requestParameters": {"StateMachineArn": {"Ref": "Machine"}}}}}}}}}}
"#,
        );
    }
}
