import HandraiserMatching
import HandraiserModel
import Testing

@testable import HandraiserRules

/// The engine flattens `&&`/`||` chains and runs their operands cheapest first; whatever it
/// runs, a meta rule must have the value its expression has with every operand known.
@Suite struct MetaProgramTests {
    private static let letters = ["a", "b", "c", "d", "e"]

    /// The expression's value the plain way: every operand looked up, left to right.
    private static func reference(_ expression: MetaExpression, _ fired: Set<String>) -> Double {
        switch expression {
        case .reference(let name): return fired.contains(name) ? 1 : 0
        case .number(let n): return n
        case .not(let inner): return reference(inner, fired) == 0 ? 1 : 0
        case .negative(let inner): return -reference(inner, fired)
        case .binary(let op, let lhs, let rhs): return op.apply(reference(lhs, fired), reference(rhs, fired))
        }
    }

    private static func randomExpression(_ depth: Int, _ random: inout SplitMix64) -> MetaExpression {
        let leaf = depth == 0 || random.next() % 4 == 0
        if leaf {
            switch random.next() % 6 {
            case 0: return .number(Double(random.next() % 3))
            case 1: return .reference("HC_FACT_\(random.next() % 2)")
            default: return .reference("__" + letters[Int(random.next() % 5)].uppercased())
            }
        }
        switch random.next() % 8 {
        case 0: return .not(randomExpression(depth - 1, &random))
        case 1, 2, 3: return .binary(.or, randomExpression(depth - 1, &random), randomExpression(depth - 1, &random))
        case 4, 5: return .binary(.and, randomExpression(depth - 1, &random), randomExpression(depth - 1, &random))
        default:
            let ops: [MetaExpression.BinaryOperator] = [.plus, .minus, .greaterOrEqual, .equal, .times]
            return .binary(
                ops[Int(random.next() % 5)], randomExpression(depth - 1, &random), randomExpression(depth - 1, &random))
        }
    }

    @Test func aMetaRuleHasItsExpressionsValueWhateverOrderItsChainsRunIn() throws {
        var random = SplitMix64(seed: 0x6d65_7461)
        // Sub-rules of very different lengths, so the cost order differs from the order of mention.
        var rules = Self.letters.enumerated().map { index, letter in
            "body __\(letter.uppercased()) /\(letter)\(String(repeating: "(?:x|y)?", count: index * 20))/"
        }
        var expressions: [String: MetaExpression] = [:]
        for n in 0..<60 {
            let expression = Self.randomExpression(4, &random)
            expressions["HR_M\(n)"] = expression
            rules.append("meta HR_M\(n) \(expression)")
        }
        let engine = try RuleEngine(try RuleSet.parse(rules.joined(separator: "\n"), file: "t.cf"))
        var compared = 0
        for _ in 0..<200 {
            let body = Self.letters.filter { _ in random.next() % 2 == 0 }.joined(separator: " ")
            let facts = Set((0..<2).filter { _ in random.next() % 2 == 0 }.map { "HC_FACT_\($0)" })
            let fired = facts.union(Self.letters.filter { body.contains($0) }.map { "__" + $0.uppercased() })
            let hits = Set(engine.evaluate(RuleInput(body: body), facts: facts, scratch: MatchScratch()).hits.map(\.id))
            for (name, expression) in expressions {
                #expect(
                    hits.contains(name) == (Self.reference(expression, fired) != 0), "\(name): \(expression) on \(body)"
                )
                compared += 1
            }
        }
        #expect(compared == 12_000)
    }
}
