import HandraiserModel

/// Escaping for untrusted text placed in HTML element content or quoted attribute values.
public enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` become character references; control characters, bidi
    /// controls and invisible characters are shown as `TerminalSafe` marks them (`␛`, `⟨U+202E⟩`),
    /// so a page cannot reorder or hide text either.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in TerminalSafe.clean(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A link target that is safe to put in `href`: only http(s) and mailto, else nil.
    public static func safeHref(_ url: String) -> String? {
        let trimmed = url.trimmedOfSpaces
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") else {
            return nil
        }
        return escape(trimmed)
    }
}

/// Cells that a spreadsheet will not run as formulas.
public enum CSVText {
    /// One CSV field: quoted when needed; a leading `=`, `+`, `-`, `@`, tab or CR is defused with
    /// a `'`; control, bidi and invisible characters are shown as `TerminalSafe` marks them.
    public static func field(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        value = TerminalSafe.clean(value)
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}

extension String {
    fileprivate var trimmedOfSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }

    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
