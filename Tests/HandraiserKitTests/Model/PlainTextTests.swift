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

/// `PlainText.from(html:)` copies text runs whole and compares tag names packed in two words;
/// it must give what the byte-at-a-time scan with string tag names gave, on any markup.
@Suite struct PlainTextRunCopyTests {
    @Test func fromHTMLAgreesWithTheByteAtATimeScanOnRandomMarkup() {
        var random = SplitMix64(seed: 0x706C_6169)
        let pieces = [
            "a", "word", " ", "\n", "\t", "é", "日", "<", ">", "&", ";", "/", "\"", "'", "=", "<p>", "</p>", "<br/>",
            "<BR>", "<div class=\"x > y\">", "</DIV>", "<h1>", "</h6>", "<script>", "</script>", "<style>", "</STYLE>",
            "<scriptx>", "</script >", "<blockquote>", "</blockquote>", "<blockquotes>", "<abcdefghijklmnop>",
            "</abcdefghijkl>", "<pre1>", "<!-- c -->", "<?x?>", "&amp;", "&lt;", "&#8217;", "&#x41;", "&#0;",
            "&nope;", "&amp", "\u{A0}", "<a href='q'>", "</a>", "<3", "< b", "<hr", "x>",
        ]
        var differed = 0
        for round in 0..<20_000 {
            let length = random.next(1 + round % 40)
            let html = (0..<length).map { _ in pieces[random.next(pieces.count)] }.joined()
            let fast = PlainText.from(html: html)
            let slow = Self.byteAtATime(html)
            #expect(fast == slow, "\(html.debugDescription)")
            if fast != html { differed += 1 }
        }
        // Markup was there to remove in most of them.
        #expect(differed > 10_000)
    }

    /// Tidying copies each word whole; it must give what copying byte by byte gave.
    @Test func rebuiltTidyAgreesWithTheByteAtATimeCopy() {
        var random = SplitMix64(seed: 0x7469_6479_0002)
        let alphabet = ["a", "bc", " ", " ", "\n", "\n", "\t", "\r", "\u{A0}", "é", "日", "\u{C2}", "x\u{A0}y"]
        for _ in 0..<20_000 {
            let length = random.next(16)
            var text = (0..<length).map { _ in alphabet[random.next(alphabet.count)] }.joined()
            let fast = text.withUTF8 { PlainText.rebuiltTidy($0) }
            let slow = text.withUTF8 { Self.tidiedByteAtATime($0) }
            #expect(fast == slow, "\(Array(text.unicodeScalars))")
        }
    }

    static func tidiedByteAtATime(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        var pendingSpace = false
        var pendingNewlines = 0
        var lineHasText = false
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            var isSpace = c == 0x20 || c == 0x09 || c == 0x0D
            var width = 1
            if c == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 {
                isSpace = true
                width = 2
            }
            if c == 0x0A {
                if lineHasText { pendingNewlines += 1 } else if pendingNewlines > 0 { pendingNewlines = 2 }
                lineHasText = false
                pendingSpace = false
            } else if isSpace {
                if lineHasText { pendingSpace = true }
            } else {
                if pendingNewlines > 0 {
                    if !out.isEmpty {
                        out.append(0x0A)
                        if pendingNewlines > 1 { out.append(0x0A) }
                    }
                    pendingNewlines = 0
                } else if pendingSpace {
                    out.append(0x20)
                }
                pendingSpace = false
                lineHasText = true
                out.append(c)
            }
            i += width
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The scan as it was before runs were copied whole (and tag names were strings).
    static func byteAtATime(_ html: String) -> String {
        var source = html
        return source.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else {
                return PlainText.tidy(bytes, unchanged: html)
            }
            let blockTags: Set<String> = [
                "br", "p", "/p", "div", "/div", "li", "/li", "ul", "/ul", "ol", "/ol", "blockquote",
                "/blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "/h1", "/h2", "/h3", "/h4", "/h5", "/h6",
                "tr", "/tr", "pre", "/pre", "hr",
            ]
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "<"), let end = tagEnd(bytes, from: i) {
                    let name = tagName(bytes, from: i + 1, to: end)
                    if name == "script" || name == "style" {
                        i = skipElement(named: name, bytes, after: end)
                        continue
                    }
                    if blockTags.contains(name) { out.append(0x0A) }
                    i = end + 1
                    continue
                }
                if c == UInt8(ascii: "&"), let (decoded, next) = HTMLEntities.decode(bytes, at: i) {
                    out.append(contentsOf: decoded.utf8)
                    i = next
                    continue
                }
                out.append(c)
                i += 1
            }
            return out.withUnsafeBufferPointer { PlainText.tidy($0) }
        }
    }

    private static func isLetter(_ c: UInt8) -> Bool {
        (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
    }

    private static func tagEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let next = start + 1
        guard next < s.count else { return nil }
        let n = s[next]
        guard n == UInt8(ascii: "/") || n == UInt8(ascii: "!") || n == UInt8(ascii: "?") || isLetter(n) else {
            return nil
        }
        var i = next
        var quote: UInt8 = 0
        let limit = min(s.count, start + 4096)
        while i < limit {
            let c = s[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                if i > next + 1 { quote = c }
            } else if c == UInt8(ascii: ">") {
                return i
            } else if c == UInt8(ascii: "<") {
                return nil
            }
            i += 1
        }
        return nil
    }

    private static func tagName(_ s: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> String {
        var name: [UInt8] = []
        var i = from
        if i < to, s[i] == UInt8(ascii: "/") {
            name.append(UInt8(ascii: "/"))
            i += 1
        }
        while i < to, name.count < 12, isLetter(s[i]) || (s[i] >= 0x30 && s[i] <= 0x39) {
            name.append(s[i] | (isLetter(s[i]) ? 0x20 : 0))
            i += 1
        }
        return String(decoding: name, as: UTF8.self)
    }

    private static func skipElement(named name: String, _ s: UnsafeBufferPointer<UInt8>, after: Int) -> Int {
        var i = after + 1
        while i < s.count {
            if s[i] == UInt8(ascii: "<"), let end = tagEnd(s, from: i), tagName(s, from: i + 1, to: end) == "/" + name {
                return end + 1
            }
            i += 1
        }
        return s.count
    }
}
