//! Changes as data: the typed request a plan sends. Each family (Direct Connect, VPC peering,
//! Transit Gateway, Resolver, DNS Firewall) is one module whose call type says, per variant,
//! the AWS service and operation, the parameters as AWS names them (secrets masked), the
//! idempotency token it carries, whether the service takes `DryRun`, what a success leaves
//! to undo, and which tables show it applied. A plan, the journal and the executor (in the
//! AWS crate) all derive from the call; adding a family is a module here with its line in
//! `families!`, and its sender in the AWS crate (`aws::exec`).

pub mod dx;
pub mod firewall;
pub mod peering;
pub mod resolver;
pub mod tgw;

use crate::graph::whatif::Change;
use crate::model::secret::MASK;
use crate::model::{RegionEstate, ResourceKind};

pub use dx::{DxCall, NewVif};
pub use firewall::FirewallCall;
pub use peering::PeeringCall;
pub use resolver::ResolverCall;
pub use tgw::TgwCall;

/// A secret entered in a form: held for the call, never displayed, formatted or written (it
/// serializes as the mask, so a plan file never holds it).
#[derive(Clone, PartialEq, serde::Deserialize)]
pub struct Secret(pub String);

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(MASK)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(MASK)
    }
}

/// The AWS service and operation of a family's call (its `operations!` table).
pub trait Operation {
    /// The AWS service: `ec2`, `route53resolver`, `directconnect`.
    fn service(&self) -> &'static str;
    /// The AWS operation sent, e.g. `AcceptVpcPeeringConnection`.
    fn operation(&self) -> &'static str;
}

/// A family's [`Operation`]: its service, and the operation of each variant.
macro_rules! operations {
    ($t:ty, $service:literal { $($p:pat => $op:literal),+ $(,)? }) => {
        impl super::Operation for $t {
            fn service(&self) -> &'static str {
                $service
            }
            fn operation(&self) -> &'static str {
                match self { $($p => $op),+ }
            }
        }
    };
}
use operations;

/// The item of `items` with this id, if it was read.
fn by_id<'a, T: crate::model::Resource>(items: &'a [T], id: &str) -> Option<&'a T> {
    items.iter().find(|x| x.id() == id)
}

/// What a family's call says of itself; [`Call`] forwards to it.
pub trait Request: Operation {
    /// The parameters sent, named as AWS names them, in the order shown; secrets masked.
    fn params(&self) -> Vec<(&'static str, String)>;
    /// The idempotency token the call carries (`CreatorRequestId`), if any.
    fn client_token(&self) -> Option<&str> {
        None
    }
    /// Whether the service takes `DryRun=true` for this call (EC2 does).
    fn dry_run(&self) -> bool {
        self.service() == "ec2"
    }
    /// Whether it changes anything (everything but reading an LOA).
    fn mutating(&self) -> bool {
        true
    }
    /// The call that undoes a success (`service:Operation Param=value …`), given the id of
    /// what it created, where one exists.
    fn undo(&self, created: Option<&str>) -> Option<String>;
    /// The tables to read again to see whether it was applied.
    fn verified_by(&self) -> Vec<ResourceKind>;
    /// Whether what was read shows the change made: `Some(true)` applied, `Some(false)` not,
    /// `None` when the read cannot tell.
    fn applied(&self, _r: &RegionEstate) -> Option<bool> {
        None
    }
    /// Whether the target has reached the state the change leads to (a route `active`, an
    /// endpoint `OPERATIONAL`, a peering `active`, a VIF `available`); as [`Request::applied`]
    /// where applying is settling.
    fn settled(&self, r: &RegionEstate) -> Option<bool> {
        self.applied(r)
    }
    /// The call as a hypothetical change to the paths, for the what-if engine (none for calls
    /// that do not touch them).
    fn path_changes(&self) -> Vec<Change> {
        vec![]
    }
    /// What to type to confirm it when it cuts a VPC off although it only adds something.
    fn cut_confirm(&self) -> Option<String> {
        None
    }
}

/// The families, each registered once: the [`Call`] variant, its conversion from the
/// family's call, the dispatch to its [`Request`], and plan-file reading by operation name.
macro_rules! families {
    ($($variant:ident($t:ident)),+ $(,)?) => {
        /// The typed request a plan will send: one variant per family. Serialized as the
        /// family's variant itself (`{"AcceptPeering": {"id": "pcx-…"}}`), so a plan file
        /// names the operation.
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum Call {
            $($variant($t)),+
        }

        impl Call {
            /// The family's request, behind the one interface.
            pub fn request(&self) -> &dyn Request {
                match self { $(Call::$variant(c) => c),+ }
            }
        }

        $(impl From<$t> for Call {
            fn from(c: $t) -> Call {
                Call::$variant(c)
            }
        })+

        /// The call a plan file holds, found by its operation's name among the families;
        /// `None` when no family has it.
        fn read_call(v: &serde_json::Value) -> Option<Result<Call, serde_json::Error>> {
            None$(.or_else(|| try_as::<$t>(v)))+
        }
    };
}

families!(
    Dx(DxCall),
    Peering(PeeringCall),
    Tgw(TgwCall),
    Resolver(ResolverCall),
    Firewall(FirewallCall),
);

/// A family's call from a plan file's JSON: `None` when the name is not one of its variants.
fn try_as<T: serde::de::DeserializeOwned + Into<Call>>(
    v: &serde_json::Value,
) -> Option<Result<Call, serde_json::Error>> {
    match serde_json::from_value::<T>(v.clone()) {
        Err(e) if e.to_string().starts_with("unknown variant") => None,
        r => Some(r.map(Into::into)),
    }
}

impl Call {
    /// See [`Operation::service`].
    pub fn service(&self) -> &'static str {
        self.request().service()
    }
    /// See [`Operation::operation`].
    pub fn operation(&self) -> &'static str {
        self.request().operation()
    }
    /// See [`Request::params`].
    pub fn params(&self) -> Vec<(String, String)> {
        let p = self.request().params();
        p.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }
    /// See [`Request::client_token`].
    pub fn client_token(&self) -> Option<&str> {
        self.request().client_token()
    }
    /// See [`Request::dry_run`].
    pub fn dry_run(&self) -> bool {
        self.request().dry_run()
    }
    /// See [`Request::mutating`].
    pub fn mutating(&self) -> bool {
        self.request().mutating()
    }
    /// See [`Request::undo`].
    pub fn undo(&self, created: Option<&str>) -> Option<String> {
        self.request().undo(created)
    }
    /// See [`Request::verified_by`].
    pub fn verified_by(&self) -> Vec<ResourceKind> {
        self.request().verified_by()
    }
    /// See [`Request::applied`].
    pub fn applied(&self, r: &RegionEstate) -> Option<bool> {
        self.request().applied(r)
    }
    /// See [`Request::settled`].
    pub fn settled(&self, r: &RegionEstate) -> Option<bool> {
        self.request().settled(r)
    }
    /// See [`Request::path_changes`].
    pub fn path_changes(&self) -> Vec<Change> {
        self.request().path_changes()
    }
    /// See [`Request::cut_confirm`].
    pub fn cut_confirm(&self) -> Option<String> {
        self.request().cut_confirm()
    }
}

impl<'de> serde::Deserialize<'de> for Call {
    /// A plan file's call: the family is found by the operation's name; an unknown name is an
    /// error naming it, a bad field an error naming the field.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Call, D::Error> {
        use serde::de::Error;
        let v = serde_json::Value::deserialize(d)?;
        let name = match &v {
            serde_json::Value::Object(m) if m.len() == 1 => m.keys().next().cloned(),
            serde_json::Value::String(s) => Some(s.clone()),
            _ => None,
        }
        .ok_or_else(|| D::Error::custom("a call is an object with one key, the operation"))?;
        read_call(&v)
            .unwrap_or_else(|| Err(serde_json::Error::custom(format!("unknown call `{name}`"))))
            .map_err(D::Error::custom)
    }
}

/// What came back from sending a call.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    pub success: bool,
    /// The call failed in a way that may still have been applied (HTTP 5xx, a timeout, a
    /// dropped connection): the outcome is unknown until the target is read again.
    pub unknown: bool,
    /// The AWS error code (`DryRunOperation`, `InvalidParameter`, `JournalUnwritable`, …).
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    /// Whether a journal line was written for it.
    pub journaled: bool,
    /// The id of the resource the call created, when it created one.
    pub created: Option<String>,
}

impl Outcome {
    /// A request that could not be built from the plan (nothing was sent).
    pub fn invalid(e: impl std::fmt::Display) -> Outcome {
        Outcome::failed("InvalidParameter", e)
    }

    /// A failure with this code and message (not unknown: nothing was applied).
    pub fn failed(code: &str, message: impl std::fmt::Display) -> Outcome {
        Outcome {
            code: Some(code.into()),
            message: message.to_string(),
            ..Default::default()
        }
    }

    /// A success, with AWS's request id when there is one.
    pub fn ok(message: impl Into<String>, request_id: Option<&str>) -> Outcome {
        Outcome {
            success: true,
            message: message.into(),
            request_id: request_id.map(str::to_string),
            ..Default::default()
        }
    }
}

/// `id` of what a call created, or a placeholder when it is not known yet.
fn created_or(created: Option<&str>) -> String {
    created.unwrap_or("<the created id>").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_reads_back_as_written_and_an_unknown_one_is_named() {
        let call: Call = TgwCall::DeleteTgwRoute {
            route_table_id: "tgw-rtb-1".into(),
            cidr: "10.0.0.0/16".into(),
        }
        .into();
        let json = serde_json::to_string(&call).unwrap();
        assert!(json.starts_with(r#"{"DeleteTgwRoute":"#), "{json}");
        assert_eq!(serde_json::from_str::<Call>(&json).unwrap(), call);
        let err = serde_json::from_str::<Call>(r#"{"DropTable":{}}"#).unwrap_err();
        assert!(
            err.to_string().contains("unknown call `DropTable`"),
            "{err}"
        );
        let err = serde_json::from_str::<Call>(r#"{"DeleteTgwRoute":{"cidr":"x"}}"#).unwrap_err();
        assert!(err.to_string().contains("route_table_id"), "{err}");
    }

    #[test]
    fn the_token_and_dry_run_are_the_call_s_own() {
        let create: Call = ResolverCall::CreateResolverRule {
            creator_request_id: "crossconnect-1".into(),
            name: "r".into(),
            domain: "corp.example".into(),
            targets: vec![("10.0.0.2".into(), 53)],
            endpoint_id: "rslvr-out-1".into(),
        }
        .into();
        assert_eq!(create.client_token(), Some("crossconnect-1"));
        assert!(!create.dry_run());
        let accept: Call = PeeringCall::AcceptPeering { id: "pcx-1".into() }.into();
        assert_eq!((accept.client_token(), accept.dry_run()), (None, true));
        let loa: Call = DxCall::DescribeLoa {
            connection_id: "dxcon-1".into(),
            path: "loa.pdf".into(),
        }
        .into();
        assert!(!loa.mutating() && accept.mutating());
    }
}
