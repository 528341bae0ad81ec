//! [`Plan`]: the edits of one migration, in order, from flags or from a plan file.
//!
//! A plan file is a YAML list; each item has one key, the edit's kind:
//!
//! ```yaml
//! - rename: {from: provider.name, to: source}   # or: rename: provider.name=source
//! - delete: provider                            # or a list: delete: [a, b]
//! - set: {field: draft, value: false}
//! - default: {field: category, value: news}
//! - date: {field: publishedDateTime, format: "%Y-%m-%d"}
//! - where: "publishedDateTime>2021-01-01"       # or {field: x, equals: v} / exists / missing / before / after
//! - template: {field: slug, template: "{title|slug}"}
//! - jq: 'if .topics then .topics |= map(ascii_downcase) else . end'
//! ```

use std::borrow::Cow;
use std::fmt;

use recast_model::{Map, Record, Value};

use crate::condition::{Bound, Comparison, Condition};
use crate::edit::{Applied, Edit, same_fields};
use crate::jq::JqProgram;
use crate::path::field_path;

/// The edits of a migration, applied in order to each record.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// The edits, in the order they apply.
    pub edits: Vec<Edit>,
}

/// What applying a plan did to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// False when a `where` dropped the record (the edits after it were not applied).
    pub kept: bool,
    /// True when some edit changed a field.
    pub changed: bool,
}

/// What each edit of a plan did over many records: how many it changed, left as they
/// were, lacked the field it reads, or could not reach (and the first reason why).
#[derive(Debug, Clone, Default)]
pub struct PlanReport {
    /// One per edit, in the plan's order.
    pub edits: Vec<EditCounts>,
}

/// What one edit did over many records.
#[derive(Debug, Clone, Default)]
pub struct EditCounts {
    /// Records the edit changed.
    pub changed: u64,
    /// Records already as the edit would make them.
    pub unchanged: u64,
    /// Records without the field the edit reads (rename, delete, date).
    pub missing: u64,
    /// Records the edit could not apply to.
    pub blocked: u64,
    /// Why it could not apply to the first such record.
    pub first_blocked: Option<String>,
    /// Where that record came from (`file:line`).
    pub first_blocked_in: Option<String>,
    /// Records a `where` left out.
    pub dropped: u64,
    /// A template edit: the placeholders that found no value.
    pub template: recast_model::template::TemplateGaps,
}

impl PlanReport {
    /// An empty report for `plan`: one count per edit.
    pub fn new(plan: &Plan) -> PlanReport {
        PlanReport {
            edits: vec![EditCounts::default(); plan.edits.len()],
        }
    }

    /// Adds another report of the same plan (of records read after this one's).
    pub fn merge(&mut self, other: &PlanReport) {
        for (total, counts) in self.edits.iter_mut().zip(&other.edits) {
            total.changed += counts.changed;
            total.unchanged += counts.unchanged;
            total.missing += counts.missing;
            total.dropped += counts.dropped;
            if total.first_blocked.is_none() {
                total.first_blocked = counts.first_blocked.clone();
                total.first_blocked_in = counts.first_blocked_in.clone();
            }
            total.blocked += counts.blocked;
            total.template.merge(&counts.template);
        }
    }
}

/// A plan file that cannot be used: which edit (1-based) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// The 1-based position of the edit in the list, when the error is about one.
    pub edit: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.edit {
            Some(n) => write!(f, "edit {n}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    /// A plan of these edits, in this order.
    pub fn new(edits: Vec<Edit>) -> Plan {
        Plan { edits }
    }

    /// True when the plan has no edit (a usage error for `migrate`).
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// Reads dates without a zone in `zone` (`--assume-tz`) in every edit.
    pub fn assume_zone(&mut self, zone: Option<&recast_model::date::TimeZone>) {
        for edit in &mut self.edits {
            edit.assume_zone(zone);
        }
    }

    /// [`Plan::apply`], counting in `report` what each edit did and why it could not
    /// apply (`report` has one entry per edit: start with [`PlanReport::new`]). The
    /// error says which edit cannot apply to this record at all and why
    /// ([`Edit::check`]: a date without a zone that the format needs one for).
    pub fn apply_reported(
        &self,
        record: &mut Record,
        report: &mut PlanReport,
    ) -> Result<Outcome, String> {
        let mut changed = false;
        for (edit, counts) in self.edits.iter().zip(&mut report.edits) {
            match apply_counted(edit, record, counts)? {
                Step::Dropped => {
                    return Ok(Outcome {
                        kept: false,
                        changed,
                    });
                }
                Step::Kept { changed: edited } => changed |= edited,
            }
        }
        Ok(Outcome {
            kept: true,
            changed,
        })
    }

    /// [`Plan::apply_reported`] for plans whose `jq` steps may give several records for
    /// one: each edit applies to every record the edits before it made. No record
    /// means a `where` or a `jq` step dropped it.
    pub fn apply_all(&self, record: &Record, report: &mut PlanReport) -> Result<Fanout, String> {
        // A `jq` step reads its record and makes new ones: the record is copied only
        // for an edit that changes it in place.
        let mut records = vec![Cow::Borrowed(record)];
        let mut changed = false;
        for (edit, counts) in self.edits.iter().zip(&mut report.edits) {
            let mut next = Vec::with_capacity(records.len());
            for mut record in records {
                match edit {
                    Edit::Jq(program) => {
                        let (outputs, edited) = run_counted(program, &record, counts)?;
                        changed |= edited;
                        next.extend(
                            outputs.into_iter().map(|fields| {
                                Cow::Owned(Record::new(fields, record.origin.clone()))
                            }),
                        );
                    }
                    _ => match apply_counted(edit, record.to_mut(), counts)? {
                        Step::Dropped => {}
                        Step::Kept { changed: edited } => {
                            changed |= edited;
                            next.push(record);
                        }
                    },
                }
            }
            records = next;
            if records.is_empty() {
                break;
            }
        }
        let records = records.into_iter().map(Cow::into_owned).collect();
        Ok(Fanout { records, changed })
    }

    /// Applies every edit in order to the record's fields; the error says which edit
    /// cannot apply to this record and why ([`Edit::check`]).
    pub fn apply(&self, record: &mut Record) -> Result<Outcome, String> {
        self.apply_reported(record, &mut PlanReport::new(self))
    }

    /// Builds a plan from a plan file's value (a list of one-key maps, see the module
    /// docs). `scalar` reads the text of `where` conditions as YAML would.
    pub fn from_value(value: &Value, scalar: &dyn Fn(&str) -> Value) -> Result<Plan, PlanError> {
        let items = match value {
            Value::List(items) => items.as_slice(),
            Value::Null => &[],
            other => {
                return Err(PlanError {
                    edit: None,
                    message: format!(
                        "the plan is {}; expected a list of edits (`- rename: {{from: a, to: b}}`)",
                        other.type_in_words()
                    ),
                });
            }
        };
        let mut edits = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = |message: String| PlanError {
                edit: Some(i + 1),
                message,
            };
            let Some((kind, spec)) = item
                .as_map()
                .filter(|m| m.len() == 1)
                .and_then(|m| m.first())
            else {
                return Err(at(format!(
                    "expected a map with one key (the edit: rename, delete, set, default, date, where, template, jq), found {item}"
                )));
            };
            parse_edit(kind, spec, scalar, &mut edits).map_err(|m| at(format!("{kind}: {m}")))?;
        }
        Ok(Plan { edits })
    }
}

/// What a plan made of one record ([`Plan::apply_all`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Fanout {
    /// The records, in order: none when a `where` or `jq` step dropped the record,
    /// several when a `jq` step gave several.
    pub records: Vec<Record>,
    /// True when some edit changed a field (or a `jq` step dropped or multiplied it).
    pub changed: bool,
}

/// What one edit did to one record, for [`Plan::apply_reported`].
enum Step {
    Dropped,
    Kept { changed: bool },
}

/// Applies one edit, counting what it did; a `jq` step that gives several records is an
/// error here (only [`Plan::apply_all`] can take them).
fn apply_counted(
    edit: &Edit,
    record: &mut Record,
    counts: &mut EditCounts,
) -> Result<Step, String> {
    if let Edit::Jq(program) = edit {
        let (mut outputs, changed) = run_counted(program, record, counts)?;
        return match outputs.len() {
            0 => Ok(Step::Dropped),
            1 => {
                record.fields = outputs.pop().expect("one output");
                Ok(Step::Kept { changed })
            }
            n => Err(format!(
                "jq `{}` gives {n} records for one; this use of the plan takes one",
                program.source()
            )),
        };
    }
    edit.check(&record.fields)?;
    let step = match edit.apply_explained(&mut record.fields) {
        Applied::Dropped => {
            counts.dropped += 1;
            return Ok(Step::Dropped);
        }
        Applied::Changed => {
            counts.changed += 1;
            Step::Kept { changed: true }
        }
        Applied::Unchanged => {
            counts.unchanged += 1;
            Step::Kept { changed: false }
        }
        Applied::Missing => {
            counts.missing += 1;
            Step::Kept { changed: false }
        }
        Applied::Blocked(reason) => {
            counts.blocked += 1;
            if counts.first_blocked.is_none() {
                counts.first_blocked = Some(reason);
                counts.first_blocked_in = Some(record.origin.to_string());
            }
            Step::Kept { changed: false }
        }
    };
    if let Edit::Template { template, .. } = edit {
        counts.template.add(template, record);
    }
    Ok(step)
}

/// Runs a `jq` step on one record and counts what it did: dropped (no output),
/// unchanged (the record itself), changed (anything else).
fn run_counted(
    program: &JqProgram,
    record: &Record,
    counts: &mut EditCounts,
) -> Result<(Vec<Map>, bool), String> {
    let outputs = program
        .run(&record.fields)
        .map_err(|error| format!("jq `{}`: {error}", program.source()))?;
    let changed = counts_as_changed(&outputs, record);
    match outputs.as_slice() {
        [] => counts.dropped += 1,
        _ if !changed => counts.unchanged += 1,
        _ => counts.changed += 1,
    }
    Ok((outputs, changed))
}

/// Whether a `jq` step's outputs differ from the one record it read.
fn counts_as_changed(outputs: &[Map], record: &Record) -> bool {
    !matches!(outputs, [one] if same_fields(one, &record.fields))
}

fn parse_edit(
    kind: &str,
    spec: &Value,
    scalar: &dyn Fn(&str) -> Value,
    edits: &mut Vec<Edit>,
) -> Result<(), String> {
    let text = |name: &str, map: &Map| -> Result<String, String> {
        match map.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(other) => Err(format!(
                "`{name}` is {}; expected text",
                other.type_in_words()
            )),
            None => Err(format!("missing `{name}`")),
        }
    };
    let fields = |spec: &Value, names: &[&str]| -> Result<Map, String> {
        let map = spec
            .as_map()
            .ok_or_else(|| format!("expected {{{}}}, found {spec}", names.join(", ")))?;
        if let Some(unknown) = map.keys().find(|k| !names.contains(&k.as_str())) {
            return Err(format!(
                "unknown key `{unknown}`; expected {}",
                names.join(", ")
            ));
        }
        Ok(map.clone())
    };
    match kind {
        "rename" => match spec {
            Value::String(s) => edits.push(Edit::from_flag("rename", s, scalar)?),
            _ => {
                let map = fields(spec, &["from", "to"])?;
                edits.push(Edit::renamed(
                    field_path(&text("from", &map)?)?,
                    field_path(&text("to", &map)?)?,
                )?);
            }
        },
        "delete" => match spec {
            Value::String(s) => edits.push(Edit::Delete(field_path(s)?)),
            Value::List(items) => {
                for item in items {
                    let s = item
                        .as_str()
                        .ok_or_else(|| format!("expected field names, found {item}"))?;
                    edits.push(Edit::Delete(field_path(s)?));
                }
            }
            other => {
                return Err(format!(
                    "expected a field name or a list of them, found {other}"
                ));
            }
        },
        "set" | "default" => {
            let map = fields(spec, &["field", "value"])?;
            let path = field_path(&text("field", &map)?)?;
            let value = map.get("value").cloned().ok_or("missing `value`")?;
            edits.push(match kind {
                "set" => Edit::Set { path, value },
                _ => Edit::Default { path, value },
            });
        }
        "date" => {
            let map = fields(spec, &["field", "format"])?;
            edits.push(Edit::date(&text("field", &map)?, &text("format", &map)?)?);
        }
        "template" => {
            let map = fields(spec, &["field", "template"])?;
            edits.push(Edit::template(
                &text("field", &map)?,
                &text("template", &map)?,
            )?);
        }
        "where" => edits.push(Edit::Where(condition(spec, scalar)?)),
        "jq" => match spec {
            Value::String(source) => edits.push(Edit::Jq(
                JqProgram::compile(source).map_err(|e| e.to_string())?,
            )),
            other => return Err(format!("expected a jq expression as text, found {other}")),
        },
        other => {
            return Err(format!(
                "unknown edit {other:?}; expected rename, delete, set, default, date, where, template or jq"
            ));
        }
    }
    Ok(())
}

/// `where: "field=value"` or `where: {field: f, equals|not_equals|exists|missing|before|after: ...}`.
fn condition(spec: &Value, scalar: &dyn Fn(&str) -> Value) -> Result<Condition, String> {
    if let Value::String(text) = spec {
        return Condition::parse(text, scalar);
    }
    let map = spec
        .as_map()
        .ok_or_else(|| format!("expected a condition like \"field=value\", found {spec}"))?;
    let field = match map.get("field") {
        Some(Value::String(s)) => field_path(s)?,
        _ => return Err("missing `field`".into()),
    };
    let tests: Vec<(&String, &Value)> = map.iter().filter(|(k, _)| *k != "field").collect();
    let [(test, operand)] = tests.as_slice() else {
        return Err(
            "expected `field` and one of equals, not_equals, exists, missing, before, after".into(),
        );
    };
    let as_text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let date = |v: &Value| {
        let text = as_text(v);
        recast_model::date::DateTime::parse(&text)
            .ok_or_else(|| format!("{text:?} is not a date; expected RFC 3339 or YYYY-MM-DD"))
    };
    Ok(match test.as_str() {
        "equals" => Condition::Equals {
            path: field,
            text: as_text(operand),
            value: (*operand).clone(),
        },
        "not_equals" => Condition::NotEquals {
            path: field,
            text: as_text(operand),
            value: (*operand).clone(),
        },
        "exists" | "missing" => {
            let flag = operand
                .as_bool()
                .ok_or_else(|| format!("`{test}` takes true or false"))?;
            if flag == (test.as_str() == "exists") {
                Condition::Exists(field)
            } else {
                Condition::Missing(field)
            }
        }
        "before" | "after" => Condition::Compare {
            path: field,
            operator: match test.as_str() {
                "before" => Comparison::Less,
                _ => Comparison::Greater,
            },
            bound: Bound::Date {
                date: date(operand)?,
                zone: None,
            },
        },
        other => {
            return Err(format!(
                "unknown test `{other}`; expected equals, not_equals, exists, missing, before or after"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use recast_model::path::FieldPath;

    fn entry(kind: &str, spec: Value) -> Value {
        let mut map = Map::default();
        map.insert(kind.into(), spec);
        Value::Map(map)
    }

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn plain(text: &str) -> Value {
        Value::from(text)
    }

    #[test]
    fn the_issue_example_plan() {
        let plan = Value::List(vec![
            entry(
                "rename",
                obj(&[("from", "provider.name".into()), ("to", "source".into())]),
            ),
            entry("delete", "provider".into()),
            entry(
                "date",
                obj(&[
                    ("field", "publishedDateTime".into()),
                    ("format", "%Y-%m-%d".into()),
                ]),
            ),
            entry("where", "publishedDateTime>2020-01-01".into()),
            entry(
                "set",
                obj(&[("field", "draft".into()), ("value", false.into())]),
            ),
            entry(
                "template",
                obj(&[
                    ("field", "slug".into()),
                    ("template", "{title|slug}".into()),
                ]),
            ),
        ]);
        let plan = Plan::from_value(&plan, &plain).unwrap();
        assert_eq!(plan.edits.len(), 6);

        let mut provider = Map::default();
        provider.insert("name".into(), "Nature".into());
        let mut record = Record::default();
        record
            .fields
            .insert("title".into(), "Proteins, folded".into());
        record
            .fields
            .insert("provider".into(), Value::Map(provider));
        record.fields.insert(
            "publishedDateTime".into(),
            "2021-05-12T01:00:00+09:00".into(),
        );
        let outcome = plan.apply(&mut record);
        assert_eq!(
            outcome,
            Ok(Outcome {
                kept: true,
                changed: true
            })
        );
        assert_eq!(
            record.fields.keys().collect::<Vec<_>>(),
            ["title", "source", "publishedDateTime", "draft", "slug"]
        );
        assert_eq!(record.fields["slug"], Value::from("proteins-folded"));
        // A second run changes nothing.
        assert_eq!(
            plan.apply(&mut record),
            Ok(Outcome {
                kept: true,
                changed: false
            })
        );
    }

    #[test]
    fn where_drops_records_and_stops_the_edits() {
        let plan = Value::List(vec![
            entry(
                "where",
                obj(&[("field", "category".into()), ("equals", "news".into())]),
            ),
            entry("set", obj(&[("field", "x".into()), ("value", 1i64.into())])),
        ]);
        let plan = Plan::from_value(&plan, &plain).unwrap();
        let mut record = Record::default();
        record.fields.insert("category".into(), "opinion".into());
        assert_eq!(
            plan.apply(&mut record),
            Ok(Outcome {
                kept: false,
                changed: false
            })
        );
        assert!(!record.fields.contains_key("x"));
    }

    #[test]
    fn errors_name_the_edit() {
        let bad = |plan: Value| Plan::from_value(&plan, &plain).unwrap_err().to_string();
        assert_eq!(
            bad(Value::List(vec![
                entry("delete", "a".into()),
                entry("date", obj(&[("field", "d".into())])),
            ])),
            "edit 2: date: missing `format`"
        );
        assert!(
            bad(Value::List(vec![entry("frobnicate", "a".into())]))
                .starts_with("edit 1: frobnicate: unknown edit")
        );
        assert!(bad(obj(&[("rename", "a=b".into())])).contains("expected a list of edits"));
        assert!(
            bad(Value::List(vec![Value::from("rename")]))
                .starts_with("edit 1: expected a map with one key")
        );
        assert!(
            bad(Value::List(vec![entry(
                "rename",
                obj(&[("from", "a".into()), ("too", "b".into())])
            )]))
            .contains("unknown key `too`")
        );
        assert!(
            bad(Value::List(vec![entry(
                "where",
                obj(&[("field", "d".into()), ("before", "soon".into())])
            )]))
            .contains("not a date")
        );
    }

    #[test]
    fn jq_steps_drop_and_multiply_records() {
        let plan = Value::List(vec![
            entry("jq", ".tags[] as $t | .tag = $t | del(.tags)".into()),
            entry("where", "tag!=b".into()),
        ]);
        let plan = Plan::from_value(&plan, &plain).unwrap();
        let mut record = Record::default();
        record.fields.insert("title".into(), "T".into());
        record.fields.insert(
            "tags".into(),
            Value::List(vec!["a".into(), "b".into(), "c".into()]),
        );
        let mut report = PlanReport::new(&plan);
        let fanout = plan.apply_all(&record, &mut report).unwrap();
        let tags: Vec<&Value> = fanout.records.iter().map(|r| &r.fields["tag"]).collect();
        assert_eq!(tags, [&Value::from("a"), &Value::from("c")]);
        assert_eq!(
            fanout.records[0].fields.keys().collect::<Vec<_>>(),
            ["title", "tag"]
        );
        assert_eq!((report.edits[0].changed, report.edits[1].dropped), (1, 1));
        // One record in, three out: the single-record path refuses rather than choose.
        assert!(
            plan.apply(&mut record.clone())
                .unwrap_err()
                .contains("gives 3 records")
        );

        let bad = Plan::from_value(&Value::List(vec![entry("jq", ".a | )".into())]), &plain);
        assert_eq!(
            bad.unwrap_err().to_string(),
            "edit 1: jq: line 1, column 6: expected token, found \")\""
        );
    }

    #[test]
    fn short_forms() {
        let plan = Value::List(vec![
            entry("rename", "a=b".into()),
            entry("delete", Value::List(vec!["c".into(), "d.e".into()])),
            entry(
                "where",
                obj(&[("field", "f".into()), ("missing", true.into())]),
            ),
        ]);
        let plan = Plan::from_value(&plan, &plain).unwrap();
        assert_eq!(plan.edits.len(), 4);
        assert!(matches!(&plan.edits[2], Edit::Delete(p) if *p == FieldPath::parse("d.e")));
        assert!(Plan::from_value(&Value::Null, &plain).unwrap().is_empty());
    }
}
