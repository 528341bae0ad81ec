#!/usr/bin/env python3
"""Peer: JSON Lines -> an xlsx workbook, one row per record, with pandas and openpyxl.

What a user writes by hand: flatten the records with pandas.json_normalize (nested maps
become dotted columns, provider.name) and write the frame with to_excel. Lists stay
Python lists after json_normalize, and openpyxl cannot put a list in a cell, so they
are written as JSON text; the frame's index is left out (index=False), as one does for
records.

  python jsonl_to_xlsx.py ARCHIVE.jsonl OUT.xlsx
"""
import json
import sys

import pandas as pd


def cell(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value


def main():
    source, out = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    frame = pd.json_normalize(records)
    frame = frame.map(cell)
    frame.to_excel(out, engine="openpyxl", index=False)


if __name__ == "__main__":
    main()
