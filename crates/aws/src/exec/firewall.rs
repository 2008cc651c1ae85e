//! DNS Firewall calls (Route 53 Resolver API).

use aws_sdk_route53resolver::types as r53;
use crossconnect_core::calls::{FirewallCall, Outcome};

use super::done;
use crate::RegionClients;

pub(super) async fn send(c: &RegionClients, op: &str, call: &FirewallCall) -> Outcome {
    match call {
        FirewallCall::UpdateFirewallRule {
            rule_group_id,
            domain_list_id,
            action,
            priority,
            redirection,
            block_response,
        } => {
            let redirection = r53::FirewallDomainRedirectionAction::from(redirection.as_str());
            let r = c
                .resolver
                .update_firewall_rule()
                .firewall_rule_group_id(rule_group_id)
                .firewall_domain_list_id(domain_list_id)
                .action(r53::Action::from(action.as_str()))
                .priority(*priority)
                .firewall_domain_redirection_action(redirection)
                .set_block_response(block_response.as_deref().map(r53::BlockResponse::from))
                .send()
                .await;
            done(op, r, |_| {
                format!("rule {priority} of {rule_group_id} updated")
            })
        }
        FirewallCall::UpdateFirewallConfig { vpc_id, fail_open } => {
            let r = c
                .resolver
                .update_firewall_config()
                .resource_id(vpc_id)
                .firewall_fail_open(r53::FirewallFailOpenStatus::from(fail_open.as_str()))
                .send()
                .await;
            done(op, r, |_| {
                format!("fail-open of {vpc_id} set to {fail_open}")
            })
        }
    }
}
