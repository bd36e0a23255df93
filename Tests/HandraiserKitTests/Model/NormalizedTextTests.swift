import Foundation
import Testing

@testable import HandraiserModel

@Suite struct NormalizedTextNFKCTests {
    /// The shortcut may only skip normalisation where Foundation's NFKC would change nothing:
    /// every scalar of the first two planes it calls stable, alone and after an ASCII letter.
    @Test func skippedTextIsAlreadyInNFKC() {
        var skipped = 0
        var wrong: [String] = []
        for value in UInt32(0x80)...0x2_FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let alone = String(Character(scalar))
            let afterLetter = "e" + String(scalar) + "x"
            for text in [alone, afterLetter] where NormalizedText.isNFKCStable(text) {
                skipped += 1
                if text.precomposedStringWithCompatibilityMapping.unicodeScalars.elementsEqual(text.unicodeScalars) {
                    continue
                }
                wrong.append(String(format: "U+%04X", value))
            }
        }
        #expect(wrong.isEmpty, "called stable but NFKC changes: \(wrong.prefix(20))")
        // The shortcut must actually skip the common cases, or it is not worth its code.
        #expect(skipped > 100_000)
    }

    @Test func commonTextSkipsAndCompatibilityFormsDoNot() {
        #expect(NormalizedText.isNFKCStable("It’s “quoted” – and — dashed, café, 中文, привет"))
        #expect(!NormalizedText.isNFKCStable("ﬁne"))  // ligature
        #expect(!NormalizedText.isNFKCStable("ｈｔｔｐ"))  // full-width
        #expect(!NormalizedText.isNFKCStable("e\u{301}"))  // combining accent composes
        #expect(!NormalizedText.isNFKCStable("wait…"))  // ellipsis becomes three dots
        #expect(!NormalizedText.isNFKCStable("\u{212A}"))  // Kelvin sign
        #expect(NormalizedText("ｈｔｔｐ ﬁne").text == "http fine")
    }
}
