//! The exact output of the writers.

use crate::common;

use common::*;
use recast_json::{JsonLinesWriter, JsonWriter, Spacing, parse_value, to_json_string};
use recast_model::{ErrorKind, Map, Number, Origin, Record, RecordWriter, Value};

fn record(json: &str) -> Record {
    match parse_value(json).unwrap() {
        Value::Map(fields) => Record::new(fields, Origin::default()),
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn no_records_make_an_empty_array() {
    assert_eq!(write_json(&[]), b"[]\n");
    assert_eq!(write_jsonl(&[], Spacing::Compact), b"");
}

#[test]
fn the_pretty_array_is_indented_two_spaces() {
    let records = [
        record(
            r#"{"title": "A", "tags": ["x", "y"], "provider": {"name": "N"}, "empty": [], "none": {}, "n": 1.0}"#,
        ),
        record(r#"{}"#),
    ];
    let expected = r#"[
  {
    "title": "A",
    "tags": [
      "x",
      "y"
    ],
    "provider": {
      "name": "N"
    },
    "empty": [],
    "none": {},
    "n": 1.0
  },
  {}
]
"#;
    assert_eq!(String::from_utf8(write_json(&records)).unwrap(), expected);
}

#[test]
fn json_lines_are_compact_or_spaced() {
    let records = [
        record(r#"{"a": [1, {"b": null}], "c": "d"}"#),
        record(r#"{"e": true}"#),
    ];
    assert_eq!(
        String::from_utf8(write_jsonl(&records, Spacing::Compact)).unwrap(),
        "{\"a\":[1,{\"b\":null}],\"c\":\"d\"}\n{\"e\":true}\n"
    );
    assert_eq!(
        String::from_utf8(write_jsonl(&records, Spacing::Spaced)).unwrap(),
        "{\"a\": [1, {\"b\": null}], \"c\": \"d\"}\n{\"e\": true}\n"
    );
}

#[test]
fn strings_escape_only_what_json_requires() {
    let value = Value::from(
        "quote \" backslash \\ slash / tab \t nl \n cr \r bell \u{7} nul \u{0} del \u{7f} é 😀 \u{2028}",
    );
    assert_eq!(
        to_json_string(&value, false).unwrap(),
        "\"quote \\\" backslash \\\\ slash / tab \\t nl \\n cr \\r bell \\u0007 nul \\u0000 del \u{7f} é 😀 \u{2028}\""
    );
    let mut fields = Map::default();
    fields.insert("ke\"y\u{1f}".into(), Value::from("\u{8}\u{c}"));
    assert_eq!(
        to_json_string(&Value::Map(fields), false).unwrap(),
        r#"{"ke\"y\u001f":"\b\f"}"#
    );
}

#[test]
fn numbers_are_written_as_their_text() {
    let texts = [
        "1.0",
        "-0.0",
        "12345678901234567890123",
        "-9223372036854775808",
        "18446744073709551615",
        "1.5e300",
        "1E-7",
    ];
    let list = Value::List(
        texts
            .iter()
            .map(|t| Value::Number(Number::parse(t).unwrap()))
            .collect(),
    );
    assert_eq!(
        to_json_string(&list, false).unwrap(),
        format!("[{}]", texts.join(","))
    );
}

#[test]
fn non_finite_numbers_are_refused_naming_the_record_and_field() {
    let good = record(r#"{"title": "ok"}"#);
    let mut bad = record(r#"{"title": "bad", "stats": {"scores": [1, 2]}}"#);
    bad.origin = Origin::new(file("in.yaml"), 12);
    if let Some(Value::Map(stats)) = bad.fields.get_mut("stats") {
        stats.insert(
            "scores".into(),
            Value::List(vec![Value::Number(Number::from_f64(f64::NAN))]),
        );
    }
    let mut out = Vec::new();
    let mut writer = JsonWriter::new(&mut out, Default::default());
    writer.write_record(&good).unwrap();
    let error = writer.write_record(&bad).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Data);
    assert_eq!(
        error.to_string(),
        "in.yaml:12 (record 2): field \"stats.scores.0\" is the number nan, which JSON cannot carry; expected a finite number"
    );
    // Nothing of the refused record was written; the array still closes.
    writer.write_record(&good).unwrap();
    writer.finish().unwrap();
    let back = all_ok(read_json(&out));
    assert_eq!(back, [good.clone(), good.clone()]);

    let mut out = Vec::new();
    let mut writer = JsonLinesWriter::new(&mut out, Default::default());
    let mut infinite = good.clone();
    infinite
        .fields
        .insert("x".into(), Value::Number(Number::from_f64(f64::INFINITY)));
    let error = writer.write_record(&infinite).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("(record 1): field \"x\" is the number inf"),
        "{error}"
    );
    writer.finish().unwrap();
    assert!(out.is_empty());

    let error =
        to_json_string(&Value::Number(Number::from_f64(f64::NEG_INFINITY)), true).unwrap_err();
    assert!(
        error.message.contains("the value is the number -inf"),
        "{error}"
    );
}

#[test]
fn the_body_is_an_ordinary_field_and_order_is_kept() {
    let mut r = record(r#"{"z": 1, "a": 2}"#);
    r.set_body("# Title\n\nText.\n".into());
    r.fields.insert("m".into(), Value::Null);
    assert_eq!(
        String::from_utf8(write_jsonl(&[r], Spacing::Compact)).unwrap(),
        "{\"z\":1,\"a\":2,\"body\":\"# Title\\n\\nText.\\n\",\"m\":null}\n"
    );
}

#[test]
fn big_outputs_are_flushed_in_pieces_and_finish_flushes_the_rest() {
    struct Counting {
        writes: usize,
        bytes: Vec<u8>,
        flushed: bool,
    }
    impl std::io::Write for Counting {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.writes += 1;
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.flushed = true;
            Ok(())
        }
    }
    let r = record(r#"{"title": "A reasonably long title for a record", "n": 1}"#);
    let mut writer = JsonWriter::new(
        Counting {
            writes: 0,
            bytes: Vec::new(),
            flushed: false,
        },
        Default::default(),
    );
    for _ in 0..5000 {
        writer.write_record(&r).unwrap();
    }
    writer.finish().unwrap();
    let out = writer.into_inner();
    assert!(out.flushed);
    assert!(out.writes < 20, "{} writes", out.writes);
    assert_eq!(all_ok(read_json(&out.bytes)).len(), 5000);
}

#[test]
fn write_errors_are_io_errors() {
    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut writer = JsonLinesWriter::new(Full, Default::default());
    writer.write_record(&record("{}")).unwrap();
    let error = writer.finish().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Io);
    // The operating system's text is the error's source, printed with the chain.
    assert!(format!("{error:#}").contains("disk full"));
    let source = std::error::Error::source(&error).expect("the io::Error");
    assert_eq!(source.to_string(), "disk full");
}
