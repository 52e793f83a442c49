//! `unresolved-reference`: a `Ref`, `Fn::GetAtt` or `${Name}` of `Fn::Sub` that names
//! nothing in the template, in an integration, a route, or a role or policy an
//! integration uses.

use std::ops::Range;

use super::cross::Scope;
use super::{Check, Finding, Fix, Rule, Severity};
use crate::model::index::Index;
use crate::model::intrinsics::NameUse;

pub const RULE: Rule = Rule {
    code: "unresolved-reference",
    severity: Severity::Error,
    summary: "A `Ref`, `Fn::GetAtt` or `${Name}` in an integration, a route, or a role or policy they use, that names no resource, parameter or pseudo parameter.",
    explanation: "CloudFormation rejects a template whose intrinsics name a logical ID it does not declare (\"Template format error: Unresolved resource dependencies [NoSuchRole] in the Resources block of the template\"), before anything is deployed. Checked in `AWS::ApiGatewayV2::Integration` and `Route` resources, in `x-amazon-apigateway-integration` of inline OpenAPI bodies, and in the IAM roles named by integrations' credentials and the policies attached to them. Resources SAM generates are known (`ServerlessHttpApi`, `<Function>Role`, `<Api>ApiGatewayDefaultStage`, `<Api>.Stage`: any name starting with a SAM resource's logical ID), and templates with another transform or a macro (`Fn::Transform`, `Fn::ForEach`), which may add resources, are not checked. [doc]",
    example: "Resources:\n  SendOrder:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      ApiId: !Ref Api\n      IntegrationType: AWS_PROXY\n      IntegrationSubtype: SQS-SendMessage\n      PayloadFormatVersion: \"1.0\"\n      CredentialsArn: !GetAtt NoSuchRole.Arn\n      RequestParameters:\n        QueueUrl: !Ref OrdersQueue\n        MessageBody: $request.body\n  Api:\n    Type: AWS::ApiGatewayV2::Api\n    Properties: {Name: orders, ProtocolType: HTTP}\n  OrdersQueue:\n    Type: AWS::SQS::Queue",
    terraform_example: "",
    fix: "Name a resource or parameter the template declares (the quick fix offers the closest one), or declare the missing one. For a route's `Target` the quick fix can also declare the integration it names: an `AWS::ApiGatewayV2::Integration` after the route, on the route's `ApiId`, with `IntegrationType: AWS_PROXY`, `PayloadFormatVersion: \"1.0\"`, `SQS-SendMessage` as a starting subtype and `REPLACE_ME` placeholders (the queue, the role) for you to fill in; `check --fix` never applies it.",
    check: Check::Cross(check),
};

pub fn check(index: &Index, scope: Scope<'_>, out: &mut Vec<Finding>) {
    for integration in &scope.facts.integrations {
        // A standalone OpenAPI document names the resources of the template that
        // includes it: checked when it is analysed with that template.
        if !integration.is_resource() && integration.api.is_none() {
            continue;
        }
        report(index, scope.base, &integration.refs, None, out);
    }
    for resource in &scope.facts.resources {
        if !resource.refs.is_empty() && index.references_checked(&resource.name) {
            let target = resource.route().and_then(|r| r.target_integration());
            report(index, scope.base, &resource.refs, target, out);
        }
    }
}

/// Whether a quick fix can declare a resource of this name: a logical ID is
/// alphanumeric.
fn declarable(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Reports the unresolved names of `refs`; `target`: the name a route's `Target`
/// names as its integration, and its span (relative, like the refs').
fn report(
    index: &Index,
    base: usize,
    refs: &[NameUse],
    target: Option<(&str, &Range<usize>)>,
    out: &mut Vec<Finding>,
) {
    for (name, span) in refs {
        // `${request.body}` in a Sub is a mapping expression CloudFormation would read
        // as a resource: `sub-variable-collision` says so, with its own fix.
        let collision = super::sub_variable_collision::PREFIXES
            .iter()
            .any(|p| p.strip_suffix('.') == Some(name.as_str()));
        if collision || index.resolves(name) {
            continue;
        }
        let kind = if name.starts_with("AWS::") {
            "pseudo parameter"
        } else {
            "resource or parameter of this template"
        };
        let suggestion = index.closest_name(name);
        let message = match &suggestion {
            Some(s) => format!("`{name}` is not a {kind}; did you mean `{s}`?"),
            None => format!(
                "`{name}` is not a {kind}: declare it, or name one that the template declares."
            ),
        };
        let finding = Finding::new(&RULE, base + span.start..base + span.end, message);
        // The fix rewrites the name only where the span is exactly the name.
        let exact = span.len() == name.len();
        let rename = suggestion.filter(|_| exact);
        let targeted = target.is_some_and(|(n, s)| n == name && s == span);
        out.push(if targeted && exact && declarable(name) {
            finding.with_fix(Fix::CreateIntegration {
                name: name.clone(),
                rename,
            })
        } else {
            match rename {
                Some(s) => finding.with_fix(Fix::Replace {
                    title: format!("Change to `{s}`"),
                    text: s,
                    range: None,
                }),
                None => finding,
            }
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
    fn fires_on_names_the_template_does_not_declare() {
        check_rule(
            "unresolved-reference",
            r#"
Parameters:
  BusName:
    Type: String
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: orders, ProtocolType: HTTP}
  ApiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: put
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: events:PutEvents
                Resource: !GetAtt EventBuss.Arn
#                                 ^^^^^^^^^ did you mean `EventBus`?
  UnusedRole:
    Type: AWS::IAM::Role
    Properties:
      Policies: [{PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: "*", Resource: !Ref Elsewhere}]}}]
  EventBus:
    Type: AWS::Events::EventBus
    Properties: {Name: orders}
  Put:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: AWS_PROXY
      IntegrationSubtype: EventBridge-PutEvents
      PayloadFormatVersion: "1.0"
      CredentialsArn: !GetAtt ApiRole.Arn
      RequestParameters:
        EventBusName: !Ref EventBusX
#                          ^^^^^^^^^ did you mean `EventBus`?
        Source: !Sub "orders.${AWS::Regoin}.${BusName}"
#                              ^^^^^^^^^^^ `AWS::Regoin` is not a pseudo parameter; did you mean `AWS::Region`?
        DetailType: !Sub ["${Kind}-${Missing}", {Kind: order}]
#                                    ^^^^^^^ `Missing` is not a resource or parameter of this template: declare it
        Detail: $request.body
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Apii
#                 ^^^^ did you mean `Api`?
      RouteKey: POST /orders
      Target: !Join [/, [integrations, !Ref Putt]]
#                                           ^^^^ did you mean `Put`?
"#,
        );
    }

    #[test]
    fn knows_pseudo_parameters_and_openapi_bodies() {
        check_rule(
            "unresolved-reference",
            r#"
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Body:
        openapi: 3.0.1
        paths:
          /orders:
            post:
              x-amazon-apigateway-integration:
                type: aws_proxy
                integrationSubtype: SQS-SendMessage
                payloadFormatVersion: "1.0"
                credentials: {"Fn::GetAtt": [QueueRole, Arn]}
#                                            ^^^^^^^^^ did you mean `QueuesRole`?
                requestParameters:
                  QueueUrl: !Sub "https://sqs.${AWS::Region}.${AWS::URLSuffix}/${AWS::AccountId}/q"
                  MessageBody: $request.body
  QueuesRole:
    Type: AWS::IAM::Role
"#,
        );
    }

    #[test]
    fn json_templates() {
        check_rule(
            "unresolved-reference",
            r#"
{"Resources": {
  "Int": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"ApiId": {"Ref": "Nope"}, "IntegrationType": "AWS_PROXY"}}}}
#                                                                                    ^^^^ `Nope` is not a resource or parameter
"#,
        );
    }

    #[test]
    fn silent_on_sam_generated_resources_and_other_transforms() {
        let sam = r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a
      Events:
        Api: {Type: HttpApi}
  MyApi:
    Type: AWS::Serverless::HttpApi
  Int:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref ServerlessHttpApi
      IntegrationType: AWS_PROXY
      IntegrationUri: !GetAtt Fn.Arn
      CredentialsArn: !GetAtt FnRole.Arn
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref MyApi
      RouteKey: GET /
      Target: !Sub "integrations/${Int}"
      AuthorizerId: !Ref MyApi.Stage
      OperationName: !Sub "${MyApiApiGatewayDefaultStage}"
"#;
        check_rule("unresolved-reference", sam);
        // The same names without the SAM transform are unresolved.
        let plain = sam.replace("Transform: AWS::Serverless-2016-10-31\n", "");
        let findings = analysis::analyze(&Document::new(&plain, language_of(&plain), 0));
        let names: Vec<&str> = findings
            .iter()
            .filter(|f| f.code == "unresolved-reference")
            .map(|f| &plain[f.range.clone()])
            .collect();
        assert_eq!(
            names,
            [
                "ServerlessHttpApi",
                "FnRole",
                "MyApi.Stage",
                "MyApiApiGatewayDefaultStage"
            ]
        );
        for transform in [
            "Transform: [AWS::Serverless-2016-10-31, AWS::LanguageExtensions]\n",
            "Transform: MyMacro\n",
            "Transform: {Name: Custom, Parameters: {a: b}}\n",
        ] {
            check_rule("unresolved-reference", &format!("{transform}{plain}"));
        }
        let snippet = format!(
            "{plain}  Fn::Transform:\n    Name: AWS::Include\n    Parameters: {{Location: s3://b/k.yaml}}\n"
        );
        check_rule("unresolved-reference", &snippet);
    }

    #[test]
    fn the_fix_renames_the_reference() {
        for (text, expected) in [
            (
                "Resources:\n  Role:\n    Type: AWS::IAM::Role\n  I:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      CredentialsArn: !GetAtt Rol.Arn\n",
                "CredentialsArn: !GetAtt Role.Arn",
            ),
            (
                r#"{"Resources": {"Role": {"Type": "AWS::IAM::Role"}, "I": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {"CredentialsArn": {"Fn::Sub": "${Roles.Arn}"}}}}}"#,
                r#"{"Fn::Sub": "${Role.Arn}"}"#,
            ),
        ] {
            let doc = Document::new(text, language_of(text), 0);
            let finding = analysis::analyze(&doc)
                .into_iter()
                .find(|f| f.code == "unresolved-reference")
                .expect("a finding");
            let Some(Fix::Replace { text: new, .. }) = &finding.fix else {
                panic!("no fix: {finding:?}");
            };
            let mut fixed = text.to_string();
            fixed.replace_range(finding.range.clone(), new);
            assert!(fixed.contains(expected), "{fixed}");
            let after = analysis::analyze(&Document::new(&fixed, language_of(&fixed), 0));
            assert!(
                after.iter().all(|f| f.code != "unresolved-reference"),
                "{after:?}"
            );
        }
    }
}
