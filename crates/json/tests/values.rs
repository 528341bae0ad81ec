//! What the readers make of values: exact numbers, unescaped strings, ordered keys.

use crate::common;

use common::*;
use recast_json::{JsonReader, parse_value};
use recast_model::Value;

#[test]
fn numbers_keep_their_text_and_kind() {
    let cases = [
        ("1.0", "float"),
        ("-0.0", "float"),
        ("0", "integer"),
        ("-0", "integer"),
        ("12345678901234567890123", "integer"),
        ("-9223372036854775808", "integer"),
        ("18446744073709551615", "integer"),
        ("1.5e300", "float"),
        ("1E+2", "float"),
        ("1e400", "float"),
    ];
    for (text, kind) in cases {
        let value = parse_value(text).unwrap();
        assert_eq!(value.as_number().map(|n| n.as_str()), Some(text));
        assert_eq!(value.type_name(), kind, "{text}");
    }
    let records = all_ok(read_json(b"[{\"a\": 1.10, \"b\": \"1.10\", \"c\": -1e-7}]"));
    assert_eq!(records[0].fields["a"].to_string(), "1.10");
    assert_eq!(records[0].fields["b"], Value::from("1.10"));
    assert_eq!(records[0].fields["c"].to_string(), "-1e-7");
}

#[test]
fn strings_are_fully_unescaped() {
    let value =
        parse_value(r#""q\" b\\ s\/ \b\f\n\r\t \u0041\u00e9\u20AC\uD83D\uDE00 \u0000""#).unwrap();
    assert_eq!(
        value.as_str(),
        Some("q\" b\\ s/ \u{8}\u{c}\n\r\t Aé€😀 \u{0}")
    );
    // Escapes split over the reader's buffer boundary still decode.
    let long = format!("{}\\uD83D\\uDE00", "x".repeat(64 * 1024 - 5));
    let value = parse_value(&format!("\"{long}\"")).unwrap();
    assert!(value.as_str().unwrap().ends_with("x😀"));
}

#[test]
fn key_order_is_kept_and_a_top_level_object_is_one_record() {
    let records = all_ok(read_json(b"{\"z\": 1, \"a\": {\"y\": 1, \"b\": 2}}"));
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].fields.keys().collect::<Vec<_>>(), ["z", "a"]);
    let inner = records[0].fields["a"].as_map().unwrap();
    assert_eq!(inner.keys().collect::<Vec<_>>(), ["y", "b"]);
}

#[test]
fn whitespace_bom_and_crlf_are_accepted() {
    let text = b"\xEF\xBB\xBF\r\n[\r\n\t{ \"a\" : 1 } ,\r\n {}\r\n]\r\n\n";
    let records = all_ok(read_json(text));
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].origin.line, 4);
    let records = all_ok(read_jsonl(
        b"\xEF\xBB\xBF{\"a\": 1}\r\n\r\n  {\"b\": 2}  \r\n",
    ));
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].origin.line, 3);
    // An error's column does not count the byte order mark.
    let error = JsonReader::new(&b"\xEF\xBB\xBF[x]"[..], None)
        .next()
        .unwrap()
        .unwrap_err();
    assert!(error.to_string().starts_with("<stdin>:1:2 "), "{error}");
}

#[test]
fn empty_input_has_no_records() {
    assert!(read_json(b"").is_empty());
    assert!(read_json(b" \n\t ").is_empty());
    assert!(read_json(b"[]").is_empty());
    assert!(read_jsonl(b"\n\n").is_empty());
}

#[test]
fn columns_count_characters_not_bytes() {
    let error = read_json("[{\"é€😀\": x}]".as_bytes())
        .remove(0)
        .unwrap_err();
    assert!(error.to_string().starts_with("<stdin>:1:10 "), "{error}");
}

#[test]
fn concatenated_top_level_values_are_read_in_turn() {
    let text = b"{\"a\": 1}\n{\"b\": 2} {\"c\": 3}\n[{\"d\": 4}, {\"e\": 5}]\n";
    let records = all_ok(read_json(text));
    let keys: Vec<&str> = records
        .iter()
        .map(|r| r.fields.keys().next().unwrap().as_str())
        .collect();
    assert_eq!(keys, ["a", "b", "c", "d", "e"]);
    assert_eq!(records[2].origin.line, 2);
    // A scalar after them is still an error.
    let results = read_json(b"{\"a\": 1} 2");
    assert!(results[0].is_ok());
    let error = results[1].as_ref().unwrap_err();
    let expected = "expected an array of objects or an object at the top level, found a number";
    assert!(error.to_string().contains(expected), "{error}");
    let results = read_json(b"{\"a\": 1} x");
    let error = results[1].as_ref().unwrap_err();
    let expected = "<stdin>:1:10: expected end of input after the top-level value, found 'x'";
    assert_eq!(error.to_string(), expected);
}

#[test]
fn readers_and_writers_can_move_to_worker_threads() {
    // The CLI boxes readers as `dyn RecordReader + Send`.
    fn send<T: Send>(_: &T) {}
    let input: Box<dyn std::io::BufRead + Send> = Box::new(&b"[]"[..]);
    send(&recast_json::JsonReader::new(input, None));
    send(&recast_json::JsonLinesReader::new(&b""[..], None));
    send(&recast_json::JsonWriter::new(
        Vec::new(),
        Default::default(),
    ));
    send(&recast_json::JsonLinesWriter::new(
        Vec::new(),
        Default::default(),
    ));
}

/// Keys that look like the one read before at their place (a prefix, a longer key,
/// the same text escaped, a duplicate) read as a fresh parser reads them.
#[test]
fn repeated_keys_read_as_fresh_keys() {
    let lines = [
        r#"{"ab":1,"n":{"x":1,"y":2}}"#,
        r#"{"ab":1,"n":{"x":1,"y":2}}"#,
        r#"{"a":1,"n":{"x":1}}"#,
        r#"{"abc":1,"n":{"xy":1,"y":2,"z":3}}"#,
        r#"{"a\u0062":1,"n":{"x":1,"y":2}}"#,
        r#"{"ab":1,"n":{"x":1,"x":2}}"#,
        r#"{"ab":1,"n":{"x\"":1,"y":2}}"#,
        r#"{"ab":1,"n":{"x":1,"y":2}}"#,
        r#"{"":1,"ab":{"":2}}"#,
        r#"{"":1,"ab":{"":2}}"#,
        "{\"caf\u{e9}\":1,\"ab\":2}",
        "{\"caf\u{e9}\":1,\"ab\":2}",
    ];
    let text = lines.join("\n");
    let read: Vec<_> = recast_json::JsonLinesReader::new(text.as_bytes(), None).collect();
    assert_eq!(read.len(), lines.len());
    for (line, got) in lines.iter().zip(read) {
        match (parse_value(line), got) {
            (Ok(Value::Map(want)), Ok(record)) => assert_eq!(record.fields, want, "{line}"),
            (Err(want), Err(got)) => assert_eq!(got.message, want.message, "{line}"),
            (want, got) => panic!("{line}: {want:?} against {got:?}"),
        }
    }
}
