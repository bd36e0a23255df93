import HandraiserMatching
import HandraiserModel
import Testing

@testable import HandraiserRules

@Suite struct RequiredLiteralsTests {
    private func literals(_ pattern: String, extended: Bool = false) -> [String]? {
        RequiredLiterals.of(pattern, extended: extended)?.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func aPlainRunOfLettersIsOneLowercasedLiteral() {
        #expect(literals(#"\bMedical\s+Malpractice\s+lawyer\b"#) == ["malpractice"])
    }

    @Test func alternativesBecomeASetAndOptionalLettersBothSpellings() {
        #expect(literals("(?:cheap|discount) pills") == ["cheap pills", "discount pills"])
        #expect(literals("colou?r") == ["color", "colour"])
        #expect(literals("casinos?") == ["casino"])
    }

    @Test func aRepeatedAtomStillRequiresOneCopy() {
        #expect(literals("(?:viagra)+") == ["viagra"])
        #expect(literals("x{2,}loans") == ["loans"])
    }

    @Test func somethingOptionalOrUnknownRequiresNothing() {
        #expect(literals("(?:foo)?bar") == ["bar"])
        #expect(literals("a.b") == nil)
        #expect(literals(#"\d+\s*%"#) == nil)
        #expect(literals("(?:loans|x)") == nil)  // one branch gives only a short literal
        #expect(literals("viagra|.*") == nil)
    }

    /// Two bytes with punctuation (a query key) are rare in prose and worth testing for; two
    /// letters, or a letter and a full stop or apostrophe, are not.
    @Test func aPunctuatedPairIsSelectiveEnough() {
        #expect(literals(#"\b(?:r|ref|affid)=\w"#) == ["affid=", "r=", "ref="])
        #expect(literals(#"[?&](?:r|ref)=\w"#) == ["&r=", "&ref=", "?r=", "?ref="])
        #expect(literals("(?:loans|go)") == nil)
        #expect(literals("(?:loans|a.)") == nil)
        #expect(literals("(?:loans|'s)") == nil)
        #expect(literals(#"(?:loans|\?)"#) == nil)
    }

    @Test func constructsBeyondTheReaderGiveNothingRatherThanAGuess() {
        #expect(literals(#"(viagra)\1"#) == nil)
        #expect(literals("(?x) v i a g r a") == nil)
        #expect(literals("(?(1)viagra|cialis)") == nil)
        #expect(literals("viagra{") == nil)
        #expect(literals("(*UTF)viagra") == nil)
        #expect(literals(#"\g<1>viagra"#) == nil)
    }

    @Test func extendedModeSkipsSpaceAndComments() {
        #expect(literals("pay \\s+ day   # the pitch\n loans", extended: true) == ["dayloans"])
    }

    @Test func classesOfAFewCharactersAreAlternatives() {
        #expect(literals("replica[sz]") == ["replicas", "replicaz"])
        #expect(literals("replica[a-z]") == ["replica"])
        #expect(literals("[^x]asino") == ["asino"])
    }

    @Test func escapesThatStandForCharactersAreLiteral() {
        #expect(literals(#"bit\.ly\/"#) == ["bit.ly/"])
        #expect(literals(#"\x41BC"#) == ["abc"])
        #expect(literals(#"\Qa+b*c\E"#) == ["a+b*c"])
    }

    @Test func lookaroundsAndAnchorsAreZeroWidth() {
        #expect(literals("^(?=.*x)casino$") == ["casino"])
        #expect(literals("(?i)casino") == ["casino"])
        #expect(literals("(?i:CASINO)") == ["casino"])
    }

    @Test func nonASCIILettersBreakALiteralButDoNotHideTheRest() {
        #expect(literals("café crème brûlée") == ["me br"])
        #expect(literals("日本語") == nil)
    }
}

extension RequiredLiteralsTests {
    /// Disallowed keys skip the pattern parser; the shortcut must find what the parser finds.
    @Test func aDisallowedKeyHasTheLiteralsItsEscapedPatternHas() {
        var random = SplitMix64(seed: 11)
        let pieces = [
            "a", "Q", "7", " ", ".", "+", "(", ")", "\\", "/", "#", "-", "_", "~", "[", "{", "|", "*", "?", "^", "$",
            "'", "é",
        ]
        for _ in 0..<3_000 {
            let key = (0..<Int(1 + random.next() % 8)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }
                .joined()
            let viaPattern = RequiredLiterals.of(RuleSet.literalPattern(key), extended: false)
            #expect(RequiredLiterals.ofDisallowedKey(key) == viaPattern, "key \(key.debugDescription)")
        }
    }
}

@Suite struct LiteralAutomatonTests {
    private func owners(_ literals: [[String]], _ text: String) -> [Int] {
        let automaton = LiteralAutomaton(literals: literals.map { $0.map { Array($0.utf8) } })
        var marks = [UInt8](repeating: 0, count: literals.count)
        automaton.scan(text, flag: 1, into: &marks)
        return marks.indices.filter { marks[$0] != 0 }
    }

    @Test func findsOverlappingAndNestedLiterals() {
        let literals = [["he"], ["she"], ["his"], ["hers"], ["xyz"]]
        #expect(owners(literals, "ushers") == [0, 1, 3])
        #expect(owners(literals, "this") == [2])
        #expect(owners(literals, "") == [])
    }

    @Test func foldsCaseAndTheLettersCaselessMatchingEquates() {
        #expect(owners([["viagra"]], "Buy VIAGRA now") == [0])
        // KELVIN SIGN and LONG S match k and s under PCRE2's caseless UCP matching.
        #expect(owners([["kiss"]], "\u{212A}i\u{017F}s") == [0])
    }

    /// Big literal sets keep only their shallow states as complete rows; the rest follow
    /// failure links. Every split must report what a plain substring search finds.
    @Test func everySplitOfDenseAndSparseStatesFindsWhatASubstringSearchFinds() {
        var random = SplitMix64(seed: 7)
        func word(_ length: Int, _ letters: [UInt8]) -> [UInt8] {
            (0..<length).map { _ in letters[Int(random.next() % UInt64(letters.count))] }
        }
        let letters = Array("abcd".utf8)
        for _ in 0..<200 {
            let literals = (0..<Int(1 + random.next() % 12)).map { _ in
                (0..<Int(1 + random.next() % 3)).map { _ in word(Int(1 + random.next() % 5), letters) }
            }
            let text = word(Int(random.next() % 40), Array("abcdAB-".utf8))
            let folded = text.map(LiteralAutomaton.fold)
            let expected = literals.indices.filter { owner in
                literals[owner].contains { literal in
                    folded.count >= literal.count
                        && (0...(folded.count - literal.count)).contains {
                            Array(folded[$0..<$0 + literal.count]) == literal
                        }
                }
            }
            for denseEntries in [0, 5, 17, 64, LiteralAutomaton.denseEntryBudget] {
                let automaton = LiteralAutomaton(literals: literals, denseEntries: denseEntries)
                var marks = [UInt8](repeating: 0, count: literals.count)
                automaton.scan(String(decoding: text, as: UTF8.self), flag: 1, into: &marks)
                #expect(
                    marks.indices.filter { marks[$0] != 0 } == expected,
                    "literals \(literals), text \(String(decoding: text, as: UTF8.self)), dense \(denseEntries)")
            }
        }
    }

    @Test func multibyteTextAroundLiteralsDoesNotConfuseTheScan() {
        #expect(owners([["loan"]], "😀日本loan😀") == [0])
        #expect(owners([["loan"]], "lo😀an") == [])
    }
}

@Suite struct PrefilteredEngineTests {
    /// The prefilter may only skip work: every rule must fire exactly as it does without it.
    @Test func defaultRulesFireTheSameWithAndWithoutThePrefilter() throws {
        let ruleSet = RuleSet.defaults
        let filtered = try RuleEngine(ruleSet)
        let unfiltered = try RuleEngine(ruleSet, prefilter: false)
        // As the start-up engine is made: each pattern compiled when first needed.
        let deferred = try RuleEngine(ruleSet, compilingWhenNeeded: true)
        #expect(filtered.prefilterCoverage.prefiltered > filtered.prefilterCoverage.patterns / 2)
        let scratch = MatchScratch()
        var texts = ruleSet.tests.map(\.text)
        // Mutations: changed case, a prefix of multibyte text, each example cut in half.
        texts += texts.map { $0.uppercased() }
        texts += texts.map { "😀 日本 " + $0 }
        texts += texts.map { String($0.prefix($0.count / 2)) }
        for text in texts {
            let input = RuleInput(body: text, rawbody: "<p>" + text + "</p>", fields: ["author": text])
            let a = filtered.evaluate(input, scratch: scratch, allSubrules: true)
            let b = unfiltered.evaluate(input, scratch: scratch, allSubrules: true)
            #expect(a.hits.map(\.id) == b.hits.map(\.id), "text: \(text)")
            #expect(a.hits.map(\.evidence) == b.hits.map(\.evidence), "text: \(text)")
            let c = deferred.evaluate(input, scratch: scratch, allSubrules: true)
            #expect(c.hits == a.hits && c.errors == a.errors, "text: \(text)")
            // Sub-rules run on demand by default: what scores must not change.
            for lazy in [filtered.evaluate(input, scratch: scratch), unfiltered.evaluate(input, scratch: scratch)] {
                #expect(Self.scoring(lazy) == Self.scoring(a), "text: \(text)")
            }
        }
    }

    private static func scoring(_ evaluation: RuleEvaluation) -> [RuleHit] {
        evaluation.hits.filter { !$0.id.hasPrefix("__") }
    }

    @Test func disallowedKeysArePrefilteredAndStillMatchEveryField() throws {
        let keys = (0..<500).map { "keyword\($0)x" }.joined(separator: "\n") + "\n192.0.2.7\n"
        let ruleSet = RuleSet.disallowedKeys(keys, file: "keys.txt")
        let engine = try RuleEngine(ruleSet)
        #expect(engine.prefilterCoverage == (prefiltered: 501, patterns: 501))
        let scratch = MatchScratch()
        let inText = engine.evaluate(RuleInput(body: "buy KEYWORD42X today"), scratch: scratch)
        #expect(inText.hits.count == 1)
        let inIP = engine.evaluate(RuleInput(body: "hello", fields: ["ip": "192.0.2.7"]), scratch: scratch)
        #expect(inIP.hits.count == 1)
        #expect(engine.evaluate(RuleInput(body: "keyword42 only"), scratch: scratch).hits.isEmpty)
    }
}
