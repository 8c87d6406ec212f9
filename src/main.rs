//! The factdesk binary: load `.env`, set up logging, parse arguments, run, exit.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use factdesk::cli::{self, Args};

fn main() -> ExitCode {
    // A missing .env is normal (the terminal commands need none); a broken one is an error.
    if let Err(error) = dotenvy::dotenv() {
        if !error.not_found() {
            let _ = writeln!(io::stderr(), "error: .env: {error} (see .env.example)");
            return ExitCode::from(2);
        }
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .init();
    let args = Args::parse();
    let stdin = io::stdin();
    let stdout = io::stdout();
    let result = cli::run(args, &mut stdin.lock(), &mut stdout.lock());
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
