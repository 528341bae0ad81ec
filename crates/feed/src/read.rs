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

use recast_model::{Channel, Error, Map, Origin, Record, RecordReader, Result};

use crate::xml::read::{Step, XmlSource};
use crate::xml::tree::Tree;
use crate::{Profile, extension};

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
///
/// ```
/// let mut options = recast_feed::FeedReadOptions::default();
/// options.profile.apply_mapping("title=headline").unwrap();
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct FeedReadOptions {
    /// Names the fields of records read from feeds recast did not write.
    pub profile: Profile,
}

/// Reads a feed's items as records, streaming; see the [module docs](self) for the
/// mapping. The channel (everything before the first item) is read by `new`, so
/// [`RecordReader::channel`] is ready at once; channel elements after the items are
/// added as they are met. A problem found before the first item (not a feed, a
/// DOCTYPE declaring entities, unreadable input) is the first item the reader yields.
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
    /// The first item (or what went wrong before it), read by `new` while it looked for
    /// the channel.
    pending: Option<Result<Item>>,
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
    /// Opens a feed with the default profile; `file` names it in messages and records'
    /// origins.
    pub fn new(input: R, file: Option<Arc<Path>>) -> FeedReader<R> {
        FeedReader::with_options(input, file, FeedReadOptions::default())
    }

    /// Opens a feed with options: the profile names the fields of feeds recast did not
    /// write. Reads up to the first item; an error before it is the first item.
    pub fn with_options(
        input: R,
        file: Option<Arc<Path>>,
        options: FeedReadOptions,
    ) -> FeedReader<R> {
        let source = XmlSource::new(input, file.clone());
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
        reader.pending = reader.next_item().transpose();
        if reader.pending.is_none() {
            reader.done = true;
        }
        reader
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
            Some(Ok(item)) => Ok(Some(item)),
            // As `new` would have returned it, had it been fallible: no record number.
            Some(Err(opening)) => {
                self.done = true;
                return Some(Err(opening));
            }
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
