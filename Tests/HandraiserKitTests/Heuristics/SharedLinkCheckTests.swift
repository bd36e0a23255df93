import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct SharedLinkCheckTests {
    let check = SharedLinkCheck()

    func comment(
        _ content: String, author: String?, email: String? = nil, url: String? = nil, id: String, post: String = "p1"
    ) -> Comment {
        Comment(
            id: id, postID: post, author: author, authorEmail: email, authorURL: url, content: content,
            location: SourceLocation(file: "test.jsonl", line: Int(id) ?? 1))
    }

    /// A one-word name of letters only, different for every `number` ("x" then a letter per digit).
    func name(_ number: Int) -> String {
        "x" + String(String(number).unicodeScalars.map { Character(UnicodeScalar($0.value + 49) ?? "a") })
    }

    @Test func oneShopPageUnderRotatingNamesFires() {
        let page = "http://boots.example/cheap-winter-boots-3.php"
        let all = ["Kim Ray", "Lou Ortega", "Mo Said"].enumerated().map { index, name in
            comment(
                "Nice article, I learned a lot \(index)", author: name, url: page, id: "\(index + 1)", post: "p\(index)"
            )
        }
        let corpus = CorpusIndex(comments: all)
        let found = run(check, all[0], corpus: corpus)
        #expect(ids(found) == ["HC_SHARED_SITE_NAMES", "HC_SHARED_LINK_NAMES_MANY"])
        #expect(found.first?.description == "links the same page as comments under 2 or more other names")
        #expect(found.first?.evidence?.field == .url)
        let two = CorpusIndex(comments: Array(all.prefix(2)))
        #expect(ids(run(check, all[0], corpus: two)) == ["HC_SHARED_SITE_NAMES"])
    }

    @Test func aPageInTheTextFiresWhateverItsSpelling() {
        let all = [
            comment("Read this: https://www.shop.example/deals/boots/?utm_source=blog", author: "Kim Ray", id: "1"),
            comment("same here http://shop.example/deals/boots#top", author: "Lou Ortega", id: "2"),
        ]
        let found = run(check, all[0], corpus: CorpusIndex(comments: all))
        #expect(ids(found) == ["HC_SHARED_LINK_NAMES"])
        #expect(found.first?.description == "links the same page as a comment under another name")
    }

    @Test func readersCitingOneGitHubOrWikipediaPageAreSilent() {
        let all = [
            comment("The fix is in https://github.com/someone/tool/issues/12", author: "Ann Lee", id: "1"),
            comment("Confirmed, https://github.com/someone/tool/issues/12 works", author: "Bo Chen", id: "2"),
            comment("See https://en.wikipedia.org/wiki/Sourdough for the history", author: "Ann Lee", id: "3"),
            comment("Also https://en.wikipedia.org/wiki/Sourdough", author: "Cy Diaz", id: "4"),
        ]
        let corpus = CorpusIndex(comments: all)
        for item in all { #expect(run(check, item, corpus: corpus).isEmpty) }
    }

    @Test func onePersonUnderTwoSpellingsOrOneAddressIsSilent() {
        let page = "http://tools.example/release/notes"
        let spellings = [
            comment("new version: \(page)", author: "Dana Reyes", id: "1"),
            comment("and again \(page)", author: "Dana", id: "2"),
            comment("once more \(page)", author: "D. Reyes", id: "3"),
        ]
        let corpus = CorpusIndex(comments: spellings)
        for item in spellings { #expect(run(check, item, corpus: corpus).isEmpty) }
        let oneAddress = [
            comment("see \(page)", author: "Dana Reyes", email: "dana@mail.example", id: "1"),
            comment("see \(page)", author: "Moonlight", email: "dana@mail.example", id: "2"),
        ]
        #expect(run(check, oneAddress[0], corpus: CorpusIndex(comments: oneAddress)).isEmpty)
        // Two addresses under keyword names that share a word are two senders.
        let senders = [
            comment("see \(page)", author: "cheap boots", email: "a@mail.example", id: "1"),
            comment("see \(page)", author: "cheap boots sale", email: "b@mail.example", id: "2"),
        ]
        #expect(ids(run(check, senders[0], corpus: CorpusIndex(comments: senders))) == ["HC_SHARED_LINK_NAMES"])
    }

    @Test func thePostsAuthorBareSitesAndTheOwnSiteAreSilent() {
        let post = Post(id: "p1", author: "Dana Reyes", url: "http://blog.example/2020/01/post/")
        let byAuthor = [
            comment("the plugin page: http://plugins.example/plugin/doc-tool/faq", author: "Dana", id: "1"),
            comment("per the FAQ http://plugins.example/plugin/doc-tool/faq", author: "Jo Park", id: "2"),
        ]
        #expect(run(check, byAuthor[1], post: post, corpus: CorpusIndex(comments: byAuthor)).isEmpty)
        let sites = [
            comment("my shop http://shop.example/ and http://blog.example/2020/01/other", author: "Kim Ray", id: "1"),
            comment("http://shop.example and http://blog.example/2020/01/other", author: "Lou Ortega", id: "2"),
        ]
        #expect(run(check, sites[0], post: post, corpus: CorpusIndex(comments: sites)).isEmpty)
    }

    @Test func linkKeysDropWhatDoesNotNameAPage() {
        #expect(LinkIndex.key(of: "HTTPS://www.Shop.example/a/b/?utm_medium=x&id=3#frag") == "shop.example/a/b?id=3")
        #expect(LinkIndex.key(of: "http://shop.example/item?a=1&amp;b=2") == "shop.example/item?a=1&b=2")
        #expect(LinkIndex.key(of: "http://shop.example/") == nil)
        #expect(LinkIndex.key(of: "http://shop.example/?fbclid=abc") == nil)
        #expect(LinkIndex.key(of: "http://img.example/smile.gif") == nil)
        #expect(LinkIndex.key(of: "http://example.org/wik...") == nil)
        #expect(LinkIndex.key(of: "https://gist.github.com/someone/abc") == nil)
        #expect(LinkIndex.key(of: "https://youtu.be/abc123") == nil)
        #expect(LinkIndex.key(of: "http://bit.ly/3xYz") == "bit.ly/3xyz")
    }

    /// Past `spillAfter` records the link index moves to a temporary file and answers the same.
    @Test func aSpilledLinkIndexAnswersAsOneInMemory() {
        var all: [Comment] = []
        for index in 0..<120 {
            let page = "http://shop\(index % 9).example/item-\(index % 4).html"
            all.append(comment("Look at \(page) now", author: name(index % 13), id: "\(index + 1)"))
        }
        var batching = CorpusIndex.BatchingBuilder(workers: 2, batchSize: 16, spillAfter: 10)
        batching.add(all)
        let spilled = CorpusIndex(batching.finish())
        let memory = CorpusIndex(comments: all)
        #expect(spilled.links.isSpilled)
        #expect(!memory.links.isSpilled)
        var fired = 0
        for item in all {
            let found = run(check, item, corpus: spilled)
            #expect(found == run(check, item, corpus: memory))
            if !found.isEmpty { fired += 1 }
        }
        #expect(fired > 0)
    }

    /// A spill sorted a slice of key space at a time finds every record of a link, in order.
    @Test func aSpillSortedInSlicesFindsEveryRecord() throws {
        var records: [LinkPost] = []
        for index in 0..<3000 {
            let link = CorpusIndex.mix(UInt64(index % 97))
            records.append(LinkPost(link: link, nameWords: UInt64(index % 11 + 1), email: UInt64(index)))
        }
        let writer = try #require(LinkSpillWriter())
        #expect(writer.append(Array(records.prefix(1000))))
        #expect(writer.append(Array(records.dropFirst(1000))))
        let spilled = try #require(writer.finish(sortBudget: 700))
        for number in 0..<97 {
            let link = CorpusIndex.mix(UInt64(number))
            var found: [LinkPost] = []
            spilled.visit(link) {
                found.append($0)
                return true
            }
            #expect(found == records.filter { $0.link == link }.sorted())
        }
        var none: [LinkPost] = []
        spilled.visit(CorpusIndex.mix(1000)) {
            none.append($0)
            return true
        }
        #expect(none.isEmpty)
    }

    /// One page posted under thousands of names costs a lookup `LinkIndex.recordsPerLookup`
    /// records at most, and one name posting it again and again counts once.
    @Test func aLookupReadsABoundedNumberOfRecords() {
        let page = "http://shop.example/flood/page"
        let flood = (0..<(LinkIndex.recordsPerLookup + 50)).map { index in
            comment("again \(page)", author: name(index), id: "\(index + 1)")
        }
        let poster = LinkPoster(nameWords: LinkIndex.pack("Nobody Known"), email: 0)
        let key = CorpusIndex.fnv1a(LinkIndex.key(of: page) ?? "")
        let corpus = CorpusIndex(comments: flood)
        // 16-bit name-word hashes of 306 names collide now and then, which merges two of them.
        let counted = corpus.links.otherPeople(posting: key, besides: poster, limit: .max)
        #expect(counted <= LinkIndex.recordsPerLookup && counted > LinkIndex.recordsPerLookup - 10)
        #expect(corpus.links.otherPeople(posting: key, besides: poster, limit: 3) == 3)
        let oneName = flood.map { comment($0.content, author: "Same Sender", id: $0.id) }
        #expect(CorpusIndex(comments: oneName).links.otherPeople(posting: key, besides: poster, limit: .max) == 1)
    }
}
