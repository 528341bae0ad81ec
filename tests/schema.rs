//! `recast validate --schema` (JSON Schema) compared with Python's jsonschema on the
//! generated archive with injected violations, and `recast inspect --json-schema`: the
//! schema it infers is passed by the archive it was inferred from.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{assert_succeeded, data, python_jsonschema_available, recast, run_ok, sample};

/// `recast validate INPUT --schema SCHEMA`, run to its end.
fn validate_with_schema(input: &Path, schema: &Path) -> std::process::Output {
    recast()
        .args([
            "validate",
            path_str_of(input),
            "--schema",
            path_str_of(schema),
        ])
        .output()
        .unwrap()
}

fn path_str_of(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// A schema the generated archive passes, in keywords drafts 7 and 2020-12 share.
const SCHEMA: &str = r#"{
  "$schema": "DRAFT",
  "type": "object",
  "required": ["title", "category", "publishedDateTime", "provider", "webUrl"],
  "properties": {
    "category": {"enum": ["news", "research", "opinion"]},
    "title": {"type": "string", "minLength": 1},
    "quality": {"type": "integer"},
    "webUrl": {"type": "string", "pattern": "^https://"},
    "provider": {
      "type": "object",
      "required": ["name", "domain"],
      "properties": {"domain": {"type": "string", "pattern": "^[a-z0-9.-]+\\.[a-z]+$"}}
    },
    "topics": {"type": "array", "items": {"type": "string"}},
    "images": {
      "type": "array",
      "items": {"type": "object", "required": ["url"], "properties": {"width": {"type": "integer"}}}
    }
  }
}"#;

const DRAFTS: [&str; 2] = [
    "https://json-schema.org/draft/2020-12/schema",
    "http://json-schema.org/draft-07/schema#",
];

/// The generated archive as JSON Lines, with violations injected: (line, what is done).
fn archive_with_violations(dir: &Path) -> std::path::PathBuf {
    let text = fs::read_to_string(data("generated/archive.jsonl")).unwrap();
    let mut lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let at =
        |lines: &mut Vec<serde_json::Value>, n: usize| -> serde_json::Value { lines[n - 1].take() };
    let mut set = |n: usize, edit: &dyn Fn(&mut serde_json::Map<String, serde_json::Value>)| {
        let mut record = at(&mut lines, n);
        edit(record.as_object_mut().unwrap());
        lines[n - 1] = record;
    };
    // A missing required field, a wrong type, a bad enum value, a pattern miss.
    set(10, &|r| {
        r.remove("title");
    });
    set(50, &|r| {
        r.insert("quality".into(), "12".into());
    });
    set(120, &|r| {
        r.insert("category".into(), "gossip".into());
    });
    set(200, &|r| {
        r.insert("webUrl".into(), "ftp://example.com/a".into());
    });
    // Nested: in a map, in a list's map, in a list; and two problems in one record.
    set(250, &|r| {
        r["provider"]["domain"] = "Not A Domain".into();
        r["provider"].as_object_mut().unwrap().remove("name");
    });
    set(260, &|r| {
        r.insert(
            "images".into(),
            serde_json::json!([{"url": "https://x.org/a.jpg", "width": "wide"}, {"width": 3}]),
        );
    });
    set(299, &|r| {
        r.insert("topics".into(), serde_json::json!(["AI", 7]));
        r.insert("category".into(), serde_json::Value::Null);
    });
    let path = dir.join("archive.jsonl");
    let text: Vec<String> = lines.iter().map(|v| v.to_string()).collect();
    fs::write(&path, text.join("\n") + "\n").unwrap();
    path
}

/// Counts of (line, JSON pointer) among recast's problems (`file:line: /pointer: message`;
/// `/` is the record itself, the empty pointer).
fn recast_problems(archive: &Path, schema: &Path) -> BTreeMap<(u64, String), usize> {
    let output = validate_with_schema(archive, schema);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let prefix = format!("{}:", archive.display());
    let mut found = BTreeMap::new();
    for line in stdout.lines() {
        let rest = line
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{line}"));
        let (number, rest) = rest.split_once(": ").unwrap();
        let (pointer, _message) = rest.split_once(": ").unwrap();
        let pointer = if pointer == "/" { "" } else { pointer };
        *found
            .entry((number.parse().unwrap(), pointer.to_owned()))
            .or_default() += 1;
    }
    assert_eq!(
        output.status.code(),
        Some(i32::from(!found.is_empty())),
        "{stdout}"
    );
    found
}

/// The same, by Python's jsonschema (the validator class the schema's `$schema` names).
fn python_problems(archive: &Path, schema: &Path) -> BTreeMap<(u64, String), usize> {
    let script = r#"
import json, sys
from jsonschema.validators import validator_for
schema = json.load(open(sys.argv[2]))
validator = validator_for(schema)(schema)
for number, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    for error in validator.iter_errors(json.loads(line)):
        pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)
        print(f"{number}\t{pointer}")
"#;
    let output = Command::new("python3")
        .args(["-c", script, path_str_of(archive), path_str_of(schema)])
        .output()
        .unwrap();
    assert_succeeded(&output);
    let mut found = BTreeMap::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        let (number, pointer) = line.split_once('\t').unwrap();
        *found
            .entry((number.parse().unwrap(), pointer.to_owned()))
            .or_default() += 1;
    }
    found
}

#[test]
fn schema_problems_equal_python_jsonschema_on_the_generated_archive() {
    let dir = tempfile::tempdir().unwrap();
    let clean = data("generated/archive.jsonl");
    let broken = archive_with_violations(dir.path());
    let expected: BTreeMap<(u64, String), usize> = [
        (10, ""),
        (50, "/quality"),
        (120, "/category"),
        (200, "/webUrl"),
        (250, "/provider"),
        (250, "/provider/domain"),
        (260, "/images/0/width"),
        (260, "/images/1"),
        (299, "/category"),
        (299, "/topics/1"),
    ]
    .into_iter()
    .map(|(line, pointer)| ((line, pointer.to_owned()), 1))
    .collect();
    let python = python_jsonschema_available();
    for draft in DRAFTS {
        let schema = dir.path().join("schema.json");
        fs::write(&schema, SCHEMA.replace("DRAFT", draft)).unwrap();
        assert!(recast_problems(&clean, &schema).is_empty(), "{draft}");
        assert_eq!(recast_problems(&broken, &schema), expected, "{draft}");
        if python {
            assert!(python_problems(&clean, &schema).is_empty(), "{draft}");
            assert_eq!(python_problems(&broken, &schema), expected, "{draft}");
        }
    }
}

#[test]
fn problems_name_the_file_line_and_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.yaml");
    // A YAML schema file works as well as a JSON one.
    fs::write(
        &schema,
        "required: [title]\nproperties:\n  quality: {type: integer}\n",
    )
    .unwrap();
    let post = dir.path().join("post.md");
    fs::write(&post, "---\ncategory: news\nquality: high\n---\nBody\n").unwrap();
    let output = validate_with_schema(&post, &schema);
    assert_eq!(output.status.code(), Some(1));
    let path = post.display();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!(
            "{path}:1: /: \"title\" is a required property\n{path}:3: /quality: \"high\" is not of type \"integer\"\n"
        )
    );
    // The schema replaces the profile: asking for both is a usage error.
    let output = recast()
        .args([
            "validate",
            path_str_of(&post),
            "--profile",
            "article",
            "--schema",
        ])
        .arg(&schema)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    // A schema that is not one, or not there, is a usage error naming it.
    fs::write(&schema, "type: 5\n").unwrap();
    let output = validate_with_schema(&post, &schema);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a valid JSON Schema"), "{stderr}");
}

#[test]
fn inferred_schemas_are_passed_by_their_archive() {
    let dir = tempfile::tempdir().unwrap();
    for input in [
        sample("archive"),
        sample("archive.jsonl"),
        sample("archive.csv"),
        sample("archive.rss"),
        data("generated/archive"),
        data("generated/archive.jsonl"),
    ] {
        let schema_text = run_ok(&["inspect", path_str_of(&input), "--json-schema"]);
        let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
        assert_eq!(schema["type"], "object", "{}", input.display());
        let schema_file = dir.path().join("schema.json");
        fs::write(&schema_file, &schema_text).unwrap();
        let output = validate_with_schema(&input, &schema_file);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}: {}",
            input.display(),
            String::from_utf8_lossy(&output.stdout)
        );
        if python_jsonschema_available() && input.extension().is_some_and(|e| e == "jsonl") {
            assert!(
                python_problems(&input, &schema_file).is_empty(),
                "{}",
                input.display()
            );
        }
    }
    // What the generated archive's schema says.
    let schema: serde_json::Value = serde_json::from_str(&run_ok(&[
        "inspect",
        path_str_of(&data("generated/archive.jsonl")),
        "--json-schema",
    ]))
    .unwrap();
    let properties = &schema["properties"];
    assert_eq!(
        properties["category"],
        serde_json::json!({"type": "string", "enum": ["news", "research", "opinion"]})
    );
    assert_eq!(properties["publishedDateTime"]["format"], "date-time");
    assert_eq!(properties["webUrl"]["format"], "uri");
    assert_eq!(properties["quality"]["type"], "integer");
    let required = schema["required"].as_array().unwrap();
    assert!(required.contains(&"title".into()) && !required.contains(&"originalUrl".into()));
}
