//! `swagger-not-supported`: a Swagger 2.0 document used for an HTTP API.

use super::{Check, Finding, Rule, Severity};
use crate::document::EntryRef;
use crate::model::openapi_bodies;

pub const RULE: Rule = Rule {
    code: "swagger-not-supported",
    severity: Severity::Error,
    summary: "A `swagger: \"2.0\"` document cannot be imported into an HTTP API.",
    explanation: "HTTP API import accepts OpenAPI 3.0 only; a Swagger 2.0 definition is an import error (and SAM does not treat it as OpenAPI). [doc]",
    example: "swagger: \"2.0\"\npaths:\n  /x:\n    post:\n      x-amazon-apigateway-integration: {integrationSubtype: SQS-SendMessage}",
    terraform_example: "resource \"aws_apigatewayv2_api\" \"orders\" {\n  name          = \"orders\"\n  protocol_type = \"HTTP\"\n  body = jsonencode({\n    swagger = \"2.0\"\n    paths = {\n      \"/x\" = {\n        post = {\n          x-amazon-apigateway-integration = { integrationSubtype = \"SQS-SendMessage\" }\n        }\n      }\n    }\n  })\n}",
    fix: "Convert the document to OpenAPI 3.0 (`openapi: \"3.0.1\"`).",
    check: Check::Entry(check),
};

pub fn check(entry: EntryRef<'_>, out: &mut Vec<Finding>) {
    let message = "Swagger 2.0 cannot be imported into an HTTP API; convert the definition to OpenAPI 3.0 (`openapi: \"3.0.1\"`).";
    if entry.section.is_none() && entry.key() == Some("swagger") {
        out.push(Finding::new(&RULE, entry.key_span(), message));
        return;
    }
    for body in openapi_bodies(entry) {
        if let Some(pair) = body.pair("swagger") {
            out.push(Finding::new(&RULE, pair.key_span(), message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_swagger_documents_and_bodies() {
        check_rule(
            "swagger-not-supported",
            r#"
swagger: "2.0"
#^^^^^^ convert the definition to OpenAPI 3.0
paths:
  /x:
    post:
      x-amazon-apigateway-integration: {integrationSubtype: SQS-PurgeQueue}
"#,
        );
        check_rule(
            "swagger-not-supported",
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        swagger: "2.0"
#       ^^^^^^^ OpenAPI 3.0
        paths: {}
"#,
        );
    }

    #[test]
    fn silent_on_openapi_3() {
        check_rule(
            "swagger-not-supported",
            r#"
openapi: "3.0.1"
paths:
  /x:
    post:
      x-amazon-apigateway-integration: {integrationSubtype: SQS-PurgeQueue}
"#,
        );
    }
}
