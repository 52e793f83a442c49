//! `sub-variable-collision`: a braced mapping expression inside `Fn::Sub` text, which
//! CloudFormation reads as one of its own variables.

use super::{Finding, Fix, IntegrationContext, RuleInfo, Severity};
use crate::syntax::NodeKind;

pub const RULE: RuleInfo = RuleInfo {
    code: "sub-variable-collision",
    severity: Severity::Error,
    summary: "`${request...}`, `${context...}` or `${stageVariables...}` inside `!Sub` text.",
    explanation: "`Fn::Sub` replaces every `${Name}` and `${Name.Attribute}` with a template value, so `${request.body.id}` is read as the attribute `body.id` of a resource named `request`, and the deploy fails on an unresolved reference. Write `${!request.body.id}`: CloudFormation turns `${!` into a literal `${`, which API Gateway then maps. [doc: Fn::Sub; inferred]",
    example: "Start:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: StepFunctions-StartExecution\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      StateMachineArn: !Ref Machine\n      Name: !Sub \"${AWS::StackName}-${request.path.id}\"",
    fix: "Escape it as `${!request.path.id}` (the quick fix does), or drop `!Sub` when the value needs no template variables.",
};

const PREFIXES: &[&str] = &["request.", "context.", "stageVariables."];

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let Some(params) = cx.integration.request_parameters() else {
        return;
    };
    for pair in params.pairs() {
        let Some(value) = pair.value() else { continue };
        let Some(intrinsic) = value.intrinsic() else {
            continue;
        };
        if intrinsic.name != "Fn::Sub" {
            continue;
        }
        let Some(arg) = value.intrinsic_argument() else {
            continue;
        };
        let template = match arg.kind() {
            NodeKind::Seq(_) => arg.items().next(),
            _ => Some(arg),
        };
        let Some(template) = template else { continue };
        let Some(text) = template.text() else {
            continue;
        };
        let mut search = 0;
        while let Some(found) = text[search..].find("${") {
            let open = search + found;
            let inner_start = open + 2;
            let close = text[inner_start..].find('}').map(|c| inner_start + c);
            let inner = &text[inner_start..close.unwrap_or(text.len())];
            search = close.map_or(text.len(), |c| c + 1);
            if !PREFIXES.iter().any(|p| inner.starts_with(p)) {
                continue;
            }
            let token = format!("${{{inner}}}");
            let message = format!(
                "`!Sub` reads `{token}` as a template variable and the deploy fails; escape it as `${{!{inner}}}` so API Gateway gets the expression."
            );
            let (range, fix) = match template.map_inner(open..inner_start) {
                Some(r) => (
                    r.start..r.end + inner.len() + usize::from(close.is_some()),
                    Some(Fix::Replace {
                        title: format!("Escape as `${{!{inner}}}`"),
                        text: "${!".to_string(),
                        range: Some(r),
                    }),
                ),
                None => (template.text_span(), None),
            };
            let finding = Finding::new(&RULE, range, message);
            out.push(match fix {
                Some(fix) => finding.with_fix(fix),
                None => finding,
            });
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
