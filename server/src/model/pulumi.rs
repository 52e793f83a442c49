//! Pulumi YAML programs: `Pulumi.yaml` with `runtime: yaml` and its `resources`
//! (`name: {type: aws:sqs:Queue, properties: {...}}`), read into the same model as
//! Terraform's resources.
//!
//! Pulumi's `aws` package is bridged from the Terraform AWS provider: a resource type
//! is a provider type (`aws:apigatewayv2:Integration` is `aws_apigatewayv2_integration`)
//! and its properties are the provider's arguments in camelCase (`integration_subtype`
//! is `integrationSubtype`; a repeated block is a list named in the plural,
//! `inline_policy` is `inlinePolicies`). So a Pulumi resource is a
//! [`ProviderResource`] of [`Dialect::Pulumi`]: its type written as Pulumi writes it,
//! the provider type it is bridged from, its `properties` as its arguments; the facts
//! and rules that read Terraform's arguments read Pulumi's through
//! [`ProviderResource::arg`], which spells them. Values were read in the syntax layer
//! (`syntax/pulumi.rs`): `${queue.url}` is `Fn::GetAtt` of `[queue, url]`.

use std::borrow::Cow;
use std::ops::Range;

use super::Dialect;
use super::provider::{self, ProviderResource};
use crate::syntax::NodeRef;

/// The section of a Pulumi YAML program that declares its resources.
pub const RESOURCES: &str = "resources";

/// The Pulumi types the model knows, with the AWS provider type each is bridged from:
/// those the facts read, and those `catalog.json`'s `resourceTypes` has rows for.
pub const TYPES: &[(&str, &str)] = &[
    ("aws:apigatewayv2:Integration", provider::INTEGRATION),
    ("aws:apigatewayv2:Route", provider::ROUTE),
    ("aws:apigatewayv2:Stage", provider::STAGE),
    ("aws:apigatewayv2:Api", provider::API),
    ("aws:sqs:Queue", provider::QUEUE),
    ("aws:sqs:QueuePolicy", provider::QUEUE_POLICY),
    ("aws:sfn:StateMachine", provider::STATE_MACHINE),
    ("aws:cloudwatch:EventBusPolicy", provider::EVENT_BUS_POLICY),
    (
        "aws:kinesis:ResourcePolicy",
        provider::KINESIS_RESOURCE_POLICY,
    ),
    ("aws:sns:TopicPolicy", provider::TOPIC_POLICY),
    ("aws:iam:Role", provider::ROLE),
    ("aws:iam:RolePolicy", provider::ROLE_POLICY),
    ("aws:iam:Policy", provider::POLICY),
    (
        "aws:iam:RolePolicyAttachment",
        provider::ROLE_POLICY_ATTACHMENT,
    ),
    ("aws:iam:PolicyAttachment", provider::POLICY_ATTACHMENT),
    (
        "aws:iam:RolePoliciesExclusive",
        provider::ROLE_POLICIES_EXCLUSIVE,
    ),
    (
        "aws:iam:RolePolicyAttachmentsExclusive",
        provider::ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
    ),
    ("aws:kinesis:Stream", "aws_kinesis_stream"),
    ("aws:cloudwatch:EventBus", "aws_cloudwatch_event_bus"),
    ("aws:appconfig:Application", "aws_appconfig_application"),
    ("aws:appconfig:Environment", "aws_appconfig_environment"),
    (
        "aws:appconfig:ConfigurationProfile",
        "aws_appconfig_configuration_profile",
    ),
    ("aws:lambda:Function", "aws_lambda_function"),
    ("aws:sns:Topic", "aws_sns_topic"),
    ("aws:s3:Bucket", "aws_s3_bucket"),
    ("aws:s3:BucketV2", "aws_s3_bucket"),
    ("aws:dynamodb:Table", "aws_dynamodb_table"),
];

/// The type a token names, in its short form, with the provider type: `aws:sqs:Queue`
/// and its long form `aws:sqs/queue:Queue` are both `("aws:sqs:Queue",
/// "aws_sqs_queue")`. `None` for a type the model does not know.
pub fn known_type(token: &str) -> Option<(&'static str, &'static str)> {
    let mut parts = token.split(':');
    let (package, module, member) = (parts.next()?, parts.next()?, parts.next()?);
    let module = module.split_once('/').map_or(module, |(m, _)| m);
    TYPES.iter().copied().find(|(known, _)| {
        let mut k = known.split(':');
        k.next() == Some(package) && k.next() == Some(module) && k.next() == Some(member)
    })
}

/// The property a provider argument is in Pulumi: camelCase (`fifo_queue` is
/// `fifoQueue`), a repeated block in the plural (`inline_policy` is
/// `inlinePolicies`).
pub fn property(argument: &str) -> Cow<'static, str> {
    match argument {
        "inline_policy" => Cow::Borrowed("inlinePolicies"),
        _ => Cow::Owned(camel(argument)),
    }
}

/// `snake_case` in camelCase.
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a value is a resource of a Pulumi YAML program (a mapping with a `type`
/// token).
pub fn is_resource(value: NodeRef<'_>) -> bool {
    crate::syntax::pulumi::is_resource(value.node)
}

/// Whether an entry holds resources of a Pulumi YAML program: one (a member of a split
/// `resources`), or a `resources` mapping parsed whole with one in it.
pub fn in_entry(entry: crate::document::EntryRef<'_>) -> bool {
    let Some(value) = entry.value() else {
        return false;
    };
    is_resource(value)
        || (entry.section.is_none()
            && entry.key() == Some(RESOURCES)
            && value.pairs().any(|p| p.value().is_some_and(is_resource)))
}

/// Whether a `runtime` value names Pulumi YAML: `yaml`, or `{name: yaml}`.
pub fn is_yaml_runtime(value: Option<NodeRef<'_>>) -> bool {
    let Some(value) = value else { return false };
    value.text().or_else(|| value.get("name")?.text()) == Some("yaml")
}

impl<'a> ProviderResource<'a> {
    /// A resource of a Pulumi YAML program: `name` and where it is written, and its
    /// definition (`type`, `properties`, `options`). `None` when it is not one.
    pub fn of_pulumi(
        name: &'a str,
        name_span: Range<usize>,
        value: NodeRef<'a>,
    ) -> Option<ProviderResource<'a>> {
        if !is_resource(value) {
            return None;
        }
        let token = value.get("type")?.text()?;
        let (type_name, provider_type) = match known_type(token) {
            Some((short, provider)) => (short, provider),
            None => (token, ""),
        };
        Some(ProviderResource {
            dialect: Dialect::Pulumi,
            type_name,
            provider_type,
            name,
            // `get: {id: ...}` reads an existing resource, whose settings (a role's
            // policies, a queue's type) are not in the program: like a data source.
            data: value.get("get").is_some(),
            name_span,
            args: value.get("properties").filter(|p| p.is_map()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_spelt_in_camel_case() {
        assert_eq!(property("integration_subtype"), "integrationSubtype");
        assert_eq!(property("fifo_queue"), "fifoQueue");
        assert_eq!(property("type"), "type");
        assert_eq!(property("inline_policy"), "inlinePolicies");
        assert_eq!(property("assume_role_policy"), "assumeRolePolicy");
    }

    #[test]
    fn tokens_short_and_long() {
        assert_eq!(
            known_type("aws:apigatewayv2/integration:Integration"),
            Some(("aws:apigatewayv2:Integration", provider::INTEGRATION))
        );
        assert_eq!(
            known_type("aws:sqs:Queue"),
            Some(("aws:sqs:Queue", provider::QUEUE))
        );
        assert_eq!(known_type("aws:sqs:Queues"), None);
        assert_eq!(known_type("aws-apigateway:RestAPI"), None);
    }

    /// Every known type has a row in the catalog's `resourceTypes` or is one the facts
    /// read, and every Pulumi row of the catalog is a known type.
    #[test]
    fn known_types_and_catalog_rows_agree() {
        let types = &crate::catalog::catalog().resource_types;
        for (token, provider_type) in TYPES {
            assert!(
                types.contains_key(*token) || !types.contains_key(*provider_type),
                "{token}: the catalog has {provider_type} but no Pulumi row"
            );
        }
        for token in types.keys().filter(|t| t.starts_with("aws:")) {
            assert!(
                TYPES.iter().any(|(t, _)| t == token),
                "{token} is not in TYPES"
            );
        }
    }
}
