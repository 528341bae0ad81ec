//! `recast validate`: check every record against a profile; one line per problem on
//! standard output (`file:line: message`), exit code 1 when there is any.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::bail;
use recast_migrate::{Problem, Profile, Validator};

use crate::cli::{ProfileName, ValidateArgs};
use crate::format::Format;
use crate::input::{Inputs, Message, RecordStream};
use crate::report::Reporter;

pub fn validate(args: &ValidateArgs, reporter: &Reporter) -> anyhow::Result<u64> {
    let options = args.read.options(&args.csv.as_csv())?;
    let inputs = Inputs::collect(&args.inputs, args.from)?;
    for warning in &inputs.warnings {
        reporter.warn(warning);
    }
    crate::cli::check_found(&args.inputs, &inputs, reporter)?;
    crate::cli::check_select(args.read.select.as_deref(), &inputs)?;
    let mut schema_columns = crate::report::FieldsSeen::for_schema(&options.csv, &inputs);
    let markdown: Vec<Arc<Path>> = inputs
        .files
        .iter()
        .filter(|input| input.format == Format::Md)
        .filter_map(|input| input.path.clone())
        .collect();
    let files = inputs.files.len();
    let profile = match args.profile {
        ProfileName::Article => Profile::article(),
    };
    let mut validator = Validator::new(profile);
    let progress = reporter.progress(files);
    let stream = RecordStream::start(inputs.files, options, progress.clone());
    let mut out = crate::output::stdout();
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
                    for problem in validator.check(&record) {
                        problems += 1;
                        let problem = lines.locate(problem, &markdown);
                        writeln!(out, "{problem}")?;
                    }
                }
                Err(error) => {
                    problems += 1;
                    writeln!(out, "{error:#}")?;
                }
            }
        }
    }
    progress.finish_and_clear();
    schema_columns.warn_schema(reporter);
    out.flush()?;
    if problems > 0 {
        bail!("{problems} problem(s) in {records} record(s) from {files} file(s)");
    }
    eprintln!("recast: validate: {records} record(s) from {files} file(s), no problem");
    Ok(0)
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
