//! `definition-uri-intrinsics`: a file SAM uploads through `DefinitionUri` uses
//! intrinsic functions, which SAM leaves as they are. Made where files are linked
//! (`workspace::link_findings`).

use super::{Check, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "definition-uri-intrinsics",
    severity: Severity::Warning,
    summary: "An OpenAPI file reached through SAM `DefinitionUri` uses intrinsic functions (`Fn::GetAtt`, `Ref`, `Fn::Sub`).",
    explanation: "SAM uploads a `DefinitionUri` file as it is: intrinsic functions in it are not resolved, so `credentials: {Fn::GetAtt: [Role, Arn]}` reaches API Gateway as a mapping and the import fails or the integration gets no role. The SAM documentation says to include such a file with the `AWS::Include` transform in `DefinitionBody`, which CloudFormation processes with the template. Check the SAM documentation of `DefinitionUri` for your SAM version. [doc: AWS::Serverless::HttpApi DefinitionUri; AWS::Include transform]",
    example: "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      DefinitionUri: api.yaml",
    terraform_example: "",
    fix: "Use `DefinitionBody: {Fn::Transform: {Name: AWS::Include, Parameters: {Location: api.yaml}}}` instead of `DefinitionUri`, or write the values without intrinsic functions.",
    check: Check::Workspace,
};
