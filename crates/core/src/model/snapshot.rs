//! A saved `crossconnect snapshot --format json` read back into an [`Estate`], so `verify`
//! and `what-if` answer from it as from a poll (`--snapshot FILE`).
//!
//! What the snapshot did not read stays unread: a kind is read back as read only when its
//! scope's `read_at` names it, as failed when the snapshot's `errors` list it, and otherwise
//! not at all (so "unknown" stays unknown, never an empty list that looks healthy).

use serde_json::Value;

use super::*;

/// The estate a saved snapshot holds, and when the snapshot was taken (`generated_at`).
///
/// Errors (one line each): the text is not JSON, not a crossconnect snapshot, was written by a
/// crossconnect that did not say what it read (no `read_at`: take it again), or an item does
/// not have its kind's shape (naming the account, region, kind and serde's reason).
pub fn read(text: &str) -> Result<(Estate, Timestamp), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Some(regions) = v["regions"]
        .as_array()
        .filter(|_| v["tool"] == "crossconnect")
    else {
        return Err(
            "not a crossconnect snapshot (the JSON that `crossconnect snapshot --format json` writes)"
                .into(),
        );
    };
    let at = time(&v["generated_at"]).ok_or("generated_at is not an RFC 3339 time")?;
    let text_of = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let scopes: Vec<Scope> = regions
        .iter()
        .map(|r| Scope::new(&text_of(&r["account"]), &text_of(&r["region"])))
        .collect();
    let mut e = Estate::with_scopes(&scopes);
    e.accounts = v["scope"]["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| Account {
            id: text_of(&a["id"]),
            name: text_of(&a["name"]),
            via: text_of(&a["via"]),
            error: a["error"].as_str().map(str::to_string),
        })
        .collect();
    let errors = v["errors"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (r, scope) in regions.iter().zip(&scopes) {
        let label = format!("{} {}", scope.account, scope.region);
        if !r["read_at"].is_object() {
            return Err(format!(
                "{label}: the snapshot does not say what it read (no read_at; it was written by an older crossconnect): take it again"
            ));
        }
        for &k in ResourceKind::ALL {
            let area = k.area().key();
            let update = if let Some(err) = failed(errors, scope, k) {
                Update::err(&scope.region, k, at, err)
            } else if let Some(when) = time(&r["read_at"][area][k.key()]) {
                let items = r[area][k.key()].clone();
                let batch = Batch::from_json(k, items)
                    .map_err(|e| format!("{label}: {} ({area}.{}): {e}", k.label(), k.key()))?;
                Update::ok(&scope.region, when, batch)
            } else {
                continue;
            };
            e.apply(Update {
                account: scope.account.clone(),
                ..update
            });
        }
    }
    Ok((e, at))
}

fn time(v: &Value) -> Option<Timestamp> {
    let t = DateTime::parse_from_rfc3339(v.as_str()?).ok()?;
    Some(t.with_timezone(&Utc))
}

/// The failed read of one kind in one scope, as the snapshot's `errors` list it.
fn failed(errors: &[Value], scope: &Scope, k: ResourceKind) -> Option<ApiError> {
    let area = k.area().key();
    let err = errors.iter().find(|x| {
        x["account"] == scope.account.as_str()
            && x["region"] == scope.region.as_str()
            && x["area"] == area
            && x["resource_kind"] == k.key()
    })?;
    serde_json::from_value(err.clone()).ok()
}
