import HandraiserModel
import HandraiserOutput
import Testing

@Suite struct ScanRenderersTests {
    static let result: ScanResult = {
        let spam = Comment(
            id: "2", author: "=HYPERLINK(\"http://x\")", date: "2024-05-01", content: "<b>cheap</b> pills \u{1B}[31m",
            location: SourceLocation(file: "in.jsonl", line: 2))
        let person = Comment(
            id: "1", author: "Ana", content: "Lovely <script>x</script>post, \"thanks\" & more",
            location: SourceLocation(file: "in.jsonl", line: 1))
        let evidence = Evidence(field: .text, in: spam.text, range: 0..<5)
        let thread = ClassifiedThread(
            thread: Thread(post: Post(id: "p", title: "Bread <3"), comments: [person, spam]),
            comments: [
                ClassifiedComment(comment: person, verdict: Verdict(kind: .genuine, score: 0, reasons: [])),
                ClassifiedComment(
                    comment: spam,
                    verdict: Verdict(
                        kind: .spam, score: 5.5,
                        reasons: [Reason(id: "R_PILLS", description: "Pills", score: 5.5, evidence: evidence)])),
            ])
        return ScanResult(sources: [ScanResult.Source(name: "in.jsonl", threads: [thread])])
    }()

    @Test func tableShowsEveryCommentAndTheReasonForSpamWithoutRawEscapes() {
        var renderer = ScanTableRenderer(useColor: false, showReasons: false, width: 80)
        let text = renderer.render(Self.result)
        #expect(
            text == """
                Bread <3  (in.jsonl)
                  #   verdict    score  author              comment
                  1   genuine        0  Ana                 Lovely post, "thanks" & more
                  2   spam         5.5  =HYPERLINK("http:…  cheap pills ␛[31m
                      why: R_PILLS Pills: “cheap”

                2 comments in 1 post: 1 spam, 1 genuine.

                """)
    }

    @Test func jsonRecordsCarryVerdictScoreAndReasonsWithSpans() {
        let record = CommentRecordWriter.json(Self.result.allComments[1], post: Self.result.sources[0].threads[0].post)
        #expect(
            record
                == #"{"id":"2","parent_id":null,"post_id":"p","post_title":"Bread <3","author":"=HYPERLINK(\"http://x\")","date":"2024-05-01","type":"comment","content":"<b>cheap</b> pills \u001b[31m","verdict":"spam","score":5.5,"reasons":[{"id":"R_PILLS","score":5.5,"description":"Pills","evidence":"cheap","field":"text","span":[0,5]}]}"#
        )
    }

    @Test func csvDefusesFormulasAndQuotesFields() {
        var renderer = ScanCSVRenderer()
        let lines = renderer.render(Self.result).components(separatedBy: "\r\n")
        #expect(lines[2].contains(#"'=HYPERLINK(""http://x"")"#))
        #expect(lines[1].contains(#""Lovely post, ""thanks"" & more""#))
    }

    @Test func htmlEscapesEveryPieceOfCommentText() {
        var renderer = ScanHTMLRenderer()
        let page = renderer.render(Self.result)
        #expect(!page.contains("<script>x"))
        #expect(!page.contains("<b>cheap"))
        #expect(page.contains("Bread &lt;3"))
        #expect(page.contains("&quot;thanks&quot; &amp; more"))
        #expect(page.contains("Content-Security-Policy"))
        #expect(page.hasSuffix("</body>\n</html>\n"))
    }

    @Test func markdownEscapesTableBreakers() {
        var renderer = ScanMarkdownRenderer()
        let text = renderer.render(Self.result)
        #expect(text.contains("Bread \\<3"))
        #expect(text.contains("| 2 | spam | 5.5 | =HYPERLINK(\"http://x\") |"))
    }
}

/// A rule that could not be applied scores nothing, but every summary counts it by rule id.
@Suite struct RuleFailureSummaryTests {
    static let result: ScanResult = {
        let slow = Comment(id: "1", content: "aaaa!", location: SourceLocation(file: "in.jsonl", line: 1))
        let both = Comment(id: "2", content: "aaaa!", location: SourceLocation(file: "in.jsonl", line: 2))
        let failed = Reason(id: "MY_SLOW", description: "rule not applied: match limit", score: 0, notApplied: true)
        let budget = Reason(id: "HR_TIME_BUDGET", description: "rule not applied: budget", score: 0, notApplied: true)
        let shout = Reason(id: "MY_SHOUT", description: "Shout", score: 6)
        let thread = ClassifiedThread(
            thread: Thread(post: Post(id: "p", title: "Letters"), comments: [slow, both]),
            comments: [
                ClassifiedComment(comment: slow, verdict: Verdict(kind: .spam, score: 6, reasons: [shout, failed])),
                ClassifiedComment(
                    comment: both, verdict: Verdict(kind: .genuine, score: 0, reasons: [failed, budget, failed])),
            ])
        return ScanResult(sources: [ScanResult.Source(name: "in.jsonl", threads: [thread])])
    }()

    static let line =
        "2 comments in 1 post: 1 spam, 1 genuine; rules not applied: MY_SLOW on 2 comments, HR_TIME_BUDGET on 1 comment."

    @Test func theTallyCountsCommentsPerRuleId() {
        let failures = Self.result.tally.ruleFailures
        #expect(failures.comments == ["MY_SLOW": 2, "HR_TIME_BUDGET": 1])
        #expect(failures.total == 3)
        #expect(Self.result.summaryLine == Self.line)
        #expect(ScanTally().ruleFailures.summary == nil)
        #expect(!ScanTally().summaryLine.contains("not applied"))
    }

    @Test func tableMarkdownAndHTMLSummariesCountFailedRules() {
        var table = ScanTableRenderer()
        var markdown = ScanMarkdownRenderer()
        var html = ScanHTMLRenderer()
        #expect(table.render(Self.result).hasSuffix("\n" + Self.line + "\n"))
        #expect(markdown.render(Self.result).hasSuffix("\n" + Self.line + "\n"))
        #expect(html.render(Self.result).contains("<p class=\"summary\">\(Self.line)</p>"))
    }

    @Test func jsonRecordsMarkAFailedRuleAndOnlyIt() {
        let records = Self.result.allComments.map { CommentRecordWriter.json($0, post: Post(id: "p")) }
        #expect(
            records[0].hasSuffix(
                #""reasons":[{"id":"MY_SHOUT","score":6,"description":"Shout","evidence":null},"#
                    + #"{"id":"MY_SLOW","score":0,"description":"rule not applied: match limit","evidence":null,"not_applied":true}]}"#
            ))
    }
}

@Suite struct DocumentMarksTests {
    @Test func htmlAndCSVShowBidiAndInvisibleCharactersAsMarks() {
        let text = "Ann\u{202E}moc.live\u{200B} \u{1B}[2J"
        #expect(HTMLText.escape(text) == "Ann⟨U+202E⟩moc.live⟨U+200B⟩ ␛[2J")
        #expect(CSVText.field(text) == "Ann⟨U+202E⟩moc.live⟨U+200B⟩ ␛[2J")
        #expect(CSVText.field("=1+1\u{202E}") == "'=1+1⟨U+202E⟩")
        #expect(CSVText.field("\r=cmd") == "'␍=cmd")
    }
}

@Suite struct RuleFailureTallyTests {
    @Test func theSummaryNamesTheRulesThatFailedMostAndCountsTheRest() {
        var tally = RuleFailureTally()
        for index in 0..<12 { tally.add(ruleID: "S\(index)") }
        tally.add(ruleID: "S7", comments: 3)
        tally.add(ruleID: "HR_TIME_BUDGET", comments: 2)
        #expect(
            tally.summary
                == "rules not applied: S7 on 4 comments, HR_TIME_BUDGET on 2 comments, S0 on 1 comment, "
                + "S1 on 1 comment, S10 on 1 comment, and 8 more rules")
        #expect(tally.total == 17)
        var one = RuleFailureTally()
        one.add(ruleID: "MY_SLOW")
        #expect(one.summary == "rule not applied: MY_SLOW on 1 comment")
        one.merge(tally)
        #expect(one.comments.count == 14)
    }
}
