import Foundation
import HandraiserInput
import Testing

@Suite struct FormatSnifferTests {
    static func sniff(_ text: String, _ fileName: String = "input") -> InputFormat? {
        FormatSniffer.sniff(Array(text.utf8)[...], fileName: fileName)
    }

    @Test(arguments: [
        ("wxr/wxr-1.0-threaded.xml", InputFormat.wxr),
        ("wxr/wxr-1.2-authors.xml", .wxr),
        ("disqus/disqus-mixed-order.xml", .disqus),
        ("csv/interchange-quoted.csv", .csv),
        ("csv/youtube-style.csv", .csv),
        ("csv/semicolon.csv", .csv),
        // A DOCTYPE with an internal subset full of `>`s: sniffed as what it is, so the reader
        // can refuse its entities with a clear error.
        ("wxr/xxe.xml", .wxr),
        ("wxr/billion-laughs.xml", .wxr),
    ])
    func recognisesTheFixtures(fixture: String, format: InputFormat) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: ExportFixtures.path(fixture))))
        // Content decides: the same bytes under a misleading name give the same answer.
        #expect(FormatSniffer.sniff(bytes.prefix(FormatSniffer.prefixLength), fileName: fixture) == format)
        #expect(FormatSniffer.sniff(bytes.prefix(FormatSniffer.prefixLength), fileName: "export.txt") == format)
    }

    @Test(arguments: [
        ("{\"content\": \"hi\"}\n{\"content\": \"yo\"}\n", InputFormat?.some(.jsonl)),
        ("\n\n  {\"id\":1,\"content\":\"x\"}", .jsonl),
        ("Great post about ferries\n\n15 Responses\n\n  1. Rory says:\n", .dump),
        ("Title, with a comma\nbody text\n", .dump),
        ("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Feed</title></channel></rss>", nil),
        ("<?xml version=\"1.0\"?>\n<!-- generator -->\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\">", .wxr),
        ("<?xml version=\"1.0\"?><catalog><book/></catalog>", nil),
        ("<!DOCTYPE html>\n<html><body><p>Comments</p></body></html>", .dump),
        ("<p>pasted paragraph</p>\nAnn says:\nhello", .dump),
        ("<3 this post\nAnn", .dump),
        ("", nil),
        ("   \n\t\n", nil),
    ])
    func judgesByContent(text: String, format: InputFormat?) {
        #expect(Self.sniff(text) == format)
    }

    @Test func aDoctypeEndsAtTheFirstClosingBracketOutsideItsSubsetAndQuotes() {
        let wxr = #"<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel></channel></rss>"#
        #expect(
            Self.sniff(#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "x>]>y"> <!ENTITY b 'q>'>]>"# + wxr) == .wxr)
        #expect(Self.sniff("<!DOCTYPE rss>" + wxr) == .wxr)
        #expect(Self.sniff(#"<?xml version="1.0"?><!DOCTYPE disqus [<!ENTITY a "b">]><disqus></disqus>"#) == .disqus)
    }

    @Test func theExtensionOnlyBreaksTies() {
        // Plain text is a dump unless the name says CSV or JSON Lines; the reader then explains.
        #expect(Self.sniff("a,b\n1,2\n", "comments.csv") == .csv)
        #expect(Self.sniff("a,b\n1,2\n", "comments.txt") == .dump)
        #expect(Self.sniff("not json\n", "c.ndjson") == .jsonl)
        // It never overrides what the content clearly is.
        #expect(Self.sniff("{\"content\":\"x\"}\n", "c.csv") == .jsonl)
        #expect(Self.sniff("<disqus xmlns=\"http://disqus.com\"></disqus>", "c.csv") == .disqus)
    }

    @Test func binaryAndNonUTF8AreRefused() {
        #expect(
            FormatSniffer.sniff([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00][...], fileName: "x.png")
                == nil)
        #expect(
            FormatSniffer.sniff(
                Array("caf\u{E9} latin-1".unicodeScalars.map { UInt8($0.value) })[...], fileName: "x.txt") == nil)
        #expect(FormatSniffer.sniff([0xC0, 0xAF, 0x41][...], fileName: "x.txt") == nil)
        // A prefix may cut a character in two; that is still UTF-8.
        let text = Array(String(repeating: "é", count: 8192).utf8)
        #expect(FormatSniffer.sniff(text.prefix(8191), fileName: "x.txt") == .dump)
        // A UTF-8 byte-order mark is skipped.
        #expect(
            FormatSniffer.sniff(([0xEF, 0xBB, 0xBF] + Array("{\"content\":1}".utf8))[...], fileName: "x") == .jsonl)
    }
}
