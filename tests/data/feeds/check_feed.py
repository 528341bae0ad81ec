#!/usr/bin/env python3
"""Checks a feed recast wrote the way a feed reader sees it, with Python feedparser.

    check_feed.py FEED RECORDS.jsonl

RECORDS.jsonl holds the archive's records in the feed's order (newest first). The feed
passes when feedparser reads it without the bozo flag (well-formed, no encoding or
namespace trouble) and every entry's title, link, date and categories are the record's:
title = `title` (both stripped of surrounding whitespace, as readers show titles; a
title feedparser takes for HTML, which RSS cannot rule out for text with markup in it,
is compared unescaped), link = `webUrl` (else `originalUrl`), date = `publishedDateTime` (to the
second, as an instant), categories = `topics` then `category`. Exit 0 and a summary line,
or exit 1 and the differences.
"""

import calendar
import html
import json
import sys
from datetime import datetime, timezone

import feedparser


def instant(text):
    if not text:
        return None
    try:
        date = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if date.tzinfo is None:
        date = date.replace(tzinfo=timezone.utc)
    return int(date.timestamp() // 1)


def main():
    feed_path, records_path = sys.argv[1:3]
    records = [json.loads(line) for line in open(records_path, encoding="utf-8") if line.strip()]
    feed = feedparser.parse(feed_path)
    problems = []
    if feed.bozo:
        problems.append(f"bozo: {feed.get('bozo_exception')!r}")
    if len(feed.entries) != len(records):
        problems.append(f"{len(feed.entries)} entries, expected {len(records)}")
    for i, (entry, record) in enumerate(zip(feed.entries, records), 1):
        parsed = entry.get("published_parsed") or entry.get("updated_parsed")
        title = entry.get("title", "")
        if entry.get("title_detail", {}).get("type") == "text/html":
            title = html.unescape(title)
        ours = {
            "title": title.strip(),
            "link": entry.get("link"),
            "date": calendar.timegm(parsed) if parsed else None,
            "tags": [t.get("term") for t in entry.get("tags", [])],
        }
        category = record.get("category")
        topics = record.get("topics") or []
        expected = {
            "title": (record.get("title") or "").strip(),
            "link": record.get("webUrl") or record.get("originalUrl"),
            "date": instant(record.get("publishedDateTime")),
            "tags": list(topics) + ([category] if category else []),
        }
        for key in ours:
            if ours[key] != expected[key]:
                problems.append(f"entry {i}: {key}: feedparser {ours[key]!r}, archive {expected[key]!r}")
    if problems:
        print(f"{feed_path}: {len(problems)} problem(s)")
        for problem in problems[:20]:
            print("  " + problem)
        sys.exit(1)
    print(f"{feed_path}: {feed.version}, {len(feed.entries)} entries as in the archive, not bozo")


if __name__ == "__main__":
    main()
