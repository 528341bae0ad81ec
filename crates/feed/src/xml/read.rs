//! XML input as real feeds need it: declared encodings decoded to UTF-8 on the fly, a BOM
//! or whitespace before the declaration tolerated, namespaces resolved to canonical
//! prefixes, entities never expanded, and small element trees for one item at a time.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use quick_xml::events::{BytesStart, Event};
use recast_model::{Error, ErrorKind, Location, Result};

use crate::Warn;
use crate::url;

/// Namespace URIs and the prefixes element names are given after resolution. The
/// namespaces of RSS 0.90 and 1.0 get no prefix, so that `item` is `item` in every RSS.
const NAMESPACES: &[(&str, &str)] = &[
    ("http://www.w3.org/2005/Atom", "atom"),
    ("http://purl.org/rss/1.0/", ""),
    ("http://my.netscape.com/rdf/simple/0.9/", ""),
    ("http://backend.userland.com/rss2", ""),
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://purl.org/dc/terms/", "dcterms"),
    ("http://purl.org/rss/1.0/modules/content/", "content"),
    ("http://search.yahoo.com/mrss/", "media"),
    ("http://search.yahoo.com/mrss", "media"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"),
    ("http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://www.w3.org/1999/xhtml", "xhtml"),
    ("http://www.w3.org/XML/1998/namespace", "xml"),
    (crate::extension::NAMESPACE, "recast"),
];

/// How deep an item's elements may nest before the reader gives up (hostile input).
const MAX_DEPTH: usize = 512;

/// One element and everything inside it: a feed item, or one channel element.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    /// The resolved name: `title`, `dc:creator`, `atom:link`, `media:content`.
    pub name: String,
    /// Attributes with resolved names (`href`, `xml:base`, `rdf:about`) and their values.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    /// The base URI in effect for this element (`xml:base`), if any.
    pub base: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.elements().filter(move |e| e.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// All text inside, exactly (descendants' text included).
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for node in &self.children {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }

    /// The trimmed text of the first child of that name, when it is not empty.
    pub fn child_text(&self, name: &str) -> Option<String> {
        let text = self.child(name)?.text();
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    /// The content as markup (Atom `type="xhtml"`): child elements written back as XML,
    /// XHTML elements without a prefix.
    pub fn inner_xml(&self) -> String {
        let mut out = String::new();
        for node in &self.children {
            write_node(node, &mut out);
        }
        out
    }

    /// Resolves the links inside HTML content against this element's base URI.
    pub fn resolve_html(&self, html: &str) -> String {
        url::resolve_html(self.base.as_deref(), html)
    }

    /// Resolves a reference against this element's base URI.
    pub fn resolve(&self, reference: &str) -> String {
        url::resolve(self.base.as_deref(), reference.trim())
    }
}

fn write_node(node: &Node, out: &mut String) {
    match node {
        Node::Text(t) => out.push_str(&crate::xml::write::escape_text(t)),
        Node::Element(e) => {
            let name = e.name.strip_prefix("xhtml:").unwrap_or(&e.name);
            out.push('<');
            out.push_str(name);
            for (key, value) in &e.attrs {
                if key.starts_with("xmlns") {
                    continue;
                }
                out.push(' ');
                out.push_str(key);
                out.push_str("=\"");
                out.push_str(&crate::xml::write::escape_attr(value));
                out.push('"');
            }
            if e.children.is_empty() {
                out.push_str("/>");
                return;
            }
            out.push('>');
            for child in &e.children {
                write_node(child, out);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
    }
}

/// An opening tag as the feed readers see it.
#[derive(Debug)]
pub(crate) struct Head {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub empty: bool,
}

pub(crate) enum Step {
    Open(Head),
    Close,
    Text(String),
    Eof,
}

/// Decodes the input to UTF-8 as it is read, from its BOM or XML declaration; input
/// that declares nothing and is not UTF-8 is read as windows-1252 (a superset of
/// Latin-1), with a warning.
struct Decoded<R> {
    inner: R,
    decoder: Option<encoding_rs::Decoder>,
    /// An encoding was declared (BOM or declaration); no guessing then.
    declared: bool,
    pending: Vec<u8>,
    primed: bool,
    finished: bool,
    out: Vec<u8>,
    out_pos: usize,
    decoded: u64,
    /// Byte offsets (in the decoded text) where lines start, for error locations.
    line_starts: Vec<u64>,
    warned: bool,
    warn: Warn,
    file: Option<Arc<Path>>,
}

impl<R: Read> Decoded<R> {
    fn new(mut inner: R, warn: Warn, file: Option<Arc<Path>>) -> io::Result<Decoded<R>> {
        let mut prefix = Vec::with_capacity(1024);
        (&mut inner).take(1024).read_to_end(&mut prefix)?;
        let mut decoder = None;
        let mut declared = false;
        let mut start = 0;
        if prefix.starts_with(b"\xEF\xBB\xBF") {
            start = 3;
            declared = true;
        } else if let Some((encoding, bom)) = Encoding::for_bom(&prefix) {
            decoder = Some(encoding.new_decoder_without_bom_handling());
            start = bom;
            declared = true;
        }
        let mut line_starts = vec![0];
        if decoder.is_none() {
            // Whitespace before the declaration is not well-formed, but common.
            while start < prefix.len() && prefix[start].is_ascii_whitespace() {
                start += 1;
            }
            if let Some(label) = declared_encoding(&prefix[start..]) {
                match Encoding::for_label(label.as_bytes()) {
                    Some(encoding) if encoding == UTF_8 => declared = true,
                    // The declaration itself was read as ASCII, so the bytes are not
                    // UTF-16 whatever they say (a common mislabel): read them as UTF-8.
                    Some(encoding)
                        if encoding == encoding_rs::UTF_16LE
                            || encoding == encoding_rs::UTF_16BE => {}
                    Some(encoding) => {
                        decoder = Some(encoding.new_decoder_without_bom_handling());
                        declared = true;
                    }
                    None => warn(&format!(
                        "{}: unknown encoding {label:?} declared; reading as UTF-8",
                        Location::new(file.clone(), 1, 1)
                    )),
                }
            }
            let skipped_lines = prefix[..start].iter().filter(|&&b| b == b'\n').count();
            line_starts.extend(std::iter::repeat_n(0, skipped_lines));
        }
        prefix.drain(..start);
        Ok(Decoded {
            inner,
            decoder,
            declared,
            pending: prefix,
            primed: false,
            finished: false,
            out: Vec::new(),
            out_pos: 0,
            decoded: 0,
            line_starts,
            warned: false,
            warn,
            file,
        })
    }

    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_pos = 0;
        let mut last = false;
        if self.primed {
            let mut chunk = [0u8; 16 * 1024];
            let n = loop {
                match self.inner.read(&mut chunk) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            self.pending.extend_from_slice(&chunk[..n]);
            last = n == 0;
        }
        self.primed = true;
        self.decode(last);
        if last {
            self.finished = true;
        }
        for (i, b) in self.out.iter().enumerate() {
            if *b == b'\n' {
                self.line_starts.push(self.decoded + i as u64 + 1);
            }
        }
        self.decoded += self.out.len() as u64;
        Ok(())
    }

    fn decode(&mut self, last: bool) {
        loop {
            if let Some(decoder) = &mut self.decoder {
                let max = decoder
                    .max_utf8_buffer_length(self.pending.len())
                    .unwrap_or(self.pending.len() * 3 + 16);
                let start = self.out.len();
                self.out.resize(start + max, 0);
                let (_, read, written, _) =
                    decoder.decode_to_utf8(&self.pending, &mut self.out[start..], last);
                self.out.truncate(start + written);
                self.pending.drain(..read);
                return;
            }
            match std::str::from_utf8(&self.pending) {
                Ok(_) => {
                    self.out.append(&mut self.pending);
                    return;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    self.out.extend_from_slice(&self.pending[..valid]);
                    self.pending.drain(..valid);
                    match e.error_len() {
                        None if !last => return, // an incomplete character: wait for more
                        _ if !self.declared => {
                            self.warn_once(
                                "is not UTF-8 and declares no encoding; reading it as windows-1252",
                            );
                            self.decoder = Some(WINDOWS_1252.new_decoder_without_bom_handling());
                        }
                        bad => {
                            self.warn_once(
                                "has bytes that are not UTF-8; replaced them with U+FFFD",
                            );
                            self.out.extend_from_slice("\u{FFFD}".as_bytes());
                            let skip = bad.unwrap_or(self.pending.len()).min(self.pending.len());
                            self.pending.drain(..skip);
                        }
                    }
                }
            }
        }
    }

    fn warn_once(&mut self, what: &str) {
        if !self.warned {
            self.warned = true;
            let (line, column) = self.line_column(self.decoded + self.out.len() as u64);
            let at = Location::new(self.file.clone(), line, column);
            (self.warn)(&format!("{at}: the feed {what}"));
        }
    }

    fn line_column(&self, offset: u64) -> (u64, u64) {
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        (line as u64, offset.saturating_sub(start) + 1)
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos >= self.out.len() {
            if self.finished {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// The `encoding="..."` of an XML declaration at the start of the bytes.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    let end = rest.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&rest[..end]).ok()?;
    let at = decl.find("encoding")?;
    let value = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(value[..value.find(quote)?].trim().to_owned())
}

/// Resolves `&amp;`-style references in an attribute value and normalises its
/// whitespace as XML says; unknown entities stay as written, never expanded.
fn unescape(raw: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if c == '&'
            && let Some(end) = rest[1..].find(';').filter(|&e| e <= 32)
        {
            let name = &rest[1..=end];
            if let Some(resolved) = resolve_reference(name) {
                out.push(resolved);
                rest = &rest[end + 2..];
                continue;
            }
        }
        out.push(if attribute && matches!(c, '\t' | '\n' | '\r') {
            ' '
        } else {
            c
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The character a predefined entity or character reference stands for.
fn resolve_reference(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
            char::from_u32(code)?
        }
    })
}

/// A stream of XML steps with namespaces resolved.
pub(crate) struct XmlSource<R: BufRead> {
    reader: quick_xml::Reader<BufReader<Decoded<R>>>,
    buf: Vec<u8>,
    /// Namespace declarations per open element: (prefix, URI); "" is the default.
    scopes: Vec<Vec<(String, String)>>,
    file: Option<Arc<Path>>,
}

impl<R: BufRead> XmlSource<R> {
    pub fn new(input: R, file: Option<Arc<Path>>, warn: Warn) -> Result<XmlSource<R>> {
        let decoded =
            Decoded::new(input, warn, file.clone()).map_err(|e| Error::io(file.clone(), &e))?;
        let mut reader = quick_xml::Reader::from_reader(BufReader::new(decoded));
        let config = reader.config_mut();
        config.allow_dangling_amp = true;
        config.check_end_names = true;
        Ok(XmlSource {
            reader,
            buf: Vec::new(),
            scopes: Vec::new(),
            file,
        })
    }

    /// The location of a byte offset in the decoded text.
    pub fn location(&self, offset: u64) -> Location {
        let (line, column) = self.reader.get_ref().get_ref().line_column(offset);
        Location::new(self.file.clone(), line, column)
    }

    /// The location of the reader's current position.
    pub fn here(&self) -> Location {
        self.location(self.reader.buffer_position())
    }

    fn lookup(&self, prefix: &str) -> Option<&str> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|scope| scope.iter().rev())
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str())
    }

    fn resolve_name(&self, qname: &str, attribute: bool) -> String {
        let (prefix, local) = match qname.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", qname),
        };
        if prefix == "xml"
            || prefix == "xmlns"
            || qname == "xmlns"
            || (attribute && prefix.is_empty())
        {
            return qname.to_owned();
        }
        let known = self
            .lookup(prefix)
            .and_then(|uri| NAMESPACES.iter().find(|(u, _)| *u == uri))
            .map(|(_, p)| *p);
        match known {
            Some("") => local.to_owned(),
            Some(p) => format!("{p}:{local}"),
            None if prefix.is_empty() => local.to_owned(),
            None => qname.to_owned(),
        }
    }

    fn head(&mut self, start: &BytesStart<'_>, empty: bool) -> Result<Head> {
        let mut scope = Vec::new();
        let mut raw_attrs = Vec::new();
        for attr in start.attributes().with_checks(false) {
            let attr =
                attr.map_err(|e| Error::syntax(self.here(), format!("bad attribute: {e}")))?;
            let key = attr.key.as_ref().to_owned();
            let value = unescape(&attr.value, true);
            if key == "xmlns" {
                scope.push((String::new(), value.clone()));
            } else if let Some(prefix) = key.strip_prefix("xmlns:") {
                scope.push((prefix.to_owned(), value.clone()));
            }
            raw_attrs.push((key, value));
        }
        self.scopes.push(scope);
        let qname = start.name().as_ref().to_owned();
        let name = self.resolve_name(&qname, false);
        let attrs = raw_attrs
            .into_iter()
            .map(|(key, value)| (self.resolve_name(&key, true), value))
            .collect();
        if empty {
            self.scopes.pop();
        }
        Ok(Head { name, attrs, empty })
    }

    /// The next step of the document: an opening tag, a closing tag, text, or the end.
    /// Comments, processing instructions and the declaration are skipped; a DOCTYPE
    /// that declares entities is refused.
    pub fn step(&mut self) -> Result<Step> {
        // The buffer is taken out so that events can borrow it while `self` resolves
        // names: no copy of each event.
        let mut buf = std::mem::take(&mut self.buf);
        let step = self.step_with(&mut buf);
        buf.clear();
        self.buf = buf;
        step
    }

    fn step_with(&mut self, buf: &mut Vec<u8>) -> Result<Step> {
        loop {
            buf.clear();
            let event = match self.reader.read_event_into(buf) {
                Ok(event) => event,
                Err(e) => {
                    let at = self.location(self.reader.error_position());
                    return Err(match e {
                        quick_xml::Error::Io(io) => Error::io(self.file.clone(), &io),
                        e => Error::syntax(at, format!("not well-formed XML: {e}")),
                    });
                }
            };
            return Ok(match event {
                Event::Start(start) => Step::Open(self.head(&start, false)?),
                Event::Empty(start) => Step::Open(self.head(&start, true)?),
                Event::End(_) => {
                    self.scopes.pop();
                    Step::Close
                }
                Event::Text(text) => Step::Text(text.xml10_content().into_owned()),
                Event::CData(text) => Step::Text(text.xml10_content().into_owned()),
                Event::GeneralRef(reference) => {
                    let name = reference.into_inner().into_owned();
                    match resolve_reference(&name) {
                        Some(c) => Step::Text(c.to_string()),
                        // Not expanded, never fetched: kept as written.
                        None => Step::Text(format!("&{name};")),
                    }
                }
                Event::DocType(doctype) => {
                    if doctype.contains("<!ENTITY") {
                        return Err(Error::new(
                            ErrorKind::Limit,
                            self.here(),
                            "the DOCTYPE declares entities; recast never expands them \
                             (XML external entity and entity expansion attacks), so it refuses the feed",
                        ));
                    }
                    continue;
                }
                Event::Eof => Step::Eof,
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => continue,
            });
        }
    }

    /// Reads the rest of an element whose opening tag was just stepped over.
    pub fn subtree(&mut self, head: Head, parent_base: Option<&str>) -> Result<Element> {
        let base = match head.attrs.iter().find(|(k, _)| k == "xml:base") {
            Some((_, b)) => Some(url::resolve(parent_base, b.trim())),
            None => parent_base.map(str::to_owned),
        };
        let mut element = Element {
            name: head.name,
            attrs: head.attrs,
            children: Vec::new(),
            base,
        };
        if head.empty {
            return Ok(element);
        }
        // An explicit stack rather than recursion: depth is the input's to choose.
        let mut stack: Vec<Element> = Vec::new();
        loop {
            match self.step()? {
                Step::Open(child) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(Error::limit(
                            self.here(),
                            format!("elements nest deeper than {MAX_DEPTH} levels"),
                        ));
                    }
                    let empty = child.empty;
                    let child = Element {
                        base: match child.attrs.iter().find(|(k, _)| k == "xml:base") {
                            Some((_, b)) => Some(url::resolve(element.base.as_deref(), b.trim())),
                            None => element.base.clone(),
                        },
                        name: child.name,
                        attrs: child.attrs,
                        children: Vec::new(),
                    };
                    if empty {
                        element.children.push(Node::Element(child));
                    } else {
                        stack.push(std::mem::replace(&mut element, child));
                    }
                }
                Step::Close => match stack.pop() {
                    Some(mut parent) => {
                        parent
                            .children
                            .push(Node::Element(std::mem::take(&mut element)));
                        element = parent;
                    }
                    None => return Ok(element),
                },
                Step::Text(text) => match element.children.last_mut() {
                    Some(Node::Text(t)) => t.push_str(&text),
                    _ => element.children.push(Node::Text(text)),
                },
                Step::Eof => {
                    return Err(Error::syntax(
                        self.here(),
                        format!("the document ends inside <{}>", element.name),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declared_encodings() {
        assert_eq!(
            declared_encoding(b"<?xml version='1.0' encoding = \"ISO-8859-1\"?><rss/>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?>"), None);
    }

    #[test]
    fn decodes_declared_encodings_and_guesses_undeclared_latin1() {
        let read = |bytes: &[u8]| {
            let mut decoded = Decoded::new(bytes, Arc::new(|_: &str| {}), None).unwrap();
            let mut text = String::new();
            decoded.read_to_string(&mut text).unwrap();
            text
        };
        assert_eq!(
            read(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>\xE9</t>"),
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>\u{e9}</t>"
        );
        assert_eq!(read(b"\n  <t>caf\xE9</t>"), "<t>caf\u{e9}</t>");
        assert_eq!(read(b"\xEF\xBB\xBF<t>caf\xC3\xA9</t>"), "<t>caf\u{e9}</t>");
        assert_eq!(
            read(b"<?xml version='1.0' encoding='utf-16'?><t>ok</t>"),
            "<?xml version='1.0' encoding='utf-16'?><t>ok</t>"
        );
        assert_eq!(read(b"\xFF\xFE<\x00t\x00/\x00>\x00"), "<t/>");
        assert!(
            read(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><t>\xCF</t>")
                .ends_with("<t>\u{41F}</t>")
        );
    }

    #[test]
    fn resolves_references_but_never_entities() {
        assert_eq!(
            unescape("a &amp; b &#233; &#x41; &nbsp; &bogus", false),
            "a & b é A &nbsp; &bogus"
        );
        assert_eq!(unescape("x\ny", true), "x y");
    }
}
