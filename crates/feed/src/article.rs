//! [`Article`]: one record seen through the profile, as both feed writers need it.
//!
//! **The body's kind.** A record's `markup` field says what its body is: `html` (bodies
//! read from feeds) is written as it is; `text` (Atom text content) is escaped; anything
//! else, or no field, is Markdown and rendered. The field is a record field like any
//! other (Hugo's front-matter key for the same thing), so the kind survives every
//! format: feed → Markdown folder → JSON → feed never renders HTML as Markdown.
//!
//! **The item id** (Atom `id`, RSS `guid`) must not change when a post is edited:
//! the profile's `id` (`id`, `guid`); else the item's link (the profile's `link`, made
//! absolute against the channel link); else `urn:recast:item:` and a hash of the date
//! as written, the source file's name and the record's line in it — never the title.
//! RSS marks the guid `isPermaLink="true"` only when it is the link.

use recast_model::date::DateTime;
use recast_model::{Map, Record, Value};

use crate::profile::{Profile, map_text};
use crate::xml::write::XmlOut;
use crate::{ContentMode, FeedWriteOptions};

/// A date field: the record's text and, when it can be read, its meaning.
pub(crate) struct Date {
    pub text: String,
    pub parsed: Option<DateTime>,
}

pub(crate) struct Image {
    pub url: String,
    pub width: Option<String>,
    pub height: Option<String>,
}

pub(crate) struct Related {
    pub href: String,
    pub title: Option<String>,
}

/// An author: a name alone (or RSS's `email (name)`), or its parts.
pub(crate) struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
    /// A picture of them (JSON Feed's `avatar`).
    pub avatar: Option<String>,
}

impl Person {
    /// The people of a field: one, or a list.
    pub fn all(value: &Value) -> Vec<Person> {
        one_or_many(value)
            .iter()
            .filter_map(Person::from_value)
            .collect()
    }

    fn from_value(value: &Value) -> Option<Person> {
        match value {
            Value::String(text) if !text.trim().is_empty() => Some(Person::from_text(text.trim())),
            Value::Map(map) => {
                let person = Person {
                    name: map_text(map, "name"),
                    email: map_text(map, "email"),
                    url: ["url", "uri", "href"]
                        .iter()
                        .find_map(|key| map_text(map, key)),
                    avatar: map_text(map, "avatar"),
                };
                (person.name.is_some() || person.email.is_some() || person.url.is_some())
                    .then_some(person)
            }
            _ => None,
        }
    }

    /// A name, an address, or RSS's `address (name)`.
    fn from_text(text: &str) -> Person {
        let (email, name) = match text.split_once(' ') {
            Some((email, rest))
                if looks_like_email(email) && rest.starts_with('(') && rest.ends_with(')') =>
            {
                (Some(email), Some(&rest[1..rest.len() - 1]))
            }
            _ if looks_like_email(text) => (Some(text), None),
            _ => (None, Some(text)),
        };
        Person {
            name: name.map(str::to_owned),
            email: email.map(str::to_owned),
            url: None,
            avatar: None,
        }
    }

    /// The person as RSS 2.0 writes it: `author` holds an address (`address (name)`),
    /// `dc:creator` a name.
    pub fn rss_element(&self) -> Option<(&'static str, String)> {
        match (&self.email, &self.name) {
            (Some(email), Some(name)) => Some(("author", format!("{email} ({name})"))),
            (Some(email), None) => Some(("author", email.clone())),
            (None, Some(name)) => Some(("dc:creator", name.clone())),
            (None, None) => None,
        }
    }
}

fn looks_like_email(text: &str) -> bool {
    text.contains('@') && !text.contains(char::is_whitespace)
}

/// A file attached to an item (a podcast episode): RSS `enclosure`, Atom
/// `link rel="enclosure"`.
pub(crate) struct Enclosure {
    pub url: String,
    pub length: Option<String>,
    pub kind: Option<String>,
}

/// The standard feed elements of one record.
pub(crate) struct Article {
    pub title: Option<String>,
    pub link: Option<String>,
    pub id: Option<String>,
    pub description: Option<String>,
    /// Whether the summary is HTML: taken from the body (`<!--more-->`, the first
    /// paragraph), not from a summary field, which is text.
    pub description_is_html: bool,
    /// The Markdown body rendered to HTML.
    pub content_html: Option<String>,
    pub published: Option<Date>,
    pub updated: Option<Date>,
    pub provider_name: Option<String>,
    pub provider_domain: Option<String>,
    pub categories: Vec<String>,
    pub category: Option<String>,
    pub images: Vec<Image>,
    pub related: Vec<Related>,
    pub authors: Vec<Person>,
    pub enclosures: Vec<Enclosure>,
    /// Other media (`media:content` that is not an image), each as its attributes.
    pub media: Vec<Vec<(String, String)>>,
    /// The iTunes podcast elements (`itunes` map).
    pub itunes: Option<Map>,
}

/// A date's text as a feed writes it: an instant ([`FeedWriteOptions::item_date`]).
fn date(options: &FeedWriteOptions, text: Option<String>) -> Option<Date> {
    let text = text?;
    let parsed = options.item_date(&text);
    Some(Date { text, parsed })
}

/// The mark ending a post's summary in its body (Hugo, Jekyll, Zola, Eleventy).
const MORE: &str = "<!--more-->";

/// The body's first paragraph (up to its first blank line) and the rest; `None` for a
/// body that is blank.
fn first_paragraph(body: &str) -> Option<(&str, &str)> {
    let body = body.trim_start_matches(['\n', '\r']);
    if body.trim().is_empty() {
        return None;
    }
    let end = [body.find("\n\n"), body.find("\r\n\r\n")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(body.len());
    Some(body.split_at(end))
}

/// The MIME type of a media file, from its URL's extension.
fn media_type(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match extension.as_str() {
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" | "oga" => "audio/ogg",
        "opus" => "audio/opus",
        "wav" => "audio/wav",
        "flac" => "audio/flac",
        "aac" => "audio/aac",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "ogv" => "video/ogg",
        "pdf" => "application/pdf",
        _ => return None,
    })
}

/// The items of a value that may be one thing or a list of them.
pub(crate) fn one_or_many(value: &Value) -> &[Value] {
    match value {
        Value::List(items) => items,
        one => std::slice::from_ref(one),
    }
}

/// A scalar's text (strings, numbers, booleans).
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Number(n) => vec![n.to_string()],
        Value::List(items) => items.iter().flat_map(texts).collect(),
        _ => Vec::new(),
    }
}

impl Article {
    /// The record through the profile of `options`, with dates without a zone read in
    /// its `assume_tz`; `base` (the channel's link) makes relative links, ids, images and
    /// enclosures absolute. A record without a link takes the options' `--permalink`.
    /// Relative URLs in the content and summary HTML resolve against the item's link
    /// (else `base`), since readers show that HTML away from the item's page.
    pub fn new(record: &Record, options: &FeedWriteOptions, base: Option<&str>) -> Article {
        let profile = &options.profile;
        let (provider_name, provider_domain) = match profile.pick(&profile.provider, record) {
            Some((_, Value::Map(map))) => (map_text(map, "name"), map_text(map, "domain")),
            Some((_, Value::String(name))) => (Some(name.clone()), None),
            _ => (None, None),
        };
        let images = match profile.pick(&profile.images, record) {
            Some((_, Value::List(items))) => items
                .iter()
                .filter_map(|item| match item {
                    Value::Map(map) => Some(Image {
                        url: crate::url::resolve(base, &map_text(map, "url")?),
                        width: map_text(map, "width"),
                        height: map_text(map, "height"),
                    }),
                    Value::String(url) => Some(Image {
                        url: crate::url::resolve(base, url),
                        width: None,
                        height: None,
                    }),
                    _ => None,
                })
                .collect(),
            Some((_, Value::String(url))) => vec![Image {
                url: crate::url::resolve(base, url),
                width: None,
                height: None,
            }],
            Some((_, Value::Map(map))) => map_text(map, "url")
                .map(|url| Image {
                    url: crate::url::resolve(base, &url),
                    width: map_text(map, "width"),
                    height: map_text(map, "height"),
                })
                .into_iter()
                .collect(),
            _ => Vec::new(),
        };
        let related = match profile.pick(&profile.related, record) {
            Some((_, Value::List(items))) => items
                .iter()
                .filter_map(|item| {
                    let map = item.as_map()?;
                    let href = ["webUrl", "url", "link", "originalUrl"]
                        .iter()
                        .find_map(|key| map_text(map, key))?;
                    Some(Related {
                        href,
                        title: map_text(map, "title"),
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        let markup = profile
            .text(&profile.markup, record)
            .map(|markup| markup.trim().to_ascii_lowercase());
        let body = profile
            .pick(&profile.content, record)
            .and_then(|(_, v)| v.as_str());
        let to_html = |text: &str| match markup.as_deref() {
            Some("html") => text.to_owned(),
            Some("text") => crate::xml::write::escape_text(text).into_owned(),
            _ => markdown_to_html(text),
        };
        let absolute = |link: String| crate::url::resolve(base, &link);
        let link = profile
            .text(&profile.link, record)
            .or_else(|| options.permalink(record))
            .map(absolute);
        // Relative URLs in the item's HTML are relative to the item's page (else the
        // site): readers and mail services show the HTML elsewhere.
        let page = link.as_deref().or(base);
        let item_html = |text: &str| crate::url::resolve_html_owned(page, to_html(text));
        let summary_only = options.content == ContentMode::Summary;
        let content_html = body.filter(|_| !summary_only).map(item_html);
        // Without a summary field, the body up to `<!--more-->` is the summary; a feed of
        // summaries only falls back to the body's first paragraph.
        let summary_field = profile
            .text(&profile.description, record)
            .map(|summary| crate::url::resolve_html_owned(page, summary));
        let description_is_html = summary_field.is_none();
        let description = summary_field.or_else(|| {
            let body = body?;
            let (summary, _) = body
                .split_once(MORE)
                .or_else(|| summary_only.then(|| first_paragraph(body)).flatten())?;
            Some(item_html(summary.trim_end()))
        });
        let id = profile
            .text(&profile.id, record)
            .or_else(|| link.clone())
            .unwrap_or_else(|| derived_id(record, profile));
        let authors = profile
            .pick(&profile.authors, record)
            .map(|(_, value)| {
                one_or_many(value)
                    .iter()
                    .filter_map(Person::from_value)
                    .collect()
            })
            .unwrap_or_default();
        let enclosures = profile
            .pick(&profile.enclosure, record)
            .map(|(_, value)| {
                one_or_many(value)
                    .iter()
                    .filter_map(|item| {
                        let (url, length, kind) = match item {
                            Value::String(url) if !url.trim().is_empty() => {
                                (url.trim().to_owned(), None, None)
                            }
                            Value::Map(map) => (
                                map_text(map, "url")?,
                                map_text(map, "length"),
                                map_text(map, "type"),
                            ),
                            _ => return None,
                        };
                        let kind = kind.or_else(|| media_type(&url).map(str::to_owned));
                        Some(Enclosure {
                            url: absolute(url),
                            length,
                            kind,
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let media = match record.fields.get("media") {
            Some(value) => one_or_many(value)
                .iter()
                .filter_map(|item| {
                    let attrs: Vec<(String, String)> = item
                        .as_map()?
                        .iter()
                        .filter_map(|(k, v)| Some((k.clone(), scalar_text(v)?)))
                        .collect();
                    attrs.iter().any(|(k, _)| k == "url").then_some(attrs)
                })
                .collect(),
            None => Vec::new(),
        };
        Article {
            title: profile.text(&profile.title, record).or_else(|| {
                let file = record.origin.file.as_deref()?;
                crate::source_date::title_from_path(file)
            }),
            link,
            id: Some(id),
            description_is_html: description_is_html && description.is_some(),
            description,
            content_html,
            published: date(options, profile.published_text(record)),
            updated: date(options, profile.date_text(&profile.updated, record)),
            provider_name,
            provider_domain,
            categories: profile
                .pick(&profile.categories, record)
                .map(|(_, v)| texts(v))
                .unwrap_or_default(),
            category: profile.text(&profile.category, record),
            images,
            related,
            authors,
            enclosures,
            media,
            itunes: record.fields.get("itunes").and_then(Value::as_map).cloned(),
        }
    }

    /// True when the id is the item's link (RSS `isPermaLink`).
    pub fn id_is_link(&self) -> bool {
        match (&self.id, &self.link) {
            (Some(id), Some(link)) => id == link,
            (Some(id), None) => recast_model::url::is_web_url(id),
            _ => false,
        }
    }
}

/// The id of an item with no id and no link: a hash of what does not change when the
/// post is edited — its date (as written), its source file's name and its line there —
/// never the title (fixing a typo must not make readers show the post twice). A record
/// with none of these (built in memory) hashes its fields other than the title.
fn derived_id(record: &Record, profile: &Profile) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |text: &str| {
        for byte in text.bytes().chain([0xFF]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    let date = profile.date_text(&profile.published, record);
    let file = record
        .origin
        .file
        .as_deref()
        .and_then(|f| f.file_name())
        .map(|name| name.to_string_lossy().into_owned());
    if date.is_none() && file.is_none() {
        let title = Profile::name(&profile.title);
        for (key, value) in record.fields.iter().filter(|(key, _)| *key != title) {
            add(key);
            add(&format!("{value:?}"));
        }
    } else {
        add(date.as_deref().unwrap_or(""));
        add(file.as_deref().unwrap_or(""));
        add(&record.origin.line.to_string());
    }
    format!("urn:recast:item:{hash:016x}")
}

/// Renders Markdown (CommonMark with tables, footnotes, strikethrough, task lists) to HTML.
pub(crate) fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    out
}

/// Writes each image, then each other medium, as Media RSS `media:content`, which RSS
/// and Atom items share.
pub(crate) fn write_media_content<W: std::io::Write>(
    out: &mut XmlOut<W>,
    images: &[Image],
    media: &[Vec<(String, String)>],
) -> recast_model::Result<()> {
    for image in images {
        let mut attrs = vec![("url", image.url.as_str()), ("medium", "image")];
        if let Some(width) = &image.width {
            attrs.push(("width", width));
        }
        if let Some(height) = &image.height {
            attrs.push(("height", height));
        }
        out.empty("media:content", &attrs)?;
    }
    for attrs in media {
        let attrs: Vec<(&str, &str)> = attrs
            .iter()
            .filter(|(name, _)| is_xml_name(name))
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        out.empty("media:content", &attrs)?;
    }
    Ok(())
}

/// True for a key that can be an element or attribute name without a prefix (a
/// conservative subset of XML's names).
pub(crate) fn is_xml_name(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The text of an HTML fragment, for fields that must be plain text (JSON Feed's
/// `summary`): tags dropped, the common entities decoded, white space collapsed.
pub(crate) fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        rest = rest[start..]
            .find('>')
            .map_or("", |end| &rest[start + end + 1..]);
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
