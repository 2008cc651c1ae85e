//! Logging to a file (never to the terminal the TUI draws on). Default path:
//! `$XDG_STATE_HOME/crossconnect/crossconnect.log`. Level from `CROSSCONNECT_LOG`
//! (default `info`). The SDK's own wire-level logs stay at `warn` whatever the level, so a
//! response body (which may hold a BGP auth key) is never written.

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// The default log file path.
pub fn default_path() -> PathBuf {
    dirs::state_dir()
        .or_else(dirs::cache_dir)
        .unwrap_or_else(std::env::temp_dir)
        .join("crossconnect")
        .join("crossconnect.log")
}

/// A filter from `CROSSCONNECT_LOG` with the SDK's wire logging pinned to `warn`.
pub fn filter() -> EnvFilter {
    filter_from(&std::env::var("CROSSCONNECT_LOG").unwrap_or_else(|_| "info".into()))
}

/// A filter from directives like `debug` or `crossconnect=trace`, with the SDK's wire
/// logging pinned to `warn`.
pub fn filter_from(base: &str) -> EnvFilter {
    let mut f = EnvFilter::try_new(base).unwrap_or_else(|_| EnvFilter::new("info"));
    for quiet in [
        "aws_smithy_runtime",
        "aws_smithy_http",
        "aws_smithy_http_client",
        "aws_config",
        "hyper",
        "hyper_util",
        "rustls",
        "h2",
    ] {
        if let Ok(d) = format!("{quiet}=warn").parse() {
            f = f.add_directive(d);
        }
    }
    f
}

/// Starts logging to `path` (or the default); keep the guard alive until exit.
pub fn init(path: Option<&Path>) -> color_eyre::Result<(WorkerGuard, PathBuf)> {
    let path = path.map(Path::to_path_buf).unwrap_or_else(default_path);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| {
        color_eyre::eyre::eyre!("cannot create log directory {}: {e}", dir.display())
    })?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| color_eyre::eyre::eyre!("cannot open log file {}: {e}", path.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter())
        .init();
    Ok((guard, path))
}
