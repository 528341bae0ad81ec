//! [`Record`], one article, and [`Channel`], the metadata of a whole feed or archive.

use std::path::Path;
use std::sync::Arc;

use crate::value::{Map, Value};

/// The name of the field that holds a record's Markdown body.
///
/// In Markdown files the body is the text after the front matter; every other format
/// carries it as an ordinary string field of this name, so it needs no special case there.
pub const BODY: &str = "body";

/// Where a record came from, for messages: the file (if any) and the 1-based line its
/// text starts on (0 when unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The file, or `None` for standard input.
    pub file: Option<Arc<Path>>,
    /// The 1-based line the record's text starts on, 0 when unknown.
    pub line: u64,
}

impl Origin {
    /// A record read from this file, starting on this line (0 when unknown).
    pub fn new(file: Option<Arc<Path>>, line: u64) -> Origin {
        Origin { file, line }
    }
}

/// `file:line` (`<stdin>` without a file; no line when it is unknown), for messages.
impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(path) => write!(f, "{}", path.display())?,
            None => f.write_str("<stdin>")?,
        }
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        Ok(())
    }
}

/// One article: its fields in source order (the body, if any, is the field `body`) and
/// where it came from.
///
/// Equality compares the fields only, strictly (types, key order, every byte); the origin
/// is only for messages.
///
/// ```
/// use recast_model::{Record, Value};
/// let mut record = Record::default();
/// record.fields.insert("title".into(), Value::from("AI revolution in medicine"));
/// record.set_body("Body text.\n".into());
/// assert_eq!(record.body(), Some("Body text.\n"));
/// assert_eq!(record.fields.keys().collect::<Vec<_>>(), ["title", "body"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The fields in source order; the body, if any, is the field [`BODY`].
    pub fields: Map,
    /// Where the record came from, for messages only.
    pub origin: Origin,
}

impl PartialEq for Record {
    fn eq(&self, other: &Self) -> bool {
        // IndexMap's own equality ignores order; records compare it too.
        self.fields.len() == other.fields.len()
            && self
                .fields
                .iter()
                .zip(&other.fields)
                .all(|(a, b)| a.0 == b.0 && strict_eq(a.1, b.1))
    }
}

/// Equality that also compares the key order of every nested map.
pub fn strict_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(p, q)| p.0 == q.0 && strict_eq(p.1, q.1))
        }
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| strict_eq(p, q))
        }
        _ => a == b,
    }
}

impl Record {
    /// A record with these fields, read from `origin`.
    pub fn new(fields: Map, origin: Origin) -> Record {
        Record { fields, origin }
    }

    /// The Markdown body, when the record has one as a string.
    pub fn body(&self) -> Option<&str> {
        self.fields.get(BODY).and_then(Value::as_str)
    }

    /// Sets the body, keeping the field's position if it exists, else appending it.
    pub fn set_body(&mut self, body: String) {
        self.fields.insert(BODY.to_owned(), Value::String(body));
    }

    /// A field by name, if it is a non-empty string.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields
            .get(field)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }
}

/// Feed-level metadata: a feed's `<channel>`/`<feed>`, a folder archive's `_index.md`.
///
/// The named fields are those both RSS and Atom have; anything else a source carries
/// stays in `extra`, in order, so feed → feed loses nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Channel {
    /// The feed's title (RSS `title`, Atom `title`).
    pub title: Option<String>,
    /// The site the feed belongs to (RSS `link`, Atom `link rel="alternate"`).
    pub link: Option<String>,
    /// What the feed is about (RSS `description`, Atom `subtitle`).
    pub description: Option<String>,
    /// The language tag, such as `en` (RSS `language`, Atom `xml:lang`).
    pub language: Option<String>,
    /// Where the feed itself is published (`atom:link rel="self"`).
    pub self_url: Option<String>,
    /// The feed's image or logo URL (RSS `image/url`, Atom `logo`).
    pub image: Option<String>,
    /// When the feed last changed, as the source wrote it (RSS `lastBuildDate`, Atom
    /// `updated`).
    pub updated: Option<String>,
    /// The program that wrote the feed.
    pub generator: Option<String>,
    /// Every other channel field, in source order.
    pub extra: Map,
}

/// The field names a channel uses in `_index.md` front matter and JSON, in that order.
const CHANNEL_FIELDS: [&str; 8] = [
    "title",
    "link",
    "description",
    "language",
    "selfUrl",
    "image",
    "updated",
    "generator",
];

impl Channel {
    fn slots(&mut self) -> [&mut Option<String>; 8] {
        [
            &mut self.title,
            &mut self.link,
            &mut self.description,
            &mut self.language,
            &mut self.self_url,
            &mut self.image,
            &mut self.updated,
            &mut self.generator,
        ]
    }

    /// Reads a channel from front-matter fields (`_index.md`): the named string fields
    /// fill the slots, everything else goes to `extra`.
    pub fn from_map(map: Map) -> Channel {
        let mut channel = Channel::default();
        for (key, value) in map {
            let slot = CHANNEL_FIELDS.iter().position(|name| *name == key);
            match (slot, value) {
                (Some(i), Value::String(s)) => *channel.slots()[i] = Some(s),
                (_, value) => {
                    channel.extra.insert(key, value);
                }
            }
        }
        channel
    }

    /// The channel as front-matter fields: the named slots first, then `extra`.
    pub fn to_map(&self) -> Map {
        let mut copy = self.clone();
        let mut map = Map::default();
        for (name, slot) in CHANNEL_FIELDS.iter().zip(copy.slots()) {
            if let Some(s) = slot.take() {
                map.insert((*name).to_owned(), Value::String(s));
            }
        }
        map.extend(copy.extra);
        map
    }

    /// True when nothing at all is set.
    pub fn is_empty(&self) -> bool {
        *self == Channel::default()
    }

    /// Fills every slot that is unset here from `other` (flags override `_index.md`).
    pub fn fill_from(&mut self, other: &Channel) {
        let mut other = other.clone();
        for (mine, theirs) in self.slots().into_iter().zip(other.slots()) {
            if mine.is_none() {
                *mine = theirs.take();
            }
        }
        for (key, value) in other.extra {
            self.extra.entry(key).or_insert(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_compare_key_order_strictly() {
        let mut a = Record::default();
        a.fields.insert("x".into(), 1i64.into());
        a.fields.insert("y".into(), 2i64.into());
        let mut b = Record::default();
        b.fields.insert("y".into(), 2i64.into());
        b.fields.insert("x".into(), 1i64.into());
        assert_ne!(a, b);
        let nested = |first: &str, second: &str| {
            let mut inner = Map::default();
            inner.insert(first.into(), Value::Null);
            inner.insert(second.into(), Value::Null);
            Value::List(vec![Value::Map(inner)])
        };
        assert!(!strict_eq(&nested("a", "b"), &nested("b", "a")));
        assert!(strict_eq(&nested("a", "b"), &nested("a", "b")));
    }

    #[test]
    fn channel_round_trips_through_a_map() {
        let mut map = Map::default();
        map.insert("title".into(), "Gazette".into());
        map.insert("selfUrl".into(), "https://x.org/feed.xml".into());
        map.insert("ttl".into(), 60i64.into());
        let channel = Channel::from_map(map.clone());
        assert_eq!(channel.self_url.as_deref(), Some("https://x.org/feed.xml"));
        assert_eq!(channel.extra.get("ttl"), Some(&Value::from(60i64)));
        assert_eq!(channel.to_map(), map);
    }

    #[test]
    fn flags_override_index_metadata() {
        let mut flags = Channel {
            title: Some("From flag".into()),
            ..Channel::default()
        };
        let index = Channel {
            title: Some("From index".into()),
            link: Some("https://x.org/".into()),
            ..Channel::default()
        };
        flags.fill_from(&index);
        assert_eq!(flags.title.as_deref(), Some("From flag"));
        assert_eq!(flags.link.as_deref(), Some("https://x.org/"));
    }
}
