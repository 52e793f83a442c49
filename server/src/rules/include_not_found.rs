//! `include-not-found`: a file an API includes is not there (or not one apigw-lsp may
//! read). Made where files are linked (`workspace::link_findings`).

use super::{Check, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "include-not-found",
    severity: Severity::Error,
    summary: "The file an `AWS::Include` `Location` or a SAM `DefinitionUri` names does not exist.",
    explanation: "`sam build`/`sam package` (or `aws cloudformation package`) upload the file a relative `Location` or `DefinitionUri` names; a path that leads nowhere fails the packaging, and the API has no definition. A path that leads outside the repository (or the editor's workspace) is reported too and never read; so is a template that includes itself. S3 locations are not checked. [doc: AWS::Include transform; AWS::Serverless::HttpApi DefinitionUri]",
    example: "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      DefinitionBody:\n        Fn::Transform:\n          Name: AWS::Include\n          Parameters:\n            Location: no-such-api.yaml",
    terraform_example: "",
    fix: "Correct the path (relative to the template's folder), or add the OpenAPI file.",
    check: Check::Workspace,
};
