//! Markdown files with front matter: one file, one record. The front matter is YAML
//! (below), TOML between `+++` lines (`toml.rs`) or a JSON object (`json.rs`); `fence.rs`
//! tells them apart.
//!
//! ```text
//! ---                      first line: `---` (trailing blanks and CRLF allowed; a BOM before it)
//! title: "AI revolution"   front matter: a YAML mapping, the record's fields
//! ---                      closing line: `---` or `...`
//!                          one blank separator line, not part of the body
//! Body text…               the body: the field `body`, byte for byte, appended last
//! ```
//!
//! Decisions:
//! - Nothing after the closing line (not even a line break) → no `body` field; a blank
//!   line only → `body: ""`.
//! - A file that does not start with a `---` line is all body: a record whose only
//!   field is `body` (Hugo and pandoc read such files as content without metadata).
//! - Front matter holding a `body` key when the file also has a body is an error: one
//!   would silently replace the other.
//! - `---` lines and fenced YAML after the closing line are body text.

use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::sync::Arc;

use recast_model::{
    BODY, Error, ErrorKind, Location, Map, Origin, Record, RecordReader, RecordWriter, Result,
    Value, check_utf8,
};

use crate::cut::FrontMatterKeys;
use crate::document::YamlReadOptions;
use crate::fence::{self, FrontMatterDialect, Split};
use crate::read::parse_documents_fully;
use crate::write::record_fields_except;

/// Reads one Markdown file with YAML front matter into a record.
///
/// ```
/// use recast_yaml::read_markdown;
/// let file = b"---\r\ntitle: \"2024\"\r\n---\r\n\r\nHello.\r\n";
/// let record = read_markdown(file, None).unwrap();
/// assert_eq!(record.fields["title"], "2024".into());
/// assert_eq!(record.body(), Some("Hello.\r\n"));
/// ```
pub fn read_markdown(bytes: &[u8], file: Option<Arc<Path>>) -> Result<Record> {
    read_markdown_with(bytes, file, &YamlReadOptions::default())
}

/// [`read_markdown`] with explicit budgets.
pub fn read_markdown_with(
    bytes: &[u8],
    file: Option<Arc<Path>>,
    options: &YamlReadOptions,
) -> Result<Record> {
    let text = check_utf8(bytes, file.as_ref())?;
    let (mut fields, body, _) = split_markdown(text, &file, options)?;
    if let Some(body) = body {
        fields.insert(BODY.to_owned(), Value::String(text[body].to_owned()));
    }
    Ok(Record::new(fields, Origin::new(file, 1)))
}

/// [`read_markdown_with`] taking the file's bytes by value: the body, most of a file,
/// keeps the bytes' allocation instead of being copied out of it.
pub fn read_markdown_owned(
    bytes: Vec<u8>,
    file: Option<Arc<Path>>,
    options: &YamlReadOptions,
) -> Result<Record> {
    read_markdown_keyed(bytes, file, options).map(|(record, _)| record)
}

/// [`read_markdown_owned`], and where the front matter's top-level entries are, as
/// this read found them: [`crate::rewrite::rewrite_front_matter_keyed`] then rewrites
/// the file without reading its front matter again.
pub fn read_markdown_keyed(
    bytes: Vec<u8>,
    file: Option<Arc<Path>>,
    options: &YamlReadOptions,
) -> Result<(Record, FrontMatterKeys)> {
    let mut text = match String::from_utf8(bytes) {
        Ok(text) => text,
        // check_utf8 words the error: the line and column of the first bad byte.
        Err(e) => {
            return Err(match check_utf8(e.as_bytes(), file.as_ref()) {
                Err(error) => error,
                Ok(_) => Error::new(
                    ErrorKind::Encoding,
                    Location::new(file, 1, 1),
                    "invalid UTF-8; expected a UTF-8 text",
                ),
            });
        }
    };
    let (mut fields, body, keys) = split_markdown(&text, &file, options)?;
    if let Some(body) = body {
        text.truncate(body.end);
        text.drain(..body.start);
        fields.insert(BODY.to_owned(), Value::String(text));
    }
    Ok((Record::new(fields, Origin::new(file, 1)), keys))
}

/// A Markdown file's front-matter fields and its body, as [`read_markdown`] reads them
/// (the body is not among the fields), without copying the body out of `text`.
pub(crate) fn read_fields_and_body(text: &str) -> Result<(Map, Option<&str>)> {
    let (fields, body, _) = split_markdown(text, &None, &YamlReadOptions::default())?;
    Ok((fields, body.map(|range| &text[range])))
}

/// The fields of a Markdown file's front matter, where its body is in `text`, and
/// where the front matter's top-level entries are when the read found them.
fn split_markdown(
    text: &str,
    file: &Option<Arc<Path>>,
    options: &YamlReadOptions,
) -> Result<(Map, Option<std::ops::Range<usize>>, FrontMatterKeys)> {
    let file = file.clone();
    let parts = match fence::split(text) {
        Split::Plain => {
            let unmarked = text.strip_prefix('\u{FEFF}').unwrap_or(text);
            return Ok((
                Map::default(),
                Some(text.len() - unmarked.len()..text.len()),
                FrontMatterKeys::default(),
            ));
        }
        Split::Unclosed { last_line } => {
            return Err(Error::syntax(
                Location::new(file, last_line, 1),
                "front matter is not closed; expected a `---` line after it",
            ));
        }
        Split::Fenced(parts) => parts,
    };
    let FrontRead {
        fields,
        body_key,
        keys,
    } = match parts.dialect {
        FrontMatterDialect::Yaml => yaml_fields(parts.front, &file, options)?,
        FrontMatterDialect::Toml => {
            FrontRead::of(crate::toml::read_fields(parts.front, file.as_ref(), 2)?)
        }
        FrontMatterDialect::Json => FrontRead::of(crate::json::read_fields(
            parts.front,
            file.as_ref(),
            options,
        )?),
    };

    let Some(body) = parts.body() else {
        return Ok((fields, None, keys));
    };
    if fields.contains_key(BODY) {
        let (line, column) = body_key.unwrap_or((parts.close_line(), 1));
        return Err(Error::new(
            ErrorKind::Data,
            Location::new(file, line, column),
            "front matter has a `body` field and the file has a body after it; expected one or the other",
        ));
    }
    Ok((fields, Some(text.len() - body.len()..text.len()), keys))
}

/// What a front matter holds, as a Markdown read finds it.
struct FrontRead {
    fields: Map,
    /// The line and column of its `body` key (YAML), if any.
    body_key: Option<(u64, u64)>,
    /// Where its top-level entries are (YAML the fast reader read).
    keys: FrontMatterKeys,
}

impl FrontRead {
    fn of(fields: Map) -> FrontRead {
        FrontRead {
            fields,
            body_key: None,
            keys: FrontMatterKeys::default(),
        }
    }
}

/// The fields of YAML front matter, the line and column of its `body` key if any, and
/// where its top-level entries are when the fast reader read it.
fn yaml_fields(
    front: &str,
    file: &Option<Arc<Path>>,
    options: &YamlReadOptions,
) -> Result<FrontRead> {
    let file = file.clone();
    let (mut documents, keys) = match crate::fast::parse_keyed(front, 2, options) {
        Some((documents, Some(keys))) => (documents, FrontMatterKeys::found(front, &keys)),
        Some((documents, None)) => (documents, FrontMatterKeys::default()),
        None => (
            parse_documents_fully(front, file.as_ref(), 2, options)?,
            FrontMatterKeys::default(),
        ),
    };
    if documents.len() > 1 {
        let second = &documents[1];
        return Err(Error::data(
            Location::new(file, second.line, second.column),
            "front matter holds more than one YAML document; expected one mapping",
        ));
    }
    Ok(match documents.pop() {
        None => FrontRead {
            keys,
            ..FrontRead::of(Map::default())
        },
        Some(document) => match document.value {
            Value::Map(fields) => FrontRead {
                fields,
                body_key: document.body_key,
                keys,
            },
            other => {
                return Err(Error::data(
                    Location::new(file, document.line, document.column),
                    format!(
                        "front matter is {}; expected a mapping of fields",
                        other.type_in_words()
                    ),
                ));
            }
        },
    })
}

/// Reads the one record of a Markdown file from any reader.
///
/// ```
/// use recast_yaml::MarkdownReader;
/// let file = "---\ntitle: Hello\n---\n";
/// let records: Vec<_> = MarkdownReader::new(file.as_bytes(), None).collect();
/// assert_eq!(records.len(), 1);
/// assert_eq!(records[0].as_ref().unwrap().body(), None);
/// ```
pub struct MarkdownReader<R> {
    input: Option<R>,
    file: Option<Arc<Path>>,
    options: YamlReadOptions,
}

impl<R: BufRead> MarkdownReader<R> {
    /// A reader of one file with the default budgets; `source` names it in errors and
    /// in the record's origin (`None` is stdin).
    pub fn new(input: R, source: Option<Arc<Path>>) -> Self {
        Self::with_options(input, source, YamlReadOptions::default())
    }

    /// A reader with explicit budgets.
    pub fn with_options(input: R, source: Option<Arc<Path>>, options: YamlReadOptions) -> Self {
        MarkdownReader {
            input: Some(input),
            file: source,
            options,
        }
    }
}

impl<R: BufRead> Iterator for MarkdownReader<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Self::Item> {
        let input = self.input.take()?;
        let mut bytes = Vec::new();
        // One file is one record: the stream budget for a document bounds it too.
        let limit = self.options.max_document_bytes;
        if let Err(e) = input.take(limit as u64 + 1).read_to_end(&mut bytes) {
            return Some(Err(Error::io(self.file.clone(), e)));
        }
        if let Err(error) = check_markdown_size(bytes.len(), self.file.as_ref(), &self.options) {
            return Some(Err(error));
        }
        Some(read_markdown_owned(bytes, self.file.clone(), &self.options))
    }
}

/// A Markdown file of `len` bytes is one record, which the stream budget for a
/// document bounds: an error past it, as [`MarkdownReader`] gives.
pub fn check_markdown_size(
    len: usize,
    file: Option<&Arc<Path>>,
    options: &YamlReadOptions,
) -> Result<()> {
    let limit = options.max_document_bytes;
    if len <= limit {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Limit,
        Location::new(file.cloned(), 1, 1),
        format!("Markdown file larger than {limit} bytes; expected a smaller file"),
    ))
}

impl<R: BufRead> RecordReader for MarkdownReader<R> {}

/// Writes a record as a Markdown file: its fields as front matter, its string `body`
/// after the closing `---` and one blank line. A record without a body ends at the
/// closing line. A `body` that is not a string stays in the front matter.
///
/// ```
/// use recast_model::{Record, Value};
/// let mut record = Record::default();
/// record.fields.insert("title".into(), Value::from("Hello"));
/// record.set_body("Text.\n".into());
/// assert_eq!(recast_yaml::to_markdown_string(&record), "---\ntitle: Hello\n---\n\nText.\n");
/// ```
pub fn to_markdown_string(record: &Record) -> String {
    let mut out = String::new();
    out.push_str("---\n");
    let body = record.body();
    // Empty front matter is written as nothing at all, not `{}`.
    if record.fields.len() > usize::from(body.is_some()) {
        record_fields_except(&mut out, &record.fields, body.map(|_| BODY));
    }
    out.push_str("---\n");
    if let Some(body) = body {
        out.push('\n');
        out.push_str(body);
    }
    out
}

/// Writes a record as a Markdown file with front matter in `dialect`: YAML as
/// [`to_markdown_string`] does, TOML between `+++` lines, or a JSON object (indented by
/// two spaces) followed by a blank line and the body.
///
/// A value the dialect cannot hold (`null` in TOML, `nan` in JSON) is an error naming
/// the record and the field.
///
/// ```
/// use recast_model::{Record, Value};
/// use recast_yaml::{FrontMatterDialect, to_markdown_string_in};
/// let mut record = Record::default();
/// record.fields.insert("title".into(), Value::from("Hello"));
/// record.fields.insert("date".into(), Value::from("2024-05-01"));
/// record.set_body("Text.\n".into());
/// assert_eq!(
///     to_markdown_string_in(&record, FrontMatterDialect::Toml)?,
///     "+++\ntitle = \"Hello\"\ndate = 2024-05-01\n+++\n\nText.\n"
/// );
/// assert_eq!(
///     to_markdown_string_in(&record, FrontMatterDialect::Json)?,
///     "{\n  \"title\": \"Hello\",\n  \"date\": \"2024-05-01\"\n}\n\nText.\n"
/// );
/// # Ok::<(), recast_model::Error>(())
/// ```
pub fn to_markdown_string_in(record: &Record, dialect: FrontMatterDialect) -> Result<String> {
    let body = record.body();
    let mut fields = record.fields.clone();
    if body.is_some() {
        fields.shift_remove(BODY);
    }
    let mut out = match dialect {
        FrontMatterDialect::Yaml => return Ok(to_markdown_string(record)),
        FrontMatterDialect::Toml => {
            format!("+++\n{}+++\n", crate::toml::write_fields(&fields, record)?)
        }
        FrontMatterDialect::Json => {
            format!(
                "{}\n",
                crate::json::write_fields(&fields, Some("  "), record)?
            )
        }
    };
    if let Some(body) = body {
        out.push('\n');
        out.push_str(body);
    }
    Ok(out)
}

/// The write options of [`MarkdownWriter`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MarkdownWriteOptions {
    /// Names the output in errors (`None`: standard output).
    pub source: Option<Arc<Path>>,
    /// The language of the front matter written (default YAML).
    pub front_matter: FrontMatterDialect,
}

/// Writes one record as one Markdown file (the command line makes a file per record).
///
/// A second record is refused: concatenated Markdown files could not be read back.
///
/// ```
/// use recast_model::{Record, RecordWriter};
/// use recast_yaml::{MarkdownWriteOptions, MarkdownWriter};
///
/// let mut record = Record::default();
/// record.fields.insert("title".into(), "Hello".into());
/// let mut writer = MarkdownWriter::new(Vec::new(), MarkdownWriteOptions::default());
/// writer.write_record(&record)?;
/// writer.finish()?;
/// assert_eq!(writer.into_inner(), b"---\ntitle: Hello\n---\n");
/// # Ok::<(), recast_model::Error>(())
/// ```
pub struct MarkdownWriter<W: Write> {
    output: W,
    file: Option<Arc<Path>>,
    dialect: FrontMatterDialect,
    written: bool,
}

impl<W: Write> MarkdownWriter<W> {
    /// A writer to `output`.
    pub fn new(output: W, options: MarkdownWriteOptions) -> Self {
        MarkdownWriter {
            output,
            file: options.source,
            dialect: options.front_matter,
            written: false,
        }
    }

    /// The output, after [`finish`](RecordWriter::finish).
    pub fn into_inner(self) -> W {
        self.output
    }
}

impl<W: Write> RecordWriter for MarkdownWriter<W> {
    fn write_record(&mut self, record: &Record) -> Result<()> {
        if self.written {
            return Err(Error::data(
                Location::new(self.file.clone(), 0, 0),
                "a Markdown file holds one record; expected one output file per record",
            ));
        }
        self.written = true;
        let text = to_markdown_string_in(record, self.dialect)?;
        self.output
            .write_all(text.as_bytes())
            .map_err(|e| Error::io(self.file.clone(), e))
    }

    fn finish(&mut self) -> Result<()> {
        self.output
            .flush()
            .map_err(|e| Error::io(self.file.clone(), e))
    }
}
