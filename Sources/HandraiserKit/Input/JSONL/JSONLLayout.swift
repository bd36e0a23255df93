import HandraiserModel

/// Where each thread's records stand in a JSON Lines file, so its threads can be read back one
/// at a time instead of holding the whole file: JSON Lines groups records by post wherever they
/// stand, so a thread is complete only at the end of the file.
///
/// A first pass hands every record (and every unreadable line) over in file order. Consecutive
/// records of one thread make one run, kept as its first line's byte offset, line number, record
/// count and the thread's run before it (24 bytes), so a file whose posts stand together costs one
/// run per post, and even a file that interleaves every record costs 24 bytes a record, not the
/// record. Past `memoryRuns` runs they go to a temporary file, so memory keeps per thread only
/// its key and last run, however many runs the file makes.
public struct JSONLLayout: Sendable {
    /// Thread key → the thread's number, in order of first appearance (the keys' bytes in one
    /// buffer: a file of very many posts pays no string and dictionary entry for each).
    private var threadNumbers = StringNumbering()
    /// Per thread: its last run (earlier ones are found through `Run.previous`).
    private var lastRun: [Int32] = []
    /// The runs not yet written to `spill`, from run number `spilledRuns` on; the last one may
    /// still be growing.
    private var runs: [Run] = []
    private var spill: ScratchFile?
    private var spilledRuns = 0
    /// Runs held in memory before they are appended to the temporary file.
    let memoryRuns: Int
    /// The thread of the last line seen, while it was a record; -1 after an unreadable line.
    private var previousThread: Int32 = -1
    /// Byte offset and line number of every unreadable line, in file order.
    public private(set) var unreadable: [(offset: Int, line: Int)] = []

    /// A run of consecutive records of one thread, as kept in memory and in the file.
    private struct Run {
        var offset: Int
        var line: Int
        var count: UInt32
        /// The thread's run before this one, or -1.
        var previous: Int32
    }

    public init() {
        self.init(memoryRuns: 1 << 16)
    }

    /// A layout that moves its runs to a temporary file every `memoryRuns` runs (tests make it small).
    public init(memoryRuns: Int) {
        self.memoryRuns = max(1, memoryRuns)
    }

    /// How many threads the file holds.
    public var threadCount: Int { lastRun.count }

    /// How many runs the records make: one per thread when each post's records stand together.
    public var runTotal: Int { spilledRuns + runs.count }

    /// Notes a record of thread `key` that starts at `location` (its line and byte offset);
    /// returns the thread's number.
    @discardableResult
    public mutating func record(key: String, at location: SourceLocation) -> Int {
        let (number, isNew) = threadNumbers.insert(key)
        let thread = Int32(number)
        if previousThread == thread, !runs.isEmpty, runs[runs.count - 1].count < UInt32.max {
            runs[runs.count - 1].count += 1
            return number
        }
        let run = appendRun(
            Run(
                offset: location.byteOffset ?? 0, line: location.line ?? 0, count: 1,
                previous: isNew ? -1 : lastRun[number]))
        if isNew { lastRun.append(run) } else { lastRun[number] = run }
        previousThread = thread
        return number
    }

    /// Notes a line that is not a readable record: it ends the current run.
    public mutating func unreadable(at location: SourceLocation) {
        unreadable.append((location.byteOffset ?? 0, location.line ?? 0))
        previousThread = -1
    }

    /// Appends `run` (the one before it is complete), moving the runs in memory to the file first
    /// when they fill it; they stay in memory when no file can be written.
    private mutating func appendRun(_ run: Run) -> Int32 {
        if runs.count >= memoryRuns {
            if spill == nil { spill = ScratchFile(purpose: "layout") }
            if let spill,
                runs.withUnsafeBytes({ spill.write($0, at: spilledRuns * MemoryLayout<Run>.stride) })
            {
                spilledRuns += runs.count
                runs.removeAll(keepingCapacity: true)
            }
        }
        runs.append(run)
        return Int32(runTotal - 1)
    }

    private func run(_ index: Int) throws -> Run {
        if index >= spilledRuns { return runs[index - spilledRuns] }
        var run = Run(offset: 0, line: 0, count: 0, previous: 0)
        let ok = withUnsafeMutableBytes(of: &run) { spill!.read(into: $0, at: index * MemoryLayout<Run>.stride) }
        guard ok else { throw ScratchFile.failure(of: "the file's layout") }
        return run
    }

    /// The runs of thread `number`, in file order.
    func runs(ofThread number: Int) throws -> [(offset: Int, line: Int, count: Int)] {
        var runs: [(offset: Int, line: Int, count: Int)] = []
        var index = lastRun[number]
        while index >= 0 {
            let run = try run(Int(index))
            runs.append((run.offset, run.line, Int(run.count)))
            index = run.previous
        }
        return runs.reversed()
    }
}

extension JSONLReader {
    /// Reads the threads `layout` located back from `reader`, one after another in order of
    /// first appearance, each complete with its post fields merged and authorship decided, as
    /// `read(_:options:into:)` hands them over; the unreadable lines come first, as there.
    /// Memory holds one thread (and a batch of lines being decoded), not the file.
    ///
    /// A record that no longer reads (the file changed between the passes) is reported unreadable.
    ///
    /// A thread of more than `partComments` records is handed over in parts of that many records
    /// (`Thread.part`), so memory holds one part: a pass over the thread's records first merges
    /// its post fields and notes where the first record of each id stands, so that each part
    /// brings the parents of its replies along and is judged as the whole thread would be.
    public func readThreads(
        _ reader: ByteReader, layout: JSONLLayout, options: ReadOptions,
        partComments: Int = JSONLReader.threadPartComments, into sink: inout some ReadSink
    ) throws {
        let authorNames = Set(options.authorNames.map(NameMatching.key))
        for bad in layout.unreadable {
            try reader.seek(toOffset: bad.offset, lineNumber: bad.line)
            guard let line = try Self.nextRecordLine(reader, maximumLength: maximumLineLength) else { break }
            if case .failure(let record) = line.decode(authorNames: authorNames, postTexts: PostTextCache()) {
                try sink.unreadable(record)
            }
        }
        var assembler = ThreadAssembler(authorNames: authorNames, workers: options.workers)
        assembler.maximum.maximumThreadComments = options.maximumThreadComments
        for number in 0..<layout.threadCount {
            let runs = try layout.runs(ofThread: number)
            if runs.reduce(0, { $0 + $1.count }) > max(1, partComments) {
                // The threads before it come out first, in order.
                try assembler.finish(into: &sink)
                let records = JSONLThreadRecords(
                    reader: reader, runs: runs, authorNames: authorNames, workers: options.workers,
                    maximumLineLength: maximumLineLength)
                var parts = ThreadParts(records: records, partComments: max(1, partComments))
                try parts.read(into: &sink)
                continue
            }
            assembler.beginThread()
            for run in runs {
                try reader.seek(toOffset: run.offset, lineNumber: run.line)
                for _ in 0..<run.count {
                    guard let line = try Self.nextRecordLine(reader, maximumLength: maximumLineLength) else { break }
                    try assembler.add(line, into: &sink)
                }
            }
        }
        try assembler.finish(into: &sink)
    }

    /// Records a thread is handed over in parts of, past this many.
    public static let threadPartComments = 4096

    /// The next line that is not blank, with where it starts; a byte-order mark at the start of
    /// the file is not part of the first record. A line longer than `maximumLength` is read past,
    /// not held, and comes back as the unreadable record that says so.
    static func nextRecordLine(_ reader: ByteReader, maximumLength: Int) throws -> RecordLine? {
        while true {
            let lineNumber = reader.lineNumber
            let offset = reader.offset
            let location = SourceLocation(file: reader.name, line: lineNumber, byteOffset: offset)
            guard var line = try nextLine(reader, maximumLength: maximumLength) else {
                guard reader.lineNumber == lineNumber else {
                    return tooLong(reader.skippedLinePrefix, at: location, maximumLength: maximumLength)
                }
                return nil
            }
            // The reader checks the limit only when a line outgrows what it has read ahead.
            if line.count > maximumLength {
                return tooLong(
                    String(decoding: line.prefix(1024), as: UTF8.self), at: location, maximumLength: maximumLength)
            }
            if offset == 0, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            return RecordLine(bytes: line, location: location)
        }
    }

    /// The next line, or nil at the end or (the reader then on the next line) when the line was
    /// too long and has been read past.
    private static func nextLine(_ reader: ByteReader, maximumLength: Int) throws(InputError) -> ArraySlice<UInt8>? {
        do {
            return try reader.nextLineBytes(maximumLength: maximumLength)
        } catch {
            guard case .lineTooLong = error else { throw error }
        }
        try reader.skipLine()
        return nil
    }

    private static func tooLong(_ prefix: String, at location: SourceLocation, maximumLength: Int) -> RecordLine {
        let message = "the line is longer than \(maximumLength) bytes, the limit for one record; it is skipped"
        return RecordLine(
            bytes: [], location: location,
            tooLong: UnreadableRecord(location: location, message: message, raw: prefix + "…"))
    }

}

/// One line of a JSON Lines file: its bytes and where it starts, or, for a line too long to
/// hold, the unreadable record that reports it.
struct RecordLine: Sendable {
    var bytes: ArraySlice<UInt8>
    var location: SourceLocation
    var tooLong: UnreadableRecord?

    /// A copy that owns its bytes, to keep while the reader reads on.
    var owned: RecordLine {
        var copy = self
        copy.bytes = ArraySlice(Array(bytes))
        return copy
    }

    /// Lines this long are decoded where the reader holds them instead of being copied into a
    /// batch: one long comment then costs its line and its decoded text, not another copy.
    var isLong: Bool { bytes.count >= JSONLReader.batchBytes }

    func decode(
        authorNames: Set<String>, postTexts: PostTextCache, full: Bool = true
    ) -> Result<(Comment, Post), UnreadableRecord> {
        if let tooLong { return .failure(tooLong) }
        return JSONLReader.record(
            bytes, location: location, authorNames: authorNames, postTexts: postTexts, full: full)
    }
}

extension JSONLReader {

    /// Decodes the lines of consecutive threads in batches on every worker and hands each thread
    /// to the sink once all its lines are decoded.
    private struct ThreadAssembler {
        let authorNames: Set<String>
        let workers: Int
        /// Only its `maximumThreadComments` counts here.
        var maximum = ReadOptions()
        private var lines: [(line: RecordLine, thread: Int)] = []
        private var lineBytes = 0
        /// Threads begun and not yet handed over; the last one may still be growing.
        private var open: [Thread?] = []
        /// The number of `open[0]` among all threads begun.
        private var firstOpen = 0

        init(authorNames: Set<String>, workers: Int) {
            self.authorNames = authorNames
            self.workers = workers
        }

        mutating func beginThread() {
            open.append(nil)
        }

        mutating func add(_ line: RecordLine, into sink: inout some ReadSink) throws {
            let thread = firstOpen + open.count - 1
            if line.isLong {
                try decode(into: &sink)
                let record = line.decode(authorNames: authorNames, postTexts: PostTextCache())
                try place(record, thread: thread, into: &sink)
                try handOver(keepingLast: true, into: &sink)
                return
            }
            lines.append((line.owned, thread))
            lineBytes += line.bytes.count
            if lines.count >= JSONLReader.batchLines || lineBytes >= JSONLReader.batchBytes {
                try decode(into: &sink)
                // Every thread but the one still being read is complete.
                try handOver(keepingLast: true, into: &sink)
            }
        }

        mutating func finish(into sink: inout some ReadSink) throws {
            try decode(into: &sink)
            try handOver(keepingLast: false, into: &sink)
        }

        private mutating func decode(into sink: inout some ReadSink) throws {
            let authorNames = authorNames
            let records = ParallelMap.map(lines, workers: workers, setUp: { PostTextCache() }) { line, cache in
                line.line.decode(authorNames: authorNames, postTexts: cache)
            }
            for (line, record) in zip(lines, records) { try place(record, thread: line.thread, into: &sink) }
            lines.removeAll(keepingCapacity: true)
            lineBytes = 0
        }

        private mutating func place(
            _ record: Result<(Comment, Post), UnreadableRecord>, thread: Int, into sink: inout some ReadSink
        ) throws {
            switch record {
            case .failure(let bad): try sink.unreadable(bad)
            case .success(let (comment, post)):
                let slot = thread - firstOpen
                if open[slot] == nil {
                    open[slot] = Thread(post: post, comments: [comment])
                } else {
                    // A caller that holds threads whole (`replies`) refuses one too long, as
                    // `read(_:options:into:)` does.
                    try maximum.checkRoom(
                        forMoreThan: open[slot]!.comments.count,
                        post: open[slot]!.post.title ?? JSONLReader.threadKey(comment, post), at: comment.location)
                    open[slot]!.post.fillMissing(from: post)
                    open[slot]!.comments.append(comment)
                }
            }
        }

        private mutating func handOver(keepingLast: Bool, into sink: inout some ReadSink) throws {
            let complete = keepingLast ? open.count - 1 : open.count
            guard complete > 0 else { return }
            for slot in 0..<complete {
                // A thread none of whose records read again (the file changed) has nothing to hand over.
                guard var thread = open[slot] else { continue }
                open[slot] = nil
                for index in thread.comments.indices where thread.comments[index].authorship == nil {
                    thread.comments[index].authorship = JSONLReader.authorship(
                        of: thread.comments[index], postAuthor: thread.post.author, authorNames: authorNames)
                }
                try sink.thread(thread)
            }
            open.removeFirst(complete)
            firstOpen += complete
        }
    }
}

/// The first pass of a streamed JSON Lines scan: locates every thread's records in a layout.
public struct JSONLLayoutSink: RecordSink {
    public var layout = JSONLLayout()

    public init() {}

    public mutating func record(_ comment: Comment, post: Post) {
        layout.record(key: JSONLReader.threadKey(comment, post), at: comment.location)
    }

    public mutating func unreadable(_ record: UnreadableRecord) {
        layout.unreadable(at: record.location)
    }
}

extension JSONLReader {
    /// The record whose line starts at byte `offset` (line `line`) of `reader`, decoded as the
    /// first pass decoded it; nil when there is no line there any more.
    public func record(
        at offset: Int, line: Int, in reader: ByteReader, options: ReadOptions
    ) throws -> Result<(Comment, Post), UnreadableRecord>? {
        try reader.seek(toOffset: offset, lineNumber: line)
        guard let found = try Self.nextRecordLine(reader, maximumLength: maximumLineLength) else { return nil }
        return found.decode(authorNames: Set(options.authorNames.map(NameMatching.key)), postTexts: PostTextCache())
    }
}

/// The records of one long JSON Lines thread, for `ThreadParts`: decoded in batches on every
/// worker, parents read back by the offset of their line.
private struct JSONLThreadRecords: ThreadRecords {
    let reader: ByteReader
    let runs: [(offset: Int, line: Int, count: Int)]
    let authorNames: Set<String>
    let workers: Int
    let maximumLineLength: Int

    func merge(_ post: Post, into merged: inout Post?) {
        if merged == nil { merged = post } else { merged!.fillMissing(from: post) }
    }

    func finished(_ comment: Comment, post: Post) -> Comment {
        var comment = comment
        if comment.authorship == nil {
            comment.authorship = JSONLReader.authorship(of: comment, postAuthor: post.author, authorNames: authorNames)
        }
        return comment
    }

    func comment(at place: SourceLocation, post: Post) throws -> Comment? {
        let (offset, line) = (place.byteOffset ?? 0, place.line ?? 0)
        guard let bytes = try reader.line(atOffset: offset, maximumLength: maximumLineLength),
            case .success(let (comment, _)) = JSONLReader.record(
                offset == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes,
                location: SourceLocation(file: reader.name, line: line, byteOffset: offset),
                authorNames: authorNames, postTexts: PostTextCache())
        else { return nil }
        return finished(comment, post: post)
    }

    func eachBatch(
        of size: Int, _ body: ([Result<(Comment, Post), UnreadableRecord>]) throws -> Void
    ) throws {
        var lines: [RecordLine] = []
        var lineBytes = 0
        let authorNames = authorNames
        func decode() throws {
            guard !lines.isEmpty else { return }
            let records = ParallelMap.map(lines, workers: workers, setUp: { PostTextCache() }) { line, cache in
                line.decode(authorNames: authorNames, postTexts: cache)
            }
            lines.removeAll(keepingCapacity: true)
            lineBytes = 0
            try body(records)
        }
        for run in runs {
            try reader.seek(toOffset: run.offset, lineNumber: run.line)
            for _ in 0..<run.count {
                guard let line = try JSONLReader.nextRecordLine(reader, maximumLength: maximumLineLength) else {
                    break
                }
                if line.isLong {
                    try decode()
                    try body([line.decode(authorNames: authorNames, postTexts: PostTextCache())])
                    continue
                }
                lines.append(line.owned)
                lineBytes += line.bytes.count
                if lines.count >= size || lineBytes >= JSONLReader.batchBytes {
                    try decode()
                }
            }
        }
        try decode()
    }
}
