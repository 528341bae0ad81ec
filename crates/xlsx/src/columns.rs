//! What the writer and the reader agree on beyond CSV's convention: how a column's text
//! cells are read, continuation columns, and the sheet's limits.

use recast_csv::{ColumnType, split_hint};

/// The most characters a cell holds (Excel's limit; LibreOffice's is higher).
pub(crate) const MAX_CELL_CHARS: usize = 32_767;

/// The most rows a sheet holds, the header's included.
pub(crate) const MAX_ROWS: u32 = 1_048_576;

/// The most columns a sheet holds.
pub(crate) const MAX_COLUMNS: usize = 16_384;

/// The header suffix of a continuation column: `body:more` holds the next 32,767
/// characters of the `body` cell to its left (the header before `:more` is the header
/// of the column it continues).
pub(crate) const CONTINUATION: &str = ":more";

/// The header of CSV's `:order` column (rows whose fields are not in column order).
pub(crate) const ORDER_COLUMN: &str = ":order";

/// How a column's text cells hold their values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextCells {
    /// A text cell is a string (numbers and booleans have cells of their own); only the
    /// empty string and the `[]`/`{}` markers need a leading `'`.
    Typed,
    /// A text cell is a CSV cell: list cells (`:list`, `:order`), and columns hinted
    /// `:number`, `:int`, `:float`, `:bool` or `:any`, where a number a spreadsheet
    /// cannot hold exactly is stored as its text and a string that looks like something
    /// else carries CSV's `'` marker.
    Csv,
}

/// How the text cells of the column with this header are read and written.
pub(crate) fn text_cells(header: &str) -> TextCells {
    if header == ORDER_COLUMN {
        return TextCells::Csv;
    }
    match split_hint(header).1 {
        None | Some(ColumnType::String) => TextCells::Typed,
        Some(_) => TextCells::Csv,
    }
}

/// The header a continuation column of `header` has.
pub(crate) fn continuation_of(header: &str) -> String {
    format!("{header}{CONTINUATION}")
}

/// A spreadsheet's name of a cell: `C5` for the 0-based column 2, 1-based row 5.
pub(crate) fn cell_name(column: usize, row: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8_lossy(&letters))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_name_them() {
        assert_eq!(cell_name(0, 1), "A1");
        assert_eq!(cell_name(2, 5), "C5");
        assert_eq!(cell_name(27, 10), "AB10");
    }

    #[test]
    fn hinted_columns_hold_csv_cells() {
        assert_eq!(text_cells("title"), TextCells::Typed);
        assert_eq!(text_cells("title:string"), TextCells::Typed);
        assert_eq!(text_cells("topics:list"), TextCells::Csv);
        assert_eq!(text_cells("big:number"), TextCells::Csv);
        assert_eq!(text_cells(":order"), TextCells::Csv);
        assert_eq!(text_cells(r"dc\:creator"), TextCells::Typed);
    }
}
