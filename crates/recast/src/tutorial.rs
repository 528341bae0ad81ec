//! A tutorial: recast's library from a first conversion to a migration in place.
//!
//! Each step's code compiles and runs as a test (`cargo test -p recast --doc`).
//!
//! # Setup
//!
//! ```toml
//! [dependencies]
//! recast = "0.1"
//! recast-model = "0.1"   # the record type: Record, Value, Channel
//! anyhow = "1"
//! ```
//!
//! # 1. Convert a folder
//!
//! [`convert`](crate::convert()) reads every input in order and writes every record.
//! Give it paths and where to write; everything else has a default. The output format
//! comes from [`ConvertOptions::to`](crate::ConvertOptions::to), else from the output's
//! extension (`.xml` is a feed: RSS, or Atom for `atom.xml`), else JSON.
//!
//! ```
//! # fn main() -> anyhow::Result<()> {
//! # let dir = tempfile::tempdir()?;
//! # let posts = dir.path().join("posts");
//! # std::fs::create_dir(&posts)?;
//! # std::fs::write(posts.join("a.md"), "---\ntitle: A\npublishedDateTime: 2024-05-01T08:00:00Z\nwebUrl: https://example.org/a\n---\n\nBody.\n")?;
//! use recast::{ConvertOptions, Format};
//!
//! let mut options = ConvertOptions::default();
//! options.inputs = vec![posts.clone()];
//! options.output = Some(dir.path().join("feed.xml"));
//! options.to = Some(Format::Rss);
//! // A feed needs a channel: set here, or found in the folder's `_index.md`.
//! options.write.channel.title = Some("Notes".into());
//! options.write.channel.link = Some("https://example.org/".into());
//! options.write.channel.description = Some("What I wrote".into());
//! recast::convert(&options, &recast::Silent)?;
//!
//! let xml = std::fs::read_to_string(dir.path().join("feed.xml"))?;
//! assert!(xml.contains("<title>A</title>"));
//! # Ok(()) }
//! ```
//!
//! Options structs are `#[non_exhaustive]`: build them with `default()` and set the
//! fields you need, so that a new option in a later version breaks nothing.
//!
//! One file per record instead of one stream: set
//! [`out_dir`](crate::ConvertOptions::out_dir) (and `name`, a template such as
//! `{publishedDateTime:%Y}/{title|slug}`). The folder is staged and moved into place at
//! the end, so a failed run leaves it as it was ([`output::OutDir`](crate::output::OutDir)).
//!
//! # 2. Hear what happens
//!
//! The library never prints. What a person should know (a folder with nothing to read,
//! a record skipped with [`keep_going`](crate::ConvertOptions::keep_going)) goes to the
//! [`Report`](crate::Report) you pass; [`Silent`](crate::Silent) drops it all.
//!
//! ```
//! use std::fmt::Display;
//!
//! struct Stderr;
//!
//! impl recast::Report for Stderr {
//!     fn warn(&self, message: &str) {
//!         eprintln!("warning: {message}");
//!     }
//!     fn skipped(&self, error: &dyn Display) {
//!         eprintln!("error: {error}");
//!     }
//!     // `progress` has a default that counts nothing; recast's command line draws a bar.
//! }
//! ```
//!
//! # 3. Read records yourself
//!
//! [`Inputs`](crate::input::Inputs) walks folders (in name order) and tells formats
//! apart; [`RecordStream`](crate::pipeline::RecordStream) reads them on every core and
//! hands the records over in input order, with a feed's channel before its records.
//!
//! ```
//! # fn main() -> anyhow::Result<()> {
//! # let dir = tempfile::tempdir()?;
//! # let sheet = dir.path().join("people.csv");
//! std::fs::write(&sheet, "name,address.city,tags:list\nAda,London,math; code\n")?;
//!
//! use recast::input::Inputs;
//! use recast::pipeline::{Message, RecordStream};
//!
//! let inputs = Inputs::collect(&[sheet], None)?;
//! let mut records = Vec::new();
//! for message in RecordStream::new(inputs.files, recast::ReadOptions::default()) {
//!     if let Message::Records(items) = message {
//!         for item in items {
//!             records.push(item?); // an error names the file, line and column
//!         }
//!     }
//! }
//! let ada = &records[0].fields;
//! assert_eq!(ada["name"], "Ada".into());
//! assert_eq!(ada["address"].as_map().unwrap()["city"], "London".into());
//! assert_eq!(ada["tags"].as_list().unwrap().len(), 2);
//! # Ok(()) }
//! ```
//!
//! For one input already in memory, [`format::open_reader`](crate::format::open_reader)
//! gives the reader of a format, and [`format::open_writer`](crate::format::open_writer)
//! its writer; the format crates (`recast-json`, `recast-csv`, …) can also be used alone.
//!
//! # 4. Migrate in place
//!
//! A plan is a list of edits (rename, delete, set, default, date, where, template),
//! read from YAML by [`migrate::read_plan`](crate::migrate::read_plan) or built with
//! `recast_migrate::Plan`. [`migrate`](crate::migrate()) reads everything first and
//! writes nothing if any file fails; in place, each file keeps its format and form
//! (a Markdown file changes only on the lines an edit touches) and is replaced
//! atomically. A dry run returns the diffs instead.
//!
//! ```
//! # fn main() -> anyhow::Result<()> {
//! # let dir = tempfile::tempdir()?;
//! # let posts = dir.path().join("posts");
//! # std::fs::create_dir(&posts)?;
//! std::fs::write(posts.join("a.md"), "---\ntitle: A\nauthor: Ada\n---\n\nBody.\n")?;
//! std::fs::write(dir.path().join("plan.yaml"), "- rename: {from: author, to: by}\n")?;
//!
//! let (plan, labels) = recast::migrate::read_plan(&dir.path().join("plan.yaml"))?;
//! let mut options = recast::MigrateOptions::default();
//! options.inputs = vec![posts.clone()];
//! options.plan = plan;
//! options.labels = labels;
//! options.in_place = true;
//!
//! options.dry_run = true;
//! let preview = recast::migrate(&options, &recast::Silent)?;
//! assert!(preview.diffs[0].contains("+by: Ada"));
//!
//! options.dry_run = false;
//! let done = recast::migrate(&options, &recast::Silent)?;
//! assert!(done.summary.starts_with("1 changed"));
//! assert_eq!(
//!     std::fs::read_to_string(posts.join("a.md"))?,
//!     "---\ntitle: A\nby: Ada\n---\n\nBody.\n"
//! );
//! # Ok(()) }
//! ```
//!
//! # 5. Look before you convert
//!
//! [`inspect`](crate::inspect()) gathers each field's types, presence and date range;
//! [`validate`](crate::validate()) checks records against a profile (required fields,
//! parseable dates, absolute links) and hands each problem over as `file:line: message`.
//!
//! ```
//! # fn main() -> anyhow::Result<()> {
//! # let dir = tempfile::tempdir()?;
//! # let file = dir.path().join("a.jsonl");
//! std::fs::write(&file, "{\"title\": \"A\", \"webUrl\": \"/relative\"}\n")?;
//!
//! let mut options = recast::InspectOptions::default();
//! options.inputs = vec![file.clone()];
//! let inspection = recast::inspect(&options, &recast::Silent)?;
//! assert_eq!(inspection.stats.records, 1);
//!
//! let mut options = recast::ValidateOptions::default();
//! options.inputs = vec![file];
//! let mut problems = Vec::new();
//! recast::validate(&options, &recast::Silent, |problem| {
//!     problems.push(problem.to_string());
//!     Ok(())
//! })?;
//! assert!(problems[0].contains("webUrl"));
//! # Ok(()) }
//! ```
//!
//! # 6. Errors and exit codes
//!
//! Engines return [`anyhow::Error`]. Walk its chain to decide what to do: a
//! [`UsageError`](crate::UsageError) means the options cannot work (recast exits 2); a
//! [`recast_model::Error`] has a kind (I/O, limit, data) and the location of the
//! problem.
//!
//! ```
//! let mut options = recast::MigrateOptions::default(); // no edits
//! options.inputs = vec![".".into()];
//! let error = recast::migrate(&options, &recast::Silent).unwrap_err();
//! assert!(error.chain().any(|cause| cause.is::<recast::UsageError>()));
//! ```
