//! TOML front matter (`+++`, Hugo's and Zola's), read, written and edited with
//! toml_edit, which keeps a document's formatting: an in-place edit changes only the
//! lines of the fields it touches.
//!
//! TOML maps onto the record model exactly:
//!
//! | TOML | record |
//! |---|---|
//! | string | string |
//! | integer (`42`, `+42`, `1_000`, `0xff`) | integer, its text when that is JSON's (`42`), else its decimal value |
//! | float (`1.0`, `1e3`, `inf`, `nan`) | float with its text (`1.0` stays `1.0`; `_` and a leading `+` dropped) |
//! | offset or local date-time, local date, local time | string, exactly as written (`1979-05-27 07:32:00Z`) |
//! | boolean | bool |
//! | array | list |
//! | table, inline table, dotted keys, array of tables | map, list of maps, in source order |
//!
//! Writing goes the other way; a string that is a TOML date or time written the same
//! way becomes a date or time again. `null` has no TOML form: writing one is an error
//! naming the record and the field. A map is written as a `[table]` (a list of maps as
//! `[[tables]]`) when only tables follow it, so the key order survives; otherwise inline.

use std::path::Path;
use std::sync::Arc;

use recast_model::{Error, Location, Map, Number, Record, Result, Value};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table};

/// Reads TOML front matter into fields; `first_line` is the file line it starts on.
pub(crate) fn read_fields(front: &str, file: Option<&Arc<Path>>, first_line: u64) -> Result<Map> {
    let document = front.parse::<DocumentMut>().map_err(|e| {
        let (line, column) = match e.span() {
            Some(span) => recast_model::line_column(front.as_bytes(), span.start),
            None => (1, 1),
        };
        Error::syntax(
            Location::new(file.cloned(), line + first_line - 1, column),
            format!("TOML front matter: {}", e.message().trim_end()),
        )
    })?;
    Ok(table_fields(document.as_table()))
}

fn table_fields(table: &Table) -> Map {
    table
        .iter()
        .filter_map(|(key, item)| Some((key.to_owned(), item_value(item)?)))
        .collect()
}

fn item_value(item: &Item) -> Option<Value> {
    match item {
        Item::None => None,
        Item::Value(value) => Some(value_of(value)),
        Item::Table(table) => Some(Value::Map(table_fields(table))),
        Item::ArrayOfTables(tables) => Some(Value::List(
            tables.iter().map(|t| Value::Map(table_fields(t))).collect(),
        )),
    }
}

/// The record value of one TOML value.
pub(crate) fn value_of(value: &toml_edit::Value) -> Value {
    match value {
        toml_edit::Value::String(s) => Value::String(s.value().clone()),
        toml_edit::Value::Integer(i) => Value::Number(integer(&i.display_repr(), *i.value())),
        toml_edit::Value::Float(f) => Value::Number(float(&f.display_repr(), *f.value())),
        toml_edit::Value::Boolean(b) => Value::Bool(*b.value()),
        toml_edit::Value::Datetime(d) => Value::String(d.display_repr().into_owned()),
        toml_edit::Value::Array(items) => Value::List(items.iter().map(value_of).collect()),
        toml_edit::Value::InlineTable(table) => Value::Map(
            table
                .iter()
                .map(|(key, value)| (key.to_owned(), value_of(value)))
                .collect(),
        ),
    }
}

/// An integer's text when JSON would write it the same; else its decimal value.
fn integer(text: &str, value: i64) -> Number {
    Number::parse(text)
        .filter(Number::is_integer)
        .unwrap_or_else(|| Number::from(value))
}

/// A float's text without TOML's `_` and leading `+`; `inf` and `nan` as recast writes them.
fn float(text: &str, value: f64) -> Number {
    if !value.is_finite() {
        return Number::from_f64(value);
    }
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    let plain = plain.strip_prefix('+').unwrap_or(&plain);
    Number::parse_yaml(plain).unwrap_or_else(|| Number::from_f64(value))
}

/// The front matter of `record` (its `body` left out) as TOML text, ending in a line
/// break unless empty.
pub(crate) fn write_fields(fields: &Map, record: &Record) -> Result<String> {
    let mut document = DocumentMut::new();
    fill_table(document.as_table_mut(), fields, &FieldPath::new(record))?;
    Ok(document.to_string())
}

/// Where a value sits, for errors: the record and the dotted field path.
struct FieldPath<'r> {
    record: &'r Record,
    field: Vec<String>,
}

impl<'r> FieldPath<'r> {
    fn new(record: &'r Record) -> FieldPath<'r> {
        FieldPath {
            record,
            field: Vec::new(),
        }
    }

    fn child(&self, key: &str) -> FieldPath<'r> {
        let mut field = self.field.clone();
        field.push(key.to_owned());
        FieldPath {
            record: self.record,
            field,
        }
    }

    fn error(&self, what: &str) -> Error {
        let origin = &self.record.origin;
        Error::data(
            Location::new(origin.file.clone(), origin.line, 1),
            format!(
                "field `{}` {what}, which TOML cannot hold; expected a string, number, bool, date, list or table",
                self.field.join(".")
            ),
        )
    }
}

/// Fills `table` with `fields`: maps and lists of maps become `[tables]` and
/// `[[tables]]` when only such fields follow them (TOML writes a table's plain keys
/// before its subtables, so an earlier subtable would move); the rest inline.
fn fill_table(table: &mut Table, fields: &Map, path: &FieldPath<'_>) -> Result<()> {
    let first_of_tail = fields
        .values()
        .rposition(|v| !is_table_like(v))
        .map_or(0, |last_plain| last_plain + 1);
    for (index, (key, value)) in fields.iter().enumerate() {
        let path = path.child(key);
        let item = match value {
            Value::Map(map) if index >= first_of_tail => {
                let mut sub = Table::new();
                fill_table(&mut sub, map, &path)?;
                Item::Table(sub)
            }
            Value::List(items) if index >= first_of_tail => {
                let mut tables = ArrayOfTables::new();
                for item in items {
                    let mut sub = Table::new();
                    fill_table(&mut sub, item.as_map().unwrap_or(&Map::default()), &path)?;
                    tables.push(sub);
                }
                Item::ArrayOfTables(tables)
            }
            _ => Item::Value(toml_value(value, &path)?),
        };
        table.insert(key, item);
    }
    Ok(())
}

fn is_table_like(value: &Value) -> bool {
    match value {
        Value::Map(_) => true,
        Value::List(items) => !items.is_empty() && items.iter().all(|v| v.as_map().is_some()),
        _ => false,
    }
}

/// One record value as an inline TOML value.
fn toml_value(value: &Value, path: &FieldPath<'_>) -> Result<toml_edit::Value> {
    Ok(match value {
        Value::Null => return Err(path.error("is null")),
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => number(n).ok_or_else(|| {
            path.error(&format!(
                "is the number {}, out of TOML's range",
                n.as_str()
            ))
        })?,
        Value::String(s) => datetime(s).unwrap_or_else(|| s.as_str().into()),
        Value::List(items) => {
            let mut array = Array::new();
            for (index, item) in items.iter().enumerate() {
                array.push(toml_value(item, &path.child(&index.to_string()))?);
            }
            toml_edit::Value::Array(array)
        }
        Value::Map(map) => {
            let mut table = InlineTable::new();
            for (key, item) in map {
                table.insert(key, toml_value(item, &path.child(key))?);
            }
            toml_edit::Value::InlineTable(table)
        }
    })
}

/// A number as TOML, its text kept (`1.0`, `1e3`; recast's `inf`, `-inf` and `nan` are
/// TOML's too); `None` past TOML's 64-bit integers.
fn number(n: &Number) -> Option<toml_edit::Value> {
    let value = n.as_str().parse::<toml_edit::Value>().ok()?;
    let same_kind = match &value {
        toml_edit::Value::Integer(_) => n.is_integer(),
        toml_edit::Value::Float(f) => !n.is_integer() && (f.value().is_finite() == n.is_finite()),
        _ => false,
    };
    same_kind.then_some(value)
}

/// A string that is a TOML date or time written exactly so, as that date or time.
fn datetime(s: &str) -> Option<toml_edit::Value> {
    // Dates start with a digit; anything else is not worth a parse.
    if !s.starts_with(|c: char| c.is_ascii_digit()) || s.len() > 40 {
        return None;
    }
    match s.parse::<toml_edit::Value>() {
        Ok(value @ toml_edit::Value::Datetime(_)) if value.to_string() == s => Some(value),
        _ => None,
    }
}

/// `front` (TOML front matter read as `old`) edited to hold `new`'s fields: unchanged
/// fields keep their text, comments and place; changed ones are written anew in place;
/// new ones go after the last plain key of their table (a `--set` adds one line).
pub(crate) fn edit_fields(front: &str, old: &Map, new: &Map, record: &Record) -> Result<String> {
    let mut document = front.parse::<DocumentMut>().map_err(|e| {
        FieldPath::new(record).error(&format!("no longer parses ({})", e.message()))
    })?;
    edit_table(document.as_table_mut(), old, new, &FieldPath::new(record))?;
    Ok(document.to_string())
}

fn edit_table(table: &mut Table, old: &Map, new: &Map, path: &FieldPath<'_>) -> Result<()> {
    let removed: Vec<String> = old
        .keys()
        .filter(|key| !new.contains_key(*key))
        .cloned()
        .collect();
    for key in removed {
        table.remove(&key);
    }
    for (key, value) in new {
        let path = path.child(key);
        match old.get(key) {
            Some(before) if recast_model::strict_eq(before, value) => {}
            // A table edited inside keeps its header and the untouched keys.
            Some(Value::Map(before)) if matches!(table.get(key), Some(Item::Table(_))) => {
                if let (Value::Map(after), Some(Item::Table(sub))) = (value, table.get_mut(key)) {
                    edit_table(sub, before, after, &path)?;
                } else {
                    table.insert(key, Item::Value(toml_value(value, &path)?));
                }
            }
            Some(_) => match table.get_mut(key) {
                Some(Item::Value(slot)) => {
                    let decor = slot.decor().clone();
                    *slot = toml_value(value, &path)?;
                    *slot.decor_mut() = decor;
                }
                _ => {
                    table.insert(key, Item::Value(toml_value(value, &path)?));
                }
            },
            None => {
                table.insert(key, Item::Value(toml_value(value, &path)?));
            }
        }
    }
    // Renames and moves: the record's order wins (the caller checks the read-back).
    let order: Vec<&String> = new.keys().collect();
    table.sort_values_by(|a, _, b, _| {
        let rank = |key: &str| order.iter().position(|k| k.as_str() == key);
        rank(a.get()).cmp(&rank(b.get()))
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Map {
        read_fields(text, None, 2).unwrap()
    }

    fn write(fields: &Map) -> String {
        write_fields(fields, &Record::default()).unwrap()
    }

    fn num(text: &str) -> Value {
        Value::Number(Number::parse(text).unwrap())
    }

    #[test]
    fn dates_of_all_four_kinds_stay_as_written() {
        let text = "odt = 1979-05-27T07:32:00-08:00\nspace = 1979-05-27 07:32:00Z\nldt = 1979-05-27T07:32:00.999\nld = 1979-05-27\nlt = 07:32:00\n";
        let fields = read(text);
        let strings: Vec<&str> = fields.values().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(
            strings,
            [
                "1979-05-27T07:32:00-08:00",
                "1979-05-27 07:32:00Z",
                "1979-05-27T07:32:00.999",
                "1979-05-27",
                "07:32:00"
            ]
        );
        // Written back as dates, not quoted strings.
        assert_eq!(write(&fields), text);
    }

    #[test]
    fn numbers_keep_their_text() {
        let fields = read(
            "a = 1.0\nb = 1e3\nc = 9223372036854775807\nd = -9223372036854775808\ne = 1_000\nf = +5\ng = 0xff\nh = 1_000.5\ni = +1.5\n",
        );
        let expected = [
            num("1.0"),
            num("1e3"),
            num("9223372036854775807"),
            num("-9223372036854775808"),
            num("1000"),
            num("5"),
            num("255"),
            num("1000.5"),
            num("1.5"),
        ];
        assert_eq!(fields.values().cloned().collect::<Vec<_>>(), expected);
        assert_eq!(fields["a"].type_name(), "float");
        assert_eq!(
            write(&fields),
            "a = 1.0\nb = 1e3\nc = 9223372036854775807\nd = -9223372036854775808\ne = 1000\nf = 5\ng = 255\nh = 1000.5\ni = 1.5\n"
        );
        // Past 64 bits is a TOML syntax error, as the spec says.
        assert!(read_fields("big = 9223372036854775808\n", None, 2).is_err());
    }

    #[test]
    fn inf_and_nan() {
        let fields = read("a = inf\nb = -inf\nc = nan\nd = +inf\n");
        let texts: Vec<&str> = fields
            .values()
            .map(|v| v.as_number().unwrap().as_str())
            .collect();
        assert_eq!(texts, ["inf", "-inf", "nan", "inf"]);
        assert_eq!(read(&write(&fields)), fields);
    }

    #[test]
    fn tables_keep_key_order_and_nest() {
        let text = "title = \"x\"\nzeta = 1\nalpha = 2\n\n[taxonomies]\ntags = [\"a\", \"b\"]\ncategories = [\"c\"]\n\n[extra.deep]\nk = { z = 1, a = [1, { b = 2 }] }\n";
        let fields = read(text);
        assert_eq!(
            fields.keys().collect::<Vec<_>>(),
            ["title", "zeta", "alpha", "taxonomies", "extra"]
        );
        let extra = fields["extra"].as_map().unwrap()["deep"].as_map().unwrap();
        let k = extra["k"].as_map().unwrap();
        assert_eq!(k.keys().collect::<Vec<_>>(), ["z", "a"]);
        assert_eq!(read(&write(&fields)), fields);
    }

    #[test]
    fn arrays_of_tables() {
        let fields = read("[[author]]\nname = \"A\"\n\n[[author]]\nname = \"B\"\nmail = \"b@x\"\n");
        let authors = fields["author"].as_list().unwrap();
        assert_eq!(authors.len(), 2);
        assert_eq!(authors[1].as_map().unwrap()["mail"], Value::from("b@x"));
        let written = write(&fields);
        assert!(written.contains("[[author]]"), "{written}");
        assert_eq!(read(&written), fields);
    }

    #[test]
    fn quoted_keys_with_dots_stay_one_key() {
        let fields = read("\"a.b\" = 1\nc.d = 2\n'e f' = 3\n");
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["a.b", "c", "e f"]);
        assert_eq!(fields["c"].as_map().unwrap()["d"], num("2"));
        assert_eq!(read(&write(&fields)), fields);
    }

    #[test]
    fn a_table_before_a_plain_key_is_written_inline() {
        let mut fields = Map::default();
        let mut inner = Map::default();
        inner.insert("k".into(), Value::from("v"));
        fields.insert("map".into(), Value::Map(inner));
        fields.insert("after".into(), Value::from("x"));
        let written = write(&fields);
        assert_eq!(written, "map = { k = \"v\" }\nafter = \"x\"\n");
        assert_eq!(read(&written), fields);
    }

    #[test]
    fn mixed_lists_are_fine_and_null_is_an_error() {
        let mut fields = Map::default();
        let mut inner = Map::default();
        inner.insert("k".into(), num("1"));
        fields.insert(
            "mixed".into(),
            Value::List(vec![num("1"), Value::Map(inner)]),
        );
        assert_eq!(read(&write(&fields)), fields);
        let mut deep = Map::default();
        deep.insert("gone".into(), Value::Null);
        fields.insert("extra".into(), Value::Map(deep));
        let error = write_fields(&fields, &Record::default()).unwrap_err();
        assert!(
            error.to_string().contains("field `extra.gone` is null"),
            "{error}"
        );
    }

    #[test]
    fn an_edit_changes_only_its_lines() {
        let text = "title = \"x\"  # kept\ndate = 2020-01-01\n\n[taxonomies]\ntags = [\"a\"]\n";
        let old = read(text);
        let mut new = old.clone();
        new.insert("x".into(), num("1"));
        new.move_index(new.len() - 1, 2);
        let edited = edit_fields(text, &old, &new, &Record::default()).unwrap();
        assert_eq!(
            edited,
            "title = \"x\"  # kept\ndate = 2020-01-01\nx = 1\n\n[taxonomies]\ntags = [\"a\"]\n"
        );
        let mut changed = old.clone();
        changed.insert("title".into(), Value::from("y"));
        let edited = edit_fields(text, &old, &changed, &Record::default()).unwrap();
        assert_eq!(edited, text.replace("\"x\"", "\"y\""));
    }
}
