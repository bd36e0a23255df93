import Testing

@testable import HandraiserModel

@Suite struct PlainTextTests {
    @Test(arguments: [
        ("<p>Hello <b>world</b></p><p>Again</p>", "Hello world\n\nAgain"),
        ("Tom &amp; Jerry &#8217;s &#x1F600; &hellip;", "Tom & Jerry ’s 😀 …"),
        ("a < b and c > d, <3", "a < b and c > d, <3"),
        ("line one<br>line two<br/>line three", "line one\nline two\nline three"),
        ("<script>alert(1)</script>visible<style>p{}</style>", "visible"),
        ("  spaced \t out\u{A0}text  \n\n\n\nnext  ", "spaced out text\n\nnext"),
        ("<a href=\"http://x.example/?a=1&b=2\" title='x > y'>link</a>", "link"),
        ("&unknown; &amp &#0; &#xZZ;", "&unknown; &amp \u{FFFD} &#xZZ;"),
        ("日本語<br>テキスト", "日本語\nテキスト"),
    ])
    func plainTextOf(html: String, expected: String) {
        #expect(PlainText.from(html: html) == expected)
    }

    /// Text that tidying leaves as it is comes back as the same string, sharing its storage, so
    /// a long comment without markup is not held twice; text it changes is still tidied.
    @Test func textWithoutMarkupSharesTheContentsStorage() {
        var content = String(repeating: "plain words and more words, ", count: 1000) + "the end."
        var text = PlainText.from(html: content)
        #expect(text == content)
        let shared = content.withUTF8 { content in text.withUTF8 { $0.baseAddress == content.baseAddress } }
        #expect(shared)
        #expect(PlainText.from(html: "two  spaces ") == "two spaces")
        #expect(PlainText.from(html: "<b>bold</b> words") == "bold words")
    }

    @Test func longTextWithStrayAngleBracketsStaysFast() {
        let text = String(repeating: "<a <b c", count: 200_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = PlainText.from(html: text) }
        // A bound, not a benchmark: quadratic scanning of 1.4 MB would take minutes.
        #expect(elapsed < .seconds(20))
    }

    @Test func utf8SliceRepairsPartialCharacters() {
        let text = "é😀x"
        #expect(text.utf8Slice(2..<6) == "😀")
        // Each stray continuation byte becomes one replacement character.
        #expect(text.utf8Slice(3..<7) == "\u{FFFD}\u{FFFD}\u{FFFD}x")
        #expect(text.utf8Slice(5..<100) == "\u{FFFD}x")
    }
}

@Suite struct NormalizedTextTests {
    @Test func foldsLookalikesOnlyInsideMixedWords() {
        // "pаypal" with a Cyrillic а; "привет" is wholly Cyrillic and stays as it is.
        let normalized = NormalizedText("Log in to p\u{0430}ypal now, привет")
        #expect(normalized.text == "Log in to paypal now, привет")
        #expect(normalized.mixedScriptWords == ["p\u{0430}ypal"])
    }

    @Test func appliesNFKCAndRemovesInvisibles() {
        let normalized = NormalizedText("ｆｕｌｌ\u{200B}width ﬁne &amp; dandy")
        #expect(normalized.text == "fullwidth fine & dandy")
        #expect(normalized.removedInvisibles == 1)
    }

    @Test func leavesNonLatinScriptsAlone() {
        for text in ["前来围观 真正的沙发", "Çok güzel bir yazı olmuş", "Děkuji za článek", "Σας ευχαριστώ"] {
            let normalized = NormalizedText(text)
            #expect(normalized.text == text)
            #expect(normalized.mixedScriptWords.isEmpty)
        }
    }

    /// The read-only test for tidy text must agree with tidying the long way on any text: the
    /// alphabet is what the tidying looks at (spaces, tabs, line breaks, no-break spaces).
    @Test func tidyTextIsReturnedAsItIsExactlyWhenTidyingTheLongWayChangesNothing() {
        var random = SplitMix64(seed: 0x7469_6479)
        let alphabet = ["a", "b", " ", " ", "\n", "\n", "\t", "\r", "\u{A0}", "é", "日"]
        var unchanged = 0
        for _ in 0..<20_000 {
            let length = Int(random.next() % 12)
            var text = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }.joined()
            let fast = text.withUTF8 { PlainText.tidy($0, unchanged: "<unchanged>") }
            let slow = text.withUTF8 { PlainText.rebuiltTidy($0) }
            #expect(fast == (slow == text ? "<unchanged>" : slow), "\(Array(text.unicodeScalars))")
            if fast == "<unchanged>" { unchanged += 1 }
        }
        // Both kinds of text were drawn.
        #expect(unchanged > 1_000 && unchanged < 19_000)
    }
}
