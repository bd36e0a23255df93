import Foundation
import HandraiserInput
import HandraiserModel
import Testing

@Suite struct WXRReaderTests {
    /// The 1-based line of each occurrence of `needle` in a fixture, found without any XML reading.
    static func lines(of needle: String, in path: String) throws -> [Int] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .filter { $0.element.contains(needle) }.map { $0.offset + 1 }
    }

    @Test func readsAWXR10ExportWithThreadedReplies() throws {
        let path = ExportFixtures.path("wxr/wxr-1.0-threaded.xml")
        let sink = try ExportFixtures.read(WXRReader(), file: path)
        #expect(sink.unreadable.isEmpty)
        // Two posts; the attachment without comments is not a thread.
        #expect(sink.threads.map(\.post.id) == ["41", "52"])

        let post = try #require(sink.threads.first)
        #expect(post.post.title == "Mending a clinker hull")
        #expect(post.post.author == "isla")
        #expect(post.post.url == "http://harbour-notes.example.org/2009/11/clinker/")
        #expect(post.post.date == "2009-11-03 09:15:00")
        // The body's CDATA was split around a literal `]]>`; it comes back whole, as plain text.
        #expect(post.post.text?.contains("Steam the planks first & then rivet.") == true)
        #expect(post.post.text?.contains("if (a ]]> b) stays intact.") == true)

        let c = post.comments
        #expect(c.map(\.id) == ["7", "8", "9", "10", "11"])
        #expect(c.map(\.parentID) == [nil, "7", "8", nil, nil])
        #expect(c.map(\.status) == [.approved, .approved, .approved, .spam, .approved])
        #expect(c.map(\.type) == [.comment, .comment, .comment, .comment, .pingback])
        #expect(c.allSatisfy { $0.postID == "41" })
        #expect(c[0].author == "Fergus Kerr")
        #expect(c[0].authorEmail == "fergus@example.com")
        #expect(c[0].authorURL == "http://fergus.example.com")
        #expect(c[0].authorIP == "192.0.2.10")
        #expect(c[0].date == "2009-11-03 11:02:41")
        #expect(c[0].authorUserID == nil)
        #expect(c[0].content == "How long do you steam oak for?\nI tried <em>twenty minutes</em> &amp; it cracked.")
        #expect(c[0].text == "How long do you steam oak for?\nI tried twenty minutes & it cracked.")
        // Content stays as given (CDATA is not decoded); the plain text decodes it.
        #expect(c[2].content == "Thanks &#8212; that explains it.")
        #expect(c[2].text == "Thanks — that explains it.")
        #expect(c[4].author == "Boatwright Weekly &raquo; Links for November")

        // The post author answers with a registered user id under the post's own author name.
        #expect(c[1].authorUserID == "2")
        #expect(c[1].authorship?.isPostAuthor == true)
        #expect(c.enumerated().allSatisfy { $0.offset == 1 || $0.element.authorship == nil })

        // Each comment is located where its element starts.
        let commentLines = try Self.lines(of: "<wp:comment>", in: path)
        #expect(sink.threads.flatMap(\.comments).map(\.location.line) == commentLines.map(Optional.some))
        #expect(c.allSatisfy { $0.location.column == 1 && $0.location.file == path })

        let second = sink.threads[1]
        #expect(second.post.author == "ailsa")
        #expect(second.comments.map(\.status) == [.pending, .trash])
        #expect(second.comments.map(\.type) == [.comment, .trackback])
        // The same user id on someone else's post: known now, and not that post's author.
        #expect(second.comments[0].authorship?.isPostAuthor == false)
    }

    @Test func readsAWXR12ExportWithChannelAuthors() throws {
        let sink = try ExportFixtures.read(WXRReader(), file: ExportFixtures.path("wxr/wxr-1.2-authors.xml"))
        // A page without comments is a thread; so is an attachment that has comments.
        #expect(sink.threads.map(\.post.id) == ["101", "7", "120"])
        let post = sink.threads[0].post
        #expect(post.author == "Morag Baird")
        #expect(post.authorAliases == ["mbaird", "morag@lochfield.example.org"])
        #expect(post.title == "Counting otters at dawn")
        #expect(post.date == "2019-05-04 07:00:00")
        #expect(post.text == "We saw four otters.")
        #expect(sink.threads[1].post.author == "Callum Reid")
        #expect(sink.threads[1].comments.isEmpty)

        let c = sink.threads[0].comments
        #expect(c.map(\.id) == ["301", "302", "303", "304", "305"])
        #expect(c[0].authorIP == "2001:db8::1")
        #expect(c[0].authorship == nil)
        #expect(
            c[1].authorship
                == Authorship(isPostAuthor: true, confidence: 1, evidence: "WordPress user id 3 is the post's author"))
        #expect(c[1].parentID == "301")
        #expect(c[2].authorship?.isPostAuthor == true)
        #expect(c[2].authorship?.evidence.contains("e-mail") == true)
        #expect(c[3].authorship?.isPostAuthor == false)
        #expect(c[3].authorship?.evidence.contains("Callum Reid") == true)
        #expect(c[3].status == .trash)
        #expect(c[4].type == .comment)
        #expect(c[4].extraFields == [ExtraField(name: "comment_type", json: "\"review\"")])
        #expect(sink.threads[2].comments.map(\.date) == [nil])
    }

    @Test func namesGivenAsAuthorsMarkTheirComments() throws {
        let options = ReadOptions(authorNames: ["FERGUS  kerr"])
        let sink = try ExportFixtures.read(
            WXRReader(), file: ExportFixtures.path("wxr/wxr-1.0-threaded.xml"), options: options)
        let fergus = sink.threads[0].comments.filter { $0.author == "Fergus Kerr" }
        #expect(fergus.count == 2)
        #expect(fergus.allSatisfy { $0.authorship?.isPostAuthor == true && $0.authorship?.confidence == 1 })
    }

    @Test func anEMailGivenAsAuthorMarksTheirComments() throws {
        let options = ReadOptions(authorNames: ["Hamish@Example.net"])
        let sink = try ExportFixtures.read(
            WXRReader(), file: ExportFixtures.path("wxr/wxr-1.2-authors.xml"), options: options)
        let marked = sink.threads.flatMap(\.comments).filter {
            $0.authorship?.confidence == 1 && $0.authorship?.isPostAuthor == true
        }
        #expect(marked.map(\.id) == ["301", "302", "310"])
    }

    @Test func anUnclosedElementIsReportedWithItsPlaceAndWhatWasRead() throws {
        let path = ExportFixtures.path("wxr/malformed-unclosed.xml")
        let error = ExportFixtures.error { _ = try ExportFixtures.read(WXRReader(), file: path) }
        let closing = try #require(try Self.lines(of: "</item>", in: path).last)
        let opened = try #require(try Self.lines(of: "<wp:comment>", in: path).last)
        #expect(
            error
                == .malformed(
                    SourceLocation(file: path, line: closing, column: 3, byteOffset: error?.byteOffset),
                    message:
                        "</item> found where </wp:comment> was expected (<wp:comment> opened at \(opened):1) (after 1 comment in 1 post)"
                ))
    }

    @Test func externalEntitiesAreNeverRead() throws {
        let sink = try ExportFixtures.read(WXRReader(), file: ExportFixtures.path("wxr/xxe.xml"))
        let thread = try #require(sink.threads.first)
        #expect(thread.post.title == "Welcome to Harbour Notes")
        let comment = try #require(thread.comments.first)
        #expect(comment.content == "Here: &secret; and &remote; and &nbsp;")
        #expect(!comment.content.contains("root:"))
    }

    @Test func anEntityBombStopsAtOnceWithAClearError() throws {
        let path = ExportFixtures.path("wxr/billion-laughs.xml")
        let started = Date()
        let error = ExportFixtures.error { _ = try ExportFixtures.read(WXRReader(), file: path) }
        #expect(Date().timeIntervalSince(started) < 5)
        guard case .malformed(let location, let message)? = error else {
            Issue.record("expected a malformed-input error, got \(String(describing: error))")
            return
        }
        #expect(location.line == (try Self.lines(of: "<wp:comment_content>&lol9;", in: path)).first)
        #expect(message.contains("&lol9;"))
        #expect(message.contains("billion laughs"))
    }

    @Test(arguments: [
        ("<feed><entry/></feed>", "not a WordPress export: the root element is <feed>, not <rss>"),
        ("", "the file holds no XML element"),
        (
            "<rss><channel><item><title>A & B</title></item></channel>",
            "the file ends inside <rss> opened at 1:1; it is cut short or a tag is never closed"
        ),
        ("<rss>\n<channel>\n<item <title>", "the tag opened at 3:1 is not closed with “>” before this “<”"),
        ("<rss><channel/></rss><rss/>", "a second root element after </rss>; a file holds one document"),
        ("<rss><![CDATA[never closed", "the CDATA section opened at 1:6 is never closed"),
    ])
    func malformedDocumentsThrow(xml: String, message: String) throws {
        let error = ExportFixtures.error { _ = try ExportFixtures.read(WXRReader(), text: xml) }
        guard case .malformed(_, let got)? = error else {
            Issue.record("expected a malformed-input error, got \(String(describing: error))")
            return
        }
        #expect(got.hasPrefix(message))
    }

    @Test func prefixesAreMappedThroughTheRootsNamespaces() throws {
        let xml = """
            <?xml version="1.0" encoding="ISO-8859-1"?>
            <rss xmlns:w="http://wordpress.org/export/1.1/" xmlns:creator="http://purl.org/dc/elements/1.1/">
            <channel><item>
            <title>Caf\u{E9}</title><creator:creator>jo</creator:creator><w:post_id>5</w:post_id><w:post_type>post</w:post_type>
            <w:comment><w:comment_id>1</w:comment_id><w:comment_content>Tr\u{E8}s bien</w:comment_content>
            <w:comment_approved>spam</w:comment_approved></w:comment>
            </item></channel></rss>
            """
        // Written in ISO-8859-1, as the declaration says.
        let bytes = xml.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        var sink = CollectingSink()
        try WXRReader().read(ByteReader(bytes: bytes, name: "latin1.xml"), options: ReadOptions(), into: &sink)
        let thread = try #require(sink.threads.first)
        #expect(thread.post.title == "Café")
        #expect(thread.post.author == "jo")
        #expect(thread.comments.map(\.content) == ["Très bien"])
        #expect(thread.comments.map(\.status) == [.spam])
    }
}

extension InputError {
    var byteOffset: Int? {
        if case .malformed(let location, _) = self { return location.byteOffset }
        return nil
    }
}
