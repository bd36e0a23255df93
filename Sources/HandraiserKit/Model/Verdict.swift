/// The decision for one comment.
public enum VerdictKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Reached `required_score`.
    case spam
    /// Between `hold_score` and `required_score`: a person should look.
    case held
    /// A real person's comment.
    case genuine
    /// A pingback or trackback that is not spam.
    case pingback
    /// The post author's own comment.
    case author
}

/// A comment field that evidence can point into.
public enum CommentField: String, Sendable, Hashable, CaseIterable, Codable {
    /// The normalised plain text (what `body` rules see).
    case text
    /// The content as given (what `rawbody` rules see).
    case content
    case author
    case email
    case url
    case ip
    case postTitle = "post_title"
    /// One URL found in the text or the fields.
    case uri
}

/// The piece of a field that a rule or check matched, so reports can quote it.
public struct Evidence: Sendable, Hashable {
    public var field: CommentField
    /// UTF-8 byte range into the field's string.
    public var range: Range<Int>
    /// The matched text itself.
    public var excerpt: String

    public init(field: CommentField, range: Range<Int>, excerpt: String) {
        self.field = field
        self.range = range
        self.excerpt = excerpt
    }

    /// Evidence for a match found in `source` at UTF-8 byte `range`.
    public init(field: CommentField, in source: String, range: Range<Int>) {
        self.field = field
        self.range = range
        self.excerpt = source.utf8Slice(range)
    }
}

/// One scored contribution to a verdict: a rule hit or a check's finding.
public struct Reason: Sendable, Hashable {
    /// The rule or check id, e.g. `HR_LEGAL_SEO`.
    public var id: String
    public var description: String
    public var score: Double
    public var evidence: Evidence?
    /// True when this reason says rule `id` could not be applied to the comment (a PCRE2 match,
    /// depth or heap limit, or the per-comment time budget); it scores nothing.
    public var notApplied: Bool

    public init(id: String, description: String, score: Double, evidence: Evidence? = nil, notApplied: Bool = false) {
        self.id = id
        self.description = description
        self.score = score
        self.evidence = evidence
        self.notApplied = notApplied
    }
}

/// A verdict with the total score and every reason behind it.
public struct Verdict: Sendable, Hashable {
    public var kind: VerdictKind
    public var score: Double
    public var reasons: [Reason]

    public init(kind: VerdictKind, score: Double, reasons: [Reason]) {
        self.kind = kind
        self.score = score
        self.reasons = reasons
    }

    /// The ids of the rules that could not be applied to this comment, in reason order.
    public var rulesNotApplied: [String] { reasons.lazy.filter(\.notApplied).map(\.id) }
}

/// A comment with its verdict.
public struct ClassifiedComment: Sendable, Hashable {
    public var comment: Comment
    public var verdict: Verdict

    public init(comment: Comment, verdict: Verdict) {
        self.comment = comment
        self.verdict = verdict
    }
}

/// A thread whose comments have all been classified, in source order.
public struct ClassifiedThread: Sendable, Hashable {
    public var thread: Thread
    public var comments: [ClassifiedComment]

    public init(thread: Thread, comments: [ClassifiedComment]) {
        self.thread = thread
        self.comments = comments
    }

    public var post: Post { thread.post }
}
