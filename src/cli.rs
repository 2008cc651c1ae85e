//! Command-line interface (clap). Parsing only; `main.rs` runs what it says.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A terminal operator console for AWS hybrid networking: Direct Connect, VPC peering,
/// Transit Gateway, Route 53 Resolver and DNS Firewall, live, in one place. Read-only
/// unless started with --write.
#[derive(Debug, Parser)]
#[command(name = "crossconnect", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Configuration file (default: $XDG_CONFIG_HOME/crossconnect/config.toml when it exists).
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
    /// Use the embedded demo estate (no AWS, no network).
    #[arg(long, global = true)]
    pub demo: bool,
    /// Region to read; repeat for several. Default: AWS_REGION or the profile's region.
    #[arg(long = "region", value_name = "REGION", global = true)]
    pub regions: Vec<String>,
    /// Named AWS profile, one account each; repeat for several accounts (SSO and
    /// assume-role profiles work through aws-config, as in the AWS CLI).
    #[arg(long = "profile", value_name = "PROFILE", global = true)]
    pub profiles: Vec<String>,
    /// Read every ACTIVE account of the organisation (organizations ListAccounts) by assuming
    /// this role name in each, with the first profile's credentials.
    #[arg(long, value_name = "ROLE_NAME", global = true)]
    pub org_role: Option<String>,
    /// With --org-role: only these account ids (comma-separated).
    #[arg(long, value_name = "ID,…", value_delimiter = ',', global = true)]
    pub accounts: Vec<String>,
    /// Seconds between polls (default 30; 5 with --demo).
    #[arg(long, value_name = "SECS", global = true, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub refresh: Option<u64>,
    /// Theme: a built-in name (dark, light) or a path to a TOML theme file.
    #[arg(long, value_name = "NAME|PATH", global = true)]
    pub theme: Option<String>,
    /// Allow change workflows to send mutating calls (after confirmation).
    #[arg(long, global = true)]
    pub write: bool,
    /// Change journal, JSON lines (default: $XDG_STATE_HOME/crossconnect/journal.jsonl).
    #[arg(long, value_name = "PATH", global = true)]
    pub journal: Option<PathBuf>,
    /// Overall deadline of snapshot, audit and loa, in seconds: calls still unanswered then
    /// are listed as failed, with the reason.
    #[arg(long, value_name = "SECS", global = true, default_value_t = 90, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// The change ticket the changes of this session belong to (journaled with each; required
    /// when the config's `[changes] require_ticket` is true).
    #[arg(long, value_name = "ID", global = true)]
    pub ticket: Option<String>,
    /// Write a confirmed change's plan to FILE (call, masked parameters, expected impact, the
    /// target as read) instead of sending it; `crossconnect apply FILE --write` sends it.
    #[arg(long, value_name = "FILE", global = true)]
    pub plan_out: Option<PathBuf>,
    /// Change history: an SQLite file (default: $XDG_STATE_HOME/crossconnect/history.sqlite)
    /// or a PostgreSQL database a team shares, postgres://USER@HOST[:PORT]/DB[?sslmode=require]
    /// (the password in the URL or PGPASSWORD).
    #[arg(long, value_name = "PATH|URL", global = true)]
    pub history: Option<PathBuf>,
    /// Declared intents, TOML `[[intent]]` tables (default:
    /// $XDG_CONFIG_HOME/crossconnect/intents.toml).
    #[arg(long, value_name = "PATH", global = true)]
    pub intents: Option<PathBuf>,
    /// Log file (default: $XDG_STATE_HOME/crossconnect/crossconnect.log).
    #[arg(long, value_name = "PATH", global = true)]
    pub log_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to stdout: `crossconnect man > crossconnect.1`.
    Man,
    /// The configuration file: `--default` prints a commented default file; without it, the
    /// path read and the settings it resolves to.
    Config {
        /// Print a commented default configuration file.
        #[arg(long)]
        default: bool,
    },
    /// Poll once and print every resource to stdout.
    /// Exit 0 when every call succeeded, 2 when some failed, 1 when nothing was read.
    Snapshot {
        #[arg(long, value_enum, default_value_t = SnapshotFormat::Json)]
        format: SnapshotFormat,
        /// With `--format batfish`: the directory to write `aws_configs/<account>/<region>/`
        /// into (Batfish's snapshot layout).
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Read-only audit: health findings of one poll as markdown, json, csv or sarif.
    /// Exit 0, or 3 with --fail-on when a finding at or above it exists; 1 when nothing was read.
    /// Calls that failed are listed as coverage gaps in the report.
    Audit(AuditArgs),
    /// The accounts in scope (profiles, organisation) and whether each could be read.
    /// Exit 0 when all can be read, 2 when some cannot.
    Accounts {
        #[arg(long, value_enum, default_value_t = AccountsFormat::Text)]
        format: AccountsFormat,
    },
    /// Poll until stopped and record every change in the history database, printing one
    /// line per change (for a tmux pane, a systemd unit or a cron-started box).
    Watch {
        /// Serve `/metrics` (OpenMetrics text, for Prometheus) and `/healthz` on `ADDR:PORT`
        /// (port 0: any free one, printed on stderr). Also `[watch] listen` in the config.
        #[arg(long, value_name = "ADDR:PORT")]
        listen: Option<std::net::SocketAddr>,
    },
    /// The recorded changes, newest first.
    History(HistoryArgs),
    /// The changes between two saved snapshots (`snapshot --format json`), as events.
    Diff {
        /// The earlier snapshot.
        a: PathBuf,
        /// The later snapshot.
        b: PathBuf,
        #[arg(long, value_enum, default_value_t = EventsFormat::Text)]
        format: EventsFormat,
    },
    /// The BGP routes of a VIF (ListVirtualInterfaceRoutes): every accepted and advertised
    /// prefix with its AS path, communities and install time.
    Routes {
        /// `dxvif-…`
        vif_id: String,
        /// Only accepted (received from on-prem) or advertised (sent by AWS) prefixes.
        #[arg(long, value_enum)]
        direction: Option<RouteDirection>,
        #[arg(long, value_enum, default_value_t = AccountsFormat::Text)]
        format: AccountsFormat,
    },
    /// Trace the path from SRC to DST and back: VPC route table → TGW attachment → route table
    /// → DX gateway → VIFs (BGP) → connections → locations, or over a VPC peering or VGW; the
    /// verdict (reachable, degraded, unreachable, unknown), the working paths and the problems.
    /// SRC and DST: a VPC id, a TGW attachment id, a Resolver endpoint id, an IP or a CIDR (an
    /// address outside every VPC is on-prem). Exit status: 0 reachable, 4 degraded, 5
    /// unreachable, 6 unknown (something needed was not read), 2 bad input (an end that is not
    /// one of those, checked before any AWS call, or not in what was read), 1 nothing read.
    /// Without --protocol/--port the verdict is about routing only; with them it also judges
    /// the network ACLs of the subnets at each VPC end (the replies to ephemeral ports
    /// 1024-65535) and the security groups of the network interface that owns an address.
    Path {
        #[arg(long, value_name = "SRC")]
        from: String,
        #[arg(long, value_name = "DST")]
        to: String,
        /// `tcp`, `udp` or `icmp` (tcp when only --port is given).
        #[arg(long)]
        protocol: Option<String>,
        /// Destination port, 1-65535 (tcp and udp).
        #[arg(long)]
        port: Option<u16>,
        #[arg(long, value_enum, default_value_t = PathFormat::Text)]
        format: PathFormat,
    },
    /// Where an IP address or a CIDR lands: the VPCs, subnets and Resolver endpoint IPs that
    /// own it, every VPC and TGW route table's longest-prefix match for it (target, state,
    /// origin), and the DX gateway associations whose allowed prefixes advertise it to
    /// on-prem. Exit status: 0, 2 for an address that is not one (checked before any AWS
    /// call), 1 nothing read.
    Lookup {
        /// An IP address (`10.20.1.5`) or a CIDR (`10.20.0.0/16`).
        target: String,
        #[arg(long, value_enum, default_value_t = AccountsFormat::Text)]
        format: AccountsFormat,
    },
    /// Blast radius: which VPCs and gateways lose their last working path to on-prem, and
    /// which lose redundancy, if a VIF, connection, LAG, AWS device or location fails.
    Impact {
        /// `dxvif-…`, `dxcon-…`, `dxlag-…`, an AWS device name or a location code.
        id: String,
        #[arg(long, value_enum, default_value_t = AccountsFormat::Text)]
        format: AccountsFormat,
    },
    /// What changes would do to the paths, before they are made, over one poll: the VPCs that
    /// would lose their last working path to on-prem (exit 3) or some redundancy, the prefixes
    /// they would no longer reach, and the findings that would appear or clear. Changes by id
    /// or from a Terraform plan.
    WhatIf(WhatIfArgs),
    /// Checks every declared intent (`--intents PATH`) against one poll: held, broken or
    /// unknown, with the hop, route or VIF that breaks it. Exit 0 all held, 3 any broken or
    /// unknown (what was not read is not a pass), 1 nothing read, 2 a bad intent file or a
    /// selector that matches nothing.
    Verify {
        #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
        format: VerifyFormat,
        /// Check a saved `snapshot --format json` instead of polling.
        #[arg(long, value_name = "FILE")]
        snapshot: Option<PathBuf>,
    },
    /// The hybrid topology from the on-prem side (location → device → connection/LAG → VIF →
    /// DXGW/VGW → TGW → attachments → VPCs) as a text tree, or the whole connectivity graph
    /// as Graphviz DOT, Mermaid or JSON (nodes and edges).
    Topology {
        #[arg(long, value_enum, default_value_t = TopologyFormat::Text)]
        format: TopologyFormat,
    },
    /// The change journal, for auditors: every change with its outcome, who sent it (profile,
    /// caller ARN, host), the created resource and the AWS request id; oldest first.
    Journal {
        /// Only changes since: a duration back from now (90s, 15m, 1h, 2d) or a time
        /// (2026-11-24T02:00, UTC).
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        #[arg(long, value_enum, default_value_t = EventsFormat::Text)]
        format: EventsFormat,
    },
    /// Send a plan written with `--plan-out` (needs --write): the target is read again and the
    /// plan refused, naming what changed, when it is not as it was; the impact is shown again,
    /// then the call is sent once and journaled. Exit 0 sent, 1 refused or failed, 8 outcome
    /// unknown (check the target).
    Apply {
        /// The plan file.
        file: PathBuf,
    },
    /// Download the LOA-CFA of a connection, LAG or interconnect (DescribeLoa) as a PDF.
    Loa {
        /// `dxcon-…`, `dxlag-…` or `dxcon-…` of an interconnect.
        connection_id: String,
        /// Where to write the PDF (default `<connection-id>-loa.pdf`).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// `verify` output: text, JSON, JUnit XML (CI dashboards) or SARIF 2.1.0 (code scanning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    Text,
    Json,
    Junit,
    Sarif,
}

/// `what-if` changes (at least one).
#[derive(Debug, Args, Clone)]
pub struct WhatIfArgs {
    /// A VIF, connection, LAG, AWS device, location, TGW attachment or VPN connection
    /// (`vpn-…`) fails (repeatable).
    #[arg(long = "fail", value_name = "ID")]
    pub fail: Vec<String>,
    /// A TGW route (`tgw-rtb-…:CIDR`), a VPC route (`rtb-…:CIDR`), a VPC peering (`pcx-…`), a
    /// TGW attachment (`tgw-attach-…`), a VIF (`dxvif-…`), a TGW association or propagation
    /// (`association:tgw-rtb-…:tgw-attach-…`, `propagation:…`) or a DX gateway association
    /// (`DXGW_ID:tgw-…|vgw-…`) is deleted (repeatable).
    #[arg(long = "delete", value_name = "ID")]
    pub delete: Vec<String>,
    /// The changes of a Terraform plan: the JSON of `terraform show -json PLAN`. Resources
    /// what-if does not model are listed as not assessed.
    #[arg(long = "terraform-plan", value_name = "FILE")]
    pub terraform_plan: Option<PathBuf>,
    /// Apply the changes to a saved `snapshot --format json` instead of a poll.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = AccountsFormat::Text)]
    pub format: AccountsFormat,
}

/// `audit` options.
#[derive(Debug, Args, Clone)]
pub struct AuditArgs {
    #[arg(long, value_enum, default_value_t = crate::audit::AuditFormat::Markdown)]
    pub format: crate::audit::AuditFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 3 when a finding at or above this severity exists (for CI pipelines).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<crate::findings::Severity>,
}

/// `history` options.
#[derive(Debug, Args, Clone)]
pub struct HistoryArgs {
    /// Only events since: a duration back from now (90s, 15m, 1h, 2d) or a time
    /// (2026-11-24T02:00, UTC).
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only this resource id.
    #[arg(long, value_name = "ID")]
    pub resource: Option<String>,
    /// Only kinds containing this (virtual_interfaces, vpc_peering, …).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    #[arg(long, value_enum, default_value_t = EventsFormat::Text)]
    pub format: EventsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EventsFormat {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PathFormat {
    Text,
    Json,
    Dot,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TopologyFormat {
    Text,
    Dot,
    Mermaid,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RouteDirection {
    Accepted,
    Advertised,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccountsFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SnapshotFormat {
    Json,
    Markdown,
    /// Batfish's AWS snapshot layout, written under `--output DIR`.
    Batfish,
}

/// Writes the completion script of `shell` for this CLI.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "crossconnect", out);
}

/// Writes the man page (roff) of this CLI.
pub fn man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use clap::CommandFactory;
    clap_mangen::Man::new(Cli::command()).render(out)
}
