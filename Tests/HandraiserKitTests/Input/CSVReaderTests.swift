import Foundation
import HandraiserInput
import HandraiserModel
import Testing

@Suite struct CSVReaderTests {
    /// Read back by the offsets a first pass noted, the threads and unreadable rows are those of
    /// reading the file whole: posts interleaved, quoted fields over several lines (a record
    /// start is not a line start after one), blank, empty and bad rows, an unterminated quote,
    /// a byte-order mark; in memory and from a file.
    @Test(arguments: [false, true]) func threadsReadBackByOffsetEqualReadingTheFileWhole(fromFile: Bool) throws {
        let text =
            "\u{FEFF}id;post_id;post_title;author;content\r\n"
                + #"""
                1;a;Rye;Ann;"first; with a
                line break and ""quotes"""
                2;b;;Bo;other post

                3;a;;Cy;"three
                lines
                here"
                ;;;;
                4;b;Oats;Di;late title
                5;a;short row
                6;a;;Ed;after the bad row
                7;;;Fi;no post at all
                8;a;;Gu;"never closed
                9;b;;Hu;read on its own
                """#
        let bytes = Array(text.utf8)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "handraiser-csv-offsets-\(getpid())-\(fromFile).csv")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        func reader() throws -> ByteReader {
            fromFile ? try InputSource(name: url.path).open() : ByteReader(bytes: bytes, name: url.path)
        }
        var whole = CollectingSink()
        try CSVReader().read(try reader(), options: ReadOptions(), into: &whole)
        var locating = JSONLLayoutSink()
        try CSVReader().readRecords(try reader(), options: ReadOptions(), into: &locating)
        var streamed = CollectingSink()
        try CSVReader().readThreads(try reader(), layout: locating.layout, options: ReadOptions(), into: &streamed)

        #expect(streamed.threads == whole.threads)
        #expect(streamed.unreadable == whole.unreadable)
        #expect(whole.threads.map { $0.comments.map(\.id) } == [["1", "3", "6"], ["2", "4", "9"], ["7"]])
        #expect(whole.threads.map(\.post.title) == ["Rye", "Oats", "handraiser-csv-offsets-\(getpid())-\(fromFile)"])
        #expect(whole.threads[0].comments[1].content == "three\nlines\nhere")
        #expect(whole.unreadable.map(\.location.line) == [11, 14])
    }

    @Test func readsQuotedFieldsAndGroupsRowsByPost() throws {
        let path = ExportFixtures.path("csv/interchange-quoted.csv")
        let sink = try ExportFixtures.read(CSVReader(), file: path)
        #expect(sink.threads.map(\.post.id) == ["p1", "p2"])
        #expect(sink.threads.map(\.post.title) == ["Sourdough basics", "Rye loaves"])
        #expect(sink.threads.map(\.post.author) == ["Nessa Lowe", "Nessa Lowe"])

        let p1 = sink.threads[0].comments
        #expect(p1.map(\.id) == ["1", "2", "4"])
        #expect(p1[0].content == "Starter question: flour, water, and salt?")
        #expect(p1[0].author == "Duncan")
        #expect(p1[0].authorEmail == "duncan@example.com")
        #expect(p1[0].date == "2021-03-01 10:00")
        #expect(p1[0].status == .approved)
        #expect(p1[0].labels == EvaluationLabels(label: .ham, replied: true, byPostAuthor: nil))
        #expect(p1[0].extraFields == [ExtraField(name: "mood", json: "\"curious\"")])
        #expect(p1[0].location == SourceLocation(file: path, line: 2, column: 1, byteOffset: p1[0].location.byteOffset))
        // A quoted field spanning two CRLF lines, with doubled quotes inside.
        #expect(p1[1].content == "Just flour and water, Duncan.\nSalt goes in the dough, not the \"starter\".")
        #expect(p1[1].parentID == "1")
        #expect(p1[1].type == .comment)
        #expect(p1[1].location.line == 3)
        #expect(
            p1[1].authorship
                == Authorship(
                    isPostAuthor: true, confidence: 0.8, evidence: "the comment's author name is the post author's"))
        #expect(p1[2].type == .pingback)

        let p2 = sink.threads[1].comments
        #expect(p2.map(\.id) == ["3", "6", "8"])
        #expect(p2.map(\.status) == [.spam, .pending, .approved])
        #expect(p2[0].labels.label == .spam)
        #expect(p2[1].labels == EvaluationLabels())
        #expect(p2[1].extraFields == [ExtraField(name: "mood", json: "\"happy, hungry\"")])
        #expect(p2[2].content == "Plain unquoted text")

        // The row with too many fields and the one whose quote never closes are reported;
        // the row after the unclosed quote is still read.
        #expect(sink.unreadable.map(\.location.line) == [7, 10])
        #expect(
            sink.unreadable.map(\.message) == [
                "the row has 15 fields where the header has 14",
                "a quoted field opened on this line is never closed; the lines after it are read on their own",
            ])
        #expect(sink.unreadable[0].raw == "5,,p2,Rye loaves,Nessa Lowe,Too,Many,Fields,Here,x,y,z,w,v,u")
    }

    @Test func readsYouTubeSpamCollectionColumns() throws {
        let sink = try ExportFixtures.read(CSVReader(), file: ExportFixtures.path("csv/youtube-style.csv"))
        // No post column: the file is one thread, titled after the file.
        #expect(sink.threads.count == 1)
        #expect(sink.threads[0].post.title == "youtube-style")
        #expect(sink.threads[0].post.id == nil)
        let c = sink.threads[0].comments
        #expect(c.map(\.id) == ["z12abc", "z12abd", "z12abe"])
        #expect(c.map(\.author) == ["Lachlan Reid", "Subscribe Bot", "Mhairi"])
        #expect(c.map(\.date) == ["2014-11-07T12:37:59", "2014-11-08T01:12:02", "2015-01-02T08:00:00"])
        #expect(c.map(\.labels.label) == [.ham, .spam, .ham])
        #expect(c[2].content == "She said \"wow\" at 2:14")
        #expect(c.allSatisfy { $0.status == nil && $0.extraFields.isEmpty })
        #expect(sink.unreadable.isEmpty)
    }

    @Test func takesTheDelimiterFromTheHeader() throws {
        let sink = try ExportFixtures.read(CSVReader(), file: ExportFixtures.path("csv/semicolon.csv"))
        #expect(sink.threads.flatMap(\.comments).map(\.content) == ["Semi; colons; inside"])
        #expect(sink.unreadable.map(\.location.line) == [2])
    }

    @Test func aHeaderWithoutContentIsAnError() {
        let path = ExportFixtures.path("csv/no-content.csv")
        let error = ExportFixtures.error { _ = try ExportFixtures.read(CSVReader(), file: path) }
        #expect(
            error
                == .malformed(
                    SourceLocation(file: path, line: 1, column: 1, byteOffset: 0),
                    message:
                        "the header names no content column (one of content, comment, body, text, message, comment_content, comment_text); it has id, author, note"
                ))
    }

    @Test(arguments: [
        ("Comment,Name\n\"hi\",Ann\n", "Ann", "hi"),
        ("\u{FEFF}\"BODY\",\"E-Mail\",\"Website\"\r\nhello,ann@example.com,http://ann.example.com\r\n", nil, "hello"),
        ("text\tauthor\nTabbed, with a comma\tAnn\n", "Ann", "Tabbed, with a comma"),
        ("message,author\n  \"  spaced quote  \"  ,Ann\n", "Ann", "  spaced quote  "),
    ])
    func acceptsAliasesAndDialects(csv: String, author: String?, content: String) throws {
        let sink = try ExportFixtures.read(CSVReader(), text: csv, name: "inline.csv")
        let comment = try #require(sink.threads.first?.comments.first)
        #expect(comment.author == author)
        #expect(comment.content == content)
        #expect(sink.unreadable.isEmpty)
    }

    @Test func anEmptyFileIsReportedAsEmpty() {
        let error = ExportFixtures.error { _ = try ExportFixtures.read(CSVReader(), text: "\n  \n", name: "e.csv") }
        #expect(error == .empty(file: "e.csv"))
    }
}
