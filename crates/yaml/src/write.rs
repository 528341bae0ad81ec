//! [`Value`]s → YAML text in recast's layout: block style, key order kept, 2-space indent,
//! lists under a key indented (`topics:\n  - AI`), long strings never folded, and in
//! records a blank line around every top-level non-empty map or list, as the sample
//! archive is written.
//!
//! Quoting: a string is written plain only when neither recast's reader nor a YAML 1.1
//! or 1.2 reader could read it as anything else; otherwise it is double-quoted with
//! escapes. So `"2024"`, `"007"`, `"yes"`, `"~"`, `"1_000"`, `"2020-11-11"` and
//! `"2020-11-11T16:36:00Z"` are quoted (YAML 1.1 readers take the last two for
//! timestamps). Strings with line breaks become literal block scalars (`|`, `|-`, `|+`)
//! when that keeps them byte for byte, else double-quoted strings.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use recast_model::{Error, Map, Record, RecordWriter, Result, Value};

use crate::scalar::plain_is_string;

/// Writes a value as a YAML document's content (no `---`), ending with a line break.
///
/// ```
/// use recast_model::Value;
/// use recast_yaml::to_yaml_string;
///
/// let value = recast_yaml::parse_value("a: [x, 2024]\nb: {}\n", None, 1, &Default::default()).unwrap();
/// assert_eq!(to_yaml_string(&value), "a:\n  - x\n  - 2024\nb: {}\n");
/// assert_eq!(to_yaml_string(&Value::from("2024")), "\"2024\"\n");
/// ```
pub fn to_yaml_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// Appends a value as a YAML document's content (no `---`) to `out`, ending with a
/// line break. Maps and lists are written in block style, scalars on their own line.
pub fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Map(map) if !map.is_empty() => map_entries(out, map, 0, false, false),
        Value::List(items) if !items.is_empty() => list_items(out, items, 0, false),
        scalar => {
            scalar_value(out, scalar, 0);
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
    }
}

/// Appends a record's fields as the lines of a YAML mapping, with the blank lines of
/// recast's layout around top-level blocks. Writes `{}` for a record without fields.
pub(crate) fn record_fields(out: &mut String, fields: &Map) {
    record_fields_except(out, fields, None);
}

/// [`record_fields`] less the field named `skip` (the Markdown body), without copying
/// the record to remove it.
pub(crate) fn record_fields_except(out: &mut String, fields: &Map, skip: Option<&str>) {
    let mut entries = fields
        .iter()
        .filter(|(k, _)| Some(k.as_str()) != skip)
        .peekable();
    if entries.peek().is_none() {
        out.push_str("{}\n");
    } else {
        map_entries(out, entries, 0, false, true);
    }
}

/// Appends one `key: value` entry as a top-level map entry of the writer's layout.
pub(crate) fn write_entry(out: &mut String, key: &String, value: &Value) {
    map_entries(out, std::iter::once((key, value)), 0, false, false);
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Map(m) => !m.is_empty(),
        Value::List(l) => !l.is_empty(),
        _ => false,
    }
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Writes map entries whose keys start at column `n`. With `first_inline`, the first key
/// goes where the cursor is (after a list's `- `). With `spaced`, non-empty maps and
/// lists get a blank line before and after (records' top level).
fn map_entries<'a>(
    out: &mut String,
    entries: impl IntoIterator<Item = (&'a String, &'a Value)>,
    n: usize,
    first_inline: bool,
    spaced: bool,
) {
    for (i, (key, value)) in entries.into_iter().enumerate() {
        let block = is_block(value);
        if spaced && block && i > 0 && !out.ends_with("\n\n") {
            out.push('\n');
        }
        if !(first_inline && i == 0) {
            indent(out, n);
        }
        write_key(out, key, n);
        match value {
            Value::Map(m) if !m.is_empty() => {
                out.push_str(":\n");
                map_entries(out, m, n + 2, false, false);
            }
            Value::List(l) if !l.is_empty() => {
                out.push_str(":\n");
                list_items(out, l, n + 2, false);
            }
            scalar => {
                out.push_str(": ");
                scalar_value(out, scalar, n);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        // A keep-chomped block scalar (`|+`) ending the block owns the blank lines after
        // it (the only way the output already ends with one): adding one would change it.
        if spaced && block && !out.ends_with("\n\n") {
            out.push('\n');
        }
    }
}

/// Writes list items whose dashes are at column `n`.
fn list_items(out: &mut String, items: &[Value], n: usize, first_inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if !(first_inline && i == 0) {
            indent(out, n);
        }
        out.push_str("- ");
        match item {
            Value::Map(m) if !m.is_empty() => map_entries(out, m, n + 2, true, false),
            Value::List(l) if !l.is_empty() => list_items(out, l, n + 2, true),
            scalar => {
                scalar_value(out, scalar, n);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
}

/// Keys written longer than this become explicit keys (`? "…"`): YAML limits implicit
/// keys to 1024 characters (granit-parser's lookahead too); the margin is for `: `.
const MAX_IMPLICIT_KEY: usize = 1000;

fn write_key(out: &mut String, key: &str, n: usize) {
    // Byte length bounds the character count: most keys are settled without counting.
    let short = |s: &str| s.len() <= MAX_IMPLICIT_KEY || s.chars().count() <= MAX_IMPLICIT_KEY;
    if short(key) && plain_ok(key, true) {
        out.push_str(key);
        return;
    }
    let mut quoted = String::with_capacity(key.len() + 2);
    double_quoted(&mut quoted, key);
    if short(&quoted) {
        out.push_str(&quoted);
    } else {
        out.push_str("? ");
        out.push_str(&quoted);
        out.push('\n');
        indent(out, n);
    }
}

/// Writes a scalar (or an empty list/map) after `key: ` or `- `; `n` is the column of
/// that key or dash, so a block scalar's lines go at `n + 2`. May end with a line break
/// (block scalars do).
fn scalar_value(out: &mut String, value: &Value, n: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(number) => out.push_str(match number.as_str() {
            "inf" => ".inf",
            "-inf" => "-.inf",
            "nan" => ".nan",
            text => text,
        }),
        Value::String(s) => string_value(out, s, n),
        Value::List(_) => out.push_str("[]"),
        Value::Map(_) => out.push_str("{}"),
    }
}

fn string_value(out: &mut String, s: &str, n: usize) {
    if plain_ok(s, false) {
        out.push_str(s);
    } else if literal_ok(s) {
        literal(out, s, n);
    } else {
        double_quoted(out, s);
    }
}

/// Appends a value in flow style on one line (`[a, b]`, `{x: 1}`), for an entry that was
/// written that way: strings with a line break are double-quoted with escapes.
pub(crate) fn write_flow(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => flow_string(out, s, false),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_flow(out, item);
            }
            out.push(']');
        }
        Value::Map(map) => {
            out.push('{');
            for (i, (key, value)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                flow_string(out, key, true);
                out.push_str(": ");
                write_flow(out, value);
            }
            out.push('}');
        }
        scalar => scalar_value(out, scalar, 0),
    }
}

/// A string inside a flow collection.
fn flow_string(out: &mut String, s: &str, key: bool) {
    one_line_string(out, s, key, true);
}

/// A scalar on one line, where a value of a block or (`in_flow`) a flow collection
/// stands: a string plain where no reader could take it for anything else, else
/// double-quoted with escapes.
pub(crate) fn one_line_scalar(out: &mut String, value: &Value, in_flow: bool) {
    match value {
        Value::String(s) => one_line_string(out, s, false, in_flow),
        other => scalar_value(out, other, 0),
    }
}

/// A string on one line; in a flow collection a plain one cannot hold `,`, `[`, `]`,
/// `{` or `}` either.
fn one_line_string(out: &mut String, s: &str, key: bool, in_flow: bool) {
    if plain_ok(s, key) && !(in_flow && s.contains([',', '[', ']', '{', '}'])) {
        out.push_str(s);
    } else {
        double_quoted(out, s);
    }
}

/// Characters a plain or block scalar cannot carry as they are: YAML's non-printable
/// characters, line breaks other than `\n` (readers normalise them), the BOM.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
        )
}

/// True when `s` can be written unquoted and reads back as the same string with recast's
/// reader and with YAML 1.1 and 1.2 readers. Keys (`key`) must also hold no `:`.
pub(crate) fn plain_ok(s: &str, key: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if matches!(
        first,
        '-' | '?'
            | ':'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
            | ' '
    ) || s.ends_with([' ', ':'])
        || s.starts_with("...")
        || s.chars().any(|c| c == '\t' || needs_escape(c))
        || s.contains(": ")
        || s.contains(" #")
        || (key && s.contains(':'))
    {
        return false;
    }
    plain_is_string(s) && !other_readers_mistype(s)
}

/// Strings that YAML 1.1 readers (PyYAML, Go yaml.v2, Ruby), or readers with more
/// lenient number syntax, take for something other than a string.
fn other_readers_mistype(s: &str) -> bool {
    const WORDS: [&str; 19] = [
        "y", "yes", "n", "no", "on", "off", "true", "false", "null", "~", "nan", "inf", "+inf",
        "-inf", ".inf", "+.inf", "-.inf", ".nan", "<<",
    ];
    // Every spelling in any case: `YES`, `Off`, `nUll` all mean something to some reader.
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
        || s == "="
        || looks_numeric(s)
        || looks_like_timestamp(s)
}

/// Any YAML 1.1 or 1.2 number spelling: signs, `_` separators, `0b`/`0o`/`0x`,
/// base-60 (`1:30`), floats without digits before the point.
fn looks_numeric(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let Some(first) = unsigned.chars().next() else {
        return false;
    };
    if !(first.is_ascii_digit() || first == '.') {
        return false;
    }
    let lower = unsigned.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("0x")
        .or_else(|| lower.strip_prefix("0o"))
        .or_else(|| lower.strip_prefix("0b"))
    {
        return rest.chars().all(|c| c.is_ascii_hexdigit() || c == '_');
    }
    // Base 60: digits and `:`-separated groups, with an optional fraction.
    if unsigned.contains(':') {
        return unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '_' | '.'));
    }
    let cleaned: String = unsigned.chars().filter(|&c| c != '_').collect();
    let (mantissa, exponent) = match cleaned.find(['e', 'E']) {
        Some(at) => (&cleaned[..at], Some(&cleaned[at + 1..])),
        None => (cleaned.as_str(), None),
    };
    if let Some(e) = exponent {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    mantissa.bytes().any(|b| b.is_ascii_digit())
        && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// YAML 1.1's timestamp: `2020-11-11`, `2020-11-11T16:36:00Z`, `2001-12-14 21:59:43.10 -5`.
/// Calendar validity is not checked: readers tag the syntax, then fail to build the date.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, min: usize, max: usize| -> Option<usize> {
        let count = b[from.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        (min..=max).contains(&count).then_some(from + count)
    };
    let Some(i) = digits(0, 4, 4) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    let Some(i) = digits(i + 1, 1, 2) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    // The date is enough: whatever follows, quoting costs nothing and no reader can
    // take a prefix-dated string for a timestamp by mistake.
    digits(i + 1, 1, 2).is_some()
}

/// True when a literal block scalar carries `s` exactly.
fn literal_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.chars().any(|c| c != '\n' && c != '\t' && needs_escape(c))
        // Content must have a non-blank line for the reader to find the indentation,
        // and a tab may not begin it.
        && s.split('\n').any(|line| !line.trim_matches([' ', '\t']).is_empty())
        && !s.split('\n').any(|line| line.starts_with('\t'))
        // Lines of blanks only are where readers disagree (indentation or content?).
        && !s
            .split('\n')
            .any(|line| !line.is_empty() && line.trim_matches([' ', '\t']).is_empty())
}

/// Writes `s` as a literal block scalar whose lines are at column `n + 2`.
fn literal(out: &mut String, s: &str, n: usize) {
    out.push('|');
    // An indentation indicator is needed when the first line with content starts with
    // a space (the reader would take that space for indentation).
    let first_content = s.split('\n').find(|line| !line.is_empty()).unwrap_or("");
    if first_content.starts_with(' ') {
        out.push('2');
    }
    let body = match s.strip_suffix('\n') {
        Some(rest) if rest.ends_with('\n') => {
            out.push('+');
            rest
        }
        Some(rest) => rest,
        None => {
            out.push('-');
            s
        }
    };
    out.push('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(out, n + 2);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// Writes `s` double-quoted, escaping what YAML requires and every non-printable
/// character, on one line whatever its length.
pub(crate) fn double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if needs_escape(c) => {
                let code = c as u32;
                if code <= 0xFF {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The write options of [`YamlWriter`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct YamlWriteOptions {
    /// Names the output in errors (`None`: standard output).
    pub source: Option<Arc<Path>>,
}

/// Writes records as a multi-document YAML stream: `---` before each record.
///
/// ```
/// use recast_model::{Record, RecordWriter, Value};
/// use recast_yaml::{YamlWriteOptions, YamlWriter};
///
/// let mut record = Record::default();
/// record.fields.insert("title".into(), Value::from("2024"));
/// record.fields.insert("topics".into(), Value::List(vec!["AI".into()]));
/// record.fields.insert("quality".into(), 39i64.into());
/// let mut writer = YamlWriter::new(Vec::new(), YamlWriteOptions::default());
/// writer.write_record(&record).unwrap();
/// writer.finish().unwrap();
/// let out = writer.into_inner();
/// assert_eq!(String::from_utf8(out).unwrap(), "---\ntitle: \"2024\"\n\ntopics:\n  - AI\n\nquality: 39\n");
/// ```
pub struct YamlWriter<W: Write> {
    output: W,
    file: Option<Arc<Path>>,
    buffer: String,
}

impl<W: Write> YamlWriter<W> {
    /// A writer to `output`.
    pub fn new(output: W, options: YamlWriteOptions) -> Self {
        YamlWriter {
            output,
            file: options.source,
            buffer: String::new(),
        }
    }

    /// The output, after [`finish`](RecordWriter::finish).
    pub fn into_inner(self) -> W {
        self.output
    }
}

impl<W: Write> RecordWriter for YamlWriter<W> {
    fn write_record(&mut self, record: &Record) -> Result<()> {
        self.buffer.clear();
        self.buffer.push_str("---\n");
        record_fields(&mut self.buffer, &record.fields);
        self.output
            .write_all(self.buffer.as_bytes())
            .map_err(|e| Error::io(self.file.clone(), e))
    }

    fn finish(&mut self) -> Result<()> {
        self.output
            .flush()
            .map_err(|e| Error::io(self.file.clone(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use recast_model::Number;

    fn yaml(value: &Value) -> String {
        to_yaml_string(value)
    }

    #[test]
    fn quoting_protects_what_readers_would_mistype() {
        for s in [
            "2024",
            "007",
            "true",
            "True",
            "null",
            "1e3",
            "-5",
            "yes",
            "on",
            "y",
            "N",
            "~",
            "2020-11-11",
            "2020-11-11T16:36:00Z",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "-",
            "-x",
            "?x",
            ":x",
            ",",
            "[a]",
            "]",
            "{",
            "}",
            "#",
            "&a",
            "*a",
            "!t",
            "|",
            ">",
            "'",
            "\"",
            "%",
            "@",
            "`",
            "tab\there",
            "ctl\u{1}",
            "",
            "1_000",
            "0x1F",
            "1:30",
            ".5",
            "<<",
            "---",
            "...",
            "a:",
            "nan",
            ".inf",
            "+1",
        ] {
            let out = yaml(&Value::from(s));
            assert!(out.starts_with('"'), "{s:?} written {out:?}");
        }
        for s in [
            "AI",
            "Harvard Medical School",
            "a:b",
            "a#b",
            "2020 vision",
            "https://x.org/a?b=1&c=2#f",
            "日本経済新聞",
            "C#",
            "x-1",
        ] {
            assert_eq!(yaml(&Value::from(s)), format!("{s}\n"), "{s:?}");
        }
    }

    #[test]
    fn block_scalars_choose_their_chomping() {
        assert_eq!(yaml(&Value::from("a\nb\n")), "|\n  a\n  b\n");
        assert_eq!(yaml(&Value::from("a\nb")), "|-\n  a\n  b\n");
        assert_eq!(yaml(&Value::from("a\n\n")), "|+\n  a\n\n");
        assert_eq!(yaml(&Value::from(" a\nb\n")), "|2\n   a\n  b\n");
        assert_eq!(yaml(&Value::from("a\r\nb\n")), "\"a\\r\\nb\\n\"\n");
    }

    #[test]
    fn numbers_and_empties() {
        let n = |t: &str| Value::Number(Number::parse_yaml(t).unwrap());
        assert_eq!(yaml(&n("1.0")), "1.0\n");
        assert_eq!(yaml(&n(".inf")), ".inf\n");
        assert_eq!(yaml(&n("-.inf")), "-.inf\n");
        assert_eq!(yaml(&n(".nan")), ".nan\n");
        assert_eq!(yaml(&Value::List(vec![])), "[]\n");
        assert_eq!(yaml(&Value::Map(Map::default())), "{}\n");
        assert_eq!(yaml(&Value::Null), "null\n");
    }

    #[test]
    fn long_keys_are_explicit() {
        // YAML caps implicit keys at 1024 characters; longer ones need `? key`.
        let long = "k".repeat(2000);
        let mut inner = Map::default();
        inner.insert("a".into(), Value::List(vec![1i64.into()]));
        let mut item = Map::default();
        item.insert(long.clone(), " x".into());
        let mut map = Map::default();
        map.insert(long.clone(), 1i64.into());
        map.insert(format!("{long}x"), Value::Map(inner));
        map.insert("list".into(), Value::List(vec![Value::Map(item)]));
        // At the limit: still implicit.
        map.insert("a".repeat(MAX_IMPLICIT_KEY), Value::List(vec![Value::Null]));
        // Short, but long once escaped.
        map.insert("\u{FFFE}".repeat(300), Value::Null);
        let value = Value::Map(map);
        let written = yaml(&value);
        assert!(
            written.starts_with(&format!("? \"{long}\"\n: 1\n")),
            "{written}"
        );
        let back = crate::parse_value(&written, None, 1, &Default::default()).unwrap();
        assert!(recast_model::strict_eq(&back, &value), "{written}");
    }

    #[test]
    fn nested_layout() {
        let value = crate::parse_value(
            "a:\n  - x: 1\n    z: [1, [2, 3], []]\n  - - p\n    - q\nb: {c: {}}\n",
            None,
            1,
            &Default::default(),
        )
        .unwrap();
        assert_eq!(
            yaml(&value),
            "a:\n  - x: 1\n    z:\n      - 1\n      - - 2\n        - 3\n      - []\n  - - p\n    - q\nb:\n  c: {}\n"
        );
    }
}
