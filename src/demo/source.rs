//! The embedded demo estate as a [`Source`] of the poll engine: no network.

use chrono::Utc;

use crate::aws::poll::{BoxFuture, Source};
use crate::model::{ApiError, Scope, Service, Update};

/// The embedded demo estate: no network; resource timestamps relative to `base`, the start of
/// the session, so that only real changes show as changes.
pub struct DemoSource {
    pub regions: Vec<String>,
    pub base: chrono::DateTime<Utc>,
}

impl Source for DemoSource {
    fn pollers(&self) -> Vec<(Scope, Service)> {
        self.regions
            .iter()
            .flat_map(|r| Service::ALL.map(|s| (Scope::new(super::ACCOUNT, r), s)))
            .collect()
    }

    fn poll<'a>(
        &'a self,
        scope: &'a Scope,
        service: Service,
        tick: u64,
        emit: &'a mut (dyn FnMut(Update) + Send),
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let region = [scope.region.clone()];
            for u in super::updates_at(tick, self.base, Utc::now(), &region) {
                if u.kind.service() == service {
                    emit(u.in_account(&scope.account));
                }
            }
        })
    }

    fn domains<'a>(
        &'a self,
        _scope: &'a Scope,
        list_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, ApiError>> {
        Box::pin(async move { super::domains(list_id) })
    }

    fn routes<'a>(
        &'a self,
        _scope: &'a Scope,
        vif: &'a str,
    ) -> BoxFuture<'a, Result<Vec<crate::model::VifRoute>, ApiError>> {
        Box::pin(async move {
            super::vif_routes(vif).ok_or_else(|| ApiError {
                operation: "ListVirtualInterfaceRoutes".into(),
                code: "DirectConnectClientException".into(),
                message: format!("{vif} not found"),
            })
        })
    }
}

/// Starts the demo estate ([`crate::aws::poll::spawn`] of a [`DemoSource`]): a new poll every `interval` (or
/// on refresh), no network.
pub fn spawn_demo(
    regions: Vec<String>,
    interval: std::time::Duration,
    tx: tokio::sync::mpsc::UnboundedSender<crate::source::SourceMsg>,
) -> crate::aws::poll::SourceHandle {
    let source = DemoSource {
        regions,
        base: Utc::now(),
    };
    crate::aws::poll::spawn(std::sync::Arc::new(source), interval, tx)
}
