import Foundation
import HandraiserInput
import HandraiserModel
import Testing

@Suite struct JSONLLayoutTests {
    static func location(_ line: Int, _ offset: Int) -> HandraiserModel.SourceLocation {
        HandraiserModel.SourceLocation(file: "x.jsonl", line: line, byteOffset: offset)
    }

    @Test func recordsOfAPostThatStandTogetherMakeOneRun() {
        var layout = JSONLLayout()
        for line in 1...5 { layout.record(key: "a", at: Self.location(line, line * 10)) }
        for line in 6...8 { layout.record(key: "b", at: Self.location(line, line * 10)) }
        #expect(layout.threadCount == 2)
        #expect(layout.runTotal == 2)
    }

    @Test func interleavedRecordsAndBadLinesBreakRuns() {
        var layout = JSONLLayout()
        layout.record(key: "a", at: Self.location(1, 0))
        layout.record(key: "b", at: Self.location(2, 10))
        layout.record(key: "a", at: Self.location(3, 20))
        layout.unreadable(at: Self.location(4, 30))
        layout.record(key: "a", at: Self.location(5, 40))
        layout.record(key: "a", at: Self.location(6, 50))
        #expect(layout.threadCount == 2)
        #expect(layout.runTotal == 4)
        #expect(layout.unreadable.map(\.line) == [4])
    }

    /// Reading back from memory (a reader over bytes seeks too) gives the grouping reader's threads.
    @Test func threadsReadBackEqualTheGroupingReader() throws {
        let text = """
            {"id": "1", "post_id": "a", "content": "one"}
            {"id": "2", "post_id": "b", "post_title": "B", "content": "two"}
            oops

            {"id": "3", "post_id": "a", "post_title": "A", "post_author": "Ann", "content": "three"}\r
            {"id": "4", "post_id": "a", "author": "Ann", "content": "four"}
            """
        let bytes = Array(text.utf8)
        var expected = CollectingSink()
        try JSONLReader().read(ByteReader(bytes: bytes, name: "m"), options: ReadOptions(), into: &expected)
        var locating = JSONLLayoutSink()
        try JSONLReader().readRecords(ByteReader(bytes: bytes, name: "m"), options: ReadOptions(), into: &locating)
        var actual = CollectingSink()
        try JSONLReader().readThreads(
            ByteReader(bytes: bytes, name: "m"), layout: locating.layout, options: ReadOptions(workers: 2),
            into: &actual)
        #expect(actual.threads == expected.threads)
        #expect(actual.unreadable == expected.unreadable)
        #expect(actual.threads.map(\.post.title) == ["A", "B"])
        #expect(actual.threads[0].comments.last?.authorship?.isPostAuthor == true)
    }

    @Test func aReaderSeeksBackAndForthInAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("handraiser-seek-\(getpid()).txt")
        try Data("first\nsecond\r\nthird\n".utf8).write(to: url)
        let reader = try InputSource(name: url.path).open()
        _ = try reader.nextLineBytes()
        try reader.seek(toOffset: 14, lineNumber: 3)
        #expect(try reader.nextLineBytes().map { Array($0) } == Array("third".utf8))
        try reader.seek(toOffset: 6, lineNumber: 2)
        #expect(reader.lineNumber == 2)
        #expect(try reader.nextLineBytes().map { Array($0) } == Array("second".utf8))
        #expect(reader.offset == 14)
        #expect(reader.lineNumber == 3)
    }
}
