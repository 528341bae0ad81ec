//! An arbitrary record (any keys, any values, finite numbers) written to every format and
//! read back must be equal, strictly: types, key order, every byte. The only exceptions
//! are the documented limits of a format, applied to the expectation (see `expected`).
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use recast_csv::{CsvReadOptions, CsvReader, CsvWriteOptions, CsvWriter};
use recast_feed::{AtomWriter, FeedReader, RssWriter};
use recast_fuzz::{quiet_feed_read, quiet_feed_write, read_all, record};
use recast_json::{JsonLinesReader, JsonLinesWriter, JsonReader, JsonWriter};
use recast_model::{Channel, Record, RecordWriter, Value};
use recast_yaml::{YamlReader, YamlWriter, read_markdown, to_markdown_string};

/// The bytes a writer made of the records; every arbitrary finite record must write.
macro_rules! written {
    ($records:expr, $out:ident => $make:expr) => {{
        let mut bytes = Vec::new();
        {
            let $out = &mut bytes;
            let mut writer = $make;
            for record in $records.iter() {
                if let Err(e) = writer.write_record(record) {
                    panic!("an arbitrary finite record writes: {e}\n{record:?}");
                }
            }
            writer.finish().unwrap_or_else(|e| panic!("finishes: {e}"));
        }
        bytes
    }};
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(original) = record(&mut u) else {
        return;
    };
    let records = [original.clone()];

    let md = to_markdown_string(&original);
    let back = read_markdown(md.as_bytes(), None)
        .unwrap_or_else(|e| panic!("md does not read back: {e}\n{md}"));
    assert_eq!(back, md_expected(original.clone()), "md differs:\n{md}");

    let yaml = written!(records, out => YamlWriter::new(out, recast_yaml::YamlWriteOptions::default()));
    check("yaml", &records, &yaml, |b| {
        read_all(YamlReader::new(b, None))
    });
    let json = written!(records, out => JsonWriter::new(out, Default::default()));
    check("json", &records, &json, |b| {
        read_all(JsonReader::new(b, None))
    });
    let jsonl = written!(records, out => JsonLinesWriter::new(out, Default::default()));
    check("jsonl", &records, &jsonl, |b| {
        read_all(JsonLinesReader::new(b, None))
    });
    for (name, options, read_options) in [
        ("csv", CsvWriteOptions::default(), CsvReadOptions::default()),
        ("tsv", CsvWriteOptions::tsv(), CsvReadOptions::tsv()),
    ] {
        let sheet = written!(records, out => CsvWriter::new(out, options.clone()));
        let expected = records.clone().map(csv_expected);
        check(name, &expected, &sheet, |b| {
            read_all(CsvReader::with_options(b, None, read_options.clone()))
        });
    }
    let channel = Channel {
        title: Some("t".into()),
        link: Some("https://example.com/".into()),
        description: Some("d".into()),
        ..Channel::default()
    };
    let mut feed = quiet_feed_write();
    feed.channel = channel;
    let rss = written!(records, out => RssWriter::new(out, feed.clone()));
    check("rss", &records, &rss, read_feed);
    let atom = written!(records, out => AtomWriter::new(out, feed.clone()));
    check("atom", &records, &atom, read_feed);
});

fn read_feed(bytes: &[u8]) -> Option<Vec<Record>> {
    read_all(FeedReader::with_options(bytes, None, quiet_feed_read()))
}

fn check(
    format: &str,
    records: &[Record],
    bytes: &[u8],
    read: impl Fn(&[u8]) -> Option<Vec<Record>>,
) {
    let back = read(bytes);
    assert_eq!(
        back.as_deref(),
        Some(records),
        "{format} round trip differs:\n{}",
        String::from_utf8_lossy(bytes)
    );
}

/// CSV's documented loss (recast-csv's docs): an empty cell is a missing field, so a
/// null in a map (a column) comes back missing, and so does a trailing null of a list
/// written as indexed columns. Other nulls in lists stay.
fn csv_expected(mut record: Record) -> Record {
    fn drop_nulls(value: &mut Value) {
        match value {
            Value::Map(map) => {
                map.retain(|_, v| !v.is_null());
                map.values_mut().for_each(drop_nulls);
            }
            Value::List(items) => {
                // A list holding maps or lists is written as indexed columns
                // (`mixed.0`, `mixed.1.key`), so its trailing nulls are empty cells.
                if items
                    .iter()
                    .any(|v| matches!(v, Value::Map(_) | Value::List(_)))
                {
                    while items.last().is_some_and(Value::is_null) {
                        items.pop();
                    }
                }
                items.iter_mut().for_each(drop_nulls);
            }
            _ => {}
        }
    }
    record.fields.retain(|_, v| !v.is_null());
    record.fields.values_mut().for_each(drop_nulls);
    record
}

/// Markdown's documented rule (docs/architecture.md): a string `body` is the text after
/// the front matter, so it comes back as the last field.
fn md_expected(mut record: Record) -> Record {
    if let Some(Value::String(_)) = record.fields.get(recast_model::BODY) {
        let body = record.fields.shift_remove(recast_model::BODY);
        record
            .fields
            .extend(body.map(|body| (recast_model::BODY.into(), body)));
    }
    record
}
