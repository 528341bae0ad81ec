//! The generator as proptest strategies.
//!
//! Each strategy draws a list of random numbers and replays it as the generator's
//! choices ([`Replay`]). Shrinking works on the list, as Hypothesis does: first the
//! shortest prefix that still fails (an exhausted list answers zero, the first and
//! simplest option, so a shorter list is a smaller value), then each number set to zero.

use std::fmt;
use std::sync::Arc;

use proptest::prelude::Rng;
use proptest::strategy::{NewTree, Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use recast_model::{Map, Number, Record, Value};

use crate::choices::Replay;
use crate::generate;
use crate::shape::Shape;

/// Most choices one value takes: more than the largest shape's values need.
const CHOICES: u64 = 4096;

/// Any value the shape allows.
pub fn value(shape: Shape) -> impl Strategy<Value = Value> {
    replayed(move |choices| generate::value(choices, &shape))
}

/// A record's fields (no body; see [`record`]).
pub fn fields(shape: Shape) -> impl Strategy<Value = Map> {
    replayed(move |choices| generate::fields(choices, &shape))
}

/// A record: fields, and a body as the shape says.
pub fn record(shape: Shape) -> impl Strategy<Value = Record> {
    replayed(move |choices| generate::record(choices, &shape))
}

/// A number the shape allows.
pub fn number(shape: Shape) -> impl Strategy<Value = Number> {
    replayed(move |choices| generate::number(choices, &shape))
}

/// A text.
pub fn text(shape: Shape) -> impl Strategy<Value = String> {
    replayed(move |choices| generate::text(choices, &shape))
}

type Generate<T> = Arc<dyn Fn(&mut Replay) -> T>;

fn replayed<T: fmt::Debug>(generate: impl Fn(&mut Replay) -> T + 'static) -> Replayed<T> {
    Replayed {
        generate: Arc::new(generate),
    }
}

/// Values made by replaying random numbers as choices.
struct Replayed<T> {
    generate: Generate<T>,
}

impl<T> fmt::Debug for Replayed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Replayed")
    }
}

impl<T: fmt::Debug> Strategy for Replayed<T> {
    type Tree = Shrinker<T>;
    type Value = T;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let rng = runner.rng();
        let len = rng.next_u64() % (CHOICES + 1);
        let numbers: Vec<u64> = (0..len).map(|_| rng.next_u64()).collect();
        Ok(Shrinker {
            generate: Arc::clone(&self.generate),
            phase: Phase::Prefix {
                shortest: 0,
                failing: numbers.len(),
            },
            candidate: numbers.clone(),
            failing: numbers,
            trial: false,
        })
    }
}

/// One value and its shrinking: the numbers of the smallest case known to fail, and
/// the candidate being tried.
struct Shrinker<T> {
    generate: Generate<T>,
    failing: Vec<u64>,
    candidate: Vec<u64>,
    phase: Phase,
    /// Whether `candidate` is a trial whose outcome is not known yet.
    trial: bool,
}

#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Binary search for the shortest failing prefix: `shortest` is the least length not
    /// known to pass, `failing` a length known to fail.
    Prefix {
        shortest: usize,
        failing: usize,
    },
    /// Setting each number to zero in turn, from `index` on.
    Zero {
        index: usize,
    },
    Done,
}

impl<T> Shrinker<T> {
    /// Records the outcome of the pending trial.
    fn settle(&mut self, failed: bool) {
        if failed {
            self.failing.clone_from(&self.candidate);
        }
        self.phase = match self.phase {
            Phase::Prefix { shortest, failing } if failed => Phase::Prefix {
                shortest,
                failing: self.candidate.len().min(failing),
            },
            Phase::Prefix { failing, .. } => Phase::Prefix {
                shortest: self.candidate.len() + 1,
                failing,
            },
            Phase::Zero { index } => Phase::Zero { index: index + 1 },
            Phase::Done => Phase::Done,
        };
    }

    /// Sets up the next trial; false when there is none (the candidate is then the
    /// smallest failing case).
    fn propose(&mut self) -> bool {
        self.candidate.clone_from(&self.failing);
        loop {
            match self.phase {
                Phase::Prefix { shortest, failing } if shortest < failing => {
                    self.candidate.truncate(shortest + (failing - shortest) / 2);
                    break;
                }
                Phase::Prefix { .. } => self.phase = Phase::Zero { index: 0 },
                Phase::Zero { index } if index >= self.failing.len() => self.phase = Phase::Done,
                Phase::Zero { index } if self.failing[index] == 0 => {
                    self.phase = Phase::Zero { index: index + 1 }
                }
                Phase::Zero { index } => {
                    self.candidate[index] = 0;
                    break;
                }
                Phase::Done => {
                    self.trial = false;
                    return false;
                }
            }
        }
        self.trial = true;
        true
    }
}

impl<T: fmt::Debug> ValueTree for Shrinker<T> {
    type Value = T;

    fn current(&self) -> T {
        (self.generate)(&mut Replay::new(&self.candidate))
    }

    fn simplify(&mut self) -> bool {
        if self.trial {
            self.settle(true);
        }
        self.propose()
    }

    fn complicate(&mut self) -> bool {
        if self.trial {
            self.settle(false);
        }
        self.propose()
    }
}

impl<T> fmt::Debug for Shrinker<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shrinker")
            .field("choices", &self.candidate.len())
            .field("phase", &self.phase)
            .finish()
    }
}
