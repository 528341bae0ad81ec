//! The byte-level JSON parser both readers are built on.
//!
//! Hand-written rather than serde_json because the readers need three things serde's
//! model does not give cheaply: streaming *inside* the top-level array (one element at
//! a time, skipping unwanted members without building them), the exact line and
//! column of every error, and `Value`s built directly with numbers kept as their text.
//!
//! The parser owns a fixed-size buffer that it refills from the reader; only the bytes
//! of the token in progress are ever kept across a refill (a split UTF-8 character, a
//! `\u` escape), so memory stays flat however long a line or a document is. Nesting is
//! handled with an explicit stack, never recursion, so depth cannot overflow the stack;
//! the depth limit is a budget, not a guard.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use recast_model::{Error, ErrorKind, Map, Number, Result, Value};

use crate::input::{Input, TOKEN};
use crate::plain_run::find_string_stop;

/// The parser's safety budgets, taken from [`JsonReadOptions`](crate::JsonReadOptions)
/// (where each is documented).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) max_depth: usize,
    pub(crate) max_record_bytes: u64,
    pub(crate) max_record_values: u64,
}

/// The message for a place where any JSON value may start.
pub(crate) const EXPECTED_VALUE: &str =
    "expected a value (an object, array, string, number, true, false or null)";

/// An open container while a value is being built.
enum Frame {
    List(Vec<Value>),
    /// The map and the index of the member whose value is being read (inserted as a
    /// placeholder when its key was read, so the duplicate check costs one hash).
    Map(Map, usize),
}

pub(crate) struct Parser<R> {
    /// The bytes, and where they are in the file.
    pub(crate) input: Input<R>,
    pub(crate) limits: Limits,
    /// The first recoverable problem in the value being read (a duplicate key): the
    /// value is still read to its end so the reader can go on with the next record.
    soft_error: Option<Error>,
    /// How many members the last object at each of the first nesting levels had:
    /// records in one file tend to have the same shape, so the next map at that level
    /// starts that big and never rehashes.
    members_hint: [usize; 8],
    /// The keys of the last object at each of the first nesting levels, by position,
    /// when they were read without escapes: records in one file repeat their keys, and
    /// comparing the next key's bytes with the one seen there before costs less than
    /// scanning and validating it again.
    recent_keys: [Vec<String>; KEY_LEVELS],
    /// Values built since the record began, for `max_record_values`.
    values: u64,
}

/// How many nesting levels, members per object and bytes per key `recent_keys` keeps.
const KEY_LEVELS: usize = 8;
const KEYS_PER_LEVEL: usize = 64;
const KEY_BYTES: usize = 64;

impl<R: Read> Parser<R> {
    pub(crate) fn new(reader: R, file: Option<Arc<Path>>, limits: Limits, lines: bool) -> Self {
        Parser::with_input(
            Input::new(reader, file, lines, limits.max_record_bytes, None),
            limits,
        )
    }

    /// A parser whose buffer holds `capacity` bytes (a whole text read at once).
    pub(crate) fn with_capacity(
        reader: R,
        file: Option<Arc<Path>>,
        limits: Limits,
        lines: bool,
        capacity: usize,
    ) -> Self {
        let input = Input::new(reader, file, lines, limits.max_record_bytes, Some(capacity));
        Parser::with_input(input, limits)
    }

    fn with_input(input: Input<R>, limits: Limits) -> Self {
        Parser {
            input,
            limits,
            soft_error: None,
            members_hint: [0; 8],
            recent_keys: Default::default(),
            values: 0,
        }
    }

    // ---- records ----

    /// Starts a record here: the size budget counts from this byte.
    pub(crate) fn begin_record(&mut self) {
        self.input.begin_record();
        self.soft_error = None;
        self.values = 0;
    }

    /// Ends the record: the recoverable error found in it, if any, or the size check
    /// for a record too small to have met a refill.
    pub(crate) fn end_record(&mut self) -> Result<()> {
        let size = self.input.end_record();
        if let Some(error) = self.soft_error.take() {
            return Err(error);
        }
        size
    }

    /// The error for opening a container at nesting `level` (0 = top level), if it is
    /// one level too deep.
    pub(crate) fn open(&self, level: usize) -> Result<()> {
        if level >= self.limits.max_depth {
            return Err(Error::limit(
                self.input.location(),
                format!(
                    "nesting deeper than {} levels (the depth limit); expected flatter data",
                    self.limits.max_depth
                ),
            ));
        }
        Ok(())
    }

    // ---- values ----

    /// Reads one value starting at the next non-space byte, with `level` containers
    /// already open around it.
    pub(crate) fn value(&mut self, level: usize) -> Result<Value> {
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            self.input.skip_ws()?;
            let Some(byte) = self.input.peek()? else {
                return Err(self.input.unexpected(EXPECTED_VALUE));
            };
            self.values += 1;
            if self.values > self.limits.max_record_values {
                return Err(Error::limit(
                    self.input.location(),
                    format!(
                        "record with more than {} values (the value-count limit); expected smaller records",
                        self.limits.max_record_values
                    ),
                ));
            }
            let mut value = match byte {
                b'{' => {
                    self.open(level + stack.len())?;
                    self.input.bump();
                    self.input.skip_ws()?;
                    if self.input.peek()? == Some(b'}') {
                        self.input.bump();
                        Value::Map(Map::default())
                    } else {
                        let hint = self.members_hint.get(stack.len()).copied();
                        let mut map =
                            Map::with_capacity_and_hasher(hint.unwrap_or(0), Default::default());
                        let index =
                            self.member(&mut map, stack.len(), "expected a string key or '}'")?;
                        stack.push(Frame::Map(map, index));
                        continue 'value;
                    }
                }
                b'[' => {
                    self.open(level + stack.len())?;
                    self.input.bump();
                    self.input.skip_ws()?;
                    if self.input.peek()? == Some(b']') {
                        self.input.bump();
                        Value::List(Vec::new())
                    } else {
                        stack.push(Frame::List(Vec::new()));
                        continue 'value;
                    }
                }
                b'"' => {
                    let mut text = String::new();
                    self.string(&mut text, true)?;
                    Value::String(text)
                }
                b'-' | b'0'..=b'9' => Value::Number(self.number()?),
                b't' => {
                    self.literal(b"true")?;
                    Value::Bool(true)
                }
                b'f' => {
                    self.literal(b"false")?;
                    Value::Bool(false)
                }
                b'n' => {
                    self.literal(b"null")?;
                    Value::Null
                }
                _ => return Err(self.input.unexpected(EXPECTED_VALUE)),
            };
            // A value is complete: hand it to the containers it closes, innermost first.
            loop {
                let innermost = stack.len().saturating_sub(1);
                match stack.last_mut() {
                    None => return Ok(value),
                    Some(Frame::List(items)) => {
                        items.push(value);
                        self.input.skip_ws()?;
                        match self.input.peek()? {
                            Some(b',') => {
                                self.input.bump();
                                continue 'value;
                            }
                            Some(b']') => {
                                self.input.bump();
                                let items = std::mem::take(items);
                                stack.pop();
                                value = Value::List(items);
                            }
                            _ => {
                                return Err(self
                                    .input
                                    .unexpected("expected ',' or ']' after an array element"));
                            }
                        }
                    }
                    Some(Frame::Map(map, index)) => {
                        if let Some((_, slot)) = map.get_index_mut(*index) {
                            *slot = value;
                        }
                        self.input.skip_ws()?;
                        match self.input.peek()? {
                            Some(b',') => {
                                self.input.bump();
                                *index =
                                    self.member(map, innermost, "expected a string key after ','")?;
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.input.bump();
                                let map = std::mem::take(map);
                                stack.pop();
                                if let Some(hint) = self.members_hint.get_mut(stack.len()) {
                                    *hint = map.len();
                                }
                                value = Value::Map(map);
                            }
                            _ => {
                                return Err(self
                                    .input
                                    .unexpected("expected ',' or '}' after an object member"));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Reads `"key":` into `map` with a placeholder value and returns its index. A key
    /// seen before is a soft error: the record is rejected, the parse goes on.
    /// `level` is the map's nesting level in the value being read.
    fn member(&mut self, map: &mut Map, level: usize, expected: &str) -> Result<usize> {
        self.input.skip_ws()?;
        if self.input.peek()? != Some(b'"') {
            return Err(self.input.unexpected(expected));
        }
        self.input.pin(TOKEN);
        let position = map.len();
        let key = match self.repeated_key(level, position) {
            Some(key) => key,
            None => {
                let (base, start) = (self.input.base, self.input.pos);
                let mut key = String::new();
                self.string(&mut key, true)?;
                // Its text is its bytes (no escapes, which are always longer than what
                // they stand for, and no refill in between): keep it for the next record.
                if self.input.base == base && self.input.pos - start == key.len() + 2 {
                    self.remember_key(level, position, &key);
                }
                key
            }
        };
        let (index, old) = map.insert_full(key, Value::Null);
        if old.is_some() && self.soft_error.is_none() {
            // Located now, before a line break can come between the key and its colon.
            let location = self.input.pin_location(TOKEN);
            let key = map.get_index(index).map_or("", |(k, _)| k.as_str());
            self.soft_error = Some(Error::data(
                location,
                format!("duplicate key {key:?} in an object; expected unique keys"),
            ));
        }
        self.colon()?;
        Ok(index)
    }

    /// The key whose opening quote is at `pos`, consumed, when its bytes are those of
    /// the key last read at this level and position followed by the closing quote.
    fn repeated_key(&mut self, level: usize, position: usize) -> Option<String> {
        let known = self.recent_keys.get(level)?.get(position)?;
        let from = self.input.pos + 1;
        let to = from + known.len();
        if to < self.input.end
            && self.input.buf[from..to] == *known.as_bytes()
            && self.input.buf[to] == b'"'
        {
            let key = known.clone();
            self.input.pos = to + 1;
            return Some(key);
        }
        None
    }

    fn remember_key(&mut self, level: usize, position: usize, key: &str) {
        let Some(keys) = self.recent_keys.get_mut(level) else {
            return;
        };
        if position >= KEYS_PER_LEVEL || key.len() > KEY_BYTES {
            return;
        }
        if let Some(known) = keys.get_mut(position) {
            known.clear();
            known.push_str(key);
        } else if keys.len() == position {
            keys.push(key.to_owned());
        }
    }

    /// Reads `"key":` (after optional whitespace) into `out`.
    pub(crate) fn key(&mut self, out: &mut String, expected: &str) -> Result<()> {
        self.key_string(out, true, expected)?;
        self.colon()
    }

    /// Checks `"key":` without keeping the key (members that are skipped).
    pub(crate) fn skip_key(&mut self, expected: &str) -> Result<()> {
        self.key_string(&mut String::new(), false, expected)?;
        self.colon()
    }

    fn key_string(&mut self, out: &mut String, keep: bool, expected: &str) -> Result<()> {
        self.input.skip_ws()?;
        if self.input.peek()? != Some(b'"') {
            return Err(self.input.unexpected(expected));
        }
        self.input.pin(TOKEN);
        self.string(out, keep)
    }

    fn colon(&mut self) -> Result<()> {
        self.input.skip_ws()?;
        if self.input.peek()? != Some(b':') {
            return Err(self.input.unexpected("expected ':' after an object key"));
        }
        self.input.bump();
        Ok(())
    }

    /// Reads a string whose opening quote is at `pos`, appending its text to `out`
    /// when `keep` (else only checking it).
    fn string(&mut self, out: &mut String, keep: bool) -> Result<()> {
        self.input.bump();
        loop {
            let start = self.input.pos;
            let stop = find_string_stop(&self.input.buf[start..self.input.end]).map(|i| start + i);
            let run_end = stop.unwrap_or(self.input.end);
            match std::str::from_utf8(&self.input.buf[start..run_end]) {
                Ok(text) => {
                    if keep {
                        out.push_str(text);
                    }
                    self.input.pos = run_end;
                }
                // A character split by the buffer's end: keep its first bytes for the
                // refill to complete.
                Err(e) if stop.is_none() && e.error_len().is_none() => {
                    let valid = start + e.valid_up_to();
                    if keep {
                        out.push_str(
                            std::str::from_utf8(&self.input.buf[start..valid])
                                .expect("from_utf8 checked this prefix"),
                        );
                    }
                    self.input.pos = valid;
                    if self.input.refill()? == 0 {
                        return Err(self.input.invalid_utf8(self.input.pos));
                    }
                    continue;
                }
                Err(e) => return Err(self.input.invalid_utf8(start + e.valid_up_to())),
            }
            let Some(stop) = stop else {
                // One string may not outgrow a record, wherever it is (a key passed
                // over on the way to a selected array is not inside any record).
                if keep && out.len() as u64 > self.limits.max_record_bytes {
                    return Err(self.input.too_large());
                }
                if self.input.refill()? == 0 {
                    return Err(self
                        .input
                        .unexpected("expected '\"' to close the string or more of its text"));
                }
                continue;
            };
            match self.input.buf[stop] {
                b'"' => {
                    self.input.pos = stop + 1;
                    return Ok(());
                }
                b'\\' => self.escape(out, keep)?,
                b'\n' => {
                    return Err(Error::syntax(
                        self.input.location(),
                        "line break inside a string; expected '\"' to close it, or \\n for a line break in the text",
                    ));
                }
                control => {
                    return Err(Error::syntax(
                        self.input.location(),
                        format!(
                            "control character U+{control:04X} inside a string; expected it escaped as \\u{control:04x}"
                        ),
                    ));
                }
            }
        }
    }

    /// Reads an escape sequence whose backslash is at `pos`. On an error nothing past
    /// the bad byte is consumed, so JSON Lines can resynchronise at the line's end.
    fn escape(&mut self, out: &mut String, keep: bool) -> Result<()> {
        if !self.input.fill_to(2)? {
            self.input.bump();
            return Err(self
                .input
                .unexpected("expected an escape character after '\\'"));
        }
        let c = match self.input.buf[self.input.pos + 1] {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4(2)?;
                if (0xDC00..0xE000).contains(&high) {
                    return Err(self.lone_surrogate(high));
                }
                if (0xD800..0xDC00).contains(&high) {
                    let paired = self.input.fill_to(12)?
                        && self.input.buf[self.input.pos + 6] == b'\\'
                        && self.input.buf[self.input.pos + 7] == b'u';
                    if !paired {
                        return Err(self.lone_surrogate(high));
                    }
                    let low = self.hex4(8)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.lone_surrogate(high));
                    }
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    self.input.pos += 12;
                    if keep {
                        out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                    }
                    return Ok(());
                }
                self.input.pos += 6;
                if keep {
                    // Surrogates were handled above, so every other code is a char.
                    out.push(char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
                return Ok(());
            }
            _ => {
                self.input.bump();
                return Err(self.input.unexpected(
                    "expected an escape character after '\\' (one of \" \\ / b f n r t u)",
                ));
            }
        };
        self.input.pos += 2;
        if keep {
            out.push(c);
        }
        Ok(())
    }

    /// The four hex digits at `pos + offset`.
    fn hex4(&mut self, offset: usize) -> Result<u32> {
        let have = self.input.fill_to(offset + 4)?;
        let available = if have {
            4
        } else {
            self.input.end - self.input.pos - offset
        };
        let mut code = 0;
        for i in 0..available {
            let b = self.input.buf[self.input.pos + offset + i];
            match (b as char).to_digit(16) {
                Some(d) => code = code * 16 + d,
                None => {
                    self.input.pos += offset + i;
                    return Err(self
                        .input
                        .unexpected("expected four hex digits after '\\u'"));
                }
            }
        }
        if !have {
            self.input.pos = self.input.end;
            return Err(self
                .input
                .unexpected("expected four hex digits after '\\u'"));
        }
        Ok(code)
    }

    fn lone_surrogate(&self, code: u32) -> Error {
        Error::new(
            ErrorKind::Encoding,
            self.input.location(),
            format!(
                "lone surrogate \\u{code:04X} in a string; expected a high surrogate (\\uD800-\\uDBFF) followed by a low one (\\uDC00-\\uDFFF)"
            ),
        )
    }

    /// Reads a number starting at `pos`, keeping its text. The run taken is every byte
    /// that could belong to a number or a word, so `01`, `1.` and `-Infinity` are
    /// reported whole as invalid numbers.
    fn number(&mut self) -> Result<Number> {
        self.input.pin(TOKEN);
        let start = self.input.pos;
        let run = self.input.buf[start..self.input.end]
            .iter()
            .position(|&b| !is_number_byte(b));
        if let Some(len) = run {
            // The common case: the whole number is in the buffer.
            let number = parse_number(&self.input.buf[start..start + len]);
            return match number {
                Some(number) => {
                    self.input.pos = start + len;
                    Ok(number)
                }
                None => {
                    let text = self.input.buf[start..start + len].to_vec();
                    Err(self.invalid_number(&text))
                }
            };
        }
        let mut text = Vec::new();
        loop {
            let len = self.input.buf[self.input.pos..self.input.end]
                .iter()
                .position(|&b| !is_number_byte(b));
            let run_end = len.map_or(self.input.end, |len| self.input.pos + len);
            text.extend_from_slice(&self.input.buf[self.input.pos..run_end]);
            self.input.pos = run_end;
            if text.len() as u64 > self.limits.max_record_bytes {
                return Err(self.input.too_large());
            }
            if len.is_some() || self.input.refill()? == 0 {
                break;
            }
        }
        match parse_number(&text) {
            Some(number) => Ok(number),
            None => Err(self.invalid_number(&text)),
        }
    }

    fn invalid_number(&mut self, text: &[u8]) -> Error {
        let shown: String = String::from_utf8_lossy(text).chars().take(40).collect();
        Error::syntax(
            self.input.pin_location(TOKEN),
            format!(
                "invalid number '{shown}'; expected a JSON number such as -12, 3.5 or 1e-7 (no leading zeros, Infinity or NaN)"
            ),
        )
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        if self.input.fill_to(word.len())?
            && self.input.buf[self.input.pos..self.input.pos + word.len()] == *word
        {
            self.input.pos += word.len();
            Ok(())
        } else {
            Err(self.input.unexpected(EXPECTED_VALUE))
        }
    }

    /// Checks one value without building it (members a JSON pointer passes over).
    pub(crate) fn skip_value(&mut self, level: usize) -> Result<()> {
        // The closing bracket of each open container.
        let mut closers: Vec<u8> = Vec::new();
        let mut scratch = String::new();
        'value: loop {
            self.input.skip_ws()?;
            match self.input.peek()? {
                Some(open @ (b'{' | b'[')) => {
                    self.open(level + closers.len())?;
                    self.input.bump();
                    self.input.skip_ws()?;
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.input.peek()? == Some(close) {
                        self.input.bump();
                    } else {
                        if open == b'{' {
                            self.skip_key("expected a string key or '}'")?;
                        }
                        closers.push(close);
                        continue 'value;
                    }
                }
                Some(b'"') => self.string(&mut scratch, false)?,
                Some(b'-' | b'0'..=b'9') => {
                    self.number()?;
                }
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                _ => return Err(self.input.unexpected(EXPECTED_VALUE)),
            }
            while let Some(&close) = closers.last() {
                self.input.skip_ws()?;
                match self.input.peek()? {
                    Some(b',') => {
                        self.input.bump();
                        if close == b'}' {
                            self.skip_key("expected a string key after ','")?;
                        }
                        continue 'value;
                    }
                    Some(b) if b == close => {
                        self.input.bump();
                        closers.pop();
                    }
                    _ => return Err(self.input.unexpected(after_member(close))),
                }
            }
            return Ok(());
        }
    }
}

/// What may follow a member of the container that `close` ends.
pub(crate) fn after_member(close: u8) -> &'static str {
    if close == b']' {
        "expected ',' or ']' after an array element"
    } else {
        "expected ',' or '}' after an object member"
    }
}

fn is_number_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.' | b'_')
}

fn parse_number(text: &[u8]) -> Option<Number> {
    std::str::from_utf8(text).ok().and_then(Number::parse)
}
