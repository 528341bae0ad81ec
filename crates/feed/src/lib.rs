//! recast-feed: RSS 2.0, Atom 1.0 and JSON Feed 1.1 written from archives (losslessly
//! when asked);
//! RSS 0.9x, 1.0, 2.0, Atom 1.0 and JSON Feed 1.0/1.1 read from the real world
//! ([`jsonfeed`] has JSON Feed's side).
//!
//! Writers take records one at a time and write the feed at [`RecordWriter::finish`],
//! newest first (with a limit, holding only that many items). By default an item holds
//! the standard elements feed readers show, filled as the [`Profile`] maps, and the root
//! declares only the namespaces the feed uses: a feed is a publication. With
//! [`FeedWriteOptions::lossless`], every item also carries the exact record in recast's
//! own extension namespace ([`extension`]), so archive → feed → archive loses nothing:
//! types, key order, nesting, exact date strings, the Markdown body.
//!
//! ```
//! use recast_feed::{FeedReader, FeedWriteOptions, RssWriter};
//! use recast_model::{Channel, Record, RecordReader, RecordWriter, Value};
//!
//! let mut record = Record::default();
//! record.fields.insert("title".into(), Value::from("AI revolution in medicine"));
//! record.fields.insert("webUrl".into(), Value::from("https://news.example/ai"));
//! record.fields.insert("publishedDateTime".into(), Value::from("2020-11-11T16:36:00Z"));
//! record.fields.insert("quality".into(), Value::from(39i64));
//! record.set_body("It *may* lift personalized treatment.\n".into());
//!
//! let channel = Channel {
//!     title: Some("Gazette".into()),
//!     link: Some("https://news.example/".into()),
//!     description: Some("Science news".into()),
//!     ..Channel::default()
//! };
//! let mut options = FeedWriteOptions::default();
//! options.channel = channel.clone();
//! options.lossless = true;
//! let mut writer = RssWriter::new(Vec::new(), options);
//! writer.write_record(&record).unwrap();
//! writer.finish().unwrap();
//! let xml = writer.into_inner();
//!
//! let text = String::from_utf8(xml.clone()).unwrap();
//! assert!(text.contains("<pubDate>Wed, 11 Nov 2020 16:36:00 +0000</pubDate>"));
//! assert!(text.contains("&lt;em&gt;may&lt;/em&gt;"));
//!
//! let mut reader = FeedReader::new(&xml[..], None);
//! assert_eq!(reader.next().unwrap().unwrap(), record);
//! assert_eq!(reader.channel().unwrap().title, channel.title);
//! ```
//!
//! Warnings (a guessed encoding, a dropped control character, a date without a zone)
//! go through the [`log`](https://docs.rs/log) crate at level `warn`; the library
//! never prints.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use recast_model::date::{DateTime, TimeZone};
use recast_model::source_file::source_fields;
use recast_model::template::Template;
use recast_model::{Channel, Record, Value};

mod article;
pub mod atom;
pub mod extension;
mod fields;
pub mod itunes;
pub mod jsonfeed;
mod order;
pub mod profile;
mod publish;
pub mod read;
pub mod rss;
pub mod source_date;
pub mod url;
mod xml;

#[cfg(test)]
#[path = "../tests/support/warnings.rs"]
mod caught_warnings;

pub use atom::AtomWriter;
pub use jsonfeed::{JsonFeedReader, JsonFeedWriter};
pub use profile::Profile;
pub use publish::Publication;
pub use read::{FeedKind, FeedReadOptions, FeedReader};
pub use rss::RssWriter;

/// An XSLT 1.0 stylesheet that shows an RSS 2.0 or Atom feed as a readable page in a
/// browser (title, description, how to subscribe, each item linked with its date and
/// summary); `recast stylesheet` prints it, `--stylesheet URL` names it in a feed.
pub const STYLESHEET: &str = include_str!("stylesheet.xsl");

#[doc(no_inline)]
pub use recast_model::{RecordReader, RecordWriter};

/// What a writer does with characters XML 1.0 cannot carry (control characters other
/// than tab and line ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InvalidChars {
    /// Drop them from the standard elements, with a warning naming the record. The
    /// exact text still travels in the extension namespace (escaped), so recast reads
    /// it back unchanged.
    #[default]
    Drop,
    /// Refuse the record with an error naming it.
    Refuse,
}

/// What a feed's items carry of their posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ContentMode {
    /// The whole post as HTML (`content:encoded`, Atom `content`, `content_html`), and its
    /// summary (`description`, `summary`) when it has one.
    #[default]
    Full,
    /// The summary only: the summary field, else the body up to `<!--more-->`, else the
    /// body's first paragraph. For feeds that must not carry whole posts; readers link
    /// to the page for the rest.
    Summary,
}

/// Options of [`RssWriter`], [`AtomWriter`] and [`JsonFeedWriter`].
///
/// ```
/// let mut options = recast_feed::FeedWriteOptions::default();
/// options.channel.title = Some("Gazette".into());
/// options.limit = Some(20);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FeedWriteOptions {
    /// The feed's channel (title, link, description, ...). A writer checks at the first
    /// record that it has what the format needs; [`RssWriter::channel_mut`] and
    /// [`AtomWriter::channel_mut`] can still fill it in before that.
    pub channel: Channel,
    /// Keep only the newest N items (and hold only N in memory).
    pub limit: Option<usize>,
    /// Which record fields fill which feed elements.
    pub profile: Profile,
    /// What to do with characters XML 1.0 cannot carry.
    pub invalid_chars: InvalidChars,
    /// Write each record exactly, in the extension namespace (`recast:record`, JSON
    /// Feed's `_recast`), for archive transport. Off by default: a feed is a publication
    /// and carries only what the profile maps (reading it back gives those fields).
    pub lossless: bool,
    /// What items carry of their posts (`--content`): the whole post, or its summary only.
    pub content: ContentMode,
    /// Publish drafts too (`--drafts`): without it, records with `draft: true` or
    /// `published: false` are left out, with a warning giving their count.
    pub drafts: bool,
    /// Publish posts dated in the future too (`--future`): without it they are left out,
    /// with a warning giving their count.
    pub future: bool,
    /// The zone that item dates without one are read in (`--assume-tz`); without it they
    /// are read as UTC, and the writer warns once with their count.
    pub assume_tz: Option<TimeZone>,
    /// An XSLT stylesheet for browsers (`--stylesheet`): RSS and Atom start with an
    /// `<?xml-stylesheet type="text/xsl" href="…"?>` processing instruction naming it.
    pub stylesheet: Option<String>,
    /// A WebSub hub (`--hub`): `<atom:link rel="hub">` in RSS's channel and Atom's feed,
    /// `hubs` in JSON Feed.
    pub hub: Option<String>,
    /// The link of items whose record has none (`--permalink '/blog/{source.slug}/'`),
    /// made absolute against the channel link. It may use the record's fields and its
    /// file's `source.*` names; the record itself is not changed.
    pub permalink: Option<Template>,
    /// The input folders that `{source.path}` and `{source.dir}` are relative to.
    pub source_roots: Vec<PathBuf>,
    /// How many item dates without a zone were read as UTC (shared by the clones the
    /// parallel item rendering uses), for that one warning.
    zone_less_dates: Arc<AtomicU64>,
    /// How many records `permalink` gave no link (a placeholder they lack), for one
    /// warning at the end.
    permalink_gaps: Arc<AtomicU64>,
}

impl FeedWriteOptions {
    /// A date's text as the instant a feed writes: a date without a zone in
    /// [`FeedWriteOptions::assume_tz`], else in UTC (counted for the warning).
    pub(crate) fn item_date(&self, text: &str) -> Option<DateTime> {
        let date = DateTime::parse(text)?;
        if !date.has_zone() && self.assume_tz.is_none() {
            self.zone_less_dates.fetch_add(1, Ordering::Relaxed);
        }
        Some(date.instant_or_utc(self.assume_tz.as_ref()))
    }

    /// The link [`FeedWriteOptions::permalink`] gives a record, as written (relative
    /// links are resolved by the caller); none when it renders empty.
    pub(crate) fn permalink(&self, record: &Record) -> Option<String> {
        let template = self.permalink.as_ref()?;
        // The file's names go in as URL text: `hash-#1.md` is `hash-%231`, not a fragment.
        let source = record.origin.file.as_deref().map(|file| {
            let mut fields = source_fields(file, &self.source_roots);
            if let Some(Value::Map(names)) = fields.get_mut("source") {
                for name in names.values_mut() {
                    if let Value::String(text) = name {
                        *text = url::percent_encode(text, b"#?").into_owned();
                    }
                }
            }
            fields
        });
        // A placeholder with no value gives no link; an empty one (`{source.dir}` at the
        // top of the folder) only an empty segment, which is dropped.
        let missing = template
            .gaps_with_source(&record.fields, source.as_ref())
            .into_iter()
            .flatten()
            .any(|gap| !gap.ends_with(" is empty"));
        let link = template
            .render_with_source(&record.fields, source.as_ref())
            .ok()
            .filter(|_| !missing)
            .map(|link| url::percent_encode(&url::without_empty_segments(&link), b"").into_owned())
            .filter(|link| !link.trim().is_empty());
        if link.is_none() {
            self.permalink_gaps.fetch_add(1, Ordering::Relaxed);
        }
        link
    }

    /// The warnings given once, at the end of a feed: dates read as UTC, records that
    /// `--permalink` gave no link.
    pub(crate) fn warn_at_end(&self) {
        self.warn_zone_less_dates();
        let gaps = self.permalink_gaps.swap(0, Ordering::Relaxed);
        if gaps > 0 {
            log::warn!(
                "--permalink gave {gaps} item(s) no link (the template renders empty or names a field they lack); those items have no link"
            );
        }
    }

    /// The one warning about dates read as UTC, at the end of a feed.
    fn warn_zone_less_dates(&self) {
        let count = self.zone_less_dates.swap(0, Ordering::Relaxed);
        if count > 0 {
            log::warn!(
                "{count} item date(s) have no time zone and were written as UTC; give --assume-tz ZONE (Europe/Paris, +02:00) to say which zone they are in"
            );
        }
    }
}

impl Default for FeedWriteOptions {
    fn default() -> FeedWriteOptions {
        FeedWriteOptions {
            channel: Channel::default(),
            limit: None,
            profile: Profile::default(),
            invalid_chars: InvalidChars::Drop,
            lossless: false,
            content: ContentMode::Full,
            drafts: false,
            future: false,
            assume_tz: None,
            stylesheet: None,
            hub: None,
            permalink: None,
            source_roots: Vec::new(),
            zone_less_dates: Arc::default(),
            permalink_gaps: Arc::default(),
        }
    }
}

/// The error for a channel element that is required and missing, naming its flag.
pub(crate) fn missing_channel(format: &str, element: &str, flag: &str) -> recast_model::Error {
    let at = recast_model::Location::new(Some(std::path::Path::new("<channel>").into()), 0, 0);
    recast_model::Error::data(
        at,
        format!(
            "{format} needs a feed {element}: give {flag}, or set {} in the archive folder's _index.md",
            match element {
                "id" => "selfUrl or link",
                other => other,
            }
        ),
    )
}
