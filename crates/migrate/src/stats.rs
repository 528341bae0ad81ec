//! [`ArchiveStats`]: what `recast inspect` shows: how many records, every field path
//! with its types, presence and an example, and the range of date fields.
//!
//! Paths are named as CSV columns name them: maps flatten with dots (`provider.name`),
//! lists of maps with indexes (`images.0.url`), and a list of scalars is one field
//! (`topics`, type `list`). Empty maps and lists are fields of their own.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use recast_model::date::DateTime;
use recast_model::path::FieldPath;
use recast_model::{Map, Record, Value};

/// Statistics of one field path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldStats {
    /// How many records have the path.
    pub present: u64,
    /// How many values of each type (`string`, `integer`, `float`, `bool`, `null`,
    /// `list`, `map`), by type name.
    pub types: BTreeMap<&'static str, u64>,
    /// The first non-null value seen.
    pub example: Option<Value>,
    /// String values that read as dates, and how many did not.
    pub dates: Option<DateRange>,
}

/// The dates a field holds.
#[derive(Debug, Clone, PartialEq)]
pub struct DateRange {
    /// The earliest date, as its record wrote it.
    pub min: (DateTime, String),
    /// The latest date, as its record wrote it.
    pub max: (DateTime, String),
    /// How many string values read as dates.
    pub parsed: u64,
    /// How many string values did not.
    pub unparsed: u64,
}

/// Statistics of an archive, gathered record by record.
///
/// ```
/// use recast_migrate::ArchiveStats;
/// use recast_model::{Map, Record, Value};
/// let mut stats = ArchiveStats::default();
/// let mut fields = Map::default();
/// fields.insert("publishedDateTime".into(), Value::from("2020-11-11T16:36:00Z"));
/// stats.add(&Record::new(fields, Default::default()));
/// let field = &stats.fields["publishedDateTime"];
/// assert_eq!(field.present, 1);
/// assert_eq!(field.dates.as_ref().unwrap().max.1, "2020-11-11T16:36:00Z");
/// ```
#[derive(Debug, Clone, Default)]
pub struct ArchiveStats {
    /// How many records were added.
    pub records: u64,
    /// Every path, in first-seen order.
    pub fields: IndexMap<String, FieldStats>,
    /// Inputs that failed to read: where, and the message.
    pub failures: Vec<String>,
}

impl ArchiveStats {
    /// Counts one record: its fields, their types and examples, its dates.
    pub fn add(&mut self, record: &Record) {
        self.records += 1;
        self.add_map(&FieldPath::from_keys(Vec::<String>::new()), &record.fields);
    }

    /// Records an input that failed to read.
    pub fn add_failure(&mut self, message: String) {
        self.failures.push(message);
    }

    fn add_map(&mut self, prefix: &FieldPath, map: &Map) {
        for (key, value) in map {
            self.add_value(prefix.child(key.clone()), value);
        }
    }

    fn add_value(&mut self, path: FieldPath, value: &Value) {
        match value {
            Value::Map(map) if !map.is_empty() => self.add_map(&path, map),
            Value::List(items) if items.iter().any(|v| !v.is_scalar()) => {
                for (i, item) in items.iter().enumerate() {
                    self.add_value(path.child(i.to_string()), item);
                }
            }
            leaf => self.add_leaf(path.to_string(), leaf),
        }
    }

    fn add_leaf(&mut self, path: String, value: &Value) {
        let stats = self.fields.entry(path).or_default();
        stats.present += 1;
        *stats.types.entry(value.type_name()).or_default() += 1;
        // The first value that shows something: not null, not empty.
        let empty = |v: &Value| match v {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Map(m) => m.is_empty(),
            _ => false,
        };
        if stats.example.as_ref().is_none_or(empty) && !value.is_null() {
            stats.example = Some(value.clone());
        }
        let Value::String(text) = value else {
            return;
        };
        match (DateTime::parse(text), &mut stats.dates) {
            (Some(date), Some(range)) => {
                range.parsed += 1;
                if date < range.min.0 {
                    range.min = (date, text.clone());
                }
                if date > range.max.0 {
                    range.max = (date, text.clone());
                }
            }
            (Some(date), None) => {
                // Strings seen before this one did not read as dates.
                let earlier = stats.types.get("string").copied().unwrap_or(1) - 1;
                stats.dates = Some(DateRange {
                    min: (date, text.clone()),
                    max: (date, text.clone()),
                    parsed: 1,
                    unparsed: earlier,
                });
            }
            (None, Some(range)) => range.unparsed += 1,
            (None, None) => {}
        }
    }

    /// The fields whose string values are mostly dates, with their ranges.
    pub fn date_fields(&self) -> impl Iterator<Item = (&str, &DateRange)> {
        self.fields.iter().filter_map(|(path, stats)| {
            let range = stats.dates.as_ref()?;
            (range.parsed >= range.unparsed).then_some((path.as_str(), range))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(pairs: Vec<(&str, Value)>) -> Record {
        Record::new(
            pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            Default::default(),
        )
    }

    #[test]
    fn paths_types_presence_and_dates() {
        let mut image = Map::default();
        image.insert("url".into(), "https://x.org/a.jpg".into());
        let mut provider = Map::default();
        provider.insert("name".into(), "Nature".into());
        let mut stats = ArchiveStats::default();
        stats.add(&record(vec![
            ("title", "A".into()),
            ("quality", 39i64.into()),
            ("date", "2021-05-12T01:00:00+09:00".into()),
            ("provider", Value::Map(provider)),
            ("images", Value::List(vec![Value::Map(image)])),
            ("topics", Value::List(vec!["AI".into()])),
            ("a.b", Value::Map(Map::default())),
        ]));
        stats.add(&record(vec![
            ("title", "2024".into()),
            ("quality", "high".into()),
            ("date", "2020-01-01".into()),
        ]));
        stats.add(&record(vec![
            ("date", "not yet".into()),
            ("quality", Value::Null),
        ]));
        assert_eq!(stats.records, 3);
        assert_eq!(
            stats.fields.keys().collect::<Vec<_>>(),
            [
                "title",
                "quality",
                "date",
                "provider.name",
                "images.0.url",
                "topics",
                r"a\.b"
            ]
        );
        let quality = &stats.fields["quality"];
        assert_eq!(quality.present, 3);
        assert_eq!(
            quality
                .types
                .iter()
                .map(|(k, v)| (*k, *v))
                .collect::<Vec<_>>(),
            [("integer", 1), ("null", 1), ("string", 1)]
        );
        assert_eq!(quality.example, Some(39i64.into()));
        assert_eq!(
            stats.fields["topics"].types.keys().collect::<Vec<_>>(),
            [&"list"]
        );
        let dates: Vec<_> = stats.date_fields().collect();
        assert_eq!(dates.len(), 1);
        let (path, range) = dates[0];
        assert_eq!(path, "date");
        assert_eq!(
            (range.min.1.as_str(), range.max.1.as_str()),
            ("2020-01-01", "2021-05-12T01:00:00+09:00")
        );
        assert_eq!((range.parsed, range.unparsed), (2, 1));
        // Titles that happen to read as a date once are not a date field.
        assert!(stats.fields["title"].dates.is_none());
    }
}
