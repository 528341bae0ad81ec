//! Multi-document YAML streams, read document by document so memory stays flat.
//!
//! The YAML spec forbids a document marker (`---` or `...` at column 0, followed by a
//! space, a tab or the line end) inside any scalar, so cutting the stream at those lines
//! splits it exactly where a YAML parser would. Each piece is parsed on its own, with its
//! line numbers shifted to the file's; the pieces are independent, so a caller may parse
//! them in parallel.

use std::collections::VecDeque;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use recast_model::{Error, ErrorKind, Location, Record, RecordReader, Result, check_utf8};

use crate::document::YamlReadOptions;
use crate::read::parse_document;

/// One document's text cut from a stream, and the file line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentText {
    /// 1-based line of the document's first line (its `---`, if it has one).
    pub first_line: u64,
    /// The document's lines, markers and comments included, checked to be UTF-8.
    pub text: String,
}

/// Cuts a YAML stream into documents at column-0 `---` and `...` lines.
///
/// Directives and comments before a `---` stay with the document they precede. The
/// UTF-8 of each document is checked, with the line and column of a bad byte.
///
/// ```
/// use recast_yaml::{DocumentSplitter, YamlReadOptions, parse_document};
/// let stream = "---\ntitle: a\n---\ntitle: b\n...\n";
/// let mut splitter = DocumentSplitter::new(stream.as_bytes(), None, YamlReadOptions::default());
/// let first = splitter.next().unwrap().unwrap();
/// assert_eq!((first.first_line, first.text.as_str()), (1, "---\ntitle: a\n"));
/// let second = splitter.next().unwrap().unwrap();
/// assert_eq!(second.first_line, 3);
/// let records = parse_document(&second.text, None, second.first_line, &YamlReadOptions::default()).unwrap();
/// assert_eq!(records[0].fields["title"], "b".into());
/// assert!(splitter.next().is_none());
/// ```
pub struct DocumentSplitter<R> {
    input: R,
    file: Option<Arc<Path>>,
    max_bytes: usize,
    /// The next line's number.
    line: u64,
    /// A line read ahead: the `---` that starts the next document.
    pending: Option<Vec<u8>>,
    done: bool,
}

/// What a line means to the splitter.
#[derive(PartialEq)]
enum LineKind {
    /// `---`: a document starts here.
    Start,
    /// `...`: the current document ends with this line.
    End,
    /// A blank line, a comment or a directive: not yet document content.
    Prefix,
    Content,
}

fn line_kind(line: &[u8]) -> LineKind {
    // A BOM may precede any document of a stream.
    let line = line.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(line);
    let marker_end =
        |rest: &[u8]| matches!(rest.first(), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
    if let Some(rest) = line.strip_prefix(b"---")
        && marker_end(rest)
    {
        return LineKind::Start;
    }
    if let Some(rest) = line.strip_prefix(b"...")
        && marker_end(rest)
    {
        return LineKind::End;
    }
    let trimmed = line.trim_ascii_start();
    if trimmed.is_empty() || trimmed.starts_with(b"#") || line.starts_with(b"%") {
        LineKind::Prefix
    } else {
        LineKind::Content
    }
}

impl<R: BufRead> DocumentSplitter<R> {
    /// A splitter over a stream; `file` names it in errors (`None` is stdin).
    pub fn new(input: R, file: Option<Arc<Path>>, options: YamlReadOptions) -> Self {
        DocumentSplitter {
            input,
            file,
            max_bytes: options.max_document_bytes,
            line: 1,
            pending: None,
            done: false,
        }
    }

    /// Reads one line (with its line break) into `buf`, reading at most `limit + 1` bytes
    /// so a multi-gigabyte line cannot fill memory. Returns the bytes read.
    fn read_line(&mut self, buf: &mut Vec<u8>, limit: usize) -> Result<usize> {
        let mut taken = std::io::Read::take(&mut self.input, limit.saturating_add(1) as u64);
        taken
            .read_until(b'\n', buf)
            .map_err(|e| Error::io(self.file.clone(), e))
    }

    fn next_document(&mut self) -> Result<Option<DocumentText>> {
        // A pending `---` line was numbered when it was read ahead.
        let first_line = self.line - u64::from(self.pending.is_some());
        let mut text = self.pending.take().unwrap_or_default();
        // The pending `---` line counts as content and is already numbered.
        let mut has_content = !text.is_empty();
        let mut line = Vec::new();
        loop {
            line.clear();
            let budget = self.max_bytes.saturating_sub(text.len());
            let n = self.read_line(&mut line, budget)?;
            if n == 0 {
                self.done = true;
                break;
            }
            if text.len() + line.len() > self.max_bytes {
                let complete = line.ends_with(b"\n");
                self.line += u64::from(complete);
                return Err(self.too_big(first_line, complete));
            }
            let kind = line_kind(&line);
            if kind == LineKind::Start && has_content {
                self.pending = Some(std::mem::take(&mut line));
                self.line += 1;
                break;
            }
            self.line += 1;
            text.extend_from_slice(&line);
            match kind {
                LineKind::End => break,
                LineKind::Start | LineKind::Content => has_content = true,
                LineKind::Prefix => {}
            }
        }
        if text.is_empty() {
            return Ok(None);
        }
        let checked = check_utf8(&text, self.file.as_ref()).map_err(|mut e| {
            e.location = e.location.shifted(first_line - 1);
            e
        })?;
        // `check_utf8` proved the bytes valid; the conversion cannot fail.
        let text = checked.to_owned();
        Ok(Some(DocumentText { first_line, text }))
    }

    /// Skips the rest of an oversized document (up to the next `---`) and reports it.
    fn too_big(&mut self, first_line: u64, at_line_start: bool) -> Error {
        let mut line = Vec::new();
        let mut at_line_start = at_line_start;
        loop {
            line.clear();
            match self.read_line(&mut line, 1 << 16) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(_) => {
                    // Long lines come in pieces; only a piece at a line start can be a marker.
                    if at_line_start && line_kind(&line) == LineKind::Start {
                        self.pending = Some(line.clone());
                        self.line += 1;
                        break;
                    }
                    at_line_start = line.ends_with(b"\n");
                    if at_line_start {
                        self.line += 1;
                    }
                }
                Err(_) => {
                    self.done = true;
                    break;
                }
            }
        }
        Error::new(
            ErrorKind::Limit,
            Location::new(self.file.clone(), first_line, 1),
            format!(
                "YAML document larger than {} bytes; expected smaller documents (one record each)",
                self.max_bytes
            ),
        )
    }
}

impl<R: BufRead> Iterator for DocumentSplitter<R> {
    type Item = Result<DocumentText>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done && self.pending.is_none() {
                return None;
            }
            match self.next_document() {
                Ok(Some(document)) => return Some(Ok(document)),
                Ok(None) => continue,
                Err(e) => {
                    if e.kind == ErrorKind::Io {
                        self.done = true;
                        self.pending = None;
                    }
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Reads the records of a multi-document YAML stream, one document at a time.
///
/// Each document is a record (a mapping) or a list of records; empty documents are
/// skipped. After a bad document the reader goes on with the next one.
///
/// ```
/// use recast_yaml::YamlReader;
/// let stream = "---\ntitle: a\nquality: 39\n---\n- title: b\n- title: c\n";
/// let records: Vec<_> = YamlReader::new(stream.as_bytes(), None)
///     .collect::<Result<_, _>>()
///     .unwrap();
/// assert_eq!(records.len(), 3);
/// assert_eq!(records[0].fields["quality"].type_name(), "integer");
/// ```
pub struct YamlReader<R> {
    splitter: DocumentSplitter<R>,
    options: YamlReadOptions,
    ready: VecDeque<Record>,
    records: u64,
}

impl<R: BufRead> YamlReader<R> {
    /// A reader over a stream with the default budgets; `source` names it in errors and
    /// records' origins (`None` is stdin).
    pub fn new(input: R, source: Option<Arc<Path>>) -> Self {
        Self::with_options(input, source, YamlReadOptions::default())
    }

    /// A reader with explicit budgets.
    pub fn with_options(input: R, source: Option<Arc<Path>>, options: YamlReadOptions) -> Self {
        YamlReader {
            splitter: DocumentSplitter::new(input, source, options.clone()),
            options,
            ready: VecDeque::new(),
            records: 0,
        }
    }
}

impl<R: BufRead> Iterator for YamlReader<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(record) = self.ready.pop_front() {
                self.records += 1;
                return Some(Ok(record));
            }
            let document = match self.splitter.next()? {
                Ok(document) => document,
                Err(e) => return Some(Err(e.in_record(self.records + 1))),
            };
            match parse_document(
                &document.text,
                self.splitter.file.clone(),
                document.first_line,
                &self.options,
            ) {
                Ok(records) => self.ready.extend(records),
                Err(e) => return Some(Err(e.in_record(self.records + 1))),
            }
        }
    }
}

impl<R: BufRead> RecordReader for YamlReader<R> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<(u64, String)> {
        DocumentSplitter::new(text.as_bytes(), None, YamlReadOptions::default())
            .map(|d| d.map(|d| (d.first_line, d.text)))
            .collect::<Result<_>>()
            .unwrap()
    }

    #[test]
    fn splits_at_markers_keeping_prefixes_with_their_document() {
        let docs = split("# c\n%YAML 1.2\n---\na: 1\n...\n# between\n--- |\n  x\n---\n---b: 1\n");
        assert_eq!(
            docs,
            [
                (1, "# c\n%YAML 1.2\n---\na: 1\n...\n".to_owned()),
                (6, "# between\n--- |\n  x\n".to_owned()),
                (9, "---\n---b: 1\n".to_owned()),
            ]
        );
    }

    #[test]
    fn bare_documents_and_crlf() {
        assert_eq!(
            split("a: 1\r\n---\r\nb: 2"),
            [(1, "a: 1\r\n".into()), (2, "---\r\nb: 2".into())]
        );
    }

    #[test]
    fn errors_name_the_file_line() {
        let file: Arc<Path> = Path::new("s.yaml").into();
        let text = "---\na: 1\n---\nb: [\n---\nc: 3\n";
        let results: Vec<_> = YamlReader::new(text.as_bytes(), Some(file)).collect();
        assert_eq!(results.len(), 3);
        let e = results[1].as_ref().unwrap_err();
        // The unclosed bracket is on the file's line 4.
        assert!(e.to_string().starts_with("s.yaml:4:4"), "{e}");
        assert_eq!(results[2].as_ref().unwrap().fields["c"], 3i64.into());
    }

    #[test]
    fn invalid_utf8_is_located_in_the_file() {
        let text = b"---\na: 1\n---\nb: \xFF\n";
        let results: Vec<_> = YamlReader::new(&text[..], None).collect();
        let e = results[1].as_ref().unwrap_err();
        assert_eq!(
            (e.kind, e.location.line, e.location.column),
            (ErrorKind::Encoding, 4, 4)
        );
    }

    #[test]
    fn oversized_documents_are_refused_and_skipped() {
        let options = YamlReadOptions {
            max_document_bytes: 64,
            ..YamlReadOptions::default()
        };
        let text = format!("---\na: {}\n---\nb: 2\n", "x".repeat(1000));
        let results: Vec<_> = YamlReader::with_options(text.as_bytes(), None, options).collect();
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].as_ref().unwrap_err().kind, ErrorKind::Limit);
        assert_eq!(results[1].as_ref().unwrap().fields["b"], 2i64.into());
    }
}
