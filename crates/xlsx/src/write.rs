//! [`XlsxWriter`]: records in, one typed row each out, laid out by CSV's convention.
//!
//! The columns (their union and order, dotted paths, list cells, hints, `:order`) are
//! recast-csv's: records go through a [`CsvWriter`] into a temporary file, cut into
//! pieces of whole rows as it is written. At `finish` the pieces are surveyed on every
//! core to settle the layout (`layout.rs`: hints, widths, continuation columns), then
//! turned into sheet XML and deflated on every core (`sheet_xml.rs`, `deflate.rs`),
//! joined in order into one zip entry (`package.rs`). Memory holds the columns and a
//! few pieces, whatever the records.
//!
//! Why not rust_xlsxwriter (which wrote the workbook before): it deflates the sheet on
//! one thread at zlib's level 6 once every row is written, with no way to choose the
//! level or compress while rows are made, and that compression was ~40% of the time a
//! workbook took. A workbook is a handful of fixed parts and the sheet's XML, which is
//! written here as rust_xlsxwriter wrote it (inline strings, Excel's escapes).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

use recast_csv::{CsvWriteOptions, CsvWriter};
use recast_model::{Error, Location, Record, RecordWriter, Result};

use crate::columns::MAX_ROWS;
use crate::deflate::deflate_piece;
use crate::in_order::in_order;
use crate::layout::{Cuts, Layout, RowCuts, absorb};
use crate::options::XlsxWriteOptions;
use crate::package::{DeflatedPart, RecordsSheet, write_package};
use crate::sheet_xml::{column_letters, push_rows, records_start, sheet_end, sheet_range};

/// Writes records as an xlsx workbook: a header row (bold, frozen, with an autofilter)
/// and one row per record, numbers and booleans in cells of their type, text in text
/// cells (never a formula). The workbook is written at
/// [`finish`](RecordWriter::finish), as a zip written front to back (its sheet staged in
/// a temporary file first), so any `Write` will do, a pipe included.
///
/// ```
/// use recast_model::{Map, Record, RecordWriter};
/// use recast_xlsx::{XlsxReader, XlsxWriteOptions, XlsxWriter};
///
/// let mut fields = Map::default();
/// fields.insert("title".into(), "2024".into());
/// fields.insert("topics".into(), vec!["AI".into(), "ethics".into()].into());
/// let record = Record::new(fields, Default::default());
///
/// let mut writer = XlsxWriter::new(Vec::new(), XlsxWriteOptions::default());
/// writer.write_record(&record)?;
/// writer.finish()?;
/// let workbook = writer.into_inner();
///
/// let back: Vec<Record> = XlsxReader::new(&workbook[..], None).collect::<Result<_, _>>()?;
/// assert_eq!(back, [record]);
/// # Ok::<(), recast_model::Error>(())
/// ```
pub struct XlsxWriter<W: Write> {
    output: W,
    options: XlsxWriteOptions,
    /// The column layout: CSV's writer, into a temporary file (taken at `finish`).
    rows: Option<CsvWriter<RowCuts<File>>>,
    /// An error making the temporary file, reported by the first `write_record`.
    start_error: Option<Error>,
    records: u64,
}

impl<W: Write> XlsxWriter<W> {
    /// A writer to `output`; nothing is written before [`finish`](RecordWriter::finish).
    pub fn new(output: W, options: XlsxWriteOptions) -> Self {
        let mut csv = CsvWriteOptions::default();
        // Text cells are never formulas: nothing to neutralise.
        csv.sanitize = false;
        csv.fields = options.fields.clone();
        csv.memory_limit = options.memory_limit;
        let (rows, start_error) = match tempfile::tempfile() {
            Ok(file) => (Some(CsvWriter::new(RowCuts::new(file), csv)), None),
            Err(e) => (None, Some(Error::io(None, e))),
        };
        XlsxWriter {
            output,
            options,
            rows,
            start_error,
            records: 0,
        }
    }

    /// The output, after [`finish`](RecordWriter::finish) (before it, nothing has been
    /// written to it).
    pub fn into_inner(self) -> W {
        self.output
    }
}

impl<W: Write> RecordWriter for XlsxWriter<W> {
    fn write_record(&mut self, record: &Record) -> Result<()> {
        if let Some(error) = self.start_error.take() {
            return Err(error);
        }
        self.records += 1;
        if self.records >= u64::from(MAX_ROWS) {
            return Err(Error::limit(
                Location {
                    record: Some(self.records),
                    ..Location::new(record.origin.file.clone(), record.origin.line, 0)
                },
                format!(
                    "a sheet holds at most {} records (and the header row); expected fewer \
                     records (split the input with --shard, or write CSV)",
                    MAX_ROWS - 1
                ),
            ));
        }
        match &mut self.rows {
            // The layout is CSV's, but the output is not: say so in its messages.
            Some(rows) => rows.write_record(record).map_err(|mut error| {
                error.message = error.message.replace("to CSV", "to a spreadsheet");
                error
            }),
            None => Ok(()),
        }
    }

    fn finish(&mut self) -> Result<()> {
        if let Some(error) = self.start_error.take() {
            return Err(error);
        }
        let Some(mut rows) = self.rows.take() else {
            return Ok(());
        };
        rows.finish()?;
        let (sheet, cuts) = rows.into_inner().into_parts();
        write_workbook(sheet, cuts, &mut self.output, &self.options)
    }
}

fn io_error(e: std::io::Error) -> Error {
    Error::io(None, e)
}

/// Writes the workbook of the CSV sheet in `sheet`, whose rows are at `cuts`, to
/// `output`.
fn write_workbook<W: Write>(
    sheet: File,
    cuts: Cuts,
    output: &mut W,
    options: &XlsxWriteOptions,
) -> Result<()> {
    let mut header_row = vec![0; cuts.header_end as usize];
    (&sheet).seek(SeekFrom::Start(0)).map_err(io_error)?;
    (&sheet).read_exact(&mut header_row).map_err(io_error)?;
    let mut layout = Layout::new(&header_row, cuts)?;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);

    // The survey: what each column holds, a piece at a time.
    let mut seen = layout.columns.clone();
    in_order(
        pieces(&sheet, &layout.cuts)?,
        threads,
        |(_, csv)| layout.survey_piece(&csv),
        |columns| {
            absorb(&mut seen, &columns);
            Ok(())
        },
    )?;
    absorb(&mut layout.columns, &seen);
    layout.settle()?;

    // The rows: XML made and deflated a piece at a time.
    let letters = column_letters(layout.width);
    let rows = layout.cuts.rows;
    let mut part = DeflatedPart::new().map_err(io_error)?;
    part.push(deflate_piece(&records_start(&layout, &letters), false))
        .map_err(io_error)?;
    in_order(
        pieces(&sheet, &layout.cuts)?,
        threads,
        |(first_row, csv)| {
            let mut xml = Vec::with_capacity(csv.len() * 2);
            push_rows(&layout, &letters, &csv, first_row, &mut xml)?;
            Ok(deflate_piece(&xml, false))
        },
        |piece| part.push(piece).map_err(io_error),
    )?;
    part.push(deflate_piece(&sheet_end(&letters, rows, true), true))
        .map_err(io_error)?;

    let records = RecordsSheet {
        part,
        filtered: (!letters.is_empty()).then(|| sheet_range(&letters, rows)),
    };
    write_package(&mut *output, records, options.legend).map_err(io_error)?;
    output.flush().map_err(io_error)
}

/// The pieces of the CSV sheet's rows, read in order: each with its first row's number.
fn pieces<'a>(
    sheet: &'a File,
    cuts: &'a Cuts,
) -> Result<impl Iterator<Item = Result<(u32, Vec<u8>)>> + 'a> {
    let first = cuts.pieces.first().map_or(cuts.end, |p| p.byte);
    let mut reader = sheet;
    reader.seek(SeekFrom::Start(first)).map_err(io_error)?;
    Ok(cuts.pieces.iter().enumerate().map(move |(i, start)| {
        let end = cuts.pieces.get(i + 1).map_or(cuts.end, |next| next.byte);
        let len = end - start.byte;
        let mut csv = Vec::with_capacity(len as usize);
        match (&mut reader).take(len).read_to_end(&mut csv) {
            Ok(read) if read as u64 == len => Ok((start.row, csv)),
            Ok(_) => Err(io_error(std::io::ErrorKind::UnexpectedEof.into())),
            Err(e) => Err(io_error(e)),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::XlsxReader;
    use recast_model::{Map, Value};

    #[test]
    fn rows_cut_into_pieces_come_back_in_order_byte_order_marks_kept() {
        let records: Vec<Record> = (0..3_000i32)
            .map(|i| {
                let mut fields = Map::default();
                // Every row's first cell starts with a byte order mark, so that some
                // piece starts with one.
                fields.insert("title".into(), format!("\u{feff}{i}").into());
                fields.insert("body".into(), "x".repeat(500 + (i % 7) as usize).into());
                fields.insert("n".into(), Value::from(i64::from(i)));
                Record::new(fields, Default::default())
            })
            .collect();
        let mut writer = XlsxWriter::new(Vec::new(), XlsxWriteOptions::default());
        for record in &records {
            writer.write_record(record).unwrap();
        }
        writer.finish().unwrap();
        let workbook = writer.into_inner();
        let back: Vec<Record> = XlsxReader::new(&workbook[..], None)
            .collect::<Result<_>>()
            .unwrap();
        assert!(back == records, "the records changed on the way");
    }
}
