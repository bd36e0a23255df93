import Foundation
import HandraiserKit
import Testing

@Suite struct PipelineTests {
    static func file(_ name: String, _ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-pipeline-\(getpid())-\(name)")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static let records = """
        {"id": "1", "post_id": "a", "post_title": "On rye", "content": "How long do you proof the rye dough?"}
        {"id": "2", "post_id": "b", "content": "Check out my channel and subscribe!!! http://video.example/me"}
        {"id": "3", "post_id": "a", "content": "Thanks, the starter tips worked for me."}
        not a record

        """

    @Test func aStreamedScanGivesTheSameVerdictsAsAnInMemoryOne() throws {
        let path = try Self.file("stream.jsonl", Self.records)
        let handraiser = try Handraiser(settings: RunSettings())
        struct Collect: ScanObserver {
            var verdicts: [String: VerdictKind] = [:]
            var unreadable: [Int] = []
            var formats: [InputFormat] = []
            mutating func input(_ source: String, format: InputFormat) { formats.append(format) }
            mutating func thread(_ thread: ClassifiedThread, source: String) {
                for item in thread.comments { verdicts[item.comment.id] = item.verdict.kind }
            }
            mutating func unreadable(_ record: UnreadableRecord, source: String) {
                unreadable.append(record.location.line ?? 0)
            }
        }
        var streamed = Collect()
        try handraiser.streamScan(path, into: &streamed)
        let whole = try handraiser.scan(path)
        var expected: [String: VerdictKind] = [:]
        for item in whole.threads.flatMap(\.comments) { expected[item.comment.id] = item.verdict.kind }
        #expect(streamed.verdicts == expected)
        #expect(streamed.verdicts.count == 3)
        #expect(streamed.unreadable == [4])
        #expect(streamed.formats == [.jsonl])
    }

    @Test func filterRoutesEveryRecordOnceInInputOrder() throws {
        let path = try Self.file("filter.jsonl", Self.records)
        let handraiser = try Handraiser(settings: RunSettings())
        let input = try handraiser.load(path)
        let threads = handraiser.classifier.classify(input.threads)
        var kept: [String] = []
        var rejected: [String] = []
        let tally = FilterRun(keep: [.genuine]).run(
            threads: threads, unreadable: input.unreadable, kept: { kept.append($0) }, rejected: { rejected.append($0) }
        )
        #expect(tally.total == 4)
        #expect(tally.unreadable == 1)
        #expect(kept.count + rejected.count == 4)
        #expect(kept.allSatisfy { $0.contains(#""verdict":"genuine""#) })
        // Input order is kept across threads: record 1 (post a) before record 3 (post a) and the bad line last.
        let order = (kept + rejected).compactMap { line -> Int? in
            line.range(of: #"{"id":""#).flatMap { Int(String(line[$0.upperBound...].prefix(1))) }
        }
        #expect(order.filter { [1, 3].contains($0) } == [1, 3])
        #expect(rejected.last?.contains(#""verdict":"unreadable""#) == true)
    }

    /// The streamed filter (two passes over JSON Lines, batches of records) must write exactly
    /// what reading the input whole writes: the same records, verdicts, reasons and order.
    @Test(arguments: [1, 4]) func aStreamedFilterWritesWhatAWholeReadWrites(workers: Int) throws {
        // Post fields on a later record of the post, a reply, a near-duplicate under two names,
        // a bad line between records, and enough records to fill several batches.
        var lines = [
            #"{"id": "r1", "post_id": "p", "content": "How do you keep the starter alive in winter? Mine dies every year."}"#,
            #"{"id": "r2", "post_id": "p", "parent_id": "r1", "author": "Ada", "content": "Warm spot by the oven."}"#,
            "{broken",
            #"{"id": "r3", "post_id": "p", "post_title": "Rye starters", "post_author": "Ada", "post_text": "A rye starter wants warmth, rye flour and patience over winter.", "content": "Thanks!"}"#,
        ]
        let template = "Great post, very informative and well written, I will bookmark your blog and visit again soon"
        for index in 0..<40 {
            let name = index % 3 == 0 ? "Seo Expert \(index)" : "Reader \(index)"
            let text = index % 3 == 0 ? template : "Reply number \(index) about rye flour and winter warmth"
            lines.append(
                #"{"id": "n\#(index)", "post_id": "q\#(index % 7)", "author": "\#(name)", "content": "\#(text)"}"#)
        }
        let path = try Self.file("stream-filter-\(workers).jsonl", lines.joined(separator: "\n") + "\n")
        let handraiser = try Handraiser(settings: RunSettings(workers: workers))
        let run = FilterRun(keep: [.genuine, .held])

        var streamedKept: [String] = []
        var streamedRejected: [String] = []
        var noticed: [Int] = []
        let streamed = try handraiser.streamFilter(
            path, run: run, kept: { streamedKept.append($0) }, rejected: { streamedRejected.append($0) },
            noticed: { noticed.append($0.location.line ?? 0) }, batchSize: 8)

        let input = try handraiser.load(path)
        var wholeKept: [String] = []
        var wholeRejected: [String] = []
        let whole = run.run(
            threads: handraiser.classifier.classify(input.threads), unreadable: input.unreadable,
            kept: { wholeKept.append($0) }, rejected: { wholeRejected.append($0) })

        #expect(streamed == whole)
        #expect(streamed.total == lines.count)
        #expect(streamedKept == wholeKept)
        #expect(streamedRejected == wholeRejected)
        #expect(noticed == [3])
        #expect((streamedKept + streamedRejected).contains { $0.contains("HC_NEAR_DUPLICATE") })
    }

    /// The link index is built in the streamed filter's first pass like the near-duplicate one:
    /// a shop page given as the website under rotating names on different posts is seen
    /// across batches, and every record still comes out once, as a whole read writes it.
    @Test(arguments: [1, 2]) func aStreamedFilterSeesOnePageUnderSeveralNames(workers: Int) throws {
        var lines: [String] = []
        for index in 0..<24 {
            let campaign = index % 6 == 0
            let name = campaign ? ["Kim Ray", "Lou Ortega", "Mo Said", "Ned Park"][index / 6] : "Reader \(index)"
            let url = campaign ? "http://boots.example/cheap-boots-\(index / 6 % 2).php" : "http://me\(index).example/"
            lines.append(
                #"{"id": "c\#(index)", "post_id": "p\#(index % 5)", "author": "\#(name)", "author_url": "\#(url)", "content": "Comment \#(index) about rye"}"#
            )
        }
        let path = try Self.file("shared-site-\(workers).jsonl", lines.joined(separator: "\n") + "\n")
        let handraiser = try Handraiser(settings: RunSettings(workers: workers))
        let run = FilterRun(keep: Set(VerdictKind.allCases), annotateAll: true)
        var streamed: [String] = []
        let tally = try handraiser.streamFilter(
            path, run: run, kept: { streamed.append($0) }, rejected: { streamed.append($0) }, batchSize: 4)
        let input = try handraiser.load(path)
        var whole: [String] = []
        _ = run.run(
            threads: handraiser.classifier.classify(input.threads), unreadable: input.unreadable,
            kept: { whole.append($0) }, rejected: { whole.append($0) })
        #expect(tally.total == lines.count)
        #expect(streamed == whole)
        // c0 and c12 give one page, c6 and c18 another: each shares it with one other name.
        let flagged = streamed.filter { $0.contains("HC_SHARED_SITE_NAMES") }.compactMap { line in
            line.range(of: #"{"id":""#).map { String(line[$0.upperBound...].prefix { $0 != "\"" }) }
        }
        #expect(Set(flagged) == ["c0", "c6", "c12", "c18"])
    }

    @Test func filterPassesThePostTextOnAsGiven() throws {
        let line = #"{"id": "1", "post_id": "a", "post_text": "<p>Rye &amp; spelt\u00e9</p>", "content": "Lovely."}"#
        let path = try Self.file("post-text.jsonl", line + "\n")
        let handraiser = try Handraiser(settings: RunSettings())
        var out: [String] = []
        _ = try handraiser.streamFilter(
            path, run: FilterRun(annotateAll: true), kept: { out.append($0) }, rejected: { _ in })
        #expect(out.count == 1)
        #expect(out.first?.contains(#""post_text":"<p>Rye &amp; spelt\u00e9</p>""#) == true)
    }

    @Test func textWithAFewBrokenBytesIsStillSniffedByItsShape() throws {
        var bytes = Array(#"{"id": "1", "content": "caf"#.utf8)
        bytes += [0xE9]  // Latin-1 é
        bytes += Array("\"}\n".utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-pipeline-\(getpid())-latin1.jsonl")
        try Data(bytes).write(to: url)
        let input = try InputLoader.load(InputSource(name: url.path))
        #expect(input.format == .jsonl)
        #expect(input.unreadable.count == 1)
    }
}
