//! [`JsonFeedWriter`]: JSON Feed 1.1 from records.

use std::io::Write;

use recast_model::date::DateTime;
use recast_model::{Channel, Error, Map, Number, Record, RecordWriter, Result, Value};

use super::{EXTENSION, VERSION_1_1};
use crate::article::{Article, Person, scalar_text};
use crate::order::{NewestFirst, link_base};
use crate::publish::Publication;
use crate::{FeedWriteOptions, missing_channel};

/// Writes JSON Feed 1.1: records go in one at a time, and [`RecordWriter::finish`] writes
/// the feed, newest first (by the profile's `published` field; undated items last, in
/// arrival order), with [`FeedWriteOptions::limit`] keeping the newest N.
///
/// The feed needs a title (`--feed-title`); `home_page_url`, `feed_url`, `description`,
/// `icon`, `language` and `authors` come from the channel when it has them. Each item
/// has `id`, `url`, `external_url` (`originalUrl` when it differs), `title`,
/// `content_html` (a Markdown body rendered, an HTML body as it is), `summary`,
/// `image`, `date_published` and `date_modified` (RFC 3339), `tags`, `authors` and
/// `attachments` (enclosures, with `duration_in_seconds` from `itunes.duration`); then,
/// when [`FeedWriteOptions::lossless`], the exact record in `_recast`, as the channel is
/// at the top.
///
/// ```
/// use recast_feed::{FeedWriteOptions, JsonFeedWriter, RecordWriter};
/// use recast_model::{Record, Value};
///
/// let mut record = Record::default();
/// record.fields.insert("title".into(), Value::from("Hello"));
/// record.fields.insert("publishedDateTime".into(), Value::from("2024-03-01T09:00:00+01:00"));
/// let mut options = FeedWriteOptions::default();
/// options.channel.title = Some("Blog".into());
/// let mut writer = JsonFeedWriter::new(Vec::new(), options);
/// writer.write_record(&record)?;
/// writer.finish()?;
/// let text = String::from_utf8(writer.into_inner()).unwrap();
/// assert!(text.contains(r#""date_published": "2024-03-01T09:00:00+01:00""#));
/// # Ok::<(), recast_model::Error>(())
/// ```
pub struct JsonFeedWriter<W: Write> {
    output: W,
    channel: Channel,
    options: FeedWriteOptions,
    items: NewestFirst,
    /// Drafts and future posts are left out, as RSS and Atom leave them out.
    publication: Publication,
    checked: bool,
    finished: bool,
}

impl<W: Write> JsonFeedWriter<W> {
    /// A writer of JSON Feed to `output`, with the feed's channel in the options; nothing
    /// is written before [`RecordWriter::finish`].
    pub fn new(output: W, mut options: FeedWriteOptions) -> JsonFeedWriter<W> {
        let channel = std::mem::take(&mut options.channel);
        JsonFeedWriter {
            output,
            channel,
            items: NewestFirst::new(options.limit),
            publication: Publication::new(),
            options,
            checked: false,
            finished: false,
        }
    }

    /// The channel, to fill in after construction, before the first record.
    pub fn channel_mut(&mut self) -> &mut Channel {
        &mut self.channel
    }

    /// The output, after [`RecordWriter::finish`] wrote the feed into it.
    pub fn into_inner(self) -> W {
        self.output
    }
}

impl<W: Write> RecordWriter for JsonFeedWriter<W> {
    fn write_record(&mut self, record: &Record) -> Result<()> {
        self.write_owned(record.clone())
    }

    fn write_owned(&mut self, record: Record) -> Result<()> {
        if !self.checked {
            check_channel(&self.channel)?;
            self.checked = true;
        }
        if !self.publication.admits(&record, &self.options) {
            return Ok(());
        }
        // Ranked as its item will be written: an instant, with the zone assumed (a date
        // from the file name when the front matter has none).
        let date = self
            .options
            .profile
            .published_text(&record)
            .and_then(|text| DateTime::parse(&text))
            .map(|date| date.instant_or_utc(self.options.assume_tz.as_ref()));
        self.items.push(date, record);
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        let title = check_channel(&self.channel)?;
        let records = std::mem::replace(&mut self.items, NewestFirst::new(None)).into_sorted();
        let base = link_base(&self.channel);
        let items = records
            .iter()
            .map(|(_, _, record)| Value::Map(item(record, &self.options, base)))
            .collect();
        self.publication.warn_left_out();
        self.options.warn_at_end();

        let channel = &self.channel;
        let mut feed = Map::default();
        feed.insert("version".into(), Value::from(VERSION_1_1));
        feed.insert("title".into(), Value::from(title));
        put(&mut feed, "home_page_url", channel.link.as_deref());
        put(&mut feed, "feed_url", channel.self_url.as_deref());
        put(&mut feed, "description", channel.description.as_deref());
        put(&mut feed, "icon", channel.image.as_deref());
        put(&mut feed, "language", channel.language.as_deref());
        if let Some(author) = channel.extra.get("author") {
            put_authors(&mut feed, &Person::all(author));
        }
        if let Some(hub) = &self.options.hub {
            let mut websub = Map::default();
            websub.insert("type".into(), Value::from("WebSub"));
            websub.insert("url".into(), Value::from(hub.as_str()));
            feed.insert("hubs".into(), Value::List(vec![Value::Map(websub)]));
        }
        if self.options.lossless && !channel.is_empty() {
            feed.insert(EXTENSION.into(), Value::Map(channel.to_map()));
        }
        feed.insert("items".into(), Value::List(items));
        // Fails only for a number JSON cannot carry (`.inf` from YAML), naming it.
        let mut text = recast_json::to_json_string(&Value::Map(feed), true)?;
        text.push('\n');
        self.output
            .write_all(text.as_bytes())
            .and_then(|()| self.output.flush())
            .map_err(|e| Error::io(None, e))
    }
}

/// The channel's title, which JSON Feed requires.
fn check_channel(channel: &Channel) -> Result<&str> {
    channel
        .title
        .as_deref()
        .ok_or_else(|| missing_channel("JSON Feed", "title", "--feed-title"))
}

/// Adds a text member when there is one.
fn put(object: &mut Map, key: &str, text: Option<&str>) {
    if let Some(text) = text.filter(|text| !text.trim().is_empty()) {
        object.insert(key.into(), Value::from(text));
    }
}

/// `authors`: each person's `name` and `url` (an address alone becomes a `mailto:`
/// URL, since JSON Feed has no email member), `avatar` when the record gives one.
fn put_authors(object: &mut Map, people: &[Person]) {
    let authors: Vec<Value> = people
        .iter()
        .filter_map(|person| {
            let mut author = Map::default();
            put(&mut author, "name", person.name.as_deref());
            let mailto = person.email.as_ref().map(|email| format!("mailto:{email}"));
            put(
                &mut author,
                "url",
                person.url.as_deref().or(mailto.as_deref()),
            );
            put(&mut author, "avatar", person.avatar.as_deref());
            (!author.is_empty()).then_some(Value::Map(author))
        })
        .collect();
    if !authors.is_empty() {
        object.insert("authors".into(), Value::List(authors));
    }
}

/// One record as a JSON Feed item.
fn item(record: &Record, options: &FeedWriteOptions, base: Option<&str>) -> Map {
    let article = Article::new(record, options, base);
    let mut item = Map::default();
    put(&mut item, "id", article.id.as_deref());
    put(&mut item, "url", article.link.as_deref());
    let original = record.text("originalUrl");
    if original != article.link.as_deref() {
        put(&mut item, "external_url", original);
    }
    put(&mut item, "title", article.title.as_deref());
    // JSON Feed wants content in every item: a feed of summaries gives its summary.
    let content = match options.content {
        crate::ContentMode::Summary => article.description.as_deref(),
        _ => article.content_html.as_deref(),
    };
    put(&mut item, "content_html", content);
    // JSON Feed's summary is plain text.
    let summary = match &article.description {
        Some(html) if article.description_is_html => Some(crate::article::html_text(html)),
        other => other.clone(),
    };
    put(&mut item, "summary", summary.as_deref());
    put(
        &mut item,
        "image",
        article.images.first().map(|image| image.url.as_str()),
    );
    for (key, date) in [
        ("date_published", &article.published),
        ("date_modified", &article.updated),
    ] {
        if let Some(date) = date.as_ref().and_then(|date| date.parsed.as_ref()) {
            item.insert(key.into(), Value::from(date.to_rfc3339()));
        }
    }
    let mut tags = article.categories.clone();
    tags.extend(article.category.clone());
    if !tags.is_empty() {
        item.insert(
            "tags".into(),
            Value::List(tags.into_iter().map(Value::String).collect()),
        );
    }
    put_authors(&mut item, &article.authors);
    put(&mut item, "language", record.text("language"));
    let duration = article
        .itunes
        .as_ref()
        .and_then(|itunes| itunes.get("duration"))
        .and_then(scalar_text)
        .and_then(|text| seconds(&text));
    let attachments: Vec<Value> = article
        .enclosures
        .iter()
        .map(|enclosure| {
            let mut attachment = Map::default();
            attachment.insert("url".into(), Value::from(enclosure.url.as_str()));
            // Required by JSON Feed; RSS's `type` is optional.
            let kind = enclosure
                .kind
                .as_deref()
                .unwrap_or("application/octet-stream");
            attachment.insert("mime_type".into(), Value::from(kind));
            if let Some(size) = enclosure
                .length
                .as_deref()
                .and_then(|n| n.trim().parse::<u64>().ok())
            {
                attachment.insert("size_in_bytes".into(), Value::Number(Number::from(size)));
            }
            if let Some(duration) = duration {
                attachment.insert(
                    "duration_in_seconds".into(),
                    Value::Number(Number::from(duration)),
                );
            }
            Value::Map(attachment)
        })
        .collect();
    if !attachments.is_empty() {
        item.insert("attachments".into(), Value::List(attachments));
    }
    if options.lossless {
        item.insert(EXTENSION.into(), Value::Map(record.fields.clone()));
    }
    item
}

/// An iTunes duration (`3600`, `59:30`, `1:02:03`) in seconds.
fn seconds(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    for part in parts {
        total = total
            .checked_mul(60)?
            .checked_add(part.trim().parse().ok()?)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_itunes_writes_them() {
        assert_eq!(seconds("3600"), Some(3600));
        assert_eq!(seconds("59:30"), Some(3570));
        assert_eq!(seconds("1:02:03"), Some(3723));
        assert_eq!(seconds("soon"), None);
    }
}
