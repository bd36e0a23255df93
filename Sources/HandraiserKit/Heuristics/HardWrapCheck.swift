import Foundation
import HandraiserModel

/// Flags text hard-wrapped the way comment bots paste it: lines broken in the middle of a
/// sentence (the line ends without punctuation, the next goes on in lowercase) two or more
/// times. Reads the content as given, where readers keep the original line breaks (`<br>`
/// counts as one). Paragraph breaks, lists, code and short poem-like lines do not count.
///
/// Wrapping at one width is also what a mail program does to a pasted e-mail, so that is the
/// weaker id; breaks where the next word would still have fitted (no program wraps like that,
/// spinner bots do) are the stronger one.
public struct HardWrapCheck: Check {
    static let wrapped = "HC_HARD_WRAPPED"
    static let wrappedIrregular = "HC_HARD_WRAPPED_IRREGULAR"

    /// A broken line shorter than this is a verse or a list entry, not wrapped prose.
    static let minimumLineLength = 35
    /// A break is irregular when the next word would have fitted with this many columns to spare.
    static let spareColumns = 12

    public init() {}

    public var findingIDs: [String: String] {
        [
            Self.wrapped: "2 or more lines broken mid-sentence at a steady width",
            Self.wrappedIrregular: "2 or more lines broken mid-sentence where the next word would have fitted",
        ]
    }

    public func run(_ context: CheckContext) -> [Finding] {
        let content = context.comment.content
        // Byte scans: Foundation's String.contains(String) bridges to CFString, costly on every comment.
        let bytes = content.utf8
        guard !context.isPingbackLike,
            bytes.contains(UInt8(ascii: "\n")) || TextScan.range(of: "<br", in: content) != nil
        else { return [] }
        let plain =
            bytes.contains(UInt8(ascii: "<")) || bytes.contains(UInt8(ascii: "&"))
            ? PlainText.from(html: Self.joiningBreaks(content)) : content
        let lines = Self.lines(of: plain).map { $0.trimmedWhitespace }
        guard lines.count >= 3 else { return [] }
        // The wrap width: the longest line that another line of its paragraph follows (a long
        // unwrapped paragraph before a wrapped e-mail quote does not set it).
        // Each line's length in Characters, counted once (by bytes when it is ASCII).
        let lengths = lines.map(Self.characterCount)
        var width = 0
        for index in 0..<(lines.count - 1) where !lines[index + 1].isEmpty { width = max(width, lengths[index]) }
        var breaks: [Int] = []
        var irregular: [Int] = []
        var lineCount = 0
        // Whether each line looks like code, worked out when first asked (a line is asked as
        // the broken line and as the next one).
        var codeLike = [Bool?](repeating: nil, count: lines.count)
        func looksLikeCode(_ index: Int) -> Bool {
            if let known = codeLike[index] { return known }
            let answer = Self.looksLikeCode(lines[index])
            codeLike[index] = answer
            return answer
        }
        for index in 0..<(lines.count - 1) {
            let line = lines[index]
            if !line.isEmpty { lineCount += 1 }
            let next = lines[index + 1]
            guard
                Self.isMidSentenceBreak(
                    line, next, neitherIsCode: { !looksLikeCode(index) && !looksLikeCode(index + 1) })
            else { continue }
            breaks.append(index)
            let nextWord = next.prefix { !$0.isWhitespace }.count
            if lengths[index] + 1 + nextWord + Self.spareColumns <= width { irregular.append(index) }
        }
        guard breaks.count >= 2 else { return [] }
        let isIrregular = irregular.count >= 2
        let shown = isIrregular ? irregular[0] : breaks[0]
        let evidence = Self.evidence(lines[shown], lines[shown + 1], in: content)
        let message: Finding.Message =
            isIrregular
            ? .hardWrapped(id: Self.wrappedIrregular, breaks: irregular.count, lines: lineCount + 1, irregular: true)
            : .hardWrapped(id: Self.wrapped, breaks: breaks.count, lines: lineCount + 1, irregular: false)
        return [Finding(message, evidence: evidence)]
    }

    /// The lines `text.split(separator: "\n", omittingEmptySubsequences: false)` gives, found on
    /// bytes (the Character split was half of this check's cost). A line feed after a carriage
    /// return is part of the one Character "\r\n" and does not split; any other line feed is a
    /// Character of its own, so the cut falls on Character boundaries.
    static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var previous: UInt8 = 0
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            if byte == 0x0A && previous != 0x0D {
                lines.append(text[start..<index])
                start = next
            }
            previous = byte
            index = next
        }
        lines.append(text[start...])
        return lines
    }

    /// `<br>` followed by a newline is one line break, not a paragraph break.
    static func joiningBreaks(_ html: String) -> String {
        // Byte scan: the tag and the line breaks are ASCII, and Foundation's range(of:options:)
        // bridges every call to NSString.
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            out.append(b)
            i += 1
            guard b == UInt8(ascii: "<"), i + 1 < bytes.count, TextScan.lowerASCII(bytes[i]) == UInt8(ascii: "b"),
                TextScan.lowerASCII(bytes[i + 1]) == UInt8(ascii: "r"),
                let close = bytes[i...].firstIndex(of: UInt8(ascii: ">"))
            else { continue }
            out.append(contentsOf: bytes[i...close])
            i = close + 1
            while i < bytes.count, bytes[i] == UInt8(ascii: "\n") || bytes[i] == UInt8(ascii: "\r") { i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text.count`, without breaking an ASCII text into Characters (a byte is one there).
    static func characterCount(_ text: String) -> Int {
        UTF8Scan.isASCII(text) ? text.utf8.count : text.count
    }

    /// `neitherIsCode` is asked last, when the break is otherwise mid-sentence.
    static func isMidSentenceBreak(_ line: String, _ next: String, neitherIsCode: () -> Bool) -> Bool {
        guard line.utf8.count >= minimumLineLength, let last = line.last, let first = next.first else { return false }
        guard last.isLetter || last.isNumber || last == "," else { return false }
        guard first.isLowercase else { return false }
        // An address on a line of its own (a list of contacts, a signature) is not a continuation.
        let nextWord = next.utf8.prefix { $0 != 0x20 && $0 != 0x09 }
        if nextWord.contains(UInt8(ascii: "@")) || TextScan.offset(of: "://", in: nextWord) != nil
            || nextWord.starts(with: "www.".utf8)
        {
            return false
        }
        return neitherIsCode()
    }

    static func looksLikeCode(_ line: String) -> Bool {
        let bytes = line.utf8
        guard let last = bytes.last else { return false }
        return last == UInt8(ascii: ";") || last == UInt8(ascii: "{") || last == UInt8(ascii: "}")
            || bytes.contains(UInt8(ascii: "=")) || TextScan.offset(of: "()", in: bytes) != nil
            || TextScan.offset(of: "$ ", in: bytes) != nil
            || bytes.first == UInt8(ascii: "#") || bytes.starts(with: "//".utf8)
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
        return Evidence(
            field: .content, in: content, range: start.lowerBound..<(start.upperBound + nextRange.upperBound))
    }
}

extension Finding.Message {
    fileprivate static func hardWrapped(id: String, breaks: Int, lines: Int, irregular: Bool) -> Self {
        Self(
            id: id,
            description: "\(breaks) of \(lines) lines broken mid-sentence"
                + (irregular ? " where the next word would have fitted" : ""))
    }
}
