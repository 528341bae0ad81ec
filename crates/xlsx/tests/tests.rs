//! All of this crate's integration tests in one binary: each file below is a module.

mod any_record;
