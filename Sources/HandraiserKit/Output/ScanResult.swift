import HandraiserModel

/// Everything `scan` found: classified threads per input, and what could not be read.
public struct ScanResult: Sendable {
    public struct Source: Sendable {
        /// The file name as given, or `-`.
        public var name: String
        public var threads: [ClassifiedThread]
        /// Records the reader could not use, with where and why.
        public var unreadable: [(location: SourceLocation, message: String)]

        public init(name: String, threads: [ClassifiedThread], unreadable: [(location: SourceLocation, message: String)] = []) {
            self.name = name
            self.threads = threads
            self.unreadable = unreadable
        }
    }

    public var sources: [Source]

    public init(sources: [Source]) { self.sources = sources }

    public var allComments: [ClassifiedComment] { sources.flatMap { $0.threads.flatMap(\.comments) } }

    /// How many comments got each verdict.
    public var counts: [VerdictKind: Int] {
        var counts: [VerdictKind: Int] = [:]
        for comment in allComments { counts[comment.verdict.kind, default: 0] += 1 }
        return counts
    }

    /// "10 comments in 1 post: 1 genuine, 7 spam, 1 pingback, 1 author."
    public var summaryLine: String {
        let comments = allComments.count
        let posts = sources.reduce(0) { $0 + $1.threads.count }
        let counts = counts
        let parts = VerdictKind.allCases.compactMap { kind in counts[kind].map { "\($0) \(kind.rawValue)" } }
        var line = "\(comments) comment\(comments == 1 ? "" : "s") in \(posts) post\(posts == 1 ? "" : "s")"
        if !parts.isEmpty { line += ": " + parts.joined(separator: ", ") }
        let unreadable = sources.reduce(0) { $0 + $1.unreadable.count }
        if unreadable > 0 { line += "; \(unreadable) record\(unreadable == 1 ? "" : "s") unreadable" }
        return line + "."
    }
}
