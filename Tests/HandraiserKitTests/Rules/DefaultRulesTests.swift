import Foundation
import HandraiserMatching
import HandraiserModel
import Testing

@testable import HandraiserRules

extension RuleExample: CustomTestStringConvertible {
    public var testDescription: String { "\(location) \(ruleID) \(expectation.rawValue) \"\(text)\"" }
}

/// The package root, found from this file's path (Tests/HandraiserKitTests/Rules/…).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

@Suite struct DefaultRulesTests {
    static let engine = try? RuleEngine(RuleSet.defaults)

    @Test func theEmbeddedRulesParseAndCompile() throws {
        #expect(RuleSet.defaultsErrors.map(\.description) == [])
        #expect(!RuleSet.defaults.rules.isEmpty)
        _ = try RuleEngine(RuleSet.defaults)
    }

    /// Every `test` line of the default rules, run as written and then again with an emoji in
    /// front (SwiftLint's trick): byte and character offsets differ from then on, so a conversion
    /// bug shows up as a moved or broken excerpt.
    @Test(arguments: [false, true], RuleSet.defaults.tests)
    func everyDefaultExampleHolds(emojiPrefixed: Bool, example: RuleExample) throws {
        let engine = try #require(Self.engine)
        let scratch = MatchScratch()
        let plain = engine.run(example, scratch: scratch)
        guard emojiPrefixed else {
            #expect(plain.passed, "\(plain.diagnostic)")
            return
        }
        let rule = try #require(RuleSet.defaults.rules.last { $0.name == example.ruleID })
        // A pattern anchored at the start cannot match after a prefix; its offsets start at 0 anyway.
        let anchored = rule.pattern.hasPrefix("^") || rule.pattern.hasPrefix("\\A") || rule.pattern.hasPrefix("(?:^")
        let prefix = anchored ? "" : "😀 "
        var shifted = example
        shifted.text = prefix + example.text
        let moved = engine.run(shifted, scratch: scratch)
        #expect(moved.passed, "with an emoji in front: \(moved.diagnostic)")
        guard let before = plain.hit?.evidence, let after = moved.hit?.evidence else {
            #expect(plain.hit?.evidence == nil && moved.hit?.evidence == nil || example.expectation == .miss)
            return
        }
        if case .header(_, negated: true) = rule.kind { return }
        #expect(Self.matchedText(before) == Self.matchedText(after))
        #expect(!Self.matchedText(after).isEmpty || before.range.isEmpty)
        switch rule.kind {
        case .body, .rawbody, .header, .uri:
            #expect(
                after.range == before.range.lowerBound + prefix.utf8.count..<before.range.upperBound + prefix.utf8.count
            )
        case .meta, .disallowedKey:
            break
        }
    }

    /// The matched text: the excerpt, except for URLs, whose excerpt is the whole URL.
    static func matchedText(_ evidence: Evidence) -> String {
        evidence.field == .uri ? evidence.excerpt.utf8Slice(evidence.range) : evidence.excerpt
    }

    @Test func defaultRulesAreLintClean() throws {
        // Scores and descriptions of built-in checks live in rules/checks.cf, which another stage owns.
        let checkIDs = Set(RuleSet.defaults.scoredIDs.filter { $0.hasPrefix("HC_") })
            .union(RuleSet.defaults.describedIDs.filter { $0.hasPrefix("HC_") })
        let findings = RuleSet.defaults.lint(knownExternalIDs: checkIDs)
        #expect(findings.map(\.description) == [])
    }

    @Test func defaultScoresKeepOneWeakRuleBelowTheSpamThreshold() {
        let set = RuleSet.defaults
        for rule in set.rules where !rule.isSubrule {
            let score = set.effectiveScore(of: rule)
            #expect(score < set.requiredScore, "\(rule.location): \(rule.name) alone makes a comment spam (\(score))")
        }
    }

    @Test func theGeneratedSwiftFileMatchesRulesFolder() throws {
        let rules = packageRoot.appendingPathComponent("rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: rules.path).filter { $0.hasSuffix(".cf") }
            .sorted()
        var onDisk: [String: String] = [:]
        for name in names {
            onDisk["rules/" + name] = try String(contentsOf: rules.appendingPathComponent(name), encoding: .utf8)
        }
        var embedded: [String: String] = [:]
        for file in DefaultRuleFiles.all { embedded[file.name] = file.text }
        // Name the stale files only: the texts themselves would bury the message.
        let stale = Set(onDisk.keys).union(embedded.keys).sorted().filter { onDisk[$0] != embedded[$0] }
        #expect(
            stale == [],
            "Sources/HandraiserKit/Rules/DefaultRules.generated.swift is out of date with \(stale.joined(separator: ", ")): run `bash .ci/embed-rules`"
        )
    }

    /// The literal table start-up reads is exactly what the literal reader gives the rules now.
    @Test func theGeneratedLiteralTableMatchesTheRules() throws {
        let path = packageRoot.appendingPathComponent("Sources/HandraiserKit/Rules/RequiredLiterals.generated.swift")
        let onDisk = try String(contentsOf: path, encoding: .utf8)
        #expect(
            onDisk == RequiredLiterals.tableSource(for: .defaults),
            "Sources/HandraiserKit/Rules/RequiredLiterals.generated.swift is out of date with the rules: run `bash .ci/embed-rules`"
        )
        // The table serves exactly the rules it was made from, and none other.
        for rule in RuleSet.defaults.rules where RequiredLiterals.readsPattern(of: rule.kind) {
            #expect(RequiredLiterals.of(rule) == RequiredLiterals.of(rule.pattern, extended: rule.options.extended))
            var changed = rule
            changed.pattern += "(?:zzqx)?"
            // Changed since the table was made (a user's rule of the same name): read as before.
            #expect(RequiredLiterals.of(changed) == RequiredLiterals.of(changed.pattern, extended: false))
        }
    }
}

/// The default rules that the literal prefilter cannot skip, so they run on every comment. Each
/// one costs a PCRE2 pass over every text; adding one to this list should be a decision.
@Suite struct AlwaysRunningDefaultRulesTests {
    @Test func onlyTheKnownRulesRunOnEveryComment() throws {
        var always: [String] = []
        for rule in RuleSet.defaults.rules {
            let compiled = try CompiledRule(rule, in: RuleSet.defaults, indexByName: [:])
            if compiled.hasPattern && compiled.literals == nil { always.append(rule.name) }
        }
        // A subset: a rule that becomes prefiltered (a better literal reader) is welcome.
        let unexpected = always.filter { !Self.known.contains($0) }
        #expect(unexpected == [], "run on every comment, not in the known list: \(unexpected)")
    }

    static let known: Set<String> = [
        "HR_AD_CLICK_URL", "HR_AUTHOR_AILMENT", "HR_AUTHOR_GOODS", "HR_AUTHOR_HOW_TO", "HR_AUTHOR_KEYWORD_TAIL",
        "HR_AUTHOR_SALES_OPENER",
        "HR_AUTHOR_SERVICE_TRADE", "HR_AUTHOR_URL_PATH", "HR_AUTHOR_VICE", "HR_BARE_IP_URL", "HR_BOT_RANDOM_TOKEN",
        "HR_CHECK_MY_CHANNEL", "HR_PAID_LINK_HOST", "HR_RANDOM_ALNUM_TOKEN", "HR_RANDOM_LETTERS", "HR_SPAMMY_TLD",
        "HR_URL_AFFILIATE", "HR_URL_KEYWORD_DOMAIN", "HR_URL_MONEY_PATH", "HR_URL_PROFILE_PAGE", "HR_URL_SALES_HOST",
        "HR_URL_SALES_PATH", "__AUTHOR_URL_POST", "__BANG", "__BRANDED_SHORT_LINK", "__MEDIA_PAGE", "__PERSONAL_VOICE",
        "__PROMO_URL", "__SHORTENER", "__SHORT_TEXT",
        "__SUB_QUESTION",
        // Anchored at the start, so PCRE2 tries one position per comment: a phrase-only comment,
        // text opening mid-sentence.
        "__KEYWORD_PHRASE_ONLY", "__OPENS_MID_SENTENCE",
        // Starts at a sentence end, found by PCRE2's start-character scan.
        "__LOWERCASE_SENTENCES",
    ]
}
