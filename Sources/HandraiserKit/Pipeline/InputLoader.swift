import HandraiserInput
import HandraiserModel

/// One input read whole: its threads and the records that could not be read.
public struct LoadedInput: Sendable {
    public var source: InputSource
    public var format: InputFormat
    public var threads: [Thread]
    public var unreadable: [UnreadableRecord]
}

/// Opens an input, works out its format from its content (unless told), and reads it.
public enum InputLoader {
    /// How many bytes sniffing looks at.
    static let sniffLength = 8192

    ///
    /// Standard input is copied to a private temporary file first (removed when read), so that
    /// readers that look twice (a Disqus export's threads, by offset) need not hold the raw
    /// input as well; locations and errors still name it `-`.
    public static func load(
        _ source: InputSource, format: InputFormat? = nil, options: ReadOptions = ReadOptions()
    )
        throws -> LoadedInput
    {
        let spool = source.isStandardInput ? try Spool.standardInput() : nil
        defer { spool?.remove() }
        var sink = CollectingSink()
        let chosen = try naming(spool?.path, as: source.name) {
            try read(
                InputSource(name: spool?.path ?? source.name, shownName: source.name), format: format, options: options,
                into: &sink)
        }
        var input = LoadedInput(source: source, format: chosen, threads: sink.threads, unreadable: sink.unreadable)
        if spool != nil { input.rename(to: source.name) }
        return input
    }

    /// Reads `source` into `sink`, sniffing the format unless given; returns the format used.
    @discardableResult
    public static func read(
        _ source: InputSource, format: InputFormat?, options: ReadOptions, into sink: inout some ReadSink
    )
        throws -> InputFormat
    {
        let reader = try source.open()
        let chosen = try self.format(of: try reader.peek(sniffLength), given: format, name: source.name)
        try self.reader(for: chosen).read(reader, options: options, into: &sink)
        return chosen
    }

    /// `given` when set, else the format sniffed from the input's first bytes; errors call the
    /// input `name`.
    static func format(of prefix: ArraySlice<UInt8>, given: InputFormat?, name: String) throws -> InputFormat {
        if let given { return given }
        if prefix.isEmpty { throw InputError.empty(file: name) }
        guard let sniffed = sniff(prefix, fileName: name) else {
            throw InputError.unknownFormat(file: name, seen: describe(prefix))
        }
        return sniffed
    }

    /// The sniffer's answer; text with a few invalid UTF-8 bytes (a Latin-1 paste, one broken
    /// record) is sniffed again with those bytes replaced, since its reader copes with them.
    /// Only input that looks binary (NUL bytes, mostly control bytes) stays unknown.
    static func sniff(_ prefix: ArraySlice<UInt8>, fileName: String) -> InputFormat? {
        if let format = FormatSniffer.sniff(prefix, fileName: fileName) { return format }
        let controls = prefix.count { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        guard !prefix.contains(0), controls * 20 < prefix.count else { return nil }
        // Cut at the last line break so a multi-byte character split by the prefix is not "invalid".
        let whole = prefix.lastIndex(of: 0x0A).map { prefix[..<$0] } ?? prefix
        let repaired = Array(String(decoding: whole, as: UTF8.self).utf8)
        guard repaired.count != whole.count || !repaired.elementsEqual(whole) else { return nil }
        return FormatSniffer.sniff(repaired[...], fileName: fileName)
    }

    /// The reader for `format`.
    public static func reader(for format: InputFormat) -> any CommentReader {
        switch format {
        case .dump: TextDumpReader()
        case .jsonl: JSONLReader()
        case .csv: CSVReader()
        case .wxr: WXRReader()
        case .disqus: DisqusReader()
        }
    }

    /// A short, printable description of the first bytes, for "unknown format" errors.
    static func describe(_ prefix: ArraySlice<UInt8>) -> String {
        let head = prefix.prefix(24)
        let printable = head.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
        if printable {
            let text = String(decoding: head, as: UTF8.self).replacingNewlines
            return "\"\(text)\(prefix.count > head.count ? "…" : "")\""
        }
        return "the bytes "
            + head.prefix(12).map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined(separator: " ") + " (binary data, not text)"
    }
}

extension String {
    fileprivate var replacingNewlines: String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\r" || $0 == "\t" ? " " : Character($0) })
    }
}

extension InputError {
    /// The same error about the input the user named `name`, where it was read from its copy at
    /// `path` (standard input spooled to a temporary file).
    func naming(_ path: String, as name: String) -> InputError {
        func renamed(_ file: String) -> String { file == path ? name : file }
        func renamed(_ location: SourceLocation) -> SourceLocation {
            var location = location
            location.file = renamed(location.file)
            return location
        }
        return switch self {
        case .unreadable(let file, let reason): .unreadable(file: renamed(file), reason: reason)
        case .malformed(let location, let message): .malformed(renamed(location), message: message)
        case .invalidUTF8(let location): .invalidUTF8(renamed(location))
        case .unknownFormat(let file, let seen): .unknownFormat(file: renamed(file), seen: seen)
        case .lineTooLong(let location, let limit): .lineTooLong(renamed(location), limit: limit)
        case .tooLarge(let file, let limit): .tooLarge(file: renamed(file), limit: limit)
        case .threadTooLong(let location, let post, let limit):
            .threadTooLong(renamed(location), post: post, limit: limit)
        case .empty(let file): .empty(file: renamed(file))
        }
    }
}

/// Runs `body` on the file at `path`, a copy of the input called `name`: errors name the input.
func naming<T>(_ path: String?, as name: String, _ body: () throws -> T) throws -> T {
    guard let path, path != name else { return try body() }
    do {
        return try body()
    } catch let error as InputError {
        throw error.naming(path, as: name)
    }
}
