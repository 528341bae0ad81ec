//! `--select`: the records inside an API dump, picked by a JSON pointer.

use crate::common;

use common::*;
use recast_json::{JsonReadOptions, JsonReader};
use recast_model::{ErrorKind, Record, Result, Value};

fn select(text: &str, pointer: &str) -> Vec<Result<Record>> {
    JsonReader::with_options(text.as_bytes(), file("dump.json"), selecting(pointer)).collect()
}

fn selecting(pointer: &str) -> JsonReadOptions {
    let mut options = JsonReadOptions::default();
    options.select = Some(pointer.to_owned());
    options
}

fn titles(results: Vec<Result<Record>>) -> Vec<String> {
    all_ok(results)
        .into_iter()
        .map(|r| r.fields["title"].as_str().unwrap().to_owned())
        .collect()
}

const DUMP: &str = r#"{
  "status": "ok",
  "meta": {"skipped": [1, 2.5, {"deep": [true, null, "x\"y\u00e9"]}], "big": 12345678901234567890123},
  "news": [
    {"title": "A", "n": 1},
    {"title": "B", "n": 2}
  ],
  "after": {"more": [[], {}]},
  "page": 1
}
"#;

#[test]
fn picks_the_array_between_other_members() {
    let records = all_ok(select(DUMP, "/news"));
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].fields["title"], Value::from("A"));
    // Origins are lines in the whole file.
    assert_eq!(records[0].origin.line, 5);
    assert_eq!(records[1].origin.line, 6);
}

#[test]
fn a_nested_pointer_and_an_index() {
    let text = r#"{"data": {"total": 2, "items": [{"title": "x"}, {"title": "y"}]}, "ok": true}"#;
    assert_eq!(titles(select(text, "/data/items")), ["x", "y"]);
    let text = r#"{"pages": [{"items": [{"title": "p0"}]}, {"items": [{"title": "p1"}]}]}"#;
    assert_eq!(titles(select(text, "/pages/1/items")), ["p1"]);
    // A pointer to an object reads it as one record.
    assert_eq!(titles(select(text, "/pages/0/items/0")), ["p0"]);
}

#[test]
fn escaped_tokens_name_keys_with_slash_and_tilde() {
    let text = r#"{"a/b": {"m~n": [{"title": "escaped"}]}, "a": {"b": []}}"#;
    assert_eq!(titles(select(text, "/a~1b/m~0n")), ["escaped"]);
    assert_eq!(titles(select(text, "/a/b")), Vec::<String>::new());
}

#[test]
fn the_empty_pointer_is_the_whole_document() {
    assert_eq!(titles(select(r#"[{"title": "t"}]"#, "")), ["t"]);
}

#[test]
fn a_missing_member_is_a_clear_error() {
    let results = select(DUMP, "/items");
    assert_eq!(results.len(), 1);
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Data);
    let message = error.to_string();
    assert!(message.starts_with("dump.json:10:1:"), "{message}");
    assert!(
        message.contains(r#"no member "items" in the object at the top level"#),
        "{message}"
    );

    let error = select(DUMP, "/meta/nothing").remove(0).unwrap_err();
    assert!(
        error
            .to_string()
            .contains(r#"no member "nothing" in the object at "/meta""#),
        "{error}"
    );

    let error = select(r#"{"list": [{}, {}]}"#, "/list/5")
        .remove(0)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no element 5 in the array at \"/list\", which has 2"),
        "{error}"
    );

    let error = select(r#"{"list": [{}]}"#, "/list/first")
        .remove(0)
        .unwrap_err();
    assert!(error.to_string().contains("expected an index"), "{error}");

    let error = select(r#"{"status": "ok"}"#, "/status/x")
        .remove(0)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("is a string, not an object or array"),
        "{error}"
    );

    let error = select(r#"{"status": "ok"}"#, "/status")
        .remove(0)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("expected an array of objects or an object at \"/status\", found a string"),
        "{error}"
    );
}

#[test]
fn an_invalid_pointer_is_refused_up_front() {
    // The reader's first item, and its last.
    let mut reader = JsonReader::with_options(&b"{}"[..], None, selecting("news"));
    let error = reader.next().unwrap().unwrap_err();
    assert!(error.to_string().contains("start with '/'"), "{error}");
    assert!(reader.next().is_none());
    let mut reader = JsonReader::with_options(&b"{}"[..], None, selecting("/a~2"));
    assert!(reader.next().unwrap().is_err());
}

#[test]
fn what_follows_the_records_is_still_checked() {
    let results = select(r#"{"news": [{"title": "A"}], "page": 1,}"#, "/news");
    assert!(results[0].is_ok());
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Syntax);
    assert!(
        error
            .to_string()
            .contains("expected a string key after ','"),
        "{error}"
    );

    let results = select(r#"{"news": [{"title": "A"}]} {"#, "/news");
    assert!(
        results[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("expected end of input")
    );

    // Errors in skipped members before the array are found too.
    let error = select(r#"{"meta": [1, 2 3], "news": []}"#, "/news")
        .remove(0)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("expected ',' or ']' after an array element, found '3'"),
        "{error}"
    );
}

#[test]
fn a_large_skipped_member_is_streamed() {
    // A skipped member far bigger than the reader's buffer, with long strings.
    let big: Vec<String> = (0..20_000)
        .map(|i| format!("\"{}\"", "é".repeat(i % 50)))
        .collect();
    let text = format!(
        r#"{{"skip": [{}], "news": [{{"title": "after"}}]}}"#,
        big.join(",")
    );
    assert_eq!(titles(select(&text, "/news")), ["after"]);
}

#[test]
fn skipped_members_are_not_kept_but_keys_on_the_way_are_bounded() {
    let mut limits = selecting("/news");
    limits.max_record_bytes = 100_000;
    let long = "k".repeat(300_000);
    // A long key or string inside a skipped member is checked, not kept: no limit.
    let text = format!(r#"{{"skip": {{"{long}": "{long}"}}, "news": [{{"title": "t"}}]}}"#);
    let reader = JsonReader::with_options(text.as_bytes(), None, limits.clone());
    assert_eq!(titles(reader.collect()), ["t"]);
    // A long key on the pointer's own level is kept to be compared: bounded.
    let text = format!(r#"{{"{long}": 1, "news": []}}"#);
    let mut reader = JsonReader::with_options(text.as_bytes(), None, limits);
    let error = reader.next().unwrap().unwrap_err();
    assert_eq!(error.kind, recast_model::ErrorKind::Limit);
}
