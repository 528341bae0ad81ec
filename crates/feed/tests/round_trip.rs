//! archive → RSS/Atom → records, strictly equal: types, key order, nesting, exact
//! date strings, bodies, and text XML cannot carry.

#[path = "support/warnings.rs"]
mod warnings;

use recast_feed::{AtomWriter, FeedReader, FeedWriteOptions, InvalidChars, RssWriter};
use recast_model::date::DateTime;
use recast_model::{Channel, Map, Number, Record, RecordReader, RecordWriter, Value};
use warnings::warnings_of;

fn from_json(value: serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => {
            Value::Number(Number::parse(&n.to_string()).expect("JSON number"))
        }
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

fn generated_archive() -> Vec<Record> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/generated/archive.json"
    );
    let text = std::fs::read_to_string(path).expect("the generated archive");
    let json: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON");
    json.into_iter()
        .map(|v| match from_json(v) {
            Value::Map(fields) => Record::new(fields, Default::default()),
            other => panic!("not a record: {other}"),
        })
        .collect()
}

fn channel() -> Channel {
    Channel {
        title: Some("Gazette <AI> & medicine".into()),
        link: Some("https://news.example/".into()),
        description: Some("Science news ]]> and more".into()),
        self_url: Some("https://news.example/feed.xml".into()),
        language: Some("en".into()),
        ..Channel::default()
    }
}

/// The archive order a feed gives back: newest first, undated last, stable.
fn feed_order(records: &[Record]) -> Vec<Record> {
    let mut sorted: Vec<(usize, Option<DateTime>, Record)> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            (
                i,
                r.text("publishedDateTime").and_then(DateTime::parse),
                r.clone(),
            )
        })
        .collect();
    sorted.sort_by(|a, b| match (&a.1, &b.1) {
        (Some(x), Some(y)) => y.timestamp.cmp(&x.timestamp).then(a.0.cmp(&b.0)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.cmp(&b.0),
    });
    sorted.into_iter().map(|(_, _, r)| r).collect()
}

/// Writes the records as a feed with [`channel`].
/// Writes a feed for archive transport: drafts and future posts travel too (issue 13
/// leaves them out of feeds by default), so every record comes back.
/// Options for archive transport: every record carried exactly.
fn lossless_options() -> FeedWriteOptions {
    let mut options = FeedWriteOptions::default();
    options.lossless = true;
    options
}

fn write(atom: bool, records: &[Record], mut options: FeedWriteOptions) -> Vec<u8> {
    options.channel = channel();
    options.drafts = true;
    options.future = true;
    let mut out = Vec::new();
    {
        let mut writer: Box<dyn RecordWriter + '_> = if atom {
            Box::new(AtomWriter::new(&mut out, options))
        } else {
            Box::new(RssWriter::new(&mut out, options))
        };
        for record in records {
            writer.write_record(record).unwrap();
        }
        writer.finish().unwrap();
    }
    out
}

fn read(xml: &[u8]) -> (Vec<Record>, Channel) {
    let mut reader = FeedReader::new(xml, None);
    let records = reader.by_ref().collect::<Result<Vec<_>, _>>().unwrap();
    (records, reader.channel().cloned().unwrap_or_default())
}

fn assert_same(expected: &[Record], actual: &[Record]) {
    assert_eq!(expected.len(), actual.len());
    for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
        assert_eq!(e, a, "record {i} differs");
    }
}

#[test]
fn generated_archive_survives_rss_and_atom() {
    let records = generated_archive();
    assert_eq!(records.len(), 300);
    for atom in [false, true] {
        let xml = write(atom, &records, lossless_options());
        let (back, channel_back) = read(&xml);
        assert_same(&feed_order(&records), &back);
        assert_eq!(channel_back, channel());
    }
}

#[test]
fn limit_keeps_the_newest() {
    let records = generated_archive();
    let mut options = lossless_options();
    options.limit = Some(10);
    for atom in [false, true] {
        let (back, _) = read(&write(atom, &records, options.clone()));
        assert_same(&feed_order(&records)[..10], &back);
    }
}

fn awkward_record() -> Record {
    let mut fields = Map::default();
    let mut nested = Map::default();
    nested.insert("empty map".into(), Value::Map(Map::default()));
    nested.insert("empty list".into(), Value::List(vec![]));
    nested.insert("null".into(), Value::Null);
    fields.insert(
        "title".into(),
        Value::from("Bell \u{7} & <tags> ]]> \"quotes\""),
    );
    fields.insert(
        "publishedDateTime".into(),
        Value::from("2021-03-04T05:06:07.123456+05:30"),
    );
    fields.insert(
        "body".into(),
        Value::from("  leading spaces\r\nCRLF line\n\ttab\n\n"),
    );
    fields.insert("empty".into(), Value::from(""));
    fields.insert("nested".into(), Value::Map(nested));
    fields.insert(
        "big".into(),
        Value::Number(Number::parse("12345678901234567890123").unwrap()),
    );
    fields.insert("float".into(), Value::Number(Number::parse("1.0").unwrap()));
    fields.insert("inf".into(), Value::Number(Number::from_f64(f64::INFINITY)));
    fields.insert("looks like a number".into(), Value::from("007"));
    fields.insert(
        "esc\u{1}aped name".into(),
        Value::from("back\\slash \\u{7}"),
    );
    fields.insert(
        "bools".into(),
        Value::List(vec![true.into(), false.into(), Value::Null]),
    );
    Record::new(fields, Default::default())
}

#[test]
fn awkward_values_survive() {
    let options = lossless_options();
    let record = awkward_record();
    let ((), warnings) = warnings_of(|| {
        for atom in [false, true] {
            let xml = write(atom, std::slice::from_ref(&record), options.clone());
            let text = String::from_utf8(xml.clone()).unwrap();
            assert!(
                !text.contains('\u{7}'),
                "a control character reached the XML"
            );
            let (back, _) = read(&xml);
            assert_same(std::slice::from_ref(&record), &back);
        }
    });
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("record 1") && w.contains("U+0007")),
        "{warnings:?}"
    );
}

#[test]
fn an_unreadable_date_is_kept_and_reported() {
    let options = lossless_options();
    let mut record = Record::default();
    record.fields.insert("title".into(), Value::from("Undated"));
    record
        .fields
        .insert("publishedDateTime".into(), Value::from("last Tuesday"));
    let ((), warnings) = warnings_of(|| {
        for atom in [false, true] {
            let xml = write(atom, std::slice::from_ref(&record), options.clone());
            let text = String::from_utf8(xml.clone()).unwrap();
            assert!(!text.contains("<pubDate>") && !text.contains("<published>"));
            let (back, _) = read(&xml);
            assert_same(std::slice::from_ref(&record), &back);
        }
    });
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].starts_with("record 1 (\"Undated\"): its date \"last Tuesday\""),
        "{warnings:?}"
    );
}

#[test]
fn refusing_invalid_characters_names_the_record() {
    let mut options = lossless_options();
    options.invalid_chars = InvalidChars::Refuse;
    options.channel = channel();
    let mut writer = RssWriter::new(Vec::new(), options);
    writer.write_record(&awkward_record()).unwrap();
    let error = writer.finish().unwrap_err();
    assert!(error.to_string().contains("record 1 (\"Bell"), "{error}");
}

#[test]
fn missing_channel_elements_name_their_flag() {
    for (atom, channel, flag) in [
        (
            false,
            Channel {
                title: None,
                ..channel()
            },
            "--feed-title",
        ),
        (
            false,
            Channel {
                link: None,
                ..channel()
            },
            "--feed-link",
        ),
        (
            false,
            Channel {
                description: None,
                ..channel()
            },
            "--feed-description",
        ),
        (
            true,
            Channel {
                title: None,
                ..channel()
            },
            "--feed-title",
        ),
        (
            true,
            Channel {
                link: None,
                self_url: None,
                ..channel()
            },
            "--feed-self-url or --feed-link",
        ),
    ] {
        let mut options = lossless_options();
        options.channel = channel;
        let mut writer: Box<dyn RecordWriter> = if atom {
            Box::new(AtomWriter::new(Vec::new(), options))
        } else {
            Box::new(RssWriter::new(Vec::new(), options))
        };
        let error = writer.finish().unwrap_err();
        assert!(error.to_string().contains(flag), "{error}");
    }
}

#[test]
fn readers_see_standard_elements() {
    let records = generated_archive();
    let rss = String::from_utf8(write(false, &records[..1], lossless_options())).unwrap();
    assert!(rss.contains(
        "<title>Startup hospital patient bias startup launch research model clinic music</title>"
    ));
    assert!(rss.contains("<pubDate>Tue, 12 Dec 2023 23:15:05 +0000</pubDate>"));
    assert!(rss.contains("<category>Healthcare</category>"));
    assert!(rss.contains("<dc:publisher>Ars Technica</dc:publisher>"));
    assert!(rss.contains("<media:content url=\"https://arstechnica.com/uploads/48393/img-300x200.jpg?width=300&amp;crop=16:9\""));
    assert!(rss.contains("<content:encoded>&lt;p&gt;Benchmark"));
    let atom = String::from_utf8(write(true, &records[..1], lossless_options())).unwrap();
    assert!(atom.contains("<published>2023-12-12T23:15:05Z</published>"));
    assert!(atom.contains(
        "<author>\n      <name>Ars Technica</name>\n      <uri>https://arstechnica.com</uri>"
    ));
    assert!(atom.contains("<category term=\"news\" scheme="));
}

#[test]
fn without_the_extension_a_feed_still_reads_as_an_archive() {
    let records = generated_archive();
    let mut options = lossless_options();
    options.lossless = false;
    for atom in [false, true] {
        let (back, _) = read(&write(atom, &records[..1], options.clone()));
        let r = &back[0];
        let original = &records[0];
        assert_eq!(r.fields.get("title"), original.fields.get("title"));
        assert_eq!(r.fields.get("webUrl"), original.fields.get("webUrl"));
        assert_eq!(
            r.fields.get("publishedDateTime"),
            original.fields.get("publishedDateTime")
        );
        assert_eq!(
            r.fields.get("topics"),
            original.fields.get("topics"),
            "atom={atom}"
        );
        assert_eq!(r.fields.get("category"), original.fields.get("category"));
        // RSS has dc:publisher for the provider; Atom writes it as the entry's author,
        // which reads back as an author (issue 11, case 13).
        let provider = if atom { "author" } else { "provider" };
        assert_eq!(
            r.fields
                .get(provider)
                .and_then(|p| p.as_map())
                .and_then(|p| p.get("name")),
            original
                .fields
                .get("provider")
                .and_then(|p| p.as_map())
                .and_then(|p| p.get("name"))
        );
    }
}

#[test]
fn a_damaged_extension_record_is_an_error_with_its_line() {
    let xml = br#"<?xml version="1.0"?>
<rss version="2.0" xmlns:recast="https://recast.dev/ns/record/1"><channel>
<item>
  <title>x</title>
  <recast:record><recast:field name="quality" type="integer">lots</recast:field></recast:record>
</item></channel></rss>"#;
    let mut reader = FeedReader::new(&xml[..], Some(std::path::Path::new("d.rss").into()));
    let error = reader.next().unwrap().unwrap_err();
    assert_eq!(
        error.to_string(),
        "d.rss:3 (record 1): the recast:record of this item is damaged: field \"quality\": \"lots\" is not a number"
    );
}

#[test]
fn relative_xml_base_applies_once_per_level() {
    let xml = br#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://x.example/blog/">
<title>t</title>
<entry xml:base="posts/"><title>a</title><id>1</id><link href="one.html"/>
<content type="html" xml:base="img/">&lt;img src="p.png"&gt;</content></entry>
</feed>"#;
    let record = FeedReader::new(&xml[..], None).next().unwrap().unwrap();
    assert_eq!(
        record.fields["webUrl"],
        Value::from("https://x.example/blog/posts/one.html")
    );
    assert_eq!(
        record.fields["body"],
        Value::from("<img src=\"https://x.example/blog/posts/img/p.png\">")
    );
}
