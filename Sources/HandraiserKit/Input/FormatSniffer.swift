/// Tells an input's format from its first bytes.
///
/// Content decides: an XML root (`<rss>` with the WordPress export namespace → WXR, `<disqus>`
/// → Disqus), a first line holding a JSON object → JSON Lines, a header line naming a content
/// column → CSV, any other text → a text dump. The file name's extension only breaks ties, when
/// the content alone would make it a text dump.
public enum FormatSniffer {
    /// How many bytes `sniff` is best given; fewer work too, and a character cut in two at the
    /// end of the prefix is not held against the input.
    public static let prefixLength = 1 << 14

    /// The format of the input starting with `prefix`, or nil when the bytes are no text
    /// Handraiser reads: empty, binary (NUL bytes), not UTF-8, or XML of another kind (an RSS feed
    /// that is not a WordPress export, say). The caller then reports `InputError.unknownFormat`.
    public static func sniff(_ prefix: ArraySlice<UInt8>, fileName: String) -> InputFormat? {
        var bytes = prefix
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard !bytes.contains(0) else { return nil }
        let start = bytes.firstIndex(where: { !isSpace($0) })
        guard let start else { return nil }
        let body = bytes[start...]
        let fileExtension = Self.fileExtension(fileName)

        if body.first == UInt8(ascii: "<") {
            if let xml = sniffXML(body, fileExtension: fileExtension) { return xml.format }
        }
        guard isUTF8(bytes, truncatedAtEnd: true) else { return nil }

        let firstLine = body.prefix(while: { $0 != 0x0A })
        if firstLine.first == UInt8(ascii: "{") { return .jsonl }
        if looksLikeCSVHeader(firstLine) { return .csv }
        switch fileExtension {
        case "csv", "tsv": return .csv
        case "jsonl", "ndjson": return .jsonl
        default: return .dump
        }
    }

    private struct XMLVerdict { var format: InputFormat? }

    /// The verdict for content that starts with `<`: a format, "not ours" (format nil), or nil
    /// when it is not XML after all (HTML or a `<` in pasted text).
    private static func sniffXML(_ body: ArraySlice<UInt8>, fileExtension: String) -> XMLVerdict? {
        let text = String(decoding: body, as: UTF8.self)
        var rest = Substring(text)
        var declared = false
        // Skip the prologue: the XML declaration, comments, processing instructions, a DOCTYPE.
        while true {
            rest = rest.drop(while: { $0.isWhitespace })
            if rest.hasPrefix("<?") {
                declared = declared || rest.hasPrefix("<?xml")
                guard let end = rest.firstRange(of: "?>") else { return XMLVerdict(format: nil) }
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("<!--") {
                guard let end = rest.firstRange(of: "-->") else { return searchWhole(text, declared: declared) }
                rest = rest[end.upperBound...]
            } else if rest.lowercased().hasPrefix("<!doctype html") {
                return XMLVerdict(format: .dump)
            } else if rest.hasPrefix("<!DOCTYPE") {
                declared = true
                // An internal subset (`[ <!ENTITY …> ]`) holds `>`s of its own: the DOCTYPE ends
                // at the first `>` outside it and outside quotes. Its entities are the reader's to refuse.
                guard let end = doctypeEnd(rest) else { return searchWhole(text, declared: true) }
                rest = rest[end...]
            } else {
                break
            }
        }
        guard rest.hasPrefix("<") else { return declared ? XMLVerdict(format: nil) : nil }
        let name = rest.dropFirst().prefix(while: { !$0.isWhitespace && $0 != ">" && $0 != "/" })
        let local = (name.split(separator: ":").last.map(String.init) ?? "").lowercased()
        switch local {
        case "rss":
            return XMLVerdict(format: isWordPress(text) ? .wxr : nil)
        case "disqus":
            return XMLVerdict(format: .disqus)
        case "html", "head", "body", "div", "p", "article", "section", "span", "a", "h1", "h2", "h3", "ul", "ol":
            return XMLVerdict(format: .dump)
        default:
            return declared || fileExtension == "xml" ? XMLVerdict(format: nil) : nil
        }
    }

    /// Just past the `>` that closes the DOCTYPE at the start of `text`, or nil when the prefix ends first.
    private static func doctypeEnd(_ text: Substring) -> Substring.Index? {
        var inSubset = false
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "[" where !inSubset: inSubset = true
            case "]" where inSubset: inSubset = false
            case ">" where !inSubset: return index
            default: break
            }
        }
        return nil
    }

    /// For a prologue longer than the prefix: look for the roots themselves.
    private static func searchWhole(_ text: String, declared: Bool) -> XMLVerdict {
        if text.contains("<rss") && isWordPress(text) { return XMLVerdict(format: .wxr) }
        if text.contains("<disqus") { return XMLVerdict(format: .disqus) }
        return XMLVerdict(format: declared ? nil : .dump)
    }

    private static func isWordPress(_ text: String) -> Bool {
        text.contains("wordpress.org/export/") || text.contains("<wp:")
    }

    private static func looksLikeCSVHeader(_ line: ArraySlice<UInt8>) -> Bool {
        let delimiter = CSVScanner.delimiter(ofHeader: line)
        let fields = CSVScanner.fields(ofLine: line, delimiter: delimiter)
        guard fields.count >= 2 else { return false }
        return fields.contains { CSVColumns.field(for: $0) == "content" }
    }

    private static func fileExtension(_ name: String) -> String {
        let base = name.split(separator: "/").last ?? ""
        guard let dot = base.lastIndex(of: ".") else { return "" }
        return base[base.index(after: dot)...].lowercased()
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09
    }

    /// Whether `bytes` is UTF-8; a sequence cut off by the end of a prefix is allowed.
    static func isUTF8(_ bytes: ArraySlice<UInt8>, truncatedAtEnd: Bool) -> Bool {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F:
                i += 1
                continue
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return false
            }
            if i + length > bytes.endIndex {
                return truncatedAtEnd && bytes[(i + 1)...].allSatisfy { $0 & 0xC0 == 0x80 }
            }
            for j in 1..<length where bytes[i + j] & 0xC0 != 0x80 { return false }
            // Overlong, surrogate and out-of-range forms.
            let second = bytes[i + 1]
            if b == 0xE0 && second < 0xA0 || b == 0xED && second > 0x9F || b == 0xF0 && second < 0x90
                || b == 0xF4 && second > 0x8F
            {
                return false
            }
            i += length
        }
        return true
    }
}
