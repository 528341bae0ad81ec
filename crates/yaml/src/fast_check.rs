//! The fast reader checked against the full parser: where `fast.rs` answers, the
//! granit-parser path must give the same documents (values with key order, and
//! positions). Used by the differential tests below and the `yaml_fast` fuzz target;
//! kept apart so that neither reader's module imports the other's.

use recast_model::{Map, Number, Value, strict_eq};

use crate::document::{Document, YamlReadOptions};
use crate::fast::{self, Reading};
use crate::read::parse_documents_fully;

/// Checks the fast reader's answer for `text` against the full parser's: where the
/// fast reader answers, the full parser must give the same documents (values with key
/// order, and positions). Panics when they differ. For the differential tests and the `yaml_fast` fuzz target: true when the fast
/// reader answered.
#[doc(hidden)]
pub fn check_against_full_parser(text: &str) -> bool {
    compared_with_full_parser(text).is_some()
}

fn compared_with_full_parser(text: &str) -> Option<Vec<Document>> {
    let options = YamlReadOptions::default();
    let fast = fast::parse(text, 3, &options)?;
    let full = parse_documents_fully(text, None, 3, &options).unwrap_or_else(|e| {
        panic!("fast reader accepted what the full parser rejects: {text:?}\n{e}")
    });
    assert_eq!(fast.len(), full.len(), "{text:?}");
    for (f, g) in fast.iter().zip(&full) {
        assert!(
            strict_eq(&f.value, &g.value),
            "{text:?}\nfast: {}\nfull: {}",
            f.value,
            g.value
        );
        assert_eq!(
            (f.line, f.column, f.body_key, &f.items),
            (g.line, g.column, g.body_key, &g.items),
            "positions of {text:?}"
        );
    }
    Some(fast)
}

/// Checks the fast reader's check mode ([`fast::reads_as`]) against its build mode on
/// `text`: where the build mode reads `text` as a root mapping, the check mode, given
/// the fields read, answers that it reads as them, with the same root keys; given those
/// fields changed in any one way (a value's type or content, a key renamed, an entry
/// added or removed, two keys swapped, at the root or deeper), it answers that it does
/// not. Where the build mode gives up, the check mode never answers that it matches.
/// Panics when not; true when the build mode read `text`. For the tests and the
/// `yaml_fast` fuzz target.
#[doc(hidden)]
pub fn check_mode_against_build_mode(text: &str) -> bool {
    let built = fast::parse(text, 1, &YamlReadOptions::default());
    let fields = match built.as_ref().and_then(|documents| documents.first()) {
        Some(document) => match &document.value {
            Value::Map(fields) => fields.clone(),
            _ => Map::default(),
        },
        None => Map::default(),
    };
    let entries: Vec<(&str, &Value)> = fields.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let Some(keys) = fast::root_keys(text) else {
        let reading = fast::reads_as(text, &entries);
        assert!(
            !matches!(reading, Reading::As(_)),
            "check mode matches what build mode gives up on: {text:?}"
        );
        return false;
    };
    assert_eq!(
        fast::reads_as(text, &entries),
        Reading::As(keys),
        "check mode against the values read from {text:?}"
    );
    for changed in changed_entries(&fields) {
        assert!(
            !strict_eq(&Value::Map(changed.clone()), &Value::Map(fields.clone())),
            "a change that changes nothing: {changed:?}"
        );
        let entries: Vec<(&str, &Value)> = changed.iter().map(|(k, v)| (k.as_str(), v)).collect();
        assert!(
            !matches!(fast::reads_as(text, &entries), Reading::As(_)),
            "check mode matches {text:?} against {changed:?}"
        );
    }
    true
}

/// `map` changed in one way each: a value changed (see [`changed_values`]), a key
/// renamed, an entry added (first, last) or removed, two neighbouring keys swapped.
fn changed_entries(map: &Map) -> Vec<Map> {
    let entries: Vec<(&String, &Value)> = map.iter().collect();
    let with = |entries: Vec<(&String, &Value)>| -> Map {
        (entries.into_iter())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let added = ("added key".to_owned(), Value::Null);
    let mut out = Vec::new();
    for (at, (key, value)) in entries.iter().enumerate() {
        for changed in changed_values(value) {
            let mut map = map.clone();
            map[at] = changed;
            out.push(map);
        }
        let renamed = format!("{key}_");
        if !map.contains_key(&renamed) {
            let mut changed = entries.clone();
            changed[at] = (&renamed, value);
            out.push(with(changed));
        }
        let mut removed = entries.clone();
        removed.remove(at);
        out.push(with(removed));
        if at + 1 < entries.len() {
            let mut swapped = entries.clone();
            swapped.swap(at, at + 1);
            out.push(with(swapped));
        }
    }
    if !map.contains_key(&added.0) {
        let mut last = map.clone();
        last.insert(added.0.clone(), added.1.clone());
        out.push(last);
        let mut first = Map::default();
        first.insert(added.0, added.1);
        first.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
        out.push(first);
    }
    out
}

/// `value` changed in one way each, in type or in content; in a list or a mapping, its
/// first and last members changed, and members added and removed.
fn changed_values(value: &Value) -> Vec<Value> {
    let mut out = match value {
        Value::Null => vec![Value::from("null"), Value::from(""), Value::Bool(false)],
        Value::Bool(b) => vec![Value::Bool(!b), Value::from(b.to_string())],
        Value::Number(n) => {
            let mut out = vec![Value::from(n.to_string())];
            out.extend(Number::parse(&format!("{n}0")).map(Value::Number));
            out.extend(Number::parse(&format!("{n}.0")).map(Value::Number));
            out
        }
        Value::String(s) => {
            let mut shorter = s.clone();
            shorter.pop();
            vec![
                Value::from(format!("{s}x")),
                Value::from(shorter),
                crate::parse_scalar(s),
                Value::List(Vec::new()),
            ]
        }
        Value::List(items) => {
            let mut out = vec![Value::Map(Map::default())];
            let mut longer = items.clone();
            longer.push(Value::Null);
            out.push(Value::List(longer));
            if !items.is_empty() {
                let mut shorter = items.clone();
                shorter.pop();
                out.push(Value::List(shorter));
            }
            let ends: &[usize] = match items.len() {
                0 => &[],
                1 => &[0],
                n => &[0, n - 1],
            };
            for &at in ends {
                for changed in changed_values(&items[at]) {
                    let mut items = items.clone();
                    items[at] = changed;
                    out.push(Value::List(items));
                }
            }
            out
        }
        Value::Map(map) => {
            let mut out = vec![Value::List(Vec::new())];
            out.extend(changed_entries(map).into_iter().map(Value::Map));
            out
        }
    };
    out.retain(|changed| !strict_eq(changed, value));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fast::parse;

    fn differential(text: &str) -> Option<Vec<Document>> {
        compared_with_full_parser(text)
    }

    #[test]
    fn the_sample_shape_takes_the_fast_path() {
        let text = "---\ncategory: news\ntitle: \"AI \\\"revolution\\\" \\u00e9\"\nquality: 39\nheat: -1\npublished: false\nzip: 007\nwhen: 2020-11-11T16:36:00Z\nratio: 1.0\nnone: ~\nquote: 'it''s'\n\nprovider:\n  name: Harvard Medical School # who\n  domain: harvard.edu\n\ntopics:\n  - AI Ethics\n  - AI\n\nimages:\n  - url: \"https://x/y.jpg?width=600&crop=16:9\"\n    width: 945\n    isCached: true\nrelated: []\nextra: {}\nlist:\n- a\n- b: 1\n  c:\n  - d\nbody: x\n";
        let documents = differential(text).expect("the sample's shape is fast");
        assert_eq!(documents[0].body_key, Some((34, 1)));
        let root = documents[0].value.as_map().unwrap();
        assert_eq!(root["title"], Value::from("AI \"revolution\" é"));
        assert_eq!(root["zip"], Value::from("007"));
        assert_eq!(root["heat"].type_name(), "integer");
        assert_eq!(root["none"], Value::Null);
        assert_eq!(root["topics"].to_string(), r#"["AI Ethics", "AI"]"#);
        assert_eq!(root["list"].to_string(), r#"["a", {"b": 1, "c": ["d"]}]"#);
    }

    #[test]
    fn root_lists_give_item_positions() {
        let documents = differential("- title: a\n  n: 1\n-\n  title: b\n-   title: c\n")
            .expect("a list of records is fast");
        assert_eq!(documents[0].items, [(3, 3), (6, 3), (7, 5)]);
    }

    #[test]
    fn anything_else_goes_to_the_full_parser() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: [1, 2]\n",
            "a: {b: 1}\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: plain\n  continued\n",
            "a: \"open\n  quote\"\n",
            "a: 1\na: 2\n",
            "a:\n    b: 1\n  c: 2\n",
            "a: b: c\n",
            "? a\n: b\n",
            "\"quoted key\": 1\n",
            "a:\tb\n",
            "a: b\r\n",
            "%YAML 1.1\n---\na: yes\n",
            "a: 1\n---\nb: 2\n",
            "a: 1\n...\n",
            "- - a\n",
            "- a\n",
            "just a scalar\n",
            "a: \"x\" y\n",
            "a: \"\\q\"\n",
            "a: 'x'#c\n",
            "a: \u{feff}\n",
        ] {
            assert!(
                parse(text, 1, &YamlReadOptions::default()).is_none(),
                "{text:?} should go to the full parser"
            );
        }
    }

    #[test]
    fn budgets_send_big_documents_to_the_full_parser() {
        let deep: String = (0..40).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(parse(&deep, 1, &YamlReadOptions::default()).is_none());
        let options = YamlReadOptions {
            max_nodes: 5,
            ..YamlReadOptions::default()
        };
        assert!(parse("a: 1\nb: 2\nc: 3\n", 1, &options).is_none());
    }

    fn reads<'a>(text: &'a str, expected: &[(&str, &Value)]) -> Reading<'a> {
        fast::reads_as(text, expected)
    }

    /// Whether check mode reads `text` as the one field `a: expected`.
    fn reads_a_as(text: &str, expected: &Value) -> Reading<'static> {
        match fast::reads_as(text, &[("a", expected)]) {
            Reading::As(_) => Reading::As(Vec::new()),
            Reading::Differs => Reading::Differs,
            Reading::GivesUp => Reading::GivesUp,
        }
    }

    #[test]
    fn check_mode_reads_tricky_scalars_as_build_mode_does() {
        let map = |entries: &[(&str, Value)]| -> Value {
            Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect(),
            )
        };
        let number = crate::parse_scalar;
        let nested = "a:\n- b: 1\n  c:\n  - d\n  - e: []\n-\n  f: ~\n- g\n";
        let nested_value = Value::List(vec![
            map(&[
                ("b", number("1")),
                (
                    "c",
                    Value::List(vec![Value::from("d"), map(&[("e", Value::List(vec![]))])]),
                ),
            ]),
            map(&[("f", Value::Null)]),
            Value::from("g"),
        ]);
        let nested_changed = Value::List(vec![
            map(&[
                ("b", number("1")),
                (
                    "c",
                    Value::List(vec![
                        Value::from("d"),
                        map(&[("e", Value::Map(Map::default()))]),
                    ]),
                ),
            ]),
            map(&[("f", Value::Null)]),
            Value::from("g"),
        ]);
        let cases: &[(&str, Value, bool)] = &[
            ("a: \"a\\\"b\"\n", Value::from("a\"b"), true),
            ("a: \"a\\\"b\"\n", Value::from("a\\\"b"), false),
            ("a: 'it''s'\n", Value::from("it's"), true),
            ("a: 'it''s'\n", Value::from("it''s"), false),
            ("a: 'x # y' # z\n", Value::from("x # y"), true),
            ("a: \"\\u00e9\"\n", Value::from("é"), true),
            ("a: \"\\u00e9\"\n", Value::from("\\u00e9"), false),
            ("a: \"é\"\n", Value::from("é"), true),
            ("a: 007\n", Value::from("007"), true),
            ("a: 007\n", number("7"), false),
            ("a: 1.0\n", number("1.0"), true),
            ("a: 1.0\n", number("1"), false),
            ("a: 1\n", number("1.0"), false),
            ("a: 1\n", Value::from("1"), false),
            ("a: \"1\"\n", number("1"), false),
            ("a: \"1\"\n", Value::from("1"), true),
            ("a: ~\n", Value::Null, true),
            ("a: null\n", Value::Null, true),
            ("a:\n", Value::Null, true),
            ("a: # only a comment\n", Value::Null, true),
            ("a: ~\n", Value::from("~"), false),
            ("a:\n", Value::from(""), false),
            ("a: \"~\"\n", Value::from("~"), true),
            ("a: \"~\"\n", Value::Null, false),
            ("a: true\n", Value::Bool(true), true),
            ("a: true\n", Value::from("true"), false),
            ("a: \"true\"\n", Value::from("true"), true),
            ("a: \"true\"\n", Value::Bool(true), false),
            ("a: yes\n", Value::from("yes"), true),
            ("a: plain words # c\n", Value::from("plain words"), true),
            ("a: []\n", Value::List(vec![]), true),
            ("a: []\n", Value::Map(Map::default()), false),
            ("a: []\n", Value::List(vec![Value::Null]), false),
            ("a: {}\n", Value::Map(Map::default()), true),
            ("a: {}\n", Value::List(vec![]), false),
            (nested, nested_value.clone(), true),
            (nested, nested_changed, false),
            (nested, Value::from("a"), false),
        ];
        for (text, expected, reads) in cases {
            let want = match reads {
                true => Reading::As(Vec::new()),
                false => Reading::Differs,
            };
            assert_eq!(reads_a_as(text, expected), want, "{text:?} as {expected}");
            assert!(check_mode_against_build_mode(text), "{text:?}");
        }
        // What build mode gives up on, check mode gives up on, whatever is expected.
        for text in [
            "a: \"\\q\"\n",
            "a: b: c\n",
            "a: [1]\n",
            "---\na: 1\n",
            "  a: 1\n",
        ] {
            assert_eq!(
                reads_a_as(text, &Value::from("x")),
                Reading::GivesUp,
                "{text:?}"
            );
            assert!(!check_mode_against_build_mode(text), "{text:?}");
        }
        // Keys in order, no more and no fewer; a duplicate key never matches.
        let one = number("1");
        let two = number("2");
        assert!(
            matches!(reads("a: 1\nb: 2\n", &[("a", &one), ("b", &two)]), Reading::As(k) if k.len() == 2)
        );
        assert_eq!(
            reads("a: 1\nb: 2\n", &[("b", &two), ("a", &one)]),
            Reading::Differs
        );
        assert_eq!(reads("a: 1\nb: 2\n", &[("a", &one)]), Reading::Differs);
        assert_eq!(
            reads("a: 1\n", &[("a", &one), ("b", &two)]),
            Reading::Differs
        );
        assert_eq!(reads("a: 1\na: 1\n", &[("a", &one)]), Reading::Differs);
        assert_eq!(reads("", &[]), Reading::As(Vec::new()));
        assert_eq!(
            reads("# only a comment\n", &[("a", &one)]),
            Reading::Differs
        );
    }

    proptest::proptest! {
        /// The front matter recast's writer gives any record.
        #[test]
        fn check_mode_answers_as_build_mode_on_written_records(
            record in recast_testkit::strategy::record(recast_testkit::Shape::yaml())
        ) {
            let text = crate::to_markdown_string(&record);
            if let crate::fence::Split::Fenced(parts) = crate::fence::split(&text) {
                check_mode_against_build_mode(parts.front);
            }
        }
    }

    #[test]
    fn check_mode_answers_as_build_mode_on_generated_documents() {
        let mut blocks = Blocks(Lines(0x2545_F491_4F6C_DD1D));
        let mut lines = Lines(0x9E37_79B9_7F4A_7C15);
        let block_reads = (0..5_000)
            .filter(|_| check_mode_against_build_mode(&blocks.document()))
            .count();
        let reads = (0..20_000)
            .filter(|_| check_mode_against_build_mode(&lines.document()))
            .count();
        eprintln!(
            "check mode on {block_reads} of 5000 block documents and {reads} of 20000 documents"
        );
        assert!(block_reads > 5_000 / 5 && reads > 20_000 / 100);
    }

    /// A small deterministic generator of YAML-ish documents: block lines of keys,
    /// items and tricky scalars at varying indentation, most of them valid.
    struct Lines(u64);

    impl Lines {
        fn next(&mut self, n: usize) -> usize {
            // xorshift64*
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
        }

        fn pick<'s>(&mut self, from: &[&'s str]) -> &'s str {
            from[self.next(from.len())]
        }

        fn document(&mut self) -> String {
            const KEYS: &[&str] = &[
                "a", "b", "title", "body", "url", "a b", "k#1", "x:y", "1", "null", "é", "<<",
                "-k", "k ", "a #c",
            ];
            const VALUES: &[&str] = &[
                "x",
                "1",
                "-1",
                "007",
                "1.0",
                "1e3",
                "0x1F",
                "+1",
                ".inf",
                "true",
                "False",
                "yes",
                "~",
                "null",
                "2020-01-01",
                "http://x/y?a=b&c=d:e",
                "a#b",
                "a # c",
                "a  b",
                "\"q\"",
                "\"a\\\"b\\u00e9\\x41\\n\"",
                "\"\\q\"",
                "\"open",
                "'it''s'",
                "'open",
                "[]",
                "{}",
                "[1]",
                "{a: 1}",
                "&a x",
                "*a",
                "!t x",
                "|",
                ">",
                "a: b",
                "b:",
                "- x",
                "-x",
                "- ",
                "\"x\" # c",
                "\"x\"y",
                "'x' ",
                "é ü",
                "@x",
                "%x",
                "`x",
                "?x",
                ":x",
                ",x",
                "#c",
                "",
                " ",
            ];
            const INDENTS: &[&str] = &["", "", "", "  ", "  ", "    ", " ", "   ", "      "];
            let mut text = String::new();
            if self.next(4) == 0 {
                text.push_str(self.pick(&["---\n", "--- # c\n", "# c\n---\n", "--- x\n"]));
            }
            for _ in 0..1 + self.next(10) {
                let indent = self.pick(INDENTS);
                let line = match self.next(9) {
                    0..=3 => format!("{}: {}", self.pick(KEYS), self.pick(VALUES)),
                    4 => format!("{}:", self.pick(KEYS)),
                    5 => format!("- {}", self.pick(VALUES)),
                    6 => format!("- {}: {}", self.pick(KEYS), self.pick(VALUES)),
                    7 => self
                        .pick(&["-", "# comment", "", "...", "---", "  "])
                        .to_owned(),
                    _ => self.pick(VALUES).to_owned(),
                };
                text.push_str(indent);
                text.push_str(&line);
                text.push('\n');
            }
            text
        }
    }

    /// Well-formed block documents of nested maps and lists (as archives have), with
    /// tricky keys and scalars, and now and then a line shifted or a key repeated.
    struct Blocks(Lines);

    impl Blocks {
        const KEYS: &[&str] = &["a", "b", "title", "url", "a b", "k#1", "x:y", "1", "é"];
        const SCALARS: &[&str] = &[
            "x",
            "1",
            "-1",
            "007",
            "1.0",
            "1e3",
            "0o7",
            ".NaN",
            "true",
            "yes",
            "~",
            "",
            "2020-01-01T00:00:00Z",
            "http://x/y?a=b&c=d:e",
            "a#b",
            "a # c",
            "a  b",
            "-x",
            "\"q: r\"",
            "\"\\u00e9\\x41\\t\\\\\"",
            "'it''s'",
            "''",
            "[]",
            "{}",
            "é ü",
            "\"x\" # c",
            "'x' ",
            "--- x",
            "x ",
            "a'b",
            "a\"b",
            "\"\\/\"",
        ];

        fn map(&mut self, text: &mut String, indent: usize, depth: usize, first_inline: bool) {
            let entries = 1 + self.0.next(4);
            let mut used = Vec::new();
            for i in 0..entries {
                let mut key = self.0.pick(Self::KEYS);
                if used.contains(&key) && self.0.next(8) != 0 {
                    continue;
                }
                if self.0.next(30) == 0 {
                    key = "a"; // sometimes a duplicate
                }
                used.push(key);
                let pad = if i == 0 && first_inline { 0 } else { indent };
                let shift = if self.0.next(40) == 0 { 1 } else { 0 };
                text.push_str(&" ".repeat(pad + shift));
                text.push_str(key);
                text.push(':');
                match if depth > 4 { 0 } else { self.0.next(5) } {
                    0 | 1 => {
                        text.push(' ');
                        text.push_str(self.0.pick(Self::SCALARS));
                        text.push('\n');
                    }
                    2 => {
                        text.push('\n');
                        let child = indent + 1 + self.0.next(3);
                        self.map(text, child, depth + 1, false);
                    }
                    3 => {
                        text.push('\n');
                        let child = indent + 2 * self.0.next(2);
                        self.list(text, child, depth + 1);
                    }
                    _ => text.push_str(self.0.pick(&["\n", " # c\n", "\n\n# c\n"])),
                }
            }
        }

        fn list(&mut self, text: &mut String, indent: usize, depth: usize) {
            for _ in 0..1 + self.0.next(3) {
                text.push_str(&" ".repeat(indent));
                text.push('-');
                match if depth > 4 { 0 } else { self.0.next(4) } {
                    0 => {
                        text.push(' ');
                        text.push_str(self.0.pick(Self::SCALARS));
                        text.push('\n');
                    }
                    1 | 2 => {
                        let spaces = 1 + self.0.next(2);
                        text.push_str(&" ".repeat(spaces));
                        self.map(text, indent + 1 + spaces, depth + 1, true);
                    }
                    _ => {
                        text.push('\n');
                        self.map(text, indent + 2, depth + 1, false);
                    }
                }
            }
        }

        fn document(&mut self) -> String {
            let mut text = String::new();
            if self.0.next(3) == 0 {
                text.push_str("---\n");
            }
            if self.0.next(4) == 0 {
                self.list(&mut text, 0, 1);
            } else {
                self.map(&mut text, 0, 1, false);
            }
            text
        }
    }

    /// Runs `total` generated documents through [`differential`]; how many were fast.
    fn fast_count(total: usize, mut document: impl FnMut() -> String) -> usize {
        (0..total)
            .filter(|_| differential(&document()).is_some())
            .count()
    }

    #[test]
    fn fast_reader_agrees_with_the_full_parser_on_generated_block_documents() {
        let mut blocks = Blocks(Lines(0x2545_F491_4F6C_DD1D));
        let (total, fast) = (20_000, fast_count(20_000, || blocks.document()));
        eprintln!("{fast} of {total} generated block documents took the fast path");
        assert!(
            fast > total / 3,
            "only {fast} of {total} documents were fast"
        );
    }

    /// The minimal-diff rewriter's cut (`cut.rs`) of the same generated documents:
    /// wherever the fast reader cuts one into entries, granit cuts it alike.
    #[test]
    fn the_rewriters_cut_agrees_with_granits_on_generated_documents() {
        use crate::cut::check_cut_against_full_parser as cut_alike;
        let mut blocks = Blocks(Lines(0x2545_F491_4F6C_DD1D));
        let mut lines = Lines(0x9E37_79B9_7F4A_7C15);
        let block_cuts = (0..20_000)
            .filter(|_| cut_alike(&blocks.document()))
            .count();
        let cuts = (0..40_000).filter(|_| cut_alike(&lines.document())).count();
        eprintln!("{block_cuts} of 20000 block documents and {cuts} of 40000 documents cut fast");
        assert!(block_cuts > 20_000 / 4 && cuts > 40_000 / 100);
    }

    #[test]
    fn fast_reader_agrees_with_the_full_parser_on_generated_documents() {
        let mut lines = Lines(0x9E37_79B9_7F4A_7C15);
        let (total, fast) = (40_000, fast_count(40_000, || lines.document()));
        eprintln!("{fast} of {total} generated documents took the fast path");
        // The generator must keep exercising the fast path, not only its refusals.
        assert!(
            fast > total / 25,
            "only {fast} of {total} documents were fast"
        );
    }
}
