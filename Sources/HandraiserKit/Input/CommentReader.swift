import HandraiserModel

/// The input formats Handraiser reads.
public enum InputFormat: String, Sendable, Hashable, CaseIterable {
    case dump, jsonl, csv, wxr, disqus
}

/// Options every reader honours.
public struct ReadOptions: Sendable, Hashable {
    /// Names the user says are the post author's (`--author`, `--team`); overrides inference.
    public var authorNames: [String]
    /// Threads a reader may decode records on (JSON Lines uses them).
    public var workers: Int
    /// For callers that hold whole threads (`replies`): a thread with more comments is refused
    /// with `InputError.threadTooLong`, naming the file and the post, while it is read. Nil: no limit.
    public var maximumThreadComments: Int?
    /// For callers that take threads in parts (`Thread.part`, a streamed scan): a thread of more
    /// comments is handed over in parts of this many, so memory holds one part. Readers that
    /// locate threads in a first pass take it as an argument instead; WXR reads it here. Nil:
    /// threads whole.
    public var threadPartComments: Int?

    public init(
        authorNames: [String] = [], workers: Int = 1, maximumThreadComments: Int? = nil,
        threadPartComments: Int? = nil
    ) {
        self.authorNames = authorNames
        self.workers = max(1, workers)
        self.maximumThreadComments = maximumThreadComments
        self.threadPartComments = threadPartComments
    }

    /// Throws when a thread that holds `count` comments may not take one more.
    func checkRoom(forMoreThan count: Int, post: String, at location: SourceLocation) throws(InputError) {
        if let limit = maximumThreadComments, count >= limit {
            throw InputError.threadTooLong(location, post: post, limit: limit)
        }
    }
}

/// What a reader produces, streamed: threads as soon as they are complete, and records it
/// could not read (which it reports instead of dropping).
public protocol ReadSink {
    mutating func thread(_ thread: Thread) throws
    mutating func unreadable(_ record: UnreadableRecord) throws
}

/// A reader of one input format.
public protocol CommentReader {
    var format: InputFormat { get }
    /// Reads all of `reader`, handing each thread to `sink` as soon as it is complete.
    /// A fault that makes the rest unreadable throws `InputError`; a single bad record goes to
    /// `sink.unreadable` and reading goes on.
    func read(_ reader: ByteReader, options: ReadOptions, into sink: inout some ReadSink) throws
}

/// Collects everything a reader produces, in order (for tests and small inputs).
public struct CollectingSink: ReadSink {
    public var threads: [Thread] = []
    public var unreadable: [UnreadableRecord] = []

    public init() {}

    public mutating func thread(_ thread: Thread) { threads.append(thread) }
    public mutating func unreadable(_ record: UnreadableRecord) { unreadable.append(record) }
}
