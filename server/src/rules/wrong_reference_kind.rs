//! `wrong-reference-kind`: a `Ref` or `Fn::GetAtt` whose result does not fit the
//! parameter (`QueueUrl: !GetAtt Queue.Arn`, `CredentialsArn: !Ref Role`).

use super::cross::Scope;
use crate::model::index::Index;
use super::{Check, Finding, Fix, Rule, Severity};
use crate::catalog;
use crate::model::Dialect;
use crate::model::intrinsics::Reference;

pub const RULE: Rule = Rule {
    code: "wrong-reference-kind",
    severity: Severity::Error,
    summary: "A `Ref` or `Fn::GetAtt` returns something other than what the parameter needs.",
    explanation: "`Ref` and `Fn::GetAtt` return different things per resource type: a queue's `Ref` is its URL and `Arn` its ARN, a Kinesis stream's `Ref` is its name, a state machine's `Ref` is its ARN, a role's `Ref` is its name. The template deploys, but every request fails when the service gets an ARN where it wanted a URL or a name. [doc: CloudFormation return values; sample]",
    example: "Resources:\n  OrdersQueue:\n    Type: AWS::SQS::Queue\n  SendOrder:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt ApiRole.Arn\n      RequestParameters:\n        QueueUrl: !GetAtt OrdersQueue.Arn\n        MessageBody: $request.body",
    terraform_example: "resource \"aws_sqs_queue\" \"orders\" {\n  name = \"orders\"\n}\n\nresource \"aws_apigatewayv2_integration\" \"send\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"SQS-SendMessage\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    QueueUrl    = aws_sqs_queue.orders.arn\n    MessageBody = \"$request.body\"\n  }\n}",
    fix: "Use the reference that returns what the parameter needs: `QueueUrl: !Ref OrdersQueue`, `StreamName: !Ref Stream`, `CredentialsArn: !GetAtt Role.Arn`.",
    check: Check::Cross(check),
};

/// What the value kind `kind` is called in messages.
fn describe(kind: &str) -> String {
    catalog::catalog()
        .value_kinds
        .get(kind)
        .cloned()
        .unwrap_or_else(|| kind.to_string())
}

/// A reference to the same resource that yields one of `accepts`, if any.
fn better(name: &str, type_name: &str, accepts: &[String]) -> Option<Reference> {
    let info = catalog::catalog().resource_types.get(type_name)?;
    Some(match info.yielding(accepts)? {
        catalog::Yields::Ref => Reference::Ref(name.to_string()),
        catalog::Yields::GetAtt(attr) => Reference::GetAtt(name.to_string(), attr.to_string()),
    })
}

fn check_one(
    index: &Index,
    what: &str,
    reference: &Reference,
    accepts: &[String],
    json: bool,
    dialect: Dialect,
) -> Option<(String, Option<String>)> {
    let kind = index.reference_kind(reference)?;
    if accepts.iter().any(|a| a == kind) {
        return None;
    }
    let type_name = index.resource(reference.name())?.type_name.clone()?;
    // A Pulumi resource is named as Pulumi writes it, also from an OpenAPI body.
    let dialect = if crate::syntax::pulumi::is_type_token(&type_name) {
        Dialect::Pulumi
    } else {
        dialect
    };
    let wanted = accepts
        .iter()
        .map(|k| describe(k))
        .collect::<Vec<_>>()
        .join(" or ");
    let replacement = better(reference.name(), &type_name, accepts);
    let advice = match &replacement {
        Some(r) => format!(" Use `{}`.", r.display_in(dialect)),
        None => format!(
            " `{}` is a {type_name}; point it at the right resource.",
            reference.name()
        ),
    };
    let message = format!(
        "`{what}` needs {wanted}, but `{}` returns {}.{advice}",
        reference.display_in(dialect),
        describe(kind)
    );
    let fix = replacement.map(|r| match (json && dialect != Dialect::Pulumi, &r) {
        (false, _) => r.display_in(dialect),
        (true, Reference::Ref(n)) => format!("{{\"Ref\": \"{n}\"}}"),
        (true, Reference::GetAtt(n, a)) => format!("{{\"Fn::GetAtt\": [\"{n}\", \"{a}\"]}}"),
    });
    Some((message, fix))
}

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    let catalog = catalog::catalog();
    for at in scope.integrations() {
        let integration = at.item;
        if let Some((reference, span)) = &integration.credentials
            && let Some((message, fix)) = check_one(
                index,
                integration.dialect.name(crate::model::Field::Credentials),
                reference,
                &catalog.credentials_accepts,
                integration.json,
                integration.dialect,
            )
        {
            out.push(with_fix(Finding::new(&RULE, at.abs(span), message), fix));
        }
        let Some(subtype) = integration
            .subtype
            .as_deref()
            .and_then(|s| catalog.subtype(s))
        else {
            continue;
        };
        for param in &integration.params {
            let Some(reference) = &param.reference else {
                continue;
            };
            let Some(accepts) = subtype
                .param(&param.name)
                .and_then(|p| p.constraints.accepts.as_deref())
            else {
                continue;
            };
            if let Some((message, fix)) =
                check_one(
                    index,
                    &param.name,
                    reference,
                    accepts,
                    integration.json,
                    integration.dialect,
                )
            {
                out.push(with_fix(
                    Finding::new(&RULE, at.abs(&param.value_span), message),
                    fix,
                ));
            }
        }
    }
}

fn with_fix(finding: Finding, text: Option<String>) -> Finding {
    match text {
        Some(text) => finding.with_fix(Fix::Replace {
            title: format!("Replace with `{text}`"),
            text,
            range: None,
        }),
        None => finding,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_references_that_return_the_wrong_thing() {
        check_rule(
            "wrong-reference-kind",
            r#"
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Stream:
    Type: AWS::Kinesis::Stream
  Machine:
    Type: AWS::StepFunctions::StateMachine
  Role:
    Type: AWS::IAM::Role
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !Ref Role
#                     ^^^^^^^^^ returns the role's name. Use `!GetAtt Role.Arn`
      RequestParameters:
        QueueUrl: !GetAtt Queue.Arn
#                 ^^^^^^^^^^^^^^^^^ needs the queue's URL, but `!GetAtt Queue.Arn` returns the queue's ARN. Use `!Ref Queue`
        MessageBody: $request.body
  Put:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: Kinesis-PutRecord
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters:
        StreamName:
          Fn::GetAtt: [Stream, Arn]
#         ^^^^^^^^^^^^^^^^^^^^^^^^^ returns the stream's ARN
        Data: $request.body
        PartitionKey: x
  Stop:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StopExecution
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters:
        ExecutionArn: !Ref Machine
#                     ^^^^^^^^^^^^ needs an execution ARN, but `!Ref Machine` returns the state machine's ARN
"#,
        );
    }

    #[test]
    fn accepts_the_right_references_parameters_and_unknown_types() {
        check_rule(
            "wrong-reference-kind",
            r#"
Parameters:
  QueueUrlParam:
    Type: String
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Machine:
    Type: AWS::StepFunctions::StateMachine
  Role:
    Type: AWS::IAM::Role
  Custom:
    Type: Custom::Thing
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters:
        QueueUrl: !Ref Queue
        MessageBody: !GetAtt Custom.Body
  Send2:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !Sub "${Role.Arn}"
      RequestParameters:
        QueueUrl: !Ref QueueUrlParam
        MessageBody: $request.body
  Start:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      CredentialsArn: !GetAtt Role.Arn
      RequestParameters:
        StateMachineArn: !Ref Machine
"#,
        );
    }

    #[test]
    fn checks_openapi_bodies_and_json() {
        check_rule(
            "wrong-reference-kind",
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: 3.0.1
        paths:
          /x:
            post:
              x-amazon-apigateway-integration:
                integrationSubtype: SQS-SendMessage
                requestParameters:
                  QueueUrl: !GetAtt Queue.QueueName
#                           ^^^^^^^^^^^^^^^^^^^^^^^ returns the queue's name
                  MessageBody: $request.body
"#,
        );
        check_rule(
            "wrong-reference-kind",
            r#"
{"Resources": {
  "Queue": {"Type": "AWS::SQS::Queue"},
  "Send": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
    "IntegrationSubtype": "SQS-SendMessage",
    "RequestParameters": {"QueueUrl": {"Fn::GetAtt": ["Queue", "Arn"]}, "MessageBody": "x"}}}}}
#                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ Use `!Ref Queue`
"#,
        );
    }

    #[test]
    fn the_fix_writes_the_documents_own_syntax() {
        use crate::analysis;
        use crate::document::Document;
        use crate::rules::Fix;
        use crate::syntax::Language;
        let text = r#"{"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}, "Send": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"IntegrationSubtype": "SQS-SendMessage", "RequestParameters": {"QueueUrl": {"Fn::GetAtt": ["Queue", "Arn"]}, "MessageBody": "x"}}}}}"#;
        let doc = Document::new(text, Language::Json, 0);
        let finding = analysis::analyze(&doc)
            .into_iter()
            .find(|f| f.code == "wrong-reference-kind")
            .expect("finding");
        let Some(Fix::Replace { text: fixed, .. }) = &finding.fix else {
            panic!("no fix: {finding:?}");
        };
        let mut new_text = text.to_string();
        new_text.replace_range(finding.range.clone(), fixed);
        let doc = Document::new(&new_text, Language::Json, 0);
        let after = analysis::analyze(&doc);
        assert!(
            after
                .iter()
                .all(|f| f.code != "wrong-reference-kind" && f.code != "syntax-error"),
            "{after:?}"
        );
    }
}
