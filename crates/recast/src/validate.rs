//! The validate engine (`recast validate`): check every record against a profile or a
//! JSON Schema, one problem at a time (`file:line: message`).

use std::fmt::Display;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use recast_migrate::{JsonSchema, Problem, ValidationProfile, Validator};

use crate::checks::{FieldsSeen, check_found, check_select, check_sheet};
use crate::format::{Format, ReadOptions};
use crate::input::Inputs;
use crate::pipeline::{Message, RecordStream};
use crate::report::Report;

/// What `validate` reads and checks (`recast validate`'s flags).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ValidateOptions {
    /// Files and folders to read; `-` is standard input.
    pub inputs: Vec<PathBuf>,
    /// The input format, instead of each file's extension or content.
    pub from: Option<Format>,
    /// How records are read.
    pub read: ReadOptions,
    /// What a valid record is (`None`: [`ValidationProfile::article`]).
    pub profile: Option<ValidationProfile>,
    /// A JSON Schema every record must pass, instead of the profile
    /// ([`read_json_schema`]).
    pub schema: Option<Arc<JsonSchema>>,
    /// Threads in total, the caller's included (`None`: every core).
    pub threads: Option<usize>,
}

/// What `validate` went through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Validation {
    /// Problems found (records that failed to read count as one each).
    pub problems: u64,
    /// Records read.
    pub records: u64,
    /// Files read.
    pub files: usize,
}

/// Checks every record against the profile; `found` receives each problem
/// (`file:line: message`) as it is found, in input order. An error from `found` ends
/// the run.
pub fn validate(
    options: &ValidateOptions,
    report: &dyn Report,
    mut found: impl FnMut(&dyn Display) -> io::Result<()>,
) -> anyhow::Result<Validation> {
    let inputs = Inputs::collect(&options.inputs, options.from)?;
    for warning in &inputs.warnings {
        report.warn(warning);
    }
    check_found(&options.inputs, &inputs, report)?;
    check_select(options.read.select.as_deref(), &inputs)?;
    check_sheet(options.read.sheet.as_deref(), &inputs)?;
    let mut schema_columns = FieldsSeen::for_schema(&options.read.csv, &inputs);
    let markdown: Vec<Arc<Path>> = inputs
        .files
        .iter()
        .filter(|input| input.format == Format::Md)
        .filter_map(|input| input.path.clone())
        .collect();
    let files = inputs.files.len();
    let profile = options
        .profile
        .clone()
        .unwrap_or_else(ValidationProfile::article);
    let mut validator = Validator::new(profile);
    let progress = report.progress(files);
    let stream = RecordStream::start(
        inputs.files,
        options.read.clone(),
        options.threads,
        progress,
    );
    let mut problems = 0u64;
    let mut records = 0u64;
    let mut lines = FieldLines::default();
    for message in stream {
        let Message::Records(items) = message else {
            continue;
        };
        for item in items {
            match item {
                Ok(record) => {
                    records += 1;
                    schema_columns.add(&record);
                    let found_here = match &options.schema {
                        Some(schema) => schema.check(&record),
                        None => validator.check(&record),
                    };
                    for problem in found_here {
                        problems += 1;
                        found(&lines.locate(problem, &markdown))?;
                    }
                }
                Err(error) => {
                    problems += 1;
                    found(&error)?;
                }
            }
        }
    }
    schema_columns.warn_schema(report);
    Ok(Validation {
        problems,
        records,
        files,
    })
}

/// Reads a JSON Schema file (`validate --schema`): JSON, or YAML for a `.yaml`/`.yml`
/// file. An unreadable file, or one that is not a schema, is a usage error naming it.
pub fn read_json_schema(path: &Path) -> anyhow::Result<JsonSchema> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read --schema {}", path.display()))?;
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let schema = match yaml {
        true => recast_yaml::parse_value(&text, Some(path.into()), 1, &Default::default())
            .map_err(|e| e.to_string())
            .and_then(|value| JsonSchema::from_value_in(&value, path)),
        false => JsonSchema::parse_in(&text, path),
    };
    schema.map_err(|e| crate::error::usage(format!("--schema {}: {e}", path.display())))
}

/// Points a problem of a Markdown record at its field's line, read from the file when
/// first needed (a record's origin gives only the line its text starts on).
/// Records arrive in file order, so only the last file's lines are kept.
#[derive(Default)]
struct FieldLines {
    last: Option<(Arc<Path>, KeyLines)>,
}

/// Each top-level key of a front matter and its file line.
type KeyLines = Vec<(String, u64)>;

impl FieldLines {
    fn locate(&mut self, mut problem: Problem, markdown: &[Arc<Path>]) -> Problem {
        let (Some(file), Some(field)) = (problem.origin.file.clone(), problem.field.as_deref())
        else {
            return problem;
        };
        if !markdown.contains(&file) {
            return problem;
        }
        let top = recast_model::path::FieldPath::parse(field)
            .segments()
            .first()
            .cloned()
            .unwrap_or_default();
        if self.last.as_ref().is_none_or(|(cached, _)| *cached != file) {
            let lines = std::fs::read_to_string(&file)
                .map(|text| recast_yaml::rewrite::field_lines(&text))
                .unwrap_or_default();
            self.last = Some((file.clone(), lines));
        }
        let Some((_, lines)) = &self.last else {
            return problem;
        };
        if let Some((_, line)) = lines.iter().find(|(key, _)| *key == top) {
            problem.origin.line = *line;
        }
        problem
    }
}
