#!/usr/bin/env python3
"""Peer: RSS/Atom -> JSON with feedparser, the fields a user would pick.

  python rss_to_json.py FEED OUT.json
"""
import json
import sys

import feedparser


def main():
    source, out = sys.argv[1], sys.argv[2]
    feed = feedparser.parse(source)
    records = []
    for entry in feed.entries:
        record = {"title": entry.get("title"), "webUrl": entry.get("link"), "id": entry.get("id"),
                  "excerpt": entry.get("summary"), "publishedDateTime": entry.get("published"),
                  "topics": [t.get("term") for t in entry.get("tags", [])]}
        if entry.get("content"):
            record["body"] = entry.content[0].value
        records.append(record)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
