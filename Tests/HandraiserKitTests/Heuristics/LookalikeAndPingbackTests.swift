import Foundation
import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct LookalikeCheckTests {
    let check = LookalikeCheck()

    @Test func mixedScriptWordFires() {
        // "vіagra" with a Cyrillic і.
        let found = run(check, makeComment("Buy vіagra here"))
        #expect(ids(found) == ["HC_MIXED_SCRIPT"])
        #expect(found.first?.evidence?.excerpt == "vіagra")
    }

    @Test func invisibleCharactersInsideWordsFire() {
        let found = run(check, makeComment("Get cia\u{200B}lis now"))
        #expect(ids(found) == ["HC_INVISIBLE_CHARS"])
        #expect(found.first?.evidence?.excerpt == "cia\u{200B}lis")
    }

    @Test(arguments: [
        "Привет, отличная статья про PostgreSQL!",
        "非常好的文章，谢谢分享",
        "Great song\u{FEFF}",
        "Family 👨\u{200D}👩\u{200D}👧 photo",
        "می\u{200C}خواهم",
        "Καλημέρα σας",
    ])
    func scriptsOnTheirOwnDoNotFire(_ text: String) {
        #expect(run(check, makeComment(text)).isEmpty, "\(text)")
    }

    @Test func evidenceSurvivesMultibyteText() {
        expectSameEvidenceAfterEmojiPrefix(check, makeComment("Get cia\u{200B}lis now"), id: "HC_INVISIBLE_CHARS")
    }

    @Test(arguments: [
        "my shop: ｈｔｔｐ://ｓｈｏｐ.ｅｘａｍｐｌｅ/ｍｅ",
        "ＷＷＷ.ＳＨＯＰ.ＥＸＡＭＰＬＥ",
        "see ｗｗｗ.ｓｈｏｐ.ｅｘａｍｐｌｅ/ｍｅ today",
    ])
    func fullwidthAddressesFire(_ text: String) {
        let found = run(check, makeComment(text))
        #expect(ids(found) == ["HC_FULLWIDTH_LINK"], "\(text)")
        // The evidence is the whole word that holds the address.
        let word = text.split(separator: " ").first { $0.contains("ｗｗｗ") || $0.contains("ＷＷＷ") || $0.contains("ｈｔｔｐ") }
        #expect(found.first?.evidence?.excerpt == word.map(String.init), "\(text)")
    }

    @Test(arguments: [
        // CJK input methods type fullwidth Latin letters, e-mail addresses included.
        "请把资料发到 ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ 谢谢",
        "ＤＡＭＮ ＴＨＩＳ ＩＳ ＦＡＮＣＹ",
        "plain http://www.example.com/ is not hidden",
    ])
    func otherFullwidthTextDoesNotFire(_ text: String) {
        #expect(!ids(run(check, makeComment(text))).contains("HC_FULLWIDTH_LINK"), "\(text)")
    }

    @Test func fullwidthEvidenceSurvivesMultibyteText() {
        // The shared helper's prefix holds CJK, which by design turns this finding off.
        let text = "go ｗｗｗ.ｓｈｏｐ.ｅｘａｍｐｌｅ now"
        let before = run(check, makeComment(text)).first?.evidence
        let after = run(check, makeComment("😀 " + text)).first?.evidence
        #expect(before?.excerpt == "ｗｗｗ.ｓｈｏｐ.ｅｘａｍｐｌｅ")
        #expect(after?.excerpt == before?.excerpt)
        #expect(after.map(\.range.lowerBound) == before.map { $0.range.lowerBound + "😀 ".utf8.count })
    }
}

@Suite struct PingbackShapeCheckTests {
    let check = PingbackShapeCheck()

    @Test(arguments: [
        "[…] might have heard about the first-ever summit in Tokyo […]",
        "[...] Duncan homepage « Solving the famous case [...]",
        "Pingback: The Next Big Thing? Lots of Little Things. « The Engaged Consumer",
        "Trackback : My weekly links",
    ])
    func pingbackShapesFire(_ text: String) {
        #expect(ids(run(check, makeComment(text))) == ["HC_PINGBACK_SHAPE"], "\(text)")
    }

    @Test(arguments: [
        "I disagree with the part about [...] in the second chapter, it misses the point.",
        "Pingbacks are annoying, can you turn them off?",
    ])
    func commentsDoNotFire(_ text: String) {
        #expect(run(check, makeComment(text)).isEmpty)
    }

    @Test func typedPingbacksNeedNoFinding() {
        #expect(run(check, makeComment("[…] excerpt […]", type: .pingback)).isEmpty)
    }

    @Test func evidenceSurvivesMultibyteText() {
        // The prefix breaks the leading ellipsis, so use a closing-ellipsis excerpt with a title line.
        let found = run(check, makeComment("  Pingback: Ünïcode title « Site"))
        #expect(found.first?.evidence?.excerpt == "Pingback: Ünïcode title « Site")
    }
}

@Suite struct BuiltInChecksTests {
    @Test func everyFindingIDIsPrefixedAndScoredInTheChecksFiles() throws {
        let ids = BuiltInChecks.findingIDs
        #expect(ids.count >= 20)
        #expect(ids.keys.allSatisfy { $0.hasPrefix("HC_") })
        #expect(ids.values.allSatisfy { !$0.isEmpty })
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        // rules/pingbacks.cf scores the pingback checks that must make spam on their own.
        let cf = try ["rules/checks.cf", "rules/pingbacks.cf"].map {
            try String(contentsOf: root.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
        var scored: Set<String> = []
        var described: Set<String> = []
        for line in cf.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, fields[1].hasPrefix("HC_") else { continue }
            if fields[0] == "score" { scored.insert(String(fields[1])) }
            if fields[0] == "describe" { described.insert(String(fields[1])) }
        }
        #expect(
            scored == Set(ids.keys),
            "ids without a score: \(Set(ids.keys).subtracting(scored)); scores without a check: \(scored.subtracting(ids.keys))"
        )
        #expect(described == Set(ids.keys))
    }
}

@Suite struct TrackbackTemplateTests {
    let check = PingbackShapeCheck()

    @Test(arguments: [
        "Garden Sheds...\n\nI found your entry interesting so I've added a Trackback to it on my weblog :)...",
        "I found your post interesting thus I have added a trackback to it on my blog :)",
    ])
    func theToolsSentenceFires(_ text: String) {
        let found = run(check, makeComment(text, author: "Shed World", type: .trackback))
        #expect(ids(found).contains("HC_TRACKBACK_TEMPLATE"), "\(text)")
        #expect(found.first { $0.id == "HC_TRACKBACK_TEMPLATE" }?.evidence?.excerpt.hasPrefix("added a") == true)
    }

    @Test func aPersonsWordsAndCommentsDoNotFire() {
        // A person who mentions trackbacks in an ordinary comment is not a trackback.
        let comment = makeComment("I added a trackback to it on my weblog, did it arrive?")
        #expect(!ids(run(check, comment)).contains("HC_TRACKBACK_TEMPLATE"))
        let excerpt = makeComment("[...] a good write-up of the workshop, with photos [...]", type: .trackback)
        #expect(!ids(run(check, excerpt)).contains("HC_TRACKBACK_TEMPLATE"))
    }
}

@Suite struct ScraperPingbackTests {
    let check = PingbackShapeCheck()
    let post = Post(
        id: "p1", title: "Notes from the spring bread baking workshop", url: "https://bakery.example/2010/05/notes/")

    func pingback(_ text: String, from title: String, url: String = "http://other.example/page.html") -> Comment {
        makeComment(text, author: title, authorURL: url, type: .pingback)
    }

    @Test(arguments: [
        "[...] Notes from the spring bread baking workshop – The Crumb Club [...]",
        "[…] Notes from the Spring Bread Baking Workshop | Crumb […]",
    ])
    func pageTitleFromAnUnrelatedPageFires(_ text: String) {
        let found = run(check, pingback(text, from: "Cheap watch straps for sale? | parts forum"), post: post)
        #expect(ids(found) == ["HC_PINGBACK_TITLE_ONLY"])
    }

    @Test func aCommentShapedLikeOneFiresBoth() {
        let comment = makeComment(
            "[...] Notes from the spring bread baking workshop – The Crumb Club [...]", author: "Garden hose reels",
            authorURL: "http://other.example/reels.html")
        #expect(ids(run(check, comment, post: post)) == ["HC_PINGBACK_SHAPE", "HC_PINGBACK_TITLE_ONLY"])
    }

    @Test(arguments: [
        // A reblog: the linking page's title carries the post's words.
        (
            "[...] Notes from the spring bread baking workshop – The Crumb Club [...]",
            "Spring workshop recap « Ann's kitchen"
        ),
        // A link list copies the post title alone, without the site's name.
        ("[...] Notes from the spring bread baking workshop [...]", "Links 12/5/2010: kernels and kettles"),
        // A real excerpt: the linking post's own words around the link.
        (
            "[...] the notes from the spring bread baking workshop are worth reading for the starter tips [...]",
            "Weekly reads"
        ),
        // Words follow the title without a separator: not a page title.
        ("[...] Notes from the spring bread baking workshop gave me ideas [...]", "Weekly reads"),
        // More than a site name follows.
        (
            "[...] Notes from the spring bread baking workshop – The Crumb Club, a long list of local things [...]",
            "Weekly reads"
        ),
    ])
    func genuinePingbacksDoNotFire(_ text: String, title: String) {
        #expect(run(check, pingback(text, from: title), post: post).isEmpty, "\(text)")
    }

    @Test func theBlogsOwnPagesDoNotFire() {
        let own = pingback(
            "[...] Notes from the spring bread baking workshop – The Crumb Club [...]",
            from: "Opening hours – The Crumb Club",
            url: "https://www.bakery.example/hours/")
        #expect(run(check, own, post: post).isEmpty)
    }

    @Test func shortOrMissingTitlesDoNotFire() {
        let short = Post(id: "p1", title: "Rye bread")
        #expect(
            run(check, pingback("[...] Rye bread – The Crumb Club [...]", from: "Watch straps"), post: short).isEmpty)
        #expect(
            run(check, pingback("[...] Rye bread – The Crumb Club [...]", from: "Watch straps"), post: Post(id: "p1"))
                .isEmpty)
    }

    @Test func evidenceSurvivesMultibyteText() {
        let titled = Post(id: "p1", title: "Crème brûlée at the Zürich workshop")
        let found = run(
            check, pingback("[…] Crème brûlée at the Zürich workshop – Café Ünïcode […]", from: "Cheap straps"),
            post: titled)
        #expect(found.first?.evidence?.excerpt == "Crème brûlée at the Zürich workshop – Café Ünïcode")
    }
}
