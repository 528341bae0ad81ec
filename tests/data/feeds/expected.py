#!/usr/bin/env python3
"""Writes expected.json: what Python feedparser reads from each feed in this folder.

recast's tests compare their own reading with it, so they need no Python. Run it again
(`python3 tests/data/feeds/expected.py`) after adding a feed; feedparser 6.0.x.

Per file: feedparser's version, bozo flag, the feed's title and link, and the entries;
per entry its title, link,
date (published, else updated) as UTC RFC 3339, and category terms.
"""

import calendar
import json
import os
import time

import feedparser

HERE = os.path.dirname(os.path.abspath(__file__))
FEEDS = (".xml", ".rss", ".atom")


def utc(parsed):
    if not parsed:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(calendar.timegm(parsed)))


def entry(e):
    return {
        "title": e.get("title"),
        "link": e.get("link"),
        "date": utc(e.get("published_parsed") or e.get("updated_parsed")),
        "tags": [t.get("term") for t in e.get("tags", []) if t.get("term")],
    }


def main():
    out = {}
    for name in sorted(os.listdir(HERE)):
        if not name.endswith(FEEDS):
            continue
        d = feedparser.parse(os.path.join(HERE, name))
        out[name] = {
            "version": d.get("version", ""),
            "bozo": bool(d.get("bozo")),
            "feedparser": feedparser.__version__,
            "feed": {"title": d.feed.get("title"), "link": d.feed.get("link")},
            "entries": [entry(e) for e in d.entries],
        }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
