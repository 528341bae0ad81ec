//! The worksheet's XML (SpreadsheetML, ECMA-376 part 1, 18.3): its start (the parts
//! that need the whole sheet: dimension, frozen header, column widths, the header row),
//! its rows, a piece at a time, and its end (the autofilter).
//!
//! Strings are inline (`t="inlineStr"`), so no shared-strings table grows with the
//! rows; text is escaped as Excel does: `&`, `<`, `>` as entities, the control
//! characters XML cannot hold as `_xHHHH_`, and a literal `_xHHHH_` with its `_` as
//! `_x005F_`, which is what Excel, LibreOffice and calamine read back.

use std::collections::HashMap;
use std::io::Write;

use recast_csv::cell;
use recast_model::{Result, Value};

use crate::columns::{MAX_CELL_CHARS, ORDER_COLUMN, TextCells, continuation_of};
use crate::layout::{Cell, Layout, decode};
use crate::number::{cell_text, exact_cell_value};
use crate::piece_rows::PieceRows;

/// The XML declaration every part starts with.
pub(crate) const DECLARATION: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

const WORKSHEET: &str = "<worksheet \
    xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
    xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">";

const PAGE_MARGINS: &str = "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" \
    bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>";

/// A cell's style, one of `styles.xml`'s cell formats (0, 1, 2 in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Plain,
    Bold,
    Wrapped,
}

/// The names of a sheet's columns: `A`, `B`, ..., `AA`.
pub(crate) fn column_letters(count: usize) -> Vec<String> {
    (0..count)
        .map(|column| {
            let mut letters = Vec::new();
            let mut n = column + 1;
            while n > 0 {
                letters.push(b'A' + ((n - 1) % 26) as u8);
                n = (n - 1) / 26;
            }
            letters.iter().rev().map(|&b| char::from(b)).collect()
        })
        .collect()
}

/// The range a sheet's cells cover, `A1:F21` (`A1` for an empty sheet).
pub(crate) fn sheet_range(letters: &[String], rows: u32) -> String {
    match letters.last() {
        Some(last) => format!("A1:{last}{}", rows + 1),
        None => "A1".to_owned(),
    }
}

/// A sheet's start, up to `<sheetData>`: its columns named `letters`, `rows` rows below
/// the header, columns `widths` characters wide. The sheet shown first is `selected`;
/// a `frozen` sheet keeps its first row in view.
pub(crate) fn sheet_start(
    letters: &[String],
    rows: u32,
    widths: impl Iterator<Item = usize>,
    selected: bool,
    frozen: bool,
) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(DECLARATION.as_bytes());
    out.extend_from_slice(WORKSHEET.as_bytes());
    let _ = write!(out, "<dimension ref=\"{}\"/>", sheet_range(letters, rows));
    out.extend_from_slice(b"<sheetViews><sheetView");
    if selected {
        out.extend_from_slice(b" tabSelected=\"1\"");
    }
    out.extend_from_slice(b" workbookViewId=\"0\"");
    if !frozen || letters.is_empty() {
        out.extend_from_slice(b"/>");
    } else {
        out.extend_from_slice(
            b"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" \
              state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView>",
        );
    }
    out.extend_from_slice(b"</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
    let widths: Vec<usize> = widths.collect();
    if !widths.is_empty() {
        out.extend_from_slice(b"<cols>");
        // Runs of equal widths share one `<col>`, as Excel writes them.
        let mut first = 0;
        while first < widths.len() {
            let mut last = first;
            while last + 1 < widths.len() && widths[last + 1] == widths[first] {
                last += 1;
            }
            let _ = write!(
                out,
                "<col min=\"{}\" max=\"{}\" width=\"{}\" customWidth=\"1\"/>",
                first + 1,
                last + 1,
                excel_width(widths[first])
            );
            first = last + 1;
        }
        out.extend_from_slice(b"</cols>");
    }
    out.extend_from_slice(b"<sheetData>");
    out
}

/// The width Excel stores for a column `characters` wide: the characters' width in
/// pixels of Calibri 11's digits (7) plus 5 pixels of padding, in characters, to 1/256.
fn excel_width(characters: usize) -> f64 {
    let pixels = characters as f64 * 7.0 + 5.0;
    (pixels / 7.0 * 256.0).floor() / 256.0
}

/// The records sheet's start: its header row (bold; the rows below frozen).
pub(crate) fn records_start(layout: &Layout, letters: &[String]) -> Vec<u8> {
    let widths = layout
        .columns
        .iter()
        .flat_map(|column| std::iter::repeat_n(column.width(), column.span()));
    let mut out = sheet_start(letters, layout.cuts.rows, widths, true, true);
    let mut row = RowXml::new(&mut out, letters, 1);
    for column in &layout.columns {
        for extra in 0..column.span() {
            let header = match extra {
                0 => column.header.clone(),
                _ => continuation_of(&column.header),
            };
            row.text(column.at + extra, &header, Style::Bold);
        }
    }
    row.end();
    out
}

/// A sheet's end; `filtered` puts an autofilter on its header row.
pub(crate) fn sheet_end(letters: &[String], rows: u32, filtered: bool) -> Vec<u8> {
    let mut out = b"</sheetData>".to_vec();
    if filtered && !letters.is_empty() {
        let _ = write!(out, "<autoFilter ref=\"{}\"/>", sheet_range(letters, rows));
    }
    out.extend_from_slice(PAGE_MARGINS.as_bytes());
    out.extend_from_slice(b"</worksheet>");
    out
}

/// Appends the rows of `csv`, whole rows of the CSV sheet whose first is data row
/// `first_row`, as sheet rows.
pub(crate) fn push_rows(
    layout: &Layout,
    letters: &[String],
    csv: &[u8],
    first_row: u32,
    out: &mut Vec<u8>,
) -> Result<()> {
    let mut rows = PieceRows::new(csv)?;
    let mut fields = Vec::new();
    let mut marked = String::new();
    let mut number = first_row;
    while rows.next_row(&mut fields)? {
        // The header is row 1.
        let mut row = RowXml::new(out, letters, number + 1);
        number += 1;
        for (column, text) in layout.columns.iter().zip(&fields) {
            let text: &str = text;
            let at = column.at;
            let style = match column.wrap {
                true => Style::Wrapped,
                false => Style::Plain,
            };
            match decode(text, column.list) {
                Cell::Empty => {}
                Cell::List(text) if column.header == ORDER_COLUMN => {
                    // The `:order` cell names columns by their headers, some renamed.
                    row.long_text(at, &order_names(text, &layout.renamed), style);
                }
                Cell::List(text) | Cell::Marker(text) => row.long_text(at, text, style),
                Cell::Text(string) => match column.text_cells {
                    TextCells::Csv => row.long_text(at, text, style),
                    TextCells::Typed if cell::typed_needs_marker(string) => {
                        marked.clear();
                        marked.push('\'');
                        marked.push_str(string);
                        row.long_text(at, &marked, style);
                    }
                    TextCells::Typed => row.long_text(at, string, style),
                },
                Cell::Number(n) => match exact_cell_value(&n, column.float) {
                    Some(value) => row.number(at, value),
                    None => row.long_text(at, text, style),
                },
                Cell::Bool(b) => row.boolean(at, b),
            }
        }
        row.end();
    }
    Ok(())
}

/// An `:order` cell with the columns' headers as the sheet has them.
fn order_names(text: &str, renamed: &HashMap<String, String>) -> String {
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

/// One row's XML, written as its cells come (left to right); a row without cells
/// writes nothing.
pub(crate) struct RowXml<'a> {
    out: &'a mut Vec<u8>,
    letters: &'a [String],
    /// The row's number, as text.
    number: String,
    open: bool,
}

impl<'a> RowXml<'a> {
    /// Row `number` (1-based) of a sheet whose columns are named `letters`.
    pub(crate) fn new(out: &'a mut Vec<u8>, letters: &'a [String], number: u32) -> Self {
        RowXml {
            out,
            letters,
            number: number.to_string(),
            open: false,
        }
    }

    /// Opens the cell at `column`, up to its attributes' end (` r="C5"` written).
    fn open_cell(&mut self, column: usize) {
        if !self.open {
            self.open = true;
            self.out.extend_from_slice(b"<row r=\"");
            self.out.extend_from_slice(self.number.as_bytes());
            self.out.extend_from_slice(b"\">");
        }
        self.out.extend_from_slice(b"<c r=\"");
        self.out.extend_from_slice(self.letters[column].as_bytes());
        self.out.extend_from_slice(self.number.as_bytes());
        self.out.push(b'"');
    }

    /// A text cell (at most 32,767 characters).
    pub(crate) fn text(&mut self, column: usize, text: &str, style: Style) {
        self.open_cell(column);
        self.out.extend_from_slice(match style {
            Style::Plain => b"",
            Style::Bold => b" s=\"1\"",
            Style::Wrapped => b" s=\"2\"",
        });
        let whitespace = ['\t', '\n', ' '];
        if text.starts_with(whitespace) || text.ends_with(whitespace) {
            self.out
                .extend_from_slice(b" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
        } else {
            self.out.extend_from_slice(b" t=\"inlineStr\"><is><t>");
        }
        push_escaped(self.out, text);
        self.out.extend_from_slice(b"</t></is></c>");
    }

    /// A text cell, its part past 32,767 characters in the continuation columns to its
    /// right.
    fn long_text(&mut self, column: usize, text: &str, style: Style) {
        let mut rest = text;
        let mut at = column;
        loop {
            // Cells are short but for a few: count characters only past the limit.
            let end = match rest.len() <= MAX_CELL_CHARS {
                true => rest.len(),
                false => rest
                    .char_indices()
                    .nth(MAX_CELL_CHARS)
                    .map_or(rest.len(), |(i, _)| i),
            };
            let (piece, more) = rest.split_at(end);
            self.text(at, piece, style);
            if more.is_empty() {
                return;
            }
            rest = more;
            at += 1;
        }
    }

    /// A numeric cell.
    fn number(&mut self, column: usize, value: f64) {
        self.open_cell(column);
        self.out.extend_from_slice(b"><v>");
        self.out.extend_from_slice(cell_text(value).as_bytes());
        self.out.extend_from_slice(b"</v></c>");
    }

    /// A boolean cell.
    fn boolean(&mut self, column: usize, value: bool) {
        self.open_cell(column);
        self.out.extend_from_slice(match value {
            true => b" t=\"b\"><v>1</v></c>",
            false => b" t=\"b\"><v>0</v></c>",
        });
    }

    /// Closes the row, if it has cells.
    pub(crate) fn end(self) {
        if self.open {
            self.out.extend_from_slice(b"</row>");
        }
    }
}

/// The bytes [`push_escaped`] looks at: the rest are copied as they are.
const SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        special[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    special[b'&' as usize] = true;
    special[b'<' as usize] = true;
    special[b'>' as usize] = true;
    special[b'_' as usize] = true;
    // The first byte of U+FFFE and U+FFFF (and of other characters, copied).
    special[0xEF] = true;
    special
};

/// Appends `text` escaped for an XML text node, as Excel escapes it.
fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    // Most text has nothing to escape: find the next byte to look at, table-driven.
    while let Some(skip) = bytes[i..].iter().position(|&b| SPECIAL[b as usize]) {
        i += skip;
        // What replaces the bytes at `i`, and how many it replaces.
        let (replacement, replaced): (&[u8], usize) = match bytes[i] {
            b'&' => (b"&amp;", 1),
            b'<' => (b"&lt;", 1),
            b'>' => (b"&gt;", 1),
            control @ 0..=0x1F => {
                out.extend_from_slice(&bytes[copied..i]);
                let _ = write!(out, "_x{control:04X}_");
                i += 1;
                copied = i;
                continue;
            }
            // A literal `_xHHHH_` would read as an escape: `_x005F` goes before it.
            b'_' if is_escape_lookalike(&bytes[i..]) => (b"_x005F", 0),
            // U+FFFE and U+FFFF, which XML cannot hold either.
            0xEF if bytes[i..].starts_with(b"\xEF\xBF\xBE") => (b"_xFFFE_", 3),
            0xEF if bytes[i..].starts_with(b"\xEF\xBF\xBF") => (b"_xFFFF_", 3),
            _ => (b"", 0),
        };
        if !replacement.is_empty() {
            out.extend_from_slice(&bytes[copied..i]);
            out.extend_from_slice(replacement);
            copied = i + replaced;
        }
        i += replaced.max(1);
    }
    out.extend_from_slice(&bytes[copied..]);
}

/// Whether `bytes` start with `_x`, four hex digits and `_`.
fn is_escape_lookalike(bytes: &[u8]) -> bool {
    bytes.len() >= 7
        && bytes[1] == b'x'
        && bytes[2..6].iter().all(u8::is_ascii_hexdigit)
        && bytes[6] == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = Vec::new();
        push_escaped(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn text_is_escaped_as_excel_escapes_it() {
        assert_eq!(escaped("a < b & c > d"), "a &lt; b &amp; c &gt; d");
        assert_eq!(escaped("\"quoted\"\ttab\nline"), "\"quoted\"\ttab\nline");
        assert_eq!(escaped("\r\u{1}x\u{1f}"), "_x000D__x0001_x_x001F_");
        assert_eq!(escaped("_x0041_ and _x12_"), "_x005F_x0041_ and _x12_");
        assert_eq!(escaped("a\u{FFFE}b\u{FFFF}"), "a_xFFFE_b_xFFFF_");
        assert_eq!(escaped("čaj 🍵"), "čaj 🍵");
    }

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        let letters = column_letters(800);
        assert_eq!(
            [
                &letters[0],
                &letters[25],
                &letters[26],
                &letters[27],
                &letters[701],
                &letters[702]
            ],
            ["A", "Z", "AA", "AB", "ZZ", "AAA"]
        );
        assert_eq!(sheet_range(&letters[..3], 20), "A1:C21");
    }

    #[test]
    fn widths_are_stored_as_excel_stores_them() {
        assert_eq!(excel_width(10), 10.7109375);
        assert_eq!(excel_width(62), 62.7109375);
    }
}
