//! End-to-end tests of `recast migrate`: each edit, plan files, where it writes, dry
//! runs, idempotence, all-or-nothing batches and atomic replacement under kill -9.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn recast() -> Command {
    Command::cargo_bin("recast").expect("the recast binary is built")
}

/// A copy of `samples/archive` (with its `_index.md`) in a temporary folder.
fn sample_copy() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(root().join("samples/archive")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// A folder with the named fixtures of `tests/data/migrate`.
fn fixtures(names: &[&str]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        fs::copy(
            root().join("tests/data/migrate").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    dir
}

/// Every file below `dir` (hidden ones too), by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The lines that differ between two texts of the same length in lines, or the whole
/// removed/added runs: (removed, added), with common leading and trailing lines cut.
fn changed_lines(old: &[u8], new: &[u8]) -> (Vec<String>, Vec<String>) {
    let old: Vec<&str> = std::str::from_utf8(old)
        .unwrap()
        .split_inclusive('\n')
        .collect();
    let new: Vec<&str> = std::str::from_utf8(new)
        .unwrap()
        .split_inclusive('\n')
        .collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let own = |lines: &[&str]| {
        lines
            .iter()
            .map(|l| l.trim_end_matches(['\r', '\n']).to_owned())
            .collect()
    };
    (
        own(&old[prefix..old.len() - suffix]),
        own(&new[prefix..new.len() - suffix]),
    )
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

#[test]
fn rename_changes_only_the_key_line_of_every_file() {
    let dir = sample_copy();
    let before = snapshot(dir.path());
    let run = recast()
        .args(["migrate", "--rename", "title=headline", "--in-place"])
        .arg(dir.path())
        .assert()
        .success();
    assert!(
        stderr_of(&run).contains("migrate: 13 changed, 0 unchanged, 0 skipped"),
        "{}",
        stderr_of(&run)
    );
    let after = snapshot(dir.path());
    for (name, old) in &before {
        let new = &after[name];
        if name == "_index.md" {
            assert_eq!(old, new, "_index.md is the channel, not a record");
            continue;
        }
        let (removed, added) = changed_lines(old, new);
        assert_eq!(removed.len(), 1, "{name}: {removed:?}");
        assert_eq!(
            added,
            [removed[0].replacen("title:", "headline:", 1)],
            "{name}"
        );
    }
}

#[test]
fn the_issue_plan_moves_the_provider_name_and_reformats_the_date() {
    let dir = fixtures(&["tokyo.md", "crlf-bom.md"]);
    recast()
        .args(["migrate", "--plan"])
        .arg(root().join("tests/data/migrate/plan.yaml"))
        .arg("--in-place")
        .arg(dir.path())
        .assert()
        .success();
    let tokyo = fs::read_to_string(dir.path().join("tokyo.md")).unwrap();
    assert_eq!(
        tokyo,
        "---\n# An article written in Tokyo: its day there is not its day in UTC.\n\
         title: \"Robots in the OR\"\npublishedDateTime: \"2021-05-12\"\n\
         webUrl: \"https://example.org/robots-in-the-or\"\nsource: Nikkei\n---\n\n\
         Body with `---` inside\n---\nand a trailing line.\n"
    );
    // The BOM, the CRLF line ends and the body stay byte for byte.
    let crlf = fs::read(dir.path().join("crlf-bom.md")).unwrap();
    assert_eq!(
        String::from_utf8(crlf).unwrap(),
        "\u{FEFF}---\r\ntitle: \"Windows line ends\"\r\npublishedDateTime: \"2022-02-02\"\r\n\
         webUrl: \"https://example.org/crlf\"\r\nsource: Le Monde\r\n---\r\n\r\nCRLF body.\r\n"
    );
}

#[test]
fn flags_apply_in_command_line_order() {
    // Set, then rename: the renamed field carries the new value.
    let dir = fixtures(&["tokyo.md"]);
    recast()
        .args([
            "migrate",
            "--set",
            "title=First",
            "--rename",
            "title=headline",
            "--in-place",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let text = fs::read_to_string(dir.path().join("tokyo.md")).unwrap();
    assert!(text.contains("\nheadline: First\n"), "{text}");
    // Rename, then set: the old name comes back as a new field.
    let dir = fixtures(&["tokyo.md"]);
    recast()
        .args([
            "migrate",
            "--rename",
            "title=headline",
            "--set",
            "title=Second",
            "--in-place",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let text = fs::read_to_string(dir.path().join("tokyo.md")).unwrap();
    assert!(
        text.contains("\nheadline: \"Robots in the OR\"\n"),
        "{text}"
    );
    assert!(text.contains("\ntitle: Second\n---\n"), "{text}");
}

#[test]
fn set_default_delete_date_and_template_each_touch_their_lines() {
    let cases: [(&[&str], &[&str], &[&str]); 6] = [
        (&["--set", "draft=false"], &[], &["draft: false"]),
        // A quoted YAML scalar is text: `"2024"` stays a string (and is written quoted).
        (
            &["--set", "title=\"2024\""],
            &["title: \"Robots in the OR\""],
            &["title: \"2024\""],
        ),
        (
            &["--default", "category=news", "--default", "title=Other"],
            &[],
            &["category: news"],
        ),
        (
            &["--delete", "provider.domain"],
            &["  domain: nikkei.com"],
            &[],
        ),
        (
            &["--date", "publishedDateTime=%d %B %Y"],
            &["publishedDateTime: 2021-05-12T01:00:00+09:00"],
            &["publishedDateTime: 12 May 2021"],
        ),
        (
            &["--template", "slug={title|slug}"],
            &[],
            &["slug: robots-in-the-or"],
        ),
    ];
    for (flags, removed, added) in cases {
        let dir = fixtures(&["tokyo.md"]);
        let old = fs::read(dir.path().join("tokyo.md")).unwrap();
        recast()
            .arg("migrate")
            .args(flags)
            .arg("--in-place")
            .arg(dir.path())
            .assert()
            .success();
        let new = fs::read(dir.path().join("tokyo.md")).unwrap();
        let (r, a) = changed_lines(&old, &new);
        assert_eq!(
            (r.as_slice(), a.as_slice()),
            (
                removed
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .as_slice(),
                added
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>()
                    .as_slice()
            ),
            "{flags:?}"
        );
    }
}

#[test]
fn where_filters_records_into_another_format() {
    let dir = sample_copy();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("recent.jsonl");
    let run = recast()
        .args([
            "migrate",
            "--where",
            "publishedDateTime>2023-06-01",
            "--rename",
            "webUrl=link",
            "-o",
        ])
        .arg(&target)
        .arg(dir.path())
        .assert()
        .success();
    let text = fs::read_to_string(&target).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 4, "{text}");
    assert!(
        records
            .iter()
            .all(|r| r.get("link").is_some() && r.get("webUrl").is_none())
    );
    assert!(
        stderr_of(&run)
            .contains("4 record(s) changed, 0 unchanged, 9 left out by where, 0 file(s) skipped"),
        "{}",
        stderr_of(&run)
    );
    // The inputs are untouched.
    assert_eq!(
        snapshot(dir.path()),
        snapshot(&root().join("samples/archive"))
    );
}

#[test]
fn in_place_where_edits_only_the_matching_records() {
    let dir = sample_copy();
    let before = snapshot(dir.path());
    recast()
        .args([
            "migrate",
            "--where",
            "category=research",
            "--set",
            "reviewed=true",
            "--in-place",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let after = snapshot(dir.path());
    let mut edited = 0;
    for (name, old) in &before {
        let research = String::from_utf8_lossy(old).contains("\ncategory: research\n");
        if research {
            edited += 1;
            assert!(
                String::from_utf8_lossy(&after[name]).contains("\nreviewed: true\n"),
                "{name}"
            );
        } else {
            assert_eq!(
                &after[name], old,
                "{name} does not match and stays as it was"
            );
        }
    }
    assert!(edited > 0);
}

#[test]
fn out_dir_mirrors_the_files_in_another_format() {
    let dir = sample_copy();
    let out = tempfile::tempdir().unwrap();
    recast()
        .args([
            "migrate",
            "--delete",
            "secured",
            "--to",
            "json",
            "--out-dir",
        ])
        .arg(out.path())
        .arg(dir.path())
        .assert()
        .success();
    let written = snapshot(out.path());
    assert_eq!(written.len(), 13);
    let json = &written["2020-11-11-ai-revolution-in-medicine.json"];
    let value: serde_json::Value = serde_json::from_slice(json).unwrap();
    let record = if value.is_array() {
        value[0].clone()
    } else {
        value
    };
    assert_eq!(record["title"], "AI revolution in medicine");
    assert!(record.get("secured").is_none());
}

#[test]
fn in_place_rewrites_stream_formats_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("archive.jsonl");
    fs::copy(root().join("tests/data/generated/archive.jsonl"), &file).unwrap();
    recast()
        .args(["migrate", "--set", "checked=true", "--in-place"])
        .arg(&file)
        .assert()
        .success();
    let text = fs::read_to_string(&file).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 300);
    assert!(records.iter().all(|r| r["checked"] == true));
}

#[test]
fn dry_run_writes_nothing_and_shows_the_first_diffs() {
    let dir = sample_copy();
    let before = snapshot(dir.path());
    let run = recast()
        .args([
            "migrate",
            "--rename",
            "provider.name=source",
            "--delete",
            "provider",
            "--in-place",
            "--dry-run",
            "--diff",
            "2",
        ])
        .arg(dir.path())
        .assert()
        .success();
    assert_eq!(snapshot(dir.path()), before, "a dry run writes nothing");
    let stdout = stdout_of(&run);
    assert_eq!(
        stdout.matches("\n+++ ").count() + usize::from(stdout.starts_with("+++ ")),
        2,
        "{stdout}"
    );
    assert!(stdout.contains("\n-provider:\n-  name: Harvard Medical School\n-  domain: harvard.edu\n+source: Harvard Medical School\n"), "{stdout}");
    assert!(stdout.contains("… and 11 more changed file(s)"), "{stdout}");
    assert!(
        stderr_of(&run).contains("dry run: 13 would change, 0 unchanged, 0 skipped"),
        "{}",
        stderr_of(&run)
    );
}

#[test]
fn a_second_run_changes_nothing() {
    let dir = sample_copy();
    let args = [
        "migrate",
        "--plan",
        "PLAN",
        "--set",
        "draft=false",
        "--template",
        "slug={title|slug}",
        "--in-place",
    ];
    let plan = root().join("tests/data/migrate/plan.yaml");
    let run = |dir: &Path| {
        let mut command = recast();
        for arg in args {
            if arg == "PLAN" {
                command.arg(&plan);
            } else {
                command.arg(arg);
            }
        }
        command.arg(dir).assert().success()
    };
    let first = run(dir.path());
    assert!(
        stderr_of(&first).contains("13 changed"),
        "{}",
        stderr_of(&first)
    );
    let after_first = snapshot(dir.path());
    let second = run(dir.path());
    assert!(
        stderr_of(&second).contains("migrate: 0 changed, 13 unchanged"),
        "{}",
        stderr_of(&second)
    );
    assert_eq!(
        snapshot(dir.path()),
        after_first,
        "byte-identical after the second run"
    );
}

#[test]
fn a_broken_file_stops_the_run_before_anything_is_written() {
    let dir = sample_copy();
    for name in ["0-broken.md", "zz-broken.md"] {
        fs::copy(
            root().join("tests/data/migrate/broken.md"),
            dir.path().join(name),
        )
        .unwrap();
    }
    let before = snapshot(dir.path());
    let run = recast()
        .args(["migrate", "--set", "draft=true", "--in-place"])
        .arg(dir.path())
        .assert()
        .code(1);
    let stderr = stderr_of(&run);
    // Every broken file is named, not only the first.
    assert!(stderr.contains("0-broken.md:2:"), "{stderr}");
    assert!(stderr.contains("zz-broken.md:2:"), "{stderr}");
    assert!(
        stderr.contains("2 file(s) could not be read or migrated; nothing was written"),
        "{stderr}"
    );
    assert_eq!(snapshot(dir.path()), before, "no file changed");

    // --keep-going migrates the others, skips the broken one and says so.
    let run = recast()
        .args([
            "migrate",
            "--set",
            "draft=true",
            "--in-place",
            "--keep-going",
        ])
        .arg(dir.path())
        .assert()
        .code(1);
    let stderr = stderr_of(&run);
    assert!(
        stderr.contains("zz-broken.md:2:") && stderr.contains("(skipped)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("migrate: 13 changed, 0 unchanged, 2 skipped"),
        "{stderr}"
    );
    let after = snapshot(dir.path());
    assert_eq!(after["zz-broken.md"], before["zz-broken.md"]);
    assert_ne!(after["2023-02-01-2024.md"], before["2023-02-01-2024.md"]);
}

#[test]
fn plan_errors_name_the_file_and_the_edit() {
    let dir = sample_copy();
    let run = recast()
        .args(["migrate", "--in-place", "--plan"])
        .arg(root().join("tests/data/migrate/bad-plan.yaml"))
        .arg(dir.path())
        .assert()
        .code(2);
    let stderr = stderr_of(&run);
    assert!(
        stderr.contains("bad-plan.yaml: edit 2: date: missing `format`"),
        "{stderr}"
    );
    let run = recast()
        .args(["migrate", "--in-place", "--rename", "title"])
        .arg(dir.path())
        .assert()
        .code(2);
    assert!(
        stderr_of(&run).contains("--rename \"title\": expected FIELD=VALUE"),
        "{}",
        stderr_of(&run)
    );
    // Nowhere to write is a usage error.
    recast()
        .args(["migrate", "--delete", "x"])
        .arg(dir.path())
        .assert()
        .code(2);
}

/// Starts an in-place migration of thousands of files, kills it with SIGKILL while it
/// replaces them, and checks every file is whole: byte for byte the old file or the
/// new one (as a complete run writes it).
#[cfg(unix)]
#[test]
fn kill_9_leaves_every_file_old_or_new() {
    const COPIES: usize = 7; // 300 generated files × 7
    let source = root().join("tests/data/generated/archive");
    let make = || {
        let dir = tempfile::tempdir().unwrap();
        for entry in fs::read_dir(&source).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            for copy in 0..COPIES {
                fs::copy(&path, dir.path().join(format!("{copy:02}-{name}"))).unwrap();
            }
        }
        dir
    };
    let args = [
        "migrate",
        "--rename",
        "provider.name=source",
        "--delete",
        "provider",
        "--set",
        "migrated=true",
        "--in-place",
        "--quiet",
    ];
    let original = make();
    let old = snapshot(original.path());
    assert_eq!(old.len(), 300 * COPIES);
    // What a complete run writes, from one copy of each file (the copies are alike).
    let complete = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, complete.path().join(path.file_name().unwrap())).unwrap();
    }
    recast().args(args).arg(complete.path()).assert().success();
    let migrated = snapshot(complete.path());
    let new = |name: &str| &migrated[&name[3..]];
    let binary = assert_cmd::cargo::cargo_bin("recast");

    let mut saw_partial = false;
    for attempt in 0..2 {
        let victim = make();
        let watched = victim.path().join(old.keys().next().unwrap());
        let first_old = &old[old.keys().next().unwrap()];
        let mut child = Process::new(&binary)
            .args(args)
            .arg(victim.path())
            .spawn()
            .unwrap();
        // Wait until the first file (replaced first) is new, then a little longer on
        // later attempts, and kill.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if fs::read(&watched).is_ok_and(|b| b != *first_old) {
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(attempt * 300));
        child.kill().unwrap(); // SIGKILL on Unix.
        child.wait().unwrap();

        let after = snapshot(victim.path());
        let (mut olds, mut news) = (0, 0);
        for (name, bytes) in &after {
            if name.starts_with('.') {
                // A temporary file the kill left behind: hidden, never read as input.
                assert!(name.starts_with(".recast-"), "{name}");
                continue;
            }
            if *bytes == old[name] {
                olds += 1;
            } else {
                assert_eq!(
                    bytes,
                    new(name),
                    "{name} is neither the old nor the new file"
                );
                news += 1;
            }
        }
        assert_eq!(olds + news, old.len(), "no file lost");
        saw_partial |= olds > 0 && news > 0;
    }
    // At least one kill landed while files were being replaced.
    assert!(
        saw_partial,
        "the kill never landed part way; the run may be too fast to test"
    );
}

/// The commands of `docs/migrate.md` whose output does not depend on the machine:
/// their output there is what they print (times aside).
#[test]
fn docs_show_real_output() {
    let doc = fs::read_to_string(root().join("docs/migrate.md")).unwrap();
    // A scratch folder laid out like the repository, where the migration may write.
    let scratch = tempfile::tempdir().unwrap();
    fs::create_dir_all(scratch.path().join("samples")).unwrap();
    let archive = sample_copy();
    fs::rename(archive.path(), scratch.path().join("samples/archive")).unwrap();
    fs::create_dir_all(scratch.path().join("tests/data/migrate")).unwrap();
    let invalid = root().join("tests/data/migrate/invalid");
    fs::create_dir_all(scratch.path().join("tests/data/migrate/invalid")).unwrap();
    for entry in fs::read_dir(&invalid).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(
            &path,
            scratch
                .path()
                .join("tests/data/migrate/invalid")
                .join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let plan = doc
        .split("$ cat plan.yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the doc shows plan.yaml");
    fs::write(scratch.path().join("plan.yaml"), plan).unwrap();

    let times = |text: &str| {
        let mut out = String::new();
        for line in text.lines() {
            let line = match line.rfind(" in ") {
                Some(at)
                    if line[at + 4..].ends_with(" ms")
                        || line[at + 4..].ends_with(" s")
                        || line[at + 4..].contains(" ms;")
                        || line[at + 4..].contains(" s;") =>
                {
                    let rest = &line[at + 4..];
                    let tail = rest.find(';').map_or("", |i| &rest[i..]);
                    format!("{} in TIME{tail}", &line[..at])
                }
                _ => line.to_owned(),
            };
            out.push_str(&line);
            out.push('\n');
        }
        out
    };
    let commands = [
        "recast inspect samples/archive",
        "recast validate samples/archive",
        "recast validate tests/data/migrate/invalid",
        "recast migrate samples/archive --plan plan.yaml --in-place --dry-run --diff 1",
        "recast migrate samples/archive --plan plan.yaml --in-place",
    ];
    for command in commands {
        let shown = doc
            .split(&format!("$ {command}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("the doc shows `{command}`"));
        let shown: String = shown
            .lines()
            .take_while(|l| !l.starts_with("$ ") && !l.starts_with("```"))
            .map(|l| format!("{l}\n"))
            .collect();
        let args: Vec<String> = command
            .split_whitespace()
            .skip(1)
            .map(|a| a.trim_matches('\'').to_owned())
            .collect();
        let output = recast()
            .current_dir(scratch.path())
            .args(&args)
            .output()
            .unwrap();
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            times(&printed),
            times(&shown),
            "`{command}` in docs/migrate.md"
        );
    }
}

#[test]
fn a_feed_keeps_its_channel() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.xml");
    // Into a feed: the channel comes from the folder's `_index.md`.
    recast()
        .args(["migrate", "--set", "reviewed=true", "--to", "rss", "-o"])
        .arg(&feed)
        .arg(root().join("samples/archive"))
        .assert()
        .success();
    let title = "<title>Health &amp; AI Reading List</title>";
    let before = fs::read_to_string(&feed).unwrap();
    assert!(before.contains(title), "{before}");
    // In place: the feed's own channel is written back with its items.
    recast()
        .args(["migrate", "--delete", "reviewed", "--in-place"])
        .arg(&feed)
        .assert()
        .success();
    let after = fs::read_to_string(&feed).unwrap();
    assert!(after.contains(title), "{after}");
    assert_eq!(after.matches("<item>").count(), 13);
    assert!(!after.contains("reviewed"), "{after}");
}

/// Lines of `a` not matched in `b`, counting repeats.
fn lines_not_in(a: &[u8], b: &[u8]) -> Vec<String> {
    let mut pool: BTreeMap<&str, usize> = BTreeMap::new();
    for line in std::str::from_utf8(b).unwrap().lines() {
        *pool.entry(line).or_default() += 1;
    }
    let mut out = Vec::new();
    for line in std::str::from_utf8(a).unwrap().lines() {
        match pool.get_mut(line) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(line.to_owned()),
        }
    }
    out
}

#[test]
fn a_migration_of_the_generated_archive_touches_only_the_edited_lines() {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(root().join("tests/data/generated/archive")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let before = snapshot(dir.path());
    recast()
        .args([
            "migrate",
            "--rename",
            "title=headline",
            "--rename",
            "provider.name=source",
            "--delete",
            "provider",
            "--date",
            "publishedDateTime=%Y-%m-%d",
            "--in-place",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let after = snapshot(dir.path());
    assert_eq!(after.len(), 300);
    for (name, old) in &before {
        let new = &after[name];
        let removed = lines_not_in(old, new);
        let added = lines_not_in(new, old);
        // Removed: the title and date lines, and the provider block with the blank
        // line before it; added: the renamed title, the date, the source.
        assert_eq!(removed.len(), 6, "{name}: {removed:?}");
        assert!(
            removed[0].starts_with("title: ") && removed[2] == "provider:" && removed[5].is_empty(),
            "{name}: {removed:?}"
        );
        assert_eq!(added.len(), 3, "{name}: {added:?}");
        assert_eq!(
            added[0],
            removed[0].replacen("title:", "headline:", 1),
            "{name}"
        );
        assert!(
            added[1].starts_with("publishedDateTime: \"")
                && added[1].len() == "publishedDateTime: \"2019-01-10\"".len(),
            "{name}: {added:?}"
        );
        // A moved value is written by the writer: its quotes may change, not its text.
        let unquoted = |line: &str, key: &str| {
            line.trim_start()
                .trim_start_matches(key)
                .trim()
                .trim_matches('"')
                .to_owned()
        };
        assert_eq!(
            unquoted(&added[2], "source:"),
            unquoted(&removed[3], "name:"),
            "{name}"
        );
    }
}
