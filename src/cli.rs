//! Every flag of the `recast` command line, defined in one place with its help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use recast_model::date::TimeZone;

use recast::convert::DEFAULT_NAME;
use recast::format::Format;

/// Convert and migrate archives of article records between Markdown with YAML front
/// matter, YAML, JSON, JSON Lines, CSV/TSV, RSS/Atom and JSON Feed.
#[derive(Debug, Parser)]
#[command(name = "recast", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Threads of work in total: reading, parsing and writing (default: all cores).
    /// With 1, everything runs in sequence on one thread.
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

    /// Rename, move, delete, set, default or reformat fields of every record, in place or
    /// into another format; a dry run shows the diff first.
    ///
    /// Edits apply in order: a --plan file's first, then the edit flags as given.
    ///
    /// Examples:
    ///   recast migrate samples/archive --rename provider.name=source --in-place --dry-run
    ///   recast migrate samples/archive --plan plan.yaml --in-place
    ///   recast migrate samples/archive --set draft=false --to json -o archive.json
    ///   recast migrate samples/archive --jq '.topics |= map(ascii_downcase)' --in-place
    #[command(verbatim_doc_comment)]
    Migrate(MigrateArgs),

    /// Show an archive at a glance: record count, every field path with its types,
    /// presence and an example, the range of date fields, the files that failed.
    Inspect(InspectArgs),

    /// Check records against a profile (required fields, dates, URLs, duplicates); one
    /// line per problem, exit code 1 when there is any.
    Validate(ValidateArgs),

    /// Print an XSLT stylesheet that shows an RSS or Atom feed as a readable page in a
    /// browser; publish it next to the feed and name it with --stylesheet.
    ///
    /// Example:
    ///   recast stylesheet > public/feed.xsl
    ///   recast convert posts -o public/feed.xml --stylesheet /feed.xsl ...
    #[command(verbatim_doc_comment)]
    Stylesheet,
}

/// `recast migrate`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["in_place", "output", "out_dir"])))]
pub struct MigrateArgs {
    /// Input files or folders (walked recursively for known extensions, in name order).
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// Input format (default: from each file's extension, else sniffed from its content).
    #[arg(long, value_name = "FMT")]
    pub from: Option<Format>,

    /// A plan file: a YAML list of edits (`- rename: {from: a, to: b}`, see docs/migrate.md).
    #[arg(long, value_name = "PLAN.yaml", help_heading = "Edits")]
    pub plan: Option<PathBuf>,

    /// Rename or move a field (dotted paths: `provider.name=source`); it keeps its position.
    #[arg(long, value_name = "OLD=NEW", help_heading = "Edits")]
    pub rename: Vec<String>,

    /// Delete a field (dotted path).
    #[arg(long, value_name = "FIELD", help_heading = "Edits")]
    pub delete: Vec<String>,

    /// Set a field; VALUE is YAML (`draft=false` is a boolean, `n=007` text, `tags=[a, b]`
    /// a list, `meta={x: 1}` a map).
    #[arg(long, value_name = "FIELD=VALUE", help_heading = "Edits")]
    pub set: Vec<String>,

    /// Set a field only where it is missing; VALUE is YAML, as for --set.
    #[arg(long, value_name = "FIELD=VALUE", help_heading = "Edits")]
    pub default: Vec<String>,

    /// Reformat a date field with strftime directives, in the date's own offset
    /// (`publishedDateTime=%Y-%m-%d`). A date without a zone keeps its clock time; an
    /// offset directive (`%z`, `%Z`...) for it needs --assume-tz.
    #[arg(long, value_name = "FIELD=FORMAT", help_heading = "Edits", value_parser = date_edit)]
    pub date: Vec<String>,

    /// Keep only records that match: `field=value` (a list: an item is), `field!=value`,
    /// `field<N`, `<=`, `>`, `>=` (a number or a date), `field~REGEX`, `field` (exists),
    /// `!field` (missing), joined by `not`, `and`, `or` (binding in that order) and `( )`:
    /// `quality>50 and (tags=rust or title~(?i)^the)`. Quote values holding ` and `/` or `.
    /// In place, the others are left as they are.
    #[arg(long = "where", value_name = "CONDITION", help_heading = "Edits")]
    pub filter: Vec<String>,

    /// Compute a field from a template (`slug={title|slug}`).
    #[arg(long, value_name = "FIELD=TEMPLATE", help_heading = "Edits", value_parser = template_edit)]
    pub template: Vec<String>,

    /// Replace each record (an object; the body is `.body`) with the outputs of a jq
    /// expression: none drops it, several make several. Untouched values keep their form.
    #[arg(long, value_name = "EXPR", help_heading = "Edits")]
    pub jq: Vec<String>,

    /// The zone of dates written without one (`2021-03-04T10:00:00`): an IANA name
    /// (`Europe/Paris`), `UTC` or an offset (`+02:00`). Used by --date, --template, --where
    /// and feed output; see docs/migrate.md.
    #[arg(long, value_name = "ZONE", value_parser = assume_tz)]
    pub assume_tz: Option<TimeZone>,

    /// Rewrite each file in its own format and shape (Markdown: only the lines the edits
    /// touch); see docs/migrate.md for what it guarantees.
    #[arg(long, help_heading = "Output")]
    pub in_place: bool,

    /// Output format for -o / --out-dir (default: -o's extension, `feed.json` JSON Feed;
    /// --out-dir keeps each file's format).
    #[arg(long, value_name = "FMT", help_heading = "Output")]
    pub to: Option<Format>,

    /// Write every record into this file (`-`: standard output).
    #[arg(long, short, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// The front matter of Markdown output: `yaml` (`---`), `toml` (`+++`, Hugo and Zola)
    /// or `json` (an object, Hugo). In place, each file keeps its own.
    #[arg(long, value_name = "DIALECT", value_enum, default_value_t = FrontMatterName::Yaml, help_heading = "Output")]
    pub front_matter: FrontMatterName,

    /// Write each input file, migrated, into this folder at the same relative path.
    #[arg(long, value_name = "DIR", help_heading = "Output")]
    pub out_dir: Option<PathBuf>,

    /// Let --out-dir replace files that already exist there (without it, the run stops
    /// before writing anything and names them).
    #[arg(long, requires = "out_dir", help_heading = "Output")]
    pub force: bool,

    /// Write nothing: print the diff of the first few changed files and the counts.
    #[arg(long, help_heading = "Output")]
    pub dry_run: bool,

    /// How many changed files a dry run shows the diff of (default 3; needs --dry-run).
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub diff: Option<usize>,

    /// Skip files that fail to read, reporting each; the exit code is still 1.
    #[arg(long)]
    pub keep_going: bool,

    /// Migrate only shard K of N of the input files (as `convert --shard`): N runs,
    /// K = 1..N, touch every file once.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<recast::input::Shard>,

    #[command(flatten)]
    pub read: ReadArgs,

    #[command(flatten)]
    pub csv: CsvArgs,

    #[command(flatten)]
    pub feed: FeedArgs,
}

/// `recast inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Input files or folders; none or `-` reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Input format (default: from each file's extension, else sniffed from its content).
    #[arg(long, value_name = "FMT")]
    pub from: Option<Format>,

    /// Print JSON for scripts instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Print a JSON Schema the records all pass (types, required fields, enums, formats),
    /// to edit and use with `validate --schema`.
    #[arg(long, conflicts_with = "json")]
    pub json_schema: bool,

    #[command(flatten)]
    pub read: ReadArgs,

    #[command(flatten)]
    pub csv: CsvReadArgs,
}

/// `recast validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Input files or folders; none or `-` reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Input format (default: from each file's extension, else sniffed from its content).
    #[arg(long, value_name = "FMT")]
    pub from: Option<Format>,

    /// The checks to run.
    #[arg(long, value_enum, default_value = "article")]
    pub profile: ProfileName,

    /// Check every record against this JSON Schema (draft 2020-12 or 7; JSON, or YAML
    /// for .yaml/.yml) instead of the profile: `file:line: /pointer: message`.
    #[arg(long, value_name = "FILE", conflicts_with = "profile")]
    pub schema: Option<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,

    #[command(flatten)]
    pub csv: CsvReadArgs,
}

/// The reading flags `migrate`, `inspect` and `validate` share with `convert`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// JSON pointer to the array of records inside a JSON document (e.g. `/news` for
    /// `{"news": [...]}`); `migrate --in-place` rewrites only that array.
    #[arg(long, value_name = "POINTER")]
    pub select: Option<String>,

    /// Refuse a record bigger than this, in bytes of input (`64K`, `30M`, `1G`): a JSON
    /// value or line, a YAML document, a Markdown file, a CSV/TSV row. Default 256M.
    #[arg(long, value_name = "SIZE", value_parser = recast::format::parse_size)]
    pub max_record_size: Option<u64>,

    /// The sheet of a workbook (xlsx, xlsm, xls, ods) to read. Default: the first.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

/// The CSV/TSV reading flags of `inspect` and `validate`.
#[derive(Debug, Args)]
#[command(next_help_heading = "CSV/TSV")]
pub struct CsvReadArgs {
    /// Field separator for CSV/TSV: one ASCII character, or `tab` (default: `,` for
    /// csv, tab for tsv).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,

    /// Column types for reading CSV/TSV, one `column: type` a line (types: string, int,
    /// float, number, bool, any, list); they override header hints and inference.
    #[arg(long, value_name = "FILE")]
    pub column_types: Option<PathBuf>,
}

impl CsvReadArgs {
    /// The same flags as `convert`'s group, to read them in one place.
    pub fn as_csv(&self) -> CsvArgs {
        CsvArgs {
            fields: None,
            no_sanitize: false,
            bom: false,
            delimiter: self.delimiter.clone(),
            column_types: self.column_types.clone(),
        }
    }
}

/// The profiles `validate` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProfileName {
    /// title and a link (webUrl, originalUrl, url or link) present; …DateTime/…Date
    /// fields parse; …Url/url/link fields are absolute http(s) URLs; no duplicate id or
    /// link.
    Article,
}

/// The front-matter dialects Markdown output can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FrontMatterName {
    /// `---` fences around YAML.
    Yaml,
    /// `+++` fences around TOML.
    Toml,
    /// A JSON object opening the file.
    Json,
}

impl FrontMatterName {
    /// The dialect the Markdown writer takes.
    pub fn dialect(self) -> recast_yaml::FrontMatterDialect {
        match self {
            FrontMatterName::Yaml => recast_yaml::FrontMatterDialect::Yaml,
            FrontMatterName::Toml => recast_yaml::FrontMatterDialect::Toml,
            FrontMatterName::Json => recast_yaml::FrontMatterDialect::Json,
        }
    }
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
    /// `{"news": [...]}`); `migrate --in-place` rewrites only that array.
    #[arg(long, value_name = "POINTER")]
    pub select: Option<String>,

    /// Skip bad records and files, reporting each on stderr; the exit code is still 1.
    #[arg(long)]
    pub keep_going: bool,

    /// Take only shard K of N (1 ≤ K ≤ N) of the input files, chosen by a stable hash of
    /// each file's path below its input folder: N runs with K = 1..N (N machines, GNU
    /// parallel, a Kubernetes indexed Job) cover every file once.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<recast::input::Shard>,

    /// Refuse a record bigger than this, in bytes of input (`64K`, `30M`, `1G`): a JSON
    /// value or line, a YAML document, a Markdown file, a CSV/TSV row. Default 256M.
    #[arg(long, value_name = "SIZE", value_parser = recast::format::parse_size)]
    pub max_record_size: Option<u64>,

    /// The sheet of a workbook (xlsx, xlsm, xls, ods) to read. Default: the first.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

/// Where records go.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format (default: from `-o`'s extension, `feed.json` JSON Feed; JSON on
    /// standard output).
    #[arg(long, value_name = "FMT")]
    pub to: Option<Format>,

    /// Output file (default: standard output; `-` too). Written to a temporary file and
    /// renamed into place, so a failed run leaves an existing file as it was; a symbolic
    /// link's target is replaced, a pipe or device written directly.
    #[arg(long, short, value_name = "FILE", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,

    /// The front matter of Markdown output: `yaml` (`---`), `toml` (`+++`, Hugo and Zola)
    /// or `json` (an object, Hugo). In place, each file keeps its own.
    #[arg(long, value_name = "DIALECT", value_enum, default_value_t = FrontMatterName::Yaml)]
    pub front_matter: FrontMatterName,

    /// Write one file per record into this folder (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,

    /// Let --out-dir replace files that already exist there (without it, the run stops
    /// before writing anything and names them).
    #[arg(long, requires = "out_dir")]
    pub force: bool,

    /// File-name template for `--out-dir`: `{field}`, `{field:STRFTIME}`, `{field|slug}`
    /// (filters: slug, lower, upper). The extension is the output format's.
    #[arg(
        long,
        value_name = "TEMPLATE",
        requires = "out_dir",
        default_value = DEFAULT_NAME,
        value_parser = name_template
    )]
    pub name: String,

    /// The zone of dates written without one (`2021-03-04T10:00:00`): an IANA name
    /// (`Europe/Paris`), `UTC` or an offset (`+02:00`). Feeds read such dates as UTC
    /// without it (with a warning); see docs/feeds.md.
    #[arg(long, value_name = "ZONE", value_parser = assume_tz)]
    pub assume_tz: Option<TimeZone>,
}

// Flag values checked while the command line is read, so that a bad one is a usage error
// (exit 2) before any input is read.

fn assume_tz(text: &str) -> Result<TimeZone, String> {
    recast_model::date::parse_zone(text)
}

fn date_edit(arg: &str) -> Result<String, String> {
    let (field, format) = arg.split_once('=').ok_or("expected FIELD=FORMAT")?;
    recast_migrate::Edit::date(field, format).map(|_| arg.to_owned())
}

fn template_edit(arg: &str) -> Result<String, String> {
    let (field, template) = arg.split_once('=').ok_or("expected FIELD=TEMPLATE")?;
    recast_migrate::Edit::template(field, template).map(|_| arg.to_owned())
}

fn name_template(template: &str) -> Result<String, String> {
    recast_model::template::Template::parse(template).map(|_| template.to_owned())
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Keep only records that match (repeatable: all must match), before any writer:
    /// `field=value`, `!=`, `<`, `<=`, `>`, `>=` (numbers, dates), `field~REGEX`, `field`,
    /// `!field`, with `not`, `and`, `or` and `( )` (the language of `migrate --where`).
    #[arg(long = "where", value_name = "CONDITION")]
    pub filter: Vec<String>,

    /// Replace each record (after --where) with the outputs of a jq expression, as
    /// `migrate --jq` does.
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Write one feed per value of this field into --out-dir (a list counts item by
    /// item: `--split-by topics`), each named by the value's slug (`machine-learning.rss`);
    /// records without the field go in no feed.
    #[arg(
        long,
        value_name = "FIELD",
        requires = "out_dir",
        help_heading = "Output"
    )]
    pub split_by: Option<String>,

    #[command(flatten)]
    pub csv: CsvArgs,

    #[command(flatten)]
    pub feed: FeedArgs,
}

/// How CSV and TSV are read and written.
#[derive(Debug, Args)]
#[command(next_help_heading = "CSV/TSV")]
pub struct CsvArgs {
    /// Write only these columns, in this order (comma-separated dotted paths; a path
    /// selects everything below it: `provider` gives `provider.name`, `provider.domain`).
    #[arg(long, value_name = "PATHS", value_delimiter = ',')]
    pub fields: Option<Vec<String>>,

    /// Write text starting with `=`, `+`, `-`, `@`, tab or CR as it is, and read a
    /// leading `'` as text (by default such cells get a `'` that stops spreadsheets
    /// running them as formulas, and reading takes it off again).
    #[arg(long)]
    pub no_sanitize: bool,

    /// Start CSV/TSV output with a UTF-8 byte order mark (for Excel).
    #[arg(long)]
    pub bom: bool,

    /// Field separator for CSV/TSV: one ASCII character, or `tab` (default: `,` for
    /// csv, tab for tsv).
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,

    /// Column types for reading CSV/TSV, one `column: type` a line (types: string, int,
    /// float, number, bool, any, list); they override header hints and inference.
    /// (`--schema` is its former name, still accepted here.)
    #[arg(long, value_name = "FILE", alias = "schema")]
    pub column_types: Option<PathBuf>,
}

/// Feeds (RSS, Atom, JSON Feed): the channel, how many items, which record fields fill which
/// elements. The channel flags win over the archive folder's `_index.md` and over an
/// input feed's channel.
#[derive(Debug, Args)]
#[command(next_help_heading = "Feeds (RSS/Atom/JSON Feed)")]
pub struct FeedArgs {
    /// The feed's title (required for every feed, unless `_index.md` or an input feed
    /// has one).
    #[arg(long, value_name = "TEXT")]
    pub feed_title: Option<String>,

    /// The web page the feed belongs to (required for RSS; Atom's id unless
    /// --feed-self-url is given).
    #[arg(long, value_name = "URL")]
    pub feed_link: Option<String>,

    /// What the feed is about (required for RSS; Atom's subtitle).
    #[arg(long, value_name = "TEXT")]
    pub feed_description: Option<String>,

    /// Where the feed itself is published (`atom:link rel="self"`; Atom's id; JSON
    /// Feed's `feed_url`).
    #[arg(long, value_name = "URL")]
    pub feed_self_url: Option<String>,

    /// The link of items whose record has none, from a template resolved against
    /// --feed-link: `/blog/{source.slug}/`. It takes record fields (`{title|slug}`) and
    /// the source file's `{source.path}`, `{source.stem}`, `{source.slug}` (the stem
    /// without its date prefix) and `{source.dir}`; records are not changed.
    #[arg(long, value_name = "TEMPLATE", value_parser = name_template)]
    pub permalink: Option<String>,

    /// Keep only the newest N items (items are written newest first).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// Fill a feed element from another record field: `link=permalink`,
    /// `published=date`, `categories=tags` (fallbacks comma-separated; repeatable).
    /// Feed fields: title, link, id, description, content, published, updated, provider,
    /// categories, category, images, related, authors, enclosure, markup.
    #[arg(long = "map", value_name = "FEED=FIELD")]
    pub map: Vec<String>,

    /// A profile file: one `feedfield: recordfield` per line, applied before --map.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,

    /// Carry each record exactly in the feed, for archive transport: RSS and Atom items end
    /// with `recast:record`, JSON Feed items with `_recast`, and reading the feed back gives
    /// the records as they were. Without it a feed holds only what the profile maps.
    #[arg(long)]
    pub lossless: bool,

    /// What items carry: `full` (the post as HTML, and its summary) or `summary` (the
    /// summary field, else the body up to `<!--more-->`, else its first paragraph).
    #[arg(long, value_name = "WHAT", value_parser = ["full", "summary"])]
    pub content: Option<String>,

    /// Accepted for old scripts: plain feeds are the default now (it warns and does nothing).
    #[arg(long, hide = true, conflicts_with = "lossless")]
    pub plain_feed: bool,

    /// Publish drafts too: without it, `convert`'s feeds leave out records with `draft: true` or
    /// `published: false` (with a warning giving their count).
    #[arg(long)]
    pub drafts: bool,

    /// Publish posts dated in the future too: without it, `convert`'s feeds leave them out (with a
    /// warning giving their count).
    #[arg(long)]
    pub future: bool,

    /// Start RSS/Atom output with `<?xml-stylesheet type="text/xsl" href="URL"?>`, so that
    /// browsers show the feed as a page (`recast stylesheet > feed.xsl` prints one).
    #[arg(long, value_name = "URL")]
    pub stylesheet: Option<String>,

    /// Announce a WebSub hub: `<atom:link rel="hub">` in RSS and Atom, `hubs` in JSON Feed.
    #[arg(long, value_name = "URL")]
    pub hub: Option<String>,
}
