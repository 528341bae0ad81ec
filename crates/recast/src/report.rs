//! How the engines tell their caller what happens while they run: warnings, records or
//! files skipped because of errors, and progress. The library never prints; a command
//! line implements [`Report`] to print, a program may collect or ignore.

use std::fmt::Display;

/// What an engine tells its caller while it runs.
///
/// ```
/// use std::sync::Mutex;
///
/// /// Keeps the warnings to show them later.
/// #[derive(Default)]
/// struct Collect(Mutex<Vec<String>>);
///
/// impl recast::Report for Collect {
///     fn warn(&self, message: &str) {
///         self.0.lock().unwrap().push(message.to_owned());
///     }
///     fn skipped(&self, error: &dyn std::fmt::Display) {
///         self.0.lock().unwrap().push(format!("skipped: {error}"));
///     }
/// }
/// ```
pub trait Report: Sync {
    /// Something the caller should know that did not stop the run: a folder holding no
    /// file of a known format, a `--column-types` column no record has.
    fn warn(&self, message: &str);

    /// A record or file that failed: skipped with `keep_going`, else the run ends after
    /// it (the engine then returns an error too).
    fn skipped(&self, error: &dyn Display);

    /// What a run did that its caller must be able to list even when it fails (the
    /// files an in-place migration replaced before a rename failed). The default drops it.
    fn notice(&self, message: &str) {
        let _ = message;
    }

    /// A counter of `total` work items (files) the engine is about to go through. The
    /// default counts nothing.
    fn progress(&self, total: usize) -> Box<dyn Progress> {
        let _ = total;
        Box::new(NoProgress)
    }
}

/// A counter an engine advances as it goes (a command line draws it as a bar).
pub trait Progress: Send {
    /// `done` more items are finished.
    fn advance(&self, done: u64);

    /// The engine is waiting on work in progress (a bar may redraw its clock).
    fn tick(&self) {}

    /// The engine is done with this counter.
    fn finish(&self) {}
}

/// A counter that counts nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&self, _: u64) {}
}

/// A [`Report`] that drops everything: for programs that look only at the result.
pub struct Silent;

impl Report for Silent {
    fn warn(&self, _: &str) {}
    fn skipped(&self, _: &dyn Display) {}
}

thread_local! {
    /// Set while [`without_warnings`] runs on this thread.
    static SILENCED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with the format crates' warnings (`log::warn!`) marked as not to be shown on
/// this thread: a second reading of a text whose warnings were given already (the check
/// that a rewritten file reads back). A logger asks [`warnings_silenced`].
pub fn without_warnings<T>(f: impl FnOnce() -> T) -> T {
    let before = SILENCED.with(|silenced| silenced.replace(true));
    let value = f();
    SILENCED.with(|silenced| silenced.set(before));
    value
}

/// True inside [`without_warnings`] on this thread: a logger drops warnings then.
pub fn warnings_silenced() -> bool {
    SILENCED.with(std::cell::Cell::get)
}
