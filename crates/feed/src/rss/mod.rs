//! RSS: 2.0 written; 0.90, 0.91, 0.92, 1.0 (RDF) and 2.0 read.

pub(crate) mod read;
mod write;

pub use write::RssWriter;
