import HandraiserInput
import HandraiserModel
import Testing

/// One line or shape at a time, inside a minimal page, through the public reader.
@Suite struct TextDumpShapesTests {
    static func page(_ section: String) -> String {
        "Growing Leeks\n\nLeeks want deep, rich soil and patience.\n\n" + section + "\n"
    }

    struct HeaderCase: Sendable, CustomTestStringConvertible {
        var line: String
        var promised: Int?
        var testDescription: String { line }
    }

    @Test(arguments: [
        HeaderCase(line: "15 Responses", promised: 15),
        HeaderCase(line: "14 Responses to “Growing Leeks”", promised: 14),
        HeaderCase(line: "12 thoughts on “Growing Leeks”", promised: 12),
        HeaderCase(line: "3 Comments", promised: 3),
        HeaderCase(line: "One Response", promised: 1),
        HeaderCase(line: "Two comments", promised: 2),
        HeaderCase(line: "0 comments", promised: 0),
        HeaderCase(line: "Comments (4)", promised: 4),
        HeaderCase(line: "Responses: 7", promised: 7),
        HeaderCase(line: "2 Replies", promised: 2),
        HeaderCase(line: "## 5 Comments", promised: 5),
        HeaderCase(line: "15 Responses so far ↓", promised: 15),
        HeaderCase(line: "6 comments:", promised: 6),
        HeaderCase(line: "Showing 9 comments", promised: 9),
        HeaderCase(line: "Discussion", promised: nil),
        HeaderCase(line: "Comments", promised: nil),
    ])
    func sectionHeaders(_ header: HeaderCase) throws {
        let thread = try DumpFixtures.parse(
            Self.page(header.line + "\n\nMina Farrow says:\nMarch 3, 2021 at 4:12 pm\nMine bolted in June.\nReply"))
        #expect(thread.promisedCommentCount == header.promised)
        #expect(thread.comments.map(\.author) == ["Mina Farrow"])
        #expect(thread.comments.first?.text == "Mine bolted in June.")
        #expect(thread.post.text == "Leeks want deep, rich soil and patience.")
    }

    @Test(arguments: [
        "Tips from a grower",  // a heading in the post, not a header
        "2 comments were lost when we moved hosts, sorry.",
        "Discussion\n\nThe leek moth is the main pest; fleece keeps it off.",
    ])
    func linesThatAreNotHeaders(_ text: String) throws {
        let thread = try DumpFixtures.parse(Self.page(text))
        #expect(thread.comments.isEmpty)
        #expect(thread.promisedCommentCount == nil)
    }

    struct AuthorCase: Sendable, CustomTestStringConvertible {
        var lines: String
        var author: String
        var url: String?
        var date: String?
        var testDescription: String { lines }
    }

    @Test(arguments: [
        AuthorCase(lines: "Jane Roe says:", author: "Jane Roe"),
        AuthorCase(
            lines: "Jane Roe says:\nMarch 3, 2009 at 4:12 pm", author: "Jane Roe", date: "March 3, 2009 at 4:12 pm"),
        AuthorCase(
            lines: "Jane Roe says: March 3, 2009 at 4:12 pm", author: "Jane Roe", date: "March 3, 2009 at 4:12 pm"),
        AuthorCase(
            lines: "Jane Roe on February 4th, 2009 11:51 am", author: "Jane Roe", date: "February 4th, 2009 11:51 am"),
        AuthorCase(
            lines: "Jane Roe on February 4th, 2009 at 11:51 am said:", author: "Jane Roe",
            date: "February 4th, 2009 at 11:51 am"),
        AuthorCase(lines: "Jane Roe said...", author: "Jane Roe"),
        AuthorCase(lines: "Jane Roe wrote:", author: "Jane Roe"),
        AuthorCase(lines: "jroe77 says:", author: "jroe77"),
        AuthorCase(lines: "Jane Roe (Post author) says:", author: "Jane Roe"),
        AuthorCase(
            lines: "[Jane Roe](https://jane.example) on [March 3, 2009 at 4:12 pm](https://blog.example/p#c-1)",
            author: "Jane Roe", url: "https://jane.example", date: "March 3, 2009 at 4:12 pm"),
        AuthorCase(
            lines: "[Jane Roe](https://jane.example \"Jane's site\") says:", author: "Jane Roe",
            url: "https://jane.example"),
        AuthorCase(
            lines: "[Jane Roe](https://jane.example)\nMarch 3, 2009", author: "Jane Roe", url: "https://jane.example",
            date: "March 3, 2009"),
        AuthorCase(lines: "Jane Roe • 3 years ago", author: "Jane Roe", date: "3 years ago"),
        AuthorCase(lines: "Jane Roe · 2 days ago", author: "Jane Roe", date: "2 days ago"),
        AuthorCase(
            lines: "Jane Roe | March 3, 2009 at 4:12 pm | Reply", author: "Jane Roe", date: "March 3, 2009 at 4:12 pm"),
        AuthorCase(lines: "Jane Roe March 3, 2009 at 4:12 pm", author: "Jane Roe", date: "March 3, 2009 at 4:12 pm"),
        AuthorCase(lines: "Jane Roe\nMarch 3, 2009 at 4:12 pm", author: "Jane Roe", date: "March 3, 2009 at 4:12 pm"),
        AuthorCase(lines: "Jane Roe\n3 March 2009", author: "Jane Roe", date: "3 March 2009"),
        AuthorCase(lines: "Jane Roe\n2009-03-03 16:12", author: "Jane Roe", date: "2009-03-03 16:12"),
        AuthorCase(lines: "Jane Roe\nTuesday, March 3, 2009", author: "Jane Roe", date: "Tuesday, March 3, 2009"),
        AuthorCase(
            lines: "Comment by Jane Roe — March 3, 2009 @ 4:12 pm", author: "Jane Roe", date: "March 3, 2009 @ 4:12 pm"),
        AuthorCase(lines: "![avatar](https://img.example/a.png) Jane Roe says:", author: "Jane Roe"),
        AuthorCase(
            lines: "Posted by: Jane Roe | March 3, 2009 at 4:12 PM", author: "Jane Roe",
            date: "March 3, 2009 at 4:12 PM"),
        AuthorCase(lines: "jroe77 3 hours ago | parent | next [–]", author: "jroe77", date: "3 hours ago"),
    ])
    func authorLines(_ shape: AuthorCase) throws {
        let section =
            "2 Comments\n\n\(shape.lines)\n\nThe leeks I grew were thin.\n\nReply\n\nBo Lind says:\n\nMine too.\n\nReply"
        let thread = try DumpFixtures.parse(Self.page(section))
        let comments = thread.comments
        #expect(comments.map(\.author) == [shape.author, "Bo Lind"])
        #expect(comments.first?.authorURL == shape.url)
        #expect(comments.first?.date == shape.date)
        #expect(comments.map(\.text) == ["The leeks I grew were thin.", "Mine too."])
        #expect(comments.map(\.id) == ["1", "2"])
    }

    @Test func numberedCommentWithAListInsideIsOneComment() throws {
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                2 Comments

                  1. My routine:
                       1. trench in April
                       2. earth up in July
                    Works every year.

                  2. Good advice.
                """))
        #expect(thread.comments.map(\.id) == ["1", "2"])
        #expect(
            thread.comments.first?.content
                == "My routine:\n   1. trench in April\n   2. earth up in July\nWorks every year.")
        #expect(thread.comments.first?.text == "My routine:\n1. trench in April\n2. earth up in July Works every year.")
    }

    @Test func sentencesThatLookLikeAuthorLinesStayInTheComment() throws {
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                3 Comments

                Tove Berg says:
                My grandmother grew them in trenches.
                Doctor says: rest the soil a year.
                Kind Regards
                Pingbacks are something I never understood.
                Reply
                """))
        #expect(thread.comments.count == 1)
        #expect(thread.comments.first?.author == "Tove Berg")
        #expect(thread.comments.first?.content.split(separator: "\n").count == 4)
        #expect(thread.comments.first?.type == .comment)
    }

    @Test func disqusReplyTargetsBecomeParents() throws {
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                3 Comments

                Avatar
                Ann Holm • 5 months ago
                Do leeks need lime?
                Reply • Share ›
                Avatar
                Per Dahl • 5 months ago
                Only on acid soil.
                Reply • Share ›
                Avatar
                Ann Holm → Per Dahl • 5 months ago
                Thanks, ours is chalky anyway.
                Reply • Share ›
                """))
        #expect(thread.comments.map(\.author) == ["Ann Holm", "Per Dahl", "Ann Holm"])
        #expect(thread.comments.map(\.parentID) == [nil, nil, "2"])
        #expect(thread.notes.allSatisfy { $0.code != "missing-comments" })
    }

    @Test func lowerCaseNameBeforeADateOpensAnEntryWhereThePageUsesThatLayout() throws {
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                3 Comments

                Ann Holm
                Mar 3

                Do leeks need lime?

                Per Dahl
                Mar 3

                Only on acid soil.

                cheap seed shop
                Mar 4

                Buy seeds at half price today.
                """))
        #expect(thread.comments.map(\.author) == ["Ann Holm", "Per Dahl", "cheap seed shop"])
        #expect(thread.comments.last?.text == "Buy seeds at half price today.")
        #expect(thread.comments.first?.text == "Do leeks need lime?")
    }

    @Test func shortLastLineBeforeADateStaysTextWhereDatesFollowComments() throws {
        // Here the name opens the entry and the date closes it, so no entry opens with a name and a date.
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                2 Comments

                Ann Holm
                Do leeks need lime?

                from the allotment
                March 3, 2021

                Per Dahl
                Only on acid soil.
                March 3, 2021
                """))
        #expect(thread.comments.map(\.author) == ["Ann Holm", "Per Dahl"])
        #expect(thread.comments.first?.text.hasSuffix("from the allotment") == true)
    }

    @Test func commentsSignedBelowTheirText() throws {
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                Comments

                Mine bolted in June.

                Posted by: Mina Farrow | March 3, 2021 at 4:12 PM

                Sow them later, then.

                Posted by [Per Dahl](https://per.example) at March 4, 2021 9:00 AM

                Post a comment
                """))
        #expect(thread.comments.map(\.author) == ["Mina Farrow", "Per Dahl"])
        #expect(thread.comments.map(\.text) == ["Mine bolted in June.", "Sow them later, then."])
        #expect(thread.comments.map(\.date) == ["March 3, 2021 at 4:12 PM", "March 4, 2021 9:00 AM"])
        #expect(thread.comments.last?.authorURL == "https://per.example")
        #expect(thread.post.text == "Leeks want deep, rich soil and patience.")
        #expect(thread.notes.isEmpty)
    }

    @Test func postedByLinesRightUnderTheHeaderOpenTheirComments() throws {
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                2 Comments

                Posted by: Ann Holm | March 3, 2021 at 4:12 PM

                Do leeks need lime?

                Posted by: Per Dahl | March 3, 2021 at 6:40 PM

                Only on acid soil.

                Leave a Reply
                """))
        #expect(thread.comments.map(\.author) == ["Ann Holm", "Per Dahl"])
        #expect(thread.comments.map(\.text) == ["Do leeks need lime?", "Only on acid soil."])
    }

    @Test func oneSignatureLineIsNotACommentSection() throws {
        // Blogger closes the post itself with `Posted by Name at 4:12 PM`; its comments open with `said...`.
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                Posted by Hanna Berg at 4:12 PM

                2 comments:

                Ann Holm said...
                Do leeks need lime?

                Per Dahl said...
                Only on acid soil. Posted by mistake on the wrong post?
                """))
        #expect(thread.comments.map(\.author) == ["Ann Holm", "Per Dahl"])
    }

    @Test func pageBadgeMarksTheAuthorWithoutAByline() throws {
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                2 Comments

                Ola Nordmann says:
                Can I sow them in autumn?
                Reply
                Kari Vik says:
                Post author
                Yes, in a cold frame.
                Reply
                """))
        #expect(thread.comments.map(\.author) == ["Ola Nordmann", "Kari Vik"])
        #expect(thread.comments.map { $0.authorship?.isPostAuthor == true } == [false, true])
        #expect(thread.comments.last?.text == "Yes, in a cold frame.")
        #expect(thread.comments.last?.authorship?.evidence.contains("marks this comment") == true)
    }

    /// Praise and questions from commenters are not the author's voice, however warm.
    @Test func commentersAreNotTakenForTheAuthor() throws {
        let thread = try DumpFixtures.parse(
            Self.page(
                """
                3 Comments

                Lars Eng says:
                Great post, thanks for sharing! Let me know if you ever write about onions.
                Reply
                Best Cheap Loans says:
                Hello admin, I wrote about this on my blog too, check it out.
                Reply
                Mia Sand says:
                Lars, you should try the heritage varieties.
                Reply
                """))
        #expect(thread.comments.count == 3)
        #expect(thread.comments.allSatisfy { $0.authorship == nil })
        #expect(!thread.notes.contains { $0.code == "author-inferred" })
    }

    @Test func emptyNumberedEntriesAreKeptSoCountsStayHonest() throws {
        let thread = try DumpFixtures.parse(Self.page("2 Responses\n\n  1.\n\n  2. Second."))
        #expect(thread.comments.map(\.id) == ["1", "2"])
        #expect(thread.comments.map(\.content) == ["", "Second."])
        #expect(!thread.notes.contains { $0.code == "missing-comments" })
    }

    @Test func footersEndTheSection() throws {
        for footer in [
            "Leave a Reply", "Leave a Comment", "Cancel reply", "Your email address will not be published.",
            "Post navigation", "« Older Comments", "Comments are closed.", "Submit a Comment",
        ] {
            let thread = try DumpFixtures.parse(
                Self.page(
                    "1 Comment\n\nEla Kurt says:\nLovely.\nReply\n\n\(footer)\n\nRecent Posts\nHow to Store Onions"))
            #expect(thread.comments.map(\.text) == ["Lovely."], "\(footer)")
        }
    }
}

/// WordPress's comment section in the languages its themes are most often translated into.
@Suite struct TextDumpTranslatedPagesTests {
    struct Page: Sendable, CustomTestStringConvertible {
        var language: String
        var byline: String
        var header: String
        var says: String
        var dates: [String]
        var reply: String
        var footer: String
        var testDescription: String { language }
    }

    @Test(arguments: [
        Page(
            language: "de", byline: "Veröffentlicht am 3. März 2021 von Ida Brandt",
            header: "2 Gedanken zu „Lauch im Winter“", says: "sagt:",
            dates: ["3. März 2021 um 16:12 Uhr", "4. März 2021 um 08:05 Uhr"], reply: "Antworten",
            footer: "Schreibe einen Kommentar"),
        Page(
            language: "fr", byline: "Publié le 12 avril 2022 par Ida Brandt",
            header: "2 réflexions sur « Lauch im Winter »", says: "dit :",
            dates: ["12 avril 2022 à 18 h 40 min", "13 avril 2022 à 9 h 15 min"], reply: "Répondre",
            footer: "Laisser un commentaire"),
        Page(
            language: "es", byline: "Publicado el 3 de marzo de 2021 por Ida Brandt",
            header: "2 comentarios en «Lauch im Winter»", says: "dice:",
            dates: ["3 de marzo de 2021 a las 16:12", "4 de marzo de 2021 a las 8:05"], reply: "Responder",
            footer: "Deja una respuesta"),
        Page(
            language: "it", byline: "Pubblicato il 3 marzo 2021 da Ida Brandt",
            header: "2 pensieri su “Lauch im Winter”", says: "ha detto:",
            dates: ["3 marzo 2021 alle 16:12", "4 marzo 2021 alle 08:05"], reply: "Rispondi",
            footer: "Lascia un commento"),
        Page(
            language: "pt", byline: "Publicado em 3 de março de 2021 por Ida Brandt",
            header: "2 comentários em “Lauch im Winter”", says: "disse:",
            dates: ["3 de março de 2021 às 16:12", "4 de março de 2021 às 08:05"], reply: "Responder",
            footer: "Deixe uma resposta"),
        Page(
            language: "nl", byline: "Geplaatst op 3 maart 2021 door Ida Brandt",
            header: "2 gedachten over “Lauch im Winter”", says: "zegt:",
            dates: ["3 maart 2021 om 16:12", "4 maart 2021 om 08:05"], reply: "Beantwoorden",
            footer: "Geef een reactie"),
    ])
    func readsTheSection(_ page: Page) throws {
        let text = """
            Lauch im Winter

            \(page.byline)

            Leeks stand the frost if the soil drains.

            \(page.header)

            Rui Costa \(page.says)
            \(page.dates[0])

            Mine rotted in clay.

            \(page.reply)

            Ida Brandt \(page.says)
            \(page.dates[1])

            Rui, raise the bed.

            \(page.reply)

            \(page.footer)
            """
        let thread = try DumpFixtures.parse(text)
        #expect(thread.promisedCommentCount == 2)
        #expect(thread.comments.map(\.author) == ["Rui Costa", "Ida Brandt"])
        #expect(thread.comments.map(\.date) == page.dates)
        #expect(thread.comments.map(\.text) == ["Mine rotted in clay.", "Rui, raise the bed."])
        #expect(thread.post.author == "Ida Brandt")
        #expect(thread.post.text == "Leeks stand the frost if the soil drains.")
    }
}
