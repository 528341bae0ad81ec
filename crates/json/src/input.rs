//! The JSON parser's input: a fixed-size buffer refilled from a reader, with the line
//! and column of any byte on demand.
//!
//! Kept apart from the grammar (`parser.rs`), as serde_json keeps `read.rs` apart from
//! `de.rs`: this half knows bytes, lines and positions and nothing of JSON values; the
//! grammar reads `buf[pos..end]` directly in its hot loops and calls `refill` at the end.
//!
//! Only the bytes of the token in progress are ever kept across a refill (a split UTF-8
//! character, a `\u` escape), so memory stays flat however long a line or a document is.
//! Columns are counted only when an error asks for one, so the hot path tracks nothing
//! but line breaks.

use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use recast_model::{Error, ErrorKind, Location, Result};

/// How much input is read at a time.
const CHUNK: usize = 64 * 1024;

/// A remembered position, for an error found after the parser has moved on: the start
/// of the record (not an object) or of a token (a duplicate key, a bad number). Its
/// column is counted only when an error asks for it, or just before its bytes leave
/// the buffer or its line ends, so the hot path pays nothing and the column is exact
/// however the input is split into reads.
#[derive(Debug, Clone, Copy)]
struct Pin {
    offset: u64,
    line: u64,
    /// 0 until counted.
    column: u64,
}

/// The input of one parser: the buffer, where the parser is in it, and where that is in
/// the file.
pub(crate) struct Input<R> {
    reader: R,
    pub(crate) file: Option<Arc<Path>>,
    pub(crate) buf: Vec<u8>,
    pub(crate) pos: usize,
    pub(crate) end: usize,
    eof: bool,
    /// Offset in the input of `buf[0]`.
    pub(crate) base: u64,
    /// 1-based line of `pos`.
    pub(crate) line: u64,
    /// Where the current line starts in `buf`; `None` when it started before `buf[0]`,
    /// with `carried` characters of it already discarded.
    line_start: Option<usize>,
    carried: u64,
    /// JSON Lines: a line break ends a record, so it is not whitespace inside one.
    lines: bool,
    /// The record-size budget, checked at each refill while a record is being read.
    pub(crate) max_record_bytes: u64,
    /// Input offset where the current record began, while one is being read.
    record_start: Option<u64>,
    /// `[RECORD]` and `[TOKEN]`.
    pins: [Option<Pin>; 2],
}

/// The pin at the start of the record being read.
pub(crate) const RECORD: usize = 0;
/// The pin at the start of the last key or number.
pub(crate) const TOKEN: usize = 1;

impl<R: Read> Input<R> {
    pub(crate) fn new(
        reader: R,
        file: Option<Arc<Path>>,
        lines: bool,
        max_record_bytes: u64,
        capacity: Option<usize>,
    ) -> Self {
        Input {
            reader,
            file,
            // Room for the few bytes a token may keep across a refill, plus new input.
            buf: vec![0; capacity.unwrap_or(CHUNK).max(16)],
            pos: 0,
            end: 0,
            eof: false,
            base: 0,
            line: 1,
            line_start: Some(0),
            carried: 0,
            lines,
            max_record_bytes,
            record_start: None,
            pins: [None; 2],
        }
    }

    /// Discards the consumed bytes and reads more. Returns how many bytes were added
    /// (0 at the end of the input). Also where the record-size budget is enforced:
    /// often enough to stop a huge record after one buffer, rarely enough to cost nothing.
    pub(crate) fn refill(&mut self) -> Result<usize> {
        if let Some(start) = self.record_start {
            let at = self.base + self.pos as u64;
            if at.saturating_sub(start) > self.max_record_bytes {
                self.record_start = None;
                return Err(self.too_large());
            }
        }
        if self.eof {
            return Ok(0);
        }
        let consumed = self.pos;
        if consumed > 0 {
            for slot in [RECORD, TOKEN] {
                if self.pins[slot].is_some_and(|pin| pin.offset < self.base + consumed as u64) {
                    self.count_pin_column(slot);
                }
            }
            match self.line_start {
                Some(start) if start >= consumed => self.line_start = Some(start - consumed),
                Some(start) => {
                    self.carried = count_chars(&self.buf[start..consumed]);
                    self.line_start = None;
                }
                None => self.carried += count_chars(&self.buf[..consumed]),
            }
            self.buf.copy_within(consumed..self.end, 0);
            self.end -= consumed;
            self.pos = 0;
            self.base += consumed as u64;
        }
        if self.end == self.buf.len() {
            // Only a tiny token tail is ever kept, so this is a safety net, not a path.
            let len = self.buf.len();
            self.buf.resize(len * 2, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(0);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(self.file.clone(), e)),
            }
        }
    }

    /// The next byte, without consuming it; `None` at the end of the input.
    #[inline]
    pub(crate) fn peek(&mut self) -> Result<Option<u8>> {
        if self.pos < self.end {
            return Ok(Some(self.buf[self.pos]));
        }
        self.peek_slow()
    }

    #[cold]
    fn peek_slow(&mut self) -> Result<Option<u8>> {
        while self.pos >= self.end {
            if self.refill()? == 0 {
                return Ok(None);
            }
        }
        Ok(Some(self.buf[self.pos]))
    }

    /// Consumes the byte `peek` just returned (never a line break: see `newline`).
    #[inline]
    pub(crate) fn bump(&mut self) {
        self.pos += 1;
    }

    /// Makes at least `n` bytes available at `pos`; false if the input ends first.
    pub(crate) fn fill_to(&mut self, n: usize) -> Result<bool> {
        while self.end - self.pos < n {
            if self.refill()? == 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Consumes a line break at `pos`.
    pub(crate) fn newline(&mut self) {
        // A token's location is always taken before a line break can follow it (a
        // key's before its colon), so only the record's needs counting here.
        if self.pins[RECORD].is_some() {
            self.count_pin_column(RECORD);
        }
        self.pos += 1;
        self.line += 1;
        self.line_start = Some(self.pos);
        self.carried = 0;
    }

    /// Skips a UTF-8 byte order mark at the very start of the input.
    pub(crate) fn skip_bom(&mut self) -> Result<()> {
        if self.base == 0 && self.pos == 0 && self.fill_to(3)? && self.buf[..3] == *b"\xEF\xBB\xBF"
        {
            self.pos = 3;
            // Editors do not count the mark as a column.
            self.line_start = Some(3);
        }
        Ok(())
    }

    /// Skips whitespace: space, tab, CR, and LF except in JSON Lines.
    #[inline]
    pub(crate) fn skip_ws(&mut self) -> Result<()> {
        loop {
            while self.pos < self.end {
                match self.buf[self.pos] {
                    b' ' | b'\t' | b'\r' => self.pos += 1,
                    b'\n' if !self.lines => self.newline(),
                    _ => return Ok(()),
                }
            }
            if self.refill()? == 0 {
                return Ok(());
            }
        }
    }

    /// Skips the rest of the current line, its line break included, without keeping
    /// it: how JSON Lines resynchronises after a bad record, however long the line.
    pub(crate) fn skip_line(&mut self) -> Result<()> {
        self.record_start = None;
        loop {
            if let Some(i) = self.buf[self.pos..self.end]
                .iter()
                .position(|&b| b == b'\n')
            {
                self.pos += i;
                self.newline();
                return Ok(());
            }
            self.pos = self.end;
            if self.refill()? == 0 {
                return Ok(());
            }
        }
    }

    // ---- positions and errors ----

    /// Pins `pos` in `slot`, to locate it later with `pin_location`.
    pub(crate) fn pin(&mut self, slot: usize) {
        self.pins[slot] = Some(Pin {
            offset: self.base + self.pos as u64,
            line: self.line,
            column: 0,
        });
    }

    /// Counts a pin's column while its line and bytes are still at hand.
    fn count_pin_column(&mut self, slot: usize) {
        if let Some(pin) = self.pins[slot]
            && pin.column == 0
            && pin.line == self.line
            && pin.offset >= self.base
        {
            let column = self.location_at((pin.offset - self.base) as usize).column;
            self.pins[slot] = Some(Pin { column, ..pin });
        }
    }

    /// The location of a pin (the current position if there is none).
    pub(crate) fn pin_location(&mut self, slot: usize) -> Location {
        self.count_pin_column(slot);
        match self.pins[slot] {
            Some(pin) => Location::new(self.file.clone(), pin.line, pin.column),
            None => self.location(),
        }
    }

    pub(crate) fn location(&self) -> Location {
        self.location_at(self.pos)
    }

    fn location_at(&self, index: usize) -> Location {
        let (from, before) = match self.line_start {
            Some(start) => (start, 0),
            None => (0, self.carried),
        };
        let from = from.min(self.end);
        let index = index.min(self.end).max(from);
        let column = before + count_chars(&self.buf[from..index]) + 1;
        Location::new(self.file.clone(), self.line, column)
    }

    pub(crate) fn too_large(&self) -> Error {
        Error::limit(
            self.location(),
            format!(
                "record larger than {} bytes (the record-size limit); expected smaller records",
                self.max_record_bytes
            ),
        )
    }

    pub(crate) fn invalid_utf8(&self, index: usize) -> Error {
        let byte = self.buf.get(index).copied().unwrap_or(0);
        Error::new(
            ErrorKind::Encoding,
            self.location_at(index),
            format!("invalid UTF-8 (byte 0x{byte:02X}); expected UTF-8 text"),
        )
    }

    /// The error for an unexpected byte at `pos` (or the end of the input): says what
    /// was expected and what was found. A byte that is not UTF-8 is an `Encoding` error.
    pub(crate) fn unexpected(&mut self, expected: &str) -> Error {
        // Look a little ahead to show a whole word or character; a failure to read
        // more only shortens what is shown.
        let _ = self.fill_to(16);
        let rest = &self.buf[self.pos..self.end];
        let found = match rest.first() {
            None => "end of input".to_owned(),
            Some(b'\n') => "end of line".to_owned(),
            Some(b) if b.is_ascii_alphanumeric() => {
                let word: String = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
                    .take(16)
                    .map(|&b| b as char)
                    .collect();
                format!("'{word}'")
            }
            Some(&b) if b.is_ascii_graphic() => format!("'{}'", b as char),
            Some(&b) if b < 0x80 => format!("control character U+{b:04X}"),
            Some(_) => {
                let head = &rest[..rest.len().min(4)];
                let valid = match std::str::from_utf8(head) {
                    Ok(s) => s,
                    Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
                };
                match valid.chars().next() {
                    Some(c) => format!("'{c}'"),
                    None => return self.invalid_utf8(self.pos),
                }
            }
        };
        Error::syntax(self.location(), format!("{expected}, found {found}"))
    }

    // ---- records ----

    /// Starts a record here: the size budget counts from this byte.
    pub(crate) fn begin_record(&mut self) {
        self.record_start = Some(self.base + self.pos as u64);
    }

    /// Ends the record, with the size check for a record too small to have met a refill.
    pub(crate) fn end_record(&mut self) -> Result<()> {
        match self.record_start.take() {
            Some(start)
                if (self.base + self.pos as u64).saturating_sub(start) > self.max_record_bytes =>
            {
                Err(self.too_large())
            }
            _ => Ok(()),
        }
    }
}

/// How many characters (not bytes) a run of UTF-8 holds.
fn count_chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64
}
