//! The `recast` command line: parse flags, pick readers and writers, run, report.

mod cli;
mod convert;
mod format;
mod input;
mod inspect;
mod migrate;
mod ordered;
mod output;
mod report;
mod stream;
mod validate;

use std::process::ExitCode;

use clap::Parser;
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
    stream::set_threads(cli.threads);
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
        Command::Convert(args) => convert::convert(args, &reporter),
        Command::Migrate(args) => migrate::migrate(args, &reporter),
        Command::Inspect(args) => inspect::inspect(args, &reporter),
        Command::Validate(args) => validate::validate(args, &reporter),
    };
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(failed) => {
            eprintln!("recast: {failed} record(s) or file(s) skipped because of errors");
            ExitCode::from(exit::FAILED)
        }
        Err(error) => {
            eprintln!("recast: error: {error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// Maps the first recast or I/O error in the chain to its exit code.
fn exit_code(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if cause.is::<report::UsageError>() {
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
