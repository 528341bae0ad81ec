//! A JSON Schema inferred from an archive (`recast inspect --json-schema`), as a starting
//! point users edit: every record read passes it.
//!
//! What it says, for the records and, recursively, for every map and list in them:
//! - `type`: the JSON types seen (`integer` folds into `number` when both are seen);
//! - `required`: the keys every map at that place has;
//! - `enum`: for text seen only as a small closed set — two to [`ENUM_MAX`] distinct
//!   values, each seen twice on average (`category`, not `title`);
//! - `format`: `date-time` when every text is an RFC 3339 date-time, `date` when every
//!   one is `YYYY-MM-DD`, `uri` when every one is an absolute http(s) URL.
//!
//! Keys absent from some maps are optional; `additionalProperties` is left open, so that
//! new fields do not fail until the user closes the schema.

use std::collections::BTreeSet;

use indexmap::{IndexMap, IndexSet};
use recast_model::date::DateTime;
use recast_model::url::is_web_url;
use recast_model::{Map, Number, Record, Value};

/// Most distinct texts a field may hold and still be an `enum`.
pub const ENUM_MAX: usize = 12;

/// The draft the inferred schema declares.
const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Gathers the shape of records one at a time; [`SchemaInference::schema`] gives the
/// schema.
///
/// ```
/// use recast_migrate::SchemaInference;
/// use recast_model::{Map, Record, Value};
/// let mut inference = SchemaInference::default();
/// for category in ["news", "news", "blog", "blog"] {
///     let mut fields = Map::default();
///     fields.insert("category".into(), Value::from(category));
///     inference.add(&Record::new(fields, Default::default()));
/// }
/// let schema = inference.schema().to_string();
/// assert!(schema.contains(r#""category": {"type": "string", "enum": ["news", "blog"]}"#), "{schema}");
/// ```
#[derive(Debug, Default)]
pub struct SchemaInference {
    records: Shape,
}

impl SchemaInference {
    /// Adds a record's fields.
    pub fn add(&mut self, record: &Record) {
        self.records.add_map(&record.fields);
    }

    /// The schema: an object schema of the records, with `$schema` (draft 2020-12) and a
    /// title.
    pub fn schema(&self) -> Value {
        let mut schema = Map::default();
        schema.insert("$schema".into(), DRAFT.into());
        schema.insert(
            "title".into(),
            "Records (inferred by recast inspect)".into(),
        );
        schema.extend(self.records.schema());
        Value::Map(schema)
    }
}

/// What was seen at one place of the records.
#[derive(Debug, Default)]
struct Shape {
    /// The JSON type names seen.
    types: BTreeSet<&'static str>,
    /// Texts seen: how many, the distinct ones (until there are too many), and which
    /// formats all of them have.
    texts: u64,
    distinct: Option<IndexSet<String>>,
    formats: Formats,
    /// Maps seen at this place, and the shape of each key's values.
    maps: u64,
    keys: IndexMap<String, (u64, Shape)>,
    /// The shape of list items.
    items: Option<Box<Shape>>,
}

/// The formats every text seen so far has.
#[derive(Debug, Clone, Copy)]
struct Formats {
    date_time: bool,
    date: bool,
    uri: bool,
}

impl Default for Formats {
    fn default() -> Formats {
        Formats {
            date_time: true,
            date: true,
            uri: true,
        }
    }
}

impl Shape {
    fn add(&mut self, value: &Value) {
        match value {
            Value::Null => {
                self.types.insert("null");
            }
            Value::Bool(_) => {
                self.types.insert("boolean");
            }
            Value::Number(n) => {
                self.types.insert(number_type(n));
            }
            Value::String(s) => self.add_text(s),
            Value::List(items) => {
                self.types.insert("array");
                let shape = self.items.get_or_insert_with(Box::default);
                items.iter().for_each(|item| shape.add(item));
            }
            Value::Map(map) => self.add_map(map),
        }
    }

    fn add_map(&mut self, map: &Map) {
        self.types.insert("object");
        self.maps += 1;
        for (key, value) in map {
            // Keys repeat from record to record: copy one only the first time.
            let (present, shape) = match self.keys.get_mut(key) {
                Some(entry) => entry,
                None => self.keys.entry(key.clone()).or_default(),
            };
            *present += 1;
            shape.add(value);
        }
    }

    fn add_text(&mut self, text: &str) {
        self.types.insert("string");
        if self.texts == 0 {
            self.distinct = Some(IndexSet::new());
        }
        self.texts += 1;
        if let Some(distinct) = &mut self.distinct
            && !distinct.contains(text)
        {
            match distinct.len() >= ENUM_MAX || text.contains('\n') {
                true => self.distinct = None,
                false => {
                    distinct.insert(text.to_owned());
                }
            }
        }
        let formats = &mut self.formats;
        formats.date = formats.date && is_date(text);
        formats.date_time = formats.date_time && is_date_time(text);
        formats.uri = formats.uri && is_web_url(text);
    }

    fn schema(&self) -> Map {
        let mut schema = Map::default();
        let mut types: Vec<&str> = self.types.iter().copied().collect();
        if types.contains(&"number") {
            types.retain(|t| *t != "integer");
        }
        // A fixed order reads better than the alphabet's.
        let order = [
            "object", "array", "string", "number", "integer", "boolean", "null",
        ];
        types.sort_by_key(|t| order.iter().position(|o| o == t));
        match types.as_slice() {
            [] => {}
            [one] => {
                schema.insert("type".into(), (*one).into());
            }
            many => {
                let many = many.iter().map(|t| Value::from(*t)).collect();
                schema.insert("type".into(), Value::List(many));
            }
        }
        if self.texts > 0 {
            if let Some(distinct) = &self.distinct
                && distinct.len() >= 2
                && (distinct.len() as u64) * 2 <= self.texts
            {
                let values = distinct.iter().map(|s| Value::from(s.as_str())).collect();
                schema.insert("enum".into(), Value::List(values));
                if self.types.contains("null") {
                    // `enum` lists every value allowed, null included.
                    if let Some(Value::List(values)) = schema.get_mut("enum") {
                        values.push(Value::Null);
                    }
                }
            } else if let Some(format) = self.format() {
                schema.insert("format".into(), format.into());
            }
        }
        if self.maps > 0 {
            let properties: Map = (self.keys.iter())
                .map(|(key, (_, shape))| (key.clone(), Value::Map(shape.schema())))
                .collect();
            let required: Vec<Value> = (self.keys.iter())
                .filter(|(_, (present, _))| *present == self.maps)
                .map(|(key, _)| Value::from(key.as_str()))
                .collect();
            schema.insert("properties".into(), Value::Map(properties));
            if !required.is_empty() {
                schema.insert("required".into(), Value::List(required));
            }
        }
        if let Some(items) = &self.items {
            schema.insert("items".into(), Value::Map(items.schema()));
        }
        schema
    }

    fn format(&self) -> Option<&'static str> {
        let formats = self.formats;
        if formats.date_time {
            Some("date-time")
        } else if formats.date {
            Some("date")
        } else if formats.uri {
            Some("uri")
        } else {
            None
        }
    }
}

/// `integer` for a number without a fraction or exponent, else `number`.
fn number_type(n: &Number) -> &'static str {
    match n.is_integer() {
        true => "integer",
        false => "number",
    }
}

/// `YYYY-MM-DD`, a real day.
fn is_date(text: &str) -> bool {
    text.len() == 10 && text.as_bytes()[4] == b'-' && DateTime::parse(text).is_some()
}

/// RFC 3339's `date-time`: `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or an
/// offset `±HH:MM` (JSON Schema's `date-time` format; recast reads more forms as dates,
/// which the format would refuse).
fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b't')
        && bytes[13] == b':'
        && bytes[16] == b':';
    if !shape_ok || DateTime::parse(text).is_none() {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_strict() {
        assert!(is_date_time("2020-11-11T16:36:00Z"));
        assert!(is_date_time("2021-05-12T01:00:00.250+09:00"));
        assert!(!is_date_time("2021-05-12T01:00:00"), "no zone");
        assert!(
            !is_date_time("2021-03-04T10:00:00-0500"),
            "offset without colon"
        );
        assert!(!is_date_time("2016-06-03 13:21:02 -0700"));
        assert!(!is_date_time("2021-02-30T10:00:00Z"), "no such day");
        assert!(is_date("2021-03-04") && !is_date("2021-3-04") && !is_date("2021-02-30"));
    }

    #[test]
    fn shapes_nest_and_required_is_what_every_map_has() {
        let mut inference = SchemaInference::default();
        for n in 0..4i64 {
            let mut image = Map::default();
            image.insert("url".into(), "https://x.org/a.jpg".into());
            if n % 2 == 0 {
                image.insert("width".into(), n.into());
            }
            let mut fields = Map::default();
            fields.insert("images".into(), Value::List(vec![Value::Map(image)]));
            fields.insert(
                "score".into(),
                if n == 0 {
                    Value::from(1i64)
                } else {
                    Value::Number(Number::parse("0.5").unwrap())
                },
            );
            if n > 0 {
                fields.insert("note".into(), Value::Null);
            }
            inference.add(&Record::new(fields, Default::default()));
        }
        assert_eq!(
            inference.schema().to_string(),
            r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Records (inferred by recast inspect)", "type": "object", "properties": {"images": {"type": "array", "items": {"type": "object", "properties": {"url": {"type": "string", "format": "uri"}, "width": {"type": "integer"}}, "required": ["url"]}}, "score": {"type": "number"}, "note": {"type": "null"}}, "required": ["images", "score"]}"#
        );
    }
}
