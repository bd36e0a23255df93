import HandraiserInput
import HandraiserModel
import Testing

/// Fixtures and seeds, found from this file's place in the package.
enum DumpFixtures {
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        // …/Tests/HandraiserKitTests/Input/TextDumpTestSupport.swift
        parts.removeLast(4)
        return parts.joined(separator: "/")
    }()

    static func path(_ relative: String) -> String { packageRoot + "/" + relative }

    static func read(_ relative: String, options: ReadOptions = ReadOptions()) throws -> Thread {
        let source = InputSource(name: path(relative))
        var sink = CollectingSink()
        try TextDumpReader().read(try source.open(), options: options, into: &sink)
        #expect(sink.threads.count == 1)
        #expect(sink.unreadable.isEmpty)
        return try #require(sink.threads.first)
    }

    static func parse(_ text: String, options: ReadOptions = ReadOptions()) throws -> Thread {
        try TextDumpReader.parse(Array(text.utf8), file: "dump.txt", options: options)
    }

    /// The whole parsed structure as text, so a test can compare it with one literal.
    static func render(_ thread: Thread, content: Bool = true) -> String {
        var out: [String] = []
        let post = thread.post
        out.append("post: \(post.title ?? "-")")
        if let byline = post.byline { out.append("byline: \(byline)") }
        if let author = post.author { out.append("post author: \(author)") }
        if let date = post.date { out.append("post date: \(date)") }
        if let promised = thread.promisedCommentCount { out.append("promised: \(promised)") }
        for c in thread.comments {
            var head = "#\(c.id)"
            if c.type != .comment { head += " \(c.type.rawValue)" }
            if let author = c.author { head += " by \(author)" }
            if let url = c.authorURL { head += " <\(url)>" }
            if let date = c.date { head += " on \(date)" }
            if let parent = c.parentID { head += " reply to #\(parent)" }
            head += " @\(c.location.line ?? 0)"
            if let a = c.authorship, a.isPostAuthor { head += " [post author]" }
            out.append(head)
            if content && c.content != c.text {
                out.append(
                    contentsOf: c.content.split(separator: "\n", omittingEmptySubsequences: false).map { "  | \($0)" })
            }
            out.append(contentsOf: c.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  > \($0)" })
        }
        for note in thread.notes { out.append("note \(note.code) (\(note.severity.rawValue)): \(note.message)") }
        return out.joined(separator: "\n")
    }
}
