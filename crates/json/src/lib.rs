//! recast-json: records in JSON — an array of objects (read as a stream), an object
//! inside an API dump picked by a JSON pointer, and JSON Lines.
//!
//! ```
//! use recast_json::{JsonLinesWriter, JsonReadOptions, JsonReader, JsonWriteOptions};
//! use recast_model::{RecordWriter, Result};
//!
//! let dump = r#"{"status": "ok",
//!   "news": [{"title": "Café", "score": 1.0}, {"title": "B", "id": 12345678901234567890123}]}"#;
//!
//! let mut options = JsonReadOptions::default();
//! options.select = Some("/news".into());
//! let mut writer = JsonLinesWriter::new(Vec::new(), JsonWriteOptions::default());
//! for record in JsonReader::with_options(dump.as_bytes(), None, options) {
//!     writer.write_record(&record?)?;
//! }
//! writer.finish()?;
//!
//! // Key order, UTF-8 text and every number's spelling are kept.
//! assert_eq!(
//!     String::from_utf8(writer.into_inner()).unwrap(),
//!     "{\"title\":\"Café\",\"score\":1.0}\n{\"title\":\"B\",\"id\":12345678901234567890123}\n"
//! );
//! # Ok::<(), recast_model::Error>(())
//! ```
//!
//! # Decisions
//!
//! - **Parser.** A small hand-written byte-level parser, not serde_json: it streams the
//!   elements of the top-level (or selected) array one at a time, skips unselected
//!   members without building them, reports the line and column of every error, and
//!   builds recast [`Value`]s directly with numbers kept as their text.
//! - **Numbers** keep their text exactly (`1.0`, `-0.0`, `1.5e300`, integers of any
//!   size) and are written back as that text.
//! - **Duplicate keys** in an object are a `Data` error naming the key (RFC 8259 leaves
//!   them undefined and tools disagree on which one wins; silently dropping data is
//!   worse than asking). The record is skipped, the reader goes on with the next.
//! - **Strings** must be UTF-8 (`Encoding` error with line and column otherwise); a
//!   `\u` escape of a lone surrogate, which no UTF-8 text can hold, is an `Encoding`
//!   error too.
//! - **Limits** ([`JsonReadOptions`]): nesting depth 128, records of 256 MiB and of 10 million
//!   values by default, each a `Limit` error; nesting is parsed without recursion, so
//!   no input overflows the stack.
//! - **Empty input** (only whitespace) is an array of no records; several top-level
//!   objects or arrays one after another (concatenated JSON) are read in turn, as jq
//!   and Miller do.
//! - **Errors and recovery**: every error has the file, line and column (characters,
//!   not bytes) and says what was expected and what was found. JSON Lines goes on with
//!   the next line after any bad one; a JSON array goes on after a record-level
//!   problem (not an object, a duplicate key) and ends after a syntax, encoding,
//!   limit or I/O one.
//! - **Writing**: only `"`, `\` and control characters are escaped; the body is the
//!   ordinary field `body`. Numbers that JSON cannot carry (`inf`, `nan`) are a `Data`
//!   error naming the record and the field.

mod input;
mod options;
mod parser;
mod plain_run;
mod pointer;
mod read;
mod split;
mod write;

pub use options::{JsonReadOptions, JsonWriteOptions, Spacing};
pub use read::{JsonLinesReader, JsonReader};
pub use split::{LineSplitter, LinesBefore, LinesPiece};
pub use write::{JsonLinesWriter, JsonWriter};

use recast_model::{Result, Value};

use crate::parser::Parser;
use crate::write::Layout;

/// Parses one JSON value (the CLI's `--set key=JSON`, a profile's defaults): numbers
/// exact, key order kept, duplicate keys refused, nothing but whitespace after it.
///
/// ```
/// let value = recast_json::parse_value(r#"{"tags": ["a", "b"], "score": 1.0}"#)?;
/// assert_eq!(value.to_string(), r#"{"tags": ["a", "b"], "score": 1.0}"#);
/// assert!(recast_json::parse_value("[1, 2").is_err());
/// # Ok::<(), recast_model::Error>(())
/// ```
pub fn parse_value(text: &str) -> Result<Value> {
    // The whole text fits in one read, so the buffer need not be bigger.
    let mut parser = Parser::with_capacity(
        text.as_bytes(),
        None,
        JsonReadOptions::default().limits(),
        false,
        text.len() + 1,
    );
    parser.begin_record();
    let value = parser.value(0)?;
    parser.end_record()?;
    parser.input.skip_ws()?;
    match parser.input.peek()? {
        None => Ok(value),
        Some(_) => Err(parser
            .input
            .unexpected("expected end of input after the value")),
    }
}

/// Writes one value as JSON text: pretty (two-space indentation, as [`JsonWriter`]) or
/// compact (no whitespace, as [`JsonLinesWriter`]), with no final line break. Fails
/// only for numbers JSON cannot carry (`inf`, `nan`).
///
/// ```
/// use recast_model::Value;
/// let value = Value::List(vec![Value::from("é\n"), Value::Null]);
/// assert_eq!(recast_json::to_json_string(&value, false)?, r#"["é\n",null]"#);
/// assert_eq!(recast_json::to_json_string(&value, true)?, "[\n  \"é\\n\",\n  null\n]");
/// # Ok::<(), recast_model::Error>(())
/// ```
pub fn to_json_string(value: &Value, pretty: bool) -> Result<String> {
    let layout = if pretty {
        Layout::Pretty
    } else {
        Layout::Compact
    };
    let mut out = Vec::new();
    write::write_value(&mut out, value, layout, 0).map_err(|bad| bad.into_value_error())?;
    // Built from `str`s and ASCII only.
    Ok(String::from_utf8(out).expect("the serializer writes UTF-8"))
}

/// Writes one value on one line with [`Spacing`]'s separators (`{"a": 1}` or
/// `{"a":1}`), with no final line break: a one-line JSON file rewritten as it was laid out.
///
/// ```
/// use recast_json::{Spacing, to_json_line};
/// let value = recast_json::parse_value(r#"{"a":[1,2]}"#)?;
/// assert_eq!(to_json_line(&value, Spacing::Spaced)?, r#"{"a": [1, 2]}"#);
/// # Ok::<(), recast_model::Error>(())
/// ```
pub fn to_json_line(value: &Value, spacing: Spacing) -> Result<String> {
    let layout = Layout::one_line(spacing);
    let mut out = Vec::new();
    write::write_value(&mut out, value, layout, 0).map_err(|bad| bad.into_value_error())?;
    // Built from `str`s and ASCII only.
    Ok(String::from_utf8(out).expect("the serializer writes UTF-8"))
}
