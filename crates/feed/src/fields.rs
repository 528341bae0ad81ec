//! Record fields from feed elements: what the RSS and Atom mappings
//! ([`crate::rss`], [`crate::atom`]) share.

use recast_model::date::DateTime;
use recast_model::{Channel, Map, Number, Value};

use crate::Profile;
use crate::xml::tree::Element;

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
