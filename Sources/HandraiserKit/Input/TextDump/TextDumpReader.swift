import HandraiserModel

/// Reads what a person gets by copy-pasting a blog page: the post (title, byline, body), then a
/// comment section (`15 Responses`, `12 thoughts on “Title”`, `Comments (4)`…) whose entries are
/// numbered (`  1. text`) or open with an author line (`Jane says:`, `Jane on March 3, 2009`,
/// `[Jane](url) on …`, a name alone, `Pingback: Title`), up to a footer such as `Leave a Reply`.
///
/// A dump is one post and yields one thread. Nothing is invented: when the header promises more
/// comments than the dump holds, the thread says so in a note. Each comment's `content` keeps the
/// lines as pasted (common indentation removed), so hard wrapping stays visible to the
/// heuristics; `text` undoes the wrapping. The post author's comments are taken from `--author`
/// or inferred (see `DumpAuthorship`), with the evidence in `Comment.authorship` and a note.
public struct TextDumpReader: CommentReader {
    public var format: InputFormat { .dump }

    /// The largest dump read; a pasted page is far smaller, so more is a wrong file.
    public static let maximumBytes = 256 << 20

    public init() {}

    public func read(_ reader: ByteReader, options: ReadOptions, into sink: inout some ReadSink) throws {
        let bytes = try reader.readAll(maximumBytes: Self.maximumBytes)
        try sink.thread(Self.parse(bytes, file: reader.name, options: options))
    }

    /// Reads a whole dump held in memory.
    ///
    /// An empty file (or one of white space only) throws `InputError.empty`: there is no post to
    /// report on, and saying so beats an empty table. Binary data and UTF-16 text throw
    /// `InputError.malformed`; bytes that are not valid UTF-8 are replaced and noted.
    public static func parse(
        _ bytes: [UInt8], file: String, options: ReadOptions = ReadOptions()
    ) throws(InputError)
        -> Thread
    {
        let decoded = try DumpDecoder.decode(bytes, file: file)
        guard decoded.lines.contains(where: { !$0.isBlank }) else { throw InputError.empty(file: file) }
        var parser = DumpParser(lines: decoded.lines, file: file)
        let result = parser.parse()
        var comments = result.comments
        var notes: [InputNote] = []
        if let first = decoded.invalidUTF8Lines.first {
            let more = decoded.invalidUTF8Lines.count - 1
            notes.append(
                InputNote(
                    severity: .warning, code: "invalid-utf8",
                    message: "bytes that are not valid UTF-8 were replaced with U+FFFD"
                        + (more > 0 ? " (here and on \(more) more \(more == 1 ? "line" : "lines"))" : ""),
                    location: SourceLocation(file: file, line: first)))
        }
        notes += parser.notes
        let headerLocation = result.headerLine.map(parser.location)
        if let promised = result.promisedCommentCount, promised != comments.count {
            let found = comments.count
            let holds = "the dump holds \(found)"
            notes.append(
                promised > found
                    ? InputNote(
                        severity: .warning, code: "missing-comments",
                        message: "header promises \(promised) \(promised == 1 ? "comment" : "comments"); \(holds)",
                        location: headerLocation)
                    : InputNote(
                        severity: .info, code: "extra-comments",
                        message: "header promises \(promised) \(promised == 1 ? "comment" : "comments"); \(holds)",
                        location: headerLocation))
        }
        if comments.isEmpty && result.headerLine == nil {
            notes.append(InputNote(severity: .info, code: "no-comments", message: "the dump has no comment section"))
        }
        notes += DumpAuthorship.apply(to: &comments, post: result.post, options: options, file: file)
        return Thread(
            post: result.post, comments: comments, promisedCommentCount: result.promisedCommentCount, notes: notes)
    }

    /// Whether the first bytes of an input can be a text dump: text, not binary. Dumps have no
    /// signature, so this is the fallback after the structured formats have been ruled out.
    public static func looksLikeDump(_ prefix: ArraySlice<UInt8>) -> Bool {
        guard prefix.contains(where: { $0 > 0x20 }) else { return false }
        return DumpDecoder.looksLikeText(prefix)
    }
}
