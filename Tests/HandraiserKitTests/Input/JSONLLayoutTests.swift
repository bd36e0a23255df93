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

    /// Past `memoryRuns` runs they go to a temporary file: the count is the same.
    @Test(arguments: [1 << 16, 1, 2]) func interleavedRecordsAndBadLinesBreakRuns(memoryRuns: Int) {
        var layout = JSONLLayout(memoryRuns: memoryRuns)
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

    /// Reading back from memory (a reader over bytes seeks too) gives the grouping reader's
    /// threads, with the layout's runs in memory or in its temporary file.
    @Test(arguments: [1 << 16, 1]) func threadsReadBackEqualTheGroupingReader(memoryRuns: Int) throws {
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
        locating.layout = JSONLLayout(memoryRuns: memoryRuns)
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

    /// A thread longer than `partComments` comes in parts that add up to the whole thread: the
    /// post fields of a later record on every part, authorship decided as for the whole, and each
    /// reply's parent (the first comment of that id, in whichever part it stands, even after the
    /// reply or behind the byte-order mark) brought along. In memory and from a file, with the
    /// layout's runs in memory or spilled to its temporary file at every run.
    @Test(arguments: [false, true], [1 << 16, 1])
    func aLongThreadComesInPartsThatAddUpToTheWhole(fromFile: Bool, memoryRuns: Int) throws {
        let text =
            "\u{FEFF}"
                + """
                {"id": "1", "post_id": "a", "content": "first"}
                {"id": "2", "post_id": "b", "content": "another post"}
                {"id": "3", "post_id": "a", "parent_id": "10", "content": "replies to a later one"}
                {"id": "4", "post_id": "a", "author": "Ann", "content": "by the author"}
                {"id": "1", "post_id": "a", "content": "a second record with id 1"}
                oops
                {"id": "6", "post_id": "a", "parent_id": "1", "content": "replies to the first"}\r
                {"id": "7", "post_id": "a", "post_title": "A", "post_author": "Ann", "content": "post fields late"}

                {"id": "8", "post_id": "a", "parent_id": "6", "content": "replies to its neighbour"}
                {"id": "10", "post_id": "a", "parent_id": "404", "content": "a parent after its reply"}
                """
        let bytes = Array(text.utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-parts-\(getpid())-\(fromFile)-\(memoryRuns).jsonl")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        func reader() throws -> ByteReader {
            fromFile ? try InputSource(name: url.path).open() : ByteReader(bytes: bytes, name: url.path)
        }
        var expected = CollectingSink()
        try JSONLReader().read(try reader(), options: ReadOptions(), into: &expected)
        var locating = JSONLLayoutSink()
        locating.layout = JSONLLayout(memoryRuns: memoryRuns)
        try JSONLReader().readRecords(try reader(), options: ReadOptions(), into: &locating)
        var actual = CollectingSink()
        try JSONLReader().readThreads(
            try reader(), layout: locating.layout, options: ReadOptions(workers: 2), partComments: 3, into: &actual)

        let whole = try #require(expected.threads.first)
        #expect(whole.comments.count == 8)
        let parts = Array(actual.threads.prefix(3))
        #expect(parts.map { $0.part?.index } == [0, 1, 2])
        #expect(parts.map { $0.part?.isLast } == [false, false, true])
        #expect(parts.allSatisfy { $0.post == whole.post && $0.post.title == "A" && $0.part?.longestID == "10" })
        #expect(parts.flatMap(\.comments) == whole.comments)
        #expect(parts.flatMap(\.comments).filter { $0.authorship?.isPostAuthor == true }.map(\.id) == ["4"])
        for part in parts {
            var wanted: [HandraiserModel.Comment] = []
            for reply in part.comments {
                guard let id = reply.parentID, let parent = whole.comments.first(where: { $0.id == id }),
                    !wanted.contains(where: { $0.id == id })
                else { continue }
                wanted.append(parent)
            }
            #expect(part.part?.parents == wanted)
        }
        #expect(parts[1].part?.parents.map(\.content) == ["first"])
        #expect(Array(actual.threads.dropFirst(3)) == Array(expected.threads.dropFirst()))
        #expect(actual.threads.last?.part == nil)
        #expect(actual.unreadable == expected.unreadable)
    }

    /// After a line far longer than a chunk, a file reader lets the line's storage go and still
    /// reads the lines after it, with their numbers and offsets.
    @Test func aFileReaderReadsOnAfterALongLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("handraiser-long-\(getpid()).txt")
        let long = String(repeating: "x", count: 3 << 20)
        try Data(("first\n" + long + "\nthird\r\nfourth").utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try InputSource(name: url.path).open()
        #expect(try reader.nextLineBytes().map { Array($0) } == Array("first".utf8))
        #expect(try reader.nextLineBytes()?.count == long.utf8.count)
        #expect(reader.lineNumber == 3)
        #expect(reader.offset == 6 + long.utf8.count + 1)
        #expect(try reader.nextLineBytes().map { Array($0) } == Array("third".utf8))
        #expect(try reader.nextLineBytes().map { Array($0) } == Array("fourth".utf8))
        #expect(try reader.nextLineBytes() == nil)
    }

    /// Lines of every length around the chunk size, some ending in `\r\n`, some blank, read from a
    /// file come back as the text splits them: the search for a line's end goes on where it
    /// stopped when the buffer moves and grows.
    @Test func linesAcrossChunkBoundariesReadBackWhole() throws {
        var generator = SplitMix64(seed: 7)
        var lines: [String] = []
        var text = ""
        for number in 0..<400 {
            let length = Int(generator.next() % UInt64(ByteReader.chunkSize / 20))
            let line = String(repeating: Character(Unicode.Scalar(UInt8(97 + number % 26))), count: length)
            lines.append(line)
            text += line + (generator.next() % 3 == 0 ? "\r\n" : "\n")
        }
        text += "last"
        lines.append("last")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("handraiser-chunks-\(getpid()).txt")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try InputSource(name: url.path).open()
        var read: [String] = []
        while let line = try reader.nextLineBytes() { read.append(String(decoding: line, as: UTF8.self)) }
        #expect(read == lines)
        #expect(reader.offset == text.utf8.count)
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
