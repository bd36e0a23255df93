import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct ImpersonalCheckTests {
    let check = ImpersonalCheck()

    static let scraped = """
        Solar panels usually pay for themselves within seven to ten years, depending on the roof angle, "
            + "the local price of electricity and the subsidies on offer, and modern inverters keep working for "
            + "well over a decade.
        """

    @Test func articleTextWithoutAnySpeakerFires() throws {
        let found = run(check, makeComment(Self.scraped))
        #expect(ids(found) == ["HC_NO_FIRST_PERSON"])
        let finding = try #require(found.first)
        #expect(finding.description == "36 words and not one I, me or my")
    }

    @Test(arguments: [
        // The same text, but a person speaks in it (typed apostrophe, curly apostrophe, no apostrophe).
        "I'm told s" + String(scraped.dropFirst()),
        "My roof faces south. " + scraped,
        "Solar panels paid for themselves in seven years here, and I\u{2019}d guess the inverter will too, "
            + "depending on the roof angle and the local price of electricity and the subsidies on offer today.",
        "im in seattle and the panels on our roof paid for themselves in seven years, depending on the angle "
            + "and the local price of electricity and the subsidies on offer at the time we bought them",
        // Short, and not English.
        "Solar panels pay for themselves within seven years.",
        "Los paneles solares se pagan solos en unos siete a diez años, según el ángulo del tejado, el precio "
            + "local de la electricidad y las subvenciones que se ofrecen, y los inversores modernos duran una década.",
    ])
    func textWhereSomeoneSpeaksOrThatIsShortOrForeignDoesNotFire(_ text: String) {
        #expect(run(check, makeComment(text)).isEmpty)
    }

    @Test func evidenceSurvivesAMultibytePrefix() throws {
        let text = "😀 日本 " + Self.scraped
        let finding = try #require(run(check, makeComment(text)).first)
        let evidence = try #require(finding.evidence)
        #expect(evidence.range.lowerBound == 0)
        #expect(evidence.range.count <= 120)
        #expect(!evidence.excerpt.contains("\u{FFFD}"))
        #expect(evidence.excerpt.hasPrefix("😀 日本 Solar panels"))
    }
}
