//! [`SheetText`]: a sheet's cells as the exact CSV text recast-csv's reader reads.
//!
//! Each typed cell becomes the CSV cell that holds the same value: a number its text,
//! a boolean `true`/`false`, a string its text with CSV's `'` marker where CSV needs it
//! (`2024` → `'2024`), so the reader, told not to infer types, reads back exactly the
//! value the cell held. Text cells of list and hinted columns are CSV cells already and
//! pass as they are. Continuation columns (`body:more`) are joined to the cell they
//! continue; rows with no value are left out; the text is made one row at a time, as the
//! rows arrive.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::io::{BufRead, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

use calamine::{Data, ExcelDateTime};
use recast_csv::{ColumnType, cell, split_hint};
use recast_model::Location;

use crate::columns::{CONTINUATION, TextCells, cell_name, text_cells};
use crate::number::cell_text;
use crate::rows::{SheetRow, SheetRows};

/// How many cells a warning names before it only counts the rest.
const CELLS_NAMED: usize = 5;

/// One column as the CSV reader sees it: a sheet column and its continuations.
struct Group {
    columns: Vec<usize>,
    cells: TextCells,
    /// Hinted `:bool`: a numeric 1 or 0 is true or false (LibreOffice saves booleans
    /// as numbers).
    boolean: bool,
}

/// What the reader learns as the text is made: where rows are, and what ended them.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    /// The sheet row of the header (0 before it is read, or when there is none).
    pub header_row: u32,
    /// The sheet row of each record's row made and not yet answered for, in order.
    pub data_rows: VecDeque<u32>,
    /// Why the rows ended early (a broken sheet), for the reader to report.
    pub failure: Option<String>,
}

/// Cells a warning names: the first few, and how many there were.
#[derive(Default)]
struct Named {
    cells: Vec<String>,
    count: usize,
}

impl Named {
    fn add(&mut self, column: usize, row: u32) {
        self.count += 1;
        if self.cells.len() < CELLS_NAMED {
            self.cells.push(cell_name(column, row));
        }
    }

    /// `C2, C3 and 4 more`.
    fn list(&self) -> String {
        let mut text = self.cells.join(", ");
        if self.count > self.cells.len() {
            text.push_str(&format!(" and {} more", self.count - self.cells.len()));
        }
        text
    }
}

/// The CSV text of a sheet, made one row at a time as the reader asks for it.
pub(crate) struct SheetText {
    rows: SheetRows,
    file: Option<Arc<Path>>,
    progress: Arc<Mutex<Progress>>,
    /// The header's columns, once read.
    groups: Vec<Group>,
    /// The sheet columns the groups cover.
    width: usize,
    header_done: bool,
    finished: bool,
    formulas: Named,
    errors: Named,
    buffer: Vec<u8>,
    position: usize,
    scratch: String,
}

/// The text a cell shows, for the cells that are neither numbers nor booleans.
fn shown(data: &Data) -> Option<Cow<'_, str>> {
    match data {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Some(Cow::Borrowed(s)),
        Data::DateTime(date) => Some(Cow::Owned(date_text(date))),
        Data::Error(e) => Some(Cow::Owned(e.to_string())),
        Data::Int(_) | Data::Float(_) | Data::Bool(_) | Data::Empty => None,
    }
}

/// A date cell as ISO 8601 text: `2024-01-05`, `2024-01-05T10:30:00`, `10:30:00`; a
/// duration as `h:mm:ss`.
fn date_text(date: &ExcelDateTime) -> String {
    let serial = date.as_f64();
    if date.is_duration() {
        let seconds = (serial * 86_400.0).round() as i64;
        return format!(
            "{}:{:02}:{:02}",
            seconds / 3600,
            seconds % 3600 / 60,
            seconds % 60
        );
    }
    let (year, month, day, hour, minute, second, milli) = date.to_ymd_hms_milli();
    let time = match milli {
        0 => format!("{hour:02}:{minute:02}:{second:02}"),
        _ => format!("{hour:02}:{minute:02}:{second:02}.{milli:03}"),
    };
    if serial.fract() == 0.0 {
        format!("{year:04}-{month:02}-{day:02}")
    } else if serial < 1.0 {
        time
    } else {
        format!("{year:04}-{month:02}-{day:02}T{time}")
    }
}

fn is_empty(data: &Data) -> bool {
    match data {
        Data::Empty => true,
        Data::String(s) => s.is_empty(),
        _ => false,
    }
}

impl SheetText {
    /// The text of `rows`; `progress` is shared with the reader.
    pub(crate) fn new(
        rows: SheetRows,
        file: Option<Arc<Path>>,
        progress: Arc<Mutex<Progress>>,
    ) -> SheetText {
        SheetText {
            rows,
            file,
            progress,
            groups: Vec::new(),
            width: 0,
            header_done: false,
            finished: false,
            formulas: Named::default(),
            errors: Named::default(),
            buffer: Vec::new(),
            position: 0,
            scratch: String::new(),
        }
    }

    fn progress(&self) -> std::sync::MutexGuard<'_, Progress> {
        // Only this reader's threads hold it, and none panics holding it.
        self.progress.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next row with a value, noting its formula and error cells; `None` at the
    /// end (a failure is kept for the reader).
    fn next_filled(&mut self) -> Option<SheetRow> {
        loop {
            match self.rows.next_row()? {
                Ok(row) => {
                    for &column in &row.formulas {
                        self.formulas.add(column, row.number);
                    }
                    for (column, data) in row.cells.iter().enumerate() {
                        if matches!(data, Data::Error(_)) {
                            self.errors.add(column, row.number);
                        }
                    }
                    if row.cells.iter().any(|d| !is_empty(d)) {
                        return Some(row);
                    }
                }
                Err(message) => {
                    self.progress().failure = Some(message);
                    return None;
                }
            }
        }
    }

    /// At the end: the warnings about formula and error cells, once.
    fn warn(&self) {
        let name = Location::new(self.file.clone(), 0, 0);
        let (formulas, errors) = (&self.formulas, &self.errors);
        if formulas.count > 0 {
            log::warn!(
                "{name}: formula cell{} {} read as {} cached value{} (recast reads values, \
                 not formulas)",
                if formulas.count == 1 { "" } else { "s" },
                formulas.list(),
                if formulas.count == 1 { "its" } else { "their" },
                if formulas.count == 1 { "" } else { "s" },
            );
        }
        if errors.count > 0 {
            log::warn!(
                "{name}: error cell{} {} read as the error's text (#DIV/0!, #N/A, ...)",
                if errors.count == 1 { "" } else { "s" },
                errors.list(),
            );
        }
    }

    /// The header: its columns, continuations joined to the column they continue.
    fn read_header(&mut self, row: &SheetRow) {
        self.width = row
            .cells
            .iter()
            .rposition(|d| !is_empty(d))
            .map_or(0, |c| c + 1);
        let mut base = String::new();
        for (c, data) in row.cells[..self.width].iter().enumerate() {
            let name = header_text(data);
            let continues = name
                .strip_suffix(CONTINUATION)
                .is_some_and(|prefix| !self.groups.is_empty() && prefix == base);
            match self.groups.last_mut() {
                Some(group) if continues => group.columns.push(c),
                _ => {
                    self.groups.push(Group {
                        columns: vec![c],
                        cells: text_cells(&name),
                        boolean: split_hint(&name).1 == Some(ColumnType::Bool),
                    });
                    base = name;
                }
            }
        }
    }

    /// Makes the CSV text of the next row; false at the end.
    fn make_row(&mut self) -> bool {
        self.buffer.clear();
        self.position = 0;
        if self.finished {
            return false;
        }
        let Some(row) = self.next_filled() else {
            self.finished = true;
            self.warn();
            return false;
        };
        if !self.header_done {
            self.header_done = true;
            self.read_header(&row);
            self.progress().header_row = row.number;
            let header: Vec<String> = row.cells[..self.width].iter().map(header_text).collect();
            let mut start = 0;
            for (i, group) in self.groups.iter().enumerate() {
                if i > 0 {
                    self.buffer.push(b',');
                }
                push_csv_field(&mut self.buffer, &header[group.columns[0]]);
                start = group.columns[group.columns.len() - 1] + 1;
            }
            debug_assert_eq!(start, self.width);
            self.buffer.push(b'\n');
            return true;
        }
        self.progress().data_rows.push_back(row.number);
        for (i, group) in self.groups.iter().enumerate() {
            if i > 0 {
                self.buffer.push(b',');
            }
            let cell = |c: usize| row.cells.get(c).unwrap_or(&Data::Empty);
            let first = cell(group.columns[0]);
            self.scratch.clear();
            let text: &str = match first {
                Data::Int(1) if group.boolean => "true",
                Data::Int(0) if group.boolean => "false",
                Data::Float(f) if group.boolean && (*f == 0.0 || *f == 1.0) => {
                    if *f == 1.0 {
                        "true"
                    } else {
                        "false"
                    }
                }
                Data::Int(n) => {
                    let _ = write!(self.scratch, "{n}");
                    &self.scratch
                }
                Data::Float(f) => {
                    self.scratch.push_str(&cell_text(*f));
                    &self.scratch
                }
                Data::Bool(b) => {
                    if *b {
                        "true"
                    } else {
                        "false"
                    }
                }
                Data::Empty => "",
                other => {
                    let mut joined = shown(other).unwrap_or_default();
                    for &c in &group.columns[1..] {
                        if let Some(more) = shown(cell(c)) {
                            joined.to_mut().push_str(&more);
                        }
                    }
                    encode_text(&mut self.scratch, &joined, group.cells);
                    &self.scratch
                }
            };
            push_csv_field(&mut self.buffer, text);
        }
        // Values past the header's last column: fields the header has no name for,
        // which the CSV reader reports (never dropped silently).
        if let Some(last) = row.cells.iter().rposition(|d| !is_empty(d))
            && last >= self.width
        {
            for data in &row.cells[self.width..=last] {
                self.buffer.push(b',');
                push_csv_field(&mut self.buffer, &header_text(data));
            }
        }
        self.buffer.push(b'\n');
        true
    }
}

/// A header cell's text, whatever its type.
fn header_text(data: &Data) -> String {
    match data {
        Data::Int(n) => n.to_string(),
        Data::Float(f) => cell_text(*f),
        Data::Bool(b) => b.to_string(),
        other => shown(other).unwrap_or_default().into_owned(),
    }
}

/// The CSV cell of a text cell's content.
fn encode_text(out: &mut String, text: &str, cells: TextCells) {
    if text.is_empty() {
        return;
    }
    match cells {
        TextCells::Csv => out.push_str(text),
        TextCells::Typed => {
            if let Some(string) = cell::typed_strip_marker(text) {
                push_string(out, string);
            } else if matches!(text, "[]" | "{}") {
                // The empty list or map marker.
                out.push_str(text);
            } else {
                push_string(out, text);
            }
        }
    }
}

fn push_string(out: &mut String, text: &str) {
    if cell::needs_marker(text, false) {
        out.push('\'');
    }
    out.push_str(text);
}

/// Appends a CSV field, quoted when it must be.
fn push_csv_field(out: &mut Vec<u8>, field: &str) {
    let bytes = field.as_bytes();
    if memchr::memchr3(b',', b'"', b'\n', bytes).is_none() && memchr::memchr(b'\r', bytes).is_none()
    {
        out.extend_from_slice(field.as_bytes());
        return;
    }
    out.push(b'"');
    out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
    out.push(b'"');
}

impl Read for SheetText {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for SheetText {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.position >= self.buffer.len() {
            if !self.make_row() {
                break;
            }
        }
        Ok(&self.buffer[self.position..])
    }

    fn consume(&mut self, amount: usize) {
        self.position = (self.position + amount).min(self.buffer.len());
    }
}
