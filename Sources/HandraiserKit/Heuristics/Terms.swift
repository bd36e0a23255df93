/// Content terms of a text for comparing a comment with its post: stop words dropped, words
/// reduced to a crude stem that works the same in every alphabetic language (plural `s` removed,
/// then the first six letters), CJK text as character pairs since it has no spaces.
enum Terms {
    static func stem(_ lower: String) -> String {
        // ASCII words (most of them) on bytes, where a character is a byte: the same rules
        // without the cost of Character-by-Character suffix tests.
        let utf8 = lower.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            return utf8.withContiguousStorageIfAvailable(asciiStem) ?? Array(utf8).withUnsafeBufferPointer(asciiStem)
        }
        return characterStem(lower)
    }

    /// The stem worked out character by character, for any script.
    static func characterStem(_ lower: String) -> String {
        var word = Substring(lower)
        if word.hasSuffix("'s") || word.hasSuffix("\u{2019}s") { word = word.dropLast(2) }
        if word.count >= 4, word.hasSuffix("s"), !word.hasSuffix("ss"), !word.hasSuffix("us"), !word.hasSuffix("is") {
            word = word.dropLast()
        }
        return String(word.prefix(6))
    }

    private static func asciiStem(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var end = bytes.count
        let s = UInt8(ascii: "s")
        if end >= 2, bytes[end - 1] == s, bytes[end - 2] == UInt8(ascii: "'") { end -= 2 }
        if end >= 4, bytes[end - 1] == s {
            let before = bytes[end - 2]
            if before != s, before != UInt8(ascii: "u"), before != UInt8(ascii: "i") { end -= 1 }
        }
        return String(decoding: bytes[0..<min(end, 6)], as: UTF8.self)
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
            guard token.hasLetter, hasThreeCharacters(token.lower), !StopWords.all.contains(token.lower) else {
                continue
            }
            terms.append(stem(token.lower))
        }
        return terms
    }

    /// `word.count >= 3` without counting the Characters of an ASCII word (one byte each).
    static func hasThreeCharacters(_ word: String) -> Bool {
        let utf8 = word.utf8
        guard utf8.count >= 3 else { return false }
        return utf8.allSatisfy { $0 < 0x80 } || word.count >= 3
    }

    static func content(of text: String) -> [String] {
        content(TextScan.words(in: text))
    }
}
