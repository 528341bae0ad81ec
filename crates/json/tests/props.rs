//! Properties: any record survives both writers and both readers; any bytes at all are
//! read without a panic, and the same however the input is split into reads.

mod common;

use std::io::{BufReader, Read};

use common::*;
use proptest::prelude::*;
use recast_json::{JsonLinesReader, JsonReader, Spacing, parse_value, to_json_string};
use recast_model::{Map, Number, Origin, Record, Result, Value, strict_eq};

/// Numbers at the edges: every spelling must come back as written.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1.0",
    "-0.0",
    "0.1",
    "1.5e300",
    "1E-7",
    "2.5E+10",
    "12345678901234567890123",
    "-9223372036854775808",
    "9223372036854775807",
    "18446744073709551615",
    "18446744073709551616",
    "1.00",
    "1e400",
    "4.9406564584124654e-324",
];

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        proptest::sample::select(NUMBERS).prop_map(|t| Number::parse(t).unwrap()),
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Number::from_f64),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Any characters: controls, quotes, backslashes, astral planes.
        proptest::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter),
        // Strings that look like other types must stay strings.
        proptest::sample::select(
            &[
                "1.0", "007", "true", "null", "-0", "1e5", "", " ", "\u{2028}", "😀", "\\u0041"
            ][..]
        )
        .prop_map(str::to_owned),
        "[a-z\"\\\\\n\t/é€]{0,10}",
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::List),
            proptest::collection::vec((text(), inner), 0..6)
                .prop_map(|members| Value::Map(members.into_iter().collect::<Map>())),
        ]
    })
}

fn record() -> impl Strategy<Value = Record> {
    proptest::collection::vec((text(), value()), 0..8)
        .prop_map(|fields| Record::new(fields.into_iter().collect(), Origin::default()))
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
