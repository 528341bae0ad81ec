//! `--set`/`--default` with YAML flow values (`tags=[a, b]`, `meta={x: 1}`) written in
//! place into each front-matter dialect, and YAML merge keys (`<<: *defaults`): resolved
//! when read, kept as written by an in-place rewrite.

use std::fs;

use crate::support::{canonical_jsonl, recast, run_ok};

/// Runs `recast migrate DIR ARGS… --in-place` and asserts it succeeded.
fn migrate_in_place(dir: &std::path::Path, args: &[&str]) {
    let mut all = vec!["migrate", dir.to_str().expect("UTF-8 path")];
    all.extend_from_slice(args);
    all.push("--in-place");
    run_ok(&all);
}

#[test]
fn flow_values_become_lists_and_maps_in_every_dialect() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
    write("y.md", "---\ntitle: A\n# kept\ndraft: false\n---\nbody\n");
    write(
        "t.md",
        "+++\ntitle = \"A\"\n# kept\ndraft = false\n+++\nbody\n",
    );
    write(
        "j.md",
        "{\n  \"title\": \"A\",\n  \"draft\": false\n}\nbody\n",
    );
    let sets = [
        "--set",
        "tags=[a, b]",
        "--set",
        "meta={x: 1, y: [p, q]}",
        "--default",
        "empty=[]",
    ];
    migrate_in_place(dir.path(), &sets);
    let read = |name: &str| fs::read_to_string(dir.path().join(name)).unwrap();
    assert_eq!(
        read("y.md"),
        "---\ntitle: A\n# kept\ndraft: false\n\ntags:\n  - a\n  - b\n\nmeta:\n  x: 1\n  \"y\":\n    - p\n    - q\n\nempty: []\n---\nbody\n"
    );
    assert_eq!(
        read("t.md"),
        "+++\ntitle = \"A\"\n# kept\ndraft = false\ntags = [\"a\", \"b\"]\nmeta = { x = 1, y = [\"p\", \"q\"] }\nempty = []\n+++\nbody\n"
    );
    assert_eq!(
        read("j.md"),
        "{\n  \"title\": \"A\",\n  \"draft\": false,\n  \"tags\": [\n    \"a\",\n    \"b\"\n  ],\n  \"meta\": {\n    \"x\": 1,\n    \"y\": [\n      \"p\",\n      \"q\"\n    ]\n  },\n  \"empty\": []\n}\nbody\n"
    );
    // Every dialect reads back as the same record, with real lists and maps.
    let records = canonical_jsonl(&run_ok(&[
        "convert",
        dir.path().to_str().unwrap(),
        "--to",
        "jsonl",
    ]));
    let expected = r#"{"title":"A","draft":false,"tags":["a","b"],"meta":{"x":1,"y":["p","q"]},"empty":[],"body":"body\n"}"#;
    assert_eq!(records, vec![expected; 3]);
    // Setting the same values again changes nothing.
    let before: Vec<String> = ["y.md", "t.md", "j.md"].map(read).to_vec();
    migrate_in_place(dir.path(), &sets);
    assert_eq!(before, ["y.md", "t.md", "j.md"].map(read).to_vec());
}

#[test]
fn a_value_that_is_not_a_flow_collection_is_refused_and_quotes_make_text() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("p.md");
    fs::write(&post, "---\ntitle: A\n---\n").unwrap();
    let path = post.to_str().unwrap();
    for bad in ["tags=[a, b", "meta={x: 1", "x=[a]]"] {
        let output = recast()
            .args(["migrate", path, "--set", bad, "--in-place"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains("is not a YAML flow list or map"),
            "{bad}: {stderr}"
        );
    }
    assert_eq!(fs::read_to_string(&post).unwrap(), "---\ntitle: A\n---\n");
    migrate_in_place(dir.path(), &["--set", "note=\"[a, b]\""]);
    assert_eq!(
        fs::read_to_string(&post).unwrap(),
        "---\ntitle: A\nnote: \"[a, b]\"\n---\n"
    );
}

const MERGED: &str = "---\ndefaults: &d\n  layout: post\n  author: Ann\n  draft: true\nother: &o {author: Bob, lang: en}\ntitle: Hello\n<<: [*d, *o]\ndraft: false\n---\nBody\n";

#[test]
fn merge_keys_are_resolved_when_read() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("p.md");
    fs::write(&post, MERGED).unwrap();
    let records = canonical_jsonl(&run_ok(&[
        "convert",
        post.to_str().unwrap(),
        "--to",
        "jsonl",
    ]));
    // Written keys win (`draft`); from the list, the earlier mapping wins (`author`);
    // merged keys stand where `<<` stood.
    assert_eq!(
        records,
        [
            r#"{"defaults":{"layout":"post","author":"Ann","draft":true},"other":{"author":"Bob","lang":"en"},"title":"Hello","layout":"post","author":"Ann","lang":"en","draft":false,"body":"Body\n"}"#
        ]
    );
    // A YAML stream reads the same way.
    let stream = dir.path().join("s.yaml");
    fs::write(
        &stream,
        "title: Z\n---\nbase: &b {lang: en}\n<<: *b\ntitle: A\n",
    )
    .unwrap();
    let records = canonical_jsonl(&run_ok(&[
        "convert",
        stream.to_str().unwrap(),
        "--to",
        "jsonl",
    ]));
    assert_eq!(
        records[1],
        r#"{"base":{"lang":"en"},"lang":"en","title":"A"}"#
    );
}

#[test]
fn an_in_place_set_keeps_anchors_aliases_and_merge_keys() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("p.md");
    fs::write(&post, MERGED).unwrap();
    migrate_in_place(
        dir.path(),
        &["--set", "title=Bye", "--where", "layout=post"],
    );
    assert_eq!(
        fs::read_to_string(&post).unwrap(),
        MERGED.replace("title: Hello", "title: Bye")
    );
    // Setting a merged field writes it as a key of its own, which wins; the merge stays.
    migrate_in_place(dir.path(), &["--set", "author=Cy"]);
    let expected = MERGED
        .replace("title: Hello", "title: Bye")
        .replace("[*d, *o]\n", "[*d, *o]\nauthor: Cy\n");
    assert_eq!(fs::read_to_string(&post).unwrap(), expected);
    let records = canonical_jsonl(&run_ok(&[
        "convert",
        post.to_str().unwrap(),
        "--to",
        "jsonl",
    ]));
    assert!(
        records[0].contains(r#""title":"Bye","layout":"post","lang":"en","author":"Cy""#),
        "{records:?}"
    );
    // Running it again changes nothing.
    migrate_in_place(dir.path(), &["--set", "author=Cy", "--set", "title=Bye"]);
    assert_eq!(fs::read_to_string(&post).unwrap(), expected);
}
