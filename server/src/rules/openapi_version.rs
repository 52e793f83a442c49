//! `openapi-version`: an OpenAPI version API Gateway does not document for import.

use super::{Check, Finding, Rule, Severity};
use crate::document::EntryRef;
use crate::model::openapi_bodies;
use crate::syntax::NodeRef;

pub const RULE: Rule = Rule {
    code: "openapi-version",
    severity: Severity::Warning,
    summary: "The OpenAPI version is not 3.0.x.",
    explanation: "API Gateway documents import of OpenAPI 3.0 only; SAM also passes 3.1 documents through, but HTTP API import of 3.1 features is not documented. [doc: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html]",
    example: "openapi: 3.1.0\npaths:\n  /orders:\n    post:\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        integrationSubtype: SQS-PurgeQueue\n        requestParameters: {QueueUrl: q}",
    terraform_example: "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n  body = jsonencode({\n    openapi = \"3.1.0\"\n    paths = {\n      \"/orders\" = {\n        post = {\n          x-amazon-apigateway-integration = {\n            type               = \"aws_proxy\"\n            integrationSubtype = \"SQS-PurgeQueue\"\n            requestParameters  = { QueueUrl = \"q\" }\n          }\n        }\n      }\n    }\n  })\n}",
    fix: "Use `openapi: \"3.0.1\"` unless you have checked that import accepts your document.",
    check: Check::Entry(check),
};

fn check_version(value: NodeRef<'_>, out: &mut Vec<Finding>) {
    let Some(text) = value.text() else { return };
    if text.starts_with("3.0") || text == "3" {
        return;
    }
    out.push(Finding::new(
        &RULE,
        value.text_span(),
        format!("OpenAPI `{text}`: API Gateway documents import of OpenAPI 3.0 only; use `3.0.1` unless you have checked that import accepts this document."),
    ));
}

pub fn check(entry: EntryRef<'_>, out: &mut Vec<Finding>) {
    if entry.section.is_none() && entry.key() == Some("openapi") {
        if let Some(value) = entry.value() {
            check_version(value, out);
        }
        return;
    }
    for body in openapi_bodies(entry) {
        if let Some(value) = body.get("openapi") {
            check_version(value, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn warns_on_3_1() {
        check_rule(
            "openapi-version",
            r#"
openapi: 3.1.0
#        ^^^^^ documents import of OpenAPI 3.0 only
paths:
  /x:
    post:
      x-amazon-apigateway-integration: {integrationSubtype: SQS-PurgeQueue}
"#,
        );
        check_rule(
            "openapi-version",
            r#"
openapi: 3.0
paths:
  /x:
    post:
      x-amazon-apigateway-integration: {integrationSubtype: SQS-PurgeQueue}
"#,
        );
    }
}
