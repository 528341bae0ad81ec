//! [`XlsxWriter`]: records in, one typed row each out, laid out by CSV's convention.
//!
//! The columns (their union and order, dotted paths, list cells, hints, `:order`) are
//! recast-csv's: records go through a [`CsvWriter`] into a temporary file, and at
//! `finish` its rows are read twice, once to decide each column's cells (hint, width,
//! continuation columns) and once to write them as typed cells in rust_xlsxwriter's
//! constant-memory mode. Memory holds the columns and one row, whatever the records.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};

use recast_csv::{ColumnType, CsvWriteOptions, CsvWriter, cell, split_hint};
use recast_model::{Error, Location, Number, Record, RecordWriter, Result, Value};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::columns::{
    MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, ORDER_COLUMN, TextCells, continuation_of, text_cells,
};
use crate::number::exact_cell_value;
use crate::options::XlsxWriteOptions;

/// Widths a column gets, in characters: enough for short values, never a wall.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// Text longer than this (or on several lines) is wrapped in its cell.
const WRAP_AT: usize = 60;

/// Writes records as an xlsx workbook: a header row (bold, frozen, with an autofilter)
/// and one row per record, numbers and booleans in cells of their type, text in text
/// cells (never a formula). The workbook is written at
/// [`finish`](RecordWriter::finish), staged in a temporary file first (an xlsx file is a
/// zip, whose directory comes last), so any `Write` will do, a pipe included.
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
    rows: Option<CsvWriter<File>>,
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
            Ok(file) => (Some(CsvWriter::new(file, csv)), None),
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
        let sheet = rows.into_inner();
        write_workbook(sheet, &mut self.output, &self.options)
    }
}

/// One cell of the CSV sheet, decoded.
enum Cell<'a> {
    Empty,
    /// A string (its CSV text less the marker).
    Text(&'a str),
    Number(Number),
    Bool(bool),
    /// `[]` or `{}`: the empty list or map.
    Marker(&'a str),
    /// A list cell's text (`AI; ethics`), kept as written.
    List(&'a str),
}

fn decode(text: &str, list: bool) -> Cell<'_> {
    if text.is_empty() {
        return Cell::Empty;
    }
    if list {
        return Cell::List(text);
    }
    if let Some(string) = cell::strip_marker(text, false) {
        return Cell::Text(string);
    }
    match cell::auto_value(text) {
        Value::Number(n) => Cell::Number(n),
        Value::Bool(b) => Cell::Bool(b),
        Value::List(_) | Value::Map(_) => Cell::Marker(text),
        Value::String(_) | Value::Null => Cell::Text(text),
    }
}

/// What the first pass learns of a CSV column, and what follows for its cells.
#[derive(Debug, Default)]
struct Column {
    header: String,
    /// A list cell (`:list`, `:order`): written as its text.
    list: bool,
    /// Hinted `:float`: a whole float's `.0` comes back.
    float: bool,
    /// Some number cannot be a numeric cell: the column's text cells are CSV cells.
    inexact: bool,
    /// Booleans, and whether anything else: a column of booleans only is hinted
    /// `:bool`, so that a spreadsheet storing them as 1 and 0 (LibreOffice does) does
    /// no harm.
    booleans: bool,
    others: bool,
    /// The longest cell, in characters, and how many cells it takes.
    longest: usize,
    /// The widest first line of a cell, in characters (capped).
    width: usize,
    wrap: bool,
    /// Where it starts among the sheet's columns.
    at: u16,
}

impl Column {
    fn new(header: &str) -> Self {
        let hint = split_hint(header).1;
        Column {
            header: header.to_owned(),
            list: text_cells(header) == TextCells::Csv
                && matches!(hint, Some(ColumnType::List) | None),
            float: hint == Some(ColumnType::Float),
            width: header.chars().count().min(MAX_WIDTH),
            ..Column::default()
        }
    }

    fn observe(&mut self, text: &str) {
        match decode(text, self.list) {
            Cell::Number(n) => {
                self.others = true;
                self.inexact |= exact_cell_value(&n, self.float).is_none();
            }
            Cell::Bool(_) => self.booleans = true,
            Cell::Empty => {}
            _ => self.others = true,
        }
        // A marker `'` may be added: one more character.
        let chars = text.chars().count() + 1;
        self.longest = self.longest.max(chars);
        let first_line = text.lines().next().unwrap_or("").chars().take(MAX_WIDTH);
        self.width = self.width.max(first_line.count());
        self.wrap |= chars > WRAP_AT || text.contains('\n');
    }

    /// How many sheet columns it takes (itself and its continuations).
    fn span(&self) -> usize {
        self.longest.div_ceil(MAX_CELL_CHARS).max(1)
    }

    /// Its header and text cells as written, once the first pass has seen every cell.
    fn settle(&mut self) -> TextCells {
        if self.list {
            return TextCells::Csv;
        }
        let (path, hint) = split_hint(&self.header);
        let path = if path == "\\" { "" } else { path };
        let hint = match (hint, self.inexact) {
            // Cells are typed: a mixed column needs no `:any`.
            (Some(ColumnType::Any), false) => None,
            (None, true) => Some(ColumnType::Number),
            (None, false) if self.booleans && !self.others => Some(ColumnType::Bool),
            (hint, _) => hint,
        };
        self.header = match hint {
            Some(hint) => format!("{path}:{hint}"),
            None if path.is_empty() => "\\".to_owned(),
            None => path.to_owned(),
        };
        text_cells(&self.header)
    }
}

fn io_error(e: std::io::Error) -> Error {
    Error::io(None, e)
}

fn xlsx_error(e: XlsxError) -> Error {
    match e {
        XlsxError::IoError(e) => Error::io(None, e),
        other => Error::data(
            Location::default(),
            format!("cannot write the workbook: {other}"),
        ),
    }
}

/// Writes the workbook of the CSV sheet in `sheet` to `output`.
fn write_workbook<W: Write>(
    mut sheet: File,
    output: &mut W,
    options: &XlsxWriteOptions,
) -> Result<()> {
    sheet.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let csv_error = |e: csv::Error| Error::data(Location::default(), e.to_string());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&mut sheet);
    let mut row = csv::StringRecord::new();
    let mut columns: Vec<Column> = Vec::new();
    if reader.read_record(&mut row).map_err(csv_error)? {
        columns = row.iter().map(Column::new).collect();
    }
    let mut rows: u32 = 0;
    while reader.read_record(&mut row).map_err(csv_error)? {
        rows += 1;
        for (column, text) in columns.iter_mut().zip(row.iter()) {
            column.observe(text);
        }
    }
    let mut text_cells = Vec::with_capacity(columns.len());
    let mut renamed = std::collections::HashMap::new();
    let mut at = 0usize;
    for column in &mut columns {
        let csv_header = column.header.clone();
        text_cells.push(column.settle());
        renamed.insert(csv_header, column.header.clone());
        column.at = u16::try_from(at).unwrap_or(u16::MAX);
        at += column.span();
    }
    if at > MAX_COLUMNS {
        return Err(Error::limit(
            Location::default(),
            format!(
                "the records make {at} columns, but a sheet holds at most {MAX_COLUMNS}; \
                 expected fewer fields (choose some with --fields)"
            ),
        ));
    }

    let mut workbook = Workbook::new();
    let header_format = Format::new().set_bold();
    let wrap_format = Format::new().set_text_wrap();
    let worksheet = workbook.add_worksheet_with_constant_memory();
    worksheet.set_name("records").map_err(xlsx_error)?;
    for column in &columns {
        for extra in 0..column.span() as u16 {
            let width = column.width.clamp(MIN_WIDTH, MAX_WIDTH) as f64 + 2.0;
            worksheet
                .set_column_width(column.at + extra, width)
                .map_err(xlsx_error)?;
        }
    }
    for column in &columns {
        for extra in 0..column.span() {
            let header = match extra {
                0 => column.header.clone(),
                _ => continuation_of(&column.header),
            };
            worksheet
                .write_string_with_format(0, column.at + extra as u16, header, &header_format)
                .map_err(xlsx_error)?;
        }
    }
    if at > 0 {
        worksheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        worksheet
            .autofilter(0, 0, rows, at as u16 - 1)
            .map_err(xlsx_error)?;
    }

    sheet.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&mut sheet);
    reader.read_record(&mut row).map_err(csv_error)?;
    let mut sheet_row = 0u32;
    let mut marked = String::new();
    while reader.read_record(&mut row).map_err(csv_error)? {
        sheet_row += 1;
        for ((column, &cells), text) in columns.iter().zip(&text_cells).zip(row.iter()) {
            let place = (sheet_row, column.at);
            let wrap = column.wrap.then_some(&wrap_format);
            match decode(text, column.list) {
                Cell::Empty => {}
                Cell::List(text) if column.header == ORDER_COLUMN => {
                    // The `:order` cell names columns by their headers, some renamed.
                    let names = order_names(text, &renamed);
                    write_text(worksheet, place, &names, wrap)?;
                }
                Cell::List(text) | Cell::Marker(text) => write_text(worksheet, place, text, wrap)?,
                Cell::Text(string) => match cells {
                    TextCells::Csv => write_text(worksheet, place, text, wrap)?,
                    TextCells::Typed if cell::typed_needs_marker(string) => {
                        marked.clear();
                        marked.push('\'');
                        marked.push_str(string);
                        write_text(worksheet, place, &marked, wrap)?;
                    }
                    TextCells::Typed => write_text(worksheet, place, string, wrap)?,
                },
                Cell::Number(n) => match exact_cell_value(&n, column.float) {
                    Some(value) => {
                        worksheet
                            .write_number(place.0, place.1, value)
                            .map_err(xlsx_error)?;
                    }
                    None => write_text(worksheet, place, text, wrap)?,
                },
                Cell::Bool(b) => {
                    worksheet
                        .write_boolean(place.0, place.1, b)
                        .map_err(xlsx_error)?;
                }
            }
        }
    }
    if options.legend {
        write_legend(workbook.add_worksheet(), &header_format)?;
    }
    let mut staged = tempfile::tempfile().map_err(io_error)?;
    workbook.save_to_writer(&mut staged).map_err(xlsx_error)?;
    staged.seek(SeekFrom::Start(0)).map_err(io_error)?;
    std::io::copy(&mut staged, output).map_err(io_error)?;
    output.flush().map_err(io_error)
}

/// An `:order` cell with the columns' headers as the sheet has them.
fn order_names(text: &str, renamed: &std::collections::HashMap<String, String>) -> String {
    let Some(Value::List(items)) = cell::read_list(text, false) else {
        return text.to_owned();
    };
    let names: Vec<String> = items
        .iter()
        .map(|item| match item {
            Value::String(name) => renamed.get(name).cloned().unwrap_or_else(|| name.clone()),
            other => other.to_string(),
        })
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    cell::names_cell(&names)
}

/// Writes a text cell, the part past 32,767 characters in the continuation columns to
/// its right.
fn write_text(
    worksheet: &mut Worksheet,
    (row, column): (u32, u16),
    text: &str,
    wrap: Option<&Format>,
) -> Result<()> {
    let mut rest = text;
    let mut at = column;
    loop {
        let end = rest
            .char_indices()
            .nth(MAX_CELL_CHARS)
            .map_or(rest.len(), |(i, _)| i);
        let (piece, more) = rest.split_at(end);
        match wrap {
            Some(format) => worksheet.write_string_with_format(row, at, piece, format),
            None => worksheet.write_string(row, at, piece),
        }
        .map_err(xlsx_error)?;
        if more.is_empty() {
            return Ok(());
        }
        rest = more;
        at += 1;
    }
}

/// The conventions, for whoever opens the workbook.
const LEGEND: [(&str, &str); 9] = [
    (
        "records",
        "One row per record; reading takes the first sheet and ignores this one.",
    ),
    (
        "provider.name",
        "A field inside a map; images.0.url: the url of a list's first item.",
    ),
    (
        "topics:list",
        "A list of plain values in one cell, items separated by \"; \".",
    ),
    (
        "score:float",
        "Floats: a whole number in this column reads back as 1.0, not 1.",
    ),
    (
        "big:number, x:any",
        "Text cells here are read as CSV cells: a number too long for a spreadsheet is kept as its exact text, and a string that looks like a number or boolean starts with '.",
    ),
    (
        "[]  {}",
        "An empty list, an empty map. The strings \"[]\", \"{}\" and \"\" are written '[], '{} and '.",
    ),
    (
        "body:more",
        "The rest of the cell to its left past 32,767 characters (a spreadsheet's limit).",
    ),
    (
        ":order",
        "For rows whose fields are not in column order: their columns in the record's order.",
    ),
    (
        "dates",
        "Text as the records hold them (ISO 8601 sorts as text): never changed by the spreadsheet.",
    ),
];

fn write_legend(worksheet: &mut Worksheet, bold: &Format) -> Result<()> {
    worksheet.set_name("legend").map_err(xlsx_error)?;
    worksheet.set_column_width(0, 20).map_err(xlsx_error)?;
    worksheet.set_column_width(1, 100).map_err(xlsx_error)?;
    worksheet
        .write_string_with_format(0, 0, "column", bold)
        .map_err(xlsx_error)?;
    worksheet
        .write_string_with_format(0, 1, "meaning", bold)
        .map_err(xlsx_error)?;
    for (i, (name, meaning)) in LEGEND.iter().enumerate() {
        let row = i as u32 + 1;
        worksheet.write_string(row, 0, *name).map_err(xlsx_error)?;
        worksheet
            .write_string(row, 1, *meaning)
            .map_err(xlsx_error)?;
    }
    Ok(())
}
