//! Transit Gateway route calls (EC2): a static route or blackhole added, a route deleted.

use super::Request;
use crate::graph::whatif::Change;
use crate::model::TgwRouteState;
use crate::model::{RegionEstate, ResourceKind};

/// A TGW route call, in route table `route_table_id` (`tgw-rtb-…`) for `cidr`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TgwCall {
    /// CreateTransitGatewayRoute: to `attachment_id`, or a blackhole when `None`.
    CreateTgwRoute {
        route_table_id: String,
        cidr: String,
        attachment_id: Option<String>,
    },
    /// DeleteTransitGatewayRoute.
    DeleteTgwRoute {
        route_table_id: String,
        cidr: String,
    },
}

impl TgwCall {
    fn table_and_cidr(&self) -> (&String, &String) {
        match self {
            Self::CreateTgwRoute {
                route_table_id,
                cidr,
                ..
            }
            | Self::DeleteTgwRoute {
                route_table_id,
                cidr,
            } => (route_table_id, cidr),
        }
    }
}

super::operations!(TgwCall, "ec2" {
    Self::CreateTgwRoute { .. } => "CreateTransitGatewayRoute",
    Self::DeleteTgwRoute { .. } => "DeleteTransitGatewayRoute",
});

impl Request for TgwCall {
    fn params(&self) -> Vec<(&'static str, String)> {
        let (rtb, cidr) = self.table_and_cidr();
        let mut p = vec![
            ("TransitGatewayRouteTableId", rtb.clone()),
            ("DestinationCidrBlock", cidr.clone()),
        ];
        if let Self::CreateTgwRoute { attachment_id, .. } = self {
            p.push(match attachment_id {
                Some(a) => ("TransitGatewayAttachmentId", a.clone()),
                None => ("Blackhole", "true".into()),
            });
        }
        p
    }

    fn undo(&self, _created: Option<&str>) -> Option<String> {
        let (rtb, cidr) = self.table_and_cidr();
        matches!(self, Self::CreateTgwRoute { .. }).then(|| {
            format!(
                "ec2:DeleteTransitGatewayRoute TransitGatewayRouteTableId={rtb} DestinationCidrBlock={cidr}"
            )
        })
    }

    fn verified_by(&self) -> Vec<ResourceKind> {
        vec![ResourceKind::TgwRoutes]
    }

    fn applied(&self, r: &RegionEstate) -> Option<bool> {
        let (rtb, cidr) = self.table_and_cidr();
        let mut routes = r
            .tgw_routes
            .items
            .iter()
            .filter(|x| &x.route_table_id == rtb && &x.destination == cidr);
        Some(match self {
            Self::CreateTgwRoute { attachment_id, .. } => routes.any(|x| {
                x.route_type == "static"
                    && match attachment_id {
                        None => x.state == TgwRouteState::Blackhole,
                        Some(a) => x
                            .targets
                            .iter()
                            .any(|t| t.attachment_id.as_ref() == Some(a)),
                    }
            }),
            Self::DeleteTgwRoute { .. } => routes.next().is_none(),
        })
    }

    fn path_changes(&self) -> Vec<Change> {
        let (rtb, cidr) = self.table_and_cidr();
        let (route_table_id, cidr) = (rtb.clone(), cidr.clone());
        vec![match self {
            Self::CreateTgwRoute { attachment_id, .. } => Change::AddTgwRoute {
                route_table_id,
                cidr,
                attachment_id: attachment_id.clone(),
            },
            Self::DeleteTgwRoute { .. } => Change::DeleteTgwRoute {
                route_table_id,
                cidr,
            },
        }]
    }

    fn cut_confirm(&self) -> Option<String> {
        match self {
            Self::CreateTgwRoute { cidr, .. } => Some(cidr.clone()),
            Self::DeleteTgwRoute { .. } => None,
        }
    }
}
