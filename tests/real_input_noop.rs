//! Issue 11, cases 15, 16 and 18: no flag, template or edit is a silent no-op; usage
//! errors exit 2, data errors 1; messages say a thing once; `--to md` refuses a second
//! record before writing. Every command is the issue's, run on `samples/` or a copy.

use crate::support;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use support::{recast, root, run_ok, sample};
use tempfile::TempDir;

/// Runs recast; returns the exit code, stdout and stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let output = recast().args(args).output().expect("recast runs");
    (
        output.status.code().expect("recast exits, not killed"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Asserts the exit code and that stderr holds every piece; returns stderr.
fn fails(args: &[&str], code: i32, pieces: &[&str]) -> String {
    let (status, _, stderr) = run(args);
    assert_eq!(status, code, "recast {args:?}: {stderr}");
    for piece in pieces {
        assert!(
            stderr.contains(piece),
            "recast {args:?}: no {piece:?} in {stderr}"
        );
    }
    stderr
}

/// A copy of `samples/archive` (13 articles and `_index.md`).
fn archive_copy() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(sample("archive")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// Every file in a folder, by name, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = if path.is_dir() {
                b"<folder>".to_vec()
            } else {
                fs::read(&path).unwrap()
            };
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                bytes,
            )
        })
        .collect()
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

// ---- case 15: templates naming a field no record has -------------------------------

#[test]
fn a_template_field_no_record_has_is_a_usage_error_and_nothing_is_written() {
    let dir = archive_copy();
    let before = snapshot(dir.path());
    let input = path_str(dir.path());
    fails(
        &[
            "migrate",
            input,
            "--template",
            "slug={titel|slug}",
            "--in-place",
        ],
        2,
        &[
            "--template slug={titel|slug}: {titel|slug} is empty in all 13 record(s): no field titel (did you mean title?)",
            "2020-11-11-ai-revolution-in-medicine.md",
            "nothing was written",
        ],
    );
    assert_eq!(snapshot(dir.path()), before);

    // The same for a file name: no `untitled-2.md` … `untitled-14.md`.
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("od");
    fails(
        &[
            "convert",
            "samples/archive",
            "--out-dir",
            path_str(&folder),
            "--name",
            "{slug}",
        ],
        2,
        &["--name {slug}: {slug} is empty in all 13 record(s): no field slug"],
    );
    let written: Vec<_> = fs::read_dir(&folder)
        .map(|entries| entries.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");

    // A date placeholder whose field no record has does not render as nothing silently.
    fails(
        &[
            "convert",
            "samples/archive",
            "--out-dir",
            path_str(&folder),
            "--name",
            "{date:%Y}-{title|slug}",
        ],
        2,
        &["{date:%Y} is empty in all 13 record(s): no field date"],
    );
}

#[test]
fn a_template_field_some_records_lack_is_a_warning_with_the_count_and_the_first() {
    let dir = archive_copy();
    let input = path_str(dir.path());
    // Not every sample article has images.
    let (status, _, stderr) = run(&[
        "migrate",
        input,
        "--template",
        "cover={images.0.url}",
        "--in-place",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("warning: --template cover={images.0.url}: {images.0.url} is empty in 5 of 13 record(s): no field images.0.url (first: "),
        "{stderr}"
    );
    // The default --name only warns: it was not the user's choice.
    let json = tempfile::tempdir().unwrap();
    let jsonl = json.path().join("x.jsonl");
    fs::write(&jsonl, "{\"title\": \"No date here\"}\n").unwrap();
    let out = json.path().join("od");
    let (status, _, stderr) = run(&["convert", path_str(&jsonl), "--out-dir", path_str(&out)]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("warning: --name {publishedDateTime:%Y-%m-%d}-{title|slug}: {publishedDateTime:%Y-%m-%d} is empty in all 1 record(s): no field publishedDateTime"),
        "{stderr}"
    );
    assert!(out.join("no-date-here.md").is_file());
}

// ---- case 15: edits that cannot apply -------------------------------------------------

#[test]
fn edits_that_cannot_apply_say_why_and_fail_when_they_apply_nowhere() {
    let dir = archive_copy();
    let before = snapshot(dir.path());
    let input = path_str(dir.path());
    fails(
        &["migrate", input, "--set", "title.sub=1", "--in-place"],
        2,
        &[
            "--set title.sub=1: 13 record(s) skipped: title is a string, not a map (first: ",
            "nothing was written",
        ],
    );
    fails(
        &["migrate", input, "--rename", "images.0=cover", "--in-place"],
        2,
        &[
            "--rename images.0=cover: 8 record(s) skipped: images is a list: --rename moves map keys, not list items",
        ],
    );
    // Moving a field inside itself cannot work on any record: refused before reading.
    fails(
        &[
            "migrate",
            input,
            "--rename",
            "provider=provider.inner",
            "--in-place",
        ],
        2,
        &["cannot move provider inside itself"],
    );
    fails(
        &["migrate", input, "--rename", "title=title", "--in-place"],
        2,
        &["renames title to itself"],
    );
    fails(
        &["migrate", input, "--date", "title=%Y", "--in-place"],
        2,
        &[
            "--date title=%Y: 13 record(s) skipped: title is not a date: \"AI revolution in medicine\"",
        ],
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn an_edit_that_applies_to_some_records_warns_with_the_count() {
    let dir = archive_copy();
    let input = path_str(dir.path());
    // Seven articles have one image, so no `images.1`; the one with two images and
    // those without images get the field (set creates what is missing).
    let (status, _, stderr) = run(&[
        "migrate",
        input,
        "--set",
        "images.1.url=x",
        "--dry-run",
        "--in-place",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("warning: --set images.1.url=x: 7 record(s) skipped: images has 1 item(s), so there is no images.1 (items count from 0) (first: "),
        "{stderr}"
    );
    // A rename whose field no record has changed nothing, and says so.
    let (status, _, stderr) = run(&["migrate", input, "--rename", "titel=title", "--in-place"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("warning: --rename titel=title: changed nothing: none of 13 record(s) has the field it reads"),
        "{stderr}"
    );
    // A where that matches nothing says so.
    let (status, _, stderr) = run(&[
        "migrate",
        input,
        "--where",
        "category=nope",
        "--set",
        "x=1",
        "--in-place",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stderr.contains("warning: --where category=nope: matched none of 13 record(s)"),
        "{stderr}"
    );
}

#[test]
fn set_goes_into_a_map_inside_a_list_item() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.json");
    fs::write(&input, r#"[{"images": [{"url": "https://x.org/a.jpg"}]}]"#).unwrap();
    let out = dir.path().join("out.jsonl");
    let (status, _, stderr) = run(&[
        "migrate",
        path_str(&input),
        "--set",
        "images.0.alt=A cat",
        "-o",
        path_str(&out),
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(
        fs::read_to_string(&out).unwrap(),
        "{\"images\":[{\"url\":\"https://x.org/a.jpg\",\"alt\":\"A cat\"}]}\n"
    );
}

// ---- case 15: --where grammar ----------------------------------------------------------

#[test]
fn where_operators_it_does_not_have_are_usage_errors_listing_the_grammar() {
    // `~` and `>=` became operators (issue 15); the operators of other languages are
    // still refused, with the column where they stand.
    for (condition, column) in [
        ("published==true", 10),
        ("title=~AI", 6),
        ("a && b", 3),
        ("a || b", 3),
        // After a value, where they would be read as part of it and match nothing.
        ("category=news && quality>50", 15),
        ("quality>1 || draft", 11),
    ] {
        fails(
            &[
                "migrate",
                "samples/archive",
                "--where",
                condition,
                "--set",
                "x=1",
                "--dry-run",
                "--in-place",
            ],
            2,
            &[
                &format!("--where {condition:?}: at column {column}: "),
                "is not a --where operator",
            ],
        );
    }
    // The accepted forms still work.
    let (status, _, stderr) = run(&[
        "migrate",
        "samples/archive",
        "--where",
        "published=false",
        "--where",
        "publishedDateTime>2021-01-01",
        "--where",
        "title~(?i)^the or quality>=3",
        "--set",
        "x=1",
        "--dry-run",
        "--in-place",
    ]);
    assert_eq!(status, 0, "{stderr}");
}

#[test]
fn an_empty_output_says_which_step_left_nothing() {
    let convert = |extra: &[&str]| {
        let mut args = vec!["convert", "samples/archive", "--to", "jsonl"];
        args.extend_from_slice(extra);
        let (status, stdout, stderr) = run(&args);
        assert_eq!((status, stdout.as_str()), (0, ""), "{args:?}: {stderr}");
        stderr
    };
    let stderr = convert(&["--where", "category=zzz"]);
    assert!(
        stderr.contains("--where matched none of 13 record(s): the output holds none"),
        "{stderr}"
    );
    let stderr = convert(&["--where", "category=news", "--jq", "empty"]);
    let news = run_ok(&[
        "convert",
        "samples/archive",
        "--to",
        "jsonl",
        "--where",
        "category=news",
    ]);
    assert!(
        stderr.contains(&format!(
            "--jq gave no record for the {} record(s) it was given",
            news.lines().count()
        )),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jsonl");
    fs::write(&empty, "").unwrap();
    let (status, _, stderr) = run(&["convert", empty.to_str().unwrap(), "--to", "json"]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("no record was read"), "{stderr}");
}

// ---- case 15: flags that would do nothing ----------------------------------------------

#[test]
fn flags_that_cannot_take_effect_are_usage_errors() {
    fails(
        &[
            "convert",
            "samples/archive.json",
            "--to",
            "csv",
            "--fields",
            "title,tittle",
        ],
        2,
        &["--fields: no record has tittle (did you mean title?)"],
    );
    fails(
        &[
            "convert",
            "samples/archive.json",
            "--to",
            "json",
            "--limit",
            "3",
        ],
        2,
        &["--limit applies to RSS/Atom/JSON Feed output, and the output is json"],
    );
    fails(
        &[
            "convert",
            "samples/archive.json",
            "--to",
            "json",
            "--fields",
            "title",
        ],
        2,
        &["--fields applies to CSV/TSV/xlsx output"],
    );
    fails(
        &["convert", "samples/archive.csv", "--select", "/news"],
        2,
        &["--select /news picks records inside a JSON document, and samples/archive.csv is csv"],
    );
    // --diff without --dry-run would run the migration for real.
    let dir = archive_copy();
    let before = snapshot(dir.path());
    fails(
        &[
            "migrate",
            path_str(dir.path()),
            "--set",
            "x=1",
            "--diff",
            "2",
            "--in-place",
        ],
        2,
        &["--diff N sets how many diffs a dry run shows; add --dry-run"],
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_schema_column_no_record_has_is_a_warning_with_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.txt");
    fs::write(&schema, "qualty: int\n").unwrap();
    // `--schema` is the former name of `--column-types`, still accepted by convert and
    // migrate (validate's `--schema` is a JSON Schema now).
    for flag in ["--column-types", "--schema"] {
        let (status, _, stderr) = run(&["convert", "samples/archive.csv", flag, path_str(&schema)]);
        assert_eq!(status, 0, "{stderr}");
        assert!(
            stderr
                .contains("warning: --column-types: no record has qualty (did you mean quality?)"),
            "{stderr}"
        );
    }
    for command in [
        vec!["inspect", "samples/archive.csv"],
        vec!["validate", "samples/archive.csv"],
        vec![
            "migrate",
            "samples/archive.csv",
            "--set",
            "x=1",
            "--in-place",
            "--dry-run",
        ],
    ] {
        let mut args = command.clone();
        args.extend(["--column-types", path_str(&schema)]);
        let (_, _, stderr) = run(&args);
        assert!(
            stderr
                .contains("warning: --column-types: no record has qualty (did you mean quality?)"),
            "{command:?}: {stderr}"
        );
    }
}

#[test]
fn a_folder_with_nothing_to_read_fails_and_one_among_others_warns() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let (status, stdout, stderr) = run(&["convert", path_str(&empty)]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("nothing to read: "), "{stderr}");
    fs::write(empty.join("notes.txt"), "notes\n").unwrap();
    fails(
        &["inspect", path_str(&empty)],
        1,
        &["holds no file of a known format"],
    );
    fails(
        &["validate", path_str(&empty)],
        1,
        &["holds no file of a known format"],
    );
    fails(
        &["migrate", path_str(&empty), "--set", "x=1", "--in-place"],
        1,
        &["nothing to read"],
    );
    let (status, stdout, stderr) = run(&[
        "convert",
        path_str(&empty),
        "samples/archive.jsonl",
        "--to",
        "jsonl",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 13);
    assert!(stderr.contains("no file of a known format"), "{stderr}");
    // A folder's channel named alone is no records, and the message says so.
    let index = sample("archive/_index.md");
    fails(
        &["migrate", path_str(&index), "--set", "x=1", "--in-place"],
        1,
        &["_index.md is a channel file (a folder's feed title and links), not records"],
    );
}

// ---- case 16: exit codes and messages --------------------------------------------------

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = dir.path().join("out.foo");
    fails(
        &["convert", "samples/archive.json", "-o", path_str(&unknown)],
        2,
        &["cannot tell the output format from"],
    );
    fails(
        &[
            "migrate",
            "samples/archive",
            "--set",
            "x=1",
            "-o",
            path_str(&unknown),
        ],
        2,
        &["cannot tell the output format from"],
    );
    fails(
        &[
            "migrate",
            "samples/archive",
            "--where",
            "date<yesterday",
            "--in-place",
            "--dry-run",
        ],
        2,
        &["at column 6: expected a number or a date (YYYY-MM-DD or RFC 3339), found \"yesterday\""],
    );
    fails(
        &["convert", "samples/archive.csv", "--delimiter", ";;"],
        2,
        &["--delimiter must be one ASCII character"],
    );
    fails(
        &["migrate", "samples/archive", "--in-place"],
        2,
        &["no edits"],
    );
    fails(
        &[
            "migrate",
            "samples/archive",
            "--set",
            "x=1",
            "--in-place",
            "--to",
            "json",
        ],
        2,
        &["--in-place rewrites each file in its own format"],
    );
    fails(
        &[
            "convert",
            "samples/archive.json",
            "--to",
            "rss",
            "--map",
            "colour=x",
        ],
        2,
        &["colour"],
    );
}

#[test]
fn migrate_takes_the_feed_and_csv_flags_of_convert() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("f.xml");
    // samples/archive.json has no channel: the flags give it.
    let (status, _, stderr) = run(&[
        "migrate",
        "samples/archive.json",
        "--set",
        "reviewed=true",
        "--to",
        "rss",
        "-o",
        path_str(&feed),
        "--feed-title",
        "AI news",
        "--feed-link",
        "https://news.example/",
        "--feed-description",
        "Digest",
        "--limit",
        "3",
    ]);
    assert_eq!(status, 0, "{stderr}");
    let xml = fs::read_to_string(&feed).unwrap();
    assert!(xml.contains("<title>AI news</title>"), "{xml}");
    assert_eq!(xml.matches("<item>").count(), 3, "{xml}");
    let csv = dir.path().join("out.csv");
    let (status, _, stderr) = run(&[
        "migrate",
        "samples/archive.json",
        "--set",
        "reviewed=true",
        "-o",
        path_str(&csv),
        "--fields",
        "title,reviewed",
        "--delimiter",
        ";",
    ]);
    assert_eq!(status, 0, "{stderr}");
    let text = fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("title;reviewed\n"), "{text}");
    assert_eq!(text.lines().count(), 14);
}

#[test]
fn a_semicolon_csv_from_excel_can_be_inspected_validated_and_migrated() {
    let input = root().join("tests/data/noop/excel-semicolon.csv");
    let input = path_str(&input);
    let (status, stdout, stderr) = run(&["inspect", input, "--delimiter", ";", "--json"]);
    assert_eq!(status, 0, "{stderr}");
    let stats: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let paths: Vec<&str> = stats["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["title", "url", "quality", "publishedDateTime"]);
    let (status, _, stderr) = run(&["validate", input, "--delimiter", ";"]);
    assert_eq!(status, 0, "{stderr}");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let (status, _, stderr) = run(&[
        "migrate",
        input,
        "--delimiter",
        ";",
        "--set",
        "reviewed=true",
        "-o",
        path_str(&out),
        "--max-record-size",
        "1M",
    ]);
    assert_eq!(status, 0, "{stderr}");
    let records = support::canonical_jsonl(&fs::read_to_string(&out).unwrap());
    assert_eq!(
        records,
        [
            r#"{"title":"AI revolution in medicine","url":"https://news.harvard.edu/a/","quality":39,"publishedDateTime":"2020-11-11T16:36:00Z","reviewed":true}"#,
            r#"{"title":"Robots learn to sort","url":"https://x.org/robots/","quality":41,"publishedDateTime":"2020-12-02T10:00:00Z","reviewed":true}"#,
        ]
    );
    // --select and --max-record-size reach inspect too.
    let (status, stdout, stderr) = run(&[
        "inspect",
        "samples/archive.json",
        "--select",
        "",
        "--max-record-size",
        "1M",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.starts_with("13 records in 1 file(s)"), "{stdout}");
}

#[test]
fn output_to_a_folder_is_refused_once_and_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let folder = path_str(dir.path());
    let stderr = fails(
        &[
            "convert",
            "samples/archive.json",
            "--to",
            "json",
            "-o",
            folder,
        ],
        2,
        &["a folder; -o takes a file"],
    );
    assert!(!stderr.contains("os error 21"), "{stderr}");
    fails(
        &[
            "migrate",
            "samples/archive",
            "--set",
            "x=1",
            "--to",
            "json",
            "-o",
            folder,
        ],
        2,
        &["a folder; -o takes a file"],
    );
    // A folder named like a file is refused before anything is read.
    let named = dir.path().join("x.json");
    fs::create_dir(&named).unwrap();
    for command in ["convert", "migrate"] {
        let mut args = vec![command, "samples/archive", "-o", path_str(&named)];
        if command == "migrate" {
            args.extend(["--set", "x=1"]);
        }
        let stderr = fails(&args, 2, &["a folder; -o takes a file"]);
        assert!(!stderr.contains("os error"), "{stderr}");
    }
}

#[test]
fn markdown_to_standard_output_refuses_a_second_record_before_writing() {
    let (status, stdout, stderr) = run(&["convert", "samples/archive.json", "--to", "md"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("Markdown output holds one record per file"),
        "{stderr}"
    );
    // One record is fine.
    let (status, stdout, stderr) = run(&[
        "convert",
        "samples/archive/2020-11-11-ai-revolution-in-medicine.md",
        "--to",
        "md",
    ]);
    assert_eq!(status, 0, "{stderr}");
    assert!(
        stdout.starts_with("---\n") && stdout.contains("AI revolution in medicine"),
        "{stdout}"
    );
}

#[test]
fn an_empty_shard_is_not_an_error() {
    // One file, two shards: one of them holds nothing, rightly (more machines than files).
    let mut lines = 0;
    for shard in ["1/2", "2/2"] {
        let (status, stdout, stderr) = run(&[
            "convert",
            "samples/archive.json",
            "--shard",
            shard,
            "--to",
            "jsonl",
        ]);
        assert_eq!(status, 0, "{stderr}");
        lines += stdout.lines().count();
    }
    assert_eq!(lines, 13);
}
