#!/usr/bin/env python3
"""Run `handraiser filter --annotate` over a JSON Lines dataset on Apache Spark, then the reply
list per post.

Handraiser's `filter` is a line-in/line-out program, so Spark runs it as it is with `RDD.pipe`
on every partition; nothing of Handraiser is rewritten for the cluster. The steps:

1. Read the dataset as text lines and number them (the line number is the record's identity:
   it puts the output back in input order and names unreadable lines the way a single-process
   run does).
2. Group by post: every record goes to the partition chosen by its thread key (the `post_id`,
   else the `post_title`, as Handraiser's JSONL reader groups threads), and keeps input order
   inside it. A post's comments must meet in one `handraiser` process: post fields may stand on
   any one of them, and the author's replies are told apart by the thread.
3. `RDD.pipe` each partition through `handraiser filter --annotate --format jsonl`, with the
   rule files shipped to the workers by `SparkContext.addFile` (SparkFiles).
4. Pair each output line with the input line it came from (`RDD.zip`: Spark fails the job when a
   partition's output count differs from its input count), check the pairing, and write the
   annotated records back out in input order.
5. Pipe the same post-grouped partitions (the input records, unreadable lines left out) through
   `handraiser replies --output jsonl -`: one reply-list object per person per post. The records
   were grouped by post in step 2, so this needs no second shuffle.

What differs from one single-process run over the whole file: near-duplicate evidence
(HC_NEAR_DUPLICATE, HC_NEAR_DUPLICATE_MANY, HC_DOUBLE_POST) is counted across the input one
`handraiser` process sees, which here is one partition. A spam template repeated under many
names in posts that land in different partitions scores lower than in one whole-file run. The
reply list's evidence across posts (a returning or first-time reader, the blog's own people)
sees one partition too. Every other check works per comment or per thread, and threads are
never split. With `--partitions 1` the result equals a single-process run.

Spark reads text the Hadoop way, which differs from handraiser's own reading at two edges: a lone
carriage return also ends a line, and bytes that are not UTF-8 become U+FFFD. JSON cannot hold
either inside a readable record, so only unreadable lines are affected: such a line's `raw` may
hold U+FFFD, and a line with a lone carriage return comes out as two unreadable reports.

Usage (Spark 3.5, Python 3.9+):

    spark-submit Sources/spark/handraiser_spark.py --master local[2] \\
        --handraiser .build/release/handraiser --rules my-rules/ \\
        comments.jsonl out/

writes out/annotated/part-* (one annotated record per input record, in input order) and
out/replies/part-* (the reply list, `handraiser replies --output jsonl` objects, post by post).
The handraiser binary must exist at the same path on every worker (a build made with
`swift build -c release --static-swift-stdlib` needs only libpcre2 there).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import zlib

# `handraiser` exits 1 when some input could not be read: filter then still writes every such
# line as an {"verdict":"unreadable",…} record, so 1 is a normal outcome of a partition. Any
# other non-zero status (a crash, a bad rule file, a wrong flag) fails the Spark task.
_ACCEPT_EXIT_1 = '"$@"; status=$?; [ "$status" -le 1 ] || exit "$status"'

# Handraiser skips lines that hold only spaces and tabs, and writes nothing for them.
_BLANK = " \t"

NEAR_DUPLICATE_IDS = ("HC_NEAR_DUPLICATE", "HC_NEAR_DUPLICATE_MANY", "HC_DOUBLE_POST")


def _reject(constant: str):
    raise ValueError(f"{constant} is not JSON")


def thread_key(line: str) -> str | None:
    """The key Handraiser's JSONL reader groups a record's thread by, or None for a line it will
    report as unreadable (not a JSON object with a string `content`)."""
    try:
        record = json.loads(line, parse_constant=_reject)
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("content"), (str, int, float)):
        return None
    for field in ("post_id", "post_title"):
        value = record.get(field)
        if value is not None and not isinstance(value, (dict, list)):
            return value if isinstance(value, str) else json.dumps(value)
    return ""


def partition_of(key: tuple[str | None, int], partitions: int) -> int:
    """Which partition a (thread key, line index) goes to: by thread, so a post stays whole;
    unreadable lines by their index. CRC-32, not Python's hash: the same on every worker and run."""
    thread, index = key
    if thread is None:
        return index % partitions
    return zlib.crc32(thread.encode("utf-8")) % partitions


def pipe_command(handraiser: str, arguments: list[str]) -> str:
    """A command line for RDD.pipe (which splits it with shlex) that runs handraiser and accepts
    its exit status 1."""
    return shlex.join(["/bin/sh", "-c", _ACCEPT_EXIT_1, "handraiser", handraiser, *arguments])


def pipe_environment() -> dict[str, str]:
    """RDD.pipe replaces the whole environment: give handraiser a plain, UTF-8, colourless one."""
    return {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NO_COLOR": "1"}


def ship_rules(sc, paths: list[str]) -> list[str]:
    """Sends rule files or folders to every worker with SparkContext.addFile and returns the
    paths handraiser sees there. Executors fetch added files into their working directory,
    which the Python workers and so the piped process share; in local mode the executor is the
    driver, which keeps them in its SparkFiles root."""
    from pyspark import SparkFiles

    shipped = []
    for path in paths:
        path = os.path.abspath(path)
        name = os.path.basename(path.rstrip("/"))
        sc.addFile(path, recursive=os.path.isdir(path))
        if sc.master.startswith("local"):
            shipped.append(SparkFiles.get(name))
        else:
            shipped.append(os.path.join(".", name))
    return shipped


def _check_pair(pair):
    """One (input, output) pair of the filter step: the output must be the annotated input
    record, or its unreadable report. Returns (line index, (output line, unreadable?)), the
    unreadable report's `line` set to the line's number in the whole dataset, as a
    single-process run over the whole file numbers it."""
    ((thread, index), source), output = pair
    try:
        record = json.loads(output)
    except ValueError:
        raise RuntimeError(f"handraiser wrote a line that is not JSON for input line {index + 1}: {output[:200]!r}")
    verdict = record.get("verdict") if isinstance(record, dict) else None
    if verdict == "unreadable":
        if record.get("raw") != source:
            raise RuntimeError(f"output out of step at input line {index + 1}: its unreadable report quotes another line")
        record["line"] = index + 1
        return index, (json.dumps(record, ensure_ascii=False, separators=(",", ":")), True)
    if verdict is None:
        raise RuntimeError(f"handraiser's output for input line {index + 1} has no verdict: {output[:200]!r}")
    if thread is None:
        # Placed by line number, not with its thread: the result could differ from a whole run.
        raise RuntimeError(f"input line {index + 1} is not JSON to Python's parser but handraiser read it; "
                           "its thread could not be kept together")
    expected_id = json.loads(source).get("id")
    if expected_id is not None and record.get("id") != expected_id:
        raise RuntimeError(f"output out of step at input line {index + 1}: id {record.get('id')!r}, want {expected_id!r}")
    return index, (output, False)


def preflight(handraiser: str, rules: list[str], extra_arguments: list[str] = ()) -> None:
    """Runs handraiser once on the driver over no input, with the rules as given there, so a
    missing binary or a rule file that does not compile fails at once with handraiser's own
    message, not as a partition whose output count is wrong. Skipped when the binary is not on
    the driver (it need only be on the workers)."""
    if not os.access(handraiser, os.X_OK):
        return
    arguments = [argument for path in rules for argument in ("--rules", path)] + list(extra_arguments)
    done = subprocess.run([handraiser, "filter", "--quiet", "--format", "jsonl", *arguments], input=b"",
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{handraiser} cannot run with these options: {done.stderr.decode(errors='replace').strip()}")


def run(sc, source: str, destination: str, handraiser: str, rules: list[str] = (), partitions: int | None = None,
        replies: bool = True, extra_arguments: list[str] = ()) -> dict[str, int]:
    """Runs the filter (and the reply list) over `source` and writes `destination`/annotated
    and `destination`/replies. Returns counts: records, unreadable, blank lines skipped."""
    from pyspark import StorageLevel

    partitions = partitions or sc.defaultParallelism
    if __name__ != "__main__":
        # Imported (by a driver program or the test): the workers unpickle this module's
        # functions by name, so they need the module itself.
        sc.addPyFile(os.path.abspath(__file__))
    preflight(handraiser, list(rules), list(extra_arguments))
    arguments = [argument for path in ship_rules(sc, list(rules)) for argument in ("--rules", path)]
    arguments += list(extra_arguments)

    lines = sc.textFile(source, minPartitions=partitions).zipWithIndex()
    by_post = (
        lines.filter(lambda pair: pair[0].strip(_BLANK))
        .map(lambda pair: ((thread_key(pair[0]), pair[1]), pair[0]))
        .repartitionAndSortWithinPartitions(
            partitions, partitionFunc=lambda key: partition_of(key, partitions), keyfunc=lambda key: key[1])
        .persist(StorageLevel.MEMORY_AND_DISK))

    annotated = by_post.values().pipe(
        pipe_command(handraiser, ["filter", "--annotate", "--quiet", "--format", "jsonl", *arguments]),
        env=pipe_environment(), checkCode=True)
    # Kept, not recomputed: each handraiser run over a partition is the expensive part.
    checked = by_post.zip(annotated).map(_check_pair).persist(StorageLevel.MEMORY_AND_DISK)
    checked.sortByKey(numPartitions=partitions).map(lambda pair: pair[1][0]).saveAsTextFile(
        os.path.join(destination, "annotated"))

    tally = checked.map(lambda pair: pair[1][1]).countByValue()
    unreadable, records = tally.get(True, 0), tally.get(True, 0) + tally.get(False, 0)
    blank = lines.filter(lambda pair: not pair[0].strip(_BLANK)).count()
    if replies:
        # The input records, not the annotated ones: filter's output leaves out post_text,
        # which the reply list needs to tell engagement with the post.
        readable = by_post.filter(lambda pair: pair[0][0] is not None).values()
        readable.pipe(
            pipe_command(handraiser, ["replies", "--output", "jsonl", "--format", "jsonl", *arguments, "-"]),
            env=pipe_environment(), checkCode=True,
        ).saveAsTextFile(os.path.join(destination, "replies"))
    by_post.unpersist()
    checked.unpersist()
    return {"records": records, "unreadable": unreadable, "blank": blank}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="JSON Lines input: a file, folder or glob Spark can read")
    parser.add_argument("destination", help="output folder (must not exist): annotated/ and replies/")
    parser.add_argument("--handraiser", default=os.environ.get("HANDRAISER") or shutil.which("handraiser"),
                        help="path of the handraiser binary on the workers (default: $HANDRAISER, or PATH)")
    parser.add_argument("--rules", action="append", default=[], help="a .cf file or folder, shipped to the workers")
    parser.add_argument("--partitions", type=int, help="how many partitions (default: Spark's parallelism)")
    parser.add_argument("--master", help="Spark master when not given to spark-submit, e.g. local[2]")
    parser.add_argument("--no-replies", dest="replies", action="store_false", help="only the filter step")
    options = parser.parse_args(argv)
    if not options.handraiser:
        parser.error("handraiser is not on PATH: give --handraiser PATH or set HANDRAISER")

    from pyspark import SparkConf, SparkContext

    conf = SparkConf().setAppName("handraiser").setIfMissing("spark.ui.showConsoleProgress", "false")
    if options.master:
        conf.setMaster(options.master)
    sc = SparkContext.getOrCreate(conf)
    try:
        started = time.monotonic()
        counts = run(sc, options.source, options.destination, os.path.abspath(options.handraiser), options.rules,
                     options.partitions, options.replies)
        seconds = time.monotonic() - started
    finally:
        sc.stop()
    blank = f"{counts['blank']} blank line{'' if counts['blank'] == 1 else 's'}"
    print(f"handraiser-spark: {counts['records']} records ({counts['unreadable']} unreadable; {blank} skipped) "
          f"in {seconds:.1f} s, {counts['records'] / seconds:.0f} records/s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
