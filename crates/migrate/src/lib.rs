//! recast-migrate: what `recast migrate`, `recast inspect` and `recast validate` do to
//! records, apart from files and formats.
//!
//! - [`Plan`]: a list of [`Edit`]s (rename, delete, set, default, date, where, template,
//!   jq),
//!   built from command-line flags or from a plan file's value, applied to one record at
//!   a time; [`JqProgram`] runs a jq expression through jaq.
//! - [`ArchiveStats`]: the archive at a glance (`inspect`): field paths, types, presence,
//!   examples, date ranges.
//! - [`Validator`] with a [`ValidationProfile`]: the checks of `validate` (required fields, dates,
//!   URLs, duplicates), each [`Problem`] with where its record came from; or a
//!   [`JsonSchema`] (`validate --schema`), of which [`SchemaInference`] infers a first
//!   draft from an archive (`inspect --json-schema`).
//!
//! ```
//! use recast_migrate::{Edit, Plan};
//! use recast_model::{Map, Record, Value};
//! use recast_model::path::FieldPath;
//!
//! let mut provider = Map::default();
//! provider.insert("name".into(), "Nature".into());
//! let mut record = Record::default();
//! record.fields.insert("title".into(), "Proteins".into());
//! record.fields.insert("provider".into(), Value::Map(provider));
//! record.fields.insert("published".into(), "2021-05-12T01:00:00+09:00".into());
//!
//! let plan = Plan::new(vec![
//!     Edit::rename("provider.name", "source"),
//!     Edit::Delete(FieldPath::parse("provider")),
//!     Edit::date("published", "%Y-%m-%d").unwrap(),
//! ]);
//! let outcome = plan.apply(&mut record).unwrap();
//! assert!(outcome.kept && outcome.changed);
//! // `source` took the place of `provider`; the date keeps its own offset.
//! assert_eq!(record.fields.keys().collect::<Vec<_>>(), ["title", "source", "published"]);
//! assert_eq!(record.fields["published"], Value::from("2021-05-12"));
//! ```

pub mod condition;
pub mod edit;
pub mod infer;
pub mod jq;
mod path;
pub mod plan;
pub mod schema;
pub mod stats;
pub mod validate;

pub use condition::{Bound, Comparison, Condition};
pub use edit::{Applied, Edit};
pub use infer::SchemaInference;
pub use jq::{JqCompileError, JqProgram};
pub use plan::{EditCounts, Fanout, Outcome, Plan, PlanError, PlanReport};
pub use schema::JsonSchema;
pub use stats::{ArchiveStats, DateRange, FieldStats};
pub use validate::{Problem, ValidationProfile, Validator};

/// What the unit tests of several modules share.
#[cfg(test)]
pub(crate) mod test_values {
    use recast_model::Value;

    /// YAML's reading of a few scalars, double quotes included.
    pub(crate) fn yaml_ish(text: &str) -> Value {
        if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            return inner.into();
        }
        match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => match text.parse::<i64>() {
                Ok(n) => n.into(),
                Err(_) => text.into(),
            },
        }
    }
}
