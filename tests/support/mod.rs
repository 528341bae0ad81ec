//! Helpers shared by the end-to-end tests: running the binary and comparing records.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The project root, where `samples/` and `tests/data/` are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn data(relative: &str) -> PathBuf {
    root().join("tests/data").join(relative)
}

pub fn sample(relative: &str) -> PathBuf {
    root().join("samples").join(relative)
}

/// The `recast` binary, run from the project root.
pub fn recast() -> Command {
    let mut command = Command::cargo_bin("recast").expect("the binary is built");
    command.current_dir(root());
    command
}

/// Runs recast with these arguments, asserts success and returns stdout.
pub fn run_ok(args: &[&str]) -> String {
    let output = recast().args(args).output().expect("recast runs");
    assert!(
        output.status.success(),
        "recast {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// Asserts that a finished process (recast or a tool the tests use) succeeded, showing
/// its stderr when it did not.
pub fn assert_succeeded(output: &std::process::Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Normalises JSON Lines text to one canonical line per record: same keys in the same
/// order, numbers with their exact text (serde_json's arbitrary_precision keeps `1.0`
/// apart from `1`), strings compared after unescaping. Two archives are equal, strictly,
/// when these lists are equal.
pub fn canonical_jsonl(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {e}: {line}"));
            serde_json::to_string(&value).expect("serialises")
        })
        .collect()
}

/// The records of any input, as canonical JSON lines, read by recast.
pub fn records_of(input: &Path, extra: &[&str]) -> Vec<String> {
    let input = input.to_str().expect("UTF-8 path");
    let mut args = vec!["convert", input, "--to", "jsonl"];
    args.extend_from_slice(extra);
    canonical_jsonl(&run_ok(&args))
}

/// Asserts two record lists are equal, showing the first difference.
pub fn assert_same_records(actual: &[String], expected: &[String], context: &str) {
    assert_eq!(
        actual.len(),
        expected.len(),
        "{context}: {} records, expected {}",
        actual.len(),
        expected.len()
    );
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_eq!(a, e, "{context}: record {} differs", i + 1);
    }
}

/// Asserts two record lists hold the same records in any order: a folder of Markdown
/// files is read in file-name order, which need not be the order the records had.
pub fn assert_same_record_set(actual: &[String], expected: &[String], context: &str) {
    let mut actual = actual.to_vec();
    let mut expected = expected.to_vec();
    actual.sort();
    expected.sort();
    assert_same_records(&actual, &expected, context);
}

/// Runs `recast convert INPUT --to jsonl --keep-going`, asserts it exits 1 (some input
/// was skipped), and returns standard output and standard error.
pub fn run_keep_going(input: &Path) -> (String, String) {
    let output = recast()
        .args([
            "convert",
            input.to_str().expect("UTF-8 path"),
            "--to",
            "jsonl",
            "--keep-going",
        ])
        .output()
        .expect("recast runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    (
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr,
    )
}

/// A tool the checks need: present, or (outside CI) skipped with a note. A probe that
/// runs counts as present when `exit_ok` is false (`jing -h` exits 2); with `exit_ok`
/// it must also succeed (`python3 -c "import feedparser"`).
pub fn tool_available(what: &str, probe: &mut std::process::Command, exit_ok: bool) -> bool {
    let ok = match probe.output() {
        Ok(output) => !exit_ok || output.status.success(),
        Err(_) => false,
    };
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{what} is missing in CI: .ci/run must install it"
        );
        eprintln!("note: {what} is not installed; skipping its check");
    }
    ok
}

/// jing, the RELAX NG validator of the Atom checks (`jing -h` exits 2: any run means it is
/// there); outside CI a missing one skips the check with a note.
pub fn jing_available() -> bool {
    tool_available("jing", std::process::Command::new("jing").arg("-h"), false)
}

/// Python with feedparser, the reader the feed checks compare with.
pub fn feedparser_available() -> bool {
    tool_available(
        "python3 with feedparser",
        std::process::Command::new("python3").args(["-c", "import feedparser"]),
        true,
    )
}

/// Python with jsonschema, the validator `validate --schema` is compared with.
pub fn python_jsonschema_available() -> bool {
    tool_available(
        "python3 with jsonschema",
        std::process::Command::new("python3").args(["-c", "import jsonschema"]),
        true,
    )
}

/// Asserts that every file is valid Atom 1.0 for jing and RFC 4287's schema.
pub fn assert_valid_atom<P: AsRef<std::ffi::OsStr>>(files: impl IntoIterator<Item = P>) {
    let output = std::process::Command::new("jing")
        .arg("-c")
        .arg(data("feeds/schema/atom.rnc"))
        .args(files)
        .output()
        .expect("jing runs");
    assert!(
        output.status.success(),
        "jing: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The channel flags a feed written from records without `_index.md` needs.
pub const CHANNEL: [&str; 6] = [
    "--feed-title",
    "T",
    "--feed-link",
    "https://x.example/",
    "--feed-description",
    "D",
];

/// The channel of Jekyll's news posts (tests/data/sites/jekyll).
pub const JEKYLL_NEWS_CHANNEL: [&str; 6] = [
    "--feed-title",
    "Jekyll News",
    "--feed-link",
    "https://jekyllrb.com/",
    "--feed-description",
    "Jekyll's news posts",
];
