//! The panes (tabs) of the console, in the order of their digit keys (1–9, then 0).

use serde::{Deserialize, Serialize};

/// A pane of the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pane {
    Overview,
    Dx,
    Vif,
    Dxgw,
    Peering,
    Tgw,
    Resolver,
    Firewall,
    Findings,
    CloudWan,
}

/// Each pane's `:command`, title and short label (the pane bar), in digit order.
const NAMES: [(Pane, &str, &str, &str); 10] = [
    (Pane::Overview, "overview", "Overview", "Overview"),
    (Pane::Dx, "dx", "Direct Connect", "DX"),
    (Pane::Vif, "vif", "Virtual interfaces", "VIF"),
    (Pane::Dxgw, "dxgw", "DX gateways", "DXGW"),
    (Pane::Peering, "peering", "VPC peering", "Peering"),
    (Pane::Tgw, "tgw", "Transit Gateway", "TGW"),
    (Pane::Resolver, "resolver", "Resolver", "Resolver"),
    (Pane::Firewall, "firewall", "DNS Firewall", "Firewall"),
    (Pane::Findings, "findings", "Findings", "Findings"),
    (Pane::CloudWan, "cloudwan", "Cloud WAN", "WAN"),
];

impl Pane {
    pub const ALL: [Pane; 10] = [
        Pane::Overview,
        Pane::Dx,
        Pane::Vif,
        Pane::Dxgw,
        Pane::Peering,
        Pane::Tgw,
        Pane::Resolver,
        Pane::Firewall,
        Pane::Findings,
        Pane::CloudWan,
    ];

    fn names(self) -> (Pane, &'static str, &'static str, &'static str) {
        NAMES[self as usize]
    }

    /// The `:command` that opens the pane.
    pub fn command(self) -> &'static str {
        self.names().1
    }

    pub fn title(self) -> &'static str {
        self.names().2
    }

    /// Short label for the pane bar.
    pub fn short(self) -> &'static str {
        self.names().3
    }

    pub fn from_command(cmd: &str) -> Option<Pane> {
        Pane::ALL.into_iter().find(|p| p.command() == cmd)
    }

    /// The digit key of the pane: 1–9, then 0 for the tenth.
    pub fn digit(self) -> usize {
        (self as usize + 1) % 10
    }

    /// The pane a digit key opens.
    pub fn of_digit(d: u32) -> Option<Pane> {
        let i = if d == 0 { 9 } else { d as usize - 1 };
        Pane::ALL.get(i).copied()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_in_digit_order() {
        for (i, p) in super::Pane::ALL.into_iter().enumerate() {
            assert_eq!(super::NAMES[i].0, p);
        }
    }
}
