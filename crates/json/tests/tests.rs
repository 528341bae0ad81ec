//! All of this package's integration tests in one binary (as ripgrep does): one link
//! instead of one per file. Each file below is a module; `common` holds their helpers.

mod common;

mod archive;
mod differential;
mod errors;
mod props;
mod select;
mod values;
mod writers;
