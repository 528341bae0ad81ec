//! XML in and out, as feeds need it.

pub(crate) mod read;
pub(crate) mod write;
