//! Issue 11, cases 1–3: dates never lose information. Date-times without a zone, with a
//! `+HHMM` offset or in Jekyll's form are read exactly everywhere (`--date`, `--where`,
//! feeds, `validate`); a zone-less date gets an offset only from `--assume-tz`; strftime
//! formats are checked before anything is read; real feeds' dates (`8:56 am PST`) are read.

use crate::support;

use std::fs;
use std::path::Path;

use support::{canonical_jsonl, data, recast};
use tempfile::TempDir;

/// What a run gave: exit code, stdout, stderr.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let output = recast()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("recast runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A temporary folder holding `z.jsonl` with one record `{"d": date}` per date.
fn dates_file(dates: &[&str]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = dates
        .iter()
        .map(|d| format!("{}\n", serde_json::json!({ "d": d })))
        .collect();
    fs::write(dir.path().join("z.jsonl"), lines).unwrap();
    dir
}

/// The `d` field of every record of a JSON Lines file.
fn dates_in(path: &Path) -> Vec<String> {
    canonical_jsonl(&fs::read_to_string(path).unwrap())
        .iter()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["d"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// `migrate z.jsonl --date d=FORMAT [extra] --to jsonl -o out.jsonl`, asserted to succeed.
fn reformat(dates: &[&str], format: &str, extra: &[&str]) -> Vec<String> {
    let dir = dates_file(dates);
    let date = format!("d={format}");
    let mut args = vec!["migrate", "z.jsonl", "--date", &date];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--to", "jsonl", "-o", "out.jsonl"]);
    let result = run(dir.path(), &args);
    assert_eq!(result.code, 0, "{args:?}: {}", result.stderr);
    dates_in(&dir.path().join("out.jsonl"))
}

#[test]
fn case_1_date_times_keep_their_time_and_offset() {
    let dates = [
        "2021-03-04T10:00:00",
        "2021-03-04 10:00:00",
        "2021-03-04 10:00:00.250",
        "2021-03-04T10:00:00-0500",
        "2016-06-03 13:21:02 -0700",
        "2021-03-04",
    ];
    assert_eq!(
        reformat(&dates, "%Y-%m-%dT%H:%M:%S%.3f", &[]),
        [
            "2021-03-04T10:00:00.000",
            "2021-03-04T10:00:00.000",
            "2021-03-04T10:00:00.250",
            "2021-03-04T10:00:00.000",
            "2016-06-03T13:21:02.000",
            "2021-03-04T00:00:00.000",
        ]
    );
    // An offset written with the date stays that offset, with or without --assume-tz.
    let zoned = ["2021-03-04T10:00:00-0500", "2016-06-03 13:21:02 -0700"];
    let expected = ["2021-03-04T10:00:00-05:00", "2016-06-03T13:21:02-07:00"];
    assert_eq!(reformat(&zoned, "%Y-%m-%dT%H:%M:%S%:z", &[]), expected);
    assert_eq!(
        reformat(
            &zoned,
            "%Y-%m-%dT%H:%M:%S%:z",
            &["--assume-tz", "Asia/Tokyo"]
        ),
        expected
    );
}

#[test]
fn case_1_an_offset_for_a_zone_less_date_needs_assume_tz() {
    // The command: an error for the record, naming file, line and field; nothing
    // is written.
    let dir = dates_file(&["2021-03-04T10:00:00"]);
    let result = run(
        dir.path(),
        &[
            "migrate",
            "z.jsonl",
            "--date",
            "d=%Y-%m-%dT%H:%M:%S%:z",
            "--to",
            "jsonl",
            "-o",
            "out.jsonl",
        ],
    );
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains(
            "z.jsonl:1: --date d: \"2021-03-04T10:00:00\" has no time zone, and %:z needs one; give --assume-tz ZONE"
        ),
        "{}",
        result.stderr
    );
    assert!(!dir.path().join("out.jsonl").exists());

    // --assume-tz: an IANA zone (its offset on that day), UTC, a fixed offset.
    let zone_less = ["2021-03-04T10:00:00", "2021-07-04 10:00:00", "2021-03-04"];
    let format = "%Y-%m-%dT%H:%M:%S%:z";
    assert_eq!(
        reformat(&zone_less, format, &["--assume-tz", "Europe/Paris"]),
        [
            "2021-03-04T10:00:00+01:00",
            "2021-07-04T10:00:00+02:00",
            "2021-03-04T00:00:00+01:00"
        ]
    );
    assert_eq!(
        reformat(&zone_less[..1], format, &["--assume-tz", "UTC"]),
        ["2021-03-04T10:00:00+00:00"]
    );
    assert_eq!(
        reformat(&zone_less[..1], "%H:%M %Z", &["--assume-tz", "+02:00"]),
        ["10:00 +02"]
    );
    assert_eq!(
        reformat(
            &zone_less[..1],
            "%H:%M %Z",
            &["--assume-tz", "America/New_York"]
        ),
        ["10:00 EST"]
    );
}

#[test]
fn case_1_keep_going_skips_the_file_with_a_zone_less_date() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.jsonl"),
        "{\"d\":\"2021-03-04T10:00:00Z\"}\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("b.jsonl"),
        "{\"d\":\"2021-03-04T09:00:00Z\"}\n{\"d\":\"2021-03-04 10:00:00\"}\n",
    )
    .unwrap();
    let args = [
        "migrate",
        "a.jsonl",
        "b.jsonl",
        "--date",
        "d=%H:%M%z",
        "--keep-going",
        "--to",
        "jsonl",
        "-o",
        "out.jsonl",
    ];
    let result = run(dir.path(), &args);
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(
        result.stderr.contains("b.jsonl:2: --date d: ") && result.stderr.contains("(skipped)"),
        "{}",
        result.stderr
    );
    assert_eq!(dates_in(&dir.path().join("out.jsonl")), ["10:00+0000"]);
}

#[test]
fn case_1_a_bad_zone_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    for zone in ["Mars/Olympus", "+99:00", "CEST2", ""] {
        // The input does not exist: the flag fails before anything is read.
        let result = run(
            dir.path(),
            &[
                "migrate",
                "missing.jsonl",
                "--date",
                "d=%Y",
                "--assume-tz",
                zone,
                "--in-place",
            ],
        );
        assert_eq!(result.code, 2, "{zone}: {}", result.stderr);
        assert!(result.stderr.contains("--assume-tz"), "{}", result.stderr);
        let result = run(
            dir.path(),
            &["convert", "missing.jsonl", "--assume-tz", zone],
        );
        assert_eq!(result.code, 2, "{zone}: {}", result.stderr);
    }
}

/// Decision: a date alone is the start of its day, so `d>2021-03-04` takes 10:00 that
/// day (as Hugo's `time "2021-03-04"`, Miller's and yq's text comparisons, and SQL's
/// `ts > '2021-03-04'` do) and `d<2021-03-04` leaves the whole day out.
#[test]
fn case_1_where_compares_exact_instants() {
    let dates = [
        "2021-03-04T10:00:00",
        "2021-03-04",
        "2021-03-03T23:00:00",
        "2021-03-04T00:30:00+01:00",
        "2016-06-03 13:21:02 -0700",
        "Thu, 04 Mar 2021 09:00:00 -0500",
    ];
    let kept = |condition: &str, extra: &[&str]| {
        let dir = dates_file(&dates);
        let mut args = vec!["migrate", "z.jsonl", "--where", condition];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--to", "jsonl", "-o", "out.jsonl"]);
        let result = run(dir.path(), &args);
        assert_eq!(result.code, 0, "{}", result.stderr);
        dates_in(&dir.path().join("out.jsonl"))
    };
    assert_eq!(
        kept("d>2021-03-04", &[]),
        ["2021-03-04T10:00:00", "Thu, 04 Mar 2021 09:00:00 -0500"]
    );
    assert_eq!(
        kept("d<2021-03-04", &[]),
        [
            "2021-03-03T23:00:00",
            "2021-03-04T00:30:00+01:00",
            "2016-06-03 13:21:02 -0700"
        ]
    );
    // Jekyll's form is an instant: 13:21:02 -0700 is 20:21:02 UTC.
    assert_eq!(kept("d>2016-06-03T20:21:01Z", &[]), dates);
    assert!(!kept("d>2016-06-03T20:21:02Z", &[]).contains(&dates[4].to_owned()));
    assert_eq!(
        kept("d<2016-06-03T20:21:03Z", &[]),
        ["2016-06-03 13:21:02 -0700"]
    );
    // Zone-less dates compared with an instant: UTC, or the assumed zone.
    assert_eq!(
        kept("d>2021-03-04T09:30:00Z", &[]),
        ["2021-03-04T10:00:00", "Thu, 04 Mar 2021 09:00:00 -0500"]
    );
    assert_eq!(
        kept("d>2021-03-04T09:30:00Z", &["--assume-tz", "Europe/Paris"]),
        ["Thu, 04 Mar 2021 09:00:00 -0500"]
    );
}

fn feed_of(dir: &Path, input: &str, to: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "convert",
        input,
        "--to",
        to,
        "--feed-title",
        "T",
        "--feed-link",
        "https://example.org/",
        "--feed-description",
        "D",
        "--map",
        "published=d",
        "--map",
        "title=t",
    ];
    args.extend_from_slice(extra);
    run(dir, &args)
}

/// Decision: a feed needs an instant; a zone-less date is read in --assume-tz, else as
/// UTC (Hugo's default time zone), with one warning counting such dates.
#[test]
fn case_1_feeds_read_zone_less_dates_in_the_assumed_zone() {
    let dir = dates_file(&["2021-03-04T10:00:00"]);
    let rss = feed_of(dir.path(), "z.jsonl", "rss", &[]);
    assert_eq!(rss.code, 0, "{}", rss.stderr);
    assert!(
        rss.stdout
            .contains("<pubDate>Thu, 4 Mar 2021 10:00:00 +0000</pubDate>"),
        "{}",
        rss.stdout
    );
    assert_eq!(
        rss.stderr.trim(),
        "recast: warning: 1 item date(s) have no time zone and were written as UTC; give --assume-tz ZONE (Europe/Paris, +02:00) to say which zone they are in"
    );
    let rss = feed_of(
        dir.path(),
        "z.jsonl",
        "rss",
        &["--assume-tz", "America/New_York"],
    );
    assert!(
        rss.stdout
            .contains("<pubDate>Thu, 4 Mar 2021 10:00:00 -0500</pubDate>"),
        "{}",
        rss.stdout
    );
    assert_eq!(rss.stderr, "");
    let atom = feed_of(
        dir.path(),
        "z.jsonl",
        "atom",
        &["--assume-tz", "+02:00", "--lossless"],
    );
    assert!(
        atom.stdout
            .contains("<published>2021-03-04T10:00:00+02:00</published>"),
        "{}",
        atom.stdout
    );
    // The record itself keeps the string it had.
    assert!(
        atom.stdout.contains("2021-03-04T10:00:00</recast:d>")
            || atom.stdout.contains(">2021-03-04T10:00:00<"),
        "{}",
        atom.stdout
    );
}

#[test]
fn case_1_migrate_feed_output_uses_assume_tz() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    fs::create_dir(&posts).unwrap();
    fs::write(
        posts.join("_index.md"),
        "---\ntitle: T\nlink: https://example.org/\ndescription: D\n---\n",
    )
    .unwrap();
    fs::write(
        posts.join("a.md"),
        "---\ntitle: A\npublishedDateTime: 2021-03-04 10:00:00\n---\nText.\n",
    )
    .unwrap();
    let args = [
        "migrate",
        "posts",
        "--set",
        "draft=false",
        "--assume-tz",
        "Europe/Paris",
        "-o",
        "feed.rss",
    ];
    let result = run(dir.path(), &args);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let feed = fs::read_to_string(dir.path().join("feed.rss")).unwrap();
    assert!(
        feed.contains("<pubDate>Thu, 4 Mar 2021 10:00:00 +0100</pubDate>"),
        "{feed}"
    );
}

/// The feed order is by exact instant: `-0500` and Jekyll's form are not midnight.
#[test]
fn case_1_feed_items_sort_by_exact_instant() {
    let dir = tempfile::tempdir().unwrap();
    let records = [
        ("day", "2021-03-04"),
        ("offset", "2021-03-04T10:00:00-0500"),
        ("civil", "2021-03-04 12:00:00"),
        ("utc", "2021-03-04T14:00:00Z"),
        ("jekyll", "2021-03-04 06:30:00 -0700"),
    ];
    let lines: String = records
        .iter()
        .map(|(t, d)| format!("{}\n", serde_json::json!({"t": t, "d": d})))
        .collect();
    fs::write(dir.path().join("r.jsonl"), lines).unwrap();
    for extra in [&[][..], &["--limit", "4"][..]] {
        let rss = feed_of(dir.path(), "r.jsonl", "rss", extra);
        assert_eq!(rss.code, 0, "{}", rss.stderr);
        let titles: Vec<&str> = rss
            .stdout
            .split("<title>")
            .skip(2)
            .map(|t| t.split('<').next().unwrap())
            .collect();
        let expected = ["offset", "utc", "jekyll", "civil", "day"];
        assert_eq!(titles, expected[..titles.len()], "{extra:?}");
        assert_eq!(titles.len(), if extra.is_empty() { 5 } else { 4 });
    }
}

#[test]
fn case_1_dates_are_never_rewritten_outside_date_edits() {
    let dates = [
        "2021-03-04T10:00:00",
        "2021-03-04 10:00:00",
        "2021-03-04T10:00:00-0500",
        "2016-06-03 13:21:02 -0700",
        "Mon, 21 Jan 2008 8:56 am PST",
    ];
    let dir = dates_file(&dates);
    for format in ["yaml", "json", "csv", "rss", "atom"] {
        let out = format!("out.{format}");
        // `--lossless`: the feeds carry the records themselves.
        let lossless: &[&str] = if matches!(format, "rss" | "atom") {
            &["--lossless"]
        } else {
            &[]
        };
        let converted = feed_of(
            dir.path(),
            "z.jsonl",
            format,
            &[&["-o", &out], lossless].concat(),
        );
        assert_eq!(converted.code, 0, "{format}: {}", converted.stderr);
        let back = run(dir.path(), &["convert", &out, "--to", "jsonl"]);
        assert_eq!(back.code, 0, "{format}: {}", back.stderr);
        let read: Vec<String> = canonical_jsonl(&back.stdout)
            .iter()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).unwrap();
                value["d"].as_str().unwrap().to_owned()
            })
            .collect();
        // Feeds put the newest item first; the strings are the same.
        let (mut read, mut written) = (read, dates.to_vec());
        read.sort();
        written.sort();
        assert_eq!(read, written, "{format}");
    }
    // A migration that does not touch the date leaves it as written.
    let result = run(
        dir.path(),
        &["migrate", "z.jsonl", "--set", "x=1", "--in-place"],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert_eq!(dates_in(&dir.path().join("z.jsonl")), dates);
}

#[test]
fn case_1_validate_accepts_what_recast_reads() {
    let dir = tempfile::tempdir().unwrap();
    let good = [
        "2021-03-04T10:00:00",
        "2021-03-04 10:00:00.250",
        "2021-03-04T10:00:00-0500",
        "2016-06-03 13:21:02 -0700",
        "2021-03-04",
        "Mon, 21 Jan 2008 8:56 am PST",
    ];
    let bad = ["2021-03-04T25:00:00", "2021-02-30", "yesterday", "2021-03"];
    let lines: String = good
        .iter()
        .chain(&bad)
        .enumerate()
        .map(|(n, d)| {
            format!(
                "{}\n",
                serde_json::json!({"title": "T", "url": format!("https://x.org/{n}"), "publishedDateTime": d})
            )
        })
        .collect();
    fs::write(dir.path().join("v.jsonl"), lines).unwrap();
    let result = run(dir.path(), &["validate", "v.jsonl"]);
    assert_eq!(result.code, 1, "{}", result.stderr);
    let problems = format!("{}{}", result.stdout, result.stderr);
    for (n, date) in good.iter().enumerate() {
        assert!(
            !problems.contains(&format!("v.jsonl:{}:", n + 1)),
            "{date}: {problems}"
        );
    }
    for (n, date) in bad.iter().enumerate() {
        assert!(
            problems.contains(&format!(
                "v.jsonl:{}: publishedDateTime: {date:?} is not a date",
                good.len() + n + 1
            )),
            "{date}: {problems}"
        );
    }
}

#[test]
fn case_2_unknown_or_unfinished_directives_are_usage_errors() {
    let dir = dates_file(&["2021-03-04T10:00:00Z"]);
    for (format, named) in [
        ("%K", "%K"),
        ("%+", "%+"),
        ("%Ez", "%E"),
        ("%Y-%", "%"),
        ("%Y-%m-%d %-", "%-"),
    ] {
        let date = format!("d={format}");
        let result = run(
            dir.path(),
            &[
                "migrate",
                "z.jsonl",
                "--date",
                &date,
                "--to",
                "jsonl",
                "-o",
                "out.jsonl",
            ],
        );
        assert_eq!(result.code, 2, "{format}: {}", result.stderr);
        assert!(
            result.stderr.contains(&format!("directive {named} ")),
            "{format}: {}",
            result.stderr
        );
        assert!(!dir.path().join("out.jsonl").exists());
        // Templates: --template and --name.
        let template = format!("x={{d:{format}}}");
        let result = run(
            dir.path(),
            &["migrate", "z.jsonl", "--template", &template, "--in-place"],
        );
        assert_eq!(result.code, 2, "{format}: {}", result.stderr);
        assert!(result.stderr.contains(named), "{}", result.stderr);
        let name = format!("{{d:{format}}}");
        let result = run(
            dir.path(),
            &["convert", "z.jsonl", "--out-dir", "od", "--name", &name],
        );
        assert_eq!(result.code, 2, "{format}: {}", result.stderr);
        assert!(!dir.path().join("od").exists());
    }
    // A plan file's format is checked before anything is read too.
    fs::write(
        dir.path().join("plan.yaml"),
        "- date: {field: d, format: \"%Y-%K\"}\n",
    )
    .unwrap();
    let result = run(
        dir.path(),
        &["migrate", "z.jsonl", "--plan", "plan.yaml", "--in-place"],
    );
    assert_ne!(result.code, 0);
    assert!(
        result.stderr.contains("unknown strftime directive %K"),
        "{}",
        result.stderr
    );
    assert_eq!(
        dates_in(&dir.path().join("z.jsonl")),
        ["2021-03-04T10:00:00Z"]
    );
}

/// jiff's set is the accepted set: `%Q` (the zone's name, else its offset) is one, so it
/// works on a date with an offset and needs a zone on a zone-less one.
#[test]
fn case_2_directives_jiff_knows_are_accepted() {
    assert_eq!(
        reformat(
            &["2021-03-04T10:00:00-05:00"],
            "%a %-d %b %Y %I:%M %p %Q %::z %s %j %%",
            &[]
        ),
        ["Thu 4 Mar 2021 10:00 AM -0500 -05:00:00 1614870000 063 %"]
    );
    let dir = dates_file(&["2021-03-04T10:00:00"]);
    let result = run(
        dir.path(),
        &["migrate", "z.jsonl", "--date", "d=%Q", "--in-place"],
    );
    assert_eq!(result.code, 1, "{}", result.stderr);
    assert!(result.stderr.contains("%Q needs one"), "{}", result.stderr);
}

/// Real feeds' dates, as feedparser reads them (where it reads them right; see
/// docs/feeds.md for the ones feedparser gets wrong).
#[test]
fn case_3_real_feed_dates_are_read() {
    let result = run(
        &support::root(),
        &[
            "convert",
            data("dates/real-feed-dates.rss").to_str().unwrap(),
            "--to",
            "jsonl",
        ],
    );
    assert_eq!(result.code, 0, "{}", result.stderr);
    let dates: Vec<String> = canonical_jsonl(&result.stdout)
        .iter()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["publishedDateTime"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        dates,
        [
            "2008-01-21T08:56:00-08:00",
            "2008-01-21T20:56:00-08:00",
            "2020-01-10T14:33:00",
            "2006-09-15T08:19:53-04:00",
            "2004-01-04T16:29:06-08:00",
            "2019-06-03T10:00:00+02:00",
            "2010-09-06T00:01:00",
        ]
    );
}
