//! `openapi-with-route-resources`: an API defined by an OpenAPI body that also gets
//! separate `AWS::ApiGatewayV2::Route`/`Integration` resources.

use std::ops::Range;

use super::{Finding, RuleInfo, Severity};
use crate::document::EntryRef;
use crate::model::resources_in_entry;
use crate::model::template::ref_name;

pub const RULE: RuleInfo = RuleInfo {
    code: "openapi-with-route-resources",
    severity: Severity::Warning,
    summary: "Route or Integration resources attached to an API that is defined by an OpenAPI body.",
    explanation: "\"API Gateway doesn't support the combination of OpenAPI and CloudFormation resources\": it works on create, but routes and integrations may vanish on a later stack update. A SAM `AWS::Serverless::HttpApi` always has an OpenAPI body. [doc; aws/serverless-application-model#1971]",
    example: "MyApi:\n  Type: AWS::Serverless::HttpApi\nMyRoute:\n  Type: AWS::ApiGatewayV2::Route\n  Properties: {ApiId: !Ref MyApi, RouteKey: POST /x}",
    fix: "Define the route and its integration in the API's OpenAPI body, or use an `AWS::ApiGatewayV2::Api` without a body.",
};

/// What one entry contributes: APIs defined by a body, and route/integration
/// resources with the API they attach to. Spans are relative to the entry's base.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub apis_with_body: Vec<String>,
    pub attached: Vec<(String, Range<usize>, String, &'static str)>,
}

pub fn facts(entry: EntryRef<'_>) -> Facts {
    let mut facts = Facts::default();
    for resource in resources_in_entry(entry) {
        let props = resource.value.get("Properties");
        match resource.type_name() {
            Some("AWS::Serverless::HttpApi") => {
                facts.apis_with_body.push(resource.name.to_string())
            }
            Some("AWS::ApiGatewayV2::Api")
                if props.is_some_and(|p| {
                    p.get("Body").is_some() || p.get("BodyS3Location").is_some()
                }) =>
            {
                facts.apis_with_body.push(resource.name.to_string());
            }
            Some(kind @ ("AWS::ApiGatewayV2::Route" | "AWS::ApiGatewayV2::Integration")) => {
                if let Some(api) = props.and_then(|p| p.get("ApiId")).and_then(ref_name) {
                    let span =
                        resource.name_span.start - entry.base..resource.name_span.end - entry.base;
                    let kind = if kind.ends_with("Route") {
                        "Route"
                    } else {
                        "Integration"
                    };
                    facts
                        .attached
                        .push((resource.name.to_string(), span, api, kind));
                }
            }
            _ => {}
        }
    }
    facts
}

/// Checks all entries' facts together; `facts` yields each entry's facts and base.
pub fn check<'f>(facts: impl Iterator<Item = (&'f Facts, usize)> + Clone, out: &mut Vec<Finding>) {
    let bodies: Vec<&str> = facts
        .clone()
        .flat_map(|(f, _)| f.apis_with_body.iter().map(String::as_str))
        .collect();
    if bodies.is_empty() {
        return;
    }
    for (f, base) in facts {
        for (name, span, api, kind) in &f.attached {
            if bodies.contains(&api.as_str()) {
                out.push(Finding::new(
                    &RULE,
                    base + span.start..base + span.end,
                    format!("`{name}` adds {} {kind} to `{api}`, which is defined by an OpenAPI body; API Gateway does not support mixing them and the {} may vanish on a later stack update. Define it in the body instead.", if *kind == "Route" { "a" } else { "an" }, kind.to_lowercase()),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::check_rule;

    #[test]
    fn fires_on_routes_attached_to_a_sam_http_api() {
        check_rule(
            "openapi-with-route-resources",
            r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  MyHttpApi:
    Type: AWS::Serverless::HttpApi
  MyRoute:
# ^^^^^^^ adds a Route to `MyHttpApi`
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref MyHttpApi
      RouteKey: POST /x
  Other:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: x, ProtocolType: HTTP}
  OtherRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Other
      RouteKey: POST /y
"#,
        );
    }
}
