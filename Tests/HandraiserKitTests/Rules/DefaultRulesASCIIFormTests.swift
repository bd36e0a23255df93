import HandraiserModel
import Testing

@testable import HandraiserMatching
@testable import HandraiserRules

/// `PCRE2Pattern` matches ASCII subjects with a form compiled without UCP. Every default rule
/// must match exactly as its Unicode form does on ASCII text: its own examples, their cases
/// changed, and random ASCII around them.
@Suite struct DefaultRulesASCIIFormTests {
    @Test func everyDefaultPatternMatchesTheSameInBothFormsOnASCIIText() throws {
        let ruleSet = RuleSet.defaults
        var texts = ruleSet.tests.map(\.text).filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        texts += texts.map { $0.uppercased() } + texts.map { $0.lowercased() }
        var generator = SplitMix64(seed: 11)
        texts += (0..<200).map { _ in
            String(
                decoding: (0..<Int(generator.next() % 200)).map { _ in UInt8(generator.next() % 128) }, as: UTF8.self)
        }
        let scratch = MatchScratch()
        var compared = 0
        for rule in ruleSet.rules where !rule.pattern.isEmpty {
            if case .meta = rule.kind { continue }
            let pattern = try PCRE2Pattern(rule.pattern, options: rule.options)
            for text in texts {
                let bytes = Array(text.utf8)
                try bytes.withUnsafeBufferPointer { buffer in
                    let unicode = try pattern.firstMatch(in: buffer, from: 0, scratch: scratch, asciiForm: false)
                    let ascii = try pattern.firstMatch(in: buffer, from: 0, scratch: scratch, asciiForm: true)
                    #expect(unicode == ascii, "\(rule.name) on \(text)")
                }
                compared += 1
            }
        }
        #expect(compared > 10_000)
    }
}
