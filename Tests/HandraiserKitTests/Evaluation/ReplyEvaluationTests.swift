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
}
