//! crossconnect: CLI → error reporting and logging → run.

use clap::Parser;
use crossconnect::cli::{Cli, Command};

/// mimalloc: an organisation's poll allocates and frees millions of small buffers from two
/// threads; glibc's allocator spent a quarter of the CPU on them and kept the freed pages.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let mut cli = Cli::parse();
    // Commands that only print need no logging, runtime or AWS.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            crossconnect::cli::completions(*shell, &mut std::io::stdout());
            return std::process::ExitCode::SUCCESS;
        }
        Some(Command::Man) => {
            return match crossconnect::cli::man(&mut std::io::stdout()) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("crossconnect: {e}");
                    std::process::ExitCode::from(1)
                }
            };
        }
        Some(Command::Config { default: true }) => {
            print!("{}", crossconnect::config::DEFAULT_FILE);
            return std::process::ExitCode::SUCCESS;
        }
        _ => {}
    }
    let settings = match crossconnect::config::load(
        &mut cli.global,
        &crossconnect::app::workflow_bindings(),
    ) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("crossconnect: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    if let Err(e) = color_eyre::install() {
        eprintln!("crossconnect: {e}");
    }
    let (_guard, _log) = match crossconnect::logging::init(
        cli.global.log_file.as_deref(),
        settings.log_level.as_deref(),
    ) {
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
    // A report that has been written needs nothing of the runtime: its connection pool (up
    // to a thousand connections after an organisation's poll) and leftover tasks are not
    // waited for.
    let one_shot = matches!(
        cli.command,
        Some(Command::Snapshot { .. } | Command::Audit(_))
    );
    let result = runtime.block_on(async {
        match cli.command {
            None => crossconnect::run::tui(&cli.global, &settings)
                .await
                .map(|_| 0),
            Some(Command::Snapshot { format, output }) => {
                crossconnect::run::snapshot(&cli.global, format, output.as_deref()).await
            }
            Some(Command::Audit(args)) => {
                crossconnect::run::audit(&cli.global, &settings, &args).await
            }
            Some(Command::Accounts { format }) => {
                crossconnect::run::accounts(&cli.global, format).await
            }
            Some(Command::Watch { listen }) => {
                let listen = listen.or(settings.watch_listen);
                crossconnect::run::history::watch(&cli.global, &settings, listen).await
            }
            Some(Command::History(args)) => crossconnect::run::history::history(&cli.global, &args),
            Some(Command::Diff { a, b, format }) => {
                crossconnect::run::history::diff(&a, &b, format)
            }
            Some(Command::Routes {
                vif_id,
                direction,
                format,
            }) => crossconnect::run::history::routes(&cli.global, &vif_id, direction, format).await,
            Some(Command::Path {
                from,
                to,
                format,
                protocol,
                port,
            }) => {
                let ends = crossconnect::run::graph::PathEnds {
                    from: &from,
                    to: &to,
                    protocol: protocol.as_deref(),
                    port,
                };
                crossconnect::run::graph::path(&cli.global, ends, format).await
            }
            Some(Command::Lookup { target, format }) => {
                crossconnect::run::graph::lookup(&cli.global, &target, format).await
            }
            Some(Command::Impact { id, format }) => {
                crossconnect::run::graph::impact(&cli.global, &id, format).await
            }
            Some(Command::Verify { format, snapshot }) => {
                crossconnect::run::verify::verify(&cli.global, format, snapshot.as_deref()).await
            }
            Some(Command::WhatIf(args)) => {
                crossconnect::run::graph::what_if(&cli.global, &args).await
            }
            Some(Command::Topology { format }) => {
                crossconnect::run::graph::topology(&cli.global, format).await
            }
            Some(Command::Journal { since, format }) => {
                crossconnect::run::changes::journal(&cli.global, since.as_deref(), format)
            }
            Some(Command::Apply { file }) => {
                crossconnect::run::changes::apply(&cli.global, &settings, &file).await
            }
            Some(Command::Loa {
                connection_id,
                output,
            }) => crossconnect::run::loa(&cli.global, &connection_id, output.as_deref()).await,
            Some(Command::Config { .. }) => crossconnect::run::show_config(&cli.global, &settings),
            Some(Command::Completions { .. } | Command::Man) => Ok(0),
        }
    });
    if one_shot {
        runtime.shutdown_background();
    } else {
        drop(runtime);
    }
    match result {
        Ok(code) => std::process::ExitCode::from(code as u8),
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("crossconnect: {e:#}");
            std::process::ExitCode::from(1)
        }
    }
}
