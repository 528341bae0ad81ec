//! How a sheet is spelled: its byte order mark, an Excel `sep=` line, its line ends,
//! and the field delimiter, told from the first bytes only.

use crate::options::{CsvReadOptions, DelimiterChoice};

/// How far into a sheet [`Dialect::detect`] looks: the delimiter is sniffed from the
/// header and the rows that fit in this many bytes.
pub const SNIFF_BYTES: usize = 64 << 10;

/// The delimiters sniffing chooses among, in the order that wins a tie.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// What a sheet's first bytes say about its form: what [`CsvReader`](crate::CsvReader)
/// reads it with, and what a writer needs to write it back the same way.
///
/// ```
/// use recast_csv::{CsvReadOptions, DelimiterFrom, Dialect, LineEnding};
/// let sheet = b"\xEF\xBB\xBFsep=;\r\nname;price\r\nApple;1,5\r\n";
/// let dialect = Dialect::detect(sheet, true, &CsvReadOptions::default());
/// assert_eq!(dialect.delimiter, b';');
/// assert_eq!(dialect.delimiter_from, DelimiterFrom::SepLine);
/// assert!(dialect.bom && dialect.sep_line);
/// assert_eq!(dialect.line_ending, LineEnding::CrLf);
///
/// let dialect = Dialect::detect(b"name;price\nApple;1,5\nPear;2\n", true, &CsvReadOptions::default());
/// assert_eq!((dialect.delimiter, dialect.delimiter_from), (b';', DelimiterFrom::Sniffed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// The field delimiter the sheet is read with.
    pub delimiter: u8,
    /// Where [`Dialect::delimiter`] came from.
    pub delimiter_from: DelimiterFrom,
    /// The sheet starts with a UTF-8 byte order mark (Excel's "CSV UTF-8" does).
    pub bom: bool,
    /// The sheet's first line (after the byte order mark) is an Excel `sep=` line,
    /// which the reader skips.
    pub sep_line: bool,
    /// How the sheet's first line ends ([`LineEnding::Lf`] when it has no line end).
    pub line_ending: LineEnding,
}

/// Where a [`Dialect`]'s delimiter came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelimiterFrom {
    /// [`CsvReadOptions::delimiter`] with [`DelimiterChoice::Given`]: the user's.
    Given,
    /// The sheet's `sep=` line.
    SepLine,
    /// Sniffed from the first rows.
    Sniffed,
    /// [`CsvReadOptions::delimiter`], nothing in the sheet saying otherwise.
    Default,
}

/// A sheet's line ends, as its first line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineEnding {
    /// `\n`.
    #[default]
    Lf,
    /// `\r\n` (Excel, Windows).
    CrLf,
    /// `\r` alone (old Mac spreadsheets).
    Cr,
}

impl Dialect {
    /// The dialect of a sheet from its first bytes (`head`; `complete` when they are
    /// the whole sheet). Only the first [`SNIFF_BYTES`] are looked at.
    pub fn detect(head: &[u8], complete: bool, options: &CsvReadOptions) -> Dialect {
        detect(head, complete, options).dialect
    }

    /// The delimiter as messages spell it: `tab`, or the character in backticks.
    pub(crate) fn delimiter_name(delimiter: u8) -> String {
        match delimiter {
            b'\t' => "tab".to_owned(),
            d => format!("`{}`", d as char),
        }
    }
}

/// A detected dialect and what the reader needs besides.
pub(crate) struct Detected {
    pub dialect: Dialect,
    /// Bytes before the header: the byte order mark and the `sep=` line.
    pub skip: usize,
    /// The delimiter a `sep=` line named when the given delimiter overrode it.
    pub overridden: Option<u8>,
}

pub(crate) fn detect(head: &[u8], complete: bool, options: &CsvReadOptions) -> Detected {
    let complete = complete && head.len() <= SNIFF_BYTES;
    let head = &head[..head.len().min(SNIFF_BYTES)];
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let mut skip = if bom { 3 } else { 0 };
    let line_ending = line_ending(&head[skip..]);
    let sep = sep_line(&head[skip..], complete);
    if let Some((_, length)) = sep {
        skip += length;
    }
    let mut overridden = None;
    let (delimiter, delimiter_from) = match (options.delimiter_choice, sep) {
        (DelimiterChoice::Given, Some((named, _))) if named != options.delimiter => {
            overridden = Some(named);
            (options.delimiter, DelimiterFrom::Given)
        }
        (DelimiterChoice::Given, _) => (options.delimiter, DelimiterFrom::Given),
        (_, Some((named, _))) => (named, DelimiterFrom::SepLine),
        (DelimiterChoice::SepLineOnly, None) => (options.delimiter, DelimiterFrom::Default),
        (DelimiterChoice::Sniff, None) => match sniff(&head[skip..], complete) {
            Some(d) => (d, DelimiterFrom::Sniffed),
            None => (options.delimiter, DelimiterFrom::Default),
        },
    };
    Detected {
        dialect: Dialect {
            delimiter,
            delimiter_from,
            bom,
            sep_line: sep.is_some(),
            line_ending,
        },
        skip,
        overridden,
    }
}

fn line_ending(text: &[u8]) -> LineEnding {
    match memchr::memchr2(b'\r', b'\n', text) {
        Some(at) if text[at] == b'\r' => match text.get(at + 1) {
            Some(b'\n') => LineEnding::CrLf,
            // A `\r` at the very end of what was looked at: most likely half of `\r\n`.
            None => LineEnding::CrLf,
            Some(_) => LineEnding::Cr,
        },
        _ => LineEnding::Lf,
    }
}

/// An Excel `sep=X` first line (any letter case; `sep=\t` may be spelled with a
/// backslash; LibreOffice re-saving one adds delimiters after it): the delimiter it
/// names and the line's length with its line end.
fn sep_line(text: &[u8], complete: bool) -> Option<(u8, usize)> {
    if text.len() < 5 || !text[..4].eq_ignore_ascii_case(b"sep=") {
        return None;
    }
    let (delimiter, mut at) = match text[4] {
        b'\\' if text.get(5) == Some(&b't') => (b'\t', 6),
        d => (d, 5),
    };
    if !d_is_usable(delimiter) {
        return None;
    }
    while text.get(at) == Some(&delimiter) {
        at += 1;
    }
    match text.get(at) {
        Some(b'\r') if text.get(at + 1) == Some(&b'\n') => Some((delimiter, at + 2)),
        Some(b'\r' | b'\n') => Some((delimiter, at + 1)),
        None if complete => Some((delimiter, at)),
        _ => None,
    }
}

/// A byte that can separate fields: ASCII, not a quote or a line end.
fn d_is_usable(d: u8) -> bool {
    d.is_ascii() && !matches!(d, b'"' | b'\r' | b'\n')
}

/// The candidate that splits the header into more than one field and the most rows
/// into as many fields as the header (then the widest header, then the earlier
/// candidate); `None` when no candidate splits the header, or none fits a single row.
fn sniff(text: &[u8], complete: bool) -> Option<u8> {
    let mut best: Option<(usize, usize, u8)> = None;
    for delimiter in CANDIDATES {
        let counts = field_counts(text, complete, delimiter);
        // No row at all under one candidate is no row under any.
        let (&header, rows) = counts.split_first()?;
        if header < 2 {
            continue;
        }
        let agreeing = rows.iter().filter(|&&n| n == header).count();
        if !rows.is_empty() && agreeing == 0 {
            continue;
        }
        if best.is_none_or(|(a, h, _)| (agreeing, header) > (a, h)) {
            best = Some((agreeing, header, delimiter));
        }
    }
    best.map(|(_, _, d)| d)
}

/// The number of fields of each row in `text` split at `delimiter`, quotes respected;
/// a last row that may be cut off is left out.
fn field_counts(text: &[u8], complete: bool, delimiter: u8) -> Vec<usize> {
    let mut rows = crate::rows::RowSplitter::new(text, delimiter);
    let mut counts = Vec::new();
    let mut row = crate::rows::Row::default();
    while let Ok(true) = rows.read_row(&mut row) {
        counts.push(row.len());
    }
    if !complete && counts.len() > 1 {
        counts.pop();
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(text: &str) -> (u8, DelimiterFrom) {
        let d = Dialect::detect(text.as_bytes(), true, &CsvReadOptions::default());
        (d.delimiter, d.delimiter_from)
    }

    #[test]
    fn sniffing_picks_the_delimiter_the_rows_agree_on() {
        use DelimiterFrom::*;
        assert_eq!(sniffed("a,b\n1,2\n"), (b',', Sniffed));
        assert_eq!(sniffed("name;price\nApple;1,5\nPear;2\n"), (b';', Sniffed));
        assert_eq!(
            sniffed("name\tcity\nSmith, J\tParis\nDoe\tRome\n"),
            (b'\t', Sniffed)
        );
        assert_eq!(sniffed("a|b|c\n1|2|3\n"), (b'|', Sniffed));
        // Quoting respected: the `;` inside quotes splits nothing.
        assert_eq!(sniffed("title,tags\n\"x;y;z\",a\n"), (b',', Sniffed));
        // A ragged row does not undo an otherwise consistent sheet.
        assert_eq!(sniffed("a;b\n1;2\n3;4;5\n"), (b';', Sniffed));
        // One column: nothing to tell, the default stays (recast's list cells hold `; `).
        assert_eq!(sniffed("topics:list\nAI; Ethics\nx; y\n"), (b',', Default));
        assert_eq!(sniffed(""), (b',', Default));
        // Header only.
        assert_eq!(sniffed("a;b;c"), (b';', Sniffed));
    }

    #[test]
    fn sep_lines_name_the_delimiter_and_are_skipped() {
        let options = CsvReadOptions::default();
        for (text, delimiter, skip) in [
            ("sep=;\na;b\n", b';', 6),
            ("SEP=|\r\na|b\r\n", b'|', 7),
            ("sep=\t\na\tb\n", b'\t', 6),
            ("sep=\\t\na\tb\n", b'\t', 7),
            ("sep=;;;\na;b\n", b';', 8),
            ("\u{feff}sep=,\na,b\n", b',', 9),
            ("sep=;", b';', 5),
        ] {
            let detected = detect(text.as_bytes(), true, &options);
            assert_eq!(detected.dialect.delimiter, delimiter, "{text:?}");
            assert_eq!(detected.dialect.delimiter_from, DelimiterFrom::SepLine);
            assert_eq!(detected.skip, skip, "{text:?}");
        }
        for text in ["sep=\"\na\n", "sep=\na,b\n", "sep=;x\na;b\n", "separator\n"] {
            assert!(
                !detect(text.as_bytes(), true, &options).dialect.sep_line,
                "{text:?}"
            );
        }
        let given = CsvReadOptions {
            delimiter_choice: DelimiterChoice::Given,
            ..CsvReadOptions::default()
        };
        let detected = detect(b"sep=;\na,b\n", true, &given);
        assert_eq!(
            (
                detected.dialect.delimiter,
                detected.overridden,
                detected.skip
            ),
            (b',', Some(b';'), 6)
        );
    }

    #[test]
    fn line_ends_are_told_from_the_first_line() {
        assert_eq!(line_ending(b"a,b\r\n1,2\r\n"), LineEnding::CrLf);
        assert_eq!(line_ending(b"a,b\n"), LineEnding::Lf);
        assert_eq!(line_ending(b"a,b\r1,2\r"), LineEnding::Cr);
        assert_eq!(line_ending(b"a,b"), LineEnding::Lf);
    }
}
