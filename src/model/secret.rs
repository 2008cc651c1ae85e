//! BGP authentication keys never enter the model: [`Masked`] records only that a key is set.

use serde::{Serialize, Serializer};
use std::sync::LazyLock;

/// What every screen, export and log shows in place of a secret.
pub const MASK: &str = "********";

/// A secret whose value was dropped at the SDK boundary; only its presence is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Masked;

impl Masked {
    /// `Some(Masked)` when the API returned a non-empty secret.
    pub fn from_option(value: Option<&str>) -> Option<Masked> {
        value.filter(|v| !v.is_empty()).map(|_| Masked)
    }
}

impl std::fmt::Display for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(MASK)
    }
}

impl Serialize for Masked {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(MASK)
    }
}

static ROUTER_KEY: LazyLock<regex::Regex> = LazyLock::new(|| {
    // <bgp_auth_key>…</bgp_auth_key>, <ipv6_bgp_auth_key>…</ipv6_bgp_auth_key>, and the
    // "authentication-key"/"authentication key"/"password" lines of vendor router configs.
    regex::Regex::new(
        r#"(?is)(<(ipv6_)?bgp_auth_key>).*?(</(ipv6_)?bgp_auth_key>)|((authentication-key|authentication key|neighbor\s+\S+\s+password|md5)\s*"?)[^\s";<]+"#,
    )
    .expect("static regex")
});

static JSON_KEY: LazyLock<regex::Regex> = LazyLock::new(|| {
    // authKey / bgpAuthKey / auth_key followed by `":"`, `\":\"` (escaped JSON) or `=`.
    regex::Regex::new(r#"(?i)((?:bgp_?)?auth_?key\\*"?\s*[:=]\s*\\*"?)[^"\\&\s,}]+"#)
        .expect("static regex")
});

/// Masks anything that may be a BGP key in free text (error messages that quote a raw
/// response, for instance), and bounds its length to `max` characters.
pub fn scrub(text: &str, max: usize) -> String {
    let masked = JSON_KEY.replace_all(text, |c: &regex::Captures| format!("{}{MASK}", &c[1]));
    let masked = mask_router_config(&masked);
    if masked.chars().count() > max {
        let cut: String = masked.chars().take(max).collect();
        format!("{cut}…")
    } else {
        masked
    }
}

/// Masks every BGP key inside a `customerRouterConfig` document (DescribeVirtualInterfaces).
pub fn mask_router_config(config: &str) -> String {
    ROUTER_KEY
        .replace_all(config, |c: &regex::Captures| {
            if let (Some(open), Some(close)) = (c.get(1), c.get(3)) {
                format!("{}{MASK}{}", open.as_str(), close.as_str())
            } else {
                format!("{}{MASK}", c.get(5).map_or("", |m| m.as_str()))
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn router_config_keys_are_masked() {
        let xml = "<customer_router_config><bgp_auth_key>0xSECRET1</bgp_auth_key>\
                   <ipv6_bgp_auth_key>SECRET2</ipv6_bgp_auth_key><asn>65000</asn></customer_router_config>";
        let out = mask_router_config(xml);
        assert!(!out.contains("SECRET"), "{out}");
        assert!(out.contains("<bgp_auth_key>********</bgp_auth_key>"));
        assert!(out.contains("<asn>65000</asn>"));
        let cisco = "neighbor 169.254.255.1 password SECRET3\nauthentication-key \"SECRET4\";";
        let out = mask_router_config(cisco);
        assert!(!out.contains("SECRET"), "{out}");
    }

    #[test]
    fn scrub_masks_keys_in_raw_bodies_and_bounds_length() {
        let raw = r#"body: b"{\"virtualInterfaces\":[{\"authKey\":\"SECRET9\",\"vlan\":\"x\"}]}" authKey=SECRET8&x=1 {"authKey": "SECRET7"}"#;
        let out = scrub(raw, 1000);
        assert!(!out.contains("SECRET"), "{out}");
        assert_eq!(scrub(&"a".repeat(50), 10).chars().count(), 11);
    }

    #[test]
    fn masked_serializes_as_mask() {
        assert_eq!(serde_json::to_string(&Masked).unwrap(), "\"********\"");
        assert_eq!(Masked::from_option(Some("")), None);
        assert_eq!(Masked::from_option(Some("k")), Some(Masked));
    }
}
