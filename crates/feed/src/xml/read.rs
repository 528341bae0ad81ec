//! XML input as real feeds need it: declared encodings decoded to UTF-8 on the fly, a BOM
//! or whitespace before the declaration tolerated, namespaces resolved to canonical
//! prefixes, entities never expanded, and small element trees for one item at a time.
//!
//! The reader is the hot loop of `feed → anything`, so it allocates nothing per event
//! once warm: the current tag's resolved name and attributes live in buffers of
//! [`XmlSource`] that each event overwrites, and an item's elements go into a [`Tree`]
//! whose arenas are cleared and reused from item to item.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};
use std::ops::Range;
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
pub(crate) const MAX_DEPTH: usize = 512;

/// No node: the end of a sibling list, an element without children or without a base.
const NONE: usize = usize::MAX;

/// One element and everything inside it (a feed item, or one channel element), held in
/// arenas that are reused for the next one: building an item allocates nothing once the
/// arenas have grown to the size of the largest item.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    nodes: Vec<NodeData>,
    /// Attributes of all elements: (name, value) ranges of `strings`.
    attrs: Vec<(Range<usize>, Range<usize>)>,
    /// Element names, attribute names and values, and text, one after the other.
    strings: String,
    /// The base URIs (`xml:base`) in effect, resolved; elements refer to them by index.
    bases: Vec<String>,
    /// The elements being built, innermost last.
    building: Vec<usize>,
}

#[derive(Debug)]
struct NodeData {
    /// The name of an element, or the text of a text node (a range of `strings`).
    span: Range<usize>,
    is_text: bool,
    /// A range of `Tree::attrs`.
    attrs: Range<usize>,
    /// An index into `Tree::bases`, or `NONE`.
    base: usize,
    first_child: usize,
    last_child: usize,
    next_sibling: usize,
}

impl Tree {
    /// Forgets the last element, keeping the arenas' memory.
    pub fn clear(&mut self) {
        self.nodes.clear();
        self.attrs.clear();
        self.strings.clear();
        self.bases.clear();
        self.building.clear();
    }

    /// The element built last (its root).
    pub fn root(&self) -> Option<Element<'_>> {
        (!self.nodes.is_empty()).then_some(Element { tree: self, id: 0 })
    }

    fn push_str(&mut self, text: &str) -> Range<usize> {
        let start = self.strings.len();
        self.strings.push_str(text);
        start..self.strings.len()
    }

    fn append(&mut self, node: NodeData) -> usize {
        let id = self.nodes.len();
        if let Some(&parent) = self.building.last() {
            match self.nodes[parent].last_child {
                NONE => self.nodes[parent].first_child = id,
                last => self.nodes[last].next_sibling = id,
            }
            self.nodes[parent].last_child = id;
        }
        self.nodes.push(node);
        id
    }

    /// Adds an element as the last child of the innermost open one (or as the root),
    /// open for children unless `empty`. `parent_base` is the root's inherited base.
    fn open<R: BufRead>(&mut self, tag: &XmlSource<R>, parent_base: Option<&str>) {
        let span = self.push_str(tag.name());
        let first_attr = self.attrs.len();
        let mut own_base = None;
        for (key, value) in tag.attrs() {
            if key == "xml:base" && own_base.is_none() {
                own_base = Some(value);
            }
            let key = self.push_str(key);
            let value = self.push_str(value);
            self.attrs.push((key, value));
        }
        let inherited = match self.building.last() {
            Some(&parent) => self.nodes[parent].base,
            None => match parent_base {
                Some(base) => {
                    self.bases.push(base.to_owned());
                    self.bases.len() - 1
                }
                None => NONE,
            },
        };
        let base = match own_base {
            Some(reference) => {
                let outer = (inherited != NONE).then(|| self.bases[inherited].as_str());
                let resolved = url::resolve(outer, reference.trim());
                self.bases.push(resolved);
                self.bases.len() - 1
            }
            None => inherited,
        };
        let id = self.append(NodeData {
            span,
            is_text: false,
            attrs: first_attr..self.attrs.len(),
            base,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        if !tag.is_empty() {
            self.building.push(id);
        }
    }

    /// Adds text to the innermost open element, joining it to text just before it.
    fn text(&mut self, text: &str) {
        let Some(&parent) = self.building.last() else {
            return;
        };
        let last = self.nodes[parent].last_child;
        if last != NONE && self.nodes[last].is_text {
            // Nothing was added to the arena since that text: it can simply grow.
            debug_assert_eq!(self.nodes[last].span.end, self.strings.len());
            self.strings.push_str(text);
            self.nodes[last].span.end = self.strings.len();
            return;
        }
        let span = self.push_str(text);
        self.append(NodeData {
            span,
            is_text: true,
            attrs: 0..0,
            base: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
    }

    /// Closes the innermost open element; false when that was the root.
    fn close(&mut self) -> bool {
        self.building.pop();
        !self.building.is_empty()
    }
}

/// An element of a [`Tree`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'t> {
    tree: &'t Tree,
    id: usize,
}

/// A child of an element: an element or text.
enum Child<'t> {
    Element(Element<'t>),
    Text(&'t str),
}

impl<'t> Element<'t> {
    fn data(&self) -> &'t NodeData {
        &self.tree.nodes[self.id]
    }

    /// The resolved name: `title`, `dc:creator`, `atom:link`, `media:content`.
    pub fn name(&self) -> &'t str {
        &self.tree.strings[self.data().span.clone()]
    }

    /// Attributes with resolved names (`href`, `xml:base`, `rdf:about`) and their values.
    pub fn attrs(&self) -> impl Iterator<Item = (&'t str, &'t str)> + use<'t> {
        let tree = self.tree;
        tree.attrs[self.data().attrs.clone()]
            .iter()
            .map(move |(key, value)| (&tree.strings[key.clone()], &tree.strings[value.clone()]))
    }

    pub fn attr(&self, name: &str) -> Option<&'t str> {
        self.attrs()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    fn children(&self) -> impl Iterator<Item = Child<'t>> + use<'t> {
        let tree = self.tree;
        let mut next = self.data().first_child;
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let id = next;
            let node = &tree.nodes[id];
            next = node.next_sibling;
            Some(match node.is_text {
                true => Child::Text(&tree.strings[node.span.clone()]),
                false => Child::Element(Element { tree, id }),
            })
        })
    }

    pub fn elements(&self) -> impl Iterator<Item = Element<'t>> + use<'t> {
        self.children().filter_map(|child| match child {
            Child::Element(e) => Some(e),
            Child::Text(_) => None,
        })
    }

    pub fn has_children(&self) -> bool {
        self.data().first_child != NONE
    }

    pub fn children_named<'a>(
        &self,
        name: &'a str,
    ) -> impl Iterator<Item = Element<'t>> + use<'a, 't> {
        self.elements().filter(move |e| e.name() == name)
    }

    pub fn child(&self, name: &str) -> Option<Element<'t>> {
        self.elements().find(|e| e.name() == name)
    }

    /// All text inside, exactly (descendants' text included); borrowed when the element
    /// holds one text node and nothing else, as nearly every feed element does.
    pub fn text(&self) -> Cow<'t, str> {
        let data = self.data();
        if data.first_child == NONE {
            return Cow::Borrowed("");
        }
        if data.first_child == data.last_child
            && let Child::Text(text) = (Element {
                tree: self.tree,
                id: data.first_child,
            })
            .as_child()
        {
            return Cow::Borrowed(text);
        }
        let mut out = String::new();
        self.collect_text(&mut out);
        Cow::Owned(out)
    }

    fn as_child(self) -> Child<'t> {
        match self.data().is_text {
            true => Child::Text(&self.tree.strings[self.data().span.clone()]),
            false => Child::Element(self),
        }
    }

    fn collect_text(&self, out: &mut String) {
        for child in self.children() {
            match child {
                Child::Text(t) => out.push_str(t),
                Child::Element(e) => e.collect_text(out),
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
        for child in self.children() {
            write_child(child, &mut out);
        }
        out
    }

    /// The base URI in effect for this element (`xml:base`), if any.
    pub fn base(&self) -> Option<&'t str> {
        match self.data().base {
            NONE => None,
            index => Some(&self.tree.bases[index]),
        }
    }

    /// Resolves the links inside HTML content against this element's base URI.
    pub fn resolve_html(&self, html: &str) -> String {
        url::resolve_html(self.base(), html)
    }

    /// Resolves a reference against this element's base URI.
    pub fn resolve(&self, reference: &str) -> String {
        url::resolve(self.base(), reference.trim())
    }
}

fn write_child(child: Child<'_>, out: &mut String) {
    match child {
        Child::Text(t) => out.push_str(&crate::xml::write::escape_text(t)),
        Child::Element(e) => {
            let name = e.name();
            let name = name.strip_prefix("xhtml:").unwrap_or(name);
            out.push('<');
            out.push_str(name);
            for (key, value) in e.attrs() {
                if key.starts_with("xmlns") {
                    continue;
                }
                out.push(' ');
                out.push_str(key);
                out.push_str("=\"");
                out.push_str(&crate::xml::write::escape_attr(value));
                out.push('"');
            }
            if !e.has_children() {
                out.push_str("/>");
                return;
            }
            out.push('>');
            for child in e.children() {
                write_child(child, out);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
    }
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
    /// Byte offsets (in the decoded text) where lines start, for error locations: only
    /// those from the line of the oldest position still asked about, so that memory
    /// stays flat however long the feed.
    line_starts: Vec<u64>,
    /// How many line starts were forgotten before `line_starts[0]`.
    lines_forgotten: u64,
    warned: bool,
    warn: Warn,
    file: Option<Arc<Path>>,
}

impl<R: BufRead> Decoded<R> {
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
            lines_forgotten: 0,
            warned: false,
            warn,
            file,
        })
    }

    /// Decodes the next stretch of input into `out`: all that the inner reader has
    /// buffered, so that the decoded chunks are as large as its buffer.
    fn fill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.out_pos = 0;
        let mut last = false;
        if self.primed {
            let chunk = loop {
                match self.inner.fill_buf() {
                    Ok(chunk) => break chunk,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            let n = chunk.len();
            self.pending.extend_from_slice(chunk);
            self.inner.consume(n);
            last = n == 0;
        }
        self.primed = true;
        self.decode(last);
        if last {
            self.finished = true;
        }
        let decoded = self.decoded + 1;
        self.line_starts
            .extend(memchr::memchr_iter(b'\n', &self.out).map(|i| decoded + i as u64));
        self.decoded += self.out.len() as u64;
        Ok(())
    }

    /// Drops the line starts before the line of `offset`: no position before it will be
    /// asked about again. Cheap enough to call for every event.
    fn forget_before(&mut self, offset: u64) {
        if self.line_starts.len() < 4096 {
            return;
        }
        let keep_from = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        self.line_starts.drain(..keep_from);
        self.lines_forgotten += keep_from as u64;
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
                Ok(_) if self.out.is_empty() => {
                    // All of it is valid: hand the bytes over without a copy.
                    std::mem::swap(&mut self.out, &mut self.pending);
                    return;
                }
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
            // The lines of this fill's output are not counted yet: count them up to here.
            let mut starts = self.line_starts.clone();
            let decoded = self.decoded + 1;
            starts.extend(memchr::memchr_iter(b'\n', &self.out).map(|i| decoded + i as u64));
            let offset = self.decoded + self.out.len() as u64;
            let (line, column) = line_column(&starts, self.lines_forgotten, offset);
            let at = Location::new(self.file.clone(), line, column);
            (self.warn)(&format!("{at}: the feed {what}"));
        }
    }

    fn line_column(&self, offset: u64) -> (u64, u64) {
        line_column(&self.line_starts, self.lines_forgotten, offset)
    }
}

/// The line and column of a byte offset, from the offsets where lines start (less the
/// `forgotten` first ones).
fn line_column(line_starts: &[u64], forgotten: u64, offset: u64) -> (u64, u64) {
    let line = line_starts.partition_point(|&start| start <= offset).max(1);
    let start = line_starts.get(line - 1).copied().unwrap_or(0);
    (forgotten + line as u64, offset.saturating_sub(start) + 1)
}

impl<R: BufRead> BufRead for Decoded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.out_pos >= self.out.len() && !self.finished {
            self.fill()?;
        }
        Ok(&self.out[self.out_pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.out_pos = (self.out_pos + amount).min(self.out.len());
    }
}

impl<R: BufRead> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = buf.len().min(available.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
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
/// whitespace as XML says; unknown entities stay as written, never expanded. Appends to
/// `out`.
fn unescape_into(raw: &str, attribute: bool, out: &mut String) {
    let special = |b: &u8| *b == b'&' || (attribute && matches!(b, b'\t' | b'\n' | b'\r'));
    if !raw.as_bytes().iter().any(special) {
        out.push_str(raw);
        return;
    }
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

/// A namespace declaration in scope.
#[derive(Debug)]
struct Declaration {
    /// The prefix it declares; "" for the default namespace.
    prefix: String,
    /// The canonical prefix of its URI (`NAMESPACES`); None for a namespace recast does
    /// not know.
    canonical: Option<&'static str>,
}

fn canonical_prefix(uri: &str) -> Option<&'static str> {
    NAMESPACES
        .iter()
        .find(|(known, _)| *known == uri)
        .map(|(_, prefix)| *prefix)
}

/// A qualified name with its prefix replaced by the canonical one of its namespace:
/// `a:title` → `atom:title` when `a` means Atom, `title` when the default namespace is
/// RSS 1.0. Attributes without a prefix, `xml:` and `xmlns` names stay as written.
/// Borrowed (a suffix of `qname`) unless the prefix changes.
fn resolve_name<'q>(declarations: &[Declaration], qname: &'q str, attribute: bool) -> Cow<'q, str> {
    // A byte loop: names are short, and this runs for every tag and attribute.
    let colon = qname.bytes().position(|b| b == b':');
    let (prefix, local) = match colon {
        Some(at) => (&qname[..at], &qname[at + 1..]),
        None if attribute => return Cow::Borrowed(qname),
        None => ("", qname),
    };
    if prefix == "xml" || prefix == "xmlns" || qname == "xmlns" || (attribute && prefix.is_empty())
    {
        return Cow::Borrowed(qname);
    }
    let known = declarations
        .iter()
        .rev()
        .find(|declaration| declaration.prefix == prefix)
        .and_then(|declaration| declaration.canonical);
    match known {
        Some("") => Cow::Borrowed(local),
        Some(canonical) if canonical == prefix => Cow::Borrowed(qname),
        Some(canonical) => Cow::Owned(format!("{canonical}:{local}")),
        None if prefix.is_empty() => Cow::Borrowed(local),
        None => Cow::Borrowed(qname),
    }
}

/// Finds a tag's attributes when they are written the usual way (whitespace, `key="value"`
/// or `key='value'`, nothing else), as (name, raw value) ranges of `raw`: what quick-xml's
/// attribute reader finds, without its per-byte iterator. False for anything else (space
/// around `=`, a missing quote, ...), which quick-xml's reader then reads, or reports.
fn simple_attributes(raw: &str, spans: &mut Vec<(Range<usize>, Range<usize>)>) -> bool {
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

/// What [`XmlSource::step`] met. The opening tag's name and attributes, or the text, are
/// read from the source ([`XmlSource::name`], [`XmlSource::text`]) until the next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// An opening tag; `empty` for `<tag/>`, which has no closing step.
    Open {
        empty: bool,
    },
    Close,
    Text,
    Eof,
}

/// A stream of XML steps with namespaces resolved.
pub(crate) struct XmlSource<R: BufRead> {
    reader: quick_xml::Reader<Decoded<R>>,
    buf: Vec<u8>,
    /// Namespace declarations in scope, innermost last.
    declarations: Vec<Declaration>,
    /// Per open element: where its declarations start in `declarations` and its name in
    /// `open_names`.
    open: Vec<(usize, usize)>,
    /// The resolved names of the open elements, one after the other.
    open_names: String,
    /// The current opening tag: resolved name, attributes (ranges of `attr_text` for the
    /// resolved name and the value), and whether it is empty.
    name: String,
    attrs: Vec<(Range<usize>, Range<usize>)>,
    attr_text: String,
    /// Where `simple_attributes` found the attributes in the tag.
    attr_spans: Vec<(Range<usize>, Range<usize>)>,
    empty: bool,
    /// The current text (line ends normalised, references resolved).
    text: String,
    file: Option<Arc<Path>>,
}

impl<R: BufRead> XmlSource<R> {
    pub fn new(input: R, file: Option<Arc<Path>>, warn: Warn) -> Result<XmlSource<R>> {
        let decoded =
            Decoded::new(input, warn, file.clone()).map_err(|e| Error::io(file.clone(), e))?;
        let mut reader = quick_xml::Reader::from_reader(decoded);
        let config = reader.config_mut();
        config.allow_dangling_amp = true;
        config.check_end_names = true;
        Ok(XmlSource {
            reader,
            buf: Vec::new(),
            declarations: Vec::new(),
            open: Vec::new(),
            open_names: String::new(),
            name: String::new(),
            attrs: Vec::new(),
            attr_text: String::new(),
            attr_spans: Vec::new(),
            empty: false,
            text: String::new(),
            file,
        })
    }

    /// The location of a byte offset in the decoded text.
    pub fn location(&self, offset: u64) -> Location {
        let (line, column) = self.reader.get_ref().line_column(offset);
        Location::new(self.file.clone(), line, column)
    }

    /// The location of the reader's current position.
    pub fn here(&self) -> Location {
        self.location(self.reader.buffer_position())
    }

    /// The resolved name of the current opening tag: `title`, `dc:creator`, `atom:link`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The current opening tag's attributes, with resolved names (`href`, `xml:base`,
    /// `rdf:about`), in document order.
    pub fn attrs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attrs
            .iter()
            .map(|(key, value)| (&self.attr_text[key.clone()], &self.attr_text[value.clone()]))
    }

    /// The value of the current opening tag's first attribute of that (resolved) name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value)
    }

    /// The current opening tag is empty (`<tag/>`).
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// The current text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many elements are open.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// The error for input that ends while elements are open.
    pub fn ends_inside(&self) -> Error {
        let innermost = self.open.last().map_or(0, |&(_, name)| name);
        Error::syntax(
            self.here(),
            format!(
                "the document ends inside <{}>",
                &self.open_names[innermost..]
            ),
        )
    }

    /// Refuses the opening tag just stepped over when it nests deeper than
    /// [`MAX_DEPTH`] levels below the element that was open at depth `floor`.
    pub fn check_nesting(&self, floor: usize) -> Result<()> {
        let parent_depth = self.depth() - usize::from(!self.empty);
        if parent_depth.saturating_sub(floor) >= MAX_DEPTH {
            return Err(Error::limit(
                self.here(),
                format!("elements nest deeper than {MAX_DEPTH} levels"),
            ));
        }
        Ok(())
    }

    fn open_tag(&mut self, start: &BytesStart<'_>, empty: bool) -> Result<()> {
        self.attrs.clear();
        self.attr_text.clear();
        let scope = self.declarations.len();
        let raw = start.attributes_raw();
        let mut spans = std::mem::take(&mut self.attr_spans);
        if simple_attributes(raw, &mut spans) {
            for (key, value) in &spans {
                self.add_attribute(&raw[key.clone()], &raw[value.clone()]);
            }
        } else {
            for attr in start.attributes().with_checks(false) {
                let attr = match attr {
                    Ok(attr) => attr,
                    Err(e) => {
                        self.declarations.truncate(scope);
                        return Err(Error::syntax(self.here(), format!("bad attribute: {e}")));
                    }
                };
                self.add_attribute(attr.key.as_ref(), &attr.value);
            }
        }
        self.attr_spans = spans;
        self.name.clear();
        self.name.push_str(&resolve_name(
            &self.declarations,
            start.name().as_ref(),
            false,
        ));
        for i in 0..self.attrs.len() {
            let key = self.attrs[i].0.clone();
            let renamed = match resolve_name(&self.declarations, &self.attr_text[key.clone()], true)
            {
                // A suffix of the written name: the whole name, or its local part.
                Cow::Borrowed(resolved) => {
                    self.attrs[i].0 = key.end - resolved.len()..key.end;
                    None
                }
                Cow::Owned(resolved) => Some(resolved),
            };
            if let Some(renamed) = renamed {
                let start = self.attr_text.len();
                self.attr_text.push_str(&renamed);
                self.attrs[i].0 = start..self.attr_text.len();
            }
        }
        self.empty = empty;
        if empty {
            self.declarations.truncate(scope);
        } else {
            self.open.push((scope, self.open_names.len()));
            self.open_names.push_str(&self.name);
        }
        Ok(())
    }

    /// Takes in one attribute of the current tag (its name as written, its value raw);
    /// a namespace declaration comes into scope at once.
    fn add_attribute(&mut self, key: &str, raw_value: &str) {
        let key_start = self.attr_text.len();
        self.attr_text.push_str(key);
        let value_start = self.attr_text.len();
        unescape_into(raw_value, true, &mut self.attr_text);
        let value = value_start..self.attr_text.len();
        let prefix = match key {
            "xmlns" => Some(""),
            _ => key.strip_prefix("xmlns:"),
        };
        if let Some(prefix) = prefix {
            self.declarations.push(Declaration {
                prefix: prefix.to_owned(),
                canonical: canonical_prefix(&self.attr_text[value.clone()]),
            });
        }
        self.attrs.push((key_start..value_start, value));
    }

    fn close_tag(&mut self) {
        if let Some((scope, name)) = self.open.pop() {
            self.declarations.truncate(scope);
            self.open_names.truncate(name);
        }
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
            // Every location asked about from now on is at or after this position.
            let position = self.reader.buffer_position();
            self.reader.get_mut().forget_before(position);
            let event = match self.reader.read_event_into(buf) {
                Ok(event) => event,
                Err(e) => {
                    let at = self.location(self.reader.error_position());
                    return Err(match e {
                        quick_xml::Error::Io(io) => Error::io(self.file.clone(), io),
                        e => Error::syntax(at, format!("not well-formed XML: {e}")),
                    });
                }
            };
            return Ok(match event {
                Event::Start(start) => {
                    self.open_tag(&start, false)?;
                    Step::Open { empty: false }
                }
                Event::Empty(start) => {
                    self.open_tag(&start, true)?;
                    Step::Open { empty: true }
                }
                Event::End(_) => {
                    self.close_tag();
                    Step::Close
                }
                Event::Text(text) => {
                    self.text.clear();
                    self.text.push_str(&text.xml10_content());
                    Step::Text
                }
                Event::CData(text) => {
                    self.text.clear();
                    self.text.push_str(&text.xml10_content());
                    Step::Text
                }
                Event::GeneralRef(reference) => {
                    let name = reference.into_inner();
                    self.text.clear();
                    match resolve_reference(&name) {
                        Some(c) => self.text.push(c),
                        // Not expanded, never fetched: kept as written.
                        None => {
                            self.text.push('&');
                            self.text.push_str(&name);
                            self.text.push(';');
                        }
                    }
                    Step::Text
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

    /// Reads the element whose opening tag was just stepped over, and everything inside
    /// it, into `tree` (cleared first); `parent_base` is the base URI it inherits.
    ///
    /// `take_child` is shown each child of that element as soon as its opening tag is
    /// stepped over (with the depth of the element, for [`Self::check_nesting`]); it may
    /// read the child whole itself and return true, and the child is then left out of
    /// the tree.
    pub fn read_tree(
        &mut self,
        tree: &mut Tree,
        parent_base: Option<&str>,
        mut take_child: impl FnMut(&mut Self, usize) -> Result<bool>,
    ) -> Result<()> {
        tree.clear();
        tree.open(self, parent_base);
        if self.empty {
            return Ok(());
        }
        let floor = self.depth();
        // An explicit stack (the tree's) rather than recursion: depth is the input's to
        // choose.
        loop {
            match self.step()? {
                Step::Open { .. } => {
                    self.check_nesting(floor)?;
                    if tree.building.len() == 1 && take_child(self, floor)? {
                        continue;
                    }
                    tree.open(self, None);
                }
                Step::Close => {
                    if !tree.close() {
                        return Ok(());
                    }
                }
                Step::Text => tree.text(&self.text),
                Step::Eof => return Err(self.ends_inside()),
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
        let unescape = |raw: &str, attribute: bool| {
            let mut out = String::new();
            unescape_into(raw, attribute, &mut out);
            out
        };
        assert_eq!(
            unescape("a &amp; b &#233; &#x41; &nbsp; &bogus", false),
            "a & b é A &nbsp; &bogus"
        );
        assert_eq!(unescape("x\ny", true), "x y");
        assert_eq!(unescape("plain", true), "plain");
    }

    #[test]
    fn line_starts_are_forgotten_but_lines_still_count() {
        let text = "<a>\n".repeat(10_000);
        let mut decoded = Decoded::new(text.as_bytes(), Arc::new(|_: &str| {}), None).unwrap();
        let mut sink = Vec::new();
        let mut offset = 0u64;
        loop {
            let chunk = decoded.fill_buf().unwrap();
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len().min(1000);
            sink.extend_from_slice(&chunk[..n]);
            decoded.consume(n);
            offset += n as u64;
            decoded.forget_before(offset - 1);
        }
        assert!(decoded.line_starts.len() < 5000);
        // Line 9,001 starts at byte 36,000; "<a>" is 4 bytes a line.
        assert_eq!(decoded.line_column(36_002), (9_001, 3));
        assert_eq!(sink, text.as_bytes());
    }

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

    fn tree_of(xml: &str) -> Tree {
        let mut source = XmlSource::new(xml.as_bytes(), None, Arc::new(|_: &str| {})).unwrap();
        assert_eq!(source.step().unwrap(), Step::Open { empty: false });
        let mut tree = Tree::default();
        source
            .read_tree(&mut tree, Some("https://x.org/a/"), |_, _| Ok(false))
            .unwrap();
        tree
    }

    #[test]
    fn trees_keep_names_attributes_text_and_bases() {
        let tree = tree_of(
            "<item xmlns:d='http://purl.org/dc/elements/1.1/' xml:base='b/'>\
             <title>One <![CDATA[&]]> two</title><d:creator>Ann</d:creator>\
             <link xml:base='c/' rel='x' href='y'/>text<e><f>deep</f> er</e></item>",
        );
        let item = tree.root().unwrap();
        assert_eq!(item.name(), "item");
        assert_eq!(item.base(), Some("https://x.org/a/b/"));
        assert_eq!(item.child_text("title").as_deref(), Some("One & two"));
        assert_eq!(item.child_text("dc:creator").as_deref(), Some("Ann"));
        let link = item.child("link").unwrap();
        assert_eq!(link.attr("rel"), Some("x"));
        assert_eq!(link.resolve("y"), "https://x.org/a/b/c/y");
        assert!(!link.has_children());
        assert_eq!(item.child("e").unwrap().text(), "deep er");
        assert_eq!(item.text(), "One & twoAnntextdeep er");
        assert_eq!(
            item.elements().map(|e| e.name()).collect::<Vec<_>>(),
            ["title", "dc:creator", "link", "e"]
        );
        assert_eq!(item.child("e").unwrap().inner_xml(), "<f>deep</f> er");
    }

    #[test]
    fn a_reused_tree_holds_only_the_last_element() {
        let mut source = XmlSource::new(
            "<r><a x='1'>one</a><b>two</b></r>".as_bytes(),
            None,
            Arc::new(|_: &str| {}),
        )
        .unwrap();
        let mut tree = Tree::default();
        source.step().unwrap();
        source.step().unwrap();
        source.read_tree(&mut tree, None, |_, _| Ok(false)).unwrap();
        assert_eq!(tree.root().unwrap().attr("x"), Some("1"));
        source.step().unwrap();
        source.read_tree(&mut tree, None, |_, _| Ok(false)).unwrap();
        let b = tree.root().unwrap();
        assert_eq!(
            (b.name(), b.text().as_ref(), b.attr("x")),
            ("b", "two", None)
        );
    }
}
