//! The generator as proptest strategies.
//!
//! Each strategy draws a list of random numbers and replays it as the generator's
//! choices ([`Replay`]). Proptest shrinks the list (fewer numbers, smaller numbers),
//! which shrinks the value: an exhausted list picks the first and simplest option.

use proptest::prelude::*;
use recast_model::{Map, Number, Record, Value};

use crate::choices::Replay;
use crate::generate;
use crate::profile::Profile;

/// Most choices one value takes: enough for the largest profile's values.
const CHOICES: usize = 4096;

/// Values generated from `generate` replaying random choices.
fn replayed<T: std::fmt::Debug>(generate: impl Fn(&mut Replay) -> T) -> impl Strategy<Value = T> {
    proptest::collection::vec(any::<u64>(), 0..=CHOICES)
        .prop_map(move |numbers| generate(&mut Replay::new(&numbers)))
}

/// Any value the profile allows.
pub fn value(profile: Profile) -> impl Strategy<Value = Value> {
    replayed(move |choices| generate::value(choices, &profile))
}

/// A record's fields (no body; see [`record`]).
pub fn fields(profile: Profile) -> impl Strategy<Value = Map> {
    replayed(move |choices| generate::fields(choices, &profile))
}

/// A record: fields, and a body as the profile says.
pub fn record(profile: Profile) -> impl Strategy<Value = Record> {
    replayed(move |choices| generate::record(choices, &profile))
}

/// A number the profile allows.
pub fn number(profile: Profile) -> impl Strategy<Value = Number> {
    replayed(move |choices| generate::number(choices, &profile))
}

/// A text.
pub fn text(profile: Profile) -> impl Strategy<Value = String> {
    replayed(move |choices| generate::text(choices, &profile))
}
