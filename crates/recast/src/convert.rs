//! The convert engine (`recast convert`): read every input, write every record, in order.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use recast_model::source_file::source_fields;
use recast_model::template::Template;
use recast_model::{ErrorKind, Record, RecordWriter};

use crate::checks::{
    FieldsSeen, check_binary_output, check_found, check_select, check_sheet, check_template,
    check_write_options,
};
use crate::error::{usage, usage_bail};
use crate::format::{Format, ReadOptions, WriteOptions, open_writer};
use crate::input::{INDEX_FILE, Inputs, Shard};
use crate::output::{OutDir, OutputFile, check_out_dir, refuse_folder};
use crate::pipeline::{Message, RecordStream};
use crate::report::Report;
use crate::split::SplitFeeds;

/// The file names `out_dir` gives records when no `name` template is set.
pub const DEFAULT_NAME: &str = "{publishedDateTime:%Y-%m-%d}-{title|slug}";

/// What a conversion reads and where it writes (`recast convert`'s flags).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct ConvertOptions {
    /// Files and folders to read; `-` is standard input. Folders are walked.
    pub inputs: Vec<PathBuf>,
    /// The input format, instead of each file's extension or content.
    pub from: Option<Format>,
    /// Read only this share of the files found.
    pub shard: Option<Shard>,
    /// Skip records that fail (each is reported) instead of stopping at the first.
    pub keep_going: bool,
    /// How records are read.
    pub read: ReadOptions,
    /// How records are written; the channel is filled from `_index.md` and input feeds.
    pub write: WriteOptions,
    /// The output format, instead of the output's extension.
    pub to: Option<Format>,
    /// One output file (`None` and no `out_dir`: standard output).
    pub output: Option<PathBuf>,
    /// One file per record in this folder, named by `name`.
    pub out_dir: Option<PathBuf>,
    /// Replace files already in `out_dir`.
    pub force: bool,
    /// The template of `out_dir`'s file names (`None`: [`DEFAULT_NAME`]).
    pub name: Option<String>,
    /// Threads in total, the caller's included (`None`: every core).
    pub threads: Option<usize>,
    /// Keep only the records that match all of these (`--where`), before any writer.
    pub filter: Vec<recast_migrate::Condition>,
    /// One feed per value of this field in `out_dir` (`--split-by`), instead of one
    /// file per record.
    pub split_by: Option<String>,
    /// Replace each record (after `filter`) with the outputs of this jq expression
    /// (`--jq`); a record it fails on is an error naming it (skipped with `keep_going`).
    pub jq: Option<recast_migrate::JqProgram>,
}

/// Runs a conversion; returns how many records failed (skipped with `keep_going`).
///
/// ```no_run
/// # fn main() -> anyhow::Result<()> {
/// let mut options = recast::ConvertOptions::default();
/// options.inputs = vec!["content/posts".into()];
/// options.output = Some("public/feed.xml".into());
/// recast::convert(&options, &recast::Silent)?;
/// # Ok(()) }
/// ```
pub fn convert(options: &ConvertOptions, report: &dyn Report) -> anyhow::Result<u64> {
    if let Some(dir) = &options.out_dir {
        check_out_dir(dir, &options.inputs)?;
    }
    let inputs = Inputs::collect_except(
        &options.inputs,
        options.from,
        options.shard,
        options.output.as_deref(),
    )?;
    for warning in &inputs.warnings {
        report.warn(warning);
    }
    // A shard may rightly hold no file (more machines than files).
    if options.shard.is_none() {
        check_found(&options.inputs, &inputs, report)?;
    }
    check_select(options.read.select.as_deref(), &inputs)?;
    check_sheet(options.read.sheet.as_deref(), &inputs)?;
    // The channel: the options first, then `_index.md`, then an input feed's.
    let mut write_options = options.write.clone();
    if let Some(index) = inputs.index_channel()? {
        write_options.channel.fill_from(&index);
    }
    let first_input = inputs
        .files
        .iter()
        .find(|input| !input.sniff)
        .map(|input| input.format);
    let format = output_format(options, first_input)?;
    check_write_options(&write_options, Some(format))?;
    if options.out_dir.is_none() {
        check_binary_output(format, options.output.as_deref())?;
    }
    let mut columns = match format {
        Format::Csv | Format::Tsv | Format::Xlsx => FieldsSeen::new(&options.write.csv.fields()),
        _ => FieldsSeen::default(),
    };
    let mut schema_columns = FieldsSeen::for_schema(&options.read.csv, &inputs);
    let name = options.name.as_deref().unwrap_or(DEFAULT_NAME);
    let mut sink = Sink::open(options, name, format)?;
    let progress = report.progress(inputs.files.len());
    let stream = RecordStream::start(
        inputs.files,
        options.read.clone(),
        options.threads,
        progress,
    );
    let mut failed = 0;
    // Records read, those --where kept, and those written (--jq may make more or none).
    let (mut read, mut matched, mut records) = (0u64, 0u64, 0u64);
    for message in stream {
        match message {
            Message::Channel(found) => write_options.channel.fill_from(&found),
            Message::Records(items) => {
                for item in items {
                    read += u64::from(item.is_ok());
                    match item {
                        Ok(record) if !matches_filter(&options.filter, &record) => {}
                        Ok(record) => {
                            matched += 1;
                            let outputs = match transformed(options.jq.as_ref(), record) {
                                Ok(outputs) => outputs,
                                Err(error) if options.keep_going => {
                                    report.skipped(&error);
                                    failed += 1;
                                    continue;
                                }
                                Err(error) => return Err(error.into()),
                            };
                            for record in outputs {
                                records += 1;
                                columns.add(&record);
                                schema_columns.add(&record);
                                sink.write(record, &write_options)?;
                            }
                        }
                        Err(error) if options.keep_going => {
                            report.skipped(&error);
                            failed += 1;
                        }
                        Err(error) => return Err(error.into()),
                    }
                }
            }
        }
    }
    if records == 0 {
        report.warn(&if read == 0 {
            "no record was read: the output holds none".to_owned()
        } else if matched == 0 {
            format!("--where matched none of {read} record(s): the output holds none")
        } else {
            format!("--jq gave no record for the {matched} record(s) it was given: the output holds none")
        });
    }
    // Checked before the output is committed: a file or folder is then left as it was.
    columns.check_fields()?;
    schema_columns.warn_schema(report);
    if let Sink::Folder { gaps, .. } = &sink {
        let chosen = options.name.as_deref().is_some_and(|n| n != DEFAULT_NAME);
        check_template(gaps, &format!("--name {name}"), chosen, report)?;
    }
    sink.finish(&write_options, report)?;
    Ok(failed)
}

/// True when the record matches every `--where` condition.
fn matches_filter(filter: &[recast_migrate::Condition], record: &Record) -> bool {
    filter
        .iter()
        .all(|condition| condition.matches(&record.fields))
}

/// The records `--jq` makes of one (the record itself without it); an error names the
/// record (`file:line`).
fn transformed(
    program: Option<&recast_migrate::JqProgram>,
    record: Record,
) -> recast_model::Result<Vec<Record>> {
    let Some(program) = program else {
        return Ok(vec![record]);
    };
    let outputs = program.run(&record.fields).map_err(|message| {
        let at = recast_model::Location::new(record.origin.file.clone(), record.origin.line, 0);
        recast_model::Error::data(at, format!("--jq: {message}"))
    })?;
    Ok(outputs
        .into_iter()
        .map(|fields| Record::new(fields, record.origin.clone()))
        .collect())
}

/// `to`, else `output`'s extension (`.xml`: a feed, see [`Format::of_output`]; `input`
/// is the first input's format), else Markdown for `out_dir` and JSON for stdout.
fn output_format(options: &ConvertOptions, input: Option<Format>) -> anyhow::Result<Format> {
    if let Some(path) = &options.output {
        refuse_folder(path)?;
    }
    if let Some(format) = options.to {
        return Ok(format);
    }
    match (&options.output, &options.out_dir) {
        (Some(path), _) => Format::of_output(path, input).ok_or_else(|| {
            usage(format!(
                "cannot tell the output format from {}; use --to",
                path.display()
            ))
        }),
        (None, Some(_)) => Ok(Format::Md),
        (None, None) => Ok(Format::Json),
    }
}

/// Where records go: one stream (stdout, an atomically replaced file, a pipe), one
/// file per record in a folder, or one feed per value of a field in a folder.
enum Sink {
    Stream {
        format: Format,
        target: OutputFile,
        /// Opened at the first record, when the inputs' channel is known.
        writer: Option<Box<dyn RecordWriter>>,
        records: u64,
        /// Markdown holds one record: the first waits here until the stream ends, so
        /// that a second one is refused before anything is written.
        held: Option<Record>,
    },
    Folder {
        format: Format,
        out: OutDir,
        template: Template,
        /// The input paths, which `{source.path}` and `{source.dir}` are relative to.
        roots: Vec<std::path::PathBuf>,
        /// The `--name` placeholders that found no value.
        gaps: recast_model::template::TemplateGaps,
    },
    Split(SplitFeeds),
}

impl Sink {
    /// `options.inputs` are never overwritten by `out_dir`; `name` is its template.
    fn open(options: &ConvertOptions, name: &str, format: Format) -> anyhow::Result<Sink> {
        if let Some(field) = &options.split_by {
            let Some(dir) = &options.out_dir else {
                usage_bail!(
                    "--split-by writes one feed per value into a folder; give --out-dir DIR"
                );
            };
            let feeds = SplitFeeds::new(field, format, dir, options.force, &options.inputs)?;
            return Ok(Sink::Split(feeds));
        }
        if let Some(dir) = &options.out_dir {
            let template = Template::parse(name)
                .map_err(|message| usage(format!("--name: {message}")))?
                .assume_zone(options.write.feed.assume_tz.clone());
            return Ok(Sink::Folder {
                format,
                out: OutDir::create(dir, options.force, &options.inputs)?,
                template,
                roots: options.inputs.clone(),
                gaps: Default::default(),
            });
        }

        let target = match &options.output {
            Some(path) => OutputFile::create(path)?,
            None => OutputFile::Stdout,
        };
        Ok(Sink::Stream {
            format,
            target,
            writer: None,
            records: 0,
            held: None,
        })
    }

    fn write(&mut self, record: Record, options: &WriteOptions) -> anyhow::Result<()> {
        match self {
            Sink::Stream {
                format,
                target,
                writer,
                records,
                held,
            } => {
                *records += 1;
                if *format == Format::Md {
                    if *records > 1 {
                        usage_bail!(
                            "Markdown output holds one record per file and there are more; \
                             use --out-dir DIR, or --to yaml for one stream (nothing was written)"
                        );
                    }
                    *held = Some(record);
                    return Ok(());
                }
                if writer.is_none() {
                    *writer = Some(open_writer(*format, target.writer()?, options)?);
                }
                let writer = writer.as_mut().expect("opened above");
                writer
                    .write_owned(record)
                    .map_err(|e| name_output(e, target.path()))?;
            }
            Sink::Folder {
                format,
                out,
                template,
                roots,
                gaps,
            } => {
                let source = record
                    .origin
                    .file
                    .as_deref()
                    .map(|file| source_fields(file, roots));
                gaps.add_with_source(template, &record, source.as_ref());
                let name = template
                    .render_with_source(&record.fields, source.as_ref())
                    .map_err(|e| {
                        let at = recast_model::Location::new(
                            record.origin.file.clone(),
                            record.origin.line,
                            0,
                        );
                        recast_model::Error::data(at, format!("--name {e}"))
                    })?;
                let path = out.reserve(&name, format.extension())?;
                write_file(*format, path, options, std::slice::from_ref(&record))?;
            }
            Sink::Split(feeds) => feeds.write(record, options)?,
        }
        Ok(())
    }

    fn finish(self, options: &WriteOptions, report: &dyn Report) -> anyhow::Result<()> {
        match self {
            Sink::Stream {
                format,
                target,
                writer,
                held,
                ..
            } => {
                let mut writer = match writer {
                    Some(writer) => writer,
                    None => open_writer(format, target.writer()?, options)?,
                };
                if let Some(record) = held {
                    writer
                        .write_owned(record)
                        .map_err(|e| name_output(e, target.path()))?;
                }
                writer.finish().map_err(|e| name_output(e, target.path()))?;
                drop(writer);
                target.commit()?;
            }
            Sink::Folder {
                format, mut out, ..
            } => {
                // A feed's channel travels with a Markdown folder as Hugo's `_index.md`.
                let channel = &options.channel;
                if format == Format::Md && !channel.is_empty() {
                    let path = out.reserve_exact(INDEX_FILE.into())?;
                    let index = Record::new(channel.to_map(), Default::default());
                    write_file(format, path, options, &[index])?;
                }
                out.commit()?;
            }
            Sink::Split(feeds) => feeds.finish(report)?,
        }
        Ok(())
    }
}

fn write_file(
    format: Format,
    path: PathBuf,
    options: &WriteOptions,
    records: &[Record],
) -> anyhow::Result<()> {
    // Opened, not created: `OutDir::reserve` created it in the staging folder.
    let file = File::options()
        .write(true)
        .truncate(true)
        .open(&path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    let mut writer = open_writer(format, Box::new(BufWriter::new(file)), options)?;
    for record in records {
        writer
            .write_record(record)
            .map_err(|e| name_output(e, Some(&path)))?;
    }
    writer.finish().map_err(|e| name_output(e, Some(&path)))?;
    Ok(())
}

/// Writers know nothing of where their bytes go, so an I/O error of theirs names no
/// file; this names the output (standard output when `path` is `None`).
fn name_output(error: recast_model::Error, path: Option<&Path>) -> recast_model::Error {
    if error.kind != ErrorKind::Io || error.location.file.is_some() {
        return error;
    }
    let output: Arc<Path> = path.unwrap_or(Path::new("<stdout>")).into();
    error.in_file(Some(&output))
}
