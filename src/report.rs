//! What recast tells the person at the terminal: warnings and skipped records on stderr,
//! and a progress bar for long runs. Standard output carries data only.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs with at least this many input files show a progress bar on a terminal.
const PROGRESS_MIN_FILES: usize = 1000;

/// A command line that cannot work: a bad flag value, flags that contradict each other,
/// a flag that cannot take effect. `main` maps it to exit code 2, like clap's own errors;
/// everything else about the data exits 1 and I/O 3.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A usage error (exit code 2) with this message.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

/// Returns early with a usage error (exit code 2): `usage_bail!("--diff needs --dry-run")`.
macro_rules! usage_bail {
    ($($arg:tt)*) => {
        return Err($crate::report::usage(format!($($arg)*)))
    };
}
pub(crate) use usage_bail;

pub struct Reporter {
    quiet: bool,
}

impl Reporter {
    pub fn new(quiet: bool) -> Reporter {
        Reporter { quiet }
    }

    /// True under `--quiet`: no warnings, no progress.
    pub fn quiet(&self) -> bool {
        self.quiet
    }

    pub fn warn(&self, message: &str) {
        if !self.quiet {
            eprintln!("recast: warning: {message}");
        }
    }

    /// A record or file that failed and was skipped (`--keep-going`): always shown.
    pub fn error(&self, error: &dyn std::fmt::Display) {
        eprintln!("recast: error: {error}");
    }

    /// A bar counting input files, drawn only on a terminal for large jobs.
    pub fn progress(&self, files: usize) -> ProgressBar {
        if self.quiet || files < PROGRESS_MIN_FILES || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {per_sec} eta {eta}")
                .expect("the template is valid"),
        );
        bar
    }
}
