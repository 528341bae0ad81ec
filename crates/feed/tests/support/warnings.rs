//! Catches the warnings (`log::warn!`) given on the current thread while a closure
//! runs, for tests: the unit tests include this file too (`#[path]`), so there is one
//! copy. Per thread, because tests run in parallel.

use std::cell::RefCell;

thread_local! {
    static CAUGHT: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

struct Catcher;

impl log::Log for Catcher {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record<'_>) {
        CAUGHT.with(|caught| {
            if let Some(warnings) = caught.borrow_mut().as_mut() {
                warnings.push(record.args().to_string());
            }
        });
    }

    fn flush(&self) {}
}

static CATCHER: Catcher = Catcher;

/// Runs `f`, returning what it returned and the warnings it gave, in order.
pub fn warnings_of<T>(f: impl FnOnce() -> T) -> (T, Vec<String>) {
    // The first test to get here installs the catcher; it stays for the process.
    let _ = log::set_logger(&CATCHER);
    log::set_max_level(log::LevelFilter::Warn);
    CAUGHT.with(|caught| *caught.borrow_mut() = Some(Vec::new()));
    let value = f();
    let warnings = CAUGHT.with(|caught| caught.borrow_mut().take().unwrap_or_default());
    (value, warnings)
}
