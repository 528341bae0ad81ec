//! Property test: arbitrary records (nested maps and lists, unicode, numbers at the
//! edges, strings that look like numbers, booleans, nulls or dates, bodies holding `---`)
//! survive every pair of formats, compared strictly (types, key order, every byte).

use std::io::Cursor;

use proptest::prelude::*;
use recast_model::{Map, Number, Record, RecordReader, RecordWriter, Value};

/// A format as a pair of functions: records to bytes, bytes to records.
struct Codec {
    name: &'static str,
    write: fn(&[Record]) -> Vec<u8>,
    read: fn(Vec<u8>) -> Vec<Record>,
}

fn write_all(mut writer: impl RecordWriter, records: &[Record]) {
    for record in records {
        writer.write_record(record).expect("writes");
    }
    writer.finish().expect("finishes");
}

fn read_all(reader: impl RecordReader) -> Vec<Record> {
    reader.map(|r| r.expect("reads back")).collect()
}

const CODECS: [Codec; 4] = [
    Codec {
        name: "md",
        // One record per file: each record is its own Markdown text.
        write: |records| {
            let texts: Vec<String> = records
                .iter()
                .map(recast_yaml::to_markdown_string)
                .collect();
            texts.join("\u{0}").into_bytes()
        },
        read: |bytes| {
            if bytes.is_empty() {
                return Vec::new();
            }
            bytes
                .split(|&b| b == 0)
                .map(|text| recast_yaml::read_markdown(text, None).expect("reads back"))
                .collect()
        },
    },
    Codec {
        name: "yaml",
        write: |records| {
            let mut out = Vec::new();
            write_all(
                recast_yaml::YamlWriter::new(&mut out, recast_yaml::YamlWriteOptions::default()),
                records,
            );
            out
        },
        read: |bytes| read_all(recast_yaml::YamlReader::new(Cursor::new(bytes), None)),
    },
    Codec {
        name: "json",
        write: |records| {
            let mut out = Vec::new();
            write_all(
                recast_json::JsonWriter::new(&mut out, Default::default()),
                records,
            );
            out
        },
        read: |bytes| read_all(recast_json::JsonReader::new(Cursor::new(bytes), None)),
    },
    Codec {
        name: "jsonl",
        write: |records| {
            let mut out = Vec::new();
            write_all(
                recast_json::JsonLinesWriter::new(&mut out, Default::default()),
                records,
            );
            out
        },
        read: |bytes| read_all(recast_json::JsonLinesReader::new(Cursor::new(bytes), None)),
    },
];

fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2024".to_owned()),
        Just("007".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("~".to_owned()),
        Just("1e3".to_owned()),
        Just("-5".to_owned()),
        Just("yes".to_owned()),
        Just("on".to_owned()),
        Just("2020-11-11".to_owned()),
        Just("2020-11-11T16:36:00Z".to_owned()),
        Just("".to_owned()),
        Just(" padded ".to_owned()),
        Just("---".to_owned()),
        Just("a: b # c".to_owned()),
        Just("line one\nline two\n".to_owned()),
        Just("- item".to_owned()),
        Just("https://example.org/a?b=1&c=2#x".to_owned()),
        Just("日本語 🤖 é".to_owned()),
        "\\PC{0,20}",
        "[ -~\\t\\n]{0,30}",
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<i128>().prop_map(Number::from),
        Just(Number::parse("12345678901234567890123").unwrap()),
        Just(Number::parse("1.0").unwrap()),
        Just(Number::parse("-0.0").unwrap()),
        Just(Number::parse("1e300").unwrap()),
        Just(Number::parse("2.5E-7").unwrap()),
        (-1e15f64..1e15).prop_map(Number::from_f64),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        tricky_string().prop_map(Value::String),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z_][a-zA-Z0-9_]{0,10}",
        Just("a.b".to_owned()),
        Just("true".to_owned()),
        Just("123".to_owned()),
        Just("with space".to_owned()),
        Just("ключ".to_owned()),
    ]
    // `body` is the Markdown body, a string by definition.
    .prop_filter("not the body field", |k| k != "body")
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
            prop::collection::vec((key(), inner), 0..5)
                .prop_map(|pairs| Value::Map(pairs.into_iter().collect::<Map>())),
        ]
    })
}

fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("---\n\nA rule above; still body.\n".to_owned()),
        Just("CRLF line\r\nsecond\r\n".to_owned()),
        Just("trailing spaces   \n\n\n".to_owned()),
        Just("\n\nstarts with blank lines".to_owned()),
        Just("```yaml\n---\na: 1\n---\n```\n".to_owned()),
        Just(String::new()),
        "\\PC{0,60}",
    ]
}

fn record() -> impl Strategy<Value = Record> {
    (
        prop::collection::vec((key(), value()), 0..8),
        prop::option::of(body()),
    )
        .prop_map(|(pairs, body)| {
            let mut fields: Map = pairs.into_iter().collect();
            if let Some(body) = body {
                fields.insert("body".into(), Value::String(body));
            }
            Record::new(fields, Default::default())
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_records_survive_every_pair_of_formats(records in prop::collection::vec(record(), 1..4)) {
        for first in &CODECS {
            let once = (first.read)((first.write)(&records));
            prop_assert_eq!(&once, &records, "through {}", first.name);
            for second in &CODECS {
                let twice = (second.read)((second.write)(&once));
                prop_assert_eq!(&twice, &records, "through {} then {}", first.name, second.name);
            }
        }
    }
}
