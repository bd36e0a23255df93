import HandraiserModel

/// Reads a Disqus XML export (`<disqus>` with `<category>`, `<thread>` and `<post>` records).
///
/// Posts name their thread by `dsq:id`, and the two may come in any order, so the reader keeps
/// the thread records (small) and the posts until the end of the file, then emits one thread per
/// Disqus thread that has posts, in the order the threads first appear. Disqus creates a thread
/// record for every page that ever loaded the widget, so threads without posts are not emitted.
/// Posts whose thread is missing are still emitted, under a thread that says so.
///
/// Status: `isSpam` true → spam, else `isDeleted` true → trash, else approved. The file says
/// nothing reliable about which posts are the post author's, so authorship is set only for
/// names given in `ReadOptions.authorNames`.
public struct DisqusReader: CommentReader {
    public var format: InputFormat { .disqus }

    public init() {}

    public func read(_ reader: ByteReader, options: ReadOptions, into sink: inout some ReadSink) throws {
        var state = DisqusState(authorNames: options.authorNames)
        var xml = XMLStreamReader(reader)
        do {
            while let event = try xml.next() {
                switch event {
                case .start(let tag): try state.start(tag, depth: xml.depth)
                case .text(let text): state.text += text
                case .end(let name): state.end(name, depth: xml.depth + 1)
                }
            }
        } catch let error as InputError {
            throw error.adding(context: state.progress)
        }
        for thread in state.threads() {
            // Disqus posts name their thread from anywhere in the file, so a thread is known whole
            // only at the end.
            if let first = thread.comments.first {
                try options.checkRoom(
                    forMoreThan: thread.comments.count - 1, post: thread.post.title ?? thread.post.id ?? "",
                    at: first.location)
            }
            try sink.thread(thread)
        }
    }
}

/// One `<thread>` or `<post>` record while it is read: its direct fields and its author's.
private struct DisqusRecord {
    var dsqID: String?
    var fields: [String: String] = [:]
    var author: [String: String] = [:]
    var threadRef: String?
    var parentRef: String?
    var location: SourceLocation
}

private struct DisqusState {
    let authorNameKeys: Set<String>
    var text = ""
    var sawRoot = false
    /// The attribute name Disqus ids use (`dsq:id` unless the file binds another prefix).
    var idAttribute = "dsq:id"
    var record: (entry: DisqusRecord, isThread: Bool, depth: Int)?
    var inAuthor = false
    var threadOrder: [String] = []
    var threadRecords: [String: DisqusRecord] = [:]
    var posts: [DisqusRecord] = []

    init(authorNames: [String]) {
        authorNameKeys = Set(authorNames.map(NameMatching.key))
    }

    var progress: String {
        "after \(XMLStreamReader.counted(posts.count, "post")) and \(XMLStreamReader.counted(threadRecords.count, "thread"))"
    }

    mutating func start(_ tag: XMLStartTag, depth: Int) throws {
        text = ""
        if !sawRoot {
            sawRoot = true
            guard Self.localName(tag.name) == "disqus" else {
                throw InputError.malformed(
                    tag.location, message: "not a Disqus export: the root element is <\(tag.name)>, not <disqus>")
            }
            for (name, uri) in tag.attributes where name.hasPrefix("xmlns:") && uri.contains("disqus-internals") {
                idAttribute = name.dropFirst(6) + ":id"
            }
            return
        }
        let name = Self.localName(tag.name)
        guard let open = record else {
            if depth == 2, name == "thread" || name == "post" {
                let entry = DisqusRecord(dsqID: tag.attribute(idAttribute), location: tag.location)
                record = (entry, name == "thread", depth)
            }
            return
        }
        if depth == open.depth + 1 {
            switch name {
            case "author": inAuthor = true
            case "thread": record?.entry.threadRef = tag.attribute(idAttribute)
            case "parent": record?.entry.parentRef = tag.attribute(idAttribute)
            default: break
            }
        }
    }

    mutating func end(_ rawName: String, depth: Int) {
        defer { text = "" }
        guard let open = record else { return }
        let name = Self.localName(rawName)
        if depth == open.depth {
            finish(open.entry, isThread: open.isThread)
            record = nil
        } else if depth == open.depth + 1 {
            if name == "author" {
                inAuthor = false
            } else if record?.entry.fields[name] == nil {
                record?.entry.fields[name] = text
            }
        } else if depth == open.depth + 2, inAuthor {
            record?.entry.author[name] = text.exportTrimmed
        }
    }

    private mutating func finish(_ entry: DisqusRecord, isThread: Bool) {
        if isThread {
            let key = entry.dsqID ?? "line \(entry.location.line ?? 0)"
            if threadRecords[key] == nil {
                threadOrder.append(key)
                threadRecords[key] = entry
            }
        } else {
            posts.append(entry)
        }
    }

    /// Groups the posts under their threads; consumes the posts.
    mutating func threads() -> [Thread] {
        var byThread: [String: [DisqusRecord]] = [:]
        var orphanOrder: [String] = []
        for post in posts {
            let key = post.threadRef ?? ""
            if threadRecords[key] == nil, byThread[key] == nil { orphanOrder.append(key) }
            byThread[key, default: []].append(post)
        }
        posts = []
        var result: [Thread] = []
        for key in threadOrder + orphanOrder {
            guard let records = byThread.removeValue(forKey: key) else { continue }
            var notes: [InputNote] = []
            let post: Post
            if let record = threadRecords[key] {
                post = makePost(record)
                if Self.flag(record.fields["isDeleted"]) == true {
                    notes.append(
                        InputNote(
                            severity: .info, code: "thread-deleted", message: "Disqus marks this thread as deleted",
                            location: record.location))
                }
            } else {
                post = Post(id: key.exportNonEmpty)
                let message =
                    key.isEmpty
                    ? "\(records.count) posts name no thread"
                    : "\(records.count) posts belong to thread \(key), which is not in the file"
                notes.append(
                    InputNote(
                        severity: .warning, code: "missing-thread", message: message, location: records.first?.location)
                )
            }
            let comments = records.map { comment(from: $0, postID: post.id) }
            let ids = Set(comments.map(\.id))
            for comment in comments {
                if let parent = comment.parentID, !ids.contains(parent) {
                    notes.append(
                        InputNote(
                            severity: .warning, code: "missing-parent",
                            message: "post \(comment.id) replies to post \(parent), which is not in this thread",
                            location: comment.location))
                }
            }
            result.append(Thread(post: post, comments: comments, notes: notes))
        }
        return result
    }

    private func makePost(_ record: DisqusRecord) -> Post {
        let f = record.fields
        let author = record.author["name"]?.exportNonEmpty
        var aliases: [String] = []
        for alias in [record.author["username"], record.author["email"]] {
            if let alias = alias?.exportNonEmpty, alias != author, !aliases.contains(alias) { aliases.append(alias) }
        }
        let message = f["message"] ?? ""
        return Post(
            id: record.dsqID, title: f["title"]?.exportTrimmed.exportNonEmpty, author: author, authorAliases: aliases,
            url: f["link"]?.exportTrimmed.exportNonEmpty,
            text: message.exportTrimmed.isEmpty ? nil : PlainText.from(html: message),
            date: f["createdAt"]?.exportTrimmed.exportNonEmpty)
    }

    private func comment(from record: DisqusRecord, postID: String?) -> Comment {
        let f = record.fields
        let status: ModerationStatus =
            if Self.flag(f["isSpam"]) == true {
                .spam
            } else if Self.flag(f["isDeleted"]) == true {
                .trash
            } else {
                .approved
            }
        var extra: [ExtraField] = []
        if let identifier = f["id"]?.exportTrimmed.exportNonEmpty {
            extra.append(ExtraField(name: "disqus_identifier", json: JSONString.literal(identifier)))
        }
        if let username = record.author["username"]?.exportNonEmpty {
            extra.append(ExtraField(name: "author_username", json: JSONString.literal(username)))
        }
        if let anonymous = Self.flag(record.author["isAnonymous"]) {
            extra.append(ExtraField(name: "author_is_anonymous", json: anonymous ? "true" : "false"))
        }
        let author = record.author["name"]?.exportNonEmpty
        var authorship: Authorship?
        for name in [author, record.author["username"], record.author["email"]] {
            if let name, authorNameKeys.contains(NameMatching.key(name)) {
                authorship = Authorship(
                    isPostAuthor: true, confidence: 1, evidence: "the author is named with --author")
                break
            }
        }
        return Comment(
            id: record.dsqID ?? f["id"]?.exportTrimmed.exportNonEmpty ?? "line \(record.location.line ?? 0)",
            parentID: record.parentRef?.exportNonEmpty, postID: postID, author: author,
            authorEmail: record.author["email"]?.exportNonEmpty,
            authorIP: f["ipAddress"]?.exportTrimmed.exportNonEmpty,
            date: f["createdAt"]?.exportTrimmed.exportNonEmpty, content: f["message"] ?? "", status: status,
            authorship: authorship, extraFields: extra, location: record.location)
    }

    private static func flag(_ value: String?) -> Bool? {
        switch value?.exportTrimmed.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }

    private static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }
}
