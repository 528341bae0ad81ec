//! Cutting JSON Lines into pieces of whole lines that separate readers can parse at the
//! same time, numbered as one [`JsonLinesReader`](crate::JsonLinesReader) over the whole input numbers them.
//!
//! Finding line breaks is cheap; parsing is what threads can share. A reader of a
//! piece behaves as the input's reader would on those lines: each line that is not
//! blank is one record or one error, whatever it holds. Two things differ at the start
//! of a piece, and the splitter makes up for them: [`JsonLinesReader`](crate::JsonLinesReader) skips a byte
//! order mark at its start (a piece that would start with one starts with an extra
//! blank line instead, so the mark is refused as the whole input's reader refuses it),
//! and it counts lines and records from 1 ([`LinesBefore`] says by how much to move
//! them).

use std::io::{self, BufRead, Cursor, Read};
use std::path::Path;
use std::sync::Arc;

use recast_model::{Error, Result};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What comes before a piece in its input: lines, and records (lines that are not
/// blank). Add `lines` to the line numbers of the piece's records and errors, and
/// `records` to its errors' record numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinesBefore {
    /// Lines before the piece (a line inserted before a misplaced byte order mark
    /// counted off).
    pub lines: u64,
    /// Lines that are not blank before the piece.
    pub records: u64,
}

/// A piece of JSON Lines input, from [`LineSplitter`].
pub enum LinesPiece<R> {
    /// Whole lines, for one [`JsonLinesReader`](crate::JsonLinesReader) over `text`.
    Lines {
        /// The lines, each ending in `\n` but perhaps the input's last.
        text: Vec<u8>,
        /// What comes before them.
        before: LinesBefore,
    },
    /// The rest of the input, from a line longer than the splitter holds: for one
    /// [`JsonLinesReader`](crate::JsonLinesReader), which refuses an overlong record without holding it.
    Rest {
        /// The line's start, read already, then the rest of the input.
        input: io::Chain<Cursor<Vec<u8>>, R>,
        /// What comes before it.
        before: LinesBefore,
    },
}

/// Cuts JSON Lines into [`LinesPiece`]s of about `piece_bytes` each.
///
/// ```
/// use recast_json::{JsonLinesReader, LineSplitter, LinesPiece};
///
/// let input = "{\"n\": 1}\n\n{\"n\": 2}\n{\"n\": 3}\n";
/// let mut lines = Vec::new();
/// for piece in LineSplitter::new(input.as_bytes(), None, 10, 1 << 20) {
///     let LinesPiece::Lines { text, before } = piece.unwrap() else { unreachable!() };
///     for record in JsonLinesReader::new(&text[..], None) {
///         lines.push(record.unwrap().origin.line + before.lines);
///     }
/// }
/// assert_eq!(lines, [1, 3, 4]);
/// ```
pub struct LineSplitter<R> {
    input: Option<R>,
    file: Option<Arc<Path>>,
    piece_bytes: u64,
    /// The longest line held whole: past it the rest of the input is one piece.
    longest_line: u64,
    /// What comes before the next piece.
    at: LinesBefore,
    /// The rest of the input after an overlong line.
    rest: Option<LinesPiece<R>>,
    /// A read error met after the last piece's lines, yielded after it.
    failed: Option<Error>,
}

impl<R: BufRead> LineSplitter<R> {
    /// Splits `input` (named `file` in errors) into pieces of about `piece_bytes` (at
    /// least one line each); a line longer than `longest_line` bytes and everything
    /// after it make one last piece ([`LinesPiece::Rest`]).
    pub fn new(
        input: R,
        file: Option<Arc<Path>>,
        piece_bytes: u64,
        longest_line: u64,
    ) -> LineSplitter<R> {
        LineSplitter {
            input: Some(input),
            file,
            piece_bytes,
            longest_line,
            at: LinesBefore::default(),
            rest: None,
            failed: None,
        }
    }

    /// Reads the next piece's lines; `None` when there are none (the input ended or
    /// its next line is too long to hold).
    fn next_lines(&mut self) -> Option<LinesPiece<R>> {
        let input = self.input.as_mut()?;
        let at_input_start = self.at == LinesBefore::default();
        let mut text = Vec::with_capacity(self.piece_bytes as usize + (16 << 10));
        let mut before = self.at;
        let mut end = false;
        while (text.len() as u64) < self.piece_bytes {
            let start = text.len();
            match input
                .by_ref()
                .take(self.longest_line + 1)
                .read_until(b'\n', &mut text)
            {
                Ok(0) => {
                    end = true;
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    text.truncate(start);
                    self.failed = Some(Error::io(self.file.clone(), e));
                    end = true;
                    break;
                }
            }
            let line = &text[start..];
            if !line.ends_with(b"\n") && line.len() as u64 > self.longest_line {
                // Too long to hold: this line and the rest go to one reader.
                let mut head = text.split_off(start);
                let mut rest_at = self.at;
                if !(at_input_start && start == 0) && head.starts_with(BOM) {
                    head.insert(0, b'\n');
                    rest_at.lines -= 1;
                }
                let input = self.input.take().expect("read from above");
                self.rest = Some(LinesPiece::Rest {
                    input: Cursor::new(head).chain(input),
                    before: rest_at,
                });
                break;
            }
            let content = match at_input_start && start == 0 {
                true => line.strip_prefix(BOM).unwrap_or(line),
                false => line,
            };
            let blank = content
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
            if start == 0 && !at_input_start && line.starts_with(BOM) {
                // The reader would skip a mark at its start; a blank line before it
                // keeps it where the input has it, to be refused.
                text.insert(0, b'\n');
                before.lines -= 1;
            }
            self.at.lines += 1;
            self.at.records += u64::from(!blank);
        }
        if end {
            self.input = None;
        }
        match text.is_empty() {
            true => None,
            false => Some(LinesPiece::Lines { text, before }),
        }
    }
}

impl<R: BufRead> Iterator for LineSplitter<R> {
    type Item = Result<LinesPiece<R>>;

    fn next(&mut self) -> Option<Result<LinesPiece<R>>> {
        if let Some(error) = self.failed.take() {
            return Some(Err(error));
        }
        if let Some(rest) = self.rest.take() {
            return Some(Ok(rest));
        }
        match self.next_lines() {
            Some(piece) => Some(Ok(piece)),
            None => self
                .failed
                .take()
                .map(Err)
                .or_else(|| self.rest.take().map(Ok)),
        }
    }
}
