import HandraiserModel

/// Flags a comment typed as an ordinary comment that has the shape of a pingback or trackback:
/// an excerpt framed by `[…]` / `[...]`, or a `Pingback: Title « Site` line. Text dumps and some
/// exports lose the comment type; the classification stage uses this finding to treat the entry
/// as a pingback rather than a person.
public struct PingbackShapeCheck: Check {
    static let shape = "HC_PINGBACK_SHAPE"

    public init() {}

    public var findingIDs: [String: String] {
        [Self.shape: "Shaped like a pingback or trackback: a [...] excerpt or a 'Pingback: Title' line"]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        guard context.comment.type == .comment else { return [] }
        let text = context.normalized.text
        if let range = Self.excerptRange(text) ?? Self.headerRange(text) {
            return [Finding(.pingbackShape(id: Self.shape), evidence: TextScan.span(.text, text, range, limit: 120))]
        }
        return []
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
}
