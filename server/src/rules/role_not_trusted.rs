//! `role-not-trusted`: the integration's role does not let API Gateway assume it.

use super::cross::Scope;
use super::{Check, Finding, Fix, Rule, Severity};
use crate::model::provider::address_type;
use crate::model::index::Index;

pub const RULE: Rule = Rule {
    code: "role-not-trusted",
    severity: Severity::Warning,
    summary: "The role in `CredentialsArn` does not trust `apigateway.amazonaws.com`.",
    explanation: "API Gateway calls the service with the integration's role, which it must be allowed to assume: the role's `AssumeRolePolicyDocument` needs an `Allow` statement for `sts:AssumeRole` with the service principal `apigateway.amazonaws.com`. Without it the stack deploys and every request fails. Checked only when the role and its trust policy are written out in the same template. In Terraform the role's `assume_role_policy` is read whether it is written with `jsonencode`, as JSON text (a heredoc) or as the `json` of a `data \"aws_iam_policy_document\"` of the same module (the `.tf` files of its folder). [doc, inferred]",
    example: "Resources:\n  ApiRole:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}\n  PurgeOrders:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-PurgeQueue\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt ApiRole.Arn\n      RequestParameters: {QueueUrl: !Ref OrdersQueue}",
    terraform_example: "resource \"aws_iam_role\" \"api\" {\n  assume_role_policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = { Service = \"lambda.amazonaws.com\" }\n      Action    = \"sts:AssumeRole\"\n    }]\n  })\n}\n\nresource \"aws_apigatewayv2_integration\" \"purge\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-PurgeQueue\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl = aws_sqs_queue.orders.url\n  }\n}",
    fix: "Add `apigateway.amazonaws.com` to the `Service` principal of the role's trust policy. The quick fix appends `{Effect: Allow, Principal: {Service: apigateway.amazonaws.com}, Action: sts:AssumeRole}` to the trust policy's `Statement` (a single statement becomes a list of two), leaving the statements for other principals as they are. No fix is offered when the role is declared in another file.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for at in scope.integrations() {
        let Some((reference, span)) = &at.item.credentials else {
            continue;
        };
        let role = reference.name();
        if index.trusts_api_gateway(role) == Some(false) {
            // Named by the role's own form (a module route or an OpenAPI body in a
            // `.tf` file names a Terraform role; an OpenAPI body in a Pulumi program's API,
            // a Pulumi role).
            let pulumi = index
                .resource(role)
                .and_then(|r| r.type_name.as_deref())
                .is_some_and(crate::syntax::pulumi::is_type_token);
            let document = match address_type(role) {
                _ if pulumi => "assumeRolePolicy",
                Some(_) => "assume_role_policy",
                None => "AssumeRolePolicyDocument",
            };
            out.push(
                Finding::new(
                    &RULE,
                    at.abs(span),
                    format!(
                        "API Gateway cannot assume the role `{role}`: its `{document}` has no `Allow` for the service `apigateway.amazonaws.com`. Add that principal to the trust policy."
                    ),
                )
                .with_fix(Fix::AddTrust {
                    role: role.to_string(),
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_when_the_trust_policy_names_another_service() {
        check_rule(
            "role-not-trusted",
            r#"
Resources:
  LambdaRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
  ApiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Service: [lambda.amazonaws.com, apigateway.amazonaws.com]
            Action: sts:AssumeRole
  OpaqueRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: !Ref TrustDocument
  Bad:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      CredentialsArn: !GetAtt LambdaRole.Arn
#                     ^^^^^^^^^^^^^^^^^^^^^^ cannot assume the role `LambdaRole`
      RequestParameters: {QueueUrl: x}
  Good:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      CredentialsArn: !GetAtt ApiRole.Arn
      RequestParameters: {QueueUrl: x}
  Unknown:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-PurgeQueue
      CredentialsArn: !GetAtt OpaqueRole.Arn
      RequestParameters: {QueueUrl: x}
"#,
        );
    }

    #[test]
    fn fires_in_openapi_bodies_and_json() {
        check_rule(
            "role-not-trusted",
            r#"
{"Resources": {
  "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Statement": [
    {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
  "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Body": {"openapi": "3.0.1", "paths": {"/x": {"post": {
    "x-amazon-apigateway-integration": {"integrationSubtype": "SQS-PurgeQueue",
      "credentials": {"Fn::GetAtt": ["Role", "Arn"]},
#                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cannot assume the role `Role`
      "requestParameters": {"QueueUrl": "x"}}}}}}}}}}
"#,
        );
    }
}
