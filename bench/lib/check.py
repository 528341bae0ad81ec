#!/usr/bin/env python3
"""Checks that one benchmark output is complete and right, against the generator's
records (the JSON Lines form of the same corpus, which holds exactly the records of
every other form).

  check.py --truth corpus/archive.jsonl --form json|jsonl|csv|xlsx|rss|floor [--exact] OUTPUT

Prints one JSON object: how many records the output holds and how many were
expected, how many titles match a generated title (order ignored), and with --exact
how many records equal their generated record field for field ("equal"), and how
many of those also keep its key order ("exact"), matched by webUrl, else by position. A floor's output is parse-floor's
"records N events M" line. An xlsx workbook is read like a CSV sheet: its first
worksheet's first row names the columns (zipfile and ElementTree; no openpyxl needed).

Standard library only, so it runs before any venv exists.
"""
import argparse
import collections
import csv
import json
import sys
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile

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
    if form == "xlsx":
        return read_xlsx(path)
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


SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def first_sheet(book):
    """The path inside the zip of the workbook's first worksheet."""
    workbook = ET.fromstring(book.read("xl/workbook.xml"))
    sheet = workbook.find(f"{SHEET_NS}sheets/{SHEET_NS}sheet")
    rel_id = sheet.get(f"{REL_NS}id")
    rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    raise ValueError("the first sheet has no part")


def column_index(ref):
    """0 for A1, 27 for AB7."""
    n = 0
    for c in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(c) - 64
    return n - 1


def read_xlsx(path):
    """The first worksheet's rows as dicts keyed by the first row's cells (numbers as
    their text, booleans as true/false), and the number of columns."""
    with zipfile.ZipFile(path) as book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            for _, item in ET.iterparse(book.open("xl/sharedStrings.xml")):
                if item.tag == f"{SHEET_NS}si":
                    shared.append("".join(t.text or "" for t in item.iter(f"{SHEET_NS}t")))
                    item.clear()
        rows = []
        for _, element in ET.iterparse(book.open(first_sheet(book))):
            if element.tag != f"{SHEET_NS}row":
                continue
            row = {}
            for position, c in enumerate(element.iter(f"{SHEET_NS}c")):
                kind, v = c.get("t"), c.find(f"{SHEET_NS}v")
                if kind == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter(f"{SHEET_NS}t"))
                elif v is None:
                    continue
                elif kind == "s":
                    text = shared[int(v.text)]
                elif kind == "b":
                    text = "true" if v.text == "1" else "false"
                else:
                    text = v.text or ""
                row[column_index(c.get("r")) if c.get("r") else position] = text
            rows.append(row)
            element.clear()
    if not rows:
        return [], 0
    header = rows[0]
    # A header cell may carry a type hint after the name ("topics:list").
    names = {i: name.split(":")[0] for i, name in header.items()}
    records = [{names[i]: text for i, text in row.items() if i in names} for row in rows[1:]]
    return records, len(header)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", required=True)
    ap.add_argument("--form", required=True, choices=["json", "jsonl", "csv", "xlsx", "rss", "floor"])
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
    if a.form in ("csv", "xlsx"):
        records, result["columns"] = records
    result["records"] = len(records)
    result["complete"] = len(records) == len(truth)
    titles = collections.Counter(str(r["title"]) for r in truth)
    found = collections.Counter(str(r.get("title")) for r in records if isinstance(r, dict))
    result["titles"] = sum((titles & found).values())
    # A CSV row or a feed item holds the record in another shape: counts and titles only.
    if a.exact and a.form not in ("csv", "xlsx", "rss"):
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
