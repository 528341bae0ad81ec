#!/usr/bin/env python3
"""recast past one machine, shown with Spark in local mode.

1. recast as a streaming stage: JSON Lines go through `RDD.pipe()` (the same contract
   as a Hadoop Streaming mapper: records on stdin, records on stdout, one per line),
   each partition piped through its own `recast convert - --from jsonl --to jsonl`.
   The collected lines must equal one single-process run, line for line.
2. recast sharded: a folder of Markdown files is split with `--shard K/N`, one Spark
   task per shard (as N machines or a Kubernetes indexed Job would run it). The union
   of the shards must equal the single-process run, with no record twice.

  bench/.venv/bin/python bench/spark_pipe.py [--count 2000] [--partitions 4]

Needs pyspark (bench/requirements.txt) and Java 17. Exits non-zero on a mismatch.
"""
import argparse
import collections
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


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

    # 1. RDD.pipe(): each partition's lines through one recast process.
    single = run([recast, "-q", "convert", jsonl, "--to", "jsonl"]).splitlines()
    rdd = sc.textFile(jsonl, minPartitions=a.partitions)
    piped = rdd.pipe(f"{recast} -q convert - --from jsonl --to jsonl").collect()
    same = piped == single
    print(f"pipe: {rdd.getNumPartitions()} partitions, {len(piped)} records piped, "
          f"{len(single)} single-process: {'equal' if same else 'DIFFERENT'}")
    failures += not same

    # 2. --shard K/N: one task per shard, as N machines would run it.
    shards = a.partitions

    def convert_shard(k):
        out = subprocess.run([recast, "-q", "convert", folder, "--shard", f"{k}/{shards}", "--to", "jsonl"],
                             check=True, capture_output=True, text=True).stdout
        return [(k, line) for line in out.splitlines()]

    parts = sc.parallelize(range(1, shards + 1), shards).flatMap(convert_shard).collect()
    whole = run([recast, "-q", "convert", folder, "--to", "jsonl"]).splitlines()
    sizes = collections.Counter(k for k, _ in parts)
    union = collections.Counter(line for _, line in parts)
    same = union == collections.Counter(whole) and max(union.values(), default=1) == 1
    print(f"shard: {shards} shards of {dict(sorted(sizes.items()))} records, union of {sum(union.values())} vs "
          f"{len(whole)} single-process: {'equal, no overlap' if same else 'DIFFERENT'}")
    failures += not same
    spark.stop()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
