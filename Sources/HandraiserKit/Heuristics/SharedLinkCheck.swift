import HandraiserModel

/// Flags a comment that posts a page (in its text or as its website) that comments under other
/// names elsewhere in the input post too: one product page or shop under rotating names is how a
/// link campaign looks, whatever its wording.
///
/// Readers share links too, so only a page counts (a link with a path, not a bare site), and not
/// the post's own site, images, or the sites readers cite to each other (`LinkIndex.key(of:)`).
/// The post's author under any spelling, and one person under two names sharing a word or an
/// e-mail address, count once.
public struct SharedLinkCheck: Check {
    static let inText = "HC_SHARED_LINK_NAMES"
    static let asSite = "HC_SHARED_SITE_NAMES"
    static let many = "HC_SHARED_LINK_NAMES_MANY"

    /// From this many other people on, a campaign rather than two readers citing one page.
    static let manyThreshold = 2

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.inText: "Links a page in its text that a comment under another name in the input links too",
            Self.asSite: "Gives as its website a page that a comment under another name in the input links too",
            Self.many:
                "Links a page (in its text or as its website) that comments under 2 or more other names link too",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        let comment = context.comment
        guard comment.type == .comment, !context.isPingbackLike, comment.authorship?.isPostAuthor != true else {
            return []
        }
        let post = context.thread.post
        let authorWords = ([post.author] + post.authorAliases).flatMap(LinkIndex.nameWordHashes)
        let ownWords = LinkIndex.nameWordHashes(comment.author)
        // The author links their own pages and projects all the time, under any spelling.
        guard !ownWords.contains(where: authorWords.contains) else { return [] }
        var poster = LinkPoster(nameWords: LinkIndex.pack(comment.author), email: LinkIndex.emailHash(comment))
        guard !poster.isNobody else { return [] }
        poster.merge(words: authorWords)
        let ownHost = post.url.flatMap(LinkExtractor.host(of:))
        // The link shared with the most other people, in the text and as the website.
        var inText: (link: FoundLink, others: Int)?
        var asSite: (link: FoundLink, others: Int)?
        for link in context.links {
            guard let host = link.host, !LinkIndex.isOwnHost(host, ownHost), let key = LinkIndex.key(of: link.url)
            else { continue }
            let others = context.corpus.links.otherPeople(
                posting: CorpusIndex.fnv1a(key), besides: poster, limit: Self.manyThreshold)
            guard others > 0 else { continue }
            if link.isInBody {
                if others > (inText?.others ?? 0) { inText = (link, others) }
            } else if others > (asSite?.others ?? 0) {
                asSite = (link, others)
            }
        }
        var findings: [Finding] = []
        if let inText {
            findings.append(Finding(.sharedLink(id: Self.inText, inText.others), evidence: inText.link.evidence))
        }
        if let asSite {
            findings.append(Finding(.sharedLink(id: Self.asSite, asSite.others), evidence: asSite.link.evidence))
        }
        if let most = [inText, asSite].compactMap({ $0 }).max(by: { $0.others < $1.others }),
            most.others >= Self.manyThreshold
        {
            findings.append(Finding(.sharedLink(id: Self.many, most.others), evidence: most.link.evidence))
        }
        return findings
    }
}

extension Finding.Message {
    fileprivate static func sharedLink(id: String, _ others: Int) -> Self {
        Self(
            id: id,
            description: others == 1
                ? "links the same page as a comment under another name"
                : "links the same page as comments under \(others) or more other names")
    }
}
