import HandraiserModel
import HandraiserReplies
import Testing

@testable import HandraiserOutput

/// A small hand-made report: one post with a waiting and an answered person, a held person,
/// a site to thank and a warning.
enum SampleReplyReport {
    static let report = ReplyReport(
        posts: [
            PostReplyPlan(
                post: Post(id: "7", title: "From Reach to Relationships", url: "https://blog.example.com/reach"),
                people: [
                    ReplyCandidate(
                        author: "Lucretia", contact: "mailto:lu@example.net", commentIDs: ["4"], date: "2009-09-28",
                        excerpt: "How do you pick the right moms for a program like this?", status: .waiting, rank: 1,
                        reasons: [
                            ReplyReason(
                                id: "asks-question", description: "asks a question",
                                quote: "How do you pick the right moms for a program like this?", weight: 5),
                            ReplyReason(
                                id: "first-time", description: "first comment anywhere in this input", weight: 1),
                        ]),
                    ReplyCandidate(
                        author: "comment #1", commentIDs: ["1"], excerpt: "Love your takeaways!", status: .answered,
                        answeredBy: AnswerLink(commentID: "3", method: .words, quote: "glad you liked my takeaways"),
                        answeredCommentIDs: ["1"], rank: 2),
                ],
                held: [
                    ReplyCandidate(
                        author: "Maybe Bot", contact: "http://maybe.example.org", commentIDs: ["9"],
                        excerpt: "Nice post.",
                        status: .waiting, rank: 1)
                ],
                thanks: [
                    InboundLink(
                        commentID: "2", title: "The Engaged Consumer", url: "https://engaged.example.org/x",
                        host: "engaged.example.org")
                ],
                authorComments: ["3"])
        ],
        warnings: [
            ReplyWarning(
                kind: .addressedSpamName, postID: "7", postTitle: "From Reach to Relationships", commentIDs: ["3"],
                message:
                    "The author addressed \u{201C}Glasgow Letting\u{201D}, a name that looks like a spammer's (business name).",
                quote: "Glasgow Letting, thanks for your comment")
        ])
}

@Suite struct ReplyRendererOutputTests {
    @Test func terminalText() {
        #expect(
            ReplyTextRenderer.render(SampleReplyReport.report) == """
                Reply list: 1 post, 1 waiting, 1 answered, 1 held, 1 site to thank, 1 warning

                From Reach to Relationships (post 7)
                  1. Lucretia  waiting  <mailto:lu@example.net>  2009-09-28  #4
                     “How do you pick the right moms for a program like this?”
                     - asks-question: asks a question — “How do you pick the right moms for a program like this?”
                     - first-time: first comment anywhere in this input
                  2. comment #1  answered  #1
                     “Love your takeaways!”
                     answered by #3 (words): “glad you liked my takeaways”
                  Check these first (held for review or showing spam signs):
                  1. Maybe Bot  waiting  <http://maybe.example.org>  #9
                     “Nice post.”
                  Thank for linking:
                  - The Engaged Consumer <https://engaged.example.org/x>

                Warnings:
                  ! “From Reach to Relationships”: The author addressed “Glasgow Letting”, a name that looks like a spammer's (business name).
                    “Glasgow Letting, thanks for your comment”

                """)
    }

    @Test func colourOnlyWhenAsked() {
        let plain = ReplyTextRenderer.render(SampleReplyReport.report, useColor: false)
        let coloured = ReplyTextRenderer.render(SampleReplyReport.report, useColor: true)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[33mwaiting\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[32manswered\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[31mWarnings:\u{1B}[0m"))
    }

    @Test func markdown() {
        #expect(
            ReplyMarkdownRenderer.render(SampleReplyReport.report) == """
                # Reply list

                1 post, 1 waiting, 1 answered, 1 held, 1 site to thank, 1 warning

                ## From Reach to Relationships

                <https://blog.example.com/reach>

                1. **Lucretia** — waiting · [contact](mailto:lu@example.net) · 2009-09-28 · comment #4
                   > How do you pick the right moms for a program like this?
                   - asks a question: “How do you pick the right moms for a program like this?”
                   - first comment anywhere in this input
                2. **comment #1** — answered · comment #1
                   > Love your takeaways!
                   - answered by #3 (words): “glad you liked my takeaways”

                ### Check these first (held for review or showing spam signs)

                1. **Maybe Bot** — waiting · [contact](http://maybe.example.org) · comment #9
                   > Nice post.

                ### Thank for linking

                - [The Engaged Consumer](https://engaged.example.org/x)

                ## Warnings

                - **From Reach to Relationships**: The author addressed “Glasgow Letting”, a name that looks like a spammer's (business name). — “Glasgow Letting, thanks for your comment”

                """)
    }

    @Test func html() {
        #expect(
            ReplyHTMLRenderer.render(SampleReplyReport.report) == """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
                <title>Reply list</title>
                <style>
                body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:46rem;padding:1rem;color:#222;background:#fff}
                h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
                ol{padding-left:1.4rem}li{margin:.8rem 0}blockquote{margin:.3rem 0;padding-left:.7rem;border-left:3px solid #ccc;color:#555}
                .waiting{color:#a15c00;font-weight:600}.answered{color:#2b7a2b}.meta{color:#666;font-size:.9rem}
                .warn{background:#fff4f4;border:1px solid #e8b4b4;padding:.5rem .8rem}
                a{color:#1a5fb4;word-break:break-all}
                </style>
                </head>
                <body>
                <h1>Reply list</h1>
                <p>1 post, 1 waiting, 1 answered, 1 held, 1 site to thank, 1 warning</p>
                <section>
                <h2>From Reach to Relationships</h2>
                <p class="meta"><a href="https://blog.example.com/reach">https://blog.example.com/reach</a></p>
                <ol>
                <li value="1"><strong><a href="mailto:lu@example.net">Lucretia</a></strong> <span class="waiting">waiting</span><br><span class="meta">2009-09-28 · comment #4</span><blockquote>How do you pick the right moms for a program like this?</blockquote><ul><li>asks a question: “How do you pick the right moms for a program like this?”</li><li>first comment anywhere in this input</li></ul></li>
                <li value="2"><strong>comment #1</strong> <span class="answered">answered</span><br><span class="meta">comment #1</span><blockquote>Love your takeaways!</blockquote><ul><li>answered by #3 (words): “glad you liked my takeaways”</li></ul></li>
                </ol>
                <h3>Check these first (held for review or showing spam signs)</h3>
                <ol>
                <li value="1"><strong><a href="http://maybe.example.org">Maybe Bot</a></strong> <span class="waiting">waiting</span><br><span class="meta">comment #9</span><blockquote>Nice post.</blockquote></li>
                </ol>
                <h3>Thank for linking</h3>
                <ul>
                <li><a href="https://engaged.example.org/x">The Engaged Consumer</a></li>
                </ul>
                </section>
                <section class="warn">
                <h2>Warnings</h2>
                <ul>
                <li><strong>From Reach to Relationships</strong>: The author addressed “Glasgow Letting”, a name that looks like a spammer&#39;s (business name).<blockquote>Glasgow Letting, thanks for your comment</blockquote></li>
                </ul>
                </section>
                </body>
                </html>

                """)
    }

    @Test func jsonLines() {
        #expect(
            ReplyJSONLRenderer.render(SampleReplyReport.report) == """
                {"answered_by":null,"answered_comment_ids":[],"author":"Lucretia","comment_ids":["4"],"contact":"mailto:lu@example.net","date":"2009-09-28","excerpt":"How do you pick the right moms for a program like this?","list":"people","post_id":"7","post_title":"From Reach to Relationships","rank":1,"reasons":[{"description":"asks a question","id":"asks-question","quote":"How do you pick the right moms for a program like this?","weight":5},{"description":"first comment anywhere in this input","id":"first-time","quote":null,"weight":1}],"status":"waiting"}
                {"answered_by":{"comment_id":"3","method":"words","quote":"glad you liked my takeaways"},"answered_comment_ids":["1"],"author":"comment #1","comment_ids":["1"],"contact":null,"date":null,"excerpt":"Love your takeaways!","list":"people","post_id":"7","post_title":"From Reach to Relationships","rank":2,"reasons":[],"status":"answered"}
                {"answered_by":null,"answered_comment_ids":[],"author":"Maybe Bot","comment_ids":["9"],"contact":"http://maybe.example.org","date":null,"excerpt":"Nice post.","list":"held","post_id":"7","post_title":"From Reach to Relationships","rank":1,"reasons":[],"status":"waiting"}

                """)
    }

    @Test func csv() {
        #expect(
            ReplyCSVRenderer.render(SampleReplyReport.report) == """
                post_id,post_title,list,rank,status,author,contact,date,comment_ids,reasons,answered_by,excerpt
                7,From Reach to Relationships,people,1,waiting,Lucretia,mailto:lu@example.net,2009-09-28,4,asks-question first-time,,How do you pick the right moms for a program like this?
                7,From Reach to Relationships,people,2,answered,comment #1,,,1,,3 (words),Love your takeaways!
                7,From Reach to Relationships,held,1,waiting,Maybe Bot,http://maybe.example.org,,9,,,Nice post.

                """)
    }
}

/// Reports built from hostile comment text.
@Suite struct HostileTextTests {
    static func report(author: String, excerpt: String, contact: String?, quote: String? = nil) -> ReplyReport {
        ReplyReport(posts: [
            PostReplyPlan(
                post: Post(id: "1", title: "Post <b>1</b>"),
                people: [
                    ReplyCandidate(
                        author: author, contact: contact, commentIDs: ["1"], excerpt: excerpt, status: .waiting,
                        rank: 1,
                        reasons: [
                            ReplyReason(id: "asks-question", description: "asks a question", quote: quote, weight: 5)
                        ])
                ])
        ])
    }

    @Test func htmlEscapesEverythingAndLinksOnlySafeSchemes() {
        let page = ReplyHTMLRenderer.render(
            Self.report(
                author: "<script>alert('x')</script>", excerpt: "\"><img src=x onerror=alert(1)> & more",
                contact: "javascript:alert(1)", quote: "</blockquote><iframe>"))
        #expect(!page.contains("<script>"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("<iframe"))
        #expect(!page.contains("javascript:"))
        #expect(page.contains("<h2>Post &lt;b&gt;1&lt;/b&gt;</h2>"))
        #expect(page.contains("<strong>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</strong>"))
        #expect(page.contains("<blockquote>&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; more</blockquote>"))
        #expect(page.contains("asks a question: “&lt;/blockquote&gt;&lt;iframe&gt;”"))
    }

    @Test func htmlLinkAttributesCannotBeBrokenOut() {
        let page = ReplyHTMLRenderer.render(
            Self.report(author: "Ann", excerpt: "hi", contact: "https://example.com/\"onmouseover=\"alert(1)"))
        #expect(page.contains("<a href=\"https://example.com/%22onmouseover=%22alert%281%29\">Ann</a>"))
    }

    @Test func bidiAndEscapeSequencesAreShown() {
        let report = Self.report(
            author: "Ann\u{202E}moc.live", excerpt: "red \u{1B}[31malert\u{1B}[0m\u{7}", contact: nil)
        let text = ReplyTextRenderer.render(report)
        #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" || $0 == "\u{7}" })
        #expect(text.contains("Ann⟨U+202E⟩moc.live"))
        #expect(text.contains("red ␛[31malert␛[0m␇"))
        let html = ReplyHTMLRenderer.render(report)
        #expect(html.contains("Ann⟨U+202E⟩moc.live"))
        let markdown = ReplyMarkdownRenderer.render(report)
        #expect(!markdown.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
    }

    @Test func markdownEscapesLinksAndHTML() {
        let markdown = ReplyMarkdownRenderer.render(
            Self.report(
                author: "[click](http://evil.example) <b>*x*</b>", excerpt: "`code` | cell", contact: "javascript:x"))
        #expect(markdown.contains(#"**\[click\](http://evil.example) \<b\>\*x\*\</b\>**"#))
        #expect(markdown.contains(#"> \`code\` \| cell"#))
        #expect(!markdown.contains("javascript"))
    }

    @Test(arguments: ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"])
    func csvCellsCannotStartFormulas(name: String) {
        let cell = ReplyCSVRenderer.cell(name)
        #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"))
        let csv = ReplyCSVRenderer.render(Self.report(author: name, excerpt: "hi", contact: nil))
        #expect(csv.contains(",waiting," + cell + ",,,1,"))
    }

    @Test func csvQuotesCommasQuotesAndLineBreaks() {
        #expect(ReplyCSVRenderer.cell("plain") == "plain")
        #expect(ReplyCSVRenderer.cell("a, b") == "\"a, b\"")
        #expect(ReplyCSVRenderer.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReplyCSVRenderer.cell("two\nlines") == "\"two\nlines\"")
        #expect(ReplyCSVRenderer.cell("=1+1, ok") == "\"'=1+1, ok\"")
    }

    @Test func jsonEscapesControlCharactersAndSeparators() {
        #expect(ReplyJSONLRenderer.json("a\"b\\c\nd\u{1}e\u{2028}f") == #""a\"b\\c\nd\u0001e\u2028f""#)
        let line = ReplyJSONLRenderer.render(Self.report(author: "Ann\nLee", excerpt: "x", contact: nil))
        #expect(line.split(separator: "\n").count == 1)
        #expect(line.contains(#""author":"Ann\nLee""#))
    }
}

@Suite struct TerminalSafeTests {
    @Test(arguments: [
        ("plain text\twith tab\nand line", "plain text\twith tab\nand line"),
        ("\u{1B}[2J\u{1B}]0;title\u{7}", "␛[2J␛]0;title␇"),
        ("cr\rover", "cr␍over"),
        ("del\u{7F}", "del␡"),
        ("c1\u{9B}31m", "c1⟨U+009B⟩31m"),
        ("abc\u{202E}fed", "abc⟨U+202E⟩fed"),
        ("iso\u{2066}late\u{2069}", "iso⟨U+2066⟩late⟨U+2069⟩"),
        ("zero\u{200B}width\u{FEFF}", "zero⟨U+200B⟩width⟨U+FEFF⟩"),
        ("family \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}", "family \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}"),
        ("a\u{200D}b", "a⟨U+200D⟩b"),
        ("Zoë 中文 🙂", "Zoë 中文 🙂"),
    ])
    func clean(input: String, expected: String) {
        #expect(TerminalSafe.clean(input) == expected)
    }
}

@Suite struct ReplyRuleFailureOutputTests {
    static let report: ReplyReport = {
        var report = SampleReplyReport.report
        report.ruleFailures.add(ruleID: "MY_SLOW", comments: 2)
        return report
    }()
    static let line =
        "1 post, 1 waiting, 1 answered, 1 held, 1 site to thank, 1 warning; rule not applied: MY_SLOW on 2 comments"

    @Test func everyRendererWithASummaryCountsFailedRules() {
        #expect(ReplyTextRenderer.render(Self.report).hasPrefix("Reply list: \(Self.line)\n"))
        #expect(ReplyMarkdownRenderer.render(Self.report).hasPrefix("# Reply list\n\n\(Self.line)\n"))
        #expect(ReplyHTMLRenderer.render(Self.report).contains("<p>\(Self.line)</p>"))
        // Records, not a report: one per person, unchanged.
        #expect(ReplyJSONLRenderer.render(Self.report) == ReplyJSONLRenderer.render(SampleReplyReport.report))
        #expect(ReplyCSVRenderer.render(Self.report) == ReplyCSVRenderer.render(SampleReplyReport.report))
    }
}
