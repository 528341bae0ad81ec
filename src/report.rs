//! What recast tells the person at the terminal: warnings and skipped records on stderr,
//! and a progress bar for long runs. Standard output carries data only.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs with at least this many input files show a progress bar on a terminal.
const PROGRESS_MIN_FILES: usize = 1000;

/// `--quiet` for the whole run, for warnings raised where no `Reporter` is at hand (a
/// reader opened with default options, whichever command opened it).
static QUIET: AtomicBool = AtomicBool::new(false);

/// False under `--quiet`: readers' warnings are dropped too.
pub fn warnings_shown() -> bool {
    !QUIET.load(Ordering::Relaxed)
}

pub struct Reporter {
    quiet: bool,
}

impl Reporter {
    pub fn new(quiet: bool) -> Reporter {
        QUIET.store(quiet, Ordering::Relaxed);
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
