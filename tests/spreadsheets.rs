//! Spreadsheets (issue 14): records → xlsx → records, strictly; through every other
//! format and back; a sheet edited with openpyxl; a LibreOffice round trip; hostile
//! workbooks.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{
    assert_same_record_set, assert_same_records, assert_succeeded, canonical_jsonl, data, recast,
    records_of, run_ok, sample, tool_available,
};

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Writes `input` as an xlsx workbook in `dir` and returns its path.
fn to_xlsx(input: &Path, dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(name);
    run_ok(&["convert", path(input), "-o", path(&out)]);
    out
}

/// Records whose every value survives CSV's and xlsx's conventions, awkward ones each:
/// numbers no spreadsheet holds, lookalike strings, markers, a cell over 32,767
/// characters, key order that differs between records.
fn edge_records() -> String {
    let long = "All work and no play. ".repeat(3_200);
    format!(
        "{}\n{}\n{}\n",
        serde_json::json!({
            "title": "2024", "n": 39, "f": 1.0, "big": 12345678901234567890123u128,
            "flag": true, "tags": ["AI", "1", true, ""], "empty": "", "marker": "[]",
            "list0": [], "map0": {}, "quote": "'", "formula": "=SUM(A1:A2)",
            "escape": "_x0041_ and \r\n and \u{1}", "date": "2024-01-05T10:00:00+01:00",
            "nested": {"a.b": 1, "c:d": "x", "0": "digit key"},
            "items": [{"u": "x"}, {"u": "y"}], "body": long,
        }),
        serde_json::json!({
            "n": "007", "title": "Second", "f": 2.5, "big": 1.50, "flag": false,
            "mixed": [1, {"a": 2}], "precise": 0.30000000000000004, "neg": -0.0,
            "space": " padded ", "tab": "\tx", "plus": "+1", "apostrophes": "''",
        }),
        serde_json::json!({"title": "=1+1", "n": 1e300, "f": 3.25, "unicode": "čaj 🍵 — ok"}),
    )
    .replace("1.5,", "1.50,")
    .replace("\"neg\":-0.0", "\"neg\":-0")
}

fn edge_file(dir: &Path) -> PathBuf {
    let file = dir.join("edge.jsonl");
    std::fs::write(&file, edge_records()).unwrap();
    file
}

#[test]
fn edge_cases_come_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let input = edge_file(dir.path());
    let original = records_of(&input, &[]);
    assert!(original[1].contains("\"big\":1.50"), "{}", original[1]);
    let sheet = to_xlsx(&input, dir.path(), "edge.xlsx");
    assert_same_records(&records_of(&sheet, &[]), &original, "edge.jsonl → xlsx");
}

/// CSV's one loss, shared: a null field comes back missing (an empty cell is no value).
#[test]
fn samples_generated_archive_and_csv_fixtures_round_trip_as_through_csv() {
    let dir = tempfile::tempdir().unwrap();
    for input in [
        sample("archive.jsonl"),
        data("generated/archive.jsonl"),
        data("csv/lookalikes.json"),
        data("csv/example.json"),
    ] {
        let sheet = to_xlsx(&input, dir.path(), "x.xlsx");
        let csv = dir.path().join("x.csv");
        run_ok(&["convert", path(&input), "-o", path(&csv)]);
        let context = format!("{} → xlsx", input.display());
        assert_same_records(&records_of(&sheet, &[]), &records_of(&csv, &[]), &context);
    }
    let sheet = to_xlsx(&sample("archive.jsonl"), dir.path(), "s.xlsx");
    let original = records_of(&sample("archive.jsonl"), &[]);
    assert_same_records(&records_of(&sheet, &[]), &original, "samples → xlsx");
}

#[test]
fn a_workbook_goes_through_every_other_format_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let input = edge_file(dir.path());
    let sheet = to_xlsx(&input, dir.path(), "edge.xlsx");
    let expected = records_of(&sheet, &[]);
    for to in ["json", "jsonl", "yaml", "csv", "tsv"] {
        let other = dir.path().join(format!("edge.{to}"));
        run_ok(&["convert", path(&sheet), "-o", path(&other)]);
        let back = to_xlsx(&other, dir.path(), &format!("back-{to}.xlsx"));
        assert_same_records(
            &records_of(&back, &[]),
            &expected,
            &format!("xlsx → {to} → xlsx"),
        );
    }
    let folder = dir.path().join("md");
    run_ok(&["convert", path(&sheet), "--out-dir", path(&folder)]);
    let back = to_xlsx(&folder, dir.path(), "back-md.xlsx");
    assert_same_record_set(&records_of(&back, &[]), &expected, "xlsx → md → xlsx");
}

#[test]
fn a_pipe_takes_a_workbook() {
    let output = recast()
        .args(["convert", "samples/archive.jsonl", "--to", "xlsx"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(output.stdout.starts_with(b"PK\x03\x04"));
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("piped.xlsx");
    std::fs::write(&sheet, &output.stdout).unwrap();
    let original = records_of(&sample("archive.jsonl"), &[]);
    assert_same_records(&records_of(&sheet, &[]), &original, "piped xlsx");
    // And standard input takes one, told from its first bytes.
    let output = recast()
        .args(["convert", "-", "--to", "jsonl"])
        .write_stdin(output.stdout)
        .output()
        .unwrap();
    assert_succeeded(&output);
    let read = canonical_jsonl(&String::from_utf8_lossy(&output.stdout));
    assert_same_records(&read, &original, "xlsx on standard input");
}

#[test]
fn a_workbook_past_8_mib_is_read_from_its_file_and_from_standard_input() {
    // Bodies that barely compress, so that the workbook is bigger than the files read
    // whole (8 MiB): it is read by seeking in its file, and spooled to a temporary file
    // from standard input.
    let alphabet: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut lines = String::new();
    for i in 0..1_200 {
        let body: String = (0..10_000)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                alphabet[(state >> 33) as usize % alphabet.len()]
            })
            .collect();
        lines.push_str(&serde_json::json!({"title": format!("r{i}"), "body": body}).to_string());
        lines.push('\n');
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    std::fs::write(&input, lines).unwrap();
    let sheet = to_xlsx(&input, dir.path(), "big.xlsx");
    assert!(std::fs::metadata(&sheet).unwrap().len() > 8 << 20);
    let original = records_of(&input, &[]);
    assert_same_records(&records_of(&sheet, &[]), &original, "big xlsx file");
    let output = recast()
        .args(["convert", "-", "--to", "jsonl"])
        .write_stdin(std::fs::read(&sheet).unwrap())
        .output()
        .unwrap();
    assert_succeeded(&output);
    let read = canonical_jsonl(&String::from_utf8_lossy(&output.stdout));
    assert_same_records(&read, &original, "big xlsx on standard input");
}

#[test]
fn sheets_are_chosen_by_name_and_an_unknown_one_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = to_xlsx(&sample("archive.jsonl"), dir.path(), "s.xlsx");
    let legend = records_of(&sheet, &["--sheet", "legend"]);
    assert!(
        legend[0].contains("\"column\":\"records\""),
        "{}",
        legend[0]
    );
    let output = recast()
        .args(["convert", path(&sheet), "--sheet", "Sheet9"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("s.xlsx") && stderr.contains("\"records\", \"legend\""),
        "{stderr}"
    );
    let output = recast()
        .args(["convert", "samples/archive.jsonl", "--sheet", "x"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn migrate_in_place_refuses_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = to_xlsx(&sample("archive.jsonl"), dir.path(), "s.xlsx");
    let output = recast()
        .args(["migrate", path(&sheet), "--in-place", "--set", "x=1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("workbook"), "{stderr}");
}

/// Runs recast on a file expected to fail (exit 1 or 4) and returns its stderr.
fn refused(file: &Path, code: i32, extra: &[&str]) -> String {
    let output = recast()
        .args(["convert", path(file), "--to", "jsonl"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(path(file)), "{stderr}");
    stderr
}

#[test]
fn hostile_workbooks_are_clear_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let not_zip = dir.path().join("not-a-zip.xlsx");
    std::fs::write(&not_zip, "title,body\nx,y\n").unwrap();
    assert!(refused(&not_zip, 1, &[]).contains("not a spreadsheet"));
    let broken = dir.path().join("broken.xlsx");
    std::fs::write(&broken, b"PK\x03\x04\x14\x00\x00\x00garbage").unwrap();
    assert!(refused(&broken, 1, &[]).contains("not a readable workbook"));

    // A cell bigger than --max-record-size.
    let big = dir.path().join("big.jsonl");
    let body = "x".repeat(3 << 20);
    std::fs::write(
        &big,
        format!("{}\n", serde_json::json!({"title": "t", "body": body})),
    )
    .unwrap();
    let sheet = to_xlsx(&big, dir.path(), "big.xlsx");
    assert!(refused(&sheet, 4, &["--max-record-size", "1M"]).contains("bigger than"));
}

#[test]
fn a_full_sheet_is_written_whole_and_one_record_more_is_refused_before_anything_is_written() {
    // Excel's 1,048,576 rows: the header and 1,048,575 records.
    const RECORDS: usize = 1_048_575;
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full.jsonl");
    let mut lines = String::with_capacity(RECORDS * 9);
    for n in 0..RECORDS {
        lines.push_str(&format!("{{\"n\":{}}}\n", n % 10));
    }
    std::fs::write(&full, &lines).unwrap();
    let sheet = to_xlsx(&full, dir.path(), "full.xlsx");
    let back = dir.path().join("back.jsonl");
    run_ok(&["convert", path(&sheet), "-o", path(&back)]);
    assert_eq!(std::fs::read_to_string(&back).unwrap(), lines);

    let over = dir.path().join("over.jsonl");
    lines.push_str("{\"n\":0}\n");
    std::fs::write(&over, &lines).unwrap();
    let out = dir.path().join("over.xlsx");
    let output = recast()
        .args(["convert", path(&over), "-o", path(&out)])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(
        stderr
            .contains("over.jsonl:1048576 (record 1048576): a sheet holds at most 1048575 records"),
        "{stderr}"
    );
    assert!(!out.exists(), "a refused sheet leaves no workbook");
}

/// openpyxl, as CI installs it; outside CI a missing one skips the check with a note.
fn openpyxl_available() -> bool {
    tool_available(
        "python3 with openpyxl",
        Command::new("python3").args(["-c", "import openpyxl"]),
        true,
    )
}

#[test]
fn a_sheet_edited_with_openpyxl_comes_back_with_exactly_the_edits() {
    if !openpyxl_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sheet = to_xlsx(&sample("archive.jsonl"), dir.path(), "s.xlsx");
    let edited = dir.path().join("edited.xlsx");
    let output = Command::new("python3")
        .arg(data("xlsx/edit_with_openpyxl.py"))
        .args([&sheet, &edited])
        .output()
        .unwrap();
    assert_succeeded(&output);

    let mut expected: Vec<serde_json::Value> = records_of(&sample("archive.jsonl"), &[])
        .iter()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    expected[0]["title"] = "Edited title".into();
    expected[1]["quality"] = 42.into();
    for record in &mut expected {
        record.as_object_mut().unwrap().shift_remove("excerpt");
    }
    expected.push(serde_json::json!({"title": "New row", "quality": 7}));
    let expected: Vec<String> = expected.iter().map(|v| v.to_string()).collect();
    assert_same_records(&records_of(&edited, &[]), &expected, "edited with openpyxl");
}

/// LibreOffice headless, as CI installs it (`libreoffice-calc-nogui`).
fn soffice_available() -> bool {
    tool_available(
        "LibreOffice (soffice)",
        Command::new("soffice").arg("--version"),
        true,
    )
}

/// Converts `file` with LibreOffice headless to `to` (`ods`, `xlsx`) in `dir`.
fn soffice_convert(file: &Path, to: &str, dir: &Path) -> PathBuf {
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let output = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(file)
        .output()
        .unwrap();
    assert_succeeded(&output);
    dir.join(file.with_extension(to).file_name().unwrap())
}

#[test]
fn a_libreoffice_round_trip_reads_back_equal() {
    if !soffice_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sheet = to_xlsx(&sample("archive.jsonl"), dir.path(), "s.xlsx");
    let expected = records_of(&sample("archive.jsonl"), &[]);
    let ods_dir = dir.path().join("ods");
    let ods = soffice_convert(&sheet, "ods", &ods_dir);
    assert_same_records(&records_of(&ods, &[]), &expected, "xlsx → LibreOffice ods");
    let xlsx_dir = dir.path().join("xlsx");
    let back = soffice_convert(&ods, "xlsx", &xlsx_dir);
    assert_same_records(&records_of(&back, &[]), &expected, "ods → LibreOffice xlsx");
}

#[test]
fn formula_cells_are_read_as_cached_values_with_a_warning() {
    if !openpyxl_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("formula.xlsx");
    let script = "import openpyxl, sys\nb = openpyxl.Workbook()\ns = b.active\n\
                  s.append(['title', 'total'])\ns.append(['a', '=1+1'])\n\
                  s.merge_cells('A3:B3')\ns['A3'] = 'merged'\nb.save(sys.argv[1])\n";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(&sheet)
        .output()
        .unwrap();
    assert_succeeded(&output);
    let output = recast()
        .args(["convert", path(&sheet), "--to", "jsonl"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("formula cell B2"), "{stderr}");
    assert!(stderr.contains("merged area A3:B3"), "{stderr}");
    assert_eq!(
        canonical_jsonl(&String::from_utf8_lossy(&output.stdout)),
        [r#"{"title":"a"}"#, r#"{"title":"merged"}"#]
    );
}
