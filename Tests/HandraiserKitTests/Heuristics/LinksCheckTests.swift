import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct LinksCheckTests {
    let check = LinksCheck()

    @Test func manyLinksInFewWords() {
        let content = """
            Great! <a href="http://a-shop.com">a</a> <a href="http://b-shop.net">b</a> \
            [url=http://c-shop.org]c[/url] http://d-shop.info/x
            """
        let found = run(check, makeComment(content))
        #expect(ids(found) == ["HC_LINKS_4PLUS", "HC_LINK_DENSITY"])
        #expect(found.first { $0.id == "HC_LINKS_4PLUS" }?.description == "4 links in 4 words")
    }

    @Test func aLinkFarmAddsTheTenPlusId() {
        let content = (1...12).map { "<a href=\"http://host\($0).example/film-\($0)\">film \($0)</a> full movie" }
            .joined(separator: " , ")
        let found = run(check, makeComment(content))
        #expect(ids(found) == ["HC_LINKS_4PLUS", "HC_LINKS_10PLUS", "HC_LINK_DENSITY"])
        #expect(found.first { $0.id == "HC_LINKS_10PLUS" }?.description == "12 links in 36 words")
        let nine = (1...9).map { "http://host\($0).example/page" }.joined(separator: " and ")
        #expect(!ids(run(check, makeComment(nine))).contains("HC_LINKS_10PLUS"))
    }

    @Test func twoLinksInAParagraphAreOnlyCounted() {
        let content = """
            I compared the two approaches in the migration guide (https://guides.rubyonrails.org/migrations.html) \
            and the older post at https://example.org/rails-3 and the second one explains the rollback case better \
            than the official page does, at least for our multi-database setup.
            """
        #expect(ids(run(check, makeComment(content))) == ["HC_LINKS_2"])
    }

    @Test func linkOnly() {
        #expect(ids(run(check, makeComment("see http://spam.example.com/buy-now"))) == ["HC_LINK_ONLY"])
        #expect(run(check, makeComment("Thanks, this fixed my nginx config!")).isEmpty)
    }

    @Test func oneLinkPastedOverAndOverFires() {
        let link = "http://join.example.net/in/Ab12Cd"
        let content = "\(link) GO " + Array(repeating: link, count: 5).joined(separator: "  ")
        let found = run(check, makeComment(content))
        #expect(ids(found) == ["HC_LINK_ONLY", "HC_LINK_REPEATED"])
        let repeated = found.first { $0.id == "HC_LINK_REPEATED" }
        #expect(repeated?.description == "the same link 6 times in 1 words")
        #expect(repeated?.evidence?.excerpt == link)
        // Copies differing only in case are the same link.
        let mixed = "\(link) \(link.uppercased()) \(link)"
        #expect(ids(run(check, makeComment(mixed))).contains("HC_LINK_REPEATED"))
    }

    @Test(arguments: [
        // Twice is a reader pointing back to what they linked.
        "see http://docs.example.org/a and again http://docs.example.org/a",
        // A pasted log repeats its URL among many words.
        """
        GET http://localhost/wp-admin/x.php failed with 500 after the update, then GET \
        http://localhost/wp-admin/x.php failed again when I turned the cache off, and a third GET \
        http://localhost/wp-admin/x.php worked once I removed the old plugin folder by hand
        """,
        // Three different links are the count ids' business.
        "http://a.example/1 http://b.example/2 http://c.example/3",
    ])
    func linksSaidOnceOrAmongWordsAreNotAFlood(_ content: String) {
        #expect(!ids(run(check, makeComment(content))).contains("HC_LINK_REPEATED"))
    }

    @Test func urlInAuthor() {
        let found = run(check, makeComment("Nice.", author: "Cheap pills www.pills-shop.com"))
        #expect(ids(found) == ["HC_URL_IN_AUTHOR"])
        #expect(found.first?.evidence?.excerpt == "www.pills-shop.com")
    }

    @Test func tradeNameSpellingTheLinkedDomain() {
        let found = run(
            check, makeComment("Good tips on pipes.", author: "Best Plumber", authorURL: "http://www.bestplumber.com/"))
        #expect(ids(found) == ["HC_AUTHOR_IS_DOMAIN"])
        #expect(found.first?.evidence?.excerpt == "Best Plumber")
        // A person at their own site is the ordinary case.
        #expect(
            run(check, makeComment("Good tips on pipes.", author: "Jane Roe", authorURL: "http://janeroe.com")).isEmpty)
    }

    @Test func pingbacksAreLeftToTheRules() {
        let pingback = makeComment("[…] see http://a.com http://b.com http://c.com http://d.com […]", type: .pingback)
        #expect(run(check, pingback).isEmpty)
    }

    @Test func evidenceSurvivesMultibyteText() {
        let comment = makeComment("Grüße 🎉 http://a-shop.com http://b-shop.net http://c-shop.org http://d-shop.info")
        expectSameEvidenceAfterEmojiPrefix(check, comment, id: "HC_LINKS_4PLUS")
    }
}
