//! Resources written for the AWS provider of Terraform: `resource "aws_sqs_queue"
//! "orders" { ... }` blocks, read into the same model as CloudFormation resources.
//!
//! A block is an entry of section `resource` whose key is its address
//! (`aws_sqs_queue.orders`, see [`crate::document`]); its body is a value tree like
//! any other (`syntax/hcl.rs`): references to other resources are `Fn::GetAtt` (or
//! `Ref`) intrinsics naming the address, templates with interpolations `Fn::Sub`,
//! and everything else that is not a literal an opaque `Terraform` intrinsic.

use std::ops::Range;

use super::Dialect;
use crate::syntax::NodeRef;
use crate::syntax::hcl::JSONENCODE;

/// The section of a Terraform `resource` block.
pub const RESOURCE: &str = "resource";
/// The section of a Terraform `data` block (a data source).
pub const DATA: &str = "data";

/// The Terraform types the model reads.
pub const INTEGRATION: &str = "aws_apigatewayv2_integration";
pub const ROUTE: &str = "aws_apigatewayv2_route";
pub const STAGE: &str = "aws_apigatewayv2_stage";
pub const API: &str = "aws_apigatewayv2_api";
pub const QUEUE: &str = "aws_sqs_queue";
pub const STATE_MACHINE: &str = "aws_sfn_state_machine";
/// Resource-based policies: they may grant an integration role access to the target.
pub const QUEUE_POLICY: &str = "aws_sqs_queue_policy";
pub const EVENT_BUS_POLICY: &str = "aws_cloudwatch_event_bus_policy";
pub const KINESIS_RESOURCE_POLICY: &str = "aws_kinesis_resource_policy";
pub const TOPIC_POLICY: &str = "aws_sns_topic_policy";
pub const ROLE: &str = "aws_iam_role";
pub const ROLE_POLICY: &str = "aws_iam_role_policy";
pub const POLICY: &str = "aws_iam_policy";
pub const ROLE_POLICY_ATTACHMENT: &str = "aws_iam_role_policy_attachment";
pub const POLICY_ATTACHMENT: &str = "aws_iam_policy_attachment";
pub const ROLE_POLICIES_EXCLUSIVE: &str = "aws_iam_role_policies_exclusive";
pub const ROLE_POLICY_ATTACHMENTS_EXCLUSIVE: &str = "aws_iam_role_policy_attachments_exclusive";
/// A data source: `data "aws_iam_policy_document" "x"`.
pub const POLICY_DOCUMENT: &str = "aws_iam_policy_document";

/// A resource of a provider (or a data source): its type, its name (the address) and
/// its arguments. Terraform's, or a Pulumi YAML program's (`Dialect::Pulumi`, see
/// [`super::pulumi`]): Pulumi's `aws` package is the same provider.
#[derive(Debug, Clone)]
pub struct ProviderResource<'a> {
    pub dialect: Dialect,
    /// As the dialect writes it: `aws_apigatewayv2_integration`,
    /// `aws:apigatewayv2:Integration`.
    pub type_name: &'a str,
    /// The provider's type in Terraform's spelling, which facts match on
    /// (`aws_apigatewayv2_integration`); empty for a Pulumi type the model does not
    /// know.
    pub provider_type: &'a str,
    /// `aws_apigatewayv2_integration.send`: what references name (after `data.` for a
    /// data source, see [`ProviderResource::address`]); a Pulumi resource's name.
    pub name: &'a str,
    /// Whether it is a `data` block.
    pub data: bool,
    /// Where the name is written (the block's last label).
    pub name_span: Range<usize>,
    /// The block's body; a Pulumi resource's `properties`.
    pub args: Option<NodeRef<'a>>,
}

impl<'a> ProviderResource<'a> {
    /// The `resource` or `data` block an entry holds.
    pub fn of_block(
        section: Option<&str>,
        address: &'a str,
        name_span: Range<usize>,
        body: Option<NodeRef<'a>>,
    ) -> Option<ProviderResource<'a>> {
        let data = match section {
            Some(RESOURCE) => false,
            Some(DATA) => true,
            _ => return None,
        };
        let (type_name, _) = address.split_once('.')?;
        Some(ProviderResource {
            dialect: Dialect::Terraform,
            type_name,
            provider_type: type_name,
            name: address,
            data,
            name_span,
            args: body.filter(|b| b.is_map()),
        })
    }

    /// What references name it: `aws_sqs_queue.orders`, `data.aws_iam_policy_document.x`.
    pub fn address(&self) -> String {
        if self.data {
            format!("{DATA}.{}", self.name)
        } else {
            self.name.to_string()
        }
    }

    /// The argument `name` (snake_case, as Terraform writes it; in Pulumi the property
    /// it is, `fifoQueue`).
    pub fn arg(&self, name: &str) -> Option<NodeRef<'a>> {
        match self.dialect {
            Dialect::Pulumi => self.args?.get(&super::pulumi::property(name)),
            _ => self.args?.get(name),
        }
    }

    /// The literal text of the argument `name`.
    pub fn text(&self, name: &str) -> Option<&'a str> {
        self.arg(name)?.text()
    }

    /// The OpenAPI document of an `aws_apigatewayv2_api` written inline as
    /// `body = jsonencode({...})`: the object inside, read as any OpenAPI document
    /// (its quoted keys are ordinary keys). A body from `templatefile(...)`,
    /// `file(...)` or a data source is opaque: nothing to read here.
    pub fn openapi_body(&self) -> Option<NodeRef<'a>> {
        if self.provider_type != API {
            return None;
        }
        let body = self.arg("body")?;
        body.intrinsic().filter(|i| i.name == JSONENCODE)?;
        body.intrinsic_argument().filter(|b| b.is_map())
    }
}

/// What `jsondecode` gives back of a value: the argument of `jsonencode(x)`, else the
/// value itself.
pub fn decoded(value: NodeRef<'_>) -> NodeRef<'_> {
    match value.intrinsic() {
        Some(i) if i.name == JSONENCODE => value.intrinsic_argument().unwrap_or(value),
        _ => value,
    }
}

/// The resource type of a Terraform address (`aws_sqs_queue` of `aws_sqs_queue.orders`
/// or `data.aws_iam_policy_document.x`): `None` for a name that is no address (a
/// module's, a logical ID).
pub fn address_type(address: &str) -> Option<&str> {
    let (kind, _) = address
        .strip_prefix("data.")
        .unwrap_or(address)
        .split_once('.')?;
    kind.contains('_').then_some(kind)
}

/// The address (`aws_sqs_queue.orders`) and attribute (`url`) a Terraform reference
/// names, split from `aws_sqs_queue.orders.url`: managed resource types contain `_`,
/// which CloudFormation logical IDs never do, so a name is read as an address only
/// when its first part has one.
pub fn split_address(reference: &str) -> Option<(&str, Option<&str>)> {
    // A data source: `data.aws_iam_role.api.arn`.
    if let Some(rest) = reference.strip_prefix("data.") {
        let (name, attribute) = split_address(rest)?;
        return Some((&reference[..5 + name.len()], attribute));
    }
    let (kind, rest) = reference.split_once('.')?;
    if !kind.contains('_') {
        return None;
    }
    // The name ends at `.` or at an instance index (`this[each.key]`, `this[0]`), which
    // names the same resource.
    let name_len = rest.find(['.', '[']).unwrap_or(rest.len());
    let address = &reference[..kind.len() + 1 + name_len];
    let mut after = &rest[name_len..];
    if after.starts_with('[') {
        let close = after.find(']')?;
        after = &after[close + 1..];
    }
    match after.strip_prefix('.') {
        Some(attribute) if !attribute.is_empty() => Some((address, Some(attribute))),
        _ => Some((address, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::split_address;

    #[test]
    fn addresses_split_from_their_attribute() {
        assert_eq!(
            split_address("aws_sqs_queue.orders.url"),
            Some(("aws_sqs_queue.orders", Some("url")))
        );
        assert_eq!(
            split_address("aws_sqs_queue.orders"),
            Some(("aws_sqs_queue.orders", None))
        );
        assert_eq!(split_address("aws_x.y.a.b"), Some(("aws_x.y", Some("a.b"))));
        assert_eq!(
            split_address("data.aws_iam_role.api.arn"),
            Some(("data.aws_iam_role.api", Some("arn")))
        );
        // An instance of a resource with `for_each` or `count` is the resource.
        assert_eq!(
            split_address("aws_apigatewayv2_integration.this[each.key].id"),
            Some(("aws_apigatewayv2_integration.this", Some("id")))
        );
        assert_eq!(
            split_address("aws_sqs_queue.q[0]"),
            Some(("aws_sqs_queue.q", None))
        );
        assert_eq!(split_address("aws_sqs_queue.q[0"), None);
        assert_eq!(split_address("Queue.Arn"), None);
        assert_eq!(split_address("AWS::Region"), None);
    }
}
