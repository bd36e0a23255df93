import HandraiserMatching
import Testing

@testable import HandraiserRules

@Suite struct PreparedDefaultsTests {
    @Test func thePreparedEngineServesOnlyTheUnchangedDefaultsWithTheStandardLimits() throws {
        RuleSet.prepareDefaults()
        let prepared = try #require(RuleEngine.prepared(for: RuleSet.defaults, limits: .standard))
        #expect(prepared === RuleEngine.prepared(for: RuleSet.defaults, limits: .standard))

        var tighter = MatchLimits.standard
        tighter.matchLimit /= 2
        #expect(RuleEngine.prepared(for: RuleSet.defaults, limits: tighter) == nil)

        var extraRule = RuleSet.defaults
        extraRule.merge(try RuleSet.parse("body HR_MINE /zebra crossing/", file: "mine.cf"))
        #expect(RuleEngine.prepared(for: extraRule, limits: .standard) == nil)

        var rescored = RuleSet.defaults
        let someRule = try #require(rescored.rules.first { !$0.isSubrule })
        rescored.setScore(0, for: someRule.name)
        #expect(RuleEngine.prepared(for: rescored, limits: .standard) == nil)

        // Thresholds and examples do not reach the engine.
        var thresholds = RuleSet.defaults
        thresholds.requiredScore = 9
        thresholds.tests = []
        #expect(RuleEngine.prepared(for: thresholds, limits: .standard) === prepared)

        // It judges like an engine compiled on the spot.
        let fresh = try RuleEngine(RuleSet.defaults)
        let input = RuleInput(body: "Check out my channel and subscribe http://example.com/watch?v=abc")
        let hits = prepared.evaluate(input, scratch: MatchScratch()).hits.map(\.id)
        #expect(!hits.isEmpty)
        #expect(hits == fresh.evaluate(input, scratch: MatchScratch()).hits.map(\.id))
    }
}
