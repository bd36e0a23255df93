import Foundation
import HandraiserMatching
import Testing

@testable import HandraiserRules

/// Hostile rule files end with an error naming the line, never a crash or a hang.
@Suite struct RuleFileLimitsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Kept crashers (stack overflows in the meta parser before nesting was bounded).
    @Test(arguments: ["meta-100k-nots.cf", "meta-50k-parentheses.cf"])
    func deeplyNestedMetaExpressionsAreAnErrorNotAStackOverflow(fixture: String) throws {
        let path = Self.root.appendingPathComponent("fixtures/fuzz/FuzzRuleFile/\(fixture)").path
        let error = #expect(throws: RuleFileError.self) { try RuleSet.load(paths: [path]) }
        #expect(error?.line == 2)
        #expect(error?.message.hasSuffix("the meta expression nests deeper than 64 levels") == true)
    }

    @Test func nestingUpToTheLimitIsFine() throws {
        let text =
            "body __A /a/\nmeta HR_DEEP " + String(repeating: "!(", count: 32) + "__A"
            + String(repeating: ")", count: 32) + "\n"
        let set = try RuleSet.parse(text, file: "t.cf")
        let engine = try RuleEngine(set)
        #expect(engine.evaluate(RuleInput(body: "a"), scratch: MatchScratch()).hit("HR_DEEP") != nil)
    }

    @Test func aMetaExpressionWithTooManyOperandsIsAnError() throws {
        let wide = "body __A /a/\nmeta HR_WIDE " + Array(repeating: "__A", count: 200_000).joined(separator: " || ")
        let error = #expect(throws: RuleFileError.self) { try RuleSet.parse(wide, file: "t.cf") }
        #expect(error?.line == 2)
        #expect(error?.message.contains("the meta expression has more than 1000 operands") == true)
        let fine =
            "body __A /a/\nmeta HR_WIDE (" + Array(repeating: "__A", count: 999).joined(separator: " + ") + ") > 998"
        let set = try RuleSet.parse(fine, file: "t.cf")
        #expect(try RuleEngine(set).evaluate(RuleInput(body: "a"), scratch: MatchScratch()).hit("HR_WIDE") != nil)
    }

    /// Adding a rule searched every earlier one: 100 000 rules took minutes. (No clock: were it
    /// quadratic again, this suite would take minutes; `bench` measures loading.)
    @Test func manyRulesLoad() throws {
        var text = "body __R0 /a/\n"
        for number in 1..<40_000 { text += "meta __R\(number) (__R\(number - 1))\n" }
        var set = try RuleSet.parse(text, file: "t.cf")
        set.merge(try RuleSet.parse("body __R7 /b/\nbody __NEW /c/\n", file: "u.cf"))
        #expect(set.rules.count == 40_001)
        #expect(set.rules[7].pattern == "b")
        #expect(set.rules.last?.name == "__NEW")
    }
}
