import HandraiserModel
import Testing

@testable import HandraiserHeuristics

@Suite struct RepetitionCheckTests {
    let check = RepetitionCheck()

    @Test func aChantedPhraseFires() {
        let text = "Visit my page and like it :) Visit my page and like it :) Visit my page and like it :) thanks"
        let found = run(check, makeComment(text))
        #expect(ids(found) == ["HC_REPEATED_PHRASE"])
        #expect(found.first?.evidence?.excerpt == "Visit my page")
    }

    /// Accented words go through String's hash in the first count: the chant must still be found.
    @Test func aChantInAccentedWordsFires() {
        let text = "Abonnez-vous à ma chaîne! Abonnez-vous à ma chaîne! Abonnez-vous à ma chaîne! merci"
        #expect(ids(run(check, makeComment(text))) == ["HC_REPEATED_PHRASE"])
    }

    @Test func aLitanyAddsTheManyId() {
        let lines = ["Keeper of the lamps", "Friend of the sailors", "Light of the harbour", "Guard of the bridge"]
        let text = (0..<12).map { "\(lines[$0 % lines.count]), watch over us" }.joined(separator: " ")
        let found = run(check, makeComment(text))
        #expect(ids(found) == ["HC_REPEATED_PHRASE", "HC_REPEATED_PHRASE_MANY"])
        #expect(found.last?.description == "one phrase said 12 times in 84 words")
    }

    /// Nine times is still a refrain: only the base id.
    @Test func nineTimesIsNotALitany() {
        let text = Array(repeating: "sing it loud tonight", count: 9).joined(separator: " ")
        #expect(ids(run(check, makeComment(text))) == ["HC_REPEATED_PHRASE"])
    }

    @Test func aChantAroundALinkCountsTheWordsOnly() {
        let text = "GO SEE THIS NOW https://x.example/a GO SEE THIS NOW https://x.example/a GO SEE THIS NOW"
        #expect(ids(run(check, makeComment(text))) == ["HC_REPEATED_PHRASE"])
    }

    @Test(arguments: [
        // A reader quoting a line twice inside a longer thought.
        """
        "You are gonna hear me roar" is the line I keep singing. You are gonna hear me roar, she says, \
        and after the year I had, that line carried me through two jobs and one move across the country.
        """,
        // Emphasis by one word, not a phrase.
        "no no no no no no no no no no, this is not how the chorus goes at all",
        // A pasted log repeats its paths and numbers.
        """
        error in /var/www/site/themes/img/a.png 404 then /var/www/site/themes/img/b.png 404 then \
        /var/www/site/themes/img/c.png 404 then /var/www/site/themes/img/d.png 404 help
        """,
        // Chinese text comes one character per word.
        "不错不错不错不错不错不错，来看看",
        // Too short to be anything but a short cheer.
        "go team go team go team",
    ])
    func ordinaryTextIsSilent(_ text: String) {
        #expect(run(check, makeComment(text)).isEmpty)
    }
}
