import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct NearDuplicateCheckTests {
    let check = NearDuplicateCheck()
    static let template = "Hey guys whats up? I found this app that lets you get free gift card vouchers for free"

    func comments(_ authors: [String], text: (Int) -> String) -> [Comment] {
        authors.enumerated().map { index, author in
            makeComment(text(index), author: author, id: "\(index)", postID: "p\(index % 2)", line: index + 1)
        }
    }

    @Test func templateUnderRotatingNamesFires() {
        let all = comments(["Ann Lee", "Bo Chen", "Cy Diaz", "Di Eko"]) { index in
            Self.template + " at http://site\(index).example.com, download it now \(index * 7) times"
        }
        let corpus = CorpusIndex(comments: all)
        let found = run(check, all[0], siblings: Array(all.dropFirst()), corpus: corpus)
        #expect(ids(found) == ["HC_NEAR_DUPLICATE_MANY"])
        #expect(found.first?.description == "same text as 3 other comments in the input, by 3 other authors")
        let two = CorpusIndex(comments: Array(all.prefix(2)))
        #expect(ids(run(check, all[0], corpus: two)) == ["HC_NEAR_DUPLICATE"])
    }

    @Test func sameAuthorTwiceIsADoublePost() {
        let all = comments(["Ann Lee", "Ann Lee"]) { _ in Self.template }
        #expect(ids(run(check, all[0], corpus: CorpusIndex(comments: all))) == ["HC_DOUBLE_POST"])
    }

    @Test func shortOrDifferentTextsDoNotFire() {
        let short = comments(["Ann", "Bo", "Cy"]) { _ in "Great post, thanks!" }
        #expect(run(check, short[0], corpus: CorpusIndex(comments: short)).isEmpty)
        let different = [
            makeComment("I tried the autovacuum settings on our cluster and bloat fell within a day", author: "Ann"),
            makeComment(
                "Replication lag went up when we raised the worker count, so watch out for that", author: "Bo", id: "2",
                line: 2),
        ]
        #expect(run(check, different[0], corpus: CorpusIndex(comments: different)).isEmpty)
    }

    @Test func cjkTemplatesAreCompared() {
        let all = comments(["网站一", "网站二"]) { _ in "不错哦，赞一个。求认识，求回访，欢迎来我的博客看看" }
        #expect(ids(run(check, all[0], corpus: CorpusIndex(comments: all))) == ["HC_NEAR_DUPLICATE"])
    }
}
