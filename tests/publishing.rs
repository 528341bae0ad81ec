//! Publishing touches (issue 13, items 8 and 9): the browser stylesheet (`--stylesheet`,
//! `recast stylesheet`, checked with xsltproc), the WebSub hub (`--hub`), and one feed
//! per value of a field (`--split-by`).
//!
//! xsltproc, jing and Python's feedparser are installed by `.ci/run`; without them the
//! checks are skipped with a note, except in CI (see [`tool_available`]).

use crate::support;

use std::fs;
use std::path::Path;
use std::process::Command;

use predicates::prelude::*;
use support::*;

const STYLESHEET: &str = "/feed.xsl?v=1&theme=plain";
const HUB: &str = "https://pubsubhubbub.appspot.com/";

/// The samples as a feed of `format` with the stylesheet and the hub, every record
/// published.
fn publish_samples(format: &str, dir: &Path) -> std::path::PathBuf {
    let out = dir.join(format!("feed.{format}"));
    run_ok(&[
        "convert",
        sample("archive").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--drafts",
        "--future",
        "--stylesheet",
        STYLESHEET,
        "--hub",
        HUB,
    ]);
    out
}

/// `field` of every record of `input`, as JSON values (one per record, `null` when missing).
fn field_of_records(input: &Path, field: &str) -> Vec<serde_json::Value> {
    records_of(input, &[])
        .iter()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).expect("JSON");
            record[field].clone()
        })
        .collect()
}

/// Text as HTML character data (what xsltproc writes for it).
fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn feeds_start_with_the_stylesheet_and_announce_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let rss = fs::read_to_string(publish_samples("rss", dir.path())).unwrap();
    let atom = fs::read_to_string(publish_samples("atom", dir.path())).unwrap();
    let pi = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
              <?xml-stylesheet type=\"text/xsl\" href=\"/feed.xsl?v=1&amp;theme=plain\"?>\n";
    assert!(rss.starts_with(pi), "{}", &rss[..200]);
    assert!(atom.starts_with(pi), "{}", &atom[..200]);
    assert!(rss.contains(&format!("<atom:link href=\"{HUB}\" rel=\"hub\"/>")));
    assert!(atom.contains(&format!("<link rel=\"hub\" href=\"{HUB}\"/>")));
    // Without the flags, neither is written.
    let plain = run_ok(&[
        "convert",
        sample("archive").to_str().unwrap(),
        "--to",
        "rss",
    ]);
    assert!(!plain.contains("xml-stylesheet") && !plain.contains("rel=\"hub\""));
}

#[test]
fn json_feed_lists_the_hub() {
    let out = run_ok(&[
        "convert",
        sample("archive").to_str().unwrap(),
        "--to",
        "jsonfeed",
        "--hub",
        HUB,
    ]);
    let feed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        feed["hubs"],
        serde_json::json!([{"type": "WebSub", "url": HUB}])
    );
}

#[test]
fn flags_that_cannot_take_effect_are_usage_errors() {
    let archive = sample("archive");
    let archive = archive.to_str().unwrap();
    for (to, flag, value) in [
        ("json", "--stylesheet", "/feed.xsl"),
        ("jsonfeed", "--stylesheet", "/feed.xsl"),
        ("csv", "--hub", HUB),
    ] {
        recast()
            .args(["convert", archive, "--to", to, flag, value])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(flag));
    }
}

#[test]
fn the_stylesheet_shows_every_item_in_a_browser() {
    if !tool_available("xsltproc", Command::new("xsltproc").arg("--version"), true) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xsl = dir.path().join("feed.xsl");
    fs::write(&xsl, run_ok(&["stylesheet"])).unwrap();
    let titles = field_of_records(&sample("archive"), "title");
    assert!(titles.len() > 5);
    for format in ["rss", "atom"] {
        let feed = publish_samples(format, dir.path());
        let output = Command::new("xsltproc")
            .arg(&xsl)
            .arg(&feed)
            .output()
            .unwrap();
        assert!(
            output.status.success() && output.stderr.is_empty(),
            "xsltproc on {format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let html = String::from_utf8(output.stdout).unwrap();
        assert!(
            html.contains("<title>Health &amp; AI Reading List"),
            "{format}: {html}"
        );
        assert!(html.contains("This is a web feed."));
        assert_eq!(html.matches("<article>").count(), titles.len(), "{format}");
        for title in &titles {
            let title = html_text(title.as_str().expect("every sample has a title"));
            assert!(html.contains(&title), "{format}: no {title:?} in the page");
        }
        // Nothing is fetched from elsewhere: no script, stylesheet link or image.
        for external in ["<script", "<link", "<img", "@import"] {
            assert!(!html.contains(external), "{format}: {external}");
        }
    }
}

#[test]
fn atom_with_stylesheet_and_hub_validates() {
    if !jing_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let feed = publish_samples("atom", dir.path());
    assert_valid_atom([&feed]);
}

/// feedparser's view of a feed: no bozo, the entry count, the hub link.
const FEEDPARSER_CHECK: &str = r#"
import sys, feedparser
feed = feedparser.parse(sys.argv[1])
if feed.bozo:
    sys.exit("bozo: %s" % feed.bozo_exception)
hubs = [l.href for l in feed.feed.get("links", []) if l.get("rel") == "hub"]
print(len(feed.entries), " ".join(hubs))
"#;

/// feedparser reads `feed` with no bozo; returns its entry count and hub links.
fn feedparser_reads(feed: &Path) -> String {
    let output = Command::new("python3")
        .args(["-c", FEEDPARSER_CHECK])
        .arg(feed)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "feedparser on {}: {}",
        feed.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

#[test]
fn feedparser_reads_feeds_with_stylesheet_and_hub() {
    if !feedparser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let items = field_of_records(&sample("archive"), "title").len();
    for format in ["rss", "atom"] {
        let feed = publish_samples(format, dir.path());
        assert_eq!(
            feedparser_reads(&feed),
            format!("{items} {HUB}"),
            "{format}"
        );
    }
}

/// How many records hold each value of `field` (a list counts item by item, a value
/// listed twice once), by slug: the count the split's feeds must have. `published`
/// decides which records a feed publishes.
fn count_by_slug(
    records: &[serde_json::Value],
    field: &str,
    published: impl Fn(&serde_json::Value) -> bool,
) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for record in records.iter().filter(|r| published(r)) {
        let values: Vec<&serde_json::Value> = match &record[field] {
            serde_json::Value::Array(items) => items.iter().collect(),
            serde_json::Value::Null => Vec::new(),
            one => vec![one],
        };
        let mut slugs: Vec<String> = values
            .iter()
            .map(|v| recast_model::template::slug(v.as_str().expect("text topics")))
            .collect();
        slugs.sort();
        slugs.dedup();
        for slug in slugs {
            *counts.entry(slug).or_insert(0) += 1;
        }
    }
    counts
}

/// The samples' records, as JSON.
fn sample_records() -> Vec<serde_json::Value> {
    let json = run_ok(&[
        "convert",
        sample("archive").to_str().unwrap(),
        "--to",
        "json",
    ]);
    serde_json::from_str::<serde_json::Value>(&json)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Splits the samples by topics into `dir` as `format`; returns the file names written.
fn split_samples(format: &str, dir: &Path, extra: &[&str]) -> Vec<String> {
    let archive = sample("archive");
    let mut args = vec![
        "convert",
        archive.to_str().unwrap(),
        "--split-by",
        "topics",
        "--to",
        format,
        "--out-dir",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run_ok(&args);
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn split_by_topics_gives_one_feed_per_topic_with_its_items() {
    let records = sample_records();
    let is_draft = |r: &serde_json::Value| r["draft"] == true || r["published"] == false;
    // The samples hold drafts (`published: false`) and no future post.
    let cases: [(&[&str], bool); 2] = [(&["--drafts", "--future"], true), (&[], false)];
    for (flags, drafts_too) in cases {
        let expected = count_by_slug(&records, "topics", |r| drafts_too || !is_draft(r));
        assert!(expected.len() > 5, "{expected:?}");
        let root = tempfile::tempdir().unwrap();
        for (format, extension) in [("rss", "rss"), ("atom", "atom"), ("jsonfeed", "json")] {
            let dir = root.path().join(format);
            let names = split_samples(format, &dir, flags);
            let mut wanted: Vec<String> = expected
                .keys()
                .map(|slug| format!("{slug}.{extension}"))
                .collect();
            wanted.sort();
            assert_eq!(
                names, wanted,
                "{format} {flags:?}: the folder holds the feeds only"
            );
            for (slug, count) in &expected {
                let text = fs::read_to_string(dir.join(format!("{slug}.{extension}"))).unwrap();
                let items = match format {
                    "rss" => text.matches("<item>").count(),
                    "atom" => text.matches("<entry>").count(),
                    _ => serde_json::from_str::<serde_json::Value>(&text).unwrap()["items"]
                        .as_array()
                        .unwrap()
                        .len(),
                };
                assert_eq!(items, *count, "{format} {flags:?}: {slug}");
            }
        }
    }
}

#[test]
fn feedparser_reads_every_split_feed() {
    if !feedparser_available() {
        return;
    }
    let records = sample_records();
    let expected = count_by_slug(&records, "topics", |_| true);
    let root = tempfile::tempdir().unwrap();
    for format in ["rss", "atom"] {
        let dir = root.path().join(format);
        split_samples(format, &dir, &["--drafts", "--future", "--hub", HUB]);
        for (slug, count) in &expected {
            let feed = dir.join(format!("{slug}.{format}"));
            assert_eq!(feedparser_reads(&feed), format!("{count} {HUB}"), "{slug}");
        }
    }
}

#[test]
fn split_by_warns_about_records_without_the_field() {
    let records = sample_records();
    // An empty list is no value too.
    let without = records
        .iter()
        .filter(|r| r["topics"].is_null() || r["topics"] == serde_json::json!([]))
        .count();
    assert!(without > 0, "the samples hold a record without topics");
    let dir = tempfile::tempdir().unwrap();
    recast()
        .args(["convert", sample("archive").to_str().unwrap()])
        .args(["--split-by", "topics", "--to", "rss", "--out-dir"])
        .arg(dir.path().join("feeds"))
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "{without} record(s) have no topics and are in no feed"
        )));
}

#[test]
fn values_sharing_a_slug_are_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts.jsonl");
    fs::write(
        &input,
        "{\"title\": \"a\", \"tags\": [\"Rust\"]}\n{\"title\": \"b\", \"tags\": \"rust\"}\n",
    )
    .unwrap();
    let out = dir.path().join("feeds");
    recast()
        .arg("convert")
        .arg(&input)
        .args([
            "--split-by",
            "tags",
            "--to",
            "jsonfeed",
            "--feed-title",
            "T",
            "--out-dir",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("\"Rust\" and \"rust\"")
                .and(predicate::str::contains("rust.json")),
        );
    // Nothing was written.
    assert_eq!(fs::read_dir(&out).map(|d| d.count()).unwrap_or(0), 0);
}

#[test]
fn split_by_needs_a_feed_and_a_folder() {
    let archive = sample("archive");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("feeds");
    recast()
        .args([
            "convert",
            archive.to_str().unwrap(),
            "--split-by",
            "topics",
            "--to",
            "rss",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out-dir"));
    recast()
        .args([
            "convert",
            archive.to_str().unwrap(),
            "--split-by",
            "topics",
            "--out-dir",
        ])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give --to rss, atom or jsonfeed"));
    assert!(!out.exists(), "a usage error makes no folder");
}

#[test]
fn each_split_feed_names_its_value_and_its_own_address() {
    let dir = tempfile::tempdir().unwrap();
    split_samples("atom", dir.path(), &[]);
    let feed = fs::read_to_string(dir.path().join("ai-ethics.atom")).unwrap();
    assert!(feed.contains("<title>Health &amp; AI Reading List: AI Ethics</title>"));
    // samples/archive/_index.md gives selfUrl https://example.org/reading-list/feed.xml.
    let own = "https://example.org/reading-list/ai-ethics.atom";
    assert!(feed.contains(&format!("<id>{own}</id>")), "{feed}");
    assert!(feed.contains(&format!("<link rel=\"self\" href=\"{own}\"")));
}

#[test]
fn the_stylesheet_shows_an_html_summary_as_its_text() {
    if !tool_available("xsltproc", Command::new("xsltproc").arg("--version"), true) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let xsl = dir.path().join("feed.xsl");
    fs::write(&xsl, run_ok(&["stylesheet"])).unwrap();
    let feed = dir.path().join("feed.rss");
    fs::write(
        &feed,
        "<rss version=\"2.0\"><channel><title>T</title><link>https://x.org/</link>\
         <description>D</description><item><title>A</title><link>https://x.org/a</link>\
         <description>&lt;p&gt;Hello &lt;em&gt;world&lt;/em&gt;&lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;</description>\
         </item></channel></rss>",
    )
    .unwrap();
    let output = Command::new("xsltproc")
        .arg(&xsl)
        .arg(&feed)
        .output()
        .unwrap();
    let html = String::from_utf8(output.stdout).unwrap();
    assert!(html.contains("<p>Hello worldx()</p>"), "{html}");
    assert!(!html.contains("<script") && !html.contains("<em>"));
}

/// A dotted field reaches into maps: Zola keeps tags in `[taxonomies]`, the samples name
/// their provider in `provider.name`.
#[test]
fn split_by_a_nested_field_gives_one_feed_per_value() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("posts.jsonl");
    fs::write(
        &input,
        "{\"title\": \"a\", \"taxonomies\": {\"tags\": [\"Rust\", \"CLI\"]}}\n\
         {\"title\": \"b\", \"taxonomies\": {\"tags\": [\"rust-lang\"]}}\n\
         {\"title\": \"c\", \"taxonomies\": {\"categories\": [\"x\"]}}\n",
    )
    .unwrap();
    let out = dir.path().join("feeds");
    recast()
        .arg("convert")
        .arg(&input)
        .args(["--split-by", "taxonomies.tags", "--to", "jsonfeed"])
        .args(["--feed-title", "T", "--out-dir"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "1 record(s) have no taxonomies.tags and are in no feed",
        ));
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["cli.json", "rust-lang.json", "rust.json"]);
    let titles = |name: &str| -> Vec<String> {
        let feed: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(out.join(name)).unwrap()).unwrap();
        feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(titles("rust.json"), ["a"]);
    assert_eq!(titles("cli.json"), ["a"]);
    assert_eq!(titles("rust-lang.json"), ["b"]);
}
