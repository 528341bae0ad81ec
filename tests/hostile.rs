//! Hostile input: every case fails fast with a clear, located error, a non-zero exit
//! and no output file — or, for legitimately large input, works.

mod support;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use support::*;

/// Runs `recast convert INPUT -o OUT` on hostile bytes and checks the failure: the
/// expected exit code, a message naming the file (and a line when `line` is given), no
/// output file, and quick.
fn assert_refused(name: &str, bytes: &[u8], code: i32, expect_in_message: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    fs::write(&input, bytes).unwrap();
    let out = dir.path().join("out.jsonl");
    let started = Instant::now();
    let output = recast()
        .args([
            "convert",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{name}: {stderr}");
    assert!(
        stderr.contains(name),
        "{name}: the message names the file: {stderr}"
    );
    for part in expect_in_message {
        assert!(
            stderr.contains(part),
            "{name}: expected {part:?} in: {stderr}"
        );
    }
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(!out.exists(), "{name}: an output file was written");
    assert_no_temporary_files(dir.path());
    // Generous for a debug build on a loaded machine; release runs take milliseconds.
    assert!(took < Duration::from_secs(10), "{name} took {took:?}");
}

fn assert_no_temporary_files(dir: &Path) {
    let leftovers: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".recast"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

const LIMIT: i32 = 4;
const BAD_INPUT: i32 = 1;

#[test]
fn yaml_alias_bomb_hits_the_node_budget() {
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
        bomb.push_str(&format!(
            "{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"
        ));
        previous = name;
    }
    bomb.push_str("---\n");
    assert_refused("bomb.md", bomb.as_bytes(), LIMIT, &[]);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 200_000;
    let json = "[".repeat(depth);
    assert_refused("deep.json", json.as_bytes(), LIMIT, &[":1:"]);
    let jsonl = format!("{}\n", "{\"a\":".repeat(depth));
    assert_refused("deep.jsonl", jsonl.as_bytes(), LIMIT, &[":1:"]);
    let yaml_flow = format!("---\na: {}\n", "[".repeat(depth));
    assert_refused("deep-flow.yaml", yaml_flow.as_bytes(), LIMIT, &[]);
    let mut yaml_block = String::from("---\n");
    for level in 0..5_000 {
        yaml_block.push_str(&" ".repeat(level));
        yaml_block.push_str("a:\n");
    }
    assert_refused("deep-block.yaml", yaml_block.as_bytes(), LIMIT, &[]);
}

#[test]
fn invalid_utf8_is_located() {
    assert_refused(
        "latin1.md",
        b"---\ntitle: caf\xE9\n---\n",
        BAD_INPUT,
        &["latin1.md:2:11", "UTF-8"],
    );
    assert_refused(
        "latin1.jsonl",
        b"{\"title\": \"ok\"}\n{\"title\": \"caf\xE9\"}\n",
        BAD_INPUT,
        &["latin1.jsonl:2:", "UTF-8"],
    );
}

#[test]
fn truncated_input_says_what_was_expected() {
    assert_refused(
        "cut.json",
        b"[{\"title\": \"a\"}, {\"title\": \"b\"",
        BAD_INPUT,
        &["cut.json:1:"],
    );
    assert_refused(
        "cut.jsonl",
        b"{\"title\": \"a\"}\n{\"title\": ",
        BAD_INPUT,
        &["cut.jsonl:2:"],
    );
    assert_refused(
        "cut.md",
        b"---\ntitle: never closed\n",
        BAD_INPUT,
        &["cut.md:3:1", "expected a `---` line"],
    );
}

#[test]
fn a_thirty_megabyte_field_works() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    let body = "x".repeat(30 << 20);
    fs::write(
        &input,
        format!("{{\"title\": \"big\", \"body\": \"{body}\"}}\n"),
    )
    .unwrap();
    for format in ["md", "yaml", "json"] {
        let out = dir.path().join(format!("big.{format}"));
        let target = if format == "md" {
            run_ok(&[
                "convert",
                input.to_str().unwrap(),
                "--out-dir",
                dir.path().join("md").to_str().unwrap(),
            ]);
            dir.path().join("md/big.md")
        } else {
            run_ok(&[
                "convert",
                input.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ]);
            out
        };
        let back = run_ok(&["convert", target.to_str().unwrap(), "--to", "jsonl"]);
        assert_eq!(
            back.len(),
            body.len() + r#"{"title":"big","body":""}"#.len() + 1,
            "{format}"
        );
    }
}
