//! Random values for recast's property tests and fuzz targets, generated once.
//!
//! One generator ([`generate`]) makes values, records, numbers and text with the inputs
//! that trip formats: numbers at the edges (`12345678901234567890123`, `1.0`, `-0`),
//! lookalikes (`007`, `true`, `null`, dates), indicators of YAML, CSV and XML, control
//! and astral characters, Markdown bodies holding `---`. A [`Shape`] says what a
//! format can carry. The generator takes every decision from a [`Choices`]; two sources
//! exist:
//!
//! - proptest (feature `proptest`): the `strategy` module replays random numbers proptest draws
//!   and shrinks;
//! - a fuzzer's bytes (feature `arbitrary`): `arbitrary::Unstructured` is a [`Choices`].
//!
//! ```
//! use recast_testkit::{Shape, Replay, generate};
//!
//! let record = generate::record(&mut Replay::new(&[3, 1, 4, 1, 5, 9, 2, 6]), &Shape::csv());
//! assert!(record.fields.len() <= 4);
//! ```

mod choices;
mod edges;
pub mod generate;
mod shape;
#[cfg(feature = "proptest")]
pub mod strategy;

pub use choices::{Choices, Replay};
pub use edges::{NUMBERS, PIECES};
pub use shape::{Body, Keys, Nulls, Shape};
