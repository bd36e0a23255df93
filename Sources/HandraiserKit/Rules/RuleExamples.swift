import Foundation
import HandraiserMatching
import HandraiserModel

/// The outcome of one `test` line.
public struct RuleExampleResult: Sendable {
    public var example: RuleExample
    public var passed: Bool
    /// Why it failed, e.g. `expected HR_X to hit, it did not`; nil when it passed.
    public var failure: String?
    /// The rule's hit on the example, when it fired.
    public var hit: RuleHit?

    public init(example: RuleExample, passed: Bool, failure: String? = nil, hit: RuleHit? = nil) {
        self.example = example
        self.passed = passed
        self.failure = failure
        self.hit = hit
    }

    /// `rules/x.cf:40:6: expected HR_X to hit "…", it did not`, for terminals and CI logs.
    public var diagnostic: String { "\(example.location): \(failure ?? "ok")" }
}

extension RuleSet {
    /// Runs every `test` line: a `hit` example must make its rule fire, a `miss` example must not.
    public func runExamples(limits: MatchLimits = .standard) -> [RuleExampleResult] {
        let engine: RuleEngine
        do {
            engine = try RuleEngine(self, limits: limits)
        } catch {
            return tests.map {
                RuleExampleResult(example: $0, passed: false, failure: "the rule set does not compile: \(error)")
            }
        }
        let scratch = MatchScratch(limits: limits)
        return tests.map { engine.run($0, scratch: scratch) }
    }
}

extension RuleEngine {
    /// Runs one example against its rule. The text goes where the rule looks: the comment for
    /// body, rawbody and meta rules, the field for header rules, the URL for uri rules.
    public func run(_ example: RuleExample, scratch: MatchScratch) -> RuleExampleResult {
        guard let rule = ruleSet.rules.last(where: { $0.name == example.ruleID }) else {
            return RuleExampleResult(example: example, passed: false, failure: "no rule named \(example.ruleID)")
        }
        let evaluation = evaluate(
            Self.input(for: example, of: rule), facts: example.facts, scratch: scratch, allSubrules: true)
        if let error = evaluation.errors.first(where: { $0.ruleID == rule.name }) {
            return RuleExampleResult(
                example: example, passed: false, failure: "\(rule.name) could not run: \(error.message)")
        }
        let hit = evaluation.hit(rule.name)
        let quotedText = Self.quote(example.text)
        switch (example.expectation, hit) {
        case (.hit, nil):
            return RuleExampleResult(
                example: example, passed: false, failure: "expected \(rule.name) to hit \(quotedText), it did not")
        case (.miss, let hit?):
            let excerpt = hit.evidence.map { " (matched \(Self.quote($0.excerpt)))" } ?? ""
            return RuleExampleResult(
                example: example, passed: false,
                failure: "expected \(rule.name) to miss \(quotedText), it hit\(excerpt)", hit: hit)
        default:
            return RuleExampleResult(example: example, passed: true, hit: hit)
        }
    }

    static func input(for example: RuleExample, of rule: Rule) -> RuleInput {
        var input: RuleInput
        switch rule.kind {
        case .body:
            input = RuleInput(body: example.text)
        case .rawbody:
            input = RuleInput(body: PlainText.from(html: example.text), rawbody: example.text)
        case .header(let field, _):
            input = RuleInput(body: "")
            input.fields[field.rawValue] = example.text
        case .uri:
            input = RuleInput(body: "", uris: [example.text])
        case .meta, .disallowedKey:
            input = RuleInput(body: PlainText.from(html: example.text), rawbody: example.text)
            input.uris = urls(in: example.text)
        }
        for (field, value) in example.fields {
            input.fields[field.rawValue] = value
            if field == .url { input.uris.append(value) }
        }
        input.uris += example.uris
        return input
    }

    /// URLs written in an example, for meta rules that combine uri sub-rules.
    private static func urls(in text: String) -> [String] {
        guard let pattern = exampleURLPattern, let ranges = try? pattern.allMatches(in: text) else { return [] }
        return ranges.map { text.utf8Slice($0) }
    }

    private static let exampleURLPattern = try? PCRE2Pattern(
        #"(?:https?://|www\.)[^\s"'<>\]\[]+"#, options: PatternOptions(caseInsensitive: true))

    private static func quote(_ text: String) -> String {
        let short = text.count > 60 ? String(text.prefix(57)) + "…" : text
        return "\"" + short.replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
