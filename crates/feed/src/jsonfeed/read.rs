//! [`JsonFeedReader`]: JSON Feed 1.0 and 1.1 into records.

use std::io::BufRead;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;

use recast_json::{JsonReadOptions, JsonReader};
use recast_model::{Channel, Error, Location, Map, Origin, Record, RecordReader, Result, Value};

use super::{EXTENSION, is_json_feed_version};
use crate::FeedReadOptions;
use crate::profile::Profile;

/// Reads a JSON Feed's items as records. An item with an `_recast` object (recast wrote
/// it losslessly) is that record exactly; any other item is mapped to the archive's
/// field names (the [`Profile`]'s first candidates), as RSS and Atom items are:
///
/// | JSON Feed | field |
/// |---|---|
/// | `id` | `id` |
/// | `url` | `webUrl` |
/// | `external_url` | `originalUrl` |
/// | `title` | `title` |
/// | `summary` | `excerpt` |
/// | `date_published` | `publishedDateTime` (as written) |
/// | `date_modified` | `updatedDateTime` (as written) |
/// | `authors` (1.1), `author` (1.0) | `author`: a name, or a map with `name`, `url`, `avatar` (a list when several) |
/// | `tags` | `topics` |
/// | `image`, `banner_image` | `images` (`url`) |
/// | `attachments` | `enclosure` (`url`, `type`, `length`, `title`, `duration`; a list when several) |
/// | `content_html` (else `content_text`) | `body`, after `markup: html` (`text`) |
/// | any other member | its name, its value |
///
/// The feed's `title`, `home_page_url`, `feed_url`, `description`, `icon` (else
/// `favicon`), `language` and `authors` make the [`Channel`]; a top-level `_recast`
/// object is the channel exactly. The document is read whole (feeds are small) by
/// recast-json, with its budgets; a document that is not JSON, nests deeper than 128
/// levels, or has no JSON Feed `version` is the reader's first item, an error with its
/// line and column.
pub struct JsonFeedReader<R: BufRead> {
    items: std::vec::IntoIter<Value>,
    channel: Channel,
    opening: Option<Error>,
    profile: Profile,
    file: Option<Arc<Path>>,
    count: u64,
    /// The input is read whole by `new`; the type keeps the contract's `XReader<R>`.
    input: PhantomData<fn(R)>,
}

impl<R: BufRead> JsonFeedReader<R> {
    /// Reads a JSON Feed with the default profile; `file` names it in messages and records'
    /// origins.
    pub fn new(input: R, file: Option<Arc<Path>>) -> JsonFeedReader<R> {
        JsonFeedReader::with_options(input, file, FeedReadOptions::default())
    }

    /// Reads a JSON Feed; the profile names the fields of items recast did not write.
    pub fn with_options(
        input: R,
        file: Option<Arc<Path>>,
        options: FeedReadOptions,
    ) -> JsonFeedReader<R> {
        let mut reader = JsonFeedReader {
            items: Vec::new().into_iter(),
            channel: Channel::default(),
            opening: None,
            profile: options.profile,
            file,
            count: 0,
            input: PhantomData,
        };
        match reader.open(input) {
            Ok((channel, items)) => {
                reader.channel = channel;
                reader.items = items.into_iter();
            }
            Err(error) => reader.opening = Some(error),
        }
        reader
    }

    fn at(&self, line: u64, column: u64) -> Location {
        Location::new(self.file.clone(), line, column)
    }

    /// Parses the document and checks that it is a JSON Feed: its channel and items.
    fn open(&self, mut input: R) -> Result<(Channel, Vec<Value>)> {
        // recast-json reads a top-level array as records too: a feed is one object.
        let head = input
            .fill_buf()
            .map_err(|e| Error::io(self.file.clone(), e))?;
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        if let Some(&first) = head.trim_ascii_start().first()
            && first != b'{'
        {
            return Err(Error::syntax(
                self.at(1, 1),
                "not a JSON Feed: the document is not a JSON object",
            ));
        }
        let mut document =
            JsonReader::with_options(input, self.file.clone(), JsonReadOptions::default());
        let mut feed = match document.next() {
            Some(record) => record?.fields,
            None => Map::default(),
        };
        // What follows the object: nothing, or an error naming where it starts.
        document.next().transpose()?;
        match feed.get("version") {
            Some(Value::String(version)) if is_json_feed_version(version) => {}
            _ => {
                return Err(Error::data(
                    self.at(1, 1),
                    "not a JSON Feed: no \"version\": \"https://jsonfeed.org/version/1.1\" (give --from json to read it as JSON)",
                ));
            }
        }
        let items = match feed.shift_remove("items") {
            Some(Value::List(items)) => items,
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                return Err(Error::data(
                    self.at(1, 1),
                    "the JSON Feed's \"items\" is not a list",
                ));
            }
        };
        Ok((channel(feed), items))
    }

    /// The record of one item: its `_recast` object exactly, else its members mapped.
    fn record(&self, item: Value, number: u64) -> Result<Record> {
        let origin = Origin::new(self.file.clone(), 0);
        let Value::Map(mut item) = item else {
            return Err(Error::data(
                self.at(0, 0),
                format!("item {number} of the JSON Feed is not an object"),
            ));
        };
        match item.shift_remove(EXTENSION) {
            Some(Value::Map(exact)) => return Ok(Record::new(exact, origin)),
            Some(other) => {
                // Not recast's: someone else's `_recast`, kept as it is.
                item.insert(EXTENSION.into(), other);
            }
            None => {}
        }
        Ok(Record::new(fields(item, &self.profile), origin))
    }
}

/// The channel from the feed's top-level members (the items taken out).
fn channel(mut feed: Map) -> Channel {
    if let Some(Value::Map(exact)) = feed.shift_remove(EXTENSION) {
        return Channel::from_map(exact);
    }
    let mut take = |key: &str| match feed.shift_remove(key) {
        Some(Value::String(text)) if !text.trim().is_empty() => Some(text),
        _ => None,
    };
    let mut channel = Channel {
        title: take("title"),
        link: take("home_page_url"),
        self_url: take("feed_url"),
        description: take("description"),
        language: take("language"),
        ..Channel::default()
    };
    channel.image = take("icon").or_else(|| take("favicon"));
    feed.shift_remove("version");
    if let Some(author) = authors(&mut feed) {
        channel.extra.insert("author".into(), author);
    }
    channel.extra.extend(feed);
    channel
}

/// `authors` (1.1), else `author` (1.0), taken out: one person or a list; a person with
/// only a name is that name.
fn authors(object: &mut Map) -> Option<Value> {
    let plural = object.shift_remove("authors");
    let singular = object.shift_remove("author");
    let people: Vec<Value> = match plural.or(singular)? {
        Value::List(people) => people.into_iter().filter_map(person).collect(),
        one => person(one).into_iter().collect(),
    };
    one_or_list(people)
}

fn person(value: Value) -> Option<Value> {
    let Value::Map(map) = value else {
        return None;
    };
    match (map.len(), map.get("name")) {
        (0, _) => None,
        (1, Some(Value::String(name))) => Some(Value::String(name.clone())),
        _ => Some(Value::Map(map)),
    }
}

fn one_or_list(mut values: Vec<Value>) -> Option<Value> {
    match values.len() {
        0 => None,
        1 => values.pop(),
        _ => Some(Value::List(values)),
    }
}

/// An item's members under the profile's names, in the order of the table above.
fn fields(mut item: Map, profile: &Profile) -> Map {
    let name = |candidates: &[String]| Profile::name(candidates).to_owned();
    let mut fields = Map::default();
    let put = |fields: &mut Map, key: String, value: Option<Value>| {
        if let Some(value) = value.filter(|value| *value != Value::Null) {
            fields.insert(key, value);
        }
    };
    put(&mut fields, name(&profile.id), item.shift_remove("id"));
    put(&mut fields, name(&profile.link), item.shift_remove("url"));
    put(
        &mut fields,
        "originalUrl".into(),
        item.shift_remove("external_url"),
    );
    put(
        &mut fields,
        name(&profile.title),
        item.shift_remove("title"),
    );
    put(
        &mut fields,
        name(&profile.description),
        item.shift_remove("summary"),
    );
    put(
        &mut fields,
        name(&profile.published),
        item.shift_remove("date_published"),
    );
    put(
        &mut fields,
        name(&profile.updated),
        item.shift_remove("date_modified"),
    );
    if let Some(author) = authors(&mut item) {
        fields.insert(name(&profile.authors), author);
    }
    put(
        &mut fields,
        name(&profile.categories),
        item.shift_remove("tags"),
    );
    let images: Vec<Value> = ["image", "banner_image"]
        .into_iter()
        .filter_map(|key| match item.shift_remove(key) {
            Some(Value::String(url)) => Some(Value::Map(
                [("url".to_owned(), Value::String(url))]
                    .into_iter()
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    if !images.is_empty() {
        fields.insert(name(&profile.images), Value::List(images));
    }
    if let Some(Value::List(attachments)) = item.shift_remove("attachments") {
        let enclosures = attachments.into_iter().filter_map(enclosure).collect();
        if let Some(enclosure) = one_or_list(enclosures) {
            fields.insert(name(&profile.enclosure), enclosure);
        }
    }
    let html = item.shift_remove("content_html");
    let text = item.shift_remove("content_text");
    let (markup, body) = match (html, text) {
        (Some(Value::String(html)), text) => {
            // Other readers' way to keep both: the text version stays a field.
            put(&mut fields, "content_text".into(), text);
            ("html", Some(html))
        }
        (_, Some(Value::String(text))) => ("text", Some(text)),
        _ => ("", None),
    };
    for (key, value) in item {
        put(&mut fields, key, Some(value));
    }
    if let Some(body) = body {
        fields.insert(name(&profile.markup), Value::from(markup));
        fields.insert(recast_model::BODY.into(), Value::String(body));
    }
    fields
}

/// An attachment as an enclosure map, named as RSS's: `url`, `type`, `length`, then
/// JSON Feed's `title` and `duration`.
fn enclosure(attachment: Value) -> Option<Value> {
    let Value::Map(mut attachment) = attachment else {
        return None;
    };
    let mut map = Map::default();
    for (from, to) in [
        ("url", "url"),
        ("mime_type", "type"),
        ("size_in_bytes", "length"),
        ("title", "title"),
        ("duration_in_seconds", "duration"),
    ] {
        if let Some(value) = attachment.shift_remove(from).filter(|v| *v != Value::Null) {
            map.insert(to.into(), value);
        }
    }
    map.contains_key("url").then_some(Value::Map(map))
}

impl<R: BufRead> Iterator for JsonFeedReader<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        if let Some(opening) = self.opening.take() {
            self.items = Vec::new().into_iter();
            return Some(Err(opening));
        }
        let item = self.items.next()?;
        self.count += 1;
        let number = self.count;
        Some(self.record(item, number).map_err(|e| e.in_record(number)))
    }
}

impl<R: BufRead> RecordReader for JsonFeedReader<R> {
    fn channel(&self) -> Option<&Channel> {
        Some(&self.channel)
    }
}
