//! [`RowSplitter`]: cuts a sheet's bytes into rows of raw fields, as the `csv` crate's
//! reader does with its default settings, but a run of plain bytes at a time.
//!
//! The csv crate's parser is a state machine fed one byte at a time, which was a third
//! of the reading thread's work on a sheet of long text cells. Here the bytes that
//! cannot end a field (everything but the delimiter and line ends outside quotes, and
//! everything but `"` inside them) are found with `memchr` and copied whole. The rules
//! are the csv crate's exactly (tests compare the two on every kind of input):
//!
//! * a row ends at `\n` or at a lone `\r`; empty lines between rows are skipped, and a
//!   `\n` after a `\r` belongs to the next row's start (so positions match);
//! * a field is quoted only when it starts with `"`; inside, `""` is one quote, and the
//!   bytes after a closing quote up to the delimiter are kept (`"ab"c` is `abc`); a
//!   quote inside an unquoted field is text;
//! * a UTF-8 byte order mark at the very start is skipped (the dialect already skipped
//!   one; a second is dropped as the csv crate dropped it);
//! * every row has at least one field; fields are bytes, not yet checked as UTF-8.

use std::io::{self, Read};
use std::ops::Range;

/// The bytes read from the input at a time.
const CHUNK: usize = 64 << 10;

const QUOTE: u8 = b'"';

/// Where a row starts: the bytes and lines before it, and the rows read before it.
///
/// As in the csv crate, a row's start is just after the line end of the row before it
/// (any empty lines in between belong to the new row), `line` counts `\n` bytes from 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Position {
    pub byte: u64,
    pub line: u64,
    pub record: u64,
}

/// One row: its fields' bytes back to back, where each ends, and where it started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Row {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    position: Position,
}

impl Row {
    /// An empty row with room for one as big as `like`.
    pub fn sized_like(like: &Row) -> Row {
        Row {
            bytes: Vec::with_capacity(like.bytes.len()),
            ends: Vec::with_capacity(like.ends.len()),
            position: Position::default(),
        }
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The bytes of field `i`.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.range(i).map(|range| &self.bytes[range])
    }

    /// Where field `i` lies in [`Row::as_slice`].
    pub fn range(&self, i: usize) -> Option<Range<usize>> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(start..end)
    }

    /// Every field's bytes, back to back.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|i| &self.bytes[self.range(i).expect("in bounds")])
    }

    /// Where the row started in the input.
    pub fn position(&self) -> &Position {
        &self.position
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.ends.clear();
    }

    fn end_field(&mut self) {
        self.ends.push(self.bytes.len());
    }
}

impl std::ops::Index<usize> for Row {
    type Output = [u8];

    fn index(&self, i: usize) -> &[u8] {
        self.get(i).expect("field index in bounds")
    }
}

/// Where the splitter is inside a row.
#[derive(Clone, Copy)]
enum State {
    /// Before a field (at the row's start, or after a delimiter).
    FieldStart,
    /// In an unquoted field (or after a quoted field's closing quote).
    Plain,
    /// Inside quotes.
    Quoted,
    /// Just after a quote inside quotes: `""`, or the closing quote.
    QuoteInQuoted,
}

/// Cuts rows from `input`; see the module documentation for the rules.
pub(crate) struct RowSplitter<R> {
    input: R,
    buf: Box<[u8]>,
    /// The unread bytes are `buf[at..filled]`.
    at: usize,
    filled: usize,
    /// The position just after the last byte consumed.
    position: Position,
    delimiter: u8,
    started: bool,
}

impl<R: Read> RowSplitter<R> {
    /// A splitter of `input` whose fields are separated by `delimiter`.
    pub fn new(input: R, delimiter: u8) -> Self {
        RowSplitter {
            input,
            buf: vec![0; CHUNK].into_boxed_slice(),
            at: 0,
            filled: 0,
            position: Position {
                byte: 0,
                line: 1,
                record: 0,
            },
            delimiter,
            started: false,
        }
    }

    /// The position after the last row read: where the next one starts.
    pub fn position(&self) -> &Position {
        &self.position
    }

    /// Reads the next row into `row`; false at the end of the input.
    pub fn read_row(&mut self, row: &mut Row) -> io::Result<bool> {
        row.clear();
        row.position = self.position;
        if !self.started {
            self.started = true;
            self.skip_bom()?;
        }
        // Line ends before the row: empty lines, or the `\n` of a `\r\n`.
        loop {
            if self.at == self.filled && !self.refill()? {
                return Ok(false);
            }
            let rest = &self.buf[self.at..self.filled];
            let skip = rest
                .iter()
                .position(|&b| b != b'\n' && b != b'\r')
                .unwrap_or(rest.len());
            self.consume_counting_lines(skip);
            if self.at < self.filled {
                break;
            }
        }
        let mut state = State::FieldStart;
        loop {
            if self.at == self.filled && !self.refill()? {
                // The end of the input ends the last row.
                row.end_field();
                self.position.record += 1;
                return Ok(true);
            }
            let rest = &self.buf[self.at..self.filled];
            match state {
                State::FieldStart | State::QuoteInQuoted => {
                    let b = rest[0];
                    if b == QUOTE {
                        if let State::QuoteInQuoted = state {
                            row.bytes.push(QUOTE);
                        }
                        self.consume(1);
                        state = State::Quoted;
                    } else if b == self.delimiter {
                        self.consume_delimiter();
                        row.end_field();
                        state = State::FieldStart;
                    } else if b == b'\n' || b == b'\r' {
                        self.consume_counting_lines(1);
                        row.end_field();
                        self.position.record += 1;
                        return Ok(true);
                    } else {
                        state = State::Plain;
                    }
                }
                State::Plain => match memchr::memchr3(self.delimiter, b'\n', b'\r', rest) {
                    Some(n) => {
                        let end = rest[n];
                        row.bytes.extend_from_slice(&rest[..n]);
                        self.consume(n);
                        row.end_field();
                        if end == self.delimiter {
                            self.consume_delimiter();
                            state = State::FieldStart;
                        } else {
                            self.consume_counting_lines(1);
                            self.position.record += 1;
                            return Ok(true);
                        }
                    }
                    None => {
                        row.bytes.extend_from_slice(rest);
                        let n = rest.len();
                        self.consume(n);
                    }
                },
                State::Quoted => match memchr::memchr(QUOTE, rest) {
                    Some(n) => {
                        row.bytes.extend_from_slice(&rest[..n]);
                        self.consume_counting_lines(n);
                        self.consume(1);
                        state = State::QuoteInQuoted;
                    }
                    None => {
                        row.bytes.extend_from_slice(rest);
                        let n = rest.len();
                        self.consume_counting_lines(n);
                    }
                },
            }
        }
    }

    /// Skips a UTF-8 byte order mark at the start, as the csv crate's parser did.
    fn skip_bom(&mut self) -> io::Result<()> {
        while self.filled - self.at < 3 {
            let filled = self.filled;
            if filled == self.buf.len() || self.read_more()? == 0 {
                return Ok(());
            }
        }
        if self.buf[self.at..self.at + 3] == *b"\xef\xbb\xbf" {
            self.consume(3);
        }
        Ok(())
    }

    /// Reads more input into the empty buffer; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        self.at = 0;
        self.filled = 0;
        Ok(self.read_more()? > 0)
    }

    /// Appends what the input gives to the buffer (retrying an interrupted read).
    fn read_more(&mut self) -> io::Result<usize> {
        loop {
            match self.input.read(&mut self.buf[self.filled..]) {
                Ok(n) => {
                    self.filled += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn consume(&mut self, n: usize) {
        self.at += n;
        self.position.byte += n as u64;
    }

    /// Consumes a delimiter (a line too, if it is `\n`).
    fn consume_delimiter(&mut self) {
        self.position.line += u64::from(self.delimiter == b'\n');
        self.consume(1);
    }

    /// Consumes `n` bytes that may hold line ends, counting them.
    fn consume_counting_lines(&mut self, n: usize) {
        let lines = memchr::memchr_iter(b'\n', &self.buf[self.at..self.at + n]).count();
        self.position.line += lines as u64;
        self.consume(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows as fields and (byte, line, record) positions.
    type Rows = Vec<(Vec<Vec<u8>>, (u64, u64, u64))>;

    /// The rows, fields and positions the csv crate's reader gives (recast's settings
    /// before this splitter: no headers, flexible, default quoting).
    fn csv_crate(input: &[u8], delimiter: u8) -> Rows {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut out = Vec::new();
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).unwrap() {
            let p = record.position().unwrap();
            out.push((
                record.iter().map(<[u8]>::to_vec).collect(),
                (p.byte(), p.line(), p.record()),
            ));
        }
        out
    }

    /// The same from the splitter, reading `chunk` bytes at a time at most.
    fn splitter(input: &[u8], delimiter: u8, chunk: usize) -> Rows {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(buf.len()).min(self.1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut rows = RowSplitter::new(Trickle(input, chunk), delimiter);
        let mut out = Vec::new();
        let mut row = Row::default();
        while rows.read_row(&mut row).unwrap() {
            let p = row.position();
            out.push((
                row.iter().map(<[u8]>::to_vec).collect(),
                (p.byte, p.line, p.record),
            ));
        }
        out
    }

    fn same_as_csv_crate(input: &[u8], delimiter: u8) {
        let expected = csv_crate(input, delimiter);
        for chunk in [1, 2, 3, 7, CHUNK] {
            assert_eq!(
                splitter(input, delimiter, chunk),
                expected,
                "{:?} read {chunk} bytes at a time",
                String::from_utf8_lossy(input)
            );
        }
    }

    #[test]
    fn rows_split_as_the_csv_crate_splits_them() {
        for input in [
            "",
            "\n",
            "\r\n\r\n",
            "a",
            "a,b\n1,2\n",
            "a,b\r\n1,2\r\n",
            "a,b\r1,2\r",
            "a,b\n\n\n1,2",
            "a,b\r\n\r\n1,2\r\n",
            "a,\n,b\n,\n",
            ",,,\n",
            "\"a,b\",\"c\nd\"\n\"e\"\"f\",g\n",
            "\"ab\"cd,e\n",
            "\"ab\"c\"d,e\n",
            "a\"b,c\"\n",
            "\"\",\"\"\"\"\n",
            "\"open\nquote",
            "\"closed\"",
            "\"a\"\"",
            "x,\"a\r\nb\"\r\ny,z",
            "\u{feff}a,b\n",
            "\u{feff}\u{feff}a,b\n",
            "a\u{feff},b\n",
            "caf\u{e9},\"na\u{ef}ve\"\n\u{1f600},x",
            "a;b\n1;2\n",
            "\n\"\"\n\"\",\n",
        ] {
            for delimiter in [b',', b';', b'\t'] {
                same_as_csv_crate(input.as_bytes(), delimiter);
            }
        }
    }

    #[test]
    fn arbitrary_bytes_split_as_the_csv_crate_splits_them() {
        // Every short string over the bytes that matter, and a few that do not.
        let alphabet = [b'a', b',', b'"', b'\n', b'\r', b';'];
        let mut input = Vec::new();
        for len in 0..=5u32 {
            for mut n in 0..alphabet.len().pow(len) {
                input.clear();
                for _ in 0..len {
                    input.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                // A quote or a line end as the delimiter is absurd but must not
                // split differently either.
                for delimiter in [b',', b'"', b'\n'] {
                    same_as_csv_crate(&input, delimiter);
                }
            }
        }
    }

    #[test]
    fn rows_keep_field_bounds() {
        let mut rows = RowSplitter::new(&b"ab,,\"c,d\"\n"[..], b',');
        let mut row = Row::default();
        assert!(rows.read_row(&mut row).unwrap());
        assert_eq!(row.len(), 3);
        assert_eq!(row.as_slice(), b"abc,d");
        assert_eq!(row.range(2), Some(2..5));
        assert_eq!(&row[0], b"ab");
        assert_eq!(row.get(3), None);
        assert_eq!(rows.position().record, 1);
        assert!(!rows.read_row(&mut row).unwrap());
    }
}
