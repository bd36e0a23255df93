import HandraiserModel

/// Measures verdicts against labels: the site's own moderation (`label`, or an export's status).
///
/// Spam recall counts only `spam` verdicts as caught; `held` is reported beside it, because a
/// held comment still waits for a person. A ham comment judged `spam` is a false positive — the
/// worst failure: a real reader the author never hears.
public enum SpamEvaluation {
    /// The label a comment carries: `label`, else `spam` for status spam and `ham` for approved.
    public static func label(of comment: Comment) -> EvaluationLabels.Label? {
        if let label = comment.labels.label { return label }
        switch comment.status {
        case .spam: return .spam
        case .approved: return .ham
        default: return nil
        }
    }

    /// Evaluates each named source and all of them pooled.
    public static func evaluate(
        _ sources: [(name: String, threads: [ClassifiedThread])], requiredScore: Double
    ) -> SpamEvaluationReport {
        var perSource: [(name: String, counts: SpamCounts)] = []
        var pooled = SpamCounts()
        var ruleHits: [String: (spam: Int, ham: Int)] = [:]
        var misses: [LabelledComment] = []
        var falsePositives: [LabelledComment] = []
        var scored: [(score: Double, isAuthor: Bool, label: EvaluationLabels.Label)] = []
        for source in sources {
            var counts = SpamCounts()
            for thread in source.threads {
                for item in thread.comments {
                    guard let label = label(of: item.comment) else {
                        counts.unlabelled += 1
                        continue
                    }
                    counts.add(label: label, verdict: item.verdict.kind)
                    scored.append((item.verdict.score, item.verdict.kind == .author, label))
                    for id in Set(item.verdict.reasons.filter { $0.score != 0 }.map(\.id)) {
                        var entry = ruleHits[id] ?? (0, 0)
                        if label == .spam { entry.spam += 1 } else { entry.ham += 1 }
                        ruleHits[id] = entry
                    }
                    let labelled = LabelledComment(source: source.name, post: thread.post, comment: item)
                    if label == .spam && item.verdict.kind != .spam { misses.append(labelled) }
                    if label == .ham && item.verdict.kind == .spam { falsePositives.append(labelled) }
                }
            }
            perSource.append((source.name, counts))
            pooled.merge(counts)
        }
        let totalSpam = scored.filter { $0.label == .spam }.count
        let totalHam = scored.count - totalSpam
        var sweep: [SweepPoint] = []
        for step in 4...16 {
            let threshold = Double(step) / 2
            var caught = 0
            var flagged = 0
            for item in scored where !item.isAuthor && item.score >= threshold {
                if item.label == .spam { caught += 1 } else { flagged += 1 }
            }
            sweep.append(
                SweepPoint(
                    threshold: threshold, recall: ratio(caught, totalSpam), falsePositiveRate: ratio(flagged, totalHam),
                    isCurrent: threshold == requiredScore))
        }
        let rules = ruleHits.map { RuleStatistics(id: $0.key, spamHits: $0.value.spam, hamHits: $0.value.ham) }
            .sorted { ($0.spamHits + $0.hamHits, $1.id) > ($1.spamHits + $1.hamHits, $0.id) }
        return SpamEvaluationReport(
            perSource: perSource, pooled: pooled, rules: rules, sweep: sweep, misses: misses,
            falsePositives: falsePositives)
    }

    static func ratio(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
}

/// Confusion counts for one source or pooled.
public struct SpamCounts: Sendable, Hashable {
    public var spam = 0
    public var ham = 0
    /// Spam judged `spam`.
    public var caughtSpam = 0
    /// Spam judged `held`.
    public var heldSpam = 0
    /// Ham judged `spam`: false positives.
    public var flaggedHam = 0
    /// Ham judged `held`.
    public var heldHam = 0
    public var unlabelled = 0

    public init() {}

    mutating func add(label: EvaluationLabels.Label, verdict: VerdictKind) {
        switch label {
        case .spam:
            spam += 1
            if verdict == .spam { caughtSpam += 1 }
            if verdict == .held { heldSpam += 1 }
        case .ham:
            ham += 1
            if verdict == .spam { flaggedHam += 1 }
            if verdict == .held { heldHam += 1 }
        }
    }

    mutating func merge(_ other: SpamCounts) {
        spam += other.spam
        ham += other.ham
        caughtSpam += other.caughtSpam
        heldSpam += other.heldSpam
        flaggedHam += other.flaggedHam
        heldHam += other.heldHam
        unlabelled += other.unlabelled
    }

    /// Share of spam judged spam.
    public var recall: Double? { SpamEvaluation.ratio(caughtSpam, spam) }
    /// Share of `spam` verdicts that were spam.
    public var precision: Double? { SpamEvaluation.ratio(caughtSpam, caughtSpam + flaggedHam) }
    /// Share of ham judged spam.
    public var falsePositiveRate: Double? { SpamEvaluation.ratio(flaggedHam, ham) }
    public var hamHeldRate: Double? { SpamEvaluation.ratio(heldHam, ham) }
    public var spamHeldRate: Double? { SpamEvaluation.ratio(heldSpam, spam) }
}

/// How one rule or check did: SpamAssassin's S/O ratio is the share of its hits that were spam.
public struct RuleStatistics: Sendable, Hashable {
    public var id: String
    public var spamHits: Int
    public var hamHits: Int
    public var spamToOverall: Double? { SpamEvaluation.ratio(spamHits, spamHits + hamHits) }
}

public struct SweepPoint: Sendable, Hashable {
    public var threshold: Double
    public var recall: Double?
    public var falsePositiveRate: Double?
    public var isCurrent: Bool
}

public struct LabelledComment: Sendable {
    public var source: String
    public var post: Post
    public var comment: ClassifiedComment
}

public struct SpamEvaluationReport: Sendable {
    public var perSource: [(name: String, counts: SpamCounts)]
    public var pooled: SpamCounts
    public var rules: [RuleStatistics]
    public var sweep: [SweepPoint]
    public var misses: [LabelledComment]
    public var falsePositives: [LabelledComment]

    /// The report as a plain-text table.
    public func rendered() -> String {
        let pct = TableText.percent
        let row = TableText.row
        let nameWidth = max(8, perSource.map(\.name.count).max() ?? 8)
        let widths = [nameWidth, 6, 6, 8, 8, 8, 8, 8, 8]
        var out =
            row(["source", "spam", "ham", "recall", "held", "prec.", "FP rate", "ham held", "FPs"], widths) + "\n"
        for (name, counts) in perSource + [("pooled", pooled)] {
            out +=
                row(
                    [
                        name, String(counts.spam), String(counts.ham), pct(counts.recall), pct(counts.spamHeldRate),
                        pct(counts.precision), pct(counts.falsePositiveRate), pct(counts.hamHeldRate),
                        String(counts.flaggedHam),
                    ], widths) + "\n"
        }
        let unlabelled = pooled.unlabelled
        if unlabelled > 0 { out += "(\(unlabelled) comments without a label were not counted)\n" }
        out += "\nthreshold sweep (score ≥ t counts as spam; author comments excluded)\n"
        out += row(["t", "recall", "FP rate"], [6, 8, 8]) + "\n"
        for point in sweep {
            out +=
                row(
                    [
                        String(format1: point.threshold) + (point.isCurrent ? "*" : ""), pct(point.recall),
                        pct(point.falsePositiveRate),
                    ], [6, 8, 8]) + "\n"
        }
        out += "\nper rule/check: hits on spam, on ham, S/O (share of hits that are spam)\n"
        let idWidth = max(10, rules.map(\.id.count).max() ?? 10)
        out += row(["id", "spam", "ham", "S/O"], [idWidth, 6, 6, 7]) + "\n"
        for rule in rules {
            out +=
                row(
                    [rule.id, String(rule.spamHits), String(rule.hamHits), pct(rule.spamToOverall)], [idWidth, 6, 6, 7])
                + "\n"
        }
        return out
    }
}

extension String {
    /// One decimal place, without Foundation's locale-dependent formatting.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        self = "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
