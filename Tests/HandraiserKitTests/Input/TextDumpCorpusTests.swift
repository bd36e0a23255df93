import Foundation
import HandraiserInput
import HandraiserModel
import Testing

/// Real comments from the dev corpus (`../shared/corpus`, never copied into the project),
/// pasted into page shapes the way themes show them, must read back as they went in.
///
/// The corpus's `by_post_author` label marks accounts, not people: a post author commenting as
/// `Ben` under the byline `Ben Balter` is unlabelled. A comment taken for the author's counts as
/// right when the label says so or the names agree.
@Suite(.enabled(if: DumpCorpus.isAvailable, "the dev corpus (../shared/corpus) is not here"))
struct TextDumpCorpusTests {
    static let corpusFolder = DumpCorpus.folder
    /// Threaded exports with post authors among the commenters. The larger WordPress exports read
    /// as well (measured while tuning) and are left out to keep the suite quick.
    static let files = [
        "wxr_teachmetocode.jsonl", "disqus_benbalter.jsonl", "wxr_techmeetup.jsonl", "wxr_cc_labs.jsonl",
    ]

    struct Source {
        var id: String
        var parent: String?
        var author: String
        var isComment: Bool
        var text: String
        var byPostAuthor: Bool
    }

    struct Page {
        var title: String
        var author: String?
        var text: String
        var comments: [Source] = []
    }

    static func pages(_ file: String) throws -> [Page] {
        let data = try Data(contentsOf: URL(fileURLWithPath: corpusFolder + "/" + file))
        var pages: [String: Page] = [:]
        var order: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let record = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            let postID = record["post_id"] as? String ?? ""
            if pages[postID] == nil {
                order.append(postID)
                pages[postID] = Page(
                    title: record["post_title"] as? String ?? "Untitled", author: record["post_author"] as? String,
                    text: PlainText.from(html: record["post_text"] as? String ?? ""))
            }
            let author = (record["author"] as? String ?? "").trimmingCharacters(in: .whitespaces)
            pages[postID]?.comments.append(
                Source(
                    id: record["id"] as? String ?? "", parent: record["parent_id"] as? String,
                    author: author.isEmpty ? "Anonymous" : author,
                    isComment: (record["type"] as? String ?? "comment") == "comment",
                    text: PlainText.from(html: record["content"] as? String ?? ""),
                    byPostAuthor: record["by_post_author"] as? Bool ?? false))
        }
        return order.compactMap { pages[$0] }
    }

    enum Shape: String, CaseIterable { case wordpress, disqus, numbered }

    /// The page as a visitor would copy it: nested replies indented, furniture between comments.
    static func dump(_ page: Page, shape: Shape, byline: Bool) -> String {
        var out = [page.title, ""]
        if byline, let author = page.author { out += ["Posted on March 3, 2015 by \(author)", ""] }
        out += [page.text.isEmpty ? "The post." : page.text, "", "\(page.comments.count) Responses", ""]
        var depth: [String: Int] = [:]
        for (index, comment) in page.comments.enumerated() {
            let level = comment.parent.flatMap { depth[$0] }.map { $0 + 1 } ?? 0
            depth[comment.id] = level
            let pad = String(repeating: " ", count: 4 * min(level, 3))
            let body = comment.text.split(separator: "\n", omittingEmptySubsequences: false)
            switch shape {
            case .wordpress:
                if !comment.isComment {
                    out += [pad + "Pingback: \(comment.author)", ""]
                    continue
                }
                out += [pad + "\(comment.author) says:", pad + "March 3, 2015 at 4:12 pm", ""]
                out += body.map { $0.isEmpty ? "" : pad + $0 } + ["", pad + "Reply"]
            case .disqus:
                out += [
                    pad + "Avatar", pad + (comment.isComment ? "" : "Pingback: ") + "\(comment.author) • 5 years ago",
                ]
                out += body.map { $0.isEmpty ? "" : pad + $0 } + [pad + "Reply • Share ›"]
            case .numbered:
                let head = comment.isComment ? comment.author : "Pingback: \(comment.author)"
                out += ["  \(index + 1). \(head)", ""] + body.map { $0.isEmpty ? "" : "    " + $0 } + [""]
            }
        }
        return (out + ["", "Leave a Reply"]).joined(separator: "\n")
    }

    static func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    struct Tally {
        var pages = 0, pagesRead = 0, comments = 0, textsRead = 0, authorsRead = 0
        var authorTaken = 0, authorTakenRightly = 0, authorLabelled = 0
    }

    static func tally(_ shape: Shape, byline: Bool) throws -> Tally {
        var tally = Tally()
        for file in files {
            for page in try pages(file) {
                tally.pages += 1
                let thread = try TextDumpReader.parse(Array(dump(page, shape: shape, byline: byline).utf8), file: file)
                guard thread.comments.count == page.comments.count else { continue }
                tally.pagesRead += 1
                for (source, read) in zip(page.comments, thread.comments) where source.isComment {
                    tally.comments += 1
                    if words(source.text) == words(read.text) { tally.textsRead += 1 }
                    if read.author == source.author { tally.authorsRead += 1 }
                    if source.byPostAuthor { tally.authorLabelled += 1 }
                    guard read.authorship?.isPostAuthor == true else { continue }
                    tally.authorTaken += 1
                    let mine = Set(DumpNamesForTests.words(source.author))
                    let theirs = Set(DumpNamesForTests.words(page.author ?? ""))
                    if source.byPostAuthor || !mine.isEmpty && (mine.isSubset(of: theirs) || theirs.isSubset(of: mine))
                    {
                        tally.authorTakenRightly += 1
                    }
                }
            }
        }
        return tally
    }

    @Test(arguments: Shape.allCases) func corpusCommentsReadBack(_ shape: Shape) throws {
        for byline in shape == .wordpress ? [true, false] : [true] {
            let tally = try Self.tally(shape, byline: byline)
            let summary = "\(shape) byline=\(byline): \(tally)"
            #expect(Double(tally.pagesRead) >= 0.97 * Double(tally.pages), "\(summary)")
            #expect(Double(tally.textsRead) >= 0.9 * Double(tally.comments), "\(summary)")
            #expect(Double(tally.authorsRead) >= 0.9 * Double(tally.comments), "\(summary)")
            // Taking a reader for the author hides them from the reply list: precision first.
            #expect(Double(tally.authorTakenRightly) >= (byline ? 0.97 : 0.8) * Double(tally.authorTaken), "\(summary)")
            if byline { #expect(tally.authorTakenRightly * 2 >= tally.authorLabelled, "\(summary)") }
        }
    }
}

enum DumpCorpus {
    static let folder = DumpFixtures.packageRoot + "/../shared/corpus"
    static let isAvailable = FileManager.default.fileExists(atPath: folder + "/wxr_teachmetocode.jsonl")
}

/// Word splitting for comparing names, as a reader of the page would.
enum DumpNamesForTests {
    static func words(_ name: String) -> [String] {
        name.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }
}
