//! The record test of `where` ([`Condition`]): `--where` on `migrate` and `convert`,
//! and `where:` in a plan file.
//!
//! The grammar ([`CONDITION_GRAMMAR`] is its short form for messages):
//!
//! ```text
//! condition := or
//! or        := and ("or" and)*
//! and       := unary ("and" unary)*
//! unary     := "not" unary | "(" condition ")" | test
//! test      := FIELD                      the field exists (null counts)
//!            | "!" FIELD                  the field is missing
//!            | FIELD OP VALUE
//! OP        := "=" | "!=" | "<" | "<=" | ">" | ">=" | "~"
//! ```
//!
//! `not` binds tighter than `and`, and `and` tighter than `or` (as in SQL, Python and
//! jq): `a or b and not c` is `a or (b and (not c))`. The keywords are lower case and
//! stand between spaces.
//!
//! - `=`/`!=`: the field is the text, or the value the text reads as in YAML
//!   (`draft=false` matches the boolean); on a list, an item is (`tags=rust`).
//! - `<`, `<=`, `>`, `>=`: a number bound compares numbers (`quality>50`), a date bound
//!   compares dates as instants (`d<2021-03-04`); a field of another type does not match.
//! - `~`: a regular expression (the `regex` crate's syntax, `(?i)` for any case) found in
//!   a text field, or in a text item of a list.
//! - A value runs to the next ` and `/` or `, to a `)` that closes a group, or to the
//!   end; quote it (YAML quotes) to hold those: `title='Rock and roll'`.

use std::cmp::Ordering;

use recast_model::date::{DateTime, TimeZone};
use recast_model::path::FieldPath;
use recast_model::{Map, Number, Value, strict_eq};
use regex::Regex;

use crate::path::field_path;

/// What `where` tests.
#[derive(Debug, Clone)]
pub enum Condition {
    /// `field=value`: the field is a string equal to the text, or equals the value the
    /// text reads as in YAML (`draft=false` matches the boolean, `quality=39` the number);
    /// a list matches when one of its items does (`tags=rust`).
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
    /// `field<BOUND`, `<=`, `>`, `>=`: the field (or an item of a list field) is a number
    /// or a date, as the bound is, and compares so with it. A field of another type fails.
    Compare {
        /// The field tested.
        path: FieldPath,
        /// How the field must stand against the bound.
        operator: Comparison,
        /// The number or date compared with.
        bound: Bound,
    },
    /// `field~REGEX`: the field (or a string item of a list field) is a string in which
    /// the expression is found.
    Matches {
        /// The field tested.
        path: FieldPath,
        /// The compiled expression.
        regex: Regex,
    },
    /// `not C`.
    Not(Box<Condition>),
    /// `A and B and …`: every one matches.
    All(Vec<Condition>),
    /// `A or B or …`: at least one matches.
    Any(Vec<Condition>),
}

/// The order operators of `where`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
}

impl Comparison {
    /// Whether a field that stands `ordering` against the bound passes.
    fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Comparison::Less => ordering.is_lt(),
            Comparison::LessOrEqual => ordering.is_le(),
            Comparison::Greater => ordering.is_gt(),
            Comparison::GreaterOrEqual => ordering.is_ge(),
        }
    }
}

/// What an order operator compares with.
#[derive(Debug, Clone)]
pub enum Bound {
    /// A number: integers compare exactly, others as 64-bit floats.
    Number(Number),
    /// A date, compared as an instant. A date alone is the start of its day
    /// (`d<2021-03-04` leaves that day out, `d>2021-03-04` takes 10:00 that day); dates
    /// without a zone are read in `zone` (`--assume-tz`), else as UTC, when compared with
    /// one that has a zone.
    Date {
        /// The bound.
        date: DateTime,
        /// The zone of dates written without one (`--assume-tz`).
        zone: Option<TimeZone>,
    },
}

impl Bound {
    /// A bound from the text after the operator: a number, else a date.
    fn parse(text: &str) -> Option<Bound> {
        match Number::parse(text) {
            Some(number) => Some(Bound::Number(number)),
            None => DateTime::parse(text).map(|date| Bound::Date { date, zone: None }),
        }
    }

    /// How `value` stands against the bound, when it is of the bound's kind.
    fn order_of(&self, value: &Value) -> Option<Ordering> {
        match self {
            Bound::Number(bound) => value.as_number().and_then(|n| compare_numbers(n, bound)),
            Bound::Date { date, zone } => {
                // Both sides as instants, so that a zone-less date compares by its clock
                // time with another and in the assumed zone with one that has a zone.
                let found = DateTime::parse(value.as_str()?)?.instant_or_utc(zone.as_ref());
                let bound = date.instant_or_utc(zone.as_ref());
                Some(found.timestamp.cmp(&bound.timestamp))
            }
        }
    }
}

/// Integers exactly, others as floats (NaN compares with nothing).
fn compare_numbers(a: &Number, b: &Number) -> Option<Ordering> {
    match (a.as_i128(), b.as_i128()) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64().partial_cmp(&b.as_f64()),
    }
}

impl Condition {
    /// Parses the flag form (see the module docs for the grammar). `scalar` reads a value
    /// as YAML would. An error names the column (counted in characters from 1) where
    /// the expression went wrong.
    ///
    /// ```
    /// use recast_migrate::Condition;
    /// use recast_model::Value;
    /// let c = Condition::parse("publishedDateTime<2022-01-01", &|t| Value::from(t)).unwrap();
    /// assert!(matches!(c, Condition::Compare { .. }));
    /// let c = Condition::parse("quality>=50 and (tags=rust or title~(?i)^the)", &|t| Value::from(t));
    /// assert!(matches!(c, Ok(Condition::All(_))));
    /// let error = Condition::parse("date<yesterday", &|t| Value::from(t)).unwrap_err();
    /// assert!(error.starts_with("at column 6: "), "{error}");
    /// ```
    pub fn parse(text: &str, scalar: &dyn Fn(&str) -> Value) -> Result<Condition, String> {
        let mut parser = Parser {
            text,
            at: 0,
            scalar,
        };
        let condition = parser.or()?;
        parser.skip_spaces();
        match parser.rest().chars().next() {
            None => Ok(condition),
            Some(')') => Err(parser.error("`)` closes no `(`")),
            Some(_) => Err(parser.unexpected()),
        }
    }

    /// Reads the dates it compares that have no zone in `assumed` (`--assume-tz`).
    pub fn assume_zone(&mut self, assumed: Option<&TimeZone>) {
        match self {
            Condition::Compare {
                bound: Bound::Date { zone, .. },
                ..
            } => *zone = assumed.cloned(),
            Condition::Not(inner) => inner.assume_zone(assumed),
            Condition::All(all) | Condition::Any(all) => {
                all.iter_mut().for_each(|c| c.assume_zone(assumed));
            }
            _ => {}
        }
    }

    /// True when the record's fields match.
    pub fn matches(&self, fields: &Map) -> bool {
        let equals = |path: &FieldPath, text: &str, value: &Value| {
            path.get(fields)
                .is_some_and(|found| any_item(found, |v| equal(v, text, value)))
        };
        match self {
            Condition::Equals { path, text, value } => equals(path, text, value),
            Condition::NotEquals { path, text, value } => !equals(path, text, value),
            Condition::Exists(path) => path.get(fields).is_some(),
            Condition::Missing(path) => path.get(fields).is_none(),
            Condition::Compare {
                path,
                operator,
                bound,
            } => path.get(fields).is_some_and(|found| {
                any_item(found, |v| {
                    bound.order_of(v).is_some_and(|o| operator.accepts(o))
                })
            }),
            Condition::Matches { path, regex } => path.get(fields).is_some_and(|found| {
                any_item(found, |v| v.as_str().is_some_and(|s| regex.is_match(s)))
            }),
            Condition::Not(inner) => !inner.matches(fields),
            Condition::All(all) => all.iter().all(|c| c.matches(fields)),
            Condition::Any(any) => any.iter().any(|c| c.matches(fields)),
        }
    }
}

/// `test` of the value, or of one of its items when it is a list (the list itself is
/// tried first, so `tags=[a, b]` matches that whole list).
fn any_item(value: &Value, test: impl Fn(&Value) -> bool) -> bool {
    test(value) || value.as_list().is_some_and(|items| items.iter().any(test))
}

/// `=`: a string equal to the text as written, or a value equal to its YAML reading.
fn equal(found: &Value, text: &str, value: &Value) -> bool {
    match found {
        Value::String(s) if s == text => true,
        found => strict_eq(found, value),
    }
}

/// The forms `--where` accepts, for its error messages.
pub const CONDITION_GRAMMAR: &str = "expected tests like field=value, field!=value, \
     field<N, field>=DATE (<, <=, >, >=: a number, or YYYY-MM-DD / RFC 3339), field~REGEX, \
     field (it exists), !field (it is missing), joined with and, or, not and ( )";

/// A recursive-descent reader of the grammar in the module docs.
struct Parser<'a> {
    text: &'a str,
    /// The byte offset read up to.
    at: usize,
    scalar: &'a dyn Fn(&str) -> Value,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    /// The 1-based character column of byte offset `at`.
    fn column(&self, at: usize) -> usize {
        self.text[..at].chars().count() + 1
    }

    fn error(&self, message: &str) -> String {
        self.error_at(self.at, message)
    }

    fn error_at(&self, at: usize, message: &str) -> String {
        format!("at column {}: {message}", self.column(at))
    }

    /// What stands where `and`, `or`, `)` or the end was expected.
    fn unexpected(&self) -> String {
        let rest = self.rest();
        for foreign in ["&&", "||", "&", "|"] {
            if rest.starts_with(foreign) {
                return self.error(&not_a_join(foreign));
            }
        }
        let found: String = rest.chars().take(12).collect();
        self.error(&format!(
            "expected `and`, `or` or the end, found {found:?}; {CONDITION_GRAMMAR}"
        ))
    }

    /// Consumes `word` when it stands alone (followed by a space, `(` or the end).
    fn keyword(&mut self, word: &str) -> bool {
        let found = starts_with_keyword(self.rest(), word);
        if found {
            self.at += word.len();
        }
        found
    }

    fn or(&mut self) -> Result<Condition, String> {
        let mut any = vec![self.and()?];
        loop {
            self.skip_spaces();
            if !self.keyword("or") {
                break;
            }
            any.push(self.and()?);
        }
        Ok(single_or(any, Condition::Any))
    }

    fn and(&mut self) -> Result<Condition, String> {
        let mut all = vec![self.unary()?];
        loop {
            self.skip_spaces();
            if !self.keyword("and") {
                break;
            }
            all.push(self.unary()?);
        }
        Ok(single_or(all, Condition::All))
    }

    fn unary(&mut self) -> Result<Condition, String> {
        self.skip_spaces();
        if self.keyword("not") {
            return Ok(Condition::Not(Box::new(self.unary()?)));
        }
        if self.rest().starts_with('(') {
            let open = self.at;
            self.at += 1;
            let inner = self.or()?;
            self.skip_spaces();
            if !self.rest().starts_with(')') {
                return Err(match self.rest().is_empty() {
                    true => self.error_at(open, "this `(` is not closed"),
                    false => self.unexpected(),
                });
            }
            self.at += 1;
            return Ok(inner);
        }
        self.test()
    }

    fn test(&mut self) -> Result<Condition, String> {
        if self.rest().starts_with('!') && !self.rest().starts_with("!=") {
            self.at += 1;
            return Ok(Condition::Missing(self.field()?));
        }
        let path = self.field()?;
        let after_field = self.at;
        self.skip_spaces();
        let Some(operator) = ["!=", "<=", ">=", "=", "<", ">", "~"]
            .into_iter()
            .find(|op| self.rest().starts_with(op))
        else {
            self.at = after_field;
            return Ok(Condition::Exists(path));
        };
        let operator_at = self.at;
        self.at += operator.len();
        // Operators of other languages (`==`, `=~`, `!==`) would read as a value starting
        // with `=` or `~` and match nothing without a word; refuse them.
        if let Some(c @ ('=' | '~')) = self.rest().chars().next() {
            return Err(self.error_at(
                operator_at,
                &format!("`{operator}{c}` is not a --where operator; {CONDITION_GRAMMAR}"),
            ));
        }
        self.skip_spaces();
        let value_at = self.at;
        let (written, text) = self.value()?;
        let needs =
            |what: &str| self.error_at(value_at, &format!("expected {what} after `{operator}`"));
        Ok(match operator {
            "=" | "!=" => {
                let value = (self.scalar)(written);
                let text = self.unquoted(written, text);
                match operator {
                    "=" => Condition::Equals { path, text, value },
                    _ => Condition::NotEquals { path, text, value },
                }
            }
            "~" => {
                let pattern = self.unquoted(written, text);
                if pattern.is_empty() {
                    return Err(needs("a regular expression"));
                }
                let regex = Regex::new(&pattern).map_err(|e| {
                    let reason = e.to_string();
                    let reason = reason.lines().last().unwrap_or_default().trim();
                    self.error_at(
                        value_at,
                        &format!("{pattern:?} is not a regular expression: {reason}"),
                    )
                })?;
                Condition::Matches { path, regex }
            }
            _ => {
                let bound = self.unquoted(written, text);
                let bound = Bound::parse(&bound).ok_or_else(|| {
                    needs(&format!(
                        "a number or a date (YYYY-MM-DD or RFC 3339), found {bound:?},"
                    ))
                })?;
                let operator = match operator {
                    "<" => Comparison::Less,
                    "<=" => Comparison::LessOrEqual,
                    ">" => Comparison::Greater,
                    _ => Comparison::GreaterOrEqual,
                };
                Condition::Compare {
                    path,
                    operator,
                    bound,
                }
            }
        })
    }

    /// The text of a value as YAML reads it, when it was quoted.
    fn unquoted(&self, written: &str, text: &str) -> String {
        match written.chars().next() {
            Some('\'') => text.replace("''", "'"),
            Some('"') => match (self.scalar)(written) {
                Value::String(s) => s,
                _ => text.to_owned(),
            },
            _ => text.to_owned(),
        }
    }

    /// A field name: up to a space, an operator, a parenthesis or the end.
    fn field(&mut self) -> Result<FieldPath, String> {
        let start = self.at;
        let rest = self.rest();
        let mut end = rest.len();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                chars.next();
                continue;
            }
            if c.is_whitespace() || matches!(c, '=' | '!' | '<' | '>' | '~' | '(' | ')') {
                end = i;
                break;
            }
            if matches!(c, '&' | '|' | '*' | '^' | '$') {
                return Err(self.error_at(
                    start + i,
                    &format!("a field name cannot hold `{c}`; {CONDITION_GRAMMAR}"),
                ));
            }
        }
        let name = &rest[..end];
        if name.is_empty() {
            return Err(match rest.is_empty() {
                true => self.error("expected a field name, found the end"),
                false => self.error(&format!("expected a field name; {CONDITION_GRAMMAR}")),
            });
        }
        let path = field_path(name).map_err(|e| self.error(&e))?;
        self.at += end;
        Ok(path)
    }

    /// A value: quoted (YAML quotes), or plain up to ` and `, ` or `, a `)` it did not
    /// open, or the end. Returns the text as written (with its quotes) and without.
    fn value(&mut self) -> Result<(&'a str, &'a str), String> {
        let start = self.at;
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let end =
                closing_quote(rest, quote).ok_or_else(|| self.error("this quote is not closed"))?;
            let written = &self.text[start..start + end + 1];
            self.at += end + 1;
            let follows = self.rest().chars().next();
            if follows.is_some_and(|c| !c.is_whitespace() && c != ')') {
                return Err(self.error("expected a space, `)` or the end after the quoted value"));
            }
            return Ok((written, &written[1..written.len() - 1]));
        }
        let mut nested = 0usize;
        let mut end = rest.len();
        let mut previous_space = false;
        for (i, c) in rest.char_indices() {
            if previous_space
                && (starts_with_keyword(&rest[i..], "and") || starts_with_keyword(&rest[i..], "or"))
            {
                end = i;
                break;
            }
            // `a=x && b=y` would otherwise test a for the text "x && b=y" and match nothing.
            if let Some(foreign) = ["&&", "||"]
                .into_iter()
                .find(|foreign| previous_space && starts_with_keyword(&rest[i..], foreign))
            {
                return Err(self.error_at(
                    start + i,
                    &format!("{} (quote a value that holds it)", not_a_join(foreign)),
                ));
            }
            match c {
                '(' => nested += 1,
                ')' if nested > 0 => nested -= 1,
                ')' => {
                    end = i;
                    break;
                }
                _ => {}
            }
            previous_space = c.is_whitespace();
        }
        let written = rest[..end].trim_end();
        self.at += written.len();
        let written = &self.text[start..start + written.len()];
        Ok((written, written))
    }
}

/// Another language's `and` or `or` (`&&`, `||`), refused with what to write instead.
fn not_a_join(foreign: &str) -> String {
    format!("`{foreign}` is not a --where operator; write `and` or `or` between tests")
}

/// One condition as itself, several joined by `join`.
fn single_or(mut conditions: Vec<Condition>, join: fn(Vec<Condition>) -> Condition) -> Condition {
    match conditions.len() {
        1 => conditions.remove(0),
        _ => join(conditions),
    }
}

/// `text` opens with the keyword `word`, followed by a space, `(` or the end.
fn starts_with_keyword(text: &str, word: &str) -> bool {
    text.strip_prefix(word).is_some_and(|after| {
        after.is_empty() || after.starts_with(|c: char| c.is_whitespace() || c == '(')
    })
}

/// The byte offset of the quote that closes the one `text` opens with: `''` is a quote
/// inside single quotes, `\"` inside double ones (YAML's rules).
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                    chars.next();
                    continue;
                }
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_values::yaml_ish;

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

    fn number(text: &str) -> Value {
        Value::Number(Number::parse(text).unwrap())
    }

    fn article() -> Map {
        let mut fields = record();
        fields.insert("quality".into(), number("39"));
        fields.insert("score".into(), number("0.75"));
        fields.insert(
            "tags".into(),
            Value::List(vec!["rust".into(), "yaml".into(), number("7")]),
        );
        fields.insert("big".into(), number("12345678901234567890123"));
        fields
    }

    fn check(text: &str) -> bool {
        Condition::parse(text, &yaml_ish)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .matches(&article())
    }

    fn error(text: &str) -> String {
        Condition::parse(text, &yaml_ish).unwrap_err()
    }

    #[test]
    fn numbers_compare_as_numbers() {
        assert!(check("quality>38") && !check("quality>39") && check("quality>=39"));
        assert!(check("quality<40") && !check("quality<39") && check("quality<=39"));
        assert!(check("score<1") && check("score>=0.75") && !check("score>0.75"));
        assert!(check("quality>-1.5") && check("quality!=40") && !check("quality!=39"));
        // Integers past 64 bits compare exactly.
        assert!(check("big>12345678901234567890122") && !check("big>12345678901234567890123"));
        // A field of another type, or missing, does not match.
        assert!(!check("title>1") && !check("nothing<1") && !check("published>=0"));
        // A number bound never compares dates, a date bound never numbers.
        assert!(!check("publishedDateTime>1") && !check("quality>2021-01-01"));
    }

    #[test]
    fn dates_compare_with_every_order_operator() {
        assert!(check("publishedDateTime<=2021-05-11T16:00:00Z"));
        assert!(!check("publishedDateTime<2021-05-11T16:00:00Z"));
        assert!(check("publishedDateTime>=2021-05-11T16:00:00Z"));
        assert!(check("publishedDateTime>=2021-05-11"));
    }

    #[test]
    fn lists_match_by_item() {
        assert!(check("tags=rust") && check("tags=yaml") && check("tags=7"));
        assert!(!check("tags=go") && check("tags!=go") && !check("tags!=rust"));
        assert!(check("tags~^ru") && !check("tags~^go"));
        assert!(check("tags>6") && !check("tags>7"));
        // A missing list matches `!=` and nothing else.
        assert!(check("topics!=rust") && !check("topics=rust") && !check("topics~x"));
    }

    #[test]
    fn regular_expressions() {
        assert!(check("title~(?i)^ai rev") && !check("title~^ai rev"));
        assert!(check("title~medicine$") && check("provider.name~arv"));
        assert!(!check("quality~39"), "a number is not a text");
        assert!(check("title~'in medicine'"));
        let message = error("title~(unclosed");
        assert!(
            message.starts_with("at column 7: \"(unclosed\" is not a regular expression"),
            "{message}"
        );
        assert_eq!(
            error("title~"),
            "at column 7: expected a regular expression after `~`"
        );
    }

    #[test]
    fn and_or_not_and_groups() {
        assert!(check("quality>30 and tags=rust"));
        assert!(!check("quality>40 and tags=rust"));
        assert!(check("quality>40 or tags=rust"));
        assert!(!check("quality>40 or tags=go"));
        assert!(check("not quality>40") && !check("not not quality>40"));
        assert!(check("not (quality>40 or tags=go)"));
        assert!(check("(quality>40 or tags=rust) and !category"));
        assert!(check("(title~(?i)^AI) and provider.name=Harvard"));
        assert!(check("((quality=39))"));
        assert!(check("quality = 39 and tags = rust"));
    }

    /// `not` binds tighter than `and`, `and` tighter than `or`.
    #[test]
    fn precedence() {
        // true or (false and false): true; (true or false) and false would be false.
        assert!(check("tags=rust or tags=go and quality>40"));
        assert!(!check("(tags=rust or tags=go) and quality>40"));
        // (not false) and true.
        assert!(check("not tags=go and tags=rust"));
        // (false and x) or true.
        assert!(check("tags=go and quality>1 or tags=yaml"));
        let parsed = Condition::parse("a or b and not c", &yaml_ish).unwrap();
        let Condition::Any(any) = parsed else {
            panic!("{parsed:?}")
        };
        assert!(matches!(&any[0], Condition::Exists(_)));
        let Condition::All(all) = &any[1] else {
            panic!("{:?}", any[1])
        };
        assert!(matches!(&all[1], Condition::Not(_)));
    }

    #[test]
    fn values_end_at_keywords_and_groups() {
        let mut fields = Map::default();
        fields.insert("title".into(), "Rock and roll".into());
        fields.insert("note".into(), "a (b) c".into());
        let check = |text: &str| Condition::parse(text, &yaml_ish).unwrap().matches(&fields);
        assert!(check("title='Rock and roll'") && check("title=\"Rock and roll\""));
        assert!(!check("title=Rock and roll"), "`roll` is a field test");
        assert!(check("note=a (b) c") && check("(note=a (b) c)"));
        assert!(check("(title~^Rock) and note~\\(b\\)"));
        assert!(check("title=Rock and roll or note"));
        assert!(check("title='it''s' or title~'k and r'"));
    }

    #[test]
    fn errors_name_the_column() {
        for (text, expected) in [
            ("", "at column 1: expected a field name, found the end"),
            ("a and", "at column 6: expected a field name, found the end"),
            (
                "x>soon",
                "at column 3: expected a number or a date (YYYY-MM-DD or RFC 3339), found \"soon\", after `>`",
            ),
            (
                "d<",
                "at column 3: expected a number or a date (YYYY-MM-DD or RFC 3339), found \"\", after `<`",
            ),
            ("(a=1", "at column 1: this `(` is not closed"),
            ("a=1)", "at column 4: `)` closes no `(`"),
            (
                "a && b",
                "at column 3: `&&` is not a --where operator; write `and` or `or` between tests",
            ),
            (
                "category=news && quality>50",
                "at column 15: `&&` is not a --where operator; write `and` or `or` between tests (quote a value that holds it)",
            ),
            (
                "quality>1 || draft",
                "at column 11: `||` is not a --where operator",
            ),
            ("title='x", "at column 7: this quote is not closed"),
            (
                "title='x'y",
                "at column 10: expected a space, `)` or the end after the quoted value",
            ),
            (
                "é b",
                "at column 3: expected `and`, `or` or the end, found \"b\"; ",
            ),
        ] {
            let message = error(text);
            assert!(message.starts_with(expected), "{text:?}: {message}");
        }
        assert!(error("a==1").starts_with("at column 2: `==` is not a --where operator"));
        // Inside a value, only a `&&` or `||` standing alone is refused; quoted, it is text.
        let parses = |text: &str| Condition::parse(text, &yaml_ish).is_ok();
        assert!(parses("title=R&&D") && parses("title='x && y'"));
        assert!(error("a and =x").starts_with("at column 7: expected a field name"));
        assert!(error("a*b").starts_with("at column 2: a field name cannot hold `*`"));
        assert!(error("a..b=1").starts_with("at column 1: \"a..b\" is not a field path"));
    }
}
