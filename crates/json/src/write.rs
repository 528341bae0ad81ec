//! [`JsonWriter`] (a pretty array) and [`JsonLinesWriter`], and the serializer they share.

use std::io::Write;

use recast_model::{Error, ErrorKind, Location, Map, Record, RecordWriter, Result, Value};

use crate::options::{JsonWriteOptions, Spacing};
use crate::plain_run::find_string_stop;

/// Output is gathered in memory and written in pieces about this big: callers need not
/// wrap the output in a `BufWriter`, and a record that fails is never half-written.
const FLUSH_AT: usize = 64 * 1024;

/// How a value is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One member per line, indented two spaces a level.
    Pretty,
    /// No whitespace at all: `{"a":1,"b":[2,3]}`.
    Compact,
    /// One line with a space after `,` and `:`: `{"a": 1, "b": [2, 3]}`.
    Spaced,
}

impl Layout {
    /// The one-line layout with these separators.
    pub(crate) fn one_line(spacing: Spacing) -> Layout {
        match spacing {
            Spacing::Compact => Layout::Compact,
            Spacing::Spaced => Layout::Spaced,
        }
    }
}

/// Writes records as one pretty-printed JSON array: two-space indentation, keys in
/// record order, non-ASCII text as UTF-8. No records give `[]`.
///
/// The output is buffered here; [`finish`](RecordWriter::finish) closes the array
/// and flushes. A record with a number JSON cannot carry (`inf`, `nan`) is refused
/// with an error naming it, and nothing of it is written.
///
/// ```
/// use recast_json::{JsonWriteOptions, JsonWriter};
/// use recast_model::{Record, RecordWriter};
///
/// let mut record = Record::default();
/// record.fields.insert("title".into(), "Café".into());
/// let mut writer = JsonWriter::new(Vec::new(), JsonWriteOptions::default());
/// writer.write_record(&record)?;
/// writer.finish()?;
/// let out = writer.into_inner();
/// assert_eq!(String::from_utf8(out).unwrap(), "[\n  {\n    \"title\": \"Café\"\n  }\n]\n");
/// # Ok::<(), recast_model::Error>(())
/// ```
pub struct JsonWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    records: u64,
    finished: bool,
}

impl<W: Write> JsonWriter<W> {
    /// A writer to `out`; no `BufWriter` is needed, output is gathered here. The
    /// options' [`spacing`](JsonWriteOptions::spacing) is for one-line records and
    /// does not apply: the array is always indented.
    pub fn new(out: W, _options: JsonWriteOptions) -> JsonWriter<W> {
        JsonWriter {
            out,
            buf: Vec::with_capacity(FLUSH_AT + FLUSH_AT / 4),
            records: 0,
            finished: false,
        }
    }

    /// The output, after [`finish`](RecordWriter::finish).
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> RecordWriter for JsonWriter<W> {
    fn write_record(&mut self, record: &Record) -> Result<()> {
        let mark = self.buf.len();
        self.buf.extend_from_slice(if self.records == 0 {
            b"[\n  "
        } else {
            b",\n  "
        });
        if let Err(bad) = write_map(&mut self.buf, &record.fields, Layout::Pretty, 1) {
            self.buf.truncate(mark);
            return Err(bad.into_error(record, self.records + 1));
        }
        self.records += 1;
        if self.buf.len() >= FLUSH_AT {
            flush_buf(&mut self.out, &mut self.buf)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        self.buf
            .extend_from_slice(if self.records == 0 { b"[]\n" } else { b"\n]\n" });
        flush_buf(&mut self.out, &mut self.buf)?;
        self.out.flush().map_err(|e| Error::io(None, e))
    }
}

/// Writes records as JSON Lines: one object per line, on one line however nested,
/// keys in record order, non-ASCII text as UTF-8. [`Spacing`] picks the separators.
///
/// Buffered like [`JsonWriter`]; call [`finish`](RecordWriter::finish) to flush.
pub struct JsonLinesWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
    layout: Layout,
    records: u64,
}

impl<W: Write> JsonLinesWriter<W> {
    /// A writer to `out` with the options' [`Spacing`]; no `BufWriter` is needed,
    /// output is gathered here.
    pub fn new(out: W, options: JsonWriteOptions) -> JsonLinesWriter<W> {
        JsonLinesWriter {
            out,
            buf: Vec::with_capacity(FLUSH_AT + FLUSH_AT / 4),
            layout: Layout::one_line(options.spacing),
            records: 0,
        }
    }

    /// The output, after [`finish`](RecordWriter::finish).
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> RecordWriter for JsonLinesWriter<W> {
    fn write_record(&mut self, record: &Record) -> Result<()> {
        let mark = self.buf.len();
        if let Err(bad) = write_map(&mut self.buf, &record.fields, self.layout, 0) {
            self.buf.truncate(mark);
            return Err(bad.into_error(record, self.records + 1));
        }
        self.buf.push(b'\n');
        self.records += 1;
        if self.buf.len() >= FLUSH_AT {
            flush_buf(&mut self.out, &mut self.buf)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        flush_buf(&mut self.out, &mut self.buf)?;
        self.out.flush().map_err(|e| Error::io(None, e))
    }
}

fn flush_buf(out: &mut impl Write, buf: &mut Vec<u8>) -> Result<()> {
    let result = out.write_all(buf);
    buf.clear();
    result.map_err(|e| Error::io(None, e))
}

/// A number JSON cannot carry, and the path to it (built innermost first as the
/// serializer unwinds, so the happy path pays nothing for it).
#[derive(Debug)]
pub(crate) struct NonFinite {
    number: String,
    path: Vec<String>,
}

impl NonFinite {
    fn message(&self) -> String {
        let path: Vec<&str> = self.path.iter().rev().map(String::as_str).collect();
        let what = if path.is_empty() {
            "the value".to_owned()
        } else {
            format!("field {:?}", path.join("."))
        };
        format!(
            "{what} is the number {}, which JSON cannot carry; expected a finite number",
            self.number
        )
    }

    fn into_error(self, record: &Record, number: u64) -> Error {
        let location = Location {
            file: record.origin.file.clone(),
            line: record.origin.line,
            column: 0,
            record: Some(number),
        };
        Error::data(location, self.message())
    }

    pub(crate) fn into_value_error(self) -> Error {
        Error::new(ErrorKind::Data, Location::default(), self.message())
    }
}

pub(crate) fn write_value(
    out: &mut Vec<u8>,
    value: &Value,
    layout: Layout,
    level: usize,
) -> std::result::Result<(), NonFinite> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            if !n.is_finite() {
                return Err(NonFinite {
                    number: n.as_str().to_owned(),
                    path: Vec::new(),
                });
            }
            out.extend_from_slice(n.as_str().as_bytes());
        }
        Value::String(s) => write_string(out, s),
        Value::List(items) => {
            if items.is_empty() {
                out.extend_from_slice(b"[]");
                return Ok(());
            }
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    separator(out, layout);
                }
                indent(out, layout, level + 1);
                write_value(out, item, layout, level + 1).map_err(|mut bad| {
                    bad.path.push(i.to_string());
                    bad
                })?;
            }
            indent(out, layout, level);
            out.push(b']');
        }
        Value::Map(map) => write_map(out, map, layout, level)?,
    }
    Ok(())
}

fn write_map(
    out: &mut Vec<u8>,
    map: &Map,
    layout: Layout,
    level: usize,
) -> std::result::Result<(), NonFinite> {
    if map.is_empty() {
        out.extend_from_slice(b"{}");
        return Ok(());
    }
    out.push(b'{');
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            separator(out, layout);
        }
        indent(out, layout, level + 1);
        write_string(out, key);
        out.extend_from_slice(if layout == Layout::Compact {
            b":"
        } else {
            b": "
        });
        write_value(out, value, layout, level + 1).map_err(|mut bad| {
            bad.path.push(key.clone());
            bad
        })?;
    }
    indent(out, layout, level);
    out.push(b'}');
    Ok(())
}

fn separator(out: &mut Vec<u8>, layout: Layout) {
    out.extend_from_slice(if layout == Layout::Spaced {
        b", "
    } else {
        b","
    });
}

/// A line break and the indentation of `level`, in the pretty layout only.
fn indent(out: &mut Vec<u8>, layout: Layout, level: usize) {
    if layout == Layout::Pretty {
        out.push(b'\n');
        out.resize(out.len() + 2 * level, b' ');
    }
}

/// What each byte becomes in a JSON string: 0 = itself, `u` = `\u00XX`, else the
/// letter after a backslash. Only what JSON requires is escaped, as Python's
/// `json.dumps(ensure_ascii=False)` and serde_json do, so text stays readable.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x0C] = b'f';
    table[b'\n' as usize] = b'n';
    table[b'\r' as usize] = b'r';
    table[b'\t' as usize] = b't';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

pub(crate) fn write_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    // The bytes to escape are exactly those that stop a run when parsing a string.
    while let Some(found) = find_string_stop(&bytes[start..]) {
        let i = start + found;
        let b = bytes[i];
        let escape = ESCAPE[b as usize];
        out.extend_from_slice(&bytes[start..i]);
        if escape == b'u' {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xF) as usize],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}
