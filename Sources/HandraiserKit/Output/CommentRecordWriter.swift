import HandraiserModel

/// Writes a classified comment as one JSON Lines record: the interchange fields it knows, unknown
/// input fields passed through, then `verdict`, `score` and `reasons`.
public enum CommentRecordWriter {
    /// The JSON object for `classified` in `post`; `includeVerdict: false` writes the record alone.
    public static func json(_ classified: ClassifiedComment, post: Post, includeVerdict: Bool = true) -> String {
        let comment = classified.comment
        var object = JSONObjectWriter()
        object.string("id", comment.id)
        object.string("parent_id", comment.parentID)
        object.optionalString("post_id", comment.postID ?? post.id)
        object.optionalString("post_title", post.title)
        object.optionalString("post_author", post.author)
        object.optionalString("post_url", post.url)
        object.optionalString("author", comment.author)
        object.optionalString("author_email", comment.authorEmail)
        object.optionalString("author_url", comment.authorURL)
        object.optionalString("author_ip", comment.authorIP)
        object.optionalString("date", comment.date)
        object.string("type", comment.type.rawValue)
        object.string("content", comment.content)
        object.optionalString("status", comment.status?.rawValue)
        if let label = comment.labels.label { object.string("label", label.rawValue) }
        if let replied = comment.labels.replied { object.bool("replied", replied) }
        if let mine = comment.labels.byPostAuthor { object.bool("by_post_author", mine) }
        for field in comment.extraFields where !reservedNames.contains(field.name) {
            // Kept as read, but a bidi control or invisible character in it is escaped like ours.
            object.raw(field.name, json: JSONString.escapingInvisibles(inJSON: field.json))
        }
        if includeVerdict {
            object.string("verdict", classified.verdict.kind.rawValue)
            object.number("score", classified.verdict.score)
            object.array("reasons", classified.verdict.reasons.map(reasonJSON))
        }
        return object.json
    }

    /// `{"id":…,"score":…,"description":…,"evidence":…,"field":…,"span":[start,end]}`, with
    /// `"not_applied":true` added when the rule could not be applied to the comment.
    public static func reasonJSON(_ reason: Reason) -> String {
        var object = JSONObjectWriter()
        object.string("id", reason.id)
        object.number("score", reason.score)
        object.string("description", reason.description)
        if let evidence = reason.evidence {
            object.string("evidence", evidence.excerpt)
            object.string("field", evidence.field.rawValue)
            object.array("span", [String(evidence.range.lowerBound), String(evidence.range.upperBound)])
        } else {
            object.string("evidence", nil)
        }
        if reason.notApplied { object.bool("not_applied", true) }
        return object.json
    }

    /// Names this writer produces itself; an input field of the same name would make a duplicate key.
    static let reservedNames: Set<String> = ["verdict", "score", "reasons"]
}

/// `scan --output jsonl`: one record per comment, as `CommentRecordWriter` writes it.
public struct ScanJSONLRenderer: ScanReportWriter {
    private var quiet = false

    public init() {}

    /// Writes nothing: for runs whose only output is a summary (such as `--emit wp-cli`).
    public static var silent: ScanJSONLRenderer {
        var renderer = ScanJSONLRenderer()
        renderer.quiet = true
        return renderer
    }
    public func begin() -> String { "" }
    public func unreadable(_ location: SourceLocation, message: String) -> String { "" }
    public func end(_ tally: ScanTally) -> String { "" }

    public func thread(_ thread: ClassifiedThread, source: String) -> String {
        var out = ""
        guard !quiet else { return out }
        for item in thread.comments { out += CommentRecordWriter.json(item, post: thread.post) + "\n" }
        return out
    }
}
