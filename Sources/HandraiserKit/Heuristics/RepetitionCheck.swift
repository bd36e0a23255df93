import HandraiserModel

/// Flags a comment made mostly of one phrase said over and over ("Follow me, watch my videos"
/// five times in a row, a channel name chanted between "CHECK OUT THIS CHANNEL!"): the way
/// attention-seekers fill a comment box. People quote a line, or repeat a word for effect, but
/// seldom let one phrase make up most of what they write.
///
/// Counted on the words of the normalised text: links are left out (a link pasted five times is
/// the links check's business), so are bare numbers (log lines and tables repeat their digits),
/// the words of a path (`themes/img/a.png`, `C:\\Temp`: a pasted log repeats its directories), and
/// Han, kana and Hangul characters, which the word scanner yields one by one ("不错不错" is one
/// reader's "nice, nice", not a chant of three-word phrases).
///
/// A phrase said ten times or more adds a second id: a litany or a chant pasted to fill the page
/// ("pray for us" after every line, a name chanted between pleas). A reader's quoting or a song's
/// chorus stays well under that.
public struct RepetitionCheck: Check {
    static let repeated = "HC_REPEATED_PHRASE"
    static let litany = "HC_REPEATED_PHRASE_MANY"

    /// Shorter comments cannot hold a phrase three times and something else.
    static let minimumWords = 9
    static let minimumRepeats = 3
    /// The share of the comment's words that the repeated three-word phrase covers.
    static let minimumShare = 0.4
    /// From this many times on, the repetition is a litany rather than a refrain.
    static let litanyRepeats = 10

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.repeated: "One three-word phrase said 3+ times, making up 40 % or more of the comment's words",
            Self.litany: "The repeated phrase said 10+ times (adds to the 3-plus id)",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        guard !context.isPingbackLike, context.words.count >= Self.minimumWords else { return [] }
        let links = context.textLinkRanges
        let bytes = Array(context.normalized.text.utf8)
        // Whether the word is part of a run of non-blank characters holding a path separator.
        func isInPath(_ range: Range<Int>) -> Bool {
            func isSeparator(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") }
            var i = range.lowerBound - 1
            while i >= 0, bytes[i] > 0x20 {
                if isSeparator(bytes[i]) { return true }
                i -= 1
            }
            i = range.upperBound
            while i < bytes.count, bytes[i] > 0x20 {
                if isSeparator(bytes[i]) { return true }
                i += 1
            }
            return false
        }
        var kept: [WordToken] = []
        kept.reserveCapacity(context.words.count)
        var nextLink = 0
        for word in context.words {
            while nextLink < links.count, links[nextLink].upperBound <= word.range.lowerBound { nextLink += 1 }
            if nextLink < links.count, links[nextLink].contains(word.range.lowerBound) { continue }
            guard word.hasLetter, !word.isCJK, !isInPath(word.range) else { continue }
            kept.append(word)
        }
        guard kept.count >= Self.minimumWords else { return [] }
        // A phrase said n times starts with a word said n times. Most comments have no word
        // said often enough to cover the share, and stop here: words counted by a hash, sorted
        // (two words sharing a hash only make the count larger, so no phrase that could fire is
        // missed), before the costlier count of every three-word phrase. ASCII words hash their
        // bytes; others use String's hash, which agrees with String's equality (the ids below).
        let needed = max(Self.minimumRepeats, Int((Self.minimumShare * Double(kept.count) / 3).rounded(.up)))
        var hashes = kept.map { word in
            UTF8Scan.isASCII(word.lower)
                ? CorpusIndex.fnv1a(word.lower) : UInt64(bitPattern: Int64(word.lower.hashValue))
        }
        hashes.sort()
        var longestRun = 0
        var run = 0
        for index in hashes.indices {
            run = index > 0 && hashes[index] == hashes[index - 1] ? run + 1 : 1
            longestRun = max(longestRun, run)
        }
        guard longestRun >= needed else { return [] }
        // Word ids rather than strings: a trigram is then one integer key.
        var ids: [String: Int] = [:]
        let sequence = kept.map { word -> (id: Int, range: Range<Int>) in
            let id = ids[word.lower, default: ids.count]
            ids[word.lower] = id
            return (id, word.range)
        }
        var counts: [Int: (count: Int, first: Int)] = [:]
        counts.reserveCapacity(sequence.count)
        for start in 0..<(sequence.count - 2) {
            let a = sequence[start].id
            let b = sequence[start + 1].id
            let c = sequence[start + 2].id
            // "la la la" and "no no no" are emphasis, not a phrase.
            guard !(a == b && b == c) else { continue }
            let key = (a << 42) | (b << 21) | c
            counts[key, default: (0, start)].count += 1
        }
        guard let top = counts.values.max(by: { $0.count != $1.count ? $0.count < $1.count : $0.first > $1.first }),
            top.count >= Self.minimumRepeats,
            Double(top.count * 3) >= Self.minimumShare * Double(sequence.count)
        else { return [] }
        let text = context.normalized.text
        let range = sequence[top.first].range.lowerBound..<sequence[top.first + 2].range.upperBound
        let evidence = Evidence(field: .text, in: text, range: range)
        var findings = [
            Finding(.repeatedPhrase(id: Self.repeated, times: top.count, words: sequence.count), evidence: evidence)
        ]
        if top.count >= Self.litanyRepeats {
            findings.append(
                Finding(.repeatedPhrase(id: Self.litany, times: top.count, words: sequence.count), evidence: evidence))
        }
        return findings
    }
}

extension Finding.Message {
    fileprivate static func repeatedPhrase(id: String, times: Int, words: Int) -> Self {
        Self(id: id, description: "one phrase said \(times) times in \(words) words")
    }
}
