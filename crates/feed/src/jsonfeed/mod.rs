//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>): [`JsonFeedWriter`] writes it
//! from records through the same [`Profile`](crate::Profile) as RSS and Atom;
//! [`JsonFeedReader`] reads 1.1 and 1.0 feeds into records named like the other feed
//! readers'. Lossless output carries each exact record in an `_recast` object (JSON
//! Feed's extension rule: keys starting with `_` are for publishers' own data), which
//! the reader gives back unchanged.
//!
//! JSON goes through recast-json, the workspace's exact JSON, not serde_json: even
//! with `arbitrary_precision`, serde_json rewrites exponents (`1E5` becomes `1e+5`),
//! and records keep their numbers as written. recast-json also refuses duplicate keys,
//! bounds depth and size, and locates its errors.

mod read;
mod write;

pub use read::JsonFeedReader;
pub use write::JsonFeedWriter;

/// The `version` a JSON Feed 1.1 document declares.
pub const VERSION_1_1: &str = "https://jsonfeed.org/version/1.1";

/// The key of recast's extension object on items and at the top of the feed.
pub const EXTENSION: &str = "_recast";

/// True when a `version` value names JSON Feed (1.0, 1.1, later 1.x), as written
/// (`https://jsonfeed.org/version/1`) or with escaped slashes (`https:\/\/…`, PHP's
/// default), given the text between its quotes.
pub fn is_json_feed_version(version: &str) -> bool {
    let version: String = version.chars().filter(|&c| c != '\\').collect();
    let rest = version
        .strip_prefix("https://")
        .or_else(|| version.strip_prefix("http://"));
    rest.is_some_and(|rest| rest.starts_with("jsonfeed.org/version/1"))
}

/// True when the head of a document (its first few KiB) is a JSON object declaring a
/// JSON Feed `version`. Looks at the text only: `"version"`, a colon, a string.
pub fn sniff(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.trim_ascii_start().first() != Some(&b'{') {
        return false;
    }
    let key = b"\"version\"";
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&head[from..], key) {
        let after = head[from + at + key.len()..].trim_ascii_start();
        if let Some(after) = after.strip_prefix(b":")
            && let Some(text) = after.trim_ascii_start().strip_prefix(b"\"")
        {
            let end = memchr::memchr(b'"', text).unwrap_or(text.len());
            if let Ok(version) = std::str::from_utf8(&text[..end])
                && is_json_feed_version(version)
            {
                return true;
            }
        }
        from += at + key.len();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FeedWriteOptions;
    use recast_model::{Channel, Map, Record, RecordReader, RecordWriter, Value};

    fn parse(json: &str) -> Value {
        recast_json::parse_value(json).unwrap()
    }

    #[test]
    fn records_and_channel_come_back_exactly() {
        let fields = |json: &str| match parse(json) {
            Value::Map(map) => map,
            _ => unreachable!(),
        };
        let records = [
            fields(
                r#"{"title": "Numbers", "publishedDateTime": "2024-03-01T09:00:00+01:00",
                    "big": 12345678901234567890123, "float": 1.50, "exp": 1E5, "neg": -0,
                    "nested": {"z": [true, null, {"b": 1, "a": 2}]}, "_private": "kept",
                    "body": "Some *Markdown*.\n"}"#,
            ),
            fields(r#"{"title": "Undated \u0000 control", "markup": "html", "body": "<p>x</p>"}"#),
            Map::default(),
        ];
        let channel = Channel::from_map(fields(
            r#"{"title": "T", "link": "https://x.example/", "owner": {"name": "N", "n": 1.0}}"#,
        ));
        let options = FeedWriteOptions {
            channel: channel.clone(),
            lossless: true,
            ..FeedWriteOptions::default()
        };
        let mut writer = JsonFeedWriter::new(Vec::new(), options);
        for fields in &records {
            writer
                .write_record(&Record::new(fields.clone(), Default::default()))
                .unwrap();
        }
        writer.finish().unwrap();
        let json = writer.into_inner();
        let mut reader = JsonFeedReader::new(&json[..], None);
        let back: Vec<Map> = reader
            .by_ref()
            .map(|record| record.unwrap().fields)
            .collect();
        assert_eq!(reader.channel(), Some(&channel));
        // Newest first, undated last in arrival order; each one exact, key order too.
        assert_eq!(back.len(), 3);
        for (back, sent) in back.iter().zip(&records) {
            assert!(recast_model::strict_eq(
                &Value::Map(back.clone()),
                &Value::Map(sent.clone())
            ));
        }
    }

    #[test]
    fn sniffs_versions_written_every_way() {
        assert!(sniff(
            br#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#
        ));
        assert!(sniff(
            b"\n{\n  \"title\": \"x\",\n  \"version\" : \"https://jsonfeed.org/version/1\"}"
        ));
        assert!(sniff(
            br#"{"version":"https:\/\/jsonfeed.org\/version\/1"}"#
        ));
        assert!(!sniff(br#"{"version": "2.0", "items": []}"#));
        assert!(!sniff(
            br#"[{"version": "https://jsonfeed.org/version/1"}]"#
        ));
        assert!(!sniff(br#"{"title": "no version"}"#));
    }
}
