import Foundation
import HandraiserInput
import HandraiserModel
import Testing

/// `ReadOptions.maximumThreadComments` (what `replies` sets, since it holds whole threads): a
/// thread with more comments is refused while it is read, naming the file, the place and the post.
@Suite struct ThreadLimitTests {
    static func read(_ reader: some CommentReader, _ relative: String, limit: Int) throws {
        var sink = CollectingSink()
        let input = try InputSource(name: DumpFixtures.path(relative)).open()
        try reader.read(input, options: ReadOptions(maximumThreadComments: limit), into: &sink)
    }

    @Test func aJSONLinesThreadOverTheLimitIsRefusedWithItsPost() throws {
        let text = """
            {"id": "1", "post_id": "p", "post_title": "Long one", "content": "a"}
            {"id": "2", "post_id": "q", "content": "b"}
            {"id": "3", "post_id": "p", "content": "c"}
            {"id": "4", "post_id": "p", "content": "d"}
            """
        var sink = CollectingSink()
        let error = #expect(throws: InputError.self) {
            try JSONLReader().read(
                ByteReader(bytes: Array(text.utf8), name: "x.jsonl"), options: ReadOptions(maximumThreadComments: 2),
                into: &sink)
        }
        #expect(
            error?.description
                == #"x.jsonl:4: post "Long one" has more than 2 comments, more than this command holds in memory at once (scan and filter read threads of any length)"#
        )
        // At the limit, nothing is refused.
        try JSONLReader().read(
            ByteReader(bytes: Array(text.utf8), name: "x.jsonl"), options: ReadOptions(maximumThreadComments: 3),
            into: &sink)
        #expect(sink.threads.map(\.comments.count) == [3, 1])
    }

    @Test func aCSVThreadOverTheLimitIsRefusedWithItsPost() throws {
        let file = "fixtures/csv/interchange-quoted.csv"
        let error = #expect(throws: InputError.self) { try Self.read(CSVReader(), file, limit: 2) }
        let expected = DumpFixtures.path(file) + #":6:1: post "Sourdough basics" has more than 2 comments"#
        #expect(error?.description.hasPrefix(expected) == true)
        try Self.read(CSVReader(), file, limit: 5)
    }

    @Test func aWordPressPostOverTheLimitIsRefusedWithItsTitle() throws {
        let file = "fixtures/wxr/wxr-1.0-threaded.xml"
        do {
            try Self.read(WXRReader(), file, limit: 4)
            Issue.record("no error")
        } catch let InputError.threadTooLong(location, post, limit) {
            #expect(location.line == 90)
            #expect(post == "Mending a clinker hull")
            #expect(limit == 4)
        }
        try Self.read(WXRReader(), file, limit: 5)
    }

    @Test func aDisqusThreadOverTheLimitIsRefusedWithItsTitle() throws {
        let file = "fixtures/disqus/disqus-mixed-order.xml"
        do {
            try Self.read(DisqusReader(), file, limit: 1)
            Issue.record("no error")
        } catch let InputError.threadTooLong(_, post, limit) {
            #expect(post == "Ferries of the Firth")
            #expect(limit == 1)
        }
        try Self.read(DisqusReader(), file, limit: 100)
    }
}
