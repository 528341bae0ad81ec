//! A YAML front matter cut into its top-level entries, for the minimal-diff rewriter
//! (`rewrite.rs`): an entry runs from its key's line to the line before the next
//! top-level key; the blank and comment lines at its end are its *trivia*.
//!
//! Where the keys are comes from one of two places, which must agree:
//!
//! - the fast reader (`fast.rs`), for the plain block YAML archives are made of: it
//!   reads the front matter line by line and notes each root key's line and the last
//!   line of its value, at a fraction of the cost of the full parser's events;
//! - granit-parser's events with their positions, for everything else (quoted keys,
//!   flow collections, block scalars, anchors, merge keys, CRLF, tabs).
//!
//! The fast reader gives up on anything outside its subset, and on that subset gives
//! the full parser's values (its own differential tests); the tests below hold the two
//! cuts equal, entry for entry and byte for byte, on tricky and generated front matter.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};
use recast_model::Value;

use crate::fast::{self, Reading, RootKey};

/// One top-level entry of a front matter.
pub(crate) struct Entry<'a> {
    pub(crate) key: Cow<'a, str>,
    /// 1-based line of the key in the front matter.
    pub(crate) line: u64,
    /// Byte length of the key as written on its first line (quotes included).
    pub(crate) key_len: usize,
    /// The entry's lines up to its trivia.
    pub(crate) content: &'a str,
    /// The blank and comment lines after its value.
    pub(crate) trivia: &'a str,
    /// A merge key (`<<`, plain): its fields come from other mappings.
    pub(crate) merge: bool,
}

/// A front matter cut into entries.
pub(crate) struct FrontMatter<'a> {
    /// Lines before the first key (comments, blank lines).
    pub(crate) prefix: &'a str,
    pub(crate) entries: Vec<Entry<'a>>,
    /// Whether the fast reader cut the front matter and reads it as the fields it was
    /// expected to hold ([`FrontMatter::parse_expecting`]).
    pub(crate) reads_as_expected: bool,
}

/// A top-level key found in a front matter, before its entry is cut.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key<'a> {
    key: Cow<'a, str>,
    /// 1-based line of the key.
    line: u64,
    /// Byte offset of the key's line.
    offset: usize,
    key_len: usize,
    /// The first line that may be trivia (after the value's last scalar).
    trivia_from: u64,
    merge: bool,
}

impl<'a> FrontMatter<'a> {
    /// Cuts a front matter; `None` when it is not a plain block mapping of simple keys
    /// at column 0 (values may hold anchors and aliases; keys may not).
    pub(crate) fn parse(front: &'a str) -> Option<FrontMatter<'a>> {
        match keys_by_fast_reader(front) {
            Some(keys) => cut(front, keys),
            None => cut(front, keys_by_events(front)?),
        }
    }

    /// [`FrontMatter::parse_expecting`] of a front matter whose record `expected` was
    /// read with `keys` ([`FrontMatterKeys`]): the fast reader read it as that record,
    /// so the cut is made at those keys, without reading it again.
    pub(crate) fn parse_read(
        front: &'a str,
        expected: &[(&str, &Value)],
        keys: &FrontMatterKeys,
    ) -> Option<FrontMatter<'a>> {
        let Some(read) = keys.in_front(front, expected) else {
            return FrontMatter::parse_expecting(front, expected);
        };
        let mut cut = cut(front, from_root_keys(read))?;
        cut.reads_as_expected = true;
        Some(cut)
    }

    /// [`FrontMatter::parse`], for a front matter expected to hold the fields
    /// `expected` (in order): the cut is the same, and
    /// [`reads_as_expected`](FrontMatter::reads_as_expected) says whether the fast
    /// reader reads it as them, found while reading it, without building its values.
    pub(crate) fn parse_expecting(
        front: &'a str,
        expected: &[(&str, &Value)],
    ) -> Option<FrontMatter<'a>> {
        match fast::reads_as(front, expected) {
            Reading::As(keys) => {
                let mut cut = cut(front, from_root_keys(keys))?;
                cut.reads_as_expected = true;
                Some(cut)
            }
            Reading::Differs => FrontMatter::parse(front),
            Reading::GivesUp => cut(front, keys_by_events(front)?),
        }
    }
}

/// Where a Markdown file's YAML front matter has its top-level entries, found by the
/// read that made its record ([`crate::read_markdown_keyed`]), so that the minimal-diff
/// rewriter cuts it there without reading it again
/// ([`crate::rewrite::rewrite_front_matter_keyed`]). Empty when that read did not find
/// them (another dialect, or YAML the fast reader leaves to the full parser).
#[derive(Debug, Clone, Default)]
pub struct FrontMatterKeys {
    found: Option<FoundKeys>,
}

#[derive(Debug, Clone)]
struct FoundKeys {
    /// The length of the front matter they were found in.
    front_len: usize,
    keys: Vec<KeyAt>,
}

/// A [`RootKey`] without its text, which is the front matter's at `offset`.
#[derive(Debug, Clone, Copy)]
struct KeyAt {
    offset: usize,
    key_len: usize,
    line: u64,
    last_line: u64,
}

impl FrontMatterKeys {
    /// Whether the read found the entries of a fenced YAML front matter: its text then
    /// has front matter (`rewrite::has_front_matter` need not look again).
    pub fn in_fenced_front_matter(&self) -> bool {
        self.found.is_some()
    }

    pub(crate) fn found(front: &str, keys: &[RootKey<'_>]) -> FrontMatterKeys {
        let keys = keys.iter().map(|root| KeyAt {
            offset: root.offset,
            key_len: root.key.len(),
            line: root.line,
            last_line: root.last_line,
        });
        FrontMatterKeys {
            found: Some(FoundKeys {
                front_len: front.len(),
                keys: keys.collect(),
            }),
        }
    }

    /// The keys as the fast reader gives them, when they were found in a front matter
    /// as long as `front` and name `expected`'s keys, in order, each at its place in
    /// `front` followed by `:`: a guard against keys handed with another text.
    fn in_front<'a>(
        &self,
        front: &'a str,
        expected: &[(&str, &Value)],
    ) -> Option<Vec<RootKey<'a>>> {
        let found = self.found.as_ref()?;
        if found.front_len != front.len() || found.keys.len() != expected.len() {
            return None;
        }
        let keys = found.keys.iter().zip(expected).map(|(at, (name, _))| {
            let key = front.get(at.offset..at.offset + at.key_len)?;
            let colon = front.as_bytes().get(at.offset + at.key_len) == Some(&b':');
            (key == *name && colon).then_some(RootKey {
                key,
                line: at.line,
                offset: at.offset,
                last_line: at.last_line,
            })
        });
        keys.collect()
    }
}

/// The keys of a front matter the fast reader reads.
fn keys_by_fast_reader(front: &str) -> Option<Vec<Key<'_>>> {
    fast::root_keys(front).map(from_root_keys)
}

/// The keys the fast reader found. Its values are on one line each (a scalar, `[]` or
/// `{}`), so the value's last scalar ends on the entry's last line with content, and
/// the trivia may start on the line after it.
fn from_root_keys(keys: Vec<RootKey<'_>>) -> Vec<Key<'_>> {
    let keys = keys.into_iter().map(|root| Key {
        key: Cow::Borrowed(root.key),
        line: root.line,
        offset: root.offset,
        key_len: root.key.len(),
        trivia_from: root.last_line + 1,
        merge: false,
    });
    keys.collect()
}

/// The keys of a front matter from granit-parser's events.
fn keys_by_events(front: &str) -> Option<Vec<Key<'_>>> {
    // Byte offset of each line start, and one past the end.
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', front.as_bytes()).map(|i| i + 1));
    if starts.last() != Some(&front.len()) {
        starts.push(front.len());
    }
    let line_start = |line: u64| -> usize {
        let index = usize::try_from(line.saturating_sub(1)).unwrap_or(usize::MAX);
        starts.get(index).copied().unwrap_or(front.len())
    };

    let mut found: Vec<Key<'_>> = Vec::new();
    let mut depth = 0usize;
    // At depth 1 (in the root mapping): true when the next node is a key.
    let mut expect_key = true;
    let mut root_seen = false;
    let options = granit_parser::options! { emit_comments: false };
    for next in Parser::new_from_str_with_options(front, options) {
        let (event, span) = next.ok()?;
        let (start, end) = (&span.start, &span.end);
        let end_line =
            |marker: &granit_parser::Marker| marker.line() as u64 + u64::from(marker.col() != 0);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentStart(..) => {}
            Event::DocumentEnd => {
                if root_seen && depth != 0 {
                    return None;
                }
            }
            Event::MappingStart(style, anchor, _) | Event::SequenceStart(style, anchor, _) => {
                let is_map = matches!(event, Event::MappingStart(..));
                if anchor != 0 && depth == 0 {
                    return None;
                }
                if depth == 0 {
                    if root_seen || !is_map || style != StructureStyle::Block {
                        return None;
                    }
                    root_seen = true;
                } else if depth == 1 {
                    if expect_key {
                        return None; // A complex key.
                    }
                    expect_key = true;
                }
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.checked_sub(1)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                match depth {
                    0 => return None, // A scalar document.
                    1 if expect_key => {
                        // An anchored key would move its text right of the anchor.
                        if start.col() != 0 || anchor != 0 {
                            return None;
                        }
                        let merge = style == ScalarStyle::Plain
                            && tag.is_none()
                            && text == crate::merge::MERGE_KEY;
                        let line = start.line() as u64;
                        let offset = line_start(line);
                        let line_text = &front[offset..line_start(line + 1)];
                        let key_len = byte_len(line_text, end.col())?;
                        found.push(Key {
                            key: Cow::Owned(text.into_owned()),
                            line,
                            offset,
                            key_len,
                            trivia_from: end_line(end),
                            merge,
                        });
                        expect_key = false;
                    }
                    1 => expect_key = true,
                    _ => {}
                }
                if depth >= 1
                    && let Some(last) = found.last_mut()
                {
                    last.trivia_from = last.trivia_from.max(end_line(end));
                }
            }
            // An alias as a value (an alias key is not cut).
            Event::Alias(_) if depth >= 1 => {
                if depth == 1 {
                    if expect_key {
                        return None;
                    }
                    expect_key = true;
                }
                if let Some(last) = found.last_mut() {
                    last.trivia_from = last.trivia_from.max(end_line(end));
                }
            }
            _ => return None,
        }
    }
    if !root_seen && !found.is_empty() {
        return None;
    }
    Some(found)
}

/// Cuts the front matter at its keys: each entry's text, less the trailing lines that
/// are blank or comments at column 0 after its value's last scalar (its trivia).
fn cut<'a>(front: &'a str, keys: Vec<Key<'a>>) -> Option<FrontMatter<'a>> {
    let prefix_end = keys.first().map_or(front.len(), |k| k.offset);
    let ends: Vec<usize> = (keys.iter().skip(1).map(|k| k.offset))
        .chain([front.len()])
        .collect();
    let mut entries = Vec::with_capacity(keys.len());
    for (k, end) in keys.into_iter().zip(ends) {
        let text = front.get(k.offset..end)?;
        let mut split = text.len();
        // The line number one past the entry's last line.
        let mut line = k.line + memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64;
        if !text.ends_with('\n') {
            line += 1;
        }
        loop {
            let before = &text[..split];
            let Some(prev_start) = before
                .strip_suffix('\n')
                .map(|b| memchr::memrchr(b'\n', b.as_bytes()).map_or(0, |i| i + 1))
            else {
                break;
            };
            let prev = &before[prev_start..];
            let line_no = line - 1;
            let is_trivia = prev.trim().is_empty() || prev.starts_with('#');
            if !is_trivia || line_no < k.trivia_from || prev_start == 0 {
                break;
            }
            split = prev_start;
            line = line_no;
        }
        entries.push(Entry {
            key: k.key,
            line: k.line,
            key_len: k.key_len,
            content: &text[..split],
            trivia: &text[split..],
            merge: k.merge,
        });
    }
    Some(FrontMatter {
        prefix: &front[..prefix_end],
        entries,
        reads_as_expected: false,
    })
}

/// The byte length of the first `chars` characters of `line`.
fn byte_len(line: &str, chars: usize) -> Option<usize> {
    match line.char_indices().nth(chars) {
        Some((i, _)) => Some(i),
        None => (line.chars().count() == chars).then_some(line.len()),
    }
}

/// Checks the fast reader's cut of a front matter against granit's: where the fast
/// reader cuts `front`, granit must cut it into the same entries, byte for byte.
/// Panics when they differ; true when the fast reader cut it. For the tests and the
/// `yaml_fast` fuzz target.
#[doc(hidden)]
pub fn check_cut_against_full_parser(front: &str) -> bool {
    fast_cut_checked(front).is_some()
}

/// The cut as `(prefix, [(key, line, key_len, content, trivia, merge)])`.
type Shape<'a> = (&'a str, Vec<(String, u64, usize, &'a str, &'a str, bool)>);

fn shape<'a>(front: &'a str, keys: Vec<Key<'a>>) -> Option<Shape<'a>> {
    let cut = cut(front, keys)?;
    let entries = cut.entries.into_iter().map(|e| {
        let key = e.key.into_owned();
        (key, e.line, e.key_len, e.content, e.trivia, e.merge)
    });
    Some((cut.prefix, entries.collect()))
}

/// The fast cut of `front`, checked against granit's: `None` when the fast reader
/// leaves it to granit; a panic when the two cuts differ.
fn fast_cut_checked(front: &str) -> Option<Shape<'_>> {
    let fast = shape(front, keys_by_fast_reader(front)?);
    let full = keys_by_events(front).and_then(|keys| shape(front, keys));
    assert!(
        full.is_some(),
        "granit does not cut what the fast reader does: {front:?}"
    );
    assert_eq!(fast, full, "the cuts of {front:?}");
    fast
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_shape_is_cut_by_the_fast_reader() {
        let front = "# an archive record\ncategory: news\ntitle: \"AI revolution\"\npublished: false\n\nprovider:\n  name: Harvard # who\n  domain: harvard.edu\n\n# before topics\ntopics:\n  - AI\n  - Machine Learning\n\nimages:\n  - url: \"https://x/y.jpg?w=1&crop=16:9\"\n    width: 300\nrelated: []\nempty:\n\n# the end\n";
        let (prefix, entries) = fast_cut_checked(front).expect("the archive shape is fast");
        assert_eq!(prefix, "# an archive record\n");
        let keys: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        let expected = [
            "category",
            "title",
            "published",
            "provider",
            "topics",
            "images",
            "related",
            "empty",
        ];
        assert_eq!(keys, expected);
        let provider = &entries[3];
        assert_eq!(
            provider.3,
            "provider:\n  name: Harvard # who\n  domain: harvard.edu\n"
        );
        assert_eq!(provider.4, "\n# before topics\n");
        assert_eq!(entries[7].4, "\n# the end\n");
    }

    /// A Markdown read hands over its keys where the fast reader cuts the front matter
    /// (after comment lines too), and none where it does not.
    #[test]
    fn a_markdown_read_finds_the_keys_the_fast_cut_would() {
        let options = crate::YamlReadOptions::default();
        let found = |text: &str| {
            let (_, keys) = crate::read_markdown_keyed(text.into(), None, &options).unwrap();
            keys.found.map(|found| found.keys.len())
        };
        assert_eq!(found("---\ntitle: A\ntopics:\n  - x\n---\nBody\n"), Some(2));
        assert_eq!(found("---\n# a comment\n\ntitle: A\n---\n"), Some(1));
        assert_eq!(found("---\n{title: A}\n---\n"), None);
        assert_eq!(found("---\n  title: A\n---\n"), None);
        assert_eq!(found("+++\ntitle = 'A'\n+++\n"), None);
        assert_eq!(found("No front matter.\n"), None);
        // Keys found say the text has front matter; none found say nothing of it.
        let fenced = |text: &str| {
            let (_, keys) = crate::read_markdown_keyed(text.into(), None, &options).unwrap();
            let fenced = keys.in_fenced_front_matter();
            assert!(
                !fenced || matches!(crate::fence::split(text), crate::fence::Split::Fenced(_)),
                "{text:?}"
            );
            fenced
        };
        assert!(fenced("---\ntitle: A\n---\nBody\n"));
        assert!(!fenced("---\n{title: A}\n---\n"));
        assert!(!fenced("+++\ntitle = 'A'\n+++\n"));
        assert!(!fenced("No front matter.\n"));
    }

    /// Front matter with what the fast reader does not take, each cut by granit alone;
    /// and shapes near them that it does take, cut alike by both.
    #[test]
    fn tricky_front_matter_is_cut_alike_or_left_to_granit() {
        let cases = [
            // Quoted keys, and keys that only look quoted or duplicated.
            ("\"quoted key\": 1\nb: 2\n", false),
            ("'single': 1\nb: 2\n", false),
            ("a\"b: 1\nab: 2\n", true),
            ("title: 1\ntitle2: 2\n\"title\" : 3\n", false),
            ("a: 1\na: 2\n", false),
            (
                "a: 1\n  # indented comment, then a key that repeats\nb: a: 1\n",
                false,
            ),
            // Flow collections.
            ("flow: [a, b]\nnext: 1\n", false),
            ("flow: {a: 1}\nnext: 1\n", false),
            ("flow: [\n  a,\n  b]\nnext: 1\n", false),
            ("empty: []\nmap: {}\n\n# c\nnext: 1\n", true),
            ("list:\n  - []\n  - {}\n\n# c\nnext: 1\n", true),
            // Block scalars, multi-line scalars.
            ("text: |\n  one\n\n  two\n\n# c\nnext: 1\n", false),
            ("text: >-\n  one\n  two\nnext: 1\n", false),
            ("keep: |+\n  kept\n\nnext: 1\n", false),
            ("plain: one\n  two\nnext: 1\n", false),
            ("quoted: \"one\n  two\"\nnext: 1\n", false),
            // Comments and blank lines between and inside fields.
            ("a: 1 # c\n# between\n\nb: 2\n", true),
            (
                "map:\n  a: 1\n\n  # inside\n  b: 2\n\n# after\n\nnext: 1\n",
                true,
            ),
            ("map:\n  a: 1\n  # indented at the end\n\nnext: 1\n", true),
            ("\n\n# only a prefix\n", true),
            ("# prefix\n\na: 1\n", true),
            ("a:\n\n# after a null\nb:\n# and another\n", true),
            ("a: # a comment as the value\nb: 1\n", true),
            // Lists at the key's column and nested lists.
            ("tags:\n- a\n- b\n\n# c\nnext: 1\n", true),
            (
                "items:\n  - name: a\n    tags:\n    - x\n  -\n    name: b\n\nnext: 1\n",
                true,
            ),
            // What the fast reader leaves: anchors, merge keys, tags, tabs, CRLF.
            ("base: &x 1\nother: *x\n", false),
            ("d: &d\n  a: 1\n<<: *d\nb: 2\n", false),
            ("t: !!str 1\nb: 2\n", false),
            ("a:\t1\nb: 2\n", false),
            ("a: 1\r\n\r\n# c\r\nb: 2\r\n", false),
            ("ünïcödé: \"é\"  # trailing\nb: 2\n", true),
            // Not a mapping of simple keys: neither cuts it.
            ("- a\n- b\n", false),
            ("? complex\n: 1\n", false),
            ("just a scalar\n", false),
            ("a: 1\n...\n", false),
            ("  a: 1\n  b: 2\n", false),
            ("# c\n  a: 1\n", false),
            ("a: 1", true),
            ("a:\n  b: 1", true),
            ("", true),
        ];
        for (front, fast) in cases {
            assert_eq!(
                fast_cut_checked(front).is_some(),
                fast,
                "fast reader on {front:?}"
            );
        }
    }

    #[test]
    fn granit_cuts_what_the_fast_reader_leaves() {
        let front = "\"quoted key\": 1\nflow: [a, b]\n\n# c\ntext: |\n  one\n\nnext: 1\n";
        let keys = keys_by_events(front).expect("granit cuts it");
        let cut = cut(front, keys).unwrap();
        let keys: Vec<&str> = cut.entries.iter().map(|e| e.key.as_ref()).collect();
        assert_eq!(keys, ["quoted key", "flow", "text", "next"]);
        assert_eq!(cut.entries[0].key_len, "\"quoted key\"".len());
        assert_eq!(cut.entries[1].trivia, "\n# c\n");
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// Lines real front matter is made of, fast and not, put together at random.
        const ENTRIES: [&str; 24] = [
            "title: \"AI revolution\"\n",
            "plain: some words here\n",
            "single: 'quoted # not a comment'\n",
            "date: 2020-11-11T16:36:00Z\n",
            "count: 39\n",
            "empty:\n",
            "flow: [a, b, {c: d}]\n",
            "list:\n  - x\n  - y: 1\n    z: []\n",
            "map:\n  name: Harvard\n  inner:\n    deep: true\n",
            "keep: |+\n  kept\n\n",
            "folded: >-\n  one\n  two\n",
            "\"quoted key\": 1\n",
            "multi: \"a\n  b\"\n",
            "tagged: !!str 007\n",
            "commented:\n  # inside\n  a: 1\n  # indented at the end\n",
            "ünïcödé: \"é\"  # trailing comment\n",
            "literal: |\n  line one\n\n  line three\n",
            "same: 1\n",
            "same: 2\n",
            "column:\n- a\n-\n  b: 1\n",
            "nulls:\n  a:\n  b: ~\n",
            "braces: {}\n",
            "anchor: &a 1\n",
            "blank:\n\n  inner: 1\n",
        ];
        const TRIVIA: [&str; 6] = ["", "\n", "# a comment\n", "\n# comment\n\n", "  \n", "#\n"];

        proptest! {
            /// The front matter recast's writer gives any record (most archives' shape).
            #[test]
            fn written_records_are_cut_alike(record in recast_testkit::strategy::record(recast_testkit::Shape::yaml())) {
                let text = crate::to_markdown_string(&record);
                if let crate::fence::Split::Fenced(parts) = crate::fence::split(&text) {
                    fast_cut_checked(parts.front);
                }
            }

            #[test]
            fn the_fast_cut_is_granits(
                entries in proptest::collection::vec((0usize..ENTRIES.len(), 0usize..TRIVIA.len()), 0..10),
                prefix in 0usize..TRIVIA.len(),
                cut_end in any::<bool>(),
            ) {
                let mut front = TRIVIA[prefix].to_owned();
                for (entry, trivia) in entries {
                    front.push_str(ENTRIES[entry]);
                    front.push_str(TRIVIA[trivia]);
                }
                if cut_end {
                    front.pop();
                }
                fast_cut_checked(&front);
                // The fast reader's check mode, which the rewriter cuts with, as the
                // crate's fuzz target runs it.
                crate::check_mode_against_build_mode(&front);
            }
        }
    }
}
