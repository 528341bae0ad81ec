//! RSS items and channels (0.90–2.0) into the archive's field names.

use recast_model::{Channel, Map, Value};

use crate::extension::CATEGORY_SCHEME;
use crate::fields::{
    Media, add_channel_category, archive_date, other_text_elements, put, put_feed_body,
    put_one_or_many,
};
use crate::profile::Profile;
use crate::xml::tree::Element;

/// Item elements the mapping takes; the rest that hold text keep their own names.
const TAKEN: &[&str] = &[
    "title",
    "dc:title",
    "link",
    "guid",
    "description",
    "content:encoded",
    "pubDate",
    "dc:date",
    "dc:creator",
    "author",
    "dc:publisher",
    "source",
    "category",
    "dc:subject",
    "enclosure",
    "atom:link",
    "atom:updated",
    "itunes:keywords",
    "categories",
];

/// `itunes:keywords` (comma-separated) as more topics, as feedparser reads them.
pub(crate) fn keywords(item: Element<'_>, topics: &mut Vec<Value>) {
    if let Some(keywords) = item.child_text("itunes:keywords") {
        for keyword in keywords.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            topics.push(Value::from(keyword));
        }
    }
}

/// The fields of an RSS item, named by the profile.
pub(crate) fn fields(item: Element<'_>, profile: &Profile) -> Map {
    let name = |candidates: &[String]| Profile::name(candidates).to_owned();
    let mut fields = Map::default();
    put(
        &mut fields,
        &name(&profile.title),
        item.child_text("title")
            .or_else(|| item.child_text("dc:title")),
    );
    let description = item
        .child("description")
        .and_then(|d| item.child_text("description").map(|t| d.resolve_html(&t)));
    put(&mut fields, &name(&profile.description), description);
    let published = item
        .child_text("pubDate")
        .or_else(|| item.child_text("dc:date"))
        .map(|d| archive_date(&d));
    put(&mut fields, &name(&profile.published), published);
    put(
        &mut fields,
        &name(&profile.updated),
        item.child_text("atom:updated").map(|d| archive_date(&d)),
    );

    let guid = item.child("guid").and_then(|g| {
        let text = g.text();
        let text = text.trim();
        (!text.is_empty()).then(|| {
            (
                text.to_owned(),
                g.attr("isPermaLink").map(str::trim) != Some("false"),
                g,
            )
        })
    });
    let link = item
        .child("link")
        .and_then(|l| {
            let text = l.text();
            let text = text.trim();
            (!text.is_empty()).then(|| l.resolve(text))
        })
        .or_else(|| {
            item.children_named("atom:link")
                .find(|l| l.attr("rel").is_none_or(|r| r == "alternate"))
                .and_then(|l| l.attr("href").map(|h| l.resolve(h)))
        })
        .or_else(|| {
            guid.as_ref()
                .filter(|(_, permalink, _)| *permalink)
                .map(|(text, _, g)| g.resolve(text))
        });
    put(&mut fields, &name(&profile.link), link);
    let id = guid
        .map(|(text, _, _)| text)
        .or_else(|| item.attr("rdf:about").map(str::to_owned));
    put(&mut fields, &name(&profile.id), id);
    let authors = item
        .elements()
        .filter(|e| e.name() == "author" || e.name() == "dc:creator")
        .filter_map(|e| {
            let text = e.text();
            let text = text.trim();
            (!text.is_empty()).then(|| Value::from(text))
        })
        .collect();
    put_one_or_many(&mut fields, &name(&profile.authors), authors);
    let provider = item
        .child_text("dc:publisher")
        .or_else(|| item.child_text("source"));
    if let Some(provider) = provider {
        let mut map = Map::default();
        map.insert("name".into(), Value::from(provider));
        if let Some(url) = item.child("source").and_then(|s| s.attr("url")) {
            map.insert("url".into(), Value::from(url));
        }
        fields.insert(name(&profile.provider), Value::Map(map));
    }

    let mut topics = Vec::new();
    // Categories, also inside a wrapper (`<categories><category>`), as feedparser does.
    let wrapped = item
        .elements()
        .filter(|e| e.name() == "categories")
        .flat_map(|e| e.elements());
    for element in item.elements().chain(wrapped) {
        if element.name() != "category" && element.name() != "dc:subject" {
            continue;
        }
        let text = element.text();
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if element.attr("domain") == Some(CATEGORY_SCHEME) {
            fields.insert(name(&profile.category), Value::from(text));
        } else {
            topics.push(Value::from(text));
        }
    }
    keywords(item, &mut topics);
    if !topics.is_empty() {
        fields.insert(name(&profile.categories), Value::List(topics));
    }

    let mut media = Media::default();
    for element in item.elements() {
        if element.name() == "enclosure"
            && let Some(url) = element.attr("url").filter(|u| !u.trim().is_empty())
        {
            media.add_enclosure(
                element.resolve(url),
                element.attr("type"),
                element.attr("length"),
            );
        } else {
            media.add_media_element(element);
        }
    }
    media.into_fields(&mut fields, profile);
    let itunes = crate::itunes::read(item, &["keywords"]);
    if !itunes.is_empty() {
        fields.insert("itunes".into(), Value::Map(itunes));
    }
    other_text_elements(item, TAKEN, &mut fields);
    if let Some(element) = item.child("content:encoded") {
        let body = element.text();
        if !body.trim().is_empty() {
            put_feed_body(
                &mut fields,
                profile,
                "html",
                element.resolve_html(body.trim()),
            );
        }
    }
    fields
}

/// Takes one child of `<channel>` (or of `<rdf:RDF>`) into the channel.
pub(crate) fn apply_channel(channel: &mut Channel, element: Element<'_>) {
    let text = || {
        let t = element.text();
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_owned())
    };
    let set = |slot: &mut Option<String>, value: Option<String>| {
        if slot.is_none() {
            *slot = value;
        }
    };
    match element.name() {
        "title" => set(&mut channel.title, text()),
        "link" => set(&mut channel.link, text().map(|l| element.resolve(&l))),
        "description" => set(&mut channel.description, text()),
        "language" | "dc:language" => set(&mut channel.language, text()),
        "lastBuildDate" | "dc:date" => set(&mut channel.updated, text().map(|d| archive_date(&d))),
        "generator" => set(&mut channel.generator, text()),
        "atom:link" => {
            let href = element.attr("href").map(|h| element.resolve(h));
            match element.attr("rel") {
                Some("self") => set(&mut channel.self_url, href),
                None | Some("alternate") => set(&mut channel.link, href),
                _ => {}
            }
        }
        "image" => set(
            &mut channel.image,
            element.child_text("url").map(|u| element.resolve(&u)),
        ),
        "items" | "textinput" | "textInput" | "cloud" | "skipHours" | "skipDays" => {}
        // Readers list every channel category, Media RSS ones too.
        "category" | "media:category" => {
            if let Some(text) = text() {
                add_channel_category(channel, text);
            }
        }
        name if name.starts_with("itunes:") => {
            if let Some(Value::Map(itunes)) = channel.extra.get_mut("itunes") {
                crate::itunes::read_element(element, itunes);
            } else {
                let mut itunes = Map::default();
                crate::itunes::read_element(element, &mut itunes);
                if !itunes.is_empty() {
                    channel.extra.insert("itunes".into(), Value::Map(itunes));
                }
            }
        }
        name if element.elements().next().is_none() => {
            if let Some(text) = text()
                && !channel.extra.contains_key(name)
            {
                let value = if name == "pubDate" {
                    archive_date(&text)
                } else {
                    text
                };
                channel.extra.insert(name.to_owned(), Value::from(value));
            }
        }
        _ => {}
    }
}
