//! [`Profile`]: which record fields fill which feed elements ("the article profile").

use recast_model::date::DateTime;
use recast_model::{Map, Record, Value};

/// The feed elements a profile maps, with the names `--map` and profile files use.
pub const FEED_FIELDS: [&str; 15] = [
    "title",
    "link",
    "id",
    "description",
    "content",
    "published",
    "updated",
    "provider",
    "categories",
    "category",
    "images",
    "related",
    "authors",
    "enclosure",
    "markup",
];

/// Maps record fields to feed elements. Each feed element has a list of candidate
/// record fields; the first one a record has (as a non-empty value) is used. Readers of
/// feeds name their fields after the first candidate.
///
/// The default reads the archive schema of `samples/` and the front matter of the site
/// generators (Hugo, Jekyll, Zola, Eleventy); docs/feeds.md has the table.
///
/// | feed field | record fields |
/// |---|---|
/// | `title` | `title` |
/// | `link` | `webUrl`, `url`, `link`, `permalink`, `originalUrl` |
/// | `id` | `id`, `guid` (else the link, else a hash of the date and source, never the title) |
/// | `description` | `excerpt`, `description`, `summary` (else the body up to `<!--more-->`) |
/// | `content` | `body` (Markdown) |
/// | `published` | `publishedDateTime`, `date`, `pubDate`, `publishDate`, `published` (a date, not `true`/`false`; else the file's date) |
/// | `updated` | `updatedDateTime`, `lastmod`, `updated`, `modified` |
/// | `provider` | `provider` (a map with `name`, `domain`) |
/// | `categories` | `topics`, `tags`, `categories`, `keywords` (a list or one string) |
/// | `category` | `category` |
/// | `images` | `images`, `image`, `cover`, `thumbnail` (a URL, a map with `url`, `width`, `height`, or a list of them) |
/// | `related` | `related` (a list of maps with `title`, `webUrl`) |
/// | `authors` | `author`, `authors` (a string, a map with `name`, `email`, `url`, or a list of them) |
/// | `enclosure` | `enclosure`, `enclosures`, `audio`, `video` (a URL or a map with `url`, `length`, `type`, or a list of them) |
/// | `markup` | `markup` (`html`: the body is HTML, written as is; else Markdown, rendered) |
///
/// The file's date: a post whose front matter has no date takes the one its file name
/// (`2016-06-03-title.md`) or folders (`2016/06/03/`) give ([`crate::source_date`]).
///
/// ```
/// use recast_feed::Profile;
/// let mut profile = Profile::default();
/// profile.set("link", "permalink").unwrap();
/// profile.apply_text("published: date\n# comment\ncategories = tags\n").unwrap();
/// assert_eq!(profile.link, ["permalink"]);
/// assert_eq!(profile.published, ["date"]);
/// assert_eq!(profile.categories, ["tags"]);
/// assert!(profile.set("colour", "x").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Fields for `title`.
    pub title: Vec<String>,
    /// Fields for `link` (RSS) / `link rel="alternate"` (Atom).
    pub link: Vec<String>,
    /// Fields for `guid` / `id`.
    pub id: Vec<String>,
    /// Fields for `description` / `summary`.
    pub description: Vec<String>,
    /// Fields for `content:encoded` / `content` (the Markdown body, rendered).
    pub content: Vec<String>,
    /// Fields for `pubDate` / `published`.
    pub published: Vec<String>,
    /// Fields for `updated` (Atom).
    pub updated: Vec<String>,
    /// Fields for `dc:publisher` / `author` (a map with `name`, `domain`).
    pub provider: Vec<String>,
    /// Fields for `category` each (a list).
    pub categories: Vec<String>,
    /// Fields for one more `category`, marked with the recast scheme.
    pub category: Vec<String>,
    /// Fields for `media:content` / enclosure links (maps with `url`, `width`, `height`).
    pub images: Vec<String>,
    /// Fields for `link rel="related"` (Atom; maps with `title`, `webUrl`).
    pub related: Vec<String>,
    /// Fields for `author` / `dc:creator` (RSS) and `author` (Atom): a name, a map with
    /// `name`, `email`, `url`, or a list of them.
    pub authors: Vec<String>,
    /// Fields for `enclosure` (RSS) / `link rel="enclosure"` (Atom): a map with `url`,
    /// `length`, `type`, or a list of them.
    pub enclosure: Vec<String>,
    /// Fields saying what the body is: `html` (written as is), else Markdown (rendered).
    pub markup: Vec<String>,
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for Profile {
    fn default() -> Profile {
        Profile {
            title: names(&["title"]),
            link: names(&["webUrl", "url", "link", "permalink", "originalUrl"]),
            id: names(&["id", "guid"]),
            description: names(&["excerpt", "description", "summary"]),
            content: names(&["body"]),
            published: names(&[
                "publishedDateTime",
                "date",
                "pubDate",
                "publishDate",
                "published",
            ]),
            updated: names(&["updatedDateTime", "lastmod", "updated", "modified"]),
            provider: names(&["provider"]),
            categories: names(&["topics", "tags", "categories", "keywords"]),
            category: names(&["category"]),
            images: names(&["images", "image", "cover", "thumbnail"]),
            related: names(&["related"]),
            authors: names(&["author", "authors"]),
            enclosure: names(&["enclosure", "enclosures", "audio", "video"]),
            markup: names(&["markup"]),
        }
    }
}

impl Profile {
    fn slot(&mut self, feed_field: &str) -> Option<&mut Vec<String>> {
        Some(match feed_field {
            "title" => &mut self.title,
            "link" => &mut self.link,
            "id" | "guid" => &mut self.id,
            "description" | "summary" | "excerpt" => &mut self.description,
            "content" | "body" => &mut self.content,
            "published" | "pubDate" | "date" => &mut self.published,
            "updated" => &mut self.updated,
            "provider" | "publisher" => &mut self.provider,
            "authors" | "author" | "creator" => &mut self.authors,
            "enclosure" | "enclosures" => &mut self.enclosure,
            "markup" => &mut self.markup,
            "categories" | "topics" | "tags" => &mut self.categories,
            "category" => &mut self.category,
            "images" | "image" => &mut self.images,
            "related" => &mut self.related,
            _ => return None,
        })
    }

    /// Maps a feed field to record fields (`--map link=permalink`; several fallbacks
    /// separated by commas: `link=permalink,url`).
    pub fn set(&mut self, feed_field: &str, record_fields: &str) -> Result<(), String> {
        let fields: Vec<String> = record_fields
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if fields.is_empty() {
            return Err(format!("--map {feed_field}= names no record field"));
        }
        let slot = self.slot(feed_field.trim()).ok_or_else(|| {
            format!(
                "unknown feed field {feed_field:?} in --map; expected one of {}",
                FEED_FIELDS.join(", ")
            )
        })?;
        *slot = fields;
        Ok(())
    }

    /// Applies one `feedfield=recordfield` mapping, as `--map` gives it.
    pub fn apply_mapping(&mut self, mapping: &str) -> Result<(), String> {
        let (feed, record) = mapping
            .split_once('=')
            .ok_or_else(|| format!("--map {mapping:?}: expected feedfield=recordfield"))?;
        self.set(feed, record)
    }

    /// Applies a profile file: one `feedfield: recordfield` (or `=`) per line, `#`
    /// comments and blank lines ignored. The same text is valid YAML.
    pub fn apply_text(&mut self, text: &str) -> Result<(), String> {
        for (n, line) in text.lines().enumerate() {
            let line = line.split(" #").next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') || line == "---" {
                continue;
            }
            let at = line
                .find([':', '='])
                .ok_or_else(|| format!("line {}: expected `feedfield: recordfield`", n + 1))?;
            let value = line[at + 1..].trim().trim_matches(['"', '\'', '[', ']']);
            self.set(&line[..at], value)
                .map_err(|e| format!("line {}: {e}", n + 1))?;
        }
        Ok(())
    }

    /// The first candidate field the record has, with its name.
    pub(crate) fn pick<'r>(
        &self,
        candidates: &'r [String],
        record: &'r Record,
    ) -> Option<(&'r str, &'r Value)> {
        candidates.iter().find_map(|name| {
            let value = record.fields.get(name)?;
            let present = match value {
                Value::Null => false,
                Value::String(s) => !s.trim().is_empty(),
                Value::List(l) => !l.is_empty(),
                Value::Map(m) => !m.is_empty(),
                _ => true,
            };
            present.then_some((name.as_str(), value))
        })
    }

    /// The first candidate field as text (strings, numbers and booleans).
    pub(crate) fn text<'r>(&self, candidates: &'r [String], record: &'r Record) -> Option<String> {
        match self.pick(candidates, record)?.1 {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The first candidate field holding a date's text. A boolean is not a date: sites
    /// write `published: true`, which must not hide a later candidate.
    pub(crate) fn date_text(&self, candidates: &[String], record: &Record) -> Option<String> {
        candidates.iter().find_map(
            |name| match self.pick(std::slice::from_ref(name), record)?.1 {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            },
        )
    }

    /// The text of a record's publication date: the profile's `published`, else (or when
    /// that cannot be read as a date) the date of its source file's name or folders. It
    /// is never written into the record.
    pub(crate) fn published_text(&self, record: &Record) -> Option<String> {
        let written = self.date_text(&self.published, record);
        if written
            .as_deref()
            .is_some_and(|text| DateTime::parse(text).is_some())
        {
            return written;
        }
        let file = record.origin.file.as_deref();
        file.and_then(crate::source_date::date_from_path)
            .or(written)
    }

    /// The record field name a reader uses for a feed field: the first candidate.
    pub(crate) fn name(candidates: &[String]) -> &str {
        candidates.first().map_or("", String::as_str)
    }
}

/// Text of a map entry, for nested values (`provider.name`, `images[].url`).
pub(crate) fn map_text(map: &Map, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
