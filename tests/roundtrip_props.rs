//! Property test: arbitrary records (nested maps and lists, unicode, numbers at the
//! edges, strings that look like numbers, booleans, nulls or dates, bodies holding `---`)
//! survive every pair of formats, compared strictly (types, key order, every byte).

use std::io::Cursor;

use proptest::prelude::*;
use recast_model::{Record, RecordReader, RecordWriter};
use recast_testkit::{Shape, strategy};

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

/// Records every format here carries (the shared generator): plain field names, finite
/// numbers, lookalike strings, often a Markdown body holding `---`.
fn record() -> impl Strategy<Value = Record> {
    strategy::record(Shape::every_format())
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
