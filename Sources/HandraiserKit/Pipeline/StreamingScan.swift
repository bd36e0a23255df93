import Foundation
import HandraiserClassification
import HandraiserHeuristics
import HandraiserInput
import HandraiserMatching
import HandraiserModel
import HandraiserOutput

/// Receives a streamed scan: each classified thread as soon as it is ready.
public protocol ScanObserver {
    /// Called before an input's threads, once its format is known.
    mutating func input(_ source: String, format: InputFormat) throws
    mutating func thread(_ thread: ClassifiedThread, source: String) throws
    mutating func unreadable(_ record: UnreadableRecord, source: String) throws
}

extension ScanObserver {
    public mutating func input(_ source: String, format: InputFormat) {}
}

extension Handraiser {
    /// Scans `name` without holding it whole: a first pass builds the near-duplicate index
    /// (signatures only), a second classifies each thread as the reader completes it. Standard
    /// input is spooled to a temporary file first so it can be read twice.
    ///
    /// Memory is bounded by the largest thread plus the index (and, for JSON Lines and CSV, where
    /// each thread's records stand). A JSON Lines thread of more than `partComments` records
    /// reaches the observer in parts (`Thread.part`), each judged as in the whole thread, so it
    /// too is held one part at a time.
    public func streamScan(
        _ name: String, partComments: Int = JSONLReader.threadPartComments, into observer: inout some ScanObserver
    ) throws {
        let spool = name == "-" ? try Spool.standardInput() : nil
        defer { spool?.remove() }
        let path = spool?.path ?? name
        try naming(spool?.path, as: name) {
            let format = try InputLoader.format(
                of: try InputSource(name: path).open().peek(InputLoader.sniffLength), given: settings.format,
                name: name)
            try streamScan(path, format: format, name: name, partComments: partComments, into: &observer)
        }
    }

    /// `streamScan(_:partComments:into:)` of the file at `path` (a seekable copy of the input
    /// called `name`), in `format`; `partComments` nil hands every thread over whole.
    func streamScan(
        _ path: String, format: InputFormat, name: String, partComments: Int? = JSONLReader.threadPartComments,
        into observer: inout some ScanObserver
    ) throws {
        var options = readOptions
        options.threadPartComments = partComments.map { max(1, $0) }
        let partComments = partComments ?? Int.max
        let index = CorpusIndex.BatchingBuilder(
            workers: classifier.configuration.workers, batchSize: Handraiser.filterBatchSize)
        let source = InputSource(name: path, shownName: name)
        if format == .jsonl || format == .csv {
            try streamScanByLayout(
                source, name: name, format: format, index: index, partComments: partComments, into: &observer)
            return
        }
        var indexing = IndexingSink(index: index)
        _ = try InputLoader.read(source, format: format, options: options, into: &indexing)
        let corpus = CorpusIndex(indexing.index.finish())
        try observer.input(name, format: format)

        var classifying = ClassifyingSink(classifier: classifier, corpus: corpus, source: name, observer: observer)
        _ = try InputLoader.read(source, format: format, options: options, into: &classifying)
        try classifying.flush()
        observer = classifying.observer
    }

    /// JSON Lines and CSV group records by post wherever they stand, so the first pass also
    /// notes where each thread's records are (`JSONLLayout`: record starts, which for CSV are the
    /// reader's, since quoted fields span lines) and the second reads the threads back one at a
    /// time by offset: memory holds the index, the layout and one thread (for JSON Lines, one
    /// part of a long thread), not the file.
    private func streamScanByLayout<Observer: ScanObserver>(
        _ source: InputSource, name: String, format: InputFormat, index: CorpusIndex.BatchingBuilder,
        partComments: Int, into observer: inout Observer
    ) throws {
        var locating = LocatingSink(index: index)
        // A caller that holds threads whole hears of one too long now, not after classifying
        // the threads before it.
        if partComments == Int.max {
            locating.maximumComments = readOptions.maximumThreadComments
            // A CSV file without post ids or titles is one thread titled after the file, as there.
            if format == .csv { locating.untitled = CSVReader.fileStem(name) }
        }
        if format == .csv {
            try CSVReader().readRecords(try source.open(), options: readOptions, into: &locating)
        } else {
            try JSONLReader().readRecords(try source.open(), options: readOptions, into: &locating)
        }
        let corpus = CorpusIndex(locating.index.finish())
        try observer.input(name, format: format)

        var classifying = ClassifyingSink(classifier: classifier, corpus: corpus, source: name, observer: observer)
        if format == .csv {
            try CSVReader().readThreads(
                try source.open(), layout: locating.layout.layout, options: readOptions, partComments: partComments,
                into: &classifying)
        } else {
            try JSONLReader().readThreads(
                try source.open(), layout: locating.layout.layout, options: readOptions, partComments: partComments,
                into: &classifying)
        }
        try classifying.flush()
        observer = classifying.observer
    }
}

/// The first pass over JSON Lines and CSV: the near-duplicate index, and where each thread's
/// records are.
private struct LocatingSink: RecordSink {
    var index: CorpusIndex.BatchingBuilder
    var layout = JSONLLayoutSink()
    /// Set for callers that hold threads whole (`ReadOptions.maximumThreadComments`): a thread
    /// of more records is refused at the first record past it, as the grouping readers do.
    var maximumComments: Int?
    /// The title of a thread whose records name no post, as the reader gives it (CSV: the file's stem).
    var untitled: String?
    /// Per thread, while `maximumComments` is set: its records so far, and the first post title
    /// one of them gave (the one the refusal names).
    private var counts: [Int] = []
    private var titles: [String?] = []

    init(index: CorpusIndex.BatchingBuilder) {
        self.index = index
    }

    /// Threads are located by key and title alone; their records are read again whole.
    var needsPostTextAndExtraFields: Bool { false }

    mutating func record(_ comment: Comment, post: Post) throws {
        let key = JSONLReader.threadKey(comment, post)
        let number = layout.layout.record(key: key, at: comment.location)
        if let maximumComments {
            if number == counts.count {
                counts.append(0)
                titles.append(nil)
            }
            if counts[number] >= maximumComments {
                let post = titles[number] ?? (key.isEmpty ? untitled : nil) ?? key
                throw InputError.threadTooLong(comment.location, post: post, limit: maximumComments)
            }
            counts[number] += 1
            if titles[number] == nil { titles[number] = post.title }
        }
        index.add(CollectionOfOne(CorpusIndex.indexedPart(of: comment)))
    }

    mutating func unreadable(_ record: UnreadableRecord) {
        layout.unreadable(record)
    }
}

private struct IndexingSink: ReadSink {
    var index: CorpusIndex.BatchingBuilder

    mutating func thread(_ thread: HandraiserModel.Thread) {
        index.add(thread.comments)
    }

    mutating func unreadable(_ record: UnreadableRecord) {}
}

/// Classifies threads in batches, so the workers share out many comments at once, and hands them
/// to the observer in input order. A batch holds a bounded number of comments (or one thread).
private struct ClassifyingSink<Observer: ScanObserver>: ReadSink {
    let classifier: Classifier
    let corpus: CorpusIndex
    let source: String
    var observer: Observer
    private var pending: [HandraiserModel.Thread] = []
    private var pendingComments = 0
    private var pendingBytes = 0

    static var batchComments: Int { 4096 }

    init(classifier: Classifier, corpus: CorpusIndex, source: String, observer: Observer) {
        self.classifier = classifier
        self.corpus = corpus
        self.source = source
        self.observer = observer
    }

    mutating func thread(_ thread: HandraiserModel.Thread) throws {
        pending.append(thread)
        pendingComments += thread.comments.count
        pendingBytes += thread.comments.reduce(0) { $0 + Handraiser.batchBytes(of: $1) }
        if pendingComments >= Self.batchComments || pendingBytes >= Handraiser.batchTextBytes { try flush() }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        pendingComments = 0
        pendingBytes = 0
        for classified in classifier.classify(batch, corpus: corpus) {
            try observer.thread(classified, source: source)
        }
    }

    mutating func unreadable(_ record: UnreadableRecord) throws {
        // Unreadable records come out where they stood, after the threads read before them.
        try flush()
        var record = record
        record.location.file = source
        try observer.unreadable(record, source: source)
    }
}

extension Handraiser {
    /// Has the C allocator give every buffer of 128 KB or more back to the system when it is
    /// freed. By default glibc raises that threshold after the first such buffer is freed (up to
    /// 32 MB), so the big buffers a long run makes and frees (the index sorted at the end of the
    /// first pass, a part's rendered report) then come from the heap and stay in the peak RSS:
    /// a streamed command calls this first, so its peak follows what it holds.
    public static func returnLargeBuffersWhenFreed() {
        #if canImport(Glibc)
            // `mallopt` is declared in <malloc.h>, which the Glibc module leaves out: found by name.
            typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
            let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
            if let symbol = dlsym(nil, "mallopt") {
                _ = unsafeBitCast(symbol, to: MallOpt.self)(mmapThreshold, 128 << 10)
            }
        #endif
    }
}

/// Standard input copied to a temporary file, so a streamed scan can read it twice.
struct Spool {
    let path: String

    static func standardInput() throws -> Spool {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("handraiser-stdin-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        // Only this user may read the copy (comments can be private), and an existing file or
        // link of that name is never followed.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        guard descriptor >= 0, let file = fdopen(descriptor, "w") else {
            if descriptor >= 0 { close(descriptor) }
            throw InputError.unreadable(file: "-", reason: "cannot create a temporary file")
        }
        // Comments can be private: an interrupted run must not leave the copy behind.
        InterruptCleanup.register(path)
        let spool = Spool(path: path)
        var complete = false
        do {
            let reader = try InputSource(name: "-").open()
            complete = true
            while let chunk = try reader.nextChunk() {
                let written = chunk.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
                if written != chunk.count {
                    complete = false
                    break
                }
            }
        } catch {
            fclose(file)
            spool.remove()
            throw error
        }
        // A full disk may only show when the last buffer is written: a short copy would lose records.
        if fclose(file) != 0 || !complete {
            spool.remove()
            throw InputError.unreadable(file: "-", reason: "cannot write the temporary copy of standard input")
        }
        return spool
    }

    func remove() {
        unlink(path)
        InterruptCleanup.unregister(path)
    }
}

/// Feeds a streamed scan to a report writer, keeping the totals, the moderation audit and the
/// WP-CLI actions (small summaries, not the comments) for the end.
public struct ReportingObserver: ScanObserver {
    public var writer: any ScanReportWriter
    public private(set) var tally = ScanTally()
    public private(set) var audit = ModerationAudit()
    public private(set) var wpCLI = WPCLIScript.Builder()
    private let emit: (String) -> Void
    private var started = false
    /// WP-CLI commands only make sense for comments read from a WordPress export.
    private var inputIsWordPress = false

    /// `emit` receives each piece of the report as soon as it is ready.
    public init(writer: any ScanReportWriter, emit: @escaping (String) -> Void) {
        self.writer = writer
        self.emit = emit
    }

    private mutating func start() {
        guard !started else { return }
        started = true
        emit(writer.begin())
    }

    public mutating func input(_ source: String, format: InputFormat) {
        inputIsWordPress = format == .wxr
    }

    public mutating func thread(_ thread: ClassifiedThread, source: String) {
        start()
        tally.add(thread)
        audit.add(thread)
        if inputIsWordPress { wpCLI.add(thread) }
        emit(writer.thread(thread, source: source))
    }

    public mutating func unreadable(_ record: UnreadableRecord, source: String) {
        start()
        tally.unreadable += 1
        emit(writer.unreadable(record.location, message: record.message))
    }

    /// Ends the report (the summary, the closing tags).
    public mutating func finish() {
        start()
        emit(writer.end(tally))
    }
}
