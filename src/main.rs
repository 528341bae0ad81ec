//! The `recast` command line: parse flags, pick readers and writers, run, report.

mod cli;
mod commands;
mod report;
mod settings;

use std::process::ExitCode;

use clap::Parser;
use recast::output;
use recast_model::ErrorKind;

use crate::cli::{Cli, Command};
use crate::report::Reporter;

/// mimalloc rather than glibc's allocator: records are many small strings and maps,
/// allocated on the parsing threads and freed on the writing thread, which glibc's
/// per-thread arenas handle poorly (a third of a YAML stream's time went to malloc,
/// free and consolidation).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes (documented in README.md and docs/architecture.md).
mod exit {
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const IO: u8 = 3;
    pub const LIMIT: u8 = 4;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    report::install_warning_logger();
    end_cleanly_on_signals();
    // The record stream has its own pool; rayon serves `migrate` and the feed writers'
    // parallel item rendering, and takes the same limit.
    if let Some(threads) = cli.threads
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
    {
        eprintln!("recast: --threads: {e}");
        return ExitCode::from(exit::USAGE);
    }
    let reporter = Reporter::new(cli.quiet);
    let result = match &cli.command {
        Command::Convert(args) => commands::convert(args, cli.threads, &reporter),
        Command::Migrate(args) => commands::migrate(args, &reporter),
        Command::Inspect(args) => commands::inspect(args, cli.threads, &reporter),
        Command::Validate(args) => commands::validate(args, cli.threads, &reporter),
        Command::Stylesheet => commands::stylesheet(),
    };
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(failed) => {
            eprintln!("recast: {failed} record(s) or file(s) skipped because of errors");
            ExitCode::from(exit::FAILED)
        }
        Err(_) if output::stdout_closed() => end_as_a_closed_pipe_would(),
        Err(error) => {
            eprintln!("recast: error: {error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// On SIGINT (Ctrl-C) or SIGTERM, removes the run's temporary files and staging folders,
/// says so, and ends the way the signal would have ended recast (the shell shows exit
/// status 130 or 143), so a shell loop or `make` around it stops too.
fn end_cleanly_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = match signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
        Ok(signals) => signals,
        Err(error) => {
            eprintln!(
                "recast: warning: cannot handle Ctrl-C ({error}); an interrupted run may leave .recast-*.tmp files"
            );
            return;
        }
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            eprintln!("{}", output::clean_up_after_signal());
            end_by_signal(signal);
        }
    });
}

/// Standard output's reader went away (`recast … | head -1`): recast ends quietly, killed
/// by SIGPIPE as jq, Miller and yq are (the shell shows exit status 141). A broken pipe
/// on a file named with `-o` is an error like any other.
fn end_as_a_closed_pipe_would() -> ExitCode {
    output::clean_up_quietly();
    end_by_signal(signal_hook::consts::SIGPIPE)
}

/// Ends the process as `signal` does by default; exit status 128 + signal where that
/// cannot be done.
fn end_by_signal(signal: i32) -> ! {
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    std::process::exit(128 + signal)
}

/// Maps the first recast or I/O error in the chain to its exit code.
fn exit_code(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if cause.is::<recast::UsageError>() {
            return exit::USAGE;
        }
        if let Some(error) = cause.downcast_ref::<recast_model::Error>() {
            return match error.kind {
                ErrorKind::Io => exit::IO,
                ErrorKind::Limit => exit::LIMIT,
                _ => exit::FAILED,
            };
        }
        if cause.is::<std::io::Error>() {
            return exit::IO;
        }
    }
    exit::FAILED
}
