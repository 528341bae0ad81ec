//! The inspect engine (`recast inspect`): an archive at a glance, as a table or JSON.

use std::fmt::Write as _;
use std::path::PathBuf;

use recast_migrate::{ArchiveStats, SchemaInference};
use recast_model::{Map, Number, Value};

use crate::checks::{FieldsSeen, check_found, check_select, check_sheet};
use crate::format::{Format, ReadOptions};
use crate::input::Inputs;
use crate::pipeline::{Message, RecordStream};
use crate::report::Report;

/// The longest example shown in the table, in characters.
const EXAMPLE_CHARS: usize = 48;

/// What `inspect` reads (`recast inspect`'s flags).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct InspectOptions {
    /// Files and folders to read; `-` is standard input.
    pub inputs: Vec<PathBuf>,
    /// The input format, instead of each file's extension or content.
    pub from: Option<Format>,
    /// How records are read.
    pub read: ReadOptions,
    /// Threads in total, the caller's included (`None`: every core).
    pub threads: Option<usize>,
}

/// An archive at a glance: its fields, their types and dates, the records that failed.
#[non_exhaustive]
pub struct Inspection {
    /// The statistics of every record read.
    pub stats: ArchiveStats,
    /// The shape of every record read, for [`Inspection::json_schema`].
    pub inference: SchemaInference,
    /// How many files were read.
    pub files: usize,
}

impl Inspection {
    /// The statistics as a table for a terminal.
    pub fn table(&self) -> String {
        table(&self.stats, self.files)
    }

    /// The statistics as JSON: `{records, files, fields: [{path, types, present,
    /// example, dates?}], dates: [{path, min, max, parsed, unparsed}], failed: [message]}`,
    /// ending with a line break.
    pub fn to_json(&self) -> recast_model::Result<String> {
        pretty_json(&to_value(&self.stats, self.files))
    }

    /// A JSON Schema (draft 2020-12) that every record read passes: types, required
    /// fields, enums of small closed sets, date and URL formats (see
    /// [`SchemaInference`]), ending with a line break.
    pub fn json_schema(&self) -> recast_model::Result<String> {
        pretty_json(&self.inference.schema())
    }
}

/// Indented JSON ending with a line break.
fn pretty_json(value: &Value) -> recast_model::Result<String> {
    let mut json = recast_json::to_json_string(value, true)?;
    if !json.ends_with('\n') {
        json.push('\n');
    }
    Ok(json)
}

/// Reads every input and gathers its statistics; records that fail are listed, not fatal.
pub fn inspect(options: &InspectOptions, report: &dyn Report) -> anyhow::Result<Inspection> {
    let inputs = Inputs::collect(&options.inputs, options.from)?;
    for warning in &inputs.warnings {
        report.warn(warning);
    }
    check_found(&options.inputs, &inputs, report)?;
    check_select(options.read.select.as_deref(), &inputs)?;
    check_sheet(options.read.sheet.as_deref(), &inputs)?;
    let mut schema_columns = FieldsSeen::for_schema(&options.read.csv, &inputs);
    let files = inputs.files.len();
    let progress = report.progress(files);
    let stream = RecordStream::start(
        inputs.files,
        options.read.clone(),
        options.threads,
        progress,
    );
    let mut stats = ArchiveStats::default();
    let mut inference = SchemaInference::default();
    for message in stream {
        if let Message::Records(items) = message {
            for item in items {
                match item {
                    Ok(record) => {
                        schema_columns.add(&record);
                        stats.add(&record);
                        inference.add(&record);
                    }
                    Err(error) => stats.add_failure(format!("{error:#}")),
                }
            }
        }
    }
    schema_columns.warn_schema(report);
    Ok(Inspection {
        stats,
        inference,
        files,
    })
}

fn count(n: u64) -> Value {
    Value::Number(Number::from(n))
}

/// The statistics as JSON: `{records, files, fields: [{path, types, present, example,
/// dates?}], dates: [{path, min, max, parsed, unparsed}], failed: [message]}`.
fn to_value(stats: &ArchiveStats, files: usize) -> Value {
    let mut root = Map::default();
    root.insert("records".into(), count(stats.records));
    root.insert("files".into(), count(files as u64));
    let fields = stats
        .fields
        .iter()
        .map(|(path, field)| {
            let mut map = Map::default();
            map.insert("path".into(), path.as_str().into());
            let types: Map = field
                .types
                .iter()
                .map(|(name, n)| ((*name).to_owned(), count(*n)))
                .collect();
            map.insert("types".into(), Value::Map(types));
            map.insert("present".into(), count(field.present));
            map.insert("example".into(), field.example.clone().unwrap_or_default());
            Value::Map(map)
        })
        .collect();
    root.insert("fields".into(), Value::List(fields));
    let dates = stats
        .date_fields()
        .map(|(path, range)| {
            let mut map = Map::default();
            map.insert("path".into(), path.into());
            map.insert("min".into(), range.min.1.as_str().into());
            map.insert("max".into(), range.max.1.as_str().into());
            map.insert("parsed".into(), count(range.parsed));
            map.insert("unparsed".into(), count(range.unparsed));
            Value::Map(map)
        })
        .collect();
    root.insert("dates".into(), Value::List(dates));
    let failed = stats.failures.iter().map(|m| m.as_str().into()).collect();
    root.insert("failed".into(), Value::List(failed));
    Value::Map(root)
}

/// The readable table.
fn table(stats: &ArchiveStats, files: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} records in {files} file(s), {} failed\n",
        stats.records,
        stats.failures.len()
    );
    let rows: Vec<[String; 4]> = stats
        .fields
        .iter()
        .map(|(path, field)| {
            let types = if field.types.len() == 1 {
                field
                    .types
                    .keys()
                    .next()
                    .copied()
                    .unwrap_or_default()
                    .to_owned()
            } else {
                field
                    .types
                    .iter()
                    .map(|(name, n)| format!("{name} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let example = field.example.as_ref().map(shorten).unwrap_or_default();
            [
                path.clone(),
                types,
                format!("{}/{}", field.present, stats.records),
                example,
            ]
        })
        .collect();
    let header = ["field", "types", "present", "example"].map(String::from);
    let mut widths = [0usize; 3];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:w0$}  {:w1$}  {:>w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2]
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let dates: Vec<_> = stats.date_fields().collect();
    if !dates.is_empty() {
        let _ = writeln!(out, "\ndate ranges");
        let width = dates
            .iter()
            .map(|(p, _)| p.chars().count())
            .max()
            .unwrap_or(0);
        for (path, range) in dates {
            let mut line = format!("{path:width$}  {} … {}", range.min.1, range.max.1);
            if range.unparsed > 0 {
                let _ = write!(line, "  ({} not dates)", range.unparsed);
            }
            let _ = writeln!(out, "{line}");
        }
    }
    if !stats.failures.is_empty() {
        let _ = writeln!(out, "\nfailed");
        for failure in &stats.failures {
            let _ = writeln!(out, "{failure}");
        }
    }
    out
}

/// A value's compact rendering on one line, cut to [`EXAMPLE_CHARS`].
fn shorten(value: &Value) -> String {
    let text = value.to_string().replace('\n', "\\n");
    if text.chars().count() <= EXAMPLE_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(EXAMPLE_CHARS - 1).collect();
    cut.push('…');
    cut
}
