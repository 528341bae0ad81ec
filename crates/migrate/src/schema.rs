//! JSON Schema checks of records (`recast validate --schema FILE`), by the `jsonschema`
//! crate: drafts 2020-12 (the default, when the schema names no `$schema`), 2019-09, 7,
//! 6 and 4. A schema read from a file may `$ref` other schema files by a path relative
//! to it (`defs.json#/$defs/date`), as with other validators; the network is never used,
//! so a `$ref` to `https://…` is an error that says to save that schema beside this one.
//!
//! Each record is checked as the JSON object JSON output would write (a Markdown
//! body is the field `body`); `format` is checked too (`date-time`, `uri`, `email`…),
//! as an assertion, not only an annotation.

use std::collections::HashSet;
use std::path::Path;

use recast_model::path::FieldPath;
use recast_model::{Map, Record, Value};

use crate::validate::Problem;

/// A compiled JSON Schema.
///
/// ```
/// use recast_migrate::JsonSchema;
/// use recast_model::{Map, Record, Value};
/// let schema = JsonSchema::parse(r#"{"type": "object", "required": ["title"],
///     "properties": {"quality": {"type": "integer"}}}"#).unwrap();
/// let mut fields = Map::default();
/// fields.insert("quality".into(), Value::from("high"));
/// let problems = schema.check(&Record::new(fields, Default::default()));
/// let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
/// assert_eq!(messages, [r#"/: "title" is a required property"#, r#"/quality: "high" is not of type "integer""#]);
/// ```
#[derive(Debug)]
pub struct JsonSchema {
    validator: jsonschema::Validator,
}

impl JsonSchema {
    /// Compiles a schema from its JSON text; the error says what is wrong with it. Its
    /// `$ref`s must point inside it ([`JsonSchema::parse_in`] reads other files).
    pub fn parse(text: &str) -> Result<JsonSchema, String> {
        JsonSchema::build(&parse_json(text)?, None)
    }

    /// Compiles the JSON text of the schema file `file`: a `$ref` to another file is read
    /// relative to it.
    pub fn parse_in(text: &str, file: &Path) -> Result<JsonSchema, String> {
        JsonSchema::build(&parse_json(text)?, Some(file))
    }

    /// Compiles a schema read as a record value (a YAML schema file).
    pub fn from_value(schema: &Value) -> Result<JsonSchema, String> {
        JsonSchema::build(&to_json(schema), None)
    }

    /// Compiles the schema file `file` read as a record value (YAML): a `$ref` to another
    /// file is read relative to it.
    pub fn from_value_in(schema: &Value, file: &Path) -> Result<JsonSchema, String> {
        JsonSchema::build(&to_json(schema), Some(file))
    }

    /// Compiles a schema already read as JSON.
    pub fn from_json(schema: &serde_json::Value) -> Result<JsonSchema, String> {
        JsonSchema::build(schema, None)
    }

    fn build(schema: &serde_json::Value, file: Option<&Path>) -> Result<JsonSchema, String> {
        let mut options = jsonschema::options().should_validate_formats(true);
        if let Some(base) = file.and_then(file_url) {
            options = options.with_base_uri(base).with_retriever(FilesBeside);
        }
        let validator = options
            .build(schema)
            .map_err(|e| format!("not a valid JSON Schema: {e}"))?;
        Ok(JsonSchema { validator })
    }

    /// Every problem of one record, one per failed keyword, as `/pointer: message`
    /// (`/` for the record itself); the problem's field is the one the pointer names.
    pub fn check(&self, record: &Record) -> Vec<Problem> {
        let instance = map_to_json(&record.fields);
        let mut seen = HashSet::new();
        self.validator
            .iter_errors(&instance)
            .filter_map(|error| {
                let pointer = error.instance_path().as_str().to_owned();
                let message = format!("{}: {error}", display_pointer(&pointer));
                // `anyOf` and the like may report one failure twice.
                seen.insert(message.clone()).then(|| Problem {
                    origin: record.origin.clone(),
                    field: field_of(&pointer),
                    message,
                })
            })
            .collect()
    }
}

fn parse_json(text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

/// The `file:` URL of a schema file, which its relative `$ref`s resolve against.
fn file_url(file: &Path) -> Option<String> {
    let absolute = std::path::absolute(file).ok()?;
    url::Url::from_file_path(absolute)
        .ok()
        .map(|url| url.to_string())
}

/// Reads the schema files a schema's `$ref`s name (JSON), and nothing from the network.
struct FilesBeside;

impl jsonschema::Retrieve for FilesBeside {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        let url = url::Url::parse(uri.as_str())?;
        let path = match url.scheme() {
            "file" => url
                .to_file_path()
                .map_err(|()| format!("{url} is not a file on this machine"))?,
            _ => {
                return Err(format!(
                    "recast does not download schemas ({url}); save it beside this one and \
                     refer to it by its file name"
                )
                .into());
            }
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(parse_json(&text).map_err(|e| format!("{}: {e}", path.display()))?)
    }
}

/// The pointer as shown: `/` for the record itself.
fn display_pointer(pointer: &str) -> &str {
    match pointer {
        "" => "/",
        other => other,
    }
}

/// The dotted field a JSON pointer names (`/provider/name` → `provider.name`).
fn field_of(pointer: &str) -> Option<String> {
    let keys = pointer
        .split('/')
        .skip(1)
        .map(|segment| segment.replace("~1", "/").replace("~0", "~"));
    let path = FieldPath::from_keys(keys);
    (!path.segments().is_empty()).then(|| path.to_string())
}

/// A record's fields as a JSON object.
fn map_to_json(map: &Map) -> serde_json::Value {
    serde_json::Value::Object(
        map.iter()
            .map(|(key, value)| (key.clone(), to_json(value)))
            .collect(),
    )
}

/// A value as JSON: numbers keep their exact text; a number JSON cannot write (`.inf`,
/// `.nan` from YAML) is its text, as the JSON writer refuses it.
fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::from_str::<serde_json::Number>(n.as_str())
            .map(serde_json::Value::Number)
            .unwrap_or_else(|_| serde_json::Value::String(n.as_str().to_owned())),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(map) => map_to_json(map),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use recast_model::Number;

    fn record(json: &str) -> Record {
        fn from(value: serde_json::Value) -> Value {
            match value {
                serde_json::Value::Null => Value::Null,
                serde_json::Value::Bool(b) => Value::Bool(b),
                serde_json::Value::Number(n) => {
                    Value::Number(Number::parse(&n.to_string()).unwrap())
                }
                serde_json::Value::String(s) => Value::String(s),
                serde_json::Value::Array(items) => {
                    Value::List(items.into_iter().map(from).collect())
                }
                serde_json::Value::Object(map) => {
                    Value::Map(map.into_iter().map(|(k, v)| (k, from(v))).collect())
                }
            }
        }
        let Value::Map(fields) = from(serde_json::from_str(json).unwrap()) else {
            panic!("not an object: {json}")
        };
        Record::new(fields, Default::default())
    }

    fn problems(schema: &str, json: &str) -> Vec<(Option<String>, String)> {
        JsonSchema::parse(schema)
            .unwrap()
            .check(&record(json))
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect()
    }

    #[test]
    fn problems_name_the_pointer_and_field() {
        let schema = r#"{"properties": {"provider": {"properties": {"a/b": {"type": "string"}}},
            "tags": {"items": {"enum": ["x", "y"]}}}}"#;
        assert_eq!(
            problems(schema, r#"{"provider": {"a/b": 1}, "tags": ["x", "z"]}"#),
            [
                (
                    Some("provider.a/b".into()),
                    r#"/provider/a~1b: 1 is not of type "string""#.into()
                ),
                (
                    Some("tags.1".into()),
                    r#"/tags/1: "z" is not one of "x" or "y""#.into()
                ),
            ]
        );
    }

    #[test]
    fn drafts_7_and_2020_12_and_formats() {
        let draft7 = r#"{"$schema": "http://json-schema.org/draft-07/schema#",
            "items": [{"type": "string"}], "properties": {"d": {"format": "date-time"}}}"#;
        let found = problems(draft7, r#"{"d": "yesterday"}"#);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .1
                .starts_with(r#"/d: "yesterday" is not a "date-time""#),
            "{found:?}"
        );
        // 2020-12's prefixItems is not a draft 7 keyword, and the reverse.
        let modern = r#"{"properties": {"l": {"prefixItems": [{"type": "integer"}]}}}"#;
        assert_eq!(problems(modern, r#"{"l": ["a"]}"#).len(), 1);
    }

    #[test]
    fn exact_numbers_and_bad_schemas() {
        let schema =
            r#"{"properties": {"n": {"type": "integer", "maximum": 12345678901234567890123}}}"#;
        assert!(problems(schema, r#"{"n": 12345678901234567890123}"#).is_empty());
        assert_eq!(problems(schema, r#"{"n": 1.5}"#).len(), 1);
        assert!(JsonSchema::parse("{").unwrap_err().starts_with("not JSON"));
        let error = JsonSchema::parse(r#"{"type": 5}"#).unwrap_err();
        assert!(error.starts_with("not a valid JSON Schema"), "{error}");
        // No network: a remote reference is an error, not a download.
        let error = JsonSchema::parse(r#"{"$ref": "https://example.com/s.json"}"#).unwrap_err();
        assert!(error.starts_with("not a valid JSON Schema"), "{error}");
    }

    #[test]
    fn a_schema_file_refers_to_files_beside_it_and_never_to_the_network() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("my schemas");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(
            folder.join("common defs.json"),
            r#"{"$defs": {"q": {"type": "integer", "maximum": 50}}}"#,
        )
        .unwrap();
        let file = folder.join("article.json");
        let schema = r#"{"properties": {"q": {"$ref": "common%20defs.json#/$defs/q"}}}"#;
        let schema = JsonSchema::parse_in(schema, &file).unwrap();
        let found = schema.check(&record(r#"{"q": 51}"#));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .contains("51 is greater than the maximum of 50")
        );
        assert!(schema.check(&record(r#"{"q": 50}"#)).is_empty());

        let missing = r#"{"$ref": "nowhere.json"}"#;
        let error = JsonSchema::parse_in(missing, &file).unwrap_err();
        assert!(
            error.contains("cannot read ") && error.contains("nowhere.json"),
            "{error}"
        );
        let remote = r#"{"$ref": "https://example.com/s.json"}"#;
        let error = JsonSchema::parse_in(remote, &file).unwrap_err();
        assert!(
            error.contains("recast does not download schemas"),
            "{error}"
        );
    }
}
