//! The checks that turn a run's likely mistakes into a usage error or a warning before
//! (or instead of) a surprising result: a `--select` on a file that is not JSON, output
//! options the output format ignores, a folder with nothing to read, field names no
//! record has (with "did you mean"), edits and templates that cannot take effect.

use std::path::PathBuf;

use crate::error::usage_bail;
use crate::format::{CsvSettings, Format, WriteOptions};
use crate::input::Inputs;
use crate::report::Report;

/// Refuses `--select` when an input is not JSON: it picks records inside a JSON
/// document and would do nothing to the others.
pub fn check_select(select: Option<&str>, inputs: &Inputs) -> anyhow::Result<()> {
    let Some(pointer) = select else {
        return Ok(());
    };
    if let Some(input) = inputs
        .files
        .iter()
        .find(|input| !input.sniff && input.format != Format::Json)
    {
        let name = input
            .path
            .as_deref()
            .map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
        usage_bail!(
            "--select {pointer} picks records inside a JSON document, and {name} is {}; leave --select out (or give --from json)",
            input.format.name()
        );
    }
    Ok(())
}

/// Refuses `--sheet` when no input is a workbook: it picks the sheet a workbook is
/// read from and would do nothing to the others.
pub fn check_sheet(sheet: Option<&str>, inputs: &Inputs) -> anyhow::Result<()> {
    if let Some(name) = sheet
        && !inputs
            .files
            .iter()
            .any(|input| input.format == Format::Xlsx)
    {
        usage_bail!(
            "--sheet {name:?} picks a sheet of a workbook (xlsx, xlsm, xls, ods), and no input \
             is one; leave --sheet out (or give --from xlsx)"
        );
    }
    Ok(())
}

/// Refuses a binary output (xlsx) on a terminal, where it would only garble the
/// screen; a pipe or a file takes it.
pub fn check_binary_output(format: Format, output: Option<&std::path::Path>) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let to_stdout = output.is_none_or(|path| path.as_os_str() == "-");
    if format.is_binary() && to_stdout && std::io::stdout().is_terminal() {
        usage_bail!(
            "{} is a binary format and standard output is a terminal; give -o FILE.{} \
             (or pipe the output)",
            format.name(),
            format.extension()
        );
    }
    Ok(())
}

/// Refuses output options that the output format would ignore: `--fields` without
/// CSV/TSV/xlsx output, `--bom` without CSV/TSV output, `--limit`, `--plain-feed` and `--hub` without a feed,
/// `--stylesheet` without RSS or Atom. `format` is
/// `None` when each file keeps its own format (`migrate --in-place`, `--out-dir`).
pub fn check_write_options(options: &WriteOptions, format: Option<Format>) -> anyhow::Result<()> {
    let is_csv = matches!(format, Some(Format::Csv | Format::Tsv | Format::Xlsx));
    let is_feed = format.is_some_and(Format::is_feed);
    let output = format.map_or("each file's own format", Format::name);
    let csv = &options.csv.write;
    let feed = &options.feed;
    let mut ignored = Vec::new();
    if csv.fields.is_some() && !is_csv {
        ignored.push(("--fields", "CSV/TSV/xlsx"));
    }
    if csv.bom && !matches!(format, Some(Format::Csv | Format::Tsv)) {
        ignored.push(("--bom", "CSV/TSV"));
    }
    if feed.limit.is_some() && !is_feed {
        ignored.push(("--limit", "RSS/Atom/JSON Feed"));
    }
    // In place (no one output format), migrate checks it against the input files.
    if feed.lossless && !is_feed && format.is_some() {
        ignored.push(("--lossless", "RSS/Atom/JSON Feed"));
    }
    if feed.content != recast_feed::ContentMode::Full && !is_feed {
        ignored.push(("--content summary", "RSS/Atom/JSON Feed"));
    }
    if feed.hub.is_some() && !is_feed {
        ignored.push(("--hub", "RSS/Atom/JSON Feed"));
    }
    // JSON Feed has no stylesheet: browsers show JSON as it is.
    if feed.stylesheet.is_some() && !matches!(format, Some(Format::Rss | Format::Atom)) {
        ignored.push(("--stylesheet", "RSS/Atom"));
    }
    if let Some((flag, kind)) = ignored.first() {
        usage_bail!(
            "{flag} applies to {kind} output, and the output is {output}; leave it out or give --to"
        );
    }
    Ok(())
}

/// Paths as a message lists them: `a, b`.
fn listed<'p>(paths: impl IntoIterator<Item = &'p PathBuf>) -> String {
    (paths.into_iter())
        .map(|path| path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Warns about each folder named on the command line that holds no file of a known
/// format; fails (exit 1) when nothing at all is left to read.
pub fn check_found(paths: &[PathBuf], inputs: &Inputs, report: &dyn Report) -> anyhow::Result<()> {
    const KNOWN: &str =
        ".md, .markdown, .yaml, .yml, .json, .jsonl, .ndjson, .csv, .tsv, .tab, .rss, .atom";
    let empty: Vec<&PathBuf> = paths
        .iter()
        .filter(|path| path.is_dir())
        .filter(|dir| {
            !inputs
                .files
                .iter()
                .filter_map(|input| input.path.as_deref())
                .any(|file| file.starts_with(dir))
        })
        .collect();
    if inputs.files.is_empty() {
        if empty.is_empty() && !inputs.index_files.is_empty() {
            anyhow::bail!(
                "nothing to read: {} is a channel file (a folder's feed title and links), not records",
                listed(&inputs.index_files)
            );
        }
        let what = match empty.as_slice() {
            [] => "the input".to_owned(),
            dirs => listed(dirs.iter().copied()),
        };
        anyhow::bail!(
            "nothing to read: {what} holds no file of a known format ({KNOWN}; other files need --from)"
        );
    }
    for dir in empty {
        report.warn(&format!(
            "{}: no file of a known format ({KNOWN}); nothing read from it",
            dir.display()
        ));
    }
    Ok(())
}

/// Says what each edit of a migration could not do: a warning with the count and the
/// first record for an edit that skipped some records, a usage error for one that could
/// apply to no record at all (`--set title.sub=1` where every title is a string).
/// `labels` names each edit as the user gave it (`--set title.sub=1`).
pub fn check_edits(
    plan: &recast_migrate::PlanReport,
    labels: &[String],
    report: &dyn Report,
) -> anyhow::Result<()> {
    let mut impossible = Vec::new();
    for (counts, label) in plan.edits.iter().zip(labels) {
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
                report.warn(&text);
            }
        } else if applied == 0 && counts.missing > 0 {
            report.warn(&format!(
                "{label}: changed nothing: none of {} record(s) has the field it reads",
                counts.missing
            ));
        } else if applied == 0 && counts.dropped > 0 {
            report.warn(&format!(
                "{label}: matched none of {} record(s)",
                counts.dropped
            ));
        }
        check_template(&counts.template, label, true, report)?;
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
    report: &dyn Report,
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
        report.warn(&text);
    }
    for gap in gaps.sometimes_empty() {
        let (why, at) = gap.first.clone().unwrap_or_default();
        report.warn(&format!(
            "{label}: {} is empty in {} of {} record(s): {why} (first: {at})",
            gap.placeholder, gap.records, gaps.records
        ));
    }
    Ok(())
}

/// Field paths a flag names (`--fields`, `--column-types`) and whether some record has each:
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
    /// The paths named, none of them seen yet.
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

    /// The `--column-types` columns, when some input is CSV/TSV.
    pub fn for_schema(csv: &CsvSettings, inputs: &Inputs) -> FieldsSeen {
        let reads_csv = inputs
            .files
            .iter()
            .any(|input| matches!(input.format, Format::Csv | Format::Tsv));
        match reads_csv {
            true => FieldsSeen::new(&csv.schema_columns()),
            false => FieldsSeen::default(),
        }
    }

    /// Marks the paths `record` has.
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

    /// `--column-types` naming a column no record has: a warning (the column may be there and
    /// empty in every row).
    pub fn warn_schema(&self, report: &dyn Report) {
        let missing = self.missing();
        if !missing.is_empty() {
            report.warn(&format!(
                "--column-types: no record has {}; is the column name right?",
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
}
