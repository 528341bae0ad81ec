//! The one error type of every recast library: what went wrong, and where.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// Where in the input an error is: file, 1-based line and column (0 when unknown), and
/// the 1-based record number when the error concerns a whole record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file, or `None` for standard input or a text with no file.
    pub file: Option<Arc<Path>>,
    /// The 1-based line, 0 when unknown.
    pub line: u64,
    /// The 1-based column in characters, 0 when unknown.
    pub column: u64,
    /// The 1-based record number, when the error concerns a whole record.
    pub record: Option<u64>,
}

impl Location {
    /// A position in a file (line and column 1-based, 0 when unknown), no record.
    pub fn new(file: Option<Arc<Path>>, line: u64, column: u64) -> Location {
        Location {
            file,
            line,
            column,
            record: None,
        }
    }

    /// Moves a location found inside an embedded text (front matter) to the file's
    /// coordinates: `line_offset` lines were before the embedded text.
    pub fn shifted(mut self, line_offset: u64) -> Location {
        if self.line > 0 {
            self.line += line_offset;
        }
        self
    }
}

/// `file:line:column`, leaving out what is unknown; `<stdin>` when there is no file.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(path) => write!(f, "{}", path.display())?,
            None => f.write_str("<stdin>")?,
        }
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        if let Some(record) = self.record {
            write!(f, " (record {record})")?;
        }
        Ok(())
    }
}

/// What kind of failure an error is; the command line maps each to an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is not well-formed in its format (bad YAML, JSON, XML, CSV).
    Syntax,
    /// The input is not valid UTF-8 (or its declared encoding).
    Encoding,
    /// The input is well-formed but does not fit: a duplicate key, a value a format
    /// cannot carry, a record that is not a map.
    Data,
    /// A safety budget was exceeded: nesting depth, alias expansion, record size.
    Limit,
    /// Reading or writing failed in the operating system.
    Io,
}

/// An error with its location and a message that says what was expected.
///
/// ```
/// use recast_model::{Error, ErrorKind, Location};
/// let at = Location::new(Some(std::path::Path::new("a.md").into()), 3, 7);
/// let error = Error::new(ErrorKind::Syntax, at, "expected ':' after a mapping key");
/// assert_eq!(error.to_string(), "a.md:3:7: expected ':' after a mapping key");
/// ```
///
/// # Display and source
///
/// `{}` prints `location: message`. An I/O error ([`Error::io`]) keeps the operating
/// system's error as its [`source`](std::error::Error::source) and has no message of
/// its own, so that a chain printer (anyhow's `{:#}`, a loop over `source()`) shows the
/// OS text once, right after the place: `out.json: No space left on device (os error
/// 28)`. Printed alone (`{}`) it names only the place; `{:#}` on the error itself
/// appends the source as anyhow would, which is how recast's CLI prints every error.
///
/// ```
/// use std::error::Error as _;
/// let broken = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
/// let error = recast_model::Error::io(Some(std::path::Path::new("out.json").into()), broken);
/// assert_eq!(format!("{error:#}"), "out.json: broken pipe");
/// assert_eq!(error.to_string(), "out.json");
/// assert_eq!(error.source().unwrap().to_string(), "broken pipe");
/// assert_eq!(anyhow_like(&error), "out.json: broken pipe");
///
/// // What anyhow's `{:#}` does: each error of the chain, `: `-separated.
/// fn anyhow_like(error: &dyn std::error::Error) -> String {
///     let mut text = error.to_string();
///     let mut cause = error.source();
///     while let Some(next) = cause {
///         text.push_str(&format!(": {next}"));
///         cause = next.source();
///     }
///     text
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Error {
    /// What kind of failure it is, which decides the exit code.
    pub kind: ErrorKind,
    /// Where it happened.
    pub location: Location,
    /// What went wrong and what was expected, without the location; empty for an I/O
    /// error, whose operating system's text is its source.
    pub message: String,
    /// The operating system's error behind an [`ErrorKind::Io`] error, shared so that
    /// the error stays `Clone`.
    io: Option<Arc<std::io::Error>>,
}

/// `location: message` (the location alone when there is no message: an I/O error);
/// with `{:#}`, followed by `: ` and the source's text.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.location)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if f.alternate()
            && let Some(io) = &self.io
        {
            write!(f, ": {io}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.io.as_deref().map(|io| io as _)
    }
}

impl Error {
    /// An error of any kind.
    pub fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Error {
        Error {
            kind,
            location,
            message: message.into(),
            io: None,
        }
    }

    /// Input that is not well-formed in its format.
    pub fn syntax(location: Location, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Syntax, location, message)
    }

    /// Well-formed input that does not fit: a duplicate key, a value a format cannot carry.
    pub fn data(location: Location, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Data, location, message)
    }

    /// A safety budget exceeded: depth, size, alias expansion.
    pub fn limit(location: Location, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Limit, location, message)
    }

    /// An I/O error on a file (or the standard streams when `file` is `None`); `error`
    /// becomes its [`source`](std::error::Error::source) (see [`Error`] for how it prints).
    /// An already shared `Arc<io::Error>` (as quick-xml's) is kept as it is.
    pub fn io(file: Option<Arc<Path>>, error: impl Into<Arc<std::io::Error>>) -> Error {
        Error {
            io: Some(error.into()),
            ..Error::new(ErrorKind::Io, Location::new(file, 0, 0), "")
        }
    }

    /// The operating system's error behind an I/O error, if this is one.
    pub fn io_error(&self) -> Option<&std::io::Error> {
        self.io.as_deref()
    }

    /// Sets the file when the error does not name one yet (a parser that saw only text).
    pub fn in_file(mut self, file: Option<&Arc<Path>>) -> Error {
        if self.location.file.is_none() {
            self.location.file = file.cloned();
        }
        self
    }

    /// Sets the record number when the error does not carry one yet.
    pub fn in_record(mut self, record: u64) -> Error {
        self.location.record.get_or_insert(record);
        self
    }
}

/// recast's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Finds the 1-based line and column of a byte offset in a text, counting columns in
/// characters. Readers whose parsers report only offsets use it.
pub fn line_column(text: &[u8], offset: usize) -> (u64, u64) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // Count characters, not bytes: continuation bytes (0b10xx_xxxx) do not start one.
    let column = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count() as u64
        + 1;
    (line, column)
}

/// Checks that bytes are UTF-8, with an error giving the line and column of the first
/// bad byte (the standard library's error gives only an offset).
pub fn check_utf8<'a>(bytes: &'a [u8], file: Option<&Arc<Path>>) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(bytes, e.valid_up_to());
        Error::new(
            ErrorKind::Encoding,
            Location::new(file.cloned(), line, column),
            format!(
                "invalid UTF-8 (byte 0x{:02X}); expected UTF-8 text",
                bytes[e.valid_up_to()]
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let text = "ab\ncdé€f\n".as_bytes();
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        let f = text.iter().position(|&b| b == b'f').unwrap();
        assert_eq!(line_column(text, f), (2, 5));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let file: Arc<Path> = Path::new("x.md").into();
        let error = check_utf8(b"ok\nab\xFFc", Some(&file)).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Encoding);
        assert!(
            error.to_string().starts_with("x.md:2:3: invalid UTF-8"),
            "{error}"
        );
    }
}
