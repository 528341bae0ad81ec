#!/usr/bin/env python3
"""Peer: a folder of Markdown files with YAML front matter -> one JSON array.

What a user writes by hand with PyYAML's C loader (libyaml): read each file in name
order, cut the front matter, load it, put the body in the field "body", dump JSON.

  python md_to_json.py ARCHIVE_DIR OUT.json
"""
import datetime
import json
import os
import sys

import yaml

Loader = yaml.CSafeLoader  # libyaml; fails loudly if PyYAML was built without it


def default(value):
    # PyYAML turns unquoted timestamps into datetimes; JSON needs text back.
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def read(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("---\n"):
        return {"body": text}
    end = text.find("\n---\n", 3)
    if end < 0:
        end = len(text) - 4 if text.endswith("\n---") else len(text)
    record = yaml.load(text[4:end + 1], Loader=Loader) or {}
    rest = text[end + 5:]
    if rest:
        record["body"] = rest[1:] if rest.startswith("\n") else rest
    return record


def main():
    folder, out = sys.argv[1], sys.argv[2]
    names = sorted(n for n in os.listdir(folder) if n.endswith(".md") and n != "_index.md")
    with open(out, "w", encoding="utf-8") as f:
        f.write("[\n")
        for i, name in enumerate(names):
            if i:
                f.write(",\n")
            json.dump(read(os.path.join(folder, name)), f, ensure_ascii=False, default=default)
        f.write("\n]\n")


if __name__ == "__main__":
    main()
