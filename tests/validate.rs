//! End-to-end tests of `recast validate`: one line per problem with file and line, and
//! the exit code.

use std::path::PathBuf;

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validate(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("recast")
        .unwrap()
        .current_dir(root())
        .arg("validate")
        .args(args)
        .assert()
}

#[test]
fn the_samples_are_valid() {
    let run = validate(&["samples/archive"]).success();
    let output = run.get_output();
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("validate: 13 record(s) from 13 file(s), no problem"),
        "{stderr}"
    );
    validate(&["samples/archive.json", "--profile", "article"]).success();
}

#[test]
fn every_problem_has_its_line_and_the_exit_code_is_1() {
    let run = validate(&["tests/data/migrate/invalid"]).code(1);
    let output = run.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let dir = "tests/data/migrate/invalid";
    let expected = [
        format!("{dir}/b-problems.md:1: missing title; expected a non-empty text"),
        format!(
            "{dir}/b-problems.md:3: publishedDateTime: \"yesterday\" is not a date; expected RFC 3339 (2020-11-11T16:36:00Z) or YYYY-MM-DD"
        ),
        format!("{dir}/b-problems.md:4: webUrl: \"news/b.html\" is not an absolute http(s) URL"),
        format!(
            "{dir}/b-problems.md:5: images.0.url: \"//cdn.example.org/b.jpg\" is not an absolute http(s) URL"
        ),
        format!("{dir}/c-duplicate.md:2: duplicate id \"a1\"; first in {dir}/a-good.md:1"),
        format!(
            "{dir}/c-duplicate.md:5: duplicate webUrl \"https://example.org/a\"; first in {dir}/a-good.md:1"
        ),
        format!("{dir}/d-broken.md:3:7: invalid YAML: illegal placement of ':' indicator"),
        format!(
            "{dir}/e-no-link.md:1: missing a link; expected one of webUrl, originalUrl, url, link"
        ),
        format!(
            "{dir}/e-no-link.md:3: updatedDateTime: \"2024-02-30T10:00:00Z\" is not a date; expected RFC 3339 (2020-11-11T16:36:00Z) or YYYY-MM-DD"
        ),
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("9 problem(s) in 4 record(s) from 5 file(s)"),
        "{stderr}"
    );
}

#[test]
fn records_of_stream_formats_are_checked_across_files() {
    // The same archive twice: every id and link is a duplicate the second time.
    let run = validate(&[
        "tests/data/generated/archive.jsonl",
        "tests/data/generated/archive.json",
    ])
    .code(1);
    let stdout = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    let duplicates = stdout
        .lines()
        .filter(|l| l.contains(": duplicate "))
        .count();
    assert!(duplicates >= 300, "{duplicates} duplicate lines:\n{stdout}");
    assert!(
        stdout
            .lines()
            .all(|l| l.starts_with("tests/data/generated/archive.json:")),
        "{stdout}"
    );
}
