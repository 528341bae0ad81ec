//! `recast migrate`: apply a plan of edits to every record of an archive, in place or
//! into another format, safely.
//!
//! The run has two phases. First every input is read and every edit applied (files in
//! parallel), keeping in memory only the new text of the files that change; a file that
//! fails stops the run before anything is written (or, with `--keep-going`, is skipped
//! and reported). Then the changed files are replaced one by one, each atomically
//! (temporary file in the same folder, fsync, rename), so a run killed at any moment
//! leaves every file whole, old or new. A dry run stops after the first phase and shows
//! the diffs of the first few changed files.
//!
//! Markdown files are rewritten entry by entry ([`recast_yaml::layout`]) so that only
//! the lines the edits touch change; other formats are written whole by their writer
//! when one of their records changes.

use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::CommandFactory;
use rayon::prelude::*;
use recast_migrate::{Edit, Plan, PlanReport};
use recast_model::{Channel, Error, Record};

use crate::cli::{Cli, MigrateArgs};
use crate::format::{
    Format, ReadOptions, WriteOptions, csv_settings, feed_settings, open_reader, open_writer,
};
use crate::input::{Input, Inputs};
use crate::output::{AtomicFile, OutDir};
use crate::report::{Reporter, usage, usage_bail};

/// How many files one parallel batch reads and migrates.
const FILES_PER_BATCH: usize = 1024;

/// Runs a migration; returns how many files were skipped (`--keep-going`).
pub fn migrate(args: &MigrateArgs, reporter: &Reporter) -> anyhow::Result<u64> {
    let started = Instant::now();
    let (plan, labels) = build_plan(args)?;
    if plan.is_empty() {
        usage_bail!(
            "no edits: give --plan PLAN.yaml or edit flags (--rename, --delete, --set, --default, --date, --where, --template)"
        );
    }
    if args.diff.is_some() && !args.dry_run {
        usage_bail!(
            "--diff N sets how many diffs a dry run shows; add --dry-run (without it the migration runs)"
        );
    }
    let csv = csv_settings(&args.csv)?;
    let feed = feed_settings(&args.feed, reporter.quiet())?;
    let inputs = Inputs::collect(&args.inputs, args.from)?;
    for warning in &inputs.warnings {
        reporter.warn(warning);
    }
    if inputs.files.iter().any(|input| input.path.is_none()) {
        usage_bail!("migrate reads files and folders, not standard input");
    }
    crate::cli::check_found(&args.inputs, &inputs, reporter)?;
    crate::cli::check_select(args.read.select.as_deref(), &inputs)?;
    let target = Target::from_args(args)?;
    crate::cli::check_write_flags(&args.csv, &args.feed, target.format())?;
    let schema_columns = crate::report::FieldsSeen::for_schema(&csv, &inputs);
    let read_options = ReadOptions {
        select: args.read.select.clone(),
        max_record_size: args.read.max_record_size,
        csv: csv.clone(),
        feed: feed.read,
    };
    let base_write = WriteOptions {
        channel: feed.channel,
        csv,
        feed: feed.write,
    };
    let roots: Vec<PathBuf> = args.inputs.clone();

    // Phase 1: read and migrate everything; nothing is written.
    let progress = reporter.progress(inputs.files.len());
    let mut results = Vec::with_capacity(inputs.files.len());
    for batch in inputs.files.chunks(FILES_PER_BATCH) {
        let migrated: Vec<anyhow::Result<Migrated>> = batch
            .par_iter()
            .map(|input| {
                migrate_file(
                    input,
                    &plan,
                    &target,
                    args.dry_run,
                    &read_options,
                    &base_write,
                    schema_columns.clone(),
                )
            })
            .collect();
        progress.inc(batch.len() as u64);
        results.extend(migrated);
    }
    progress.finish_and_clear();

    let mut files = Vec::with_capacity(results.len());
    let mut skipped = 0u64;
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(error) => {
                let note = if args.keep_going { " (skipped)" } else { "" };
                reporter.error(&format!("{error:#}{note}"));
                skipped += 1;
            }
        }
    }
    if skipped > 0 && !args.keep_going {
        bail!(
            "{skipped} file(s) could not be read or migrated; nothing was written (--keep-going skips them)"
        );
    }
    let mut report = PlanReport::new(&plan);
    let mut schema_seen = schema_columns;
    for file in &files {
        report.merge(&file.report);
        schema_seen.merge(&file.schema_columns);
    }
    schema_seen.warn_schema(reporter);
    crate::report::check_edits(&report, &labels, reporter)?;
    let summary = Summary::of(&files, skipped, &target);

    if args.dry_run {
        print_diffs(&files, args.diff.unwrap_or(DIFFS_SHOWN));
        eprintln!(
            "recast: dry run: {}; nothing written",
            summary.text("would change", started)
        );
        return Ok(skipped);
    }

    // Phase 2: write.
    match &target {
        Target::InPlace => {
            let progress = reporter.progress(summary.changed);
            for file in files.iter().filter(|f| f.changed) {
                let (Some(path), Some(text)) = (&file.input.path, &file.new_text) else {
                    continue;
                };
                replace_file(path, text.as_bytes())?;
                progress.inc(1);
            }
            progress.finish_and_clear();
        }
        Target::File { path, format } => {
            // A feed keeps the channel of the folder's `_index.md`, else of the first
            // input that has one.
            let mut channel = inputs.index_channel()?.unwrap_or_default();
            if let Some(first) = files.iter().find_map(|f| f.channel.as_ref()) {
                channel.fill_from(first);
            }
            let out = AtomicFile::create(path)?;
            let mut writer = open_writer(
                *format,
                Box::new(out.writer()?),
                &write_options(&base_write, Some(&channel)),
            )?;
            for file in &files {
                for record in &file.records {
                    writer.write_record(record)?;
                }
            }
            writer.finish()?;
            drop(writer);
            out.commit()?;
        }
        Target::Dir { dir, format } => {
            let mut out = OutDir::create(dir)?;
            for file in &files {
                let Some(path) = &file.input.path else {
                    continue;
                };
                let format = format.unwrap_or(file.input.format);
                let relative = relative_path(path, &roots).with_extension(format.extension());
                let staged = out.reserve_exact(relative)?;
                let text = render(format, &file.records, &base_write, file.channel.as_ref())
                    .with_context(|| format!("cannot write {}", path.display()))?;
                fs::write(&staged, text)
                    .with_context(|| format!("cannot write {}", staged.display()))?;
            }
            out.commit()?;
        }
    }
    eprintln!("recast: migrate: {}", summary.text("changed", started));
    Ok(skipped)
}

/// How many changed files a dry run shows the diff of, without `--diff N`.
const DIFFS_SHOWN: usize = 3;

/// The plan file's edits first, then the edit flags in command-line order; with each
/// edit, its name for messages (`--set title.sub=1`, `plan.yaml edit 2 (set)`).
fn build_plan(args: &MigrateArgs) -> anyhow::Result<(Plan, Vec<String>)> {
    // A YAML scalar: plain text resolves (`false`, `39`, `~`); quoted text is a string.
    let scalar = |text: &str| {
        let quoted = text.len() >= 2
            && ((text.starts_with('"') && text.ends_with('"'))
                || (text.starts_with('\'') && text.ends_with('\'')));
        match quoted {
            true => recast_yaml::parse_value(text, None, 1, &Default::default())
                .ok()
                .filter(|v| v.as_str().is_some())
                .unwrap_or_else(|| recast_yaml::parse_scalar(text)),
            false => recast_yaml::parse_scalar(text),
        }
    };
    let mut edits = Vec::new();
    let mut labels = Vec::new();
    if let Some(path) = &args.plan {
        let text = fs::read_to_string(path)
            .with_context(|| format!("cannot read plan {}", path.display()))?;
        let value =
            recast_yaml::parse_value(&text, Some(path.as_path().into()), 1, &Default::default())
                .with_context(|| format!("plan {}", path.display()))?;
        let plan = Plan::from_value(&value, &scalar)
            .map_err(|e| usage(format!("plan {}: {e}", path.display())))?;
        labels.extend((1..=plan.edits.len()).map(|n| format!("plan {} edit {n}", path.display())));
        edits.extend(plan.edits);
    }
    let kinds: [(&str, &str, &[String]); 7] = [
        ("rename", "rename", &args.rename),
        ("delete", "delete", &args.delete),
        ("set", "set", &args.set),
        ("default", "default", &args.default),
        ("date", "date", &args.date),
        ("where", "filter", &args.filter),
        ("template", "template", &args.template),
    ];
    // Clap keeps each flag's values apart; their positions on the command line give the
    // order the edits apply in.
    let matches = Cli::command()
        .try_get_matches_from(std::env::args_os())
        .ok();
    let sub = matches
        .as_ref()
        .and_then(|m| m.subcommand_matches("migrate"));
    let mut flagged: Vec<(usize, Edit, String)> = Vec::new();
    for (rank, (kind, id, values)) in kinds.iter().enumerate() {
        let indices: Vec<usize> = sub
            .and_then(|m| m.indices_of(id))
            .map(|i| i.collect())
            .unwrap_or_default();
        for (n, value) in values.iter().enumerate() {
            let position = indices.get(n).copied().unwrap_or(usize::MAX / 8 * rank + n);
            let edit = Edit::from_flag(kind, value, &scalar).map_err(usage)?;
            flagged.push((position, edit, format!("--{kind} {value}")));
        }
    }
    flagged.sort_by_key(|(position, ..)| *position);
    for (_, edit, label) in flagged {
        edits.push(edit);
        labels.push(label);
    }
    Ok((Plan::new(edits), labels))
}

/// Where the migrated records go.
enum Target {
    InPlace,
    File {
        path: PathBuf,
        format: Format,
    },
    Dir {
        dir: PathBuf,
        format: Option<Format>,
    },
}

impl Target {
    fn from_args(args: &MigrateArgs) -> anyhow::Result<Target> {
        if args.in_place {
            if args.to.is_some() {
                usage_bail!(
                    "--in-place rewrites each file in its own format; --to needs -o FILE or --out-dir DIR"
                );
            }
            return Ok(Target::InPlace);
        }
        if let Some(path) = &args.output {
            if path.is_dir() {
                usage_bail!(
                    "-o {}: a folder; -o takes a file (--out-dir DIR writes a folder)",
                    path.display()
                );
            }
            let format = match args.to.or_else(|| Format::from_extension(path)) {
                Some(format) => format,
                None => usage_bail!(
                    "cannot tell the output format from {}; use --to",
                    path.display()
                ),
            };
            return Ok(Target::File {
                path: path.clone(),
                format,
            });
        }
        if let Some(dir) = &args.out_dir {
            return Ok(Target::Dir {
                dir: dir.clone(),
                format: args.to,
            });
        }
        usage_bail!(
            "say where to write: --in-place, -o FILE or --out-dir DIR (add --dry-run to only look)"
        )
    }

    /// The one output format, when there is one (`-o`, or `--out-dir` with `--to`).
    fn format(&self) -> Option<Format> {
        match self {
            Target::InPlace => None,
            Target::File { format, .. } => Some(*format),
            Target::Dir { format, .. } => *format,
        }
    }
}

/// One input after the edits.
struct Migrated {
    input: Input,
    /// Some record changed or was left out by `where`.
    changed: bool,
    /// Records an edit changed (not counted in place, where files are counted).
    edited: usize,
    /// Records no edit changed (idem).
    kept_as_they_were: usize,
    /// Records left out by `where` (idem: in place they stay as they were).
    dropped: usize,
    /// The records to write (`-o`, `--out-dir`).
    records: Vec<Record>,
    /// In place: the file's new text, when it changed.
    new_text: Option<String>,
    /// The input's channel, when it is a feed.
    channel: Option<Channel>,
    /// The text before and after, for a dry run's diff, when it changed.
    diff: Option<(String, String)>,
    /// What each edit did to this file's records.
    report: PlanReport,
    /// Which `--schema` columns its records have.
    schema_columns: crate::report::FieldsSeen,
}

/// Reads one input and applies the plan; `keep_diff` keeps the texts a dry run shows.
fn migrate_file(
    input: &Input,
    plan: &Plan,
    target: &Target,
    keep_diff: bool,
    read_options: &ReadOptions,
    write: &WriteOptions,
    mut schema_columns: crate::report::FieldsSeen,
) -> anyhow::Result<Migrated> {
    let path = input
        .path
        .clone()
        .context("standard input cannot be migrated")?;
    let mut bytes = Vec::new();
    fs::File::open(&path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(|e| Error::io(Some(path.clone()), &e))?;
    let mut reader = open_reader(
        input.format,
        Box::new(Cursor::new(bytes.as_slice())),
        Some(path.clone()),
        read_options,
    )?;
    let mut old: Vec<Record> = Vec::new();
    for record in reader.by_ref() {
        let record = record?;
        schema_columns.add(&record);
        old.push(record);
    }
    // A feed's channel, written back with its items.
    let channel = reader.channel().cloned();
    drop(reader);
    let mut new = Vec::with_capacity(old.len());
    let mut changed = false;
    let mut dropped = 0;
    let mut edited_records = 0;
    let in_place = matches!(target, Target::InPlace);
    let mut report = PlanReport::new(plan);
    for record in &old {
        let mut edited = record.clone();
        let outcome = plan.apply_reported(&mut edited, &mut report);
        if !outcome.kept {
            dropped += 1;
            if in_place {
                // In place, `where` chooses what to edit; the rest stays as it was.
                new.push(record.clone());
            } else {
                changed = true;
            }
            continue;
        }
        let record_changed = outcome.changed && edited != *record;
        changed |= record_changed;
        edited_records += usize::from(record_changed);
        new.push(edited);
    }
    let mut migrated = Migrated {
        input: input.clone(),
        changed,
        edited: edited_records,
        kept_as_they_were: new
            .len()
            .saturating_sub(edited_records + if in_place { dropped } else { 0 }),
        dropped: if in_place { 0 } else { dropped },
        records: Vec::new(),
        new_text: None,
        channel: channel.clone(),
        diff: None,
        report,
        schema_columns,
    };
    match target {
        Target::InPlace => {
            if changed {
                let old_text = String::from_utf8(bytes).map_err(|_| {
                    Error::data(Default::default(), "not UTF-8").in_file(Some(&path))
                })?;
                let new_text = match (input.format, old.as_slice(), new.as_slice()) {
                    (Format::Md, [old_record], [new_record]) => {
                        recast_yaml::layout::rewrite_markdown(&old_text, old_record, new_record)
                    }
                    (format, _, records) => render(format, records, write, channel.as_ref())?,
                };
                migrated.changed = new_text != old_text;
                if migrated.changed {
                    if keep_diff {
                        migrated.diff = Some((old_text, new_text.clone()));
                    }
                    migrated.new_text = Some(new_text);
                }
            }
        }
        Target::File { format, .. }
        | Target::Dir {
            format: Some(format),
            ..
        } => {
            if changed && keep_diff {
                migrated.diff = Some((
                    render(*format, &old, write, channel.as_ref())?,
                    render(*format, &new, write, channel.as_ref())?,
                ));
            }
            migrated.records = new;
        }
        Target::Dir { format: None, .. } => {
            if changed && keep_diff {
                migrated.diff = Some((
                    render(input.format, &old, write, channel.as_ref())?,
                    render(input.format, &new, write, channel.as_ref())?,
                ));
            }
            migrated.records = new;
        }
    }
    Ok(migrated)
}

/// The run's writer options with a file's channel (a feed's metadata) filling what the
/// `--feed-*` flags leave open.
fn write_options(base: &WriteOptions, channel: Option<&Channel>) -> WriteOptions {
    let mut options = base.clone();
    if let Some(channel) = channel {
        options.channel.fill_from(channel);
    }
    options
}

/// Records written in a format, whole, with the channel of the file they came from.
fn render(
    format: Format,
    records: &[Record],
    base: &WriteOptions,
    channel: Option<&Channel>,
) -> anyhow::Result<String> {
    if format == Format::Md && records.len() > 1 {
        bail!(
            "a Markdown file holds one record and this file has {}; use --to yaml (or another stream format)",
            records.len()
        );
    }
    let mut out = Vec::new();
    {
        let options = write_options(base, channel);
        let mut writer = open_writer(format, Box::new(&mut out), &options)?;
        for record in records {
            writer.write_record(record)?;
        }
        writer.finish()?;
    }
    String::from_utf8(out).context("a writer wrote text that is not UTF-8")
}

/// Replaces a file atomically: temporary file in its folder, fsync, rename.
fn replace_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let file = AtomicFile::create(path)?;
    {
        let mut writer = file.writer()?;
        writer
            .write_all(bytes)
            .and_then(|()| writer.flush())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    file.commit()
}

/// A walked file's path below the command-line folder it came from (a file named on the
/// command line: its name).
fn relative_path(path: &Path, roots: &[PathBuf]) -> PathBuf {
    roots
        .iter()
        .filter_map(|root| path.strip_prefix(root).ok())
        .find(|relative| !relative.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .or_else(|| path.file_name().map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("untitled"))
}

/// Prints the unified diffs of the first `limit` changed files on standard output.
fn print_diffs(files: &[Migrated], limit: usize) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let changed: Vec<&Migrated> = files.iter().filter(|f| f.changed).collect();
    for file in changed.iter().take(limit) {
        let Some((old, new)) = &file.diff else {
            continue;
        };
        let name = file
            .input
            .path
            .as_deref()
            .map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
        // git's a/ b/ prefixes for relative paths; an absolute path stands as it is.
        let (a, b) = if name.starts_with('/') {
            (name.clone(), name.clone())
        } else {
            (format!("a/{name}"), format!("b/{name}"))
        };
        let diff = similar::TextDiff::from_lines(old.as_str(), new.as_str());
        let text = diff
            .unified_diff()
            .context_radius(2)
            .header(&a, &b)
            .to_string();
        let _ = out.write_all(text.as_bytes());
    }
    if changed.len() > limit {
        let _ = writeln!(out, "… and {} more changed file(s)", changed.len() - limit);
    }
}

/// The counts a run ends with: files in place, records into another format.
struct Summary {
    changed: usize,
    unchanged: usize,
    dropped: usize,
    skipped: u64,
    in_place: bool,
}

impl Summary {
    fn of(files: &[Migrated], skipped: u64, target: &Target) -> Summary {
        let in_place = matches!(target, Target::InPlace);
        let (changed, unchanged) = if in_place {
            let changed = files.iter().filter(|f| f.changed).count();
            (changed, files.len() - changed)
        } else {
            (
                files.iter().map(|f| f.edited).sum(),
                files.iter().map(|f| f.kept_as_they_were).sum(),
            )
        };
        Summary {
            changed,
            unchanged,
            dropped: files.iter().map(|f| f.dropped).sum(),
            skipped,
            in_place,
        }
    }

    /// `13 changed, 0 unchanged, 0 skipped in 56 ms` (files, in place) or
    /// `3 records changed, 0 unchanged, 10 left out by where, 0 files skipped in 21 ms`.
    fn text(&self, verb: &str, started: Instant) -> String {
        let Summary {
            changed,
            unchanged,
            dropped,
            skipped,
            ..
        } = self;
        let time = elapsed(started);
        if self.in_place {
            format!("{changed} {verb}, {unchanged} unchanged, {skipped} skipped in {time}")
        } else {
            format!(
                "{changed} record(s) {verb}, {unchanged} unchanged, {dropped} left out by where, {skipped} file(s) skipped in {time}"
            )
        }
    }
}

fn elapsed(started: Instant) -> String {
    let elapsed = started.elapsed();
    if elapsed.as_secs() >= 1 {
        format!("{:.1} s", elapsed.as_secs_f64())
    } else {
        format!("{} ms", elapsed.as_millis())
    }
}
