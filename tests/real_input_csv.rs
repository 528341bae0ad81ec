//! Issue 11, cases 16 (CSV parts) and 17: sheets as spreadsheets and people leave them.
//! Excel's `sep=` line, blank rows, empty and duplicate header names, a delimiter other
//! than `,` (sniffed when the extension does not say), and line numbers in CRLF files.

use crate::support;

use std::fs;
use std::path::PathBuf;

use support::*;

/// What one run printed and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Writes `bytes` to `name` in a fresh folder and runs recast with `args`, `{}` standing
/// for the file's path.
fn run_on(name: &str, bytes: &[u8], args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    run_at(&path, args)
}

fn run_at(path: &std::path::Path, args: &[&str]) -> Run {
    let path = path.to_str().unwrap();
    let args: Vec<&str> = args
        .iter()
        .map(|a| if *a == "{}" { path } else { a })
        .collect();
    let output = recast().args(&args).output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn stdin_run(input: &[u8], args: &[&str]) -> Run {
    let output = recast().args(args).write_stdin(input).output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// Reads `bytes` as the file `name` into canonical JSON lines, asserting success.
fn records(name: &str, bytes: &[u8], extra: &[&str]) -> (Vec<String>, String) {
    let mut args = vec!["convert", "{}", "--to", "jsonl"];
    args.extend_from_slice(extra);
    let run = run_on(name, bytes, &args);
    assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    (canonical_jsonl(&run.stdout), run.stderr)
}

const FRUIT: [&str; 2] = [
    r#"{"name":"Apple","price":"1,5","qty":3}"#,
    r#"{"name":"Pear","price":"2","qty":4}"#,
];

/// The fruit sheet with `delimiter`, each line ended by `end`.
fn fruit(delimiter: &str, end: &str) -> String {
    [
        ["name", "price", "qty"],
        ["Apple", "1,5", "3"],
        ["Pear", "2", "4"],
    ]
    .iter()
    .map(|row| {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                if c.contains(delimiter) {
                    format!("\"{c}\"")
                } else {
                    c.to_string()
                }
            })
            .collect();
        cells.join(delimiter) + end
    })
    .collect()
}

// Case 17: the `sep=` line.

#[test]
fn an_excel_sep_line_sets_the_delimiter_after_a_bom_and_with_crlf() {
    for (sep_line, delimiter) in [
        ("sep=;", ";"),
        ("sep=,", ","),
        ("sep=\t", "\t"),
        ("sep=\\t", "\t"),
        ("sep=|", "|"),
        ("SEP=;", ";"),
    ] {
        for bom in ["", "\u{feff}"] {
            for end in ["\n", "\r\n"] {
                let sheet = format!("{bom}{sep_line}{end}{}", fruit(delimiter, end));
                // `.tsv` says tab, but the sheet's own line says otherwise.
                for name in ["excel.csv", "excel.tsv"] {
                    let (got, stderr) = records(name, sheet.as_bytes(), &[]);
                    assert_eq!(got, FRUIT, "{sheet:?} as {name}");
                    assert_eq!(stderr, "", "{sheet:?}: a sep= line is no news");
                }
            }
        }
    }
}

#[test]
fn the_sep_line_counts_in_line_numbers() {
    let run = run_on(
        "excel.csv",
        b"\xEF\xBB\xBFsep=;\r\na;b\r\n1;2\r\n3;4;5\r\n",
        &["convert", "{}", "--to", "json"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("excel.csv:4 (record 2): row 2 has 3 fields, but the header has 2"),
        "{}",
        run.stderr
    );
}

#[test]
fn delimiter_flag_beats_the_sep_line_with_a_warning() {
    let sheet = b"sep=;\na,b\n1,2\n";
    let (got, stderr) = records("x.csv", sheet, &["--delimiter", ","]);
    assert_eq!(got, [r#"{"a":1,"b":2}"#]);
    assert!(
        stderr.contains("x.csv:1: the sheet's `sep=` line names `;`, but the delimiter given is `,`: reading with `,`"),
        "{stderr}"
    );
    // No warning when they agree.
    let (got, stderr) = records("x.csv", b"sep=;\na;b\n1;2\n", &["--delimiter", ";"]);
    assert_eq!(
        (got.as_slice(), stderr.as_str()),
        ([r#"{"a":1,"b":2}"#.to_owned()].as_slice(), "")
    );
}

// Case 17: blank rows.

#[test]
fn rows_with_every_cell_empty_are_skipped_and_counted() {
    let sheet = "a;b;c;d;e\n1;2;3;4;5\n;;;;\n6;7;8;9;10\n;;;;\n";
    let (got, stderr) = records("blank.csv", sheet.as_bytes(), &[]);
    assert_eq!(
        got,
        [
            r#"{"a":1,"b":2,"c":3,"d":4,"e":5}"#,
            r#"{"a":6,"b":7,"c":8,"d":9,"e":10}"#
        ]
    );
    assert!(
        stderr.contains("blank.csv: skipped 2 rows with every cell empty (lines 3, 5)"),
        "{stderr}"
    );
    let sheet = "a,b,c,d\r\n,,,\r\n1,2,3,4\r\n,,,\r\n";
    let (got, stderr) = records("blank.csv", sheet.as_bytes(), &[]);
    assert_eq!(got, [r#"{"a":1,"b":2,"c":3,"d":4}"#]);
    assert!(
        stderr.contains("skipped 2 rows with every cell empty (lines 2, 4)"),
        "{stderr}"
    );
    // Blank rows before the header too (a sheet whose first row was left empty).
    let (got, _) = records("blank.csv", b",,\na,b,c\n1,2,3\n", &[]);
    assert_eq!(got, [r#"{"a":1,"b":2,"c":3}"#]);
    // `--quiet` silences the count.
    let run = run_on(
        "blank.csv",
        sheet.as_bytes(),
        &["--quiet", "convert", "{}", "--to", "jsonl"],
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

/// Records recast writes still come back whole: a record without fields (`{}`) and
/// a field named by the empty string are not a blank row and an empty header cell.
#[test]
fn empty_records_and_the_empty_key_still_round_trip() {
    let jsonl = "{\"a\":1,\"b\":2}\n{}\n{\"\":\"x\",\"b\":3}\n{}\n";
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, jsonl).unwrap();
    let sheet: PathBuf = dir.path().join("sheet.csv");
    run_ok(&[
        "convert",
        input.to_str().unwrap(),
        "-o",
        sheet.to_str().unwrap(),
    ]);
    let text = fs::read_to_string(&sheet).unwrap();
    assert_eq!(text, "a,\\,b,:order\n1,,2,\n,,,[]\n,x,3,\n,,,[]\n");
    let back = run_at(&sheet, &["convert", "{}", "--to", "jsonl"]);
    assert_eq!(
        (canonical_jsonl(&back.stdout), back.stderr.as_str()),
        (canonical_jsonl(jsonl), "")
    );
}

// Case 17: header names.

#[test]
fn an_empty_header_cell_is_an_error_naming_the_column() {
    let run = run_on(
        "sheet.csv",
        b"a,b,,d\n1,2,3,4\n",
        &["convert", "{}", "--to", "json"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(
            "sheet.csv:1: the header's column 3 (C) is empty; expected a name for every column"
        ),
        "{}",
        run.stderr
    );
    // After a `sep=` line the header is line 2; column 28 is AB.
    let mut header: Vec<String> = (1..=30).map(|i| format!("c{i}")).collect();
    header[27] = String::new();
    let sheet = format!("sep=;\r\n{}\r\n", header.join(";"));
    let run = run_on(
        "wide.csv",
        sheet.as_bytes(),
        &["convert", "{}", "--to", "json"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("wide.csv:2: the header's column 28 (AB) is empty"),
        "{}",
        run.stderr
    );
}

// Case 16: a duplicate header name.

#[test]
fn a_duplicate_header_name_is_a_header_error_naming_both_columns() {
    let run = stdin_run(b"a,a\n1,2\n", &["convert", "--from", "csv", "--to", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "recast: error: <stdin>:1: the header's column 1 (A) and column 2 (B) are both named \
         `a`; expected each name once (rename or delete one)\n"
    );
    let run = run_on(
        "dup.csv",
        b"id,title,quality:int,quality\n1,x,3,4\n",
        &["convert", "{}", "--to", "json"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "dup.csv:1: the header's column 3 (C) `quality:int` and column 4 (D) `quality` \
             name the same field"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn two_values_for_one_field_say_an_integer() {
    let run = stdin_run(
        b"a,a:list\n1,x\n",
        &["convert", "--from", "csv", "--to", "json"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "<stdin>:2 (record 1): column `a:list`: a second value for a field that already holds \
             an integer"
        ),
        "{}",
        run.stderr
    );
}

// Case 17: sniffing.

#[test]
fn a_csv_delimiter_is_sniffed_and_named_when_it_is_not_a_comma() {
    for (delimiter, name) in [(";", "`;`"), ("\t", "tab"), ("|", "`|`")] {
        let sheet = fruit(delimiter, "\n");
        let (got, stderr) = records("fruit.csv", sheet.as_bytes(), &[]);
        assert_eq!(got, FRUIT, "{delimiter:?}");
        assert_eq!(
            stderr,
            format!(
                "recast: warning: {}: fields are separated by {name} (sniffed from the first \
                 rows; --delimiter chooses another)\n",
                "fruit.csv"
            )
            .replace("fruit.csv", &stderr_path(&stderr)),
        );
        // One line, gone under --quiet.
        let run = run_on(
            "fruit.csv",
            sheet.as_bytes(),
            &["--quiet", "convert", "{}", "--to", "jsonl"],
        );
        assert_eq!((run.code, run.stderr.as_str()), (0, ""));
        // Standard input with --from csv is sniffed the same way.
        let run = stdin_run(
            sheet.as_bytes(),
            &["convert", "--from", "csv", "--to", "jsonl"],
        );
        assert_eq!(canonical_jsonl(&run.stdout), FRUIT);
        assert!(run.stderr.contains("<stdin>: fields are separated by"));
    }
    // A comma is said nothing about.
    let (got, stderr) = records("fruit.csv", fruit(",", "\r\n").as_bytes(), &[]);
    assert_eq!(
        (got.as_slice(), stderr.as_str()),
        (FRUIT.map(String::from).as_slice(), "")
    );
}

/// The path a warning names (the temporary folder differs from run to run).
fn stderr_path(stderr: &str) -> String {
    let start = "recast: warning: ".len();
    let end = stderr.find(": fields").unwrap_or(start);
    stderr[start..end].to_owned()
}

#[test]
fn tsv_says_tab_and_delimiter_always_wins() {
    // `.tsv`: tab, whatever the cells hold.
    let (got, stderr) = records("x.tsv", b"a,b\tc\n1,2\t3\n", &[]);
    assert_eq!(
        (got.as_slice(), stderr.as_str()),
        ([r#"{"a,b":"1,2","c":3}"#.to_owned()].as_slice(), "")
    );
    // `--delimiter` over sniffing.
    let (got, stderr) = records("x.csv", b"a;b\n1;2\n", &["--delimiter", ","]);
    assert_eq!(
        (got.as_slice(), stderr.as_str()),
        ([r#"{"a;b":"1;2"}"#.to_owned()].as_slice(), "")
    );
}

#[test]
fn sniffing_keeps_recast_sheets_and_respects_quotes() {
    // One column whose cells are lists `a; b`: a comma sheet, not a `;` one.
    let (got, stderr) = records("t.csv", b"topics:list\nAI; Ethics\nx; y\n", &[]);
    assert_eq!(
        (got.as_slice(), stderr.as_str()),
        (
            [
                r#"{"topics":["AI","Ethics"]}"#.to_owned(),
                r#"{"topics":["x","y"]}"#.to_owned()
            ]
            .as_slice(),
            ""
        )
    );
    // `;` only inside quotes splits nothing.
    let (got, stderr) = records("q.csv", b"title,tags\n\"a;b;c\",x\n\"d;e\",y\n", &[]);
    assert_eq!(
        (got.as_slice(), stderr.as_str()),
        (
            [
                r#"{"title":"a;b;c","tags":"x"}"#.to_owned(),
                r#"{"title":"d;e","tags":"y"}"#.to_owned()
            ]
            .as_slice(),
            ""
        )
    );
    // A ragged row does not turn a `;` sheet into a one-column one.
    let run = run_on(
        "r.csv",
        b"a;b\n1;2\n3;4;5\n",
        &["convert", "{}", "--to", "jsonl"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("r.csv:3 (record 2): row 2 has 3 fields, but the header has 2")
    );
}

#[test]
fn one_header_field_and_more_in_the_rows_suggests_delimiter() {
    let run = run_on(
        "one.csv",
        b"name\nx,y\n",
        &["convert", "{}", "--to", "json"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "one.csv:2 (record 1): row 1 has 2 fields, but the header has 1 (split at `,`; if \
             the sheet separates its fields with another character, give it with --delimiter)"
        ),
        "{}",
        run.stderr
    );
}

// Case 16: line numbers in CRLF files.

#[test]
fn crlf_files_report_the_same_lines_as_lf_files() {
    for end in ["\n", "\r\n"] {
        let sheet = format!("a,b{end}1,2{end}3,4,5{end}");
        let run = stdin_run(
            sheet.as_bytes(),
            &["convert", "--from", "csv", "--to", "json"],
        );
        assert_eq!(run.code, 1);
        assert!(
            run.stderr
                .contains("<stdin>:3 (record 2): row 2 has 3 fields, but the header has 2"),
            "{end:?}: {}",
            run.stderr
        );
        // A quoted cell spanning two lines, and the file's first row after a BOM.
        let sheet = format!("\u{feff}a,b{end}\"x{end}y\",2{end}3,4,5{end}");
        let run = stdin_run(
            sheet.as_bytes(),
            &["convert", "--from", "csv", "--to", "json"],
        );
        assert!(
            run.stderr
                .contains("<stdin>:4 (record 2): row 2 has 3 fields, but the header has 2"),
            "{end:?}: {}",
            run.stderr
        );
    }
    // Old Mac line ends (`\r` alone): rows are counted.
    let run = stdin_run(
        b"a,b\r1,2\r3,4,5\r",
        &["convert", "--from", "csv", "--to", "json"],
    );
    assert!(
        run.stderr
            .contains("<stdin>:3 (record 2): row 2 has 3 fields, but the header has 2"),
        "{}",
        run.stderr
    );
    // Records carry their line too: validate names it.
    let run = run_on(
        "crlf.csv",
        b"title,url\r\nA,https://x.org/a\r\n,https://x.org/b\r\n",
        &["validate", "{}"],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("crlf.csv:3: missing title"),
        "{}",
        run.stdout
    );
}

// inspect, validate and migrate read what convert reads.

#[test]
fn inspect_validate_and_migrate_read_a_semicolon_sheet() {
    let sheet = format!("\u{feff}sep=;\r\n{}", fruit(";", "\r\n"));
    let run = run_on("excel.csv", sheet.as_bytes(), &["inspect", "{}"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("2 records in 1 file(s), 0 failed"),
        "{}",
        run.stdout
    );
    for field in ["name ", "price ", "qty "] {
        assert!(run.stdout.contains(field), "{}", run.stdout);
    }
    let run = run_on("excel.csv", sheet.as_bytes(), &["validate", "{}"]);
    assert!(
        run.stdout.contains("excel.csv:3: missing title"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("excel.csv:4: missing title"),
        "{}",
        run.stdout
    );
    // Sniffed, without a sep= line.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("fruit.csv");
    fs::write(&input, fruit(";", "\n")).unwrap();
    let output = dir.path().join("out.jsonl");
    let run = run_at(
        &input,
        &[
            "migrate",
            "{}",
            "--set",
            "ok=true",
            "-o",
            output.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        canonical_jsonl(&fs::read_to_string(&output).unwrap()),
        [
            r#"{"name":"Apple","price":"1,5","qty":3,"ok":true}"#,
            r#"{"name":"Pear","price":"2","qty":4,"ok":true}"#
        ]
    );
}
