import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct GenericPraiseCheckTests {
    let check = GenericPraiseCheck()
    static let post = Post(
        id: "p1", title: "From Reach to Relationships: microMarketing Chapter Review",
        text: """
            I was asked to review Chapter 7 of Greg's book on microMarketing. Companies reach customers through
            meaningful relationships, not mass campaigns; Zappos and Panasonic show how brand evangelism grows
            from loyalty. Empower your customers and they will spread the word about the brand for you.
            """)

    @Test func seedTemplateFires() {
        let text = """
            Nice concept. I agree with this post. It is the actual way of presentation. The main thing which i \
            liked in your blog is the way you presented it. you explained the concept in easy language & is very \
            precuse. Thanks for this info.
            """
        let found = run(check, makeComment(text), post: Self.post)
        #expect(ids(found) == ["HC_GENERIC_PRAISE", "HC_GENERIC_PRAISE_LONG"])
        #expect(found.first?.evidence?.excerpt == "Nice concept")
    }

    @Test(arguments: [
        "Very informative article, thanks for sharing. I will bookmark your blog and keep visiting!",
        "Great post, keep it up admin.",
        // How the template says it came across the blog is template vocabulary too.
        "Useful info. Lucky me I came across your blog by accident, I bookmarked it.",
    ])
    func templatesFire(_ text: String) {
        #expect(ids(run(check, makeComment(text))).contains("HC_GENERIC_PRAISE"))
    }

    @Test func linkAndWebsiteMakeItStronger() {
        let withLink = makeComment("Very useful information, thanks for sharing! http://cheap-stuff.example.com")
        #expect(ids(run(check, withLink)) == ["HC_GENERIC_PRAISE", "HC_GENERIC_PRAISE_LINK"])
        let signed = makeComment(
            "Very useful information, thanks for sharing!", authorURL: "http://cheap-stuff.example.com")
        #expect(ids(run(check, signed)) == ["HC_GENERIC_PRAISE", "HC_GENERIC_PRAISE_URL"])
    }

    @Test(arguments: [
        "Thanks, this fixed my nginx config!",
        "Great post, I tried the rails migration and the rollback finally works on Postgres.",
        "Thanks for the post. Zappos is a great example of customer evangelism.",
        "¡Gracias por compartir! Muy útil.",
        "Thanks",
    ])
    func specificOrTooShortDoesNotFire(_ text: String) {
        #expect(run(check, makeComment(text), post: Self.post).isEmpty, "\(text)")
    }

    @Test func evidenceSurvivesMultibyteText() {
        expectSameEvidenceAfterEmojiPrefix(check, makeComment("Great post, keep it up admin."), id: "HC_GENERIC_PRAISE")
    }
}
