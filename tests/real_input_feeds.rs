//! Issue 11, "Feeds read from the world, written back": HTML bodies stay HTML (case 12),
//! enclosures, authors and iTunes elements survive a rewrite (case 13), item ids do not
//! change when a title does (case 14).
//!
//! The corpus check needs Python's `feedparser`: without it the check is skipped with a
//! note, except in CI (`CI=true`), where a missing tool fails the test.

use crate::support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

/// An RSS feed from elsewhere (no recast:record) whose body is HTML that Markdown
/// would change: emphasis stars, underscores, an indented paragraph.
const HTML_FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Maths</title><link>https://m.example/</link><description>d</description>
<item><title>Products</title><link>https://m.example/p</link>
<content:encoded><![CDATA[<p>2*3*4 is 24, and __init__ runs first.</p>
    <p>An indented paragraph.</p>]]></content:encoded></item>
</channel></rss>
"#;

const HTML_BODY: &str =
    "<p>2*3*4 is 24, and __init__ runs first.</p>\n    <p>An indented paragraph.</p>";

fn content_of(feed: &str, element: &str) -> String {
    let open = format!("<{element}");
    let start = feed
        .find(&open)
        .unwrap_or_else(|| panic!("no {element}: {feed}"));
    let start = start + feed[start..].find('>').unwrap() + 1;
    let end = start + feed[start..].find(&format!("</{element}>")).unwrap();
    feed[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
fn html_bodies_stay_html_through_md_folder_json_and_feeds() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("maths.rss");
    fs::write(&feed, HTML_FEED).unwrap();
    let folder = dir.path().join("md");
    run_ok(&[
        "convert",
        feed.to_str().unwrap(),
        "--out-dir",
        folder.to_str().unwrap(),
    ]);
    let post = fs::read_to_string(folder.join("products.md")).expect("products.md written");
    assert!(post.contains("\nmarkup: html\n"), "{post}");
    assert!(
        post.ends_with(&format!("---\n{HTML_BODY}\n")) || post.contains(HTML_BODY),
        "{post}"
    );
    // md folder → JSON → RSS and Atom: the body is written as it is, never rendered.
    let json = dir.path().join("maths.json");
    run_ok(&[
        "convert",
        folder.to_str().unwrap(),
        "-o",
        json.to_str().unwrap(),
    ]);
    for (format, element) in [("rss", "content:encoded"), ("atom", "content")] {
        let mut args = vec!["convert", json.to_str().unwrap(), "--to", format];
        args.extend_from_slice(&CHANNEL);
        let out = run_ok(&args);
        assert_eq!(content_of(&out, element), HTML_BODY, "{format}: {out}");
    }
    // A Markdown body (no markup field) is still rendered.
    let markdown = dir.path().join("md.json");
    fs::write(
        &markdown,
        r#"[{"title": "M", "url": "https://m.example/m", "body": "2*3*4 and *this*"}]"#,
    )
    .unwrap();
    let mut args = vec!["convert", markdown.to_str().unwrap(), "--to", "rss"];
    args.extend_from_slice(&CHANNEL);
    let out = run_ok(&args);
    assert!(out.contains("&lt;em&gt;this&lt;/em&gt;"), "{out}");
    // Atom text content is text: `markup: text`, escaped when written, never rendered.
    let text_feed = dir.path().join("text.atom");
    fs::write(
        &text_feed,
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><id>f</id><title>t</title><updated>2024-01-01T00:00:00Z</updated>
<entry><id>e</id><title>e</title><updated>2024-01-01T00:00:00Z</updated><content type="text">a &lt; b, 2*3*4</content></entry></feed>"#,
    )
    .unwrap();
    let records = records_of(&text_feed, &[]);
    assert!(
        records[0].contains(r#""markup":"text","body":"a < b, 2*3*4""#),
        "{records:?}"
    );
    let mut args = vec!["convert", text_feed.to_str().unwrap(), "--to", "rss"];
    args.extend_from_slice(&CHANNEL);
    let out = run_ok(&args);
    assert_eq!(
        content_of(&out, "content:encoded"),
        "a &lt; b, 2*3*4",
        "{out}"
    );
    // Recast's own lossless feed gives the exact records back, markup field included.
    let rss = dir.path().join("again.rss");
    let mut args = vec![
        "convert",
        json.to_str().unwrap(),
        "-o",
        rss.to_str().unwrap(),
        "--lossless",
    ];
    args.extend_from_slice(&CHANNEL);
    run_ok(&args);
    assert_eq!(records_of(&rss, &[]), records_of(&json, &[]));
}

/// A podcast as podcast hosts write it: four episodes with enclosures, iTunes elements
/// on the channel (image, owner, nested categories) and on the items.
const PODCAST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Pod</title><link>https://pod.example/</link><description>A podcast</description>
<itunes:author>Pod People</itunes:author>
<itunes:image href="https://pod.example/cover.jpg"/>
<itunes:owner><itunes:name>Ann</itunes:name><itunes:email>ann@pod.example</itunes:email></itunes:owner>
<itunes:category text="Technology"><itunes:category text="Podcasting"/></itunes:category>
<itunes:category text="Comedy"/>
<itunes:explicit>false</itunes:explicit>
<item><title>One</title><guid isPermaLink="false">pod-1</guid><pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="https://pod.example/1.mp3" length="1000" type="audio/mpeg"/>
<author>ann@pod.example (Ann)</author><itunes:duration>12:34</itunes:duration><itunes:episode>1</itunes:episode><itunes:season>1</itunes:season><itunes:explicit>false</itunes:explicit></item>
<item><title>Two</title><guid isPermaLink="false">pod-2</guid><pubDate>Mon, 08 Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="https://pod.example/2.mp3" length="2000" type="audio/mpeg"/>
<dc:creator>Bob</dc:creator><itunes:duration>45:00</itunes:duration><itunes:episode>2</itunes:episode></item>
<item><title>Three</title><guid isPermaLink="false">pod-3</guid><pubDate>Mon, 15 Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="https://pod.example/3.m4a" length="3000" type="audio/x-m4a"/><itunes:image href="https://pod.example/3.jpg"/></item>
<item><title>Four</title><guid isPermaLink="false">pod-4</guid><pubDate>Mon, 22 Jan 2024 10:00:00 +0000</pubDate>
<enclosure url="https://pod.example/4.mp3" length="4000" type="audio/mpeg"/></item>
</channel></rss>
"#;

#[test]
fn a_podcast_rewritten_in_place_keeps_enclosures_authors_and_itunes() {
    let dir = tempfile::tempdir().unwrap();
    let pod = dir.path().join("pod.rss");
    fs::write(&pod, PODCAST).unwrap();
    // A plain feed carries only what the profile maps: a field it cannot carry fails the
    // file and it stays as it was.
    recast()
        .args(["migrate", pod.to_str().unwrap()])
        .args(["--set", "reviewed=true", "--in-place"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "the field `reviewed` is not one of those; give --lossless",
        ));
    assert_eq!(fs::read_to_string(&pod).unwrap(), PODCAST);
    run_ok(&[
        "migrate",
        pod.to_str().unwrap(),
        "--set",
        "reviewed=true",
        "--in-place",
        "--lossless",
    ]);
    let out = fs::read_to_string(&pod).unwrap();
    assert_eq!(out.matches("<enclosure ").count(), 4, "{out}");
    for expected in [
        r#"<enclosure url="https://pod.example/1.mp3" length="1000" type="audio/mpeg"/>"#,
        r#"<enclosure url="https://pod.example/3.m4a" length="3000" type="audio/x-m4a"/>"#,
        r#"<itunes:image href="https://pod.example/cover.jpg"/>"#,
        "<itunes:name>Ann</itunes:name>",
        "<itunes:email>ann@pod.example</itunes:email>",
        r#"<itunes:category text="Technology">"#,
        r#"<itunes:category text="Podcasting"/>"#,
        r#"<itunes:category text="Comedy"/>"#,
        "<itunes:author>Pod People</itunes:author>",
        "<author>ann@pod.example (Ann)</author>",
        "<dc:creator>Bob</dc:creator>",
        "<itunes:duration>12:34</itunes:duration>",
        "<itunes:episode>1</itunes:episode>",
        "<itunes:season>1</itunes:season>",
        "<itunes:explicit>false</itunes:explicit>",
        r#"<itunes:image href="https://pod.example/3.jpg"/>"#,
        r#"<guid isPermaLink="false">pod-1</guid>"#,
    ] {
        assert!(out.contains(expected), "{expected} missing:\n{out}");
    }
    // The records name them as issue 13 does.
    let records = records_of(&pod, &[]);
    let one: serde_json::Value =
        serde_json::from_str(records.iter().find(|r| r.contains("\"One\"")).unwrap()).unwrap();
    assert_eq!(one["enclosure"]["url"], "https://pod.example/1.mp3");
    assert_eq!(one["enclosure"]["length"], 1000);
    assert_eq!(one["author"], "ann@pod.example (Ann)");
    assert_eq!(one["itunes"]["duration"], "12:34");
    assert_eq!(one["reviewed"], true);
    // An Atom rewrite: enclosure links with type and length, the entry's own author.
    let atom = run_ok(&["convert", pod.to_str().unwrap(), "--to", "atom"]);
    assert!(atom.contains(r#"<link rel="enclosure" href="https://pod.example/2.mp3" type="audio/mpeg" length="2000"/>"#), "{atom}");
    assert!(atom.contains("<name>Bob</name>"), "{atom}");
    assert!(atom.contains("<email>ann@pod.example</email>"), "{atom}");
}

/// Where feedparser's view of the original is wrong, so a correct rewrite differs.
const FEEDPARSER_MISREADS: &[(&str, &str)] = &[(
    "feedrs--rss_2.0_relurl_1.xml",
    "feedparser splits `jonas@insanity.industries (Jonas Große Sundrup)` inside the \
     address (\"jonas@insanity.indu\", name \"stries (Jonas …\"); recast's Atom has the \
     right name and address",
)];

fn corpus() -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = fs::read_dir(data("feeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xml" | "rss" | "atom")
            )
        })
        .collect();
    names.sort();
    names
}

/// Every corpus feed → Markdown folder → RSS and Atom: feedparser sees the same
/// enclosures, authors and categories in every entry (`same_view.py` says how the
/// formats' own rules are allowed for), and no bozo.
#[test]
fn every_real_feed_keeps_enclosures_authors_and_categories_through_a_md_folder() {
    if !feedparser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let names = corpus();
    assert_eq!(names.len(), 65);
    let mut failures = Vec::new();
    for path in &names {
        let name = path.file_name().unwrap().to_str().unwrap();
        let folder = dir.path().join(name);
        run_ok(&[
            "convert",
            path.to_str().unwrap(),
            "--out-dir",
            folder.to_str().unwrap(),
            "--quiet",
        ]);
        let mut outputs = Vec::new();
        for format in ["rss", "atom"] {
            let out = dir.path().join(format!("{name}.{format}"));
            let mut args = vec![
                "convert",
                folder.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--quiet",
            ];
            args.extend_from_slice(&CHANNEL);
            run_ok(&args);
            outputs.push(out);
        }
        let output = Command::new("python3")
            .arg(data("feeds/same_view.py"))
            .arg(path)
            .args(&outputs)
            .output()
            .unwrap();
        let misread = FEEDPARSER_MISREADS.iter().any(|(n, _)| *n == name);
        // A known misreading must still show, so the list cannot go stale.
        assert_eq!(
            output.status.success(),
            !misread,
            "{}",
            String::from_utf8_lossy(&output.stdout)
        );
        if !output.status.success() && !misread {
            failures.push(String::from_utf8_lossy(&output.stdout).into_owned());
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Atom output still validates.
    if !jing_available() {
        return;
    }
    assert_valid_atom(names.iter().map(|p| {
        dir.path()
            .join(format!("{}.atom", p.file_name().unwrap().to_str().unwrap()))
    }));
}

/// The check can fail: a feed whose enclosures were dropped is caught.
#[test]
fn the_corpus_check_catches_a_lost_enclosure() {
    if !feedparser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let original = data("feeds/netnewswire--atp.rss");
    let text = fs::read_to_string(&original).unwrap();
    let stripped = dir.path().join("stripped.rss");
    let cut = text.find("<enclosure").unwrap();
    let end = cut + text[cut..].find("/>").unwrap() + 2;
    fs::write(&stripped, format!("{}{}", &text[..cut], &text[end..])).unwrap();
    let output = Command::new("python3")
        .arg(data("feeds/same_view.py"))
        .arg(&original)
        .arg(&stripped)
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

/// The first item's id: Atom's entry `id`, RSS's `guid`.
fn id_of(feed: &str, element: &str) -> String {
    let item = feed
        .find("<entry>")
        .or_else(|| feed.find("<item>"))
        .expect("an item");
    content_of(&feed[item..], element)
}

fn feed_of(dir: &Path, json: &str, format: &str, extra: &[&str]) -> String {
    let input = dir.join("post.json");
    fs::write(&input, json).unwrap();
    let mut args = vec!["convert", input.to_str().unwrap(), "--to", format];
    args.extend_from_slice(&CHANNEL);
    args.extend_from_slice(extra);
    run_ok(&args)
}

#[test]
fn item_ids_do_not_change_when_a_title_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    // With a link: the link is the id, in both formats.
    let typo = r#"[{"title": "Helo", "url": "https://x.org/a/"}]"#;
    let fixed = r#"[{"title": "Hello", "url": "https://x.org/a/"}]"#;
    let atom = feed_of(dir, typo, "atom", &[]);
    assert!(atom.contains("<id>https://x.org/a/</id>"), "{atom}");
    assert_eq!(
        id_of(&atom, "id"),
        id_of(&feed_of(dir, fixed, "atom", &[]), "id")
    );
    let rss = feed_of(dir, typo, "rss", &[]);
    assert!(
        rss.contains(r#"<guid isPermaLink="true">https://x.org/a/</guid>"#),
        "{rss}"
    );
    // The link the profile chose (--map), made absolute against the feed link.
    let relative = r#"[{"title": "Helo", "permalink": "/a/"}]"#;
    let rss = feed_of(dir, relative, "rss", &["--map", "link=permalink"]);
    assert!(
        rss.contains(r#"<guid isPermaLink="true">https://x.example/a/</guid>"#),
        "{rss}"
    );
    assert!(rss.contains("<link>https://x.example/a/</link>"), "{rss}");
    // An id of the record's own wins, and is no permalink unless it is the link.
    let own = r#"[{"title": "Helo", "id": "post-7", "url": "https://x.org/a/"}]"#;
    let rss = feed_of(dir, own, "rss", &[]);
    assert!(
        rss.contains(r#"<guid isPermaLink="false">post-7</guid>"#),
        "{rss}"
    );
    // No link: a hash of the date and the source, never of the title.
    let typo = r#"[{"title": "Helo", "date": "2024-01-02"}]"#;
    let fixed = r#"[{"title": "Hello", "date": "2024-01-02"}]"#;
    let other_day = r#"[{"title": "Hello", "date": "2024-01-03"}]"#;
    let ids: Vec<String> = [typo, fixed, other_day]
        .iter()
        .map(|json| {
            id_of(
                &feed_of(dir, json, "atom", &["--map", "published=date"]),
                "id",
            )
        })
        .collect();
    assert!(ids[0].starts_with("urn:recast:item:"), "{ids:?}");
    assert_eq!(ids[0], ids[1], "the title changed the id");
    assert_ne!(ids[1], ids[2], "different posts, same id");
    let rss = feed_of(dir, typo, "rss", &["--map", "published=date"]);
    assert!(
        rss.contains(&format!(r#"<guid isPermaLink="false">{}</guid>"#, ids[0])),
        "{rss}"
    );
}
