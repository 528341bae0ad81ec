//! recast as a library: the format registry, inputs, the ordered parallel record
//! pipeline and safe output that the `recast` command line is made of.

pub mod error;
pub mod format;
pub mod input;
mod ordered;
pub mod output;
pub mod pipeline;

pub use error::UsageError;
