//! The fast reader checked against the full parser: where `fast.rs` answers, the
//! granit-parser path must give the same documents (values with key order, and
//! positions). Used by the differential tests below and the `yaml_fast` fuzz target;
//! kept apart so that neither reader's module imports the other's.

use recast_model::strict_eq;

use crate::document::{Document, YamlReadOptions};
use crate::fast;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fast::parse;
    use recast_model::Value;

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
