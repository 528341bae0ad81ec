//! End-to-end tests of `recast inspect`: the table and the JSON of the sample archive,
//! and files that fail to parse.

use std::path::PathBuf;

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn inspect(args: &[&str]) -> (String, String) {
    let output = Command::cargo_bin("recast")
        .unwrap()
        .current_dir(root())
        .arg("inspect")
        .args(args)
        .assert()
        .success()
        .get_output()
        .clone();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_table_shows_counts_paths_types_presence_examples_and_dates() {
    let (table, _) = inspect(&["samples/archive"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines[0], "13 records in 13 file(s), 0 failed");
    let row = |path: &str| {
        lines
            .iter()
            .find(|l| l.split_whitespace().next() == Some(path))
            .unwrap_or_else(|| panic!("no row for {path}:\n{table}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(row("title")[..3], ["title", "string", "13/13"]);
    assert_eq!(row("quality")[..4], ["quality", "integer", "13/13", "39"]);
    assert_eq!(
        row("published")[..4],
        ["published", "bool", "13/13", "false"]
    );
    assert_eq!(
        row("provider.name")[..3],
        ["provider.name", "string", "13/13"]
    );
    assert_eq!(
        row("images.0.width")[..4],
        ["images.0.width", "integer", "8/13", "945"]
    );
    assert_eq!(row("topics")[..3], ["topics", "list", "13/13"]);
    assert_eq!(row("originalUrl")[..3], ["originalUrl", "string", "11/13"]);
    // Examples are cut to one short line.
    assert!(row("secured").last().unwrap().ends_with('…'));
    let dates = table
        .split("\ndate ranges\n")
        .nth(1)
        .expect("a date section");
    assert!(
        dates
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == [
                    "publishedDateTime",
                    "2020-11-11T16:36:00Z",
                    "…",
                    "2024-06-19T11:00:00-04:00"
                ]),
        "{dates}"
    );
    assert!(!table.contains("\nfailed\n"));
}

#[test]
fn json_for_scripts() {
    let (json, _) = inspect(&["samples/archive", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["records"], 13);
    assert_eq!(value["files"], 13);
    let fields = value["fields"].as_array().unwrap();
    let field = |path: &str| fields.iter().find(|f| f["path"] == path).unwrap().clone();
    assert_eq!(field("images.0.url")["present"], 8);
    assert_eq!(field("quality")["types"]["integer"], 13);
    assert_eq!(field("heat")["example"], -1);
    let date = &value["dates"].as_array().unwrap()[0];
    assert_eq!(date["path"], "publishedDateTime");
    assert_eq!(date["min"], "2020-11-11T16:36:00Z");
    assert_eq!(date["max"], "2024-06-19T11:00:00-04:00");
    assert_eq!(date["parsed"], 13);
    assert_eq!(value["failed"], serde_json::json!([]));
}

#[test]
fn files_that_fail_are_listed_and_the_rest_counted() {
    let (table, _) = inspect(&["tests/data/migrate/invalid"]);
    assert!(
        table.starts_with("4 records in 5 file(s), 1 failed\n"),
        "{table}"
    );
    let failed = table.split("\nfailed\n").nth(1).expect("a failed section");
    assert_eq!(failed.lines().count(), 1);
    assert!(
        failed.starts_with("tests/data/migrate/invalid/d-broken.md:3:"),
        "{failed}"
    );
    // Strings that do not read as dates are counted beside the range.
    assert!(
        table.contains("2024-01-22T13:00:00Z … 2024-01-23  (1 not dates)"),
        "{table}"
    );
    let (json, _) = inspect(&["tests/data/migrate/invalid", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["failed"].as_array().unwrap().len(), 1);
}

#[test]
fn the_generated_archive_in_every_form_has_the_same_fields() {
    let (md, _) = inspect(&["tests/data/generated/archive", "--json"]);
    let (jsonl, _) = inspect(&["tests/data/generated/archive.jsonl", "--json"]);
    let md: serde_json::Value = serde_json::from_str(&md).unwrap();
    let jsonl: serde_json::Value = serde_json::from_str(&jsonl).unwrap();
    assert_eq!(md["records"], 300);
    assert_eq!(jsonl["records"], 300);
    let paths = |v: &serde_json::Value| {
        let mut p: Vec<String> = v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{} {}", f["path"], f["present"]))
            .collect();
        p.sort();
        p
    };
    assert_eq!(paths(&md), paths(&jsonl));
}
