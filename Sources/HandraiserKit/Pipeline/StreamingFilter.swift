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
                        batchSize: batchSize)
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

/// The first pass: the near-duplicate index, each post's fields merged in record order (as the
/// grouping reader merges them), and which comments have replies.
private struct PostGatheringSink: RecordSink {
    /// The input's name: comments are known by their location, so both passes must name it alike.
    let name: String
    var index: CorpusIndex.BatchingBuilder
    var posts: [String: Post] = [:]
    /// Thread key and comment id of every comment some record names as its parent.
    var repliedTo: Set<String> = []

    init(name: String, workers: Int, batchSize: Int) {
        self.name = name
        self.index = CorpusIndex.BatchingBuilder(workers: workers, batchSize: batchSize)
    }

    mutating func record(_ comment: Comment, post: Post) {
        var comment = comment
        comment.location.file = name
        let key = JSONLReader.threadKey(comment, post)
        if posts[key] != nil {
            posts[key]!.fillMissing(from: post)
        } else {
            posts[key] = post
        }
        if let parent = comment.parentID { repliedTo.insert(FilteringSink.commentKey(key, parent)) }
        index.add(CollectionOfOne(comment))
    }

    mutating func unreadable(_ record: UnreadableRecord) {}
}

/// The second pass: records in batches, classified on every core, routed in input order.
private struct FilteringSink: RecordSink {
    static func commentKey(_ threadKey: String, _ id: String) -> String { threadKey + "\u{1}" + id }

    let classifier: Classifier
    let corpus: CorpusIndex
    let posts: [String: Post]
    let repliedTo: Set<String>
    let authorNames: Set<String>
    let name: String
    let run: FilterRun
    let kept: (String) throws -> Void
    let rejected: (String) throws -> Void
    let noticed: (UnreadableRecord) -> Void
    let batchSize: Int
    var tally = FilterRun.Tally()

    /// Comments that have replies, kept for the relevance check of those replies (it compares a
    /// reply with the comment it answers). A reply read before its parent is judged without it.
    private var parents: [String: Comment] = [:]
    private enum Pending {
        case comment(Int)
        case unreadable(UnreadableRecord)
    }
    private var pending: [Pending] = []
    private var items: [(comment: Comment, thread: Int)] = []
    private var threads: [HandraiserModel.Thread] = []

    init(
        classifier: Classifier, corpus: CorpusIndex, posts: [String: Post], repliedTo: Set<String>,
        authorNames: Set<String>, name: String, run: FilterRun, kept: @escaping (String) throws -> Void,
        rejected: @escaping (String) throws -> Void, noticed: @escaping (UnreadableRecord) -> Void, batchSize: Int
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
    }

    mutating func record(_ comment: Comment, post: Post) throws {
        var comment = comment
        comment.location.file = name
        let key = JSONLReader.threadKey(comment, post)
        let merged = posts[key] ?? post
        if comment.authorship == nil {
            comment.authorship = JSONLReader.authorship(
                of: comment, postAuthor: merged.author, authorNames: authorNames)
        }
        var context = [comment]
        if let parentID = comment.parentID, let parent = parents[Self.commentKey(key, parentID)] {
            context.insert(parent, at: 0)
        }
        let commentKey = Self.commentKey(key, comment.id)
        if repliedTo.contains(commentKey) {
            // Only the text is compared, so only the text is kept.
            parents[commentKey] = Comment(
                id: comment.id, postID: comment.postID, author: comment.author, content: "", text: comment.text,
                location: comment.location)
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
