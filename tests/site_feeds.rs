//! Feeds for Jekyll's own test posts (tests/data/sites/jekyll-test-posts, MIT, its
//! LICENSE): the edge cases of real front matter (none at all, empty, `published: false`,
//! date and time overrides, categories as a string or a list, odd file names) become
//! plain, valid RSS, Atom and JSON Feed, with `--content summary` for summary-only feeds.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{
    assert_succeeded, assert_valid_atom, data, feedparser_available, jing_available, recast, run_ok,
};

const CHANNEL: [&str; 6] = [
    "--feed-title",
    "Jekyll tests",
    "--feed-link",
    "https://jekyll.example/",
    "--feed-description",
    "Jekyll's test posts",
];

/// The posts' files: 53 Markdown files, one of them `published: false`.
fn post_files() -> Vec<std::path::PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "md" || e == "markdown")
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&data("sites/jekyll-test-posts"), &mut files);
    files
}

/// Writes the site's feed in `format` into `dir`, returning its path and stderr.
fn site_feed(dir: &Path, format: &str, extra: &[&str]) -> (std::path::PathBuf, String) {
    let name = if format == "jsonfeed" {
        "feed.json".to_owned()
    } else {
        format!("feed.{format}")
    };
    let out = dir.join(name);
    let site = data("sites/jekyll-test-posts");
    let output = recast()
        .args([
            "convert",
            site.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .args([
            "--to",
            format,
            "--permalink",
            "/{source.slug}/",
            "--assume-tz",
            "UTC",
        ])
        .args(CHANNEL)
        .args(extra)
        .output()
        .unwrap();
    assert_succeeded(&output);
    (out, String::from_utf8(output.stderr).unwrap())
}

/// What feedparser sees of a feed: per entry its title, link, date (seconds) and whether
/// it has content; `None` without feedparser.
fn feedparser_entries(feed: &Path) -> Option<Vec<serde_json::Value>> {
    if !feedparser_available() {
        return None;
    }
    let script = "import sys, json, calendar, feedparser\n\
        d = feedparser.parse(sys.argv[1])\n\
        assert not d.bozo, repr(d.get('bozo_exception'))\n\
        print(json.dumps([{'title': e.get('title'), 'link': e.get('link'),\n\
          'date': calendar.timegm(e.published_parsed) if e.get('published_parsed') else None,\n\
          'summary': e.get('summary'), 'content': len(e.get('content', []))} for e in d.entries]))\n";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(feed)
        .output()
        .unwrap();
    assert_succeeded(&output);
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

#[test]
fn every_test_post_is_an_item_with_a_title_an_absolute_link_and_its_date() {
    let files = post_files();
    assert_eq!(files.len(), 53);
    let dir = tempfile::tempdir().unwrap();
    for format in ["rss", "atom", "jsonfeed"] {
        let (feed, stderr) = site_feed(dir.path(), format, &[]);
        assert!(
            stderr.contains("1 draft(s) (draft: true or published: false) left out"),
            "{format}: {stderr}"
        );
        let text = fs::read_to_string(&feed).unwrap();
        // A publication: no record copies, no namespace it does not use.
        assert!(
            !text.contains("recast:") && !text.contains("_recast"),
            "{format}"
        );
        assert!(
            !text.contains("Not published"),
            "{format}: the draft is out"
        );
        if format == "atom" && jing_available() {
            assert_valid_atom([&feed]);
        }
        if format == "jsonfeed" {
            continue;
        }
        let Some(entries) = feedparser_entries(&feed) else {
            continue;
        };
        assert_eq!(entries.len(), 52, "{format}");
        for entry in &entries {
            let title = entry["title"].as_str().unwrap_or_default();
            assert!(
                !title.trim().is_empty(),
                "{format}: an untitled entry {entry}"
            );
            let link = entry["link"].as_str().unwrap_or_default();
            assert!(
                link.starts_with("https://jekyll.example/"),
                "{format}: {entry}"
            );
            assert!(
                !link.contains(' ') && !link.contains('#'),
                "{format}: {link}"
            );
        }
        let find = |title: &str| {
            entries
                .iter()
                .find(|e| e["title"] == title)
                .unwrap_or_else(|| panic!("{format}: no entry {title:?}"))
        };
        // No title in the front matter: Jekyll's, from the file name.
        assert_eq!(
            find("I Dont Like Zeroes")["link"],
            "https://jekyll.example/i-dont-like-zeroes/"
        );
        // The date of `2017-2-5-…`, of a `date:` override, of a time override.
        assert_eq!(find("I Dont Like Zeroes")["date"], 1486252800);
        assert_eq!(find("Date Override")["date"], 1263081600);
        assert_eq!(find("Time Override")["date"], 1263128829);
        // File names that are not URL text are encoded, never cut.
        assert_eq!(find("Hash")["link"], "https://jekyll.example/hash-%231/");
        assert_eq!(
            find("Plus space percent")["link"],
            "https://jekyll.example/escape-+%20%20%5B%5D/"
        );
        // No front matter at all, and an empty one: still posts.
        assert!(find("No Yaml")["date"].is_i64());
        assert!(find("Empty Yaml")["date"].is_i64());
    }
}

#[test]
fn content_summary_gives_summaries_only() {
    let dir = tempfile::tempdir().unwrap();
    let (full, _) = site_feed(dir.path(), "rss", &[]);
    let full = fs::read_to_string(full).unwrap();
    assert!(full.contains("<content:encoded>"));
    let (summary, _) = site_feed(dir.path(), "rss", &["--content", "summary"]);
    let text = fs::read_to_string(&summary).unwrap();
    assert!(
        !text.contains("<content:encoded>") && !text.contains("xmlns:content"),
        "{text}"
    );
    if let Some(entries) = feedparser_entries(&summary) {
        let with_text = entries
            .iter()
            .filter(|e| e["summary"].as_str().is_some_and(|s| !s.trim().is_empty()))
            .count();
        // Every post has a summary: its excerpt, its text up to `<!--more-->`, else its
        // first paragraph.
        assert_eq!(with_text, entries.len(), "{entries:?}");
        let custom = entries
            .iter()
            .find(|e| e["title"] == "Custom Excerpt")
            .unwrap();
        assert_eq!(custom["summary"], "I can set a custom excerpt");
        let zeroes = entries
            .iter()
            .find(|e| e["title"] == "I Dont Like Zeroes")
            .unwrap();
        assert!(
            zeroes["summary"]
                .as_str()
                .unwrap()
                .starts_with("<p>I have an abbreviated date.")
        );
        assert!(entries.iter().all(|e| e["content"] == 0));
    }
    let (atom, _) = site_feed(dir.path(), "atom", &["--content", "summary"]);
    let atom = fs::read_to_string(&atom).unwrap();
    assert!(!atom.contains("<content"), "{atom}");
    assert!(atom.contains("<summary"), "{atom}");
    // Atom marks a summary taken from the body as HTML; JSON Feed's summary is text, and
    // its required content is the summary's HTML.
    assert!(
        atom.contains("<summary type=\"html\">&lt;p&gt;I have an abbreviated date."),
        "{atom}"
    );
    let (json, _) = site_feed(dir.path(), "jsonfeed", &["--content", "summary"]);
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(json).unwrap()).unwrap();
    let zeroes = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["title"] == "I Dont Like Zeroes")
        .unwrap();
    assert!(
        zeroes["summary"]
            .as_str()
            .unwrap()
            .starts_with("I have an abbreviated date."),
        "{zeroes}"
    );
    assert!(
        zeroes["content_html"]
            .as_str()
            .unwrap()
            .starts_with("<p>I have an abbreviated date."),
        "{zeroes}"
    );
    // The flag is for feeds only.
    recast()
        .args([
            "convert",
            "samples/archive",
            "--to",
            "json",
            "--content",
            "summary",
        ])
        .assert()
        .code(2);
}

#[test]
fn test_posts_go_to_json_and_back_to_markdown_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let site = data("sites/jekyll-test-posts");
    let json = dir.path().join("posts.json");
    run_ok(&[
        "convert",
        site.to_str().unwrap(),
        "-o",
        json.to_str().unwrap(),
    ]);
    let back = dir.path().join("back");
    run_ok(&[
        "convert",
        json.to_str().unwrap(),
        "--to",
        "md",
        "--out-dir",
        back.to_str().unwrap(),
        "--name",
        "{source.path}.md",
    ]);
    let original = run_ok(&["convert", site.to_str().unwrap(), "--to", "jsonl"]);
    let again = run_ok(&["convert", back.to_str().unwrap(), "--to", "jsonl"]);
    let lines = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(lines(&again), lines(&original));
}
