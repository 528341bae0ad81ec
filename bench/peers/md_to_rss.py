#!/usr/bin/env python3
"""Peer: a folder of Markdown files with YAML front matter -> RSS 2.0, with feedgen.

What a user writes by hand: load each front matter with PyYAML's C loader, add an
entry per article (title, link, guid, description, pubDate, categories, the body as
content), newest first, and let feedgen write the feed.

  python md_to_rss.py ARCHIVE_DIR OUT.rss
"""
import datetime
import os
import sys

import yaml
from feedgen.feed import FeedGenerator


def read(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    end = text.find("\n---\n", 3)
    if end < 0:
        end = len(text)
    record = yaml.load(text[4:end + 1], Loader=yaml.CSafeLoader) or {}
    body = text[end + 5:]
    if body:
        record["body"] = body[1:] if body.startswith("\n") else body
    return record


def when(value):
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def main():
    folder, out = sys.argv[1], sys.argv[2]
    names = sorted(n for n in os.listdir(folder) if n.endswith(".md") and n != "_index.md")
    records = [read(os.path.join(folder, n)) for n in names]
    records.sort(key=lambda r: when(r["publishedDateTime"]), reverse=True)
    feed = FeedGenerator()
    feed.title("Benchmark archive")
    feed.link(href="https://example.org/", rel="alternate")
    feed.description("Generated articles")
    feed.load_extension("dc")
    # feedgen prepends each new entry; add oldest first so the feed reads newest first.
    for record in reversed(records):
        entry = feed.add_entry()
        entry.title(str(record["title"]))
        entry.link(href=record["webUrl"])
        entry.guid(record.get("originalUrl", record["webUrl"]), permalink=True)
        entry.description(record["excerpt"])
        entry.pubDate(when(record["publishedDateTime"]))
        for topic in record.get("topics") or []:
            entry.category(term=topic)
        if "body" in record:
            entry.content(record["body"], type="CDATA")
        provider = record.get("provider") or {}
        if provider.get("name"):
            entry.dc.dc_publisher(provider["name"])
    feed.rss_file(out, pretty=False)


if __name__ == "__main__":
    main()
