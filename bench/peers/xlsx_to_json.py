#!/usr/bin/env python3
"""Peer: an xlsx workbook -> JSON, with pandas.read_excel (openpyxl) and to_json.

What a user writes by hand: read the first sheet into a frame and write its rows as
JSON objects. The sheet's columns stay flat (provider.name is one key) and empty cells
are null.

  python xlsx_to_json.py ARCHIVE.xlsx OUT.json
"""
import sys

import pandas as pd


def main():
    source, out = sys.argv[1], sys.argv[2]
    frame = pd.read_excel(source, engine="openpyxl")
    frame.to_json(out, orient="records", force_ascii=False, indent=1)


if __name__ == "__main__":
    main()
