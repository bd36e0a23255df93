/// `eval --replies`: the reply planner's figures per source and pooled, as a table.
public enum ReplyEvaluationTable {
    /// The row pooling every source but the one with the most answered people.
    static let withoutLargest = "pooled w/o largest"

    public static func render(_ sources: [(name: String, report: ReplyEvaluationReport)]) -> String {
        var pooled = ReplyEvaluationReport()
        for source in sources { pooled.merge(source.report) }
        let pct = TableText.percent
        func p2(_ value: Double?) -> String {
            guard let value else { return "—" }
            let hundredths = Int((value * 100).rounded())
            return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
        }
        let nameWidth = max(Self.withoutLargest.count, sources.map(\.name.count).max() ?? 0)
        let widths = [nameWidth, 9, 6, 9, 6, 6, 6, 6, 6, 7]
        func row(_ cells: [String]) -> String { TableText.row(cells, widths) + "\n" }
        var out = "reply planning: answered/waiting status of genuine comments (threads with parent links, and\n"
        out += "linked only by names and words), and precision@k of the waiting order (k = people the author\n"
        out += "answered per post; the author's own comments removed) beside a random and a chronological order\n"
        out += row(["source", "threaded", "n", "by name", "n", "p@k", "random", "chron.", "k", "listed✗"])
        // The source with the most answered people can decide the pooled precision@k alone (a
        // forum-like blog where the author answers nearly everyone scores high in any order), so
        // the pool is given again without it. Pooling the rest rather than averaging sources keeps
        // a source with k = 4, where one person moves the figure by 0.25, from counting like one
        // with k = 40.
        var rows = sources + [("pooled", pooled)]
        let ranked = sources.filter { $0.report.ranking.k > 0 }
        let largest = ranked.max { $0.report.ranking.k < $1.report.ranking.k }
        if ranked.count >= 2, let largest {
            var rest = ReplyEvaluationReport()
            for source in sources where source.name != largest.name { rest.merge(source.report) }
            rows.append((Self.withoutLargest, rest))
        }
        for (name, report) in rows {
            out += row([
                name, pct(report.explicitThreads.accuracy), String(report.explicitThreads.comments),
                pct(report.implicitThreads.accuracy), String(report.implicitThreads.comments),
                p2(report.ranking.toolPrecision), p2(report.ranking.randomPrecision),
                p2(report.ranking.chronologicalPrecision), String(report.ranking.k),
                String(report.listedWithSpam + report.listedWithPingbacks),
            ])
        }
        out +=
            "(listed✗: people listed whose comments are spam or pingbacks; \(pooled.listedPeople) people listed in all;\n"
            + " \(pooled.listedSpamWithKeptComments) of the \(pooled.listedWithSpam) with spam also have a comment labelled ham on the same post)\n"
        if ranked.count >= 2, let largest {
            out +=
                "(\(Self.withoutLargest): the pool without \(largest.name),\n which holds k = \(largest.report.ranking.k) of "
                + "\(pooled.ranking.k) and so decides the pooled p@k; the rest are pooled, not averaged,\n so that a source "
                + "with a small k counts by its size)\n"
        }
        out +=
            "(set aside under \"check these first\" though called genuine: \(pooled.setAsideSpam) spam, \(pooled.setAsideHam) not spam)\n"
        return out
    }
}

extension ReplyEvaluationReport {
    /// Adds another source's counts, for the pooled row.
    public mutating func merge(_ other: ReplyEvaluationReport) {
        explicitThreads.merge(other.explicitThreads)
        implicitThreads.merge(other.implicitThreads)
        ranking.posts += other.ranking.posts
        ranking.k += other.ranking.k
        ranking.people += other.ranking.people
        ranking.toolHits += other.ranking.toolHits
        ranking.randomHits += other.ranking.randomHits
        ranking.chronologicalHits += other.ranking.chronologicalHits
        listedPeople += other.listedPeople
        listedWithSpam += other.listedWithSpam
        listedWithPingbacks += other.listedWithPingbacks
        listedWrongly += other.listedWrongly
        listedSpamWithKeptComments += other.listedSpamWithKeptComments
        setAsideSpam += other.setAsideSpam
        setAsideReaders += other.setAsideReaders
    }
}

extension StatusCounts {
    mutating func merge(_ other: StatusCounts) {
        answeredFound += other.answeredFound
        answeredWrongly += other.answeredWrongly
        answeredMissed += other.answeredMissed
        waitingFound += other.waitingFound
        notListed += other.notListed
        answeredNotListed += other.answeredNotListed
    }
}
