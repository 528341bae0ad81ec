//! Bad input: every error says where it is and what was expected, and the readers go
//! on where they can.

use crate::common;

use std::time::{Duration, Instant};

use common::*;
use recast_json::{JsonLinesReader, JsonReadOptions, JsonReader, parse_value};
use recast_model::{Error, ErrorKind, Record, Result};

fn errors(results: &[Result<Record>]) -> Vec<&Error> {
    results.iter().filter_map(|r| r.as_ref().err()).collect()
}

fn only_error(results: Vec<Result<Record>>) -> Error {
    let errors: Vec<Error> = results.into_iter().filter_map(|r| r.err()).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.into_iter().next().unwrap()
}

fn json_error(text: &str) -> Error {
    only_error(JsonReader::new(text.as_bytes(), file("in.json")).collect())
}

#[test]
fn a_truncated_array_says_what_was_expected() {
    let results = read_json(b"[\n  {\"title\": \"A\"},\n  {\"title\": \"B\"}");
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    let error = results[2].as_ref().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Syntax);
    assert_eq!(
        error.to_string(),
        "<stdin>:3:17: expected ',' or ']' after an array element, found end of input"
    );

    let error = json_error("[{\"a\": 1},");
    assert!(error.to_string().contains("expected a value"), "{error}");
    assert!(error.to_string().ends_with("found end of input"), "{error}");
}

#[test]
fn a_truncated_object_says_what_was_expected() {
    let error = json_error("[{\"title\": \"A\", \"n\": 1");
    assert_eq!(error.kind, ErrorKind::Syntax);
    assert_eq!(
        error.to_string(),
        "in.json:1:23 (record 1): expected ',' or '}' after an object member, found end of input"
    );
    let error = json_error("[{\"title\": \"unterminated");
    assert!(
        error
            .to_string()
            .contains("expected '\"' to close the string"),
        "{error}"
    );
    let error = json_error("{\"title\"");
    assert!(
        error
            .to_string()
            .contains("expected ':' after an object key, found end of input")
    );
    let error = json_error("[{\"a\": \"\\u12");
    assert!(
        error.to_string().contains("expected four hex digits"),
        "{error}"
    );
}

#[test]
fn bad_tokens_are_named() {
    let cases = [
        ("[{\"a\": tru}]", "1:8", "found 'tru'"),
        ("[{\"a\": True}]", "1:8", "found 'True'"),
        ("[{\"a\": NaN}]", "1:8", "found 'NaN'"),
        ("[{\"a\": 01}]", "1:8", "invalid number '01'"),
        ("[{\"a\": 1.}]", "1:8", "invalid number '1.'"),
        ("[{\"a\": -Infinity}]", "1:8", "invalid number '-Infinity'"),
        ("[{\"a\": 'x'}]", "1:8", "found '''"),
        ("[{a: 1}]", "1:3", "expected a string key or '}', found 'a'"),
        ("[{\"a\": 1,}]", "1:10", "expected a string key after ','"),
        ("[{\"a\": [1,]}]", "1:11", "expected a value"),
        ("[{\"a\": \"\\x\"}]", "1:10", "expected an escape character"),
        (
            "[{\"a\": \"tab\there\"}]",
            "1:12",
            "control character U+0009 inside a string",
        ),
        (
            "[{\"a\": 1} {\"b\": 2}]",
            "1:11",
            "expected ',' or ']' after an array element, found '{'",
        ),
    ];
    for (text, at, message) in cases {
        let error = json_error(text);
        assert_eq!(error.kind, ErrorKind::Syntax, "{text}: {error}");
        let shown = error.to_string();
        assert!(
            shown.starts_with(&format!("in.json:{at}")),
            "{text}: {shown}"
        );
        assert!(shown.contains(message), "{text}: {shown}");
    }
}

#[test]
fn items_that_are_not_objects_are_skipped_with_an_error() {
    let results = read_json(b"[{\"a\": 1},\n 42, \"x\", [1], null, {\"b\": 2}]");
    assert_eq!(results.len(), 6);
    assert!(results[0].is_ok() && results[5].is_ok());
    let errors = errors(&results);
    assert_eq!(errors.len(), 4);
    assert!(errors.iter().all(|e| e.kind == ErrorKind::Data));
    assert_eq!(
        errors[0].to_string(),
        "<stdin>:2:2 (record 2): expected an object (a record), found a number"
    );
    assert!(errors[2].to_string().contains("found an array"));

    let error = json_error("\"just a string\"");
    assert_eq!(error.kind, ErrorKind::Data);
    assert!(
        error
            .to_string()
            .contains("expected an array of objects or an object at the top level")
    );
}

#[test]
fn invalid_utf8_is_an_encoding_error_with_line_and_column() {
    let results = read_json(b"[{\"a\": \"ok\"},\n {\"b\": \"caf\xC3\xA9 \xFF\"}]");
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Encoding);
    assert_eq!(
        error.to_string(),
        "<stdin>:2:14 (record 2): invalid UTF-8 (byte 0xFF); expected UTF-8 text"
    );
    // A truncated character before the closing quote, a bad byte outside strings,
    // and one in a key.
    for text in [
        &b"[{\"a\": \"\xC3\"}]"[..],
        b"[{\"a\": 1}\xFF]",
        b"{\"\xE2\x82\": 1}",
    ] {
        assert_eq!(only_error(read_json(text)).kind, ErrorKind::Encoding);
    }
    let error = only_error(read_jsonl(b"{\"a\": 1}\n{\"a\": \"\xF0\x9F\x98\"}\n"));
    assert_eq!(error.kind, ErrorKind::Encoding);
    assert!(error.to_string().starts_with("<stdin>:2:8"), "{error}");
}

#[test]
fn lone_surrogates_are_refused_and_pairs_decoded() {
    let records = all_ok(read_json(br#"[{"a": "\ud83d\ude00 \u00e9\u20ac\/"}]"#));
    assert_eq!(records[0].fields["a"].as_str(), Some("😀 é€/"));
    for text in [
        r#"{"a": "\ud800"}"#,
        r#"{"a": "\udc00"}"#,
        r#"{"a": "\ud800\u0041"}"#,
        r#"{"a": "\ud800x"}"#,
    ] {
        let error = only_error(read_json(text.as_bytes()));
        assert_eq!(error.kind, ErrorKind::Encoding, "{text}");
        assert!(error.to_string().contains("lone surrogate"), "{error}");
    }
}

#[test]
fn deep_nesting_is_a_limit_error_and_fast() {
    let started = Instant::now();
    let deep = "[".repeat(200_000);
    let error = json_error(&deep);
    assert_eq!(error.kind, ErrorKind::Limit);
    assert!(
        error.to_string().contains("nesting deeper than 128 levels"),
        "{error}"
    );
    let deep_object = "{\"a\":".repeat(200_000);
    assert_eq!(
        json_error(&format!("[{deep_object}")).kind,
        ErrorKind::Limit
    );
    let error = only_error(read_jsonl(format!("{deep_object}\n{{}}\n").as_bytes()));
    assert_eq!(error.kind, ErrorKind::Limit);
    assert_eq!(parse_value(&deep).unwrap_err().kind, ErrorKind::Limit);
    assert!(started.elapsed() < Duration::from_secs(2));

    // Exactly at the limit is fine; the budget is configurable.
    let at_limit = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert!(parse_value(&at_limit).is_ok());
    let records = format!("[{{\"a\": {}1{}}}]", "[".repeat(6), "]".repeat(6));
    let mut limits = JsonReadOptions::default();
    limits.max_depth = 8;
    assert!(JsonReader::with_options(records.as_bytes(), None, limits.clone()).all(|r| r.is_ok()));
    let mut limits = JsonReadOptions::default();
    limits.max_depth = 7;
    let error =
        only_error(JsonReader::with_options(records.as_bytes(), None, limits.clone()).collect());
    assert_eq!(error.kind, ErrorKind::Limit);
}

#[test]
fn a_duplicate_key_names_the_key_and_skips_the_record() {
    let results = read_json(
        b"[{\"a\": 1},\n {\"title\": \"x\", \"tags\": [], \"title\": \"y\"},\n {\"c\": 3}]",
    );
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[2].is_ok());
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Data);
    assert_eq!(
        error.to_string(),
        "<stdin>:2:29 (record 2): duplicate key \"title\" in an object; expected unique keys"
    );
    // Nested maps too, and JSON Lines.
    let error = only_error(read_jsonl(b"{\"p\": {\"k\": 1, \"k\": 2}}\n{}\n"));
    assert!(error.to_string().contains("duplicate key \"k\""));
    assert!(parse_value(r#"{"a": {"b": 1, "b": 1}}"#).is_err());
}

#[test]
fn a_bad_json_line_is_reported_and_the_next_lines_are_read() {
    let text = b"{\"n\": 1}\n\
        {\"n\": 2,\n\
        \n\
        {\"n\": \"unterminated\n\
        [1, 2]\n\
        {\"n\": 3} trailing\n\
        {\"n\": 4, \"n\": 5}\n\
        {\"n\": \"bad \xFF byte\"}\n\
        {\"n\": 6}\r\n\
        \x20 \t\n\
        {\"n\": 7}";
    let results = read_jsonl(text);
    let shown: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(record) => format!("ok {} line {}", record.fields["n"], record.origin.line),
            Err(e) => format!("{:?} {e}", e.kind),
        })
        .collect();
    assert_eq!(
        shown,
        [
            "ok 1 line 1",
            "Syntax <stdin>:2:9 (record 2): expected a string key after ',', found end of line",
            "Syntax <stdin>:4:20 (record 3): line break inside a string; expected '\"' to close it, or \\n for a line break in the text",
            "Data <stdin>:5:1 (record 4): expected an object (a record), found an array",
            "Syntax <stdin>:6:10 (record 5): expected end of line after the record, found 'trailing'",
            "Data <stdin>:7:10 (record 6): duplicate key \"n\" in an object; expected unique keys",
            "Encoding <stdin>:8:12 (record 7): invalid UTF-8 (byte 0xFF); expected UTF-8 text",
            "ok 6 line 9",
            "ok 7 line 11",
        ]
    );
}

#[test]
fn a_huge_line_trips_the_record_size_limit_and_is_skipped() {
    // A reader that makes up a 16 MB line on the fly: the limit must trip long before
    // the end, and the next line must still be read.
    struct HugeLine {
        sent: usize,
        size: usize,
        tail: &'static [u8],
    }
    impl std::io::Read for HugeLine {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.sent == 0 {
                buf[..9].copy_from_slice(b"{\"body\":\"");
                self.sent = 9;
                return Ok(9);
            }
            if self.sent < self.size {
                let n = buf.len().min(self.size - self.sent);
                buf[..n].fill(b'x');
                self.sent += n;
                return Ok(n);
            }
            let n = buf.len().min(self.tail.len());
            buf[..n].copy_from_slice(&self.tail[..n]);
            self.tail = &self.tail[n..];
            Ok(n)
        }
    }
    let input = HugeLine {
        sent: 0,
        size: 16 << 20,
        tail: b"\"}\n{\"title\": \"next\"}\n",
    };
    let mut limits = JsonReadOptions::default();
    limits.max_record_bytes = 1 << 20;
    let results: Vec<_> =
        JsonLinesReader::with_options(std::io::BufReader::new(input), None, limits.clone())
            .collect();
    assert_eq!(results.len(), 2);
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Limit);
    assert!(
        error
            .to_string()
            .contains("record larger than 1048576 bytes"),
        "{error}"
    );
    assert_eq!(
        results[1].as_ref().unwrap().fields["title"].as_str(),
        Some("next")
    );
    assert_eq!(results[1].as_ref().unwrap().origin.line, 2);

    // Small records over a small limit are caught at their end.
    let mut limits = JsonReadOptions::default();
    limits.max_record_bytes = 10;
    let results: Vec<_> =
        JsonLinesReader::with_options(&b"{\"a\": \"0123456789\"}\n{}\n"[..], None, limits.clone())
            .collect();
    assert_eq!(results[0].as_ref().unwrap_err().kind, ErrorKind::Limit);
    assert!(results[1].is_ok());
    let results: Vec<_> =
        JsonReader::with_options(&b"[{\"a\": \"0123456789\"}, {}]"[..], None, limits.clone())
            .collect();
    assert_eq!(results[0].as_ref().unwrap_err().kind, ErrorKind::Limit);
    assert!(results[1].is_ok());
}

#[test]
fn io_errors_end_the_readers() {
    struct Broken;
    impl std::io::Read for Broken {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk on fire"))
        }
    }
    let results: Vec<_> =
        JsonLinesReader::new(std::io::BufReader::new(Broken), file("x.jsonl")).collect();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].as_ref().unwrap_err().kind, ErrorKind::Io);
    let results: Vec<_> = JsonReader::new(std::io::BufReader::new(Broken), None).collect();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].as_ref().unwrap_err().kind, ErrorKind::Io);
}

#[test]
fn parse_value_wants_exactly_one_value() {
    assert!(parse_value(" [1, {\"a\": null}] \n").is_ok());
    let error = parse_value("1 2").unwrap_err();
    assert_eq!(
        error.to_string(),
        "<stdin>:1:3: expected end of input after the value, found '2'"
    );
    assert!(
        parse_value("")
            .unwrap_err()
            .to_string()
            .contains("expected a value")
    );
    assert!(parse_value("\"a").is_err());
}

#[test]
fn a_record_of_too_many_small_values_is_a_limit_error() {
    let mut limits = JsonReadOptions::default();
    limits.max_record_values = 1000;
    let many = format!("{{\"a\": [{}0]}}\n{{\"b\": 1}}\n", "0,".repeat(1000));
    let results: Vec<_> =
        JsonLinesReader::with_options(many.as_bytes(), None, limits.clone()).collect();
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Limit);
    assert!(
        error.to_string().contains("more than 1000 values"),
        "{error}"
    );
    assert!(results[1].is_ok());
    // The budget is per record.
    let fine = format!("[{}]", vec![r#"{"a": [0, 0, 0]}"#; 500].join(","));
    assert!(JsonReader::with_options(fine.as_bytes(), None, limits.clone()).all(|r| r.is_ok()));
}

#[test]
fn a_record_that_is_not_an_object_is_located_at_its_start() {
    // Over several lines, and read one byte at a time: the start is still known.
    let text = b"[\n  {\"a\": 1},\n  [\n    1\n  ]\n]";
    struct OneByte<'a>(&'a [u8]);
    impl std::io::Read for OneByte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    for results in [
        read_json(text),
        JsonReader::new(std::io::BufReader::with_capacity(1, OneByte(text)), None).collect(),
    ] {
        let error = results[1].as_ref().unwrap_err();
        assert_eq!(
            error.to_string(),
            "<stdin>:3:3 (record 2): expected an object (a record), found an array"
        );
    }
    // A line longer than the reader's buffer.
    let long = format!("{{}}\n  [\"{}\"]\n{{}}\n", "x".repeat(200_000));
    let results = read_jsonl(long.as_bytes());
    let error = results[1].as_ref().unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("<stdin>:2:3 (record 2): expected an object"),
        "{error}"
    );
    assert!(results[2].is_ok());
}
