#!/usr/bin/env python3
"""Checks that one benchmark output is complete and right, against the generator's
records (the JSON Lines form of the same corpus, which holds exactly the records of
every other form).

  check.py --truth corpus/archive.jsonl --form json|jsonl|csv|rss|floor [--exact] OUTPUT

Prints one JSON object: how many records the output holds and how many were
expected, how many titles match a generated title (order ignored), and with --exact
how many records equal their generated record field for field ("equal"), and how
many of those also keep its key order ("exact"), matched by webUrl, else by position. A floor's output is parse-floor's
"records N events M" line.

Standard library only, so it runs before any venv exists.
"""
import argparse
import collections
import csv
import json
import sys
import xml.etree.ElementTree as ET

csv.field_size_limit(sys.maxsize)


def load_truth(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_output(form, path):
    """The output's records as dicts (CSV rows keep their flat cells)."""
    if form == "json":
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return data if isinstance(data, list) else [data]
    if form == "jsonl":
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]
    if form == "csv":
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        header = rows[0] if rows else []
        # A header cell may carry a type hint after the name ("quality:integer").
        names = [h.split(":")[0].split(" ")[0] for h in header]
        return [dict(zip(names, row)) for row in rows[1:]], len(header)
    if form == "rss":
        records = []
        for _, element in ET.iterparse(path):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag in ("item", "entry"):
                record = {}
                for child in element:
                    name = child.tag.rsplit("}", 1)[-1]
                    if name == "title":
                        record["title"] = child.text or ""
                    elif name == "link":
                        record.setdefault("webUrl", child.text or child.get("href") or "")
                records.append(record)
                element.clear()
        return records
    raise SystemExit(f"unknown form {form}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--form", required=True, choices=["json", "jsonl", "csv", "rss", "floor"])
    ap.add_argument("--exact", action="store_true")
    ap.add_argument("output")
    a = ap.parse_args()
    truth = load_truth(a.truth)
    result = {"expected": len(truth)}
    if a.form == "floor":
        with open(a.output) as f:
            words = f.read().split()
        result["records"] = int(words[1]) if len(words) > 1 and words[0] == "records" else -1
        result["complete"] = result["records"] == len(truth)
        print(json.dumps(result))
        return
    try:
        records = read_output(a.form, a.output)
    except Exception as e:  # an unreadable output is a failed check, not a crash
        result.update(records=0, complete=False, note=f"unreadable: {type(e).__name__}: {e}"[:200])
        print(json.dumps(result))
        return
    if a.form == "csv":
        records, result["columns"] = records
    result["records"] = len(records)
    result["complete"] = len(records) == len(truth)
    titles = collections.Counter(str(r["title"]) for r in truth)
    found = collections.Counter(str(r.get("title")) for r in records if isinstance(r, dict))
    result["titles"] = sum((titles & found).values())
    # A CSV row or a feed item holds the record in another shape: counts and titles only.
    if a.exact and a.form not in ("csv", "rss"):
        by_url = {r["webUrl"]: r for r in truth}
        exact = equal = 0
        first_difference = None
        for i, record in enumerate(records):
            if not isinstance(record, dict):
                continue
            want = by_url.get(record.get("webUrl"))
            if want is None and i < len(truth):
                want = truth[i]
            if want is not None and record == want:
                equal += 1
                if json.dumps(record, ensure_ascii=False) == json.dumps(want, ensure_ascii=False):
                    exact += 1
                elif first_difference is None:
                    first_difference = f"{want.get('webUrl')}: key order differs"
            elif first_difference is None and want is not None:
                keys = [k for k in list(want) + list(record) if record.get(k) != want.get(k)]
                first_difference = f"{want.get('webUrl')}: " + (
                    f"field {keys[0]!r}: {str(record.get(keys[0]))[:60]!r} != {str(want.get(keys[0]))[:60]!r}"
                    if keys else "key order differs")
        result["equal"] = equal  # every value right, key order ignored
        result["exact"] = exact  # and key order kept
        if first_difference:
            result["note"] = first_difference
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
