//! Atom 1.0 (RFC 4287), written and read.

pub(crate) mod read;
mod write;

pub use write::AtomWriter;
