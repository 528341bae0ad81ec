//! Without the extension namespace (a feed as other programs write it), what the
//! standard elements carry comes back whole: enclosures, authors, iTunes elements and
//! the body's kind (issue 11, cases 12 and 13), in RSS and in Atom.

use recast_feed::{AtomWriter, FeedReader, FeedWriteOptions, RssWriter};
use recast_model::{Channel, Map, Record, RecordReader, RecordWriter, Value};

fn from_json(value: serde_json::Value) -> Value {
    match value {
        serde_json::Value::String(s) => Value::from(s),
        serde_json::Value::Number(n) => Value::from(n.as_i64().expect("integers only")),
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
        serde_json::Value::Null => Value::Null,
    }
}

fn record(json: serde_json::Value) -> Record {
    match from_json(json) {
        Value::Map(fields) => Record::new(fields, Default::default()),
        _ => unreachable!("a record is an object"),
    }
}

fn channel(extra: Map) -> Channel {
    Channel {
        title: Some("Pod".into()),
        link: Some("https://pod.example/".into()),
        description: Some("A podcast".into()),
        extra,
        ..Channel::default()
    }
}

fn plain(channel: Channel) -> FeedWriteOptions {
    let mut options = FeedWriteOptions::default();
    options.lossless = false;
    options.channel = channel;
    options
}

fn write(atom: bool, records: &[Record], channel: Channel) -> Vec<u8> {
    let mut out = Vec::new();
    if atom {
        let mut writer = AtomWriter::new(&mut out, plain(channel));
        records
            .iter()
            .try_for_each(|r| writer.write_record(r))
            .unwrap();
        writer.finish().unwrap();
    } else {
        let mut writer = RssWriter::new(&mut out, plain(channel));
        records
            .iter()
            .try_for_each(|r| writer.write_record(r))
            .unwrap();
        writer.finish().unwrap();
    }
    out
}

fn read(xml: &[u8]) -> (Vec<Record>, Channel) {
    let mut reader = FeedReader::new(xml, None);
    let records = reader.by_ref().collect::<Result<Vec<_>, _>>().unwrap();
    let channel = reader.channel().unwrap().clone();
    (records, channel)
}

#[test]
fn a_podcast_episode_comes_back_whole_from_plain_rss() {
    // In the reader's field order, so that equality is strict.
    let episode = record(serde_json::json!({
        "title": "One",
        "publishedDateTime": "2024-01-01T10:00:00Z",
        "webUrl": "https://pod.example/1",
        "id": "https://pod.example/1",
        "author": ["ann@pod.example (Ann)", "Bob"],
        "enclosure": [
            {"url": "https://pod.example/1.mp3", "length": 1000, "type": "audio/mpeg"},
            {"url": "https://pod.example/1.jpg", "length": 20, "type": "image/jpeg"}
        ],
        "itunes": {"duration": "12:34", "episode": "1", "season": "1", "explicit": "false"},
        "markup": "html",
        "body": "<p>2*3*4 and __init__</p>\n    <p>indented</p>"
    }));
    let Value::Map(itunes) = from_json(serde_json::json!({"itunes": {
        "author": "Pod People",
        "image": "https://pod.example/cover.jpg",
        "owner": {"name": "Ann", "email": "ann@pod.example"},
        "category": [{"Technology": ["Podcasting"]}, "Comedy"],
        "explicit": "false"
    }, "category": ["News", "Science"]})) else {
        unreachable!()
    };
    let xml = write(
        false,
        std::slice::from_ref(&episode),
        channel(itunes.clone()),
    );
    let (back, channel) = read(&xml);
    assert_eq!(back, [episode], "{}", String::from_utf8_lossy(&xml));
    assert_eq!(channel.extra, itunes);
}

#[test]
fn atom_keeps_authors_enclosures_and_the_body_kind() {
    let entry = record(serde_json::json!({
        "title": "One",
        "publishedDateTime": "2024-01-01T10:00:00Z",
        "updatedDateTime": "2024-01-01T10:00:00Z",
        "webUrl": "https://pod.example/1",
        "id": "https://pod.example/1",
        "author": [{"name": "Ann", "email": "ann@pod.example", "url": "https://ann.example/"}, "Bob"],
        "enclosure": {"url": "https://pod.example/1.mp3", "length": 1000, "type": "audio/mpeg"},
        "markup": "html",
        "body": "<p>2*3*4</p>"
    }));
    let xml = write(true, std::slice::from_ref(&entry), channel(Map::default()));
    let text = String::from_utf8_lossy(&xml);
    // Every entry has an author, so the feed needs none (and takes not its title).
    assert!(!text.contains("<name>Pod</name>"), "{text}");
    let (back, _) = read(&xml);
    assert_eq!(back, [entry], "{text}");
}

#[test]
fn a_markdown_body_is_rendered_an_html_body_is_not() {
    let mut markdown = record(
        serde_json::json!({"title": "M", "webUrl": "https://x.example/m", "body": "2*3*4 and __init__"}),
    );
    let rss = String::from_utf8(write(
        false,
        std::slice::from_ref(&markdown),
        channel(Map::default()),
    ))
    .unwrap();
    assert!(rss.contains("2&lt;em&gt;3&lt;/em&gt;4"), "{rss}");
    markdown.fields.insert("markup".into(), Value::from("html"));
    let rss = String::from_utf8(write(false, &[markdown], channel(Map::default()))).unwrap();
    assert!(
        rss.contains("<content:encoded>2*3*4 and __init__</content:encoded>"),
        "{rss}"
    );
}
