//! Scalar resolution: which plain YAML texts are nulls, booleans and numbers.
//!
//! recast follows the YAML 1.2 core schema with two decisions of its own that keep
//! strings from being mistyped:
//!
//! - a number with a leading zero (`007`, `-01`, `00.5`, `01e3`) stays a string: those are
//!   zip codes and identifiers far more often than numbers, and YAML 1.1 readers would take
//!   `007` for octal;
//! - only the YAML 1.2 booleans (`true`, `false` in three spellings) are booleans: `yes`,
//!   `no`, `on`, `off`, `y`, `n` stay strings.
//!
//! Dates and timestamps are strings exactly as written (the model interprets dates only
//! where a feature needs them). Numbers keep their text: `12345678901234567890123` keeps
//! every digit and `1.0` stays a float.

use std::borrow::Cow;

use granit_parser::{ScalarStyle, Tag};
use recast_model::{Number, Value};

/// Resolves one plain (unquoted, untagged) YAML scalar the way recast's reader does.
///
/// Useful wherever a user types a value on the command line (`--set draft=false`).
///
/// The rules are the YAML 1.2 core schema's, with two choices that keep strings from
/// being mistyped:
///
/// - null: `null`, `Null`, `NULL`, `~`, and nothing at all;
/// - booleans: `true`, `True`, `TRUE`, `false`, `False`, `FALSE` only; `yes`, `no`,
///   `on`, `off`, `y`, `n` (YAML 1.1 booleans) are strings;
/// - numbers: `[-+]?[0-9]+`, `0x…`, `0o…`, decimals and exponents, `.inf`, `-.inf`,
///   `.nan`, kept exactly (`12345678901234567890123`, `1.0`, `-0`); but a number with a
///   leading zero (`007`, `-01`, `00.5`, `01e3`) is a string: zip codes and identifiers
///   are far more common than such numbers, and YAML 1.1 readers take `007` for octal;
/// - everything else, dates and timestamps included, is a string as written.
///
/// In documents, quoted and block scalars are always strings, and explicit core tags
/// win: `!!str 123` is a string, `!!int "007"` the integer 7, `!!float 1` the float
/// `1.0`; a text that does not fit its tag is an error. The non-specific tag `!` makes a
/// string. Any other tag (`!!timestamp`, `!!binary`, `!custom`) is ignored and the node
/// read as if untagged: an archive converter has no type for it, and refusing the file
/// would lose more than the tag.
///
/// ```
/// use recast_yaml::parse_scalar;
/// use recast_model::Value;
///
/// assert_eq!(parse_scalar("false"), Value::Bool(false));
/// assert_eq!(parse_scalar("~"), Value::Null);
/// assert_eq!(parse_scalar("39").type_name(), "integer");
/// assert_eq!(parse_scalar("1.0").to_string(), "1.0");
/// assert_eq!(parse_scalar("12345678901234567890123").to_string(), "12345678901234567890123");
/// // Strings that other readers mistype stay strings here.
/// assert_eq!(parse_scalar("007"), Value::from("007"));
/// assert_eq!(parse_scalar("yes"), Value::from("yes"));
/// assert_eq!(parse_scalar("2020-11-11"), Value::from("2020-11-11"));
/// ```
pub fn parse_scalar(text: &str) -> Value {
    resolve_plain(Cow::Borrowed(text))
}

/// [`parse_scalar`] taking the parser's text, so a string that is already owned is not
/// copied again.
pub(crate) fn resolve_plain(text: Cow<'_, str>) -> Value {
    if is_null(&text) {
        return Value::Null;
    }
    if let Some(b) = parse_bool(&text) {
        return Value::Bool(b);
    }
    match resolve_number(&text) {
        Some(n) => Value::Number(n),
        None => Value::String(text.into_owned()),
    }
}

/// True when a plain scalar `text` reads as the string `text` (the writer's question,
/// answered without building a value).
pub(crate) fn plain_is_string(text: &str) -> bool {
    !is_null(text) && parse_bool(text).is_none() && resolve_number(text).is_none()
}

/// The YAML 1.2 core schema's nulls (an empty plain scalar included).
pub(crate) fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// The YAML 1.2 core schema's booleans.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// YAML 1.1's booleans, for documents that declare `%YAML 1.1`.
fn parse_bool_1_1(text: &str) -> Option<bool> {
    match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => parse_bool(text),
    }
}

/// A plain number, unless it has a leading zero (then it is a string, see the module docs).
fn resolve_number(text: &str) -> Option<Number> {
    // Every number, JSON's and YAML's (`.5`, `.inf`, `+1`), starts with one of these:
    // most strings are told apart by their first byte.
    let starts_a_number = |b: &u8| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.');
    if !text.as_bytes().first().is_some_and(starts_a_number) || has_leading_zero(text) {
        return None;
    }
    // JSON syntax is a subset of YAML 1.2's; taking it as is keeps its exact spelling
    // (`-0` stays `-0`), so a number written by any recast writer reads back identical.
    Number::parse(text).or_else(|| Number::parse_yaml(text))
}

/// `007`, `-01`, `00.5`: a zero followed by another digit at the start of the digits.
pub(crate) fn has_leading_zero(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text).as_bytes();
    unsigned.len() >= 2 && unsigned[0] == b'0' && unsigned[1].is_ascii_digit()
}

/// Why a tagged scalar could not be resolved; the reader adds the location.
pub(crate) struct TagMismatch(pub String);

/// Resolves a scalar event: its text, style and explicit tag.
///
/// - No tag: plain scalars per [`parse_scalar`]; quoted and block scalars are strings.
/// - Core tags are honoured: `!!str 123` is a string, `!!int "7"` an integer (leading zeros
///   allowed there, since the tag says what is meant), `!!float 1` the float `1.0`,
///   `!!bool`, `!!null`. A text that does not fit its tag is an error.
/// - The non-specific tag `!` makes a string (YAML's rule).
/// - Any other tag (`!!timestamp`, `!!binary`, `!custom`) is ignored and the scalar is
///   resolved as if untagged: an archive converter has no types for them, and refusing
///   the whole file over a tag would lose more than it protects.
/// - In a document that declares `%YAML 1.1`, plain `yes`/`no`/`on`/`off`/`y`/`n` are
///   booleans, as that version says.
pub(crate) fn resolve_scalar(
    text: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
    yaml_1_1: bool,
) -> Result<Value, TagMismatch> {
    let core = tag.and_then(Tag::core_suffix);
    match core {
        Some("str") => return Ok(Value::String(text.into_owned())),
        Some("null") => {
            return if is_null(&text) {
                Ok(Value::Null)
            } else {
                Err(TagMismatch(format!(
                    "expected a null (`null`, `~` or nothing) after !!null, found {text:?}"
                )))
            };
        }
        Some("bool") => {
            return parse_bool(&text).map(Value::Bool).ok_or_else(|| {
                TagMismatch(format!(
                    "expected `true` or `false` after !!bool, found {text:?}"
                ))
            });
        }
        Some("int") => {
            return Number::parse_yaml(&text)
                .filter(Number::is_integer)
                .map(Value::Number)
                .ok_or_else(|| {
                    TagMismatch(format!("expected an integer after !!int, found {text:?}"))
                });
        }
        Some("float") => {
            let float = Number::parse_yaml(&text).and_then(|n| {
                if n.is_integer() {
                    Number::parse_yaml(&format!("{n}.0"))
                } else {
                    Some(n)
                }
            });
            return float.map(Value::Number).ok_or_else(|| {
                TagMismatch(format!("expected a number after !!float, found {text:?}"))
            });
        }
        Some(kind @ ("map" | "seq")) => {
            return Err(TagMismatch(format!(
                "expected a {} after !!{kind}, found the scalar {text:?}",
                if kind == "map" { "mapping" } else { "sequence" }
            )));
        }
        _ => {}
    }
    // granit spells the non-specific tag with an empty handle and `!` as the suffix.
    if tag.is_some_and(|t| {
        (t.handle().is_empty() && t.suffix() == "!") || (t.handle() == "!" && t.suffix().is_empty())
    }) {
        return Ok(Value::String(text.into_owned()));
    }
    Ok(match style {
        // A document that declares `%YAML 1.1` means its booleans; numbers stay 1.2's.
        ScalarStyle::Plain if yaml_1_1 && parse_bool_1_1(&text).is_some() => {
            Value::Bool(parse_bool_1_1(&text) == Some(true))
        }
        ScalarStyle::Plain => resolve_plain(text),
        _ => Value::String(text.into_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> (String, bool) {
        match parse_scalar(text) {
            Value::Number(n) => (n.to_string(), n.is_integer()),
            other => panic!("{text:?} resolved to {other:?}"),
        }
    }

    #[test]
    fn nulls_and_booleans_are_yaml_1_2() {
        for text in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(parse_scalar(text), Value::Null, "{text:?}");
        }
        for text in ["true", "True", "TRUE"] {
            assert_eq!(parse_scalar(text), Value::Bool(true));
        }
        for text in ["false", "False", "FALSE"] {
            assert_eq!(parse_scalar(text), Value::Bool(false));
        }
        for text in [
            "yes", "no", "on", "off", "y", "n", "Yes", "NO", "tRUE", "nULL", "none",
        ] {
            assert_eq!(parse_scalar(text), Value::from(text), "{text:?}");
        }
    }

    #[test]
    fn numbers_keep_their_text() {
        assert_eq!(number("39"), ("39".into(), true));
        assert_eq!(number("-1"), ("-1".into(), true));
        assert_eq!(number("-0"), ("-0".into(), true));
        assert_eq!(number("1.0"), ("1.0".into(), false));
        assert_eq!(number("-0.0"), ("-0.0".into(), false));
        assert_eq!(number("1e300"), ("1e300".into(), false));
        assert_eq!(
            number("12345678901234567890123"),
            ("12345678901234567890123".into(), true)
        );
        assert_eq!(
            number("-9223372036854775808"),
            ("-9223372036854775808".into(), true)
        );
        assert_eq!(number("0x1F"), ("31".into(), true));
        assert_eq!(number("0o17"), ("15".into(), true));
        assert_eq!(number("+5"), ("5".into(), true));
        assert_eq!(number(".5"), ("0.5".into(), false));
        assert_eq!(number(".inf"), ("inf".into(), false));
        assert_eq!(number("-.Inf"), ("-inf".into(), false));
        assert_eq!(number(".NaN"), ("nan".into(), false));
        assert_eq!(number("0"), ("0".into(), true));
        assert_eq!(number("0.5"), ("0.5".into(), false));
    }

    #[test]
    fn leading_zeros_dates_and_other_lookalikes_stay_strings() {
        for text in [
            "007",
            "-01",
            "00.5",
            "01e3",
            "+007",
            "2020-11-11",
            "2020-11-11T16:36:00Z",
            "1_000",
            "1:30",
            "0b101",
            "inf",
            "nan",
            "1e",
            "0x",
            "12:00",
        ] {
            assert_eq!(parse_scalar(text), Value::from(text), "{text:?}");
        }
    }
}
