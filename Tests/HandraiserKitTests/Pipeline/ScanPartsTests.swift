import Foundation
import HandraiserKit
import Testing

/// Long posts of every format that can hold one come through a streamed scan in parts
/// (`Thread.part`) and render byte for byte as the whole post, in every scan writer.
@Suite struct ScanPartsTests {
    static var writers: [any ScanReportWriter] {
        [
            ScanTableRenderer(), ScanTableRenderer(showReasons: true), ScanMarkdownRenderer(), ScanHTMLRenderer(),
            ScanCSVRenderer(), ScanJSONLRenderer(),
        ]
    }

    /// Each writer's report of `path` scanned with threads cut at `partComments`, the WP-CLI
    /// script the scan would write, and how many parts came through.
    typealias Reports = (texts: [String], tallies: [ScanTally], script: String, parts: Int)

    /// Scans `path` whole and in parts of `partComments`, and expects `parts` parts rendered
    /// exactly as the whole post, in every writer and tally.
    static func expectPartsRenderAsWhole(
        _ path: String, partComments: Int, parts expectedParts: Int
    ) throws -> (whole: Reports, parts: Reports) {
        let whole = try reports(path, partComments: 100)
        let parts = try reports(path, partComments: partComments)
        #expect(whole.parts == 0)
        #expect(parts.parts == expectedParts)
        for (part, all) in zip(parts.texts, whole.texts) { #expect(part == all) }
        #expect(parts.tallies == whole.tallies)
        return (whole, parts)
    }

    static func reports(_ path: String, partComments: Int) throws -> Reports {
        let handraiser = try Handraiser(settings: RunSettings(workers: 2))
        var texts: [String] = []
        var tallies: [ScanTally] = []
        var script = ""
        var parts = 0
        for writer in writers {
            var text = ""
            var observer = StreamedJSONLTests.Parts(inner: ReportingObserver(writer: writer, emit: { text += $0 }))
            try handraiser.streamScan(path, partComments: partComments, into: &observer)
            observer.inner.finish()
            texts.append(text)
            tallies.append(observer.inner.tally)
            script = observer.inner.wpCLI.script
            parts = observer.parts
        }
        return (texts, tallies, script, parts)
    }

    /// Twelve comments per post: post fields on a later row, replies to earlier comments, one
    /// to a later one (read back from another part), a template under several names.
    static func comment(_ post: String, _ index: Int) -> (id: String, parent: String?, author: String, text: String) {
        let template = "Great post, very informative and well written, I will bookmark your blog and visit again soon"
        let parent: String? =
            switch index {
            case 2: "\(post)10"
            case 4, 8: "\(post)\(index - 1)"
            case 11: "\(post)missing"
            default: nil
            }
        let author = index % 3 == 0 ? "Seo Expert \(index)" : (index == 7 ? "Ada" : "Reader \(index)")
        let text =
            index % 3 == 0
            ? template : "Reply \(index) on \(post): my rye starter died in the cold winter, warmth helps it"
        return ("\(post)\(index)", parent, author, text)
    }

    /// CSV rows of three posts dealt out in turn, with a quoted field over two lines and a bad row.
    @Test func aLongCSVPostScannedInPartsRendersAsTheWholePost() throws {
        var rows = ["id,parent_id,post_id,post_title,post_author,author,content"]
        for index in 0..<12 {
            for post in ["a", "b", "c"] {
                let c = Self.comment(post, index)
                let title = index == 5 ? "Rye starters \(post)" : ""
                let author = index == 5 ? "Ada" : ""
                let text = index == 6 ? "\"\(c.text),\nsecond line \"\"quoted\"\"\"" : "\"\(c.text)\""
                rows.append([c.id, c.parent ?? "", post, title, author, c.author, text].joined(separator: ","))
            }
            if index == 3 { rows.append("bad,row") }
        }
        let path = try PipelineTests.file("parts.csv", rows.joined(separator: "\r\n") + "\r\n")
        let (whole, _) = try Self.expectPartsRenderAsWhole(path, partComments: 5, parts: 9)
        #expect(whole.texts[0].contains("Rye starters b"))
        #expect(whole.texts[0].contains("unreadable"))
    }

    /// A WordPress export whose middle post holds 14 comments: its creator after the comments, a
    /// user id learned from a comment partway (by the author's name) and used before and after
    /// it, a reply to a later comment, one to a missing comment; posts before and after it, the
    /// last with a comment under the learned user id.
    static func wxr() -> String {
        func comment(_ id: String, parent: String?, author: String, user: Int, text: String) -> String {
            """
                <wp:comment>
                <wp:comment_id>\(id)</wp:comment_id>
                <wp:comment_author><![CDATA[\(author)]]></wp:comment_author>
                <wp:comment_author_email>\(author.filter(\.isLetter).lowercased())@example.net</wp:comment_author_email>
                <wp:comment_content><![CDATA[\(text)]]></wp:comment_content>
                <wp:comment_approved>\(id.hasSuffix("5") ? "spam" : "1")</wp:comment_approved>
                <wp:comment_parent>\(parent ?? "0")</wp:comment_parent>
                <wp:comment_user_id>\(user)</wp:comment_user_id>
                </wp:comment>

            """
        }
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"
              xmlns:content="http://purl.org/rss/1.0/modules/content/">
            <channel>
            <wp:author><wp:author_id>1</wp:author_id><wp:author_login>ada</wp:author_login>\
            <wp:author_email>ada@blog.example.org</wp:author_email><wp:author_display_name>Ada Byrne</wp:author_display_name></wp:author>

            """
        for (number, post) in ["a", "b", "c"].enumerated() {
            xml += "<item><title>Rye starters \(post)</title><wp:post_id>\(number + 1)</wp:post_id>\n"
            if post != "b" { xml += "<dc:creator>ada</dc:creator>\n" }
            for index in 0..<(post == "b" ? 14 : 2) {
                let c = Self.comment(post, index)
                let (author, user) =
                    switch (post, index) {
                    case ("b", 6): ("Ada Byrne", 9)
                    case ("b", 3), ("b", 10), ("c", 1): ("A.", 9)
                    default: (c.author, 0)
                    }
                let parent = post == "b" && index == 13 ? "b-missing" : c.parent
                xml += comment(c.id, parent: parent, author: author, user: user, text: c.text)
            }
            if post == "b" { xml += "<dc:creator>ada</dc:creator>\n" }
            xml += "</item>\n"
        }
        return xml + "</channel>\n</rss>\n"
    }

    @Test func aLongWordPressPostScannedInPartsRendersAsTheWholePost() throws {
        let path = try PipelineTests.file("parts.xml", Self.wxr())
        let (whole, parts) = try Self.expectPartsRenderAsWhole(path, partComments: 4, parts: 4)
        #expect(parts.script == whole.script)
        #expect(whole.texts[0].contains("b-missing"))
        // The user id learned in the long post carries on to the next.
        var sink = CollectingSink()
        try WXRReader().read(try InputSource(name: path).open(), options: ReadOptions(), into: &sink)
        let threads = sink.threads
        #expect(threads.map { $0.comments.count } == [2, 14, 2])
        let authors = threads[1].comments.filter { $0.authorship?.isPostAuthor == true }.map(\.id)
        #expect(authors == ["b6", "b10"])
        #expect(threads[2].comments[1].authorship?.isPostAuthor == true)
        #expect(threads[2].comments[1].author == "A.")
    }

    /// An id holding bidi controls is the widest once marked (`⟨U+202E⟩`) though not the
    /// longest as given: every part's table still takes the whole thread's widest id.
    @Test func aSplitTableTakesTheWidthOfTheIdAsTheTerminalShowsIt() throws {
        var lines: [String] = []
        for index in 0..<12 {
            let id = index == 9 ? "ab\\u202E\\u202E" : "comment-\(index + 10)"
            let text = "Reply \(index): my rye starter died in the cold winter, warmth helps it"
            lines.append(#"{"id": "\#(id)", "post_id": "p", "post_title": "Rye", "content": "\#(text)"}"#)
        }
        let path = try PipelineTests.file("parts-width.jsonl", lines.joined(separator: "\n") + "\n")
        let handraiser = try Handraiser(settings: RunSettings(workers: 2))
        func table(partComments: Int) throws -> String {
            var text = ""
            var observer = ReportingObserver(writer: ScanTableRenderer(), emit: { text += $0 })
            try handraiser.streamScan(path, partComments: partComments, into: &observer)
            observer.finish()
            return text
        }
        let whole = try table(partComments: 100)
        #expect(whole.contains("ab⟨U+202E⟩⟨U+202E⟩"))
        #expect(try table(partComments: 4) == whole)
    }
}
