//! Column headers: a dotted field path, optionally followed by a type hint
//! (`topics:list`, `score:float`), and the `--column-types` file that pins column types.
//!
//! The path is [`FieldPath`]'s spelling (`provider.name`, `images.0.url`, `a\.b` for the
//! key `a.b`) with two more escapes a header needs: `\:` for a colon inside a key (the
//! hint separator) and `\0` for a key made of digits (which would otherwise be a list
//! index).

use std::fmt;
use std::str::FromStr;

use recast_model::path::FieldPath;
use recast_model::{Error, Location, Result};

/// The header of the column that lists, for a row whose fields are not in column
/// order, its columns in the record's order. The writer adds it only when records
/// disagree; the reader puts the fields back in that order.
pub(crate) const ORDER_COLUMN: &str = ":order";

/// The type a column's cells are read as: from a header hint (`quality:int`), a
/// [`Schema`], or inference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// Every unmarked cell is text, whatever it looks like (`007`, `true`).
    String,
    /// Integers; `007` and `+5` are read as 7 and 5.
    Integer,
    /// Floats; an integer cell `1` is read as `1.0` (spreadsheets drop the `.0`).
    Float,
    /// Integers or floats, each as spelled.
    Number,
    /// `true`/`false`, in any letter case (spreadsheets write `TRUE`).
    Bool,
    /// Each cell by itself: a number, a boolean, `[]`, `{}`, or text.
    Any,
    /// A list of scalars in one cell, items separated by `; `.
    List,
}

impl ColumnType {
    /// The hint's name as written in a header or schema.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Integer => "int",
            ColumnType::Float => "float",
            ColumnType::Number => "number",
            ColumnType::Bool => "bool",
            ColumnType::Any => "any",
            ColumnType::List => "list",
        }
    }
}

/// Parses a hint name: `string`, `int`/`integer`, `float`, `number`, `bool`/`boolean`,
/// `any`, `list` (any letter case).
impl FromStr for ColumnType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "string" | "str" | "text" => ColumnType::String,
            "int" | "integer" => ColumnType::Integer,
            "float" => ColumnType::Float,
            "number" => ColumnType::Number,
            "bool" | "boolean" => ColumnType::Bool,
            "any" => ColumnType::Any,
            "list" => ColumnType::List,
            other => {
                return Err(format!(
                    "unknown column type {other:?}; expected one of string, int, float, \
                     number, bool, any, list"
                ));
            }
        })
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One segment of a column's path: a map key, or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

impl Segment {
    pub(crate) fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Segment::Key(k) => k.as_str().into(),
            Segment::Index(i) => i.to_string().into(),
        }
    }
}

/// Appends a key to a header path being built, escaping what a header gives meaning to.
pub(crate) fn push_key(out: &mut String, key: &str) {
    // One pass tells both what a key needs: the writer builds a path for every cell.
    let (mut digits, mut special) = (true, false);
    for b in key.bytes() {
        digits &= b.is_ascii_digit();
        special |= matches!(b, b'.' | b'\\' | b':');
    }
    if digits && !key.is_empty() {
        out.push('\\');
    }
    // Most keys have nothing to escape: copy them whole.
    if !special {
        out.push_str(key);
        return;
    }
    for c in key.chars() {
        if matches!(c, '.' | '\\' | ':') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A header split into its path (raw segments, not yet told keys from indexes) and hint.
pub(crate) struct RawHeader {
    /// Each segment's text and whether it may be a list index (unescaped digits).
    pub segments: Vec<(String, bool)>,
    pub hint: Option<ColumnType>,
}

/// Splits a header cell at its last unescaped `:` when what follows is a type name;
/// otherwise the whole cell is the path (a foreign header `Time: start` is one key).
pub(crate) fn parse_header(text: &str) -> RawHeader {
    let (path, hint) = split_hint(text);
    RawHeader {
        segments: split_path(path),
        hint,
    }
}

/// Splits a header cell into its path and type hint: `("score", Some(Float))` for
/// `score:float`; a header whose last unescaped `:` is not followed by a type name
/// (`Time: start`) is all path. Other spreadsheet formats read headers with it too.
///
/// ```
/// use recast_csv::{ColumnType, split_hint};
/// assert_eq!(split_hint("topics:list"), ("topics", Some(ColumnType::List)));
/// assert_eq!(split_hint(r"dc\:creator"), (r"dc\:creator", None));
/// ```
pub fn split_hint(text: &str) -> (&str, Option<ColumnType>) {
    let mut last_colon = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ':' => last_colon = Some(i),
            _ => {}
        }
    }
    if let Some(at) = last_colon
        && let Ok(hint) = text[at + 1..].parse::<ColumnType>()
    {
        return (&text[..at], Some(hint));
    }
    (text, None)
}

fn split_path(path: &str) -> Vec<(String, bool)> {
    if path == "\\" {
        // A lone backslash escapes nothing: it is how the empty key is written, since an
        // empty header cell is an error.
        return vec![(String::new(), false)];
    }
    let mut segments = vec![(String::new(), true)];
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        let (text, may_index) = segments.last_mut().expect("never empty");
        match c {
            '\\' => {
                *may_index = false;
                text.push(chars.next().unwrap_or('\\'));
            }
            '.' => segments.push((String::new(), true)),
            c => text.push(c),
        }
    }
    for (i, (text, may_index)) in segments.iter_mut().enumerate() {
        // Records are maps, so the first segment is a key; `01` is a key too.
        let canonical = text == "0"
            || (!text.is_empty()
                && !text.starts_with('0')
                && text.bytes().all(|b| b.is_ascii_digit()));
        *may_index &= i > 0 && canonical && text.len() <= 9;
    }
    segments
}

/// Tells list indexes from digit keys for a whole header: a digit segment is an index
/// when every digit sibling under its parent is below the number of columns (so
/// `images.0.url` is an index, while `stats.2019` in a small sheet is a key and no
/// header can make the reader build a huge list).
pub(crate) fn resolve_segments(headers: &[RawHeader]) -> Vec<Vec<Segment>> {
    use std::collections::HashMap;
    let limit = headers.len();
    // parent path (segment texts) -> all digit children below the limit?
    let mut ok: HashMap<Vec<&str>, bool> = HashMap::new();
    for header in headers {
        for (i, (text, may_index)) in header.segments.iter().enumerate() {
            if *may_index {
                let parent: Vec<&str> = header.segments[..i].iter().map(|s| s.0.as_str()).collect();
                let below = text.parse::<usize>().is_ok_and(|n| n < limit);
                let entry = ok.entry(parent).or_insert(true);
                *entry &= below;
            }
        }
    }
    headers
        .iter()
        .map(|header| {
            header
                .segments
                .iter()
                .enumerate()
                .map(|(i, (text, may_index))| {
                    let parent: Vec<&str> =
                        header.segments[..i].iter().map(|s| s.0.as_str()).collect();
                    match text.parse::<usize>() {
                        Ok(n) if *may_index && ok.get(&parent).copied().unwrap_or(false) => {
                            Segment::Index(n)
                        }
                        _ => Segment::Key(text.clone()),
                    }
                })
                .collect()
        })
        .collect()
}

/// A column as a spreadsheet shows it, from its index: `column 3 (C)`, `column 28 (AB)`.
pub(crate) fn column_label(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let digit = (n - 1) % 26;
        letters.push(b'A' + digit as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "column {} ({})",
        index + 1,
        String::from_utf8_lossy(&letters)
    )
}

/// Column types pinned by the user (`--column-types FILE`), overriding header hints and
/// inference.
///
/// The file has one `column: type` per line, the column spelled as in the header
/// (`provider.name`, `a\.b`), the type one of `string int float number bool any list`;
/// blank lines and lines starting with `#` are ignored.
///
/// ```
/// use recast_csv::{ColumnType, Schema};
/// let schema = Schema::parse("# pins\ntitle: string\nprovider.name: string\ntopics: list\n").unwrap();
/// assert_eq!(schema.get("topics"), Some(ColumnType::List));
/// assert_eq!(schema.get("quality"), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    columns: Vec<(FieldPath, ColumnType)>,
}

impl Schema {
    /// Parses a schema file's text; an error names the line.
    pub fn parse(text: &str) -> Result<Schema> {
        let mut columns = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (path, hint) = split_hint(line);
            let at = || Location::new(None, n as u64 + 1, 0);
            let Some(hint) = hint else {
                return Err(Error::syntax(
                    at(),
                    format!(
                        "expected `column: type` (type one of string, int, float, number, \
                         bool, any, list), found {line:?}"
                    ),
                ));
            };
            let path = path.trim();
            if path.is_empty() {
                return Err(Error::syntax(at(), "a column name is missing before `:`"));
            }
            columns.push((FieldPath::parse(path), hint));
        }
        Ok(Schema { columns })
    }

    /// Adds or replaces a column's type.
    pub fn insert(&mut self, column: FieldPath, column_type: ColumnType) {
        self.columns.retain(|(path, _)| *path != column);
        self.columns.push((column, column_type));
    }

    /// The type pinned for a column, by its path as spelled in a header.
    pub fn get(&self, column: &str) -> Option<ColumnType> {
        self.get_path(&FieldPath::parse(column))
    }

    pub(crate) fn get_path(&self, column: &FieldPath) -> Option<ColumnType> {
        self.columns
            .iter()
            .rev()
            .find(|(path, _)| path == column)
            .map(|(_, t)| *t)
    }

    /// The columns the schema pins, in its order.
    pub fn columns(&self) -> impl Iterator<Item = &FieldPath> {
        self.columns.iter().map(|(path, _)| path)
    }

    /// True when the schema pins no column.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(headers: &[&str]) -> Vec<Vec<Segment>> {
        let raw: Vec<RawHeader> = headers.iter().map(|h| parse_header(h)).collect();
        resolve_segments(&raw)
    }

    #[test]
    fn headers_split_into_path_and_hint() {
        let h = parse_header("topics:list");
        assert_eq!(h.hint, Some(ColumnType::List));
        let h = parse_header(r"dc\:creator");
        assert_eq!(h.hint, None);
        assert_eq!(h.segments[0].0, "dc:creator");
        let h = parse_header("Time: start");
        assert_eq!((h.hint, h.segments[0].0.as_str()), (None, "Time: start"));
        let h = parse_header(r"a\.b:float");
        assert_eq!((h.hint, h.segments.len()), (Some(ColumnType::Float), 1));
    }

    #[test]
    fn digit_segments_are_indexes_only_when_small_and_unescaped() {
        let s = segs(&[
            "images.0.url",
            "images.1.url",
            r"m.\0",
            "stats.2019",
            "x.01",
        ]);
        assert_eq!(s[1][1], Segment::Index(1));
        assert_eq!(s[2][1], Segment::Key("0".into()));
        assert_eq!(s[3][1], Segment::Key("2019".into()));
        assert_eq!(s[4][1], Segment::Key("01".into()));
        let mut out = String::new();
        push_key(&mut out, "0");
        assert_eq!(out, r"\0");
    }

    #[test]
    fn columns_are_labelled_as_spreadsheets_show_them() {
        assert_eq!(column_label(0), "column 1 (A)");
        assert_eq!(column_label(2), "column 3 (C)");
        assert_eq!(column_label(25), "column 26 (Z)");
        assert_eq!(column_label(26), "column 27 (AA)");
        assert_eq!(column_label(27), "column 28 (AB)");
        assert_eq!(column_label(701), "column 702 (ZZ)");
        assert_eq!(column_label(702), "column 703 (AAA)");
    }

    #[test]
    fn a_lone_backslash_is_the_empty_key() {
        let h = parse_header("\\");
        assert_eq!(h.segments, vec![(String::new(), false)]);
        // With a hint, the path before it is simply empty.
        let h = parse_header(":list");
        assert_eq!(
            (h.segments[0].0.as_str(), h.hint),
            ("", Some(ColumnType::List))
        );
    }

    #[test]
    fn schema_lines_name_their_errors() {
        let error = Schema::parse("title: string\nquality integer\n").unwrap_err();
        assert_eq!(error.location.line, 2);
        assert!(Schema::parse("x: decimal").is_err());
    }
}
