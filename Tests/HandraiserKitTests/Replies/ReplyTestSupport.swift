import HandraiserModel

/// Builds invented threads for the planner tests.
enum Fixture {
    /// A comment with a verdict; `author` nil leaves the name out, as text dumps do.
    static func comment(
        _ id: String, _ text: String, author: String? = nil, email: String? = nil, url: String? = nil,
        parent: String? = nil, date: String? = nil, type: CommentType = .comment, status: ModerationStatus? = nil,
        verdict: VerdictKind = .genuine, reasons: [Reason] = []
    ) -> ClassifiedComment {
        ClassifiedComment(
            comment: Comment(
                id: id, parentID: parent, author: author, authorEmail: email, authorURL: url, date: date, type: type,
                content: text, status: status, location: SourceLocation(file: "test", line: Int(id))),
            verdict: Verdict(kind: verdict, score: reasons.reduce(0) { $0 + $1.score }, reasons: reasons))
    }

    static func thread(
        id: String = "1", title: String = "A post", author: String? = "Becky Carroll", text: String? = nil,
        url: String? = nil, _ comments: [ClassifiedComment]
    ) -> ClassifiedThread {
        ClassifiedThread(
            thread: Thread(
                post: Post(id: id, title: title, author: author, url: url, text: text),
                comments: comments.map(\.comment)),
            comments: comments)
    }
}
