//! Sheets whose dotted columns another tool wrote, read back exactly as before the
//! reader reached a map's key by its position (crates/csv/src/nest.rs): Miller numbers
//! list items from 1 (`topics.1`), interleaves a map's columns with others (`topics.1`,
//! `related`, `topics.2`) and writes a record's absent fields as empty cells, so a key
//! can come first in one row and later in the next.

use recast_csv::CsvReader;
use recast_model::{Record, Value};

/// A value as JSON text, keys in the record's order and numbers as spelled.
fn json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Value::Number(n.as_str().parse().expect("a number")),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(json).collect()),
        Value::Map(map) => {
            serde_json::Value::Object(map.iter().map(|(k, v)| (k.clone(), json(v))).collect())
        }
    }
}

fn line(record: &Record) -> String {
    json(&Value::Map(record.fields.clone())).to_string()
}

fn read(sheet: &str) -> Vec<Result<String, String>> {
    CsvReader::new(sheet.as_bytes(), None)
        .map(|r| r.map(|record| line(&record)).map_err(|e| e.to_string()))
        .collect()
}

#[test]
fn miller_numbered_and_interleaved_columns_read_as_they_always_did() {
    let sheet = "category,topics.1,related,secured,topics.2,related.1.title,\
                 related.1.provider.name,a.x,b,a.y,images.2.url,images.1.url,topics,x.1,x,\
                 related.2.title,n.0.k\n\
                 news,NLP,[],s1,,,,,1,2,u2,,,,,,\n\
                 news,AI,,s2,ML,T1,P1,3,,,,u1,,,,T2,v\n\
                 blog,,,,,,,,,,,,[],{},,,\n\
                 blog,,,,,,,,true,,,,,,7,,\n";
    let expected = [
        r#"{"category":"news","topics":[null,"NLP"],"related":[],"secured":"s1","b":1,"a":{"y":2},"images":[null,null,{"url":"u2"}]}"#,
        r#"{"category":"news","topics":[null,"AI","ML"],"secured":"s2","related":[null,{"title":"T1","provider":{"name":"P1"}},{"title":"T2"}],"a":{"x":3},"images":[null,{"url":"u1"}],"n":[{"k":"v"}]}"#,
        r#"{"category":"blog","topics":[],"x":[null,{}]}"#,
        r#"{"category":"blog","b":true,"x":7}"#,
    ];
    let read = read(sheet);
    assert_eq!(read.len(), expected.len());
    for (got, want) in read.iter().zip(expected) {
        assert_eq!(got.as_deref(), Ok(want));
    }
}

#[test]
fn a_path_met_twice_in_a_row_is_the_same_error_as_before() {
    let read = read("x.1,x,related,related.1.title,k\n5,7,,,a\n,,{},T,b\n,,,,c\n");
    assert_eq!(read.len(), 3);
    let first = read[0].as_ref().unwrap_err();
    assert!(
        first.contains("column `x`: a second value for a field that already holds a list"),
        "{first}"
    );
    let second = read[1].as_ref().unwrap_err();
    assert!(
        second.contains("column `related.1.title`: a list item inside a map"),
        "{second}"
    );
    // A failed row leaves nothing behind for the next.
    assert_eq!(read[2].as_deref(), Ok(r#"{"k":"c"}"#));
}
