//! recast-csv: records as CSV or TSV rows, and back, with nothing lost.
//!
//! ```
//! use recast_csv::{CsvReader, CsvWriteOptions, CsvWriter};
//! use recast_model::{Map, Number, Record, RecordWriter, Value};
//!
//! let mut provider = Map::default();
//! provider.insert("name".into(), "Nature".into());
//! let mut fields = Map::default();
//! fields.insert("title".into(), "2024".into());
//! fields.insert("quality".into(), Value::Number(Number::parse("39").unwrap()));
//! fields.insert("provider".into(), Value::Map(provider));
//! fields.insert("topics".into(), Value::List(vec!["AI Ethics".into(), "AI".into()]));
//! let record = Record::new(fields, Default::default());
//!
//! let mut writer = CsvWriter::new(Vec::new(), CsvWriteOptions::default());
//! writer.write_record(&record)?;
//! writer.finish()?;
//! let sheet = writer.into_inner();
//! assert_eq!(
//!     String::from_utf8_lossy(&sheet),
//!     "title,quality,provider.name,topics:list\n'2024,39,Nature,AI Ethics; AI\n"
//! );
//!
//! let back: Vec<Record> = CsvReader::new(&sheet[..], None)
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(back, [record]);
//! # Ok::<(), recast_model::Error>(())
//! ```
//!
//! # The sheet
//!
//! * One row per record; the columns are the union of every record's fields, in
//!   first-seen order refined so that each record's fields come in its own order (a
//!   topological sort that keeps a list's items and a map's keys together). Nested maps
//!   are dotted columns (`provider.name`), lists of maps indexed columns
//!   (`images.0.url`), lists of scalars one cell (`AI Ethics; AI`), any other list
//!   indexed columns (`mixed.0`, `mixed.1.key`). The body is the `body` column. When
//!   records disagree on key order, an `:order` column lists, for the rows that differ,
//!   their columns in the record's order.
//! * Types come back exactly, with as little decoration as possible:
//!   - a string that would read back as something else (`2024`, `007`, `true`, `-42`,
//!     the empty string, `[]`) starts with `'`, as one types text into a spreadsheet;
//!     so does, when sanitizing, text starting with `=`, `+`, `-`, `@`, tab or CR
//!     (OWASP's CSV-injection advice). The reader takes exactly that `'` off again;
//!   - numbers are written as spelled (`1.0` stays `1.0`), booleans as `true`/`false`;
//!   - a header may carry a type hint after `:` where the cells alone would not say
//!     enough: `topics:list` (a list cell), `score:float` (all floats, so a spreadsheet
//!     that saved `1.0` as `1` does no harm), `value:any` (a column mixing text with
//!     numbers or booleans, read cell by cell);
//!   - `[]` and `{}` are the empty list and map; an empty cell is a missing field (null
//!     and missing merge, the only loss: a null field comes back missing, and a list
//!     written as indexed columns comes back without its trailing nulls).
//! * Keys are escaped in headers: `a\.b` is the key `a.b` (never the map `a` holding
//!   `b`), `dc\:creator` holds a colon, `\0` is the key `0` (`images.0` is an index).
//! * Lists of scalars: items are separated by `; `; `\;` and `\\` escape, a space at an
//!   item's ends is `\ `; an empty item is null; the item `'` is the empty string.
//! * The writer keeps rows in memory up to [`CsvWriteOptions::memory_limit`], then in
//!   a temporary file, and writes everything at `finish`, when the columns are known.
//! * Sheets from spreadsheets: a BOM and an Excel `sep=` first line are skipped (the
//!   line names the delimiter), a `.csv` sheet's delimiter is sniffed among `,` `;` tab
//!   `|` from its first 64 KiB, and rows whose every cell is empty are skipped with a
//!   warning (through the `log` crate); [`CsvReader::dialect`] says what was seen, for
//!   a writer to keep it.
//! * Columns without a hint or [`Schema`] type are inferred from the first rows: a
//!   column holding unmarked text is text (so `02139` and `10001` are both text), any
//!   other is read cell by cell as JSON numbers and `true`/`false`. `007` is never 7.
//!
//! See `docs/csv.md` in the repository for a worked example and the trade-offs.

pub mod cell;
mod dialect;
mod header;
mod nest;
mod options;
mod read;
mod rows;
mod write;

pub use dialect::{DelimiterFrom, Dialect, LineEnding, SNIFF_BYTES};
pub use header::{ColumnType, Schema, split_hint};
pub use options::{CsvReadOptions, CsvWriteOptions, DelimiterChoice};
pub use read::CsvReader;
pub use write::CsvWriter;
