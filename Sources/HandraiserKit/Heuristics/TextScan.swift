import HandraiserModel

/// A word of a text with its UTF-8 byte range, for checks that count words and quote them.
struct WordToken: Sendable, Hashable {
    /// The word as written.
    var text: String
    /// Lowercased.
    var lower: String
    /// UTF-8 byte range in the scanned string.
    var range: Range<Int>
    /// A single Han, kana or Hangul character: those scripts do not separate words with spaces.
    var isCJK: Bool
    /// Holds at least one letter (not only digits).
    var hasLetter: Bool
}

/// Small scanners shared by the checks. Plain scalar loops: the checks run on every comment.
enum TextScan {
    /// The words of `text`: runs of letters and digits, with inside apostrophes kept (`don't`);
    /// each CJK character is a word of its own.
    static func words(in text: String) -> [WordToken] {
        var text = text
        return text.withUTF8 { words(in: $0) }
    }

    /// The same over UTF-8 bytes. A word is always a contiguous run of its source, so each word
    /// becomes a String once, from its bytes; scalars are decoded only outside ASCII.
    static func words(in bytes: UnsafeBufferPointer<UInt8>) -> [WordToken] {
        var tokens: [WordToken] = []
        tokens.reserveCapacity(bytes.count / 6)
        var start = -1  // start of the current word, -1 when none
        var end = 0  // end of the current word (an apostrophe is only taken in by the next letter)
        var hasLetter = false
        var hasUpper = false
        var hasNonASCII = false
        var apostropheEnd = -1  // end of a pending apostrophe right after the word, -1 when none
        func flush() {
            if start >= 0 {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let word = String(decoding: slice, as: UTF8.self)
                let lower: String
                if hasNonASCII {
                    lower = word.lowercased()
                } else if hasUpper {
                    // ASCII folds byte by byte, without lowercased()'s Unicode machinery.
                    lower = String(unsafeUninitializedCapacity: slice.count) { buffer in
                        for (index, byte) in slice.enumerated() {
                            buffer[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                        }
                        return slice.count
                    }
                } else {
                    lower = word
                }
                tokens.append(
                    WordToken(text: word, lower: lower, range: start..<end, isCJK: false, hasLetter: hasLetter))
            }
            start = -1
            hasLetter = false
            hasUpper = false
            hasNonASCII = false
            apostropheEnd = -1
        }
        var offset = 0
        let count = bytes.count
        while offset < count {
            let byte = bytes[offset]
            if byte < 0x80 {
                let folded = byte | 0x20
                let isLetter = folded >= 0x61 && folded <= 0x7A
                if isLetter || (byte >= 0x30 && byte <= 0x39) {
                    if start < 0 {
                        start = offset
                    } else if apostropheEnd >= 0 {
                        apostropheEnd = -1
                    }
                    if isLetter {
                        hasLetter = true
                        if byte < 0x61 { hasUpper = true }
                    }
                    end = offset + 1
                } else if byte == 0x27 && start >= 0 && apostropheEnd < 0 && end == offset {
                    apostropheEnd = offset + 1
                } else {
                    flush()
                }
                offset += 1
                continue
            }
            let (scalar, width) = decode(bytes, at: offset)
            if isCJK(scalar) {
                flush()
                let word = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[offset..<(offset + width)]), as: UTF8.self)
                tokens.append(
                    WordToken(text: word, lower: word, range: offset..<(offset + width), isCJK: true, hasLetter: true))
                offset += width
                continue
            }
            let properties = scalar.properties
            let isLetter = properties.isAlphabetic
            let category = properties.generalCategory
            let isWordPart = isLetter || category == .decimalNumber || category == .nonspacingMark && start >= 0
            if isWordPart {
                if start < 0 {
                    start = offset
                } else if apostropheEnd >= 0 {
                    apostropheEnd = -1
                }
                if isLetter { hasLetter = true }
                hasNonASCII = true
                end = offset + width
            } else if scalar == "\u{2019}" && start >= 0 && apostropheEnd < 0 && end == offset {
                apostropheEnd = offset + width
                hasNonASCII = true
            } else {
                flush()
            }
            offset += width
        }
        flush()
        return tokens
    }

    /// The scalar starting at `offset` of valid UTF-8 (a Swift string's bytes) and its width.
    @inline(__always) static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[offset])
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        var value = lead & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for k in 1..<width { value = value << 6 | UInt32(bytes[offset + k] & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// The offset from `bytes.startIndex` of the first exact occurrence of an ASCII `needle`.
    static func offset<C: Collection>(of needle: StaticString, in bytes: C) -> Int?
    where C.Element == UInt8 {
        let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = n.first else { return 0 }
        var index = bytes.startIndex
        while let found = bytes[index...].firstIndex(of: first) {
            if bytes[found...].starts(with: n) { return bytes.distance(from: bytes.startIndex, to: found) }
            index = bytes.index(after: found)
        }
        return nil
    }

    /// The UTF-8 byte range of the first occurrence of `needle` in `haystack`, ignoring ASCII case.
    static func range(of needle: String, in haystack: String) -> Range<Int>? {
        let h = Array(haystack.utf8)
        let n = Array(needle.utf8)
        guard !n.isEmpty, n.count <= h.count else { return nil }
        outer: for start in 0...(h.count - n.count) {
            for k in 0..<n.count where lowerASCII(h[start + k]) != lowerASCII(n[k]) { continue outer }
            return start..<(start + n.count)
        }
        return nil
    }

    @inline(__always) static func lowerASCII(_ b: UInt8) -> UInt8 {
        b >= 65 && b <= 90 ? b + 32 : b
    }

    /// Evidence spanning the whole of `source` (trimmed to at most `limit` bytes at a character boundary).
    static func wholeField(_ field: CommentField, _ source: String, limit: Int = 160) -> Evidence? {
        guard !source.isEmpty else { return nil }
        var end = 0
        for scalar in source.unicodeScalars {
            let width = UTF8.width(scalar)
            if end + width > limit { break }
            end += width
        }
        return Evidence(field: field, in: source, range: 0..<end)
    }

    /// Evidence from the start of `range`'s first word to the end of its last, clipped to `limit` bytes.
    static func span(_ field: CommentField, _ source: String, _ range: Range<Int>, limit: Int = 160) -> Evidence {
        guard range.count > limit else { return Evidence(field: field, in: source, range: range) }
        // Clip at a character boundary.
        let bytes = Array(source.utf8)
        var end = min(range.lowerBound + limit, bytes.count)
        while end > range.lowerBound, end < bytes.count, bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return Evidence(field: field, in: source, range: range.lowerBound..<end)
    }
}

/// Function words of the languages most often seen in comment sections, so relevance and
/// template checks look at content words only. Not a language detector: a few hundred words.
enum StopWords {
    static let englishWords: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "aren't",
        "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can",
        "can't", "cannot", "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down",
        "during", "each", "even", "ever", "every", "few", "for", "from", "further", "get", "got", "had", "hadn't",
        "has",
        "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's", "her", "here", "here's", "hers",
        "herself", "him", "himself", "his", "how", "how's", "however", "i", "i'd", "i'll", "i'm", "i've", "if", "in",
        "into", "is", "isn't", "it", "it's", "its", "itself", "just", "let's", "like", "many", "may", "me", "might",
        "more", "most", "much", "must", "mustn't", "my", "myself", "never", "no", "nor", "not", "now", "of", "off",
        "on", "once", "one", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own",
        "really", "same", "shall", "shan't", "she", "she'd", "she'll", "she's", "should", "shouldn't", "so", "some",
        "still", "such", "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then", "there",
        "there's", "these", "they", "they'd", "they'll", "they're", "they've", "this", "those", "though", "through",
        "to", "too", "under", "until", "up", "upon", "us", "very", "was", "wasn't", "we", "we'd", "we'll", "we're",
        "we've", "well", "were", "weren't", "what", "what's", "when", "when's", "where", "where's", "whether",
        "which", "while", "who", "who's", "whom", "why", "why's", "will", "with", "won't", "would", "wouldn't",
        "yet", "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves", "im", "dont",
        "cant", "ive", "thats", "its", "youre", "u", "ur", "lot", "lots", "something", "anything", "everything",
        "nothing", "thing", "things", "way", "make", "made", "want", "know", "think", "see", "say", "said", "go",
        "going", "come", "take", "use", "used", "using", "new", "good", "first", "two", "time", "people", "yes",
    ]

    static let spanishWords: Set<String> = [
        "el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "que", "y", "en", "por", "para", "con",
        "no", "es", "se", "lo", "al", "como", "más", "mas", "pero", "sus", "su", "le", "ya", "o", "este", "esta",
        "si", "porque", "muy", "sin", "sobre", "también", "me", "hay", "donde", "quien", "desde", "todo", "nos",
        "cuando", "muy", "eso", "ese", "esa", "yo", "tu", "te", "mi", "gracias", "hola", "está", "son", "ser",
    ]

    static let otherLatinWords: Set<String> = [
        // German
        "der", "die", "das", "und", "ist", "nicht", "ich", "mit", "sich", "auf", "für", "ein", "eine", "zu", "den",
        "dem", "des", "von", "auch", "es", "wie", "aber", "oder", "wenn", "noch", "nur", "bei", "sind", "hat",
        // French
        "le", "les", "et", "est", "pas", "je", "vous", "nous", "il", "elle", "une", "des", "du", "au", "aux", "qui",
        "dans", "pour", "sur", "avec", "ce", "cette", "mais", "ou", "sont", "très", "merci",
        // Portuguese, Italian
        "não", "uma", "um", "os", "as", "com", "do", "da", "em", "na", "no", "il", "di", "che", "è", "per", "non",
        "sono", "della", "delle",
    ]

    /// Which lists each stop word is on (bit 0 English, 1 Spanish, 2 other Latin-script
    /// languages): one lookup where counting stop words by language took three.
    static let languages = WordTable(
        [englishWords, spanishWords, otherLatinWords].enumerated().reduce(into: [:]) { map, list in
            for word in list.element { map[word, default: 0] |= 1 << list.offset }
        })

    static let english = WordTable(Dictionary(uniqueKeysWithValues: englishWords.map { ($0, 1) }))
    static let all = languages
}

/// A fixed table of words, each with a small value, for lookups of every word of every comment:
/// an ASCII word (nearly all of them) is found by its bytes with a plain multiplicative hash,
/// where a `Set<String>` hashed each with the standard library's seeded SipHash. Other words are
/// looked up in a dictionary, which compares them by canonical equivalence as Swift strings do.
/// The table never changes after `init`, so input cannot lengthen its probe chains.
struct WordTable: Sendable {
    /// Per slot, 1 + the index of its word in `starts`, 0 for empty. A power of two in size,
    /// at least four times the number of ASCII words.
    private let slots: [Int32]
    /// The ASCII words' bytes one after another, and where each starts (one more entry at the end).
    private let bytes: [UInt8]
    private let starts: [Int32]
    private let values: [UInt8]
    private let others: [String: UInt8]

    init(_ entries: [String: UInt8]) {
        let ascii = entries.filter { $0.key.utf8.allSatisfy { $0 < 0x80 } }.sorted { $0.key < $1.key }
        var size = 16
        while size < ascii.count * 4 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var values: [UInt8] = []
        for (word, value) in ascii {
            let index = starts.count
            starts.append(Int32(bytes.count))
            bytes += word.utf8
            values.append(value)
            var slot = Self.hash(Array(word.utf8)) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(index + 1)
        }
        starts.append(Int32(bytes.count))
        self.slots = slots
        self.bytes = bytes
        self.starts = starts
        self.values = values
        self.others = entries.filter { !$0.key.utf8.allSatisfy { $0 < 0x80 } }
    }

    private static func hash<C: Collection<UInt8>>(_ word: C) -> Int {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in word { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    subscript(word: String) -> UInt8? {
        let found = word.utf8.withContiguousStorageIfAvailable { lookUp($0) }
        switch found {
        case .some(.some(let result)): return result
        case .some(.none): return others[word]
        case .none: return Array(word.utf8).withUnsafeBufferPointer { lookUp($0) } ?? others[word]
        }
    }

    func contains(_ word: String) -> Bool { self[word] != nil }

    /// For an ASCII `word`: `.some(value)` or `.some(nil)` when absent; nil when the word is not
    /// ASCII and must be looked up as a string.
    private func lookUp(_ word: UnsafeBufferPointer<UInt8>) -> UInt8?? {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in word {
            if byte >= 0x80 { return nil }
            h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return .some(nil) }
            let start = Int(starts[entry - 1])
            let end = Int(starts[entry])
            if end - start == word.count && bytes[start..<end].elementsEqual(word) { return .some(values[entry - 1]) }
            slot = (slot + 1) & mask
        }
    }
}

extension StringProtocol {
    /// The text without white space (including line breaks and no-break spaces) at either end.
    var trimmedWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
