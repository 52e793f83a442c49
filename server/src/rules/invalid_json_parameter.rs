//! `invalid-json-parameter`: a parameter that the service reads as JSON (`Detail`,
//! `Input`, `MessageAttributes`, ...) given static text that is not JSON.

use super::{Finding, IntegrationContext, RuleInfo, Severity};
use crate::expr::Part;

pub const RULE: RuleInfo = RuleInfo {
    code: "invalid-json-parameter",
    severity: Severity::Warning,
    summary: "A parameter the service reads as JSON has static text that is not JSON.",
    explanation: "EventBridge `Detail` must be a JSON object (else `MalformedDetail`), Step Functions `Input` JSON text, and SQS `MessageAttributes` a JSON object mapping names to `{\"DataType\": ..., \"StringValue\": ...}`. Braced expressions inside the text are allowed and are treated as strings here. [model]",
    example: "SendOrder:\n  Type: AWS::ApiGatewayV2::Integration\n  Properties:\n    IntegrationType: AWS_PROXY\n    IntegrationSubtype: SQS-SendMessage\n    PayloadFormatVersion: \"1.0\"\n    CredentialsArn: !GetAtt ApiRole.Arn\n    RequestParameters:\n      QueueUrl: !Ref OrdersQueue\n      MessageBody: $request.body\n      MessageAttributes: foo=bar",
    fix: "Write JSON, e.g. `MessageAttributes: '{\"foo\": {\"DataType\": \"String\", \"StringValue\": \"bar\"}}'`, or map the whole value from the request (`$request.body`).",
};

pub fn check(cx: &IntegrationContext<'_, '_>, out: &mut Vec<Finding>) {
    let Some(subtype) = cx
        .integration
        .subtype_name()
        .and_then(|n| cx.catalog.subtype(n))
    else {
        return;
    };
    for value in cx.values {
        let Some(param) = subtype.param(value.pair.key()) else {
            continue;
        };
        let wants_object = match param.constraints.value_type.as_deref() {
            Some("json-object") => true,
            Some("json") => false,
            _ => continue,
        };
        let Some(text) = value.value.text() else {
            continue;
        };
        // A bare expression as the whole value is mapped at run time: nothing to check.
        if value.parsed.parts.len() == 1
            && matches!(value.parsed.parts[0], Part::Expr(ref e) if !e.braced)
        {
            continue;
        }
        if !value.parsed.problems.is_empty() {
            continue;
        }
        // Replace each braced expression by a neutral string (they sit inside JSON strings).
        let mut json = String::with_capacity(text.len());
        for part in &value.parsed.parts {
            match part {
                Part::Literal(r) => json.push_str(text.get(r.clone()).unwrap_or("")),
                Part::Expr(_) => json.push('x'),
            }
        }
        let parsed: Result<serde_json::Value, _> = serde_json::from_str(&json);
        let message = match parsed {
            Ok(v) if wants_object && !v.is_object() => {
                format!(
                    "`{}` must be a JSON object as text; this is JSON but not an object.",
                    param.name
                )
            }
            Ok(_) => continue,
            Err(e) => format!(
                "`{}` must be {} as text, but this is not valid JSON ({e}).",
                param.name,
                if wants_object {
                    "a JSON object"
                } else {
                    "JSON"
                }
            ),
        };
        out.push(Finding::new(&RULE, value.value.text_span(), message));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_non_json_text() {
        check_rule(
            "invalid-json-parameter",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: q
        MessageBody: $request.body
        MessageAttributes: foo=bar
#                          ^^^^^^^ must be a JSON object
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: EventBridge-PutEvents
      RequestParameters:
        Source: s
        DetailType: t
        Detail: '[1, 2]'
#                ^^^^^^ not an object
"#,
        );
    }

    #[test]
    fn silent_on_json_with_braced_expressions_and_mapped_values() {
        check_rule(
            "invalid-json-parameter",
            r#"
Resources:
  I:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: SQS-SendMessage
      RequestParameters:
        QueueUrl: q
        MessageBody: $request.body
        MessageAttributes: >-
          {"sig": {"DataType": "String",
           "StringValue": "${request.header.x-signature}"}}
  J:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      IntegrationSubtype: StepFunctions-StartExecution
      RequestParameters:
        StateMachineArn: !Ref M
        Input: $request.body
"#,
        );
    }
}
