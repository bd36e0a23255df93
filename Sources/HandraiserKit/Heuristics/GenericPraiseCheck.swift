import HandraiserModel

/// Flags template praise: a short compliment about "this post", "your blog", "the info" in
/// general, built from the vocabulary every such comment shares (thanks for sharing, very
/// informative, keep it up, I will bookmark), with no word of its own and nothing from the post.
/// The shape, not a phrase list: "Thanks, this fixed my nginx config!" names something specific
/// and does not fire. A link in the comment, a website as signature or a long text add
/// further ids to the base one.
public struct GenericPraiseCheck: Check {
    static let praise = "HC_GENERIC_PRAISE"
    static let praiseWithURL = "HC_GENERIC_PRAISE_URL"
    static let praiseWithLink = "HC_GENERIC_PRAISE_LINK"
    static let praiseLong = "HC_GENERIC_PRAISE_LONG"

    /// A person who writes this much usually names something; twenty words of pure template is a bot.
    static let longWords = 20
    static let longGenericShare = 0.9

    static let maximumWords = 80
    /// The share of content words that must come from the template vocabulary.
    static let genericShare = 0.8

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.praise: "Template praise of the post in general, nothing specific",
            Self.praiseWithURL: "Template praise of the post in general, signed with a website",
            Self.praiseWithLink: "Template praise of the post in general, with a link in the comment",
            Self.praiseLong: "20 or more words of template praise without one specific word",
        ]
    }

    private let cache = PostTermsCache.shared

    public func run(_ context: CheckContext) -> [Finding] {
        guard !context.isPingbackLike else { return [] }
        let text = context.normalized.text
        let linkSpans = context.textLinkRanges
        // Stops as soon as the comment is too long to be template praise, as most are.
        var letterWords: [WordToken] = []
        for token in context.words where token.hasLetter {
            guard !linkSpans.contains(where: { $0.contains(token.range.lowerBound) }) else { continue }
            letterWords.append(token)
            if letterWords.count > Self.maximumWords { return [] }
        }
        guard letterWords.count >= 3 else { return [] }
        var content: [(term: String, token: WordToken)] = []
        for token in letterWords where !token.isCJK {
            guard token.lower.count >= 2,
                !StopWords.english.contains(token.lower) || Self.praiseStems.contains(Terms.stem(token.lower))
            else { continue }
            content.append((Terms.stem(token.lower), token))
        }
        guard content.count >= 2 else { return [] }
        let praised = content.filter { Self.praiseStems.contains($0.term) }
        let referents = content.filter { Self.referentStems.contains($0.term) }
        guard let firstPraise = praised.first, !referents.isEmpty else { return [] }
        let specific = content.filter { !Self.genericStems.contains($0.term) }
        let share = Double(content.count - specific.count) / Double(content.count)
        guard share >= Self.genericShare else { return [] }
        if let postText = context.thread.post.text, !specific.isEmpty {
            let postTerms = cache.terms(for: context.thread.post, text: postText).terms
            if specific.contains(where: { postTerms.contains($0.term) }) { return [] }
        }
        let start = min(firstPraise.token.range.lowerBound, referents[0].token.range.lowerBound)
        let end = max(firstPraise.token.range.upperBound, referents[0].token.range.upperBound)
        let evidence = TextScan.span(.text, text, start..<end)
        let words = letterWords.count
        // The base id always fires (rules' meta expressions test it); the others add to it.
        var findings = [Finding(.genericPraise(id: Self.praise, words: words, with: nil), evidence: evidence)]
        if words >= Self.longWords && share >= Self.longGenericShare {
            findings.append(
                Finding(
                    .genericPraise(id: Self.praiseLong, words: words, with: "not one specific word"), evidence: evidence
                ))
        }
        if context.links.contains(where: \.isInBody) {
            findings.append(
                Finding(.genericPraise(id: Self.praiseWithLink, words: words, with: "and a link"), evidence: evidence))
        } else if context.links.contains(where: { !$0.isInBody }) {
            findings.append(
                Finding(
                    .genericPraise(id: Self.praiseWithURL, words: words, with: "signed with a website"),
                    evidence: evidence))
        }
        return findings
    }

    static func stems(_ words: [String]) -> Set<String> { Set(words.map(Terms.stem)) }

    static let praiseStems = stems([
        "nice", "great", "good", "awesome", "excellent", "informative", "useful", "helpful", "interesting",
        "wonderful", "amazing", "fantastic", "impressive", "impressed", "valuable", "brilliant", "superb",
        "outstanding", "thanks", "thank", "thx", "thankyou", "appreciate", "appreciated", "love", "loved", "enjoy",
        "enjoyed", "cool", "beautiful", "perfect", "incredible", "remarkable", "fabulous", "terrific", "lovely",
        "neat", "splendid", "magnificent", "marvelous", "marvellous", "exceptional", "extraordinary", "inspiring",
        "insightful", "fascinating", "pleasant", "pleasure", "glad", "happy", "helped", "wow", "super", "best",
        "quality", "well-written", "bookmark", "bookmarked", "like", "liked", "nicely", "greatly",
    ])

    static let referentStems = stems([
        "post", "posts", "posting", "blog", "blogs", "article", "articles", "info", "information", "site",
        "sites", "website", "websites", "webpage", "page", "content", "writing", "writeup", "topic", "subject", "stuff",
        "piece", "concept", "blogpost", "weblog", "read", "share", "sharing", "shared", "work", "job", "effort", "tips",
        "ideas", "points", "explanation", "explained", "presentation", "presented", "theme", "layout", "details",
        "knowledge", "material", "resource", "write", "written", "blogger", "admin", "webmaster", "author",
    ])

    /// Everything a template compliment is made of: praise, referents and the talk around them.
    static let genericStems: Set<String> = praiseStems.union(referentStems).union(
        stems([
            "agree", "way", "actual", "actually", "main", "easy", "language", "precise", "precuse", "bookmarking",
            "come", "coming", "back", "visit", "visiting", "visited", "again", "keep", "kept", "found", "find",
            "finding", "readers", "reader", "owner", "friend", "friends", "buddy", "dude", "mate", "sir", "guys",
            "hello",
            "hey", "hi", "definitely", "certainly", "truly", "honestly", "simply", "totally", "absolutely", "quite",
            "pretty", "extremely", "highly", "lot", "lots", "time", "today", "day", "days", "looking", "forward",
            "future", "subscribe", "subscribed", "feed", "rss", "google", "search", "searching", "searched", "stumbled",
            "across", "recommend", "recommended", "pleased", "learn", "learned", "learnt", "learning", "understand",
            "understanding", "help", "opinion", "point", "view", "views", "continue", "further", "upcoming", "next",
            "waiting", "wait", "hope", "wish", "regards", "cheers", "kind", "similar", "related", "exactly", "needed",
            "need", "wanted", "checking", "check", "checked", "surely", "sure", "worth", "done", "better", "many",
            "entire", "whole", "complete", "finally", "here", "someone", "somebody", "everyone", "everybody",
            "person", "internet", "net", "online", "world", "web", "place", "facts", "fact", "simple", "clear",
            "clearly", "easily", "understood", "style", "detailed", "detail", "soon", "later", "quickly", "attention",
            "deserve", "deserves", "thought", "thoughts", "hours", "minutes", "spent", "spend", "yesterday", "week",
            "posted", "please", "keep", "up", "really", "very", "much", "more", "nice", "man", "mind", "year", "years",
            "valuable", "useful", "fine", "job", "sharing", "topic", "wonderful", "interesting", "added", "add",
            "list", "rss", "regular", "regularly", "visitor", "return", "returning", "bye", "glad", "discover",
            "discovered", "stuff", "anyway", "indeed", "true", "truth", "piece", "unique", "fresh", "different",
            "such", "thing", "things", "whatever", "every", "appreciation", "kudos", "bravo", "congrats",
            "congratulations", "hats", "off", "writer", "writers", "nowadays", "rare", "rarely", "usually", "always",
            "continue", "hard", "presentation", "lucid", "manner", "easy", "understandable", "level",
            // How the template says it found the blog ("Lucky me I found your site by accident").
            "lucky", "accident", "accidentally", "chance",
        ]))
}

extension Finding.Message {
    fileprivate static func genericPraise(id: String, words: Int, with extra: String?) -> Self {
        Self(id: id, description: "generic praise of the post in \(words) words" + (extra.map { ", " + $0 } ?? ""))
    }
}
