//! `invalid-stage`: a `StageName` or `StageVariables` entry that API Gateway rejects.

use super::{Check, Finding, Rule, Severity};
use crate::document::EntryRef;
use crate::model::resources_in_entry;

pub const RULE: Rule = Rule {
    code: "invalid-stage",
    severity: Severity::Error,
    summary: "A stage name or stage variable that breaks API Gateway's naming rules.",
    explanation: "`StageName` is `$default` or 1-128 characters of letters, digits, `-` and `_`. Stage variable names are letters, digits and `_` (at most 64); values are 1-512 characters of `A-Za-z0-9-._~:/?#&=,`. [doc, model]",
    example: "Resources:\n  Prod:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      ApiId: !Ref Api\n      StageName: prod stage\n      StageVariables:\n        queue-url: https://sqs.us-east-1.amazonaws.com/123456789012/orders",
    terraform_example: "",
    fix: "Rename the stage or variable with allowed characters; keep values free of spaces and other characters outside the allowed set.",
    check: Check::Entry(check),
};

fn name_ok(name: &str) -> bool {
    name == "$default"
        || (!name.is_empty()
            && name.len() <= 128
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

fn value_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#&=,".contains(c)
}

pub fn check(entry: EntryRef<'_>, out: &mut Vec<Finding>) {
    for resource in resources_in_entry(entry) {
        let props = resource.value.get("Properties");
        let variables = match resource.type_name() {
            Some("AWS::ApiGatewayV2::Stage") => {
                if let Some(name) = props.and_then(|p| p.get("StageName"))
                    && let Some(text) = name.text()
                    && !name_ok(text)
                {
                    out.push(Finding::new(
                        &RULE,
                        name.text_span(),
                        format!("`{text}` is not a valid stage name: use `$default` or up to 128 letters, digits, `-` and `_`."),
                    ));
                }
                props.and_then(|p| p.get("StageVariables"))
            }
            Some("AWS::Serverless::HttpApi") => props.and_then(|p| p.get("StageVariables")),
            _ => None,
        };
        for pair in variables.into_iter().flat_map(|v| v.pairs()) {
            let name = pair.key();
            if name.is_empty()
                || name.len() > 64
                || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                out.push(Finding::new(
                    &RULE,
                    pair.key_span(),
                    format!("`{name}` is not a valid stage variable name: use up to 64 letters, digits and `_`."),
                ));
            }
            let Some(value) = pair.value() else { continue };
            let Some(text) = value.text() else { continue };
            if let Some(bad) = text.chars().find(|c| !value_char(*c)) {
                out.push(Finding::new(
                    &RULE,
                    value.text_span(),
                    format!("Stage variable values may only use `A-Za-z0-9-._~:/?#&=,`; `{bad}` is not allowed."),
                ));
            } else if text.is_empty() || text.chars().count() > 512 {
                out.push(Finding::new(
                    &RULE,
                    value.text_span(),
                    "Stage variable values are 1 to 512 characters long.",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_bad_names_and_values() {
        check_rule(
            "invalid-stage",
            r#"
Resources:
  Stage:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: prod stage
#                ^^^^^^^^^^ not a valid stage name
      StageVariables:
        queue-url: https://sqs.us-east-1.amazonaws.com/123456789012/orders
#       ^^^^^^^^^ not a valid stage variable name
        bus: "my bus"
#             ^^^^^^ ` ` is not allowed
        table: !Ref Table
  Default:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: $default
      StageVariables:
        queueUrl: https://sqs.us-east-1.amazonaws.com/123456789012/orders
  Dynamic:
    Type: AWS::ApiGatewayV2::Stage
    Properties:
      ApiId: !Ref Api
      StageName: !Ref StageParam
"#,
        );
        check_rule(
            "invalid-stage",
            r#"
{"Resources": {"Api": {"Type": "AWS::Serverless::HttpApi", "Properties": {"StageVariables": {"a.b": "x"}}}}}
#                                                                                             ^^^ not a valid stage variable name
"#,
        );
    }
}
