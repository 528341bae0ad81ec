//! The migrate engine (`recast migrate`): apply a plan of edits to every record of an archive, in place or
//! into another format, safely.
//!
//! The run has two phases. First every input is read and every edit applied (files in
//! parallel); a file that fails stops the run before anything is written (or, with
//! `--keep-going`, is skipped and reported). A dry run stops there and shows the diffs
//! of the first few changed files.
//!
//! In place, the first phase also stages each changed file's new text in a temporary
//! file beside the file it replaces (the real file, when the named one is a symbolic
//! link), so no text waits in memory. The second phase checks that no file changed on
//! disk since it was read; only then are the files renamed over, one by one, and their
//! folders synced. So a folder that cannot be written, or a file another editor saved
//! meanwhile, stops the run before any file is replaced (the staged files are removed);
//! a rename that still fails names the files replaced and those not; and a run killed
//! at any moment leaves every file whole, old or new.
//!
//! Each file keeps its form (issue 11, case 10): Markdown files are rewritten entry by
//! entry ([`recast_yaml::rewrite`]; TOML front matter through toml_edit, a JSON object
//! whole in its indentation) so that only the lines the edits touch change, and a
//! Markdown file without front matter is left alone; other formats are written
//! whole, in their own shape (a JSON object stays an object, a `--select`ed array is
//! replaced inside its document, a YAML list stays a list, a sheet keeps its delimiter)
//! and with the file's BOM, line ends and final line break.

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::hash::Hasher;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use anyhow::{Context, bail};
use rayon::prelude::*;
use recast_migrate::{Plan, PlanReport};
use recast_model::{Channel, Error, Location, Record, Value};

use crate::checks::{
    FieldsSeen, check_binary_output, check_edits, check_found, check_select, check_sheet,
    check_write_options,
};
use crate::error::{usage, usage_bail};
use crate::format::{Format, ReadOptions, WriteOptions, open_reader, open_writer};
use crate::input::{Input, Inputs};
use crate::output::{
    AtomicFile, FileId, OutDir, OutputFile, check_out_dir, count_replacements, refuse_folder,
};
use crate::report::Report;

/// How many files one parallel batch reads and migrates.
const FILES_PER_BATCH: usize = 1024;

/// What a migration reads, the edits it applies and where it writes
/// (`recast migrate`'s flags).
#[derive(Clone, Default)]
#[non_exhaustive]
pub struct MigrateOptions {
    /// Files and folders to migrate (not standard input).
    pub inputs: Vec<PathBuf>,
    /// The input format, instead of each file's extension or content.
    pub from: Option<Format>,
    /// The edits, in the order they apply ([`read_plan`] reads a plan file).
    pub plan: Plan,
    /// Each edit's name in messages (`--set title.sub=1`, `plan.yaml edit 2`); edits
    /// without one are named `edit N`.
    pub labels: Vec<String>,
    /// Rewrite each file in place, in its own format and form.
    pub in_place: bool,
    /// The output format of `output` or `out_dir`.
    pub to: Option<Format>,
    /// Write every record to this one file.
    pub output: Option<PathBuf>,
    /// Write each file, migrated, to this folder (same relative paths).
    pub out_dir: Option<PathBuf>,
    /// Replace files already in `out_dir`.
    pub force: bool,
    /// Read and migrate, write nothing: [`Migration::diffs`] shows what would change.
    pub dry_run: bool,
    /// How many diffs a dry run renders (`None`: 3).
    pub diffs: Option<usize>,
    /// Skip files that fail (each is reported) instead of writing nothing.
    pub keep_going: bool,
    /// Migrate only this share of the files found (`--shard K/N`, as `convert`'s).
    pub shard: Option<crate::input::Shard>,
    /// How records are read.
    pub read: ReadOptions,
    /// How records are written (`write.feed.assume_tz` also gives zone-less dates their
    /// zone in the edits).
    pub write: WriteOptions,
}

/// What a migration did.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Migration {
    /// Files skipped because of errors (`keep_going`) or because they changed on disk.
    pub skipped: u64,
    /// The counts in a line: `13 changed, 0 unchanged, 0 skipped in 56 ms`.
    pub summary: String,
    /// A dry run's unified diffs of the first changed files.
    pub diffs: Vec<String>,
    /// Changed files beyond those of `diffs`.
    pub more_changed: usize,
}

/// Reads a plan file (YAML: a list of edits) into a plan and the edits' names for
/// messages (`plan.yaml edit 2`).
pub fn read_plan(path: &Path) -> anyhow::Result<(Plan, Vec<String>)> {
    let text =
        fs::read_to_string(path).with_context(|| format!("cannot read plan {}", path.display()))?;
    let value = recast_yaml::parse_value(&text, Some(path.into()), 1, &Default::default())
        .with_context(|| format!("plan {}", path.display()))?;
    let plan = Plan::from_value(&value, &scalar)
        .map_err(|e| usage(format!("plan {}: {e}", path.display())))?;
    let labels = (1..=plan.edits.len())
        .map(|n| format!("plan {} edit {n}", path.display()))
        .collect();
    Ok((plan, labels))
}

/// A value as edit flags and plans write it, in YAML: plain text resolves (`false`, `39`,
/// `~`); quoted text is a string; a flow collection is a list or a map (`[a, b]`,
/// `{x: 1}`). A flow collection YAML cannot read stays text, for the caller to refuse
/// (see [`recast_migrate::Edit::from_flag`]).
pub fn scalar(text: &str) -> Value {
    let quoted = text.len() >= 2
        && ((text.starts_with('"') && text.ends_with('"'))
            || (text.starts_with('\'') && text.ends_with('\'')));
    let flow = text.starts_with(['[', '{']);
    match quoted || flow {
        true => recast_yaml::parse_value(text, None, 1, &Default::default())
            .ok()
            .filter(|v| match flow {
                true => matches!(v, Value::List(_) | Value::Map(_)),
                false => v.as_str().is_some(),
            })
            .unwrap_or_else(|| recast_yaml::parse_scalar(text)),
        false => recast_yaml::parse_scalar(text),
    }
}

/// Runs a migration: reads every input, applies the plan, then writes (unless a dry run).
pub fn migrate(options: &MigrateOptions, report: &dyn Report) -> anyhow::Result<Migration> {
    let args = options;
    let started = Instant::now();
    let plan = &options.plan;
    let labels: Vec<String> = (0..plan.edits.len())
        .map(|n| {
            options
                .labels
                .get(n)
                .cloned()
                .unwrap_or_else(|| format!("edit {}", n + 1))
        })
        .collect();
    if plan.is_empty() {
        usage_bail!(
            "no edits: give --plan PLAN.yaml or edit flags (--rename, --delete, --set, --default, --date, --where, --template, --jq)"
        );
    }
    if options.diffs.is_some() && !options.dry_run {
        usage_bail!(
            "--diff N sets how many diffs a dry run shows; add --dry-run (without it the migration runs)"
        );
    }
    let inputs =
        Inputs::collect_unmeasured(&args.inputs, args.from, args.shard, args.output.as_deref())?;
    for warning in &inputs.warnings {
        report.warn(warning);
    }
    if inputs.files.iter().any(|input| input.path.is_none()) {
        usage_bail!("migrate reads files and folders, not standard input");
    }
    // A shard may rightly hold no file (more machines than files).
    if args.shard.is_none() {
        check_found(&args.inputs, &inputs, report)?;
    }
    check_select(args.read.select.as_deref(), &inputs)?;
    check_sheet(args.read.sheet.as_deref(), &inputs)?;
    let target = Target::from_args(args, &inputs)?;
    check_write_options(&args.write, target.format())?;
    if matches!(target, Target::InPlace)
        && args.write.feed.lossless
        && !inputs.files.iter().any(|input| input.format.is_feed())
    {
        usage_bail!(
            "--lossless applies to feeds, and no input is a feed (in place, each file keeps its own format); leave it out"
        );
    }
    let schema_columns = FieldsSeen::for_schema(&args.read.csv, &inputs);
    let read_options = args.read.clone();
    let mut base_write = args.write.clone();
    // A migration edits records and leaves out only what `where` says: a feed it writes
    // (or rewrites in place) keeps its drafts and future posts.
    base_write.feed.drafts = true;
    base_write.feed.future = true;
    let roots: Vec<PathBuf> = args.inputs.clone();

    // Phase 1: read and migrate everything; nothing is replaced.
    let progress = report.progress(inputs.files.len());
    let mut files = Vec::with_capacity(inputs.files.len());
    let mut failed = Vec::new();
    let diffs_shown = args.diffs.unwrap_or(DIFFS_SHOWN);
    let mut changed_so_far = 0;
    for batch in inputs.files.chunks(FILES_PER_BATCH) {
        let migrated: Vec<anyhow::Result<Migrated>> = batch
            .par_iter()
            .map(|input| {
                migrate_file(
                    input,
                    plan,
                    &target,
                    args.dry_run,
                    &read_options,
                    &base_write,
                    schema_columns.clone(),
                )
            })
            .collect();
        progress.advance(batch.len() as u64);
        for result in migrated {
            match result {
                Ok(mut file) => {
                    // A dry run shows the diffs of the first changed files only: the
                    // texts of the others need not stay in memory until the end.
                    if file.changed {
                        changed_so_far += 1;
                        if changed_so_far > diffs_shown {
                            file.diff = None;
                        }
                    }
                    files.push(file);
                }
                Err(error) => failed.push(error),
            }
        }
    }
    progress.finish();

    let mut skipped = failed.len() as u64;
    for error in failed {
        let note = if args.keep_going { " (skipped)" } else { "" };
        report.skipped(&format!("{error:#}{note}"));
    }
    if skipped > 0 && !args.keep_going {
        bail!(
            "{skipped} file(s) could not be read or migrated; nothing was written (--keep-going skips them)"
        );
    }
    for file in &files {
        if let (Some(reason), Some(path)) = (&file.left_alone, &file.input.path) {
            report.warn(&format!("{}: skipped: {reason}", path.display()));
        }
    }
    let mut plan_report = PlanReport::new(plan);
    let mut schema_seen = schema_columns;
    for file in &files {
        plan_report.merge(&file.report);
        schema_seen.merge(&file.schema_columns);
    }
    schema_seen.warn_schema(report);
    check_edits(&plan_report, &labels, report)?;
    let mut summary = Summary::of(&files, skipped, &target);

    if args.dry_run {
        let (diffs, more_changed) = diffs(&files, diffs_shown);
        return Ok(Migration {
            skipped,
            summary: summary.text("would change", started),
            diffs,
            more_changed,
        });
    }

    // Phase 2: write.
    match &target {
        Target::InPlace => {
            let changed_on_disk = replace_in_place(files, report)?;
            summary.changed -= changed_on_disk;
            summary.skipped += changed_on_disk as u64;
            skipped += changed_on_disk as u64;
        }
        Target::File { path, format } => {
            // A feed keeps the channel of the folder's `_index.md`, else of the first
            // input that has one.
            let mut channel = inputs.index_channel()?.unwrap_or_default();
            if let Some(first) = files.iter().find_map(|f| f.channel.as_deref()) {
                channel.fill_from(first);
            }
            let out = OutputFile::create(path)?;
            let mut writer = open_writer(
                *format,
                out.writer()?,
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
            let mut out = OutDir::create(dir, args.force, &args.inputs)?;
            for file in &files {
                let Some(path) = &file.input.path else {
                    continue;
                };
                let format = format.unwrap_or(file.input.format);
                let relative = relative_path(path, &roots).with_extension(format.extension());
                let staged = out.reserve_exact(relative)?;
                let text = render(format, &file.records, &base_write, file.channel.as_deref())
                    .with_context(|| format!("cannot write {}", path.display()))?;
                fs::write(&staged, text)
                    .with_context(|| format!("cannot write {}", staged.display()))?;
            }
            out.commit()?;
        }
    }
    Ok(Migration {
        skipped,
        summary: summary.text("changed", started),
        ..Migration::default()
    })
}

/// How many changed files a dry run shows the diff of, without `--diff N`.
const DIFFS_SHOWN: usize = 3;

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
    fn from_args(args: &MigrateOptions, inputs: &Inputs) -> anyhow::Result<Target> {
        if args.in_place {
            if args.to.is_some() {
                usage_bail!(
                    "--in-place rewrites each file in its own format; --to needs -o FILE or --out-dir DIR"
                );
            }
            if let Some(input) = inputs.files.iter().find(|input| input.format.is_binary()) {
                usage_bail!(
                    "--in-place rewrites text files, and {} is a workbook ({}); write the \
                     migrated records with -o FILE.xlsx instead",
                    input
                        .path
                        .as_deref()
                        .map_or("<stdin>".into(), |p| p.display().to_string()),
                    input.format.name()
                );
            }
            return Ok(Target::InPlace);
        }
        if let Some(path) = &args.output {
            refuse_folder(path)?;
            let input = inputs.files.first().map(|input| input.format);
            let format = match args.to.or_else(|| Format::of_output(path, input)) {
                Some(format) => format,
                None => usage_bail!(
                    "cannot tell the output format from {}; use --to",
                    path.display()
                ),
            };
            check_binary_output(format, Some(path))?;
            return Ok(Target::File {
                path: path.clone(),
                format,
            });
        }
        if let Some(dir) = &args.out_dir {
            check_out_dir(dir, &args.inputs)?;
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
    /// In place, when the file changed: its new text staged beside it (a dry run keeps
    /// the text in `diff` instead). Boxed, as `channel` is, to keep this small: 20,000
    /// of these are moved around.
    staging: Option<Box<Staging>>,
    /// In place: why a file an edit would change is left as it is (a warning).
    left_alone: Option<String>,
    /// The input's channel, when it is a feed.
    channel: Option<Box<Channel>>,
    /// The text before and after, for a dry run's diff, when it changed and is among
    /// the changed files the run shows.
    diff: Option<(String, String)>,
    /// What each edit did to this file's records.
    report: PlanReport,
    /// Which `--column-types` columns its records have.
    schema_columns: FieldsSeen,
}

/// What reading a file gave.
struct FileRead {
    records: Vec<Record>,
    /// A feed's channel, written back with its items.
    channel: Option<Channel>,
    /// In place, where a Markdown file's front-matter entries are.
    keys: recast_yaml::FrontMatterKeys,
}

impl FileRead {
    fn of(
        format: Format,
        bytes: &[u8],
        path: &Arc<Path>,
        in_place: bool,
        options: &ReadOptions,
    ) -> recast_model::Result<FileRead> {
        // In place, a Markdown file's read also says where its front-matter entries
        // are, so that the rewrite need not read the front matter again.
        if format == Format::Md && in_place {
            let yaml = options.yaml();
            recast_yaml::check_markdown_size(bytes.len(), Some(path), &yaml)?;
            let (record, keys) =
                recast_yaml::read_markdown_keyed(bytes.to_vec(), Some(path.clone()), &yaml)?;
            return Ok(FileRead {
                records: vec![record],
                channel: None,
                keys,
            });
        }
        let mut reader = open_reader(
            format,
            Box::new(Cursor::new(bytes)),
            Some(path.clone()),
            options,
        )?;
        Ok(FileRead {
            records: reader.by_ref().collect::<recast_model::Result<_>>()?,
            channel: reader.channel().cloned(),
            keys: Default::default(),
        })
    }
}

/// A changed file's new text, staged beside it, and what the file was when it was read.
struct Staging {
    /// The temporary file, or why it could not be written.
    temp: anyhow::Result<AtomicFile>,
    snapshot: Snapshot,
}

/// Reads one input and applies the plan; `keep_diff` keeps the texts a dry run shows,
/// else in place a changed file's new text is staged.
fn migrate_file(
    input: &Input,
    plan: &Plan,
    target: &Target,
    keep_diff: bool,
    read_options: &ReadOptions,
    write: &WriteOptions,
    mut schema_columns: FieldsSeen,
) -> anyhow::Result<Migrated> {
    let path = input
        .path
        .clone()
        .context("standard input cannot be migrated")?;
    let (bytes, read_at) = read_with_state(&path).map_err(|e| Error::io(Some(path.clone()), e))?;
    let in_place = matches!(target, Target::InPlace);
    let read = FileRead::of(input.format, &bytes, &path, in_place, read_options)?;
    let (old, channel) = (read.records.as_slice(), &read.channel);
    for record in old {
        schema_columns.add(record);
    }
    let mut new = Vec::with_capacity(old.len());
    let mut changed = false;
    let mut dropped = 0;
    let mut edited_records = 0;
    let mut report = PlanReport::new(plan);
    for record in old {
        // An edit that cannot apply to a record fails its file, naming where it is.
        let fanout = plan.apply_all(record, &mut report).map_err(|message| {
            let at = Location::new(record.origin.file.clone(), record.origin.line, 0);
            Error::data(at, message)
        })?;
        if fanout.records.is_empty() {
            dropped += 1;
            if in_place {
                // In place, `where` (and a jq `select`) chooses what to edit; the rest
                // stays as it was.
                new.push(record.clone());
            } else {
                changed = true;
            }
            continue;
        }
        let record_changed =
            fanout.changed && !matches!(fanout.records.as_slice(), [one] if one == record);
        changed |= record_changed;
        edited_records += fanout.records.len() * usize::from(record_changed);
        new.extend(fanout.records);
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
        staging: None,
        left_alone: None,
        channel: channel.clone().map(Box::new),
        diff: None,
        report,
        schema_columns,
    };
    match target {
        Target::InPlace => {
            if changed {
                let snapshot = Snapshot::of(&bytes, read_at);
                let old_text = String::from_utf8(bytes).map_err(|_| {
                    Error::data(Default::default(), "not UTF-8").in_file(Some(&path))
                })?;
                if input.format == Format::Md
                    && !read.keys.in_fenced_front_matter()
                    && !recast_yaml::rewrite::has_front_matter(&old_text)
                {
                    migrated.changed = false;
                    migrated.left_alone = Some(
                        "no front matter (`---` YAML, `+++` TOML or a JSON object) to edit; recast does not add one"
                            .to_owned(),
                    );
                    return Ok(migrated);
                }
                let new_text =
                    in_place_text(input.format, &old_text, &read, &new, read_options, write)
                        .with_context(|| {
                            format!("{}: cannot rewrite it in its own form", path.display())
                        })?;
                migrated.changed = new_text != old_text;
                // A dry run shows the texts and writes nothing.
                if migrated.changed && keep_diff {
                    migrated.diff = Some((old_text, new_text));
                } else if migrated.changed {
                    migrated.staging = Some(Box::new(Staging {
                        temp: stage(&path, new_text.as_bytes(), &snapshot),
                        snapshot,
                    }));
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
                    render(*format, old, write, channel.as_ref())?,
                    render(*format, &new, write, channel.as_ref())?,
                ));
            }
            migrated.records = new;
        }
        Target::Dir { format: None, .. } => {
            if changed && keep_diff {
                migrated.diff = Some((
                    render(input.format, old, write, channel.as_ref())?,
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

/// The unified diffs of the first `limit` changed files, and how many more changed.
fn diffs(files: &[Migrated], limit: usize) -> (Vec<String>, usize) {
    let changed: Vec<&Migrated> = files.iter().filter(|f| f.changed).collect();
    let mut diffs = Vec::new();
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
        diffs.push(
            diff.unified_diff()
                .context_radius(2)
                .header(&a, &b)
                .to_string(),
        );
    }
    (diffs, changed.len().saturating_sub(limit))
}

/// The counts a run ends with: files in place, records into another format.
struct Summary {
    changed: usize,
    unchanged: usize,
    dropped: usize,
    skipped: u64,
    /// In place: Markdown files without front matter an edit would have changed.
    left_alone: usize,
    in_place: bool,
}

impl Summary {
    fn of(files: &[Migrated], skipped: u64, target: &Target) -> Summary {
        let in_place = matches!(target, Target::InPlace);
        let left_alone = files.iter().filter(|f| f.left_alone.is_some()).count();
        let (changed, unchanged) = if in_place {
            let changed = files.iter().filter(|f| f.changed).count();
            (changed, files.len() - changed - left_alone)
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
            left_alone,
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
        if self.in_place && self.left_alone > 0 {
            let left_alone = self.left_alone;
            format!(
                "{changed} {verb}, {unchanged} unchanged, {skipped} skipped, {left_alone} without front matter left alone in {time}"
            )
        } else if self.in_place {
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

/// A changed file's new text in its own format and form (issue 11, case 10): what a
/// reader of the file saw before (an object or an array, a list or a stream, the
/// wrapper around a `--select`ed array, the delimiter) and how its text was laid out
/// (BOM, CRLF, final line break) stay as they were. Checked by reading it back.
fn in_place_text(
    format: Format,
    original: &str,
    read: &FileRead,
    new: &[Record],
    options: &ReadOptions,
    write: &WriteOptions,
) -> anyhow::Result<String> {
    let form = TextForm::of(original);
    let body = original.strip_prefix('\u{feff}').unwrap_or(original);
    let (old, channel) = (read.records.as_slice(), read.channel.as_ref());
    let text = match (format, old, new) {
        // The minimal-diff rewriter keeps every byte it does not need to change.
        // Each file keeps its front-matter dialect.
        (Format::Md, [old_record], [new_record]) => {
            return Ok(recast_yaml::rewrite::rewrite_front_matter_keyed(
                original, old_record, &read.keys, new_record,
            )?);
        }
        (Format::Json, _, _) => form.apply(&json_text(body, new, options.select.as_deref())?, true),
        (Format::Jsonl, _, _) => form.apply(&json_lines_text(body, new)?, true),
        (Format::Yaml, _, _) => form.apply(&yaml_text(body, new, channel)?, true),
        (Format::Csv | Format::Tsv, _, _) => {
            // The sheet keeps the delimiter it was read with, and its `sep=` line.
            let dialect = recast_csv::Dialect::detect(
                original.as_bytes(),
                true,
                &options.csv.read_options(format),
            );
            let mut write = options.csv.rewrite_options(format);
            write.delimiter = dialect.delimiter;
            write.bom = form.bom;
            write.crlf = form.crlf;
            let mut out = Vec::new();
            let mut writer = recast_csv::CsvWriter::new(&mut out, write);
            for record in new {
                recast_model::RecordWriter::write_record(&mut writer, record)?;
            }
            recast_model::RecordWriter::finish(&mut writer)?;
            drop(writer);
            let mut text = String::from_utf8(out)?;
            if dialect.sep_line {
                let eol = if form.crlf { "\r\n" } else { "\n" };
                let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
                text = format!("sep={}{eol}{body}", char::from(dialect.delimiter));
            }
            // The writer ended the rows; a line break inside a quoted cell is data.
            form.apply(&text, false)
        }
        // Feeds are written whole with their channel; XML reads CRLF as LF.
        (format, _, _) => form.apply(
            &feed_text(format, original, old, new, channel, write)?,
            true,
        ),
    };
    if !format.is_feed() {
        let back = read_all(format, &text, options)?;
        let same = back.len() == new.len()
            && back
                .iter()
                .zip(new)
                .all(|(a, b)| recast_model::strict_eq(&fields_value(a), &fields_value(b)));
        if !same {
            bail!(
                "the rewritten text would not read back as the migrated records; nothing written"
            );
        }
    }
    Ok(text)
}

/// A feed rewritten in place. It keeps its form: a feed that carried recast's exact
/// records (`--lossless` when it was written) carries them again; a plain feed stays plain,
/// and then a field the edits give a value must be one the feed's profile carries, or
/// the edit would vanish on the way: that is an error, and nothing is written.
fn feed_text(
    format: Format,
    original: &str,
    old: &[Record],
    new: &[Record],
    channel: Option<&Channel>,
    write: &WriteOptions,
) -> anyhow::Result<String> {
    let mut write = write.clone();
    let carries_records = original.contains(recast_feed::extension::NAMESPACE)
        || original.contains(&format!("\"{}\"", recast_feed::jsonfeed::EXTENSION));
    write.feed.lossless |= carries_records;
    let text = render(format, new, &write, channel)?;
    if write.feed.lossless {
        return Ok(text);
    }
    let mut given: Vec<&str> = Vec::new();
    for (before, after) in old.iter().zip(new) {
        for (key, value) in &after.fields {
            let same = before
                .fields
                .get(key)
                .is_some_and(|was| recast_model::strict_eq(was, value));
            if !same && !given.contains(&key.as_str()) {
                given.push(key);
            }
        }
    }
    if given.is_empty() {
        return Ok(text);
    }
    let back = read_all(format, &text, &ReadOptions::default())?;
    let carried = |key: &str| back.iter().any(|record| record.fields.contains_key(key));
    if let Some(lost) = given.iter().find(|key| !carried(key)) {
        usage_bail!(
            "this {} feed carries only what its profile maps, and the field `{lost}` is not one of those; give --lossless to carry whole records (recast:record), or --map a feed element to it; nothing written",
            format.name()
        );
    }
    Ok(text)
}

fn fields_value(record: &Record) -> Value {
    Value::Map(record.fields.clone())
}

/// Reads back a rewritten text, to check it; its warnings were given for the file
/// already (a sniffed delimiter), so they are not repeated.
fn read_all(format: Format, text: &str, options: &ReadOptions) -> anyhow::Result<Vec<Record>> {
    let records = crate::report::without_warnings(|| {
        let reader = open_reader(
            format,
            Box::new(Cursor::new(text.as_bytes())),
            None,
            options,
        )?;
        reader.collect::<recast_model::Result<Vec<Record>>>()
    });
    Ok(records?)
}

/// How a file's text is laid out beyond its format, kept when it is written anew.
struct TextForm {
    bom: bool,
    crlf: bool,
    final_line_break: bool,
}

impl TextForm {
    fn of(text: &str) -> TextForm {
        TextForm {
            bom: text.starts_with('\u{feff}'),
            crlf: text.find('\n').is_some_and(|at| text[..at].ends_with('\r')),
            final_line_break: text.trim().is_empty() || text.ends_with('\n'),
        }
    }

    /// `text`, as a writer wrote it (LF line ends, no BOM), in this form; with
    /// `line_ends` false the writer has already ended its lines as they should be.
    fn apply(&self, text: &str, line_ends: bool) -> String {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut out = String::with_capacity(text.len() + text.len() / 16 + 3);
        if self.bom {
            out.push('\u{feff}');
        }
        if self.crlf && line_ends {
            let mut previous = '\0';
            for c in text.chars() {
                if c == '\n' && previous != '\r' {
                    out.push('\r');
                }
                out.push(c);
                previous = c;
            }
        } else {
            out.push_str(text);
        }
        if !self.final_line_break {
            let trimmed = out.trim_end_matches('\n').trim_end_matches('\r').len();
            out.truncate(trimmed);
        }
        out
    }
}

/// JSON in its own shape: one object stays an object, an array an array, and with
/// `--select` only the selected array is replaced inside its document. The layout is
/// recast's (two-space indentation, or one line when the file was one line), which is
/// byte for byte what jq, `JSON.stringify(v, null, 2)` and Python's `indent=2` write.
fn json_text(body: &str, new: &[Record], select: Option<&str>) -> anyhow::Result<String> {
    let records = || Value::List(new.iter().map(fields_value).collect());
    let pretty = body.trim().contains('\n');
    let root = match (select, new) {
        (Some(pointer), _) => {
            let mut root = recast_json::parse_value(body)?;
            let slot = value_at_pointer(&mut root, pointer)
                .with_context(|| format!("--select {pointer}: no such value in the document"))?;
            *slot = records();
            root
        }
        (None, [one]) if body.trim_start().starts_with('{') => fields_value(one),
        (None, _) => records(),
    };
    let mut text = match pretty {
        true => recast_json::to_json_string(&root, true)?,
        false => recast_json::to_json_line(&root, json_spacing(body))?,
    };
    text.push('\n');
    Ok(text)
}

/// The separators of one-line JSON: `{"a": 1}` (Python's) or `{"a":1}`.
fn json_spacing(line: &str) -> recast_json::Spacing {
    match line.contains("\": ") {
        true => recast_json::Spacing::Spaced,
        false => recast_json::Spacing::Compact,
    }
}

/// The value a JSON pointer (RFC 6901) names.
fn value_at_pointer<'v>(root: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let mut here = root;
    for token in pointer.strip_prefix('/')?.split('/') {
        let key = token.replace("~1", "/").replace("~0", "~");
        here = match here {
            Value::Map(map) => map.get_mut(&key)?,
            Value::List(list) => list.get_mut(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(here)
}

/// JSON Lines with the separators the file used: `{"a": 1}` (Python) or `{"a":1}`.
fn json_lines_text(body: &str, new: &[Record]) -> anyhow::Result<String> {
    let first = body
        .lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("");
    let mut out = Vec::new();
    let mut options = recast_json::JsonWriteOptions::default();
    options.spacing = json_spacing(first);
    let mut writer = recast_json::JsonLinesWriter::new(&mut out, options);
    for record in new {
        recast_model::RecordWriter::write_record(&mut writer, record)?;
    }
    recast_model::RecordWriter::finish(&mut writer)?;
    drop(writer);
    Ok(String::from_utf8(out)?)
}

/// YAML in its own shape: a document holding a list stays one list, a stream of
/// documents stays a stream, opening with `---` only if it did.
fn yaml_text(body: &str, new: &[Record], channel: Option<&Channel>) -> anyhow::Result<String> {
    let opens_with_marker = body
        .lines()
        .find(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .is_some_and(|line| line.trim_end() == "---" || line.starts_with("--- "));
    let is_list = matches!(
        recast_yaml::parse_value(body, None, 1, &Default::default()),
        Ok(Value::List(_))
    );
    let mut text = if is_list {
        let list = Value::List(new.iter().map(fields_value).collect());
        let marker = if opens_with_marker { "---\n" } else { "" };
        format!(
            "{marker}{}\n",
            recast_yaml::to_yaml_string(&list).trim_end()
        )
    } else {
        render(Format::Yaml, new, &WriteOptions::default(), channel)?
    };
    if !opens_with_marker && !is_list && text.starts_with("---\n") {
        text.drain(..4);
    }
    Ok(text)
}

/// A file's bytes and what it was when they were read: its metadata from the same
/// descriptor, the time the read began, and whether the path was a symbolic link.
fn read_with_state(path: &Path) -> std::io::Result<(Vec<u8>, ReadState)> {
    let started = SystemTime::now();
    let (file, not_a_link) = open_noting_links(path)?;
    let metadata = file.metadata()?;
    // A file that grows meanwhile is read whole, but its size then differs from the
    // metadata's, which keeps an in-place run from replacing it.
    let bytes = crate::pipeline::read_sized(file, metadata.len())?;
    let state = ReadState {
        metadata,
        started,
        not_a_link,
    };
    Ok((bytes, state))
}

/// Opens `path` (links followed), and says whether it is known not to be a symbolic
/// link: on Linux it is first opened without following one, which fails on a link.
///
/// On Linux the read leaves the file's access time as it was (`O_NOATIME`): reading a
/// file to migrate it is not a use to record, and recording it is a write to each
/// file's inode. Only the file's owner may ask that; others read it as usual.
fn open_noting_links(path: &Path) -> std::io::Result<(fs::File, bool)> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let open = |flags| {
            fs::OpenOptions::new()
                .read(true)
                .custom_flags(flags)
                .open(path)
        };
        let direct = match open(libc::O_NOFOLLOW | libc::O_NOATIME) {
            Err(error) if error.raw_os_error() == Some(libc::EPERM) => open(libc::O_NOFOLLOW),
            other => other,
        };
        match direct {
            Ok(file) => return Ok((file, true)),
            Err(error) if error.raw_os_error() != Some(libc::ELOOP) => return Err(error),
            Err(_) => {}
        }
    }
    Ok((fs::File::open(path)?, false))
}

/// What [`read_with_state`] saw of a file besides its bytes.
struct ReadState {
    metadata: fs::Metadata,
    started: SystemTime,
    /// The path named the file itself, not a symbolic link to it.
    not_a_link: bool,
}

/// How close to the read a file's last change must be for a save after the read to be
/// able to leave its size and times as they were; only then is the text compared
/// again. That is the resolution of the file system's times: a clock tick (at most 10
/// ms) where they have fractions of a second, up to two seconds (FAT) where they do not.
fn racy_window(last_change: SystemTime) -> std::time::Duration {
    let fine = last_change
        .duration_since(SystemTime::UNIX_EPOCH)
        .is_ok_and(|since| since.subsec_nanos() != 0);
    match fine {
        true => std::time::Duration::from_millis(100),
        false => std::time::Duration::from_secs(2),
    }
}

/// What a file was when it was read: a file that differs when it is about to be
/// replaced was saved by someone else meanwhile, and is not overwritten.
struct Snapshot {
    /// Its metadata then (links followed): size, times, identity, and the mode and
    /// owner its replacement is given.
    metadata: fs::Metadata,
    /// The hash of its text, when it had changed so shortly before the read that a
    /// save after it could keep its size and times ([`racy_window`]).
    racy_hash: Option<u64>,
    /// The path named the file itself, not a symbolic link to it.
    not_a_link: bool,
}

impl Snapshot {
    fn of(bytes: &[u8], read: ReadState) -> Snapshot {
        let racy = is_racy(&read.metadata, read.started);
        Snapshot {
            racy_hash: racy.then(|| content_hash(bytes)),
            metadata: read.metadata,
            not_a_link: read.not_a_link,
        }
    }

    /// [`Snapshot::still_matches`], and a file whose text it had to compare is settled
    /// when the comparison began past its racy window: a save after that gives the
    /// file other times, so later checks compare its metadata only (the text is read
    /// once more, not twice).
    fn still_matches_settling(&mut self, path: &Path) -> Result<(), &'static str> {
        let checked_at = SystemTime::now();
        self.still_matches(path)?;
        if self.racy_hash.is_some() && !is_racy(&self.metadata, checked_at) {
            self.racy_hash = None;
        }
        Ok(())
    }

    /// Whether the file at `path` is still what was read: the same file (device and
    /// inode), size, modification and change times, and, when those cannot tell
    /// (`racy_hash`), the same text; an unreadable file is not. Else, what differs.
    fn still_matches(&self, path: &Path) -> Result<(), &'static str> {
        self.matches(path, fs::metadata(path))
    }

    /// As [`Snapshot::still_matches`], and the file held open when `holder` can, so
    /// that the run decides when it is freed once replaced ([`replace_in_place`]).
    fn still_matches_held<'h>(
        &self,
        path: &Path,
        holder: &'h Holder,
    ) -> (Result<(), &'static str>, Option<Held<'h>>) {
        match holder.hold(path) {
            Some(held) => (self.matches(path, held.file.metadata()), Some(held)),
            None => (self.still_matches(path), None),
        }
    }

    /// Whether `now`, the metadata of the file at `path`, shows it unchanged.
    fn matches(&self, path: &Path, now: std::io::Result<fs::Metadata>) -> Result<(), &'static str> {
        const SAVED: &str = "changed on disk since it was read (another program saved it?)";
        let now = now.map_err(|_| SAVED)?;
        if !now.is_file() {
            return Err("no longer a regular file");
        }
        let same_text = || match self.racy_hash {
            Some(hash) => fs::read(path).is_ok_and(|bytes| content_hash(&bytes) == hash),
            None => true,
        };
        match same_state(&self.metadata, &now) && same_text() {
            true => Ok(()),
            false => Err(SAVED),
        }
    }
}

/// Holds files open without reading them, a bounded number at a time: a quarter of
/// the files the process may open, at most [`MAX_HELD`], so that the run's other opens
/// (a racy file read again, a folder synced) never run out.
struct Holder {
    held: std::sync::atomic::AtomicUsize,
    limit: usize,
}

/// The most files a [`Holder`] holds at once.
const MAX_HELD: usize = 256;

/// A file a [`Holder`] holds open; dropping it closes the file.
struct Held<'h> {
    file: fs::File,
    holder: &'h Holder,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        (self.holder.held).fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Holder {
    fn new() -> Holder {
        Holder {
            held: std::sync::atomic::AtomicUsize::new(0),
            limit: (open_files_limit() / 4).min(MAX_HELD),
        }
    }

    /// The file at `path` (links followed), opened without being read: on Linux with
    /// `O_PATH`, which needs no permission to read and does not wait on a FIFO put
    /// there meanwhile. `None` past the limit, on an error, and elsewhere than Linux.
    fn hold(&self, path: &Path) -> Option<Held<'_>> {
        use std::sync::atomic::Ordering::Relaxed;
        if self.held.load(Relaxed) >= self.limit {
            return None;
        }
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::fs::OpenOptionsExt;
            let file = (fs::OpenOptions::new().read(true))
                .custom_flags(libc::O_PATH)
                .open(path)
                .ok()?;
            self.held.fetch_add(1, Relaxed);
            Some(Held { file, holder: self })
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = path;
            None
        }
    }
}

/// How many files the process may have open (its soft limit); 1,024, the usual one,
/// where it cannot be asked.
fn open_files_limit() -> usize {
    #[cfg(target_os = "linux")]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the struct it is given, which lives on this stack.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
            return usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX);
        }
    }
    1024
}

/// Whether a file with this metadata changed so shortly before `at` that a save after
/// `at` could leave its size and times as they are ([`racy_window`]).
fn is_racy(metadata: &fs::Metadata, at: SystemTime) -> bool {
    last_change(metadata).is_none_or(|changed| {
        at.duration_since(changed)
            .is_ok_and(|age| age < racy_window(changed))
            // Changed "after" `at`: a clock that moved back.
            || changed > at
    })
}

/// The later of a file's modification and change times (`ctime`, which no program
/// can set back), where the system has them.
fn last_change(metadata: &fs::Metadata) -> Option<SystemTime> {
    let modified = metadata.modified().ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let changed = u64::try_from(metadata.ctime()).ok().map(|seconds| {
            SystemTime::UNIX_EPOCH
                + std::time::Duration::new(
                    seconds,
                    metadata.ctime_nsec().clamp(0, 999_999_999) as u32,
                )
        })?;
        Some(modified.max(changed))
    }
    #[cfg(not(unix))]
    Some(modified)
}

/// Whether two readings of a file's metadata show the same file, unchanged.
fn same_state(then: &fs::Metadata, now: &fs::Metadata) -> bool {
    let same = then.len() == now.len() && then.modified().ok() == now.modified().ok();
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        same && (then.dev(), then.ino(), then.ctime(), then.ctime_nsec())
            == (now.dev(), now.ino(), now.ctime(), now.ctime_nsec())
    }
    #[cfg(not(unix))]
    same
}

/// SipHash with fixed keys: the same in every run, enough to tell a changed file (this
/// guards against an editor's save, not an adversary).
fn content_hash(bytes: &[u8]) -> u64 {
    #[allow(deprecated)]
    let mut hasher = std::hash::SipHasher::new();
    hasher.write(bytes);
    hasher.finish()
}

/// A new text written to a temporary file beside the file it will replace.
struct Staged {
    /// The path as the input named it (for messages).
    named: Arc<Path>,
    /// The new text beside the file the rename replaces (`named`, or its target when it
    /// is a link: [`AtomicFile::target`]), registered for clean-up.
    temp: AtomicFile,
    snapshot: Snapshot,
}

/// Phase 2 in place: check nothing changed on disk since each file was read, sync the
/// staged files, then rename each over its target and sync the folders. Returns how
/// many files were skipped because they changed on disk between the check and their
/// rename.
fn replace_in_place(files: Vec<Migrated>, report: &dyn Report) -> anyhow::Result<usize> {
    let mut staging: Vec<(Arc<Path>, Box<Staging>)> = files
        .into_iter()
        .filter_map(|file| Some((file.input.path?, file.staging?)))
        .collect();
    test_pause("RECAST_TEST_PAUSE_BEFORE_CHECK");

    // Check every file can be replaced before the first is: each staged beside its
    // target (the folder is writable, the disk has room), each target still a regular
    // file, unchanged since it was read.
    let unchanged: Vec<Result<(), &str>> = staging
        .par_iter_mut()
        .map(|(_, staging)| match &staging.temp {
            Ok(temp) => staging.snapshot.still_matches_settling(temp.target()),
            Err(_) => Ok(()),
        })
        .collect();
    let replaced_already = replaced_already(&staging);
    let mut staged = Vec::with_capacity(staging.len());
    let mut problems = Vec::new();
    let mut io_problem = false;
    for (((named, staging), unchanged), replaced_already) in
        staging.into_iter().zip(unchanged).zip(replaced_already)
    {
        let Staging { temp, snapshot } = *staging;
        match temp {
            Ok(_) if replaced_already => {}
            Ok(temp) if unchanged.is_ok() => staged.push(Staged {
                named,
                temp,
                snapshot,
            }),
            Ok(_) => problems.push(format!(
                "{}: {}",
                named.display(),
                unchanged.err().unwrap_or_default()
            )),
            Err(error) => {
                io_problem |= error.chain().any(|cause| cause.is::<std::io::Error>());
                problems.push(format!("{error:#}"));
            }
        }
    }
    // Staged files are synced together, one `syncfs` per file system (20,000 files: one
    // wait on the disk); where that cannot be, each is synced, many at once, so that
    // the file system commits their syncs together.
    if problems.is_empty() {
        sync_staged(&mut staged).map_err(|error| {
            anyhow::Error::new(error).context("cannot sync the staged files; nothing was replaced")
        })?;
    }
    if !problems.is_empty() {
        // Dropping `staged` removes the temporary files.
        for problem in &problems {
            report.skipped(problem);
        }
        let message = format!(
            "{} file(s) cannot be replaced (above); nothing was replaced",
            problems.len()
        );
        // A folder that cannot be written is an I/O error (exit 3), a changed file a
        // data one (exit 1).
        return Err(match io_problem {
            true => anyhow::Error::new(std::io::Error::other(message)),
            false => anyhow::anyhow!(message),
        });
    }
    test_pause("RECAST_TEST_PAUSE_BEFORE_REPLACE");

    let total = staged.len();
    // An interrupted run then says how many files it had replaced.
    count_replacements(total);
    // Each file's last check runs just before its rename: on this thread, or a moment
    // ahead (at most `LOOKED_AHEAD` files) on a second thread, whichever comes to it
    // first. The check holds the old file open, and the second thread closes it after
    // the rename: the last close frees the old file's contents, which would otherwise
    // be done by the rename (half of its time on tmpfs). Renames in one folder take
    // turns in the kernel; checking and closing need not. (A third thread, checking
    // only, was slower: three busy threads on two cores.)
    let holder = Holder::new();
    // A few batches to close in flight, within the holder's limit.
    let closed_together = (holder.limit / 16).max(1);
    let slots: Vec<Mutex<Option<LastCheck>>> = (staged.into_iter())
        .map(|file| Mutex::new(Some(LastCheck { file, found: None })))
        .collect();
    let renaming = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (holder, slots, renaming) = (&holder, &slots, &renaming);
        let checked = slots.iter().enumerate().filter_map(|(at, slot)| {
            renaming.store(at, Ordering::Relaxed);
            let LastCheck { file, found } = lock(slot).take()?;
            let (unchanged, old) = found.unwrap_or_else(|| file.check(holder));
            Some((file, unchanged.is_ok(), old))
        });
        let (to_close, replaced_files) = std::sync::mpsc::sync_channel::<Vec<Held>>(2);
        scope.spawn(move || check_ahead_and_close(slots, renaming, holder, replaced_files));
        let mut replaced: Vec<Held> = Vec::with_capacity(closed_together);
        let mut close = |file| {
            replaced.push(file);
            if replaced.len() == closed_together {
                let batch = std::mem::replace(&mut replaced, Vec::with_capacity(closed_together));
                // The closing thread only stops with this one: a failed send returns the
                // batch, which is closed here.
                let _ = to_close.send(batch);
            }
        };
        replace_checked(checked, total, &mut close, report)
    })
}

/// How many files ahead of the renames their last checks may run.
const LOOKED_AHEAD: usize = 32;

/// A staged file waiting for its rename, and its last check once done.
struct LastCheck<'h> {
    file: Staged,
    found: Option<Checked<'h>>,
}

/// A last check's finding, and the old file it holds open.
type Checked<'h> = (Result<(), &'static str>, Option<Held<'h>>);

impl Staged {
    fn check<'h>(&self, holder: &'h Holder) -> Checked<'h> {
        self.snapshot.still_matches_held(self.temp.target(), holder)
    }
}

/// A check slot's lock. A thread that panicked holding it left a whole `Option` in the
/// slot (a check is taken, or its result stored, in one move), so it is still sound.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The renaming thread's helper: closes the old files it is sent, and in between runs
/// the last checks of the files just ahead of the one being renamed (`renaming`).
fn check_ahead_and_close<'h>(
    slots: &[Mutex<Option<LastCheck<'h>>>],
    renaming: &AtomicUsize,
    holder: &'h Holder,
    replaced_files: std::sync::mpsc::Receiver<Vec<Held<'h>>>,
) {
    use std::sync::mpsc::TryRecvError;
    let mut next = 0;
    loop {
        match replaced_files.try_recv() {
            Ok(batch) => {
                drop(batch);
                continue;
            }
            Err(TryRecvError::Disconnected) => return,
            Err(TryRecvError::Empty) => {}
        }
        let at = renaming.load(Ordering::Relaxed);
        next = next.max(at + 1);
        if next < slots.len().min(at + LOOKED_AHEAD) {
            // A slot the renaming thread holds is being checked or renamed there.
            if let Ok(mut slot) = slots[next].try_lock()
                && let Some(waiting) = slot.as_mut().filter(|waiting| waiting.found.is_none())
            {
                waiting.found = Some(waiting.file.check(holder));
            }
            next += 1;
            continue;
        }
        match replaced_files.recv() {
            Ok(batch) => drop(batch),
            Err(_) => return,
        }
    }
}

/// For each staged file, whether an earlier one replaces the same file: a link and its
/// target, each named as an input, lead to one file (hard links are two files' names:
/// each is replaced).
fn replaced_already(staging: &[(Arc<Path>, Box<Staging>)]) -> Vec<bool> {
    let mut first: HashMap<Option<FileId>, &Path, recast_model::MapHasher> =
        HashMap::with_capacity_and_hasher(staging.len(), Default::default());
    (staging.iter())
        .map(|(_, staging)| {
            let Ok(temp) = &staging.temp else {
                return false;
            };
            let real = temp.target();
            match first.entry(FileId::from_metadata(real, &staging.snapshot.metadata)) {
                Entry::Vacant(slot) => {
                    slot.insert(real);
                    false
                }
                Entry::Occupied(first) => {
                    fs::canonicalize(real).ok() == fs::canonicalize(first.get()).ok()
                }
            }
        })
        .collect()
}

/// Renames each staged file that its last check found unchanged over its target, in
/// order; the first failure stops the run, naming what was replaced and what was not.
/// Returns how many files were skipped because they changed on disk.
fn replace_checked<'h>(
    mut pending: impl Iterator<Item = (Staged, bool, Option<Held<'h>>)>,
    total: usize,
    close: &mut dyn FnMut(Held<'h>),
    report: &dyn Report,
) -> anyhow::Result<usize> {
    let mut replaced: Vec<Arc<Path>> = Vec::with_capacity(total);
    let mut changed_on_disk = Vec::new();
    let mut folders = BTreeSet::new();
    // The folder of the last rename. Files come in path order: a folder's follow each
    // other.
    let mut folder: Option<OpenFolder> = None;
    while let Some((file, unchanged, old)) = pending.next() {
        // An editor may still have saved it since the check: never overwrite that.
        if !unchanged {
            changed_on_disk.push(file.named);
            continue;
        }
        let parent = file.temp.target().parent();
        if folder.as_ref().map(|open| open.path.as_path()) != parent {
            folder = parent.map(OpenFolder::open);
        }
        let committed = match folder.as_ref().and_then(|open| open.descriptor.as_ref()) {
            #[cfg(target_os = "linux")]
            Some(descriptor) => file.temp.commit_in(descriptor),
            _ => file.temp.commit(),
        };
        match committed {
            Ok(()) => {
                replaced.push(file.named);
                old.map(&mut *close);
                if let Some(open) = folder.as_mut().filter(|open| !open.renamed_into) {
                    folders.insert(open.path.clone());
                    open.renamed_into = true;
                }
            }
            Err(error) => {
                sync_folders(&folders, report);
                let not_replaced: Vec<Arc<Path>> = std::iter::once(file.named.clone())
                    .chain(pending.map(|(rest, ..)| rest.named))
                    .chain(changed_on_disk.iter().cloned())
                    .collect();
                for path in &replaced {
                    report.notice(&format!("replaced: {}", path.display()));
                }
                for path in &not_replaced {
                    report.notice(&format!("not replaced: {}", path.display()));
                }
                return Err(error).with_context(|| {
                    format!(
                        "cannot replace {}; {} of {total} file(s) were replaced and {} were not (listed above); each file is whole, old or new",
                        file.named.display(),
                        replaced.len(),
                        not_replaced.len()
                    )
                });
            }
        }
    }
    sync_folders(&folders, report);
    for path in &changed_on_disk {
        report.skipped(&format!(
            "{}: changed on disk while the run was replacing files; not replaced (run again to migrate it)",
            path.display()
        ));
    }
    Ok(changed_on_disk.len())
}

/// The threads that sync staged files one by one where `syncfs` cannot: many, since
/// each mostly waits for its sync.
fn io_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(IO_THREADS)
        .thread_name(|i| format!("recast-stage-{i}"))
        .build()
        .unwrap_or_else(|_| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .expect("a pool of one thread")
        })
}

/// How many files are synced at once (measured on ext4 in a VM: 64 syncs at once take
/// a fourteenth of the time of 64 one after the other, 256 a twenty-fifth).
const IO_THREADS: usize = 128;

/// Syncs the staged files before the first rename: one `syncfs` per file system, else
/// each file (many at once).
fn sync_staged(staged: &mut [Staged]) -> std::io::Result<()> {
    let synced_together =
        crate::output::sync_file_systems(staged.iter().map(|file| file.temp.temp_path()));
    if !synced_together {
        io_pool().install(|| {
            staged.par_iter().try_for_each(|file| {
                fs::File::open(file.temp.temp_path()).and_then(|f| f.sync_all())
            })
        })?;
    }
    for file in staged {
        file.temp.mark_synced();
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside the file `named` leads to (its target,
/// when it is a symbolic link, so the link stays a link), with the permissions and owner
/// the file had when it was read, not yet synced ([`sync_staged`] does that for all at
/// once).
fn stage(named: &Path, bytes: &[u8], snapshot: &Snapshot) -> anyhow::Result<AtomicFile> {
    let like = &snapshot.metadata;
    match snapshot.not_a_link {
        true => AtomicFile::with_contents_for_file(named.to_path_buf(), bytes, like),
        false => AtomicFile::with_contents(named, bytes, like),
    }
    .with_context(|| named.display().to_string())
}

/// A folder files are renamed into, opened (on Linux) to rename them by name in it.
struct OpenFolder {
    path: PathBuf,
    descriptor: Option<fs::File>,
    /// A file was renamed into it: it is synced at the end.
    renamed_into: bool,
}

impl OpenFolder {
    fn open(path: &Path) -> OpenFolder {
        #[cfg(target_os = "linux")]
        let descriptor = {
            use std::os::unix::fs::OpenOptionsExt;
            let opened = if path.as_os_str().is_empty() {
                Path::new(".")
            } else {
                path
            };
            (fs::OpenOptions::new().read(true))
                .custom_flags(libc::O_PATH | libc::O_DIRECTORY)
                .open(opened)
                .ok()
        };
        #[cfg(not(target_os = "linux"))]
        let descriptor = None;
        OpenFolder {
            path: path.to_path_buf(),
            descriptor,
            renamed_into: false,
        }
    }
}

/// Syncs each folder a file was renamed into, so a power cut cannot undo the rename.
fn sync_folders(folders: &BTreeSet<PathBuf>, report: &dyn Report) {
    for folder in folders {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        if let Err(error) = fs::File::open(folder).and_then(|dir| dir.sync_all()) {
            report.warn(&format!(
                "{}: cannot sync the folder ({error}); a power cut could undo its renames",
                folder.display()
            ));
        }
    }
}

/// Debug builds only, for the tests of races: when the variable names a file, create
/// `<file>.ready` and wait (at most a minute) until the test creates `<file>`, having
/// changed the inputs meanwhile.
fn test_pause(variable: &str) {
    #[cfg(debug_assertions)]
    if let Some(flag) = std::env::var_os(variable) {
        let flag = PathBuf::from(flag);
        let mut ready = flag.clone().into_os_string();
        ready.push(".ready");
        let _ = fs::write(&ready, "");
        let started = Instant::now();
        while !flag.exists() && started.elapsed().as_secs() < 60 {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = variable;
}
