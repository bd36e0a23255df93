import HandraiserClassification
import HandraiserHeuristics
import HandraiserInput
import HandraiserModel

extension Handraiser {
    /// Records the streamed filter classifies at once: enough to keep every core busy, few
    /// enough to stay small in memory.
    public static let filterBatchSize = 4096

    /// Filters `name` as `handraiser filter` does: every record comes out once, in input order,
    /// through `kept` or `rejected`.
    ///
    /// JSON Lines are streamed in two passes, so memory does not grow with the input: the first
    /// builds the near-duplicate index and gathers each post's fields (they may stand on any of
    /// its records); the second classifies records in batches, each with its post and the
    /// comment it replies to, and writes them out. Standard input is spooled to a temporary file
    /// first so it can be read twice. Other formats are read whole, as `scan` does.
    /// `noticed` hears of each unreadable record as it is routed, to report it.
    public func streamFilter(
        _ name: String, run: FilterRun, kept: (String) throws -> Void, rejected: (String) throws -> Void,
        noticed: (UnreadableRecord) -> Void = { _ in }, batchSize: Int = Handraiser.filterBatchSize
    ) throws -> FilterRun.Tally {
        let spool = name == "-" ? try Spool.standardInput() : nil
        defer { spool?.remove() }
        let source = InputSource(name: spool?.path ?? name)
        let options = readOptions
        let format = try InputLoader.format(
            of: try source.open().peek(InputLoader.sniffLength), given: settings.format, name: name)
        guard format == .jsonl else {
            var input = try InputLoader.load(source, format: format, options: options)
            input.rename(to: name)
            input.unreadable.forEach(noticed)
            return try run.run(
                threads: classifier.classify(input.threads), unreadable: input.unreadable, kept: kept,
                rejected: rejected)
        }
        let reader = JSONLReader()
        var gathering = PostGatheringSink(
            name: name, workers: classifier.configuration.workers, batchSize: batchSize)
        try reader.readRecords(try source.open(), options: options, into: &gathering)
        let corpus = CorpusIndex(gathering.index.finish())
        var tally = FilterRun.Tally()
        try withoutActuallyEscaping(kept) { kept in
            try withoutActuallyEscaping(rejected) { rejected in
                try withoutActuallyEscaping(noticed) { noticed in
                    var filtering = FilteringSink(
                        classifier: classifier, corpus: corpus, posts: gathering.posts,
                        repliedTo: gathering.repliedTo, authorNames: Set(settings.authorNames.map(NameMatching.key)),
                        name: name, run: run, kept: kept, rejected: rejected, noticed: noticed,
                        batchSize: batchSize, lookBack: try source.open(), options: options)
                    try reader.readRecords(try source.open(), options: options, into: &filtering)
                    try filtering.flush()
                    tally = filtering.tally
                }
            }
        }
        return tally
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
private struct RecordPlace {
    var offset: Int
    var line: Int

    init(_ location: SourceLocation) {
        offset = location.byteOffset ?? 0
        line = location.line ?? 0
    }
}

/// A post's fields merged in record order, without its text, which can be long: the place of
/// the first record that carries it is kept instead, to read it again when needed.
private struct GatheredPost {
    var post: Post
    var textAt: RecordPlace?
}

/// The first pass: the near-duplicate index, each post's fields merged in record order (as the
/// grouping reader merges them), and which comments have replies.
private struct PostGatheringSink: RecordSink {
    /// The input's name: comments are known by their location, so both passes must name it alike.
    let name: String
    var index: CorpusIndex.BatchingBuilder
    var posts: [String: GatheredPost] = [:]
    /// A hash of the thread key and comment id of every comment some record names as its parent.
    var repliedTo: Set<UInt64> = []

    init(name: String, workers: Int, batchSize: Int) {
        self.name = name
        self.index = CorpusIndex.BatchingBuilder(workers: workers, batchSize: batchSize)
    }

    mutating func record(_ comment: Comment, post: Post) {
        var comment = comment
        comment.location.file = name
        let key = JSONLReader.threadKey(comment, post)
        var fields = post
        fields.text = nil
        if posts[key] != nil {
            posts[key]!.post.fillMissing(from: fields)
            if posts[key]!.textAt == nil, post.text != nil { posts[key]!.textAt = RecordPlace(comment.location) }
        } else {
            posts[key] = GatheredPost(post: fields, textAt: post.text == nil ? nil : RecordPlace(comment.location))
        }
        if let parent = comment.parentID { repliedTo.insert(FilteringSink.commentKey(key, parent)) }
        index.add(CollectionOfOne(comment))
    }

    mutating func unreadable(_ record: UnreadableRecord) {}
}

/// The second pass: records in batches, classified on every core, routed in input order.
private struct FilteringSink: RecordSink {
    /// A 64-bit hash of a comment's thread key and id: a set of them costs a few bytes a
    /// comment, where the strings cost dozens. A record read back by it is checked against the
    /// strings, so a collision can only cost a reply its parent, never give it another's.
    static func commentKey(_ threadKey: String, _ id: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in threadKey.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 1) &* 0x100_0000_01b3
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    let classifier: Classifier
    let corpus: CorpusIndex
    let posts: [String: GatheredPost]
    let repliedTo: Set<UInt64>
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

    /// Where each comment that has replies stands, for the relevance check of those replies (it
    /// compares a reply with the comment it answers). A reply read before its parent is judged
    /// without it. The parents read recently are kept whole: a reply usually follows its parent
    /// closely, so most are never read twice.
    private var parents: [UInt64: RecordPlace] = [:]
    private var recentParents: [UInt64: (offset: Int, comment: Comment)] = [:]
    static let recentParentsLimit = 4096
    /// The texts of the posts read recently: a post's records usually stand together.
    private var recentPostTexts: [String: String?] = [:]
    static let recentPostTextsLimit = 16
    private enum Pending {
        case comment(Int)
        case unreadable(UnreadableRecord)
    }
    private var pending: [Pending] = []
    private var items: [(comment: Comment, thread: Int)] = []
    private var threads: [HandraiserModel.Thread] = []

    init(
        classifier: Classifier, corpus: CorpusIndex, posts: [String: GatheredPost], repliedTo: Set<UInt64>,
        authorNames: Set<String>, name: String, run: FilterRun, kept: @escaping (String) throws -> Void,
        rejected: @escaping (String) throws -> Void, noticed: @escaping (UnreadableRecord) -> Void, batchSize: Int,
        lookBack: ByteReader, options: ReadOptions
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
    }

    /// The record at `place`, read again; nil when it no longer reads (the file changed).
    private func readAgain(_ place: RecordPlace) throws -> (Comment, Post)? {
        guard
            case .success(let record)? = try JSONLReader().record(
                at: place.offset, line: place.line, in: lookBack, options: options)
        else { return nil }
        return record
    }

    /// The post of thread `key` with every field, its text read again when this record lacks it.
    private mutating func mergedPost(_ key: String, record comment: Comment, post: Post) throws -> Post {
        guard let gathered = posts[key] else { return post }
        var merged = gathered.post
        guard let place = gathered.textAt else { return merged }
        if place.offset == comment.location.byteOffset {
            merged.text = post.text
        } else if let text = recentPostTexts[key] {
            merged.text = text
        } else {
            let text = try readAgain(place)?.1.text
            if recentPostTexts.count >= Self.recentPostTextsLimit { recentPostTexts.removeAll(keepingCapacity: true) }
            recentPostTexts[key] = text
            merged.text = text
        }
        return merged
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
        if comment.authorship == nil {
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
        if items.count >= batchSize { try flush() }
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
    }
}
