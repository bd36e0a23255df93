/// Content terms of a text for comparing a comment with its post: stop words dropped, words
/// reduced to a crude stem that works the same in every alphabetic language (plural `s` removed,
/// then the first six letters), CJK text as character pairs since it has no spaces.
enum Terms {
    static func stem(_ lower: String) -> String {
        var word = Substring(lower)
        if word.hasSuffix("'s") || word.hasSuffix("\u{2019}s") { word = word.dropLast(2) }
        if word.count >= 4, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") {
            word = word.dropLast()
        }
        return String(word.prefix(6))
    }

    /// The content terms of `tokens`, in order.
    static func content(_ tokens: [WordToken]) -> [String] {
        var terms: [String] = []
        var previousCJK: String?
        for token in tokens {
            if token.isCJK {
                if let previous = previousCJK { terms.append(previous + token.lower) }
                previousCJK = token.lower
                continue
            }
            previousCJK = nil
            guard token.hasLetter, token.lower.count >= 3, !StopWords.all.contains(token.lower) else { continue }
            terms.append(stem(token.lower))
        }
        return terms
    }

    static func content(of text: String) -> [String] {
        content(TextScan.words(in: text))
    }
}
