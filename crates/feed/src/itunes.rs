//! The iTunes podcast elements (`xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"`),
//! read into and written from one `itunes` map, on items and on the channel.
//!
//! Each element is a key named after it without the prefix: text elements
//! (`itunes:duration`, `explicit`, `episode`, `season`, `author`, `summary`, ...) as
//! their text; `itunes:image` as its `href`; `itunes:owner` as a map of its children
//! (`name`, `email`); `itunes:category` as a list of the categories' `text`, a category
//! with subcategories as a map from its text to theirs:
//!
//! ```yaml
//! itunes:
//!   image: https://pod.example/cover.jpg
//!   owner: {name: Ann, email: ann@pod.example}
//!   category:
//!     - Technology: [Podcasting]
//!     - Comedy
//!   explicit: "false"
//! ```

use std::io::Write;

use recast_model::{Map, Result, Value};

use crate::article::{is_xml_name, scalar_text};
use crate::xml::tree::Element;
use crate::xml::write::XmlOut;

/// The namespace the `itunes:` prefix stands for.
pub const NAMESPACE: &str = crate::xml::namespaces::ITUNES;

/// The `itunes:` children of an item or a channel as one map (empty when none);
/// `skip` names elements other mappings take (`keywords` on items become topics).
pub(crate) fn read(parent: Element<'_>, skip: &[&str]) -> Map {
    let mut map = Map::default();
    for element in parent.elements() {
        if element
            .name()
            .strip_prefix("itunes:")
            .is_some_and(|key| !skip.contains(&key))
        {
            read_element(element, &mut map);
        }
    }
    map
}

/// Adds one `itunes:` element to the map (the first of a name wins, categories add up).
pub(crate) fn read_element(element: Element<'_>, map: &mut Map) {
    let Some(key) = element.name().strip_prefix("itunes:") else {
        return;
    };
    {
        match key {
            "image" => {
                if let Some(href) = element.attr("href").filter(|h| !h.trim().is_empty())
                    && !map.contains_key(key)
                {
                    map.insert(key.into(), Value::from(element.resolve(href.trim())));
                }
            }
            "category" => {
                if let Some(category) = category(element) {
                    match map.get_mut(key) {
                        Some(Value::List(list)) => list.push(category),
                        _ => {
                            map.insert(key.into(), Value::List(vec![category]));
                        }
                    }
                }
            }
            _ if element.elements().next().is_some() => {
                let mut children = Map::default();
                for child in element.elements() {
                    let name = child.name().strip_prefix("itunes:").unwrap_or(child.name());
                    let text = child.text();
                    if !text.trim().is_empty() && !children.contains_key(name) {
                        children.insert(name.into(), Value::from(text.trim()));
                    }
                }
                if !children.is_empty() && !map.contains_key(key) {
                    map.insert(key.into(), Value::Map(children));
                }
            }
            _ => {
                let text = element.text();
                if !text.trim().is_empty() && !map.contains_key(key) {
                    map.insert(key.into(), Value::from(text.trim()));
                }
            }
        }
    }
}

/// One `itunes:category`: its text, or a map from it to its subcategories.
fn category(element: Element<'_>) -> Option<Value> {
    let text = element
        .attr("text")
        .map(str::trim)
        .filter(|t| !t.is_empty())?;
    let subcategories: Vec<Value> = element
        .elements()
        .filter(|e| e.name() == "itunes:category")
        .filter_map(category)
        .collect();
    if subcategories.is_empty() {
        return Some(Value::from(text));
    }
    let mut map = Map::default();
    map.insert(text.into(), Value::List(subcategories));
    Some(Value::Map(map))
}

/// Writes the map back as `itunes:` elements, in its order. A key that cannot be an
/// element name is left out with a warning (the record keeps it).
pub(crate) fn write<W: Write>(out: &mut XmlOut<W>, map: &Map) -> Result<()> {
    for (key, value) in map {
        if !is_xml_name(key) {
            out.warn(&format!(
                "itunes.{key} cannot be an element name, so the item leaves it out (the record keeps it)"
            ));
            continue;
        }
        let name = format!("itunes:{key}");
        match (key.as_str(), value) {
            ("image", value) => {
                if let Some(href) = scalar_text(value) {
                    out.empty(&name, &[("href", &href)])?;
                }
            }
            ("category", value) => write_categories(out, value)?,
            (_, Value::Map(children)) => {
                out.open(&name, &[])?;
                for (child, value) in children {
                    if let Some(text) = scalar_text(value).filter(|_| is_xml_name(child)) {
                        out.leaf(&format!("itunes:{child}"), &[], &text)?;
                    }
                }
                out.close(&name)?;
            }
            (_, value) => {
                if let Some(text) = scalar_text(value) {
                    out.leaf(&name, &[], &text)?;
                }
            }
        }
    }
    Ok(())
}

fn write_categories<W: Write>(out: &mut XmlOut<W>, value: &Value) -> Result<()> {
    let items = match value {
        Value::List(items) => items.as_slice(),
        one => std::slice::from_ref(one),
    };
    for item in items {
        match item {
            Value::Map(map) => {
                for (text, subcategories) in map {
                    out.open("itunes:category", &[("text", text)])?;
                    write_categories(out, subcategories)?;
                    out.close("itunes:category")?;
                }
            }
            other => {
                if let Some(text) = scalar_text(other) {
                    out.empty("itunes:category", &[("text", &text)])?;
                }
            }
        }
    }
    Ok(())
}
