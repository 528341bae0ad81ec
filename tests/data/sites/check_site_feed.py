#!/usr/bin/env python3
"""Checks a site's feed the way a feed reader sees it, with Python feedparser.

    check_site_feed.py FEED EXPECTED.json

EXPECTED.json maps each post's title to its date (seconds since the epoch) and its
categories. The feed passes when feedparser reads it without the bozo flag and every
post is an entry with that title, that date (to the second) and those categories (as a
set). Exit 0 and a summary line, or exit 1 and the differences.
"""

import calendar
import json
import sys

import feedparser


def main():
    feed = feedparser.parse(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        expected = json.load(f)
    problems = []
    if feed.bozo:
        problems.append(f"bozo: {feed.get('bozo_exception')!r}")
    seen = {}
    for entry in feed.entries:
        parsed = entry.get("published_parsed")
        seen[entry.get("title", "").strip()] = (
            calendar.timegm(parsed) if parsed else None,
            sorted({(t.get("term") or "").strip() for t in entry.get("tags", [])}),
        )
    for title, (date, categories) in expected.items():
        if title not in seen:
            problems.append(f"no entry titled {title!r}")
        elif seen[title] != (date, sorted(categories)):
            problems.append(f"{title!r}: {seen[title]}, expected {(date, sorted(categories))}")
    if len(seen) != len(expected):
        problems.append(f"{len(seen)} entries, expected {len(expected)}")
    if problems:
        print(f"{sys.argv[1]}: {len(problems)} problem(s)")
        for problem in problems[:20]:
            print("  " + problem)
        sys.exit(1)
    print(f"{sys.argv[1]}: {len(seen)} entries, each with its date and categories")


main()
