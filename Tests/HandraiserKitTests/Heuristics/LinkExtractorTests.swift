import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct LinkExtractorTests {
    @Test func findsEveryKindOfLinkOnce() {
        let content = """
            <a href="http://best-plumber.com/x" rel="nofollow">http://best-plumber.com/x</a>, \
            [url=https://cheap.example.org/buy]cheap[/url] see www.shop.ru and bit.ly/abc or foo.com.
            """
        let links = LinkExtractor.links(in: makeComment(content, authorURL: "http://mysite.net/"))
        #expect(
            links.map(\.url) == [
                "http://best-plumber.com/x", "https://cheap.example.org/buy", "www.shop.ru", "bit.ly/abc", "foo.com",
                "http://mysite.net/",
            ])
        #expect(
            links.map(\.host) == [
                "best-plumber.com", "cheap.example.org", "shop.ru", "bit.ly", "foo.com", "mysite.net",
            ])
        #expect(links.last?.evidence.field == .url)
        #expect(links.dropLast().allSatisfy { $0.isInBody })
    }

    @Test(arguments: [
        "Write to me at jane.doe@example.com please",
        "We use ASP.NET and Node.js here.",
        "I said it.Me too, it was fine.",
        "Version 3.14 of the thing, e.g. this one.",
        "The file config.yaml and index.html",
    ])
    func ignoresWhatIsNotALink(_ text: String) {
        #expect(LinkExtractor.links(in: makeComment(text)).isEmpty)
    }

    @Test func evidenceRangesAreUTF8BytesAfterMultibyteText() {
        let before = "😀 Große Grüße — see "
        let content = before + "https://example.com/a?q=1&amp;r=2. 日本 example.org/ü"
        let links = LinkExtractor.links(in: makeComment(content))
        #expect(links.map(\.url) == ["https://example.com/a?q=1&r=2", "example.org/"])
        #expect(links.first?.evidence.range.lowerBound == before.utf8.count)
        #expect(links.first?.evidence.excerpt == "https://example.com/a?q=1&amp;r=2")
        #expect(links.last?.evidence.excerpt == "example.org/")
    }

    @Test func readsLinksWrittenInFullwidthLetters() throws {
        let before = "Ｖｉｓｉｔ "
        let wide = "ｈｔｔｐ：／／ｗｗｗ．ｓｈｏｐ．ｅｘａｍｐｌｅ/ｐ１"
        let link = try #require(LinkExtractor.links(in: makeComment(before + wide + " now")).first)
        #expect(link.url == "http://www.shop.example/p1")
        #expect(link.host == "shop.example")
        #expect(link.evidence.range == before.utf8.count..<(before + wide).utf8.count)
        #expect(link.evidence.excerpt == wide)
    }

    @Test func fullwidthPunctuationAloneChangesNoLinkEnd() {
        // Without a fullwidth letter nothing is folded: the link ends before the wide comma.
        let links = LinkExtractor.links(in: makeComment("网站是：www.example.cn，欢迎"))
        #expect(links.map(\.url) == ["www.example.cn"])
        #expect(FullwidthFold("网站是：www.example.cn，欢迎") == nil)
    }

    @Test func decodesEntitiesInsideURLs() throws {
        let content = #"<a href="http://x.com/a?b=1&amp;c=2">x</a>"#
        let link = try #require(LinkExtractor.links(in: makeComment(content)).first)
        #expect(link.url == "http://x.com/a?b=1&c=2")
        #expect(link.evidence.excerpt == "http://x.com/a?b=1&amp;c=2")
    }
}
