//! `--jq` against jq itself: every expression below, run by `recast convert --jq` on the
//! generated archive, the samples and a file of awkward numbers, gives the records that
//! gojq (or jq) gives on the same records as JSON Lines.
//!
//! gojq keeps integers of any size, so integers are compared digit for digit against it;
//! it sorts object keys, so key order is compared only against jq, which keeps it (jq
//! 1.6 reads numbers as doubles: against it, numbers compare as doubles). Floats compare
//! as doubles everywhere: `1.0` stays `1.0` in recast where both jq print `1`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value as Json;

use crate::support::{recast, root, run_ok, sample, tool_available};

/// The expressions compared: paths, `|=` updates, select, map, del, string functions,
/// regular expressions with flags, entries, reductions, several outputs, `//`.
const EXPRESSIONS: &[&str] = &[
    ".",
    "{title, quality}",
    ".title |= ascii_downcase",
    "if .topics then .topics |= map(ascii_downcase) else . end",
    "select(.quality > 50)",
    "select(any(.topics[]?; . == \"AI\"))",
    "del(.body)",
    "del(.provider, .images)",
    "select(.provider) | .provider.name //= \"unknown\" | .title //= \"untitled\"",
    ".n = (.topics // [] | length)",
    "{title, words: (.body // \"\" | split(\" \") | length)}",
    ".slug = (.title | ascii_downcase | gsub(\"[^a-z0-9]+\"; \"-\"))",
    "select(.title | test(\"^the\"; \"i\"))",
    "{n: ([.title | match(\"a\"; \"gi\")] | length), s: (.title | test(\"S$\"; \"i\"))}",
    "{keys: (to_entries | map(.key))}",
    "with_entries(select(.value != null and .value != []))",
    "with_entries(.key |= ascii_upcase)",
    "to_entries | from_entries",
    "{total: (reduce (.topics // [])[] as $t (0; . + ($t | length)))}",
    ".topics[]? as $t | {title, topic: $t}",
    "., {copy: true}",
    "{title: (.title // \"none\"), missing: (.nothing // \"default\")}",
    "{k: keys_unsorted}",
    "{k: keys}",
    "{has_body: has(\"body\"), has_x: has(\"x\")}",
    "{len: (.title | length), topics: (.topics | length)}",
    ".topics |= (. // [] | join(\", \"))",
    "{parts: (.publishedDateTime // \"\" | tostring | split(\"T\"))}",
    "{year: (.publishedDateTime // \"0000\" | tostring | .[0:4])}",
    ".quality |= (if . == null then . else . * 2 end)",
    "{q: ((.quality // 0) + (.heat // 0)), half: ((.quality // 0) / 2)}",
    "del(.. | select(. == null))",
    "{l: (.title | ltrimstr(\"The \")), r: (.title | rtrimstr(\".\"))}",
    "{a: (.title | startswith(\"A\")), z: (.title | endswith(\"s\"))}",
    "{u: (.topics // [] | unique), s: (.topics // [] | sort)}",
    "{m: (.topics // [] | map(select(length > 3)))}",
    "{a: ([.topics[]? | ascii_downcase] | join(\"/\"))}",
    "{t: (.title | tostring), q: (.quality | tostring)}",
    "{x: (.title | @base64)}",
    "{paths: [paths | map(tostring) | join(\".\")]}",
    ".images |= (if . then map(.url) else . end)",
    "{n: (.title | explode | length)}",
    "{a: (.topics // [] | any(. == \"AI\")), b: (.topics // [] | all(length > 1))}",
    "{g: (.topics // [] | group_by(length) | map(length))}",
    "{f: ((.quality // 0) / 3 | floor)}",
    "limit(1; .topics[]?) as $t | {t: $t}",
    "{w: (.title | [scan(\"[A-Za-z]+\")] | length)}",
    "{s: (.title | sub(\"(?<w>[A-Za-z]+)\"; \"<\\(.w)>\"))}",
    "{x: (.title | ascii_downcase | split(\" \") | map(select(. != \"\")) | .[0])}",
    "{big: .big, exact: .exact, one: .one, sum: ((.one // 0) + 1)}",
];

/// Where an oracle itself departs from jq (gojq's documented differences): those pairs
/// are not compared; recast matches jq there.
const ORACLE_QUIRKS: &[(&str, &str, &str)] = &[
    (
        "{keys: (to_entries | map(.key))}",
        "gojq",
        "gojq sorts object keys",
    ),
    (
        "{paths: [paths | map(tostring) | join(\".\")]}",
        "gojq",
        "gojq sorts object keys",
    ),
    (
        "{k: keys_unsorted}",
        "gojq",
        "gojq 0.12 has no keys_unsorted",
    ),
    (
        "{title, words: (.body // \"\" | split(\" \") | length)}",
        "gojq",
        "gojq splits \"\" into [\"\"], jq into []",
    ),
    (
        "{parts: (.publishedDateTime // \"\" | tostring | split(\"T\"))}",
        "gojq",
        "gojq splits \"\" into [\"\"], jq into []",
    ),
];

/// A jq to compare with, and what it keeps exactly.
struct Oracle {
    program: &'static str,
    /// Integers of any size come out digit for digit (gojq).
    exact_integers: bool,
    /// Object keys come out in their order (jq; gojq sorts them).
    ordered_keys: bool,
}

fn runs(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

/// gojq and jq, those installed; outside CI, none skips the test with a note.
fn oracles() -> Vec<Oracle> {
    let mut found = Vec::new();
    if runs("gojq") {
        found.push(Oracle {
            program: "gojq",
            exact_integers: true,
            ordered_keys: false,
        });
    }
    if runs("jq") {
        found.push(Oracle {
            program: "jq",
            exact_integers: false,
            ordered_keys: true,
        });
    }
    if found.is_empty() {
        tool_available("gojq or jq", &mut Command::new("gojq"), false);
    }
    found
}

/// The inputs: a generated archive (Markdown files), the samples (Markdown and YAML) and
/// JSON Lines with numbers jq implementations treat differently.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let generated = dir.join("generated");
    let status = Command::new("python3")
        .arg(root().join("bench/gen_archive.py"))
        .args(["--count", "200", "--seed", "15", "--form", "md"])
        .arg(&generated)
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs bench/gen_archive.py");
    assert!(status.success());
    let numbers = dir.join("numbers.jsonl");
    std::fs::write(
        &numbers,
        concat!(
            "{\"title\":\"The big one\",\"big\":12345678901234567890123,\"exact\":-9007199254740993,\"one\":1.0,\"quality\":39}\n",
            "{\"title\":\"Small. \",\"big\":1e3,\"exact\":0.1,\"one\":-0.0,\"topics\":[\"AI\",\"Art\"],\"nothing\":null}\n",
        ),
    )
    .unwrap();
    vec![
        generated,
        sample("archive"),
        sample("archive.yaml"),
        numbers,
    ]
}

#[test]
fn expressions_give_what_jq_gives() {
    let oracles = oracles();
    if oracles.is_empty() {
        return;
    }
    assert!(EXPRESSIONS.len() >= 30);
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for input in inputs(dir.path()) {
        let input = input.to_str().unwrap();
        let records = run_ok(&["convert", input, "--to", "jsonl"]);
        for expression in EXPRESSIONS {
            let ours = recast()
                .args(["convert", input, "--to", "jsonl", "--jq", expression])
                .output()
                .unwrap();
            if !ours.status.success() {
                failures.push(format!(
                    "{input}: {expression}: recast fails: {}",
                    String::from_utf8_lossy(&ours.stderr)
                ));
                continue;
            }
            let ours = String::from_utf8(ours.stdout).unwrap();
            for oracle in &oracles {
                let quirk = ORACLE_QUIRKS
                    .iter()
                    .any(|(e, o, _)| e == expression && *o == oracle.program);
                if quirk {
                    continue;
                }
                let theirs = run_oracle(oracle.program, expression, &records);
                if let Err(difference) =
                    theirs.and_then(|theirs| same_lines(&ours, &theirs, oracle))
                {
                    failures.push(format!(
                        "{input}: {expression}: {} disagrees: {difference}",
                        oracle.program
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn run_oracle(program: &str, expression: &str, records: &str) -> Result<String, String> {
    use std::io::Write;
    let mut child = Command::new(program)
        .args(["-c", expression])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    let mut stdin = child.stdin.take().unwrap();
    let input = records.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    // An oracle that stops at an error closes its input early.
    let _ = writer.join();
    match output.status.success() {
        true => Ok(String::from_utf8(output.stdout).unwrap()),
        false => Err(format!(
            "it fails: {}",
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// Compares two JSON Lines texts record by record, as the oracle can be compared.
fn same_lines(ours: &str, theirs: &str, oracle: &Oracle) -> Result<(), String> {
    let parse = |text: &str| -> Vec<Json> {
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    };
    let (ours, theirs) = (parse(ours), parse(theirs));
    if ours.len() != theirs.len() {
        return Err(format!("{} records, it gives {}", ours.len(), theirs.len()));
    }
    for (n, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        if !same_json(a, b, oracle) {
            return Err(format!("record {}: recast {a}, it {b}", n + 1));
        }
    }
    Ok(())
}

fn same_json(a: &Json, b: &Json, oracle: &Oracle) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (x.to_string(), y.to_string());
            let integer = |t: &str| !t.contains(['.', 'e', 'E']);
            if oracle.exact_integers && integer(&x) && integer(&y) {
                return x == y;
            }
            x.parse::<f64>().ok() == y.parse::<f64>().ok()
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_json(p, q, oracle))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && (!oracle.ordered_keys || x.keys().eq(y.keys()))
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w, oracle)))
        }
        _ => a == b,
    }
}

#[test]
fn a_bad_expression_is_a_usage_error_before_anything_is_read() {
    let output = recast()
        .args([
            "convert",
            "no/such/folder",
            "--jq",
            ".topics |= map(ascii_lower)",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "recast: error: --jq \".topics |= map(ascii_lower)\": line 1, column 16: undefined filter ascii_lower/0\n"
    );
    let output = recast()
        .args([
            "migrate",
            "no/such/folder",
            "--in-place",
            "--jq",
            "if . then 1",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--jq \"if . then 1\": line 1, column 12: expected else or end, found the end of the expression"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
