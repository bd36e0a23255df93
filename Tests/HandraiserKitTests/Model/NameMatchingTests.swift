import Testing

@testable import HandraiserModel

@Suite struct NameMatchingTests {
    @Test(arguments: [
        ("  Ben   Balter ", "ben balter"), ("@Lucretia:", "lucretia"), ("\"J. R.\"", "j. r"), ("A\tB\r\nC", "a b c"),
        ("“Zoë”", "zoë"), ("ÅSA  Öberg", "åsa öberg"), ("", ""), ("@ bob", " bob"),
    ])
    func keys(name: String, key: String) {
        #expect(NameMatching.key(name) == key)
    }

    /// The byte version must give what the Character version gives for every ASCII name: random
    /// names from letters, digits, every ASCII white space, the trimmed punctuation and controls.
    @Test func theASCIIKeyIsTheUnicodeKey() throws {
        let alphabet = Array("aZ09 \t\n\u{0B}\u{0C}\r@\"'.,:;-_\u{01}\u{1F}\u{7F}".unicodeScalars)
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        for _ in 0..<5_000 {
            var name = String.UnicodeScalarView()
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<Int(state >> 60) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                name.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            let text = String(name)
            #expect(try #require(NameMatching.asciiKey(text)) == NameMatching.unicodeKey(text), "\(Array(text.utf8))")
        }
        #expect(NameMatching.asciiKey("Zoë") == nil)
    }
}
