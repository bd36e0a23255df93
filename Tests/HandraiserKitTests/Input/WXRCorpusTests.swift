import Foundation
import HandraiserInput
import HandraiserModel
import Testing

/// Reads the real WordPress export of the shared dev corpus, when it is present.
@Suite struct WXRCorpusTests {
    static let file = ExportFixtures.corpusRaw("techmeetup.wordpress.2010-06-05.xml")

    @Test(.enabled(if: file != nil, "the dev corpus (../shared/corpus/raw) is absent"))
    func readsEveryComment() throws {
        let path = try #require(Self.file)
        let sink = try ExportFixtures.read(WXRReader(), file: path)
        let prefix = try ByteReader(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), name: path)
            .peek(FormatSniffer.prefixLength)
        #expect(FormatSniffer.sniff(prefix, fileName: "export") == .wxr)
        let comments = sink.threads.flatMap(\.comments)
        #expect(comments.count == (try ExportFixtures.count("<wp:comment>", inFile: path)))
        #expect(
            comments.filter { $0.status == .spam }.count
                == (try ExportFixtures.count("<wp:comment_approved>spam<", inFile: path)))
        #expect(
            comments.filter { $0.type == .pingback }.count
                == (try ExportFixtures.count("<wp:comment_type>pingback<", inFile: path)))
        #expect(
            comments.filter { $0.type == .trackback }.count
                == (try ExportFixtures.count("<wp:comment_type>trackback<", inFile: path)))
        #expect(sink.unreadable.isEmpty)
        // Every thread's comments point at that thread's post, and replies at comments that exist.
        for thread in sink.threads {
            #expect(thread.comments.allSatisfy { $0.postID == thread.post.id })
            let ids = Set(thread.comments.map(\.id))
            #expect(thread.comments.compactMap(\.parentID).allSatisfy(ids.contains))
        }
        // Comments are located at their own `<wp:comment>` line.
        #expect(comments.allSatisfy { ($0.location.line ?? 0) > 1 && $0.location.column == 1 })
        let posts = try ExportFixtures.count("<wp:post_type>post<", inFile: path)
        let pages = try ExportFixtures.count("<wp:post_type>page<", inFile: path)
        #expect(sink.threads.count >= posts + pages)
        // The export carries user ids: comments of a registered post author are recognised.
        #expect(comments.contains { $0.authorship?.isPostAuthor == true })
    }
}
