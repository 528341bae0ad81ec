//! End-to-end tests of feeds: archive → RSS/Atom → archive strictly, channel metadata
//! through flags, `_index.md` and feeds, the real-world corpus, and recast's output
//! checked by the tools real readers use (jing with the Atom schema, Python feedparser).
//!
//! The jing and feedparser checks need `jing` and Python's `feedparser` (`.ci/run`
//! installs both). Without them the checks are skipped with a note, except in CI
//! (`CI=true`), where a missing tool fails the test.

use crate::support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use predicates::prelude::*;
use recast_model::date::DateTime;
use support::*;

/// The archives the round trips run on, with the flags that give them a channel.
pub(crate) fn archives() -> Vec<(PathBuf, Vec<&'static str>)> {
    let channel = vec![
        "--feed-title",
        "Generated",
        "--feed-link",
        "https://generated.example/",
        "--feed-description",
        "300 generated records",
    ];
    let mut archives = vec![(data("generated/archive"), channel)];
    // samples/archive has an _index.md with the channel.
    if sample("archive/_index.md").is_file() {
        archives.push((sample("archive"), Vec::new()));
    }
    archives
}

/// Canonical JSON lines of records in feed order: newest `publishedDateTime` first,
/// undated last, ties in archive order.
pub(crate) fn feed_order(records: &[String]) -> Vec<String> {
    let mut keyed: Vec<(Option<DateTime>, usize, String)> = records
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
            let date = value["publishedDateTime"]
                .as_str()
                .and_then(DateTime::parse);
            (date, i, line.clone())
        })
        .collect();
    keyed.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => y.timestamp.cmp(&x.timestamp).then(a.1.cmp(&b.1)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    keyed.into_iter().map(|(_, _, line)| line).collect()
}

/// Writes `input` as a feed for archive transport and returns the feed's path:
/// `--lossless` carries each record exactly, and `--drafts --future` publish every record
/// (the samples hold `published: false` articles, which feeds leave out by default).
fn write_feed(input: &Path, format: &str, flags: &[&str], dir: &Path, extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("feed.{format}"));
    let mut args = vec![
        "convert",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--lossless",
        "--drafts",
        "--future",
    ];
    args.extend_from_slice(flags);
    args.extend_from_slice(extra);
    run_ok(&args);
    out
}

#[test]
fn archives_survive_rss_and_atom_strictly() {
    let dir = tempfile::tempdir().unwrap();
    for (archive, flags) in archives() {
        let expected = feed_order(&records_of(&archive, &[]));
        for format in ["rss", "atom"] {
            let feed = write_feed(&archive, format, &flags, dir.path(), &[]);
            let actual = records_of(&feed, &[]);
            assert_same_records(
                &actual,
                &expected,
                &format!("{} → {format}", archive.display()),
            );
        }
    }
}

#[test]
fn limit_keeps_the_newest_items() {
    let dir = tempfile::tempdir().unwrap();
    let (archive, flags) = &archives()[0];
    let expected = feed_order(&records_of(archive, &[]));
    for format in ["rss", "atom"] {
        let feed = write_feed(archive, format, flags, dir.path(), &["--limit", "7"]);
        assert_same_records(&records_of(&feed, &[]), &expected[..7], "--limit 7");
    }
}

#[test]
fn a_missing_channel_element_names_its_flag() {
    let input = data("generated/archive.json");
    let input = input.to_str().unwrap();
    recast()
        .args([
            "convert",
            input,
            "--to",
            "rss",
            "--feed-title",
            "T",
            "--feed-link",
            "https://x.example/",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--feed-description"));
    recast()
        .args(["convert", input, "--to", "atom"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--feed-title"));
}

#[test]
fn channel_survives_feed_to_md_folder_to_feed() {
    let dir = tempfile::tempdir().unwrap();
    let flags = [
        "--feed-title",
        "Gazette & Co",
        "--feed-link",
        "https://gazette.example/",
        "--feed-description",
        "News",
        "--feed-self-url",
        "https://gazette.example/feed.xml",
    ];
    let rss = write_feed(
        &data("generated/archive.json"),
        "rss",
        &flags,
        dir.path(),
        &["--limit", "3"],
    );
    let folder = dir.path().join("md");
    run_ok(&[
        "convert",
        rss.to_str().unwrap(),
        "--out-dir",
        folder.to_str().unwrap(),
    ]);
    let index = fs::read_to_string(folder.join("_index.md")).expect("_index.md written");
    assert!(index.contains("title: Gazette & Co"), "{index}");
    assert!(
        index.contains("selfUrl: https://gazette.example/feed.xml"),
        "{index}"
    );
    // Folder → feed: the channel comes from _index.md, no flags needed (--drafts: the
    // records compared below include `published: false` ones).
    let atom = dir.path().join("back.atom");
    run_ok(&[
        "convert",
        folder.to_str().unwrap(),
        "-o",
        atom.to_str().unwrap(),
        "--drafts",
        "--lossless",
    ]);
    let text = fs::read_to_string(&atom).unwrap();
    assert!(text.contains("<title>Gazette &amp; Co</title>"));
    assert!(text.contains("<id>https://gazette.example/feed.xml</id>"));
    assert!(text.contains("<link rel=\"self\" href=\"https://gazette.example/feed.xml\""));
    // Feed → feed keeps it too, and flags still win.
    let again = run_ok(&[
        "convert",
        atom.to_str().unwrap(),
        "--to",
        "rss",
        "--feed-title",
        "Renamed",
    ]);
    assert!(again.contains("<title>Renamed</title>"));
    assert!(again.contains("<description>News</description>"));
    assert_eq!(
        records_of(&atom, &[]),
        records_of(&rss, &[]),
        "records through the md folder"
    );
}

#[test]
fn map_serves_archives_with_other_field_names() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("other.json");
    fs::write(
        &input,
        r#"[{"headline": "Renamed fields", "permalink": "https://x.example/a", "date": "2024-05-06T07:08:09+02:00", "tags": ["One", "Two"]}]"#,
    )
    .unwrap();
    let profile = dir.path().join("profile.yaml");
    fs::write(&profile, "title: headline\nlink: permalink\n").unwrap();
    let mut args = vec!["convert", input.to_str().unwrap(), "--to", "rss"];
    args.extend_from_slice(&CHANNEL);
    args.extend([
        "--profile",
        profile.to_str().unwrap(),
        "--map",
        "published=date",
        "--map",
        "categories=tags",
    ]);
    let rss = run_ok(&args);
    assert!(rss.contains("<title>Renamed fields</title>"), "{rss}");
    assert!(rss.contains("<link>https://x.example/a</link>"));
    assert!(
        rss.contains("<pubDate>Mon, 6 May 2024 07:08:09 +0200</pubDate>"),
        "{rss}"
    );
    assert!(rss.contains("<category>Two</category>"));
    recast()
        .args([
            "convert",
            input.to_str().unwrap(),
            "--to",
            "rss",
            "--map",
            "colour=x",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown feed field"));
}

#[test]
fn every_real_feed_converts_with_feedparsers_item_count() {
    let expected: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&fs::read_to_string(data("feeds/expected.json")).unwrap()).unwrap();
    assert_eq!(expected.len(), 65);
    let mut items = 0;
    for (name, feed) in &expected {
        let path = data("feeds").join(name);
        let output = recast()
            .args([
                "convert",
                path.to_str().unwrap(),
                "--to",
                "jsonl",
                "--quiet",
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let records = canonical_jsonl(&String::from_utf8(output.stdout).unwrap());
        let entries = feed["entries"].as_array().expect("entries");
        assert_eq!(records.len(), entries.len(), "{name}");
        items += records.len();
        // Titles as feedparser reads them (those without markup, which it rewrites).
        for (i, (record, entry)) in records.iter().zip(entries).enumerate() {
            let record: serde_json::Value = serde_json::from_str(record).unwrap();
            if let Some(title) = entry["title"]
                .as_str()
                .filter(|t| !t.contains('&') && !t.contains('<'))
            {
                let ours = record["title"].as_str().unwrap_or("");
                let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                if !name.contains("IndianExpress") {
                    assert_eq!(squash(ours), squash(title), "{name} item {}", i + 1);
                }
            }
        }
    }
    assert_eq!(items, 2098);
}

#[test]
fn atom_output_validates_against_the_rfc_4287_schema() {
    let schema = data("feeds/schema/atom.rnc");
    if !jing_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The check can fail: an entry without an id is invalid.
    let invalid = dir.path().join("invalid.atom");
    fs::write(
        &invalid,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>x</id><title>t</title>\
         <updated>2020-01-01T00:00:00Z</updated><author><name>a</name></author>\
         <entry><title>t</title><updated>2020-01-01T00:00:00Z</updated></entry></feed>",
    )
    .unwrap();
    let rejected = Command::new("jing")
        .arg("-c")
        .arg(&schema)
        .arg(&invalid)
        .output()
        .unwrap();
    assert!(
        !rejected.status.success(),
        "jing accepted an entry without an id"
    );
    for (archive, flags) in archives() {
        let feed = write_feed(&archive, "atom", &flags, dir.path(), &[]);
        let output = Command::new("jing")
            .arg("-c")
            .arg(&schema)
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
}

#[test]
fn feedparser_reads_recasts_feeds_like_the_archive() {
    if !feedparser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (archive, flags) in archives() {
        let expected = dir.path().join("expected.jsonl");
        let records = feed_order(&records_of(&archive, &[]));
        // The check can fail: the archive in the wrong order does not match the feed.
        let reversed = dir.path().join("reversed.jsonl");
        let mut backwards = records.clone();
        backwards.reverse();
        fs::write(&reversed, backwards.join("\n")).unwrap();
        let feed = write_feed(&archive, "rss", &flags, dir.path(), &[]);
        let status = Command::new("python3")
            .arg(data("feeds/check_feed.py"))
            .arg(&feed)
            .arg(&reversed)
            .output()
            .unwrap()
            .status;
        assert!(
            !status.success(),
            "check_feed.py passed a feed against the wrong records"
        );
        fs::write(&expected, records.join("\n")).unwrap();
        for format in ["rss", "atom"] {
            let feed = write_feed(&archive, format, &flags, dir.path(), &[]);
            let output = Command::new("python3")
                .arg(data("feeds/check_feed.py"))
                .arg(&feed)
                .arg(&expected)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{} as {format}: {}{}",
                archive.display(),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

/// Every real feed, written again as RSS and as Atom: read back to the same records,
/// valid for jing (Atom), not bozo for feedparser (both).
#[test]
fn real_feeds_rewritten_as_rss_and_atom_stay_lossless_and_valid() {
    let dir = tempfile::tempdir().unwrap();
    let flags = [&CHANNEL[..], &["--quiet", "--lossless"]].concat();
    let mut written = Vec::new();
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
    assert_eq!(names.len(), 65);
    for path in &names {
        let mut original = records_of(path, &["--quiet"]);
        original.sort();
        for format in ["rss", "atom"] {
            let name = path.file_name().unwrap().to_str().unwrap();
            let out = dir.path().join(format!("{name}.{format}"));
            let mut args = vec![
                "convert",
                path.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ];
            args.extend_from_slice(&flags);
            run_ok(&args);
            let mut back = records_of(&out, &[]);
            back.sort();
            assert_same_records(&back, &original, &format!("{name} → {format} → records"));
            written.push(out);
        }
    }
    if jing_available() {
        assert_valid_atom(
            written
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "atom")),
        );
    }
    if feedparser_available() {
        let script = "import sys, feedparser\n\
            bad = [(f, repr(d.bozo_exception)) for f in sys.argv[1:] for d in [feedparser.parse(f)] if d.bozo]\n\
            print(bad)\n\
            sys.exit(1 if bad else 0)\n";
        let output = Command::new("python3")
            .args(["-c", script])
            .args(&written)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "bozo: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

/// A feed is a publication: by default it holds the profile's standard elements only and
/// declares only the namespaces it uses; `--lossless` adds the exact records.
#[test]
fn feeds_are_plain_by_default_and_lossless_when_asked() {
    let input = data("generated/archive.json");
    let feed = |extra: &[&str]| {
        let mut args = vec!["convert", input.to_str().unwrap(), "--limit", "2"];
        args.extend_from_slice(&CHANNEL);
        args.extend_from_slice(extra);
        run_ok(&args)
    };
    let rss = feed(&["--to", "rss"]);
    assert!(
        !rss.contains("<recast:") && !rss.contains("secured") && !rss.contains("itunes"),
        "{rss}"
    );
    assert_eq!(rss.matches("<item>").count(), 2);
    let root = rss.lines().nth(1).unwrap();
    for prefix in ["atom", "content", "dc", "media", "itunes", "recast"] {
        let used = rss.contains(&format!("<{prefix}:"));
        let declared = root.contains(&format!("xmlns:{prefix}="));
        assert_eq!(declared, used, "{prefix}: {root}");
    }
    assert!(
        root.contains("xmlns:dc=") && root.contains("xmlns:media="),
        "{root}"
    );
    let atom = feed(&["--to", "atom"]);
    assert!(
        !atom.contains("<recast:") && !atom.contains("secured"),
        "{atom}"
    );
    let lossless = feed(&["--to", "rss", "--lossless"]);
    assert!(lossless.contains("xmlns:recast=") && lossless.contains("<recast:record>"));
    assert!(lossless.contains("secured"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.rss");
    fs::write(&path, rss).unwrap();
    let records = records_of(&path, &[]);
    let first: serde_json::Value = serde_json::from_str(&records[0]).unwrap();
    let keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        &keys[..5],
        ["title", "excerpt", "publishedDateTime", "webUrl", "id"],
        "{first}"
    );
}

/// `--plain-feed`, the old way to ask for today's default, still runs with a warning;
/// `--lossless` on output that is not a feed cannot take effect and is refused.
#[test]
fn plain_feed_warns_and_lossless_needs_a_feed() {
    let input = data("generated/archive.json");
    recast()
        .args(["convert", input.to_str().unwrap(), "--to", "rss", "--plain-feed"])
        .args(["--feed-title", "T", "--feed-link", "https://x.example/"])
        .args(["--feed-description", "D", "--limit", "1"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "--plain-feed is the default now (feeds carry only what the profile maps); it does nothing",
        ));
    recast()
        .args([
            "convert",
            input.to_str().unwrap(),
            "--to",
            "json",
            "--lossless",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--lossless applies to RSS/Atom/JSON Feed output",
        ));
}
