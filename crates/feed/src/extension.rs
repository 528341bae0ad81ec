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

use std::io::{BufRead, Write};

use recast_model::{Map, Number, Result, Value};

use crate::xml::read::{Step, XmlSource};
use crate::xml::tree::Element;
use crate::xml::write::{XmlOut, has_invalid_chars};

/// The namespace URI of the extension. Stable: feeds written by recast carry it.
pub const NAMESPACE: &str = crate::xml::namespaces::RECAST;

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

/// The type of a `recast:field` or `recast:value`, from its `type` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    String,
    EscapedString,
    Number,
    Bool,
    Null,
    List,
    Map,
}

impl Kind {
    fn of(type_attr: Option<&str>) -> Result<Kind, String> {
        Ok(match type_attr.unwrap_or("string") {
            "string" => Kind::String,
            "escaped-string" => Kind::EscapedString,
            "integer" | "float" => Kind::Number,
            "bool" => Kind::Bool,
            "null" => Kind::Null,
            "list" => Kind::List,
            "map" => Kind::Map,
            other => return Err(format!("unknown type {other:?}")),
        })
    }

    /// The value of a field or value of this (scalar) kind holding `text` (all the text
    /// inside the element).
    fn scalar(self, text: &str) -> Result<Value, String> {
        Ok(match self {
            Kind::String => Value::String(text.to_owned()),
            Kind::EscapedString => Value::String(unescape_invalid(text)),
            Kind::Number => Value::Number(match text.trim() {
                "inf" => Number::from_f64(f64::INFINITY),
                "-inf" => Number::from_f64(f64::NEG_INFINITY),
                "nan" => Number::from_f64(f64::NAN),
                t => Number::parse(t).ok_or_else(|| format!("{t:?} is not a number"))?,
            }),
            Kind::Bool => match text.trim() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                other => return Err(format!("{other:?} is not true or false")),
            },
            Kind::Null | Kind::List | Kind::Map => Value::Null,
        })
    }
}

/// The name of a `recast:field`, from its `name` or `escaped-name` attribute.
fn field_name(name: Option<&str>, escaped: Option<&str>) -> Result<String, String> {
    match (name, escaped) {
        (Some(name), _) => Ok(name.to_owned()),
        (None, Some(escaped)) => Ok(unescape_invalid(escaped)),
        (None, None) => Err("a recast:field without a name attribute".into()),
    }
}

/// Reads the `recast:field` children of an element back into a map.
pub(crate) fn read_map(element: Element<'_>) -> Result<Map, String> {
    let mut map = Map::default();
    for child in element.elements().filter(|e| e.name() == "recast:field") {
        let name = field_name(child.attr("name"), child.attr("escaped-name"))?;
        let value = read_value(child).map_err(|e| format!("field {name:?}: {e}"))?;
        map.insert(name, value);
    }
    Ok(map)
}

fn read_value(element: Element<'_>) -> Result<Value, String> {
    Ok(match Kind::of(element.attr("type"))? {
        Kind::List => Value::List(
            element
                .elements()
                .filter(|e| e.name() == "recast:value")
                .map(read_value)
                .collect::<Result<_, _>>()?,
        ),
        Kind::Map => Value::Map(read_map(element)?),
        Kind::Null => Value::Null,
        kind => kind.scalar(&element.text())?,
    })
}

/// Reads a `recast:record` whose opening tag was just stepped over straight from the
/// events into its fields, as [`read_map`] reads one from a tree, without building the
/// tree: a lossless item is mostly its record. `floor` is the depth of the item, for
/// the nesting limit. The outer result is the XML's (well-formedness, the nesting limit);
/// the inner one says what is wrong with the record, once the whole of it was read.
pub(crate) fn read_record<R: BufRead>(
    source: &mut XmlSource<R>,
    floor: usize,
) -> recast_model::Result<Result<Map, String>> {
    if source.is_empty() {
        return Ok(Ok(Map::default()));
    }
    let depth = source.depth();
    let mut record = RecordEvents::default();
    let mut damage = None;
    loop {
        let step = source.step()?;
        match step {
            Step::Open { empty } => {
                source.check_nesting(floor)?;
                if damage.is_none()
                    && let Err(e) = record.open(source, empty)
                {
                    damage = Some(e);
                }
            }
            Step::Close if source.depth() < depth => {
                return Ok(match damage {
                    Some(e) => Err(e),
                    None => Ok(record.finish()),
                });
            }
            Step::Close => {
                if damage.is_none()
                    && let Err(e) = record.close()
                {
                    damage = Some(e);
                }
            }
            Step::Text => record.text(source.text()),
            Step::Eof => return Err(source.ends_inside()),
        }
    }
}

/// A `recast:field` or `recast:value` of type list or map being read.
struct Container {
    /// The field name (None for a `recast:value` and for the record itself).
    name: Option<String>,
    content: Content,
}

enum Content {
    Map(Map),
    List(Vec<Value>),
}

/// A field or value of a scalar type being read (its text collects in
/// [`RecordEvents::text`]). Scalars hold no fields, so there is at most one at a time.
struct Scalar {
    name: Option<String>,
    kind: Kind,
}

/// The state of [`read_record`].
struct RecordEvents {
    /// The record, then each list or map open inside it, innermost last.
    containers: Vec<Container>,
    scalar: Option<Scalar>,
    /// All the text inside `scalar` so far.
    text: String,
    /// Elements open inside one that is ignored (not a field where fields are read, not
    /// a value where values are read) or inside a scalar (whose text still counts).
    inert: usize,
}

impl Default for RecordEvents {
    fn default() -> RecordEvents {
        RecordEvents {
            containers: vec![Container {
                name: None,
                // Records have a dozen or two fields: grow the map once, not four times.
                content: Content::Map(Map::with_capacity_and_hasher(16, Default::default())),
            }],
            scalar: None,
            text: String::new(),
            inert: 0,
        }
    }
}

impl RecordEvents {
    /// What is wrong, said as [`read_map`] says it: inside out, each enclosing field named.
    fn damage(&self, own_name: Option<&str>, what: String) -> String {
        let names = own_name.into_iter().chain(
            self.containers
                .iter()
                .rev()
                .filter_map(|c| c.name.as_deref()),
        );
        names.fold(what, |what, name| format!("field {name:?}: {what}"))
    }

    fn open<R: BufRead>(&mut self, tag: &XmlSource<R>, empty: bool) -> Result<(), String> {
        if self.inert > 0 || self.scalar.is_some() {
            self.inert += usize::from(!empty);
            return Ok(());
        }
        let top = self.containers.last().map(|c| &c.content);
        let (wanted, named) = match top {
            Some(Content::Map(_)) => ("recast:field", true),
            Some(Content::List(_)) | None => ("recast:value", false),
        };
        if tag.name() != wanted {
            self.inert += usize::from(!empty);
            return Ok(());
        }
        let name = match named {
            true => Some(
                field_name(tag.attr("name"), tag.attr("escaped-name"))
                    .map_err(|e| self.damage(None, e))?,
            ),
            false => None,
        };
        let kind = Kind::of(tag.attr("type")).map_err(|e| self.damage(name.as_deref(), e))?;
        match kind {
            Kind::Map => self.containers.push(Container {
                name,
                content: Content::Map(Map::default()),
            }),
            Kind::List => self.containers.push(Container {
                name,
                content: Content::List(Vec::new()),
            }),
            kind => {
                self.text.clear();
                self.scalar = Some(Scalar { name, kind });
            }
        }
        if empty {
            self.close()?;
        }
        Ok(())
    }

    fn text(&mut self, text: &str) {
        if self.scalar.is_some() {
            self.text.push_str(text);
        }
    }

    /// Closes an element inside the record (never the record itself).
    fn close(&mut self) -> Result<(), String> {
        if self.inert > 0 {
            self.inert -= 1;
            return Ok(());
        }
        let (name, value) = match self.scalar.take() {
            Some(Scalar { name, kind }) => {
                let value = kind
                    .scalar(&self.text)
                    .map_err(|e| self.damage(name.as_deref(), e))?;
                (name, value)
            }
            None => {
                if self.containers.len() < 2 {
                    return Ok(());
                }
                let Some(Container { name, content }) = self.containers.pop() else {
                    return Ok(());
                };
                let value = match content {
                    Content::Map(map) => Value::Map(map),
                    Content::List(items) => Value::List(items),
                };
                (name, value)
            }
        };
        match self.containers.last_mut().map(|c| &mut c.content) {
            Some(Content::Map(map)) => {
                map.insert(name.unwrap_or_default(), value);
            }
            Some(Content::List(items)) => items.push(value),
            None => {}
        }
        Ok(())
    }

    fn finish(mut self) -> Map {
        match self.containers.swap_remove(0).content {
            Content::Map(map) => map,
            Content::List(_) => Map::default(),
        }
    }
}

#[cfg(test)]
mod tests {

    use proptest::prelude::*;

    use super::*;
    use crate::xml::tree::Tree;

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

    /// A `recast:record` holding `inner`, read from the events and from a tree: None
    /// when the XML itself is refused (by both).
    fn both_ways(inner: &str) -> Option<(Result<Map, String>, Result<Map, String>)> {
        let xml = format!("<recast:record xmlns:recast=\"{NAMESPACE}\">{inner}</recast:record>");
        let open = || {
            let mut source = XmlSource::new(xml.as_bytes(), None);
            matches!(source.step().ok()?, Step::Open { .. }).then_some(source)
        };
        let streamed = open().and_then(|mut source| {
            let record = read_record(&mut source, 0).ok()?;
            Some((record, source.step().ok()?))
        });
        let mut tree = Tree::default();
        let built = open().and_then(|mut source| {
            source.read_tree(&mut tree, None, |_, _| Ok(false)).ok()?;
            source.step().ok()
        });
        match (streamed, built) {
            (Some((streamed, after)), Some(after_tree)) => {
                assert_eq!(after, after_tree, "both stop where the record ends");
                Some((streamed, read_map(tree.root().unwrap())))
            }
            (None, None) => None,
            (streamed, built) => panic!(
                "one way refused the XML: streamed {:?}, tree {:?}",
                streamed.is_some(),
                built.is_some()
            ),
        }
    }

    #[test]
    fn records_read_from_events_equal_records_read_from_trees() {
        for inner in [
            r#"<recast:field name="a">x</recast:field><recast:field name="n" type="integer"> 7 </recast:field>"#,
            r#"<recast:field name="a" type="list"><recast:value>1</recast:value><junk><recast:value>no</recast:value></junk></recast:field>"#,
            r#"<recast:field name="m" type="map"><recast:field name="k" type="bool">true</recast:field>text</recast:field>"#,
            r#"<recast:field name="s">a<b>b<recast:field name="x">c</recast:field></b>d</recast:field>"#,
            r#"<recast:field name="e" type="list"/><recast:field name="f" type="map"/><recast:field name="g"/>"#,
            r#"<recast:field name="z" type="null">zz<q/></recast:field><recast:field name="f" type="float">-inf</recast:field>"#,
            r#"<recast:field escaped-name="a\u{1B}b" type="escaped-string">x\\y\u{7}</recast:field>"#,
            r#"<recast:field name="a">1</recast:field><recast:field name="a">2</recast:field>"#,
            r#"<recast:field type="integer">1</recast:field>"#,
            r#"<recast:field name="m" type="map"><recast:field name="l" type="list"><recast:value type="int">1</recast:value></recast:field></recast:field>"#,
            r#"<recast:field name="m" type="map"><recast:field name="n" type="integer">x</recast:field><recast:field type="bogus"/></recast:field>"#,
            r#"<recast:field name="l" type="list"><recast:value type="map"><recast:field>no name</recast:field></recast:value></recast:field>"#,
            r#"<recast:field name="c"><![CDATA[<&>]]>&amp;&#x41;&nbsp;</recast:field>"#,
        ] {
            let (streamed, built) = both_ways(inner).expect("well-formed");
            assert_eq!(streamed, built, "{inner}");
        }
    }

    /// Well-formed markup of fields, values and other elements, right and wrong.
    fn markup() -> impl Strategy<Value = String> {
        let leaf = prop::sample::select(vec![
            "12",
            " true ",
            "text",
            "&amp;",
            "<![CDATA[nan]]>",
            "\\u{1B}",
            " ",
            "-inf",
            "<recast:field name=\"i\"/>",
            "<recast:value type=\"list\"/>",
            "<x/>",
            "<recast:value/>",
            "<recast:field name=\"j\" type=\"map\"/>",
        ])
        .prop_map(String::from);
        let tags = prop::sample::select(vec![
            ("recast:field", " name=\"a\""),
            ("recast:field", " name=\"b\" type=\"list\""),
            ("recast:field", " name=\"c\" type=\"map\""),
            ("recast:field", " type=\"integer\""),
            ("recast:field", " name=\"d\" type=\"integer\""),
            ("recast:field", " name=\"e\" type=\"bool\""),
            ("recast:field", " name=\"f\" type=\"null\""),
            ("recast:field", " name=\"g\" type=\"what\""),
            (
                "recast:field",
                " escaped-name=\"h\\u{7}\" type=\"escaped-string\"",
            ),
            ("recast:value", ""),
            ("recast:value", " type=\"map\""),
            ("recast:value", " type=\"float\""),
            ("recast:value", " type=\"list\""),
            ("other", ""),
        ]);
        leaf.prop_recursive(6, 80, 6, move |inner| {
            (tags.clone(), proptest::collection::vec(inner, 0..6)).prop_map(
                |((tag, attrs), children)| format!("<{tag}{attrs}>{}</{tag}>", children.concat()),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn any_markup_reads_the_same_from_events_and_trees(
            parts in proptest::collection::vec(markup(), 0..6)
        ) {
            let (streamed, built) = both_ways(&parts.concat()).expect("well-formed");
            prop_assert_eq!(streamed, built);
        }
    }
}
