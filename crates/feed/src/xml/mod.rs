//! XML in and out, as feeds need it.

mod attributes;
mod decode;
mod entities;
pub(crate) mod namespaces;
pub(crate) mod read;
pub(crate) mod tree;
pub(crate) mod write;
