//! [`PieceRows`]: the rows of a piece of the CSV sheet, read without copying.
//!
//! The CSV sheet is recast-csv's writer's own output, whose form is known exactly:
//! fields joined by `,`, rows ended by `\n`, a field in quotes when it holds a quote, a
//! CR, a LF or a comma, its quotes doubled. So its rows are read here with memchr, their
//! fields borrowed from the piece (copied only when they hold a doubled quote), and the
//! piece checked for UTF-8 once, rather than through the csv crate, a reader for any
//! dialect, which took about 15% of the instructions of writing a workbook (every cell
//! is read twice: surveyed, then written).

use std::borrow::Cow;

use recast_model::{Error, Location, Result};

/// The rows of a piece of the CSV sheet (whole rows).
pub(crate) struct PieceRows<'a> {
    text: &'a str,
    /// Where the next row starts.
    at: usize,
}

fn malformed(what: &str) -> Error {
    Error::data(
        Location::default(),
        format!("the temporary CSV sheet is malformed: {what}"),
    )
}

impl<'a> PieceRows<'a> {
    /// The rows of `piece`, which must be UTF-8.
    pub(crate) fn new(piece: &'a [u8]) -> Result<Self> {
        let text = std::str::from_utf8(piece).map_err(|_| malformed("not UTF-8"))?;
        Ok(PieceRows { text, at: 0 })
    }

    /// Reads the next row's fields into `fields`; false at the end of the piece.
    pub(crate) fn next_row(&mut self, fields: &mut Vec<Cow<'a, str>>) -> Result<bool> {
        fields.clear();
        let text = self.text;
        let bytes = text.as_bytes();
        if self.at >= bytes.len() {
            return Ok(false);
        }
        loop {
            if bytes[self.at] == b'"' {
                let mut start = self.at + 1;
                let mut unquoted: Option<String> = None;
                loop {
                    let quote = memchr::memchr(b'"', &bytes[start..])
                        .ok_or_else(|| malformed("a quote is not closed"))?
                        + start;
                    if bytes.get(quote + 1) == Some(&b'"') {
                        // A doubled quote: one quote of the field's text.
                        unquoted
                            .get_or_insert_with(String::new)
                            .push_str(&text[start..=quote]);
                        start = quote + 2;
                        continue;
                    }
                    fields.push(match unquoted {
                        Some(mut field) => {
                            field.push_str(&text[start..quote]);
                            Cow::Owned(field)
                        }
                        None => Cow::Borrowed(&text[start..quote]),
                    });
                    self.at = quote + 1;
                    break;
                }
            } else {
                let end = memchr::memchr2(b',', b'\n', &bytes[self.at..])
                    .map_or(bytes.len(), |i| self.at + i);
                fields.push(Cow::Borrowed(&text[self.at..end]));
                self.at = end;
            }
            match bytes.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'\n') => {
                    self.at += 1;
                    return Ok(true);
                }
                None => return Ok(true),
                Some(_) => return Err(malformed("text after a closing quote")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(piece: &str) -> Vec<Vec<String>> {
        let mut reader = PieceRows::new(piece.as_bytes()).unwrap();
        let mut fields = Vec::new();
        let mut rows = Vec::new();
        while reader.next_row(&mut fields).unwrap() {
            rows.push(fields.iter().map(|f| f.to_string()).collect());
        }
        rows
    }

    #[test]
    fn rows_read_as_the_csv_crate_reads_them() {
        let piece =
            "a,,\"b,c\"\n\"say \"\"hi\"\"\",\"two\nlines\",\"\"\n\"\"\n\u{feff}x,\"\r\"\n,\n";
        // A blank line first, which the csv crate skips, keeps it from taking the byte
        // order mark off the first cell (a piece starts anywhere in the sheet).
        let input = format!("\n{piece}");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input.as_bytes());
        let expected: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(rows(piece), expected);
        assert_eq!(rows(piece)[3], ["\u{feff}x", "\r"]);
    }

    #[test]
    fn a_malformed_piece_is_an_error() {
        let mut fields = Vec::new();
        for piece in ["\"open", "\"a\"b\n"] {
            let mut reader = PieceRows::new(piece.as_bytes()).unwrap();
            assert!(reader.next_row(&mut fields).is_err(), "{piece}");
        }
    }
}
