import HandraiserModel

/// Flags text that appears, the same or nearly the same, elsewhere in the input under other
/// names: a template posted by a bot or a spam campaign under rotating names. The same author's
/// text seen twice (a double post, or an export listing a thread twice) gets a separate, weak id.
public struct NearDuplicateCheck: Check {
    static let few = "HC_NEAR_DUPLICATE"
    static let many = "HC_NEAR_DUPLICATE_MANY"
    static let doublePost = "HC_DOUBLE_POST"

    /// From this many other copies on, a campaign rather than a coincidence.
    static let manyThreshold = 3

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.few: "Same or nearly the same text as 1-2 other comments under other author names",
            Self.many: "Same or nearly the same text as 3 or more other comments under other author names",
            Self.doublePost: "The same author posted the same text more than once",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        // Pingbacks from several sites quoting the same paragraph of the post are not a campaign.
        guard !context.isPingbackLike else { return [] }
        let count = context.corpus.duplicates(
            of: context.comment, words: context.words, linkRanges: context.textLinkRanges)
        let evidence = TextScan.wholeField(.text, context.normalized.text, limit: 120)
        var findings: [Finding] = []
        if count.elsewhere >= Self.manyThreshold {
            findings.append(Finding(.nearDuplicate(id: Self.many, count), evidence: evidence))
        } else if count.elsewhere > 0 {
            findings.append(Finding(.nearDuplicate(id: Self.few, count), evidence: evidence))
        }
        if count.repeatsBySameAuthor > 0 && count.elsewhere == 0 {
            findings.append(Finding(.doublePost(count.repeatsBySameAuthor, id: Self.doublePost), evidence: evidence))
        }
        return findings
    }
}

extension Finding.Message {
    fileprivate static func nearDuplicate(id: String, _ count: DuplicateCount) -> Self {
        let copies = count.elsewhere == 1 ? "1 other comment" : "\(count.elsewhere) other comments"
        let authors = count.otherAuthors == 1 ? "1 other author" : "\(count.otherAuthors) other authors"
        return Self(id: id, description: "same text as \(copies) in the input, by \(authors)")
    }

    fileprivate static func doublePost(_ repeats: Int, id: String) -> Self {
        Self(
            id: id,
            description: repeats == 1
                ? "posted twice by the same author" : "posted \(repeats + 1) times by the same author")
    }
}
