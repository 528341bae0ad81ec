//! All of this package's integration tests in one binary (as ripgrep does): one link
//! instead of one per file. Each file below is a module.

mod corpus;
mod hostile;
mod props;
mod round_trip;
mod standard_elements;
