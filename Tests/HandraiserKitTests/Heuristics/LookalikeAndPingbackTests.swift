import Foundation
import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct LookalikeCheckTests {
    let check = LookalikeCheck()

    @Test func mixedScriptWordFires() {
        // "vіagra" with a Cyrillic і.
        let found = run(check, makeComment("Buy vіagra here"))
        #expect(ids(found) == ["HC_MIXED_SCRIPT"])
        #expect(found.first?.evidence?.excerpt == "vіagra")
    }

    @Test func invisibleCharactersInsideWordsFire() {
        let found = run(check, makeComment("Get cia\u{200B}lis now"))
        #expect(ids(found) == ["HC_INVISIBLE_CHARS"])
        #expect(found.first?.evidence?.excerpt == "cia\u{200B}lis")
    }

    @Test(arguments: [
        "Привет, отличная статья про PostgreSQL!",
        "非常好的文章，谢谢分享",
        "Great song\u{FEFF}",
        "Family 👨\u{200D}👩\u{200D}👧 photo",
        "می\u{200C}خواهم",
        "Καλημέρα σας",
    ])
    func scriptsOnTheirOwnDoNotFire(_ text: String) {
        #expect(run(check, makeComment(text)).isEmpty, "\(text)")
    }

    @Test func evidenceSurvivesMultibyteText() {
        expectSameEvidenceAfterEmojiPrefix(check, makeComment("Get cia\u{200B}lis now"), id: "HC_INVISIBLE_CHARS")
    }
}

@Suite struct PingbackShapeCheckTests {
    let check = PingbackShapeCheck()

    @Test(arguments: [
        "[…] might have heard about the first-ever summit in Tokyo […]",
        "[...] Duncan homepage « Solving the famous case [...]",
        "Pingback: The Next Big Thing? Lots of Little Things. « The Engaged Consumer",
        "Trackback : My weekly links",
    ])
    func pingbackShapesFire(_ text: String) {
        #expect(ids(run(check, makeComment(text))) == ["HC_PINGBACK_SHAPE"], "\(text)")
    }

    @Test(arguments: [
        "I disagree with the part about [...] in the second chapter, it misses the point.",
        "Pingbacks are annoying, can you turn them off?",
    ])
    func commentsDoNotFire(_ text: String) {
        #expect(run(check, makeComment(text)).isEmpty)
    }

    @Test func typedPingbacksNeedNoFinding() {
        #expect(run(check, makeComment("[…] excerpt […]", type: .pingback)).isEmpty)
    }

    @Test func evidenceSurvivesMultibyteText() {
        // The prefix breaks the leading ellipsis, so use a closing-ellipsis excerpt with a title line.
        let found = run(check, makeComment("  Pingback: Ünïcode title « Site"))
        #expect(found.first?.evidence?.excerpt == "Pingback: Ünïcode title « Site")
    }
}

@Suite struct BuiltInChecksTests {
    @Test func everyFindingIDIsPrefixedAndScoredInChecksCf() throws {
        let ids = BuiltInChecks.findingIDs
        #expect(ids.count >= 20)
        #expect(ids.keys.allSatisfy { $0.hasPrefix("HC_") })
        #expect(ids.values.allSatisfy { !$0.isEmpty })
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let cf = try String(contentsOf: root.appendingPathComponent("rules/checks.cf"), encoding: .utf8)
        var scored: Set<String> = []
        var described: Set<String> = []
        for line in cf.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3 else { continue }
            if fields[0] == "score" { scored.insert(String(fields[1])) }
            if fields[0] == "describe" { described.insert(String(fields[1])) }
        }
        #expect(
            scored == Set(ids.keys),
            "ids without a score: \(Set(ids.keys).subtracting(scored)); scores without a check: \(scored.subtracting(ids.keys))"
        )
        #expect(described == Set(ids.keys))
    }
}
