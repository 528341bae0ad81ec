//! The text of one cell: the `'` text marker (which is also the CSV-injection
//! neutraliser), scalar cells, and lists of scalars in one cell (`AI Ethics; AI`).
//!
//! The rules, which the writer and the reader share:
//!
//! * A string is written with a leading `'` exactly when, without it, it would read back
//!   as something else: when it is empty, looks like a number (`2024`, `007`, `1e3`,
//!   `-42`), a boolean (`true`, `FALSE`), one of the markers `[]` and `{}`, or (when
//!   sanitizing) starts with `=`, `+`, `-`, `@`, tab or CR. A string that already starts
//!   with `'` gets one more when what follows its apostrophes would need one.
//! * A cell is read as text, less one `'`, exactly when it starts with `'` and what
//!   follows its apostrophes would need a marker. Any other `'` is text.
//!
//! So the marker is a bijection, and a sheet from elsewhere with `'tis` keeps its `'`.
//!
//! Typed cells (an xlsx text cell, beside numeric and boolean cells) need the marker
//! only where a text cell is still ambiguous: the empty string and the `[]`/`{}`
//! markers ([`typed_needs_marker`]).

use std::borrow::Cow;

use recast_model::{Map, Number, Value};

/// The list-cell separator as written; the reader splits on `;` and trims spaces.
pub(crate) const LIST_SEPARATOR: &str = "; ";

/// Cells that start with these characters are formulas (or become them) in Excel,
/// LibreOffice and Google Sheets (OWASP, "CSV Injection").
fn is_dangerous(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// True for text a reader would take for a number: JSON numbers and everything YAML 1.2
/// or a spreadsheet reads as one (`007`, `+5`, `.5`, `1.`, `0x1F`, `.inf`).
fn looks_numeric(text: &str) -> bool {
    Number::parse(text).is_some() || Number::parse_yaml(text).is_some()
}

/// The boolean a cell's text spells (`true`, `FALSE`: any case), if it spells one.
pub fn is_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Would this text, written plainly, read back as something other than itself?
fn ambiguous(text: &str, sanitize: bool) -> bool {
    // Most text starts with a letter that no number, boolean or marker starts with.
    if let Some(&first) = text.as_bytes().first()
        && (first.is_ascii_alphabetic() || first >= 0x80)
        && !matches!(first, b't' | b'T' | b'f' | b'F')
    {
        return false;
    }
    text.is_empty()
        || text == "[]"
        || text == "{}"
        || is_bool(text).is_some()
        || looks_numeric(text)
        || (sanitize && is_dangerous(text))
}

/// Whether a string needs the leading `'` text marker in a CSV cell.
pub fn needs_marker(text: &str, sanitize: bool) -> bool {
    ambiguous(text.trim_start_matches('\''), sanitize)
}

/// The text of a marked cell less its marker, when it is one.
pub fn strip_marker(text: &str, sanitize: bool) -> Option<&str> {
    let rest = text.strip_prefix('\'')?;
    ambiguous(text.trim_start_matches('\''), sanitize).then_some(rest)
}

/// Whether a string stored in a typed text cell needs the leading `'`: when, less its
/// leading apostrophes, it is empty or one of the markers `[]` and `{}` (anything else
/// a text cell holds is text, since numbers and booleans have cells of their own).
pub fn typed_needs_marker(text: &str) -> bool {
    matches!(text.trim_start_matches('\''), "" | "[]" | "{}")
}

/// The text of a marked typed text cell less its marker, when it is one.
pub fn typed_strip_marker(text: &str) -> Option<&str> {
    let rest = text.strip_prefix('\'')?;
    typed_needs_marker(text).then_some(rest)
}

/// Header cells only need neutralising (a key is always text).
pub(crate) fn header_needs_marker(text: &str, sanitize: bool) -> bool {
    sanitize && is_dangerous(text.trim_start_matches('\''))
}

/// A header cell less its marker.
pub(crate) fn strip_header_marker(text: &str, sanitize: bool) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if header_needs_marker(text, sanitize) => rest,
        _ => text,
    }
}

/// Appends the CSV cell text of a string (marked when it needs it).
pub fn push_string(out: &mut Vec<u8>, text: &str, sanitize: bool) {
    if needs_marker(text, sanitize) {
        out.push(b'\'');
    }
    out.extend_from_slice(text.as_bytes());
}

/// What an unmarked, non-empty cell reads as when nothing pins its column's type.
pub fn auto_value(text: &str) -> Value {
    match text {
        "[]" => Value::List(Vec::new()),
        "{}" => Value::Map(Map::default()),
        _ => scalar_value(Cow::Borrowed(text)),
    }
}

/// An unmarked text as a number, a boolean, or else the string itself (copied only
/// when it is borrowed).
fn scalar_value(text: Cow<'_, str>) -> Value {
    if let Some(n) = Number::parse(&text) {
        Value::Number(n)
    } else if let Some(b) = is_bool(&text) {
        Value::Bool(b)
    } else {
        Value::String(text.into_owned())
    }
}

/// True when an unmarked, non-empty cell would be read as a string by [`auto_value`].
pub(crate) fn is_plain_text(text: &str) -> bool {
    !(text == "[]" || text == "{}" || Number::parse(text).is_some() || is_bool(text).is_some())
}

/// Appends one list item, escaped so that `;`, `\` and spaces at its ends survive.
fn push_item_escaped(out: &mut Vec<u8>, text: &str) {
    let last = text.chars().count().saturating_sub(1);
    for (i, c) in text.chars().enumerate() {
        if c == '\\' || c == ';' || (c.is_whitespace() && (i == 0 || i == last)) {
            out.push(b'\\');
        }
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

/// A scalar that cannot be written (a non-finite number): the message for the error.
pub(crate) struct Unwritable(pub String);

/// Appends a list of scalars (and nulls) as one cell: `AI Ethics; AI`.
/// The caller checks that every item is a scalar; an empty list is the marker `[]`.
pub(crate) fn push_list(
    out: &mut Vec<u8>,
    items: &[Value],
    sanitize: bool,
) -> Result<(), Unwritable> {
    if items.is_empty() {
        out.extend_from_slice(b"[]");
        return Ok(());
    }
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(LIST_SEPARATOR.as_bytes());
        }
        match item {
            Value::Null => {}
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Number(n) => out.extend_from_slice(number_text(n)?.as_bytes()),
            Value::String(s) => {
                if needs_marker(s, sanitize) {
                    out.push(b'\'');
                }
                push_item_escaped(out, s);
            }
            Value::List(_) | Value::Map(_) => {
                return Err(Unwritable("a list inside a list cell".into()));
            }
        }
    }
    // A trailing empty item is dropped when reading, so a list ending in null says so.
    if matches!(items.last(), Some(Value::Null)) {
        out.push(b';');
    }
    Ok(())
}

/// The list cell of header names (an `:order` cell): `title; n:any`.
pub fn names_cell(names: &[&str]) -> String {
    let items: Vec<Value> = names.iter().map(|&name| Value::from(name)).collect();
    let mut out = Vec::new();
    // Names are strings: nothing here can be unwritable.
    let _ = push_list(&mut out, &items, false);
    String::from_utf8(out).expect("built from strings")
}

/// The text of a number, refusing the non-finite ones CSV cannot carry as numbers.
pub(crate) fn number_text(n: &Number) -> Result<&str, Unwritable> {
    if n.is_finite() {
        Ok(n.as_str())
    } else {
        Err(Unwritable(format!(
            "the number {n} cannot be written to CSV (only finite numbers can)"
        )))
    }
}

/// Reads a list cell. `""` is no value, `[]` the empty list, `{}` the empty map; otherwise items are split
/// on unescaped `;`, trimmed of unescaped spaces, a trailing empty item is dropped, an
/// empty item is null, and each item is read like a cell (marker, number, bool, text).
pub fn read_list(text: &str, sanitize: bool) -> Option<Value> {
    if text.is_empty() {
        return None;
    }
    match text {
        "[]" => return Some(Value::List(Vec::new())),
        // A path that is `{}` in one record and a list in others shares its column.
        "{}" => return Some(Value::Map(Map::default())),
        _ => {}
    }
    if !text.contains('\\') {
        return Some(read_plain_list(text, sanitize));
    }
    let mut items: Vec<Vec<(char, bool)>> = vec![Vec::new()];
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        let current = items.last_mut().expect("never empty");
        match c {
            '\\' => match chars.next() {
                Some(escaped) => current.push((escaped, true)),
                None => current.push(('\\', true)),
            },
            ';' => items.push(Vec::new()),
            c => current.push((c, false)),
        }
    }
    let values: Vec<Value> = items
        .into_iter()
        .map(|item| {
            let start = item
                .iter()
                .position(|&(c, escaped)| escaped || !c.is_whitespace())
                .unwrap_or(item.len());
            let end = item
                .iter()
                .rposition(|&(c, escaped)| escaped || !c.is_whitespace())
                .map_or(start, |i| i + 1);
            let decoded: String = item[start..end.max(start)]
                .iter()
                .map(|&(c, _)| c)
                .collect();
            read_item(Cow::Owned(decoded), sanitize)
        })
        .collect();
    Some(list_of(values))
}

/// The list of a cell's items: `a; b;` is `[a, b]`, since a null last item is written
/// with a trailing `;`.
fn list_of(mut values: Vec<Value>) -> Value {
    if values.len() > 1 && matches!(values.last(), Some(Value::Null)) {
        values.pop();
    }
    Value::List(values)
}

/// [`read_list`] for a cell without escapes, the common case: items are the pieces
/// between `;`, trimmed of whitespace (as `char::is_whitespace` says, like the general
/// path), with no per-character copy.
fn read_plain_list(text: &str, sanitize: bool) -> Value {
    list_of(
        text.split(';')
            .map(|item| read_item(Cow::Borrowed(item.trim()), sanitize))
            .collect(),
    )
}

/// One item of a list cell: empty is null, a marked item is text, others are typed.
fn read_item(decoded: Cow<'_, str>, sanitize: bool) -> Value {
    if decoded.is_empty() {
        return Value::Null;
    }
    if let Some(text) = strip_marker(&decoded, sanitize) {
        return Value::String(text.to_owned());
    }
    scalar_value(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str) -> String {
        let mut out = Vec::new();
        push_string(&mut out, text, true);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lookalike_strings_are_marked_and_plain_text_is_not() {
        for (text, written) in [
            ("2024", "'2024"),
            ("007", "'007"),
            ("true", "'true"),
            ("FALSE", "'FALSE"),
            ("1e3", "'1e3"),
            ("-42", "'-42"),
            ("", "'"),
            ("[]", "'[]"),
            ("=SUM(A1)", "'=SUM(A1)"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("' single quote", "' single quote"),
            ("'=x", "''=x"),
            ("'", "''"),
            ("null", "null"),
            ("AI revolution in medicine", "AI revolution in medicine"),
            ("2020-11-11T16:36:00Z", "2020-11-11T16:36:00Z"),
        ] {
            assert_eq!(cell(text), written, "{text:?}");
            let back = match strip_marker(written, true) {
                Some(t) => t.to_owned(),
                None => written.to_owned(),
            };
            assert_eq!(back, text);
        }
        assert_eq!(strip_marker("'tis", true), None);
        assert_eq!(strip_marker("'=x", false), None);
    }

    fn list(items: Vec<Value>) -> String {
        let mut out = Vec::new();
        assert!(push_list(&mut out, &items, true).is_ok());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lists_of_scalars_round_trip_in_one_cell() {
        let s = |t: &str| Value::from(t);
        let cases = vec![
            (vec![s("AI Ethics"), s("AI")], "AI Ethics; AI"),
            (vec![], "[]"),
            (vec![s("")], "'"),
            (vec![s("a;b"), s(r"c\d")], r"a\;b; c\\d"),
            (vec![s(" padded "), s("x")], r"\ padded\ ; x"),
            (
                vec![Value::from(1i64), s("1"), Value::Bool(true)],
                "1; '1; true",
            ),
            (vec![Value::Null], ";"),
            (vec![s("a"), Value::Null], "a; ;"),
            (vec![s("=cmd")], "'=cmd"),
            (vec![s("[]")], "'[]"),
        ];
        for (items, written) in cases {
            assert_eq!(list(items.clone()), written);
            assert_eq!(
                read_list(written, true),
                Some(Value::List(items)),
                "{written}"
            );
        }
        assert_eq!(
            read_list("a;b ;  c;", true),
            Some(Value::List(vec![s("a"), s("b"), s("c")]))
        );
        assert_eq!(read_list("", true), None);
    }

    /// The general path of `read_list`, with the `;` escaped in a way that changes
    /// nothing, so the fast path for cells without escapes is checked against it.
    #[test]
    fn lists_without_escapes_read_as_the_general_path_reads_them() {
        for text in [
            "a",
            "a; b",
            "a;b ;  c;",
            " x ;\u{a0}y\u{2003};",
            ";",
            "; ;",
            "a; ;",
            "'; ''; '1; 1; 1.0; true; TRUE; null; []; {}",
            "'=x; =x; -1; \t",
            "caf\u{e9} ; \u{3000}",
        ] {
            for sanitize in [true, false] {
                let fast = read_list(text, sanitize);
                // `\a` reads as `a`: a backslash forces the general path.
                let slow = read_list(&format!("\\{text}"), sanitize);
                let first = text.chars().next().unwrap_or(' ');
                if first.is_whitespace() || first == ';' {
                    continue;
                }
                assert_eq!(fast, slow, "{text:?}");
            }
        }
    }
}
