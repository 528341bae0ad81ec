//! All of this package's integration tests in one binary (as ripgrep does): one link
//! instead of one per file. Each file below is a module.

mod archive;
mod edge_cases;
mod no_panic;
mod round_trip;
