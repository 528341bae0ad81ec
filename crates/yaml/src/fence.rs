//! Cutting a Markdown file at its front-matter fences: the one place that knows where
//! front matter starts and ends. The reader (`front_matter.rs`) and the minimal-diff
//! rewriter (`rewrite.rs`) both use it, so they can never disagree on where the body is.
//!
//! Three dialects, told apart by the file's first bytes (after a UTF-8 BOM):
//!
//! | opens with | dialect | closes with |
//! |---|---|---|
//! | a `---` line | YAML | the next `---` or `...` line |
//! | a `+++` line | TOML (Hugo, Zola) | the next `+++` line |
//! | `{` | JSON (Hugo) | the `}` that balances it, then the end of its line |
//!
//! Fences may carry trailing spaces or tabs, and lines may end in LF or CRLF. A file
//! whose `{` is not followed by a `"` key or `}` (a `{{` shortcode, a `{%` Liquid tag)
//! or is never balanced is plain Markdown, as is any other file.

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// The language of a Markdown file's front matter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FrontMatterDialect {
    /// `---` fences around YAML: recast's default.
    #[default]
    Yaml,
    /// `+++` fences around TOML, as Hugo and Zola write it.
    Toml,
    /// A JSON object at the start of the file, as Hugo reads it.
    Json,
}

/// A Markdown file cut at its fences. Every part is a slice of the text, so the parts
/// put back together are the file, byte for byte.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fenced<'a> {
    /// The BOM, or nothing.
    pub(crate) bom: &'a str,
    /// The language of the front matter.
    pub(crate) dialect: FrontMatterDialect,
    /// The opening fence line with its line end (nothing for JSON).
    pub(crate) open: &'a str,
    /// The front matter between the fences (for JSON, the object, braces included).
    pub(crate) front: &'a str,
    /// The closing line, with its line end if it has one (for JSON, the blanks and
    /// line end after the object's `}`).
    pub(crate) close: &'a str,
    /// Everything after the closing line: the separator line and the body.
    pub(crate) rest: &'a str,
    /// The line end the file uses (`\r\n` when its opening line has one).
    pub(crate) eol: &'static str,
}

/// What a Markdown file's text is, as far as front matter goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Split<'a> {
    /// No opening fence: the whole text (less a BOM) is the body.
    Plain,
    /// An opening fence and no closing one; the 1-based line the search ended on.
    Unclosed { last_line: u64 },
    /// Front matter between two fences.
    Fenced(Fenced<'a>),
}

/// Cuts `text` at its front-matter fences.
pub(crate) fn split(text: &str) -> Split<'_> {
    let (bom, unmarked) = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (&text[..text.len() - rest.len()], rest),
        None => ("", text),
    };
    if unmarked.starts_with('{') {
        return split_json(bom, unmarked);
    }
    let dialect = if unmarked.starts_with("+++") {
        FrontMatterDialect::Toml
    } else {
        FrontMatterDialect::Yaml
    };
    let Some(open_len) = fence_len(unmarked, dialect, false) else {
        return Split::Plain;
    };
    let open = &unmarked[..open_len];
    let eol = if open.ends_with("\r\n") { "\r\n" } else { "\n" };
    let after = &unmarked[open_len..];
    // A file that is only `---` has nothing after its opening line to close it.
    let close = match open.ends_with('\n') {
        true => closing_fence(after, dialect),
        false => None,
    };
    let Some((offset, close_len)) = close else {
        return Split::Unclosed {
            last_line: 2 + line_breaks(after),
        };
    };
    let candidate = &after[offset..];
    Split::Fenced(Fenced {
        bom,
        dialect,
        open,
        front: &after[..offset],
        close: &candidate[..close_len],
        rest: &candidate[close_len..],
        eol,
    })
}

/// How many lines `text` has ended (its line breaks).
fn line_breaks(text: &str) -> u64 {
    memchr::memchr_iter(b'\n', text.as_bytes()).count() as u64
}

/// Where the first closing fence line of `dialect` is in `text` (the text after the
/// opening line), and its length. Only lines that start with a fence's first three
/// characters can be one: they are found with a substring search rather than line by
/// line, since front matter is read (and split again by the rewriter) for every file.
fn closing_fence(text: &str, dialect: FrontMatterDialect) -> Option<(usize, usize)> {
    static DASHES: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n---"));
    static DOTS: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n..."));
    static PLUSES: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n+++"));
    let mut offset = 0;
    loop {
        if let Some(len) = fence_len(&text[offset..], dialect, true) {
            return Some((offset, len));
        }
        let rest = &text.as_bytes()[offset..];
        let next = match dialect {
            FrontMatterDialect::Toml => PLUSES.find(rest),
            // `...` closes YAML too, rarely: looked for only before the next `---`.
            _ => {
                let dashes = DASHES.find(rest);
                let before = dashes.map_or(rest, |at| &rest[..at]);
                DOTS.find(before).or(dashes)
            }
        }?;
        offset += next + 1;
    }
}

impl<'a> Fenced<'a> {
    /// The 1-based file line of the closing fence (for JSON, of the closing `}`),
    /// counted when a message needs it.
    pub(crate) fn close_line(&self) -> u64 {
        let opening_lines = match self.dialect {
            FrontMatterDialect::Json => 1,
            _ => 2,
        };
        opening_lines + line_breaks(self.front)
    }

    /// The body as the reader sees it: the rest less one blank separator line; `None`
    /// when nothing follows the closing line.
    pub(crate) fn body(&self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        Some(
            self.rest
                .strip_prefix("\r\n")
                .or_else(|| self.rest.strip_prefix('\n'))
                .unwrap_or(self.rest),
        )
    }
}

/// Cuts a text opening with `{` after its JSON object: the object is the front matter,
/// the blanks and line end after it the closing "line". Plain when the object is never
/// balanced, when something other than blanks follows it on its line, or when what
/// follows the `{` is not a string key.
fn split_json<'a>(bom: &'a str, unmarked: &'a str) -> Split<'a> {
    // A JSON object's first key is a string: `{{` (Hugo shortcodes), `{%` and `{#`
    // (Liquid, Jinja) open plain Markdown.
    let inside = unmarked[1..].trim_start_matches([' ', '\t', '\r', '\n']);
    if !inside.starts_with(['"', '}']) {
        return Split::Plain;
    }
    let Some(end) = json_object_end(unmarked) else {
        return Split::Plain;
    };
    let after = &unmarked[end..];
    let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
    let close_len = match &after[blanks..] {
        "" => blanks,
        rest if rest.starts_with("\r\n") => blanks + 2,
        rest if rest.starts_with('\n') => blanks + 1,
        _ => return Split::Plain,
    };
    let front = &unmarked[..end];
    let close = &after[..close_len];
    let eol = if close.ends_with("\r\n") || front.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Split::Fenced(Fenced {
        bom,
        dialect: FrontMatterDialect::Json,
        open: "",
        front,
        close,
        rest: &after[close_len..],
        eol,
    })
}

/// The byte just past the `}` that balances the `{` starting `text`, skipping braces
/// inside JSON strings.
fn json_object_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (at, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The length of a fence line of `dialect` (`---`, or `...` when `closing`; `+++`) at
/// the start of `text`, with its trailing blanks and line end.
fn fence_len(text: &str, dialect: FrontMatterDialect, closing: bool) -> Option<usize> {
    let rest = match dialect {
        FrontMatterDialect::Toml => text.strip_prefix("+++")?,
        _ => text
            .strip_prefix("---")
            .or_else(|| closing.then(|| text.strip_prefix("...")).flatten())?,
    };
    let trimmed = rest.trim_start_matches([' ', '\t']);
    let after = if trimmed.is_empty() {
        trimmed
    } else {
        trimmed
            .strip_prefix("\r\n")
            .or_else(|| trimmed.strip_prefix('\n'))?
    };
    Some(text.len() - after.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fenced(text: &str) -> Fenced<'_> {
        match split(text) {
            Split::Fenced(parts) => parts,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn the_parts_are_the_file() {
        for text in [
            "---\ntitle: a\n---\n\nBody.\n",
            "\u{feff}---\r\ntitle: a\r\n...  \r\nBody",
            "---\n---\n",
            "---\ntitle: a\n---",
        ] {
            let p = fenced(text);
            assert_eq!([p.bom, p.open, p.front, p.close, p.rest].concat(), text);
        }
        let p = fenced("\u{feff}---\r\ntitle: a\r\n---\r\n\r\nBody\r\n");
        assert_eq!((p.bom, p.eol, p.close_line()), ("\u{feff}", "\r\n", 3));
        assert_eq!(p.body(), Some("Body\r\n"));
        assert_eq!(fenced("---\na: 1\n---\n").body(), None);
        assert_eq!(
            fenced("---\na: 1\n---\nno blank line\n").body(),
            Some("no blank line\n")
        );
    }

    #[test]
    fn plain_and_unclosed_files() {
        for text in [
            "",
            "# Readme\n",
            "----\n",
            " ---\n",
            "++++\n",
            "{{< figure src=\"a.png\" >}}\n",
            "{% include note.html %}\n",
            "{# a comment #}\n",
            "{\"title\": \"x\"} and text\n",
            "{\"title\": \"never closed\"\n",
        ] {
            assert!(matches!(split(text), Split::Plain), "{text:?}");
        }
        assert!(matches!(split("---"), Split::Unclosed { last_line: 2 }));
        assert!(matches!(
            split("---\na: 1\nb: 2\n"),
            Split::Unclosed { last_line: 4 }
        ));
        assert!(matches!(split("+++\na = 1\n---\n"), Split::Unclosed { .. }));
        // `---x` is not a fence, so the front matter goes on past it.
        assert!(matches!(split("---\n---x\n"), Split::Unclosed { .. }));
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        /// The closing fence found line by line, as the definition reads.
        fn closing_fence_by_lines(
            text: &str,
            dialect: FrontMatterDialect,
        ) -> Option<(usize, usize)> {
            let mut offset = 0;
            loop {
                if let Some(len) = fence_len(&text[offset..], dialect, true) {
                    return Some((offset, len));
                }
                offset += memchr::memchr(b'\n', &text.as_bytes()[offset..])? + 1;
            }
        }

        proptest! {
            #[test]
            fn the_fence_search_finds_the_first_fence_line(
                lines in proptest::collection::vec(
                    prop::sample::select(vec![
                        "---", "...", "+++", "----", "--- x", "--- \t", "a: 1", "", " ---",
                        "...\r", "-- -", "x---", "+++ ", "..", "--",
                    ]),
                    0..8,
                ),
                toml in any::<bool>(),
                crlf in any::<bool>(),
                ends in any::<bool>(),
            ) {
                let eol = if crlf { "\r\n" } else { "\n" };
                let mut text = lines.join(eol);
                if ends {
                    text.push_str(eol);
                }
                let dialect = if toml { FrontMatterDialect::Toml } else { FrontMatterDialect::Yaml };
                prop_assert_eq!(closing_fence(&text, dialect), closing_fence_by_lines(&text, dialect));
            }
        }
    }

    #[test]
    fn toml_and_json_dialects() {
        let p = fenced("+++\ntitle = \"a\"\n+++\n\nBody.\n");
        assert_eq!(p.dialect, FrontMatterDialect::Toml);
        assert_eq!((p.front, p.body()), ("title = \"a\"\n", Some("Body.\n")));
        let text =
            "\u{feff}{\n  \"title\": \"a } [\\\"\",\n  \"tags\": [\"x\"]\n}\r\n\r\nBody.\r\n";
        let p = fenced(text);
        assert_eq!(p.dialect, FrontMatterDialect::Json);
        assert_eq!([p.bom, p.open, p.front, p.close, p.rest].concat(), text);
        assert!(p.front.ends_with("]\n}"));
        assert_eq!(
            (p.close_line(), p.eol, p.body()),
            (4, "\r\n", Some("Body.\r\n"))
        );
        assert_eq!(fenced("{\"a\": 1}").body(), None);
    }
}
