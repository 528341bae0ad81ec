//! Front matter dialects on a real site (issue 13, item 1): Zola's test site
//! (tests/data/sites/zola, TOML `+++` front matter, MIT, see its LICENSE-zola) reads
//! field for field, converts to YAML and JSON front matter and back without a change,
//! and migrates in place in its own dialect with minimal diffs.

use std::fs;
use std::path::{Path, PathBuf};

use recast_model::{Record, Value};
use recast_yaml::{FrontMatterDialect, read_markdown, to_markdown_string, to_markdown_string_in};

use crate::support::{assert_same_record_set, data, recast, records_of, run_ok};

/// Every Markdown file of the site, in name order.
fn site_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&data("sites/zola"), &mut files);
    assert_eq!(files.len(), 57);
    files
}

fn read(path: &Path) -> (String, Record) {
    let text = fs::read_to_string(path).unwrap();
    let record =
        read_markdown(text.as_bytes(), None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (text, record)
}

/// The text after `key = ` on a top-level line of a TOML front matter.
fn toml_line<'t>(front: &'t str, key: &str) -> Option<&'t str> {
    front
        .lines()
        .take_while(|line| !line.starts_with('['))
        .find_map(|line| line.strip_prefix(key)?.trim_start().strip_prefix('='))
        .map(str::trim)
}

#[test]
fn every_post_reads_with_its_fields() {
    let mut dated = 0;
    for path in site_files() {
        let (text, record) = read(&path);
        let Some(front) = text.strip_prefix("+++\n") else {
            continue;
        };
        let front = &front[..front.find("+++").unwrap()];
        let name = path.display();
        match toml_line(front, "title") {
            Some(title) => assert_eq!(
                record.fields["title"],
                Value::from(title.trim_matches('"')),
                "{name}"
            ),
            None => assert!(!record.fields.contains_key("title"), "{name}"),
        }
        // Dates are TOML local dates, and stay the strings written.
        if let Some(date) = toml_line(front, "date") {
            assert_eq!(record.fields["date"], Value::from(date), "{name}");
            dated += 1;
        }
        assert!(
            !record.body().is_some_and(|b| b.starts_with("+++")),
            "{name}: the front matter is not body"
        );
    }
    assert_eq!(dated, 18);

    let (_, first) = read(&data("sites/zola/rebuild/first.md"));
    assert_eq!(
        first.fields.keys().collect::<Vec<_>>(),
        ["title", "weight", "date", "taxonomies", "body"]
    );
    assert_eq!(first.fields["weight"].type_name(), "integer");
    let taxonomies = first.fields["taxonomies"].as_map().unwrap();
    assert_eq!(
        taxonomies.keys().collect::<Vec<_>>(),
        ["categories", "podcast_authors"]
    );
    assert_eq!(
        taxonomies["categories"],
        Value::List(vec![Value::from("a-category")])
    );
}

#[test]
fn toml_to_yaml_to_toml_and_json_gives_identical_records() {
    for path in site_files() {
        let (_, record) = read(&path);
        let yaml = to_markdown_string(&record);
        let from_yaml = read_markdown(yaml.as_bytes(), None).unwrap();
        for dialect in [FrontMatterDialect::Toml, FrontMatterDialect::Json] {
            let text = to_markdown_string_in(&from_yaml, dialect).unwrap();
            let back = read_markdown(text.as_bytes(), None).unwrap();
            // Record equality is strict: key order and numbers' text included.
            assert_eq!(back, record, "{} as {dialect:?}:\n{text}", path.display());
        }
    }
}

#[test]
fn the_front_matter_flag_writes_each_dialect_and_reads_back_equal() {
    let site = data("sites/zola");
    let original = records_of(&site, &[]);
    let dir = tempfile::tempdir().unwrap();
    for dialect in ["yaml", "toml", "json"] {
        let out = dir.path().join(dialect);
        run_ok(&[
            "convert",
            site.to_str().unwrap(),
            "--to",
            "md",
            "--front-matter",
            dialect,
            "--out-dir",
            out.to_str().unwrap(),
        ]);
        let first = fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
        let text = fs::read_to_string(first).unwrap();
        let opening = match dialect {
            "yaml" => "---\n",
            "toml" => "+++\n",
            _ => "{",
        };
        assert!(text.starts_with(opening), "{dialect}: {text}");
        assert_same_record_set(&records_of(&out, &[]), &original, dialect);
    }
}

#[test]
fn a_value_toml_cannot_hold_is_an_error_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("post.md");
    fs::write(&input, "---\ntitle: A\nsubtitle: null\n---\n").unwrap();
    let output = recast()
        .args([
            "convert",
            input.to_str().unwrap(),
            "--to",
            "md",
            "--front-matter",
            "toml",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        err.contains("post.md") && err.contains("field `subtitle` is null"),
        "{err}"
    );
}

#[test]
fn migrate_in_place_adds_one_line_to_a_toml_post() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("first.md");
    let before = fs::read_to_string(data("sites/zola/rebuild/first.md")).unwrap();
    fs::write(&post, &before).unwrap();
    run_ok(&[
        "migrate",
        post.to_str().unwrap(),
        "--set",
        "x=1",
        "--in-place",
    ]);
    let after = fs::read_to_string(&post).unwrap();
    let added: Vec<&str> = after
        .lines()
        .filter(|l| !before.lines().any(|b| b == *l))
        .collect();
    assert_eq!(added, ["x = 1"]);
    assert_eq!(after.lines().count(), before.lines().count() + 1);
    assert_eq!(after.replace("x = 1\n", ""), before);
    // A changed value changes its line only.
    run_ok(&[
        "migrate",
        post.to_str().unwrap(),
        "--set",
        "weight=11",
        "--in-place",
    ]);
    let changed = fs::read_to_string(&post).unwrap();
    assert_eq!(changed, after.replace("weight = 10", "weight = 11"));
}

#[test]
fn migrate_in_place_keeps_json_front_matter_and_its_indentation() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("hugo.markdown");
    fs::write(
        &post,
        "{\n    \"title\": \"Hugo\",\n    \"tags\": [\"a\"]\n}\n\nBody.\n",
    )
    .unwrap();
    run_ok(&[
        "migrate",
        post.to_str().unwrap(),
        "--set",
        "draft=false",
        "--in-place",
    ]);
    assert_eq!(
        fs::read_to_string(&post).unwrap(),
        "{\n    \"title\": \"Hugo\",\n    \"tags\": [\n        \"a\"\n    ],\n    \"draft\": false\n}\n\nBody.\n"
    );
    // `.markdown` files are Markdown when a folder is walked too.
    let records = records_of(dir.path(), &[]);
    assert_eq!(
        records,
        [r#"{"title":"Hugo","tags":["a"],"draft":false,"body":"Body.\n"}"#]
    );
}
