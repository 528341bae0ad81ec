#!/usr/bin/env python3
"""Checks a JSON Feed recast wrote the way a feed reader sees it, with Python feedparser.

    check_json_feed.py FEED.json RECORDS.jsonl

RECORDS.jsonl holds the archive's records in the feed's order (newest first). The feed
passes when feedparser (a version with `feedparser.parsers.json`) reads it as JSON Feed
1.1 without the bozo flag, and every entry's title, link and date are the record's:
title = `title`, link = `webUrl` (else `originalUrl`), date = `publishedDateTime` (to
the second, as an instant). Exit 0 and a summary line, or exit 1 and the differences.
"""

import calendar
import json
import os
import sys

import feedparser

# The date reading of the RSS/Atom check, shared.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "feeds"))
from check_feed import instant  # noqa: E402


def main():
    feed_path, records_path = sys.argv[1:3]
    records = [json.loads(line) for line in open(records_path, encoding="utf-8") if line.strip()]
    feed = feedparser.parse(feed_path, response_headers={"content-type": "application/feed+json"})
    problems = []
    if feed.bozo:
        problems.append(f"bozo: {feed.get('bozo_exception')!r}")
    if feed.version != "json11":
        problems.append(f"version {feed.version!r}, expected json11")
    if len(feed.entries) != len(records):
        problems.append(f"{len(feed.entries)} entries, expected {len(records)}")
    for i, (entry, record) in enumerate(zip(feed.entries, records), 1):
        parsed = entry.get("published_parsed")
        ours = {
            "title": entry.get("title", "").strip(),
            "link": entry.get("link"),
            "date": calendar.timegm(parsed) if parsed else None,
        }
        expected = {
            "title": (record.get("title") or "").strip(),
            "link": record.get("webUrl") or record.get("originalUrl"),
            "date": instant(record.get("publishedDateTime")),
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
