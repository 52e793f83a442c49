//! `default-path-without-slash`: an OpenAPI path `$default` instead of `/$default`.

use super::{Check, Finding, Fix, Rule, Severity};
use crate::document::EntryRef;
use crate::model::{Item, items};

pub const RULE: Rule = Rule {
    code: "default-path-without-slash",
    severity: Severity::Warning,
    summary: "The `$default` route is written as the path `$default` without the leading slash.",
    explanation: "API Gateway warns on import (\"Resource $default should start with /\"), and the warning is fatal with `FailOnWarnings`. The default route is the path `/$default` with `x-amazon-apigateway-any-method`. [doc]",
    example: "openapi: 3.0.1\npaths:\n  $default:\n    x-amazon-apigateway-any-method:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        integrationSubtype: SQS-PurgeQueue\n        requestParameters: {QueueUrl: q}",
    terraform_example: "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n  body = jsonencode({\n    openapi = \"3.0.1\"\n    paths = {\n      \"$default\" = {\n        x-amazon-apigateway-any-method = {\n          x-amazon-apigateway-integration = {\n            type               = \"aws_proxy\"\n            integrationSubtype = \"SQS-PurgeQueue\"\n            requestParameters  = { QueueUrl = \"q\" }\n          }\n        }\n      }\n    }\n  })\n}",
    fix: "Write the path as `/$default`.",
    check: Check::Entry(check),
};

fn finding(span: std::ops::Range<usize>) -> Finding {
    Finding::new(
        &RULE,
        span,
        "Paths start with `/`: write the default route as `/$default`.",
    )
    .with_fix(Fix::Replace {
        title: "Change to `/$default`".to_string(),
        text: "/$default".to_string(),
        range: None,
    })
}

pub fn check(entry: EntryRef<'_>, out: &mut Vec<Finding>) {
    for item in items(entry) {
        if let Item::Path {
            path: "$default",
            span,
            ..
        } = item
        {
            out.push(finding(span));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_default_without_slash() {
        check_rule(
            "default-path-without-slash",
            r#"
openapi: "3.0.1"
paths:
  $default:
# ^^^^^^^^ `/$default`
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration: {integrationSubtype: SQS-PurgeQueue}
  /$default:
    x-amazon-apigateway-any-method:
      isDefaultRoute: true
"#,
        );
    }
}
