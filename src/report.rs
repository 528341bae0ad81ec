//! What recast tells the person at the terminal: warnings and skipped records on stderr,
//! and a progress bar for long runs. Standard output carries data only.

use std::cell::Cell;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

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

/// Says what each edit of a migration could not do: a warning with the count and the
/// first record for an edit that skipped some records, a usage error for one that could
/// apply to no record at all (`--set title.sub=1` where every title is a string).
/// `labels` names each edit as the user gave it (`--set title.sub=1`).
pub fn check_edits(
    report: &recast_migrate::PlanReport,
    labels: &[String],
    reporter: &Reporter,
) -> anyhow::Result<()> {
    let mut impossible = Vec::new();
    for (counts, label) in report.edits.iter().zip(labels) {
        let applied = counts.changed + counts.unchanged;
        if counts.blocked > 0 {
            let why = counts.first_blocked.as_deref().unwrap_or("cannot apply");
            let at = counts.first_blocked_in.as_deref().unwrap_or("?");
            let text = format!(
                "{label}: {} record(s) skipped: {why} (first: {at})",
                counts.blocked
            );
            if applied == 0 {
                impossible.push(text);
            } else {
                reporter.warn(&text);
            }
        } else if applied == 0 && counts.missing > 0 {
            reporter.warn(&format!(
                "{label}: changed nothing: none of {} record(s) has the field it reads",
                counts.missing
            ));
        } else if applied == 0 && counts.dropped > 0 {
            reporter.warn(&format!(
                "{label}: matched none of {} record(s)",
                counts.dropped
            ));
        }
        check_template(&counts.template, label, true, reporter)?;
    }
    if !impossible.is_empty() {
        usage_bail!(
            "{}\nan edit that applies to no record is a mistake; nothing was written",
            impossible.join("\n")
        );
    }
    Ok(())
}

/// Says which placeholders of a template found no value: a usage error when no record
/// has the field and the user wrote the template (`chosen`), else a warning with the
/// count and the first record. The default `--name` only warns.
pub fn check_template(
    gaps: &recast_model::template::TemplateGaps,
    label: &str,
    chosen: bool,
    reporter: &Reporter,
) -> anyhow::Result<()> {
    for gap in gaps.never_filled() {
        let (mut why, at) = gap.first.clone().unwrap_or_default();
        if let Some(near) = did_you_mean(&gap.field, &gap.names_of_first) {
            why.push_str(&format!(" (did you mean {near}?)"));
        }
        let text = format!(
            "{label}: {} is empty in all {} record(s): {why} (first: {at})",
            gap.placeholder, gaps.records
        );
        if chosen {
            usage_bail!("{text}; nothing was written");
        }
        reporter.warn(&text);
    }
    for gap in gaps.sometimes_empty() {
        let (why, at) = gap.first.clone().unwrap_or_default();
        reporter.warn(&format!(
            "{label}: {} is empty in {} of {} record(s): {why} (first: {at})",
            gap.placeholder, gap.records, gaps.records
        ));
    }
    Ok(())
}

/// `--quiet` for the whole run, for warnings raised where no `Reporter` is at hand (a
/// reader opened with default options, whichever command opened it).
static QUIET: AtomicBool = AtomicBool::new(false);

/// False under `--quiet`: readers' warnings are dropped too.
pub fn warnings_shown() -> bool {
    !QUIET.load(Ordering::Relaxed)
}

thread_local! {
    /// Inside [`without_warnings`] on this thread.
    static MUTED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with the library crates' warnings on this thread dropped: reading back a
/// text recast just wrote repeats warnings already given for the file.
pub fn without_warnings<T>(f: impl FnOnce() -> T) -> T {
    let was = MUTED.replace(true);
    let result = f();
    MUTED.set(was);
    result
}

/// Prints what the library crates log (`log::warn!`: a sniffed delimiter, a guessed
/// encoding) as recast's own warnings, `recast: warning: …` on standard error; nothing
/// under `--quiet` or inside [`without_warnings`]. Libraries never print themselves.
struct WarningLogger;

impl log::Log for WarningLogger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) && warnings_shown() && !MUTED.get() {
            eprintln!("recast: warning: {}", record.args());
        }
    }

    fn flush(&self) {}
}

/// Installs [`WarningLogger`] for the process; call once, first thing in `main`.
pub fn install_warning_logger() {
    static LOGGER: WarningLogger = WarningLogger;
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Warn);
    }
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

    /// A record or file that failed and was skipped (`--keep-going`): always shown, with
    /// its causes (`{:#}`: an I/O error's operating-system text).
    pub fn error(&self, error: &dyn std::fmt::Display) {
        eprintln!("recast: error: {error:#}");
    }

    /// A bar counting input files, drawn only on a terminal for large jobs.
    pub fn progress(&self, files: usize) -> ProgressBar {
        if self.quiet || files < PROGRESS_MIN_FILES || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(files as u64), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {rate} eta {eta}")
                .expect("the template is valid")
                .with_key("rate", rate),
        );
        bar
    }
}

/// Field paths a flag names (`--fields`, `--schema`) and whether some record has each:
/// one that no record has is most likely misspelt (`tittle`).
#[derive(Default, Clone)]
pub struct FieldsSeen {
    fields: Vec<(String, recast_model::path::FieldPath, bool)>,
    /// Top-level field names met, for "did you mean".
    names: std::collections::BTreeSet<String>,
}

/// Field names kept for "did you mean" (a bound for archives with very many names).
const NAMES_KEPT: usize = 10_000;

impl FieldsSeen {
    pub fn new<'a>(paths: impl IntoIterator<Item = &'a String>) -> FieldsSeen {
        FieldsSeen {
            fields: paths
                .into_iter()
                .map(|path| {
                    let path = path.trim();
                    (
                        path.to_owned(),
                        recast_model::path::FieldPath::parse(path),
                        false,
                    )
                })
                .collect(),
            names: Default::default(),
        }
    }

    /// The `--schema` columns, when some input is CSV/TSV.
    pub fn for_schema(
        csv: &crate::format::CsvSettings,
        inputs: &crate::input::Inputs,
    ) -> FieldsSeen {
        use crate::format::Format;
        let reads_csv = inputs
            .files
            .iter()
            .any(|input| matches!(input.format, Format::Csv | Format::Tsv));
        match reads_csv {
            true => FieldsSeen::new(&csv.schema_columns()),
            false => FieldsSeen::default(),
        }
    }

    pub fn add(&mut self, record: &recast_model::Record) {
        if self.fields.iter().all(|(_, _, seen)| *seen) {
            return;
        }
        for (_, path, seen) in &mut self.fields {
            *seen |= path.get(&record.fields).is_some();
        }
        if self.names.len() < NAMES_KEPT {
            self.names.extend(record.fields.keys().cloned());
        }
    }

    /// Adds what another reader of the same flags saw.
    pub fn merge(&mut self, other: &FieldsSeen) {
        for ((_, _, seen), (_, _, theirs)) in self.fields.iter_mut().zip(&other.fields) {
            *seen |= *theirs;
        }
        if self.names.len() < NAMES_KEPT {
            self.names.extend(other.names.iter().cloned());
        }
    }

    /// The named paths no record has, each with the nearest field name if one is close.
    fn missing(&self) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(_, _, seen)| !seen)
            .map(|(name, ..)| match did_you_mean(name, &self.names) {
                Some(near) => format!("{name} (did you mean {near}?)"),
                None => name.clone(),
            })
            .collect()
    }

    /// `--fields` naming a field no record has: a usage error (it would write an empty
    /// column).
    pub fn check_fields(&self) -> anyhow::Result<()> {
        let missing = self.missing();
        if !missing.is_empty() {
            usage_bail!(
                "--fields: no record has {}; an empty column is not written",
                missing.join(", ")
            );
        }
        Ok(())
    }

    /// `--schema` naming a column no record has: a warning (the column may be there and
    /// empty in every row).
    pub fn warn_schema(&self, reporter: &Reporter) {
        let missing = self.missing();
        if !missing.is_empty() {
            reporter.warn(&format!(
                "--schema: no record has {}; is the column name right?",
                missing.join(", ")
            ));
        }
    }
}

/// The name among `names` nearest to `name` (at most a third of its letters apart, as
/// for a typo), for "did you mean".
pub fn did_you_mean<'a>(
    name: &str,
    names: impl IntoIterator<Item = &'a String>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    names
        .into_iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate.as_str())
}

/// Edit distance in characters, case-insensitive, a swap of two neighbours counting as
/// one edit (`titel` is one edit from `title`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
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
    fn nearest_names() {
        let names: Vec<String> = ["title", "publishedDateTime", "url"]
            .map(String::from)
            .to_vec();
        assert_eq!(did_you_mean("tittle", &names), Some("title"));
        assert_eq!(did_you_mean("titel", &names), Some("title"));
        assert_eq!(
            did_you_mean("publishedDate", &names),
            Some("publishedDateTime")
        );
        assert_eq!(did_you_mean("zzz", &names), None);
    }

    #[test]
    fn rates_are_whole_numbers() {
        assert_eq!(whole_rate(38542.8954), "38,543");
        assert_eq!(whole_rate(999.4), "999");
        assert_eq!(whole_rate(1_000_000.0), "1,000,000");
        assert_eq!(whole_rate(f64::NAN), "0");
    }
}
