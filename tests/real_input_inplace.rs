//! Issue 11 ("Real input, nothing lost"), the in-place cases: `migrate --in-place` checks
//! every file before replacing any and never overwrites another editor's save (case 7),
//! keeps each file's form (case 10), follows symbolic links (case 4), and `_index.md`
//! named by a shell glob is the channel, not a record (case 11).

use crate::support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output};
use std::time::{Duration, Instant};

use support::*;
use tempfile::TempDir;

/// Runs `recast ARGS` in `dir`; returns the output.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    recast()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("recast runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Writes `text` to `dir/name` (creating folders) and returns its path.
fn put(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

/// Migrates `name` (written with `text`) in place with `args`, asserts success, and
/// returns the file's new bytes and standard error.
fn migrate_one(name: &str, text: &[u8], args: &[&str]) -> (Vec<u8>, String) {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), name, text);
    let mut all = vec!["migrate", name, "--in-place"];
    all.extend_from_slice(args);
    let output = run_in(dir.path(), &all);
    assert!(output.status.success(), "{}", stderr(&output));
    (fs::read(dir.path().join(name)).unwrap(), stderr(&output))
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

/// Files left behind that start with `.recast-` (temporary files), anywhere below `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path.clone());
            }
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".recast-")
            {
                found.push(path);
            }
        }
    }
    found
}

// ---- case 10: each file keeps its form -------------------------------------------

#[test]
fn a_single_json_object_stays_an_object() {
    let (new, _) = migrate_one(
        "one.json",
        b"{\n  \"title\": \"a\",\n  \"n\": 1\n}\n",
        &["--set", "x=1"],
    );
    assert_eq!(
        text(&new),
        "{\n  \"title\": \"a\",\n  \"n\": 1,\n  \"x\": 1\n}\n"
    );
}

#[test]
fn a_yaml_document_holding_a_list_stays_a_list() {
    let (new, _) = migrate_one(
        "list.yaml",
        b"- title: a\n  quality: 1\n- title: b\n",
        &["--set", "x=1"],
    );
    assert_eq!(
        text(&new),
        "- title: a\n  quality: 1\n  x: 1\n- title: b\n  x: 1\n"
    );
}

#[test]
fn a_selected_array_is_replaced_inside_its_wrapper() {
    // Laid out as jq, JSON.stringify(v, null, 2) and Python's indent=2 write: everything
    // outside the selected array stays byte for byte.
    let dump = "{\n  \"status\": \"ok\",\n  \"meta\": {\n    \"count\": 2,\n    \"next\": null\n  },\n  \"news\": [\n    {\n      \"title\": \"a\"\n    },\n    {\n      \"title\": \"b\",\n      \"draft\": true\n    }\n  ],\n  \"version\": 1.0\n}\n";
    let (new, _) = migrate_one(
        "dump.json",
        dump.as_bytes(),
        &["--select", "/news", "--default", "draft=false"],
    );
    assert_eq!(
        text(&new),
        dump.replace(
            "      \"title\": \"a\"\n",
            "      \"title\": \"a\",\n      \"draft\": false\n"
        )
    );
    // A one-line dump with Python's separators stays one line with them.
    let line = "{\"meta\": {\"count\": 2}, \"news\": [{\"title\": \"a\"}, {\"title\": \"b\"}]}\n";
    let (new, _) = migrate_one(
        "line.json",
        line.as_bytes(),
        &["--select", "/news", "--set", "x=1"],
    );
    assert_eq!(
        text(&new),
        "{\"meta\": {\"count\": 2}, \"news\": [{\"title\": \"a\", \"x\": 1}, {\"title\": \"b\", \"x\": 1}]}\n"
    );
}

#[test]
fn a_select_that_names_nothing_is_an_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dump = b"{\"news\": [{\"title\": \"a\"}]}\n";
    put(dir.path(), "dump.json", dump);
    let output = run_in(
        dir.path(),
        &[
            "migrate",
            "dump.json",
            "--select",
            "/items",
            "--set",
            "x=1",
            "--in-place",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("/items"), "{}", stderr(&output));
    assert_eq!(fs::read(dir.path().join("dump.json")).unwrap(), dump);
    // `--select` on a sheet would do nothing: it is an error.
    put(dir.path(), "sheet.csv", b"title\na\n");
    let output = run_in(
        dir.path(),
        &[
            "migrate",
            "sheet.csv",
            "--select",
            "/news",
            "--set",
            "x=1",
            "--in-place",
        ],
    );
    // A usage error: the flag cannot take effect on this input.
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("picks records inside a JSON document, and sheet.csv is csv"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read(dir.path().join("sheet.csv")).unwrap(),
        b"title\na\n"
    );
}

#[test]
fn an_excel_csv_keeps_its_bom_and_crlf() {
    let (new, _) = migrate_one(
        "sheet.csv",
        b"\xEF\xBB\xBFtitle,quality,note\r\nCaf\xC3\xA9,39,\"two\nlines\"\r\nb,40,\r\n",
        &["--set", "reviewed=yes"],
    );
    // The line break inside the quoted cell is data: it stays LF.
    assert_eq!(
        text(&new),
        "\u{feff}title,quality,note,reviewed\r\nCafé,39,\"two\nlines\",yes\r\nb,40,,yes\r\n"
    );
}

#[test]
fn a_semicolon_sheet_keeps_its_delimiter_and_its_sep_line() {
    // Excel in a European locale: `sep=;`, BOM, CRLF.
    let (new, _) = migrate_one(
        "excel.csv",
        b"\xEF\xBB\xBFsep=;\r\ntitle;price\r\nApple;1,5\r\n",
        &["--set", "x=1"],
    );
    assert_eq!(
        text(&new),
        "\u{feff}sep=;\r\ntitle;price;x\r\nApple;1,5;1\r\n"
    );
    // No `sep=` line: the sniffed `;` is kept, and no line is added.
    let (new, _) = migrate_one("plain.csv", b"title;price\nPear;2\n", &["--set", "x=1"]);
    assert_eq!(text(&new), "title;price;x\nPear;2;1\n");
}

#[test]
fn a_tsv_keeps_its_tabs_and_its_missing_final_line_break() {
    let (new, _) = migrate_one("sheet.tsv", b"title\tquality\na\t1", &["--set", "x=ok"]);
    assert_eq!(text(&new), "title\tquality\tx\na\t1\tok");
}

#[test]
fn json_lines_and_yaml_streams_keep_bom_crlf_and_final_line_break() {
    let (new, _) = migrate_one(
        "posts.jsonl",
        b"\xEF\xBB\xBF{\"a\": 1}\r\n{\"a\": 2}\r\n",
        &["--set", "x=1"],
    );
    assert_eq!(
        text(&new),
        "\u{feff}{\"a\": 1, \"x\": 1}\r\n{\"a\": 2, \"x\": 1}\r\n"
    );
    let (new, _) = migrate_one("compact.jsonl", b"{\"a\":1}\n{\"a\":2}", &["--set", "x=1"]);
    assert_eq!(text(&new), "{\"a\":1,\"x\":1}\n{\"a\":2,\"x\":1}");
    let (new, _) = migrate_one(
        "stream.yaml",
        b"---\r\na: 1\r\n---\r\na: 2\r\n",
        &["--set", "x=1"],
    );
    assert_eq!(text(&new), "---\r\na: 1\r\nx: 1\r\n---\r\na: 2\r\nx: 1\r\n");
    // A stream that did not open with `---` does not get one.
    let (new, _) = migrate_one("bare.yaml", b"a: 1\n---\na: 2", &["--set", "x=1"]);
    assert_eq!(text(&new), "a: 1\nx: 1\n---\na: 2\nx: 1");
}

#[test]
fn markdown_without_front_matter_is_left_alone_with_a_warning() {
    // Issue 13 changed this: TOML (`+++`) front matter is migrated now, in its dialect;
    // only files with no front matter at all are left alone.
    let dir = tempfile::tempdir().unwrap();
    let hugo = b"+++\ntitle = \"Hugo post\"\n+++\n\nBody.\n";
    let readme = b"# Notes\n\nNot a post.\n";
    put(dir.path(), "g/hugo.md", hugo);
    put(dir.path(), "g/README.md", readme);
    put(dir.path(), "g/empty.md", b"");
    put(
        dir.path(),
        "g/post.md",
        b"---\ntitle: A post\n---\n\nBody.\n",
    );
    let output = run_in(
        dir.path(),
        &["migrate", "g", "--default", "draft=false", "--in-place"],
    );
    let err = stderr(&output);
    assert!(output.status.success(), "{err}");
    for name in ["README.md", "empty.md"] {
        assert!(
            err.contains(&format!("warning: g/{name}: skipped: no front matter")),
            "{name} is not named: {err}"
        );
    }
    assert!(
        err.contains("2 changed, 0 unchanged, 0 skipped, 2 without front matter left alone"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("g/hugo.md")).unwrap(),
        "+++\ntitle = \"Hugo post\"\ndraft = false\n+++\n\nBody.\n"
    );
    assert_eq!(fs::read(dir.path().join("g/README.md")).unwrap(), readme);
    assert_eq!(fs::read(dir.path().join("g/empty.md")).unwrap(), b"");
    assert_eq!(
        fs::read_to_string(dir.path().join("g/post.md")).unwrap(),
        "---\ntitle: A post\ndraft: false\n---\n\nBody.\n"
    );
}

// ---- case 4: a linked file --------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_linked_file_is_written_through_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let target = put(dir.path(), "store/post.md", b"---\ntitle: a\n---\n");
    fs::create_dir(dir.path().join("site")).unwrap();
    std::os::unix::fs::symlink("../store/post.md", dir.path().join("site/post.md")).unwrap();
    // Named on the command line, and walked in a folder beside its target.
    std::os::unix::fs::symlink("post.md", dir.path().join("store/latest.md")).unwrap();
    // The folder walk reads the file twice (itself and `latest.md`): it is replaced once.
    for (input, edit) in [("store", "count=1"), ("site/post.md", "views=2")] {
        let output = run_in(dir.path(), &["migrate", input, "--set", edit, "--in-place"]);
        assert!(output.status.success(), "{input}: {}", stderr(&output));
    }
    let link = fs::symlink_metadata(dir.path().join("site/post.md")).unwrap();
    assert!(link.file_type().is_symlink(), "the link became a file");
    assert!(
        fs::symlink_metadata(dir.path().join("store/latest.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "---\ntitle: a\ncount: 1\nviews: 2\n---\n"
    );
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

// ---- case 11: `_index.md` named by a glob ------------------------------------------

#[test]
fn index_named_by_a_glob_is_the_channel_not_a_record() {
    let archive = sample("archive");
    let mut files: Vec<PathBuf> = fs::read_dir(&archive)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort(); // as the shell expands `samples/archive/*.md`: `_index.md` last
    assert_eq!(files.len(), 14);
    let args: Vec<&str> = files.iter().map(|p| p.to_str().unwrap()).collect();

    let mut jsonl = vec!["convert"];
    jsonl.extend(&args);
    jsonl.extend(["--to", "jsonl"]);
    let records = canonical_jsonl(&run_ok(&jsonl));
    assert_eq!(
        records,
        records_of(&archive, &[]),
        "the glob reads as the folder does"
    );
    assert_eq!(records.len(), 13);

    let mut rss = vec!["convert"];
    rss.extend(&args);
    // The samples' `published: false` articles are drafts: --drafts keeps all 13.
    rss.extend(["--to", "rss", "--drafts"]);
    let feed = run_ok(&rss);
    assert!(
        feed.contains("<title>Health &amp; AI Reading List</title>"),
        "{feed}"
    );
    assert_eq!(feed.matches("<item>").count(), 13);

    // `migrate g/*.md --default draft=false` edits the 13 posts, not the channel.
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for file in &files {
        let name = format!("g/{}", file.file_name().unwrap().to_str().unwrap());
        put(dir.path(), &name, &fs::read(file).unwrap());
        names.push(name);
    }
    let mut migrate = vec!["migrate"];
    migrate.extend(names.iter().map(String::as_str));
    migrate.extend(["--default", "draft=false", "--in-place"]);
    let output = run_in(dir.path(), &migrate);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("13 changed, 0 unchanged"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        fs::read(dir.path().join("g/_index.md")).unwrap(),
        fs::read(archive.join("_index.md")).unwrap()
    );
}

// ---- case 7: check before replacing, never overwrite another editor's save -------

/// Three posts in three folders, `a/`, `b/`, `c/` (replaced in that order).
fn three_posts() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b", "c"] {
        put(
            dir.path(),
            &format!("posts/{name}/post.md"),
            format!("---\ntitle: {name}\n---\n").as_bytes(),
        );
    }
    dir
}

fn post(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(format!("posts/{name}/post.md"))).unwrap()
}

fn old_post(name: &str) -> String {
    format!("---\ntitle: {name}\n---\n")
}

fn new_post(name: &str) -> String {
    format!("---\ntitle: {name}\ndraft: false\n---\n")
}

/// Runs `migrate posts --default draft=false --in-place` with the debug build's pause
/// `variable` set; when recast reaches it, `meanwhile` changes the files, then the run
/// goes on. Returns the output.
fn migrate_pausing(dir: &Path, variable: &str, meanwhile: impl FnOnce()) -> Output {
    let flag = dir.join("go");
    let ready = dir.join("go.ready");
    let child = Process::new(assert_cmd::cargo::cargo_bin("recast"))
        .current_dir(dir)
        .args(["migrate", "posts", "--default", "draft=false", "--in-place"])
        .env(variable, &flag)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !ready.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "recast never paused"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    meanwhile();
    fs::write(&flag, "").unwrap();
    let output = child.wait_with_output().unwrap();
    fs::remove_file(&flag).unwrap();
    fs::remove_file(&ready).unwrap();
    output
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the pause hooks exist in debug builds only"
)]
fn a_file_saved_by_another_editor_before_the_check_stops_the_run() {
    let dir = three_posts();
    let saved = "---\ntitle: b, as another editor saved it\n---\n";
    let output = migrate_pausing(dir.path(), "RECAST_TEST_PAUSE_BEFORE_CHECK", || {
        fs::write(dir.path().join("posts/b/post.md"), saved).unwrap();
    });
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("posts/b/post.md: changed on disk since it was read"),
        "{err}"
    );
    assert!(err.contains("nothing was replaced"), "{err}");
    assert_eq!(post(dir.path(), "a"), old_post("a"));
    assert_eq!(post(dir.path(), "b"), saved);
    assert_eq!(post(dir.path(), "c"), old_post("c"));
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the pause hooks exist in debug builds only"
)]
fn a_save_that_keeps_size_and_time_is_still_seen() {
    // Same length, and the modification time put back: only the content tells.
    let dir = three_posts();
    let path = dir.path().join("posts/b/post.md");
    let output = migrate_pausing(dir.path(), "RECAST_TEST_PAUSE_BEFORE_CHECK", || {
        let time = fs::metadata(&path).unwrap().modified().unwrap();
        fs::write(&path, "---\ntitle: B\n---\n").unwrap();
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(time)
            .unwrap();
    });
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(post(dir.path(), "b"), "---\ntitle: B\n---\n");
    assert_eq!(post(dir.path(), "a"), old_post("a"));
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the pause hooks exist in debug builds only"
)]
fn a_target_that_is_no_longer_a_file_stops_the_run_before_any_replace() {
    let dir = three_posts();
    let output = migrate_pausing(dir.path(), "RECAST_TEST_PAUSE_BEFORE_CHECK", || {
        let path = dir.path().join("posts/c/post.md");
        fs::remove_file(&path).unwrap();
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), "x").unwrap();
    });
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains("posts/c/post.md: no longer a regular file"),
        "{err}"
    );
    assert_eq!(post(dir.path(), "a"), old_post("a"));
    assert_eq!(post(dir.path(), "b"), old_post("b"));
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the pause hooks exist in debug builds only"
)]
fn a_file_saved_between_the_check_and_its_rename_is_skipped_and_named() {
    let dir = three_posts();
    let saved = "---\ntitle: b, saved at the last moment\n---\n";
    let output = migrate_pausing(dir.path(), "RECAST_TEST_PAUSE_BEFORE_REPLACE", || {
        fs::write(dir.path().join("posts/b/post.md"), saved).unwrap();
    });
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "posts/b/post.md: changed on disk while the run was replacing files; not replaced"
        ),
        "{err}"
    );
    assert!(err.contains("2 changed, 0 unchanged, 1 skipped"), "{err}");
    assert_eq!(post(dir.path(), "a"), new_post("a"));
    assert_eq!(post(dir.path(), "b"), saved);
    assert_eq!(post(dir.path(), "c"), new_post("c"));
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the pause hooks exist in debug builds only"
)]
fn a_rename_that_fails_names_the_files_replaced_and_those_not() {
    // Another program removes b's staged temporary file: its rename fails after a's
    // has been done.
    let dir = three_posts();
    let output = migrate_pausing(dir.path(), "RECAST_TEST_PAUSE_BEFORE_REPLACE", || {
        let staged = leftovers(&dir.path().join("posts/b"));
        assert_eq!(staged.len(), 1, "b is staged beside itself");
        fs::remove_file(&staged[0]).unwrap();
    });
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{err}");
    assert!(err.contains("recast: replaced: posts/a/post.md\n"), "{err}");
    assert!(
        err.contains("recast: not replaced: posts/b/post.md\n"),
        "{err}"
    );
    assert!(
        err.contains("recast: not replaced: posts/c/post.md\n"),
        "{err}"
    );
    assert!(
        err.contains("cannot replace posts/b/post.md; 1 of 3 file(s) were replaced and 2 were not"),
        "{err}"
    );
    assert_eq!(post(dir.path(), "a"), new_post("a"));
    assert_eq!(post(dir.path(), "b"), old_post("b"));
    assert_eq!(post(dir.path(), "c"), old_post("c"));
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
    // Running again finishes the job and leaves a as it is.
    let again = run_in(
        dir.path(),
        &["migrate", "posts", "--default", "draft=false", "--in-place"],
    );
    assert!(
        stderr(&again).contains("2 changed, 1 unchanged"),
        "{}",
        stderr(&again)
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_subfolder_stops_the_run_before_any_replace() {
    use std::os::unix::fs::PermissionsExt;
    let dir = three_posts();
    let folder = dir.path().join("posts/b");
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
    let args = ["migrate", "posts", "--default", "draft=false", "--in-place"];
    // Root writes into read-only folders: as root, the run is made as `nobody` (uid
    // 65534) with setpriv, on files it owns and a copy of the binary it can run.
    let probe = folder.join("probe");
    let output = if fs::write(&probe, "").is_ok() {
        fs::remove_file(&probe).unwrap();
        let binary = dir.path().join("recast");
        fs::copy(assert_cmd::cargo::cargo_bin("recast"), &binary).unwrap();
        let mut owned = vec![dir.path().to_path_buf()];
        while let Some(path) = owned.pop() {
            std::os::unix::fs::lchown(&path, Some(65534), Some(65534)).unwrap();
            if path.is_dir() {
                owned.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            }
        }
        match Process::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&binary)
            .args(args)
            .current_dir(dir.path())
            .output()
        {
            Ok(output) => output,
            Err(error) => {
                fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
                eprintln!("note: running as root without setpriv ({error}); test skipped");
                return;
            }
        }
    } else {
        run_in(dir.path(), &args)
    };
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(3), "{err}");
    assert!(
        err.contains("posts/b/post.md: cannot create a temporary file in posts/b"),
        "{err}"
    );
    assert!(err.contains("nothing was replaced"), "{err}");
    assert_eq!(post(dir.path(), "a"), old_post("a"));
    assert_eq!(post(dir.path(), "b"), old_post("b"));
    assert_eq!(post(dir.path(), "c"), old_post("c"));
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

/// An in-place run holds no open file per staged file: a folder of more files than the
/// process may open at once is rewritten whole (it once failed with "Too many open
/// files" past the limit).
#[test]
fn more_files_than_open_descriptors_are_rewritten() {
    let dir = TempDir::new().unwrap();
    for i in 0..300 {
        put(
            dir.path(),
            &format!("post-{i:03}.md"),
            format!("---\ntitle: Post {i}\n---\nBody {i}\n").as_bytes(),
        );
    }
    let binary = assert_cmd::cargo::cargo_bin("recast");
    let script = format!(
        "ulimit -n 64 && exec '{}' migrate . --set reviewed=true --in-place",
        binary.display()
    );
    let output = Process::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    for i in [0, 150, 299] {
        let text = fs::read_to_string(dir.path().join(format!("post-{i:03}.md"))).unwrap();
        assert_eq!(
            text,
            format!("---\ntitle: Post {i}\nreviewed: true\n---\nBody {i}\n")
        );
    }
    assert!(leftovers(dir.path()).is_empty());
}

/// A migration leaves the access time of the files it reads as it was (Linux, the
/// files' owner: `O_NOATIME`): reading a file to migrate it is not a use.
#[cfg(target_os = "linux")]
#[test]
fn reading_leaves_access_times_as_they_were() {
    let dir = TempDir::new().unwrap();
    let kept = put(dir.path(), "kept.md", b"---\ntitle: Kept\n---\nBody\n");
    put(dir.path(), "edited.md", b"---\ntitle: Edited\n---\nBody\n");
    // Older than the file's change: a read under `relatime` would record it.
    let long_ago = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(946_684_800);
    let set_access = |path: &Path| {
        let times = fs::FileTimes::new().set_accessed(long_ago);
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_times(times)
            .unwrap();
    };
    set_access(&kept);
    let accessed = |path: &Path| fs::metadata(path).unwrap().accessed().unwrap();
    let output = run_in(
        dir.path(),
        &[
            "migrate",
            ".",
            "--where",
            "title=Edited",
            "--set",
            "x=1",
            "--in-place",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let edited = fs::read_to_string(dir.path().join("edited.md")).unwrap();
    assert!(edited.contains("x: 1"), "{edited}");
    assert_eq!(
        accessed(&kept),
        long_ago,
        "recast's read recorded an access"
    );
    // The file system records accesses: a plain read does.
    fs::read(&kept).unwrap();
    if accessed(&kept) == long_ago {
        eprintln!(
            "note: this file system does not record reads (noatime); the check above proves nothing here"
        );
    }
}
