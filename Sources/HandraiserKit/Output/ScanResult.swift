import HandraiserModel

/// Everything `scan` found: classified threads per input, and what could not be read.
public struct ScanResult: Sendable {
    public struct Source: Sendable {
        /// The file name as given, or `-`.
        public var name: String
        public var threads: [ClassifiedThread]
        /// Records the reader could not use, with where and why.
        public var unreadable: [(location: SourceLocation, message: String)]

        public init(
            name: String, threads: [ClassifiedThread], unreadable: [(location: SourceLocation, message: String)] = []
        ) {
            self.name = name
            self.threads = threads
            self.unreadable = unreadable
        }
    }

    public var sources: [Source]

    public init(sources: [Source]) { self.sources = sources }

    public var allComments: [ClassifiedComment] { sources.flatMap { $0.threads.flatMap(\.comments) } }

    /// The counts over every source.
    public var tally: ScanTally {
        var tally = ScanTally()
        for source in sources {
            source.threads.forEach { tally.add($0) }
            tally.unreadable += source.unreadable.count
        }
        return tally
    }

    /// "10 comments in 1 post: 1 genuine, 7 spam, 1 pingback, 1 author."
    public var summaryLine: String { tally.summaryLine }
}

/// Running counts of a scan, kept while threads stream past.
public struct ScanTally: Sendable, Hashable {
    public var posts = 0
    public var comments = 0
    public var unreadable = 0
    public var counts: [VerdictKind: Int] = [:]
    /// Rules that could not be applied (PCRE2 limits, the time budget), per rule id.
    public var ruleFailures = RuleFailureTally()

    public init() {}

    /// Counts a post once however many parts it comes in (`Thread.part`).
    public mutating func add(_ thread: ClassifiedThread) {
        if thread.thread.isFirstPart { posts += 1 }
        comments += thread.comments.count
        for item in thread.comments {
            counts[item.verdict.kind, default: 0] += 1
            ruleFailures.add(item.verdict)
        }
    }

    /// "10 comments in 1 post: 1 genuine, 7 spam, 1 pingback, 1 author."
    public var summaryLine: String {
        let parts = VerdictKind.allCases.compactMap { kind in counts[kind].map { "\($0) \(kind.rawValue)" } }
        var line = "\(comments) comment\(comments == 1 ? "" : "s") in \(posts) post\(posts == 1 ? "" : "s")"
        if !parts.isEmpty { line += ": " + parts.joined(separator: ", ") }
        if unreadable > 0 { line += "; \(unreadable) record\(unreadable == 1 ? "" : "s") unreadable" }
        if let failures = ruleFailures.summary { line += "; " + failures }
        return line + "."
    }
}

/// A scan report written while the scan runs: a piece of text per event, so memory does not
/// grow with the input.
public protocol ScanReportWriter {
    /// Text before the first thread.
    mutating func begin() -> String
    mutating func thread(_ thread: ClassifiedThread, source: String) -> String
    mutating func unreadable(_ location: SourceLocation, message: String) -> String
    /// Text after the last thread.
    mutating func end(_ tally: ScanTally) -> String
}

extension ScanReportWriter {
    /// The whole report for a scan held in memory.
    public mutating func render(_ result: ScanResult) -> String {
        var out = begin()
        for source in result.sources {
            for thread in source.threads { out += self.thread(thread, source: source.name) }
            for bad in source.unreadable { out += unreadable(bad.location, message: bad.message) }
        }
        return out + end(result.tally)
    }
}
