/// How many comments each rule could not be applied to — it hit a PCRE2 match, depth or heap
/// limit, or the per-comment time budget ran out (`HR_TIME_BUDGET`) — so every summary can say
/// that a verdict was reached without some rules.
public struct RuleFailureTally: Sendable, Hashable {
    /// Rule id → the number of comments it was not applied to.
    public private(set) var comments: [String: Int] = [:]

    public init() {}

    public var isEmpty: Bool { comments.isEmpty }

    /// Failures over all rules (a comment with two failed rules counts twice).
    public var total: Int { comments.values.reduce(0, +) }

    /// Counts the rules `verdict` says were not applied, each once.
    public mutating func add(_ verdict: Verdict) {
        for id in Set(verdict.rulesNotApplied) { add(ruleID: id) }
    }

    public mutating func add(ruleID: String, comments count: Int = 1) {
        comments[ruleID, default: 0] += count
    }

    public mutating func merge(_ other: RuleFailureTally) {
        for (id, count) in other.comments { add(ruleID: id, comments: count) }
    }

    /// How many rules `summary` names; the rest are counted.
    public static let namedInSummary = 5

    /// "rules not applied: HR_TIME_BUDGET on 2 comments, MY_SLOW on 1 comment" (most comments
    /// first, then by id; past five rules, "and 12 more rules"), or nil when every rule ran.
    public var summary: String? {
        guard !comments.isEmpty else { return nil }
        let ordered = comments.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        var parts = ordered.prefix(Self.namedInSummary).map { id, count in
            "\(id) on \(count) comment\(count == 1 ? "" : "s")"
        }
        let more = ordered.count - parts.count
        if more > 0 { parts.append("and \(more) more rule\(more == 1 ? "" : "s")") }
        return "rule\(comments.count == 1 ? "" : "s") not applied: " + parts.joined(separator: ", ")
    }
}
