//! The in-memory model of the hybrid network: one [`RegionEstate`] per region, one
//! [`Section`] per resource kind. No AWS SDK type appears here; `src/aws` converts.
//!
//! Data reaches the model only as [`Update`]s (one resource kind of one region, either a full
//! list or an [`ApiError`]). A failed update keeps the last good items and marks the section
//! errored, so one failing call never blanks another pane.

mod estate;
mod kinds;
mod names;
mod section;

mod service;
pub use service::{ApiError, Service};
pub mod acl;
pub mod cloudwan;
pub mod dx;
pub mod firewall;
pub mod health;
pub mod peering;
pub mod resolver;
pub mod secret;
pub mod snapshot;
pub mod state;
pub mod telemetry;
pub mod tgw;
pub mod vpc;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use acl::*;
pub use cloudwan::*;
pub use dx::*;
pub use estate::*;
pub use kinds::*;
pub use names::*;
pub use section::*;
pub use state::*;

/// `name (id)`, or the id alone when the resource has no name: how messages name a resource.
pub fn label(name: &str, id: &str) -> String {
    if name.is_empty() {
        id.to_string()
    } else {
        format!("{name} ({id})")
    }
}
pub use firewall::*;
pub use peering::*;
pub use resolver::*;
pub use telemetry::*;
pub use tgw::*;
pub use vpc::*;

/// UTC wall-clock time; every timestamp in the model is one.
pub type Timestamp = DateTime<Utc>;

/// One resource as the tables and the snapshot see it: its AWS id, its display name and its
/// state or status exactly as AWS spells it.
pub trait Resource {
    /// The AWS id (`dxcon-…`, `tgw-rtb-…`), or a composite key where AWS has none
    /// (a TGW route is `<route table id>|<destination>`).
    fn id(&self) -> String;
    /// The `Name` tag or the API's own name field; may be empty.
    fn name(&self) -> &str;
    /// State or status as AWS spells it (`available`, `pending-acceptance`, `OPERATIONAL`).
    fn state(&self) -> &str;
    /// How an operator reads the state: from its typed value where AWS defines one.
    fn health(&self) -> health::Health;
}

/// The networking areas crossconnect covers; each has one pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    DirectConnect,
    VpcPeering,
    TransitGateway,
    Resolver,
    DnsFirewall,
    CloudWan,
}

impl Area {
    pub const ALL: [Area; 6] = [
        Area::DirectConnect,
        Area::VpcPeering,
        Area::TransitGateway,
        Area::Resolver,
        Area::DnsFirewall,
        Area::CloudWan,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Area::DirectConnect => "Direct Connect",
            Area::VpcPeering => "VPC peering",
            Area::TransitGateway => "Transit Gateway",
            Area::Resolver => "Route 53 Resolver",
            Area::DnsFirewall => "DNS Firewall",
            Area::CloudWan => "Cloud WAN",
        }
    }

    /// Key used for the area in JSON output.
    pub fn key(self) -> &'static str {
        match self {
            Area::DirectConnect => "direct_connect",
            Area::VpcPeering => "vpc_peering",
            Area::TransitGateway => "transit_gateway",
            Area::Resolver => "resolver",
            Area::DnsFirewall => "dns_firewall",
            Area::CloudWan => "cloud_wan",
        }
    }
}

/// An item with `"account": "<id>"` in front of its fields (none when the account is unknown).
#[derive(Serialize)]
pub(crate) struct WithAccount<'a, T> {
    #[serde(skip_serializing_if = "str::is_empty")]
    pub(crate) account: &'a str,
    #[serde(flatten)]
    pub(crate) item: &'a T,
}

/// Where data was read: one account, one region. The model keeps one [`RegionEstate`] per
/// scope; an empty `account` means STS did not say whose credentials they were.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Scope {
    /// The 12-digit account id (sts GetCallerIdentity), or empty when unknown.
    pub account: String,
    pub region: String,
}

impl Scope {
    pub fn new(account: &str, region: &str) -> Scope {
        Scope {
            account: account.to_string(),
            region: region.to_string(),
        }
    }
}

impl std::fmt::Display for Scope {
    /// `eu-west-2`, or `111122223333/eu-west-2` when the account is known.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.account.is_empty() {
            f.write_str(&self.region)
        } else {
            write!(f, "{}/{}", self.account, self.region)
        }
    }
}

/// One account in scope: where its credentials came from and whether it could be read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Account {
    /// The 12-digit id (sts GetCallerIdentity, or organizations ListAccounts); empty when
    /// neither answered.
    pub id: String,
    /// The account's name in the organisation (ListAccounts), else the profile name.
    pub name: String,
    /// How it is reached: `profile NAME`, `role arn:aws:iam::ID:role/ROLE`, `default chain`.
    pub via: String,
    /// Why it could not be read (its role could not be assumed, its credentials failed);
    /// `None` when it is read.
    pub error: Option<String>,
}

/// How far some resource kinds were read, over every region: whether a summary of them can be
/// trusted. "Unknown" is never "healthy": a count over kinds that were not read says so.
#[derive(Clone, Debug, PartialEq)]
pub enum Coverage {
    /// Every region's sections of these kinds were read and the last read succeeded;
    /// `oldest` is the oldest successful read among them.
    Read { oldest: Timestamp },
    /// The last read failed in at least one region (the first such region and its error);
    /// any items held are the last good data, `last_good` old. `region` names the account
    /// too when several are in scope.
    Failed {
        region: String,
        error: ApiError,
        last_good: Option<Timestamp>,
    },
    /// Not read yet in at least one region (and nothing failed).
    NotRead,
}

impl Coverage {
    /// Whether nothing is held for these kinds: never read, or failed with no data from
    /// before (counts are `?`, not numbers).
    pub fn never_read(&self) -> bool {
        matches!(
            self,
            Coverage::NotRead
                | Coverage::Failed {
                    last_good: None,
                    ..
                }
        )
    }

    /// Whether the numbers over these kinds cannot be trusted (failed or never read).
    pub fn is_unknown(&self) -> bool {
        !matches!(self, Coverage::Read { .. })
    }

    /// Why the numbers are unknown, e.g. `DescribeVirtualInterfaces failed in eu-west-2:
    /// ThrottlingException: Rate exceeded`, or `not read yet`; `None` when read.
    pub fn reason(&self) -> Option<String> {
        match self {
            Coverage::Read { .. } => None,
            Coverage::NotRead => Some("not read yet".into()),
            Coverage::Failed { region, error, .. } => Some(format!(
                "{} failed in {region}: {}: {}",
                error.operation, error.code, error.message
            )),
        }
    }
}

/// The whole result of one read of one resource kind in one region of one account.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    /// The account read (empty: unknown); set by the source that polled it.
    pub account: String,
    pub region: String,
    pub kind: ResourceKind,
    pub at: Timestamp,
    pub result: Result<Batch, ApiError>,
}

impl Update {
    pub fn ok(region: &str, at: Timestamp, batch: Batch) -> Self {
        Update {
            account: String::new(),
            region: region.to_string(),
            kind: batch.kind(),
            at,
            result: Ok(batch),
        }
    }

    pub fn err(region: &str, kind: ResourceKind, at: Timestamp, error: ApiError) -> Self {
        Update {
            account: String::new(),
            region: region.to_string(),
            kind,
            at,
            result: Err(error),
        }
    }

    /// The same update, for account `account`.
    pub fn in_account(mut self, account: &str) -> Self {
        self.account = account.to_string();
        self
    }

    pub fn scope(&self) -> Scope {
        Scope::new(&self.account, &self.region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peering(id: &str, state: &str) -> VpcPeering {
        VpcPeering {
            id: id.into(),
            name: String::new(),
            state: state.into(),
            ..Default::default()
        }
    }

    #[test]
    fn failed_read_keeps_last_good_items() {
        let mut e = Estate::with_regions(&["r1"]);
        let t = Utc::now();
        e.apply(Update::ok(
            "r1",
            t,
            Batch::VpcPeerings(vec![peering("pcx-1", "active")]),
        ));
        e.apply(Update::err(
            "r1",
            ResourceKind::VpcPeerings,
            t,
            ApiError {
                operation: "DescribeVpcPeeringConnections".into(),
                code: "Throttling".into(),
                message: "Rate exceeded".into(),
            },
        ));
        let r = e.region("r1").unwrap();
        assert_eq!(r.vpc_peerings.items.len(), 1);
        assert_eq!(r.vpc_peerings.error.as_ref().unwrap().code, "Throttling");
        assert!(r.transit_gateways.error.is_none());
    }

    #[test]
    fn changed_rows_are_those_new_or_different_and_last_one_cycle() {
        let mut e = Estate::with_regions(&["r1"]);
        let t = Utc::now();
        let first = vec![
            peering("pcx-1", "active"),
            peering("pcx-2", "pending-acceptance"),
        ];
        e.apply(Update::ok("r1", t, Batch::VpcPeerings(first.clone())));
        assert!(
            e.region("r1").unwrap().vpc_peerings.changed.is_empty(),
            "first read marks nothing"
        );
        let second = vec![
            peering("pcx-1", "active"),
            peering("pcx-2", "active"),
            peering("pcx-3", "active"),
        ];
        e.apply(Update::ok("r1", t, Batch::VpcPeerings(second.clone())));
        let changed = &e.region("r1").unwrap().vpc_peerings.changed;
        assert!(changed.contains("pcx-2") && changed.contains("pcx-3"));
        assert!(!changed.contains("pcx-1"));
        e.apply(Update::ok("r1", t, Batch::VpcPeerings(second)));
        assert!(e.region("r1").unwrap().vpc_peerings.changed.is_empty());
    }
}
