//! Dotted field paths (`provider.name`, `images.0.url`), the one spelling of a nested
//! field that CSV columns, `migrate` edits and `inspect` share.
//!
//! A path is a list of segments separated by `.`; a segment of digits indexes a list.
//! A key that itself contains `.` or `\` is written with a backslash before it
//! (`a\.b` is the key `a.b`), so `a.b` and `{a: {b}}` never share a spelling.
//!
//! ```
//! use recast_model::path::FieldPath;
//! use recast_model::{Map, Value};
//!
//! let mut record = Map::default();
//! let path = FieldPath::parse("provider.name");
//! path.insert(&mut record, Value::from("Nature"));
//! assert_eq!(path.get(&record), Some(&Value::from("Nature")));
//! assert_eq!(FieldPath::from_keys(["a.b", "c"]).to_string(), r"a\.b.c");
//! ```

use std::fmt;

use crate::value::{Map, Value};

/// A parsed dotted path: the keys (or list indexes, as digits) from the record down.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath {
    segments: Vec<String>,
}

impl FieldPath {
    /// Splits on unescaped dots; `\.` and `\\` stand for a literal dot and backslash.
    pub fn parse(text: &str) -> FieldPath {
        let mut segments = vec![String::new()];
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(escaped) => segments.last_mut().expect("never empty").push(escaped),
                    None => segments.last_mut().expect("never empty").push('\\'),
                },
                '.' => segments.push(String::new()),
                c => segments.last_mut().expect("never empty").push(c),
            }
        }
        FieldPath { segments }
    }

    /// A path from literal keys, which may contain dots.
    pub fn from_keys<I: IntoIterator<Item = S>, S: Into<String>>(keys: I) -> FieldPath {
        FieldPath {
            segments: keys.into_iter().map(Into::into).collect(),
        }
    }

    /// The keys, outermost first, with their `\.` escapes undone.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// A path one segment longer.
    pub fn child(&self, key: impl Into<String>) -> FieldPath {
        let mut segments = self.segments.clone();
        segments.push(key.into());
        FieldPath { segments }
    }

    /// The value at this path, if every step exists.
    pub fn get<'a>(&self, map: &'a Map) -> Option<&'a Value> {
        let (first, rest) = self.segments.split_first()?;
        let mut value = map.get(first)?;
        for segment in rest {
            value = step(value, segment)?;
        }
        Some(value)
    }

    /// The value at this path, mutably.
    pub fn get_mut<'a>(&self, map: &'a mut Map) -> Option<&'a mut Value> {
        let (first, rest) = self.segments.split_first()?;
        let mut value = map.get_mut(first)?;
        for segment in rest {
            value = match value {
                Value::Map(m) => m.get_mut(segment)?,
                Value::List(l) => l.get_mut(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// Removes and returns the value at this path, keeping the order of what remains.
    pub fn remove(&self, map: &mut Map) -> Option<Value> {
        let (last, parents) = self.segments.split_last()?;
        let parent = match parents {
            [] => map,
            _ => FieldPath::from_keys(parents.iter().cloned())
                .get_mut(map)?
                .as_map_mut()?,
        };
        parent.shift_remove(last)
    }

    /// Sets the value at this path, creating maps on the way; an existing key keeps its
    /// position. Returns false (and changes nothing) when a step on the way is a scalar
    /// or list, which a key cannot go into.
    pub fn insert(&self, map: &mut Map, value: Value) -> bool {
        let Some((last, parents)) = self.segments.split_last() else {
            return false;
        };
        let mut current = map;
        for segment in parents {
            let next = current
                .entry(segment.clone())
                .or_insert_with(|| Value::Map(Map::default()));
            match next {
                Value::Map(m) => current = m,
                _ => return false,
            }
        }
        current.insert(last.clone(), value);
        true
    }
}

fn step<'a>(value: &'a Value, segment: &str) -> Option<&'a Value> {
    match value {
        Value::Map(m) => m.get(segment),
        Value::List(l) => l.get(segment.parse::<usize>().ok()?),
        _ => None,
    }
}

/// The dotted spelling, with `.` and `\` inside keys escaped.
impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            for c in segment.chars() {
                if matches!(c, '.' | '\\') {
                    f.write_str("\\")?;
                }
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Map {
        let mut provider = Map::default();
        provider.insert("name".into(), "Nature".into());
        let mut image = Map::default();
        image.insert("url".into(), "https://x/a.jpg".into());
        let mut record = Map::default();
        record.insert("title".into(), "t".into());
        record.insert("provider".into(), Value::Map(provider));
        record.insert("images".into(), Value::List(vec![Value::Map(image)]));
        record.insert("a.b".into(), 1i64.into());
        record
    }

    #[test]
    fn gets_nested_fields_and_list_items() {
        let record = sample();
        let get = |p: &str| FieldPath::parse(p).get(&record).cloned();
        assert_eq!(get("provider.name"), Some("Nature".into()));
        assert_eq!(get("images.0.url"), Some("https://x/a.jpg".into()));
        assert_eq!(get("images.1.url"), None);
        assert_eq!(get(r"a\.b"), Some(1i64.into()));
        assert_eq!(get("a.b"), None);
    }

    #[test]
    fn escaping_round_trips() {
        for keys in [
            vec!["a.b", "c"],
            vec![r"back\slash", "x.y.z"],
            vec!["plain"],
        ] {
            let path = FieldPath::from_keys(keys.clone());
            assert_eq!(FieldPath::parse(&path.to_string()), path);
        }
    }

    #[test]
    fn remove_and_insert_keep_order() {
        let mut record = sample();
        assert_eq!(
            FieldPath::parse("provider.name").remove(&mut record),
            Some("Nature".into())
        );
        assert!(FieldPath::parse("source.name").insert(&mut record, "N".into()));
        assert_eq!(
            record.keys().collect::<Vec<_>>(),
            ["title", "provider", "images", "a.b", "source"]
        );
        assert!(!FieldPath::parse("title.x").insert(&mut record, Value::Null));
    }
}
