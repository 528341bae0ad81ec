//! End-to-end tests of CSV and TSV: archives go to a sheet and come back strictly equal
//! (types, key order, nesting, empty lists and maps), and the sheet options behave.

use crate::support;

use std::fs;
use std::path::Path;

use support::*;

fn generated_records() -> Vec<String> {
    canonical_jsonl(&fs::read_to_string(data("generated/archive.jsonl")).unwrap())
}

/// `input` → `format` (a file in a temporary folder) → JSON Lines, checked against
/// what recast reads from `input` directly.
fn assert_sheet_round_trip(input: &Path, format: &str, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join(format!("sheet.{format}"));
    let mut args = vec![
        "convert",
        input.to_str().unwrap(),
        "-o",
        sheet.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run_ok(&args);
    let expected = records_of(input, &[]);
    let actual = records_of(&sheet, &extra_read_flags(extra));
    assert_same_records(
        &actual,
        &expected,
        &format!("{} → {format}", input.display()),
    );
    fs::read_to_string(&sheet).unwrap()
}

/// The flags that also matter when reading the sheet back (all but `--bom`).
fn extra_read_flags<'a>(extra: &'a [&'a str]) -> Vec<&'a str> {
    extra
        .iter()
        .copied()
        .filter(|&flag| flag != "--bom")
        .collect()
}

#[test]
fn generated_archive_round_trips_through_csv_and_tsv_strictly() {
    let expected = generated_records();
    assert_eq!(expected.len(), 300);
    for input in [
        "generated/archive.json",
        "generated/archive.jsonl",
        "generated/archive",
    ] {
        for format in ["csv", "tsv"] {
            assert_sheet_round_trip(&data(input), format, &[]);
        }
    }
    assert_sheet_round_trip(&data("generated/archive.json"), "csv", &["--no-sanitize"]);
    assert_sheet_round_trip(&data("generated/archive.json"), "csv", &["--bom"]);
}

#[test]
fn samples_round_trip_through_csv_and_tsv_strictly() {
    for input in ["archive", "archive.json"] {
        let input = sample(input);
        if input.exists() {
            assert_sheet_round_trip(&input, "csv", &[]);
            assert_sheet_round_trip(&input, "tsv", &[]);
        }
    }
}

#[test]
fn csv_to_csv_writes_the_same_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.csv");
    let second = dir.path().join("second.csv");
    run_ok(&[
        "convert",
        data("generated/archive.json").to_str().unwrap(),
        "-o",
        first.to_str().unwrap(),
    ]);
    run_ok(&[
        "convert",
        first.to_str().unwrap(),
        "-o",
        second.to_str().unwrap(),
    ]);
    assert_eq!(fs::read(&first).unwrap(), fs::read(&second).unwrap());
}

#[test]
fn lookalike_strings_formulas_and_empty_containers_come_back() {
    let sheet = assert_sheet_round_trip(&data("csv/lookalikes.json"), "csv", &[]);
    let header = sheet.lines().next().unwrap();
    assert!(
        header.starts_with(
            "title,code,flag,quality,score:float,big,published,topics:list,provider.name"
        ),
        "{header}"
    );
    assert!(header.contains(r"nested.a\.b,nested.a.b"), "{header}");
    // Lookalikes and formulas carry the `'` text marker; real numbers stay plain.
    assert!(sheet.contains("\n'2024,'007,'true,39,1.0,"), "{sheet}");
    assert!(
        sheet.contains(
            r#""'=HYPERLINK(""http://evil.example"",""click"")",'-42,'@SUM(A1:A9),-42,2.5,"#
        ),
        "{sheet}"
    );
    // `'quoted` needs no marker: `quoted` would read back as itself.
    assert!(
        sheet.contains("'+1 555 0100,'quoted,'\tTab,0,-0.0,"),
        "{sheet}"
    );
    assert!(sheet.contains("AI Ethics; AI"), "{sheet}");
    assert_sheet_round_trip(&data("csv/lookalikes.json"), "tsv", &[]);
    assert_sheet_round_trip(&data("csv/lookalikes.json"), "csv", &["--no-sanitize"]);
    assert_sheet_round_trip(&data("csv/lookalikes.json"), "csv", &["--delimiter", ";"]);
}

#[test]
fn no_sanitize_writes_formulas_as_they_are() {
    let out = run_ok(&[
        "convert",
        data("csv/lookalikes.json").to_str().unwrap(),
        "--to",
        "csv",
        "--no-sanitize",
    ]);
    assert!(out.contains("\n\"=HYPERLINK("), "{out}");
    assert!(out.contains(",@SUM(A1:A9),"), "{out}");
}

#[test]
fn bom_is_written_on_request_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("excel.csv");
    run_ok(&[
        "convert",
        data("csv/lookalikes.json").to_str().unwrap(),
        "-o",
        sheet.to_str().unwrap(),
        "--bom",
    ]);
    let bytes = fs::read(&sheet).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFtitle,"));
    assert_eq!(
        records_of(&sheet, &[]),
        records_of(&data("csv/lookalikes.json"), &[])
    );
    let plain = run_ok(&[
        "convert",
        data("csv/lookalikes.json").to_str().unwrap(),
        "--to",
        "csv",
    ]);
    assert!(plain.starts_with("title,"));
}

#[test]
fn fields_choose_and_order_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("chosen.csv");
    run_ok(&[
        "convert",
        data("generated/archive.json").to_str().unwrap(),
        "-o",
        sheet.to_str().unwrap(),
        "--fields",
        "title,webUrl,provider.name",
    ]);
    let out = fs::read_to_string(&sheet).unwrap();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("title,webUrl,provider.name"));
    let first = lines.next().unwrap();
    assert!(first.ends_with(",Ars Technica"), "{first}");
    let records = records_of(&sheet, &[]);
    assert_eq!(records.len(), 300);
    let keys: Vec<String> = serde_json::from_str::<serde_json::Value>(&records[0])
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(keys, ["title", "webUrl", "provider"]);
    let tsv = run_ok(&[
        "convert",
        data("generated/archive.json").to_str().unwrap(),
        "--to",
        "tsv",
        "--fields",
        "provider,quality",
    ]);
    assert_eq!(
        tsv.lines().next(),
        Some("provider.name\tprovider.domain\tquality")
    );
}

#[test]
fn ragged_rows_name_the_file_and_row_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let input = data("csv/ragged.csv");
    let output = recast()
        .args([
            "convert",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("ragged.csv:3 (record 2): row 2 has 3 fields, but the header has 2"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing is written on error");

    let (stdout, stderr) = run_keep_going(&input);
    assert!(
        stderr.contains("ragged.csv:4 (record 3): row 3 has 1 field,"),
        "{stderr}"
    );
    let records = canonical_jsonl(&stdout);
    assert_eq!(
        records,
        [
            r#"{"title":"first","quality":1}"#,
            r#"{"title":"fourth","quality":4}"#
        ]
    );
}

#[test]
fn foreign_sheets_are_inferred_by_column_and_the_schema_pins_types() {
    let input = data("csv/foreign.csv");
    let records = records_of(&input, &[]);
    assert_eq!(
        records,
        [
            r#"{"zip":"02139","count":1,"ok":true,"price":1,"name":"Ann","tags":"a;b"}"#,
            r#"{"zip":"10001","count":2,"ok":false,"price":2.5,"name":"007","tags":"c"}"#
        ]
    );
    let schema = data("csv/foreign.schema");
    let records = records_of(&input, &["--column-types", schema.to_str().unwrap()]);
    assert_eq!(
        records,
        [
            r#"{"zip":2139,"count":1,"ok":true,"price":1.0,"name":"Ann","tags":["a","b"]}"#,
            r#"{"zip":10001,"count":2,"ok":false,"price":2.5,"name":"007","tags":["c"]}"#
        ]
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    let output = recast()
        .args([
            "convert",
            "samples/archive.json",
            "--to",
            "csv",
            "--delimiter",
            "ab",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--delimiter"));
}

/// The worked example in docs/csv.md is this command's real output.
#[test]
fn the_documented_example_sheet_is_what_recast_writes() {
    let docs = fs::read_to_string(root().join("docs/csv.md")).unwrap();
    let command = "$ recast convert tests/data/csv/example.json --to csv\n";
    let start = docs.find(command).expect("the example is in docs/csv.md") + command.len();
    let documented = &docs[start..start + docs[start..].find("```").unwrap()];
    let actual = run_ok(&["convert", "tests/data/csv/example.json", "--to", "csv"]);
    assert_eq!(actual, documented);
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("example.csv");
    fs::write(&sheet, &actual).unwrap();
    assert_eq!(
        records_of(&sheet, &[]),
        records_of(&data("csv/example.json"), &[])
    );
}
