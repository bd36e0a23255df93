import Foundation
import HandraiserModel
import Testing

@Suite struct JSONStringTests {
    @Test(arguments: [
        ("a\u{1B}[2Jb", #""a\u001b[2Jb""#),
        ("\u{9B}31m\u{85}", #""\u009b31m\u0085""#),
        ("moc.\u{202E}evil", #""moc.\u202eevil""#),
        (
            "zw\u{200B}\u{200F}\u{2060}\u{2064}\u{2066}\u{2069}\u{FEFF}\u{FFFB}\u{61C}\u{180E}",
            #""zw\u200b\u200f\u2060\u2064\u2066\u2069\ufeff\ufffb\u061c\u180e""#
        ),
        ("line\u{2028}para\u{2029}", #""line\u2028para\u2029""#),
        // Neighbours of the escaped ranges stay as they are.
        ("\u{A0}é\u{2010}\u{2030}\u{2065}€\u{FFFD}日本", "\"\u{A0}é\u{2010}\u{2030}\u{2065}€\u{FFFD}日本\""),
        ("👩\u{200D}💻", #""👩\u200d💻""#),
        // Escapes at both ends and side by side, with runs of plain text between them.
        ("\"a\\bc\n\r\tdé\u{0}\u{7F}\u{202E}\u{202E}x\"", #""\"a\\bc\n\r\tdé\u0000\u007f\u202e\u202ex\"""#),
    ])
    func invisibleAndControlCharactersAreEscaped(text: String, expected: String) throws {
        let literal = JSONString.literal(text)
        #expect(literal == expected)
        // Lossless: a JSON decoder gets the text back.
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(literal)]".utf8)) as? [String]
        #expect(decoded == [text])
    }

    @Test func jsonKeptAsReadHasItsInvisiblesEscapedAndMeansTheSame() throws {
        let raw = "{\"note\":\"a\u{202E}b\",\"n\":[1,\"\u{200B}\"],\"ok\":\"é\"}"
        let escaped = JSONString.escapingInvisibles(inJSON: raw)
        #expect(escaped == #"{"note":"a\u202eb","n":[1,"\u200b"],"ok":"é"}"#)
        let before = try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? NSDictionary
        let after = try JSONSerialization.jsonObject(with: Data(escaped.utf8)) as? NSDictionary
        #expect(before == after)
        #expect(JSONString.escapingInvisibles(inJSON: #"{"plain":"text"}"#) == #"{"plain":"text"}"#)
    }
}
