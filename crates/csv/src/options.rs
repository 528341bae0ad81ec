//! What a user of [`CsvReader`](crate::CsvReader) and [`CsvWriter`](crate::CsvWriter)
//! can set. The reader's warnings (a sniffed delimiter, a `sep=` line overridden, blank
//! rows skipped) go through the `log` crate (`log::warn!`): the program decides what
//! reaches its user.

use recast_model::path::FieldPath;

use crate::header::Schema;

/// How [`CsvReader`](crate::CsvReader) reads.
///
/// ```
/// use recast_csv::{CsvReadOptions, CsvReader, DelimiterChoice};
/// let mut options = CsvReadOptions::default();
/// options.delimiter = b';';
/// options.delimiter_choice = DelimiterChoice::Given;
/// let records: Vec<_> = CsvReader::with_options(&b"name;qty\nApple;3\n"[..], None, options)
///     .collect::<Result<_, _>>()?;
/// assert_eq!(records[0].fields["qty"].to_string(), "3");
/// # Ok::<(), recast_model::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CsvReadOptions {
    /// The field separator: `b','` for CSV, `b'\t'` for TSV; how far a sheet's `sep=`
    /// line and sniffing may change it is [`CsvReadOptions::delimiter_choice`]'s to say.
    pub delimiter: u8,
    /// Whether `delimiter` is the user's, a default a `sep=` line may change, or a
    /// fallback for sniffing (the default). See [`Dialect`](crate::Dialect).
    pub delimiter_choice: DelimiterChoice,
    /// Take off the `'` that neutralised a cell starting with `=`, `+`, `-`, `@`, tab
    /// or CR (as [`CsvWriteOptions::sanitize`](crate::CsvWriteOptions::sanitize) wrote
    /// it). Default true.
    pub sanitize: bool,
    /// Column types that override header hints and inference.
    pub schema: Option<Schema>,
    /// Infer the type of a column without a hint or schema type from its first rows
    /// (default). When false, such a column is read cell by cell (as `:any`): for
    /// sheets whose cells are written exactly, as recast-xlsx hands its typed cells on.
    pub infer_types: bool,
    /// How many rows inference looks at for a column without a type (they are held in
    /// memory until then). Default 1000.
    pub infer_rows: usize,
    /// The largest row, in bytes of input; a bigger one is a `Limit` error that trips
    /// while reading it, so a huge quoted cell is never held whole. Default 256 MiB.
    pub max_record_bytes: u64,
}

impl Default for CsvReadOptions {
    fn default() -> Self {
        CsvReadOptions {
            delimiter: b',',
            delimiter_choice: DelimiterChoice::Sniff,
            sanitize: true,
            schema: None,
            infer_types: true,
            infer_rows: 1000,
            max_record_bytes: 256 << 20,
        }
    }
}

impl CsvReadOptions {
    /// The options for TSV: tab-separated unless the sheet's `sep=` line says
    /// otherwise, no sniffing; otherwise the defaults.
    pub fn tsv() -> Self {
        CsvReadOptions {
            delimiter: b'\t',
            delimiter_choice: DelimiterChoice::SepLineOnly,
            ..Self::default()
        }
    }
}

/// How [`CsvReadOptions::delimiter`] is to be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DelimiterChoice {
    /// The sheet's `sep=` line, else the one of `,` `;` tab `|` that splits the header
    /// and the first rows most consistently (quoting respected), else `delimiter`.
    #[default]
    Sniff,
    /// `delimiter` unless the sheet's `sep=` line names another (a `.tsv` file: the
    /// extension says tab, the sheet itself may still say otherwise).
    SepLineOnly,
    /// `delimiter` always (the user named it): a `sep=` line naming another is skipped
    /// with a warning.
    Given,
}

/// How [`CsvWriter`](crate::CsvWriter) writes.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CsvWriteOptions {
    /// The field separator: `b','` for CSV, `b'\t'` for TSV.
    pub delimiter: u8,
    /// Neutralise text cells that start with `=`, `+`, `-`, `@`, tab or CR by a leading
    /// `'` (OWASP's CSV-injection advice); the reader takes it off again. Default true.
    pub sanitize: bool,
    /// Start the output with a UTF-8 byte order mark, which Excel needs to read UTF-8.
    pub bom: bool,
    /// End rows with CRLF (`\r\n`, as Excel writes) instead of LF. Line breaks inside
    /// a quoted cell stay as the cell holds them.
    pub crlf: bool,
    /// Write only these columns, in this order. A path names a column or everything
    /// below it (`provider` selects `provider.name` and `provider.domain`).
    pub fields: Option<Vec<FieldPath>>,
    /// Bytes of rows held in memory before they are spilled to a temporary file.
    pub memory_limit: usize,
}

impl Default for CsvWriteOptions {
    fn default() -> Self {
        CsvWriteOptions {
            delimiter: b',',
            sanitize: true,
            bom: false,
            crlf: false,
            fields: None,
            memory_limit: 8 << 20,
        }
    }
}

impl CsvWriteOptions {
    /// The options for TSV: tab-separated, otherwise the defaults.
    pub fn tsv() -> Self {
        CsvWriteOptions {
            delimiter: b'\t',
            ..Self::default()
        }
    }
}
