import HandraiserInput
import HandraiserModel
import HandraiserOutput

/// `handraiser filter`: every input record comes out exactly once — on the kept stream, on the
/// rejects stream, or (unreadable) reported with its line — never silently dropped.
public struct FilterRun {
    public var keep: Set<VerdictKind>
    /// Keep everything, annotated; unreadable records come out as `"verdict":"unreadable"` objects.
    public var annotateAll: Bool

    public init(keep: Set<VerdictKind> = Set(VerdictKind.allCases).subtracting([.spam]), annotateAll: Bool = false) {
        self.keep = keep
        self.annotateAll = annotateAll
    }

    /// Counts of what went where.
    public struct Tally: Sendable, Hashable {
        public var kept = 0
        public var rejected = 0
        public var unreadable = 0
        /// Rules that could not be applied (PCRE2 limits, the time budget), per rule id.
        public var ruleFailures = RuleFailureTally()

        public init() {}

        public var total: Int { kept + rejected + unreadable }

        public mutating func add(_ other: Tally) {
            kept += other.kept
            rejected += other.rejected
            unreadable += other.unreadable
            ruleFailures.merge(other.ruleFailures)
        }

        /// "5 records: 3 kept, 2 rejected, 1 unreadable; rule not applied: MY_SLOW on 1 comment",
        /// saying when rejected records were not written anywhere.
        public func summaryLine(rejectsWritten: Bool) -> String {
            var line = "\(total) records: \(kept) kept, \(rejected) rejected"
            if !rejectsWritten && rejected > 0 { line += " (not written; use --rejects FILE to keep them)" }
            if unreadable > 0 { line += ", \(unreadable) unreadable" }
            if let failures = ruleFailures.summary { line += "; " + failures }
            return line
        }
    }

    /// Routes every record of `input` (classified as `threads`) to `kept` or `rejected`,
    /// in input order. Unreadable records go to `rejected` as objects naming the line and fault
    /// (or to `kept` when annotating everything).
    public func run(
        threads: [ClassifiedThread], unreadable: [UnreadableRecord], kept: (String) throws -> Void,
        rejected: (String) throws -> Void
    ) rethrows -> Tally {
        enum Record {
            case comment(ClassifiedComment, Post)
            case bad(UnreadableRecord)
        }
        var records: [(position: Int, sequence: Int, record: Record)] = []
        var sequence = 0
        for thread in threads {
            for item in thread.comments {
                records.append(
                    (
                        item.comment.location.byteOffset ?? item.comment.location.line ?? 0, sequence,
                        .comment(item, thread.post)
                    ))
                sequence += 1
            }
        }
        for bad in unreadable {
            records.append((bad.location.byteOffset ?? bad.location.line ?? 0, sequence, .bad(bad)))
            sequence += 1
        }
        records.sort { ($0.position, $0.sequence) < ($1.position, $1.sequence) }
        var tally = Tally()
        for entry in records {
            switch entry.record {
            case .comment(let item, let post):
                try route(item, post: post, tally: &tally, kept: kept, rejected: rejected)
            case .bad(let bad):
                try route(bad, tally: &tally, kept: kept, rejected: rejected)
            }
        }
        return tally
    }

    /// Writes one classified comment to the stream its verdict chooses.
    public func route(
        _ item: ClassifiedComment, post: Post, tally: inout Tally, kept: (String) throws -> Void,
        rejected: (String) throws -> Void
    ) rethrows {
        try route(
            json: CommentRecordWriter.json(item, post: post), verdict: item.verdict.kind, tally: &tally, kept: kept,
            rejected: rejected)
    }

    /// Writes one comment's record, already made, to the stream its verdict chooses.
    public func route(
        json: String, verdict: VerdictKind, tally: inout Tally, kept: (String) throws -> Void,
        rejected: (String) throws -> Void
    ) rethrows {
        if annotateAll || keep.contains(verdict) {
            try kept(json)
            tally.kept += 1
        } else {
            try rejected(json)
            tally.rejected += 1
        }
    }

    /// Writes one unreadable record out as an object naming its line and fault: kept when
    /// annotating everything, else with the rejects.
    public func route(
        _ bad: UnreadableRecord, tally: inout Tally, kept: (String) throws -> Void, rejected: (String) throws -> Void
    ) rethrows {
        let json = Self.unreadableJSON(bad)
        if annotateAll { try kept(json) } else { try rejected(json) }
        tally.unreadable += 1
    }

    /// `{"verdict":"unreadable","file":…,"line":…,"column":…,"error":…,"raw":…}`.
    public static func unreadableJSON(_ bad: UnreadableRecord) -> String {
        var object = JSONObjectWriter()
        object.string("verdict", "unreadable")
        object.string("file", bad.location.file)
        if let line = bad.location.line { object.integer("line", line) }
        if let column = bad.location.column { object.integer("column", column) }
        object.string("error", bad.message)
        object.string("raw", bad.raw)
        return object.json
    }
}
