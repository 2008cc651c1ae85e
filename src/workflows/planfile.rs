//! A plan to approve: `--plan-out FILE` writes the confirmed plan (the call, its masked
//! parameters, the impact expected, the target as it was read, the model revision) instead of
//! sending it; `crossconnect apply FILE` reads the target again, refuses (naming what changed)
//! when it is not as it was, and otherwise sends the call once. A secret (a BGP key) is never
//! written: a plan holding one cannot be written to a file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Call, Intent, MASK, Plan, Target, WorkflowKind, describe_target};
use crate::model::{Estate, ResourceKind};

/// The file's version.
pub const VERSION: u32 = 1;

/// What `--plan-out` writes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanFile {
    pub version: u32,
    /// RFC 3339 time it was written.
    pub created_at: String,
    /// The workflow's `:command` name (`add-route`).
    pub workflow: String,
    pub account: Option<String>,
    pub region: String,
    /// `service:Operation`, for the reviewer.
    pub operation: String,
    /// The parameters as the plan showed them (secrets masked).
    pub parameters: BTreeMap<String, String>,
    /// What will be sent.
    pub call: Call,
    pub intent: Intent,
    pub destructive: bool,
    pub confirm_with: String,
    /// What the plan said the change would break or degrade, and other heads-ups.
    pub expected_impact: Vec<String>,
    /// The resource the change acts on (`area/kind`, id), and its state as read then.
    pub target_kind: Option<String>,
    pub target_id: Option<String>,
    pub target_state: Option<serde_json::Value>,
    /// The model revision the plan was computed on.
    pub model_revision: u64,
}

/// The target's state as read now (the model's JSON of it).
fn state(
    e: &Estate,
    account: &str,
    region: &str,
    kind: ResourceKind,
    id: &str,
) -> Option<serde_json::Value> {
    e.region_of(account, region)
        .or_else(|| e.region(region))
        .and_then(|r| r.item_json(kind, id))
}

/// The state of a plan's target as read in `e` (what `apply` compares against).
pub fn target_state(e: &Estate, target: &Target) -> Option<serde_json::Value> {
    target
        .resource
        .as_ref()
        .and_then(|(k, id)| state(e, &target.account, &target.region, *k, id))
}

/// Writes `plan` (on `target`, whose state was `target_state` at model revision `revision`) to
/// `path`. Refused for a call holding a secret.
pub fn write(
    path: &Path,
    plan: &Plan,
    target: &Target,
    target_state: Option<serde_json::Value>,
    revision: u64,
) -> Result<(), String> {
    let body = serde_json::to_value(&plan.call).map_err(|x| x.to_string())?;
    if body.to_string().contains(MASK) {
        return Err(
            "this plan holds a secret (a BGP key), which is never written to a file: leave the key empty for AWS to generate one, or send it from the console".into(),
        );
    }
    let file = PlanFile {
        version: VERSION,
        created_at: chrono::Utc::now().to_rfc3339(),
        workflow: plan.workflow.command().to_string(),
        account: plan.account.clone(),
        region: plan.region.clone(),
        operation: format!("{}:{}", plan.service(), plan.operation()),
        parameters: plan.params().iter().cloned().collect(),
        call: plan.call.clone(),
        intent: plan.intent.clone(),
        destructive: plan.destructive,
        confirm_with: plan.confirm_with.clone(),
        expected_impact: plan.warnings.clone(),
        target_kind: target
            .resource
            .as_ref()
            .map(|(k, _)| crate::history::kind_key(*k)),
        target_id: target.resource.as_ref().map(|(_, id)| id.clone()),
        target_state,
        model_revision: revision,
    };
    let text = serde_json::to_string_pretty(&file).map_err(|x| x.to_string())?;
    std::fs::write(path, text)
        .map_err(|x| format!("cannot write the plan to {}: {x}", path.display()))
}

/// Reads a plan file, naming the file and what is wrong with it.
pub fn read(path: &Path) -> Result<PlanFile, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("plan {}: cannot read it: {e}", path.display()))?;
    let file: PlanFile = serde_json::from_str(&text)
        .map_err(|e| format!("plan {}: not a crossconnect plan: {e}", path.display()))?;
    if file.version != VERSION {
        return Err(format!(
            "plan {}: version {} (this crossconnect reads version {VERSION})",
            path.display(),
            file.version
        ));
    }
    Ok(file)
}

impl PlanFile {
    /// The target now, as `Target` (for the plan's description).
    pub fn target(&self) -> Target {
        Target {
            account: self.account.clone().unwrap_or_default(),
            region: self.region.clone(),
            resource: self
                .target_kind
                .as_deref()
                .and_then(crate::history::kind_of_key)
                .and_then(crate::history::EventKind::resource)
                .zip(self.target_id.clone()),
            caller_account: None,
        }
    }

    /// What changed in the target since the plan was made: one line per field (`state:
    /// available → down`), or that it is gone; empty when it is as it was.
    pub fn changed(&self, e: &Estate) -> Vec<String> {
        let (Some(kind), Some(id)) = (
            self.target_kind
                .as_deref()
                .and_then(crate::history::kind_of_key)
                .and_then(crate::history::EventKind::resource),
            &self.target_id,
        ) else {
            return vec![];
        };
        let now = state(
            e,
            self.account.as_deref().unwrap_or(""),
            &self.region,
            kind,
            id,
        );
        match (&self.target_state, now) {
            (Some(_), None) => vec![format!("{id} is gone")],
            (Some(serde_json::Value::Object(then)), Some(serde_json::Value::Object(now))) => {
                let keys: std::collections::BTreeSet<&String> =
                    then.keys().chain(now.keys()).collect();
                keys.into_iter()
                    // The account it was read in is where it was read, not its state.
                    .filter(|k| k.as_str() != "account")
                    .filter(|k| then.get(*k) != now.get(*k))
                    .map(|k| {
                        let show = |v: Option<&serde_json::Value>| {
                            v.map(|v| match v {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            })
                            .unwrap_or_else(|| "-".into())
                        };
                        format!("{id} {k}: {} → {}", show(then.get(k)), show(now.get(k)))
                    })
                    .collect()
            }
            (then, now) if *then != now => vec![format!("{id} changed")],
            _ => vec![],
        }
    }

    /// The plan to send, rebuilt from the call (its parameters, service and operation derive
    /// from it, as in the console).
    pub fn plan(&self, e: &Estate) -> Result<Plan, String> {
        let workflow = WorkflowKind::ALL
            .into_iter()
            .find(|k| k.command() == self.workflow)
            .ok_or_else(|| format!("unknown workflow {:?}", self.workflow))?;
        Ok(Plan {
            workflow,
            region: self.region.clone(),
            destructive: self.destructive,
            confirm_with: self.confirm_with.clone(),
            call: self.call.clone(),
            intent: self.intent.clone(),
            account: self.account.clone(),
            warnings: vec![],
            target: describe_target(e, &self.target()),
        })
    }
}
