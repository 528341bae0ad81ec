//! Absolute links and permalinks in site feeds (issue 13, items 3 and 4): Jekyll's own
//! news posts (tests/data/sites/jekyll, MIT, LICENSE-jekyll) get their links from
//! `--permalink`, and a post with relative links and images
//! (tests/data/sites/links) comes out with absolute ones in RSS, Atom and JSON Feed.

use std::collections::BTreeSet;
use std::fs;
use std::process::Command;

use serde_json::Value as Json;

use crate::support::{JEKYLL_NEWS_CHANNEL as CHANNEL, data, feedparser_available, recast, run_ok};
use recast_model::source_file::without_date_prefix;

/// The slugs of Jekyll's posts: their file stems without the date prefix.
fn jekyll_slugs() -> BTreeSet<String> {
    fs::read_dir(data("sites/jekyll"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "md" || e == "markdown")
        })
        .map(|path| {
            let stem = path.file_stem().unwrap().to_str().unwrap();
            without_date_prefix(stem).to_owned()
        })
        .collect()
}

fn convert(input: &str, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["convert", input, "--to", format, "--assume-tz", "UTC"];
    args.extend_from_slice(&CHANNEL);
    args.extend_from_slice(extra);
    run_ok(&args)
}

#[test]
fn permalinks_give_every_jekyll_post_an_absolute_link_feedparser_reads() {
    let slugs = jekyll_slugs();
    assert_eq!(slugs.len(), 102);
    let expected: BTreeSet<String> = slugs
        .iter()
        .map(|slug| format!("https://jekyllrb.com/news/{slug}/"))
        .collect();
    let jekyll = data("sites/jekyll");
    let permalink = ["--permalink", "/news/{source.slug}/"];
    let json = convert(jekyll.to_str().unwrap(), "jsonfeed", &permalink);
    let feed: Json = serde_json::from_str(&json).unwrap();
    let links: BTreeSet<String> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["url"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(links, expected);
    // The records themselves get no link.
    assert_eq!(
        convert(jekyll.to_str().unwrap(), "jsonl", &permalink),
        convert(jekyll.to_str().unwrap(), "jsonl", &[])
    );

    if !feedparser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // JSON Feed's links are checked above: the feedparser releases read no JSON Feed.
    for format in ["rss", "atom"] {
        let path = dir.path().join(format!("feed.{format}"));
        fs::write(&path, convert(jekyll.to_str().unwrap(), format, &permalink)).unwrap();
        let script = "import feedparser, sys\n\
                      f = feedparser.parse(sys.argv[1])\n\
                      assert not f.bozo, f.get('bozo_exception')\n\
                      print('\\n'.join(e.link for e in f.entries))";
        let output = Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let links: BTreeSet<String> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(links, expected, "{format}: feedparser's links");
    }
}

/// The post's HTML as RSS, Atom (both escape it once) and JSON Feed carry it.
fn item_html(format: &str) -> String {
    let posts = data("sites/links");
    let out = convert(
        posts.to_str().unwrap(),
        format,
        &["--permalink", "/{source.dir}/{source.slug}/"],
    );
    if format == "jsonfeed" {
        let feed: Json = serde_json::from_str(&out).unwrap();
        return feed["items"][0]["content_html"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

#[test]
fn relative_links_and_images_in_items_come_out_absolute() {
    let page = "https://jekyllrb.com/_posts/charts/";
    for format in ["rss", "atom", "jsonfeed"] {
        let html = item_html(format);
        for expected in [
            r#"<a href="https://jekyllrb.com/2023/12/other/">"#.to_owned(),
            format!(r#"<img src="{page}chart.png""#),
            format!(r#"srcset="{page}a.png 1x, {page}b.png 2x""#),
            format!(r#"<video poster="{page}p.jpg" src="{page}v.mp4">"#),
            format!(r##"<a href="{page}#notes">"##),
            r#"<a href="mailto:a@x.org">"#.to_owned(),
            r#"<a href="https://jekyllrb.com/">"#.to_owned(),
        ] {
            assert!(
                html.contains(&expected),
                "{format}: no {expected} in {html}"
            );
        }
        // The escaped code sample is text, and stays as written.
        assert!(
            html.contains(r#"<code>&amp;lt;a href="x.html"&amp;gt;</code>"#)
                || html.contains(r#"<code>&lt;a href="x.html"&gt;</code>"#),
            "{format}: {html}"
        );
    }
    // The image field is relative to the site.
    let json = convert(
        data("sites/links").to_str().unwrap(),
        "jsonfeed",
        &["--permalink", "/{source.slug}/"],
    );
    let feed: Json = serde_json::from_str(&json).unwrap();
    assert_eq!(
        feed["items"][0]["image"],
        "https://jekyllrb.com/img/cover.png"
    );
}

#[test]
fn source_slug_names_the_files_of_an_out_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&[
        "convert",
        data("sites/jekyll").to_str().unwrap(),
        "--to",
        "json",
        "--out-dir",
        out.to_str().unwrap(),
        "--name",
        "{source.slug}",
    ]);
    let names: BTreeSet<String> = fs::read_dir(&out)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            path.file_stem().unwrap().to_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(names, jekyll_slugs());
}

/// A placeholder a record lacks gives its item no link, with one warning counting them;
/// an empty one (`{source.dir}` at the top of the folder) gives no empty path segment.
#[test]
fn permalink_gaps_are_counted_and_empty_segments_dropped() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("top.md"),
        "---\ntitle: Top\nsection: a\n---\nx\n",
    )
    .unwrap();
    fs::write(dir.path().join("other.md"), "---\ntitle: Other\n---\ny\n").unwrap();
    let output = recast()
        .arg("convert")
        .arg(dir.path())
        .args([
            "--to",
            "rss",
            "--feed-title",
            "T",
            "--feed-link",
            "https://x.example/",
        ])
        .args([
            "--feed-description",
            "D",
            "--permalink",
            "/{source.dir}/{section}/{source.slug}/",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rss = String::from_utf8(output.stdout).unwrap();
    assert!(
        rss.contains("<link>https://x.example/a/top/</link>"),
        "{rss}"
    );
    assert_eq!(
        rss.matches("<link>").count(),
        2,
        "the channel's and Top's: {rss}"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("--permalink gave 1 item(s) no link"),
        "{stderr}"
    );
}
