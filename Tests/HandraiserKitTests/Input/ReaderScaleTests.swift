import HandraiserInput
import HandraiserModel
import Testing

/// Readers on inputs shaped like the worst real exports. No clock here (timed tests fail on a
/// busy machine and prove nothing on a fast one): a reader that went quadratic again shows as
/// this suite taking minutes, and `handraiser bench` measures the speed.
@Suite struct ReaderScaleTests {
    /// Every record of one post: the JSON Lines reader copied the whole thread on each append,
    /// so 50 000 comments in one thread took minutes.
    @Test func oneJSONLThreadOfManyCommentsIsReadWhole() throws {
        let count = 40_000
        var text = ""
        for index in 0..<count {
            text +=
                #"{"id": "\#(index)", "post_id": "p", "author": "Reader \#(index % 97)", "content": "Comment \#(index)"}"#
            text += "\n"
        }
        // One other post in between, so the big thread is not simply the last one appended to.
        text += #"{"id": "x", "post_id": "q", "content": "Elsewhere"}"# + "\n"
        text += #"{"id": "y", "post_id": "p", "post_title": "Late title", "content": "Last"}"# + "\n"
        var sink = CollectingSink()
        try JSONLReader().read(
            ByteReader(bytes: Array(text.utf8), name: "big.jsonl"), options: ReadOptions(), into: &sink)
        #expect(sink.threads.map(\.post.id) == ["p", "q"])
        #expect(sink.threads[0].comments.count == count + 1)
        #expect(sink.threads[0].comments.last?.id == "y")
        #expect(sink.threads[0].post.title == "Late title")
    }
}
