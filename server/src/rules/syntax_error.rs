//! `syntax-error`: text the parser could not read. Everything else still gets analysed.

use super::{Check, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "syntax-error",
    severity: Severity::Error,
    summary: "The YAML or JSON here does not parse.",
    explanation: "CloudFormation rejects a template that does not parse. The rest of the file is still checked: each top-level section and each resource is parsed on its own.",
    example: "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n    Type: [AWS::SQS::Queue",
    terraform_example: "resource \"aws_sqs_queue\" \"orders\" {\n  name = \"orders\"\n",
    fix: "Close the bracket, quote or mapping the parser stopped at.",
    check: Check::Parser,
};
