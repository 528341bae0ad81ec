//! End-to-end tests of `recast convert`: every format reads the same records, every pair
//! of formats round-trips them strictly, and the command line behaves as documented.

use crate::support;

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use support::*;

/// The formats that hold a whole archive in one stream.
const STREAM_FORMATS: [&str; 3] = ["yaml", "json", "jsonl"];

fn generated_records() -> Vec<String> {
    canonical_jsonl(&fs::read_to_string(data("generated/archive.jsonl")).unwrap())
}

#[test]
fn every_form_of_the_generated_archive_reads_as_the_same_records() {
    let expected = generated_records();
    assert_eq!(expected.len(), 300);
    for input in [
        "generated/archive",
        "generated/archive.json",
        "generated/archive.yaml",
        "generated/archive.jsonl",
    ] {
        let actual = records_of(&data(input), &[]);
        if input.ends_with("archive") {
            // The generator names files by date: the folder's order is not the stream's.
            assert_same_record_set(&actual, &expected, input);
        } else {
            assert_same_records(&actual, &expected, input);
        }
    }
}

/// Converts `input` to `format` in `dir` (a folder of Markdown files for `md`) and
/// returns the path written.
fn convert_to(input: &Path, format: &str, dir: &Path, name: &str) -> std::path::PathBuf {
    let input = input.to_str().unwrap();
    if format == "md" {
        let out = dir.join(name);
        run_ok(&[
            "convert",
            input,
            "--to",
            "md",
            "--out-dir",
            out.to_str().unwrap(),
        ]);
        out
    } else {
        let out = dir.join(format!("{name}.{format}"));
        run_ok(&["convert", input, "-o", out.to_str().unwrap()]);
        out
    }
}

fn assert_every_pair_round_trips(source: &Path, expected: &[String]) {
    let dir = tempfile::tempdir().unwrap();
    let formats = ["md", "yaml", "json", "jsonl"];
    for from in formats {
        let first = convert_to(source, from, dir.path(), &format!("first-{from}"));
        let check = |actual: &[String], context: &str| {
            // Markdown folders come back in file-name order, the others in record order.
            if from == "md" || context.ends_with("md") {
                assert_same_record_set(actual, expected, context)
            } else {
                assert_same_records(actual, expected, context)
            }
        };
        check(&records_of(&first, &[]), &format!("→ {from}"));
        for to in formats {
            let second = convert_to(&first, to, dir.path(), &format!("second-{from}-{to}"));
            check(&records_of(&second, &[]), &format!("→ {from} → {to}"));
        }
    }
}

#[test]
fn every_pair_of_formats_round_trips_the_generated_archive() {
    assert_every_pair_round_trips(&data("generated/archive.jsonl"), &generated_records());
}

#[test]
fn every_pair_of_formats_round_trips_the_samples() {
    let expected = records_of(&sample("archive"), &[]);
    assert_eq!(expected.len(), 13);
    assert_every_pair_round_trips(&sample("archive"), &expected);
}

#[test]
fn bundled_sample_forms_hold_the_archive_records() {
    let expected = records_of(&sample("archive"), &[]);
    for form in STREAM_FORMATS.into_iter().chain(["csv"]) {
        let path = sample(&format!("archive.{form}"));
        assert_same_records(&records_of(&path, &[]), &expected, form);
    }
    // Feeds hold their items newest first.
    for form in ["rss", "atom"] {
        let path = sample(&format!("archive.{form}"));
        assert_same_record_set(&records_of(&path, &[]), &expected, form);
    }
}

#[test]
fn markdown_round_trip_reproduces_the_sample_article() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_ok(&[
        "convert",
        "samples/archive/2020-11-11-ai-revolution-in-medicine.md",
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    let written = fs::read_to_string(out.join("2020-11-11-ai-revolution-in-medicine.md")).unwrap();
    let original =
        fs::read_to_string(sample("archive/2020-11-11-ai-revolution-in-medicine.md")).unwrap();
    // The layout (block style, key order, blank lines around nested blocks, URLs on one
    // line) is the sample's; only quoting may differ.
    let unquote = |text: &str| text.replace('"', "");
    assert_eq!(unquote(&written), unquote(&original));
}

#[test]
fn stdin_and_stdout_work_and_the_format_is_sniffed() {
    let jsonl = fs::read_to_string(data("generated/archive.jsonl")).unwrap();
    let output = recast()
        .args(["convert", "-", "--to", "jsonl"])
        .write_stdin(jsonl.clone())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        canonical_jsonl(&String::from_utf8(output.stdout).unwrap()),
        generated_records()
    );
    // A single Markdown article on stdin is recognised by its front matter.
    let article = fs::read(sample("archive/2024-01-22-att-tests-ai-call-screening.md")).unwrap();
    let output = recast()
        .args(["convert", "--to", "jsonl"])
        .write_stdin(article)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(r#""title":"AT&T tests AI call screening""#),
        "{text}"
    );
}

#[test]
fn json_pointer_selects_records_inside_an_api_dump() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.json");
    fs::write(
        &dump,
        r#"{"status": "ok", "news": [{"title": "a", "n": 1.0}, {"title": "b"}], "next": null}"#,
    )
    .unwrap();
    let out = run_ok(&[
        "convert",
        dump.to_str().unwrap(),
        "--select",
        "/news",
        "--to",
        "jsonl",
    ]);
    assert_eq!(
        canonical_jsonl(&out),
        [r#"{"title":"a","n":1.0}"#, r#"{"title":"b"}"#]
    );
}

#[test]
fn out_dir_names_are_safe_and_numbered() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(
        &input,
        concat!(
            r#"{"title": "Same title", "publishedDateTime": "2021-05-12T01:00:00+09:00"}"#,
            "\n",
            r#"{"title": "Same title", "publishedDateTime": "2021-05-12T01:00:00+09:00"}"#,
            "\n",
            r#"{"title": "../../escape/attempt", "publishedDateTime": "2021-01-01T00:00:00Z"}"#,
            "\n",
            r#"{"title": "a/b\\c"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    run_ok(&[
        "convert",
        input.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "2021-01-01-escape-attempt.md",
            "2021-05-12-same-title-2.md",
            "2021-05-12-same-title.md",
            "a-b-c.md",
        ]
    );
    // A template that puts raw field text in the name still cannot leave the folder.
    let raw = dir.path().join("raw");
    run_ok(&[
        "convert",
        input.to_str().unwrap(),
        "--out-dir",
        raw.to_str().unwrap(),
        "--name",
        "{title}",
        "--to",
        "json",
    ]);
    assert!(!dir.path().join("escape").exists());
    assert!(raw.join("escape/attempt.json").exists());
    assert!(raw.join("a/b/c.json").exists());
}

#[test]
fn broken_input_names_file_and_line_and_leaves_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    fs::create_dir(&archive).unwrap();
    fs::copy(
        sample("archive/2020-12-02-robots-learn-to-sort-recycling-by-touch.md"),
        archive.join("a.md"),
    )
    .unwrap();
    fs::write(
        archive.join("b.md"),
        "---\ntitle: fine\nprovider:\n  name: [unclosed\n---\nbody\n",
    )
    .unwrap();
    let out = dir.path().join("out.json");
    fs::write(&out, "previous contents").unwrap();
    recast()
        .args([
            "convert",
            archive.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("b.md:4:").or(predicate::str::contains("b.md:5:")));
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous contents");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name.to_string_lossy().starts_with(".recast"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");

    // A new output file is not created at all.
    let fresh = dir.path().join("fresh.json");
    recast()
        .args([
            "convert",
            archive.to_str().unwrap(),
            "-o",
            fresh.to_str().unwrap(),
        ])
        .assert()
        .failure();
    assert!(!fresh.exists());

    // Nor does --out-dir add anything.
    let folder = dir.path().join("folder");
    recast()
        .args([
            "convert",
            archive.to_str().unwrap(),
            "--out-dir",
            folder.to_str().unwrap(),
        ])
        .assert()
        .failure();
    assert_eq!(fs::read_dir(&folder).map(|d| d.count()).unwrap_or(0), 0);
}

#[test]
fn keep_going_skips_bad_records_and_still_fails() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(
        &input,
        "{\"title\": \"one\"}\n{\"title\": \n{\"title\": \"three\"}\n",
    )
    .unwrap();
    let (stdout, stderr) = run_keep_going(&input);
    assert!(stderr.contains("in.jsonl:2:"), "{stderr}");
    assert_eq!(
        canonical_jsonl(&stdout),
        [r#"{"title":"one"}"#, r#"{"title":"three"}"#]
    );
    // Without --keep-going the same input fails before writing the file.
    let out = dir.path().join("out.jsonl");
    recast()
        .args([
            "convert",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(1);
    assert!(!out.exists());
}

#[test]
fn markdown_output_of_many_records_needs_a_folder() {
    recast()
        .args(["convert", "samples/archive", "--to", "md"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--out-dir"));
}

#[test]
fn unknown_output_extension_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.docx");
    recast()
        .args(["convert", "samples/archive", "-o", out.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("use --to"));
    assert!(!out.exists());
}

#[test]
fn missing_input_is_an_io_error() {
    recast()
        .args(["convert", "no/such/file.json"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no/such/file.json"));
}

#[test]
fn exact_numbers_and_lookalike_strings_survive_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("edge.jsonl");
    let line = concat!(
        r#"{"title": "2024", "a": "007", "b": "true", "c": "null", "d": "1e3", "e": "-5", "#,
        r#""f": "yes", "g": "on", "h": "2020-11-11", "big": 12345678901234567890123, "#,
        r#""max": 18446744073709551615, "min": -9223372036854775808, "one": 1.0, "#,
        r#""tiny": 1e-300, "nested": {"empty": {}, "list": [], "mixed": [1, "1", true, null]}}"#
    );
    fs::write(&input, format!("{line}\n")).unwrap();
    let expected = canonical_jsonl(line);
    for format in ["md", "yaml", "json", "jsonl"] {
        let out = convert_to(&input, format, dir.path(), &format!("edge-{format}"));
        assert_same_records(&records_of(&out, &[]), &expected, format);
    }
}

#[test]
fn large_yaml_streams_parse_in_parallel_and_keep_order() {
    // Past 8 MiB a file streams; YAML documents are then parsed in parallel batches.
    let dir = tempfile::tempdir().unwrap();
    let stream = fs::read_to_string(data("generated/archive.yaml")).unwrap();
    let copies = (9 << 20) / stream.len() + 1;
    let big = dir.path().join("big.yaml");
    let mut text = stream.repeat(copies);
    // A broken document in the middle: reported with its file line, the rest still read.
    let middle = text.len() / 2;
    let cut = middle + text[middle..].find("\n---\n").unwrap() + 1;
    let broken_line = text[..cut].matches('\n').count() + 2;
    text.insert_str(cut, "---\ntitle: [unclosed\n");
    fs::write(&big, &text).unwrap();

    let (stdout, stderr) = run_keep_going(&big);
    assert!(
        stderr.contains(&format!("big.yaml:{broken_line}:")),
        "{stderr}"
    );
    let expected: Vec<String> = std::iter::repeat_n(generated_records(), copies)
        .flatten()
        .collect();
    assert_same_records(&canonical_jsonl(&stdout), &expected, "big.yaml");
}

#[test]
#[cfg(target_os = "linux")]
fn a_full_disk_is_an_io_error_naming_the_output() {
    let full = fs::File::create("/dev/full").expect("/dev/full exists on Linux");
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("recast"))
        .current_dir(root())
        .args(["convert", "samples/archive", "--to", "json"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("<stdout>: No space left"), "{stderr}");
}
