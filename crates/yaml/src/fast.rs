//! A fast reader for the plain block YAML that archives are made of, tried before the
//! full YAML parser.
//!
//! Front matter is almost always the same few shapes: `key: value` lines, nested
//! mappings and `- ` lists by indentation, plain, single- and double-quoted scalars on
//! one line, `[]` and `{}`. Reading exactly that subset line by line, straight into
//! values, costs a fraction of a general YAML parser's event stream (which was two
//! thirds of the time of a Markdown → JSON conversion).
//!
//! The rule that keeps this safe: **the fast reader either gives exactly what the full
//! parser would, or gives up.** It gives up (returns `None`) on anything outside the
//! subset (anchors, aliases, merge keys, tags, flow collections other than `[]`/`{}`, block
//! scalars, multi-line scalars, directives, tabs, CR, control characters, explicit keys,
//! quoted keys, deep nesting) and on anything that might be an error (duplicate keys,
//! odd indentation, `key: a: b`), so every error message, position and budget still
//! comes from the full parser. The crate's differential tests hold the two readers to
//! the same values and positions on generated documents.

use std::borrow::Cow;

use recast_model::{BODY, Map, Value, strict_eq};

use crate::document::{Document, YamlReadOptions};
use crate::scalar::{plain_is_string, resolve_plain};

/// Deepest nesting the fast reader takes on (it recurses once a level); deeper
/// documents, rare in archives, go to the full parser, which has no recursion.
const MAX_FAST_DEPTH: usize = 32;

/// Fields a record's root mapping has room for before it grows (archives have 10 to 20).
const ROOT_FIELDS: usize = 16;

/// Fields a nested mapping has room for before it grows.
const NESTED_FIELDS: usize = 4;

/// Longest implicit key YAML allows (1024 characters); the fast reader leaves longer
/// ones, which are errors, to the full parser.
const MAX_KEY_BYTES: usize = 1024;

/// Reads `text` if it is plain block YAML of one document, as [`crate::read`]'s full
/// parser would; `None` when the full parser must decide.
pub(crate) fn parse(
    text: &str,
    first_line: u64,
    options: &YamlReadOptions,
) -> Option<Vec<Document>> {
    let (documents, _) = read(text, first_line, options, true, Expect::Build).ok()?;
    Some(documents)
}

/// [`parse`], and the root mapping's keys when [`root_keys`] would give them (a block
/// mapping at column 0, without a leading `---` line): a Markdown read hands them to
/// the minimal-diff rewriter, whose cut then needs no second reading.
pub(crate) fn parse_keyed<'a>(
    text: &'a str,
    first_line: u64,
    options: &YamlReadOptions,
) -> Option<(Vec<Document>, Option<Vec<RootKey<'a>>>)> {
    let (documents, keys) = read(text, first_line, options, true, Expect::Build).ok()?;
    let cut_at_keys = match (documents.first(), keys.first()) {
        (
            Some(Document {
                value: Value::Map(_),
                column: 1,
                ..
            }),
            Some(first),
        ) => only_blank_and_comment_lines(&text[..first.offset]),
        _ => false,
    };
    Some((documents, cut_at_keys.then_some(keys)))
}

/// A top-level key of a front matter the fast reader reads, and the lines its entry
/// spans: what the minimal-diff rewriter cuts a front matter at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RootKey<'a> {
    /// The key as written: a plain key is its own text.
    pub(crate) key: &'a str,
    /// 1-based line of the key.
    pub(crate) line: u64,
    /// Byte offset of the key's line (the key is at column 0).
    pub(crate) offset: usize,
    /// 1-based line of the entry's last line with content (not blank, not only a
    /// comment): the key's own line for a one-line value. Every such line ends in a
    /// scalar or `[]`/`{}`, so what follows it can only be blank lines and comments.
    pub(crate) last_line: u64,
}

/// The top-level keys of `text`, when it is a block mapping at column 0 the fast reader
/// reads (the same texts as [`parse`], less root lists, an indented root and a leading
/// `---` line); `None` when the full parser must decide. The differential tests hold
/// the rewriter's cut from these keys to the cut it makes from the full parser's events.
pub(crate) fn root_keys(text: &str) -> Option<Vec<RootKey<'_>>> {
    let (documents, keys) =
        read(text, 1, &YamlReadOptions::default(), false, Expect::Build).ok()?;
    match documents.first() {
        None => Some(keys),
        Some(Document {
            value: Value::Map(_),
            column: 1,
            ..
        }) => Some(keys),
        Some(_) => None,
    }
}

/// How the fast reader reads a text it is given with the entries it should read as.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Reading<'a> {
    /// Exactly as those entries (values strict-equal, keys in order): its root keys.
    As(Vec<RootKey<'a>>),
    /// As something else, or maybe not at all: [`root_keys`] decides.
    Differs,
    /// Not at all: the full parser must decide.
    GivesUp,
}

/// Whether the fast reader reads `text` as a block mapping of exactly the `expected`
/// entries, in order (no leading `---` line), found while reading it, without building
/// its values: what [`root_keys`] would give when the fields it reads are strict-equal
/// to `expected`.
pub(crate) fn reads_as<'a>(text: &'a str, expected: &[(&str, &Value)]) -> Reading<'a> {
    let options = YamlReadOptions::default();
    match read(text, 1, &options, false, Expect::Entries(expected)) {
        Ok((documents, keys)) if !documents.is_empty() || expected.is_empty() => Reading::As(keys),
        Ok(_) | Err(Stop::Differs) => Reading::Differs,
        Err(Stop::GivesUp) => Reading::GivesUp,
    }
}

/// Whether the fast reader reads `text` alone as a block mapping of exactly these
/// fields, in this order (no leading `---` line): for the rewriter, which checks each
/// entry it writes on its own (see `rewrite.rs`).
pub(crate) fn reads_as_fields(text: &str, fields: &[(&str, &Value)]) -> bool {
    matches!(reads_as(text, fields), Reading::As(_))
}

/// Whether every line of `text` is one the fast reader skips: blank (spaces only) or a
/// comment, in characters it takes.
pub(crate) fn only_blank_and_comment_lines(text: &str) -> bool {
    only_plain_characters(text)
        && text.split('\n').all(|line| {
            let content = line.trim_start_matches(' ');
            content.is_empty() || content.starts_with('#')
        })
}

/// Why the fast reader stopped before the end of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The full parser must decide.
    GivesUp,
    /// The text reads as something other than what was expected.
    Differs,
}

/// What the reader does with the values it reads: build them, or compare them with
/// the values expected, node for node, building nothing (then each node it returns is
/// a placeholder `Value::Null`). The walk, its budget and its reasons to give up are
/// the same either way. The walk's functions take a `CHECK` parameter too, false when
/// building: the compiler then drops every comparison from the build, which reads each
/// Markdown file and must not pay for the check.
#[derive(Clone, Copy)]
enum Expect<'e> {
    Build,
    /// The node read must be strict-equal to this value.
    Value(&'e Value),
    /// The root node must be a mapping of these entries, in this order (keys unique).
    Entries(&'e [(&'e str, &'e Value)]),
}

/// The entries a mapping is expected to have, in order.
#[derive(Clone, Copy)]
enum ExpectedEntries<'e> {
    Map(&'e Map),
    Slice(&'e [(&'e str, &'e Value)]),
}

impl<'e> ExpectedEntries<'e> {
    fn len(self) -> usize {
        match self {
            ExpectedEntries::Map(map) => map.len(),
            ExpectedEntries::Slice(entries) => entries.len(),
        }
    }

    fn get(self, at: usize) -> Option<(&'e str, &'e Value)> {
        match self {
            ExpectedEntries::Map(map) => map.get_index(at).map(|(k, v)| (k.as_str(), v)),
            ExpectedEntries::Slice(entries) => entries.get(at).copied(),
        }
    }
}

/// [`parse`], with the root mapping's keys; `marker`: whether a `---` line may open
/// the text; `expect`: build the values or compare them (then the root mapping must be
/// at column 0, as [`root_keys`] requires).
fn read<'a>(
    text: &'a str,
    first_line: u64,
    options: &YamlReadOptions,
    marker: bool,
    expect: Expect<'_>,
) -> Result<(Vec<Document>, Vec<RootKey<'a>>), Stop> {
    if !only_plain_characters(text) {
        return Err(Stop::GivesUp);
    }
    let mut reader = FastReader {
        text,
        pos: 0,
        line: 1,
        nodes: 0,
        max_nodes: options.max_nodes,
        max_depth: options.max_depth.min(MAX_FAST_DEPTH),
        body_key: None,
        items: Vec::new(),
        root_keys: Vec::new(),
        peeked: None,
        differs: false,
    };
    let first = match reader.peek() {
        // A document marker alone may open the text (documents cut from a stream).
        Some(line) if line.indent == 0 && line.rest.starts_with("---") => {
            if !marker || !rest_is_blank(&line.rest[3..]) {
                return Err(Stop::GivesUp);
            }
            reader.advance(&line);
            reader.peek()
        }
        other => other,
    };
    let Some(first) = first else {
        return Ok((Vec::new(), Vec::new()));
    };
    if first.indent != 0 && !matches!(expect, Expect::Build) {
        return Err(Stop::GivesUp); // An indented root: not one the rewriter cuts.
    }
    let value = match expect {
        Expect::Build => reader.node::<false>(&first, 1, true, expect),
        Expect::Value(_) | Expect::Entries(_) => reader.node::<true>(&first, 1, true, expect),
    };
    let value = value.ok_or(match reader.differs {
        true => Stop::Differs,
        false => Stop::GivesUp,
    })?;
    if reader.peek().is_some() {
        return Err(Stop::GivesUp);
    }
    let shift = first_line.saturating_sub(1);
    let document = Document {
        value,
        line: first.number + shift,
        column: first.indent as u64 + 1,
        body_key: reader.body_key.map(|(l, c)| (l + shift, c)),
        items: reader.items.iter().map(|&(l, c)| (l + shift, c)).collect(),
    };
    Ok((vec![document], reader.root_keys))
}

/// False when `text` has a character the fast reader leaves to the full parser: tabs and
/// carriage returns (indentation and line-break rules), and everything YAML does not
/// allow in a document or treats specially (C0 and C1 controls, DEL, a byte order mark,
/// U+FFFE, U+FFFF).
fn only_plain_characters(text: &str) -> bool {
    let bytes = text.as_bytes();
    // A branch-free pass the compiler vectorizes finds the rare suspicious bytes; only
    // texts that have one are looked at closely.
    let suspicious = |b: u8| (b < 0x20 && b != b'\n') | (b == 0x7F) | (b == 0xC2) | (b == 0xEF);
    if !bytes.iter().fold(false, |seen, &b| seen | suspicious(b)) {
        return true;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 {
            if b != b'\n' {
                return false;
            }
        } else if b == 0x7F {
            return false;
        } else if b == 0xC2 {
            // U+0080..U+009F, the C1 controls.
            if bytes
                .get(i + 1)
                .is_some_and(|&c| (0x80..=0x9F).contains(&c))
            {
                return false;
            }
        } else if b == 0xEF {
            // U+FEFF (EF BB BF), U+FFFE (EF BF BE), U+FFFF (EF BF BF).
            match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF)) => return false,
                _ => {}
            }
        }
        i += 1;
    }
    true
}

/// A line with content (not blank, not only a comment).
#[derive(Clone, Copy)]
struct Line<'a> {
    /// 1-based line number within the text.
    number: u64,
    /// Byte offset of the line.
    start: usize,
    /// Leading spaces.
    indent: usize,
    /// The line after its indentation, without the line break.
    rest: &'a str,
    /// Byte offset of the next line.
    next: usize,
    /// Line number of the next line.
    next_number: u64,
}

struct FastReader<'a> {
    text: &'a str,
    pos: usize,
    line: u64,
    nodes: usize,
    max_nodes: usize,
    max_depth: usize,
    body_key: Option<(u64, u64)>,
    items: Vec<(u64, u64)>,
    /// The root mapping's keys, in order.
    root_keys: Vec<RootKey<'a>>,
    /// What [`FastReader::peek`] found at `pos`, so each line is scanned once.
    peeked: Option<Option<Line<'a>>>,
    /// Whether the reader stopped because a node differs from the one expected.
    differs: bool,
}

impl<'a> FastReader<'a> {
    /// The next line with content, without consuming it.
    fn peek(&mut self) -> Option<Line<'a>> {
        if let Some(line) = self.peeked {
            return line;
        }
        let line = self.find_line();
        self.peeked = Some(line);
        line
    }

    fn find_line(&self) -> Option<Line<'a>> {
        let mut pos = self.pos;
        let mut number = self.line;
        while pos < self.text.len() {
            let rest_of_text = &self.text[pos..];
            let end = memchr::memchr(b'\n', rest_of_text.as_bytes()).unwrap_or(rest_of_text.len());
            let raw = &rest_of_text[..end];
            let next = pos + (end + 1).min(rest_of_text.len());
            let content = raw.trim_start_matches(' ');
            if !content.is_empty() && !content.starts_with('#') {
                return Some(Line {
                    number,
                    start: pos,
                    indent: raw.len() - content.len(),
                    rest: content,
                    next,
                    next_number: number + 1,
                });
            }
            pos = next;
            number += 1;
        }
        None
    }

    fn advance(&mut self, line: &Line<'a>) {
        self.pos = line.next;
        self.line = line.next_number;
        self.peeked = None;
    }

    /// Counts one node against the document's budget; past it, the full parser reports.
    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.max_nodes).then_some(())
    }

    /// Stops the reading: the text reads as something other than what was expected.
    fn differs(&mut self) -> Option<Value> {
        self.differs = true;
        None
    }

    /// The value read, built or compared with the one expected.
    #[inline]
    fn leaf<const CHECK: bool>(
        &mut self,
        written: Written<'_>,
        expect: Expect<'_>,
    ) -> Option<Value> {
        match expect {
            _ if !CHECK => written.value(),
            Expect::Build => written.value(),
            Expect::Value(expected) if written.reads_as(expected)? => Some(Value::Null),
            Expect::Value(_) | Expect::Entries(_) => self.differs(),
        }
    }

    /// A block collection whose first line is `line` (not yet consumed), at `depth`.
    fn node<const CHECK: bool>(
        &mut self,
        line: &Line<'a>,
        depth: usize,
        root: bool,
        expect: Expect<'_>,
    ) -> Option<Value> {
        if is_document_line(line) {
            return None;
        }
        if is_item(line.rest) {
            self.list::<CHECK>(line.indent, depth, root, expect)
        } else {
            self.map::<CHECK>(line.indent, None, depth, root, expect)
        }
    }

    /// A block list whose `- ` items are at column `indent`.
    fn list<const CHECK: bool>(
        &mut self,
        indent: usize,
        depth: usize,
        root: bool,
        expect: Expect<'_>,
    ) -> Option<Value> {
        if depth > self.max_depth {
            return None;
        }
        self.count()?;
        let expected = match expect {
            _ if !CHECK => None,
            Expect::Build => None,
            Expect::Value(Value::List(items)) => Some(items.as_slice()),
            Expect::Value(_) | Expect::Entries(_) => return self.differs(),
        };
        // Built only when building (`Vec::new` allocates nothing).
        let mut items = Vec::new();
        let mut read = 0;
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_item(line.rest)) {
                break;
            }
            if line.indent > indent || is_document_line(&line) {
                return None;
            }
            self.advance(&line);
            let item_expect = match expected {
                None => Expect::Build,
                Some(expected) => match expected.get(read) {
                    Some(item) => Expect::Value(item),
                    None => return self.differs(),
                },
            };
            read += 1;
            let after_dash = &line.rest[1..];
            let content = after_dash.trim_start_matches(' ');
            let column = indent + 1 + (after_dash.len() - content.len());
            if content.is_empty() || content.starts_with('#') {
                // The item's node is on the lines below, indented further.
                let next = self.peek().filter(|next| next.indent > indent)?;
                if root {
                    self.items.push((next.number, next.indent as u64 + 1));
                }
                let item = self.node::<CHECK>(&next, depth + 1, false, item_expect)?;
                if expected.is_none() {
                    items.push(item);
                }
            } else if is_item(content) {
                return None; // `- - x`: a list in a list on one line.
            } else if let Some(entry) = split_entry(content) {
                // `- key: value`: a mapping whose keys line up after the dash.
                if root {
                    self.items.push((line.number, column as u64 + 1));
                }
                let first = (entry, line.number);
                let item = self.map::<CHECK>(column, Some(first), depth + 1, false, item_expect)?;
                if expected.is_none() {
                    items.push(item);
                }
            } else {
                if root {
                    return None; // A record that is not a mapping: the full parser says so.
                }
                self.count()?;
                let item = self.leaf::<CHECK>(Written::scalar(content)?, item_expect)?;
                if expected.is_none() {
                    items.push(item);
                }
                self.no_continuation(indent)?;
            }
        }
        match expected {
            None => Some(Value::List(items)),
            Some(expected) if expected.len() == read => Some(Value::Null),
            Some(_) => self.differs(),
        }
    }

    /// A block mapping with keys at column `indent`; `first` is an entry already cut
    /// from the line that opened it (`- key: value`).
    fn map<const CHECK: bool>(
        &mut self,
        indent: usize,
        first: Option<((&'a str, &'a str), u64)>,
        depth: usize,
        root: bool,
        expect: Expect<'_>,
    ) -> Option<Value> {
        if depth > self.max_depth {
            return None;
        }
        self.count()?;
        let expected = match expect {
            _ if !CHECK => None,
            Expect::Build => None,
            Expect::Value(Value::Map(map)) => Some(ExpectedEntries::Map(map)),
            Expect::Entries(entries) => Some(ExpectedEntries::Slice(entries)),
            Expect::Value(_) => return self.differs(),
        };
        // Room for a typical record (or nested map) up front: growing a map one
        // doubling at a time rehashes it each time. Filled only when building (a map
        // without room allocates nothing).
        let capacity = match (expected, root) {
            (Some(_), _) => 0,
            (None, true) => ROOT_FIELDS,
            (None, false) => NESTED_FIELDS,
        };
        let mut map = Map::with_capacity_and_hasher(capacity, Default::default());
        let mut read = 0;
        let mut pending = first;
        loop {
            // The line's offset matters for root keys only, which are never `pending`.
            let ((key, value_text), number, offset) = match pending.take() {
                Some((entry, number)) => (entry, number, 0),
                None => {
                    let Some(line) = self.peek() else { break };
                    if line.indent < indent {
                        break;
                    }
                    if line.indent > indent || is_document_line(&line) {
                        return None;
                    }
                    self.advance(&line);
                    (split_entry(line.rest)?, line.number, line.start)
                }
            };
            let value_expect = match expected {
                // A duplicate key: the full parser reports it.
                None if map.contains_key(key) => return None,
                None => Expect::Build,
                // The expected keys are unique: a key read again differs from the
                // expected one in its place.
                Some(expected) => match expected.get(read) {
                    Some((expected_key, value)) if expected_key == key => Expect::Value(value),
                    _ => return self.differs(),
                },
            };
            read += 1;
            self.count()?;
            if root && key == BODY {
                self.body_key = Some((number, indent as u64 + 1));
            }
            let value = if value_text.is_empty() || value_text.starts_with('#') {
                match self.peek() {
                    Some(next) if next.indent > indent => {
                        self.node::<CHECK>(&next, depth + 1, false, value_expect)?
                    }
                    // YAML lets a list under a key start in the key's own column.
                    Some(next) if next.indent == indent && is_item(next.rest) => {
                        self.list::<CHECK>(indent, depth + 1, false, value_expect)?
                    }
                    _ => {
                        self.count()?;
                        self.leaf::<CHECK>(Written::Plain(""), value_expect)?
                    }
                }
            } else {
                self.count()?;
                let value = self.leaf::<CHECK>(Written::scalar(value_text)?, value_expect)?;
                self.no_continuation(indent)?;
                value
            };
            if root {
                self.root_keys.push(RootKey {
                    key,
                    line: number,
                    offset,
                    // The value's last line was consumed; nothing after it yet.
                    last_line: self.line - 1,
                });
            }
            if expected.is_none() {
                map.insert(key.to_owned(), value);
            }
        }
        match expected {
            None => Some(Value::Map(map)),
            Some(expected) if expected.len() == read => Some(Value::Null),
            Some(_) => self.differs(),
        }
    }

    /// After a scalar in a block at `indent`, a line indented further would continue it
    /// (a multi-line scalar) or be an error: either way, the full parser's business.
    fn no_continuation(&mut self, indent: usize) -> Option<()> {
        match self.peek() {
            Some(next) if next.indent > indent => None,
            _ => Some(()),
        }
    }
}

/// `- item` or a lone `-`: a block list entry.
fn is_item(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ")
}

/// A line at column 0 that starts with three dashes or dots, or `%`: a marker or a
/// directive, or text the full parser must judge.
fn is_document_line(line: &Line<'_>) -> bool {
    line.indent == 0
        && (line.rest.starts_with("---")
            || line.rest.starts_with("...")
            || line.rest.starts_with('%'))
}

/// Only spaces, then maybe a comment.
fn rest_is_blank(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// Characters that cannot start a plain scalar, or that start something the fast reader
/// leaves alone (YAML's indicators).
fn starts_with_indicator(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        )
    )
}

/// Cuts `key: value` into its plain key and the text after `: ` (or `""` for `key:`).
fn split_entry(rest: &str) -> Option<(&str, &str)> {
    if starts_with_indicator(rest) {
        return None;
    }
    let bytes = rest.as_bytes();
    let colon = memchr::memchr_iter(b':', bytes)
        .find(|&i| bytes.get(i + 1).is_none_or(|&next| next == b' '))?;
    let key = &rest[..colon];
    // A merge key (`<<`) is the full parser's to resolve.
    if key.len() > MAX_KEY_BYTES
        || key.ends_with(' ')
        || comment_start(key).is_some()
        || key == "<<"
    {
        return None;
    }
    let value = rest[colon + 1..].trim_start_matches(' ');
    Some((key, value))
}

/// A scalar on one line as written, before it is a value: the syntax, apart from
/// building the value or comparing it with an expected one.
#[derive(Clone, Copy)]
enum Written<'t> {
    /// `"…"`: the text between the quotes, escapes not yet decoded; `escaped`: whether
    /// it has any (else it is the value as is).
    DoubleQuoted {
        text: &'t str,
        escaped: bool,
    },
    /// `'…'`: the text between the quotes, `''` not yet a quote; `escaped`: whether it
    /// has any `''` (else it is the value as is).
    SingleQuoted {
        text: &'t str,
        escaped: bool,
    },
    EmptyList,
    EmptyMap,
    /// Plain: the text less a comment and trailing spaces.
    Plain(&'t str),
}

impl<'t> Written<'t> {
    /// One scalar on one line: quoted, `[]`, `{}` or plain, with an optional comment
    /// after; `None` when the full parser must read it.
    #[inline]
    fn scalar(text: &'t str) -> Option<Written<'t>> {
        // A quoted scalar ends at its closing quote (`end` in the text after the opening
        // one): what follows must be blanks or a comment.
        match text.as_bytes()[0] {
            b'"' => {
                let (end, escaped) = double_quoted_end(&text[1..])?;
                let text = (rest_is_blank(&text[end + 2..])).then_some(&text[1..end + 1])?;
                Some(Written::DoubleQuoted { text, escaped })
            }
            b'\'' => {
                let (end, escaped) = single_quoted_end(&text[1..])?;
                let text = (rest_is_blank(&text[end + 2..])).then_some(&text[1..end + 1])?;
                Some(Written::SingleQuoted { text, escaped })
            }
            b'[' if text.starts_with("[]") && rest_is_blank(&text[2..]) => Some(Written::EmptyList),
            b'{' if text.starts_with("{}") && rest_is_blank(&text[2..]) => Some(Written::EmptyMap),
            // `-1` is a plain scalar; `- x` after a key is an error.
            b'-' if text.len() > 1 && text.as_bytes()[1] != b' ' => plain(text),
            _ if starts_with_indicator(text) => None,
            _ => plain(text),
        }
    }

    /// The value; `None` when a double-quoted text has an escape the fast reader does
    /// not take.
    // Inlined into the walk: a call per scalar showed in the Markdown reader's counts.
    #[inline(always)]
    fn value(self) -> Option<Value> {
        Some(match self {
            Written::DoubleQuoted { text, escaped } if escaped => Value::String(unescape(text)?),
            Written::SingleQuoted { text, escaped } if escaped => {
                Value::String(text.replace("''", "'"))
            }
            Written::DoubleQuoted { text, .. } | Written::SingleQuoted { text, .. } => {
                Value::String(text.to_owned())
            }
            Written::EmptyList => Value::List(Vec::new()),
            Written::EmptyMap => Value::Map(Map::default()),
            Written::Plain(text) => resolve_plain(Cow::Borrowed(text)),
        })
    }

    /// Whether [`Written::value`] is strict-equal to `expected`, found without building
    /// it in the common cases; `None` where `value` is.
    fn reads_as(self, expected: &Value) -> Option<bool> {
        Some(match (self, expected) {
            (
                Written::DoubleQuoted {
                    text,
                    escaped: false,
                }
                | Written::SingleQuoted {
                    text,
                    escaped: false,
                },
                Value::String(s),
            ) => text == s,
            (Written::Plain(text), Value::String(s)) => text == s && plain_is_string(text),
            (Written::EmptyList, Value::List(items)) => items.is_empty(),
            (Written::EmptyMap, Value::Map(map)) => map.is_empty(),
            // Escapes, `''`, other scalars and other types: build, then compare.
            (written, expected) => strict_eq(&written.value()?, expected),
        })
    }
}

/// A plain scalar to the end of the line or a ` #` comment.
fn plain(text: &str) -> Option<Written<'_>> {
    let end = comment_start(text).unwrap_or(text.len());
    let plain = text[..end].trim_end_matches(' ');
    // `a: b: c` and `a: b:` are nested mappings on one line: errors for the full parser.
    let bytes = plain.as_bytes();
    if memchr::memchr_iter(b':', bytes).any(|i| bytes.get(i + 1).is_none_or(|&b| b == b' ')) {
        return None;
    }
    Some(Written::Plain(plain))
}

/// Where ` #` (a comment after a plain scalar) starts in `text`.
fn comment_start(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'#', bytes)
        .find(|&i| i > 0 && bytes[i - 1] == b' ')
        .map(|i| i - 1)
}

/// Where the closing quote of a double-quoted scalar closed on this line is (`text`
/// starts after the opening quote), and whether an escape comes before it; `None` when
/// it is not closed on this line (a multi-line scalar). An escape is a backslash and
/// the byte after it; [`unescape`] tells which escapes are good.
fn double_quoted_end(text: &str) -> Option<(usize, bool)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut escaped = false;
    // Jump from one quote or backslash to the next: most of a quoted text is neither.
    while let Some(next) = memchr::memchr2(b'"', b'\\', &bytes[i..]) {
        i += next;
        if bytes[i] == b'"' {
            return Some((i, escaped));
        }
        bytes.get(i + 1)?;
        escaped = true;
        i += 2;
    }
    None
}

/// The text of a double-quoted scalar (between its quotes) with its escapes decoded;
/// `None` on an escape the fast reader leaves to the full parser.
fn unescape(text: &str) -> Option<String> {
    let mut value = String::with_capacity(text.len());
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(next) = memchr::memchr(b'\\', &bytes[i..]) {
        i += next;
        value.push_str(&text[start..i]);
        let escape = *bytes.get(i + 1)?;
        i += 2;
        let simple = match escape {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'e' => '\u{1b}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' | b'u' | b'U' => {
                let digits = match escape {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = text.get(i..i + digits)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                i += digits;
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        };
        value.push(simple);
        start = i;
    }
    value.push_str(&text[start..]);
    Some(value)
}

/// Where the closing quote of a single-quoted scalar closed on this line is (`text`
/// starts after the opening quote; `''` is a quote), and whether a `''` comes before it.
fn single_quoted_end(text: &str) -> Option<(usize, bool)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut escaped = false;
    loop {
        i += memchr::memchr(b'\'', &bytes[i..])?;
        if bytes.get(i + 1) == Some(&b'\'') {
            escaped = true;
            i += 2;
        } else {
            return Some((i, escaped));
        }
    }
}
