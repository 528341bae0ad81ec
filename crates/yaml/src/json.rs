//! JSON front matter, Hugo's form: the file opens with a JSON object, the body follows
//! it after a line break.
//!
//! Reading goes through the YAML parser: JSON is YAML 1.2 flow style, and recast's YAML
//! reader already keeps numbers' text and key order, so the two agree value for value.
//! Writing is the small JSON writer here (recast-yaml depends on recast-model only):
//! strings escaped as JSON requires, numbers with their text; `inf` and `nan` have no
//! JSON form and are an error naming the record and the field.

use std::path::Path;
use std::sync::Arc;

use recast_model::{Error, Location, Map, Record, Result, Value};

use crate::document::YamlReadOptions;
use crate::read::parse_documents;

/// Reads a JSON object (braces included) into fields.
pub(crate) fn read_fields(
    object: &str,
    file: Option<&Arc<Path>>,
    options: &YamlReadOptions,
) -> Result<Map> {
    let mut documents = parse_documents(object, file, 1, options)?;
    match documents.pop().map(|d| (d.value, d.line, d.column)) {
        Some((Value::Map(map), _, _)) if documents.is_empty() => Ok(map),
        Some((other, line, column)) => Err(Error::data(
            Location::new(file.cloned(), line, column),
            format!(
                "JSON front matter is {}; expected one object of fields",
                other.type_in_words()
            ),
        )),
        None => Ok(Map::default()),
    }
}

/// The indentation of a JSON object as written: the blanks before its first key, when
/// it is laid out one key a line (`None` for `{"a": 1}` on one line).
pub(crate) fn indentation(object: &str) -> Option<&str> {
    let second_line = object.split_once('\n')?.1;
    let blanks = second_line.len() - second_line.trim_start_matches([' ', '\t']).len();
    (blanks > 0).then(|| &second_line[..blanks])
}

/// Writes fields as a JSON object, one key a line indented by `indent` (on one line
/// when `indent` is `None`), without a final line break.
pub(crate) fn write_fields(fields: &Map, indent: Option<&str>, record: &Record) -> Result<String> {
    let mut out = String::new();
    let mut path = Vec::new();
    write_map(&mut out, fields, indent, 0, &mut path, record)?;
    Ok(out)
}

fn write_value(
    out: &mut String,
    value: &Value,
    indent: Option<&str>,
    depth: usize,
    path: &mut Vec<String>,
    record: &Record,
) -> Result<()> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_finite() => out.push_str(n.as_str()),
        Value::Number(n) => {
            let origin = &record.origin;
            return Err(Error::data(
                Location::new(origin.file.clone(), origin.line, 1),
                format!(
                    "field `{}` is {}, which JSON cannot hold; expected a finite number",
                    path.join("."),
                    n.as_str()
                ),
            ));
        }
        Value::String(s) => write_string(out, s),
        Value::List(items) => {
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                new_line(out, indent, depth + 1);
                path.push(index.to_string());
                write_value(out, item, indent, depth + 1, path, record)?;
                path.pop();
            }
            if indent.is_some() {
                new_line(out, indent, depth);
            }
            out.push(']');
        }
        Value::Map(map) => write_map(out, map, indent, depth, path, record)?,
    }
    Ok(())
}

fn write_map(
    out: &mut String,
    map: &Map,
    indent: Option<&str>,
    depth: usize,
    path: &mut Vec<String>,
    record: &Record,
) -> Result<()> {
    if map.is_empty() {
        out.push_str("{}");
        return Ok(());
    }
    out.push('{');
    for (index, (key, value)) in map.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        new_line(out, indent, depth + 1);
        write_string(out, key);
        out.push_str(": ");
        path.push(key.clone());
        write_value(out, value, indent, depth + 1, path, record)?;
        path.pop();
    }
    if indent.is_some() {
        new_line(out, indent, depth);
    }
    out.push('}');
    Ok(())
}

/// A line break and `depth` indents; a space between items on one line.
fn new_line(out: &mut String, indent: Option<&str>, depth: usize) {
    match indent {
        Some(indent) => {
            out.push('\n');
            for _ in 0..depth {
                out.push_str(indent);
            }
        }
        None if out.ends_with(['{', '[']) => {}
        None => out.push(' '),
    }
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use recast_model::Number;

    fn round_trip(fields: &Map, indent: Option<&str>) -> String {
        let text = write_fields(fields, indent, &Record::default()).unwrap();
        let back = read_fields(&text, None, &YamlReadOptions::default()).unwrap();
        assert!(
            recast_model::strict_eq(&Value::Map(back), &Value::Map(fields.clone())),
            "{text}"
        );
        text
    }

    #[test]
    fn values_read_back_exactly() {
        let text = "{\n  \"title\": \"a \\\"quoted\\\" \\\\ line\\n\",\n  \"n\": 1.0,\n  \"big\": 123456789012345678901234567890,\n  \"tags\": [\n    \"x\",\n    {\n      \"k\": null\n    }\n  ],\n  \"empty\": {},\n  \"ok\": true\n}";
        let fields = read_fields(text, None, &YamlReadOptions::default()).unwrap();
        assert_eq!(fields["n"].type_name(), "float");
        assert_eq!(indentation(text), Some("  "));
        assert_eq!(round_trip(&fields, Some("  ")), text);
        assert_eq!(
            round_trip(&fields, None),
            "{\"title\": \"a \\\"quoted\\\" \\\\ line\\n\", \"n\": 1.0, \"big\": 123456789012345678901234567890, \"tags\": [\"x\", {\"k\": null}], \"empty\": {}, \"ok\": true}"
        );
        round_trip(&fields, Some("\t"));
    }

    #[test]
    fn non_finite_numbers_are_an_error() {
        let mut fields = Map::default();
        fields.insert("x".into(), Value::Number(Number::from_f64(f64::NAN)));
        let error = write_fields(&fields, None, &Record::default()).unwrap_err();
        assert!(error.to_string().contains("field `x` is nan"), "{error}");
    }
}
