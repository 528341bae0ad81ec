//! What recast tells the person at the terminal: warnings and skipped records on stderr,
//! and a progress bar for long runs. Standard output carries data only.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Runs with at least this many input files show a progress bar on a terminal.
const PROGRESS_MIN_FILES: usize = 1000;

/// `--quiet` for the logger, which is global (installed once for the process).
static QUIET: AtomicBool = AtomicBool::new(false);

/// Shows the libraries' warnings (`log::warn!` in the format crates) as recast's own,
/// `recast: warning: ...` on stderr; none under `--quiet`, nor inside
/// [`recast::report::without_warnings`].
struct WarningLogger;

impl log::Log for WarningLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Warn && metadata.target().starts_with("recast")
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata())
            && !QUIET.load(Ordering::Relaxed)
            && !recast::report::warnings_silenced()
        {
            eprintln!("recast: warning: {}", record.args());
        }
    }

    fn flush(&self) {}
}

/// Installs [`WarningLogger`] for the process; call once, first thing in `main`.
pub fn install_warning_logger() {
    if log::set_logger(&WarningLogger).is_ok() {
        log::set_max_level(log::LevelFilter::Warn);
    }
}

/// Warnings and skipped records on stderr (warnings silenced by `--quiet`), and a
/// progress bar for large jobs on a terminal.
pub struct Reporter {
    quiet: bool,
}

impl Reporter {
    pub fn new(quiet: bool) -> Reporter {
        QUIET.store(quiet, Ordering::Relaxed);
        Reporter { quiet }
    }
}

impl recast::Report for Reporter {
    fn warn(&self, message: &str) {
        if !self.quiet {
            eprintln!("recast: warning: {message}");
        }
    }

    /// A record or file that failed: always shown, with its causes (`{:#}`: an I/O
    /// error's operating-system text).
    fn skipped(&self, error: &dyn std::fmt::Display) {
        eprintln!("recast: error: {error:#}");
    }

    /// Shown even under `--quiet`: it says what a failed run changed already.
    fn notice(&self, message: &str) {
        eprintln!("recast: {message}");
    }

    /// A bar counting input files, drawn only on a terminal for large jobs.
    fn progress(&self, files: usize) -> Box<dyn recast::Progress> {
        if self.quiet || files < PROGRESS_MIN_FILES || !std::io::stderr().is_terminal() {
            return Box::new(Bar(ProgressBar::hidden()));
        }
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {rate} eta {eta}")
                .expect("the template is valid")
                .with_key("rate", rate),
        );
        Box::new(Bar(bar))
    }
}

/// indicatif's bar as the library's progress counter.
struct Bar(ProgressBar);

impl recast::Progress for Bar {
    fn advance(&self, done: u64) {
        self.0.inc(done);
    }

    fn tick(&self) {
        self.0.tick();
    }

    fn finish(&self) {
        self.0.finish_and_clear();
    }
}

/// Files a second, whole (indicatif's own `{per_sec}` shows `38,542.8954/s`).
fn rate(state: &indicatif::ProgressState, out: &mut dyn std::fmt::Write) {
    let _ = write!(out, "{}/s", whole_rate(state.per_sec()));
}

/// A rate rounded to a whole number with thousands separators: `38,543`.
fn whole_rate(per_sec: f64) -> String {
    let whole = if per_sec.is_finite() && per_sec > 0.0 {
        per_sec.round() as u64
    } else {
        0
    };
    let digits = whole.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_whole_numbers() {
        assert_eq!(whole_rate(38542.8954), "38,543");
        assert_eq!(whole_rate(999.4), "999");
        assert_eq!(whole_rate(1_000_000.0), "1,000,000");
        assert_eq!(whole_rate(f64::NAN), "0");
    }
}
