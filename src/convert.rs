//! `recast convert`: read every input, write every record, in order.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use recast_model::template::Template;
use recast_model::{ErrorKind, Record, RecordWriter};

use crate::cli::{ConvertArgs, OutputArgs};
use crate::format::{Format, ReadOptions, WriteOptions, open_writer};
use crate::input::{INDEX_FILE, Inputs};
use crate::output::{OutDir, OutputFile, check_out_dir};
use crate::pipeline::{Message, RecordStream};
use crate::report::{FieldsSeen, Reporter, usage, usage_bail};
use crate::settings::{csv_settings, feed_settings};

/// Runs a conversion; returns how many records failed (skipped with `--keep-going`).
pub fn convert(args: &ConvertArgs, reporter: &Reporter) -> anyhow::Result<u64> {
    let csv = csv_settings(&args.csv)?;
    let mut feed = feed_settings(&args.feed, reporter.quiet())?;
    feed.write.assume_tz = args.output.assume_tz.clone();
    if let Some(dir) = &args.output.out_dir {
        check_out_dir(dir, &args.input.inputs)?;
    }
    let inputs = Inputs::collect_except(
        &args.input.inputs,
        args.input.from,
        args.input.shard,
        args.output.output.as_deref(),
    )?;
    for warning in &inputs.warnings {
        reporter.warn(warning);
    }
    // A shard may rightly hold no file (more machines than files).
    if args.input.shard.is_none() {
        crate::cli::check_found(&args.input.inputs, &inputs, reporter)?;
    }
    crate::cli::check_select(args.input.select.as_deref(), &inputs)?;
    // The channel: the flags first, then `_index.md`, then an input feed's.
    let mut write_options = WriteOptions {
        channel: feed.channel,
        csv: csv.clone(),
        feed: feed.write,
    };
    if let Some(index) = inputs.index_channel()? {
        write_options.channel.fill_from(&index);
    }
    let first_input = inputs
        .files
        .iter()
        .find(|input| !input.sniff)
        .map(|input| input.format);
    let format = output_format(&args.output, first_input)?;
    crate::cli::check_write_flags(&args.csv, &args.feed, Some(format))?;
    let mut columns = match format {
        Format::Csv | Format::Tsv => FieldsSeen::new(args.csv.fields.iter().flatten()),
        _ => FieldsSeen::default(),
    };
    let mut schema_columns = FieldsSeen::for_schema(&csv, &inputs);
    let mut sink = Sink::open(&args.output, format, &args.input.inputs)?;
    let options = ReadOptions {
        select: args.input.select.clone(),
        max_record_size: args.input.max_record_size,
        csv,
        feed: feed.read,
    };
    let progress = reporter.progress(inputs.files.len());
    let stream = RecordStream::start(inputs.files, options, progress.clone());
    let mut failed = 0;
    let mut records = 0u64;
    for message in stream {
        match message {
            Message::Channel(found) => write_options.channel.fill_from(&found),
            Message::Records(items) => {
                for item in items {
                    match item {
                        Ok(record) => {
                            records += 1;
                            columns.add(&record);
                            schema_columns.add(&record);
                            sink.write(record, &write_options)?;
                        }
                        Err(error) if args.input.keep_going => {
                            reporter.error(&error);
                            failed += 1;
                        }
                        Err(error) => return Err(error.into()),
                    }
                }
            }
        }
    }
    progress.finish_and_clear();
    if records == 0 {
        reporter.warn("no record was read: the output holds none");
    }
    // Checked before the output is committed: a file or folder is then left as it was.
    columns.check_fields()?;
    schema_columns.warn_schema(reporter);
    if let Sink::Folder { gaps, .. } = &sink {
        let chosen = args.output.name != crate::cli::DEFAULT_NAME;
        crate::report::check_template(
            gaps,
            &format!("--name {}", args.output.name),
            chosen,
            reporter,
        )?;
    }
    sink.finish(&write_options)?;
    Ok(failed)
}

/// `--to`, else `-o`'s extension (`.xml`: a feed, see [`Format::of_output`]; `input` is
/// the first input's format), else Markdown for `--out-dir` and JSON for stdout.
pub fn output_format(args: &OutputArgs, input: Option<Format>) -> anyhow::Result<Format> {
    if let Some(path) = &args.output {
        crate::output::refuse_folder(path)?;
    }
    if let Some(format) = args.to {
        return Ok(format);
    }
    match (&args.output, &args.out_dir) {
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

/// Where records go: one stream (stdout, an atomically replaced file, a pipe), or one
/// file per record in a folder.
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
        /// The `--name` placeholders that found no value.
        gaps: recast_model::template::TemplateGaps,
    },
}

impl Sink {
    /// `inputs`: the command line's, which `--out-dir` never overwrites.
    fn open(args: &OutputArgs, format: Format, inputs: &[PathBuf]) -> anyhow::Result<Sink> {
        if let Some(dir) = &args.out_dir {
            let template = Template::parse(&args.name)
                .map_err(|message| usage(format!("--name: {message}")))?
                .assume_zone(args.assume_tz.clone());
            return Ok(Sink::Folder {
                format,
                out: OutDir::create(dir, args.force, inputs)?,
                template,
                gaps: Default::default(),
            });
        }

        let target = match &args.output {
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
                gaps,
            } => {
                gaps.add(template, &record);
                let name = template.render(&record.fields).map_err(|e| {
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
        }
        Ok(())
    }

    fn finish(self, options: &WriteOptions) -> anyhow::Result<()> {
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
