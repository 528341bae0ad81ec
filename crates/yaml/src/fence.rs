//! Cutting a Markdown file at its front-matter fences: the one place that knows where
//! front matter starts and ends. The reader (`front_matter.rs`) and the minimal-diff
//! rewriter (`rewrite.rs`) both use it, so they can never disagree on where the body is.
//!
//! The opening fence is a `---` line at the very start (after a UTF-8 BOM); the closing
//! one is the next `---` or `...` line. Fences may carry trailing spaces or tabs, and
//! lines may end in LF or CRLF.

/// A Markdown file cut at its fences. Every part is a slice of the text, so the parts
/// put back together are the file, byte for byte.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fenced<'a> {
    /// The BOM, or nothing.
    pub(crate) bom: &'a str,
    /// The opening `---` line with its line end.
    pub(crate) open: &'a str,
    /// The front matter between the fences.
    pub(crate) front: &'a str,
    /// The closing line, with its line end if it has one.
    pub(crate) close: &'a str,
    /// Everything after the closing line: the separator line and the body.
    pub(crate) rest: &'a str,
    /// The 1-based file line of the closing fence.
    pub(crate) close_line: u64,
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
    let Some(open_len) = fence_len(unmarked, false) else {
        return Split::Plain;
    };
    let open = &unmarked[..open_len];
    let eol = if open.ends_with("\r\n") { "\r\n" } else { "\n" };
    let after = &unmarked[open_len..];
    let mut offset = 0;
    let mut line = 2;
    loop {
        let candidate = &after[offset..];
        // A file that is only `---` has nothing after its opening line to close it.
        if open.ends_with('\n')
            && let Some(close_len) = fence_len(candidate, true)
        {
            return Split::Fenced(Fenced {
                bom,
                open,
                front: &after[..offset],
                close: &candidate[..close_len],
                rest: &candidate[close_len..],
                close_line: line,
                eol,
            });
        }
        match candidate.find('\n') {
            Some(end) => {
                offset += end + 1;
                line += 1;
            }
            None => return Split::Unclosed { last_line: line },
        }
    }
}

impl<'a> Fenced<'a> {
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

/// The length of a fence line (`---`, or `...` when `closing`) at the start of `text`,
/// with its trailing blanks and line end.
fn fence_len(text: &str, closing: bool) -> Option<usize> {
    let rest = text
        .strip_prefix("---")
        .or_else(|| closing.then(|| text.strip_prefix("...")).flatten())?;
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
        assert_eq!((p.bom, p.eol, p.close_line), ("\u{feff}", "\r\n", 3));
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
            "+++\ntitle = \"x\"\n+++\n",
            "----\n",
            " ---\n",
        ] {
            assert!(matches!(split(text), Split::Plain), "{text:?}");
        }
        assert!(matches!(split("---"), Split::Unclosed { last_line: 2 }));
        assert!(matches!(
            split("---\na: 1\nb: 2\n"),
            Split::Unclosed { last_line: 4 }
        ));
        // `---x` is not a fence, so the front matter goes on past it.
        assert!(matches!(split("---\n---x\n"), Split::Unclosed { .. }));
    }
}
