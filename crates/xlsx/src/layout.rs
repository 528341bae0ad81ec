//! [`Layout`]: what the whole CSV sheet decides about the xlsx sheet, before any row is
//! written: each column's header (hints settled), its place (continuation columns take
//! room), width and wrapping. The CSV sheet is cut into pieces of whole rows as it is
//! written ([`RowCuts`]), so that both the survey and the rows' XML are made a piece at
//! a time, on every core.

use std::collections::HashMap;
use std::io::{self, Read, Write};

use recast_csv::{ColumnType, cell, split_hint};
use recast_model::{Error, Location, Number, Result};

use crate::columns::{MAX_CELL_CHARS, MAX_COLUMNS, TextCells, text_cells};
use crate::number::exact_cell_value;
use crate::piece_rows::PieceRows;

/// Widths a column gets, in characters: enough for short values, never a wall.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// Text longer than this (or on several lines) is wrapped in its cell.
const WRAP_AT: usize = 60;

/// About how many bytes of CSV rows make one piece of the sheet.
const PIECE_BYTES: u64 = 1 << 20;

/// One cell of the CSV sheet, decoded.
pub(crate) enum Cell<'a> {
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

/// Decodes the CSV cell `text` of a column that holds list cells or not.
pub(crate) fn decode(text: &str, list: bool) -> Cell<'_> {
    if text.is_empty() {
        return Cell::Empty;
    }
    if list {
        return Cell::List(text);
    }
    if let Some(string) = cell::strip_marker(text, false) {
        return Cell::Text(string);
    }
    // What `cell::auto_value` reads, in its order, without copying the text.
    if text == "[]" || text == "{}" {
        Cell::Marker(text)
    } else if let Some(n) = Number::parse(text) {
        Cell::Number(n)
    } else if let Some(b) = cell::is_bool(text) {
        Cell::Bool(b)
    } else {
        Cell::Text(text)
    }
}

/// What the survey learns of a CSV column, and what follows for its cells.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// The header as written (after [`Column::settle`]; CSV's before).
    pub(crate) header: String,
    /// A list cell (`:list`, `:order`): written as its text.
    pub(crate) list: bool,
    /// Hinted `:float`: a whole float's `.0` comes back.
    pub(crate) float: bool,
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
    /// Its text cells are wrapped.
    pub(crate) wrap: bool,
    /// How its text cells hold their values (after [`Column::settle`]).
    pub(crate) text_cells: TextCells,
    /// Where it starts among the sheet's columns.
    pub(crate) at: usize,
}

impl Column {
    fn new(header: &str) -> Self {
        let hint = split_hint(header).1;
        Column {
            header: header.to_owned(),
            list: text_cells(header) == TextCells::Csv
                && matches!(hint, Some(ColumnType::List) | None),
            float: hint == Some(ColumnType::Float),
            inexact: false,
            booleans: false,
            others: false,
            longest: 0,
            width: header.chars().count().min(MAX_WIDTH),
            wrap: false,
            text_cells: TextCells::Typed,
            at: 0,
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
        // The first line as `str::lines` has it (less a CR before its LF), found once.
        let line_end = memchr::memchr(b'\n', text.as_bytes());
        let first_line = match line_end {
            Some(end) => text[..end].strip_suffix('\r').unwrap_or(&text[..end]),
            None => text,
        };
        self.width = self.width.max(first_line.chars().take(MAX_WIDTH).count());
        self.wrap |= chars > WRAP_AT || line_end.is_some();
    }

    /// Adds what `other`, the same column surveyed in another piece, has seen.
    fn absorb(&mut self, other: &Column) {
        self.inexact |= other.inexact;
        self.booleans |= other.booleans;
        self.others |= other.others;
        self.longest = self.longest.max(other.longest);
        self.width = self.width.max(other.width);
        self.wrap |= other.wrap;
    }

    /// How many sheet columns it takes (itself and its continuations).
    pub(crate) fn span(&self) -> usize {
        self.longest.div_ceil(MAX_CELL_CHARS).max(1)
    }

    /// Its width in characters, continuations included.
    pub(crate) fn width(&self) -> usize {
        self.width.clamp(MIN_WIDTH, MAX_WIDTH) + 2
    }

    /// Settles its header and text cells, once the survey has seen every cell.
    fn settle(&mut self) {
        if self.list {
            self.text_cells = TextCells::Csv;
            return;
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
        self.text_cells = text_cells(&self.header);
    }
}

/// Where a piece of the sheet's rows starts in the CSV sheet.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PieceStart {
    /// Its first row's byte offset in the CSV sheet.
    pub(crate) byte: u64,
    /// Its first row's number among the data rows (the first data row is 1).
    pub(crate) row: u32,
}

/// Where the CSV sheet's rows are: its header's end, the pieces its data rows are cut
/// into, its end.
#[derive(Debug, Default)]
pub(crate) struct Cuts {
    /// The byte offset where the header row ends (0 without a header).
    pub(crate) header_end: u64,
    /// The pieces, in order; each ends where the next starts, the last at `end`.
    pub(crate) pieces: Vec<PieceStart>,
    /// How many data rows.
    pub(crate) rows: u32,
    /// The byte offset where the CSV sheet ends.
    pub(crate) end: u64,
}

/// Writes the CSV sheet through to `inner`, noting where its rows end, to cut them into
/// pieces of about [`PIECE_BYTES`]: a row ends at a line feed outside quotes (recast-csv
/// quotes every cell holding a quote, a CR or a LF, and ends rows with `\n`).
pub(crate) struct RowCuts<W: Write> {
    inner: W,
    cuts: Cuts,
    in_quotes: bool,
    header_seen: bool,
}

impl<W: Write> RowCuts<W> {
    pub(crate) fn new(inner: W) -> Self {
        RowCuts {
            inner,
            cuts: Cuts::default(),
            in_quotes: false,
            header_seen: false,
        }
    }

    /// The output and the cuts, once the whole sheet is written.
    pub(crate) fn into_parts(mut self) -> (W, Cuts) {
        // A piece cut after the last row has no rows.
        let end = self.cuts.end;
        self.cuts.pieces.retain(|piece| piece.byte < end);
        (self.inner, self.cuts)
    }

    /// A row ended at byte `at`, where the next one starts.
    fn row_ended(&mut self, at: u64) {
        if !self.header_seen {
            self.header_seen = true;
            self.cuts.header_end = at;
            return;
        }
        self.cuts.rows += 1;
        if self.cuts.pieces.is_empty() {
            self.cuts.pieces.push(PieceStart {
                byte: self.cuts.header_end,
                row: 1,
            });
        }
        let piece_start = self.cuts.pieces.last().map_or(0, |p| p.byte);
        if at - piece_start >= PIECE_BYTES {
            self.cuts.pieces.push(PieceStart {
                byte: at,
                row: self.cuts.rows + 1,
            });
        }
    }
}

impl<W: Write> Write for RowCuts<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(buf)?;
        let start = self.cuts.end;
        for at in memchr::memchr2_iter(b'"', b'\n', &buf[..written]) {
            match buf[at] {
                b'"' => self.in_quotes = !self.in_quotes,
                _ if !self.in_quotes => self.row_ended(start + at as u64 + 1),
                _ => {}
            }
        }
        self.cuts.end += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What the sheet's rows need to be written, from the whole CSV sheet.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    pub(crate) columns: Vec<Column>,
    /// CSV's header of a column → the sheet's (hints settled), for `:order` cells.
    pub(crate) renamed: HashMap<String, String>,
    /// How many sheet columns, continuations included.
    pub(crate) width: usize,
    /// Where the rows are.
    pub(crate) cuts: Cuts,
}

impl Layout {
    /// The layout of a sheet with this CSV header row, before its cells are surveyed.
    pub(crate) fn new(header_row: &[u8], cuts: Cuts) -> Result<Layout> {
        let mut reader = csv_reader(header_row);
        let mut row = csv::StringRecord::new();
        let mut layout = Layout {
            cuts,
            ..Layout::default()
        };
        if reader.read_record(&mut row).map_err(csv_error)? {
            layout.columns = row.iter().map(Column::new).collect();
        }
        Ok(layout)
    }

    /// The columns as one piece of rows (`csv`) has them.
    pub(crate) fn survey_piece(&self, csv: &[u8]) -> Result<Vec<Column>> {
        let mut columns = self.columns.clone();
        let mut rows = PieceRows::new(csv)?;
        let mut fields = Vec::new();
        while rows.next_row(&mut fields)? {
            for (column, text) in columns.iter_mut().zip(&fields) {
                column.observe(text);
            }
        }
        Ok(columns)
    }

    /// Settles the headers and places of the columns, once every piece is absorbed.
    pub(crate) fn settle(&mut self) -> Result<()> {
        for column in &mut self.columns {
            let csv_header = column.header.clone();
            column.settle();
            self.renamed.insert(csv_header, column.header.clone());
            column.at = self.width;
            self.width += column.span();
        }
        if self.width > MAX_COLUMNS {
            return Err(Error::limit(
                Location::default(),
                format!(
                    "the records make {} columns, but a sheet holds at most {MAX_COLUMNS}; \
                     expected fewer fields (choose some with --fields)",
                    self.width
                ),
            ));
        }
        Ok(())
    }
}

/// Adds to `columns` what `seen`, the same columns surveyed in another piece, have seen.
pub(crate) fn absorb(columns: &mut [Column], seen: &[Column]) {
    for (column, seen) in columns.iter_mut().zip(seen) {
        column.absorb(seen);
    }
}

/// A reader of the CSV sheet's header row (or of whole rows, in tests).
fn csv_reader<R: Read>(sheet: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(sheet)
}

fn csv_error(e: csv::Error) -> Error {
    Error::data(Location::default(), e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_cut_at_their_ends_never_inside_quotes() {
        let mut sheet = b"title,body\n".to_vec();
        let rows = [
            &b"plain,row\n"[..],
            b"\"two\nlines\",x\n",
            b"\"say \"\"hi\"\"\n\",\"\"\"\"\n",
        ];
        let mut count = 0u32;
        while sheet.len() < 3 * PIECE_BYTES as usize {
            sheet.extend_from_slice(rows[count as usize % rows.len()]);
            count += 1;
        }
        let mut cuts = RowCuts::new(Vec::new());
        // Written in uneven blocks, as a writer may.
        for block in sheet.chunks(4093) {
            cuts.write_all(block).unwrap();
        }
        let (written, cuts) = cuts.into_parts();
        assert!(written == sheet);
        assert_eq!(
            (cuts.header_end, cuts.rows, cuts.end),
            (11, count, sheet.len() as u64)
        );
        assert!(cuts.pieces.len() >= 3, "{:?}", cuts.pieces);
        for piece in &cuts.pieces {
            // The rows before a piece are exactly the rows numbered before its first.
            let before = &sheet[cuts.header_end as usize..piece.byte as usize];
            let records = csv_reader(before).records().count() as u32;
            assert_eq!(records + 1, piece.row, "{piece:?}");
        }
    }
}
