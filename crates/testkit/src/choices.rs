//! Where the generator's choices come from: proptest's random numbers or a fuzzer's bytes.

/// A source of choices. The generator asks it for every decision it takes, so the same
/// generator serves proptest (random choices, shrunk towards zero) and a fuzzer (choices
/// read from its bytes). An exhausted source answers zero: the first option, the
/// shortest length, which is also the simplest value.
pub trait Choices {
    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64;

    /// 64 raw bits.
    fn bits(&mut self) -> u64;

    /// A number in `0..=most`.
    fn up_to(&mut self, most: u32) -> u32 {
        self.below(u64::from(most) + 1) as u32
    }

    /// One item of a non-empty slice.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A fair coin.
    fn coin(&mut self) -> bool {
        self.below(2) == 1
    }
}

/// Choices replayed from a list of numbers (proptest generates and shrinks the list);
/// zero once the list runs out.
#[derive(Debug)]
pub struct Replay<'a> {
    numbers: &'a [u64],
}

impl<'a> Replay<'a> {
    /// Replays `numbers` from the first.
    pub fn new(numbers: &'a [u64]) -> Replay<'a> {
        Replay { numbers }
    }

    fn next(&mut self) -> u64 {
        match self.numbers.split_first() {
            Some((&first, rest)) => {
                self.numbers = rest;
                first
            }
            None => 0,
        }
    }
}

impl Choices for Replay<'_> {
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn bits(&mut self) -> u64 {
        self.next()
    }
}

/// Choices read from a fuzzer's bytes, as `arbitrary` reads them (zero once they run out).
#[cfg(feature = "arbitrary")]
impl Choices for arbitrary::Unstructured<'_> {
    fn below(&mut self, n: u64) -> u64 {
        self.int_in_range(0..=n - 1).unwrap_or(0)
    }

    fn bits(&mut self) -> u64 {
        self.arbitrary().unwrap_or(0)
    }
}
