import HandraiserModel

/// Flags text stitched together from unrelated sentences: three or more sentences of six words
/// or more, and not one content word shared between any two of them. Spinning and scraping bots
/// glue a sentence about fishing bait to one about a game's avatars and one about guild quests;
/// a person who writes three full sentences nearly always comes back to what they were saying
/// (the tool, the talk, the book). People also write lists of unrelated remarks, so the id
/// scores nothing alone and feeds rules that add the bot's other habits (off the post's topic,
/// nobody speaking).
///
/// Sentences end at `.`, `!` or `?` before a space or the end, and at blank lines; line breaks
/// inside a sentence (hard-wrapped text) do not end it. Text without those marks, such as
/// Chinese or Japanese, is one sentence and never fires.
public struct PatchworkCheck: Check {
    static let disjointSentences = "HC_DISJOINT_SENTENCES"

    /// Fewer sentences sharing nothing is ordinary ("Great talk. Slides are online.").
    static let minimumSentences = 3
    /// Shorter sentences ("Thanks a lot!") say too little to share a word; they are left out.
    static let minimumSentenceWords = 6

    public init() {}

    public var findingIDs: [String: String] {
        [Self.disjointSentences: "3+ sentences of 6+ words, no two sharing a content word"]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        guard !context.isPingbackLike else { return [] }
        let text = context.normalized.text
        let tokens = context.words
        guard tokens.count >= Self.minimumSentences * Self.minimumSentenceWords else { return [] }
        let sentences = Self.sentences(tokens, ends: Self.sentenceEnds(text))
            .filter { $0.lazy.filter(\.hasLetter).count >= Self.minimumSentenceWords }
        guard sentences.count >= Self.minimumSentences else { return [] }
        let termSets = sentences.map { Set(Terms.content($0)) }
        guard termSets.allSatisfy({ !$0.isEmpty }) else { return [] }
        for first in termSets.indices {
            for second in termSets.indices where second > first {
                if !termSets[first].isDisjoint(with: termSets[second]) { return [] }
            }
        }
        // Quote the first seam: the end of one sentence and the start of the next.
        let tail = sentences[0].suffix(3)
        let head = sentences[1].prefix(5)
        let seam = (tail.first?.range.lowerBound ?? 0)..<(head.last?.range.upperBound ?? 0)
        return [
            Finding(.disjoint(sentences: sentences.count), evidence: TextScan.span(.text, text, seam, limit: 120))
        ]
    }

    /// UTF-8 offsets just after each sentence end: `.`, `!` or `?` followed by white space or
    /// the end of the text, and blank lines.
    static func sentenceEnds(_ text: String) -> [Int] {
        var ends: [Int] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let next: UInt8? = index + 1 < bytes.count ? bytes[index + 1] : nil
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") {
                if next == nil || next == UInt8(ascii: " ") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\t")
                    || next == UInt8(ascii: "\r")
                {
                    ends.append(index + 1)
                }
            } else if byte == UInt8(ascii: "\n"), next == UInt8(ascii: "\n") {
                ends.append(index + 1)
            }
            index += 1
        }
        return ends
    }

    /// `tokens` grouped by the sentence they fall in.
    static func sentences(_ tokens: [WordToken], ends: [Int]) -> [[WordToken]] {
        var sentences: [[WordToken]] = []
        var current: [WordToken] = []
        var endIndex = 0
        for token in tokens {
            var crossed = false
            while endIndex < ends.count, ends[endIndex] <= token.range.lowerBound {
                endIndex += 1
                crossed = true
            }
            if crossed, !current.isEmpty {
                sentences.append(current)
                current = []
            }
            current.append(token)
        }
        if !current.isEmpty { sentences.append(current) }
        return sentences
    }
}

extension Finding.Message {
    fileprivate static func disjoint(sentences: Int) -> Self {
        Self(
            id: PatchworkCheck.disjointSentences,
            description: "\(sentences) sentences of 6 or more words, no two sharing a content word")
    }
}
