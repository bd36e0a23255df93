import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct HardWrapCheckTests {
    let check = HardWrapCheck()

    static let botText = """
        Should be you successful, you can claim compensation for the pain and suffering this negligence has caused,
        personal injury and emotional trauma. Medical negligence is
        an act, or the failure to act, by a medical provider within the medical care of a
        patient that is not consistent within the accepted standard of care.
        Dean is a master of law, who has expertise in handling
        many other cases.
        """

    @Test func botWrappedTextFires() {
        let found = run(check, makeComment(Self.botText))
        #expect(ids(found) == ["HC_HARD_WRAPPED_IRREGULAR"])
        #expect(found.first?.evidence?.excerpt.contains("negligence is\nan act") == true)
    }

    @Test func brAsLineBreakCounts() {
        let html = Self.botText.replacingOccurrences(of: "\n", with: "<br>\n")
        #expect(ids(run(check, makeComment(html))) == ["HC_HARD_WRAPPED_IRREGULAR"])
    }

    @Test func steadyWidthWrappingIsTheWeakerFinding() {
        let text = """
            I love the show and usually find it engaging and insightful, but your last
            episode featuring the interview reeked of false metaphors and pseudo
            intellectual arguments that I could not follow at all, and I listened to
            it twice on my way to work before giving up on it entirely.
            """
        #expect(ids(run(check, makeComment(text))) == ["HC_HARD_WRAPPED"])
    }

    @Test(arguments: [
        "First paragraph ends here.\n\nsecond paragraph starts lowercase and goes on for a while.",
        "Shopping list for the weekend trip:\n- bread\n- milk\n- eggs and cheese",
        "let x = compute(values, with: options)\nlet y = transform(x)\nreturn y.map { $0 * 2 }",
        "roses are red\nviolets are blue\nsugar is sweet\nand so are you",
    ])
    func humanLayoutDoesNotFire(_ text: String) {
        #expect(run(check, makeComment(text)).isEmpty)
    }

    /// The byte split must cut exactly where the Character split does: "\r\n" is one Character,
    /// and combining marks, emoji and lone carriage returns around line feeds change nothing.
    @Test func linesMatchTheCharacterSplit() {
        let pieces = ["a", "é", "e\u{301}", "😀", "👩‍💻", "\n", "\r", "\r\n", "\u{301}", " ", "\n\n", "\u{200B}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            var text = ""
            for _ in 0..<Int(state % 12) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let expected = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(HardWrapCheck.lines(of: text).map(String.init) == expected, "\(Array(text.unicodeScalars))")
        }
    }

    @Test func evidenceSurvivesMultibyteText() {
        expectSameEvidenceAfterEmojiPrefix(check, makeComment(Self.botText), id: "HC_HARD_WRAPPED_IRREGULAR")
    }
}
