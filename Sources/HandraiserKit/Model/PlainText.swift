/// Turns comment content as given (often HTML) into plain text.
///
/// This is deliberately a small tolerant scanner rather than an HTML parser: comment HTML is
/// short, frequently broken, and only its text matters. A `<` that does not open a tag
/// (`a < b`, `<3`) is kept as text. It works on UTF-8 bytes in one pass, because every reader
/// calls it for every comment.
public enum PlainText {
    /// Tags removed (block tags and `<br>` become line breaks), entities decoded,
    /// runs of spaces folded, blank-line runs reduced to one, ends trimmed.
    public static func from(html: String) -> String {
        var source = html
        return source.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else {
                return tidy(bytes, unchanged: html)
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                // The run of text up to the next `<` or `&` is copied whole: byte by byte, the
                // appends were most of this function's time on long comments.
                var runEnd = i
                while runEnd < bytes.count, bytes[runEnd] != UInt8(ascii: "<"), bytes[runEnd] != UInt8(ascii: "&") {
                    runEnd += 1
                }
                if runEnd > i {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<runEnd]))
                    i = runEnd
                    continue
                }
                let c = bytes[i]
                if c == UInt8(ascii: "<"), let end = tagEnd(bytes, from: i) {
                    let name = TagName(bytes, from: i + 1, to: end)
                    if let closing = Self.closingOfSkipped[name] {
                        i = skipElement(closedBy: closing, bytes, after: end)
                        continue
                    }
                    if blockTags.contains(name) { out.append(0x0A) }
                    i = end + 1
                    continue
                }
                if c == UInt8(ascii: "&"), let (decoded, next) = HTMLEntities.decode(bytes, at: i) {
                    out.append(contentsOf: decoded.utf8)
                    i = next
                    continue
                }
                out.append(c)
                i += 1
            }
            return out.withUnsafeBufferPointer { tidy($0) }
        }
    }

    /// Decodes HTML entities only; no tag handling.
    public static func decodingEntities(_ text: String) -> String {
        guard UTF8Scan.contains(UInt8(ascii: "&"), in: text) else { return text }
        var text = text
        return text.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "&"), let (decoded, next) = HTMLEntities.decode(bytes, at: i) {
                    out.append(contentsOf: decoded.utf8)
                    i = next
                } else {
                    out.append(bytes[i])
                    i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Folds spaces and tabs, trims each line, keeps at most one blank line in a row.
    public static func tidy(_ text: String) -> String {
        var text = text
        return text.withUTF8 { tidy($0) }
    }

    /// `unchanged` is returned when tidying changes nothing: the plain text of a comment without
    /// markup then shares the content's storage instead of holding a second copy of it.
    static func tidy(_ bytes: UnsafeBufferPointer<UInt8>, unchanged: String? = nil) -> String {
        // Most comments are tidy already: one read-only pass says so, where building the copy
        // and comparing it cost three.
        if let unchanged, isTidy(bytes) { return unchanged }
        return rebuiltTidy(bytes, unchanged: unchanged)
    }

    /// Whether `tidy` would return `bytes` as they are: no tab, carriage return or no-break
    /// space, no space at a line's ends or beside another, no line break at the ends and no
    /// two blank lines in a row.
    static func isTidy(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        guard count > 0 else { return true }
        if bytes[0] == 0x20 || bytes[0] == 0x0A || bytes[count - 1] == 0x20 || bytes[count - 1] == 0x0A {
            return false
        }
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for index in 0..<count {
            let c = bytes[index]
            switch c {
            case 0x09, 0x0D: return false
            case 0x20: if previous == 0x20 || previous == 0x0A { return false }
            case 0x0A: if previous == 0x20 || (previous == 0x0A && beforePrevious == 0x0A) { return false }
            case 0xA0: if previous == 0xC2 { return false }
            default: break
            }
            beforePrevious = previous
            previous = c
        }
        return true
    }

    /// `tidy` the long way: the text copied word by word, and the copy compared with the original.
    static func rebuiltTidy(_ bytes: UnsafeBufferPointer<UInt8>, unchanged: String? = nil) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        var pendingNewlines = 0
        var lineHasText = false
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            var isSpace = c == 0x20 || c == 0x09 || c == 0x0D
            var width = 1
            // U+00A0 NO-BREAK SPACE is 0xC2 0xA0 in UTF-8.
            if c == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 {
                isSpace = true
                width = 2
            }
            if c == 0x0A {
                if lineHasText { pendingNewlines += 1 } else if pendingNewlines > 0 { pendingNewlines = 2 }
                lineHasText = false
                pendingSpace = false
            } else if isSpace {
                if lineHasText { pendingSpace = true }
            } else {
                if pendingNewlines > 0 {
                    if !out.isEmpty {
                        out.append(0x0A)
                        if pendingNewlines > 1 { out.append(0x0A) }
                    }
                    pendingNewlines = 0
                } else if pendingSpace {
                    out.append(0x20)
                }
                pendingSpace = false
                lineHasText = true
                // The rest of the word goes in whole: nothing pends inside it.
                var wordEnd = i + 1
                while wordEnd < bytes.count {
                    let next = bytes[wordEnd]
                    if next == 0x20 || next == 0x09 || next == 0x0D || next == 0x0A { break }
                    if next == 0xC2, wordEnd + 1 < bytes.count, bytes[wordEnd + 1] == 0xA0 { break }
                    wordEnd += 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<wordEnd]))
                width = wordEnd - i
            }
            i += width
        }
        if let unchanged, out.count == bytes.count, out.elementsEqual(bytes) { return unchanged }
        return String(decoding: out, as: UTF8.self)
    }

    private static let blockTags: Set<TagName> = Set(
        [
            "br", "p", "/p", "div", "/div", "li", "/li", "ul", "/ul", "ol", "/ol", "blockquote",
            "/blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "/h1", "/h2", "/h3", "/h4", "/h5", "/h6",
            "tr", "/tr", "pre", "/pre", "hr",
        ].map(TagName.init(name:)))

    /// Elements whose content is not text, each with its closing tag's name.
    private static let closingOfSkipped: [TagName: TagName] = [
        TagName(name: "script"): TagName(name: "/script"), TagName(name: "style"): TagName(name: "/style"),
    ]

    /// A tag's name as `from(html:)` compares it: a leading `/` kept, then ASCII letters
    /// (lowercased) and digits, at most 12 bytes in all, packed into two words. Equal names
    /// pack equally and different ones differently (the byte count is part of the key), so a
    /// tag needs no string and no hashing of one.
    struct TagName: Hashable {
        private var low: UInt64 = 0
        private var high: UInt64 = 0
        private(set) var count = 0

        static let maximumCount = 12

        private mutating func append(_ byte: UInt8) {
            if count < 8 {
                low |= UInt64(byte) << (8 * UInt64(count))
            } else {
                high |= UInt64(byte) << (8 * UInt64(count - 8))
            }
            count += 1
        }

        /// The name of the tag whose text (after the `<`) runs from `from` to `to`.
        init(_ s: UnsafeBufferPointer<UInt8>, from: Int, to: Int) {
            var i = from
            if i < to, s[i] == UInt8(ascii: "/") {
                append(UInt8(ascii: "/"))
                i += 1
            }
            while i < to, count < Self.maximumCount, PlainText.isLetter(s[i]) || (s[i] >= 0x30 && s[i] <= 0x39) {
                append(s[i] | (PlainText.isLetter(s[i]) ? 0x20 : 0))
                i += 1
            }
        }

        /// A name given as text (lowercase, as tags are compared).
        init(name: String) {
            for byte in name.utf8.prefix(Self.maximumCount) { append(byte) }
        }
    }

    fileprivate static func isLetter(_ c: UInt8) -> Bool {
        (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
    }

    /// The index of the `>` closing a tag that starts at `start`, if `start` opens a tag at all.
    private static func tagEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let next = start + 1
        guard next < s.count else { return nil }
        let n = s[next]
        guard n == UInt8(ascii: "/") || n == UInt8(ascii: "!") || n == UInt8(ascii: "?") || isLetter(n) else {
            return nil
        }
        var i = next
        var quote: UInt8 = 0
        // A real tag is short; giving up after a bound keeps stray `<` linear on long text.
        let limit = min(s.count, start + 4096)
        while i < limit {
            let c = s[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                // Quotes only matter inside attributes, i.e. after the name.
                if i > next + 1 { quote = c }
            } else if c == UInt8(ascii: ">") {
                return i
            } else if c == UInt8(ascii: "<") {
                return nil
            }
            i += 1
        }
        return nil
    }

    private static func skipElement(closedBy closing: TagName, _ s: UnsafeBufferPointer<UInt8>, after: Int) -> Int {
        var i = after + 1
        while i < s.count {
            if s[i] == UInt8(ascii: "<"), let end = tagEnd(s, from: i), TagName(s, from: i + 1, to: end) == closing {
                return end + 1
            }
            i += 1
        }
        return s.count
    }
}

extension String {
    /// The text of UTF-8 byte `range`, with any partial character at the edges repaired.
    public func utf8Slice(_ range: Range<Int>) -> String {
        let view = utf8
        let count = view.count
        let lower = Swift.max(0, Swift.min(range.lowerBound, count))
        let upper = Swift.max(lower, Swift.min(range.upperBound, count))
        let start = view.index(view.startIndex, offsetBy: lower)
        let end = view.index(start, offsetBy: upper - lower)
        return String(decoding: view[start..<end], as: UTF8.self)
    }
}
