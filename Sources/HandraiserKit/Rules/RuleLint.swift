import HandraiserMatching
import HandraiserModel

/// One problem `handraiser rules lint` reports, at a file and line.
public struct RuleLintFinding: Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation?
    /// The rule or check id concerned.
    public var id: String
    public var message: String

    public init(location: SourceLocation?, id: String, message: String) {
        self.location = location
        self.id = id
        self.message = message
    }

    public var description: String { (location.map { "\($0): " } ?? "") + message }
}

extension RuleSet {
    /// Checks the set the way SpamAssassin's rule QA would before shipping it: duplicate names,
    /// scores and descriptions for ids that are neither a rule nor in `knownExternalIDs` (the
    /// built-in checks), rules missing a description, a score or `hit`/`miss` examples, meta rules
    /// referring to unknown ids, patterns that do not compile, and `__` sub-rules given a score.
    ///
    /// Findings come sorted by file and line.
    public func lint(knownExternalIDs: Set<String> = []) -> [RuleLintFinding] {
        var findings: [RuleLintFinding] = []
        let ruleNames = Set(rules.map(\.name))
        var examples: [String: Set<RuleExample.Expectation>] = [:]
        for test in tests { examples[test.ruleID, default: []].insert(test.expectation) }

        for redefinition in redefinitions {
            findings.append(
                RuleLintFinding(
                    location: redefinition.location, id: redefinition.name,
                    message:
                        "\(redefinition.name) is defined again (first at \(redefinition.first)); the later definition wins"
                ))
        }
        for rule in rules {
            let name = rule.name
            func report(_ message: String) {
                findings.append(RuleLintFinding(location: rule.location, id: name, message: message))
            }
            if case .meta(let expression) = rule.kind {
                for reference in expression.references
                where !ruleNames.contains(reference) && !knownExternalIDs.contains(reference) {
                    report("meta rule \(name) refers to \(reference), which is neither a rule nor a built-in check")
                }
            } else {
                do {
                    _ = try PCRE2Pattern(rule.pattern, options: rule.options)
                } catch {
                    report("pattern of \(name) does not compile: \(error.message) at offset \(error.offset)")
                }
            }
            if rule.isSubrule {
                if let score = score(for: name) {
                    findings.append(
                        RuleLintFinding(
                            location: scoreLocation(for: name) ?? rule.location, id: name,
                            message: "\(name) is a sub-rule (__) and scores nothing, yet has score \(score)"))
                }
            } else {
                if describe(name) == nil { report("rule \(name) has no describe line") }
                if score(for: name) == nil { report("rule \(name) has no score line (it would score 1.0)") }
            }
            guard rule.kind != .disallowedKey else { continue }
            let have = examples[name] ?? []
            if !have.contains(.hit) { report("rule \(name) has no `test \(name) hit \"…\"` example") }
            if !have.contains(.miss) { report("rule \(name) has no `test \(name) miss \"…\"` example") }
        }
        for id in scoredIDs where !ruleNames.contains(id) && !knownExternalIDs.contains(id) {
            findings.append(
                RuleLintFinding(
                    location: scoreLocation(for: id), id: id,
                    message: "score for \(id), which is neither a rule nor a built-in check"))
        }
        for id in describedIDs where !ruleNames.contains(id) && !knownExternalIDs.contains(id) {
            findings.append(
                RuleLintFinding(
                    location: describeLocation(for: id), id: id,
                    message: "describe for \(id), which is neither a rule nor a built-in check"))
        }
        for test in tests where !ruleNames.contains(test.ruleID) {
            findings.append(
                RuleLintFinding(
                    location: test.location, id: test.ruleID, message: "test for unknown rule \(test.ruleID)"))
        }
        return findings.sorted { a, b in
            let l = a.location, r = b.location
            if l?.file != r?.file { return (l?.file ?? "") < (r?.file ?? "") }
            if l?.line != r?.line { return (l?.line ?? 0) < (r?.line ?? 0) }
            return a.message < b.message
        }
    }
}
