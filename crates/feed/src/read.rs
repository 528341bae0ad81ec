//! [`FeedReader`]: RSS 0.90–2.0 and Atom 1.0 into records, one item at a time.
//!
//! A feed recast wrote is rebuilt exactly from its extension namespace. Any other feed
//! is mapped to the archive's field names (the [`Profile`]'s first candidates):
//!
//! | RSS | Atom | field |
//! |---|---|---|
//! | `title` | `title` | `title` |
//! | `description` | `summary` | `excerpt` |
//! | `pubDate`, else `dc:date` | `published`, else `updated` | `publishedDateTime` |
//! | — | `updated` | `updatedDateTime` |
//! | `link` (else a permalink `guid`) | `link rel="alternate"` | `webUrl` |
//! | `guid`, else `rdf:about` | `id` | `id` |
//! | `author`, `dc:creator` | `author` (`name`, `email`, `uri` → `url`) | `author` (a list when several) |
//! | `dc:publisher`, `source` | — | `provider` (`name`, `url`) |
//! | `category`, `dc:subject` | `category term` | `topics` |
//! | `media:content` (images), `media:thumbnail` | the same | `images` (`url`, `width`, `height`) |
//! | other `media:content` | the same | `media` (its attributes) |
//! | `enclosure` | `link rel="enclosure"` | `enclosure` (`url`, `length`, `type`; a list when several) |
//! | `itunes:*` | — | `itunes` (a map: see [`crate::itunes`]) |
//! | — | `link rel="related"` | `related` (`webUrl`, `title`) |
//! | `content:encoded` | `content` (xhtml written back as markup) | `body`, after `markup: html` (Atom text: `text`) |
//! | any other element holding text only | the same | its name (`comments`, `itunes:duration`) |
//!
//! Dates in RFC 822 become RFC 3339 in their own offset (`Wed, 11 Nov 2020 11:36:00
//! -0500` → `2020-11-11T11:36:00-05:00`); RFC 3339 dates are kept as written; a date
//! that cannot be read is kept as its original string, never invented. Relative links
//! are resolved against `xml:base`.
//!
//! The input is decoded from its declared encoding (or BOM) as it streams; a feed that
//! declares nothing and is not UTF-8 is read as windows-1252, with a warning. Entities
//! other than XML's five are never expanded or fetched: a DOCTYPE declaring any is
//! refused, and an undeclared one (`&nbsp;`) stays as written.

use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use recast_model::date::DateTime;
use recast_model::{Channel, Error, Map, Number, Origin, Record, RecordReader, Result, Value};

use crate::xml::read::{Element, Step, Tree, XmlSource};
use crate::{Profile, Warn, extension};

/// The kinds of feed the reader detects from the root element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// `<rss version="2.0">` (and `<rss>` without a version).
    Rss2,
    /// `<rss version="0.91">` or `"0.92"`.
    Rss09,
    /// `<rdf:RDF>`: RSS 1.0 and 0.90.
    Rss1,
    /// `<feed>` in the Atom namespace (or none).
    Atom,
}

/// Options of [`FeedReader`].
#[derive(Clone)]
pub struct FeedReadOptions {
    /// Names the fields of records read from feeds recast did not write.
    pub profile: Profile,
    /// Where warnings go (a guessed encoding, say).
    pub warn: Warn,
}

impl Default for FeedReadOptions {
    fn default() -> FeedReadOptions {
        FeedReadOptions {
            profile: Profile::default(),
            warn: crate::warn_to_stderr(),
        }
    }
}

/// Reads a feed's items as records, streaming; see the [module docs](self) for the
/// mapping. The channel (everything before the first item) is read by `new`, so
/// [`RecordReader::channel`] is ready at once; channel elements after the items are
/// added as they are met.
pub struct FeedReader<R: BufRead> {
    source: XmlSource<R>,
    kind: FeedKind,
    channel: Channel,
    /// The channel came from the extension namespace: exact, not to be overwritten.
    exact_channel: bool,
    /// Open elements outside items: (name, base URI).
    open: Vec<(String, Option<String>)>,
    /// The item read last (or a channel element), reused from item to item.
    tree: Tree,
    /// The first item, read by `new` while it looked for the channel.
    pending: Option<Item>,
    options: FeedReadOptions,
    file: Option<Arc<Path>>,
    count: u64,
    done: bool,
}

/// An item just read: its elements are in [`FeedReader::tree`], less its extension
/// record, which is read straight from the events (the bulk of a lossless item).
struct Item {
    /// The line of its opening tag.
    line: u64,
    /// Its first `recast:record`, read: the fields, or what is wrong with them.
    record: Option<Result<Map, String>>,
}

impl<R: BufRead> FeedReader<R> {
    /// Opens a feed with the default profile, warnings to standard error.
    pub fn new(input: R, file: Option<Arc<Path>>) -> Result<FeedReader<R>> {
        FeedReader::with_options(input, file, FeedReadOptions::default())
    }

    /// Opens a feed with options: the profile names the fields of feeds recast did not
    /// write. Reads up to the first item, so errors before it come from here.
    pub fn with_options(
        input: R,
        file: Option<Arc<Path>>,
        options: FeedReadOptions,
    ) -> Result<FeedReader<R>> {
        let source = XmlSource::new(input, file.clone(), options.warn.clone())?;
        let mut reader = FeedReader {
            source,
            kind: FeedKind::Rss2,
            channel: Channel::default(),
            exact_channel: false,
            open: Vec::new(),
            tree: Tree::default(),
            pending: None,
            options,
            file,
            count: 0,
            done: false,
        };
        reader.pending = reader.next_item()?;
        if reader.pending.is_none() {
            reader.done = true;
        }
        Ok(reader)
    }

    /// The kind of feed, from its root element.
    pub fn kind(&self) -> FeedKind {
        self.kind
    }

    fn base(&self) -> Option<&str> {
        self.open.last().and_then(|(_, base)| base.as_deref())
    }

    /// The base URI of the element just opened: its `xml:base` resolved against its
    /// parent's, else its parent's.
    fn own_base(&self) -> Option<String> {
        match self.source.attr("xml:base") {
            Some(base) => Some(crate::url::resolve(self.base(), base.trim())),
            None => self.base().map(str::to_owned),
        }
    }

    /// Steps to the next item and reads it whole, taking in channel elements on the way.
    fn next_item(&mut self) -> Result<Option<Item>> {
        loop {
            match self.source.step()? {
                Step::Open { empty } => {
                    if self.open.is_empty() {
                        self.kind = match self.source.name() {
                            "rss" => match self.source.attr("version") {
                                Some(v) if v.starts_with("0.9") => FeedKind::Rss09,
                                _ => FeedKind::Rss2,
                            },
                            "rdf:RDF" => FeedKind::Rss1,
                            "atom:feed" | "feed" => FeedKind::Atom,
                            other => {
                                return Err(Error::syntax(
                                    self.source.here(),
                                    format!(
                                        "expected a feed (<rss>, <rdf:RDF> or <feed>), found <{other}>"
                                    ),
                                ));
                            }
                        };
                        if self.kind == FeedKind::Atom
                            && let Some(lang) = self.source.attr("xml:lang")
                            && !lang.trim().is_empty()
                        {
                            self.channel.language = Some(lang.trim().to_owned());
                        }
                        if !empty {
                            self.open
                                .push((self.source.name().to_owned(), self.own_base()));
                        }
                        continue;
                    }
                    let line = self.source.here().line;
                    let name = self.source.name();
                    let is_item = match self.kind {
                        FeedKind::Atom => name == "atom:entry" || name == "entry",
                        _ => name == "item",
                    };
                    if is_item {
                        let record = self.read_item()?;
                        return Ok(Some(Item { line, record }));
                    }
                    if name == "channel" && self.kind != FeedKind::Atom && !empty {
                        self.open.push((name.to_owned(), self.own_base()));
                        continue;
                    }
                    let parent_base = self.base().map(str::to_owned);
                    self.source
                        .read_tree(&mut self.tree, parent_base.as_deref(), |_, _| Ok(false))?;
                    self.take_channel_element();
                }
                Step::Close => {
                    self.open.pop();
                }
                Step::Text => {}
                Step::Eof => {
                    if !self.open.is_empty() {
                        return Err(Error::syntax(
                            self.source.here(),
                            format!(
                                "the document ends inside <{}>",
                                self.open.last().map_or("", |(n, _)| n)
                            ),
                        ));
                    }
                    return Ok(None);
                }
            }
        }
    }

    /// Reads the item whose opening tag was just stepped over into the tree, and its
    /// first `recast:record` child straight into fields.
    fn read_item(&mut self) -> Result<Option<Result<Map, String>>> {
        let parent_base = self.base().map(str::to_owned);
        let mut record = None;
        self.source
            .read_tree(&mut self.tree, parent_base.as_deref(), |source, floor| {
                if record.is_some() || source.name() != "recast:record" {
                    return Ok(false);
                }
                record = Some(extension::read_record(source, floor)?);
                Ok(true)
            })?;
        Ok(record)
    }

    fn take_channel_element(&mut self) {
        let Some(element) = self.tree.root() else {
            return;
        };
        if element.name() == "recast:channel" {
            if let Ok(map) = extension::read_map(element) {
                self.channel = Channel::from_map(map);
                self.exact_channel = true;
            }
            return;
        }
        if self.exact_channel {
            return;
        }
        match self.kind {
            FeedKind::Atom => crate::atom::read::apply_channel(&mut self.channel, element),
            _ => crate::rss::read::apply_channel(&mut self.channel, element),
        }
    }

    fn record(&self, item: Item) -> Result<Record> {
        let origin = Origin::new(self.file.clone(), item.line);
        if let Some(exact) = item.record {
            let fields = exact.map_err(|e| {
                Error::data(
                    recast_model::Location::new(self.file.clone(), item.line, 0),
                    format!("the recast:record of this item is damaged: {e}"),
                )
            })?;
            return Ok(Record::new(fields, origin));
        }
        let Some(item) = self.tree.root() else {
            return Ok(Record::new(Map::default(), origin));
        };
        let profile = &self.options.profile;
        let fields = match self.kind {
            FeedKind::Atom => crate::atom::read::fields(item, profile),
            _ => crate::rss::read::fields(item, profile),
        };
        Ok(Record::new(fields, origin))
    }
}

impl<R: BufRead> Iterator for FeedReader<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        if self.done && self.pending.is_none() {
            return None;
        }
        let next = match self.pending.take() {
            Some(item) => Ok(Some(item)),
            None => self.next_item(),
        };
        self.count += 1;
        let number = self.count;
        match next {
            Ok(Some(item)) => Some(self.record(item).map_err(|e| e.in_record(number))),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e.in_record(number)))
            }
        }
    }
}

impl<R: BufRead> RecordReader for FeedReader<R> {
    fn channel(&self) -> Option<&Channel> {
        Some(&self.channel)
    }
}

// ---- What the RSS and Atom mappings share ----

/// A feed date as an archive keeps it: ISO 8601 / RFC 3339 text as written; RFC 822
/// (however loose) as RFC 3339 in its own offset (without one when it named no zone);
/// anything else as its original string.
pub(crate) fn archive_date(text: &str) -> String {
    let text = text.trim();
    if DateTime::parse_iso(text).is_some() {
        return text.to_owned();
    }
    match DateTime::parse(text) {
        Some(date) => date.to_rfc3339(),
        None => text.to_owned(),
    }
}

/// A number's text as an integer value, else a string.
fn integer_or_text(text: &str) -> Value {
    let text = text.trim();
    match Number::parse(text).filter(Number::is_integer) {
        Some(n) if !text.starts_with('0') || text == "0" => Value::Number(n),
        _ => Value::from(text),
    }
}

/// The media of an item: images (`media:content`, `media:thumbnail`, also inside
/// `media:group`), enclosures (every RSS `enclosure` and Atom `link rel="enclosure"`,
/// whatever its type: readers list them as the item's attachments) and other media
/// (`media:content` that is not an image, as its attributes).
#[derive(Default)]
pub(crate) struct Media {
    pub images: Vec<Value>,
    pub enclosures: Vec<Value>,
    pub others: Vec<Value>,
}

impl Media {
    pub fn add_media_element(&mut self, element: Element<'_>) {
        match element.name() {
            "media:group" => {
                for child in element.elements() {
                    self.add_media_element(child);
                }
            }
            "media:content" | "media:thumbnail" => {
                let Some(url) = element.attr("url").filter(|u| !u.trim().is_empty()) else {
                    return;
                };
                let medium = element.attr("medium").unwrap_or("");
                let kind = element.attr("type").unwrap_or("");
                let image = element.name() == "media:thumbnail"
                    || medium == "image"
                    || kind.starts_with("image/")
                    || (medium.is_empty() && kind.is_empty());
                if image {
                    self.add_image(
                        element.resolve(url),
                        element.attr("width"),
                        element.attr("height"),
                    );
                } else {
                    let mut map = Map::default();
                    for (name, value) in element.attrs() {
                        if name.contains(':') || value.trim().is_empty() {
                            continue;
                        }
                        let value = if name == "url" {
                            element.resolve(value.trim())
                        } else {
                            value.trim().to_owned()
                        };
                        map.insert(name.into(), Value::from(value));
                    }
                    self.others.push(Value::Map(map));
                }
            }
            _ => {}
        }
    }

    pub fn add_image(&mut self, url: String, width: Option<&str>, height: Option<&str>) {
        if self
            .images
            .iter()
            .any(|i| i.as_map().and_then(|m| m.get("url")) == Some(&Value::from(url.as_str())))
        {
            return;
        }
        let mut map = Map::default();
        map.insert("url".into(), Value::from(url));
        if let Some(w) = width.filter(|w| !w.trim().is_empty()) {
            map.insert("width".into(), integer_or_text(w));
        }
        if let Some(h) = height.filter(|h| !h.trim().is_empty()) {
            map.insert("height".into(), integer_or_text(h));
        }
        self.images.push(Value::Map(map));
    }

    pub fn add_enclosure(&mut self, url: String, kind: Option<&str>, length: Option<&str>) {
        let mut map = Map::default();
        map.insert("url".into(), Value::from(url));
        if let Some(length) = length.filter(|l| !l.trim().is_empty()) {
            map.insert("length".into(), integer_or_text(length));
        }
        if let Some(kind) = kind.filter(|k| !k.trim().is_empty()) {
            map.insert("type".into(), Value::from(kind.trim()));
        }
        self.enclosures.push(Value::Map(map));
    }

    /// Puts the media into the fields: `images` (the profile's name), `enclosure` (a map,
    /// or a list when there are several) and `media`.
    pub fn into_fields(self, fields: &mut Map, profile: &Profile) {
        if !self.images.is_empty() {
            fields.insert(
                Profile::name(&profile.images).to_owned(),
                Value::List(self.images),
            );
        }
        put_one_or_many(fields, Profile::name(&profile.enclosure), self.enclosures);
        put_one_or_many(fields, "media", self.others);
    }
}

/// Adds a category to the channel's `category` field: a string for the first, a list
/// from the second.
pub(crate) fn add_channel_category(channel: &mut Channel, text: String) {
    match channel.extra.get_mut("category") {
        Some(Value::List(list)) => list.push(Value::from(text)),
        Some(one) => *one = Value::List(vec![one.clone(), Value::from(text)]),
        None => {
            channel.extra.insert("category".into(), Value::from(text));
        }
    }
}

/// Inserts one value as itself, several as a list, none not at all (`enclosure`, `author`).
pub(crate) fn put_one_or_many(fields: &mut Map, name: &str, mut values: Vec<Value>) {
    if name.is_empty() || values.is_empty() {
        return;
    }
    let value = if values.len() == 1 {
        values.remove(0)
    } else {
        Value::List(values)
    };
    fields.insert(name.to_owned(), value);
}

/// Puts the body read from a feed with its kind before it: `markup: html` (RSS
/// `content:encoded`, Atom html and xhtml content) or `markup: text` (Atom text
/// content), so that writers never take it for Markdown (see [`crate::article`]), in
/// every format the record goes through.
pub(crate) fn put_feed_body(fields: &mut Map, profile: &Profile, markup_kind: &str, body: String) {
    let markup = Profile::name(&profile.markup);
    if !markup.is_empty() {
        fields.insert(markup.to_owned(), Value::from(markup_kind));
    }
    fields.insert(
        Profile::name(&profile.content).to_owned(),
        Value::from(body),
    );
}

/// Elements holding text only that no mapping took: kept under their own names.
pub(crate) fn other_text_elements(item: Element<'_>, taken: &[&str], fields: &mut Map) {
    for child in item.elements() {
        let name = child.name();
        if taken.contains(&name)
            || name.starts_with("media:")
            || name.starts_with("itunes:")
            || name.starts_with("recast:")
            || child.elements().next().is_some()
            || fields.contains_key(name)
        {
            continue;
        }
        let text = child.text();
        let text = text.trim();
        if !text.is_empty() {
            fields.insert(name.to_owned(), Value::from(text));
        }
    }
}

/// Inserts a string field when the text is not empty.
pub(crate) fn put(fields: &mut Map, name: &str, text: Option<String>) {
    if let Some(text) = text.filter(|t| !t.is_empty())
        && !name.is_empty()
    {
        fields.insert(name.to_owned(), Value::from(text));
    }
}
