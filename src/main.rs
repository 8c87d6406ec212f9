//! The factdesk binary: load `.env`, set up logging, parse arguments, run, exit.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

use factdesk::cli::{self, Args};
use factdesk::config;

fn main() -> ExitCode {
    // Before clap, which reads FACTDESK_* from the environment. A missing .env is normal
    // (the terminal commands need none); a broken one stops only the commands that need
    // what it holds.
    let dotenv = config::load_dotenv();
    init_logging();
    let args = Args::parse();
    if let Err(error) = dotenv {
        if args.command.needs_token() {
            let _ = writeln!(io::stderr(), "error: {error}");
            return ExitCode::from(2);
        }
        let _ = writeln!(io::stderr(), "warning: {error}; ignored by this command");
    }
    let stdin = io::stdin();
    // Not locked: `ask --json` writes its answers from another thread.
    let mut stdout = io::stdout();
    let result = cli::run(args, &mut stdin.lock(), &mut stdout);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `check` problems are already `path:line: message` lines, one per problem.
        Err(error @ cli::CliError::Problems(_)) => {
            let _ = writeln!(io::stderr(), "{error}");
            ExitCode::from(error.exit_code())
        }
        Err(error) => {
            let _ = writeln!(io::stderr(), "error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// Logs to standard error at `RUST_LOG` (default `warn`), except that the libraries that
/// see the token on the wire are capped, whatever `RUST_LOG` says: at trace level the
/// WebSocket library prints every frame (IDENTIFY carries the token) and the HTTP stack
/// may print headers (`Authorization` carries it).
fn init_logging() {
    let wanted = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let capped = config::CAPPED_LOG_TARGETS.iter().fold(
        Targets::new().with_default(LevelFilter::TRACE),
        |targets, target| targets.with_target(*target, LevelFilter::INFO),
    );
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .with_filter(wanted)
        .with_filter(capped);
    let _ = tracing_subscriber::registry().with(layer).try_init();
}
