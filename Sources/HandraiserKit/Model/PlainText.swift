/// Turns comment content as given (often HTML) into plain text.
///
/// This is deliberately a small tolerant scanner rather than an HTML parser: comment HTML is
/// short, frequently broken, and only its text matters. A `<` that does not open a tag
/// (`a < b`, `<3`) is kept as text.
public enum PlainText {
    /// Tags removed (block tags and `<br>` become line breaks), entities decoded,
    /// runs of spaces folded, blank-line runs reduced to one, ends trimmed.
    public static func from(html: String) -> String {
        guard html.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else {
            return tidy(html)
        }
        var out = String.UnicodeScalarView()
        let scalars = Array(html.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "<", let end = tagEnd(scalars, from: i) {
                let name = tagName(scalars, from: i + 1, to: end)
                if name == "script" || name == "style" {
                    i = skipElement(named: name, scalars, after: end)
                    continue
                }
                if blockTags.contains(name) { out.append("\n") }
                i = end + 1
                continue
            }
            if c == "&", let (decoded, next) = HTMLEntities.decode(scalars, at: i) {
                out.append(contentsOf: decoded.unicodeScalars)
                i = next
                continue
            }
            out.append(c)
            i += 1
        }
        return tidy(String(out))
    }

    /// Decodes HTML entities only; no tag handling.
    public static func decodingEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "&", let (decoded, next) = HTMLEntities.decode(scalars, at: i) {
                out.append(contentsOf: decoded.unicodeScalars)
                i = next
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }

    /// Folds spaces and tabs, trims each line, keeps at most one blank line in a row.
    public static func tidy(_ text: String) -> String {
        var lines: [Substring] = []
        var blank = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\u{A0}" })
                .joined(separator: " ")
            if line.isEmpty {
                if !lines.isEmpty { blank = true }
                continue
            }
            if blank { lines.append("") }
            blank = false
            lines.append(Substring(line))
        }
        return lines.joined(separator: "\n")
    }

    private static let blockTags: Set<String> = [
        "br", "p", "/p", "div", "/div", "li", "/li", "ul", "/ul", "ol", "/ol", "blockquote",
        "/blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "/h1", "/h2", "/h3", "/h4", "/h5", "/h6",
        "tr", "/tr", "pre", "/pre", "hr",
    ]

    /// The index of the `>` closing a tag that starts at `start`, if `start` opens a tag at all.
    private static func tagEnd(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        let next = start + 1
        guard next < s.count else { return nil }
        let n = s[next]
        guard n == "/" || n == "!" || n == "?" || n.properties.isAlphabetic else { return nil }
        var i = next
        var quote: Unicode.Scalar?
        while i < s.count {
            let c = s[i]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                // Quotes only matter inside attributes, i.e. after the name.
                if i > next + 1 { quote = c }
            } else if c == ">" {
                return i
            } else if c == "<" || c == "\n" && i - start > 2000 {
                return nil
            }
            i += 1
        }
        return nil
    }

    private static func tagName(_ s: [Unicode.Scalar], from: Int, to: Int) -> String {
        var name = String.UnicodeScalarView()
        var i = from
        if i < to, s[i] == "/" {
            name.append("/")
            i += 1
        }
        while i < to, s[i].properties.isAlphabetic || ("0"..."9").contains(s[i]) {
            name.append(contentsOf: s[i].properties.lowercaseMapping.unicodeScalars)
            i += 1
        }
        return String(name)
    }

    private static func skipElement(named name: String, _ s: [Unicode.Scalar], after: Int) -> Int {
        var i = after + 1
        while i < s.count {
            if s[i] == "<", let end = tagEnd(s, from: i), tagName(s, from: i + 1, to: end) == "/" + name {
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
        let bytes = Array(utf8)
        let lower = Swift.max(0, Swift.min(range.lowerBound, bytes.count))
        let upper = Swift.max(lower, Swift.min(range.upperBound, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }
}
