//! Every flag of the `recast` command line, defined in one place with its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::format::Format;

/// Convert and migrate archives of article records between Markdown with YAML front
/// matter, YAML, JSON, JSON Lines, CSV/TSV and RSS/Atom.
#[derive(Debug, Parser)]
#[command(name = "recast", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Threads for parsing folders (default: all cores).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,

    /// Print no progress bar and no warnings.
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert records from one format to another.
    ///
    /// Examples:
    ///   recast convert samples/archive --to json
    ///   recast convert samples/archive.json -o archive.yaml
    ///   recast convert api-dump.json --select /news --to jsonl
    ///   recast convert archive.json --to md --out-dir articles/
    #[command(verbatim_doc_comment)]
    Convert(ConvertArgs),
}

/// Where records come from.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files or folders (walked recursively for known extensions, in name order);
    /// none or `-` reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Input format (default: from each file's extension, else sniffed from its content).
    #[arg(long, value_name = "FMT")]
    pub from: Option<Format>,

    /// JSON pointer to the array of records inside a JSON document (e.g. `/news` for
    /// `{"news": [...]}`).
    #[arg(long, value_name = "POINTER")]
    pub select: Option<String>,

    /// Skip bad records and files, reporting each on stderr; the exit code is still 1.
    #[arg(long)]
    pub keep_going: bool,

    /// Take only shard K of N (1 ≤ K ≤ N) of the input files, chosen by a stable hash of
    /// each file's path below its input folder: N runs with K = 1..N (N machines, GNU
    /// parallel, a Kubernetes indexed Job) cover every file once.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::input::Shard>,
}

/// Where records go.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format (default: from `-o`'s extension; JSON on standard output).
    #[arg(long, value_name = "FMT")]
    pub to: Option<Format>,

    /// Output file (default: standard output). Written to a temporary file and renamed
    /// into place, so a failed run leaves an existing file as it was.
    #[arg(long, short, value_name = "FILE", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,

    /// Write one file per record into this folder (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// File-name template for `--out-dir`: `{field}`, `{field:STRFTIME}`, `{field|slug}`
    /// (filters: slug, lower, upper). The extension is the output format's.
    #[arg(
        long,
        value_name = "TEMPLATE",
        requires = "out_dir",
        default_value = "{publishedDateTime:%Y-%m-%d}-{title|slug}"
    )]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}
