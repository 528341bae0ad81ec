//! Properties: any record survives both writers and both readers; any bytes at all are
//! read without a panic, and the same however the input is split into reads.

use crate::common;

use std::io::{BufReader, Read};

use common::*;
use proptest::prelude::*;
use recast_json::{JsonLinesReader, JsonReader, Spacing, parse_value, to_json_string};
use recast_model::{Record, Result, Value, strict_eq};
use recast_testkit::{Shape, strategy};

/// Any value JSON carries (the shared generator: edge numbers, lookalike strings,
/// control and astral characters).
fn value() -> impl Strategy<Value = Value> {
    strategy::value(Shape::json())
}

fn record() -> impl Strategy<Value = Record> {
    strategy::record(Shape::json())
}

/// A reader that hands out the input a few bytes at a time, as a pipe may.
struct Trickle<'a> {
    bytes: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        Ok(n)
    }
}

fn trickle(bytes: &[u8], step: usize) -> BufReader<Trickle<'_>> {
    BufReader::with_capacity(1, Trickle { bytes, step })
}

/// One reader result: a record and its line, or an error's kind, message and line.
type Outcome = std::result::Result<(Record, u64), (String, u64)>;

/// What a reader produced, compared across read patterns: records with their lines,
/// errors with their kind, location (line and column) and message.
fn summary(results: Vec<Result<Record>>) -> Vec<Outcome> {
    results
        .into_iter()
        .map(|r| match r {
            Ok(record) => {
                let line = record.origin.line;
                Ok((record, line))
            }
            Err(error) => Err((format!("{:?} {error}", error.kind), error.location.line)),
        })
        .collect()
}

fn same(a: &[Outcome], b: &[Outcome]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| match (x, y) {
            (Ok((r, l)), Ok((s, m))) => r == s && l == m,
            (Err(e), Err(f)) => e == f,
            _ => false,
        })
}

proptest! {
    #[test]
    fn records_survive_the_json_writer_and_reader(records in proptest::collection::vec(record(), 0..5)) {
        let out = write_json(&records);
        let back = all_ok(read_json(&out));
        prop_assert_eq!(&back, &records);
        // Read in small pieces, every buffer boundary is exercised.
        let pieces: Vec<_> = JsonReader::new(trickle(&out, 3), None).map(Result::unwrap).collect();
        prop_assert_eq!(&pieces, &records);
    }

    #[test]
    fn records_survive_the_json_lines_writer_and_reader(records in proptest::collection::vec(record(), 0..5)) {
        for spacing in [Spacing::Compact, Spacing::Spaced] {
            let out = write_jsonl(&records, spacing);
            prop_assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), records.len());
            let back = all_ok(read_jsonl(&out));
            prop_assert_eq!(&back, &records);
            let pieces: Vec<_> = JsonLinesReader::new(trickle(&out, 2), None).map(Result::unwrap).collect();
            prop_assert_eq!(&pieces, &records);
            for (i, record) in back.iter().enumerate() {
                prop_assert_eq!(record.origin.line, i as u64 + 1);
            }
        }
    }

    #[test]
    fn values_survive_to_json_string_and_parse_value(value in value()) {
        for pretty in [false, true] {
            let text = to_json_string(&value, pretty).unwrap();
            let back = parse_value(&text).unwrap();
            prop_assert!(strict_eq(&back, &value), "{} -> {}", text, back);
        }
    }

    #[test]
    fn any_bytes_are_read_without_panic_and_alike_in_any_pieces(
        bytes in proptest::collection::vec(any::<u8>(), 0..200),
        step in 1usize..8,
    ) {
        let whole = summary(JsonReader::new(&bytes[..], None).collect());
        let pieces = summary(JsonReader::new(trickle(&bytes, step), None).collect());
        prop_assert!(same(&whole, &pieces), "{:?}\n{:?}", whole, pieces);
        let whole = summary(JsonLinesReader::new(&bytes[..], None).collect());
        let pieces = summary(JsonLinesReader::new(trickle(&bytes, step), None).collect());
        prop_assert!(same(&whole, &pieces), "{:?}\n{:?}", whole, pieces);
        let mut options = recast_json::JsonReadOptions::default();
        options.select = Some("/a/0".into());
        let _ = JsonReader::with_options(&bytes[..], None, options).count();
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = parse_value(text);
        }
    }

    #[test]
    fn damaged_documents_are_read_without_panic_and_alike_in_any_pieces(
        records in proptest::collection::vec(record(), 1..3),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4),
        step in 1usize..8,
    ) {
        for lines in [false, true] {
            let mut bytes = if lines { write_jsonl(&records, Spacing::Spaced) } else { write_json(&records) };
            for (at, byte, how) in &edits {
                let i = at.index(bytes.len());
                match how {
                    0 => bytes[i] = *byte,
                    1 => bytes.insert(i, *byte),
                    _ => { bytes.remove(i); }
                }
            }
            let (whole, pieces) = if lines {
                (summary(JsonLinesReader::new(&bytes[..], None).collect()),
                 summary(JsonLinesReader::new(trickle(&bytes, step), None).collect()))
            } else {
                (summary(JsonReader::new(&bytes[..], None).collect()),
                 summary(JsonReader::new(trickle(&bytes, step), None).collect()))
            };
            prop_assert!(same(&whole, &pieces), "{:?}\n{:?}\n{:?}", String::from_utf8_lossy(&bytes), whole, pieces);
        }
    }
}
