//! [`AtomWriter`]: Atom 1.0 from records.

use std::io::Write;

use recast_model::date::DateTime;
use recast_model::{Channel, Record, RecordWriter, Result, Value};

use crate::article::{Article, one_or_many, scalar_text, write_media_content};
use crate::extension::{self, CATEGORY_SCHEME};
use crate::order::{FeedItems, PendingFeed, RenderedItem};
use crate::profile::map_text;
use crate::xml::write::XmlOut;
use crate::{FeedWriteOptions, missing_channel};

/// Writes Atom 1.0 (RFC 4287), newest first, like [`crate::RssWriter`].
///
/// Atom requires a feed id, title, updated date and author, and an id, title and
/// updated date in every entry. recast fills them so the output is always valid:
///
/// - feed `id`: the channel's `id` extra field, else `--feed-self-url`, else
///   `--feed-link` (one of the two is required; the error names them);
/// - feed `title`: `--feed-title` (required);
/// - feed `updated`: the channel's `updated`, else the newest entry's date, else now;
/// - feed `author`: the channel's `author` extra field (a name, or a map with `name`,
///   `uri`, `email`); else, when some entry has neither author nor provider, the feed
///   title;
/// - entry `id`: the profile's `id` (`id`, `guid`), else the entry's link (absolute),
///   else a `urn:recast:item:` hash of its date and source, never of its title;
/// - entry `author`: its `author`/`authors`, else its provider;
/// - entry `updated`: `updatedDateTime`, else `publishedDateTime`, else the feed's.
///
/// Dates are written in RFC 3339 in their own offset; the exact original strings travel
/// in the extension namespace.
pub struct AtomWriter<W: Write> {
    pending: PendingFeed<W>,
}

impl<W: Write> AtomWriter<W> {
    /// A writer of Atom to `output`, with the feed's channel in the options; nothing is written
    /// before [`RecordWriter::finish`].
    pub fn new(output: W, options: FeedWriteOptions) -> AtomWriter<W> {
        AtomWriter {
            pending: PendingFeed::new(output, options, render_entry),
        }
    }

    /// The channel, to fill in after construction, before the first record.
    pub fn channel_mut(&mut self) -> &mut Channel {
        &mut self.pending.channel
    }

    /// The output, after [`RecordWriter::finish`] wrote the feed into it.
    pub fn into_inner(self) -> W {
        self.pending.output
    }
}

/// The current time, for a feed with no date anywhere (Atom requires `updated`).
fn now() -> DateTime {
    DateTime {
        timestamp: jiff::Timestamp::now(),
        offset: jiff::tz::Offset::UTC,
        kind: recast_model::date::Kind::Instant,
    }
}

impl<W: Write> RecordWriter for AtomWriter<W> {
    fn write_record(&mut self, record: &Record) -> Result<()> {
        self.write_owned(record.clone())
    }

    fn write_owned(&mut self, record: Record) -> Result<()> {
        self.pending
            .push(record, |channel| check_channel(channel).map(drop))
    }

    fn finish(&mut self) -> Result<()> {
        if self.pending.finished {
            return Ok(());
        }
        self.pending.finished = true;
        let items = self.pending.take_items()?;
        let channel = &self.pending.channel;
        let options = &self.pending.options;
        let newest = items.newest_own_date();
        let updated = channel
            .updated
            .as_deref()
            .and_then(DateTime::parse)
            .map(|date| date.instant_or_utc(options.assume_tz.as_ref()))
            .or(newest)
            .unwrap_or_else(now);

        let language = channel.language.as_deref().and_then(language_tag);
        if language.is_none()
            && let Some(odd) = &channel.language
        {
            log::warn!(
                "the channel language {odd:?} is not a language tag; the Atom feed leaves xml:lang out"
            );
        }
        let (head, used) = XmlOut::head(1, options.invalid_chars, |out| {
            write_feed_head(out, channel, options, &items, updated)
        })?;
        let mut root = vec![("xmlns", "http://www.w3.org/2005/Atom")];
        root.extend(used.union(items.used()).declarations());
        if let Some(language) = &language {
            root.push(("xml:lang", language));
        }

        let mut out = XmlOut::document(&mut self.pending.output, options.invalid_chars);
        out.declaration()?;
        if let Some(stylesheet) = &options.stylesheet {
            out.stylesheet(stylesheet)?;
        }
        out.open("feed", &root)?;
        out.raw(&head)?;
        items.write_to(&mut out, &updated.to_rfc3339())?;
        out.close("feed")?;
        out.end_document()
    }
}

/// The feed's own elements, before its entries: its id, title, links, `updated`, the
/// author that entries without one need, then what the channel has of the optional ones.
fn write_feed_head<W: Write>(
    out: &mut XmlOut<W>,
    channel: &Channel,
    options: &FeedWriteOptions,
    items: &FeedItems,
    updated: DateTime,
) -> Result<()> {
    let (title, id) = check_channel(channel)?;
    out.leaf("id", &[], id)?;
    out.leaf("title", &[], title)?;
    if let Some(description) = channel
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        out.leaf("subtitle", &[], description)?;
    }
    if let Some(link) = &channel.link {
        out.empty("link", &[("rel", "alternate"), ("href", link)])?;
    }
    if let Some(self_url) = &channel.self_url {
        out.empty(
            "link",
            &[
                ("rel", "self"),
                ("href", self_url),
                ("type", "application/atom+xml"),
            ],
        )?;
    }
    if let Some(hub) = &options.hub {
        out.empty("link", &[("rel", "hub"), ("href", hub)])?;
    }
    out.leaf("updated", &[], &updated.to_rfc3339())?;
    match channel.extra.get("author") {
        Some(Value::String(name)) => write_author(out, Some(name), None, None)?,
        Some(Value::Map(map)) => write_author(
            out,
            map_text(map, "name").as_deref(),
            map_text(map, "uri")
                .or_else(|| map_text(map, "url"))
                .as_deref(),
            map_text(map, "email").as_deref(),
        )?,
        _ if items.any_without_provider() => {
            write_author(out, Some(title), None, None)?;
        }
        _ => {}
    }
    if let Some(categories) = channel.extra.get("category") {
        for category in one_or_many(categories).iter().filter_map(scalar_text) {
            out.empty("category", &[("term", &category)])?;
        }
    }
    if let Some(generator) = &channel.generator {
        out.leaf("generator", &[], generator)?;
    }
    if let Some(image) = &channel.image {
        out.leaf("logo", &[], image)?;
    }
    if options.lossless && !channel.is_empty() {
        extension::write_map(out, "recast:channel", &channel.to_map())?;
    }
    Ok(())
}

/// The channel's language as the language tag `xml:lang` needs (`en_US` → `en-US`),
/// or `None` when it cannot be one.
fn language_tag(language: &str) -> Option<String> {
    let tag = language.trim().replace('_', "-");
    let mut parts = tag.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    (first_ok && rest_ok).then_some(tag)
}

/// The feed's title and id, which Atom requires.
fn check_channel(channel: &Channel) -> Result<(&str, &str)> {
    let title = channel
        .title
        .as_deref()
        .ok_or_else(|| missing_channel("Atom", "title", "--feed-title"))?;
    let id = channel
        .extra
        .get("id")
        .and_then(Value::as_str)
        .or(channel.self_url.as_deref())
        .or(channel.link.as_deref())
        .ok_or_else(|| missing_channel("Atom", "id", "--feed-self-url or --feed-link"))?;
    Ok((title, id))
}

fn write_author<W: Write>(
    out: &mut XmlOut<W>,
    name: Option<&str>,
    uri: Option<&str>,
    email: Option<&str>,
) -> Result<()> {
    out.open("author", &[])?;
    out.leaf("name", &[], name.unwrap_or(""))?;
    if let Some(uri) = uri {
        out.leaf("uri", &[], uri)?;
    }
    if let Some(email) = email {
        out.leaf("email", &[], email)?;
    }
    out.close("author")
}

/// Writes one record as an `entry`, at its depth inside `feed`. An entry with no date of
/// its own takes the feed's `updated`, known only at the end: its place is left as the
/// item's placeholder.
fn render_entry(
    options: &FeedWriteOptions,
    base: Option<&str>,
    number: u64,
    record: &Record,
) -> RenderedItem {
    let article = Article::new(record, options, base);
    let mut out = XmlOut::item(1, options.invalid_chars);
    let mut placeholder = None;
    let result = write_entry(
        &mut out,
        options,
        number,
        record,
        &article,
        &mut placeholder,
    );
    let mut written = out.into_item(result);
    written.placeholder = placeholder;
    let published = article.published.as_ref().and_then(|d| d.parsed);
    RenderedItem {
        written,
        rank_date: published,
        own_date: article
            .updated
            .as_ref()
            .and_then(|d| d.parsed)
            .or(published),
        has_provider: article.provider_name.is_some() || !article.authors.is_empty(),
    }
}

fn write_entry(
    out: &mut XmlOut<Vec<u8>>,
    options: &FeedWriteOptions,
    number: u64,
    record: &Record,
    article: &Article,
    feed_updated_at: &mut Option<usize>,
) -> Result<()> {
    out.record_title = article.title.clone();
    out.record = Some(number);
    out.open("entry", &[])?;
    out.leaf("id", &[], article.id.as_deref().unwrap_or(""))?;
    out.leaf("title", &[], article.title.as_deref().unwrap_or(""))?;
    let published = article.published.as_ref().and_then(|d| d.parsed);
    for date in [&article.published, &article.updated].into_iter().flatten() {
        if date.parsed.is_none() {
            out.warn(&format!(
                "its date {:?} cannot be read, so the entry leaves it out (the record keeps it)",
                date.text
            ));
        }
    }
    match article
        .updated
        .as_ref()
        .and_then(|d| d.parsed)
        .or(published)
    {
        Some(updated) => out.leaf("updated", &[], &updated.to_rfc3339())?,
        None => *feed_updated_at = Some(out.leaf_placeholder("updated")?),
    }
    if let Some(published) = published {
        out.leaf("published", &[], &published.to_rfc3339())?;
    }
    for author in &article.authors {
        // Atom needs a name: an author known only by address or page is named by it.
        let name = author
            .name
            .as_deref()
            .or(author.email.as_deref())
            .or(author.url.as_deref());
        write_author(out, name, author.url.as_deref(), author.email.as_deref())?;
    }
    // A podcast's itunes:author is an author to feed readers (feedparser lists it).
    if let Some(itunes_author) = article.itunes.as_ref().and_then(|m| map_text(m, "author"))
        && !article
            .authors
            .iter()
            .any(|a| a.name.as_deref() == Some(&itunes_author))
    {
        write_author(out, Some(&itunes_author), None, None)?;
    }
    if let Some(name) = article
        .provider_name
        .as_ref()
        .filter(|_| article.authors.is_empty())
    {
        let uri = article.provider_domain.as_ref().map(|domain| {
            if domain.contains("://") {
                domain.clone()
            } else {
                format!("https://{domain}")
            }
        });
        write_author(out, Some(name), uri.as_deref(), None)?;
    }
    if let Some(link) = &article.link {
        out.empty("link", &[("rel", "alternate"), ("href", link)])?;
    }
    for enclosure in &article.enclosures {
        let mut attrs = vec![("rel", "enclosure"), ("href", enclosure.url.as_str())];
        if let Some(kind) = &enclosure.kind {
            attrs.push(("type", kind));
        }
        // Atom's length is a number of octets; other text stays in the record only.
        if let Some(length) = enclosure
            .length
            .as_ref()
            .filter(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
        {
            attrs.push(("length", length));
        }
        out.empty("link", &attrs)?;
    }
    for related in &article.related {
        let mut attrs = vec![("rel", "related"), ("href", related.href.as_str())];
        if let Some(title) = &related.title {
            attrs.push(("title", title));
        }
        out.empty("link", &attrs)?;
    }
    if let Some(description) = &article.description {
        let kind: &[(&str, &str)] = if article.description_is_html {
            &[("type", "html")]
        } else {
            &[]
        };
        out.leaf("summary", kind, description)?;
    }
    match &article.content_html {
        Some(html) => out.leaf("content", &[("type", "html")], html)?,
        // An entry needs content or an alternate link.
        None if article.link.is_none() => out.leaf("content", &[], "")?,
        None => {}
    }
    for topic in &article.categories {
        out.empty("category", &[("term", topic)])?;
    }
    if let Some(category) = &article.category {
        out.empty(
            "category",
            &[("term", category), ("scheme", CATEGORY_SCHEME)],
        )?;
    }
    write_media_content(out, &article.images, &article.media)?;
    if options.lossless {
        extension::write_map(out, "recast:record", &record.fields)?;
    }
    out.close("entry")
}
