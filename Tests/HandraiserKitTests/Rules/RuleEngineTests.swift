import HandraiserMatching
import HandraiserModel
import Testing

@testable import HandraiserRules

@Suite struct RuleEngineTests {
    private func engine(_ text: String, limits: MatchLimits = .standard) throws -> RuleEngine {
        try RuleEngine(try RuleSet.parse(text, file: "t.cf"), limits: limits)
    }

    private func evaluate(_ rules: String, _ input: RuleInput, facts: Set<String> = []) throws -> RuleEvaluation {
        try engine(rules).evaluate(input, facts: facts, scratch: MatchScratch())
    }

    @Test func bodyEvidenceIsAUTF8ByteRangeAfterMultibyteText() throws {
        let body = "Ünïcödé 😀 日本: see the Malpractice Lawyer today"
        let result = try evaluate(
            """
            body HR_LAWYER /malpractice\\s+lawyer/i
            score HR_LAWYER 3.5
            describe HR_LAWYER Legal SEO
            """, RuleInput(body: body))
        let hit = try #require(result.hit("HR_LAWYER"))
        #expect(hit.score == 3.5)
        #expect(hit.description == "Legal SEO")
        let evidence = try #require(hit.evidence)
        #expect(evidence.field == .text)
        #expect(evidence.excerpt == "Malpractice Lawyer")
        let prefix = "Ünïcödé 😀 日本: see the "
        #expect(evidence.range == prefix.utf8.count..<prefix.utf8.count + "Malpractice Lawyer".utf8.count)
        #expect(String(decoding: Array(body.utf8)[evidence.range], as: UTF8.self) == "Malpractice Lawyer")
    }

    @Test func rawbodySeesTheHTMLBodyDoesNot() throws {
        let rules = "rawbody HR_ANCHOR /<a\\s+href/i\nbody HR_BODY_ANCHOR /<a\\s+href/i\n"
        let input = RuleInput(body: "cheap pills", rawbody: "<a href=\"http://x.example\">cheap pills</a>")
        let result = try evaluate(rules, input)
        #expect(result.hits.map(\.id) == ["HR_ANCHOR"])
        #expect(result.hits.first?.evidence == Evidence(field: .content, range: 0..<7, excerpt: "<a href"))
    }

    @Test func headerRulesTestTheirFieldAndNegationHitsWhenItDoesNotMatch() throws {
        let rules = """
            header HR_NAME_BIZ author =~ /\\b(?:loans?|casino)\\b/i
            header HR_NO_MAIL  email !~ /@/
            header HR_TITLE    post_title =~ /giveaway/i
            """
        let spammy = RuleInput(body: "hi", fields: ["author": "Best Casino Bonus", "email": "noreply"])
        let hits = try evaluate(rules, spammy).hits
        #expect(hits.map(\.id) == ["HR_NAME_BIZ", "HR_NO_MAIL"])
        #expect(hits[0].evidence == Evidence(field: .author, range: 5..<11, excerpt: "Casino"))
        #expect(hits[1].evidence == Evidence(field: .email, range: 0..<7, excerpt: "noreply"))

        let person = RuleInput(body: "hi", fields: ["author": "Casinova Smith", "email": "jo@example.org"])
        #expect(try evaluate(rules, person).hits.isEmpty)

        // An absent field is empty, as SpamAssassin treats a missing header: `!~` hits without evidence.
        let anonymous = try evaluate(rules, RuleInput(body: "hi"))
        #expect(anonymous.hits.map(\.id) == ["HR_NO_MAIL"])
        #expect(anonymous.hits.first?.evidence == nil)
    }

    @Test func uriRulesTryEveryURLAndQuoteTheWholeURL() throws {
        let rules = "uri HR_SHORTENER /(?:^|[\\/.])bit\\.ly\\//i\n"
        let input = RuleInput(body: "x", uris: ["https://example.org/ok", "http://bit.ly/3xYz"])
        let hit = try #require(try evaluate(rules, input).hit("HR_SHORTENER"))
        #expect(hit.evidence?.field == .uri)
        #expect(hit.evidence?.excerpt == "http://bit.ly/3xYz")
        #expect(hit.evidence?.range == 6..<14)
        #expect(try evaluate(rules, RuleInput(body: "bit.ly/abc is in the body only")).hits.isEmpty)
    }

    @Test func subrulesScoreNothingAndFeedMetaRules() throws {
        let rules = """
            body __PRAISE /\\bgreat post\\b/i
            uri  __ANY_URL /./
            meta HR_PRAISE_LINK (__PRAISE && __ANY_URL)
            score HR_PRAISE_LINK 2
            score __PRAISE 5
            """
        let both = try evaluate(rules, RuleInput(body: "Great post!", uris: ["http://x.example/"]))
        #expect(both.hits.map(\.id) == ["__PRAISE", "__ANY_URL", "HR_PRAISE_LINK"])
        #expect(both.hits.map(\.score) == [0, 0, 2])
        // A meta rule quotes the evidence of its first operand that has some.
        #expect(both.hit("HR_PRAISE_LINK")?.evidence?.excerpt == "Great post")

        let praiseOnly = try evaluate(rules, RuleInput(body: "Great post!"))
        #expect(praiseOnly.hits.map(\.id) == ["__PRAISE"])
    }

    @Test(arguments: [
        ("", false), ("a", false), ("a b", true), ("a c", true), ("a b c", true), ("b c", true), ("c", false),
    ])
    func arithmeticMetaCountsOperands(body: String, fires: Bool) throws {
        let rules = """
            body __A /\\ba\\b/
            body __B /\\bb\\b/
            body __C /\\bc\\b/
            meta HR_TWO_OF_THREE (__A + __B + __C) >= 2
            """
        #expect((try evaluate(rules, RuleInput(body: body)).hit("HR_TWO_OF_THREE") != nil) == fires)
    }

    @Test func metaPrecedenceNegationAndNestedMetas() throws {
        let rules = """
            body __A /a/
            body __B /b/
            body __C /c/
            meta __AB __A && !__B
            meta HR_X __AB || __C && __B
            meta HR_Y !(__A || __B) && HR_X == 0
            meta HR_Z (__A * 3 - __B) / 2 > 1
            """
        func ids(_ body: String) throws -> [String] {
            try evaluate(rules, RuleInput(body: body)).hits.map(\.id).filter { !$0.hasPrefix("__") }
        }
        #expect(try ids("a") == ["HR_X", "HR_Z"])
        #expect(try ids("a b") == [])
        #expect(try ids("b c") == ["HR_X"])
        #expect(try ids("zzz") == ["HR_Y"])
    }

    @Test func metaRulesUseBuiltInCheckFacts() throws {
        let rules = """
            body __PRAISE /thanks for sharing/i
            meta HR_PRAISE_ONLY_LINK __PRAISE && HC_LINK_ONLY
            """
        let input = RuleInput(body: "Thanks for sharing")
        #expect(try evaluate(rules, input).hit("HR_PRAISE_ONLY_LINK") == nil)
        #expect(try evaluate(rules, input, facts: ["HC_LINK_ONLY"]).hit("HR_PRAISE_ONLY_LINK") != nil)
    }

    @Test func metaRulesThatDependOnThemselvesAreRejected() throws {
        let set = try RuleSet.parse(
            """
            body __A /a/
            meta HR_P __A && HR_Q
            meta HR_Q HR_P || __A
            """, file: "loop.cf")
        #expect(
            throws: RuleFileError(
                file: "loop.cf", line: 3, column: 6, message: "meta rule HR_Q depends on itself: HR_P → HR_Q → HR_P")
        ) {
            try RuleEngine(set)
        }
    }

    @Test func scoreZeroSwitchesARuleOffAndUnscoredRulesScoreOne() throws {
        let rules = """
            body HR_OFF /x/
            score HR_OFF 0
            body HR_PLAIN /x/
            meta HR_USES_OFF HR_OFF
            """
        let hits = try evaluate(rules, RuleInput(body: "x")).hits
        // The switched-off rule neither scores nor counts in the meta rule that uses it.
        #expect(hits.map(\.id) == ["HR_PLAIN"])
        #expect(hits.first?.score == 1.0)
    }

    @Test func aCatastrophicRuleFailsAloneAndTheOthersStillRun() throws {
        let rules = """
            body HR_BOOM /(a+)+$/
            body HR_FINE /aaaa/
            """
        let input = RuleInput(body: String(repeating: "a", count: 50_000) + "!")
        let result = try evaluate(rules, input)
        #expect(result.hits.map(\.id) == ["HR_FINE"])
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.ruleID == "HR_BOOM")
        #expect(error.isLimit)
        #expect(error.location == SourceLocation(file: "t.cf", line: 1, column: 6))
        #expect(error.description.hasPrefix("t.cf:1:6: rule HR_BOOM not applied: "))
    }

    @Test func slowRulesStopAtThePerCommentTimeBudgetAndTheVerdictUsesWhatRan() throws {
        // Each of these hits PCRE2's match limit (milliseconds apiece); 500 of them would take
        // far longer than the 50 ms budget, so most must be skipped, in one reported error.
        var rules = "body HR_FIRST /aaaa/\nbody HR_SECOND /^a/\nmeta HR_META (HR_SECOND && HR_FIRST)\n"
        for number in 0..<500 { rules += "body HR_SLOW_\(number) /(a+)+$/\n" }
        rules += "body HR_LAST /aaaa/\n"
        let engine = try RuleEngine(try RuleSet.parse(rules, file: "t.cf"), timeBudget: .milliseconds(50))
        let input = RuleInput(body: String(repeating: "a", count: 50_000) + "!")
        // No clock here: the budget's own error below shows it cut the run short.
        let result = engine.evaluate(input, scratch: MatchScratch())
        #expect(result.hits.map(\.id) == ["HR_FIRST", "HR_SECOND", "HR_META"])
        let budget = try #require(result.errors.last)
        #expect(budget.ruleID == RuleEngine.timeBudgetID)
        #expect(budget.isLimit)
        #expect(budget.message.contains("were skipped"))
        #expect(budget.message.contains("HR_LAST") == false)
        let limitErrors = result.errors.dropLast()
        #expect(!limitErrors.isEmpty && limitErrors.count < 500)
        #expect(limitErrors.allSatisfy { $0.ruleID.hasPrefix("HR_SLOW_") })
        #expect(budget.message.contains("\(limitErrors.count + 2) rules:"))
    }

    @Test func aSubRuleRunsOnlyWhenAMetaRuleNeedsIt() throws {
        // __BOOM hits PCRE2's match limit on this text, so the error shows whether it ran.
        let rules = """
            body HR_GATE /zzz/
            body __BOOM /(a+)+$/
            meta HR_BOTH (__BOOM && HR_GATE)
            meta HR_EITHER (HC_FACT || __BOOM)
            """
        let engine = try engine(rules)
        let input = RuleInput(body: String(repeating: "a", count: 50_000) + "!")
        let lazy = engine.evaluate(input, facts: ["HC_FACT"], scratch: MatchScratch())
        // HR_GATE missed, so HR_BOTH is false without __BOOM; HR_EITHER is true by the fact, and
        // looks at __BOOM only for evidence once it fired.
        #expect(lazy.hits.map(\.id) == ["HR_EITHER"])
        #expect(lazy.errors.map(\.ruleID) == ["__BOOM"])
        // Without the fact HR_EITHER needs __BOOM's value: it runs, and fails.
        let needed = engine.evaluate(input, scratch: MatchScratch())
        #expect(needed.hits.isEmpty)
        #expect(needed.errors.map(\.ruleID) == ["__BOOM"])
        let gated = try self.engine(rules.split(separator: "\n").prefix(3).joined(separator: "\n"))
        #expect(gated.evaluate(input, scratch: MatchScratch()).errors.isEmpty)
        #expect(gated.evaluate(input, scratch: MatchScratch(), allSubrules: true).errors.map(\.ruleID) == ["__BOOM"])
    }

    @Test func aMetaRuleTakesEvidenceFromItsFirstOperandWithOneEvenWhenItsValueDidNotNeedIt() throws {
        func rules(_ operands: String) -> String {
            """
            body __LINK /https?:\\/\\/\\S+/
            body __PLEA /please\\s+visit/i
            meta HR_PLEA_OR_FACT (HC_SHORT || \(operands))
            """
        }
        let input = RuleInput(body: "Nice. Please visit http://shop.example now")
        let plea = try evaluate(rules("__PLEA || __LINK"), input, facts: ["HC_SHORT"])
        #expect(plea.hit("HR_PLEA_OR_FACT")?.evidence?.excerpt == "Please visit")
        let link = try evaluate(rules("__LINK || __PLEA"), input, facts: ["HC_SHORT"])
        #expect(link.hit("HR_PLEA_OR_FACT")?.evidence?.excerpt == "http://shop.example")
    }

    @Test func aZeroBudgetSkipsEveryPatternRuleButMetaRulesStillSeeTheFacts() throws {
        let rules = """
            body HR_WORD /hello/
            meta HR_FACT (HC_SOMETHING)
            """
        let engine = try RuleEngine(try RuleSet.parse(rules, file: "t.cf"), timeBudget: .zero)
        let result = engine.evaluate(RuleInput(body: "hello"), facts: ["HC_SOMETHING"], scratch: MatchScratch())
        #expect(result.hits.map(\.id) == ["HR_FACT"])
        #expect(result.errors.map(\.ruleID) == [RuleEngine.timeBudgetID])
        #expect(result.errors.first?.message.contains("after 0 rules: 1 rules from HR_WORD on were skipped") == true)
    }

    @Test func anOrdinaryCommentStaysWellInsideTheStandardBudget() throws {
        let engine = try RuleEngine(RuleSet.defaults)
        let input = RuleInput(body: String(repeating: "A genuine and rather long comment about the post. ", count: 400))
        let result = engine.evaluate(input, scratch: MatchScratch())
        #expect(!result.errors.contains { $0.ruleID == RuleEngine.timeBudgetID })
    }

    @Test func engineCompilesProgrammaticRulesAndReportsBadPatterns() {
        var set = RuleSet()
        set.add(
            Rule(
                name: "HR_BAD", kind: .body, pattern: "a(", source: "/a(/",
                location: SourceLocation(file: "api", line: 4)))
        #expect(throws: RuleFileError.self) { try RuleEngine(set) }
        #expect(set.lint().contains { $0.message.hasPrefix("pattern of HR_BAD does not compile: ") })
    }

    @Test func disallowedKeysMatchLikeWordPress() throws {
        let list = """
            viagra
              casino.example  

            0
            Ägypten-Reisen
            a+b (c)
            """
        let set = RuleSet.disallowedKeys(list, file: "disallowed.txt")
        #expect(set.rules.count == 4)
        #expect(set.rules.map(\.location.line) == [1, 2, 5, 6])
        let engine = try RuleEngine(set)
        let scratch = MatchScratch()
        func firing(_ input: RuleInput) -> [String] {
            engine.evaluate(input, scratch: scratch).hits.map { set.describe($0.id) ?? "?" }
        }
        #expect(firing(RuleInput(body: "buy VIAGRA now")) == [#"On the site's disallowed comment keys: "viagra""#])
        // A substring, as WordPress matches it: "viagra" is inside "antiviagrafoo".
        #expect(firing(RuleInput(body: "antiviagrafoo")).count == 1)
        #expect(firing(RuleInput(body: "hi", fields: ["url": "http://CASINO.example/x"])).count == 1)
        #expect(firing(RuleInput(body: "hi", fields: ["email": "a@casino.example"])).count == 1)
        #expect(firing(RuleInput(body: "hi", fields: ["author": "ägypten-reisen"])).count == 1)
        // The "." and "+" of a key are literal, not pattern syntax.
        #expect(firing(RuleInput(body: "casinoXexample")).isEmpty)
        #expect(firing(RuleInput(body: "aab (c)")).isEmpty)
        #expect(firing(RuleInput(body: "1 a+b (c) 2")).count == 1)
        // WordPress also tests the content without its HTML.
        #expect(firing(RuleInput(body: "via gra", rawbody: "via<b></b>gra")).isEmpty)
        #expect(firing(RuleInput(body: "viagra", rawbody: "via<b>gra</b>")).count == 1)
        #expect(firing(RuleInput(body: "an honest comment", fields: ["author": "Jo", "ip": "10.0.0.1"])).isEmpty)
        #expect(set.rules.allSatisfy { set.score(for: $0.name) == RuleSet.disallowedKeyScore })
    }

    @Test func aDisallowedKeyPatternEscapesEveryASCIICharacterButLettersAndDigits() {
        // The definition, on Unicode scalars; the reader works on bytes.
        func reference(_ key: String) -> String {
            var pattern = ""
            for scalar in key.unicodeScalars {
                if scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) {
                    pattern.append("\\")
                }
                pattern.unicodeScalars.append(scalar)
            }
            return pattern
        }
        var random = SplitMix64(seed: 42)
        let pieces = [
            "a", "Z", "0", "9", " ", ".", "+", "(", "\\", "/", "#", "\t", "\u{0}", "é", "Ä", "日", "😀", "-", "_", "~",
        ]
        for _ in 0..<2_000 {
            let key = (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            #expect(RuleSet.literalPattern(key) == reference(key), "key \(key.debugDescription)")
        }
    }

    @Test func aDisallowedKeyTooLongToCompileIsReportedPerCommentNotAtLoad() throws {
        let long = String(repeating: "ab", count: 50_000)
        let set = RuleSet.disallowedKeys("viagra\n\(long)\n", file: "keys.txt")
        let engine = try RuleEngine(set)
        let scratch = MatchScratch()
        #expect(engine.evaluate(RuleInput(body: "buy viagra"), scratch: scratch).hits.count == 1)
        let evaluation = engine.evaluate(RuleInput(body: "x " + long), scratch: scratch)
        #expect(evaluation.hits.isEmpty)
        #expect(evaluation.errors.count == 1)
        #expect(evaluation.errors.first?.message.hasPrefix("pattern does not compile: ") == true)
        #expect(evaluation.errors.first?.location.line == 2)
    }

    @Test func aRepeatedDisallowedKeyIsOneRuleInItsFirstPlace() {
        let set = RuleSet.disallowedKeys("viagra\ncasino\nVIAGRA\npoker\nviagra\n", file: "keys.txt")
        // The same key in another case is the same rule; the last line wins, in the first's place.
        #expect(set.rules.map(\.source) == ["viagra", "casino", "poker"])
        #expect(set.rules.map(\.location.line) == [5, 2, 4])
    }

    @Test func examplesReportFailuresWithTheirLocation() throws {
        let set = try RuleSet.parse(
            """
            body HR_A /spam/i
            test HR_A hit "this is spam"
            test HR_A hit "this is ham"
            test HR_A miss "more SPAM here"
            test HR_NOPE hit "x"
            header HR_H author =~ /^seo\\b/i
            test HR_H hit "SEO Services"
            uri HR_U /\\.xyz\\//
            test HR_U hit "http://pills.xyz/"
            """, file: "ex.cf")
        let results = set.runExamples()
        #expect(results.map(\.passed) == [true, false, false, false, true, true])
        #expect(
            results.filter { !$0.passed }.map(\.diagnostic) == [
                #"ex.cf:3:6: expected HR_A to hit "this is ham", it did not"#,
                #"ex.cf:4:6: expected HR_A to miss "more SPAM here", it hit (matched "SPAM")"#,
                "ex.cf:5:6: no rule named HR_NOPE",
            ])
    }

    @Test func rulesCompiledOnSeveralThreadsReportTheFirstBadPatternInFileOrder() throws {
        var lines = (0..<80).map { "body HR_R\($0) /word\($0)\\b/" }
        lines[9] = "body HR_BAD_FIRST /unclosed[/"
        lines[70] = "body HR_BAD_LATER /(unbalanced/"
        // Parsed as the embedded defaults are, so the patterns are first compiled by the engine.
        let set = try RuleSet.parseDefault(lines.joined(separator: "\n"), file: "t.cf")
        for workers in [1, 2, 4] {
            #expect {
                try RuleEngine(set, workers: workers)
            } throws: { error in
                let error = try #require(error as? RuleFileError)
                return error.line == 10 && error.message.hasPrefix("rule HR_BAD_FIRST: pattern does not compile")
            }
        }
        lines[9] = "body HR_R9 /word9\\b/"
        lines[70] = "body HR_R70 /word70\\b/"
        let good = try RuleSet.parse(lines.joined(separator: "\n"), file: "t.cf")
        let input = RuleInput(body: "word3 word9 word70 word79")
        let one = try RuleEngine(good, workers: 1).evaluate(input, scratch: MatchScratch()).hits.map(\.id)
        let four = try RuleEngine(good, workers: 4).evaluate(input, scratch: MatchScratch()).hits.map(\.id)
        #expect(one == ["HR_R3", "HR_R9", "HR_R70", "HR_R79"])
        #expect(four == one)
    }
}
