//! The checks of `recast validate`: a [`ValidationProfile`] says what an archive's records must
//! hold, a [`Validator`] checks records one by one (and across records, for
//! duplicates), each [`Problem`] naming where its record came from.

use std::collections::HashMap;
use std::fmt;

use recast_model::date::DateTime;
use recast_model::path::FieldPath;
use recast_model::url::is_web_url;
use recast_model::{Map, Origin, Record, Value};

/// What records must hold.
#[derive(Debug, Clone)]
pub struct ValidationProfile {
    /// Fields every record must have, as non-empty text.
    pub required: Vec<FieldPath>,
    /// At least one of these must be a non-empty string: the record's link. The first
    /// present is the one checked for duplicates.
    pub link: Vec<FieldPath>,
    /// Unique across the archive, when present.
    pub unique: Vec<FieldPath>,
    /// A string field whose last key ends with one of these is a date and must parse.
    pub date_suffixes: Vec<String>,
    /// A string field whose last key is one of these, or ends with `Url`, must be an
    /// absolute http(s) URL.
    pub url_keys: Vec<String>,
}

impl ValidationProfile {
    /// The article profile of the archive schema (see DESIGN.md): `title` and a link
    /// (`webUrl`, else `originalUrl`, `url`, `link`) required; fields named `…DateTime`
    /// or `…Date` must be dates; `…Url`, `url`, `link` must be absolute http(s) URLs;
    /// `id` and the link must be unique.
    pub fn article() -> ValidationProfile {
        ValidationProfile {
            required: vec![FieldPath::parse("title")],
            link: ["webUrl", "originalUrl", "url", "link"]
                .map(FieldPath::parse)
                .to_vec(),
            unique: vec![FieldPath::parse("id")],
            date_suffixes: vec!["DateTime".into(), "Date".into()],
            url_keys: vec!["url".into(), "link".into()],
        }
    }

    fn is_date_key(&self, key: &str) -> bool {
        self.date_suffixes.iter().any(|s| key.ends_with(s.as_str()))
    }

    fn is_url_key(&self, key: &str) -> bool {
        key.ends_with("Url") || key.ends_with("URL") || self.url_keys.iter().any(|k| k == key)
    }
}

/// One thing wrong with one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The record's file and line.
    pub origin: Origin,
    /// The field concerned, dotted, when there is one.
    pub field: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
}

/// `file:line: message` (`<stdin>` when there is no file).
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin.file {
            Some(path) => write!(f, "{}", path.display())?,
            None => f.write_str("<stdin>")?,
        }
        if self.origin.line > 0 {
            write!(f, ":{}", self.origin.line)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Checks records against a profile, remembering ids and links for duplicates.
///
/// ```
/// use recast_migrate::{ValidationProfile, Validator};
/// use recast_model::{Map, Record, Value};
/// let mut validator = Validator::new(ValidationProfile::article());
/// let mut fields = Map::default();
/// fields.insert("title".into(), Value::from("Hello"));
/// fields.insert("webUrl".into(), Value::from("news/hello.html"));
/// let problems = validator.check(&Record::new(fields, Default::default()));
/// assert_eq!(problems[0].message, "webUrl: \"news/hello.html\" is not an absolute http(s) URL");
/// ```
#[derive(Debug)]
pub struct Validator {
    profile: ValidationProfile,
    /// Seen values of unique fields and links: (field, value) → first origin.
    seen: HashMap<(String, String), Origin>,
}

impl Validator {
    /// A validator of this profile, with no record seen yet (duplicates are found across
    /// the records it is given).
    pub fn new(profile: ValidationProfile) -> Validator {
        Validator {
            profile,
            seen: HashMap::new(),
        }
    }

    /// The problems of one record, in field order after the required ones.
    pub fn check(&mut self, record: &Record) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut problem = |field: Option<String>, message: String| {
            problems.push(Problem {
                origin: record.origin.clone(),
                field,
                message,
            })
        };
        let fields = &record.fields;
        for path in &self.profile.required {
            if !has_text(fields, path) {
                problem(
                    Some(path.to_string()),
                    format!("missing {path}; expected a non-empty text"),
                );
            }
        }
        let link = self.profile.link.iter().find(|p| has_text(fields, p));
        if link.is_none() && !self.profile.link.is_empty() {
            let names: Vec<String> = self.profile.link.iter().map(ToString::to_string).collect();
            problem(
                None,
                format!("missing a link; expected one of {}", names.join(", ")),
            );
        }
        let mut leaves = Vec::new();
        collect_strings(
            &FieldPath::from_keys(Vec::<String>::new()),
            fields,
            &mut leaves,
        );
        for (path, key, text) in leaves {
            if self.profile.is_date_key(&key) && DateTime::parse(text).is_none() {
                problem(
                    Some(path.to_string()),
                    format!(
                        "{path}: {text:?} is not a date; expected RFC 3339 (2020-11-11T16:36:00Z) or YYYY-MM-DD"
                    ),
                );
            }
            if self.profile.is_url_key(&key) && !is_web_url(text) {
                problem(
                    Some(path.to_string()),
                    format!("{path}: {text:?} is not an absolute http(s) URL"),
                );
            }
        }
        let unique = self.profile.unique.iter().chain(link);
        for path in unique {
            let Some(value) = path.get(fields) else {
                continue;
            };
            let text = match value {
                Value::String(s) if !s.is_empty() => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            let key = (path.to_string(), text);
            match self.seen.get(&key) {
                Some(first) => {
                    let first = Problem {
                        origin: first.clone(),
                        field: None,
                        message: String::new(),
                    }
                    .to_string();
                    let first = first.trim_end_matches(": ");
                    problem(
                        Some(key.0.clone()),
                        format!("duplicate {} {:?}; first in {first}", key.0, key.1),
                    );
                }
                None => {
                    self.seen.insert(key, record.origin.clone());
                }
            }
        }
        problems
    }
}

fn has_text(fields: &Map, path: &FieldPath) -> bool {
    path.get(fields)
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

/// Every string leaf with its path and last key (list items take the list's key).
fn collect_strings<'a>(
    prefix: &FieldPath,
    map: &'a Map,
    out: &mut Vec<(FieldPath, String, &'a str)>,
) {
    for (key, value) in map {
        collect_value(prefix.child(key.clone()), key, value, out);
    }
}

fn collect_value<'a>(
    path: FieldPath,
    key: &str,
    value: &'a Value,
    out: &mut Vec<(FieldPath, String, &'a str)>,
) {
    match value {
        Value::String(s) => out.push((path, key.to_owned(), s)),
        Value::Map(map) => collect_strings(&path, map, out),
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_value(path.child(i.to_string()), key, item, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn record(file: &str, line: u64, pairs: Vec<(&str, Value)>) -> Record {
        Record::new(
            pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            Origin::new(Some(Path::new(file).into()), line),
        )
    }

    #[test]
    fn a_good_record_has_no_problem() {
        let mut image = Map::default();
        image.insert("url".into(), "https://x.org/a.jpg".into());
        let mut v = Validator::new(ValidationProfile::article());
        let problems = v.check(&record(
            "a.md",
            1,
            vec![
                ("title", "AI".into()),
                ("publishedDateTime", "2020-11-11T16:36:00Z".into()),
                ("webUrl", "https://news.example.org/ai".into()),
                ("images", Value::List(vec![Value::Map(image)])),
                ("published", false.into()),
            ],
        ));
        assert_eq!(problems, []);
    }

    #[test]
    fn each_check_reports_with_file_and_line() {
        let mut related = Map::default();
        related.insert("publishedDateTime".into(), "yesterday".into());
        let mut v = Validator::new(ValidationProfile::article());
        let problems: Vec<String> = v
            .check(&record(
                "b.md",
                3,
                vec![
                    ("title", "".into()),
                    ("originalUrl", "ftp://x.org/a".into()),
                    ("related", Value::List(vec![Value::Map(related)])),
                ],
            ))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "b.md:3: missing title; expected a non-empty text",
                "b.md:3: originalUrl: \"ftp://x.org/a\" is not an absolute http(s) URL",
                "b.md:3: related.0.publishedDateTime: \"yesterday\" is not a date; expected RFC 3339 (2020-11-11T16:36:00Z) or YYYY-MM-DD",
            ]
        );
    }

    #[test]
    fn a_host_with_an_empty_label_is_not_a_url() {
        let mut v = Validator::new(ValidationProfile::article());
        let problems: Vec<String> = v
            .check(&record(
                "c.md",
                1,
                vec![("title", "T".into()), ("webUrl", "https://a..b/".into())],
            ))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            ["c.md:1: webUrl: \"https://a..b/\" is not an absolute http(s) URL"]
        );
    }

    #[test]
    fn duplicates_name_the_first_record() {
        let mut v = Validator::new(ValidationProfile::article());
        let r = |file: &str| {
            record(
                file,
                1,
                vec![
                    ("title", "T".into()),
                    ("id", 7i64.into()),
                    ("webUrl", "https://x.org/a".into()),
                ],
            )
        };
        assert_eq!(v.check(&r("a.md")), []);
        let problems: Vec<String> = v
            .check(&r("b.md"))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "b.md:1: duplicate id \"7\"; first in a.md:1",
                "b.md:1: duplicate webUrl \"https://x.org/a\"; first in a.md:1",
            ]
        );
    }

    #[test]
    fn urls() {
        for good in [
            "https://x.org",
            "http://x.org/a?b#c",
            "HTTPS://X.ORG/",
            "https://u@h:8080/p",
            "https://[::1]/",
        ] {
            assert!(is_web_url(good), "{good}");
        }
        for bad in [
            "",
            "x.org",
            "/a/b",
            "https://",
            "https:///a",
            "mailto:a@b.c",
            "https://x y.org",
            "javascript:alert(1)",
            "https://:80/",
            "https://a..b",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}
