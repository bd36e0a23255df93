import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct PatchworkCheckTests {
    let check = PatchworkCheck()

    /// Three sentences from three different places, the middle one hard-wrapped.
    static let patchwork = """
        Carp anglers swear by boilies with strong fruit flavours in the colder months:.
        After players pick a costume they are taken straight into a small
        lobby with other guests. The quest board shows every reward along with its location.
        """

    @Test func sentencesThatShareNoWordFire() throws {
        let found = run(check, makeComment(Self.patchwork))
        #expect(ids(found) == ["HC_DISJOINT_SENTENCES"])
        let finding = try #require(found.first)
        #expect(finding.description == "3 sentences of 6 or more words, no two sharing a content word")
        #expect(finding.evidence?.excerpt == "the colder months:.\nAfter players pick a costume")
    }

    @Test(arguments: [
        // A reader comes back to their subject: "talk" in the first and third sentence.
        "The talk on message queues was the best part of the evening. Parking near the venue was easy "
            + "after seven. Next time the talk could run a little longer than twenty minutes.",
        // Only two long sentences; short ones ("Thanks!") do not count.
        "Carp anglers swear by boilies with strong fruit flavours. Thanks! After players pick a costume "
            + "they are taken into a lobby.",
        // No sentence marks at all, as in Chinese text.
        "这个问题都被你发现了推荐看看这个视频和这个问题的讨论我觉得作者写得很好而且例子也很清楚值得一读再读",
    ])
    func coherentShortOrUnpunctuatedTextDoesNotFire(_ text: String) {
        #expect(run(check, makeComment(text)).isEmpty)
    }

    @Test func pingbacksAreLeftAlone() {
        #expect(run(check, makeComment(Self.patchwork, type: .pingback)).isEmpty)
    }

    @Test func sentenceEndsNeedSpaceOrEndAfterTheMark() {
        #expect(PatchworkCheck.sentenceEnds("v1.2 is out. Yes!") == [12, 17])
        #expect(PatchworkCheck.sentenceEnds("one\n\ntwo") == [4])
    }

    @Test func evidenceSurvivesAMultibytePrefix() throws {
        let text = "😀 日本 " + Self.patchwork
        let finding = try #require(run(check, makeComment(text)).first)
        let evidence = try #require(finding.evidence)
        #expect(evidence.range.count <= 120)
        #expect(!evidence.excerpt.contains("\u{FFFD}"))
        #expect(evidence.excerpt.hasPrefix("the colder months"))
    }
}
