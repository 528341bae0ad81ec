//! [`Value`], the one data type every format reads into and writes out of.

use std::fmt;

use indexmap::IndexMap;

/// An ordered map of field names to values. Key order is the order the source wrote.
///
/// Hashed with foldhash rather than the standard SipHash: building maps is a fifth of
/// the work of reading front matter, and foldhash is several times faster on short
/// keys. Its `RandomState` is still seeded per process, so keys chosen to collide
/// (hash flooding from a hostile archive) cannot be precomputed.
pub type Map = IndexMap<String, Value, MapHasher>;

/// The hasher of [`Map`]; build an empty map with `Map::default()`.
pub type MapHasher = foldhash::fast::RandomState;

/// A value in a record: the JSON data model, with numbers kept exact and maps ordered.
///
/// ```
/// use recast_model::{Number, Value};
/// let v = Value::Number(Number::parse("1.0").unwrap());
/// assert_eq!(v.to_string(), "1.0");
/// assert_eq!(v.type_name(), "float");
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// No value: YAML `null` or `~`, JSON `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer or a float, kept as the text it was written as.
    Number(Number),
    /// Text, including dates, which stay the strings the source wrote.
    String(String),
    /// An ordered sequence.
    List(Vec<Value>),
    /// Keys and values in source order.
    Map(Map),
}

impl Value {
    /// A short, stable name of the value's type, as `inspect` and error messages show it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(n) if n.is_integer() => "integer",
            Value::Number(_) => "float",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// The type's name as a message says it: "an integer", "a string", "null".
    ///
    /// ```
    /// use recast_model::Value;
    /// assert_eq!(Value::Null.type_in_words(), "null");
    /// assert_eq!(Value::Bool(true).type_in_words(), "a bool");
    /// ```
    pub fn type_in_words(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a bool",
            Value::Number(n) if n.is_integer() => "an integer",
            Value::Number(_) => "a float",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Map(_) => "a map",
        }
    }

    /// The text of a string; `None` for every other type.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The map; `None` for every other type.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The map, to change it; `None` for every other type.
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The list's items; `None` for every other type.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The boolean; `None` for every other type (the string `"true"` included).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number; `None` for every other type.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// True for [`Value::Null`] only.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True for scalars: everything but lists and maps.
    pub fn is_scalar(&self) -> bool {
        !matches!(self, Value::List(_) | Value::Map(_))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Number(Number::from(i))
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Map(m)
    }
}

impl From<Vec<Value>> for Value {
    fn from(l: Vec<Value>) -> Self {
        Value::List(l)
    }
}

/// A compact, JSON-like rendering for messages and examples (`inspect`, diffs).
/// It is not a serialization format: writers live in the format crates.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Map(map) => {
                f.write_str("{")?;
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// A number kept as the decimal text it was written as, so that nothing is rounded:
/// `12345678901234567890123` keeps every digit and `1.0` stays a float written `1.0`.
///
/// The text is normalised to JSON's number grammar when it is parsed (YAML's `0x1F`
/// becomes `31`, `+5` becomes `5`, `.5` becomes `0.5`), except for the non-finite floats,
/// which are kept as `inf`, `-inf` and `nan` (JSON cannot carry them; YAML writes
/// `.inf`, `-.inf`, `.nan`).
///
/// Two numbers are equal when their texts are: `1.0` is not `1`, nor `1.00`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number {
    text: Box<str>,
    integer: bool,
}

impl Number {
    /// Parses JSON number syntax: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    /// Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Number> {
        let integer = json_number_is_integer(text)?;
        Some(Number {
            text: text.into(),
            integer,
        })
    }

    /// Parses a number in the YAML 1.2 core schema's syntax (`[-+]?[0-9]+`, `0o17`,
    /// `0x1F`, `1.5e3`, `.5`, `1.`, `.inf`, `-.Inf`, `.nan`) and normalises it.
    /// Returns `None` when the text is not such a number.
    pub fn parse_yaml(text: &str) -> Option<Number> {
        let bytes = text.as_bytes();
        if bytes.is_empty() {
            return None;
        }
        if let Some(special) = yaml_special_float(text) {
            return Some(Number {
                text: special.into(),
                integer: false,
            });
        }
        if let Some(hex) = text.strip_prefix("0x") {
            return radix_integer(hex, 16);
        }
        if let Some(oct) = text.strip_prefix("0o") {
            return radix_integer(oct, 8);
        }
        let (negative, unsigned) = match bytes[0] {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let sign = if negative { "-" } else { "" };
        // Integer: [0-9]+. Leading zeros are dropped (`007` resolves to 7 in YAML 1.2);
        // readers that want `007` kept as a string check for it before calling this.
        if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
            let digits = unsigned.trim_start_matches('0');
            let digits = if digits.is_empty() { "0" } else { digits };
            let sign = if digits == "0" { "" } else { sign };
            return Some(Number {
                text: format!("{sign}{digits}").into(),
                integer: true,
            });
        }
        // Float: (\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
            None => (unsigned, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(at) => (&mantissa[..at], Some(&mantissa[at + 1..])),
            None => (mantissa, None),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) || !frac_part.is_none_or(all_digits) {
            return None;
        }
        if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
            return None;
        }
        let exponent = match exponent {
            Some(e) => {
                let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if digits.is_empty() || !all_digits(digits) {
                    return None;
                }
                Some(e)
            }
            None => None,
        };
        let int_part = int_part.trim_start_matches('0');
        let int_part = if int_part.is_empty() { "0" } else { int_part };
        let mut out = String::with_capacity(text.len() + 2);
        out.push_str(sign);
        out.push_str(int_part);
        match frac_part {
            Some(frac) if !frac.is_empty() => {
                out.push('.');
                out.push_str(frac);
            }
            // `1.` and `1e5` are floats; JSON needs a digit after the point.
            _ if exponent.is_none() => out.push_str(".0"),
            _ => {}
        }
        if let Some(e) = exponent {
            out.push('e');
            out.push_str(e);
        }
        Some(Number {
            text: out.into(),
            integer: false,
        })
    }

    /// A float from a machine value, written in the shortest text that reads back the
    /// same (`1.0`, `0.1`, `1e300`). Non-finite values become `inf`, `-inf`, `nan`.
    pub fn from_f64(f: f64) -> Number {
        let text: Box<str> = if f.is_nan() {
            "nan".into()
        } else if f.is_infinite() {
            if f > 0.0 { "inf" } else { "-inf" }.into()
        } else {
            ryu::Buffer::new().format_finite(f).into()
        };
        Number {
            text,
            integer: false,
        }
    }

    /// The number's text: JSON syntax, or `inf`/`-inf`/`nan`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the text is an integer (no `.`, exponent, `inf` or `nan`).
    pub fn is_integer(&self) -> bool {
        self.integer
    }

    /// True for `inf`, `-inf` and `nan`, which JSON and CSV numbers cannot carry.
    pub fn is_finite(&self) -> bool {
        !matches!(&*self.text, "inf" | "-inf" | "nan")
    }

    /// The value as `i64`, when it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        if self.integer {
            self.text.parse().ok()
        } else {
            None
        }
    }

    /// The value as `i128`, when it is an integer in range.
    pub fn as_i128(&self) -> Option<i128> {
        if self.integer {
            self.text.parse().ok()
        } else {
            None
        }
    }

    /// The nearest `f64` (big integers and long fractions are rounded).
    pub fn as_f64(&self) -> f64 {
        match &*self.text {
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            "nan" => f64::NAN,
            text => text.parse().unwrap_or(f64::NAN),
        }
    }
}

impl From<i64> for Number {
    fn from(i: i64) -> Self {
        Number {
            text: i.to_string().into(),
            integer: true,
        }
    }
}

impl From<i128> for Number {
    fn from(i: i128) -> Self {
        Number {
            text: i.to_string().into(),
            integer: true,
        }
    }
}

impl From<u64> for Number {
    fn from(i: u64) -> Self {
        Number {
            text: i.to_string().into(),
            integer: true,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Checks JSON number syntax; `Some(true)` for an integer, `Some(false)` for a float.
fn json_number_is_integer(text: &str) -> Option<bool> {
    let b = text.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        _ => return None,
    }
    let mut integer = true;
    if b.get(i) == Some(&b'.') {
        integer = false;
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        integer = false;
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    (i == b.len()).then_some(integer)
}

fn yaml_special_float(text: &str) -> Option<&'static str> {
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Some("inf"),
        "-.inf" | "-.Inf" | "-.INF" => Some("-inf"),
        ".nan" | ".NaN" | ".NAN" => Some("nan"),
        _ => None,
    }
}

fn radix_integer(digits: &str, radix: u32) -> Option<Number> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Beyond u128 a hex literal has no exact decimal form here; leave it a string.
    let n = u128::from_str_radix(digits, radix).ok()?;
    Some(Number {
        text: n.to_string().into(),
        integer: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_numbers_keep_their_text() {
        for text in [
            "0",
            "-0",
            "1.0",
            "12345678901234567890123",
            "18446744073709551615",
            "-9223372036854775808",
            "1.5e300",
            "2E-3",
        ] {
            assert_eq!(Number::parse(text).unwrap().as_str(), text);
        }
        assert!(Number::parse("1.0").is_some_and(|n| !n.is_integer()));
        assert!(Number::parse("10").is_some_and(|n| n.is_integer()));
        for bad in ["", "-", "01", "1.", ".5", "1e", "+1", "0x10", "1 ", "NaN"] {
            assert!(Number::parse(bad).is_none(), "{bad:?} parsed");
        }
    }

    #[test]
    fn yaml_numbers_normalise_to_json_text() {
        let cases = [
            ("42", "42", true),
            ("+42", "42", true),
            ("-0", "0", true),
            ("007", "7", true),
            ("0x1F", "31", true),
            ("0o17", "15", true),
            ("1.0", "1.0", false),
            ("1.", "1.0", false),
            (".5", "0.5", false),
            ("-.5e3", "-0.5e3", false),
            ("1e3", "1e3", false),
            ("12345678901234567890123", "12345678901234567890123", true),
            (".inf", "inf", false),
            ("-.Inf", "-inf", false),
            (".NaN", "nan", false),
        ];
        for (yaml, text, integer) in cases {
            let n = Number::parse_yaml(yaml).unwrap_or_else(|| panic!("{yaml} not a number"));
            assert_eq!((n.as_str(), n.is_integer()), (text, integer), "{yaml}");
        }
        for bad in [
            "", ".", "-", "1e", "1_000", "0x", "1.2.3", "e5", "inf", "1,5",
        ] {
            assert!(Number::parse_yaml(bad).is_none(), "{bad:?} parsed");
        }
    }

    #[test]
    fn floats_from_machine_values_stay_floats() {
        assert_eq!(Number::from_f64(1.0).as_str(), "1.0");
        assert_eq!(Number::from_f64(0.1).as_str(), "0.1");
        assert_eq!(Number::from_f64(f64::NEG_INFINITY).as_str(), "-inf");
        assert!(!Number::from_f64(f64::NAN).is_finite());
    }

    #[test]
    fn equality_is_textual() {
        assert_ne!(Number::parse("1.0"), Number::parse("1"));
        assert_eq!(Number::from(7i64), Number::parse("7").unwrap());
        assert_eq!(
            Number::parse("-9223372036854775808").unwrap().as_i64(),
            Some(i64::MIN)
        );
    }
}
