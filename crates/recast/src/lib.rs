//! recast as a library: convert and migrate archives of article records between
//! Markdown with YAML front matter, YAML, JSON, JSON Lines, CSV/TSV, RSS/Atom and JSON Feed.
//!
//! A folder of Markdown posts to one JSON file, in a few lines:
//!
//! ```
//! # fn main() -> anyhow::Result<()> {
//! let site = tempfile::tempdir()?;
//! let posts = site.path().join("posts");
//! std::fs::create_dir(&posts)?;
//! std::fs::write(
//!     posts.join("hello.md"),
//!     "---\ntitle: Hello\npublishedDateTime: 2024-05-01T08:00:00Z\n---\n\nFirst post.\n",
//! )?;
//!
//! let mut options = recast::ConvertOptions::default();
//! options.inputs = vec![posts];
//! options.output = Some(site.path().join("posts.json")); // the extension names the format
//! let failed = recast::convert(&options, &recast::Silent)?;
//!
//! assert_eq!(failed, 0);
//! let json = std::fs::read_to_string(site.path().join("posts.json"))?;
//! assert!(json.contains("Hello") && json.contains("First post."));
//! # Ok(()) }
//! ```
//!
//! The [`tutorial`] goes through the rest step by step; the [`cookbook`] has whole
//! programs (a folder of Markdown to RSS, a CSV read back into records, a migration
//! plan applied in place), which are also the crate's `examples/`, run by `cargo test`.
//!
//! # What is where
//!
//! - The engines, each with an options struct and a [`Report`] for what happens while
//!   it runs: [`convert()`] ([`ConvertOptions`]), [`migrate()`] ([`MigrateOptions`]),
//!   [`inspect()`] ([`InspectOptions`]) and [`validate()`] ([`ValidateOptions`]).
//! - [`format`](mod@format): the formats ([`Format`]: recognised by extension or content) and the
//!   reader and writer of each ([`format::open_reader`], [`format::open_writer`]).
//! - [`input`]: files and folders to read (walked in order, sharded, sniffed).
//! - [`pipeline`]: the ordered parallel record stream over the inputs.
//! - [`output`]: output that is never half-written (atomic files, staged folders).
//! - [`checks`]: the checks that turn likely mistakes into a usage error or a warning.
//!
//! The formats themselves live in their own crates, which depend only on
//! `recast-model`'s record type: `recast-yaml`, `recast-json`, `recast-csv`,
//! `recast-feed`; the edits of a migration in `recast-migrate`.
//!
//! # Errors
//!
//! Engines return [`anyhow::Error`]s with context. Inside, a
//! [`recast_model::Error`] carries the file, line, column and record and a kind (I/O,
//! limit, data); a [`UsageError`] says the options cannot work together. A command
//! line maps them to exit codes (recast's: 2 for usage, 3 for I/O, 4 for a limit).

pub mod checks;
pub mod convert;
pub mod cookbook;
pub mod error;
pub mod format;
pub mod input;
pub mod inspect;
pub mod migrate;
mod ordered;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod split;
pub mod tutorial;
pub mod validate;

pub use convert::{ConvertOptions, convert};
pub use error::UsageError;
pub use format::{Format, ReadOptions, WriteOptions};
pub use inspect::{InspectOptions, Inspection, inspect};
pub use migrate::{MigrateOptions, Migration, migrate};
pub use report::{Progress, Report, Silent};
pub use validate::{ValidateOptions, Validation, validate};
