//! Finding the next byte of a small set in long text, eight bytes at a time.
//!
//! Writers and parsers spend most of their time in runs of plain text (bodies, HTML,
//! JSON strings) looking for the few bytes that need attention: a quote, a backslash,
//! `<` or `&`, a control character. Testing a whole 64-bit word at once with the classic
//! "has a zero byte" tricks, then finding the exact byte with a table, is several times
//! faster than a byte loop and needs no `unsafe` and no SIMD intrinsics. The JSON parser
//! and writer and the XML writer all use this one copy.
//!
//! ```
//! use recast_model::scan::{ByteSet, find};
//!
//! // The bytes that end a plain run in a JSON string.
//! const STOPS: ByteSet = ByteSet::new(&[b'"', b'\\']).with_controls();
//! assert_eq!(find(b"plain text, then \"", 0, &STOPS), Some(17));
//! assert_eq!(find(b"a\tb", 0, &STOPS), Some(1));
//! assert_eq!(find(b"nothing to see here", 0, &STOPS), None);
//! ```

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// True when some byte of `word` is zero (exact, not just likely).
#[inline]
pub fn has_zero_byte(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & HIGHS != 0
}

/// True when some byte of `word` is `byte`.
#[inline]
pub fn has_byte(word: u64, byte: u8) -> bool {
    has_zero_byte(word ^ (ONES * u64::from(byte)))
}

/// True when some byte of `word` is below `limit` (exact for `limit` ≤ 128).
#[inline]
pub fn has_byte_below(word: u64, limit: u8) -> bool {
    word.wrapping_sub(ONES * u64::from(limit)) & !word & HIGHS != 0
}

/// The eight bytes at `at`, as a little-endian word (`bytes[at]` in the low byte).
#[inline]
pub fn word_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// A set of at most four bytes, plus optionally every control byte below 0x20: what a
/// scan stops at. Built in a `const` so the table costs nothing at run time.
#[derive(Debug, Clone)]
pub struct ByteSet {
    bytes: [u8; 4],
    len: usize,
    controls: bool,
    table: [bool; 256],
}

impl ByteSet {
    /// The set of these bytes (at most four).
    pub const fn new(bytes: &[u8]) -> ByteSet {
        assert!(bytes.len() <= 4, "a ByteSet holds at most four bytes");
        let mut set = ByteSet {
            bytes: [0; 4],
            len: bytes.len(),
            controls: false,
            table: [false; 256],
        };
        let mut i = 0;
        while i < bytes.len() {
            set.bytes[i] = bytes[i];
            set.table[bytes[i] as usize] = true;
            i += 1;
        }
        set
    }

    /// The same set, plus every byte below 0x20.
    pub const fn with_controls(mut self) -> ByteSet {
        self.controls = true;
        let mut byte = 0;
        while byte < 0x20 {
            self.table[byte] = true;
            byte += 1;
        }
        self
    }

    /// True when `byte` is in the set.
    #[inline]
    pub fn contains(&self, byte: u8) -> bool {
        self.table[usize::from(byte)]
    }

    /// True when some byte of `word` may be in the set (exact: no false positives).
    #[inline]
    fn any_in(&self, word: u64) -> bool {
        (self.controls && has_byte_below(word, 0x20))
            || self.bytes[..self.len].iter().any(|&b| has_byte(word, b))
    }
}

/// The index of the first byte at or after `from` that is in `set`.
#[inline]
pub fn find(bytes: &[u8], from: usize, set: &ByteSet) -> Option<usize> {
    let mut at = from;
    while at + 8 <= bytes.len() {
        if set.any_in(word_at(bytes, at)) {
            break;
        }
        at += 8;
    }
    (at..bytes.len()).find(|&i| set.contains(bytes[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word test and the byte table find the same byte, for every stop byte at every
    /// position of a word and past it, among bytes just around the stops.
    #[test]
    fn the_word_scan_finds_the_same_byte_as_the_byte_scan() {
        const SET: ByteSet = ByteSet::new(&[b'"', b'\\', b'<', 0xEF]).with_controls();
        let fillers = [
            b'a', b' ', 0x21, b'[', b']', 0x7F, 0x80, 0xEE, 0xF0, b';', b'=',
        ];
        for stop in (0u8..=255).filter(|&b| SET.contains(b)) {
            for filler in fillers {
                for at in 0..20 {
                    let mut bytes = vec![filler; 24];
                    bytes[at] = stop;
                    let expected = bytes.iter().position(|&b| SET.contains(b));
                    assert_eq!(find(&bytes, 0, &SET), expected, "{stop} at {at}");
                    assert_eq!(find(&bytes, at + 1, &SET), None, "{stop} after {at}");
                }
            }
        }
        let plain = ByteSet::new(b"&");
        assert_eq!(find(b"\x01\x02 & ", 0, &plain), Some(3));
    }
}
