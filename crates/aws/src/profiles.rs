//! Route 53 Profiles (route53profiles, restJson1, paginated): the Profiles, the VPCs each is
//! associated with, and the resources each carries (Resolver rules, DNS Firewall rule groups,
//! private hosted zones).

use aws_sdk_route53profiles::Client;
use aws_sdk_route53profiles::types as rp;
use chrono::Utc;

use super::{all_items, api_error, fetch_all, opt, state_str};
use crate::model::*;

fn profile(p: &rp::ProfileSummary) -> Profile {
    Profile {
        id: p.id().unwrap_or_default().to_string(),
        name: p.name().unwrap_or_default().to_string(),
        state: String::new(),
        arn: opt(p.arn()),
        share_status: p.share_status().map(|s| s.as_str().to_string()),
    }
}

fn association(a: &rp::ProfileAssociation) -> ProfileAssociation {
    ProfileAssociation {
        id: a.id().unwrap_or_default().to_string(),
        name: a.name().unwrap_or_default().to_string(),
        state: state_str(a.status()),
        profile_id: a.profile_id().unwrap_or_default().to_string(),
        vpc_id: a.resource_id().unwrap_or_default().to_string(),
        owner_id: opt(a.owner_id()),
        status_message: opt(a.status_message()),
    }
}

fn resource(r: &rp::ProfileResourceAssociation) -> ProfileResource {
    let arn = r.resource_arn().unwrap_or_default();
    ProfileResource {
        id: r.id().unwrap_or_default().to_string(),
        name: r.name().unwrap_or_default().to_string(),
        state: state_str(r.status()),
        profile_id: r.profile_id().unwrap_or_default().to_string(),
        resource_arn: arn.to_string(),
        resource_type: r.resource_type().unwrap_or_default().to_string(),
        resource_id: arn.rsplit('/').next().unwrap_or_default().to_string(),
        properties: opt(r.resource_properties()),
    }
}

/// The Profiles, then the resources of each (a bounded number at once); the VPC associations
/// alongside.
pub async fn read(client: &Client, region: &str) -> Vec<Update> {
    let now = Utc::now;
    let (profiles, associations) =
        futures_util::join!(async { all_items!(client.list_profiles()) }, async {
            fetch_all!(
                region,
                client.list_profile_associations(),
                "ListProfileAssociations",
                association,
                ProfileAssociations
            )
        });
    let profiles: Vec<Profile> = match profiles {
        Ok(p) => p.iter().map(profile).collect(),
        Err(e) => {
            let e = api_error("ListProfiles", &e);
            return vec![
                Update::err(region, ResourceKind::Profiles, now(), e.clone()),
                associations,
                Update::err(region, ResourceKind::ProfileResources, now(), e),
            ];
        }
    };
    let resources = super::fan_out(&profiles, |p| {
        let id = p.id.clone();
        async move {
            all_items!(client.list_profile_resource_associations().profile_id(&id))
                .map(|v| v.iter().map(resource).collect::<Vec<_>>())
        }
    })
    .await;
    let resources = match resources {
        Ok(r) => Update::ok(region, now(), Batch::ProfileResources(r)),
        Err(e) => Update::err(
            region,
            ResourceKind::ProfileResources,
            now(),
            api_error("ListProfileResourceAssociations", &e),
        ),
    };
    vec![
        Update::ok(region, now(), Batch::Profiles(profiles)),
        associations,
        resources,
    ]
}
