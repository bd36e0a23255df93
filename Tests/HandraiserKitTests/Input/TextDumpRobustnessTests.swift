import HandraiserInput
import HandraiserModel
import Testing

/// Bad, odd and large input: never a crash, never garbage comments.
@Suite struct TextDumpRobustnessTests {
    @Test(arguments: ["", "\n\n", "   \n\t\n", "\u{FEFF}"])
    func emptyInputIsAnError(_ text: String) {
        #expect(throws: InputError.empty(file: "dump.txt")) { try DumpFixtures.parse(text) }
    }

    @Test func nulBytesAreRefusedWithTheirLine() {
        let bytes = Array("Title\n\nSome text\n".utf8) + [0x50, 0x4B, 0x00, 0x03, 0x04]
        #expect(
            throws: InputError.malformed(
                SourceLocation(file: "x.bin", line: 4, column: 3, byteOffset: 19),
                message: "binary data (a NUL byte), not a text dump")
        ) {
            try TextDumpReader.parse(bytes, file: "x.bin")
        }
    }

    @Test func utf16IsRefusedWithAHint() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "Title\n\n3 Comments\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        do {
            _ = try TextDumpReader.parse(bytes, file: "w.txt")
            Issue.record("UTF-16 was read as a dump")
        } catch {
            #expect(error.description.contains("UTF-16"))
            #expect(error.description.hasPrefix("w.txt:1"))
        }
        // Without a byte order mark the NULs between letters give it away.
        do {
            _ = try TextDumpReader.parse(Array(bytes.dropFirst(2)), file: "w.txt")
            Issue.record("UTF-16 was read as a dump")
        } catch {
            #expect(error.description.contains("UTF-16"))
        }
    }

    @Test func controlCharacterNoiseIsRefused() {
        let bytes = (0..<400).map { UInt8(truncatingIfNeeded: $0 * 7 % 32 == 0 ? 65 : $0 * 7 % 32) }
        #expect(throws: InputError.self) { try TextDumpReader.parse(bytes, file: "noise") }
    }

    @Test func invalidUTF8IsReplacedAndNoted() throws {
        var bytes = Array("A Post\n\nBody text.\n\n2 Comments\n\n  1. Caf".utf8)
        bytes += [0xE9]  // Latin-1 é
        bytes += Array(" au lait, merci!\n\n  2. Fine ".utf8) + [0xC3, 0x28] + Array(" here.\n".utf8)
        let thread = try TextDumpReader.parse(bytes, file: "latin.txt")
        #expect(thread.comments.map(\.text) == ["Caf\u{FFFD} au lait, merci!", "Fine \u{FFFD}( here."])
        let note = try #require(thread.notes.first { $0.code == "invalid-utf8" })
        #expect(note.severity == .warning)
        #expect(note.location?.line == 7)
        #expect(note.message.contains("1 more line"))
    }

    @Test func headerPromisingFewerThanFoundIsNoted() throws {
        let thread = try DumpFixtures.parse(
            """
            A Post

            Body.

            One Response

              1. First comment here.

              2. Second comment here.
            """)
        #expect(thread.comments.count == 2)
        #expect(thread.promisedCommentCount == 1)
        let note = try #require(thread.notes.first { $0.code == "extra-comments" })
        #expect(note.message == "header promises 1 comment; the dump holds 2")
        #expect(note.location?.line == 5)
    }

    @Test func bylineCountStandsInForAMissingSection() throws {
        let thread = try DumpFixtures.parse(
            """
            A Post
            By Ana Lima | June 1, 2020 | 4 Comments

            The body of the post, without the comments it promises.
            """)
        #expect(thread.comments.isEmpty)
        #expect(thread.promisedCommentCount == 4)
        #expect(thread.notes.contains { $0.code == "missing-comments" && $0.message.hasSuffix("the dump holds 0") })
    }

    @Test func sectionWithoutHeaderIsFoundByItsAuthorLines() throws {
        let thread = try DumpFixtures.parse(
            """
            A Post

            The body of the post.

            Kofi Mensah says:
            May 2, 2020 at 3:04 pm
            Thanks, this settled an argument at work.
            Reply
            Ines Duarte says:
            May 3, 2020 at 9:30 am
            Same here.
            Reply
            """)
        #expect(thread.comments.map(\.author) == ["Kofi Mensah", "Ines Duarte"])
        #expect(thread.comments.map(\.text) == ["Thanks, this settled an argument at work.", "Same here."])
        #expect(thread.post.text == "The body of the post.")
        #expect(thread.notes.contains { $0.code == "comment-section-guessed" && $0.location?.line == 5 })
    }

    @Test func listsInsideCommentsKeepTheirLines() throws {
        let thread = try DumpFixtures.parse(
            """
            A Post

            Body.

            2 Comments

            Mira Kovač says:
            My three tips:
            - water early
            - mulch thick
            and never dig wet clay.
            Reply
            Pingback: Garden Notes » April
            """)
        #expect(thread.comments.count == 2)
        #expect(thread.comments[0].text == "My three tips:\n- water early\n- mulch thick and never dig wet clay.")
        #expect(thread.comments[0].content == "My three tips:\n- water early\n- mulch thick\nand never dig wet clay.")
        #expect(thread.comments[1].type == .pingback)
    }

    /// A comment of `size` bytes, as one line or hard-wrapped into about 70-column lines.
    static func hugeComment(bytes size: Int, wrapped: Bool) -> String {
        let sentence = "Garlic likes a sunny bed, loose soil and a thick straw mulch over winter. "
        var body = ""
        body.reserveCapacity(size + size / 8)
        var column = 0
        while body.utf8.count < size {
            body += sentence
            column += sentence.utf8.count
            if wrapped && column > 60 {
                body += "\n    "
                column = 0
            }
        }
        return "A Post\n\nBody.\n\n1 Comment\n\n  1. " + body + "\n\nLeave a Reply\n"
    }

    @Test(arguments: [true, false]) func fiveMegabyteCommentReadsFast(_ wrapped: Bool) throws {
        let clock = ContinuousClock()
        let small = Self.hugeComment(bytes: 625_000, wrapped: wrapped)
        let smallTime = try clock.measure { _ = try DumpFixtures.parse(small) }
        let text = Self.hugeComment(bytes: 5_000_000, wrapped: wrapped)
        var thread: Thread?
        let elapsed = try clock.measure { thread = try DumpFixtures.parse(text) }
        let comments = try #require(thread).comments
        #expect(comments.count == 1)
        #expect(comments.first?.text.utf8.count ?? 0 >= 4_500_000)
        // Eight times the input may take about eight times as long, never the 64 of quadratic work.
        // A ratio, not a time limit: it holds on a loaded machine as on an idle one.
        #expect(elapsed < smallTime * 20 + .milliseconds(200), "5 MB took \(elapsed), 625 kB took \(smallTime)")
    }

    @Test func looksLikeDumpAcceptsTextOnly() {
        #expect(TextDumpReader.looksLikeDump(ArraySlice("Title\n\nBody\n".utf8)))
        #expect(TextDumpReader.looksLikeDump(ArraySlice("Café ☕\n".utf8)))
        #expect(
            !TextDumpReader.looksLikeDump(ArraySlice([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])))
        #expect(!TextDumpReader.looksLikeDump(ArraySlice("  \n\n".utf8)))
    }

    @Test func readsThroughTheStreamingReader() throws {
        let reader = ByteReader(bytes: Array("T\n\nB.\n\n1 Comment\n\n  1. Hello there.\n".utf8), name: "-")
        var sink = CollectingSink()
        try TextDumpReader().read(reader, options: ReadOptions(), into: &sink)
        #expect(sink.threads.first?.comments.first?.location == SourceLocation(file: "-", line: 7, byteOffset: 18))
    }
}
