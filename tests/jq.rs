//! `--jq` against jq itself: every expression below, run by `recast convert --jq` on the
//! generated archive (tests/data/generated), the samples and a file of awkward numbers, gives the records that
//! gojq (or jq) gives on the same records as JSON Lines.
//!
//! gojq keeps integers of any size, so integers are compared digit for digit against it;
//! it sorts object keys, so key order is compared only against jq, which keeps it (jq
//! 1.6 reads numbers as doubles: against it, numbers compare as doubles). Floats compare
//! as doubles everywhere: `1.0` stays `1.0` in recast where both jq print `1`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value as Json;

use crate::support::{data, recast, run_ok, sample, tool_available};

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
    "{q: (.quality | ltrimstr(\"3\")), t: (.topics | rtrimstr(\"AI\")), n: (.title | ltrimstr(1))}",
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

/// The inputs: the generated archive (Markdown files), the samples (Markdown and YAML)
/// and JSON Lines with numbers jq implementations treat differently.
fn inputs(dir: &Path) -> Vec<PathBuf> {
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
        data("generated/archive"),
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

/// Expressions run in place on copies of the generated archive and the samples; the
/// idempotent ones (all but the counter) are run twice.
const IN_PLACE: &[(&str, bool)] = &[
    (
        "if .topics then .topics |= map(ascii_downcase) else . end",
        true,
    ),
    ("del(.secured)", true),
    ("with_entries(select(.value != []))", true),
    (".provider.name |= ascii_upcase", true),
    ("select(.quality > 50) | .featured = true", true),
    (".quality += 1", false),
    (".topics |= (. // [] | unique) | .heat //= 0", true),
];

/// A copy of the generated archive and the sample archive's articles (not its channel,
/// `_index.md`), side by side in `archive/` of a temporary folder.
fn archive_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    for source in [data("generated/archive"), sample("archive")] {
        for entry in std::fs::read_dir(source).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap();
            if name != "_index.md" {
                std::fs::copy(&path, archive.join(name)).unwrap();
            }
        }
    }
    (dir, archive)
}

/// Every file of a flat folder, by name, in name order.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The records of a folder as JSON objects, one per file in name order.
fn records(dir: &Path) -> Vec<serde_json::Map<String, Json>> {
    run_ok(&["convert", dir.to_str().unwrap(), "--to", "jsonl"])
        .lines()
        .map(|line| match serde_json::from_str(line).unwrap() {
            Json::Object(map) => map,
            other => panic!("not an object: {other}"),
        })
        .collect()
}

/// The field each line of a Markdown file belongs to: a top-level key's line, the lines
/// under it and the blank lines before it are that key's; the fences are `---`; the
/// lines after the front matter are `body`.
fn line_fields(text: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut fences = 0;
    let mut current = String::new();
    let mut blank_run = 0;
    for line in text.lines() {
        if fences >= 2 {
            fields.push("body".to_owned());
            continue;
        }
        if line == "---" {
            fences += 1;
            // Blank lines before the closing fence belong to the field above them.
            fields.extend(std::iter::repeat_n(current.clone(), blank_run));
            blank_run = 0;
            fields.push("---".to_owned());
            continue;
        }
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !line.starts_with([' ', '-', '#'])
            && let Some((key, _)) = line.split_once(':')
        {
            current = key.trim_matches(['"', '\'']).to_owned();
        }
        fields.extend(std::iter::repeat_n(current.clone(), blank_run + 1));
        blank_run = 0;
    }
    fields.extend(std::iter::repeat_n(current, blank_run));
    fields
}

/// The indices of the lines of `a` and of `b` outside their longest common subsequence.
fn diff_lines(a: &[&str], b: &[&str]) -> (Vec<usize>, Vec<usize>) {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            added.push(j);
            j += 1;
        } else {
            removed.push(i);
            i += 1;
        }
    }
    (removed, added)
}

fn migrate(archive: &Path, extra: &[&str]) -> std::process::Output {
    recast()
        .args(["migrate", archive.to_str().unwrap(), "--in-place"])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn in_place_changes_only_the_lines_of_changed_fields_and_a_second_run_nothing() {
    for (expression, idempotent) in IN_PLACE {
        let (_dir, archive) = archive_copy();
        let before = files(&archive);
        let old_records = records(&archive);
        assert!(migrate(&archive, &["--jq", expression]).status.success());
        let after = files(&archive);
        let new_records = records(&archive);
        assert_eq!(before.len(), after.len());
        assert_eq!(old_records.len(), before.len(), "one record per file");
        let mut changed_files = 0;
        let pairs = before.iter().zip(&after);
        for (((name, old), (_, new)), (old_record, new_record)) in
            pairs.zip(old_records.iter().zip(&new_records))
        {
            let changed: Vec<&String> = old_record
                .keys()
                .chain(new_record.keys())
                .filter(|key| old_record.get(*key) != new_record.get(*key))
                .collect();
            changed_files += usize::from(old != new);
            let (old_lines, new_lines): (Vec<&str>, Vec<&str>) =
                (old.lines().collect(), new.lines().collect());
            let (removed, added) = diff_lines(&old_lines, &new_lines);
            let (old_fields, new_fields) = (line_fields(old), line_fields(new));
            for (lines, indices, fields) in [
                (&old_lines, &removed, &old_fields),
                (&new_lines, &added, &new_fields),
            ] {
                // A blank line between blocks goes with the block removed or added
                // next to it, before or after it alike: those are counted below.
                for &i in indices.iter().filter(|i| !lines[**i].trim().is_empty()) {
                    assert!(
                        changed.contains(&&fields[i]),
                        "{expression}: {name}: line {} ({:?}) of field {:?} changed, but only {changed:?} did",
                        i + 1,
                        lines[i],
                        fields[i]
                    );
                }
            }
            let blank = |lines: &[&str], indices: &[usize]| {
                indices
                    .iter()
                    .filter(|i| lines[**i].trim().is_empty())
                    .count()
            };
            let blanks = blank(&old_lines, &removed) + blank(&new_lines, &added);
            assert!(
                blanks <= changed.len(),
                "{expression}: {name}: {blanks} blank lines"
            );
            assert_eq!(old.ends_with('\n'), new.ends_with('\n'), "{name}");
        }
        assert!(changed_files > 0, "{expression} changed no file");
        if *idempotent {
            let second = migrate(&archive, &["--jq", expression]);
            let stderr = String::from_utf8_lossy(&second.stderr);
            assert!(second.status.success(), "{stderr}");
            assert_eq!(
                files(&archive),
                after,
                "{expression}: the second run changed files"
            );
            assert!(stderr.contains(" 0 changed,"), "{expression}: {stderr}");
        }
    }
}

#[test]
fn a_plan_of_jq_steps_run_twice_changes_nothing_the_second_time() {
    let (dir, archive) = archive_copy();
    let plan = dir.path().join("plan.yaml");
    std::fs::write(
        &plan,
        concat!(
            "- jq: 'if .topics then .topics |= map(ascii_downcase) else . end'\n",
            "- where: provider\n",
            "- jq: '.provider.domain |= ascii_upcase | del(.secured)'\n",
            "- rename: heat=temperature\n",
        ),
    )
    .unwrap();
    let plan = plan.to_str().unwrap();
    let before = files(&archive);
    assert!(migrate(&archive, &["--plan", plan]).status.success());
    let once = files(&archive);
    assert_ne!(before, once);
    let second = migrate(&archive, &["--plan", plan]);
    assert!(second.status.success());
    assert_eq!(files(&archive), once);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains(" 0 changed,"), "{stderr}");
}

#[test]
fn a_runtime_error_names_the_record_and_keep_going_skips_its_file() {
    let (_dir, archive) = archive_copy();
    let before = files(&archive);
    // heat is a number, which has no lower case (an error in jq too).
    let expression = ".heat |= ascii_downcase";
    let output = migrate(&archive, &["--jq", expression]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = format!(
        "{}/{}:1: jq `{expression}`: cannot use",
        archive.display(),
        before[0].0
    );
    assert!(stderr.contains(&first), "{stderr}");
    assert!(
        stderr.contains("nothing was written (--keep-going skips them)"),
        "{stderr}"
    );
    assert_eq!(files(&archive), before);

    // Records without images fail `map` (over null): their files are skipped and named,
    // the others migrated.
    let output = migrate(&archive, &["--keep-going", "--jq", ".images |= map(.url)"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let skipped = stderr.matches("(skipped)").count();
    let after = files(&archive);
    let unchanged = before.iter().zip(&after).filter(|(a, b)| a == b).count();
    assert!(
        skipped > 0 && skipped == unchanged,
        "{skipped} {unchanged}: {stderr}"
    );
}

#[test]
fn convert_jq_with_keep_going_skips_the_records_it_fails_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, "{\"n\":\"1\"}\n{\"n\":\"x\"}\n{\"n\":\"3\"}\n").unwrap();
    let input = input.to_str().unwrap();
    let convert = |extra: &[&str]| {
        recast()
            .args(["convert", input, "--to", "jsonl", "--jq", ".n |= tonumber"])
            .args(extra)
            .output()
            .unwrap()
    };
    let output = convert(&["--keep-going"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "{\"n\":1}\n{\"n\":3}\n"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{input}:2: --jq: cannot parse")),
        "{stderr}"
    );
    // Without --keep-going the run stops at that record.
    assert_eq!(convert(&[]).status.code(), Some(1));
}

#[test]
fn shards_of_a_migration_are_disjoint_and_together_the_single_run() {
    let jq = [
        "--jq",
        "if .topics then .topics |= map(ascii_downcase) else . end",
    ];
    let (_single_dir, single) = archive_copy();
    assert!(migrate(&single, &jq).status.success());
    let (_sharded_dir, sharded) = archive_copy();
    let original = files(&sharded);
    let mut touched_by = vec![0usize; original.len()];
    for k in 1..=3 {
        let before = files(&sharded);
        let shard = format!("{k}/3");
        assert!(
            migrate(&sharded, &["--shard", &shard, jq[0], jq[1]])
                .status
                .success()
        );
        for (i, (old, new)) in before.iter().zip(files(&sharded)).enumerate() {
            touched_by[i] += usize::from(*old != new);
        }
    }
    assert_eq!(files(&sharded), files(&single));
    // Every file the single run changed was changed by exactly one shard.
    for (i, (old, new)) in original.iter().zip(files(&single)).enumerate() {
        assert_eq!(touched_by[i], usize::from(*old != new), "{}", old.0);
    }
    assert!(touched_by.iter().filter(|n| **n == 1).count() > 100);
}

#[test]
fn the_docs_show_real_output() {
    let doc = std::fs::read_to_string(crate::support::root().join("docs/migrate.md")).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let archive = scratch.path().join("samples/archive");
    std::fs::create_dir_all(&archive).unwrap();
    for entry in std::fs::read_dir(sample("archive")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, archive.join(path.file_name().unwrap())).unwrap();
    }
    // `in 41 ms` varies from run to run.
    let untimed = |text: &str| {
        text.lines()
            .map(|line| match line.find(" skipped in ") {
                Some(at) => format!("{} skipped in TIME; nothing written", &line[..at]),
                None => line.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let commands: [&[&str]; 2] = [
        &[
            "--jq",
            "if .topics then .topics |= map(ascii_downcase) else . end",
            "--in-place",
            "--dry-run",
            "--diff",
            "1",
        ],
        &["--in-place", "--jq", ".topics |= map(ascii_lower)"],
    ];
    for args in commands {
        let shown_args: Vec<String> = args
            .iter()
            .map(|a| match a.contains(' ') || a.contains('|') {
                true => format!("'{a}'"),
                false => (*a).to_owned(),
            })
            .collect();
        let command = format!(
            "$ recast migrate samples/archive {}\n",
            shown_args.join(" ")
        );
        let shown = doc
            .split(&command)
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .unwrap_or_else(|| panic!("docs/migrate.md shows {command}"));
        let shown: String = shown
            .lines()
            .map(|line| line.strip_prefix("  ").unwrap_or(line))
            .take_while(|line| !line.starts_with("$ "))
            .collect::<Vec<_>>()
            .join("\n");
        let output = recast()
            .current_dir(scratch.path())
            .args(["migrate", "samples/archive"])
            .args(args)
            .output()
            .unwrap();
        let real = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            untimed(shown.trim_end()),
            untimed(real.trim_end()),
            "{command}"
        );
    }
}
