//! The flags that become format settings: `--delimiter`, `--column-types`, `--fields` and
//! the other CSV flags; `--map`, `--profile`, `--limit` and the `--feed-*` flags.

use std::path::Path;
use std::sync::Arc;

use recast::format::CsvSettings;
use recast_model::Channel;

use crate::cli::{CsvArgs, FeedArgs, ReadArgs};

/// Reads the CSV/TSV flags of a run; an unreadable or invalid `--column-types` file, or a
/// `--delimiter` that is not one ASCII character, is an error.
pub fn csv_settings(args: &CsvArgs) -> anyhow::Result<CsvSettings> {
    use anyhow::Context;
    let delimiter = match args.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t" | "\t") => Some(b'\t'),
        Some(d) if d.len() == 1 && d.is_ascii() && d != "\"" && d != "\n" && d != "\r" => {
            Some(d.as_bytes()[0])
        }
        Some(d) => {
            return Err(recast::error::usage(format!(
                "--delimiter must be one ASCII character (or `tab`), not {d:?}"
            )));
        }
    };
    let schema = match &args.column_types {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read --column-types {}", path.display()))?;
            let file: Arc<Path> = path.as_path().into();
            Some(recast_csv::Schema::parse(&text).map_err(|e| e.in_file(Some(&file)))?)
        }
    };
    let mut read = recast_csv::CsvReadOptions::default();
    read.sanitize = !args.no_sanitize;
    read.schema = schema;
    let mut write = recast_csv::CsvWriteOptions::default();
    write.sanitize = !args.no_sanitize;
    write.bom = args.bom;
    write.fields = args.fields.as_ref().map(|fields| {
        fields
            .iter()
            .map(|f| recast_model::path::FieldPath::parse(f.trim()))
            .collect()
    });
    let settings = CsvSettings::new(delimiter, read, write);
    Ok(settings)
}

/// The feed flags of a run: reading and writing options, and the channel the
/// `--feed-*` flags give.
pub struct FeedSettings {
    pub read: recast_feed::FeedReadOptions,
    pub write: recast_feed::FeedWriteOptions,
    pub channel: Channel,
}

/// Reads the feed flags of a run (`--limit`, `--map`, `--profile`, `--lossless`) and
/// the channel that `--feed-title`, `--feed-link`, `--feed-description` and
/// `--feed-self-url` give; they win over `_index.md` and input feeds.
pub fn feed_settings(args: &FeedArgs) -> anyhow::Result<FeedSettings> {
    use anyhow::Context;
    let mut profile = recast_feed::Profile::default();
    if let Some(path) = &args.profile {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read --profile {}", path.display()))?;
        profile
            .apply_text(&text)
            .map_err(|e| anyhow::anyhow!("--profile {}: {e}", path.display()))?;
    }
    for mapping in &args.map {
        profile
            .apply_mapping(mapping)
            .map_err(recast::error::usage)?;
    }
    let mut read = recast_feed::FeedReadOptions::default();
    read.profile = profile.clone();
    let mut write = recast_feed::FeedWriteOptions::default();
    write.limit = args.limit;
    write.profile = profile;
    write.lossless = args.lossless;
    if args.content.as_deref() == Some("summary") {
        write.content = recast_feed::ContentMode::Summary;
    }
    if args.plain_feed {
        log::warn!(
            "--plain-feed is the default now (feeds carry only what the profile maps); it does nothing"
        );
    }
    write.drafts = args.drafts;
    write.future = args.future;
    write.stylesheet = args.stylesheet.clone();
    write.hub = args.hub.clone();
    write.permalink = args
        .permalink
        .as_deref()
        .map(recast_model::template::Template::parse)
        .transpose()
        .map_err(|e| recast::error::usage(format!("--permalink: {e}")))?;
    let channel = Channel {
        title: args.feed_title.clone(),
        link: args.feed_link.clone(),
        description: args.feed_description.clone(),
        self_url: args.feed_self_url.clone(),
        ..Channel::default()
    };
    Ok(FeedSettings {
        read,
        write,
        channel,
    })
}

/// The reading options of `inspect` and `validate`: `--select`, `--max-record-size` and
/// the CSV flags (readers' warnings go through the logger, silent under `--quiet`).
pub fn read_options(read: &ReadArgs, csv: &CsvArgs) -> anyhow::Result<recast::ReadOptions> {
    Ok(recast::ReadOptions {
        select: read.select.clone(),
        max_record_size: read.max_record_size,
        sheet: read.sheet.clone(),
        csv: csv_settings(csv)?,
        ..Default::default()
    })
}
