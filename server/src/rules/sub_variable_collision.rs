//! `sub-variable-collision`: a braced mapping expression inside `Fn::Sub` text, which
//! CloudFormation reads as one of its own variables.
//!
//! Every `Fn::Sub` under the integration's fields is looked at: `RequestParameters`,
//! but also `IntegrationUri` and `CredentialsArn`, where `${stageVariables.x}` is
//! allowed and `!Sub` is common.

use std::ops::Range;

use super::{Check, Finding, Fix, IntegrationContext, Rule, Severity, name_list};
use crate::syntax::{NodeKind, NodeRef, Scalar, ScalarStyle};

pub const RULE: Rule = Rule {
    code: "sub-variable-collision",
    severity: Severity::Error,
    summary: "`${request...}`, `${context...}` or `${stageVariables...}` inside `!Sub` text.",
    explanation: "`Fn::Sub` replaces every `${Name}` and `${Name.Attribute}` with a template value, so `${request.body.id}` is read as the attribute `body.id` of a resource named `request`, and the deploy fails (`Template format error: Unresolved resource dependencies [request] in the Resources block of the template`). Write `${!request.body.id}`: CloudFormation turns `${!` into a literal `${`, which API Gateway then maps. The same holds for `${stageVariables.x}` in a `!Sub` integration URI or credentials ARN. In Terraform and in a Pulumi YAML program every string is a template: `${request.body.id}` is an interpolation there, which `terraform plan` rejects and Pulumi cannot resolve (no resource or variable `request`); `$${` is the escape in both. [doc: Fn::Sub; Terraform string templates; pulumi-yaml interpolation; inferred]",
    example: "Start:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: StepFunctions-StartExecution\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      StateMachineArn: !Ref Machine\n      Name: !Sub \"${AWS::StackName}-${request.path.id}\"",
    terraform_example: "resource \"aws_apigatewayv2_integration\" \"start\" {\n  api_id              = aws_apigatewayv2_api.orders.id\n  integration_type    = \"AWS_PROXY\"\n  integration_subtype = \"StepFunctions-StartExecution\"\n  credentials_arn     = aws_iam_role.api.arn\n\n  request_parameters = {\n    StateMachineArn = aws_sfn_state_machine.orders.arn\n    Name            = \"${var.prefix}-${request.path.id}\"\n  }\n}",
    fix: "Escape it as `${!request.path.id}` (the quick fix does), or drop `!Sub` when the value needs no template variables. In Terraform and Pulumi YAML escape it as `$${request.path.id}` (the quick fix does).",
    check: Check::Integration(check),
};

/// The roots of mapping expressions in their braced spelling.
pub const PREFIXES: &[&str] = &["request.", "context.", "stageVariables."];

/// A `${...}` of a `!Sub` template that is a mapping expression: the byte range of
/// `${`, and the text between the braces.
struct Collision<'t> {
    open: Range<usize>,
    end: usize,
    inner: &'t str,
}

/// The name an interpolation starts with: `request` of `request.body.id`.
/// The collisions written escaped by `escape` (given what is inside the braces), as a
/// list for a message.
fn escaped_list(found: &[Collision<'_>], escape: impl Fn(&str) -> String) -> String {
    let escaped: Vec<String> = found.iter().map(|c| escape(c.inner)).collect();
    name_list(escaped.iter().map(String::as_str))
}

fn root(inner: &str) -> &str {
    inner.split(['.', '[']).next().unwrap_or(inner)
}

fn collisions(text: &str) -> Vec<Collision<'_>> {
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(found) = text.get(search..).and_then(|rest| rest.find("${")) {
        let open = search + found;
        let inner_start = open + 2;
        let close = text[inner_start..].find('}').map(|c| inner_start + c);
        let inner = &text[inner_start..close.unwrap_or(text.len())];
        search = close.map_or(text.len(), |c| c + 1);
        if PREFIXES.iter().any(|p| inner.starts_with(p)) {
            out.push(Collision {
                open: open..inner_start,
                end: close.map_or(text.len(), |c| c + 1),
                inner,
            });
        }
    }
    out
}

/// Where byte `at` of a scalar's text sits in the document, also when the text is
/// quoted with escapes or folded. A source can only be longer than the shortest
/// spelling of its text (`\"` and `\\` escapes, `''` in single quotes, nothing else),
/// so when its length equals that spelling's, every character is spelt that way and
/// offsets follow. Block scalars and texts with control characters are not mapped.
fn doc_offset(node: &NodeRef<'_>, scalar: &Scalar, at: usize) -> Option<usize> {
    let span = node.text_span();
    if let Some(r) = node.map_inner(at..at) {
        return Some(r.start);
    }
    let width = |c: char| -> Option<usize> {
        match (scalar.style, c) {
            (ScalarStyle::Block, _) => None,
            (_, c) if c.is_control() => None,
            (ScalarStyle::DoubleQuoted, '"' | '\\') | (ScalarStyle::SingleQuoted, '\'') => Some(2),
            (_, c) => Some(c.len_utf8()),
        }
    };
    let mut total = 0;
    let mut before = None;
    for (i, c) in scalar.text.char_indices() {
        if i == at {
            before = Some(total);
        }
        total += width(c)?;
    }
    if at == scalar.text.len() {
        before = Some(total);
    }
    (total == span.len()).then_some(span.start + before?)
}

/// The `Fn::Sub` nodes under `root`, walked without recursion.
fn subs<'a>(root: NodeRef<'a>) -> Vec<NodeRef<'a>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match node.kind() {
            NodeKind::Map(_) => stack.extend(node.pairs().filter_map(|p| p.value())),
            NodeKind::Seq(_) => stack.extend(node.items()),
            NodeKind::Intrinsic(intrinsic) => {
                if intrinsic.name == "Fn::Sub" {
                    out.push(node);
                }
                stack.extend(node.intrinsic_argument());
            }
            _ => {}
        }
    }
    out.sort_by_key(|n| n.span().start);
    out
}

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    for sub in subs(cx.integration.fields) {
        let Some(arg) = sub.intrinsic_argument() else {
            continue;
        };
        let template = match arg.kind() {
            NodeKind::Seq(_) => arg.items().next(),
            _ => Some(arg),
        };
        let Some(template) = template else { continue };
        let Some(scalar) = template.scalar() else {
            continue;
        };
        let found = collisions(&scalar.text);
        let mapped: Option<Vec<(Range<usize>, usize)>> = found
            .iter()
            .map(|c| {
                let open = doc_offset(&template, scalar, c.open.start)?;
                let end = doc_offset(&template, scalar, c.end)?;
                Some((open..open + 2, end))
            })
            .collect();
        match mapped {
            Some(mapped) => {
                for (c, (open, end)) in found.iter().zip(mapped) {
                    let inner = c.inner;
                    if cx.pulumi {
                        out.push(
                            Finding::new(
                                &RULE,
                                open.start..end,
                                format!(
                                    "`${{{inner}}}` is a Pulumi interpolation here, a reference to a resource or variable `{}` that Pulumi does not find; write `$${{{inner}}}` so API Gateway gets the expression.",
                                    root(inner)
                                ),
                            )
                            .with_fix(Fix::Replace {
                                title: format!("Escape as `$${{{inner}}}`"),
                                text: "$${".to_string(),
                                range: Some(open),
                            }),
                        );
                        continue;
                    }
                    if cx.terraform {
                        out.push(
                            Finding::new(
                                &RULE,
                                open.start..end,
                                format!(
                                    "`${{{inner}}}` is a Terraform interpolation here, a reference to `{inner}` that `terraform plan` rejects; write `$${{{inner}}}` so API Gateway gets the expression."
                                ),
                            )
                            .with_fix(Fix::Replace {
                                title: format!("Escape as `$${{{inner}}}`"),
                                text: "$${".to_string(),
                                range: Some(open),
                            }),
                        );
                        continue;
                    }
                    out.push(
                        Finding::new(
                            &RULE,
                            open.start..end,
                            format!(
                                "`!Sub` reads `${{{inner}}}` as a template variable and the deploy fails; escape it as `${{!{inner}}}` so API Gateway gets the expression."
                            ),
                        )
                        .with_fix(Fix::Replace {
                            title: format!("Escape as `${{!{inner}}}`"),
                            text: "${!".to_string(),
                            range: Some(open),
                        }),
                    );
                }
            }
            // A block scalar or an unusual spelling: one finding on the whole text.
            None if !found.is_empty() && (cx.terraform || cx.pulumi) => {
                let (what, rejects) = if cx.pulumi {
                    ("Pulumi", "Pulumi does not resolve")
                } else {
                    ("Terraform", "`terraform plan` rejects")
                };
                let names = name_list(found.iter().map(|c| &scalar.text[c.open.start..c.end]));
                let escaped = escaped_list(&found, |inner| format!("$${{{inner}}}"));
                out.push(Finding::new(
                    &RULE,
                    template.text_span(),
                    if found.len() == 1 {
                        format!(
                            "{names} is a {what} interpolation here, a reference that {rejects}; write {escaped} so API Gateway gets the expression."
                        )
                    } else {
                        format!(
                            "{names} are {what} interpolations here, references that {rejects}; write {escaped} so API Gateway gets the expressions."
                        )
                    },
                ));
            }
            None if !found.is_empty() => {
                let names = name_list(found.iter().map(|c| &scalar.text[c.open.start..c.end]));
                let escaped = escaped_list(&found, |inner| format!("${{!{inner}}}"));
                out.push(Finding::new(
                    &RULE,
                    template.text_span(),
                    format!(
                        "`!Sub` reads {names} as template variables and the deploy fails; escape them as {escaped} so API Gateway gets the expressions."
                    ),
                ));
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis;
    use crate::document::Document;
    use crate::rules::Fix;
    use crate::rules::test_support::{check_rule, language_of};

    #[test]
    fn fires_on_mapping_expressions_inside_sub() {
        check_rule(
            "sub-variable-collision",
            r#"
Resources:
  Start:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      RequestParameters:
        StateMachineArn: !Ref Machine
        Name: !Sub "${AWS::StackName}-${request.path.id}"
#                                     ^^^^^^^^^^^^^^^^^^ escape it as `${!request.path.id}`
        Input:
          Fn::Sub:
            - '{"id": "${context.requestId}", "stage": "${Stage}", "x": "${!request.body.x}"}'
#                      ^^^^^^^^^^^^^^^^^^^^ `${context.requestId}`
            - Stage: prod
"#,
        );
        check_rule(
            "sub-variable-collision",
            r#"
{"Resources": {"S": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationSubtype": "SQS-SendMessage",
  "RequestParameters": {"QueueUrl": {"Fn::Sub": "${QueueUrl}"}, "MessageBody": {"Fn::Sub": "${stageVariables.x}"}}}}}}
#                                                                                           ^^^^^^^^^^^^^^^^^^^ escape it
"#,
        );
    }

    #[test]
    fn looks_at_every_sub_of_the_integration_in_every_form() {
        check_rule(
            "sub-variable-collision",
            r#"
Resources:
  Lambda:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationType: AWS_PROXY
      IntegrationUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${stageVariables.fn}/invocations"
#                                                                                              ^^^^^^^^^^^^^^^^^^^^ `${stageVariables.fn}`
      CredentialsArn:
        Fn::Join: ["", [!Sub "arn:aws:iam::${AWS::AccountId}:role/", !Sub "${stageVariables.role}"]]
#                                                                          ^^^^^^^^^^^^^^^^^^^^^^ `${stageVariables.role}`
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      Body:
        openapi: "3.0.1"
        paths:
          /orders/{id}:
            post:
              x-amazon-apigateway-integration:
                integrationSubtype: SQS-SendMessage
                credentials: !GetAtt Role.Arn
                requestParameters:
                  QueueUrl: !Ref Queue
                  MessageBody: !Sub '{"id": "${request.path.id}", "at": "${Queue.Arn}", "ok": "${!request.body}"}'
#                                            ^^^^^^^^^^^^^^^^^^ `${request.path.id}`
                  MessageGroupId: ${request.path.id}
"#,
        );
    }

    #[test]
    fn a_block_scalar_gets_one_finding_on_its_text() {
        let text = "Resources:\n  Block:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: StepFunctions-StartExecution\n      RequestParameters:\n        StateMachineArn: !Ref Machine\n        Input: !Sub |\n          {\"id\": \"${request.body.id}\",\n           \"trace\": \"${context.requestId}\"}\n";
        let doc = Document::new(text, language_of(text), 0);
        let found: Vec<_> = analysis::analyze(&doc)
            .into_iter()
            .filter(|f| f.code == "sub-variable-collision")
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        let finding = &found[0];
        assert!(
            finding
                .message
                .contains("`${request.body.id}` and `${context.requestId}` as template variables"),
            "{}",
            finding.message
        );
        let covered = &text[finding.range.clone()];
        assert!(
            covered.contains("${request.body.id}") && covered.contains("${context.requestId}"),
            "{covered:?}"
        );
        assert_eq!(finding.fix, None);
    }

    #[test]
    fn finds_the_variable_in_escaped_json_strings() {
        check_rule(
            "sub-variable-collision",
            r#"
{"Resources": {"S": {"Type": "AWS::ApiGatewayV2::Integration", "Properties": {
  "IntegrationSubtype": "StepFunctions-StartExecution",
  "RequestParameters": {"StateMachineArn": {"Ref": "M"},
    "Input": {"Fn::Sub": "{\"id\": \"${request.body.id}\", \"region\": \"${AWS::Region}\"}"},
#                                    ^^^^^^^^^^^^^^^^^^ escape it as `${!request.body.id}`
    "Name": {"Fn::Sub": ["x-\u0041-${context.requestId}", {}]}}}}}}
#                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `${context.requestId}` as template variables
"#,
        );
    }

    #[test]
    fn silent_without_sub_or_with_escapes() {
        check_rule(
            "sub-variable-collision",
            r#"
Resources:
  Send:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      CredentialsArn: !Sub "arn:aws:iam::${AWS::AccountId}:role/api"
      RequestParameters:
        QueueUrl: !Sub "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${QueueName}"
        MessageBody: '{"id": "${request.body.id}"}'
        MessageGroupId: !Sub "${!request.header.group}-${Suffix}"
        MessageDeduplicationId: !Join ["-", [!Ref Prefix, "${request.body.id}"]]
"#,
        );
    }

    #[test]
    fn the_fix_escapes_the_variable() {
        let text = "Resources:\n  S:\n    Type: AWS::ApiGatewayV2::Integration\n    Properties:\n      IntegrationSubtype: SQS-SendMessage\n      RequestParameters:\n        QueueUrl: !Ref Q\n        MessageBody: !Sub \"${AWS::Region} ${request.body}\"\n";
        let doc = Document::new(text, language_of(text), 0);
        let finding = analysis::analyze(&doc)
            .into_iter()
            .find(|f| f.code == "sub-variable-collision")
            .expect("finding");
        let Some(Fix::Replace {
            text: new,
            range: Some(range),
            ..
        }) = &finding.fix
        else {
            panic!("no fix: {finding:?}");
        };
        let mut fixed = text.to_string();
        fixed.replace_range(range.clone(), new);
        assert!(
            fixed.contains("!Sub \"${AWS::Region} ${!request.body}\""),
            "{fixed}"
        );
        let after = analysis::analyze(&Document::new(&fixed, language_of(&fixed), 0));
        assert!(
            after.iter().all(|f| f.code != "sub-variable-collision"),
            "{after:?}"
        );
    }
}
