import HandraiserMatching
import HandraiserModel
import Testing

@testable import HandraiserRules

@Suite struct PatternBranchesTests {
    @Test func topLevelAlternativesSplit() {
        #expect(PatternBranches.split(#"\bfoo\s+bar|\bbaz\b"#) == [#"\bfoo\s+bar"#, #"\bbaz\b"#])
        // A bar inside a class or escaped is not an alternative.
        #expect(PatternBranches.split(#"[|]x|\|y|z"#) == ["[|]x", #"\|y"#, "z"])
        #expect(PatternBranches.split("[]|]a|b") == ["[]|]a", "b"])
    }

    @Test func aGroupAfterAOneWayPrefixIsDistributed() {
        #expect(
            PatternBranches.split(#"\b(?:cheap|discount)\s+pills?"#) == [#"\bcheap\s+pills?"#, #"\bdiscount\s+pills?"#])
        #expect(PatternBranches.split("(?<!x)(loan|debt)s") == ["(?<!x)loans", "(?<!x)debts"])
        // Each alternative stands without its group, so its own groups split next.
        #expect(PatternBranches.split("a(?:b(?:c|d)|e)") == ["abc", "abd", "ae"])
        #expect(
            PatternBranches.split(#"\b(?:send|copy) (?:it|this)"#) == [
                #"\bsend it"#, #"\bsend this"#, #"\bcopy it"#, #"\bcopy this"#,
            ])
        // After `\s+` (more than one way to match) the second group stays whole.
        #expect(
            PatternBranches.split(#"\b(?:send|copy)\s+(?:it|this)"#) == [
                #"\bsend\s+(?:it|this)"#, #"\bcopy\s+(?:it|this)"#,
            ])
        // An escape that a digit would extend keeps its group: `\x4(?:1|2)` is not `\x41`.
        #expect(PatternBranches.split(#"\x4(?:1|2)"#) == [#"\x4(?:1)"#, #"\x4(?:2)"#])
        // An atomic group keeps the first alternative that matches: not split.
        #expect(PatternBranches.split("a(?>b|bc)d") == nil)
    }

    @Test func whatCannotBeMatchedAlternativeByAlternativeStaysWhole() {
        #expect(PatternBranches.split("(?:a|b)+c") == nil)  // a quantified group
        #expect(PatternBranches.split("x*(?:a|b)") == nil)  // a prefix with several ways to match
        #expect(PatternBranches.split(#"(a)x|\1"#) == nil)  // a backreference
        #expect(PatternBranches.split("(?i)a|b") == nil)  // an option setting reaching the next branch
        #expect(PatternBranches.split("(?|(a)|(b))") == nil)  // a branch reset group
        #expect(PatternBranches.split("(?<name>a)|b") == nil)  // a named group
        #expect(PatternBranches.split(#"\Qa|b\E"#) == nil)  // quoted text
        #expect(PatternBranches.split("(*UTF)a|b") == nil)  // a verb
        #expect(PatternBranches.split("a{x|b") == nil)  // a brace PCRE2 may read as text
        #expect(PatternBranches.split("plain") == nil)  // nothing to split
        #expect(PatternBranches(#"\bloans|\bdebts"#, options: PatternOptions(extended: true)) == nil)
    }

    @Test func aPatternSplitsOnlyWhenTwoBranchesHaveLiteralsOfTheirOwn() {
        #expect(PatternBranches(#"\bloans\b|\bdebts\b"#, options: PatternOptions())?.branches.count == 2)
        #expect(PatternBranches(#"\bloans\b|\d+"#, options: PatternOptions()) == nil)
    }

    /// The branches must find exactly the whole pattern's first match, on random patterns and
    /// texts over a small alphabet (so alternatives overlap, tie and backtrack often).
    @Test func branchesFindTheWholePatternsFirstMatch() throws {
        var random = SplitMix64(seed: 0xB4A2C4)
        let scratch = MatchScratch()
        var compared = 0
        // Escapes a following digit would extend, beside a group that splits.
        let tricky = [#"\x6(?:1|b)c"#, #"b\0(?:1|7)"#, #"\x{61}(?:1|b)"#]
        for round in 0..<3000 {
            let pattern = round < tricky.count ? tricky[round] : Self.randomPattern(&random, depth: 0)
            let options = PatternOptions(caseInsensitive: random.next(2) == 0)
            guard let whole = try? PCRE2Pattern(pattern, options: options),
                let branches = PatternBranches(pattern, options: options, branchesWithLiterals: 0)
            else { continue }
            for _ in 0..<8 {
                let text = String((0..<random.next(24)).map { _ in Array("abcAB 1")[random.next(7)] })
                // Random nesting can reach PCRE2's match limit; such a pair says nothing.
                guard let expected = Self.firstMatch(whole, text, scratch),
                    let branchMatch = try? branches.firstMatch(in: text, marks: nil, fields: 0, scratch: scratch)
                else { continue }
                guard case .matched(let found) = branchMatch else {
                    Issue.record("a branch of \(pattern) did not compile")
                    continue
                }
                #expect(found == expected, "pattern \(pattern) on \"\(text)\"")
                compared += 1
            }
        }
        #expect(compared > 4000)
    }

    /// The first match, `.some(nil)` for none, nil when the match stopped at a limit.
    private static func firstMatch(_ pattern: PCRE2Pattern, _ text: String, _ scratch: MatchScratch) -> Range<Int>?? {
        do {
            return .some(try pattern.firstMatch(in: text, scratch: scratch))
        } catch {
            return nil
        }
    }

    private static func randomPattern(_ random: inout SplitMix64, depth: Int) -> String {
        let count = 1 + random.next(depth == 0 ? 4 : 3)
        return (0..<count).map { _ in randomBranch(&random, depth: depth) }.joined(separator: "|")
    }

    private static func randomBranch(_ random: inout SplitMix64, depth: Int) -> String {
        var out = ""
        for _ in 0..<(1 + random.next(4)) {
            var atom: String
            switch random.next(depth < 2 ? 10 : 7) {
            case 0: atom = ["abc", "cab", "bca", "aab"][random.next(4)]
            case 1: atom = ["a", "b", "c", " ", "1"][random.next(5)]
            case 2:
                let atoms = [#"\b"#, "^", "$", #"\s"#, ".", "[ab]", #"\w"#, #"\x6"#, #"\x{61}"#, #"\0"#]
                atom = atoms[random.next(atoms.count)]
            case 3: atom = ["(?=a)", "(?!b)", "(?<=c)", "(?<!a)", "(?>a|ab)", "(?>ab|a)"][random.next(6)]
            case 4, 5, 6: atom = ["ab", "ba", "cc"][random.next(3)]
            default: atom = (random.next(2) == 0 ? "(?:" : "(") + randomPattern(&random, depth: depth + 1) + ")"
            }
            if random.next(4) == 0 {
                atom += ["?", "*", "+", "{1,2}", "??", "*?", "++"][random.next(7)]
            }
            out += atom
        }
        return out
    }
}
