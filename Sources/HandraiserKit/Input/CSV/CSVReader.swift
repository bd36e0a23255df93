import HandraiserModel

/// Reads CSV whose header row names the interchange fields of DESIGN.md, or common aliases
/// (`COMMENT_ID`, `AUTHOR`, `DATE`, `CONTENT`, `CLASS` as in the YouTube Spam Collection).
///
/// The delimiter (`,`, `;` or tab) is taken from the header line. Rows with the same `post_id`
/// form one thread, wherever they stand, so rows are held until the end of the file; without a
/// `post_id` column the whole file is one thread titled after the file. A row that cannot be
/// read (an unterminated quote, a wrong number of fields) goes to `ReadSink.unreadable` with its
/// line, and reading goes on. Columns the interchange format does not know are kept as extra fields.
public struct CSVReader: CommentReader {
    public var format: InputFormat { .csv }

    public init() {}

    public func read(_ reader: ByteReader, options: ReadOptions, into sink: inout some ReadSink) throws {
        var scanner = CSVScanner(reader)
        let columns = try Self.header(&scanner, file: reader.name)
        let stem = Self.fileStem(reader.name)
        var order: [String] = []
        var threads: [String: Thread] = [:]
        let authorNameKeys = Set(options.authorNames.map(NameMatching.key))
        while let result = try scanner.next() {
            guard let read = columns.read(result, authorNameKeys: authorNameKeys) else { continue }
            guard case .success(let (comment, post)) = read else {
                if case .failure(let bad) = read { try sink.unreadable(bad) }
                continue
            }
            let key = comment.postID ?? post.title ?? ""
            if threads[key] == nil {
                order.append(key)
                var post = post
                if key.isEmpty { post.title = stem }
                threads[key] = Thread(post: post)
            } else {
                try options.checkRoom(
                    forMoreThan: threads[key]?.comments.count ?? 0, post: threads[key]?.post.title ?? key,
                    at: comment.location)
                threads[key]?.post.fillGaps(from: post)
            }
            threads[key]?.comments.append(comment)
        }
        for key in order {
            if let thread = threads.removeValue(forKey: key) { try sink.thread(thread) }
        }
    }

    /// Reads every row as a record of its own, in file order, without grouping by post: the
    /// first pass of a streamed scan, which notes where each thread's rows start
    /// (`JSONLLayoutSink`, whose thread key CSV shares) so that `readThreads` can read them back.
    public func readRecords(_ reader: ByteReader, options: ReadOptions, into sink: inout some RecordSink) throws {
        var scanner = CSVScanner(reader)
        let columns = try Self.header(&scanner, file: reader.name)
        let authorNameKeys = Set(options.authorNames.map(NameMatching.key))
        while let result = try scanner.next() {
            switch columns.read(result, authorNameKeys: authorNameKeys) {
            case nil: continue
            case .failure(let bad): try sink.unreadable(bad)
            case .success(let (comment, post)): try sink.record(comment, post: post)
            }
        }
    }

    /// Reads the threads `layout` located back from `reader` one at a time, by the offsets of
    /// their rows (record starts, so quoted fields that span lines read as in the first pass), and
    /// hands them over as `read(_:options:into:)` does: the unreadable rows first, then each
    /// thread in order of first appearance. Memory holds one thread, not the file; a thread of
    /// more than `partComments` rows comes in parts of that many (`Thread.part`), as JSON Lines
    /// threads do, so memory then holds one part.
    public func readThreads(
        _ reader: ByteReader, layout: JSONLLayout, options: ReadOptions,
        partComments: Int = JSONLReader.threadPartComments, into sink: inout some ReadSink
    ) throws {
        var header = CSVScanner(reader)
        let columns = try Self.header(&header, file: reader.name)
        let delimiter = header.delimiter
        let stem = Self.fileStem(reader.name)
        let authorNameKeys = Set(options.authorNames.map(NameMatching.key))
        for bad in layout.unreadable {
            var scanner = try Self.scanner(reader, at: bad.offset, line: bad.line, delimiter: delimiter)
            if let result = try scanner.next(),
                case .failure(let record)? = columns.read(
                    result, authorNameKeys: authorNameKeys)
            {
                try sink.unreadable(record)
            }
        }
        for number in 0..<layout.threadCount {
            let runs = try layout.runs(ofThread: number)
            let records = CSVThreadRecords(
                reader: reader, runs: runs, columns: columns, delimiter: delimiter, stem: stem,
                authorNameKeys: authorNameKeys)
            if runs.reduce(0, { $0 + $1.count }) > max(1, partComments) {
                var parts = ThreadParts(records: records, partComments: max(1, partComments))
                try parts.read(into: &sink)
                continue
            }
            var post: Post?
            var comments: [Comment] = []
            try records.eachBatch(of: Int.max) { batch in
                for record in batch {
                    switch record {
                    case .failure(let bad):
                        // The file changed between the passes.
                        try sink.unreadable(bad)
                    case .success(let (comment, other)):
                        if let post {
                            // A caller that holds threads whole (`replies`) refuses one too long,
                            // as `read(_:options:into:)` does.
                            try options.checkRoom(
                                forMoreThan: comments.count, post: post.title ?? comment.postID ?? other.title ?? "",
                                at: comment.location)
                        }
                        records.merge(other, into: &post)
                        comments.append(comment)
                    }
                }
            }
            if let post { try sink.thread(Thread(post: post, comments: comments)) }
        }
    }

    /// A scanner of its own at `offset`: nothing read ahead elsewhere is pushed back there.
    fileprivate static func scanner(
        _ reader: ByteReader, at offset: Int, line: Int, delimiter: UInt8
    ) throws -> CSVScanner {
        try reader.seek(toOffset: offset, lineNumber: line)
        var scanner = CSVScanner(reader)
        scanner.delimiter = delimiter
        return scanner
    }

    /// Reads the header row and sets the scanner's delimiter from it.
    static func header(_ scanner: inout CSVScanner, file: String) throws -> CSVColumns {
        var firstLine: (line: Int, offset: Int, bytes: [UInt8])?
        while let line = try scanner.nextLine() {
            var bytes = line.bytes
            if firstLine == nil, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            firstLine = (line.line, line.offset, bytes)
            break
        }
        guard let firstLine else { throw InputError.empty(file: file) }
        scanner.delimiter = CSVScanner.delimiter(ofHeader: firstLine.bytes[...])
        scanner.pushBack(firstLine)
        guard case .record(let headerRecord)? = try scanner.next() else {
            throw InputError.malformed(
                SourceLocation(file: file, line: firstLine.line, column: 1),
                message: "the header row has an unterminated quote")
        }
        let header = headerRecord.fields.map(\.exportTrimmed)
        let columns = CSVColumns(header: header)
        guard columns.index["content"] != nil else {
            throw InputError.malformed(
                headerRecord.location,
                message:
                    "the header names no content column (one of \(CSVColumns.contentAliases.joined(separator: ", "))); it has \(header.joined(separator: ", "))"
            )
        }
        return columns
    }

    /// `exports/video-3.csv` → `video-3`; nil for standard input.
    public static func fileStem(_ name: String) -> String? {
        guard name != "-" else { return nil }
        let base = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }
}

/// The rows of one CSV thread, read back by their record starts (for `ThreadParts` and whole threads).
private struct CSVThreadRecords: ThreadRecords {
    let reader: ByteReader
    let runs: [(offset: Int, line: Int, count: Int)]
    let columns: CSVColumns
    let delimiter: UInt8
    let stem: String?
    let authorNameKeys: Set<String>

    func merge(_ post: Post, into merged: inout Post?) {
        Self.merge(post, into: &merged, stem: stem)
    }

    static func merge(_ post: Post, into merged: inout Post?, stem: String?) {
        if merged == nil {
            var post = post
            // A file without post ids or titles is one thread titled after the file.
            if (post.id ?? post.title ?? "").isEmpty { post.title = stem }
            merged = post
        } else {
            merged!.fillGaps(from: post)
        }
    }

    /// Rows carry their authorship already.
    func finished(_ comment: Comment, post: Post) -> Comment { comment }

    func comment(at place: SourceLocation, post: Post) throws -> Comment? {
        let (offset, line) = (place.byteOffset ?? 0, place.line ?? 0)
        var scanner = try CSVReader.scanner(reader, at: offset, line: line, delimiter: delimiter)
        guard let result = try scanner.next(),
            case .success(let (comment, _))? = columns.read(result, authorNameKeys: authorNameKeys)
        else { return nil }
        return comment
    }

    func eachBatch(
        of size: Int, _ body: ([Result<(Comment, Post), UnreadableRecord>]) throws -> Void
    ) throws {
        var batch: [Result<(Comment, Post), UnreadableRecord>] = []
        for run in runs {
            var scanner = try CSVReader.scanner(reader, at: run.offset, line: run.line, delimiter: delimiter)
            var read = 0
            while read < run.count, let result = try scanner.next() {
                guard let record = columns.read(result, authorNameKeys: authorNameKeys) else { continue }
                batch.append(record)
                read += 1
                if batch.count >= size {
                    // `body` may read parents elsewhere in the file: the scanner holds nothing
                    // read ahead between rows of a run, so it goes on from where it stood.
                    let (offset, line) = (reader.offset, reader.lineNumber)
                    try body(batch)
                    batch.removeAll(keepingCapacity: true)
                    try reader.seek(toOffset: offset, lineNumber: line)
                }
            }
        }
        if !batch.isEmpty { try body(batch) }
    }
}

extension Post {
    /// Takes the fields this post lacks from another row of the same thread.
    fileprivate mutating func fillGaps(from other: Post) {
        if title == nil { title = other.title }
        if author == nil { author = other.author }
        if url == nil { url = other.url }
        if text == nil { text = other.text }
    }
}

/// How a CSV header maps to the interchange fields.
struct CSVColumns {
    /// Interchange field → column index (the first column that names it).
    var index: [String: Int] = [:]
    /// Columns no field claims, kept as extra fields under their own names.
    var extra: [(name: String, index: Int)] = []
    /// `CLASS` holds 1 for spam and 0 for ham (the YouTube Spam Collection).
    var labelIsClass = false

    /// How many columns the header names; every row must have as many fields.
    let columnCount: Int

    init(header: [String]) {
        columnCount = header.count
        for (i, name) in header.enumerated() {
            if let field = Self.field(for: name), index[field] == nil {
                index[field] = i
                if field == "label" && Self.normalized(name) == "class" { labelIsClass = true }
            } else {
                extra.append((name, i))
            }
        }
    }

    static let contentAliases = ["content", "comment", "body", "text", "message", "comment_content", "comment_text"]

    private static let aliases: [String: String] = {
        var table: [String: String] = [:]
        let groups: [(String, [String])] = [
            ("id", ["id", "comment_id", "commentid"]),
            ("parent_id", ["parent_id", "parent", "comment_parent", "parentid", "in_reply_to"]),
            ("post_id", ["post_id", "postid", "comment_post_id", "thread_id"]),
            ("post_title", ["post_title", "thread_title"]),
            ("post_author", ["post_author"]),
            ("post_url", ["post_url", "permalink", "thread_url"]),
            ("post_text", ["post_text"]),
            ("author", ["author", "comment_author", "author_name", "name"]),
            ("author_email", ["author_email", "email", "e_mail", "comment_author_email"]),
            ("author_url", ["author_url", "url", "website", "comment_author_url", "homepage"]),
            ("author_ip", ["author_ip", "ip", "ip_address", "comment_author_ip"]),
            ("date", ["date", "comment_date", "created_at", "timestamp", "time"]),
            ("type", ["type", "comment_type"]),
            ("content", contentAliases),
            ("status", ["status", "comment_approved", "approved"]),
            ("label", ["label", "class"]),
            ("replied", ["replied"]),
            ("by_post_author", ["by_post_author"]),
        ]
        for (field, names) in groups {
            for name in names { table[name] = field }
        }
        return table
    }()

    /// The interchange field a header names, if any.
    static func field(for header: String) -> String? {
        aliases[normalized(header)]
    }

    /// Lower case, surrounding spaces removed, inner spaces and hyphens as `_`.
    private static func normalized(_ header: String) -> String {
        var out = ""
        for c in header.exportTrimmed.lowercased() {
            out.append(c == " " || c == "-" ? "_" : c)
        }
        return out
    }

    /// What one scanned record is: a comment and its post fields, a row that cannot be read, or
    /// nil for a row with nothing in it (skipped).
    func read(_ result: CSVScanResult, authorNameKeys: Set<String>) -> Result<(Comment, Post), UnreadableRecord>? {
        switch result {
        case .unterminatedQuote(let record):
            return .failure(
                UnreadableRecord(
                    location: record.location,
                    message:
                        "a quoted field opened on this line is never closed; the lines after it are read on their own",
                    raw: record.raw))
        case .record(let record):
            guard record.fields.count == columnCount else {
                return .failure(
                    UnreadableRecord(
                        location: record.location,
                        message: "the row has \(record.fields.count) fields where the header has \(columnCount)",
                        raw: record.raw))
            }
            if record.fields.allSatisfy({ $0.exportTrimmed.isEmpty }) { return nil }
            return .success(comment(from: record, authorNameKeys: authorNameKeys))
        }
    }

    func comment(from record: CSVRecord, authorNameKeys: Set<String>) -> (Comment, Post) {
        func value(_ field: String) -> String? {
            guard let i = index[field], i < record.fields.count else { return nil }
            return record.fields[i].exportTrimmed.exportNonEmpty
        }
        var extraFields: [ExtraField] = []
        for (name, i) in extra where i < record.fields.count {
            extraFields.append(ExtraField(name: name, json: JSONString.literal(record.fields[i])))
        }
        var type = CommentType.comment
        if let raw = value("type") {
            if let known = CommentType(rawValue: raw.lowercased()) {
                type = known
            } else {
                extraFields.append(ExtraField(name: "type", json: JSONString.literal(raw)))
            }
        }
        var status: ModerationStatus?
        if let raw = value("status") {
            status = Self.status(raw)
            if status == nil { extraFields.append(ExtraField(name: "status", json: JSONString.literal(raw))) }
        }
        var labels = EvaluationLabels()
        if let raw = value("label")?.lowercased() {
            switch raw {
            case "spam": labels.label = .spam
            case "ham": labels.label = .ham
            case "1" where labelIsClass: labels.label = .spam
            case "0" where labelIsClass: labels.label = .ham
            default: break
            }
        }
        labels.replied = value("replied").flatMap(Self.flag)
        labels.byPostAuthor = value("by_post_author").flatMap(Self.flag)

        let postAuthor = value("post_author")
        let author = value("author")
        var authorship: Authorship?
        if [author, value("author_email")].contains(where: {
            $0.map { authorNameKeys.contains(NameMatching.key($0)) } ?? false
        }) {
            authorship = Authorship(isPostAuthor: true, confidence: 1, evidence: "the author is named with --author")
        } else if let author, let postAuthor, NameMatching.key(postAuthor) == NameMatching.key(author) {
            authorship = Authorship(
                isPostAuthor: true, confidence: 0.8, evidence: "the comment's author name is the post author's")
        }
        let post = Post(
            id: value("post_id"), title: value("post_title"), author: postAuthor, url: value("post_url"),
            text: value("post_text").map(PlainText.from(html:)))
        let contentIndex = index["content"] ?? 0
        let content = contentIndex < record.fields.count ? record.fields[contentIndex] : ""
        let comment = Comment(
            id: value("id") ?? "line \(record.location.line ?? 0)",
            parentID: value("parent_id").flatMap { $0 == "0" ? nil : $0 }, postID: post.id, author: author,
            authorEmail: value("author_email"), authorURL: value("author_url"), authorIP: value("author_ip"),
            date: value("date"), type: type, content: content, status: status, authorship: authorship, labels: labels,
            extraFields: extraFields, location: record.location)
        return (comment, post)
    }

    private static func status(_ raw: String) -> ModerationStatus? {
        switch raw.lowercased() {
        case "approved", "approve", "1", "publish", "published": .approved
        case "pending", "hold", "0", "unapproved", "moderated": .pending
        case "spam": .spam
        case "trash", "post-trashed", "deleted", "removed": .trash
        default: nil
        }
    }

    private static func flag(_ raw: String) -> Bool? {
        switch raw.lowercased() {
        case "true", "1", "yes", "y": true
        case "false", "0", "no", "n": false
        default: nil
        }
    }
}

extension CSVReader {
    /// Reads single rows again by where they start, as `readRecords` read them, and merges the
    /// post fields of a thread's rows as `read` does: for a streamed filter, which keeps only
    /// where rows stand.
    public struct RowReader {
        private let columns: CSVColumns
        private let delimiter: UInt8
        private let stem: String?
        private let authorNameKeys: Set<String>

        /// Reads the header of `reader`'s file; a file without one throws as `read` does.
        public init(_ reader: ByteReader, options: ReadOptions) throws {
            var scanner = CSVScanner(reader)
            columns = try CSVReader.header(&scanner, file: reader.name)
            delimiter = scanner.delimiter
            stem = CSVReader.fileStem(reader.name)
            authorNameKeys = Set(options.authorNames.map(NameMatching.key))
        }

        /// The row whose record starts at byte `offset` (line `line`); nil when none reads there.
        public func record(
            at offset: Int, line: Int, in reader: ByteReader
        ) throws -> Result<(Comment, Post), UnreadableRecord>? {
            var scanner = try CSVReader.scanner(reader, at: offset, line: line, delimiter: delimiter)
            guard let result = try scanner.next() else { return nil }
            return columns.read(result, authorNameKeys: authorNameKeys)
        }

        /// Merges one more row's post fields into the thread's, in row order.
        public func merge(_ post: Post, into merged: inout Post?) {
            CSVThreadRecords.merge(post, into: &merged, stem: stem)
        }
    }
}
