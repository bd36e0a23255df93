/// What kind of entry a comment is, as the source says.
public enum CommentType: String, Sendable, Hashable, CaseIterable, Codable {
    case comment, pingback, trackback
}

/// The moderation status a site's own export gave a comment.
public enum ModerationStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case approved, pending, spam, trash
}

/// Evaluation labels carried by labelled inputs. They are never inputs to a verdict.
public struct EvaluationLabels: Sendable, Hashable {
    public enum Label: String, Sendable, Hashable, Codable { case spam, ham }
    /// `spam` or `ham`, from the site's own moderation.
    public var label: Label?
    /// The post author answered this comment (threaded reply or by name).
    public var replied: Bool?
    /// The comment was written by the post author.
    public var byPostAuthor: Bool?

    public init(label: Label? = nil, replied: Bool? = nil, byPostAuthor: Bool? = nil) {
        self.label = label
        self.replied = replied
        self.byPostAuthor = byPostAuthor
    }

    public var isEmpty: Bool { label == nil && replied == nil && byPostAuthor == nil }
}

/// Why an input reader believes a comment is (or is not) the post author's own.
public struct Authorship: Sendable, Hashable {
    public var isPostAuthor: Bool
    /// How sure the reader is, from 0 (a guess) to 1 (the source says so).
    public var confidence: Double
    /// A sentence saying what the decision rests on.
    public var evidence: String

    public init(isPostAuthor: Bool, confidence: Double, evidence: String) {
        self.isPostAuthor = isPostAuthor
        self.confidence = confidence
        self.evidence = evidence
    }
}

/// One comment, as read from any input format.
public struct Comment: Sendable, Hashable, Identifiable {
    /// The source's id; for text dumps, the comment's number in the dump.
    public var id: String
    public var parentID: String?
    public var postID: String?
    public var author: String?
    public var authorEmail: String?
    public var authorURL: String?
    public var authorIP: String?
    /// The platform's user id of the author, when the export has one (WordPress `comment_user_id`).
    public var authorUserID: String?
    /// The date as the source wrote it.
    public var date: String?
    public var type: CommentType
    /// The text as given; may hold HTML.
    public var content: String
    /// The plain-text form of `content`: tags removed, entities decoded, white space tidied.
    public var text: String
    /// The site's own moderation status, when the export has one.
    public var status: ModerationStatus?
    /// Set by readers that can tell the post author's comments apart.
    public var authorship: Authorship?
    public var labels: EvaluationLabels
    /// Fields the reader did not know, kept in input order for pass-through in filter mode.
    public var extraFields: [ExtraField]
    public var location: SourceLocation

    public init(
        id: String, parentID: String? = nil, postID: String? = nil, author: String? = nil,
        authorEmail: String? = nil, authorURL: String? = nil, authorIP: String? = nil,
        authorUserID: String? = nil, date: String? = nil, type: CommentType = .comment,
        content: String, text: String? = nil, status: ModerationStatus? = nil,
        authorship: Authorship? = nil, labels: EvaluationLabels = EvaluationLabels(),
        extraFields: [ExtraField] = [], location: SourceLocation
    ) {
        self.id = id
        self.parentID = parentID
        self.postID = postID
        self.author = author
        self.authorEmail = authorEmail
        self.authorURL = authorURL
        self.authorIP = authorIP
        self.authorUserID = authorUserID
        self.date = date
        self.type = type
        self.content = content
        self.text = text ?? PlainText.from(html: content)
        self.status = status
        self.authorship = authorship
        self.labels = labels
        self.extraFields = extraFields
        self.location = location
    }
}

extension Comment {
    /// The most text the checks and rules look at: the signs of spam are in a comment's first
    /// megabyte, and judging 50 MB of text would take minutes and gigabytes for nothing.
    public static let judgedBytes = 1 << 20

    /// Whether `content` or `text` is longer than `judgedBytes`.
    public var isOverJudgedLength: Bool {
        content.utf8.count > Self.judgedBytes || text.utf8.count > Self.judgedBytes
    }

    /// The comment with `content` and `text` cut to their first `judgedBytes` (at a character
    /// boundary), so evidence found in it points at the same bytes of the whole comment.
    public var judgedPart: Comment {
        guard isOverJudgedLength else { return self }
        var part = self
        part.content = Self.prefix(content, bytes: Self.judgedBytes)
        part.text = Self.prefix(text, bytes: Self.judgedBytes)
        return part
    }

    static func prefix(_ text: String, bytes limit: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: limit)
        // A byte that is not a continuation byte starts a character of valid UTF-8.
        while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) {
            end = utf8.index(before: end)
        }
        return String(decoding: utf8[..<end], as: UTF8.self)
    }
}

/// An input field the model has no place for, kept as raw JSON text so it passes through unchanged.
public struct ExtraField: Sendable, Hashable {
    public var name: String
    /// The field's value as JSON source text (e.g. `"x"`, `12`, `{"a":1}`).
    public var json: String

    public init(name: String, json: String) {
        self.name = name
        self.json = json
    }
}
