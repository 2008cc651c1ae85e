//! The poll engine: one task per (account and region, service) polls one interval after its
//! last poll started, or at once when that poll took longer (polls never overlap or pile up),
//! or on a refresh request; a refresh asked for during a poll starts one more right after it,
//! and every poll ends within its time
//! budget (what has not answered by then is a failed read naming the operation). Answers reach
//! the caller as [`PollMsg`]s over a channel, so a terminal drawing them never waits on the
//! network. The AWS pollers and the embedded demo estate are both a [`Source`].

use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::RegionClients;
use crate::model::{ApiError, ResourceKind, Scope, Service, Update};

/// What a poller sends.
#[derive(Clone, Debug, PartialEq)]
pub enum PollMsg {
    /// A full read of one resource kind in one region.
    Update(Update),
    /// A poller started (`active`) or finished a poll, at `at` (wall clock, UTC).
    Polling {
        scope: Scope,
        service: Service,
        active: bool,
        at: crate::model::Timestamp,
    },
    /// The domains of a DNS Firewall domain list (ListFirewallDomains), asked for on demand.
    Domains {
        region: String,
        list_id: String,
        result: Result<Vec<String>, ApiError>,
    },
    /// The BGP routes of a VIF (ListVirtualInterfaceRoutes), asked for on demand.
    Routes {
        vif: String,
        result: Result<Vec<crate::model::VifRoute>, ApiError>,
    },
}

/// A request from the UI to the sources.
#[derive(Clone, Debug)]
enum Request {
    Domains { scope: Scope, list_id: String },
    Routes { scope: Scope, vif: String },
}

/// Controls running sources; dropping it stops them.
pub struct SourceHandle {
    refresh: watch::Sender<u64>,
    requests: mpsc::UnboundedSender<Request>,
    tasks: Vec<JoinHandle<()>>,
}

impl SourceHandle {
    /// Asks every poller to poll now.
    pub fn refresh(&self) {
        self.refresh.send_modify(|n| *n += 1);
    }

    /// Asks for the BGP routes of a VIF; the answer arrives as [`PollMsg::Routes`].
    pub fn fetch_routes(&self, scope: &Scope, vif: &str) {
        let _ = self.requests.send(Request::Routes {
            scope: scope.clone(),
            vif: vif.into(),
        });
    }

    /// Asks for the domains of a domain list; the answer arrives as [`PollMsg::Domains`].
    pub fn fetch_domains(&self, scope: &Scope, list_id: &str) {
        let _ = self.requests.send(Request::Domains {
            scope: scope.clone(),
            list_id: list_id.into(),
        });
    }
}

impl Drop for SourceHandle {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Polls one service of one region once, emitting an update per resource kind.
pub async fn poll_service(
    c: &RegionClients,
    service: Service,
    emit: &mut (dyn FnMut(Update) + Send),
) {
    let started = std::time::Instant::now();
    match service {
        Service::DirectConnect => {
            crate::directconnect::poll(&c.dx, &c.region, &c.shared, emit).await
        }
        Service::Ec2 => {
            let cloud_wan = crate::cloudwan::poll_once(&c.networkmanager, &c.region, &c.shared);
            crate::ec2::poll(&c.ec2, &c.region, vec![Box::pin(cloud_wan)], emit).await
        }
        Service::Resolver => crate::resolver::poll(&c.resolver, &c.profiles, &c.region, emit).await,
        Service::DnsFirewall => crate::firewall::poll(&c.resolver, &c.region, emit).await,
        // The slow reads need the inventory's lists: read them, pass on only the slow reads.
        Service::Telemetry => {
            let telemetry = &mut |u: Update| {
                if u.kind.service() == Service::Telemetry {
                    emit(u)
                }
            };
            poll_dx(c, true, telemetry).await
        }
    }
    tracing::debug!(region = %c.region, service = service.label(), elapsed_ms = started.elapsed().as_millis() as u64, "poll finished");
}

/// The Direct Connect area, then, with `telemetry`, the metrics and route counts of the
/// connections and VIFs it has just read ([`crate::telemetry::from_inventory`]): every list
/// is read once per poll, and the slow reads follow the inventory by one round trip.
pub async fn poll_dx(c: &RegionClients, telemetry: bool, emit: &mut (dyn FnMut(Update) + Send)) {
    fn never<T>(operation: &str) -> Result<Vec<T>, ApiError> {
        Err(ApiError {
            operation: operation.into(),
            code: "NotRead".into(),
            message: "the list was not answered".into(),
        })
    }
    let mut conns = never("DescribeConnections");
    let mut vifs = never("DescribeVirtualInterfaces");
    crate::directconnect::poll(&c.dx, &c.region, &c.shared, &mut |u: Update| {
        if telemetry {
            match &u.result {
                Ok(crate::model::Batch::DxConnections(v)) => conns = Ok(v.clone()),
                Ok(crate::model::Batch::DxVirtualInterfaces(v)) => vifs = Ok(v.clone()),
                Err(e) if u.kind == ResourceKind::DxConnections => conns = Err(e.clone()),
                Err(e) if u.kind == ResourceKind::DxVirtualInterfaces => vifs = Err(e.clone()),
                _ => {}
            }
        }
        emit(u);
    })
    .await;
    if telemetry {
        for u in crate::telemetry::from_inventory(c, &c.region, conns, vifs).await {
            emit(u);
        }
    }
}

/// The failed reads to report for the kinds of `(region, service)` that `got` lacks when a
/// deadline passed: each names the kind's operation and the deadline.
fn deadline_errors(
    (scope, service, kinds): (&Scope, Service, Vec<ResourceKind>),
    got: &[(&str, &str, ResourceKind)],
    deadline: Duration,
    why: &str,
) -> Vec<Update> {
    let at = Utc::now();
    kinds
        .iter()
        .filter(|k| !got.contains(&(scope.region.as_str(), scope.account.as_str(), **k)))
        .map(|&kind| {
            Update::err(
                &scope.region,
                kind,
                at,
                ApiError {
                    operation: kind.operations()[0].to_string(),
                    code: "DeadlineExceeded".into(),
                    message: format!(
                        "no answer within {} s ({why}); the {} call was still waiting",
                        deadline.as_secs(),
                        service.label()
                    ),
                },
            )
            .in_account(&scope.account)
        })
        .collect()
}

/// One poll of every service in every region, concurrently; returns all updates.
pub async fn poll_once(clients: &[RegionClients]) -> Vec<Update> {
    let source = AwsSource::new(clients.to_vec());
    poll_once_by(std::sync::Arc::new(source), Duration::from_secs(86_400)).await
}

/// One poll of every service in every region with an overall deadline: whatever has not
/// answered by then is reported as a failed read of each kind still missing, naming the
/// operation and the deadline, so a hung or throttled service ends the poll in bounded time.
pub async fn poll_once_by(source: std::sync::Arc<dyn Source>, deadline: Duration) -> Vec<Update> {
    use std::sync::{Arc, Mutex};
    let got: Arc<Mutex<Vec<Update>>> = Arc::default();
    let mut set = tokio::task::JoinSet::new();
    let pollers = source.pollers();
    for (scope, service) in pollers.clone() {
        let got = got.clone();
        let source = source.clone();
        set.spawn(async move {
            let _permit = crate::engine::poll_permits().acquire().await;
            source
                .poll(&scope, service, 0, &mut |u| {
                    if let Ok(mut g) = got.lock() {
                        g.push(u);
                    }
                })
                .await;
        });
    }
    let all_done = async { while set.join_next().await.is_some() {} };
    let timed_out = tokio::time::timeout(deadline, all_done).await.is_err();
    set.abort_all();
    let mut out = got
        .lock()
        .map(|mut g| std::mem::take(&mut *g))
        .unwrap_or_default();
    if timed_out {
        for (scope, service) in &pollers {
            let kinds = source.kinds(scope, *service);
            let missing = {
                let got: Vec<_> = out
                    .iter()
                    .map(|u| (u.region.as_str(), u.account.as_str(), u.kind))
                    .collect();
                deadline_errors(
                    (scope, *service, kinds),
                    &got,
                    deadline,
                    "the --timeout deadline",
                )
            };
            out.extend(missing);
        }
    }
    out
}

async fn wait_next(interval: Duration, refresh: &mut watch::Receiver<u64>) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(interval) => true,
        r = refresh.changed() => r.is_ok(),
    }
}

/// Where data comes from, behind one interface: the AWS pollers and the embedded demo estate
/// answer the same calls, so the console, `snapshot` and `audit` have one code path.
pub trait Source: Send + Sync + 'static {
    /// The `(account and region, service)` pairs this source polls; one poller task runs per
    /// pair.
    fn pollers(&self) -> Vec<(Scope, Service)>;
    /// The kinds a poll of `service` in `scope` reads (those reported as failed reads when its
    /// deadline passes): the service's own, unless the source says otherwise.
    fn kinds(&self, _scope: &Scope, service: Service) -> Vec<ResourceKind> {
        let all = ResourceKind::ALL.iter().copied();
        all.filter(|k| k.service() == service).collect()
    }
    /// One poll of one service in one region of one account (poll number `tick`): an update
    /// per kind, each carrying the scope's account.
    fn poll<'a>(
        &'a self,
        scope: &'a Scope,
        service: Service,
        tick: u64,
        emit: &'a mut (dyn FnMut(Update) + Send),
    ) -> BoxFuture<'a, ()>;
    /// The domains of a DNS Firewall domain list (ListFirewallDomains), on demand; a source
    /// that reads none answers `NotRead`.
    fn domains<'a>(
        &'a self,
        scope: &'a Scope,
        _list_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, ApiError>> {
        Box::pin(async move { Err(not_read("ListFirewallDomains", scope)) })
    }
    /// The BGP routes of a VIF (ListVirtualInterfaceRoutes), on demand; a source that reads
    /// none answers `NotRead`.
    fn routes<'a>(
        &'a self,
        scope: &'a Scope,
        _vif: &'a str,
    ) -> BoxFuture<'a, Result<Vec<crate::model::VifRoute>, ApiError>> {
        Box::pin(async move { Err(not_read("ListVirtualInterfaceRoutes", scope)) })
    }
}

/// The error of an on-demand read a source does not make.
fn not_read(operation: &str, scope: &Scope) -> ApiError {
    ApiError {
        operation: operation.into(),
        code: "NotRead".into(),
        message: format!("this source does not read it for {scope}"),
    }
}

pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// AWS: the SDK clients of each region of each account.
pub struct AwsSource {
    pub clients: Vec<RegionClients>,
    /// How often the slow reads run (CloudWatch metrics, VIF route counts); a telemetry poll
    /// sooner than this after the last one reads nothing.
    pub telemetry_every: Duration,
    last_telemetry: std::sync::Mutex<std::collections::HashMap<Scope, std::time::Instant>>,
    /// The scopes whose current (or last) Direct Connect poll makes the slow reads too.
    with_telemetry: std::sync::Mutex<std::collections::HashSet<Scope>>,
}

/// The default interval of the slow reads (metrics at 5-minute periods, route counts).
pub const TELEMETRY_EVERY: Duration = Duration::from_secs(300);

impl AwsSource {
    /// A source over these clients, the slow reads every [`TELEMETRY_EVERY`].
    pub fn new(clients: Vec<RegionClients>) -> AwsSource {
        AwsSource {
            clients,
            telemetry_every: TELEMETRY_EVERY,
            last_telemetry: Default::default(),
            with_telemetry: Default::default(),
        }
    }

    /// The same source with the slow reads every `every`.
    pub fn with_telemetry_every(mut self, every: Duration) -> AwsSource {
        self.telemetry_every = every;
        self
    }

    /// Whether the slow reads of a scope are due now (and notes that they ran).
    fn telemetry_due(&self, scope: &Scope) -> bool {
        let Ok(mut last) = self.last_telemetry.lock() else {
            return true;
        };
        let now = std::time::Instant::now();
        match last.get(scope) {
            Some(t) if now.duration_since(*t) < self.telemetry_every => false,
            _ => {
                last.insert(scope.clone(), now);
                true
            }
        }
    }

    fn client(&self, scope: &Scope) -> Option<&RegionClients> {
        self.clients
            .iter()
            .find(|c| c.region == scope.region && c.account == scope.account)
    }
}

impl Source for AwsSource {
    /// Every service but the slow reads, which the Direct Connect poll makes on what it has
    /// just read (see [`poll_dx`]).
    fn pollers(&self) -> Vec<(Scope, Service)> {
        let services = Service::ALL
            .into_iter()
            .filter(|s| *s != Service::Telemetry);
        let services: Vec<Service> = services.collect();
        self.clients
            .iter()
            .flat_map(|c| {
                services
                    .iter()
                    .map(|s| (Scope::new(&c.account, &c.region), *s))
            })
            .collect()
    }

    /// A Direct Connect poll that makes the slow reads reads their kinds too.
    fn kinds(&self, scope: &Scope, service: Service) -> Vec<ResourceKind> {
        let telemetry = service == Service::DirectConnect
            && self.with_telemetry.lock().is_ok_and(|w| w.contains(scope));
        let all = ResourceKind::ALL.iter().copied();
        all.filter(|k| k.service() == service || (telemetry && k.service() == Service::Telemetry))
            .collect()
    }

    fn poll<'a>(
        &'a self,
        scope: &'a Scope,
        service: Service,
        _tick: u64,
        emit: &'a mut (dyn FnMut(Update) + Send),
    ) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            let Some(c) = self.client(scope) else {
                return;
            };
            let emit = &mut |u: Update| emit(u.in_account(&scope.account));
            match service {
                Service::DirectConnect => {
                    let due = self.telemetry_due(scope);
                    if let Ok(mut w) = self.with_telemetry.lock() {
                        if due {
                            w.insert(scope.clone());
                        } else {
                            w.remove(scope);
                        }
                    }
                    poll_dx(c, due, emit).await
                }
                Service::Telemetry => {}
                other => poll_service(c, other, emit).await,
            }
        })
    }

    fn domains<'a>(
        &'a self,
        scope: &'a Scope,
        list_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, ApiError>> {
        Box::pin(async move {
            match self.client(scope) {
                Some(c) => crate::firewall::list_domains(&c.resolver, list_id).await,
                None => Err(no_client("ListFirewallDomains", scope)),
            }
        })
    }

    fn routes<'a>(
        &'a self,
        scope: &'a Scope,
        vif: &'a str,
    ) -> BoxFuture<'a, Result<Vec<crate::model::VifRoute>, ApiError>> {
        Box::pin(async move {
            match self.client(scope) {
                Some(c) => crate::directconnect::list_routes(&c.dx, vif, None).await,
                None => Err(no_client("ListVirtualInterfaceRoutes", scope)),
            }
        })
    }
}

/// The error of an on-demand read for a scope this source has no clients for.
fn no_client(operation: &str, scope: &Scope) -> ApiError {
    ApiError {
        operation: operation.into(),
        code: "NoClient".into(),
        message: format!("no clients for {scope}"),
    }
}

/// One poll of one service in one region that ends within `budget`: what has not answered by
/// then is emitted as failed reads (`DeadlineExceeded`, naming the operation), so throttling or
/// a hung call never stretches a poll without end. Returns whether the budget ran out.
pub async fn poll_bounded(
    source: &dyn Source,
    scope: &Scope,
    service: Service,
    tick: u64,
    budget: Duration,
    emit: &mut (dyn FnMut(Update) + Send),
) -> bool {
    // The kinds that arrived (not the updates: nothing is copied on the way to the screen).
    let mut got: Vec<ResourceKind> = Vec::new();
    let done = tokio::time::timeout(
        budget,
        source.poll(scope, service, tick, &mut |u| {
            got.push(u.kind);
            emit(u);
        }),
    )
    .await;
    if done.is_err() {
        let kinds = source.kinds(scope, service);
        let got: Vec<_> = got
            .iter()
            .map(|k| (scope.region.as_str(), scope.account.as_str(), *k))
            .collect();
        for u in deadline_errors(
            (scope, service, kinds),
            &got,
            budget,
            "the poll's time budget",
        ) {
            emit(u);
        }
    }
    done.is_err()
}

/// Starts one poller task per `(region, service)` of the source, sending to `tx`, and a task
/// that answers domain-list requests.
pub fn spawn<M: From<PollMsg> + Send + 'static>(
    source: std::sync::Arc<dyn Source>,
    interval: Duration,
    tx: mpsc::UnboundedSender<M>,
) -> SourceHandle {
    let (refresh, refresh_rx) = watch::channel(0u64);
    let (requests, mut req_rx) = mpsc::unbounded_channel::<Request>();
    let mut tasks = Vec::new();
    for (scope, service) in source.pollers() {
        let source = source.clone();
        let tx = tx.clone();
        let mut refresh_rx = refresh_rx.clone();
        tasks.push(tokio::spawn(async move {
            let mut tick = 0u64;
            loop {
                // A refresh asked for while this poll runs is kept, and starts one more
                // poll right after it.
                refresh_rx.mark_unchanged();
                let started = tokio::time::Instant::now();
                let permit = crate::engine::poll_permits().acquire().await;
                let _ = tx.send(M::from(PollMsg::Polling {
                    scope: scope.clone(),
                    service,
                    active: true,
                    at: chrono::Utc::now(),
                }));
                // A poll ends within two intervals (at least a minute), throttled or not.
                let sender = tx.clone();
                let budget = (interval * 2).max(Duration::from_secs(60));
                poll_bounded(&*source, &scope, service, tick, budget, &mut |u| {
                    let _ = sender.send(M::from(PollMsg::Update(u)));
                })
                .await;
                drop(permit);
                let _ = tx.send(M::from(PollMsg::Polling {
                    scope: scope.clone(),
                    service,
                    active: false,
                    at: chrono::Utc::now(),
                }));
                tick += 1;
                // Polls start one interval apart; one that took longer is followed at once,
                // never overlapped: they do not pile up.
                let rest = interval.saturating_sub(started.elapsed());
                if !wait_next(rest, &mut refresh_rx).await {
                    break;
                }
            }
        }));
    }
    tasks.push(tokio::spawn(async move {
        while let Some(req) = req_rx.recv().await {
            let source = source.clone();
            let tx = tx.clone();
            let (scope, list_id) = match req {
                Request::Domains { scope, list_id } => (scope, list_id),
                Request::Routes { scope, vif } => {
                    tokio::spawn(async move {
                        let result = source.routes(&scope, &vif).await;
                        let _ = tx.send(M::from(PollMsg::Routes { vif, result }));
                    });
                    continue;
                }
            };
            tokio::spawn(async move {
                let result = source.domains(&scope, &list_id).await;
                let _ = tx.send(M::from(PollMsg::Domains {
                    region: scope.region,
                    list_id,
                    result,
                }));
            });
        }
    }));
    SourceHandle {
        refresh,
        requests,
        tasks,
    }
}

#[cfg(test)]
#[path = "poll_tests.rs"]
mod tests;
