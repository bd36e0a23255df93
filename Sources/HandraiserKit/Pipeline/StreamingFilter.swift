import HandraiserClassification
import HandraiserHeuristics
import HandraiserInput
import HandraiserModel

extension Handraiser {
    /// Records the streamed filter classifies at once: enough to keep every core busy, few
    /// enough to stay small in memory.
    public static let filterBatchSize = 4096
    /// Bytes of comment text a batch holds at most, whatever its count: with every record's
    /// output and verdict this is most of a run's memory, and long comments would otherwise
    /// make a batch of 4,096 records hundreds of megabytes.
    public static let batchTextBytes = 2 << 20

    /// The bytes of text `comment` brings to a batch (its content, plain text and extra fields).
    static func batchBytes(of comment: Comment) -> Int {
        comment.content.utf8.count + comment.text.utf8.count + comment.extraFields.reduce(0) { $0 + $1.json.utf8.count }
    }

    /// Filters `name` as `handraiser filter` does: every record comes out once, in input order,
    /// through `kept` or `rejected`.
    ///
    /// JSON Lines and CSV are streamed in two passes, so memory does not grow with the input: the
    /// first builds the near-duplicate index and gathers each post's fields (they may stand on
    /// any of its records); the second classifies records in batches, each with its post and the
    /// comment it replies to, and writes them out in file order. Standard input is spooled to a
    /// temporary file first so it can be read twice. Other formats are scanned as `scan` streams
    /// them and routed a window at a time.
    /// `noticed` hears of each unreadable record as it is routed, to report it. A JSON Lines line
    /// longer than `maximumLineLength` is one of them, reported with its line.
    public func streamFilter(
        _ name: String, run: FilterRun, kept: (String) throws -> Void, rejected: (String) throws -> Void,
        noticed: (UnreadableRecord) -> Void = { _ in }, batchSize: Int = Handraiser.filterBatchSize,
        maximumLineLength: Int = JSONLReader().maximumLineLength
    ) throws -> FilterRun.Tally {
        let spool = name == "-" ? try Spool.standardInput() : nil
        defer { spool?.remove() }
        // Errors name the input as the user gave it, not its temporary copy.
        return try naming(spool?.path, as: name) {
            let source = InputSource(name: spool?.path ?? name, shownName: name)
            let options = readOptions
            let format = try InputLoader.format(
                of: try source.open().peek(InputLoader.sniffLength), given: settings.format, name: name)
            guard format == .jsonl || format == .csv else {
                // Scanned as `scan` streams it (threads one at a time, long ones in parts), and routed
                // a window of records at a time, each window in input order.
                let (tally, unreadable) = try withoutActuallyEscaping(kept) { kept in
                    try withoutActuallyEscaping(rejected) { rejected in
                        var routing = RoutingObserver(run: run, kept: kept, rejected: rejected, window: batchSize)
                        try streamScan(source.name, format: format, name: name, into: &routing)
                        try routing.flush()
                        return (routing.tally, routing.noticedRecords)
                    }
                }
                unreadable.forEach(noticed)
                return tally
            }
            let records: any FilterRecords =
                format == .csv
                ? CSVFilterRecords(rows: try CSVReader.RowReader(try source.open(), options: options))
                : JSONLFilterRecords(reader: JSONLReader(maximumLineLength: maximumLineLength))
            var gathering = PostGatheringSink(
                name: name, workers: classifier.configuration.workers, batchSize: batchSize)
            try records.readRecords(try source.open(), options: options, into: &gathering)
            let corpus = CorpusIndex(gathering.index.finish())
            var tally = FilterRun.Tally()
            try withoutActuallyEscaping(kept) { kept in
                try withoutActuallyEscaping(rejected) { rejected in
                    try withoutActuallyEscaping(noticed) { noticed in
                        var filtering = FilteringSink(
                            classifier: classifier, corpus: corpus, posts: gathering.posts,
                            repliedTo: gathering.repliedTo,
                            authorNames: Set(settings.authorNames.map(NameMatching.key)),
                            name: name, run: run, kept: kept, rejected: rejected, noticed: noticed,
                            batchSize: batchSize, lookBack: try source.open(), options: options, records: records)
                        try records.readRecords(try source.open(), options: options, into: &filtering)
                        try filtering.flush()
                        tally = filtering.tally
                    }
                }
            }
            return tally
        }
    }
}

/// Routes a streamed scan's comments to the filter's streams, a window of at least `window`
/// comments at a time (whole threads or parts), each window sorted into input order: for a
/// format whose threads stand in file order (WXR, text dumps) that is the file's order, for
/// Disqus (posts of a thread anywhere) the order within each window.
private struct RoutingObserver: ScanObserver {
    let run: FilterRun
    let kept: (String) throws -> Void
    let rejected: (String) throws -> Void
    let window: Int
    var tally = FilterRun.Tally()
    var noticedRecords: [UnreadableRecord] = []
    private var threads: [ClassifiedThread] = []
    private var unreadable: [UnreadableRecord] = []
    private var comments = 0

    init(
        run: FilterRun, kept: @escaping (String) throws -> Void, rejected: @escaping (String) throws -> Void,
        window: Int
    ) {
        self.run = run
        self.kept = kept
        self.rejected = rejected
        self.window = window
    }

    mutating func thread(_ thread: ClassifiedThread, source: String) throws {
        threads.append(thread)
        comments += thread.comments.count
        if comments >= window { try flush() }
    }

    mutating func unreadable(_ record: UnreadableRecord, source: String) throws {
        unreadable.append(record)
        noticedRecords.append(record)
    }

    mutating func flush() throws {
        tally.add(try run.run(threads: threads, unreadable: unreadable, kept: kept, rejected: rejected))
        threads.removeAll(keepingCapacity: true)
        unreadable.removeAll(keepingCapacity: true)
        comments = 0
    }
}

extension LoadedInput {
    /// Names the input `name` in every location (it was read from a spooled copy).
    mutating func rename(to name: String) {
        for thread in threads.indices {
            for comment in threads[thread].comments.indices { threads[thread].comments[comment].location.file = name }
        }
        for record in unreadable.indices { unreadable[record].location.file = name }
    }
}

/// Where a record stands in the input: enough to read it again.
struct RecordPlace {
    var offset: Int
    var line: Int

    init(_ location: SourceLocation) {
        offset = location.byteOffset ?? 0
        line = location.line ?? 0
    }
}

/// Which records hold each post's fields, so the fields need not stay in memory: a post's
/// fields (title, author, URL, text, which can be long) may stand on any of its records, the
/// first record to carry each one wins, and only the records that brought a field first are
/// noted (usually one per post). About 60 bytes a post, whatever its fields hold.
struct PostDirectory {
    /// A hash of the thread key (seeded per process, so input cannot be made to collide) →
    /// the post's number. Records read back are checked against the key itself.
    private var numbers: [Int: Int32] = [:]
    /// Per post: the fields some record has brought (`Post.fieldMask`), and its first and last
    /// contributing record.
    private var filled: [UInt8] = []
    private var first: [Int32] = []
    private var last: [Int32] = []
    /// Per contributing record: its place and the post's next one (-1 at the end).
    private var places: [RecordPlace] = []
    private var next: [Int32] = []

    static func hash(_ key: String) -> Int {
        var hasher = Hasher()
        hasher.combine(key)
        return hasher.finalize()
    }

    /// Notes the record at `place` of thread `key`, carrying `post`'s fields.
    mutating func add(key: String, post: Post, at place: RecordPlace) {
        let fields = post.fieldMask
        let hash = Self.hash(key)
        guard let number = numbers[hash].map(Int.init) else {
            numbers[hash] = Int32(filled.count)
            filled.append(fields)
            first.append(Int32(places.count))
            last.append(Int32(places.count))
            places.append(place)
            next.append(-1)
            return
        }
        guard fields & ~filled[number] != 0 else { return }
        filled[number] |= fields
        next[Int(last[number])] = Int32(places.count)
        last[number] = Int32(places.count)
        places.append(place)
        next.append(-1)
    }

    /// The records that brought thread `key`'s fields, in file order; nil for a key never seen.
    func contributors(of key: String) -> [RecordPlace]? {
        guard let number = numbers[Self.hash(key)] else { return nil }
        var found: [RecordPlace] = []
        var index = first[Int(number)]
        while index >= 0 {
            found.append(places[Int(index)])
            index = next[Int(index)]
        }
        return found
    }
}

extension Post {
    /// One bit per post field this post has.
    fileprivate var fieldMask: UInt8 {
        (id != nil ? 1 : 0) | (title != nil ? 2 : 0) | (author != nil ? 4 : 0) | (url != nil ? 8 : 0)
            | (text != nil ? 16 : 0)
    }
}

/// The first pass: the near-duplicate index, each post's fields merged in record order (as the
/// grouping reader merges them), and which comments have replies.
private struct PostGatheringSink: RecordSink {
    /// The input's name: comments are known by their location, so both passes must name it alike.
    let name: String
    var index: CorpusIndex.BatchingBuilder
    var posts = PostDirectory()
    /// A hash of the thread key and comment id of every comment some record names as its parent.
    var repliedTo: Set<Int> = []

    init(name: String, workers: Int, batchSize: Int) {
        self.name = name
        self.index = CorpusIndex.BatchingBuilder(workers: workers, batchSize: batchSize)
    }

    mutating func record(_ comment: Comment, post: Post) {
        var comment = comment
        comment.location.file = name
        let key = JSONLReader.threadKey(comment, post)
        posts.add(key: key, post: post, at: RecordPlace(comment.location))
        if let parent = comment.parentID { repliedTo.insert(FilteringSink.commentKey(key, parent)) }
        index.add(CollectionOfOne(CorpusIndex.indexedPart(of: comment)))
    }

    mutating func unreadable(_ record: UnreadableRecord) {}

    /// Only whether a record has a post text counts here (`PostDirectory` notes which record
    /// brought it); the text is read again with the record in the second pass.
    var needsPostTextAndExtraFields: Bool { false }
}

/// The second pass: records in batches, classified on every core, routed in input order.
private struct FilteringSink: RecordSink {
    /// A hash of a comment's thread key and id (seeded per process): a set of them costs a few
    /// bytes a comment, where the strings cost dozens. A record read back by it is checked
    /// against the strings, so a collision can only cost a reply its parent, never give it another's.
    static func commentKey(_ threadKey: String, _ id: String) -> Int {
        var hasher = Hasher()
        hasher.combine(threadKey)
        hasher.combine(id)
        return hasher.finalize()
    }

    let classifier: Classifier
    let corpus: CorpusIndex
    let posts: PostDirectory
    let repliedTo: Set<Int>
    let authorNames: Set<String>
    let name: String
    let run: FilterRun
    let kept: (String) throws -> Void
    let rejected: (String) throws -> Void
    let noticed: (UnreadableRecord) -> Void
    let batchSize: Int
    var tally = FilterRun.Tally()
    /// A second reader of the input, for post texts and parents read again by their place.
    let lookBack: ByteReader
    let options: ReadOptions
    let records: any FilterRecords

    /// Where each comment that has replies stands, for the relevance check of those replies (it
    /// compares a reply with the comment it answers). A reply read before its parent is judged
    /// without it. The parents read recently are kept whole: a reply usually follows its parent
    /// closely, so most are never read twice.
    private var parents: [Int: RecordPlace] = [:]
    private var recentParents: [Int: (offset: Int, comment: Comment)] = [:]
    static let recentParentsLimit = 4096
    /// The posts merged recently, so a post's fields are read again only when it has not been
    /// seen for a while: records of a post often stand together, but a file in date order
    /// interleaves its posts. Two generations: a post found in the older one moves to the newer,
    /// and when the newer is full (in posts or in bytes of text) the older is let go, so memory
    /// stays bounded whatever the input.
    private var recentPosts: [String: Post] = [:]
    private var olderPosts: [String: Post] = [:]
    private var recentPostBytes = 0
    static let recentPostsLimit = 1024
    static let recentPostBytesLimit = 4 << 20
    private enum Pending {
        case comment(Int)
        case unreadable(UnreadableRecord)
    }
    private var pending: [Pending] = []
    private var items: [(comment: Comment, thread: Int)] = []
    private var threads: [HandraiserModel.Thread] = []
    private var batchBytes = 0

    init(
        classifier: Classifier, corpus: CorpusIndex, posts: PostDirectory, repliedTo: Set<Int>,
        authorNames: Set<String>, name: String, run: FilterRun, kept: @escaping (String) throws -> Void,
        rejected: @escaping (String) throws -> Void, noticed: @escaping (UnreadableRecord) -> Void, batchSize: Int,
        lookBack: ByteReader, options: ReadOptions, records: any FilterRecords
    ) {
        self.classifier = classifier
        self.corpus = corpus
        self.posts = posts
        self.repliedTo = repliedTo
        self.authorNames = authorNames
        self.name = name
        self.run = run
        self.kept = kept
        self.rejected = rejected
        self.noticed = noticed
        self.batchSize = batchSize
        self.lookBack = lookBack
        self.options = options
        self.records = records
    }

    /// The record at `place`, read again; nil when it no longer reads (the file changed).
    private func readAgain(_ place: RecordPlace) throws -> (Comment, Post)? {
        guard case .success(let record)? = try records.record(at: place, in: lookBack, options: options)
        else { return nil }
        return record
    }

    /// The post of thread `key` with every field, merged in record order from the records that
    /// brought them (read again unless it is this record, or merged recently).
    private mutating func mergedPost(_ key: String, record comment: Comment, post: Post) throws -> Post {
        if let recent = recentPosts[key] { return recent }
        if let older = olderPosts[key] {
            remember(older, key)
            return older
        }
        guard let contributors = posts.contributors(of: key) else { return post }
        var merged: Post?
        for place in contributors {
            if place.offset == comment.location.byteOffset {
                records.merge(post, into: &merged)
            } else if let (other, otherPost) = try readAgain(place), JSONLReader.threadKey(other, otherPost) == key {
                records.merge(otherPost, into: &merged)
            }
        }
        let found = merged ?? post
        remember(found, key)
        return found
    }

    /// Keeps `post` among the recent ones, letting the older generation go when this one is full.
    private mutating func remember(_ post: Post, _ key: String) {
        let fields = [post.id, post.title, post.author, post.url, post.text]
        let bytes = key.utf8.count + fields.reduce(0) { $0 + ($1?.utf8.count ?? 0) }
        if recentPosts.count >= Self.recentPostsLimit || recentPostBytes + bytes > Self.recentPostBytesLimit {
            olderPosts = recentPosts
            recentPosts = [:]
            recentPostBytes = 0
        }
        recentPosts[key] = post
        recentPostBytes += bytes
    }

    /// The comment `comment` replies to, as far as the relevance check needs it (its text).
    private mutating func parent(of comment: Comment, key: String) throws -> Comment? {
        guard let parentID = comment.parentID else { return nil }
        let hash = Self.commentKey(key, parentID)
        guard let place = parents[hash] else { return nil }
        if let recent = recentParents[hash], recent.offset == place.offset { return recent.comment }
        guard let (parent, post) = try readAgain(place), parent.id == parentID,
            JSONLReader.threadKey(parent, post) == key
        else { return nil }
        var found = Self.textOnly(parent)
        found.location.file = name
        return found
    }

    /// Only the text is compared, so only the text is kept.
    static func textOnly(_ comment: Comment) -> Comment {
        Comment(
            id: comment.id, postID: comment.postID, author: comment.author, content: "", text: comment.text,
            location: comment.location)
    }

    mutating func record(_ comment: Comment, post: Post) throws {
        var comment = comment
        comment.location.file = name
        let key = JSONLReader.threadKey(comment, post)
        let merged = try mergedPost(key, record: comment, post: post)
        if comment.authorship == nil, records.infersAuthorship {
            comment.authorship = JSONLReader.authorship(
                of: comment, postAuthor: merged.author, authorNames: authorNames)
        }
        var context = [comment]
        if let parent = try parent(of: comment, key: key) { context.insert(parent, at: 0) }
        let commentKey = Self.commentKey(key, comment.id)
        if repliedTo.contains(commentKey) {
            let place = RecordPlace(comment.location)
            parents[commentKey] = place
            if recentParents.count >= Self.recentParentsLimit { recentParents.removeAll(keepingCapacity: true) }
            recentParents[commentKey] = (place.offset, Self.textOnly(comment))
        }
        pending.append(.comment(items.count))
        items.append((comment, threads.count))
        threads.append(HandraiserModel.Thread(post: merged, comments: context))
        batchBytes += Handraiser.batchBytes(of: comment)
        if items.count >= batchSize || batchBytes >= Handraiser.batchTextBytes { try flush() }
    }

    mutating func unreadable(_ record: UnreadableRecord) {
        var record = record
        record.location.file = name
        pending.append(.unreadable(record))
    }

    mutating func flush() throws {
        let verdicts = classifier.verdicts(for: items, in: threads, corpus: corpus)
        // Writing the records out is as much text work as reading them: on every worker too.
        let records = ParallelMap.map(Array(items.indices), workers: classifier.configuration.workers) {
            [items, threads] index in
            let item = ClassifiedComment(comment: items[index].comment, verdict: verdicts[index])
            return (item.verdict.kind, CommentRecordWriter.json(item, post: threads[items[index].thread].post))
        }
        for entry in pending {
            switch entry {
            case .comment(let index):
                try run.route(
                    json: records[index].1, verdict: records[index].0, tally: &tally, kept: kept, rejected: rejected)
            case .unreadable(let record):
                noticed(record)
                try run.route(record, tally: &tally, kept: kept, rejected: rejected)
            }
        }
        pending.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
        threads.removeAll(keepingCapacity: true)
        batchBytes = 0
    }
}

/// How the record-by-record filter reads one format: every record in file order, one record again
/// by its place, and a thread's post fields merged as the format's grouping reader merges them.
/// JSON Lines and CSV group records by post wherever they stand, under the same thread key.
protocol FilterRecords {
    func readRecords(_ reader: ByteReader, options: ReadOptions, into sink: inout some RecordSink) throws
    func record(
        at place: RecordPlace, in reader: ByteReader, options: ReadOptions
    ) throws
        -> Result<(Comment, Post), UnreadableRecord>?
    func merge(_ post: Post, into merged: inout Post?)
    /// Whether a comment without authorship gets it from its post's author, as the grouping
    /// reader does (CSV rows carry their own).
    var infersAuthorship: Bool { get }
}

struct JSONLFilterRecords: FilterRecords {
    let reader: JSONLReader

    func readRecords(_ reader: ByteReader, options: ReadOptions, into sink: inout some RecordSink) throws {
        try self.reader.readRecords(reader, options: options, into: &sink)
    }

    func record(
        at place: RecordPlace, in reader: ByteReader, options: ReadOptions
    ) throws
        -> Result<(Comment, Post), UnreadableRecord>?
    {
        try JSONLReader().record(at: place.offset, line: place.line, in: reader, options: options)
    }

    func merge(_ post: Post, into merged: inout Post?) {
        if merged == nil { merged = Post() }
        merged!.fillMissing(from: post)
    }

    var infersAuthorship: Bool { true }
}

struct CSVFilterRecords: FilterRecords {
    let rows: CSVReader.RowReader

    func readRecords(_ reader: ByteReader, options: ReadOptions, into sink: inout some RecordSink) throws {
        try CSVReader().readRecords(reader, options: options, into: &sink)
    }

    func record(
        at place: RecordPlace, in reader: ByteReader, options: ReadOptions
    ) throws
        -> Result<(Comment, Post), UnreadableRecord>?
    {
        try rows.record(at: place.offset, line: place.line, in: reader)
    }

    func merge(_ post: Post, into merged: inout Post?) { rows.merge(post, into: &merged) }

    var infersAuthorship: Bool { false }
}
