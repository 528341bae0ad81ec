//! XML output: escaping, the characters XML 1.0 cannot carry, indentation.
//!
//! Built on quick-xml's writer; the markup is escaped here rather than by quick-xml so
//! that a carriage return survives (`&#13;`: a literal CR would be normalised away by
//! every XML parser) and attribute values keep their tabs and newlines.

use std::borrow::Cow;
use std::io::Write;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use recast_model::{Error, ErrorKind, Location, Result};

use crate::{InvalidChars, Warn};

/// True for the characters XML 1.0 can carry (its `Char` production).
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// True when the text has a character XML 1.0 cannot carry.
pub(crate) fn has_invalid_chars(text: &str) -> bool {
    !text.chars().all(is_xml_char)
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
    let needs =
        |c: char| matches!(c, '&' | '<' | '>' | '\r') || (attr && matches!(c, '"' | '\t' | '\n'));
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
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
    Cow::Owned(out)
}

/// A streaming XML document writer with two-space indentation.
///
/// Text is only ever written inside leaf elements, so indentation never changes a value.
pub(crate) struct XmlOut<W: Write> {
    /// Buffered here: the writer makes many small writes, and the output may be a bare file.
    writer: quick_xml::Writer<std::io::BufWriter<W>>,
    depth: usize,
    invalid: InvalidChars,
    warn: Warn,
    /// Names the record being written in warnings and errors: `record 3 ("Title")`.
    pub context: String,
    /// The 1-based number of the record being written, for error locations.
    pub record: Option<u64>,
}

impl<W: Write> XmlOut<W> {
    pub fn new(output: W, invalid: InvalidChars, warn: Warn) -> XmlOut<W> {
        XmlOut {
            writer: quick_xml::Writer::new(std::io::BufWriter::with_capacity(64 * 1024, output)),
            depth: 0,
            invalid,
            warn,
            context: "the channel".into(),
            record: None,
        }
    }

    fn io(error: std::io::Error) -> Error {
        Error::io(None, &error)
    }

    fn event(&mut self, event: Event<'_>) -> Result<()> {
        self.writer.write_event(event).map_err(Self::io)
    }

    pub fn declaration(&mut self) -> Result<()> {
        self.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
    }

    fn newline(&mut self) -> Result<()> {
        const SPACES: &str = "\n                                                                ";
        let width = (1 + 2 * self.depth).min(SPACES.len());
        self.event(Event::Text(BytesText::from_escaped(&SPACES[..width])))
    }

    /// Warns about the record being written: `record 3 ("Title"): ...`.
    pub fn warn(&self, what: &str) {
        (self.warn)(&format!("{}: {what}", self.context));
    }

    /// Text for a standard element: characters XML cannot carry are dropped with a
    /// warning, or refused, as the options say.
    pub fn clean<'a>(&mut self, what: &str, text: &'a str) -> Result<Cow<'a, str>> {
        if !has_invalid_chars(text) {
            return Ok(Cow::Borrowed(text));
        }
        let bad = text.chars().find(|c| !is_xml_char(*c)).unwrap_or('\0');
        let message = format!(
            "{}: {what} has the character U+{:04X}, which XML 1.0 cannot carry",
            self.context, bad as u32
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
                (self.warn)(&format!("{message}; dropped it"));
                Ok(Cow::Owned(
                    text.chars().filter(|c| is_xml_char(*c)).collect(),
                ))
            }
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<BytesStart<'static>> {
        let mut content = String::from(name);
        for (key, value) in attrs {
            let value = self.clean(&format!("attribute {key}"), value)?;
            content.push(' ');
            content.push_str(key);
            content.push_str("=\"");
            content.push_str(&escape_attr(&value));
            content.push('"');
        }
        Ok(BytesStart::from_content(content, name.len()))
    }

    /// Opens an element whose content is elements.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<()> {
        if self.depth > 0 {
            self.newline()?;
        } else {
            self.event(Event::Text(BytesText::from_escaped("\n")))?;
        }
        let start = self.start_tag(name, attrs)?;
        self.event(Event::Start(start))?;
        self.depth += 1;
        Ok(())
    }

    pub fn close(&mut self, name: &str) -> Result<()> {
        self.depth = self.depth.saturating_sub(1);
        self.newline()?;
        self.event(Event::End(BytesEnd::new(name)))
    }

    /// An element holding text (written `<name/>` when the text is empty).
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<()> {
        let text = self.clean(name, text)?;
        self.leaf_raw(name, attrs, &text)
    }

    /// Like [`XmlOut::leaf`], for text already checked for invalid characters.
    pub fn leaf_raw(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> Result<()> {
        self.newline()?;
        let start = self.start_tag(name, attrs)?;
        if text.is_empty() {
            return self.event(Event::Empty(start));
        }
        self.event(Event::Start(start))?;
        self.event(Event::Text(BytesText::from_escaped(escape_text(text))))?;
        self.event(Event::End(BytesEnd::new(name)))
    }

    /// An element with attributes only.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> Result<()> {
        self.newline()?;
        let start = self.start_tag(name, attrs)?;
        self.event(Event::Empty(start))
    }

    /// Ends the document with a newline and flushes.
    pub fn end_document(&mut self) -> Result<()> {
        self.event(Event::Text(BytesText::from_escaped("\n")))?;
        self.writer.get_mut().flush().map_err(Self::io)
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
        assert!(!has_invalid_chars("tab\there\r\n é 😀"));
    }
}
