//! [`Article`]: one record seen through the profile, as both feed writers need it.

use recast_model::date::DateTime;
use recast_model::{Record, Value};

use crate::FeedWriteOptions;
use crate::profile::map_text;
use crate::xml::write::XmlOut;

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

/// The standard feed elements of one record.
pub(crate) struct Article {
    pub title: Option<String>,
    pub link: Option<String>,
    pub id: Option<String>,
    pub description: Option<String>,
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
}

/// A date field as a feed writes it: an instant ([`FeedWriteOptions::item_date`]).
fn date(options: &FeedWriteOptions, candidates: &[String], record: &Record) -> Option<Date> {
    let text = options.profile.text(candidates, record)?;
    let parsed = options.item_date(&text);
    Some(Date { text, parsed })
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
    pub fn new(record: &Record, options: &FeedWriteOptions) -> Article {
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
                        url: map_text(map, "url")?,
                        width: map_text(map, "width"),
                        height: map_text(map, "height"),
                    }),
                    Value::String(url) => Some(Image {
                        url: url.clone(),
                        width: None,
                        height: None,
                    }),
                    _ => None,
                })
                .collect(),
            Some((_, Value::String(url))) => vec![Image {
                url: url.clone(),
                width: None,
                height: None,
            }],
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
        let content_html = profile
            .pick(&profile.content, record)
            .and_then(|(_, v)| v.as_str())
            .map(markdown_to_html);
        Article {
            title: profile.text(&profile.title, record),
            link: profile.text(&profile.link, record),
            id: profile.text(&profile.id, record),
            description: profile.text(&profile.description, record),
            content_html,
            published: date(options, &profile.published, record),
            updated: date(options, &profile.updated, record),
            provider_name,
            provider_domain,
            categories: profile
                .pick(&profile.categories, record)
                .map(|(_, v)| texts(v))
                .unwrap_or_default(),
            category: profile.text(&profile.category, record),
            images,
            related,
        }
    }

    /// A stable id for an item that has none: a hash of its title, link and date.
    pub fn derived_id(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in [
            &self.title,
            &self.link,
            &self.published.as_ref().map(|d| d.text.clone()),
        ] {
            for byte in part.as_deref().unwrap_or("").bytes().chain([0xFF]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("urn:recast:item:{hash:016x}")
    }
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

/// True for an absolute http(s) URL (an RSS guid that is a permalink).
pub(crate) fn is_web_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://")
}

/// Writes each image as Media RSS `media:content`, which RSS and Atom items share.
pub(crate) fn write_media_content<W: std::io::Write>(
    out: &mut XmlOut<W>,
    images: &[Image],
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
    Ok(())
}
