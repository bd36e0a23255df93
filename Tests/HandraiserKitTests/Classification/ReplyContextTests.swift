import HandraiserClassification
import HandraiserHeuristics
import HandraiserModel
import Testing

/// A reply is judged beside the comment it answers, found by id anywhere in its thread (the
/// first comment with that id), without searching the thread for every reply.
@Suite struct ReplyContextTests {
    static let post = Post(
        id: "p1", title: "Tuning PostgreSQL autovacuum for write-heavy tables",
        text: """
            Autovacuum keeps PostgreSQL tables healthy by removing dead tuples and refreshing planner statistics.
            On write-heavy tables the default thresholds are far too lazy: a table with a hundred million rows
            waits for twenty million dead tuples before vacuum starts. We lowered autovacuum_vacuum_scale_factor
            per table, raised autovacuum_max_workers, and gave each worker a larger cost limit so it finishes
            before the next batch of updates arrives. Monitoring pg_stat_user_tables showed bloat falling within
            a day, index scans getting faster, and transaction wraparound warnings disappearing. The same
            settings hurt small lookup tables, so apply them selectively, measure replication lag, and revisit
            checkpoints, shared buffers, and maintenance memory while you are there.
            """)

    static func comment(_ text: String, id: String, parent: String? = nil, line: Int) -> HandraiserModel.Comment {
        HandraiserModel.Comment(
            id: id, parentID: parent, postID: "p1", author: "Reader \(id)", content: text,
            location: HandraiserModel.SourceLocation(file: "t.jsonl", line: line))
    }

    static let parentText = "Anyone driving from Cleveland to the convergence in Milwaukee next week?"
    static let replyText = """
        I am leaving Cleveland on Thursday morning with two free seats, happy to share gas money and \
        driving shifts, message me and we can figure out where to meet downtown.
        """

    static func offTopic(_ thread: ClassifiedThread, _ id: String) -> Bool {
        thread.comments.first { $0.comment.id == id }!.verdict.reasons.contains { $0.id.hasPrefix("HC_OFF_TOPIC") }
    }

    @Test func aReplyIsJudgedBesideItsParentWhereverItStands() throws {
        let classifier = try Classifier(ClassifierConfiguration(workers: 2))
        var comments = (0..<300).map { Self.comment("Filler comment number \($0).", id: "f\($0)", line: $0 + 1) }
        // The reply stands before its parent; a later comment reusing the id is not the parent.
        comments.insert(Self.comment(Self.replyText, id: "r", parent: "p", line: 400), at: 10)
        comments.append(Self.comment(Self.parentText, id: "p", line: 500))
        comments.append(Self.comment("Unrelated words about gardening and roses.", id: "p", line: 501))
        let withParent = classifier.classify([Thread(post: Self.post, comments: comments)])[0]
        #expect(!Self.offTopic(withParent, "r"))

        // Without the parent the same reply shares no word with the post.
        let alone = classifier.classify([
            Thread(post: Self.post, comments: [Self.comment(Self.replyText, id: "r", parent: "p", line: 1)])
        ])[0]
        #expect(Self.offTopic(alone, "r"))

        // Only the first comment with the id counts, as a search of the thread would find it.
        var swapped = comments
        swapped.swapAt(swapped.count - 1, swapped.count - 2)
        let firstIsUnrelated = classifier.classify([Thread(post: Self.post, comments: swapped)])[0]
        #expect(Self.offTopic(firstIsUnrelated, "r"))
        #expect(withParent.comments.map(\.comment) == comments)
    }
}
