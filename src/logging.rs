//! Logging to a file (never to the terminal the TUI draws on). Default path:
//! `$XDG_STATE_HOME/crossconnect/crossconnect.log`. Level from `CROSSCONNECT_LOG`
//! (default `info`). The SDK's own wire-level logs stay at `warn` unless a directive names
//! them. Whatever the filter, every line passes [`ScrubWriter`] on its way to the file: BGP key
//! values quoted in it are registered and every registered value is masked, then the key
//! patterns apply (see [`crate::model::secret`]).

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

/// A filter from `CROSSCONNECT_LOG` (else the config's `ui.log_level`, else `info`) with the
/// SDK's wire logging pinned to `warn` unless a directive names it.
pub fn filter(config_level: Option<&str>) -> EnvFilter {
    filter_from(
        &std::env::var("CROSSCONNECT_LOG")
            .ok()
            .or(config_level.map(str::to_string))
            .unwrap_or_else(|| "info".into()),
    )
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
///
/// The default file rotates daily (tracing-appender's rolling writer, `crossconnect.log.DATE`),
/// keeping the last 7 files; `--log-file PATH` is written as named.
pub fn init(
    path: Option<&Path>,
    config_level: Option<&str>,
) -> color_eyre::Result<(WorkerGuard, PathBuf)> {
    // The default log rotates daily; a file named with --log-file is written as named.
    let rotation = if path.is_some() {
        tracing_appender::rolling::Rotation::NEVER
    } else {
        tracing_appender::rolling::Rotation::DAILY
    };
    let path = path.map(Path::to_path_buf).unwrap_or_else(default_path);
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| {
        color_eyre::eyre::eyre!("cannot create log directory {}: {e}", dir.display())
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "crossconnect.log".into());
    let file = tracing_appender::rolling::Builder::new()
        .rotation(rotation)
        .filename_prefix(name)
        .max_log_files(7)
        .build(dir)
        .map_err(|e| color_eyre::eyre::eyre!("cannot open log file {}: {e}", path.display()))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    tracing_subscriber::fmt()
        .with_writer(ScrubMakeWriter(writer))
        .with_ansi(false)
        .with_env_filter(filter(config_level))
        .init();
    Ok((guard, path))
}

/// Masks secrets in every log line before it reaches the writer: key values quoted in the line
/// (JSON bodies, `Debug` dumps) are registered first, then every registered value and the
/// key patterns are masked.
pub fn scrub_line(line: &str) -> String {
    for k in crate::model::secret::harvest(line) {
        crate::model::secret::register(&k);
    }
    crate::model::secret::scrub(line, usize::MAX)
}

/// A [`tracing_subscriber::fmt::MakeWriter`] whose writers pass every line through
/// [`scrub_line`].
#[derive(Clone, Debug)]
pub struct ScrubMakeWriter<M>(pub M);

impl<'a, M> tracing_subscriber::fmt::MakeWriter<'a> for ScrubMakeWriter<M>
where
    M: tracing_subscriber::fmt::MakeWriter<'a>,
{
    type Writer = ScrubWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        ScrubWriter(self.0.make_writer())
    }
}

/// See [`ScrubMakeWriter`]. The fmt layer writes each event with one `write_all`, so each
/// buffer is one whole line.
#[derive(Debug)]
pub struct ScrubWriter<W>(pub W);

impl<W: std::io::Write> std::io::Write for ScrubWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let clean = scrub_line(&String::from_utf8_lossy(buf));
        self.0.write_all(clean.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logged_body_is_masked_by_the_value_it_carries() {
        let key = "Zq7-md5-T00r writer";
        let body = serde_json::json!({"virtualInterfaces": [{"authKey": key,
            "customerRouterConfig": format!("! neighbor key {key}")}]})
        .to_string();
        let line = format!(
            "TRACE read HTTP response body response={:?}\n",
            body.as_bytes().escape_ascii().to_string()
        );
        let mut out = Vec::new();
        {
            let mut w = ScrubWriter(&mut out);
            std::io::Write::write_all(&mut w, line.as_bytes()).unwrap();
        }
        let out = String::from_utf8(out).unwrap();
        for piece in key.as_bytes().windows(4) {
            let p = std::str::from_utf8(piece).unwrap();
            assert!(!out.contains(p), "{p:?} survives in {out}");
        }
    }
}
