/// How names are compared: case-insensitive, white space folded, surrounding punctuation ignored.
public enum NameMatching {
    public static func key(_ name: String) -> String {
        asciiKey(name) ?? unicodeKey(name)
    }

    static func unicodeKey(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            .trimmingCharacters(in: "@\"'“”‘’.,:;")
    }

    /// `unicodeKey` for an ASCII name, on bytes (the Character version cost some 50,000
    /// instructions a name, and readers take several keys per comment); nil for any other name.
    static func asciiKey(_ name: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        var spaceOwed = false
        for byte in name.utf8 {
            guard byte < 0x80 else { return nil }
            // Character.isWhitespace in ASCII: tab, line feed, vertical tab, form feed, return, space.
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                spaceOwed = !out.isEmpty
                continue
            }
            if spaceOwed {
                out.append(0x20)
                spaceOwed = false
            }
            out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        func trimmed(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "@"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "."), UInt8(ascii: ","),
                UInt8(ascii: ":"), UInt8(ascii: ";"):
                true
            default: false
            }
        }
        var lower = 0
        var upper = out.count
        while lower < upper, trimmed(out[lower]) { lower += 1 }
        while upper > lower, trimmed(out[upper - 1]) { upper -= 1 }
        return String(decoding: out[lower..<upper], as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
