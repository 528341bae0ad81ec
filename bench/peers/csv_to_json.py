#!/usr/bin/env python3
"""Peer: CSV with dotted column names (provider.name, images.0.url) -> JSON with the
nesting restored, with pandas.

What a user writes by hand: read the sheet with pandas, drop empty cells, and split
each dotted column name into nested objects (numeric segments become list indexes).

  python csv_to_json.py ARCHIVE.csv OUT.json
"""
import json
import sys

import pandas as pd


def nest(row):
    record = {}
    for column, value in row.items():
        if value is None or (isinstance(value, float) and value != value):
            continue
        parts = column.split(".")
        node = record
        for part, after in zip(parts, parts[1:]):
            child = [] if after.isdigit() else {}
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append(None)
                if node[index] is None:
                    node[index] = child
                node = node[index]
            else:
                node = node.setdefault(part, child)
        last = parts[-1]
        if isinstance(node, list):
            index = int(last)
            while len(node) <= index:
                node.append(None)
            node[index] = value
        else:
            node[last] = value
    return record


def main():
    source, out = sys.argv[1], sys.argv[2]
    frame = pd.read_csv(source, keep_default_na=False, na_values=[""])
    records = [nest(row) for row in frame.to_dict(orient="records")]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=False, indent=1, default=str)
        f.write("\n")


if __name__ == "__main__":
    main()
