/// The post a comment section belongs to.
public struct Post: Sendable, Hashable {
    public var id: String?
    public var title: String?
    /// The post author's display name.
    public var author: String?
    /// Other names the post author goes by (login, e-mail), when the source gives them.
    public var authorAliases: [String]
    public var url: String?
    /// Plain text of the post, used to judge relevance.
    public var text: String?
    /// The byline as written (`by | Mar 6, 2019 | Uncategorized | 0 comments`).
    public var byline: String?
    public var date: String?

    public init(
        id: String? = nil, title: String? = nil, author: String? = nil, authorAliases: [String] = [],
        url: String? = nil, text: String? = nil, byline: String? = nil, date: String? = nil
    ) {
        self.id = id
        self.title = title
        self.author = author
        self.authorAliases = authorAliases
        self.url = url
        self.text = text
        self.byline = byline
        self.date = date
    }
}

/// A post and its comments, in source order.
public struct Thread: Sendable, Hashable {
    public var post: Post
    public var comments: [Comment]
    /// What the comment-section header promised (`15 Responses` → 15), when there was one.
    public var promisedCommentCount: Int?
    /// Observations a reader made while reading: missing comments, guesses, skipped lines.
    public var notes: [InputNote]

    public init(post: Post, comments: [Comment] = [], promisedCommentCount: Int? = nil, notes: [InputNote] = []) {
        self.post = post
        self.comments = comments
        self.promisedCommentCount = promisedCommentCount
        self.notes = notes
    }
}

/// Something a reader noticed that the user should know, with where it was noticed.
public struct InputNote: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case info, warning }
    public var severity: Severity
    /// A stable identifier, e.g. `missing-comments`, `author-inferred`.
    public var code: String
    public var message: String
    public var location: SourceLocation?

    public init(severity: Severity, code: String, message: String, location: SourceLocation? = nil) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        (location.map { "\($0): " } ?? "") + "\(severity.rawValue): \(message)"
    }
}
