import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct AuthorNameCheckTests {
    let check = AuthorNameCheck()

    @Test(arguments: [
        ("Glasgow Letting", "HC_AUTHOR_BUSINESS"),
        ("SEO Training SW", "HC_AUTHOR_KEYWORDS"),
        ("Cheap Car Insurance", "HC_AUTHOR_STUFFED"),
        ("buy viagra online", "HC_AUTHOR_STUFFED"),
        ("cheapjerseysonline", "HC_AUTHOR_KEYWORDS"),
        ("Wholesale jerseys from china", "HC_AUTHOR_PHRASE"),
    ])
    func advertisingNamesFire(name: String, id: String) {
        let found = run(check, makeComment("Nice post.", author: name))
        #expect(ids(found).contains(id), "\(name) gave \(ids(found))")
    }

    @Test(arguments: [
        "Becky Carroll", "Lucretia", "woody2shoes", "free2resist", "The Technology Zoo", "Rise and Fight",
        "María José García López", "Jan van der Berg", "代码疯子", "Дмитрий Иванов", "محمد", "xXGamer99Xx",
        "Ben Balter", "Mr_Law", "OldSchool Music",
    ])
    func personalNamesAndHandlesDoNotFire(name: String) {
        #expect(run(check, makeComment("Nice post.", author: name)).isEmpty, "\(name)")
        #expect(AuthorNameJudge.looksLikeSpamName(name) == nil, "\(name)")
    }

    @Test func judgeNamesTheStrongestFinding() {
        #expect(AuthorNameJudge.looksLikeSpamName("Glasgow Letting")?.id == "HC_AUTHOR_BUSINESS")
        #expect(AuthorNameJudge.looksLikeSpamName("buy viagra online")?.id == "HC_AUTHOR_STUFFED")
        #expect(AuthorNameJudge.looksLikeSpamName("bestdeals.com")?.id == "HC_URL_IN_AUTHOR")
    }

    @Test func evidenceQuotesTheKeywordsAfterMultibyteText() throws {
        let finding = try #require(AuthorNameJudge.looksLikeSpamName("😀 Ünïcode cheap insurance"))
        #expect(finding.evidence?.excerpt == "cheap insurance")
        #expect(finding.evidence?.range == "😀 Ünïcode ".utf8.count..<"😀 Ünïcode cheap insurance".utf8.count)
    }

    @Test(arguments: [
        ("Check out the Harbour Lights Duo, a cover of that song!", "Harbour Lights Duo"),
        ("Loved it. Just search... \"summer rain harbour lights duo\" for ours", "Harbour Lights Duo"),
        ("😀 hey guys check out BEAT MAKER JO for new tracks", "Beat Maker Jo"),
    ])
    func commentPointingAtItsOwnAuthorFires(text: String, author: String) throws {
        let found = run(check, makeComment(text, author: author))
        let finding = try #require(found.first { $0.id == "HC_AUTHOR_NAME_POINTED" }, "\(ids(found))")
        #expect(finding.evidence?.excerpt.lowercased() == author.lowercased())
    }

    @Test(arguments: [
        ("Check out the docs first, then ask. Harbour Lights Duo", "Harbour Lights Duo"),
        ("check out Adam, he plays bass", "Adam"),
        ("Search for the error message, Jo Smith had it too", "Jo Smithers"),
        ("I searched for it: the Jo Smiths of the world know", "Jo Smith"),
    ])
    func nameWithoutPointerOrOtherNamesDoNotFire(text: String, author: String) {
        let found = run(check, makeComment(text, author: author))
        #expect(!ids(found).contains("HC_AUTHOR_NAME_POINTED"), "\(text)")
    }

    @Test func pingbackTitlesAreNotNames() {
        let pingback = makeComment(
            "[...] cheap and fast hosting tips [...]", author: "Cheap Hosting Reviews » Blog Archive")
        #expect(run(check, pingback).isEmpty)
    }
}
