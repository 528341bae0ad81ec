//! Namespaces: the URIs recast knows, each with the canonical prefix that element and
//! attribute names are given after resolution, whatever prefix the feed declared.

use std::borrow::Cow;

/// The namespace of recast's extension elements (`recast:record`, `recast:channel`).
/// Stable: feeds written by recast carry it.
pub(crate) const RECAST: &str = "https://recast.dev/ns/record/1";

/// The namespace of Apple's podcast elements (`itunes:author`, `itunes:duration`).
pub(crate) const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";

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
    (ITUNES, "itunes"),
    ("http://www.w3.org/1999/xhtml", "xhtml"),
    ("http://www.w3.org/XML/1998/namespace", "xml"),
    (RECAST, "recast"),
];

/// The namespaces recast writes under a prefix, in the order the root element declares
/// them: a feed declares only those its elements use, so that no reader or validator
/// meets a namespace the document does not need.
const WRITTEN: [(&str, &str); 6] = [
    ("atom", "http://www.w3.org/2005/Atom"),
    ("content", "http://purl.org/rss/1.0/modules/content/"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("media", "http://search.yahoo.com/mrss/"),
    ("itunes", ITUNES),
    ("recast", RECAST),
];

/// The set of [`WRITTEN`] namespaces a piece of output used, as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct UsedNamespaces(u8);

impl UsedNamespaces {
    /// Notes the namespace of an element name written with a prefix (`dc:creator`).
    /// Unprefixed names and `xml:` need no declaration.
    #[inline]
    pub fn note(&mut self, name: &str) {
        let Some((prefix, _)) = name.split_once(':') else {
            return;
        };
        if let Some(bit) = WRITTEN.iter().position(|(known, _)| *known == prefix) {
            self.0 |= 1 << bit;
        }
    }

    /// Both sets together.
    pub fn union(self, other: UsedNamespaces) -> UsedNamespaces {
        UsedNamespaces(self.0 | other.0)
    }

    /// The `xmlns:prefix` attributes that declare them, in a fixed order.
    pub fn declarations(self) -> Vec<(&'static str, &'static str)> {
        const ATTRIBUTES: [&str; 6] = [
            "xmlns:atom",
            "xmlns:content",
            "xmlns:dc",
            "xmlns:media",
            "xmlns:itunes",
            "xmlns:recast",
        ];
        (0..WRITTEN.len())
            .filter(|bit| self.0 & (1 << bit) != 0)
            .map(|bit| (ATTRIBUTES[bit], WRITTEN[bit].1))
            .collect()
    }
}

/// A namespace declaration in scope.
#[derive(Debug)]
pub(super) struct Declaration {
    /// The prefix it declares; "" for the default namespace.
    pub prefix: String,
    /// The canonical prefix of its URI (`NAMESPACES`); None for a namespace recast does
    /// not know.
    pub canonical: Option<&'static str>,
}

#[inline]
pub(super) fn canonical_prefix(uri: &str) -> Option<&'static str> {
    NAMESPACES
        .iter()
        .find(|(known, _)| *known == uri)
        .map(|(_, prefix)| *prefix)
}

/// A qualified name with its prefix replaced by the canonical one of its namespace:
/// `a:title` → `atom:title` when `a` means Atom, `title` when the default namespace is
/// RSS 1.0. Attributes without a prefix, `xml:` and `xmlns` names stay as written.
/// Borrowed (a suffix of `qname`) unless the prefix changes.
#[inline]
pub(super) fn resolve_name<'q>(
    declarations: &[Declaration],
    qname: &'q str,
    attribute: bool,
) -> Cow<'q, str> {
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
