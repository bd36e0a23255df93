import HandraiserModel

/// One CSV record with where it starts and its original text.
struct CSVRecord {
    var fields: [String]
    var location: SourceLocation
    /// The record as written (lines joined with `\n`), for the rejects stream.
    var raw: String
}

enum CSVScanResult {
    case record(CSVRecord)
    /// A quoted field that never closes. Only the record's first line is given up; the lines
    /// after it are read again as records of their own.
    case unterminatedQuote(CSVRecord)
}

/// Splits RFC 4180 text into records, line by line from a `ByteReader`.
///
/// Quoted fields may hold delimiters, doubled quotes and line breaks (`\r\n` and `\n` are both
/// line ends). Being lenient where spreadsheets are: a quote inside an unquoted field is kept as
/// text, and text after a closing quote is appended to the field.
struct CSVScanner {
    let file: String
    private let source: ByteReader
    var delimiter: UInt8 = UInt8(ascii: ",")
    /// A quoted field spanning more lines or bytes than this is taken to be unterminated.
    var maximumRecordLines = 10_000
    var maximumRecordBytes = 16 << 20
    /// Lines to read again before reading on, first one last.
    private var pushedBack: [(line: Int, offset: Int, bytes: [UInt8])] = []

    init(_ source: ByteReader) {
        self.source = source
        self.file = source.name
    }

    /// The next line with its 1-based number and byte offset.
    mutating func nextLine() throws(InputError) -> (line: Int, offset: Int, bytes: [UInt8])? {
        if let line = pushedBack.popLast() { return line }
        let number = source.lineNumber
        let offset = source.offset
        guard let bytes = try source.nextLineBytes(maximumLength: maximumRecordBytes) else { return nil }
        return (number, offset, Array(bytes))
    }

    /// Puts a line back to be returned by the next `nextLine()`.
    mutating func pushBack(_ line: (line: Int, offset: Int, bytes: [UInt8])) {
        pushedBack.append(line)
    }

    /// The next record, skipping blank lines; nil at the end.
    mutating func next() throws(InputError) -> CSVScanResult? {
        while true {
            guard let first = try nextLine() else { return nil }
            if first.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return try record(startingWith: first)
        }
    }

    private mutating func record(
        startingWith first: (line: Int, offset: Int, bytes: [UInt8])
    ) throws(InputError) -> CSVScanResult {
        let quote = UInt8(ascii: "\"")
        var lines = [first]
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var afterClosingQuote = false
        var onlySpacesSoFar = true
        var size = 0
        var current = first.bytes
        while true {
            var i = 0
            while i < current.count {
                let b = current[i]
                if inQuotes {
                    if b == quote {
                        if i + 1 < current.count && current[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        inQuotes = false
                        afterClosingQuote = true
                    } else {
                        field.append(b)
                    }
                } else if b == delimiter {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    afterClosingQuote = false
                    onlySpacesSoFar = true
                } else if b == quote && onlySpacesSoFar && !afterClosingQuote {
                    field.removeAll(keepingCapacity: true)
                    inQuotes = true
                    onlySpacesSoFar = false
                } else if afterClosingQuote && (b == 0x20 || b == 0x09) {
                    // `"value" ,` — spaces between the closing quote and the delimiter.
                } else {
                    field.append(b)
                    if b != 0x20 && b != 0x09 { onlySpacesSoFar = false }
                }
                i += 1
            }
            guard inQuotes else { break }
            size += current.count + 1
            guard lines.count < maximumRecordLines, size < maximumRecordBytes, let next = try nextLine() else {
                for line in lines.dropFirst().reversed() { pushBack(line) }
                return .unterminatedQuote(
                    CSVRecord(fields: [], location: location(first), raw: String(decoding: first.bytes, as: UTF8.self)))
            }
            field.append(0x0A)
            lines.append(next)
            current = next.bytes
        }
        fields.append(String(decoding: field, as: UTF8.self))
        let raw = lines.map { String(decoding: $0.bytes, as: UTF8.self) }.joined(separator: "\n")
        return .record(CSVRecord(fields: fields, location: location(first), raw: raw))
    }

    private func location(_ line: (line: Int, offset: Int, bytes: [UInt8])) -> SourceLocation {
        SourceLocation(file: file, line: line.line, column: 1, byteOffset: line.offset)
    }

    /// The delimiter a header line uses: the one of `,` `;` tab that splits it into the most
    /// fields outside quotes (a comma on ties).
    static func delimiter(ofHeader line: ArraySlice<UInt8>) -> UInt8 {
        var best = UInt8(ascii: ",")
        var bestCount = 0
        for candidate in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")] {
            var count = 0
            var inQuotes = false
            for b in line {
                if b == UInt8(ascii: "\"") { inQuotes.toggle() } else if b == candidate && !inQuotes { count += 1 }
            }
            if count > bestCount {
                best = candidate
                bestCount = count
            }
        }
        return best
    }

    /// The fields of one line (no line breaks inside quotes), for sniffing a header.
    static func fields(ofLine line: ArraySlice<UInt8>, delimiter: UInt8) -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        for b in line {
            if b == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if b == delimiter && !inQuotes {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll()
            } else {
                field.append(b)
            }
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
