import HandraiserClassification
import HandraiserHeuristics
import HandraiserInput
import HandraiserModel
import HandraiserRules
import Testing

/// The classifier sums rule and check scores and turns the total, the type and the authorship
/// into a verdict. These tests use a small rule set and no built-in checks, so every score is visible.
@Suite struct ClassifierTests {
    static let rules = """
        body     T_PILLS     /\\bcheap\\s+pills\\b/i
        describe T_PILLS     Pills
        score    T_PILLS     3.0
        body     T_CASINO    /\\bcasino\\b/i
        describe T_CASINO    Casino
        score    T_CASINO    2.5
        body     __T_LINK    /https?:\\/\\//
        meta     T_PILLS_LINK (T_PILLS && __T_LINK)
        describe T_PILLS_LINK Pills with a link
        score    T_PILLS_LINK 2.0
        body     T_SLOW      /(a+)+$/
        describe T_SLOW      Catastrophic on purpose
        score    T_SLOW      1.0
        required_score 5.0
        hold_score 3.0
        """

    static func classifier(authorNames: [String] = []) throws -> Classifier {
        let ruleSet = try RuleSet.parse(rules, file: "test.cf")
        return try Classifier(ClassifierConfiguration(ruleSet: ruleSet, authorNames: authorNames), checks: [])
    }

    static func verdict(
        _ text: String, type: CommentType = .comment, author: String? = nil, authorship: Authorship? = nil,
        authorNames: [String] = []
    ) throws -> Verdict {
        let comment = Comment(
            id: "1", author: author, type: type, content: text, authorship: authorship,
            location: SourceLocation(file: "t", line: 1))
        let threads = try classifier(authorNames: authorNames).classify([Thread(post: Post(), comments: [comment])])
        return try #require(threads.first?.comments.first?.verdict)
    }

    @Test func scoresAddUpAcrossRulesAndMetaRules() throws {
        let verdict = try Self.verdict("Cheap pills here: http://x.example")
        #expect(verdict.kind == .spam)
        #expect(verdict.score == 5.0)
        // Sub-rules score nothing and are not shown as reasons.
        #expect(verdict.reasons.map(\.id) == ["T_PILLS", "T_PILLS_LINK"])
        #expect(verdict.reasons.first?.evidence?.excerpt == "Cheap pills")
    }

    @Test(arguments: [
        ("Cheap pills, no link", VerdictKind.held, 3.0),
        ("A casino trip", .genuine, 2.5),
        ("cheap pills at the casino", .spam, 5.5),
        ("Lovely photos of the garden", .genuine, 0),
    ])
    func thresholdsDecideSpamHeldAndGenuine(text: String, kind: VerdictKind, score: Double) throws {
        let verdict = try Self.verdict(text)
        #expect(verdict.kind == kind)
        #expect(verdict.score == score)
    }

    /// A keyword-phrase link counts only in a comment that opens a thread: the default rules'
    /// HR_KEYWORD_ANCHOR is tested against ThreadPlaceCheck's HC_IN_REPLY.
    @Test func keywordAnchorsCountOnlyOutsideReplies() throws {
        let classifier = try Classifier(ClassifierConfiguration(), checks: [ThreadPlaceCheck()])
        let content = #"Thanks, see <a href="https://shop.example/">car transport</a> for more"#
        let top = Comment(id: "1", content: content, location: SourceLocation(file: "t", line: 1))
        let reply = Comment(id: "2", parentID: "1", content: content, location: SourceLocation(file: "t", line: 2))
        let threads = classifier.classify([Thread(post: Post(), comments: [top, reply])])
        let reasons = try #require(threads.first).comments.map { $0.verdict.reasons.map(\.id) }
        #expect(reasons[0].contains("HR_KEYWORD_ANCHOR"))
        #expect(!reasons[1].contains("HR_KEYWORD_ANCHOR"))
    }

    @Test func pingbacksStayPingbacksUnlessTheyScoreAsSpam() throws {
        #expect(try Self.verdict("[…] a good write-up […]", type: .pingback).kind == .pingback)
        #expect(try Self.verdict("cheap pills casino", type: .trackback).kind == .spam)
    }

    @Test func thePostAuthorIsNeverSpamOnAStrongClaimButAGuessDoesNotOverrideSpam() throws {
        let strong = Authorship(isPostAuthor: true, confidence: 1, evidence: "user id")
        let guess = Authorship(isPostAuthor: true, confidence: 0.6, evidence: "named in the post")
        #expect(try Self.verdict("cheap pills casino", authorship: strong).kind == .author)
        #expect(try Self.verdict("cheap pills casino", authorship: guess).kind == .spam)
        #expect(try Self.verdict("Thanks, everyone", authorship: guess).kind == .author)
        #expect(try Self.verdict("Thanks", author: "  Ana   Ruiz ", authorNames: ["ana ruiz"]).kind == .author)
    }

    @Test func aRuleThatHitsAMatchLimitFailsAloneAndIsReported() throws {
        let text = "cheap pills " + String(repeating: "a", count: 50_000) + "!"
        let verdict = try Self.verdict(text)
        #expect(verdict.reasons.contains { $0.id == "T_PILLS" && $0.score == 3 })
        let failed = try #require(verdict.reasons.first { $0.id == "T_SLOW" })
        #expect(failed.score == 0)
        #expect(failed.description.hasPrefix("rule not applied"))
        #expect(failed.notApplied)
        #expect(verdict.rulesNotApplied == ["T_SLOW"])
        #expect(verdict.reasons.filter(\.notApplied).count == 1)
        #expect(verdict.kind == .held)
    }

    @Test func theClassifierCountsEveryCommentARuleFailedOnFromEveryWorker() throws {
        let ruleSet = try RuleSet.parse(Self.rules, file: "test.cf")
        let classifier = try Classifier(ClassifierConfiguration(ruleSet: ruleSet, workers: 4), checks: [])
        let slow = "cheap pills " + String(repeating: "a", count: 50_000) + "!"
        let comments = (0..<6).map { index in
            Comment(
                id: String(index), content: index % 2 == 0 ? slow : "A fine loaf, thanks",
                location: SourceLocation(file: "t", line: index + 1))
        }
        #expect(classifier.ruleFailures.tally.isEmpty)
        let threads = classifier.classify([Thread(post: Post(), comments: comments)])
        #expect(classifier.ruleFailures.tally.comments == ["T_SLOW": 3])
        var fromVerdicts = RuleFailureTally()
        for item in threads[0].comments { fromVerdicts.add(item.verdict) }
        #expect(fromVerdicts == classifier.ruleFailures.tally)
        #expect(threads[0].comments.map(\.verdict.kind) == [.held, .genuine, .held, .genuine, .held, .genuine])
    }

    @Test func nearDuplicatesAreJudgedAcrossTheWholeInput() throws {
        // With the built-in checks, one template under many names is found across threads.
        let classifier = try Classifier(ClassifierConfiguration(ruleSet: RuleSet.defaults))
        let template =
            "I really love this website, the information here is so useful, thanks a lot for sharing it with everyone"
        let threads = (0..<4).map { index in
            Thread(
                post: Post(id: "p\(index)"),
                comments: [
                    Comment(
                        id: "\(index)", author: "Visitor \(index)", content: template,
                        location: SourceLocation(file: "t", line: index + 1))
                ])
        }
        let verdicts = classifier.classify(threads).flatMap(\.comments).map(\.verdict)
        #expect(verdicts.allSatisfy { verdict in verdict.reasons.contains { $0.id.hasPrefix("HC_NEAR_DUPLICATE") } })
    }

    /// A check that always reports one finding, to see how findings are weighted.
    struct AlwaysFinds: Check {
        var findingIDs: [String: String] { ["T_FEED": "always", "T_SCORED": "always"] }
        func run(_ context: CheckContext) -> [Finding] {
            [Finding(id: "T_FEED", description: "feeds a meta rule"), Finding(id: "T_SCORED", description: "scored")]
        }
    }

    @Test func zeroWeightFindingsFeedMetaRulesButAreNotReasons() throws {
        let ruleSet = try RuleSet.parse(
            """
            score    T_FEED    0
            score    T_SCORED  1.5
            describe T_SCORED  Scored finding
            meta     T_META    (T_FEED && T_SCORED)
            describe T_META    Both findings
            score    T_META    2.0
            """, file: "feed.cf")
        let classifier = try Classifier(ClassifierConfiguration(ruleSet: ruleSet), checks: [AlwaysFinds()])
        let comment = Comment(id: "1", content: "Hello", location: SourceLocation(file: "t", line: 1))
        let verdict = try #require(
            classifier.classify([Thread(post: Post(), comments: [comment])]).first?.comments.first?.verdict)
        #expect(verdict.reasons.map(\.id) == ["T_META", "T_SCORED"])
        #expect(verdict.score == 3.5)
    }

    @Test func aHugeCommentIsJudgedOnItsFirstMegabyteAndSaysSo() throws {
        let filler = String(repeating: "é word ", count: Comment.judgedBytes / 8 + 1000)
        let early = try Self.verdict("cheap pills for sale! " + filler)
        #expect(early.reasons.map(\.id) == ["T_PILLS", Classifier.judgedPartID])
        #expect(early.reasons.first?.evidence?.range == 0..<11)
        // What stands after the first megabyte is not looked at.
        let late = try Self.verdict(filler + " cheap pills")
        #expect(late.reasons.map(\.id) == [Classifier.judgedPartID])
        #expect(try Self.verdict("cheap pills").reasons.map(\.id) == ["T_PILLS"])
    }

    @Test func theJudgedPartEndsOnACharacterBoundary() {
        let text = String(repeating: "é", count: Comment.judgedBytes)  // two bytes each
        let comment = Comment(id: "1", content: "x" + text, location: SourceLocation(file: "t", line: 1))
        let part = comment.judgedPart
        #expect(part.content.utf8.count <= Comment.judgedBytes)
        #expect(part.content.utf8.count >= Comment.judgedBytes - 1)
        #expect(part.content.unicodeScalars.dropFirst().allSatisfy { $0 == "é" })
    }
}
