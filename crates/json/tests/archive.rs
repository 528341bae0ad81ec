//! The generated archive: 300 records, the same in archive.json and archive.jsonl.

use crate::common;

use std::fs;

use common::*;
use recast_json::{JsonLinesReader, JsonReader, Spacing};
use recast_model::Value;

#[test]
fn json_and_json_lines_give_the_same_300_records() {
    let json = all_ok(read_json(&fs::read(fixture("archive.json")).unwrap()));
    let lines = all_ok(read_jsonl(&fs::read(fixture("archive.jsonl")).unwrap()));
    assert_eq!(json.len(), 300);
    assert_eq!(lines.len(), 300);
    for (i, (a, b)) in json.iter().zip(&lines).enumerate() {
        assert_eq!(a, b, "record {i} differs");
    }
    // Types survive: integers stay integers, booleans booleans, nesting nests.
    let first = &json[0];
    assert_eq!(first.fields["quality"].type_name(), "integer");
    assert_eq!(first.fields["published"], Value::Bool(false));
    assert_eq!(first.fields["provider"].type_name(), "map");
}

#[test]
fn origins_name_the_file_and_the_line_of_each_record() {
    let bytes = fs::read(fixture("archive.jsonl")).unwrap();
    let records: Vec<_> = JsonLinesReader::new(&bytes[..], file("a.jsonl"))
        .map(Result::unwrap)
        .collect();
    assert_eq!(records[0].origin.line, 1);
    assert_eq!(records[299].origin.line, 300);
    assert_eq!(
        records[5].origin.file.as_deref(),
        Some(std::path::Path::new("a.jsonl"))
    );

    let bytes = fs::read(fixture("archive.json")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let records: Vec<_> = JsonReader::new(&bytes[..], None)
        .map(Result::unwrap)
        .collect();
    // Each origin line is a line holding the object's opening brace.
    let lines: Vec<&str> = text.lines().collect();
    for record in &records {
        let line = lines[record.origin.line as usize - 1];
        assert_eq!(line.trim_start().chars().next(), Some('{'), "{line}");
    }
    assert!(
        records
            .windows(2)
            .all(|w| w[0].origin.line < w[1].origin.line)
    );
}

#[test]
fn json_lines_rewritten_in_python_spacing_are_byte_identical() {
    // The generator writes json.dumps(ensure_ascii=False): ", " and ": " separators.
    let bytes = fs::read(fixture("archive.jsonl")).unwrap();
    let records = all_ok(read_jsonl(&bytes));
    let out = write_jsonl(&records, Spacing::Spaced);
    assert!(out == bytes, "JSON Lines output differs from its input");
}

#[test]
fn compact_output_reads_back_and_rewrites_byte_identically() {
    let bytes = fs::read(fixture("archive.jsonl")).unwrap();
    let records = all_ok(read_jsonl(&bytes));
    let compact = write_jsonl(&records, Spacing::Compact);
    let again = all_ok(read_jsonl(&compact));
    assert_eq!(again, records);
    assert_eq!(write_jsonl(&again, Spacing::Compact), compact);
    assert!(compact.len() < bytes.len());
}

#[test]
fn pretty_json_round_trips_and_is_stable() {
    let bytes = fs::read(fixture("archive.json")).unwrap();
    let records = all_ok(read_json(&bytes));
    let pretty = write_json(&records);
    let again = all_ok(read_json(&pretty));
    assert_eq!(again, records);
    assert_eq!(write_json(&again), pretty);
    let text = String::from_utf8(pretty).unwrap();
    assert!(
        text.starts_with("[\n  {\n    \"category\": \"news\",\n"),
        "{}",
        &text[..60]
    );
    assert!(text.ends_with("\n  }\n]\n"));
}
