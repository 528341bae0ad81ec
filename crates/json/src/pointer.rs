//! JSON pointers (RFC 6901), the `--select` path to the records inside an API dump.

use recast_model::{Error, Location, Result};

/// A parsed JSON pointer: the reference tokens, unescaped (`~1` → `/`, `~0` → `~`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pointer {
    pub(crate) text: String,
    pub(crate) tokens: Vec<String>,
}

impl Pointer {
    /// Parses `""` (the whole document) or `/token/token…`.
    pub(crate) fn parse(text: &str) -> Result<Pointer> {
        let invalid = |why: &str| {
            Error::data(
                Location::default(),
                format!("invalid JSON pointer {text:?}: {why}"),
            )
        };
        if text.is_empty() {
            return Ok(Pointer::default());
        }
        let Some(rest) = text.strip_prefix('/') else {
            return Err(invalid("expected it to start with '/', as in /news"));
        };
        let mut tokens = Vec::new();
        for raw in rest.split('/') {
            let mut token = String::with_capacity(raw.len());
            let mut chars = raw.chars();
            while let Some(c) = chars.next() {
                match c {
                    '~' => match chars.next() {
                        Some('0') => token.push('~'),
                        Some('1') => token.push('/'),
                        _ => return Err(invalid("expected ~0 or ~1 after '~'")),
                    },
                    c => token.push(c),
                }
            }
            tokens.push(token);
        }
        Ok(Pointer {
            text: text.to_owned(),
            tokens,
        })
    }

    /// The pointer to the first `n` tokens, for messages (`the top level` for none).
    pub(crate) fn prefix(&self, n: usize) -> String {
        if n == 0 {
            return "the top level".to_owned();
        }
        let escaped: Vec<String> = self.tokens[..n]
            .iter()
            .map(|t| t.replace('~', "~0").replace('/', "~1"))
            .collect();
        format!("\"/{}\"", escaped.join("/"))
    }
}

/// An RFC 6901 array index: `0` or digits without a leading zero.
pub(crate) fn array_index(token: &str) -> Option<u64> {
    let digits = token.bytes().all(|b| b.is_ascii_digit());
    if token.is_empty() || !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unescaped() {
        let p = Pointer::parse("/a~1b/m~0n/0").unwrap();
        assert_eq!(p.tokens, ["a/b", "m~n", "0"]);
        assert_eq!(p.prefix(2), "\"/a~1b/m~0n\"");
        assert_eq!(Pointer::parse("").unwrap().tokens.len(), 0);
        assert_eq!(Pointer::parse("/").unwrap().tokens, [""]);
    }

    #[test]
    fn bad_pointers_are_refused() {
        for bad in ["news", "/a~2", "/a~"] {
            assert!(Pointer::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn indexes_follow_the_rfc() {
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("12"), Some(12));
        for bad in ["", "01", "-", "1a", "-1"] {
            assert_eq!(array_index(bad), None, "{bad}");
        }
    }
}
