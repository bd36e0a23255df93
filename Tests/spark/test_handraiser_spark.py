#!/usr/bin/env python3
"""Runs Sources/spark/handraiser_spark.py for real on a local Spark (local[2]) over
fixtures/jsonl/corpus-shaped.jsonl and compares it with single-process `handraiser` runs.

    HANDRAISER=.build/debug/handraiser python3 Tests/spark/test_handraiser_spark.py

Needs Java 17 and pyspark; without either it says why and skips. Ends with one line
`spark: N passed, N failed` (and `, N skipped`); exits 1 when a test failed.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "fixtures", "jsonl", "corpus-shaped.jsonl")
sys.path.insert(0, os.path.join(ROOT, "Sources", "spark"))

import handraiser_spark  # noqa: E402

# A rule of the test's own, shipped to the workers: its hit proves the rules arrived there.
RULES = """\
body     TEST_SPARK_LANTERN   /\\blantern scene\\b/i
describe TEST_SPARK_LANTERN   Talks about the lantern scene (a rule shipped to Spark's workers)
score    TEST_SPARK_LANTERN   0.1
test     TEST_SPARK_LANTERN   hit  "the lantern scene at 2:14"
test     TEST_SPARK_LANTERN   miss "a lantern"
"""
RULE_ID = "TEST_SPARK_LANTERN"


def skip_reason() -> str | None:
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Java is not installed (Spark needs Java 17; on Debian: apt-get install openjdk-17-jre-headless)"
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install pyspark==3.5.7; .ci/run does this)"
    return None


def handraiser_binary() -> str:
    binary = os.environ.get("HANDRAISER") or os.path.join(ROOT, ".build", "debug", "handraiser")
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"no handraiser binary at {binary}: run swift build, or set HANDRAISER")
    return os.path.abspath(binary)


def single(binary: str, lines: list[str], command: list[str]) -> list[str]:
    """One single-process handraiser run over `lines` given on standard input."""
    done = subprocess.run([binary, *command], input="".join(line + "\n" for line in lines).encode("utf-8"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if done.returncode not in (0, 1):
        raise AssertionError(f"handraiser {' '.join(command)} exited {done.returncode}: {done.stderr.decode()}")
    return done.stdout.decode("utf-8").splitlines()


def read_parts(folder: str) -> list[str]:
    lines = []
    for part in sorted(glob.glob(os.path.join(folder, "part-*"))):
        with open(part, encoding="utf-8") as file:
            lines += file.read().splitlines()
    return lines


class Suite:
    def __init__(self, sc, binary: str, work: str):
        self.sc = sc
        self.binary = binary
        self.work = work
        self.rules = os.path.join(work, "spark-test.cf")
        with open(self.rules, "w", encoding="utf-8") as file:
            file.write(RULES)
        with open(FIXTURE, encoding="utf-8") as file:
            self.lines = file.read().splitlines()
        self.records = [(index, line) for index, line in enumerate(self.lines) if line.strip(" \t")]
        self.filter_args = ["filter", "--annotate", "--quiet", "--format", "jsonl", "--rules", self.rules]
        self.replies_args = ["replies", "--output", "jsonl", "--format", "jsonl", "--rules", self.rules, "-"]
        self.outputs = {}

    def spark(self, partitions: int) -> tuple[list[str], list[str], dict]:
        """The script's output for this many partitions (run once, then reused)."""
        if partitions not in self.outputs:
            destination = os.path.join(self.work, f"out-{partitions}")
            counts = handraiser_spark.run(self.sc, FIXTURE, destination, self.binary, [self.rules], partitions)
            self.outputs[partitions] = (read_parts(os.path.join(destination, "annotated")),
                                        read_parts(os.path.join(destination, "replies")), counts)
        return self.outputs[partitions]

    def partition_groups(self, partitions: int) -> list[list[tuple[int, str]]]:
        """The records each Spark partition holds, in input order, worked out without Spark."""
        groups = [[] for _ in range(partitions)]
        for index, line in self.records:
            key = (handraiser_spark.thread_key(line), index)
            groups[handraiser_spark.partition_of(key, partitions)].append((index, line))
        return groups

    def expected_per_partition(self, partitions: int) -> dict[int, dict]:
        """Single-process filter runs, one per partition: the output record for each line index,
        with unreadable lines numbered in the whole file as the script numbers them."""
        expected = {}
        for group in self.partition_groups(partitions):
            if not group:
                continue
            out = single(self.binary, [line for _, line in group], self.filter_args)
            assert len(out) == len(group), f"a single-process run wrote {len(out)} lines for {len(group)} records"
            for (index, _), line in zip(group, out):
                record = json.loads(line)
                if record.get("verdict") == "unreadable":
                    record["line"] = index + 1
                expected[index] = record
        return expected

    # The tests.

    def test_every_record_comes_out_once_in_input_order(self):
        annotated, _, counts = self.spark(2)
        assert counts["records"] == len(self.records) == len(annotated), (counts, len(self.records), len(annotated))
        assert counts["blank"] == len(self.lines) - len(self.records) == 1, "the fixture has one blank line"
        unreadable = 0
        for (index, source), line in zip(self.records, annotated):
            record = json.loads(line)
            if record["verdict"] == "unreadable":
                unreadable += 1
                assert record["raw"] == source and record["line"] == index + 1, record
            else:
                assert record["id"] == json.loads(source)["id"], (record["id"], source[:80])
        assert unreadable == counts["unreadable"] == 1, f"the fixture has one broken line; {unreadable} came out"

    def test_rules_reach_the_workers(self):
        annotated, _, _ = self.spark(2)
        hits = [json.loads(line)["id"] for line in annotated if RULE_ID in line]
        assert hits == ["3001"], f"{RULE_ID} should hit comment 3001 on the workers, hit {hits}"

    def test_same_verdicts_as_single_process_runs_per_partition(self):
        annotated, _, _ = self.spark(2)
        groups = self.partition_groups(2)
        assert all(groups), "the fixture should fill both partitions"
        expected = self.expected_per_partition(2)
        for (index, _), line in zip(self.records, annotated):
            assert json.loads(line) == expected[index], f"line {index + 1}: {line[:160]} != {expected[index]}"

    def test_one_partition_equals_one_whole_file_run(self):
        annotated, replies, _ = self.spark(1)
        whole = single(self.binary, self.lines, self.filter_args)
        assert [json.loads(line) for line in annotated] == [json.loads(line) for line in whole]
        assert replies == single(self.binary, self.lines, self.replies_args)

    def test_differences_from_a_whole_file_run_are_near_duplicate_evidence(self):
        annotated, _, _ = self.spark(2)
        whole = [json.loads(line) for line in single(self.binary, self.lines, self.filter_args)]
        differing = []
        for got, want in zip((json.loads(line) for line in annotated), whole):
            if (got["verdict"], got.get("score")) == (want["verdict"], want.get("score")):
                continue
            ids = {reason["id"] for record in (got, want) for reason in record.get("reasons", [])}
            assert ids & set(handraiser_spark.NEAR_DUPLICATE_IDS), f"comment {got.get('id')} differs without " \
                f"near-duplicate evidence: {got['verdict']} {got.get('score')} vs {want['verdict']} {want.get('score')}"
            differing.append(f"{got['id']}: {want['verdict']} {want['score']} -> {got['verdict']} {got['score']}")
        # The fixture repeats one spam template in three posts that land in different partitions,
        # so the partitioned run sees fewer copies of it; if nothing differs, the fixture no
        # longer tests what it was written for.
        assert differing, "expected the cross-partition spam template to score differently"
        print(f"    partitioned vs whole-file run, near-duplicate evidence only: {'; '.join(differing)}")

    def test_a_bad_rule_file_fails_before_any_job(self):
        bad = os.path.join(ROOT, "fixtures", "rules", "bad.cf")
        try:
            handraiser_spark.run(self.sc, FIXTURE, os.path.join(self.work, "out-bad"), self.binary, [bad], 2)
        except RuntimeError as error:
            assert "bad.cf" in str(error) and "does not compile" in str(error), str(error)
        else:
            raise AssertionError("a rule file that does not compile should stop the run")
        assert not os.path.exists(os.path.join(self.work, "out-bad")), "nothing should have been written"

    def test_reply_lists_per_post_equal_single_process_runs(self):
        _, replies, _ = self.spark(2)
        expected = []
        for group in self.partition_groups(2):
            readable = [line for index, line in group if handraiser_spark.thread_key(line) is not None]
            expected += single(self.binary, readable, self.replies_args)
        assert sorted(replies) == sorted(expected), "reply lists differ from per-partition runs"
        posts = [json.loads(line)["post_id"] for line in replies]
        assert set(posts) >= {"101", "104", "102", "105"}, posts
        # A post's objects are contiguous: the post was never split between partitions.
        runs = [post for position, post in enumerate(posts) if position == 0 or posts[position - 1] != post]
        assert len(runs) == len(set(runs)), f"a post's reply list is split: {runs}"


def main() -> int:
    reason = skip_reason()
    tests = [name for name in dir(Suite) if name.startswith("test_")]
    if reason:
        print(f"SKIP the Spark tests: {reason}")
        print(f"spark: 0 passed, 0 failed, {len(tests)} skipped")
        return 0
    binary = handraiser_binary()
    from pyspark import SparkConf, SparkContext

    work = tempfile.mkdtemp(prefix="handraiser-spark-test-")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # local[2] needs no network interface
    conf = (SparkConf().setMaster("local[2]").setAppName("handraiser-spark-test")
            .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false").set("spark.driver.host", "127.0.0.1")
            .set("spark.driver.bindAddress", "127.0.0.1").set("spark.local.dir", work))
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    passed = failed = 0
    try:
        suite = Suite(sc, binary, work)
        for name in tests:
            try:
                getattr(suite, name)()
                passed += 1
                print(f"ok   {name}")
            except Exception:  # noqa: BLE001 — report every failure, go on with the next test
                failed += 1
                print(f"FAIL {name}\n{traceback.format_exc()}")
    finally:
        sc.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"spark: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
