#!/usr/bin/env python3
"""Compares what Python feedparser shows of enclosures, authors and categories in a feed
and in the same feed rewritten by recast.

    same_view.py ORIGINAL REWRITTEN...

For each entry: its enclosures (href, length, type; a length of 0 is RSS's "unknown",
the same as none), its authors (name, email, href) and the set of its category terms
(schemes differ when itunes:keywords become categories). Entries are compared as a
multiset (recast writes newest first, the original may not). Where the formats differ,
the rule is the format's, not recast's:

- RSS has no place for an author's web page: in an RSS rewrite, authors are compared
  by name and email;
- Atom requires an author for every entry: in an Atom rewrite, an entry that had none
  may have one (its provider, or the feed's); and feedparser gives an Atom enclosure
  link without a type the type text/html, so an enclosure with none is compared
  without it.
- An enclosure without a type gets, in the rewrite, the type of its file extension
  (RSS requires one; issue 13): the original's missing type is read the same way.

For an RSS rewrite, also the feed's own authors and category terms (an Atom rewrite
names the feed's author in Atom's way, and its categories only from items). A
rewritten feed must not be bozo. Exit 0 and a summary line, or exit 1 and the differences.
"""

import json
import sys

import feedparser


def authors(d, keys=("name", "email", "href")):
    out = []
    for a in d.get("authors", []) or []:
        view = {k: a.get(k) for k in keys if a.get(k)}
        if view:
            out.append(view)
    return out


# The types recast gives an enclosure without one, by extension (crates/feed/src/article.rs).
TYPE_OF_EXTENSION = {
    "mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "oga": "audio/ogg",
    "opus": "audio/opus", "wav": "audio/wav", "flac": "audio/flac", "aac": "audio/aac",
    "mp4": "video/mp4", "m4v": "video/mp4", "webm": "video/webm", "mov": "video/quicktime",
    "ogv": "video/ogg", "pdf": "application/pdf",
}


def enclosure_view(e, is_atom):
    view = {k: e.get(k) for k in ("href", "length", "type") if e.get(k) and e.get(k) != "0"}
    if is_atom and view.get("type") == "text/html":
        del view["type"]
    if "type" not in view and "href" in view:
        path = view["href"].split("?")[0].split("#")[0]
        extension = path.rsplit(".", 1)[-1].lower() if "." in path else ""
        if extension in TYPE_OF_EXTENSION:
            view["type"] = TYPE_OF_EXTENSION[extension]
    return view


def entry_view(entry, author_keys, with_authors=True, is_atom=False):
    return json.dumps(
        {
            "enclosures": [enclosure_view(e, is_atom) for e in entry.get("enclosures", [])],
            "authors": authors(entry, author_keys) if with_authors else None,
            "tags": sorted(set((t.get("term") or "").strip() for t in entry.get("tags", []))),
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def feed_view(parsed):
    return {
        "authors": authors(parsed.feed, ("name", "email")),
        "tags": sorted(set((t.get("term") or "").strip() for t in parsed.feed.get("tags", []))),
    }


def main():
    original = feedparser.parse(sys.argv[1])
    problems = []
    for path in sys.argv[2:]:
        rewritten = feedparser.parse(path)
        if rewritten.bozo:
            problems.append(f"{path}: bozo: {rewritten.get('bozo_exception')!r}")
        is_atom = rewritten.version.startswith("atom")
        keys = ("name", "email", "href") if is_atom else ("name", "email")
        expected = sorted(
            entry_view(e, keys, not (is_atom and not e.get("authors")), is_atom)
            for e in original.entries
        )
        entries = []
        for e in rewritten.entries:
            view = entry_view(e, keys, True, is_atom)
            if is_atom and view not in expected:
                view = entry_view(e, keys, False, is_atom)
            entries.append(view)
        entries.sort()
        missing = [e for e in expected if e not in entries]
        extra = [e for e in entries if e not in expected]
        for e in missing[:3]:
            problems.append(f"{path}: entry lost:   {e}")
        for e in extra[:3]:
            problems.append(f"{path}: entry gained: {e}")
        if not is_atom and feed_view(rewritten) != feed_view(original):
            problems.append(f"{path}: feed: {feed_view(rewritten)}, original {feed_view(original)}")
    if problems:
        print(f"{sys.argv[1]}: {len(problems)} problem(s)")
        for problem in problems[:20]:
            print("  " + problem)
        sys.exit(1)
    print(f"{sys.argv[1]}: {len(original.entries)} entries, same enclosures, authors and categories")


if __name__ == "__main__":
    main()
