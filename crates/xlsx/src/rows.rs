//! [`SheetRows`]: a sheet's rows in order, each as its cells from column A.
//!
//! An xlsx sheet is streamed by calamine's cell reader on a thread of its own, a bounded
//! queue of rows ahead, so memory holds a few rows whatever the sheet's size; ods and
//! xls sheets are read whole by calamine (its only reader for them) and walked.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, Range, Xlsx};

use crate::columns::{MAX_COLUMNS, cell_name};
use crate::source::Source;

/// How many rows the streaming thread may read ahead.
const ROWS_AHEAD: usize = 64;

/// One row of a sheet.
#[derive(Debug, Default)]
pub(crate) struct SheetRow {
    /// The row's number in the sheet, 1-based.
    pub number: u32,
    /// Its cells from column A, up to its last one.
    pub cells: Vec<Data>,
    /// The columns of its formula cells (whose cached values `cells` holds).
    pub formulas: Vec<usize>,
}

/// The rows of one sheet; an error (a message naming what is wrong) ends them.
pub(crate) enum SheetRows {
    /// A sheet read whole, with the column and row its range starts at.
    Whole {
        range: Range<Data>,
        start: (u32, u32),
        next: usize,
    },
    /// An xlsx sheet streamed on another thread.
    Streamed(Receiver<Result<SheetRow, String>>),
}

impl SheetRows {
    /// The rows of a sheet calamine has read whole.
    pub(crate) fn whole(range: Range<Data>) -> SheetRows {
        let start = range.start().unwrap_or((0, 0));
        SheetRows::Whole {
            range,
            start,
            next: 0,
        }
    }

    /// The rows of the xlsx sheet `name`, read on a thread of their own.
    pub(crate) fn streamed(mut workbook: Xlsx<Source>, name: String) -> Result<SheetRows, String> {
        let (sender, receiver) = sync_channel(ROWS_AHEAD);
        std::thread::Builder::new()
            .name("recast-xlsx".into())
            .spawn(move || {
                // A workbook is hostile input: a panic in calamine is an error naming
                // the file, never the end of the program.
                let sent = catch_unwind(AssertUnwindSafe(|| {
                    send_rows(&mut workbook, &name, &sender)
                }))
                .unwrap_or_else(|_| Err("calamine could not parse the sheet".to_owned()));
                if let Err(message) = sent {
                    let _ = sender.send(Err(message));
                }
            })
            .map_err(|e| format!("cannot start the sheet's reading thread: {e}"))?;
        Ok(SheetRows::Streamed(receiver))
    }

    /// The next row, `None` at the end.
    pub(crate) fn next_row(&mut self) -> Option<Result<SheetRow, String>> {
        match self {
            SheetRows::Whole { range, start, next } => {
                let (height, width) = range.get_size();
                if *next >= height {
                    return None;
                }
                let r = *next;
                *next += 1;
                // From column A, as a streamed row is.
                let mut cells = vec![Data::Empty; start.1 as usize];
                cells.extend((0..width).map(|c| range.get((r, c)).cloned().unwrap_or_default()));
                Some(Ok(SheetRow {
                    number: start.0 + r as u32 + 1,
                    cells,
                    formulas: Vec::new(),
                }))
            }
            SheetRows::Streamed(receiver) => receiver.recv().ok(),
        }
    }
}

/// Reads the sheet cell by cell and sends it row by row; stops quietly when the reader
/// is gone.
fn send_rows(
    workbook: &mut Xlsx<Source>,
    name: &str,
    sender: &SyncSender<Result<SheetRow, String>>,
) -> Result<(), String> {
    let broken = |e: calamine::XlsxError| format!("cannot read sheet {name:?}: {e}");
    let mut cells = workbook.worksheet_cells_reader(name).map_err(broken)?;
    let mut row: Option<SheetRow> = None;
    while let Some(cell) = cells.next_cell_with_formula().map_err(broken)? {
        let (r, c) = cell.pos;
        let column = c as usize;
        if column >= MAX_COLUMNS {
            return Err(format!(
                "cell {} is past the last column a sheet has (XFD); expected a well-formed sheet",
                cell_name(column, r.saturating_add(1))
            ));
        }
        if let Some(done) = row.take_if(|row| row.number != r + 1)
            && sender.send(Ok(done)).is_err()
        {
            return Ok(());
        }
        let current = row.get_or_insert_with(|| SheetRow {
            number: r + 1,
            ..SheetRow::default()
        });
        if current.cells.len() <= column {
            current.cells.resize(column + 1, Data::Empty);
        }
        current.cells[column] = cell.value.into();
        if cell.formula.is_some_and(|formula| !formula.is_empty()) {
            current.formulas.push(column);
        }
    }
    if let Some(done) = row {
        let _ = sender.send(Ok(done));
    }
    Ok(())
}
