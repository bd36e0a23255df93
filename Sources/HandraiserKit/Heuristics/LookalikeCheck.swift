import HandraiserModel

/// Flags disguised words: one word mixing Latin with Cyrillic or Greek look-alike letters
/// ("vіagra" with a Cyrillic і), and invisible characters hidden inside words or bidi overrides
/// (the tricks that slip words past keyword filters). Text written wholly in another script is
/// not a signal, nor is a byte-order mark at either end or a joiner inside an emoji or a
/// non-Latin word (Persian needs the zero-width non-joiner). A web address typed in fullwidth
/// letters ("ｈｔｔｐ://…") is the same trick for links, except where CJK input methods type
/// fullwidth Latin as a matter of course.
public struct LookalikeCheck: Check {
    static let mixedScript = "HC_MIXED_SCRIPT"
    static let invisible = "HC_INVISIBLE_CHARS"
    static let fullwidthLink = "HC_FULLWIDTH_LINK"

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.mixedScript: "A word mixes Latin with Cyrillic or Greek look-alike letters",
            Self.invisible: "Invisible characters inside Latin words, or bidi overrides",
            Self.fullwidthLink: "A web address typed in fullwidth letters, in a comment without CJK text",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        var findings: [Finding] = []
        let words = context.normalized.mixedScriptWords.filter(Self.isDisguise)
        if let first = words.first {
            let content = context.comment.content
            let evidence = TextScan.range(of: first, in: content).map {
                Evidence(field: .content, in: content, range: $0)
            }
            findings.append(Finding(.mixedScript(id: Self.mixedScript, words), evidence: evidence))
        }
        let content = context.comment.content
        let hidden = Self.hiddenCharacters(in: content)
        if let first = hidden.first {
            findings.append(
                Finding(.invisible(id: Self.invisible, hidden.count), evidence: Self.wordAround(first, in: content)))
        } else if TextScan.offset(of: "&#", in: content.utf8) != nil {
            // Written as character references: count them in the decoded text, quote nothing.
            let decoded = Self.hiddenCharacters(in: context.comment.text)
            if !decoded.isEmpty {
                findings.append(Finding(.invisible(id: Self.invisible, decoded.count), evidence: nil))
            }
        }
        if let start = Self.fullwidthLinkStart(in: content), !context.words.contains(where: \.isCJK) {
            findings.append(
                Finding(.fullwidthLink(id: Self.fullwidthLink), evidence: Self.wordAround(start, in: content)))
        }
        return findings
    }

    /// The byte offset of the first fullwidth "ｈｔｔｐ" or "ｗｗｗ" (either case). NFKC folds them
    /// to a working address, so the link extractor sees a link; filters that match the plain
    /// spelling on the text as given do not.
    static func fullwidthLinkStart(in content: String) -> Int? {
        let bytes = content.utf8
        // Every fullwidth Latin letter is U+FF21…U+FF5A, which UTF-8 writes starting with 0xEF.
        guard bytes.contains(0xEF) else { return nil }
        let starts = [
            TextScan.offset(of: "ｈｔｔｐ", in: bytes), TextScan.offset(of: "ＨＴＴＰ", in: bytes),
            TextScan.offset(of: "ｗｗｗ", in: bytes), TextScan.offset(of: "ＷＷＷ", in: bytes),
        ]
        return starts.compactMap { $0 }.min()
    }

    /// A real disguise swaps a few letters of a Latin word; a Russian word with one Latin letter
    /// (a typo on a switched keyboard) is mostly Cyrillic.
    static func isDisguise(_ word: String) -> Bool {
        var latin = 0
        var other = 0
        for scalar in word.unicodeScalars where scalar.properties.isAlphabetic {
            if scalar.value < 0x250 { latin += 1 } else { other += 1 }
        }
        return latin >= other && latin + other >= 3
    }

    /// Byte offsets of invisible characters between two Latin letters, and of bidi overrides.
    static func hiddenCharacters(in text: String) -> [Int] {
        // Every invisible character and override is outside ASCII.
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return [] }
        let scalars = Array(text.unicodeScalars)
        var offsets: [Int] = []
        var offset = 0
        for (index, scalar) in scalars.enumerated() {
            defer { offset += UTF8.width(scalar) }
            switch scalar.value {
            case 0x202A...0x202E, 0x2066...0x2069:
                offsets.append(offset)
            case 0x200B...0x200D, 0x2060, 0xFEFF, 0x00AD:
                var before = index - 1
                while before >= 0, NormalizedText.isInvisibleScalar(scalars[before]) { before -= 1 }
                var after = index + 1
                while after < scalars.count, NormalizedText.isInvisibleScalar(scalars[after]) { after += 1 }
                guard before >= 0, after < scalars.count else { continue }
                if isLatinLetter(scalars[before]) && isLatinLetter(scalars[after]) {
                    // A soft hyphen inside a long word is typography, not a trick.
                    if scalar.value == 0x00AD { continue }
                    offsets.append(offset)
                }
            default:
                continue
            }
        }
        return offsets
    }

    private static func isLatinLetter(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic && s.value < 0x250
    }

    private static func wordAround(_ offset: Int, in text: String) -> Evidence {
        let bytes = Array(text.utf8)
        var start = offset
        while start > 0, bytes[start - 1] > 0x20 { start -= 1 }
        var end = offset
        while end < bytes.count, bytes[end] > 0x20 { end += 1 }
        while start < offset, bytes[start] & 0xC0 == 0x80 { start += 1 }
        return TextScan.span(.content, text, start..<end, limit: 60)
    }
}

extension NormalizedText {
    /// Whether the normaliser removes `scalar` as invisible.
    static func isInvisibleScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF, 0x00AD: return true
        default: return false
        }
    }
}

extension Finding.Message {
    fileprivate static func mixedScript(id: String, _ words: [String]) -> Self {
        let shown = words.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
        return Self(
            id: id,
            description: words.count == 1
                ? "look-alike letters in \(shown)" : "look-alike letters in \(words.count) words: \(shown)")
    }

    fileprivate static func fullwidthLink(id: String) -> Self {
        Self(id: id, description: "a web address typed in fullwidth letters")
    }

    fileprivate static func invisible(id: String, _ count: Int) -> Self {
        Self(
            id: id,
            description: count == 1
                ? "1 invisible character inside a word" : "\(count) invisible characters inside words")
    }
}
