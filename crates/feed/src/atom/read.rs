//! Atom entries and feeds into the archive's field names.

use std::borrow::Cow;

use recast_model::{Channel, Map, Value};

use crate::extension::CATEGORY_SCHEME;
use crate::fields::{
    Media, add_channel_category, archive_date, other_text_elements, put, put_feed_body,
    put_one_or_many,
};
use crate::profile::Profile;
use crate::xml::tree::Element;

/// Entry elements the mapping takes (names without the `atom:` prefix).
const TAKEN: &[&str] = &[
    "title",
    "link",
    "id",
    "summary",
    "content",
    "published",
    "updated",
    "author",
    "category",
    "contributor",
    "source",
    "rights",
    "issued",
    "modified",
    "created",
];

/// An Atom element's name without its prefix (`atom:title` → `title`); Atom 0.3 feeds
/// and namespace-less ones use plain names.
fn local<'t>(element: Element<'t>) -> &'t str {
    let name = element.name();
    name.strip_prefix("atom:").unwrap_or(name)
}

fn child<'t>(element: Element<'t>, name: &str) -> Option<Element<'t>> {
    element.elements().find(|e| local(*e) == name)
}

fn children<'t>(element: Element<'t>, name: &str) -> impl Iterator<Item = Element<'t>> {
    element.elements().filter(move |e| local(*e) == name)
}

/// The value of an Atom text construct: text or html as written; xhtml as markup (the
/// wrapping `div` left out).
fn text_construct(element: Element<'_>) -> Option<String> {
    let text = if element.attr("type") == Some("xhtml") {
        match element
            .elements()
            .find(|e| e.name() == "xhtml:div" || e.name() == "div")
        {
            Some(div) => Cow::Owned(div.inner_xml()),
            None => Cow::Owned(element.inner_xml()),
        }
    } else {
        element.text()
    };
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    Some(match element.attr("type") {
        Some("html" | "xhtml") => element.resolve_html(text),
        _ => text.to_owned(),
    })
}

fn child_text(element: Element<'_>, name: &str) -> Option<String> {
    let text = child(element, name)?.text();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The fields of an Atom entry, named by the profile.
pub(crate) fn fields(entry: Element<'_>, profile: &Profile) -> Map {
    let name = |candidates: &[String]| Profile::name(candidates).to_owned();
    let mut fields = Map::default();
    put(
        &mut fields,
        &name(&profile.title),
        child(entry, "title").and_then(text_construct),
    );
    put(
        &mut fields,
        &name(&profile.description),
        child(entry, "summary").and_then(text_construct),
    );
    let published = child_text(entry, "published").or_else(|| child_text(entry, "issued"));
    let updated = child_text(entry, "updated").or_else(|| child_text(entry, "modified"));
    put(
        &mut fields,
        &name(&profile.published),
        published
            .as_ref()
            .or(updated.as_ref())
            .map(|d| archive_date(d)),
    );
    put(
        &mut fields,
        &name(&profile.updated),
        updated.map(|d| archive_date(&d)),
    );

    let mut media = Media::default();
    let mut related = Vec::new();
    let mut link = None;
    for element in children(entry, "link") {
        let Some(href) = element.attr("href").filter(|h| !h.trim().is_empty()) else {
            continue;
        };
        let href = element.resolve(href);
        match element.attr("rel").unwrap_or("alternate") {
            "alternate" if link.is_none() => link = Some(href),
            "enclosure" => media.add_enclosure(href, element.attr("type"), element.attr("length")),
            "related" => {
                let mut map = Map::default();
                if let Some(title) = element.attr("title") {
                    map.insert("title".into(), Value::from(title));
                }
                map.insert("webUrl".into(), Value::from(href));
                related.push(Value::Map(map));
            }
            _ => {}
        }
    }
    let id = child_text(entry, "id");
    // Without an alternate link, an id that is a web address is the link (feedparser too).
    let link = link.or_else(|| id.clone().filter(|id| recast_model::url::is_web_url(id)));
    put(&mut fields, &name(&profile.link), link);
    put(&mut fields, &name(&profile.id), id);
    let authors = children(entry, "author").filter_map(person).collect();
    put_one_or_many(&mut fields, &name(&profile.authors), authors);
    let mut topics = Vec::new();
    for category in children(entry, "category") {
        let Some(term) = category
            .attr("term")
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        if category.attr("scheme") == Some(CATEGORY_SCHEME) {
            fields.insert(name(&profile.category), Value::from(term));
        } else {
            topics.push(Value::from(term));
        }
    }
    crate::rss::read::keywords(entry, &mut topics);
    if !topics.is_empty() {
        fields.insert(name(&profile.categories), Value::List(topics));
    }
    for element in entry.elements() {
        media.add_media_element(element);
    }
    media.into_fields(&mut fields, profile);
    if !related.is_empty() {
        fields.insert(name(&profile.related), Value::List(related));
    }
    let mut others = Map::default();
    other_text_elements(entry, &[], &mut others);
    for (key, value) in others {
        if !TAKEN.contains(&key.strip_prefix("atom:").unwrap_or(&key)) && !fields.contains_key(&key)
        {
            fields.insert(key, value);
        }
    }
    if let Some(content) = child(entry, "content")
        && let Some(body) = text_construct(content)
    {
        let kind = match content.attr("type") {
            Some("html" | "xhtml") => "html",
            _ => "text",
        };
        put_feed_body(&mut fields, profile, kind, body);
    }
    fields
}

/// An Atom person: its name alone when it has nothing else, else a map with `name`,
/// `email`, `url`.
fn person(element: Element<'_>) -> Option<Value> {
    let name = child_text(element, "name");
    let email = child_text(element, "email");
    let url = child_text(element, "uri");
    if let (Some(name), None, None) = (&name, &email, &url) {
        return Some(Value::from(name.as_str()));
    }
    let mut map = Map::default();
    for (key, value) in [("name", name), ("email", email), ("url", url)] {
        if let Some(value) = value {
            map.insert(key.into(), Value::from(value));
        }
    }
    (!map.is_empty()).then_some(Value::Map(map))
}

/// Takes one child of `<feed>` into the channel.
pub(crate) fn apply_channel(channel: &mut Channel, element: Element<'_>) {
    let set = |slot: &mut Option<String>, value: Option<String>| {
        if slot.is_none() {
            *slot = value;
        }
    };
    let text = || text_construct(element);
    match local(element) {
        "title" => set(&mut channel.title, text()),
        "subtitle" | "tagline" => set(&mut channel.description, text()),
        "updated" | "modified" => set(&mut channel.updated, text().map(|d| archive_date(&d))),
        "generator" => set(&mut channel.generator, text()),
        "logo" | "icon" => set(&mut channel.image, text().map(|u| element.resolve(&u))),
        "link" => {
            let href = element.attr("href").map(|h| element.resolve(h));
            match element.attr("rel").unwrap_or("alternate") {
                "self" => set(&mut channel.self_url, href),
                "alternate" => set(&mut channel.link, href),
                _ => {}
            }
        }
        "category" => {
            if let Some(term) = element
                .attr("term")
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                add_channel_category(channel, term.to_owned());
            }
        }
        "author" => {
            if channel.extra.contains_key("author") {
                return;
            }
            let name = child_text(element, "name");
            let uri = child_text(element, "uri");
            let email = child_text(element, "email");
            let value = match (name, uri, email) {
                (Some(name), None, None) => Value::from(name),
                (name, uri, email) => {
                    let mut map = Map::default();
                    for (key, value) in [("name", name), ("uri", uri), ("email", email)] {
                        if let Some(value) = value {
                            map.insert(key.into(), Value::from(value));
                        }
                    }
                    if map.is_empty() {
                        return;
                    }
                    Value::Map(map)
                }
            };
            channel.extra.insert("author".into(), value);
        }
        name if element.elements().next().is_none() => {
            if let Some(text) = text()
                && !channel.extra.contains_key(name)
            {
                channel.extra.insert(name.to_owned(), Value::from(text));
            }
        }
        _ => {}
    }
}
