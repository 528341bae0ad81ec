//! The record test of `where` ([`Condition`]): `--where` on `migrate` and `convert`,
//! and `where:` in a plan file.

use recast_model::date::{DateTime, TimeZone};
use recast_model::path::FieldPath;
use recast_model::{Map, Value, strict_eq};

use crate::path::field_path;

/// What `where` tests.
#[derive(Debug, Clone)]
pub enum Condition {
    /// `field=value`: the field is a string equal to the text, or equals the value the
    /// text reads as in YAML (`draft=false` matches the boolean, `quality=39` the number).
    Equals {
        /// The field tested.
        path: FieldPath,
        /// The value as written after `=`.
        text: String,
        /// The value as YAML reads that text.
        value: Value,
    },
    /// `field!=value`: the negation of `Equals` (a missing field matches).
    NotEquals {
        /// The field tested.
        path: FieldPath,
        /// The value as written after `!=`.
        text: String,
        /// The value as YAML reads that text.
        value: Value,
    },
    /// `field`: the field exists (null counts).
    Exists(FieldPath),
    /// `!field`: the field does not exist.
    Missing(FieldPath),
    /// `field<DATE`: the field is a date before DATE. A field that is not a date fails.
    /// A date alone is the start of its day (`d<2021-03-04` leaves that day out); dates
    /// without a zone are read in `zone` (`--assume-tz`), else as UTC, when compared
    /// with one that has a zone.
    Before {
        /// The date field tested.
        path: FieldPath,
        /// The bound.
        date: DateTime,
        /// The zone of dates written without one (`--assume-tz`).
        zone: Option<TimeZone>,
    },
    /// `field>DATE`: the field is a date after DATE, as `Before` reads them
    /// (`d>2021-03-04` takes 10:00 that day, not the day's date alone).
    After {
        /// The date field tested.
        path: FieldPath,
        /// The bound.
        date: DateTime,
        /// The zone of dates written without one (`--assume-tz`).
        zone: Option<TimeZone>,
    },
}

impl Condition {
    /// Parses the flag form: `field=value`, `field!=value`, `field<DATE`, `field>DATE`,
    /// `field` (exists), `!field` (missing). `scalar` reads a value as YAML would.
    ///
    /// ```
    /// use recast_migrate::Condition;
    /// use recast_model::Value;
    /// let c = Condition::parse("publishedDateTime<2022-01-01", &|t| Value::from(t)).unwrap();
    /// assert!(matches!(c, Condition::Before { .. }));
    /// assert!(Condition::parse("date<yesterday", &|t| Value::from(t)).is_err());
    /// ```
    pub fn parse(text: &str, scalar: &dyn Fn(&str) -> Value) -> Result<Condition, String> {
        let text = text.trim();
        let date = |field: &str, date: &str| -> Result<(FieldPath, DateTime), String> {
            let path = condition_field(field)?;
            let date = DateTime::parse(date).ok_or_else(|| {
                format!("{date:?} is not a date; expected RFC 3339 or YYYY-MM-DD")
            })?;
            Ok((path, date))
        };
        // Operators of other languages (`==`, `<=`, `=~`) would read as a value starting
        // with `=` or `~` and match nothing without a word; refuse them.
        let operand_of = |operator: &str, operand: &str| -> Result<(), String> {
            match operand.chars().next() {
                Some(c @ ('=' | '~')) => Err(format!(
                    "`{operator}{c}` is not a --where operator; {CONDITION_GRAMMAR}"
                )),
                _ => Ok(()),
            }
        };
        if let Some((field, value)) = text.split_once("!=") {
            operand_of("!=", value)?;
            return Ok(Condition::NotEquals {
                path: condition_field(field)?,
                text: value.to_owned(),
                value: scalar(value),
            });
        }
        if let Some(at) = text.find(['=', '<', '>']) {
            let (field, rest) = text.split_at(at);
            let operand = &rest[1..];
            operand_of(&rest[..1], operand)?;
            return Ok(match rest.as_bytes()[0] {
                b'=' => Condition::Equals {
                    path: condition_field(field)?,
                    text: operand.to_owned(),
                    value: scalar(operand),
                },
                b'<' => {
                    let (path, date) = date(field, operand)?;
                    Condition::Before {
                        path,
                        date,
                        zone: None,
                    }
                }
                _ => {
                    let (path, date) = date(field, operand)?;
                    Condition::After {
                        path,
                        date,
                        zone: None,
                    }
                }
            });
        }
        match text.strip_prefix('!') {
            Some(field) => Ok(Condition::Missing(condition_field(field)?)),
            None => Ok(Condition::Exists(condition_field(text)?)),
        }
    }

    /// Reads the dates it compares that have no zone in `assumed` (`--assume-tz`).
    pub fn assume_zone(&mut self, assumed: Option<&TimeZone>) {
        if let Condition::Before { zone, .. } | Condition::After { zone, .. } = self {
            *zone = assumed.cloned();
        }
    }

    /// True when the record's fields match.
    pub fn matches(&self, fields: &Map) -> bool {
        let equals = |path: &FieldPath, text: &str, value: &Value| match path.get(fields) {
            Some(Value::String(s)) if s == text => true,
            Some(found) => strict_eq(found, value),
            None => false,
        };
        // Both sides as instants, so that a zone-less date compares by its clock time
        // with another and in the assumed zone with one that has a zone.
        let date_of = |path: &FieldPath, zone: &Option<TimeZone>| {
            path.get(fields)
                .and_then(Value::as_str)
                .and_then(DateTime::parse)
                .map(|d| d.instant_or_utc(zone.as_ref()))
        };
        match self {
            Condition::Equals { path, text, value } => equals(path, text, value),
            Condition::NotEquals { path, text, value } => !equals(path, text, value),
            Condition::Exists(path) => path.get(fields).is_some(),
            Condition::Missing(path) => path.get(fields).is_none(),
            Condition::Before { path, date, zone } => date_of(path, zone)
                .is_some_and(|d| d.timestamp < date.instant_or_utc(zone.as_ref()).timestamp),
            Condition::After { path, date, zone } => date_of(path, zone)
                .is_some_and(|d| d.timestamp > date.instant_or_utc(zone.as_ref()).timestamp),
        }
    }
}

/// The forms `--where` accepts, for its error messages.
pub const CONDITION_GRAMMAR: &str = "expected one of: field=value, field!=value, field<DATE, \
     field>DATE (DATE: YYYY-MM-DD or RFC 3339), field (it exists), !field (it is missing)";

/// The field of a `where` condition: a path without operator characters, so that a
/// mistyped operator is an error rather than a field no record has.
fn condition_field(text: &str) -> Result<FieldPath, String> {
    if let Some(c) = text.chars().find(|c| {
        matches!(
            c,
            '=' | '!' | '<' | '>' | '~' | '&' | '|' | '(' | ')' | '*' | '^' | '$'
        )
    }) {
        return Err(format!(
            "{:?} is not a field name (it holds `{c}`); {CONDITION_GRAMMAR}",
            text.trim()
        ));
    }
    field_path(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Map {
        let mut provider = Map::default();
        provider.insert("name".into(), "Harvard".into());
        let mut fields = Map::default();
        fields.insert("title".into(), "AI revolution in medicine".into());
        fields.insert(
            "publishedDateTime".into(),
            "2021-05-12T01:00:00+09:00".into(),
        );
        fields.insert("provider".into(), Value::Map(provider));
        fields.insert("published".into(), false.into());
        fields
    }

    fn yaml_ish(text: &str) -> Value {
        match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => match text.parse::<i64>() {
                Ok(n) => n.into(),
                Err(_) => text.into(),
            },
        }
    }

    /// A date alone is the start of its day; a zone-less date-time compares by its
    /// clock time, and with a zoned date in the assumed zone (UTC by default).
    #[test]
    fn where_compares_dates_exactly() {
        let matches = |value: &str, condition: &str, zone: Option<&str>| {
            let mut fields = Map::default();
            fields.insert("d".into(), value.into());
            let mut parsed = Condition::parse(condition, &yaml_ish).unwrap();
            let zone = zone.map(|z| recast_model::date::parse_zone(z).unwrap());
            parsed.assume_zone(zone.as_ref());
            parsed.matches(&fields)
        };
        assert!(matches("2021-03-04T10:00:00", "d>2021-03-04", None));
        assert!(!matches("2021-03-04T10:00:00", "d<2021-03-04", None));
        assert!(!matches("2021-03-04", "d>2021-03-04", None));
        assert!(!matches("2021-03-04", "d<2021-03-04", None));
        assert!(matches("2021-03-03T23:59:59", "d<2021-03-04", None));
        assert!(matches(
            "2021-03-04T10:00:00-0500",
            "d>2021-03-04T14:59:59Z",
            None
        ));
        assert!(matches(
            "2016-06-03 13:21:02 -0700",
            "d>2016-06-03T20:21:01Z",
            None
        ));
        assert!(!matches(
            "2016-06-03 13:21:02 -0700",
            "d>2016-06-03T20:21:02Z",
            None
        ));
        // 10:00 in Paris is 09:00 UTC.
        assert!(matches(
            "2021-03-04T10:00:00",
            "d<2021-03-04T09:30:00Z",
            Some("Europe/Paris")
        ));
        assert!(!matches(
            "2021-03-04T10:00:00",
            "d<2021-03-04T09:30:00Z",
            None
        ));
    }

    #[test]
    fn where_conditions() {
        let fields = record();
        let check = |text: &str| Condition::parse(text, &yaml_ish).unwrap().matches(&fields);
        assert!(check("published=false"));
        assert!(!check("published=true"));
        assert!(check("published!=true"));
        assert!(check("provider.name=Harvard"));
        assert!(check("provider.name"));
        assert!(check("!category"));
        assert!(!check("category"));
        assert!(check("publishedDateTime<2021-05-12"));
        assert!(check("publishedDateTime>2021-05-11T15:59:59Z"));
        assert!(!check("title<2021-05-12"));
        assert!(Condition::parse("x>soon", &yaml_ish).is_err());
        assert!(Condition::parse("=x", &yaml_ish).is_err());
    }
}
