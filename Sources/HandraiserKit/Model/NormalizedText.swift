import Foundation

/// Text prepared for matching: Unicode NFKC, invisible characters removed, look-alike letters
/// folded to Latin inside words that mix scripts, and HTML entities decoded.
///
/// Folding only happens inside words that mix Latin with Cyrillic or Greek look-alikes, so a
/// comment written wholly in Russian or Greek is left as it is: a non-Latin script is not a signal,
/// mixing scripts inside one word is.
public struct NormalizedText: Sendable, Hashable {
    /// The normalised text.
    public var text: String
    /// Words that mixed scripts before folding (evidence for the look-alike check).
    public var mixedScriptWords: [String]
    /// How many invisible format characters (zero-width, bidi controls) were removed.
    public var removedInvisibles: Int

    public init(_ raw: String) {
        let decoded = PlainText.decodingEntities(raw)
        // Most text is already in NFKC (ASCII, curly quotes, dashes, CJK, lowercase accented
        // letters); Foundation's normalisation is the costliest step here, so it runs only when
        // some character could change.
        let nfkc = Self.isNFKCStable(decoded) ? decoded : decoded.precomposedStringWithCompatibilityMapping
        // Without an invisible character or a Cyrillic or Greek letter there is nothing to remove
        // or fold, and the text is its NFKC form as it is (most comments: one pass, no copy).
        if !nfkc.unicodeScalars.contains(where: { $0.value >= 0x80 && (Self.isInvisible($0) || Self.mayFold($0)) }) {
            text = nfkc
            mixedScriptWords = []
            removedInvisibles = 0
            return
        }
        var removed = 0
        var mixed: [String] = []
        // Built as UTF-8 bytes: appending to a String scalar by scalar copies it on every append.
        var out: [UInt8] = []
        out.reserveCapacity(nfkc.utf8.count)
        var word: [Unicode.Scalar] = []
        func append(_ scalar: Unicode.Scalar) {
            UTF8.encode(scalar) { out.append($0) }
        }
        func flush() {
            guard !word.isEmpty else { return }
            if let folded = Self.foldIfMixed(word) {
                var original = String.UnicodeScalarView()
                original.append(contentsOf: word)
                mixed.append(String(original))
                folded.forEach(append)
            } else {
                word.forEach(append)
            }
            word.removeAll(keepingCapacity: true)
        }
        for scalar in nfkc.unicodeScalars {
            if Self.isInvisible(scalar) {
                removed += 1
                continue
            }
            if scalar.value < 0x80 {
                // ASCII fast path: letters and digits never need folding on their own.
                let isWordByte =
                    (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A
                    || (0x30...0x39).contains(scalar.value)
                if isWordByte {
                    word.append(scalar)
                } else {
                    flush()
                    out.append(UInt8(scalar.value))
                }
            } else if scalar.properties.isAlphabetic || scalar.properties.generalCategory == .decimalNumber {
                word.append(scalar)
            } else {
                flush()
                append(scalar)
            }
        }
        flush()
        text = String(decoding: out, as: UTF8.self)
        mixedScriptWords = mixed
        removedInvisibles = removed
    }

    /// Whether NFKC leaves `text` as it is, judged scalar by scalar: a scalar that NFKC_Casefold
    /// leaves alone is in NFKC on its own (NFKC_Casefold's results are NFKC), and nothing can
    /// compose or reorder without a combining mark or a Hangul jamo. Conservative: an uppercase
    /// non-ASCII letter, which NFKC_Casefold changes, sends the text to the full normalisation.
    static func isNFKCStable(_ text: String) -> Bool {
        guard !UTF8Scan.isASCII(text) else { return true }
        for scalar in text.unicodeScalars where scalar.value >= 0x80 {
            let properties = scalar.properties
            if properties.canonicalCombiningClass != .notReordered { return false }
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return false
            default: break
            }
            switch scalar.value {
            case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xD7B0...0xD7FF, 0xFFA0...0xFFDF: return false
            default: break
            }
            // Variation selectors, joiners and other default-ignorables are NFKC-stable but
            // removed by NFKC_Casefold, so they do not count as changing.
            if properties.changesWhenNFKCCaseFolded && !properties.isDefaultIgnorableCodePoint { return false }
        }
        return true
    }

    static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF, 0x00AD:
            return true
        default:
            return false
        }
    }

    private enum Script { case latin, cyrillic, greek, other }

    /// A letter of a script whose look-alikes `foldIfMixed` folds.
    private static func mayFold(_ s: Unicode.Scalar) -> Bool {
        switch script(s) {
        case .cyrillic, .greek: return true
        case .latin, .other: return false
        }
    }

    private static func script(_ s: Unicode.Scalar) -> Script {
        switch s.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: return .latin
        case 0x400...0x52F: return .cyrillic
        case 0x370...0x3FF: return .greek
        default: return .other
        }
    }

    /// The word with Cyrillic/Greek look-alikes replaced by Latin letters, when it mixes Latin with them.
    private static func foldIfMixed(_ word: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        var hasLatin = false
        var hasLookalikeScript = false
        for s in word {
            switch script(s) {
            case .latin: hasLatin = true
            case .cyrillic, .greek: hasLookalikeScript = true
            case .other: break
            }
        }
        guard hasLatin && hasLookalikeScript else { return nil }
        return word.map { lookalikes[$0] ?? $0 }
    }

    private static let lookalikes: [Unicode.Scalar: Unicode.Scalar] = [
        // Cyrillic
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
        "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
        "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J",
        // Greek
        "α": "a", "ο": "o", "ρ": "p", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "υ": "u",
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
        "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    ]
}
