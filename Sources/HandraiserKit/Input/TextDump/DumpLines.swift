import HandraiserModel

/// One line of a text dump, decoded, with where it starts in the file.
struct DumpLine {
    /// 1-based line number.
    let number: Int
    /// 0-based byte offset of the line's first byte.
    let byteOffset: Int
    /// The line without its terminator.
    let text: String
    /// Width of the leading white space; a tab counts as four columns.
    let indent: Int
    /// The line without leading and trailing white space.
    let body: Substring

    var isBlank: Bool { body.isEmpty }

    init(number: Int, byteOffset: Int, text: String) {
        self.number = number
        self.byteOffset = byteOffset
        self.text = text
        // Unicode scalars, not characters: white space never combines, and this runs on every line.
        let scalars = text.unicodeScalars
        var width = 0
        var start = scalars.startIndex
        while start < scalars.endIndex, let w = DumpLine.whiteWidth(scalars[start]) {
            width += w
            start = scalars.index(after: start)
        }
        var end = scalars.endIndex
        while end > start, DumpLine.whiteWidth(scalars[scalars.index(before: end)]) != nil {
            end = scalars.index(before: end)
        }
        self.indent = width
        self.body = text[start..<end]
    }

    /// The width of `c` when it is white space that pasting leaves around lines, else nil.
    static func whiteWidth(_ c: Character) -> Int? {
        c.unicodeScalars.count == 1 ? c.unicodeScalars.first.flatMap(whiteWidth) : nil
    }

    static func whiteWidth(_ c: Unicode.Scalar) -> Int? {
        switch c {
        case " ", "\u{A0}", "\u{2007}", "\u{202F}", "\u{FEFF}", "\u{200B}", "\r": 1
        case "\t": 4
        case "\u{3000}": 2
        default: nil
        }
    }
}

/// A dump's bytes split into decoded lines, with the lines that were not valid UTF-8.
struct DecodedDump {
    var lines: [DumpLine]
    /// Line numbers whose bytes were not valid UTF-8 (decoded with U+FFFD in their place).
    var invalidUTF8Lines: [Int]
}

/// Turns a dump's bytes into lines, refusing binary data and decoding bad UTF-8 leniently.
enum DumpDecoder {
    /// Splits `bytes` into lines. Throws `InputError.malformed` for binary data or UTF-16 text.
    static func decode(_ bytes: [UInt8], file: String) throws(InputError) -> DecodedDump {
        if let problem = binaryProblem(bytes) {
            let (line, lineStart) = lineOf(offset: problem.offset, in: bytes)
            let location = SourceLocation(
                file: file, line: line, column: problem.offset - lineStart + 1, byteOffset: problem.offset)
            throw InputError.malformed(location, message: problem.message)
        }
        var lines: [DumpLine] = []
        var invalid: [Int] = []
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            // A UTF-8 byte order mark says nothing about the text.
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
            var number = 1
            var highBytes = false
            var i = start
            func emit(_ end: Int) {
                var stop = end
                if stop > start, buffer[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                let slice = UnsafeBufferPointer(rebasing: buffer[start..<stop])
                if highBytes, !isValidUTF8(slice) { invalid.append(number) }
                lines.append(DumpLine(number: number, byteOffset: start, text: String(decoding: slice, as: UTF8.self)))
            }
            while i < buffer.count {
                let byte = buffer[i]
                if byte == UInt8(ascii: "\n") {
                    emit(i)
                    number += 1
                    start = i + 1
                    highBytes = false
                } else if byte >= 0x80 {
                    highBytes = true
                }
                i += 1
            }
            if start < buffer.count { emit(buffer.count) }
        }
        return DecodedDump(lines: lines, invalidUTF8Lines: invalid)
    }

    /// Whether the first bytes of an input read as text (no NUL bytes, few control characters).
    static func looksLikeText(_ prefix: ArraySlice<UInt8>) -> Bool {
        binaryProblem(Array(prefix)) == nil
    }

    struct BinaryProblem {
        var offset: Int
        var message: String
    }

    /// Why `bytes` are not a text dump: UTF-16, NUL bytes, or a high share of control characters.
    static func binaryProblem(_ bytes: [UInt8]) -> BinaryProblem? {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            return BinaryProblem(
                offset: 0, message: "the text is UTF-16, not UTF-8; convert it first (e.g. iconv -f UTF-16 -t UTF-8)")
        }
        return bytes.withUnsafeBufferPointer { buffer -> BinaryProblem? in
            var controls = 0
            var firstControl = -1
            for i in 0..<buffer.count {
                let byte = buffer[i]
                if byte == 0 {
                    // UTF-16 text without a byte order mark has a NUL beside nearly every ASCII letter.
                    let head = buffer.prefix(64)
                    let utf16 = head.count >= 16 && head.filter { $0 == 0 }.count * 3 >= head.count
                    return BinaryProblem(
                        offset: i,
                        message: utf16
                            ? "the text looks like UTF-16 (NUL bytes between letters), not UTF-8; convert it first"
                            : "binary data (a NUL byte), not a text dump")
                }
                if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D, byte != 0x0C, byte != 0x0B, byte != 0x1B {
                    controls += 1
                    if firstControl < 0 { firstControl = i }
                }
            }
            // A stray control character is a pasting accident; many are a binary file.
            if controls > 8 && controls * 50 > buffer.count {
                return BinaryProblem(
                    offset: firstControl, message: "binary data (\(controls) control bytes), not a text dump")
            }
            return nil
        }
    }

    /// The 1-based line holding byte `offset`, and the offset where that line starts.
    static func lineOf(offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return (line, lineStart)
    }

    /// Strict UTF-8 validation: no overlong forms, no surrogates, nothing above U+10FFFF.
    static func isValidUTF8(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = s.count
        while i < n {
            let b0 = s[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return false
            }
            guard i + length <= n else { return false }
            let b1 = s[i + 1]
            guard b1 >= lower && b1 <= upper else { return false }
            var k = 2
            while k < length {
                guard s[i + k] & 0xC0 == 0x80 else { return false }
                k += 1
            }
            i += length
        }
        return true
    }
}
