//! A folder of Markdown posts (YAML front matter) to an RSS feed.
//!
//! ```text
//! cargo run -p recast --example md_folder_to_rss -- content/posts public/feed.xml
//! ```
//!
//! Without arguments it reads the repository's `samples/archive` and writes
//! `feed.xml` in the system's temporary folder.

use std::path::{Path, PathBuf};

use recast::{ConvertOptions, Format, Report};

/// Warnings and skipped records on standard error: the library never prints.
struct Stderr;

impl Report for Stderr {
    fn warn(&self, message: &str) {
        eprintln!("warning: {message}");
    }

    fn skipped(&self, error: &dyn std::fmt::Display) {
        eprintln!("error: {error}");
    }
}

/// Writes every post of `folder` into one RSS feed at `feed`, newest first (the feed
/// writer sorts by date). Returns how many records failed.
pub fn run(folder: &Path, feed: &Path) -> anyhow::Result<u64> {
    let mut options = ConvertOptions::default();
    options.inputs = vec![folder.to_path_buf()];
    options.output = Some(feed.to_path_buf());
    // `feed.xml` says "a feed"; `to` says which kind.
    options.to = Some(Format::Rss);
    // The channel: a folder's `_index.md` (Hugo's) fills what is left empty here.
    let channel = &mut options.write.channel;
    channel.title = Some("Notes".into());
    channel.link = Some("https://example.org/".into());
    channel.description = Some("Everything in the folder".into());
    recast::convert(&options, &Stderr)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let folder = args
        .next()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/archive"));
    let feed = args
        .next()
        .unwrap_or_else(|| std::env::temp_dir().join("feed.xml"));
    let failed = run(&folder, &feed)?;
    println!("{} written ({failed} record(s) failed)", feed.display());
    Ok(())
}
