/// JSON string literals, written one way for every stage (readers keep unknown fields as JSON
/// text, writers produce JSON Lines).
public enum JSONString {
    /// `value` as a quoted JSON string. Control characters and U+2028/U+2029 are escaped, so the
    /// text is also valid JavaScript and never breaks a line; so are bidi controls and invisible
    /// characters, so JSON Lines printed on a terminal show them as `\u202e` (a decoder gets them back).
    public static func literal(_ value: String) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    public static func append(_ value: String, to out: inout String) {
        var value = value
        let escaped: [UInt8]? = value.withUTF8 { bytes in
            // Most text needs no escape at all: it is appended whole below; else the runs between
            // escapes are copied at once.
            var index = 0
            while index < bytes.count, !isEscaped(bytes, index) { index += 1 }
            guard index < bytes.count else { return nil }
            var escaped: [UInt8] = []
            escaped.reserveCapacity(bytes.count + 16)
            escaped.append(0x22)
            escaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case 0x22: escaped.append(contentsOf: [0x5C, 0x22])
                case 0x5C: escaped.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: escaped.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: escaped.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: escaped.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0xC2, 0xD8, 0xE1, 0xE2, 0xEF:
                    // A C1 control, bidi control, invisible format character or line separator:
                    // written as \uXXXX, so the text cannot hide or reorder itself on a terminal.
                    let length = byte < 0xE0 ? 2 : 3
                    escaped.append(contentsOf: unicodeEscape(bytes, at: index, length: length))
                    index += length - 1
                default:
                    escaped.append(contentsOf: [
                        0x5C, UInt8(ascii: "u"), 0x30, 0x30, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)],
                    ])
                }
                index += 1
                let run = index
                while index < bytes.count, !isEscaped(bytes, index) { index += 1 }
                escaped.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
            }
            escaped.append(0x22)
            return escaped
        }
        if let escaped {
            out += String(decoding: escaped, as: UTF8.self)
        } else {
            out += "\""
            out += value
            out += "\""
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// JSON text (a value kept as read) with the characters `literal` escapes beyond ASCII — C1
    /// and bidi controls, invisible characters, line separators — written as `\uXXXX`. Outside
    /// strings JSON cannot hold them, and inside a string the escape means the same character.
    public static func escapingInvisibles(inJSON json: String) -> String {
        var json = json
        let escaped: [UInt8]? = json.withUTF8 { bytes in
            guard var index = bytes.indices.first(where: { bytes[$0] >= 0xC2 && isEscaped(bytes, $0) }) else {
                return nil
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<index]))
            while index < bytes.count {
                let byte = bytes[index]
                guard byte >= 0xC2, isEscaped(bytes, index) else {
                    out.append(byte)
                    index += 1
                    continue
                }
                let length = byte < 0xE0 ? 2 : 3
                out += unicodeEscape(bytes, at: index, length: length)
                index += length
            }
            return out
        }
        // Kept as it is when nothing needs escaping, without a copy.
        return escaped.map { String(decoding: $0, as: UTF8.self) } ?? json
    }

    /// `\uXXXX` for the 2- or 3-byte UTF-8 sequence at `index`.
    private static func unicodeEscape(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, length: Int) -> [UInt8] {
        var value = UInt32(bytes[index] & (length == 2 ? 0x1F : 0x0F))
        for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        let hex = Array("0123456789abcdef".utf8)
        return [0x5C, UInt8(ascii: "u")] + [12, 8, 4, 0].map { hex[Int(value >> UInt32($0) & 0xF)] }
    }

    /// Whether the byte at an index starts something JSON Lines must escape: a quote, a
    /// backslash, a control character, DEL, a C1 control, the line separators U+2028 and U+2029,
    /// or a character a terminal would hide or use to reorder text (the ones `TerminalSafe` marks:
    /// U+061C, U+180E, U+200B–U+200F, U+202A–U+202E, U+2060–U+2064, U+2066–U+2069, U+FEFF, U+FFF9–U+FFFB).
    @inline(__always)
    private static func isEscaped(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        let byte = bytes[index]
        if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F { return true }
        guard byte >= 0xC2 else { return false }
        switch byte {
        case 0xC2: return index + 1 < bytes.count && bytes[index + 1] <= 0x9F
        case 0xD8: return index + 1 < bytes.count && bytes[index + 1] == 0x9C
        case 0xE1, 0xE2, 0xEF:
            guard index + 2 < bytes.count else { return false }
            let second = bytes[index + 1]
            let third = bytes[index + 2]
            switch byte {
            case 0xE1: return second == 0xA0 && third == 0x8E
            case 0xE2:
                if second == 0x80 { return (0x8B...0x8F).contains(third) || (0xA8...0xAE).contains(third) }
                return second == 0x81 && (0xA0...0xA9).contains(third) && third != 0xA5
            default:
                return (second == 0xBB && third == 0xBF) || (second == 0xBF && (0xB9...0xBB).contains(third))
            }
        default: return false
        }
    }
}
