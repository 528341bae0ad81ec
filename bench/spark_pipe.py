#!/usr/bin/env python3
"""recast past one machine, shown with Spark in local mode.

1. recast as a streaming stage: JSON Lines go through `RDD.pipe()` (the same contract
   as a Hadoop Streaming mapper: records on stdin, records on stdout, one per line),
   each partition piped through its own `recast convert - --from jsonl --to jsonl`
   with a `--where` filter and a `--jq` transform. The collected lines must equal one
   single-process run of the same command, line for line.
2. recast sharded: a folder of Markdown files is migrated in place with
   `migrate --shard K/N --jq ... --in-place`, one Spark task per shard (as N machines or
   a Kubernetes indexed Job would run it). Each task first lists the files its shard
   would change (a dry run); the lists must be disjoint, their union the files the
   single-process run changes, and the folder afterwards byte for byte the folder the
   single-process run leaves.

  bench/.venv/bin/python bench/spark_pipe.py [--count 2000] [--partitions 4]

Needs pyspark (bench/requirements.txt) and Java 17. Exits non-zero on a mismatch.
"""
import argparse
import hashlib
import os
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# The job of both parts: keep the news, lower-case their topics, keep a few fields.
WHERE = "category=news"
JQ_PIPE = "{title, publishedDateTime, topics: (.topics // [] | map(ascii_downcase)), quality}"
JQ_MIGRATE = "if .topics then .topics |= map(ascii_downcase) else . end"


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def would_change(recast, folder, extra):
    """The files a migration of `folder` would change: the diff headers of a dry run."""
    out = run([recast, "-q", "migrate", folder, "--jq", JQ_MIGRATE, "--in-place", "--dry-run",
               "--diff", "100000000", *extra])
    return {line[4:].strip() for line in out.splitlines() if line.startswith("+++ ")}


def digests(folder):
    """Every file below `folder` by relative path, as a SHA-256 of its bytes."""
    found = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--recast", default=os.path.join(ROOT, "target", "release", "recast"))
    ap.add_argument("--out", default=os.path.join(HERE, "out", "spark"))
    a = ap.parse_args()
    recast = os.path.abspath(a.recast)
    os.makedirs(a.out, exist_ok=True)
    jsonl = os.path.join(a.out, "archive.jsonl")
    folder = os.path.join(a.out, "archive")
    gen = os.path.join(HERE, "gen_archive.py")
    if not os.path.exists(jsonl):
        run([sys.executable, gen, "--count", str(a.count), "--form", "jsonl", jsonl])
    if not os.path.isdir(folder):
        run([sys.executable, gen, "--count", str(a.count), "--form", "md", folder])

    # Local mode on the loopback interface only: nothing listens on or talks to the network.
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("recast-pipe")
             .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    failures = 0

    # 1. RDD.pipe(): each partition's lines through one recast process, filtered and
    #    transformed.
    stage = [recast, "-q", "convert", "-", "--from", "jsonl", "--to", "jsonl", "--where", WHERE, "--jq", JQ_PIPE]
    with open(jsonl, encoding="utf-8") as f:
        single = run(stage, input=f.read()).splitlines()
    rdd = sc.textFile(jsonl, minPartitions=a.partitions)
    # pipe() splits its command as a shell would (shlex), so quoted words stay whole.
    piped = rdd.pipe(shlex.join(stage)).collect()
    same = piped == single and len(single) > 0
    print(f"pipe: {rdd.getNumPartitions()} partitions, --where {WHERE} --jq: {len(piped)} records piped, "
          f"{len(single)} single-process: {'equal' if same else 'DIFFERENT'}")
    failures += not same

    # 2. migrate --shard K/N --jq --in-place: one task per shard, as N machines would run it.
    shards = a.partitions
    alone = os.path.join(a.out, "migrate-single")
    sharded = os.path.join(a.out, "migrate-sharded")
    for copy in (alone, sharded):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(folder, copy)
    expected = would_change(recast, alone, [])
    run([recast, "-q", "migrate", alone, "--jq", JQ_MIGRATE, "--in-place"])

    def migrate_shard(k):
        shard = ["--shard", f"{k}/{shards}"]
        changes = would_change(recast, sharded, shard)
        subprocess.run([recast, "-q", "migrate", sharded, "--jq", JQ_MIGRATE, "--in-place", *shard],
                       check=True, capture_output=True)
        return [(k, sorted(changes))]

    lists = dict(sc.parallelize(range(1, shards + 1), shards).flatMap(migrate_shard).collect())
    changed = [path for paths in lists.values() for path in paths]
    disjoint = len(changed) == len(set(changed))
    union = {os.path.relpath(p, sharded) for p in changed} == {os.path.relpath(p, alone) for p in expected}
    same_bytes = digests(sharded) == digests(alone)
    ok = disjoint and union and same_bytes and len(expected) > 0
    sizes = {k: len(v) for k, v in sorted(lists.items())}
    print(f"shard: {shards} shards changed {sizes} files ({'disjoint' if disjoint else 'OVERLAPPING'}), "
          f"union {'=' if union else '≠'} the {len(expected)} files of the single-process run; folders "
          f"{'byte for byte equal' if same_bytes else 'DIFFERENT'}")
    failures += not ok
    spark.stop()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
