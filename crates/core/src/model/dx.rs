//! Direct Connect: connections, LAGs, virtual interfaces (VIFs) with their BGP peers,
//! Direct Connect gateways (DXGW) with associations and attachments, virtual private
//! gateways and locations. Read by `src/aws/directconnect.rs`.

use super::state::{
    AssociationState, AttachmentState, BgpPeerState, BgpStatus, ConnectionState, LagState,
    Lifecycle, VifState,
};
use serde::{Deserialize, Serialize};

use super::secret::Masked;
use super::{Resource, Timestamp};

/// A dedicated or hosted connection (DescribeConnections).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Connection {
    /// `dxcon-…`
    pub id: String,
    pub name: String,
    /// ordering · requested · pending · available · down · deleting · deleted · rejected · unknown
    pub state: ConnectionState,
    pub region: String,
    pub owner_account: Option<String>,
    /// Location code, e.g. `EqDC2`.
    pub location: String,
    /// Port speed as AWS spells it, e.g. `10Gbps`.
    pub bandwidth: String,
    /// VLAN of a hosted connection.
    pub vlan: Option<i32>,
    pub partner_name: Option<String>,
    pub provider_name: Option<String>,
    pub lag_id: Option<String>,
    /// Physical AWS device (awsDeviceV2, falling back to awsDevice).
    pub aws_device: Option<String>,
    pub aws_logical_device_id: Option<String>,
    /// `unknown` · `yes` · `no`
    pub has_logical_redundancy: Option<String>,
    pub jumbo_frame_capable: Option<bool>,
    /// The port supports MACsec (macSecCapable).
    pub mac_sec_capable: Option<bool>,
    /// MACsec: `no_encrypt` · `should_encrypt` · `must_encrypt` (encryptionMode).
    pub encryption_mode: Option<String>,
    /// MACsec on the port: `Encryption Up` · `Encryption Down` (portEncryptionStatus).
    #[serde(default)]
    pub port_encryption_status: Option<String>,
    /// The MACsec keys (macSecKeys): their state and start, never the CKN or CAK.
    #[serde(default)]
    pub mac_sec_keys: Vec<MacSecKey>,
    /// When the LOA-CFA was issued.
    pub loa_issue_time: Option<Timestamp>,
}

/// A link aggregation group (DescribeLags).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lag {
    /// `dxlag-…`
    pub id: String,
    pub name: String,
    /// requested · pending · available · down · deleting · deleted · unknown
    pub state: LagState,
    pub region: String,
    pub owner_account: Option<String>,
    pub location: String,
    /// Bandwidth of each member connection, e.g. `10Gbps`.
    pub connections_bandwidth: String,
    pub number_of_connections: i32,
    pub minimum_links: i32,
    /// Member connection ids.
    pub connection_ids: Vec<String>,
    pub aws_device: Option<String>,
    pub aws_logical_device_id: Option<String>,
    pub has_logical_redundancy: Option<String>,
    pub jumbo_frame_capable: Option<bool>,
    /// The LAG's ports support MACsec (macSecCapable).
    #[serde(default)]
    pub mac_sec_capable: Option<bool>,
    /// MACsec: `no_encrypt` · `should_encrypt` · `must_encrypt` (encryptionMode).
    #[serde(default)]
    pub encryption_mode: Option<String>,
    /// The MACsec keys (macSecKeys): their state and start, never the CKN or CAK.
    #[serde(default)]
    pub mac_sec_keys: Vec<MacSecKey>,
}

/// A MACsec key of a connection or LAG (DescribeConnections / DescribeLags `macSecKeys`).
/// The CKN is a secret like a BGP key: only whether one is set is kept, and the CAK never
/// leaves Secrets Manager.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MacSecKey {
    /// `associating` · `associated` · `disassociating` · `disassociated`
    pub state: String,
    /// When the key becomes or became active, as AWS gives it (startOn).
    pub start_on: Option<String>,
    /// A CKN is set (shown `********`).
    pub ckn: Option<Masked>,
}

impl MacSecKey {
    /// Whether the key is in use: `associated`.
    pub fn associated(&self) -> bool {
        self.state == "associated"
    }
}

/// One BGP peer of a VIF. Session health is `bgp_status`, not `bgp_peer_state`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BgpPeer {
    /// `dxpeer-…`
    pub id: String,
    /// Customer-side ASN (asnLong, falling back to asn).
    pub asn: i64,
    /// `ipv4` · `ipv6`
    pub address_family: String,
    pub amazon_address: Option<String>,
    pub customer_address: Option<String>,
    /// Lifecycle: verifying · pending · available · deleting · deleted.
    pub bgp_peer_state: BgpPeerState,
    /// Session health: up · down · unknown.
    pub bgp_status: BgpStatus,
    /// The BGP MD5 key, masked: only whether one is set.
    pub auth_key: Option<Masked>,
    pub aws_logical_device_id: Option<String>,
}

/// A private, transit or public virtual interface (DescribeVirtualInterfaces).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VirtualInterface {
    /// `dxvif-…`
    pub id: String,
    pub name: String,
    /// confirming · verifying · pending · available · down · testing · deleting · deleted · rejected · unknown
    pub state: VifState,
    /// `private` · `transit` · `public`
    pub vif_type: String,
    pub region: String,
    pub owner_account: Option<String>,
    pub location: String,
    /// The connection or LAG id the VIF runs on.
    pub connection_id: String,
    pub vlan: i32,
    /// Customer-side ASN (asnLong, falling back to asn).
    pub asn: i64,
    pub amazon_side_asn: Option<i64>,
    pub address_family: Option<String>,
    pub amazon_address: Option<String>,
    pub customer_address: Option<String>,
    /// MTU in bytes (1500, 8500 or 9001).
    pub mtu: Option<i32>,
    pub jumbo_frame_capable: Option<bool>,
    /// `vgw-…` of a private VIF attached directly to a virtual private gateway.
    pub virtual_gateway_id: Option<String>,
    /// DXGW id of a private or transit VIF.
    pub direct_connect_gateway_id: Option<String>,
    pub aws_device: Option<String>,
    pub aws_logical_device_id: Option<String>,
    /// The BGP MD5 key, masked.
    pub auth_key: Option<Masked>,
    pub bgp_peers: Vec<BgpPeer>,
    /// Public VIF prefixes.
    pub route_filter_prefixes: Vec<String>,
    /// The generated router configuration with every key masked.
    pub customer_router_config: Option<String>,
    /// SiteLink: traffic between this VIF's location and the other SiteLink VIFs of its DX
    /// gateway goes over the AWS backbone, without a region (siteLinkEnabled).
    #[serde(default)]
    pub site_link_enabled: Option<bool>,
}

/// A Direct Connect gateway (DescribeDirectConnectGateways). DXGWs are global: the same
/// gateway is read in every region.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DxGateway {
    /// UUID-shaped DXGW id.
    pub id: String,
    pub name: String,
    /// pending · available · deleting · deleted
    pub state: Lifecycle,
    pub amazon_side_asn: Option<i64>,
    pub owner_account: Option<String>,
    pub state_change_error: Option<String>,
}

/// A DXGW association with a virtual private gateway or transit gateway
/// (DescribeDirectConnectGatewayAssociations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DxGatewayAssociation {
    /// The association id.
    pub id: String,
    /// `<dxgw name> → <gateway id>`
    pub name: String,
    /// associating · associated · disassociating · disassociated · updating
    pub state: AssociationState,
    pub direct_connect_gateway_id: String,
    /// `tgw-…` or `vgw-…`
    pub associated_gateway_id: Option<String>,
    /// `transitGateway` · `virtualPrivateGateway`
    pub associated_gateway_type: Option<String>,
    pub associated_gateway_region: Option<String>,
    pub associated_gateway_owner_account: Option<String>,
    /// Allowed prefixes advertised to on-premises, as CIDRs.
    pub allowed_prefixes: Vec<String>,
    pub state_change_error: Option<String>,
}

/// A VIF attached to a DXGW (DescribeDirectConnectGatewayAttachments).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DxGatewayAttachment {
    /// `<dxgw id>/<vif id>`
    pub id: String,
    /// `<dxgw name> ← <vif id>`
    pub name: String,
    /// attaching · attached · detaching · detached
    pub state: AttachmentState,
    pub direct_connect_gateway_id: String,
    pub virtual_interface_id: String,
    pub virtual_interface_region: Option<String>,
    pub virtual_interface_owner_account: Option<String>,
    /// `TransitVirtualInterface` · `PrivateVirtualInterface`
    pub attachment_type: Option<String>,
    pub state_change_error: Option<String>,
}

/// A virtual private gateway a private VIF can attach to (DescribeVirtualGateways).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VirtualGateway {
    /// `vgw-…`
    pub id: String,
    pub name: String,
    /// pending · available · deleting · deleted
    pub state: Lifecycle,
}

/// A Direct Connect location of the region (DescribeLocations). Reference data: it has no
/// state of its own, so `state` is always empty.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DxLocation {
    /// Location code, e.g. `EqDC2`.
    pub id: String,
    pub name: String,
    pub state: String,
    pub available_port_speeds: Vec<String>,
    pub available_providers: Vec<String>,
}

macro_rules! simple_resource {
    ($($t:ty),+) => {$(
        impl Resource for $t {
            fn id(&self) -> String { self.id.clone() }
            fn name(&self) -> &str { &self.name }
            fn state(&self) -> &str { self.state.as_str() }
            fn health(&self) -> super::health::Health { super::AsState::health(&self.state) }
        }
    )+};
}
pub(crate) use simple_resource;

/// [`Resource`] for kinds AWS gives no id of their own: the id is `<a>|<b>` of two fields.
macro_rules! keyed_resource {
    ($($t:ty: $a:ident | $b:ident, name $n:ident;)+) => {$(
        impl Resource for $t {
            fn id(&self) -> String { format!("{}|{}", self.$a, self.$b) }
            fn name(&self) -> &str { &self.$n }
            fn state(&self) -> &str { self.state.as_str() }
            fn health(&self) -> super::health::Health { super::AsState::health(&self.state) }
        }
    )+};
}
pub(crate) use keyed_resource;

simple_resource!(
    Connection,
    Lag,
    VirtualInterface,
    DxGateway,
    DxGatewayAssociation,
    DxGatewayAttachment,
    VirtualGateway,
    DxLocation
);

impl VirtualInterface {
    /// `up` when every BGP peer's session is up, `down` when any is down, else `unknown`.
    pub fn bgp_summary(&self) -> &'static str {
        if self
            .bgp_peers
            .iter()
            .any(|p| p.bgp_status == BgpStatus::Down)
        {
            "down"
        } else if !self.bgp_peers.is_empty()
            && self.bgp_peers.iter().all(|p| p.bgp_status == BgpStatus::Up)
        {
            "up"
        } else {
            "unknown"
        }
    }
}

/// One BGP route of a VIF (ListVirtualInterfaceRoutes).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VifRoute {
    /// The prefix, e.g. `10.200.0.0/16`.
    pub cidr: String,
    /// `accepted` (received from on-prem) or `advertised` (sent by AWS).
    pub direction: String,
    /// `ipv4` or `ipv6`.
    pub address_family: String,
    /// The AS path, as segments: `65000 65010` for a sequence, `{65020,65021}` for a set.
    pub as_path: String,
    /// BGP communities, e.g. `7224:9100`.
    pub communities: Vec<String>,
    /// The AWS device the route is on.
    pub aws_logical_device_id: Option<String>,
    /// When the route was installed (UTC).
    pub installed_at: Option<super::Timestamp>,
}

impl super::ResourceKind {
    /// Global resources: DX gateways, their associations and attachments, and Cloud WAN, belong
    /// to no region (every region's endpoint lists them); shown once, under every region.
    pub fn is_global(self) -> bool {
        matches!(
            self,
            super::ResourceKind::DxGateways
                | super::ResourceKind::DxGatewayAssociations
                | super::ResourceKind::DxGatewayAttachments
                | super::ResourceKind::CoreNetworks
                | super::ResourceKind::CloudWanAttachments
                | super::ResourceKind::CloudWanRoutes
        )
    }
}
