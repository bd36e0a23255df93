import Dispatch
import HandraiserHeuristics
import HandraiserMatching
import HandraiserModel
import HandraiserRules

import class Foundation.NSLock
import class Foundation.ProcessInfo

/// What the classifier needs to know beyond the comments themselves.
public struct ClassifierConfiguration: Sendable {
    /// Default rules plus the user's, with all weights (rule and check scores) and thresholds.
    public var ruleSet: RuleSet
    /// Names the user says are the post author's (`--author`, `--team`).
    public var authorNames: [String]
    public var limits: MatchLimits
    /// How many comments are classified at once; the results keep the input order either way.
    public var workers: Int

    public init(
        ruleSet: RuleSet = .defaults, authorNames: [String] = [], limits: MatchLimits = .standard,
        workers: Int = ClassifierConfiguration.defaultWorkers
    ) {
        self.ruleSet = ruleSet
        self.authorNames = authorNames
        self.limits = limits
        self.workers = max(1, workers)
    }

    /// One worker per core, or `HANDRAISER_WORKERS` when set.
    public static var defaultWorkers: Int {
        if let value = ProcessInfo.processInfo.environment["HANDRAISER_WORKERS"], let workers = Int(value),
            workers > 0
        {
            return workers
        }
        return ProcessInfo.processInfo.activeProcessorCount
    }
}

/// Runs rules and built-in checks on every comment, sums their scores and assigns a verdict.
///
/// Score ≥ `required_score` → spam; ≥ `hold_score` → held; otherwise genuine, or pingback / author
/// by the comment's type and authorship. The post author's own comments are never spam unless
/// their authorship was only a weak guess.
public final class Classifier: Sendable {
    public let configuration: ClassifierConfiguration
    private let engine: RuleEngine
    private let checks: [any Check]
    private let authorKeys: Set<String>
    /// Every rule this classifier could not apply, per rule id, over all the comments it judged:
    /// for summaries of runs whose verdicts are not kept (the streamed filter).
    public let ruleFailures = RuleFailureLog()

    public init(_ configuration: ClassifierConfiguration, checks: [any Check] = BuiltInChecks.all) throws(RuleFileError)
    {
        self.configuration = configuration
        if let prepared = RuleEngine.prepared(for: configuration.ruleSet, limits: configuration.limits) {
            self.engine = prepared
        } else {
            self.engine = try RuleEngine(
                configuration.ruleSet, limits: configuration.limits, workers: configuration.workers)
        }
        self.checks = checks
        self.authorKeys = Set(configuration.authorNames.map(NameMatching.key))
    }

    /// Classifies every comment of `threads`; near-duplicates are judged across all of them.
    public func classify(_ threads: [Thread]) -> [ClassifiedThread] {
        classify(threads, corpus: CorpusIndex(comments: threads.lazy.flatMap { $0.comments }))
    }

    /// Classifies the comments of `threads` against an index of the whole input, on
    /// `configuration.workers` threads at once; the result is in input order.
    public func classify(_ threads: [Thread], corpus: CorpusIndex) -> [ClassifiedThread] {
        var items: [(comment: Comment, thread: Int)] = []
        // The checks look in a comment's thread only for the comment it replies to (the first of
        // the thread with that id), so a reply is judged in a thread of that comment and itself:
        // searching a thread of a million comments for every reply would take quadratic time.
        // A part of a long thread brings the parents of its replies along, from wherever they stand.
        var contexts = threads
        for (index, thread) in threads.enumerated() {
            let candidates = thread.part?.parents ?? thread.comments
            var firstWithID: [String: Int] = [:]
            if thread.comments.contains(where: { $0.parentID != nil }) {
                for (position, comment) in candidates.enumerated() where firstWithID[comment.id] == nil {
                    firstWithID[comment.id] = position
                }
            }
            for comment in thread.comments {
                guard let parentID = comment.parentID else {
                    items.append((comment, index))
                    continue
                }
                let parent = firstWithID[parentID].map { candidates[$0] }
                items.append((comment, contexts.count))
                contexts.append(Thread(post: thread.post, comments: (parent.map { [$0] } ?? []) + [comment]))
            }
        }
        let verdicts = verdicts(for: items, in: contexts, corpus: corpus)
        var next = 0
        return threads.map { thread in
            let classified = thread.comments.map { comment in
                defer { next += 1 }
                return ClassifiedComment(comment: comment, verdict: verdicts[next])
            }
            return ClassifiedThread(thread: thread, comments: classified)
        }
    }

    /// The verdicts of `items`, each a comment and the index of its thread in `threads`, on
    /// `configuration.workers` threads at once, in the order given.
    public func verdicts(
        for items: [(comment: Comment, thread: Int)], in threads: [Thread], corpus: CorpusIndex
    )
        -> [Verdict]
    {
        ParallelMap.map(items, workers: configuration.workers, setUp: { MatchScratch(limits: configuration.limits) }) {
            item, scratch in
            verdict(for: item.comment, in: threads[item.thread], corpus: corpus, scratch: scratch)
        }
    }

    /// Classifies one thread against an index of the whole input (for streamed inputs).
    public func classify(_ thread: Thread, corpus: CorpusIndex, scratch: MatchScratch) -> ClassifiedThread {
        ClassifiedThread(
            thread: thread,
            comments: thread.comments.map { comment in
                ClassifiedComment(
                    comment: comment, verdict: verdict(for: comment, in: thread, corpus: corpus, scratch: scratch))
            })
    }

    /// The verdict for one comment of `thread`.
    public func verdict(for comment: Comment, in thread: Thread, corpus: CorpusIndex, scratch: MatchScratch) -> Verdict
    {
        guard !comment.isOverJudgedLength else {
            var verdict = verdict(for: comment.judgedPart, in: thread, corpus: corpus, scratch: scratch)
            verdict.reasons.append(
                Reason(
                    id: Self.judgedPartID,
                    description:
                        "only the first \(Comment.judgedBytes >> 20) MB of \(comment.text.utf8.count) bytes were judged",
                    score: 0))
            return verdict
        }
        let normalized = NormalizedText(comment.text)
        let links = LinkExtractor.links(in: comment)
        let context = CheckContext(
            comment: comment, thread: thread, corpus: corpus, normalized: normalized, links: links)
        let findings = checks.flatMap { $0.run(context) }

        let input = Self.ruleInput(comment, thread: thread, normalized: normalized, links: links)
        let evaluation = engine.evaluate(input, facts: Set(findings.map(\.id)), scratch: scratch)

        let ruleSet = configuration.ruleSet
        var reasons: [Reason] = []
        for hit in evaluation.hits where !hit.id.hasPrefix("__") {
            reasons.append(Reason(id: hit.id, description: hit.description, score: hit.score, evidence: hit.evidence))
        }
        // Findings weighted 0 only feed meta rules, like SpamAssassin's __ sub-rules: not reasons.
        for finding in findings {
            guard let score = ruleSet.score(for: finding.id), score != 0 else { continue }
            reasons.append(
                Reason(id: finding.id, description: finding.description, score: score, evidence: finding.evidence))
        }
        for error in evaluation.errors {
            reasons.append(
                Reason(id: error.ruleID, description: "rule not applied: \(error.message)", score: 0, notApplied: true))
        }
        if !evaluation.errors.isEmpty { ruleFailures.record(evaluation.errors.map(\.ruleID)) }
        let score = reasons.reduce(0) { $0 + $1.score }
        let kind = decide(comment, score: score, findings: findings)
        return Verdict(kind: kind, score: score, reasons: reasons)
    }

    /// What the rules see of `comment`: its normalised text, its content as given, the header
    /// fields and every link.
    public static func ruleInput(
        _ comment: Comment, thread: Thread, normalized: NormalizedText, links: [FoundLink]
    ) -> RuleInput {
        var fields: [String: String] = [:]
        fields["author"] = comment.author
        fields["email"] = comment.authorEmail
        fields["url"] = comment.authorURL
        fields["ip"] = comment.authorIP
        fields["post_title"] = thread.post.title
        return RuleInput(body: normalized.text, rawbody: comment.content, fields: fields, uris: links.map(\.url))
    }

    private func decide(_ comment: Comment, score: Double, findings: [Finding]) -> VerdictKind {
        let ruleSet = configuration.ruleSet
        let isSpam = score >= ruleSet.requiredScore
        if !authorKeys.isEmpty, let author = comment.author, authorKeys.contains(NameMatching.key(author)) {
            return .author
        }
        if let authorship = comment.authorship, authorship.isPostAuthor {
            // A strong claim (the export's user id, --author) wins over the score; a guess does not.
            if authorship.confidence >= 0.75 || !isSpam { return .author }
        }
        if isSpam { return .spam }
        let looksLikePingback = comment.type != .comment || findings.contains { $0.id == Self.pingbackShapeID }
        if looksLikePingback { return .pingback }
        return score >= ruleSet.holdScore ? .held : .genuine
    }

    static let pingbackShapeID = "HC_PINGBACK_SHAPE"
    /// Says that a very long comment was judged on its first part (`Comment.judgedBytes`).
    public static let judgedPartID = "HC_JUDGED_FIRST_MB"
}

/// Counts rule failures from every worker at once. Failures are rare, so the lock is taken only
/// when a rule failed.
public final class RuleFailureLog: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = RuleFailureTally()

    public init() {}

    /// Adds one comment's failed rules (each once).
    func record(_ ruleIDs: [String]) {
        lock.lock()
        defer { lock.unlock() }
        for id in Set(ruleIDs) { counts.add(ruleID: id) }
    }

    /// What has been counted so far.
    public var tally: RuleFailureTally {
        lock.lock()
        defer { lock.unlock() }
        return counts
    }
}
