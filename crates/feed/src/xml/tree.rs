//! Small element trees for one item at a time: an item (or one channel element) and
//! everything inside it, in arenas that are cleared and reused from item to item, so
//! that building an item allocates nothing once warm. The event reader's `read_tree`
//! fills them; the methods it calls per event are `#[inline]`, because calls across
//! modules cost RSS → JSON 2% more instructions (bench/instructions.sh).

use std::borrow::Cow;
use std::ops::Range;

use crate::url;

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
    #[inline]
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

    #[inline]
    fn push_str(&mut self, text: &str) -> Range<usize> {
        let start = self.strings.len();
        self.strings.push_str(text);
        start..self.strings.len()
    }

    #[inline]
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

    /// Adds an element (its resolved name and attributes) as the last child of the
    /// innermost open one (or as the root), open for children unless `empty`.
    /// `parent_base` is the root's inherited base.
    #[inline]
    pub(super) fn open<'a>(
        &mut self,
        name: &str,
        attrs: impl Iterator<Item = (&'a str, &'a str)>,
        empty: bool,
        parent_base: Option<&str>,
    ) {
        let span = self.push_str(name);
        let first_attr = self.attrs.len();
        let mut own_base = None;
        for (key, value) in attrs {
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
        if !empty {
            self.building.push(id);
        }
    }

    /// Adds text to the innermost open element, joining it to text just before it.
    #[inline]
    pub(super) fn text(&mut self, text: &str) {
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

    /// How many elements are open for children (1: only the root).
    #[inline]
    pub(super) fn open_elements(&self) -> usize {
        self.building.len()
    }

    /// Closes the innermost open element; false when that was the root.
    #[inline]
    pub(super) fn close(&mut self) -> bool {
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
