//! crossconnect: CLI → error reporting and logging → run.

use clap::Parser;
use crossconnect::cli::{Cli, Command};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Err(e) = color_eyre::install() {
        eprintln!("crossconnect: {e}");
    }
    let (_guard, _log) = match crossconnect::logging::init(cli.global.log_file.as_deref()) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("crossconnect: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("crossconnect: cannot start the async runtime: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            None => crossconnect::run::tui(&cli.global).await.map(|_| 0),
            Some(Command::Snapshot { format }) => {
                crossconnect::run::snapshot(&cli.global, format).await
            }
            Some(Command::Audit(args)) => crossconnect::run::audit(&cli.global, &args).await,
            Some(Command::Loa {
                connection_id,
                output,
            }) => crossconnect::run::loa(&cli.global, &connection_id, output.as_deref()).await,
        }
    });
    match result {
        Ok(code) => std::process::ExitCode::from(code as u8),
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("crossconnect: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}
