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

/// How many rows go to the reader at once: one wake-up of the other thread per batch
/// rather than per row.
const ROWS_PER_BATCH: usize = 32;

/// How many batches the streaming thread may read ahead.
const BATCHES_AHEAD: usize = 4;

/// The most cells a new row makes room for before its cells arrive.
const WIDTH_RESERVED: usize = 1024;

/// What the streaming thread sends: a batch of rows, or the error that ends them.
type Batch = Result<Vec<SheetRow>, String>;

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
    /// An xlsx sheet streamed on another thread, and the rows of the batch received
    /// last, in reverse order.
    Streamed {
        batches: Receiver<Batch>,
        batch: Vec<SheetRow>,
    },
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
        let (sender, receiver) = sync_channel(BATCHES_AHEAD);
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
        Ok(SheetRows::Streamed {
            batches: receiver,
            batch: Vec::new(),
        })
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
            SheetRows::Streamed { batches, batch } => loop {
                if let Some(row) = batch.pop() {
                    return Some(Ok(row));
                }
                match batches.recv().ok()? {
                    Ok(rows) => {
                        *batch = rows;
                        batch.reverse();
                    }
                    Err(message) => return Some(Err(message)),
                }
            },
        }
    }
}

/// Reads the sheet cell by cell and sends it in batches of rows; stops quietly when the
/// reader is gone.
fn send_rows(
    workbook: &mut Xlsx<Source>,
    name: &str,
    sender: &SyncSender<Batch>,
) -> Result<(), String> {
    let broken = |e: calamine::XlsxError| format!("cannot read sheet {name:?}: {e}");
    let mut cells = workbook.worksheet_cells_reader(name).map_err(broken)?;
    let mut batch: Vec<SheetRow> = Vec::with_capacity(ROWS_PER_BATCH);
    let mut width = 0;
    // An error ends the rows: the rows before the one it is in go first.
    let fail = |mut batch: Vec<SheetRow>, message: String| {
        batch.pop();
        let _ = sender.send(Ok(batch));
        Err(message)
    };
    loop {
        let cell = match cells.next_cell_with_formula() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => return fail(batch, broken(e)),
        };
        let (r, c) = cell.pos;
        let column = c as usize;
        if column >= MAX_COLUMNS {
            let message = format!(
                "cell {} is past the last column a sheet has (XFD); expected a well-formed sheet",
                cell_name(column, r.saturating_add(1))
            );
            return fail(batch, message);
        }
        if batch.last().is_none_or(|row| row.number != r + 1) {
            if batch.len() == ROWS_PER_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(ROWS_PER_BATCH));
                if sender.send(Ok(full)).is_err() {
                    return Ok(());
                }
            }
            batch.push(SheetRow {
                number: r + 1,
                // Rows are mostly as wide as the widest so far (not past a bound: one
                // cell in column XFD would make every row's room 16,384 cells).
                cells: Vec::with_capacity(width.min(WIDTH_RESERVED)),
                formulas: Vec::new(),
            });
        }
        let current = batch.last_mut().expect("pushed above");
        if current.cells.len() <= column {
            current.cells.resize(column + 1, Data::Empty);
            width = width.max(column + 1);
        }
        current.cells[column] = cell.value.into();
        if cell.formula.is_some_and(|formula| !formula.is_empty()) {
            current.formulas.push(column);
        }
    }
    let _ = sender.send(Ok(batch));
    Ok(())
}
