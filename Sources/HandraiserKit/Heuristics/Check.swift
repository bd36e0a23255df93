import HandraiserModel

/// One observation a built-in check made about a comment, e.g. `HC_LINKS_4PLUS` "5 links in 31 words".
///
/// Findings carry no score: scores are data in `rules/*.cf`, summed by the classification stage.
public struct Finding: Sendable, Hashable {
    /// The finding id, `HC_` prefixed; its score is set in `rules/checks.cf`.
    public var id: String
    /// What was seen, in a short phrase with the numbers that made the check fire.
    public var description: String
    /// The span the finding rests on, when there is one to quote.
    public var evidence: Evidence?

    public init(id: String, description: String, evidence: Evidence? = nil) {
        self.id = id
        self.description = description
        self.evidence = evidence
    }

    /// A finding's id and wording, declared privately by the check that produces it.
    struct Message {
        var id: String
        var description: String
    }

    init(_ message: Message, evidence: Evidence?) {
        self.init(id: message.id, description: message.description, evidence: evidence)
    }
}

/// Everything a check may look at for one comment.
public struct CheckContext: Sendable {
    public let comment: Comment
    /// `comment.text` normalised; evidence in the `text` field points into `normalized.text`.
    public let normalized: NormalizedText
    /// The links found in the comment (`LinkExtractor.links(in:)`).
    public let links: [FoundLink]
    /// The comment's thread: the post (for relevance) and the sibling comments.
    public let thread: Thread
    /// Built once over all comments of the whole input.
    public let corpus: CorpusIndex
    /// The words of `normalized.text`, scanned once for every check that counts or compares words.
    let words: [WordToken]
    /// UTF-8 ranges of the URL-like spans of `normalized.text`, in order.
    let textLinkRanges: [Range<Int>]
    /// A pingback or trackback, by type or by shape: its author is a page title, its text an
    /// excerpt with a link, so the checks written for people's comments leave it alone.
    /// Worked out once here because most checks ask.
    let isPingbackLike: Bool

    /// `normalized` and `links` are computed from `comment` when not given.
    public init(
        comment: Comment, thread: Thread, corpus: CorpusIndex, normalized: NormalizedText? = nil,
        links: [FoundLink]? = nil
    ) {
        self.comment = comment
        self.normalized = normalized ?? NormalizedText(comment.text)
        self.links = links ?? LinkExtractor.links(in: comment)
        self.thread = thread
        self.corpus = corpus
        let text = self.normalized.text
        self.words = TextScan.words(in: text)
        self.textLinkRanges = LinkExtractor.scan(text).map(\.range)
        self.isPingbackLike =
            comment.type != .comment || PingbackShapeCheck.excerptRange(text) != nil
            || PingbackShapeCheck.headerRange(text) != nil
    }
}

/// A built-in heuristic: looks at one comment in context and reports what it saw.
public protocol Check: Sendable {
    /// Every finding id this check can produce, with a one-line description (for lint and docs).
    var findingIDs: [String: String] { get }
    func run(_ context: CheckContext) -> [Finding]
}

/// The checks the classifier runs by default.
public enum BuiltInChecks {
    public static let all: [any Check] = [
        LinksCheck(),
        AuthorNameCheck(),
        GenericPraiseCheck(),
        RelevanceCheck(),
        HardWrapCheck(),
        RepetitionCheck(),
        ImpersonalCheck(),
        NearDuplicateCheck(),
        SharedLinkCheck(),
        LookalikeCheck(),
        PingbackShapeCheck(),
        PatchworkCheck(),
        ThreadPlaceCheck(),
    ]

    /// Every finding id of every built-in check, with its description.
    public static var findingIDs: [String: String] {
        all.reduce(into: [:]) { ids, check in ids.merge(check.findingIDs) { first, _ in first } }
    }

    /// Runs every built-in check on `context`.
    public static func run(_ context: CheckContext) -> [Finding] {
        all.flatMap { $0.run(context) }
    }
}
