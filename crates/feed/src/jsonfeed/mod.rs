//! JSON Feed 1.1 (<https://www.jsonfeed.org/version/1.1/>): [`JsonFeedWriter`] writes it
//! from records through the same [`Profile`](crate::Profile) as RSS and Atom;
//! [`JsonFeedReader`] reads 1.1 and 1.0 feeds into records named like the other feed
//! readers'. Lossless output carries each exact record in an `_recast` object (JSON
//! Feed's extension rule: keys starting with `_` are for publishers' own data), which
//! the reader gives back unchanged.
//!
//! JSON goes through recast-json, the workspace's exact JSON, not serde_json: even
//! with `arbitrary_precision`, serde_json rewrites exponents (`1E5` becomes `1e+5`),
//! and records keep their numbers as written. recast-json also refuses duplicate keys,
//! bounds depth and size, and locates its errors.

mod read;
mod write;

pub use read::JsonFeedReader;
pub use write::JsonFeedWriter;

/// The `version` a JSON Feed 1.1 document declares.
pub const VERSION_1_1: &str = "https://jsonfeed.org/version/1.1";

/// The key of recast's extension object on items and at the top of the feed.
pub const EXTENSION: &str = "_recast";

/// True when a `version` value names JSON Feed (1.0, 1.1, later 1.x), as written
/// (`https://jsonfeed.org/version/1`) or with escaped slashes (`https:\/\/…`, PHP's
/// default), given the text between its quotes.
pub fn is_json_feed_version(version: &str) -> bool {
    let version: String = version.chars().filter(|&c| c != '\\').collect();
    let rest = version
        .strip_prefix("https://")
        .or_else(|| version.strip_prefix("http://"));
    rest.is_some_and(|rest| rest.starts_with("jsonfeed.org/version/1"))
}

/// True when the head of a document (its first few KiB) is a JSON object declaring a
/// JSON Feed `version`. Looks at the text only: `"version"`, a colon, a string.
pub fn sniff(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.trim_ascii_start().first() != Some(&b'{') {
        return false;
    }
    let key = b"\"version\"";
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&head[from..], key) {
        let after = head[from + at + key.len()..].trim_ascii_start();
        if let Some(after) = after.strip_prefix(b":")
            && let Some(text) = after.trim_ascii_start().strip_prefix(b"\"")
        {
            let end = memchr::memchr(b'"', text).unwrap_or(text.len());
            if let Ok(version) = std::str::from_utf8(&text[..end])
                && is_json_feed_version(version)
            {
                return true;
            }
        }
        from += at + key.len();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_versions_written_every_way() {
        assert!(sniff(
            br#"{"version": "https://jsonfeed.org/version/1.1", "items": []}"#
        ));
        assert!(sniff(
            b"\n{\n  \"title\": \"x\",\n  \"version\" : \"https://jsonfeed.org/version/1\"}"
        ));
        assert!(sniff(
            br#"{"version":"https:\/\/jsonfeed.org\/version\/1"}"#
        ));
        assert!(!sniff(br#"{"version": "2.0", "items": []}"#));
        assert!(!sniff(
            br#"[{"version": "https://jsonfeed.org/version/1"}]"#
        ));
        assert!(!sniff(br#"{"title": "no version"}"#));
    }
}
