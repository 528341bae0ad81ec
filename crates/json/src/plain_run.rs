//! Plain runs of JSON string text: the bytes that end one are the closing quote, a
//! backslash and the control characters JSON forbids unescaped. Parsing a string stops
//! at them to unescape, writing one stops at them to escape, so the parser and the
//! writer share this one definition (and neither imports the other).

use recast_model::scan::{self, ByteSet};

/// Bytes that end a plain run inside a string: the closing quote, an escape, and the
/// control characters JSON forbids unescaped.
const STRING_STOPS: ByteSet = ByteSet::new(b"\"\\").with_controls();

/// The index of the first byte that ends a plain run of string text (`"`, `\\`, a
/// control character). Strings are most of JSON's bytes, so this looks at eight bytes
/// at a time (the classic "has a zero byte" word tricks) before finding the exact one.
#[inline]
pub(crate) fn find_string_stop(bytes: &[u8]) -> Option<usize> {
    scan::find(bytes, 0, &STRING_STOPS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_scan_finds_the_same_byte_as_the_byte_scan() {
        let mut text = b"plain ASCII text, then UTF-8: caf\xC3\xA9 and more text....".to_vec();
        for stop in [b'"', b'\\', b'\n', 0x00, 0x1F] {
            for at in 0..text.len() {
                let mut bytes = text.clone();
                bytes[at] = stop;
                assert_eq!(find_string_stop(&bytes), Some(at), "{stop} at {at}");
                // A later stop does not hide an earlier one.
                bytes.push(b'"');
                assert_eq!(find_string_stop(&bytes), Some(at));
            }
        }
        // Bytes just above the control range and high bytes are not stops.
        text.extend_from_slice(&[0x20, 0x7F, 0x80, 0xFF, 0x21, 0x5B, 0x5D, 0x23]);
        assert_eq!(find_string_stop(&text), None);
    }
}
