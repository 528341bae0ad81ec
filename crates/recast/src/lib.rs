//! recast as a library: the format registry, inputs, the ordered parallel record
//! pipeline, safe output, and the convert, migrate, inspect and validate engines that
//! the `recast` command line is made of.

pub mod checks;
pub mod convert;
pub mod error;
pub mod format;
pub mod input;
pub mod inspect;
pub mod migrate;
mod ordered;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod validate;

pub use convert::{ConvertOptions, convert};
pub use error::UsageError;
pub use format::{Format, ReadOptions, WriteOptions};
pub use inspect::{InspectOptions, Inspection, inspect};
pub use migrate::{MigrateOptions, Migration, migrate};
pub use report::{Progress, Report, Silent};
pub use validate::{ValidateOptions, Validation, validate};
