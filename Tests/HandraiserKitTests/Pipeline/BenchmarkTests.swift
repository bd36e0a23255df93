import Foundation
import Testing

@testable import HandraiserKit

/// The benchmark's logic on tiny inputs; nothing here is timed.
@Suite struct BenchmarkTests {
    static func folder(_ name: String, files: [String: String]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-benchmark-\(getpid())-\(name)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (file, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(file)) }
        return url.path
    }

    static let records = """
        {"id": "1", "parent_id": null, "post_id": "p", "content": "How long do you proof the rye dough?", "label": "ham"}
        {"id": "2", "parent_id": "1", "post_id": "p", "content": "About an hour.\\nFrom experience.", "label": "ham"}
        {"id": 3, "parent_id": "0", "post_id": "q", "author": "Cheap Pills", "content": "Buy pills", "label": "spam"}

        """

    @Test func replicasAreDistinctRecordsInDistinctThreadsWithRepliesKept() throws {
        let directory = try Self.folder("replicas", files: ["a.jsonl": Self.records, "notes.txt": "not a corpus file"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let corpus = try ReplicatedCorpus(directory: directory)
        #expect(corpus.records == 3)
        let output = directory + "/out.jsonl"
        // Two copies, the second a little longer for its renamed ids, then the first record of a third.
        let written = try corpus.write(to: output, targetBytes: corpus.bytes * 2 + 100)
        #expect(written.copies == 3)
        #expect(written.records == 7)
        #expect(written.bytes == (try Data(contentsOf: URL(fileURLWithPath: output))).count)

        let input = try InputLoader.load(InputSource(name: output))
        #expect(input.unreadable.isEmpty)
        let comments = input.threads.flatMap(\.comments)
        #expect(comments.map(\.id) == ["1", "2", "3", "r2-1", "r2-2", "r2-3", "r3-1"])
        #expect(Set(input.threads.map(\.post.id)) == ["p", "q", "r2-p", "r2-q", "r3-p"])
        #expect(comments.map(\.parentID) == [nil, "1", nil, nil, "r2-1", nil, nil])
        // Only the identifiers change: the content is the original, byte for byte.
        #expect(comments[4].content == comments[1].content)
    }

    @Test func aTargetBelowOneRecordStillWritesOneRecord() throws {
        let directory = try Self.folder("one", files: ["a.jsonl": Self.records])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let written = try ReplicatedCorpus(directory: directory).write(to: directory + "/one.jsonl", targetBytes: 1)
        #expect(written.records == 1)
        #expect(written.copies == 1)
    }

    @Test func mailboxesHoldEveryCommentAndTheLabelsSplitForTraining() throws {
        let directory = try Self.folder("mbox", files: ["a.jsonl": Self.records])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let corpus = try ReplicatedCorpus(directory: directory)
        let counts = try corpus.writeMailboxes(
            all: directory + "/all.mbox", spam: directory + "/spam.mbox", ham: directory + "/ham.mbox",
            targetBytes: corpus.bytes * 2)
        #expect(counts.all == 6)
        // The same comments `write` writes for the same size: copies after the first are longer.
        let target = corpus.bytes * 2 + 100
        let again = try corpus.writeMailboxes(
            all: directory + "/all2.mbox", spam: directory + "/spam2.mbox", ham: directory + "/ham2.mbox",
            targetBytes: target)
        #expect(again.all == (try corpus.write(to: directory + "/same.jsonl", targetBytes: target)).records)
        #expect(counts.spam == 1)
        #expect(counts.ham == 2)
        let all = try String(contentsOfFile: directory + "/all.mbox", encoding: .utf8)
        let separators = all.split(separator: "\n").filter { $0.hasPrefix("From ") }
        #expect(separators.count == 6)
        #expect(all.contains("\n>From experience.\n"))
        let spam = try String(contentsOfFile: directory + "/spam.mbox", encoding: .utf8)
        #expect(spam.contains("From: Cheap Pills <unknown@invalid>\n"))
    }

    @Test func generatedRulesAreDistinctCompileAndAreAllPrefiltered() throws {
        for kind in RuleScaling.Kind.allCases {
            let base = RuleSet.defaults
            let set = try RuleScaling.ruleSet(base, adding: 100, of: kind)
            #expect(set.rules.count == base.rules.count + 100)
            let engine = try RuleEngine(set)
            let baseCoverage = try RuleEngine(base).prefilterCoverage
            #expect(engine.prefilterCoverage.prefiltered == baseCoverage.prefiltered + 100)
        }
    }

    @Test func theRuleSampleTakesCommentsEvenlyAndKeepsTheirThreads() {
        let threads = (0..<4).map { post in
            HandraiserModel.Thread(
                post: Post(id: "p\(post)"),
                comments: (0..<5).map {
                    Comment(id: "\(post)-\($0)", content: "comment \($0)", location: SourceLocation(file: "t"))
                })
        }
        let sample = RuleScaling.sample(threads, count: 5)
        #expect(sample.flatMap(\.comments).map(\.id) == ["0-0", "0-4", "1-3", "2-2", "3-1"])
        #expect(sample.map(\.post.id) == ["p0", "p1", "p2", "p3"])
    }

    @Test(arguments: [("100M", 100_000_000), ("1G", 1_000_000_000), ("64k", 64_000), ("1.5G", 1_500_000_000)])
    func sizesReadDecimalUnits(text: String, bytes: Int) {
        #expect(Benchmark.bytes(text) == bytes)
    }

    @Test(arguments: ["", "M", "12X", "-5M", "0"])
    func nonSizesAreRefused(text: String) {
        #expect(Benchmark.bytes(text) == nil)
    }

    @Test func aChildsExitStatusAndStreamsAreItsOwn() throws {
        let directory = try Self.folder("child", files: ["in.txt": "hello\n"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let copied = try ChildProcess.run("/bin/cat", [], input: directory + "/in.txt", output: directory + "/out.txt")
        #expect(copied.status == 0)
        #expect(try String(contentsOfFile: directory + "/out.txt", encoding: .utf8) == "hello\n")
        #expect(try ChildProcess.run("/bin/sh", ["-c", "exit 3"]).status == 3)
        #expect(try ChildProcess.run("/bin/sh", ["-c", "kill -9 $$"]).status == 128 + 9)
    }

    @Test func tablesLineUpAndNumbersAreGrouped() {
        #expect(BenchmarkReport.columns([["a", "bb"], ["ccc", "d"]]) == "  a    bb\n  ccc  d\n")
        #expect(BenchmarkReport.grouped(9272) == "9,272")
        #expect(BenchmarkReport.grouped(1_234_567) == "1,234,567")
        #expect(BenchmarkReport.grouped(999) == "999")
    }
}
