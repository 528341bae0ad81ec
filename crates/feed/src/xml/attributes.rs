//! Finding a tag's attributes fast when they are written the usual way.

use std::ops::Range;

/// Finds a tag's attributes when they are written the usual way (whitespace, `key="value"`
/// or `key='value'`, nothing else), as (name, raw value) ranges of `raw`: what quick-xml's
/// attribute reader finds, without its per-byte iterator. False for anything else (space
/// around `=`, a missing quote, ...), which quick-xml's reader then reads, or reports.
#[inline]
pub(super) fn simple_attributes(raw: &str, spans: &mut Vec<(Range<usize>, Range<usize>)>) -> bool {
    let is_space = |b: u8| matches!(b, b' ' | b'\r' | b'\n' | b'\t');
    spans.clear();
    let bytes = raw.as_bytes();
    let mut at = 0;
    loop {
        let space = at;
        while at < bytes.len() && is_space(bytes[at]) {
            at += 1;
        }
        if at == bytes.len() {
            return true;
        }
        if at == space {
            return false;
        }
        let key = at;
        while at < bytes.len() && bytes[at] != b'=' && !is_space(bytes[at]) {
            at += 1;
        }
        if at == key || bytes.get(at) != Some(&b'=') {
            return false;
        }
        let quote = match bytes.get(at + 1) {
            Some(&quote @ (b'"' | b'\'')) => quote,
            _ => return false,
        };
        let value = at + 2;
        // A byte loop: values are short, too short for memchr to pay.
        let Some(length) = bytes[value..].iter().position(|&b| b == quote) else {
            return false;
        };
        spans.push((key..at, value..value + length));
        at = value + length + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use quick_xml::events::BytesStart;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        #[test]
        fn simple_attributes_are_what_quick_xml_reads(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                " ", "\t", "\n", "a", "b:c", "=", "\"", "'", "<", ">", "&amp;", "/", "é", " x=\"1\"", " y='2'",
            ]), 0..16)
        ) {
            let raw = parts.concat();
            let mut spans = Vec::new();
            if simple_attributes(&raw, &mut spans) {
                let tag = BytesStart::from_content(format!("t{raw}"), 1);
                let read: Vec<(String, String)> = tag
                    .attributes()
                    .with_checks(false)
                    .map(|a| a.map(|a| (a.key.as_ref().to_owned(), a.value.into_owned())))
                    .collect::<std::result::Result<_, _>>()
                    .expect("quick-xml reads simple attributes too");
                let simple: Vec<(String, String)> = spans
                    .iter()
                    .map(|(k, v)| (raw[k.clone()].to_owned(), raw[v.clone()].to_owned()))
                    .collect();
                proptest::prop_assert_eq!(simple, read);
            }
        }
    }

    #[test]
    fn simple_attributes_leave_the_unusual_to_quick_xml() {
        let mut spans = Vec::new();
        assert!(simple_attributes(" a=\"1\" b:c='2' ", &mut spans));
        assert_eq!(spans, [(1..2, 4..5), (7..10, 12..13)]);
        assert!(simple_attributes("", &mut spans) && spans.is_empty());
        for unusual in [
            " a = \"1\"",
            " a=1",
            " a=\"1",
            " a=\"1\"b=\"2\"",
            " a",
            " =\"1\"",
        ] {
            assert!(!simple_attributes(unusual, &mut spans), "{unusual}");
        }
    }
}
