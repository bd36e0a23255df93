import Foundation
import HandraiserEvaluation
import HandraiserModel
import HandraiserReplies
import Testing

/// Measures the reply planner on the labelled dev corpus. Opt-in (HANDRAISER_REPLIES_QA=1), because
/// the corpus lives outside the repository and the figures are for people, not a pass/fail gate.
///
/// Verdicts here come from the corpus's own moderation, not from the classifier, so the figures
/// measure the planner alone: label spam → spam, pingback/trackback → pingback, a comment signed with
/// the post author's name → author, everything else genuine. `by_post_author` is not used for verdicts.
@Suite struct ReplyEvaluationCorpusTests {
    /// `../shared/corpus` from the repository root, or HANDRAISER_CORPUS when set.
    static let corpus =
        ProcessInfo.processInfo.environment["HANDRAISER_CORPUS"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/corpus")

    static let threadedSources = [
        "disqus_benbalter", "wxr_teachmetocode", "disqus_tanglei", "wxr_dmacvicar", "wxr_crimethinc",
    ]

    static var enabled: Bool { ProcessInfo.processInfo.environment["HANDRAISER_REPLIES_QA"] == "1" }

    @Test(.enabled(if: enabled, "set HANDRAISER_REPLIES_QA=1 to measure the planner on ../shared/corpus"))
    func measureOnCorpus() throws {
        guard FileManager.default.fileExists(atPath: Self.corpus.path) else {
            print("reply QA: corpus not found at \(Self.corpus.path); skipped")
            return
        }
        var pooled: [ClassifiedThread] = []
        for source in Self.threadedSources {
            let threads = try Self.load(Self.corpus.appendingPathComponent(source + ".jsonl"))
            let report = ReplyEvaluation.evaluate(threads, planner: ReplyPlanner())
            print(Self.describe(source, report))
            pooled += threads
        }
        // Pooled figures: each source evaluated on its own, then summed, so no blog sees another's posts.
        var total = ReplyEvaluationReport()
        for source in Self.threadedSources {
            let threads = try Self.load(Self.corpus.appendingPathComponent(source + ".jsonl"))
            total = Self.add(total, ReplyEvaluation.evaluate(threads, planner: ReplyPlanner()))
        }
        print(Self.describe("POOLED", total))
        #expect(total.listedWithSpam == 0)
        #expect(total.listedWithPingbacks == 0)
    }

    static func add(_ a: ReplyEvaluationReport, _ b: ReplyEvaluationReport) -> ReplyEvaluationReport {
        var sum = a
        for path in [
            \StatusCounts.answeredFound, \.answeredWrongly, \.answeredMissed, \.waitingFound, \.notListed,
            \.answeredNotListed,
        ] {
            sum.explicitThreads[keyPath: path] += b.explicitThreads[keyPath: path]
            sum.implicitThreads[keyPath: path] += b.implicitThreads[keyPath: path]
        }
        sum.ranking.posts += b.ranking.posts
        sum.ranking.k += b.ranking.k
        sum.ranking.people += b.ranking.people
        sum.ranking.toolHits += b.ranking.toolHits
        sum.ranking.randomHits += b.ranking.randomHits
        sum.ranking.chronologicalHits += b.ranking.chronologicalHits
        sum.listedPeople += b.listedPeople
        sum.listedWithSpam += b.listedWithSpam
        sum.listedWithPingbacks += b.listedWithPingbacks
        return sum
    }

    static func describe(_ name: String, _ r: ReplyEvaluationReport) -> String {
        func pct(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "–" }
        func status(_ s: StatusCounts) -> String {
            "n=\(s.comments) acc=\(pct(s.accuracy)) answered: found=\(s.answeredFound) wrong=\(s.answeredWrongly) "
                + "missed=\(s.answeredMissed) notListed=\(s.notListed)(replied \(s.answeredNotListed)) "
                + "P=\(pct(s.answeredPrecision)) R=\(pct(s.answeredRecall))"
        }
        let k = r.ranking
        return """
            reply QA \(name)
              explicit: \(status(r.explicitThreads))
              implicit: \(status(r.implicitThreads))
              ranking: posts=\(k.posts) k=\(k.k) people=\(k.people) p@k tool=\(pct(k.toolPrecision)) \
            random=\(pct(k.randomPrecision)) chrono=\(pct(k.chronologicalPrecision))
              listed=\(r.listedPeople) withSpam=\(r.listedWithSpam) withPingbacks=\(r.listedWithPingbacks)
            """
    }

    /// Reads a corpus file into classified threads, one per `post_id`, in first-seen order.
    static func load(_ url: URL) throws -> [ClassifiedThread] {
        let data = try String(contentsOf: url, encoding: .utf8)
        var order: [String] = []
        var posts: [String: Post] = [:]
        var comments: [String: [ClassifiedComment]] = [:]
        for (number, line) in data.split(separator: "\n").enumerated() {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                continue
            }
            func string(_ key: String) -> String? {
                if let s = object[key] as? String { return s }
                if let n = object[key] as? NSNumber { return n.stringValue }
                return nil
            }
            let postID = string("post_id") ?? "?"
            if posts[postID] == nil {
                order.append(postID)
                posts[postID] = Post(
                    id: postID, title: string("post_title"), author: string("post_author"), url: string("post_url"),
                    text: string("post_text"))
            }
            let type = string("type").flatMap(CommentType.init(rawValue:)) ?? .comment
            let label = string("label").flatMap(EvaluationLabels.Label.init(rawValue:))
            let comment = Comment(
                id: string("id") ?? "\(number + 1)", parentID: string("parent_id"), postID: postID,
                author: string("author"), authorEmail: string("author_email"), authorURL: string("author_url"),
                authorIP: string("author_ip"), date: string("date"), type: type, content: string("content") ?? "",
                status: string("status").flatMap(ModerationStatus.init(rawValue:)),
                labels: EvaluationLabels(
                    label: label, replied: object["replied"] as? Bool, byPostAuthor: object["by_post_author"] as? Bool),
                location: SourceLocation(file: url.lastPathComponent, line: number + 1))
            let kind: VerdictKind
            if label == .spam || comment.status == .spam {
                kind = .spam
            } else if type != .comment {
                kind = .pingback
            } else if let author = comment.author, author == posts[postID]?.author {
                kind = .author
            } else {
                kind = .genuine
            }
            comments[postID, default: []].append(
                ClassifiedComment(comment: comment, verdict: Verdict(kind: kind, score: 0, reasons: [])))
        }
        return order.compactMap { id in
            guard let post = posts[id] else { return nil }
            let items = comments[id] ?? []
            return ClassifiedThread(thread: Thread(post: post, comments: items.map(\.comment)), comments: items)
        }
    }
}

extension ReplyEvaluationCorpusTests {
    /// Diagnostic, opt-in (REPLIES_DUMP=<source> [REPLIES_POST=<id>] [REPLIES_TOP=n]): prints each post's
    /// ranking with the author's comments removed, `*` marking people the author really answered.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["REPLIES_DUMP"] != nil))
    func dumpRanking() throws {
        let env = ProcessInfo.processInfo.environment
        let threads = try Self.load(Self.corpus.appendingPathComponent((env["REPLIES_DUMP"] ?? "") + ".jsonl"))
        let wanted = env["REPLIES_POST"]
        let cut = threads.filter { wanted == nil || $0.post.id == wanted }.map { t in
            ClassifiedThread(thread: t.thread, comments: t.comments.filter { $0.comment.labels.byPostAuthor != true })
        }
        let labels = Dictionary(
            cut.flatMap { $0.comments.map { ($0.comment.id, $0.comment.labels.replied == true) } },
            uniquingKeysWith: { a, _ in a })
        for plan in ReplyPlanner().plan(cut).posts {
            let k = plan.people.filter { $0.commentIDs.contains { labels[$0] == true } }.count
            guard k > 0 else { continue }
            print("POST \(plan.post.id ?? "") \(plan.post.title ?? "") k=\(k)")
            for c in plan.people.prefix(Int(env["REPLIES_TOP"] ?? "15") ?? 15) {
                let hit = c.commentIDs.contains { labels[$0] == true } ? "*" : " "
                print(
                    " \(hit) \(c.rank) \(c.author) w=\(c.weight) \(c.date ?? "") [\(c.reasons.map { "\($0.id)" }.joined(separator: ","))] \(c.excerpt.prefix(90))"
                )
            }
            for c in plan.people.dropFirst(Int(env["REPLIES_TOP"] ?? "15") ?? 15)
            where c.commentIDs.contains(where: { labels[$0] == true }) {
                print(
                    " * \(c.rank) \(c.author) w=\(c.weight) \(c.date ?? "") [\(c.reasons.map { "\($0.id)" }.joined(separator: ","))] \(c.excerpt.prefix(90))"
                )
            }
        }
    }
}
