//! All of this package's integration tests in one binary (as ripgrep does): one link
//! instead of one per file. Each file below is a module.

mod any_record;
mod dialect;
mod foreign_paths;
mod round_trip;
