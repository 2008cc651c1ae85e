//! The ends of a trace: what SRC and DST may be, and what they resolve to.

use super::*;

/// Checks the form of a trace end before anything is read: a VPC id (`vpc-` and hex), a TGW
/// attachment id (`tgw-attach-…`), a Resolver endpoint id (`rslvr-…`), an IP address or a CIDR.
/// The error names the end and what is accepted.
pub fn check_end(s: &str) -> Result<(), String> {
    let s = s.trim();
    let hex_id = |prefix: &str| {
        s.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        })
    };
    let ok = hex_id("vpc-")
        || hex_id("tgw-attach-")
        || hex_id("rslvr-in-")
        || hex_id("rslvr-out-")
        || hex_id("rslvr-")
        || parse_net(s).is_some();
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{s:?} is not a VPC id (vpc-…), TGW attachment id (tgw-attach-…), Resolver endpoint id (rslvr-…), IP address or CIDR"
        ))
    }
}

/// Resolves SRC or DST: a VPC id, a TGW attachment id (of a VPC), a Resolver endpoint id, an
/// address or a CIDR. An address outside every VPC is on-prem.
pub(super) fn resolve<'a>(ix: &Index<'a>, s: &str) -> Result<End<'a>, String> {
    let s = s.trim();
    let vpc_end = |vpc: At<'a, Vpc>| -> Result<End<'a>, String> {
        let net = vpc
            .cidrs
            .first()
            .and_then(|c| parse_net(c))
            .ok_or_else(|| format!("{} has no IPv4 CIDR that was read", vpc.id))?;
        Ok(End::Vpc { vpc, net })
    };
    if s.starts_with("vpc-") {
        let v = ix
            .vpcs
            .get(s)
            .copied()
            .ok_or_else(|| format!("no VPC {s} in what was read"))?;
        return vpc_end(v);
    }
    if s.starts_with("tgw-attach-") {
        let a = ix
            .attachment(s)
            .ok_or_else(|| format!("no TGW attachment {s} in what was read"))?;
        if a.resource_type != "vpc" {
            return Err(format!(
                "{s} is a {} attachment: trace to an on-prem address instead",
                a.resource_type
            ));
        }
        let v = ix
            .vpcs
            .get(a.resource_id.as_str())
            .copied()
            .ok_or_else(|| format!("the VPC of {s} ({}) was not read", a.resource_id))?;
        return vpc_end(v);
    }
    if s.starts_with("rslvr-") {
        let e = ix
            .endpoints
            .get(s)
            .copied()
            .ok_or_else(|| format!("no Resolver endpoint {s} in what was read"))?;
        let v = ix
            .vpcs
            .get(e.vpc_id.as_str())
            .copied()
            .ok_or_else(|| format!("the VPC of {s} ({}) was not read", e.vpc_id))?;
        return match e
            .ips
            .iter()
            .find_map(|i| i.ip.as_deref().and_then(parse_net))
        {
            Some(net) => Ok(End::Vpc { vpc: v, net }),
            None => vpc_end(v),
        };
    }
    let net = parse_net(s).ok_or_else(|| {
        format!(
            "{s:?} is not a VPC id, TGW attachment id, Resolver endpoint id, IP address or CIDR"
        )
    })?;
    Ok(match ix.vpc_containing(&net) {
        Some(vpc) => End::Vpc { vpc, net },
        None => End::OnPrem { net },
    })
}
