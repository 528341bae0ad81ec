//! [`SheetText`]: a sheet's cells as the exact CSV text recast-csv's reader reads.
//!
//! Each typed cell becomes the CSV cell that holds the same value: a number its text,
//! a boolean `true`/`false`, a string its text with CSV's `'` marker where CSV needs it
//! (`2024` → `'2024`), so the reader, told not to infer types, reads back exactly the
//! value the cell held. Text cells of list and hinted columns are CSV cells already and
//! pass as they are. Continuation columns (`body:more`) are joined to the cell they
//! continue; rows with no value are left out; the text is made one row at a time.

use std::io::{BufRead, Read};
use std::path::Path;

use calamine::{Data, ExcelDateTime, Range};
use recast_csv::{ColumnType, cell, split_hint};

use crate::columns::{CONTINUATION, TextCells, cell_name, text_cells};
use crate::number::cell_text;

/// How many error cells the warning names.
const ERRORS_NAMED: usize = 5;

/// One column as the CSV reader sees it: a sheet column and its continuations.
struct Group {
    columns: Vec<usize>,
    cells: TextCells,
    /// Hinted `:bool`: a numeric 1 or 0 is true or false (LibreOffice saves booleans
    /// as numbers).
    boolean: bool,
}

/// The CSV text of a sheet, made one row at a time as the reader asks for it.
pub(crate) struct SheetText {
    range: Range<Data>,
    groups: Vec<Group>,
    /// Row indexes in the range: the header, then the rows that hold a value.
    header: Option<usize>,
    rows: Vec<usize>,
    /// The sheet rows (1-based) of the header and of `rows`.
    header_row: u32,
    sheet_rows: Vec<u32>,
    /// The next row of `rows` to make (the header first).
    next: usize,
    header_done: bool,
    buffer: Vec<u8>,
    position: usize,
    scratch: String,
}

/// The text a cell shows, for the cells that are neither numbers nor booleans.
fn shown(data: &Data) -> Option<String> {
    match data {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::DateTime(date) => Some(date_text(date)),
        Data::Error(e) => Some(e.to_string()),
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
    pub(crate) fn new(range: Range<Data>, file: Option<&Path>) -> SheetText {
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let (height, width) = range.get_size();
        let mut filled = Vec::new();
        let mut errors = Vec::new();
        let mut error_count = 0usize;
        for (r, row) in range.rows().enumerate() {
            if row.iter().any(|d| !is_empty(d)) {
                filled.push(r);
            }
            for (c, data) in row.iter().enumerate() {
                if matches!(data, Data::Error(_)) {
                    error_count += 1;
                    if errors.len() < ERRORS_NAMED {
                        errors.push(cell_name(col0 as usize + c, row0 + r as u32 + 1));
                    }
                }
            }
        }
        if error_count > 0 {
            let more = match error_count > errors.len() {
                true => format!(" and {} more", error_count - errors.len()),
                false => String::new(),
            };
            log::warn!(
                "{}: error cell{} {}{more} read as the error's text (#DIV/0!, #N/A, ...)",
                file.map_or("<stdin>".into(), |f| f.display().to_string()),
                if error_count == 1 { "" } else { "s" },
                errors.join(", "),
            );
        }
        let header = filled.first().copied();
        let rows: Vec<usize> = filled.iter().skip(1).copied().collect();
        // Trailing columns without a value anywhere are no columns.
        let used = (0..width)
            .rev()
            .find(|&c| (0..height).any(|r| range.get((r, c)).is_some_and(|d| !is_empty(d))))
            .map_or(0, |c| c + 1);
        let mut groups: Vec<Group> = Vec::new();
        let mut base = String::new();
        if let Some(h) = header {
            for c in 0..used {
                let name = range.get((h, c)).map(header_text).unwrap_or_default();
                let continues = name
                    .strip_suffix(CONTINUATION)
                    .is_some_and(|prefix| !groups.is_empty() && prefix == base);
                match groups.last_mut() {
                    Some(group) if continues => group.columns.push(c),
                    _ => {
                        groups.push(Group {
                            columns: vec![c],
                            cells: text_cells(&name),
                            boolean: split_hint(&name).1 == Some(ColumnType::Bool),
                        });
                        base = name;
                    }
                }
            }
        }
        SheetText {
            header_row: header.map_or(0, |h| row0 + h as u32 + 1),
            sheet_rows: rows.iter().map(|&r| row0 + r as u32 + 1).collect(),
            range,
            groups,
            header,
            rows,
            next: 0,
            header_done: false,
            buffer: Vec::new(),
            position: 0,
            scratch: String::new(),
        }
    }

    /// The sheet row of the header (0 when the sheet is empty).
    pub(crate) fn header_row(&self) -> u32 {
        self.header_row
    }

    /// The sheet row of each record, in order.
    pub(crate) fn data_rows(&self) -> &[u32] {
        &self.sheet_rows
    }

    /// Makes the CSV text of the next row; false at the end.
    fn make_row(&mut self) -> bool {
        self.buffer.clear();
        self.position = 0;
        let row = if !self.header_done {
            self.header_done = true;
            match self.header {
                Some(h) => h,
                None => return false,
            }
        } else {
            match self.rows.get(self.next) {
                Some(&r) => {
                    self.next += 1;
                    r
                }
                None => return false,
            }
        };
        let is_header = Some(row) == self.header && self.next == 0;
        for (i, group) in self.groups.iter().enumerate() {
            if i > 0 {
                self.buffer.push(b',');
            }
            let first = self
                .range
                .get((row, group.columns[0]))
                .unwrap_or(&Data::Empty);
            self.scratch.clear();
            let text: &str =
                if is_header {
                    self.scratch.push_str(&header_text(first));
                    &self.scratch
                } else {
                    match first {
                        Data::Int(1) if group.boolean => "true",
                        Data::Int(0) if group.boolean => "false",
                        Data::Float(f) if group.boolean && (*f == 0.0 || *f == 1.0) => {
                            if *f == 1.0 { "true" } else { "false" }
                        }
                        Data::Int(n) => {
                            self.scratch.push_str(&n.to_string());
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
                                if let Some(more) = self.range.get((row, c)).and_then(shown) {
                                    joined.push_str(&more);
                                }
                            }
                            encode_text(&mut self.scratch, &joined, group.cells);
                            &self.scratch
                        }
                    }
                };
            push_csv_field(&mut self.buffer, text);
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
        other => shown(other).unwrap_or_default(),
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
    if !field.contains([',', '"', '\r', '\n']) {
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
