//! A cookbook: whole programs for common jobs. Each is in the crate's `examples/`
//! folder (run one with `cargo run -p recast --example NAME -- ARGS`), and each is run
//! on temporary data by `cargo test` (`tests/examples.rs`).
//!
//! # A folder of Markdown to RSS (`md_folder_to_rss`)
//!
//! ```no_run
#![doc = include_str!("../examples/md_folder_to_rss.rs")]
//! ```
//!
//! # A CSV sheet read back into records (`csv_to_records`)
//!
//! ```no_run
#![doc = include_str!("../examples/csv_to_records.rs")]
//! ```
//!
//! # A migration plan applied in place (`migrate_in_place`)
//!
//! ```no_run
#![doc = include_str!("../examples/migrate_in_place.rs")]
//! ```
