/// JSON string literals, written one way for every stage (readers keep unknown fields as JSON
/// text, writers produce JSON Lines).
public enum JSONString {
    /// `value` as a quoted JSON string. Control characters and U+2028/U+2029 are escaped, so the
    /// text is also valid JavaScript and never breaks a line.
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
                case 0xE2:
                    // U+2028 or U+2029: three bytes, written as \u2028 / \u2029.
                    escaped.append(contentsOf: Array("\\u202".utf8))
                    escaped.append(bytes[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                    index += 3
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

    /// Whether the byte at an index starts something JSON Lines must escape: a quote, a
    /// backslash, a control character, DEL, or the line separators U+2028 and U+2029.
    private static func needsEscape(at bytes: UnsafeBufferPointer<UInt8>) -> (UInt8, Int) -> Bool {
        { byte, index in
            byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F
                || (byte == 0xE2 && index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9))
        }
    }
}
