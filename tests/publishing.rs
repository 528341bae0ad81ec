//! Publishing touches (issue 13, items 8 and 9): the browser stylesheet (`--stylesheet`,
//! `recast stylesheet`, checked with xsltproc), the WebSub hub (`--hub`), and one feed
//! per value of a field (`--split-by`).
//!
//! xsltproc, jing and Python's feedparser are installed by `.ci/run`; without them the
//! checks are skipped with a note, except in CI (see [`tool_available`]).

use crate::feed::tool_available;
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
    if !tool_available("jing", Command::new("jing").arg("-h"), false) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let feed = publish_samples("atom", dir.path());
    let output = Command::new("jing")
        .arg("-c")
        .arg(data("feeds/schema/atom.rnc"))
        .arg(&feed)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "jing: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
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

fn feedparser_available() -> bool {
    tool_available(
        "python3 with feedparser",
        Command::new("python3").args(["-c", "import feedparser"]),
        true,
    )
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
