import HandraiserEvaluation
import HandraiserModel
import HandraiserReplies
import Testing

/// `ReplyEvaluation` on a small made-up thread: what it counts as listed wrongly.
@Suite struct ReplyEvaluationTests {
    static func item(
        _ id: String, _ author: String, _ text: String, label: EvaluationLabels.Label, type: CommentType = .comment,
        score: Double = 0
    ) -> ClassifiedComment {
        let comment = Comment(
            id: id, postID: "p1", author: author, type: type, content: text,
            labels: EvaluationLabels(label: label, replied: false), location: SourceLocation(file: "t", line: 1))
        let reasons = score > 0 ? [Reason(id: "HR_TEST", description: "a test rule", score: score)] : []
        return ClassifiedComment(comment: comment, verdict: Verdict(kind: .genuine, score: score, reasons: reasons))
    }

    @Test func listsTheSpamAndPingbacksItCounts() {
        let items = [
            Self.item("1", "Ada Reader", "How did you set up the build cache on the second machine?", label: .ham),
            Self.item("2", "Bo Seller", "Which theme is this? I sell a nicer one at my shop.", label: .spam),
            Self.item(
                "3", "Other Blog", "[…] a good write-up over at this blog […]", label: .ham, type: .pingback),
        ]
        let post = Post(id: "p1", title: "Build caches", author: "Cy Author")
        let thread = ClassifiedThread(thread: Thread(post: post, comments: items.map(\.comment)), comments: items)
        let report = ReplyEvaluation.evaluate([thread], planner: ReplyPlanner())
        #expect(report.listedWithSpam == 1)
        #expect(report.listedWrongly.map(\.comment.id).contains("2"))
        #expect(report.listedWrongly.count == report.listedWithSpam + report.listedWithPingbacks)
    }

    @Test func countsListedSpamWhoseAuthorAlsoHasAKeptComment() {
        let items = [
            Self.item("1", "Ada Reader", "Does the cache survive a reboot of the runner?", label: .ham),
            // The same person's follow-up, which the site labelled spam.
            Self.item("2", "Ada Reader", "Found it: the runner wipes the folder at start.", label: .spam),
            Self.item("3", "Bo Seller", "Which theme is this? I sell a nicer one at my shop.", label: .spam),
        ]
        let post = Post(id: "p1", title: "Build caches", author: "Cy Author")
        let thread = ClassifiedThread(thread: Thread(post: post, comments: items.map(\.comment)), comments: items)
        let report = ReplyEvaluation.evaluate([thread], planner: ReplyPlanner())
        #expect(report.listedWithSpam == 2)
        #expect(report.listedSpamWithKeptComments == 1)
    }

    @Test func countsWhatItSetsAsideByLabel() {
        let items = [
            Self.item("1", "Ada Reader", "How did you set up the build cache on the second machine?", label: .ham),
            Self.item("2", "Bo Seller", "Great read, my shop has more of it.", label: .spam, score: 3),
            Self.item("3", "Cy Visitor", "Hi", label: .ham),
        ]
        let post = Post(id: "p1", title: "Build caches", author: "Dee Author")
        let thread = ClassifiedThread(thread: Thread(post: post, comments: items.map(\.comment)), comments: items)
        let report = ReplyEvaluation.evaluate([thread], planner: ReplyPlanner())
        #expect(report.setAsideSpam == 1)
        #expect(report.setAsideHam == 1)
    }

    @Test func theTablePoolsAgainWithoutTheSourceWithTheMostAnsweredPeople() {
        func source(_ name: String, k: Int, hits: Int) -> (name: String, report: ReplyEvaluationReport) {
            var report = ReplyEvaluationReport()
            report.ranking.posts = 1
            report.ranking.k = k
            report.ranking.toolHits = hits
            report.ranking.chronologicalHits = hits
            report.ranking.randomHits = Double(hits)
            return (name, report)
        }
        let table = ReplyEvaluationTable.render([
            source("forum", k: 90, hits: 90), source("blog-a", k: 6, hits: 3), source("blog-b", k: 4, hits: 1),
        ])
        let rows = table.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(rows.contains("pooled — 0 — 0 0.94 0.94 0.94 100 0"))
        // (3 + 1) of (6 + 4), not the mean of 0.50 and 0.25.
        #expect(rows.contains("pooled w/o largest — 0 — 0 0.40 0.40 0.40 10 0"))
        #expect(table.contains("(pooled w/o largest: the pool without forum,\n which holds k = 90 of 100 and"))
        // One source with answered people: nothing to leave out.
        let single = ReplyEvaluationTable.render([source("blog-a", k: 6, hits: 3)])
        #expect(!single.contains("w/o largest"))
    }
}
