//! What a signed AWS request says about itself: the account (from the access key id), the
//! region and service (from the SigV4 credential scope), the operation (X-Amz-Target for the
//! JSON protocols, `Action=` for the query protocols, the path for REST ones), and a key of its
//! parameters.

use std::collections::BTreeMap;

/// One request as the server sees it.
#[derive(Debug)]
pub struct Call {
    pub access_key: String,
    pub region: String,
    pub service: String,
    pub action: String,
    /// The parameters, in a stable order, without the ones that change on every send
    /// (client tokens, the query protocol's `Version`), so a replay finds the recorded answer.
    pub key: String,
    /// The query protocol's form parameters (empty for JSON).
    pub form: BTreeMap<String, String>,
    /// The JSON body (Null for the query protocols).
    pub json: serde_json::Value,
}

impl Call {
    /// Reads the call from its headers, path and body; `None` when it is not a SigV4-signed
    /// request. A REST call (no X-Amz-Target, no `Action=`) is named by its path.
    pub fn parse(headers: &hyper::HeaderMap, path: &str, body: &[u8]) -> Option<Call> {
        let auth = headers.get("authorization")?.to_str().ok()?;
        let scope = auth.split("Credential=").nth(1)?.split(',').next()?;
        let mut parts = scope.split('/');
        let access_key = parts.next()?.to_string();
        let _date = parts.next()?;
        let region = parts.next()?.to_string();
        let service = parts.next()?.to_string();
        let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok());
        let (action, key, form, json) = match target {
            Some(t) => {
                let action = t.rsplit('.').next().unwrap_or(t).to_string();
                let mut json: serde_json::Value =
                    serde_json::from_slice(body).unwrap_or(serde_json::Value::Null);
                if let Some(o) = json.as_object_mut() {
                    o.remove("ClientToken");
                    o.remove("CreatorRequestId");
                }
                (action, json.to_string(), BTreeMap::new(), json)
            }
            None => {
                let form = form_params(body);
                let action = form
                    .get("Action")
                    .cloned()
                    .unwrap_or_else(|| path.to_string());
                let key = form
                    .iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "Version" | "ClientToken"))
                    .filter(|(k, _)| !k.starts_with("StartTime") && !k.starts_with("EndTime"))
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("&");
                (action, key, form, serde_json::Value::Null)
            }
        };
        Some(Call {
            access_key,
            region,
            service,
            action,
            key,
            form,
            json,
        })
    }
}

/// The parameters of an `application/x-www-form-urlencoded` body, decoded.
pub fn form_params(body: &[u8]) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Percent-decoding (and `+` as a space) of one form value.
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_values() {
        let f = form_params(b"Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&X=a+b");
        assert_eq!(f["Action"], "AssumeRole");
        assert_eq!(f["RoleArn"], "arn:aws:iam::1:role/R");
        assert_eq!(f["X"], "a b");
    }
}
