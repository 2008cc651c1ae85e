//! The answers that make one recorded account an organisation of N: Organizations
//! ListAccounts (20 a page, as AWS pages it), sts AssumeRole (credentials whose access key id
//! names the account) and GetCallerIdentity (the account of the access key id); and the
//! throttling answers of each protocol.

use crate::request::Call;
use crate::tape::Answer;

/// The access key id prefix of credentials this server hands out; the account id follows.
const KEY_PREFIX: &str = "ASIAREPLAY";

/// The organisation: the recorded (management) account first, then the members.
pub struct Org {
    pub management: String,
    pub size: usize,
}

impl Org {
    /// The account id of member `i` (0 is the management account).
    pub fn account(&self, i: usize) -> String {
        if i == 0 {
            self.management.clone()
        } else {
            format!("{:012}", 200_000_000_000u64 + i as u64)
        }
    }

    /// The account a request's access key id belongs to: one this server handed out, else the
    /// management account's (the caller's own keys).
    pub fn account_of(&self, access_key: &str) -> String {
        match access_key.strip_prefix(KEY_PREFIX) {
            Some(id) if id.len() == 12 => id.to_string(),
            _ => self.management.clone(),
        }
    }

    /// The synthesized answer to an identity or organisation call, if this is one.
    pub fn answer(&self, call: &Call, account: &str) -> Option<Answer> {
        match (call.service.as_str(), call.action.as_str()) {
            ("sts", "GetCallerIdentity") => Some(xml(format!(
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::{account}:user/replay</Arn><UserId>AIDAREPLAY</UserId><Account>{account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>replay</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
            ))),
            ("sts", "AssumeRole") => {
                let arn = call.form.get("RoleArn").cloned().unwrap_or_default();
                let target = arn.split(':').nth(4).unwrap_or_default().to_string();
                let role = arn.rsplit('/').next().unwrap_or_default();
                Some(xml(format!(
                    "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult><Credentials><AccessKeyId>{KEY_PREFIX}{target}</AccessKeyId><SecretAccessKey>replay</SecretAccessKey><SessionToken>replay-session</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAREPLAY:crossconnect</AssumedRoleId><Arn>arn:aws:sts::{target}:assumed-role/{role}/crossconnect</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>replay</RequestId></ResponseMetadata></AssumeRoleResponse>"
                )))
            }
            ("organizations", "ListAccounts") => Some(self.list_accounts(call)),
            _ => None,
        }
    }

    /// One page of ListAccounts: at most 20 accounts (AWS's maximum), NextToken the index of
    /// the next.
    fn list_accounts(&self, call: &Call) -> Answer {
        let from: usize = call.json["NextToken"]
            .as_str()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let max = call.json["MaxResults"].as_u64().unwrap_or(20).clamp(1, 20) as usize;
        let to = (from + max).min(self.size);
        let accounts: Vec<serde_json::Value> = (from..to)
            .map(|i| {
                let id = self.account(i);
                serde_json::json!({
                    "Id": id,
                    "Arn": format!("arn:aws:organizations::{}:account/o-replay/{id}", self.management),
                    "Email": format!("member-{i}@example.com"),
                    "Name": if i == 0 { "management".to_string() } else { format!("member-{i}") },
                    "Status": "ACTIVE",
                    "State": "ACTIVE",
                    "JoinedMethod": "CREATED",
                    "JoinedTimestamp": 1.7e9,
                })
            })
            .collect();
        let mut page = serde_json::json!({ "Accounts": accounts });
        if to < self.size {
            page["NextToken"] = to.to_string().into();
        }
        Answer {
            status: 200,
            content_type: "application/x-amz-json-1.1".into(),
            body: page.to_string(),
        }
    }
}

fn xml(body: String) -> Answer {
    Answer {
        status: 200,
        content_type: "text/xml".into(),
        body,
    }
}

/// The answer AWS gives past a rate limit, in the service's protocol: EC2's
/// `RequestLimitExceeded` (503), CloudWatch's `Throttling` (400, query XML), and the JSON
/// services' `ThrottlingException` (400).
pub fn throttled(service: &str) -> Answer {
    match service {
        "ec2" => Answer {
            status: 503,
            content_type: "text/xml".into(),
            body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>replay</RequestID></Response>".into(),
        },
        "monitoring" | "sts" => Answer {
            status: 400,
            content_type: "text/xml".into(),
            body: "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>replay</RequestId></ErrorResponse>".into(),
        },
        _ => Answer {
            status: 400,
            content_type: "application/x-amz-json-1.1".into(),
            body: "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}".into(),
        },
    }
}
