//! [`CsvReader`]: one record per row, nested again from the dotted headers.

use std::collections::VecDeque;
use std::io::{BufRead, Chain, Cursor, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use recast_model::path::FieldPath;
use recast_model::{
    Error, ErrorKind, Location, Map, Number, Origin, Record, RecordReader, Result, Value,
};

use crate::cell;
use crate::dialect::{DelimiterFrom, Dialect, LineEnding, SNIFF_BYTES};
use crate::header::{
    ColumnType, ORDER_COLUMN, RawHeader, Segment, column_label, parse_header, resolve_segments,
};
use crate::nest::{self, ColumnPath, Nesting, Slots};
use crate::options::CsvReadOptions;
use crate::rows::{Position, Row, RowSplitter};

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reading {
    /// Not decided yet: inference will.
    Undecided,
    /// Each cell by itself (numbers, booleans, `[]`, `{}`, text).
    Auto,
    /// Inferred text: a column with plain text in it reads `10001` next to `02139` as
    /// text too; the `[]`/`{}` markers still count.
    Text,
    /// From a header hint or the schema.
    Pinned(ColumnType),
}

struct Column {
    /// The header as written, less its marker: for messages and the `:order` column.
    name: String,
    path: ColumnPath,
    reading: Reading,
}

enum State {
    Start,
    Rows,
    Done,
}

/// Reads CSV or TSV into records: one per row, nested by the dotted headers, typed by
/// header hints, the schema, the `'` text marker, and per-column inference.
///
/// A UTF-8 byte order mark at the start is skipped, and so is an Excel `sep=` line,
/// which names the delimiter; without one the delimiter may be sniffed (see
/// [`CsvReadOptions::delimiter_choice`] and [`CsvReader::dialect`]). A row with more or
/// fewer fields than the header is an error naming the file and row; reading goes on
/// with the next row, so a caller may skip it. A row whose every cell is empty (what a
/// spreadsheet writes for a blank row) is no record: it is skipped, and the count of
/// such rows is a warning at the end.
pub struct CsvReader<R: BufRead> {
    splitter: RowSplitter<Bounded<Chain<Cursor<Vec<u8>>, R>>>,
    /// How far [`Bounded`] may read: the current row's start plus the limit.
    allowed: Arc<AtomicU64>,
    file: Option<Arc<Path>>,
    options: CsvReadOptions,
    columns: Vec<Column>,
    /// The `:order` column, when the sheet has one.
    order_column: Option<usize>,
    buffered: VecDeque<Result<Row>>,
    /// The row being read once inference is done, reused so that its buffers are not
    /// allocated again for every row.
    scratch: Row,
    /// How many distinct keys the top-level map of a record gets (the header's).
    top_keys: usize,
    /// Where the record being built holds the header's paths.
    slots: Slots,
    state: State,
    rows: u64,
    start_error: Option<Error>,
    dialect: Dialect,
    /// Lines before the header's, which the csv parser does not see (a `sep=` line).
    lines_before: u64,
    /// The lines of the all-empty rows skipped (the first few) and their count.
    empty_rows: (Vec<u64>, u64),
}

/// How many skipped empty rows the warning names by line.
const EMPTY_ROWS_NAMED: usize = 5;

/// What the csv parser may read past a row's start besides the row: its own buffer.
const READ_AHEAD: u64 = 64 << 10;

const TOO_BIG: &str = "recast: the row is too big";

/// The input as the csv parser sees it: reading stops with an error at the bound the
/// reader sets for the current row, so one row cannot grow without end.
struct Bounded<R> {
    input: R,
    read: u64,
    allowed: Arc<AtomicU64>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let room = self
            .allowed
            .load(Ordering::Relaxed)
            .saturating_sub(self.read);
        if room == 0 {
            return Err(std::io::Error::other(TOO_BIG));
        }
        let take = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.input.read(&mut buf[..take])?;
        self.read += n as u64;
        Ok(n)
    }
}

/// The first bytes of `input`, up to [`SNIFF_BYTES`], and whether they are all of it.
fn read_head(input: &mut impl BufRead) -> std::io::Result<(Vec<u8>, bool)> {
    let mut head = Vec::new();
    while head.len() < SNIFF_BYTES {
        let buf = match input.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((head, true));
        }
        let take = buf.len().min(SNIFF_BYTES - head.len());
        head.extend_from_slice(&buf[..take]);
        input.consume(take);
    }
    Ok((head, false))
}

/// A row whose every cell is empty: a spreadsheet's blank row, no record.
fn is_blank(row: &Row) -> bool {
    row.as_slice().is_empty()
}

impl<R: BufRead> CsvReader<R> {
    /// A reader of `input` with the default options; `source` names it in messages and
    /// records' origins (`None` for stdin).
    pub fn new(input: R, source: Option<Arc<Path>>) -> Self {
        Self::with_options(input, source, CsvReadOptions::default())
    }

    /// A reader with explicit options. The sheet's first bytes (at most
    /// [`SNIFF_BYTES`](crate::dialect::SNIFF_BYTES)) are read at once to tell its
    /// [`Dialect`]; an error reading them is the reader's first item.
    pub fn with_options(mut input: R, source: Option<Arc<Path>>, options: CsvReadOptions) -> Self {
        let file = source;
        let (head, complete, start_error) = match read_head(&mut input) {
            Ok((head, complete)) => (head, complete, None),
            Err(e) => (Vec::new(), true, Some(Error::io(file.clone(), e))),
        };
        let detected = crate::dialect::detect(&head, complete, &options);
        let dialect = detected.dialect;
        let name = Location::new(file.clone(), 0, 0);
        if let Some(named) = detected.overridden {
            log::warn!(
                "{name}:1: the sheet's `sep=` line names {}, but the delimiter given is {}: \
                 reading with {}",
                Dialect::delimiter_name(named),
                Dialect::delimiter_name(dialect.delimiter),
                Dialect::delimiter_name(dialect.delimiter),
            );
        }
        if dialect.delimiter_from == DelimiterFrom::Sniffed && dialect.delimiter != b',' {
            log::warn!(
                "{name}: fields are separated by {} (sniffed from the first rows; \
                 --delimiter chooses another)",
                Dialect::delimiter_name(dialect.delimiter)
            );
        }
        let mut head = Cursor::new(head);
        head.set_position(detected.skip as u64);
        let allowed = Arc::new(AtomicU64::new(0));
        let splitter = RowSplitter::new(
            Bounded {
                input: head.chain(input),
                read: 0,
                allowed: allowed.clone(),
            },
            dialect.delimiter,
        );
        CsvReader {
            splitter,
            allowed,
            file,
            options,
            columns: Vec::new(),
            order_column: None,
            buffered: VecDeque::new(),
            scratch: Row::default(),
            top_keys: 0,
            slots: Slots::default(),
            state: State::Start,
            rows: 0,
            start_error,
            dialect,
            lines_before: u64::from(dialect.sep_line),
            empty_rows: (Vec::new(), 0),
        }
    }

    /// The sheet's form as its first bytes show it: the delimiter read with (and
    /// where it came from), a byte order mark, a `sep=` line, the line ends. A writer
    /// rewriting the sheet can keep them.
    pub fn dialect(&self) -> &Dialect {
        &self.dialect
    }

    /// The line in the file where a row that the csv parser placed at `position` starts.
    fn line_at(&self, position: &Position) -> u64 {
        let line = match self.dialect.line_ending {
            LineEnding::Lf => position.line,
            // The splitter ends a row at the `\r` of `\r\n` and counts the `\n` into the
            // next row, so every row after the first would be placed a line early.
            LineEnding::CrLf => position.line + u64::from(position.byte > 0),
            // The splitter counts `\n` only: in a sheet of `\r` line ends, count rows.
            LineEnding::Cr => position.record + 1,
        };
        line + self.lines_before
    }

    fn row_line(&self, record: &Row) -> u64 {
        self.line_at(record.position())
    }

    fn location(&self, record: &Row) -> Location {
        Location::new(self.file.clone(), self.row_line(record), 0)
    }

    /// Reads one raw row; `None` at the end.
    fn read_row(&mut self) -> Option<Result<Row>> {
        // Rows of a sheet are alike: room for one like the last saves growing each.
        let mut record = match self.buffered.back() {
            Some(Ok(last)) => Row::sized_like(last),
            _ => Row::default(),
        };
        self.read_row_into(&mut record)
            .map(|result| result.map(|()| record))
    }

    /// Reads one raw row into `record`; `None` at the end.
    fn read_row_into(&mut self, record: &mut Row) -> Option<Result<()>> {
        let start = *self.splitter.position();
        let limit = self.options.max_record_bytes;
        self.allowed.store(
            start.byte.saturating_add(limit).saturating_add(READ_AHEAD),
            Ordering::Relaxed,
        );
        match self.splitter.read_row(record) {
            Ok(true) => Some(Ok(())),
            Ok(false) => None,
            Err(e) if e.to_string().contains(TOO_BIG) => {
                self.state = State::Done;
                Some(Err(Error::limit(
                    Location::new(self.file.clone(), self.line_at(&start), 0),
                    format!(
                        "row {} is bigger than {limit} bytes; expected smaller rows (--max-record-size)",
                        start.record
                    ),
                )))
            }
            Err(e) => {
                // Only reading the input fails: the splitter takes any bytes.
                self.state = State::Done;
                Some(Err(Error::new(
                    ErrorKind::Io,
                    Location::new(self.file.clone(), 0, 0),
                    e.to_string(),
                )))
            }
        }
    }

    fn start(&mut self) -> Result<bool> {
        if let Some(error) = self.start_error.take() {
            return Err(error);
        }
        let header = loop {
            match self.read_row() {
                None => return Ok(false),
                Some(Ok(row)) if is_blank(&row) => self.note_blank(&row),
                Some(header) => break header?,
            }
        };
        let line = self.row_line(&header);
        let at = || Location::new(self.file.clone(), line, 0);
        let mut raw: Vec<RawHeader> = Vec::with_capacity(header.len());
        let mut names = Vec::with_capacity(header.len());
        for (i, cell) in header.iter().enumerate() {
            let text = std::str::from_utf8(cell).map_err(|_| {
                Error::new(
                    ErrorKind::Encoding,
                    at(),
                    format!(
                        "invalid UTF-8 in the header's {}; expected UTF-8 text",
                        column_label(i)
                    ),
                )
            })?;
            let text = cell::strip_header_marker(text, self.options.sanitize);
            if text.is_empty() {
                return Err(Error::syntax(
                    at(),
                    format!(
                        "the header's {} is empty; expected a name for every column \
                         (name it, or delete the column)",
                        column_label(i)
                    ),
                ));
            }
            raw.push(parse_header(text));
            names.push(text.to_owned());
        }
        let segments = resolve_segments(&raw);
        if let Some(message) = duplicate_column(&raw, &segments, &names) {
            return Err(Error::data(at(), message));
        }
        self.order_column = names.iter().position(|n| n == ORDER_COLUMN);
        let field_paths: Vec<FieldPath> = segments
            .iter()
            .map(|segments| FieldPath::from_keys(segments.iter().map(|s| s.text().into_owned())))
            .collect();
        let nesting = Nesting::new(segments);
        self.top_keys = nesting.top_keys;
        self.slots = nesting.slots();
        self.columns = raw
            .iter()
            .zip(field_paths)
            .zip(names)
            .zip(nesting.columns)
            .map(|(((raw, field_path), name), path)| {
                let pinned = self
                    .options
                    .schema
                    .as_ref()
                    .and_then(|s| s.get_path(&field_path))
                    .or(raw.hint);
                let reading = if name == ORDER_COLUMN {
                    Reading::Pinned(ColumnType::List)
                } else {
                    let unpinned = match self.options.infer_types {
                        true => Reading::Undecided,
                        false => Reading::Auto,
                    };
                    pinned.map_or(unpinned, Reading::Pinned)
                };
                Column {
                    name,
                    path,
                    reading,
                }
            })
            .collect();
        if self.columns.iter().any(|c| c.reading == Reading::Undecided) {
            while self.buffered.len() < self.options.infer_rows {
                match self.read_row() {
                    Some(row) => self.buffered.push_back(row),
                    None => break,
                }
                if matches!(self.state, State::Done) {
                    break;
                }
            }
            self.infer();
        }
        Ok(true)
    }

    /// A column with plain text among its unmarked cells is text; any other is read
    /// cell by cell. So `007` is never 7, and `10001` next to `02139` stays text.
    fn infer(&mut self) {
        let sanitize = self.options.sanitize;
        for (i, column) in self.columns.iter_mut().enumerate() {
            if column.reading != Reading::Undecided {
                continue;
            }
            let has_text = self.buffered.iter().flatten().any(|row| {
                row.get(i)
                    .and_then(|c| std::str::from_utf8(c).ok())
                    .is_some_and(|text| {
                        !text.is_empty()
                            && cell::strip_marker(text, sanitize).is_none()
                            && cell::is_plain_text(text)
                    })
            });
            column.reading = if has_text {
                Reading::Text
            } else {
                Reading::Auto
            };
        }
    }

    fn record_of(&mut self, row: &Row) -> Result<Record> {
        let mut slots = std::mem::take(&mut self.slots);
        slots.clear();
        let record = self.build_record(row, &mut slots);
        self.slots = slots;
        record
    }

    /// The record of a row, its fields nested by the columns' paths.
    fn build_record(&self, row: &Row, slots: &mut Slots) -> Result<Record> {
        let at = || {
            let mut location = self.location(row);
            location.record = Some(self.rows);
            location
        };
        if row.len() != self.columns.len() {
            // One header field and more in the rows: most likely the wrong delimiter.
            let hint = if self.columns.len() == 1 && row.len() > 1 {
                format!(
                    " (split at {}; if the sheet separates its fields with another \
                     character, give it with --delimiter)",
                    Dialect::delimiter_name(self.dialect.delimiter)
                )
            } else {
                String::new()
            };
            return Err(Error::syntax(
                at(),
                format!(
                    "row {} has {} field{}, but the header has {}{hint}",
                    self.rows,
                    row.len(),
                    if row.len() == 1 { "" } else { "s" },
                    self.columns.len()
                ),
            ));
        }
        let mut fields = Map::with_capacity_and_hasher(self.top_keys, Default::default());
        let listed = self
            .visiting_order(row)
            .map_err(|message| Error::data(at(), message))?;
        let sheet_order = 0..self.columns.len();
        let visit: &mut dyn Iterator<Item = usize> = match &listed {
            Some(order) => &mut order.iter().copied(),
            None => &mut sheet_order.into_iter(),
        };
        // One UTF-8 check for the whole row instead of one per cell. A cell of a valid
        // row is valid unless a character straddles two cells, which `get` refuses at
        // the cell's bounds; then the cell's own check gives the error.
        let whole = std::str::from_utf8(row.as_slice()).ok();
        for i in visit {
            let (column, raw) = (&self.columns[i], &row[i]);
            if raw.is_empty() || Some(i) == self.order_column {
                continue;
            }
            let checked = whole.and_then(|whole| whole.get(row.range(i)?));
            let text = match checked {
                Some(text) => text,
                None => std::str::from_utf8(raw).map_err(|_| {
                    Error::new(
                        ErrorKind::Encoding,
                        at(),
                        format!(
                            "invalid UTF-8 in column `{}`; expected UTF-8 text",
                            column.name
                        ),
                    )
                })?,
            };
            let value =
                read_cell(text, column.reading, self.options.sanitize).map_err(|message| {
                    Error::data(at(), format!("column `{}`: {message}", column.name))
                })?;
            if let Some(value) = value {
                nest::insert(&mut fields, &column.path, slots, value).map_err(|message| {
                    Error::data(at(), format!("column `{}`: {message}", column.name))
                })?;
            }
        }
        Ok(Record::new(
            fields,
            Origin::new(self.file.clone(), self.row_line(row)),
        ))
    }

    /// Counts a skipped all-empty row.
    fn note_blank(&mut self, row: &Row) {
        let line = self.row_line(row);
        let (lines, count) = &mut self.empty_rows;
        if lines.len() < EMPTY_ROWS_NAMED {
            lines.push(line);
        }
        *count += 1;
    }

    /// At the end: the warning that counts the skipped all-empty rows, once.
    fn warn_blank_rows(&mut self) {
        let (lines, count) = std::mem::take(&mut self.empty_rows);
        if count == 0 {
            return;
        }
        let mut named: Vec<String> = lines.iter().map(u64::to_string).collect();
        if count > lines.len() as u64 {
            named.push("…".to_owned());
        }
        log::warn!(
            "{}: skipped {count} row{} with every cell empty (line{} {}); blank rows are no records",
            Location::new(self.file.clone(), 0, 0),
            if count == 1 { "" } else { "s" },
            if named.len() == 1 { "" } else { "s" },
            named.join(", ")
        );
    }
}

/// Two columns that name one field (`a` twice, or `a:int` and `a`): the message. A
/// list column (`a:list`) and a scalar column of the same path are recast's own way of
/// writing a field that is a list in some records and a scalar in others.
fn duplicate_column(
    raw: &[RawHeader],
    segments: &[Vec<Segment>],
    names: &[String],
) -> Option<String> {
    let mut seen = std::collections::HashMap::with_capacity(segments.len());
    for (i, (path, header)) in segments.iter().zip(raw).enumerate() {
        let list = header.hint == Some(ColumnType::List);
        // The `:order` column is no field (a key `:order` is written `\:order`).
        let field = (names[i] != ORDER_COLUMN).then_some(path);
        if let Some(first) = seen.insert((field, list), i) {
            return Some(if names[first] == names[i] {
                format!(
                    "the header's {} and {} are both named `{}`; expected each name once \
                     (rename or delete one)",
                    column_label(first),
                    column_label(i),
                    names[i]
                )
            } else {
                format!(
                    "the header's {} `{}` and {} `{}` name the same field; expected each \
                     field once (rename or delete one)",
                    column_label(first),
                    names[first],
                    column_label(i),
                    names[i]
                )
            });
        }
    }
    None
}

impl<R: BufRead> CsvReader<R> {
    /// The columns in the order their fields were in the record: `None` for the sheet's
    /// order, else the row's `:order` cell followed by any columns it leaves out.
    fn visiting_order(&self, row: &Row) -> Result<Option<Vec<usize>>, String> {
        let listed = self
            .order_column
            .and_then(|i| row.get(i))
            .filter(|cell| !cell.is_empty());
        let Some(listed) = listed else {
            return Ok(None);
        };
        let text = std::str::from_utf8(listed)
            .map_err(|_| format!("invalid UTF-8 in column `{ORDER_COLUMN}`"))?;
        let mut order = Vec::with_capacity(self.columns.len());
        let mut taken = vec![false; self.columns.len()];
        if let Some(Value::List(names)) = cell::read_list(text, self.options.sanitize) {
            for name in names {
                let name = match &name {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let i = self
                    .columns
                    .iter()
                    .position(|c| c.name == name)
                    .ok_or_else(|| format!("column `{ORDER_COLUMN}` names no column {name:?}"))?;
                if !taken[i] {
                    taken[i] = true;
                    order.push(i);
                }
            }
        }
        order.extend((0..self.columns.len()).filter(|&i| !taken[i]));
        Ok(Some(order))
    }
}

/// Reads one non-empty cell as its column says.
fn read_cell(text: &str, reading: Reading, sanitize: bool) -> Result<Option<Value>, String> {
    if reading == Reading::Pinned(ColumnType::List) {
        return Ok(cell::read_list(text, sanitize));
    }
    if let Some(rest) = cell::strip_marker(text, sanitize) {
        return Ok(Some(Value::String(rest.to_owned())));
    }
    if matches!(text, "[]" | "{}") && reading != Reading::Pinned(ColumnType::String) {
        // The empty list and map markers mean the same in every column but a text one.
        return Ok(Some(cell::auto_value(text)));
    }
    let value = match reading {
        Reading::Undecided | Reading::Auto | Reading::Pinned(ColumnType::Any) => {
            cell::auto_value(text)
        }
        Reading::Text => match text {
            "[]" | "{}" => cell::auto_value(text),
            _ => Value::String(text.to_owned()),
        },
        Reading::Pinned(ColumnType::String) => Value::String(text.to_owned()),
        Reading::Pinned(ColumnType::Bool) => match cell::auto_value(text) {
            Value::Bool(b) => Value::Bool(b),
            _ => return Err(format!("expected true or false, found {text:?}")),
        },
        Reading::Pinned(pinned) => {
            let number = Number::parse(text)
                .or_else(|| Number::parse_yaml(text).filter(Number::is_finite))
                .ok_or_else(|| {
                    format!("expected a number, found {text:?} (mark text with a leading ')")
                })?;
            match pinned {
                ColumnType::Integer if !number.is_integer() => {
                    return Err(format!("expected an integer, found {text:?}"));
                }
                ColumnType::Float if number.is_integer() => {
                    // Spreadsheets write the float 1.0 as `1`.
                    Number::parse(&format!("{}.0", number.as_str()))
                        .map(Value::Number)
                        .ok_or_else(|| format!("expected a float, found {text:?}"))?
                }
                _ => Value::Number(number),
            }
        }
    };
    Ok(Some(value))
}

impl<R: BufRead> Iterator for CsvReader<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        if let State::Start = self.state {
            self.state = State::Rows;
            match self.start() {
                Ok(true) => {}
                Ok(false) => {
                    self.state = State::Done;
                    self.warn_blank_rows();
                    return None;
                }
                Err(error) => {
                    self.state = State::Done;
                    return Some(Err(error));
                }
            }
        }
        loop {
            if let Some(row) = self.buffered.pop_front() {
                if let Ok(row) = &row
                    && is_blank(row)
                {
                    self.note_blank(row);
                    continue;
                }
                self.rows += 1;
                return Some(row.and_then(|row| self.record_of(&row)));
            }
            if matches!(self.state, State::Done) {
                self.warn_blank_rows();
                return None;
            }
            let mut row = std::mem::take(&mut self.scratch);
            let read = self.read_row_into(&mut row);
            let record = match read {
                None => {
                    self.state = State::Done;
                    None
                }
                Some(Ok(())) if is_blank(&row) => {
                    self.note_blank(&row);
                    self.scratch = row;
                    continue;
                }
                Some(read) => {
                    self.rows += 1;
                    Some(read.and_then(|()| self.record_of(&row)))
                }
            };
            self.scratch = row;
            if record.is_none() {
                self.warn_blank_rows();
            }
            return record;
        }
    }
}

impl<R: BufRead> RecordReader for CsvReader<R> {}
