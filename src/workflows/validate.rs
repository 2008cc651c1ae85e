//! Validators for workflow forms. Each checks one field and names it in its error, so
//! nothing is sent until every field is valid.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net};

/// An invalid form field: which one and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

pub type Checked<T> = Result<T, FieldError>;

fn err<T>(field: &str, message: impl Into<String>) -> Checked<T> {
    Err(FieldError {
        field: field.to_string(),
        message: message.into(),
    })
}

/// A CIDR block such as `10.0.0.0/16` (IPv4 or IPv6), written in its canonical form.
pub fn cidr(field: &str, v: &str) -> Checked<IpNet> {
    let v = v.trim();
    // `10.051.0.0/16`: a leading zero is read as decimal by some tools and octal by others;
    // AWS refuses it. Never normalise it silently.
    let addr = v.split('/').next().unwrap_or_default();
    if addr.contains('.') && addr.split('.').any(|o| o.len() > 1 && o.starts_with('0')) {
        return err(
            field,
            format!("'{v}' has an octet with a leading zero: write it without (AWS refuses it)"),
        );
    }
    let net: IpNet = match v.parse() {
        Ok(n) => n,
        Err(_) => {
            return err(
                field,
                format!("'{v}' is not a CIDR block (e.g. 10.0.0.0/16)"),
            );
        }
    };
    if net.trunc() != net {
        return err(
            field,
            format!("'{v}' has host bits set; did you mean {}?", net.trunc()),
        );
    }
    Ok(net)
}

/// An IPv4 address.
pub fn ipv4(field: &str, v: &str) -> Checked<Ipv4Addr> {
    v.trim()
        .parse()
        .or_else(|_| err(field, format!("'{}' is not an IPv4 address", v.trim())))
}

/// An IP address inside a subnet's CIDR (and not its network or broadcast address, nor one
/// of the four addresses AWS reserves at the start of a subnet).
pub fn ip_in_subnet(field: &str, ip: &str, subnet_id: &str, subnet_cidr: &str) -> Checked<IpAddr> {
    let addr: IpAddr = match ip.trim().parse() {
        Ok(a) => a,
        Err(_) => return err(field, format!("'{}' is not an IP address", ip.trim())),
    };
    let net: IpNet = match subnet_cidr.parse() {
        Ok(n) => n,
        Err(_) => {
            return err(
                field,
                format!("subnet {subnet_id} has no usable CIDR ('{subnet_cidr}')"),
            );
        }
    };
    if !net.contains(&addr) {
        return err(
            field,
            format!("{addr} is outside subnet {subnet_id} ({net})"),
        );
    }
    if let (IpAddr::V4(a), IpNet::V4(n)) = (addr, net) {
        let offset = u32::from(a) - u32::from(n.network());
        if offset < 4 || a == n.broadcast() {
            return err(
                field,
                format!(
                    "{addr} is reserved by AWS in subnet {subnet_id} (first four and last address)"
                ),
            );
        }
    }
    Ok(addr)
}

/// A BGP MD5 authentication key as AWS accepts it: empty (AWS generates one) or 6 to 80
/// characters without spaces.
pub fn bgp_auth_key(field: &str, v: &str) -> Checked<()> {
    let n = v.chars().count();
    if v.is_empty() {
        return Ok(());
    }
    if !(6..=80).contains(&n) || v.chars().any(char::is_whitespace) {
        return err(
            field,
            format!(
                "a BGP key is 6 to 80 characters without spaces (this one has {n}); leave it empty for AWS to generate one"
            ),
        );
    }
    Ok(())
}

/// An 802.1Q VLAN id, 1–4094.
pub fn vlan(field: &str, v: &str) -> Checked<i32> {
    match v.trim().parse::<i64>() {
        Ok(n) if (1..=4094).contains(&n) => Ok(n as i32),
        Ok(n) => err(field, format!("VLAN {n} is out of range (1–4094)")),
        Err(_) => err(
            field,
            format!("'{}' is not a VLAN number (1–4094)", v.trim()),
        ),
    }
}

/// A customer-side BGP ASN: 1–4294967294, not 23456 (AS_TRANS) nor 65535.
pub fn asn(field: &str, v: &str) -> Checked<i64> {
    match v.trim().parse::<i64>() {
        Ok(23456) | Ok(65535) => err(field, "ASN 23456 and 65535 are reserved"),
        Ok(n) if (1..=4_294_967_294).contains(&n) => Ok(n),
        Ok(n) => err(field, format!("ASN {n} is out of range (1–4294967294)")),
        Err(_) => err(field, format!("'{}' is not an ASN", v.trim())),
    }
}

/// A BGP peer address pair for a VIF: both `/30` or `/31` in 169.254.0.0/16, in the same
/// subnet, distinct, usable hosts. Empty pair: AWS assigns the addresses.
pub fn bgp_peer_pair(
    amazon_field: &str,
    amazon: &str,
    customer_field: &str,
    customer: &str,
) -> Checked<Option<(Ipv4Net, Ipv4Net)>> {
    let (a, c) = (amazon.trim(), customer.trim());
    if a.is_empty() && c.is_empty() {
        return Ok(None);
    }
    let link_local: Ipv4Net = "169.254.0.0/16".parse().expect("static");
    let one = |field: &str, v: &str| -> Checked<Ipv4Net> {
        let n: Ipv4Net = match v.parse() {
            Ok(n) => n,
            Err(_) => {
                return err(
                    field,
                    format!("'{v}' is not an address with prefix, e.g. 169.254.10.1/30"),
                );
            }
        };
        if !matches!(n.prefix_len(), 30 | 31) {
            return err(field, format!("{n} must be a /30 or /31"));
        }
        if !link_local.contains(&n.addr()) {
            return err(field, format!("{n} must be in 169.254.0.0/16"));
        }
        if n.prefix_len() == 30 && (n.addr() == n.network() || n.addr() == n.broadcast()) {
            return err(
                field,
                format!(
                    "{} is the network or broadcast address of {}",
                    n.addr(),
                    n.trunc()
                ),
            );
        }
        Ok(n)
    };
    let (an, cn) = (one(amazon_field, a)?, one(customer_field, c)?);
    if an.trunc() != cn.trunc() {
        return err(
            customer_field,
            format!("{cn} is not in the same subnet as {an}"),
        );
    }
    if an.addr() == cn.addr() {
        return err(
            customer_field,
            "the customer and Amazon addresses must differ",
        );
    }
    Ok(Some((an, cn)))
}

/// An MTU AWS accepts for the VIF type: private 1500 or 9001, transit 1500 or 8500, public 1500.
pub fn mtu(field: &str, vif_type: &str, v: &str) -> Checked<i32> {
    let allowed: &[i32] = match vif_type {
        "private" => &[1500, 9001],
        "transit" => &[1500, 8500],
        _ => &[1500],
    };
    match v.trim().parse::<i32>() {
        Ok(n) if allowed.contains(&n) => Ok(n),
        _ => err(
            field,
            format!(
                "MTU for a {vif_type} VIF must be one of {}",
                allowed
                    .iter()
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    }
}

/// A resource name: 1–64 characters, no control characters, no leading/trailing spaces.
pub fn name(field: &str, v: &str) -> Checked<String> {
    let len = v.chars().count();
    if len == 0 {
        return err(field, "a name is required");
    }
    if len > 64 {
        return err(field, format!("{len} characters; at most 64"));
    }
    if v.trim() != v || v.chars().any(char::is_control) {
        return err(field, "no leading or trailing spaces or control characters");
    }
    Ok(v.to_string())
}

/// A Route 53 Resolver endpoint or rule name as AWS accepts it: 1–64 characters of letters,
/// digits, `-`, `_` and spaces, not only digits.
pub fn resolver_name(field: &str, v: &str) -> Checked<String> {
    let n = name(field, v)?;
    if let Some(c) = n
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ')))
    {
        return err(
            field,
            format!("{c:?} is not allowed: letters, digits, -, _ and spaces only"),
        );
    }
    if n.chars().all(|c| c.is_ascii_digit()) {
        return err(field, "a name cannot be only digits");
    }
    Ok(n)
}

/// A DNS domain name like `corp.example.com` (a trailing dot is accepted).
pub fn domain(field: &str, v: &str) -> Checked<String> {
    let d = v.trim().trim_end_matches('.');
    let ok = !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    if ok {
        Ok(d.to_string())
    } else {
        err(field, format!("'{}' is not a domain name", v.trim()))
    }
}

/// Target DNS servers: `ip[:port]`, comma separated, 1–6 of them.
pub fn targets(field: &str, v: &str) -> Checked<Vec<(Ipv4Addr, i32)>> {
    let items: Vec<&str> = v
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if items.is_empty() || items.len() > 6 {
        return err(
            field,
            "give 1 to 6 target IPs as ip[:port], comma separated",
        );
    }
    items
        .iter()
        .map(|t| {
            let (ip, port) = t.split_once(':').unwrap_or((t, "53"));
            let ip = ipv4(field, ip)?;
            match port.parse::<i32>() {
                Ok(p) if (1..=65535).contains(&p) => Ok((ip, p)),
                _ => err(field, format!("'{port}' is not a port (1–65535)")),
            }
        })
        .collect()
}

/// Security group ids, comma separated, at least one.
pub fn security_groups(field: &str, v: &str) -> Checked<Vec<String>> {
    let ids: Vec<String> = v
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if ids.is_empty() {
        return err(field, "at least one security group id (sg-…) is required");
    }
    if let Some(bad) = ids.iter().find(|s| !s.starts_with("sg-") || s.len() < 4) {
        return err(field, format!("'{bad}' is not a security group id (sg-…)"));
    }
    Ok(ids)
}

/// A number within bounds.
pub fn number(field: &str, v: &str, min: i64, max: i64) -> Checked<i64> {
    match v.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => err(
            field,
            format!("'{}' must be a whole number from {min} to {max}", v.trim()),
        ),
    }
}

/// A count of endpoint IP addresses: 2–6.
pub fn endpoint_ip_count(field: &str, n: usize) -> Checked<()> {
    if (2..=6).contains(&n) {
        Ok(())
    } else {
        err(
            field,
            format!("{n} IP address(es) given; a Resolver endpoint needs 2 to 6"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators_accept_good_and_name_the_field_on_bad_input() {
        type Case = (&'static str, fn() -> Result<(), FieldError>, bool);
        let ok = |r: Result<(), FieldError>| r.is_ok();
        let cases: Vec<Case> = vec![
            (
                "cidr ok",
                || cidr("Destination", "10.0.0.0/16").map(|_| ()),
                true,
            ),
            (
                "cidr host bits",
                || cidr("Destination", "10.0.0.1/16").map(|_| ()),
                false,
            ),
            (
                "cidr garbage",
                || cidr("Destination", "10.0.0/33").map(|_| ()),
                false,
            ),
            (
                "ip in subnet",
                || ip_in_subnet("IP 1", "10.0.1.10", "subnet-a", "10.0.1.0/24").map(|_| ()),
                true,
            ),
            (
                "ip outside subnet",
                || ip_in_subnet("IP 1", "10.0.2.10", "subnet-a", "10.0.1.0/24").map(|_| ()),
                false,
            ),
            (
                "ip reserved",
                || ip_in_subnet("IP 1", "10.0.1.2", "subnet-a", "10.0.1.0/24").map(|_| ()),
                false,
            ),
            ("vlan ok", || vlan("VLAN", "4094").map(|_| ()), true),
            ("vlan 0", || vlan("VLAN", "0").map(|_| ()), false),
            ("vlan 5000", || vlan("VLAN", "5000").map(|_| ()), false),
            ("asn private", || asn("ASN", "65010").map(|_| ()), true),
            ("asn 4-byte", || asn("ASN", "4200000100").map(|_| ()), true),
            ("asn reserved", || asn("ASN", "23456").map(|_| ()), false),
            (
                "asn too big",
                || asn("ASN", "4294967295").map(|_| ()),
                false,
            ),
            (
                "peer /30",
                || {
                    bgp_peer_pair(
                        "Amazon address",
                        "169.254.10.1/30",
                        "Customer address",
                        "169.254.10.2/30",
                    )
                    .map(|_| ())
                },
                true,
            ),
            (
                "peer /31",
                || {
                    bgp_peer_pair(
                        "Amazon address",
                        "169.254.10.0/31",
                        "Customer address",
                        "169.254.10.1/31",
                    )
                    .map(|_| ())
                },
                true,
            ),
            (
                "peer auto",
                || bgp_peer_pair("Amazon address", "", "Customer address", "").map(|_| ()),
                true,
            ),
            (
                "peer /29",
                || {
                    bgp_peer_pair(
                        "Amazon address",
                        "169.254.10.1/29",
                        "Customer address",
                        "169.254.10.2/29",
                    )
                    .map(|_| ())
                },
                false,
            ),
            (
                "peer not link-local",
                || {
                    bgp_peer_pair(
                        "Amazon address",
                        "10.0.0.1/30",
                        "Customer address",
                        "10.0.0.2/30",
                    )
                    .map(|_| ())
                },
                false,
            ),
            (
                "peer other subnet",
                || {
                    bgp_peer_pair(
                        "Amazon address",
                        "169.254.10.1/30",
                        "Customer address",
                        "169.254.10.6/30",
                    )
                    .map(|_| ())
                },
                false,
            ),
            (
                "peer broadcast",
                || {
                    bgp_peer_pair(
                        "Amazon address",
                        "169.254.10.1/30",
                        "Customer address",
                        "169.254.10.3/30",
                    )
                    .map(|_| ())
                },
                false,
            ),
            (
                "mtu transit 8500",
                || mtu("MTU", "transit", "8500").map(|_| ()),
                true,
            ),
            (
                "mtu transit 9001",
                || mtu("MTU", "transit", "9001").map(|_| ()),
                false,
            ),
            (
                "mtu private 9001",
                || mtu("MTU", "private", "9001").map(|_| ()),
                true,
            ),
            ("name ok", || name("Name", "corp-inbound").map(|_| ()), true),
            ("name empty", || name("Name", "").map(|_| ()), false),
            ("name spaces", || name("Name", " x").map(|_| ()), false),
            (
                "domain ok",
                || domain("Domain", "corp.example.com.").map(|_| ()),
                true,
            ),
            (
                "domain bad",
                || domain("Domain", "corp..example").map(|_| ()),
                false,
            ),
            (
                "targets ok",
                || targets("Target IPs", "10.0.0.2, 10.0.0.3:5353").map(|_| ()),
                true,
            ),
            (
                "targets bad port",
                || targets("Target IPs", "10.0.0.2:70000").map(|_| ()),
                false,
            ),
            (
                "sg ok",
                || security_groups("Security groups", "sg-0a1,sg-0b2").map(|_| ()),
                true,
            ),
            (
                "sg bad",
                || security_groups("Security groups", "default").map(|_| ()),
                false,
            ),
            (
                "one endpoint ip",
                || endpoint_ip_count("IP addresses", 1),
                false,
            ),
            (
                "two endpoint ips",
                || endpoint_ip_count("IP addresses", 2),
                true,
            ),
            (
                "priority",
                || number("Priority", "99", 100, 9900).map(|_| ()),
                false,
            ),
        ];
        for (what, f, expect) in cases {
            let r = f();
            assert_eq!(ok(r.clone()), expect, "{what}: {r:?}");
            if let Err(e) = r {
                assert!(!e.field.is_empty() && !e.message.is_empty(), "{what}");
            }
        }
        let e = vlan("VLAN", "5000").unwrap_err();
        assert_eq!(e.to_string(), "VLAN: VLAN 5000 is out of range (1–4094)");
        let e = ip_in_subnet("IP 2", "10.9.9.9", "subnet-0abc", "10.0.1.0/24").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("IP 2: 10.9.9.9 is outside subnet subnet-0abc")
        );
    }
}
