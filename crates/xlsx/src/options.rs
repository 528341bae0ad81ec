//! What a user of [`XlsxReader`](crate::XlsxReader) and
//! [`XlsxWriter`](crate::XlsxWriter) can set.

use recast_csv::Schema;
use recast_model::path::FieldPath;

/// How [`XlsxReader`](crate::XlsxReader) reads.
///
/// ```
/// use recast_xlsx::XlsxReadOptions;
/// let mut options = XlsxReadOptions::default();
/// options.sheet = Some("articles".into());
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct XlsxReadOptions {
    /// The sheet to read, by name; `None` reads the first. A name the workbook does not
    /// have is an error listing the sheets it has.
    pub sheet: Option<String>,
    /// Column types that override header hints and the cells' own types.
    pub schema: Option<Schema>,
    /// The largest record, in bytes of its row's cell text; a bigger one is a `Limit`
    /// error. Default 256 MiB.
    pub max_record_bytes: u64,
    /// The largest workbook file, and the largest part (sheet, shared strings) a zip
    /// workbook may inflate to, in bytes: past it the workbook is refused before it is
    /// parsed (a zip bomb is a tiny file whose sheet inflates to gigabytes). Default 1 GiB.
    pub max_part_bytes: u64,
    /// The largest sheet read whole, in bytes: an ods workbook's `content.xml` as it
    /// inflates, an xls workbook's file. calamine reads those sheets whole (it streams
    /// only xlsx), holding about twice these bytes; past the limit the workbook is
    /// refused before it is parsed. Default 256 MiB.
    pub max_whole_sheet_bytes: u64,
}

impl Default for XlsxReadOptions {
    fn default() -> Self {
        XlsxReadOptions {
            sheet: None,
            schema: None,
            max_record_bytes: 256 << 20,
            max_part_bytes: 1 << 30,
            max_whole_sheet_bytes: 256 << 20,
        }
    }
}

/// How [`XlsxWriter`](crate::XlsxWriter) writes.
///
/// ```
/// use recast_xlsx::XlsxWriteOptions;
/// let mut options = XlsxWriteOptions::default();
/// options.legend = false;
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct XlsxWriteOptions {
    /// Write only these columns, in this order. A path names a column or everything
    /// below it (`provider` selects `provider.name` and `provider.domain`).
    pub fields: Option<Vec<FieldPath>>,
    /// Add a second sheet, `legend`, that explains the column conventions. Readers
    /// read the first sheet, so it changes no record. Default true.
    pub legend: bool,
    /// Bytes of rows held in memory before they are spilled to a temporary file while
    /// the columns are gathered.
    pub memory_limit: usize,
}

impl Default for XlsxWriteOptions {
    fn default() -> Self {
        XlsxWriteOptions {
            fields: None,
            legend: true,
            memory_limit: 8 << 20,
        }
    }
}
