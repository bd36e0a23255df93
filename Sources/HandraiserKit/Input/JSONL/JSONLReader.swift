import HandraiserModel

/// Reads the JSON Lines interchange format of DESIGN.md: one comment object per line.
///
/// Comments with the same `post_id` form one thread, wherever they stand in the file, so
/// `read(_:options:into:)` holds the file's comments until the end before it emits threads (in
/// order of first appearance); streamed callers locate the threads in a first pass instead
/// (`readRecords` into a `JSONLLayoutSink`) and read them back one at a time (`readThreads`).
/// A line that is not a JSON object with `content` is reported through `ReadSink.unreadable`
/// with its line and column, and reading goes on. A byte-order mark before the first record is
/// skipped.
public struct JSONLReader: CommentReader {
    public var format: InputFormat { .jsonl }
    /// The longest line read as a record; a longer one is read past and reported unreadable,
    /// with its line, and reading goes on.
    public var maximumLineLength: Int

    public init(maximumLineLength: Int = 256 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    public func read(_ reader: ByteReader, options: ReadOptions, into sink: inout some ReadSink) throws {
        var grouping = GroupingSink(sink: sink, options: options)
        try readRecords(reader, options: options, into: &grouping)
        sink = grouping.sink
        let authorNames = Set(options.authorNames.map(NameMatching.key))
        for key in grouping.order {
            guard var thread = grouping.threads.removeValue(forKey: key) else { continue }
            // Post fields may stand on any of the thread's records, so authorship is decided last.
            for index in thread.comments.indices where thread.comments[index].authorship == nil {
                thread.comments[index].authorship = Self.authorship(
                    of: thread.comments[index], postAuthor: thread.post.author, authorNames: authorNames)
            }
            try sink.thread(thread)
        }
    }

    /// Reads every line as a record of its own, in file order, without grouping by post: for
    /// callers that stream (`filter`). Authorship is left for the caller, who knows the post
    /// fields once every record of the post has been read (`authorship(of:postAuthor:authorNames:)`).
    public func readRecords(_ reader: ByteReader, options: ReadOptions, into sink: inout some RecordSink) throws {
        let authorNames = Set(options.authorNames.map(NameMatching.key))
        let full = sink.needsPostTextAndExtraFields
        // Lines are decoded in batches on every worker; the sink still sees them in file order.
        var batch: [RecordLine] = []
        var batchBytes = 0
        func hand(_ records: [Result<(Comment, Post), UnreadableRecord>], to sink: inout some RecordSink) throws {
            for record in records {
                switch record {
                case .failure(let bad): try sink.unreadable(bad)
                case .success(let (comment, post)): try sink.record(comment, post: post)
                }
            }
        }
        func flush(_ sink: inout some RecordSink) throws {
            let records = ParallelMap.map(batch, workers: options.workers, setUp: { PostTextCache() }) { line, cache in
                line.decode(authorNames: authorNames, postTexts: cache, full: full)
            }
            batch.removeAll(keepingCapacity: true)
            batchBytes = 0
            try hand(records, to: &sink)
        }
        while let line = try Self.nextRecordLine(reader, maximumLength: maximumLineLength) {
            if line.isLong {
                try flush(&sink)
                try hand([line.decode(authorNames: authorNames, postTexts: PostTextCache(), full: full)], to: &sink)
                continue
            }
            batch.append(line.owned)
            batchBytes += line.bytes.count
            if batch.count >= Self.batchLines || batchBytes >= Self.batchBytes { try flush(&sink) }
        }
        try flush(&sink)
    }

    /// Lines decoded at once: enough to share out, few enough that a batch stays small.
    static let batchLines = 1024
    static let batchBytes = 8 << 20

    /// The key that puts records in one thread: the post id, else the post title.
    public static func threadKey(_ comment: Comment, _ post: Post) -> String {
        comment.postID ?? post.title ?? ""
    }

    /// Groups records into threads in order of first appearance; bad lines pass straight on.
    private struct GroupingSink<Sink: ReadSink>: RecordSink {
        var sink: Sink
        let options: ReadOptions
        var order: [String] = []
        var threads: [String: Thread] = [:]

        mutating func record(_ comment: Comment, post: Post) throws {
            let key = JSONLReader.threadKey(comment, post)
            // Not bound to a local: a copy of the thread would make each append copy its comments.
            if threads[key] != nil {
                try options.checkRoom(
                    forMoreThan: threads[key]!.comments.count, post: threads[key]!.post.title ?? key,
                    at: comment.location)
                threads[key]!.post.fillMissing(from: post)
                threads[key]!.comments.append(comment)
            } else {
                order.append(key)
                threads[key] = Thread(post: post, comments: [comment])
            }
        }

        mutating func unreadable(_ record: UnreadableRecord) throws {
            try sink.unreadable(record)
        }
    }

    /// What the record says of its authorship: named with `--author` (keys from
    /// `NameMatching.key`), or the post's own author by name.
    public static func authorship(of comment: Comment, postAuthor: String?, authorNames: Set<String>) -> Authorship? {
        guard let author = comment.author, !author.isEmpty, postAuthor != nil || !authorNames.isEmpty else {
            return nil
        }
        let key = NameMatching.key(author)
        if authorNames.contains(key) {
            return Authorship(isPostAuthor: true, confidence: 1, evidence: "the author is named with --author")
        }
        if let postAuthor, NameMatching.key(postAuthor) == key {
            return Authorship(
                isPostAuthor: true, confidence: 0.8, evidence: "the comment's author name is the post author's")
        }
        return nil
    }

    /// Decodes one line into a comment and the post fields it carries. With `full: false` the
    /// post's text is only noted as present (`""`) and no extra field is kept, for a sink that
    /// does not read them.
    static func record(
        _ line: ArraySlice<UInt8>, location: SourceLocation, authorNames: Set<String>,
        postTexts: PostTextCache, full: Bool = true
    )
        -> Result<(Comment, Post), UnreadableRecord>
    {
        // The line as text is only needed to report it.
        var raw: String { String(decoding: line, as: UTF8.self) }
        let members: [(key: String, value: JSONValue, raw: Range<Int>)]
        do {
            members = try JSONParser.parseObjectMembers(line)
        } catch {
            var at = location
            at.column = error.offset + 1
            return .failure(UnreadableRecord(location: at, message: "not a JSON object: \(error.message)", raw: raw))
        }
        var fields: [String: JSONValue] = [:]
        var extra: [ExtraField] = []
        for member in members {
            guard full else {
                if Self.knownFields.contains(member.key) { fields[member.key] = member.value }
                continue
            }
            if Self.knownFields.contains(member.key) {
                fields[member.key] = member.value
                // The post's text is kept as plain text for relevance; the record passes it on as given.
                if member.key == "post_text", case .string = member.value {
                    extra.append(ExtraField(name: member.key, json: String(decoding: line[member.raw], as: UTF8.self)))
                }
            } else {
                let json = String(decoding: line[member.raw], as: UTF8.self)
                extra.append(ExtraField(name: member.key, json: json))
            }
        }
        func text(_ name: String) -> String? {
            guard let value = fields[name]?.scalarText else { return nil }
            return value
        }
        guard let content = fields["content"]?.scalarText else {
            let message =
                fields["content"] == nil ? "the record has no \"content\" field" : "\"content\" is not a string"
            return .failure(UnreadableRecord(location: location, message: message, raw: raw))
        }
        let postAuthor = text("post_author")
        let post = Post(
            id: text("post_id"), title: text("post_title"), author: postAuthor, url: text("post_url"),
            text: text("post_text").map { full ? postTexts.plainText(of: $0) : "" })
        var labels = EvaluationLabels()
        if let label = text("label") { labels.label = EvaluationLabels.Label(rawValue: label.lowercased()) }
        if case .bool(let replied)? = fields["replied"] { labels.replied = replied }
        if case .bool(let mine)? = fields["by_post_author"] { labels.byPostAuthor = mine }
        let author = text("author")
        let comment = Comment(
            id: text("id") ?? "line \(location.line ?? 0)",
            parentID: text("parent_id").flatMap { $0 == "0" ? nil : $0 },
            postID: text("post_id"), author: author, authorEmail: text("author_email"),
            authorURL: text("author_url"), authorIP: text("author_ip"), date: text("date"),
            type: text("type").flatMap { CommentType(rawValue: $0.lowercased()) } ?? .comment,
            content: content, status: text("status").flatMap(ModerationStatus.init(exportValue:)),
            labels: labels, extraFields: extra, location: location)
        return .success((comment, post))
    }

    /// The interchange fields; anything else passes through as an extra field.
    public static let knownFields: Set<String> = [
        "id", "parent_id", "post_id", "post_title", "post_author", "post_url", "post_text", "author",
        "author_email", "author_url", "author_ip", "date", "type", "content", "status", "label", "replied",
        "by_post_author",
    ]
}

/// The plain text of the last post text seen: every record of a post may repeat the post's
/// text, and records of one post usually stand together, so each is converted from HTML once.
/// One per worker (not shared between threads).
final class PostTextCache {
    private var html: String?
    private var plain = ""

    func plainText(of html: String) -> String {
        if html != self.html {
            self.html = html
            plain = PlainText.from(html: html)
        }
        return plain
    }
}

/// Receives the records of a line-per-record format one by one, in file order.
public protocol RecordSink {
    mutating func record(_ comment: Comment, post: Post) throws
    mutating func unreadable(_ record: UnreadableRecord) throws
    /// Whether the sink reads each post's text and each comment's extra fields. One that only
    /// needs to know a record has a post text (the filter's first pass) says false, and is
    /// handed `""` for the text and no extra fields, which spares their decoding.
    var needsPostTextAndExtraFields: Bool { get }
}

extension RecordSink {
    public var needsPostTextAndExtraFields: Bool { true }
}

extension Post {
    /// Takes each field this post lacks from `other`.
    public mutating func fillMissing(from other: Post) {
        id = id ?? other.id
        title = title ?? other.title
        author = author ?? other.author
        url = url ?? other.url
        text = text ?? other.text
    }
}

extension ModerationStatus {
    /// Reads the status spellings exports use: WordPress `1`/`0`/`spam`/`trash`/`post-trashed`,
    /// `approved`, `pending`, `hold`, `deleted`.
    public init?(exportValue: String) {
        switch exportValue.lowercased() {
        case "approved", "approve", "1", "publish", "published": self = .approved
        case "pending", "hold", "0", "unapproved", "moderated": self = .pending
        case "spam": self = .spam
        case "trash", "post-trashed", "deleted", "removed": self = .trash
        default: return nil
        }
    }
}
