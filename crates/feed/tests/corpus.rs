//! The real-world corpus (`tests/data/feeds/`, 65 feeds from public feed-parser test
//! suites; see its README for attribution): every feed reads without error, with
//! feedparser's item count, titles, links, dates and categories (`expected.json`,
//! written by `expected.py`).

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use recast_feed::{FeedReadOptions, FeedReader};
use recast_model::date::DateTime;
use recast_model::{Record, RecordReader, Value};

#[derive(Debug, serde::Deserialize)]
struct Expected {
    bozo: bool,
    feed: Feed,
    entries: Vec<Entry>,
}

#[derive(Debug, serde::Deserialize)]
struct Feed {
    title: Option<String>,
    link: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct Entry {
    title: Option<String>,
    link: Option<String>,
    date: Option<String>,
    tags: Vec<String>,
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/feeds")
}

fn read(path: &Path) -> Result<(Vec<Record>, recast_model::Channel), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let options = FeedReadOptions::default();
    let mut reader = FeedReader::with_options(BufReader::new(file), Some(path.into()), options);
    let records = reader
        .by_ref()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let channel = reader.channel().cloned().unwrap_or_default();
    Ok((records, channel))
}

/// Whitespace collapsed: feedparser and recast trim differently inside titles.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text(record: &Record, field: &str) -> String {
    record
        .fields
        .get(field)
        .and_then(Value::as_str)
        .map(squash)
        .unwrap_or_default()
}

fn utc(record: &Record) -> Option<String> {
    let date = DateTime::parse(record.fields.get("publishedDateTime")?.as_str()?)?;
    Some(date.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn tags(record: &Record) -> Vec<String> {
    let mut tags: Vec<String> = record
        .fields
        .get("topics")
        .and_then(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    if let Some(category) = record.fields.get("category").and_then(Value::as_str) {
        tags.push(category.to_owned());
    }
    tags
}

/// Where recast and feedparser disagree on purpose, with how often and why. Anything
/// else that differs fails the test.
const KNOWN: &[(&str, &str, usize, &str)] = &[
    (
        "derived--uolNoticias-windows-1252.rss",
        "date",
        15,
        "Portuguese day/month names (\"Seg, 24 Set 2018\"): recast reads them, feedparser does not",
    ),
    (
        "rssparser-js--uolNoticias.rss",
        "date",
        15,
        "the same feed without its declaration",
    ),
    (
        "feedrs--rss_2.0_ilmessaggero.xml",
        "date",
        1,
        "Italian names (\"mer, 16 nov 2022\"): recast reads them, feedparser does not",
    ),
    (
        "netnewswire--kc0011.rss",
        "date",
        20,
        "\"2020/1/10 14:33:00\" has no zone: recast reads 2020-01-10T14:33:00 (zone-less), feedparser misreads it as 2020-11-01",
    ),
    (
        "feedreader-net--Rss20IndianExpress.xml",
        "title",
        3,
        "the feed has mojibake (\"Â\\u{a0}\"): recast keeps its bytes, feedparser drops the \"Â\"",
    ),
    (
        "rssparser-js--craigslist.rss",
        "title",
        1,
        "CDATA holding \"&\": recast keeps the text, feedparser re-escapes it as HTML",
    ),
    (
        "feedreader-net--AtomBattleNet.xml",
        "feed link",
        1,
        "no alternate link: feedparser takes the feed id (\"3\"), recast leaves the link unset",
    ),
    (
        "feedrs--atom_example_5.xml",
        "feed link",
        1,
        "no alternate link: feedparser takes the self link, recast keeps it as selfUrl only",
    ),
    (
        "feedrs--atom_xml_base.xml",
        "feed link",
        1,
        "no link at all: feedparser takes the feed id, recast leaves the link unset",
    ),
    (
        "netnewswire--pappacoda.atom",
        "link",
        1,
        "the only alternate link is a PDF: recast takes it, feedparser takes the tag: id",
    ),
];

#[test]
fn real_feeds_read_like_feedparser_reads_them() {
    let expected: BTreeMap<String, Expected> = serde_json::from_str(
        &std::fs::read_to_string(corpus().join("expected.json")).expect("expected.json"),
    )
    .expect("expected.json is JSON");
    assert_eq!(expected.len(), 65, "the corpus has 65 feeds");
    let mut failures = Vec::new();
    let mut differences: BTreeMap<(String, &str), usize> = BTreeMap::new();
    let (mut items, mut bozo) = (0, 0);
    let mut agree: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, expected) in &expected {
        bozo += usize::from(expected.bozo);
        let (records, channel) = match read(&corpus().join(name)) {
            Ok(read) => read,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        items += records.len();
        for (what, ours, theirs) in [
            (
                "feed title",
                channel.title.as_deref().map(squash),
                expected.feed.title.as_deref().map(squash),
            ),
            (
                "feed link",
                channel.link.clone(),
                expected.feed.link.clone(),
            ),
        ] {
            if ours.unwrap_or_default() == theirs.unwrap_or_default() {
                *agree.entry(what).or_default() += 1;
            } else {
                *differences.entry((name.clone(), what)).or_default() += 1;
                if std::env::var_os("CORPUS_VERBOSE").is_some() {
                    eprintln!(
                        "{name}: {what}: recast {:?}, feedparser {:?}",
                        channel.title, expected.feed
                    );
                }
            }
        }
        if records.len() != expected.entries.len() {
            failures.push(format!(
                "{name}: {} items, feedparser reads {}",
                records.len(),
                expected.entries.len()
            ));
            continue;
        }
        for (record, entry) in records.iter().zip(&expected.entries) {
            let checks = [
                (
                    "title",
                    text(record, "title"),
                    squash(entry.title.as_deref().unwrap_or("")),
                ),
                (
                    "link",
                    text(record, "webUrl"),
                    entry.link.clone().unwrap_or_default(),
                ),
                (
                    "date",
                    format!("{:?}", utc(record)),
                    format!("{:?}", entry.date),
                ),
                (
                    "tags",
                    format!("{:?}", tags(record)),
                    format!("{:?}", entry.tags),
                ),
            ];
            for (what, ours, theirs) in checks {
                if ours == theirs {
                    *agree.entry(what).or_default() += 1;
                } else {
                    *differences.entry((name.clone(), what)).or_default() += 1;
                    if std::env::var_os("CORPUS_VERBOSE").is_some() {
                        eprintln!("{name}: {what}: recast {ours:?}, feedparser {theirs:?}");
                    }
                }
            }
        }
    }
    eprintln!(
        "corpus: {} feeds ({bozo} not well-formed), {} read, {items} items; agreeing with feedparser: {agree:?}",
        expected.len(),
        expected.len() - failures.len(),
    );
    for ((name, what), count) in &differences {
        match KNOWN.iter().find(|k| k.0 == name && k.1 == *what) {
            Some(known) if known.2 == *count => {}
            Some(known) => failures.push(format!(
                "{name}: {count} {what}s differ, {} expected ({})",
                known.2, known.3
            )),
            None => failures.push(format!(
                "{name}: {count} {what}s differ from feedparser (CORPUS_VERBOSE=1 shows them)"
            )),
        }
    }
    for known in KNOWN {
        if !differences.contains_key(&(known.0.to_owned(), known.1)) {
            failures.push(format!(
                "{}: the known {} difference is gone: update KNOWN",
                known.0, known.1
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(items, 2098);
}

#[test]
fn hostile_xml_is_refused_or_left_unexpanded() {
    let laughs = br#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><title>&lol2;</title><item><title>x</title></item></channel></rss>"#;
    let error = FeedReader::new(&laughs[..], None)
        .next()
        .unwrap()
        .expect_err("refused");
    assert!(error.to_string().contains("entities"), "{error}");
    let external = br#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>"#;
    assert!(
        FeedReader::new(&external[..], None)
            .next()
            .unwrap()
            .is_err()
    );
    // An undeclared entity (HTML's &nbsp;) stays as written.
    let html = br#"<rss version="2.0"><channel><item><title>a&nbsp;b &amp; c</title></item></channel></rss>"#;
    let record = FeedReader::new(&html[..], None).next().unwrap().unwrap();
    assert_eq!(record.fields["title"], Value::from("a&nbsp;b & c"));
}

#[test]
fn broken_xml_gives_a_located_error() {
    let broken = b"<rss version=\"2.0\">\n<channel>\n<item><title>x</titel></item></channel></rss>";
    let read = FeedReader::new(&broken[..], Some(Path::new("broken.rss").into()))
        .collect::<Result<Vec<_>, _>>();
    let error = match read {
        Err(e) => e.to_string(),
        Ok(_) => panic!("read a broken feed"),
    };
    assert!(error.starts_with("broken.rss:3:"), "{error}");
    let not_a_feed = FeedReader::new(&b"<html><body/></html>"[..], None)
        .next()
        .unwrap()
        .expect_err("refused");
    assert!(
        not_a_feed.to_string().contains("expected a feed"),
        "{not_a_feed}"
    );
}
