import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct RelevanceCheckTests {
    let check = RelevanceCheck()
    static let post = Post(
        id: "p1", title: "Tuning PostgreSQL autovacuum for write-heavy tables",
        text: """
            Autovacuum keeps PostgreSQL tables healthy by removing dead tuples and refreshing planner statistics.
            On write-heavy tables the default thresholds are far too lazy: a table with a hundred million rows
            waits for twenty million dead tuples before vacuum starts. We lowered autovacuum_vacuum_scale_factor
            per table, raised autovacuum_max_workers, and gave each worker a larger cost limit so it finishes
            before the next batch of updates arrives. Monitoring pg_stat_user_tables showed bloat falling within
            a day, index scans getting faster, and transaction wraparound warnings disappearing. The same
            settings hurt small lookup tables, so apply them selectively, measure replication lag, and revisit
            checkpoints, shared buffers, and maintenance memory while you are there.
            """)

    @Test func unrelatedLongCommentFires() {
        let text = """
            First time home buyers also get an income tax credit of up to eight thousand dollars when they buy \
            their first home. Real estate investing might not be appropriate for all, however who have tried \
            their hand at it have discovered that it can also be extremely profitable and can assist to live a \
            better life with commercial properties.
            """
        let found = run(check, makeComment(text), post: Self.post)
        #expect(ids(found) == ["HC_OFF_TOPIC", "HC_OFF_TOPIC_TERMS"])
    }

    @Test func oneSharedEverydayWordDoesNotMakeACommentOnTopic() throws {
        // "tables" is in the post, so the zero-overlap ids stay silent; none of the post's
        // repeated words (autovacuum, dead tuples, thresholds, workers) is used.
        let text = """
            Our garden tables rotted within two winters, so we replaced them with teak benches that \
            survive rain, frost and children climbing everywhere, and the neighbours now borrow them \
            for birthday parties.
            """
        let found = run(check, makeComment(text), post: Self.post)
        #expect(ids(found) == ["HC_OFF_TOPIC_TERMS"])
        let finding = try #require(found.first)
        #expect(finding.description.contains("only “tables” among the post's"))
    }

    @Test(arguments: [
        "We lowered the autovacuum scale factor on our busiest tables and the dead tuples stopped piling up, "
            + "though the workers now compete with nightly batch updates for the cost limit.",
        "Nice concept and well written, but what happens to replication lag when autovacuum workers run "
            + "during the nightly batch of updates on those write-heavy tables?",
    ])
    func commentUsingThePostsTopicWordsIsOnTopic(_ text: String) {
        #expect(!ids(run(check, makeComment(text), post: Self.post)).contains("HC_OFF_TOPIC_TERMS"))
    }

    @Test func topicTermsAreTitleAndRepeatedWordsWithoutPraiseVocabulary() {
        let post = Post(
            id: "p9", title: "Sourdough starters", text: "Great great bread needs flour, flour and water. Patience.")
        let topic = PostTermsCache().terms(for: post, text: post.text ?? "").topicTerms
        #expect(topic == [Terms.stem("sourdough"), Terms.stem("starters"), Terms.stem("flour")])
    }

    @Test func offTopicTermsEvidenceSurvivesAMultibytePrefix() throws {
        let text = """
            😀 日本 Our garden tables rotted within two winters, so we replaced them with teak benches that \
            survive rain, frost and children climbing everywhere, and the neighbours now borrow them.
            """
        let finding = try #require(
            run(check, makeComment(text), post: Self.post).first { $0.id == "HC_OFF_TOPIC_TERMS" })
        let evidence = try #require(finding.evidence)
        #expect(!evidence.excerpt.contains("\u{FFFD}"))
        #expect(text.hasPrefix(evidence.excerpt))
        #expect(evidence.excerpt.hasPrefix("😀 日本 Our garden"))
    }

    @Test func commentAboutThePostDoesNotFire() {
        let text = """
            We had exactly this problem: lowering the scale factor on our three biggest tables fixed the bloat, \
            though we had to watch replication lag closely for a week afterwards. Did you change the cost delay too?
            """
        #expect(run(check, makeComment(text), post: Self.post).isEmpty)
    }

    @Test func shortCommentsPostsWithoutTextAndOtherLanguagesAreLeftAlone() {
        let unrelated = """
            The interface looks identical to the Netflix website. Since smartphones have turned into entertainment \
            devices, a lack of Netflix support could be a major problem for a company offering this service.
            """
        #expect(run(check, makeComment("Cheap flights to Spain!"), post: Self.post).isEmpty)
        #expect(run(check, makeComment(unrelated), post: Post(id: "p1", title: "Hello")).isEmpty)
        let spanish = """
            Muchas gracias por el artículo, yo tengo un problema parecido con mi servidor en casa y no sé cómo \
            resolverlo porque la base de datos crece cada semana y el disco se llena sin razón aparente.
            """
        #expect(run(check, makeComment(spanish), post: Self.post).isEmpty)
    }

    @Test func replyOnTopicOfItsParentDoesNotFire() {
        let parent = makeComment("Anyone driving from Cleveland to the convergence in Milwaukee next week?", id: "1")
        let reply = makeComment(
            """
            I am leaving Cleveland on Thursday morning with two free seats, happy to share gas money and \
            driving shifts, message me and we can figure out where to meet downtown.
            """, id: "2", parentID: "1", line: 2)
        #expect(run(check, reply, post: Self.post, siblings: [parent]).isEmpty)
    }

    @Test func evidenceIsClippedAtACharacterBoundary() throws {
        let text = """
            Première fois acheteurs 🏠🏠🏠 also get an income tax credit of up to eight thousand dollars when they \
            buy their first home. Real estate investing might not be appropriate for all, however who have tried \
            their hand at it have discovered that it can also be extremely profitable and can assist to live.
            """
        let finding = try #require(run(check, makeComment(text), post: Self.post).first)
        let evidence = try #require(finding.evidence)
        #expect(evidence.range.lowerBound == 0)
        #expect(evidence.range.count <= 120)
        #expect(!evidence.excerpt.contains("\u{FFFD}"))
        #expect(text.hasPrefix(evidence.excerpt))
    }

    /// Everyday words a post happens to repeat ("offer", "result", "believe") are not its topic;
    /// its title words are, even when they are everyday words too.
    static let everydayPost = Post(
        id: "p2", title: "Our bakery's first year on Main Street",
        text: """
            We believe a bakery should offer bread you can trust. The result of a year of early mornings is a
            sourdough we believe in, a rye we offer every Saturday, and a croissant whose result depends on cold
            butter. We offer classes too: the result is flour everywhere and happy students who believe they can
            bake at home. Main Street gave the bakery room for two ovens and a window onto the street. The
            sourdough starter lives in the cellar; the rye needs a longer proof; the croissant dough is laminated
            with butter three times. Our ovens run from four, the flour comes from a mill upriver, the cellar
            stays cool, the starter gets fed twice, the classes fill up fast, and the laminated dough rests
            overnight before the Saturday market.
            """)

    @Test func sharingOnlyEverydayWordsWithThePostIsStillOffItsTopic() {
        let text = """
            Believe it or not, this supplement gives visible results in a week and we offer free shipping on             every order, so people who struggle with weight see results without dieting or exercise plans.
            """
        let found = run(check, makeComment(text), post: Self.everydayPost)
        #expect(ids(found).contains("HC_OFF_TOPIC_TERMS"))
    }

    @Test func usingATitleWordKeepsACommentOnTopicEvenWhenTheWordIsEveryday() {
        let text = """
            Congratulations on the first year! We walk past on Main Street every morning and the smell from             the ovens makes the whole walk worth it; the window display makes our children stop every time.
            """
        let found = run(check, makeComment(text), post: Self.everydayPost)
        #expect(!ids(found).contains("HC_OFF_TOPIC_TERMS"))
    }
}
