//! Markdown and YAML edge cases: encodings, line ends, body rules, located errors, and
//! hostile input that must fail fast with a `Limit` error instead of exhausting memory or
//! the stack.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use recast_model::{ErrorKind, Record, RecordWriter, Value};
use recast_yaml::{
    MarkdownWriter, YamlReadOptions, YamlReader, parse_value, read_markdown, to_markdown_string,
};

fn file() -> Option<Arc<Path>> {
    Some(Path::new("post.md").into())
}

fn md(text: &[u8]) -> Record {
    read_markdown(text, file()).unwrap_or_else(|e| panic!("{e}"))
}

fn md_error(text: &[u8]) -> recast_model::Error {
    read_markdown(text, file()).expect_err("expected an error")
}

#[test]
fn bom_is_skipped() {
    let record = md(b"\xEF\xBB\xBF---\ntitle: x\n---\n\nBody\n");
    assert_eq!(record.fields["title"], "x".into());
    assert_eq!(record.body(), Some("Body\n"));
}

#[test]
fn crlf_files_keep_their_body_byte_for_byte() {
    let record = md(b"---  \r\ntitle: x\r\ntext: |\r\n  a\r\n  b\r\n---\r\n\r\nLine one\r\n\r\n---\r\nLine two  \r\n");
    assert_eq!(record.fields["title"], "x".into());
    assert_eq!(record.fields["text"], "a\nb\n".into());
    assert_eq!(record.body(), Some("Line one\r\n\r\n---\r\nLine two  \r\n"));
}

#[test]
fn closing_line_at_end_of_file_means_no_body() {
    let record = md(b"---\ntitle: x\n---");
    assert_eq!(record.body(), None);
    assert_eq!(record.fields.len(), 1);
    let record = md(b"---\ntitle: x\n---   ");
    assert_eq!(record.body(), None);
    let record = md(b"---\ntitle: x\n...\n");
    assert_eq!(record.body(), None);
}

#[test]
fn empty_body_differs_from_no_body() {
    assert_eq!(md(b"---\na: 1\n---\n").body(), None);
    assert_eq!(md(b"---\na: 1\n---\n\n").body(), Some(""));
    assert_eq!(md(b"---\na: 1\n---\n\n\n").body(), Some("\n"));
    assert_eq!(
        md(b"---\na: 1\n---\nNo separator\n").body(),
        Some("No separator\n")
    );
    // The body is appended last, after every front-matter field.
    let record = md(b"---\na: 1\nz: 2\n---\n\nx");
    assert_eq!(record.fields.keys().collect::<Vec<_>>(), ["a", "z", "body"]);
}

#[test]
fn body_keeps_rules_and_fenced_yaml() {
    let text = "---\ntitle: x\n---\n\nIntro\n\n---\n\n```yaml\n---\nkey: value\n...\n```\n";
    let record = md(text.as_bytes());
    assert_eq!(record.fields.len(), 2);
    assert_eq!(
        record.body(),
        Some("Intro\n\n---\n\n```yaml\n---\nkey: value\n...\n```\n")
    );
}

#[test]
fn file_without_front_matter_is_all_body() {
    let record = md(b"# Just Markdown\n\nText.\n");
    assert_eq!(record.fields.len(), 1);
    assert_eq!(record.body(), Some("# Just Markdown\n\nText.\n"));
    // `----` is a thematic break, not front matter.
    assert_eq!(md(b"----\na: 1\n").body(), Some("----\na: 1\n"));
}

#[test]
fn empty_front_matter_is_an_empty_record() {
    let record = md(b"---\n---\n\nHi\n");
    assert_eq!(record.fields.keys().collect::<Vec<_>>(), ["body"]);
    let record = md(b"---\n# only a comment\n---\n");
    assert!(record.fields.is_empty());
}

#[test]
fn yaml_errors_in_front_matter_name_the_file_line() {
    let e = md_error(b"---\ntitle: x\ntags: [a, b\nother: 1\n---\n");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.to_string().starts_with("post.md:"), "{e}");
    assert!((3..=5).contains(&e.location.line), "{e}");
    let e = md_error(b"---\na: 1\nb: 2\n  c: 3\n---\n");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.location.line, 4, "{e}");
    let e = md_error(b"---\na: 1\n\nb: 2\na: 3\n---\n");
    assert_eq!(
        (e.kind, e.location.line, e.location.column),
        (ErrorKind::Data, 5, 1)
    );
    assert!(
        e.to_string()
            .starts_with("post.md:5:1: duplicate key \"a\""),
        "{e}"
    );
}

#[test]
fn unclosed_front_matter_and_non_mappings_are_errors() {
    let e = md_error(b"---\ntitle: x\n");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.message.contains("expected a `---` line"), "{e}");
    let e = md_error(b"---\n- a\n- b\n---\n");
    assert_eq!((e.kind, e.location.line), (ErrorKind::Data, 2));
    let e = md_error(b"---\njust text\n---\n");
    assert_eq!(e.kind, ErrorKind::Data);
}

#[test]
fn body_field_and_body_together_are_an_error() {
    let e = md_error(b"---\ntitle: x\nbody: in front\n---\n\nand after\n");
    assert_eq!(
        (e.kind, e.location.line, e.location.column),
        (ErrorKind::Data, 3, 1)
    );
    // A `body` field alone is the body.
    let record = md(b"---\ntitle: x\nbody: in front\n---\n");
    assert_eq!(record.body(), Some("in front"));
}

#[test]
fn invalid_utf8_is_located() {
    let e = md_error(b"---\ntitle: caf\xC3\n---\n");
    assert_eq!(
        (e.kind, e.location.line, e.location.column),
        (ErrorKind::Encoding, 2, 11)
    );
    assert!(
        e.to_string().starts_with("post.md:2:11: invalid UTF-8"),
        "{e}"
    );
}

#[test]
fn unknown_tags_are_ignored_and_core_tags_honoured() {
    let record = md(
        b"---\na: !custom 5\nb: !!timestamp 2020-01-01\nc: !!str 5\nd: !thing {x: 1}\ne: !!binary aGk=\n---\n",
    );
    assert_eq!(record.fields["a"].type_name(), "integer");
    assert_eq!(record.fields["b"], "2020-01-01".into());
    assert_eq!(record.fields["c"], "5".into());
    assert_eq!(record.fields["d"].to_string(), r#"{"x": 1}"#);
    assert_eq!(record.fields["e"], "aGk=".into());
}

#[test]
fn markdown_writer_takes_one_record() {
    let mut out = Vec::new();
    let mut writer = MarkdownWriter::new(&mut out, recast_yaml::MarkdownWriteOptions::default());
    let record = md(b"---\na: 1\n---\n\nbody\n");
    writer.write_record(&record).unwrap();
    assert_eq!(
        writer.write_record(&record).unwrap_err().kind,
        ErrorKind::Data
    );
    writer.finish().unwrap();
    drop(writer);
    assert_eq!(out, b"---\na: 1\n---\n\nbody\n");
}

#[test]
fn a_non_string_body_stays_in_the_front_matter() {
    let record = md(b"---\nbody: [1, 2]\n---\n");
    let written = to_markdown_string(&record);
    assert_eq!(written, "---\nbody:\n  - 1\n  - 2\n\n---\n");
    assert_eq!(md(written.as_bytes()), record);
}

/// Runs `f` and checks it failed with a `Limit` error within a generous time.
fn fails_fast_with_limit(what: &str, f: impl FnOnce() -> recast_model::Result<Value>) {
    let start = Instant::now();
    let error = f().expect_err(what);
    let took = start.elapsed();
    assert_eq!(error.kind, ErrorKind::Limit, "{what}: {error}");
    assert!(error.location.line > 0, "{what}: {error}");
    // Debug builds on a shared machine: allow a wide margin, still far from "hangs".
    assert!(took < Duration::from_secs(5), "{what} took {took:?}");
}

#[test]
fn alias_bomb_hits_the_node_budget() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    fails_fast_with_limit("billion laughs", || {
        parse_value(&bomb, None, 1, &YamlReadOptions::default())
    });
    // The same in front matter and in a stream.
    let file = format!("---\n{bomb}---\n");
    let e = read_markdown(file.as_bytes(), None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    let e = YamlReader::new(file.as_bytes(), None)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
}

#[test]
fn deep_nesting_hits_the_depth_limit() {
    let n = 200_000;
    let flow_lists = format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
    fails_fast_with_limit("deep flow lists", || {
        parse_value(&flow_lists, None, 1, &YamlReadOptions::default())
    });
    let flow_maps = format!("{}1{}\n", "{a: ".repeat(n), "}".repeat(n));
    fails_fast_with_limit("deep flow maps", || {
        parse_value(&flow_maps, None, 1, &YamlReadOptions::default())
    });
    let unclosed = "[".repeat(n);
    fails_fast_with_limit("unclosed deep flow", || {
        parse_value(&unclosed, None, 1, &YamlReadOptions::default())
    });
    let block = format!("{}x\n", "- ".repeat(n));
    fails_fast_with_limit("deep compact block lists", || {
        parse_value(&block, None, 1, &YamlReadOptions::default())
    });
    // Within the limit, deep data is fine.
    let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(parse_value(&ok, None, 1, &YamlReadOptions::default()).is_ok());
}

#[test]
fn stream_skips_empty_documents_and_reads_lists_of_records() {
    let text = "---\n---\n# nothing\n---\n- a: 1\n- b: 2\n---\nc: 3\n...\n";
    let records: Vec<_> = YamlReader::new(text.as_bytes(), None)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(
        records.iter().map(|r| r.origin.line).collect::<Vec<_>>(),
        [5, 6, 8]
    );
    let bad = "---\n- a: 1\n- 5\n";
    let e = YamlReader::new(bad.as_bytes(), None)
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!((e.kind, e.location.line), (ErrorKind::Data, 3));
}

#[test]
fn markdown_reader_refuses_oversized_files() {
    let mut options = YamlReadOptions::default();
    options.max_document_bytes = 100;
    let text = format!("---\ntitle: x\n---\n\n{}", "long line ".repeat(50));
    let mut reader = recast_yaml::MarkdownReader::with_options(text.as_bytes(), file(), options);
    let e = reader.next().unwrap().unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(reader.next().is_none());
}
