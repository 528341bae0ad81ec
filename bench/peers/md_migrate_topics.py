#!/usr/bin/env python3
"""Lower-cases the topics of every Markdown file of a folder, in place: the script a user
writes with python-frontmatter (load, edit, dump), the peer of

    recast migrate DIR --jq 'if .topics then .topics |= map(ascii_downcase) else . end' --in-place

usage: md_migrate_topics.py DIR
"""
import pathlib
import sys

import frontmatter

for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    post = frontmatter.load(path)
    if post.get("topics"):
        post["topics"] = [topic.lower() for topic in post["topics"]]
    frontmatter.dump(post, path)
