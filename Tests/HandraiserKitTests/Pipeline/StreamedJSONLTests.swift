import Foundation
import HandraiserKit
import Testing

/// JSON Lines read back by offset: a scan or a filter of interleaved posts gives what one of
/// the same records grouped by post gives, whatever the line ends, byte-order mark or bad lines.
@Suite struct StreamedJSONLTests {
    /// Three posts; post fields on later records; replies after their parents; a template
    /// under several names; long enough comments for the near-duplicate index.
    static func records() -> [(post: String, line: String)] {
        var records: [(post: String, line: String)] = []
        let template = "Great post, very informative and well written, I will bookmark your blog and visit again soon"
        for post in ["a", "b", "c"] {
            for index in 0..<12 {
                let id = "\(post)\(index)"
                var fields = [#""id": "\#(id)""#, #""post_id": "\#(post)""#]
                if index > 0 && index % 4 == 0 { fields.append(#""parent_id": "\#(post)\#(index - 1)""#) }
                if index == 5 {
                    fields.append(#""post_title": "Rye starters \#(post)""#)
                    fields.append(#""post_author": "Ada""#)
                    fields.append(
                        #""post_text": "A rye starter wants warmth, rye flour and patience over the winter months.""#)
                }
                let author = index % 3 == 0 ? "Seo Expert \(index)" : (index == 7 ? "Ada" : "Reader \(index)")
                fields.append(#""author": "\#(author)""#)
                let text =
                    index % 3 == 0
                    ? template : "Reply \(index) on \(post): my rye starter died in the cold winter, warmth helps it"
                fields.append(#""content": "\#(text)""#)
                records.append((post, "{" + fields.joined(separator: ", ") + "}"))
            }
        }
        return records
    }

    /// The same records, one post after another.
    static var grouped: String { records().map(\.line).joined(separator: "\n") + "\n" }

    /// The records dealt out one post at a time (a, b, c, a, b, c, …), with a byte-order mark,
    /// CRLF line ends, blank lines and unreadable lines between them.
    static var interleaved: String {
        let all = records()
        var byPost: [[String]] = [[], [], []]
        for (index, record) in all.enumerated() { byPost[index / 12].append(record.line) }
        var lines: [String] = []
        for index in 0..<12 {
            for post in 0..<3 { lines.append(byPost[post][index]) }
            if index == 2 { lines.append("{\"id\": \"bad\", ") }
            if index == 6 { lines.append("   ") }
            if index == 8 { lines.append(#"{"id": "no-content"}"#) }
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    struct Collect: ScanObserver {
        var threads: [ClassifiedThread] = []
        var unreadable: [UnreadableRecord] = []
        mutating func thread(_ thread: ClassifiedThread, source: String) { threads.append(thread) }
        mutating func unreadable(_ record: UnreadableRecord, source: String) { unreadable.append(record) }
    }

    /// Per comment id: verdict, score and reason ids.
    static func verdicts(_ threads: [ClassifiedThread]) -> [String: String] {
        var verdicts: [String: String] = [:]
        for item in threads.flatMap(\.comments) {
            verdicts[item.comment.id] =
                "\(item.verdict.kind) \(item.verdict.score) \(item.verdict.reasons.map(\.id).joined(separator: ","))"
        }
        return verdicts
    }

    @Test func interleavedPostsScanAsTheSameRecordsGrouped() throws {
        let handraiser = try Handraiser(settings: RunSettings(workers: 2))
        var grouped = Collect()
        try handraiser.streamScan(try PipelineTests.file("grouped.jsonl", Self.grouped), into: &grouped)
        let path = try PipelineTests.file("interleaved.jsonl", Self.interleaved)
        var interleaved = Collect()
        try handraiser.streamScan(path, into: &interleaved)

        #expect(interleaved.threads.map(\.post) == grouped.threads.map(\.post))
        #expect(
            interleaved.threads.map { $0.comments.map(\.comment.id) }
                == grouped.threads.map { $0.comments.map(\.comment.id) })
        #expect(Self.verdicts(interleaved.threads) == Self.verdicts(grouped.threads))
        #expect(Self.verdicts(grouped.threads).count == 36)
        #expect(interleaved.threads.first?.post.title == "Rye starters a")
        #expect(interleaved.unreadable.map(\.location.line) == [10, 30])
        #expect(
            interleaved.threads.flatMap(\.comments).contains { item in
                item.verdict.reasons.contains { $0.id.hasPrefix("HC_NEAR_DUPLICATE") }
            })
    }

    @Test func aStreamedScanOfInterleavedPostsEqualsReadingThemWhole() throws {
        let handraiser = try Handraiser(settings: RunSettings(workers: 2))
        let path = try PipelineTests.file("interleaved-whole.jsonl", Self.interleaved)
        var streamed = Collect()
        try handraiser.streamScan(path, into: &streamed)
        let whole = try handraiser.scan(path)
        #expect(streamed.threads == whole.threads)
        #expect(streamed.unreadable.map(\.location) == whole.unreadable.map(\.0))
    }

    @Test func offsetsSurviveCRLFTheByteOrderMarkAndBadLines() throws {
        let handraiser = try Handraiser(settings: RunSettings())
        let text = Self.interleaved
        let path = try PipelineTests.file("offsets.jsonl", text)
        var streamed = Collect()
        try handraiser.streamScan(path, into: &streamed)
        let bytes = Array(text.utf8)
        let lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        for item in streamed.threads.flatMap(\.comments) {
            let location = item.comment.location
            let offset = try #require(location.byteOffset)
            let line = try #require(location.line)
            // The record's line starts at its offset (after the mark on the first line) and has its number.
            let start = offset == 0 ? 3 : offset
            let rest = String(decoding: bytes[start...].prefix(40), as: UTF8.self)
            #expect(rest.hasPrefix(#"{"id": "\#(item.comment.id)""#))
            #expect(lines[line - 1].contains(#""id": "\#(item.comment.id)""#))
        }
        // The first record, behind the byte-order mark, is read.
        #expect(streamed.threads.flatMap(\.comments).contains { $0.comment.id == "a0" })
    }

    @Test(arguments: [1, 3]) func filterPutsEveryInterleavedRecordOutOnce(workers: Int) throws {
        let handraiser = try Handraiser(settings: RunSettings(workers: workers))
        let path = try PipelineTests.file("filter-interleaved-\(workers).jsonl", Self.interleaved)
        var out: [String] = []
        let tally = try handraiser.streamFilter(
            path, run: FilterRun(keep: [.genuine]), kept: { out.append($0) }, rejected: { out.append($0) },
            batchSize: 5)
        #expect(tally.total == 38)
        #expect(tally.unreadable == 2)
        #expect(out.count == 38)
        let ids = out.compactMap { line -> String? in
            guard line.hasPrefix(#"{"id":""#) else { return nil }
            return String(line.dropFirst(7).prefix { $0 != "\"" })
        }
        #expect(ids.count == 36)
        #expect(Set(ids) == Set(Self.records().map { String($0.line.dropFirst(8).prefix { $0 != "\"" }) }))

        // The same records grouped by post get the same verdicts, post fields and reasons.
        var grouped: [String] = []
        _ = try handraiser.streamFilter(
            try PipelineTests.file("filter-grouped-\(workers).jsonl", Self.grouped), run: FilterRun(keep: [.genuine]),
            kept: { grouped.append($0) }, rejected: { grouped.append($0) }, batchSize: 5)
        #expect(Set(out.filter { $0.hasPrefix(#"{"id":""#) }) == Set(grouped))
    }

    /// CSV too is scanned in two passes, rows read back by offset: the same threads, verdicts
    /// and unreadable rows as reading the file whole.
    @Test func aStreamedScanOfInterleavedCSVEqualsReadingItWhole() throws {
        let handraiser = try Handraiser(settings: RunSettings(workers: 2))
        var rows = ["id,post_id,post_title,author,content"]
        for (index, record) in Self.records().enumerated() {
            let post = record.post
            let text = index % 5 == 0 ? "\"a quoted\nfield, \"\"\(index)\"\"\"" : "plain comment \(index) on \(post)"
            rows.append("\(post)\(index),\(post),\(index == 3 ? "Title \(post)" : ""),Reader \(index % 4),\(text)")
            if index == 7 { rows.append("bad,row") }
        }
        // Interleaved: one row of each post in turn.
        let ordered =
            [rows[0]]
            + rows.dropFirst().enumerated().sorted { ($0.offset % 3, $0.offset) < ($1.offset % 3, $1.offset) }.map(
                \.element)
        let path = try PipelineTests.file("interleaved.csv", ordered.joined(separator: "\n") + "\n")
        var streamed = Collect()
        try handraiser.streamScan(path, into: &streamed)
        let whole = try handraiser.scan(path)
        #expect(streamed.threads == whole.threads)
        #expect(streamed.threads.count == 3)
        #expect(streamed.unreadable.map(\.location) == whole.unreadable.map(\.0))
        #expect(streamed.unreadable.count == 1)
    }

    /// CSV is filtered record by record too: every row out once, in file order (posts
    /// interleaved, post fields on a later row, quoted fields across lines, a broken row), each
    /// exactly as routing the whole file's classified threads writes it.
    @Test(arguments: [1, 5, 4096]) func aStreamedFilterOfInterleavedCSVWritesRowsInFileOrder(batchSize: Int) throws {
        let handraiser = try Handraiser(settings: RunSettings(workers: 2))
        var rows = ["id,post_id,post_title,author,parent_id,content"]
        for (index, record) in Self.records().enumerated() {
            let post = record.post
            let text = index % 5 == 0 ? "\"a quoted\nfield, \"\"\(index)\"\"\"" : "plain comment \(index) on \(post)"
            let parent = index % 4 == 3 ? "\(post)\(index - 3)" : ""
            rows.append(
                "\(post)\(index),\(post),\(index == 3 ? "Title \(post)" : ""),Reader \(index % 4),\(parent),\(text)")
            if index == 7 { rows.append("bad,row") }
        }
        let ordered =
            [rows[0]]
            + rows.dropFirst().enumerated().sorted { ($0.offset % 3, $0.offset) < ($1.offset % 3, $1.offset) }.map(
                \.element)
        let path = try PipelineTests.file("filter-interleaved-\(batchSize).csv", ordered.joined(separator: "\n") + "\n")
        let run = FilterRun(keep: Set(VerdictKind.allCases), annotateAll: true)
        var streamed: [String] = []
        let tally = try handraiser.streamFilter(
            path, run: run, kept: { streamed.append($0) }, rejected: { streamed.append($0) }, batchSize: batchSize)
        let input = try handraiser.load(path)
        var whole: [String] = []
        _ = run.run(
            threads: handraiser.classifier.classify(input.threads), unreadable: input.unreadable,
            kept: { whole.append($0) }, rejected: { whole.append($0) })
        #expect(streamed == whole)
        #expect(tally.total == ordered.count - 1)
        #expect(tally.unreadable == 1)
        // File order, not post order: the rows' ids as they stand.
        let ids = streamed.compactMap { line in
            line.hasPrefix(#"{"id":""#) ? String(line.dropFirst(7).prefix { $0 != "\"" }) : nil
        }
        let rowIDs = ordered.dropFirst().map { String($0.prefix { $0 != "," }) }.filter { $0 != "bad" }
        #expect(ids == rowIDs)
    }

    /// A line too long to hold comes out of `filter` once, as an unreadable record with its line
    /// (in the rejects, or kept with `--annotate`), and every other record comes out too.
    @Test(arguments: [false, true]) func filterReportsALineTooLongToHoldWithItsLine(annotateAll: Bool) throws {
        let handraiser = try Handraiser(settings: RunSettings(workers: 2))
        let long = #"{"id": "long", "post_id": "a", "content": ""# + String(repeating: "y", count: 4000) + #""}"#
        var lines = Self.grouped.split(separator: "\n").map(String.init)
        lines.insert(long, at: 5)
        let path = try PipelineTests.file("filter-long-\(annotateAll).jsonl", lines.joined(separator: "\n") + "\n")
        var kept: [String] = []
        var rejected: [String] = []
        var noticed: [UnreadableRecord] = []
        let run =
            annotateAll ? FilterRun(keep: Set(VerdictKind.allCases), annotateAll: true) : FilterRun(keep: [.genuine])
        let tally = try handraiser.streamFilter(
            path, run: run, kept: { kept.append($0) }, rejected: { rejected.append($0) },
            noticed: { noticed.append($0) }, batchSize: 5, maximumLineLength: 1000)
        #expect(tally.total == 37)
        #expect(tally.unreadable == 1)
        #expect(kept.count + rejected.count == 37)
        #expect(noticed.map(\.location.line) == [6])
        let report = try #require((annotateAll ? kept : rejected).first { $0.contains(#""verdict":"unreadable""#) })
        #expect(report.contains(#""line":6"#))
        #expect(report.contains("the line is longer than 1000 bytes"))
        #expect(!report.contains(String(repeating: "y", count: 1100)))
    }

    /// A post handed over in parts renders byte for byte as the whole post, in every scan
    /// writer: one heading, one table, the post counted once, and each verdict as in the whole
    /// (replies whose parents stand in the part before included).
    @Test func aPostScannedInPartsRendersAsTheWholePost() throws {
        let handraiser = try Handraiser(settings: RunSettings(workers: 2))
        let path = try PipelineTests.file("parts.jsonl", Self.interleaved)
        let writers: [any ScanReportWriter] = [
            ScanTableRenderer(), ScanTableRenderer(showReasons: true), ScanMarkdownRenderer(), ScanHTMLRenderer(),
            ScanCSVRenderer(), ScanJSONLRenderer(),
        ]
        for writer in writers {
            func report(partComments: Int) throws -> (text: String, tally: ScanTally, parts: Int) {
                var text = ""
                var observer = Parts(inner: ReportingObserver(writer: writer, emit: { text += $0 }))
                try handraiser.streamScan(path, partComments: partComments, into: &observer)
                observer.inner.finish()
                return (text, observer.inner.tally, observer.parts)
            }
            let whole = try report(partComments: 100)
            let parts = try report(partComments: 4)
            #expect(whole.parts == 0)
            #expect(parts.parts == 9)
            #expect(parts.text == whole.text)
            #expect(parts.tally == whole.tally)
            #expect(whole.tally.posts == 3)
        }
    }

    /// Counts the parts a scan hands over.
    struct Parts: ScanObserver {
        var inner: ReportingObserver
        var parts = 0
        mutating func input(_ source: String, format: InputFormat) { inner.input(source, format: format) }
        mutating func thread(_ thread: ClassifiedThread, source: String) {
            if thread.thread.part != nil { parts += 1 }
            inner.thread(thread, source: source)
        }
        mutating func unreadable(_ record: UnreadableRecord, source: String) {
            inner.unreadable(record, source: source)
        }
    }
}
