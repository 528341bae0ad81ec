//! Hostile input: every case fails fast with a clear, located error, a non-zero exit
//! and no output file — or, for legitimately large input, works.

use crate::support;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use support::*;

/// Runs `recast convert INPUT -o OUT` on hostile bytes and checks the failure: the
/// expected exit code, a message naming the file (and a line when `line` is given), no
/// output file, and quick.
fn assert_refused(name: &str, bytes: &[u8], code: i32, expect_in_message: &[&str]) {
    assert_refused_with(name, bytes, &[], code, expect_in_message);
}

/// [`assert_refused`] with more flags for `recast convert`.
pub(crate) fn assert_refused_with(
    name: &str,
    bytes: &[u8],
    flags: &[&str],
    code: i32,
    expect_in_message: &[&str],
) {
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
        .args(flags)
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

#[test]
fn deep_yaml_mappings_are_refused() {
    let depth = 200_000;
    let flow = format!("---\n{}1\n", "{a: ".repeat(depth));
    assert_refused("deep-map.yaml", flow.as_bytes(), LIMIT, &[]);
    let front_matter = format!("---\ntitle: x\nnested: {}1\n---\n", "{a: ".repeat(depth));
    assert_refused("deep-map.md", front_matter.as_bytes(), LIMIT, &[]);
}

/// A secret file an external entity points at; its text must appear nowhere.
const SECRET: &str = "recast-secret-7c1e";

fn secret_file(dir: &Path) -> String {
    let secret = dir.join("secret.txt");
    fs::write(&secret, SECRET).unwrap();
    format!("file://{}", secret.display())
}

#[test]
fn xml_entity_declarations_are_refused_and_never_expanded_or_read() {
    let dir = tempfile::tempdir().unwrap();
    let url = secret_file(dir.path());
    let xxe = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n  <!ENTITY xxe SYSTEM \"{url}\">\n]>\n\
         <rss version=\"2.0\"><channel><title>t</title>\n<item><title>&xxe;</title></item>\n\
         </channel></rss>\n"
    );
    assert_refused("xxe.rss", xxe.as_bytes(), LIMIT, &["xxe.rss:", "entities"]);
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE feed [\n<!ENTITY l0 \"lol\">\n");
    for level in 1..10 {
        let previous = format!("&l{};", level - 1).repeat(10);
        laughs.push_str(&format!("<!ENTITY l{level} \"{previous}\">\n"));
    }
    laughs.push_str("]>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>&l9;</title></feed>\n");
    assert_refused("laughs.atom", laughs.as_bytes(), LIMIT, &["laughs.atom:"]);
    let parameter = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY % p SYSTEM \"{url}\"> %p;]>\n\
         <rss version=\"2.0\"><channel><title>t</title></channel></rss>\n"
    );
    assert_refused(
        "parameter.rss",
        parameter.as_bytes(),
        LIMIT,
        &["parameter.rss:"],
    );
}

#[test]
fn an_external_dtd_is_never_read() {
    let dir = tempfile::tempdir().unwrap();
    // A real DTD: were it read, `&secret;` would expand to the secret.
    let dtd = dir.path().join("secret.dtd");
    fs::write(&dtd, format!("<!ENTITY secret \"{SECRET}\">\n")).unwrap();
    let url = format!("file://{}", dtd.display());
    let input = dir.path().join("external.rss");
    fs::write(
        &input,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"{url}\">\n<rss version=\"2.0\">\
             <channel><title>t</title><item><title>a &secret; b</title></item></channel></rss>\n"
        ),
    )
    .unwrap();
    let output = recast()
        .args(["convert", input.to_str().unwrap(), "--to", "jsonl"])
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!all.contains(SECRET), "the external DTD was read: {all}");
    assert!(all.contains("a &secret; b"), "kept as written: {all}");
    assert!(!all.contains("panicked"), "{all}");
}

#[test]
fn truncated_xml_says_where() {
    assert_refused(
        "cut.rss",
        b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>t</title>\n<item><title>a",
        BAD_INPUT,
        &["cut.rss:"],
    );
    assert_refused(
        "cut.atom",
        b"<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>t</title>\n<entry><title>a</title>\n",
        BAD_INPUT,
        &["cut.atom:"],
    );
}

#[test]
fn ragged_csv_names_the_file_and_row() {
    assert_refused(
        "ragged.csv",
        b"title,quality\nfirst,1\nsecond,2,extra\n",
        BAD_INPUT,
        &["ragged.csv:3", "row 2 has 3 fields"],
    );
    assert_refused(
        "ragged.tsv",
        b"title\tquality\nfirst\n",
        BAD_INPUT,
        &["ragged.tsv:2", "row 1 has 1 field, but the header has 2"],
    );
}

#[test]
fn invalid_utf8_is_located_in_every_text_format() {
    assert_refused(
        "latin1.yaml",
        b"---\ntitle: ok\n---\ntitle: caf\xE9\n",
        BAD_INPUT,
        &["latin1.yaml:4:", "UTF-8"],
    );
    assert_refused(
        "latin1.json",
        b"[\n{\"title\": \"caf\xE9\"}]",
        BAD_INPUT,
        &["latin1.json:2:", "UTF-8"],
    );
    assert_refused(
        "latin1.csv",
        b"title\nok\ncaf\xE9\n",
        BAD_INPUT,
        &["latin1.csv:3", "UTF-8"],
    );
}

#[test]
fn symbolic_links_never_leave_the_input_tree_nor_loop() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(
        outside.join("secret.md"),
        format!("---\ntitle: {SECRET}\n---\n"),
    )
    .unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(input.join("sub")).unwrap();
    fs::write(input.join("a.md"), "---\ntitle: a\n---\n").unwrap();
    fs::write(input.join("sub/b.md"), "---\ntitle: b\n---\n").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.md"), input.join("file-out.md")).unwrap();
    std::os::unix::fs::symlink(&outside, input.join("folder-out")).unwrap();
    // Two links to the folder itself would otherwise walk 2^40 paths.
    std::os::unix::fs::symlink(".", input.join("loop1")).unwrap();
    std::os::unix::fs::symlink("..", input.join("sub/loop2")).unwrap();
    // A link inside the tree is followed.
    std::os::unix::fs::symlink("sub/b.md", input.join("c.md")).unwrap();
    let output = recast()
        .args(["convert", input.to_str().unwrap(), "--to", "jsonl"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(
        canonical_jsonl(&stdout),
        [r#"{"title":"a"}"#, r#"{"title":"b"}"#, r#"{"title":"b"}"#],
        "{stderr}"
    );
    assert!(!stdout.contains(SECRET));
    for link in ["file-out.md", "folder-out", "loop1", "loop2"] {
        assert!(
            stderr.contains(&format!("{link}: skipped")),
            "warning for {link}: {stderr}"
        );
    }
}

#[test]
fn names_from_templates_never_leave_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(
        &input,
        "{\"title\": \"../../escaped\"}\n{\"title\": \"/etc/cron.d/x\"}\n{\"title\": \"..\"}\n",
    )
    .unwrap();
    let out = dir.path().join("deep/out");
    run_ok(&[
        "convert",
        input.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--name",
        "{title}",
    ]);
    let mut written = Vec::new();
    let mut stack = vec![dir.path().to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path != input {
                written.push(path);
            }
        }
    }
    assert_eq!(written.len(), 3, "{written:?}");
    for path in &written {
        assert!(
            path.starts_with(&out),
            "{} left the output folder",
            path.display()
        );
    }
}

#[test]
fn in_place_keeps_each_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let modes = [0o600, 0o640, 0o755];
    for (i, mode) in modes.iter().enumerate() {
        let path = dir.path().join(format!("{i}.md"));
        fs::write(&path, format!("---\ntitle: t{i}\n---\n\nBody.\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(*mode)).unwrap();
    }
    run_ok(&[
        "migrate",
        dir.path().to_str().unwrap(),
        "--set",
        "draft=false",
        "--in-place",
    ]);
    for (i, mode) in modes.iter().enumerate() {
        let path = dir.path().join(format!("{i}.md"));
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("draft: false"), "{text}");
        let now = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(now, *mode, "{i}.md: {now:o}");
    }
    assert_no_temporary_files(dir.path());
}

#[test]
fn a_folder_of_thousands_of_files_reads_in_order() {
    // bench/large_inputs.sh runs the same with 200,000 files; this size stays cheap.
    let dir = tempfile::tempdir().unwrap();
    let count = 5_000;
    for i in 0..count {
        fs::write(
            dir.path().join(format!("{i:05}.md")),
            format!("---\ntitle: t{i}\n---\n\nBody {i}.\n"),
        )
        .unwrap();
    }
    let started = Instant::now();
    let out = run_ok(&["convert", dir.path().to_str().unwrap(), "--to", "jsonl"]);
    let took = started.elapsed();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), count);
    assert_eq!(lines[0], r#"{"title":"t0","body":"Body 0.\n"}"#);
    assert_eq!(
        lines[count - 1],
        r#"{"title":"t4999","body":"Body 4999.\n"}"#
    );
    assert!(
        took < Duration::from_secs(30),
        "{count} files took {took:?}"
    );
}

#[test]
fn a_record_over_the_size_limit_is_refused() {
    let big = "x".repeat(2 << 20);
    let jsonl = format!("{{\"title\": \"small\"}}\n{{\"title\": \"{big}\"}}\n");
    let limit = ["--max-record-size", "1M"];
    assert_refused_with(
        "big.jsonl",
        jsonl.as_bytes(),
        &limit,
        LIMIT,
        &["big.jsonl:2:"],
    );
    let json = format!("[{{\"title\": \"small\"}},\n{{\"title\": \"{big}\"}}]");
    assert_refused_with("big.json", json.as_bytes(), &limit, LIMIT, &["big.json:2:"]);
    let yaml = format!("---\ntitle: small\n---\ntitle: {big}\n");
    assert_refused_with("big.yaml", yaml.as_bytes(), &limit, LIMIT, &["big.yaml:3"]);
    let md = format!("---\ntitle: small\n---\n\n{big}\n");
    assert_refused_with("big.md", md.as_bytes(), &limit, LIMIT, &["big.md"]);
    let csv = format!("title\nsmall\n\"{big}\"\n");
    assert_refused_with(
        "big.csv",
        csv.as_bytes(),
        &limit,
        LIMIT,
        &["big.csv:3", "row 2"],
    );
    // The same records pass under the default limit (256M).
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    fs::write(&input, &jsonl).unwrap();
    let out = run_ok(&["convert", input.to_str().unwrap(), "--to", "jsonl"]);
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn no_network_access_even_when_the_input_points_at_a_server() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("remote.rss");
    fs::write(
        &input,
        format!(
            "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"{url}/style.xsl\"?>\n\
             <!DOCTYPE rss SYSTEM \"{url}/rss.dtd\">\n\
             <rss version=\"2.0\" xmlns:xi=\"http://www.w3.org/2001/XInclude\"><channel>\
             <title>t</title><link>{url}/</link><description>d</description>\
             <item><title>a</title><link>{url}/a</link><enclosure url=\"{url}/a.mp3\" \
             length=\"1\" type=\"audio/mpeg\"/><xi:include href=\"{url}/x.xml\"/></item>\
             </channel></rss>\n"
        ),
    )
    .unwrap();
    for to in ["jsonl", "rss", "atom", "md"] {
        let mut command = recast();
        command.args(["convert", input.to_str().unwrap(), "--to", to]);
        if to == "md" {
            command.args(["--out-dir", dir.path().join("md").to_str().unwrap()]);
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{to}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("recast connected to {url}: {other:?}"),
    }
}
