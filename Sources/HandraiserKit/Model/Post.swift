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
    /// Set when this is one part of a thread too long to hand over whole; nil for a whole thread.
    public var part: ThreadPart?

    public init(
        post: Post, comments: [Comment] = [], promisedCommentCount: Int? = nil, notes: [InputNote] = [],
        part: ThreadPart? = nil
    ) {
        self.post = post
        self.comments = comments
        self.promisedCommentCount = promisedCommentCount
        self.notes = notes
        self.part = part
    }
}

/// Where a part of a long thread stands in it. A reader hands a thread of very many comments
/// over in parts, consecutive and in order, so memory holds one part and not the thread; every
/// part carries the whole thread's post fields, and its notes stand on the first part only.
public struct ThreadPart: Sendable, Hashable {
    /// 0 for the first part.
    public var index: Int
    public var isLast: Bool
    /// For each comment of this part that replies to another, the first comment of the whole
    /// thread with that id (which may stand in another part): what a reply is judged beside.
    public var parents: [Comment]
    /// The whole thread's longest comment id (by characters once `TerminalSafe.clean` has
    /// marked what it holds), so writers can align the parts as one table.
    public var longestID: String

    public init(index: Int, isLast: Bool, parents: [Comment] = [], longestID: String = "") {
        self.index = index
        self.isLast = isLast
        self.parents = parents
        self.longestID = longestID
    }

    public var isFirst: Bool { index == 0 }
}

extension Thread {
    /// True for a whole thread and for the first part of one handed over in parts.
    public var isFirstPart: Bool { part?.isFirst ?? true }
    /// True for a whole thread and for the last part of one handed over in parts.
    public var isLastPart: Bool { part?.isLast ?? true }
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
