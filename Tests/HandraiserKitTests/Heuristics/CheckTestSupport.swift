import HandraiserModel
import Testing

@testable import HandraiserHeuristics

/// A comment as the tests need it: content given, text derived like a reader would.
func makeComment(
    _ content: String, author: String? = nil, authorURL: String? = nil, type: CommentType = .comment,
    id: String = "1", postID: String? = "p1", parentID: String? = nil, line: Int = 1
) -> Comment {
    Comment(
        id: id, parentID: parentID, postID: postID, author: author, authorURL: authorURL, type: type, content: content,
        location: HandraiserModel.SourceLocation(file: "test.jsonl", line: line))
}

/// Runs `check` on one comment in a thread of its own (or the given post and corpus).
func run(
    _ check: some Check, _ comment: Comment, post: Post = Post(id: "p1"), siblings: [Comment] = [],
    corpus: CorpusIndex? = nil
) -> [Finding] {
    let thread = Thread(post: post, comments: [comment] + siblings)
    let context = CheckContext(
        comment: comment, thread: thread, corpus: corpus ?? CorpusIndex(comments: [comment] + siblings))
    let findings = check.run(context)
    for finding in findings {
        #expect(check.findingIDs[finding.id] != nil, "\(finding.id) is not declared in findingIDs")
        if let evidence = finding.evidence {
            let source = field(evidence.field, of: context)
            #expect(
                source.utf8Slice(evidence.range) == evidence.excerpt,
                "evidence of \(finding.id) does not quote its range")
            #expect(evidence.range.upperBound <= source.utf8.count)
        }
    }
    return findings
}

func ids(_ findings: [Finding]) -> Set<String> {
    Set(findings.map(\.id))
}

/// The string an evidence field points into.
func field(_ field: CommentField, of context: CheckContext) -> String {
    switch field {
    case .text: context.normalized.text
    case .content: context.comment.content
    case .author: context.comment.author ?? ""
    case .url: context.comment.authorURL ?? ""
    case .email: context.comment.authorEmail ?? ""
    case .ip: context.comment.authorIP ?? ""
    case .postTitle: context.thread.post.title ?? ""
    case .uri: ""
    }
}

/// Runs a hit case twice, the second time with multibyte text in front of the content, and
/// checks the evidence moved by exactly those bytes and still quotes the same text
/// (the byte/character offset bug class SwiftLint's emoji pass catches).
func expectSameEvidenceAfterEmojiPrefix(
    _ check: some Check, _ comment: Comment, id: String, post: Post = Post(id: "p1"),
    sourceLocation: SourceLocation2 = #_sourceLocation
) {
    let prefix = "😀 日本 "
    let plain = run(check, comment, post: post).first { $0.id == id }
    var shifted = comment
    shifted.content = prefix + comment.content
    shifted.text = PlainText.from(html: shifted.content)
    let prefixed = run(check, shifted, post: post).first { $0.id == id }
    #expect(plain != nil, "\(id) did not fire", sourceLocation: sourceLocation)
    #expect(prefixed != nil, "\(id) did not fire after the emoji prefix", sourceLocation: sourceLocation)
    guard let before = plain?.evidence, let after = prefixed?.evidence else { return }
    #expect(after.excerpt == before.excerpt, sourceLocation: sourceLocation)
    if before.field == .content || before.field == .text {
        #expect(after.range.lowerBound - before.range.lowerBound == prefix.utf8.count, sourceLocation: sourceLocation)
    }
}

typealias SourceLocation2 = Testing.SourceLocation
// Swift Testing declares its own `Comment`; in these tests the word means a blog comment.
typealias Comment = HandraiserModel.Comment
