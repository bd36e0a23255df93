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
        value.withUTF8 { bytes in
            // Most text needs no escape at all: copy it whole, else copy the runs between escapes.
            let isEscaped = needsEscape(at: bytes)
            var found: Int?
            for index in 0..<bytes.count where isEscaped(bytes[index], index) {
                found = index
                break
            }
            guard let first = found else {
                out += "\""
                out += String(decoding: bytes, as: UTF8.self)
                out += "\""
                return
            }
            var escaped: [UInt8] = []
            escaped.reserveCapacity(bytes.count + 16)
            escaped.append(0x22)
            escaped.append(contentsOf: bytes[..<first])
            var index = first
            while index < bytes.count {
                let byte = bytes[index]
                guard isEscaped(byte, index) else {
                    escaped.append(byte)
                    index += 1
                    continue
                }
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
                    index += length
                    continue
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    escaped.append(contentsOf: [
                        0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                    ])
                }
                index += 1
            }
            escaped.append(0x22)
            out += String(decoding: escaped, as: UTF8.self)
        }
    }

    /// JSON text (a value kept as read) with the characters `literal` escapes beyond ASCII — C1
    /// and bidi controls, invisible characters, line separators — written as `\uXXXX`. Outside
    /// strings JSON cannot hold them, and inside a string the escape means the same character.
    public static func escapingInvisibles(inJSON json: String) -> String {
        var json = json
        return json.withUTF8 { bytes in
            let isEscaped = needsEscape(at: bytes)
            guard bytes.indices.contains(where: { bytes[$0] >= 0xC2 && isEscaped(bytes[$0], $0) }) else {
                return String(decoding: bytes, as: UTF8.self)
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                guard byte >= 0xC2, isEscaped(byte, index) else {
                    out.append(byte)
                    index += 1
                    continue
                }
                let length = byte < 0xE0 ? 2 : 3
                out += unicodeEscape(bytes, at: index, length: length)
                index += length
            }
            return String(decoding: out, as: UTF8.self)
        }
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
    private static func needsEscape(at bytes: UnsafeBufferPointer<UInt8>) -> (UInt8, Int) -> Bool {
        { byte, index in
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
}
