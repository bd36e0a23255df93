import HandraiserModel

/// Reads a Disqus XML export (`<disqus>` with `<category>`, `<thread>` and `<post>` records).
///
/// Posts name their thread by `dsq:id`, and the two may come in any order, so a thread is known
/// whole only at the end of the file. A first pass notes where each thread record stands and
/// where each thread's posts stand (runs of consecutive posts, as `JSONLLayout` does for JSON
/// Lines); a second reads each thread back by offset and hands it over, one at a time, in the
/// order the threads first appear: memory holds one thread and the layout, not the file.
/// Input that cannot seek (a pipe) is held whole instead. Disqus creates a thread record for
/// every page that ever loaded the widget, so threads without posts are not emitted. Posts
/// whose thread is missing are still emitted, under a thread that says so, after the others.
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
        let seekable = reader.isSeekable
        var layout = DisqusLayout()
        var held: [(record: DisqusRecord, isThread: Bool)] = []
        do {
            while let event = try xml.next() {
                switch event {
                case .start(let tag):
                    try state.start(tag, depth: xml.depth)
                    // Every record stands right under the root: it is read again in that context.
                    if layout.context == nil, state.sawRoot { layout.context = xml.context() }
                case .text(let text): state.text += text
                case .end(let name):
                    guard let finished = state.end(name, depth: xml.depth + 1) else { continue }
                    if seekable {
                        layout.add(finished.record, isThread: finished.isThread)
                    } else {
                        held.append(finished)
                    }
                    state.count(finished)
                }
            }
        } catch let error as InputError {
            throw error.adding(context: state.progress)
        }
        if seekable {
            try layout.readThreads(reader, state: state, options: options, into: &sink)
        } else {
            var threads = DisqusThreads()
            for (record, isThread) in held { threads.add(record, isThread: isThread) }
            held = []
            for (key, thread, posts) in threads.grouped() {
                try sink.thread(state.thread(key: key, record: thread, posts: posts, options: options))
            }
        }
    }
}

/// Threads and posts held whole, for input that cannot be read twice.
private struct DisqusThreads {
    var threadOrder: [String] = []
    var threadRecords: [String: DisqusRecord] = [:]
    var posts: [DisqusRecord] = []

    mutating func add(_ record: DisqusRecord, isThread: Bool) {
        if isThread {
            let key = record.threadKey
            if threadRecords[key] == nil {
                threadOrder.append(key)
                threadRecords[key] = record
            }
        } else {
            posts.append(record)
        }
    }

    /// Each thread with posts: its key, its record (nil when the file lacks it) and its posts.
    mutating func grouped() -> [(String, DisqusRecord?, [DisqusRecord])] {
        var byThread: [String: [DisqusRecord]] = [:]
        var orphanOrder: [String] = []
        for post in posts {
            let key = post.threadRef ?? ""
            if threadRecords[key] == nil, byThread[key] == nil { orphanOrder.append(key) }
            byThread[key, default: []].append(post)
        }
        posts = []
        return (threadOrder + orphanOrder).compactMap { key in
            byThread.removeValue(forKey: key).map { (key, threadRecords[key], $0) }
        }
    }
}

/// Where a Disqus export's thread records and each thread's posts stand, for reading threads
/// back one at a time. A thread key is kept once; a run of consecutive posts of one thread costs
/// its first post's place and a count.
private struct DisqusLayout {
    /// The elements open around every record (the root) and the document's declarations.
    var context: XMLStreamReader.Context?
    /// Thread key (the thread's `dsq:id`) → its number, in order of first appearance, whether
    /// first as a thread record or as a post's thread.
    private var numbers: [String: Int32] = [:]
    private var keys: [String] = []
    /// Per thread: where its record stands (nil until one is read), its post count, its first
    /// and last run.
    private var recordPlace: [SourceLocation?] = []
    private var postCount: [Int] = []
    private var firstRun: [Int32] = []
    private var lastRun: [Int32] = []
    /// Per run: its first post's place, how many posts it holds, the thread's next run.
    private var runPlace: [SourceLocation] = []
    private var runCount: [Int] = []
    private var runNext: [Int32] = []
    /// The threads that have a record, in the order their records stand.
    private var recordOrder: [Int32] = []
    /// The thread of the last post read.
    private var previousThread: Int32 = -1

    private mutating func number(of key: String) -> Int {
        if let number = numbers[key] { return Int(number) }
        numbers[key] = Int32(keys.count)
        keys.append(key)
        recordPlace.append(nil)
        postCount.append(0)
        firstRun.append(-1)
        lastRun.append(-1)
        return keys.count - 1
    }

    mutating func add(_ record: DisqusRecord, isThread: Bool) {
        var place = record.location
        place.file = ""
        if isThread {
            let thread = number(of: record.threadKey)
            if recordPlace[thread] == nil {
                recordPlace[thread] = place
                recordOrder.append(Int32(thread))
            }
            // A record between two posts of one thread does not end their run: reading the run
            // again passes over it.
            return
        }
        let thread = number(of: record.threadRef ?? "")
        postCount[thread] += 1
        if previousThread == Int32(thread) {
            runCount[Int(lastRun[thread])] += 1
            return
        }
        let run = Int32(runPlace.count)
        runPlace.append(place)
        runCount.append(1)
        runNext.append(-1)
        if firstRun[thread] < 0 { firstRun[thread] = run } else { runNext[Int(lastRun[thread])] = run }
        lastRun[thread] = run
        previousThread = Int32(thread)
    }

    /// Reads each thread with posts back and hands it over: those with a record in the order the
    /// records stand, then those whose record is missing in the order their first posts stand.
    func readThreads(
        _ reader: ByteReader, state: DisqusState, options: ReadOptions, into sink: inout some ReadSink
    ) throws {
        guard let context else { return }
        let without = keys.indices.filter { recordPlace[$0] == nil }
        for thread in recordOrder.map(Int.init) + without where postCount[thread] > 0 {
            let record =
                try recordPlace[thread].map { place in
                    try Self.records(at: place, count: 1, threads: true, reader: reader, context: context, state: state)
                        .first
                } ?? nil
            // A thread too long for the caller is refused before its posts are read.
            try options.checkRoom(
                forMoreThan: postCount[thread] - 1, post: state.title(key: keys[thread], record: record),
                at: runPlace[Int(firstRun[thread])])
            var posts: [DisqusRecord] = []
            var run = firstRun[thread]
            while run >= 0 {
                let index = Int(run)
                posts += try Self.records(
                    at: runPlace[index], count: runCount[index], threads: false, reader: reader, context: context,
                    state: state)
                run = runNext[index]
            }
            try sink.thread(state.thread(key: keys[thread], record: record, posts: posts, options: options))
        }
    }

    /// The first `count` thread records (or posts) from `place` on, read again.
    private static func records(
        at place: SourceLocation, count: Int, threads: Bool, reader: ByteReader, context: XMLStreamReader.Context,
        state: DisqusState
    ) throws -> [DisqusRecord] {
        try reader.seek(toOffset: place.byteOffset ?? 0, lineNumber: place.line ?? 0)
        var place = place
        place.file = reader.name
        var xml = XMLStreamReader(resuming: context, at: place, from: reader)
        var state = state.rereading
        var found: [DisqusRecord] = []
        while found.count < count, let event = try xml.next() {
            switch event {
            case .start(let tag): try state.start(tag, depth: xml.depth)
            case .text(let text): state.text += text
            case .end(let name):
                if let finished = state.end(name, depth: xml.depth + 1), finished.isThread == threads {
                    found.append(finished.record)
                }
            }
            // Past the root's end: the file changed between the passes.
            if xml.depth == 0 { break }
        }
        return found
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

    /// The key a thread record is known by.
    var threadKey: String { dsqID ?? "line \(location.line ?? 0)" }
}

private struct DisqusState {
    let authorNameKeys: Set<String>
    var text = ""
    var sawRoot = false
    /// The attribute name Disqus ids use (`dsq:id` unless the file binds another prefix).
    var idAttribute = "dsq:id"
    var record: (entry: DisqusRecord, isThread: Bool, depth: Int)?
    var inAuthor = false
    var postsRead = 0
    var threadsRead = 0

    init(authorNames: [String]) {
        authorNameKeys = Set(authorNames.map(NameMatching.key))
    }

    var progress: String {
        "after \(XMLStreamReader.counted(postsRead, "post")) and \(XMLStreamReader.counted(threadsRead, "thread"))"
    }

    mutating func count(_ finished: (record: DisqusRecord, isThread: Bool)) {
        if finished.isThread { threadsRead += 1 } else { postsRead += 1 }
    }

    /// A state for reading records again from inside the document (its root already seen).
    var rereading: DisqusState {
        var state = self
        state.text = ""
        state.record = nil
        state.inAuthor = false
        return state
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

    /// Handles an end tag; returns the record it ends, if it ends one.
    mutating func end(_ rawName: String, depth: Int) -> (record: DisqusRecord, isThread: Bool)? {
        defer { text = "" }
        guard let open = record else { return nil }
        let name = Self.localName(rawName)
        if depth == open.depth {
            record = nil
            return (open.entry, open.isThread)
        } else if depth == open.depth + 1 {
            if name == "author" {
                inAuthor = false
            } else if record?.entry.fields[name] == nil {
                record?.entry.fields[name] = text
            }
        } else if depth == open.depth + 2, inAuthor {
            record?.entry.author[name] = text.exportTrimmed
        }
        return nil
    }

    /// The thread of `posts` (all the posts naming thread `key`, in file order) under its
    /// record, or under a post that says the record is missing.
    func thread(key: String, record: DisqusRecord?, posts: [DisqusRecord], options: ReadOptions) throws -> Thread {
        var notes: [InputNote] = []
        let post: Post
        if let record {
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
                ? "\(posts.count) posts name no thread"
                : "\(posts.count) posts belong to thread \(key), which is not in the file"
            notes.append(
                InputNote(
                    severity: .warning, code: "missing-thread", message: message, location: posts.first?.location)
            )
        }
        if let first = posts.first {
            try options.checkRoom(forMoreThan: posts.count - 1, post: post.title ?? post.id ?? "", at: first.location)
        }
        let comments = posts.map { comment(from: $0, postID: post.id) }
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
        return Thread(post: post, comments: comments, notes: notes)
    }

    /// What errors call thread `key`.
    func title(key: String, record: DisqusRecord?) -> String {
        let post = record.map(makePost) ?? Post(id: key.exportNonEmpty)
        return post.title ?? post.id ?? ""
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
