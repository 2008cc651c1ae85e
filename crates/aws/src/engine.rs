//! The poll engine's bounds: how many AWS calls are in flight at once, per account, region
//! and service (where AWS counts its request rates) and over the whole process (set by the
//! sockets the process may open).
//!
//! Every SDK client sends its requests through a [`Gate`]: an HTTP client that takes a permit
//! from its account, region and service's semaphore, then one from the process-wide
//! semaphore, before each request goes out, and gives both back when the answer (or the error)
//! is in. One connection pool serves every client. Each account, region and service has its
//! own retry partition with the SDK's adaptive retry mode (`lib.rs`): throttling there slows
//! that partition's sending, and never another account's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use tokio::sync::Semaphore;

use crate::model::Service;

/// Requests in flight at once per account, region and service: a poll's widest round trip
/// (EC2: nine lists, then three calls per TGW route table) fits, and stays far below the
/// burst of AWS's request-rate buckets, which are per account and region (EC2's non-mutating
/// bucket: 100, refilled at 20 a second).
pub fn per_account(service: Service) -> usize {
    match service {
        Service::Ec2 => 16,
        Service::DirectConnect | Service::Resolver | Service::DnsFirewall => 12,
        Service::Telemetry => 6,
    }
}

/// Calls of one per-parent fan-out (routes per route table, IPs per endpoint, …) in flight
/// at once within one poll (the account's semaphore bounds them all together).
pub const FAN_OUT: usize = 16;

/// Polls of one service in one region of one account under way at once. A poll holds the
/// futures of all its calls from its start (the SDK's are tens of kilobytes each), so this
/// bounds the memory of a poll of many accounts instead of the estate; 256 polls keep
/// the process bound's requests in flight.
pub const POLLS_AT_ONCE: usize = 512;

/// The permits of [`POLLS_AT_ONCE`], shared by every poll of the process (an organisation's
/// accounts are polled as each becomes readable, each by a source of its own).
pub fn poll_permits() -> &'static Semaphore {
    static PERMITS: Semaphore = Semaphore::const_new(POLLS_AT_ONCE);
    &PERMITS
}

/// Sockets kept back from the process bound: files, the history database, the terminal.
const SOCKETS_KEPT: u64 = 128;

/// Requests in flight at once over the whole process: one socket each over HTTP/1.1, so the
/// open-files limit (raised to its hard limit first) less [`SOCKETS_KEPT`], at least 64 and at
/// most what the memory allows ([`MEMORY_BOUND`]).
pub fn process_bound() -> usize {
    static BOUND: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *BOUND.get_or_init(raise_open_files)
}

/// Raises the open-files limit to its hard limit (once) and derives the process bound from it.
fn raise_open_files() -> usize {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit write/read the one struct passed; no other memory is touched.
    let soft = unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) != 0 {
            return 256;
        }
        if lim.rlim_cur < lim.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: lim.rlim_max.min(65_536),
                rlim_max: lim.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                lim.rlim_cur = raised.rlim_cur;
            }
        }
        lim.rlim_cur
    };
    (soft.saturating_sub(SOCKETS_KEPT) as usize).clamp(64, MEMORY_BOUND)
}

/// One semaphore per account, region and service.
type PerAccountService = HashMap<(String, String, Service), Arc<Semaphore>>;

/// The semaphores shared by every client of a session (which all send through the process's one
/// HTTP client, [`shared_http_client`]), and what each account's regions read once between
/// them ([`AccountReads`]).
#[derive(Clone, Debug)]
pub struct Limits {
    global: Arc<Semaphore>,
    per: Arc<Mutex<PerAccountService>>,
    accounts: Arc<Mutex<HashMap<String, Arc<AccountReads>>>>,
}

/// What one account's regions read once between them. Direct Connect gateways are global:
/// every region's Direct Connect endpoint lists the same gateways, associations and
/// attachments (DescribeDirectConnectGateways, …Associations, …Attachments), so the first of
/// the account's regions to poll reads them — the others wait for that read — and a region
/// polling within [`SHARED_FRESH`] of its end takes it, with its time of reading.
#[derive(Debug, Default)]
pub struct AccountReads {
    pub(crate) dx_gateways: SharedRead,
    /// Cloud WAN (Network Manager) is global as well.
    pub(crate) cloud_wan: SharedRead,
}

/// One global read of an account: when it ended, and what it read.
pub(crate) type SharedRead =
    tokio::sync::Mutex<Option<(std::time::Instant, Vec<crate::model::Update>)>>;

/// `read`, or a read of another region of the account that ended within [`SHARED_FRESH`]
/// (taken as this region's, with its time of reading). The others wait while one reads.
pub(crate) async fn read_once(
    slot: &SharedRead,
    region: &str,
    read: impl std::future::Future<Output = Vec<crate::model::Update>>,
) -> Vec<crate::model::Update> {
    let mut slot = slot.lock().await;
    if let Some((ended, updates)) = slot.as_ref()
        && ended.elapsed() < SHARED_FRESH
    {
        return updates
            .iter()
            .map(|u| crate::model::Update {
                region: region.to_string(),
                ..u.clone()
            })
            .collect();
    }
    let updates = read.await;
    *slot = Some((std::time::Instant::now(), updates.clone()));
    updates
}

/// How long after it ended a read of an account's global resources stands for its other
/// regions' polls: the regions of one poll start together, the next poll reads again.
pub const SHARED_FRESH: std::time::Duration = std::time::Duration::from_secs(2);

impl Default for Limits {
    /// Bounds with [`process_bound`] requests in flight over the process.
    fn default() -> Self {
        Limits::new(process_bound())
    }
}

impl Limits {
    /// Bounds with `global` requests in flight at once over the process.
    pub fn new(global: usize) -> Limits {
        Limits {
            global: Arc::new(Semaphore::new(global.max(1))),
            per: Arc::default(),
            accounts: Arc::default(),
        }
    }

    /// What `account`'s regions read once between them; an account not known (empty) shares
    /// with nobody.
    pub fn account_reads(&self, account: &str) -> Arc<AccountReads> {
        if account.is_empty() {
            return Arc::default();
        }
        self.accounts
            .lock()
            .map(|mut m| m.entry(account.to_string()).or_default().clone())
            .unwrap_or_default()
    }

    /// The HTTP client for the clients of one account, region and service.
    pub fn gate(&self, account: &str, region: &str, service: Service) -> Gate {
        let new = || Arc::new(Semaphore::new(per_account(service)));
        let local = self
            .per
            .lock()
            .map(|mut m| {
                m.entry((account.to_string(), region.to_string(), service))
                    .or_insert_with(new)
                    .clone()
            })
            .unwrap_or_else(|_| new());
        Gate {
            inner: shared_http_client(),
            global: self.global.clone(),
            local,
        }
    }
}

/// Requests in flight at once over the process as the memory allows: an HTTP/1.1 connection
/// holds hyper's read buffer, which grows with the answers up to 400 KiB; 512 connections of
/// 256 KiB are 128 MiB. At 60 ms a call, 512 in flight are 8 500 calls a second, more than two
/// cores parse.
const MEMORY_BOUND: usize = 1024;

/// The SDK's default HTTPS client (hyper 1, rustls with aws-lc, proxy settings from the
/// environment), built once per process so every client, the STS ones of each account's
/// role included, shares one connection pool and one TLS configuration (the SDK's own default
/// builds one, loading the root certificates, for every client). Idle connections are kept up
/// to the process bound.
pub fn shared_http_client() -> SharedHttpClient {
    static CLIENT: std::sync::OnceLock<SharedHttpClient> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| http_client(process_bound())).clone()
}

/// An HTTPS client of the SDK's default kind with a connection pool of its own, keeping up to
/// `idle` idle connections per host. [`shared_http_client`] is the process's one; the
/// organisation's listing has its own (`accounts`), whose connections live on its thread.
pub fn http_client(idle: usize) -> SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    let client = Builder::new().build_with_connector_fn(move |settings, components| {
        let mut b = ConnectorBuilder::default()
            .tls_provider(Provider::Rustls(CryptoMode::AwsLc))
            .pool_max_idle_per_host(idle);
        b.set_connector_settings(settings.cloned());
        if let Some(c) = components {
            b.set_sleep_impl(c.sleep_impl());
        }
        b.set_proxy_config(Some(ProxyConfig::from_env()));
        b.build()
    });
    SharedHttpClient::new(Pooled(client))
}

/// The shared client without the per-client check that builds a connector (and loads the
/// root certificates) each time a client is made: its connectors are built on first use.
#[derive(Debug)]
struct Pooled(SharedHttpClient);

impl HttpClient for Pooled {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }
}

/// An HTTP client that holds a global and an account-and-service permit for each request.
#[derive(Clone, Debug)]
pub struct Gate {
    inner: SharedHttpClient,
    global: Arc<Semaphore>,
    local: Arc<Semaphore>,
}

impl HttpClient for Gate {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(GatedConnector {
            inner: self.inner.http_connector(settings, components),
            global: self.global.clone(),
            local: self.local.clone(),
        })
    }
}

#[derive(Debug)]
struct GatedConnector {
    inner: SharedHttpConnector,
    global: Arc<Semaphore>,
    local: Arc<Semaphore>,
}

impl HttpConnector for GatedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let (inner, global, local) = (self.inner.clone(), self.global.clone(), self.local.clone());
        HttpConnectorFuture::new(async move {
            // The account's own permit first: a throttled account queues on its own
            // semaphore without holding a global permit.
            let _local = local.acquire_owned().await;
            let _global = global.acquire_owned().await;
            inner.call(request).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_semaphore_per_account_region_and_service() {
        let l = Limits::new(4);
        let a = l.gate("111111111111", "eu-west-1", Service::Ec2);
        let b = l.gate("111111111111", "eu-west-1", Service::Ec2);
        let c = l.gate("222222222222", "eu-west-1", Service::Ec2);
        let d = l.gate("111111111111", "us-east-1", Service::Ec2);
        let e = l.gate("111111111111", "eu-west-1", Service::DirectConnect);
        assert!(Arc::ptr_eq(&a.local, &b.local));
        for other in [&c, &d, &e] {
            assert!(!Arc::ptr_eq(&a.local, &other.local));
        }
        assert!(Arc::ptr_eq(&a.global, &c.global));
        assert_eq!(a.global.available_permits(), 4);
        assert_eq!(a.local.available_permits(), per_account(Service::Ec2));
    }

    #[test]
    fn the_process_bound_follows_the_open_files_limit() {
        let bound = process_bound();
        let mut lim = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: reads the limit into the one struct passed.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
        let expected = (lim.rlim_cur.saturating_sub(SOCKETS_KEPT) as usize).clamp(64, MEMORY_BOUND);
        assert_eq!(bound, expected);
    }
}
