//! No input makes the reader panic: truncated and mangled real feeds, random bytes.

use std::path::Path;

use proptest::prelude::*;
use recast_feed::{FeedReadOptions, FeedReader};

fn read_all(bytes: &[u8]) {
    let reader = FeedReader::with_options(bytes, None, FeedReadOptions::default());
    for record in reader.take(10_000) {
        let _ = record;
    }
}

#[test]
fn truncated_and_mangled_real_feeds_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/feeds");
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("xml" | "rss" | "atom")
        ) {
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&path).unwrap();
        for i in 1..6 {
            let cut = bytes.len() * i / 6;
            read_all(&bytes[..cut]);
            let mut mangled = bytes.clone();
            for j in (cut..mangled.len()).step_by(97) {
                mangled[j] = [b'<', b'&', b'>', 0xFF, b'"', 0][j % 6];
            }
            read_all(&mangled);
        }
    }
    assert_eq!(files, 65);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut bytes = b"<rss version=\"2.0\"><channel><item><title>".to_vec();
        bytes.extend_from_slice(&tail);
        read_all(&bytes);
        read_all(&tail);
    }

    #[test]
    fn random_markup_never_panics(parts in proptest::collection::vec(
        prop::sample::select(vec![
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "<entry>", "</entry>", "<item>", "</item>",
            "<title>", "</title>", "<link href=\"", "\"/>", "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\">",
            "</div></content>", "&amp;", "&#x0;", "&#xD800;", "&bogus;", "<![CDATA[", "]]>", "xml:base=\"", "../",
            "<recast:record xmlns:recast=\"https://recast.dev/ns/record/1\">", "<recast:field name=\"a\" type=\"list\">",
            "<recast:value type=\"float\">", "</recast:value>", "</recast:field>", "</recast:record>", "text", " ",
        ]), 0..60)) {
        read_all(parts.concat().as_bytes());
    }
}
