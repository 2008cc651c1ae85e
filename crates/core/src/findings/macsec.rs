//! Direct Connect MACsec rules, per connection and LAG (DescribeConnections, DescribeLags):
//! DX-011 a MACsec-capable port that is not encrypted, DX-012 a port set to encrypt whose
//! encryption is down, DX-013 a MACsec key that is not associated. A port whose encryption
//! status AWS did not give is not judged: unread is not unencrypted.

use super::{Ctx, Finding, Severity, finding};
use crate::model::{MacSecKey, ResourceKind, label};

const UP: &str = "Encryption Up";

pub(crate) fn check(c: &Ctx, out: &mut Vec<Finding>) {
    for x in &c.region.dx_connections.items {
        if super::dx::conn_gone(&x.state) {
            continue;
        }
        let res = || {
            vec![c.res(
                ResourceKind::DxConnections,
                &x.id,
                &x.name,
                x.owner_account.as_ref(),
            )]
        };
        let mode = x.encryption_mode.as_deref().unwrap_or("no_encrypt");
        let evidence = [
            (
                "macSecCapable",
                format!("{}", x.mac_sec_capable.unwrap_or(false)),
            ),
            ("encryptionMode", mode.to_string()),
            (
                "portEncryptionStatus",
                x.port_encryption_status.clone().unwrap_or_default(),
            ),
        ];
        match x.port_encryption_status.as_deref() {
            Some(UP) | None => {}
            Some(status) if matches!(mode, "should_encrypt" | "must_encrypt") => {
                // must_encrypt drops what cannot be encrypted: the port carries nothing.
                let (severity, effect) = if mode == "must_encrypt" {
                    (Severity::Critical, "the port passes no traffic")
                } else {
                    (Severity::High, "traffic crosses it unencrypted")
                };
                out.push(finding("DX-012", Some(severity),
                    format!("MACsec on {} is set to {mode} but the port is {status}: {effect}", label(&x.name, &x.id)),
                    res(), &evidence,
                    "Check the CKN/CAK on your router match the key associated with the port (AssociateMacSecKey) and that the router's MACsec session is up; AWS shows the port's status in portEncryptionStatus."));
            }
            Some(status) if x.mac_sec_capable == Some(true) => {
                out.push(finding("DX-011", None,
                    format!("MACsec-capable port {} is not encrypted ({status})", label(&x.name, &x.id)),
                    res(), &evidence,
                    "Associate a MACsec key (CKN/CAK in Secrets Manager) with the connection and set its encryption mode to should_encrypt, then must_encrypt once the session is up."));
            }
            Some(_) => {}
        }
        keys(
            c,
            ResourceKind::DxConnections,
            &x.id,
            &x.name,
            x.owner_account.as_ref(),
            &x.mac_sec_keys,
            out,
        );
    }
    for l in &c.region.dx_lags.items {
        keys(
            c,
            ResourceKind::DxLags,
            &l.id,
            &l.name,
            l.owner_account.as_ref(),
            &l.mac_sec_keys,
            out,
        );
    }
}

/// DX-013: a key that is not `associated` (associating, disassociating, disassociated).
fn keys(
    c: &Ctx,
    kind: ResourceKind,
    id: &str,
    name: &str,
    owner: Option<&String>,
    keys: &[MacSecKey],
    out: &mut Vec<Finding>,
) {
    for (n, k) in keys.iter().enumerate().filter(|(_, k)| !k.associated()) {
        out.push(finding("DX-013", None,
            format!("MACsec key {} of {} is {}", n + 1, label(name, id), k.state),
            vec![c.res(kind, id, name, owner)],
            &[("macSecKeys[].state", k.state.clone()), ("macSecKeys[].startOn", k.start_on.clone().unwrap_or_default())],
            "A key that is not associated does not protect the port: associate it again (AssociateMacSecKey), or remove it once a new key has taken over."));
    }
}
