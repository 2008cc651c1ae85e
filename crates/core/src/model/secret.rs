//! BGP authentication keys never enter the model: [`Masked`] records only that a key is set.
//!
//! Keys are masked **by value**: at the SDK boundary every `authKey` of a VIF and of its BGP
//! peers is known, so each occurrence of those values is replaced wherever it appears (router
//! configuration, names, error text) before the VIF enters the model. Every key value seen is
//! also registered process-wide ([`register`]), and the log writer and error messages replace
//! registered values too ([`scrub_known`]). The patterns ([`mask_router_config`], [`scrub`])
//! stay as a second net for keys never seen as a value.

use serde::{Serialize, Serializer};
use std::collections::BTreeSet;
use std::sync::{LazyLock, RwLock};

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

/// A saved snapshot holds only the mask: read back, any value is a key that is set, and its
/// text is dropped here as at the SDK boundary.
impl<'de> serde::Deserialize<'de> for Masked {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| Masked)
    }
}

/// Every BGP key value seen at the SDK boundary this process, longest first when replacing.
static KNOWN: LazyLock<RwLock<BTreeSet<String>>> = LazyLock::new(|| RwLock::new(BTreeSet::new()));

/// At most this many key values are remembered (an estate has a few hundred VIFs at most).
const KNOWN_MAX: usize = 20_000;

/// Remembers a secret value so that [`scrub_known`] (the log writer, error messages) replaces
/// it wherever it appears: as is, and as it reads inside a JSON string, a `Debug` string, and
/// a JSON body printed with `Debug` (how the SDK logs a response body). Values shorter than
/// [`MIN_VALUE_LEN`] are ignored.
pub fn register(value: &str) {
    if value.chars().count() < MIN_VALUE_LEN {
        return;
    }
    if let Ok(r) = KNOWN.read()
        && r.contains(value)
    {
        return;
    }
    let inner = |quoted: String| quoted[1..quoted.len() - 1].to_string();
    let json = inner(serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}")));
    let forms = [
        value.to_string(),
        value.trim().to_string(),
        json.clone(),
        inner(format!("{value:?}")),
        inner(format!("{json:?}")),
    ];
    if let Ok(mut w) = KNOWN.write()
        && w.len() < KNOWN_MAX
    {
        for f in forms {
            if f.chars().count() >= MIN_VALUE_LEN {
                w.insert(f);
            }
        }
    }
}

/// Replaces every occurrence of each value in `values` (longest first) with [`MASK`].
pub fn mask_values<'a, I>(text: &str, values: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let mut vals: Vec<&str> = values
        .into_iter()
        .filter(|v| v.chars().count() >= MIN_VALUE_LEN)
        .collect();
    vals.sort_by_key(|v| std::cmp::Reverse(v.len()));
    vals.dedup();
    let mut out = text.to_string();
    for v in vals {
        if out.contains(v) {
            out = out.replace(v, MASK);
        }
    }
    out
}

/// Replaces every registered key value in `text` with [`MASK`].
pub fn scrub_known(text: &str) -> String {
    match KNOWN.read() {
        Ok(k) if !k.is_empty() => mask_values(text, k.iter().map(String::as_str)),
        _ => text.to_string(),
    }
}

/// Shorter values are not replaced by value: AWS requires BGP keys of 6–80 characters, and
/// replacing a one-letter "key" everywhere would garble every text (the patterns still apply).
pub const MIN_VALUE_LEN: usize = 4;

/// Key values quoted in raw text — BGP keys and MACsec's CKN and CAK: JSON (`"authKey":"…"`,
/// `"ckn":"…"`, plain or escaped once more inside a `Debug` string), Rust `Debug`
/// (`auth_key: Some("…")`) and `<bgp_auth_key>…</bgp_auth_key>`.
/// The log writer registers them before writing, so a response body logged before the SDK
/// parses it is masked by value too.
pub fn harvest(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    // BGP keys (authKey, auth_key) and MACsec's CKN and CAK (ckn, cak).
    let mut names: Vec<(usize, usize)> = ["authkey", "auth_key", "ckn", "cak"]
        .iter()
        .flat_map(|n| lower.match_indices(n).map(|(at, n)| (at, n.len())))
        .collect();
    names.sort_unstable();
    for (start, name_len) in names {
        // The field name's closing quote (escaped or not), then `:`.
        let mut i = start + name_len;
        while i < bytes.len() && matches!(bytes[i], b'\\' | b'"') {
            i += 1;
        }
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b':' {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if text[i..].starts_with("Some(") {
            i += 5;
        }
        // Backslashes before the opening quote give the escape level.
        let mut level = 0;
        while i < bytes.len() && bytes[i] == b'\\' {
            level += 1;
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b'"' {
            continue;
        }
        let vstart = i + 1;
        // The closing quote is preceded by exactly `level` backslashes.
        let mut j = vstart;
        let mut end = None;
        while j < bytes.len() {
            if bytes[j] == b'"' {
                let mut k = j;
                while k > vstart && bytes[k - 1] == b'\\' {
                    k -= 1;
                }
                if j - k == level {
                    end = Some(k);
                    break;
                }
            }
            j += 1;
        }
        let Some(vend) = end else { continue };
        let mut v = text[vstart..vend].to_string();
        for _ in 0..=level {
            v = unescape(&v);
        }
        if v.chars().count() >= MIN_VALUE_LEN && !out.contains(&v) {
            out.push(v);
        }
    }
    for c in XML_KEY.captures_iter(text) {
        let v = c[1].to_string();
        if v.chars().count() >= MIN_VALUE_LEN && v != MASK && !out.contains(&v) {
            out.push(v);
        }
    }
    out.retain(|v| v != MASK);
    out
}

/// One level of `\"` / `\\` escaping (JSON strings and Rust `Debug` strings alike).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

static XML_KEY: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"<(?:ipv6_)?bgp_auth_key>([^<]+)</").expect("static regex")
});

static ROUTER_KEY: LazyLock<regex::Regex> = LazyLock::new(|| {
    // <bgp_auth_key>…</bgp_auth_key>, <ipv6_bgp_auth_key>…</ipv6_bgp_auth_key>, and the
    // "authentication-key"/"authentication key"/"password" lines of vendor router configs.
    regex::Regex::new(
        r#"(?is)(<(ipv6_)?bgp_auth_key>).*?(</(ipv6_)?bgp_auth_key>)|((authentication-key|authentication key|neighbor\s+\S+\s+password|md5)\s*"?)[^\s";<]+"#,
    )
    .expect("static regex")
});

static JSON_KEY: LazyLock<regex::Regex> = LazyLock::new(|| {
    // authKey / bgpAuthKey / auth_key, and MACsec's ckn / cak, followed by `":"`, `\":\"`
    // (escaped JSON) or `=`.
    regex::Regex::new(r#"(?i)((?:(?:bgp_?)?auth_?key|ckn|cak)\\*"?\s*[:=]\s*\\*"?)[^"\\&\s,}]+"#)
        .expect("static regex")
});

/// Masks anything that may be a BGP key in free text (error messages that quote a raw
/// response, for instance), and bounds its length to `max` characters.
pub fn scrub(text: &str, max: usize) -> String {
    let masked = scrub_known(text);
    let masked = JSON_KEY.replace_all(&masked, |c: &regex::Captures| format!("{}{MASK}", &c[1]));
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

#[cfg(test)]
mod value_tests {
    use super::*;

    #[test]
    fn harvest_finds_keys_in_json_debug_and_escaped_bodies() {
        let key = r#"Zq7-md5 "pass<word>" key\x"#;
        let json = serde_json::json!({"authKey": key, "x": 1}).to_string();
        assert_eq!(harvest(&json), vec![key.to_string()], "{json}");
        let debug_of_json = format!("{:?}", json);
        assert!(
            harvest(&debug_of_json).contains(&key.to_string()),
            "{debug_of_json}"
        );
        let debug = format!("auth_key: Some({key:?}), bgp_status: Up");
        assert!(harvest(&debug).contains(&key.to_string()), "{debug}");
        assert!(harvest("<bgp_auth_key>abcdef</bgp_auth_key>").contains(&"abcdef".to_string()));
        assert!(harvest("authKey: short").is_empty());
        // MACsec: a CKN (and a CAK, should an answer ever carry one) in JSON and in Debug.
        let body = r#"{"macSecKeys":[{"ckn":"0123abcd0123abcd","state":"associated"}],"cak":"feedbeef99"}"#;
        let found = harvest(body);
        assert!(found.contains(&"0123abcd0123abcd".to_string()), "{found:?}");
        assert!(found.contains(&"feedbeef99".to_string()), "{found:?}");
        assert!(
            harvest(r#"MacSecKey { ckn: Some("0123abcd0123abcd") }"#)
                .contains(&"0123abcd0123abcd".to_string())
        );
        assert!(
            !scrub(body, 500).contains("0123abcd"),
            "{}",
            scrub(body, 500)
        );
    }

    #[test]
    fn values_are_masked_wherever_they_appear() {
        let out = mask_values(
            "! neighbor key Zq7-md5-T00r and again Zq7-md5-T00r",
            ["Zq7-md5-T00r"],
        );
        assert_eq!(out, "! neighbor key ******** and again ********");
        register("Reg1stered-Key");
        assert!(!scrub("error: bad Reg1stered-Key here", 100).contains("Reg1"));
    }
}
