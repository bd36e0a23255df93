import Foundation
import HandraiserModel
import Testing

@testable import HandraiserReplies

@Suite struct AnsweredDetectionTests {
    @Test func threadedReplyAnswersItsParent() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "How do I change the font size of the section titles?", author: "Forest"),
            Fixture.comment("2", "The layout looks great on my phone.", author: "Ann"),
            Fixture.comment(
                "3", "Use the stylesheet option in settings.", author: "Becky Carroll", parent: "1", verdict: .author),
        ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        #expect(plan.authorComments == ["3"])
        #expect(plan.people.map(\.author) == ["Ann", "Forest"])
        let forest = try #require(plan.people.first { $0.author == "Forest" })
        #expect(forest.status == .answered)
        #expect(forest.answeredBy?.commentID == "3")
        #expect(forest.answeredBy?.method == .parent)
        #expect(forest.answeredCommentIDs == ["1"])
        #expect(plan.people.first?.status == .waiting)
    }

    @Test func answerDeeperInTheSubThreadCountsOnlyForTheSamePerson() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "I tried the plugin on WordPress 3.", author: "Ann"),
            Fixture.comment("2", "Also, it breaks the sidebar.", author: "Ann", parent: "1"),
            Fixture.comment("3", "Same here, the sidebar breaks.", author: "Bob", parent: "1"),
            Fixture.comment(
                "4", "Fixed in 2.1, thanks for the report.", author: "Becky Carroll", parent: "2", verdict: .author),
            Fixture.comment(
                "5", "Bob: try clearing the cache.", author: "Becky Carroll", parent: "3", verdict: .author),
        ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        let ann = try #require(plan.people.first { $0.author == "Ann" })
        #expect(ann.status == .answered)
        #expect(Set(ann.answeredCommentIDs) == ["1", "2"])
        let bob = try #require(plan.people.first { $0.author == "Bob" })
        #expect(bob.answeredCommentIDs == ["3"])
    }

    /// Flat threads: the author's text addresses the person.
    @Test(arguments: [
        ("@luis yes, you need a 32 bit browser.", true),
        ("Luis, yes, you need a 32 bit browser.", true),
        ("LUIS: yes, you need a 32 bit browser.", true),
        ("Thanks Luis for the report.", true),
        ("Good catch, Luis.", true),
        ("Luis Garcia has the right idea about browsers.", true),
        ("Luis and Ann, you need a 32 bit browser.", true),
        ("LG-- you need a 32 bit browser.", true),
        ("As Luis wrote above, the plugin is 32 bit.", false),
        ("Yes, you need a 32 bit browser.", false),
        ("Luisa, you need a 32 bit browser.", false),
    ])
    func nameAddressing(reply: String, answered: Bool) throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "Konqueror can't find the plugin on 64 bit.", author: "Luis Garcia"),
            Fixture.comment("2", reply, author: "Becky Carroll", verdict: .author),
        ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        let luis = try #require(plan.people.first)
        #expect(luis.status == (answered ? .answered : .waiting))
        if answered { #expect(luis.answeredBy?.method == .name) }
    }

    @Test func nameAddressingNeedsAnEarlierComment() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "Luis, you will like the next post.", author: "Becky Carroll", verdict: .author),
            Fixture.comment("2", "I am looking forward to it!", author: "Luis"),
        ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        #expect(plan.people.first?.status == .waiting)
    }

    @Test func chineseHandleWithAt() throws {
        let thread = Fixture.thread(
            author: "tanglei",
            [
                Fixture.comment("1", "各种玩啊，表示没money", author: "代码疯子"),
                Fixture.comment("2", "@代码疯子 大学玩的机会不多了呀。", author: "tanglei", verdict: .author),
            ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        #expect(plan.people.first?.status == .answered)
    }

    /// A pasted page without author lines: the author's reply picks up the comment's words.
    @Test func pastedPageLinksByWordsAndWarnsAboutSpamNames() throws {
        let thread = Fixture.thread(
            author: nil, text: "Chapter 7 of the book moves marketing from reach to relationships with customers.",
            [
                Fixture.comment(
                    "1", "Love your takeaways! I'm reading the reviews before I read the rest of the book."),
                Fixture.comment(
                    "2", "Pingback : The Next Big Thing? « The Engaged Consumer", type: .pingback, verdict: .pingback),
                Fixture.comment(
                    "3",
                    """
                    Lucretia and SEO Training SW, glad you liked my takeaways from this chapter of the book.

                    Glasgow Letting, thanks for your comment; let us know what you think after you read it!
                    """, author: "Becky Carroll", verdict: .author),
                Fixture.comment("4", "Nice concept. The way you presented it is great, thanks for the takeaways."),
                Fixture.comment("5", "Medical negligence lawyer New York cases.", verdict: .spam),
            ])
        let judge: @Sendable (String) -> String? = { name in
            let lower = name.lowercased()
            return ["seo", "letting", "training"].contains(where: lower.contains) ? "business words" : nil
        }
        let report = ReplyPlanner(options: ReplyOptions(spamNameJudge: judge)).plan([thread])
        let plan = try #require(report.posts.first)
        #expect(plan.people.map(\.author) == ["comment #4", "comment #1"])
        let first = try #require(plan.people.first { $0.commentIDs == ["1"] })
        #expect(first.status == .answered)
        #expect(first.answeredBy?.method == .words)
        #expect(
            first.answeredBy?.quote
                == "Lucretia and SEO Training SW, glad you liked my takeaways from this chapter of the book.")
        // Comment 4 came after the reply: it cannot be what the reply answered.
        #expect(plan.people.first { $0.commentIDs == ["4"] }?.status == .waiting)
        #expect(report.warnings.map(\.kind) == [.addressedSpamName, .addressedSpamName])
        #expect(
            report.warnings.map(\.message) == [
                "The author addressed \u{201C}SEO Training SW\u{201D}, a name that looks like a spammer's (business words).",
                "The author addressed \u{201C}Glasgow Letting\u{201D}, a name that looks like a spammer's (business words).",
            ])
        #expect(
            report.warnings.last?.quote
                == "Glasgow Letting, thanks for your comment; let us know what you think after you read it!")
    }

    @Test func followUpQuestionAfterTheAnswerReopens() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "The export button does nothing.", author: "Ann", date: "2020-01-01 10:00:00"),
            Fixture.comment(
                "2", "Ann, update to 2.1.", author: "Becky Carroll", date: "2020-01-02 10:00:00", verdict: .author),
            Fixture.comment("3", "Thanks! Does 2.1 work with PHP 5 too?", author: "Ann", date: "2020-01-03 10:00:00"),
        ])
        let person = try #require(ReplyPlanner().plan([thread]).posts.first?.people.first)
        #expect(person.commentIDs == ["1", "3"])
        #expect(person.status == .waiting)
        #expect(person.reasons.first?.description == "asks a question after the author's answer")
        #expect(person.reasons.first?.quote == "Does 2.1 work with PHP 5 too?")
    }
}

@Suite struct ReplyListContentTests {
    @Test func spamPingbacksAndTheAuthorAreNeverListedAndHeldIsSeparate() throws {
        let thread = Fixture.thread(
            url: "https://blog.example.com/post",
            [
                Fixture.comment("1", "Cheap pills here", author: "Pills", verdict: .spam),
                Fixture.comment(
                    "2", "Linked from my site", author: "Other Blog", url: "https://other.org/a", type: .pingback,
                    verdict: .pingback),
                Fixture.comment(
                    "3", "Our own earlier post", author: "Example", url: "http://www.example.com/old", type: .pingback,
                    verdict: .pingback),
                Fixture.comment("4", "Thanks for reading!", author: "Becky Carroll", verdict: .author),
                Fixture.comment("5", "Nice post, visit my page", author: "Maybe", verdict: .held),
                Fixture.comment("6", "I use this every day at work.", author: "Real Person", email: "real@example.net"),
            ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        #expect(plan.people.map(\.author) == ["Real Person"])
        #expect(plan.people.first?.contact == "mailto:real@example.net")
        #expect(plan.held.map(\.author) == ["Maybe"])
        #expect(
            plan.thanks == [
                InboundLink(commentID: "2", title: "Other Blog", url: "https://other.org/a", host: "other.org")
            ])
    }

    @Test func tweetDigestsAreNobodyToThank() throws {
        let thread = Fixture.thread(
            url: "https://blog.example/post",
            [
                Fixture.comment(
                    "1",
                    "[…] This post was mentioned on Twitter by Ann Lee and Bo. Bo said: new post http://t.example/x […]",
                    author: "Tweets that mention A post -- Tweetlist", url: "https://tweetlist.example/t?u=1",
                    type: .pingback, verdict: .pingback),
                Fixture.comment(
                    "2",
                    "<strong>Social comments for this post...</strong> This post was mentioned on Twitter by ann: RT @bo",
                    author: "Mentions", url: "https://mentions.example/c/1", type: .trackback, verdict: .pingback),
                Fixture.comment(
                    "3", "[…] This post was Twitted by annlee […]", author: "Twitted by annlee",
                    url: "https://twit.example/1", type: .pingback, verdict: .pingback),
                Fixture.comment(
                    "4", "[…] a friend of mine mentioned on Twitter that this post was great, and it is […]",
                    author: "Bo's notes", url: "https://bo.example/notes", type: .pingback, verdict: .pingback),
            ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        #expect(plan.thanks.map(\.title) == ["Bo's notes"])
    }

    @Test func genuineCommentsWithSpamSignsAreSetAsideWithTheHeld() throws {
        let linkOnly = Reason(id: "HC_LINK_ONLY", description: "a link with 1 words around it", score: 0.7)
        let offer = Reason(id: "HR_SEO_OFFER", description: "Sells SEO services", score: 2.5)
        let thread = Fixture.thread(
            title: "Moving a blog to static pages", text: "Static pages are fast. Static pages need no database.",
            [
                Fixture.comment("1", "thanks www.shop-example.biz", author: "Shop", reasons: [linkOnly]),
                Fixture.comment("2", "Very skilled blogger. SEO services", author: "Seo Guy", reasons: [offer]),
                // The same weak sign on a reader's question about the post: still a person to answer.
                Fixture.comment(
                    "3", "Do static pages work with comments? See https://example.org/how", author: "Real Reader",
                    reasons: [linkOnly]),
                // Weak signs without a link are not enough to set a comment aside.
                Fixture.comment(
                    "4", "Nice one.", author: "Quiet Reader",
                    reasons: [Reason(id: "HC_GENERIC_PRAISE", description: "generic praise", score: 1)]),
            ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        #expect(plan.people.map(\.author) == ["Real Reader", "Quiet Reader"])
        #expect(plan.held.map(\.author).sorted() == ["Seo Guy", "Shop"])
        let signs = plan.held.compactMap { $0.reasons.first { $0.id == "spam-signs" }?.description }
        #expect(
            signs.sorted() == [
                "shows spam signs (score 0.7: HC_LINK_ONLY)", "shows spam signs (score 2.5: HR_SEO_OFFER)",
            ])
        var lenient = ReplyOptions()
        lenient.doubtfulScore = 3
        let lenientPlan = try #require(ReplyPlanner(options: lenient).plan([thread]).posts.first)
        #expect(lenientPlan.held.map(\.author) == ["Shop"])
    }

    @Test func oneLandingPageUnderSeveralNamesIsSetAside() throws {
        let pitch = Reason(id: "HR_PRODUCT_PITCH_LINK", description: "a product offered as the fix", score: 2)
        let guide = "https://builder.example/help/hosting-guide.html"
        let promoted = Fixture.thread(
            id: "1", title: "Hosting a site on Git", url: "https://blog.example/hosting",
            [
                Fixture.comment(
                    "1", "Great job. I can suggest this guide: \(guide)", author: "Pat Seller", reasons: [pitch]),
                // Reads like a reader, links the page the doubtful comment promotes.
                Fixture.comment(
                    "2", "I do have a question, would this work for tests? For example, this guide (\(guide))",
                    author: "Sam Sibling"),
                // The same short link under two names, neither scored: a promotion all the same.
                Fixture.comment("3", "The only editor I know of is this one: http://bit.ly/3AbCdEf", author: "Kim"),
                // A reader linking the blog's own page, which a doubtful comment also links.
                Fixture.comment(
                    "4", "Cheap hosting here https://blog.example/hosting/part-2", author: "Host Deals",
                    reasons: [pitch]),
                Fixture.comment("5", "Is part 2 out? https://blog.example/hosting/part-2", author: "Lee Reader"),
            ])
        let other = Fixture.thread(
            id: "2", title: "Static sites", url: "https://blog.example/static",
            [
                Fixture.comment("6", "It really helped me: http://bit.ly/3AbCdEf", author: "Jo"),
                // One person's short link twice is not a campaign; a docs page two readers share is not either.
                Fixture.comment(
                    "7", "Slides: http://bit.ly/9XyZw1 and again http://bit.ly/9XyZw1", author: "Ann Speaker"),
                Fixture.comment("8", "The docs: https://docs.example/guide/start", author: "Reader One"),
                Fixture.comment("9", "Agreed, https://docs.example/guide/start helps", author: "Reader Two"),
                // The site's own moderation put this one in spam: its page counts as doubtful.
                Fixture.comment(
                    "10", "Great read! https://deals.example/p/42", author: "Deal Bot", status: .spam),
                Fixture.comment("11", "Has anyone tried https://deals.example/p/42 ?", author: "Sly Sibling"),
            ])
        let plans = ReplyPlanner().plan([promoted, other]).posts
        let held = plans.flatMap(\.held).filter { $0.reasons.contains { $0.id == "shared-link" } }
        #expect(held.map(\.author).sorted() == ["Jo", "Kim", "Sam Sibling", "Sly Sibling"])
        #expect(
            plans.flatMap(\.people).map(\.author).sorted() == ["Ann Speaker", "Lee Reader", "Reader One", "Reader Two"])
        #expect(held.first { $0.author == "Sam Sibling" }?.reasons.first { $0.id == "shared-link" }?.quote == guide)
    }

    @Test func commentsTheExportHoldsAsPendingOrSpamAreCheckedFirst() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "I tried this at work and it held up.", author: "Ann", status: .pending),
            Fixture.comment("2", "Same for me, thanks.", author: "Bob", status: .spam),
            Fixture.comment("3", "Which version did you use?", author: "Cy", status: .approved),
        ])
        let report = ReplyPlanner().plan([thread])
        let plan = try #require(report.posts.first)
        #expect(plan.people.map(\.author) == ["Cy"])
        let linked = Fixture.thread(
            url: "https://blog.example/post",
            [
                Fixture.comment(
                    "1", "[…] a good read […]", author: "Friend's Blog", url: "https://friend.example/a",
                    type: .pingback,
                    status: .approved),
                Fixture.comment(
                    "2", "[…] cheap pills […]", author: "Pill Shop", url: "https://pills.example/b", type: .pingback,
                    status: .spam),
            ])
        let thanks = try #require(ReplyPlanner().plan([linked]).posts.first).thanks
        #expect(thanks.map(\.title) == ["Friend's Blog"])
        #expect(
            plan.held.map { $0.reasons.map(\.id).filter { $0 == "not-approved" } } == [
                ["not-approved"], ["not-approved"],
            ])
        // Still a reader stuck in the queue: the warning says so.
        #expect(report.warnings.map(\.commentIDs) == [["1"], ["2"]])
    }

    @Test func aNewcomersFewWordsBesideALinkToTheirOwnSiteAreSetAside() throws {
        let other = Fixture.thread(
            id: "2", title: "Older post",
            [Fixture.comment("20", "Lovely write-up on pruning.", author: "Tom Baker", date: "2020-01-01")])
        let thread = Fixture.thread([
            // A link drop: vague praise and the commenter's own shop.
            Fixture.comment(
                "1", "works really well, I run it on https://www.bestgardentools-shop.example now",
                author: "Best Garden Tools", date: "2020-02-01"),
            // The same shape from someone who commented before stays a reader.
            Fixture.comment(
                "2", "Updated my notes at https://tombaker.example/notes too", author: "Tom Baker",
                date: "2020-02-02"),
            // A newcomer who links their own site to ask about it stays too.
            Fixture.comment(
                "3", "The widget breaks on https://annawhite.example — any idea why?", author: "Anna White",
                date: "2020-02-03"),
            // A link to someone else's site is not a link home.
            Fixture.comment(
                "4", "works really well, see https://docs.example/guide", author: "Chris Green", date: "2020-02-04"),
        ])
        let plan = try #require(ReplyPlanner().plan([thread, other]).posts.first)
        #expect(plan.people.map(\.author).sorted() == ["Anna White", "Chris Green", "Tom Baker"])
        #expect(plan.held.map(\.author) == ["Best Garden Tools"])
        #expect(plan.held.first?.reasons.map(\.id).contains("own-site-link") == true)
    }

    @Test func greetingsTestsAndInsultsAreSetAsideButThanksStay() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "hi testing", author: "Tester"),
            Fixture.comment("2", "Maher Hswei", author: "Maher Hswei"),
            Fixture.comment("3", "Maybe read it again, you idiot", author: "Troll"),
            Fixture.comment("4", "Thanks!", author: "Grateful Reader"),
            Fixture.comment("5", "谢谢", author: "读者"),
            Fixture.comment("6", "Hi Becky, which chapter covers pricing?", author: "Curious"),
        ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        #expect(plan.people.map(\.author).sorted() == ["Curious", "Grateful Reader", "读者"])
        let why = Dictionary(
            uniqueKeysWithValues: plan.held.map { ($0.author, $0.reasons.map(\.id)) })
        #expect(why["Tester"]?.contains("nothing-to-answer") == true)
        #expect(why["Maher Hswei"]?.contains("nothing-to-answer") == true)
        #expect(why["Troll"]?.contains("abusive") == true)
        #expect(plan.held.first { $0.author == "Troll" }?.reasons.first { $0.id == "abusive" }?.quote == "you idiot")
    }

    @Test func pleasForLikesAreSetAsideUnlessTheyAskTheAuthorSomething() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "Thumbs up if you are reading this in 2031!", author: "Liker"),
            Fixture.comment("2", "Great song, give it a like and subscribe to my channel", author: "Farmer"),
            Fixture.comment("3", "Like this if you agree. Which amp did you use on the second track?", author: "Asker"),
            Fixture.comment("4", "I would like if you wrote more about amps.", author: "Reader"),
        ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        // A question to the author keeps the person in the list; "like if" inside a sentence to
        // the author ("I would like if you…") is no plea.
        #expect(plan.people.map(\.author).sorted() == ["Asker", "Reader"])
        #expect(plan.held.map(\.author).sorted() == ["Farmer", "Liker"])
        let liker = try #require(plan.held.first { $0.author == "Liker" })
        let plea = liker.reasons.first { $0.id == "asks-for-likes" }
        #expect(plea?.quote == "Thumbs up if you are reading this in 2031!")
    }

    @Test func onePersonPerPostGroupedByNameOrEmail() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "First thought.", author: "Ann Lee", email: "ann@example.net"),
            Fixture.comment("2", "Second thought.", author: "ann lee"),
            Fixture.comment("3", "Third thought.", author: "A. Lee", email: "ann@example.net"),
            Fixture.comment("4", "Someone else.", author: "Anonymous"),
            Fixture.comment("5", "Someone else again.", author: "Anonymous"),
            Fixture.comment("6", "No name at all."),
        ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        #expect(plan.people.map(\.commentIDs) == [["1", "2", "3"], ["4"], ["5"], ["6"]])
        #expect(plan.people.map(\.author) == ["Ann Lee", "Anonymous", "Anonymous", "comment #6"])
    }

    @Test func teamMembersAnswerAndAreNotListed() throws {
        let thread = Fixture.thread(
            author: "pfm",
            [
                Fixture.comment("1", "Can I pay via PayPal?", author: "Brib"),
                Fixture.comment("2", "Brib, my friend, of course you can.", author: "b. traven"),
            ])
        let withoutTeam = ReplyPlanner(options: ReplyOptions(postAuthorsAreTeam: false)).plan([thread])
        #expect(withoutTeam.posts.first?.people.count == 2)
        let withTeam = ReplyPlanner(options: ReplyOptions(team: ["B. Traven"])).plan([thread])
        let plan = try #require(withTeam.posts.first)
        #expect(plan.authorComments == ["2"])
        #expect(plan.people.map(\.author) == ["Brib"])
        #expect(plan.people.first?.status == .answered)
    }

    @Test func authorsOfOtherPostsAreTheTeamAndEmailsCarryIdentity() throws {
        let other = Fixture.thread(id: "2", title: "Another post", author: "ret marut", [])
        let thread = Fixture.thread(
            id: "1", author: "pfm",
            [
                Fixture.comment("1", "pfm", author: "pfm", email: "pfm@example.org", verdict: .author),
                Fixture.comment("2", "Where is the PDF?", author: "Kristin"),
                Fixture.comment("3", "Kristin, it is linked below.", author: "ret marut"),
                Fixture.comment("4", "Kristin: see above.", author: "P.F.M.", email: "pfm@example.org"),
            ])
        let plan = try #require(ReplyPlanner().plan([thread, other]).posts.first)
        #expect(plan.authorComments == ["1", "3", "4"])
        #expect(plan.people.map(\.author) == ["Kristin"])
    }

    @Test func sinceAndPostFilters() throws {
        let first = Fixture.thread(
            id: "10", title: "Resume plugin",
            [
                Fixture.comment("1", "Old comment.", author: "Ann", date: "2010-09-17T03:36:32Z"),
                Fixture.comment("2", "New comment.", author: "Bob", date: "2015-09-16T10:00:00Z"),
                Fixture.comment("3", "Undated comment.", author: "Cy"),
            ])
        let second = Fixture.thread(id: "11", title: "Something else", [Fixture.comment("1", "Hi", author: "Dee")])
        let since = try #require(LenientDate.parse("Jan 1, 2012"))
        let report = ReplyPlanner(options: ReplyOptions(since: since, post: "resume")).plan([first, second])
        #expect(report.posts.map(\.post.id) == ["10"])
        #expect(report.posts.first?.people.map(\.author) == ["Bob", "Cy"])
        #expect(ReplyPlanner(options: ReplyOptions(post: "11")).plan([first, second]).posts.map(\.post.id) == ["11"])
    }

    @Test(arguments: [
        ("2010-09-17T03:36:32Z", "2010-09-17 03:36:32"),
        ("2010-09-17 03:36:32", "2010-09-17 03:36:32"),
        ("2010-09-17", "2010-09-17 00:00:00"),
        ("Mar 6, 2019", "2019-03-06 00:00:00"),
        ("February 4th, 2009 11:51 am", "2009-02-04 11:51:00"),
        ("February 4, 2009 at 11:51 pm", "2009-02-04 23:51:00"),
        ("4 February 2009", "2009-02-04 00:00:00"),
        ("09/17/2010", "2010-09-17 00:00:00"),
        ("3. März 2021 um 16:12 Uhr", "2021-03-03 16:12:00"),
        ("12 avril 2022 à 18 h 40 min", "2022-04-12 18:40:00"),
        ("13 avril 2022 à 9h15", "2022-04-13 09:15:00"),
        ("3 de marzo de 2021 a las 16:12", "2021-03-03 16:12:00"),
        ("3 marzo 2021 alle 16:12", "2021-03-03 16:12:00"),
        ("3 de março de 2021 às 08:05", "2021-03-03 08:05:00"),
        ("3 maart 2021 om 16:12", "2021-03-03 16:12:00"),
        ("4 févr. 2020", "2020-02-04 00:00:00"),
    ])
    func lenientDates(text: String, expected: String) throws {
        let date = try #require(LenientDate.parse(text))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        #expect(formatter.string(from: date) == expected)
    }

    @Test(arguments: ["", "yesterday", "32/13/2010", "not a date 2010"])
    func unreadableDates(text: String) {
        #expect(LenientDate.parse(text) == nil)
    }
}

@Suite struct WarningTests {
    @Test func authorRepliedToSpamByThreadAndByName() {
        let thread = Fixture.thread([
            Fixture.comment("1", "Great post, visit my shop", author: "Cheap Watches", verdict: .spam),
            Fixture.comment("2", "Thank you!", author: "Becky Carroll", parent: "1", verdict: .author),
            Fixture.comment("3", "Cheap Watches, thanks for stopping by.", author: "Becky Carroll", verdict: .author),
        ])
        let warnings = ReplyPlanner().plan([thread]).warnings
        #expect(warnings.map(\.kind) == [.answeredSpam, .answeredSpam])
        #expect(warnings.map(\.commentIDs) == [["2", "1"], ["3", "1"]])
        #expect(warnings.last?.quote == "Cheap Watches, thanks for stopping by.")
    }

    @Test func genuineCommentStuckInTheQueue() {
        let thread = Fixture.thread([
            Fixture.comment("1", "I tried this at work.", author: "Ann", status: .pending),
            Fixture.comment("2", "Same for me.", author: "Bob", status: .spam),
            Fixture.comment("3", "Fine.", author: "Cy", status: .approved),
        ])
        let warnings = ReplyPlanner().plan([thread]).warnings
        #expect(
            warnings.map(\.message) == [
                "Comment 1 by Ann looks genuine but still waits for approval.",
                "Comment 2 by Bob looks genuine but sits in the spam folder.",
            ])
    }

    @Test func plainThanksToAGenuineNameIsNoWarning() {
        let thread = Fixture.thread([
            Fixture.comment("1", "Nice one.", author: "Ann"),
            Fixture.comment("2", "Ann, thanks! Jo Smith, welcome back.", author: "Becky Carroll", verdict: .author),
        ])
        let judge: @Sendable (String) -> String? = { _ in "always suspicious" }
        let warnings = ReplyPlanner(options: ReplyOptions(spamNameJudge: judge)).plan([thread]).warnings
        #expect(
            warnings.map(\.message) == [
                "The author addressed \u{201C}Jo Smith\u{201D}, a name that looks like a spammer's (always suspicious)."
            ])
    }
}

@Suite struct RankingTests {
    static let post =
        "Moving from mass marketing to microMarketing: relationships with customers, loyalty and evangelism."

    @Test func reasonsOrderTheList() throws {
        let thread = Fixture.thread(
            title: "Customer loyalty and evangelism beat mass marketing", text: Self.post,
            [
                Fixture.comment("1", "Great post, thanks for sharing!", author: "Praise", date: "2020-01-01"),
                Fixture.comment(
                    "2", "My company tried loyalty programs last year and customers loved them.", author: "Story",
                    date: "2020-01-02"),
                Fixture.comment(
                    "3", "How would you measure loyalty and evangelism for a small shop?", author: "Asker",
                    date: "2020-01-03"),
                Fixture.comment(
                    "4", "I disagree: mass marketing still works for commodities.", author: "Critic", date: "2020-01-04"
                ),
            ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        try #require(plan.people.count == 4)
        // The question on the post's subject (weight 3) moves ahead of the two people before it
        // (a penalty of log2(3)); the story (0 + 1 for the subject, one person before it) and the
        // disagreement (1 + 1, three before it) end level with the praise, and age orders them.
        #expect(plan.people.map(\.author) == ["Asker", "Praise", "Story", "Critic"])
        #expect(plan.people.map(\.rank) == [1, 2, 3, 4])
        #expect(plan.people[0].reasons.map(\.id) == ["asks-question", "engages-post"])
        #expect(plan.people[0].reasons.first?.quote == "How would you measure loyalty and evangelism for a small shop?")
        #expect(plan.people[1].reasons.isEmpty)
        // Reasons that do not rank are still shown, after those that do.
        #expect(plan.people[2].reasons.map(\.id) == ["engages-post", "personal-story"])
        #expect(plan.people[2].reasons.first?.description == "takes up the post's subject (loyalty, customer)")
        #expect(plan.people[3].reasons.map(\.id) == ["disagrees", "engages-post"])
    }

    @Test func aQuestionMovesAheadOfEarlierPeopleAsFarAsItsWeightGoes() throws {
        let plain = (1...5).map { number in
            Fixture.comment(
                String(number), "Thanks, enjoyed reading this one.", author: "Reader \(number)",
                date: "2020-01-0\(number)")
        }
        let asks = Fixture.comment("6", "Does this work for a small shop?", author: "Asker", date: "2020-01-06")
        let plan = try #require(ReplyPlanner().plan([Fixture.thread(plain + [asks])]).posts.first)
        // Weight 2 against log2(1 + 5) for the five people before: past four of them, not the first.
        #expect(plan.people.map(\.author) == ["Reader 1", "Asker", "Reader 2", "Reader 3", "Reader 4", "Reader 5"])
        let onSubject = Fixture.comment(
            "6", "How do you measure loyalty and evangelism?", author: "Asker", date: "2020-01-06")
        let thread = Fixture.thread(
            title: "Customer loyalty and evangelism beat mass marketing", text: Self.post, plain + [onSubject])
        let again = try #require(ReplyPlanner().plan([thread]).posts.first)
        // The post's subject adds 1: past all five.
        #expect(again.people.first?.author == "Asker")
    }

    @Test func aReplyToAnotherReaderRanksBelowOneToThePost() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "Thanks, enjoyed reading this one.", author: "Ann", date: "2020-01-01"),
            Fixture.comment("2", "Same here, thanks for the pointer.", author: "Bea", parent: "1", date: "2020-01-02"),
            Fixture.comment("3", "Glad to hear it, more soon.", author: "Becky Carroll", date: "2020-01-03"),
            Fixture.comment("4", "Looking forward to the next part.", author: "Cy", parent: "3", date: "2020-01-04"),
        ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        let bea = try #require(plan.people.first { $0.author == "Bea" })
        #expect(bea.reasons.map(\.id) == ["replies-to-reader"])
        #expect(bea.reasons.first?.description == "talks with another reader (Ann)")
        #expect(bea.reasons.first?.quote == "Same here, thanks for the pointer.")
        // Answering the author is no talk between readers.
        let cy = try #require(plan.people.first { $0.author == "Cy" })
        #expect(cy.reasons.isEmpty)
        #expect(plan.people.map(\.author) == ["Ann", "Cy", "Bea"])
    }

    @Test func olderFirstAmongEqualReasonsAndAnsweredLast() throws {
        let thread = Fixture.thread([
            Fixture.comment("1", "What about RSS?", author: "Late", date: "2020-02-01"),
            Fixture.comment("2", "What about Atom?", author: "Early", date: "2020-01-01"),
            Fixture.comment("3", "What about email?", author: "Done", date: "2019-12-01"),
            Fixture.comment("4", "Done: email works.", author: "Becky Carroll", date: "2020-03-01", verdict: .author),
        ])
        let plan = try #require(ReplyPlanner().plan([thread]).posts.first)
        #expect(plan.people.map(\.author) == ["Early", "Late", "Done"])
        #expect(plan.people.map(\.status) == [.waiting, .waiting, .answered])
    }

    @Test func firstTimeReturningAndOpenSubthread() throws {
        let older = Fixture.thread(
            id: "1", title: "Older",
            [
                Fixture.comment("1", "Hello.", author: "Regular", date: "2020-01-01")
            ])
        let newer = Fixture.thread(
            id: "2", title: "Newer",
            [
                Fixture.comment("1", "Hello again.", author: "Regular", date: "2020-02-01"),
                Fixture.comment("2", "Hi there.", author: "Newcomer", date: "2020-02-02"),
                Fixture.comment("3", "Welcome!", author: "Regular", parent: "2", date: "2020-02-03"),
            ])
        let plan = try #require(ReplyPlanner().plan([older, newer]).posts.last)
        let regular = try #require(plan.people.first { $0.author == "Regular" })
        #expect(regular.reasons.map(\.id) == ["returning", "replies-to-reader"])
        let newcomer = try #require(plan.people.first { $0.author == "Newcomer" })
        #expect(newcomer.reasons.map(\.id) == ["open-subthread", "first-time"])
        #expect(newcomer.reasons.first?.description == "others replied but the author has not (Regular)")
        // With one post there is nothing to compare with, so nobody is called a first-timer.
        let single = try #require(ReplyPlanner().plan([newer]).posts.first)
        #expect(single.people.allSatisfy { !$0.reasons.contains { $0.id == "first-time" } })
    }
}

@Suite struct DefaultSpamNameJudgeTests {
    /// The default judge is the heuristics stage's `AuthorNameJudge`: business names warn, people's names do not.
    @Test func seedNames() {
        let judge = ReplyOptions.defaultSpamNameJudge
        #expect(judge("Glasgow Letting") != nil)
        #expect(judge("SEO Training SW") != nil)
        #expect(judge("Lucretia") == nil)
        #expect(judge("Jane Mumford") == nil)
    }
}

@Suite struct ReplyRuleFailureTests {
    @Test func theReportCountsRulesNotAppliedOnThePostsItCovers() {
        var slow = Fixture.comment("1", "aaaa!", author: "Ana", verdict: .spam)
        slow.verdict.reasons = [
            Reason(id: "MY_SHOUT", description: "Shout", score: 6),
            Reason(id: "MY_SLOW", description: "rule not applied: match limit", score: 0, notApplied: true),
        ]
        var other = Fixture.comment("2", "aaaa!", author: "Bo")
        other.verdict.reasons = [
            Reason(id: "MY_SLOW", description: "rule not applied: match limit", score: 0, notApplied: true)
        ]
        let shown = Fixture.thread(id: "1", title: "Letters", [slow, Fixture.comment("3", "Nice loaf, what flour?")])
        let filtered = Fixture.thread(id: "2", title: "Elsewhere", [other])
        let all = ReplyPlanner().plan([shown, filtered])
        #expect(all.ruleFailures.comments == ["MY_SLOW": 2])
        let one = ReplyPlanner(options: ReplyOptions(post: "Letters")).plan([shown, filtered])
        #expect(one.ruleFailures.comments == ["MY_SLOW": 1])
        #expect(ReplyPlanner().plan([Fixture.thread([Fixture.comment("4", "Hello")])]).ruleFailures.isEmpty)
    }
}

@Suite struct NameIndexTests {
    @Test func candidatesAreThePeopleATextCouldName() throws {
        let names: [[PersonName]] = [
            [try #require(PersonName("Lucretia Jones"))],
            [try #require(PersonName("Bob"))],
            [try #require(PersonName("Jane Mumford"))],
            [try #require(PersonName("王小明"))],
            [try #require(PersonName("@handle"))],
        ]
        let index = NameIndex(names)
        // Every person `address` finds in a text is among the candidates; the others are not
        // searched for. (Always: the name in a script without spaces, the one starting with "@".)
        for (text, expected) in [
            ("Lucretia, thanks!", [0, 3, 4]),
            ("Thanks Bob and lucretia jones", [0, 1, 3, 4]),
            ("JM: agreed.\nSee you", [2, 3, 4]),
            ("Nobody here", [3, 4]),
        ] {
            let folded = FoldedText(text)
            #expect(index.candidates(in: folded) == expected, "\(text)")
            for (person, personNames) in names.enumerated()
            where personNames.contains(where: { NameAddressing.address(of: $0, in: folded) != nil }) {
                #expect(expected.contains(person), "\(text): \(person)")
            }
        }
    }
}
