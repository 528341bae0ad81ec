//! [`RssWriter`]: RSS 2.0 from records.

use std::io::Write;

use recast_model::date::DateTime;
use recast_model::{Channel, Record, RecordWriter, Result, Value};

use crate::article::{Article, Person, one_or_many, scalar_text, write_media_content};
use crate::extension::{self, CATEGORY_SCHEME};
use crate::order::{PendingFeed, RenderedItem};
use crate::xml::write::XmlOut;
use crate::{FeedWriteOptions, missing_channel};

/// Writes RSS 2.0: records go in one at a time, and [`RecordWriter::finish`] writes the
/// feed, newest first (by the profile's `published` field; undated items last, in
/// arrival order). Without a limit, each item is written as it comes and kept as bytes
/// (in a temporary file past a few megabytes), so memory stays flat.
///
/// The channel needs a title, link and description (`--feed-title`, `--feed-link`,
/// `--feed-description`); `finish` names the missing one. Each item has `title`,
/// `link`, `guid`, `description`, `content:encoded` (the Markdown body as HTML, an HTML
/// body as it is), `pubDate` (RFC 822), `author`/`dc:creator`, `dc:publisher`,
/// `category`, `enclosure`, `media:content` and the `itunes:` elements, then the exact
/// record in the [`extension`] namespace.
pub struct RssWriter<W: Write> {
    pending: PendingFeed<W>,
}

impl<W: Write> RssWriter<W> {
    /// A writer of RSS to `output`, with the feed's channel in the options; nothing is written
    /// before [`RecordWriter::finish`].
    pub fn new(output: W, options: FeedWriteOptions) -> RssWriter<W> {
        RssWriter {
            pending: PendingFeed::new(output, options, render_item),
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

impl<W: Write> RecordWriter for RssWriter<W> {
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
        let newest = items.first_date();
        let build_date = channel
            .updated
            .as_deref()
            .and_then(DateTime::parse)
            .map(|date| date.instant_or_utc(options.assume_tz.as_ref()))
            .or(newest);
        let (head, used) = XmlOut::head(2, options.invalid_chars, |out| {
            write_channel(out, channel, options, build_date)
        })?;
        let mut root = vec![("version", "2.0")];
        root.extend(used.union(items.used()).declarations());

        let mut out = XmlOut::document(&mut self.pending.output, options.invalid_chars);
        out.declaration()?;
        if let Some(stylesheet) = &options.stylesheet {
            out.stylesheet(stylesheet)?;
        }
        out.open("rss", &root)?;
        out.open("channel", &[])?;
        out.raw(&head)?;
        items.write_to(&mut out, "")?;
        out.close("channel")?;
        out.close("rss")?;
        out.end_document()
    }
}

/// The channel's own elements, before its items: what RSS requires, then what the channel
/// has of the optional ones.
fn write_channel<W: Write>(
    out: &mut XmlOut<W>,
    channel: &Channel,
    options: &FeedWriteOptions,
    build_date: Option<DateTime>,
) -> Result<()> {
    let (title, link, description) = check_channel(channel)?;
    out.leaf("title", &[], title)?;
    out.leaf("link", &[], link)?;
    out.leaf("description", &[], description)?;
    if let Some(language) = &channel.language {
        out.leaf("language", &[], language)?;
    }
    if let Some(self_url) = &channel.self_url {
        out.empty(
            "atom:link",
            &[
                ("href", self_url),
                ("rel", "self"),
                ("type", "application/rss+xml"),
            ],
        )?;
    }
    if let Some(hub) = &options.hub {
        out.empty("atom:link", &[("href", hub), ("rel", "hub")])?;
    }
    if let Some(image) = &channel.image {
        out.open("image", &[])?;
        out.leaf("url", &[], image)?;
        out.leaf("title", &[], title)?;
        out.leaf("link", &[], link)?;
        out.close("image")?;
    }
    if let Some(date) = build_date {
        out.leaf("lastBuildDate", &[], &date.to_rfc2822())?;
    }
    if let Some(generator) = &channel.generator {
        out.leaf("generator", &[], generator)?;
    }
    write_channel_extras(out, channel)?;
    if let Some(Value::Map(itunes)) = channel.extra.get("itunes") {
        crate::itunes::write(out, itunes)?;
    }
    if options.lossless && !channel.is_empty() {
        extension::write_map(out, "recast:channel", &channel.to_map())?;
    }
    Ok(())
}

/// The channel's optional RSS elements kept from a feed read (`_index.md` fields named
/// like them): who runs it, its rights and categories, and an Atom feed's `author`
/// (`managingEditor` with an address, else `dc:creator`).
fn write_channel_extras<W: Write>(out: &mut XmlOut<W>, channel: &Channel) -> Result<()> {
    for name in ["copyright", "managingEditor", "webMaster", "dc:creator"] {
        if let Some(text) = channel.extra.get(name).and_then(scalar_text) {
            out.leaf(name, &[], &text)?;
        }
    }
    if !channel.extra.contains_key("managingEditor")
        && !channel.extra.contains_key("dc:creator")
        && let Some(author) = channel.extra.get("author")
    {
        for person in Person::all(author) {
            if let Some((element, text)) = person.rss_element() {
                let element = if element == "author" {
                    "managingEditor"
                } else {
                    element
                };
                out.leaf(element, &[], &text)?;
            }
        }
    }
    if let Some(categories) = channel.extra.get("category") {
        for category in one_or_many(categories).iter().filter_map(scalar_text) {
            out.leaf("category", &[], &category)?;
        }
    }
    Ok(())
}

/// The channel's title, link and description, which RSS requires.
fn check_channel(channel: &Channel) -> Result<(&str, &str, &str)> {
    let title = channel
        .title
        .as_deref()
        .ok_or_else(|| missing_channel("RSS", "title", "--feed-title"))?;
    let link = channel
        .link
        .as_deref()
        .ok_or_else(|| missing_channel("RSS", "link", "--feed-link"))?;
    let description = channel
        .description
        .as_deref()
        .ok_or_else(|| missing_channel("RSS", "description", "--feed-description"))?;
    Ok((title, link, description))
}

/// Writes one record as an `item`, at its depth inside `rss` and `channel`.
fn render_item(
    options: &FeedWriteOptions,
    base: Option<&str>,
    number: u64,
    record: &Record,
) -> RenderedItem {
    let article = Article::new(record, options, base);
    let date = article.published.as_ref().and_then(|d| d.parsed);
    let mut out = XmlOut::item(2, options.invalid_chars);
    let result = write_item(&mut out, options, number, date, record, &article);
    RenderedItem {
        written: out.into_item(result),
        rank_date: date,
        own_date: None,
        has_provider: true,
    }
}

fn write_item<W: Write>(
    out: &mut XmlOut<W>,
    options: &FeedWriteOptions,
    number: u64,
    date: Option<DateTime>,
    record: &Record,
    article: &Article,
) -> Result<()> {
    out.record_title = article.title.clone();
    out.record = Some(number);
    out.open("item", &[])?;
    // RSS wants a title or a description in every item.
    if article.title.is_some() || article.description.is_none() {
        out.leaf("title", &[], article.title.as_deref().unwrap_or(""))?;
    }
    if let Some(link) = &article.link {
        out.leaf("link", &[], link)?;
    }
    if let Some(description) = &article.description {
        out.leaf("description", &[], description)?;
    }
    if let Some(html) = &article.content_html {
        out.leaf("content:encoded", &[], html)?;
    }
    if let Some(id) = &article.id {
        let permalink = if article.id_is_link() {
            "true"
        } else {
            "false"
        };
        out.leaf("guid", &[("isPermaLink", permalink)], id)?;
    }
    for author in &article.authors {
        if let Some((element, text)) = author.rss_element() {
            out.leaf(element, &[], &text)?;
        }
    }
    match (date, &article.published) {
        (Some(date), _) => out.leaf("pubDate", &[], &date.to_rfc2822())?,
        (None, Some(unread)) => out.warn(&format!(
            "its date {:?} cannot be read, so the item has no pubDate (the record keeps it)",
            unread.text
        )),
        (None, None) => {}
    }
    if let Some(name) = &article.provider_name {
        out.leaf("dc:publisher", &[], name)?;
    }
    for topic in &article.categories {
        out.leaf("category", &[], topic)?;
    }
    if let Some(category) = &article.category {
        out.leaf("category", &[("domain", CATEGORY_SCHEME)], category)?;
    }
    for enclosure in &article.enclosures {
        // RSS requires length and type; a reader takes 0 as "unknown".
        out.empty(
            "enclosure",
            &[
                ("url", &enclosure.url),
                ("length", enclosure.length.as_deref().unwrap_or("0")),
                ("type", enclosure.kind.as_deref().unwrap_or("")),
            ],
        )?;
    }
    write_media_content(out, &article.images, &article.media)?;
    if let Some(itunes) = &article.itunes {
        crate::itunes::write(out, itunes)?;
    }
    if options.lossless {
        extension::write_map(out, "recast:record", &record.fields)?;
    }
    out.close("item")
}
