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
    static func reports(
        _ path: String, partComments: Int
    ) throws -> (texts: [String], tallies: [ScanTally], script: String, parts: Int) {
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
        let whole = try Self.reports(path, partComments: 100)
        let parts = try Self.reports(path, partComments: 5)
        #expect(whole.parts == 0)
        #expect(parts.parts == 9)
        for (part, all) in zip(parts.texts, whole.texts) { #expect(part == all) }
        #expect(parts.tallies == whole.tallies)
        #expect(whole.texts[0].contains("Rye starters b"))
        #expect(whole.texts[0].contains("unreadable"))
    }
}
