//! Issue 11, "Output paths: write what the user named, never destroy what is there":
//! symbolic links and special files as `-o` (case 4), `--out-dir` and files already
//! there (case 5), interrupted runs (case 6), a run reading its own output (case 8) and
//! a closed pipe (case 9).
#![cfg(unix)]

use crate::support;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use support::{canonical_jsonl, recast, records_of, root, run_ok, sample};

const SIGINT: i32 = 2;
const SIGPIPE: i32 = 13;
const SIGTERM: i32 = 15;

/// The samples' records, as recast reads them.
fn archive_records() -> Vec<String> {
    records_of(&sample("archive.json"), &[])
}

/// The `recast` binary as a plain `std` command (for standard streams of our choosing),
/// run in `dir`.
fn recast_in(dir: &Path) -> StdCommand {
    let mut command = StdCommand::new(assert_cmd::cargo::cargo_bin("recast"));
    command.current_dir(dir).stdin(Stdio::null());
    command
}

/// Names in a folder starting with `.recast-` (temporary files, staging folders).
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".recast-"))
        .collect()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mkfifo(path: &Path) {
    let status = StdCommand::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn is_fifo(path: &Path) -> bool {
    fs::symlink_metadata(path).unwrap().file_type().is_fifo()
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).unwrap().file_type().is_symlink()
}

/// A copy of `samples/archive` (13 articles and `_index.md`) in `dir`.
fn copy_archive(dir: &Path) -> PathBuf {
    let archive = dir.join("archive");
    fs::create_dir(&archive).unwrap();
    for entry in fs::read_dir(sample("archive")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), archive.join(entry.file_name())).unwrap();
    }
    archive
}

/// Every entry of a folder with its bytes (empty for a folder), to show nothing changed.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    names_in(dir)
        .into_iter()
        .map(|name| {
            let bytes = fs::read(dir.join(&name)).unwrap_or_default();
            (name, bytes)
        })
        .collect()
}

// Case 4: `-o` follows symbolic links and writes into special files.

#[test]
fn output_through_a_symbolic_link_replaces_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    fs::create_dir(&real).unwrap();
    fs::write(real.join("target.json"), "old").unwrap();
    // link.json -> real/target.json, and a chain: chain.json -> link.json.
    std::os::unix::fs::symlink("real/target.json", dir.path().join("link.json")).unwrap();
    std::os::unix::fs::symlink("link.json", dir.path().join("chain.json")).unwrap();
    // A dangling link is written through: its target is created.
    std::os::unix::fs::symlink("real/new.json", dir.path().join("new.json")).unwrap();
    for name in ["chain.json", "new.json"] {
        recast()
            .args(["convert", "samples/archive.json", "-o"])
            .arg(dir.path().join(name))
            .assert()
            .success();
    }
    for (link, target) in [
        ("link.json", "real/target.json"),
        ("chain.json", "link.json"),
        ("new.json", "real/new.json"),
    ] {
        let path = dir.path().join(link);
        assert!(is_symlink(&path), "{link} is no longer a link");
        assert_eq!(fs::read_link(&path).unwrap(), Path::new(target));
    }
    for written in ["real/target.json", "real/new.json"] {
        let records = records_of(&dir.path().join(written), &[]);
        assert_eq!(records, archive_records(), "{written}");
    }
    assert!(leftovers(dir.path()).is_empty() && leftovers(&real).is_empty());
}

#[test]
fn output_to_a_named_pipe_is_written_into_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("out.jsonl");
    mkfifo(&pipe);
    let reader = {
        let pipe = pipe.clone();
        thread::spawn(move || fs::read_to_string(pipe).unwrap())
    };
    recast()
        .args(["convert", "samples/archive.json", "--to", "jsonl", "-o"])
        .arg(&pipe)
        .timeout(Duration::from_secs(60))
        .assert()
        .success();
    let read = reader.join().unwrap();
    assert_eq!(canonical_jsonl(&read), archive_records());
    assert!(is_fifo(&pipe), "the named pipe was replaced");
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn output_to_dev_stdout_dev_fd_and_process_substitution_is_written_directly() {
    let expected = run_ok(&["convert", "samples/archive.json", "--to", "jsonl"]);
    assert!(is_symlink(Path::new("/dev/stdout")));
    // Standard output a pipe.
    for path in ["/dev/stdout", "/dev/fd/1"] {
        let out = run_ok(&[
            "convert",
            "samples/archive.json",
            "--to",
            "jsonl",
            "-o",
            path,
        ]);
        assert_eq!(out, expected, "{path}");
    }
    // Standard output redirected to a file: written into that file (the same inode),
    // after what is there, as the shell's `>>` set it up.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.jsonl");
    fs::write(&file, "{\"first\": true}\n").unwrap();
    let inode = fs::metadata(&file).unwrap().ino();
    let append = fs::OpenOptions::new().append(true).open(&file).unwrap();
    let status = recast_in(&root())
        .args(["convert", "samples/archive.json", "--to", "jsonl"])
        .args(["-o", "/dev/stdout"])
        .stdout(append)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(fs::metadata(&file).unwrap().ino(), inode);
    let written = fs::read_to_string(&file).unwrap();
    assert_eq!(written, format!("{{\"first\": true}}\n{expected}"));
    // Process substitution (`/dev/fd/63`, a pipe).
    let copy = dir.path().join("copy.jsonl");
    let script = format!(
        "{} convert samples/archive.json --to jsonl -o >(cat > {}); wait $!",
        assert_cmd::cargo::cargo_bin("recast").display(),
        copy.display()
    );
    let status = StdCommand::new("bash")
        .args(["-c", &script])
        .current_dir(root())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(fs::read_to_string(&copy).unwrap(), expected);
    // /dev/stdout is still the link it was, and nothing was left in /dev.
    assert!(is_symlink(Path::new("/dev/stdout")));
    assert!(leftovers(Path::new("/dev")).is_empty());
}

#[test]
fn migrate_dash_o_writes_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(sample("archive.json"), dir.path().join("a.json")).unwrap();
    let run = |extra: &[&str]| {
        let output = recast()
            .current_dir(dir.path())
            .args(["migrate", "a.json", "--set", "reviewed=true", "-o", "-"])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let jsonl = canonical_jsonl(&run(&["--to", "jsonl"]));
    assert_eq!(jsonl.len(), 13);
    assert!(jsonl.iter().all(|r| r.ends_with(",\"reviewed\":true}")));
    // Without --to, JSON, as `convert -o -` writes.
    let json: serde_json::Value = serde_json::from_str(&run(&[])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 13);
    assert_eq!(names_in(dir.path()), ["a.json"], "a file named `-`");
}

#[test]
fn output_naming_a_folder_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    recast()
        .args(["convert", "samples/archive.json", "--to", "jsonl", "-o"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a folder; -o takes a file"));
}

// Case 5: `--out-dir` replaces nothing without `--force`, and never overlaps the inputs.

#[test]
fn out_dir_never_replaces_a_file_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let od = dir.path().join("od");
    fs::create_dir(&od).unwrap();
    let notes = od.join("2020-11-11-ai-revolution-in-medicine.md");
    fs::write(&notes, "notes\n").unwrap();
    recast()
        .args(["convert", "samples/archive.json", "--out-dir"])
        .arg(&od)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "1 file(s) already exist and would be replaced",
        ))
        .stderr(predicate::str::contains(notes.to_str().unwrap()))
        .stderr(predicate::str::contains("nothing was written"))
        .stderr(predicate::str::contains("--force"));
    assert_eq!(fs::read_to_string(&notes).unwrap(), "notes\n");
    assert_eq!(names_in(&od), ["2020-11-11-ai-revolution-in-medicine.md"]);
    // migrate --out-dir too.
    let migrated = dir.path().join("migrated");
    fs::create_dir(&migrated).unwrap();
    fs::write(migrated.join("archive.json"), "mine").unwrap();
    recast()
        .args([
            "migrate",
            "samples/archive.json",
            "--set",
            "x=1",
            "--out-dir",
        ])
        .arg(&migrated)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("archive.json"));
    assert_eq!(
        fs::read_to_string(migrated.join("archive.json")).unwrap(),
        "mine"
    );
    assert_eq!(names_in(&migrated), ["archive.json"]);
    // With --force they are replaced.
    recast()
        .args(["convert", "samples/archive.json", "--force", "--out-dir"])
        .arg(&od)
        .assert()
        .success();
    assert_eq!(names_in(&od).len(), 13);
    let replaced = records_of(&notes, &[]);
    assert!(replaced[0].contains("\"title\":\"AI revolution in medicine\""));
    recast()
        .args(["migrate", "samples/archive.json", "--set", "x=1", "--force"])
        .arg("--out-dir")
        .arg(&migrated)
        .assert()
        .success();
    assert_eq!(records_of(&migrated.join("archive.json"), &[]).len(), 13);
}

#[test]
fn out_dir_names_the_first_files_in_the_way_and_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let od = dir.path().join("od");
    recast()
        .args(["convert", "samples/archive", "--out-dir"])
        .arg(&od)
        .assert()
        .success();
    // 13 articles and `_index.md`.
    let before = snapshot(&od);
    assert_eq!(before.len(), 14);
    let output = recast()
        .args(["convert", "samples/archive", "--out-dir"])
        .arg(&od)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("14 file(s) already exist"), "{stderr}");
    assert!(stderr.contains("and 9 more"), "{stderr}");
    // The folder, then the five files named.
    assert_eq!(stderr.matches(od.to_str().unwrap()).count(), 6, "{stderr}");
    assert_eq!(snapshot(&od), before);
}

#[test]
fn out_dir_that_is_inside_or_holds_an_input_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let archive = copy_archive(dir.path());
    // Rewritten from scratch, it would get front matter.
    fs::write(archive.join("README.md"), "# My notes\n").unwrap();
    let before = snapshot(&archive);
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &["migrate", "archive", "--set", "x=1"],
            "archive",
            "is the input folder",
        ),
        (
            &["migrate", "archive", "--set", "x=1"],
            "archive/out",
            "is inside the input folder",
        ),
        (
            &["migrate", "archive/", "--set", "x=1"],
            ".",
            "holds the input folder",
        ),
        (&["convert", "archive"], "archive/md", "is inside"),
    ];
    for (args, out_dir, relation) in cases {
        recast()
            .current_dir(dir.path())
            .args(args)
            .args(["--out-dir", out_dir, "--force"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(relation))
            .stderr(predicate::str::contains("--in-place"));
        assert_eq!(snapshot(&archive), before, "{args:?} --out-dir {out_dir}");
    }
    assert_eq!(names_in(dir.path()), ["archive"]);
}

#[test]
fn out_dir_that_would_replace_input_files_is_refused_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let archive = copy_archive(dir.path());
    let before = snapshot(&archive);
    // The files a shell glob names: their folder is not an input folder, but each
    // output would land on its input.
    let files: Vec<PathBuf> = names_in(&archive)
        .into_iter()
        .filter(|name| name.ends_with(".md") && name != "_index.md")
        .map(|name| archive.join(name))
        .collect();
    recast()
        .args(["migrate", "--set", "x=1", "--force", "--out-dir"])
        .arg(&archive)
        .args(&files)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would replace the input file"))
        .stderr(predicate::str::contains("--in-place"));
    assert_eq!(snapshot(&archive), before);
}

// Case 6: an interrupted run removes its temporary files.

/// A JSON Lines file big enough that converting it takes seconds (a debug build).
fn big_jsonl(dir: &Path, records: usize) -> PathBuf {
    let path = dir.join("big.jsonl");
    let mut out = std::io::BufWriter::new(fs::File::create(&path).unwrap());
    let body = "word ".repeat(40);
    for i in 0..records {
        writeln!(
            out,
            r#"{{"title": "Article {i}", "publishedDateTime": "2021-01-01T00:00:00Z", "body": "{body}"}}"#
        )
        .unwrap();
    }
    out.flush().unwrap();
    path
}

/// Starts recast in `dir` with standard output and error piped.
fn spawn_recast(args: &[&str], dir: &Path) -> Child {
    recast_in(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits (up to a minute) until `ready` holds, failing if the run ended first.
fn wait_until(child: &mut Child, what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("recast ended ({status}) before {what}");
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never {what}");
        thread::sleep(Duration::from_millis(5));
    }
}

fn send(signal: &str, child: &Child) {
    let status = StdCommand::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn finish(child: Child) -> (ExitStatus, String) {
    let output = child.wait_with_output().unwrap();
    (
        output.status,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_interrupted_conversion_removes_its_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    big_jsonl(dir.path(), 200_000);
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let mut child = spawn_recast(&["convert", "big.jsonl", "-o", "out/all.json"], dir.path());
    wait_until(&mut child, "its temporary file appeared", || {
        !leftovers(&out).is_empty()
    });
    send("-INT", &child);
    let (status, stderr) = finish(child);
    // Ended by the signal, as the shell expects (exit status 130).
    assert_eq!(status.signal(), Some(SIGINT), "{status} {stderr}");
    assert_eq!(stderr, "recast: interrupted; removed 1 temporary file\n");
    assert!(names_in(&out).is_empty(), "{:?}", names_in(&out));
}

#[test]
fn a_terminated_out_dir_run_removes_its_staging_folder() {
    let dir = tempfile::tempdir().unwrap();
    big_jsonl(dir.path(), 50_000);
    let od = dir.path().join("od");
    let mut child = spawn_recast(
        &[
            "convert",
            "big.jsonl",
            "--out-dir",
            "od",
            "--name",
            "{title}",
        ],
        dir.path(),
    );
    wait_until(&mut child, "files were staged", || {
        let staged = if od.exists() {
            leftovers(&od)
        } else {
            Vec::new()
        };
        staged.first().is_some_and(|staging| {
            fs::read_dir(od.join(staging)).is_ok_and(|files| files.count() > 10)
        })
    });
    send("-TERM", &child);
    let (status, stderr) = finish(child);
    // Exit status 143 in the shell.
    assert_eq!(status.signal(), Some(SIGTERM), "{status} {stderr}");
    let removed: usize = stderr
        .strip_prefix("recast: interrupted; removed ")
        .and_then(|rest| rest.strip_suffix(" temporary files\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!((11..50_000).contains(&removed), "{stderr}");
    assert!(names_in(&od).is_empty(), "{:?}", names_in(&od));
}

#[test]
fn an_interrupted_in_place_migration_says_how_many_files_were_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("archive");
    fs::create_dir(&archive).unwrap();
    let total = 2000;
    let old = |i: usize| format!("---\ntitle: Article {i}\n---\n\nBody {i}.\n");
    let new = |i: usize| format!("---\ntitle: Article {i}\nreviewed: true\n---\n\nBody {i}.\n");
    for i in 0..total {
        fs::write(archive.join(format!("{i:04}.md")), old(i)).unwrap();
    }
    let first = archive.join("0000.md");
    let mut child = spawn_recast(
        &["migrate", "archive", "--set", "reviewed=true", "--in-place"],
        dir.path(),
    );
    wait_until(&mut child, "the first file was replaced", || {
        fs::read_to_string(&first).is_ok_and(|text| text.contains("reviewed: true"))
    });
    send("-INT", &child);
    let (status, stderr) = finish(child);
    assert_eq!(status.signal(), Some(SIGINT), "{status} {stderr}");
    // Every file is whole, old or new, and exactly as many are new as the message says.
    let mut replaced = 0;
    for i in 0..total {
        let text = fs::read_to_string(archive.join(format!("{i:04}.md"))).unwrap();
        assert!(text == old(i) || text == new(i), "{i:04}.md: {text:?}");
        replaced += usize::from(text == new(i));
    }
    assert!(
        stderr.starts_with("recast: interrupted; removed "),
        "{stderr}"
    );
    let counts = format!(
        "; {replaced} of {total} files were already replaced, the other {} are as they were\n",
        total - replaced
    );
    assert!(stderr.ends_with(&counts), "{stderr} (expected{counts})");
    assert!(leftovers(&archive).is_empty());
}

// Case 8: a run never reads what it writes; `.xml` feeds are read by their content.

fn items(path: &Path) -> usize {
    let text = fs::read_to_string(path).unwrap();
    text.matches("<item>").count() + text.matches("<entry>").count()
}

#[test]
fn a_feed_written_into_its_input_folder_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let archive = copy_archive(dir.path());
    for (output, to) in [("feed.rss", &["--to", "rss"][..]), ("feed.xml", &[][..])] {
        let feed = archive.join(output);
        for _ in 0..3 {
            recast()
                .current_dir(dir.path())
                // The samples' `published: false` articles are drafts: --drafts keeps all 13.
                .args([
                    "convert",
                    "archive",
                    "-o",
                    &format!("archive/{output}"),
                    "--drafts",
                ])
                .args(to)
                .assert()
                .success();
            assert_eq!(items(&feed), 13, "{output}");
        }
        // From the second run on, the walk meets the output and says it skips it.
        recast()
            .current_dir(dir.path())
            .args(["convert", "archive", "-o", &format!("archive/{output}")])
            .args(to)
            .assert()
            .success()
            .stderr(predicate::str::contains(format!(
                "archive/{output}: skipped: it is the output of this run (-o)"
            )));
        assert!(fs::read_to_string(&feed).unwrap().contains("<rss"));
        fs::remove_file(feed).unwrap();
    }
    // migrate -o too.
    for _ in 0..2 {
        recast()
            .current_dir(dir.path())
            .args([
                "migrate",
                "archive",
                "--set",
                "x=1",
                "-o",
                "archive/all.json",
            ])
            .assert()
            .success();
        assert_eq!(records_of(&archive.join("all.json"), &[]).len(), 13);
    }
}

#[test]
fn xml_feeds_in_a_folder_are_read_by_their_content() {
    let dir = tempfile::tempdir().unwrap();
    let feeds = dir.path().join("feeds");
    fs::create_dir(&feeds).unwrap();
    fs::copy(sample("archive.rss"), feeds.join("feed.xml")).unwrap();
    fs::copy(sample("archive.atom"), feeds.join("index.xml")).unwrap();
    let sitemap =
        "<?xml version=\"1.0\"?>\n<urlset><url><loc>https://x.org/</loc></url></urlset>\n";
    fs::write(feeds.join("sitemap.xml"), sitemap).unwrap();
    fs::write(feeds.join("notes.txt"), "not a feed").unwrap();
    let rss = records_of(&sample("archive.rss"), &[]);
    let atom = records_of(&sample("archive.atom"), &[]);
    let both: Vec<String> = rss.iter().chain(&atom).cloned().collect();
    for from in [&[][..], &["--from", "rss"][..], &["--from", "atom"][..]] {
        let output = recast()
            .args(["convert", feeds.to_str().unwrap(), "--to", "jsonl"])
            .args(from)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        // The sitemap is skipped silently, as unknown files are.
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{from:?}");
        let records = canonical_jsonl(&String::from_utf8(output.stdout).unwrap());
        assert_eq!(records, both, "{from:?}");
    }
}

#[test]
fn xml_output_names_pick_rss_or_atom() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name);
    let cases: [(&str, &str, &[&str], &str); 6] = [
        ("samples/archive", "feed.xml", &[], "<rss"),
        ("samples/archive", "atom.xml", &[], "<feed"),
        ("samples/archive", "index.xml", &["--to", "atom"], "<feed"),
        ("samples/archive.atom", "from-atom.xml", &[], "<feed"),
        ("samples/archive.rss", "from-rss.xml", &[], "<rss"),
        (
            "samples/archive.json",
            "from-json.xml",
            &[
                "--feed-title",
                "T",
                "--feed-link",
                "https://x.org/",
                "--feed-description",
                "D",
            ],
            "<rss",
        ),
    ];
    for (input, name, extra, root_element) in cases {
        recast()
            // The samples' `published: false` articles are drafts: --drafts keeps all 13.
            .args([
                "convert",
                input,
                "-o",
                out(name).to_str().unwrap(),
                "--drafts",
            ])
            .args(extra)
            .assert()
            .success();
        let text = fs::read_to_string(out(name)).unwrap();
        assert!(text.contains(root_element), "{name}: {text}");
        assert_eq!(items(&out(name)), 13, "{name}");
    }
    recast()
        .args(["migrate", "samples/archive.atom", "--set", "x=1", "-o"])
        .arg(out("migrated.xml"))
        .assert()
        .success();
    let migrated = fs::read_to_string(out("migrated.xml")).unwrap();
    assert!(migrated.contains("<feed"), "{migrated}");
}

// Case 9: a closed pipe.

#[test]
fn a_closed_standard_output_ends_quietly_like_jq() {
    let dir = tempfile::tempdir().unwrap();
    big_jsonl(dir.path(), 100_000);
    let runs: [(&[&str], &str); 2] = [
        (
            &["convert", "big.jsonl", "--to", "jsonl"],
            r#"{"title":"Article 0""#,
        ),
        // One problem a record: no link.
        (&["validate", "big.jsonl"], "big.jsonl:1: missing a link"),
    ];
    for (args, first_line) in runs {
        let mut child = spawn_recast(args, dir.path());
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert!(line.starts_with(first_line), "{line}");
        drop(stdout);
        let (status, stderr) = finish(child);
        // Killed by SIGPIPE, as jq, Miller and yq are: the shell shows 141.
        assert_eq!(status.signal(), Some(SIGPIPE), "{args:?}: {status}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

#[test]
fn a_broken_pipe_on_a_named_output_is_still_an_error() {
    let dir = tempfile::tempdir().unwrap();
    big_jsonl(dir.path(), 20_000);
    let pipe = dir.path().join("out.jsonl");
    mkfifo(&pipe);
    let reader = {
        let pipe = pipe.clone();
        thread::spawn(move || {
            let mut head = [0u8; 16];
            fs::File::open(pipe).unwrap().read_exact(&mut head).unwrap();
        })
    };
    let output = recast()
        .current_dir(dir.path())
        .args(["convert", "big.jsonl", "--to", "jsonl", "-o", "out.jsonl"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    reader.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("out.jsonl") && stderr.contains("Broken pipe"),
        "{stderr}"
    );
    assert!(is_fifo(&pipe));
}
