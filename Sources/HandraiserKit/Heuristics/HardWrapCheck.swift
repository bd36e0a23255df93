import HandraiserModel

/// Flags text hard-wrapped the way comment bots paste it: lines broken in the middle of a
/// sentence (the line ends without punctuation, the next goes on in lowercase) several times in
/// one paragraph. Reads the content as given, where readers keep the original line breaks
/// (`<br>` counts as one). Paragraph breaks, lists, code and short poem-like lines do not count.
public struct HardWrapCheck: Check {
    static let wrapped = "HC_HARD_WRAPPED"
    static let wrappedMany = "HC_HARD_WRAPPED_MANY"

    /// A broken line shorter than this is a verse or a list entry, not wrapped prose.
    static let minimumLineLength = 35
    static let manyBreaks = 4

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.wrapped: "2-3 lines broken mid-sentence, as bots paste wrapped text",
            Self.wrappedMany: "4 or more lines broken mid-sentence, as bots paste wrapped text",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        let content = context.comment.content
        guard content.contains("\n") || content.contains("<br") || content.contains("<BR") else { return [] }
        let plain = content.contains("<") || content.contains("&") ? PlainText.from(html: content) : content
        let lines = plain.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmedWhitespace
        }
        guard lines.count >= 3 else { return [] }
        var breaks: [Int] = []
        var lineCount = 0
        for index in 0..<(lines.count - 1) {
            let line = lines[index]
            if !line.isEmpty { lineCount += 1 }
            if Self.isMidSentenceBreak(line, lines[index + 1]) { breaks.append(index) }
        }
        guard breaks.count >= 2 else { return [] }
        let id = breaks.count >= Self.manyBreaks ? Self.wrappedMany : Self.wrapped
        let evidence = Self.evidence(lines[breaks[0]], lines[breaks[0] + 1], in: content)
        return [Finding(.hardWrapped(id: id, breaks: breaks.count, lines: lineCount + 1), evidence: evidence)]
    }

    static func isMidSentenceBreak(_ line: String, _ next: String) -> Bool {
        guard line.utf8.count >= minimumLineLength, let last = line.last, let first = next.first else { return false }
        guard last.isLetter || last.isNumber || last == "," else { return false }
        guard first.isLowercase || (first.isNumber && !startsListItem(next)) else { return false }
        return !looksLikeCode(line) && !looksLikeCode(next)
    }

    static func startsListItem(_ line: String) -> Bool {
        let digits = line.prefix { $0.isNumber }
        guard !digits.isEmpty else { return false }
        let after = line.dropFirst(digits.count).first
        return after == "." || after == ")" || after == ":"
    }

    static func looksLikeCode(_ line: String) -> Bool {
        line.hasSuffix(";") || line.hasSuffix("{") || line.hasSuffix("}") || line.contains("=") || line.contains("()")
            || line.contains("$ ") || line.hasPrefix("#") || line.hasPrefix("//")
    }

    /// The end of the broken line and the start of the next, found in the content as given.
    static func evidence(_ line: String, _ next: String, in content: String) -> Evidence? {
        let tail = String(line.suffix(24))
        let head = String(next.prefix(24))
        guard let start = TextScan.range(of: tail, in: content) else { return nil }
        let rest = content.utf8Slice(start.upperBound..<content.utf8.count)
        guard let nextRange = TextScan.range(of: head, in: rest), nextRange.lowerBound < 40 else {
            return Evidence(field: .content, in: content, range: start)
        }
        return Evidence(field: .content, in: content, range: start.lowerBound..<(start.upperBound + nextRange.upperBound))
    }
}

extension Finding.Message {
    fileprivate static func hardWrapped(id: String, breaks: Int, lines: Int) -> Self {
        Self(id: id, description: "\(breaks) of \(lines) lines broken mid-sentence")
    }
}
