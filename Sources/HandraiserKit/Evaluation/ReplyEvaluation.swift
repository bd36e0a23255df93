import HandraiserModel
import HandraiserReplies

/// Measures the reply planner against the labels `replied` and `by_post_author`.
///
/// Three questions: (a) does the planner see which comments the author already answered;
/// (b) with the author's own comments taken out, does its ranking put first the people the
/// author really answered (precision at k, k = how many they answered), beside a random and a
/// chronological order of the same people; (c) does it ever list spam or pingbacks as people.
public struct ReplyEvaluation {
    /// Evaluates `threads` (classified, with labels) using `planner`.
    public static func evaluate(_ threads: [ClassifiedThread], planner: ReplyPlanner) -> ReplyEvaluationReport {
        var report = ReplyEvaluationReport()
        let full = planner.plan(threads)
        report.explicitThreads = statusCounts(threads, full, explicit: true)
        report.implicitThreads = statusCounts(threads, full, explicit: false)
        (
            report.listedPeople, report.listedWithSpam, report.listedWithPingbacks, report.listedWrongly,
            report.listedSpamWithKeptComments
        ) = listedProblems(threads, full)
        (report.setAsideSpam, report.setAsideReaders) = setAside(threads, full)

        // Ranking: the author's own comments removed, so nothing shows who was answered.
        let withoutAuthor = threads.map { thread in
            ClassifiedThread(
                thread: thread.thread, comments: thread.comments.filter { $0.comment.labels.byPostAuthor != true })
        }
        report.ranking = ranking(withoutAuthor, planner.plan(withoutAuthor))
        return report
    }

    // MARK: - (a) status

    private static func isExplicit(_ thread: ClassifiedThread) -> Bool {
        thread.comments.contains { $0.comment.parentID != nil }
    }

    private static func statusCounts(
        _ threads: [ClassifiedThread], _ report: ReplyReport, explicit: Bool
    ) -> StatusCounts {
        var counts = StatusCounts()
        var plans: [String: [String: ReplyCandidate]] = [:]
        for plan in report.posts {
            var byComment: [String: ReplyCandidate] = [:]
            for candidate in plan.people + plan.held {
                for id in candidate.commentIDs { byComment[id] = candidate }
            }
            plans[postKey(plan.post), default: [:]].merge(byComment) { first, _ in first }
        }
        for thread in threads where isExplicit(thread) == explicit {
            let listed = plans[postKey(thread.post)] ?? [:]
            for item in thread.comments where item.verdict.kind == .genuine && item.comment.type == .comment {
                let labels = item.comment.labels
                guard labels.byPostAuthor != true, let replied = labels.replied else { continue }
                guard let candidate = listed[item.comment.id] else {
                    counts.notListed += 1
                    if replied { counts.answeredNotListed += 1 }
                    continue
                }
                let predicted = candidate.answeredCommentIDs.contains(item.comment.id)
                switch (predicted, replied) {
                case (true, true): counts.answeredFound += 1
                case (true, false): counts.answeredWrongly += 1
                case (false, true): counts.answeredMissed += 1
                case (false, false): counts.waitingFound += 1
                }
            }
        }
        return counts
    }

    private static func postKey(_ post: Post) -> String {
        (post.id ?? "") + "\u{1F}" + (post.title ?? "") + "\u{1F}" + (post.url ?? "")
    }

    // MARK: - (c) spam and pingbacks listed

    private static func listedProblems(
        _ threads: [ClassifiedThread], _ report: ReplyReport
    ) -> (Int, Int, Int, [ClassifiedComment], Int) {
        var comments: [String: [String: ClassifiedComment]] = [:]
        for thread in threads {
            for item in thread.comments { comments[postKey(thread.post), default: [:]][item.comment.id] = item }
        }
        var people = 0
        var spam = 0
        var pingbacks = 0
        var wrongly: [ClassifiedComment] = []
        var spamWithKept = 0
        func isSpam(_ comment: Comment) -> Bool { comment.labels.label == .spam || comment.status == .spam }
        for plan in report.posts {
            let known = comments[postKey(plan.post)] ?? [:]
            for candidate in plan.people {
                people += 1
                let mine = candidate.commentIDs.compactMap { known[$0] }
                if mine.contains(where: { isSpam($0.comment) }) {
                    spam += 1
                    // The same person's other comment here the site kept: a double post or a
                    // follow-up, where one copy's spam label is more likely the site's slip.
                    if mine.contains(where: { $0.comment.labels.label == .ham && $0.comment.type == .comment }) {
                        spamWithKept += 1
                    }
                }
                if mine.contains(where: { $0.comment.type != .comment }) { pingbacks += 1 }
                wrongly += mine.filter { isSpam($0.comment) || $0.comment.type != .comment }
            }
        }
        return (people, spam, pingbacks, wrongly, spamWithKept)
    }

    /// Comments the classifier called genuine that the plan holds back under "check these first",
    /// counted by label: spam kept off the list, and readers the author may now overlook.
    private static func setAside(
        _ threads: [ClassifiedThread], _ report: ReplyReport
    ) -> (spam: Int, readers: [ClassifiedComment]) {
        var comments: [String: [String: ClassifiedComment]] = [:]
        for thread in threads {
            for item in thread.comments { comments[postKey(thread.post), default: [:]][item.comment.id] = item }
        }
        var spam = 0
        var readers: [ClassifiedComment] = []
        for plan in report.posts {
            let known = comments[postKey(plan.post)] ?? [:]
            for candidate in plan.held {
                for item in candidate.commentIDs.compactMap({ known[$0] }) where item.verdict.kind == .genuine {
                    if item.comment.labels.label == .spam || item.comment.status == .spam {
                        spam += 1
                    } else {
                        readers.append(item)
                    }
                }
            }
        }
        return (spam, readers)
    }

    // MARK: - (b) ranking

    private static func ranking(_ threads: [ClassifiedThread], _ report: ReplyReport) -> RankingCounts {
        var counts = RankingCounts()
        var replied: [String: Set<String>] = [:]
        var positions: [String: [String: Int]] = [:]
        for thread in threads {
            let key = postKey(thread.post)
            for (position, item) in thread.comments.enumerated() {
                positions[key, default: [:]][item.comment.id] = position
                if item.comment.labels.replied == true { replied[key, default: []].insert(item.comment.id) }
            }
        }
        var generator = SplitMix64(seed: 0x4841_4E44)
        for plan in report.posts {
            let key = postKey(plan.post)
            let answered = replied[key] ?? []
            // Held people count too, ranked after everyone in the list: setting aside a comment the
            // author did answer is a miss, not a smaller k.
            let people = (plan.people + plan.held).filter { $0.status == .waiting }
            let relevant = people.map { !answered.isDisjoint(with: $0.commentIDs) }
            let k = relevant.filter { $0 }.count
            guard k > 0 else { continue }
            counts.posts += 1
            counts.k += k
            counts.people += people.count
            counts.toolHits += relevant.prefix(k).filter { $0 }.count
            // Chronological: by the position of each person's first comment.
            let place = positions[key] ?? [:]
            let chronological = people.indices.sorted { a, b in
                let pa = people[a].commentIDs.compactMap { place[$0] }.min() ?? .max
                let pb = people[b].commentIDs.compactMap { place[$0] }.min() ?? .max
                return pa < pb
            }
            counts.chronologicalHits += chronological.prefix(k).filter { relevant[$0] }.count
            var randomTotal = 0
            for _ in 0..<randomRounds {
                var order = Array(people.indices)
                order.shuffle(using: &generator)
                randomTotal += order.prefix(k).filter { relevant[$0] }.count
            }
            counts.randomHits += Double(randomTotal) / Double(randomRounds)
        }
        return counts
    }

    static let randomRounds = 50
}

/// What `ReplyEvaluation` measured.
public struct ReplyEvaluationReport: Sendable, Hashable {
    /// Status of genuine non-author comments in threads with parent links.
    public var explicitThreads = StatusCounts()
    /// Status where only names or words can link the author's answers.
    public var implicitThreads = StatusCounts()
    public var ranking = RankingCounts()
    /// People listed (genuine) on the full input.
    public var listedPeople = 0
    /// Listed people with a comment labelled spam.
    public var listedWithSpam = 0
    /// Listed people with a pingback or trackback.
    public var listedWithPingbacks = 0
    /// Of `listedWithSpam`, people who also have a comment labelled ham on the same post.
    public var listedSpamWithKeptComments = 0
    /// The comments behind `listedWithSpam` and `listedWithPingbacks`, in plan order, to study.
    public var listedWrongly: [ClassifiedComment] = []
    /// Genuine-verdict comments the plan set aside under "check these first", labelled spam.
    public var setAsideSpam = 0
    /// The same, labelled ham (or unlabelled): readers kept off the list, to study.
    public var setAsideReaders: [ClassifiedComment] = []
    public var setAsideHam: Int { setAsideReaders.count }

    public init() {}
}

/// Answered/waiting decisions against the `replied` label.
public struct StatusCounts: Sendable, Hashable {
    /// Labelled replied, planner says answered.
    public var answeredFound = 0
    /// Labelled not replied, planner says answered.
    public var answeredWrongly = 0
    /// Labelled replied, planner says waiting.
    public var answeredMissed = 0
    /// Labelled not replied, planner says waiting.
    public var waitingFound = 0
    /// Genuine comments the planner did not list at all (taken for the author's, or filtered).
    public var notListed = 0
    /// Of those, how many were labelled replied.
    public var answeredNotListed = 0

    public init() {}

    public var comments: Int { answeredFound + answeredWrongly + answeredMissed + waitingFound + notListed }
    public var correct: Int { answeredFound + waitingFound }
    /// Share of comments with the right status (unlisted comments count as wrong).
    public var accuracy: Double? { comments == 0 ? nil : Double(correct) / Double(comments) }
    /// Of the comments labelled replied, the share the planner saw as answered.
    public var answeredRecall: Double? {
        let total = answeredFound + answeredMissed + answeredNotListed
        return total == 0 ? nil : Double(answeredFound) / Double(total)
    }
    /// Of the comments the planner saw as answered, the share labelled replied.
    public var answeredPrecision: Double? {
        let total = answeredFound + answeredWrongly
        return total == 0 ? nil : Double(answeredFound) / Double(total)
    }
}

/// Precision at k of the planner's order, a random order and the chronological order.
public struct RankingCounts: Sendable, Hashable {
    /// Posts where the author answered someone.
    public var posts = 0
    /// Sum over posts of k, the number of people the author answered.
    public var k = 0
    /// People listed on those posts.
    public var people = 0
    public var toolHits = 0
    /// Average over seeded shuffles.
    public var randomHits = 0.0
    public var chronologicalHits = 0

    public init() {}

    public var toolPrecision: Double? { k == 0 ? nil : Double(toolHits) / Double(k) }
    public var randomPrecision: Double? { k == 0 ? nil : randomHits / Double(k) }
    public var chronologicalPrecision: Double? { k == 0 ? nil : Double(chronologicalHits) / Double(k) }
}
