/// A parsed JSON value. Numbers keep their source text so they pass through unchanged.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(n)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o):
            for (k, v) in o {
                hasher.combine(k)
                hasher.combine(v)
            }
        }
    }

    /// The value as text when it is a string or a number (ids are often either).
    public var scalarText: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}

/// Parses one JSON document from UTF-8 bytes, recording where each top-level member's value lies.
///
/// Written by hand rather than with JSONSerialization so a failure can name the column, unknown
/// members keep their exact source text, and JSON Lines reading stays fast.
public struct JSONParser {
    public struct Failure: Error, Equatable {
        /// 0-based byte offset into the input.
        public var offset: Int
        public var message: String
    }

    /// The members of a top-level object, each with the byte range of its value's source text.
    public static func parseObjectMembers(
        _ bytes: ArraySlice<UInt8>
    ) throws(Failure)
        -> [(key: String, value: JSONValue, raw: Range<Int>)]
    {
        var parser = JSONParser(bytes: bytes)
        parser.skipSpace()
        guard parser.peek == UInt8(ascii: "{") else { throw parser.fail("expected a JSON object") }
        parser.index += 1
        var members: [(key: String, value: JSONValue, raw: Range<Int>)] = []
        parser.skipSpace()
        if parser.peek == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            while true {
                parser.skipSpace()
                guard parser.peek == UInt8(ascii: "\"") else { throw parser.fail("expected a member name in quotes") }
                let key = try parser.parseString()
                parser.skipSpace()
                guard parser.peek == UInt8(ascii: ":") else { throw parser.fail("expected ':' after \"\(key)\"") }
                parser.index += 1
                parser.skipSpace()
                let start = parser.index
                let value = try parser.parseValue(depth: 1)
                members.append((key, value, start..<parser.index))
                parser.skipSpace()
                if parser.peek == UInt8(ascii: ",") {
                    parser.index += 1
                    continue
                }
                guard parser.peek == UInt8(ascii: "}") else { throw parser.fail("expected ',' or '}'") }
                parser.index += 1
                break
            }
        }
        parser.skipSpace()
        guard parser.index == bytes.endIndex else { throw parser.fail("unexpected text after the object") }
        return members
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int
    private static let maximumDepth = 256

    private init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    private var peek: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

    private func fail(_ message: String) -> Failure {
        Failure(offset: index - bytes.startIndex, message: peek == nil ? message + " but the line ended" : message)
    }

    private mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { index += 1 }
    }

    private mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
        guard depth < Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth) levels") }
        guard let c = peek else { throw fail("expected a value") }
        switch c {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"):
            index += 1
            var members: [(key: String, value: JSONValue)] = []
            skipSpace()
            if peek == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard peek == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
                let key = try parseString()
                skipSpace()
                guard peek == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                skipSpace()
                members.append((key, try parseValue(depth: depth + 1)))
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard peek == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
                index += 1
                return .object(members)
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if peek == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            while true {
                skipSpace()
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                guard peek == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
                index += 1
                return .array(items)
            }
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("unexpected character '\(Character(Unicode.Scalar(c)))'")
        }
    }

    private mutating func expectWord(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard bytes.endIndex - index >= count else { throw fail("expected \(word)") }
        for i in 0..<count where bytes[index + i] != word.utf8Start[i] {
            throw fail("expected \(word)")
        }
        index += count
    }

    private mutating func parseNumber() throws(Failure) -> String {
        let start = index
        if peek == UInt8(ascii: "-") { index += 1 }
        var digits = 0
        while let c = peek,
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
        {
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw fail("expected a number") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard Double(text) != nil else {
            throw Failure(offset: start - bytes.startIndex, message: "'\(text)' is not a number")
        }
        return text
    }

    /// Where the run of plain string bytes from `position` ends (at a quote, a backslash, a
    /// control byte or the end), and the OR of its bytes (below 0x80: all ASCII). On the
    /// buffer, as comment texts are long and most hold escapes (`\n`, `\"`).
    private func plainRun(from position: Int) -> (end: Int, bits: UInt8) {
        bytes.withUnsafeBufferPointer { buffer in
            let base = bytes.startIndex
            var offset = position - base
            var bits: UInt8 = 0
            while offset < buffer.count {
                let c = buffer[offset]
                if c == 0x22 || c == 0x5C || c < 0x20 { break }
                bits |= c
                offset += 1
            }
            return (offset + base, bits)
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        let (runEnd, seen) = plainRun(from: index)
        index = runEnd
        guard let stop = peek else { throw fail("unterminated string") }
        if stop < 0x20 { throw fail("a control character must be escaped inside a string") }
        if stop == UInt8(ascii: "\"") {
            index += 1
            // ASCII is valid UTF-8 as it stands: most strings skip the validation.
            if seen < 0x80 { return String(decoding: bytes[start..<(index - 1)], as: UTF8.self) }
            return try decodeUTF8(bytes[start..<(index - 1)], at: start)
        }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(2 * (index - start) + 16)
        utf8.append(contentsOf: bytes[start..<index])
        while let c = peek {
            if c == UInt8(ascii: "\"") {
                index += 1
                return try decodeUTF8(utf8[...], at: start)
            }
            if c < 0x20 { throw fail("a control character must be escaped inside a string") }
            if c != UInt8(ascii: "\\") {
                let (end, _) = plainRun(from: index)
                utf8.append(contentsOf: bytes[index..<end])
                index = end
                continue
            }
            index += 1
            guard let e = peek else { break }
            index += 1
            switch e {
            case UInt8(ascii: "\""): utf8.append(0x22)
            case UInt8(ascii: "\\"): utf8.append(0x5C)
            case UInt8(ascii: "/"): utf8.append(0x2F)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by \u low surrogate; otherwise it is replaced.
                    if peek == UInt8(ascii: "\\"), index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try parseHex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            utf8.append(contentsOf: Array("\u{FFFD}".utf8))
                            scalar = low
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                }
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                utf8.append(contentsOf: Array(String(character).utf8))
            default: throw fail("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        throw fail("unterminated string")
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek else { throw fail("expected four hex digits after \\u") }
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c) - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c) - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c) - 55
            default: throw fail("expected four hex digits after \\u")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private func decodeUTF8(_ utf8: ArraySlice<UInt8>, at start: Int) throws(Failure) -> String {
        guard let s = String(validating: utf8, as: UTF8.self) else {
            throw Failure(offset: start - bytes.startIndex, message: "the string is not valid UTF-8")
        }
        return s
    }
}
