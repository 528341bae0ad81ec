//! What a user of the JSON readers and writers can set: [`JsonReadOptions`] (the JSON
//! pointer to the records, the safety budgets) and [`JsonWriteOptions`] (the separators
//! of one-line records).

use crate::parser::Limits;

/// The read options of [`JsonReader`](crate::JsonReader) and
/// [`JsonLinesReader`](crate::JsonLinesReader): where the records are, and the safety
/// budgets, each a `Limit` error when exceeded.
///
/// ```
/// use recast_json::{JsonReadOptions, JsonReader};
/// let dump = r#"{"status": "ok", "news": [{"title": "A"}, {"title": "B"}]}"#;
/// let mut options = JsonReadOptions::default();
/// options.select = Some("/news".into());
/// options.max_depth = 32;
/// let records: Vec<_> = JsonReader::with_options(dump.as_bytes(), None, options)
///     .collect::<Result<_, _>>()?;
/// assert_eq!(records.len(), 2);
/// # Ok::<(), recast_model::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsonReadOptions {
    /// Reads the records at a JSON pointer (RFC 6901) instead of the top level: an
    /// array of objects (each a record) or one object. `/news` picks the member
    /// `news`, `/data/items` a nested one, `/results/0` an array element; `~1` stands
    /// for `/` and `~0` for `~` in a key. The members around it are checked but not
    /// built. `""` is the whole document. A pointer that is not valid syntax, or one
    /// that names nothing in the document, is the reader's first (and last) item, an
    /// error. JSON Lines has no document to point into: a
    /// [`JsonLinesReader`](crate::JsonLinesReader) given one yields an error too.
    /// Default `None`.
    pub select: Option<String>,
    /// The deepest nesting of arrays and objects, counted from the top of the document
    /// (a record in a top-level array is at depth 2). Default 128, as serde_json.
    pub max_depth: usize,
    /// The largest record, in bytes of input text; the error trips while reading it,
    /// so a multi-gigabyte line is never held in memory. Default 256 MiB.
    pub max_record_bytes: u64,
    /// The most values (scalars, arrays and objects) in one record. Small values cost
    /// far more memory than their text (`[0,0,0,…]` is two bytes of input for each
    /// value of some 40 bytes), so this budget, not the byte size, bounds the memory a
    /// hostile record can take. Default 10 million.
    pub max_record_values: u64,
}

impl Default for JsonReadOptions {
    fn default() -> JsonReadOptions {
        JsonReadOptions {
            select: None,
            max_depth: 128,
            max_record_bytes: 256 * 1024 * 1024,
            max_record_values: 10_000_000,
        }
    }
}

impl JsonReadOptions {
    /// The parser's budgets.
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            max_depth: self.max_depth,
            max_record_bytes: self.max_record_bytes,
            max_record_values: self.max_record_values,
        }
    }
}

/// The write options of [`JsonWriter`](crate::JsonWriter) and
/// [`JsonLinesWriter`](crate::JsonLinesWriter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsonWriteOptions {
    /// The separators of a one-line record (JSON Lines); a
    /// [`JsonWriter`](crate::JsonWriter)'s array is always indented. Default
    /// [`Spacing::Compact`].
    pub spacing: Spacing,
}

/// The separators of a one-line JSON Lines record.
///
/// ```
/// use recast_json::{JsonLinesWriter, JsonWriteOptions, Spacing};
/// use recast_model::{Record, RecordWriter, Value};
///
/// let mut record = Record::default();
/// record.fields.insert("tags".into(), Value::List(vec!["a".into(), "b".into()]));
/// let mut options = JsonWriteOptions::default();
/// options.spacing = Spacing::Spaced;
/// let mut writer = JsonLinesWriter::new(Vec::new(), options);
/// writer.write_record(&record)?;
/// writer.finish()?;
/// let out = writer.into_inner();
/// assert_eq!(String::from_utf8(out).unwrap(), "{\"tags\": [\"a\", \"b\"]}\n");
/// # Ok::<(), recast_model::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Spacing {
    /// `{"a":1,"b":2}`, as jq -c, serde_json and JavaScript's `JSON.stringify` write.
    #[default]
    Compact,
    /// `{"a": 1, "b": 2}`, as Python's `json.dumps` writes: lets recast rewrite a file
    /// from Python tooling byte for byte.
    Spaced,
}
