//! [`JsonReader`] (a JSON array of records, streamed) and [`JsonLinesReader`].

use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

use recast_model::{Error, Location, Origin, Record, RecordReader, Result, Value};

use crate::input::RECORD;
use crate::options::JsonReadOptions;
use crate::parser::{EXPECTED_VALUE, Parser, after_member};
use crate::pointer::{Pointer, array_index};

/// Reads records from a JSON document: a top-level array of objects, read one element
/// at a time so memory stays flat however long the array is, or a single object (one
/// record). [`JsonReadOptions::select`] picks the array inside an API dump.
///
/// An empty input (only whitespace) has no records. Several top-level objects or
/// arrays one after another (concatenated JSON, as `jq -c` writes it) are read in
/// turn, as jq and Miller do. Each record's origin line is the line its `{` is on.
///
/// After a record-level problem (an element that is not an object, a duplicate key)
/// the reader goes on with the next element; after a syntax, encoding, size or I/O
/// error it ends, because the rest of the document cannot be trusted.
///
/// ```
/// use recast_json::{JsonReadOptions, JsonReader};
/// let dump = r#"{"status": "ok", "news": [{"title": "A"}, {"title": "B"}], "page": 1}"#;
/// let mut options = JsonReadOptions::default();
/// options.select = Some("/news".into());
/// let titles: Vec<String> = JsonReader::with_options(dump.as_bytes(), None, options)
///     .map(|r| r.map(|r| r.fields["title"].to_string()))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(titles, [r#""A""#, r#""B""#]);
/// # Ok::<(), recast_model::Error>(())
/// ```
pub struct JsonReader<R> {
    parser: Parser<R>,
    pointer: Pointer,
    state: State,
    /// The closing bracket of each container around the selected value, outermost
    /// first: after the records, the rest of each is checked and skipped.
    enclosing: Vec<u8>,
    records: u64,
    /// A problem with the options (a pointer that is not one), the first item read.
    invalid_options: Option<Error>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Array { first: bool },
    Single,
    Closing,
    Done,
}

impl<R: BufRead> JsonReader<R> {
    /// A reader of `reader` with the default options; `source` names it in records'
    /// origins and in errors (`None` = standard input).
    pub fn new(reader: R, source: Option<Arc<Path>>) -> JsonReader<R> {
        JsonReader::with_options(reader, source, JsonReadOptions::default())
    }

    /// A reader with explicit options: the records' place ([`JsonReadOptions::select`])
    /// and the budgets.
    pub fn with_options(
        reader: R,
        source: Option<Arc<Path>>,
        options: JsonReadOptions,
    ) -> JsonReader<R> {
        let (pointer, invalid_options) = match options.select.as_deref().map(Pointer::parse) {
            None => (Pointer::default(), None),
            Some(Ok(pointer)) => (pointer, None),
            Some(Err(error)) => (Pointer::default(), Some(error)),
        };
        JsonReader {
            parser: Parser::new(reader, source, options.limits(), false),
            pointer,
            state: State::Start,
            enclosing: Vec::new(),
            records: 0,
            invalid_options,
        }
    }

    /// Finds the records: skips to the selected value and decides between an array of
    /// records and a single one.
    fn start(&mut self) -> Result<()> {
        if let Some(error) = self.invalid_options.take() {
            return Err(error);
        }
        let p = &mut self.parser;
        p.input.skip_bom()?;
        p.input.skip_ws()?;
        if p.input.peek()?.is_none() && self.pointer.tokens.is_empty() {
            self.state = State::Done;
            return Ok(());
        }
        self.navigate()?;
        self.records_at_value()
    }

    /// Decides, at the first byte of the selected (or a top-level) value, between an
    /// array of records and a single one.
    fn records_at_value(&mut self) -> Result<()> {
        let p = &mut self.parser;
        p.input.skip_ws()?;
        match p.input.peek()? {
            Some(b'[') => {
                p.open(self.enclosing.len())?;
                p.input.bump();
                self.state = State::Array { first: true };
                Ok(())
            }
            Some(b'{') => {
                self.state = State::Single;
                Ok(())
            }
            Some(b) if starts_value(b) => {
                let what = json_type_of(b);
                let at = if self.pointer.tokens.is_empty() {
                    "at the top level".to_owned()
                } else {
                    format!("at {}", self.pointer.prefix(self.pointer.tokens.len()))
                };
                Err(Error::data(
                    p.input.location(),
                    format!("expected an array of objects or an object {at}, found {what}"),
                ))
            }
            _ => Err(p.input.unexpected(EXPECTED_VALUE)),
        }
    }

    /// Walks the pointer's tokens, skipping everything before the selected value and
    /// stopping at its first byte.
    fn navigate(&mut self) -> Result<()> {
        let mut key = String::new();
        for (depth, token) in self.pointer.tokens.iter().enumerate() {
            let p = &mut self.parser;
            let here = self.pointer.prefix(depth);
            p.input.skip_ws()?;
            match p.input.peek()? {
                Some(b'{') => {
                    p.open(self.enclosing.len())?;
                    p.input.bump();
                    p.input.skip_ws()?;
                    let missing = |p: &Parser<R>| {
                        Error::data(
                            p.input.location(),
                            format!(
                                "no member {token:?} in the object at {here} (selecting {:?})",
                                self.pointer.text
                            ),
                        )
                    };
                    if p.input.peek()? == Some(b'}') {
                        return Err(missing(p));
                    }
                    loop {
                        key.clear();
                        p.key(&mut key, "expected a string key or '}'")?;
                        if key == *token {
                            break;
                        }
                        p.skip_value(self.enclosing.len() + 1)?;
                        p.input.skip_ws()?;
                        match p.input.peek()? {
                            Some(b',') => p.input.bump(),
                            Some(b'}') => return Err(missing(p)),
                            _ => return Err(p.input.unexpected(after_member(b'}'))),
                        }
                    }
                    self.enclosing.push(b'}');
                }
                Some(b'[') => {
                    let Some(index) = array_index(token) else {
                        return Err(Error::data(
                            p.input.location(),
                            format!(
                                "{here} is an array; expected an index such as 0 in the JSON pointer, found {token:?} (selecting {:?})",
                                self.pointer.text
                            ),
                        ));
                    };
                    p.open(self.enclosing.len())?;
                    p.input.bump();
                    p.input.skip_ws()?;
                    let missing = |p: &Parser<R>, len: u64| {
                        Error::data(
                            p.input.location(),
                            format!(
                                "no element {index} in the array at {here}, which has {len} (selecting {:?})",
                                self.pointer.text
                            ),
                        )
                    };
                    if p.input.peek()? == Some(b']') {
                        return Err(missing(p, 0));
                    }
                    for passed in 0..index {
                        p.skip_value(self.enclosing.len() + 1)?;
                        p.input.skip_ws()?;
                        match p.input.peek()? {
                            Some(b',') => p.input.bump(),
                            Some(b']') => return Err(missing(p, passed + 1)),
                            _ => return Err(p.input.unexpected(after_member(b']'))),
                        }
                    }
                    self.enclosing.push(b']');
                }
                Some(b) if starts_value(b) => {
                    return Err(Error::data(
                        p.input.location(),
                        format!(
                            "{here} is {}, not an object or array, so it has no {token:?} (selecting {:?})",
                            json_type_of(b),
                            self.pointer.text
                        ),
                    ));
                }
                _ => return Err(p.input.unexpected(EXPECTED_VALUE)),
            }
        }
        Ok(())
    }

    /// Checks and skips what follows the records: the rest of each enclosing container,
    /// then nothing but whitespace.
    fn close(&mut self) -> Result<()> {
        let p = &mut self.parser;
        while let Some(close) = self.enclosing.pop() {
            loop {
                p.input.skip_ws()?;
                match p.input.peek()? {
                    Some(b) if b == close => {
                        p.input.bump();
                        break;
                    }
                    Some(b',') => {
                        p.input.bump();
                        if close == b'}' {
                            p.skip_key("expected a string key after ','")?;
                        }
                        p.skip_value(self.enclosing.len() + 1)?;
                    }
                    _ => return Err(p.input.unexpected(after_member(close))),
                }
            }
        }
        p.input.skip_ws()?;
        match p.input.peek()? {
            None => Ok(()),
            Some(_) => Err(p
                .input
                .unexpected("expected end of input after the top-level value")),
        }
    }

    /// The next element of the records' array: `Ok(None)` at its end, `Err` for an error
    /// that ends the reader, `Ok(Some(Err))` for one that skips only this record.
    fn element(&mut self, first: bool) -> Result<Option<Result<Record>>> {
        let p = &mut self.parser;
        p.input.skip_ws()?;
        match p.input.peek()? {
            Some(b']') => {
                p.input.bump();
                return Ok(None);
            }
            Some(b',') if !first => {
                p.input.bump();
            }
            _ if first => {}
            _ => return Err(p.input.unexpected(after_member(b']'))),
        }
        self.state = State::Array { first: false };
        self.records += 1;
        let record = self.record(self.enclosing.len() + 1)?;
        Ok(Some(record))
    }

    /// One record at the next value. The outer error is fatal, the inner one is not.
    fn record(&mut self, level: usize) -> Result<Result<Record>> {
        let number = self.records;
        match read_record(&mut self.parser, level) {
            Ok(record) => Ok(record.map_err(|e| e.in_record(number))),
            Err(error) => Err(error.in_record(number)),
        }
    }
}

impl<R: BufRead> Iterator for JsonReader<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        loop {
            let result = match self.state {
                State::Done => return None,
                State::Start => self.start().map(|()| None),
                State::Array { first } => match self.element(first) {
                    Ok(None) => {
                        self.state = State::Closing;
                        continue;
                    }
                    other => other,
                },
                State::Single => {
                    self.records += 1;
                    self.state = State::Closing;
                    self.record(self.enclosing.len()).map(Some)
                }
                State::Closing if self.pointer.tokens.is_empty() => {
                    // Several top-level values one after another (concatenated JSON,
                    // as jq writes and Miller reads) are read in turn.
                    self.state = State::Done;
                    match self
                        .parser
                        .input
                        .skip_ws()
                        .and_then(|()| self.parser.input.peek())
                    {
                        Ok(None) => Ok(None),
                        Ok(Some(b)) if starts_value(b) => self.records_at_value().map(|()| None),
                        Ok(Some(_)) => Err(self
                            .parser
                            .input
                            .unexpected("expected end of input after the top-level value")),
                        Err(error) => Err(error),
                    }
                }
                State::Closing => {
                    self.state = State::Done;
                    self.close().map(|()| None)
                }
            };
            match result {
                Ok(Some(record)) => return Some(record),
                Ok(None) => {}
                Err(error) => {
                    self.state = State::Done;
                    return Some(Err(error));
                }
            }
        }
    }
}

impl<R: BufRead> RecordReader for JsonReader<R> {}

/// Reads JSON Lines (also called NDJSON): one object per line, each a record. Blank
/// lines are skipped. A line break always ends a record, even inside a value.
///
/// After a bad line the reader reports it and goes on with the next line, so
/// `--keep-going` can skip it; only an I/O error ends the reader. A line longer than
/// the record-size limit is an error once that many bytes have been read, and the rest
/// of it is skipped without being kept.
///
/// ```
/// use recast_json::JsonLinesReader;
/// let text = "{\"title\": \"A\"}\n\n{\"title\": oops}\n{\"title\": \"C\"}\n";
/// let results: Vec<_> = JsonLinesReader::new(text.as_bytes(), None).collect();
/// assert_eq!(results.len(), 3);
/// assert!(results[1].as_ref().unwrap_err().to_string().starts_with("<stdin>:3:11"));
/// assert_eq!(results[2].as_ref().unwrap().origin.line, 4);
/// ```
pub struct JsonLinesReader<R> {
    parser: Parser<R>,
    started: bool,
    done: bool,
    records: u64,
    /// A problem with the options (a pointer), the first item read.
    invalid_options: Option<Error>,
}

impl<R: BufRead> JsonLinesReader<R> {
    /// A reader of `reader` with the default options; `source` names it in records'
    /// origins and in errors (`None` = standard input).
    pub fn new(reader: R, source: Option<Arc<Path>>) -> JsonLinesReader<R> {
        JsonLinesReader::with_options(reader, source, JsonReadOptions::default())
    }

    /// A reader with explicit budgets. A [`JsonReadOptions::select`] is refused (the
    /// first item is the error): JSON Lines has no document to point into.
    pub fn with_options(
        reader: R,
        source: Option<Arc<Path>>,
        options: JsonReadOptions,
    ) -> JsonLinesReader<R> {
        let invalid_options = options.select.as_ref().map(|pointer| {
            Error::data(
                Location::new(source.clone(), 0, 0),
                format!(
                    "a JSON pointer ({pointer:?}) picks records inside one JSON document; expected none for JSON Lines"
                ),
            )
        });
        JsonLinesReader {
            parser: Parser::new(reader, source, options.limits(), true),
            started: false,
            done: false,
            records: 0,
            invalid_options,
        }
    }

    /// Skips blank lines; false at the end of the input.
    fn next_line(&mut self) -> Result<bool> {
        let p = &mut self.parser;
        if !self.started {
            self.started = true;
            p.input.skip_bom()?;
        }
        loop {
            p.input.skip_ws()?;
            match p.input.peek()? {
                None => return Ok(false),
                Some(b'\n') => p.input.newline(),
                Some(_) => return Ok(true),
            }
        }
    }

    /// The record on the current line, its line break consumed when it is good.
    fn line(&mut self) -> Result<Record> {
        let p = &mut self.parser;
        let line = p.input.line;
        p.input.pin(RECORD);
        p.begin_record();
        let value = p.value(0)?;
        // Located before the line break is read.
        let misfit = (!matches!(value, Value::Map(_))).then(|| p.input.pin_location(RECORD));
        p.input.skip_ws()?;
        match p.input.peek()? {
            None => {}
            Some(b'\n') => p.input.newline(),
            Some(_) => return Err(p.input.unexpected("expected end of line after the record")),
        }
        p.end_record()?;
        match (value, misfit) {
            (Value::Map(fields), _) => {
                Ok(Record::new(fields, Origin::new(p.input.file.clone(), line)))
            }
            (other, location) => Err(not_an_object(location.unwrap_or_default(), &other)),
        }
    }
}

impl<R: BufRead> Iterator for JsonLinesReader<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        if self.done {
            return None;
        }
        if let Some(error) = self.invalid_options.take() {
            self.done = true;
            return Some(Err(error));
        }
        match self.next_line() {
            Ok(true) => {}
            Ok(false) => {
                self.done = true;
                return None;
            }
            Err(error) => {
                self.done = true;
                return Some(Err(error));
            }
        }
        self.records += 1;
        let line = self.parser.input.line;
        match self.line() {
            Ok(record) => Some(Ok(record)),
            Err(error) => {
                // Resynchronise at the next line, unless the bad record's line break
                // was already read (a record that parsed but does not fit).
                let resync = if self.parser.input.line == line {
                    self.parser.input.skip_line()
                } else {
                    Ok(())
                };
                if error.kind == recast_model::ErrorKind::Io || resync.is_err() {
                    self.done = true;
                }
                Some(Err(error.in_record(self.records)))
            }
        }
    }
}

impl<R: BufRead> RecordReader for JsonLinesReader<R> {}

/// Reads one value as a record: the outer error is fatal (the input cannot be followed
/// any further), the inner one concerns only this record.
fn read_record<R: BufRead>(p: &mut Parser<R>, level: usize) -> Result<Result<Record>> {
    p.input.skip_ws()?;
    let line = p.input.line;
    p.input.pin(RECORD);
    p.begin_record();
    let value = p.value(level)?;
    if let Err(error) = p.end_record() {
        return Ok(Err(error));
    }
    Ok(into_record(p, value, line))
}

/// A record from a value that should be an object.
fn into_record<R: BufRead>(p: &mut Parser<R>, value: Value, line: u64) -> Result<Record> {
    match value {
        Value::Map(fields) => Ok(Record::new(fields, Origin::new(p.input.file.clone(), line))),
        other => Err(not_an_object(p.input.pin_location(RECORD), &other)),
    }
}

fn not_an_object(location: Location, value: &Value) -> Error {
    Error::data(
        location,
        format!(
            "expected an object (a record), found {}",
            json_type_name(value)
        ),
    )
}

fn starts_value(b: u8) -> bool {
    matches!(
        b,
        b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
    )
}

/// The JSON name of the value starting with `b`, for messages.
fn json_type_of(b: u8) -> &'static str {
    match b {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "a number",
    }
}

/// The JSON name of a value's type, for messages (JSON says array, not list).
fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::List(_) => "an array",
        Value::Map(_) => "an object",
    }
}
