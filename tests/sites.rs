//! Feeds for real sites (issue 13, items 2, 3 and 5): Jekyll's own news posts
//! (tests/data/sites/jekyll, MIT, LICENSE-jekyll) through the default article profile,
//! dates from the front matter or the file name, drafts and future posts left out of
//! feeds unless asked, `convert --where`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use recast_model::date::DateTime;
use serde_json::Value as Json;

use crate::support::{JEKYLL_NEWS_CHANNEL as CHANNEL, data, feedparser_available, recast, run_ok};

/// Jekyll's posts, in file-name order.
fn jekyll_posts() -> Vec<PathBuf> {
    let mut posts: Vec<PathBuf> = fs::read_dir(data("sites/jekyll"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "md" || e == "markdown")
        })
        .collect();
    posts.sort();
    posts
}

/// A post as its file says, read without the feed writer: its title, its date as an
/// instant (the front matter's `date` when it is one, else the `YYYY-MM-DD-` of its file
/// name, at midnight UTC) and its categories.
struct Post {
    title: String,
    date: i64,
    categories: Vec<String>,
}

fn post(path: &Path) -> Post {
    let line = run_ok(&["convert", path.to_str().unwrap(), "--to", "jsonl"]);
    let record: Json = serde_json::from_str(line.trim()).unwrap();
    let front_matter_date = record["date"].as_str().and_then(DateTime::parse);
    // A front-matter date that cannot be read falls back to the file name's, too.
    let name = path.file_name().unwrap().to_str().unwrap();
    let date = front_matter_date
        .or_else(|| DateTime::parse(&name[..10]))
        .unwrap()
        .instant_or_utc(None)
        .timestamp
        .as_second();
    let categories = match (&record["category"], &record["categories"]) {
        (Json::String(one), _) => vec![one.clone()],
        (_, Json::Array(list)) => list
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect(),
        _ => Vec::new(),
    };
    Post {
        title: record["title"].as_str().unwrap().to_owned(),
        date,
        categories,
    }
}

/// Runs recast, returning standard output and standard error.
fn run(args: &[&str]) -> (String, String) {
    let output = recast().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "recast {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The RSS feed's items: title → `pubDate` (seconds since the epoch), read from the XML
/// itself (the lossless copy of each record would give back the record, not the item).
fn item_dates(feed: &str) -> BTreeMap<String, Option<i64>> {
    let element = |item: &str, name: &str| -> Option<String> {
        let start = item.find(&format!("<{name}>"))? + name.len() + 2;
        let end = start + item[start..].find(&format!("</{name}>"))?;
        Some(
            item[start..end]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        )
    };
    feed.split("<item>")
        .skip(1)
        .map(|item| {
            let date = element(item, "pubDate")
                .and_then(|text| DateTime::parse(&text))
                .map(|date| date.timestamp.as_second());
            (element(item, "title").unwrap_or_default(), date)
        })
        .collect()
}

fn feed_of(folder: &Path, format: &str, extra: &[&str]) -> (String, String) {
    let mut args = vec!["convert", folder.to_str().unwrap(), "--to", format];
    args.extend_from_slice(&CHANNEL);
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn every_jekyll_post_is_an_item_with_its_title_and_date() {
    let posts: Vec<Post> = jekyll_posts().iter().map(|p| post(p)).collect();
    assert_eq!(posts.len(), 102);
    let (feed, _) = feed_of(&data("sites/jekyll"), "rss", &["--assume-tz", "UTC"]);
    let items = item_dates(&feed);
    assert_eq!(items.len(), posts.len(), "one item per post");
    for post in &posts {
        assert_eq!(
            items.get(&post.title),
            Some(&Some(post.date)),
            "{:?}: its date",
            post.title
        );
    }
    // Dates from the file name are the profile's, never written into the record.
    let records = run_ok(&[
        "convert",
        data("sites/jekyll").to_str().unwrap(),
        "--to",
        "jsonl",
    ]);
    assert_eq!(
        records.matches("\"date\"").count(),
        99,
        "3 posts have no date field"
    );
}

#[test]
fn feedparser_sees_each_jekyll_posts_date_and_categories() {
    if !feedparser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let expected: BTreeMap<String, (i64, Vec<String>)> = jekyll_posts()
        .iter()
        .map(|path| {
            let post = post(path);
            (post.title, (post.date, post.categories))
        })
        .collect();
    let expected_path = dir.path().join("expected.json");
    fs::write(&expected_path, serde_json::to_string(&expected).unwrap()).unwrap();
    for format in ["rss", "atom"] {
        let feed = dir.path().join(format!("feed.{format}"));
        let jekyll = data("sites/jekyll");
        let mut args = vec![
            "convert",
            jekyll.to_str().unwrap(),
            "-o",
            feed.to_str().unwrap(),
            "--assume-tz",
            "UTC",
        ];
        args.extend_from_slice(&CHANNEL);
        run_ok(&args);
        let output = Command::new("python3")
            .arg(data("sites/check_site_feed.py"))
            .arg(&feed)
            .arg(&expected_path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{format}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// A few Jekyll posts, a `published: false` one, a `draft: true` one and one dated far
/// in the future, in a temporary folder.
fn site_with_unpublished_posts(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    fs::create_dir(&site).unwrap();
    for post in &jekyll_posts()[..3] {
        fs::copy(post, site.join(post.file_name().unwrap())).unwrap();
    }
    let write = |name: &str, front_matter: &str| {
        fs::write(site.join(name), format!("---\n{front_matter}---\nText.\n")).unwrap()
    };
    write(
        "2020-01-01-unpublished.md",
        "title: Unpublished\npublished: false\n",
    );
    write("2020-01-02-draft.md", "title: Draft\ndraft: true\n");
    write(
        "2999-01-01-far-future.md",
        "title: Far future\ndate: 2999-01-01 10:00:00 +0000\n",
    );
    site
}

#[test]
fn drafts_and_future_posts_are_left_out_of_feeds_with_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let site = site_with_unpublished_posts(dir.path());
    let titles = |feed: &str| item_dates(feed).into_keys().collect::<Vec<_>>();

    let (feed, stderr) = feed_of(&site, "rss", &[]);
    assert_eq!(titles(&feed).len(), 3, "{feed}");
    assert!(stderr.contains("2 draft(s)"), "{stderr}");
    assert!(stderr.contains("--drafts"), "{stderr}");
    assert!(stderr.contains("1 post(s) dated in the future"), "{stderr}");

    let (feed, stderr) = feed_of(&site, "rss", &["--drafts"]);
    let with_drafts = titles(&feed);
    assert_eq!(with_drafts.len(), 5);
    assert!(
        with_drafts.contains(&"Draft".to_owned())
            && with_drafts.contains(&"Unpublished".to_owned())
    );
    assert!(!stderr.contains("draft(s)"), "{stderr}");

    let (feed, stderr) = feed_of(&site, "rss", &["--future"]);
    assert!(titles(&feed).contains(&"Far future".to_owned()));
    assert!(!stderr.contains("future"), "{stderr}");

    let (feed, _) = feed_of(&site, "atom", &["--drafts", "--future"]);
    assert_eq!(feed.matches("<entry>").count(), 6);

    // Only feeds leave posts out: the archive as JSON keeps them all.
    let (jsonl, stderr) = run(&["convert", site.to_str().unwrap(), "--to", "jsonl"]);
    assert_eq!(jsonl.lines().count(), 6);
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn convert_where_filters_records_before_any_writer() {
    let jekyll = data("sites/jekyll");
    let jekyll = jekyll.to_str().unwrap();
    let releases = run_ok(&[
        "convert",
        jekyll,
        "--to",
        "jsonl",
        "--where",
        "category=release",
    ]);
    assert_eq!(releases.lines().count(), 81);
    let recent = run_ok(&[
        "convert",
        jekyll,
        "--to",
        "jsonl",
        "--where",
        "category=release",
        "--where",
        "date>2020-01-01",
    ]);
    let recent: Vec<&str> = recent.lines().collect();
    assert!(!recent.is_empty() && recent.len() < 81, "{}", recent.len());
    assert!(recent.iter().all(|line| line.contains("\"release\"")));
    let mut args = vec!["convert", jekyll, "--to", "rss", "--where", "!date"];
    args.extend_from_slice(&CHANNEL);
    let feed = run_ok(&args);
    assert_eq!(
        feed.matches("<item>").count(),
        3,
        "the posts dated by their file name"
    );
    recast()
        .args(["convert", jekyll, "--where", "title~(x"])
        .assert()
        .code(2);
}

#[test]
fn site_front_matter_fills_the_standard_elements() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("posts");
    fs::create_dir(&site).unwrap();
    fs::write(
        site.join("episode.md"),
        "---\ntitle: Episode 1\ndate: 2021-03-04T10:00:00+01:00\nlastmod: 2021-03-05T10:00:00+01:00\n\
         published: true\ntags: [audio, talk]\nauthor: {name: Ann, email: ann@example.org}\n\
         cover: /img/cover.jpg\naudio: /media/ep1.mp3\npermalink: /episodes/1/\n---\n\
         The intro.\n\n<!--more-->\n\nThe rest.\n",
    )
    .unwrap();
    let (rss, _) = feed_of(&site, "rss", &[]);
    for expected in [
        "<link>https://jekyllrb.com/episodes/1/</link>",
        "<description>&lt;p&gt;The intro.&lt;/p&gt;\n</description>",
        "<author>ann@example.org (Ann)</author>",
        "<pubDate>Thu, 4 Mar 2021 10:00:00 +0100</pubDate>",
        "<category>audio</category>",
        "<category>talk</category>",
        "url=\"https://jekyllrb.com/media/ep1.mp3\" length=\"0\" type=\"audio/mpeg\"",
        // Relative or made absolute (issue 13, item 4): the cover is the image.
        "/img/cover.jpg\" medium=\"image\"/>",
    ] {
        assert!(rss.contains(expected), "{expected}\n{rss}");
    }
    let (atom, _) = feed_of(&site, "atom", &[]);
    assert!(
        atom.contains("<updated>2021-03-05T10:00:00+01:00</updated>"),
        "{atom}"
    );
}
