//! recast-model: the record model every recast format reads into and writes out of.
//!
//! A [`Value`] is the JSON data model with exact numbers and ordered maps; a
//! [`Record`] is one article's fields (its Markdown body is the field `body`) and where
//! it came from; a [`Channel`] is a feed's metadata. Format crates implement
//! [`RecordReader`] and [`RecordWriter`] and report problems as [`Error`]s that carry
//! the file, line and column.
//!
//! ```
//! use recast_model::{Map, Number, Record, Value};
//!
//! let mut fields = Map::default();
//! fields.insert("title".into(), Value::from("2024"));
//! fields.insert("quality".into(), Value::Number(Number::parse("39").unwrap()));
//! fields.insert("score".into(), Value::Number(Number::parse("1.0").unwrap()));
//! let record = Record::new(fields, Default::default());
//!
//! // Strings stay strings and floats stay floats, whatever they look like.
//! assert_eq!(record.fields["title"].type_name(), "string");
//! assert_eq!(record.fields["score"].to_string(), "1.0");
//! assert_eq!(record.fields["quality"].as_number().and_then(|n| n.as_i64()), Some(39));
//! ```

pub mod date;
pub mod error;
pub mod path;
pub mod record;
pub mod scan;
pub mod source_file;
pub mod template;
pub mod traits;
pub mod url;
pub mod value;

pub use error::{Error, ErrorKind, Location, Result, check_utf8, line_column};
pub use record::{BODY, Channel, Origin, Record, strict_eq};
pub use traits::{RecordReader, RecordWriter};
pub use value::{Map, MapHasher, Number, Value};
