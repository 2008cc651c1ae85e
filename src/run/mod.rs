//! Wiring: build the source (demo or AWS), then run the TUI or a one-shot command.

pub mod changes;
mod console;
pub use console::tui;
pub mod graph;
pub mod history;
pub mod listen;
pub mod notify;
pub mod verify;

use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::{Result, eyre};
use tokio::sync::mpsc;

use crate::app::{App, Session};
use crate::aws::{self, AwsOptions, OperationGuard, RegionClients};
use crate::cli::{GlobalArgs, SnapshotFormat};
use crate::event::Runner;
use crate::model::Estate;
use crate::report::{self, ReportMeta};
use crate::source;
use crate::ui::theme::{Theme, no_color_env};
use crate::workflows::exec::JournalContext;

/// The demo regions selected by `--region` (all when none given).
pub fn demo_regions(given: &[String]) -> Result<Vec<String>> {
    let all: Vec<String> = crate::demo::REGIONS.iter().map(|r| r.to_string()).collect();
    if given.is_empty() {
        return Ok(all);
    }
    let chosen: Vec<String> = given.iter().filter(|r| all.contains(r)).cloned().collect();
    if chosen.is_empty() {
        return Err(eyre!(
            "the demo estate has regions {}; none of {} is one",
            all.join(", "),
            given.join(", ")
        ));
    }
    Ok(chosen)
}

/// The options of the first profile (or the default chain): the regions come from it.
fn aws_options(g: &GlobalArgs) -> AwsOptions {
    AwsOptions {
        profile: g.profiles.first().cloned(),
        allow_writes: g.write,
        ..Default::default()
    }
}

/// The accounts and regions an AWS session reads.
pub struct AwsScope {
    /// Every account in scope, those that cannot be read included.
    pub reaches: Vec<aws::accounts::Reach>,
    pub regions: Vec<String>,
    /// The in-flight bounds and connection pool every client shares.
    pub limits: aws::engine::Limits,
}

impl AwsScope {
    /// Who each account is read and changed as (account id → caller ARN), for the journal.
    pub fn callers(&self) -> std::collections::BTreeMap<String, String> {
        self.reaches
            .iter()
            .filter_map(|r| Some((r.account.id.clone(), r.caller_arn.clone()?)))
            .collect()
    }

    /// The accounts, for the model.
    pub fn accounts(&self) -> Vec<crate::model::Account> {
        self.reaches.iter().map(|r| r.account.clone()).collect()
    }

    /// An estate of every account and region these clients read, nothing read yet.
    pub fn empty_estate(&self, clients: &[RegionClients]) -> Estate {
        let scopes: Vec<crate::model::Scope> = clients
            .iter()
            .map(|c| crate::model::Scope::new(&c.account, &c.region))
            .collect();
        self.estate_of(&scopes)
    }

    /// An empty estate of these scopes (in this order) and the scope's accounts.
    pub fn estate_of(&self, scopes: &[crate::model::Scope]) -> Estate {
        let mut e = Estate::with_scopes(scopes);
        e.accounts = self.accounts();
        e
    }

    /// The first account that could be read and whose id STS gave.
    pub fn first_account(&self) -> Option<String> {
        self.reaches
            .iter()
            .map(|r| &r.account)
            .find(|a| a.error.is_none() && !a.id.is_empty())
            .map(|a| a.id.clone())
    }
}

/// Resolves the regions and the accounts (profiles, organisation) of a session: start-up
/// checks included (profiles exist, credentials resolve, GetCallerIdentity, AssumeRole).
pub async fn aws_scope(g: &GlobalArgs) -> Result<AwsScope> {
    let regions = aws::resolve_regions(&aws_options(g), &g.regions).await?;
    aws_scope_as_ready(g, regions, aws::engine::Limits::default(), None).await
}

/// [`aws_scope`] for these regions and bounds, sending each account that can be read to
/// `ready` as soon as it can be.
async fn aws_scope_as_ready(
    g: &GlobalArgs,
    regions: Vec<String>,
    limits: aws::engine::Limits,
    ready: Option<aws::accounts::Ready>,
) -> Result<AwsScope> {
    let opts = aws_options(g);
    let args = aws::accounts::AccountArgs {
        profiles: g.profiles.clone(),
        org_role: g.org_role.clone(),
        only: g.accounts.clone(),
    };
    if !g.accounts.is_empty() && g.org_role.is_none() {
        return Err(eyre!(
            "--accounts narrows an organisation: it needs --org-role ROLE_NAME"
        ));
    }
    // Each profile (or the default chain) is its own account: the base names none.
    let base = AwsOptions {
        profile: None,
        ..opts
    };
    let reaches = aws::accounts::resolve_as_ready(&base, &args, &regions[0], ready).await?;
    Ok(AwsScope {
        reaches,
        regions,
        limits,
    })
}

/// Builds the clients of every readable account and region with one shared guard
/// ([`aws::session::ClientMaker`]).
pub async fn clients(scope: &AwsScope, guard: &OperationGuard) -> Vec<RegionClients> {
    let maker =
        aws::session::ClientMaker::new(scope.regions.clone(), guard.clone(), scope.limits.clone());
    maker.all(&scope.reaches).await
}

/// The profile the credentials come from, as the header names it (for the journal):
/// `--profile`, else `AWS_PROFILE`, else `default`.
pub(crate) fn journal_profile(g: &GlobalArgs) -> String {
    g.profiles
        .first()
        .cloned()
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".into())
}

/// One poll of every area into a model (demo or AWS), and the report header that goes with it.
pub async fn poll_estate(g: &GlobalArgs) -> Result<(Estate, ReportMeta)> {
    let started = std::time::Instant::now();
    let mut meta = ReportMeta::now(g.demo, g.profiles.first().cloned());
    let (scope_estate, updates) = if g.demo {
        let regions = demo_regions(&g.regions)?;
        let src = crate::demo::DemoSource {
            regions: regions.clone(),
            base: Utc::now(),
        };
        // The deadline counts from the start of the command, start-up checks included.
        let left = Duration::from_secs(g.timeout).saturating_sub(started.elapsed());
        let updates = source::poll_once_by(std::sync::Arc::new(src), left).await;
        (crate::demo::empty_estate(&regions), updates)
    } else {
        let (scope, scopes, updates) = poll_accounts_as_ready(g, started).await?;
        meta.account = scope.first_account();
        (scope.estate_of(&scopes), updates)
    };
    let mut e = scope_estate;
    for u in updates {
        e.apply(u);
    }
    Ok((e, meta))
}

/// One poll of every account in scope, each account's starting as soon as it can be read
/// (while an organisation is still being listed and its roles assumed), all within the
/// `--timeout` deadline counted from `started`: the scope, every account and region read, and
/// every update. Each account's clients are made on the task that polls it and dropped when its
/// poll ends, so the task that lists and assumes never waits on them and an organisation's
/// clients are not all held at once.
async fn poll_accounts_as_ready(
    g: &GlobalArgs,
    started: std::time::Instant,
) -> Result<(
    AwsScope,
    Vec<crate::model::Scope>,
    Vec<crate::model::Update>,
)> {
    let regions = aws::resolve_regions(&aws_options(g), &g.regions).await?;
    let limits = aws::engine::Limits::default();
    let maker = std::sync::Arc::new(aws::session::ClientMaker::new(
        regions.clone(),
        OperationGuard::read_only(),
        limits.clone(),
    ));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let deadline = started + Duration::from_secs(g.timeout);
    let polls = async {
        let mut polls = tokio::task::JoinSet::new();
        while let Some(reach) = rx.recv().await {
            let maker = maker.clone();
            polls.spawn(async move {
                let clients = maker.clients(&reach).await;
                let scopes: Vec<crate::model::Scope> = clients
                    .iter()
                    .map(|c| crate::model::Scope::new(&c.account, &c.region))
                    .collect();
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                let src = std::sync::Arc::new(source::AwsSource::new(clients));
                (scopes, source::poll_once_by(src, left).await)
            });
        }
        let (mut all, mut updates) = (Vec::new(), Vec::new());
        while let Some(done) = polls.join_next().await {
            if let Ok((scopes, got)) = done {
                all.extend(scopes);
                updates.extend(got);
            }
        }
        (all, updates)
    };
    let (scope, (mut scopes, updates)) =
        futures_util::join!(aws_scope_as_ready(g, regions, limits, Some(tx)), polls);
    let scope = scope?;
    // In the scope's order (accounts as listed, then regions as given), not as they came.
    let place = |c: &crate::model::Scope| {
        let account = scope.reaches.iter().position(|r| r.account.id == c.account);
        let region = scope.regions.iter().position(|r| *r == c.region);
        (account, region)
    };
    scopes.sort_by_key(place);
    Ok((scope, scopes, updates))
}

/// Polls once; refuses when nothing could be read. Calls that failed are printed to stderr as
/// coverage gaps (what they leave unknown is `unknown` in the answer, not healthy).
pub(crate) async fn read(g: &GlobalArgs) -> Result<Estate> {
    let (estate, _) = poll_estate(g).await?;
    refuse_unread(&estate, "nothing could be read")?;
    print_gaps(&estate);
    Ok(estate)
}

/// The estate of a saved snapshot (`--snapshot FILE`) when one is given, else of one poll
/// ([`read`]). `Err(Ok(message))`: the file cannot be read or is not a snapshot (the caller
/// exits 2, naming it); `Err(Err(_))`: nothing could be polled.
pub(crate) async fn read_or_load(
    g: &GlobalArgs,
    snapshot: Option<&std::path::Path>,
) -> std::result::Result<Estate, std::result::Result<String, color_eyre::Report>> {
    let Some(path) = snapshot else {
        return read(g).await.map_err(Err);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Ok(format!("--snapshot {}: {e}", path.display())))?;
    let (estate, _) = crate::model::snapshot::read(&text)
        .map_err(|e| Ok(format!("--snapshot {}: {e}", path.display())))?;
    refuse_unread(&estate, "the snapshot read nothing").map_err(Err)?;
    print_gaps(&estate);
    Ok(estate)
}

/// `crossconnect snapshot`: prints the report, returns the exit code.
pub async fn snapshot(
    g: &GlobalArgs,
    format: SnapshotFormat,
    output: Option<&std::path::Path>,
) -> Result<i32> {
    if format == SnapshotFormat::Batfish && output.is_none() {
        eprintln!("crossconnect: snapshot --format batfish needs --output DIR");
        return Ok(2);
    }
    let (estate, meta) = poll_estate(g).await?;
    if let (SnapshotFormat::Batfish, Some(dir)) = (format, output) {
        refuse_unread(&estate, "nothing could be read: no snapshot written")?;
        let files = crate::batfish::files(&estate);
        for (path, v) in &files {
            let path = dir.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| eyre!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&path, serde_json::to_string_pretty(v)?)
                .map_err(|e| eyre!("cannot write {}: {e}", path.display()))?;
        }
        println!(
            "wrote {} file(s) under {}",
            files.len(),
            dir.join("aws_configs").display()
        );
        print_gaps(&estate);
        return Ok(report::exit_code(&estate));
    }
    {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        match format {
            // Written as it is serialized: no second copy of an organisation's report.
            SnapshotFormat::Json => report::write_json(&mut out, &estate, &meta)?,
            SnapshotFormat::Markdown => {
                out.write_all(report::markdown(&estate, &meta).as_bytes())?
            }
            SnapshotFormat::Batfish => {}
        }
        writeln!(out)?;
        out.flush()?;
    }
    for (scope, kind, e) in estate.errors() {
        eprintln!("crossconnect: {scope} {}: {e}", kind.label());
    }
    for a in estate.accounts.iter().filter(|a| a.error.is_some()) {
        eprintln!(
            "crossconnect: account {} ({}) not read: {}",
            a.name,
            a.via,
            a.error.as_deref().unwrap_or_default()
        );
    }
    let code = report::exit_code(&estate);
    // An organisation's estate is millions of allocations: they are freed on a thread of
    // their own while the process exits, not before it may.
    let _ = std::thread::Builder::new()
        .name("drop-estate".into())
        .spawn(move || drop(estate));
    Ok(code)
}

/// `crossconnect audit`: writes the report, returns the exit code (0, 3 with `--fail-on`
/// when a finding at or above it exists, 1 when nothing could be read).
pub async fn audit(
    g: &GlobalArgs,
    settings: &crate::config::Settings,
    args: &crate::cli::AuditArgs,
) -> Result<i32> {
    if g.write {
        return Err(eyre!(
            "audit is always read-only: --write is refused (drop it to run the audit)"
        ));
    }
    let (estate, meta) = poll_estate(g).await?;
    refuse_unread(&estate, "nothing could be read: no report written")?;
    let derived = history::derive(g, settings, &estate);
    let audit = crate::audit::Audit::of(&estate, &meta, derived);
    let text = audit.render(args.format);
    match &args.output {
        Some(path) => std::fs::write(path, text.as_bytes() as &[u8])
            .map_err(|e| eyre!("cannot write {}: {e}", path.display()))?,
        None => println!("{text}"),
    }
    print_gaps(&estate);
    tracing::info!(findings = audit.findings.len(), "audit finished");
    Ok(match args.fail_on {
        Some(t) if audit.fails(t) => 3,
        _ => 0,
    })
}

/// Refuses (with `why`) an estate of which nothing could be read, naming every failing call.
pub(crate) fn refuse_unread(estate: &Estate, why: &str) -> Result<()> {
    if report::exit_code(estate) == 1 {
        for (scope, kind, e) in estate.errors() {
            eprintln!("crossconnect: {scope} {}: {e}", kind.label());
        }
        return Err(eyre!("{why}"));
    }
    Ok(())
}

/// Prints the calls that failed as coverage gaps (stderr): what they leave out is unknown.
pub(crate) fn print_gaps(estate: &Estate) {
    for (scope, kind, e) in estate.errors() {
        eprintln!("crossconnect: coverage gap: {scope} {}: {e}", kind.label());
    }
}

/// `crossconnect accounts`: every account in scope, how it is reached and whether it can be
/// read. Exit 0 when all can, 2 when some cannot.
pub async fn accounts(g: &GlobalArgs, format: crate::cli::AccountsFormat) -> Result<i32> {
    let accounts = if g.demo {
        crate::demo::accounts()
    } else {
        aws_scope(g).await?.accounts()
    };
    match format {
        crate::cli::AccountsFormat::Json => {
            let v: Vec<serde_json::Value> = accounts
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "id": a.id, "name": a.name, "via": a.via,
                        "read": a.error.is_none(), "error": a.error,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&v)?);
        }
        crate::cli::AccountsFormat::Text => {
            let w = |f: fn(&crate::model::Account) -> &str, h: &str| {
                accounts
                    .iter()
                    .map(|a| f(a).chars().count())
                    .max()
                    .unwrap_or(0)
                    .max(h.len())
            };
            let (wi, wn) = (w(|a| &a.id, "ACCOUNT"), w(|a| &a.name, "NAME"));
            println!("{:<wi$}  {:<wn$}  STATUS    VIA", "ACCOUNT", "NAME");
            for a in &accounts {
                let id = if a.id.is_empty() { "?" } else { &a.id };
                match &a.error {
                    None => println!("{id:<wi$}  {:<wn$}  read      {}", a.name, a.via),
                    Some(e) => println!("{id:<wi$}  {:<wn$}  NOT READ  {} — {e}", a.name, a.via),
                }
            }
        }
    }
    Ok(if accounts.iter().all(|a| a.error.is_none()) {
        0
    } else {
        2
    })
}

/// `crossconnect loa`: writes the LOA-CFA PDF exactly as AWS returned it (DescribeLoa).
pub async fn loa(
    g: &GlobalArgs,
    connection_id: &str,
    output: Option<&std::path::Path>,
) -> Result<i32> {
    let path = output
        .map(|p| p.to_path_buf())
        .unwrap_or_else(|| format!("{connection_id}-loa.pdf").into());
    let path_s = path.display().to_string();
    let outcome = if g.demo {
        crate::demo::write_loa(connection_id, &path_s)
    } else {
        let opts = aws_options(g);
        let regions = aws::resolve_regions(&opts, &g.regions).await?;
        let who = aws::identity::preflight(&opts, &regions[0]).await?;
        let c = aws::region_clients(
            &opts,
            who.account.as_deref().unwrap_or_default(),
            &regions[0],
            &OperationGuard::read_only(),
            &aws::engine::Limits::default(),
        )
        .await;
        let call = crate::calls::Call::from(crate::calls::DxCall::DescribeLoa {
            connection_id: connection_id.to_string(),
            path: path_s,
        });
        match tokio::time::timeout(
            Duration::from_secs(g.timeout),
            crate::workflows::exec::run(&c, &call, false),
        )
        .await
        {
            Ok(o) => o,
            Err(_) => {
                return Err(eyre!(
                    "DescribeLoa {connection_id}: no answer within {} s (--timeout)",
                    g.timeout
                ));
            }
        }
    };
    if outcome.success {
        println!("{}", outcome.message);
        Ok(0)
    } else {
        Err(eyre!(
            "DescribeLoa {connection_id}: {}: {}",
            outcome.code.unwrap_or_default(),
            outcome.message
        ))
    }
}

/// `crossconnect config`: the file read and what it resolves to.
pub fn show_config(g: &GlobalArgs, settings: &crate::config::Settings) -> Result<i32> {
    match &settings.path {
        Some(p) => println!("config file: {}", p.display()),
        None => println!(
            "config file: none ({} does not exist; `crossconnect config --default` prints one)",
            crate::config::default_path()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "no config directory".into())
        ),
    }
    println!(
        "profiles: {}",
        if g.profiles.is_empty() {
            "(default chain)".to_string()
        } else {
            g.profiles.join(", ")
        }
    );
    if let Some(role) = &g.org_role {
        println!("org role: {role}");
    }
    println!(
        "regions: {}",
        if g.regions.is_empty() {
            "(AWS_REGION or the profile's)".to_string()
        } else {
            g.regions.join(", ")
        }
    );
    println!("refresh: {} s", g.refresh.unwrap_or(30));
    println!("theme: {}", g.theme.as_deref().unwrap_or("dark"));
    println!("mouse: {}", settings.mouse);
    println!("keys:");
    for action in settings.keymap.by_action.keys() {
        println!("  {action:<18} {}", settings.keymap.keys_of(action));
    }
    Ok(0)
}

/// The estate a console starts from, before any poll: the demo's accounts and regions, or
/// the regions asked for.
pub fn starting_estate(session: &crate::app::Session) -> Estate {
    if session.demo {
        crate::demo::empty_estate(&session.regions)
    } else {
        Estate::with_regions(&session.regions)
    }
}

/// The journal changes are written to (`--journal`, else the default), refused when it
/// cannot be written: no change may be sent that cannot be journaled first.
pub fn writable_journal(g: &GlobalArgs) -> Result<std::path::PathBuf> {
    let journal_path = g
        .journal
        .clone()
        .unwrap_or_else(crate::workflows::journal::default_path);
    crate::workflows::journal::check_writable(&journal_path)
        .map_err(|e| eyre!("{e}: --write needs a writable journal (--journal PATH)"))?;
    Ok(journal_path)
}
