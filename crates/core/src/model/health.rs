//! How a state string reads to an operator: healthy, in transition, or broken.

/// The health class of an AWS state or status value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Health {
    /// Working as intended (`available`, `active`, `up`, `OPERATIONAL`).
    Good,
    /// In transition or waiting on someone (`pending`, `ordering`, `pending-acceptance`).
    Pending,
    /// Broken or gone (`down`, `failed`, `blackhole`, `ACTION_NEEDED`).
    Bad,
    /// No health meaning (types, configuration values).
    Neutral,
    /// Could not be read, or the data is stale: never shown as healthy.
    Unknown,
}

/// Classifies a state as AWS spells it, case-insensitively.
pub fn classify(state: &str) -> Health {
    match state.to_ascii_lowercase().as_str() {
        "available" | "active" | "up" | "operational" | "attached" | "associated" | "enabled"
        | "complete" | "in_sync" | "succeeded" | "created" => Health::Good,
        "down" | "failed" | "failing" | "rejected" | "rejecting" | "blackhole" | "expired"
        | "deleted" | "action_needed" | "failed_creation" | "failed_deletion" | "deleting"
        | "detached" | "disassociated" | "deleted_by_owner" => Health::Bad,
        "pending" | "pending-acceptance" | "pendingacceptance" | "initiating"
        | "initiating-request" | "initiatingrequest" | "provisioning" | "ordering"
        | "requested" | "confirming" | "verifying" | "testing" | "creating" | "updating"
        | "auto_recovering" | "modifying" | "associating" | "disassociating" | "attaching"
        | "detaching" | "rollingback" | "enabling" | "disabling" | "unknown" => Health::Pending,
        _ => Health::Neutral,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_aws_spellings() {
        for (s, h) in [
            ("available", Health::Good),
            ("OPERATIONAL", Health::Good),
            // A Resolver query logging configuration that is ready.
            ("CREATED", Health::Good),
            ("down", Health::Bad),
            ("blackhole", Health::Bad),
            ("pending-acceptance", Health::Pending),
            ("pendingAcceptance", Health::Pending),
            ("ordering", Health::Pending),
            ("ACTION_NEEDED", Health::Bad),
            ("transit", Health::Neutral),
        ] {
            assert_eq!(classify(s), h, "{s}");
        }
    }
}
