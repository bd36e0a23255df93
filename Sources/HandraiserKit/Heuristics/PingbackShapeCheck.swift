import HandraiserModel

/// Flags a comment typed as an ordinary comment that has the shape of a pingback or trackback:
/// an excerpt framed by `[…]` / `[...]`, or a `Pingback: Title « Site` line. Text dumps and some
/// exports lose the comment type; the classification stage uses this finding to treat the entry
/// as a pingback rather than a person.
///
/// It also flags the scraper's pingback (`HC_PINGBACK_TITLE_ONLY`): an excerpt that is nothing but
/// this post's page title, site name included ("Post title – Blog name"), sent from a page whose
/// own title shares no word with the post. A person writing about a post quotes or sums it up,
/// and a link list that copies titles uses the post title alone; a splog's "related posts" block
/// pastes the linked page's whole `<title>` under a page about something else.
///
/// And the trackback tools' own sentence (`HC_TRACKBACK_TEMPLATE`): "I found your entry
/// interesting so I've added a Trackback to it on my weblog :)", the text they send under any
/// post when the linking page has no excerpt of it, because there is none.
public struct PingbackShapeCheck: Check {
    static let shape = "HC_PINGBACK_SHAPE"
    static let titleOnly = "HC_PINGBACK_TITLE_ONLY"
    static let trackbackTemplate = "HC_TRACKBACK_TEMPLATE"

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.shape: "Shaped like a pingback or trackback: a [...] excerpt or a 'Pingback: Title' line",
            Self.titleOnly:
                "A pingback whose excerpt is only this post's page title and site name, from a page whose title shares no word with the post",
            Self.trackbackTemplate:
                "A trackback whose text is the trackback tools' 'I've added a Trackback to it on my weblog'",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        var found: [Finding] = []
        let text = context.normalized.text
        if context.comment.type == .comment, let range = Self.excerptRange(text) ?? Self.headerRange(text) {
            let evidence = TextScan.span(.text, text, range, limit: 120)
            found.append(Finding(.pingbackShape(id: Self.shape), evidence: evidence))
        }
        if context.isPingbackLike, let range = Self.titleOnlyRange(context) {
            let evidence = TextScan.span(.text, text, range, limit: 120)
            found.append(Finding(.titleOnly(id: Self.titleOnly), evidence: evidence))
        }
        if context.isPingbackLike, let range = Self.templateRange(text) {
            found.append(
                Finding(.trackbackTemplate(id: Self.trackbackTemplate), evidence: TextScan.span(.text, text, range)))
        }
        return found
    }

    /// The tools' sentence, from "added" to "weblog"/"blog"; only pingbacks are searched, and
    /// those are few and short.
    static func templateRange(_ text: String) -> Range<Int>? {
        guard let start = TextScan.range(of: "added a trackback to it on my ", in: text) else { return nil }
        let rest = String(decoding: Array(text.utf8)[start.upperBound...].prefix(8), as: UTF8.self).lowercased()
        guard let site = ["weblog", "blog", "website", "site"].first(where: { rest.hasPrefix($0) }) else { return nil }
        return start.lowerBound..<(start.upperBound + site.utf8.count)
    }

    /// Words the page title adds after the post title: a site name is one to four words.
    static let siteNameWords = 1...4
    /// Posts with shorter titles are too easily matched by chance.
    static let minimumTitleWords = 3

    /// The range of the excerpt's words when the excerpt is the post title, a separator and a
    /// short site name, and the linking page (its title is the comment's author) is about
    /// something else and on another site.
    static func titleOnlyRange(_ context: CheckContext) -> Range<Int>? {
        let post = context.thread.post
        guard let rawTitle = post.title, let linkingTitle = context.comment.author else { return nil }
        let title = TextScan.words(in: NormalizedText(rawTitle).text).filter { !$0.isCJK }
        guard title.count >= minimumTitleWords else { return nil }
        let text = context.normalized.text
        let words = context.words
        guard siteNameWords.contains(words.count - title.count),
            zip(title, words).allSatisfy({ $0.lower == $1.lower })
        else { return nil }
        // A separator between the title and the site name ("Title – Blog", "Title | Blog").
        let gap = text.utf8Slice(words[title.count - 1].range.upperBound..<words[title.count].range.lowerBound)
        guard gap.contains(where: { "–—-|«»:·•~".contains($0) }) else { return nil }
        // The linking page's title shares no longer word with the post title.
        let titleWords = Set(title.filter { $0.lower.count >= 4 }.map(\.lower))
        let linking = TextScan.words(in: NormalizedText(linkingTitle).text)
        guard !linking.contains(where: { titleWords.contains($0.lower) }) else { return nil }
        if let own = post.url.flatMap(siteKey), let from = context.comment.authorURL.flatMap(siteKey), own == from {
            return nil
        }
        return words[0].range.lowerBound..<words[words.count - 1].range.upperBound
    }

    /// The host of `url` without `www.` and lowercased, to tell the blog's own pages apart.
    private static func siteKey(_ url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let host = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != ":" }.lowercased()
        guard !host.isEmpty else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    static let ellipses = ["[…]", "[...]", "[ … ]", "[ ... ]", "[..]", "[&hellip;]"]

    /// `[…] excerpt […]`: the text opens or closes with a bracketed ellipsis (and has one at both
    /// ends, or opens with one and is short, as WordPress writes them).
    static func excerptRange(_ text: String) -> Range<Int>? {
        guard mayBeBracketed(text) else { return nil }
        let trimmed = text.trimmedWhitespace
        guard !trimmed.isEmpty else { return nil }
        let offset = text.prefix { $0.isWhitespace }.utf8.count
        let opens = ellipses.first { trimmed.hasPrefix($0) }
        let closes = ellipses.first { trimmed.hasSuffix($0) }
        let words = TextScan.words(in: trimmed).count
        let shaped =
            (opens != nil && closes != nil) || (opens != nil && words <= 80)
            || (closes != nil && words <= 80 && startsWithTitleLine(trimmed))
        guard shaped else { return nil }
        return offset..<(offset + trimmed.utf8.count)
    }

    /// Whether the text may open with `[` or close with `]` once trimmed: a byte look at both
    /// ends, so the comments that cannot be excerpts (nearly all) cost nothing more.
    private static func mayBeBracketed(_ text: String) -> Bool {
        let bytes = text.utf8
        func isASCIISpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        // A non-ASCII byte at an end may be Unicode white space: let the full test decide.
        if let first = bytes.first(where: { !isASCIISpace($0) }), first == UInt8(ascii: "[") || first >= 0x80 {
            return true
        }
        if let last = bytes.reversed().first(where: { !isASCIISpace($0) }), last == UInt8(ascii: "]") || last >= 0x80 {
            return true
        }
        return false
    }

    /// `Pingback: Title « Site` or `Trackback: …` at the start of the text.
    static func headerRange(_ text: String) -> Range<Int>? {
        let trimmed = text.drop { $0 == " " || $0 == "\n" }
        // The label and its colon are near the start; lowercasing the whole text would cost a copy.
        let lower = trimmed.prefix(64).lowercased()
        for label in ["pingback", "trackback"] where lower.hasPrefix(label) {
            let rest = lower.dropFirst(label.count).drop { $0 == " " }
            guard rest.hasPrefix(":") else { continue }
            let start = text.utf8.count - trimmed.utf8.count
            let line = trimmed.prefix { $0 != "\n" }
            return start..<(start + line.utf8.count)
        }
        return nil
    }

    /// A trackback without an opening ellipsis still starts with the linking page's title on a line of its own.
    private static func startsWithTitleLine(_ text: String) -> Bool {
        guard let newline = text.firstIndex(of: "\n") else { return false }
        return text[..<newline].count <= 100
    }
}

extension Finding.Message {
    fileprivate static func pingbackShape(id: String) -> Self {
        Self(id: id, description: "shaped like a pingback")
    }

    fileprivate static func trackbackTemplate(id: String) -> Self {
        Self(id: id, description: "the trackback tools' template sentence")
    }

    fileprivate static func titleOnly(id: String) -> Self {
        Self(id: id, description: "a pingback quoting only this post's page title, from a page about something else")
    }
}
