//! XML output: escaping, the characters XML 1.0 cannot carry, indentation.
//!
//! Markup is written straight as bytes (no per-tag allocation); text is escaped here so
//! that a carriage return survives (`&#13;`: a literal CR would be normalised away by
//! every XML parser) and attribute values keep their tabs and newlines.

use std::borrow::Cow;
use std::io::Write;

use recast_model::scan::{self, ByteSet, has_byte, has_byte_below, word_at};
use recast_model::{Error, ErrorKind, Location, Result};

use super::namespaces::UsedNamespaces;
use crate::InvalidChars;

/// True for the characters XML 1.0 can carry (its `Char` production).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// True when the text has a character XML 1.0 cannot carry.
///
/// Works on bytes: the only such characters a `str` can hold are the C0 controls other
/// than tab and line ends, and U+FFFE and U+FFFF (UTF-8 `EF BF BE`, `EF BF BF`).
pub(crate) fn has_invalid_chars(text: &str) -> bool {
    let bytes = text.as_bytes();
    let invalid_at = |i: usize| match bytes[i] {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 => true,
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => false,
    };
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let word = word_at(bytes, at);
        if (has_byte_below(word, 0x20) || has_byte(word, 0xEF)) && (at..at + 8).any(invalid_at) {
            return true;
        }
        at += 8;
    }
    (at..bytes.len()).any(invalid_at)
}

/// The bytes of character data that need a reference (see [`text_reference`]).
const TEXT_SPECIALS: ByteSet = ByteSet::new(b"&<>\r");

/// Where the next byte of character data that needs a reference is, from `from`.
fn next_text_special(bytes: &[u8], from: usize) -> Option<usize> {
    scan::find(bytes, from, &TEXT_SPECIALS)
}

/// The reference that replaces a byte of character data, if it needs one; `>` too, so
/// that `]]>` can never appear.
fn text_reference(byte: u8) -> Option<&'static [u8]> {
    match byte {
        b'&' => Some(b"&amp;"),
        b'<' => Some(b"&lt;"),
        b'>' => Some(b"&gt;"),
        b'\r' => Some(b"&#13;"),
        _ => None,
    }
}

/// Like [`text_reference`], for a double-quoted attribute value, which also keeps its
/// quotes, tabs and newlines as references.
fn attr_reference(byte: u8) -> Option<&'static [u8]> {
    match byte {
        b'"' => Some(b"&quot;"),
        b'\t' => Some(b"&#9;"),
        b'\n' => Some(b"&#10;"),
        byte => text_reference(byte),
    }
}

/// Which bytes need a reference, as tables: one lookup a byte in the hot loop.
const fn table(attr: bool) -> [bool; 256] {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = matches!(byte as u8, b'&' | b'<' | b'>' | b'\r')
            || (attr && matches!(byte as u8, b'"' | b'\t' | b'\n'));
        byte += 1;
    }
    table
}
const TEXT_SPECIAL: [bool; 256] = table(false);
const ATTR_SPECIAL: [bool; 256] = table(true);

/// Writes `text` escaped: runs of plain bytes are copied whole.
fn write_escaped(out: &mut impl Write, text: &str, attr: bool) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    let next_special = |from: usize| {
        if attr {
            (from..bytes.len()).find(|&i| ATTR_SPECIAL[usize::from(bytes[i])])
        } else {
            next_text_special(bytes, from)
        }
    };
    let mut plain_from = 0;
    while let Some(at) = next_special(plain_from) {
        let reference = if attr {
            attr_reference(bytes[at])
        } else {
            text_reference(bytes[at])
        };
        out.write_all(&bytes[plain_from..at])?;
        out.write_all(reference.unwrap_or_default())?;
        plain_from = at + 1;
    }
    out.write_all(&bytes[plain_from..])
}

/// Escapes character data; `>` too, so that `]]>` can never appear.
pub(crate) fn escape_text(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Escapes an attribute value (double-quoted), keeping tabs and line ends as references.
pub(crate) fn escape_attr(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, attr: bool) -> Cow<'_, str> {
    let special = if attr { &ATTR_SPECIAL } else { &TEXT_SPECIAL };
    if !text.bytes().any(|b| special[usize::from(b)]) {
        return Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len() + 16);
    write_escaped(&mut out, text, attr).expect("a Vec takes every write");
    Cow::Owned(String::from_utf8(out).expect("escaping keeps UTF-8"))
}

/// A streaming XML document writer with two-space indentation.
///
/// Text is only ever written inside leaf elements, so indentation never changes a value.
/// The whole document goes to a buffered output ([`XmlOut::document`]); one feed item can
/// also be written on its own into memory ([`XmlOut::item`]) at the depth it will have in
/// the document, holding its warnings until the item takes its place.
pub(crate) struct XmlOut<W: Write> {
    output: W,
    depth: usize,
    invalid: InvalidChars,
    /// Warnings kept back, in order, when the item is written ahead of its place.
    held_warnings: Option<Vec<String>>,
    /// The 1-based number of the record being written, for error locations and messages.
    pub record: Option<u64>,
    /// The title of the record being written, for messages.
    pub record_title: Option<String>,
    /// The prefixed namespaces of the elements written so far.
    pub used: UsedNamespaces,
}

impl<W: Write> XmlOut<W> {
    /// A document written to `output` through a buffer: the writer makes many small
    /// writes, and the output may be a bare file.
    pub fn document(output: W, invalid: InvalidChars) -> XmlOut<std::io::BufWriter<W>> {
        XmlOut {
            output: std::io::BufWriter::with_capacity(64 * 1024, output),
            depth: 0,
            invalid,
            held_warnings: None,
            record: None,
            record_title: None,
            used: UsedNamespaces::default(),
        }
    }

    fn io(error: std::io::Error) -> Error {
        Error::io(None, error)
    }

    fn bytes(&mut self, bytes: &[u8]) -> Result<()> {
        self.output.write_all(bytes).map_err(Self::io)
    }

    fn escaped(&mut self, text: &str, attr: bool) -> Result<()> {
        write_escaped(&mut self.output, text, attr).map_err(Self::io)
    }

    /// Copies bytes already made into XML (an item written ahead of its place).
    pub fn raw(&mut self, bytes: &[u8]) -> Result<()> {
        self.bytes(bytes)
    }

    pub fn declaration(&mut self) -> Result<()> {
        self.bytes(br#"<?xml version="1.0" encoding="UTF-8"?>"#)
    }

    /// The `xml-stylesheet` processing instruction that has browsers show the document
    /// through the XSLT at `href` (after the declaration, before the root).
    pub fn stylesheet(&mut self, href: &str) -> Result<()> {
        // A PI's pseudo-attribute is quoted like an attribute; `?>` cannot appear in
        // the escaped text (`>` is escaped), so the PI cannot end early.
        self.newline()?;
        self.bytes(br#"<?xml-stylesheet type="text/xsl" href=""#)?;
        let href = self.clean(&|| "--stylesheet".into(), href)?;
        self.escaped(&href, true)?;
        self.bytes(br#""?>"#)
    }

    fn newline(&mut self) -> Result<()> {
        const SPACES: &str = "\n                                                                ";
        let width = (1 + 2 * self.depth).min(SPACES.len());
        self.bytes(&SPACES.as_bytes()[..width])
    }

    /// Names the record being written: `record 3 ("Title")`, or the channel.
    fn context(&self) -> String {
        match (self.record, &self.record_title) {
            (None, _) => "the channel".into(),
            (Some(number), Some(title)) => format!("record {number} ({title:?})"),
            (Some(number), None) => format!("record {number}"),
        }
    }

    fn emit_warning(&mut self, message: String) {
        match &mut self.held_warnings {
            Some(held) => held.push(message),
            None => log::warn!("{message}"),
        }
    }

    /// Warns about the record being written: `record 3 ("Title"): ...`.
    pub fn warn(&mut self, what: &str) {
        let message = format!("{}: {what}", self.context());
        self.emit_warning(message);
    }

    /// Text for a standard element: characters XML cannot carry are dropped with a
    /// warning, or refused, as the options say. `what` names the text in the message.
    pub fn clean<'a>(&mut self, what: &dyn Fn() -> String, text: &'a str) -> Result<Cow<'a, str>> {
        if !has_invalid_chars(text) {
            return Ok(Cow::Borrowed(text));
        }
        let bad = text.chars().find(|c| !is_xml_char(*c)).unwrap_or('\0');
        let message = format!(
            "{}: {} has the character U+{:04X}, which XML 1.0 cannot carry",
            self.context(),
            what(),
            bad as u32
        );
        match self.invalid {
            InvalidChars::Refuse => {
                let location = Location {
                    record: self.record,
                    ..Location::default()
                };
                Err(Error::new(ErrorKind::Data, location, message))
            }
            InvalidChars::Drop => {
                self.emit_warning(format!("{message}; dropped it"));
                Ok(Cow::Owned(
                    text.chars().filter(|c| is_xml_char(*c)).collect(),
                ))
            }
        }
    }

    /// Writes `<name attr="value"...` (without the closing `>`), each value cleaned.
    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<()> {
        // Checked first, as a whole, so that a refused value writes nothing of the tag.
        let mut cleaned: [Cow<'_, str>; 4] = Default::default();
        let mut spilled = Vec::new();
        for (i, (key, value)) in attrs.iter().enumerate() {
            let value = self.clean(&|| format!("attribute {key}"), value)?;
            match cleaned.get_mut(i) {
                Some(slot) => *slot = value,
                None => spilled.push(value),
            }
        }
        self.used.note(name);
        self.bytes(b"<")?;
        self.bytes(name.as_bytes())?;
        let values = cleaned.iter().chain(&spilled);
        for ((key, _), value) in attrs.iter().zip(values) {
            self.bytes(b" ")?;
            self.bytes(key.as_bytes())?;
            self.bytes(b"=\"")?;
            self.escaped(value, true)?;
            self.bytes(b"\"")?;
        }
        Ok(())
    }

    /// Opens an element whose content is elements.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<()> {
        if self.depth > 0 {
            self.newline()?;
        } else {
            self.bytes(b"\n")?;
        }
        self.start_tag(name, attrs)?;
        self.bytes(b">")?;
        self.depth += 1;
        Ok(())
    }

    fn end_tag(&mut self, name: &str) -> Result<()> {
        self.bytes(b"</")?;
        self.bytes(name.as_bytes())?;
        self.bytes(b">")
    }

    pub fn close(&mut self, name: &str) -> Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.newline()?;
        self.end_tag(name)
    }

    /// An element holding text (written `<name/>` when the text is empty).
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<()> {
        let text = self.clean(&|| name.to_owned(), text)?;
        self.leaf_raw(name, attrs, &text)
    }

    /// Like [`XmlOut::leaf`], for text already checked for invalid characters.
    pub fn leaf_raw(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<()> {
        self.newline()?;
        self.start_tag(name, attrs)?;
        if text.is_empty() {
            return self.bytes(b"/>");
        }
        self.bytes(b">")?;
        self.escaped(text, false)?;
        self.end_tag(name)
    }

    /// An element with attributes only.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<()> {
        self.newline()?;
        self.start_tag(name, attrs)?;
        self.bytes(b"/>")
    }

    /// Ends the document with a newline and flushes.
    pub fn end_document(&mut self) -> Result<()> {
        self.bytes(b"\n")?;
        self.output.flush().map_err(Self::io)
    }
}

/// One item (or entry) written ahead of its place in the feed.
#[derive(Default)]
pub(crate) struct WrittenItem {
    /// Its markup, from the newline before its start tag to its end tag; up to the
    /// error, if there was one.
    pub bytes: Vec<u8>,
    /// The warnings it gave, to be given when it takes its place.
    pub warnings: Vec<String>,
    /// The error that stopped it, to be returned when it takes its place.
    pub error: Option<Error>,
    /// Where text known only at the end (the Atom feed's `updated`) goes, if anywhere.
    pub placeholder: Option<usize>,
    /// The prefixed namespaces it uses, which the feed's root must declare.
    pub used: UsedNamespaces,
}

impl XmlOut<Vec<u8>> {
    /// An item written into memory at `depth`, its warnings held back.
    pub fn item(depth: usize, invalid: InvalidChars) -> XmlOut<Vec<u8>> {
        XmlOut {
            // Room for a typical item at once: growing by doubling copies it again and again.
            output: Vec::with_capacity(16 << 10),
            depth,
            invalid,
            held_warnings: Some(Vec::new()),
            record: None,
            record_title: None,
            used: UsedNamespaces::default(),
        }
    }

    /// The number of bytes written so far.
    pub fn position(&self) -> usize {
        self.output.len()
    }

    /// An element whose text is left out, to be put in later: its offset is returned.
    pub fn leaf_placeholder(&mut self, name: &str) -> Result<usize> {
        self.newline()?;
        self.bytes(b"<")?;
        self.bytes(name.as_bytes())?;
        self.bytes(b">")?;
        let at = self.position();
        self.end_tag(name)?;
        Ok(at)
    }

    /// A feed's own elements, written into memory at `depth` by `write` before the root
    /// is, so that the root can declare just the namespaces they (and the items) use.
    /// Their warnings are given now; an error is returned.
    pub fn head(
        depth: usize,
        invalid: InvalidChars,
        write: impl FnOnce(&mut XmlOut<Vec<u8>>) -> Result<()>,
    ) -> Result<(Vec<u8>, UsedNamespaces)> {
        let mut out = XmlOut::item(depth, invalid);
        let result = write(&mut out);
        let head = out.into_item(result);
        for warning in &head.warnings {
            log::warn!("{warning}");
        }
        match head.error {
            Some(error) => Err(error),
            None => Ok((head.bytes, head.used)),
        }
    }

    /// The item written, and how writing it ended.
    pub fn into_item(self, result: Result<()>) -> WrittenItem {
        WrittenItem {
            bytes: self.output,
            warnings: self.held_warnings.unwrap_or_default(),
            error: result.err(),
            placeholder: None,
            used: self.used,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_keeps_carriage_returns() {
        assert_eq!(
            escape_text("a < b && c ]]> d\r\n"),
            "a &lt; b &amp;&amp; c ]]&gt; d&#13;\n"
        );
        assert_eq!(
            escape_attr("say \"hi\"\tnow\n"),
            "say &quot;hi&quot;&#9;now&#10;"
        );
        assert!(matches!(escape_text("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn knows_xml_characters() {
        assert!(has_invalid_chars("bell\u{7}"));
        assert!(has_invalid_chars("\u{FFFE}"));
        assert!(has_invalid_chars("end \u{FFFF}"));
        assert!(!has_invalid_chars("tab\there\r\n é 😀 \u{FFFD} \u{EFBF}"));
    }

    /// The byte scan agrees with the character definition on every character class.
    #[test]
    fn byte_scan_matches_the_char_production() {
        let samples = [
            '\0',
            '\u{1}',
            '\t',
            '\n',
            '\u{B}',
            '\r',
            '\u{1F}',
            ' ',
            '~',
            '\u{7F}',
            '\u{80}',
            '\u{9F}',
            'é',
            '\u{D7FF}',
            '\u{E000}',
            '\u{EFBF}',
            '\u{FFFD}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{10000}',
            '\u{10FFFF}',
        ];
        for c in samples {
            let text = format!("a{c}b");
            assert_eq!(has_invalid_chars(&text), !is_xml_char(c), "{c:?}");
        }
    }

    /// The word-at-a-time scans against plain character-by-character definitions.
    #[test]
    fn fast_scans_match_the_plain_definitions() {
        fn plain_escape(text: &str, attr: bool) -> String {
            let mut out = String::new();
            for c in text.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '\r' => out.push_str("&#13;"),
                    '"' if attr => out.push_str("&quot;"),
                    '\t' if attr => out.push_str("&#9;"),
                    '\n' if attr => out.push_str("&#10;"),
                    c => out.push(c),
                }
            }
            out
        }
        let alphabet = [
            "&", "<", ">", "\r", "\n", "\t", "\"", "\u{7}", "\u{1F}", " ", "é", "\u{FFFE}",
            "\u{FFFF}", "\u{FFFD}", "\u{EFBF}", "😀", "\u{0}", "\u{7F}", "\u{80}",
        ];
        // Strings from a fixed pseudo-random sequence, mostly plain letters so that clean
        // words occur, with specials at every position of a word and across words.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..5000 {
            let mut text = String::new();
            let len = state % 40;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                match state % 4 {
                    0 => text.push_str(alphabet[(state >> 8) as usize % alphabet.len()]),
                    _ => text.push('a'),
                }
            }
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            assert_eq!(
                has_invalid_chars(&text),
                !text.chars().all(is_xml_char),
                "{text:?}"
            );
            for attr in [false, true] {
                assert_eq!(escape(&text, attr), plain_escape(&text, attr), "{text:?}");
            }
        }
    }

    #[test]
    fn writes_elements_and_escaped_attributes() {
        let mut out = XmlOut::item(1, InvalidChars::Drop);
        out.open("item", &[]).unwrap();
        out.leaf("title", &[("a", "x\"y"), ("b", "1\t2")], "1 < 2")
            .unwrap();
        out.empty("link", &[("href", "u&v")]).unwrap();
        out.leaf("empty", &[], "").unwrap();
        out.close("item").unwrap();
        let item = out.into_item(Ok(()));
        assert_eq!(
            String::from_utf8(item.bytes).unwrap(),
            "\n  <item>\n    <title a=\"x&quot;y\" b=\"1&#9;2\">1 &lt; 2</title>\
             \n    <link href=\"u&amp;v\"/>\n    <empty/>\n  </item>"
        );
    }

    #[test]
    fn held_warnings_wait_for_the_item() {
        let (item, given) = crate::caught_warnings::warnings_of(|| {
            let mut out = XmlOut::item(1, InvalidChars::Drop);
            out.record = Some(3);
            out.record_title = Some("T".into());
            out.leaf("title", &[], "bell\u{7}").unwrap();
            out.into_item(Ok(()))
        });
        assert!(given.is_empty(), "not held: {given:?}");
        assert_eq!(
            item.warnings,
            [
                "record 3 (\"T\"): title has the character U+0007, which XML 1.0 cannot carry; dropped it"
            ]
        );
        assert_eq!(
            String::from_utf8(item.bytes).unwrap(),
            "\n  <title>bell</title>"
        );
    }
}
