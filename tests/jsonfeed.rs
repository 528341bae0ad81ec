//! JSON Feed end to end (issue 13, item 7): archive → JSON Feed → archive strictly, the
//! plain feed's standard members, `-o feed.json`, JSON Feeds written by others (1.1 and
//! 1.0), hostile documents, and the output as Python feedparser reads it.
//!
//! feedparser reads JSON Feed only from its development line (`feedparser.parsers.json`,
//! not in the 6.0.x releases): without it the check is skipped with a note, in CI too.

use crate::feed::{archives, feed_order};
use crate::hostile::assert_refused_with;
use crate::support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

/// Writes `input` as a JSON Feed named `feed.json` (the name alone says JSON Feed), with
/// every record: drafts and future posts too, as an archive carried in a feed needs
/// (with `--lossless` in `extra`, exactly).
fn write_json_feed(input: &Path, flags: &[&str], dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join("feed.json");
    let mut args = vec![
        "convert",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--drafts",
        "--future",
    ];
    args.extend_from_slice(flags);
    args.extend_from_slice(extra);
    run_ok(&args);
    out
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn archives_survive_json_feed_strictly() {
    let dir = tempfile::tempdir().unwrap();
    for (archive, flags) in archives() {
        let expected = feed_order(&records_of(&archive, &[]));
        let feed = write_json_feed(&archive, &flags, dir.path(), &["--lossless"]);
        assert_eq!(
            json(&feed)["version"],
            "https://jsonfeed.org/version/1.1",
            "{}",
            archive.display()
        );
        // Read back by its content: `feed.json` is sniffed as a JSON Feed.
        let actual = records_of(&feed, &[]);
        assert_same_records(
            &actual,
            &expected,
            &format!("{} → jsonfeed", archive.display()),
        );
        let limited = write_json_feed(
            &archive,
            &flags,
            dir.path(),
            &["--limit", "3", "--lossless"],
        );
        assert_same_records(&records_of(&limited, &[]), &expected[..3], "--limit 3");
    }
}

#[test]
fn a_plain_json_feed_has_the_standard_members_only() {
    let dir = tempfile::tempdir().unwrap();
    let archive = sample("archive");
    let feed = write_json_feed(&archive, &[], dir.path(), &[]);
    let text = fs::read_to_string(&feed).unwrap();
    assert!(
        !text.contains("_recast") && !text.contains("secured"),
        "{text}"
    );
    let document = json(&feed);
    assert_eq!(document["title"], "Health & AI Reading List");
    assert_eq!(
        document["home_page_url"],
        "https://example.org/reading-list/"
    );
    assert_eq!(document["language"], "en");
    let items = document["items"].as_array().unwrap();
    let records = feed_order(&records_of(&archive, &[]));
    assert_eq!(items.len(), records.len());
    for (item, record) in items.iter().zip(&records) {
        let record: serde_json::Value = serde_json::from_str(record).unwrap();
        assert_eq!(item["title"], record["title"]);
        assert_eq!(item["url"], record["webUrl"]);
        assert_eq!(item["summary"], record["excerpt"]);
        assert!(item["id"].is_string(), "every item has an id: {item}");
        if let Some(html) = item["content_html"].as_str() {
            assert!(html.starts_with('<'), "the body rendered: {item}");
        }
        // RFC 3339 in the record's own offset, the same instant.
        let published = item["date_published"].as_str().unwrap();
        let written = record["publishedDateTime"].as_str().unwrap();
        let instant = |text: &str| recast_model::date::DateTime::parse(text).unwrap().timestamp;
        assert_eq!(
            instant(published),
            instant(written),
            "{published} vs {written}"
        );
    }
    // Read back, the standard members give the archive's names.
    let back: serde_json::Value = serde_json::from_str(&records_of(&feed, &[])[0]).unwrap();
    let keys: Vec<&str> = back
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "id",
            "webUrl",
            "title",
            "excerpt",
            "publishedDateTime",
            "topics",
            "images",
            "markup",
            "body"
        ],
        "{back}"
    );
}

#[test]
fn feed_json_is_json_feed_and_other_json_names_stay_arrays() {
    let dir = tempfile::tempdir().unwrap();
    let archive = sample("archive");
    let array = dir.path().join("posts.json");
    run_ok(&[
        "convert",
        archive.to_str().unwrap(),
        "-o",
        array.to_str().unwrap(),
    ]);
    assert!(json(&array).is_array());
    let feed = write_json_feed(&archive, &[], dir.path(), &[]);
    assert!(json(&feed)["items"].is_array());
    // --to says it for any name, and standard output.
    let out = run_ok(&[
        "convert",
        archive.to_str().unwrap(),
        "--to",
        "jsonfeed",
        "--limit",
        "1",
    ]);
    assert!(
        out.starts_with("{\n  \"version\": \"https://jsonfeed.org/version/1.1\""),
        "{out}"
    );
    // JSON Feed needs a title, and says which flag gives it.
    recast()
        .args([
            "convert",
            "tests/data/generated/archive.json",
            "--to",
            "jsonfeed",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--feed-title"));
}

#[test]
fn json_feeds_from_others_read_into_the_archive_names() {
    let records = records_of(&data("jsonfeed/jsonfeed-org.json"), &[]);
    assert_eq!(records.len(), 2);
    let first: serde_json::Value = serde_json::from_str(&records[0]).unwrap();
    assert_eq!(first["title"], "JSON Feed version 1.1");
    assert_eq!(
        first["webUrl"],
        "https://www.jsonfeed.org/2020/08/07/json-feed-version.html"
    );
    assert_eq!(first["publishedDateTime"], "2020-08-07T11:44:36-05:00");
    assert_eq!(first["topics"], serde_json::json!(["spec", "announcement"]));
    assert_eq!(first["markup"], "html");
    assert!(
        first["body"]
            .as_str()
            .unwrap()
            .starts_with("<p>We’ve updated")
    );
    // An extension object that is not recast's stays a field, its number exact.
    assert!(
        records[0].contains(
            r#""_example":{"about":"an extension object, kept as a field","score":1.50}"#
        )
    );
    let second: serde_json::Value = serde_json::from_str(&records[1]).unwrap();
    assert_eq!(second["author"], "Brent Simmons");
    assert_eq!(second["updatedDateTime"], "2017-05-18T08:00:00-05:00");
    assert_eq!(
        second["images"][0]["url"],
        "https://www.jsonfeed.org/graphics/icon.png"
    );

    // JSON Feed 1.0, slashes escaped: `author`, attachments, text content.
    let podcast = records_of(&data("jsonfeed/podcast-1.0.json"), &[]);
    let episode: serde_json::Value = serde_json::from_str(&podcast[0]).unwrap();
    assert_eq!(episode["webUrl"], "http://therecord.co/chris-parrish");
    assert_eq!(episode["markup"], "text");
    assert_eq!(
        episode["enclosure"],
        serde_json::json!({
            "url": "http://therecord.co/downloads/The-Record-sp1e1-ChrisParrish.m4a",
            "type": "audio/x-m4a",
            "length": 89970236,
            "duration": 6629
        })
    );

    // Their channel goes on: to RSS with its title, link and feed author.
    let rss = run_ok(&[
        "convert",
        "tests/data/jsonfeed/podcast-1.0.json",
        "--to",
        "rss",
        "--feed-description",
        "Podcast",
    ]);
    assert!(rss.contains("<title>The Record</title>"), "{rss}");
    assert!(
        rss.contains("<dc:creator>Brent Simmons</dc:creator>"),
        "{rss}"
    );
    assert!(rss.contains(r#"<enclosure url="http://therecord.co/downloads/The-Record-sp1e1-ChrisParrish.m4a" length="89970236" type="audio/x-m4a"/>"#), "{rss}");

    // And back to JSON Feed: 1.1's `authors`, the attachment with its duration.
    let dir = tempfile::tempdir().unwrap();
    let feed = write_json_feed(&data("jsonfeed/podcast-1.0.json"), &[], dir.path(), &[]);
    let document = json(&feed);
    assert_eq!(document["authors"][0]["name"], "Brent Simmons");
    assert_eq!(
        document["items"][0]["attachments"][0]["size_in_bytes"],
        serde_json::json!(89970236)
    );
}

#[test]
fn hostile_json_feeds_give_located_errors() {
    let version = r#""version": "https://jsonfeed.org/version/1.1""#;
    let cases: Vec<(&str, String, i32, Vec<&str>)> = vec![
        (
            "not-json.json",
            format!("{{{version}, \"items\": [{{\"title\": x}}]}}"),
            1,
            vec![":1:"],
        ),
        (
            "deep.json",
            format!(
                "{{{version}, \"items\": [{}{}]}}",
                "[".repeat(50_000),
                "]".repeat(50_000)
            ),
            4,
            vec!["deeper than 128"],
        ),
        (
            "items.json",
            format!("{{{version}, \"items\": 3}}"),
            1,
            vec!["\"items\" is not a list"],
        ),
        (
            "item.json",
            format!("{{{version}, \"items\": [3]}}"),
            1,
            vec!["item 1", "not an object"],
        ),
        (
            "trailing.json",
            format!("{{{version}, \"items\": []}} x"),
            1,
            vec!["trailing.json:1:", "end of input"],
        ),
        (
            "truncated.json",
            format!("{{{version}, \"items\": [{{\"title\": \"a\""),
            1,
            vec![":1:"],
        ),
    ];
    for (name, text, code, expected) in &cases {
        assert_refused_with(
            name,
            text.as_bytes(),
            &["--from", "jsonfeed"],
            *code,
            expected,
        );
    }
    // Without a JSON Feed version, --from jsonfeed refuses it; read as .json it is JSON.
    assert_refused_with(
        "plain.json",
        br#"{"title": "no version", "items": []}"#,
        &["--from", "jsonfeed"],
        1,
        &["plain.json:1:1", "not a JSON Feed"],
    );
    assert_refused_with(
        "array.json",
        b"[{\"version\": 1}]",
        &["--from", "jsonfeed"],
        1,
        &["not a JSON object"],
    );
}

#[test]
fn feedparser_reads_recasts_json_feeds_like_the_archive() {
    let probe = Command::new("python3")
        .args(["-c", "import feedparser.parsers.json"])
        .output();
    if !probe.is_ok_and(|output| output.status.success()) {
        eprintln!(
            "note: feedparser with JSON Feed support (feedparser.parsers.json) is not installed; skipping its check"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (archive, flags) in archives() {
        let feed = write_json_feed(&archive, &flags, dir.path(), &[]);
        let expected = dir.path().join("expected.jsonl");
        fs::write(&expected, feed_order(&records_of(&archive, &[])).join("\n")).unwrap();
        let output = Command::new("python3")
            .arg(data("jsonfeed/check_json_feed.py"))
            .arg(&feed)
            .arg(&expected)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}: {}{}",
            archive.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A JSON Feed publishes what RSS and Atom publish: the samples' four `published: false`
/// articles are left out, with the count on stderr, and `--drafts` puts them back.
#[test]
fn a_json_feed_leaves_drafts_out_as_the_other_feeds_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("feed.json");
    let output = recast()
        .args(["convert", "samples/archive", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("4 draft(s)"), "{stderr}");
    assert_eq!(json(&out)["items"].as_array().unwrap().len(), 9);
    let with_drafts = write_json_feed(&sample("archive"), &[], dir.path(), &[]);
    assert_eq!(json(&with_drafts)["items"].as_array().unwrap().len(), 13);
}
