#!/usr/bin/env python3
"""Peer: a multi-document YAML stream -> JSON Lines, with PyYAML's C loader.

  python yaml_to_jsonl.py ARCHIVE.yaml OUT.jsonl
"""
import datetime
import json
import sys

import yaml


def default(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def main():
    source, out = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as w:
        for document in yaml.load_all(f, Loader=yaml.CSafeLoader):
            if document is None:
                continue
            w.write(json.dumps(document, ensure_ascii=False, default=default))
            w.write("\n")


if __name__ == "__main__":
    main()
