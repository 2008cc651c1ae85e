//! AWS states as types: one enum per AWS state enumeration, parsed where the SDK's answer
//! enters the model (spelled as AWS spells it, any case accepted), each with the health an
//! operator reads in it. A value this version does not know is kept as `Unknown(spelling)`
//! and classified by its spelling ([`classify`]), never as healthy by default. Each
//! serializes and displays as AWS spells it, so exports and screens read the same as before.

use super::health::{Health, classify};

macro_rules! aws_states {
    ($(
        $(#[$m:meta])*
        $name:ident { $($v:ident = $s:literal => $h:ident),+ $(,)? }
    )+) => {$(
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[doc = concat!("`", $s, "`")] $v,)+
            /// A value this version does not know (or none at all), as AWS spelled it.
            Unknown(String),
        }

        impl $name {
            /// Every known value, in AWS's order.
            pub const KNOWN: &'static [$name] = &[$($name::$v),+];

            /// The value as AWS spells it.
            pub fn as_str(&self) -> &str {
                match self { $($name::$v => $s,)+ $name::Unknown(s) => s }
            }

            /// How an operator reads it.
            pub fn health(&self) -> Health {
                match self { $($name::$v => Health::$h,)+ $name::Unknown(s) => classify(s) }
            }

            /// Parses AWS's spelling, in any case; anything else is `Unknown`.
            pub fn parse(s: &str) -> $name {
                Self::KNOWN
                    .iter()
                    .find(|k| k.as_str() == s)
                    .or_else(|| Self::KNOWN.iter().find(|k| k.as_str().eq_ignore_ascii_case(s)))
                    .cloned()
                    .unwrap_or_else(|| $name::Unknown(s.to_string()))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::Unknown(String::new())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::parse(s)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name::parse(&s)
            }
        }

        /// Compares with AWS's spelling, exactly (as tests and exports state it).
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(|s| $name::parse(&s))
            }
        }

        impl AsState for $name {
            fn as_str(&self) -> &str {
                $name::as_str(self)
            }
            fn health(&self) -> Health {
                $name::health(self)
            }
        }
    )+};
}

/// What every typed state offers, for code generic over them.
pub trait AsState {
    fn as_str(&self) -> &str;
    fn health(&self) -> Health;
}

/// A value with no AWS state enumeration behind it (a location's status, a column left
/// empty): read by its spelling.
impl AsState for String {
    fn as_str(&self) -> &str {
        self
    }
    fn health(&self) -> Health {
        classify(self)
    }
}

aws_states! {
    /// A Direct Connect connection (DescribeConnections `connectionState`).
    ConnectionState {
        Ordering = "ordering" => Pending, Requested = "requested" => Pending,
        Pending = "pending" => Pending, Available = "available" => Good, Down = "down" => Bad,
        Deleting = "deleting" => Bad, Deleted = "deleted" => Bad, Rejected = "rejected" => Bad,
        StateUnknown = "unknown" => Pending,
    }
    /// A LAG (DescribeLags `lagState`).
    LagState {
        Requested = "requested" => Pending, Pending = "pending" => Pending,
        Available = "available" => Good, Down = "down" => Bad, Deleting = "deleting" => Bad,
        Deleted = "deleted" => Bad, StateUnknown = "unknown" => Pending,
    }
    /// A VIF (DescribeVirtualInterfaces `virtualInterfaceState`).
    VifState {
        Confirming = "confirming" => Pending, Verifying = "verifying" => Pending,
        Pending = "pending" => Pending, Available = "available" => Good, Down = "down" => Bad,
        Testing = "testing" => Pending, Deleting = "deleting" => Bad, Deleted = "deleted" => Bad,
        Rejected = "rejected" => Bad, StateUnknown = "unknown" => Pending,
    }
    /// A BGP peer's lifecycle (`bgpPeerState`).
    BgpPeerState {
        Verifying = "verifying" => Pending, Pending = "pending" => Pending,
        Available = "available" => Good, Deleting = "deleting" => Bad, Deleted = "deleted" => Bad,
    }
    /// A BGP session's health (`bgpStatus`).
    BgpStatus { Up = "up" => Good, Down = "down" => Bad, StateUnknown = "unknown" => Pending }
    /// A resource that is created, available and deleted: a DX gateway
    /// (`directConnectGatewayState`), a virtual private gateway (`virtualGatewayState`), a TGW
    /// route table, a VPN connection.
    Lifecycle {
        Pending = "pending" => Pending, Available = "available" => Good,
        Deleting = "deleting" => Bad, Deleted = "deleted" => Bad,
    }
    /// A gateway association of a DXGW (`associationState`), a TGW route table association.
    AssociationState {
        Associating = "associating" => Pending, Associated = "associated" => Good,
        Disassociating = "disassociating" => Pending, Disassociated = "disassociated" => Bad,
        Updating = "updating" => Pending,
    }
    /// A VIF attached to a DXGW (`attachmentState`).
    AttachmentState {
        Attaching = "attaching" => Pending, Attached = "attached" => Good,
        Detaching = "detaching" => Pending, Detached = "detached" => Bad,
    }
    /// A VPC peering (`Status.Code`).
    PeeringState {
        InitiatingRequest = "initiating-request" => Pending,
        PendingAcceptance = "pending-acceptance" => Pending, Active = "active" => Good,
        Deleted = "deleted" => Bad, Rejected = "rejected" => Bad, Failed = "failed" => Bad,
        Expired = "expired" => Bad, Provisioning = "provisioning" => Pending,
        Deleting = "deleting" => Bad,
    }
    /// A transit gateway (`State`).
    TgwState {
        Pending = "pending" => Pending, Available = "available" => Good,
        Modifying = "modifying" => Pending, Deleting = "deleting" => Bad,
        Deleted = "deleted" => Bad,
    }
    /// A TGW attachment (`State`).
    TgwAttachmentState {
        Initiating = "initiating" => Pending, InitiatingRequest = "initiatingRequest" => Pending,
        PendingAcceptance = "pendingAcceptance" => Pending, RollingBack = "rollingBack" => Pending,
        Pending = "pending" => Pending, Available = "available" => Good,
        Modifying = "modifying" => Pending, Deleting = "deleting" => Bad,
        Deleted = "deleted" => Bad, Failed = "failed" => Bad, Rejected = "rejected" => Bad,
        Rejecting = "rejecting" => Bad, Failing = "failing" => Bad,
    }
    /// A TGW route (`State`).
    TgwRouteState {
        Pending = "pending" => Pending, Active = "active" => Good, Blackhole = "blackhole" => Bad,
        Deleting = "deleting" => Bad, Deleted = "deleted" => Bad,
    }
    /// A TGW route table propagation (`State`).
    PropagationState {
        Enabling = "enabling" => Pending, Enabled = "enabled" => Good,
        Disabling = "disabling" => Pending, Disabled = "disabled" => Neutral,
    }
    /// A VPC (`State`).
    VpcState { Pending = "pending" => Pending, Available = "available" => Good }
    /// A subnet (`State`).
    SubnetState {
        Pending = "pending" => Pending, Available = "available" => Good,
        Unavailable = "unavailable" => Neutral,
    }
    /// A VPC route (`State`).
    VpcRouteState { Active = "active" => Good, Blackhole = "blackhole" => Bad }
    /// A VPN tunnel (`VgwTelemetry.Status`).
    TunnelStatus { Up = "UP" => Good, Down = "DOWN" => Bad }
    /// A Resolver endpoint (`Status`).
    EndpointStatus {
        Creating = "CREATING" => Pending, Operational = "OPERATIONAL" => Good,
        Updating = "UPDATING" => Pending, AutoRecovering = "AUTO_RECOVERING" => Pending,
        ActionNeeded = "ACTION_NEEDED" => Bad, Deleting = "DELETING" => Bad,
    }
    /// One IP of a Resolver endpoint (`IpAddressResponse.Status`).
    EndpointIpStatus {
        Creating = "CREATING" => Pending, FailedCreation = "FAILED_CREATION" => Bad,
        Attaching = "ATTACHING" => Pending, Attached = "ATTACHED" => Good,
        RemapDetaching = "REMAP_DETACHING" => Neutral,
        RemapAttaching = "REMAP_ATTACHING" => Neutral, Detaching = "DETACHING" => Pending,
        FailedResourceGone = "FAILED_RESOURCE_GONE" => Neutral, Deleting = "DELETING" => Bad,
        DeleteFailedFasExpired = "DELETE_FAILED_FAS_EXPIRED" => Neutral,
        Updating = "UPDATING" => Pending, UpdateFailed = "UPDATE_FAILED" => Neutral,
        Isolated = "ISOLATED" => Neutral,
    }
    /// A Resolver rule (`Status`).
    RuleStatus {
        Complete = "COMPLETE" => Good, Deleting = "DELETING" => Bad,
        Updating = "UPDATING" => Pending, Failed = "FAILED" => Bad,
    }
    /// A Resolver rule association (`Status`).
    RuleAssociationStatus {
        Creating = "CREATING" => Pending, Complete = "COMPLETE" => Good,
        Deleting = "DELETING" => Bad, Failed = "FAILED" => Bad,
        Overridden = "OVERRIDDEN" => Neutral,
    }
    /// A DNS Firewall rule group association (`Status`).
    FirewallAssociationStatus {
        Complete = "COMPLETE" => Good, Deleting = "DELETING" => Bad,
        Updating = "UPDATING" => Pending,
    }
    /// A VPC's DNS Firewall fail-open setting (`FirewallFailOpen`).
    FailOpen {
        Enabled = "ENABLED" => Good, Disabled = "DISABLED" => Neutral,
        UseLocalResourceSetting = "USE_LOCAL_RESOURCE_SETTING" => Neutral,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agree<T: AsState>(known: &[T]) {
        for k in known {
            assert_eq!(k.health(), classify(k.as_str()), "{}", k.as_str());
        }
    }

    #[test]
    fn each_state_reads_as_its_spelling_does() {
        agree(ConnectionState::KNOWN);
        agree(LagState::KNOWN);
        agree(VifState::KNOWN);
        agree(BgpPeerState::KNOWN);
        agree(BgpStatus::KNOWN);
        agree(Lifecycle::KNOWN);
        agree(AssociationState::KNOWN);
        agree(AttachmentState::KNOWN);
        agree(PeeringState::KNOWN);
        agree(TgwState::KNOWN);
        agree(TgwAttachmentState::KNOWN);
        agree(TgwRouteState::KNOWN);
        agree(PropagationState::KNOWN);
        agree(VpcState::KNOWN);
        agree(SubnetState::KNOWN);
        agree(VpcRouteState::KNOWN);
        agree(TunnelStatus::KNOWN);
        agree(EndpointStatus::KNOWN);
        agree(EndpointIpStatus::KNOWN);
        agree(RuleStatus::KNOWN);
        agree(RuleAssociationStatus::KNOWN);
        agree(FirewallAssociationStatus::KNOWN);
        agree(FailOpen::KNOWN);
    }

    #[test]
    fn an_unknown_value_is_kept_and_never_healthy_by_default() {
        assert_eq!(VifState::parse("available"), VifState::Available);
        assert_eq!(
            EndpointStatus::parse("operational"),
            EndpointStatus::Operational
        );
        let odd = VifState::parse("sideways");
        assert_eq!(odd, VifState::Unknown("sideways".into()));
        assert_eq!((odd.as_str(), odd.health()), ("sideways", Health::Neutral));
        assert_eq!(VifState::default().health(), Health::Neutral);
        let json = serde_json::to_string(&TgwAttachmentState::PendingAcceptance).unwrap();
        assert_eq!(json, r#""pendingAcceptance""#);
    }
}
