import HandraiserModel

/// Flags link-heavy comments: two or more links, many links for few words, a comment that is
/// nothing but a link, a URL typed into the author name, and a trade name that spells the
/// linked domain ("Best Plumber" linking to bestplumber.com), the shape of a business' SEO comment.
/// A person's name spelling their own site (Jane Roe at janeroe.com) is common and does not fire.
/// Ten or more links add a second id to the 4-plus one: readers' link lists stay under that,
/// link-farm posts (a link per title, dozens of them) do not. One link pasted three times or
/// more with hardly a word between the copies is a flood of its own (the other ids count distinct
/// links, so it would read as a single link); readers repeat a link in a long explanation or a
/// pasted log, not in place of one.
public struct LinksCheck: Check {
    static let two = "HC_LINKS_2"
    static let fourPlus = "HC_LINKS_4PLUS"
    static let tenPlus = "HC_LINKS_10PLUS"
    static let density = "HC_LINK_DENSITY"
    static let linkOnly = "HC_LINK_ONLY"
    static let urlInAuthor = "HC_URL_IN_AUTHOR"
    static let authorIsDomain = "HC_AUTHOR_IS_DOMAIN"
    static let repeated = "HC_LINK_REPEATED"

    /// At most this many words per link counts as dense (with two or more links).
    static let denseWordsPerLink = 12
    /// From this many links on, a link farm rather than a reader's list of references.
    static let linkFarm = 10
    /// At most this many words besides the links makes a link-only comment.
    static let linkOnlyWords = 3
    /// The same link this many times makes a pasted flood (with few words, below).
    static let repeatedCopies = 3
    /// At most this many words outside links per copy of the repeated link.
    static let repeatedWordsPerCopy = 3

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.two: "2 or 3 links in the comment",
            Self.fourPlus: "4 or more links in the comment",
            Self.tenPlus: "10 or more links in the comment (adds to the 4-plus id)",
            Self.density: "Many links for few words",
            Self.linkOnly: "The comment is a link and little else",
            Self.urlInAuthor: "The author name holds a URL or domain",
            Self.authorIsDomain: "The author name is a trade name that spells the linked domain",
            Self.repeated: "One link pasted 3+ times with few words around the copies",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        // A pingback is a title and a link by nature; rules judge its links.
        guard !context.isPingbackLike else { return [] }
        var findings: [Finding] = []
        let body = context.links.filter(\.isInBody)
        let text = context.normalized.text
        let words = Self.wordsOutsideLinks(text, words: context.words, linkRanges: context.textLinkRanges)
        if let first = body.first {
            if body.count >= 4 {
                findings.append(Finding(.links(id: Self.fourPlus, body.count, words: words), evidence: first.evidence))
                if body.count >= Self.linkFarm {
                    findings.append(
                        Finding(.links(id: Self.tenPlus, body.count, words: words), evidence: first.evidence))
                }
            } else if body.count >= 2 {
                findings.append(Finding(.links(id: Self.two, body.count, words: words), evidence: first.evidence))
            }
            if words <= Self.linkOnlyWords {
                findings.append(
                    Finding(.linkOnly(id: Self.linkOnly, body.count, words: words), evidence: first.evidence))
            } else if body.count >= 2 && words <= Self.denseWordsPerLink * body.count {
                findings.append(
                    Finding(.linkDensity(id: Self.density, body.count, words: words), evidence: first.evidence))
            }
        }
        if let (range, copies) = Self.mostRepeatedLink(text, context.textLinkRanges),
            copies >= Self.repeatedCopies, words <= Self.repeatedWordsPerCopy * copies
        {
            findings.append(
                Finding(
                    .repeatedLink(id: Self.repeated, copies, words: words),
                    evidence: Evidence(field: .text, in: text, range: range)))
        }
        if let author = context.comment.author, !author.isEmpty {
            if let url = LinkExtractor.scan(author).first {
                findings.append(
                    Finding(
                        .urlInAuthor(id: Self.urlInAuthor, url.url),
                        evidence: Evidence(field: .author, in: author, range: url.range)))
            } else if let link = Self.linkSpelledByName(author, context.links) {
                findings.append(
                    Finding(
                        .authorIsDomain(id: Self.authorIsDomain, author: author, host: link.host ?? link.url),
                        evidence: TextScan.wholeField(.author, author)))
            }
        }
        return findings
    }

    /// The first copy of the link written most often in the text (compared without case), and how
    /// many times it is written; nil with fewer than two link spans.
    static func mostRepeatedLink(_ text: String, _ ranges: [Range<Int>]) -> (Range<Int>, Int)? {
        guard ranges.count >= 2 else { return nil }
        let bytes = Array(text.utf8)
        var counts: [String: (first: Range<Int>, count: Int)] = [:]
        for range in ranges where range.upperBound <= bytes.count {
            let key = String(decoding: bytes[range], as: UTF8.self).lowercased()
            counts[key, default: (range, 0)].count += 1
        }
        guard
            let top = counts.values.max(by: {
                $0.count != $1.count ? $0.count < $1.count : $0.first.lowerBound > $1.first.lowerBound
            })
        else { return nil }
        return (top.first, top.count)
    }

    /// Words of the text that are neither part of a link nor of BBCode markup (`[url=…]`, `[/url]`).
    static func wordsOutsideLinks(_ text: String, words: [WordToken], linkRanges: [Range<Int>]) -> Int {
        let skipped = linkRanges + bracketTags(text)
        return words.filter { token in
            token.hasLetter && !skipped.contains { $0.contains(token.range.lowerBound) }
        }.count
    }

    /// UTF-8 ranges of `[tag]`, `[/tag]` and `[tag=value]` spans (no spaces inside).
    static func bracketTags(_ text: String) -> [Range<Int>] {
        let bytes = Array(text.utf8)
        var ranges: [Range<Int>] = []
        var start: Int?
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "["): start = index
            case UInt8(ascii: "]"):
                if let open = start, index > open + 1 { ranges.append(open..<(index + 1)) }
                start = nil
            case UInt8(ascii: " "), UInt8(ascii: "\n"): start = nil
            default: break
            }
        }
        return ranges
    }

    /// The link whose domain name is the author name written without spaces.
    static func linkSpelledByName(_ author: String, _ links: [FoundLink]) -> FoundLink? {
        let name = author.lowercased().filter { $0.isLetter || $0.isNumber }
        // Short names ("Bob" at bob.com) are too often a person's own site.
        guard name.count >= 6, name.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let words = AuthorNameCheck.nameWords(author).map(\.word.lower)
        guard words.count >= 2 else { return nil }
        let trade = words.contains {
            AuthorNameCheck.businessWords.contains($0) || AuthorNameCheck.commercialWord($0, joined: false)
        }
        guard trade else { return nil }
        for link in links {
            guard let host = link.host else { continue }
            let labels = host.split(separator: ".")
            guard labels.count >= 2 else { continue }
            // The label before the TLD (and before a second-level `co.uk`-style suffix).
            var candidates = [labels[labels.count - 2]]
            if labels.count >= 3 { candidates.append(labels[labels.count - 3]) }
            for label in candidates where label.filter({ $0 != "-" }) == name {
                return link
            }
        }
        return nil
    }
}

extension Finding.Message {
    fileprivate static func links(id: String, _ count: Int, words: Int) -> Self {
        Self(id: id, description: "\(count) links in \(words) words")
    }

    fileprivate static func linkDensity(id: String, _ count: Int, words: Int) -> Self {
        Self(id: id, description: "\(count) links in only \(words) words")
    }

    fileprivate static func linkOnly(id: String, _ count: Int, words: Int) -> Self {
        Self(
            id: id,
            description: count == 1
                ? "a link with \(words) words around it" : "\(count) links with \(words) words around them")
    }

    fileprivate static func repeatedLink(id: String, _ copies: Int, words: Int) -> Self {
        Self(id: id, description: "the same link \(copies) times in \(words) words")
    }

    fileprivate static func urlInAuthor(id: String, _ url: String) -> Self {
        Self(id: id, description: "author name holds \(url)")
    }

    fileprivate static func authorIsDomain(id: String, author: String, host: String) -> Self {
        Self(id: id, description: "author name \"\(author)\" spells the linked domain \(host)")
    }
}
