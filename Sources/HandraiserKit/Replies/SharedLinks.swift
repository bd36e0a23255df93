import HandraiserHeuristics
import HandraiserModel

/// The links that comments across the whole input put in their text, with who posted each and
/// whether any of those comments the classifier doubted, so the planner can see a promotion posted
/// under several names: one name caught with spam signs, another with the same landing page that
/// reads like a reader ("I do have a question… for example, this guide (<link>)"), or the same
/// shortened link under two names. Readers share links too, so only these two shapes count:
/// - the same page (a link with a path, not a bare site) as a comment that is spam, held, shows
///   spam signs or sits in the export's spam folder, posted under another name;
/// - the same shortened link (bit.ly and the like, whose destination nobody sees) under two names.
///
/// Links to the post's own site are left out: readers and the author point to the blog's pages.
struct SharedLinkIndex {
    private struct Poster: Hashable {
        let identity: String
        let doubtful: Bool
    }

    /// Posters of each link, by `key(of:)`.
    private var posters: [String: Set<Poster>] = [:]

    /// An index that knows no links.
    init() {}

    init(threads: some Sequence<ClassifiedThread>, isAuthor: (ClassifiedComment, Post) -> Bool, doubtfulScore: Double) {
        for thread in threads {
            let ownHost = thread.post.url.flatMap(LinkExtractor.host(of:))
            for item in thread.comments where item.comment.type == .comment && !isAuthor(item, thread.post) {
                let verdict = item.verdict
                // A name with a word of the byline ("Ben" under Ben Balter's post) may be the author
                // under another spelling: authors link pages all the time, so it is no evidence.
                let doubtful =
                    (verdict.kind == .spam || verdict.kind == .held || item.comment.status == .spam
                        || (verdict.kind == .genuine && verdict.score >= doubtfulScore))
                    && !Self.sharesAWord(item.comment.author, thread.post.author)
                let poster = Poster(identity: Self.identity(item.comment), doubtful: doubtful)
                for key in Self.keys(item.comment, ownHost: ownHost) { posters[key, default: []].insert(poster) }
            }
        }
    }

    /// Why `comment` looks like part of a promotion posted under several names, or nil.
    func reason(for comment: Comment, post: Post) -> ReplyReason? {
        let me = Self.identity(comment)
        let ownHost = post.url.flatMap(LinkExtractor.host(of:))
        for link in LinkExtractor.links(in: comment) where link.isInBody {
            guard let key = Self.key(of: link.url, ownHost: ownHost) else { continue }
            let others = (posters[key] ?? []).filter { $0.identity != me }
            if others.contains(where: \.doubtful) {
                return ReplyReason(
                    id: "shared-link",
                    description: "links the same page as a comment under another name that shows spam signs",
                    quote: link.url, weight: 0)
            }
            if Self.isShortened(key), !others.isEmpty {
                return ReplyReason(
                    id: "shared-link", description: "posts the same shortened link as a comment under another name",
                    quote: link.url, weight: 0)
            }
        }
        return nil
    }

    private static func keys(_ comment: Comment, ownHost: String?) -> Set<String> {
        Set(LinkExtractor.links(in: comment).filter(\.isInBody).compactMap { key(of: $0.url, ownHost: ownHost) })
    }

    /// The link without scheme, `www.` and trailing punctuation; nil for a bare site, a link to the
    /// post's own site and a mailto link.
    static func key(of url: String, ownHost: String?) -> String? {
        guard let host = LinkExtractor.host(of: url), host != ownHost, !url.lowercased().hasPrefix("mailto:") else {
            return nil
        }
        var rest = Substring(url.lowercased())
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if rest.hasPrefix("www.") { rest = rest.dropFirst(4) }
        while let last = rest.last, "/.,;:!?)]}\"'”’".contains(last) { rest = rest.dropLast() }
        // A display cut short by the site ("example.org/wik...") is not the page it names.
        guard !rest.hasSuffix("..."), !rest.hasSuffix("…") else { return nil }
        let path = rest.drop { $0 != "/" && $0 != "?" }
        guard path.count > 1 else { return nil }
        return String(rest)
    }

    /// Hosts whose links only redirect elsewhere (the same list as `__SHORTENER` in rules/links.cf).
    static let shortenerHosts: Set<String> = [
        "bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "adf.ly", "shorte.st", "bit.do",
        "cutt.ly", "rebrand.ly", "tiny.cc", "x.co", "v.gd", "soo.gd", "shorturl.at", "rb.gy", "t.ly", "clck.ru",
        "qr.net", "1url.com", "u.to", "t.co",
    ]

    static func isShortened(_ key: String) -> Bool {
        shortenerHosts.contains(String(key.prefix { $0 != "/" && $0 != "?" }))
    }

    static func sharesAWord(_ a: String?, _ b: String?) -> Bool {
        func words(_ text: String?) -> Set<String> {
            Set((text ?? "").lowercased().split { !$0.isLetter }.filter { $0.count >= 2 }.map(String.init))
        }
        return !words(a).isDisjoint(with: words(b))
    }

    /// Who posted: the name's key, else the e-mail address, else nobody in particular (an
    /// unnamed comment counts as its own poster).
    private static func identity(_ comment: Comment) -> String {
        if let name = PersonName(comment.author) { return "n:" + name.key }
        if let email = PlanContext.emailKey(comment) { return "e:" + email }
        return "#" + comment.id
    }
}
