//! The four commands: each turns its flags into the engine's options, runs the engine
//! and prints what it returns. The work is in the `recast` library.

use std::io::Write;

use clap::CommandFactory;
use recast::error::usage;
use recast::{ConvertOptions, InspectOptions, MigrateOptions, ValidateOptions};
use recast_migrate::{Condition, Edit, JqProgram, Plan, ValidationProfile};

use crate::cli::{Cli, ConvertArgs, InspectArgs, MigrateArgs, ProfileName, ValidateArgs};
use crate::report::Reporter;
use crate::settings::{csv_settings, feed_settings, read_options};

/// `recast convert`; returns how many records failed (skipped with `--keep-going`).
pub fn convert(
    args: &ConvertArgs,
    threads: Option<usize>,
    reporter: &Reporter,
) -> anyhow::Result<u64> {
    let csv = csv_settings(&args.csv)?;
    let feed = feed_settings(&args.feed)?;
    let mut options = ConvertOptions::default();
    options.inputs = args.input.inputs.clone();
    options.from = args.input.from;
    options.shard = args.input.shard;
    options.keep_going = args.input.keep_going;
    options.read = recast::ReadOptions {
        select: args.input.select.clone(),
        max_record_size: args.input.max_record_size,
        sheet: args.input.sheet.clone(),
        csv: csv.clone(),
        feed: feed.read,
    };
    options.write = recast::WriteOptions {
        channel: feed.channel,
        csv,
        feed: feed.write,
        front_matter: args.output.front_matter.dialect(),
    };
    options.write.feed.assume_tz = args.output.assume_tz.clone();
    options.write.feed.source_roots = options.inputs.clone();
    // `--permalink '{date:%Y/%m}/…'` formats dates without a zone in `--assume-tz`.
    options.write.feed.permalink = (options.write.feed.permalink.take())
        .map(|template| template.assume_zone(args.output.assume_tz.clone()));
    options.to = args.output.to;
    options.output = args.output.output.clone();
    options.out_dir = args.output.out_dir.clone();
    options.force = args.output.force;
    options.name = Some(args.output.name.clone());
    options.threads = threads;
    options.split_by = args.split_by.clone();
    for text in &args.filter {
        let mut condition = Condition::parse(text, &recast::migrate::scalar)
            .map_err(|e| usage(format!("--where {text}: {e}")))?;
        condition.assume_zone(args.output.assume_tz.as_ref());
        options.filter.push(condition);
    }
    if let Some(text) = &args.jq {
        let program = JqProgram::compile(text).map_err(|e| usage(format!("--jq {text:?}: {e}")))?;
        options.jq = Some(program);
    }
    recast::convert(&options, reporter)
}

/// `recast stylesheet`: the XSLT that shows a feed in a browser, on standard output.
pub fn stylesheet() -> anyhow::Result<u64> {
    // recast's stdout notes a closed pipe, so that `recast stylesheet | head` ends quietly.
    let mut out = recast::output::stdout();
    out.write_all(recast_feed::STYLESHEET.as_bytes())?;
    out.flush()?;
    Ok(0)
}

/// `recast migrate`; returns how many files were skipped (`--keep-going`).
pub fn migrate(args: &MigrateArgs, reporter: &Reporter) -> anyhow::Result<u64> {
    let (plan, labels) = build_plan(args)?;
    let csv = csv_settings(&args.csv)?;
    let feed = feed_settings(&args.feed)?;
    let mut options = MigrateOptions::default();
    options.inputs = args.inputs.clone();
    options.from = args.from;
    options.plan = plan;
    options.labels = labels;
    options.in_place = args.in_place;
    options.to = args.to;
    options.output = args.output.clone();
    options.out_dir = args.out_dir.clone();
    options.force = args.force;
    options.dry_run = args.dry_run;
    options.diffs = args.diff;
    options.keep_going = args.keep_going;
    options.shard = args.shard;
    options.read = recast::ReadOptions {
        select: args.read.select.clone(),
        max_record_size: args.read.max_record_size,
        sheet: args.read.sheet.clone(),
        csv: csv.clone(),
        feed: feed.read,
    };
    options.write = recast::WriteOptions {
        channel: feed.channel,
        csv,
        feed: feed.write,
        front_matter: args.front_matter.dialect(),
    };
    // Feeds read dates without a zone in `--assume-tz`.
    options.write.feed.assume_tz = args.assume_tz.clone();
    options.write.feed.source_roots = options.inputs.clone();
    options.write.feed.permalink = (options.write.feed.permalink.take())
        .map(|template| template.assume_zone(args.assume_tz.clone()));
    let migration = recast::migrate(&options, reporter)?;
    if args.dry_run {
        let mut out = std::io::stdout().lock();
        for diff in &migration.diffs {
            let _ = out.write_all(diff.as_bytes());
        }
        if migration.more_changed > 0 {
            let _ = writeln!(out, "… and {} more changed file(s)", migration.more_changed);
        }
        eprintln!("recast: dry run: {}; nothing written", migration.summary);
    } else {
        eprintln!("recast: migrate: {}", migration.summary);
    }
    Ok(migration.skipped)
}

/// The plan file's edits first, then the edit flags in command-line order; with each
/// edit, its name for messages (`--set title.sub=1`, `plan.yaml edit 2 (set)`).
fn build_plan(args: &MigrateArgs) -> anyhow::Result<(Plan, Vec<String>)> {
    let mut edits = Vec::new();
    let mut labels = Vec::new();
    if let Some(path) = &args.plan {
        let (plan, names) = recast::migrate::read_plan(path)?;
        labels.extend(names);
        edits.extend(plan.edits);
    }
    let kinds: [(&str, &str, &[String]); 8] = [
        ("rename", "rename", &args.rename),
        ("delete", "delete", &args.delete),
        ("set", "set", &args.set),
        ("default", "default", &args.default),
        ("date", "date", &args.date),
        ("where", "filter", &args.filter),
        ("template", "template", &args.template),
        ("jq", "jq", &args.jq),
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
            let edit = Edit::from_flag(kind, value, &recast::migrate::scalar).map_err(usage)?;
            flagged.push((position, edit, format!("--{kind} {value}")));
        }
    }
    flagged.sort_by_key(|(position, ..)| *position);
    for (_, edit, label) in flagged {
        edits.push(edit);
        labels.push(label);
    }
    let mut plan = Plan::new(edits);
    plan.assume_zone(args.assume_tz.as_ref());
    Ok((plan, labels))
}

/// `recast inspect`: the statistics as a table, or JSON with `--json`.
pub fn inspect(
    args: &InspectArgs,
    threads: Option<usize>,
    reporter: &Reporter,
) -> anyhow::Result<u64> {
    let mut options = InspectOptions::default();
    options.inputs = args.inputs.clone();
    options.from = args.from;
    options.read = read_options(&args.read, &args.csv.as_csv())?;
    options.threads = threads;
    let inspection = recast::inspect(&options, reporter)?;
    let text = match (args.json, args.json_schema) {
        (_, true) => inspection.json_schema()?,
        (true, _) => inspection.to_json()?,
        _ => inspection.table(),
    };
    // Not `print!`, which panics when standard output is closed (`| head -1`).
    let mut out = recast::output::stdout();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(0)
}

/// `recast validate`: one line per problem on standard output (`file:line: message`),
/// exit code 1 when there is any.
pub fn validate(
    args: &ValidateArgs,
    threads: Option<usize>,
    reporter: &Reporter,
) -> anyhow::Result<u64> {
    let mut options = ValidateOptions::default();
    options.inputs = args.inputs.clone();
    options.from = args.from;
    options.read = read_options(&args.read, &args.csv.as_csv())?;
    options.profile = Some(match args.profile {
        ProfileName::Article => ValidationProfile::article(),
    });
    if let Some(path) = &args.schema {
        options.schema = Some(recast::validate::read_json_schema(path)?.into());
    }
    options.threads = threads;
    let mut out = recast::output::stdout();
    let validation = recast::validate(&options, reporter, |problem| writeln!(out, "{problem}"))?;
    out.flush()?;
    let recast::Validation {
        problems,
        records,
        files,
        ..
    } = validation;
    if problems > 0 {
        anyhow::bail!("{problems} problem(s) in {records} record(s) from {files} file(s)");
    }
    eprintln!("recast: validate: {records} record(s) from {files} file(s), no problem");
    Ok(0)
}
