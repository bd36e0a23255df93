import HandraiserModel

/// The reply-to list for a whole input: one plan per post, and what the author should check.
public struct ReplyReport: Sendable, Hashable {
    /// Posts in input order; posts left out by the post filter are absent.
    public var posts: [PostReplyPlan]
    public var warnings: [ReplyWarning]
    /// Rules that could not be applied to the comments of these posts (PCRE2 limits, the time
    /// budget), per rule id: their verdicts came from the other rules.
    public var ruleFailures: RuleFailureTally

    public init(
        posts: [PostReplyPlan] = [], warnings: [ReplyWarning] = [], ruleFailures: RuleFailureTally = RuleFailureTally()
    ) {
        self.posts = posts
        self.warnings = warnings
        self.ruleFailures = ruleFailures
    }

    /// How many people wait for an answer, over all posts.
    public var waitingCount: Int {
        posts.reduce(0) { $0 + $1.people.filter { $0.status == .waiting }.count }
    }
}

/// The reply plan for one post.
public struct PostReplyPlan: Sendable, Hashable {
    public var post: Post
    /// People with genuine comments, in rank order: everyone waiting first, then those answered.
    public var people: [ReplyCandidate]
    /// People whose comments were held for review: check these before replying.
    public var held: [ReplyCandidate]
    /// Other sites that linked to the post (genuine pingbacks and trackbacks).
    public var thanks: [InboundLink]
    /// Ids of the comments written by the post author (or the team).
    public var authorComments: [String]

    public init(
        post: Post, people: [ReplyCandidate] = [], held: [ReplyCandidate] = [], thanks: [InboundLink] = [],
        authorComments: [String] = []
    ) {
        self.post = post
        self.people = people
        self.held = held
        self.thanks = thanks
        self.authorComments = authorComments
    }

    /// A name for the post in reports: its title, else its id, else its URL.
    public var displayTitle: String {
        for candidate in [post.title, post.id.map { "post \($0)" }, post.url] {
            if let text = candidate?.trimmingWhitespace(), !text.isEmpty { return text }
        }
        return "untitled post"
    }
}

/// Whether a person still waits for the author's answer.
public enum ReplyStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case waiting
    case answered
}

/// One person on one post who may deserve a reply.
public struct ReplyCandidate: Sendable, Hashable {
    /// The name the person gave, or `comment #<id>` when the source had none.
    public var author: String
    /// `mailto:` address or the person's web address, when known.
    public var contact: String?
    /// The person's comments on this post, in source order.
    public var commentIDs: [String]
    /// The date of the comment shown in `excerpt`, as the source wrote it.
    public var date: String?
    /// The start of the person's comment, trimmed to about 200 characters.
    public var excerpt: String
    public var status: ReplyStatus
    /// The author's comment that answered this person, when `status` is `.answered`.
    public var answeredBy: AnswerLink?
    /// Comments of this person that the author's answers cover.
    public var answeredCommentIDs: [String]
    /// 1-based position within the post's list (people and held are ranked separately).
    public var rank: Int
    /// Why a reply matters, strongest first.
    public var reasons: [ReplyReason]

    public init(
        author: String, contact: String? = nil, commentIDs: [String], date: String? = nil, excerpt: String,
        status: ReplyStatus, answeredBy: AnswerLink? = nil, answeredCommentIDs: [String] = [], rank: Int = 0,
        reasons: [ReplyReason] = []
    ) {
        self.author = author
        self.contact = contact
        self.commentIDs = commentIDs
        self.date = date
        self.excerpt = excerpt
        self.status = status
        self.answeredBy = answeredBy
        self.answeredCommentIDs = answeredCommentIDs
        self.rank = rank
        self.reasons = reasons
    }

    /// The sum of the reasons' weights: the ranking key, less a penalty for the people who wrote
    /// earlier (`ReplyReasons.Weight.age`).
    public var weight: Double { reasons.reduce(0) { $0 + $1.weight } }
}

/// How an author's comment was linked to the comment it answers.
public enum AnswerMethod: String, Sendable, Hashable, CaseIterable, Codable {
    /// A threaded reply: the author's comment has the person's comment as parent (or sits in its sub-thread).
    case parent
    /// The author's comment addresses the person by name (`@Name`, `Name, thanks…`).
    case name
    /// The author's comment picks up distinctive words of the person's comment.
    case words
}

/// The author's answer to a person, with the evidence for the link.
public struct AnswerLink: Sendable, Hashable {
    /// Id of the author's comment.
    public var commentID: String
    public var method: AnswerMethod
    /// Text from the author's comment that shows the link (the name, or the shared words).
    public var quote: String?

    public init(commentID: String, method: AnswerMethod, quote: String? = nil) {
        self.commentID = commentID
        self.method = method
        self.quote = quote
    }
}

/// One reason a reply matters, with the text that shows it.
public struct ReplyReason: Sendable, Hashable {
    /// A stable identifier, e.g. `asks-question`.
    public var id: String
    public var description: String
    /// The words of the comment that show the reason, when there are such words.
    public var quote: String?
    /// How much the reason counts in the ranking.
    public var weight: Double

    public init(id: String, description: String, quote: String? = nil, weight: Double = 1) {
        self.id = id
        self.description = description
        self.quote = quote
        self.weight = weight
    }
}

/// A site that linked to the post, to thank.
public struct InboundLink: Sendable, Hashable {
    public var commentID: String
    /// The linking page's title or site name, as the pingback gave it.
    public var title: String
    public var url: String?
    /// The linking site's host name, when known.
    public var host: String?
    public var date: String?

    public init(commentID: String, title: String, url: String? = nil, host: String? = nil, date: String? = nil) {
        self.commentID = commentID
        self.title = title
        self.url = url
        self.host = host
        self.date = date
    }
}

/// Something the author should check before replying.
public struct ReplyWarning: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// The author answered (by thread or by name) a comment judged spam.
        case answeredSpam = "answered-spam"
        /// The author's text addresses a name that looks like a spammer's and matches no genuine comment.
        case addressedSpamName = "addressed-spam-name"
        /// A genuine comment sits in the export's pending or spam queue.
        case genuineNotApproved = "genuine-not-approved"
    }

    public var kind: Kind
    public var postID: String?
    public var postTitle: String?
    /// The comments concerned: the author's comment first, where there is one.
    public var commentIDs: [String]
    public var message: String
    /// The text that shows the problem.
    public var quote: String?

    public init(
        kind: Kind, postID: String? = nil, postTitle: String? = nil, commentIDs: [String], message: String,
        quote: String? = nil
    ) {
        self.kind = kind
        self.postID = postID
        self.postTitle = postTitle
        self.commentIDs = commentIDs
        self.message = message
        self.quote = quote
    }
}
