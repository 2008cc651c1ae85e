//! The poll engine's bounds: how many AWS calls are in flight at once, over the whole
//! process and per account and service.
//!
//! Every SDK client sends its requests through a [`Gate`]: an HTTP client that takes a permit
//! from the process-wide semaphore and one from its account-and-service semaphore before each
//! request goes out, and gives both back when the answer (or the error) is in. One connection
//! pool serves every client, so 200 accounts × 4 regions neither exhaust sockets nor trip an
//! API's rate limit; and each account has its own retry partition, so throttling in one
//! account slows that account only.

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

/// Requests in flight at once over the whole process.
pub const GLOBAL_IN_FLIGHT: usize = 64;
/// Requests in flight at once per account and service (all its regions together): below
/// every read API's documented burst rate.
pub const PER_ACCOUNT_SERVICE: usize = 8;
/// Calls of one per-parent fan-out (routes per route table, IPs per endpoint, …) in flight
/// at once within one poll.
pub const FAN_OUT: usize = 6;

/// One semaphore per account and service.
type PerAccountService = HashMap<(String, Service), Arc<Semaphore>>;

/// The semaphores shared by every client of a session, and its one HTTP client.
#[derive(Clone, Debug)]
pub struct Limits {
    global: Arc<Semaphore>,
    per: Arc<Mutex<PerAccountService>>,
    http: SharedHttpClient,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::new(GLOBAL_IN_FLIGHT)
    }
}

impl Limits {
    /// Bounds with `global` requests in flight at once over the process.
    pub fn new(global: usize) -> Limits {
        Limits {
            global: Arc::new(Semaphore::new(global.max(1))),
            per: Arc::default(),
            http: default_http_client(),
        }
    }

    /// The HTTP client for the clients of one account and service.
    pub fn gate(&self, account: &str, service: Service) -> Gate {
        let local = self
            .per
            .lock()
            .map(|mut m| {
                m.entry((account.to_string(), service))
                    .or_insert_with(|| Arc::new(Semaphore::new(PER_ACCOUNT_SERVICE)))
                    .clone()
            })
            .unwrap_or_else(|_| Arc::new(Semaphore::new(PER_ACCOUNT_SERVICE)));
        Gate {
            inner: self.http.clone(),
            global: self.global.clone(),
            local,
        }
    }
}

/// The SDK's default HTTPS client (hyper 1, rustls with aws-lc, proxy settings from the
/// environment), built once so every client shares one connection pool.
fn default_http_client() -> SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut b = ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::AwsLc));
        b.set_connector_settings(settings.cloned());
        if let Some(c) = components {
            b.set_sleep_impl(c.sleep_impl());
        }
        b.set_proxy_config(Some(ProxyConfig::from_env()));
        b.build()
    })
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
    fn one_semaphore_per_account_and_service() {
        let l = Limits::new(4);
        let a = l.gate("111111111111", Service::Ec2);
        let b = l.gate("111111111111", Service::Ec2);
        let c = l.gate("222222222222", Service::Ec2);
        assert!(Arc::ptr_eq(&a.local, &b.local));
        assert!(!Arc::ptr_eq(&a.local, &c.local));
        assert!(Arc::ptr_eq(&a.global, &c.global));
        assert_eq!(a.global.available_permits(), 4);
    }
}
