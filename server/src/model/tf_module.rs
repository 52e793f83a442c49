//! Inputs of the `terraform-aws-modules/apigateway-v2` module: routes whose
//! integrations the module passes to `aws_apigatewayv2_integration` unchanged, read as
//! integrations where they are written (the `module` block), since the module's own
//! code (`integration_subtype = each.value.subtype`) says nothing.
//!
//! - v5 and later: `routes = { "POST /orders" = { integration = { subtype = ...,
//!   type, credentials_arn, request_parameters, payload_format_version,
//!   timeout_milliseconds, ... } } }`, the module's own spelling
//!   ([`Dialect::TerraformModule`]). `variables.tf` types `integration` as an
//!   `object({...})` (attributes in [`V5_FIELDS`]), `type` defaulting to
//!   `"AWS_PROXY"` and `payload_format_version` to `null` (so the provider's "1.0").
//! - v4 and earlier: `integrations = { "POST /orders" = { integration_subtype = ...,
//!   ... } }`, the resource's argument names ([`Dialect::Terraform`]) mixed with the
//!   route's and its settings' (`variables.tf`: `map(any)`; `main.tf` reads each with
//!   `try(each.value.x, null)`, attributes in [`V4_FIELDS`]). `request_parameters` may
//!   be `jsonencode({...})`: the module `jsondecode`s it. Without `integration_type`
//!   the type is `AWS_PROXY` with a `lambda_arn`, else `MOCK`.
//!
//! A module is read when its `source` contains `apigateway-v2` (the registry address
//! `terraform-aws-modules/apigateway-v2/aws`, or a Git URL of
//! `terraform-aws-apigateway-v2`); the version constraint is not looked at, since the
//! input's name (`routes` or `integrations`) tells the spelling.

use std::ops::Range;

use super::Dialect;
use crate::syntax::NodeRef;

/// The section of a Terraform `module` block.
pub const MODULE: &str = "module";

/// What a `source` contains for the module to be read.
pub const SOURCE_MARK: &str = "apigateway-v2";

/// The attributes of a v5+ route's `integration` object (`variables.tf`, the same from
/// v5.0.0 to v6.1.0). Terraform drops attributes an object type does not declare, so a
/// misspelt one is silently lost.
pub const V5_FIELDS: &[&str] = &[
    "connection_id",
    "connection_type",
    "content_handling_strategy",
    "credentials_arn",
    "description",
    "method",
    "passthrough_behavior",
    "payload_format_version",
    "request_parameters",
    "request_templates",
    "response",
    "response_parameters",
    "subtype",
    "template_selection_expression",
    "timeout_milliseconds",
    "tls_config",
    "type",
    "uri",
    "vpc_link_key",
];

/// The attributes `main.tf` of v1 to v4 reads from an `integrations` entry: the
/// integration's, the route's and the route settings'. Any other is ignored.
pub const V4_FIELDS: &[&str] = &[
    // Integration.
    "connection_id",
    "connection_type",
    "content_handling_strategy",
    "credentials_arn",
    "description",
    "integration_method",
    "integration_subtype",
    "integration_type",
    "integration_uri",
    "lambda_arn",
    "passthrough_behavior",
    "payload_format_version",
    "request_parameters",
    "response_parameters",
    "timeout_milliseconds",
    "tls_config",
    "vpc_link",
    // Route.
    "api_key_required",
    "authorization_scopes",
    "authorization_type",
    "authorizer_id",
    "authorizer_key",
    "create_route",
    "model_selection_expression",
    "operation_name",
    "request_models",
    "route_response_selection_expression",
    // Route settings.
    "data_trace_enabled",
    "detailed_metrics_enabled",
    "logging_level",
    "throttling_burst_limit",
    "throttling_rate_limit",
];

/// The fields of a route's integration that point it somewhere else than the AWS
/// service of a subtype (`subtype-with-uri`), in each spelling.
pub const V5_TARGET_FIELDS: &[&str] = &[
    "uri",
    "connection_id",
    "vpc_link_key",
    "tls_config",
    "connection_type",
];
pub const V4_TARGET_FIELDS: &[&str] = &[
    "integration_uri",
    "lambda_arn",
    "connection_id",
    "vpc_link",
    "tls_config",
    "connection_type",
];

/// The integration of one route of the module.
#[derive(Debug, Clone)]
pub struct ModuleRoute<'a> {
    /// [`Dialect::TerraformModule`] for v5+ `routes`, [`Dialect::Terraform`] for v4
    /// `integrations`.
    pub dialect: Dialect,
    /// The route key as written (`POST /orders/{id}`, `$default`).
    pub route: &'a str,
    pub route_span: Range<usize>,
    /// Where the integration is named: its `integration` key (v5+) or its route key
    /// (v4).
    pub anchor: Range<usize>,
    /// The mapping holding the fields.
    pub fields: NodeRef<'a>,
}

/// The routes of a `module` block of the apigateway-v2 module, in order; nothing for
/// another module, or when `routes`/`integrations` is not written out as a map
/// (`var.routes`, a `merge(...)`).
/// Whether a `module` block's body is the apigateway-v2 module's: its `source` names it.
pub fn is_ours(body: NodeRef<'_>) -> bool {
    body.get("source")
        .and_then(|s| s.text())
        .is_some_and(|s| s.contains(SOURCE_MARK))
}

pub fn routes<'a>(section: Option<&str>, body: Option<NodeRef<'a>>) -> Vec<ModuleRoute<'a>> {
    let mut out = Vec::new();
    if section != Some(MODULE) {
        return out;
    }
    let Some(body) = body.filter(|b| b.is_map()) else {
        return out;
    };
    if !is_ours(body) {
        return out;
    }
    for route in body.get("routes").into_iter().flat_map(|r| r.pairs()) {
        let Some(value) = route.value() else { continue };
        let Some(integration) = value.pair("integration") else {
            continue;
        };
        let Some(fields) = integration.value().filter(|v| v.is_map()) else {
            continue;
        };
        out.push(ModuleRoute {
            dialect: Dialect::TerraformModule,
            route: route.key(),
            route_span: route.key_span(),
            anchor: integration.key_span(),
            fields,
        });
    }
    for route in body.get("integrations").into_iter().flat_map(|r| r.pairs()) {
        let Some(fields) = route.value().filter(|v| v.is_map()) else {
            continue;
        };
        out.push(ModuleRoute {
            dialect: Dialect::Terraform,
            route: route.key(),
            route_span: route.key_span(),
            anchor: route.key_span(),
            fields,
        });
    }
    out
}

/// The route key when it is literal text (not `"${var.method} /x"`).
pub fn literal_route(route: &str) -> Option<&str> {
    (!route.contains("${") && !route.starts_with('(')).then_some(route)
}

#[cfg(test)]
mod tests {
    use crate::document::Document;
    use crate::model::facts::facts;
    use crate::model::{Dialect, Field, Item, Origin, integrations_in_entry, items};
    use crate::syntax::Language;

    fn tf(text: &str) -> Document {
        Document::new(text, Language::Terraform, 0)
    }

    const V5: &str = r#"module "api" {
  source  = "terraform-aws-modules/apigateway-v2/aws"
  version = "~> 5.0"
  routes = {
    "POST /orders/{id}" = {
      authorization_type = "AWS_IAM"
      integration = {
        subtype         = "SQS-SendMessage"
        credentials_arn = aws_iam_role.api.arn
        request_parameters = {
          QueueUrl    = aws_sqs_queue.orders.url
          MessageBody = "$request.path.id"
        }
      }
    }
    "$default" = {
      integration = {
        uri = module.lambda.lambda_function_arn
      }
    }
    "GET /opaque" = local.route
  }
}
"#;

    #[test]
    fn reads_v5_routes_with_their_integration() {
        let doc = tf(V5);
        let found: Vec<_> = doc.entries().flat_map(integrations_in_entry).collect();
        assert_eq!(found.len(), 2);
        let send = &found[0];
        assert_eq!(send.dialect, Dialect::TerraformModule);
        assert_eq!(send.name, "POST /orders/{id}");
        assert_eq!(&V5[send.anchor.clone()], "integration");
        assert_eq!(send.subtype_name(), Some("SQS-SendMessage"));
        assert!(send.field(Field::Credentials).is_some());
        assert_eq!(send.parameter_values().len(), 1);
        // No `type`: the module's default is `AWS_PROXY`.
        assert!(send.type_defaults_to_proxy());
        match &send.origin {
            Origin::Route { route, route_span } => {
                assert_eq!(*route, "POST /orders/{id}");
                assert_eq!(&V5[route_span.clone()], "POST /orders/{id}");
            }
            other => panic!("{other:?}"),
        }
        assert!(!found[1].has_subtype());
        // The route key's variables are the integration's own.
        let entry = doc.entries().next().expect("the module");
        let read = facts(entry, false);
        assert_eq!(read.integrations.len(), 2);
        assert_eq!(
            read.integrations[0].own_path_variables,
            Some(vec!["id".to_string()])
        );
        assert_eq!(read.integrations[1].own_path_variables, Some(Vec::new()));
        assert!(read.transforms.iter().any(|t| t == "terraform"));
    }

    #[test]
    fn reads_v4_integrations_with_a_jsonencoded_parameter_map() {
        let text = r#"module "api" {
  source = "git::https://github.com/terraform-aws-modules/terraform-aws-apigateway-v2.git?ref=v4.0.0"
  integrations = {
    "POST /start" = {
      integration_subtype = "StepFunctions-StartExecution"
      credentials_arn     = module.sfn.role_arn
      request_parameters = jsonencode({
        StateMachineArn = module.sfn.state_machine_arn
        Input           = "$request.body"
      })
      authorization_type = "AWS_IAM"
    }
    "GET /fn" = {
      lambda_arn = module.fn.lambda_function_arn
    }
  }
}
"#;
        let doc = tf(text);
        let found: Vec<_> = doc.entries().flat_map(integrations_in_entry).collect();
        assert_eq!(found.len(), 2);
        let start = &found[0];
        assert_eq!(start.dialect, Dialect::Terraform);
        assert!(start.is_module_v4());
        assert_eq!(&text[start.anchor.clone()], "POST /start");
        let params = start.request_parameters().expect("the decoded map");
        let keys: Vec<&str> = params.pairs().map(|p| p.key()).collect();
        assert_eq!(keys, ["StateMachineArn", "Input"]);
        // Without `integration_type`, v4 makes it `MOCK` unless a `lambda_arn` is given.
        assert!(!start.type_defaults_to_proxy());
        assert!(found[1].type_defaults_to_proxy());
    }

    #[test]
    fn other_modules_and_opaque_inputs_are_not_read() {
        for text in [
            // Another module with the same input names.
            "module \"x\" {\n  source = \"./modules/api\"\n  routes = { \"POST /x\" = { integration = { subtype = \"SQS-SendMesage\" } } }\n}\n",
            // No source: half typed.
            "module \"x\" {\n  routes = { \"POST /x\" = { integration = { subtype = \"SQS-SendMesage\" } } }\n}\n",
            // Routes from elsewhere.
            "module \"x\" {\n  source = \"terraform-aws-modules/apigateway-v2/aws\"\n  routes = var.routes\n  integrations = merge(local.a, local.b)\n}\n",
            // Half typed.
            "module \"x\" {\n  source = \"terraform-aws-modules/apigateway-v2/aws\"\n  routes = {\n    \"POST /x\" = {\n      integration =\n",
            "module {\n  source = \"terraform-aws-modules/apigateway-v2/aws\"\n",
        ] {
            let doc = tf(text);
            let found: usize = doc
                .entries()
                .flat_map(items)
                .filter(|i| matches!(i, Item::ModuleRoute(_)))
                .count();
            assert_eq!(found, 0, "{text}");
        }
    }

    #[test]
    fn an_api_body_in_jsonencode_is_an_openapi_document() {
        let text = r#"resource "aws_apigatewayv2_api" "api" {
  name          = "orders"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    paths = {
      "/orders/{id}" = {
        post = {
          "x-amazon-apigateway-integration" = {
            integrationSubtype = "SQS-SendMessage"
            credentials        = aws_iam_role.api.arn
          }
        }
      }
    }
    components = {
      "x-amazon-apigateway-integrations" = {
        shared = { integrationSubtype = "SQS-PurgeQueue" }
      }
    }
  })
}

resource "aws_apigatewayv2_api" "file" {
  name = "file"
  body = templatefile("api.yaml", {})
}
"#;
        let doc = tf(text);
        let mut entries = doc.entries();
        let api = entries.next().expect("the API");
        let kinds: Vec<String> = items(api)
            .into_iter()
            .map(|i| match i {
                Item::Provider(r) => format!("provider {}", r.name),
                Item::Path { api, path, .. } => format!("path {path} of {api:?}"),
                Item::Components { api, .. } => format!("components of {api:?}"),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "provider aws_apigatewayv2_api.api",
                "path /orders/{id} of Some(\"aws_apigatewayv2_api.api\")",
                "components of Some(\"aws_apigatewayv2_api.api\")",
            ]
        );
        let found = integrations_in_entry(api);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].dialect, Dialect::OpenApi);
        assert_eq!(found[0].subtype_name(), Some("SQS-SendMessage"));
        let read = facts(api, false);
        assert_eq!(
            read.integrations[0].api.as_deref(),
            Some("aws_apigatewayv2_api.api")
        );
        assert_eq!(read.operations.len(), 1);
        assert_eq!(read.operations[0].route, "POST /orders/{id}");
        // A body from a template file: nothing to read.
        let file = entries.next().expect("the other API");
        assert_eq!(items(file).len(), 1);
    }
}
