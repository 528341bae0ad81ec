//! recast-xlsx: records as spreadsheet rows (xlsx), and back from xlsx, xlsm, xls and
//! ods, with nothing lost.
//!
//! ```
//! use recast_model::{Map, Number, Record, RecordWriter, Value};
//! use recast_xlsx::{XlsxReader, XlsxWriteOptions, XlsxWriter};
//!
//! let mut provider = Map::default();
//! provider.insert("name".into(), "Nature".into());
//! let mut fields = Map::default();
//! fields.insert("title".into(), "2024".into());
//! fields.insert("quality".into(), Value::Number(Number::parse("39").unwrap()));
//! fields.insert("score".into(), Value::Number(Number::parse("1.0").unwrap()));
//! fields.insert("provider".into(), Value::Map(provider));
//! fields.insert("topics".into(), Value::List(vec!["AI Ethics".into(), "AI".into()]));
//! let record = Record::new(fields, Default::default());
//!
//! let mut writer = XlsxWriter::new(Vec::new(), XlsxWriteOptions::default());
//! writer.write_record(&record)?;
//! writer.finish()?;
//! let workbook: Vec<u8> = writer.into_inner();
//! // Header: title, quality, score:float, provider.name, topics:list;
//! // cells: the text "2024", the numbers 39 and 1, the text "AI Ethics; AI".
//!
//! let back: Vec<Record> = XlsxReader::new(&workbook[..], None)
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(back, [record]);
//! # Ok::<(), recast_model::Error>(())
//! ```
//!
//! # The sheet
//!
//! * The columns are CSV's (recast-csv lays them out and reads them back: one piece of
//!   code): dotted paths (`provider.name`, `images.0.url`), lists of scalars in one
//!   cell (`topics:list`), type hints in the header where a column needs one, and the
//!   `:order` column when records disagree on key order.
//! * Cells are typed: numbers in numeric cells, booleans in boolean cells, strings in
//!   text cells (never a formula: `=1+1` is the text `=1+1`), dates as the text records
//!   hold them (ISO 8601 text sorts and filters as dates do).
//! * A number a spreadsheet cannot hold exactly (`12345678901234567890123`, the float
//!   `1.50`, more than 15 significant digits) is a text cell holding its exact text, in
//!   a column hinted `:number` (or `:float`, `:any`) whose text cells are read as CSV
//!   cells, so `'2024` there is the string `2024`. A whole float (`1.0`) is a numeric
//!   cell in a `:float` column, read back as `1.0`.
//! * Text cells need no marker, but for the three texts that are markers: the empty
//!   string is `'`, the strings `[]` and `{}` are `'[]` and `'{}` (`[]` and `{}` alone
//!   are the empty list and map), a string of those starting with `'` gets one more.
//! * A cell longer than 32,767 characters (Excel's limit) continues in columns headed
//!   `body:more` to its right; more records than a sheet's 1,048,575 rows is an error.
//! * The header row is bold and frozen, with an autofilter; long text is wrapped. A
//!   second sheet, `legend`, explains the conventions; reading takes the first sheet
//!   (or [`XlsxReadOptions::sheet`]).
//!
//! See `docs/spreadsheets.md` in the repository for the conventions CSV and xlsx share
//! and the behaviour on hostile workbooks.

mod columns;
mod deflate;
mod guard;
mod in_order;
mod layout;
mod merged;
mod number;
mod options;
mod package;
mod piece_rows;
mod read;
mod rows;
mod sheet_text;
mod sheet_xml;
mod source;
mod write;
mod zip_writer;

pub use options::{XlsxReadOptions, XlsxWriteOptions};
pub use read::XlsxReader;
pub use write::XlsxWriter;
