import Foundation
import HandraiserInput
import HandraiserModel
import Testing

@Suite struct JSONLReaderTests {
    func read(_ text: String, authorNames: [String] = []) throws -> CollectingSink {
        var sink = CollectingSink()
        try JSONLReader().read(
            ByteReader(bytes: Array(text.utf8), name: "in.jsonl"), options: ReadOptions(authorNames: authorNames),
            into: &sink)
        return sink
    }

    /// A line over the limit is read past, not held, and reported unreadable with its line and
    /// the start of its text; the records around it are read, in memory and from a file, whole
    /// and streamed (the second pass reports it once more, as the first did), also as the last
    /// line without a line end.
    @Test(arguments: [false, true]) func aLineOverTheLimitIsUnreadableAndReadingGoesOn(fromFile: Bool) throws {
        let long = #"{"id": "2", "post_id": "p", "content": ""# + String(repeating: "x", count: 5000) + #""}"#
        let text = [
            #"{"id": "1", "post_id": "p", "content": "before"}"#, long,
            #"{"id": "3", "post_id": "p", "content": "after"}"#, long,
        ].joined(separator: "\n")
        let bytes = Array(text.utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-long-line-\(getpid())-\(fromFile).jsonl")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        func reader() throws -> ByteReader {
            fromFile ? try InputSource(name: url.path).open() : ByteReader(bytes: bytes, name: url.path)
        }
        let jsonl = JSONLReader(maximumLineLength: 1000)
        var whole = CollectingSink()
        try jsonl.read(try reader(), options: ReadOptions(), into: &whole)
        #expect(whole.threads.flatMap(\.comments).map(\.id) == ["1", "3"])
        #expect(whole.unreadable.map(\.location.line) == [2, 4])
        #expect(whole.unreadable.map(\.location.byteOffset) == [49, 49 + long.utf8.count + 1 + 48])
        let first = try #require(whole.unreadable.first)
        #expect(first.message == "the line is longer than 1000 bytes, the limit for one record; it is skipped")
        #expect(first.raw.hasPrefix(#"{"id": "2", "post_id": "p", "content": "xxx"#))
        #expect(first.raw.hasSuffix("…"))
        #expect(first.raw.utf8.count < 1100)

        var locating = JSONLLayoutSink()
        try jsonl.readRecords(try reader(), options: ReadOptions(), into: &locating)
        var streamed = CollectingSink()
        try jsonl.readThreads(try reader(), layout: locating.layout, options: ReadOptions(), into: &streamed)
        #expect(streamed.threads == whole.threads)
        #expect(streamed.unreadable == whole.unreadable)
    }

    @Test func readsTheInterchangeFieldsAndGroupsByPost() throws {
        let sink = try read(
            """
            {"id": "1", "post_id": "p1", "post_title": "On gardens", "post_author": "Ana Ruiz", "author": "Ben", "content": "<p>Tomatoes &amp; basil!</p>", "label": "ham", "replied": true, "status": "approved"}
            {"id": 2, "post_id": "p2", "author": "Cy", "content": "Other post", "type": "pingback"}
            {"id": "3", "parent_id": "1", "post_id": "p1", "author": "ana ruiz", "content": "Thanks, Ben", "by_post_author": true, "rating": {"stars": 5}}
            """)
        #expect(sink.unreadable.isEmpty)
        #expect(sink.threads.map { $0.post.id } == ["p1", "p2"])
        let garden = sink.threads[0]
        #expect(garden.post.title == "On gardens")
        #expect(garden.comments.map(\.id) == ["1", "3"])
        let first = garden.comments[0]
        #expect(first.content == "<p>Tomatoes &amp; basil!</p>")
        #expect(first.text == "Tomatoes & basil!")
        #expect(first.labels == EvaluationLabels(label: .ham, replied: true))
        #expect(first.status == .approved)
        #expect(first.location == SourceLocation(file: "in.jsonl", line: 1, byteOffset: 0))
        let reply = garden.comments[1]
        #expect(reply.parentID == "1")
        #expect(reply.authorship?.isPostAuthor == true)
        #expect(reply.extraFields == [ExtraField(name: "rating", json: #"{"stars": 5}"#)])
        #expect(reply.labels.byPostAuthor == true)
        #expect(sink.threads[1].comments[0].id == "2")
        #expect(sink.threads[1].comments[0].type == .pingback)
    }

    /// A sink that does not read post texts and extra fields is handed `""` for a post text that
    /// is there (nil for one that is not) and no extra fields; everything else reads as for any sink.
    @Test func aSinkThatNeedsNoPostTextGetsOnlyItsPresence() throws {
        let text = """
            {"id": "1", "post_id": "p1", "post_text": "<p>A post &amp; more</p>", "content": "<b>Hi</b>", "mood": 3}
            {"id": "2", "parent_id": "1", "post_id": "p1", "author": "Cy", "content": "Hello", "extra": [1, 2]}
            not json
            """
        struct Recording: RecordSink {
            var needsPostTextAndExtraFields: Bool
            var records: [(HandraiserModel.Comment, Post)] = []
            var unreadable: [UnreadableRecord] = []
            mutating func record(_ comment: HandraiserModel.Comment, post: Post) { records.append((comment, post)) }
            mutating func unreadable(_ record: UnreadableRecord) { unreadable.append(record) }
        }
        var full = Recording(needsPostTextAndExtraFields: true)
        var light = Recording(needsPostTextAndExtraFields: false)
        let reader = { ByteReader(bytes: Array(text.utf8), name: "m") }
        try JSONLReader().readRecords(reader(), options: ReadOptions(), into: &full)
        try JSONLReader().readRecords(reader(), options: ReadOptions(), into: &light)
        #expect(full.records.map { $0.1.text } == ["A post & more", nil])
        #expect(light.records.map { $0.1.text } == ["", nil])
        #expect(full.records.map { $0.0.extraFields.map(\.name) } == [["post_text", "mood"], ["extra"]])
        #expect(light.records.map { $0.0.extraFields.count } == [0, 0])
        var stripped = full.records.map { $0.0 }
        for index in stripped.indices { stripped[index].extraFields = [] }
        #expect(light.records.map { $0.0 } == stripped)
        #expect(light.records.map { $0.1.id } == full.records.map { $0.1.id })
        #expect(light.unreadable == full.unreadable)
        #expect(light.unreadable.count == 1)
    }

    @Test func badLinesAreReportedWithTheirPlaceAndReadingGoesOn() throws {
        let sink = try read(
            """
            {"id": "1", "content": "fine"}
            {"id": "2", "content": "broken
            not json at all

            {"id": "4"}
            {"id": "5", "content": "also fine"}
            """)
        #expect(sink.threads.flatMap(\.comments).map(\.id) == ["1", "5"])
        #expect(sink.unreadable.map(\.location.line) == [2, 3, 5])
        #expect(sink.unreadable[0].message.contains("not JSON") || sink.unreadable[0].message.contains("JSON object"))
        #expect(sink.unreadable[1].location.column == 1)
        #expect(sink.unreadable[2].message == "the record has no \"content\" field")
        #expect(sink.unreadable[2].raw == #"{"id": "4"}"#)
    }

    @Test func invalidUTF8InAStringIsAnUnreadableRecordNotACrash() throws {
        var bytes = Array(#"{"id": "1", "content": "bad "#.utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\"}\n".utf8)
        var sink = CollectingSink()
        try JSONLReader().read(ByteReader(bytes: bytes, name: "x"), options: ReadOptions(), into: &sink)
        #expect(sink.threads.isEmpty)
        #expect(sink.unreadable.count == 1)
    }

    /// Bad UTF-8 anywhere in a string (with or without escapes before it) is refused with the
    /// string's offset, never repaired into a different text; good multibyte text reads as it is.
    @Test(
        arguments: [
            [0xFF], [0xC0, 0x80], [0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        ] as [[UInt8]], [false, true])
    func invalidUTF8IsRefusedWhereverItStands(bad: [UInt8], afterAnEscape: Bool) {
        let escape = afterAnEscape ? Array(#"\n"#.utf8) : []
        let json = Array(#"{"a": "ok "#.utf8) + escape + bad + Array(#"x"}"#.utf8)
        do {
            _ = try JSONParser.parseObjectMembers(ArraySlice(json))
            Issue.record("bad UTF-8 was read")
        } catch {
            #expect(error.offset == 7)
            #expect(error.message == "the string is not valid UTF-8")
        }
        let good = Array(#"{"a": "é 😀 "#.utf8) + escape + Array(#"ü"}"#.utf8)
        let value = try? JSONParser.parseObjectMembers(ArraySlice(good)).first?.value
        #expect(value == .string(afterAnEscape ? "é 😀 \nü" : "é 😀 ü"))
    }

    @Test(arguments: [
        (#"{"a": "\u00e9\ud83d\ude00"}"#, "é😀"),
        (#"{"a": "tab\there\nnl"}"#, "tab\there\nnl"),
        (#"{"a": "\ud800x"}"#, "\u{FFFD}x"),
    ])
    func stringEscapes(json: String, expected: String) throws {
        let members = try JSONParser.parseObjectMembers(ArraySlice(json.utf8))
        #expect(members.first?.value == .string(expected))
    }

    /// Strings as Foundation writes them (escaped quotes, backslashes, slashes and control
    /// characters among plain runs and non-ASCII text) read back as they were; a raw control
    /// character is refused where it stands.
    @Test func randomStringsReadBackAsFoundationWroteThem() throws {
        var random = SplitMix64(seed: 5)
        let pieces = [
            "a", "plain run ", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "é", "😀", "\u{2028}", "日本", "<p>",
        ]
        for _ in 0..<1_000 {
            let text = (0..<Int(random.next() % 16)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            let json = try JSONSerialization.data(withJSONObject: ["a": text])
            let members = try JSONParser.parseObjectMembers(ArraySlice(json))
            #expect(members.first?.value == .string(text), "text \(text.debugDescription)")
        }
        let raw = Array(#"{"a": "long plain text "#.utf8) + [0x01] + Array(#" more"}"#.utf8)
        do {
            _ = try JSONParser.parseObjectMembers(ArraySlice(raw))
            Issue.record("a raw control character was accepted")
        } catch {
            #expect(error.offset == 23)
            #expect(error.message == "a control character must be escaped inside a string")
        }
    }

    @Test func deepNestingIsRefused() {
        let json = #"{"a": "# + String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000) + "}"
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parseObjectMembers(ArraySlice(json.utf8)) }
    }

    @Test func readsEveryCorpusFileWithoutError() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../../shared/corpus"
        ).standardized
        guard
            let files = try? FileManager.default.contentsOfDirectory(atPath: corpus.path).filter({
                $0.hasSuffix(".jsonl")
            }), !files.isEmpty
        else {
            print("skipped: no dev corpus at \(corpus.path)")
            return
        }
        for file in files {
            var sink = CollectingSink()
            try JSONLReader().read(
                try InputSource(name: corpus.appendingPathComponent(file).path).open(), options: ReadOptions(),
                into: &sink)
            #expect(sink.unreadable.isEmpty, "\(file): \(sink.unreadable.first?.description ?? "")")
            #expect(sink.threads.flatMap(\.comments).count > 100)
        }
    }
}

extension UnreadableRecord: CustomStringConvertible {
    public var description: String { "\(location): \(message)" }
}
