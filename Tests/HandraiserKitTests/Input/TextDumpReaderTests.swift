import Foundation
import HandraiserInput
import HandraiserModel
import Testing

/// The three seed pages the project started from.
@Suite struct TextDumpSeedTests {
    @Test func seed001FindsTenOfFifteenPromisedComments() throws {
        let thread = try DumpFixtures.read("seeds/001_93fc104830a6439d.txt")
        #expect(thread.post.title == "From Reach to Relationships: microMarketing Chapter Review")
        #expect(thread.post.text?.hasPrefix("focusI was recently asked") == true)
        #expect(thread.post.text?.contains("Becky Carroll") == true)
        #expect(thread.promisedCommentCount == 15)
        let comments = thread.comments
        #expect(comments.map(\.id) == (1...10).map(String.init))
        #expect(comments.map { $0.location.line } == [49, 51, 53, 59, 61, 68, 73, 91, 96, 101])

        let missing = try #require(thread.notes.first { $0.code == "missing-comments" })
        #expect(missing.severity == .warning)
        #expect(missing.message == "header promises 15 comments; the dump holds 10")
        #expect(missing.location?.line == 47)

        #expect(comments[0].type == .comment)
        #expect(comments[0].author == nil)
        #expect(comments[0].text.hasPrefix("Love your takeaways! I’m actually reading the reviews *before*"))
        #expect(comments[0].text.hasSuffix("for all of the amazing takeaways per chapter."))

        #expect(comments[1].type == .pingback)
        #expect(comments[1].author == "The Next Big Thing? Lot’s of Little Things. « The Engaged Consumer")

        let becky = comments[2]
        #expect(becky.author == "Becky Carroll")
        #expect(
            becky.text == """
                Lucretia and SEO Training SW, glad you liked my takeaways from this chapter of the book. \
                I look forward to reading the rest of the chapters and finding more.

                Glasgow Letting, thanks for your comment; let us know what you think after you read it!
                """)
        let authorship = try #require(becky.authorship)
        #expect(authorship.isPostAuthor)
        #expect(authorship.confidence >= 0.8)
        #expect(authorship.evidence.contains("my takeaways"))
        let inferred = try #require(thread.notes.first { $0.code == "author-inferred" })
        #expect(inferred.severity == .info)
        #expect(inferred.location?.line == 53)

        for comment in comments[3...] {
            #expect(comment.type == .comment)
            #expect(comment.author == nil)
            #expect(comment.authorship == nil)
        }
        #expect(
            comments[4].content == """
                Should be you successful, you can claim compensation for the pain and suffering this negligence has caused, covering any financial damages,
                personal injury and emotional trauma. Medical negligence is
                an act, or the failure to act, by a medical provider within the medical care of a
                patient that is not consistent within the accepted standard of care.
                Dean Mc – Durmont is a master of law, who has expertise in handling
                Mesothelioma and other Medical malpractice lawyer New York cases.
                """)
        #expect(!comments[4].text.contains("\n"))
        #expect(comments[4].text.contains("damages, personal injury"))
        #expect(comments[6].content.split(separator: "\n").count == 17)
        #expect(
            comments[8].text == """
                The B5 Regimen is a treatment plan that utilizes Vitamin B5 to cure acne. \
                But before you buy HCG drops you should know how they work.

                It is though because you just need to take drops timely and live the way you are doing.
                """)
    }

    @Test func seed001WithAuthorOption() throws {
        let options = ReadOptions(authorNames: ["  becky   CARROLL "])
        let thread = try DumpFixtures.read("seeds/001_93fc104830a6439d.txt", options: options)
        let marked = thread.comments.filter { $0.authorship?.isPostAuthor == true }
        #expect(marked.map(\.id) == ["3"])
        #expect(marked.first?.authorship?.confidence == 1)
        #expect(!thread.notes.contains { $0.code == "author-inferred" })
    }

    @Test func authorOptionNamingNobodyOverridesInference() throws {
        let options = ReadOptions(authorNames: ["Greg Verdino"])
        let thread = try DumpFixtures.read("seeds/001_93fc104830a6439d.txt", options: options)
        #expect(thread.comments.allSatisfy { $0.authorship == nil })
        #expect(thread.notes.contains { $0.code == "author-not-found" && $0.message.contains("“Greg Verdino”") })
    }

    @Test func seed000IsAPostWithoutComments() throws {
        let thread = try DumpFixtures.read("seeds/000_c75ce632b9b74587.txt")
        #expect(thread.post.title == "Mike Michalowicz Shows Us How It’s Done")
        #expect(thread.post.byline == "by | Mar 6, 2019 | Uncategorized | 0 comments")
        #expect(thread.post.author == nil)
        #expect(thread.post.date == "Mar 6, 2019")
        #expect(thread.post.text?.hasPrefix("A piece of junk mail arrived") == true)
        #expect(thread.post.text?.hasSuffix("then I hope we can too.") == true)
        #expect(thread.comments.isEmpty)
        #expect(thread.promisedCommentCount == nil)
        #expect(thread.notes.allSatisfy { $0.severity == .info })
    }

    @Test func seed002IsAHardWrappedPostWithoutComments() throws {
        let thread = try DumpFixtures.read("seeds/002_62e5594924bfdf1d.txt")
        #expect(thread.post.title == "How micro-marketing can deliver macro results")
        #expect(thread.post.byline == nil)
        #expect(thread.comments.isEmpty)
        #expect(thread.promisedCommentCount == nil)
        #expect(thread.notes.allSatisfy { $0.severity == .info })
        // The post's own hard wrapping is undone too.
        #expect(thread.post.text?.contains("Take communication, for example. From telegraph") == true)
    }
}

/// Invented pages in the shapes common WordPress, Disqus and Blogger themes paste as.
@Suite struct TextDumpFixtureTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var fixture: String
        var expected: String
        var testDescription: String { fixture }
    }

    static let cases: [Case] = [
        Case(
            fixture: "wordpress-thoughts",
            expected: """
                post: Planting Garlic in Heavy Clay Soil
                byline: Posted on October 14, 2021 by Dana Whitfield
                post author: Dana Whitfield
                post date: October 14, 2021
                promised: 4
                #1 by Marcus Oyelaran on October 15, 2021 at 7:42 am @13
                  > I tried this last year with hardneck garlic and the bulbs came out twice the size of the ones in the open ground. Do you water the bed over winter, or leave it to the rain?
                #2 by Dana Whitfield on October 15, 2021 at 9:03 am reply to #1 @19 [post author]
                  > Thanks for your comment, Marcus! I leave it to the rain unless we get a dry spell in March.
                #3 by Priya Ramanathan on October 16, 2021 at 6:15 pm @25
                  | Leaf mould is the secret ingredient on my allotment too.
                  | Two seasons of it and the clay turned crumbly.
                  > Leaf mould is the secret ingredient on my allotment too. Two seasons of it and the clay turned crumbly.
                #4 pingback by Autumn Jobs for the Vegetable Patch « Muddy Boots Gardening @32
                  > Pingback: Autumn Jobs for the Vegetable Patch « Muddy Boots Gardening
                note author-inferred (info): took comment 2 by “Dana Whitfield” for the post author's (confidence 0.95): their name is the byline's (“Dana Whitfield”), addresses someone by name (“Thanks for your comment, Marcus! I leave it to…”), names other commenters of this thread and talks to commenters as a host (“thanks for your comment”)
                """),
        Case(
            fixture: "disqus",
            expected: """
                post: Why I Switched to a Standing Desk
                byline: by Tomasz Wierzbicki · March 2, 2020 · 4 min read
                post author: Tomasz Wierzbicki
                post date: March 2, 2020
                promised: 3
                #1 by Helga Sørensen on 2 years ago @13
                  > I've had mine for a year. The anti-fatigue mat made more difference than the desk itself.
                #2 by Tomasz Wierzbicki on 2 years ago reply to #1 @21 [post author]
                  > Good point about the mat, Helga. I'll write a follow-up once I've tried one.
                #3 by QuickLoans4U on 2 years ago @29
                  > Need cash fast? Visit our site for instant approval loans today.
                note paginated-comments (info): the comments continue on another page (“Load more comments”)
                note author-inferred (info): took comment 2 by “Tomasz Wierzbicki” for the post author's (confidence 0.95): their name is the byline's (“Tomasz Wierzbicki”), the page marks the commenter as a moderator of the site, addresses someone by name (“Good point about the mat, Helga. I'll write a…”), names other commenters of this thread and speaks of the post as theirs (“I'll write”)
                """),
        Case(
            fixture: "markdown-links",
            expected: """
                post: Notes from the Regional Beekeeping Meetup
                byline: By Orla Fitzgerald | May 21, 2022 | Events | 3 Comments
                post author: Orla Fitzgerald
                post date: May 21, 2022
                promised: 3
                #1 by Benedikt Araújo <https://benedikt.example.org> on May 21, 2022 at 8:10 pm @9
                  | The varroa session was the highlight for me. Has anyone tried the
                  | oxalic acid vapour method through a whole winter?
                  > The varroa session was the highlight for me. Has anyone tried the oxalic acid vapour method through a whole winter?
                #2 by Orla Fitzgerald <https://orla.example.net/about> on May 22, 2022 at 7:55 am @16 [post author]
                  > Benedikt, we ran it last winter on six hives. I'll write a follow-up post with the numbers.
                #3 by Yusuf Demir on May 23, 2022 at 1:30 pm @22
                  > Great write-up. Which supplier did the club use for the frames?
                note author-inferred (info): took comment 2 by “Orla Fitzgerald” for the post author's (confidence 0.95): their name is the byline's (“Orla Fitzgerald”) and speaks of the post as theirs (“a follow-up post”)
                """),
        Case(
            fixture: "pingbacks",
            expected: """
                post: Composting in Small Apartments
                byline: by Lena Hoffmann | Jun 2, 2020 | Home | 5 comments
                post author: Lena Hoffmann
                post date: Jun 2, 2020
                promised: 5
                #1 by Rafael Quintero on June 3, 2020 at 10:12 am @9
                  > Worm bins changed my life. Mine lives under the sink and never smells.
                #2 by Lena Hoffmann on June 3, 2020 at 2:40 pm @16 [post author]
                  > Rafael, glad you liked the post! Do you feed yours coffee grounds too?
                #3 pingback by Ten Green Habits for 2020 - The Thrifty Nest @25
                  > Pingback: Ten Green Habits for 2020 - The Thrifty Nest
                #4 trackback by Weekly Link Roundup #42 | Urban Sprout @26
                  > Trackback: Weekly Link Roundup #42 | Urban Sprout
                #5 pingback by City Soil Weekly » Apartment composting round-up @27
                  | City Soil Weekly » Apartment composting round-up
                  | […] Lena's guide to worm bins is the clearest we have read […]
                  > City Soil Weekly » Apartment composting round-up […] Lena's guide to worm bins is the clearest we have read […]
                note author-inferred (info): took comment 2 by “Lena Hoffmann” for the post author's (confidence 0.95): their name is the byline's (“Lena Hoffmann”), addresses someone by name (“Rafael, glad you liked the post! Do you feed…”), names other commenters of this thread and talks to commenters as a host (“glad you liked”)
                """),
        Case(
            fixture: "blogger-said",
            expected: """
                post: Ferry Timetables and the Joy of Waiting
                byline: Posted by Iain MacLeod
                post author: Iain MacLeod
                promised: 6
                #1 by Morag Baird on March 12, 2015 at 9:02 AM @9
                  > The 7:40 sailing is always late on Fridays, I have given up fighting it.
                #2 by Iain MacLeod on March 12, 2015 at 11:47 AM @14 [post author]
                  > Morag, you're right, and the café on the pier makes it bearable. Thanks for reading!
                #3 by Anonymous on March 13, 2015 at 3:15 AM @19
                  > Cheap ferry tickets here www.example-cheap-tickets.test best prices
                note missing-comments (warning): header promises 6 comments; the dump holds 3
                note author-inferred (info): took comment 2 by “Iain MacLeod” for the post author's (confidence 0.95): their name is the byline's (“Iain MacLeod”), addresses someone by name (“Morag, you're right, and the café on the pier…”), names other commenters of this thread and talks to commenters as a host (“thanks for reading”)
                """),
        Case(
            fixture: "unnumbered-names",
            expected: """
                post: Our Street's Little Free Library Turns One
                #1 by Harriet Okafor @7
                  > I dropped off a stack of mystery novels last week and they were all gone by Sunday.
                #2 by Wendell Brooks @11 [post author]
                  > Harriet, that was you! You have started a crime-fiction craze on our street.
                  > 
                  > Thanks for your comment, and as I said in the post, the new shelf goes up next month.
                #3 by Sunil Varma @17
                  | My kids check it every morning on the way to school.
                  | Sunil
                  > My kids check it every morning on the way to school. Sunil
                #4 pingback @22
                  > […] the little library on Elm Row has become the street's living room […]
                note author-inferred (info): took comment 2 by “Wendell Brooks” for the post author's (confidence 0.7): addresses someone by name (“Harriet, that was you! You have started a…”), names other commenters of this thread, talks to commenters as a host (“thanks for your comment”) and speaks of the post as theirs (“as I said in the post”)
                """),
        Case(
            fixture: "numbered-nested",
            expected: """
                post: Fixing a Squeaky Staircase
                byline: By Jane Okonkwo
                post author: Jane Okonkwo
                promised: 3
                #1 by Rob Tennant on January 9, 2018 at 8:20 pm @9
                  > Does the talcum powder trick work on oak treads?
                #1.1 by Jane Okonkwo on January 10, 2018 at 7:05 am reply to #1 @12 [post author]
                  > It does for a while, Rob. Screws from below last longer.
                #2 by Elif Şahin on January 11, 2018 at 12:30 pm @15
                  > Worked a treat on our Victorian stairs, thank you.
                note author-inferred (info): took comment 1.1 by “Jane Okonkwo” for the post author's (confidence 0.95): their name is the byline's (“Jane Okonkwo”), addresses someone by name (“It does for a while, Rob. Screws from below last…”) and names other commenters of this thread
                """),
        Case(
            fixture: "typepad-signed",
            expected: """
                post: On Keeping a Commonplace Book
                post author: Marta Kowalczyk
                #1 by Lena Moravec on March 04, 2010 at 09:12 AM @12
                  > Do you keep an index? My paper one became useless after the third notebook because I could never find anything again.
                #2 by Jorge Almeida on March 04, 2010 at 11:40 AM @16
                  > I scan my old notebooks and keep the scans next to the text files.
                  > 
                  > Search only finds the text, but at least the pages are there when I want them.
                #3 by essay writing service on March 05, 2010 at 02:03 AM @22
                  > Buy cheap essays online, best essay writing service, 100% plagiarism free, order now!
                #4 by Marta Kowalczyk on March 05, 2010 at 08:30 PM @26 [post author]
                  > Lena, I keep one index file with a line per entry and a few tags. It is crude, but grep does the rest.
                note unsigned-text (info): text after the last “Posted by” line has no signature and was not read as a comment
                note author-inferred (info): took comment 4 by “Marta Kowalczyk” for the post author's (confidence 0.9): their name is the byline's (“Marta Kowalczyk”)
                """),
        Case(
            fixture: "facebook-plugin",
            expected: """
                post: Ten years of sourdough
                promised: 3
                #1 by Rosa Delgado @11
                  > What hydration do you use for rye? Mine always spreads flat.
                #2 by Tom Becker @15
                  > Ten years! I gave up after three weeks. The jam jar detail made me laugh, that is exactly how mine started too.
                #3 by Fast Loans Today @19
                  > Need cash fast? Get approved in minutes, no credit check! Apply now at our site.
                """),
        Case(
            fixture: "blogger-replies",
            expected: """
                post: Walking the coast path in winter
                promised: 3
                #1 by Anonymous on January 21, 2023 at 5:12 AM @7
                  > Which guide book did you use? The tide tables for the Gwynver stretch confused us last year.
                #2 by Megan Trevail on January 21, 2023 at 9:40 AM @17
                  > We used the National Trail guide, and the tide times from the harbour office in Penzance.
                #3 by Ollie Pascoe on January 22, 2023 at 6:03 PM @24
                  > Four days in January, you are braver than me. Did the hostels stay open?
                """),
        Case(
            fixture: "discourse-embed",
            expected: """
                post: Notes on running a small mailing list
                #1 by anna_k on Mar 2021 @7
                  > How do you deal with people who reply-all with one-word answers? That is what drives people away from ours.
                #2 by ben.t on Mar 2021 @14
                  > We set replies to go to the sender only. It cut the noise by half.
                #3 by cheapvpnguide on Apr 2021 @19
                  > Best VPN deals 2021, 80% discount, click here to get the offer now.
                note comment-section-guessed (info): no comment-section header; the comments are taken to start here
                """),
        Case(
            fixture: "no-comments",
            expected: """
                post: A Week Without Social Media
                byline: Posted on April 2, 2023 by Marisol Ortega | No Comments
                post author: Marisol Ortega
                post date: April 2, 2023
                note no-comments (info): the dump has no comment section
                """),
    ]

    @Test(arguments: cases) func readsWholeStructure(_ fixture: Case) throws {
        let thread = try DumpFixtures.read("fixtures/dump/\(fixture.fixture).txt")
        #expect(DumpFixtures.render(thread) == fixture.expected)
    }

    /// Windows line endings and a byte order mark change nothing but the byte offsets.
    @Test(arguments: cases) func crlfAndByteOrderMarkReadTheSame(_ fixture: Case) throws {
        let plain = try DumpFixtures.read("fixtures/dump/\(fixture.fixture).txt")
        let text = try String(
            contentsOfFile: DumpFixtures.path("fixtures/dump/\(fixture.fixture).txt"), encoding: .utf8)
        let crlf =
            [0xEF, 0xBB, 0xBF]
            + Array(text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n").utf8)
        let thread = try TextDumpReader.parse(crlf, file: DumpFixtures.path("fixtures/dump/\(fixture.fixture).txt"))
        #expect(DumpFixtures.render(thread) == DumpFixtures.render(plain))
        #expect(thread.comments.map(\.content) == plain.comments.map(\.content))
    }
}
