//! The `recast` extension namespace: the exact record (and channel) inside each item,
//! so that archive → feed → archive loses nothing.
//!
//! ```xml
//! <item xmlns:recast="https://recast.dev/ns/record/1">
//!   <title>AI revolution in medicine</title>          <!-- what readers see -->
//!   ...
//!   <recast:record>                                   <!-- what recast reads back -->
//!     <recast:field name="category">news</recast:field>
//!     <recast:field name="publishedDateTime">2020-11-11T16:36:00Z</recast:field>
//!     <recast:field name="quality" type="integer">39</recast:field>
//!     <recast:field name="provider" type="map">
//!       <recast:field name="name">Harvard Medical School</recast:field>
//!     </recast:field>
//!     <recast:field name="topics" type="list">
//!       <recast:value>AI Ethics</recast:value>
//!     </recast:field>
//!     <recast:field name="body">Markdown source…</recast:field>
//!   </recast:record>
//! </item>
//! ```
//!
//! Every field is a `recast:field` in record order; its `type` is `string` (the
//! default), `integer`, `float` (the number's exact text, `inf`/`-inf`/`nan` included),
//! `bool`, `null`, `list` (children `recast:value`) or `map` (children `recast:field`).
//! Text is kept byte for byte: indentation only ever sits between elements, and a carriage
//! return is written `&#13;`. A string holding characters XML 1.0 cannot carry (control
//! characters) is written with `type="escaped-string"`: `\` becomes `\\` and each such
//! character `\u{1B}`; a field name holding them goes in `escaped-name` the same way.

use std::io::Write;

use recast_model::{Map, Number, Result, Value};

use crate::xml::read::Element;
use crate::xml::write::{XmlOut, has_invalid_chars};

/// The namespace URI of the extension. Stable: feeds written by recast carry it.
pub const NAMESPACE: &str = "https://recast.dev/ns/record/1";

/// The `domain` (RSS) / `scheme` (Atom) that marks a category written from the record's
/// `category` field rather than from its `topics`.
pub const CATEGORY_SCHEME: &str = "https://recast.dev/ns/record/1#category";

/// `\` → `\\`, a character XML cannot carry → `\u{HEX}`.
fn escape_invalid(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if !crate::xml::write::is_xml_char(c) => {
                out.push_str(&format!("\\u{{{:X}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Undoes [`escape_invalid`]; a malformed escape is kept as written.
fn unescape_invalid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("\\\\") {
            out.push('\\');
            rest = after;
        } else if let Some(code) = tail
            .strip_prefix("\\u{")
            .and_then(|t| t.split_once('}'))
            .and_then(|(hex, after)| {
                Some((char::from_u32(u32::from_str_radix(hex, 16).ok()?)?, after))
            })
        {
            out.push(code.0);
            rest = code.1;
        } else {
            out.push('\\');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Writes a map as `recast:field` children of an element named `container`.
pub(crate) fn write_map<W: Write>(out: &mut XmlOut<W>, container: &str, map: &Map) -> Result<()> {
    out.open(container, &[])?;
    for (key, value) in map {
        write_value(out, "recast:field", Some(key), value)?;
    }
    out.close(container)
}

fn write_value<W: Write>(
    out: &mut XmlOut<W>,
    element: &str,
    name: Option<&str>,
    value: &Value,
) -> Result<()> {
    // At most two attributes (name, type): kept on the stack, as this runs for every field.
    let escaped_name;
    let mut attrs: [(&str, &str); 2] = [("", ""); 2];
    let mut count = 0;
    if let Some(name) = name {
        attrs[0] = if has_invalid_chars(name) {
            escaped_name = escape_invalid(name);
            ("escaped-name", &escaped_name)
        } else {
            ("name", name)
        };
        count = 1;
    }
    let kind = match value {
        Value::String(s) if has_invalid_chars(s) => "escaped-string",
        Value::String(_) => "",
        Value::Number(n) if n.is_integer() => "integer",
        Value::Number(_) => "float",
        Value::Bool(_) => "bool",
        Value::Null => "null",
        Value::List(_) => "list",
        Value::Map(_) => "map",
    };
    if !kind.is_empty() {
        attrs[count] = ("type", kind);
        count += 1;
    }
    let attrs = &attrs[..count];
    match value {
        Value::String(s) if kind == "escaped-string" => {
            out.leaf_raw(element, attrs, &escape_invalid(s))
        }
        Value::String(s) => out.leaf_raw(element, attrs, s),
        Value::Number(n) => out.leaf_raw(element, attrs, n.as_str()),
        Value::Bool(b) => out.leaf_raw(element, attrs, if *b { "true" } else { "false" }),
        Value::Null => out.empty(element, attrs),
        Value::List(items) => {
            if items.is_empty() {
                return out.empty(element, attrs);
            }
            out.open(element, attrs)?;
            for item in items {
                write_value(out, "recast:value", None, item)?;
            }
            out.close(element)
        }
        Value::Map(map) => {
            if map.is_empty() {
                return out.empty(element, attrs);
            }
            out.open(element, attrs)?;
            for (key, value) in map {
                write_value(out, "recast:field", Some(key), value)?;
            }
            out.close(element)
        }
    }
}

/// Reads the `recast:field` children of an element back into a map.
pub(crate) fn read_map(element: &Element) -> Result<Map, String> {
    let mut map = Map::default();
    for child in element.elements().filter(|e| e.name == "recast:field") {
        let name = match (child.attr("name"), child.attr("escaped-name")) {
            (Some(name), _) => name.to_owned(),
            (None, Some(escaped)) => unescape_invalid(escaped),
            (None, None) => return Err("a recast:field without a name attribute".into()),
        };
        let value = read_value(child).map_err(|e| format!("field {name:?}: {e}"))?;
        map.insert(name, value);
    }
    Ok(map)
}

fn read_value(element: &Element) -> Result<Value, String> {
    let text = || element.text();
    Ok(match element.attr("type").unwrap_or("string") {
        "string" => Value::String(text()),
        "escaped-string" => Value::String(unescape_invalid(&text())),
        "integer" | "float" => {
            let text = text();
            let number = match text.trim() {
                "inf" => Number::from_f64(f64::INFINITY),
                "-inf" => Number::from_f64(f64::NEG_INFINITY),
                "nan" => Number::from_f64(f64::NAN),
                t => Number::parse(t).ok_or_else(|| format!("{t:?} is not a number"))?,
            };
            Value::Number(number)
        }
        "bool" => match text().trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => return Err(format!("{other:?} is not true or false")),
        },
        "null" => Value::Null,
        "list" => Value::List(
            element
                .elements()
                .filter(|e| e.name == "recast:value")
                .map(read_value)
                .collect::<Result<_, _>>()?,
        ),
        "map" => Value::Map(read_map(element)?),
        other => return Err(format!("unknown type {other:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_characters_escape_reversibly() {
        for text in [
            "bell\u{7} and \\ back\\slash \\u{7}",
            "\u{0}\u{1B}[0m",
            "plain",
        ] {
            assert_eq!(unescape_invalid(&escape_invalid(text)), text);
        }
        assert_eq!(escape_invalid("a\u{1B}b"), "a\\u{1B}b");
    }
}
