//! Direct Connect calls: the LOA-CFA read, confirming a hosted connection or VIF, creating and
//! deleting a VIF, a BGP failover test.

use super::{Request, Secret, created_or};
use crate::graph::whatif::Change;
use crate::model::secret::MASK;
use crate::model::{RegionEstate, ResourceKind, VifState};

/// A Direct Connect call.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum DxCall {
    /// DescribeLoa (a read): the LOA-CFA PDF of `connection_id`, written to `path`.
    DescribeLoa { connection_id: String, path: String },
    /// ConfirmConnection of a hosted connection.
    ConfirmConnection { id: String },
    /// ConfirmPrivateVirtualInterface: `gateway_id` is `dxgw:<id>` or `vgw:<id>`.
    ConfirmPrivateVif { id: String, gateway_id: String },
    /// ConfirmTransitVirtualInterface to a DXGW.
    ConfirmTransitVif { id: String, dxgw_id: String },
    /// ConfirmPublicVirtualInterface.
    ConfirmPublicVif { id: String },
    /// CreateTransitVirtualInterface (`transit`) or CreatePrivateVirtualInterface.
    CreateVif {
        transit: bool,
        #[serde(flatten)]
        vif: NewVif,
    },
    /// DeleteVirtualInterface.
    DeleteVif { id: String },
    /// StartBgpFailoverTest: the VIF's BGP sessions brought down for `minutes`.
    StartFailoverTest { vif_id: String, minutes: i32 },
    /// StopBgpFailoverTest.
    StopFailoverTest { vif_id: String },
}

/// A VIF to create, on `connection_id`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewVif {
    pub connection_id: String,
    pub name: String,
    /// 1–4094.
    pub vlan: i32,
    /// The customer's BGP ASN (2- or 4-byte).
    pub asn: i64,
    /// The BGP peer addresses (both or neither; AWS picks link-local ones when neither).
    pub amazon_address: Option<String>,
    pub customer_address: Option<String>,
    /// The BGP MD5 key (AWS generates one when `None`).
    pub auth_key: Option<Secret>,
    /// 1500 · 8500 (transit) · 9001 (private).
    pub mtu: i32,
    /// The DXGW, or for a private VIF the virtual private gateway.
    pub dxgw_id: Option<String>,
    pub vgw_id: Option<String>,
}

impl DxCall {
    /// `(directConnectGatewayId | virtualGatewayId, id)` of a `dxgw:`/`vgw:` gateway choice.
    pub fn gateway_param(gateway_id: &str) -> (&'static str, String) {
        match gateway_id.split_once(':') {
            Some(("dxgw", g)) => ("directConnectGatewayId", g.to_string()),
            Some((_, g)) => ("virtualGatewayId", g.to_string()),
            None => ("virtualGatewayId", gateway_id.to_string()),
        }
    }

    /// Whether a VIF of a create call (same connection and VLAN) was read, in a state `ok`
    /// accepts.
    fn made(&self, r: &RegionEstate, ok: impl Fn(&VifState) -> bool) -> bool {
        let Self::CreateVif { vif: new, .. } = self else {
            return false;
        };
        r.dx_vifs
            .items
            .iter()
            .any(|v| v.connection_id == new.connection_id && v.vlan == new.vlan && ok(&v.state))
    }

    /// The state of a VIF being deleted (`None` when it is gone from the list).
    fn vif_state<'a>(r: &'a RegionEstate, id: &str) -> Option<&'a VifState> {
        super::by_id(&r.dx_vifs.items, id).map(|v| &v.state)
    }
}

super::operations!(DxCall, "directconnect" {
    Self::DescribeLoa { .. } => "DescribeLoa",
    Self::ConfirmConnection { .. } => "ConfirmConnection",
    Self::ConfirmPrivateVif { .. } => "ConfirmPrivateVirtualInterface",
    Self::ConfirmTransitVif { .. } => "ConfirmTransitVirtualInterface",
    Self::ConfirmPublicVif { .. } => "ConfirmPublicVirtualInterface",
    Self::CreateVif { transit: true, .. } => "CreateTransitVirtualInterface",
    Self::CreateVif { .. } => "CreatePrivateVirtualInterface",
    Self::DeleteVif { .. } => "DeleteVirtualInterface",
    Self::StartFailoverTest { .. } => "StartBgpFailoverTest",
    Self::StopFailoverTest { .. } => "StopBgpFailoverTest",
});

impl Request for DxCall {
    fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::DescribeLoa {
                connection_id,
                path,
            } => vec![
                ("connectionId", connection_id.clone()),
                ("loaContentType", "application/pdf".into()),
                ("saveTo", path.clone()),
            ],
            Self::ConfirmConnection { id } => vec![("connectionId", id.clone())],
            Self::ConfirmPrivateVif { id, gateway_id } => vec![
                ("virtualInterfaceId", id.clone()),
                Self::gateway_param(gateway_id),
            ],
            Self::ConfirmTransitVif { id, dxgw_id } => vec![
                ("virtualInterfaceId", id.clone()),
                ("directConnectGatewayId", dxgw_id.clone()),
            ],
            Self::ConfirmPublicVif { id } | Self::DeleteVif { id } => {
                vec![("virtualInterfaceId", id.clone())]
            }
            Self::CreateVif { .. } => self.create_params(),
            Self::StartFailoverTest { vif_id, minutes } => vec![
                ("virtualInterfaceId", vif_id.clone()),
                ("testDurationInMinutes", minutes.to_string()),
            ],
            Self::StopFailoverTest { vif_id } => vec![("virtualInterfaceId", vif_id.clone())],
        }
    }

    fn mutating(&self) -> bool {
        !matches!(self, Self::DescribeLoa { .. })
    }

    fn undo(&self, created: Option<&str>) -> Option<String> {
        match self {
            Self::StartFailoverTest { vif_id, .. } => Some(format!(
                "directconnect:StopBgpFailoverTest virtualInterfaceId={vif_id}"
            )),
            Self::CreateVif { .. } => Some(format!(
                "directconnect:DeleteVirtualInterface virtualInterfaceId={}",
                created_or(created)
            )),
            _ => None,
        }
    }

    fn verified_by(&self) -> Vec<ResourceKind> {
        match self {
            Self::ConfirmConnection { .. } => vec![ResourceKind::DxConnections],
            Self::ConfirmPrivateVif { .. }
            | Self::ConfirmTransitVif { .. }
            | Self::ConfirmPublicVif { .. }
            | Self::CreateVif { .. }
            | Self::DeleteVif { .. } => vec![ResourceKind::DxVirtualInterfaces],
            _ => vec![],
        }
    }

    fn applied(&self, r: &RegionEstate) -> Option<bool> {
        match self {
            Self::CreateVif { .. } => Some(self.made(r, |s| *s != VifState::Deleted)),
            Self::DeleteVif { id } => Some(
                Self::vif_state(r, id)
                    .is_none_or(|s| matches!(s, VifState::Deleting | VifState::Deleted)),
            ),
            _ => None,
        }
    }

    fn settled(&self, r: &RegionEstate) -> Option<bool> {
        match self {
            Self::CreateVif { .. } => Some(self.made(r, |s| *s == VifState::Available)),
            Self::DeleteVif { id } => {
                Some(Self::vif_state(r, id).is_none_or(|s| *s == VifState::Deleted))
            }
            _ => None,
        }
    }

    fn path_changes(&self) -> Vec<Change> {
        match self {
            Self::DeleteVif { id: vif } | Self::StartFailoverTest { vif_id: vif, .. } => {
                vec![Change::FailVif(vif.clone())]
            }
            _ => vec![],
        }
    }
}

impl DxCall {
    /// The parameters of CreatePrivate/TransitVirtualInterface, the BGP key masked.
    fn create_params(&self) -> Vec<(&'static str, String)> {
        let Self::CreateVif { vif, .. } = self else {
            return vec![];
        };
        let NewVif {
            connection_id,
            name,
            vlan,
            asn,
            amazon_address,
            customer_address,
            auth_key,
            mtu,
            dxgw_id,
            vgw_id,
        } = vif;
        let mut p = vec![
            ("connectionId", connection_id.clone()),
            ("virtualInterfaceName", name.clone()),
            ("vlan", vlan.to_string()),
            ("asn", asn.to_string()),
            ("mtu", mtu.to_string()),
            ("addressFamily", "ipv4".into()),
        ];
        if let (Some(a), Some(c)) = (amazon_address, customer_address) {
            p.push(("amazonAddress", a.clone()));
            p.push(("customerAddress", c.clone()));
        }
        p.push((
            "authKey",
            match auth_key {
                None => "(generated by AWS)".into(),
                Some(_) => MASK.into(),
            },
        ));
        match (dxgw_id, vgw_id) {
            (Some(g), _) => p.push(("directConnectGatewayId", g.clone())),
            (_, Some(g)) => p.push(("virtualGatewayId", g.clone())),
            _ => {}
        }
        p
    }
}
