//! The AWS services the pollers talk to, and a call that failed.

use serde::Serialize;

/// The AWS service a poller talks to. One poller task runs per service and region.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    DirectConnect,
    Ec2,
    Resolver,
    DnsFirewall,
    /// CloudWatch metrics and per-VIF route counts, on a slower interval.
    Telemetry,
}

impl Service {
    pub const ALL: [Service; 5] = [
        Service::DirectConnect,
        Service::Ec2,
        Service::Resolver,
        Service::DnsFirewall,
        Service::Telemetry,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Service::DirectConnect => "directconnect",
            Service::Ec2 => "ec2",
            Service::Resolver => "route53resolver",
            Service::DnsFirewall => "route53resolver (DNS Firewall)",
            Service::Telemetry => "cloudwatch + directconnect routes",
        }
    }
}

/// An AWS call that failed, as shown in the pane of the resource kind it was for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ApiError {
    /// The AWS operation, e.g. `DescribeVirtualInterfaces`.
    pub operation: String,
    /// The AWS error code (`AccessDeniedException`, `ThrottlingException`) or a client-side
    /// kind (`TimeoutError`, `DispatchFailure`, `ResponseError`).
    pub code: String,
    /// The message AWS (or the SDK) gave.
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}", self.operation, self.code, self.message)
    }
}
